/* Unit tests for --include / --attributes JSON into find options
 * (src/io/json_opts.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json_opts.h"
#include "relate.h"
#include "util/arena.h"

static const char models[] =
    "Organization = define('Organization', { name: STRING })\n"
    "Employee = define('Employee', { name: STRING })\n"
    "Task = define('Task', { title: STRING })\n"
    "Organization.hasMany(Employee)\n"
    "Employee.belongsTo(Organization)\n"
    "Employee.belongsToMany(Task, { through: 'EmployeeTasks' })\n"
    "Task.belongsToMany(Employee, { through: 'EmployeeTasks' })\n";

typedef struct fixture {
    rel_schema *s;
    rel_arena *arena;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char *errors = NULL;
    rel_error err;
    assert_int_equal(rel_schema_load_text(models, strlen(models), "t.rel", &f->s, &errors, &err),
                     REL_OK);
    f->arena = rel_arena_new(0);
    assert_non_null(f->arena);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_arena_free(f->arena);
    rel_schema_free(f->s);
    free(f);
    return 0;
}

static const rel_model *model(void **state, const char *name)
{
    fixture *f = *state;
    const rel_model *m = rel_schema_model(f->s, name);
    assert_non_null(m);
    return m;
}

static const rel_include *include_ok(void **state, const char *model_name, const char *json)
{
    fixture *f = *state;
    const rel_include *inc = NULL;
    rel_error err;
    rel_status st = rel_json_include_parse(json, model(state, model_name), f->arena, &inc, &err);
    if (st != REL_OK)
        fail_msg("%s: %s", json, err.message);
    return inc;
}

static void include_error(void **state, const char *json, rel_status want, const char *message)
{
    fixture *f = *state;
    const rel_include *inc = (const rel_include *)1;
    rel_error err;
    rel_status st = rel_json_include_parse(json, model(state, "Organization"), f->arena, &inc, &err);
    if (st != want || !strstr(err.message, message))
        fail_msg("%s: %s '%s' (want %s '%s')", json, rel_status_name(st), err.message,
                 rel_status_name(want), message);
}

static size_t count(const rel_include *inc)
{
    size_t n = 0;
    while (inc && inc[n].association)
        n++;
    return n;
}

static void assert_names(const char *const *list, const char *joined)
{
    char buf[512] = "";
    for (size_t i = 0; list && list[i]; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, list[i]);
    }
    assert_string_equal(buf, joined);
}

static void nothing_is_no_include(void **state)
{
    assert_null(include_ok(state, "Organization", NULL));
    assert_null(include_ok(state, "Organization", ""));
    assert_null(include_ok(state, "Organization", "null"));
    const rel_include *inc = include_ok(state, "Organization", "[]");
    assert_non_null(inc);
    assert_int_equal(count(inc), 0);
}

static void names_and_single_nodes(void **state)
{
    const rel_include *inc = include_ok(state, "Employee", "[\"Tasks\", \"Organization\"]");
    assert_int_equal(count(inc), 2);
    assert_string_equal(inc[0].association, "Tasks");
    assert_string_equal(inc[1].association, "Organization");
    assert_int_equal(inc[0].required, REL_DEFAULT);
    assert_null(inc[0].where);
    assert_null(inc[0].attributes);
    assert_null(inc[0].include);

    inc = include_ok(state, "Employee", "\"Tasks\"");
    assert_int_equal(count(inc), 1);
    assert_string_equal(inc[0].association, "Tasks");

    inc = include_ok(state, "Employee", "{\"model\":\"Task\"}");
    assert_int_equal(count(inc), 1);
    assert_string_equal(inc[0].association, "Task");

    /* as wins over model and association, as in Sequelize. */
    inc = include_ok(state, "Employee", "[{\"model\":\"Task\",\"as\":\"Tasks\"},"
                                        "{\"association\":\"Organization\",\"model\":\"X\"}]");
    assert_string_equal(inc[0].association, "Tasks");
    assert_string_equal(inc[1].association, "Organization");
}

static void every_key(void **state)
{
    const rel_include *inc = include_ok(state, "Organization",
        "[{\"association\":\"Employees\",\"required\":false,"
        "\"where\":{\"name\":{\"like\":\"A%\"},\"id\":{\"gt\":1}},"
        "\"attributes\":[\"id\",\"name\"],"
        "\"include\":[{\"association\":\"Tasks\",\"required\":true,"
        "\"through\":{\"attributes\":[],\"where\":{\"TaskId\":2}}}]}]");
    assert_int_equal(count(inc), 1);
    assert_string_equal(inc[0].association, "Employees");
    assert_int_equal(inc[0].required, REL_NO);
    /* The where goes on as compact JSON, its keys in their order. */
    assert_string_equal(inc[0].where, "{\"name\":{\"like\":\"A%\"},\"id\":{\"gt\":1}}");
    assert_names(inc[0].attributes, "id,name");
    const rel_include *sub = inc[0].include;
    assert_int_equal(count(sub), 1);
    assert_string_equal(sub[0].association, "Tasks");
    assert_int_equal(sub[0].required, REL_YES);
    assert_non_null(sub[0].through_attributes);
    assert_null(sub[0].through_attributes[0]); /* {NULL}: no junction attributes */
    assert_string_equal(sub[0].through_where, "{\"TaskId\":2}");
    assert_null(sub[0].include);
}

