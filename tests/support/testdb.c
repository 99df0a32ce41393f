/* Fresh test databases per engine, and raw-driver access to them (see testdb.h). */
#define _POSIX_C_SOURCE 200809L

#include "testdb.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One database handed out by test_db_url(). */
typedef struct testdb {
    char *url;
    char *pg_name; /* NULL for SQLite */
} testdb;

static testdb *dbs;
static size_t n_dbs;
static char *sqlite_dir; /* mkdtemp folder holding this process's SQLite files */
static pid_t owner_pid;  /* only the process that made the databases removes them */
static unsigned counter;

static _Noreturn void fail(const char *fmt, ...)
{
    va_list ap;
    fputs("testdb: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static char *xstrdup(const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        fail("out of memory");
    return copy;
}

static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        fail("bad format");
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        fail("out of memory");
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return buf;
}

static bool is_sqlite_url(const char *url)
{
    return strncmp(url, "sqlite:", 7) == 0;
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Connects or returns NULL after printing why. */
static PGconn *pg_connect(const char *url)
{
    PGconn *conn = PQconnectdb(url);
    if (!conn) {
        fprintf(stderr, "testdb: out of memory connecting to PostgreSQL\n");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "testdb: cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    /* Notices such as "table does not exist, skipping" are noise in test output. */
    PQsetNoticeProcessor(conn, quiet_notice, NULL);
    return conn;
}

static bool pg_ok(const PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static void remove_sqlite_dir(void)
{
    DIR *dir = opendir(sqlite_dir);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *path = xprintf("%s/%s", sqlite_dir, e->d_name);
            unlink(path);
            free(path);
        }
        closedir(dir);
    }
    if (rmdir(sqlite_dir) != 0)
        fprintf(stderr, "testdb: could not remove %s: %s\n", sqlite_dir, strerror(errno));
}

static void drop_pg_databases(void)
{
    bool any = false;
    for (size_t i = 0; i < n_dbs; i++)
        any = any || dbs[i].pg_name;
    if (!any)
        return;
    const char *admin = getenv("REL_TEST_PG_URL");
    PGconn *conn = admin ? pg_connect(admin) : NULL;
    if (!conn) {
        fprintf(stderr, "testdb: test databases were not dropped\n");
        return;
    }
    for (size_t i = 0; i < n_dbs; i++) {
        if (!dbs[i].pg_name)
            continue;
        char *sql = xprintf("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", dbs[i].pg_name);
        PGresult *res = PQexec(conn, sql);
        if (!pg_ok(res))
            fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(conn));
        PQclear(res);
        free(sql);
    }
    PQfinish(conn);
}

static void cleanup(void)
{
    if (getpid() != owner_pid)
        return;
    drop_pg_databases();
    if (sqlite_dir) {
        remove_sqlite_dir();
        free(sqlite_dir);
        sqlite_dir = NULL;
    }
    for (size_t i = 0; i < n_dbs; i++) {
        free(dbs[i].url);
        free(dbs[i].pg_name);
    }
    free(dbs);
    dbs = NULL;
    n_dbs = 0;
}

static const char *remember(char *url, char *pg_name)
{
    if (!owner_pid) {
        owner_pid = getpid();
        if (atexit(cleanup) != 0)
            fail("atexit failed");
    }
    testdb *grown = realloc(dbs, (n_dbs + 1) * sizeof *dbs);
    if (!grown)
        fail("out of memory");
    dbs = grown;
    dbs[n_dbs].url = url;
    dbs[n_dbs].pg_name = pg_name;
    n_dbs++;
    return url;
}

const char *test_engine(void)
{
    const char *engine = getenv("REL_TEST_ENGINE");
    if (!engine || !*engine || strcmp(engine, "sqlite") == 0)
        return "sqlite";
    if (strcmp(engine, "postgres") == 0)
        return "postgres";
    fail("REL_TEST_ENGINE is '%s': expected 'sqlite' or 'postgres'", engine);
}

bool test_is_postgres(void)
{
    return strcmp(test_engine(), "postgres") == 0;
}

