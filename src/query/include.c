/* Eager loading, one query per include node: see include.h.
 *
 * For the rows already loaded (the parents), each included association is
 * one SELECT of its target rows whose linking column is IN the parents' key
 * values (bound as one array parameter), then the rows are handed to their
 * parents through a hash of those key values. Required includes become
 * EXISTS conditions on the parents' query, so limit and offset count parents
 * and never joined rows. */
#include "query/include.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/where.h"
#include "util/error.h"

/* ---------------------------------------------------------------- resolving */

static bool has_alias(const rel_assoc *a)
{
    return a->opts.as != NULL;
}

/* The association a node names: its name (alias), or its target model when
 * that model is associated exactly once without an alias. Messages follow
 * Sequelize's. */
rel_status rel_include_resolve(const rel_model *m, const rel_include *node,
                               const rel_assoc **out, rel_error *err)
{
    const char *name = node->association;
    const rel_assoc *a = rel_model_find_assoc(m, name);
    if (a) {
        *out = a;
        return REL_OK;
    }
    const rel_model *target = rel_schema_find_model(m->schema, name);
    if (!target)
        return rel_err(err, REL_INVALID, "Association with alias '%s' does not exist on %s",
                       name, m->name);
    const rel_assoc *plain = NULL;
    size_t naliased = 0;
    for (size_t i = 0; i < m->nassocs; i++) {
        const rel_assoc *x = m->assocs[i];
        if (x->target != target)
            continue;
        if (has_alias(x))
            naliased++;
        else if (!plain)
            plain = x;
    }
    if (plain) {
        *out = plain;
        return REL_OK;
    }
    if (!naliased)
        return rel_err(err, REL_INVALID, "%s is not associated to %s", target->name, m->name);
    /* Every alias it could mean: "include it as 'author' or 'editor'". */
    rel_buf b;
    rel_buf_init(&b);
    size_t k = 0;
    for (size_t i = 0; i < m->nassocs; i++) {
        const rel_assoc *x = m->assocs[i];
        if (x->target != target || !has_alias(x))
            continue;
        rel_buf_puts(&b, k == 0 ? "'" : k + 1 < naliased ? ", '" : " or '");
        rel_buf_puts(&b, x->name);
        rel_buf_puts(&b, "'");
        k++;
    }
    rel_status st = rel_err(err, REL_INVALID, "%s is associated to %s using an alias; include "
                            "it as %s", target->name, m->name, b.oom ? "its alias" :
                            rel_buf_cstr(&b));
    rel_buf_free(&b);
    return st;
}

const rel_include *rel_include_path_step(const rel_model *m, const rel_include *incl,
                                         const char *step, const rel_assoc **assoc)
{
    for (size_t k = 0; incl && incl[k].association; k++) {
        const rel_assoc *a;
        if (rel_include_resolve(m, &incl[k], &a, NULL) != REL_OK)
            continue;
        if (strcmp(step, a->name) == 0 || strcmp(step, incl[k].association) == 0) {
            *assoc = a;
            return &incl[k];
        }
    }
    return NULL;
}

static bool is_to_one(const rel_assoc *a)
{
    return a->kind == REL_BELONGS_TO || a->kind == REL_HAS_ONE;
}

static bool is_required(const rel_include *node)
{
    if (node->required == REL_DEFAULT)
        return node->where && *node->where;
    return node->required == REL_YES;
}

static size_t count_nodes(const rel_include *incl)
{
    size_t n = 0;
    while (incl && incl[n].association)
        n++;
    return n;
}

int rel_include_parent_key(const rel_assoc *a)
{
    const char *name = a->kind == REL_BELONGS_TO ? a->foreign_key : a->source_key;
    return rel_model_attr_index(a->source, name);
}

int rel_include_child_key(const rel_assoc *a)
{
    switch (a->kind) {
    case REL_BELONGS_TO: return rel_model_attr_index(a->target, a->target_key);
    case REL_HAS_ONE:
    case REL_HAS_MANY: return rel_model_attr_index(a->target, a->foreign_key);
    case REL_BELONGS_TO_MANY: return rel_model_attr_index(a->through, a->foreign_key);
    }
    return -1;
}

