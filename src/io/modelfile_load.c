/* Model files into schemas: rel_schema_load_file / rel_schema_load_text.
 *
 * The parser (modelfile_parse.c) checks syntax; this file gives the statements
 * their meaning: type names, attribute / model / association options, and
 * which variable names a model. Every problem is reported at the token that
 * causes it, and every problem of a file is reported in one go: syntax errors,
 * then what this file finds, then (when the file parsed) the definition errors
 * of rel_schema_freeze, which carry the positions recorded here as origins.
 *
 * Defines are processed before associations so a model may be used above the
 * line that defines it; the definitions keep the file's order (see set_seq). */
#define _POSIX_C_SOURCE 200809L /* strerror_r */

#include "relate.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/modelfile.h"
#include "schema/schema.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_write.h"

/* Model files larger than this are refused before reading them whole. */
#define REL_MF_MAX_FILE (64u * 1024u * 1024u)
/* A JSON default value nested deeper than this is refused (the parser caps
 * nesting too; this keeps the writer's recursion bounded on its own). */
#define REL_MF_MAX_DEFAULT_DEPTH 64

/* One error of the file, ordered by position when reported. */
typedef struct ld_diag {
    int line, col;   /* 0: no position (listed last) */
    size_t seq;      /* report order, to keep sorting stable */
    const char *text;/* the whole line: "file:line:col: message" */
    bool syntax;     /* a parse or load error (REL_PARSE) rather than a definition error */
} ld_diag;

/* A variable bound by a define statement. */
typedef struct ld_var {
    const char *name;
    int line, col;
    rel_model *model;
} ld_var;

typedef struct loader {
    const char *file;       /* for messages; never NULL */
    const char *text;       /* the source, to find segments of dotted names */
    size_t len;
    rel_modelfile *mf;
    rel_schema *s;
    rel_arena *arena;       /* messages and everything made while loading */
    ld_var *vars;
    size_t nvars;
    ld_diag *diags;
    size_t ndiags, cap_diags;
    bool oom;
} loader;

/* ---------------------------------------------------------------- diagnostics */

