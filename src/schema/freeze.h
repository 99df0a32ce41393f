/* Internal to src/schema: the pieces rel_schema_freeze is made of.
 *
 * Freeze runs in passes over the definitions (see freeze.c). Definition
 * errors are collected with rel_diag and never stop a pass; running out of
 * memory sets schema->oom, after which the passes stop early. Functions that
 * return bool return false only when out of memory. */
#ifndef REL_SCHEMA_FREEZE_H
#define REL_SCHEMA_FREEZE_H

#include "schema/schema.h"
#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- diag.c: collecting definition errors ---- */

/* Records one definition error, prefixed "file:line:col: " when o has a file. */
void rel_diag(rel_schema *s, const rel_origin *o, const char *fmt, ...) REL_PRINTF(3, 4);

/* "hasMany", "belongsToMany", ... */
const char *rel_assoc_method(rel_assoc_kind kind);

/* How an association was written, for messages:
 * "Organization.hasMany(Employee, { as: 'staff' })". Returns buf. */
const char *rel_assoc_describe(const rel_assoc *a, char *buf, size_t n);

/* Moves a malloc'd string (from the inflect.h helpers) into the schema's
 * arena. NULL in, or out of memory: NULL, with schema->oom set. */
const char *rel_schema_take(rel_schema *s, char *malloced);

/* ---- schema.c ---- */

/* Room for one more element in an arena array of n elements: returns arr
 * or a bigger copy of it (*cap updated); NULL when out of memory. */
void *rel_schema_grow(rel_schema *s, void *arr, size_t n, size_t *cap, size_t elem);

/* An optional name copied into the schema's arena: NULL for NULL or "" (not
 * given); *ok becomes false when out of memory. */
const char *rel_schema_copy_opt(rel_schema *s, const char *str, bool *ok);

/* ---- model_attrs.c: a model's attribute list ---- */

/* Table name, singular/plural and the attributes a model has before any
 * association: generated id, defined attributes, createdAt, updatedAt. */
bool rel_model_build(rel_model *m);
/* Appends a copy of d; its index, or -1 when out of memory. */
int rel_model_push_attr(rel_model *m, const rel_attr_def *d);
/* Removes attribute i (a junction's generated id). */
void rel_model_drop_attr(rel_model *m, size_t i);
/* Recomputes pk, composite_pk, created_at and updated_at from attrs. */
void rel_model_reindex(rel_model *m);
/* Sequelize's primaryKeyAttribute: the first primary key, or NULL. */
const char *rel_model_pk_name(const rel_model *m);
/* The attribute as the user defined it, or NULL. */
const rel_attr *rel_model_declared(const rel_model *m, const char *name);
/* True when the user declared a primary key (a through model that keeps it). */
bool rel_model_has_own_pk(const rel_model *m);
/* The origin of errors about attribute `name`: where it was written, else
 * where the model was. */
const rel_origin *rel_model_attr_origin(const rel_model *m, const char *name);
/* A model made by belongsToMany for a `through` name, placed among the
 * models where Sequelize would have defined it (right after the models
 * defined before `by`). */
rel_model *rel_model_new_junction(rel_schema *s, const char *name, const rel_assoc *by);

/* ---- foreign_key.c: adding (or adopting) a foreign-key attribute ---- */

typedef struct rel_fk_spec {
    const char *name;          /* attribute name */
    rel_key_opts opts;         /* explicit field / allow_null / unique (merged for pairs) */
    rel_model *key_model;      /* model and attribute the key points at */
    const char *key_attr;
    bool constraints;          /* add REFERENCES */
    const char *on_delete;     /* explicit (canonical) or NULL for the kind's default */
    const char *on_update;
    rel_assoc_kind kind;       /* whose default ON DELETE rule applies */
    bool junction;             /* belongsToMany key: the type is always the key's */
    bool primary_key;          /* junction without its own primary key */
    const rel_assoc *by;       /* for messages and added_by */
} rel_fk_spec;

/* Adds the FK attribute to holder, or adopts the one already there (user
 * definitions win, as Sequelize's mergeDefaults keeps them; a first
 * association's constraint wins over a later one's). Reports conflicting
 * types or nullability. Fills *on_delete / *on_update (may be NULL) with the
 * rules the association resolved to (NULL without constraints). */
bool rel_fk_attach(rel_model *holder, const rel_fk_spec *spec, const char **on_delete,
                   const char **on_update);

/* "CASCADE", "SET NULL", ... for any case of an allowed rule; NULL otherwise. */
const char *rel_rule_canonical(const char *rule);

/* Whether attribute `name` of m can be referenced: it exists, and is unique
 * or a primary key. Reports the error for `a` (option is "sourceKey" /
 * "targetKey") and returns false otherwise. */
bool rel_key_check(rel_assoc *a, const rel_model *m, const char *name, const char *option);

/* ---- pairing.c: halves that are one relation ---- */

/* Sets ->pair for X.hasOne|hasMany(Y) + Y.belongsTo(X) when they are the only
 * such pair, and for two belongsToMany in opposite directions through the
 * same model. */
void rel_pair_all(rel_schema *s);

/* The explicit one of two optional values (NULL / REL_DEFAULT: not given);
 * *conflict is set when both are given and differ. */
const char *rel_pick_str(const char *a, const char *b, bool *conflict);
rel_flag rel_pick_flag(rel_flag a, rel_flag b, bool *conflict);
/* Merges the key description x (given to first) with y (given to second),
 * reporting contradictions; `what` names the option ("foreignKey"). */
void rel_pick_key_opts(rel_assoc *first, rel_assoc *second, const char *what,
                       const rel_key_opts *x, const rel_key_opts *y, rel_key_opts *out);
/* Reports that the two halves of one relation contradict each other. */
void rel_pair_conflict(rel_assoc *first, rel_assoc *second, const char *what,
                       const char *v1, const char *v2);

/* ---- names.c: association names and default key names ---- */

/* name / singular / plural of an association. */
bool rel_assoc_names(rel_assoc *a);
/* The default foreign-key name of a (hasOne, belongsTo, hasMany; for
 * belongsToMany the source side with source_key). Arena string or NULL. */
const char *rel_default_fk(rel_assoc *a, const char *source_key);
/* belongsToMany: the default other key for target_key. */
const char *rel_default_other_key(rel_assoc *a, const char *target_key);

/* ---- link.c / junction.c: resolving associations ---- */

/* hasOne, hasMany, belongsTo (with its inverse half, if any). */
bool rel_link_resolve(rel_assoc *a);
/* belongsToMany (with its paired half, if any): the junction and its keys. */
bool rel_junction_resolve(rel_assoc *a);

#endif
