/* Checking a whole include tree before any statement runs (include.h).
 *
 * The loader reads an include's attributes, where and through options only
 * when it has parents to load for; without this check a mistake there would
 * be reported or not depending on the data (no parent row: no error). Order
 * items whose path names nothing included would otherwise be skipped
 * silently; Sequelize's query fails on them. */
#include "query/include.h"

#include "sql/where.h"
#include "util/error.h"

/* A where is checked by compiling it into a statement that is thrown away. */
static rel_status check_where(const rel_dialect *d, const rel_model *m, const char *where,
                              rel_error *err)
{
    if (!where || !*where)
        return REL_OK;
    rel_sql q;
    rel_sql_init(&q, d);
    rel_status st = rel_where_append(&q, m, m->name, where, " WHERE ", NULL, err);
    rel_sql_free(&q);
    return st;
}

static rel_status check_nodes(const rel_dialect *d, rel_arena *arena, const rel_model *m,
                              const rel_include *incl, rel_error *err)
{
    for (size_t k = 0; incl && incl[k].association; k++) {
        const rel_include *node = &incl[k];
        const rel_assoc *a;
        rel_colset cols;
        rel_status st = rel_include_resolve(m, node, &a, err);
        if (st == REL_OK)
            st = rel_colset_names(arena, a->target, node->attributes, &cols, err);
        if (st == REL_OK)
            st = check_where(d, a->target, node->where, err);
        if (st == REL_OK && a->kind == REL_BELONGS_TO_MANY) {
            st = rel_colset_names(arena, a->through, node->through_attributes, &cols, err);
            if (st == REL_OK)
                st = check_where(d, a->through, node->through_where, err);
        }
        if (st == REL_OK)
            st = check_nodes(d, arena, a->target, node->include, err);
        if (st != REL_OK)
            return st;
    }
    return REL_OK;
}

/* The model an order item's path leads to through incl (as the loader
 * routes items: by association name or by the name the include used). */
static rel_status check_path(const rel_model *m, const rel_include *incl,
                             const rel_order_item *it, rel_error *err)
{
    for (size_t p = 0; p < it->npath; p++) {
        const rel_assoc *fa = NULL;
        const rel_include *found = rel_include_path_step(m, incl, it->path[p], &fa);
        if (!found)
            return rel_err(err, REL_INVALID,
                           "order: '%s' is not included %s%s; include it to order by its "
                           "attributes",
                           it->path[p], p ? "under " : "in this query",
                           p ? it->path[p - 1] : "");
        m = fa->target;
        incl = found->include;
    }
    if (!rel_model_attr_def(m, it->attr))
        return rel_err(err, REL_INVALID, "order: %s has no attribute '%s'", m->name, it->attr);
    return REL_OK;
}

rel_status rel_include_check(const rel_dialect *d, const rel_model *m, const rel_include *incl,
                             const rel_order *order, rel_error *err)
{
    rel_arena *arena = rel_arena_new(0);
    if (!arena)
        return rel_err_nomem(err);
    rel_status st = check_nodes(d, arena, m, incl, err);
    for (size_t i = 0; st == REL_OK && order && i < order->n; i++)
        if (order->items[i].npath)
            st = check_path(m, incl, &order->items[i], err);
    rel_arena_free(arena);
    return st;
}
