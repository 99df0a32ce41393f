/* JSON text held by JSON attributes, and decimal numbers in text.
 *
 * A JSON attribute is stored as text; Sequelize hands the caller
 * JSON.parse(text), so its toJSON() output is JSON.stringify(JSON.parse(text)).
 * rel_json_text_emit reproduces that byte for byte without building a tree:
 * whitespace dropped, numbers re-printed as JavaScript prints doubles, strings
 * re-escaped, object keys de-duplicated (last value wins, first position kept)
 * and integer-like keys moved first in ascending order, as JavaScript objects
 * order them. */
#ifndef REL_QUERY_JSON_TEXT_H
#define REL_QUERY_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef enum rel_json_text_status {
    REL_JSON_TEXT_OK = 0,
    REL_JSON_TEXT_INVALID = 1, /* not JSON; b is left as it was */
    REL_JSON_TEXT_NOMEM = 2
} rel_json_text_status;

/* Appends JSON.stringify(JSON.parse(s[0..n))) to b. */
rel_json_text_status rel_json_text_emit(rel_buf *b, const char *s, size_t n);

/* Whether s[0..n) is one JSON value (surrounding whitespace allowed). */
bool rel_json_text_valid(const char *s, size_t n);

/* Parses a decimal number -?digits[.digits][(e|E)[+-]digits] (JSON's grammar,
 * plus a leading '+' and a missing integer part when allow_loose) into *out,
 * correctly rounded and independent of the C locale. False if s[0..n) is not
 * exactly such a number. */
bool rel_decimal_parse(const char *s, size_t n, bool allow_loose, double *out);

#endif
