/* SELECT over one model, and reading its rows into records. The pieces are
 * separate so that the include planner can put several models' columns in
 * one statement and read each model's part of a row. */
#ifndef REL_QUERY_SELECT_H
#define REL_QUERY_SELECT_H

#include "db/db.h"
#include "query/record.h"
#include "sql/sql.h"

/* Which attributes a query reads: indexes into model->attrs, in the order
 * they are selected. The first nshow are the ones the caller asked for and
 * are printed as JSON, in that order; the rest are keys read only to link
 * included rows. `all` when they are every attribute in model order. */
typedef struct rel_colset {
    const int *idx;
    const rel_type *types; /* the attributes' types, in the same order (rows
                              are read with them: rel_stmt_cols) */
    size_t n;
    size_t nshow;
    bool all;
} rel_colset;

/* Every attribute of m, in model order (idx allocated in arena). */
rel_status rel_colset_all(rel_arena *arena, const rel_model *m, rel_colset *out,
                          rel_error *err);
/* The attributes named in a NULL-terminated list (NULL: all), in that order,
 * duplicates dropped. Unknown name: REL_INVALID naming it. */
rel_status rel_colset_names(rel_arena *arena, const rel_model *m, const char *const *names,
                            rel_colset *out, rel_error *err);
/* cols (of model m) plus attribute index i when it is missing: shown first (Sequelize
 * adds the primary key that way when a find has includes), or read but not
 * shown (keys the include loader needs). The new set lives in arena. */
rel_status rel_colset_add(rel_arena *arena, const rel_model *m, const rel_colset *cols, int i,
                          bool shown_first, rel_colset *out, rel_error *err);
/* Position of attribute index i within cols, or -1. */
int rel_colset_find(const rel_colset *cols, int i);

/* Appends `"alias"."col", ...` for cols (`1` when cols is empty, so the
 * statement stays valid). */
void rel_select_columns(rel_sql *q, const rel_model *m, const char *alias,
                        const rel_colset *cols);
/* Appends ` FROM "table" AS "alias"` (no AS when alias is NULL). */
void rel_select_from(rel_sql *q, const rel_model *m, const char *alias);
/* `SELECT <columns> FROM "table" AS "alias"`: the start of a find. */
void rel_select_build(rel_sql *q, const rel_model *m, const char *alias,
                      const rel_colset *cols);
/* Appends ` LIMIT ? OFFSET ?` as needed (0: none), both bound. */
void rel_select_limit(rel_sql *q, int64_t limit, int64_t offset);

/* The shape of rows read with cols (record.h): their key order is cols'
 * when it is not every attribute. NULL when out of memory. */
rel_shape *rel_select_shape(rel_arena *arena, const rel_model *m, const rel_colset *cols,
                            bool bigint_as_string);

/* Reads cols.n columns of the current row, starting at column `first`, into
 * rec (copied into rec's arena: no allocation per value beyond the arena's).
 * Marks rec stored (its JSON key order is its shape's: rel_select_shape). */
rel_status rel_select_read_row(rel_stmt *st, int first, rel_record *rec,
                               const rel_colset *cols, rel_error *err);

/* Whether the connection's dialect is PostgreSQL (BIGINT prints as text). */
bool rel_db_is_postgres(const rel_db *db);

#endif
