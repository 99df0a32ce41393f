/* The statement cache: prepared statements keyed by their SQL text, so a
 * statement is prepared once per connection and reused. A statement being
 * stepped by one caller (busy) is never handed to another: a second one is
 * prepared for the same text. At most REL_STMT_CACHE_MAX idle statements are
 * kept; the least recently used go first. */
#ifndef REL_DB_STMT_CACHE_H
#define REL_DB_STMT_CACHE_H

#include "db/db.h"

#define REL_STMT_CACHE_MAX 256

rel_stmt_cache *rel_stmt_cache_new(void);
/* Finalizes every statement and frees the cache (NULL does nothing). */
void rel_stmt_cache_free(rel_db *db);
/* A statement for sql that nobody is using, marked busy: cached, or
   prepared now (errors from the driver are returned as they are). */
rel_status rel_stmt_cache_acquire(rel_db *db, const char *sql, rel_stmt **out, rel_error *err);
/* Ends the statement's current run and gives it back. */
void rel_stmt_cache_release(rel_db *db, rel_stmt *s);
/* Finalizes a busy statement and forgets it (its prepared form went stale). */
void rel_stmt_cache_discard(rel_db *db, rel_stmt *s);
/* How many statements are cached (busy or not). */
size_t rel_stmt_cache_size(const rel_db *db);

#endif