static void add_diag_text(loader *L, int line, int col, const char *text, bool syntax)
{
    if (L->oom)
        return;
    if (L->ndiags == L->cap_diags) {
        size_t cap = L->cap_diags ? L->cap_diags * 2 : 16;
        ld_diag *grown = realloc(L->diags, cap * sizeof *grown);
        if (!grown) {
            L->oom = true;
            return;
        }
        L->diags = grown;
        L->cap_diags = cap;
    }
    ld_diag *d = &L->diags[L->ndiags];
    d->line = line;
    d->col = col;
    d->seq = L->ndiags;
    d->syntax = syntax;
    d->text = rel_arena_strdup(L->arena, text);
    if (!d->text) {
        L->oom = true;
        return;
    }
    L->ndiags++;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void diag(loader *L, int line, int col, const char *fmt, ...)
{
    char msg[512], full[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "%s:%d:%d: %s", L->file, line, col, msg);
    add_diag_text(L, line, col, full, true);
}

static int diag_cmp(const void *x, const void *y)
{
    const ld_diag *a = x, *b = y;
    /* Errors without a position go last. */
    if ((a->line == 0) != (b->line == 0))
        return a->line == 0 ? 1 : -1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* -------------------------------------------------------------- positions */

/* The byte offset of 1-based line:col in the source, counted as the lexer
 * counts (a BOM skipped; CR, LF and CR LF end a line; a column is a code
 * point), or (size_t)-1 when there is no such place. */
static size_t offset_of(const loader *L, int line, int col)
{
    const unsigned char *s = (const unsigned char *)L->text;
    size_t i = 0, n = L->len;
    int l = 1, c = 1;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < n && (l < line || (l == line && c < col))) {
        if (s[i] == '\r' || s[i] == '\n') {
            if (l == line)
                return (size_t)-1;
            if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
                i++;
            i++;
            l++;
            c = 1;
            continue;
        }
        i++;
        while (i < n && (s[i] & 0xC0) == 0x80)
            i++;
        c++;
    }
    return l == line && c == col ? i : (size_t)-1;
}

/* The column of segment `seg` (0-based) of the dotted name v->str, when the
 * name is written in the source exactly as the parser joined it (no spaces,
 * comments or escapes); else the column of the whole value. Names are ASCII
 * when they match, so bytes and columns agree inside them. */
static int segment_col(const loader *L, const rel_js *v, size_t seg)
{
    const char *path = v->str;
    size_t plen = strlen(path), off = offset_of(L, v->line, v->col);
    if (off == (size_t)-1 || off + plen > L->len || memcmp(L->text + off, path, plen) != 0)
        return v->col;
    size_t at = 0;
    for (size_t k = 0; k < seg; k++) {
        const char *dot = strchr(path + at, '.');
        if (!dot)
            break;
        at = (size_t)(dot - path) + 1;
    }
    return v->col + (int)at;
}

/* ------------------------------------------------------------------- names */

static const ld_var *find_var(const loader *L, const char *name)
{
    for (size_t i = 0; i < L->nvars; i++)
        if (strcmp(L->vars[i].name, name) == 0)
            return &L->vars[i];
    return NULL;
}

static const char *kind_name(rel_js_kind k)
{
    switch (k) {
    case REL_JS_NULL: return "null";
    case REL_JS_BOOL: return "a boolean";
    case REL_JS_NUMBER: return "a number";
    case REL_JS_STRING: return "a string";
    case REL_JS_IDENT: return "a name";
    case REL_JS_CALL: return "a call";
    case REL_JS_OBJECT: return "an object";
    case REL_JS_ARRAY: return "an array";
    }
    return "a value";
}

/* Splits a dotted name into the part a prelude provides (Sequelize.,
 * DataTypes., Sequelize.DataTypes.) and the last segment. Returns the last
 * segment, or NULL when the prefix is not one of those; *nseg receives the
 * number of segments. */
static const char *strip_prefix(const char *path, size_t *nseg)
{
    const char *last = strrchr(path, '.');
    size_t n = 1;
    for (const char *p = path; *p; p++)
        n += *p == '.';
    *nseg = n;
    if (!last)
        return path;
    size_t plen = (size_t)(last - path);
    static const char *const prefixes[] = {"DataTypes", "Sequelize", "Sequelize.DataTypes"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strlen(prefixes[i]) == plen && strncmp(path, prefixes[i], plen) == 0)
            return last + 1;
    return NULL;
}

/* Reports a dotted name whose prefix is not DataTypes / Sequelize. */
static void bad_prefix(loader *L, const rel_js *v, const char *what)
{
    diag(L, v->line, v->col,
         "unknown name '%s': %s are written NAME, DataTypes.NAME or Sequelize.NAME", v->str,
         what);
}

/* ------------------------------------------------------------------- types */

static const struct {
    const char *name;
    rel_type type;
} rel_mf_types[] = {
    {"STRING", REL_STRING},   {"TEXT", REL_TEXT},         {"INTEGER", REL_INTEGER},
    {"BIGINT", REL_BIGINT},   {"FLOAT", REL_FLOAT},       {"DOUBLE", REL_DOUBLE},
    {"DECIMAL", REL_DECIMAL}, {"BOOLEAN", REL_BOOLEAN},   {"DATE", REL_DATE},
    {"DATEONLY", REL_DATEONLY}, {"UUID", REL_UUID},       {"BLOB", REL_BLOB},
    {"JSON", REL_JSON},
};

#define REL_MF_TYPE_LIST \
    "STRING, TEXT, INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, DATEONLY, " \
    "UUID, BLOB, JSON"

static rel_type type_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof rel_mf_types / sizeof *rel_mf_types; i++)
        if (strcmp(rel_mf_types[i].name, name) == 0)
            return rel_mf_types[i].type;
    return REL_TYPE_NONE;
}

/* A whole number in [lo, hi] written as a plain number argument. */
static bool int_arg(loader *L, const rel_js *v, const char *type, const char *what, int lo,
                    int hi, int *out)
{
    if (v->kind != REL_JS_NUMBER || v->num != floor(v->num) || v->num < lo || v->num > hi) {
        diag(L, v->line, v->col, "the %s of %s must be a whole number from %d to %d", what,
             type, lo, hi);
        return false;
    }
    *out = (int)v->num;
    return true;
}

/* The arguments of STRING(n) and DECIMAL(p[, s]); other types take none. */
static bool type_args(loader *L, const rel_js *v, const char *name, rel_attr *a)
{
    if (v->kind != REL_JS_CALL)
        return true;
    if (a->type == REL_STRING) {
        if (v->n != 1) {
            diag(L, v->line, v->col, "STRING takes one argument, the length: STRING(100)");
            return false;
        }
        return int_arg(L, v->items[0], "STRING", "length", 1, 65535, &a->length);
    }
    if (a->type == REL_DECIMAL) {
        if (v->n < 1 || v->n > 2) {
            diag(L, v->line, v->col,
                 "DECIMAL takes the precision and optionally the scale: DECIMAL(10, 2)");
            return false;
        }
        if (!int_arg(L, v->items[0], "DECIMAL", "precision", 1, 1000, &a->length))
            return false;
        if (v->n == 2) {
            if (!int_arg(L, v->items[1], "DECIMAL", "scale", 0, a->length, &a->scale))
                return false;
        }
        return true;
    }
    diag(L, v->line, v->col, "%s takes no arguments: write %s", name, name);
    return false;
}

