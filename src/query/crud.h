/* Writing rows (rel_save, rel_destroy, rel_bulk_create are public); the
 * pieces of an INSERT that crud.c and bulk_create.c share, and those
 * association methods reuse. */
#ifndef REL_QUERY_CRUD_H
#define REL_QUERY_CRUD_H

#include "db/db.h"
#include "query/record.h"
#include "query/select.h"
#include "sql/sql.h"

/* Appends `"alias"."pk" = ?` (AND-ed for a composite key) for r's primary
 * key; alias may be NULL. REL_INVALID when the model has no primary key or
 * the row's key is not set. */
rel_status rel_crud_pk_where(rel_sql *q, const rel_record *r, const char *alias,
                             rel_error *err);

/* A connection and a record of its schema, or REL_MISUSE saying which is
 * missing. */
rel_status rel_crud_check_args(rel_db *db, const rel_record *r, rel_error *err);

/* An attribute the database assigns when an INSERT leaves it out: the
 * generated id, or an auto-increment primary key. */
static inline bool rel_crud_auto_key(const rel_attr_def *a)
{
    return a->role == REL_ROLE_GENERATED_ID || (a->a.primary_key && a->a.auto_increment);
}

/* Whether attribute i of r goes into an INSERT: assigned, except an
 * automatic key left NULL (the database assigns it). */
static inline bool rel_crud_insert_column(const rel_record *r, size_t i)
{
    if (!rel_record_has(r, i))
        return false;
    return !(rel_crud_auto_key(&rel_rec_model(r)->attrs[i]) &&
             rel_record_at(r, i).kind == REL_V_NULL);
}

/* The columns of an INSERT of r (rel_crud_insert_column), ascending, into
 * cols (room for every attribute); returns how many. */
size_t rel_crud_insert_columns(const rel_record *r, int *cols);

/* Whether allowNull is checked for a before an INSERT (Sequelize does it
 * before any SQL): not nullable, and not assigned by the database. */
static inline bool rel_crud_checks_null(const rel_attr_def *a)
{
    return a->a.allow_null == REL_NO && !rel_crud_auto_key(a);
}

/* REL_NOT_NULL, "notNull Violation: Model.attr cannot be null" for
 * attribute i of m, with "row N: " in front when row is given (bulk). */
rel_status rel_crud_null_violation(const rel_model *m, size_t i, const size_t *row,
                                   rel_error *err);

/* Sets createdAt (unless given, as Sequelize keeps it) and updatedAt of an
 * unsaved row to now. */
static inline void rel_crud_stamp_insert(rel_record *r, int64_t now)
{
    const rel_model *m = rel_rec_model(r);
    rel_slot *slots = rel_record_slots(r);
    unsigned char *flags = rel_record_flags(r);
    const unsigned char stamped = REL_V_INT | REL_SLOT_SET | REL_SLOT_CHANGED;
    int c = m->created_at, u = m->updated_at;
    if (c >= 0 && (!(flags[c] & REL_SLOT_SET) || (flags[c] & REL_SLOT_KIND) == REL_V_NULL)) {
        slots[c].i = now;
        flags[c] = stamped;
    }
    if (u >= 0) {
        slots[u].i = now;
        flags[u] = stamped;
    }
}


/* `INSERT INTO "table" ("a", ...) VALUES ` for the columns cols, or
 * `INSERT INTO "table" DEFAULT VALUES` when there are none. */
void rel_crud_insert_head(rel_sql *q, const rel_model *m, const int *cols, size_t ncols);

/* " RETURNING" the columns of cols (nothing when it is empty). */
void rel_crud_returning(rel_sql *q, const rel_model *m, const rel_colset *cols);

/* Reads the RETURNING rows of st (the columns cols) into rows[0..n), in
 * order, giving each the shape of a saved row; REL_DATABASE when the count
 * differs from n. With no columns, checks that the statement ran. */
rel_status rel_crud_read_returned(rel_stmt *st, rel_record *const *rows, size_t n,
                                  const rel_colset *cols, bool pg, rel_error *err);

/* Gives r the shape of a saved row: every attribute in model order, BIGINT
 * as the engine gives it (pg). False when out of memory (its shape was
 * shared and copying it failed). */
bool rel_crud_saved_shape(rel_record *r, bool pg);

#endif
