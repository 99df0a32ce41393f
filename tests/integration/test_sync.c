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
#include "testdb.h"

/* ---- helpers ----------------------------------------------------------------- */

static bool pg(void)
{
    return strcmp(test_engine(), "postgres") == 0;
}

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

/* The query's single value equals want (NULL: no row or SQL NULL). */
static void expect(const char *url, const char *sql, const char *want)
{
    char *got = test_sql_scalar(url, sql);
    bool same = (!got && !want) || (got && want && strcmp(got, want) == 0);
    if (!same)
        fail_msg("%s\n  got:  %s\n  want: %s", sql, got ? got : "(null)", want ? want : "(null)");
    free(got);
}

/* "TYPE[ NOT NULL]" of a column, as the engine reports it. */
static void expect_column(const char *url, const char *table, const char *column,
                          const char *want)
{
    char sql[1024];
    if (pg())
        snprintf(sql, sizeof sql,
                 "SELECT upper(data_type) || COALESCE('(' || character_maximum_length || ')', '')"
                 " || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END"
                 " FROM information_schema.columns WHERE table_schema = 'public'"
                 " AND table_name = '%s' AND column_name = '%s'", table, column);
    else
        snprintf(sql, sizeof sql,
                 "SELECT type || CASE WHEN \"notnull\" THEN ' NOT NULL' ELSE '' END"
                 " FROM pragma_table_info('%s') WHERE name = '%s'", table, column);
    expect(url, sql, want);
}

/* Every foreign key on table.column as "Table.column DELETE_RULE UPDATE_RULE",
   joined by "; " (so a duplicate shows), or NULL. */
static void expect_fk(const char *url, const char *table, const char *column, const char *want)
{
    char sql[2048];
    if (pg())
        snprintf(sql, sizeof sql,
                 "SELECT string_agg(ccu.table_name || '.' || ccu.column_name || ' ' ||"
                 " rc.delete_rule || ' ' || rc.update_rule, '; ')"
                 " FROM information_schema.key_column_usage kcu"
                 " JOIN information_schema.referential_constraints rc"
                 "   USING (constraint_schema, constraint_name)"
                 " JOIN information_schema.constraint_column_usage ccu"
                 "   USING (constraint_schema, constraint_name)"
                 " WHERE kcu.table_schema = 'public' AND kcu.table_name = '%s'"
                 " AND kcu.column_name = '%s'", table, column);
    else
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(\"table\" || '.' || \"to\" || ' ' || on_delete || ' ' ||"
                 " on_update, '; ') FROM pragma_foreign_key_list('%s') WHERE \"from\" = '%s'",
                 table, column);
    expect(url, sql, want);
}

/* The primary key's columns, in key order, joined by ", ". */
static void expect_pk(const char *url, const char *table, const char *want)
{
    char sql[1024];
    if (pg())
        snprintf(sql, sizeof sql,
                 "SELECT string_agg(kcu.column_name, ', ' ORDER BY kcu.ordinal_position)"
                 " FROM information_schema.table_constraints tc"
                 " JOIN information_schema.key_column_usage kcu"
                 "   USING (constraint_schema, constraint_name)"
                 " WHERE tc.table_schema = 'public' AND tc.table_name = '%s'"
                 " AND tc.constraint_type = 'PRIMARY KEY'", table);
    else
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_table_info('%s')"
                 " WHERE pk > 0 ORDER BY pk)", table);
    expect(url, sql, want);
}

