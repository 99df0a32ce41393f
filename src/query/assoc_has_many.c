/* hasMany: getXs, countXs, hasX(s), setXs, addX(s), removeX(s) (Sequelize's
 * has-many.js). The key is on the target rows: linking and unlinking are
 * UPDATEs of that key over a list of primary keys bound as one array, so a
 * call issues the same few statements for one row or thousands. */
#include <stdint.h>
#include <string.h>

#include "query/assoc.h"
#include "query/assoc_keys.h"
#include "query/find.h"
#include "query/select.h"
#include "util/datetime.h"
#include "util/error.h"

/* What a hasMany call works with. */
typedef struct hm {
    rel_assoc_call *c;
    const rel_model *t;
    const rel_attr_def *fk; /* on the target */
    int fk_i;
    const rel_attr_def *pk; /* the target's primary key */
    rel_value srcval;       /* the source's sourceKey */
} hm;

static rel_status hm_init(hm *h, rel_assoc_call *c)
{
    memset(h, 0, sizeof *h);
    h->c = c;
    h->t = c->a->target;
    h->fk_i = rel_model_attr_index(h->t, c->a->foreign_key);
    if (h->fk_i < 0)
        return rel_err(c->err, REL_ERROR, "%s: %s has no key '%s'", c->a->name, h->t->name,
                       c->a->foreign_key);
    h->fk = &h->t->attrs[h->fk_i];
    h->pk = h->t->pk >= 0 ? &h->t->attrs[h->t->pk] : NULL;
    return rel_assoc_source_value(c, c->a->source_key, &h->srcval);
}

static rel_status need_pk(const hm *h)
{
    if (h->pk)
        return REL_OK;
    return rel_err(h->c->err, REL_INVALID, "%s: %s has no single primary key to link rows by",
                   h->c->a->name, h->t->name);
}

/* `"alias"."fk" = ?` and, with ids, `AND "alias"."pk" IN (...)`. */
typedef struct hm_cond {
    const hm *h;
    const rel_keyset *ids;
} hm_cond;

