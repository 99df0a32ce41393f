/* Schemas and models: definition (copied into the schema's arena), lookups
 * and the read-only introspection API. Resolution happens in freeze.c. */
#include "schema/freeze.h"

#include <stdlib.h>
#include <string.h>

rel_schema *rel_schema_new(void)
{
    rel_schema *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->arena = rel_arena_new(16384);
    if (!s->arena) {
        free(s);
        return NULL;
    }
    return s;
}

void rel_schema_free(rel_schema *s)
{
    if (!s)
        return;
    free(s->errors);
    rel_arena_free(s->arena);
    free(s);
}

void *rel_schema_grow(rel_schema *s, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *grown = rel_arena_calloc(s->arena, ncap, elem);
    if (!grown) {
        s->oom = true;
        return NULL;
    }
    if (n)
        memcpy(grown, arr, n * elem);
    *cap = ncap;
    return grown;
}

/* "" means "not given" for every optional name (the seeds pass sourceKey: ''). */
const char *rel_schema_copy_opt(rel_schema *s, const char *str, bool *ok)
{
    if (!str || !*str)
        return NULL;
    const char *c = rel_arena_strdup(s->arena, str);
    if (!c)
        *ok = false;
    return c;
}

static bool copy_attrs(rel_schema *s, rel_model *m, const rel_attr *attrs)
{
    size_t n = 0;
    while (attrs && attrs[n].name)
        n++;
    m->ndefined = n;
    m->defined = rel_arena_calloc(s->arena, n ? n : 1, sizeof *m->defined);
    m->defined_origin = rel_arena_calloc(s->arena, n ? n : 1, sizeof *m->defined_origin);
    m->defined_literal = rel_arena_calloc(s->arena, n ? n : 1, sizeof *m->defined_literal);
    if (!m->defined || !m->defined_origin || !m->defined_literal)
        return false;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        rel_attr *d = &m->defined[i];
        *d = attrs[i];
        d->name = rel_arena_strdup(s->arena, attrs[i].name);
        if (!d->name)
            ok = false;
        d->field = rel_schema_copy_opt(s, attrs[i].field, &ok);
        if (attrs[i].default_value) {
            d->default_value = rel_arena_strdup(s->arena, attrs[i].default_value);
            if (!d->default_value)
                ok = false;
        }
    }
    return ok;
}

rel_model *rel_define(rel_schema *s, const char *name, const rel_attr *attrs,
                      const rel_model_opts *opts)
{
    bool ok = true;
    rel_model **models;
    if (!s || s->frozen)
        return NULL;
    rel_model *m = rel_arena_calloc(s->arena, 1, sizeof *m);
    if (!m)
        goto oom;
    m->schema = s;
    m->name = rel_arena_strdup(s->arena, name ? name : "");
    m->pk = m->created_at = m->updated_at = -1;
    m->seq = s->next_seq++;
    if (!m->name || !copy_attrs(s, m, attrs))
        goto oom;
    if (opts) {
        m->opts = *opts;
        m->opts.table_name = rel_schema_copy_opt(s, opts->table_name, &ok);
        m->opts.singular = rel_schema_copy_opt(s, opts->singular, &ok);
        m->opts.plural = rel_schema_copy_opt(s, opts->plural, &ok);
    }
    if (!ok)
        goto oom;
    models = rel_schema_grow(s, s->models, s->nmodels, &s->cap_models, sizeof *models);
    if (!models)
        goto oom;
    s->models = models;
    m->index = s->nmodels;
    s->models[s->nmodels++] = m;
    return m;
oom:
    s->oom = true;
    return NULL;
}

/* ---------------------------------------------------------------- lookups */

rel_model *rel_schema_find_model(const rel_schema *s, const char *name)
{
    if (!s || !name)
        return NULL;
    for (size_t i = 0; i < s->nmodels; i++)
        if (strcmp(s->models[i]->name, name) == 0)
            return s->models[i];
    return NULL;
}

int rel_model_attr_scan(const rel_model *m, const char *attr)
{
    /* The first byte rules out most names without a call. */
    for (size_t i = 0; i < m->nattrs; i++)
        if (m->attrs[i].a.name[0] == attr[0] && strcmp(m->attrs[i].a.name, attr) == 0)
            return (int)i;
    return -1;
}

