/* Eager loading (include) on whichever engine REL_TEST_ENGINE names: the
 * shapes of every kind (to-one object or null, to-many array, [] when empty,
 * belongsToMany rows with their junction row under the junction model's
 * name), exact JSON strings as Sequelize's JSON.stringify prints them (taken
 * from tests/oracle/expected where the oracle has the query), three-level
 * nesting, siblings, required / where / required:false, through attributes
 * and where, attributes on every level, aliases (the same target twice), the
 * seeds' custom keys, order by included columns, limit / offset with to-many
 * includes, rel_count with includes, rel_find_by_pk with includes, the
 * accessors, and the error messages of SEMANTICS.md.
 *
 * Data is written with raw SQL (explicit ids) so that every expected string
 * is known in advance. Models have timestamps: false except the generated
 * junction of the seeds, whose timestamps are written as constants. */
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

#define OK(call)                                                                                   \
    do {                                                                                           \
        rel_error E = {0};                                                                         \
        rel_status s_ = (call);                                                                    \
        if (s_ != REL_OK)                                                                          \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), E.message);                       \
    } while (0)

static const rel_model_opts NO_TS = {.timestamps = REL_NO};

/* ---------------------------------------------------------------- fixtures */

typedef struct fixture {
    rel_schema *schema;
    rel_db *db;
    const char *url;
    size_t nstmt;
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)sql;
    (void)params;
    (void)n;
    ((fixture *)user)->nstmt++;
}

/* Freezes, opens a fresh database, syncs, loads data (raw SQL). */
static fixture *open_fixture(rel_schema *s, const char *data)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->schema = s;
    f->url = test_db_url();
    f->db = test_open_synced(s, f->url);
    if (data && test_sql_exec(f->url, data) != 0)
        fail_msg("loading data failed");
    rel_set_logger(f->db, logger, f);
    return f;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f) {
        rel_close(f->db);
        rel_schema_free(f->schema);
        free(f);
    }
    return 0;
}

/* The organization example (DESIGN.md), without timestamps, plus a hasOne
 * (Desk), a second hasMany (Project) and a through model with an attribute. */
static const char ORG_DATA[] =
    "INSERT INTO \"Organizations\" (\"id\", \"name\") VALUES (1, 'Acme'), (2, 'Globex'), "
    "(3, 'Initech');"
    "INSERT INTO \"Employees\" (\"id\", \"name\", \"OrganizationId\") VALUES (1, 'Ann', 1), "
    "(2, 'Bo', 1), (3, 'Cy', 2), (4, 'Dee', NULL), (5, 'Eve', 2);"
    "INSERT INTO \"Desks\" (\"id\", \"label\", \"EmployeeId\") VALUES (1, 'D1', 1), "
    "(2, 'D3', 3), (3, 'Spare', NULL);"
    "INSERT INTO \"Tasks\" (\"id\", \"title\") VALUES (1, 'Ship'), (2, 'Test'), (3, 'Deploy'), "
    "(4, 'Unused');"
    "INSERT INTO \"EmployeeTasks\" (\"role\", \"EmployeeId\", \"TaskId\") VALUES "
    "('lead', 1, 1), ('dev', 1, 2), ('qa', 2, 2), ('lead', 2, 3), ('dev', 3, 3), (NULL, 5, 3);"
    "INSERT INTO \"Projects\" (\"id\", \"name\", \"OrganizationId\") VALUES (1, 'Rocket', 1), "
    "(2, 'Anvil', 1), (3, 'Portal', 2);";

static int setup_org(void **state)
{
    rel_schema *s = rel_schema_new();
    rel_model *org = rel_define(
        s, "Organization",
        (rel_attr[]){{.name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true},
                     {0}},
        &NO_TS);
    rel_model *emp =
        rel_define(s, "Employee", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, &NO_TS);
    rel_model *desk =
        rel_define(s, "Desk", (rel_attr[]){{.name = "label", .type = REL_STRING}, {0}}, &NO_TS);
    rel_model *task =
        rel_define(s, "Task", (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, &NO_TS);
    rel_model *proj =
        rel_define(s, "Project", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, &NO_TS);
    rel_define(s, "EmployeeTask", (rel_attr[]){{.name = "role", .type = REL_STRING}, {0}}, &NO_TS);
    rel_has_many(org, emp, NULL);
    rel_belongs_to(emp, org, NULL);
    rel_has_many(org, proj, NULL);
    rel_has_one(emp, desk, NULL);
    rel_belongs_to(desk, emp, NULL);
    rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "EmployeeTask"});
    rel_belongs_to_many(task, emp, &(rel_assoc_opts){.through = "EmployeeTask"});
    *state = open_fixture(s, ORG_DATA);
    return 0;
}

/* Sequelize's aliases scenario, reduced: the same target twice under two
 * aliases, and one aliased hasMany. */
static int setup_aliases(void **state)
{
    rel_schema *s = rel_schema_new();
    rel_model *user =
        rel_define(s, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, &NO_TS);
    rel_model *post =
        rel_define(s, "Post", (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, &NO_TS);
    rel_belongs_to(post, user, &(rel_assoc_opts){.as = "author"});
    rel_has_many(user, post,
                 &(rel_assoc_opts){.as = "articles", .foreign_key = {.name = "authorId"}});
    rel_belongs_to(post, user,
                   &(rel_assoc_opts){.as = "editor", .foreign_key = {.name = "editorId"}});
    *state = open_fixture(
        s, "INSERT INTO \"Users\" (\"id\", \"name\") VALUES (1, 'Ann'), (2, 'Bo'), (3, 'Cy');"
           "INSERT INTO \"Posts\" (\"id\", \"title\", \"authorId\", \"editorId\") VALUES "
           "(1, 'Hello', 1, 2), (2, 'Again', 1, 1), (3, 'Draft', 3, NULL);");
    return 0;
}

/* The seeds' custom keys (tests/oracle/scenarios/actors.rel), final state of
 * its data steps; the generated junction keeps its timestamps. */
static int setup_seeds(void **state)
{
    rel_schema *s = rel_schema_new();
    rel_model *actor =
        rel_define(s, "Actor",
                   (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true},
                                {.name = "wardrobe", .type = REL_STRING, .unique = true},
                                {0}},
                   &NO_TS);
    rel_model *role = rel_define(
        s, "Role", (rel_attr[]){{.name = "title", .type = REL_STRING, .unique = true}, {0}},
        &NO_TS);
    rel_model *costume =
        rel_define(s, "Costume",
                   (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true}, {0}}, &NO_TS);
    rel_has_one(actor, role,
                &(rel_assoc_opts){.source_key = "name", .foreign_key = {.name = "actorName"}});
    rel_belongs_to(role, actor,
                   &(rel_assoc_opts){.target_key = "name", .foreign_key = {.name = "actorName"}});
    rel_has_many(role, costume,
                 &(rel_assoc_opts){.source_key = "title", .foreign_key = {.name = "roleTitle"}});
    rel_belongs_to(costume, role,
                   &(rel_assoc_opts){.target_key = "title", .foreign_key = {.name = "roleTitle"}});
    rel_belongs_to_many(costume, actor,
                        &(rel_assoc_opts){.through = "actor_costumes",
                                          .source_key = "name",
                                          .target_key = "wardrobe"});
    rel_belongs_to_many(actor, costume,
                        &(rel_assoc_opts){.through = "actor_costumes",
                                          .source_key = "wardrobe",
                                          .target_key = "name"});
    const char *ts = test_is_postgres() ? "'2026-01-02 03:04:05.678+00'"
                                        : "'2026-01-02 03:04:05.678 +00:00'";
    char data[2048];
    snprintf(
        data, sizeof data,
        "INSERT INTO \"Actors\" (\"id\", \"name\", \"wardrobe\") VALUES (1, 'Jon Hamm', 'W-A'), "
        "(2, 'Moss', 'W-B'), (3, 'Slattery', NULL);"
        "INSERT INTO \"Roles\" (\"id\", \"title\", \"actorName\") VALUES (1, 'Don Draper', "
        "'Jon Hamm'), (2, 'Peggy', 'Moss'), (3, 'Roger', NULL);"
        "INSERT INTO \"Costumes\" (\"id\", \"name\", \"roleTitle\") VALUES (1, 'Grey suit', "
        "'Don Draper'), (2, 'Plaid dress', 'Peggy'), (3, 'Hat', 'Don Draper'), (4, 'Cape', NULL);"
        "INSERT INTO \"actor_costumes\" (\"createdAt\", \"updatedAt\", \"CostumeName\", "
        "\"ActorWardrobe\") VALUES (%s, %s, 'Grey suit', 'W-A'), (%s, %s, 'Hat', 'W-A'), "
        "(%s, %s, 'Hat', 'W-B'), (%s, %s, 'Plaid dress', 'W-B');",
        ts, ts, ts, ts, ts, ts, ts, ts);
    *state = open_fixture(s, data);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static const rel_model *model(fixture *f, const char *name)
{
    const rel_model *m = rel_schema_model(f->schema, name);
    assert_non_null(m);
    return m;
}

