/* Associations and sync with real constraints, on whichever engine
 * REL_TEST_ENGINE names: every association line of the seeds, verbatim in a
 * model file, and every default rule and option, proven twice — the schema
 * read back from the engine's catalog (pragma table_info / foreign_key_list /
 * index_list on SQLite, information_schema on PostgreSQL, with the raw
 * driver), and the rules by deleting and updating parent rows through
 * relate's own connection and reading what happened to the children
 * (cascaded, nulled, left alone, or refused with REL_FOREIGN_KEY /
 * REL_NOT_NULL). Writes go through relate (rel_exec, rel_save, rel_destroy),
 * so on SQLite they also prove that relate's connections enforce foreign
 * keys. Also: a cycle, self-associations, explicit junction models, and every
 * definition error reported at once with its file:line:col. */
#define _POSIX_C_SOURCE 200809L /* strndup */
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
#include "catalog.h"
#include "testdb.h"

/* Any timestamp both engines take for createdAt / updatedAt. */
#define TS "'2026-01-02 03:04:05.678 +00:00'"

/* ---- helpers ------------------------------------------------------------------- */

/* A model file, verbatim, to a frozen schema. */
static rel_schema *load(const char *text)
{
    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err = {0};
    if (rel_schema_load_text(text, strlen(text), "rules.rel", &s, &errors, &err) != REL_OK)
        fail_msg("model file: %s", errors ? errors : err.message);
    free(errors);
    return s;
}

typedef struct env {
    const char *url;
    rel_schema *schema;
    rel_db *db;
} env;

/* A fresh database with the model file's tables. */
static env start(const char *text)
{
    env e = {test_db_url(), load(text), NULL};
    rel_error err = {0};
    if (rel_open(&e.db, e.schema, e.url, &err) != REL_OK)
        fail_msg("rel_open: %s", err.message);
    if (rel_sync(e.db, NULL, &err) != REL_OK)
        fail_msg("rel_sync: %s", err.message);
    return e;
}

static void stop(env *e)
{
    rel_close(e->db);
    rel_schema_free(e->schema);
}

static rel_status run_status(rel_db *db, const char *sql, rel_error *err)
{
    memset(err, 0, sizeof *err);
    return rel_exec(db, sql, NULL, 0, err);
}

/* Runs SQL through relate's connection; it must succeed. */
static void run(rel_db *db, const char *sql)
{
    rel_error err;
    rel_status st = run_status(db, sql, &err);
    if (st != REL_OK)
        fail_msg("%s\n  -> %s: %s", sql, rel_status_name(st), err.message);
}

/* Runs SQL through relate's connection; the engine must refuse it with want. */
static void refused(rel_db *db, const char *sql, rel_status want)
{
    rel_error err;
    rel_status st = run_status(db, sql, &err);
    if (st != want)
        fail_msg("%s\n  -> %s (%s), want %s", sql, rel_status_name(st), err.message,
                 rel_status_name(want));
    if (err.engine_code[0] == '\0')
        fail_msg("%s: refused without the engine's code: %s", sql, err.message);
}

/* "a,b" -> "\"a\", \"b\"" */
static void quote_list(char *out, size_t n, const char *names)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, ",");
        used += (size_t)snprintf(out + used, n - used, "%s\"%.*s\"", used ? ", " : "", (int)len, p);
        p += len + (p[len] == ',');
    }
}

static void insert_sql(char *sql, size_t n, const char *table, const char *cols,
                       const char *vals, bool stamps)
{
    char q[512];
    quote_list(q, sizeof q, cols);
    if (stamps)
        snprintf(sql, n, "INSERT INTO \"%s\" (%s, \"createdAt\", \"updatedAt\") VALUES (%s, "
                 TS ", " TS ")", table, q, vals);
    else
        snprintf(sql, n, "INSERT INTO \"%s\" (%s) VALUES (%s)", table, q, vals);
}

/* INSERT INTO table (cols, createdAt, updatedAt) VALUES (vals, TS, TS), through relate. */
static void ins(rel_db *db, const char *table, const char *cols, const char *vals)
{
    char sql[1024];
    insert_sql(sql, sizeof sql, table, cols, vals, true);
    run(db, sql);
}

static void ins_refused(rel_db *db, const char *table, const char *cols, const char *vals,
                        rel_status want)
{
    char sql[1024];
    insert_sql(sql, sizeof sql, table, cols, vals, true);
    refused(db, sql, want);
}

/* The rows of table, each as its cols' values joined by ':' (NULL as '-'),
 * ordered by the first column then the next, rows joined by ' '; NULL when
 * the table is empty. */
static void expect_rows(const char *url, const char *table, const char *cols, const char *want)
{
    char value[1024] = "", order[512];
    size_t used = 0;
    for (const char *p = cols; *p;) {
        size_t len = strcspn(p, ",");
        used += (size_t)snprintf(value + used, sizeof value - used,
                                 "%sCOALESCE(CAST(\"%.*s\" AS TEXT), '-')", used ? " || ':' || " : "",
                                 (int)len, p);
        p += len + (p[len] == ',');
    }
    quote_list(order, sizeof order, cols);
    char sql[2048];
    if (test_is_postgres())
        snprintf(sql, sizeof sql, "SELECT string_agg(%s, ' ' ORDER BY %s) FROM \"%s\"", value,
                 order, table);
    else
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(v, ' ') FROM (SELECT %s AS v FROM \"%s\" ORDER BY %s)",
                 value, table, order);
    test_expect_value(url, sql, want);
}

/* An integer column: INTEGER on both engines, NOT NULL or not. */
static void expect_int_column(const char *url, const char *table, const char *column,
                              bool not_null)
{
    test_expect_column(url, table, column, not_null ? "INTEGER NOT NULL" : "INTEGER");
}

/* A VARCHAR(n) column, spelled as each engine reports it. */
static void expect_varchar_column(const char *url, const char *table, const char *column, int n,
                                  bool not_null)
{
    char want[64];
    snprintf(want, sizeof want, "%s(%d)%s", test_is_postgres() ? "CHARACTER VARYING" : "VARCHAR", n,
             not_null ? " NOT NULL" : "");
    test_expect_column(url, table, column, want);
}

/* Every column of the table, in order, joined by ", ". */
static void expect_columns(const char *url, const char *table, const char *want)
{
    char sql[1024];
    if (test_is_postgres())
        snprintf(sql, sizeof sql,
                 "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position)"
                 " FROM information_schema.columns WHERE table_schema = 'public'"
                 " AND table_name = '%s'", table);
    else
        snprintf(sql, sizeof sql, "SELECT group_concat(name, ', ') FROM (SELECT name FROM"
                 " pragma_table_info('%s') ORDER BY cid)", table);
    test_expect_value(url, sql, want);
}

/* The number of foreign keys on the table. */
static void expect_fk_count(const char *url, const char *table, const char *want)
{
    char sql[1024];
    if (test_is_postgres())
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM information_schema.table_constraints WHERE"
                 " table_schema = 'public' AND table_name = '%s'"
                 " AND constraint_type = 'FOREIGN KEY'", table);
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_foreign_key_list('%s')", table);
    test_expect_value(url, sql, want);
}

/* A row by primary key through relate; *res owns it. */
static rel_record *find(env *e, const char *model, int64_t id, rel_result **res)
{
    rel_error err = {0};
    const rel_model *m = rel_schema_model(e->schema, model);
    if (!m)
        fail_msg("no model %s", model);
    rel_status st = rel_find_by_pk(e->db, m, rel_int(id), NULL, res, &err);
    if (st != REL_OK)
        fail_msg("find %s %lld: %s", model, (long long)id, err.message);
    return rel_result_row(*res, 0);
}

/* The association's rows of src through relate, as their attr values joined by ' '. */
static void expect_assoc(env *e, const rel_record *src, const char *assoc, const char *attr,
                         const char *want)
{
    rel_result *res = NULL;
    rel_error err = {0};
    rel_status st = rel_assoc_get(e->db, src, assoc,
                                  &(rel_find_opts){.order = "[[\"id\",\"ASC\"]]"}, &res, &err);
    if (st != REL_OK)
        fail_msg("get %s: %s", assoc, err.message);
    char got[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < rel_result_count(res); i++) {
        rel_value v = rel_get(rel_result_row(res, i), attr);
        if (v.kind == REL_V_INT)
            used += (size_t)snprintf(got + used, sizeof got - used, "%s%lld", i ? " " : "",
                                     (long long)v.i);
        else
            used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", i ? " " : "",
                                     v.kind == REL_V_TEXT ? v.s : "-");
    }
    rel_result_free(res);
    if (strcmp(got, want) != 0)
        fail_msg("%s.%s: got '%s', want '%s'", assoc, attr, got, want);
}

/* ---- the seeds, verbatim ----------------------------------------------------------- */

static void seed_a_has_one_b(void **state)
{
    (void)state;
    env e = start(
        "const A = sequelize.define('A', { name: DataTypes.STRING });\n"
        "const B = sequelize.define('B', { name: DataTypes.STRING });\n"
        "A.hasOne(B, { onUpdate: 'SET NULL', onDelete: 'CASCADE', foreignKey: 'otherId', "
        "sourceKey: '', targetKey: '' }); B.belongsTo(A);\n");
    /* one key for the pair (SEMANTICS, differs 1): otherId, with the explicit rules */
    test_expect_tables(e.url, "As, Bs");
    expect_columns(e.url, "Bs", "id, name, createdAt, updatedAt, otherId");
    expect_columns(e.url, "As", "id, name, createdAt, updatedAt");
    expect_int_column(e.url, "Bs", "otherId", false);
    test_expect_fk(e.url, "Bs", "otherId", "As.id CASCADE SET NULL");
    expect_fk_count(e.url, "Bs", "1");
    expect_fk_count(e.url, "As", "0");

    ins(e.db, "As", "id,name", "1, 'a1'");
    ins(e.db, "As", "id,name", "2, 'a2'");
    ins(e.db, "As", "id,name", "3, 'a3'");
    ins(e.db, "Bs", "id,name,otherId", "1, 'b1', 1");
    ins(e.db, "Bs", "id,name,otherId", "2, 'b2', 2");
    ins(e.db, "Bs", "id,name,otherId", "3, 'b3', 3");
    ins_refused(e.db, "Bs", "id,name,otherId", "4, 'b4', 99", REL_FOREIGN_KEY);

    /* ON UPDATE SET NULL */
    run(e.db, "UPDATE \"As\" SET id = 12 WHERE id = 2");
    expect_rows(e.url, "Bs", "id,otherId", "1:1 2:- 3:3");
    /* ON DELETE CASCADE */
    run(e.db, "DELETE FROM \"As\" WHERE id = 1");
    expect_rows(e.url, "Bs", "id,otherId", "2:- 3:3");

    /* both directions read the one key through relate; destroy cascades too */
    rel_result *rb = NULL, *ra = NULL;
    rel_record *b3 = find(&e, "B", 3, &rb);
    expect_assoc(&e, b3, "A", "name", "a3");
    rel_record *a3 = find(&e, "A", 3, &ra);
    expect_assoc(&e, a3, "B", "name", "b3");
    rel_error err = {0};
    assert_int_equal(rel_destroy(e.db, a3, &err), REL_OK);
    expect_rows(e.url, "Bs", "id,otherId", "2:-");
    rel_result_free(ra);
    rel_result_free(rb);
    stop(&e);
}

