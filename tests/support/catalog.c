/* Raw-driver checks of a database's values and schema (see catalog.h). */
#include "catalog.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

void test_expect_value(const char *url, const char *sql, const char *want)
{
    char *got = test_sql_scalar(url, sql);
    bool same = (!got && !want) || (got && want && strcmp(got, want) == 0);
    if (!same)
        fail_msg("%s\n  got:  %s\n  want: %s", sql, got ? got : "(null)", want ? want : "(null)");
    free(got);
}

void test_expect_column(const char *url, const char *table, const char *column,
                        const char *want)
{
    char sql[1024];
    if (test_is_postgres())
        snprintf(sql, sizeof sql,
                 "SELECT upper(data_type) || COALESCE('(' || character_maximum_length || ')', '')"
                 " || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END"
                 " FROM information_schema.columns WHERE table_schema = 'public'"
                 " AND table_name = '%s' AND column_name = '%s'", table, column);
    else
        snprintf(sql, sizeof sql,
                 "SELECT type || CASE WHEN \"notnull\" THEN ' NOT NULL' ELSE '' END"
                 " FROM pragma_table_info('%s') WHERE name = '%s'", table, column);
    test_expect_value(url, sql, want);
}

void test_expect_fk(const char *url, const char *table, const char *column, const char *want)
{
    char sql[2048];
    if (test_is_postgres())
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
    test_expect_value(url, sql, want);
}

void test_expect_pk(const char *url, const char *table, const char *want)
{
    char sql[1024];
    if (test_is_postgres())
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
    test_expect_value(url, sql, want);
}

void test_expect_unique(const char *url, const char *table, const char *want)
{
    char sql[1024];
    if (test_is_postgres())
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
    test_expect_value(url, sql, want);
}

void test_expect_tables(const char *url, const char *want)
{
    test_expect_value(url, test_is_postgres()
        ? "SELECT string_agg(table_name, ', ' ORDER BY table_name COLLATE \"C\")"
          " FROM information_schema.tables WHERE table_schema = 'public'"
          " AND table_type = 'BASE TABLE'"
        : "SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_master"
          " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)", want);
}