/* A type value: STRING, DataTypes.STRING, STRING(100), DataTypes.DECIMAL(10, 2).
 * On error a->type is left as it was. */
static bool load_type(loader *L, const rel_js *v, rel_attr *a)
{
    if (v->kind != REL_JS_IDENT && v->kind != REL_JS_CALL) {
        diag(L, v->line, v->col,
             "expected a type such as STRING or DataTypes.INTEGER, found %s", kind_name(v->kind));
        return false;
    }
    size_t nseg;
    const char *name = strip_prefix(v->str, &nseg);
    if (!name) {
        bad_prefix(L, v, "types");
        return false;
    }
    rel_type t = type_by_name(name);
    if (t == REL_TYPE_NONE) {
        diag(L, v->line, segment_col(L, v, nseg - 1), "unknown type '%s' (relate knows "
             REL_MF_TYPE_LIST ")", name);
        return false;
    }
    rel_type old = a->type;
    a->type = t;
    if (!type_args(L, v, name, a)) {
        a->type = old;
        return false;
    }
    return true;
}

/* ---------------------------------------------------------- default values */

static bool write_js_json(loader *L, rel_buf *b, const rel_js *v, int depth);

static bool write_js_members(loader *L, rel_buf *b, const rel_js *v, int depth)
{
    bool obj = v->kind == REL_JS_OBJECT;
    rel_buf_putc(b, obj ? '{' : '[');
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            rel_buf_putc(b, ',');
        if (obj) {
            rel_json_string(b, v->keys[i], strlen(v->keys[i]));
            rel_buf_putc(b, ':');
        }
        if (!write_js_json(L, b, v->items[i], depth + 1))
            return false;
    }
    return rel_buf_putc(b, obj ? '}' : ']');
}

/* v as JSON.stringify would write it; names and calls are not values. */
static bool write_js_json(loader *L, rel_buf *b, const rel_js *v, int depth)
{
    if (depth > REL_MF_MAX_DEFAULT_DEPTH) {
        diag(L, v->line, v->col, "the default value is nested too deeply");
        return false;
    }
    switch (v->kind) {
    case REL_JS_NULL: return rel_buf_puts(b, "null");
    case REL_JS_BOOL: return rel_buf_puts(b, v->b ? "true" : "false");
    case REL_JS_NUMBER: return rel_json_double(b, v->num);
    case REL_JS_STRING: return rel_json_string(b, v->str, strlen(v->str));
    case REL_JS_OBJECT:
    case REL_JS_ARRAY: return write_js_members(L, b, v, depth);
    case REL_JS_IDENT:
    case REL_JS_CALL: break;
    }
    diag(L, v->line, v->col, "'%s' cannot be part of a default value", v->str);
    return false;
}

/* defaultValue: a string, number or boolean as text; DataTypes.NOW, UUIDV1
 * and UUIDV4 by name; an object or array as JSON text (for JSON columns);
 * null means no default. */
static bool load_default(loader *L, const rel_js *v, rel_attr *a, rel_literal_kind *kind)
{
    rel_buf b = {0};
    bool ok = true;
    *kind = REL_LITERAL_AUTO;
    switch (v->kind) {
    case REL_JS_NULL:
        a->default_value = NULL;
        return true;
    case REL_JS_BOOL:
        a->default_value = v->b ? "true" : "false";
        return true;
    case REL_JS_STRING:
        a->default_value = v->str;
        *kind = REL_LITERAL_STRING;
        return true;
    case REL_JS_NUMBER:
        *kind = REL_LITERAL_NUMBER;
        /* As JavaScript's String(n): 1e3 is "1000". */
        rel_json_double(&b, v->num);
        break;
    case REL_JS_OBJECT:
    case REL_JS_ARRAY:
        ok = write_js_json(L, &b, v, 0);
        break;
    case REL_JS_IDENT: {
        size_t nseg;
        const char *name = strip_prefix(v->str, &nseg);
        if (!name) {
            bad_prefix(L, v, "default values");
            return false;
        }
        if (strcmp(name, "NOW") != 0 && strcmp(name, "UUIDV1") != 0 &&
            strcmp(name, "UUIDV4") != 0) {
            diag(L, v->line, segment_col(L, v, nseg - 1),
                 "unknown default value '%s' (use a string, number, boolean, null, "
                 "DataTypes.NOW, DataTypes.UUIDV1 or DataTypes.UUIDV4)", name);
            return false;
        }
        a->default_value = name;
        return true;
    }
    case REL_JS_CALL:
        diag(L, v->line, v->col, "calls such as %s(...) cannot be default values in a model "
             "file: use a string, number, boolean, null or DataTypes.NOW", v->str);
        return false;
    }
    if (ok && b.oom)
        L->oom = true;
    if (ok && !b.oom) {
        a->default_value = rel_arena_strdup(L->arena, rel_buf_cstr(&b));
        if (!a->default_value)
            L->oom = true;
    }
    rel_buf_free(&b);
    return ok;
}

