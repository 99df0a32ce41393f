/* One frozen schema shared by 8 threads, each with its own connection, writing and
 * reading the same rows at once (on SQLite: one file in WAL mode, busy timeouts). Each
 * phase is bounded in time (REL_TEST_CONCURRENCY_MS, default 900 ms). On
 * Team.hasMany(Player) (one team) and Student.belongsToMany(Course) (three students):
 *
 *   add      addXs only: the links end as the union of every successful add;
 *   remove   removeXs only: they end as the start minus every successful remove;
 *   set      setXs only: each source ends with exactly the list of one of the
 *            successful sets on it (never a mix of two);
 * and on the belongsToMany:
 *   mixed    add/remove/set in the caller's transactions, each numbered by a version
 *            bump of its student: replaying the successful ones in version order
 *            gives the final junction, and the versions count them exactly.
 *
 * Every phase also reads concurrently (get, count, find with include) and checks that
 * no result holds a row twice, and the junction never holds a pair twice. The only
 * failure a thread may see is REL_BUSY (a lock wait that timed out, a deadlock or a
 * serialization failure): it counts as not done and must have changed nothing. On
 * PostgreSQL, whose lock waits have no time limit, writes lock shared rows in one
 * order and may not deadlock: none may be refused there.
 * Nothing may crash; ThreadSanitizer runs this test too (scripts/test.sh, build-tsan). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, rand_r */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "relate.h"
#include "testdb.h"

#define NTHREADS 8
#define NSTUDENTS 3
#define NCOURSES 8
#define MAX_LOG 20000

typedef enum phase { PH_ADD, PH_REMOVE, PH_SET, PH_MIXED } phase;
typedef enum op_kind { OP_ADD, OP_REMOVE, OP_SET } op_kind;

/* One successful write, as the thread that did it reports it. */
typedef struct op_rec {
    int student;       /* the source, 0-based */
    op_kind kind;
    unsigned courses;  /* bit c: target c */
    int64_t version;   /* mixed phase: the student's version it committed */
} op_rec;

/* The association the threads work on: sources, targets and how to read a link. */
typedef struct relation {
    const rel_model *source, *target;
    const char *assoc;
    int nsources;
    int64_t source_id[NSTUDENTS], target_id[NCOURSES];
    const char *link_sql; /* count of links from source %lld to target %lld */
} relation;

typedef struct shared {
    rel_schema *schema;
    const char *url;
    relation btm, hm; /* Student.belongsToMany(Course), Team.hasMany(Player) */
    relation *r;      /* the one the current phase uses */
    phase ph;
    int64_t deadline_ms;
} shared;

typedef struct worker {
    shared *sh;
    pthread_t tid;
    unsigned seed;
    op_rec *log;
    size_t nlog;
    size_t busy;        /* operations refused with REL_BUSY (not done) */
    size_t reads;
    char failure[1200]; /* first unexpected outcome, "" when none */
} worker;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t phase_ms(void)
{
    const char *e = getenv("REL_TEST_CONCURRENCY_MS");
    long v = e && *e ? strtol(e, NULL, 10) : 0;
    return v > 0 ? v : 900;
}

