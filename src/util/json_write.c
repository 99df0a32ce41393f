/* JSON.stringify-exact scalars: see json_write.h. */
#include "util/json_write.h"

#include "util/digits.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings ---------------------------------------------------------------- */

/* Length of the UTF-8 sequence at p (n > 0 bytes left).  *ok says whether it is
 * well formed; when not, the length is that of its maximal ill-formed subpart
 * (Unicode 3.9, "U+FFFD substitution of maximal subparts"), which is what the WHATWG
 * decoder behind JavaScript's UTF-8 decoding replaces with one U+FFFD. */
static size_t rel_utf8_seq(const unsigned char *p, size_t n, bool *ok)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t need;

    *ok = false;
    if (c < 0x80) {
        *ok = true;
        return 1;
    }
    if (c < 0xC2 || c > 0xF4)
        return 1;
    if (c < 0xE0) {
        need = 1;
    } else if (c < 0xF0) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else {
        need = 3;
        if (c == 0xF0)
            lo = 0x90; /* no overlongs */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi)
            return i;
        lo = 0x80;
        hi = 0xBF;
    }
    *ok = true;
    return need + 1;
}

/* The escape JSON.stringify writes for byte c, or NULL when c is written raw. */
static const char *rel_json_escape(unsigned char c, char tmp[7])
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
    }
    if (c >= 0x20)
        return NULL;
    memcpy(tmp, "\\u00", 4);
    tmp[4] = hex[c >> 4];
    tmp[5] = hex[c & 15];
    tmp[6] = '\0';
    return tmp;
}

/* 1 for the bytes rel_json_word_special flags: below 0x20, '"', '\\', 0x80 up. */
static const unsigned char rel_json_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x80 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

bool rel_json_string(rel_buf *b, const char *s, size_t n)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *u = (const unsigned char *)s;
    size_t run = 0; /* start of the bytes not yet copied */
    size_t i = 0;
    char tmp[7];

    /* Most strings need no escaping: reserve for the common case up front. */
    if (n < SIZE_MAX - 2)
        rel_buf_reserve(b, n + 2);
    rel_buf_putc(b, '"');
    while (i < n) {
        while (i < n && !rel_json_special[u[i]])
            i++;
        if (i == n)
            break;
        unsigned char c = u[i];
        if (c >= 0x80) {
            bool ok;
            size_t len = rel_utf8_seq(u + i, n - i, &ok);
            if (ok) {
                i += len;
                continue;
            }
            rel_buf_put(b, s + run, i - run);
            rel_buf_put(b, replacement, 3);
            i += len;
            run = i;
            continue;
        }
        rel_buf_put(b, s + run, i - run);
        rel_buf_puts(b, rel_json_escape(c, tmp));
        i++;
        run = i;
    }
    if (i > run)
        rel_buf_put(b, s + run, i - run);
    rel_buf_putc(b, '"');
    return !b->oom;
}

/* ---- integers --------------------------------------------------------------- */

bool rel_json_int(rel_buf *b, int64_t v)
{
    if (!rel_buf_reserve(b, REL_INT_TEXT_MAX))
        return false;
    char *end = rel_put_int(b->data + b->len, v);
    b->len = (size_t)(end - b->data);
    *end = '\0';
    return true;
}

/* ---- doubles ---------------------------------------------------------------- */

/* A decimal d[0] d[1] ... d[k-1] x 10^(exp10 - k + 1): k significant digits, the
 * first one non-zero, its place value 10^exp10. */
typedef struct rel_decimal {
    char d[20];
    int k;
    int exp10;
} rel_decimal;

/* The double nearest to x.  Written without a radix character so the C locale's
 * decimal point (which strtod honours) never matters. */
static double rel_decimal_value(const rel_decimal *x)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.*se%d", x->k, x->d, x->exp10 - x->k + 1);
    return strtod(tmp, NULL);
}

/* v (finite, > 0) correctly rounded to k significant digits, via printf, which is
 * exact in glibc (ties to even, as ECMAScript asks).  The radix character printf
 * writes depends on the locale, so only the digits and the exponent are read. */
