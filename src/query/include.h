/* Eager loading (Sequelize's include), one query per include node (SEMANTICS
 * "Where relate differs" 4): the rows of a find are loaded first, then each
 * association's rows for all of them at once, keyed by the linking columns.
 * A find's belongsTo nodes (and those under them) are the exception: they
 * come LEFT JOINed in the find's own statement (include_join.c). */
#ifndef REL_QUERY_INCLUDE_H
#define REL_QUERY_INCLUDE_H

#include <stdint.h>

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

/* Checks, before anything runs, what the loader would otherwise check only
 * when it has rows to load for: each node's attributes, where, through
 * attributes and through where, at every depth, and that every order item
 * with a path names included associations and an attribute of the last.
 * order may be NULL. REL_INVALID (or REL_PARSE) naming the mistake. */
rel_status rel_include_check(const rel_dialect *d, const rel_model *m, const rel_include *incl,
                             const rel_order *order, rel_error *err);

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

/* To-one includes loaded in the parent's own SELECT (include_join.c):
 * belongsTo nodes whose target key is the target's primary key, at the top
 * of the tree and under other joined nodes. Every other node (and
 * everything under it) keeps one query per node. */
bool rel_include_joinable(const rel_assoc *a, const rel_include *node);

typedef struct rel_include_join {
    const rel_assoc *a;
    const rel_include *node;
    size_t slot;      /* the node's index among its siblings (include slot) */
    size_t parent;    /* entry of the parent node; SIZE_MAX: the find's row */
    size_t nchild;    /* nodes under it (include slots of its rows) */
    rel_colset cols;  /* the target's columns, as the per-node loader reads */
    int keypos;       /* position of the target's primary key in cols */
    int first;        /* its first column in the statement's row */
    char alias[24];   /* "~j<n>": short, unique in the statement */
    rel_record **seen; /* records read so far, hashed by key (arena) */
    size_t cap, nseen;
    rel_shape *shape;  /* of its rows, made with the first (arena) */
} rel_include_join;

typedef struct rel_include_joins {
    rel_include_join *at;  /* parents before their children */
    rel_record **cur;      /* while reading a row: each entry's record or NULL */
    size_t n;
} rel_include_joins;

/* The joined nodes of incl under m (none: n == 0); lives in arena. */
rel_status rel_include_join_plan(rel_arena *arena, const rel_model *m, const rel_include *incl,
                                 rel_include_joins *out, rel_error *err);
/* Appends ", <columns>" of every joined node; their columns start at
 * column `first` of the row. */
void rel_include_join_columns(rel_sql *q, rel_include_joins *j, int first);
/* Appends the LEFT OUTER JOINs (after the FROM of m aliased `alias`). */
rel_status rel_include_join_from(rel_sql *q, const char *alias, const rel_include_joins *j,
                                 rel_error *err);
/* Gives rec (a find's row, nincl include nodes) its include slots and fills
 * those of the joined nodes from the current row. Rows joined to the same
 * target share one record of it, as the per-node loader's parents do. */
rel_status rel_include_join_read(rel_stmt *stmt, rel_arena *arena, rel_record *rec,
                                 size_t nincl, rel_include_joins *j, bool pg,
                                 rel_error *err);
/* rel_include_load for rows read with rel_include_join_read: the joined
 * nodes are already there; loads the rest, and what is under joined rows. */
rel_status rel_include_load_joined(rel_db *db, rel_arena *arena, rel_record *const *rows,
                                   size_t n, const rel_model *m, const rel_include *incl,
                                   const rel_order *order, rel_error *err);

/* Writes " WHERE ..." limiting the rows of a model aliased `alias` to
 * (at least) those the query being built reads, or nothing. */
typedef rel_status (*rel_include_scope_fn)(rel_sql *q, const char *alias, void *user,
                                           rel_error *err);

/* Ordering rows of m (table alias `alias`) whose includes are incl. Items
 * without a path are m's own columns. An item with a path through included
 * associations orders m's rows as Sequelize's one joined query does: by the
 * value it has in the row's first joined row, the included rows LEFT JOINed
 * as Sequelize joins them and ordered by the path items (see
 * include_order.c). Items whose path names no association of incl are
 * skipped.
 *
 * rel_include_order_join goes right after the FROM: it LEFT JOINs every row
 * of m to its first joined row's values (nothing when no item has a path it
 * can use), ranked once for the rows of m that scope (may be NULL: all)
 * keeps. rel_include_order_append then appends " ORDER BY ..." (nothing
 * without items; *wrote may be NULL; *wrote true on entry means an ORDER BY
 * is already open and the items follow it after ", "). */
rel_status rel_include_order_join(rel_sql *q, const rel_model *m, const char *alias,
                                  const rel_include *incl, const rel_order *order,
                                  rel_include_scope_fn scope, void *user, rel_error *err);
rel_status rel_include_order_append(rel_sql *q, const rel_model *m, const char *alias,
                                    const rel_include *incl, const rel_order *order,
                                    bool *wrote, rel_error *err);

/* Pieces shared by include.c and include_order.c. */

/* The association a node names on m: its name (alias), or its target model
 * when that model is associated exactly once without an alias. REL_INVALID
 * with Sequelize's messages otherwise. */
rel_status rel_include_resolve(const rel_model *m, const rel_include *node,
                               const rel_assoc **out, rel_error *err);
/* The node of incl (zero-terminated, may be NULL) that one step of an order
 * item's path names, as the loader routes items: by its association's name
 * or by the name the include used. NULL when none; else *assoc is its
 * association on m. */
const rel_include *rel_include_path_step(const rel_model *m, const rel_include *incl,
                                         const char *step, const rel_assoc **assoc);
/* The attribute of the parent (the association's source) that links it. */
int rel_include_parent_key(const rel_assoc *a);
/* The attribute of the loaded row (target, or junction for belongsToMany)
 * whose value matches the parent's key. */
int rel_include_child_key(const rel_assoc *a);
/* Hashing and comparing linking key values. */
uint64_t rel_include_hash(rel_value v);
bool rel_include_key_equal(rel_value a, rel_value b);
/* "parent->name", the alias of an included table inside one statement
 * (malloc'd; NULL when out of memory). */
char *rel_include_alias(const char *parent, const char *name);
/* ` INNER JOIN "J" AS "jalias" ON "jalias"."other" = "talias"."tkey"`: a
 * belongsToMany's junction joined to its target. */
void rel_include_join_junction(rel_sql *q, const rel_assoc *a, const char *talias,
                               const char *jalias);
/* The node's own where, its junction where, and its children's requirements,
 * each after *prefix (which becomes " AND " once something is written). */
rel_status rel_include_node_conditions(rel_sql *q, const rel_assoc *a,
                                      const rel_include *node, const char *talias,
                                      const char *jalias, const char **prefix, rel_error *err);

#endif
