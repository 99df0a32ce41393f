/* Writing rows: insert (every column read back with RETURNING), update of
 * the changed attributes only, delete by primary key, and bulk insert in
 * multi-row statements inside one transaction (reading back what the
 * database assigned or may have changed). */
#include "query/crud.h"

#include <math.h>
#include <string.h>

#include "query/select.h"
#include "util/datetime.h"
#include "util/error.h"

/* Bound-parameter limits: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since
 * 3.32) and PostgreSQL's protocol limit of 65535 parameters per statement. */
#define REL_SQLITE_MAX_PARAMS 32766
#define REL_PG_MAX_PARAMS 65535
/* Rows per bulk INSERT, within those limits: SQLite prepares about 9,000
 * instructions per row of a statement's text (as much as inserting the row),
 * so the statement for the last, shorter batch costs less when batches are
 * short, and PostgreSQL's server runs 1,000-row INSERTs faster than 16,000-row
 * ones (measured: a fifth less server time). */
#define REL_BULK_MAX_ROWS 1000

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
    return !(is_auto_pk(&rel_rec_model(r)->attrs[i]) && rel_record_at(r, i).kind == REL_V_NULL);
}

/* createdAt (kept when given, as Sequelize does) and updatedAt for an insert. */
static rel_status stamp_insert(rel_record *r, int64_t now)
{
    const rel_model *m = rel_rec_model(r);
    rel_status st = REL_OK;
    if (m->created_at >= 0 &&
        (!rel_record_has(r, m->created_at) || rel_record_at(r, m->created_at).kind == REL_V_NULL))
        st = rel_record_put(r, m->created_at, rel_int(now), true);
    if (st == REL_OK && m->updated_at >= 0)
        st = rel_record_put(r, m->updated_at, rel_int(now), true);
    return st;
}

/* Sequelize validates allowNull before any SQL. row: the row's index in a
   bulk create, for the message (NULL otherwise); the message is made only
   when a check fails. */
static rel_status check_not_null(const rel_record *r, bool inserting, const size_t *row,
                                 rel_error *err)
{
    const rel_model *m = rel_rec_model(r);
    for (size_t i = 0; i < m->nattrs; i++) {
        const rel_attr_def *a = &m->attrs[i];
        if (a->a.allow_null != REL_NO || is_auto_pk(a))
            continue;
        bool null = !rel_record_has(r, i) || rel_record_at(r, i).kind == REL_V_NULL;
        if (!inserting && !rel_record_is_changed(r, i))
            continue;
        if (null && row)
            return rel_err(err, REL_NOT_NULL, "row %zu: notNull Violation: %s.%s cannot be null",
                           *row, m->name, a->a.name);
        if (null)
            return rel_err(err, REL_NOT_NULL, "notNull Violation: %s.%s cannot be null", m->name,
                           a->a.name);
    }
    return REL_OK;
}

/* " RETURNING" the columns of cols (nothing when it is empty). */
static void returning(rel_sql *q, const rel_model *m, const rel_colset *cols)
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

/* A saved row prints every attribute in model order, BIGINT as the engine
 * gives it. False when out of memory (its shape was shared and copying it
 * failed). */
static bool saved_shape(rel_record *r, bool pg)
{
    if (!r->shape->order && r->shape->bigint_as_string == pg)
        return true;
    rel_shape *sh = rel_record_own_shape(r);
    if (!sh)
        return false;
    sh->order = NULL;
    sh->norder = 0;
    sh->bigint_as_string = pg;
    return true;
}

/* Reads RETURNING rows (the columns cols) into rows[0..n) in order. */
static rel_status read_returned(rel_stmt *st, rel_record *const *rows, size_t n,
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
            if (!saved_shape(rows[k], pg))
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
        if (!saved_shape(rows[k], pg))
            return rel_err_nomem(err);
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
    for (size_t i = 0; i < rel_rec_model(r)->nattrs; i++)
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
        rel_sql_param(q, rel_rec_model(r)->attrs[cols[k]].a.type, rel_record_at(r, cols[k]));
    }
    rel_sql_raw(q, ")");
}

/* An INSERT of the single row r (assigning the columns cols), reading back
   every column. */
static rel_status insert_row(rel_db *db, rel_sql *q, rel_record *r, const int *cols,
                             size_t ncols, const rel_colset *all, rel_error *err)
{
    insert_head(q, rel_rec_model(r), cols, ncols);
    if (ncols)
        insert_tuple(q, r, cols, ncols);
    returning(q, rel_rec_model(r), all);
    rel_stmt *st = NULL;
    rel_status s = rel_sql_run(db, q, &st, err);
    if (s != REL_OK)
        return s;
    rel_record *rows[1] = {r};
    s = read_returned(st, rows, 1, all, rel_db_is_postgres(db), err);
    rel_stmt_done(st);
    return s;
}