/* --------------------------------------------------------------- attributes */

static bool want_bool(loader *L, const rel_js *v, const char *option, bool *out)
{
    if (v->kind != REL_JS_BOOL) {
        diag(L, v->line, v->col, "%s must be true or false, found %s", option, kind_name(v->kind));
        return false;
    }
    *out = v->b;
    return true;
}

static bool want_string(loader *L, const rel_js *v, const char *option, bool allow_empty,
                        const char **out)
{
    if (v->kind != REL_JS_STRING || (!allow_empty && !*v->str)) {
        diag(L, v->line, v->col, "%s must be a%s string, found %s", option,
             allow_empty ? "" : " non-empty", v->kind == REL_JS_STRING ? "''" : kind_name(v->kind));
        return false;
    }
    *out = v->str;
    return true;
}

static bool want_flag(loader *L, const rel_js *v, const char *option, rel_flag *out)
{
    bool b;
    if (!want_bool(L, v, option, &b))
        return false;
    *out = b ? REL_YES : REL_NO;
    return true;
}

#define REL_MF_ATTR_OPTIONS \
    "type, allowNull, unique, defaultValue, primaryKey, autoIncrement, field"

/* A JSON attribute's default is a JavaScript value: a string is the JSON
 * string (defaultValue: 'x' is "x"), as Sequelize stringifies it. */
static void json_string_default(loader *L, rel_attr *a, rel_literal_kind *kind)
{
    if (a->type != REL_JSON || *kind != REL_LITERAL_STRING || !a->default_value)
        return;
    rel_buf b = {0};
    rel_json_string(&b, a->default_value, strlen(a->default_value));
    a->default_value = b.oom ? NULL : rel_arena_strdup(L->arena, rel_buf_cstr(&b));
    if (!a->default_value)
        L->oom = true;
    rel_buf_free(&b);
    *kind = REL_LITERAL_AUTO;
}

/* The long form { type: STRING, allowNull: false, ... }. */
static void load_attr_object(loader *L, const char *name, const rel_js *v, rel_attr *a,
                             rel_literal_kind *kind)
{
    bool typed = false;
    for (size_t i = 0; i < v->n; i++) {
        const char *k = v->keys[i];
        const rel_js *x = v->items[i];
        int kl = v->key_lines[i], kc = v->key_cols[i];
        bool b;
        if (strcmp(k, "type") == 0) {
            typed = true;
            load_type(L, x, a);
        } else if (strcmp(k, "allowNull") == 0) {
            want_flag(L, x, "allowNull", &a->allow_null);
        } else if (strcmp(k, "unique") == 0) {
            if (x->kind == REL_JS_STRING || x->kind == REL_JS_OBJECT)
                diag(L, x->line, x->col, "named and composite unique keys are not supported: "
                     "use unique: true");
            else if (want_bool(L, x, "unique", &b))
                a->unique = b;
        } else if (strcmp(k, "primaryKey") == 0) {
            if (want_bool(L, x, "primaryKey", &b))
                a->primary_key = b;
        } else if (strcmp(k, "autoIncrement") == 0) {
            if (want_bool(L, x, "autoIncrement", &b))
                a->auto_increment = b;
        } else if (strcmp(k, "defaultValue") == 0) {
            load_default(L, x, a, kind);
        } else if (strcmp(k, "field") == 0) {
            want_string(L, x, "field", false, &a->field);
        } else {
            diag(L, kl, kc, "unknown attribute option '%s' for '%s' (known: "
                 REL_MF_ATTR_OPTIONS ")", k, name);
        }
    }
    if (!typed)
        diag(L, v->line, v->col, "attribute '%s' has no type: write { type: STRING, ... }", name);
    json_string_default(L, a, kind);
}

/* One attribute, shorthand (name: STRING) or long form. A type that cannot be
 * read leaves STRING in its place, so that later checks (keys naming the
 * attribute) do not report it a second time. */
static void load_attr(loader *L, const char *name, const rel_js *v, rel_attr *a,
                      rel_literal_kind *kind)
{
    a->name = name;
    a->type = REL_STRING;
    if (v->kind == REL_JS_OBJECT)
        load_attr_object(L, name, v, a, kind);
    else if (v->kind == REL_JS_IDENT || v->kind == REL_JS_CALL)
        load_type(L, v, a);
    else
        diag(L, v->line, v->col, "expected a type for attribute '%s' (such as STRING, or "
             "{ type: STRING, ... }), found %s", name, kind_name(v->kind));
}

