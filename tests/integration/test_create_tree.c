/* rel_create_json (src/query/create_tree.c) on the engine REL_TEST_ENGINE
 * names: nested rows of every kind of association, junction values, JSON and
 * BLOB attributes, and that a failure anywhere in the tree leaves nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "relate.h"
#include "testdb.h"

static const char models[] =
    "Organization = define('Organization', { name: { type: STRING, unique: true } })\n"
    "Employee = define('Employee', {\n"
    "  name: { type: STRING, allowNull: false }, meta: JSON, photo: BLOB,\n"
    "})\n"
    "Task = define('Task', { title: STRING })\n"
    "EmployeeTask = define('EmployeeTask', { role: STRING })\n"
    "Node = define('Node', { label: STRING })\n"
    "Organization.hasMany(Employee)\n"
    "Employee.belongsTo(Organization)\n"
    "Employee.belongsToMany(Task, { through: EmployeeTask })\n"
    "Task.belongsToMany(Employee, { through: EmployeeTask })\n"
    "Node.hasOne(Node, { as: 'child', foreignKey: 'parentId' })\n";

typedef struct fixture {
    rel_schema *s;
    rel_db *db;
    const char *url;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char *errors = NULL;
    rel_error err;
    if (rel_schema_load_text(models, strlen(models), "t.rel", &f->s, &errors, &err) != REL_OK)
        fail_msg("%s", errors ? errors : err.message);
    f->url = test_db_url();
    if (rel_open(&f->db, f->s, f->url, &err) != REL_OK ||
        rel_sync(f->db, NULL, &err) != REL_OK)
        fail_msg("%s", err.message);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_close(f->db);
    rel_schema_free(f->s);
    free(f);
    return 0;
}

static const rel_model *model(fixture *f, const char *name)
{
    const rel_model *m = rel_schema_model(f->s, name);
    assert_non_null(m);
    return m;
}

/* Creates and returns the created tree's JSON (malloc'd). */
static char *create_ok(fixture *f, const char *name, const char *json)
{
    rel_result *res = NULL;
    rel_error err;
    if (rel_create_json(f->db, model(f, name), json, &res, &err) != REL_OK)
        fail_msg("%s: %s", json, err.message);
    assert_int_equal(rel_result_count(res), 1);
    char *out = rel_record_json(rel_result_row(res, 0));
    assert_non_null(out);
    rel_result_free(res);
    return out;
}

static void create_fails(fixture *f, const char *name, const char *json, rel_status want,
                         const char *message)
{
    rel_result *res = (rel_result *)1;
    rel_error err;
    rel_status st = rel_create_json(f->db, model(f, name), json, &res, &err);
    if (st != want || !strstr(err.message, message))
        fail_msg("%s: %s '%s' (want %s '%s')", json, rel_status_name(st), err.message,
                 rel_status_name(want), message);
    assert_null(res);
}

static char *scalar(fixture *f, const char *sql)
{
    return test_sql_scalar(f->url, sql);
}

static void assert_count(fixture *f, const char *table, const char *want)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    char *n = scalar(f, sql);
    assert_non_null(n);
    if (strcmp(n, want) != 0)
        fail_msg("%s has %s rows, want %s", table, n, want);
    free(n);
}

