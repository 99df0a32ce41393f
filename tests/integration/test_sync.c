/* rel_sync on a real database (the engine REL_TEST_ENGINE names): the tables,
   columns, keys and foreign-key rules read back from the engine's catalog
   (pragma table_info / foreign_key_list / index_list on SQLite,
   information_schema on PostgreSQL) with the raw driver, never through relate. */
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
#include "catalog.h"
#include "seeds.h"
#include "testdb.h"

/* ---- helpers ----------------------------------------------------------------- */

static rel_schema *frozen(rel_schema *s)
{
    rel_error err;
    memset(&err, 0, sizeof err);
    if (rel_schema_freeze(s, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    return s;
}

static rel_db *open_db(const rel_schema *s, const char *url)
{
    rel_db *db = NULL;
    rel_error err;
    memset(&err, 0, sizeof err);
    if (rel_open(&db, s, url, &err) != REL_OK)
        fail_msg("rel_open: %s", err.message);
    return db;
}

static void sync_ok(rel_db *db, bool force)
{
    rel_error err;
    memset(&err, 0, sizeof err);
    if (rel_sync(db, &(rel_sync_opts){.force = force}, &err) != REL_OK)
        fail_msg("rel_sync: %s", err.message);
}

static void exec_ok(const char *url, const char *sql)
{
    if (test_sql_exec(url, sql) != 0)
        fail_msg("raw SQL failed: %s", sql);
}

static const char *now_sql(void)
{
    return test_is_postgres() ? "now()" : "'2026-01-02 03:04:05.678 +00:00'";
}

/* ---- tests ---------------------------------------------------------------------- */

static void creates_every_table(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_org_schema(true);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);

    test_expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    if (test_is_postgres()) {
        test_expect_column(url, "Organizations", "id", "INTEGER NOT NULL");
        test_expect_value(url, "SELECT column_default LIKE 'nextval(%'"
                          " FROM information_schema.columns"
                          " WHERE table_name = 'Organizations' AND column_name = 'id'", "t");
        test_expect_column(url, "Organizations", "name", "CHARACTER VARYING(255) NOT NULL");
        test_expect_column(url, "Organizations", "createdAt", "TIMESTAMP WITH TIME ZONE NOT NULL");
        test_expect_column(url, "Employees", "hired", "TIMESTAMP WITH TIME ZONE");
        test_expect_column(url, "Employees", "OrganizationId", "INTEGER");
        test_expect_column(url, "Tasks", "title", "CHARACTER VARYING(100)");
        test_expect_column(url, "EmployeeTasks", "EmployeeId", "INTEGER NOT NULL");
        test_expect_column(url, "EmployeeTasks", "updatedAt", "TIMESTAMP WITH TIME ZONE NOT NULL");
    } else {
        test_expect_column(url, "Organizations", "id", "INTEGER");
        test_expect_value(url, "SELECT sql LIKE '%\"id\" INTEGER PRIMARY KEY AUTOINCREMENT%'"
                          " FROM sqlite_master WHERE name = 'Organizations'", "1");
        test_expect_column(url, "Organizations", "name", "VARCHAR(255) NOT NULL");
        test_expect_column(url, "Organizations", "createdAt", "DATETIME NOT NULL");
        test_expect_column(url, "Employees", "hired", "DATETIME");
        test_expect_column(url, "Employees", "OrganizationId", "INTEGER");
        test_expect_column(url, "Tasks", "title", "VARCHAR(100)");
        test_expect_column(url, "EmployeeTasks", "EmployeeId", "INTEGER NOT NULL");
        test_expect_column(url, "EmployeeTasks", "updatedAt", "DATETIME NOT NULL");
    }
    test_expect_column(url, "EmployeeTasks", "id", NULL); /* a generated junction has no id */
    test_expect_pk(url, "Organizations", "id");
    test_expect_pk(url, "EmployeeTasks", "EmployeeId, TaskId");
    test_expect_unique(url, "Organizations", "name");
    test_expect_unique(url, "Employees", NULL);
    test_expect_fk(url, "Employees", "OrganizationId", "Organizations.id SET NULL CASCADE");
    test_expect_fk(url, "EmployeeTasks", "EmployeeId", "Employees.id CASCADE CASCADE");
    test_expect_fk(url, "EmployeeTasks", "TaskId", "Tasks.id CASCADE CASCADE");
    rel_close(db);
    rel_schema_free(s);
}

static void every_type(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = rel_schema_new();
    rel_define(s, "Thing", (rel_attr[]){
        {.name = "i", .type = REL_INTEGER, .default_value = "7"},
        {.name = "bi", .type = REL_BIGINT},
        {.name = "f", .type = REL_FLOAT},
        {.name = "d", .type = REL_DOUBLE},
        {.name = "dec", .type = REL_DECIMAL, .length = 10, .scale = 2},
        {.name = "s", .type = REL_STRING, .default_value = "it's"},
        {.name = "t", .type = REL_TEXT},
        {.name = "b", .type = REL_BOOLEAN, .allow_null = REL_NO, .default_value = "true"},
        {.name = "dt", .type = REL_DATE, .default_value = "NOW"},
        {.name = "don", .type = REL_DATEONLY, .default_value = "2020-01-02"},
        {.name = "u", .type = REL_UUID},
        {.name = "bl", .type = REL_BLOB},
        {.name = "j", .type = REL_JSON, .default_value = "{\"a\": [1, 2]}"},
        {0}}, NULL);
    frozen(s);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    static const char *const names[] = {"bi", "f", "d", "dec", "t", "b", "dt", "don", "u", "bl", "j"};
    static const char *const pg_types[] = {
        "BIGINT", "DOUBLE PRECISION", "DOUBLE PRECISION", "NUMERIC", "TEXT", "BOOLEAN NOT NULL",
        "TIMESTAMP WITH TIME ZONE", "DATE", "UUID", "BYTEA", "JSON"};
    static const char *const sq_types[] = {
        "BIGINT", "FLOAT", "DOUBLE PRECISION", "DECIMAL(10,2)", "TEXT", "TINYINT(1) NOT NULL",
        "DATETIME", "DATE", "UUID", "BLOB", "JSON"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        test_expect_column(url, "Things", names[i], test_is_postgres() ? pg_types[i] : sq_types[i]);
    if (test_is_postgres())
        test_expect_value(url, "SELECT numeric_precision || ',' || numeric_scale"
                          " FROM information_schema.columns"
                          " WHERE table_name = 'Things' AND column_name = 'dec'", "10,2");

    /* the defaults are the database's: a row inserted without them gets them */
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO \"Things\" (\"createdAt\", \"updatedAt\") VALUES (%s, %s)",
             now_sql(), now_sql());
    exec_ok(url, sql);
    test_expect_value(url, "SELECT i FROM \"Things\"", "7");
    test_expect_value(url, "SELECT s FROM \"Things\"", "it's");
    test_expect_value(url, "SELECT b FROM \"Things\"", test_is_postgres() ? "t" : "1");
    /* NOW is relate's to fill, as Sequelize's */
    test_expect_value(url, "SELECT dt FROM \"Things\"", NULL);
    test_expect_value(url, "SELECT don FROM \"Things\"", "2020-01-02");
    test_expect_value(url, "SELECT j FROM \"Things\"", "{\"a\":[1,2]}");
    rel_close(db);
    rel_schema_free(s);
}

static void second_sync_changes_nothing(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_org_schema(true);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Organizations\" (name, \"createdAt\", \"updatedAt\") VALUES ('Acme', %s, %s)",
             now_sql(), now_sql());
    exec_ok(url, sql);
    sync_ok(db, false);
    sync_ok(db, false);
    test_expect_value(url, "SELECT count(*) FROM \"Organizations\"", "1");
    test_expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    test_expect_fk(url, "Employees", "OrganizationId", "Organizations.id SET NULL CASCADE");
    rel_close(db);
    rel_schema_free(s);
}