static const char SEED_ORG[] =
    "const Organization = sequelize.define('Organization', {\n"
    "  name: { type: DataTypes.STRING, allowNull: false, unique: true },\n"
    "});\n"
    "const Employee = sequelize.define('Employee', { name: DataTypes.STRING });\n"
    "const Task = sequelize.define('Task', { title: DataTypes.STRING });\n"
    "Organization.hasMany(Employee); Employee.belongsTo(Organization);\n"
    "Employee.belongsToMany(Task, { through: 'EmployeeTasks' }); "
    "Task.belongsToMany(Employee, { through: 'EmployeeTasks' });\n";

static void seed_organization_employee_task(void **state)
{
    (void)state;
    env e = start(SEED_ORG);
    test_expect_tables(e.url, "EmployeeTasks, Employees, Organizations, Tasks");
    expect_columns(e.url, "Employees", "id, name, createdAt, updatedAt, OrganizationId");
    expect_int_column(e.url, "Employees", "OrganizationId", false);
    test_expect_fk(e.url, "Employees", "OrganizationId", "Organizations.id SET NULL CASCADE");
    expect_fk_count(e.url, "Employees", "1");
    expect_columns(e.url, "EmployeeTasks", "createdAt, updatedAt, EmployeeId, TaskId");
    expect_int_column(e.url, "EmployeeTasks", "EmployeeId", true);
    expect_int_column(e.url, "EmployeeTasks", "TaskId", true);
    test_expect_pk(e.url, "EmployeeTasks", "EmployeeId, TaskId");
    test_expect_fk(e.url, "EmployeeTasks", "EmployeeId", "Employees.id CASCADE CASCADE");
    test_expect_fk(e.url, "EmployeeTasks", "TaskId", "Tasks.id CASCADE CASCADE");
    expect_fk_count(e.url, "EmployeeTasks", "2");
    test_expect_unique(e.url, "Organizations", "name");

    ins(e.db, "Organizations", "id,name", "1, 'Acme'");
    ins(e.db, "Organizations", "id,name", "2, 'Beta'");
    ins(e.db, "Employees", "id,name,OrganizationId", "1, 'Ann', 1");
    ins(e.db, "Employees", "id,name,OrganizationId", "2, 'Bob', 2");
    ins(e.db, "Employees", "id,name,OrganizationId", "3, 'Cy', 2");
    ins(e.db, "Tasks", "id,title", "1, 'ship'");
    ins(e.db, "Tasks", "id,title", "2, 'test'");
    ins(e.db, "EmployeeTasks", "EmployeeId,TaskId", "1, 1");
    ins(e.db, "EmployeeTasks", "EmployeeId,TaskId", "2, 1");
    ins(e.db, "EmployeeTasks", "EmployeeId,TaskId", "2, 2");
    ins(e.db, "EmployeeTasks", "EmployeeId,TaskId", "3, 2");
    ins_refused(e.db, "Employees", "id,name,OrganizationId", "9, 'Dee', 9", REL_FOREIGN_KEY);
    ins_refused(e.db, "EmployeeTasks", "EmployeeId,TaskId", "1, 9", REL_FOREIGN_KEY);
    ins_refused(e.db, "EmployeeTasks", "EmployeeId,TaskId", "9, 1", REL_FOREIGN_KEY);
    ins_refused(e.db, "EmployeeTasks", "EmployeeId,TaskId", "1, NULL", REL_NOT_NULL);
    ins_refused(e.db, "EmployeeTasks", "EmployeeId,TaskId", "1, 1", REL_UNIQUE);

    /* hasMany / belongsTo: ON UPDATE CASCADE, ON DELETE SET NULL */
    run(e.db, "UPDATE \"Organizations\" SET id = 20 WHERE id = 2");
    expect_rows(e.url, "Employees", "id,OrganizationId", "1:1 2:20 3:20");
    run(e.db, "DELETE FROM \"Organizations\" WHERE id = 1");
    expect_rows(e.url, "Employees", "id,OrganizationId", "1:- 2:20 3:20");
    /* belongsToMany: both keys ON UPDATE CASCADE ... */
    run(e.db, "UPDATE \"Employees\" SET id = 30 WHERE id = 3");
    run(e.db, "UPDATE \"Tasks\" SET id = 10 WHERE id = 1");
    expect_rows(e.url, "EmployeeTasks", "EmployeeId,TaskId", "1:10 2:2 2:10 30:2");
    /* ... and ON DELETE CASCADE, from either side, through relate */
    rel_result *r1 = NULL, *r2 = NULL;
    rel_error err = {0};
    rel_record *bob = find(&e, "Employee", 2, &r1);
    assert_int_equal(rel_destroy(e.db, bob, &err), REL_OK);
    expect_rows(e.url, "EmployeeTasks", "EmployeeId,TaskId", "1:10 30:2");
    rel_record *test = find(&e, "Task", 2, &r2);
    assert_int_equal(rel_destroy(e.db, test, &err), REL_OK);
    expect_rows(e.url, "EmployeeTasks", "EmployeeId,TaskId", "1:10");
    expect_rows(e.url, "Employees", "id,OrganizationId", "1:- 30:20");
    expect_rows(e.url, "Tasks", "id", "10");
    rel_result_free(r1);
    rel_result_free(r2);

    rel_result *ro = NULL;
    rel_record *beta = find(&e, "Organization", 20, &ro);
    expect_assoc(&e, beta, "Employees", "name", "Cy");
    rel_result_free(ro);
    stop(&e);
}

static void seed_actor_has_one_role(void **state)
{
    (void)state;
    env e = start(
        "const Actor = sequelize.define('Actor', {\n"
        "  name: { type: DataTypes.STRING, unique: true },\n"
        "});\n"
        "const Role = sequelize.define('Role', { title: DataTypes.STRING });\n"
        "Actor.hasOne(Role, { sourceKey: 'name', foreignKey: 'actorName' });\n");
    expect_columns(e.url, "Roles", "id, title, createdAt, updatedAt, actorName");
    expect_varchar_column(e.url, "Roles", "actorName", 255, false);
    test_expect_fk(e.url, "Roles", "actorName", "Actors.name SET NULL CASCADE");
    test_expect_unique(e.url, "Actors", "name");

    ins(e.db, "Actors", "id,name", "1, 'Ann'");
    ins(e.db, "Actors", "id,name", "2, 'Bob'");
    ins(e.db, "Roles", "id,title,actorName", "1, 'Hamlet', 'Ann'");
    ins(e.db, "Roles", "id,title,actorName", "2, 'Lear', 'Bob'");
    ins_refused(e.db, "Roles", "id,title,actorName", "9, 'Puck', 'Nobody'", REL_FOREIGN_KEY);

    /* renaming the actor through relate carries the role along */
    rel_result *r1 = NULL, *r2 = NULL;
    rel_error err = {0};
    rel_record *ann = find(&e, "Actor", 1, &r1);
    assert_int_equal(rel_set_text(ann, "name", "Anna", &err), REL_OK);
    assert_int_equal(rel_save(e.db, ann, &err), REL_OK);
    expect_rows(e.url, "Roles", "id,actorName", "1:Anna 2:Bob");
    expect_assoc(&e, ann, "Role", "title", "Hamlet");
    /* deleting it sets the role's key to NULL */
    rel_record *bob = find(&e, "Actor", 2, &r2);
    assert_int_equal(rel_destroy(e.db, bob, &err), REL_OK);
    expect_rows(e.url, "Roles", "id,actorName", "1:Anna 2:-");
    rel_result_free(r1);
    rel_result_free(r2);
    stop(&e);
}

static const char SEED_ACTORS[] =
    "const Actors = sequelize.define('Actor', {\n"
    "  name: { type: DataTypes.STRING, unique: true },\n"
    "  wardrobe: { type: DataTypes.STRING, unique: true },\n"
    "});\n"
    "const Roles = sequelize.define('Role', {\n"
    "  title: { type: DataTypes.STRING, unique: true },\n"
    "});\n"
    "const Costumes = sequelize.define('Costume', {\n"
    "  name: { type: DataTypes.STRING, unique: true },\n"
    "});\n"
    "Roles.hasMany(Costumes, { sourceKey: 'title', foreignKey: 'roleTitle' });\n"
    "Roles.belongsTo(Actors, { targetKey: 'name', foreignKey: 'actorName' });\n"
    "Costumes.belongsToMany(Actors, { through: 'actor_costumes', sourceKey: 'name', "
    "targetKey: 'wardrobe' });\n";

