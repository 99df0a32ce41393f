/* Finding rows: rel_find_all, rel_find_by_pk, rel_count (see find.h). */
#include "query/find.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "query/include.h"
#include "query/select.h"
#include "sql/order.h"
#include "sql/where.h"
#include "util/error.h"

/* Everything a find's SELECT needs, parsed once. */
typedef struct find_plan {
    const rel_model *m;
    const char *alias;
    const rel_include *include;
    json_t *where;
    rel_order order;
    rel_colset cols;
    rel_include_joins joins; /* to-one includes read with the rows */
    size_t nincl;            /* top-level include nodes */
} find_plan;

static rel_status plan_init(find_plan *p, rel_arena *arena, const rel_model *m,
                            const rel_find_opts *opts, bool for_count, rel_error *err)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    p->alias = m->name;
    p->include = opts && opts->include && opts->include->association ? opts->include : NULL;
    rel_status st = rel_where_parse(opts ? opts->where : NULL, &p->where, err);
    if (st != REL_OK)
        return st;
    if (!for_count) {
        st = rel_order_parse(opts ? opts->order : NULL, arena, &p->order, err);
        if (st != REL_OK)
            return st;
        st = rel_colset_names(arena, m, opts ? opts->attributes : NULL, &p->cols, err);
        if (st != REL_OK)
            return st;
    } else {
        p->cols.n = 0;
    }
    /* Counting reads no columns, but the include tree is still checked. */
    if (p->include)
        st = rel_include_prepare(arena, m, p->include, &p->cols, err);
    if (st == REL_OK && p->include && !for_count) {
        while (p->include[p->nincl].association)
            p->nincl++;
        st = rel_include_join_plan(arena, m, p->include, &p->joins, err);
    }
    return st;
}

/* WHERE: the where option, the caller's condition, required includes. */
static rel_status plan_where(const find_plan *p, rel_sql *q, rel_find_cond_fn cond, void *user,
                             rel_error *err)
{
    const char *prefix = " WHERE ";
    bool wrote = false;
    rel_status st = rel_where_append_json(q, p->m, p->alias, p->where, prefix, &wrote, err);
    if (st != REL_OK)
        return st;
    if (wrote)
        prefix = " AND ";
    if (cond) {
        rel_sql_raw(q, prefix);
        st = cond(q, p->alias, user, err);
        if (st != REL_OK)
            return st;
        prefix = " AND ";
    }
    if (p->include)
        st = rel_include_filter(q, p->m, p->alias, p->include, prefix, NULL, err);
    return st;
}

/* The WHERE of a find again, on another alias of its model: the rows an
 * order on included columns ranks (include_order.c). */
typedef struct plan_scope {
    const find_plan *p;
    rel_find_cond_fn cond;
    void *user;
} plan_scope;

static rel_status plan_scope_write(rel_sql *q, const char *alias, void *user, rel_error *err)
{
    const plan_scope *s = user;
    find_plan p = *s->p;
    p.alias = alias;
    return plan_where(&p, q, s->cond, s->user, err);
}

static rel_status check_args(rel_db *db, const rel_model *m, const void *out, rel_error *err)
{
    if (!db || !m || !out)
        return rel_err(err, REL_MISUSE, "a connection, a model and an output are required");
    if (m->schema != (const rel_schema *)db->schema)
        return rel_err(err, REL_MISUSE, "%s belongs to another schema than the connection's",
                       m->name);
    return REL_OK;
}

rel_status rel_find_rows(rel_db *db, const rel_model *m, const rel_find_opts *opts,
                         rel_find_cond_fn cond, void *cond_user, rel_result **out,
                         rel_error *err)
{
    return rel_find_rows_with(db, m, opts, cond, cond_user, 0, out, err);
}

