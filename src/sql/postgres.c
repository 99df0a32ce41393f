/* The PostgreSQL dialect: SQL text, value conversions and the libpq driver.
 * Statements are prepared once per connection under generated names and run
 * with text parameters (binary for bytea); results come back as text and are
 * converted to relate's canonical values here. */
#include "sql/dialect.h"

#include <libpq-fe.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/url.h"
#include "util/arena.h"
#include "util/datetime.h"
#include "util/digits.h"
#include "util/error.h"
#include "util/hex.h"

/* Type OIDs from pg_type.h (stable across versions). */
#define PG_OID_BOOL 16
#define PG_OID_BYTEA 17
#define PG_OID_INT8 20
#define PG_OID_INT2 21
#define PG_OID_INT4 23
#define PG_OID_OID 26
#define PG_OID_FLOAT4 700
#define PG_OID_FLOAT8 701

#define PG_NUM_TEXT 40 /* room for any int64 or double as text */

/* Session settings relate reads results with: UTC timestamps in ISO form. */
static const char pg_session_sql[] =
    "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, MDY'; SET bytea_output = 'hex'; "
    "SET extra_float_digits = 3";

typedef struct pg_conn {
    PGconn *pg;
    unsigned long next_name;
    bool closing;
} pg_conn;

typedef struct pg_stmt {
    pg_conn *c;
    char name[32];
    PGresult *res;
    int row, nrows, ncols;
    int64_t changes;
    rel_arena *row_mem; /* bytea decoded for the current row */
    rel_day_memo day[8]; /* per column (modulo 8): the day of its last date */
} pg_stmt;

#define PG_CONN(c) ((pg_conn *)(void *)(c))
#define PG_STMT(s) ((pg_stmt *)(void *)(s))

/* ------------------------------------------------------ numbers as text */

/* v in decimal (util/digits.h: every integer parameter goes through it,
   and snprintf's setup costs more than the digits). Returns the length. */
static size_t pg_format_int(int64_t v, char out[PG_NUM_TEXT])
{
    char *end = rel_put_int(out, v);
    *end = '\0';
    return (size_t)(end - out);
}

/* The shortest text that reads back as d; "NaN", "Infinity", "-Infinity"
   as PostgreSQL spells them. Independent of the C locale's decimal point. */
