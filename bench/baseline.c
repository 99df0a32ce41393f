/* The baseline: each workload written by hand in C on the raw driver
 * (sqlite3 or libpq), building the same result as relate into plain structs.
 * It never calls relate. Run one workload per process:
 *
 *   baseline --workload W1|W2|W3add|W3count|W4 --engine sqlite|postgres --url URL [sizes]
 *
 * Choices (the fastest honest code we could write; see bench/README.md):
 *  - W1 uses relate's plan, one query per level with the parents' keys bound as
 *    one array (json_each / = ANY), but orders each level by (parent key, id),
 *    so children arrive grouped: they stay in one array and each parent points
 *    at its run, with no per-row pointers.
 *  - Prepared statements everywhere, bound parameters, one transaction for W2.
 *  - PostgreSQL results in text format, whole (as relate reads them).
 *  - W2 on SQLite: one prepared single-row INSERT per row and last_insert_rowid;
 *    on PostgreSQL: prepared multi-row INSERT ... RETURNING id, 1,000 rows each.
 *  - W3 add: one INSERT ... ON CONFLICT DO NOTHING (never a duplicate).
 *  - W4: one query, the employee LEFT JOIN its organization. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/bench.h"
#include "common/dates.h"

#define SIDE "baseline"

/* ================================================================ helpers */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        bench_die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        bench_die("out of memory");
    return p;
}

/* Strings of a result live in chunks freed all at once. */
typedef struct strpool {
    char **chunks;
    size_t nchunks;
    char *cur;
    size_t left;
} strpool;

#define POOL_CHUNK ((size_t)1 << 20)

static const char *pool_dup(strpool *p, const char *s, size_t n)
{
    if (n + 1 > p->left) {
        size_t size = n + 1 > POOL_CHUNK ? n + 1 : POOL_CHUNK;
        p->chunks = xrealloc(p->chunks, (p->nchunks + 1) * sizeof *p->chunks);
        p->cur = p->chunks[p->nchunks++] = xmalloc(size);
        p->left = size;
    }
    char *out = p->cur;
    memcpy(out, s, n);
    out[n] = '\0';
    p->cur += n + 1;
    p->left -= n + 1;
    return out;
}

static void pool_free(strpool *p)
{
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    memset(p, 0, sizeof *p);
}

/* int64 id -> index, open addressing. */
typedef struct idmap {
    int64_t *keys;
    size_t *vals;
    size_t mask;
} idmap;

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static void idmap_init(idmap *m, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    m->keys = xmalloc(cap * sizeof *m->keys);
    m->vals = xmalloc(cap * sizeof *m->vals);
    m->mask = cap - 1;
    for (size_t i = 0; i < cap; i++)
        m->vals[i] = SIZE_MAX;
}

static void idmap_put(idmap *m, int64_t k, size_t v)
{
    size_t s = mix((uint64_t)k) & m->mask;
    while (m->vals[s] != SIZE_MAX && m->keys[s] != k)
        s = (s + 1) & m->mask;
    m->keys[s] = k;
    m->vals[s] = v;
}

static size_t idmap_get(const idmap *m, int64_t k)
{
    for (size_t s = mix((uint64_t)k) & m->mask; m->vals[s] != SIZE_MAX; s = (s + 1) & m->mask)
        if (m->keys[s] == k)
            return m->vals[s];
    return SIZE_MAX;
}

static void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
}

/* A growing text buffer (key lists, JSON). */
typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void text_reserve(text *t, size_t more)
{
    if (t->len + more <= t->cap)
        return;
    size_t cap = t->cap ? t->cap * 2 : 4096;
    while (cap < t->len + more)
        cap *= 2;
    t->p = xrealloc(t->p, cap);
    t->cap = cap;
}

static void text_put(text *t, const char *s, size_t n)
{
    text_reserve(t, n);
    memcpy(t->p + t->len, s, n);
    t->len += n;
}

static void text_putc(text *t, char c)
{
    text_reserve(t, 1);
    t->p[t->len++] = c;
}

static void text_int(text *t, int64_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    text_put(t, p, (size_t)(tmp + sizeof tmp - p));
}

