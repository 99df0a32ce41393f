/* Every attribute type through the engine REL_TEST_ENGINE names and back, and the
 * JSON each gives (SEMANTICS.md, "Types"): BIGINT and DECIMAL as strings on
 * PostgreSQL and numbers on SQLite, booleans, ISO dates with milliseconds, blobs as
 * Node Buffers, JSON values re-serialised. Also rows written behind relate's back in
 * the forms Sequelize stores (SQLite date text, 0/1 booleans). */
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

#include "relate.h"
#include "fixture.h"
#include "testdb.h"

typedef struct fixture {
    rel_schema *schema;
    rel_model *thing;
    rel_db *db;
    const char *url;
} fixture;

#define CHECK(call)                                                                   \
    do {                                                                              \
        rel_error e_;                                                                 \
        rel_status s_ = (call);                                                       \
        if (s_ != REL_OK)                                                             \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), s_ ? e_.message : ""); \
    } while (0)

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->schema = rel_schema_new();
    f->thing = rel_define(f->schema, "Thing",
                          (rel_attr[]){
                              {.name = "i", .type = REL_INTEGER},
                              {.name = "big", .type = REL_BIGINT},
                              {.name = "f", .type = REL_FLOAT},
                              {.name = "d", .type = REL_DOUBLE},
                              {.name = "dec", .type = REL_DECIMAL, .length = 10, .scale = 2},
                              {.name = "s", .type = REL_STRING},
                              {.name = "t", .type = REL_TEXT},
                              {.name = "b", .type = REL_BOOLEAN},
                              {.name = "dt", .type = REL_DATE},
                              {.name = "day", .type = REL_DATEONLY},
                              {.name = "u", .type = REL_UUID},
                              {.name = "blob", .type = REL_BLOB},
                              {.name = "j", .type = REL_JSON},
                              {0}},
                          &(rel_model_opts){.timestamps = REL_NO});
    f->url = test_db_url();
    f->db = test_open_synced(f->schema, f->url);
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

/* The row with primary key id, read back through relate, as JSON. */
static char *reload_json(fixture *f, int64_t id)
{
    rel_result *res = NULL;
    CHECK(rel_find_by_pk(f->db, f->thing, rel_int(id), NULL, &res, &e_));
    char *json = rel_record_json(rel_result_row(res, 0));
    rel_result_free(res);
    return json;
}

static const char *const uuid = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