static void pg_format_double(double d, char out[PG_NUM_TEXT])
{
    if (isnan(d)) {
        strcpy(out, "NaN");
        return;
    }
    if (isinf(d)) {
        strcpy(out, d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, PG_NUM_TEXT, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            break;
    }
    for (char *p = out; *p; p++)
        if (*p != '-' && *p != '+' && *p != 'e' && (*p < '0' || *p > '9'))
            *p = '.';
}

/* strtod over the whole string, reading '.' whatever the C locale says. */
static bool pg_parse_double(const char *t, double *out)
{
    if (!*t)
        return false;
    char *end = NULL;
    double d = strtod(t, &end);
    if (*end == '.') {
        char tmp[64];
        const char *dp = localeconv()->decimal_point;
        size_t n = strlen(t);
        if (n >= sizeof tmp || !dp || strlen(dp) != 1)
            return false;
        memcpy(tmp, t, n + 1);
        tmp[end - t] = dp[0];
        d = strtod(tmp, &end);
        end = (char *)t + (end - tmp);
    }
    if (*end)
        return false;
    *out = d;
    return true;
}

static bool pg_parse_i64(const char *t, int64_t *out)
{
    /* The server writes integers as -?digits: read those by hand (at most
     * 18 digits cannot overflow; u may wrap past that, and is then not
     * used), anything else as strtoll does. */
    const char *p = t + (*t == '-'), *q = p;
    uint64_t u = 0;
    unsigned c;
    while ((c = (unsigned)(unsigned char)*q - '0') <= 9) {
        u = u * 10 + c;
        q++;
    }
    if (!*q && q > p && q - p <= 18) {
        *out = *t == '-' ? -(int64_t)u : (int64_t)u;
        return true;
    }
    return rel_dialect_parse_i64(t, out);
}

/* ------------------------------------------------------------ SQL text */

static void pg_placeholder(rel_buf *b, int n)
{
    /* Without printf: one per parameter of every statement (its setup cost
       more than the rest of a short statement's text). */
    char t[1 + REL_INT_TEXT_MAX];
    t[0] = '$';
    char *end = rel_put_int(t + 1, n > 0 ? n : 0);
    rel_buf_put(b, t, (size_t)(end - t));
}

static void pg_column_type(rel_buf *b, const rel_attr_def *attr)
{
    const rel_attr *a = &attr->a;
    bool serial = a->auto_increment && attr->role != REL_ROLE_FOREIGN_KEY;
    switch (a->type) {
    case REL_INTEGER: rel_buf_puts(b, serial ? "SERIAL" : "INTEGER"); break;
    case REL_BIGINT: rel_buf_puts(b, serial ? "BIGSERIAL" : "BIGINT"); break;
    case REL_FLOAT: rel_buf_puts(b, "FLOAT"); break;
    case REL_DOUBLE: rel_buf_puts(b, "DOUBLE PRECISION"); break;
    case REL_DECIMAL: rel_dialect_decimal_type(b, a); break;
    case REL_STRING: rel_buf_printf(b, "VARCHAR(%d)", a->length > 0 ? a->length : 255); break;
    case REL_TEXT: rel_buf_puts(b, "TEXT"); break;
    case REL_BOOLEAN: rel_buf_puts(b, "BOOLEAN"); break;
    case REL_DATE: rel_buf_puts(b, "TIMESTAMP WITH TIME ZONE"); break;
    case REL_DATEONLY: rel_buf_puts(b, "DATE"); break;
    case REL_UUID: rel_buf_puts(b, "UUID"); break;
    case REL_BLOB: rel_buf_puts(b, "BYTEA"); break;
    case REL_JSON: rel_buf_puts(b, "JSON"); break;
    case REL_TYPE_NONE: rel_buf_puts(b, "TEXT"); break;
    }
}

/* The element type an array parameter is cast to. */
static const char *pg_array_elem(rel_type t)
{
    switch (t) {
    case REL_INTEGER: return "integer";
    case REL_BIGINT: return "bigint";
    case REL_FLOAT:
    case REL_DOUBLE: return "double precision";
    case REL_DECIMAL: return "numeric";
    case REL_STRING: return "varchar";
    case REL_UUID: return "uuid";
    case REL_BOOLEAN: return "boolean";
    case REL_DATE: return "timestamptz";
    case REL_DATEONLY: return "date";
    case REL_BLOB: return "bytea";
    case REL_TEXT:
    case REL_JSON:
    case REL_TYPE_NONE: return "text";
    }
    return "text";
}

static void pg_in_array(rel_buf *sql, int param_no, rel_type elem_type)
{
    rel_buf_printf(sql, " = ANY($%d::%s[])", param_no, pg_array_elem(elem_type));
}

static void pg_array_position(rel_buf *sql, int param_no, rel_type elem_type)
{
    rel_buf_printf(sql, "array_position($%d::%s[], ", param_no, pg_array_elem(elem_type));
}

/* ------------------------------------------------------------- values */

static rel_value pg_to_db(rel_type type, rel_value v, rel_buf *scratch)
{
    if (type == REL_DATE && v.kind == REL_V_INT) {
        char t[32];
        rel_datetime_iso(v.i, t);
        return rel_dialect_scratch_text(scratch, t);
    }
    if (type == REL_BOOLEAN && (v.kind == REL_V_INT || v.kind == REL_V_DOUBLE)) {
        bool on = v.kind == REL_V_INT ? v.i != 0 : v.d != 0.0;
        return rel_text(on ? "true" : "false");
    }
    return v;
}

/* One quoted array element: "..." with \ and " escaped. */
static void pg_array_quoted(rel_buf *b, const char *s, size_t n)
{
    rel_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            rel_buf_putc(b, '\\');
        rel_buf_putc(b, s[i]);
    }
    rel_buf_putc(b, '"');
}