static int64_t parse_int(const char *s)
{
    int64_t v = 0;
    bool neg = *s == '-';
    if (neg)
        s++;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

static int64_t parse_date(const char *s, size_t n)
{
    int64_t ms;
    if (bench_date_parse(s, n, &ms) != 0)
        bench_die("not a timestamp: %.*s", (int)n, s);
    return ms;
}

/* ================================================================ W1 */

typedef struct task {
    int64_t id;
    const char *title;
    int64_t created, updated;
    int64_t j_created, j_updated, j_emp, j_task; /* the EmployeeTasks row */
} task;

typedef struct emp {
    int64_t id;
    const char *name;
    int64_t created, updated;
    int64_t org_id;
    bool org_null;
    size_t first_task, ntasks; /* their run in the task array */
} emp;

typedef struct org {
    int64_t id;
    const char *name;
    int64_t created, updated;
    size_t first_emp, nemps;
} org;

typedef struct tree {
    org *orgs;
    size_t norgs;
    emp *emps;
    size_t nemps;
    task *tasks;
    size_t ntasks;
    strpool strings;
} tree;

static void tree_free(tree *t)
{
    free(t->orgs);
    free(t->emps);
    free(t->tasks);
    pool_free(&t->strings);
}

/* Appending rows, doubling (large blocks grow in place through mremap). */
#define PUSH(arr, n, cap)                                                                    \
    do {                                                                                     \
        if ((n) == (cap)) {                                                                  \
            (cap) = (cap) ? (cap) * 2 : 1024;                                                \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                                  \
        }                                                                                    \
    } while (0)

/* Hands each run of children with one parent key to that parent. */
static void attach_emps(tree *t, const idmap *orgs)
{
    for (size_t i = 0; i < t->norgs; i++)
        t->orgs[i].first_emp = t->orgs[i].nemps = 0;
    for (size_t i = 0; i < t->nemps;) {
        size_t j = i + 1;
        while (j < t->nemps && t->emps[j].org_id == t->emps[i].org_id)
            j++;
        size_t o = idmap_get(orgs, t->emps[i].org_id);
        if (o != SIZE_MAX) {
            t->orgs[o].first_emp = i;
            t->orgs[o].nemps = j - i;
        }
        i = j;
    }
}

static void attach_tasks(tree *t, const idmap *emps)
{
    for (size_t i = 0; i < t->nemps; i++)
        t->emps[i].first_task = t->emps[i].ntasks = 0;
    for (size_t i = 0; i < t->ntasks;) {
        size_t j = i + 1;
        while (j < t->ntasks && t->tasks[j].j_emp == t->tasks[i].j_emp)
            j++;
        size_t e = idmap_get(emps, t->tasks[i].j_emp);
        if (e != SIZE_MAX) {
            t->emps[e].first_task = i;
            t->emps[e].ntasks = j - i;
        }
        i = j;
    }
}

static const char W1_ORGS[] = "SELECT \"id\", \"name\", \"createdAt\", \"updatedAt\" "
                              "FROM \"Organizations\" ORDER BY \"id\"";
static const char W1_EMPS_SQ[] =
    "SELECT \"id\", \"name\", \"createdAt\", \"updatedAt\", \"OrganizationId\" "
    "FROM \"Employees\" WHERE \"OrganizationId\" IN (SELECT value FROM json_each(?)) "
    "ORDER BY \"OrganizationId\", \"id\"";
static const char W1_TASKS_SQ[] =
    "SELECT t.\"id\", t.\"title\", t.\"createdAt\", t.\"updatedAt\", j.\"createdAt\", "
    "j.\"updatedAt\", j.\"EmployeeId\", j.\"TaskId\" FROM \"Tasks\" AS t "
    "JOIN \"EmployeeTasks\" AS j ON j.\"TaskId\" = t.\"id\" "
    "WHERE j.\"EmployeeId\" IN (SELECT value FROM json_each(?)) "
    "ORDER BY j.\"EmployeeId\", j.\"TaskId\"";
static const char W1_EMPS_PG[] =
    "SELECT \"id\", \"name\", \"createdAt\", \"updatedAt\", \"OrganizationId\" "
    "FROM \"Employees\" WHERE \"OrganizationId\" = ANY($1::int4[]) "
    "ORDER BY \"OrganizationId\", \"id\"";
static const char W1_TASKS_PG[] =
    "SELECT t.\"id\", t.\"title\", t.\"createdAt\", t.\"updatedAt\", j.\"createdAt\", "
    "j.\"updatedAt\", j.\"EmployeeId\", j.\"TaskId\" FROM \"Tasks\" AS t "
    "JOIN \"EmployeeTasks\" AS j ON j.\"TaskId\" = t.\"id\" "
    "WHERE j.\"EmployeeId\" = ANY($1::int4[]) "
    "ORDER BY j.\"EmployeeId\", j.\"TaskId\"";

/* The parents' keys as one array parameter: "[1,2]" (SQLite json_each) or
 * "{1,2}" (PostgreSQL). */
static void key_list(text *t, bool pg, const int64_t *first, size_t n, size_t stride)
{
    t->len = 0;
    text_putc(t, pg ? '{' : '[');
    const char *p = (const char *)first;
    for (size_t i = 0; i < n; i++, p += stride) {
        if (i)
            text_putc(t, ',');
        text_int(t, *(const int64_t *)(const void *)p);
    }
    text_putc(t, pg ? '}' : ']');
    text_putc(t, '\0');
}

/* ---- SQLite */

static sqlite3 *sq_open(const char *url)
{
    sqlite3 *db = NULL;
    /* One thread per connection: no connection mutex (relate opens it so too). */
    if (sqlite3_open_v2(bench_sqlite_path(url), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        bench_die("sqlite3_open %s: %s", url, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_busy_timeout(db, 5000);
    /* relate enforces foreign keys on every connection; so does the baseline. */
    if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        bench_die("PRAGMA: %s", sqlite3_errmsg(db));
    return db;
}

static sqlite3_stmt *sq_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        bench_die("%s: %s", sql, sqlite3_errmsg(db));
    return st;
}

static void sq_exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        bench_die("%s: %s", sql, sqlite3_errmsg(db));
}

static const char *sq_str(sqlite3_stmt *st, int col, strpool *pool)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    if (!s)
        return NULL;
    return pool_dup(pool, (const char *)s, (size_t)sqlite3_column_bytes(st, col));
}

static int64_t sq_date(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return parse_date((const char *)s, (size_t)sqlite3_column_bytes(st, col));
}

static void sq_step_error(sqlite3 *db, int rc)
{
    if (rc != SQLITE_DONE)
        bench_die("step: %s", sqlite3_errmsg(db));
}

__attribute__((noinline)) static void w1_load_sqlite(sqlite3 *db, tree *t)
{
    size_t cap = 0;
    int rc;
    sqlite3_stmt *st = sq_prepare(db, W1_ORGS);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        PUSH(t->orgs, t->norgs, cap);
        org *o = &t->orgs[t->norgs++];
        o->id = sqlite3_column_int64(st, 0);
        o->name = sq_str(st, 1, &t->strings);
        o->created = sq_date(st, 2);
        o->updated = sq_date(st, 3);
    }
    sq_step_error(db, rc);
    sqlite3_finalize(st);

    text keys = {0};
    idmap orgs;
    idmap_init(&orgs, t->norgs);
    for (size_t i = 0; i < t->norgs; i++)
        idmap_put(&orgs, t->orgs[i].id, i);
    key_list(&keys, false, &t->orgs[0].id, t->norgs, sizeof(org));
    st = sq_prepare(db, W1_EMPS_SQ);
    sqlite3_bind_text(st, 1, keys.p, (int)keys.len - 1, SQLITE_STATIC);
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        PUSH(t->emps, t->nemps, cap);
        emp *e = &t->emps[t->nemps++];
        e->id = sqlite3_column_int64(st, 0);
        e->name = sq_str(st, 1, &t->strings);
        e->created = sq_date(st, 2);
        e->updated = sq_date(st, 3);
        e->org_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
        e->org_id = sqlite3_column_int64(st, 4);
    }
    sq_step_error(db, rc);
    sqlite3_finalize(st);
    attach_emps(t, &orgs);
    idmap_free(&orgs);

    idmap emps;
    idmap_init(&emps, t->nemps);
    for (size_t i = 0; i < t->nemps; i++)
        idmap_put(&emps, t->emps[i].id, i);
    key_list(&keys, false, &t->emps[0].id, t->nemps, sizeof(emp));
    st = sq_prepare(db, W1_TASKS_SQ);
    sqlite3_bind_text(st, 1, keys.p, (int)keys.len - 1, SQLITE_STATIC);
    cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        PUSH(t->tasks, t->ntasks, cap);
        task *k = &t->tasks[t->ntasks++];
        k->id = sqlite3_column_int64(st, 0);
        k->title = sq_str(st, 1, &t->strings);
        k->created = sq_date(st, 2);
        k->updated = sq_date(st, 3);
        k->j_created = sq_date(st, 4);
        k->j_updated = sq_date(st, 5);
        k->j_emp = sqlite3_column_int64(st, 6);
        k->j_task = sqlite3_column_int64(st, 7);
    }
    sq_step_error(db, rc);
    sqlite3_finalize(st);
    attach_tasks(t, &emps);
    idmap_free(&emps);
    free(keys.p);
}

