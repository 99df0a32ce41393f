/* belongsTo and hasOne: getX, setX, createX (Sequelize's belongs-to.js and
 * has-one.js). belongsTo keeps the key on the source row; hasOne on the
 * target row, so setting one unlinks the one linked before. */
#include <string.h>

#include "query/assoc.h"
#include "query/assoc_keys.h"
#include "query/crud.h"
#include "query/find.h"
#include "query/select.h"
#include "util/datetime.h"
#include "util/error.h"

/* `"alias"."col" = ?` on one attribute of the found model. */
typedef struct eq_cond {
    const rel_attr_def *attr;
    rel_value v;
} eq_cond;

static rel_status eq_write(rel_sql *q, const char *alias, void *user, rel_error *err)
{
    (void)err;
    const eq_cond *e = user;
    rel_sql_column(q, alias, e->attr->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param(q, e->attr->a.type, e->v);
    return REL_OK;
}

static rel_status empty_result(rel_db *db, const rel_model *m, rel_result **out, rel_error *err)
{
    rel_result *res = rel_result_new(m);
    if (!res)
        return rel_err_nomem(err);
    res->json_bigint_as_string = rel_db_is_postgres(db);
    *out = res;
    return REL_OK;
}

rel_status rel_to_one_get(rel_assoc_call *c, const rel_find_opts *opts, rel_result **out)
{
    const rel_assoc *a = c->a;
    eq_cond e;
    if (a->kind == REL_BELONGS_TO) {
        /* The key is on the source: no key, no row (no query either). */
        int fk = rel_model_attr_index(rel_rec_model(c->src), a->foreign_key);
        if (fk < 0 || !rel_record_has(c->src, fk) || rel_record_at(c->src, fk).kind == REL_V_NULL)
            return empty_result(c->db, a->target, out, c->err);
        e.attr = rel_model_attr_def(a->target, a->target_key);
        e.v = rel_record_at(c->src, fk);
    } else {
        rel_status st = rel_assoc_source_value(c, a->source_key, &e.v);
        if (st != REL_OK)
            return st;
        e.attr = rel_model_attr_def(a->target, a->foreign_key);
    }
    if (!e.attr)
        return rel_err(c->err, REL_ERROR, "%s: the association's key is missing on %s", a->name,
                       a->target->name);
    /* findOne: at most one row. */
    rel_find_opts o = {0};
    if (opts)
        o = *opts;
    o.limit = 1;
    return rel_find_rows(c->db, a->target, &o, eq_write, &e, out, c->err);
}

/* ---------------------------------------------------------------- belongsTo */

/* The value the source's key takes for the given target (NULL for none). */
static rel_status belongs_to_value(rel_assoc_call *c, const rel_assoc_given *g, rel_buf *scratch,
                                   rel_value *out)
{
    const rel_assoc *a = c->a;
    const rel_attr_def *tk = rel_model_attr_def(a->target, a->target_key);
    *out = rel_null();
    if (g->n == 0)
        return REL_OK;
    if (g->rows) {
        const rel_record *t = g->rows[0];
        int i = rel_model_attr_index(a->target, a->target_key);
        if (!rel_record_has(t, i) || rel_record_at(t, i).kind == REL_V_NULL)
            return rel_err(c->err, REL_INVALID,
                           "%s: the given %s has no '%s': save it (or load it with that "
                           "attribute) first",
                           a->name, a->target->name, a->target_key);
        *out = rel_record_at(t, i);
        return REL_OK;
    }
    if (g->keys[0].kind == REL_V_NULL)
        return REL_OK;
    rel_status st = rel_value_coerce(tk, g->keys[0], out, scratch, c->err);
    if (st == REL_INVALID)
        rel_error_prefix(c->err, "", a->target->name);
    return st;
}

/* UPDATE source SET fk = ?, updatedAt = ? WHERE pk = ?: the key only, as
 * Sequelize's save({ fields: [foreignKey] }). */
static rel_status update_source_key(rel_assoc_call *c, int fk, rel_value v)
{
    rel_record *src = c->src;
    const rel_model *m = rel_rec_model(src);
    int64_t now = rel_now_ms();
    rel_sql q;
    rel_sql_init(&q, c->db->dialect);
    rel_sql_raw(&q, "UPDATE ");
    rel_sql_ident(&q, m->table);
    rel_sql_raw(&q, " SET ");
    rel_sql_ident(&q, m->attrs[fk].a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, m->attrs[fk].a.type, v);
    rel_assoc_sql_touch(&q, m, now);
    rel_sql_raw(&q, " WHERE ");
    rel_status st = rel_crud_pk_where(&q, src, NULL, c->err);
    if (st == REL_OK)
        st = rel_sql_exec(c->db, &q, NULL, c->err);
    rel_sql_free(&q);
    if (st != REL_OK)
        return st;
    if (rel_row_put_saved(src, fk, v) != REL_OK ||
        (m->updated_at >= 0 && rel_row_put_saved(src, m->updated_at, rel_int(now)) != REL_OK))
        return rel_err_nomem(c->err);
    return REL_OK;
}

rel_status rel_belongs_to_set(rel_assoc_call *c, const rel_assoc_given *g)
{
    const rel_assoc *a = c->a;
    rel_record *src = c->src;
    if (g->n > 1)
        return rel_err(c->err, REL_INVALID, "%s: a belongsTo links one %s (or none), not %zu",
                       a->name, a->target->name, g->n);
    int fk = rel_model_attr_index(rel_rec_model(src), a->foreign_key);
    if (fk < 0)
        return rel_err(c->err, REL_ERROR, "%s: %s has no key '%s'", a->name, rel_rec_model(src)->name,
                       a->foreign_key);
    rel_buf scratch;
    rel_buf_init(&scratch);
    rel_value v;
    rel_status st = belongs_to_value(c, g, &scratch, &v);
    if (st != REL_OK)
        goto done;
    if (v.kind == REL_V_NULL && rel_rec_model(src)->attrs[fk].a.allow_null == REL_NO) {
        st = rel_assoc_not_null(c->err, rel_rec_model(src), a->foreign_key,
                                "a belongsTo with a NOT NULL key cannot be unset");
        goto done;
    }
    if (rel_record_stored(src)) {
        if (rel_record_has(src, fk) && !rel_record_is_changed(src, fk) && rel_assoc_value_eq(rel_record_at(src, fk), v))
            goto done; /* nothing changed: no statement, as Sequelize's save */
        st = update_source_key(c, fk, v);
        goto done;
    }
    /* A new source row is inserted with its key, as Sequelize's save(). */
    rel_arena *tmp = rel_arena_new(0);
    rel_row_snapshot snap;
    if (!tmp) {
        st = rel_err_nomem(c->err);
        goto done;
    }
    st = rel_row_snapshot_take(tmp, src, &snap, c->err);
    if (st == REL_OK && rel_record_put(src, fk, v, true) != REL_OK)
        st = rel_err_nomem(c->err);
    if (st == REL_OK)
        st = rel_save(c->db, src, c->err);
    if (st != REL_OK && snap.r)
        rel_row_snapshot_restore(&snap);
    rel_arena_free(tmp);
done:
    rel_buf_free(&scratch);
    return st;
}

static rel_status require_new(const rel_assoc_call *c, const rel_record *target)
{
    if (rel_record_stored(target))
        return rel_err(c->err, REL_INVALID,
                       "%s: create takes a new %s row; this one is saved already (use set or "
                       "add to link it)",
                       c->a->name, rel_rec_model(target)->name);
    return REL_OK;
}

/* set, as rel_assoc_save_and_link calls it. */
static rel_status belongs_to_set_link(rel_assoc_call *c, const rel_assoc_given *g,
                                      const void *unused)
{
    (void)unused;
    return rel_belongs_to_set(c, g);
}

rel_status rel_belongs_to_create(rel_assoc_call *c, rel_record *target)
{
    rel_status st = require_new(c, target);
    if (st != REL_OK)
        return st;
    /* set writes the new row's key into the source: put it back too. */
    return rel_assoc_save_and_link(c, target, true, belongs_to_set_link, NULL);
}

/* ---------------------------------------------------------------- hasOne */

/* Unlinks the target rows pointing at the source, except `keep` (the
 * primary key of the row being linked; NULL: none kept). A NOT NULL key
 * cannot be nulled: then linked rows are refused before any write. */
static rel_status has_one_unlink(rel_assoc_call *c, rel_value srcval, rel_value keep)
{
    const rel_model *t = c->a->target;
    const rel_attr_def *fk = rel_model_attr_def(t, c->a->foreign_key);
    const rel_attr_def *pk = t->pk >= 0 ? &t->attrs[t->pk] : NULL;
    bool refuse = fk->a.allow_null == REL_NO;
    rel_sql q;
    rel_sql_init(&q, c->db->dialect);
    if (refuse) {
        rel_sql_raw(&q, "SELECT 1 FROM ");
        rel_sql_ident(&q, t->table);
    } else {
        rel_sql_raw(&q, "UPDATE ");
        rel_sql_ident(&q, t->table);
        rel_sql_raw(&q, " SET ");
        rel_sql_ident(&q, fk->a.field);
        rel_sql_raw(&q, " = NULL");
        rel_assoc_sql_touch(&q, t, rel_now_ms());
    }
    rel_sql_raw(&q, " WHERE ");
    rel_sql_ident(&q, fk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, fk->a.type, srcval);
    if (pk && keep.kind != REL_V_NULL) {
        rel_sql_raw(&q, " AND ");
        rel_sql_ident(&q, pk->a.field);
        rel_sql_raw(&q, " <> ");
        rel_sql_param(&q, pk->a.type, keep);
    }
    rel_status st;
    if (!refuse) {
        st = rel_sql_exec(c->db, &q, NULL, c->err);
    } else {
        rel_sql_raw(&q, " LIMIT 1");
        rel_stmt *s = NULL;
        st = rel_sql_run(c->db, &q, &s, c->err);
        if (st == REL_OK) {
            int step = rel_stmt_next(s, c->err);
            if (step < 0)
                st = (rel_status)step;
            else if (step == 1)
                st = rel_assoc_not_null(c->err, t, fk->a.name,
                                        "setting another one would unlink the current one");
        }
        rel_stmt_done(s);
    }
    rel_sql_free(&q);
    return st;
}

/* Points the target with primary key pk at the source: UPDATE by key. */
static rel_status has_one_link_key(rel_assoc_call *c, rel_value srcval, rel_value pk)
{
    const rel_model *t = c->a->target;
    const rel_attr_def *fk = rel_model_attr_def(t, c->a->foreign_key);
    const rel_attr_def *pkd = &t->attrs[t->pk];
    rel_sql q;
    rel_sql_init(&q, c->db->dialect);
    rel_sql_raw(&q, "UPDATE ");
    rel_sql_ident(&q, t->table);
    rel_sql_raw(&q, " SET ");
    rel_sql_ident(&q, fk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, fk->a.type, srcval);
    rel_assoc_sql_touch(&q, t, rel_now_ms());
    rel_sql_raw(&q, " WHERE ");
    rel_sql_ident(&q, pkd->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, pkd->a.type, pk);
    int64_t changes = 0;
    rel_status st = rel_sql_exec(c->db, &q, &changes, c->err);
    rel_sql_free(&q);
    if (st == REL_OK && changes == 0) {
        char what[320];
        rel_assoc_key_text(what, sizeof what, t, pkd, pk);
        st = rel_err(c->err, REL_NOT_FOUND, "%s: %s not found", c->a->name, what);
    }
    return st;
}

rel_status rel_has_one_set(rel_assoc_call *c, const rel_assoc_given *g)
{
    const rel_assoc *a = c->a;
    const rel_model *t = a->target;
    if (g->n > 1)
        return rel_err(c->err, REL_INVALID, "%s: a hasOne links one %s (or none), not %zu",
                       a->name, t->name, g->n);
    int fk = rel_model_attr_index(t, a->foreign_key);
    if (fk < 0)
        return rel_err(c->err, REL_ERROR, "%s: %s has no key '%s'", a->name, t->name,
                       a->foreign_key);
    rel_value srcval;
    rel_status st = rel_assoc_source_value(c, a->source_key, &srcval);
    if (st != REL_OK)
        return st;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_record *row = g->rows && g->n ? g->rows[0] : NULL;
    rel_value keep = rel_null();
    rel_row_snapshot snap = {0};
    if (g->n && !row) {
        rel_assoc_ids ids;
        st = rel_assoc_ids_of(c, tmp, g, t->pk, t->pk, &ids);
        if (st != REL_OK)
            goto done;
        keep = ids.ids.v[0];
    } else if (row && rel_record_stored(row) && t->pk >= 0 && rel_record_has(row, t->pk)) {
        keep = rel_record_at(row, t->pk);
    }
    st = rel_row_snapshot_take(tmp, row, &snap, c->err);
    if (st != REL_OK)
        goto done;
    st = rel_db_atomic_begin(c->db, c->err);
    if (st != REL_OK)
        goto done;
    st = has_one_unlink(c, srcval, keep);
    if (st == REL_OK && row) {
        /* As Sequelize: set the key on the row and save it (an insert when
           it is new, else an update of what changed). */
        if (rel_record_put(row, fk, srcval, true) != REL_OK)
            st = rel_err_nomem(c->err);
        else
            st = rel_save(c->db, row, c->err);
    } else if (st == REL_OK && g->n) {
        st = has_one_link_key(c, srcval, keep);
    }
    st = rel_db_atomic_end(c->db, st, c->err);
    if (st != REL_OK)
        rel_row_snapshot_restore(&snap);
done:
    rel_arena_free(tmp);
    return st;
}

rel_status rel_assoc_create_pointing(rel_assoc_call *c, rel_record *target)
{
    const rel_assoc *a = c->a;
    rel_status st = require_new(c, target);
    if (st != REL_OK)
        return st;
    int fk = rel_model_attr_index(a->target, a->foreign_key);
    if (fk < 0)
        return rel_err(c->err, REL_ERROR, "%s: %s has no key '%s'", a->name, a->target->name,
                       a->foreign_key);
    rel_value srcval;
    st = rel_assoc_source_value(c, a->source_key, &srcval);
    if (st != REL_OK)
        return st;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_row_snapshot snap;
    st = rel_row_snapshot_take(tmp, target, &snap, c->err);
    if (st == REL_OK && rel_record_put(target, fk, srcval, true) != REL_OK)
        st = rel_err_nomem(c->err);
    if (st == REL_OK)
        st = rel_save(c->db, target, c->err);
    if (st != REL_OK && snap.r)
        rel_row_snapshot_restore(&snap);
    rel_arena_free(tmp);
    return st;
}
