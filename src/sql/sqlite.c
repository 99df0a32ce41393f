/* The SQLite dialect: SQL text, value conversions and the sqlite3 driver. */
#include "sql/dialect.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/url.h"
#include "util/datetime.h"
#include "util/error.h"
#include "util/json_write.h"

#define SQ_BUSY_TIMEOUT_MS 5000
#define SQ_MIN_VERSION 3035000 /* RETURNING */

typedef struct sq_conn {
    sqlite3 *db;
} sq_conn;

typedef struct sq_stmt {
    sq_conn *c;
    sqlite3_stmt *st; /* NULL for a statement that is only whitespace/comments */
    int ncols;        /* columns of a row (fixed once prepared) */
    int pending;      /* first step's result, run by execute, not yet returned */
    bool done;
    sqlite3_int64 total_before;
    int64_t changes;
    int64_t last_rowid; /* sqlite3_last_insert_rowid when it finished */
    rel_day_memo day[8]; /* per column (modulo 8): the day of its last date */
} sq_stmt;

#define SQ_CONN(c) ((sq_conn *)(void *)(c))
#define SQ_STMT(s) ((sq_stmt *)(void *)(s))

/* ------------------------------------------------------------ SQL text */

static void sq_placeholder(rel_buf *b, int n)
{
    (void)n;
    rel_buf_putc(b, '?');
}

static void sq_column_type(rel_buf *b, const rel_attr_def *attr)
{
    const rel_attr *a = &attr->a;
    switch (a->type) {
    case REL_INTEGER: rel_buf_puts(b, "INTEGER"); break;
    case REL_BIGINT: rel_buf_puts(b, "BIGINT"); break;
    case REL_FLOAT: rel_buf_puts(b, "FLOAT"); break;
    case REL_DOUBLE: rel_buf_puts(b, "DOUBLE PRECISION"); break;
    case REL_DECIMAL: rel_dialect_decimal_type(b, a); break;
    case REL_STRING: rel_buf_printf(b, "VARCHAR(%d)", a->length > 0 ? a->length : 255); break;
    case REL_TEXT: rel_buf_puts(b, "TEXT"); break;
    case REL_BOOLEAN: rel_buf_puts(b, "TINYINT(1)"); break;
    case REL_DATE: rel_buf_puts(b, "DATETIME"); break;
    case REL_DATEONLY: rel_buf_puts(b, "DATE"); break;
    case REL_UUID: rel_buf_puts(b, "UUID"); break;
    case REL_BLOB: rel_buf_puts(b, "BLOB"); break;
    case REL_JSON: rel_buf_puts(b, "JSON"); break;
    case REL_TYPE_NONE: rel_buf_puts(b, "TEXT"); break;
    }
}

static void sq_in_array(rel_buf *sql, int param_no, rel_type elem_type)
{
    (void)param_no;
    (void)elem_type;
    rel_buf_puts(sql, " IN (SELECT value FROM json_each(?))");
}

static void sq_array_position(rel_buf *sql, int param_no, rel_type elem_type)
{
    (void)param_no;
    (void)elem_type;
    rel_buf_puts(sql, "(SELECT key FROM json_each(?) WHERE value = ");
}

/* ------------------------------------------------------------- values */

static rel_value sq_to_db(rel_type type, rel_value v, rel_buf *scratch)
{
    if (type == REL_DATE && v.kind == REL_V_INT) {
        char t[40];
        rel_datetime_sqlite(v.i, t);
        return rel_dialect_scratch_text(scratch, t);
    }
    if (type == REL_BOOLEAN && (v.kind == REL_V_INT || v.kind == REL_V_DOUBLE)) {
        bool on = v.kind == REL_V_INT ? v.i != 0 : v.d != 0.0;
        return rel_int(on ? 1 : 0);
    }
    return v;
}

static bool sq_array_param(rel_buf *b, const rel_value *vals, size_t n, rel_type type)
{
    rel_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        rel_value v = vals[i];
        if (i)
            rel_buf_putc(b, ',');
        switch (v.kind) {
        case REL_V_NULL:
            rel_buf_puts(b, "null");
            break;
        case REL_V_INT:
            if (type == REL_DATE) {
                char t[40];
                rel_datetime_sqlite(v.i, t);
                rel_json_string(b, t, strlen(t));
            } else {
                rel_json_int(b, type == REL_BOOLEAN ? v.i != 0 : v.i);
            }
            break;
        case REL_V_DOUBLE:
            rel_json_double(b, v.d);
            break;
        case REL_V_TEXT:
            rel_json_string(b, v.s ? v.s : "", v.s ? v.len : 0);
            break;
        case REL_V_BLOB:
            return false; /* JSON has no bytes */
        }
    }
    rel_buf_putc(b, ']');
    return !b->oom;
}