static const char *new_sqlite_url(void)
{
    if (!sqlite_dir) {
        const char *tmp = getenv("TMPDIR");
        char *dir = xprintf("%s/relate-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            fail("mkdtemp %s: %s", dir, strerror(errno));
        sqlite_dir = dir;
    }
    return remember(xprintf("sqlite:%s/test%u.db", sqlite_dir, ++counter), NULL);
}

/* admin with its database replaced by name: URLs (postgres[ql]://auth/db?query) get the
   path swapped; keyword strings ("host=... dbname=...") get a dbname appended, which
   libpq lets override any earlier one. */
static char *pg_url_with_db(const char *admin, const char *name)
{
    const char *scheme_end = strstr(admin, "://");
    if (!scheme_end || (strncmp(admin, "postgres://", 11) != 0 &&
                        strncmp(admin, "postgresql://", 13) != 0))
        return xprintf("%s dbname=%s", admin, name);
    const char *auth = scheme_end + 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *path = auth + auth_len;
    const char *query = strchr(path, '?');
    if (!query)
        query = "";
    return xprintf("%.*s/%s%s", (int)(path - admin), admin, name, query);
}

static const char *new_pg_url(void)
{
    const char *admin = getenv("REL_TEST_PG_URL");
    if (!admin || !*admin)
        fail("REL_TEST_ENGINE=postgres but REL_TEST_PG_URL is not set. Run the tests with "
             "scripts/test.sh, or start a server (bash scripts/pg.sh start) and export "
             "REL_TEST_PG_URL=\"$(bash scripts/pg.sh url)\"");
    char *name = xprintf("relate_t_%ld_%u", (long)getpid(), ++counter);
    PGconn *conn = pg_connect(admin);
    if (!conn)
        fail("REL_TEST_PG_URL=%s is not reachable", admin);
    char *sql = xprintf("CREATE DATABASE \"%s\"", name);
    PGresult *res = PQexec(conn, sql);
    if (!pg_ok(res))
        fail("%s: %s", sql, PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
    free(sql);
    return remember(pg_url_with_db(admin, name), name);
}

const char *test_db_url(void)
{
    if (strcmp(test_engine(), "postgres") == 0)
        return new_pg_url();
    return new_sqlite_url();
}

static sqlite3 *sqlite_open(const char *url)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(url + 7, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "testdb: cannot open %s: %s\n", url,
                db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    /* relate's own connection may hold a lock for a moment; wait rather than fail. */
    sqlite3_busy_timeout(db, 5000);
    return db;
}

int test_sql_exec(const char *url, const char *sql)
{
    int ret = -1;
    if (is_sqlite_url(url)) {
        sqlite3 *db = sqlite_open(url);
        if (!db)
            return -1;
        char *msg = NULL;
        if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
            ret = 0;
        else
            fprintf(stderr, "testdb: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_close(db);
        return ret;
    }
    PGconn *conn = pg_connect(url);
    if (!conn)
        return -1;
    PGresult *res = PQexec(conn, sql);
    if (pg_ok(res))
        ret = 0;
    else
        fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(conn));
    PQclear(res);
    PQfinish(conn);
    return ret;
}

static char *sqlite_scalar(const char *url, const char *sql)
{
    char *value = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc;
    sqlite3 *db = sqlite_open(url);
    if (!db)
        return NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        goto error;
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        if (text)
            value = xstrdup((const char *)text);
    } else if (rc != SQLITE_DONE) {
        goto error;
    }
    goto done;
error:
    fprintf(stderr, "testdb: %s: %s\n", sql, sqlite3_errmsg(db));
done:
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

char *test_sql_scalar(const char *url, const char *sql)
{
    char *value = NULL;
    if (is_sqlite_url(url))
        return sqlite_scalar(url, sql);
    PGconn *conn = pg_connect(url);
    if (!conn)
        return NULL;
    PGresult *res = PQexec(conn, sql);
    if (!pg_ok(res))
        fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(conn));
    else if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0))
        value = xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(conn);
    return value;
}
