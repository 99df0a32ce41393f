/* UTC date arithmetic: see datetime.h.  The calendar conversions are Howard
 * Hinnant's days_from_civil / civil_from_days, exact over the whole int64 range we
 * use, so no timegm/mktime (which read TZ and are not in C11). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include "util/datetime.h"

#include <string.h>
#include <time.h>

#include "util/digits.h"

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1-12, d 1-31). */
static int64_t rel_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                          /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* The date of day z since 1970-01-01. */
static void rel_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool rel_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int rel_days_in_month(int64_t y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && rel_is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly count digits at s[*i] into *out, advancing *i. */
static bool rel_digits(const char *s, size_t n, size_t *i, int count, int *out)
{
    if (n - *i < (size_t)count)
        return false;
    int v = 0;
    for (int k = 0; k < count; k++) {
        char c = s[*i + (size_t)k];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *i += (size_t)count;
    *out = v;
    return true;
}

static bool rel_lit(const char *s, size_t n, size_t *i, char c)
{
    if (*i < n && s[*i] == c) {
        (*i)++;
        return true;
    }
    return false;
}

/* "YYYY-MM-DD" at s[*i]: a real date, years 0001-9999. */
static bool rel_parse_date(const char *s, size_t n, size_t *i, int64_t *days)
{
    int y, m, d;
    if (!rel_digits(s, n, i, 4, &y) || !rel_lit(s, n, i, '-') ||
        !rel_digits(s, n, i, 2, &m) || !rel_lit(s, n, i, '-') ||
        !rel_digits(s, n, i, 2, &d))
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > rel_days_in_month(y, m))
        return false;
    *days = rel_days_from_civil(y, m, d);
    return true;
}

/* The UTC offset at s[*i], in seconds east of UTC: Z, or [ ]{+|-}hh[:mm[:ss]]
 * (PostgreSQL writes seconds for historic local-mean-time offsets). */
static bool rel_parse_offset(const char *s, size_t n, size_t *i, int64_t *secs)
{
    if (rel_lit(s, n, i, 'Z')) {
        *secs = 0;
        return true;
    }
    rel_lit(s, n, i, ' ');
    int sign;
    if (rel_lit(s, n, i, '+'))
        sign = 1;
    else if (rel_lit(s, n, i, '-'))
        sign = -1;
    else
        return false;
    int hh, mm = 0, ss = 0;
    if (!rel_digits(s, n, i, 2, &hh) || hh > 23)
        return false;
    if (rel_lit(s, n, i, ':')) {
        if (!rel_digits(s, n, i, 2, &mm) || mm > 59)
            return false;
        if (rel_lit(s, n, i, ':') && (!rel_digits(s, n, i, 2, &ss) || ss > 59))
            return false;
    }
    *secs = sign * (int64_t)(hh * 3600 + mm * 60 + ss);
    return true;
}

/* The two digits at p as a number, or -1. */
static inline int rel_d2(const char *p)
{
    unsigned a = (unsigned)(unsigned char)p[0] - '0', b = (unsigned)(unsigned char)p[1] - '0';
    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/* The 8 bytes at p as a number, p[0] lowest (one load on a little-endian
 * machine: compilers see the pattern). */
static inline uint64_t rel_load8(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 | (uint64_t)u[3] << 24 |
           (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
           (uint64_t)u[7] << 56;
}

/* "hh:mm:ss" as rel_load8 reads it, as seconds into the day; -1 when it is
 * not that shape or out of range. All six digits at once: a byte is a digit
 * when its high nibble is 3 before and after adding 6. */
static inline int32_t rel_hms8(uint64_t v)
{
    const uint64_t high = UINT64_C(0xF0F000F0F000F0F0); /* the digits' high nibbles */
    const uint64_t zeros = UINT64_C(0x3030003030003030); /* '0' at every digit */
    if ((v & high) != zeros || ((v + UINT64_C(0x0606000606000606)) & high) != zeros ||
        (v & UINT64_C(0x0000FF0000FF0000)) != UINT64_C(0x00003A00003A0000))
        return -1;
    uint64_t x = (v - zeros) & UINT64_C(0xFFFF00FFFF00FFFF); /* digit values, ':' gone */
    uint64_t pairs = x * 10 + (x >> 8); /* byte k: 10 * digit k + digit k+1, no carries */
    int32_t hh = (int32_t)(pairs & 0xFF), mi = (int32_t)((pairs >> 24) & 0xFF),
            ss = (int32_t)((pairs >> 48) & 0xFF);
    if (hh > 23 || mi > 59 || ss > 59)
        return -1;
    return hh * 3600 + mi * 60 + ss;
}

/* The shapes the engines hand back for relate's own columns, read at fixed
 * offsets: "YYYY-MM-DD HH:MM:SS[.f] +00:00" (SQLite, as Sequelize writes it)
 * and "YYYY-MM-DD HH:MM:SS[.f]+00" (PostgreSQL in UTC, which drops trailing
 * zeros of f), f 1 to 6 digits. The day comes from memo when it is the one
 * read there last. Returns false for anything else, which the general
 * parser reads (it accepts all of these too, with the same value). */
static bool rel_datetime_parse_utc(const char *s, size_t n, int64_t *ms, rel_day_memo *memo)
{
    size_t end; /* where the offset starts: at least 19 */
    if (n >= 26 && memcmp(s + n - 7, " +00:00", 7) == 0)
        end = n - 7;
    else if (n >= 22 && s[n - 3] == '+' && s[n - 2] == '0' && s[n - 1] == '0')
        end = n - 3;
    else
        return false;
    int32_t secs = rel_hms8(rel_load8(s + 11));
    if (secs < 0 || s[10] != ' ')
        return false;
    int frac = 0;
    if (end == 23 && s[19] == '.') {
        int f2 = rel_d2(s + 20);
        unsigned f3 = (unsigned)(unsigned char)s[22] - '0';
        if (f2 < 0 || f3 > 9)
            return false;
        frac = f2 * 10 + (int)f3;
    } else if (end != 19) {
        size_t digits = end - 20;
        if (s[19] != '.' || digits < 1 || digits > 6)
            return false;
        for (size_t k = 0; k < digits; k++) {
            unsigned c = (unsigned)(unsigned char)s[20 + k] - '0';
            if (c > 9)
                return false;
            if (k < 3)
                frac = frac * 10 + (int)c;
        }
        for (size_t k = digits; k < 3; k++)
            frac *= 10;
    }
    /* "YYYY-MM-DD" as two numbers: the day's key in memo. */
    uint64_t ymd = rel_load8(s);
    unsigned dd = (unsigned)(unsigned char)s[8] | (unsigned)(unsigned char)s[9] << 8;
    int64_t days;
    if (memo && memo->set && memo->ymd == ymd && memo->dd == dd) {
        days = memo->days;
    } else {
        if (s[4] != '-' || s[7] != '-')
            return false;
        int c = rel_d2(s), yy = rel_d2(s + 2), mo = rel_d2(s + 5), day = rel_d2(s + 8);
        if ((c | yy | mo | day) < 0)
            return false;
        int y = c * 100 + yy;
        if (y < 1 || mo < 1 || mo > 12 || day < 1 ||
            (day > 28 && day > rel_days_in_month(y, mo)))
            return false;
        days = rel_days_from_civil(y, mo, day);
        if (memo) {
            memo->ymd = ymd;
            memo->dd = dd;
            memo->days = days;
            memo->set = true;
        }
    }
    *ms = days * REL_MS_PER_DAY + (int64_t)secs * 1000 + frac;
    return true;
}

/* The general parser stays out of line, so that the fast path above needs
 * few registers saved. */
#if defined(__GNUC__)
#define REL_DT_COLD __attribute__((noinline))
#else
#define REL_DT_COLD
#endif

/* Every shape rel_datetime_parse accepts, the slow way. */
static REL_DT_COLD bool rel_datetime_parse_any(const char *s, size_t n, int64_t *ms)
{
    size_t i = 0;
    int64_t days;
    if (!s || !rel_parse_date(s, n, &i, &days))
        return false;
    if (i == n) {
        *ms = days * REL_MS_PER_DAY;
        return true;
    }

    int hh, mi, ss, frac = 0;
    if (!(rel_lit(s, n, &i, 'T') || rel_lit(s, n, &i, ' ')))
        return false;
    if (!rel_digits(s, n, &i, 2, &hh) || !rel_lit(s, n, &i, ':') ||
        !rel_digits(s, n, &i, 2, &mi) || !rel_lit(s, n, &i, ':') ||
        !rel_digits(s, n, &i, 2, &ss))
        return false;
    if (hh > 23 || mi > 59 || ss > 59)
        return false;

    if (rel_lit(s, n, &i, '.')) {
        int digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (++digits > 6)
                return false;
            if (digits <= 3)
                frac = frac * 10 + (s[i] - '0');
            i++;
        }
        if (digits == 0)
            return false;
        for (; digits < 3; digits++)
            frac *= 10;
    }

    int64_t offset = 0;
    if (i < n && !rel_parse_offset(s, n, &i, &offset))
        return false;
    if (i != n)
        return false;

    int64_t secs = (int64_t)hh * 3600 + mi * 60 + ss - offset;
    *ms = days * REL_MS_PER_DAY + secs * 1000 + frac;
    return true;
}

bool rel_datetime_parse_memo(const char *s, size_t n, int64_t *ms, rel_day_memo *memo)
{
    return s && (rel_datetime_parse_utc(s, n, ms, memo) || rel_datetime_parse_any(s, n, ms));
}

bool rel_datetime_parse(const char *s, size_t n, int64_t *ms)
{
    return rel_datetime_parse_memo(s, n, ms, NULL);
}

bool rel_dateonly_valid(const char *s, size_t n)
{
    size_t i = 0;
    int64_t days;
    return s && n == 10 && rel_parse_date(s, n, &i, &days);
}

/* "YYYY-MM-DD" and sep for day z since 1970-01-01; returns the end. Years
 * outside 0000-9999 take a sign and at least 6 digits (JavaScript's expanded
 * years) when js_years, else at least 4. */
static char *rel_put_day(char *p, int64_t z, char sep, bool js_years)
{
    int64_t y;
    int m, d;
    rel_civil_from_days(z, &y, &m, &d);
    if (y >= 0 && y <= 9999) {
        p = rel_put_2digits(p, (unsigned)(y / 100));
        p = rel_put_2digits(p, (unsigned)(y % 100));
    } else {
        uint64_t uy = y < 0 ? 0 - (uint64_t)y : (uint64_t)y;
        *p++ = y < 0 ? '-' : '+';
        int width = js_years ? 6 : 4;
        uint64_t limit = js_years ? 1000000u : 10000u;
        for (uint64_t t = uy; t >= limit; t /= 10)
            width++;
        for (int k = width - 1; k >= 0; k--) {
            p[k] = (char)('0' + uy % 10);
            uy /= 10;
        }
        p += width;
    }
    *p++ = '-';
    p = rel_put_2digits(p, (unsigned)m);
    *p++ = '-';
    p = rel_put_2digits(p, (unsigned)d);
    *p++ = sep;
    return p;
}

size_t rel_datetime_iso_day(int64_t day, char out[REL_ISO_DAY_MAX])
{
    return (size_t)(rel_put_day(out, day, 'T', true) - out);
}

void rel_datetime_iso(int64_t ms, char out[32])
{
    int64_t day;
    int32_t tod;
    rel_datetime_split(ms, &day, &tod);
    char *p = rel_put_day(out, day, 'T', true);
    p = rel_datetime_iso_time(p, tod);
    *p = '\0';
}

void rel_datetime_sqlite(int64_t ms, char out[40])
{
    int64_t day;
    int32_t tod;
    rel_datetime_split(ms, &day, &tod);
    char *p = rel_put_day(out, day, ' ', false);
    p = rel_datetime_iso_time(p, tod) - 1; /* the time without the Z */
    static const char tail[] = " +00:00";
    memcpy(p, tail, sizeof tail);
}

int64_t rel_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
