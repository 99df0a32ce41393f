/* Atomicity under faults, on whichever engine REL_TEST_ENGINE names.
 *
 * PostgreSQL: relate's server connection is killed (pg_terminate_backend, from another
 * connection) in the middle of a multi-row operation - setTasks, a nested create, a bulk
 * create, a forced sync. A trigger (an event trigger for sync) makes the server sleep on
 * one row part-way through, so the kill always lands after some rows were written.
 * relate must return REL_CONNECTION, report the connection broken (rel_db_ok), refuse
 * further work on it without hanging, leave no partial rows (checked on a fresh
 * connection), and a new connection must work.
 *
 * SQLite: the same operations against a database another connection has locked (a held
 * write lock: they wait for the busy timeout, then fail; a held read lock: they write
 * everything, then COMMIT is refused) and against a read-only file. Each fails with
 * REL_BUSY / REL_READONLY, changes nothing, and the connection stays usable. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, nanosleep */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "relate.h"
#include "testdb.h"

typedef struct fixture {
    rel_schema *schema;
    rel_model *org, *emp, *task;
    const char *url;     /* the database */
    char relate_url[600]; /* the same, as relate opens it (PostgreSQL: with an application_name) */
    char app[64];
} fixture;

#define OK(call)                                                                       \
    do {                                                                               \
        rel_error e_;                                                                  \
        memset(&e_, 0, sizeof e_);                                                     \
        rel_status s_ = (call);                                                        \
        if (s_ != REL_OK)                                                              \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), e_.message);          \
    } while (0)