static void seed_roles_costumes_actors(void **state)
{
    (void)state;
    env e = start(SEED_ACTORS);
    test_expect_tables(e.url, "Actors, Costumes, Roles, actor_costumes");
    test_expect_unique(e.url, "Actors", "name; wardrobe");
    expect_varchar_column(e.url, "Costumes", "roleTitle", 255, false);
    test_expect_fk(e.url, "Costumes", "roleTitle", "Roles.title SET NULL CASCADE");
    expect_varchar_column(e.url, "Roles", "actorName", 255, false);
    test_expect_fk(e.url, "Roles", "actorName", "Actors.name SET NULL CASCADE");
    expect_columns(e.url, "actor_costumes", "createdAt, updatedAt, CostumeName, ActorWardrobe");
    expect_varchar_column(e.url, "actor_costumes", "CostumeName", 255, true);
    expect_varchar_column(e.url, "actor_costumes", "ActorWardrobe", 255, true);
    test_expect_pk(e.url, "actor_costumes", "CostumeName, ActorWardrobe");
    test_expect_fk(e.url, "actor_costumes", "CostumeName", "Costumes.name CASCADE CASCADE");
    test_expect_fk(e.url, "actor_costumes", "ActorWardrobe", "Actors.wardrobe CASCADE CASCADE");

    ins(e.db, "Actors", "id,name,wardrobe", "1, 'Ann', 'w1'");
    ins(e.db, "Actors", "id,name,wardrobe", "2, 'Bob', 'w2'");
    ins(e.db, "Roles", "id,title,actorName", "1, 'Hamlet', 'Ann'");
    ins(e.db, "Roles", "id,title,actorName", "2, 'Lear', 'Bob'");
    ins(e.db, "Costumes", "id,name,roleTitle", "1, 'cape', 'Hamlet'");
    ins(e.db, "Costumes", "id,name,roleTitle", "2, 'crown', 'Lear'");
    ins(e.db, "Costumes", "id,name,roleTitle", "3, 'robe', 'Lear'");
    ins(e.db, "actor_costumes", "CostumeName,ActorWardrobe", "'cape', 'w1'");
    ins(e.db, "actor_costumes", "CostumeName,ActorWardrobe", "'crown', 'w2'");
    ins(e.db, "actor_costumes", "CostumeName,ActorWardrobe", "'robe', 'w2'");
    ins(e.db, "actor_costumes", "CostumeName,ActorWardrobe", "'robe', 'w1'");
    ins_refused(e.db, "Costumes", "id,name,roleTitle", "9, 'hat', 'Macbeth'", REL_FOREIGN_KEY);
    ins_refused(e.db, "Roles", "id,title,actorName", "9, 'Puck', 'Cy'", REL_FOREIGN_KEY);
    /* the junction references wardrobe, not name */
    ins_refused(e.db, "actor_costumes", "CostumeName,ActorWardrobe", "'cape', 'Ann'",
                REL_FOREIGN_KEY);

    /* Roles.hasMany(Costumes) on title */
    run(e.db, "UPDATE \"Roles\" SET title = 'Hamlet II' WHERE title = 'Hamlet'");
    run(e.db, "DELETE FROM \"Roles\" WHERE title = 'Lear'");
    expect_rows(e.url, "Costumes", "id,name,roleTitle", "1:cape:Hamlet II 2:crown:- 3:robe:-");
    /* Roles.belongsTo(Actors) on name */
    run(e.db, "UPDATE \"Actors\" SET name = 'Anna' WHERE id = 1");
    expect_rows(e.url, "Roles", "id,title,actorName", "1:Hamlet II:Anna");
    /* Costumes.belongsToMany(Actors) on name and wardrobe */
    run(e.db, "UPDATE \"Actors\" SET wardrobe = 'w1b' WHERE id = 1");
    run(e.db, "UPDATE \"Costumes\" SET name = 'cloak' WHERE name = 'cape'");
    expect_rows(e.url, "actor_costumes", "CostumeName,ActorWardrobe",
                "cloak:w1b crown:w2 robe:w1b robe:w2");
    run(e.db, "DELETE FROM \"Costumes\" WHERE name = 'crown'");
    expect_rows(e.url, "actor_costumes", "CostumeName,ActorWardrobe", "cloak:w1b robe:w1b robe:w2");
    rel_result *r = NULL;
    rel_record *robe = find(&e, "Costume", 3, &r);
    expect_assoc(&e, robe, "Actors", "name", "Anna Bob");
    rel_result *rb = NULL;
    rel_error err = {0};
    assert_int_equal(rel_destroy(e.db, find(&e, "Actor", 2, &rb), &err), REL_OK);
    expect_rows(e.url, "actor_costumes", "CostumeName,ActorWardrobe", "cloak:w1b robe:w1b");
    expect_assoc(&e, robe, "Actors", "name", "Anna");
    rel_result_free(rb);
    rel_result_free(r);
    stop(&e);
}

/* ---- default rules per kind -------------------------------------------------------- */

static void default_rules_per_kind(void **state)
{
    (void)state;
    env e = start(
        "const Org = define('Org', { name: STRING });\n"
        "const Office = define('Office', { city: STRING });\n"
        "Office.belongsTo(Org);\n"
        "const Project = define('Project', { name: STRING });\n"
        "Project.belongsTo(Org, { foreignKey: { name: 'ownerOrgId', allowNull: false } });\n"
        "const Profile = define('Profile', { motto: STRING });\n"
        "Org.hasOne(Profile);\n"
        "const Charter = define('Charter', { text: TEXT });\n"
        "Org.hasOne(Charter, { foreignKey: { allowNull: false } });\n"
        "const Dept = define('Dept', { name: STRING });\n"
        "Org.hasMany(Dept);\n"
        "const Team = define('Team', { name: STRING });\n"
        "Org.hasMany(Team, { foreignKey: { name: 'orgId', allowNull: false } });\n"
        "const Tag = define('Tag', { label: STRING });\n"
        "Org.belongsToMany(Tag, { through: 'OrgTags' });\n");
    /* belongsTo: SET NULL, NO ACTION when NOT NULL; hasOne / hasMany: SET NULL,
       CASCADE when NOT NULL; belongsToMany: CASCADE; ON UPDATE CASCADE always */
    expect_int_column(e.url, "Offices", "OrgId", false);
    test_expect_fk(e.url, "Offices", "OrgId", "Orgs.id SET NULL CASCADE");
    expect_int_column(e.url, "Projects", "ownerOrgId", true);
    test_expect_fk(e.url, "Projects", "ownerOrgId", "Orgs.id NO ACTION CASCADE");
    expect_int_column(e.url, "Profiles", "OrgId", false);
    test_expect_fk(e.url, "Profiles", "OrgId", "Orgs.id SET NULL CASCADE");
    expect_int_column(e.url, "Charters", "OrgId", true);
    test_expect_fk(e.url, "Charters", "OrgId", "Orgs.id CASCADE CASCADE");
    expect_int_column(e.url, "Depts", "OrgId", false);
    test_expect_fk(e.url, "Depts", "OrgId", "Orgs.id SET NULL CASCADE");
    expect_int_column(e.url, "Teams", "orgId", true);
    test_expect_fk(e.url, "Teams", "orgId", "Orgs.id CASCADE CASCADE");
    test_expect_column(e.url, "Teams", "OrgId", NULL);
    test_expect_fk(e.url, "OrgTags", "OrgId", "Orgs.id CASCADE CASCADE");
    test_expect_fk(e.url, "OrgTags", "TagId", "Tags.id CASCADE CASCADE");
    test_expect_pk(e.url, "OrgTags", "OrgId, TagId");

    char vals[64];
    for (int i = 1; i <= 15; i++) {
        snprintf(vals, sizeof vals, "%d, 'o%d'", i, i);
        ins(e.db, "Orgs", "id,name", vals);
    }
    /* each kind: its first parent is deleted, its second updated */
    ins(e.db, "Offices", "id,OrgId", "1, 1");
    ins(e.db, "Offices", "id,OrgId", "2, 2");
    ins(e.db, "Projects", "id,ownerOrgId", "1, 3");
    ins(e.db, "Projects", "id,ownerOrgId", "2, 4");
    ins(e.db, "Profiles", "id,OrgId", "1, 5");
    ins(e.db, "Profiles", "id,OrgId", "2, 6");
    ins(e.db, "Charters", "id,OrgId", "1, 7");
    ins(e.db, "Charters", "id,OrgId", "2, 8");
    ins(e.db, "Depts", "id,OrgId", "1, 9");
    ins(e.db, "Depts", "id,OrgId", "2, 10");
    ins(e.db, "Teams", "id,orgId", "1, 11");
    ins(e.db, "Teams", "id,orgId", "2, 12");
    ins(e.db, "Tags", "id,label", "1, 't1'");
    ins(e.db, "Tags", "id,label", "2, 't2'");
    ins(e.db, "Tags", "id,label", "3, 't3'");
    ins(e.db, "OrgTags", "OrgId,TagId", "13, 1");
    ins(e.db, "OrgTags", "OrgId,TagId", "14, 1");
    ins(e.db, "OrgTags", "OrgId,TagId", "15, 2");
    ins(e.db, "OrgTags", "OrgId,TagId", "15, 3");
    ins_refused(e.db, "Projects", "id,ownerOrgId", "3, NULL", REL_NOT_NULL);
    ins_refused(e.db, "Charters", "id,OrgId", "3, NULL", REL_NOT_NULL);
    ins_refused(e.db, "Teams", "id,orgId", "3, NULL", REL_NOT_NULL);

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 1");
    run(e.db, "UPDATE \"Orgs\" SET id = 102 WHERE id = 2");
    expect_rows(e.url, "Offices", "id,OrgId", "1:- 2:102");

    /* NO ACTION: the delete is refused, through SQL and through relate */
    refused(e.db, "DELETE FROM \"Orgs\" WHERE id = 3", REL_FOREIGN_KEY);
    rel_result *r3 = NULL;
    rel_error err = {0};
    assert_int_equal(rel_destroy(e.db, find(&e, "Org", 3, &r3), &err), REL_FOREIGN_KEY);
    rel_result_free(r3);
    test_expect_value(e.url, "SELECT count(*) FROM \"Orgs\" WHERE id = 3", "1");
    run(e.db, "UPDATE \"Orgs\" SET id = 104 WHERE id = 4");
    expect_rows(e.url, "Projects", "id,ownerOrgId", "1:3 2:104");

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 5");
    run(e.db, "UPDATE \"Orgs\" SET id = 106 WHERE id = 6");
    expect_rows(e.url, "Profiles", "id,OrgId", "1:- 2:106");

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 7");
    run(e.db, "UPDATE \"Orgs\" SET id = 108 WHERE id = 8");
    expect_rows(e.url, "Charters", "id,OrgId", "2:108");

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 9");
    run(e.db, "UPDATE \"Orgs\" SET id = 110 WHERE id = 10");
    expect_rows(e.url, "Depts", "id,OrgId", "1:- 2:110");

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 11");
    run(e.db, "UPDATE \"Orgs\" SET id = 112 WHERE id = 12");
    expect_rows(e.url, "Teams", "id,orgId", "2:112");

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 13");
    run(e.db, "UPDATE \"Orgs\" SET id = 114 WHERE id = 14");
    run(e.db, "UPDATE \"Tags\" SET id = 22 WHERE id = 2");
    run(e.db, "DELETE FROM \"Tags\" WHERE id = 3");
    expect_rows(e.url, "OrgTags", "OrgId,TagId", "15:22 114:1");
    stop(&e);
}

/* ---- explicit onDelete / onUpdate ---------------------------------------------------- */

