/* --include and --attributes JSON into rel_include trees and attribute lists
 * (see json_opts.h). Errors name the place in the JSON: "[0].include[1]". */
#include "io/json_opts.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/json_read.h"

/* Deeper include trees are refused: each level is a recursion here. */
#define REL_INCLUDE_MAX_DEPTH 32

/* out = printf(fmt, ...) cut to fit: these are only the names in messages. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void place(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    if (w < 0 && n)
        out[0] = '\0';
}

static rel_status parse_json(const char *text, json_t **out, rel_error *err)
{
    json_error_t jerr;
    *out = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!*out)
        return rel_err(err, REL_PARSE, "not valid JSON: %s at line %d, column %d", jerr.text,
                       jerr.line, jerr.column);
    return REL_OK;
}

/* A NULL-terminated copy of a JSON array of strings (an empty array gives
 * {NULL}: no attributes). `where` names it in messages. */
static rel_status string_list(const json_t *v, rel_arena *arena, const char *where,
                              const char *const **out, rel_error *err)
{
    if (!json_is_array(v))
        return rel_err(err, REL_INVALID, "%s must be an array of attribute names, not %s",
                       where, rel_json_kind_name(v));
    size_t n = json_array_size(v);
    const char **list = rel_arena_calloc(arena, n + 1, sizeof *list);
    if (!list)
        return rel_err_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(v, i);
        if (!json_is_string(item))
            return rel_err(err, REL_INVALID, "%s[%zu] must be an attribute name (a string), not "
                           "%s", where, i, rel_json_kind_name(item));
        list[i] = rel_arena_strdup(arena, json_string_value(item));
        if (!list[i])
            return rel_err_nomem(err);
    }
    *out = list;
    return REL_OK;
}

/* Whether name is one of the strings of the JSON array v. */
static bool listed(const json_t *v, const char *name)
{
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item)
        if (json_is_string(item) && strcmp(json_string_value(item), name) == 0)
            return true;
    return false;
}

/* An attribute list: ["a", "b"], or {"exclude": ["a"]} - every attribute of
 * m but those, in m's order (names m does not have are ignored, as Sequelize
 * ignores them). With m NULL (an include that names no association of its
 * parent, which the find reports) the exclusion is left out. */
static rel_status attr_list(const json_t *v, const rel_model *m, rel_arena *arena,
                            const char *where, const char *const **out, rel_error *err)
{
    if (!json_is_object(v))
        return string_list(v, arena, where, out, err);
    const json_t *ex = json_object_get(v, "exclude");
    if (json_object_size(v) != 1 || !ex)
        return rel_err(err, REL_INVALID, "%s must be an array of attribute names or "
                       "{\"exclude\": [...]}", where);
    const char *const *names = NULL;
    rel_status st = string_list(ex, arena, where, &names, err);
    if (st != REL_OK || !m)
        return st;
    size_t n = rel_model_attr_count(m), k = 0;
    const char **list = rel_arena_calloc(arena, n + 1, sizeof *list);
    if (!list)
        return rel_err_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const char *name = rel_model_attr_at(m, i)->name;
        if (!listed(ex, name))
            list[k++] = name;
    }
    *out = list;
    return REL_OK;
}

/* The association an include names on m: by its name, else the first one
 * whose target model has that name (the find resolves it again and reports
 * any mistake). NULL when there is none. */
static const rel_assoc *assoc_of(const rel_model *m, const char *name)
{
    if (!m)
        return NULL;
    const rel_assoc *a = rel_model_assoc(m, name);
    for (size_t i = 0; !a && i < rel_model_assoc_count(m); i++) {
        const rel_assoc *x = rel_model_assoc_at(m, i);
        const rel_model *t = rel_assoc_target(x);
        if (t && strcmp(rel_model_name(t), name) == 0)
            a = x;
    }
    return a;
}

/* A where object as compact JSON text in the arena. */
static rel_status where_text(const json_t *v, rel_arena *arena, const char *where,
                             const char **out, rel_error *err)
{
    if (!json_is_object(v))
        return rel_err(err, REL_INVALID, "%s must be an object, not %s", where, rel_json_kind_name(v));
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        return rel_err_nomem(err);
    *out = rel_arena_strdup(arena, text);
    free(text);
    return *out ? REL_OK : rel_err_nomem(err);
}

static rel_status parse_list(const json_t *v, const rel_model *m, rel_arena *arena,
                             const char *path, int depth, const rel_include **out,
                             rel_error *err);

static rel_status parse_through(const json_t *v, const rel_model *junction, rel_arena *arena,
                                const char *path, rel_include *inc, rel_error *err)
{
    char where[512];
    if (!json_is_object(v))
        return rel_err(err, REL_INVALID, "%s.through must be an object { attributes, where }, "
                       "not %s", path, rel_json_kind_name(v));
    const char *key;
    const json_t *x;
    json_object_foreach((json_t *)v, key, x) {
        rel_status st;
        place(where, sizeof where, "%s.through.%s", path, key);
        if (strcmp(key, "attributes") == 0)
            st = attr_list(x, junction, arena, where, &inc->through_attributes, err);
        else if (strcmp(key, "where") == 0)
            st = where_text(x, arena, where, &inc->through_where, err);
        else
            st = rel_err(err, REL_INVALID, "%s.through: unknown key \"%s\" (known: attributes, "
                         "where)", path, key);
        if (st != REL_OK)
            return st;
    }
    return REL_OK;
}