/* ------------------------------------------------------------- errors */

static rel_status sq_status(int ext)
{
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return REL_UNIQUE;
    case SQLITE_CONSTRAINT_NOTNULL:
        return REL_NOT_NULL;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return REL_FOREIGN_KEY;
    }
    switch (ext & 0xff) {
    case SQLITE_CONSTRAINT: return REL_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return REL_BUSY;
    case SQLITE_READONLY: return REL_READONLY;
    case SQLITE_NOMEM: return REL_NOMEM;
    case SQLITE_CANTOPEN: return REL_CONNECTION;
    default: return REL_DATABASE;
    }
}

/* Fills err from the connection's last error (or rc when there is none). */
static rel_status sq_fail(sqlite3 *db, int rc, rel_error *err)
{
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    if ((ext & 0xff) == SQLITE_OK || (ext & 0xff) == SQLITE_ROW || (ext & 0xff) == SQLITE_DONE)
        ext = rc;
    char code[8];
    snprintf(code, sizeof code, "%d", ext);
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    rel_status st = sq_status(ext);
    /* ON DELETE / ON UPDATE RESTRICT is SQLite's own trigger raising this
     * message, so it comes as a trigger's constraint error: it is a foreign key. */
    if (ext == SQLITE_CONSTRAINT_TRIGGER && strcmp(msg, "FOREIGN KEY constraint failed") == 0)
        st = REL_FOREIGN_KEY;
    return rel_err_engine(err, st, code, "%s", msg);
}

/* ------------------------------------------------------------- driver */

static rel_status sq_exec_simple(rel_conn *conn, const char *sql, rel_error *err)
{
    sqlite3 *db = SQ_CONN(conn)->db;
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? REL_OK : sq_fail(db, rc, err);
}

static rel_status sq_connect(const char *url, rel_conn **out, rel_error *err)
{
    *out = NULL;
    const char *path = rel_url_sqlite_path(url);
    if (!path)
        return rel_err(err, REL_INVALID,
                       "the SQLite URL '%s' has no path: use sqlite:app.db, "
                       "sqlite:/abs/path.db or sqlite::memory:", url);
    if (sqlite3_libversion_number() < SQ_MIN_VERSION)
        return rel_err(err, REL_CONNECTION,
                       "SQLite %s is too old: relate needs 3.35 or newer (RETURNING)",
                       sqlite3_libversion());

    sq_conn *c = calloc(1, sizeof *c);
    if (!c)
        return rel_err_nomem(err);
    rel_status st = REL_OK;
    /* NOMUTEX: a rel_db is used by one thread at a time (relate.h), so the
     * connection's own mutex, taken by every sqlite3_column_* call, only
     * costs time. */
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        if (!c->db) {
            st = rel_err_nomem(err);
            goto fail;
        }
        char code[8];
        snprintf(code, sizeof code, "%d", sqlite3_extended_errcode(c->db));
        st = rel_err_engine(err, REL_CONNECTION, code,
                            "cannot open the SQLite database '%s': %s", path,
                            sqlite3_errmsg(c->db));
        goto fail;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, SQ_BUSY_TIMEOUT_MS);
    /* "x" is always an identifier, never a string that slipped through. */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    st = sq_exec_simple((rel_conn *)(void *)c, "PRAGMA foreign_keys = ON", err);
    if (st != REL_OK)
        goto fail;
    /* LIKE compares case as PostgreSQL's does, so a where means the same on
     * both engines. */
    st = sq_exec_simple((rel_conn *)(void *)c, "PRAGMA case_sensitive_like = ON", err);
    if (st != REL_OK)
        goto fail;
    int fk = 0;
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &fk);
    if (!fk) {
        st = rel_err(err, REL_CONNECTION,
                     "this SQLite library cannot enforce foreign keys "
                     "(built with SQLITE_OMIT_FOREIGN_KEY)");
        goto fail;
    }
    *out = (rel_conn *)(void *)c;
    return REL_OK;