/* One schema per rule: the rule on both onDelete and onUpdate of each kind. */
static const char RULES_TEMPLATE[] =
    "const P = define('P', { name: STRING });\n"
    "const Q = define('Q', { name: STRING });\n"
    "const Bt = define('Bt', { name: STRING });\n"
    "const Ho = define('Ho', { name: STRING });\n"
    "const Hm = define('Hm', { name: STRING });\n"
    "Bt.belongsTo(P, { onDelete: '%1$s', onUpdate: '%1$s' });\n"
    "P.hasOne(Ho, { onDelete: '%1$s', onUpdate: '%1$s' });\n"
    "P.hasMany(Hm, { onDelete: '%1$s', onUpdate: '%1$s' });\n"
    "P.belongsToMany(Q, { through: 'PQs', onDelete: '%1$s', onUpdate: '%1$s' });\n";

typedef enum effect { FOLLOWS, NULLED, REFUSED } effect;

static void explicit_rule(const char *rule, const char *spelled, effect to_one)
{
    char text[sizeof RULES_TEMPLATE + 256];
    /* %1$s is POSIX, not C11: substitute by hand */
    size_t used = 0;
    for (const char *p = RULES_TEMPLATE; *p;) {
        if (strncmp(p, "%1$s", 4) == 0) {
            used += (size_t)snprintf(text + used, sizeof text - used, "%s", spelled);
            p += 4;
        } else {
            text[used++] = *p++;
        }
    }
    text[used] = '\0';
    env e = start(text);

    char want[128];
    snprintf(want, sizeof want, "Ps.id %s %s", rule, rule);
    test_expect_fk(e.url, "Bts", "PId", want);
    test_expect_fk(e.url, "Hos", "PId", want);
    test_expect_fk(e.url, "Hms", "PId", want);
    test_expect_fk(e.url, "PQs", "PId", want);
    snprintf(want, sizeof want, "Qs.id %s %s", rule, rule);
    test_expect_fk(e.url, "PQs", "QId", want);

    char vals[64];
    for (int i = 1; i <= 9; i++) {
        snprintf(vals, sizeof vals, "%d, 'p%d'", i, i);
        ins(e.db, "Ps", "id,name", vals);
    }
    for (int i = 1; i <= 4; i++) {
        snprintf(vals, sizeof vals, "%d, 'q%d'", i, i);
        ins(e.db, "Qs", "id,name", vals);
    }
    ins(e.db, "Bts", "id,PId", "1, 1");
    ins(e.db, "Bts", "id,PId", "2, 2");
    ins(e.db, "Hos", "id,PId", "1, 3");
    ins(e.db, "Hos", "id,PId", "2, 4");
    ins(e.db, "Hms", "id,PId", "1, 5");
    ins(e.db, "Hms", "id,PId", "2, 6");
    ins(e.db, "PQs", "PId,QId", "7, 3");
    ins(e.db, "PQs", "PId,QId", "8, 4");
    ins(e.db, "PQs", "PId,QId", "9, 1");
    ins(e.db, "PQs", "PId,QId", "9, 2");

    /* What each statement does: CASCADE and SET NULL / SET DEFAULT (the key
       has no default, so NULL) go through on a nullable key; on a junction's
       NOT NULL keys the engine refuses the NULL; RESTRICT / NO ACTION refuse
       the statement while a child points at the row. */
    rel_status to_one_st = to_one == REFUSED ? REL_FOREIGN_KEY : REL_OK;
    rel_status junction_st = to_one == FOLLOWS  ? REL_OK
                             : to_one == NULLED ? REL_NOT_NULL
                                                : REL_FOREIGN_KEY;
    /* each parent is referenced by one kind only, so each statement shows one rule */
    static const struct {
        const char *del, *upd;
        bool junction;
    } ops[] = {
        {"DELETE FROM \"Ps\" WHERE id = 1", "UPDATE \"Ps\" SET id = 102 WHERE id = 2", false},
        {"DELETE FROM \"Ps\" WHERE id = 3", "UPDATE \"Ps\" SET id = 104 WHERE id = 4", false},
        {"DELETE FROM \"Ps\" WHERE id = 5", "UPDATE \"Ps\" SET id = 106 WHERE id = 6", false},
        {"DELETE FROM \"Ps\" WHERE id = 7", "UPDATE \"Ps\" SET id = 108 WHERE id = 8", true},
        {"DELETE FROM \"Qs\" WHERE id = 1", "UPDATE \"Qs\" SET id = 102 WHERE id = 2", true},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        rel_status st = ops[i].junction ? junction_st : to_one_st;
        if (st == REL_OK) {
            run(e.db, ops[i].del);
            run(e.db, ops[i].upd);
        } else {
            refused(e.db, ops[i].del, st);
            refused(e.db, ops[i].upd, st);
        }
    }

    switch (to_one) {
    case FOLLOWS: /* CASCADE */
        expect_rows(e.url, "Bts", "id,PId", "2:102");
        expect_rows(e.url, "Hos", "id,PId", "2:104");
        expect_rows(e.url, "Hms", "id,PId", "2:106");
        break;
    case NULLED: /* SET NULL, SET DEFAULT (the key has no default: NULL) */
        expect_rows(e.url, "Bts", "id,PId", "1:- 2:-");
        expect_rows(e.url, "Hos", "id,PId", "1:- 2:-");
        expect_rows(e.url, "Hms", "id,PId", "1:- 2:-");
        break;
    case REFUSED: /* RESTRICT, NO ACTION */
        expect_rows(e.url, "Bts", "id,PId", "1:1 2:2");
        expect_rows(e.url, "Hos", "id,PId", "1:3 2:4");
        expect_rows(e.url, "Hms", "id,PId", "1:5 2:6");
        break;
    }
    if (to_one == FOLLOWS)
        expect_rows(e.url, "PQs", "PId,QId", "9:102 108:4");
    else
        expect_rows(e.url, "PQs", "PId,QId", "7:3 8:4 9:1 9:2");
    test_expect_value(e.url, "SELECT count(*) FROM \"Ps\"",
                      to_one == FOLLOWS ? "5" : to_one == NULLED ? "6" : "9");
    stop(&e);
}

static void explicit_cascade(void **state)
{
    (void)state;
    explicit_rule("CASCADE", "CASCADE", FOLLOWS);
}

static void explicit_set_null(void **state)
{
    (void)state;
    explicit_rule("SET NULL", "set null", NULLED);
}

static void explicit_restrict(void **state)
{
    (void)state;
    explicit_rule("RESTRICT", "RESTRICT", REFUSED);
}

static void explicit_no_action(void **state)
{
    (void)state;
    explicit_rule("NO ACTION", "No Action", REFUSED);
}

static void explicit_set_default(void **state)
{
    (void)state;
    explicit_rule("SET DEFAULT", "SET DEFAULT", NULLED);
}

/* SET DEFAULT on a key that has a default: the children move to it. */
static void set_default_uses_the_default(void **state)
{
    (void)state;
    env e = start(
        "const P = define('P', { name: STRING });\n"
        "const C = define('C', { name: STRING, PId: { type: INTEGER, defaultValue: 1 } });\n"
        "C.belongsTo(P, { onDelete: 'SET DEFAULT', onUpdate: 'SET DEFAULT' });\n");
    test_expect_fk(e.url, "Cs", "PId", "Ps.id SET DEFAULT SET DEFAULT");
    expect_columns(e.url, "Cs", "id, name, PId, createdAt, updatedAt");
    ins(e.db, "Ps", "id,name", "1, 'fallback'");
    ins(e.db, "Ps", "id,name", "2, 'p2'");
    ins(e.db, "Ps", "id,name", "3, 'p3'");
    ins(e.db, "Cs", "id,PId", "1, 2");
    ins(e.db, "Cs", "id,PId", "2, 3");
    run(e.db, "DELETE FROM \"Ps\" WHERE id = 2");
    run(e.db, "UPDATE \"Ps\" SET id = 33 WHERE id = 3");
    expect_rows(e.url, "Cs", "id,PId", "1:1 2:1");
    /* the default itself cannot go: its children would point at nothing */
    refused(e.db, "DELETE FROM \"Ps\" WHERE id = 1", REL_FOREIGN_KEY);
    expect_rows(e.url, "Ps", "id", "1 33");
    stop(&e);
}

/* ---- options --------------------------------------------------------------------------- */

static void constraints_false(void **state)
{
    (void)state;
    env e = start(
        "const Org = define('Org', { name: STRING });\n"
        "const Badge = define('Badge', { label: STRING });\n"
        "Badge.belongsTo(Org, { constraints: false });\n"
        "const Seal = define('Seal', { code: STRING });\n"
        "Org.hasOne(Seal, { constraints: false });\n"
        "const Note = define('Note', { body: TEXT });\n"
        "Org.hasMany(Note, { constraints: false });\n"
        "const Flag = define('Flag', { name: STRING });\n"
        "Org.belongsToMany(Flag, { through: 'OrgFlags', constraints: false });\n");
    static const char *const tables[] = {"Badges", "Seals", "Notes"};
    for (size_t i = 0; i < 3; i++) {
        expect_int_column(e.url, tables[i], "OrgId", false);
        test_expect_fk(e.url, tables[i], "OrgId", NULL);
        expect_fk_count(e.url, tables[i], "0");
    }
    expect_columns(e.url, "OrgFlags", "createdAt, updatedAt, OrgId, FlagId");
    test_expect_pk(e.url, "OrgFlags", "OrgId, FlagId");
    expect_fk_count(e.url, "OrgFlags", "0");

    ins(e.db, "Orgs", "id,name", "1, 'o1'");
    ins(e.db, "Orgs", "id,name", "2, 'o2'");
    ins(e.db, "Flags", "id,name", "1, 'f1'");
    /* nothing checks the keys: a key to no row goes in */
    ins(e.db, "Badges", "id,OrgId", "1, 1");
    ins(e.db, "Badges", "id,OrgId", "2, 99");
    ins(e.db, "Seals", "id,OrgId", "1, 2");
    ins(e.db, "Notes", "id,OrgId", "1, 1");
    ins(e.db, "OrgFlags", "OrgId,FlagId", "1, 1");
    ins(e.db, "OrgFlags", "OrgId,FlagId", "99, 98");
    /* and deleting or renumbering the parents leaves the keys dangling */
    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 1");
    run(e.db, "UPDATE \"Orgs\" SET id = 20 WHERE id = 2");
    run(e.db, "DELETE FROM \"Flags\" WHERE id = 1");
    expect_rows(e.url, "Badges", "id,OrgId", "1:1 2:99");
    expect_rows(e.url, "Seals", "id,OrgId", "1:2");
    expect_rows(e.url, "Notes", "id,OrgId", "1:1");
    expect_rows(e.url, "OrgFlags", "OrgId,FlagId", "1:1 99:98");
    stop(&e);
}

