/* The README's C quick start: organizations, employees and tasks on an
 * embedded SQLite file. Usage: demo [URL]   (default sqlite:demo.db) */
#include <relate.h>

#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what, const rel_error *err)
{
    fprintf(stderr, "demo: %s: %s\n", what, err->message);
    return 1;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite:demo.db";
    rel_error err;
    int rc = 1;
    rel_db *db = NULL;
    rel_result *res = NULL;
    rel_record *acme = NULL, *ann = NULL, *bo = NULL, *ship = NULL, *test = NULL;
    char *json = NULL;

    rel_schema *s = rel_schema_new();
    rel_model *org = rel_define(s, "Organization", (rel_attr[]){
        { .name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true }, { 0 } }, NULL);
    rel_model *emp = rel_define(s, "Employee", (rel_attr[]){
        { .name = "name", .type = REL_STRING }, { 0 } }, NULL);
    rel_model *task = rel_define(s, "Task", (rel_attr[]){
        { .name = "title", .type = REL_STRING, .length = 100 }, { 0 } }, NULL);

    rel_has_many(org, emp, NULL);                 /* Organization.hasMany(Employee) */
    rel_belongs_to(emp, org, NULL);               /* Employee.belongsTo(Organization) */
    rel_belongs_to_many(emp, task, &(rel_assoc_opts){ .through = "EmployeeTasks" });
    rel_belongs_to_many(task, emp, &(rel_assoc_opts){ .through = "EmployeeTasks" });

    if (rel_schema_freeze(s, &err) != REL_OK) { rc = fail("schema", &err); goto done; }
    if (rel_open(&db, s, url, &err) != REL_OK) { rc = fail("open", &err); goto done; }
    if (rel_sync(db, &(rel_sync_opts){ .force = true }, &err) != REL_OK) { rc = fail("sync", &err); goto done; }

    acme = rel_new(org);
    rel_set_text(acme, "name", "Acme", NULL);
    if (rel_save(db, acme, &err) != REL_OK) { rc = fail("save", &err); goto done; }

    ann = rel_new(emp);
    rel_set_text(ann, "name", "Ann", NULL);
    bo = rel_new(emp);
    rel_set_text(bo, "name", "Bo", NULL);
    ship = rel_new(task);
    rel_set_text(ship, "title", "Ship it", NULL);
    test = rel_new(task);
    rel_set_text(test, "title", "Test it", NULL);

    /* acme.createEmployee(ann); acme.createEmployee(bo) */
    if (rel_assoc_create(db, acme, "Employees", ann, NULL, &err) != REL_OK ||
        rel_assoc_create(db, acme, "Employees", bo, NULL, &err) != REL_OK) {
        rc = fail("createEmployee", &err);
        goto done;
    }
    /* ship.save(); test.save(); ann.addTasks([ship, test]); bo.addTask(ship) */
    if (rel_save(db, ship, &err) != REL_OK || rel_save(db, test, &err) != REL_OK ||
        rel_assoc_add(db, ann, "Tasks", (rel_record *[]){ ship, test }, 2, NULL, &err) != REL_OK ||
        rel_assoc_add(db, bo, "Tasks", &ship, 1, NULL, &err) != REL_OK) {
        rc = fail("addTasks", &err);
        goto done;
    }

    /* Organization.findAll({ include: [{ model: Employee, include: [Task] }] }) */
    rel_find_opts find = {
        .include = (rel_include[]){
            { .association = "Employees", .include = (rel_include[]){ { .association = "Tasks" }, { 0 } } }, { 0 } },
        .order = "[[\"id\",\"ASC\"]]",
    };
    if (rel_find_all(db, org, &find, &res, &err) != REL_OK) { rc = fail("findAll", &err); goto done; }
    json = rel_result_json(res);
    if (!json) goto done;
    printf("%s\n", json);
    rc = 0;

done:
    free(json);
    rel_result_free(res);
    rel_record_free(acme);
    rel_record_free(ann);
    rel_record_free(bo);
    rel_record_free(ship);
    rel_record_free(test);
    rel_close(db);
    rel_schema_free(s);
    return rc;
}
