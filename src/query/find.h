/* Finding rows of one model: the engine behind rel_find_all, rel_find_by_pk
 * and rel_count, open to association getters, which add their own condition
 * (a foreign key equal to the source's key, ...). */
#ifndef REL_QUERY_FIND_H
#define REL_QUERY_FIND_H

#include "db/db.h"
#include "query/record.h"
#include "sql/sql.h"

/* Writes one extra condition (no leading AND/WHERE) on columns of `alias`. */
typedef rel_status (*rel_find_cond_fn)(rel_sql *q, const char *alias, void *user,
                                       rel_error *err);

/* The rows of m matching opts (may be NULL) and cond (may be NULL), with
 * their includes. The table alias is the model's name, as Sequelize's.
 * *out is owned: rel_result_free. */
rel_status rel_find_rows(rel_db *db, const rel_model *m, const rel_find_opts *opts,
                         rel_find_cond_fn cond, void *cond_user, rel_result **out,
                         rel_error *err);

/* rel_find_rows whose rows are made with extras (record.h: REL_REC_THROUGH
 * for rows that get a junction row afterwards). */
rel_status rel_find_rows_with(rel_db *db, const rel_model *m, const rel_find_opts *opts,
                              rel_find_cond_fn cond, void *cond_user, unsigned extras,
                              rel_result **out, rel_error *err);

/* How many rows rel_find_rows would give without limit and offset (with
 * includes: distinct top-level rows). */
rel_status rel_count_rows(rel_db *db, const rel_model *m, const rel_find_opts *opts,
                          rel_find_cond_fn cond, void *cond_user, int64_t *out,
                          rel_error *err);

#endif
