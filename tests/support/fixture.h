/* Setting up what integration tests work on, through relate: a frozen schema's fresh
   database with its tables, rows saved with one text attribute, and numbers read back
   with the raw driver (testdb.h). A setup step that fails fails the running cmocka
   test (fail_msg) saying which step and why. */
#ifndef REL_TEST_FIXTURE_H
#define REL_TEST_FIXTURE_H

#include <stddef.h>

#include "relate.h"

/* Freezes s, opens url (a fresh database: test_db_url()) with it and creates its
   tables; the caller closes the connection. */
rel_db *test_open_synced(rel_schema *s, const char *url);

/* A new row of m with attr set to text, saved through db; the caller frees it. */
rel_record *test_saved_row(rel_db *db, rel_model *m, const char *attr, const char *text);

/* A trigger named boom, through db, that refuses (RAISE 'boom') an event ("INSERT" or
   "UPDATE") on table when the SQL condition `when` on NEW holds: a failure in the
   middle of a method, to check that the method leaves no trace. */
void test_install_boom_trigger(rel_db *db, const char *event, const char *table,
                               const char *when);

/* n new rows of m with attr set to text, saved through db with one rel_bulk_create into
   rows[0..n); keys[0..n) (keys may be NULL) receives their ids. The caller frees the
   rows. */
void test_bulk_rows(rel_db *db, rel_model *m, const char *attr, const char *text, size_t n,
                    rel_record **rows, rel_value *keys);

/* Frees rows[0..n). */
void test_free_records(rel_record **rows, size_t n);

/* The query's single value as an integer (raw driver); -1 when there is no row or it
   is SQL NULL. */
long long test_sql_int(const char *url, const char *sql);

#endif
