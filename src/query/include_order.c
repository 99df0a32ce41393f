/* Ordering rows by the columns of their included rows (include.h).
 *
 * Sequelize loads a find with includes as one joined query and sorts the
 * joined rows; each parent then appears where its first joined row is. An
 * order such as [["Employees","name","DESC"]] therefore puts first the
 * organisations whose employees' greatest name is greatest (and those with
 * no employee, whose joined row has NULL there, before all: PostgreSQL sorts
 * NULL as the largest value). relate loads includes with one query per node
 * (SEMANTICS.md "Where relate differs" 4), so it orders the parents by that
 * first joined row's value directly:
 *
 *   ORDER BY (SELECT "O~->Employees"."name" FROM "Organizations" AS "O~"
 *             LEFT OUTER JOIN "employees" AS "O~->Employees" ON ...
 *             WHERE "O~"."id" = "O"."id"
 *             ORDER BY "O~->Employees"."name" DESC LIMIT 1) DESC
 *
 * For the k-th item, the subquery joins the included nodes on the paths of
 * the items up to k and sorts by those items: the parent's own columns are
 * the same on all its joined rows, and nodes off those paths only repeat
 * rows, so the first joined row's value is the same as in Sequelize's join. */
#include "query/include.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* Include trees are at most this deep (json_opts.c, create_tree.c). */
#define MAX_PATH 32

/* The included nodes on one item's path, outermost first. */
typedef struct path_nodes {
    const rel_include *node[MAX_PATH];
    const rel_assoc *assoc[MAX_PATH];
    size_t n;
} path_nodes;

/* Resolves an item's path through incl; false when some step names no
 * include (the item belongs to another level, or orders nothing). */
static bool resolve_path(const rel_model *m, const rel_include *incl, const rel_order_item *it,
                         path_nodes *out)
{
    out->n = 0;
    if (it->npath > MAX_PATH)
        return false;
    for (size_t p = 0; p < it->npath; p++) {
        const rel_include *found = NULL;
        const rel_assoc *fa = NULL;
        for (size_t k = 0; incl && incl[k].association && !found; k++) {
            const rel_assoc *a;
            if (rel_include_resolve(m, &incl[k], &a, NULL) != REL_OK)
                continue;
            if (strcmp(it->path[p], a->name) == 0 ||
                strcmp(it->path[p], incl[k].association) == 0) {
                found = &incl[k];
                fa = a;
            }
        }
        if (!found)
            return false;
        out->node[out->n] = found;
        out->assoc[out->n++] = fa;
        m = fa->target;
        incl = found->include;
    }
    return true;
}

static bool marked(const rel_include *const *set, size_t n, const rel_include *node)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == node)
            return true;
    return false;
}

/* LEFT OUTER JOINs of the marked nodes of incl under the table aliased
 * `parent`, depth first, each with its own conditions. */
static rel_status join_marked(rel_sql *q, const rel_model *m, const char *parent,
                              const rel_include *incl, const rel_include *const *set,
                              size_t nset, rel_error *err)
{
    rel_status st = REL_OK;
    for (size_t k = 0; incl && incl[k].association && st == REL_OK; k++) {
        const rel_include *node = &incl[k];
        if (!marked(set, nset, node))
            continue;
        const rel_assoc *a;
        st = rel_include_resolve(m, node, &a, err);
        if (st != REL_OK)
            break;
        int pk = rel_include_parent_key(a), ck = rel_include_child_key(a);
        if (pk < 0 || ck < 0)
            return rel_err(err, REL_DEFINITION, "the keys of association '%s' of %s are not "
                           "resolved", a->name, m->name);
        char *talias = rel_include_alias(parent, a->name);
        char *jalias = talias && a->through ? rel_include_alias(talias, a->through->name) : NULL;
        if (!talias || (a->through && !jalias)) {
            free(talias);
            return rel_err_nomem(err);
        }
        const bool btm = a->kind == REL_BELONGS_TO_MANY;
        rel_sql_raw(q, btm ? " LEFT OUTER JOIN (" : " LEFT OUTER JOIN ");
        rel_sql_ident(q, a->target->table);
        rel_sql_raw(q, " AS ");
        rel_sql_ident(q, talias);
        if (btm) {
            rel_include_join_junction(q, a, talias, jalias);
            rel_sql_raw(q, ")");
        }
        rel_sql_raw(q, " ON ");
        if (btm)
            rel_sql_column(q, jalias, a->through->attrs[ck].a.field);
        else
            rel_sql_column(q, talias, a->target->attrs[ck].a.field);
        rel_sql_raw(q, " = ");
        rel_sql_column(q, parent, a->source->attrs[pk].a.field);
        const char *prefix = " AND ";
        st = rel_include_node_conditions(q, a, node, talias, jalias, &prefix, err);
        if (st == REL_OK)
            st = join_marked(q, a->target, talias, node->include, set, nset, err);
        free(talias);
        free(jalias);
    }
    return st;
}

