/* Untimed setup for the benchmarks: creates a database with relate's tables
 * (rel_sync, so they are exactly relate's) and fills it with the raw driver
 * (one transaction of prepared inserts on SQLite, COPY on PostgreSQL).
 *
 *   datagen --workload main --engine E --url URL [sizes]   organizations,
 *       employees, tasks and their links, for W1, W3 and W4; plus an index on
 *       Employees.OrganizationId (both sides count and load through it)
 *   datagen --workload w2 ...     organizations only, for W2's inserts
 *   datagen --workload drop ...   drop the database (PostgreSQL) / remove the file
 *
 * On PostgreSQL the URL's database is created when missing (through the
 * server's "postgres" database). */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bench.h"
#include "common/dates.h"
#include "common/model.h"

/* ------------------------------------------------------------ databases */

/* url with its database name replaced by name (malloc'd); *db_out gets the
 * old name (malloc'd). */
static char *pg_url_with_db(const char *url, const char *name, char **db_out)
{
    const char *p = strstr(url, "://");
    if (!p)
        bench_die("not a postgres:// URL: %s", url);
    const char *slash = strchr(p + 3, '/');
    const char *q = slash ? slash + 1 + strcspn(slash + 1, "?") : url + strlen(url);
    size_t head = slash ? (size_t)(slash - url) : strlen(url);
    if (db_out) {
        size_t n = slash ? (size_t)(q - slash - 1) : 0;
        *db_out = strndup(slash ? slash + 1 : "", n);
    }
    size_t len = head + 1 + strlen(name) + strlen(q) + 1;
    char *out = malloc(len);
    if (!out)
        bench_die("out of memory");
    snprintf(out, len, "%.*s/%s%s", (int)head, url, name, q);
    return out;
}

static void pg_admin(const char *url, const char *verb)
{
    char *db = NULL;
    char *admin = pg_url_with_db(url, "postgres", &db);
    if (!*db || strcmp(db, "postgres") == 0)
        bench_die("give the benchmark its own database in the URL, not '%s'", db);
    PGconn *c = PQconnectdb(admin);
    if (PQstatus(c) != CONNECTION_OK)
        bench_die("connect %s: %s", admin, PQerrorMessage(c));
    char *ident = PQescapeIdentifier(c, db, strlen(db));
    char sql[512];
    if (strcmp(verb, "create") == 0) {
        const char *params[1] = {db};
        PGresult *r = PQexecParams(c, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL,
                                   params, NULL, NULL, 0);
        bool exists = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
        PQclear(r);
        if (exists)
            goto done;
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", ident);
    } else {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", ident);
    }
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        bench_die("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
done:
    PQfreemem(ident);
    PQfinish(c);
    free(admin);
    free(db);
}

static void sqlite_remove(const char *url)
{
    const char *path = bench_sqlite_path(url);
    char other[4096];
    unlink(path);
    snprintf(other, sizeof other, "%s-journal", path);
    unlink(other);
    snprintf(other, sizeof other, "%s-wal", path);
    unlink(other);
    snprintf(other, sizeof other, "%s-shm", path);
    unlink(other);
}

/* The tables, made by relate itself. */
static void create_tables(const bench_opts *o)
{
    bench_models m;
    bench_models_define(&m);
    rel_db *db = NULL;
    rel_error err;
    if (rel_open(&db, m.schema, o->url, &err) != REL_OK)
        bench_die("rel_open %s: %s", o->url, err.message);
    if (rel_sync(db, &(rel_sync_opts){.force = true}, &err) != REL_OK)
        bench_die("rel_sync: %s", err.message);
    rel_close(db);
    rel_schema_free(m.schema);
}

/* ------------------------------------------------------------ filling */

/* A table's rows, produced one at a time as text columns. */
typedef struct rows {
    const char *table;
    const char *cols;  /* "a", "b", ... quoted, for the INSERT / COPY */
    int ncols;
    long n;
    /* Writes row i's columns into v[] (as text; dates in the engine's form). */
    void (*row)(const bench_sizes *s, bench_engine e, long i, char v[][64]);
} rows;

static void date_text(bench_engine e, int64_t ms, char *out)
{
    if (e == BENCH_SQLITE)
        bench_date_sqlite(ms, out);
    else
        bench_date_pg(ms, out);
}

static void org_row(const bench_sizes *s, bench_engine e, long i, char v[][64])
{
    (void)s;
    long id = i + 1;
    snprintf(v[0], 64, "%ld", id);
    snprintf(v[1], 64, "Organization %ld", id);
    date_text(e, bench_row_time(id, 0), v[2]);
    date_text(e, bench_row_time(id, 0), v[3]);
}

static void emp_row(const bench_sizes *s, bench_engine e, long i, char v[][64])
{
    long id = i + 1;
    snprintf(v[0], 64, "%ld", id);
    snprintf(v[1], 64, "Employee %ld", id);
    date_text(e, bench_row_time(id, 1), v[2]);
    date_text(e, bench_row_time(id, 1), v[3]);
    snprintf(v[4], 64, "%ld", bench_emp_org(s, id));
}

static void task_row(const bench_sizes *s, bench_engine e, long i, char v[][64])
{
    (void)s;
    long id = i + 1;
    snprintf(v[0], 64, "%ld", id);
    snprintf(v[1], 64, "Task %ld", id);
    date_text(e, bench_row_time(id, 2), v[2]);
    date_text(e, bench_row_time(id, 2), v[3]);
}

static void link_row(const bench_sizes *s, bench_engine e, long i, char v[][64])
{
    long emp = i / s->links + 1, k = i % s->links;
    date_text(e, bench_row_time(emp * 16 + k, 3), v[0]);
    date_text(e, bench_row_time(emp * 16 + k, 3), v[1]);
    snprintf(v[2], 64, "%ld", emp);
    snprintf(v[3], 64, "%ld", bench_link_task(s, emp, k));
}

static void fill_sqlite(const bench_opts *o, const rows *t, size_t nt)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(bench_sqlite_path(o->url), &db) != SQLITE_OK)
        bench_die("sqlite3_open: %s", sqlite3_errmsg(db));
    sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);
    for (size_t k = 0; k < nt; k++) {
        char sql[512], v[8][64];
        snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (%s) VALUES (?%s)", t[k].table, t[k].cols,
                 t[k].ncols == 4 ? ", ?, ?, ?" : ", ?, ?, ?, ?");
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            bench_die("%s: %s", sql, sqlite3_errmsg(db));
        for (long i = 0; i < t[k].n; i++) {
            t[k].row(&o->sz, o->engine, i, v);
            /* Digits bound as text land as integers: the key columns have
             * INTEGER affinity. */
            for (int c = 0; c < t[k].ncols; c++)
                sqlite3_bind_text(st, c + 1, v[c], -1, SQLITE_TRANSIENT);
            if (sqlite3_step(st) != SQLITE_DONE)
                bench_die("%s: %s", sql, sqlite3_errmsg(db));
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        bench_die("COMMIT: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

static void pg_ok(PGconn *c, PGresult *r, const char *what)
{
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_COPY_IN)
        bench_die("%s: %s", what, PQerrorMessage(c));
    PQclear(r);
}

static void fill_pg(const bench_opts *o, const rows *t, size_t nt)
{
    PGconn *c = PQconnectdb(o->url);
    if (PQstatus(c) != CONNECTION_OK)
        bench_die("connect: %s", PQerrorMessage(c));
    pg_ok(c, PQexec(c, "SET TIME ZONE 'UTC'"), "SET");
    for (size_t k = 0; k < nt; k++) {
        char sql[512], v[8][64], line[8 * 64 + 16];
        snprintf(sql, sizeof sql, "COPY \"%s\" (%s) FROM STDIN", t[k].table, t[k].cols);
        pg_ok(c, PQexec(c, sql), sql);
        for (long i = 0; i < t[k].n; i++) {
            t[k].row(&o->sz, o->engine, i, v);
            size_t len = 0;
            for (int col = 0; col < t[k].ncols; col++)
                len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", col ? "\t" : "",
                                        v[col]);
            line[len++] = '\n';
            if (PQputCopyData(c, line, (int)len) != 1)
                bench_die("COPY: %s", PQerrorMessage(c));
        }
        if (PQputCopyEnd(c, NULL) != 1)
            bench_die("COPY end: %s", PQerrorMessage(c));
        pg_ok(c, PQgetResult(c), "COPY");
        PGresult *r;
        while ((r = PQgetResult(c)))
            PQclear(r);
    }
    PQfinish(c);
}