static void failf(worker *w, const char *fmt, ...)
{
    if (w->failure[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->failure, sizeof w->failure, fmt, ap);
    va_end(ap);
}

/* The key values of the targets in mask. */
static size_t course_keys(const shared *sh, unsigned mask, rel_value *out)
{
    size_t n = 0;
    for (int c = 0; c < NCOURSES; c++)
        if (mask & (1u << c))
            out[n++] = rel_int(sh->r->target_id[c]);
    return n;
}

static int course_index(const shared *sh, int64_t id)
{
    for (int c = 0; c < NCOURSES; c++)
        if (sh->r->target_id[c] == id)
            return c;
    return -1;
}

/* Reads and checks: a source's targets hold no target twice, and a find of every
   source with its targets does not either. */
static void check_reads(worker *w, rel_db *db, rel_record *src)
{
    rel_error err;
    rel_result *res = NULL;
    rel_status st = rel_assoc_get(db, src, w->sh->r->assoc, NULL, &res, &err);
    if (st == REL_BUSY)
        return;
    if (st != REL_OK) {
        failf(w, "get: %s %s", rel_status_name(st), err.message);
        return;
    }
    unsigned seen = 0;
    for (size_t i = 0; i < rel_result_count(res); i++) {
        int c = course_index(w->sh, rel_get_int(rel_result_row(res, i), "id"));
        if (c < 0 || (seen & (1u << c)))
            failf(w, "get gave target %d twice or an unknown one", c);
        if (c >= 0)
            seen |= 1u << c;
    }
    rel_result_free(res);
    int64_t n = 0;
    st = rel_assoc_count(db, src, w->sh->r->assoc, NULL, &n, &err);
    if (st != REL_OK && st != REL_BUSY)
        failf(w, "count: %s %s", rel_status_name(st), err.message);
    if (st == REL_OK && (n < 0 || n > NCOURSES))
        failf(w, "count gave %lld", (long long)n);

    rel_include incl[] = {{.association = w->sh->r->assoc}, {0}};
    rel_find_opts o = {.include = incl, .order = "[[\"id\",\"ASC\"]]"};
    st = rel_find_all(db, w->sh->r->source, &o, &res, &err);
    if (st == REL_BUSY)
        return;
    if (st != REL_OK) {
        failf(w, "find with include: %s %s", rel_status_name(st), err.message);
        return;
    }
    if (rel_result_count(res) != (size_t)w->sh->r->nsources)
        failf(w, "find gave %zu sources", rel_result_count(res));
    for (size_t i = 0; i < rel_result_count(res); i++) {
        rel_record *s = rel_result_row(res, i);
        unsigned got = 0;
        const char *as = w->sh->r->assoc;
        for (size_t k = 0; k < rel_get_many_count(s, as); k++) {
            int c = course_index(w->sh, rel_get_int(rel_get_many_at(s, as, k), "id"));
            if (c < 0 || (got & (1u << c)))
                failf(w, "an included target appears twice");
            if (c >= 0)
                got |= 1u << c;
        }
    }
    rel_result_free(res);
    w->reads++;
}

static void record(worker *w, int s, op_kind k, unsigned mask, int64_t version)
{
    if (w->nlog < MAX_LOG)
        w->log[w->nlog++] = (op_rec){s, k, mask, version};
    else
        failf(w, "the operation log is full");
}

/* One write through relate's own transaction (phases add/remove/set). */
static rel_status plain_write(worker *w, rel_db *db, rel_record *src, op_kind k, unsigned mask,
                              rel_error *err)
{
    rel_value keys[NCOURSES];
    size_t n = course_keys(w->sh, mask, keys);
    switch (k) {
    case OP_ADD: return rel_assoc_add_keys(db, src, w->sh->r->assoc, keys, n, NULL, err);
    case OP_REMOVE: return rel_assoc_remove_keys(db, src, w->sh->r->assoc, keys, n, err);
    case OP_SET: return rel_assoc_set_keys(db, src, w->sh->r->assoc, keys, n, NULL, err);
    }
    return REL_MISUSE;
}

/* Mixed phase: the write in the caller's transaction, numbered by the student's
   version (the UPDATE also orders every write on that student). */
static rel_status versioned_write(worker *w, rel_db *db, rel_record *src, int s, op_kind k,
                                  unsigned mask, int64_t *version, rel_error *err)
{
    rel_status st = rel_begin(db, err);
    if (st != REL_OK)
        return st;
    rel_value id = rel_int(w->sh->r->source_id[s]);
    st = rel_exec(db,
                  test_is_postgres()
                      ? "UPDATE \"Students\" SET \"version\" = \"version\" + 1 WHERE \"id\" = $1"
                      : "UPDATE \"Students\" SET \"version\" = \"version\" + 1 WHERE \"id\" = ?",
                  &id, 1, err);
    rel_result *res = NULL;
    if (st == REL_OK)
        st = rel_find_by_pk(db, w->sh->r->source, id, NULL, &res, err);
    if (st == REL_OK) {
        *version = rel_get_int(rel_result_row(res, 0), "version");
        st = plain_write(w, db, src, k, mask, err);
    }
    rel_result_free(res);
    if (st == REL_OK)
        return rel_commit(db, err);
    rel_error ignored;
    rel_rollback(db, &ignored);
    return st;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    rel_db *db = NULL;
    rel_error err;
    if (rel_open(&db, sh->schema, sh->url, &err) != REL_OK) {
        failf(w, "open: %s", err.message);
        return NULL;
    }
    if (!test_is_postgres() && rel_exec(db, "PRAGMA busy_timeout = 10000", NULL, 0, &err) != REL_OK)
        failf(w, "busy_timeout: %s", err.message);
    /* The sources as rows this thread's connection read (ids ascending). */
    const relation *r = sh->r;
    rel_result *rows = NULL;
    rel_record *src[NSTUDENTS];
    rel_status rs;
    do /* SQLite may be busy with the other threads' opening reads: retry */
        rs = rel_find_all(db, r->source, &(rel_find_opts){.order = "[[\"id\",\"ASC\"]]"},
                          &rows, &err);
    while (rs == REL_BUSY);
    if (rs != REL_OK || rel_result_count(rows) != (size_t)r->nsources) {
        failf(w, "reading the sources: %s", err.message);
        rel_result_free(rows);
        rel_close(db);
        return NULL;
    }
    for (int s = 0; s < r->nsources; s++)
        src[s] = rel_result_row(rows, (size_t)s);
    while (!w->failure[0] && now_ms() < sh->deadline_ms) {
        int s = (int)(rand_r(&w->seed) % (unsigned)r->nsources);
        unsigned mask = (unsigned)rand_r(&w->seed) & ((1u << NCOURSES) - 1);
        if (rand_r(&w->seed) % 4 == 0) {
            check_reads(w, db, src[s]);
            continue;
        }
        op_kind k = sh->ph == PH_ADD ? OP_ADD : sh->ph == PH_REMOVE ? OP_REMOVE
                  : sh->ph == PH_SET ? OP_SET : (op_kind)(rand_r(&w->seed) % 3);
        int64_t version = 0;
        rel_status st = sh->ph == PH_MIXED
                            ? versioned_write(w, db, src[s], s, k, mask, &version, &err)
                            : plain_write(w, db, src[s], k, mask, &err);
        if (st == REL_OK)
            record(w, s, k, mask, version);
        else if (st == REL_BUSY)
            w->busy++;
        else
            failf(w, "%s on student %d: %s %s", k == OP_ADD ? "add" : k == OP_REMOVE ? "remove" : "set",
                  s, rel_status_name(st), err.message);
        if (!rel_db_ok(db))
            failf(w, "the connection broke");
    }
    rel_result_free(rows);
    rel_close(db);
    return NULL;
}

/* The links as bit masks per source, read with the raw driver; fails on a
   duplicated junction row. */
static void read_junction(const shared *sh, unsigned out[NSTUDENTS])
{
    if (sh->r == &sh->btm) {
        char *dups = test_sql_scalar(sh->url,
            "SELECT count(*) FROM (SELECT \"StudentId\", \"CourseId\" FROM \"Enrollments\" "
            "GROUP BY \"StudentId\", \"CourseId\" HAVING count(*) > 1) AS d");
        assert_non_null(dups);
        assert_string_equal(dups, "0");
        free(dups);
    }
    for (int s = 0; s < sh->r->nsources; s++) {
        out[s] = 0;
        for (int c = 0; c < NCOURSES; c++) {
            char sql[200];
            snprintf(sql, sizeof sql, sh->r->link_sql, (long long)sh->r->source_id[s],
                     (long long)sh->r->target_id[c]);
            char *v = test_sql_scalar(sh->url, sql);
            assert_non_null(v);
            if (strcmp(v, "0") != 0)
                out[s] |= 1u << c;
            free(v);
        }
    }
}

/* Runs one phase with NTHREADS workers; returns them (owned) after checking each. */
static worker *run_phase(shared *sh, relation *r, phase ph, unsigned seed)
{
    sh->r = r;
    worker *w = calloc(NTHREADS, sizeof *w);
    assert_non_null(w);
    sh->ph = ph;
    sh->deadline_ms = now_ms() + phase_ms();
    for (int t = 0; t < NTHREADS; t++) {
        w[t].sh = sh;
        w[t].seed = seed * 7919u + (unsigned)t * 104729u + 1u;
        w[t].log = calloc(MAX_LOG, sizeof *w[t].log);
        assert_non_null(w[t].log);
        assert_int_equal(pthread_create(&w[t].tid, NULL, run_worker, &w[t]), 0);
    }
    size_t done = 0, busy = 0, reads = 0;
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(w[t].tid, NULL);
        done += w[t].nlog;
        busy += w[t].busy;
        reads += w[t].reads;
    }
    printf("# %s, phase %d on %s: %zu writes done, %zu refused as busy, %zu read checks\n",
           r->assoc, (int)ph, test_engine(), done, busy, reads);
    for (int t = 0; t < NTHREADS; t++)
        if (w[t].failure[0])
            fail_msg("thread %d: %s", t, w[t].failure);
    assert_true(done > 0); /* the phase did something */
    /* On PostgreSQL every write locks the rows it shares with others in one
     * order (the source row first, then targets or links by key), so none
     * can deadlock; lock waits have no time limit there. */
    if (test_is_postgres() && busy)
        fail_msg("%s, phase %d: %zu writes were refused as busy (a deadlock)", r->assoc,
                 (int)ph, busy);
    return w;
}

