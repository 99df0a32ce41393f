/* Unit tests for the dialects' SQL text and value conversions (src/sql/sqlite.c,
 * src/sql/postgres.c, src/sql/dialect.c), the statement builder (src/sql/sql.c)
 * with a remembered text (src/db/sql_memo.c) and connection URLs (src/db/url.c).
 * No database is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sql_memo.h"
#include "db/url.h"
#include "sql/dialect.h"
#include "sql/sql.h"

#define SQ (&rel_dialect_sqlite)
#define PG (&rel_dialect_postgres)

/* 2026-01-02T03:04:05.678Z */
#define T_MS INT64_C(1767323045678)

static char *quoted(const rel_dialect *d, const char *ident)
{
    static char out[256];
    rel_buf b = {0};
    d->quote_ident(&b, ident);
    snprintf(out, sizeof out, "%s", rel_buf_cstr(&b));
    rel_buf_free(&b);
    return out;
}

static void dialect_by_name(void **state)
{
    (void)state;
    assert_ptr_equal(rel_dialect_by_name("sqlite"), SQ);
    assert_ptr_equal(rel_dialect_by_name("postgres"), PG);
    assert_ptr_equal(rel_dialect_by_name("postgresql"), PG);
    assert_null(rel_dialect_by_name("mysql"));
    assert_null(rel_dialect_by_name(NULL));
    assert_string_equal(SQ->name, "sqlite");
    assert_string_equal(PG->name, "postgres");
}

static void quoting(void **state)
{
    (void)state;
    const rel_dialect *ds[] = {SQ, PG};
    for (int i = 0; i < 2; i++) {
        assert_string_equal(quoted(ds[i], "name"), "\"name\"");
        assert_string_equal(quoted(ds[i], "a\"b"), "\"a\"\"b\"");
        assert_string_equal(quoted(ds[i], "\"\""), "\"\"\"\"\"\"");
        assert_string_equal(quoted(ds[i], ""), "\"\"");
        assert_string_equal(quoted(ds[i], "Zoë's table"), "\"Zoë's table\"");
    }
}

static void placeholders(void **state)
{
    (void)state;
    rel_buf b = {0};
    SQ->placeholder(&b, 1);
    SQ->placeholder(&b, 12);
    assert_string_equal(rel_buf_cstr(&b), "??");
    rel_buf_reset(&b);
    PG->placeholder(&b, 1);
    rel_buf_putc(&b, ',');
    PG->placeholder(&b, 12);
    assert_string_equal(rel_buf_cstr(&b), "$1,$12");
    rel_buf_free(&b);
}

static const char *ctype(const rel_dialect *d, rel_type t, int length, int scale, bool autoinc,
                         rel_attr_role role)
{
    static char out[128];
    rel_attr_def def;
    memset(&def, 0, sizeof def);
    def.a.name = "x";
    def.a.type = t;
    def.a.length = length;
    def.a.scale = scale;
    def.a.auto_increment = autoinc;
    def.role = role;
    rel_buf b = {0};
    d->column_type(&b, &def);
    snprintf(out, sizeof out, "%s", rel_buf_cstr(&b));
    rel_buf_free(&b);
    return out;
}

#define CT(d, t) ctype(d, t, 0, 0, false, REL_ROLE_PLAIN)