static rel_status key_missing(const rel_assoc *a, rel_error *err)
{
    return rel_err(err, REL_DEFINITION, "the keys of association '%s' of %s are not resolved",
                   a->name, a->source->name);
}

/* Checks a tree and adds the keys m's rows need to cols (hidden). */
static rel_status prepare(rel_arena *arena, const rel_model *m, const rel_include *incl,
                          rel_colset *cols, rel_error *err)
{
    for (size_t k = 0; incl && incl[k].association; k++) {
        const rel_assoc *a;
        rel_status st = rel_include_resolve(m, &incl[k], &a, err);
        if (st != REL_OK)
            return st;
        int pk = rel_include_parent_key(a);
        if (pk < 0 || rel_include_child_key(a) < 0)
            return key_missing(a, err);
        if (cols && (st = rel_colset_add(arena, m, cols, pk, false, cols, err)) != REL_OK)
            return st;
        if (incl[k].include) {
            st = prepare(arena, a->target, incl[k].include, NULL, err);
            if (st != REL_OK)
                return st;
        }
    }
    return REL_OK;
}

rel_status rel_include_prepare(rel_arena *arena, const rel_model *m, const rel_include *incl,
                               rel_colset *cols, rel_error *err)
{
    /* Rows are linked through their keys, so the primary key is read even
     * when the attributes leave it out; like Sequelize's toJSON, the JSON
     * then leaves it out too. */
    if (cols && !cols->all && m->pk >= 0) {
        rel_status st = rel_colset_add(arena, m, cols, m->pk, false, cols, err);
        if (st != REL_OK)
            return st;
    }
    return prepare(arena, m, incl, cols, err);
}

/* ---------------------------------------------------------------- filtering */

char *rel_include_alias(const char *parent, const char *name)
{
    rel_buf b;
    rel_buf_init(&b);
    rel_buf_puts(&b, parent);
    rel_buf_puts(&b, "->");
    rel_buf_puts(&b, name);
    return rel_buf_take(&b);
}

