/* Reading JSON input: kind names for messages and located parse errors. */
#include "util/json_read.h"

#include "util/error.h"

const char *rel_json_kind_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

rel_status rel_json_load_clause(const char *clause, const char *text, json_t **out,
                                rel_error *err)
{
    json_error_t je;
    *out = json_loads(text, JSON_DECODE_ANY, &je);
    if (*out)
        return REL_OK;
    rel_status st = rel_err(err, REL_PARSE, "%s: invalid JSON at line %d, column %d: %s", clause,
                            je.line, je.column, je.text);
    if (err) {
        err->line = je.line;
        err->column = je.column;
    }
    return st;
}