static bool pg_array_param(rel_buf *b, const rel_value *vals, size_t n, rel_type type)
{
    static const char hex[] = "0123456789abcdef";
    char t[PG_NUM_TEXT];
    rel_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        rel_value v = vals[i];
        if (i)
            rel_buf_putc(b, ',');
        switch (v.kind) {
        case REL_V_NULL:
            rel_buf_puts(b, "NULL");
            break;
        case REL_V_INT:
            if (type == REL_DATE) {
                rel_datetime_iso(v.i, t);
                pg_array_quoted(b, t, strlen(t));
            } else if (type == REL_BOOLEAN) {
                rel_buf_puts(b, v.i ? "true" : "false");
            } else {
                rel_buf_put(b, t, pg_format_int(v.i, t));
            }
            break;
        case REL_V_DOUBLE:
            pg_format_double(v.d, t);
            pg_array_quoted(b, t, strlen(t));
            break;
        case REL_V_TEXT:
            pg_array_quoted(b, v.s ? v.s : "", v.s ? v.len : 0);
            break;
        case REL_V_BLOB:
            /* bytea input "\x6869", its backslash escaped for the array. */
            rel_buf_puts(b, "\"\\\\x");
            for (size_t k = 0; k < v.len; k++) {
                unsigned char c = (unsigned char)v.s[k];
                rel_buf_putc(b, hex[c >> 4]);
                rel_buf_putc(b, hex[c & 15]);
            }
            rel_buf_putc(b, '"');
            break;
        }
    }
    rel_buf_putc(b, '}');
    return !b->oom;
}

/* ------------------------------------------------------------- errors */

static rel_status pg_status(const char *state)
{
    if (!state || strlen(state) != 5)
        return REL_DATABASE;
    if (!strcmp(state, "23505"))
        return REL_UNIQUE;
    if (!strcmp(state, "23502"))
        return REL_NOT_NULL;
    if (!strcmp(state, "23503"))
        return REL_FOREIGN_KEY;
    if (!strncmp(state, "23", 2))
        return REL_CONSTRAINT;
    if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
        !strcmp(state, "57P03"))
        return REL_CONNECTION;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
        return REL_BUSY;
    if (!strcmp(state, "25006"))
        return REL_READONLY;
    if (!strcmp(state, "53200"))
        return REL_NOMEM;
    return REL_DATABASE;
}

/* libpq's multi-line messages on one line, without the trailing newline. */
static void pg_one_line(char *out, size_t cap, const char *msg)
{
    size_t k = 0;
    bool space = false;
    for (const char *p = msg ? msg : ""; *p && k + 1 < cap; p++) {
        if (*p == '\n' || *p == '\t' || *p == '\r') {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < cap)
            out[k++] = ' ';
        space = false;
        out[k++] = *p;
    }
    out[k] = '\0';
}

/* Fills err from a failed result (r may be NULL: then the connection's
   message). */
static rel_status pg_fail(pg_conn *c, const PGresult *r, rel_error *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    char msg[900];
    pg_one_line(msg, sizeof msg,
                primary ? primary
                        : (r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r)
                                                         : PQerrorMessage(c->pg)));
    rel_status st = pg_status(state);
    if (PQstatus(c->pg) == CONNECTION_BAD) {
        st = REL_CONNECTION;
    } else if (st == REL_CONNECTION && state && !strcmp(state, "08P01")) {
        /* A protocol violation the server survived: a wrong number of
           parameters. The connection is fine. */
        st = REL_INVALID;
    } else if (state && !strcmp(state, "42601") &&
               !strncmp(msg, "cannot insert multiple commands", 31)) {
        return rel_err_engine(err, REL_INVALID, state,
                              "more than one SQL statement given: relate runs one at a time");
    }
    if (detail) {
        char d[400];
        pg_one_line(d, sizeof d, detail);
        return rel_err_engine(err, st, state ? state : "", "%s (%s)", msg, d);
    }
    return rel_err_engine(err, st, state ? state : "", "%s", msg);
}