void rel_include_join_junction(rel_sql *q, const rel_assoc *a, const char *talias,
                               const char *jalias)
{
    const rel_attr_def *other = rel_model_attr_def(a->through, a->other_key);
    const rel_attr_def *tkey = rel_model_attr_def(a->target, a->target_key);
    rel_sql_raw(q, " INNER JOIN ");
    rel_sql_ident(q, a->through->table);
    rel_sql_raw(q, " AS ");
    rel_sql_ident(q, jalias);
    rel_sql_raw(q, " ON ");
    rel_sql_column(q, jalias, other->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_column(q, talias, tkey->a.field);
}

rel_status rel_include_node_conditions(rel_sql *q, const rel_assoc *a,
                                      const rel_include *node, const char *talias,
                                      const char *jalias, const char **prefix, rel_error *err)
{
    bool w = false;
    rel_status st = rel_where_append(q, a->target, talias, node->where, *prefix, &w, err);
    if (st != REL_OK)
        return st;
    if (w)
        *prefix = " AND ";
    if (a->kind == REL_BELONGS_TO_MANY && node->through_where) {
        st = rel_where_append(q, a->through, jalias, node->through_where, *prefix, &w, err);
        if (st != REL_OK)
            return st;
        if (w)
            *prefix = " AND ";
    }
    if (node->include) {
        st = rel_include_filter(q, a->target, talias, node->include, *prefix, &w, err);
        if (st == REL_OK && w)
            *prefix = " AND ";
    }
    return st;
}

/* EXISTS (SELECT 1 FROM target ... WHERE link = parent.key AND conditions). */
static rel_status exists_for(rel_sql *q, const rel_assoc *a, const rel_include *node,
                             const char *alias, rel_error *err)
{
    rel_status st = REL_OK;
    char *talias = rel_include_alias(alias, a->name);
    char *jalias = talias ? rel_include_alias(talias, a->through ? a->through->name : "") : NULL;
    if (!talias || !jalias) {
        st = rel_err_nomem(err);
        goto done;
    }
    const rel_attr_def *pkey = &a->source->attrs[rel_include_parent_key(a)];
    rel_sql_raw(q, "EXISTS (SELECT 1 FROM ");
    rel_sql_ident(q, a->target->table);
    rel_sql_raw(q, " AS ");
    rel_sql_ident(q, talias);
    if (a->kind == REL_BELONGS_TO_MANY) {
        rel_include_join_junction(q, a, talias, jalias);
        rel_sql_raw(q, " WHERE ");
        rel_sql_column(q, jalias, a->through->attrs[rel_include_child_key(a)].a.field);
    } else {
        rel_sql_raw(q, " WHERE ");
        rel_sql_column(q, talias, a->target->attrs[rel_include_child_key(a)].a.field);
    }
    rel_sql_raw(q, " = ");
    rel_sql_column(q, alias, pkey->a.field);
    const char *prefix = " AND ";
    st = rel_include_node_conditions(q, a, node, talias, jalias, &prefix, err);
    rel_sql_raw(q, ")");
done:
    free(talias);
    free(jalias);
    return st;
}

rel_status rel_include_filter(rel_sql *q, const rel_model *m, const char *alias,
                              const rel_include *incl, const char *prefix, bool *wrote,
                              rel_error *err)
{
    bool any = false;
    if (wrote)
        *wrote = false;
    for (size_t k = 0; incl && incl[k].association; k++) {
        const rel_include *node = &incl[k];
        if (!is_required(node))
            continue;
        const rel_assoc *a;
        rel_status st = rel_include_resolve(m, node, &a, err);
        if (st != REL_OK)
            return st;
        if (rel_include_parent_key(a) < 0 || rel_include_child_key(a) < 0)
            return key_missing(a, err);
        rel_sql_raw(q, any ? " AND " : prefix);
        st = exists_for(q, a, node, alias, err);
        if (st != REL_OK)
            return st;
        any = true;
    }
    if (wrote)
        *wrote = any;
    return REL_OK;
}

/* ---------------------------------------------------------------- key hash */

/* Distinct key values of the parents, each with the chain of parents having
 * it. Kept small (32-bit indexes): it is alive while a level's rows load. */
typedef struct keymap {
    size_t cap;        /* slots, a power of two */
    uint32_t *slot;    /* key index + 1, 0 when empty */
    rel_value *keys;   /* distinct keys, in first-seen order, while the query is
                          built; NULL after (keymap_drop_keys) */
    size_t nkeys;
    uint32_t *head;    /* per key: first parent */
    uint32_t *next;    /* per parent: next parent with the same key (KM_END: none) */
    rel_record *const *rows; /* the parents */
    int key;           /* their key attribute */
} keymap;

#define KM_END UINT32_MAX

/* Key k's value: from the list, or, once it is dropped, from the first
 * parent having it. */
static rel_value keymap_key(const keymap *km, size_t k)
{
    return km->keys ? km->keys[k] : rel_record_at(km->rows[km->head[k]], km->key);
}

/* The query is built: the list of keys is no longer needed. */
static void keymap_drop_keys(keymap *km)
{
    free(km->keys);
    km->keys = NULL;
}

uint64_t rel_include_hash(rel_value v)
{
    uint64_t h;
    switch (v.kind) {
    case REL_V_INT: h = (uint64_t)v.i; break;
    case REL_V_DOUBLE: memcpy(&h, &v.d, sizeof h); break;
    case REL_V_TEXT:
    case REL_V_BLOB:
        h = 1469598103934665603ULL;
        for (size_t i = 0; i < v.len; i++)
            h = (h ^ (unsigned char)v.s[i]) * 1099511628211ULL;
        break;
    default: h = 0; break;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

bool rel_include_key_equal(rel_value a, rel_value b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case REL_V_INT: return a.i == b.i;
    case REL_V_DOUBLE: return a.d == b.d;
    case REL_V_TEXT:
    case REL_V_BLOB: return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
    default: return false;
    }
}

static void keymap_free(keymap *km)
{
    free(km->slot);
    free(km->keys);
    free(km->head);
    free(km->next);
}

/* Index of key v, or SIZE_MAX. */
static size_t keymap_find(const keymap *km, rel_value v)
{
    if (v.kind == REL_V_NULL)
        return SIZE_MAX;
    for (size_t s = rel_include_hash(v) & (km->cap - 1);; s = (s + 1) & (km->cap - 1)) {
        if (!km->slot[s])
            return SIZE_MAX;
        if (rel_include_key_equal(keymap_key(km, km->slot[s] - 1), v))
            return km->slot[s] - 1;
    }
}

static bool keymap_build(keymap *km, rel_record *const *rows, size_t n, int key)
{
    memset(km, 0, sizeof *km);
    km->rows = rows;
    km->key = key;
    if (n >= KM_END / 2)
        return false;
    km->cap = 16;
    while (km->cap < 2 * n)
        km->cap *= 2;
    km->slot = calloc(km->cap, sizeof *km->slot);
    km->keys = malloc(n * sizeof *km->keys);
    km->head = malloc(n * sizeof *km->head);
    km->next = malloc(n * sizeof *km->next);
    if (!km->slot || !km->keys || !km->head || !km->next)
        return false;
    for (size_t i = n; i-- > 0;) {
        /* Walking backwards and pushing on the chain heads keeps each chain
         * in the parents' order. */
        km->next[i] = KM_END;
        if (!rel_record_has(rows[i], key))
            continue;
        rel_value v = rel_record_at(rows[i], key);
        if (v.kind == REL_V_NULL)
            continue;
        size_t s = rel_include_hash(v) & (km->cap - 1);
        while (km->slot[s] && !rel_include_key_equal(km->keys[km->slot[s] - 1], v))
            s = (s + 1) & (km->cap - 1);
        if (!km->slot[s]) {
            km->keys[km->nkeys] = v;
            km->head[km->nkeys] = KM_END;
            km->slot[s] = (uint32_t)++km->nkeys;
        }
        size_t k = km->slot[s] - 1;
        km->next[i] = km->head[k];
        km->head[k] = (uint32_t)i;
    }
    return true;
}

/* ---------------------------------------------------------------- loading */

/* The order items that belong to this node (path starting with its name),
 * with that first step removed. */
static rel_status sub_order(rel_arena *arena, const rel_order *order, const rel_assoc *a,
                            const rel_include *node, rel_order *out, rel_error *err)
{
    out->items = NULL;
    out->n = 0;
    if (!order || !order->n)
        return REL_OK;
    out->items = rel_arena_calloc(arena, order->n, sizeof *out->items);
    if (!out->items)
        return rel_err_nomem(err);
    for (size_t i = 0; i < order->n; i++) {
        const rel_order_item *it = &order->items[i];
        if (!it->npath || (strcmp(it->path[0], a->name) != 0 &&
                           strcmp(it->path[0], node->association) != 0))
            continue;
        rel_order_item *o = &out->items[out->n++];
        *o = *it;
        o->path = it->npath > 1 ? it->path + 1 : NULL;
        o->npath = it->npath - 1;
    }
    return REL_OK;
}

/* The rows an order on this node's own includes ranks: those linked to one
 * of the parents' keys (include_order.c). */
typedef struct node_scope {
    const rel_assoc *a;
    const keymap *km;
} node_scope;

static rel_status node_scope_write(rel_sql *q, const char *alias, void *user, rel_error *err)
{
    const node_scope *s = user;
    const rel_assoc *a = s->a;
    const rel_attr_def *pkey = &a->source->attrs[rel_include_parent_key(a)];
    const rel_attr_def *ckey = a->kind == REL_BELONGS_TO_MANY
                                   ? &a->through->attrs[rel_include_child_key(a)]
                                   : &a->target->attrs[rel_include_child_key(a)];
    rel_sql_raw(q, " WHERE ");
    if (a->kind != REL_BELONGS_TO_MANY) {
        rel_sql_column(q, alias, ckey->a.field);
        rel_sql_in_values(q, pkey->a.type, s->km->keys, s->km->nkeys);
        return REL_OK;
    }
    char *jalias = rel_include_alias(alias, a->through->name);
    if (!jalias)
        return rel_err_nomem(err);
    rel_sql_column(q, alias, rel_model_attr_def(a->target, a->target_key)->a.field);
    rel_sql_raw(q, " IN (SELECT ");
    rel_sql_column(q, jalias, rel_model_attr_def(a->through, a->other_key)->a.field);
    rel_select_from(q, a->through, jalias);
    rel_sql_raw(q, " WHERE ");
    rel_sql_column(q, jalias, ckey->a.field);
    rel_sql_in_values(q, pkey->a.type, s->km->keys, s->km->nkeys);
    rel_sql_raw(q, ")");
    free(jalias);
    return REL_OK;
}

/* Whether an order item is attribute `key` of the target itself, ascending
 * (no direction, or ASC with any NULLS placement: a key is never NULL). */
static bool is_key_asc(const rel_order_item *it, const char *key)
{
    return it->npath == 0 && strcmp(it->attr, key) == 0 &&
           (!it->dir || strncmp(it->dir, "ASC", 3) == 0);
}

/* A growing list of rows (malloc'd: only the query's lifetime). */
typedef struct rel_rows {
    rel_record **at;
    size_t n, cap;
} rel_rows;

static bool rows_push(rel_rows *l, rel_record *r)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        rel_record **at = realloc(l->at, cap * sizeof *at);
        if (!at)
            return false;
        l->at = at;
        l->cap = cap;
    }
    l->at[l->n++] = r;
    return true;
}

