/* belongsToMany, reading: getXs, countXs, hasX(s) (Sequelize's
 * belongs-to-many.js). Target rows are found with the find engine and an
 * EXISTS on the junction, so where, order, limit, attributes and include
 * all work; each row then gets its junction row from one more query, under
 * the junction model's name as in Sequelize. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/assoc.h"
#include "query/assoc_keys.h"
#include "query/find.h"
#include "query/select.h"
#include "sql/where.h"
#include "util/error.h"

rel_status rel_btm_init(rel_btm *b, rel_assoc_call *c)
{
    const rel_assoc *a = c->a;
    memset(b, 0, sizeof *b);
    b->c = c;
    b->t = a->target;
    b->j = a->through;
    if (!b->j)
        return rel_err(c->err, REL_ERROR, "%s has no junction model", a->name);
    b->fk_i = rel_model_attr_index(b->j, a->foreign_key);
    b->ok_i = rel_model_attr_index(b->j, a->other_key);
    b->tk_i = rel_model_attr_index(b->t, a->target_key);
    if (b->fk_i < 0 || b->ok_i < 0 || b->tk_i < 0)
        return rel_err(c->err, REL_ERROR, "%s: the junction %s lacks its keys", a->name,
                       b->j->name);
    b->fk = &b->j->attrs[b->fk_i];
    b->ok = &b->j->attrs[b->ok_i];
    b->tk = &b->t->attrs[b->tk_i];
    return rel_assoc_source_value(c, a->source_key, &b->srcval);
}

rel_status rel_btm_sql_linked(rel_sql *q, const rel_btm *b, const char *alias,
                              const json_t *jwhere)
{
    const char *ja = b->j->name;
    rel_sql_raw(q, "EXISTS (SELECT 1");
    rel_select_from(q, b->j, ja);
    rel_sql_raw(q, " WHERE ");
    rel_sql_column(q, ja, b->ok->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_column(q, alias, b->tk->a.field);
    rel_sql_raw(q, " AND ");
    rel_sql_column(q, ja, b->fk->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param(q, b->fk->a.type, b->srcval);
    rel_status st = rel_where_append_json(q, b->j, ja, jwhere, " AND ", NULL, b->c->err);
    rel_sql_raw(q, ")");
    return st;
}

/* ---------------------------------------------------------------- where */

/* A where split in two: the target's part (as text for the find engine)
 * and the junction's, found under the junction model's name. */
typedef struct split_where {
    const char *target; /* borrowed from the caller, or `owned` */
    char *owned;
    json_t *junction;   /* NULL: none */
} split_where;

static rel_status split(const rel_btm *b, const char *where, split_where *out)
{
    memset(out, 0, sizeof *out);
    out->target = where;
    json_t *w = NULL;
    rel_status st = rel_where_parse(where, &w, b->c->err);
    if (st != REL_OK || !w)
        return st;
    json_t *jw = json_is_object(w) ? json_object_get(w, b->j->name) : NULL;
    /* An attribute of the target named like the junction keeps its meaning. */
    if (!jw || rel_model_attr_index(b->t, b->j->name) >= 0) {
        json_decref(w);
        return REL_OK;
    }
    if (!json_is_object(jw)) {
        json_decref(w);
        return rel_err(b->c->err, REL_INVALID,
                       "%s: the where under '%s' (the junction) must be an object",
                       b->c->a->name, b->j->name);
    }
    out->junction = json_incref(jw);
    json_object_del(w, b->j->name);
    out->owned = json_dumps(w, JSON_COMPACT);
    json_decref(w);
    if (!out->owned) {
        json_decref(out->junction);
        out->junction = NULL;
        return rel_err_nomem(b->c->err);
    }
    out->target = out->owned;
    return REL_OK;
}

static void split_free(split_where *s)
{
    free(s->owned);
    json_decref(s->junction);
}

/* The find's extra condition: linked to the source, optionally among ids. */
typedef struct linked_cond {
    const rel_btm *b;
    const json_t *jwhere;
    const rel_assoc_ids *ids; /* NULL: any */
} linked_cond;

