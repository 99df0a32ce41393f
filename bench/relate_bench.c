/* The relate side: each workload through relate's public API only (relate.h),
 * as an application would write it. Run one workload per process:
 *
 *   relate_bench --workload W1|W2|W3add|W3count|W4 --engine sqlite|postgres --url URL [sizes]
 *
 * It prints the same RESULT lines and result digests as the baseline. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/bench.h"
#include "common/model.h"
#include "relate.h"

#define SIDE "relate"

/* BENCH_LOG=1 in the environment shows every statement relate runs. */
static void log_sql(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)user;
    (void)params;
    fprintf(stderr, "SQL [%zu params]: %.300s\n", n, sql);
}

static rel_db *open_db(const bench_models *m, const bench_opts *o)
{
    rel_db *db = NULL;
    rel_error err;
    if (rel_open(&db, m->schema, o->url, &err) != REL_OK)
        bench_die("rel_open %s: %s", o->url, err.message);
    if (getenv("BENCH_LOG"))
        rel_set_logger(db, log_sql, NULL);
    return db;
}

static void fail(const char *what, const rel_error *err)
{
    bench_die("%s: %s (%s)", what, err->message, rel_status_name(err->code));
}

/* ================================================================ W1 */

static bool write_fd(void *user, const char *data, size_t len)
{
    int fd = *(int *)user;
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w <= 0)
            return false;
        data += w;
        len -= (size_t)w;
    }
    return true;
}

static void w1_digest(const bench_opts *o, const rel_result *res)
{
    long long sum = 0;
    size_t nemps = 0, ntasks = 0;
    for (size_t i = 0; i < rel_result_count(res); i++) {
        const rel_record *g = rel_result_row(res, i);
        sum += rel_get_int(g, "id");
        size_t ne = rel_get_many_count(g, "Employees");
        nemps += ne;
        for (size_t k = 0; k < ne; k++) {
            const rel_record *e = rel_get_many_at(g, "Employees", k);
            sum += rel_get_int(e, "id") * 3 + rel_get_int(e, "OrganizationId");
            size_t nt = rel_get_many_count(e, "Tasks");
            ntasks += nt;
            for (size_t m = 0; m < nt; m++) {
                const rel_record *t = rel_get_many_at(e, "Tasks", m);
                sum += rel_get_int(t, "id") * 5 +
                       rel_get_int(rel_get_through(t), "EmployeeId");
            }
        }
    }
    bench_check(o, "W1 orgs=%zu emps=%zu tasks=%zu sum=%lld", rel_result_count(res), nemps,
                ntasks, sum);
}

static void run_w1(const bench_opts *o)
{
    bench_models m;
    bench_models_define(&m);
    rel_db *db = open_db(&m, o);
    rel_error err;
    rel_result *res = NULL;
    double ms;
    long kb;

    /* Organizations with their employees and the employees' tasks, ordered
     * by id at each level. */
    const rel_include tasks[] = {{.association = "Tasks"}, {0}};
    const rel_include emps[] = {{.association = "Employees", .include = tasks}, {0}};
    const rel_find_opts opts = {
        .include = emps,
        .order = "[[\"id\",\"ASC\"],[\"Employees\",\"id\",\"ASC\"],"
                 "[\"Employees\",\"Tasks\",\"id\",\"ASC\"]]",
    };
    bench_begin();
    if (rel_find_all(db, m.org, &opts, &res, &err) != REL_OK)
        fail("rel_find_all", &err);
    bench_end(&ms, &kb);
    bench_report(SIDE, "W1", o->engine, ms, kb);
    w1_digest(o, res);

    int fd = open(o->json_out ? o->json_out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_die("cannot open %s", o->json_out);
    bench_begin();
    if (rel_result_write_json(res, write_fd, &fd, &err) != REL_OK)
        fail("rel_result_write_json", &err);
    bench_end(&ms, &kb);
    bench_report(SIDE, "W1json", o->engine, ms, kb);
    close(fd);

    rel_result_free(res);
    rel_close(db);
    rel_schema_free(m.schema);
}

/* ================================================================ W2 */

static void run_w2(const bench_opts *o)
{
    bench_models m;
    bench_models_define(&m);
    rel_db *db = open_db(&m, o);
    rel_error err;
    size_t n = (size_t)o->sz.w2_rows;
    double ms;
    long kb;

    bench_begin();
    rel_record **rows = malloc(n * sizeof *rows);
    if (!rows)
        bench_die("out of memory");
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "Employee %zu", i + 1);
        rows[i] = rel_new(m.emp);
        if (!rows[i] || rel_set_text(rows[i], "name", name, &err) != REL_OK ||
            rel_set_int(rows[i], "OrganizationId", (int64_t)(i % (size_t)o->sz.w2_orgs) + 1,
                        &err) != REL_OK)
            fail("rel_new/rel_set", &err);
    }
    if (rel_bulk_create(db, rows, n, &err) != REL_OK)
        fail("rel_bulk_create", &err);
    bench_end(&ms, &kb);
    bench_report(SIDE, "W2", o->engine, ms, kb);

    long long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += rel_get_int(rows[i], "id") * 3 + rel_get_int(rows[i], "OrganizationId") +
               (long long)strlen(rel_get_text(rows[i], "name"));
    bench_check(o, "W2 rows=%zu sum=%lld stored=%lld", n, sum,
                bench_raw_scalar(o, "SELECT count(*) FROM \"Employees\""));
    for (size_t i = 0; i < n; i++)
        rel_record_free(rows[i]);
    free(rows);
    rel_close(db);
    rel_schema_free(m.schema);
}