/* ------------------------------------------------------------ model options */

static void load_model_name(loader *L, const rel_js *v, rel_model_opts *o)
{
    if (v->kind != REL_JS_OBJECT) {
        diag(L, v->line, v->col, "name must be an object { singular, plural }, found %s",
             kind_name(v->kind));
        return;
    }
    for (size_t i = 0; i < v->n; i++) {
        const char *k = v->keys[i];
        if (strcmp(k, "singular") == 0)
            want_string(L, v->items[i], "name.singular", false, &o->singular);
        else if (strcmp(k, "plural") == 0)
            want_string(L, v->items[i], "name.plural", false, &o->plural);
        else
            diag(L, v->key_lines[i], v->key_cols[i],
                 "unknown option 'name.%s' (known: singular, plural)", k);
    }
}

static void load_model_options(loader *L, const rel_js *v, rel_model_opts *o)
{
    for (size_t i = 0; v && i < v->n; i++) {
        const char *k = v->keys[i];
        const rel_js *x = v->items[i];
        bool b;
        if (strcmp(k, "tableName") == 0) {
            want_string(L, x, "tableName", false, &o->table_name);
        } else if (strcmp(k, "freezeTableName") == 0) {
            if (want_bool(L, x, "freezeTableName", &b))
                o->freeze_table_name = b;
        } else if (strcmp(k, "timestamps") == 0) {
            want_flag(L, x, "timestamps", &o->timestamps);
        } else if (strcmp(k, "underscored") == 0) {
            if (want_bool(L, x, "underscored", &b))
                o->underscored = b;
        } else if (strcmp(k, "name") == 0) {
            load_model_name(L, x, o);
        } else {
            diag(L, v->key_lines[i], v->key_cols[i], "unknown model option '%s' (known: "
                 "tableName, freezeTableName, timestamps, underscored, name)", k);
        }
    }
}

/* ---------------------------------------------------------------- defines */

/* The file's order is the definition order (models and associations), which
 * decides where Sequelize places a junction among the models and so the order
 * of CREATE TABLE. Defines run in a first pass, so the order is set here. */
static void set_model_seq(rel_model *m, size_t stmt_index)
{
    m->seq = (unsigned)stmt_index;
}

static void set_assoc_seq(rel_assoc *a, size_t stmt_index)
{
    a->seq = (unsigned)stmt_index;
}

static void load_define(loader *L, const rel_mf_stmt *st, size_t index)
{
    const ld_var *prev = find_var(L, st->var);
    if (prev) {
        diag(L, st->var_line, st->var_col, "'%s' is already defined at %d:%d", st->var,
             prev->line, prev->col);
        return;
    }
    const rel_js *attrs = st->attrs;
    rel_attr *list = rel_arena_calloc(L->arena, attrs->n + 1, sizeof *list);
    rel_literal_kind *kinds = rel_arena_calloc(L->arena, attrs->n + 1, sizeof *kinds);
    if (!list || !kinds) {
        L->oom = true;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < attrs->n; i++) {
        /* A name written twice counts once, with its last value, as in JavaScript. */
        if (rel_js_get(attrs, attrs->keys[i]) != attrs->items[i])
            continue;
        load_attr(L, attrs->keys[i], attrs->items[i], &list[n], &kinds[n]);
        n++;
    }
    rel_model_opts opts = {0};
    load_model_options(L, st->options, &opts);

    rel_model *m = rel_define(L->s, st->model, list, &opts);
    if (!m) {
        L->oom = true;
        return;
    }
    set_model_seq(m, index);
    rel_model_set_origin(m, L->file, st->model_line, st->model_col);
    for (size_t i = 0; i < n; i++)
        if (kinds[i] != REL_LITERAL_AUTO)
            rel_model_set_attr_literal(m, list[i].name, kinds[i]);
    for (size_t i = 0; i < attrs->n; i++)
        if (rel_js_get(attrs, attrs->keys[i]) == attrs->items[i])
            rel_model_set_attr_origin(m, attrs->keys[i], L->file, attrs->key_lines[i],
                                      attrs->key_cols[i]);
    L->vars[L->nvars++] = (ld_var){st->var, st->var_line, st->var_col, m};
}

/* ------------------------------------------------------------ associations */