static void column_types(void **state)
{
    (void)state;
    /* The SEMANTICS.md table, both columns. */
    assert_string_equal(CT(PG, REL_INTEGER), "INTEGER");
    assert_string_equal(CT(SQ, REL_INTEGER), "INTEGER");
    assert_string_equal(CT(PG, REL_BIGINT), "BIGINT");
    assert_string_equal(CT(SQ, REL_BIGINT), "BIGINT");
    assert_string_equal(CT(PG, REL_FLOAT), "FLOAT");
    assert_string_equal(CT(SQ, REL_FLOAT), "FLOAT");
    assert_string_equal(CT(PG, REL_DOUBLE), "DOUBLE PRECISION");
    assert_string_equal(CT(SQ, REL_DOUBLE), "DOUBLE PRECISION");
    assert_string_equal(ctype(PG, REL_DECIMAL, 10, 2, false, 0), "DECIMAL(10,2)");
    assert_string_equal(ctype(SQ, REL_DECIMAL, 10, 2, false, 0), "DECIMAL(10,2)");
    assert_string_equal(ctype(SQ, REL_DECIMAL, 10, 0, false, 0), "DECIMAL(10)");
    assert_string_equal(CT(PG, REL_DECIMAL), "DECIMAL");
    assert_string_equal(CT(SQ, REL_DECIMAL), "DECIMAL");
    assert_string_equal(CT(PG, REL_STRING), "VARCHAR(255)");
    assert_string_equal(CT(SQ, REL_STRING), "VARCHAR(255)");
    assert_string_equal(ctype(PG, REL_STRING, 100, 0, false, 0), "VARCHAR(100)");
    assert_string_equal(ctype(SQ, REL_STRING, 100, 0, false, 0), "VARCHAR(100)");
    assert_string_equal(CT(PG, REL_TEXT), "TEXT");
    assert_string_equal(CT(SQ, REL_TEXT), "TEXT");
    assert_string_equal(CT(PG, REL_BOOLEAN), "BOOLEAN");
    assert_string_equal(CT(SQ, REL_BOOLEAN), "TINYINT(1)");
    assert_string_equal(CT(PG, REL_DATE), "TIMESTAMP WITH TIME ZONE");
    assert_string_equal(CT(SQ, REL_DATE), "DATETIME");
    assert_string_equal(CT(PG, REL_DATEONLY), "DATE");
    assert_string_equal(CT(SQ, REL_DATEONLY), "DATE");
    assert_string_equal(CT(PG, REL_UUID), "UUID");
    assert_string_equal(CT(SQ, REL_UUID), "UUID");
    assert_string_equal(CT(PG, REL_BLOB), "BYTEA");
    assert_string_equal(CT(SQ, REL_BLOB), "BLOB");
    assert_string_equal(CT(PG, REL_JSON), "JSON");
    assert_string_equal(CT(SQ, REL_JSON), "JSON");
    /* Auto-increment: SERIAL on PostgreSQL, never for a foreign key. */
    assert_string_equal(ctype(PG, REL_INTEGER, 0, 0, true, REL_ROLE_PLAIN), "SERIAL");
    assert_string_equal(ctype(PG, REL_BIGINT, 0, 0, true, REL_ROLE_PLAIN), "BIGSERIAL");
    assert_string_equal(ctype(PG, REL_INTEGER, 0, 0, true, REL_ROLE_FOREIGN_KEY), "INTEGER");
    assert_string_equal(ctype(SQ, REL_INTEGER, 0, 0, true, REL_ROLE_PLAIN), "INTEGER");
    /* The generated id, as Sequelize 6 writes it. */
    assert_string_equal(SQ->serial_pk, "INTEGER PRIMARY KEY AUTOINCREMENT");
    assert_true(SQ->serial_pk_is_key);
    assert_string_equal(PG->serial_pk, "SERIAL");
    assert_false(PG->serial_pk_is_key);
}

static void to_db_sqlite(void **state)
{
    (void)state;
    rel_buf scratch = {0};
    rel_value v = SQ->to_db(REL_DATE, rel_int(T_MS), &scratch);
    assert_int_equal(v.kind, REL_V_TEXT);
    assert_string_equal(v.s, "2026-01-02 03:04:05.678 +00:00");
    assert_int_equal(v.len, strlen("2026-01-02 03:04:05.678 +00:00"));
    v = SQ->to_db(REL_DATE, rel_int(0), &scratch);
    assert_string_equal(v.s, "1970-01-01 00:00:00.000 +00:00");
    v = SQ->to_db(REL_BOOLEAN, rel_int(1), &scratch);
    assert_int_equal(v.kind, REL_V_INT);
    assert_int_equal(v.i, 1);
    v = SQ->to_db(REL_BOOLEAN, rel_int(7), &scratch);
    assert_int_equal(v.i, 1);
    v = SQ->to_db(REL_BOOLEAN, rel_int(0), &scratch);
    assert_int_equal(v.kind, REL_V_INT);
    assert_int_equal(v.i, 0);
    /* Everything else is bound as it is. */
    v = SQ->to_db(REL_BIGINT, rel_int(INT64_MAX), &scratch);
    assert_int_equal(v.kind, REL_V_INT);
    assert_true(v.i == INT64_MAX);
    v = SQ->to_db(REL_STRING, rel_text("it's"), &scratch);
    assert_string_equal(v.s, "it's");
    rel_value d = {REL_V_DOUBLE, 0, 10.5, NULL, 0};
    v = SQ->to_db(REL_DECIMAL, d, &scratch);
    assert_int_equal(v.kind, REL_V_DOUBLE);
    assert_true(v.d == 10.5);
    v = SQ->to_db(REL_DATE, rel_null(), &scratch);
    assert_int_equal(v.kind, REL_V_NULL);
    rel_buf_free(&scratch);
}