const rel_attr_def *rel_model_attr_def(const rel_model *m, const char *attr)
{
    int i = rel_model_attr_index(m, attr);
    return i < 0 ? NULL : &m->attrs[i];
}

rel_assoc *rel_model_find_assoc(const rel_model *m, const char *name)
{
    if (!m || !name)
        return NULL;
    for (size_t i = 0; i < m->nassocs; i++)
        if (m->assocs[i]->name && strcmp(m->assocs[i]->name, name) == 0)
            return m->assocs[i];
    return NULL;
}

static void set_origin(rel_schema *s, rel_origin *o, const char *file, int line, int col)
{
    o->file = file ? rel_arena_strdup(s->arena, file) : NULL;
    if (file && !o->file)
        s->oom = true;
    o->line = line;
    o->col = col;
}

void rel_model_set_origin(rel_model *m, const char *file, int line, int col)
{
    if (m && !m->schema->frozen)
        set_origin(m->schema, &m->origin, file, line, col);
}

void rel_model_set_attr_origin(rel_model *m, const char *attr, const char *file, int line,
                               int col)
{
    if (!m || !attr || m->schema->frozen)
        return;
    for (size_t i = 0; i < m->ndefined; i++)
        if (strcmp(m->defined[i].name, attr) == 0) {
            set_origin(m->schema, &m->defined_origin[i], file, line, col);
            return;
        }
}

void rel_model_set_attr_literal(rel_model *m, const char *attr, rel_literal_kind kind)
{
    if (!m || !attr || m->schema->frozen)
        return;
    for (size_t i = 0; i < m->ndefined; i++)
        if (strcmp(m->defined[i].name, attr) == 0) {
            m->defined_literal[i] = kind;
            return;
        }
}

/* ----------------------------------------------------------- introspection */

size_t rel_schema_error_count(const rel_schema *s)
{
    return s ? s->nerrors : 0;
}

const rel_error *rel_schema_error_at(const rel_schema *s, size_t i)
{
    return s && i < s->nerrors ? &s->errors[i] : NULL;
}

size_t rel_schema_model_count(const rel_schema *s)
{
    return s ? s->nmodels : 0;
}

rel_model *rel_schema_model_at(const rel_schema *s, size_t i)
{
    return s && i < s->nmodels ? s->models[i] : NULL;
}

rel_model *rel_schema_model(const rel_schema *s, const char *name)
{
    return rel_schema_find_model(s, name);
}

const char *rel_model_name(const rel_model *m)
{
    return m ? m->name : NULL;
}

const char *rel_model_table(const rel_model *m)
{
    return m ? m->table : NULL;
}

/* Before freeze the attributes are the defined ones; after, the resolved. */
static bool resolved(const rel_model *m)
{
    return m->schema->frozen && m->attrs;
}

size_t rel_model_attr_count(const rel_model *m)
{
    if (!m)
        return 0;
    return resolved(m) ? m->nattrs : m->ndefined;
}

const rel_attr *rel_model_attr_at(const rel_model *m, size_t i)
{
    if (!m)
        return NULL;
    if (resolved(m))
        return i < m->nattrs ? &m->attrs[i].a : NULL;
    return i < m->ndefined ? &m->defined[i] : NULL;
}

const rel_attr *rel_model_attr(const rel_model *m, const char *name)
{
    if (!m || !name)
        return NULL;
    if (resolved(m)) {
        const rel_attr_def *d = rel_model_attr_def(m, name);
        return d ? &d->a : NULL;
    }
    return rel_model_declared(m, name);
}

const char *rel_model_primary_key(const rel_model *m)
{
    if (!m)
        return NULL;
    if (resolved(m))
        return rel_model_pk_name(m);
    for (size_t i = 0; i < m->ndefined; i++)
        if (m->defined[i].primary_key)
            return m->defined[i].name;
    return "id";
}

size_t rel_model_assoc_count(const rel_model *m)
{
    return m ? m->nassocs : 0;
}

rel_assoc *rel_model_assoc_at(const rel_model *m, size_t i)
{
    return m && i < m->nassocs ? m->assocs[i] : NULL;
}

rel_assoc *rel_model_assoc(const rel_model *m, const char *name)
{
    return rel_model_find_assoc(m, name);
}