/* Finds and compares the result's JSON with want; on a mismatch prints both
 * from the first differing byte. Returns the number of statements run. */
static size_t expect_json(fixture *f, const char *name, const rel_find_opts *opts, const char *want)
{
    rel_result *res = NULL;
    rel_error err = {0};
    size_t before = f->nstmt;
    rel_status st = rel_find_all(f->db, model(f, name), opts, &res, &err);
    if (st != REL_OK)
        fail_msg("find %s -> %s: %s", name, rel_status_name(st), err.message);
    size_t used = f->nstmt - before;
    char *got = rel_result_json(res);
    assert_non_null(got);
    if (strcmp(got, want) != 0) {
        size_t i = 0;
        while (got[i] && got[i] == want[i])
            i++;
        size_t from = i > 60 ? i - 60 : 0;
        print_error("JSON differs at byte %zu\n  want: ...%.400s\n  got:  ...%.400s\n", i,
                    want + from, got + from);
        free(got);
        rel_result_free(res);
        fail();
    }
    free(got);
    rel_result_free(res);
    return used;
}

static void expect_error(fixture *f, const char *name, const rel_find_opts *opts, rel_status code,
                         const char *message)
{
    rel_result *res = NULL;
    rel_error err = {0};
    size_t before = f->nstmt;
    rel_status st = rel_find_all(f->db, model(f, name), opts, &res, &err);
    assert_null(res);
    if (st != code || !strstr(err.message, message))
        fail_msg("find %s: want %s \"%s\", got %s \"%s\"", name, rel_status_name(code), message,
                 rel_status_name(st), err.message);
    /* Checked before anything runs. */
    assert_int_equal(f->nstmt, before);
}

static int64_t count(fixture *f, const char *name, const rel_find_opts *opts)
{
    int64_t n = -1;
    OK(rel_count(f->db, model(f, name), opts, &n, &E));
    return n;
}

#define INCL(...) ((const rel_include[]){__VA_ARGS__, {0}})
#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})
static const char *const NONE[] = {NULL};

/* Rows of the org data, without the braces so includes can follow. */
#define ACME "\"id\":1,\"name\":\"Acme\""
#define GLOBEX "\"id\":2,\"name\":\"Globex\""
#define INITECH "\"id\":3,\"name\":\"Initech\""
#define ANN "\"id\":1,\"name\":\"Ann\",\"OrganizationId\":1"
#define BO "\"id\":2,\"name\":\"Bo\",\"OrganizationId\":1"
#define CY "\"id\":3,\"name\":\"Cy\",\"OrganizationId\":2"
#define DEE "\"id\":4,\"name\":\"Dee\",\"OrganizationId\":null"
#define EVE "\"id\":5,\"name\":\"Eve\",\"OrganizationId\":2"
#define SHIP "\"id\":1,\"title\":\"Ship\""
#define TEST "\"id\":2,\"title\":\"Test\""
#define DEPLOY "\"id\":3,\"title\":\"Deploy\""
#define UNUSED "\"id\":4,\"title\":\"Unused\""
#define ET(role, e, t)                                                                             \
    "\"EmployeeTask\":{\"role\":" role ",\"EmployeeId\":" #e ",\"TaskId\":" #t "}"
#define ROCKET "{\"id\":1,\"name\":\"Rocket\",\"OrganizationId\":1}"
#define ANVIL "{\"id\":2,\"name\":\"Anvil\",\"OrganizationId\":1}"
#define PORTAL "{\"id\":3,\"name\":\"Portal\",\"OrganizationId\":2}"

/* ---------------------------------------------------------------- kinds */