static void free_workers(worker *w)
{
    for (int t = 0; t < NTHREADS; t++)
        free(w[t].log);
    free(w);
}

static int cmp_version(const void *a, const void *b)
{
    const op_rec *x = a, *y = b;
    return x->version < y->version ? -1 : x->version > y->version;
}

/* Saves n rows of m (attribute attr = text) and puts their ids in ids. */
static void make_rows(rel_db *db, const rel_model *m, const char *attr, const char *text, int n,
                      int64_t *ids)
{
    rel_error err;
    for (int i = 0; i < n; i++) {
        rel_record *r = rel_new(m);
        rel_set_text(r, attr, text, &err);
        if (rel_save(db, r, &err) != REL_OK)
            fail_msg("save: %s", err.message);
        ids[i] = rel_get_int(r, "id");
        rel_record_free(r);
    }
}

/* The three phases every relation goes through: add, remove, set. Leaves the links
   in junction. */
static void add_remove_set(shared *sh, relation *r, unsigned junction[NSTUDENTS])
{
    unsigned expected[NSTUDENTS];

    /* add: the union of every successful add. */
    worker *w = run_phase(sh, r, PH_ADD, 1);
    memset(expected, 0, sizeof expected); /* nothing is linked before */
    for (int t = 0; t < NTHREADS; t++)
        for (size_t i = 0; i < w[t].nlog; i++)
            expected[w[t].log[i].student] |= w[t].log[i].courses;
    free_workers(w);
    read_junction(sh, junction);
    for (int s = 0; s < r->nsources; s++)
        assert_int_equal(junction[s], expected[s]);

    /* remove: what was there minus every successful remove. */
    w = run_phase(sh, r, PH_REMOVE, 2);
    for (int t = 0; t < NTHREADS; t++)
        for (size_t i = 0; i < w[t].nlog; i++)
            expected[w[t].log[i].student] &= ~w[t].log[i].courses;
    free_workers(w);
    read_junction(sh, junction);
    for (int s = 0; s < r->nsources; s++)
        assert_int_equal(junction[s], expected[s]);

    /* set: exactly the list of one successful set (or, with none, what was there). */
    unsigned before_set[NSTUDENTS];
    memcpy(before_set, junction, sizeof before_set);
    w = run_phase(sh, r, PH_SET, 3);
    read_junction(sh, junction);
    for (int s = 0; s < r->nsources; s++) {
        bool any = false, match = false;
        for (int t = 0; t < NTHREADS; t++)
            for (size_t i = 0; i < w[t].nlog; i++)
                if (w[t].log[i].student == s) {
                    any = true;
                    match = match || w[t].log[i].courses == junction[s];
                }
        if (!(any ? match : junction[s] == before_set[s]))
            fail_msg("%s: source %d holds targets %#x, which no successful set gave", r->assoc,
                     s, junction[s]);
    }
    free_workers(w);
}