static void foreign_key_name_and_description(void **state)
{
    (void)state;
    env e = start(
        "const Org = define('Org', { name: STRING });\n"
        "const Team = define('Team', { name: STRING });\n"
        "Org.hasMany(Team, { foreignKey: 'ownerRef' });\n"
        "const Seat = define('Seat', { no: INTEGER });\n"
        "Org.hasMany(Seat, { foreignKey: { name: 'orgRef', field: 'org_ref', allowNull: false } });\n"
        "const Desk = define('Desk', { no: INTEGER });\n"
        "Desk.belongsTo(Org, { foreignKey: { name: 'deskOrg', field: 'desk_org', allowNull: false } });\n"
        "const Badge = define('Badge', { code: STRING });\n"
        "Org.hasOne(Badge, { foreignKey: { name: 'holderId', unique: true } });\n");
    /* a name: that column, nullable, the default rules */
    expect_columns(e.url, "Teams", "id, name, createdAt, updatedAt, ownerRef");
    test_expect_fk(e.url, "Teams", "ownerRef", "Orgs.id SET NULL CASCADE");
    /* a description: its field is the column, its allowNull the rules' default */
    expect_columns(e.url, "Seats", "id, no, createdAt, updatedAt, org_ref");
    expect_int_column(e.url, "Seats", "org_ref", true);
    test_expect_fk(e.url, "Seats", "org_ref", "Orgs.id CASCADE CASCADE");
    expect_columns(e.url, "Desks", "id, no, createdAt, updatedAt, desk_org");
    expect_int_column(e.url, "Desks", "desk_org", true);
    test_expect_fk(e.url, "Desks", "desk_org", "Orgs.id NO ACTION CASCADE");
    test_expect_unique(e.url, "Badges", "holderId");
    test_expect_fk(e.url, "Badges", "holderId", "Orgs.id SET NULL CASCADE");

    ins(e.db, "Orgs", "id,name", "1, 'o1'");
    ins(e.db, "Orgs", "id,name", "2, 'o2'");
    ins(e.db, "Teams", "id,ownerRef", "1, 1");
    ins(e.db, "Desks", "id,desk_org", "1, 2");
    ins(e.db, "Badges", "id,holderId", "1, 1");
    ins_refused(e.db, "Badges", "id,holderId", "2, 1", REL_UNIQUE);

    /* through relate the key is the attribute orgRef, stored in org_ref */
    const rel_model *seat = rel_schema_model(e.schema, "Seat");
    rel_record *s1 = rel_new(seat), *s2 = rel_new(seat);
    rel_error err = {0};
    assert_int_equal(rel_set_int(s1, "orgRef", 1, &err), REL_OK);
    assert_int_equal(rel_save(e.db, s1, &err), REL_OK);
    expect_rows(e.url, "Seats", "id,org_ref", "1:1");
    assert_int_equal(rel_save(e.db, s2, &err), REL_NOT_NULL);
    assert_int_equal(rel_set_int(s2, "orgRef", 42, &err), REL_OK);
    assert_int_equal(rel_save(e.db, s2, &err), REL_FOREIGN_KEY);
    rel_record_free(s1);
    rel_record_free(s2);

    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 1");
    expect_rows(e.url, "Teams", "id,ownerRef", "1:-");
    test_expect_value(e.url, "SELECT count(*) FROM \"Seats\"", "0");
    expect_rows(e.url, "Badges", "id,holderId", "1:-");
    refused(e.db, "DELETE FROM \"Orgs\" WHERE id = 2", REL_FOREIGN_KEY);
    run(e.db, "UPDATE \"Orgs\" SET id = 20 WHERE id = 2");
    expect_rows(e.url, "Desks", "id,desk_org", "1:20");
    stop(&e);
}

/* sourceKey, targetKey, foreignKey and otherKey on a junction. */
static void junction_keys_by_option(void **state)
{
    (void)state;
    env e = start(
        "const Post = define('Post', { slug: { type: STRING, unique: true } });\n"
        "const Tag = define('Tag', { code: { type: STRING(20), unique: true } });\n"
        "Post.belongsToMany(Tag, { through: 'PostTags', sourceKey: 'slug', targetKey: 'code',\n"
        "  foreignKey: 'postSlug', otherKey: { name: 'tagCode', field: 'tag_code' } });\n"
        "Tag.belongsToMany(Post, { through: 'PostTags', sourceKey: 'code', targetKey: 'slug',\n"
        "  foreignKey: { name: 'tagCode', field: 'tag_code' }, otherKey: 'postSlug' });\n");
    expect_columns(e.url, "PostTags", "createdAt, updatedAt, postSlug, tag_code");
    expect_varchar_column(e.url, "PostTags", "postSlug", 255, true);
    expect_varchar_column(e.url, "PostTags", "tag_code", 20, true);
    test_expect_pk(e.url, "PostTags", "postSlug, tag_code");
    test_expect_fk(e.url, "PostTags", "postSlug", "Posts.slug CASCADE CASCADE");
    test_expect_fk(e.url, "PostTags", "tag_code", "Tags.code CASCADE CASCADE");

    ins(e.db, "Posts", "id,slug", "1, 'hello'");
    ins(e.db, "Posts", "id,slug", "2, 'bye'");
    ins(e.db, "Tags", "id,code", "1, 'c'");
    ins(e.db, "Tags", "id,code", "2, 'sql'");
    ins(e.db, "PostTags", "postSlug,tag_code", "'hello', 'c'");
    ins(e.db, "PostTags", "postSlug,tag_code", "'hello', 'sql'");
    ins(e.db, "PostTags", "postSlug,tag_code", "'bye', 'sql'");
    ins_refused(e.db, "PostTags", "postSlug,tag_code", "'hello', 'rust'", REL_FOREIGN_KEY);

    run(e.db, "UPDATE \"Tags\" SET code = 'C11' WHERE code = 'c'");
    run(e.db, "DELETE FROM \"Posts\" WHERE slug = 'bye'");
    run(e.db, "UPDATE \"Posts\" SET slug = 'hi' WHERE slug = 'hello'");
    expect_rows(e.url, "PostTags", "postSlug,tag_code", "hi:C11 hi:sql");
    rel_result *r = NULL;
    rel_record *hi = find(&e, "Post", 1, &r);
    expect_assoc(&e, hi, "Tags", "code", "C11 sql");
    rel_result_free(r);
    rel_result *rt = NULL;
    rel_record *sql = find(&e, "Tag", 2, &rt);
    expect_assoc(&e, sql, "Posts", "slug", "hi");
    rel_result_free(rt);
    stop(&e);
}

/* as: the key names of belongsTo and hasOne follow it, hasMany's do not;
   the rules are the defaults. */
static void as_option(void **state)
{
    (void)state;
    env e = start(
        "const User = define('User', { name: STRING });\n"
        "const Post = define('Post', { title: STRING });\n"
        "Post.belongsTo(User, { as: 'author' });\n"
        "User.hasOne(Post, { as: 'pinned' });\n"
        "User.hasMany(Post, { as: 'drafts' });\n"
        "User.belongsToMany(Post, { as: 'starred', through: 'Stars' });\n");
    expect_columns(e.url, "Posts", "id, title, createdAt, updatedAt, authorId, pinnedId, UserId");
    test_expect_fk(e.url, "Posts", "authorId", "Users.id SET NULL CASCADE");
    test_expect_fk(e.url, "Posts", "pinnedId", "Users.id SET NULL CASCADE");
    test_expect_fk(e.url, "Posts", "UserId", "Users.id SET NULL CASCADE");
    expect_columns(e.url, "Stars", "createdAt, updatedAt, UserId, PostId");
    test_expect_fk(e.url, "Stars", "UserId", "Users.id CASCADE CASCADE");
    test_expect_fk(e.url, "Stars", "PostId", "Posts.id CASCADE CASCADE");

    ins(e.db, "Users", "id,name", "1, 'Ann'");
    ins(e.db, "Users", "id,name", "2, 'Bob'");
    ins(e.db, "Posts", "id,title,authorId,pinnedId,UserId", "1, 'p1', 1, 1, 2");
    ins(e.db, "Posts", "id,title,authorId,pinnedId,UserId", "2, 'p2', 2, 2, 1");
    ins(e.db, "Stars", "UserId,PostId", "1, 2");
    ins(e.db, "Stars", "UserId,PostId", "2, 1");
    rel_result *r = NULL;
    rel_record *p1 = find(&e, "Post", 1, &r);
    expect_assoc(&e, p1, "author", "name", "Ann");
    rel_result_free(r);
    rel_result *ru = NULL;
    rel_record *ann = find(&e, "User", 1, &ru);
    expect_assoc(&e, ann, "pinned", "title", "p1");
    expect_assoc(&e, ann, "drafts", "title", "p2");
    expect_assoc(&e, ann, "starred", "title", "p2");
    rel_result_free(ru);

    run(e.db, "UPDATE \"Users\" SET id = 20 WHERE id = 2");
    expect_rows(e.url, "Posts", "id,authorId,pinnedId,UserId", "1:1:1:20 2:20:20:1");
    run(e.db, "DELETE FROM \"Users\" WHERE id = 1");
    expect_rows(e.url, "Posts", "id,authorId,pinnedId,UserId", "1:-:-:20 2:20:20:-");
    expect_rows(e.url, "Stars", "UserId,PostId", "20:1");
    stop(&e);
}

/* An inverse pair is one key whose options come from either side (SEMANTICS,
   differs 1), underscored columns included. */
static void inverse_pair_options_from_either_side(void **state)
{
    (void)state;
    env e = start(
        "const Org = define('Org', { name: STRING });\n"
        "const Emp = define('Emp', { name: STRING });\n"
        "Org.hasMany(Emp);\n"
        "Emp.belongsTo(Org, { onDelete: 'CASCADE', foreignKey: { allowNull: false } });\n"
        "const Dept = define('Dept', { name: STRING }, { underscored: true });\n"
        "const Desk = define('Desk', { no: INTEGER }, { underscored: true });\n"
        "Dept.hasMany(Desk, { onDelete: 'RESTRICT' });\n"
        "Desk.belongsTo(Dept);\n");
    expect_columns(e.url, "Emps", "id, name, createdAt, updatedAt, OrgId");
    expect_int_column(e.url, "Emps", "OrgId", true);
    test_expect_fk(e.url, "Emps", "OrgId", "Orgs.id CASCADE CASCADE");
    expect_columns(e.url, "desks", "id, no, created_at, updated_at, dept_id");
    test_expect_fk(e.url, "desks", "dept_id", "depts.id RESTRICT CASCADE");

    ins(e.db, "Orgs", "id,name", "1, 'o1'");
    ins(e.db, "Emps", "id,OrgId", "1, 1");
    ins_refused(e.db, "Emps", "id,OrgId", "2, NULL", REL_NOT_NULL);
    run(e.db, "DELETE FROM \"Orgs\" WHERE id = 1");
    test_expect_value(e.url, "SELECT count(*) FROM \"Emps\"", "0");

    run(e.db, "INSERT INTO depts (id, name, created_at, updated_at) VALUES (1, 'd1', " TS ", " TS ")");
    run(e.db, "INSERT INTO desks (id, no, dept_id, created_at, updated_at) VALUES (1, 7, 1, " TS
              ", " TS ")");
    refused(e.db, "DELETE FROM depts WHERE id = 1", REL_FOREIGN_KEY);
    run(e.db, "UPDATE depts SET id = 10 WHERE id = 1");
    expect_rows(e.url, "desks", "id,dept_id", "1:10");
    rel_result *r = NULL;
    expect_assoc(&e, find(&e, "Dept", 10, &r), "Desks", "no", "7");
    rel_result_free(r);
    stop(&e);
}

