/* Where JSON on whichever engine REL_TEST_ENGINE names: every operator, nesting of
 * and/or/not, values converted to the attribute's type, and errors for bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relate.h"
#include "fixture.h"
#include "testdb.h"

typedef struct fixture {
    rel_schema *schema;
    rel_model *person;
    rel_db *db;
    char last_sql[1024];
} fixture;

static fixture *F; /* one database for the whole group: every test only reads */

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)params;
    (void)n;
    fixture *f = user;
    snprintf(f->last_sql, sizeof f->last_sql, "%s", sql);
}

static int setup(void **state)
{
    (void)state;
    fixture *f = calloc(1, sizeof *f);
    rel_error err;
    f->schema = rel_schema_new();
    f->person = rel_define(f->schema, "Person",
                           (rel_attr[]){{.name = "name", .type = REL_STRING},
                                        {.name = "age", .type = REL_INTEGER},
                                        {.name = "active", .type = REL_BOOLEAN},
                                        {.name = "born", .type = REL_DATE, .field = "born_at"},
                                        {.name = "score", .type = REL_DOUBLE},
                                        {0}},
                           &(rel_model_opts){.underscored = true});
    f->db = test_open_synced(f->schema, test_db_url());
    const char *json[] = {
        "{\"name\":\"Ann\",\"age\":30,\"active\":true,\"born\":\"1990-01-01\",\"score\":1.5}",
        "{\"name\":\"Bo\",\"age\":40,\"active\":false,\"born\":\"1980-06-15\",\"score\":2.5}",
        "{\"name\":\"Cy\",\"active\":true}",
        "{\"name\":\"Di\",\"age\":25,\"born\":\"2000-03-03T10:00:00Z\",\"score\":3.5}",
        "{\"name\":\"Ed\",\"age\":50,\"active\":false,\"born\":\"1970-12-31\",\"score\":0.5}",
    };
    for (size_t i = 0; i < 5; i++) {
        rel_result *res = NULL;
        if (rel_create_json(f->db, f->person, json[i], &res, &err) != REL_OK)
            fail_msg("create %s: %s", json[i], err.message);
        rel_result_free(res);
    }
    rel_set_logger(f->db, logger, f);
    F = f;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rel_close(F->db);
    rel_schema_free(F->schema);
    free(F);
    return 0;
}

/* Names of the people matching where, in name order, comma-separated. */
static char *names(const char *where)
{
    rel_result *res = NULL;
    rel_error err;
    if (rel_find_all(F->db, F->person, &(rel_find_opts){.where = where, .order = "[\"name\"]"},
                     &res, &err) != REL_OK)
        fail_msg("where %s: %s", where, err.message);
    static char out[256];
    out[0] = '\0';
    for (size_t i = 0; i < rel_result_count(res); i++) {
        if (i)
            strcat(out, ",");
        strcat(out, rel_get_text(rel_result_row(res, i), "name"));
    }
    rel_result_free(res);

    /* count agrees with find. */
    int64_t n = -1;
    if (rel_count(F->db, F->person, &(rel_find_opts){.where = where}, &n, &err) != REL_OK)
        fail_msg("count %s: %s", where, err.message);
    size_t commas = 0;
    for (const char *p = out; *p; p++)
        commas += *p == ',';
    assert_int_equal(n, out[0] ? (int64_t)commas + 1 : 0);
    return out;
}

#define WHERE(json, want) assert_string_equal(names(json), want)

static void comparison_operators(void **state)
{
    (void)state;
    WHERE("{\"name\":\"Ann\"}", "Ann");
    WHERE("{\"age\":{\"eq\":30}}", "Ann");
    WHERE("{\"age\":{\"ne\":30}}", "Bo,Di,Ed");
    WHERE("{\"age\":{\"gt\":30}}", "Bo,Ed");
    WHERE("{\"age\":{\"gte\":30}}", "Ann,Bo,Ed");
    WHERE("{\"age\":{\"lt\":30}}", "Di");
    WHERE("{\"age\":{\"lte\":30}}", "Ann,Di");
    WHERE("{\"age\":{\"gt\":20,\"lt\":35}}", "Ann,Di");
    WHERE("{\"age\":\"40\"}", "Bo"); /* text converted to the attribute's type */
    WHERE("{\"score\":{\"gte\":2}}", "Bo,Di");
    WHERE("{\"born\":{\"gt\":\"1985-01-01\"}}", "Ann,Di");
    WHERE("{\"born\":\"2000-03-03T10:00:00.000Z\"}", "Di");
    WHERE("{\"name\":\"x' OR '1'='1\"}", "");
    WHERE("{}", "Ann,Bo,Cy,Di,Ed");
    WHERE("", "Ann,Bo,Cy,Di,Ed");
    WHERE("null", "Ann,Bo,Cy,Di,Ed");
}