#define E (&e_)

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int setup(void **state)
{
    static unsigned n;
    fixture *f = calloc(1, sizeof *f);
    rel_error err;
    f->schema = rel_schema_new();
    f->org = rel_define(f->schema, "Organization",
                        (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true}, {0}},
                        NULL);
    f->emp = rel_define(f->schema, "Employee",
                        (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    f->task = rel_define(f->schema, "Task", (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}},
                         NULL);
    rel_has_many(f->org, f->emp, NULL);
    rel_belongs_to(f->emp, f->org, NULL);
    rel_belongs_to_many(f->emp, f->task, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_belongs_to_many(f->task, f->emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    if (rel_schema_freeze(f->schema, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    f->url = test_db_url();
    snprintf(f->app, sizeof f->app, "relate_fault_%ld_%u", (long)getpid(), ++n);
    if (test_is_postgres())
        snprintf(f->relate_url, sizeof f->relate_url, "%s%capplication_name=%s", f->url,
                 strchr(f->url, '?') ? '&' : '?', f->app);
    else
        snprintf(f->relate_url, sizeof f->relate_url, "%s", f->url);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_schema_free(f->schema);
    free(f);
    return 0;
}

static rel_db *open_synced(fixture *f)
{
    rel_db *db = NULL;
    OK(rel_open(&db, f->schema, f->relate_url, E));
    OK(rel_sync(db, NULL, E));
    return db;
}

static long count(const fixture *f, const char *table)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    char *v = test_sql_scalar(f->url, sql);
    if (!v)
        fail_msg("cannot count %s", table);
    long n = strtol(v, NULL, 10);
    free(v);
    return n;
}

static rel_record *saved(rel_db *db, rel_model *m, const char *attr, const char *v)
{
    rel_record *r = rel_new(m);
    OK(rel_set_text(r, attr, v, E));
    OK(rel_save(db, r, E));
    return r;
}

/* ======================================================= PostgreSQL: a killed backend */

typedef struct killer {
    const char *url, *app;
    pthread_t tid;
    bool killed;
    char why[300];
} killer;

/* Waits until relate's backend (by its application_name) sleeps in the trap, then
   terminates it. Gives up after 20 s. */
static void *kill_when_trapped(void *arg)
{
    killer *k = arg;
    PGconn *c = PQconnectdb(k->url);
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(k->why, sizeof k->why, "killer cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    const char *params[1] = {k->app};
    for (int i = 0; i < 2000 && !k->killed; i++) {
        PGresult *r = PQexecParams(c,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = $1 AND wait_event = 'PgSleep'", 1, NULL, params, NULL,
            NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
            strcmp(PQgetvalue(r, 0, 0), "t") == 0)
            k->killed = true;
        else if (PQresultStatus(r) != PGRES_TUPLES_OK)
            snprintf(k->why, sizeof k->why, "%s", PQresultErrorMessage(r));
        PQclear(r);
        if (!k->killed)
            sleep_ms(10);
    }
    PQfinish(c);
    return NULL;
}

static void killer_start(killer *k, const fixture *f)
{
    memset(k, 0, sizeof *k);
    k->url = f->url;
    k->app = f->app;
    assert_int_equal(pthread_create(&k->tid, NULL, kill_when_trapped, k), 0);
}

static void killer_join(killer *k)
{
    pthread_join(k->tid, NULL);
    if (!k->killed)
        fail_msg("relate's backend never reached the trap: %s", k->why);
}

/* A row trigger that sleeps when column TG_ARGV[0] of the new row equals TG_ARGV[1]. */
static void install_trap(const fixture *f, const char *table, const char *column,
                         const char *value)
{
    char sql[1200];
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE FUNCTION rel_fault_trap() RETURNS trigger LANGUAGE plpgsql AS $$\n"
             "BEGIN\n"
             "  IF to_jsonb(NEW) ->> TG_ARGV[0] = TG_ARGV[1] THEN PERFORM pg_sleep(60); END IF;\n"
             "  RETURN NEW;\n"
             "END $$;\n"
             "CREATE TRIGGER rel_fault_trap BEFORE INSERT ON \"%s\" FOR EACH ROW "
             "EXECUTE FUNCTION rel_fault_trap('%s', '%s');",
             table, column, value);
    assert_int_equal(test_sql_exec(f->url, sql), 0);
}

/* After the kill: the error, the broken connection, no hang, and a new one works. */
static void check_killed(const fixture *f, rel_db *db, rel_status st, const rel_error *err)
{
    if (st != REL_CONNECTION)
        fail_msg("expected REL_CONNECTION, got %s: %s", rel_status_name(st), err->message);
    assert_false(rel_db_ok(db));
    rel_error e2;
    assert_int_equal(rel_exec(db, "SELECT 1", NULL, 0, &e2), REL_CONNECTION);
    assert_int_equal(rel_begin(db, &e2), REL_CONNECTION);
    rel_result *res = NULL;
    assert_int_equal(rel_find_all(db, f->emp, NULL, &res, &e2), REL_CONNECTION);
    assert_null(res);
    rel_close(db);

    rel_db *again = NULL;
    OK(rel_open(&again, f->schema, f->relate_url, E));
    OK(rel_find_all(again, f->org, NULL, &res, E));
    rel_result_free(res);
    assert_true(rel_db_ok(again));
    rel_close(again);
}

static void pg_killed_during_set(void **state)
{
    fixture *f = *state;
    if (!test_is_postgres())
        skip();
    rel_db *db = open_synced(f);
    rel_record *e = saved(db, f->emp, "name", "ann");
    rel_record *t[5];
    for (int i = 0; i < 5; i++)
        t[i] = saved(db, f->task, "title", "task");
    OK(rel_assoc_set(db, e, "Tasks", t, 2, NULL, E)); /* linked: t0, t1 */
    char trap[32];
    snprintf(trap, sizeof trap, "%lld", (long long)rel_get_int(t[3], "id"));
    install_trap(f, "EmployeeTasks", "TaskId", trap);

    killer k;
    killer_start(&k, f);
    rel_error err;
    rel_status st = rel_assoc_set(db, e, "Tasks", t + 2, 3, NULL, &err); /* t2, t3 (trap), t4 */
    killer_join(&k);
    check_killed(f, db, st, &err);
    /* Still exactly t0 and t1: the DELETE of both and the first INSERTs were undone. */
    assert_int_equal(count(f, "EmployeeTasks"), 2);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT string_agg(\"TaskId\"::text, ',' ORDER BY \"TaskId\") "
                              "FROM \"EmployeeTasks\"");
    char *v = test_sql_scalar(f->url, sql);
    char want[64];
    snprintf(want, sizeof want, "%lld,%lld", (long long)rel_get_int(t[0], "id"),
             (long long)rel_get_int(t[1], "id"));
    assert_string_equal(v, want);
    free(v);
    for (int i = 0; i < 5; i++)
        rel_record_free(t[i]);
    rel_record_free(e);
}

static void pg_killed_during_nested_create(void **state)
{
    fixture *f = *state;
    if (!test_is_postgres())
        skip();
    rel_db *db = open_synced(f);
    install_trap(f, "Employees", "name", "sleep-here");
    killer k;
    killer_start(&k, f);
    rel_error err;
    rel_result *res = NULL;
    rel_status st = rel_create_json(db, f->org,
        "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"a\",\"Tasks\":[{\"title\":\"x\"}]},"
        "{\"name\":\"sleep-here\"},{\"name\":\"c\"}]}", &res, &err);
    killer_join(&k);
    assert_null(res);
    check_killed(f, db, st, &err);
    assert_int_equal(count(f, "Organizations"), 0);
    assert_int_equal(count(f, "Employees"), 0);
    assert_int_equal(count(f, "Tasks"), 0);
    assert_int_equal(count(f, "EmployeeTasks"), 0);
}

static void pg_killed_during_bulk_create(void **state)
{
    fixture *f = *state;
    if (!test_is_postgres())
        skip();
    rel_db *db = open_synced(f);
    rel_record *keep = saved(db, f->emp, "name", "already there");
    install_trap(f, "Employees", "name", "sleep-here");
    rel_record *rows[6];
    for (int i = 0; i < 6; i++) {
        rows[i] = rel_new(f->emp);
        OK(rel_set_text(rows[i], "name", i == 3 ? "sleep-here" : "bulk", E));
    }
    killer k;
    killer_start(&k, f);
    rel_error err;
    rel_status st = rel_bulk_create(db, rows, 6, &err);
    killer_join(&k);
    check_killed(f, db, st, &err);
    assert_int_equal(count(f, "Employees"), 1);
    for (int i = 0; i < 6; i++)
        rel_record_free(rows[i]);
    rel_record_free(keep);
}

static void pg_killed_during_sync(void **state)
{
    fixture *f = *state;
    if (!test_is_postgres())
        skip();
    rel_db *db = open_synced(f);
    rel_record *o = saved(db, f->org, "name", "kept");
    rel_record_free(o);
    /* An event trigger sleeps once the junction (the last table) is created again:
       by then every table was dropped and the others created anew. */
    assert_int_equal(test_sql_exec(f->url,
        "CREATE FUNCTION rel_fault_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands()\n"
        "             WHERE command_tag = 'CREATE TABLE'\n"
        "               AND object_identity = 'public.\"EmployeeTasks\"') THEN\n"
        "    PERFORM pg_sleep(60);\n"
        "  END IF;\n"
        "END $$;\n"
        "CREATE EVENT TRIGGER rel_fault_ddl ON ddl_command_end EXECUTE FUNCTION rel_fault_ddl();"),
        0);
    killer k;
    killer_start(&k, f);
    rel_error err;
    rel_status st = rel_sync(db, &(rel_sync_opts){.force = true}, &err);
    killer_join(&k);
    check_killed(f, db, st, &err);
    assert_int_equal(test_sql_exec(f->url, "DROP EVENT TRIGGER rel_fault_ddl"), 0);
    /* The old tables, and their rows, are all still there. */
    assert_int_equal(count(f, "Organizations"), 1);
    char *n = test_sql_scalar(f->url, "SELECT count(*) FROM information_schema.tables "
                                      "WHERE table_schema = 'public'");
    assert_string_equal(n, "4");
    free(n);
}

/* ========================================================= SQLite: locked, read-only */

static const char *sqlite_path(const char *url)
{
    const char *p = url + strlen("sqlite:");
    return strncmp(p, "//", 2) == 0 ? p + 2 : p;
}

/* Every multi-row write the issue names, each expected to fail with want and change
   nothing; returns the number that did not. Uses rows made by fill(). */
typedef struct rows {
    rel_record *emp, *t[4];
} rows;

static void fill(fixture *f, rel_db *db, rows *r)
{
    r->emp = saved(db, f->emp, "name", "ann");
    for (int i = 0; i < 4; i++)
        r->t[i] = saved(db, f->task, "title", "task");
    OK(rel_assoc_set(db, r->emp, "Tasks", r->t, 2, NULL, E));
}

static void free_rows(rows *r)
{
    rel_record_free(r->emp);
    for (int i = 0; i < 4; i++)
        rel_record_free(r->t[i]);
}

/* The four operations; each must return want (checked by the caller's counts). */
static int try_writes(fixture *f, rel_db *db, rows *r, rel_status want, char *why, size_t cap)
{
    rel_error err;
    rel_status st;
    rel_record *bulk[3];
    for (int i = 0; i < 3; i++) {
        bulk[i] = rel_new(f->emp);
        rel_set_text(bulk[i], "name", "bulk", &err);
    }
    int bad = 0;
#define EXPECT(what, call)                                                              \
    do {                                                                                \
        st = (call);                                                                    \
        if (st != want) {                                                               \
            snprintf(why, cap, "%s gave %s (%s), not %s", what, rel_status_name(st),    \
                     st ? err.message : "", rel_status_name(want));                     \
            bad++;                                                                      \
        } else if (!rel_db_ok(db)) {                                                    \
            snprintf(why, cap, "%s broke the connection", what);                        \
            bad++;                                                                      \
        }                                                                               \
    } while (0)
    EXPECT("setTasks", rel_assoc_set(db, r->emp, "Tasks", r->t + 1, 3, NULL, &err));
    rel_result *res = NULL;
    EXPECT("nested create",
           rel_create_json(db, f->org, "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"a\"},"
                                       "{\"name\":\"b\",\"Tasks\":[{\"title\":\"x\"}]}]}",
                           &res, &err));
    rel_result_free(res);
    EXPECT("bulk create", rel_bulk_create(db, bulk, 3, &err));
    EXPECT("sync with force", rel_sync(db, &(rel_sync_opts){.force = true}, &err));
    EXPECT("save", rel_save(db, bulk[0], &err));
#undef EXPECT
    for (int i = 0; i < 3; i++)
        rel_record_free(bulk[i]);
    return bad;
}

/* What fill() left: 1 employee, 4 tasks, 2 links, no organization. */
static void check_unchanged(const fixture *f)
{
    assert_int_equal(count(f, "Employees"), 1);
    assert_int_equal(count(f, "Tasks"), 4);
    assert_int_equal(count(f, "EmployeeTasks"), 2);
    assert_int_equal(count(f, "Organizations"), 0);
}

static void sqlite_write_locked(void **state)
{
    fixture *f = *state;
    if (test_is_postgres())
        skip();
    rel_db *db = open_synced(f);
    rows r;
    fill(f, db, &r);
    OK(rel_exec(db, "PRAGMA busy_timeout = 100", NULL, 0, E));

    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(sqlite_path(f->url), &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    char why[1200] = "";
    int bad = try_writes(f, db, &r, REL_BUSY, why, sizeof why);
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    if (bad)
        fail_msg("%d operation(s) did not fail cleanly: %s", bad, why);
    check_unchanged(f);
    /* Once the lock is gone the same connection works. */
    rel_record *t[1] = {r.t[3]};
    OK(rel_assoc_add(db, r.emp, "Tasks", t, 1, NULL, E));
    assert_int_equal(count(f, "EmployeeTasks"), 3);
    sqlite3_close(other);
    free_rows(&r);
    rel_close(db);
}

static void sqlite_commit_refused(void **state)
{
    fixture *f = *state;
    if (test_is_postgres())
        skip();
    rel_db *db = open_synced(f);
    rows r;
    fill(f, db, &r);
    OK(rel_exec(db, "PRAGMA busy_timeout = 100", NULL, 0, E));

    /* A reader in the middle of a transaction: relate may write, but not commit
       (the rollback journal needs every reader gone). */
    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(sqlite_path(f->url), &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN; SELECT count(*) FROM \"Employees\"", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    char why[1200] = "";
    rel_error err;
    rel_record *bulk[40];
    for (int i = 0; i < 40; i++) {
        bulk[i] = rel_new(f->emp);
        rel_set_text(bulk[i], "name", "bulk", &err);
    }
    rel_status st = rel_bulk_create(db, bulk, 40, &err);
    if (st != REL_BUSY)
        snprintf(why, sizeof why, "bulk create gave %s: %s", rel_status_name(st), err.message);
    rel_status st2 = rel_assoc_set(db, r.emp, "Tasks", r.t + 1, 3, NULL, &err);
    if (st2 != REL_BUSY && !why[0])
        snprintf(why, sizeof why, "setTasks gave %s: %s", rel_status_name(st2), err.message);
    assert_true(rel_db_ok(db));
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    if (why[0])
        fail_msg("%s", why);
    check_unchanged(f);
    /* Rows keep no ids from the refused insert. */
    for (int i = 0; i < 40; i++) {
        assert_true(rel_is_null(bulk[i], "id"));
        rel_record_free(bulk[i]);
    }
    OK(rel_exec(db, "SELECT 1", NULL, 0, E));
    sqlite3_close(other);
    free_rows(&r);
    rel_close(db);
}

static void sqlite_read_only(void **state)
{
    fixture *f = *state;
    if (test_is_postgres())
        skip();
    /* A folder and file only their owner may write; as root (who may write anyway)
       the writes run in a child process that has become 'nobody'. */
    char dir[] = "/tmp/relate-ro-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], url[300];
    snprintf(path, sizeof path, "%s/ro.db", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    snprintf(f->relate_url, sizeof f->relate_url, "%s", url);
    f->url = url;
    rel_db *db = open_synced(f);
    rows r;
    fill(f, db, &r);
    free_rows(&r);
    rel_close(db);
    assert_int_equal(chmod(path, 0444), 0);
    assert_int_equal(chmod(dir, 0555), 0);

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        rel_db *ro = NULL;
        rel_error err;
        if (rel_open(&ro, f->schema, url, &err) != REL_OK) {
            fprintf(stderr, "open: %s\n", err.message);
            _exit(11);
        }
        rows rr = {0};
        rel_result *res = NULL;
        if (rel_find_all(ro, f->emp, NULL, &res, &err) != REL_OK || rel_result_count(res) != 1)
            _exit(12);
        rr.emp = rel_new(f->emp); /* a copy of the stored row (id 1), for setTasks */
        rel_set_int(rr.emp, "id", rel_get_int(rel_result_row(res, 0), "id"), &err);
        rel_result_free(res);
        for (int i = 0; i < 4; i++) {
            rr.t[i] = rel_new(f->task);
            rel_set_int(rr.t[i], "id", i + 1, &err);
        }
        char why[1200] = "";
        int bad = try_writes(f, ro, &rr, REL_READONLY, why, sizeof why);
        if (bad)
            fprintf(stderr, "%d operation(s) did not fail cleanly: %s\n", bad, why);
        free_rows(&rr);
        rel_close(ro);
        _exit(bad ? 13 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    chmod(dir, 0755);
    chmod(path, 0644);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    check_unchanged(f);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pg_killed_during_set, setup, teardown),
        cmocka_unit_test_setup_teardown(pg_killed_during_nested_create, setup, teardown),
        cmocka_unit_test_setup_teardown(pg_killed_during_bulk_create, setup, teardown),
        cmocka_unit_test_setup_teardown(pg_killed_during_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(sqlite_write_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(sqlite_commit_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(sqlite_read_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