/* ---- cycle, self-associations, junction models -------------------------------------- */

static void cycle_constraints_enforced(void **state)
{
    (void)state;
    env e = start(
        "const A = define('A', { name: STRING });\n"
        "const B = define('B', { name: STRING });\n"
        "A.belongsTo(B);\n"
        "B.belongsTo(A);\n"
        "const Author = define('Author', { name: STRING });\n"
        "const Book = define('Book', { title: STRING });\n"
        "Book.belongsTo(Author);\n"
        "Author.belongsTo(Book, { as: 'bestSeller' });\n"
        "Author.belongsToMany(Book, { as: 'reviewed', through: 'Reviews' });\n");
    test_expect_fk(e.url, "As", "BId", "Bs.id SET NULL CASCADE");
    test_expect_fk(e.url, "Bs", "AId", "As.id SET NULL CASCADE");
    test_expect_fk(e.url, "Books", "AuthorId", "Authors.id SET NULL CASCADE");
    test_expect_fk(e.url, "Authors", "bestSellerId", "Books.id SET NULL CASCADE");
    test_expect_fk(e.url, "Reviews", "AuthorId", "Authors.id CASCADE CASCADE");
    test_expect_fk(e.url, "Reviews", "BookId", "Books.id CASCADE CASCADE");

    /* every constraint refuses a key to nothing */
    ins_refused(e.db, "As", "name,BId", "'x', 99", REL_FOREIGN_KEY);
    ins_refused(e.db, "Bs", "name,AId", "'x', 99", REL_FOREIGN_KEY);
    ins_refused(e.db, "Authors", "name,bestSellerId", "'x', 99", REL_FOREIGN_KEY);
    ins_refused(e.db, "Books", "title,AuthorId", "'x', 99", REL_FOREIGN_KEY);

    ins(e.db, "As", "id,name", "1, 'a1'");
    ins(e.db, "As", "id,name", "2, 'a2'");
    ins(e.db, "Bs", "id,name,AId", "1, 'b1', 1");
    ins(e.db, "Bs", "id,name,AId", "2, 'b2', 2");
    run(e.db, "UPDATE \"As\" SET \"BId\" = id");
    ins(e.db, "Authors", "id,name", "1, 'Ann'");
    ins(e.db, "Books", "id,title,AuthorId", "1, 'Odes', 1");
    ins(e.db, "Books", "id,title,AuthorId", "2, 'Epics', 1");
    run(e.db, "UPDATE \"Authors\" SET \"bestSellerId\" = 1");
    ins(e.db, "Reviews", "AuthorId,BookId", "1, 1");
    ins(e.db, "Reviews", "AuthorId,BookId", "1, 2");
    ins_refused(e.db, "Reviews", "AuthorId,BookId", "1, 99", REL_FOREIGN_KEY);
    ins_refused(e.db, "Reviews", "AuthorId,BookId", "99, 1", REL_FOREIGN_KEY);

    run(e.db, "DELETE FROM \"Bs\" WHERE id = 1");
    expect_rows(e.url, "As", "id,BId", "1:- 2:2");
    run(e.db, "UPDATE \"As\" SET id = 20 WHERE id = 2");
    expect_rows(e.url, "Bs", "id,AId", "2:20");
    run(e.db, "UPDATE \"Bs\" SET id = 30 WHERE id = 2");
    expect_rows(e.url, "As", "id,BId", "1:- 20:30");
    run(e.db, "DELETE FROM \"As\" WHERE id = 20");
    expect_rows(e.url, "Bs", "id,AId", "30:-");

    run(e.db, "UPDATE \"Books\" SET id = 10 WHERE id = 1");
    expect_rows(e.url, "Authors", "id,bestSellerId", "1:10");
    expect_rows(e.url, "Reviews", "AuthorId,BookId", "1:2 1:10");
    run(e.db, "DELETE FROM \"Books\" WHERE id = 10");
    expect_rows(e.url, "Authors", "id,bestSellerId", "1:-");
    expect_rows(e.url, "Reviews", "AuthorId,BookId", "1:2");
    run(e.db, "DELETE FROM \"Authors\" WHERE id = 1");
    expect_rows(e.url, "Books", "id,AuthorId", "2:-");
    expect_rows(e.url, "Reviews", "AuthorId,BookId", NULL);
    stop(&e);
}

static void self_associations(void **state)
{
    (void)state;
    env e = start(
        "const User = define('User', { name: STRING });\n"
        "User.belongsToMany(User, { as: 'friends', through: 'Friendships' });\n"
        "const Node = define('Node', { label: STRING });\n"
        "Node.hasMany(Node, { as: 'children' });\n"
        "Node.belongsTo(Node, { as: 'parent' });\n"
        "const Emp = define('Emp', { name: STRING });\n"
        "Emp.belongsTo(Emp, { as: 'manager' });\n"
        "Emp.hasMany(Emp, { as: 'reports', foreignKey: 'managerId' });\n");
    expect_columns(e.url, "Friendships", "createdAt, updatedAt, UserId, friendId");
    test_expect_pk(e.url, "Friendships", "UserId, friendId");
    expect_int_column(e.url, "Friendships", "friendId", true);
    test_expect_fk(e.url, "Friendships", "UserId", "Users.id CASCADE CASCADE");
    test_expect_fk(e.url, "Friendships", "friendId", "Users.id CASCADE CASCADE");
    /* the tree's two halves are one relation on one key: the belongsTo's name */
    expect_columns(e.url, "Nodes", "id, label, createdAt, updatedAt, parentId");
    test_expect_fk(e.url, "Nodes", "parentId", "Nodes.id SET NULL CASCADE");
    expect_columns(e.url, "Emps", "id, name, createdAt, updatedAt, managerId");
    test_expect_fk(e.url, "Emps", "managerId", "Emps.id SET NULL CASCADE");

    for (int i = 1; i <= 3; i++) {
        char vals[32];
        snprintf(vals, sizeof vals, "%d, 'u%d'", i, i);
        ins(e.db, "Users", "id,name", vals);
    }
    ins(e.db, "Friendships", "UserId,friendId", "1, 2");
    ins(e.db, "Friendships", "UserId,friendId", "2, 3");
    ins(e.db, "Friendships", "UserId,friendId", "3, 1");
    ins_refused(e.db, "Friendships", "UserId,friendId", "3, 9", REL_FOREIGN_KEY);
    run(e.db, "UPDATE \"Users\" SET id = 30 WHERE id = 3");
    expect_rows(e.url, "Friendships", "UserId,friendId", "1:2 2:30 30:1");
    run(e.db, "DELETE FROM \"Users\" WHERE id = 1");
    expect_rows(e.url, "Friendships", "UserId,friendId", "2:30");
    rel_result *ru = NULL;
    expect_assoc(&e, find(&e, "User", 2, &ru), "friends", "name", "u3");
    rel_result_free(ru);

    ins(e.db, "Nodes", "id,label", "1, 'root'");
    ins(e.db, "Nodes", "id,label,parentId", "2, 'a', 1");
    ins(e.db, "Nodes", "id,label,parentId", "3, 'b', 1");
    ins(e.db, "Nodes", "id,label,parentId", "4, 'a1', 2");
    ins_refused(e.db, "Nodes", "id,label,parentId", "5, 'x', 9", REL_FOREIGN_KEY);
    run(e.db, "UPDATE \"Nodes\" SET id = 20 WHERE id = 2");
    expect_rows(e.url, "Nodes", "id,parentId", "1:- 3:1 4:20 20:1");
    rel_result *rn = NULL, *rc = NULL;
    expect_assoc(&e, find(&e, "Node", 20, &rn), "children", "label", "a1");
    expect_assoc(&e, find(&e, "Node", 1, &rc), "children", "label", "b a");
    rel_result_free(rn);
    rel_result_free(rc);
    run(e.db, "DELETE FROM \"Nodes\" WHERE id = 1");
    expect_rows(e.url, "Nodes", "id,parentId", "3:- 4:20 20:-");
    rel_result *r4 = NULL;
    expect_assoc(&e, find(&e, "Node", 4, &r4), "parent", "label", "a");
    rel_result_free(r4);

    ins(e.db, "Emps", "id,name", "1, 'boss'");
    ins(e.db, "Emps", "id,name,managerId", "2, 'e2', 1");
    run(e.db, "UPDATE \"Emps\" SET id = 10 WHERE id = 1");
    expect_rows(e.url, "Emps", "id,managerId", "2:10 10:-");
    run(e.db, "DELETE FROM \"Emps\" WHERE id = 10");
    expect_rows(e.url, "Emps", "id,managerId", "2:-");
    stop(&e);
}

/* Explicit junction models, as recorded from Sequelize in
   tests/oracle/expected/through_model.schema.json. */
