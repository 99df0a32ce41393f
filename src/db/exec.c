/* Running statements: every one is logged, prepared through the cache and
 * has its errors decorated with its SQL; a lost connection is remembered. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/stmt_cache.h"
#include "util/error.h"

#define REL_ERROR_SQL_MAX 200

void rel_db_error_sql(rel_error *err, const char *sql)
{
    if (!err || !sql)
        return;
    size_t n = strlen(sql), take = n > REL_ERROR_SQL_MAX ? REL_ERROR_SQL_MAX : n;
    while (take > 0 && take < n && ((unsigned char)sql[take] & 0xC0) == 0x80)
        take--; /* do not cut a UTF-8 character in two */
    size_t used = strlen(err->message);
    if (used + 1 >= sizeof err->message)
        return;
    snprintf(err->message + used, sizeof err->message - used, " [SQL: %.*s%s]", (int)take, sql,
             take < n ? "..." : "");
}

void rel_db_check_broken(rel_db *db, rel_status st)
{
    if (!db || st == REL_OK || db->broken)
        return;
    if (st == REL_CONNECTION || (db->conn && db->dialect->broken(db->conn)))
        db->broken = true;
}

static rel_status refuse_broken(rel_error *err)
{
    return rel_err(err, REL_CONNECTION,
                   "the connection to the database was lost; close it and open a new one");
}

rel_status rel_db_refuse_aborted(rel_error *err)
{
    return rel_err(err, REL_DATABASE,
                   "a statement in this transaction failed; nothing more runs in it until "
                   "rel_rollback (wrap a statement that may fail in its own rel_begin/"
                   "rel_rollback to carry on after it)");
}

/* A failure inside a transaction poisons its innermost level, as it does on
   PostgreSQL. */
static void after_failure(rel_db *db, rel_status st, const char *sql, rel_error *err)
{
    rel_db_check_broken(db, st);
    if (db->tx_depth > 0)
        db->tx_aborted = true;
    rel_db_error_sql(err, sql);
}

static void log_stmt(rel_db *db, const char *sql, const rel_value *params, size_t n)
{
    if (db->log)
        db->log(db->log_user, sql, params, n);
}

rel_status rel_db_exec_simple(rel_db *db, const char *sql, rel_error *err)
{
    if (db->broken)
        return refuse_broken(err);
    if (db->tx_aborted)
        return rel_db_refuse_aborted(err);
    log_stmt(db, sql, NULL, 0);
    rel_status st = db->dialect->exec_simple(db->conn, sql, err);
    if (st != REL_OK)
        after_failure(db, st, sql, err);
    return st;
}

rel_status rel_db_tx_control(rel_db *db, const char *sql, rel_error *err)
{
    if (db->broken)
        return refuse_broken(err);
    log_stmt(db, sql, NULL, 0);
    rel_status st = db->dialect->exec_simple(db->conn, sql, err);
    if (st != REL_OK) {
        rel_db_check_broken(db, st);
        rel_db_error_sql(err, sql);
    }
    return st;
}

/* What every run checks before the driver sees the statement. held: the
   parameters are a record's values (rel_db_run_held), whose text was
   checked for NUL bytes when it was set. */
static rel_status before_run(rel_db *db, const rel_value *params, size_t n, bool held,
                             rel_error *err)
{
    if (db->broken)
        return refuse_broken(err);
    if (db->tx_aborted)
        return rel_db_refuse_aborted(err);
    /* libpq reads text parameters up to their first NUL while SQLite binds
       every byte: refuse what the two would store differently. */
    for (size_t i = 0; i < n && !held; i++)
        if (params[i].kind == REL_V_TEXT && params[i].s && memchr(params[i].s, '\0', params[i].len))
            return rel_err(err, REL_INVALID,
                           "parameter %zu: text cannot contain NUL bytes (U+0000); bind such "
                           "bytes as a BLOB", i + 1);
    return REL_OK;
}