rel_status rel_find_rows_with(rel_db *db, const rel_model *m, const rel_find_opts *opts,
                              rel_find_cond_fn cond, void *cond_user, unsigned extras,
                              rel_result **out, rel_error *err)
{
    rel_status st = check_args(db, m, out, err);
    if (st != REL_OK)
        return st;
    *out = NULL;
    rel_result *res = rel_result_new(m);
    if (!res)
        return rel_err_nomem(err);
    bool pg = rel_db_is_postgres(db);
    res->json_bigint_as_string = pg;

    find_plan p;
    rel_sql q;
    rel_stmt *stmt = NULL;
    rel_sql_init(&q, db->dialect);
    st = plan_init(&p, res->arena, m, opts, false, err);
    if (st != REL_OK)
        goto fail;
    if (p.include && (st = rel_include_check(db->dialect, m, p.include, &p.order, err)) != REL_OK)
        goto fail;

    rel_sql_raw(&q, "SELECT ");
    rel_select_columns(&q, m, p.alias, &p.cols);
    /* No column reads as `1`: the joined ones come after it. */
    rel_include_join_columns(&q, &p.joins, p.cols.n ? (int)p.cols.n : 1);
    rel_select_from(&q, m, p.alias);
    if (p.include) {
        plan_scope scope = {&p, cond, cond_user};
        st = rel_include_order_join(&q, m, p.alias, p.include, &p.order, plan_scope_write,
                                    &scope, err);
        if (st == REL_OK)
            st = rel_include_join_from(&q, p.alias, &p.joins, err);
        if (st != REL_OK)
            goto fail;
    }
    st = plan_where(&p, &q, cond, cond_user, err);
    if (st != REL_OK)
        goto fail;
    if (p.include)
        st = rel_include_order_append(&q, m, p.alias, p.include, &p.order, NULL, err);
    else
        st = rel_order_append(&q, m, p.alias, &p.order, false, NULL, err);
    if (st != REL_OK)
        goto fail;
    if (opts)
        rel_select_limit(&q, opts->limit, opts->offset);

    rel_shape *shape = rel_select_shape(res->arena, m, &p.cols, pg);
    if (!shape) {
        st = rel_err_nomem(err);
        goto fail;
    }
    if (p.include)
        extras |= REL_REC_INCL;
    st = rel_sql_run(db, &q, &stmt, err);
    if (st != REL_OK)
        goto fail;
    for (;;) {
        int step = rel_stmt_next(stmt, err);
        if (step < 0) {
            st = (rel_status)step;
            goto fail;
        }
        if (step == 0)
            break;
        rel_record *r = rel_record_in(shape, extras);
        if (!r || rel_result_push(res, r) != REL_OK) {
            st = rel_err_nomem(err);
            goto fail;
        }
        st = rel_select_read_row(stmt, 0, r, &p.cols, err);
        if (st == REL_OK && p.joins.n)
            st = rel_include_join_read(stmt, res->arena, r, p.nincl, &p.joins, pg, err);
        if (st != REL_OK)
            goto fail;
    }
    rel_stmt_done(stmt);
    stmt = NULL;

    if (p.include && res->n) {
        st = p.joins.n ? rel_include_load_joined(db, res->arena, res->rows, res->n, m,
                                                 p.include, &p.order, err)
                       : rel_include_load(db, res->arena, res->rows, res->n, m, p.include,
                                          &p.order, err);
        if (st != REL_OK)
            goto fail;
    }
    json_decref(p.where);
    rel_sql_free(&q);
    *out = res;
    return REL_OK;

fail:
    rel_stmt_done(stmt);
    json_decref(p.where);
    rel_sql_free(&q);
    rel_result_free(res);
    return st;
}

