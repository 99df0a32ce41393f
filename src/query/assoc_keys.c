/* Key values for association methods: a small hash set of canonical values,
 * the source row's key, and the given targets' keys (see assoc_keys.h). */
#include "query/assoc_keys.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* ---------------------------------------------------------------- keyset */

bool rel_assoc_value_eq(rel_value a, rel_value b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case REL_V_NULL: return true;
    case REL_V_INT: return a.i == b.i;
    case REL_V_DOUBLE: return a.d == b.d;
    case REL_V_TEXT:
    case REL_V_BLOB: return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
    }
    return false;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t value_hash(rel_value v)
{
    uint64_t h = 14695981039346656037ULL;
    unsigned char kind = (unsigned char)v.kind;
    h = fnv(h, &kind, 1);
    switch (v.kind) {
    case REL_V_NULL: break;
    case REL_V_INT: h = fnv(h, &v.i, sizeof v.i); break;
    case REL_V_DOUBLE: {
        double d = v.d == 0 ? 0.0 : v.d; /* -0.0 equals 0.0 */
        h = fnv(h, &d, sizeof d);
        break;
    }
    case REL_V_TEXT:
    case REL_V_BLOB: h = fnv(h, v.s, v.len); break;
    }
    return h;
}

void rel_keyset_init(rel_keyset *ks, rel_arena *arena)
{
    memset(ks, 0, sizeof *ks);
    ks->arena = arena;
}

size_t rel_keyset_find(const rel_keyset *ks, rel_value v)
{
    if (!ks->nslot)
        return SIZE_MAX;
    size_t mask = ks->nslot - 1;
    for (size_t s = (size_t)value_hash(v) & mask;; s = (s + 1) & mask) {
        size_t p = ks->slot[s];
        if (!p)
            return SIZE_MAX;
        if (rel_assoc_value_eq(ks->v[p - 1], v))
            return p - 1;
    }
}

/* Doubles the index (and the value array); old memory stays in the arena. */
static rel_status grow(rel_keyset *ks)
{
    size_t cap = ks->cap ? ks->cap * 2 : 16;
    rel_value *v = rel_arena_alloc(ks->arena, cap * sizeof *v);
    size_t nslot = cap * 2;
    size_t *slot = rel_arena_calloc(ks->arena, nslot, sizeof *slot);
    if (!v || !slot)
        return REL_NOMEM;
    if (ks->n)
        memcpy(v, ks->v, ks->n * sizeof *v);
    size_t mask = nslot - 1;
    for (size_t p = 0; p < ks->n; p++) {
        size_t s = (size_t)value_hash(v[p]) & mask;
        while (slot[s])
            s = (s + 1) & mask;
        slot[s] = p + 1;
    }
    ks->v = v;
    ks->cap = cap;
    ks->slot = slot;
    ks->nslot = nslot;
    return REL_OK;
}

rel_status rel_keyset_add(rel_keyset *ks, rel_value v, size_t *pos)
{
    size_t found = rel_keyset_find(ks, v);
    if (found != SIZE_MAX) {
        if (pos)
            *pos = found;
        return REL_OK;
    }
    if (ks->n == ks->cap && grow(ks) != REL_OK)
        return REL_NOMEM;
    if (v.kind == REL_V_TEXT || v.kind == REL_V_BLOB) {
        char *copy = rel_arena_alloc(ks->arena, v.len + 1);
        if (!copy)
            return REL_NOMEM;
        if (v.len)
            memcpy(copy, v.s, v.len);
        copy[v.len] = '\0';
        v.s = copy;
    }
    size_t mask = ks->nslot - 1;
    size_t s = (size_t)value_hash(v) & mask;
    while (ks->slot[s])
        s = (s + 1) & mask;
    ks->v[ks->n] = v;
    ks->slot[s] = ++ks->n;
    if (pos)
        *pos = ks->n - 1;
    return REL_OK;
}

/* ---------------------------------------------------------------- values */

void rel_assoc_key_text(char *out, size_t cap, const rel_model *m, const rel_attr_def *attr,
                        rel_value v)
{
    switch (v.kind) {
    case REL_V_INT:
        snprintf(out, cap, "%s with %s %" PRId64, m->name, attr->a.name, v.i);
        break;
    case REL_V_DOUBLE:
        snprintf(out, cap, "%s with %s %g", m->name, attr->a.name, v.d);
        break;
    case REL_V_TEXT:
        snprintf(out, cap, "%s with %s '%.200s'", m->name, attr->a.name, v.s);
        break;
    default:
        snprintf(out, cap, "%s with that %s", m->name, attr->a.name);
        break;
    }
}