static void every_type_round_trips(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->thing);
    CHECK(rel_set_int(r, "i", -42, &e_));
    CHECK(rel_set_int(r, "big", 9007199254740993LL, &e_));
    CHECK(rel_set_double(r, "f", 1.5, &e_));
    CHECK(rel_set_double(r, "d", 0.1, &e_));
    CHECK(rel_set_text(r, "dec", "10.5", &e_));
    CHECK(rel_set_text(r, "s", "h\xc3\xa9llo \"q\"\n\x01", &e_));
    CHECK(rel_set_text(r, "t", "\xe2\x82\xac \\ tab\t", &e_));
    CHECK(rel_set_bool(r, "b", true, &e_));
    CHECK(rel_set_text(r, "dt", "2026-01-02T03:04:05.678Z", &e_));
    CHECK(rel_set_text(r, "day", "2026-01-02", &e_));
    CHECK(rel_set_text(r, "u", uuid, &e_));
    CHECK(rel_set_blob(r, "blob", "hi\0\xff", 4, &e_));
    CHECK(rel_set_text(r, "j", "{ \"a\" : [1, 2.50, \"x\", 1e2], \"b\": null, \"c\": {} }", &e_));
    CHECK(rel_save(f->db, r, &e_));

    const char *want_pg =
        "{\"id\":1,\"i\":-42,\"big\":\"9007199254740993\",\"f\":1.5,\"d\":0.1,\"dec\":\"10.50\","
        "\"s\":\"h\xc3\xa9llo \\\"q\\\"\\n\\u0001\",\"t\":\"\xe2\x82\xac \\\\ tab\\t\",\"b\":true,"
        "\"dt\":\"2026-01-02T03:04:05.678Z\",\"day\":\"2026-01-02\","
        "\"u\":\"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\","
        "\"blob\":{\"type\":\"Buffer\",\"data\":[104,105,0,255]},"
        "\"j\":{\"a\":[1,2.5,\"x\",100],\"b\":null,\"c\":{}}}";
    const char *want_sqlite =
        "{\"id\":1,\"i\":-42,\"big\":9007199254740993,\"f\":1.5,\"d\":0.1,\"dec\":10.5,"
        "\"s\":\"h\xc3\xa9llo \\\"q\\\"\\n\\u0001\",\"t\":\"\xe2\x82\xac \\\\ tab\\t\",\"b\":true,"
        "\"dt\":\"2026-01-02T03:04:05.678Z\",\"day\":\"2026-01-02\","
        "\"u\":\"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\","
        "\"blob\":{\"type\":\"Buffer\",\"data\":[104,105,0,255]},"
        "\"j\":{\"a\":[1,2.5,\"x\",100],\"b\":null,\"c\":{}}}";
    const char *want = test_is_postgres() ? want_pg : want_sqlite;

    /* The saved row (refreshed by RETURNING) and the row read back agree. */
    char *json = rel_record_json(r);
    assert_string_equal(json, want);
    free(json);
    json = reload_json(f, 1);
    assert_string_equal(json, want);
    free(json);

    rel_result *res = NULL;
    CHECK(rel_find_by_pk(f->db, f->thing, rel_int(1), NULL, &res, &e_));
    rel_record *back = rel_result_row(res, 0);
    assert_int_equal(rel_get_int(back, "i"), -42);
    assert_int_equal(rel_get_int(back, "big"), 9007199254740993LL);
    assert_true(rel_get_double(back, "f") == 1.5);
    assert_true(rel_get_double(back, "d") == 0.1);
    assert_true(rel_get_double(back, "dec") == 10.5);
    assert_true(rel_get_bool(back, "b"));
    assert_int_equal(rel_get_time(back, "dt"), 1767323045678LL);
    assert_string_equal(rel_get_text(back, "day"), "2026-01-02");
    assert_string_equal(rel_get_text(back, "u"), uuid);
    rel_value blob = rel_get(back, "blob");
    assert_int_equal(blob.kind, REL_V_BLOB);
    assert_int_equal(blob.len, 4);
    assert_memory_equal(blob.s, "hi\0\xff", 4);
    assert_string_equal(rel_get_text(back, "s"), "h\xc3\xa9llo \"q\"\n\x01");
    rel_result_free(res);
    rel_record_free(r);
}

static void nulls_round_trip(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->thing);
    CHECK(rel_save(f->db, r, &e_));
    char *json = reload_json(f, rel_get_int(r, "id"));
    assert_string_equal(json, "{\"id\":1,\"i\":null,\"big\":null,\"f\":null,\"d\":null,"
                              "\"dec\":null,\"s\":null,\"t\":null,\"b\":null,\"dt\":null,"
                              "\"day\":null,\"u\":null,\"blob\":null,\"j\":null}");
    free(json);
    json = rel_record_json(r);
    assert_non_null(strstr(json, "\"j\":null}"));
    free(json);

    /* Setting and clearing. */
    CHECK(rel_set_bool(r, "b", false, &e_));
    CHECK(rel_set_double(r, "f", -0.0, &e_));
    CHECK(rel_set_int(r, "dec", 7, &e_));
    CHECK(rel_set_text(r, "j", "\"just a string\"", &e_));
    CHECK(rel_save(f->db, r, &e_));
    json = reload_json(f, rel_get_int(r, "id"));
    assert_non_null(strstr(json, "\"b\":false"));
    assert_non_null(strstr(json, "\"f\":0,"));
    assert_non_null(strstr(json, test_is_postgres() ? "\"dec\":\"7.00\"" : "\"dec\":7,"));
    assert_non_null(strstr(json, "\"j\":\"just a string\""));
    free(json);
    CHECK(rel_set_null(r, "b", &e_));
    CHECK(rel_save(f->db, r, &e_));
    json = reload_json(f, rel_get_int(r, "id"));
    assert_non_null(strstr(json, "\"b\":null"));
    free(json);
    rel_record_free(r);
}

