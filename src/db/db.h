/* A connection: the dialect, the driver handle, the statement cache,
 * transactions and logging. Everything that talks to the database goes
 * through rel_db_run / rel_db_exec so that every statement is logged and
 * every prepared statement is reused. */
#ifndef REL_DB_DB_H
#define REL_DB_DB_H

#include "relate.h"
#include "sql/dialect.h"
#include "util/buf.h"

typedef struct rel_stmt_cache rel_stmt_cache;
typedef struct rel_sql_memo rel_sql_memo;

/* A cached prepared statement in use by one caller at a time. */
typedef struct rel_stmt {
    rel_db *db;
    rel_dstmt *d;
    char *sql;
    bool busy;
    struct rel_stmt *next; /* cache chain */
    rel_buf scratch;       /* for column conversions */
    unsigned hash;         /* of sql, for the cache */
    uint64_t last_used;    /* cache clock when last handed out (eviction) */
} rel_stmt;

struct rel_db {
    const rel_schema *schema;
    const rel_dialect *dialect;
    rel_conn *conn;
    rel_log_fn log;
    void *log_user;
    int tx_depth;          /* 0: autocommit; n: n nested begins (n-1 savepoints) */
    bool tx_aborted;       /* a statement failed in the innermost level: until
                              it is rolled back, statements are refused on
                              both engines (PostgreSQL's rule, kept on SQLite
                              too so both behave alike) */
    bool broken;
    rel_stmt_cache *cache;
    rel_sql_memo *memo;    /* statement texts built once (sql_memo.h) */
    rel_buf bind_scratch;  /* values converted by to_db for one execution */
    /* Counters, for tests and curious callers. */
    uint64_t n_prepared;   /* statements prepared by the driver */
    uint64_t n_reused;     /* runs that reused a cached prepared statement */
    uint64_t n_rows;       /* result rows stepped through (rel_stmt_next) */
};

/* Prepares (or reuses) sql, converts nothing (params are already what is
 * bound, see dialect->to_db), logs, executes. On success *out is ready for
 * rel_stmt_next and must be released with rel_stmt_done; param memory need
 * not outlive this call. While *out is held, running the same SQL again
 * prepares a second statement. Errors carry the engine's message followed
 * by the statement's text (its first 200 bytes). */
rel_status rel_db_run(rel_db *db, const char *sql, const rel_value *params, size_t n,
                      rel_stmt **out, rel_error *err);
/* rel_db_run for parameters the caller keeps valid and unchanged until
 * rel_stmt_done or rel_stmt_rerun_held: the driver may bind them without
 * copying them. They are a record's values (bulk create): their text is not
 * scanned for NUL bytes again, as setting it was refused. */
rel_status rel_db_run_held(rel_db *db, const char *sql, const rel_value *params, size_t n,
                           rel_stmt **out, rel_error *err);
/* Runs s (from rel_db_run_held, its rows read or not) again with new
 * parameters, held as rel_db_run_held's (the previous ones need only last
 * until this call starts); skips the statement cache's lookup by text. s
 * stays the caller's, whatever the result: release it with rel_stmt_done. */
rel_status rel_stmt_rerun_held(rel_stmt *s, const rel_value *params, size_t n, rel_error *err);
/* 1: a row is ready; 0: no more rows; <0: a rel_status (err filled). */
int rel_stmt_next(rel_stmt *s, rel_error *err);
/* Column i of the current row as the canonical value of type. Borrowed
 * until the next rel_stmt_next / rel_stmt_done. */
rel_status rel_stmt_col(rel_stmt *s, int i, rel_type type, rel_value *out);
/* Columns first .. first+n-1 of the current row at once, column first+k as
 * the canonical value of types[k] into out[k] (only the members of its kind
 * set); on failure *failed is the k that could not be read (dialect.h). */
static inline rel_status rel_stmt_cols(rel_stmt *s, int first, size_t n, const rel_type *types,
                                       rel_value *out, size_t *failed)
{
    return s->db->dialect->columns(s->d, first, n, types, out, failed, &s->scratch);
}
int64_t rel_stmt_changes(rel_stmt *s);
/* See the dialect's last_insert_id and consecutive_keys. */
int64_t rel_stmt_last_insert_id(rel_stmt *s);
bool rel_db_consecutive_keys(rel_db *db, const char *table, const char *column);
void rel_stmt_done(rel_stmt *s);

/* Runs a statement that returns no rows we need; *changes (may be NULL)
 * receives the number of rows inserted, updated or deleted (0 for SELECT
 * and DDL). */
rel_status rel_db_exec(rel_db *db, const char *sql, const rel_value *params, size_t n,
                       int64_t *changes, rel_error *err);

/* For operations that write several rows: opens a transaction, or a
 * savepoint inside the caller's; rel_db_atomic_end commits it when st is
 * REL_OK and rolls it back otherwise, returning st (or the commit error). */
rel_status rel_db_atomic_begin(rel_db *db, rel_error *err);
rel_status rel_db_atomic_end(rel_db *db, rel_status st, rel_error *err);

/* Marks the connection broken when the driver says so (REL_CONNECTION). */
void rel_db_check_broken(rel_db *db, rel_status st);

/* Runs SQL without parameters or rows (DDL, PRAGMA, ...) through the
 * logger, the broken and aborted checks and the error decoration rel_db_run
 * uses. */
rel_status rel_db_exec_simple(rel_db *db, const char *sql, rel_error *err);
/* The same for transaction control (BEGIN, COMMIT, ROLLBACK [TO], SAVEPOINT,
 * RELEASE): runs even in an aborted transaction, never marks it aborted. */
rel_status rel_db_tx_control(rel_db *db, const char *sql, rel_error *err);
/* The error returned for statements in an aborted transaction. */
rel_status rel_db_refuse_aborted(rel_error *err);

/* Appends " [SQL: <first 200 bytes of sql>]" to err's message. */
void rel_db_error_sql(rel_error *err, const char *sql);

#endif
