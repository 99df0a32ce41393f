/* Writing rows: insert (every column read back with RETURNING), update of
 * the changed attributes only, delete by primary key, and bulk insert in
 * multi-row statements inside one transaction. */
#include "query/crud.h"

#include <stdio.h>
#include <string.h>

#include "query/select.h"
#include "util/datetime.h"
#include "util/error.h"

/* Bound-parameter limits: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since
 * 3.32) and PostgreSQL's protocol limit of 65535 parameters per statement. */
#define REL_SQLITE_MAX_PARAMS 32766
#define REL_PG_MAX_PARAMS 65535

static bool is_auto_pk(const rel_attr_def *a)
{
    return a->role == REL_ROLE_GENERATED_ID || (a->a.primary_key && a->a.auto_increment);
}

/* Whether attribute i goes into an INSERT: assigned, except an automatic
 * key left NULL (the database assigns it). */
static bool insert_column(const rel_record *r, size_t i)
{
    if (!rel_record_has(r, i))
        return false;
    return !(is_auto_pk(&r->model->attrs[i]) && rel_record_at(r, i).kind == REL_V_NULL);
}

/* createdAt (kept when given, as Sequelize does) and updatedAt for an insert. */
static rel_status stamp_insert(rel_record *r, int64_t now)
{
    const rel_model *m = r->model;
    rel_status st = REL_OK;
    if (m->created_at >= 0 &&
        (!rel_record_has(r, m->created_at) || rel_record_at(r, m->created_at).kind == REL_V_NULL))
        st = rel_record_put(r, m->created_at, rel_int(now), true);
    if (st == REL_OK && m->updated_at >= 0)
        st = rel_record_put(r, m->updated_at, rel_int(now), true);
    return st;
}

/* Sequelize validates allowNull before any SQL. */
static rel_status check_not_null(const rel_record *r, bool inserting, const char *what,
                                 rel_error *err)
{
    const rel_model *m = r->model;
    for (size_t i = 0; i < m->nattrs; i++) {
        const rel_attr_def *a = &m->attrs[i];
        if (a->a.allow_null != REL_NO || is_auto_pk(a))
            continue;
        bool null = !rel_record_has(r, i) || rel_record_at(r, i).kind == REL_V_NULL;
        if (!inserting && !rel_record_is_changed(r, i))
            continue;
        if (null)
            return rel_err(err, REL_NOT_NULL, "%snotNull Violation: %s.%s cannot be null",
                           what ? what : "", m->name, a->a.name);
    }
    return REL_OK;
}

/* " RETURNING every column" in model order. */
static void returning_all(rel_sql *q, const rel_model *m)
{
    rel_sql_raw(q, " RETURNING ");
    for (size_t i = 0; i < m->nattrs; i++) {
        if (i)
            rel_sql_raw(q, ", ");
        rel_sql_ident(q, m->attrs[i].a.field);
    }
}

/* Appends "pk" = ? [AND ...] for the row's primary key. */
rel_status rel_crud_pk_where(rel_sql *q, const rel_record *r, const char *alias, rel_error *err)
{
    const rel_model *m = r->model;
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

/* Reads RETURNING rows into rows[0..n) in order. */
static rel_status read_returned(rel_stmt *st, rel_record *const *rows, size_t n,
                                const rel_colset *all, bool pg, rel_error *err)
{
    size_t k = 0;
    for (;;) {
        int step = rel_stmt_next(st, err);
        if (step < 0)
            return (rel_status)step;
        if (step == 0)
            break;
        if (k >= n)
            return rel_err(err, REL_DATABASE, "the INSERT returned more rows than it inserted");
        rel_status s = rel_select_read_row(st, 0, rows[k], all, err);
        if (s != REL_OK)
            return s;
        rows[k]->order = NULL;
        rows[k]->bigint_as_string = pg;
        k++;
    }
    if (k != n)
        return rel_err(err, REL_DATABASE, "the INSERT returned %zu rows for %zu inserted", k, n);
    return REL_OK;
}

/* Columns of the INSERT for rows like r: the attributes it assigns. */
static size_t insert_columns(const rel_record *r, int *cols)
{
    size_t n = 0;
    for (size_t i = 0; i < r->model->nattrs; i++)
        if (insert_column(r, i))
            cols[n++] = (int)i;
    return n;
}

static void insert_head(rel_sql *q, const rel_model *m, const int *cols, size_t ncols)
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
        rel_sql_param(q, r->model->attrs[cols[k]].a.type, rel_record_at(r, cols[k]));
    }
    rel_sql_raw(q, ")");
}

/* One multi-row INSERT of rows[0..n) (all assigning the columns cols). */
static rel_status insert_batch(rel_db *db, rel_sql *q, rel_record *const *rows, size_t n,
                               const int *cols, size_t ncols, const rel_colset *all,
                               rel_error *err)
{
    const rel_model *m = rows[0]->model;
    rel_sql_reset(q);
    insert_head(q, m, cols, ncols);
    for (size_t j = 0; ncols && j < n; j++) {
        if (j)
            rel_sql_raw(q, ", ");
        insert_tuple(q, rows[j], cols, ncols);
    }
    returning_all(q, m);
    rel_stmt *st = NULL;
    rel_status s = rel_sql_run(db, q, &st, err);
    if (s != REL_OK)
        return s;
    s = read_returned(st, rows, n, all, rel_db_is_postgres(db), err);
    rel_stmt_done(st);
    return s;
}