static void has_many_is_an_array_empty_when_nothing(void **state)
{
    fixture *f = *state;
    size_t n =
        expect_json(f, "Organization",
                    &(rel_find_opts){.include = INCL({.association = "Employees"}),
                                     .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
                    "[{" ACME ",\"Employees\":[{" ANN "},{" BO "}]},{" GLOBEX ",\"Employees\":[{" CY
                    "},{" EVE "}]},{" INITECH ",\"Employees\":[]}]");
    assert_int_equal(n, 2); /* the parents, then one query for the include */
    /* Without an order the includes still come in key order. */
    expect_json(f, "Organization", &(rel_find_opts){.include = INCL({.association = "Employees"})},
                "[{" ACME ",\"Employees\":[{" ANN "},{" BO "}]},{" GLOBEX ",\"Employees\":[{" CY
                "},{" EVE "}]},{" INITECH ",\"Employees\":[]}]");
    /* Nothing found: no include query at all. */
    n = expect_json(f, "Organization",
                    &(rel_find_opts){.where = "{\"name\":\"Nobody\"}",
                                     .include = INCL({.association = "Employees"})},
                    "[]");
    assert_int_equal(n, 1);
}

static void belongs_to_is_an_object_or_null(void **state)
{
    fixture *f = *state;
    expect_json(f, "Employee",
                &(rel_find_opts){.include = INCL({.association = "Organization"}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" ANN ",\"Organization\":{" ACME "}},{" BO ",\"Organization\":{" ACME "}},{" CY
                ",\"Organization\":{" GLOBEX "}},{" DEE ",\"Organization\":null},{" EVE
                ",\"Organization\":{" GLOBEX "}}]");
    /* By the target model's name, which is also the association's. */
    expect_json(f, "Desk",
                &(rel_find_opts){.include = INCL({.association = "Employee"}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{\"id\":1,\"label\":\"D1\",\"EmployeeId\":1,\"Employee\":{" ANN
                "}},{\"id\":2,\"label\":\"D3\",\"EmployeeId\":3,\"Employee\":{" CY
                "}},{\"id\":3,\"label\":\"Spare\",\"EmployeeId\":null,\"Employee\":null}]");
}

static void has_one_is_an_object_or_null(void **state)
{
    fixture *f = *state;
    expect_json(
        f, "Employee",
        &(rel_find_opts){.include = INCL({.association = "Desk"}), .order = "[[\"id\",\"ASC\"]]"},
        "[{" ANN ",\"Desk\":{\"id\":1,\"label\":\"D1\",\"EmployeeId\":1}},{" BO
        ",\"Desk\":null},{" CY ",\"Desk\":{\"id\":2,\"label\":\"D3\",\"EmployeeId\":3}},{" DEE
        ",\"Desk\":null},{" EVE ",\"Desk\":null}]");
}

static void belongs_to_many_rows_carry_their_junction_row(void **state)
{
    fixture *f = *state;
    expect_json(f, "Employee",
                &(rel_find_opts){.include = INCL({.association = "Tasks"}),
                                 .order = "[[\"id\",\"ASC\"],[\"Tasks\",\"id\",\"ASC\"]]"},
                "[{" ANN ",\"Tasks\":[{" SHIP "," ET("\"lead\"", 1, 1) "},{" TEST "," ET(
                    "\"dev\"", 1, 2) "}]},{" BO ",\"Tasks\":[{" TEST
                                     "," ET("\"qa\"", 2, 2) "},{" DEPLOY "," ET(
                                         "\"lead\"", 2, 3) "}]},{" CY ",\"Tasks\":[{" DEPLOY
                                                           "," ET("\"dev\"", 3,
                                                                  3) "}]},{" DEE
                                                                     ",\"Tasks\":[]},{" EVE
                                                                     ",\"Tasks\":[{" DEPLOY
                                                                     "," ET("null", 5, 3) "}]}]");
    /* The other side, through the same junction. */
    expect_json(
        f, "Task",
        &(rel_find_opts){.include = INCL({.association = "Employees"}),
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
        "[{" SHIP ",\"Employees\":[{" ANN
        "," ET("\"lead\"", 1, 1) "}]},{" TEST ",\"Employees\":[{" ANN "," ET(
            "\"dev\"", 1, 2) "},{" BO
                             "," ET("\"qa\"", 2, 2) "}]},{" DEPLOY ",\"Employees\":[{" BO "," ET(
                                 "\"lead\"", 2, 3) "},{" CY
                                                   "," ET("\"dev\"", 3, 3) "},{" EVE "," ET(
                                                       "null", 5, 3) "}]},{" UNUSED
                                                                     ",\"Employees\":[]}]");
}

static void accessors_walk_the_tree(void **state)
{
    fixture *f = *state;
    rel_result *res = NULL;
    OK(rel_find_all(
        f->db, model(f, "Employee"),
        &(rel_find_opts){.include = INCL({.association = "Organization"}, {.association = "Tasks"},
                                         {.association = "Desk"}),
                         .order = "[[\"id\",\"ASC\"],[\"Tasks\",\"id\",\"ASC\"]]"},
        &res, &E));
    assert_int_equal(rel_result_count(res), 5);
    rel_record *ann = rel_result_row(res, 0), *dee = rel_result_row(res, 3);
    assert_string_equal(rel_get_text(rel_get_one(ann, "Organization"), "name"), "Acme");
    assert_null(rel_get_one(dee, "Organization"));
    assert_null(rel_get_one(dee, "Desk"));
    assert_string_equal(rel_get_text(rel_get_one(ann, "Desk"), "label"), "D1");
    assert_int_equal(rel_get_many_count(ann, "Tasks"), 2);
    assert_int_equal(rel_get_many_count(dee, "Tasks"), 0);
    rel_record *test = rel_get_many_at(ann, "Tasks", 1);
    assert_string_equal(rel_get_text(test, "title"), "Test");
    assert_null(rel_get_many_at(ann, "Tasks", 2));
    rel_record *through = rel_get_through(test);
    assert_non_null(through);
    assert_string_equal(rel_model_name(rel_record_model(through)), "EmployeeTask");
    assert_string_equal(rel_get_text(through, "role"), "dev");
    assert_int_equal(rel_get_int(through, "EmployeeId"), 1);
    /* Not included: nothing. */
    assert_int_equal(rel_get_many_count(ann, "Projects"), 0);
    /* Rows of a result are not freed one by one. */
    rel_record_free(ann);
    rel_result_free(res);
}

static void find_by_pk_with_includes(void **state)
{
    fixture *f = *state;
    rel_result *res = NULL;
    OK(rel_find_by_pk(
        f->db, model(f, "Organization"), rel_int(2),
        &(rel_find_opts){.include = INCL({.association = "Employees"}, {.association = "Projects"}),
                         .order = "[[\"Employees\",\"id\",\"DESC\"]]"},
        &res, &E));
    char *json = rel_record_json(rel_result_row(res, 0));
    assert_string_equal(json, "{" GLOBEX ",\"Employees\":[{" EVE "},{" CY "}],\"Projects\":[" PORTAL
                              "]}");
    free(json);
    rel_result_free(res);
    rel_error err = {0};
    assert_int_equal(rel_find_by_pk(f->db, model(f, "Organization"), rel_int(9),
                                    &(rel_find_opts){.include = INCL({.association = "Employees"})},
                                    &res, &err),
                     REL_NOT_FOUND);
}

/* ---------------------------------------------------------------- nesting */

static void three_levels_of_to_one_and_to_many(void **state)
{
    fixture *f = *state;
    /* belongsTo -> belongsTo -> hasMany. */
    size_t n = expect_json(
        f, "Desk",
        &(rel_find_opts){
            .include = INCL({.association = "Employee",
                             .include = INCL({.association = "Organization",
                                              .include = INCL({.association = "Projects"})})}),
            .order = "[[\"id\",\"ASC\"],[\"Employee\",\"Organization\",\"Projects\",\"id\","
                     "\"ASC\"]]"},
        "[{\"id\":1,\"label\":\"D1\",\"EmployeeId\":1,\"Employee\":{" ANN ",\"Organization\":{" ACME
        ",\"Projects\":[" ROCKET "," ANVIL "]}}},{\"id\":2,\"label\":\"D3\",\"EmployeeId\":3,"
        "\"Employee\":{" CY ",\"Organization\":{" GLOBEX ",\"Projects\":[" PORTAL
        "]}}},{\"id\":3,\"label\":\"Spare\",\"EmployeeId\":null,\"Employee\":null}]");
    /* The two belongsTo levels are joined into the desks' statement
     * (include_join.c); the hasMany under them is its own. */
    assert_int_equal(n, 2);
}

static void three_levels_through_belongs_to_many_both_ways(void **state)
{
    fixture *f = *state;
    /* hasMany -> belongsToMany -> belongsToMany: one task under two employees
     * gets its own employees under each; attributes narrowed at each level. */
    const rel_include tree[] = {{.association = "Employees",
                                 .attributes = NAMES("name"),
                                 .include = INCL({.association = "Tasks",
                                                  .attributes = NAMES("title"),
                                                  .through_attributes = NONE,
                                                  .include = INCL({.association = "Employees",
                                                                   .attributes = NAMES("name"),
                                                                   .through_attributes = NONE})})},
                                {0}};
    size_t n = expect_json(
        f, "Organization",
        &(rel_find_opts){.include = tree,
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"],"
                                  "[\"Employees\",\"Tasks\",\"id\",\"ASC\"],"
                                  "[\"Employees\",\"Tasks\",\"Employees\",\"id\",\"ASC\"]]"},
        "[{" ACME ",\"Employees\":["
        "{\"name\":\"Ann\",\"Tasks\":[{\"title\":\"Ship\",\"Employees\":[{\"name\":\"Ann\"}]},"
        "{\"title\":\"Test\",\"Employees\":[{\"name\":\"Ann\"},{\"name\":\"Bo\"}]}]},"
        "{\"name\":\"Bo\",\"Tasks\":[{\"title\":\"Test\",\"Employees\":[{\"name\":\"Ann\"},"
        "{\"name\":\"Bo\"}]},{\"title\":\"Deploy\",\"Employees\":[{\"name\":\"Bo\"},{\"name\":"
        "\"Cy\"},{\"name\":\"Eve\"}]}]}]},"
        "{" GLOBEX
        ",\"Employees\":[{\"name\":\"Cy\",\"Tasks\":[{\"title\":\"Deploy\",\"Employees\":"
        "[{\"name\":\"Bo\"},{\"name\":\"Cy\"},{\"name\":\"Eve\"}]}]},{\"name\":\"Eve\",\"Tasks\":"
        "[{\"title\":\"Deploy\",\"Employees\":[{\"name\":\"Bo\"},{\"name\":\"Cy\"},{\"name\":"
        "\"Eve\"}]}]}]},"
        "{" INITECH ",\"Employees\":[]}]");
    assert_int_equal(n, 4);
}

static void junction_row_comes_before_nested_includes(void **state)
{
    fixture *f = *state;
    /* Sequelize selects the junction's columns right after the target's, so
     * toJSON prints the junction row before the target's own includes. */
    expect_json(
        f, "Task",
        &(rel_find_opts){.where = "{\"id\":1}",
                         .include = INCL({.association = "Employees",
                                          .include = INCL({.association = "Organization"})})},
        "[{" SHIP ",\"Employees\":[{" ANN "," ET("\"lead\"", 1, 1) ",\"Organization\":{" ACME
                                                                   "}}]}]");
}

static void siblings_at_one_level(void **state)
{
    fixture *f = *state;
    size_t n = expect_json(
        f, "Organization",
        &(rel_find_opts){.include = INCL({.association = "Employees"}, {.association = "Projects"}),
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"],"
                                  "[\"Projects\",\"id\",\"ASC\"]]"},
        "[{" ACME ",\"Employees\":[{" ANN "},{" BO "}],\"Projects\":[" ROCKET "," ANVIL
        "]},{" GLOBEX ",\"Employees\":[{" CY "},{" EVE "}],\"Projects\":[" PORTAL "]},{" INITECH
        ",\"Employees\":[],\"Projects\":[]}]");
    assert_int_equal(n, 3);
    /* Keys follow the include order, not the definition order. */
    expect_json(
        f, "Employee",
        &(rel_find_opts){.where = "{\"id\":3}",
                         .include = INCL({.association = "Tasks", .through_attributes = NONE},
                                         {.association = "Desk"}, {.association = "Organization"})},
        "[{" CY ",\"Tasks\":[{" DEPLOY "}],\"Desk\":{\"id\":2,\"label\":\"D3\","
        "\"EmployeeId\":3},\"Organization\":{" GLOBEX "}}]");
}

/* ---------------------------------------------------------------- required, where */

static void where_makes_an_include_required(void **state)
{
    fixture *f = *state;
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees",
                                                  .where = "{\"name\":{\"like\":\"A%\"}}"}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" ACME ",\"Employees\":[{" ANN "}]}]");
    /* To-one too. */
    expect_json(f, "Employee",
                &(rel_find_opts){.include = INCL({.association = "Organization",
                                                  .where = "{\"name\":\"Globex\"}"}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" CY ",\"Organization\":{" GLOBEX "}},{" EVE ",\"Organization\":{" GLOBEX "}}]");
    /* belongsToMany: only parents linked to a matching target. */
    expect_json(f, "Employee",
                &(rel_find_opts){.include = INCL({.association = "Tasks",
                                                  .where = "{\"title\":\"Test\"}",
                                                  .through_attributes = NONE}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" ANN ",\"Tasks\":[{" TEST "}]},{" BO ",\"Tasks\":[{" TEST "}]}]");
    /* With the top-level where. */
    expect_json(f, "Organization",
                &(rel_find_opts){
                    .where = "{\"name\":{\"ne\":\"Acme\"}}",
                    .include = INCL({.association = "Employees", .where = "{\"id\":{\"gt\":0}}"}),
                    .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
                "[{" GLOBEX ",\"Employees\":[{" CY "},{" EVE "}]}]");
}

static void required_without_where_and_optional_with_where(void **state)
{
    fixture *f = *state;
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees", .required = REL_YES}),
                                 .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
                "[{" ACME ",\"Employees\":[{" ANN "},{" BO "}]},{" GLOBEX ",\"Employees\":[{" CY
                "},{" EVE "}]}]");
    expect_json(f, "Employee",
                &(rel_find_opts){.include = INCL({.association = "Desk", .required = REL_YES}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" ANN ",\"Desk\":{\"id\":1,\"label\":\"D1\",\"EmployeeId\":1}},{" CY
                ",\"Desk\":{\"id\":2,\"label\":\"D3\",\"EmployeeId\":3}}]");
    /* required: false with where filters the included rows only. */
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees",
                                                  .required = REL_NO,
                                                  .where = "{\"name\":{\"in\":[\"Bo\",\"Cy\"]}}"}),
                                 .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
                "[{" ACME ",\"Employees\":[{" BO "}]},{" GLOBEX ",\"Employees\":[{" CY
                "}]},{" INITECH ",\"Employees\":[]}]");
    expect_json(f, "Employee",
                &(rel_find_opts){.include = INCL({.association = "Organization",
                                                  .required = REL_NO,
                                                  .where = "{\"name\":\"Acme\"}"}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" ANN ",\"Organization\":{" ACME "}},{" BO ",\"Organization\":{" ACME "}},{" CY
                ",\"Organization\":null},{" DEE ",\"Organization\":null},{" EVE
                ",\"Organization\":null}]");
}

static void nested_required_filters_its_own_level_only(void **state)
{
    fixture *f = *state;
    /* The oracle's "nested required inside optional": employees without a
     * Deploy task drop out of the list, organizations stay. */
    expect_json(
        f, "Organization",
        &(rel_find_opts){.include = INCL({.association = "Employees",
                                          .attributes = NAMES("name"),
                                          .include = INCL({.association = "Tasks",
                                                           .where = "{\"title\":\"Deploy\"}",
                                                           .attributes = NAMES("title"),
                                                           .through_attributes = NONE})}),
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
        "[{" ACME ",\"Employees\":[{\"name\":\"Bo\",\"Tasks\":[{\"title\":\"Deploy\"}]}]},{" GLOBEX
        ",\"Employees\":[{\"name\":\"Cy\",\"Tasks\":[{\"title\":\"Deploy\"}]},{\"name\":\"Eve\","
        "\"Tasks\":[{\"title\":\"Deploy\"}]}]},{" INITECH ",\"Employees\":[]}]");
    /* Required at both levels: only organizations with such an employee. */
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees",
                                                  .required = REL_YES,
                                                  .attributes = NAMES("name"),
                                                  .include = INCL({.association = "Tasks",
                                                                   .where = "{\"title\":\"Ship\"}",
                                                                   .attributes = NAMES("title"),
                                                                   .through_attributes = NONE})}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" ACME ",\"Employees\":[{\"name\":\"Ann\",\"Tasks\":[{\"title\":\"Ship\"}]}]}]");
    /* A belongsTo chain required at the top with a where below. */
    expect_json(
        f, "Desk",
        &(rel_find_opts){.include = INCL({.association = "Employee",
                                          .required = REL_YES,
                                          .attributes = NAMES("name"),
                                          .include = INCL({.association = "Organization",
                                                           .where = "{\"name\":\"Globex\"}"})}),
                         .order = "[[\"id\",\"ASC\"]]"},
        "[{\"id\":2,\"label\":\"D3\",\"EmployeeId\":3,\"Employee\":{\"name\":\"Cy\","
        "\"Organization\":{" GLOBEX "}}}]");
}

/* ---------------------------------------------------------------- through */

static void through_attributes_and_where(void **state)
{
    fixture *f = *state;
    const char *two = "{\"id\":{\"in\":[1,2]}}";
    const char *order = "[[\"id\",\"ASC\"],[\"Tasks\",\"id\",\"ASC\"]]";
    /* through: { attributes: [] } drops the junction row. */
    expect_json(
        f, "Employee",
        &(rel_find_opts){.where = two,
                         .order = order,
                         .include = INCL({.association = "Tasks", .through_attributes = NONE})},
        "[{" ANN ",\"Tasks\":[{" SHIP "},{" TEST "}]},{" BO ",\"Tasks\":[{" TEST "},{" DEPLOY
        "}]}]");
    /* Narrowed, in the order asked for. */
    expect_json(f, "Employee",
                &(rel_find_opts){.where = two,
                                 .order = order,
                                 .include = INCL({.association = "Tasks",
                                                  .through_attributes = NAMES("TaskId", "role")})},
                "[{" ANN ",\"Tasks\":[{" SHIP
                ",\"EmployeeTask\":{\"TaskId\":1,\"role\":\"lead\"}},{" TEST
                ",\"EmployeeTask\":{\"TaskId\":2,\"role\":\"dev\"}}]},{" BO ",\"Tasks\":[{" TEST
                ",\"EmployeeTask\":{\"TaskId\":2,\"role\":\"qa\"}},{" DEPLOY
                ",\"EmployeeTask\":{\"TaskId\":3,\"role\":\"lead\"}}]}]");
    /* Target attributes narrowed too. */
    expect_json(f, "Employee",
                &(rel_find_opts){.where = "{\"id\":1}",
                                 .order = order,
                                 .include = INCL({.association = "Tasks",
                                                  .attributes = NAMES("title"),
                                                  .through_attributes = NAMES("role")})},
                "[{" ANN ",\"Tasks\":[{\"title\":\"Ship\",\"EmployeeTask\":{\"role\":\"lead\"}},"
                "{\"title\":\"Test\",\"EmployeeTask\":{\"role\":\"dev\"}}]}]");
    /* through: { where } filters the included rows; it does not make the
     * include required (Sequelize: "through where (keeps parents)"). */
    expect_json(f, "Employee",
                &(rel_find_opts){.order = order,
                                 .include = INCL({.association = "Tasks",
                                                  .through_where = "{\"role\":\"lead\"}"})},
                "[{" ANN ",\"Tasks\":[{" SHIP
                "," ET("\"lead\"", 1, 1) "}]},{" BO ",\"Tasks\":[{" DEPLOY
                                         "," ET("\"lead\"", 2, 3) "}]},{" CY ",\"Tasks\":[]},{" DEE
                                                                  ",\"Tasks\":[]},{" EVE
                                                                  ",\"Tasks\":[]}]");
    /* ... unless required says so. */
    expect_json(
        f, "Employee",
        &(rel_find_opts){.order = order,
                         .include = INCL({.association = "Tasks",
                                          .required = REL_YES,
                                          .through_where = "{\"role\":{\"in\":[\"qa\",\"dev\"]}}",
                                          .through_attributes = NONE})},
        "[{" ANN ",\"Tasks\":[{" TEST "}]},{" BO ",\"Tasks\":[{" TEST "}]},{" CY
        ",\"Tasks\":[{" DEPLOY "}]}]");
    /* A through where and a target where together. */
    expect_json(f, "Task",
                &(rel_find_opts){.order = "[[\"id\",\"ASC\"]]",
                                 .include = INCL({.association = "Employees",
                                                  .where = "{\"name\":{\"ne\":\"Bo\"}}",
                                                  .through_where = "{\"role\":\"dev\"}",
                                                  .attributes = NAMES("name"),
                                                  .through_attributes = NONE})},
                "[{" TEST ",\"Employees\":[{\"name\":\"Ann\"}]},{" DEPLOY
                ",\"Employees\":[{\"name\":\"Cy\"}]}]");
}

/* ---------------------------------------------------------------- attributes */

static void attributes_on_the_top_level_and_each_include(void **state)
{
    fixture *f = *state;
    /* The oracle's "attributes narrowing, top level and include": keys needed
     * to link rows are read but not shown. */
    expect_json(
        f, "Organization",
        &(rel_find_opts){.attributes = NAMES("name"),
                         .include = INCL({.association = "Employees", .attributes = NAMES("name")}),
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]"},
        "[{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\"},{\"name\":\"Bo\"}]},"
        "{\"name\":\"Globex\",\"Employees\":[{\"name\":\"Cy\"},{\"name\":\"Eve\"}]},"
        "{\"name\":\"Initech\",\"Employees\":[]}]");
    /* belongsTo: the foreign key is read to link, not shown. */
    expect_json(f, "Employee",
                &(rel_find_opts){
                    .attributes = NAMES("name"),
                    .include = INCL({.association = "Organization", .attributes = NAMES("name")}),
                    .where = "{\"id\":{\"in\":[1,4]}}",
                    .order = "[[\"id\",\"ASC\"]]"},
                "[{\"name\":\"Ann\",\"Organization\":{\"name\":\"Acme\"}},"
                "{\"name\":\"Dee\",\"Organization\":null}]");
    /* Asked-for order is kept, keys included when asked for. */
    expect_json(
        f, "Employee",
        &(rel_find_opts){
            .attributes = NAMES("OrganizationId", "name", "id"),
            .include = INCL({.association = "Organization", .attributes = NAMES("name", "id")}),
            .where = "{\"id\":1}"},
        "[{\"OrganizationId\":1,\"name\":\"Ann\",\"id\":1,\"Organization\":{\"name\":\"Acme\","
        "\"id\":1}}]");
}

/* ---------------------------------------------------------------- order */

static void order_by_included_columns(void **state)
{
    fixture *f = *state;
    /* Included rows ordered by their own column. */
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees"}),
                                 .order = "[[\"id\",\"ASC\"],[\"Employees\",\"name\",\"DESC\"]]"},
                "[{" ACME ",\"Employees\":[{" BO "},{" ANN "}]},{" GLOBEX ",\"Employees\":[{" EVE
                "},{" CY "}]},{" INITECH ",\"Employees\":[]}]");
    /* Deeper: by a column two levels down. */
    expect_json(
        f, "Organization",
        &(rel_find_opts){.where = "{\"id\":1}",
                         .include = INCL({.association = "Employees",
                                          .attributes = NAMES("name"),
                                          .include = INCL({.association = "Tasks",
                                                           .attributes = NAMES("title"),
                                                           .through_attributes = NONE})}),
                         .order = "[[\"Employees\",\"id\",\"ASC\"],"
                                  "[\"Employees\",\"Tasks\",\"title\",\"ASC\"]]"},
        "[{" ACME ",\"Employees\":[{\"name\":\"Ann\",\"Tasks\":[{\"title\":\"Ship\"},{\"title\":"
        "\"Test\"}]},{\"name\":\"Bo\",\"Tasks\":[{\"title\":\"Deploy\"},{\"title\":\"Test\"}]}]}]");
    /* By a junction column. */
    expect_json(f, "Employee",
                &(rel_find_opts){
                    .where = "{\"id\":2}",
                    .include = INCL({.association = "Tasks", .through_attributes = NAMES("role")}),
                    .order = "[[\"Tasks\",\"title\",\"DESC\"]]"},
                "[{" BO ",\"Tasks\":[{" TEST ",\"EmployeeTask\":{\"role\":\"qa\"}},{" DEPLOY
                ",\"EmployeeTask\":{\"role\":\"lead\"}}]}]");
    /* Top-level rows ordered by a to-one included column (no NULLs: the
     * engines place them differently, as Sequelize's SQL does). */
    expect_json(f, "Employee",
                &(rel_find_opts){
                    .where = "{\"OrganizationId\":{\"ne\":null}}",
                    .attributes = NAMES("name"),
                    .include = INCL({.association = "Organization", .attributes = NAMES("name")}),
                    .order = "[[\"Organization\",\"name\",\"DESC\"],[\"id\",\"ASC\"]]"},
                "[{\"name\":\"Cy\",\"Organization\":{\"name\":\"Globex\"}},"
                "{\"name\":\"Eve\",\"Organization\":{\"name\":\"Globex\"}},"
                "{\"name\":\"Ann\",\"Organization\":{\"name\":\"Acme\"}},"
                "{\"name\":\"Bo\",\"Organization\":{\"name\":\"Acme\"}}]");
    /* Top-level rows ordered by a to-many included column: Sequelize sorts
     * the joined rows, so a parent comes where its first child does. */
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees",
                                                  .required = REL_YES,
                                                  .attributes = NAMES("name")}),
                                 .order = "[[\"Employees\",\"name\",\"DESC\"]]"},
                "[{" GLOBEX ",\"Employees\":[{\"name\":\"Eve\"},{\"name\":\"Cy\"}]},{" ACME
                ",\"Employees\":[{\"name\":\"Bo\"},{\"name\":\"Ann\"}]}]");
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees",
                                                  .required = REL_YES,
                                                  .attributes = NAMES("name")}),
                                 .order = "[[\"Employees\",\"name\",\"ASC\"]]"},
                "[{" ACME ",\"Employees\":[{\"name\":\"Ann\"},{\"name\":\"Bo\"}]},{" GLOBEX
                ",\"Employees\":[{\"name\":\"Cy\"},{\"name\":\"Eve\"}]}]");
}

