/* Transactions (src/db/tx.c) on whichever engine REL_TEST_ENGINE names: commit,
 * rollback, nested savepoints, failed statements inside a transaction, commits the
 * engine refuses, and the atomic helpers the multi-row methods use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "relate.h"
#include "testdb.h"

typedef struct fixture {
    rel_schema *schema;
    rel_db *db;
    const char *url;
    size_t nlog;
    char log[64][128];
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)params;
    (void)n;
    fixture *f = user;
    if (f->nlog < 64)
        snprintf(f->log[f->nlog++], sizeof f->log[0], "%s", sql);
}

static void exec_ok(rel_db *db, const char *sql)
{
    rel_error err;
    if (rel_exec(db, sql, NULL, 0, &err) != REL_OK)
        fail_msg("%s: %s", sql, err.message);
}

static rel_status insert(rel_db *db, int64_t id, const char *name, rel_error *err)
{
    rel_value p[] = {rel_int(id), rel_text(name)};
    return rel_exec(db, "INSERT INTO tx_t (id, name) VALUES ($1, $2)", p, 2, err);
}

static void insert_ok(rel_db *db, int64_t id, const char *name)
{
    rel_error err;
    if (insert(db, id, name, &err) != REL_OK)
        fail_msg("insert %s: %s", name, err.message);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rel_error err;
    f->schema = rel_schema_new();
    if (rel_schema_freeze(f->schema, &err) != REL_OK)
        return -1;
    f->url = test_db_url();
    if (rel_open(&f->db, f->schema, f->url, &err) != REL_OK) {
        fprintf(stderr, "rel_open: %s\n", err.message);
        return -1;
    }
    exec_ok(f->db, "CREATE TABLE tx_t (id INTEGER PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE)");
    rel_set_logger(f->db, logger, f);
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

/* The names in tx_t, in id order, as another connection sees them. */
static char *names_outside(fixture *f)
{
    char *v = test_sql_scalar(f->url, strcmp(test_engine(), "postgres") == 0
        ? "SELECT coalesce(string_agg(name, ',' ORDER BY id), '') FROM tx_t"
        : "SELECT coalesce(group_concat(name, ','), '') FROM (SELECT name FROM tx_t ORDER BY id)");
    assert_non_null(v);
    return v;
}

static void assert_names(fixture *f, const char *want)
{
    char *got = names_outside(f);
    assert_string_equal(got, want);
    free(got);
}

static int log_index(fixture *f, const char *sql)
{
    for (size_t i = 0; i < f->nlog; i++)
        if (strcmp(f->log[i], sql) == 0)
            return (int)i;
    return -1;
}

static void commit_persists(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    assert_int_equal(f->db->tx_depth, 1);
    insert_ok(f->db, 1, "a");
    insert_ok(f->db, 2, "b");
    assert_names(f, ""); /* not visible outside before the commit */
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_int_equal(f->db->tx_depth, 0);
    assert_names(f, "a,b");
    assert_string_equal(f->log[0], "BEGIN");
    assert_string_equal(f->log[3], "COMMIT");
}

static void rollback_discards(void **state)
{
    fixture *f = *state;
    rel_error err;
    insert_ok(f->db, 1, "kept");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 2, "gone");
    exec_ok(f->db, "UPDATE tx_t SET name = 'changed' WHERE id = 1");
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
    assert_int_equal(f->db->tx_depth, 0);
    assert_names(f, "kept");
    assert_string_equal(f->log[f->nlog - 1], "ROLLBACK");
}

static void nested_savepoints(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 1, "a");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 2, "b");
    assert_int_equal(rel_rollback(f->db, &err), REL_OK); /* only b */
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 3, "c");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 4, "d");
    assert_int_equal(f->db->tx_depth, 3);
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_names(f, "");
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_names(f, "a,c,d");

    const char *want[] = {"BEGIN", "SAVEPOINT rel_sp_1", "ROLLBACK TO SAVEPOINT rel_sp_1",
                          "RELEASE SAVEPOINT rel_sp_1", "SAVEPOINT rel_sp_1",
                          "SAVEPOINT rel_sp_2", "RELEASE SAVEPOINT rel_sp_2",
                          "RELEASE SAVEPOINT rel_sp_1", "COMMIT"};
    size_t k = 0;
    for (size_t i = 0; i < f->nlog && k < 9; i++)
        if (strncmp(f->log[i], "INSERT", 6) != 0)
            assert_string_equal(f->log[i], want[k++]);
    assert_int_equal(k, 9);

    /* An outer rollback undoes committed inner levels too. */
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 5, "e");
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
    assert_names(f, "a,c,d");
}

static void failed_statement_leaves_nothing(void **state)
{
    fixture *f = *state;
    rel_error err;
    insert_ok(f->db, 1, "before");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 2, "x");
    exec_ok(f->db, "UPDATE tx_t SET name = 'touched' WHERE id = 1");
    assert_int_equal(insert(f->db, 3, "x", &err), REL_UNIQUE);
    /* Nothing more runs in the failed transaction, on either engine. */
    assert_int_equal(insert(f->db, 4, "y", &err), REL_DATABASE);
    assert_non_null(strstr(err.message, "rel_rollback"));
    assert_int_equal(rel_begin(f->db, &err), REL_DATABASE);
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
    assert_int_equal(f->db->tx_depth, 0);
    assert_names(f, "before");
    /* The connection carries on. */
    insert_ok(f->db, 5, "after");
    assert_names(f, "before,after");
    assert_true(rel_db_ok(f->db));
}

