/* A model's own attributes, as Sequelize's Model.init lays them out: the
 * generated `id` first when no attribute is a primary key, the defined
 * attributes, then createdAt and updatedAt (unless the model defines them).
 * Associations append their foreign keys later (foreign_key.c). */
#include "schema/freeze.h"
#include "schema/inflect.h"

#include <string.h>

static bool valid_type(rel_type t)
{
    return t > REL_TYPE_NONE && t <= REL_JSON;
}

int rel_model_push_attr(rel_model *m, const rel_attr_def *d)
{
    rel_attr_def *attrs = rel_schema_grow(m->schema, m->attrs, m->nattrs, &m->cap_attrs,
                                          sizeof *attrs);
    if (!attrs)
        return -1;
    m->attrs = attrs;
    m->attrs[m->nattrs] = *d;
    return (int)m->nattrs++;
}

void rel_model_drop_attr(rel_model *m, size_t i)
{
    if (i >= m->nattrs)
        return;
    memmove(&m->attrs[i], &m->attrs[i + 1], (m->nattrs - i - 1) * sizeof *m->attrs);
    m->nattrs--;
    rel_model_reindex(m);
}

void rel_model_reindex(rel_model *m)
{
    size_t npk = 0;
    m->pk = m->created_at = m->updated_at = -1;
    for (size_t i = 0; i < m->nattrs; i++) {
        const rel_attr_def *d = &m->attrs[i];
        if (d->a.primary_key && npk++ == 0)
            m->pk = (int)i;
        if (d->role == REL_ROLE_CREATED_AT)
            m->created_at = (int)i;
        else if (d->role == REL_ROLE_UPDATED_AT)
            m->updated_at = (int)i;
    }
    m->composite_pk = npk > 1;
    if (m->composite_pk)
        m->pk = -1;
}

const char *rel_model_pk_name(const rel_model *m)
{
    for (size_t i = 0; i < m->nattrs; i++)
        if (m->attrs[i].a.primary_key)
            return m->attrs[i].a.name;
    return NULL;
}

const rel_attr *rel_model_declared(const rel_model *m, const char *name)
{
    for (size_t i = 0; i < m->ndefined; i++)
        if (strcmp(m->defined[i].name, name) == 0)
            return &m->defined[i];
    return NULL;
}

bool rel_model_has_own_pk(const rel_model *m)
{
    for (size_t i = 0; i < m->ndefined; i++)
        if (m->defined[i].primary_key)
            return true;
    return false;
}

const rel_origin *rel_model_attr_origin(const rel_model *m, const char *name)
{
    for (size_t i = 0; name && i < m->ndefined; i++)
        if (strcmp(m->defined[i].name, name) == 0 && m->defined_origin[i].file)
            return &m->defined_origin[i];
    return &m->origin;
}

/* An attribute the model adds itself (id, createdAt, updatedAt). */
static bool push_generated(rel_model *m, const char *name, rel_type type, rel_attr_role role)
{
    rel_attr_def d = {0};
    d.a.name = name;
    d.a.type = type;
    d.a.allow_null = REL_NO;
    d.declared_null = REL_NO;
    d.role = role;
    d.origin = m->origin;
    if (role == REL_ROLE_GENERATED_ID)
        d.a.primary_key = d.a.auto_increment = true;
    d.a.field = rel_schema_take(m->schema, rel_column_name(name, m->opts.underscored));
    return d.a.field && rel_model_push_attr(m, &d) >= 0;
}

static bool push_defined(rel_model *m, size_t i)
{
    rel_attr_def d = {0};
    d.a = m->defined[i];
    d.declared_null = d.a.allow_null;
    d.origin = m->defined_origin[i].file ? m->defined_origin[i] : m->origin;
    d.default_literal = m->defined_literal ? m->defined_literal[i] : REL_LITERAL_AUTO;
    /* Primary keys are NOT NULL; anything else allows NULL unless told. */
    if (d.a.primary_key)
        d.a.allow_null = REL_NO;
    else if (d.a.allow_null != REL_NO)
        d.a.allow_null = REL_YES;
    if (d.a.type == REL_STRING && d.a.length <= 0)
        d.a.length = 255;
    if (!d.a.field)
        d.a.field = rel_schema_take(m->schema, rel_column_name(d.a.name, m->opts.underscored));
    return d.a.field && rel_model_push_attr(m, &d) >= 0;
}

