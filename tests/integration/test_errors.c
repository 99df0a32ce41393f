/* Error mapping (src/sql/sqlite.c, src/sql/postgres.c, src/db/exec.c) on whichever
 * engine REL_TEST_ENGINE names: each kind of violation gets its own rel_status and
 * the engine's own code, and the message names the problem and the statement. */
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
#include "testdb.h"

typedef struct fixture {
    rel_schema *schema;
    rel_db *db;
    const char *url;
} fixture;

static void exec_ok(rel_db *db, const char *sql)
{
    rel_error err;
    if (rel_exec(db, sql, NULL, 0, &err) != REL_OK)
        fail_msg("%s: %s", sql, err.message);
}

static rel_status open_db(fixture *f, rel_db **db)
{
    rel_error err;
    rel_status st = rel_open(db, f->schema, f->url, &err);
    if (st != REL_OK)
        fprintf(stderr, "rel_open: %s\n", err.message);
    return st;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rel_error err;
    f->schema = rel_schema_new();
    if (rel_schema_freeze(f->schema, &err) != REL_OK)
        return -1;
    f->url = test_db_url();
    if (open_db(f, &f->db) != REL_OK)
        return -1;
    exec_ok(f->db, "CREATE TABLE parents (id INTEGER PRIMARY KEY, email VARCHAR(255) UNIQUE, "
                   "name VARCHAR(255) NOT NULL, age INTEGER CHECK (age >= 0))");
    exec_ok(f->db, "CREATE TABLE children (id INTEGER PRIMARY KEY, "
                   "parent_id INTEGER NOT NULL REFERENCES parents (id))");
    exec_ok(f->db, "INSERT INTO parents (id, email, name, age) VALUES (1, 'ann@example.com', "
                   "'Ann', 30)");
    exec_ok(f->db, "INSERT INTO children (id, parent_id) VALUES (1, 1)");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_close(f->db);
    rel_schema_free(f->schema);
    free(f);
    return 0;
}

static rel_status add_parent(rel_db *db, int64_t id, rel_value email, rel_value name, int64_t age,
                             rel_error *err)
{
    rel_value p[] = {rel_int(id), email, name, rel_int(age)};
    return rel_exec(db, "INSERT INTO parents (id, email, name, age) VALUES ($1, $2, $3, $4)", p, 4,
                    err);
}

static void check(const rel_error *err, rel_status code, const char *pg_code,
                  const char *sqlite_code, const char *mentions)
{
    assert_int_equal(err->code, code);
    assert_string_equal(err->engine_code, test_is_postgres() ? pg_code : sqlite_code);
    if (mentions && !strstr(err->message, mentions))
        fail_msg("'%s' does not mention '%s'", err->message, mentions);
    if (!strstr(err->message, "[SQL: "))
        fail_msg("'%s' does not show the statement", err->message);
}

static void unique_violation(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(add_parent(f->db, 2, rel_text("ann@example.com"), rel_text("Bo"), 1, &err),
                     REL_UNIQUE);
    check(&err, REL_UNIQUE, "23505", "2067", "email");
    assert_non_null(strstr(err.message, "INSERT INTO parents"));
    assert_string_equal(rel_status_name(err.code), "REL_UNIQUE");

    /* A duplicate primary key is a unique violation too. */
    assert_int_equal(add_parent(f->db, 1, rel_text("bo@example.com"), rel_text("Bo"), 1, &err),
                     REL_UNIQUE);
    check(&err, REL_UNIQUE, "23505", "1555", NULL);
    assert_true(rel_db_ok(f->db));
}

static void not_null_violation(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(add_parent(f->db, 2, rel_text("bo@example.com"), rel_null(), 1, &err),
                     REL_NOT_NULL);
    check(&err, REL_NOT_NULL, "23502", "1299", "name");
    assert_string_equal(rel_status_name(err.code), "REL_NOT_NULL");
}

static void foreign_key_violation(void **state)
{
    fixture *f = *state;
    rel_error err;
    rel_value p[] = {rel_int(2), rel_int(999)};
    assert_int_equal(rel_exec(f->db, "INSERT INTO children (id, parent_id) VALUES ($1, $2)", p, 2,
                              &err), REL_FOREIGN_KEY);
    check(&err, REL_FOREIGN_KEY, "23503", "787",
          test_is_postgres() ? "foreign key" : "FOREIGN KEY");
    assert_string_equal(rel_status_name(err.code), "REL_FOREIGN_KEY");

    /* Deleting a parent that still has children. */
    assert_int_equal(rel_exec(f->db, "DELETE FROM parents WHERE id = 1", NULL, 0, &err),
                     REL_FOREIGN_KEY);
    check(&err, REL_FOREIGN_KEY, "23503", "787", NULL);

    /* Nothing was changed by the failures. */
    char *n = test_sql_scalar(f->url, "SELECT COUNT(*) FROM children");
    assert_string_equal(n, "1");
    free(n);
    n = test_sql_scalar(f->url, "SELECT COUNT(*) FROM parents");
    assert_string_equal(n, "1");
    free(n);
}

static void other_constraint(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(add_parent(f->db, 2, rel_text("bo@example.com"), rel_text("Bo"), -1, &err),
                     REL_CONSTRAINT);
    check(&err, REL_CONSTRAINT, "23514", "275", NULL);
}

static void plain_database_error(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_exec(f->db, "SELEKT 1", NULL, 0, &err), REL_DATABASE);
    check(&err, REL_DATABASE, "42601", "1", "SELEKT");
    assert_int_equal(rel_exec(f->db, "SELECT nope FROM parents", NULL, 0, &err), REL_DATABASE);
    check(&err, REL_DATABASE, "42703", "1", "nope");
    assert_true(rel_db_ok(f->db));
}

static void busy(void **state)
{
    fixture *f = *state;
    rel_db *other;
    rel_error err;
    assert_int_equal(open_db(f, &other), REL_OK);
    /* Wait a tenth of a second for the lock, not the default five. */
    exec_ok(other, test_is_postgres() ? "SET lock_timeout = '100ms'" : "PRAGMA busy_timeout = 100");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    exec_ok(f->db, "UPDATE parents SET age = 31 WHERE id = 1");
    assert_int_equal(rel_exec(other, "UPDATE parents SET age = 32 WHERE id = 1", NULL, 0, &err),
                     REL_BUSY);
    check(&err, REL_BUSY, "55P03", "5", NULL);
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
    exec_ok(other, "UPDATE parents SET age = 32 WHERE id = 1");
    rel_close(other);
}

static void readonly(void **state)
{
    fixture *f = *state;
    rel_error err;
    exec_ok(f->db, test_is_postgres() ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
                                      : "PRAGMA query_only = ON");
    assert_int_equal(add_parent(f->db, 2, rel_text("bo@example.com"), rel_text("Bo"), 1, &err),
                     REL_READONLY);
    check(&err, REL_READONLY, "25006", "8", NULL);
    assert_true(rel_db_ok(f->db));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(unique_violation, setup, teardown),
        cmocka_unit_test_setup_teardown(not_null_violation, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_key_violation, setup, teardown),
        cmocka_unit_test_setup_teardown(other_constraint, setup, teardown),
        cmocka_unit_test_setup_teardown(plain_database_error, setup, teardown),
        cmocka_unit_test_setup_teardown(busy, setup, teardown),
        cmocka_unit_test_setup_teardown(readonly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
