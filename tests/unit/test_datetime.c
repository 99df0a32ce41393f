/* Unit tests for src/util/datetime.c.  Expected values come from node's Date;
 * gmtime_r serves as an independent oracle for the calendar arithmetic. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* gmtime_r, setenv */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/datetime.h"

static bool parse(const char *s, int64_t *ms)
{
    return rel_datetime_parse(s, strlen(s), ms);
}

static void expect_parse(const char *s, int64_t want)
{
    int64_t ms = INT64_MIN;
    if (!parse(s, &ms))
        fail_msg("rejected \"%s\"", s);
    if (ms != want)
        fail_msg("\"%s\": got %lld, want %lld", s, (long long)ms, (long long)want);
}

static void expect_reject(const char *s)
{
    int64_t ms = 42;
    if (parse(s, &ms))
        fail_msg("accepted \"%s\" as %lld", s, (long long)ms);
    assert_int_equal(ms, 42); /* untouched */
}

static void expect_iso(int64_t ms, const char *want)
{
    char out[32];
    rel_datetime_iso(ms, out);
    assert_string_equal(out, want);
}

static const int64_t T = INT64_C(1767323045678); /* 2026-01-02T03:04:05.678Z */

static void test_parse_forms(void **state)
{
    (void)state;
    expect_parse("2026-01-02 03:04:05.678 +00:00", T);          /* SQLite/Sequelize */
    expect_parse("2026-01-02 03:04:05.678+00", T);              /* PostgreSQL */
    expect_parse("2026-01-02 08:34:05.678+05:30", T);
    expect_parse("2026-01-01 19:04:05.678-08", T);
    expect_parse("2026-01-02T03:04:05.678Z", T);                /* ISO */
    expect_parse("2026-01-02T03:04:05Z", T - 678);
    expect_parse("2026-01-02T04:04:05.6789+01:00", T);          /* truncated to ms */
    expect_parse("2026-01-02T03:04:05.678999Z", T);
    expect_parse("2026-01-02T03:04:05.6Z", T - 78);
    expect_parse("2026-01-02T03:04:05.67Z", T - 8);
    expect_parse("2026-01-02T03:04:05.000001Z", T - 678);
    expect_parse("2026-01-02T03:04:05.678", T);                 /* no offset = UTC */
    expect_parse("2026-01-02 03:04:05", T - 678);
    expect_parse("2026-01-02", T - (3 * 3600 + 4 * 60 + 5) * 1000 - 678);
    expect_parse("2026-01-02 03:04:05.678 -00:00", T);
    expect_parse("2026-01-02 03:04:05.678 +00", T);
    expect_parse("2026-01-02 08:34:05.678 +05:30", T);
    expect_parse("2026-01-01 19:04:05.678-08:00:00", T);
    expect_parse("2026-01-02T03:04:05.678+00:00", T);
}