/* ---- PostgreSQL */

static PGconn *pg_open(const char *url)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        bench_die("connect %s: %s", url, PQerrorMessage(c));
    /* The same session settings relate uses: UTC timestamps in ISO form. */
    PGresult *r = PQexec(c, "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, MDY'");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        bench_die("SET: %s", PQerrorMessage(c));
    PQclear(r);
    return c;
}

static void pg_prepare(PGconn *c, const char *name, const char *sql)
{
    PGresult *r = PQprepare(c, name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        bench_die("prepare %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

static PGresult *pg_run(PGconn *c, const char *name, int n, const char *const *vals,
                        ExecStatusType want)
{
    PGresult *r = PQexecPrepared(c, name, n, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != want)
        bench_die("%s: %s", name, PQerrorMessage(c));
    return r;
}

static void pg_cmd(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        bench_die("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

static const char *pg_str(PGresult *r, int row, int col, strpool *pool)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return pool_dup(pool, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

static int64_t pg_date(PGresult *r, int row, int col)
{
    return parse_date(PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

__attribute__((noinline)) static void w1_load_pg(PGconn *c, tree *t)
{
    pg_prepare(c, "orgs", W1_ORGS);
    pg_prepare(c, "emps", W1_EMPS_PG);
    pg_prepare(c, "tasks", W1_TASKS_PG);

    PGresult *r = pg_run(c, "orgs", 0, NULL, PGRES_TUPLES_OK);
    int n = PQntuples(r);
    t->orgs = xmalloc((size_t)n * sizeof *t->orgs);
    t->norgs = (size_t)n;
    for (int i = 0; i < n; i++) {
        org *o = &t->orgs[i];
        o->id = parse_int(PQgetvalue(r, i, 0));
        o->name = pg_str(r, i, 1, &t->strings);
        o->created = pg_date(r, i, 2);
        o->updated = pg_date(r, i, 3);
    }
    PQclear(r);

    text keys = {0};
    idmap orgs;
    idmap_init(&orgs, t->norgs);
    for (size_t i = 0; i < t->norgs; i++)
        idmap_put(&orgs, t->orgs[i].id, i);
    key_list(&keys, true, &t->orgs[0].id, t->norgs, sizeof(org));
    const char *param[1] = {keys.p};
    r = pg_run(c, "emps", 1, param, PGRES_TUPLES_OK);
    n = PQntuples(r);
    t->emps = xmalloc((size_t)n * sizeof *t->emps);
    t->nemps = (size_t)n;
    for (int i = 0; i < n; i++) {
        emp *e = &t->emps[i];
        e->id = parse_int(PQgetvalue(r, i, 0));
        e->name = pg_str(r, i, 1, &t->strings);
        e->created = pg_date(r, i, 2);
        e->updated = pg_date(r, i, 3);
        e->org_null = PQgetisnull(r, i, 4);
        e->org_id = parse_int(PQgetvalue(r, i, 4));
    }
    PQclear(r);
    attach_emps(t, &orgs);
    idmap_free(&orgs);

    idmap emps;
    idmap_init(&emps, t->nemps);
    for (size_t i = 0; i < t->nemps; i++)
        idmap_put(&emps, t->emps[i].id, i);
    key_list(&keys, true, &t->emps[0].id, t->nemps, sizeof(emp));
    param[0] = keys.p;
    r = pg_run(c, "tasks", 1, param, PGRES_TUPLES_OK);
    n = PQntuples(r);
    t->tasks = xmalloc((size_t)n * sizeof *t->tasks);
    t->ntasks = (size_t)n;
    for (int i = 0; i < n; i++) {
        task *k = &t->tasks[i];
        k->id = parse_int(PQgetvalue(r, i, 0));
        k->title = pg_str(r, i, 1, &t->strings);
        k->created = pg_date(r, i, 2);
        k->updated = pg_date(r, i, 3);
        k->j_created = pg_date(r, i, 4);
        k->j_updated = pg_date(r, i, 5);
        k->j_emp = parse_int(PQgetvalue(r, i, 6));
        k->j_task = parse_int(PQgetvalue(r, i, 7));
    }
    PQclear(r);
    attach_tasks(t, &emps);
    idmap_free(&emps);
    free(keys.p);
}

/* ---- JSON, as Sequelize's JSON.stringify(rows.map(r => r.toJSON())) */

typedef struct jout {
    int fd;
    char buf[64 * 1024];
    size_t len;
} jout;

static void j_flush(jout *j)
{
    size_t off = 0;
    while (off < j->len) {
        ssize_t w = write(j->fd, j->buf + off, j->len - off);
        if (w <= 0)
            bench_die("write failed");
        off += (size_t)w;
    }
    j->len = 0;
}

static inline void j_put(jout *j, const char *s, size_t n)
{
    if (j->len + n > sizeof j->buf)
        j_flush(j);
    memcpy(j->buf + j->len, s, n);
    j->len += n;
}

#define J_LIT(j, s) j_put((j), (s), sizeof(s) - 1)

static void j_int(jout *j, int64_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    j_put(j, p, (size_t)(tmp + sizeof tmp - p));
}

static void j_date(jout *j, int64_t ms)
{
    char iso[26];
    iso[0] = '"';
    bench_date_iso(ms, iso + 1);
    iso[25] = '"';
    j_put(j, iso, 26);
}

/* A JSON string: " and \ escaped, control characters as JSON.stringify
 * writes them; UTF-8 from the database passes through. */
static void j_str(jout *j, const char *s)
{
    if (!s) {
        J_LIT(j, "null");
        return;
    }
    j_put(j, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        j_put(j, run, (size_t)(s - run));
        char esc[7] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            n = 6;
        }
        j_put(j, esc, n);
        run = s + 1;
    }
    j_put(j, run, (size_t)(s - run));
    j_put(j, "\"", 1);
}

/* noinline: profilers (callgrind --toggle-collect) can find the phases by name. */
__attribute__((noinline)) static void w1_json(const tree *t, int fd)
{
    jout *j = xmalloc(sizeof *j);
    j->fd = fd;
    j->len = 0;
    J_LIT(j, "[");
    for (size_t i = 0; i < t->norgs; i++) {
        const org *o = &t->orgs[i];
        if (i)
            J_LIT(j, ",");
        J_LIT(j, "{\"id\":");
        j_int(j, o->id);
        J_LIT(j, ",\"name\":");
        j_str(j, o->name);
        J_LIT(j, ",\"createdAt\":");
        j_date(j, o->created);
        J_LIT(j, ",\"updatedAt\":");
        j_date(j, o->updated);
        J_LIT(j, ",\"Employees\":[");
        for (size_t k = 0; k < o->nemps; k++) {
            const emp *e = &t->emps[o->first_emp + k];
            if (k)
                J_LIT(j, ",");
            J_LIT(j, "{\"id\":");
            j_int(j, e->id);
            J_LIT(j, ",\"name\":");
            j_str(j, e->name);
            J_LIT(j, ",\"createdAt\":");
            j_date(j, e->created);
            J_LIT(j, ",\"updatedAt\":");
            j_date(j, e->updated);
            J_LIT(j, ",\"OrganizationId\":");
            if (e->org_null)
                J_LIT(j, "null");
            else
                j_int(j, e->org_id);
            J_LIT(j, ",\"Tasks\":[");
            for (size_t m = 0; m < e->ntasks; m++) {
                const task *x = &t->tasks[e->first_task + m];
                if (m)
                    J_LIT(j, ",");
                J_LIT(j, "{\"id\":");
                j_int(j, x->id);
                J_LIT(j, ",\"title\":");
                j_str(j, x->title);
                J_LIT(j, ",\"createdAt\":");
                j_date(j, x->created);
                J_LIT(j, ",\"updatedAt\":");
                j_date(j, x->updated);
                J_LIT(j, ",\"EmployeeTasks\":{\"createdAt\":");
                j_date(j, x->j_created);
                J_LIT(j, ",\"updatedAt\":");
                j_date(j, x->j_updated);
                J_LIT(j, ",\"EmployeeId\":");
                j_int(j, x->j_emp);
                J_LIT(j, ",\"TaskId\":");
                j_int(j, x->j_task);
                J_LIT(j, "}}");
            }
            J_LIT(j, "]}");
        }
        J_LIT(j, "]}");
    }
    J_LIT(j, "]");
    j_flush(j);
    free(j);
}

static void w1_digest(const bench_opts *o, const tree *t)
{
    long long sum = 0;
    for (size_t i = 0; i < t->norgs; i++) {
        const org *g = &t->orgs[i];
        sum += g->id;
        for (size_t k = 0; k < g->nemps; k++) {
            const emp *e = &t->emps[g->first_emp + k];
            sum += e->id * 3 + e->org_id;
            for (size_t m = 0; m < e->ntasks; m++)
                sum += t->tasks[e->first_task + m].id * 5 + t->tasks[e->first_task + m].j_emp;
        }
    }
    bench_check(o, "W1 orgs=%zu emps=%zu tasks=%zu sum=%lld", t->norgs, t->nemps, t->ntasks,
                sum);
}

static void run_w1(const bench_opts *o)
{
    sqlite3 *sq = NULL;
    PGconn *pg = NULL;
    if (o->engine == BENCH_SQLITE)
        sq = sq_open(o->url);
    else
        pg = pg_open(o->url);
    tree t;
    memset(&t, 0, sizeof t);
    double ms;
    long kb;

    bench_begin();
    if (sq)
        w1_load_sqlite(sq, &t);
    else
        w1_load_pg(pg, &t);
    bench_end(&ms, &kb);
    bench_report(SIDE, "W1", o->engine, ms, kb);
    w1_digest(o, &t);

    int fd = open(o->json_out ? o->json_out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_die("cannot open %s", o->json_out);
    bench_begin();
    w1_json(&t, fd);
    bench_end(&ms, &kb);
    bench_report(SIDE, "W1json", o->engine, ms, kb);
    close(fd);

    tree_free(&t);
    if (sq)
        sqlite3_close(sq);
    else
        PQfinish(pg);
}

/* ================================================================ W2 */

typedef struct new_emp {
    int64_t id;
    const char *name;
    int64_t created, updated;
    int64_t org_id;
} new_emp;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define W2_BATCH 1000 /* rows per INSERT, both engines */

/* "INSERT ... VALUES (?, ?, ?, ?), ..." for n rows; on PostgreSQL
 * "($1, $2, $3, $4), ... RETURNING id". */
static char *w2_sql(size_t n, bool pg)
{
    text t = {0};
    static const char head[] =
        "INSERT INTO \"Employees\" (\"name\", \"createdAt\", \"updatedAt\", \"OrganizationId\") "
        "VALUES ";
    text_put(&t, head, sizeof head - 1);
    for (size_t i = 0; i < n; i++) {
        char tuple[80];
        int len = pg ? snprintf(tuple, sizeof tuple, "%s($%zu, $%zu, $%zu, $%zu)", i ? ", " : "",
                                4 * i + 1, 4 * i + 2, 4 * i + 3, 4 * i + 4)
                     : snprintf(tuple, sizeof tuple, "%s(?, ?, ?, ?)", i ? ", " : "");
        text_put(&t, tuple, (size_t)len);
    }
    static const char tail[] = " RETURNING \"id\"";
    if (pg)
        text_put(&t, tail, sizeof tail - 1);
    text_put(&t, "", 1);
    return t.p;
}

/* Prepared 1,000-row INSERTs in one transaction. The ids are consecutive
 * (AUTOINCREMENT, no triggers, one writer): the last one minus the count,
 * as Sequelize computes them on SQLite. */
static void w2_insert_sqlite(sqlite3 *db, new_emp *rows, size_t n)
{
    char stamp[32];
    bench_date_sqlite(rows[0].created, stamp);
    sq_exec(db, "BEGIN");
    sqlite3_stmt *full = NULL, *rest = NULL;
    size_t nfull = n / W2_BATCH * W2_BATCH;
    if (nfull) {
        char *sql = w2_sql(W2_BATCH, false);
        full = sq_prepare(db, sql);
        free(sql);
    }
    if (n > nfull) {
        char *sql = w2_sql(n - nfull, false);
        rest = sq_prepare(db, sql);
        free(sql);
    }
    for (size_t at = 0; at < n; at += W2_BATCH) {
        size_t k = n - at < W2_BATCH ? n - at : W2_BATCH;
        sqlite3_stmt *st = k == W2_BATCH ? full : rest;
        for (size_t i = 0; i < k; i++) {
            int p = (int)(4 * i);
            sqlite3_bind_text(st, p + 1, rows[at + i].name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, p + 2, stamp, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, p + 3, stamp, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, p + 4, rows[at + i].org_id);
        }
        int rc = sqlite3_step(st);
        sq_step_error(db, rc);
        if ((size_t)sqlite3_changes(db) != k)
            bench_die("INSERT stored %d of %zu rows", sqlite3_changes(db), k);
        int64_t first = sqlite3_last_insert_rowid(db) - (int64_t)k + 1;
        for (size_t i = 0; i < k; i++)
            rows[at + i].id = first + (int64_t)i;
        sqlite3_reset(st);
    }
    sqlite3_finalize(full);
    sqlite3_finalize(rest);
    sq_exec(db, "COMMIT");
}

static void w2_insert_pg(PGconn *c, new_emp *rows, size_t n)
{
    char stamp[32];
    bench_date_pg(rows[0].created, stamp);
    const char **vals = xmalloc(4 * W2_BATCH * sizeof *vals);
    char (*orgs)[24] = xmalloc(W2_BATCH * sizeof *orgs);
    pg_cmd(c, "BEGIN");
    size_t full = n / W2_BATCH * W2_BATCH;
    if (full) {
        char *sql = w2_sql(W2_BATCH, true);
        pg_prepare(c, "w2_full", sql);
        free(sql);
    }
    if (n > full) {
        char *sql = w2_sql(n - full, true);
        pg_prepare(c, "w2_rest", sql);
        free(sql);
    }
    for (size_t at = 0; at < n; at += W2_BATCH) {
        size_t k = n - at < W2_BATCH ? n - at : W2_BATCH;
        for (size_t i = 0; i < k; i++) {
            snprintf(orgs[i], sizeof orgs[i], "%" PRId64, rows[at + i].org_id);
            vals[4 * i] = rows[at + i].name;
            vals[4 * i + 1] = stamp;
            vals[4 * i + 2] = stamp;
            vals[4 * i + 3] = orgs[i];
        }
        PGresult *r = pg_run(c, k == W2_BATCH ? "w2_full" : "w2_rest", (int)(4 * k), vals,
                             PGRES_TUPLES_OK);
        if ((size_t)PQntuples(r) != k)
            bench_die("INSERT returned %d ids for %zu rows", PQntuples(r), k);
        for (size_t i = 0; i < k; i++)
            rows[at + i].id = parse_int(PQgetvalue(r, (int)i, 0));
        PQclear(r);
    }
    pg_cmd(c, "COMMIT");
    free(vals);
    free(orgs);
}

static void run_w2(const bench_opts *o)
{
    sqlite3 *sq = NULL;
    PGconn *pg = NULL;
    if (o->engine == BENCH_SQLITE)
        sq = sq_open(o->url);
    else
        pg = pg_open(o->url);
    size_t n = (size_t)o->sz.w2_rows;
    double ms;
    long kb;
    strpool names = {0};

    bench_begin();
    /* The rows to insert, as a program would have them: structs with their
     * values, then the insert fills in the ids. */
    new_emp *rows = xmalloc(n * sizeof *rows);
    int64_t now = now_ms();
    for (size_t i = 0; i < n; i++) {
        char name[32];
        int len = snprintf(name, sizeof name, "Employee %zu", i + 1);
        rows[i].id = 0;
        rows[i].name = pool_dup(&names, name, (size_t)len);
        rows[i].created = rows[i].updated = now;
        rows[i].org_id = (int64_t)(i % (size_t)o->sz.w2_orgs) + 1;
    }
    if (sq)
        w2_insert_sqlite(sq, rows, n);
    else
        w2_insert_pg(pg, rows, n);
    bench_end(&ms, &kb);
    bench_report(SIDE, "W2", o->engine, ms, kb);

    long long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += rows[i].id * 3 + rows[i].org_id + (long long)strlen(rows[i].name);
    bench_check(o, "W2 rows=%zu sum=%lld stored=%lld", n, sum,
                bench_raw_scalar(o, "SELECT count(*) FROM \"Employees\""));
    free(rows);
    pool_free(&names);
    if (sq)
        sqlite3_close(sq);
    else
        PQfinish(pg);
}

/* ================================================================ W3 */

static const char W3_ADD_SQ[] =
    "INSERT INTO \"EmployeeTasks\" (\"createdAt\", \"updatedAt\", \"EmployeeId\", \"TaskId\") "
    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char W3_ADD_PG[] =
    "INSERT INTO \"EmployeeTasks\" (\"createdAt\", \"updatedAt\", \"EmployeeId\", \"TaskId\") "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
static const char W3_COUNT_SQ[] =
    "SELECT count(*) FROM \"Employees\" WHERE \"OrganizationId\" = ?";
static const char W3_COUNT_PG[] =
    "SELECT count(*) FROM \"Employees\" WHERE \"OrganizationId\" = $1";

static long long w3_add(const bench_opts *o, sqlite3 *sq, PGconn *pg)
{
    long long added = 0;
    char stamp[32], e[24], k[24];
    const char *vals[4] = {stamp, stamp, e, k};
    sqlite3_stmt *st = NULL;
    if (sq)
        st = sq_prepare(sq, W3_ADD_SQ);
    else
        pg_prepare(pg, "add", W3_ADD_PG);
    for (long i = 0; i < o->sz.ops; i++) {
        long emp_id = bench_w3_emp(&o->sz, i);
        long task_id = bench_link_task(&o->sz, emp_id, o->sz.links);
        /* Each link gets the time it was made, as Sequelize stamps it. */
        int64_t now = now_ms();
        if (sq) {
            bench_date_sqlite(now, stamp);
            sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, stamp, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, emp_id);
            sqlite3_bind_int64(st, 4, task_id);
            sq_step_error(sq, sqlite3_step(st));
            added += sqlite3_changes(sq);
            sqlite3_reset(st);
        } else {
            bench_date_pg(now, stamp);
            snprintf(e, sizeof e, "%ld", emp_id);
            snprintf(k, sizeof k, "%ld", task_id);
            PGresult *r = pg_run(pg, "add", 4, vals, PGRES_COMMAND_OK);
            added += strtol(PQcmdTuples(r), NULL, 10);
            PQclear(r);
        }
    }
    if (st)
        sqlite3_finalize(st);
    return added;
}

static long long w3_count(const bench_opts *o, sqlite3 *sq, PGconn *pg)
{
    long long sum = 0;
    char org_id[24];
    const char *vals[1] = {org_id};
    sqlite3_stmt *st = NULL;
    if (sq)
        st = sq_prepare(sq, W3_COUNT_SQ);
    else
        pg_prepare(pg, "count", W3_COUNT_PG);
    for (long i = 0; i < o->sz.ops; i++) {
        long id = bench_w3_org(&o->sz, i);
        if (sq) {
            sqlite3_bind_int64(st, 1, id);
            if (sqlite3_step(st) != SQLITE_ROW)
                bench_die("count: %s", sqlite3_errmsg(sq));
            sum += sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
        } else {
            snprintf(org_id, sizeof org_id, "%ld", id);
            PGresult *r = pg_run(pg, "count", 1, vals, PGRES_TUPLES_OK);
            sum += parse_int(PQgetvalue(r, 0, 0));
            PQclear(r);
        }
    }
    if (st)
        sqlite3_finalize(st);
    return sum;
}

static void run_w3(const bench_opts *o, bool add)
{
    if (add)
        bench_w3_reset(o);
    sqlite3 *sq = NULL;
    PGconn *pg = NULL;
    if (o->engine == BENCH_SQLITE)
        sq = sq_open(o->url);
    else
        pg = pg_open(o->url);
    double ms;
    long kb;
    bench_begin();
    long long v = add ? w3_add(o, sq, pg) : w3_count(o, sq, pg);
    bench_end(&ms, &kb);
    bench_report(SIDE, add ? "W3add" : "W3count", o->engine, ms, kb);
    if (add)
        bench_check(o, "W3add ops=%ld links=%lld", o->sz.ops,
                    bench_raw_scalar(o, "SELECT count(*) FROM \"EmployeeTasks\""));
    else
        bench_check(o, "W3count ops=%ld sum=%lld", o->sz.ops, v);
    if (add)
        bench_w3_reset(o); /* leave the data as W1 and W4 expect it */
    if (sq)
        sqlite3_close(sq);
    else
        PQfinish(pg);
}

/* ================================================================ W4 */

/* One find's result: the employee and its organization (or none), with their
 * strings, in one block. */
typedef struct found {
    int64_t id;
    const char *name;
    int64_t created, updated, org_id;
    bool org_null;
    struct found_org {
        int64_t id;
        const char *name;
        int64_t created, updated;
    } * org;
} found;

static const char W4_SQ[] =
    "SELECT e.\"id\", e.\"name\", e.\"createdAt\", e.\"updatedAt\", e.\"OrganizationId\", "
    "o.\"id\", o.\"name\", o.\"createdAt\", o.\"updatedAt\" FROM \"Employees\" AS e "
    "LEFT JOIN \"Organizations\" AS o ON o.\"id\" = e.\"OrganizationId\" WHERE e.\"id\" = ?";
static const char W4_PG[] =
    "SELECT e.\"id\", e.\"name\", e.\"createdAt\", e.\"updatedAt\", e.\"OrganizationId\", "
    "o.\"id\", o.\"name\", o.\"createdAt\", o.\"updatedAt\" FROM \"Employees\" AS e "
    "LEFT JOIN \"Organizations\" AS o ON o.\"id\" = e.\"OrganizationId\" WHERE e.\"id\" = $1";

/* Copies a row into one allocation: found, org, then the two strings. */
static found *found_make(const char *name, size_t nlen, const char *oname, size_t olen,
                         bool has_org)
{
    size_t size = sizeof(found) + (has_org ? sizeof(struct found_org) : 0) +
                  (name ? nlen + 1 : 0) + (oname ? olen + 1 : 0);
    found *f = xmalloc(size);
    char *p = (char *)(f + 1);
    f->org = NULL;
    if (has_org) {
        f->org = (struct found_org *)(void *)p;
        p += sizeof(struct found_org);
    }
    f->name = NULL;
    if (name) {
        memcpy(p, name, nlen);
        p[nlen] = '\0';
        f->name = p;
        p += nlen + 1;
    }
    if (has_org) {
        f->org->name = NULL;
        if (oname) {
            memcpy(p, oname, olen);
            p[olen] = '\0';
            f->org->name = p;
        }
    }
    return f;
}

__attribute__((noinline)) static found *w4_find_sqlite(sqlite3 *db, sqlite3_stmt *st, long id)
{
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sq_step_error(db, rc);
        sqlite3_reset(st);
        return NULL;
    }
    bool has_org = sqlite3_column_type(st, 5) != SQLITE_NULL;
    const char *name = (const char *)sqlite3_column_text(st, 1);
    size_t nlen = (size_t)sqlite3_column_bytes(st, 1);
    const char *oname = (const char *)sqlite3_column_text(st, 6);
    size_t olen = (size_t)sqlite3_column_bytes(st, 6);
    found *f = found_make(name, nlen, oname, olen, has_org);
    f->id = sqlite3_column_int64(st, 0);
    f->created = sq_date(st, 2);
    f->updated = sq_date(st, 3);
    f->org_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
    f->org_id = sqlite3_column_int64(st, 4);
    if (has_org) {
        f->org->id = sqlite3_column_int64(st, 5);
        f->org->created = sq_date(st, 7);
        f->org->updated = sq_date(st, 8);
    }
    sqlite3_reset(st);
    return f;
}

__attribute__((noinline)) static found *w4_find_pg(PGconn *c, long id)
{
    char key[24];
    snprintf(key, sizeof key, "%ld", id);
    const char *vals[1] = {key};
    PGresult *r = pg_run(c, "find", 1, vals, PGRES_TUPLES_OK);
    if (PQntuples(r) == 0) {
        PQclear(r);
        return NULL;
    }
    bool has_org = !PQgetisnull(r, 0, 5);
    const char *name = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    const char *oname = PQgetisnull(r, 0, 6) ? NULL : PQgetvalue(r, 0, 6);
    found *f = found_make(name, (size_t)PQgetlength(r, 0, 1), oname,
                          (size_t)PQgetlength(r, 0, 6), has_org);
    f->id = parse_int(PQgetvalue(r, 0, 0));
    f->created = pg_date(r, 0, 2);
    f->updated = pg_date(r, 0, 3);
    f->org_null = PQgetisnull(r, 0, 4);
    f->org_id = parse_int(PQgetvalue(r, 0, 4));
    if (has_org) {
        f->org->id = parse_int(PQgetvalue(r, 0, 5));
        f->org->created = pg_date(r, 0, 7);
        f->org->updated = pg_date(r, 0, 8);
    }
    PQclear(r);
    return f;
}

static void run_w4(const bench_opts *o)
{
    sqlite3 *sq = NULL;
    PGconn *pg = NULL;
    sqlite3_stmt *st = NULL;
    if (o->engine == BENCH_SQLITE) {
        sq = sq_open(o->url);
        st = sq_prepare(sq, W4_SQ);
    } else {
        pg = pg_open(o->url);
        pg_prepare(pg, "find", W4_PG);
    }
    double ms;
    long kb;
    long long sum = 0;
    bench_begin();
    for (long i = 0; i < o->sz.ops; i++) {
        long id = bench_w4_emp(&o->sz, i);
        found *f = sq ? w4_find_sqlite(sq, st, id) : w4_find_pg(pg, id);
        if (!f)
            bench_die("employee %ld not found", id);
        sum += f->id + (long long)strlen(f->name) + f->created % 1000;
        if (f->org)
            sum += f->org->id * 3 + (long long)strlen(f->org->name) + f->org->updated % 1000;
        free(f);
    }
    bench_end(&ms, &kb);
    bench_report(SIDE, "W4", o->engine, ms, kb);
    bench_check(o, "W4 ops=%ld sum=%lld", o->sz.ops, sum);
    if (sq) {
        sqlite3_finalize(st);
        sqlite3_close(sq);
    } else {
        PQfinish(pg);
    }
}

/* ================================================================ main */

int main(int argc, char **argv)
{
    bench_opts o;
    if (!bench_parse(argc, argv, &o, "baseline"))
        return 2;
    if (strcmp(o.workload, "W1") == 0)
        run_w1(&o);
    else if (strcmp(o.workload, "W2") == 0)
        run_w2(&o);
    else if (strcmp(o.workload, "W3add") == 0)
        run_w3(&o, true);
    else if (strcmp(o.workload, "W3count") == 0)
        run_w3(&o, false);
    else if (strcmp(o.workload, "W4") == 0)
        run_w4(&o);
    else
        bench_die("unknown workload %s", o.workload);
    return 0;
}