fail:
    sqlite3_close_v2(c->db);
    free(c);
    return st;
}

static void sq_disconnect(rel_conn *conn)
{
    if (!conn)
        return;
    sqlite3_close_v2(SQ_CONN(conn)->db);
    free(conn);
}

static void sq_closing(rel_conn *conn)
{
    (void)conn;
}

static bool sq_broken(rel_conn *conn)
{
    (void)conn;
    return false; /* nothing to lose: the database is a file */
}

static rel_tx_state sq_tx_state(rel_conn *conn)
{
    return sqlite3_get_autocommit(SQ_CONN(conn)->db) ? REL_TX_NONE : REL_TX_ACTIVE;
}

/* True when tail holds another statement (not only blanks and comments). */
static bool sq_has_more(sqlite3 *db, const char *tail)
{
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        const char *next = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &st, &next) != SQLITE_OK)
            return true;
        if (st) {
            sqlite3_finalize(st);
            return true;
        }
        if (next == tail)
            break;
        tail = next;
    }
    return false;
}

static rel_status sq_prepare(rel_conn *conn, const char *sql, rel_dstmt **out, rel_error *err)
{
    sqlite3 *db = SQ_CONN(conn)->db;
    *out = NULL;
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return rel_err_nomem(err);
    s->c = SQ_CONN(conn);
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, &tail);
    if (rc != SQLITE_OK) {
        rel_status st = sq_fail(db, rc, err);
        free(s);
        return st;
    }
    s->ncols = s->st ? sqlite3_column_count(s->st) : 0;
    if (sq_has_more(db, tail)) {
        sqlite3_finalize(s->st);
        free(s);
        return rel_err(err, REL_INVALID,
                       "more than one SQL statement given: relate runs one at a time");
    }
    *out = (rel_dstmt *)(void *)s;
    return REL_OK;
}

static void sq_finish(sq_stmt *s)
{
    s->done = true;
    sqlite3 *db = s->c->db;
    /* sqlite3_changes keeps the last INSERT/UPDATE/DELETE's count across
       SELECTs and DDL; only trust it when this statement changed something. */
    s->changes = sqlite3_total_changes64(db) != s->total_before ? sqlite3_changes64(db) : 0;
    s->last_rowid = sqlite3_last_insert_rowid(db);
}

static int sq_bind(sq_stmt *s, int i, const rel_value *v, bool held)
{
    /* Held memory outlives the binding: SQLite need not copy it. */
    sqlite3_destructor_type keep = held ? SQLITE_STATIC : SQLITE_TRANSIENT;
    switch (v->kind) {
    case REL_V_NULL:
        return sqlite3_bind_null(s->st, i);
    case REL_V_INT:
        return sqlite3_bind_int64(s->st, i, v->i);
    case REL_V_DOUBLE:
        return sqlite3_bind_double(s->st, i, v->d);
    case REL_V_TEXT:
        if (!v->s)
            return sqlite3_bind_null(s->st, i);
        return sqlite3_bind_text64(s->st, i, v->s, v->len, keep, SQLITE_UTF8);
    case REL_V_BLOB:
        if (!v->s || !v->len)
            return sqlite3_bind_zeroblob(s->st, i, 0);
        return sqlite3_bind_blob64(s->st, i, v->s, v->len, keep);
    }
    return SQLITE_MISUSE;
}

static rel_status sq_execute(rel_dstmt *ds, const rel_value *params, size_t n, bool held,
                             rel_error *err)
{
    sq_stmt *s = SQ_STMT(ds);
    sqlite3 *db = s->c->db;
    s->pending = 0;
    s->done = false;
    s->changes = 0;
    s->last_rowid = 0;
    if (!s->st) {
        if (n)
            return rel_err(err, REL_INVALID, "%zu values given for an empty statement", n);
        s->done = true;
        return REL_OK;
    }
    /* Every parameter is bound again below (the count must match), so
       the old bindings need no clearing. */
    sqlite3_reset(s->st);
    int want = sqlite3_bind_parameter_count(s->st);
    if ((size_t)want != n)
        return rel_err(err, REL_INVALID, "the statement has %d parameter%s but %zu value%s given",
                       want, want == 1 ? "" : "s", n, n == 1 ? " was" : "s were");
    for (size_t i = 0; i < n; i++) {
        int rc = sq_bind(s, (int)i + 1, &params[i], held);
        if (rc != SQLITE_OK)
            return sq_fail(db, rc, err);
    }
    s->total_before = sqlite3_total_changes64(db);
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) {
        s->pending = SQLITE_ROW;
        return REL_OK;
    }
    if (rc == SQLITE_DONE) {
        s->pending = SQLITE_DONE;
        sq_finish(s);
        return REL_OK;
    }
    rel_status st = sq_fail(db, rc, err);
    sqlite3_reset(s->st);
    s->done = true;
    return st;
}