static void test_parse_values(void **state)
{
    (void)state;
    /* From node: Date.parse(...). */
    expect_parse("0001-01-01T00:00:00.000Z", INT64_C(-62135596800000));
    expect_parse("1969-12-31T23:59:59.999Z", -1);
    expect_parse("1970-01-01T00:00:00.000Z", 0);
    expect_parse("1970-01-01", 0);
    expect_parse("2000-02-29T12:00:00.000Z", INT64_C(951825600000));
    expect_parse("1900-03-01T00:00:00.000Z", INT64_C(-2203891200000));
    expect_parse("1600-02-29", INT64_C(-11670998400000));
    expect_parse("9999-12-31T23:59:59.999Z", INT64_C(253402300799999));
    expect_parse("2026-01-02T03:04:05.678+05:30", INT64_C(1767303245678));
    expect_parse("2026-01-02T03:04:05.678-08:00", INT64_C(1767351845678));
    /* An offset can carry the instant across the year 1 / 9999 edges. */
    expect_parse("0001-01-01T00:00:00+01", INT64_C(-62135596800000) - 3600000);
    expect_parse("9999-12-31T23:59:59.999-01", INT64_C(253402300799999) + 3600000);
    /* PostgreSQL's local-mean-time offsets have seconds. */
    expect_parse("1850-01-01 00:00:00+00:09:21", INT64_C(-3786825600000) - 561000);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "2026", "2026-01", "2026-1-02", "2026-01-2", "26-01-02", "+2026-01-02",
        "0000-01-01", "2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32",
        "2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026/01/02",
        "2026-01-02T", "2026-01-02 ", "2026-01-02X03:04:05", "2026-01-02T03:04",
        "2026-01-02T3:04:05", "2026-01-02T24:00:00", "2026-01-02T23:60:00",
        "2026-01-02T23:59:60", "2026-01-02T03:04:05.", "2026-01-02T03:04:05.1234567",
        "2026-01-02T03:04:05.678ZZ", "2026-01-02T03:04:05.678z", "2026-01-02t03:04:05",
        "2026-01-02T03:04:05 Z", "2026-01-02T03:04:05+", "2026-01-02T03:04:05+1",
        "2026-01-02T03:04:05+24", "2026-01-02T03:04:05+05:60", "2026-01-02T03:04:05+05:3",
        "2026-01-02T03:04:05+0530", "2026-01-02T03:04:05+05:30:", "2026-01-02T03:04:05  +00",
        "2026-01-02Z", "2026-01-02+00", " 2026-01-02", "2026-01-02T03:04:05.678 +00:00 ",
        "2026-01-02 03:04:05 BC", "infinity", "-infinity", "2026-01-02T03:04:05.6a",
        "2026-01-02T03:04:05-", "abcd-ef-gh",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_reject(bad[i]);

    /* Embedded NUL and a length that stops early. */
    int64_t ms;
    assert_false(rel_datetime_parse("2026-01-02\0", 11, &ms));
    assert_true(rel_datetime_parse("2026-01-02T03:04:05Zjunk", 20, &ms));
    assert_int_equal(ms, T - 678);
    assert_false(rel_datetime_parse("2026-01-02T03:04:05Z", 19 - 1, &ms));
    assert_false(rel_datetime_parse(NULL, 0, &ms));
}

static void test_iso_values(void **state)
{
    (void)state;
    expect_iso(0, "1970-01-01T00:00:00.000Z");
    expect_iso(-1, "1969-12-31T23:59:59.999Z");
    expect_iso(T, "2026-01-02T03:04:05.678Z");
    expect_iso(INT64_C(951825600000), "2000-02-29T12:00:00.000Z");
    expect_iso(INT64_C(-62135596800000), "0001-01-01T00:00:00.000Z");
    expect_iso(INT64_C(-62167219200000), "0000-01-01T00:00:00.000Z");
    expect_iso(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
    /* From node: new Date(ms).toISOString() outside 0000-9999. */
    expect_iso(INT64_C(-62198755200001), "-000002-12-31T23:59:59.999Z");
    expect_iso(INT64_C(253402300800000), "+010000-01-01T00:00:00.000Z");
    expect_iso(INT64_C(8640000000000000), "+275760-09-13T00:00:00.000Z");
    expect_iso(INT64_C(-8640000000000000), "-271821-04-20T00:00:00.000Z");
    /* Not JS dates, but must stay inside the buffer. */
    char out[32];
    rel_datetime_iso(INT64_MAX, out);
    assert_string_equal(out, "+292278994-08-17T07:12:55.807Z");
    rel_datetime_iso(INT64_MIN, out);
    assert_string_equal(out, "-292275055-05-16T16:47:04.192Z");
}

static void test_sqlite_values(void **state)
{
    (void)state;
    char out[40];
    rel_datetime_sqlite(T, out);
    assert_string_equal(out, "2026-01-02 03:04:05.678 +00:00");
    rel_datetime_sqlite(0, out);
    assert_string_equal(out, "1970-01-01 00:00:00.000 +00:00");
    rel_datetime_sqlite(-1, out);
    assert_string_equal(out, "1969-12-31 23:59:59.999 +00:00");
    rel_datetime_sqlite(INT64_MIN, out);
    assert_string_equal(out, "-292275055-05-16 16:47:04.192 +00:00");
    rel_datetime_sqlite(INT64_MAX, out);
    assert_string_equal(out, "+292278994-08-17 07:12:55.807 +00:00");
    /* Outside 0000-9999: a sign and at least 4 digits. */
    rel_datetime_sqlite(INT64_C(-62198755200001), out);
    assert_string_equal(out, "-0002-12-31 23:59:59.999 +00:00");
    rel_datetime_sqlite(INT64_C(-62167219200001), out);
    assert_string_equal(out, "-0001-12-31 23:59:59.999 +00:00");
    rel_datetime_sqlite(INT64_C(253402300800000), out);
    assert_string_equal(out, "+10000-01-01 00:00:00.000 +00:00");
    rel_datetime_sqlite(INT64_C(-8640000000000000), out);
    assert_string_equal(out, "-271821-04-20 00:00:00.000 +00:00");
}

/* rel_datetime_iso_day and rel_datetime_iso_time, on rel_datetime_split's
 * pieces, put together give rel_datetime_iso. */
static void check_pieces(int64_t ms)
{
    int64_t day;
    int32_t tod;
    rel_datetime_split(ms, &day, &tod);
    assert_true(tod >= 0 && tod < 86400000);
    /* day * 86400000 + tod == ms, in unsigned arithmetic (it can overflow
     * int64 at the very ends). */
    assert_true((uint64_t)day * UINT64_C(86400000) + (uint64_t)tod == (uint64_t)ms);
    char want[32], got[REL_ISO_DAY_MAX + 16];
    rel_datetime_iso(ms, want);
    size_t n = rel_datetime_iso_day(day, got);
    assert_true(n <= 17);
    assert_ptr_equal(rel_datetime_iso_time(got + n, tod), got + n + 13);
    got[n + 13] = '\0';
    assert_string_equal(got, want);
}

static void test_iso_pieces(void **state)
{
    (void)state;
    static const int64_t edge[] = {
        0, -1, 1, INT64_C(-86400000), INT64_C(-86400001), INT64_C(86399999), INT64_C(86400000),
        INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, INT64_C(-62198755200001),
        INT64_C(253402300799999), INT64_C(253402300800000), INT64_C(8640000000000000),
        INT64_C(-8640000000000000), T,
    };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        check_pieces(edge[i]);
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        check_pieces((int64_t)x);
        check_pieces((int64_t)(x % UINT64_C(600000000000000)) - INT64_C(300000000000000));
    }
    int64_t day;
    int32_t tod;
    rel_datetime_split(-1, &day, &tod);
    assert_int_equal(day, -1);
    assert_int_equal(tod, 86399999);
}