static void extreme_values(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->thing);
    CHECK(rel_set_int(r, "big", INT64_MIN, &e_));
    CHECK(rel_set_int(r, "i", 2147483647, &e_));
    CHECK(rel_set_double(r, "d", 1e300, &e_));
    CHECK(rel_set_text(r, "dt", "1970-01-01 00:00:00.000 +00:00", &e_));
    CHECK(rel_set_text(r, "s", "", &e_));
    CHECK(rel_set_blob(r, "blob", "", 0, &e_));
    CHECK(rel_set_text(r, "j", "[]", &e_));
    CHECK(rel_save(f->db, r, &e_));
    char *json = reload_json(f, rel_get_int(r, "id"));
    assert_non_null(strstr(json, test_is_postgres() ? "\"big\":\"-9223372036854775808\""
                                                    : "\"big\":-9223372036854775808"));
    assert_non_null(strstr(json, "\"i\":2147483647"));
    assert_non_null(strstr(json, "\"d\":1e+300"));
    assert_non_null(strstr(json, "\"dt\":\"1970-01-01T00:00:00.000Z\""));
    assert_non_null(strstr(json, "\"s\":\"\""));
    assert_non_null(strstr(json, "\"blob\":{\"type\":\"Buffer\",\"data\":[]}"));
    assert_non_null(strstr(json, "\"j\":[]"));
    free(json);
    rel_record_free(r);
}

static void values_that_do_not_fit_are_refused(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->thing);
    rel_error err;
    assert_int_equal(rel_set_text(r, "i", "12abc", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "i", "99999999999999999999", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "d", "abc", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "dec", "1.2.3", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "b", "yes", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "dt", "yesterday", &err), REL_INVALID);
    assert_string_equal(err.message, "Thing.dt: 'yesterday' is not a valid DATE");
    assert_int_equal(rel_set_text(r, "day", "2026-02-30", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "u", "not-a-uuid", &err), REL_INVALID);
    assert_int_equal(rel_set_text(r, "j", "{bad json", &err), REL_INVALID);
    assert_int_equal(rel_set_blob(r, "i", "x", 1, &err), REL_INVALID);

    /* Loose but sensible conversions. */
    CHECK(rel_set_text(r, "i", "-17", &e_));
    assert_int_equal(rel_get_int(r, "i"), -17);
    CHECK(rel_set_int(r, "d", 3, &e_));
    assert_true(rel_get_double(r, "d") == 3.0);
    CHECK(rel_set_text(r, "b", "1", &e_));
    assert_true(rel_get_bool(r, "b"));
    CHECK(rel_set_time(r, "day", 1767323045678LL, &e_));
    assert_string_equal(rel_get_text(r, "day"), "2026-01-02");
    CHECK(rel_set_int(r, "s", 5, &e_));
    assert_string_equal(rel_get_text(r, "s"), "5");
    CHECK(rel_set_text(r, "dt", "2026-01-02 04:04:05.678+01:00", &e_));
    assert_int_equal(rel_get_time(r, "dt"), 1767323045678LL);
    rel_record_free(r);
}

/* Rows Sequelize wrote: SQLite dates as "YYYY-MM-DD hh:mm:ss.sss +00:00" text,
 * booleans 0/1; on PostgreSQL its native types. */
static void reads_rows_written_by_raw_sql(void **state)
{
    fixture *f = *state;
    int rc = test_is_postgres()
        ? test_sql_exec(f->url,
                        "INSERT INTO \"Things\" (id, b, dt, day, dec, big, j) VALUES "
                        "(7, true, '2026-01-02 03:04:05.678+00', '2026-01-02', 3.10, 5, "
                        "'{\"b\":1,\"2\":2,\"1\":3,\"b\":4}'),"
                        "(8, false, '2026-06-30 23:59:59+02', NULL, NULL, NULL, NULL)")
        : test_sql_exec(f->url,
                        "INSERT INTO \"Things\" (id, b, dt, day, dec, big, j) VALUES "
                        "(7, 1, '2026-01-02 03:04:05.678 +00:00', '2026-01-02', 3.10, 5, "
                        "'{\"b\":1,\"2\":2,\"1\":3,\"b\":4}'),"
                        "(8, 0, '2026-06-30 23:59:59.000 +02:00', NULL, NULL, NULL, NULL)");
    assert_int_equal(rc, 0);
    rel_result *res = NULL;
    CHECK(rel_find_all(f->db, f->thing,
                       &(rel_find_opts){.attributes = (const char *const[]){"id", "b", "dt", "day",
                                                                             "dec", "big", "j",
                                                                             NULL},
                                        .order = "[\"id\"]"},
                       &res, &e_));
    char *json = rel_result_json(res);
    if (test_is_postgres())
        assert_string_equal(json,
                            "[{\"id\":7,\"b\":true,\"dt\":\"2026-01-02T03:04:05.678Z\","
                            "\"day\":\"2026-01-02\",\"dec\":\"3.10\",\"big\":\"5\","
                            "\"j\":{\"1\":3,\"2\":2,\"b\":4}},"
                            "{\"id\":8,\"b\":false,\"dt\":\"2026-06-30T21:59:59.000Z\","
                            "\"day\":null,\"dec\":null,\"big\":null,\"j\":null}]");
    else
        assert_string_equal(json,
                            "[{\"id\":7,\"b\":true,\"dt\":\"2026-01-02T03:04:05.678Z\","
                            "\"day\":\"2026-01-02\",\"dec\":3.1,\"big\":5,"
                            "\"j\":{\"1\":3,\"2\":2,\"b\":4}},"
                            "{\"id\":8,\"b\":false,\"dt\":\"2026-06-30T21:59:59.000Z\","
                            "\"day\":null,\"dec\":null,\"big\":null,\"j\":null}]");
    free(json);
    rel_result_free(res);
}

