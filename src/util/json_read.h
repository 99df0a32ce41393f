/* Internal: reading JSON input with jansson the same way everywhere: how a
 * value's kind is named in messages, and loading a clause's text so that
 * the error says where the text is broken. */
#ifndef REL_UTIL_JSON_READ_H
#define REL_UTIL_JSON_READ_H

#include <jansson.h>

#include "relate.h"

/* "an object", "an array", "a string", "a number", "a boolean" or "null":
 * what a message says was given instead of what was wanted. */
const char *rel_json_kind_name(const json_t *j);

/* Loads text (any JSON value) given for a clause such as "where" or
 * "order"; the caller owns *out. When it is not JSON: REL_PARSE with
 * "CLAUSE: invalid JSON at line L, column C: WHY", and err's line and column
 * set to the place. */
rel_status rel_json_load_clause(const char *clause, const char *text, json_t **out,
                                rel_error *err);

#endif