static void to_db_postgres(void **state)
{
    (void)state;
    rel_buf scratch = {0};
    rel_value v = PG->to_db(REL_DATE, rel_int(T_MS), &scratch);
    assert_int_equal(v.kind, REL_V_TEXT);
    assert_string_equal(v.s, "2026-01-02T03:04:05.678Z");
    v = PG->to_db(REL_BOOLEAN, rel_int(1), &scratch);
    assert_int_equal(v.kind, REL_V_TEXT);
    assert_string_equal(v.s, "true");
    v = PG->to_db(REL_BOOLEAN, rel_int(0), &scratch);
    assert_string_equal(v.s, "false");
    v = PG->to_db(REL_DECIMAL, rel_text("10.50"), &scratch);
    assert_string_equal(v.s, "10.50");
    v = PG->to_db(REL_INTEGER, rel_int(-42), &scratch);
    assert_int_equal(v.kind, REL_V_INT);
    assert_int_equal(v.i, -42);
    rel_value blob = {REL_V_BLOB, 0, 0, "h\0i", 3};
    v = PG->to_db(REL_BLOB, blob, &scratch);
    assert_int_equal(v.kind, REL_V_BLOB);
    assert_int_equal(v.len, 3);
    rel_buf_free(&scratch);
}

static const char *array_text(const rel_dialect *d, const rel_value *vals, size_t n, rel_type t)
{
    static char out[512];
    rel_buf b = {0};
    bool ok = d->array_param(&b, vals, n, t);
    snprintf(out, sizeof out, "%s", ok ? rel_buf_cstr(&b) : "(refused)");
    rel_buf_free(&b);
    return out;
}

static void array_params(void **state)
{
    (void)state;
    rel_value ints[] = {rel_int(1), rel_int(-2), rel_int(INT64_MAX)};
    assert_string_equal(array_text(SQ, ints, 3, REL_INTEGER), "[1,-2,9223372036854775807]");
    assert_string_equal(array_text(PG, ints, 3, REL_BIGINT), "{1,-2,9223372036854775807}");
    rel_value edges[] = {rel_int(INT64_MIN), rel_int(0), rel_int(-10), rel_int(10)};
    assert_string_equal(array_text(PG, edges, 4, REL_BIGINT),
                        "{-9223372036854775808,0,-10,10}");
    assert_string_equal(array_text(SQ, ints, 0, REL_INTEGER), "[]");
    assert_string_equal(array_text(PG, ints, 0, REL_INTEGER), "{}");

    rel_value texts[] = {rel_text("a"), rel_text("b\"c"), rel_text("back\\slash"),
                         rel_text("x,y}{"), rel_text("NULL"), rel_text(""), rel_null()};
    assert_string_equal(array_text(SQ, texts, 7, REL_STRING),
                        "[\"a\",\"b\\\"c\",\"back\\\\slash\",\"x,y}{\",\"NULL\",\"\",null]");
    assert_string_equal(array_text(PG, texts, 7, REL_STRING),
                        "{\"a\",\"b\\\"c\",\"back\\\\slash\",\"x,y}{\",\"NULL\",\"\",NULL}");

    rel_value uni[] = {rel_text("Zoë 日本")};
    assert_string_equal(array_text(SQ, uni, 1, REL_TEXT), "[\"Zoë 日本\"]");
    assert_string_equal(array_text(PG, uni, 1, REL_TEXT), "{\"Zoë 日本\"}");

    rel_value dates[] = {rel_int(T_MS)};
    assert_string_equal(array_text(SQ, dates, 1, REL_DATE), "[\"2026-01-02 03:04:05.678 +00:00\"]");
    assert_string_equal(array_text(PG, dates, 1, REL_DATE), "{\"2026-01-02T03:04:05.678Z\"}");

    rel_value bools[] = {rel_int(1), rel_int(0)};
    assert_string_equal(array_text(SQ, bools, 2, REL_BOOLEAN), "[1,0]");
    assert_string_equal(array_text(PG, bools, 2, REL_BOOLEAN), "{true,false}");

    rel_value dbl[] = {{REL_V_DOUBLE, 0, 0.1, NULL, 0}, {REL_V_DOUBLE, 0, 1.5, NULL, 0}};
    assert_string_equal(array_text(SQ, dbl, 2, REL_DOUBLE), "[0.1,1.5]");
    assert_string_equal(array_text(PG, dbl, 2, REL_DOUBLE), "{\"0.1\",\"1.5\"}");

    rel_value blob[] = {{REL_V_BLOB, 0, 0, "hi", 2}};
    assert_string_equal(array_text(PG, blob, 1, REL_BLOB), "{\"\\\\x6869\"}");
    assert_string_equal(array_text(SQ, blob, 1, REL_BLOB), "(refused)");
}