/* A value someone else stored that is not of the attribute's type stops the
 * read with a message naming the attribute and the column (on PostgreSQL the
 * columns are first made text so that they can hold such values). */
static void refuses_values_of_the_wrong_type(void **state)
{
    fixture *f = *state;
    if (test_is_postgres())
        assert_int_equal(test_sql_exec(f->url, "ALTER TABLE \"Things\" ALTER COLUMN i TYPE text,"
                                                " ALTER COLUMN dt TYPE text,"
                                                " ALTER COLUMN b TYPE text"), 0);
    static const struct {
        const char *insert, *message;
    } cases[] = {
        {"INSERT INTO \"Things\" (id, s, i) VALUES (1, 'x', 'forty')",
         "Thing.i: the database holds a value that is not a valid value of its type "
         "(column \"i\" of \"Things\")"},
        {"INSERT INTO \"Things\" (id, s, dt) VALUES (1, 'x', 'yesterday')",
         "Thing.dt: the database holds a value that is not a valid DATE "
         "(column \"dt\" of \"Things\")"},
        {"INSERT INTO \"Things\" (id, s, b) VALUES (1, 'x', 'maybe')",
         "Thing.b: the database holds a value that is not a valid BOOLEAN "
         "(column \"b\" of \"Things\")"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        assert_int_equal(test_sql_exec(f->url, "DELETE FROM \"Things\""), 0);
        assert_int_equal(test_sql_exec(f->url, cases[k].insert), 0);
        rel_result *res = NULL;
        rel_error err;
        assert_int_equal(rel_find_all(f->db, f->thing, NULL, &res, &err), REL_DATABASE);
        assert_null(res);
        assert_string_equal(err.message, cases[k].message);
    }
}

/* What relate writes is what Sequelize writes (so either can read the other's rows). */
static void stores_what_sequelize_stores(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->thing);
    CHECK(rel_set_bool(r, "b", true, &e_));
    CHECK(rel_set_time(r, "dt", 1767323045678LL, &e_));
    CHECK(rel_save(f->db, r, &e_));
    char *s = test_sql_scalar(f->url, "SELECT b FROM \"Things\"");
    assert_string_equal(s, test_is_postgres() ? "t" : "1");
    free(s);
    s = test_sql_scalar(f->url, test_is_postgres() ? "SELECT to_char(dt AT TIME ZONE 'UTC', "
                                                     "'YYYY-MM-DD HH24:MI:SS.MS') FROM \"Things\""
                                                   : "SELECT dt FROM \"Things\"");
    assert_string_equal(s, test_is_postgres() ? "2026-01-02 03:04:05.678"
                                              : "2026-01-02 03:04:05.678 +00:00");
    free(s);
    rel_record_free(r);
}

static bool collect(void *user, const char *data, size_t len)
{
    size_t *total = user;
    *total += len;
    (void)data;
    return true;
}

static bool refuse(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return false;
}

/* A bulk create reads back only what the database assigns or may store otherwise
   (DECIMAL scale, UUID case, doubles SQLite cannot keep, strings PostgreSQL trims,
   ...): every record must still equal its row read back. */