static void rel_decimal_round(double v, int k, rel_decimal *x)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.*e", k - 1, v);
    const char *p = tmp;
    x->k = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && x->k < k)
            x->d[x->k++] = *p;
    x->d[x->k] = '\0';
    x->exp10 = *p == 'e' ? atoi(p + 1) : 0;
}

/* The next k-digit decimal above (up) or below x. */
static void rel_decimal_step(rel_decimal *x, bool up)
{
    int i = x->k - 1;
    if (up) {
        while (i >= 0 && x->d[i] == '9')
            x->d[i--] = '0';
        if (i >= 0) {
            x->d[i]++;
        } else { /* 99..9 -> 100..0 one place higher */
            x->d[0] = '1';
            x->exp10++;
        }
    } else {
        while (i >= 0 && x->d[i] == '0')
            x->d[i--] = '9';
        x->d[i]--; /* i >= 0: the first digit is non-zero */
        if (x->d[0] == '0') { /* 100..0 -> 99..9 one place lower */
            memset(x->d, '9', (size_t)x->k);
            x->exp10--;
        }
    }
}

/* The k-digit decimal that reads back as v, if there is one: the correctly rounded
 * one, else its neighbour on v's other side (which can still read back as v where
 * the gap to the next double differs below and above, at powers of two).  Of two
 * candidates the nearer wins, as ECMAScript asks. */
static bool rel_decimal_try(double v, int k, rel_decimal *x)
{
    rel_decimal_round(v, k, x);
    double r = rel_decimal_value(x);
    if (r == v)
        return true;
    rel_decimal_step(x, r < v);
    return rel_decimal_value(x) == v;
}

/* The shortest decimal that reads back as v (finite, > 0), trailing zeros dropped. */
static void rel_decimal_shortest(double v, rel_decimal *x)
{
    if (v >= DBL_MIN) {
        /* Every decimal of up to DBL_DIG (15) digits survives a trip through a normal
         * double, so if the shortest has at most 15 digits, rounding v to 15 digits
         * gives exactly it padded with zeros.  Otherwise it has 16 or 17. */
        rel_decimal_round(v, 15, x);
        if (rel_decimal_value(x) != v && !rel_decimal_try(v, 16, x))
            rel_decimal_round(v, 17, x);
    } else {
        /* Subnormals carry fewer bits, so search from one digit up. */
        for (int k = 1; k < 17; k++)
            if (rel_decimal_try(v, k, x))
                goto strip;
        rel_decimal_round(v, 17, x);
    }
strip:
    while (x->k > 1 && x->d[x->k - 1] == '0')
        x->k--;
    x->d[x->k] = '\0';
}

static void rel_put_zeros(rel_buf *b, int count)
{
    for (; count > 0; count--)
        rel_buf_putc(b, '0');
}

bool rel_json_double(rel_buf *b, double v)
{
    if (isnan(v) || isinf(v))
        return rel_buf_put(b, "null", 4);
    if (v == 0) /* and -0 */
        return rel_buf_putc(b, '0');
    /* Integers below 2^53 are exact and JS writes all their digits: skip the search. */
    if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v)
        return rel_json_int(b, (int64_t)v);
    if (v < 0)
        rel_buf_putc(b, '-');

    rel_decimal x;
    rel_decimal_shortest(fabs(v), &x);

    /* ECMAScript Number::toString with s = the digits, k their count and n the
     * decimal point's position: v = 0.s x 10^n. */
    int k = x.k, n = x.exp10 + 1;
    if (k <= n && n <= 21) {
        rel_buf_put(b, x.d, (size_t)k);
        rel_put_zeros(b, n - k);
    } else if (0 < n && n <= 21) {
        rel_buf_put(b, x.d, (size_t)n);
        rel_buf_putc(b, '.');
        rel_buf_put(b, x.d + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        rel_buf_put(b, "0.", 2);
        rel_put_zeros(b, -n);
        rel_buf_put(b, x.d, (size_t)k);
    } else {
        rel_buf_putc(b, x.d[0]);
        if (k > 1) {
            rel_buf_putc(b, '.');
            rel_buf_put(b, x.d + 1, (size_t)(k - 1));
        }
        rel_buf_printf(b, "e%c%d", n - 1 > 0 ? '+' : '-', abs(n - 1));
    }
    return !b->oom;
}