int main(int argc, char **argv)
{
    bench_opts o;
    if (!bench_parse(argc, argv, &o, "datagen"))
        return 2;
    const bool pg = o.engine == BENCH_POSTGRES;
    if (strcmp(o.workload, "drop") == 0) {
        if (pg)
            pg_admin(o.url, "drop");
        else
            sqlite_remove(o.url);
        return 0;
    }
    const bool main_db = strcmp(o.workload, "main") == 0;
    if (!main_db && strcmp(o.workload, "w2") != 0)
        bench_die("datagen makes 'main', 'w2' or 'drop', not '%s'", o.workload);
    if (pg)
        pg_admin(o.url, "create");
    else
        sqlite_remove(o.url);
    create_tables(&o);

    rows t[4] = {
        {"Organizations", "\"id\", \"name\", \"createdAt\", \"updatedAt\"", 4,
         main_db ? o.sz.orgs : o.sz.w2_orgs, org_row},
        {"Employees", "\"id\", \"name\", \"createdAt\", \"updatedAt\", \"OrganizationId\"", 5,
         bench_employees(&o.sz), emp_row},
        {"Tasks", "\"id\", \"title\", \"createdAt\", \"updatedAt\"", 4, o.sz.tasks, task_row},
        {"EmployeeTasks", "\"createdAt\", \"updatedAt\", \"EmployeeId\", \"TaskId\"", 4,
         bench_employees(&o.sz) * o.sz.links, link_row},
    };
    size_t nt = main_db ? 4 : 1;
    if (pg)
        fill_pg(&o, t, nt);
    else
        fill_sqlite(&o, t, nt);

    if (main_db)
        bench_raw_exec(o.engine, o.url,
                       "CREATE INDEX \"employees_organization_id\" ON \"Employees\" "
                       "(\"OrganizationId\")");
    if (pg) {
        bench_raw_exec(o.engine, o.url,
                       "SELECT setval(pg_get_serial_sequence('\"Organizations\"', 'id'), "
                       "(SELECT coalesce(max(id), 0) + 1 FROM \"Organizations\"), false);"
                       "SELECT setval(pg_get_serial_sequence('\"Employees\"', 'id'), "
                       "(SELECT coalesce(max(id), 0) + 1 FROM \"Employees\"), false);"
                       "SELECT setval(pg_get_serial_sequence('\"Tasks\"', 'id'), "
                       "(SELECT coalesce(max(id), 0) + 1 FROM \"Tasks\"), false);");
        bench_raw_exec(o.engine, o.url, "VACUUM ANALYZE");
    } else {
        bench_raw_exec(o.engine, o.url, "ANALYZE");
    }
    return 0;
}
