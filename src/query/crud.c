/* Writing one row: insert (every column read back with RETURNING), update
 * of the changed attributes only, delete by primary key; and the pieces of
 * an INSERT that bulk create (bulk_create.c) shares. */
#include "query/crud.h"

#include <string.h>

#include "util/datetime.h"
#include "util/error.h"

rel_status rel_crud_null_violation(const rel_model *m, size_t i, const size_t *row,
                                   rel_error *err)
{
    if (row)
        return rel_err(err, REL_NOT_NULL, "row %zu: notNull Violation: %s.%s cannot be null",
                       *row, m->name, m->attrs[i].a.name);
    return rel_err(err, REL_NOT_NULL, "notNull Violation: %s.%s cannot be null", m->name,
                   m->attrs[i].a.name);
}

/* Sequelize validates allowNull before any SQL: every such attribute on an
   insert, the changed ones on an update. */
static rel_status check_not_null(const rel_record *r, bool inserting, rel_error *err)
{
    const rel_model *m = rel_rec_model(r);
    for (size_t i = 0; i < m->nattrs; i++) {
        if (!rel_crud_checks_null(&m->attrs[i]))
            continue;
        if (!inserting && !rel_record_is_changed(r, i))
            continue;
        if (!rel_record_has(r, i) || rel_record_at(r, i).kind == REL_V_NULL)
            return rel_crud_null_violation(m, i, NULL, err);
    }
    return REL_OK;
}

void rel_crud_returning(rel_sql *q, const rel_model *m, const rel_colset *cols)
{
    for (size_t k = 0; k < cols->n; k++) {
        rel_sql_raw(q, k ? ", " : " RETURNING ");
        rel_sql_ident(q, m->attrs[cols->idx[k]].a.field);
    }
}

/* Appends "pk" = ? [AND ...] for the row's primary key. */
rel_status rel_crud_pk_where(rel_sql *q, const rel_record *r, const char *alias, rel_error *err)
{
    const rel_model *m = rel_rec_model(r);
    bool any = false;
    for (size_t i = 0; i < m->nattrs; i++) {
        const rel_attr_def *a = &m->attrs[i];
        if (!a->a.primary_key)
            continue;
        if (!rel_record_has(r, i) || rel_record_at(r, i).kind == REL_V_NULL)
            return rel_err(err, REL_INVALID, "%s: the primary key '%s' is not set", m->name,
                           a->a.name);
        if (any)
            rel_sql_raw(q, " AND ");
        rel_sql_column(q, alias, a->a.field);
        rel_sql_raw(q, " = ");
        rel_sql_param(q, a->a.type, rel_record_at(r, i));
        any = true;
    }
    if (!any)
        return rel_err(err, REL_INVALID, "%s has no primary key to find the row by", m->name);
    return REL_OK;
}

bool rel_crud_saved_shape(rel_record *r, bool pg)
{
    if (!r->shape->ordered && r->shape->bigint_as_string == pg)
        return true;
    rel_shape *sh = rel_record_own_shape(r);
    if (!sh)
        return false;
    sh->ordered = false;
    sh->norder = 0;
    sh->bigint_as_string = pg;
    return true;
}

rel_status rel_crud_read_returned(rel_stmt *st, rel_record *const *rows, size_t n,
                                  const rel_colset *cols, bool pg, rel_error *err)
{
    if (cols->n == 0) {
        /* Nothing returned: the statement has run (the first step runs with
           the parameters); its rows are as written. */
        int step = rel_stmt_next(st, err);
        if (step < 0)
            return (rel_status)step;
        if (step != 0)
            return rel_err(err, REL_DATABASE, "the INSERT returned rows it was not asked for");
        for (size_t k = 0; k < n; k++)
            if (!rel_crud_saved_shape(rows[k], pg))
                return rel_err_nomem(err);
        return REL_OK;
    }
    size_t k = 0;
    for (;;) {
        int step = rel_stmt_next(st, err);
        if (step < 0)
            return (rel_status)step;
        if (step == 0)
            break;
        if (k >= n)
            return rel_err(err, REL_DATABASE, "the INSERT returned more rows than it inserted");
        rel_status s = rel_select_read_row(st, 0, rows[k], cols, err);
        if (s != REL_OK)
            return s;
        if (!rel_crud_saved_shape(rows[k], pg))
            return rel_err_nomem(err);
        k++;
    }
    if (k != n)
        return rel_err(err, REL_DATABASE, "the INSERT returned %zu rows for %zu inserted", k, n);
    return REL_OK;
}

size_t rel_crud_insert_columns(const rel_record *r, int *cols)
{
    size_t n = 0;
    for (size_t i = 0; i < rel_rec_model(r)->nattrs; i++)
        if (rel_crud_insert_column(r, i))
            cols[n++] = (int)i;
    return n;
}

void rel_crud_insert_head(rel_sql *q, const rel_model *m, const int *cols, size_t ncols)
{
    rel_sql_raw(q, "INSERT INTO ");
    rel_sql_ident(q, m->table);
    if (ncols == 0) {
        rel_sql_raw(q, " DEFAULT VALUES");
        return;
    }
    rel_sql_raw(q, " (");
    for (size_t k = 0; k < ncols; k++) {
        if (k)
            rel_sql_raw(q, ", ");
        rel_sql_ident(q, m->attrs[cols[k]].a.field);
    }
    rel_sql_raw(q, ") VALUES ");
}

