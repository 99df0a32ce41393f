/* Definition errors: freeze collects every one instead of stopping at the
 * first, so a user fixes a schema in one go. */
#include "schema/freeze.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rel_diag(rel_schema *s, const rel_origin *o, const char *fmt, ...)
{
    if (s->nerrors == s->cap_errors) {
        size_t cap = s->cap_errors ? s->cap_errors * 2 : 8;
        rel_error *grown = realloc(s->errors, cap * sizeof *grown);
        if (!grown) {
            s->oom = true;
            return;
        }
        s->errors = grown;
        s->cap_errors = cap;
    }
    rel_error *e = &s->errors[s->nerrors++];
    memset(e, 0, sizeof *e);
    e->code = REL_DEFINITION;

    size_t off = 0;
    if (o && o->file) {
        snprintf(e->file, sizeof e->file, "%s", o->file);
        e->line = o->line;
        e->column = o->col;
        int n = snprintf(e->message, sizeof e->message, "%s:%d:%d: ", o->file, o->line, o->col);
        off = n > 0 && (size_t)n < sizeof e->message ? (size_t)n : 0;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message + off, sizeof e->message - off, fmt, ap);
    va_end(ap);
}

const char *rel_assoc_method(rel_assoc_kind kind)
{
    switch (kind) {
    case REL_HAS_ONE: return "hasOne";
    case REL_BELONGS_TO: return "belongsTo";
    case REL_HAS_MANY: return "hasMany";
    case REL_BELONGS_TO_MANY: return "belongsToMany";
    }
    return "association";
}

/* Appends to buf at *off, never past n. */
static void put(char *buf, size_t n, size_t *off, const char *fmt, const char *arg)
{
    if (*off >= n)
        return;
    int w = snprintf(buf + *off, n - *off, fmt, arg);
    if (w > 0)
        *off += (size_t)w;
}

/* Appends ", { " before the first option shown and ", " before the others. */
static void put_opt(char *buf, size_t n, size_t *off, bool *opened, const char *fmt,
                    const char *value)
{
    put(buf, n, off, "%s", *opened ? ", " : ", { ");
    put(buf, n, off, fmt, value);
    *opened = true;
}

const char *rel_assoc_describe(const rel_assoc *a, char *buf, size_t n)
{
    size_t off = 0;
    bool opened = false;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    put(buf, n, &off, "%s", a->source->name);
    put(buf, n, &off, ".%s(", rel_assoc_method(a->kind));
    put(buf, n, &off, "%s", a->target ? a->target->name : "NULL");
    /* The options that tell two associations between the same models apart. */
    if (a->opts.as)
        put_opt(buf, n, &off, &opened, "as: '%s'", a->opts.as);
    if (a->opts.foreign_key.name)
        put_opt(buf, n, &off, &opened, "foreignKey: '%s'", a->opts.foreign_key.name);
    if (a->opts.through)
        put_opt(buf, n, &off, &opened, "through: '%s'", a->opts.through);
    put(buf, n, &off, "%s", opened ? " })" : ")");
    return buf;
}

const char *rel_schema_take(rel_schema *s, char *malloced)
{
    if (!malloced) {
        s->oom = true;
        return NULL;
    }
    char *copy = rel_arena_strdup(s->arena, malloced);
    free(malloced);
    if (!copy)
        s->oom = true;
    return copy;
}