/* ================================================================ W3 */

/* The rows the methods are called on, loaded before the clock starts (an
 * application has them in hand): every row of model, by id. */
static rel_result *load_all(rel_db *db, const rel_model *model)
{
    rel_result *res = NULL;
    rel_error err;
    const rel_find_opts opts = {.order = "[[\"id\",\"ASC\"]]"};
    if (rel_find_all(db, model, &opts, &res, &err) != REL_OK)
        fail("rel_find_all", &err);
    return res;
}

static void run_w3(const bench_opts *o, bool add)
{
    if (add)
        bench_w3_reset(o);
    bench_models m;
    bench_models_define(&m);
    rel_db *db = open_db(&m, o);
    rel_error err;
    rel_result *srcs = load_all(db, add ? m.emp : m.org);
    double ms;
    long kb;
    long long v = 0;

    bench_begin();
    for (long i = 0; i < o->sz.ops; i++) {
        if (add) {
            long emp_id = bench_w3_emp(&o->sz, i);
            rel_value task = rel_int(bench_link_task(&o->sz, emp_id, o->sz.links));
            const rel_record *e = rel_result_row(srcs, (size_t)emp_id - 1);
            if (rel_assoc_add_keys(db, e, "Tasks", &task, 1, NULL, &err) != REL_OK)
                fail("rel_assoc_add_keys", &err);
        } else {
            const rel_record *g = rel_result_row(srcs, (size_t)bench_w3_org(&o->sz, i) - 1);
            int64_t n = 0;
            if (rel_assoc_count(db, g, "Employees", NULL, &n, &err) != REL_OK)
                fail("rel_assoc_count", &err);
            v += n;
        }
    }
    bench_end(&ms, &kb);
    bench_report(SIDE, add ? "W3add" : "W3count", o->engine, ms, kb);

    if (add)
        bench_check(o, "W3add ops=%ld links=%lld", o->sz.ops,
                    bench_raw_scalar(o, "SELECT count(*) FROM \"EmployeeTasks\""));
    else
        bench_check(o, "W3count ops=%ld sum=%lld", o->sz.ops, v);
    if (add)
        bench_w3_reset(o); /* leave the data as W1 and W4 expect it */
    rel_result_free(srcs);
    rel_close(db);
    rel_schema_free(m.schema);
}

/* ================================================================ W4 */

static void run_w4(const bench_opts *o)
{
    bench_models m;
    bench_models_define(&m);
    rel_db *db = open_db(&m, o);
    rel_error err;
    double ms;
    long kb;
    long long sum = 0;
    const rel_include org[] = {{.association = "Organization"}, {0}};
    const rel_find_opts opts = {.include = org};

    bench_begin();
    for (long i = 0; i < o->sz.ops; i++) {
        rel_result *res = NULL;
        long id = bench_w4_emp(&o->sz, i);
        if (rel_find_by_pk(db, m.emp, rel_int(id), &opts, &res, &err) != REL_OK)
            fail("rel_find_by_pk", &err);
        const rel_record *e = rel_result_row(res, 0);
        const rel_record *g = rel_get_one(e, "Organization");
        sum += rel_get_int(e, "id") + (long long)strlen(rel_get_text(e, "name")) +
               rel_get_time(e, "createdAt") % 1000;
        if (g)
            sum += rel_get_int(g, "id") * 3 + (long long)strlen(rel_get_text(g, "name")) +
                   rel_get_time(g, "updatedAt") % 1000;
        rel_result_free(res);
    }
    bench_end(&ms, &kb);
    bench_report(SIDE, "W4", o->engine, ms, kb);
    bench_check(o, "W4 ops=%ld sum=%lld", o->sz.ops, sum);
    rel_close(db);
    rel_schema_free(m.schema);
}

/* ================================================================ main */

int main(int argc, char **argv)
{
    bench_opts o;
    if (!bench_parse(argc, argv, &o, "relate_bench"))
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
