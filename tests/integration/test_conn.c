/* Connections (src/db/conn.c, exec.c, stmt_cache.c, url.c and the dialects' drivers),
 * on whichever engine REL_TEST_ENGINE names: opening and refusing URLs, logging,
 * statement reuse, parameters of every kind, values read back in relate's canonical
 * forms, a lost connection. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "relate.h"
#include "sql/sql.h"
#include "testdb.h"

/* 2026-01-02T03:04:05.678Z */
#define T_MS INT64_C(1767323045678)

static rel_schema *empty_schema(void)
{
    rel_schema *s = rel_schema_new();
    assert_non_null(s);
    rel_error err;
    assert_int_equal(rel_schema_freeze(s, &err), REL_OK);
    return s;
}

typedef struct fixture {
    rel_schema *schema;
    rel_db *db;
    const char *url;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->schema = empty_schema();
    f->url = test_db_url();
    rel_error err;
    if (rel_open(&f->db, f->schema, f->url, &err) != REL_OK) {
        fprintf(stderr, "rel_open: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_close(f->db);
    rel_schema_free(f->schema);
    free(f);
    return 0;
}

static void exec_ok(rel_db *db, const char *sql, const rel_value *p, size_t n)
{
    rel_error err;
    rel_status st = rel_exec(db, sql, p, n, &err);
    if (st != REL_OK)
        fail_msg("%s: %s", sql, err.message);
}

/* ---------------------------------------------------------------- logger */

#define LOG_MAX 64

typedef struct log_rec {
    size_t n;
    char sql[LOG_MAX][256];
    char params[LOG_MAX][256];
} log_rec;

static void render(char *out, size_t cap, const rel_value *p, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k < cap; i++) {
        const char *sep = i ? "|" : "";
        switch (p[i].kind) {
        case REL_V_NULL: k += (size_t)snprintf(out + k, cap - k, "%snull", sep); break;
        case REL_V_INT: k += (size_t)snprintf(out + k, cap - k, "%si:%lld", sep, (long long)p[i].i); break;
        case REL_V_DOUBLE: k += (size_t)snprintf(out + k, cap - k, "%sd:%g", sep, p[i].d); break;
        case REL_V_TEXT: k += (size_t)snprintf(out + k, cap - k, "%st:%s", sep, p[i].s); break;
        case REL_V_BLOB: k += (size_t)snprintf(out + k, cap - k, "%sb:%zu", sep, p[i].len); break;
        }
    }
}

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    log_rec *l = user;
    if (l->n >= LOG_MAX)
        return;
    snprintf(l->sql[l->n], sizeof l->sql[0], "%s", sql);
    render(l->params[l->n], sizeof l->params[0], params, n);
    l->n++;
}

/* ------------------------------------------------------------ opening */

static void open_engine_url(void **state)
{
    fixture *f = *state;
    assert_string_equal(rel_db_dialect(f->db), test_engine());
    assert_ptr_equal(rel_db_schema(f->db), f->schema);
    assert_true(rel_db_ok(f->db));
    exec_ok(f->db, "SELECT 1", NULL, 0);
    rel_close(NULL);
    assert_false(rel_db_ok(NULL));
    assert_null(rel_db_dialect(NULL));
}