static void tree_with_junction_values(void **state)
{
    fixture *f = *state;
    char *json = create_ok(f, "Organization",
        "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\",\"meta\":{\"a\":[1,2]},"
        "\"photo\":{\"type\":\"Buffer\",\"data\":[104,105]},"
        "\"Tasks\":[{\"title\":\"Ship\",\"EmployeeTask\":{\"role\":\"lead\"}},{\"title\":\"Test\"}]},"
        "{\"name\":\"Bo\",\"photo\":\"hi\"}]}");
    assert_non_null(strstr(json, "\"meta\":{\"a\":[1,2]}"));
    assert_non_null(strstr(json, "\"photo\":{\"type\":\"Buffer\",\"data\":[104,105]}"));
    /* The junction row shows where values were given for it. */
    const char *lead = strstr(json, "\"EmployeeTask\":{");
    assert_non_null(lead);
    assert_true(strncmp(lead, "\"EmployeeTask\":{\"role\":\"lead\",\"createdAt\":", 37) == 0);
    assert_non_null(strstr(lead, "\"EmployeeId\":1,\"TaskId\":1}"));
    assert_null(strstr(lead + 1, "\"EmployeeTask\":{"));
    assert_non_null(strstr(json, "\"name\":\"Bo\",\"meta\":null,\"photo\":{\"type\":\"Buffer\","
                                 "\"data\":[104,105]}"));
    free(json);

    assert_count(f, "Organizations", "1");
    assert_count(f, "Employees", "2");
    assert_count(f, "Tasks", "2");
    assert_count(f, "EmployeeTasks", "2");
    char *role = scalar(f, "SELECT \"role\" FROM \"EmployeeTasks\" WHERE \"TaskId\" = 1");
    assert_string_equal(role, "lead");
    free(role);
    char *org = scalar(f, "SELECT count(*) FROM \"Employees\" WHERE \"OrganizationId\" = 1");
    assert_string_equal(org, "2");
    free(org);

    /* belongsTo: the parent first; and the other side of belongsToMany. */
    json = create_ok(f, "Task", "{\"title\":\"Deploy\",\"Employees\":[{\"name\":\"Cy\","
                                "\"Organization\":{\"name\":\"Initech\"}}]}");
    assert_non_null(strstr(json, "\"OrganizationId\":2,\"Organization\":{\"id\":2,"
                                 "\"name\":\"Initech\""));
    free(json);
    char *link = scalar(f, "SELECT \"EmployeeId\" FROM \"EmployeeTasks\" WHERE \"TaskId\" = 3");
    assert_string_equal(link, "3");
    free(link);
}

static void to_one_null_and_empty_lists(void **state)
{
    fixture *f = *state;
    char *json = create_ok(f, "Node", "{\"label\":\"root\",\"child\":null}");
    assert_non_null(strstr(json, "\"child\":null"));
    free(json);
    json = create_ok(f, "Organization", "{\"name\":\"Empty\",\"Employees\":[]}");
    assert_non_null(strstr(json, "\"Employees\":[]"));
    free(json);
    json = create_ok(f, "Node", "{\"label\":\"a\",\"child\":{\"label\":\"b\",\"child\":{}}}");
    assert_non_null(strstr(json, "\"label\":\"b\",\"createdAt\""));
    assert_non_null(strstr(json, "\"parentId\":2,\"child\":{\"id\":4,\"label\":null"));
    assert_non_null(strstr(json, "\"parentId\":3}}}"));
    free(json);
}