static rel_status insert_one(rel_db *db, rel_record *r, rel_error *err)
{
    const rel_model *m = r->model;
    rel_status st = stamp_insert(r, rel_now_ms());
    if (st != REL_OK)
        return rel_err_nomem(err);
    st = check_not_null(r, true, NULL, err);
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
    size_t ncols = insert_columns(r, cols);
    rel_record *rows[1] = {r};
    st = insert_batch(db, &q, rows, 1, cols, ncols, &all, err);
    if (st == REL_OK)
        rel_record_mark_saved(r);
done:
    rel_sql_free(&q);
    rel_arena_free(tmp);
    return st;
}

static rel_status update_one(rel_db *db, rel_record *r, rel_error *err)
{
    const rel_model *m = r->model;
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
    rel_status st = check_not_null(r, false, NULL, err);
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

static rel_status check_args(rel_db *db, const rel_record *r, rel_error *err)
{
    if (!db || !r)
        return rel_err(err, REL_MISUSE, "a connection and a record are required");
    if (r->model->schema != (const rel_schema *)db->schema)
        return rel_err(err, REL_MISUSE, "%s belongs to another schema than the connection's",
                       r->model->name);
    return REL_OK;
}

rel_status rel_save(rel_db *db, rel_record *r, rel_error *err)
{
    rel_status st = check_args(db, r, err);
    if (st != REL_OK)
        return st;
    return r->stored ? update_one(db, r, err) : insert_one(db, r, err);
}

rel_status rel_destroy(rel_db *db, rel_record *r, rel_error *err)
{
    rel_status st = check_args(db, r, err);
    if (st != REL_OK)
        return st;
    rel_sql q;
    rel_sql_init(&q, db->dialect);
    rel_sql_raw(&q, "DELETE FROM ");
    rel_sql_ident(&q, r->model->table);
    rel_sql_raw(&q, " WHERE ");
    st = rel_crud_pk_where(&q, r, NULL, err);
    if (st == REL_OK)
        st = rel_sql_exec(db, &q, NULL, err);
    rel_sql_free(&q);
    return st;
}

/* ---------------------------------------------------------------- bulk */

/* Rows can share a statement when they assign the same columns. */
static bool same_columns(const rel_record *a, const rel_record *b)
{
    for (size_t i = 0; i < a->model->nattrs; i++)
        if (insert_column(a, i) != insert_column(b, i))
            return false;
    return true;
}

rel_status rel_bulk_create(rel_db *db, rel_record *const *rows, size_t n, rel_error *err)
{
    if (n == 0)
        return REL_OK;
    if (!rows)
        return rel_err(err, REL_MISUSE, "rel_bulk_create: rows is NULL");
    for (size_t j = 0; j < n; j++) {
        rel_status st = check_args(db, rows[j], err);
        if (st != REL_OK)
            return st;
        if (rows[j]->model != rows[0]->model)
            return rel_err(err, REL_INVALID, "rel_bulk_create: row %zu is a %s, not a %s", j,
                           rows[j]->model->name, rows[0]->model->name);
        if (rows[j]->stored)
            return rel_err(err, REL_INVALID, "rel_bulk_create: row %zu is already saved", j);
    }
    const rel_model *m = rows[0]->model;
    int64_t now = rel_now_ms();
    char what[48];
    for (size_t j = 0; j < n; j++) {
        if (stamp_insert(rows[j], now) != REL_OK)
            return rel_err_nomem(err);
        snprintf(what, sizeof what, "row %zu: ", j);
        rel_status st = check_not_null(rows[j], true, what, err);
        if (st != REL_OK)
            return st;
    }

    /* Which automatic keys the database assigns, to undo them on failure. */
    const size_t max_params =
        rel_db_is_postgres(db) ? REL_PG_MAX_PARAMS : REL_SQLITE_MAX_PARAMS;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(err);
    rel_status st = REL_OK;
    int *cols = rel_arena_alloc(tmp, (m->nattrs + 1) * sizeof *cols);
    bool *auto_key = rel_arena_calloc(tmp, n, sizeof *auto_key);
    rel_colset all;
    rel_sql q;
    rel_sql_init(&q, db->dialect);
    if (!cols || !auto_key || rel_colset_all(tmp, m, &all, err) != REL_OK) {
        st = rel_err_nomem(err);
        goto out;
    }
    for (size_t j = 0; j < n; j++)
        auto_key[j] = m->pk >= 0 && !insert_column(rows[j], (size_t)m->pk);

    st = rel_db_atomic_begin(db, err);
    if (st != REL_OK)
        goto out;
    size_t j = 0;
    while (j < n && st == REL_OK) {
        size_t ncols = insert_columns(rows[j], cols);
        size_t per = ncols ? max_params / ncols : 1;
        size_t k = j + 1;
        while (k < n && k - j < per && same_columns(rows[j], rows[k]))
            k++;
        st = insert_batch(db, &q, rows + j, k - j, cols, ncols, &all, err);
        j = k;
    }
    st = rel_db_atomic_end(db, st, err);
    if (st == REL_OK) {
        for (size_t i = 0; i < n; i++)
            rel_record_mark_saved(rows[i]);
    } else {
        /* Rolled back: the rows are unsaved again, and ids read from the
         * undone inserts mean nothing. */
        for (size_t i = 0; i < n; i++) {
            rows[i]->stored = false;
            if (auto_key[i]) {
                rel_record_clear(rows[i], m->pk);
            }
        }
    }
out:
    rel_sql_free(&q);
    rel_arena_free(tmp);
    return st;
}
