/* The four association calls record what was asked (copied into the
 * schema's arena); rel_schema_freeze resolves them. Also the accessors. */
#include "schema/freeze.h"

static void copy_key(rel_schema *s, rel_key_opts *k, bool *ok)
{
    k->name = rel_schema_copy_opt(s, k->name, ok);
    k->field = rel_schema_copy_opt(s, k->field, ok);
}

static rel_assoc *record(rel_assoc_kind kind, rel_model *source, rel_model *target,
                         const rel_assoc_opts *opts)
{
    bool ok = true;
    rel_assoc **all, **own;
    if (!source)
        return NULL;
    rel_schema *s = source->schema;
    if (s->frozen)
        return NULL;
    rel_assoc *a = rel_arena_calloc(s->arena, 1, sizeof *a);
    if (!a)
        goto oom;
    a->kind = kind;
    a->source = source;
    a->target = target;
    a->seq = s->next_seq++;
    if (opts) {
        a->opts = *opts;
        a->opts.as = rel_schema_copy_opt(s, opts->as, &ok);
        a->opts.as_singular = rel_schema_copy_opt(s, opts->as_singular, &ok);
        copy_key(s, &a->opts.foreign_key, &ok);
        copy_key(s, &a->opts.other_key, &ok);
        a->opts.source_key = rel_schema_copy_opt(s, opts->source_key, &ok);
        a->opts.target_key = rel_schema_copy_opt(s, opts->target_key, &ok);
        a->opts.through = rel_schema_copy_opt(s, opts->through, &ok);
        a->opts.on_delete = rel_schema_copy_opt(s, opts->on_delete, &ok);
        a->opts.on_update = rel_schema_copy_opt(s, opts->on_update, &ok);
    }
    if (!ok)
        goto oom;

    all = rel_schema_grow(s, s->assocs, s->nassocs, &s->cap_assocs, sizeof *all);
    if (!all)
        goto oom;
    s->assocs = all;
    own = rel_schema_grow(s, source->assocs, source->nassocs, &source->cap_assocs,
                                      sizeof *own);
    if (!own)
        goto oom;
    source->assocs = own;
    a->index = s->nassocs;
    s->assocs[s->nassocs++] = a;
    source->assocs[source->nassocs++] = a;
    return a;
oom:
    s->oom = true;
    return NULL;
}

rel_assoc *rel_has_one(rel_model *source, rel_model *target, const rel_assoc_opts *opts)
{
    return record(REL_HAS_ONE, source, target, opts);
}

rel_assoc *rel_belongs_to(rel_model *source, rel_model *target, const rel_assoc_opts *opts)
{
    return record(REL_BELONGS_TO, source, target, opts);
}

rel_assoc *rel_has_many(rel_model *source, rel_model *target, const rel_assoc_opts *opts)
{
    return record(REL_HAS_MANY, source, target, opts);
}

rel_assoc *rel_belongs_to_many(rel_model *source, rel_model *target, const rel_assoc_opts *opts)
{
    return record(REL_BELONGS_TO_MANY, source, target, opts);
}

void rel_assoc_set_origin(rel_assoc *a, const char *file, int line, int col)
{
    if (!a || a->source->schema->frozen)
        return;
    rel_schema *s = a->source->schema;
    a->origin.file = file ? rel_arena_strdup(s->arena, file) : NULL;
    if (file && !a->origin.file)
        s->oom = true;
    a->origin.line = line;
    a->origin.col = col;
}

/* ---------------------------------------------------------------- accessors */

rel_assoc_kind rel_assoc_kind_of(const rel_assoc *a)
{
    return a ? a->kind : (rel_assoc_kind)0;
}

const char *rel_assoc_name(const rel_assoc *a)
{
    return a ? a->name : NULL;
}

rel_model *rel_assoc_source(const rel_assoc *a)
{
    return a ? a->source : NULL;
}

rel_model *rel_assoc_target(const rel_assoc *a)
{
    return a ? a->target : NULL;
}

rel_model *rel_assoc_through(const rel_assoc *a)
{
    return a ? a->through : NULL;
}

const char *rel_assoc_foreign_key(const rel_assoc *a)
{
    return a ? a->foreign_key : NULL;
}

const char *rel_assoc_other_key(const rel_assoc *a)
{
    return a ? a->other_key : NULL;
}

const char *rel_assoc_source_key(const rel_assoc *a)
{
    return a ? a->source_key : NULL;
}

const char *rel_assoc_target_key(const rel_assoc *a)
{
    return a ? a->target_key : NULL;
}

const char *rel_assoc_on_delete(const rel_assoc *a)
{
    return a ? a->on_delete : NULL;
}

const char *rel_assoc_on_update(const rel_assoc *a)
{
    return a ? a->on_update : NULL;
}
