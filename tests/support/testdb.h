/* Test databases for relate's tests: a fresh, empty database per call on the engine the
   test run asks for, and raw-driver access (sqlite3 / libpq, never relate) so a test can
   check what relate really wrote.

   The engine comes from REL_TEST_ENGINE ("sqlite", the default, or "postgres"); ctest
   sets it per test, so each integration test runs once per engine. PostgreSQL needs
   REL_TEST_PG_URL (scripts/test.sh starts a private server and exports it).

   These are test helpers, not library code: on a setup failure they print why and exit
   the test process with status 1, so a missing database can never pass as a skip. */
#ifndef REL_TESTDB_H
#define REL_TESTDB_H

#include <stdbool.h>

/* "sqlite" or "postgres". Any other REL_TEST_ENGINE value fails the test. */
const char *test_engine(void);

/* Whether test_engine() is "postgres". */
bool test_is_postgres(void);

/* A URL for relate to a new, empty database on test_engine():
   sqlite   -> "sqlite:/tmp/relate-test-XXXXXX/test1.db" (the folder is removed at exit);
   postgres -> REL_TEST_PG_URL with its database replaced by relate_t_<pid>_<n>, created
               now and dropped at exit (WITH (FORCE)).
   Every call gives another database. The string is owned by this module (valid until
   exit). */
const char *test_db_url(void);

/* Runs one or more SQL statements on the database at url with the raw driver.
   Returns 0 on success; otherwise prints the driver's message and returns -1. */
int test_sql_exec(const char *url, const char *sql);

/* Runs a query on the database at url and returns the first column of the first row as
   text, malloc'd (the caller frees it). NULL when there is no row, the value is SQL NULL,
   or the query failed (then the driver's message is printed). */
char *test_sql_scalar(const char *url, const char *sql);

#endif
