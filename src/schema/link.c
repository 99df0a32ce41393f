/* hasOne, hasMany and belongsTo: one foreign key on one model pointing at a
 * key of the other. An inverse pair (pairing.c) resolves both halves at the
 * first one: the explicit option of either side wins, contradicting ones
 * are reported, and with nothing explicit the belongsTo's default name and
 * the first-declared half's default rules apply. */
#include "schema/freeze.h"

static const char *pick_rule(rel_assoc *h, rel_assoc *b, bool on_delete)
{
    const char *x = h ? (on_delete ? h->opts.on_delete : h->opts.on_update) : NULL;
    const char *y = b ? (on_delete ? b->opts.on_delete : b->opts.on_update) : NULL;
    bool bad = false;
    const char *r = rel_pick_str(x, y, &bad);
    if (bad)
        rel_pair_conflict(h, b, on_delete ? "onDelete" : "onUpdate", x, y);
    return r;
}

static void set_result(rel_assoc *x, const char *fk, const char *key, const rel_fk_spec *spec,
                       const char *od, const char *ou)
{
    x->foreign_key = fk;
    x->on_delete = od;
    x->on_update = ou;
    x->constraints = spec->constraints;
    if (x->kind == REL_BELONGS_TO)
        x->target_key = key;
    else
        x->source_key = key;
}

bool rel_link_resolve(rel_assoc *a)
{
    if (a->resolved || a->invalid)
        return true;
    rel_assoc *second = a->pair;
    /* h: the hasOne/hasMany half, b: the belongsTo half (either may be NULL). */
    rel_assoc *h = a->kind == REL_BELONGS_TO ? second : a;
    rel_assoc *b = a->kind == REL_BELONGS_TO ? a : second;
    rel_model *one = h ? h->source : b->target; /* owns the referenced key */
    rel_model *holder = h ? h->target : b->source;
    bool bad = false;

    const char *hk = h ? h->opts.source_key : NULL, *bk = b ? b->opts.target_key : NULL;
    const char *key = rel_pick_str(hk, bk, &bad);
    if (bad)
        rel_pair_conflict(h, b, "the key (sourceKey / targetKey)", hk, bk);
    if (!key)
        key = rel_model_pk_name(one);

    rel_key_opts fk = a->opts.foreign_key;
    if (second)
        rel_pick_key_opts(a, second, "foreignKey", &a->opts.foreign_key,
                          &second->opts.foreign_key, &fk);
    const char *name = fk.name;
    if (!name)
        name = rel_default_fk(b ? b : h, NULL);

    bad = false;
    rel_flag cons = rel_pick_flag(h ? h->opts.constraints : REL_DEFAULT,
                                  b ? b->opts.constraints : REL_DEFAULT, &bad);
    if (bad)
        rel_pair_conflict(h, b, "constraints", "false", "true");

    rel_fk_spec spec = {0};
    spec.name = name;
    spec.opts = fk;
    spec.key_model = one;
    spec.key_attr = key;
    spec.constraints = cons != REL_NO;
    spec.on_delete = pick_rule(h, b, true);
    spec.on_update = pick_rule(h, b, false);
    spec.kind = a->kind; /* the first-declared half's default rules */
    spec.by = a;

    a->resolved = true;
    if (second)
        second->resolved = true;
    if (!key || !name)
        return !one->schema->oom; /* no key: reported with the model */

    const char *od = NULL, *ou = NULL;
    if (!rel_fk_attach(holder, &spec, &od, &ou))
        return false;
    set_result(a, name, key, &spec, od, ou);
    if (second)
        set_result(second, name, key, &spec, od, ou);
    return true;
}
