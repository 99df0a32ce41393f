/* Shared pieces of the benchmarks: options and sizes, the deterministic data
 * every side agrees on, timing and peak-memory measurement, and raw-driver
 * helpers for the untimed setup. Nothing here is timed except what a program
 * brackets with bench_begin / bench_end. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum bench_engine { BENCH_SQLITE, BENCH_POSTGRES } bench_engine;

/* Workload sizes; the defaults are the issue's. */
typedef struct bench_sizes {
    long orgs;          /* W1/W3/W4 organizations (1,000) */
    long emps_per_org;  /* employees per organization (100) */
    long tasks;         /* tasks (10,000) */
    long links;         /* task links per employee (5) */
    long w2_rows;       /* W2 employees inserted (1,000,000) */
    long w2_orgs;       /* W2 organizations they point at (1,000) */
    long ops;           /* W3 adds, W3 counts, W4 finds (100,000 each) */
} bench_sizes;

typedef struct bench_opts {
    const char *workload;  /* W1, W2, W3add, W3count, W4 */
    bench_engine engine;
    const char *url;       /* sqlite:PATH or postgres://... (same for both sides) */
    bench_sizes sz;
    const char *json_out;  /* W1: where the JSON goes (default /dev/null) */
    const char *check_out; /* where the result digest goes (default: none) */
} bench_opts;

/* Parses argv (--workload, --engine, --url, --scale, --orgs, ..., --json-out,
 * --check-out). Prints usage and returns false on a bad argument. */
bool bench_parse(int argc, char **argv, bench_opts *o, const char *prog);
/* Sizes scaled from the defaults (scale 1 = the sizes). */
bench_sizes bench_sizes_scaled(double scale);

/* ---------------------------------------------------------------- data */

/* Every row is a function of its id, so any program can recompute it. */
#define BENCH_T0_MS 1767225600000LL /* 2026-01-01T00:00:00.000Z */
long bench_employees(const bench_sizes *s);        /* orgs * emps_per_org */
long bench_emp_org(const bench_sizes *s, long emp); /* employee id -> organization id */
/* Task id of employee emp's k-th link; k == links is the one W3 adds. */
long bench_link_task(const bench_sizes *s, long emp, long k);
/* W3's i-th add (employee, task) and count (organization); W4's i-th employee. */
long bench_w3_emp(const bench_sizes *s, long i);
long bench_w3_org(const bench_sizes *s, long i);
long bench_w4_emp(const bench_sizes *s, long i);
int64_t bench_row_time(long id, int table); /* createdAt == updatedAt of a stored row */

/* ------------------------------------------------------------ measuring */

/* Starts a measured region: remembers the resident size and resets the
 * kernel's high-water mark (/proc/self/clear_refs "5"). */
void bench_begin(void);
/* Ends it: elapsed wall time (ms) and peak resident growth over the start (KiB). */
void bench_end(double *ms, long *peak_kb);
/* One result line on stdout, the format bench/run reads:
 * RESULT side=.. workload=.. engine=.. ms=.. peak_kb=.. */
void bench_report(const char *side, const char *workload, bench_engine e, double ms,
                  long peak_kb);
const char *bench_engine_name(bench_engine e);

/* The digest of a result, compared between sides by the smoke test: a line
 * per fact, appended to --check-out (nothing when it is not given). */
void bench_check(const bench_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Dies with a message (benchmark programs, not the library, may exit). */
_Noreturn void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------- raw-driver setup */

/* The file path of a sqlite:PATH URL. */
const char *bench_sqlite_path(const char *url);
/* Runs SQL (several statements allowed) on the database at url with the raw
 * driver; dies on failure. */
void bench_raw_exec(bench_engine e, const char *url, const char *sql);
/* The first column of the first row of a query, as an integer (untimed
 * checks); dies on failure. */
long long bench_raw_scalar(const bench_opts *o, const char *sql);
/* Untimed: removes the links W3 adds, so every W3add run starts from the
 * same data. */
void bench_w3_reset(const bench_opts *o);

#endif
