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

#include "util/digits.h"

#define REL_MS_PER_DAY INT64_C(86400000)

/* Parses the n bytes at s (no NUL needed) into *ms.  Accepts
 *   YYYY-MM-DD                                   midnight UTC
 *   YYYY-MM-DD{T| }hh:mm:ss[.f][offset]          f: 1 to 6 digits, truncated to ms
 * where offset is Z, or +hh / +hh:mm / +hh:mm:ss (or with -), optionally after one
 * space (SQLite/Sequelize "2026-01-02 03:04:05.678 +00:00", PostgreSQL
 * "2026-01-02 03:04:05.678+00", ISO "2026-01-02T03:04:05.678Z"); no offset means UTC.
 * Years 0001-9999, real calendar dates, hours 00-23, no leap seconds.  Returns false
 * (leaving *ms alone) for anything else. */
bool rel_datetime_parse(const char *s, size_t n, int64_t *ms);

/* The day of the last date a reader parsed: most dates read together (a
 * column of a result's rows) fall on a few days, and a day costs more to
 * read than a time. Zeroed: empty. */
typedef struct rel_day_memo {
    uint64_t ymd;  /* "YYYY-MM-" and "DD" as the parser loads them */
    unsigned dd;
    bool set;
    int64_t days;  /* since 1970-01-01 */
} rel_day_memo;

/* rel_datetime_parse, with the day taken from or kept in memo (one reader's,
 * never shared between threads) for the shapes the engines return. */
bool rel_datetime_parse_memo(const char *s, size_t n, int64_t *ms, rel_day_memo *memo);

/* Writes ms as JavaScript's Date.prototype.toISOString() does,
 * "2026-01-02T03:04:05.678Z"; years outside 0000-9999 take the expanded form
 * "+010000-01-01T00:00:00.000Z" / "-000001-...". */
void rel_datetime_iso(int64_t ms, char out[32]);

/* Splits ms into whole days since 1970-01-01 (rounded down, so times before
 * 1970 still count forward from their day's midnight) and the ms into that day. */
static inline void rel_datetime_split(int64_t ms, int64_t *day, int32_t *ms_of_day)
{
    int64_t d = ms / REL_MS_PER_DAY, rem = ms % REL_MS_PER_DAY;
    if (rem < 0) {
        rem += REL_MS_PER_DAY;
        d--;
    }
    *day = d;
    *ms_of_day = (int32_t)rem;
}

/* Room for the longest rel_datetime_iso_day text: a day from an int64 ms
 * reaches year 292278994, "+292278994-08-17T" (17 bytes). */
#define REL_ISO_DAY_MAX 24

/* The date part of rel_datetime_iso for a day of rel_datetime_split, with its
 * 'T': "2026-01-02T" (expanded years as rel_datetime_iso). Not NUL-terminated;
 * returns the length. The date part changes once a day, so a writer of many
 * dates keeps it and formats only the time (rel_datetime_iso_time). */
size_t rel_datetime_iso_day(int64_t day, char out[REL_ISO_DAY_MAX]);

/* The time part of rel_datetime_iso for ms_of_day (0 to 86399999):
 * "03:04:05.678Z", 13 bytes at p, no NUL; returns the end. */
static inline char *rel_datetime_iso_time(char *p, int32_t ms_of_day)
{
    uint32_t t = (uint32_t)ms_of_day;
    uint32_t secs = t / 1000, milli = t % 1000;
    uint32_t hour = secs / 3600, rest = secs % 3600;
    p = rel_put_2digits(p, hour);
    *p++ = ':';
    p = rel_put_2digits(p, rest / 60);
    *p++ = ':';
    p = rel_put_2digits(p, rest % 60);
    *p++ = '.';
    *p++ = (char)('0' + milli / 100);
    p = rel_put_2digits(p, milli % 100);
    *p++ = 'Z';
    return p;
}

/* Writes ms the way Sequelize stores DATE in SQLite: "2026-01-02 03:04:05.678 +00:00". */
void rel_datetime_sqlite(int64_t ms, char out[40]);

/* Whether the n bytes at s are exactly "YYYY-MM-DD", a real date in years 0001-9999. */
bool rel_dateonly_valid(const char *s, size_t n);

/* The current time in ms since the epoch (CLOCK_REALTIME); 0 if the clock fails. */
int64_t rel_now_ms(void);

#endif