static int sq_step(rel_dstmt *ds, rel_error *err)
{
    sq_stmt *s = SQ_STMT(ds);
    if (s->pending) {
        int r = s->pending;
        s->pending = 0;
        return r == SQLITE_ROW ? REL_STEP_ROW : REL_STEP_DONE;
    }
    if (s->done)
        return REL_STEP_DONE; /* stepping again would run it again */
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return REL_STEP_ROW;
    if (rc == SQLITE_DONE) {
        sq_finish(s);
        return REL_STEP_DONE;
    }
    rel_status st = sq_fail(s->c->db, rc, err);
    sqlite3_reset(s->st);
    s->done = true;
    return st;
}

static int sq_column_count(rel_dstmt *ds)
{
    sq_stmt *s = SQ_STMT(ds);
    return s->st ? sqlite3_column_count(s->st) : 0;
}

/* Whole-string number parse (no trailing junk). */
static bool parse_double(const char *t, double *out)
{
    if (!t || !*t)
        return false;
    char *end = NULL;
    double d = strtod(t, &end);
    if (*end)
        return false;
    *out = d;
    return true;
}

/* The text of a value that is not NULL. sqlite3_value_text returns NULL
 * only when converting it ran out of memory; sqlite3_column_text then tries
 * once more and leaves that error with the statement, as it always did. */
static const char *sq_text(sqlite3_stmt *st, int col, sqlite3_value *v)
{
    const char *t = (const char *)sqlite3_value_text(v);
    return t ? t : (const char *)sqlite3_column_text(st, col);
}

/* Column col of the current row as the canonical value of type (see
 * dialect.h); sets only the members of out its kind uses. The column is
 * fetched once (sqlite3_column_value) and read through the sqlite3_value
 * calls, which skip the statement's bounds and error checks that every
 * sqlite3_column_* call repeats: safe as a connection is used by one thread
 * at a time (it is opened NOMUTEX). Rare conversions keep the column calls. */