/* Every day from 0001-01-01 to 9999-12-31: both forms read back to the same instant,
 * and consecutive days step through the calendar one day at a time. */
static void test_every_day_round_trip(void **state)
{
    (void)state;
    int64_t first = INT64_C(-62135596800000), last = INT64_C(253402300799999);
    int64_t day = INT64_C(86400000);
    int prev_y = 0, prev_m = 12, prev_d = 31;
    for (int64_t ms = first; ms <= last; ms += day) {
        /* A varying time of day, so times are exercised too. */
        int64_t t = ms + (ms / day * INT64_C(7919001)) % day;
        if (t < ms)
            t += day;
        char iso[32], lite[40];
        int64_t back;
        rel_datetime_iso(t, iso);
        assert_true(rel_datetime_parse(iso, strlen(iso), &back));
        assert_int_equal(back, t);
        rel_datetime_sqlite(t, lite);
        assert_true(rel_datetime_parse(lite, strlen(lite), &back));
        assert_int_equal(back, t);
        assert_true(rel_dateonly_valid(iso, 10));

        int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
        bool next_day = y == prev_y && m == prev_m && d == prev_d + 1;
        bool next_month = y == prev_y && m == prev_m + 1 && d == 1;
        bool next_year = y == prev_y + 1 && m == 1 && d == 1 && prev_m == 12 && prev_d == 31;
        if (!(next_day || next_month || next_year))
            fail_msg("%s does not follow %04d-%02d-%02d", iso, prev_y, prev_m, prev_d);
        prev_y = y, prev_m = m, prev_d = d;
    }
    assert_int_equal(prev_y, 9999);
}

/* The fixed shapes the engines return are read by a fast path: it must agree
 * with the general parser and refuse what the general parser refuses. */