static void order_by_something_not_included_is_an_error(void **state)
{
    fixture *f = *state;
    /* Sequelize's SQL fails on these; relate says why before running. */
    expect_error(f, "Organization",
                 &(rel_find_opts){.include = INCL({.association = "Employees"}),
                                  .order = "[[\"Projects\",\"name\",\"ASC\"]]"},
                 REL_INVALID,
                 "order: 'Projects' is not included in this query; include it to order by its "
                 "attributes");
    expect_error(
        f, "Organization",
        &(rel_find_opts){.include = INCL({.association = "Employees"}),
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"Tasks\",\"id\",\"ASC\"]]"},
        REL_INVALID, "order: 'Tasks' is not included under Employees");
    expect_error(f, "Organization",
                 &(rel_find_opts){.include = INCL({.association = "Employees"}),
                                  .order = "[[\"Employees\",\"bogus\",\"ASC\"]]"},
                 REL_INVALID, "order: Employee has no attribute 'bogus'");
    expect_error(f, "Organization",
                 &(rel_find_opts){.include = INCL({.association = "Employees"}),
                                  .order = "[[\"id\",\"ASC\"],[\"Employees\",\"bogus\",\"ASC\"]]"},
                 REL_INVALID, "order: Employee has no attribute 'bogus'");
    /* By the name the include used (the model's) as well as the association's. */
    expect_json(f, "Organization",
                &(rel_find_opts){.where = "{\"id\":1}",
                                 .include = INCL({.association = "Employee"}),
                                 .order = "[[\"Employee\",\"id\",\"DESC\"]]"},
                "[{" ACME ",\"Employees\":[{" BO "},{" ANN "}]}]");
}

