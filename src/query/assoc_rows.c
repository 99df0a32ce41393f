/* Rows in memory around association methods: keeping a row's state to put
 * it back when the database refused a change (create's save-and-link among
 * them), and marking values the database now holds (see assoc.h). */
#include <string.h>

#include "query/assoc.h"
#include "util/error.h"

rel_status rel_row_snapshot_take(rel_arena *arena, rel_record *r, rel_row_snapshot *s,
                                 rel_error *err)
{
    memset(s, 0, sizeof *s);
    if (!r)
        return REL_OK;
    s->state = rel_record_state_save(arena, r);
    if (!s->state)
        return rel_err_nomem(err);
    s->r = r;
    s->shape = r->shape;
    return REL_OK;
}

void rel_row_snapshot_restore(const rel_row_snapshot *s)
{
    rel_record *r = s->r;
    if (!r)
        return;
    rel_record_state_restore(r, s->state);
    r->shape = s->shape;
}

rel_status rel_assoc_save_and_link(rel_assoc_call *c, rel_record *target, bool restore_src,
                                   rel_assoc_link_fn link, const void *user)
{
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(c->err);
    rel_row_snapshot snap_target, snap_src;
    rel_status st = rel_row_snapshot_take(tmp, target, &snap_target, c->err);
    if (st == REL_OK)
        st = rel_row_snapshot_take(tmp, restore_src ? c->src : NULL, &snap_src, c->err);
    if (st != REL_OK)
        goto done;
    st = rel_db_atomic_begin(c->db, c->err);
    if (st != REL_OK)
        goto done;
    st = rel_save(c->db, target, c->err);
    if (st == REL_OK) {
        rel_record *rows[1] = {target};
        rel_assoc_given g = {rows, NULL, 1};
        st = link(c, &g, user);
    }
    st = rel_db_atomic_end(c->db, st, c->err);
    if (st != REL_OK) {
        rel_row_snapshot_restore(&snap_target);
        rel_row_snapshot_restore(&snap_src);
    }
done:
    rel_arena_free(tmp);
    return st;
}

rel_status rel_row_put_saved(rel_record *r, int i, rel_value v)
{
    rel_status st = rel_record_put(r, i, v, false);
    if (st == REL_OK)
        rel_record_mark_changed(r, i, false);
    return st;
}

void rel_assoc_sql_touch(rel_sql *q, const rel_model *m, int64_t now)
{
    if (m->updated_at < 0)
        return;
    rel_sql_raw(q, ", ");
    rel_sql_ident(q, m->attrs[m->updated_at].a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param(q, REL_DATE, rel_int(now));
}

rel_status rel_assoc_not_null(rel_error *err, const rel_model *m, const char *fk,
                              const char *why)
{
    return rel_err(err, REL_NOT_NULL, "notNull Violation: %s.%s cannot be null (%s)", m->name,
                   fk, why);
}
