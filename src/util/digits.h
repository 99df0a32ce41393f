/* Internal: decimal digits written two at a time from a table, for the writers
 * that format many numbers (JSON results, dates). Inline: they run per value. */
#ifndef REL_UTIL_DIGITS_H
#define REL_UTIL_DIGITS_H

#include <stdint.h>
#include <string.h>

/* "00" "01" ... "99" back to back. */
extern const char rel_digit_pairs[201];

/* v (0-99) as exactly two digits at p; returns the end. */
static inline char *rel_put_2digits(char *p, unsigned v)
{
    memcpy(p, rel_digit_pairs + 2 * v, 2);
    return p + 2;
}

/* The longest decimal int64: "-9223372036854775808". */
#define REL_INT_TEXT_MAX 20

/* v in decimal, every digit kept. Writes REL_INT_TEXT_MAX bytes at p (one fixed
 * copy, so no digit count is needed first); the text ends at the returned
 * pointer and the bytes after it are scratch. */
static inline char *rel_put_int(char *p, int64_t v)
{
    char tmp[2 * REL_INT_TEXT_MAX] = { 0 };
    char *q = tmp + REL_INT_TEXT_MAX;
    /* Negate in unsigned so INT64_MIN works. */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    while (u >= UINT64_C(1) << 32) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        q -= 2;
        rel_put_2digits(q, r);
    }
    /* The rest in 32 bits, where dividing by 100 is cheaper. */
    uint32_t w = (uint32_t)u;
    while (w >= 100) {
        unsigned r = w % 100;
        w /= 100;
        q -= 2;
        rel_put_2digits(q, r);
    }
    if (w >= 10) {
        q -= 2;
        rel_put_2digits(q, w);
    } else {
        *--q = (char)('0' + w);
    }
    if (v < 0)
        *--q = '-';
    memcpy(p, q, REL_INT_TEXT_MAX);
    return p + (tmp + REL_INT_TEXT_MAX - q);
}

#endif
