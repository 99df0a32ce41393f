/* Checks on what a database holds, read with the raw driver (testdb.h), never through
   relate: a query's single value, and the schema as the engine's catalog reports it
   (pragma table_info / foreign_key_list / index_list on SQLite, information_schema on
   PostgreSQL), on the engine test_engine() names.

   Each check fails the running cmocka test (fail_msg) with the query, what it got and
   what was wanted; want NULL means "no row, or SQL NULL". */
#ifndef REL_TEST_CATALOG_H
#define REL_TEST_CATALOG_H

/* The query's single value equals want. */
void test_expect_value(const char *url, const char *sql, const char *want);

/* "TYPE[ NOT NULL]" of a column as the engine reports it; NULL: no such column. */
void test_expect_column(const char *url, const char *table, const char *column,
                        const char *want);

/* Every foreign key on table.column as "Table.column DELETE_RULE UPDATE_RULE", joined
   by "; " (so a duplicate shows), or NULL when there is none. */
void test_expect_fk(const char *url, const char *table, const char *column, const char *want);

/* The primary key's columns, in key order, joined by ", ". */
void test_expect_pk(const char *url, const char *table, const char *want);

/* The UNIQUE constraints, each as its columns joined by ", ", sorted, "; " between. */
void test_expect_unique(const char *url, const char *table, const char *want);

/* The user's tables, sorted byte-wise, joined by ", ". */
void test_expect_tables(const char *url, const char *want);

#endif