static bool load_key(loader *L, const rel_js *v, const char *option, rel_key_opts *k)
{
    if (v->kind == REL_JS_STRING) {
        k->name = v->str; /* '' means "not given", as the seeds write it */
        return true;
    }
    if (v->kind != REL_JS_OBJECT) {
        diag(L, v->line, v->col, "%s must be a name or { name, field, allowNull, unique }, "
             "found %s", option, kind_name(v->kind));
        return false;
    }
    bool ok = true, b;
    for (size_t i = 0; i < v->n; i++) {
        const char *key = v->keys[i];
        const rel_js *x = v->items[i];
        if (strcmp(key, "name") == 0) {
            ok &= want_string(L, x, "name", true, &k->name);
        } else if (strcmp(key, "field") == 0) {
            ok &= want_string(L, x, "field", false, &k->field);
        } else if (strcmp(key, "allowNull") == 0) {
            ok &= want_flag(L, x, "allowNull", &k->allow_null);
        } else if (strcmp(key, "unique") == 0) {
            if (want_bool(L, x, "unique", &b))
                k->unique = b;
            else
                ok = false;
        } else {
            diag(L, v->key_lines[i], v->key_cols[i], "unknown %s option '%s' (known: name, "
                 "field, allowNull, unique)", option, key);
            ok = false;
        }
    }
    return ok;
}

/* A model where one is meant in `through`: a string names it (and makes it
 * when no model has that name); a bare name must be a variable of this file. */
static bool through_model(loader *L, const rel_js *v, const char **out)
{
    if (v->kind == REL_JS_STRING && *v->str) {
        *out = v->str;
        return true;
    }
    if (v->kind == REL_JS_IDENT) {
        const ld_var *var = find_var(L, v->str);
        if (var) {
            *out = rel_model_name(var->model);
            return true;
        }
        diag(L, v->line, v->col, "unknown model '%s': no %s = define(...) in this file",
             v->str, v->str);
        return false;
    }
    diag(L, v->line, v->col, "through must be a model, a table name or { model, unique }, "
         "found %s", v->kind == REL_JS_STRING ? "''" : kind_name(v->kind));
    return false;
}

static bool load_through(loader *L, const rel_js *v, rel_assoc_opts *o)
{
    if (v->kind != REL_JS_OBJECT)
        return through_model(L, v, &o->through);
    bool ok = true, has_model = false;
    for (size_t i = 0; i < v->n; i++) {
        const char *key = v->keys[i];
        const rel_js *x = v->items[i];
        if (strcmp(key, "model") == 0) {
            has_model = true;
            ok &= through_model(L, x, &o->through);
        } else if (strcmp(key, "unique") == 0) {
            ok &= want_flag(L, x, "through.unique", &o->through_unique);
        } else {
            diag(L, v->key_lines[i], v->key_cols[i],
                 "unknown through option '%s' (known: model, unique)", key);
            ok = false;
        }
    }
    if (!has_model) {
        diag(L, v->line, v->col, "through needs a model: { model: 'Name', ... }");
        ok = false;
    }
    return ok;
}

static bool load_as(loader *L, const rel_js *v, bool many, rel_assoc_opts *o)
{
    if (v->kind == REL_JS_STRING)
        return want_string(L, v, "as", false, &o->as);
    if (v->kind != REL_JS_OBJECT) {
        diag(L, v->line, v->col, "as must be a name or { singular, plural }, found %s",
             kind_name(v->kind));
        return false;
    }
    const char *singular = NULL, *plural = NULL;
    bool ok = true;
    for (size_t i = 0; i < v->n; i++) {
        const char *key = v->keys[i];
        if (strcmp(key, "singular") == 0)
            ok &= want_string(L, v->items[i], "as.singular", false, &singular);
        else if (strcmp(key, "plural") == 0)
            ok &= want_string(L, v->items[i], "as.plural", false, &plural);
        else {
            diag(L, v->key_lines[i], v->key_cols[i],
                 "unknown option 'as.%s' (known: singular, plural)", key);
            ok = false;
        }
    }
    if (ok && (!singular || !plural)) {
        diag(L, v->line, v->col, "as needs both forms: { singular: 'member', plural: 'members' }");
        ok = false;
    }
    if (!ok)
        return false;
    /* Sequelize names a to-many association by the plural, a to-one by the singular. */
    o->as = many ? plural : singular;
    o->as_singular = singular;
    return true;
}

static bool load_rule(loader *L, const rel_js *v, const char *option, const char **out)
{
    static const char *const rules[] = {"CASCADE", "SET NULL", "RESTRICT", "NO ACTION",
                                        "SET DEFAULT"};
    if (v->kind == REL_JS_STRING)
        for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
            if (strcasecmp(v->str, rules[i]) == 0) {
                *out = v->str;
                return true;
            }
    diag(L, v->line, v->col, "%s must be one of 'CASCADE', 'SET NULL', 'RESTRICT', "
         "'NO ACTION', 'SET DEFAULT'", option);
    return false;
}

#define REL_MF_ASSOC_OPTIONS \
    "as, foreignKey, sourceKey, targetKey, otherKey, through, onDelete, onUpdate, constraints"