static void bulk_created_rows_hold_what_is_stored(void **state)
{
    fixture *f = *state;
    enum { N = 40 };
    static const double ds[] = {0.1, -0.0, 1e308, 5e-324, 3.0, -2.5, INFINITY, -INFINITY, 0.0};
    static const int64_t dts[] = {0, -1, 1, -62135596800000LL, 253402300799999LL,
                                  1767323045678LL, -86400001LL};
    static const char *const strs[] = {"", "abc", "12", "1.0", "1e2", "h\xc3\xa9llo",
                                       " lead", "0x10"};
    char pad[300];
    memset(pad, 'x', 250);
    memset(pad + 250, ' ', 10); /* 260 characters: PostgreSQL trims VARCHAR(255)'s spaces */
    pad[260] = '\0';
    rel_record *rows[N];
    for (int k = 0; k < N; k++) {
        rel_record *r = rows[k] = rel_new(f->thing);
        if (k % 7 != 3)
            CHECK(rel_set_int(r, "i", k % 2 ? -2147483647 - 1 + k : 2147483647 - k, &e_));
        if (k % 5 != 1)
            CHECK(rel_set_int(r, "big", k % 3 ? 9007199254740993LL : -k, &e_));
        CHECK(rel_set_double(r, "f", ds[(k + 3) % 9], &e_));
        CHECK(rel_set_double(r, "d", ds[k % 9], &e_));
        if (k % 4 == 0)
            CHECK(rel_set_text(r, "dec", k % 8 ? "10.5" : "3", &e_));
        else if (k % 4 == 1)
            CHECK(rel_set_double(r, "dec", 2.25, &e_));
        CHECK(rel_set_text(r, "s", k == 7 ? pad : strs[k % 8], &e_));
        if (k % 3)
            CHECK(rel_set_text(r, "t", strs[(k + 1) % 8], &e_));
        CHECK(rel_set_bool(r, "b", k % 2, &e_));
        CHECK(rel_set_time(r, "dt", dts[k % 7], &e_));
        if (k % 2)
            CHECK(rel_set_text(r, "day", "2020-02-29", &e_));
        if (k % 3 == 0)
            CHECK(rel_set_text(r, "u", "6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B", &e_));
        if (k % 2)
            CHECK(rel_set_blob(r, "blob", k % 4 == 1 ? "" : "hi\0\xff", k % 4 == 1 ? 0 : 4, &e_));
        if (k % 3 == 1)
            CHECK(rel_set_text(r, "j", "{ \"a\" : [1, 2.50] }", &e_));
        else if (k % 3 == 2)
            CHECK(rel_set_text(r, "j", "1.0", &e_));
    }
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    for (int k = 0; k < N; k++) {
        char *mine = rel_record_json(rows[k]);
        char *stored = reload_json(f, rel_get_int(rows[k], "id"));
        assert_string_equal(mine, stored);
        free(mine);
        free(stored);
        rel_record_free(rows[k]);
    }
}

static void streaming_json_matches(void **state)
{
    fixture *f = *state;
    enum { N = 3000 };
    rel_record *rows[N];
    for (int i = 0; i < N; i++) {
        rows[i] = rel_new(f->thing);
        CHECK(rel_set_int(rows[i], "i", i, &e_));
        CHECK(rel_set_text(rows[i], "s", "some text to make the rows a little longer", &e_));
    }
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    for (int i = 0; i < N; i++)
        rel_record_free(rows[i]);
    rel_result *res = NULL;
    CHECK(rel_find_all(f->db, f->thing, NULL, &res, &e_));
    char *json = rel_result_json(res);
    size_t total = 0;
    CHECK(rel_result_write_json(res, collect, &total, &e_));
    assert_int_equal(total, strlen(json));
    rel_error err;
    assert_int_equal(rel_result_write_json(res, refuse, NULL, &err), REL_ERROR);
    free(json);
    rel_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_type_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(nulls_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(extreme_values, setup, teardown),
        cmocka_unit_test_setup_teardown(values_that_do_not_fit_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(reads_rows_written_by_raw_sql, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_values_of_the_wrong_type, setup, teardown),
        cmocka_unit_test_setup_teardown(stores_what_sequelize_stores, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_created_rows_hold_what_is_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(streaming_json_matches, setup, teardown),
    };
    char name[64];
    snprintf(name, sizeof name, "types[%s]", test_engine());
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