/* ------------------------------------------------------------- driver */

static void pg_quiet(void *arg, const char *message)
{
    (void)arg; /* notices and warnings are not errors; a library never prints */
    (void)message;
}

static rel_status pg_exec_simple(rel_conn *conn, const char *sql, rel_error *err)
{
    pg_conn *c = PG_CONN(conn);
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType t = PQresultStatus(r);
    rel_status st = REL_OK;
    if (!r)
        st = pg_fail(c, NULL, err);
    else if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY)
        st = pg_fail(c, r, err);
    PQclear(r);
    return st;
}

static rel_status pg_connect(const char *url, rel_conn **out, rel_error *err)
{
    *out = NULL;
    rel_pg_conninfo ci;
    rel_status st = rel_url_pg_parse(url, &ci, err);
    if (st != REL_OK)
        return st;
    pg_conn *c = calloc(1, sizeof *c);
    if (!c) {
        rel_pg_conninfo_free(&ci);
        return rel_err_nomem(err);
    }
    c->pg = PQconnectdbParams(ci.keys, ci.vals, 0);
    rel_pg_conninfo_free(&ci);
    if (!c->pg) {
        st = rel_err_nomem(err);
        goto fail;
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char msg[700];
        rel_buf where = {0};
        pg_one_line(msg, sizeof msg, PQerrorMessage(c->pg));
        rel_url_redact(&where, url);
        st = rel_err(err, REL_CONNECTION, "cannot connect to %s: %s",
                     where.oom ? "the PostgreSQL server" : rel_buf_cstr(&where), msg);
        rel_buf_free(&where);
        goto fail;
    }
    PQsetNoticeProcessor(c->pg, pg_quiet, NULL);
    st = pg_exec_simple((rel_conn *)(void *)c, pg_session_sql, err);
    if (st != REL_OK)
        goto fail;
    *out = (rel_conn *)(void *)c;
    return REL_OK;

fail:
    PQfinish(c->pg);
    free(c);
    return st;
}

static void pg_disconnect(rel_conn *conn)
{
    if (!conn)
        return;
    PQfinish(PG_CONN(conn)->pg);
    free(conn);
}

static void pg_closing(rel_conn *conn)
{
    PG_CONN(conn)->closing = true;
}

static bool pg_broken(rel_conn *conn)
{
    return PQstatus(PG_CONN(conn)->pg) == CONNECTION_BAD;
}

static rel_tx_state pg_tx_state(rel_conn *conn)
{
    switch (PQtransactionStatus(PG_CONN(conn)->pg)) {
    case PQTRANS_INTRANS:
    case PQTRANS_ACTIVE: return REL_TX_ACTIVE;
    case PQTRANS_INERROR: return REL_TX_ABORTED;
    default: return REL_TX_NONE;
    }
}

static rel_status pg_prepare(rel_conn *conn, const char *sql, rel_dstmt **out, rel_error *err)
{
    pg_conn *c = PG_CONN(conn);
    *out = NULL;
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return rel_err_nomem(err);
    s->c = c;
    snprintf(s->name, sizeof s->name, "relate_%lu", ++c->next_name);
    PGresult *r = PQprepare(c->pg, s->name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rel_status st = pg_fail(c, r, err);
        PQclear(r);
        free(s);
        return st;
    }
    PQclear(r);
    *out = (rel_dstmt *)(void *)s;
    return REL_OK;
}

static void pg_clear(pg_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    rel_arena_free(s->row_mem);
    s->row_mem = NULL;
    s->row = -1;
    s->nrows = 0;
    s->ncols = 0;
}