static void force_drops_and_recreates(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_org_schema(true);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Organizations\" (name, \"createdAt\", \"updatedAt\") VALUES ('Acme', %s, %s);"
             "INSERT INTO \"Employees\" (name, \"OrganizationId\", \"createdAt\", \"updatedAt\")"
             " VALUES ('Ann', 1, %s, %s);"
             "INSERT INTO \"Tasks\" (title, \"createdAt\", \"updatedAt\") VALUES ('Ship', %s, %s);"
             "INSERT INTO \"EmployeeTasks\" (\"EmployeeId\", \"TaskId\", \"createdAt\", \"updatedAt\")"
             " VALUES (1, 1, %s, %s)",
             now_sql(), now_sql(), now_sql(), now_sql(), now_sql(), now_sql(), now_sql(), now_sql());
    exec_ok(url, sql);
    sync_ok(db, true);
    test_expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    test_expect_value(url, "SELECT count(*) FROM \"Organizations\"", "0");
    test_expect_value(url, "SELECT count(*) FROM \"EmployeeTasks\"", "0");
    test_expect_fk(url, "EmployeeTasks", "TaskId", "Tasks.id CASCADE CASCADE");
    /* the ids start again */
    exec_ok(url, sql);
    test_expect_value(url, "SELECT id FROM \"Organizations\"", "1");
    rel_close(db);
    rel_schema_free(s);
}