static rel_status insert_one(rel_db *db, rel_record *r, rel_error *err)
{
    const rel_model *m = rel_rec_model(r);
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
    if (rel_rec_model(r)->schema != (const rel_schema *)db->schema)
        return rel_err(err, REL_MISUSE, "%s belongs to another schema than the connection's",
                       rel_rec_model(r)->name);
    return REL_OK;
}

rel_status rel_save(rel_db *db, rel_record *r, rel_error *err)
{
    rel_status st = check_args(db, r, err);
    if (st != REL_OK)
        return st;
    return rel_record_stored(r) ? update_one(db, r, err) : insert_one(db, r, err);
}

rel_status rel_destroy(rel_db *db, rel_record *r, rel_error *err)
{
    rel_status st = check_args(db, r, err);
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

/* ---------------------------------------------------------------- bulk */

/* Rows can share a statement when they assign the same columns: whether b
   writes exactly cols (ascending, as insert_columns gives them). */
static bool same_columns(const rel_record *b, const int *cols, size_t ncols)
{
    size_t k = 0;
    for (size_t i = 0; i < rel_rec_model(b)->nattrs; i++) {
        if (!insert_column(b, i))
            continue;
        if (k == ncols || cols[k] != (int)i)
            return false;
        k++;
    }
    return k == ncols;
}

/* The first and last milliseconds of the years a DATE is read back in
   (0001-9999, rel_datetime_parse). */
#define REL_DATE_MIN_MS (-62135596800000LL)
#define REL_DATE_MAX_MS 253402300799999LL

/* Whether the database may hand written value v of attribute a back other
   than relate holds it: DECIMAL, UUID, DATEONLY and JSON as the engine
   normalizes them; doubles SQLite does not keep (NaN, -0); dates outside the
   years relate reads back (reading them fails, as it did before); strings
   PostgreSQL trims to their declared length. Anything else reads back as
   written, so a bulk create need not read it. */
static bool may_differ(const rel_attr_def *a, rel_value v, bool pg)
{
    if (v.kind == REL_V_NULL)
        return false;
    switch (a->a.type) {
    case REL_INTEGER:
    case REL_BIGINT:
    case REL_BOOLEAN:
        return v.kind != REL_V_INT;
    case REL_DATE:
        return v.kind != REL_V_INT || v.i < REL_DATE_MIN_MS || v.i > REL_DATE_MAX_MS;
    case REL_FLOAT:
    case REL_DOUBLE:
        return v.kind != REL_V_DOUBLE || !isfinite(v.d) || (v.d == 0.0 && signbit(v.d));
    case REL_STRING:
        return v.kind != REL_V_TEXT ||
               (pg && v.len > (size_t)(a->a.length > 0 ? a->a.length : 255));
    case REL_TEXT:
        return v.kind != REL_V_TEXT;
    case REL_BLOB:
        return v.kind != REL_V_BLOB;
    case REL_DECIMAL:
    case REL_UUID:
    case REL_DATEONLY:
    case REL_JSON:
    case REL_TYPE_NONE:
        break;
    }
    return true;
}

/* One bulk create's INSERTs: the statement text is written again only when
   the shape of a batch (columns written, columns read back, rows) changes,
   and its prepared statement is held from one batch to the next. */
typedef struct bulk {
    rel_db *db;
    bool pg;
    int consecutive;    /* the dialect's consecutive_keys for the model's key:
                           -1 until asked, then 0 or 1 */
    rel_sql q;          /* text of the current shape; the batch's parameters */
    rel_stmt *st;       /* prepared for q's text, NULL before the first batch */
    int *cols, *ret;    /* the current shape: columns written, read back */
    rel_type *ret_types;/* the types of ret's attributes */
    size_t ncols, nret, nrows;
    bool rowid_keys;    /* the shape reads only the key, as the last rowid */
    int *next_ret;      /* the next batch's read-back columns, being worked out */
    bool *differs;      /* per attribute, for next_ret */
} bulk;

/* Which attributes a batch reads back (RETURNING) into b->next_ret: those
   it does not write (the automatic key; NULL or the column's default for
   the others) and written values that may come back different. */
static size_t returned_columns(bulk *b, rel_record *const *rows, size_t n)
{
    const rel_model *m = rel_rec_model(rows[0]);
    for (size_t i = 0; i < m->nattrs; i++)
        b->differs[i] = !insert_column(rows[0], i);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < m->nattrs; i++)
            if (!b->differs[i] && may_differ(&m->attrs[i], rel_record_at(rows[j], (int)i), b->pg))
                b->differs[i] = true;
    size_t k = 0;
    for (size_t i = 0; i < m->nattrs; i++)
        if (b->differs[i])
            b->next_ret[k++] = (int)i;
    return k;
}