static void membership_and_ranges(void **state)
{
    (void)state;
    WHERE("{\"age\":{\"in\":[30,40]}}", "Ann,Bo");
    WHERE("{\"age\":[30,40]}", "Ann,Bo");
    WHERE("{\"name\":{\"in\":[\"Cy\",\"Ed\",\"Zed\"]}}", "Cy,Ed");
    WHERE("{\"age\":{\"in\":[]}}", "");
    WHERE("{\"age\":{\"in\":[30,null]}}", "Ann");
    WHERE("{\"age\":{\"notIn\":[30,40]}}", "Di,Ed");
    WHERE("{\"age\":{\"notIn\":[]}}", "Ann,Bo,Cy,Di,Ed");
    WHERE("{\"age\":{\"notIn\":[30,null]}}", "");
    WHERE("{\"born\":{\"in\":[\"1990-01-01\",\"1970-12-31T00:00:00Z\"]}}", "Ann,Ed");
    WHERE("{\"active\":{\"in\":[true]}}", "Ann,Cy");
    WHERE("{\"age\":{\"between\":[25,40]}}", "Ann,Bo,Di");
    WHERE("{\"age\":{\"notBetween\":[25,40]}}", "Ed");
    WHERE("{\"score\":{\"between\":[1,3]}}", "Ann,Bo");
    WHERE("{\"name\":{\"like\":\"%o\"}}", "Bo");
    WHERE("{\"name\":{\"like\":\"_i\"}}", "Di");
    WHERE("{\"name\":{\"notLike\":\"A%\"}}", "Bo,Cy,Di,Ed");
}

static void nulls_and_booleans(void **state)
{
    (void)state;
    WHERE("{\"age\":null}", "Cy");
    WHERE("{\"age\":{\"is\":null}}", "Cy");
    WHERE("{\"age\":{\"eq\":null}}", "Cy");
    WHERE("{\"age\":{\"ne\":null}}", "Ann,Bo,Di,Ed");
    WHERE("{\"age\":{\"not\":null}}", "Ann,Bo,Di,Ed");
    WHERE("{\"active\":true}", "Ann,Cy");
    WHERE("{\"active\":false}", "Bo,Ed");
    WHERE("{\"active\":{\"is\":true}}", "Ann,Cy");
    WHERE("{\"active\":{\"not\":true}}", "Bo,Di,Ed");
    WHERE("{\"active\":\"true\"}", "Ann,Cy");
    WHERE("{\"age\":{\"not\":30}}", "Bo,Di,Ed");
    WHERE("{\"age\":{\"not\":[30,40]}}", "Di,Ed");
}

static void logic_and_nesting(void **state)
{
    (void)state;
    WHERE("{\"not\":{\"name\":\"Ann\"}}", "Bo,Cy,Di,Ed");
    WHERE("{\"or\":[{\"name\":\"Ann\"},{\"age\":{\"gt\":45}}]}", "Ann,Ed");
    WHERE("{\"or\":{\"name\":\"Ann\",\"age\":50}}", "Ann,Ed");
    WHERE("{\"and\":[{\"age\":{\"gt\":20}},{\"age\":{\"lt\":35}}]}", "Ann,Di");
    WHERE("{\"or\":[{\"and\":[{\"active\":true},{\"age\":{\"gte\":30}}]},"
          "{\"name\":{\"in\":[\"Di\"]}}]}",
          "Ann,Di");
    WHERE("{\"active\":false,\"or\":[{\"age\":40},{\"age\":50}]}", "Bo,Ed");
    WHERE("{\"age\":{\"or\":[{\"lt\":26},{\"gt\":45}]}}", "Di,Ed");
    WHERE("{\"age\":{\"or\":{\"lt\":26,\"eq\":null}}}", "Cy,Di");
    WHERE("{\"age\":{\"not\":{\"between\":[25,40]}}}", "Ed");
    WHERE("{\"not\":{\"or\":[{\"name\":\"Ann\"},{\"name\":\"Bo\"}]}}", "Cy,Di,Ed");
    /* Sequelize: an or of nothing, and a not of no restriction, match nothing
     * (0 = 1); an and of nothing matches everything. */
    WHERE("{\"or\":[]}", "");
    WHERE("{\"or\":[{}]}", "");
    WHERE("{\"and\":[]}", "Ann,Bo,Cy,Di,Ed");
    WHERE("{\"and\":[{},{\"name\":\"Bo\"}]}", "Bo");
    WHERE("{\"not\":{}}", "");
    WHERE("{\"not\":{\"age\":{\"notIn\":[]}}}", "");
    /* in [] is x IN (NULL): never true, and its NOT never true either. */
    WHERE("{\"not\":{\"age\":{\"in\":[]}}}", "");
    WHERE("{\"not\":{\"age\":{\"in\":[30,null]}}}", "");
    WHERE("{\"not\":{\"age\":{\"notIn\":[30,null]}}}", "Ann");
}

