/* Statement texts a connection built once and reuses: for statements run
 * again and again whose text depends only on the schema and a few choices
 * (the variant), so that a call binds its parameters without writing the
 * text anew (rel_sql_use_text). Keyed by who built the text (owner, e.g. an
 * association, which lives as long as the connection's schema), where (a
 * static tag per statement) and the variant. */
#ifndef REL_DB_SQL_MEMO_H
#define REL_DB_SQL_MEMO_H

#include <stdbool.h>

#include "db/db.h"

/* The text remembered for (owner, site, variant), or NULL. */
const char *rel_sql_memo_get(const rel_db *db, const void *owner, const void *site,
                             unsigned variant);
/* Remembers a copy of sql. false when out of memory: nothing is remembered,
 * which costs only speed (the text is built again next time). */
bool rel_sql_memo_put(rel_db *db, const void *owner, const void *site, unsigned variant,
                      const char *sql);
/* Forgets every text (rel_close). */
void rel_sql_memo_free(rel_db *db);

#endif
