/* Ordering rows by the columns of their included rows (include.h).
 *
 * Sequelize loads a find with includes as one joined query and sorts the
 * joined rows; each parent then appears where its first joined row is. An
 * order such as [["Employees","name","DESC"]] therefore puts first the
 * organisations whose employees' greatest name is greatest (and those with
 * no employee, whose joined row has NULL there, before all: PostgreSQL sorts
 * NULL as the largest value). relate loads includes with one query per node
 * (SEMANTICS.md "Where relate differs" 4), so it joins each parent to the
 * values of its first joined row, ranked once for all parents:
 *
 *   FROM "Organizations" AS "O"
 *   LEFT OUTER JOIN (SELECT "O->~"."id" AS "~k",
 *                           "O->~->Employees"."name" AS "~v0",
 *                           ROW_NUMBER() OVER (PARTITION BY "O->~"."id"
 *                             ORDER BY "O->~->Employees"."name" DESC) AS "~n"
 *                    FROM "Organizations" AS "O->~"
 *                    LEFT OUTER JOIN "employees" AS "O->~->Employees" ON ...
 *                    WHERE <the parents' own conditions>) AS "O->~first"
 *     ON "O->~first"."~k" = "O"."id" AND "O->~first"."~n" = 1
 *   ... ORDER BY "O->~first"."~v0" DESC
 *
 * The ranked rows join the included nodes on the paths of the items and sort
 * by those items in turn: the parent's own columns are the same on all its
 * joined rows, and a node that only later items go through repeats the rows
 * an earlier item sees without changing their values, so the first row's
 * value of each item is the one it has in Sequelize's first joined row. The
 * cost is one pass over the parents and their included rows, where a
 * subquery per parent would read the included rows once per parent (their
 * linking columns have no index). */
#include "query/include.h"

#include <stdio.h>
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
        const rel_assoc *fa = NULL;
        const rel_include *found = rel_include_path_step(m, incl, it->path[p], &fa);
        if (!found)
            return false;
        out->node[out->n] = found;
        out->assoc[out->n++] = fa;
        m = fa->target;
        incl = found->include;
    }
    return true;
}

/* Which items order m's rows through included rows: those whose path
 * resolves, before any item on m's primary key (after it the order is
 * total and they would change nothing), when m has a single primary key to
 * join the ranked rows by. paths[i].n is 0 for the others. */
typedef struct order_plan {
    path_nodes *paths;
    size_t nused;
} order_plan;