rel_status rel_assoc_source_value(const rel_assoc_call *c, const char *attr, rel_value *out)
{
    const rel_record *src = c->src;
    int i = rel_model_attr_index(rel_rec_model(src), attr);
    if (i < 0)
        return rel_err(c->err, REL_INVALID, "%s has no attribute '%s'", rel_rec_model(src)->name,
                       attr);
    if (!rel_record_has(src, i) || rel_record_at(src, i).kind == REL_V_NULL)
        return rel_err(c->err, REL_INVALID,
                       "%s.%s is not set: save the %s (or load it with '%s') before using "
                       "its association '%s'",
                       rel_rec_model(src)->name, attr, rel_rec_model(src)->name, attr, c->a->name);
    *out = rel_record_at(src, i);
    return REL_OK;
}

/* The key value of one row: its prefer_attr, else its primary key. */
static bool row_has(const rel_record *r, int i)
{
    return i >= 0 && rel_record_has(r, i) && rel_record_at(r, i).kind != REL_V_NULL;
}

static rel_status ids_of_rows(const rel_assoc_call *c, const rel_assoc_given *g,
                              int prefer_attr, rel_assoc_ids *out)
{
    const rel_model *t = c->a->target;
    bool all_prefer = prefer_attr >= 0, all_pk = t->pk >= 0;
    for (size_t j = 0; j < g->n; j++) {
        all_prefer = all_prefer && row_has(g->rows[j], prefer_attr);
        all_pk = all_pk && row_has(g->rows[j], t->pk);
    }
    if (!all_prefer && !all_pk) {
        const char *need = prefer_attr >= 0 ? t->attrs[prefer_attr].a.name
                                            : t->pk >= 0 ? t->attrs[t->pk].a.name : "key";
        return rel_err(c->err, REL_INVALID,
                       "%s: a given %s row has no '%s': save it (or load it with that "
                       "attribute) first",
                       c->a->name, t->name, need);
    }
    out->attr = all_prefer ? prefer_attr : t->pk;
    for (size_t j = 0; j < g->n; j++)
        if (rel_keyset_add(&out->ids, rel_record_at(g->rows[j], out->attr), NULL) != REL_OK)
            return rel_err_nomem(c->err);
    return REL_OK;
}

static rel_status ids_of_keys(const rel_assoc_call *c, const rel_assoc_given *g, int key_attr,
                              rel_assoc_ids *out)
{
    const rel_model *t = c->a->target;
    if (key_attr < 0)
        return rel_err(c->err, REL_INVALID,
                       "%s has no single primary key: give %s rows, not key values", t->name,
                       t->name);
    const rel_attr_def *attr = &t->attrs[key_attr];
    rel_buf scratch;
    rel_buf_init(&scratch);
    rel_status st = REL_OK;
    out->attr = key_attr;
    for (size_t j = 0; j < g->n && st == REL_OK; j++) {
        if (g->keys[j].kind == REL_V_NULL) {
            st = rel_err(c->err, REL_INVALID, "%s: key value %zu is null; %s.%s is needed",
                         c->a->name, j, t->name, attr->a.name);
            break;
        }
        rel_value v;
        rel_buf_reset(&scratch);
        st = rel_value_coerce(attr, g->keys[j], &v, &scratch, c->err);
        if (st == REL_INVALID)
            rel_error_prefix(c->err, "", t->name);
        if (st == REL_OK && rel_keyset_add(&out->ids, v, NULL) != REL_OK)
            st = rel_err_nomem(c->err);
    }
    rel_buf_free(&scratch);
    return st;
}

rel_status rel_assoc_ids_of(const rel_assoc_call *c, rel_arena *arena, const rel_assoc_given *g,
                            int key_attr, int prefer_attr, rel_assoc_ids *out)
{
    rel_keyset_init(&out->ids, arena);
    out->attr = g->rows ? prefer_attr : key_attr;
    if (g->n == 0)
        return REL_OK;
    return g->rows ? ids_of_rows(c, g, prefer_attr, out) : ids_of_keys(c, g, key_attr, out);
}

void rel_assoc_sql_in(rel_sql *q, const rel_attr_def *attr, const rel_keyset *ks)
{
    rel_sql_in_values(q, attr->a.type, ks->v, ks->n);
}
