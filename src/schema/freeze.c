/* rel_schema_freeze: resolves every model and association the way
 * Sequelize 6 does and reports every definition error at once.
 *
 * Passes: (1) models: names, table names, own attributes; (2) each
 * association on its own: target, options, names, explicit keys; (3) pair
 * the halves that are one relation; (4) resolve associations in the order
 * they were declared, so foreign keys are appended in Sequelize's order;
 * (5) checks that need everything: duplicate names, naming collisions. */
#include "schema/freeze.h"

#include <string.h>

static void check_model_names(rel_schema *s)
{
    for (size_t i = 0; i < s->nmodels; i++) {
        rel_model *m = s->models[i];
        if (!*m->name) {
            rel_diag(s, &m->origin, "rel_define() was called without a model name; give "
                     "every model a name");
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->models[j]->name, m->name) == 0) {
                rel_diag(s, &m->origin, "Model '%s' is defined twice; give each model its "
                         "own name", m->name);
                break;
            }
    }
}

/* Replaces an explicit rule with its canonical spelling; reports unknown ones. */
static void check_rule(rel_assoc *a, const char **rule, const char *option)
{
    if (!*rule)
        return;
    const char *c = rel_rule_canonical(*rule);
    if (!c) {
        char d[512];
        rel_diag(a->source->schema, &a->origin,
                 "%s: unknown %s value '%s'; use CASCADE, SET NULL, RESTRICT, NO ACTION or "
                 "SET DEFAULT", rel_assoc_describe(a, d, sizeof d), option, *rule);
    }
    *rule = c;
}

/* What an association is wrong about on its own; false marks it invalid. */
static bool check_kind(rel_assoc *a)
{
    rel_schema *s = a->source->schema;
    char d[512];
    rel_assoc_describe(a, d, sizeof d);
    if (a->kind == REL_HAS_MANY && a->opts.through) {
        rel_diag(s, &a->origin, "%s: N:M associations are not supported with hasMany; use "
                 "belongsToMany with { through: '%s' } instead", d, a->opts.through);
        return false;
    }
    if (a->kind != REL_BELONGS_TO_MANY)
        return true;
    if (!a->opts.through) {
        rel_diag(s, &a->origin, "%s.belongsToMany(%s) needs a 'through' option naming the "
                 "junction model, e.g. { through: '%s%s' }", a->source->name, a->target->name,
                 a->source->name, a->target->plural);
        return false;
    }
    if (a->source == a->target && !a->opts.as) {
        rel_diag(s, &a->origin, "%s: 'as' must be defined for many-to-many "
                 "self-associations, e.g. { as: 'friends', through: '%s' }", d,
                 a->opts.through);
        return false;
    }
    return true;
}

/* Explicit sourceKey / targetKey must name a unique attribute. */
static bool check_keys(rel_assoc *a)
{
    bool ok = true;
    if (a->opts.source_key && a->kind != REL_BELONGS_TO)
        ok = rel_key_check(a, a->source, a->opts.source_key, "sourceKey");
    if (a->opts.target_key && (a->kind == REL_BELONGS_TO || a->kind == REL_BELONGS_TO_MANY))
        ok = rel_key_check(a, a->target, a->opts.target_key, "targetKey") && ok;
    return ok;
}

static bool check_assoc(rel_assoc *a)
{
    rel_schema *s = a->source->schema;
    if (!a->target || a->target->schema != s) {
        rel_diag(s, &a->origin, "%s.%s was called with something that is not a model of this "
                 "schema (%s); pass a model made by rel_define on the same schema",
                 a->source->name, rel_assoc_method(a->kind),
                 a->target ? "a model of another schema" : "the target is NULL");
        a->invalid = true;
        return true;
    }
    check_rule(a, &a->opts.on_delete, "onDelete");
    check_rule(a, &a->opts.on_update, "onUpdate");
    if (!rel_assoc_names(a))
        return false;
    if (!check_kind(a) || !check_keys(a))
        a->invalid = true;
    return !s->oom;
}

/* Two associations of one model with one name would be one accessor. */
static void check_duplicate_names(rel_model *m)
{
    char d1[512], d2[512];
    for (size_t i = 0; i < m->nassocs; i++) {
        rel_assoc *b = m->assocs[i];
        for (size_t j = 0; b->name && j < i; j++) {
            rel_assoc *a = m->assocs[j];
            if (a->name && strcmp(a->name, b->name) == 0) {
                rel_diag(m->schema, &b->origin,
                         "%s and %s are both named '%s' on model %s; give one of them a "
                         "different 'as'", rel_assoc_describe(a, d1, sizeof d1),
                         rel_assoc_describe(b, d2, sizeof d2), b->name, m->name);
                break;
            }
        }
    }
}

static void check_collision(rel_assoc *a)
{
    char d[512];
    if (a->name && rel_model_attr_index(a->source, a->name) >= 0)
        rel_diag(a->source->schema, &a->origin,
                 "%s: naming collision between attribute '%s' and association '%s' on model "
                 "%s; to remedy this, change either foreignKey or as in the association "
                 "definition", rel_assoc_describe(a, d, sizeof d), a->name, a->name,
                 a->source->name);
}

/* What rows and lookups of m use once it is frozen: whether rows start with
   default values (most models have none, and rel_new then has nothing to
   look at), and the attributes chained by their name's first byte. */
static void index_attrs(rel_model *m)
{
    m->attr_next = rel_arena_alloc(m->schema->arena, (m->nattrs + 1) * sizeof *m->attr_next);
    if (!m->attr_next) {
        m->schema->oom = true;
        return;
    }
    for (size_t h = 0; h < REL_ATTR_BUCKETS; h++)
        m->attr_head[h] = -1;
    for (size_t i = m->nattrs; i-- > 0;) {
        size_t h = rel_attr_bucket(m->attrs[i].a.name);
        m->attr_next[i] = m->attr_head[h];
        m->attr_head[h] = (int32_t)i;
        if (m->attrs[i].a.default_value)
            m->has_defaults = true;
    }
}

static void run(rel_schema *s)
{
    check_model_names(s);
    for (size_t i = 0; i < s->nmodels; i++)
        if (!rel_model_build(s->models[i]))
            return;
    for (size_t i = 0; i < s->nassocs; i++)
        if (!check_assoc(s->assocs[i]))
            return;
    rel_pair_all(s);
    for (size_t i = 0; i < s->nassocs; i++) {
        rel_assoc *a = s->assocs[i];
        bool ok = a->kind == REL_BELONGS_TO_MANY ? rel_junction_resolve(a) : rel_link_resolve(a);
        if (!ok || s->oom)
            return;
    }
    for (size_t i = 0; i < s->nmodels; i++)
        check_duplicate_names(s->models[i]);
    for (size_t i = 0; i < s->nassocs; i++)
        check_collision(s->assocs[i]);
    for (size_t i = 0; i < s->nmodels; i++)
        index_attrs(s->models[i]);
}

rel_status rel_schema_freeze(rel_schema *s, rel_error *err)
{
    if (!s)
        return rel_err(err, REL_MISUSE, "rel_schema_freeze: the schema is NULL");
    /* Freezing twice reports the first outcome again. */
    if (!s->frozen) {
        s->frozen = true;
        if (!s->oom)
            run(s);
    }
    if (s->oom) {
        s->failed = true;
        return rel_err_nomem(err);
    }
    if (s->nerrors) {
        s->failed = true;
        if (err)
            *err = s->errors[0];
        return REL_DEFINITION;
    }
    return REL_OK;
}