static rel_status plan_build(const rel_model *m, const rel_include *incl, const rel_order *order,
                             order_plan *p, rel_error *err)
{
    p->paths = NULL;
    p->nused = 0;
    if (!order || !order->n || m->pk < 0)
        return REL_OK;
    p->paths = calloc(order->n, sizeof *p->paths);
    if (!p->paths)
        return rel_err_nomem(err);
    for (size_t i = 0; i < order->n; i++) {
        const rel_order_item *it = &order->items[i];
        if (!it->npath) {
            if (strcmp(it->attr, m->attrs[m->pk].a.name) == 0)
                break;
            continue;
        }
        if (resolve_path(m, incl, it, &p->paths[i]))
            p->nused++;
        else
            p->paths[i].n = 0;
    }
    return REL_OK;
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

/* "~v<i>": the column of the ranked rows holding item i's value. */
static void value_name(char *buf, size_t size, size_t i)
{
    snprintf(buf, size, "~v%zu", i);
}

/* The ranked rows of the plan's items: every row of m aliased `base` (as
 * scope limits them) with its first joined row's values. */
static rel_status ranked_rows(rel_sql *q, const rel_model *m, const char *base,
                              const rel_include *incl, const rel_order *order,
                              const order_plan *p, rel_include_scope_fn scope, void *user,
                              rel_error *err)
{
    const rel_attr_def *pk = &m->attrs[m->pk];
    const rel_include **set = calloc(order->n * MAX_PATH, sizeof *set);
    size_t nset = 0;
    if (!set)
        return rel_err_nomem(err);
    for (size_t i = 0; i < order->n; i++)
        for (size_t s = 0; s < p->paths[i].n; s++)
            if (!marked(set, nset, p->paths[i].node[s]))
                set[nset++] = p->paths[i].node[s];
    rel_status st = REL_OK;
    char name[32];
    rel_sql_raw(q, "(SELECT ");
    rel_sql_column(q, base, pk->a.field);
    rel_sql_raw(q, " AS ");
    rel_sql_ident(q, "~k");
    for (size_t i = 0; i < order->n && st == REL_OK; i++) {
        if (!p->paths[i].n)
            continue;
        rel_sql_raw(q, ", ");
        st = item_column(q, base, &p->paths[i], &order->items[i], err);
        rel_sql_raw(q, " AS ");
        value_name(name, sizeof name, i);
        rel_sql_ident(q, name);
    }
    if (st != REL_OK)
        goto done;
    rel_sql_raw(q, ", ROW_NUMBER() OVER (PARTITION BY ");
    rel_sql_column(q, base, pk->a.field);
    const char *sep = " ORDER BY ";
    for (size_t i = 0; i < order->n && st == REL_OK; i++) {
        if (!p->paths[i].n)
            continue;
        rel_sql_raw(q, sep);
        sep = ", ";
        st = item_column(q, base, &p->paths[i], &order->items[i], err);
        rel_order_dir_append(q, order->items[i].dir);
    }
    if (st != REL_OK)
        goto done;
    rel_sql_raw(q, ") AS ");
    rel_sql_ident(q, "~n");
    rel_select_from(q, m, base);
    st = join_marked(q, m, base, incl, set, nset, err);
    if (st == REL_OK && scope)
        st = scope(q, base, user, err);
    rel_sql_raw(q, ")");
done:
    free(set);
    return st;
}

rel_status rel_include_order_join(rel_sql *q, const rel_model *m, const char *alias,
                                  const rel_include *incl, const rel_order *order,
                                  rel_include_scope_fn scope, void *user, rel_error *err)
{
    order_plan p;
    rel_status st = plan_build(m, incl, order, &p, err);
    if (st != REL_OK || !p.nused)
        goto done;
    const rel_attr_def *pk = &m->attrs[m->pk];
    char *base = rel_include_alias(alias, "~");
    char *first = rel_include_alias(alias, "~first");
    if (!base || !first) {
        st = rel_err_nomem(err);
    } else {
        rel_sql_raw(q, " LEFT OUTER JOIN ");
        st = ranked_rows(q, m, base, incl, order, &p, scope, user, err);
        rel_sql_raw(q, " AS ");
        rel_sql_ident(q, first);
        rel_sql_raw(q, " ON ");
        rel_sql_column(q, first, "~k");
        rel_sql_raw(q, " = ");
        rel_sql_column(q, alias, pk->a.field);
        rel_sql_raw(q, " AND ");
        rel_sql_column(q, first, "~n");
        rel_sql_raw(q, " = 1");
    }
    free(base);
    free(first);
done:
    free(p.paths);
    return st;
}

rel_status rel_include_order_append(rel_sql *q, const rel_model *m, const char *alias,
                                    const rel_include *incl, const rel_order *order,
                                    bool *wrote, rel_error *err)
{
    /* *wrote true on entry: an ORDER BY is already open, go on with ", ". */
    bool any = wrote && *wrote;
    order_plan p;
    rel_status st = plan_build(m, incl, order, &p, err);
    char *first = NULL;
    if (st == REL_OK && p.nused && !(first = rel_include_alias(alias, "~first")))
        st = rel_err_nomem(err);
    char name[32];
    for (size_t i = 0; st == REL_OK && order && i < order->n; i++) {
        const rel_order_item *it = &order->items[i];
        if (it->npath) {
            /* Another level's item, one this row cannot be joined by (no
             * single primary key), or one after the primary key: the rows
             * keep the other items' order. */
            if (!p.paths || !p.paths[i].n)
                continue;
            rel_sql_raw(q, any ? ", " : " ORDER BY ");
            value_name(name, sizeof name, i);
            rel_sql_column(q, first, name);
            rel_order_dir_append(q, it->dir);
        } else {
            rel_sql_raw(q, any ? ", " : " ORDER BY ");
            st = rel_order_item_append(q, m, alias, it, err);
        }
        any = true;
    }
    free(p.paths);
    free(first);
    if (st == REL_OK && wrote)
        *wrote = any;
    return st;
}
