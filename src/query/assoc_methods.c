/* The public association methods (relate.h): check the arguments, find the
 * association by name on the source's model, and hand the call to the file
 * of its kind. */
#include <string.h>

#include "query/assoc.h"
#include "util/error.h"

static const char *kind_name(rel_assoc_kind k)
{
    switch (k) {
    case REL_HAS_ONE: return "hasOne";
    case REL_BELONGS_TO: return "belongsTo";
    case REL_HAS_MANY: return "hasMany";
    case REL_BELONGS_TO_MANY: return "belongsToMany";
    }
    return "association";
}

static bool to_many(const rel_assoc *a)
{
    return a->kind == REL_HAS_MANY || a->kind == REL_BELONGS_TO_MANY;
}

/* By name (the `as`, else the default); for to-many associations also by
 * the singular (addActor / removeActor name it so), when that is unique. */
static const rel_assoc *find_assoc(const rel_model *m, const char *name)
{
    const rel_assoc *a = rel_model_find_assoc(m, name);
    if (a)
        return a;
    const rel_assoc *hit = NULL;
    for (size_t i = 0; i < m->nassocs; i++) {
        const rel_assoc *x = m->assocs[i];
        if (to_many(x) && x->singular && strcmp(x->singular, name) == 0) {
            if (hit)
                return NULL;
            hit = x;
        }
    }
    return hit;
}

/* Fills c for a call of `method` on src's association `name`. */
static rel_status begin_call(rel_assoc_call *c, rel_db *db, const rel_record *src,
                             const char *name, const char *method, bool needs_to_many,
                             rel_error *err)
{
    memset(c, 0, sizeof *c);
    c->err = err;
    if (!db || !src || !name)
        return rel_err(err, REL_MISUSE, "rel_assoc_%s needs a connection, a row and an "
                                        "association name", method);
    const rel_model *m = rel_rec_model(src);
    if (m->schema != (const rel_schema *)db->schema)
        return rel_err(err, REL_MISUSE, "%s belongs to another schema than the connection's",
                       m->name);
    const rel_assoc *a = find_assoc(m, name);
    if (!a)
        return rel_err(err, REL_INVALID, "Association with alias '%s' does not exist on %s",
                       name, m->name);
    if (needs_to_many && !to_many(a))
        return rel_err(err, REL_MISUSE,
                       "%s.%s is a %s: %s is only for hasMany and belongsToMany", m->name,
                       a->name, kind_name(a->kind), method);
    c->db = db;
    c->a = a;
    c->src = (rel_record *)src; /* only the to-one setters write to it */
    return REL_OK;
}

/* The given targets must be rows of the association's target model. */
static rel_status check_rows(const rel_assoc_call *c, rel_record *const *rows, size_t n)
{
    if (n && !rows)
        return rel_err(c->err, REL_MISUSE, "%s: %zu targets announced but none given",
                       c->a->name, n);
    for (size_t i = 0; i < n; i++) {
        if (!rows[i])
            return rel_err(c->err, REL_MISUSE, "%s: target %zu is NULL", c->a->name, i);
        if (rel_rec_model(rows[i]) != c->a->target)
            return rel_err(c->err, REL_INVALID, "%s: target %zu is a %s, not a %s",
                           c->a->name, i, rel_rec_model(rows[i])->name, c->a->target->name);
    }
    return REL_OK;
}

static rel_status check_keys(const rel_assoc_call *c, const rel_value *keys, size_t n)
{
    if (n && !keys)
        return rel_err(c->err, REL_MISUSE, "%s: %zu keys announced but none given", c->a->name,
                       n);
    return REL_OK;
}

static rel_status check_through(const rel_assoc_call *c, const rel_record *through)
{
    if (!through)
        return REL_OK;
    if (c->a->kind != REL_BELONGS_TO_MANY)
        return rel_err(c->err, REL_INVALID,
                       "%s is a %s: junction values only go with belongsToMany", c->a->name,
                       kind_name(c->a->kind));
    if (rel_rec_model(through) != c->a->through)
        return rel_err(c->err, REL_INVALID, "%s: the junction values are a %s row, not a %s",
                       c->a->name, rel_rec_model(through)->name, c->a->through->name);
    return REL_OK;
}

/* ---------------------------------------------------------------- reading */

rel_status rel_assoc_get(rel_db *db, const rel_record *src, const char *assoc,
                         const rel_find_opts *opts, rel_result **out, rel_error *err)
{
    if (out)
        *out = NULL;
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "get", false, err);
    if (st != REL_OK)
        return st;
    if (!out)
        return rel_err(err, REL_MISUSE, "rel_assoc_get needs an output");
    switch (c.a->kind) {
    case REL_BELONGS_TO:
    case REL_HAS_ONE: return rel_to_one_get(&c, opts, out);
    case REL_HAS_MANY: return rel_has_many_get(&c, opts, out);
    case REL_BELONGS_TO_MANY: return rel_btm_get(&c, opts, out);
    }
    return rel_err(err, REL_ERROR, "unknown association kind");
}

rel_status rel_assoc_count(rel_db *db, const rel_record *src, const char *assoc,
                           const char *where, int64_t *out, rel_error *err)
{
    if (out)
        *out = 0;
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "count", true, err);
    if (st != REL_OK)
        return st;
    if (!out)
        return rel_err(err, REL_MISUSE, "rel_assoc_count needs an output");
    return c.a->kind == REL_HAS_MANY ? rel_has_many_count(&c, where, out)
                                     : rel_btm_count(&c, where, out);
}