/* ---------------------------------------------------------------- limit, offset */

static void limit_and_offset_count_top_level_rows(void **state)
{
    fixture *f = *state;
    const char *order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"]]";
    /* Two parents, all four of their children. */
    expect_json(
        f, "Organization",
        &(rel_find_opts){.include = INCL({.association = "Employees"}), .order = order, .limit = 2},
        "[{" ACME ",\"Employees\":[{" ANN "},{" BO "}]},{" GLOBEX ",\"Employees\":[{" CY "},{" EVE
        "}]}]");
    expect_json(
        f, "Organization",
        &(rel_find_opts){
            .include = INCL({.association = "Employees"}), .order = order, .limit = 2, .offset = 1},
        "[{" GLOBEX ",\"Employees\":[{" CY "},{" EVE "}]},{" INITECH ",\"Employees\":[]}]");
    expect_json(f, "Organization",
                &(rel_find_opts){
                    .include = INCL({.association = "Employees"}), .order = order, .offset = 2},
                "[{" INITECH ",\"Employees\":[]}]");
    /* One parent, its children all there. */
    expect_json(
        f, "Organization",
        &(rel_find_opts){.include = INCL({.association = "Employees"}, {.association = "Projects"}),
                         .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"],"
                                  "[\"Projects\",\"id\",\"ASC\"]]",
                         .limit = 1},
        "[{" ACME ",\"Employees\":[{" ANN "},{" BO "}],\"Projects\":[" ROCKET "," ANVIL "]}]");
    /* A required include filters before the limit counts. */
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employees",
                                                  .where = "{\"name\":{\"ne\":\"Ann\"}}"}),
                                 .order = order,
                                 .limit = 1},
                "[{" ACME ",\"Employees\":[{" BO "}]}]");
    expect_json(f, "Organization",
                &(rel_find_opts){
                    .include = INCL({.association = "Employees", .where = "{\"name\":\"Eve\"}"}),
                    .order = order,
                    .limit = 5},
                "[{" GLOBEX ",\"Employees\":[{" EVE "}]}]");
    /* belongsToMany under a limit. */
    expect_json(
        f, "Employee",
        &(rel_find_opts){.include = INCL({.association = "Tasks", .through_attributes = NONE}),
                         .order = "[[\"id\",\"ASC\"],[\"Tasks\",\"id\",\"ASC\"]]",
                         .limit = 2,
                         .offset = 1},
        "[{" BO ",\"Tasks\":[{" TEST "},{" DEPLOY "}]},{" CY ",\"Tasks\":[{" DEPLOY "}]}]");
}