static rel_status run(rel_db *db, const char *sql, const rel_value *params, size_t n, bool held,
                      rel_stmt **out, rel_error *err)
{
    if (out)
        *out = NULL;
    if (!db || !sql || !out || (n && !params))
        return rel_err(err, REL_MISUSE, "rel_db_run: db, sql and out are required");
    rel_status st = before_run(db, params, n, held, err);
    if (st != REL_OK)
        return st;
    log_stmt(db, sql, params, n);
    rel_stmt *s = NULL;
    rel_error e;
    for (int attempt = 0; attempt < 2; attempt++) {
        st = rel_stmt_cache_acquire(db, sql, &s, &e);
        if (st != REL_OK)
            break;
        st = db->dialect->execute(s->d, params, n, held, &e);
        if (st == REL_OK) {
            *out = s;
            return REL_OK;
        }
        /* PostgreSQL refuses a prepared statement whose result columns were
           changed by DDL since it was prepared ("cached plan must not change
           result type"): prepare it afresh, once, when no transaction was
           aborted by the failure. */
        if (strcmp(e.engine_code, "0A000") == 0 && db->tx_depth == 0 &&
            strstr(e.message, "cached plan") && !db->dialect->broken(db->conn)) {
            rel_stmt_cache_discard(db, s);
            continue;
        }
        rel_stmt_cache_release(db, s);
        break;
    }
    if (err)
        *err = e;
    after_failure(db, st, sql, err);
    return st;
}

rel_status rel_db_run(rel_db *db, const char *sql, const rel_value *params, size_t n,
                      rel_stmt **out, rel_error *err)
{
    return run(db, sql, params, n, false, out, err);
}

rel_status rel_db_run_held(rel_db *db, const char *sql, const rel_value *params, size_t n,
                           rel_stmt **out, rel_error *err)
{
    return run(db, sql, params, n, true, out, err);
}

rel_status rel_stmt_rerun_held(rel_stmt *s, const rel_value *params, size_t n, rel_error *err)
{
    if (!s || (n && !params))
        return rel_err(err, REL_MISUSE, "rel_stmt_rerun_held: a statement is required");
    rel_db *db = s->db;
    rel_status st = before_run(db, params, n, true, err);
    if (st != REL_OK)
        return st;
    log_stmt(db, s->sql, params, n);
    rel_error e;
    st = db->dialect->execute(s->d, params, n, true, &e);
    if (st == REL_OK)
        return REL_OK;
    if (err)
        *err = e;
    after_failure(db, st, s->sql, err);
    return st;
}

int rel_stmt_next(rel_stmt *s, rel_error *err)
{
    int r = s->db->dialect->step(s->d, err);
    if (r < 0)
        after_failure(s->db, (rel_status)r, s->sql, err);
    else if (r == REL_STEP_ROW)
        s->db->n_rows++;
    return r;
}

rel_status rel_stmt_col(rel_stmt *s, int i, rel_type type, rel_value *out)
{
    return s->db->dialect->column(s->d, i, type, out, &s->scratch);
}

int64_t rel_stmt_changes(rel_stmt *s)
{
    return s->db->dialect->changes(s->d);
}

int64_t rel_stmt_last_insert_id(rel_stmt *s)
{
    return s->db->dialect->last_insert_id(s->d);
}

bool rel_db_consecutive_keys(rel_db *db, const char *table, const char *column)
{
    return !db->broken && db->dialect->consecutive_keys(db->conn, table, column);
}

void rel_stmt_done(rel_stmt *s)
{
    if (s)
        rel_stmt_cache_release(s->db, s);
}

rel_status rel_db_exec(rel_db *db, const char *sql, const rel_value *params, size_t n,
                       int64_t *changes, rel_error *err)
{
    if (changes)
        *changes = 0;
    rel_stmt *s = NULL;
    rel_status st = rel_db_run(db, sql, params, n, &s, err);
    if (st != REL_OK)
        return st;
    int r;
    while ((r = rel_stmt_next(s, err)) == REL_STEP_ROW)
        ;
    if (r < 0)
        st = (rel_status)r;
    else if (changes)
        *changes = rel_stmt_changes(s);
    rel_stmt_done(s);
    return st;
}

rel_status rel_exec(rel_db *db, const char *sql, const rel_value *params, size_t nparams,
                    rel_error *err)
{
    if (!db || !sql)
        return rel_err(err, REL_MISUSE, "rel_exec needs a connection and SQL text");
    if (nparams && !params)
        return rel_err(err, REL_MISUSE, "rel_exec: %zu parameters announced but none given",
                       nparams);
    return rel_db_exec(db, sql, params, nparams, NULL, err);
}