static rel_status pg_execute(rel_dstmt *ds, const rel_value *params, size_t n, bool held,
                             rel_error *err)
{
    (void)held; /* libpq copies every parameter into its message anyway */
    pg_stmt *s = PG_STMT(ds);
    pg_clear(s);
    s->changes = 0;
    if (n > INT_MAX / 2)
        return rel_err(err, REL_INVALID, "too many parameters (%zu)", n);

    /* One block: value pointers, lengths, formats, and text for numbers. */
    size_t each = sizeof(char *) + 2 * sizeof(int) + PG_NUM_TEXT;
    char *mem = n ? malloc(n * each) : NULL;
    if (n && !mem)
        return rel_err_nomem(err);
    const char **vals = NULL;
    int *lens = NULL, *fmts = NULL;
    char *nums = NULL;
    if (n) {
        vals = (const char **)(void *)mem;
        lens = (int *)(void *)(mem + n * sizeof(char *));
        fmts = lens + n;
        nums = (char *)(fmts + n);
    }
    bool any_binary = false;
    for (size_t i = 0; i < n; i++) {
        rel_value v = params[i];
        char *num = nums + i * PG_NUM_TEXT;
        lens[i] = 0;
        fmts[i] = 0;
        switch (v.kind) {
        case REL_V_NULL:
            vals[i] = NULL;
            break;
        case REL_V_INT:
            pg_format_int(v.i, num);
            vals[i] = num;
            break;
        case REL_V_DOUBLE:
            pg_format_double(v.d, num);
            vals[i] = num;
            break;
        case REL_V_TEXT:
            vals[i] = v.s; /* NULL text is SQL NULL */
            break;
        case REL_V_BLOB:
            if (v.len > INT_MAX) {
                free(mem);
                return rel_err(err, REL_INVALID, "a blob of %zu bytes is too large", v.len);
            }
            vals[i] = v.s ? v.s : "";
            lens[i] = (int)v.len;
            fmts[i] = 1; /* binary: the bytes as they are */
            any_binary = true;
            break;
        }
    }
    pg_conn *c = s->c;
    /* Without bytes, every parameter is text: libpq then sends one format
       code for all and measures each value itself. */
    PGresult *r = PQexecPrepared(c->pg, s->name, (int)n, vals, any_binary ? lens : NULL,
                                 any_binary ? fmts : NULL, 0);
    free(mem);
    ExecStatusType t = PQresultStatus(r);
    if (!r || (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK && t != PGRES_EMPTY_QUERY)) {
        rel_status st = pg_fail(c, r, err);
        PQclear(r);
        return st;
    }
    s->res = r;
    s->nrows = t == PGRES_TUPLES_OK ? PQntuples(r) : 0;
    s->ncols = t == PGRES_TUPLES_OK ? PQnfields(r) : 0;
    const char *tag = PQcmdStatus(r);
    const char *tuples = PQcmdTuples(r);
    if (tag && strncmp(tag, "SELECT", 6) != 0 && tuples && *tuples)
        s->changes = strtoll(tuples, NULL, 10);
    return REL_OK;
}

static int pg_step(rel_dstmt *ds, rel_error *err)
{
    (void)err;
    pg_stmt *s = PG_STMT(ds);
    rel_arena_free(s->row_mem);
    s->row_mem = NULL;
    if (!s->res || s->row + 1 >= s->nrows) {
        s->row = s->nrows;
        return REL_STEP_DONE;
    }
    s->row++;
    return REL_STEP_ROW;
}

static int pg_column_count(rel_dstmt *ds)
{
    pg_stmt *s = PG_STMT(ds);
    return s->res ? PQnfields(s->res) : 0;
}