static const char *in_text(const rel_dialect *d, int n, rel_type t)
{
    static char out[128];
    rel_buf b = {0};
    d->in_array(&b, n, t);
    snprintf(out, sizeof out, "%s", rel_buf_cstr(&b));
    rel_buf_free(&b);
    return out;
}

static void in_arrays(void **state)
{
    (void)state;
    assert_string_equal(in_text(SQ, 3, REL_INTEGER), " IN (SELECT value FROM json_each(?))");
    assert_string_equal(in_text(PG, 3, REL_INTEGER), " = ANY($3::integer[])");
    assert_string_equal(in_text(PG, 1, REL_BIGINT), " = ANY($1::bigint[])");
    assert_string_equal(in_text(PG, 1, REL_TEXT), " = ANY($1::text[])");
    assert_string_equal(in_text(PG, 1, REL_STRING), " = ANY($1::varchar[])");
    assert_string_equal(in_text(PG, 1, REL_UUID), " = ANY($1::uuid[])");
    assert_string_equal(in_text(PG, 1, REL_DECIMAL), " = ANY($1::numeric[])");
    assert_string_equal(in_text(PG, 1, REL_DATE), " = ANY($1::timestamptz[])");
    assert_string_equal(in_text(PG, 1, REL_DATEONLY), " = ANY($1::date[])");
    assert_string_equal(in_text(PG, 1, REL_BOOLEAN), " = ANY($1::boolean[])");
    assert_string_equal(in_text(PG, 1, REL_DOUBLE), " = ANY($1::double precision[])");
    assert_string_equal(in_text(PG, 1, REL_FLOAT), " = ANY($1::double precision[])");
}

static void builder(void **state)
{
    (void)state;
    const rel_dialect *ds[] = {SQ, PG};
    const char *want[] = {
        "SELECT \"t\".\"a\" FROM \"t\" WHERE \"when\" = ? AND \"ok\" = ? AND \"id\""
        " IN (SELECT value FROM json_each(?))",
        "SELECT \"t\".\"a\" FROM \"t\" WHERE \"when\" = $1 AND \"ok\" = $2 AND \"id\""
        " = ANY($3::integer[])"};
    for (int k = 0; k < 2; k++) {
        rel_value ids[] = {rel_int(1), rel_int(2), rel_int(3)};
        char texts[2][256];
        for (size_t n = 1; n <= 3; n += 2) {
            rel_sql q;
            rel_sql_init(&q, ds[k]);
            rel_sql_raw(&q, "SELECT ");
            rel_sql_column(&q, "t", "a");
            rel_sql_raw(&q, " FROM ");
            rel_sql_ident(&q, "t");
            rel_sql_raw(&q, " WHERE ");
            rel_sql_column(&q, NULL, "when");
            rel_sql_raw(&q, " = ");
            rel_sql_param(&q, REL_DATE, rel_int(T_MS));
            rel_sql_raw(&q, " AND ");
            rel_sql_column(&q, NULL, "ok");
            rel_sql_raw(&q, " = ");
            rel_sql_param(&q, REL_BOOLEAN, rel_int(1));
            rel_sql_raw(&q, " AND ");
            rel_sql_column(&q, NULL, "id");
            rel_sql_in_values(&q, REL_INTEGER, ids, n);
            assert_false(q.oom);
            assert_int_equal(q.n, 3);
            snprintf(texts[n == 1 ? 0 : 1], sizeof texts[0], "%s", rel_sql_text(&q));
            /* The date text made for param 1 survived the later params. */
            assert_int_equal(q.params[0].kind, REL_V_TEXT);
            assert_string_equal(q.params[0].s, k == 0 ? "2026-01-02 03:04:05.678 +00:00"
                                                      : "2026-01-02T03:04:05.678Z");
            if (k == 0) {
                assert_int_equal(q.params[1].kind, REL_V_INT);
                assert_string_equal(q.params[2].s, n == 1 ? "[1]" : "[1,2,3]");
            } else {
                assert_string_equal(q.params[1].s, "true");
                assert_string_equal(q.params[2].s, n == 1 ? "{1}" : "{1,2,3}");
            }
            rel_sql_reset(&q);
            assert_string_equal(rel_sql_text(&q), "");
            assert_int_equal(q.n, 0);
            rel_sql_free(&q);
        }
        /* Same text whatever the number of values. */
        assert_string_equal(texts[0], texts[1]);
        assert_string_equal(texts[0], want[k]);
    }
}

