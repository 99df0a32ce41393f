/* Eager loading (Sequelize's include), one query per include node (SEMANTICS
 * "Where relate differs" 4): the rows of a find are loaded first, then each
 * association's rows for all of them at once, keyed by the linking columns. */
#ifndef REL_QUERY_INCLUDE_H
#define REL_QUERY_INCLUDE_H

#include "db/db.h"
#include "query/record.h"
#include "query/select.h"
#include "sql/order.h"

/* Checks an include tree (zero-terminated array) against m — unknown
 * associations are REL_INVALID with Sequelize's messages — and adds to cols
 * the attributes of m the loader needs to link rows (keys). New colsets live
 * in arena. */
rel_status rel_include_prepare(rel_arena *arena, const rel_model *m, const rel_include *incl,
                               rel_colset *cols, rel_error *err);

/* Appends prefix and conditions that keep only rows of m (table alias
 * `alias`) having a match for every required include (EXISTS subqueries,
 * nested requirements included). Nothing when no include is required;
 * *wrote (may be NULL) says which. */
rel_status rel_include_filter(rel_sql *q, const rel_model *m, const char *alias,
                              const rel_include *incl, const char *prefix, bool *wrote,
                              rel_error *err);

/* Loads the included rows of rows[0..n) (records of m living in arena),
 * attaching them as each record's include slots. order: the find's order;
 * its items with an association path order that association's rows. */
rel_status rel_include_load(rel_db *db, rel_arena *arena, rel_record *const *rows, size_t n,
                            const rel_model *m, const rel_include *incl, const rel_order *order,
                            rel_error *err);

#endif