static rel_status linked_write(rel_sql *q, const char *alias, void *user, rel_error *err)
{
    (void)err;
    const linked_cond *k = user;
    if (k->ids) {
        const rel_attr_def *attr = &k->b->t->attrs[k->ids->attr];
        rel_sql_column(q, alias, attr->a.field);
        rel_assoc_sql_in(q, attr, &k->ids->ids);
        rel_sql_raw(q, " AND ");
    }
    return rel_btm_sql_linked(q, k->b, alias, k->jwhere);
}

/* ---------------------------------------------------------------- get */

/* The attribute list with the target key added when the caller left it
 * out: it is needed to pair rows with junction rows, then hidden. */
static rel_status with_target_key(const rel_btm *b, const rel_find_opts *o, rel_arena *arena,
                                  const char *const **out, bool *added)
{
    *out = o->attributes;
    *added = false;
    if (!o->attributes)
        return REL_OK;
    size_t n = 0;
    for (; o->attributes[n]; n++)
        if (strcmp(o->attributes[n], b->tk->a.name) == 0)
            return REL_OK;
    /* With includes the find reads the primary key itself (not shown). */
    if (o->include && o->include->association && b->tk_i == b->t->pk)
        return REL_OK;
    const char **list = rel_arena_alloc(arena, (n + 2) * sizeof *list);
    if (!list)
        return rel_err_nomem(b->c->err);
    memcpy(list, o->attributes, n * sizeof *list);
    list[n] = b->tk->a.name;
    list[n + 1] = NULL;
    *out = list;
    *added = true;
    return REL_OK;
}

/* Gives each row of res its junction row: one query for all of them. */
static rel_status attach_junction(const rel_btm *b, rel_result *res, const json_t *jwhere,
                                  rel_arena *tmp)
{
    rel_db *db = b->c->db;
    rel_error *err = b->c->err;
    rel_keyset keys;
    rel_keyset_init(&keys, tmp);
    rel_record **owner = rel_arena_alloc(tmp, res->n * sizeof *owner);
    if (!owner)
        return rel_err_nomem(err);
    for (size_t i = 0; i < res->n; i++) {
        rel_record *r = res->rows[i];
        if (!rel_record_has(r, b->tk_i) || rel_record_at(r, b->tk_i).kind == REL_V_NULL)
            continue;
        size_t before = keys.n, pos;
        if (rel_keyset_add(&keys, rel_record_at(r, b->tk_i), &pos) != REL_OK)
            return rel_err_nomem(err);
        if (keys.n > before)
            owner[pos] = r;
    }
    if (keys.n == 0)
        return REL_OK;
    rel_colset all;
    rel_status st = rel_colset_all(tmp, b->j, &all, err);
    if (st != REL_OK)
        return st;
    const char *ja = b->j->name;
    rel_sql q;
    rel_stmt *s = NULL;
    rel_sql_init(&q, db->dialect);
    rel_select_build(&q, b->j, ja, &all);
    rel_sql_raw(&q, " WHERE ");
    rel_sql_column(&q, ja, b->fk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, b->fk->a.type, b->srcval);
    rel_sql_raw(&q, " AND ");
    rel_sql_column(&q, ja, b->ok->a.field);
    rel_sql_in_values(&q, b->ok->a.type, keys.v, keys.n);
    st = rel_where_append_json(&q, b->j, ja, jwhere, " AND ", NULL, err);
    if (st == REL_OK)
        st = rel_sql_run(db, &q, &s, err);
    rel_shape *jshape = NULL;
    if (st == REL_OK && !(jshape = rel_select_shape(res->arena, b->j, &all, rel_db_is_postgres(db))))
        st = rel_err_nomem(err);
    while (st == REL_OK) {
        int step = rel_stmt_next(s, err);
        if (step <= 0) {
            st = (rel_status)step;
            break;
        }
        rel_record *jr = rel_record_in(jshape, 0);
        if (!jr) {
            st = rel_err_nomem(err);
            break;
        }
        st = rel_select_read_row(s, 0, jr, &all, err);
        if (st != REL_OK)
            break;
        size_t pos = rel_keyset_find(&keys, rel_record_at(jr, b->ok_i));
        if (pos != SIZE_MAX && !rel_record_through(owner[pos]) &&
            !rel_record_set_through(owner[pos], jr))
            st = rel_err(err, REL_MISUSE, "%s: a row made without room for its junction row",
                         b->j->name);
    }
    rel_stmt_done(s);
    rel_sql_free(&q);
    return st;
}