static void statements_do_not_grow_with_lists(void **state)
{
    (void)state;
    rel_result *res = NULL;
    if (rel_find_all(F->db, F->person, &(rel_find_opts){.where = "{\"age\":{\"in\":[1]}}"}, &res,
                     NULL) != REL_OK)
        fail();
    rel_result_free(res);
    char one[1024];
    snprintf(one, sizeof one, "%s", F->last_sql);
    if (rel_find_all(F->db, F->person,
                     &(rel_find_opts){.where = "{\"age\":{\"in\":[1,2,3,4,5,6,7,8,9,10]}}"}, &res,
                     NULL) != REL_OK)
        fail();
    rel_result_free(res);
    assert_string_equal(one, F->last_sql);
    assert_non_null(strstr(one, "\"Person\".\"age\""));
}

static void expect_error(const char *where, rel_status code, const char *fragment)
{
    rel_result *res = (rel_result *)1;
    rel_error err;
    rel_status st = rel_find_all(F->db, F->person, &(rel_find_opts){.where = where}, &res, &err);
    if (st != code)
        fail_msg("where %s: got %s (%s), want %s", where, rel_status_name(st),
                 st ? err.message : "", rel_status_name(code));
    assert_null(res);
    if (fragment && !strstr(err.message, fragment))
        fail_msg("where %s: message '%s' lacks '%s'", where, err.message, fragment);
    int64_t n;
    assert_int_equal(rel_count(F->db, F->person, &(rel_find_opts){.where = where}, &n, &err), code);
}

static void bad_input_is_reported(void **state)
{
    (void)state;
    expect_error("{\"nmae\":\"Ann\"}", REL_INVALID, "Person has no attribute 'nmae'");
    expect_error("{\"age\":{\"gtt\":3}}", REL_INVALID, "unknown operator 'gtt'");
    expect_error("{\"age\":\"abc\"}", REL_INVALID, "Person.age: 'abc' is not a valid INTEGER");
    expect_error("{\"age\":{\"in\":5}}", REL_INVALID, "takes an array");
    expect_error("{\"age\":{\"between\":[1,2,3]}}", REL_INVALID, "two values");
    expect_error("{\"name\":{\"like\":5}}", REL_INVALID, "pattern");
    expect_error("{\"active\":{\"is\":5}}", REL_INVALID, "null, true or false");
    expect_error("{\"or\":5}", REL_INVALID, "'or'");
    expect_error("{\"or\":[5]}", REL_INVALID, NULL);
    expect_error("[{\"name\":\"Ann\"}]", REL_INVALID, "JSON object");
    expect_error("{\"name\":", REL_PARSE, "invalid JSON");
    expect_error("{\"name\":{\"eq\":{\"a\":1}}}", REL_INVALID, NULL);
    /* Nesting is bounded. */
    char deep[2048] = "";
    for (int i = 0; i < 100; i++)
        strcat(deep, "{\"not\":");
    strcat(deep, "{\"name\":\"Ann\"}");
    for (int i = 0; i < 100; i++)
        strcat(deep, "}");
    expect_error(deep, REL_INVALID, "nested too deeply");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comparison_operators),
        cmocka_unit_test(membership_and_ranges),
        cmocka_unit_test(nulls_and_booleans),
        cmocka_unit_test(logic_and_nesting),
        cmocka_unit_test(statements_do_not_grow_with_lists),
        cmocka_unit_test(bad_input_is_reported),
    };
    char name[64];
    snprintf(name, sizeof name, "where[%s]", test_engine());
    return cmocka_run_group_tests_name(name, tests, setup, teardown);
}