static void builder_many_params(void **state)
{
    (void)state;
    rel_sql q;
    rel_sql_init(&q, PG);
    for (int i = 0; i < 100; i++) {
        if (i)
            rel_sql_raw(&q, ",");
        rel_sql_param(&q, REL_DATE, rel_int(T_MS + i));
    }
    assert_int_equal(q.n, 100);
    assert_string_equal(q.params[0].s, "2026-01-02T03:04:05.678Z");
    assert_string_equal(q.params[99].s, "2026-01-02T03:04:05.777Z");
    assert_non_null(strstr(rel_sql_text(&q), "$1,$2,"));
    assert_non_null(strstr(rel_sql_text(&q), ",$9,$10,"));
    assert_non_null(strstr(rel_sql_text(&q), ",$100"));
    rel_sql_free(&q);
    rel_sql_free(NULL);
}

/* The statement of builder_fixed_text: every writer that honours a fixed text. */
static void build_some(rel_sql *q, int64_t id, const rel_value *ids, size_t n)
{
    rel_sql_raw(q, "SELECT ");
    rel_sql_column(q, "t", "a");
    rel_sql_raw(q, " FROM ");
    rel_sql_ident(q, "t");
    rel_sql_raw(q, " WHERE ");
    rel_sql_column(q, "t", "id");
    rel_sql_raw(q, " = ");
    rel_sql_param(q, REL_INTEGER, rel_int(id));
    rel_sql_raw(q, " AND ");
    rel_sql_column(q, "t", "id");
    rel_sql_in_values(q, REL_INTEGER, ids, n);
    rel_sql_raw(q, " ORDER BY ");
    rel_sql_array_position(q, REL_INTEGER, ids, n, "t", "id");
}

/* A text remembered by the connection: the same calls then bind the
 * parameters only, and the statement's text is the remembered one. */
static void builder_fixed_text(void **state)
{
    (void)state;
    rel_db db = {0};
    static const char site = 0, other = 0;
    const char *want = "SELECT \"t\".\"a\" FROM \"t\" WHERE \"t\".\"id\" = $1 AND \"t\".\"id\""
                       " = ANY($2::integer[]) ORDER BY array_position($3::integer[], "
                       "\"t\".\"id\")";
    rel_value ids[] = {rel_int(7), rel_int(8)};
    rel_sql q;
    rel_sql_init(&q, PG);
    build_some(&q, 5, ids, 1);
    assert_string_equal(rel_sql_text(&q), want);
    assert_null(rel_sql_memo_get(&db, &db, &site, 1));
    assert_true(rel_sql_memo_put(&db, &db, &site, 1, rel_sql_text(&q)));
    rel_sql_reset(&q);

    const char *text = rel_sql_memo_get(&db, &db, &site, 1);
    assert_non_null(text);
    assert_string_equal(text, want);
    assert_null(rel_sql_memo_get(&db, &db, &site, 0));
    assert_null(rel_sql_memo_get(&db, &db, &other, 1));
    assert_null(rel_sql_memo_get(&db, &site, &site, 1));
    rel_sql_use_text(&q, text);
    build_some(&q, 6, ids, 2);
    assert_ptr_equal(rel_sql_text(&q), text);
    assert_int_equal(q.text.len, 0);
    assert_int_equal(q.n, 3);
    assert_int_equal(q.params[0].i, 6);
    assert_string_equal(q.params[1].s, "{7,8}");
    assert_string_equal(q.params[2].s, "{7,8}");
    /* A reset forgets the fixed text. */
    rel_sql_reset(&q);
    build_some(&q, 5, ids, 1);
    assert_string_equal(rel_sql_text(&q), want);
    assert_ptr_not_equal(rel_sql_text(&q), text);
    rel_sql_free(&q);

    for (unsigned v = 0; v < 300; v++) /* chains in one bucket and across */
        assert_true(rel_sql_memo_put(&db, &db, &other, v, v % 2 ? "odd" : "even"));
    assert_string_equal(rel_sql_memo_get(&db, &db, &other, 299), "odd");
    assert_string_equal(rel_sql_memo_get(&db, &db, &other, 0), "even");
    assert_string_equal(rel_sql_memo_get(&db, &db, &site, 1), want);
    rel_sql_memo_free(&db);
    assert_null(db.memo);
    assert_null(rel_sql_memo_get(&db, &db, &site, 1));
    rel_sql_memo_free(&db);
}