static void junction_models(void **state)
{
    (void)state;
    env e = start(
        "const User = define('User', { name: STRING });\n"
        "const Project = define('Project', { title: STRING });\n"
        "const UserProject = define('UserProject', {\n"
        "  id: { type: INTEGER, primaryKey: true, autoIncrement: true },\n"
        "  role: STRING,\n"
        "});\n"
        "User.belongsToMany(Project, { through: UserProject });\n"
        "Project.belongsToMany(User, { through: UserProject });\n"
        "const Team = define('Team', { name: STRING });\n"
        "const Membership = define('Membership', {\n"
        "  id: { type: INTEGER, primaryKey: true, autoIncrement: true },\n"
        "  level: INTEGER,\n"
        "});\n"
        "User.belongsToMany(Team, { through: { model: Membership, unique: false } });\n"
        "Team.belongsToMany(User, { through: { model: Membership, unique: false } });\n"
        "const Skill = define('Skill', { name: STRING });\n"
        "const Endorsement = define('Endorsement', { stars: INTEGER });\n"
        "User.belongsToMany(Skill, { through: Endorsement });\n"
        "Skill.belongsToMany(User, { through: Endorsement });\n"
        "const Badge = define('Badge', { label: STRING });\n"
        "const Award = define('Award', {\n"
        "  UserId: { type: INTEGER, primaryKey: true },\n"
        "  BadgeId: { type: INTEGER, primaryKey: true },\n"
        "  reason: STRING,\n"
        "}, { timestamps: false });\n"
        "User.belongsToMany(Badge, { through: Award });\n"
        "Badge.belongsToMany(User, { through: Award });\n");
    /* own id: kept; nullable keys with a UNIQUE pair */
    expect_columns(e.url, "UserProjects", "id, role, createdAt, updatedAt, UserId, ProjectId");
    test_expect_pk(e.url, "UserProjects", "id");
    test_expect_unique(e.url, "UserProjects", "UserId, ProjectId");
    expect_int_column(e.url, "UserProjects", "UserId", false);
    expect_int_column(e.url, "UserProjects", "ProjectId", false);
    test_expect_fk(e.url, "UserProjects", "UserId", "Users.id CASCADE CASCADE");
    test_expect_fk(e.url, "UserProjects", "ProjectId", "Projects.id CASCADE CASCADE");
    /* own id and unique: false: no UNIQUE pair */
    expect_columns(e.url, "Memberships", "id, level, createdAt, updatedAt, UserId, TeamId");
    test_expect_unique(e.url, "Memberships", NULL);
    test_expect_fk(e.url, "Memberships", "TeamId", "Teams.id CASCADE CASCADE");
    /* no primary key declared: the two keys are it, no id */
    expect_columns(e.url, "Endorsements", "stars, createdAt, updatedAt, UserId, SkillId");
    test_expect_pk(e.url, "Endorsements", "UserId, SkillId");
    expect_int_column(e.url, "Endorsements", "UserId", true);
    expect_int_column(e.url, "Endorsements", "SkillId", true);
    test_expect_fk(e.url, "Endorsements", "SkillId", "Skills.id CASCADE CASCADE");
    /* the keys declared as the primary key by the model itself */
    expect_columns(e.url, "Awards", "UserId, BadgeId, reason");
    test_expect_pk(e.url, "Awards", "UserId, BadgeId");
    test_expect_fk(e.url, "Awards", "UserId", "Users.id CASCADE CASCADE");
    test_expect_fk(e.url, "Awards", "BadgeId", "Badges.id CASCADE CASCADE");

    ins(e.db, "Users", "id,name", "1, 'Ann'");
    ins(e.db, "Users", "id,name", "2, 'Bob'");
    ins(e.db, "Projects", "id,title", "1, 'p1'");
    ins(e.db, "Teams", "id,name", "1, 't1'");
    ins(e.db, "Skills", "id,name", "1, 's1'");
    ins(e.db, "Badges", "id,label", "1, 'gold'");

    /* the junction's own attributes go in through relate's add */
    rel_error err = {0};
    rel_result *ru = NULL, *rp = NULL;
    rel_record *ann = find(&e, "User", 1, &ru);
    rel_record *p1 = find(&e, "Project", 1, &rp);
    rel_record *through = rel_new(rel_schema_model(e.schema, "UserProject"));
    assert_int_equal(rel_set_text(through, "role", "lead", &err), REL_OK);
    assert_int_equal(rel_assoc_add(e.db, ann, "Projects", &p1, 1, through, &err), REL_OK);
    rel_record_free(through);
    expect_rows(e.url, "UserProjects", "UserId,ProjectId,role", "1:1:lead");
    ins_refused(e.db, "UserProjects", "UserId,ProjectId", "1, 1", REL_UNIQUE);
    ins(e.db, "UserProjects", "UserId,ProjectId,role", "2, 1, 'dev'");
    ins(e.db, "UserProjects", "UserId,ProjectId,role", "NULL, 1, 'open'");
    run(e.db, "UPDATE \"Projects\" SET id = 10 WHERE id = 1");
    expect_rows(e.url, "UserProjects", "role,UserId,ProjectId", "dev:2:10 lead:1:10 open:-:10");

    ins(e.db, "Memberships", "UserId,TeamId,level", "1, 1, 1");
    ins(e.db, "Memberships", "UserId,TeamId,level", "1, 1, 2");

    rel_record *s1 = NULL;
    rel_result *rs = NULL;
    s1 = find(&e, "Skill", 1, &rs);
    rel_record *endorse = rel_new(rel_schema_model(e.schema, "Endorsement"));
    assert_int_equal(rel_set_int(endorse, "stars", 5, &err), REL_OK);
    assert_int_equal(rel_assoc_add(e.db, ann, "Skills", &s1, 1, endorse, &err), REL_OK);
    rel_record_free(endorse);
    expect_rows(e.url, "Endorsements", "UserId,SkillId,stars", "1:1:5");
    ins_refused(e.db, "Endorsements", "UserId,SkillId", "1, 1", REL_UNIQUE);
    ins_refused(e.db, "Endorsements", "UserId,SkillId", "NULL, 1", REL_NOT_NULL);
    ins(e.db, "Endorsements", "UserId,SkillId,stars", "2, 1, 3");

    run(e.db, "INSERT INTO \"Awards\" (\"UserId\", \"BadgeId\", reason) VALUES (1, 1, 'first')");
    run(e.db, "INSERT INTO \"Awards\" (\"UserId\", \"BadgeId\", reason) VALUES (2, 1, 'second')");
    refused(e.db, "INSERT INTO \"Awards\" (\"UserId\", \"BadgeId\") VALUES (1, 1)", REL_UNIQUE);
    refused(e.db, "INSERT INTO \"Awards\" (\"UserId\", \"BadgeId\") VALUES (1, 9)",
            REL_FOREIGN_KEY);
    run(e.db, "UPDATE \"Badges\" SET id = 7 WHERE id = 1");
    expect_rows(e.url, "Awards", "UserId,BadgeId,reason", "1:7:first 2:7:second");

    /* deleting a user takes every junction row of it */
    assert_int_equal(rel_destroy(e.db, ann, &err), REL_OK);
    rel_result_free(ru);
    rel_result_free(rp);
    rel_result_free(rs);
    expect_rows(e.url, "UserProjects", "role,UserId,ProjectId", "dev:2:10 open:-:10");
    test_expect_value(e.url, "SELECT count(*) FROM \"Memberships\"", "0");
    expect_rows(e.url, "Endorsements", "UserId,SkillId,stars", "2:1:3");
    expect_rows(e.url, "Awards", "UserId,BadgeId,reason", "2:7:second");
    run(e.db, "DELETE FROM \"Skills\" WHERE id = 1");
    test_expect_value(e.url, "SELECT count(*) FROM \"Endorsements\"", "0");
    stop(&e);
}

/* ---- foreign keys enforced on every connection --------------------------------------- */

static void every_connection_enforces(void **state)
{
    (void)state;
    env e = start(SEED_ORG);
    rel_db *other = NULL;
    rel_error err = {0};
    assert_int_equal(rel_open(&other, e.schema, e.url, &err), REL_OK);
    rel_db *dbs[] = {e.db, other};
    for (size_t i = 0; i < 2; i++) {
        ins_refused(dbs[i], "Employees", "name,OrganizationId", "'x', 99", REL_FOREIGN_KEY);
        /* in a transaction, and through rel_save */
        assert_int_equal(rel_begin(dbs[i], &err), REL_OK);
        rel_record *emp = rel_new(rel_schema_model(e.schema, "Employee"));
        assert_int_equal(rel_set_int(emp, "OrganizationId", 99, &err), REL_OK);
        assert_int_equal(rel_save(dbs[i], emp, &err), REL_FOREIGN_KEY);
        assert_int_equal(err.code, REL_FOREIGN_KEY);
        assert_string_equal(err.engine_code, test_is_postgres() ? "23503" : "787");
        rel_record_free(emp);
        assert_int_equal(rel_rollback(dbs[i], &err), REL_OK);
    }
    /* and the delete rules act on every connection too */
    ins(other, "Organizations", "id,name", "1, 'Acme'");
    ins(other, "Employees", "id,OrganizationId", "1, 1");
    run(other, "DELETE FROM \"Organizations\" WHERE id = 1");
    expect_rows(e.url, "Employees", "id,OrganizationId", "1:-");
    rel_close(other);
    stop(&e);
}

/* ---- definition errors --------------------------------------------------------------- */

/* Each line of the file with a mistake, and what its message must say. */
static const struct {
    int line, col;
    const char *says;
} FILE_ERRORS[] = {
    {5, 1, "User.belongsToMany(Task) needs a 'through' option naming the junction model, e.g. "
           "{ through: 'UserTasks' }"},
    {6, 1, "User.belongsToMany(User, { through: 'Friendships' }): 'as' must be defined for "
           "many-to-many self-associations, e.g. { as: 'friends', through: 'Friendships' }"},
    {7, 14, "unknown model 'Ghost': no Ghost = define(...) in this file"},
    {10, 1, "Actor.hasOne(Role): unknown attribute \"nope\" passed as sourceKey; define this "
            "attribute on model \"Actor\" first"},
    {11, 1, "Actor.hasMany(Role, { as: 'parts' }): sourceKey \"name\" must be unique or the "
            "primary key of model \"Actor\"; declare it with unique: true"},
    {12, 1, "Role.belongsTo(Actor): unknown attribute \"missing\" passed as targetKey; define "
            "this attribute on model \"Actor\" first"},
    {13, 1, "Role.belongsToMany(Actor, { through: 'Castings' }): targetKey \"name\" must be "
            "unique or the primary key of model \"Actor\"; declare it with unique: true"},
    {14, 1, "User.hasMany(Task, { as: 'tasks' }): naming collision between attribute 'tasks' "
            "and association 'tasks' on model User; to remedy this, change either foreignKey "
            "or as in the association definition"},
    {17, 1, "are both named 'articles' on model User; give one of them a different 'as'"},
    {22, 1, "Emp.employerId is defined twice with different types: INTEGER by "
            "Org.hasMany(Emp, { foreignKey: 'employerId' }) and UUID by Company.hasMany(Emp, { "
            "foreignKey: 'employerId' }); give one of the associations a different foreignKey"},
    {24, 1, "Emp.staffOf is defined twice with different nullability"},
    {25, 1, "Org.hasMany(Emp, { as: 'temps', through: 'OrgTemps' }): N:M associations are not "
            "supported with hasMany; use belongsToMany with { through: 'OrgTemps' } instead"},
    {26, 1, "foreignKey and otherKey are both 'PostId' on the junction 'PostLinks'; give them "
            "different names with the foreignKey and otherKey options"},
};

