/* examples/organization.rel with the C API: organizations, their employees
 * and the tasks employees work on (hasMany + belongsTo, two belongsToMany
 * through one junction).
 *
 * Defines the models, checks that they make the same tables as the model
 * file, creates the tables, creates rows (a nested tree from JSON, then rows
 * one by one) and prints every organization with its employees and their
 * tasks as JSON.
 *
 *   ./organization [DATABASE-URL]      (default sqlite::memory:)
 */
#include <relate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef REL_EXAMPLES_DIR
#define REL_EXAMPLES_DIR "examples"
#endif

static int fail(const char *what, const rel_error *err)
{
    fprintf(stderr, "organization: %s: %s\n", what, err->message);
    return 1;
}

/* The models of organization.rel. */
static rel_schema *define_models(void)
{
    rel_schema *s = rel_schema_new();
    if (!s)
        return NULL;
    rel_model *org = rel_define(s, "Organization", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true},
        {0}}, NULL);
    rel_model *emp = rel_define(s, "Employee", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .allow_null = REL_NO},
        {.name = "hired", .type = REL_DATEONLY},
        {0}}, NULL);
    rel_model *task = rel_define(s, "Task", (rel_attr[]){
        {.name = "title", .type = REL_STRING, .length = 100, .allow_null = REL_NO},
        {.name = "done", .type = REL_BOOLEAN, .allow_null = REL_NO, .default_value = "false"},
        {0}}, NULL);

    /* One to many: employees that belong to an organization. */
    rel_has_many(org, emp, NULL);
    rel_belongs_to(emp, org, NULL);
    /* Many to many: employees work on many tasks, tasks need many employees. */
    rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_belongs_to_many(task, emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    return s;
}

/* The C definitions and the model file describe the same tables. */
static int same_as_model_file(const rel_schema *s)
{
    rel_schema *from_file = NULL;
    char *errors = NULL, *a = NULL, *b = NULL;
    rel_error err;
    int rc = 1;
    if (rel_schema_load_file(REL_EXAMPLES_DIR "/organization.rel", &from_file, &errors, &err) !=
        REL_OK) {
        fprintf(stderr, "%s", errors ? errors : err.message);
        goto done;
    }
    if (rel_ddl(s, "postgres", NULL, &a, &err) != REL_OK ||
        rel_ddl(from_file, "postgres", NULL, &b, &err) != REL_OK) {
        fail("ddl", &err);
        goto done;
    }
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "organization: the C definitions and organization.rel differ:\n%s\n%s",
                a, b);
        goto done;
    }
    rc = 0;
done:
    free(a);
    free(b);
    free(errors);
    rel_schema_free(from_file);
    return rc;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite::memory:";
    rel_error err;
    rel_db *db = NULL;
    rel_result *res = NULL;
    rel_record *globex = NULL, *cy = NULL;
    int rc = 1;

    rel_schema *s = define_models();
    if (!s)
        return 1;
    if (rel_schema_freeze(s, &err) != REL_OK) {
        for (size_t i = 0; i < rel_schema_error_count(s); i++)
            fprintf(stderr, "%s\n", rel_schema_error_at(s, i)->message);
        goto done;
    }
    if (same_as_model_file(s) != 0)
        goto done;
    if (rel_open(&db, s, url, &err) != REL_OK) {
        rc = fail("open", &err);
        goto done;
    }
    if (rel_sync(db, &(rel_sync_opts){.force = true}, &err) != REL_OK) {
        rc = fail("sync", &err);
        goto done;
    }

    /* A tree in one call, as `relate create` and Sequelize's create(..., { include }). */
    const rel_model *org = rel_schema_model(s, "Organization");
    const char *tree = "{\"name\":\"Acme\",\"Employees\":["
                       "{\"name\":\"Ann\",\"hired\":\"2020-01-15\","
                       "\"Tasks\":[{\"title\":\"Ship\"},{\"title\":\"Test\"}]},"
                       "{\"name\":\"Bo\"}]}";
    if (rel_create_json(db, org, tree, &res, &err) != REL_OK) {
        rc = fail("create", &err);
        goto done;
    }
    rel_result_free(res);
    res = NULL;

    /* Rows one by one; the employee's foreign key is set by hand. */
    globex = rel_new(org);
    cy = rel_new(rel_schema_model(s, "Employee"));
    if (!globex || !cy)
        goto done;
    if (rel_set_text(globex, "name", "Globex", &err) != REL_OK ||
        rel_save(db, globex, &err) != REL_OK ||
        rel_set_text(cy, "name", "Cy", &err) != REL_OK ||
        rel_set_int(cy, "OrganizationId", rel_get_int(globex, "id"), &err) != REL_OK ||
        rel_save(db, cy, &err) != REL_OK) {
        rc = fail("save", &err);
        goto done;
    }

    /* Every organization with its employees and their tasks. */
    rel_find_opts find = {
        .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"],"
                 "[\"Employees\",\"Tasks\",\"id\",\"ASC\"]]",
        .include = (rel_include[]){
            {.association = "Employees", .include = (rel_include[]){{.association = "Tasks"}, {0}}},
            {0}},
    };
    if (rel_find_all(db, org, &find, &res, &err) != REL_OK) {
        rc = fail("find", &err);
        goto done;
    }
    char *json = rel_result_json(res);
    if (!json)
        goto done;
    puts(json);
    free(json);
    rc = 0;
done:
    rel_result_free(res);
    rel_record_free(globex);
    rel_record_free(cy);
    rel_close(db);
    rel_schema_free(s);
    return rc;
}
