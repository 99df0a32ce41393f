/* belongsToMany: the junction model and its two keys.
 *
 * `through` names a model: a defined one is used with its own attributes,
 * otherwise one is made (table = the name verbatim, timestamps on). Without
 * a primary key of its own, the junction's generated id is dropped and the
 * two keys (NOT NULL) form a composite primary key; with one, the keys allow
 * NULL and are UNIQUE together unless `through: { unique: false }`. Keys
 * default to CASCADE on delete and update. A pair of opposite calls shares
 * the junction and its two columns (names adapt as in Sequelize: a side's
 * explicit name wins over the other side's default); its rules are per key,
 * as Sequelize's two _injectAttributes calls leave them (see plan). */
#include "schema/freeze.h"

#include <string.h>

/* The two halves: p declared first, q (may be NULL) going the other way. */
typedef struct btm_plan {
    rel_assoc *p, *q;
    const char *source_key, *target_key; /* on p->source / p->target */
    const char *key_a, *key_b;           /* junction columns for p->source / p->target */
    rel_key_opts opts_a, opts_b;
    const char *on_delete_a, *on_update_a; /* for key_a (NULL: CASCADE) */
    const char *on_delete_b, *on_update_b; /* for key_b */
    rel_flag constraints, unique;
} btm_plan;

static const char *pick2(btm_plan *pl, const char *x, const char *y, const char *what)
{
    bool bad = false;
    const char *r = rel_pick_str(x, y, &bad);
    if (bad)
        rel_pair_conflict(pl->p, pl->q, what, x, y);
    return r;
}

static rel_flag pick_flag2(btm_plan *pl, rel_flag x, rel_flag y, const char *what)
{
    bool bad = false;
    rel_flag r = rel_pick_flag(x, y, &bad);
    if (bad)
        rel_pair_conflict(pl->p, pl->q, what, x == REL_NO ? "false" : "true",
                          y == REL_NO ? "false" : "true");
    return r;
}

/* Names, keys and rules from both halves; false when they cannot be had. */
static bool plan(btm_plan *pl)
{
    rel_assoc *p = pl->p, *q = pl->q;
    static const rel_key_opts none = {0};
    const rel_assoc_opts *qo = q ? &q->opts : NULL;

    pl->source_key = pick2(pl, p->opts.source_key, qo ? qo->target_key : NULL,
                           "the key of the first model (sourceKey / targetKey)");
    pl->target_key = pick2(pl, p->opts.target_key, qo ? qo->source_key : NULL,
                           "the key of the second model (targetKey / sourceKey)");
    if (!pl->source_key)
        pl->source_key = rel_model_pk_name(p->source);
    if (!pl->target_key)
        pl->target_key = rel_model_pk_name(p->target);
    if (!pl->source_key || !pl->target_key)
        return false; /* no primary key: reported with the model */

    rel_pick_key_opts(p, q ? q : p, "foreignKey / otherKey", &p->opts.foreign_key,
                      qo ? &qo->other_key : &none, &pl->opts_a);
    rel_pick_key_opts(p, q ? q : p, "otherKey / foreignKey", &p->opts.other_key,
                      qo ? &qo->foreign_key : &none, &pl->opts_b);
    pl->key_a = pl->opts_a.name ? pl->opts_a.name : rel_default_fk(p, pl->source_key);
    pl->key_b = pl->opts_b.name ? pl->opts_b.name
                : q         ? rel_default_fk(q, pl->target_key)
                            : rel_default_other_key(p, pl->target_key);

    /* Sequelize: the first half (when it constrains) sets both keys' rules
     * to its own; the second (when it constrains) then sets its foreign key
     * (key_b) to its own rule if it gives one, and the other key only if the
     * first left it unset. So there is a constraint unless both halves say
     * constraints: false, and no two rules can contradict. */
    bool pc = p->opts.constraints != REL_NO, qc = q && qo->constraints != REL_NO;
    const char *pd = pc ? p->opts.on_delete : NULL, *pu = pc ? p->opts.on_update : NULL;
    const char *qd = qc ? qo->on_delete : NULL, *qu = qc ? qo->on_update : NULL;
    pl->on_delete_a = pc ? pd : qd;
    pl->on_update_a = pc ? pu : qu;
    pl->on_delete_b = qd ? qd : pd;
    pl->on_update_b = qu ? qu : pu;
    pl->constraints = pc || qc ? REL_YES : REL_NO;
    pl->unique = pick_flag2(pl, p->opts.through_unique,
                            qo ? qo->through_unique : REL_DEFAULT, "through unique");
    if (!pl->key_a || !pl->key_b)
        return false;
    if (strcmp(pl->key_a, pl->key_b) == 0) {
        char d[512];
        rel_diag(p->source->schema, q ? &q->origin : &p->origin,
                 "%s: foreignKey and otherKey are both '%s' on the junction '%s'; give them "
                 "different names with the foreignKey and otherKey options",
                 rel_assoc_describe(q ? q : p, d, sizeof d), pl->key_a, p->opts.through);
        return false;
    }
    return true;
}