/* A failure anywhere in the tree: nothing of it is kept. */
static void failures_leave_nothing(void **state)
{
    fixture *f = *state;
    create_fails(f, "Organization", "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\"},{}]}",
                 REL_NOT_NULL, "Employee.name cannot be null");
    create_fails(f, "Organization", "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\","
                                    "\"Tasks\":[{\"title\":\"x\",\"bogus\":1}]}]}",
                 REL_INVALID, "Task has no attribute or association 'bogus'");
    create_fails(f, "Organization", "{\"name\":\"Acme\",\"Employees\":{\"name\":\"Ann\"}}",
                 REL_INVALID, "Organization.Employees takes an array of objects, not an object");
    create_fails(f, "Organization", "{\"name\":\"Acme\",\"Employees\":[1]}",
                 REL_INVALID, "Organization.Employees[0] must be an object, not a number");
    create_fails(f, "Employee", "{\"name\":\"Ann\",\"Organization\":[]}",
                 REL_INVALID, "Employee.Organization takes an object, not an array");
    create_fails(f, "Employee", "{\"name\":\"Ann\",\"Tasks\":[{\"EmployeeTask\":5}]}",
                 REL_INVALID, "Employee.Tasks: EmployeeTask takes an object, not a number");
    create_fails(f, "Employee", "{\"name\":[1]}", REL_INVALID,
                 "Employee.name takes a value, not an array");
    create_fails(f, "Employee", "{\"name\":\"Ann\",\"photo\":{\"type\":\"Blob\"}}", REL_INVALID,
                 "Employee.photo takes a string or {\"type\":\"Buffer\",\"data\":[...]}");
    create_fails(f, "Employee", "{\"name\":\"Ann\",\"photo\":{\"type\":\"Buffer\","
                                "\"data\":[256]}}", REL_INVALID,
                 "Employee.photo: Buffer data must be bytes (0 to 255)");
    create_fails(f, "Organization", "[]", REL_INVALID,
                 "a Organization to create must be a JSON object, not an array");
    create_fails(f, "Organization", "{\"name\":", REL_PARSE, "not valid JSON");
    assert_count(f, "Organizations", "0");
    assert_count(f, "Employees", "0");
    assert_count(f, "Tasks", "0");

    /* The database refuses the last row: the rows before it are rolled back. */
    char *json = create_ok(f, "Organization", "{\"name\":\"Taken\"}");
    free(json);
    rel_result *res = NULL;
    rel_error err;
    rel_status st = rel_create_json(f->db, model(f, "Employee"),
                                    "{\"name\":\"Ann\",\"Tasks\":[{\"title\":\"x\"}],"
                                    "\"Organization\":{\"name\":\"Taken\"}}", &res, &err);
    assert_int_equal(st, REL_UNIQUE);
    assert_null(res);
    assert_count(f, "Organizations", "1");
    assert_count(f, "Employees", "0");
    assert_count(f, "Tasks", "0");
}

static void nesting_is_bounded(void **state)
{
    fixture *f = *state;
    char json[8192] = "";
    for (int i = 0; i < 40; i++)
        strcat(json, "{\"label\":\"n\",\"child\":");
    strcat(json, "null");
    for (int i = 0; i < 40; i++)
        strcat(json, "}");
    create_fails(f, "Node", json, REL_INVALID, "nested more than 32 levels deep");
    assert_count(f, "Nodes", "0");

    json[0] = '\0';
    for (int i = 0; i < 30; i++)
        strcat(json, "{\"label\":\"n\",\"child\":");
    strcat(json, "null");
    for (int i = 0; i < 30; i++)
        strcat(json, "}");
    free(create_ok(f, "Node", json));
    assert_count(f, "Nodes", "30");
}

/* Inside the caller's transaction the tree is a savepoint: the caller's
 * rollback removes it. */
static void inside_a_transaction(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    free(create_ok(f, "Organization", "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\"}]}"));
    create_fails(f, "Organization", "{\"name\":\"Acme\"}", REL_UNIQUE, "");
    /* The failed tree rolled back to its savepoint; the first is still there. */
    free(create_ok(f, "Organization", "{\"name\":\"Globex\"}"));
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
    assert_count(f, "Organizations", "0");
    assert_count(f, "Employees", "0");
}

static void misuse(void **state)
{
    fixture *f = *state;
    rel_result *res = NULL;
    rel_error err;
    assert_int_equal(rel_create_json(NULL, model(f, "Node"), "{}", &res, &err), REL_MISUSE);
    assert_int_equal(rel_create_json(f->db, NULL, "{}", &res, &err), REL_MISUSE);
    assert_int_equal(rel_create_json(f->db, model(f, "Node"), NULL, &res, &err), REL_MISUSE);
    assert_int_equal(rel_create_json(f->db, model(f, "Node"), "{}", NULL, &err), REL_MISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(tree_with_junction_values, setup, teardown),
        cmocka_unit_test_setup_teardown(to_one_null_and_empty_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(failures_leave_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(nesting_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(inside_a_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(misuse, setup, teardown),
    };
    char name[64];
    snprintf(name, sizeof name, "create_tree[%s]", test_engine());
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
