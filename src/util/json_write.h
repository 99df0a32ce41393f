/* Internal: pieces of JSON written exactly as JavaScript's JSON.stringify writes
 * them, so relate's output matches Sequelize's byte for byte.  Each appends to b and
 * returns false when out of memory (b->oom is then set).  Thread-safe, locale-free.
 */
#ifndef REL_UTIL_JSON_WRITE_H
#define REL_UTIL_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"

/* The n bytes at s (UTF-8, may hold NULs) as a quoted JSON string: \" \\ \b \f \n
 * \r \t, other bytes below 0x20 as \u00xx, everything else raw.  Invalid UTF-8 is
 * replaced by U+FFFD per maximal ill-formed subsequence, as a JavaScript string
 * decoded from those bytes (TextDecoder, Buffer.toString) would hold it. */
bool rel_json_string(rel_buf *b, const char *s, size_t n);

/* One 8-byte word's worth of "some byte needs more than a raw copy inside a
 * JSON string": below 0x20, '"', '\\' or at or above 0x80 (UTF-8, which
 * rel_json_string checks). Exact as a yes/no answer: a borrow can only spread
 * upward from a byte that is itself flagged. */
static inline uint64_t rel_json_word_special(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t high = UINT64_C(0x8080808080808080);
    return (w | (w - 0x20 * ones) | ((w ^ ('"' * ones)) - ones) |
            ((w ^ ('\\' * ones)) - ones)) & high;
}

/* Copies the n bytes at s to p when they are printable ASCII without '"' and
 * '\\' (so the JSON string is them between quotes) and says so; otherwise
 * returns false, with p's n bytes garbage. Eight bytes at a time: the short
 * texts of a result cost a few word operations, not a call per byte. */
static inline bool rel_json_copy_plain(char *p, const char *s, size_t n)
{
    uint64_t w, special = 0;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            memcpy(&w, s + i, 8);
            special |= rel_json_word_special(w);
            memcpy(p + i, &w, 8);
        }
        /* The last 8 bytes, overlapping the previous word if n is not a
         * multiple of 8. */
        memcpy(&w, s + n - 8, 8);
        special |= rel_json_word_special(w);
        memcpy(p + n - 8, &w, 8);
    } else if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        special = rel_json_word_special((uint64_t)lo | (uint64_t)hi << 32);
        memcpy(p, &lo, 4);
        memcpy(p + n - 4, &hi, 4);
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
                return false;
            p[i] = (char)c;
        }
    }
    return special == 0;
}

/* v in decimal, every digit kept. */
bool rel_json_int(rel_buf *b, int64_t v);

/* d as JavaScript's Number.prototype.toString writes it: the shortest decimal that
 * reads back as d, "1e+21" and "1e-7" style exponents outside [1e-7, 1e21), no
 * ".0" on integers, -0 as "0", and NaN/±Infinity as null. */
bool rel_json_double(rel_buf *b, double d);

#endif
