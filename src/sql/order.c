/* Order JSON -> ORDER BY: see order.h. */
#include "sql/order.h"

#include <string.h>

#include "util/error.h"
#include "util/json_read.h"

/* Directions as written in SQL; what the caller wrote is only matched
 * against these, never pasted. */
static const char *const directions[] = {
    "ASC", "DESC", "ASC NULLS FIRST", "ASC NULLS LAST", "DESC NULLS FIRST",
    "DESC NULLS LAST", "NULLS FIRST", "NULLS LAST",
};

/* ASCII case-insensitive equality (no locale). */
static bool same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
        char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static const char *direction_of(const char *s)
{
    for (size_t i = 0; i < sizeof directions / sizeof directions[0]; i++)
        if (same_word(s, directions[i]))
            return directions[i];
    return NULL;
}

static bool all_strings(const json_t *a)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return false;
    }
    return true;
}

/* One item from an array of strings: [path..., attr] or [path..., attr, dir]. */
static rel_status item_from_array(const json_t *a, rel_arena *arena, rel_order_item *it,
                                  rel_error *err)
{
    size_t n = json_array_size(a);
    if (n == 0 || !all_strings(a))
        return rel_err(err, REL_INVALID,
                       "order: each entry is an attribute name or an array of names "
                       "ending with a direction, such as [\"name\",\"DESC\"]");
    const char *dir = NULL;
    if (n >= 2) {
        dir = direction_of(json_string_value(json_array_get(a, n - 1)));
        if (dir)
            n--;
    }
    it->dir = dir;
    it->npath = n - 1;
    it->path = NULL;
    if (it->npath) {
        it->path = rel_arena_calloc(arena, it->npath, sizeof *it->path);
        if (!it->path)
            return rel_err_nomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        char *s = rel_arena_strdup(arena, json_string_value(json_array_get(a, i)));
        if (!s)
            return rel_err_nomem(err);
        if (i + 1 < n)
            it->path[i] = s;
        else
            it->attr = s;
    }
    return REL_OK;
}

static rel_status item_from_string(const json_t *s, rel_arena *arena, rel_order_item *it,
                                   rel_error *err)
{
    memset(it, 0, sizeof *it);
    it->attr = rel_arena_strdup(arena, json_string_value(s));
    return it->attr ? REL_OK : rel_err_nomem(err);
}

rel_status rel_order_parse_json(const json_t *order, rel_arena *arena, rel_order *out,
                                rel_error *err)
{
    out->items = NULL;
    out->n = 0;
    if (!order || json_is_null(order))
        return REL_OK;
    if (json_is_string(order)) {
        out->items = rel_arena_calloc(arena, 1, sizeof *out->items);
        if (!out->items)
            return rel_err_nomem(err);
        out->n = 1;
        return item_from_string(order, arena, &out->items[0], err);
    }
    if (!json_is_array(order))
        return rel_err(err, REL_INVALID,
                       "order must be an array such as [[\"name\",\"DESC\"]] or [\"name\"]");

    size_t n = json_array_size(order);
    /* ["name","DESC"] at the top means one entry, not two attributes. */
    if (n >= 2 && all_strings(order) &&
        direction_of(json_string_value(json_array_get(order, n - 1)))) {
        out->items = rel_arena_calloc(arena, 1, sizeof *out->items);
        if (!out->items)
            return rel_err_nomem(err);
        out->n = 1;
        return item_from_array(order, arena, &out->items[0], err);
    }
    if (n == 0)
        return REL_OK;
    out->items = rel_arena_calloc(arena, n, sizeof *out->items);
    if (!out->items)
        return rel_err_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(order, i);
        rel_status st;
        if (json_is_string(e))
            st = item_from_string(e, arena, &out->items[i], err);
        else if (json_is_array(e))
            st = item_from_array(e, arena, &out->items[i], err);
        else
            st = rel_err(err, REL_INVALID,
                         "order: entry %zu is neither an attribute name nor an array", i + 1);
        if (st != REL_OK) {
            out->n = 0;
            return st;
        }
        out->n = i + 1;
    }
    return REL_OK;
}

rel_status rel_order_parse(const char *json, rel_arena *arena, rel_order *out, rel_error *err)
{
    out->items = NULL;
    out->n = 0;
    if (!json || !*json)
        return REL_OK;
    json_t *j;
    rel_status st = rel_json_load_clause("order", json, &j, err);
    if (st != REL_OK)
        return st;
    st = rel_order_parse_json(j, arena, out, err);
    json_decref(j);
    return st;
}

rel_status rel_order_item_append(rel_sql *q, const rel_model *m, const char *alias,
                                 const rel_order_item *item, rel_error *err)
{
    const rel_attr_def *a = rel_model_attr_def(m, item->attr);
    if (!a) {
        if (direction_of(item->attr))
            return rel_err(err, REL_INVALID,
                           "order: %s has no attribute '%s' (to sort by a direction write "
                           "[[\"name\",\"%s\"]])",
                           m->name, item->attr, item->attr);
        return rel_err(err, REL_INVALID, "order: %s has no attribute '%s'", m->name,
                       item->attr);
    }
    rel_sql_column(q, alias, a->a.field);
    rel_order_dir_append(q, item->dir);
    return REL_OK;
}

void rel_order_dir_append(rel_sql *q, const char *dir)
{
    if (dir) {
        rel_sql_raw(q, " ");
        rel_sql_raw(q, dir);
    }
    /* PostgreSQL sorts NULL as larger than any value (last ascending, first
     * descending); SQLite the other way round. Saying so on SQLite gives
     * the same rows in the same order on both engines. */
    if (strcmp(q->d->name, "sqlite") != 0 || (dir && strstr(dir, "NULLS")))
        return;
    rel_sql_raw(q, dir && strcmp(dir, "DESC") == 0 ? " NULLS FIRST" : " NULLS LAST");
}

rel_status rel_order_append(rel_sql *q, const rel_model *m, const char *alias,
                            const rel_order *order, bool skip_paths, bool *wrote,
                            rel_error *err)
{
    bool any = false;
    if (wrote)
        *wrote = false;
    if (!order)
        return REL_OK;
    for (size_t i = 0; i < order->n; i++) {
        const rel_order_item *it = &order->items[i];
        if (it->npath) {
            if (skip_paths)
                continue;
            return rel_err(err, REL_INVALID,
                           "order: '%s' is not included in this query; include it to order "
                           "by its attributes",
                           it->path[0]);
        }
        rel_sql_raw(q, any ? ", " : " ORDER BY ");
        any = true;
        rel_status st = rel_order_item_append(q, m, alias, it, err);
        if (st != REL_OK)
            return st;
    }
    if (wrote)
        *wrote = any;
    return REL_OK;
}