static void test_fixed_shapes(void **state)
{
    (void)state;
    expect_parse("2024-02-29 23:59:59.999 +00:00", INT64_C(1709251199999));
    expect_parse("2024-02-29 23:59:59.999+00", INT64_C(1709251199999));
    expect_parse("2024-02-29 23:59:59+00", INT64_C(1709251199000));
    expect_parse("0001-01-01 00:00:00.000 +00:00", INT64_C(-62135596800000));
    expect_parse("9999-12-31 23:59:59.999+00", INT64_C(253402300799999));
    expect_reject("2023-02-29 00:00:00.000 +00:00");
    expect_reject("2024-13-01 00:00:00.000 +00:00");
    expect_reject("2024-00-01 00:00:00.000+00");
    expect_reject("2024-01-00 00:00:00+00");
    expect_reject("0000-01-01 00:00:00.000 +00:00");
    expect_reject("2024-01-01 24:00:00.000 +00:00");
    expect_reject("2024-01-01 23:60:00.000+00");
    expect_reject("2024-01-01 23:59:60+00");
    expect_reject("2024-01-01 23:59:5x.000 +00:00");
    expect_reject("2024-01-01 23:59:59.0x0 +00:00");
    expect_reject("2024-0a-01 00:00:00.000+00");
    expect_reject("2024/01/01 00:00:00.000 +00:00");
    /* Same lengths, other offsets: the general parser applies them. */
    expect_parse("2024-01-01 01:00:00.000 +01:00", INT64_C(1704067200000));
    expect_parse("2024-01-01 01:00:00.000+01", INT64_C(1704067200000));
}

/* The fast path (with or without a day memo) against the general parser,
 * which reads the same text with 'T' for the space at 10 (the fast path
 * takes only the space): shapes of every fraction length and both offsets,
 * valid and mutated byte by byte, read through memos that already hold the
 * days of earlier dates. Accepted by one means accepted by the other, with
 * the same value; refused leaves *ms alone. */
static void test_memo_matches_general(void **state)
{
    (void)state;
    static const char *const tails[] = {"+00", " +00:00", "+01", " +00:30", "Z", "", "+0"};
    static const char mutate[] = "0123456789 -:.+Tx\0";
    rel_day_memo memos[4];
    memset(memos, 0, sizeof memos);
    uint64_t x = 88172645463325252u;
    long accepted = 0, refused = 0;
    for (int i = 0; i < 300000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        /* A few days only, so that memos hit; now and then any day. */
        int64_t day = (x & 0xF00) ? 20454 + (int64_t)(x % 3) : (int64_t)(x % 3000000) - 700000;
        int64_t ms = day * INT64_C(86400000) + (int64_t)((x >> 20) % INT64_C(86400000));
        char iso[32];
        rel_datetime_iso(ms, iso); /* "YYYY-MM-DDTHH:MM:SS.mmmZ" */
        if (iso[0] == '+' || iso[0] == '-')
            continue; /* outside 0000-9999 */
        char text[64];
        int fdigits = (int)((x >> 8) % 8); /* 0 (none) to 7 */
        memcpy(text, iso, 19);
        text[10] = ' ';
        size_t n = 19;
        if (fdigits) {
            text[n++] = '.';
            for (int k = 0; k < fdigits; k++)
                text[n++] = k < 3 ? iso[20 + k] : (char)('0' + (x >> (k * 3)) % 10);
        }
        const char *tail = tails[(x >> 40) % (sizeof tails / sizeof tails[0])];
        memcpy(text + n, tail, strlen(tail));
        n += strlen(tail);
        int nmut = (int)((x >> 50) % 4); /* most texts mutated once or not at all */
        for (int k = 0; k < nmut && (x >> 52) % 3 == 0; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            text[x % n] = mutate[(x >> 16) % (sizeof mutate - 1)];
        }
        char general[64];
        memcpy(general, text, n);
        int64_t want = 7, got = 7, got_memo = 7;
        bool ok_general = false;
        if (general[10] == ' ') {
            general[10] = 'T';
            ok_general = rel_datetime_parse(general, n, &want);
        } else {
            /* The space itself was mutated: no fast path; still the same. */
            ok_general = rel_datetime_parse(general, n, &want);
        }
        bool ok = rel_datetime_parse(text, n, &got);
        bool ok_memo = rel_datetime_parse_memo(text, n, &got_memo, &memos[(x >> 33) % 4]);
        if (ok != ok_general || ok_memo != ok_general || got != want || got_memo != want)
            fail_msg("\"%.*s\": general %d %lld, fast %d %lld, memo %d %lld", (int)n, text,
                     ok_general, (long long)want, ok, (long long)got, ok_memo,
                     (long long)got_memo);
        if (ok)
            accepted++;
        else
            refused++;
    }
    /* Both outcomes were well exercised. */
    assert_true(accepted > 50000 && refused > 50000);
}

