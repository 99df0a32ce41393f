/* testdb_selftest: the test harness itself, on whichever engine REL_TEST_ENGINE names.
   Proves each database test_db_url() hands out is real, empty and separate, and that
   the raw-SQL helpers read back what they wrote. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

/* Number of tables the user can see (none in a fresh database), as text. */
static char *count_tables(const char *url)
{
    return test_sql_scalar(url, test_is_postgres()
        ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        : "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
}

static void engine_follows_environment(void **state)
{
    (void)state;
    const char *env = getenv("REL_TEST_ENGINE");
    assert_string_equal(test_engine(), env && *env ? env : "sqlite");
}

static void url_names_the_engine(void **state)
{
    (void)state;
    const char *url = test_db_url();
    if (test_is_postgres()) {
        assert_true(strncmp(url, "postgres", 8) == 0);
        assert_non_null(strstr(url, "relate_t_"));
    } else {
        assert_true(strncmp(url, "sqlite:/", 8) == 0);
    }
}

static void database_is_the_real_engine(void **state)
{
    (void)state;
    const char *url = test_db_url();
    if (test_is_postgres()) {
        char *version = test_sql_scalar(url, "SELECT version()");
        assert_non_null(version);
        assert_true(strncmp(version, "PostgreSQL ", 11) == 0);
        free(version);
        /* The URL really points at the database made for this test. */
        char *db = test_sql_scalar(url, "SELECT current_database()");
        assert_non_null(db);
        assert_non_null(strstr(url, db));
        assert_true(strncmp(db, "relate_t_", 9) == 0);
        free(db);
    } else {
        char *version = test_sql_scalar(url, "SELECT sqlite_version()");
        assert_non_null(version);
        assert_true(strncmp(version, "3.", 2) == 0);
        free(version);
    }
}

static void database_starts_empty(void **state)
{
    (void)state;
    char *n = count_tables(test_db_url());
    assert_non_null(n);
    assert_string_equal(n, "0");
    free(n);
}

static void raw_sql_round_trips(void **state)
{
    (void)state;
    const char *url = test_db_url();
    assert_int_equal(test_sql_exec(url,
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"
        "INSERT INTO people (id, name) VALUES (1, 'Ann'), (2, 'Bo');"), 0);
    char *name = test_sql_scalar(url, "SELECT name FROM people WHERE id = 2");
    assert_non_null(name);
    assert_string_equal(name, "Bo");
    free(name);
    char *count = test_sql_scalar(url, "SELECT count(*) FROM people");
    assert_non_null(count);
    assert_string_equal(count, "2");
    free(count);
    char *n = count_tables(url);
    assert_non_null(n);
    assert_string_equal(n, "1");
    free(n);
}

static void scalar_gives_null_for_no_row_and_sql_null(void **state)
{
    (void)state;
    const char *url = test_db_url();
    assert_int_equal(test_sql_exec(url, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES (NULL)"), 0);
    assert_null(test_sql_scalar(url, "SELECT v FROM t WHERE v = 'missing'"));
    assert_null(test_sql_scalar(url, "SELECT v FROM t"));
}

static void errors_are_reported_not_fatal(void **state)
{
    (void)state;
    const char *url = test_db_url();
    assert_int_not_equal(test_sql_exec(url, "SELECT * FROM no_such_table"), 0);
    assert_null(test_sql_scalar(url, "SELECT * FROM no_such_table"));
}

static void each_call_gives_a_separate_database(void **state)
{
    (void)state;
    const char *a = test_db_url();
    const char *b = test_db_url();
    assert_string_not_equal(a, b);
    assert_int_equal(test_sql_exec(a, "CREATE TABLE only_in_a (x INTEGER)"), 0);
    char *n = count_tables(b);
    assert_non_null(n);
    assert_string_equal(n, "0");
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_follows_environment),
        cmocka_unit_test(url_names_the_engine),
        cmocka_unit_test(database_is_the_real_engine),
        cmocka_unit_test(database_starts_empty),
        cmocka_unit_test(raw_sql_round_trips),
        cmocka_unit_test(scalar_gives_null_for_no_row_and_sql_null),
        cmocka_unit_test(errors_are_reported_not_fatal),
        cmocka_unit_test(each_call_gives_a_separate_database),
    };
    return cmocka_run_group_tests_name("testdb_selftest", tests, NULL, NULL);
}
