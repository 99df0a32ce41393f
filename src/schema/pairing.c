/* Halves that are one relation.
 *
 * X.hasOne|hasMany(Y) with Y.belongsTo(X), when they are the only such pair
 * between X and Y, share one foreign key, key and rules (SEMANTICS, "Where
 * relate differs", rule 1: Sequelize would silently make two columns).
 * Two belongsToMany calls in opposite directions through the same model
 * share the junction and its two columns, as in Sequelize. */
#include "schema/freeze.h"

#include <stdio.h>
#include <string.h>

static bool is_has(const rel_assoc *a)
{
    return a->kind == REL_HAS_ONE || a->kind == REL_HAS_MANY;
}

static bool usable(const rel_assoc *a)
{
    return a->target && !a->invalid && !a->pair;
}

/* X.hasOne|hasMany(Y) with the only Y.belongsTo(X), when h is X's only
 * hasOne/hasMany of Y. */
static void pair_inverse(rel_schema *s, rel_assoc *h)
{
    size_t nhas = 0, nbelongs = 0;
    rel_assoc *b = NULL;
    for (size_t i = 0; i < s->nassocs; i++) {
        rel_assoc *x = s->assocs[i];
        if (is_has(x) && x->source == h->source && x->target == h->target)
            nhas++;
        if (x->kind == REL_BELONGS_TO && x->source == h->target && x->target == h->source) {
            nbelongs++;
            b = x;
        }
    }
    if (nhas == 1 && nbelongs == 1 && usable(b)) {
        h->pair = b;
        b->pair = h;
    }
}

/* The first later belongsToMany going the other way through the same model. */
static void pair_junction(rel_schema *s, rel_assoc *a)
{
    for (size_t i = a->index + 1; i < s->nassocs; i++) {
        rel_assoc *b = s->assocs[i];
        if (b->kind == REL_BELONGS_TO_MANY && usable(b) && b->source == a->target &&
            b->target == a->source && strcmp(b->opts.through, a->opts.through) == 0) {
            a->pair = b;
            b->pair = a;
            return;
        }
    }
}

void rel_pair_all(rel_schema *s)
{
    for (size_t i = 0; i < s->nassocs; i++) {
        rel_assoc *a = s->assocs[i];
        if (!usable(a))
            continue;
        if (is_has(a))
            pair_inverse(s, a);
        else if (a->kind == REL_BELONGS_TO_MANY)
            pair_junction(s, a);
    }
}

const char *rel_pick_str(const char *a, const char *b, bool *conflict)
{
    if (a && b && strcmp(a, b) != 0)
        *conflict = true;
    return a ? a : b;
}

rel_flag rel_pick_flag(rel_flag a, rel_flag b, bool *conflict)
{
    if (a != REL_DEFAULT && b != REL_DEFAULT && a != b)
        *conflict = true;
    return a != REL_DEFAULT ? a : b;
}

void rel_pair_conflict(rel_assoc *first, rel_assoc *second, const char *what,
                       const char *v1, const char *v2)
{
    char d1[512], d2[512];
    if (first->index > second->index) {
        rel_assoc *t = first;
        const char *tv = v1;
        first = second, second = t;
        v1 = v2, v2 = tv;
    }
    rel_diag(first->source->schema, &second->origin,
             "%s and %s are one relation but disagree on %s ('%s' and '%s'); give the same "
             "value on both sides, or on one side only",
             rel_assoc_describe(first, d1, sizeof d1), rel_assoc_describe(second, d2, sizeof d2),
             what, v1, v2);
}

static const char *flag_text(rel_flag f)
{
    return f == REL_NO ? "false" : "true";
}

void rel_pick_key_opts(rel_assoc *first, rel_assoc *second, const char *what,
                       const rel_key_opts *x, const rel_key_opts *y, rel_key_opts *out)
{
    bool bad = false;
    char label[64];
    out->name = rel_pick_str(x->name, y->name, &bad);
    if (bad)
        rel_pair_conflict(first, second, what, x->name, y->name);
    bad = false;
    out->field = rel_pick_str(x->field, y->field, &bad);
    if (bad) {
        snprintf(label, sizeof label, "the %s's field", what);
        rel_pair_conflict(first, second, label, x->field, y->field);
    }
    bad = false;
    out->allow_null = rel_pick_flag(x->allow_null, y->allow_null, &bad);
    if (bad) {
        snprintf(label, sizeof label, "the %s's allowNull", what);
        rel_pair_conflict(first, second, label, flag_text(x->allow_null),
                          flag_text(y->allow_null));
    }
    out->unique = x->unique || y->unique;
}