rel_status rel_count_rows(rel_db *db, const rel_model *m, const rel_find_opts *opts,
                          rel_find_cond_fn cond, void *cond_user, int64_t *out, rel_error *err)
{
    rel_status st = check_args(db, m, out, err);
    if (st != REL_OK)
        return st;
    *out = 0;
    rel_arena *arena = rel_arena_new(0);
    if (!arena)
        return rel_err_nomem(err);
    find_plan p;
    rel_sql q;
    rel_stmt *stmt = NULL;
    rel_sql_init(&q, db->dialect);
    st = plan_init(&p, arena, m, opts, true, err);
    if (st != REL_OK)
        goto done;
    if (p.include && (st = rel_include_check(db->dialect, m, p.include, NULL, err)) != REL_OK)
        goto done;
    /* Required includes filter with EXISTS, so this counts distinct rows of m. */
    rel_sql_raw(&q, "SELECT count(*)");
    rel_select_from(&q, m, p.alias);
    st = plan_where(&p, &q, cond, cond_user, err);
    if (st != REL_OK)
        goto done;
    st = rel_sql_run(db, &q, &stmt, err);
    if (st != REL_OK)
        goto done;
    int step = rel_stmt_next(stmt, err);
    if (step < 0) {
        st = (rel_status)step;
        goto done;
    }
    rel_value v = rel_null();
    if (step == 1 && rel_stmt_col(stmt, 0, REL_BIGINT, &v) == REL_OK && v.kind == REL_V_INT)
        *out = v.i;
    else
        st = rel_err(err, REL_DATABASE, "count(*) returned no number");
done:
    rel_stmt_done(stmt);
    json_decref(p.where);
    rel_sql_free(&q);
    rel_arena_free(arena);
    return st;
}

/* ---------------------------------------------------------------- public */

rel_status rel_find_all(rel_db *db, const rel_model *model, const rel_find_opts *opts,
                        rel_result **out, rel_error *err)
{
    return rel_find_rows(db, model, opts, NULL, NULL, out, err);
}

rel_status rel_count(rel_db *db, const rel_model *model, const rel_find_opts *opts,
                     int64_t *out, rel_error *err)
{
    return rel_count_rows(db, model, opts, NULL, NULL, out, err);
}

typedef struct pk_cond {
    const rel_attr_def *attr;
    rel_value value; /* canonical */
} pk_cond;

static rel_status pk_equals(rel_sql *q, const char *alias, void *user, rel_error *err)
{
    (void)err;
    const pk_cond *c = user;
    rel_sql_column(q, alias, c->attr->a.field);
    rel_sql_raw(q, " = ");
    rel_sql_param_copy(q, c->attr->a.type, c->value);
    return REL_OK;
}

rel_status rel_find_by_pk(rel_db *db, const rel_model *model, rel_value pk,
                          const rel_find_opts *opts, rel_result **out, rel_error *err)
{
    rel_status st = check_args(db, model, out, err);
    if (st != REL_OK)
        return st;
    *out = NULL;
    if (model->pk < 0)
        return rel_err(err, REL_INVALID, "%s has no single primary key to find by",
                       model->name);
    if (pk.kind == REL_V_NULL)
        return rel_err(err, REL_NOT_FOUND, "%s: no row has a null primary key", model->name);
    pk_cond c = {&model->attrs[model->pk], rel_null()};
    rel_buf scratch;
    rel_buf_init(&scratch);
    st = rel_value_coerce(c.attr, pk, &c.value, &scratch, err);
    if (st == REL_OK) {
        /* One row at most: limit and offset do not apply. */
        rel_find_opts o = {0};
        if (opts)
            o = *opts;
        o.limit = 0;
        o.offset = 0;
        st = rel_find_rows(db, model, &o, pk_equals, &c, out, err);
    } else if (st == REL_INVALID) {
        rel_error_prefix(err, "", model->name);
    }
    if (st == REL_OK && (*out)->n == 0) {
        rel_result_free(*out);
        *out = NULL;
        if (c.value.kind == REL_V_INT)
            st = rel_err(err, REL_NOT_FOUND, "%s with %s %lld not found", model->name,
                         c.attr->a.name, (long long)c.value.i);
        else if (c.value.kind == REL_V_TEXT)
            st = rel_err(err, REL_NOT_FOUND, "%s with %s '%.200s' not found", model->name,
                         c.attr->a.name, c.value.s);
        else
            st = rel_err(err, REL_NOT_FOUND, "%s: no row with that %s", model->name,
                         c.attr->a.name);
    }
    rel_buf_free(&scratch);
    return st;
}