static rel_status sq_read(sqlite3_stmt *st, int col, rel_type type, rel_value *out)
{
    sqlite3_value *v = sqlite3_column_value(st, col);
    int t = sqlite3_value_type(v);
    if (t == SQLITE_NULL) {
        out->kind = REL_V_NULL;
        return REL_OK;
    }

    switch (type) {
    case REL_TYPE_NONE:
        break; /* natural value, below */
    case REL_INTEGER:
    case REL_BIGINT:
        if (t == SQLITE_INTEGER) {
            out->kind = REL_V_INT;
            out->i = sqlite3_value_int64(v);
            return REL_OK;
        }
        if (t == SQLITE_FLOAT) {
            double d = sqlite3_value_double(v);
            if (d != floor(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
                return REL_DATABASE;
            out->kind = REL_V_INT;
            out->i = (int64_t)d;
            return REL_OK;
        }
        if (t == SQLITE_TEXT &&
            rel_dialect_parse_i64((const char *)sqlite3_column_text(st, col), &out->i)) {
            out->kind = REL_V_INT;
            return REL_OK;
        }
        return REL_DATABASE;
    case REL_FLOAT:
    case REL_DOUBLE:
        if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
            out->kind = REL_V_DOUBLE;
            out->d = sqlite3_value_double(v);
            return REL_OK;
        }
        if (t == SQLITE_TEXT && parse_double((const char *)sqlite3_column_text(st, col), &out->d)) {
            out->kind = REL_V_DOUBLE;
            return REL_OK;
        }
        return REL_DATABASE;
    case REL_DECIMAL:
        if (t == SQLITE_TEXT) {
            const char *txt = (const char *)sqlite3_column_text(st, col);
            if (rel_dialect_parse_i64(txt, &out->i)) {
                out->kind = REL_V_INT;
                return REL_OK;
            }
            if (parse_double(txt, &out->d)) {
                out->kind = REL_V_DOUBLE;
                return REL_OK;
            }
            return REL_DATABASE;
        }
        break; /* INTEGER or REAL as stored */
    case REL_BOOLEAN:
        if (t == SQLITE_INTEGER) {
            out->kind = REL_V_INT;
            out->i = sqlite3_value_int64(v) != 0;
            return REL_OK;
        }
        if (t == SQLITE_FLOAT) {
            out->kind = REL_V_INT;
            out->i = sqlite3_value_double(v) != 0.0;
            return REL_OK;
        }
        if (t == SQLITE_TEXT) {
            const char *txt = (const char *)sqlite3_column_text(st, col);
            if (!strcmp(txt, "true") || !strcmp(txt, "1") || !strcmp(txt, "t")) {
                out->kind = REL_V_INT;
                out->i = 1;
                return REL_OK;
            }
            if (!strcmp(txt, "false") || !strcmp(txt, "0") || !strcmp(txt, "f")) {
                out->kind = REL_V_INT;
                out->i = 0;
                return REL_OK;
            }
        }
        return REL_DATABASE;
    case REL_DATE:
        if (t == SQLITE_TEXT) {
            const char *txt = sq_text(st, col, v);
            int64_t ms;
            if (!rel_datetime_parse(txt, (size_t)sqlite3_value_bytes(v), &ms))
                return REL_DATABASE;
            out->kind = REL_V_INT;
            out->i = ms;
            return REL_OK;
        }
        if (t == SQLITE_INTEGER) {
            out->kind = REL_V_INT;
            out->i = sqlite3_value_int64(v);
            return REL_OK;
        }
        if (t == SQLITE_FLOAT) {
            double d = sqlite3_value_double(v);
            if (!isfinite(d) || d < -9.2e18 || d > 9.2e18)
                return REL_DATABASE;
            out->kind = REL_V_INT;
            out->i = (int64_t)d;
            return REL_OK;
        }
        return REL_DATABASE;
    case REL_BLOB: {
        const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(st, col)
                                         : (const void *)sqlite3_column_text(st, col);
        out->kind = REL_V_BLOB;
        out->len = (size_t)sqlite3_column_bytes(st, col);
        out->s = p ? p : "";
        return REL_OK;
    }
    case REL_STRING:
    case REL_TEXT:
    case REL_UUID:
    case REL_DATEONLY:
    case REL_JSON: {
        const char *txt = sq_text(st, col, v);
        if (!txt)
            return REL_NOMEM;
        out->kind = REL_V_TEXT;
        out->s = txt;
        out->len = (size_t)sqlite3_value_bytes(v);
        return REL_OK;
    }
    }

    /* The natural value of the storage class. */
    switch (t) {
    case SQLITE_INTEGER:
        out->kind = REL_V_INT;
        out->i = sqlite3_value_int64(v);
        return REL_OK;
    case SQLITE_FLOAT:
        out->kind = REL_V_DOUBLE;
        out->d = sqlite3_value_double(v);
        return REL_OK;
    case SQLITE_BLOB: {
        const void *p = sqlite3_column_blob(st, col);
        out->kind = REL_V_BLOB;
        out->len = (size_t)sqlite3_column_bytes(st, col);
        out->s = p ? p : "";
        return REL_OK;
    }
    default: {
        const char *txt = sq_text(st, col, v);
        if (!txt)
            return REL_NOMEM;
        out->kind = REL_V_TEXT;
        out->s = txt;
        out->len = (size_t)sqlite3_value_bytes(v);
        return REL_OK;
    }
    }
}

static rel_status sq_column(rel_dstmt *ds, int col, rel_type type, rel_value *out,
                            rel_buf *scratch)
{
    (void)scratch;
    sqlite3_stmt *st = SQ_STMT(ds)->st;
    *out = rel_null();
    if (!st || col < 0 || col >= SQ_STMT(ds)->ncols)
        return REL_MISUSE;
    return sq_read(st, col, type, out);
}

static rel_status sq_columns(rel_dstmt *ds, int first, size_t n, const rel_type *types,
                             rel_value *out, size_t *failed, rel_buf *scratch)
{
    (void)scratch;
    sqlite3_stmt *st = SQ_STMT(ds)->st;
    if (!st || first < 0 || first > SQ_STMT(ds)->ncols ||
        (size_t)(SQ_STMT(ds)->ncols - first) < n) {
        *failed = 0;
        return REL_MISUSE;
    }
    /* What a model's own columns hold (NULL, integers, text of text types
     * and dates) is read here in line; the rest by sq_read, the same rules. */
    for (size_t k = 0; k < n; k++) {
        int col = first + (int)k;
        rel_type type = types[k];
        rel_value *o = &out[k];
        sqlite3_value *v = sqlite3_column_value(st, col);
        int t = sqlite3_value_type(v);
        if (t == SQLITE_NULL) {
            o->kind = REL_V_NULL;
            continue;
        }
        if (t == SQLITE_INTEGER && (type == REL_INTEGER || type == REL_BIGINT)) {
            o->kind = REL_V_INT;
            o->i = sqlite3_value_int64(v);
            continue;
        }
        if (t == SQLITE_TEXT) {
            const char *txt = (const char *)sqlite3_value_text(v);
            if (txt && type == REL_DATE &&
                rel_datetime_parse_memo(txt, (size_t)sqlite3_value_bytes(v), &o->i,
                                        &SQ_STMT(ds)->day[col & 7])) {
                o->kind = REL_V_INT;
                continue;
            }
            if (txt && rel_dialect_text_type(type)) {
                o->kind = REL_V_TEXT;
                o->s = txt;
                o->len = (size_t)sqlite3_value_bytes(v);
                continue;
            }
        }
        rel_status s = sq_read(st, col, type, o);
        if (s != REL_OK) {
            *failed = k;
            return s;
        }
    }
    return REL_OK;
}

static int64_t sq_changes(rel_dstmt *ds)
{
    return SQ_STMT(ds)->changes;
}

static int64_t sq_last_insert_id(rel_dstmt *ds)
{
    return SQ_STMT(ds)->last_rowid;
}

static bool sq_consecutive_keys(rel_conn *conn, const char *table, const char *column)
{
#ifdef REL_HAVE_SQLITE_COLUMN_METADATA
    sqlite3 *db = SQ_CONN(conn)->db;
    int pk = 0, autoinc = 0;
    /* AUTOINCREMENT: the rowid alias, never reused nor chosen at random. */
    if (sqlite3_table_column_metadata(db, NULL, table, column, NULL, NULL, NULL, &pk,
                                      &autoinc) != SQLITE_OK ||
        !pk || !autoinc)
        return false;
    /* A trigger on the table could insert rows of its own in between, or
       drop some (RAISE(IGNORE)). */
    static const char sql[] =
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE "
        "UNION ALL SELECT 1 FROM sqlite_temp_master WHERE type = 'trigger' "
        "AND tbl_name = ?1 COLLATE NOCASE";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
#else
    (void)conn;
    (void)table;
    (void)column;
    return false;
#endif
}

static void sq_reset(rel_dstmt *ds)
{
    sq_stmt *s = SQ_STMT(ds);
    if (s->st) {
        sqlite3_reset(s->st);
        /* Drops copies of text/blob params, and pointers to held ones,
           which the caller may free once the statement is released. */
        sqlite3_clear_bindings(s->st);
    }
    s->pending = 0;
    s->done = false;
}

static void sq_finalize(rel_dstmt *ds)
{
    if (!ds)
        return;
    sqlite3_finalize(SQ_STMT(ds)->st);
    free(ds);
}

const rel_dialect rel_dialect_sqlite = {
    .name = "sqlite",
    .quote_ident = rel_dialect_quote_ident,
    .placeholder = sq_placeholder,
    .column_type = sq_column_type,
    .serial_pk = "INTEGER PRIMARY KEY AUTOINCREMENT",
    .serial_pk_is_key = true,
    .in_array = sq_in_array,
    .array_position = sq_array_position,
    .array_param = sq_array_param,
    .to_db = sq_to_db,
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .closing = sq_closing,
    .exec_simple = sq_exec_simple,
    .prepare = sq_prepare,
    .execute = sq_execute,
    .step = sq_step,
    .column_count = sq_column_count,
    .column = sq_column,
    .columns = sq_columns,
    .changes = sq_changes,
    .last_insert_id = sq_last_insert_id,
    .consecutive_keys = sq_consecutive_keys,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .broken = sq_broken,
    .tx_state = sq_tx_state,
};