/* ---------------------------------------------------------------- count */

static void count_with_includes_counts_distinct_parents(void **state)
{
    fixture *f = *state;
    assert_int_equal(
        count(f, "Organization", &(rel_find_opts){.include = INCL({.association = "Employees"})}),
        3);
    assert_int_equal(
        count(f, "Organization",
              &(rel_find_opts){.include = INCL({.association = "Employees", .required = REL_YES})}),
        2);
    assert_int_equal(
        count(f, "Organization",
              &(rel_find_opts){.include = INCL({.association = "Employees",
                                                .where = "{\"name\":{\"like\":\"%e%\"}}"})}),
        1); /* Eve only: Globex */
    assert_int_equal(
        count(f, "Employee",
              &(rel_find_opts){.include = INCL({.association = "Tasks", .required = REL_YES})}),
        4); /* six junction rows, four employees */
    assert_int_equal(
        count(f, "Organization",
              &(rel_find_opts){.include = INCL({.association = "Employees",
                                                .required = REL_YES,
                                                .include = INCL({.association = "Tasks",
                                                                 .where = "{\"title\":"
                                                                          "\"Deploy\"}"})})}),
        2);
    assert_int_equal(
        count(f, "Employee",
              &(rel_find_opts){.where = "{\"id\":{\"lt\":5}}",
                               .include = INCL({.association = "Organization", .required = REL_YES},
                                               {.association = "Desk", .required = REL_YES})}),
        2); /* Ann, Cy */
    int64_t n = 0;
    rel_error err = {0};
    assert_int_equal(rel_count(f->db, model(f, "Organization"),
                               &(rel_find_opts){.include = INCL({.association = "Task"})}, &n,
                               &err),
                     REL_INVALID);
    assert_string_equal(err.message, "Task is not associated to Organization");
}

/* ---------------------------------------------------------------- names, errors */

static void include_by_model_name(void **state)
{
    fixture *f = *state;
    expect_json(f, "Organization",
                &(rel_find_opts){.include = INCL({.association = "Employee"}),
                                 .where = "{\"id\":2}",
                                 .order = "[[\"Employees\",\"id\",\"ASC\"]]"},
                "[{" GLOBEX ",\"Employees\":[{" CY "},{" EVE "}]}]");
    expect_json(
        f, "Employee",
        &(rel_find_opts){.include = INCL({.association = "Task", .through_attributes = NONE}),
                         .where = "{\"id\":1}"},
        "[{" ANN ",\"Tasks\":[{" SHIP "},{" TEST "}]}]");
}

static void unknown_associations_are_named(void **state)
{
    fixture *f = *state;
    expect_error(f, "Organization", &(rel_find_opts){.include = INCL({.association = "Task"})},
                 REL_INVALID, "Task is not associated to Organization");
    expect_error(
        f, "Organization",
        &(rel_find_opts){
            .include = INCL({.association = "Employees",
                             .include = INCL({.association = "Tasks",
                                              .include = INCL({.association = "Organization"})})})},
        REL_INVALID, "Organization is not associated to Task");
    expect_error(f, "Organization", &(rel_find_opts){.include = INCL({.association = "bogus"})},
                 REL_INVALID, "Association with alias 'bogus' does not exist on Organization");
    expect_error(f, "Organization",
                 &(rel_find_opts){.include = INCL({.association = "Employees",
                                                   .include = INCL({.association = "bogus"})})},
                 REL_INVALID, "Association with alias 'bogus' does not exist on Employee");
    expect_error(
        f, "Organization",
        &(rel_find_opts){.include = INCL({.association = "Employees", .where = "{\"bogus\":1}"})},
        REL_INVALID, "bogus");
    expect_error(f, "Organization",
                 &(rel_find_opts){
                     .include = INCL({.association = "Employees", .attributes = NAMES("bogus")})},
                 REL_INVALID, "attributes: Employee has no attribute 'bogus'");
    expect_error(f, "Employee",
                 &(rel_find_opts){.include = INCL({.association = "Tasks",
                                                   .through_attributes = NAMES("bogus")})},
                 REL_INVALID, "attributes: EmployeeTask has no attribute 'bogus'");
    expect_error(f, "Employee",
                 &(rel_find_opts){
                     .include = INCL({.association = "Tasks", .through_where = "{\"bogus\":1}"})},
                 REL_INVALID, "bogus");
    /* Reported whatever the data: here no parent matches, so the include
     * would never be loaded. */
    expect_error(f, "Organization",
                 &(rel_find_opts){.where = "{\"id\":99}",
                                  .include = INCL({.association = "Employees",
                                                   .required = REL_NO,
                                                   .include = INCL({.association = "Tasks",
                                                                    .required = REL_NO,
                                                                    .where = "{\"bogus\":1}"})})},
                 REL_INVALID, "where: Task has no attribute 'bogus'");
    int64_t n = 0;
    rel_error err = {0};
    assert_int_equal(rel_count(f->db, model(f, "Organization"),
                               &(rel_find_opts){.include = INCL({.association = "Employees",
                                                                 .required = REL_NO,
                                                                 .attributes = NAMES("bogus")})},
                               &n, &err),
                     REL_INVALID);
    assert_string_equal(err.message, "attributes: Employee has no attribute 'bogus'");
}