/* One include node of parent model m (NULL when unknown): a name, or an
 * object. */
static rel_status parse_node(const json_t *v, const rel_model *m, rel_arena *arena,
                             const char *path, int depth, rel_include *inc, rel_error *err)
{
    char where[512];
    if (json_is_string(v)) {
        inc->association = rel_arena_strdup(arena, json_string_value(v));
        return inc->association ? REL_OK : rel_err_nomem(err);
    }
    if (!json_is_object(v))
        return rel_err(err, REL_INVALID, "%s must be an association name or an object, not %s",
                       path, rel_json_kind_name(v));
    const char *assoc = NULL, *model = NULL, *as = NULL;
    const json_t *attrs = NULL, *through = NULL, *nested = NULL;
    const char *key;
    const json_t *x;
    /* attributes, through and include are read once every key is: their
     * exclusions need the association's models. */
    json_object_foreach((json_t *)v, key, x) {
        rel_status st = REL_OK;
        place(where, sizeof where, "%s.%s", path, key);
        if (strcmp(key, "association") == 0 || strcmp(key, "model") == 0 ||
            strcmp(key, "as") == 0) {
            if (!json_is_string(x))
                return rel_err(err, REL_INVALID, "%s must be a name (a string), not %s", where,
                               rel_json_kind_name(x));
            const char *s = json_string_value(x);
            if (strcmp(key, "association") == 0)
                assoc = s;
            else if (strcmp(key, "model") == 0)
                model = s;
            else
                as = s;
        } else if (strcmp(key, "required") == 0) {
            if (!json_is_boolean(x))
                return rel_err(err, REL_INVALID, "%s must be true or false, not %s", where,
                               rel_json_kind_name(x));
            inc->required = json_is_true(x) ? REL_YES : REL_NO;
        } else if (strcmp(key, "where") == 0) {
            st = where_text(x, arena, where, &inc->where, err);
        } else if (strcmp(key, "attributes") == 0) {
            attrs = x;
        } else if (strcmp(key, "through") == 0) {
            through = x;
        } else if (strcmp(key, "include") == 0) {
            nested = x;
        } else {
            return rel_err(err, REL_INVALID, "%s: unknown key \"%s\" (known: association, model, "
                           "as, required, where, attributes, through, include)", path, key);
        }
        if (st != REL_OK)
            return st;
    }
    const char *name = as ? as : assoc ? assoc : model;
    if (!name)
        return rel_err(err, REL_INVALID, "%s names no association: give \"association\": "
                       "\"Name\"", path);
    inc->association = rel_arena_strdup(arena, name);
    if (!inc->association)
        return rel_err_nomem(err);

    const rel_assoc *a = assoc_of(m, name);
    const rel_model *target = a ? rel_assoc_target(a) : NULL;
    rel_status st = REL_OK;
    if (attrs) {
        place(where, sizeof where, "%s.attributes", path);
        st = attr_list(attrs, target, arena, where, &inc->attributes, err);
    }
    if (st == REL_OK && through)
        st = parse_through(through, a ? rel_assoc_through(a) : NULL, arena, path, inc, err);
    if (st == REL_OK && nested) {
        place(where, sizeof where, "%s.include", path);
        st = parse_list(nested, target, arena, where, depth + 1, &inc->include, err);
    }
    return st;
}

/* A list of nodes (or one node standing for a list of one). */
static rel_status parse_list(const json_t *v, const rel_model *m, rel_arena *arena,
                             const char *path, int depth, const rel_include **out,
                             rel_error *err)
{
    char where[512];
    if (depth > REL_INCLUDE_MAX_DEPTH)
        return rel_err(err, REL_INVALID, "includes are nested more than %d levels deep",
                       REL_INCLUDE_MAX_DEPTH);
    bool many = json_is_array(v);
    size_t n = many ? json_array_size(v) : 1;
    rel_include *list = rel_arena_calloc(arena, n + 1, sizeof *list);
    if (!list)
        return rel_err_nomem(err);
    for (size_t i = 0; i < n; i++) {
        place(where, sizeof where, "%s[%zu]", path, i);
        rel_status st = parse_node(many ? json_array_get(v, i) : v, m, arena,
                                   many ? where : path, depth, &list[i], err);
        if (st != REL_OK)
            return st;
    }
    *out = list;
    return REL_OK;
}

rel_status rel_json_include_parse(const char *json, const rel_model *model, rel_arena *arena,
                                  const rel_include **out, rel_error *err)
{
    json_t *root = NULL;
    if (!out || !arena)
        return rel_err(err, REL_MISUSE, "rel_json_include_parse needs an arena and a place for "
                       "the result");
    *out = NULL;
    if (!json || !*json)
        return REL_OK;
    rel_status st = parse_json(json, &root, err);
    if (st == REL_OK && !json_is_null(root))
        st = parse_list(root, model, arena, "include", 0, out, err);
    json_decref(root);
    return st;
}

rel_status rel_json_attributes_parse(const char *json, const rel_model *model, rel_arena *arena,
                                     const char *const **out, rel_error *err)
{
    json_t *root = NULL;
    if (!out || !arena)
        return rel_err(err, REL_MISUSE, "rel_json_attributes_parse needs an arena and a place "
                       "for the result");
    *out = NULL;
    if (!json || !*json)
        return REL_OK;
    rel_status st = parse_json(json, &root, err);
    if (st == REL_OK && !json_is_null(root))
        st = attr_list(root, model, arena, "attributes", out, err);
    json_decref(root);
    return st;
}