static bool same_keys(const rel_assoc *j, const btm_plan *pl)
{
    return (strcmp(j->foreign_key, pl->key_a) == 0 && strcmp(j->other_key, pl->key_b) == 0) ||
           (strcmp(j->foreign_key, pl->key_b) == 0 && strcmp(j->other_key, pl->key_a) == 0);
}

/* The junction model for pl, made if needed; NULL when it cannot be used. */
static rel_model *junction_model(btm_plan *pl)
{
    rel_assoc *p = pl->p;
    rel_schema *s = p->source->schema;
    rel_model *j = rel_schema_find_model(s, p->opts.through);
    if (!j)
        return rel_model_new_junction(s, p->opts.through, p);
    if (j == p->source || j == p->target) {
        char d[512];
        rel_diag(s, &p->origin, "%s: through names '%s', one of the two models it joins; "
                 "name a junction model of its own, e.g. { through: '%s%s' }",
                 rel_assoc_describe(p, d, sizeof d), j->name, p->source->name,
                 p->target->plural);
        return NULL;
    }
    /* A junction whose keys are its primary key cannot take two more. */
    const rel_assoc *other = j->junction_of;
    if (other && !rel_model_has_own_pk(j) && other->foreign_key && !same_keys(other, pl)) {
        char d1[512], d2[512];
        rel_diag(s, &p->origin,
                 "%s cannot use '%s' as its junction: it already joins %s by its keys; give "
                 "it another through, or give '%s' a primary key of its own",
                 rel_assoc_describe(p, d1, sizeof d1), j->name,
                 rel_assoc_describe(other, d2, sizeof d2), j->name);
        return NULL;
    }
    return j;
}

static void set_result(rel_assoc *x, rel_model *j, const char *fk, const char *ok,
                       const char *sk, const char *tk, const btm_plan *pl, const char *od,
                       const char *ou)
{
    x->through = j;
    x->foreign_key = fk;
    x->other_key = ok;
    x->source_key = sk;
    x->target_key = tk;
    x->on_delete = od;
    x->on_update = ou;
    x->constraints = pl->constraints != REL_NO;
}

bool rel_junction_resolve(rel_assoc *a)
{
    if (a->resolved || a->invalid)
        return true;
    rel_schema *s = a->source->schema;
    btm_plan pl = {.p = a, .q = a->pair};
    a->resolved = true;
    if (pl.q)
        pl.q->resolved = true;
    if (!plan(&pl))
        return !s->oom;
    rel_model *j = junction_model(&pl);
    if (!j)
        return !s->oom;

    bool own_pk = rel_model_has_own_pk(j);
    if (!own_pk)
        for (size_t i = 0; i < j->nattrs; i++)
            if (j->attrs[i].role == REL_ROLE_GENERATED_ID) {
                rel_model_drop_attr(j, i);
                break;
            }

    rel_fk_spec sa = {0};
    sa.name = pl.key_a;
    sa.opts = pl.opts_a;
    sa.key_model = a->source;
    sa.key_attr = pl.source_key;
    sa.constraints = pl.constraints != REL_NO;
    sa.on_delete = pl.on_delete_a;
    sa.on_update = pl.on_update_a;
    sa.kind = REL_BELONGS_TO_MANY;
    sa.junction = true;
    sa.primary_key = !own_pk;
    sa.by = a;
    rel_fk_spec sb = sa;
    sb.name = pl.key_b;
    sb.opts = pl.opts_b;
    sb.key_model = a->target;
    sb.key_attr = pl.target_key;
    sb.on_delete = pl.on_delete_b;
    sb.on_update = pl.on_update_b;

    const char *od = NULL, *ou = NULL, *od_b = NULL, *ou_b = NULL;
    if (!rel_fk_attach(j, &sa, &od, &ou) || !rel_fk_attach(j, &sb, &od_b, &ou_b))
        return false;
    if (own_pk && pl.unique != REL_NO) {
        j->unique_pair[0] = pl.key_a;
        j->unique_pair[1] = pl.key_b;
    }
    if (!j->junction_of)
        j->junction_of = a;

    set_result(a, j, pl.key_a, pl.key_b, pl.source_key, pl.target_key, &pl, od, ou);
    if (pl.q)
        set_result(pl.q, j, pl.key_b, pl.key_a, pl.target_key, pl.source_key, &pl, od_b, ou_b);
    return true;
}