/* ---------------------------------------------------------------- aliases */

#define U_ANN "{\"id\":1,\"name\":\"Ann\"}"
#define U_BO "{\"id\":2,\"name\":\"Bo\"}"
#define U_CY "{\"id\":3,\"name\":\"Cy\"}"
#define P_HELLO "\"id\":1,\"title\":\"Hello\",\"authorId\":1,\"editorId\":2"
#define P_AGAIN "\"id\":2,\"title\":\"Again\",\"authorId\":1,\"editorId\":1"
#define P_DRAFT "\"id\":3,\"title\":\"Draft\",\"authorId\":3,\"editorId\":null"

static void the_same_target_twice_under_two_aliases(void **state)
{
    fixture *f = *state;
    size_t n = expect_json(
        f, "Post",
        &(rel_find_opts){.include = INCL({.association = "author"}, {.association = "editor"}),
                         .order = "[[\"id\",\"ASC\"]]"},
        "[{" P_HELLO ",\"author\":" U_ANN ",\"editor\":" U_BO "},{" P_AGAIN ",\"author\":" U_ANN
        ",\"editor\":" U_ANN "},{" P_DRAFT ",\"author\":" U_CY ",\"editor\":null}]");
    /* Both belongsTo are joined into the posts' statement (include_join.c). */
    assert_int_equal(n, 1);
    /* Each alias takes its own where. */
    expect_json(
        f, "Post",
        &(rel_find_opts){.include = INCL({.association = "author", .where = "{\"name\":\"Ann\"}"},
                                         {.association = "editor", .where = "{\"name\":\"Ann\"}"}),
                         .order = "[[\"id\",\"ASC\"]]"},
        "[{" P_AGAIN ",\"author\":" U_ANN ",\"editor\":" U_ANN "}]");
    /* The aliased hasMany, and back again through the other alias. */
    expect_json(f, "User",
                &(rel_find_opts){.include = INCL({.association = "articles",
                                                  .include = INCL({.association = "editor"})}),
                                 .order = "[[\"id\",\"ASC\"],[\"articles\",\"id\",\"ASC\"]]"},
                "[{\"id\":1,\"name\":\"Ann\",\"articles\":[{" P_HELLO ",\"editor\":" U_BO
                "},{" P_AGAIN ",\"editor\":" U_ANN
                "}]},{\"id\":2,\"name\":\"Bo\",\"articles\":[]},{\"id\":3,\"name\":"
                "\"Cy\",\"articles\":[{" P_DRAFT ",\"editor\":null}]}]");
    /* Order by an aliased include's column. */
    expect_json(
        f, "Post",
        &(rel_find_opts){.include = INCL({.association = "author", .attributes = NAMES("name")}),
                         .attributes = NAMES("title"),
                         .order = "[[\"author\",\"name\",\"DESC\"],[\"id\",\"ASC\"]]"},
        "[{\"title\":\"Draft\",\"author\":{\"name\":\"Cy\"}},{\"title\":\"Hello\",\"author\":"
        "{\"name\":\"Ann\"}},{\"title\":\"Again\",\"author\":{\"name\":\"Ann\"}}]");
    assert_int_equal(
        count(f, "User",
              &(rel_find_opts){.include = INCL({.association = "articles", .required = REL_YES})}),
        2);
}

static void aliased_associations_must_be_included_by_alias(void **state)
{
    fixture *f = *state;
    expect_error(f, "User", &(rel_find_opts){.include = INCL({.association = "Post"})}, REL_INVALID,
                 "Post is associated to User using an alias; include it as 'articles'");
    expect_error(f, "User", &(rel_find_opts){.include = INCL({.association = "bogus"})},
                 REL_INVALID, "Association with alias 'bogus' does not exist on User");
    /* The default name is not a name once there is an alias. */
    expect_error(f, "User", &(rel_find_opts){.include = INCL({.association = "Posts"})},
                 REL_INVALID, "Association with alias 'Posts' does not exist on User");
    expect_error(f, "Post", &(rel_find_opts){.include = INCL({.association = "User"})}, REL_INVALID,
                 "User is associated to Post using an alias");
}

/* ---------------------------------------------------------------- the seeds' keys */

#define JON "\"id\":1,\"name\":\"Jon Hamm\",\"wardrobe\":\"W-A\""
#define MOSS "\"id\":2,\"name\":\"Moss\",\"wardrobe\":\"W-B\""
#define SLATTERY "\"id\":3,\"name\":\"Slattery\",\"wardrobe\":null"
#define DON "\"id\":1,\"title\":\"Don Draper\",\"actorName\":\"Jon Hamm\""
#define PEGGY "\"id\":2,\"title\":\"Peggy\",\"actorName\":\"Moss\""
#define ROGER "\"id\":3,\"title\":\"Roger\",\"actorName\":null"
#define SUIT "\"id\":1,\"name\":\"Grey suit\",\"roleTitle\":\"Don Draper\""
#define DRESS "\"id\":2,\"name\":\"Plaid dress\",\"roleTitle\":\"Peggy\""
#define HAT "\"id\":3,\"name\":\"Hat\",\"roleTitle\":\"Don Draper\""
#define CAPE "\"id\":4,\"name\":\"Cape\",\"roleTitle\":null"
#define AC(c, w)                                                                                   \
    "\"actor_costumes\":{\"createdAt\":\"2026-01-02T03:04:05.678Z\",\"updatedAt\":"                \
    "\"2026-01-02T03:04:05.678Z\",\"CostumeName\":\"" c "\",\"ActorWardrobe\":\"" w "\"}"