static void builder_blob_in_sqlite(void **state)
{
    (void)state;
    rel_sql q;
    rel_sql_init(&q, SQ);
    rel_value blob[] = {{REL_V_BLOB, 0, 0, "hi", 2}};
    rel_sql_raw(&q, "SELECT 1 WHERE x");
    rel_sql_in_values(&q, REL_BLOB, blob, 1);
    assert_true(q.invalid);
    rel_error err;
    assert_int_equal(rel_sql_exec(NULL, &q, NULL, &err), REL_MISUSE);
    rel_sql_free(&q);
}

/* ------------------------------------------------------------------ URLs */

static const char *ci_get(const rel_pg_conninfo *ci, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < ci->n; i++)
        if (strcmp(ci->keys[i], key) == 0)
            v = ci->vals[i]; /* the last one wins, as in libpq */
    return v;
}

static void url_engines(void **state)
{
    (void)state;
    assert_string_equal(rel_url_engine("sqlite::memory:"), "sqlite");
    assert_string_equal(rel_url_engine("sqlite:a.db"), "sqlite");
    assert_string_equal(rel_url_engine("postgres://h/db"), "postgres");
    assert_string_equal(rel_url_engine("postgresql://h/db"), "postgres");
    assert_null(rel_url_engine("mysql://h/db"));
    assert_null(rel_url_engine("postgres:/h"));
    assert_null(rel_url_engine(NULL));
    assert_string_equal(rel_url_sqlite_path("sqlite::memory:"), ":memory:");
    assert_string_equal(rel_url_sqlite_path("sqlite:app.db"), "app.db");
    assert_string_equal(rel_url_sqlite_path("sqlite:dir/app.db"), "dir/app.db");
    assert_string_equal(rel_url_sqlite_path("sqlite:/tmp/a.db"), "/tmp/a.db");
    assert_string_equal(rel_url_sqlite_path("sqlite:///tmp/a.db"), "/tmp/a.db");
    assert_string_equal(rel_url_sqlite_path("sqlite://a.db"), "a.db");
    assert_null(rel_url_sqlite_path("sqlite:"));
    assert_null(rel_url_sqlite_path("sqlite://"));
}