/* A.hasOne(B, { foreignKey: 'otherId', onDelete: 'CASCADE', onUpdate: 'SET NULL' })
   with B.belongsTo(A): one key, otherId, with the explicit rules. */
static void seed_a_b_other_id(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_ab_schema();
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    test_expect_tables(url, "As, Bs");
    test_expect_column(url, "Bs", "otherId", "INTEGER");
    test_expect_column(url, "Bs", "AId", NULL);
    test_expect_fk(url, "Bs", "otherId", "As.id CASCADE SET NULL");
    rel_close(db);
    rel_schema_free(s);
}

/* Keys other than id: sourceKey/targetKey name, title, wardrobe. */
static void seed_actor_custom_keys(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_actor_schema();
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    test_expect_tables(url, "Actors, Costumes, Roles, actor_costumes");
    test_expect_unique(url, "Actors", "name; wardrobe");
    test_expect_fk(url, "Roles", "actorName", "Actors.name SET NULL CASCADE");
    test_expect_fk(url, "Costumes", "roleTitle", "Roles.title SET NULL CASCADE");
    test_expect_fk(url, "actor_costumes", "CostumeName", "Costumes.name CASCADE CASCADE");
    test_expect_fk(url, "actor_costumes", "ActorWardrobe", "Actors.wardrobe CASCADE CASCADE");
    test_expect_pk(url, "actor_costumes", "CostumeName, ActorWardrobe");
    test_expect_column(url, "actor_costumes", "CostumeName",
                       test_is_postgres() ? "CHARACTER VARYING(255) NOT NULL"
                                          : "VARCHAR(255) NOT NULL");
    test_expect_column(url, "Roles", "actorName",
                       test_is_postgres() ? "CHARACTER VARYING(255)" : "VARCHAR(255)");
    rel_close(db);
    rel_schema_free(s);
}

