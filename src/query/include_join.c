/* To-one includes joined into the parent's own SELECT: see include.h.
 *
 * A belongsTo whose target key is the target's primary key matches at most
 * one row, so a LEFT JOIN neither multiplies nor drops the parent's rows
 * (limit and offset still count parents); required ones keep their EXISTS
 * filter (rel_include_filter), and the node's where goes in the ON clause
 * so that a required:false include with a where keeps its parent with no
 * row, as the one-query-per-node loader does. Tables get short generated
 * aliases ("~j1", ...) so deep chains stay within PostgreSQL's 63-byte
 * identifiers. */
#include "query/include.h"

#include <stdio.h>

#include "util/error.h"

bool rel_include_joinable(const rel_assoc *a, const rel_include *node)
{
    /* attributes: [] leaves the association out of the row (load_node). */
    if (node->attributes && !node->attributes[0])
        return false;
    return a->kind == REL_BELONGS_TO && a->target->pk >= 0 &&
           rel_include_child_key(a) == a->target->pk;
}

static size_t count_tree(const rel_include *incl)
{
    size_t n = 0;
    for (size_t k = 0; incl && incl[k].association; k++)
        n += 1 + count_tree(incl[k].include);
    return n;
}

/* The joinable nodes of incl under m (parent: index of the parent's entry),
 * each followed by its own joinable children. */
static rel_status plan_level(rel_arena *arena, const rel_model *m, const rel_include *incl,
                             size_t parent, rel_include_joins *out, rel_error *err)
{
    for (size_t k = 0; incl && incl[k].association; k++) {
        const rel_assoc *a;
        rel_status st = rel_include_resolve(m, &incl[k], &a, err);
        if (st != REL_OK)
            return st;
        if (!rel_include_joinable(a, &incl[k]))
            continue;
        size_t idx = out->n++;
        rel_include_join *e = &out->at[idx];
        e->a = a;
        e->node = &incl[k];
        e->slot = k;
        e->parent = parent;
        e->nchild = 0;
        while (incl[k].include && incl[k].include[e->nchild].association)
            e->nchild++;
        snprintf(e->alias, sizeof e->alias, "~j%zu", idx + 1);
        /* The loader's columns: those asked for, then the key (the primary
         * key here) and the keys the node's own includes link by, hidden. */
        st = rel_colset_names(arena, a->target, incl[k].attributes, &e->cols, err);
        if (st == REL_OK)
            st = rel_include_prepare(arena, a->target, incl[k].include, &e->cols, err);
        if (st != REL_OK)
            return st;
        e->keypos = rel_colset_find(&e->cols, a->target->pk);
        st = plan_level(arena, a->target, incl[k].include, idx, out, err);
        if (st != REL_OK)
            return st;
    }
    return REL_OK;
}

rel_status rel_include_join_plan(rel_arena *arena, const rel_model *m, const rel_include *incl,
                                 rel_include_joins *out, rel_error *err)
{
    out->at = NULL;
    out->cur = NULL;
    out->n = 0;
    size_t cap = count_tree(incl);
    if (!cap)
        return REL_OK;
    out->at = rel_arena_calloc(arena, cap, sizeof *out->at);
    out->cur = rel_arena_calloc(arena, cap, sizeof *out->cur);
    if (!out->at || !out->cur)
        return rel_err_nomem(err);
    return plan_level(arena, m, incl, SIZE_MAX, out, err);
}

void rel_include_join_columns(rel_sql *q, rel_include_joins *j, int first)
{
    for (size_t i = 0; i < j->n; i++) {
        rel_include_join *e = &j->at[i];
        e->first = first;
        rel_sql_raw(q, ", ");
        rel_select_columns(q, e->a->target, e->alias, &e->cols);
        first += (int)e->cols.n;
    }
}