/* The statement text for the current shape: n rows of placeholders. */
static void bulk_text(bulk *b, const rel_model *m)
{
    rel_sql_reset(&b->q);
    insert_head(&b->q, m, b->cols, b->ncols);
    int no = 0;
    for (size_t j = 0; b->ncols && j < b->nrows; j++) {
        rel_sql_raw(&b->q, j ? ", (" : "(");
        for (size_t k = 0; k < b->ncols; k++) {
            if (k)
                rel_sql_raw(&b->q, ", ");
            rel_sql_placeholder(&b->q, ++no);
        }
        rel_sql_raw(&b->q, ")");
    }
    rel_colset ret = {.idx = b->ret, .types = b->ret_types,
                      .n = b->rowid_keys ? 0 : b->nret, .nshow = b->nret};
    returning(&b->q, m, &ret);
}

/* Batches shorter than this read their keys with RETURNING: asking SQLite's
   catalog (about 80,000 instructions) costs more than RETURNING them (about
   5,000 a row). */
#define REL_ROWID_KEYS_MIN_ROWS 16

/* Whether the keys of rows read back are the consecutive rowids that end at
   the last one inserted (the dialect's consecutive_keys), so the INSERT of
   n rows needs no RETURNING: asked once per bulk create, and only when
   nothing but the automatic key is read back. */
static bool rowid_keys(bulk *b, const rel_model *m, size_t n, size_t nret)
{
    if (nret != 1 || m->pk < 0 || b->next_ret[0] != m->pk || !is_auto_pk(&m->attrs[m->pk]) ||
        (b->consecutive < 0 && n < REL_ROWID_KEYS_MIN_ROWS))
        return false;
    if (b->consecutive < 0)
        b->consecutive = rel_db_consecutive_keys(b->db, m->table, m->attrs[m->pk].a.field);
    return b->consecutive == 1;
}

/* The keys of rows[0..n), inserted by st without RETURNING: consecutive,
   ending at the last rowid. */
static rel_status read_rowid_keys(rel_stmt *st, rel_record *const *rows, size_t n, int pk,
                                  rel_error *err)
{
    int step = rel_stmt_next(st, err);
    if (step < 0)
        return (rel_status)step;
    int64_t stored = rel_stmt_changes(st);
    if (step != 0 || stored != (int64_t)n)
        return rel_err(err, REL_DATABASE, "the INSERT stored %lld of its %zu rows",
                       (long long)stored, n);
    int64_t first = rel_stmt_last_insert_id(st) - (int64_t)(n - 1);
    for (size_t k = 0; k < n; k++) {
        if (rel_record_put_read(rows[k], pk, rel_int(first + (int64_t)k)) != REL_OK)
            return rel_err_nomem(err);
        rel_record_set_stored(rows[k], true);
        if (!saved_shape(rows[k], false))
            return rel_err_nomem(err);
    }
    return REL_OK;
}

/* One multi-row INSERT of rows[0..n), all writing the columns cols. */
static rel_status bulk_batch(bulk *b, rel_record *const *rows, size_t n, const int *cols,
                             size_t ncols, rel_error *err)
{
    const rel_model *m = rel_rec_model(rows[0]);
    size_t nret = returned_columns(b, rows, n);
    bool by_rowid = rowid_keys(b, m, n, nret);
    bool same = b->st && n == b->nrows && ncols == b->ncols && nret == b->nret &&
                by_rowid == b->rowid_keys &&
                memcmp(cols, b->cols, ncols * sizeof *cols) == 0 &&
                memcmp(b->next_ret, b->ret, nret * sizeof *b->ret) == 0;
    if (same) {
        rel_sql_clear_params(&b->q);
    } else {
        /* Released before its held parameters go with the old text. */
        rel_stmt_done(b->st);
        b->st = NULL;
        memcpy(b->cols, cols, ncols * sizeof *cols);
        memcpy(b->ret, b->next_ret, nret * sizeof *b->ret);
        for (size_t k = 0; k < nret; k++)
            b->ret_types[k] = m->attrs[b->ret[k]].a.type;
        b->ncols = ncols;
        b->nret = nret;
        b->nrows = n;
        b->rowid_keys = by_rowid;
        bulk_text(b, m);
    }
    /* The records' own values are bound as they are: the records outlive
       the statement's use of them. */
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < ncols; k++)
            rel_sql_bind(&b->q, m->attrs[cols[k]].a.type, rel_record_at(rows[j], cols[k]));
    rel_status s = same ? rel_sql_rerun_held(b->st, &b->q, err)
                        : rel_sql_run_held(b->db, &b->q, &b->st, err);
    if (s != REL_OK)
        return s;
    if (b->rowid_keys)
        return read_rowid_keys(b->st, rows, n, m->pk, err);
    rel_colset ret = {.idx = b->ret, .types = b->ret_types, .n = b->nret, .nshow = b->nret};
    return read_returned(b->st, rows, n, &ret, b->pg, err);
}

