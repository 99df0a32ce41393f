/* Internal: pieces of JSON written exactly as JavaScript's JSON.stringify writes
 * them, so relate's output matches Sequelize's byte for byte.  Each appends to b and
 * returns false when out of memory (b->oom is then set).  Thread-safe, locale-free.
 */
#ifndef REL_UTIL_JSON_WRITE_H
#define REL_UTIL_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* The n bytes at s (UTF-8, may hold NULs) as a quoted JSON string: \" \\ \b \f \n
 * \r \t, other bytes below 0x20 as \u00xx, everything else raw.  Invalid UTF-8 is
 * replaced by U+FFFD per maximal ill-formed subsequence, as a JavaScript string
 * decoded from those bytes (TextDecoder, Buffer.toString) would hold it. */
bool rel_json_string(rel_buf *b, const char *s, size_t n);

/* v in decimal, every digit kept. */
bool rel_json_int(rel_buf *b, int64_t v);

/* d as JavaScript's Number.prototype.toString writes it: the shortest decimal that
 * reads back as d, "1e+21" and "1e-7" style exponents outside [1e-7, 1e21), no
 * ".0" on integers, -0 as "0", and NaN/±Infinity as null. */
bool rel_json_double(rel_buf *b, double d);

#endif