static bool load_assoc_options(loader *L, const rel_js *v, bool many, rel_assoc_opts *o)
{
    bool ok = true;
    for (size_t i = 0; v && i < v->n; i++) {
        const char *k = v->keys[i];
        const rel_js *x = v->items[i];
        if (strcmp(k, "as") == 0)
            ok &= load_as(L, x, many, o);
        else if (strcmp(k, "foreignKey") == 0)
            ok &= load_key(L, x, "foreignKey", &o->foreign_key);
        else if (strcmp(k, "otherKey") == 0)
            ok &= load_key(L, x, "otherKey", &o->other_key);
        else if (strcmp(k, "sourceKey") == 0)
            ok &= want_string(L, x, "sourceKey", true, &o->source_key);
        else if (strcmp(k, "targetKey") == 0)
            ok &= want_string(L, x, "targetKey", true, &o->target_key);
        else if (strcmp(k, "through") == 0)
            ok &= load_through(L, x, o);
        else if (strcmp(k, "onDelete") == 0)
            ok &= load_rule(L, x, "onDelete", &o->on_delete);
        else if (strcmp(k, "onUpdate") == 0)
            ok &= load_rule(L, x, "onUpdate", &o->on_update);
        else if (strcmp(k, "constraints") == 0)
            ok &= want_flag(L, x, "constraints", &o->constraints);
        else {
            diag(L, v->key_lines[i], v->key_cols[i],
                 "unknown association option '%s' (known: " REL_MF_ASSOC_OPTIONS ")", k);
            ok = false;
        }
    }
    return ok;
}

/* An association with any error is left out, so that freeze does not report
 * consequences of it (a missing `through`, say) a second time. */
static void load_assoc(loader *L, const rel_mf_stmt *st, size_t index, bool report_unknown)
{
    const ld_var *src = find_var(L, st->source), *dst = find_var(L, st->target);
    bool ok = true;
    if (!src) {
        ok = false;
        if (report_unknown)
            diag(L, st->source_line, st->source_col,
                 "unknown model '%s': no %s = define(...) in this file", st->source, st->source);
    }
    if (!dst) {
        ok = false;
        if (report_unknown)
            diag(L, st->target_line, st->target_col,
                 "unknown model '%s': no %s = define(...) in this file", st->target, st->target);
    }
    bool many = strcmp(st->method, "hasMany") == 0 || strcmp(st->method, "belongsToMany") == 0;
    rel_assoc_opts o = {0};
    ok &= load_assoc_options(L, st->assoc_options, many, &o);
    if (!ok)
        return;

    rel_assoc *a;
    if (strcmp(st->method, "hasOne") == 0)
        a = rel_has_one(src->model, dst->model, &o);
    else if (strcmp(st->method, "belongsTo") == 0)
        a = rel_belongs_to(src->model, dst->model, &o);
    else if (strcmp(st->method, "hasMany") == 0)
        a = rel_has_many(src->model, dst->model, &o);
    else
        a = rel_belongs_to_many(src->model, dst->model, &o);
    if (!a) {
        L->oom = true;
        return;
    }
    set_assoc_seq(a, index);
    rel_assoc_set_origin(a, L->file, st->line, st->col);
}

/* ------------------------------------------------------------------ loading */

/* Every error as "file:line:col: message" lines, sorted by position. */
static char *join_diags(loader *L)
{
    rel_buf b = {0};
    for (size_t i = 0; i < L->ndiags; i++) {
        rel_buf_puts(&b, L->diags[i].text);
        rel_buf_putc(&b, '\n');
    }
    return rel_buf_take(&b);
}

/* Adds freeze's definition errors (already "file:line:col: "-prefixed when
 * they have an origin). */
static void add_freeze_errors(loader *L)
{
    char line[sizeof ((rel_error *)0)->message + 300];
    for (size_t i = 0; i < rel_schema_error_count(L->s); i++) {
        const rel_error *e = rel_schema_error_at(L->s, i);
        if (e->file[0])
            add_diag_text(L, e->line, e->column, e->message, false);
        else {
            snprintf(line, sizeof line, "%s: %s", L->file, e->message);
            add_diag_text(L, 0, 0, line, false);
        }
    }
}

/* Fills err from the first (sorted) error and hands over the list. */
static rel_status report(loader *L, char **errors_out, rel_error *err)
{
    qsort(L->diags, L->ndiags, sizeof *L->diags, diag_cmp);
    bool syntax = false;
    for (size_t i = 0; i < L->ndiags; i++)
        syntax |= L->diags[i].syntax;
    rel_status code = syntax ? REL_PARSE : REL_DEFINITION;
    const ld_diag *first = &L->diags[0];
    rel_err(err, code, "%s", first->text);
    if (err) {
        snprintf(err->file, sizeof err->file, "%s", L->file);
        err->line = first->line;
        err->column = first->col;
    }
    if (errors_out) {
        *errors_out = join_diags(L);
        if (!*errors_out)
            return rel_err_nomem(err);
    }
    return code;
}