/* Writes "alias->A->B"."column" of an item whose path resolved to pn. */
static rel_status item_column(rel_sql *q, const char *base, const path_nodes *pn,
                              const rel_order_item *it, rel_error *err)
{
    const rel_model *t = pn->assoc[pn->n - 1]->target;
    const rel_attr_def *attr = rel_model_attr_def(t, it->attr);
    if (!attr)
        return rel_err(err, REL_INVALID, "order: %s has no attribute '%s'", t->name, it->attr);
    size_t len = strlen(base) + 1;
    char *alias = malloc(len);
    if (alias)
        memcpy(alias, base, len);
    for (size_t p = 0; alias && p < pn->n; p++) {
        char *next = rel_include_alias(alias, pn->assoc[p]->name);
        free(alias);
        alias = next;
    }
    if (!alias)
        return rel_err_nomem(err);
    rel_sql_column(q, alias, attr->a.field);
    free(alias);
    return REL_OK;
}

/* The subquery giving item k's value in the first joined row of the row of
 * m aliased `alias`. */
static rel_status first_joined_value(rel_sql *q, const rel_model *m, const char *alias,
                                     const rel_include *incl, const rel_order *order, size_t k,
                                     rel_error *err)
{
    rel_status st = REL_OK;
    const rel_attr_def *pk = &m->attrs[m->pk];
    const rel_include **set = calloc((k + 1) * MAX_PATH, sizeof *set);
    path_nodes *paths = calloc(k + 1, sizeof *paths);
    bool *used = calloc(k + 1, sizeof *used);
    char *base = rel_include_alias(alias, "~");
    size_t nset = 0;
    if (!set || !paths || !used || !base) {
        st = rel_err_nomem(err);
        goto done;
    }
    for (size_t i = 0; i <= k; i++) {
        const rel_order_item *it = &order->items[i];
        if (!it->npath || !resolve_path(m, incl, it, &paths[i]))
            continue;
        used[i] = true;
        for (size_t p = 0; p < paths[i].n; p++)
            if (!marked(set, nset, paths[i].node[p]))
                set[nset++] = paths[i].node[p];
    }
    rel_sql_raw(q, "(SELECT ");
    st = item_column(q, base, &paths[k], &order->items[k], err);
    if (st != REL_OK)
        goto done;
    rel_select_from(q, m, base);
    st = join_marked(q, m, base, incl, set, nset, err);
    if (st != REL_OK)
        goto done;
    rel_sql_raw(q, " WHERE ");
    rel_sql_column(q, base, pk->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_column(q, alias, pk->a.field);
    const char *sep = " ORDER BY ";
    for (size_t i = 0; i <= k; i++) {
        if (!used[i])
            continue;
        rel_sql_raw(q, sep);
        sep = ", ";
        st = item_column(q, base, &paths[i], &order->items[i], err);
        if (st != REL_OK)
            goto done;
        rel_order_dir_append(q, order->items[i].dir);
    }
    rel_sql_raw(q, " LIMIT 1)");
done:
    free(set);
    free(paths);
    free(used);
    free(base);
    return st;
}

rel_status rel_include_order_append(rel_sql *q, const rel_model *m, const char *alias,
                                    const rel_include *incl, const rel_order *order,
                                    bool *wrote, rel_error *err)
{
    bool any = false, by_pk = false;
    if (wrote)
        *wrote = false;
    for (size_t i = 0; order && i < order->n; i++) {
        const rel_order_item *it = &order->items[i];
        path_nodes pn;
        rel_status st;
        if (it->npath) {
            /* Another level's item, or one this row cannot be correlated by
             * (no single primary key): the rows keep the other items' order.
             * Once sorted by the primary key the order is total: a later
             * item changes nothing, and its subquery would run per row. */
            if (m->pk < 0 || by_pk || !resolve_path(m, incl, it, &pn))
                continue;
            rel_sql_raw(q, any ? ", " : " ORDER BY ");
            st = first_joined_value(q, m, alias, incl, order, i, err);
            if (st == REL_OK)
                rel_order_dir_append(q, it->dir);
        } else {
            rel_sql_raw(q, any ? ", " : " ORDER BY ");
            st = rel_order_item_append(q, m, alias, it, err);
            if (m->pk >= 0 && strcmp(it->attr, m->attrs[m->pk].a.name) == 0)
                by_pk = true;
        }
        if (st != REL_OK)
            return st;
        any = true;
    }
    if (wrote)
        *wrote = any;
    return REL_OK;
}