/* Gives the rows of one key (run) to every parent with that key, after the
 * rows they have (a key comes back in one run, unless a collation orders
 * values that differ in bytes as equal; then its runs are joined). To-one
 * associations keep the first row. Empties run. */
static rel_status hand_out(rel_arena *arena, rel_record *const *rows, size_t slot_no,
                           bool one, const keymap *km, size_t key, rel_rows *run,
                           rel_error *err)
{
    if (key == SIZE_MAX || run->n == 0) {
        run->n = 0;
        return REL_OK;
    }
    for (size_t p = km->head[key]; p != KM_END; p = km->next[p]) {
        rel_incl_slot *s = &rel_record_incl(rows[p])[slot_no];
        size_t take = one ? (s->n ? 0 : 1) : run->n;
        if (!take)
            continue;
        if (take > UINT32_MAX - s->n)
            return rel_err(err, REL_INVALID, "%s: more than %u included rows under one row",
                           s->assoc ? s->assoc->name : "include", (unsigned)UINT32_MAX);
        rel_record **at = rel_arena_alloc_packed(arena, (s->n + take) * sizeof *at, sizeof *at);
        if (!at)
            return rel_err_nomem(err);
        if (s->n)
            memcpy(at, s->rows, s->n * sizeof *at);
        memcpy(at + s->n, run->at, take * sizeof *at);
        s->rows = at;
        s->n += (uint32_t)take;
    }
    run->n = 0;
    return REL_OK;
}