static void url_pg_parse(void **state)
{
    (void)state;
    rel_pg_conninfo ci;
    rel_error err;
    assert_int_equal(rel_url_pg_parse("postgres://ann:s%40cr%3At@db.example:6543/my%20db"
                                      "?sslmode=require&connect_timeout=5&client_encoding=LATIN1",
                                      &ci, &err),
                     REL_OK);
    assert_string_equal(ci_get(&ci, "user"), "ann");
    assert_string_equal(ci_get(&ci, "password"), "s@cr:t");
    assert_string_equal(ci_get(&ci, "host"), "db.example");
    assert_string_equal(ci_get(&ci, "port"), "6543");
    assert_string_equal(ci_get(&ci, "dbname"), "my db");
    assert_string_equal(ci_get(&ci, "sslmode"), "require");
    assert_string_equal(ci_get(&ci, "connect_timeout"), "5");
    assert_string_equal(ci_get(&ci, "client_encoding"), "UTF8");
    assert_null(ci.keys[ci.n]);
    assert_null(ci.vals[ci.n]);
    rel_pg_conninfo_free(&ci);

    assert_int_equal(rel_url_pg_parse("postgresql://[::1]:5433,h2/db?ssl=true", &ci, &err), REL_OK);
    assert_string_equal(ci_get(&ci, "host"), "::1,h2");
    assert_string_equal(ci_get(&ci, "port"), "5433,");
    assert_string_equal(ci_get(&ci, "sslmode"), "require");
    assert_null(ci_get(&ci, "user"));
    assert_null(ci_get(&ci, "password"));
    rel_pg_conninfo_free(&ci);

    assert_int_equal(rel_url_pg_parse("postgres:///db?host=%2Fvar%2Frun%2Fpostgresql", &ci, &err),
                     REL_OK);
    assert_string_equal(ci_get(&ci, "host"), "/var/run/postgresql");
    assert_string_equal(ci_get(&ci, "dbname"), "db");
    rel_pg_conninfo_free(&ci);

    assert_int_equal(rel_url_pg_parse("postgres://u@h", &ci, &err), REL_OK);
    assert_string_equal(ci_get(&ci, "user"), "u");
    assert_null(ci_get(&ci, "dbname"));
    rel_pg_conninfo_free(&ci);

    /* Mistakes: clear messages, password never shown. */
    assert_int_equal(rel_url_pg_parse("postgres://u:hunter2@h:54x/db", &ci, &err), REL_INVALID);
    assert_null(strstr(err.message, "hunter2"));
    assert_non_null(strstr(err.message, "postgres://u:***@h:54x/db"));
    assert_non_null(strstr(err.message, "port"));
    assert_int_equal(rel_url_pg_parse("postgres://u:hunter2@h:99999/db", &ci, &err), REL_INVALID);
    assert_int_equal(rel_url_pg_parse("postgres://u:hunt%zzer2@h/db", &ci, &err), REL_INVALID);
    assert_null(strstr(err.message, "hunt"));
    assert_non_null(strstr(err.message, "percent"));
    assert_int_equal(rel_url_pg_parse("postgres://u@h/db?sslmode", &ci, &err), REL_INVALID);
    assert_int_equal(rel_url_pg_parse("postgres://u@[::1/db", &ci, &err), REL_INVALID);
    assert_int_equal(rel_url_pg_parse("postgres://u@h/d%00b", &ci, &err), REL_INVALID);
    assert_int_equal(rel_url_pg_parse("mysql://u@h/db", &ci, &err), REL_INVALID);
}

static const char *redacted(const char *url)
{
    static char out[256];
    rel_buf b = {0};
    rel_url_redact(&b, url);
    snprintf(out, sizeof out, "%s", rel_buf_cstr(&b));
    rel_buf_free(&b);
    return out;
}

static void url_redact(void **state)
{
    (void)state;
    assert_string_equal(redacted("postgres://user:secret@host/db"), "postgres://user:***@host/db");
    assert_string_equal(redacted("postgres://user:p@ss@host:5432/db?sslmode=require"),
                        "postgres://user:***@host:5432/db?sslmode=require");
    assert_string_equal(redacted("postgres://user@host/db"), "postgres://user@host/db");
    assert_string_equal(redacted("postgres://host/db?password=secret&sslmode=disable"),
                        "postgres://host/db?password=***&sslmode=disable");
    assert_string_equal(redacted("mysql://a:b@c/d"), "mysql://a:***@c/d");
    assert_string_equal(redacted("sqlite:app.db"), "sqlite:app.db");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dialect_by_name),
        cmocka_unit_test(quoting),
        cmocka_unit_test(placeholders),
        cmocka_unit_test(column_types),
        cmocka_unit_test(to_db_sqlite),
        cmocka_unit_test(to_db_postgres),
        cmocka_unit_test(array_params),
        cmocka_unit_test(in_arrays),
        cmocka_unit_test(builder),
        cmocka_unit_test(builder_many_params),
        cmocka_unit_test(builder_fixed_text),
        cmocka_unit_test(builder_blob_in_sqlite),
        cmocka_unit_test(url_engines),
        cmocka_unit_test(url_pg_parse),
        cmocka_unit_test(url_redact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