/* Reports bad definitions; true when attribute i is to be kept. */
static bool check_defined(rel_model *m, size_t i, size_t *npk, size_t *nauto, bool *has_id)
{
    rel_schema *s = m->schema;
    const rel_attr *a = &m->defined[i];
    const rel_origin *o = m->defined_origin[i].file ? &m->defined_origin[i] : &m->origin;
    if (!*a->name) {
        rel_diag(s, o, "Model '%s' has an attribute with an empty name; give every "
                 "attribute a name", m->name);
        return false;
    }
    for (size_t j = 0; j < i; j++)
        if (strcmp(m->defined[j].name, a->name) == 0) {
            rel_diag(s, o, "Model '%s' defines attribute '%s' twice; remove or rename one "
                     "of them", m->name, a->name);
            return false;
        }
    if (!valid_type(a->type))
        rel_diag(s, o, "Unrecognized datatype for attribute \"%s.%s\"; give it a type such "
                 "as REL_STRING or REL_INTEGER", m->name, a->name);
    if (a->primary_key)
        (*npk)++;
    if (a->auto_increment)
        (*nauto)++;
    if (strcmp(a->name, "id") == 0)
        *has_id = true;
    return true;
}

static bool add_timestamp(rel_model *m, const char *name, rel_attr_role role)
{
    /* A model that defines the attribute keeps its definition (as Sequelize
     * does); it still acts as the timestamp. */
    for (size_t i = 0; i < m->nattrs; i++)
        if (strcmp(m->attrs[i].a.name, name) == 0) {
            m->attrs[i].role = role;
            return true;
        }
    return push_generated(m, name, REL_DATE, role);
}

static bool build_names(rel_model *m)
{
    rel_schema *s = m->schema;
    m->table = m->opts.table_name
                   ? m->opts.table_name
                   : rel_schema_take(s, rel_default_table_name(m->name, m->opts.underscored,
                                                               m->opts.freeze_table_name));
    m->singular = m->opts.singular ? m->opts.singular
                                   : rel_schema_take(s, rel_singularize(m->name));
    m->plural = m->opts.plural ? m->opts.plural : rel_schema_take(s, rel_pluralize(m->name));
    return m->table && m->singular && m->plural;
}

bool rel_model_build(rel_model *m)
{
    rel_schema *s = m->schema;
    if (!build_names(m))
        return false;

    size_t npk = 0, nauto = 0;
    bool has_id = false;
    bool *keep = rel_arena_calloc(s->arena, m->ndefined ? m->ndefined : 1, sizeof *keep);
    if (!keep) {
        s->oom = true;
        return false;
    }
    for (size_t i = 0; i < m->ndefined; i++)
        keep[i] = check_defined(m, i, &npk, &nauto, &has_id);

    if (npk == 0) {
        if (has_id)
            rel_diag(s, rel_model_attr_origin(m, "id"),
                     "A column called 'id' was added to the attributes of '%s' but not marked "
                     "with 'primaryKey: true'; mark it as the primary key or rename it",
                     m->table);
        else if (!push_generated(m, "id", REL_INTEGER, REL_ROLE_GENERATED_ID))
            return false;
    }
    if (nauto > 1)
        rel_diag(s, &m->origin, "Model '%s' has %zu autoIncrement attributes; only one "
                 "autoincrement field is allowed", m->name, nauto);

    for (size_t i = 0; i < m->ndefined; i++)
        if (keep[i] && !push_defined(m, i))
            return false;

    if (m->opts.timestamps != REL_NO &&
        (!add_timestamp(m, "createdAt", REL_ROLE_CREATED_AT) ||
         !add_timestamp(m, "updatedAt", REL_ROLE_UPDATED_AT)))
        return false;
    rel_model_reindex(m);
    return true;
}

rel_model *rel_model_new_junction(rel_schema *s, const char *name, const rel_assoc *by)
{
    rel_model *j = rel_arena_calloc(s->arena, 1, sizeof *j);
    rel_model **models = rel_schema_grow(s, s->models, s->nmodels, &s->cap_models,
                                         sizeof *models);
    if (!j || !models) {
        s->oom = true;
        return NULL;
    }
    s->models = models;
    j->schema = s;
    j->name = name;
    j->seq = by->seq;
    j->origin = by->origin;
    j->generated_junction = true;
    j->pk = j->created_at = j->updated_at = -1;
    j->opts.table_name = name;
    j->opts.timestamps = REL_YES;
    /* Sequelize defines the junction with the association's options: the
     * source's `underscored`, and the association's name as its name. */
    j->opts.underscored = by->source->opts.underscored;
    j->opts.singular = by->singular;
    j->opts.plural = by->plural;
    j->defined = rel_arena_calloc(s->arena, 1, sizeof *j->defined);
    j->defined_origin = rel_arena_calloc(s->arena, 1, sizeof *j->defined_origin);
    if (!j->defined || !j->defined_origin) {
        s->oom = true;
        return NULL;
    }

    /* Where Sequelize's model manager would have it: after the models that
     * were defined before the association that made it. */
    size_t at = 0;
    while (at < s->nmodels && s->models[at]->seq < by->seq)
        at++;
    memmove(&s->models[at + 1], &s->models[at], (s->nmodels - at) * sizeof *s->models);
    s->models[at] = j;
    s->nmodels++;
    for (size_t i = at; i < s->nmodels; i++)
        s->models[i]->index = i;

    if (!rel_model_build(j))
        return NULL;
    return j;
}
