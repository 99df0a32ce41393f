/* Timestamps as the baseline handles them by hand: int64 ms since the epoch,
 * UTC, read from and written to the drivers' text forms and JSON. */
#ifndef BENCH_DATES_H
#define BENCH_DATES_H

#include <stddef.h>
#include <stdint.h>

/* "2026-01-02 03:04:05.678 +00:00" (SQLite, as Sequelize stores it): 30 bytes + NUL. */
void bench_date_sqlite(int64_t ms, char out[32]);
/* "2026-01-02 03:04:05.678+00" (PostgreSQL timestamptz input): 26 bytes + NUL. */
void bench_date_pg(int64_t ms, char out[32]);
/* "2026-01-02T03:04:05.678Z" (JSON, toISOString): 24 bytes, no NUL. */
void bench_date_iso(int64_t ms, char out[24]);
/* Parses "YYYY-MM-DD hh:mm:ss[.fff...][ ][+hh[:mm]]" (both drivers' forms, UTC
 * offsets honoured) into ms. Returns 0, or -1 when it is not that form. */
int bench_date_parse(const char *s, size_t n, int64_t *ms);

#endif