rel_status rel_include_join_from(rel_sql *q, const char *alias, const rel_include_joins *j,
                                 rel_error *err)
{
    for (size_t i = 0; i < j->n; i++) {
        const rel_include_join *e = &j->at[i];
        const rel_assoc *a = e->a;
        const char *palias = e->parent == SIZE_MAX ? alias : j->at[e->parent].alias;
        rel_sql_raw(q, " LEFT OUTER JOIN ");
        rel_sql_ident(q, a->target->table);
        rel_sql_raw(q, " AS ");
        rel_sql_ident(q, e->alias);
        rel_sql_raw(q, " ON ");
        rel_sql_column(q, e->alias, a->target->attrs[a->target->pk].a.field);
        rel_sql_raw(q, " = ");
        rel_sql_column(q, palias, a->source->attrs[rel_include_parent_key(a)].a.field);
        const char *prefix = " AND ";
        rel_status st = rel_include_node_conditions(q, a, e->node, e->alias, NULL, &prefix, err);
        if (st != REL_OK)
            return st;
    }
    return REL_OK;
}

/* The record already read for key v, or NULL. */
static rel_record *seen_find(const rel_include_join *e, int key, rel_value v)
{
    if (!e->cap)
        return NULL;
    for (size_t s = rel_include_hash(v) & (e->cap - 1);; s = (s + 1) & (e->cap - 1)) {
        if (!e->seen[s])
            return NULL;
        if (rel_include_key_equal(rel_record_at(e->seen[s], key), v))
            return e->seen[s];
    }
}

static bool seen_add(rel_arena *arena, rel_include_join *e, int key, rel_record *r)
{
    if (2 * (e->nseen + 1) > e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 16;
        rel_record **tab = rel_arena_calloc(arena, cap, sizeof *tab);
        if (!tab)
            return false;
        for (size_t i = 0; i < e->cap; i++) {
            if (!e->seen[i])
                continue;
            size_t s = rel_include_hash(rel_record_at(e->seen[i], key)) & (cap - 1);
            while (tab[s])
                s = (s + 1) & (cap - 1);
            tab[s] = e->seen[i];
        }
        e->seen = tab;
        e->cap = cap;
    }
    size_t s = rel_include_hash(rel_record_at(r, key)) & (e->cap - 1);
    while (e->seen[s])
        s = (s + 1) & (e->cap - 1);
    e->seen[s] = r;
    e->nseen++;
    return true;
}

rel_status rel_include_join_read(rel_stmt *stmt, rel_arena *arena, rel_record *rec,
                                 size_t nincl, rel_include_joins *j, bool pg,
                                 rel_error *err)
{
    rel_status st0 = rel_record_incl_alloc(rec, nincl, err);
    if (st0 != REL_OK)
        return st0;
    for (size_t i = 0; i < j->n; i++) {
        rel_include_join *e = &j->at[i];
        rel_record *parent = e->parent == SIZE_MAX ? rec : j->cur[e->parent];
        j->cur[i] = NULL;
        if (!parent)
            continue;
        rel_incl_slot *s = &rel_record_incl(parent)[e->slot];
        s->assoc = e->a;
        s->loaded = true;
        s->rows = NULL;
        s->n = 0;
        const rel_model *t = e->a->target;
        rel_value key;
        rel_status st = rel_stmt_col(stmt, e->first + e->keypos, t->attrs[t->pk].a.type, &key);
        if (st == REL_NOMEM)
            return rel_err_nomem(err);
        if (st == REL_OK && key.kind == REL_V_NULL)
            continue; /* no row joined */
        s->rows = rel_arena_alloc(arena, sizeof *s->rows);
        if (!s->rows)
            return rel_err_nomem(err);
        rel_record *r = st == REL_OK ? seen_find(e, t->pk, key) : NULL;
        if (r) {
            /* Read before with everything under it: its children are
             * skipped (their parent entry stays NULL). */
            s->rows[0] = r;
            s->n = 1;
            continue;
        }
        if (!e->shape && !(e->shape = rel_select_shape(arena, t, &e->cols, pg)))
            return rel_err_nomem(err);
        r = rel_record_in(e->shape, e->nchild ? REL_REC_INCL : 0);
        if (!r)
            return rel_err_nomem(err);
        st = rel_select_read_row(stmt, e->first, r, &e->cols, err);
        if (st != REL_OK)
            return st;
        if (e->nchild) {
            st = rel_record_incl_alloc(r, e->nchild, err);
            if (st != REL_OK)
                return st;
        }
        if (!seen_add(arena, e, t->pk, r))
            return rel_err_nomem(err);
        s->rows[0] = r;
        s->n = 1;
        j->cur[i] = r;
    }
    return REL_OK;
}
