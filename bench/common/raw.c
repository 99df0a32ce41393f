/* Raw-driver helpers for untimed setup: see bench.h. */
#include "bench.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bench_sqlite_path(const char *url)
{
    if (strncmp(url, "sqlite:", 7) != 0)
        bench_die("not a sqlite: URL: %s", url);
    return url + 7;
}

void bench_raw_exec(bench_engine e, const char *url, const char *sql)
{
    if (e == BENCH_SQLITE) {
        sqlite3 *db = NULL;
        if (sqlite3_open(bench_sqlite_path(url), &db) != SQLITE_OK)
            bench_die("sqlite3_open %s: %s", url, db ? sqlite3_errmsg(db) : "out of memory");
        char *msg = NULL;
        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
            bench_die("%s: %s", sql, msg ? msg : "?");
        sqlite3_close(db);
        return;
    }
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        bench_die("connect %s: %s", url, PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
        bench_die("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

long long bench_raw_scalar(const bench_opts *o, const char *sql)
{
    long long v = 0;
    if (o->engine == BENCH_SQLITE) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        if (sqlite3_open(bench_sqlite_path(o->url), &db) != SQLITE_OK ||
            sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            bench_die("%s: %s", sql, db ? sqlite3_errmsg(db) : "out of memory");
        if (sqlite3_step(st) != SQLITE_ROW)
            bench_die("%s: %s", sql, sqlite3_errmsg(db));
        v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
    }
    PGconn *c = PQconnectdb(o->url);
    if (PQstatus(c) != CONNECTION_OK)
        bench_die("connect %s: %s", o->url, PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
        bench_die("%s: %s", sql, PQerrorMessage(c));
    v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PQfinish(c);
    return v;
}

void bench_w3_reset(const bench_opts *o)
{
    char sql[512];
    long stride = o->sz.tasks / (o->sz.links + 1);
    /* bench_link_task(emp, links), written in SQL. */
    snprintf(sql, sizeof sql,
             "DELETE FROM \"EmployeeTasks\" WHERE \"TaskId\" = "
             "((\"EmployeeId\" - 1) * 7 + %ld) %% %ld + 1",
             o->sz.links * stride, o->sz.tasks);
    bench_raw_exec(o->engine, o->url, sql);
    if (o->engine == BENCH_POSTGRES)
        bench_raw_exec(o->engine, o->url, "VACUUM ANALYZE \"EmployeeTasks\"");
}
