/* Options, deterministic data, measurement and reporting: see bench.h. */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- options */

bench_sizes bench_sizes_scaled(double scale)
{
    bench_sizes s;
    /* Counts shrink with the scale; the shape (employees per organization,
     * links per employee) stays, and tasks stay above the links so an
     * employee's links are distinct. */
    s.orgs = (long)(1000 * scale + 0.5);
    s.emps_per_org = 100;
    s.tasks = (long)(10000 * scale + 0.5);
    s.links = 5;
    s.w2_rows = (long)(1000000 * scale + 0.5);
    s.w2_orgs = s.orgs;
    s.ops = (long)(100000 * scale + 0.5);
    if (s.orgs < 2)
        s.orgs = s.w2_orgs = 2;
    if (s.tasks < 2 * (s.links + 1))
        s.tasks = 2 * (s.links + 1);
    if (s.w2_rows < 10)
        s.w2_rows = 10;
    if (s.ops < 10)
        s.ops = 10;
    return s;
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s --workload W1|W2|W3add|W3count|W4 --engine sqlite|postgres --url URL\n"
            "          [--scale F] [--orgs N] [--emps-per-org N] [--tasks N] [--links N]\n"
            "          [--w2-rows N] [--ops N] [--json-out FILE] [--check-out FILE]\n"
            "  URL: sqlite:PATH or postgres://user@host:port/db (the same for every program)\n"
            "  --scale shrinks every default size (0.001 for a smoke run)\n",
            prog);
}

static bool parse_long(const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1)
        return false;
    *out = v;
    return true;
}

bool bench_parse(int argc, char **argv, bench_opts *o, const char *prog)
{
    memset(o, 0, sizeof *o);
    o->sz = bench_sizes_scaled(1.0);
    const char *engine = NULL;
    /* Scale first, so explicit sizes given anywhere win over it. */
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--scale") == 0) {
            double f = strtod(argv[i + 1], NULL);
            if (f <= 0) {
                usage(prog);
                return false;
            }
            o->sz = bench_sizes_scaled(f);
        }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            usage(prog);
            return false;
        }
        i++;
        bool ok = true;
        if (strcmp(a, "--workload") == 0)
            o->workload = v;
        else if (strcmp(a, "--engine") == 0)
            engine = v;
        else if (strcmp(a, "--url") == 0)
            o->url = v;
        else if (strcmp(a, "--scale") == 0)
            ;
        else if (strcmp(a, "--orgs") == 0)
            ok = parse_long(v, &o->sz.orgs);
        else if (strcmp(a, "--emps-per-org") == 0)
            ok = parse_long(v, &o->sz.emps_per_org);
        else if (strcmp(a, "--tasks") == 0)
            ok = parse_long(v, &o->sz.tasks);
        else if (strcmp(a, "--links") == 0)
            ok = parse_long(v, &o->sz.links);
        else if (strcmp(a, "--w2-rows") == 0)
            ok = parse_long(v, &o->sz.w2_rows);
        else if (strcmp(a, "--ops") == 0)
            ok = parse_long(v, &o->sz.ops);
        else if (strcmp(a, "--json-out") == 0)
            o->json_out = v;
        else if (strcmp(a, "--check-out") == 0)
            o->check_out = v;
        else
            ok = false;
        if (!ok) {
            fprintf(stderr, "%s: bad argument %s %s\n", prog, a, v);
            usage(prog);
            return false;
        }
    }
    if (!o->workload || !engine || !o->url) {
        usage(prog);
        return false;
    }
    if (strcmp(engine, "sqlite") == 0)
        o->engine = BENCH_SQLITE;
    else if (strcmp(engine, "postgres") == 0)
        o->engine = BENCH_POSTGRES;
    else {
        usage(prog);
        return false;
    }
    if (o->sz.tasks < 2 * (o->sz.links + 1)) {
        fprintf(stderr, "%s: --tasks must be at least 2 * (links + 1)\n", prog);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- data */

long bench_employees(const bench_sizes *s)
{
    return s->orgs * s->emps_per_org;
}

/* Employees are spread over the organizations round-robin, so an
 * organization's employees are not one run of ids. */
long bench_emp_org(const bench_sizes *s, long emp)
{
    return (emp - 1) % s->orgs + 1;
}

/* The links of an employee are links + 1 distinct tasks apart by a stride
 * (k * stride < tasks for every k <= links); k == links is W3's. */
long bench_link_task(const bench_sizes *s, long emp, long k)
{
    long stride = s->tasks / (s->links + 1);
    return ((emp - 1) * 7 + k * stride) % s->tasks + 1;
}

long bench_w3_emp(const bench_sizes *s, long i)
{
    return i % bench_employees(s) + 1;
}

long bench_w3_org(const bench_sizes *s, long i)
{
    return (i * 7) % s->orgs + 1;
}

long bench_w4_emp(const bench_sizes *s, long i)
{
    return (long)(((unsigned long)i * 7919UL) % (unsigned long)bench_employees(s)) + 1;
}

int64_t bench_row_time(long id, int table)
{
    return BENCH_T0_MS + (int64_t)id * 1001 + table * 7;
}

/* ------------------------------------------------------------ measuring */

static struct timespec t_start;
static long rss_start_kb;

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    size_t n = strlen(key);
    long v = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

void bench_begin(void)
{
    rss_start_kb = status_kb("VmRSS");
    /* Resets VmHWM to the current resident size (Linux >= 4.0). */
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
    clock_gettime(CLOCK_MONOTONIC, &t_start);
}

void bench_end(double *ms, long *peak_kb)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    *ms = (double)(t.tv_sec - t_start.tv_sec) * 1e3 + (double)(t.tv_nsec - t_start.tv_nsec) / 1e6;
    long hwm = status_kb("VmHWM");
    *peak_kb = hwm > rss_start_kb ? hwm - rss_start_kb : 0;
}

const char *bench_engine_name(bench_engine e)
{
    return e == BENCH_SQLITE ? "sqlite" : "postgres";
}

void bench_report(const char *side, const char *workload, bench_engine e, double ms,
                  long peak_kb)
{
    printf("RESULT side=%s workload=%s engine=%s ms=%.3f peak_kb=%ld\n", side, workload,
           bench_engine_name(e), ms, peak_kb);
    fflush(stdout);
}

void bench_check(const bench_opts *o, const char *fmt, ...)
{
    if (!o->check_out)
        return;
    FILE *f = fopen(o->check_out, "a");
    if (!f)
        bench_die("cannot open %s", o->check_out);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fclose(f);
}

void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}