/* One include node for parents rows[0..n): query, hand out, recurse. */
static rel_status load_node(rel_db *db, rel_arena *arena, rel_record *const *rows, size_t n,
                            size_t slot_no, const rel_assoc *a, const rel_include *node,
                            const rel_order *order, rel_error *err)
{
    const rel_model *t = a->target, *j = a->through;
    const bool btm = a->kind == REL_BELONGS_TO_MANY;
    const int pkey = rel_include_parent_key(a), ckey = rel_include_child_key(a);
    const char *talias = a->name;
    rel_status st = REL_OK;
    keymap km;
    rel_sql q;
    rel_stmt *stmt = NULL;
    char *jalias = NULL;
    rel_rows got = {0};  /* loaded rows in query order, when deeper includes need them */
    rel_rows run = {0};  /* the current run of rows with one key */
    size_t run_key = SIZE_MAX;
    rel_value run_value = {REL_V_NULL, 0, 0, NULL, 0}; /* its key */
    /* attributes: [] shows nothing: Sequelize leaves the association out of
     * the row, with everything included under it (_setInclude); its where
     * and required still filter the parents (rel_include_filter). */
    if (node->attributes && !node->attributes[0])
        return REL_OK;
    rel_sql_init(&q, db->dialect);
    bool km_ok = keymap_build(&km, rows, n, pkey);

    for (size_t i = 0; i < n; i++) {
        rel_incl_slot *s = &rel_record_incl(rows[i])[slot_no];
        s->assoc = a;
        s->loaded = true;
        s->rows = NULL;
        s->n = 0;
    }
    if (!km_ok) {
        st = rel_err_nomem(err);
        goto done;
    }
    if (km.nkeys == 0)
        goto done; /* no parent has a key: nothing can match */

    /* Columns: the target's (asked for, plus keys), then the junction's. */
    rel_colset tcols, jcols = {0};
    st = rel_colset_names(arena, t, node->attributes, &tcols, err);
    if (st == REL_OK && !btm)
        st = rel_colset_add(arena, t, &tcols, ckey, false, &tcols, err);
    if (st == REL_OK && node->include)
        st = prepare(arena, t, node->include, &tcols, err);
    if (st == REL_OK && btm) {
        /* NULL: every junction attribute; an empty list: none shown. */
        st = rel_colset_names(arena, j, node->through_attributes, &jcols, err);
        if (st == REL_OK)
            st = rel_colset_add(arena, j, &jcols, ckey, false, &jcols, err);
    }
    if (st != REL_OK)
        goto done;
    if (btm && !(jalias = rel_include_alias(talias, j->name))) {
        st = rel_err_nomem(err);
        goto done;
    }

    rel_sql_raw(&q, "SELECT ");
    rel_select_columns(&q, t, talias, &tcols);
    if (btm) {
        rel_sql_raw(&q, ", ");
        rel_select_columns(&q, j, jalias, &jcols);
    }
    rel_select_from(&q, t, talias);
    if (btm)
        rel_include_join_junction(&q, a, talias, jalias);
    /* The caller's items for this association order its rows; those with
     * a path, by this node's own includes. When they start with the
     * target's key ascending, the order is (link, key) and the rest never
     * decide (`here` drops them; deeper levels still get theirs from `mine`). */
    rel_order mine, here;
    st = sub_order(arena, order, a, node, &mine, err);
    const char *pk_attr = t->pk >= 0 ? t->attrs[t->pk].a.name : NULL;
    const bool by_key =
        st == REL_OK && pk_attr && (mine.n == 0 || is_key_asc(&mine.items[0], pk_attr));
    here = mine;
    if (by_key)
        here.n = 0;
    node_scope scope = {a, &km};
    if (st == REL_OK)
        st = rel_include_order_join(&q, t, talias, node->include, &here, node_scope_write,
                                    &scope, err);
    if (st != REL_OK)
        goto done;
    rel_sql_raw(&q, " WHERE ");
    if (btm)
        rel_sql_column(&q, jalias, j->attrs[ckey].a.field);
    else
        rel_sql_column(&q, talias, t->attrs[ckey].a.field);
    if (km.nkeys == 1 && km.keys[0].kind != REL_V_BLOB) {
        /* One parent key (a find by primary key, a getter): `= ?` finds the
         * same rows without the engine unpacking an array (SQLite builds a
         * temporary b-tree for json_each's list). Blobs keep the array
         * form, which refuses them on SQLite as before. */
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, a->source->attrs[pkey].a.type, km.keys[0]);
    } else {
        rel_sql_in_values(&q, a->source->attrs[pkey].a.type, km.keys, km.nkeys);
    }
    const char *prefix = " AND ";
    st = rel_include_node_conditions(&q, a, node, talias, jalias, &prefix, err);
    if (st != REL_OK)
        goto done;

    /* Order: the linking column first, then the caller's items for this
     * association, then the target's key so that rows come in a stable
     * order on both engines. Rows are handed out per parent, so only their
     * order within one key counts, and the linking column leaves that as
     * it was; but the engine can then read them in index order instead of
     * sorting them all. Ordered by (link, key), a belongsToMany's junction
     * other key stands for the target's key (the join makes them equal):
     * the junction's primary key index holds exactly that order. */
    rel_sql_raw(&q, " ORDER BY ");
    if (btm)
        rel_sql_column(&q, jalias, j->attrs[ckey].a.field);
    else
        rel_sql_column(&q, talias, t->attrs[ckey].a.field);
    if (by_key) {
        rel_sql_raw(&q, ", ");
        if (btm && strcmp(a->target_key, pk_attr) == 0)
            rel_sql_column(&q, jalias, rel_model_attr_def(j, a->other_key)->a.field);
        else
            rel_sql_column(&q, talias, t->attrs[t->pk].a.field);
    }
    bool wrote = true; /* the ORDER BY is open: go on with ", " */
    st = rel_include_order_append(&q, t, talias, node->include, &here, &wrote, err);
    if (st != REL_OK)
        goto done;
    if (!by_key && t->pk >= 0) {
        rel_sql_raw(&q, ", ");
        rel_sql_column(&q, talias, t->attrs[t->pk].a.field);
    }

    st = rel_sql_run(db, &q, &stmt, err);
    if (st != REL_OK)
        goto done;
    /* The statement has its parameters: the key list and the query's text
     * and values (a long key list for a large level) go before rows load. */
    keymap_drop_keys(&km);
    rel_sql_free(&q);
    const bool pg = rel_db_is_postgres(db);
    const bool show_through = btm && jcols.nshow > 0;
    const bool one = is_to_one(a);
    /* The rows of this node share a shape, their junction rows another. */
    rel_shape *tshape = rel_select_shape(arena, t, &tcols, pg);
    rel_shape *jshape = btm ? rel_select_shape(arena, j, &jcols, pg) : NULL;
    const unsigned extras = node->include ? REL_REC_INCL : 0;
    rel_record *jr = NULL; /* hidden junction rows are all read into one record */
    if (!tshape || (btm && !jshape)) {
        st = rel_err_nomem(err);
        goto done;
    }
    for (;;) {
        int step = rel_stmt_next(stmt, err);
        if (step < 0) {
            st = (rel_status)step;
            goto done;
        }
        if (step == 0)
            break;
        /* A shown junction row lives right after its row. */
        rel_record *r = show_through ? rel_record_in_pair(tshape, extras, jshape, &jr)
                                     : rel_record_in(tshape, extras);
        if (btm && !show_through && !jr)
            jr = rel_record_in(jshape, 0);
        if (!r || (btm && !jr)) {
            st = rel_err_nomem(err);
            goto done;
        }
        st = rel_select_read_row(stmt, 0, r, &tcols, err);
        if (st == REL_OK && btm)
            st = rel_select_read_row(stmt, (int)tcols.n, jr, &jcols, err);
        if (st != REL_OK)
            goto done;
        /* Rows come ordered by their key (the ORDER BY starts with it), so
         * they arrive in runs, one per key, each handed out when it ends.
         * An integer key (the usual one) is compared in its slot. */
        const rel_record *kr = btm ? jr : r;
        bool same = false;
        if (run_key != SIZE_MAX) {
            if ((rel_record_flags(kr)[ckey] & REL_SLOT_KIND) == REL_V_INT)
                same = run_value.kind == REL_V_INT && rel_record_slots(kr)[ckey].i == run_value.i;
            else
                same = rel_include_key_equal(rel_record_at(kr, ckey), run_value);
        }
        if (!same) {
            st = hand_out(arena, rows, slot_no, one, &km, run_key, &run, err);
            if (st != REL_OK)
                goto done;
            run_key = keymap_find(&km, rel_record_at(kr, ckey));
            if (run_key != SIZE_MAX)
                run_value = keymap_key(&km, run_key);
        }
        if (run_key == SIZE_MAX)
            continue;
        if (!rows_push(&run, r) || (node->include && !rows_push(&got, r))) {
            st = rel_err_nomem(err);
            goto done;
        }
    }
    rel_stmt_done(stmt);
    stmt = NULL;
    st = hand_out(arena, rows, slot_no, one, &km, run_key, &run, err);
    if (st != REL_OK)
        goto done;
    free(run.at);
    run = (rel_rows){0};
    if (got.n && got.n < got.cap) { /* kept while the next level loads */
        rel_record **fit = realloc(got.at, got.n * sizeof *fit);
        if (fit) {
            got.at = fit;
            got.cap = got.n;
        }
    }

    /* Deeper includes, for all of this node's rows at once; items of
     * `mine` with a path order them. */
    if (node->include && got.n)
        st = rel_include_load(db, arena, got.at, got.n, t, node->include, &mine, err);