rel_status rel_schema_load_text(const char *text, size_t len, const char *filename,
                                rel_schema **out, char **errors_out, rel_error *err)
{
    loader L = {0};
    rel_status st = REL_OK;

    if (out)
        *out = NULL;
    if (errors_out)
        *errors_out = NULL;
    if (!out || (!text && len))
        return rel_err(err, REL_MISUSE,
                       "rel_schema_load_text needs text and a place for the schema");
    L.file = filename ? filename : "<input>";
    L.text = text ? text : "";
    L.len = text ? len : 0;
    L.arena = rel_arena_new(0);
    L.s = rel_schema_new();
    if (!L.arena || !L.s)
        goto oom;
    L.mf = rel_modelfile_parse(L.text, L.len, L.file);
    if (!L.mf)
        goto oom;
    L.vars = rel_arena_calloc(L.arena, L.mf->nstmts + 1, sizeof *L.vars);
    if (!L.vars)
        goto oom;

    for (size_t i = 0; i < L.mf->ndiags; i++)
        diag(&L, L.mf->diags[i].line, L.mf->diags[i].col, "%s", L.mf->diags[i].message);
    bool parsed = L.mf->ndiags == 0;

    for (size_t i = 0; i < L.mf->nstmts && !L.oom; i++)
        if (L.mf->stmts[i].kind == REL_MF_DEFINE)
            load_define(&L, &L.mf->stmts[i], i);
    /* After a syntax error a name may be unknown only because its define did
     * not parse: such names are not reported as unknown. */
    for (size_t i = 0; i < L.mf->nstmts && !L.oom; i++)
        if (L.mf->stmts[i].kind == REL_MF_ASSOC)
            load_assoc(&L, &L.mf->stmts[i], i, parsed);
    if (L.oom || L.s->oom)
        goto oom;

    /* Freeze only a file that parsed: with statements missing, its
     * definition errors would be guesses. */
    if (parsed) {
        rel_error ferr;
        rel_status fst = rel_schema_freeze(L.s, &ferr);
        if (fst == REL_NOMEM)
            goto oom;
        if (fst != REL_OK) {
            add_freeze_errors(&L);
            if (rel_schema_error_count(L.s) == 0) {
                /* A failure freeze did not list: report it as it came. */
                char line[sizeof ferr.message + 300];
                snprintf(line, sizeof line, "%s: %s", L.file, ferr.message);
                add_diag_text(&L, 0, 0, line, false);
            }
        }
        if (L.oom)
            goto oom;
    }

    if (L.ndiags) {
        st = report(&L, errors_out, err);
        goto done;
    }
    *out = L.s;
    L.s = NULL;
    goto done;

oom:
    st = rel_err_nomem(err);
done:
    rel_schema_free(L.s);
    rel_modelfile_free(L.mf);
    rel_arena_free(L.arena);
    free(L.diags);
    return st;
}

rel_status rel_schema_load_file(const char *path, rel_schema **out, char **errors_out,
                                rel_error *err)
{
    char why[128] = "";
    char *text = NULL;
    size_t len = 0;
    rel_status st;

    if (out)
        *out = NULL;
    if (errors_out)
        *errors_out = NULL;
    if (!path || !out)
        return rel_err(err, REL_MISUSE,
                       "rel_schema_load_file needs a path and a place for the schema");

    FILE *f = fopen(path, "rb");
    if (!f)
        goto io_error;
    if (fseek(f, 0, SEEK_END) != 0)
        goto io_error_close;
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto io_error_close;
    if ((unsigned long)size > REL_MF_MAX_FILE) {
        fclose(f);
        return rel_err(err, REL_INVALID, "%s: the model file is larger than %u bytes", path,
                       REL_MF_MAX_FILE);
    }
    text = malloc((size_t)size + 1);
    if (!text) {
        fclose(f);
        return rel_err_nomem(err);
    }
    len = fread(text, 1, (size_t)size, f);
    if (ferror(f))
        goto io_error_close;
    fclose(f);

    st = rel_schema_load_text(text, len, path, out, errors_out, err);
    free(text);
    return st;

io_error_close:
    {
        int saved = errno;
        fclose(f);
        errno = saved;
    }
io_error:
    if (strerror_r(errno, why, sizeof why) != 0)
        snprintf(why, sizeof why, "error %d", errno);
    free(text);
    return rel_err(err, REL_ERROR, "cannot read the model file %s: %s", path, why);
}
