/* Internal: dates and times as int64 milliseconds since 1970-01-01T00:00:00Z.
 *
 * All of this is UTC arithmetic on the proleptic Gregorian calendar; nothing reads
 * the process's time zone or locale, so every function is thread-safe.
 */
#ifndef REL_UTIL_DATETIME_H
#define REL_UTIL_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses the n bytes at s (no NUL needed) into *ms.  Accepts
 *   YYYY-MM-DD                                   midnight UTC
 *   YYYY-MM-DD{T| }hh:mm:ss[.f][offset]          f: 1 to 6 digits, truncated to ms
 * where offset is Z, or +hh / +hh:mm / +hh:mm:ss (or with -), optionally after one
 * space (SQLite/Sequelize "2026-01-02 03:04:05.678 +00:00", PostgreSQL
 * "2026-01-02 03:04:05.678+00", ISO "2026-01-02T03:04:05.678Z"); no offset means UTC.
 * Years 0001-9999, real calendar dates, hours 00-23, no leap seconds.  Returns false
 * (leaving *ms alone) for anything else. */
bool rel_datetime_parse(const char *s, size_t n, int64_t *ms);

/* Writes ms as JavaScript's Date.prototype.toISOString() does,
 * "2026-01-02T03:04:05.678Z"; years outside 0000-9999 take the expanded form
 * "+010000-01-01T00:00:00.000Z" / "-000001-...". */
void rel_datetime_iso(int64_t ms, char out[32]);

/* Writes ms the way Sequelize stores DATE in SQLite: "2026-01-02 03:04:05.678 +00:00". */
void rel_datetime_sqlite(int64_t ms, char out[40]);

/* Whether the n bytes at s are exactly "YYYY-MM-DD", a real date in years 0001-9999. */
bool rel_dateonly_valid(const char *s, size_t n);

/* The current time in ms since the epoch (CLOCK_REALTIME); 0 if the clock fails. */
int64_t rel_now_ms(void);

#endif