static void shared_rows_under_eight_threads(void **state)
{
    (void)state;
    shared sh = {0};
    rel_error err;
    sh.url = test_db_url();
    if (!test_is_postgres()) {
        /* WAL: readers do not block the writer; the file is shared by every thread. */
        char *mode = test_sql_scalar(sh.url, "PRAGMA journal_mode = WAL");
        assert_non_null(mode);
        assert_string_equal(mode, "wal");
        free(mode);
    }
    sh.schema = rel_schema_new();
    rel_model *st = rel_define(sh.schema, "Student",
                               (rel_attr[]){{.name = "name", .type = REL_STRING},
                                            {.name = "version", .type = REL_INTEGER,
                                             .allow_null = REL_NO, .default_value = "0"},
                                            {0}},
                               NULL);
    rel_model *co = rel_define(sh.schema, "Course",
                               (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, NULL);
    rel_model *team = rel_define(sh.schema, "Team",
                                 (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *player = rel_define(sh.schema, "Player",
                                   (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to_many(st, co, &(rel_assoc_opts){.through = "Enrollments"});
    rel_belongs_to_many(co, st, &(rel_assoc_opts){.through = "Enrollments"});
    rel_has_many(team, player, NULL);
    if (rel_schema_freeze(sh.schema, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);

    rel_db *db = NULL;
    if (rel_open(&db, sh.schema, sh.url, &err) != REL_OK || rel_sync(db, NULL, &err) != REL_OK)
        fail_msg("open/sync: %s", err.message);
    sh.btm = (relation){.source = st, .target = co, .assoc = "Courses", .nsources = NSTUDENTS,
                        .link_sql = "SELECT count(*) FROM \"Enrollments\" WHERE \"StudentId\" = "
                                    "%lld AND \"CourseId\" = %lld"};
    make_rows(db, st, "name", "student", NSTUDENTS, sh.btm.source_id);
    make_rows(db, co, "title", "course", NCOURSES, sh.btm.target_id);
    /* hasMany: one team, so that every thread writes the same rows. */
    sh.hm = (relation){.source = team, .target = player, .assoc = "Players", .nsources = 1,
                       .link_sql = "SELECT count(*) FROM \"Players\" WHERE \"TeamId\" = %lld "
                                   "AND \"id\" = %lld"};
    make_rows(db, team, "name", "team", 1, sh.hm.source_id);
    make_rows(db, player, "name", "player", NCOURSES, sh.hm.target_id);

    unsigned junction[NSTUDENTS];
    add_remove_set(&sh, &sh.hm, junction);
    add_remove_set(&sh, &sh.btm, junction);

    /* mixed (belongsToMany): replaying the successful writes in version order gives
       the junction, and each student's version counts them. */
    relation *r = &sh.btm;
    unsigned start[NSTUDENTS];
    memcpy(start, junction, sizeof junction);
    int64_t version0[NSTUDENTS];
    for (int s = 0; s < NSTUDENTS; s++) {
        rel_result *res = NULL;
        if (rel_find_by_pk(db, st, rel_int(r->source_id[s]), NULL, &res, &err) != REL_OK)
            fail_msg("find: %s", err.message);
        version0[s] = rel_get_int(rel_result_row(res, 0), "version");
        rel_result_free(res);
    }
    worker *w = run_phase(&sh, r, PH_MIXED, 4);
    read_junction(&sh, junction);
    for (int s = 0; s < NSTUDENTS; s++) {
        op_rec *ops = calloc(MAX_LOG * NTHREADS, sizeof *ops);
        size_t n = 0;
        for (int t = 0; t < NTHREADS; t++)
            for (size_t i = 0; i < w[t].nlog; i++)
                if (w[t].log[i].student == s)
                    ops[n++] = w[t].log[i];
        qsort(ops, n, sizeof *ops, cmp_version);
        unsigned state_mask = start[s];
        for (size_t i = 0; i < n; i++) {
            if (ops[i].version != version0[s] + (int64_t)i + 1)
                fail_msg("student %d: version %lld committed out of turn (expected %lld)", s,
                         (long long)ops[i].version, (long long)(version0[s] + (int64_t)i + 1));
            switch (ops[i].kind) {
            case OP_ADD: state_mask |= ops[i].courses; break;
            case OP_REMOVE: state_mask &= ~ops[i].courses; break;
            case OP_SET: state_mask = ops[i].courses; break;
            }
        }
        rel_result *res = NULL;
        if (rel_find_by_pk(db, st, rel_int(r->source_id[s]), NULL, &res, &err) != REL_OK)
            fail_msg("find: %s", err.message);
        assert_int_equal(rel_get_int(rel_result_row(res, 0), "version"),
                         version0[s] + (int64_t)n);
        rel_result_free(res);
        assert_int_equal(junction[s], state_mask);
        free(ops);
    }
    free_workers(w);

    rel_close(db);
    rel_schema_free(sh.schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_rows_under_eight_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