/* The UNIQUE constraints, each as its columns joined by ", ", sorted, "; " between. */
static void expect_unique(const char *url, const char *table, const char *want)
{
    char sql[1024];
    if (pg())
        snprintf(sql, sizeof sql,
                 "SELECT string_agg(cols, '; ' ORDER BY cols) FROM ("
                 " SELECT string_agg(kcu.column_name, ', ' ORDER BY kcu.ordinal_position) AS cols"
                 " FROM information_schema.table_constraints tc"
                 " JOIN information_schema.key_column_usage kcu"
                 "   USING (constraint_schema, constraint_name)"
                 " WHERE tc.table_schema = 'public' AND tc.table_name = '%s'"
                 " AND tc.constraint_type = 'UNIQUE' GROUP BY tc.constraint_name) x", table);
    else
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(cols, '; ') FROM (SELECT (SELECT group_concat(name, ', ')"
                 " FROM pragma_index_info(il.name)) AS cols FROM pragma_index_list('%s') il"
                 " WHERE il.\"unique\" AND il.origin = 'u' ORDER BY cols)", table);
    expect(url, sql, want);
}

/* The user's tables, sorted byte-wise, joined by ", ". */
static void expect_tables(const char *url, const char *want)
{
    expect(url, pg()
        ? "SELECT string_agg(table_name, ', ' ORDER BY table_name COLLATE \"C\")"
          " FROM information_schema.tables WHERE table_schema = 'public'"
          " AND table_type = 'BASE TABLE'"
        : "SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_master"
          " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)", want);
}

static const char *now_sql(void)
{
    return pg() ? "now()" : "'2026-01-02 03:04:05.678 +00:00'";
}

/* ---- schemas (the seeds) ------------------------------------------------------ */

static rel_schema *org_schema(bool with_junction)
{
    rel_schema *s = rel_schema_new();
    rel_model *org = rel_define(s, "Organization", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true}, {0}}, NULL);
    rel_model *emp = rel_define(s, "Employee", (rel_attr[]){
        {.name = "name", .type = REL_STRING}, {.name = "hired", .type = REL_DATE}, {0}}, NULL);
    rel_model *task = rel_define(s, "Task", (rel_attr[]){
        {.name = "title", .type = REL_STRING, .length = 100}, {0}}, NULL);
    rel_has_many(org, emp, NULL);
    rel_belongs_to(emp, org, NULL);
    if (with_junction) {
        rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "EmployeeTasks"});
        rel_belongs_to_many(task, emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    }
    return frozen(s);
}

