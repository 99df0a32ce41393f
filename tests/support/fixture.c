/* Integration test setup through relate (see fixture.h). */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testdb.h"

rel_db *test_open_synced(rel_schema *s, const char *url)
{
    rel_error err;
    rel_db *db = NULL;
    if (rel_schema_freeze(s, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    if (rel_open(&db, s, url, &err) != REL_OK)
        fail_msg("open: %s", err.message);
    if (rel_sync(db, NULL, &err) != REL_OK)
        fail_msg("sync: %s", err.message);
    return db;
}

rel_record *test_saved_row(rel_db *db, rel_model *m, const char *attr, const char *text)
{
    rel_error err = {0};
    rel_record *r = rel_new(m);
    assert_non_null(r);
    rel_status st = rel_set_text(r, attr, text, &err);
    if (st != REL_OK)
        fail_msg("rel_set_text(%s) -> %s: %s", attr, rel_status_name(st), err.message);
    st = rel_save(db, r, &err);
    if (st != REL_OK)
        fail_msg("rel_save -> %s: %s", rel_status_name(st), err.message);
    return r;
}

void test_bulk_rows(rel_db *db, rel_model *m, const char *attr, const char *text, size_t n,
                    rel_record **rows, rel_value *keys)
{
    rel_error err = {0};
    for (size_t i = 0; i < n; i++) {
        rows[i] = rel_new(m);
        assert_non_null(rows[i]);
        rel_status st = rel_set_text(rows[i], attr, text, &err);
        if (st != REL_OK)
            fail_msg("rel_set_text(%s) -> %s: %s", attr, rel_status_name(st), err.message);
    }
    rel_status st = rel_bulk_create(db, rows, n, &err);
    if (st != REL_OK)
        fail_msg("rel_bulk_create -> %s: %s", rel_status_name(st), err.message);
    for (size_t i = 0; keys && i < n; i++)
        keys[i] = rel_int(rel_get_int(rows[i], "id"));
}

static void exec_ok(rel_db *db, const char *sql)
{
    rel_error err = {0};
    rel_status st = rel_exec(db, sql, NULL, 0, &err);
    if (st != REL_OK)
        fail_msg("%s -> %s: %s", sql, rel_status_name(st), err.message);
}

void test_install_boom_trigger(rel_db *db, const char *event, const char *table,
                               const char *when)
{
    char sql[1024];
    if (test_is_postgres()) {
        snprintf(sql, sizeof sql, "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF %s THEN"
                 " RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql", when);
        exec_ok(db, sql);
        snprintf(sql, sizeof sql, "CREATE TRIGGER boom BEFORE %s ON \"%s\" FOR EACH ROW"
                 " EXECUTE FUNCTION boom()", event, table);
    } else {
        snprintf(sql, sizeof sql, "CREATE TRIGGER boom BEFORE %s ON \"%s\" WHEN %s"
                 " BEGIN SELECT RAISE(ABORT, 'boom'); END", event, table, when);
    }
    exec_ok(db, sql);
}

void test_free_records(rel_record **rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rel_record_free(rows[i]);
}

long long test_sql_int(const char *url, const char *sql)
{
    char *s = test_sql_scalar(url, sql);
    if (!s)
        return -1;
    long long v = strtoll(s, NULL, 10);
    free(s);
    return v;
}