/* {"exclude": [...]}: every other attribute, in the model's order. */
static void excluded_attributes(void **state)
{
    fixture *f = *state;
    const char *const *attrs = NULL;
    rel_error err;
    assert_int_equal(rel_json_attributes_parse("{\"exclude\":[\"createdAt\",\"nope\"]}",
                                               model(state, "Employee"), f->arena, &attrs, &err),
                     REL_OK);
    assert_names(attrs, "id,name,updatedAt,OrganizationId");
    assert_int_equal(rel_json_attributes_parse("[\"name\",\"id\"]", model(state, "Employee"),
                                               f->arena, &attrs, &err), REL_OK);
    assert_names(attrs, "name,id");
    assert_int_equal(rel_json_attributes_parse("[]", model(state, "Employee"), f->arena, &attrs,
                                               &err), REL_OK);
    assert_non_null(attrs);
    assert_null(attrs[0]);
    assert_int_equal(rel_json_attributes_parse(NULL, model(state, "Employee"), f->arena, &attrs,
                                               &err), REL_OK);
    assert_null(attrs);

    /* Inside includes: the target's attributes, and the junction's. */
    const rel_include *inc = include_ok(state, "Organization",
        "[{\"association\":\"Employees\",\"attributes\":{\"exclude\":[\"updatedAt\"]},"
        "\"include\":[{\"model\":\"Task\",\"attributes\":{\"exclude\":[\"id\"]},"
        "\"through\":{\"attributes\":{\"exclude\":[\"createdAt\",\"updatedAt\"]}}}]}]");
    assert_names(inc[0].attributes, "id,name,createdAt,OrganizationId");
    assert_names(inc[0].include[0].attributes, "title,createdAt,updatedAt");
    assert_names(inc[0].include[0].through_attributes, "EmployeeId,TaskId");

    /* An association that does not exist: left to the find to report. */
    inc = include_ok(state, "Organization",
                     "[{\"association\":\"Nope\",\"attributes\":{\"exclude\":[\"id\"]}}]");
    assert_string_equal(inc[0].association, "Nope");
    assert_null(inc[0].attributes);
}

static void errors_name_the_place(void **state)
{
    include_error(state, "[\"Employees\"", REL_PARSE, "not valid JSON: ");
    include_error(state, "[1]", REL_INVALID,
                  "include[0] must be an association name or an object, not a number");
    include_error(state, "[{\"association\":\"Employees\",\"bogus\":1}]", REL_INVALID,
                  "include[0]: unknown key \"bogus\"");
    include_error(state, "[{\"association\":\"Employees\",\"required\":\"yes\"}]", REL_INVALID,
                  "include[0].required must be true or false, not a string");
    include_error(state, "[{\"association\":\"Employees\",\"where\":[1]}]", REL_INVALID,
                  "include[0].where must be an object, not an array");
    include_error(state, "[{\"association\":\"Employees\",\"attributes\":\"name\"}]", REL_INVALID,
                  "include[0].attributes must be an array of attribute names, not a string");
    include_error(state, "[{\"association\":\"Employees\",\"attributes\":[1]}]", REL_INVALID,
                  "include[0].attributes[0] must be an attribute name (a string), not a number");
    include_error(state, "[{\"association\":\"Employees\",\"attributes\":{\"include\":[]}}]",
                  REL_INVALID, "include[0].attributes must be an array of attribute names or "
                               "{\"exclude\": [...]}");
    include_error(state, "[{\"required\":true}]", REL_INVALID,
                  "include[0] names no association");
    include_error(state, "[{\"association\":7}]", REL_INVALID,
                  "include[0].association must be a name (a string), not a number");
    include_error(state, "[{\"association\":\"Employees\",\"through\":{\"x\":1}}]", REL_INVALID,
                  "include[0].through: unknown key \"x\"");
    include_error(state, "[{\"association\":\"Employees\",\"through\":[]}]", REL_INVALID,
                  "include[0].through must be an object");
    include_error(state, "[{\"association\":\"Employees\",\"include\":[{\"association\":"
                         "\"Tasks\",\"include\":[2]}]}]", REL_INVALID,
                  "include[0].include[0].include[0] must be an association name");

    /* Nesting is bounded. */
    char deep[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "{\"association\":\"Employees\",\"include\":");
    strcat(deep, "\"Tasks\"");
    for (int i = 0; i < 40; i++)
        strcat(deep, "}");
    include_error(state, deep, REL_INVALID, "includes are nested more than 32 levels deep");

    fixture *f = *state;
    const char *const *attrs = NULL;
    rel_error err;
    assert_int_equal(rel_json_attributes_parse("{", NULL, f->arena, &attrs, &err), REL_PARSE);
    assert_int_equal(rel_json_attributes_parse("\"id\"", NULL, f->arena, &attrs, &err),
                     REL_INVALID);
    assert_string_equal(err.message, "attributes must be an array of attribute names, not a "
                                     "string");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(nothing_is_no_include, setup, teardown),
        cmocka_unit_test_setup_teardown(names_and_single_nodes, setup, teardown),
        cmocka_unit_test_setup_teardown(every_key, setup, teardown),
        cmocka_unit_test_setup_teardown(excluded_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_name_the_place, setup, teardown),
    };
    return cmocka_run_group_tests_name("json_opts", tests, NULL, NULL);
}