/* A through model with its own id: nullable keys and UNIQUE (UserId, ProjectId). */
static void junction_with_own_id(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = rel_schema_new();
    rel_model *u = rel_define(s, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *p = rel_define(s, "Project", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_define(s, "UserProject", (rel_attr[]){
        {.name = "id", .type = REL_INTEGER, .primary_key = true, .auto_increment = true},
        {.name = "role", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to_many(u, p, &(rel_assoc_opts){.through = "UserProject"});
    rel_belongs_to_many(p, u, &(rel_assoc_opts){.through = "UserProject"});
    frozen(s);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    test_expect_pk(url, "UserProjects", "id");
    test_expect_unique(url, "UserProjects", "UserId, ProjectId");
    test_expect_column(url, "UserProjects", "UserId", "INTEGER");
    test_expect_fk(url, "UserProjects", "ProjectId", "Projects.id CASCADE CASCADE");
    rel_close(db);
    rel_schema_free(s);
}

static void insert_linked_pair(const char *url)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO \"As\" (name, \"createdAt\", \"updatedAt\") VALUES ('a', %s, %s);"
             "INSERT INTO \"Bs\" (name, \"AId\", \"createdAt\", \"updatedAt\") VALUES ('b', 1, %s, %s);"
             "UPDATE \"As\" SET \"BId\" = 1",
             now_sql(), now_sql(), now_sql(), now_sql());
    exec_ok(url, sql);
}

/* A.belongsTo(B), B.belongsTo(A): both constraints exist after sync, after a
   second sync (once each), and after a forced sync of tables whose rows
   point at each other. */
static void cycle_syncs_and_resyncs(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_cycle_schema(NULL);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    test_expect_fk(url, "As", "BId", "Bs.id SET NULL CASCADE");
    test_expect_fk(url, "Bs", "AId", "As.id SET NULL CASCADE");
    insert_linked_pair(url);

    sync_ok(db, false);
    test_expect_fk(url, "As", "BId", "Bs.id SET NULL CASCADE");
    test_expect_fk(url, "Bs", "AId", "As.id SET NULL CASCADE");
    test_expect_value(url, "SELECT \"BId\" FROM \"As\"", "1");

    sync_ok(db, true);
    test_expect_fk(url, "As", "BId", "Bs.id SET NULL CASCADE");
    test_expect_fk(url, "Bs", "AId", "As.id SET NULL CASCADE");
    test_expect_value(url, "SELECT count(*) FROM \"As\"", "0");
    rel_close(db);
    rel_schema_free(s);
}

/* With NO ACTION, rows that point at each other block dropping either table
   first; a forced sync still goes through (SQLite: foreign keys deferred
   while dropping; PostgreSQL: CASCADE). */
static void cycle_force_with_no_action(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_cycle_schema("NO ACTION");
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    test_expect_fk(url, "As", "BId", "Bs.id NO ACTION CASCADE");
    insert_linked_pair(url);
    sync_ok(db, true);
    test_expect_value(url, "SELECT count(*) FROM \"Bs\"", "0");
    test_expect_fk(url, "As", "BId", "Bs.id NO ACTION CASCADE");
    test_expect_fk(url, "Bs", "AId", "As.id NO ACTION CASCADE");
    /* and the connection still enforces foreign keys afterwards */
    rel_error err;
    rel_status st = rel_exec(db, test_is_postgres()
        ? "INSERT INTO \"As\" (name, \"BId\", \"createdAt\", \"updatedAt\") VALUES ('x', 42, now(), now())"
        : "INSERT INTO \"As\" (name, \"BId\", \"createdAt\", \"updatedAt\") VALUES ('x', 42, 'a', 'b')",
        NULL, 0, &err);
    assert_int_equal(st, REL_FOREIGN_KEY);
    rel_close(db);
    rel_schema_free(s);
}

/* An object in the way of the last table makes its CREATE fail (SQLite: an
   index of that name; PostgreSQL: a type of that name). */
static void block_employee_tasks(const char *url)
{
    exec_ok(url, test_is_postgres()
                     ? "CREATE TYPE \"EmployeeTasks\" AS ENUM ('x')"
                     : "CREATE TABLE t0 (x); CREATE INDEX \"EmployeeTasks\" ON t0 (x)");
}

static void failed_sync_changes_nothing(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_org_schema(true);
    rel_db *db = open_db(s, url);
    rel_error err;
    block_employee_tasks(url);
    memset(&err, 0, sizeof err);
    assert_int_not_equal(rel_sync(db, NULL, &err), REL_OK);
    assert_non_null(strstr(err.message, "EmployeeTasks"));
    /* the three tables created before the failure are gone again */
    test_expect_tables(url, test_is_postgres() ? NULL : "t0");
    /* and the connection works */
    assert_int_equal(rel_exec(db, "SELECT 1", NULL, 0, &err), REL_OK);
    rel_close(db);
    rel_schema_free(s);
}

static void failed_forced_sync_keeps_the_data(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *before = test_seed_org_schema(false);
    rel_schema *s = test_seed_org_schema(true);
    rel_db *db0 = open_db(before, url);
    sync_ok(db0, false);
    rel_close(db0);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Organizations\" (name, \"createdAt\", \"updatedAt\") VALUES ('Acme', %s, %s)",
             now_sql(), now_sql());
    exec_ok(url, sql);
    block_employee_tasks(url);

    rel_db *db = open_db(s, url);
    rel_error err;
    memset(&err, 0, sizeof err);
    assert_int_not_equal(rel_sync(db, &(rel_sync_opts){.force = true}, &err), REL_OK);
    test_expect_value(url, "SELECT name FROM \"Organizations\"", "Acme");
    test_expect_tables(url, test_is_postgres() ? "Employees, Organizations, Tasks"
                                               : "Employees, Organizations, Tasks, t0");
    rel_close(db);
    rel_schema_free(before);
    rel_schema_free(s);
}

/* Inside the caller's transaction, sync is part of it. */
static void sync_inside_a_transaction(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_org_schema(true);
    rel_db *db = open_db(s, url);
    rel_error err;
    assert_int_equal(rel_begin(db, &err), REL_OK);
    sync_ok(db, true);
    assert_int_equal(rel_rollback(db, &err), REL_OK);
    test_expect_tables(url, NULL);
    assert_int_equal(rel_begin(db, &err), REL_OK);
    sync_ok(db, false);
    assert_int_equal(rel_commit(db, &err), REL_OK);
    test_expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    rel_close(db);
    rel_schema_free(s);
}

/* What rel_sync runs is what rel_ddl prints, statement for statement. */
typedef struct log_capture {
    char text[16384];
} log_capture;

static void capture(void *user, const char *sql, const rel_value *params, size_t n)
{
    log_capture *c = user;
    (void)params;
    (void)n;
    if (strncmp(sql, "BEGIN", 5) == 0 || strncmp(sql, "COMMIT", 6) == 0 ||
        strncmp(sql, "SAVEPOINT", 9) == 0 || strncmp(sql, "RELEASE", 7) == 0)
        return;
    size_t used = strlen(c->text);
    snprintf(c->text + used, sizeof c->text - used, "%s;\n", sql);
}

static void sync_runs_what_ddl_prints(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = test_seed_cycle_schema(NULL);
    rel_db *db = open_db(s, url);
    for (int force = 0; force < 2; force++) {
        log_capture *c = calloc(1, sizeof *c);
        assert_non_null(c);
        rel_set_logger(db, capture, c);
        sync_ok(db, force);
        rel_set_logger(db, NULL, NULL);
        char *text = NULL;
        rel_error err;
        assert_int_equal(rel_ddl(s, test_engine(), &(rel_sync_opts){.force = force}, &text, &err),
                         REL_OK);
        assert_string_equal(c->text, text);
        free(text);
        free(c);
    }
    rel_close(db);
    rel_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creates_every_table),
        cmocka_unit_test(every_type),
        cmocka_unit_test(second_sync_changes_nothing),
        cmocka_unit_test(force_drops_and_recreates),
        cmocka_unit_test(seed_a_b_other_id),
        cmocka_unit_test(seed_actor_custom_keys),
        cmocka_unit_test(junction_with_own_id),
        cmocka_unit_test(cycle_syncs_and_resyncs),
        cmocka_unit_test(cycle_force_with_no_action),
        cmocka_unit_test(failed_sync_changes_nothing),
        cmocka_unit_test(failed_forced_sync_keeps_the_data),
        cmocka_unit_test(sync_inside_a_transaction),
        cmocka_unit_test(sync_runs_what_ddl_prints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