static rel_status has_given(rel_assoc_call *c, const rel_assoc_given *g, bool *out)
{
    if (!out)
        return rel_err(c->err, REL_MISUSE, "rel_assoc_has needs an output");
    *out = false;
    return c->a->kind == REL_HAS_MANY ? rel_has_many_has(c, g, out) : rel_btm_has(c, g, out);
}

rel_status rel_assoc_has(rel_db *db, const rel_record *src, const char *assoc,
                         rel_record *const *targets, size_t n, bool *out, rel_error *err)
{
    if (out)
        *out = false;
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "has", true, err);
    if (st == REL_OK)
        st = check_rows(&c, targets, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {targets, NULL, n};
    return has_given(&c, &g, out);
}

rel_status rel_assoc_has_keys(rel_db *db, const rel_record *src, const char *assoc,
                              const rel_value *keys, size_t n, bool *out, rel_error *err)
{
    if (out)
        *out = false;
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "has", true, err);
    if (st == REL_OK)
        st = check_keys(&c, keys, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {NULL, keys, n};
    return has_given(&c, &g, out);
}

/* ---------------------------------------------------------------- writing */

static rel_status set_given(rel_assoc_call *c, const rel_assoc_given *g,
                            const rel_record *through)
{
    rel_status st = check_through(c, through);
    if (st != REL_OK)
        return st;
    switch (c->a->kind) {
    case REL_BELONGS_TO: return rel_belongs_to_set(c, g);
    case REL_HAS_ONE: return rel_has_one_set(c, g);
    case REL_HAS_MANY: return rel_has_many_set(c, g);
    case REL_BELONGS_TO_MANY: return rel_btm_set(c, g, through);
    }
    return rel_err(c->err, REL_ERROR, "unknown association kind");
}

rel_status rel_assoc_set(rel_db *db, rel_record *src, const char *assoc,
                         rel_record *const *targets, size_t n, const rel_record *through,
                         rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "set", false, err);
    if (st == REL_OK)
        st = check_rows(&c, targets, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {targets, NULL, n};
    return set_given(&c, &g, through);
}

rel_status rel_assoc_set_keys(rel_db *db, rel_record *src, const char *assoc,
                              const rel_value *keys, size_t n, const rel_record *through,
                              rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "set", false, err);
    if (st == REL_OK)
        st = check_keys(&c, keys, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {NULL, keys, n};
    return set_given(&c, &g, through);
}

static rel_status add_given(rel_assoc_call *c, const rel_assoc_given *g,
                            const rel_record *through)
{
    rel_status st = check_through(c, through);
    if (st != REL_OK)
        return st;
    return c->a->kind == REL_HAS_MANY ? rel_has_many_add(c, g) : rel_btm_add(c, g, through);
}

rel_status rel_assoc_add(rel_db *db, const rel_record *src, const char *assoc,
                         rel_record *const *targets, size_t n, const rel_record *through,
                         rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "add", true, err);
    if (st == REL_OK)
        st = check_rows(&c, targets, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {targets, NULL, n};
    return add_given(&c, &g, through);
}

rel_status rel_assoc_add_keys(rel_db *db, const rel_record *src, const char *assoc,
                              const rel_value *keys, size_t n, const rel_record *through,
                              rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "add", true, err);
    if (st == REL_OK)
        st = check_keys(&c, keys, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {NULL, keys, n};
    return add_given(&c, &g, through);
}

rel_status rel_assoc_remove(rel_db *db, const rel_record *src, const char *assoc,
                            rel_record *const *targets, size_t n, rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "remove", true, err);
    if (st == REL_OK)
        st = check_rows(&c, targets, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {targets, NULL, n};
    return c.a->kind == REL_HAS_MANY ? rel_has_many_remove(&c, &g) : rel_btm_remove(&c, &g);
}

rel_status rel_assoc_remove_keys(rel_db *db, const rel_record *src, const char *assoc,
                                 const rel_value *keys, size_t n, rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "remove", true, err);
    if (st == REL_OK)
        st = check_keys(&c, keys, n);
    if (st != REL_OK)
        return st;
    rel_assoc_given g = {NULL, keys, n};
    return c.a->kind == REL_HAS_MANY ? rel_has_many_remove(&c, &g) : rel_btm_remove(&c, &g);
}

rel_status rel_assoc_create(rel_db *db, rel_record *src, const char *assoc, rel_record *target,
                            const rel_record *through, rel_error *err)
{
    rel_assoc_call c;
    rel_status st = begin_call(&c, db, src, assoc, "create", false, err);
    if (st == REL_OK)
        st = check_rows(&c, &target, 1);
    if (st == REL_OK)
        st = check_through(&c, through);
    if (st != REL_OK)
        return st;
    switch (c.a->kind) {
    case REL_BELONGS_TO: return rel_belongs_to_create(&c, target);
    case REL_HAS_ONE:
    case REL_HAS_MANY: return rel_assoc_create_pointing(&c, target);
    case REL_BELONGS_TO_MANY: return rel_btm_create(&c, target, through);
    }
    return rel_err(err, REL_ERROR, "unknown association kind");
}