static const char BAD_FILE[] =
    /* 1 */ "const User = define('User', { name: STRING, tasks: STRING });\n"
    /* 2 */ "const Task = define('Task', { title: STRING });\n"
    /* 3 */ "const Actor = define('Actor', { name: STRING, code: { type: STRING, unique: true } });\n"
    /* 4 */ "const Role = define('Role', { title: STRING });\n"
    /* 5 */ "User.belongsToMany(Task);\n"
    /* 6 */ "User.belongsToMany(User, { through: 'Friendships' });\n"
    /* 7 */ "User.hasMany(Ghost);\n"
    /* 8 */ "const Post = define('Post', { title: STRING });\n"
    /* 9 */ "// unknown and non-unique keys\n"
    /* 10 */ "Actor.hasOne(Role, { sourceKey: 'nope' });\n"
    /* 11 */ "Actor.hasMany(Role, { as: 'parts', sourceKey: 'name' });\n"
    /* 12 */ "Role.belongsTo(Actor, { targetKey: 'missing' });\n"
    /* 13 */ "Role.belongsToMany(Actor, { through: 'Castings', targetKey: 'name' });\n"
    /* 14 */ "User.hasMany(Task, { as: 'tasks' });\n"
    /* 15 */ "User.hasMany(Post, { as: 'articles' });\n"
    /* 16 */ "\n"
    /* 17 */ "User.hasMany(Post, { as: 'articles', foreignKey: 'writerId' });\n"
    /* 18 */ "const Org = define('Org', { name: STRING });\n"
    /* 19 */ "const Company = define('Company', { id: { type: UUID, primaryKey: true } });\n"
    /* 20 */ "const Emp = define('Emp', { name: STRING });\n"
    /* 21 */ "Org.hasMany(Emp, { foreignKey: 'employerId' });\n"
    /* 22 */ "Company.hasMany(Emp, { foreignKey: 'employerId' });\n"
    /* 23 */ "Org.hasMany(Emp, { as: 'staff', foreignKey: { name: 'staffOf', allowNull: false } });\n"
    /* 24 */ "Org.hasMany(Emp, { as: 'crew', foreignKey: { name: 'staffOf', allowNull: true } });\n"
    /* 25 */ "Org.hasMany(Emp, { as: 'temps', through: 'OrgTemps' });\n"
    /* 26 */ "Post.belongsToMany(Post, { as: 'links', through: 'PostLinks', otherKey: 'PostId' });\n";

/* Loads text expecting FILE_ERRORS except the one at index skip (none: n). */
static void expect_file_errors(const char *text, size_t skip, rel_status want)
{
    size_t n = sizeof FILE_ERRORS / sizeof FILE_ERRORS[0];
    size_t first = skip == 0 ? 1 : 0;
    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err = {0};
    rel_status st = rel_schema_load_text(text, strlen(text), "bad.rel", &s, &errors, &err);
    if (st != want)
        fail_msg("status %s, want %s:\n%s", rel_status_name(st), rel_status_name(want),
                 errors ? errors : err.message);
    assert_null(s);
    assert_non_null(errors);
    /* the first error in err, with its position */
    assert_int_equal(err.code, want);
    assert_string_equal(err.file, "bad.rel");
    assert_int_equal(err.line, FILE_ERRORS[first].line);
    assert_int_equal(err.column, FILE_ERRORS[first].col);
    assert_non_null(strstr(err.message, FILE_ERRORS[first].says));
    /* every error at once, one "file:line:col: message" line each, in file order */
    size_t k = 0, lines = 0;
    const char *p = errors;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (k == skip)
            k++;
        if (k >= n)
            fail_msg("more errors than expected:\n%s", errors);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "bad.rel:%d:%d: ", FILE_ERRORS[k].line,
                 FILE_ERRORS[k].col);
        char *line = strndup(p, len);
        if (strncmp(line, prefix, strlen(prefix)) != 0 || !strstr(line, FILE_ERRORS[k].says))
            fail_msg("error %zu:\n  got:  %s\n  want: %s...%s\nall:\n%s", lines, line, prefix,
                     FILE_ERRORS[k].says, errors);
        free(line);
        k++;
        lines++;
        p += len + (end != NULL);
    }
    if (lines != n - (skip < n))
        fail_msg("%zu errors, want %zu:\n%s", lines, n - (skip < n), errors);
    free(errors);
}

static void definition_errors_in_a_model_file(void **state)
{
    (void)state;
    size_t n = sizeof FILE_ERRORS / sizeof FILE_ERRORS[0];
    /* A name that is no model of the file is the file's own error (REL_PARSE,
       as JavaScript's ReferenceError); it is reported with all the others. */
    expect_file_errors(BAD_FILE, n, REL_PARSE);
    /* Without it, every one is a definition error. */
    char *text = strdup(BAD_FILE);
    char *ghost = strstr(text, "User.hasMany(Ghost);");
    assert_non_null(ghost);
    memcpy(ghost, "//", 2);
    expect_file_errors(text, 2, REL_DEFINITION);
    free(text);
}

/* The same mistakes made with the C API: rel_schema_error_count has them all,
   and a schema with errors cannot be used. */
static void definition_errors_through_the_api(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_model *user = rel_define(s, "User", (rel_attr[]){{.name = "name", .type = REL_STRING},
                                                         {.name = "tasks", .type = REL_STRING},
                                                         {0}}, NULL);
    rel_model *task = rel_define(s, "Task", (rel_attr[]){{.name = "title", .type = REL_STRING},
                                                         {0}}, NULL);
    rel_model *actor = rel_define(s, "Actor", (rel_attr[]){
        {.name = "name", .type = REL_STRING},
        {.name = "code", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *role = rel_define(s, "Role", (rel_attr[]){{.name = "title", .type = REL_STRING},
                                                         {0}}, NULL);
    rel_model *post = rel_define(s, "Post", (rel_attr[]){{.name = "title", .type = REL_STRING},
                                                         {0}}, NULL);
    rel_model *org = rel_define(s, "Org", (rel_attr[]){{.name = "name", .type = REL_STRING},
                                                       {0}}, NULL);
    rel_model *company = rel_define(s, "Company", (rel_attr[]){
        {.name = "id", .type = REL_UUID, .primary_key = true}, {0}}, NULL);
    rel_model *emp = rel_define(s, "Emp", (rel_attr[]){{.name = "name", .type = REL_STRING},
                                                       {0}}, NULL);
    rel_belongs_to_many(user, task, NULL);
    rel_belongs_to_many(user, user, &(rel_assoc_opts){.through = "Friendships"});
    rel_has_many(user, NULL, NULL);
    rel_has_one(actor, role, &(rel_assoc_opts){.source_key = "nope"});
    rel_has_many(actor, role, &(rel_assoc_opts){.as = "parts", .source_key = "name"});
    rel_belongs_to(role, actor, &(rel_assoc_opts){.target_key = "missing"});
    rel_belongs_to_many(role, actor, &(rel_assoc_opts){.through = "Castings", .target_key = "name"});
    rel_has_many(user, task, &(rel_assoc_opts){.as = "tasks"});
    rel_has_many(user, post, &(rel_assoc_opts){.as = "articles"});
    rel_has_many(user, post, &(rel_assoc_opts){.as = "articles", .foreign_key = {.name = "writerId"}});
    rel_has_many(org, emp, &(rel_assoc_opts){.foreign_key = {.name = "employerId"}});
    rel_has_many(company, emp, &(rel_assoc_opts){.foreign_key = {.name = "employerId"}});
    rel_has_many(org, emp, &(rel_assoc_opts){.as = "staff",
                                             .foreign_key = {.name = "staffOf", .allow_null = REL_NO}});
    rel_has_many(org, emp, &(rel_assoc_opts){.as = "crew",
                                             .foreign_key = {.name = "staffOf", .allow_null = REL_YES}});
    rel_has_many(org, emp, &(rel_assoc_opts){.as = "temps", .through = "OrgTemps"});
    rel_belongs_to_many(post, post, &(rel_assoc_opts){.as = "links", .through = "PostLinks",
                                                      .other_key = {.name = "PostId"}});
    rel_error err = {0};
    assert_int_equal(rel_schema_freeze(s, &err), REL_DEFINITION);
    size_t n = rel_schema_error_count(s);
    /* the file's errors, with the unknown target as a NULL one */
    if (n != sizeof FILE_ERRORS / sizeof FILE_ERRORS[0]) {
        for (size_t i = 0; i < n; i++)
            print_message("  %s\n", rel_schema_error_at(s, i)->message);
        fail_msg("%zu errors", n);
    }
    assert_string_equal(err.message, rel_schema_error_at(s, 0)->message);
    for (size_t i = 0; i < n; i++) {
        const rel_error *x = rel_schema_error_at(s, i);
        assert_int_equal(x->code, REL_DEFINITION);
        assert_int_equal(x->line, 0);
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = strstr(x->message, FILE_ERRORS[k].says) != NULL;
        if (!found && !strstr(x->message, "not a model of this schema (the target is NULL)"))
            fail_msg("unexpected error: %s", x->message);
    }
    /* a failed schema opens nothing and prints no DDL */
    rel_db *db = NULL;
    assert_int_not_equal(rel_open(&db, s, test_db_url(), &err), REL_OK);
    assert_null(db);
    char *ddl = NULL;
    assert_int_not_equal(rel_ddl(s, test_engine(), NULL, &ddl, &err), REL_OK);
    assert_null(ddl);
    rel_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_a_has_one_b),
        cmocka_unit_test(seed_organization_employee_task),
        cmocka_unit_test(seed_actor_has_one_role),
        cmocka_unit_test(seed_roles_costumes_actors),
        cmocka_unit_test(default_rules_per_kind),
        cmocka_unit_test(explicit_cascade),
        cmocka_unit_test(explicit_set_null),
        cmocka_unit_test(explicit_restrict),
        cmocka_unit_test(explicit_no_action),
        cmocka_unit_test(explicit_set_default),
        cmocka_unit_test(set_default_uses_the_default),
        cmocka_unit_test(constraints_false),
        cmocka_unit_test(foreign_key_name_and_description),
        cmocka_unit_test(junction_keys_by_option),
        cmocka_unit_test(as_option),
        cmocka_unit_test(inverse_pair_options_from_either_side),
        cmocka_unit_test(cycle_constraints_enforced),
        cmocka_unit_test(self_associations),
        cmocka_unit_test(junction_models),
        cmocka_unit_test(every_connection_enforces),
        cmocka_unit_test(definition_errors_in_a_model_file),
        cmocka_unit_test(definition_errors_through_the_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
