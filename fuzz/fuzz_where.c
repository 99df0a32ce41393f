/* libFuzzer target: the JSON options a caller or the relate command passes
 * as text: where, order, include, attributes, and the nested-create JSON.
 *
 * Input: up to six fields separated by NUL bytes:
 *   model \0 where \0 order \0 include \0 attributes \0 create-json
 * (an empty or unknown model means Organization). Each input is
 *   1. compiled to PostgreSQL SQL without a database (where, order, include
 *      filter), and
 *   2. run for real on an in-memory SQLite database holding a few rows:
 *      rel_find_all (with its JSON output), rel_count, and rel_create_json
 *      inside a transaction that is rolled back.
 * Nothing may crash, hang or leak, and the connection must stay usable. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/json_opts.h"
#include "query/include.h"
#include "query/select.h"
#include "relate.h"
#include "sql/order.h"
#include "sql/sql.h"
#include "sql/where.h"
#include "util/arena.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char MODELS[] =
    "const Organization = define('Organization', {\n"
    "  name: { type: STRING, allowNull: false, unique: true },\n"
    "  founded: DATEONLY, budget: DECIMAL(10, 2), meta: JSON, logo: BLOB,\n"
    "});\n"
    "const Employee = define('Employee', {\n"
    "  name: { type: STRING, allowNull: false }, age: INTEGER, score: DOUBLE,\n"
    "  active: BOOLEAN, hired: DATE, uid: UUID, big: BIGINT,\n"
    "});\n"
    "const Task = define('Task', { title: STRING(100), done: BOOLEAN });\n"
    "const Profile = define('Profile', { bio: TEXT });\n"
    "Organization.hasMany(Employee);\n"
    "Employee.belongsTo(Organization);\n"
    "Employee.hasOne(Profile, { as: 'card' });\n"
    "Employee.belongsToMany(Task, { through: 'EmployeeTasks' });\n"
    "Task.belongsToMany(Employee, { through: 'EmployeeTasks' });\n"
    "Employee.belongsToMany(Employee, { as: 'friends', through: 'Friendships' });\n";

#define TS "'2026-01-02 03:04:05.678 +00:00'"
static const char *const ROWS[] = {
    "INSERT INTO \"Organizations\" (\"name\", \"createdAt\", \"updatedAt\") VALUES "
    "('Acme', " TS ", " TS "), ('Bo''s', " TS ", " TS ")",
    "INSERT INTO \"Employees\" (\"name\", \"age\", \"OrganizationId\", \"createdAt\", "
    "\"updatedAt\") VALUES ('Ann', 30, 1, " TS ", " TS "), ('Bob', 40, 1, " TS ", " TS "), "
    "('Cy', NULL, NULL, " TS ", " TS ")",
    "INSERT INTO \"Tasks\" (\"title\", \"createdAt\", \"updatedAt\") VALUES ('ship', " TS
    ", " TS ")",
    "INSERT INTO \"EmployeeTasks\" (\"EmployeeId\", \"TaskId\", \"createdAt\", \"updatedAt\") "
    "VALUES (1, 1, " TS ", " TS ")",
};

static rel_schema *schema;
static rel_db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rel_error err;
    rel_status st = rel_schema_load_text(MODELS, sizeof MODELS - 1, "fuzz.rel", &schema, NULL, &err);
    if (st == REL_OK)
        st = rel_open(&db, schema, "sqlite::memory:", &err);
    if (st == REL_OK)
        st = rel_sync(db, NULL, &err);
    for (size_t i = 0; st == REL_OK && i < sizeof ROWS / sizeof ROWS[0]; i++)
        st = rel_exec(db, ROWS[i], NULL, 0, &err);
    if (st != REL_OK) {
        fprintf(stderr, "fuzz_where: setting up failed: %s\n", err.message);
        abort(); /* the harness itself is broken */
    }
    return 0;
}

/* Splits data into NUL-terminated fields (missing ones are NULL). */
static size_t split(char *buf, size_t size, char **fields, size_t max)
{
    size_t n = 0;
    char *p = buf, *end = buf + size;
    while (n < max && p <= end) {
        fields[n++] = p;
        char *z = memchr(p, '\0', (size_t)(end - p));
        if (!z)
            break;
        p = z + 1;
    }
    return n;
}

/* Where, order and include filter as PostgreSQL SQL, no database. */
static void compile_only(const rel_model *m, const char *where, const char *order,
                         const rel_include *incl)
{
    rel_error err;
    rel_sql q;
    rel_sql_init(&q, &rel_dialect_postgres);
    rel_arena *arena = rel_arena_new(0);
    if (!arena)
        goto out;
    rel_sql_raw(&q, "SELECT 1 FROM x");
    if (rel_where_append(&q, m, rel_model_name(m), where, " WHERE ", NULL, &err) != REL_OK &&
        err.code == REL_OK)
        abort();
    rel_order ord;
    if (rel_order_parse(order, arena, &ord, &err) == REL_OK)
        rel_order_append(&q, m, rel_model_name(m), &ord, true, NULL, &err);
    rel_colset cols;
    if (incl && rel_colset_all(arena, m, &cols, &err) == REL_OK &&
        rel_include_prepare(arena, m, incl, &cols, &err) == REL_OK)
        rel_include_filter(&q, m, rel_model_name(m), incl, " AND ", NULL, &err);
    (void)rel_sql_text(&q);
out:
    rel_arena_free(arena);
    rel_sql_free(&q);
}

static bool discard(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *f[6] = {0};
    split(buf, size, f, 6);

    rel_error err;
    const rel_model *m = f[0] && *f[0] ? rel_schema_model(schema, f[0]) : NULL;
    if (!m)
        m = rel_schema_model(schema, "Organization");
    rel_arena *arena = rel_arena_new(0);
    if (!arena)
        goto out;
    const rel_include *incl = NULL;
    const char *const *attrs = NULL;
    if (rel_json_include_parse(f[3], m, arena, &incl, &err) != REL_OK)
        incl = NULL;
    if (rel_json_attributes_parse(f[4], m, arena, &attrs, &err) != REL_OK)
        attrs = NULL;

    compile_only(m, f[1], f[2], incl);

    rel_find_opts opts = {.where = f[1], .order = f[2], .attributes = attrs, .include = incl,
                          .limit = 5};
    rel_result *res = NULL;
    if (rel_find_all(db, m, &opts, &res, &err) == REL_OK) {
        free(rel_result_json(res));
        rel_result_write_json(res, discard, NULL, &err);
    }
    rel_result_free(res);
    int64_t n = 0;
    rel_count(db, m, &opts, &n, &err);

    if (f[5] && rel_begin(db, &err) == REL_OK) {
        rel_result *made = NULL;
        if (rel_create_json(db, m, f[5], &made, &err) == REL_OK)
            free(rel_result_json(made));
        rel_result_free(made);
        if (rel_rollback(db, &err) != REL_OK)
            abort(); /* every begin must be closable */
    }
    if (!rel_db_ok(db))
        abort();
out:
    rel_arena_free(arena);
    free(buf);
    return 0;
}