/* gmtime_r as an independent oracle across leap years, 1970 and before. */
static void test_against_gmtime(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        int64_t span = INT64_C(253402300800000) + INT64_C(62135596800000);
        int64_t ms = (int64_t)(x % (uint64_t)span) - INT64_C(62135596800000);
        int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
        time_t tt = (time_t)secs;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[96], got[32];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                 tm.tm_sec, (int)(ms - secs * 1000));
        rel_datetime_iso(ms, got);
        assert_string_equal(got, want);
    }
}

static void test_boundaries(void **state)
{
    (void)state;
    /* Year ends, leap days and the epoch, each way. */
    static const char *const s[] = {
        "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00.000Z", "1999-12-31T23:59:59.999Z",
        "2000-01-01T00:00:00.000Z", "2000-02-28T23:59:59.999Z", "2000-02-29T00:00:00.000Z",
        "2000-03-01T00:00:00.000Z", "1900-02-28T23:59:59.999Z", "1900-03-01T00:00:00.000Z",
        "2024-02-29T12:34:56.789Z", "2100-03-01T00:00:00.000Z", "1600-02-29T00:00:00.000Z",
        "0004-02-29T00:00:00.000Z", "0400-02-29T00:00:00.000Z", "1582-10-04T00:00:00.000Z",
        "1582-10-15T00:00:00.000Z", "0001-12-31T23:59:59.999Z", "0002-01-01T00:00:00.000Z",
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        int64_t ms;
        char out[32];
        assert_true(parse(s[i], &ms));
        rel_datetime_iso(ms, out);
        assert_string_equal(out, s[i]);
    }
    int64_t a, b;
    assert_true(parse("1999-12-31T23:59:59.999Z", &a));
    assert_true(parse("2000-01-01", &b));
    assert_int_equal(b - a, 1);
    assert_true(parse("2000-02-28", &a));
    assert_true(parse("2000-03-01", &b));
    assert_int_equal(b - a, 2 * 86400000);
    assert_true(parse("2100-02-28", &a));
    assert_true(parse("2100-03-01", &b));
    assert_int_equal(b - a, 86400000);
}

static void test_dateonly(void **state)
{
    (void)state;
    static const char *const good[] = {
        "2026-01-02", "2000-02-29", "2024-02-29", "0001-01-01", "9999-12-31", "1970-01-01",
    };
    static const char *const bad[] = {
        "", "2026-1-02", "2026-01-02T00:00:00Z", "2026-01-02 ", "0000-01-01", "2026-02-29",
        "1900-02-29", "2026-13-01", "2026-04-31", "2026-01-00", "2026/01/02", "20260102",
        "2026-01-0a",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(rel_dateonly_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (rel_dateonly_valid(bad[i], strlen(bad[i])))
            fail_msg("accepted \"%s\"", bad[i]);
    assert_true(rel_dateonly_valid("2026-01-02xyz", 10));
    assert_false(rel_dateonly_valid("2026-01-02", 9));
    assert_false(rel_dateonly_valid(NULL, 10));
}

/* The process's TZ must not matter. */
static void test_tz_independent(void **state)
{
    (void)state;
    setenv("TZ", "America/Los_Angeles", 1);
    tzset();
    int64_t ms;
    char out[32];
    assert_true(parse("2026-07-01 12:00:00", &ms));
    rel_datetime_iso(ms, out);
    assert_string_equal(out, "2026-07-01T12:00:00.000Z");
    unsetenv("TZ");
    tzset();
}

static void test_now(void **state)
{
    (void)state;
    int64_t a = rel_now_ms();
    time_t t = time(NULL);
    int64_t b = rel_now_ms();
    assert_true(a <= b);
    assert_true(a / 1000 <= (int64_t)t + 1 && (int64_t)t <= b / 1000 + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_values),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_iso_values),
        cmocka_unit_test(test_sqlite_values),
        cmocka_unit_test(test_iso_pieces),
        cmocka_unit_test(test_every_day_round_trip),
        cmocka_unit_test(test_fixed_shapes),
        cmocka_unit_test(test_memo_matches_general),
        cmocka_unit_test(test_against_gmtime),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_dateonly),
        cmocka_unit_test(test_tz_independent),
        cmocka_unit_test(test_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