/* Hides the target key added only to pair rows (it is last of the shown). */
static void hide_target_key(const rel_btm *b, rel_result *res)
{
    rel_shape *hidden = NULL; /* the rows share their query's shape: shorten it once */
    for (size_t i = 0; i < res->n; i++) {
        rel_record *r = res->rows[i];
        rel_shape *sh = r->shape;
        if (sh != hidden && sh->ordered && sh->norder && sh->order[sh->norder - 1] == b->tk_i) {
            sh->norder--;
            hidden = sh;
        }
        if (sh == hidden)
            rel_record_clear(r, b->tk_i);
    }
}

rel_status rel_btm_get(rel_assoc_call *c, const rel_find_opts *opts, rel_result **out)
{
    rel_btm b;
    rel_status st = rel_btm_init(&b, c);
    if (st != REL_OK)
        return st;
    rel_find_opts o = {0};
    if (opts)
        o = *opts;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    split_where w;
    bool added = false;
    rel_result *res = NULL;
    st = split(&b, o.where, &w);
    if (st != REL_OK)
        goto done;
    if (o.through_where) {
        json_t *tw = NULL;
        st = rel_where_parse(o.through_where, &tw, c->err);
        if (st != REL_OK)
            goto out;
        if (w.junction && tw) {
            /* both forms given: the junction row must match both */
            json_t *both = json_pack("{s:[o,o]}", "and", w.junction, tw);
            w.junction = both;
            if (!both) {
                st = rel_err_nomem(c->err);
                goto out;
            }
        } else if (tw) {
            w.junction = tw;
        }
    }
    o.where = w.target;
    st = with_target_key(&b, opts ? opts : &o, tmp, &o.attributes, &added);
    if (st != REL_OK)
        goto out;
    linked_cond k = {&b, w.junction, NULL};
    st = rel_find_rows_with(c->db, b.t, &o, linked_write, &k, REL_REC_THROUGH, &res, c->err);
    if (st == REL_OK && res->n)
        st = attach_junction(&b, res, w.junction, tmp);
    if (st == REL_OK && added)
        hide_target_key(&b, res);
    if (st == REL_OK) {
        *out = res;
        res = NULL;
    }
out:
    split_free(&w);
done:
    rel_result_free(res);
    rel_arena_free(tmp);
    return st;
}

rel_status rel_btm_count(rel_assoc_call *c, const char *where, int64_t *out)
{
    rel_btm b;
    rel_status st = rel_btm_init(&b, c);
    if (st != REL_OK)
        return st;
    split_where w;
    st = split(&b, where, &w);
    if (st != REL_OK)
        return st;
    rel_find_opts o = {.where = w.target};
    linked_cond k = {&b, w.junction, NULL};
    st = rel_count_rows(c->db, b.t, &o, linked_write, &k, out, c->err);
    split_free(&w);
    return st;
}

rel_status rel_btm_has(rel_assoc_call *c, const rel_assoc_given *g, bool *out)
{
    rel_btm b;
    *out = false;
    rel_status st = rel_btm_init(&b, c);
    if (st != REL_OK)
        return st;
    if (g->n == 0) {
        *out = true; /* every one of none */
        return REL_OK;
    }
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_assoc_ids ids;
    int key_attr = b.t->pk >= 0 ? b.t->pk : b.tk_i;
    st = rel_assoc_ids_of(c, tmp, g, key_attr, b.tk_i, &ids);
    if (st == REL_OK) {
        linked_cond k = {&b, NULL, &ids};
        int64_t n = 0;
        st = rel_count_rows(c->db, b.t, NULL, linked_write, &k, &n, c->err);
        *out = st == REL_OK && n == (int64_t)ids.ids.n;
    }
    rel_arena_free(tmp);
    return st;
}
