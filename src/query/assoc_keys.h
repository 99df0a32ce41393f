/* Turning what association methods are given (a source row; target rows or
 * key values) into the key values that link them, deduplicated, so that a
 * list of any length is bound as one array parameter. */
#ifndef REL_QUERY_ASSOC_KEYS_H
#define REL_QUERY_ASSOC_KEYS_H

#include "query/assoc.h"

/* Distinct canonical values in first-seen order, with a hash index. All
 * memory (text copies included) lives in the arena given to init. */
typedef struct rel_keyset {
    rel_arena *arena;
    rel_value *v;
    size_t n, cap;
    size_t *slot;   /* open addressing: position + 1, 0 = empty */
    size_t nslot;   /* a power of two, at least twice n */
} rel_keyset;

void rel_keyset_init(rel_keyset *ks, rel_arena *arena);
/* Adds v unless present (text is copied). *pos (may be NULL) receives its
 * position. REL_NOMEM only. */
rel_status rel_keyset_add(rel_keyset *ks, rel_value v, size_t *pos);
/* Position of v, or SIZE_MAX. */
size_t rel_keyset_find(const rel_keyset *ks, rel_value v);

/* Equality of two canonical values (same kind and content). */
bool rel_assoc_value_eq(rel_value a, rel_value b);

/* The value of the source row's attribute attr (its key for hasOne,
 * hasMany, belongsToMany): REL_INVALID when it is unset or NULL ("save the
 * row first"). */
rel_status rel_assoc_source_value(const rel_assoc_call *c, const char *attr, rel_value *out);

/* The given targets, identified by one attribute of the target model:
 *  - key values are values of key_attr (coerced to its type; NULL refused);
 *  - rows give their value of prefer_attr when every row has it, else of
 *    the primary key when every row has that (rows loaded with a narrow
 *    attribute list), else REL_INVALID ("save it first").
 * attr receives the attribute used, ids its distinct values. */
typedef struct rel_assoc_ids {
    int attr;
    rel_keyset ids;
} rel_assoc_ids;

rel_status rel_assoc_ids_of(const rel_assoc_call *c, rel_arena *arena, const rel_assoc_given *g,
                            int key_attr, int prefer_attr, rel_assoc_ids *out);

/* Binds the distinct values as one array parameter after a left-hand side:
 * ` IN (...)` (rel_sql_in_values). */
void rel_assoc_sql_in(rel_sql *q, const rel_attr_def *attr, const rel_keyset *ks);

/* "Actor with id 7" / "Actor with name 'Ann'" for messages. */
void rel_assoc_key_text(char *out, size_t cap, const rel_model *m, const rel_attr_def *attr,
                        rel_value v);

#endif