static rel_schema *ab_schema(void)
{
    rel_schema *s = rel_schema_new();
    rel_model *a = rel_define(s, "A", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *b = rel_define(s, "B", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_has_one(a, b, &(rel_assoc_opts){.on_update = "SET NULL", .on_delete = "CASCADE",
                                        .foreign_key = {.name = "otherId"},
                                        .source_key = "", .target_key = ""});
    rel_belongs_to(b, a, NULL);
    return frozen(s);
}

static rel_schema *actor_schema(void)
{
    rel_schema *s = rel_schema_new();
    rel_model *actor = rel_define(s, "Actor", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .unique = true},
        {.name = "wardrobe", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *role = rel_define(s, "Role", (rel_attr[]){
        {.name = "title", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *costume = rel_define(s, "Costume", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_has_one(actor, role, &(rel_assoc_opts){.source_key = "name", .foreign_key = {.name = "actorName"}});
    rel_has_many(role, costume, &(rel_assoc_opts){.source_key = "title", .foreign_key = {.name = "roleTitle"}});
    rel_belongs_to(role, actor, &(rel_assoc_opts){.target_key = "name", .foreign_key = {.name = "actorName"}});
    rel_belongs_to_many(costume, actor, &(rel_assoc_opts){.through = "actor_costumes",
                                                         .source_key = "name",
                                                         .target_key = "wardrobe"});
    return frozen(s);
}

/* A.belongsTo(B); B.belongsTo(A), with the rules given (NULL: defaults). */
static rel_schema *cycle_schema(const char *on_delete)
{
    rel_schema *s = rel_schema_new();
    rel_model *a = rel_define(s, "A", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *b = rel_define(s, "B", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to(a, b, &(rel_assoc_opts){.on_delete = on_delete});
    rel_belongs_to(b, a, &(rel_assoc_opts){.on_delete = on_delete});
    return frozen(s);
}

/* ---- tests ---------------------------------------------------------------------- */

static void creates_every_table(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = org_schema(true);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);

    expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    if (pg()) {
        expect_column(url, "Organizations", "id", "INTEGER NOT NULL");
        expect(url, "SELECT column_default LIKE 'nextval(%' FROM information_schema.columns"
                    " WHERE table_name = 'Organizations' AND column_name = 'id'", "t");
        expect_column(url, "Organizations", "name", "CHARACTER VARYING(255) NOT NULL");
        expect_column(url, "Organizations", "createdAt", "TIMESTAMP WITH TIME ZONE NOT NULL");
        expect_column(url, "Employees", "hired", "TIMESTAMP WITH TIME ZONE");
        expect_column(url, "Employees", "OrganizationId", "INTEGER");
        expect_column(url, "Tasks", "title", "CHARACTER VARYING(100)");
        expect_column(url, "EmployeeTasks", "EmployeeId", "INTEGER NOT NULL");
        expect_column(url, "EmployeeTasks", "updatedAt", "TIMESTAMP WITH TIME ZONE NOT NULL");
    } else {
        expect_column(url, "Organizations", "id", "INTEGER");
        expect(url, "SELECT sql LIKE '%\"id\" INTEGER PRIMARY KEY AUTOINCREMENT%' FROM sqlite_master"
                    " WHERE name = 'Organizations'", "1");
        expect_column(url, "Organizations", "name", "VARCHAR(255) NOT NULL");
        expect_column(url, "Organizations", "createdAt", "DATETIME NOT NULL");
        expect_column(url, "Employees", "hired", "DATETIME");
        expect_column(url, "Employees", "OrganizationId", "INTEGER");
        expect_column(url, "Tasks", "title", "VARCHAR(100)");
        expect_column(url, "EmployeeTasks", "EmployeeId", "INTEGER NOT NULL");
        expect_column(url, "EmployeeTasks", "updatedAt", "DATETIME NOT NULL");
    }
    expect_column(url, "EmployeeTasks", "id", NULL); /* a generated junction has no id */
    expect_pk(url, "Organizations", "id");
    expect_pk(url, "EmployeeTasks", "EmployeeId, TaskId");
    expect_unique(url, "Organizations", "name");
    expect_unique(url, "Employees", NULL);
    expect_fk(url, "Employees", "OrganizationId", "Organizations.id SET NULL CASCADE");
    expect_fk(url, "EmployeeTasks", "EmployeeId", "Employees.id CASCADE CASCADE");
    expect_fk(url, "EmployeeTasks", "TaskId", "Tasks.id CASCADE CASCADE");
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
        expect_column(url, "Things", names[i], pg() ? pg_types[i] : sq_types[i]);
    if (pg())
        expect(url, "SELECT numeric_precision || ',' || numeric_scale FROM information_schema.columns"
                    " WHERE table_name = 'Things' AND column_name = 'dec'", "10,2");

    /* the defaults are the database's: a row inserted without them gets them */
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO \"Things\" (\"createdAt\", \"updatedAt\") VALUES (%s, %s)",
             now_sql(), now_sql());
    exec_ok(url, sql);
    expect(url, "SELECT i FROM \"Things\"", "7");
    expect(url, "SELECT s FROM \"Things\"", "it's");
    expect(url, "SELECT b FROM \"Things\"", pg() ? "t" : "1");
    expect(url, "SELECT dt FROM \"Things\"", NULL); /* NOW is relate's to fill, as Sequelize's */
    expect(url, "SELECT don FROM \"Things\"", "2020-01-02");
    expect(url, "SELECT j FROM \"Things\"", "{\"a\":[1,2]}");
    rel_close(db);
    rel_schema_free(s);
}

static void second_sync_changes_nothing(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = org_schema(true);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Organizations\" (name, \"createdAt\", \"updatedAt\") VALUES ('Acme', %s, %s)",
             now_sql(), now_sql());
    exec_ok(url, sql);
    sync_ok(db, false);
    sync_ok(db, false);
    expect(url, "SELECT count(*) FROM \"Organizations\"", "1");
    expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    expect_fk(url, "Employees", "OrganizationId", "Organizations.id SET NULL CASCADE");
    rel_close(db);
    rel_schema_free(s);
}

static void force_drops_and_recreates(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = org_schema(true);
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
    expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
    expect(url, "SELECT count(*) FROM \"Organizations\"", "0");
    expect(url, "SELECT count(*) FROM \"EmployeeTasks\"", "0");
    expect_fk(url, "EmployeeTasks", "TaskId", "Tasks.id CASCADE CASCADE");
    /* the ids start again */
    exec_ok(url, sql);
    expect(url, "SELECT id FROM \"Organizations\"", "1");
    rel_close(db);
    rel_schema_free(s);
}

/* A.hasOne(B, { foreignKey: 'otherId', onDelete: 'CASCADE', onUpdate: 'SET NULL' })
   with B.belongsTo(A): one key, otherId, with the explicit rules. */
static void seed_a_b_other_id(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = ab_schema();
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    expect_tables(url, "As, Bs");
    expect_column(url, "Bs", "otherId", "INTEGER");
    expect_column(url, "Bs", "AId", NULL);
    expect_fk(url, "Bs", "otherId", "As.id CASCADE SET NULL");
    rel_close(db);
    rel_schema_free(s);
}

/* Keys other than id: sourceKey/targetKey name, title, wardrobe. */
static void seed_actor_custom_keys(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = actor_schema();
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    expect_tables(url, "Actors, Costumes, Roles, actor_costumes");
    expect_unique(url, "Actors", "name; wardrobe");
    expect_fk(url, "Roles", "actorName", "Actors.name SET NULL CASCADE");
    expect_fk(url, "Costumes", "roleTitle", "Roles.title SET NULL CASCADE");
    expect_fk(url, "actor_costumes", "CostumeName", "Costumes.name CASCADE CASCADE");
    expect_fk(url, "actor_costumes", "ActorWardrobe", "Actors.wardrobe CASCADE CASCADE");
    expect_pk(url, "actor_costumes", "CostumeName, ActorWardrobe");
    expect_column(url, "actor_costumes", "CostumeName",
                  pg() ? "CHARACTER VARYING(255) NOT NULL" : "VARCHAR(255) NOT NULL");
    expect_column(url, "Roles", "actorName", pg() ? "CHARACTER VARYING(255)" : "VARCHAR(255)");
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
    expect_pk(url, "UserProjects", "id");
    expect_unique(url, "UserProjects", "UserId, ProjectId");
    expect_column(url, "UserProjects", "UserId", "INTEGER");
    expect_fk(url, "UserProjects", "ProjectId", "Projects.id CASCADE CASCADE");
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
    rel_schema *s = cycle_schema(NULL);
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    expect_fk(url, "As", "BId", "Bs.id SET NULL CASCADE");
    expect_fk(url, "Bs", "AId", "As.id SET NULL CASCADE");
    insert_linked_pair(url);

    sync_ok(db, false);
    expect_fk(url, "As", "BId", "Bs.id SET NULL CASCADE");
    expect_fk(url, "Bs", "AId", "As.id SET NULL CASCADE");
    expect(url, "SELECT \"BId\" FROM \"As\"", "1");

    sync_ok(db, true);
    expect_fk(url, "As", "BId", "Bs.id SET NULL CASCADE");
    expect_fk(url, "Bs", "AId", "As.id SET NULL CASCADE");
    expect(url, "SELECT count(*) FROM \"As\"", "0");
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
    rel_schema *s = cycle_schema("NO ACTION");
    rel_db *db = open_db(s, url);
    sync_ok(db, false);
    expect_fk(url, "As", "BId", "Bs.id NO ACTION CASCADE");
    insert_linked_pair(url);
    sync_ok(db, true);
    expect(url, "SELECT count(*) FROM \"Bs\"", "0");
    expect_fk(url, "As", "BId", "Bs.id NO ACTION CASCADE");
    expect_fk(url, "Bs", "AId", "As.id NO ACTION CASCADE");
    /* and the connection still enforces foreign keys afterwards */
    rel_error err;
    rel_status st = rel_exec(db, pg()
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
    exec_ok(url, pg() ? "CREATE TYPE \"EmployeeTasks\" AS ENUM ('x')"
                      : "CREATE TABLE t0 (x); CREATE INDEX \"EmployeeTasks\" ON t0 (x)");
}

static void failed_sync_changes_nothing(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = org_schema(true);
    rel_db *db = open_db(s, url);
    rel_error err;
    block_employee_tasks(url);
    memset(&err, 0, sizeof err);
    assert_int_not_equal(rel_sync(db, NULL, &err), REL_OK);
    assert_non_null(strstr(err.message, "EmployeeTasks"));
    /* the three tables created before the failure are gone again */
    expect_tables(url, pg() ? NULL : "t0");
    /* and the connection works */
    assert_int_equal(rel_exec(db, "SELECT 1", NULL, 0, &err), REL_OK);
    rel_close(db);
    rel_schema_free(s);
}

static void failed_forced_sync_keeps_the_data(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *before = org_schema(false);
    rel_schema *s = org_schema(true);
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
    expect(url, "SELECT name FROM \"Organizations\"", "Acme");
    expect_tables(url, pg() ? "Employees, Organizations, Tasks" : "Employees, Organizations, Tasks, t0");
    rel_close(db);
    rel_schema_free(before);
    rel_schema_free(s);
}

/* Inside the caller's transaction, sync is part of it. */
static void sync_inside_a_transaction(void **state)
{
    (void)state;
    const char *url = test_db_url();
    rel_schema *s = org_schema(true);
    rel_db *db = open_db(s, url);
    rel_error err;
    assert_int_equal(rel_begin(db, &err), REL_OK);
    sync_ok(db, true);
    assert_int_equal(rel_rollback(db, &err), REL_OK);
    expect_tables(url, NULL);
    assert_int_equal(rel_begin(db, &err), REL_OK);
    sync_ok(db, false);
    assert_int_equal(rel_commit(db, &err), REL_OK);
    expect_tables(url, "EmployeeTasks, Employees, Organizations, Tasks");
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
    rel_schema *s = cycle_schema(NULL);
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