static void open_sqlite_forms(void **state)
{
    fixture *f = *state;
    rel_error err;
    rel_db *db = NULL;

    assert_int_equal(rel_open(&db, f->schema, "sqlite::memory:", &err), REL_OK);
    assert_string_equal(rel_db_dialect(db), "sqlite");
    exec_ok(db, "CREATE TABLE t (x INTEGER)", NULL, 0);
    rel_close(db);

    char rel_path[64], url[256];
    snprintf(rel_path, sizeof rel_path, "relate_conn_test_%ld.db", (long)getpid());
    snprintf(url, sizeof url, "sqlite:%s", rel_path);
    assert_int_equal(rel_open(&db, f->schema, url, &err), REL_OK);
    exec_ok(db, "CREATE TABLE t (x INTEGER)", NULL, 0);
    rel_close(db);
    assert_int_equal(access(rel_path, F_OK), 0); /* relative to the working folder */
    unlink(rel_path);

    char abs_path[128];
    snprintf(abs_path, sizeof abs_path, "/tmp/relate_conn_test_%ld.db", (long)getpid());
    snprintf(url, sizeof url, "sqlite://%s", abs_path);
    assert_int_equal(rel_open(&db, f->schema, url, &err), REL_OK);
    exec_ok(db, "CREATE TABLE t (x INTEGER)", NULL, 0);
    /* Foreign keys are on, WAL is not forced. */
    rel_stmt *s;
    assert_int_equal(rel_db_run(db, "PRAGMA foreign_keys", NULL, 0, &s, &err), REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    rel_value v;
    assert_int_equal(rel_stmt_col(s, 0, REL_TYPE_NONE, &v), REL_OK);
    assert_int_equal(v.i, 1);
    rel_stmt_done(s);
    assert_int_equal(rel_db_run(db, "PRAGMA journal_mode", NULL, 0, &s, &err), REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_col(s, 0, REL_TEXT, &v), REL_OK);
    assert_string_equal(v.s, "delete");
    rel_stmt_done(s);
    rel_close(db);
    assert_int_equal(access(abs_path, F_OK), 0);
    unlink(abs_path);
}

/* Puts ":<password>" after the user of a postgres:// URL and swaps its
   database for dbname. */
static void pg_variant(char *out, size_t cap, const char *url, const char *password,
                       const char *dbname)
{
    const char *auth = strstr(url, "://") + 3;
    const char *at = strchr(auth, '@');
    const char *slash = strchr(auth, '/');
    assert_non_null(at);
    assert_non_null(slash);
    snprintf(out, cap, "%.*s:%s%.*s/%s", (int)(at - url), url, password, (int)(slash - at), at,
             dbname);
}

static void open_refuses(void **state)
{
    fixture *f = *state;
    rel_error err;
    rel_db *db = (rel_db *)&err; /* must be cleared on failure */

    assert_int_equal(rel_open(NULL, f->schema, "sqlite::memory:", &err), REL_MISUSE);
    assert_int_equal(rel_open(&db, NULL, "sqlite::memory:", &err), REL_MISUSE);
    assert_null(db);

    rel_schema *unfrozen = rel_schema_new();
    assert_int_equal(rel_open(&db, unfrozen, "sqlite::memory:", &err), REL_MISUSE);
    assert_non_null(strstr(err.message, "rel_schema_freeze"));
    rel_schema_free(unfrozen);

    rel_schema *bad = rel_schema_new();
    rel_model *a = rel_define(bad, "A", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to_many(a, a, NULL); /* no through, no as */
    assert_int_not_equal(rel_schema_freeze(bad, &err), REL_OK);
    assert_int_equal(rel_open(&db, bad, "sqlite::memory:", &err), REL_DEFINITION);
    rel_schema_free(bad);

    assert_int_equal(rel_open(&db, f->schema, NULL, &err), REL_INVALID);
    assert_int_equal(rel_open(&db, f->schema, "mysql://root:hunter2@h/db", &err), REL_INVALID);
    assert_null(strstr(err.message, "hunter2"));
    assert_non_null(strstr(err.message, "mysql://root:***@h/db"));
    assert_int_equal(rel_open(&db, f->schema, "sqlite:", &err), REL_INVALID);
    assert_non_null(strstr(err.message, "sqlite::memory:"));
    assert_int_equal(rel_open(&db, f->schema, "sqlite:/no/such/folder/x.db", &err), REL_CONNECTION);
    assert_non_null(strstr(err.message, "/no/such/folder/x.db"));
    assert_string_not_equal(err.engine_code, "");

    assert_int_equal(rel_open(&db, f->schema, "postgres://u:hunter2@h:54x/db", &err), REL_INVALID);
    assert_null(strstr(err.message, "hunter2"));
    assert_non_null(strstr(err.message, "u:***@h:54x"));
    assert_int_equal(rel_open(&db, f->schema,
                              "postgresql://u:hunter2@127.0.0.1:1/db?connect_timeout=3", &err),
                     REL_CONNECTION);
    assert_null(strstr(err.message, "hunter2"));
    assert_non_null(strstr(err.message, "postgresql://u:***@127.0.0.1:1/db"));
    assert_null(db);

    if (test_is_postgres()) {
        char url[512];
        pg_variant(url, sizeof url, f->url, "hunter2", "relate_no_such_database");
        assert_int_equal(rel_open(&db, f->schema, url, &err), REL_CONNECTION);
        assert_null(strstr(err.message, "hunter2"));
        assert_non_null(strstr(err.message, ":***@"));
        assert_non_null(strstr(err.message, "relate_no_such_database"));

        /* Query parameters reach libpq: an unknown one is refused by it. */
        snprintf(url, sizeof url, "%s?bogus_option=1", f->url);
        assert_int_equal(rel_open(&db, f->schema, url, &err), REL_CONNECTION);
        assert_non_null(strstr(err.message, "bogus_option"));
        /* ... and known ones work, percent-decoded. */
        snprintf(url, sizeof url, "%s?application_name=relate%%20test&sslmode=disable", f->url);
        assert_int_equal(rel_open(&db, f->schema, url, &err), REL_OK);
        rel_stmt *s;
        assert_int_equal(rel_db_run(db, "SELECT current_setting('application_name'), "
                                        "current_setting('TimeZone')", NULL, 0, &s, &err), REL_OK);
        assert_int_equal(rel_stmt_next(s, &err), 1);
        rel_value v;
        assert_int_equal(rel_stmt_col(s, 0, REL_TEXT, &v), REL_OK);
        assert_string_equal(v.s, "relate test");
        assert_int_equal(rel_stmt_col(s, 1, REL_TEXT, &v), REL_OK);
        assert_string_equal(v.s, "UTC");
        rel_stmt_done(s);
        rel_close(db);
    }
}

/* ------------------------------------------------------ logging, reuse */

static void logging_sees_statements_and_params(void **state)
{
    fixture *f = *state;
    log_rec l = {0};
    rel_set_logger(f->db, logger, &l);
    exec_ok(f->db, "CREATE TABLE logt (a INTEGER, b TEXT)", NULL, 0);
    rel_value p[] = {rel_int(42), rel_text("it's")};
    exec_ok(f->db, "INSERT INTO logt (a, b) VALUES ($1, $2)", p, 2);
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);

    assert_int_equal(l.n, 6);
    assert_string_equal(l.sql[0], "CREATE TABLE logt (a INTEGER, b TEXT)");
    assert_string_equal(l.params[0], "");
    assert_string_equal(l.sql[1], "INSERT INTO logt (a, b) VALUES ($1, $2)");
    assert_string_equal(l.params[1], "i:42|t:it's");
    assert_string_equal(l.sql[2], "BEGIN");
    assert_string_equal(l.sql[3], "SAVEPOINT rel_sp_1");
    assert_string_equal(l.sql[4], "RELEASE SAVEPOINT rel_sp_1");
    assert_string_equal(l.sql[5], "ROLLBACK");

    /* A failed statement is logged too, before it runs. */
    assert_int_not_equal(rel_exec(f->db, "SELECT * FROM no_such_table", NULL, 0, &err), REL_OK);
    assert_string_equal(l.sql[6], "SELECT * FROM no_such_table");

    /* Params as bound: a date through the builder is logged as the engine's text. */
    rel_sql q;
    rel_sql_init(&q, f->db->dialect);
    rel_sql_raw(&q, "SELECT ");
    rel_sql_param(&q, REL_DATE, rel_int(T_MS));
    assert_int_equal(rel_sql_exec(f->db, &q, NULL, &err), REL_OK);
    rel_sql_free(&q);
    assert_string_equal(l.params[7], test_is_postgres() ? "t:2026-01-02T03:04:05.678Z"
                                                        : "t:2026-01-02 03:04:05.678 +00:00");

    rel_set_logger(f->db, NULL, NULL);
    exec_ok(f->db, "SELECT 1", NULL, 0);
    assert_int_equal(l.n, 8);
}

static void statements_are_reused(void **state)
{
    fixture *f = *state;
    rel_error err;
    exec_ok(f->db, "CREATE TABLE r (id INTEGER PRIMARY KEY, name TEXT)", NULL, 0);
    uint64_t prepared = f->db->n_prepared, reused = f->db->n_reused;
    for (int i = 1; i <= 5; i++) {
        rel_value p[] = {rel_int(i), rel_text("n")};
        exec_ok(f->db, "INSERT INTO r (id, name) VALUES ($1, $2)", p, 2);
    }
    assert_int_equal(f->db->n_prepared - prepared, 1);
    assert_int_equal(f->db->n_reused - reused, 4);

    /* A statement still being read is not handed out again: a second one is
       prepared, and both read their own rows. */
    const char *sql = "SELECT id FROM r WHERE id >= $1 ORDER BY id";
    rel_stmt *a, *b;
    rel_value p1 = rel_int(2), p2 = rel_int(4);
    prepared = f->db->n_prepared;
    assert_int_equal(rel_db_run(f->db, sql, &p1, 1, &a, &err), REL_OK);
    assert_int_equal(rel_db_run(f->db, sql, &p2, 1, &b, &err), REL_OK);
    assert_ptr_not_equal(a, b);
    assert_int_equal(f->db->n_prepared - prepared, 2);
    rel_value v;
    int64_t want_a = 2, want_b = 4;
    for (int k = 0; k < 3; k++) {
        assert_int_equal(rel_stmt_next(a, &err), 1);
        assert_int_equal(rel_stmt_col(a, 0, REL_INTEGER, &v), REL_OK);
        assert_int_equal(v.i, want_a++);
        if (want_b <= 5) {
            assert_int_equal(rel_stmt_next(b, &err), 1);
            assert_int_equal(rel_stmt_col(b, 0, REL_INTEGER, &v), REL_OK);
            assert_int_equal(v.i, want_b++);
        } else {
            assert_int_equal(rel_stmt_next(b, &err), 0);
        }
    }
    assert_int_equal(rel_stmt_next(a, &err), 1);
    assert_int_equal(rel_stmt_next(a, &err), 0);
    assert_int_equal(rel_stmt_next(a, &err), 0); /* done stays done */
    rel_stmt_done(a);
    rel_stmt_done(b);
    prepared = f->db->n_prepared;
    assert_int_equal(rel_db_run(f->db, sql, &p1, 1, &a, &err), REL_OK);
    rel_stmt_done(a);
    assert_int_equal(f->db->n_prepared, prepared);
    rel_stmt_done(NULL);
}

/* ------------------------------------------------------------ values */

static char *scalar(const char *url, const char *sql)
{
    char *v = test_sql_scalar(url, sql);
    assert_non_null(v);
    return v;
}

static void params_of_every_kind(void **state)
{
    fixture *f = *state;
    rel_error err;
    exec_ok(f->db, test_is_postgres() ? "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, "
                                        "d DOUBLE PRECISION, s TEXT, b BYTEA, n TEXT)"
                                      : "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, "
                                        "d DOUBLE PRECISION, s TEXT, b BLOB, n TEXT)",
            NULL, 0);
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)i;
    const char *texts[] = {"It's \"quoted\" \\ back; DROP TABLE vals; --", "Zoë 日本語 🎉", ""};
    const int64_t ints[] = {INT64_MAX, INT64_MIN, 0};
    const double dbls[] = {0.1, -1e300, 1.0 / 3.0};
    const size_t blens[] = {256, 0, 3};
    const char *sql = "INSERT INTO vals (id, i, d, s, b, n) VALUES ($1, $2, $3, $4, $5, $6)";
    for (int r = 0; r < 3; r++) {
        rel_value p[6] = {rel_int(r + 1), rel_int(ints[r]), {REL_V_DOUBLE, 0, dbls[r], NULL, 0},
                          rel_text(texts[r]),
                          {REL_V_BLOB, 0, 0, (const char *)bytes, blens[r]}, rel_null()};
        exec_ok(f->db, sql, p, 6);
    }
    rel_value nulls[6] = {rel_int(4), rel_null(), rel_null(), rel_text(NULL), rel_null(),
                          rel_null()};
    exec_ok(f->db, sql, nulls, 6);

    rel_stmt *s;
    assert_int_equal(rel_db_run(f->db, "SELECT i, d, s, b, n FROM vals ORDER BY id", NULL, 0, &s,
                                &err), REL_OK);
    for (int r = 0; r < 3; r++) {
        rel_value v;
        assert_int_equal(rel_stmt_next(s, &err), 1);
        assert_int_equal(rel_stmt_col(s, 0, REL_BIGINT, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_INT);
        assert_true(v.i == ints[r]);
        assert_int_equal(rel_stmt_col(s, 1, REL_DOUBLE, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_DOUBLE);
        assert_true(v.d == dbls[r]); /* exact round trip */
        assert_int_equal(rel_stmt_col(s, 2, REL_TEXT, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_TEXT);
        assert_string_equal(v.s, texts[r]);
        assert_int_equal(v.len, strlen(texts[r]));
        rel_value blob;
        assert_int_equal(rel_stmt_col(s, 3, REL_BLOB, &blob), REL_OK);
        assert_int_equal(blob.kind, REL_V_BLOB);
        assert_int_equal(blob.len, blens[r]);
        assert_non_null(blob.s);
        /* reading another column leaves the blob where it was */
        assert_int_equal(rel_stmt_col(s, 4, REL_TEXT, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_NULL);
        assert_memory_equal(blob.s, bytes, blens[r] ? blens[r] : 1 - 1);
    }
    rel_value v;
    assert_int_equal(rel_stmt_next(s, &err), 1);
    for (int c = 0; c < 5; c++) {
        assert_int_equal(rel_stmt_col(s, c, REL_TEXT, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_NULL);
    }
    assert_int_equal(rel_stmt_next(s, &err), 0);
    rel_stmt_done(s);

    /* What the raw driver sees. */
    char *t = scalar(f->url, "SELECT s FROM vals WHERE id = 1");
    assert_string_equal(t, texts[0]);
    free(t);
    t = scalar(f->url, "SELECT s FROM vals WHERE id = 2");
    assert_string_equal(t, texts[1]);
    free(t);
    t = scalar(f->url, test_is_postgres() ? "SELECT upper(encode(b, 'hex')) FROM vals WHERE id = 3"
                                          : "SELECT hex(b) FROM vals WHERE id = 3");
    assert_string_equal(t, "000102");
    free(t);
    t = scalar(f->url, "SELECT i FROM vals WHERE id = 2");
    assert_string_equal(t, "-9223372036854775808");
    free(t);
    t = scalar(f->url, test_is_postgres() ? "SELECT length(b) FROM vals WHERE id = 1"
                                          : "SELECT length(b) FROM vals WHERE id = 1");
    assert_string_equal(t, "256");
    free(t);
}

static void canonical_values_round_trip(void **state)
{
    fixture *f = *state;
    rel_error err;
    /* A table as Sequelize creates it, filled by the raw driver as Sequelize
       would fill it. */
    assert_int_equal(test_sql_exec(f->url, test_is_postgres()
        ? "CREATE TABLE typed (id SERIAL PRIMARY KEY, at TIMESTAMP WITH TIME ZONE, ok BOOLEAN, "
          "price DECIMAL(10,2), day DATE, uid UUID, doc JSON, big BIGINT, f FLOAT, bin BYTEA);"
          "INSERT INTO typed (at, ok, price, day, uid, doc, big, f, bin) VALUES "
          "('2026-01-02 03:04:05.678+00', true, 10.50, '2026-01-02', "
          "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\":[1,2]}', 9007199254740993, 1.5, "
          "'\\x6869')"
        : "CREATE TABLE typed (id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME, ok TINYINT(1), "
          "price DECIMAL(10,2), day DATE, uid UUID, doc JSON, big BIGINT, f FLOAT, bin BLOB);"
          "INSERT INTO typed (at, ok, price, day, uid, doc, big, f, bin) VALUES "
          "('2026-01-02 03:04:05.678 +00:00', 1, 10.5, '2026-01-02', "
          "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\":[1,2]}', 9007199254740993, 1.5, "
          "x'6869')"), 0);

    /* Written by relate through the builder (to_db), same values. */
    rel_sql q;
    rel_sql_init(&q, f->db->dialect);
    rel_sql_raw(&q, "INSERT INTO typed (at, ok, price, day, uid, doc, big, f, bin) VALUES (");
    rel_sql_param(&q, REL_DATE, rel_int(T_MS));
    rel_sql_raw(&q, ", ");
    rel_sql_param(&q, REL_BOOLEAN, rel_int(1));
    rel_sql_raw(&q, ", ");
    if (test_is_postgres()) {
        rel_sql_param(&q, REL_DECIMAL, rel_text("10.50"));
    } else {
        rel_value d = {REL_V_DOUBLE, 0, 10.5, NULL, 0};
        rel_sql_param(&q, REL_DECIMAL, d);
    }
    rel_sql_raw(&q, ", ");
    rel_sql_param(&q, REL_DATEONLY, rel_text("2026-01-02"));
    rel_sql_raw(&q, ", ");
    rel_sql_param(&q, REL_UUID, rel_text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    rel_sql_raw(&q, ", ");
    rel_sql_param(&q, REL_JSON, rel_text("{\"a\":[1,2]}"));
    rel_sql_raw(&q, ", ");
    rel_sql_param(&q, REL_BIGINT, rel_int(INT64_C(9007199254740993)));
    rel_sql_raw(&q, ", ");
    rel_value fl = {REL_V_DOUBLE, 0, 1.5, NULL, 0};
    rel_sql_param(&q, REL_FLOAT, fl);
    rel_sql_raw(&q, ", ");
    rel_value bin = {REL_V_BLOB, 0, 0, "hi", 2};
    rel_sql_param(&q, REL_BLOB, bin);
    rel_sql_raw(&q, ") RETURNING id");
    rel_stmt *s;
    assert_int_equal(rel_sql_run(f->db, &q, &s, &err), REL_OK);
    rel_sql_free(&q); /* the driver holds its own copy of the params */
    assert_int_equal(rel_stmt_next(s, &err), 1);
    rel_value v;
    assert_int_equal(rel_stmt_col(s, 0, REL_INTEGER, &v), REL_OK);
    assert_int_equal(v.i, 2);
    assert_int_equal(rel_stmt_next(s, &err), 0);
    assert_int_equal(rel_stmt_changes(s), 1);
    rel_stmt_done(s);

    /* The stored form is the engine's (and Sequelize's). */
    char *t = scalar(f->url, test_is_postgres()
        ? "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || ok::text "
          "|| price::text FROM typed WHERE id = 2"
        : "SELECT at || '|' || ok || '|' || typeof(at) FROM typed WHERE id = 2");
    assert_string_equal(t, test_is_postgres() ? "2026-01-02 03:04:05.678true10.50"
                                              : "2026-01-02 03:04:05.678 +00:00|1|text");
    free(t);

    /* Both rows read back in the canonical forms. */
    assert_int_equal(rel_db_run(f->db, "SELECT at, ok, price, day, uid, doc, big, f, bin "
                                       "FROM typed ORDER BY id", NULL, 0, &s, &err), REL_OK);
    for (int r = 0; r < 2; r++) {
        assert_int_equal(rel_stmt_next(s, &err), 1);
        assert_int_equal(rel_stmt_col(s, 0, REL_DATE, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_INT);
        assert_true(v.i == T_MS);
        assert_int_equal(rel_stmt_col(s, 1, REL_BOOLEAN, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_INT);
        assert_int_equal(v.i, 1);
        assert_int_equal(rel_stmt_col(s, 2, REL_DECIMAL, &v), REL_OK);
        if (test_is_postgres()) {
            assert_int_equal(v.kind, REL_V_TEXT);
            assert_string_equal(v.s, "10.50");
        } else {
            assert_int_equal(v.kind, REL_V_DOUBLE);
            assert_true(v.d == 10.5);
        }
        assert_int_equal(rel_stmt_col(s, 3, REL_DATEONLY, &v), REL_OK);
        assert_string_equal(v.s, "2026-01-02");
        assert_int_equal(rel_stmt_col(s, 4, REL_UUID, &v), REL_OK);
        assert_string_equal(v.s, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assert_int_equal(rel_stmt_col(s, 5, REL_JSON, &v), REL_OK);
        assert_string_equal(v.s, "{\"a\":[1,2]}");
        assert_int_equal(rel_stmt_col(s, 6, REL_BIGINT, &v), REL_OK);
        assert_true(v.i == INT64_C(9007199254740993));
        assert_int_equal(rel_stmt_col(s, 7, REL_FLOAT, &v), REL_OK);
        assert_true(v.d == 1.5);
        assert_int_equal(rel_stmt_col(s, 8, REL_BLOB, &v), REL_OK);
        assert_int_equal(v.kind, REL_V_BLOB);
        assert_int_equal(v.len, 2);
        assert_memory_equal(v.s, "hi", 2);
    }
    assert_int_equal(rel_stmt_next(s, &err), 0);
    rel_stmt_done(s);

    /* No type hint: the natural value (COUNT(*) is an integer on both). */
    assert_int_equal(rel_db_run(f->db, "SELECT COUNT(*) FROM typed", NULL, 0, &s, &err), REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_col(s, 0, REL_TYPE_NONE, &v), REL_OK);
    assert_int_equal(v.kind, REL_V_INT);
    assert_int_equal(v.i, 2);
    rel_stmt_done(s);

    /* Values that are not what the type says are refused, not invented. */
    assert_int_equal(rel_db_run(f->db, "SELECT uid FROM typed", NULL, 0, &s, &err), REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_col(s, 0, REL_INTEGER, &v), REL_DATABASE);
    assert_int_equal(rel_stmt_col(s, 0, REL_DATE, &v), REL_DATABASE);
    assert_int_equal(rel_stmt_col(s, 0, REL_BOOLEAN, &v), REL_DATABASE);
    rel_stmt_done(s);

    /* Special doubles survive the text protocol. */
    exec_ok(f->db, "CREATE TABLE dd (d DOUBLE PRECISION)", NULL, 0);
    rel_value inf = {REL_V_DOUBLE, 0, INFINITY, NULL, 0};
    rel_value tiny = {REL_V_DOUBLE, 0, 5e-324, NULL, 0};
    exec_ok(f->db, "INSERT INTO dd (d) VALUES ($1)", &inf, 1);
    exec_ok(f->db, "INSERT INTO dd (d) VALUES ($1)", &tiny, 1);
    assert_int_equal(rel_db_run(f->db, "SELECT d FROM dd ORDER BY d DESC", NULL, 0, &s, &err),
                     REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_col(s, 0, REL_DOUBLE, &v), REL_OK);
    assert_true(isinf(v.d) && v.d > 0);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_col(s, 0, REL_DOUBLE, &v), REL_OK);
    assert_true(v.d == 5e-324);
    rel_stmt_done(s);
}

static int64_t count_in(rel_db *db, rel_type type, const char *col, const rel_value *vals,
                        size_t n, char *text_out)
{
    rel_error err;
    rel_sql q;
    rel_sql_init(&q, db->dialect);
    rel_sql_raw(&q, "SELECT COUNT(*) FROM ");
    rel_sql_ident(&q, "inv");
    rel_sql_raw(&q, " WHERE ");
    rel_sql_column(&q, "inv", col);
    rel_sql_in_values(&q, type, vals, n);
    strcpy(text_out, rel_sql_text(&q));
    rel_stmt *s;
    rel_status st = rel_sql_run(db, &q, &s, &err);
    if (st != REL_OK)
        fail_msg("%s", err.message);
    rel_sql_free(&q);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    rel_value v;
    assert_int_equal(rel_stmt_col(s, 0, REL_BIGINT, &v), REL_OK);
    rel_stmt_done(s);
    return v.i;
}

static void in_lists_are_one_parameter(void **state)
{
    fixture *f = *state;
    exec_ok(f->db,
            test_is_postgres()
                ? "CREATE TABLE inv (id INTEGER, name VARCHAR(255), at TIMESTAMP WITH "
                  "TIME ZONE, ok BOOLEAN)"
                : "CREATE TABLE inv (id INTEGER, name VARCHAR(255), at DATETIME, "
                  "ok TINYINT(1))", NULL, 0);
    const char *names[] = {"plain", "b\"c", "back\\slash", "it's", "x,y}{", "Zoë 日本"};
    for (int i = 0; i < 6; i++) {
        rel_sql q;
        rel_error err;
        rel_sql_init(&q, f->db->dialect);
        rel_sql_raw(&q, "INSERT INTO inv (id, name, at, ok) VALUES (");
        rel_sql_param(&q, REL_INTEGER, rel_int(i + 1));
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_STRING, rel_text(names[i]));
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_DATE, rel_int(T_MS + i));
        rel_sql_raw(&q, ", ");
        rel_sql_param(&q, REL_BOOLEAN, rel_int(i % 2));
        rel_sql_raw(&q, ")");
        assert_int_equal(rel_sql_exec(f->db, &q, NULL, &err), REL_OK);
        rel_sql_free(&q);
    }
    char t1[256], t2[256];
    uint64_t prepared = f->db->n_prepared;
    rel_value one[] = {rel_int(2)};
    rel_value three[] = {rel_int(1), rel_int(3), rel_int(99)};
    assert_int_equal(count_in(f->db, REL_INTEGER, "id", one, 1, t1), 1);
    assert_int_equal(count_in(f->db, REL_INTEGER, "id", three, 3, t2), 2);
    assert_string_equal(t1, t2);
    assert_int_equal(f->db->n_prepared - prepared, 1);
    assert_int_equal(count_in(f->db, REL_INTEGER, "id", three, 0, t2), 0);

    rel_value tricky[] = {rel_text("b\"c"), rel_text("back\\slash"), rel_text("it's"),
                          rel_text("x,y}{"), rel_text("Zoë 日本"), rel_text("nope"), rel_null()};
    assert_int_equal(count_in(f->db, REL_STRING, "name", tricky, 7, t1), 5);
    rel_value dates[] = {rel_int(T_MS), rel_int(T_MS + 5), rel_int(T_MS + 100)};
    assert_int_equal(count_in(f->db, REL_DATE, "at", dates, 3, t1), 2);
    rel_value bools[] = {rel_int(1)};
    assert_int_equal(count_in(f->db, REL_BOOLEAN, "ok", bools, 1, t1), 3);
}

static void changes_are_counted(void **state)
{
    fixture *f = *state;
    rel_error err;
    int64_t n = -1;
    assert_int_equal(rel_db_exec(f->db, "CREATE TABLE ch (id INTEGER, v INTEGER)", NULL, 0, &n,
                                 &err), REL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rel_db_exec(f->db, "INSERT INTO ch (id, v) VALUES (1, 0), (2, 0), (3, 1)",
                                 NULL, 0, &n, &err), REL_OK);
    assert_int_equal(n, 3);
    rel_value p = rel_int(0);
    assert_int_equal(rel_db_exec(f->db, "UPDATE ch SET v = 5 WHERE v = $1", &p, 1, &n, &err),
                     REL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rel_db_exec(f->db, "SELECT * FROM ch", NULL, 0, &n, &err), REL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rel_db_exec(f->db, "DELETE FROM ch WHERE id > 10", NULL, 0, &n, &err),
                     REL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rel_db_exec(f->db, "CREATE TABLE ch2 (x INTEGER)", NULL, 0, &n, &err),
                     REL_OK);
    assert_int_equal(n, 0);
    rel_stmt *s;
    assert_int_equal(rel_db_run(f->db, "DELETE FROM ch WHERE id <= 2 RETURNING id", NULL, 0, &s,
                                &err), REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(rel_stmt_next(s, &err), 0);
    assert_int_equal(rel_stmt_changes(s), 2);
    rel_stmt_done(s);
}

static void mistakes_are_reported(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_exec(f->db, "SELECT * FROM no_such_table", NULL, 0, &err), REL_DATABASE);
    assert_non_null(strstr(err.message, "no_such_table"));
    assert_non_null(strstr(err.message, "[SQL: SELECT * FROM no_such_table]"));
    assert_string_not_equal(err.engine_code, "");

    /* Long statements are cut at 200 bytes in messages. */
    char sql[600];
    snprintf(sql, sizeof sql, "SELECT * FROM missing_%0400d", 7);
    assert_int_equal(rel_exec(f->db, sql, NULL, 0, &err), REL_DATABASE);
    assert_non_null(strstr(err.message, "...]"));

    assert_int_equal(rel_exec(f->db, "SELECT 1; SELECT 2", NULL, 0, &err), REL_INVALID);
    rel_value p = rel_int(1);
    assert_int_equal(rel_exec(f->db, "SELECT CAST($1 AS TEXT)", NULL, 0, &err), REL_INVALID);
    assert_int_equal(rel_exec(f->db, "SELECT 1", &p, 1, &err), REL_INVALID);
    assert_true(rel_db_ok(f->db));
    exec_ok(f->db, "SELECT CAST($1 AS TEXT)", &p, 1);

    assert_int_equal(rel_exec(NULL, "SELECT 1", NULL, 0, &err), REL_MISUSE);
    assert_int_equal(rel_exec(f->db, NULL, NULL, 0, &err), REL_MISUSE);
    assert_int_equal(rel_exec(f->db, "SELECT 1", NULL, 2, &err), REL_MISUSE);
    assert_int_equal(rel_exec(f->db, "SELECT 1", NULL, 0, NULL), REL_OK);
    assert_int_equal(rel_exec(f->db, "SELECT * FROM nope", NULL, 0, NULL), REL_DATABASE);
}

static void statements_survive_ddl(void **state)
{
    fixture *f = *state;
    rel_error err;
    exec_ok(f->db, "CREATE TABLE grow (a INTEGER)", NULL, 0);
    exec_ok(f->db, "INSERT INTO grow (a) VALUES (1)", NULL, 0);
    const char *sql = "SELECT * FROM grow";
    exec_ok(f->db, sql, NULL, 0);
    exec_ok(f->db, "ALTER TABLE grow ADD COLUMN b TEXT", NULL, 0);
    /* The cached statement's columns changed under it: PostgreSQL needs it
       prepared again, SQLite does that by itself. */
    rel_stmt *s;
    uint64_t prepared = f->db->n_prepared;
    assert_int_equal(rel_db_run(f->db, sql, NULL, 0, &s, &err), REL_OK);
    assert_int_equal(f->db->n_prepared - prepared, test_is_postgres() ? 1 : 0);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    assert_int_equal(f->db->dialect->column_count(s->d), 2);
    rel_stmt_done(s);
    assert_true(rel_db_ok(f->db));
}

static void lost_connection(void **state)
{
    fixture *f = *state;
    rel_error err;
    if (!test_is_postgres()) {
        assert_true(rel_db_ok(f->db)); /* a file cannot hang up */
        return;
    }
    exec_ok(f->db, "SELECT 1", NULL, 0);
    assert_int_equal(test_sql_exec(f->url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"), 0);
    assert_int_equal(rel_exec(f->db, "SELECT 1", NULL, 0, &err), REL_CONNECTION);
    assert_false(rel_db_ok(f->db));
    /* No silent reconnect: everything fails fast from now on. */
    assert_int_equal(rel_exec(f->db, "SELECT 1", NULL, 0, &err), REL_CONNECTION);
    assert_non_null(strstr(err.message, "open a new one"));
    assert_int_equal(rel_begin(f->db, &err), REL_CONNECTION);
}

/* ------------------------------------------- a row's columns at once */

/* One value read back, copied out of the driver's memory. */
typedef struct got {
    rel_status st;
    rel_value_kind kind;
    int64_t i;
    double d;
    size_t len;
    char bytes[64];
} got;

static got got_of(rel_status st, const rel_value *v)
{
    got g;
    memset(&g, 0, sizeof g);
    g.st = st;
    if (st != REL_OK)
        return g;
    g.kind = v->kind;
    switch (v->kind) {
    case REL_V_INT: g.i = v->i; break;
    case REL_V_DOUBLE: g.d = v->d; break;
    case REL_V_TEXT:
    case REL_V_BLOB:
        g.len = v->len;
        assert_true(v->len < sizeof g.bytes);
        memcpy(g.bytes, v->s, v->len);
        break;
    case REL_V_NULL: break;
    }
    return g;
}

static void got_equal(const got *a, const got *b, rel_type type, int col)
{
    if (a->st != b->st || a->kind != b->kind || a->i != b->i || a->len != b->len ||
        memcmp(a->bytes, b->bytes, a->len) != 0 ||
        !(a->d == b->d || (isnan(a->d) && isnan(b->d))))
        fail_msg("type %s, column %d: one by one %s kind %d, at once %s kind %d",
                 rel_type_name(type), col, rel_status_name(a->st), (int)a->kind,
                 rel_status_name(b->st), (int)b->kind);
}

/* Loading rows reads a row's columns in one call (rel_stmt_cols); each value
 * must come out exactly as rel_stmt_col reads it alone, for every type and
 * whatever the engine holds (values of the wrong type stored behind
 * relate's back included), and the first one that cannot be read stops the
 * row with its status. Every read runs on a fresh execution, so no read
 * sees a value an earlier one converted. */
static void row_at_once_matches_one_by_one(void **state)
{
    fixture *f = *state;
    const char *sql = test_is_postgres()
        ? "SELECT NULL::int, 0, 42, -7::bigint, 9223372036854775807::int8, "
          "(-9223372036854775807 - 1)::int8, 1.5::float8, 'NaN'::float8, "
          "'-Infinity'::float4, 10.50::numeric, ''::text, 'abc'::text, '12'::text, "
          "'-5'::text, '99999999999999999999'::text, '1.25'::text, ' 12'::text, "
          "'true'::text, 'f'::text, true, false, "
          "'2026-01-02 03:04:05.678+00'::timestamptz, '1969-12-31 23:59:59.5+00'::timestamptz, "
          "'2026-01-02'::date, '2026-01-02T03:04:05Z'::text, '2026-13-02 00:00:00+00'::text, "
          "'\\x6869'::bytea, ''::bytea, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, "
          "'{\"a\":[1,2]}'::json, NULL::text"
        : "SELECT NULL, 0, 42, -7, 9223372036854775807, -9223372036854775808, 1.5, 2.0, "
          "-0.0, 1e300, 9.3e18, '', 'abc', '12', '-5', '99999999999999999999', '1.25', "
          "' 12', 'true', 'f', 't', '0', '2026-01-02 03:04:05.678 +00:00', "
          "'2026-01-02 03:04:05.678+00', '2026-01-02T03:04:05Z', '2026-01-02', "
          "'2026-13-02 00:00:00.000 +00:00', 'yesterday', x'6869', x'', "
          "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\":[1,2]}', NULL";
    enum { MAXC = 40 };
    rel_error err;
    rel_stmt *s;
    for (int ti = REL_TYPE_NONE; ti <= REL_JSON; ti++) {
        rel_type type = (rel_type)ti;
        got one[MAXC];
        /* One by one, then each column as a run of one. */
        assert_int_equal(rel_db_run(f->db, sql, NULL, 0, &s, &err), REL_OK);
        assert_int_equal(rel_stmt_next(s, &err), 1);
        int n = s->db->dialect->column_count(s->d);
        assert_true(n > 0 && n <= MAXC);
        for (int c = 0; c < n; c++) {
            rel_value v;
            rel_status st = rel_stmt_col(s, c, type, &v);
            one[c] = got_of(st, &v);
        }
        rel_stmt_done(s);
        assert_int_equal(rel_db_run(f->db, sql, NULL, 0, &s, &err), REL_OK);
        assert_int_equal(rel_stmt_next(s, &err), 1);
        for (int c = 0; c < n; c++) {
            rel_value v;
            size_t bad = 99;
            rel_status st = rel_stmt_cols(s, c, 1, &type, &v, &bad);
            got g = got_of(st, &v);
            got_equal(&one[c], &g, type, c);
            if (st != REL_OK)
                assert_int_equal(bad, 0);
        }
        rel_stmt_done(s);
        /* The whole row in one call: stops at the first failure. */
        assert_int_equal(rel_db_run(f->db, sql, NULL, 0, &s, &err), REL_OK);
        assert_int_equal(rel_stmt_next(s, &err), 1);
        rel_type types[MAXC];
        rel_value vals[MAXC];
        for (int c = 0; c < n; c++)
            types[c] = type;
        size_t bad = 99;
        rel_status st = rel_stmt_cols(s, 0, (size_t)n, types, vals, &bad);
        int first_bad = 0;
        while (first_bad < n && one[first_bad].st == REL_OK)
            first_bad++;
        if (first_bad == n) {
            assert_int_equal(st, REL_OK);
        } else {
            assert_int_equal(st, one[first_bad].st);
            assert_int_equal(bad, first_bad);
        }
        for (int c = 0; c < first_bad; c++) {
            got g = got_of(REL_OK, &vals[c]);
            got_equal(&one[c], &g, type, c);
        }
        rel_stmt_done(s);
    }
    /* Out of range is misuse, as for one column. */
    assert_int_equal(rel_db_run(f->db, "SELECT 1, 2", NULL, 0, &s, &err), REL_OK);
    assert_int_equal(rel_stmt_next(s, &err), 1);
    rel_type two[3] = {REL_INTEGER, REL_INTEGER, REL_INTEGER};
    rel_value vals[3];
    size_t bad = 99;
    assert_int_equal(rel_stmt_cols(s, 0, 3, two, vals, &bad), REL_MISUSE);
    assert_int_equal(rel_stmt_cols(s, 3, 0, two, vals, &bad), REL_MISUSE);
    assert_int_equal(rel_stmt_cols(s, -1, 1, two, vals, &bad), REL_MISUSE);
    assert_int_equal(rel_stmt_cols(s, 1, 1, two, vals, &bad), REL_OK);
    assert_int_equal(vals[0].i, 2);
    assert_int_equal(rel_stmt_cols(s, 2, 0, two, vals, &bad), REL_OK);
    rel_stmt_done(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_engine_url, setup, teardown),
        cmocka_unit_test_setup_teardown(open_sqlite_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(open_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(logging_sees_statements_and_params, setup, teardown),
        cmocka_unit_test_setup_teardown(statements_are_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(params_of_every_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(canonical_values_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(row_at_once_matches_one_by_one, setup, teardown),
        cmocka_unit_test_setup_teardown(in_lists_are_one_parameter, setup, teardown),
        cmocka_unit_test_setup_teardown(changes_are_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(mistakes_are_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(statements_survive_ddl, setup, teardown),
        cmocka_unit_test_setup_teardown(lost_connection, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
