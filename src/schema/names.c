/* Association names and default foreign-key names, each kind by its own
 * rule in Sequelize 6 (associations/{has-one,belongs-to,has-many,
 * belongs-to-many}.js). */
#include "schema/freeze.h"
#include "schema/inflect.h"

#include <stdlib.h>

bool rel_assoc_names(rel_assoc *a)
{
    rel_schema *s = a->source->schema;
    bool many = a->kind == REL_HAS_MANY || a->kind == REL_BELONGS_TO_MANY;
    const char *as = a->opts.as;
    if (!as) {
        a->singular = a->target->singular;
        a->plural = a->target->plural;
        a->name = many ? a->plural : a->singular;
        return true;
    }
    a->name = as;
    if (many) {
        /* A string `as` on a to-many association is the plural. */
        a->plural = as;
        a->singular = a->opts.as_singular ? a->opts.as_singular
                                          : rel_schema_take(s, rel_singularize(as));
        return a->singular != NULL;
    }
    a->singular = as;
    a->plural = rel_schema_take(s, rel_pluralize(as));
    return a->plural != NULL;
}

/* Utils.camelize([prefix, key].join('_')) into the arena. */
static const char *join(rel_schema *s, const char *prefix, const char *key)
{
    if (!prefix || !key)
        return NULL;
    return rel_schema_take(s, rel_key_join(prefix, key));
}

const char *rel_default_fk(rel_assoc *a, const char *source_key)
{
    rel_schema *s = a->source->schema;
    const char *as = a->opts.as;
    switch (a->kind) {
    case REL_BELONGS_TO:
        /* (as, else target singular) + the target's primary key. */
        return join(s, as ? as : a->target->singular, rel_model_pk_name(a->target));
    case REL_HAS_ONE: {
        /* singular of (as, else the source's name) + the source's primary key. */
        const char *pk = rel_model_pk_name(a->source);
        if (!pk)
            return NULL;
        char *single = rel_singularize(as ? as : a->source->name);
        if (!single) {
            s->oom = true;
            return NULL;
        }
        const char *fk = join(s, single, pk);
        free(single);
        return fk;
    }
    case REL_HAS_MANY:
        /* The source's singular + its primary key; `as` plays no part. */
        return join(s, a->source->singular, rel_model_pk_name(a->source));
    case REL_BELONGS_TO_MANY:
        return join(s, a->source->singular, source_key);
    }
    return NULL;
}

const char *rel_default_other_key(rel_assoc *a, const char *target_key)
{
    rel_schema *s = a->source->schema;
    if (a->source == a->target && a->opts.as) {
        /* Self-association: the singular of `as` names the other side. */
        char *single = rel_singularize(a->opts.as);
        if (!single) {
            s->oom = true;
            return NULL;
        }
        const char *ok = join(s, single, target_key);
        free(single);
        return ok;
    }
    return join(s, a->target->singular, target_key);
}