static void insert_tuple(rel_sql *q, const rel_record *r, const int *cols, size_t ncols)
{
    rel_sql_raw(q, "(");
    for (size_t k = 0; k < ncols; k++) {
        if (k)
            rel_sql_raw(q, ", ");
        rel_sql_param(q, rel_rec_model(r)->attrs[cols[k]].a.type, rel_record_at(r, cols[k]));
    }
    rel_sql_raw(q, ")");
}

/* An INSERT of the single row r (assigning the columns cols), reading back
   every column. */
static rel_status insert_row(rel_db *db, rel_sql *q, rel_record *r, const int *cols,
                             size_t ncols, const rel_colset *all, rel_error *err)
{
    rel_crud_insert_head(q, rel_rec_model(r), cols, ncols);
    if (ncols)
        insert_tuple(q, r, cols, ncols);
    rel_crud_returning(q, rel_rec_model(r), all);
    rel_stmt *st = NULL;
    rel_status s = rel_sql_run(db, q, &st, err);
    if (s != REL_OK)
        return s;
    rel_record *rows[1] = {r};
    s = rel_crud_read_returned(st, rows, 1, all, rel_db_is_postgres(db), err);
    rel_stmt_done(st);
    return s;
}

static rel_status insert_one(rel_db *db, rel_record *r, rel_error *err)
{
    const rel_model *m = rel_rec_model(r);
    rel_crud_stamp_insert(r, rel_now_ms());
    rel_status st = check_not_null(r, true, err);
    if (st != REL_OK)
        return st;

    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(err);
    int *cols = rel_arena_alloc(tmp, (m->nattrs + 1) * sizeof *cols);
    rel_colset all;
    rel_sql q;
    rel_sql_init(&q, db->dialect);
    if (!cols || rel_colset_all(tmp, m, &all, err) != REL_OK) {
        st = rel_err_nomem(err);
        goto done;
    }
    size_t ncols = rel_crud_insert_columns(r, cols);
    st = insert_row(db, &q, r, cols, ncols, &all, err);
    if (st == REL_OK)
        rel_record_mark_saved(r);
done:
    rel_sql_free(&q);
    rel_arena_free(tmp);
    return st;
}

static rel_status update_one(rel_db *db, rel_record *r, rel_error *err)
{
    const rel_model *m = rel_rec_model(r);
    bool any = false;
    for (size_t i = 0; i < m->nattrs && !any; i++)
        if (rel_record_is_changed(r, i) && rel_record_has(r, i) && (int)i != m->updated_at)
            any = true;
    if (!any)
        return REL_OK; /* nothing changed: no statement, as Sequelize */
    if (m->updated_at >= 0) {
        if (rel_record_put(r, m->updated_at, rel_int(rel_now_ms()), true) != REL_OK)
            return rel_err_nomem(err);
        /* Written even when the clock has not moved since the last save. */
        rel_record_mark_changed(r, m->updated_at, true);
    }
    rel_status st = check_not_null(r, false, err);
    if (st != REL_OK)
        return st;

    rel_sql q;
    rel_sql_init(&q, db->dialect);
    rel_sql_raw(&q, "UPDATE ");
    rel_sql_ident(&q, m->table);
    rel_sql_raw(&q, " SET ");
    bool first = true;
    for (size_t i = 0; i < m->nattrs; i++) {
        if (!rel_record_is_changed(r, i) || !rel_record_has(r, i))
            continue;
        if (!first)
            rel_sql_raw(&q, ", ");
        first = false;
        rel_sql_ident(&q, m->attrs[i].a.field);
        rel_sql_raw(&q, " = ");
        rel_sql_param(&q, m->attrs[i].a.type, rel_record_at(r, i));
    }
    rel_sql_raw(&q, " WHERE ");
    st = rel_crud_pk_where(&q, r, NULL, err);
    if (st == REL_OK)
        st = rel_sql_exec(db, &q, NULL, err);
    if (st == REL_OK)
        rel_record_mark_saved(r);
    rel_sql_free(&q);
    return st;
}

rel_status rel_crud_check_args(rel_db *db, const rel_record *r, rel_error *err)
{
    if (!db || !r)
        return rel_err(err, REL_MISUSE, "a connection and a record are required");
    if (rel_rec_model(r)->schema != (const rel_schema *)db->schema)
        return rel_err(err, REL_MISUSE, "%s belongs to another schema than the connection's",
                       rel_rec_model(r)->name);
    return REL_OK;
}

rel_status rel_save(rel_db *db, rel_record *r, rel_error *err)
{
    rel_status st = rel_crud_check_args(db, r, err);
    if (st != REL_OK)
        return st;
    return rel_record_stored(r) ? update_one(db, r, err) : insert_one(db, r, err);
}

rel_status rel_destroy(rel_db *db, rel_record *r, rel_error *err)
{
    rel_status st = rel_crud_check_args(db, r, err);
    if (st != REL_OK)
        return st;
    rel_sql q;
    rel_sql_init(&q, db->dialect);
    rel_sql_raw(&q, "DELETE FROM ");
    rel_sql_ident(&q, rel_rec_model(r)->table);
    rel_sql_raw(&q, " WHERE ");
    st = rel_crud_pk_where(&q, r, NULL, err);
    if (st == REL_OK)
        st = rel_sql_exec(db, &q, NULL, err);
    rel_sql_free(&q);
    return st;
}