done:
    rel_stmt_done(stmt);
    rel_sql_free(&q);
    keymap_free(&km);
    free(jalias);
    free(got.at);
    free(run.at);
    return st;
}

static int by_address(const void *x, const void *y)
{
    uintptr_t a = (uintptr_t) * (rel_record *const *)x, b = (uintptr_t) * (rel_record *const *)y;
    return a < b ? -1 : a > b;
}

/* One level of includes. joined: the rows were read with their joined
 * nodes (rel_include_join_read), so their slots exist and those nodes only
 * need what is under them. */
static rel_status load_level(rel_db *db, rel_arena *arena, rel_record *const *rows, size_t n,
                             const rel_model *m, const rel_include *incl,
                             const rel_order *order, bool joined, rel_error *err)
{
    size_t nodes = count_nodes(incl);
    if (!nodes || !n)
        return REL_OK;
    for (size_t i = 0; !joined && i < n; i++) {
        rel_status st = rel_record_incl_alloc(rows[i], nodes, err);
        if (st != REL_OK)
            return st;
    }
    for (size_t k = 0; k < nodes; k++) {
        const rel_assoc *a;
        rel_status st = rel_include_resolve(m, &incl[k], &a, err);
        if (st == REL_OK && (rel_include_parent_key(a) < 0 || rel_include_child_key(a) < 0))
            st = key_missing(a, err);
        if (st != REL_OK)
            return st;
        if (!joined || !rel_include_joinable(a, &incl[k])) {
            st = load_node(db, arena, rows, n, k, a, &incl[k], order, err);
            if (st != REL_OK)
                return st;
            continue;
        }
        if (!incl[k].include)
            continue;
        /* The joined rows are the parents of the next level. */
        size_t ngot = 0;
        rel_record **got = rel_arena_alloc(arena, n * sizeof *got);
        if (!got)
            return rel_err_nomem(err);
        for (size_t i = 0; i < n; i++)
            if (rel_record_incl(rows[i])[k].n)
                got[ngot++] = rel_record_incl(rows[i])[k].rows[0];
        /* Parents sharing a target share its record (rel_include_join_read):
         * it is loaded for once. */
        qsort(got, ngot, sizeof *got, by_address);
        size_t u = 0;
        for (size_t i = 0; i < ngot; i++)
            if (!u || got[u - 1] != got[i])
                got[u++] = got[i];
        ngot = u;
        rel_order mine;
        st = sub_order(arena, order, a, &incl[k], &mine, err);
        if (st == REL_OK)
            st = load_level(db, arena, got, ngot, a->target, incl[k].include, &mine, true, err);
        if (st != REL_OK)
            return st;
    }
    return REL_OK;
}

rel_status rel_include_load(rel_db *db, rel_arena *arena, rel_record *const *rows, size_t n,
                            const rel_model *m, const rel_include *incl, const rel_order *order,
                            rel_error *err)
{
    return load_level(db, arena, rows, n, m, incl, order, false, err);
}

rel_status rel_include_load_joined(rel_db *db, rel_arena *arena, rel_record *const *rows,
                                   size_t n, const rel_model *m, const rel_include *incl,
                                   const rel_order *order, rel_error *err)
{
    return load_level(db, arena, rows, n, m, incl, order, true, err);
}
