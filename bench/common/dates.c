/* Timestamps by hand: see dates.h. Civil-date arithmetic after Howard
 * Hinnant's days_from_civil / civil_from_days. */
#include "dates.h"

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD?hh:mm:ss.fff" into p (23 bytes); years 0000-9999. */
static void put_stamp(char *p, int64_t ms, char sep)
{
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t rem = ms - days * 86400000;
    int y, mo, d;
    civil_from_days(days, &y, &mo, &d);
    put2(p, y / 100);
    put2(p + 2, y % 100);
    p[4] = '-';
    put2(p + 5, mo);
    p[7] = '-';
    put2(p + 8, d);
    p[10] = sep;
    int s = (int)(rem / 1000), f = (int)(rem % 1000);
    put2(p + 11, s / 3600);
    p[13] = ':';
    put2(p + 14, s / 60 % 60);
    p[16] = ':';
    put2(p + 17, s % 60);
    p[19] = '.';
    p[20] = (char)('0' + f / 100);
    put2(p + 21, f % 100);
}

void bench_date_sqlite(int64_t ms, char out[32])
{
    put_stamp(out, ms, ' ');
    const char tail[] = " +00:00";
    for (int i = 0; i < 8; i++)
        out[23 + i] = tail[i];
}

void bench_date_pg(int64_t ms, char out[32])
{
    put_stamp(out, ms, ' ');
    out[23] = '+';
    out[24] = '0';
    out[25] = '0';
    out[26] = '\0';
}

void bench_date_iso(int64_t ms, char out[24])
{
    put_stamp(out, ms, 'T');
    out[23] = 'Z';
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int bench_date_parse(const char *s, size_t n, int64_t *ms)
{
    if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 || se < 0)
        return -1;
    size_t i = 19;
    int frac = 0;
    if (i < n && s[i] == '.') {
        int k = 0;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
            if (k < 3)
                frac = frac * 10 + (s[i] - '0');
        for (; k < 3; k++)
            frac *= 10;
    }
    int off = 0;
    if (i < n && s[i] == ' ')
        i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        if (i + 3 > n || (off = digits(s + i + 1, 2)) < 0)
            return -1;
        off *= 60;
        i += 3;
        if (i < n && s[i] == ':') {
            int m = i + 3 <= n ? digits(s + i + 1, 2) : -1;
            if (m < 0)
                return -1;
            off += m;
            i += 3;
        }
        off *= sign;
    } else if (i < n && s[i] == 'Z') {
        i++;
    }
    if (i != n)
        return -1;
    *ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + frac -
          off * 60000LL;
    return 0;
}