/* bytea text ("\x6869", or the old escape form) -> bytes in the row's memory. */
static rel_status pg_bytea(pg_stmt *s, const char *t, size_t n, rel_value *out)
{
    if (!s->row_mem && !(s->row_mem = rel_arena_new(0)))
        return REL_NOMEM;
    if (n >= 2 && t[0] == '\\' && t[1] == 'x') {
        size_t len = (n - 2) / 2;
        char *p = rel_arena_alloc(s->row_mem, len + 1);
        if (!p)
            return REL_NOMEM;
        for (size_t i = 0; i < len; i++) {
            int hi = rel_hex_digit_value(t[2 + 2 * i]), lo = rel_hex_digit_value(t[3 + 2 * i]);
            if (hi < 0 || lo < 0)
                return REL_DATABASE;
            p[i] = (char)(hi * 16 + lo);
        }
        p[len] = '\0';
        out->kind = REL_V_BLOB;
        out->s = p;
        out->len = len;
        return REL_OK;
    }
    size_t len = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)t, &len);
    if (!raw)
        return REL_NOMEM;
    char *p = rel_arena_memdup(s->row_mem, raw, len);
    PQfreemem(raw);
    if (!p)
        return REL_NOMEM;
    out->kind = REL_V_BLOB;
    out->s = p;
    out->len = len;
    return REL_OK;
}

/* Column col of the current row (both in range) as the canonical value of
 * type (see dialect.h); sets only the members of out its kind uses. */
static rel_status pg_read(pg_stmt *s, int col, rel_type type, rel_value *out)
{
    const char *t = PQgetvalue(s->res, s->row, col);
    /* Only an empty value can be NULL. */
    if (!*t && PQgetisnull(s->res, s->row, col)) {
        out->kind = REL_V_NULL;
        return REL_OK;
    }
    /* The column's type matters only when the caller gives none, or for bytes. */
    Oid oid = type == REL_TYPE_NONE || type == REL_BLOB ? PQftype(s->res, col) : 0;

    if (type == REL_TYPE_NONE) {
        switch (oid) {
        case PG_OID_INT2:
        case PG_OID_INT4:
        case PG_OID_INT8:
        case PG_OID_OID:
            type = REL_BIGINT;
            break;
        case PG_OID_FLOAT4:
        case PG_OID_FLOAT8:
            type = REL_DOUBLE;
            break;
        case PG_OID_BOOL:
            type = REL_BOOLEAN;
            break;
        case PG_OID_BYTEA:
            type = REL_BLOB;
            break;
        default:
            type = REL_TEXT;
        }
    }
    switch (type) {
    case REL_INTEGER:
    case REL_BIGINT:
        if (!pg_parse_i64(t, &out->i))
            return REL_DATABASE;
        out->kind = REL_V_INT;
        return REL_OK;
    case REL_FLOAT:
    case REL_DOUBLE:
        if (!pg_parse_double(t, &out->d))
            return REL_DATABASE;
        out->kind = REL_V_DOUBLE;
        return REL_OK;
    case REL_BOOLEAN:
        if (!strcmp(t, "t") || !strcmp(t, "true") || !strcmp(t, "1"))
            out->i = 1;
        else if (!strcmp(t, "f") || !strcmp(t, "false") || !strcmp(t, "0"))
            out->i = 0;
        else
            return REL_DATABASE;
        out->kind = REL_V_INT;
        return REL_OK;
    case REL_DATE: {
        int64_t ms;
        if (!rel_datetime_parse(t, (size_t)PQgetlength(s->res, s->row, col), &ms))
            return REL_DATABASE;
        out->kind = REL_V_INT;
        out->i = ms;
        return REL_OK;
    }
    case REL_BLOB:
        if (oid == PG_OID_BYTEA)
            return pg_bytea(s, t, (size_t)PQgetlength(s->res, s->row, col), out);
        out->kind = REL_V_BLOB;
        out->s = t;
        out->len = (size_t)PQgetlength(s->res, s->row, col);
        return REL_OK;
    case REL_TYPE_NONE:
    case REL_DECIMAL:
    case REL_STRING:
    case REL_TEXT:
    case REL_UUID:
    case REL_DATEONLY:
    case REL_JSON:
        break;
    }
    out->kind = REL_V_TEXT;
    out->s = t;
    out->len = (size_t)PQgetlength(s->res, s->row, col);
    return REL_OK;
}

static rel_status pg_column(rel_dstmt *ds, int col, rel_type type, rel_value *out,
                            rel_buf *scratch)
{
    (void)scratch;
    pg_stmt *s = PG_STMT(ds);
    *out = rel_null();
    if (!s->res || s->row < 0 || s->row >= s->nrows || col < 0 || col >= s->ncols)
        return REL_MISUSE;
    return pg_read(s, col, type, out);
}