rel_status rel_bulk_create(rel_db *db, rel_record *const *rows, size_t n, rel_error *err)
{
    if (n == 0)
        return REL_OK;
    if (!rows)
        return rel_err(err, REL_MISUSE, "rel_bulk_create: rows is NULL");
    rel_status st = check_args(db, rows[0], err);
    if (st != REL_OK)
        return st;
    const rel_model *m = rel_rec_model(rows[0]);
    const size_t max_params =
        rel_db_is_postgres(db) ? REL_PG_MAX_PARAMS : REL_SQLITE_MAX_PARAMS;
    rel_arena *tmp = rel_arena_new(0);
    if (!tmp)
        return rel_err_nomem(err);
    size_t na = m->nattrs + 1;
    bulk b = {.db = db, .pg = rel_db_is_postgres(db), .consecutive = -1};
    rel_sql_init(&b.q, db->dialect);
    int *cols = rel_arena_alloc(tmp, na * sizeof *cols);
    b.cols = rel_arena_alloc(tmp, na * sizeof *b.cols);
    b.ret = rel_arena_alloc(tmp, na * sizeof *b.ret);
    b.ret_types = rel_arena_alloc(tmp, na * sizeof *b.ret_types);
    b.next_ret = rel_arena_alloc(tmp, na * sizeof *b.next_ret);
    b.differs = rel_arena_alloc(tmp, na * sizeof *b.differs);
    bool *auto_key = rel_arena_calloc(tmp, n, sizeof *auto_key);
    if (!cols || !b.cols || !b.ret || !b.ret_types || !b.next_ret || !b.differs || !auto_key) {
        st = rel_err_nomem(err);
        goto out;
    }
    /* Every row checked and stamped before any SQL, in one pass over them (a
     * program may give a million): same model, not saved, timestamps,
     * allowNull; and which automatic keys the database assigns, to undo them
     * on failure. */
    int64_t now = rel_now_ms();
    for (size_t j = 0; j < n && st == REL_OK; j++) {
        if (!rows[j])
            st = rel_err(err, REL_MISUSE, "rel_bulk_create: row %zu is NULL", j);
        else if (rel_rec_model(rows[j]) != m)
            st = rel_err(err, REL_INVALID, "rel_bulk_create: row %zu is a %s, not a %s", j,
                         rel_rec_model(rows[j])->name, m->name);
        else if (rel_record_stored(rows[j]))
            st = rel_err(err, REL_INVALID, "rel_bulk_create: row %zu is already saved", j);
        else if (stamp_insert(rows[j], now) != REL_OK)
            st = rel_err_nomem(err);
        else
            st = check_not_null(rows[j], true, &j, err);
        if (st == REL_OK)
            auto_key[j] = m->pk >= 0 && !insert_column(rows[j], (size_t)m->pk);
    }
    if (st != REL_OK)
        goto out;

    st = rel_db_atomic_begin(db, err);
    if (st != REL_OK)
        goto out;
    size_t j = 0;
    while (j < n && st == REL_OK) {
        size_t ncols = insert_columns(rows[j], cols);
        size_t per = ncols ? max_params / ncols : 1;
        if (per > REL_BULK_MAX_ROWS)
            per = REL_BULK_MAX_ROWS;
        size_t k = j + 1;
        while (k < n && k - j < per && same_columns(rows[k], cols, ncols))
            k++;
        st = bulk_batch(&b, rows + j, k - j, cols, ncols, err);
        j = k;
    }
    /* Released before the transaction ends, and before its parameters go. */
    rel_stmt_done(b.st);
    b.st = NULL;
    st = rel_db_atomic_end(db, st, err);
    if (st == REL_OK) {
        for (size_t i = 0; i < n; i++)
            rel_record_mark_saved(rows[i]);
    } else {
        /* Rolled back: the rows are unsaved again, and ids read from the
         * undone inserts mean nothing. */
        for (size_t i = 0; i < n; i++) {
            rel_record_set_stored(rows[i], false);
            if (auto_key[i]) {
                rel_record_clear(rows[i], m->pk);
            }
        }
    }
out:
    rel_sql_free(&b.q);
    rel_arena_free(tmp);
    return st;
}