static void seeds_custom_keys(void **state)
{
    fixture *f = *state;
    /* Actor.hasOne(Role, { sourceKey: 'name', foreignKey: 'actorName' }) */
    expect_json(
        f, "Actor",
        &(rel_find_opts){.include = INCL({.association = "Role"}), .order = "[[\"id\",\"ASC\"]]"},
        "[{" JON ",\"Role\":{" DON "}},{" MOSS ",\"Role\":{" PEGGY "}},{" SLATTERY
        ",\"Role\":null}]");
    /* Role.belongsTo(Actor, { targetKey: 'name', foreignKey: 'actorName' }) */
    expect_json(
        f, "Role",
        &(rel_find_opts){.include = INCL({.association = "Actor"}), .order = "[[\"id\",\"ASC\"]]"},
        "[{" DON ",\"Actor\":{" JON "}},{" PEGGY ",\"Actor\":{" MOSS "}},{" ROGER
        ",\"Actor\":null}]");
    /* Role.hasMany(Costume, { sourceKey: 'title', foreignKey: 'roleTitle' }) */
    expect_json(f, "Role",
                &(rel_find_opts){.include = INCL({.association = "Costumes"}),
                                 .order = "[[\"id\",\"ASC\"],[\"Costumes\",\"id\",\"ASC\"]]"},
                "[{" DON ",\"Costumes\":[{" SUIT "},{" HAT "}]},{" PEGGY ",\"Costumes\":[{" DRESS
                "}]},{" ROGER ",\"Costumes\":[]}]");
    /* Costume.belongsToMany(Actor, { through: 'actor_costumes', sourceKey:
     * 'name', targetKey: 'wardrobe' }): the junction row under its name. */
    expect_json(f, "Costume",
                &(rel_find_opts){.include = INCL({.association = "Actors"}),
                                 .order = "[[\"id\",\"ASC\"],[\"Actors\",\"id\",\"ASC\"]]"},
                "[{" SUIT ",\"Actors\":[{" JON
                "," AC("Grey suit", "W-A") "}]},{" DRESS ",\"Actors\":[{" MOSS "," AC(
                    "Plaid dress", "W-B") "}]},{" HAT ",\"Actors\":[{" JON
                                          "," AC("Hat", "W-A") "},{" MOSS "," AC(
                                              "Hat", "W-B") "}]},{" CAPE ",\"Actors\":[]}]");
    /* Everything nested, as the oracle's "all of it, nested". */
    expect_json(
        f, "Actor",
        &(rel_find_opts){
            .include = INCL({.association = "Role", .include = INCL({.association = "Costumes"})},
                            {.association = "Costumes"}),
            .where = "{\"id\":{\"in\":[1,3]}}",
            .order = "[[\"id\",\"ASC\"],[\"Role\",\"Costumes\",\"id\",\"ASC\"],"
                     "[\"Costumes\",\"id\",\"ASC\"]]"},
        "[{" JON ",\"Role\":{" DON ",\"Costumes\":[{" SUIT "},{" HAT "}]},\"Costumes\":[{" SUIT
        "," AC("Grey suit", "W-A") "},{" HAT
                                   "," AC("Hat", "W-A") "}]},{" SLATTERY
                                                        ",\"Role\":null,\"Costumes\":[]}]");
    /* Required and where over the custom keys. */
    expect_json(f, "Actor",
                &(rel_find_opts){.include = INCL({.association = "Costumes",
                                                  .where = "{\"name\":\"Hat\"}",
                                                  .through_attributes = NONE}),
                                 .order = "[[\"id\",\"ASC\"]]"},
                "[{" JON ",\"Costumes\":[{" HAT "}]},{" MOSS ",\"Costumes\":[{" HAT "}]}]");
    expect_json(
        f, "Costume",
        &(rel_find_opts){.include = INCL({.association = "Role",
                                          .required = REL_YES,
                                          .include = INCL({.association = "Actor",
                                                           .where = "{\"name\":\"Moss\"}"})}),
                         .order = "[[\"id\",\"ASC\"]]"},
        "[{" DRESS ",\"Role\":{" PEGGY ",\"Actor\":{" MOSS "}}}]");
    assert_int_equal(
        count(f, "Actor",
              &(rel_find_opts){.include = INCL({.association = "Role", .required = REL_YES})}),
        2);
    assert_int_equal(
        count(f, "Costume",
              &(rel_find_opts){.include = INCL({.association = "Actors", .required = REL_YES})}),
        3);
    /* Attributes without the custom keys: they are read to link, not shown. */
    expect_json(
        f, "Role",
        &(rel_find_opts){.attributes = NAMES("id"),
                         .include = INCL({.association = "Costumes", .attributes = NAMES("id")},
                                         {.association = "Actor", .attributes = NAMES("id")}),
                         .order = "[[\"id\",\"ASC\"],[\"Costumes\",\"id\",\"ASC\"]]"},
        "[{\"id\":1,\"Costumes\":[{\"id\":1},{\"id\":3}],\"Actor\":{\"id\":1}},"
        "{\"id\":2,\"Costumes\":[{\"id\":2}],\"Actor\":{\"id\":2}},"
        "{\"id\":3,\"Costumes\":[],\"Actor\":null}]");
}

static void seeds_keys_with_awkward_text(void **state)
{
    fixture *f = *state;
    /* Text keys travel as one array parameter: quotes, commas, braces,
     * backslashes, a key spelled NULL and non-ASCII must all match. */
    assert_int_equal(
        test_sql_exec(f->url, "INSERT INTO \"Roles\" (\"id\", \"title\") VALUES (10, 'NULL'), "
                              "(11, 'a,\"b\"}{\\c'), (12, 'Zo\xc3\xab \xe2\x98\x83'), (13, '');"
                              "INSERT INTO \"Costumes\" (\"id\", \"name\", \"roleTitle\") VALUES "
                              "(10, 'c10', 'NULL'), (11, 'c11', 'a,\"b\"}{\\c'), "
                              "(12, 'c12', 'Zo\xc3\xab \xe2\x98\x83'), (13, 'c13', '');"),
        0);
    expect_json(
        f, "Role",
        &(rel_find_opts){.where = "{\"id\":{\"gte\":10}}",
                         .attributes = NAMES("id"),
                         .include = INCL({.association = "Costumes", .attributes = NAMES("name")}),
                         .order = "[[\"id\",\"ASC\"]]"},
        "[{\"id\":10,\"Costumes\":[{\"name\":\"c10\"}]},{\"id\":11,\"Costumes\":[{\"name\":"
        "\"c11\"}]},{\"id\":12,\"Costumes\":[{\"name\":\"c12\"}]},{\"id\":13,\"Costumes\":"
        "[{\"name\":\"c13\"}]}]");
    expect_json(
        f, "Costume",
        &(rel_find_opts){.where = "{\"id\":{\"gte\":10}}",
                         .attributes = NAMES("id"),
                         .include = INCL({.association = "Role", .attributes = NAMES("title")}),
                         .order = "[[\"id\",\"ASC\"]]"},
        "[{\"id\":10,\"Role\":{\"title\":\"NULL\"}},{\"id\":11,\"Role\":{\"title\":"
        "\"a,\\\"b\\\"}{\\\\c\"}},{\"id\":12,\"Role\":{\"title\":\"Zo\xc3\xab \xe2\x98\x83\"}},"
        "{\"id\":13,\"Role\":{\"title\":\"\"}}]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(has_many_is_an_array_empty_when_nothing, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(belongs_to_is_an_object_or_null, setup_org, teardown),
        cmocka_unit_test_setup_teardown(has_one_is_an_object_or_null, setup_org, teardown),
        cmocka_unit_test_setup_teardown(belongs_to_many_rows_carry_their_junction_row, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(accessors_walk_the_tree, setup_org, teardown),
        cmocka_unit_test_setup_teardown(find_by_pk_with_includes, setup_org, teardown),
        cmocka_unit_test_setup_teardown(three_levels_of_to_one_and_to_many, setup_org, teardown),
        cmocka_unit_test_setup_teardown(three_levels_through_belongs_to_many_both_ways, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(junction_row_comes_before_nested_includes, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(siblings_at_one_level, setup_org, teardown),
        cmocka_unit_test_setup_teardown(where_makes_an_include_required, setup_org, teardown),
        cmocka_unit_test_setup_teardown(required_without_where_and_optional_with_where, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(nested_required_filters_its_own_level_only, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(through_attributes_and_where, setup_org, teardown),
        cmocka_unit_test_setup_teardown(attributes_on_the_top_level_and_each_include, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(order_by_included_columns, setup_org, teardown),
        cmocka_unit_test_setup_teardown(order_by_something_not_included_is_an_error, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(limit_and_offset_count_top_level_rows, setup_org, teardown),
        cmocka_unit_test_setup_teardown(count_with_includes_counts_distinct_parents, setup_org,
                                        teardown),
        cmocka_unit_test_setup_teardown(include_by_model_name, setup_org, teardown),
        cmocka_unit_test_setup_teardown(unknown_associations_are_named, setup_org, teardown),
        cmocka_unit_test_setup_teardown(the_same_target_twice_under_two_aliases, setup_aliases,
                                        teardown),
        cmocka_unit_test_setup_teardown(aliased_associations_must_be_included_by_alias,
                                        setup_aliases, teardown),
        cmocka_unit_test_setup_teardown(seeds_custom_keys, setup_seeds, teardown),
        cmocka_unit_test_setup_teardown(seeds_keys_with_awkward_text, setup_seeds, teardown),
    };
    return cmocka_run_group_tests_name(
        test_is_postgres() ? "include_shapes[postgres]" : "include_shapes[sqlite]", tests, NULL,
        NULL);
}
