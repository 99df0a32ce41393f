/* Sequelize's `where` as JSON, compiled to SQL with bound parameters.
 *
 *   {"name":"Ann"}                      "name" = ?
 *   {"name":null}  {"name":["a","b"]}   IS NULL, IN (one array parameter)
 *   {"age":{"gt":30,"lte":60}}          "age" > ? AND "age" <= ?
 *   {"or":[{"a":1},{"b":2}]}  {"not":{"a":1}}  {"and":{...}}
 *
 * Operators (Sequelize's Op names without the prefix): eq ne gt gte lt lte in
 * notIn like notLike between notBetween is not and or. Attributes are model
 * attribute names, written as columns of `alias`; values are converted to the
 * attribute's type. `in` with an empty list is false, `notIn` with an empty
 * list is no condition (as Sequelize). */
#ifndef REL_SQL_WHERE_H
#define REL_SQL_WHERE_H

#include <jansson.h>
#include <stdbool.h>

#include "relate.h"
#include "schema/schema.h"
#include "sql/sql.h"

/* Parses where JSON text. NULL or "" gives *out = NULL (no condition).
 * Malformed JSON: REL_PARSE with jansson's position. *out is a new reference. */
rel_status rel_where_parse(const char *json, json_t **out, rel_error *err);

/* Appends `prefix` (e.g. " WHERE " or " AND ") followed by the condition of
 * `where` (an object, or NULL) on model m under table alias `alias` (NULL:
 * bare columns). Appends nothing when where has no condition; *wrote (may be
 * NULL) says which. `where` is borrowed; parameter values are copied into q.
 * Unknown attribute or operator, or a value that does not fit: REL_INVALID
 * naming it. On error q's text is left as it was. */
rel_status rel_where_append_json(rel_sql *q, const rel_model *m, const char *alias,
                                 const json_t *where, const char *prefix, bool *wrote,
                                 rel_error *err);

/* As rel_where_append_json, from JSON text (NULL or "": nothing). */
rel_status rel_where_append(rel_sql *q, const rel_model *m, const char *alias,
                            const char *where, const char *prefix, bool *wrote,
                            rel_error *err);

/* Copies a text or blob value into q's memory so it lives as long as the
 * statement, then binds it (rel_sql_param). For values whose memory the
 * caller does not keep until the statement has run. */
void rel_sql_param_copy(rel_sql *q, rel_type type, rel_value v);

/* A parsed JSON scalar as a rel_value (string: borrowed from j; true/false:
 * 1/0). False for arrays and objects. */
bool rel_json_to_value(const json_t *j, rel_value *out);

#endif
