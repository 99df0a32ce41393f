/* Association methods (Sequelize's mixins): what the public entry points in
 * assoc_methods.c hand to the per-kind files, and the helpers they share.
 *
 * Every method that may write more than one row runs between
 * rel_db_atomic_begin and rel_db_atomic_end; rows given by the caller are
 * changed in memory only once the database has accepted the change (or put
 * back as they were when it has not). Statement texts never depend on how
 * many rows are given: lists of keys are bound as one array parameter (a
 * single key may be bound as a scalar, one more text at most). */
#ifndef REL_QUERY_ASSOC_H
#define REL_QUERY_ASSOC_H

#include <jansson.h>

#include "db/db.h"
#include "query/record.h"
#include "sql/sql.h"

/* One call: the connection, the association and the source row. */
typedef struct rel_assoc_call {
    rel_db *db;
    const rel_assoc *a;
    rel_record *src;    /* only to-one set/create write to it */
    rel_error *err;
} rel_assoc_call;

/* The targets as the caller gave them: rows, or key values. */
typedef struct rel_assoc_given {
    rel_record *const *rows; /* NULL when keys are given */
    const rel_value *keys;
    size_t n;
} rel_assoc_given;

/* ------------------------------------------------ belongsTo, hasOne (to_one) */

rel_status rel_to_one_get(rel_assoc_call *c, const rel_find_opts *opts, rel_result **out);
rel_status rel_belongs_to_set(rel_assoc_call *c, const rel_assoc_given *g);
rel_status rel_belongs_to_create(rel_assoc_call *c, rel_record *target);
rel_status rel_has_one_set(rel_assoc_call *c, const rel_assoc_given *g);
/* hasOne and hasMany create: saves target with its foreign key pointing at
 * the source (one INSERT, so no transaction of its own). */
rel_status rel_assoc_create_pointing(rel_assoc_call *c, rel_record *target);

/* ------------------------------------------------------------- hasMany */

rel_status rel_has_many_get(rel_assoc_call *c, const rel_find_opts *opts, rel_result **out);
rel_status rel_has_many_count(rel_assoc_call *c, const char *where, int64_t *out);
rel_status rel_has_many_has(rel_assoc_call *c, const rel_assoc_given *g, bool *out);
rel_status rel_has_many_add(rel_assoc_call *c, const rel_assoc_given *g);
rel_status rel_has_many_set(rel_assoc_call *c, const rel_assoc_given *g);
rel_status rel_has_many_remove(rel_assoc_call *c, const rel_assoc_given *g);

/* -------------------------------------------------------- belongsToMany */

/* What every belongsToMany method works with. */
typedef struct rel_btm {
    rel_assoc_call *c;
    const rel_model *t, *j;      /* target, junction */
    int fk_i, ok_i;              /* junction: key to the source, other key */
    int tk_i;                    /* target: the attribute the other key references */
    const rel_attr_def *fk, *ok, *tk;
    rel_value srcval;            /* the source's sourceKey */
} rel_btm;

/* Resolves the attributes and the source's key (REL_INVALID when unset). */
rel_status rel_btm_init(rel_btm *b, rel_assoc_call *c);
/* `EXISTS (SELECT 1 FROM junction AS "J" WHERE "J".ok = "alias".tk AND
 * "J".fk = ? [AND jwhere])`: target rows linked to the source. */
rel_status rel_btm_sql_linked(rel_sql *q, const rel_btm *b, const char *alias,
                              const json_t *jwhere);

/* Reading: assoc_many_to_many_get.c. A where may hold, under the junction
 * model's name, a where on the junction row ({"ActorCostume":{"role":"lead"}}),
 * as Sequelize's through.where. */
rel_status rel_btm_get(rel_assoc_call *c, const rel_find_opts *opts, rel_result **out);
rel_status rel_btm_count(rel_assoc_call *c, const char *where, int64_t *out);
rel_status rel_btm_has(rel_assoc_call *c, const rel_assoc_given *g, bool *out);
/* Writing: assoc_many_to_many.c. through: junction attribute values or NULL. */
rel_status rel_btm_add(rel_assoc_call *c, const rel_assoc_given *g, const rel_record *through);
rel_status rel_btm_set(rel_assoc_call *c, const rel_assoc_given *g, const rel_record *through);
rel_status rel_btm_remove(rel_assoc_call *c, const rel_assoc_given *g);
rel_status rel_btm_create(rel_assoc_call *c, rel_record *target, const rel_record *through);

/* ------------------------------------------------ writers (assoc_lock.c) */

/* Locks the source row (key srcval, bound as key_type) on PostgreSQL, so
 * that methods writing one source's links at once take turns: FOR NO KEY
 * UPDATE, which does not block other rows' foreign-key checks. Nothing on
 * SQLite, which lets one writer in at a time already (rel_db_atomic_begin),
 * or when the source has no such key. Call it inside the transaction. */
rel_status rel_assoc_lock_source(const rel_assoc_call *c, rel_type key_type, rel_value srcval);

/* ------------------------------------------------ row state (assoc_rows.c) */

/* What a row held before a method touched it, to put it back on failure. */
typedef struct rel_row_snapshot {
    rel_record *r;
    void *state;      /* rel_record_state_save: values and flags */
    rel_shape *shape; /* its key order and BIGINT printing */
} rel_row_snapshot;

/* Copies r's state into arena (r may be NULL: nothing to keep). */
rel_status rel_row_snapshot_take(rel_arena *arena, rel_record *r, rel_row_snapshot *s,
                                 rel_error *err);
void rel_row_snapshot_restore(const rel_row_snapshot *s);

/* How rel_assoc_save_and_link links the saved row: add or set with the
 * one row in g; user is what the caller passed along. */
typedef rel_status (*rel_assoc_link_fn)(rel_assoc_call *c, const rel_assoc_given *g,
                                        const void *user);

/* create's common part: in one transaction, saves target (a new row) and
 * links it with link. When either fails, target, and the source row too
 * when restore_src (a link that writes to it), are put back as they were. */
rel_status rel_assoc_save_and_link(rel_assoc_call *c, rel_record *target, bool restore_src,
                                   rel_assoc_link_fn link, const void *user);

/* Puts a value the database now holds into attribute i of a row, as
 * unchanged (it need not be saved again). REL_NOMEM only. */
rel_status rel_row_put_saved(rel_record *r, int i, rel_value v);

/* Writes `, "updatedAt" = ?` for m when it has timestamps. */
void rel_assoc_sql_touch(rel_sql *q, const rel_model *m, int64_t now);

/* REL_NOT_NULL for a method that would null a NOT NULL foreign key, before
 * any SQL: "notNull Violation: Comment.authorId cannot be null (...)". */
rel_status rel_assoc_not_null(rel_error *err, const rel_model *m, const char *fk,
                              const char *why);

#endif