static void failure_inside_savepoint_is_contained(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 1, "a");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 2, "inner");
    assert_int_equal(insert(f->db, 3, "a", &err), REL_UNIQUE);
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
    insert_ok(f->db, 4, "b"); /* the outer level is fine again */
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_names(f, "a,b");
}

static void commit_after_failure_rolls_back(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 1, "a");
    assert_int_equal(insert(f->db, 2, "a", &err), REL_UNIQUE);
    assert_int_equal(rel_commit(f->db, &err), REL_DATABASE);
    assert_non_null(strstr(err.message, "rolled back"));
    assert_int_equal(f->db->tx_depth, 0);
    assert_names(f, "");
    insert_ok(f->db, 3, "c");
    assert_names(f, "c");

    /* The same inside a savepoint: only that level goes. */
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 4, "d");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 5, "e");
    assert_int_equal(insert(f->db, 6, "d", &err), REL_UNIQUE);
    assert_int_equal(rel_commit(f->db, &err), REL_DATABASE);
    assert_int_equal(f->db->tx_depth, 1);
    insert_ok(f->db, 7, "g");
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_names(f, "c,d,g");
}

static void refused_commit_closes_the_transaction(void **state)
{
    fixture *f = *state;
    rel_error err;
    exec_ok(f->db, "CREATE TABLE p (id INTEGER PRIMARY KEY)");
    exec_ok(f->db, "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id) "
                   "DEFERRABLE INITIALLY DEFERRED)");
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 1, "a");
    exec_ok(f->db, "INSERT INTO c (id, pid) VALUES (1, 42)"); /* checked at COMMIT */
    assert_int_equal(rel_commit(f->db, &err), REL_FOREIGN_KEY);
    assert_int_equal(f->db->tx_depth, 0);
    assert_names(f, "");
    /* No transaction is left open: a new one begins and commits. */
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 2, "b");
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_names(f, "b");
}

static void atomic_helpers(void **state)
{
    fixture *f = *state;
    rel_error err;
    /* No transaction open: the helper makes one (on SQLite taking the write lock at
       once, so that a busy database is waited for). */
    assert_int_equal(rel_db_atomic_begin(f->db, &err), REL_OK);
    assert_string_equal(f->log[f->nlog - 1],
                        strcmp(rel_db_dialect(f->db), "sqlite") == 0 ? "BEGIN IMMEDIATE" : "BEGIN");
    insert_ok(f->db, 1, "a");
    assert_int_equal(rel_db_atomic_end(f->db, REL_OK, &err), REL_OK);
    assert_names(f, "a");

    assert_int_equal(rel_db_atomic_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 2, "b");
    assert_int_equal(insert(f->db, 3, "a", &err), REL_UNIQUE);
    rel_error saved = err;
    assert_int_equal(rel_db_atomic_end(f->db, REL_UNIQUE, &err), REL_UNIQUE);
    assert_string_equal(err.message, saved.message); /* the caller's error is kept */
    assert_int_equal(f->db->tx_depth, 0);
    assert_names(f, "a");

    /* Inside the caller's transaction: a savepoint, undone alone. */
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 4, "c");
    assert_int_equal(rel_db_atomic_begin(f->db, &err), REL_OK);
    assert_string_equal(f->log[f->nlog - 1], "SAVEPOINT rel_sp_1");
    insert_ok(f->db, 5, "d");
    assert_int_equal(insert(f->db, 6, "c", &err), REL_UNIQUE);
    assert_int_equal(rel_db_atomic_end(f->db, REL_UNIQUE, &err), REL_UNIQUE);
    assert_int_equal(f->db->tx_depth, 1);
    assert_true(log_index(f, "ROLLBACK TO SAVEPOINT rel_sp_1") >= 0);
    assert_int_equal(rel_db_atomic_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 7, "e");
    assert_int_equal(rel_db_atomic_end(f->db, REL_OK, &err), REL_OK);
    assert_int_equal(rel_commit(f->db, &err), REL_OK);
    assert_names(f, "a,c,e");

    /* A failure that is not the database's still rolls back. */
    assert_int_equal(rel_db_atomic_begin(f->db, &err), REL_OK);
    insert_ok(f->db, 8, "f");
    assert_int_equal(rel_db_atomic_end(f->db, REL_INVALID, &err), REL_INVALID);
    assert_names(f, "a,c,e");
}

static void misuse(void **state)
{
    fixture *f = *state;
    rel_error err;
    assert_int_equal(rel_commit(f->db, &err), REL_MISUSE);
    assert_int_equal(rel_rollback(f->db, &err), REL_MISUSE);
    assert_int_equal(rel_begin(NULL, &err), REL_MISUSE);
    assert_int_equal(rel_commit(NULL, &err), REL_MISUSE);
    assert_int_equal(rel_rollback(NULL, NULL), REL_MISUSE);
    assert_int_equal(f->db->tx_depth, 0);
    assert_int_equal(f->nlog, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(commit_persists, setup, teardown),
        cmocka_unit_test_setup_teardown(rollback_discards, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_savepoints, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_statement_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(failure_inside_savepoint_is_contained, setup, teardown),
        cmocka_unit_test_setup_teardown(commit_after_failure_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(refused_commit_closes_the_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(atomic_helpers, setup, teardown),
        cmocka_unit_test_setup_teardown(misuse, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