static rel_status hm_cond_write(rel_sql *q, const char *alias, void *user, rel_error *err)
{
    (void)err;
    const hm_cond *k = user;
    rel_sql_column(q, alias, k->h->fk->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param(q, k->h->fk->a.type, k->h->srcval);
    if (k->ids) {
        rel_sql_raw(q, " AND ");
        rel_sql_column(q, alias, k->h->pk->a.field);
        rel_assoc_sql_in(q, k->h->pk, k->ids);
    }
    return REL_OK;
}

rel_status rel_has_many_get(rel_assoc_call *c, const rel_find_opts *opts, rel_result **out)
{
    hm h;
    rel_status st = hm_init(&h, c);
    if (st != REL_OK)
        return st;
    hm_cond k = {&h, NULL};
    return rel_find_rows(c->db, h.t, opts, hm_cond_write, &k, out, c->err);
}

rel_status rel_has_many_count(rel_assoc_call *c, const char *where, int64_t *out)
{
    hm h;
    rel_status st = hm_init(&h, c);
    if (st != REL_OK)
        return st;
    hm_cond k = {&h, NULL};
    rel_find_opts o = {.where = where};
    return rel_count_rows(c->db, h.t, &o, hm_cond_write, &k, out, c->err);
}

rel_status rel_has_many_has(rel_assoc_call *c, const rel_assoc_given *g, bool *out)
{
    hm h;
    *out = false;
    rel_status st = hm_init(&h, c);
    if (st == REL_OK)
        st = need_pk(&h);
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
    st = rel_assoc_ids_of(c, tmp, g, h.t->pk, h.t->pk, &ids);
    if (st == REL_OK) {
        hm_cond k = {&h, &ids.ids};
        int64_t n = 0;
        st = rel_count_rows(c->db, h.t, NULL, hm_cond_write, &k, &n, c->err);
        *out = st == REL_OK && n == (int64_t)ids.ids.n;
    }
    rel_arena_free(tmp);
    return st;
}

/* ---------------------------------------------------------------- writing */

/* UPDATE target SET fk = <value>, updatedAt = ? WHERE <where>
 * RETURNING pk; the returned keys go into `done`. */
typedef enum hm_where {
    HM_LINK,    /* pk IN ids (every given row, as Sequelize: RETURNING then
                   tells which exist) */
    HM_UNLINK,  /* fk = source AND pk IN ids */
    HM_OBSOLETE /* fk = source AND pk NOT IN ids */
} hm_where;

/* The rows `which` names, as a condition. */
static void hm_where_write(rel_sql *q, const hm *h, hm_where which, const rel_keyset *ids)
{
    if (which == HM_LINK) {
        rel_sql_ident(q, h->pk->a.field);
        rel_assoc_sql_in(q, h->pk, ids);
        return;
    }
    rel_sql_ident(q, h->fk->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param(q, h->fk->a.type, h->srcval);
    rel_sql_raw(q, which == HM_UNLINK ? " AND " : " AND NOT (");
    rel_sql_ident(q, h->pk->a.field);
    rel_assoc_sql_in(q, h->pk, ids);
    if (which == HM_OBSOLETE)
        rel_sql_raw(q, ")");
}

static rel_status hm_update(const hm *h, hm_where which, const rel_keyset *ids, int64_t now,
                            rel_keyset *done)
{
    const rel_attr_def *fk = h->fk, *pk = h->pk;
    rel_sql q;
    rel_sql_init(&q, h->c->db->dialect);
    rel_sql_raw(&q, "UPDATE ");
    rel_sql_ident(&q, h->t->table);
    rel_sql_raw(&q, " SET ");
    rel_sql_ident(&q, fk->a.field);
    if (which == HM_LINK) {
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, fk->a.type, h->srcval);
    } else {
        rel_sql_raw(&q, " = NULL");
    }
    rel_assoc_sql_touch(&q, h->t, now);
    rel_sql_raw(&q, " WHERE ");
    hm_where_write(&q, h, which, ids);
    if (rel_db_is_postgres(h->c->db)) {
        /* An UPDATE locks its rows in the order it finds them, which differs
         * between statements as rows move: two over overlapping rows could
         * each hold one the other waits for. Locking them first in key order
         * makes every such statement queue behind the first. set's unlinking
         * also locks the rows its linking UPDATE then takes, so that set
         * takes all its row locks at once, in that order. */
        rel_sql_raw(&q, " AND ");
        rel_sql_ident(&q, pk->a.field);
        rel_sql_raw(&q, " IN (SELECT ");
        rel_sql_ident(&q, pk->a.field);
        rel_sql_raw(&q, " FROM ");
        rel_sql_ident(&q, h->t->table);
        rel_sql_raw(&q, " WHERE ");
        if (which == HM_OBSOLETE) {
            rel_sql_ident(&q, fk->a.field);
            rel_sql_raw(&q, " = ");
            rel_sql_param(&q, fk->a.type, h->srcval);
            rel_sql_raw(&q, " OR ");
            hm_where_write(&q, h, HM_LINK, ids);
        } else {
            hm_where_write(&q, h, which, ids);
        }
        rel_sql_raw(&q, " ORDER BY ");
        rel_sql_ident(&q, pk->a.field);
        rel_sql_raw(&q, " FOR NO KEY UPDATE)");
    }
    if (done) {
        rel_sql_raw(&q, " RETURNING ");
        rel_sql_ident(&q, pk->a.field);
    }
    rel_status st;
    if (!done) {
        st = rel_sql_exec(h->c->db, &q, NULL, h->c->err);
    } else {
        rel_stmt *s = NULL;
        st = rel_sql_run(h->c->db, &q, &s, h->c->err);
        while (st == REL_OK) {
            int step = rel_stmt_next(s, h->c->err);
            if (step <= 0) {
                st = (rel_status)step;
                break;
            }
            rel_value v;
            st = rel_stmt_col(s, 0, pk->a.type, &v);
            if (st != REL_OK)
                st = rel_err(h->c->err, st, "%s: could not read a returned %s.%s", h->c->a->name,
                             h->t->name, pk->a.name);
            else if (rel_keyset_add(done, v, NULL) != REL_OK)
                st = rel_err_nomem(h->c->err);
        }
        rel_stmt_done(s);
    }
    rel_sql_free(&q);
    return st;
}

/* After the database changed: the given rows carry the key (and
 * updatedAt) the database now holds for them. */
static rel_status hm_follow(const hm *h, const rel_assoc_given *g, const rel_keyset *changed,
                            bool linked, int64_t now)
{
    if (!g->rows)
        return REL_OK;
    const rel_model *t = h->t;
    rel_value v = linked ? h->srcval : rel_null();
    for (size_t j = 0; j < g->n; j++) {
        rel_record *r = g->rows[j];
        if (!rel_record_has(r, t->pk) || rel_keyset_find(changed, rel_record_at(r, t->pk)) == SIZE_MAX)
            continue;
        if (rel_row_put_saved(r, h->fk_i, v) != REL_OK ||
            (t->updated_at >= 0 && rel_row_put_saved(r, t->updated_at, rel_int(now)) != REL_OK))
            return rel_err_nomem(h->c->err);
    }
    return REL_OK;
}

/* set with a NOT NULL key: Sequelize validates the null before its UPDATE,
 * so refuse before writing anything when a linked row is not in ids. */
static rel_status hm_refuse_unlinking(const hm *h, const rel_keyset *ids)
{
    rel_error *err = h->c->err;
    rel_sql q;
    rel_sql_init(&q, h->c->db->dialect);
    rel_sql_raw(&q, "SELECT 1 FROM ");
    rel_sql_ident(&q, h->t->table);
    rel_sql_raw(&q, " WHERE ");
    hm_cond k = {h, NULL};
    hm_cond_write(&q, NULL, &k, err);
    rel_sql_raw(&q, " AND NOT (");
    rel_sql_ident(&q, h->pk->a.field);
    rel_assoc_sql_in(&q, h->pk, ids);
    rel_sql_raw(&q, ") LIMIT 1");
    rel_stmt *s = NULL;
    rel_status st = rel_sql_run(h->c->db, &q, &s, err);
    if (st == REL_OK) {
        int step = rel_stmt_next(s, err);
        if (step < 0)
            st = (rel_status)step;
        else if (step == 1)
            st = rel_assoc_not_null(err, h->t, h->fk->a.name,
                                    "set would unlink rows that are not in the new set");
    }
    rel_stmt_done(s);
    rel_sql_free(&q);
    return st;
}

/* add (replace = false) and set (replace = true). */
static rel_status hm_link(rel_assoc_call *c, const rel_assoc_given *g, bool replace)
{
    hm h;
    rel_status st = hm_init(&h, c);
    if (st == REL_OK)
        st = need_pk(&h);
    if (st != REL_OK)
        return st;
    if (!replace && g->n == 0)
        return REL_OK;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_assoc_ids ids;
    rel_keyset changed;
    rel_keyset_init(&changed, tmp);
    int64_t now = rel_now_ms();
    st = rel_assoc_ids_of(c, tmp, g, h.t->pk, h.t->pk, &ids);
    if (st != REL_OK)
        goto done;
    /* add is one UPDATE, atomic by itself; set reads or unlinks first. */
    if (replace && (st = rel_db_atomic_begin(c->db, c->err)) != REL_OK)
        goto done;
    /* Two sets of one source's rows at once would each unlink what they
     * saw linked, then link their own, leaving a mix of the two lists. */
    if (replace)
        st = rel_assoc_lock_source(c, h.fk->a.type, h.srcval);
    if (st == REL_OK && replace && h.fk->a.allow_null == REL_NO) {
        st = hm_refuse_unlinking(&h, &ids.ids);
    } else if (st == REL_OK && replace) {
        st = hm_update(&h, HM_OBSOLETE, &ids.ids, now, NULL);
    }
    if (st == REL_OK && ids.ids.n)
        st = hm_update(&h, HM_LINK, &ids.ids, now, &changed);
    if (replace)
        st = rel_db_atomic_end(c->db, st, c->err);
    if (st == REL_OK)
        st = hm_follow(&h, g, &changed, true, now);
done:
    rel_arena_free(tmp);
    return st;
}

rel_status rel_has_many_add(rel_assoc_call *c, const rel_assoc_given *g)
{
    return hm_link(c, g, false);
}

rel_status rel_has_many_set(rel_assoc_call *c, const rel_assoc_given *g)
{
    return hm_link(c, g, true);
}

rel_status rel_has_many_remove(rel_assoc_call *c, const rel_assoc_given *g)
{
    hm h;
    rel_status st = hm_init(&h, c);
    if (st == REL_OK)
        st = need_pk(&h);
    if (st != REL_OK)
        return st;
    if (h.fk->a.allow_null == REL_NO)
        return rel_assoc_not_null(c->err, h.t, h.fk->a.name,
                                  "removing would null it; destroy the rows instead");
    if (g->n == 0)
        return REL_OK;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_assoc_ids ids;
    rel_keyset changed;
    rel_keyset_init(&changed, tmp);
    int64_t now = rel_now_ms();
    st = rel_assoc_ids_of(c, tmp, g, h.t->pk, h.t->pk, &ids);
    if (st == REL_OK) /* one statement: atomic by itself */
        st = hm_update(&h, HM_UNLINK, &ids.ids, now, &changed);
    if (st == REL_OK)
        st = hm_follow(&h, g, &changed, false, now);
    rel_arena_free(tmp);
    return st;
}