static rel_status pg_columns(rel_dstmt *ds, int first, size_t n, const rel_type *types,
                             rel_value *out, size_t *failed, rel_buf *scratch)
{
    (void)scratch;
    pg_stmt *s = PG_STMT(ds);
    if (!s->res || s->row < 0 || s->row >= s->nrows || first < 0 || first > s->ncols ||
        (size_t)(s->ncols - first) < n) {
        *failed = 0;
        return REL_MISUSE;
    }
    /* What a model's own columns hold (NULL, integers, dates, text) is read
     * here in line; the rest by pg_read, the same rules. Results are text,
     * where PQgetlength is strlen (libpq's documentation). */
    for (size_t k = 0; k < n; k++) {
        int col = first + (int)k;
        rel_type type = types[k];
        rel_value *o = &out[k];
        const char *t = PQgetvalue(s->res, s->row, col);
        if (!*t) {
            if (PQgetisnull(s->res, s->row, col)) {
                o->kind = REL_V_NULL;
                continue;
            }
        } else if (type == REL_INTEGER || type == REL_BIGINT) {
            if (pg_parse_i64(t, &o->i)) {
                o->kind = REL_V_INT;
                continue;
            }
        } else if (type == REL_DATE) {
            if (rel_datetime_parse_memo(t, strlen(t), &o->i, &s->day[col & 7])) {
                o->kind = REL_V_INT;
                continue;
            }
        } else if (rel_dialect_text_type(type) || type == REL_DECIMAL) {
            o->kind = REL_V_TEXT;
            o->s = t;
            o->len = strlen(t);
            continue;
        }
        rel_status st = pg_read(s, col, type, o);
        if (st != REL_OK) {
            *failed = k;
            return st;
        }
    }
    return REL_OK;
}

static int64_t pg_changes(rel_dstmt *ds)
{
    return PG_STMT(ds)->changes;
}

static int64_t pg_last_insert_id(rel_dstmt *ds)
{
    (void)ds;
    return 0;
}

static bool pg_consecutive_keys(rel_conn *conn, const char *table, const char *column)
{
    (void)conn; /* sequences are shared: RETURNING reads the keys */
    (void)table;
    (void)column;
    return false;
}

static void pg_reset(rel_dstmt *ds)
{
    pg_clear(PG_STMT(ds));
}

static void pg_finalize(rel_dstmt *ds)
{
    if (!ds)
        return;
    pg_stmt *s = PG_STMT(ds);
    pg_clear(s);
    PGconn *pg = s->c->pg;
    PGTransactionStatusType ts = PQtransactionStatus(pg);
    /* Free the server's copy, unless the connection is going away anyway or
       an aborted transaction would refuse (the name is never reused). */
    if (!s->c->closing && PQstatus(pg) == CONNECTION_OK &&
        (ts == PQTRANS_IDLE || ts == PQTRANS_INTRANS)) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE \"%s\"", s->name);
        PQclear(PQexec(pg, sql));
    }
    free(s);
}

const rel_dialect rel_dialect_postgres = {
    .name = "postgres",
    .quote_ident = rel_dialect_quote_ident,
    .placeholder = pg_placeholder,
    .column_type = pg_column_type,
    .serial_pk = "SERIAL",
    .serial_pk_is_key = false,
    .in_array = pg_in_array,
    .array_position = pg_array_position,
    .array_param = pg_array_param,
    .to_db = pg_to_db,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .closing = pg_closing,
    .exec_simple = pg_exec_simple,
    .prepare = pg_prepare,
    .execute = pg_execute,
    .step = pg_step,
    .column_count = pg_column_count,
    .column = pg_column,
    .columns = pg_columns,
    .changes = pg_changes,
    .last_insert_id = pg_last_insert_id,
    .consecutive_keys = pg_consecutive_keys,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .broken = pg_broken,
    .tx_state = pg_tx_state,
};
