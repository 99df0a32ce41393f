/* The model-file parser: tokens to statements and value trees (see modelfile.h).
 *
 * Recursive descent over the token array from modelfile_lex.c.  On an error the
 * statement is abandoned and parsing resumes at the next statement boundary (a ';'
 * or a line that starts a new statement), so one pass reports every error. */
#define _POSIX_C_SOURCE 200809L /* newlocale, uselocale */

#include "io/modelfile.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/modelfile_lex.h"
#include "util/arena.h"

/* Deeper values would only exhaust the stack; no real model nests this far. */
#define REL_MF_MAX_NEST 64

#define REL_MF_UNKNOWN_STMT \
    "unknown statement: expected a define(...) or an association call like A.hasMany(B)"
#define REL_MF_PRELUDE \
    "keep the file a pure subset; the prelude (sequelize, DataTypes) is supplied by " \
    "whoever runs it in Node"

typedef struct rel_mf_parser {
    rel_arena *arena;
    rel_modelfile *mf;
    const rel_mf_token *toks;
    size_t ntoks, pos;
    size_t stmt_cap, diag_cap;
    int depth;            /* brackets open in the current statement, for recovery */
    int nest;             /* values being parsed inside one another */
    bool in_prologue;     /* nothing but 'use strict' seen so far */
    bool oom;
    struct rel_mf_binding *bindings; /* hash table: each variable assigned so far */
    size_t nbindings, binding_cap;   /* used slots; slots (a power of two) */
} rel_mf_parser;

/* How a statement binds its variable, for JavaScript's redeclaration rules; in
 * increasing strength. */
typedef enum rel_mf_bind_kind {
    REL_MF_ASSIGN,  /* Name = ... */
    REL_MF_VAR,
    REL_MF_LET,
    REL_MF_CONST
} rel_mf_bind_kind;

typedef struct rel_mf_binding {
    const char *name;
    rel_mf_bind_kind kind;
    int line;
} rel_mf_binding;

/* One object member while the object is being read. */
typedef struct rel_mf_member {
    const char *key;
    int line, col;
    rel_js *value;
} rel_mf_member;

/* ------------------------------------------------------------------ helpers */

static const rel_mf_token *rel_mf_cur(const rel_mf_parser *p)
{
    return &p->toks[p->pos];
}

/* The token k places ahead (the EOF token past the end). */
static const rel_mf_token *rel_mf_peek(const rel_mf_parser *p, size_t k)
{
    size_t i = p->pos + k;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}

static bool rel_mf_is(const rel_mf_token *t, const char *word)
{
    return t->kind == REL_TK_IDENT && strcmp(t->text, word) == 0;
}

/* Grows an arena vector of *cap elements to hold n + 1; the old copy stays in the
 * arena, which is fine for the few vectors a file needs. */
static void *rel_mf_grow(rel_mf_parser *p, void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *nv = rel_arena_alloc(p->arena, ncap * size);
    if (!nv) {
        p->oom = true;
        return NULL;
    }
    if (n)
        memcpy(nv, v, n * size);
    *cap = ncap;
    return nv;
}

static bool rel_mf_full(const rel_mf_parser *p)
{
    return p->oom || p->mf->ndiags >= REL_MF_MAX_DIAGS;
}

static void rel_mf_vdiag(rel_mf_parser *p, int line, int col, const char *fmt, va_list ap)
{
    rel_modelfile *mf = p->mf;
    if (rel_mf_full(p))
        return;
    rel_mf_diag *d = rel_mf_grow(p, mf->diags, mf->ndiags, &p->diag_cap, sizeof *d);
    if (!d)
        return;
    mf->diags = d;
    d += mf->ndiags++;
    d->line = line;
    d->col = col;
    vsnprintf(d->message, sizeof d->message, fmt, ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void rel_mf_diag_at(rel_mf_parser *p, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rel_mf_vdiag(p, line, col, fmt, ap);
    va_end(ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
/* Reports an error at the current token and returns false.  A token the lexer
 * already rejected gets no second message: its own is reported when recovery
 * passes it.  '=>' and '...' get a message naming the feature. */
static bool rel_mf_fail(rel_mf_parser *p, const char *fmt, ...)
{
    const rel_mf_token *t = rel_mf_cur(p);
    if (t->kind == REL_TK_ERROR)
        return false;
    if (t->kind == REL_TK_ARROW) {
        rel_mf_diag_at(p, t->line, t->col, "arrow functions are not supported in a model file");
        return false;
    }
    if (t->kind == REL_TK_ELLIPSIS) {
        rel_mf_diag_at(p, t->line, t->col, "spread syntax (...) is not supported in a model file");
        return false;
    }
    va_list ap;
    va_start(ap, fmt);
    rel_mf_vdiag(p, t->line, t->col, fmt, ap);
    va_end(ap);
    return false;
}

/* Moves past the current token, reporting the lexer's error on it if any. */
static void rel_mf_next(rel_mf_parser *p)
{
    const rel_mf_token *t = rel_mf_cur(p);
    if (t->diag)
        rel_mf_diag_at(p, t->diag_line, t->diag_col, "%s", t->diag);
    switch (t->kind) {
    case REL_TK_LPAREN: case REL_TK_LBRACE: case REL_TK_LBRACKET:
        p->depth++;
        break;
    case REL_TK_RPAREN: case REL_TK_RBRACE: case REL_TK_RBRACKET:
        if (p->depth > 0)
            p->depth--;
        break;
    default:
        break;
    }
    if (t->kind != REL_TK_EOF)
        p->pos++;
}

static bool rel_mf_is_method(const char *name)
{
    return strcmp(name, "hasOne") == 0 || strcmp(name, "belongsTo") == 0 ||
           strcmp(name, "hasMany") == 0 || strcmp(name, "belongsToMany") == 0;
}

static rel_js *rel_mf_node(rel_mf_parser *p, rel_js_kind kind, const rel_mf_token *at)
{
    rel_js *v = rel_arena_calloc(p->arena, 1, sizeof *v);
    if (!v) {
        p->oom = true;
        return NULL;
    }
    v->kind = kind;
    v->line = at->line;
    v->col = at->col;
    return v;
}

/* The property name JavaScript gives the number v ({1.50: x} is "1.5"): the shortest
 * digits that read back as v, laid out as Number.prototype.toString does. */
static const char *rel_mf_number_key(rel_mf_parser *p, double v)
{
    char e[40], digits[24], out[64];
    size_t k = 0;
    int prec;

    if (isinf(v))
        return "Infinity";
    if (v == 0)
        return "0";
    for (prec = 1; prec < 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec - 1, v);
        if (strtod(e, NULL) == v)
            break;
    }
    snprintf(e, sizeof e, "%.*e", prec - 1, v);
    const char *c = e;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            digits[k++] = *c;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = '\0';
    int n = atoi(c + 1) + 1;  /* v = 0.digits * 10^n */

    if ((int)k <= n && n <= 21)
        snprintf(out, sizeof out, "%s%.*s", digits, n - (int)k, "000000000000000000000");
    else if (0 < n && n <= 21)
        snprintf(out, sizeof out, "%.*s.%s", n, digits, digits + n);
    else if (-6 < n && n <= 0)
        snprintf(out, sizeof out, "0.%.*s%s", -n, "000000", digits);
    else
        snprintf(out, sizeof out, "%c%s%s%s%d", digits[0], k > 1 ? "." : "", digits + 1,
                 n - 1 >= 0 ? "e+" : "e-", abs(n - 1));
    const char *s = rel_arena_strdup(p->arena, out);
    if (!s)
        p->oom = true;
    return s;
}

/* ------------------------------------------------------------------- values */

static rel_js *rel_mf_value(rel_mf_parser *p, const char *ctx);

/* At '(': true when the matching ')' is followed by '=>'. */
static bool rel_mf_arrow_ahead(const rel_mf_parser *p)
{
    int depth = 0;
    for (size_t i = p->pos; i < p->ntoks; i++) {
        rel_mf_tok_kind k = p->toks[i].kind;
        if (k == REL_TK_LPAREN)
            depth++;
        else if (k == REL_TK_RPAREN && --depth == 0)
            return i + 1 < p->ntoks && p->toks[i + 1].kind == REL_TK_ARROW;
        else if (k == REL_TK_EOF)
            break;
    }
    return false;
}

static rel_js *rel_mf_object(rel_mf_parser *p)
{
    const rel_mf_token *open = rel_mf_cur(p);
    rel_js *obj = rel_mf_node(p, REL_JS_OBJECT, open);
    rel_mf_member *m = NULL;
    size_t n = 0, cap = 0;
    char ctx[128];

    if (!obj)
        return NULL;
    rel_mf_next(p);
    for (;;) {
        const rel_mf_token *t = rel_mf_cur(p);
        const char *key;
        if (t->kind == REL_TK_RBRACE) {
            rel_mf_next(p);
            break;
        }
        if (t->kind == REL_TK_IDENT || t->kind == REL_TK_STRING) {
            key = t->text;
        } else if (t->kind == REL_TK_NUMBER) {
            key = rel_mf_number_key(p, t->num);
            if (!key)
                return NULL;
        } else if (t->kind == REL_TK_LBRACKET) {
            rel_mf_fail(p, "computed property names ([...]) are not supported");
            return NULL;
        } else if (t->kind == REL_TK_EOF) {
            rel_mf_fail(p, "expected a property name or '}' (the '{' at %d:%d is not closed)",
                        open->line, open->col);
            return NULL;
        } else {
            rel_mf_fail(p, "expected a property name or '}'");
            return NULL;
        }
        rel_mf_next(p);

        const rel_mf_token *after = rel_mf_cur(p);
        if (after->kind == REL_TK_LPAREN) {
            rel_mf_fail(p, "methods are not supported in a model file");
            return NULL;
        }
        if (after->kind != REL_TK_COLON) {
            if (t->kind == REL_TK_IDENT &&
                (after->kind == REL_TK_COMMA || after->kind == REL_TK_RBRACE))
                rel_mf_fail(p, "expected ':' after '%.60s' (shorthand properties are "
                               "not supported)", key);
            else
                rel_mf_fail(p, "expected ':' after the property name '%.60s'", key);
            return NULL;
        }
        rel_mf_next(p);

        snprintf(ctx, sizeof ctx, "for '%.60s'", key);
        rel_js *v = rel_mf_value(p, ctx);
        if (!v)
            return NULL;
        m = rel_mf_grow(p, m, n, &cap, sizeof *m);
        if (!m)
            return NULL;
        m[n++] = (rel_mf_member){key, t->line, t->col, v};

        const rel_mf_token *sep = rel_mf_cur(p);
        if (sep->kind == REL_TK_COMMA) {
            rel_mf_next(p);
        } else if (sep->kind == REL_TK_RBRACE) {
            rel_mf_next(p);
            break;
        } else if (sep->kind == REL_TK_EOF) {
            rel_mf_fail(p, "expected ',' or '}' after the value of '%.60s' (the '{' at %d:%d "
                           "is not closed)", key, open->line, open->col);
            return NULL;
        } else {
            rel_mf_fail(p, "expected ',' or '}' after the value of '%.60s'", key);
            return NULL;
        }
    }

    obj->n = n;
    obj->keys = rel_arena_alloc(p->arena, n * sizeof *obj->keys);
    obj->key_lines = rel_arena_alloc(p->arena, n * sizeof *obj->key_lines);
    obj->key_cols = rel_arena_alloc(p->arena, n * sizeof *obj->key_cols);
    obj->items = rel_arena_alloc(p->arena, n * sizeof *obj->items);
    if (!obj->keys || !obj->key_lines || !obj->key_cols || !obj->items) {
        p->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        obj->keys[i] = m[i].key;
        obj->key_lines[i] = m[i].line;
        obj->key_cols[i] = m[i].col;
        obj->items[i] = m[i].value;
    }
    return obj;
}

/* Values separated by commas up to the closing token (array items, call arguments),
 * a trailing comma allowed.  At the opening token. */
static bool rel_mf_list(rel_mf_parser *p, rel_js *into, rel_mf_tok_kind close,
                        const char *ctx, const char *sep_error)
{
    const rel_mf_token *open = rel_mf_cur(p);
    size_t cap = 0;

    rel_mf_next(p);
    while (rel_mf_cur(p)->kind != close) {
        if (rel_mf_cur(p)->kind == REL_TK_EOF)
            return rel_mf_fail(p, "%s (the '%c' at %d:%d is not closed)", sep_error,
                               open->kind == REL_TK_LPAREN ? '(' : '[', open->line, open->col);
        rel_js *v = rel_mf_value(p, ctx);
        if (!v)
            return false;
        into->items = rel_mf_grow(p, into->items, into->n, &cap, sizeof *into->items);
        if (!into->items)
            return false;
        into->items[into->n++] = v;

        const rel_mf_token *sep = rel_mf_cur(p);
        if (sep->kind == REL_TK_COMMA)
            rel_mf_next(p);
        else if (sep->kind != close && sep->kind != REL_TK_EOF)
            return rel_mf_fail(p, "%s", sep_error);
    }
    rel_mf_next(p);
    return true;
}

/* A name, a dotted path or a call: STRING, DataTypes.STRING, DataTypes.DECIMAL(10, 2). */
static rel_js *rel_mf_name_value(rel_mf_parser *p, const char *ctx)
{
    const rel_mf_token *t = rel_mf_cur(p);

    if (rel_mf_is(t, "true") || rel_mf_is(t, "false")) {
        rel_js *v = rel_mf_node(p, REL_JS_BOOL, t);
        if (v)
            v->b = t->text[0] == 't';
        rel_mf_next(p);
        return v;
    }
    if (rel_mf_is(t, "null")) {
        rel_mf_next(p);
        return rel_mf_node(p, REL_JS_NULL, t);
    }
    if (rel_mf_peek(p, 1)->kind == REL_TK_ARROW) {
        rel_mf_diag_at(p, t->line, t->col, "arrow functions are not supported in a model file");
        return NULL;
    }
    if (rel_mf_is(t, "new")) {
        rel_mf_fail(p, "'new' is not supported in a model file");
        return NULL;
    }
    if (rel_mf_is(t, "function")) {
        rel_mf_fail(p, "functions are not supported in a model file");
        return NULL;
    }
    if (rel_mf_is(t, "require")) {
        rel_mf_fail(p, "require(...) is not supported: " REL_MF_PRELUDE);
        return NULL;
    }
    if (rel_mf_is_reserved(t->text)) {
        rel_mf_fail(p, "unexpected keyword '%s': expected a value %s", t->text, ctx);
        return NULL;
    }

    /* Join the path's segments; a member name may be any word, even a keyword. */
    size_t len = strlen(t->text), k = 1;
    while (rel_mf_peek(p, k)->kind == REL_TK_DOT && rel_mf_peek(p, k + 1)->kind == REL_TK_IDENT) {
        len += 1 + strlen(rel_mf_peek(p, k + 1)->text);
        k += 2;
    }
    char *path = rel_arena_alloc(p->arena, len + 1);
    rel_js *v = rel_mf_node(p, REL_JS_IDENT, t);
    if (!path || !v) {
        p->oom = true;
        return NULL;
    }
    path[0] = '\0';
    for (size_t i = 0; i < k; i += 2) {
        if (i)
            strcat(path, ".");
        strcat(path, rel_mf_peek(p, i)->text);
    }
    for (size_t i = 0; i < k; i++)
        rel_mf_next(p);
    v->str = path;
    if (rel_mf_cur(p)->kind == REL_TK_DOT) {
        rel_mf_next(p);
        rel_mf_fail(p, "expected a property name after '.'");
        return NULL;
    }
    if (rel_mf_cur(p)->kind != REL_TK_LPAREN)
        return v;

    char actx[128], sep[160];
    snprintf(actx, sizeof actx, "in the arguments of %.60s", path);
    snprintf(sep, sizeof sep, "expected ',' or ')' in the arguments of %.60s", path);
    v->kind = REL_JS_CALL;
    if (!rel_mf_list(p, v, REL_TK_RPAREN, actx, sep))
        return NULL;
    const rel_mf_token *after = rel_mf_cur(p);
    if (after->kind == REL_TK_DOT || after->kind == REL_TK_LPAREN) {
        rel_mf_fail(p, "nothing may follow a call like %.60s(...): chained calls are not "
                       "supported", path);
        return NULL;
    }
    return v;
}

/* Any value; ctx says where it is for messages ("for 'type'"). */
static rel_js *rel_mf_value(rel_mf_parser *p, const char *ctx)
{
    const rel_mf_token *t = rel_mf_cur(p);
    rel_js *v = NULL;

    if (p->nest >= REL_MF_MAX_NEST) {
        rel_mf_fail(p, "values are nested too deeply (more than %d levels)", REL_MF_MAX_NEST);
        return NULL;
    }
    p->nest++;
    switch (t->kind) {
    case REL_TK_STRING:
        v = rel_mf_node(p, REL_JS_STRING, t);
        if (v)
            v->str = t->text;
        rel_mf_next(p);
        break;
    case REL_TK_NUMBER:
        v = rel_mf_node(p, REL_JS_NUMBER, t);
        if (v) {
            v->num = t->num;
            v->num_text = t->text;
        }
        rel_mf_next(p);
        break;
    case REL_TK_MINUS: {
        rel_mf_next(p);
        const rel_mf_token *num = rel_mf_cur(p);
        if (num->kind != REL_TK_NUMBER) {
            rel_mf_fail(p, "expected a number after '-'");
            break;
        }
        v = rel_mf_node(p, REL_JS_NUMBER, t);
        char *text = rel_arena_alloc(p->arena, strlen(num->text) + 2);
        if (!v || !text) {
            p->oom = true;
            v = NULL;
            break;
        }
        text[0] = '-';
        strcpy(text + 1, num->text);
        v->num = -num->num;
        v->num_text = text;
        rel_mf_next(p);
        break;
    }
    case REL_TK_LBRACE:
        v = rel_mf_object(p);
        break;
    case REL_TK_LBRACKET:
        v = rel_mf_node(p, REL_JS_ARRAY, t);
        if (v && !rel_mf_list(p, v, REL_TK_RBRACKET, "in the array",
                              "expected ',' or ']' in the array"))
            v = NULL;
        break;
    case REL_TK_IDENT:
        v = rel_mf_name_value(p, ctx);
        break;
    case REL_TK_LPAREN:
        if (rel_mf_arrow_ahead(p))
            rel_mf_fail(p, "arrow functions are not supported in a model file");
        else
            rel_mf_fail(p, "expected a value %s (parentheses are not supported)", ctx);
        break;
    default:
        rel_mf_fail(p, "expected a value %s (a string, number, true, false, null, name, "
                       "object or array)", ctx);
        break;
    }
    p->nest--;
    return v;
}

/* --------------------------------------------------------------- statements */

static rel_mf_stmt *rel_mf_add_stmt(rel_mf_parser *p, rel_mf_stmt_kind kind,
                                    const rel_mf_token *first)
{
    rel_modelfile *mf = p->mf;
    rel_mf_stmt *s = rel_mf_grow(p, mf->stmts, mf->nstmts, &p->stmt_cap, sizeof *s);
    if (!s)
        return NULL;
    mf->stmts = s;
    s += mf->nstmts++;
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->line = first->line;
    s->col = first->col;
    return s;
}

/* After a statement: ';', a line break or the end of the file. */
static bool rel_mf_end_statement(rel_mf_parser *p)
{
    const rel_mf_token *t = rel_mf_cur(p);
    if (t->kind == REL_TK_SEMI) {
        rel_mf_next(p);
        return true;
    }
    if (t->kind == REL_TK_EOF || t->nl_before)
        return true;
    if (t->kind == REL_TK_DOT)
        return rel_mf_fail(p, "expected ';' or a line break after the statement (chained "
                              "calls are not supported)");
    return rel_mf_fail(p, "expected ';' or a line break after the statement");
}

/* The entry for name in the bindings hash table, or the empty slot it would take. */
static rel_mf_binding *rel_mf_binding_slot(rel_mf_binding *tab, size_t cap, const char *name)
{
    size_t h = 2166136261u;  /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 16777619u;
    size_t i = h & (cap - 1);
    while (tab[i].name && strcmp(tab[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

/* Node rejects a let/const name declared twice (or also by var) and an assignment
 * to a const, so a model file must too.  At the variable's token, which is the
 * current one.  Each name keeps its strongest binding (const > let > var > assign),
 * which is all these rules need. */
static bool rel_mf_bind(rel_mf_parser *p, const rel_mf_token *var, rel_mf_bind_kind kind)
{
    if (strcmp(var->text, "eval") == 0 || strcmp(var->text, "arguments") == 0)
        return rel_mf_fail(p, "'%s' cannot name a variable in strict JavaScript", var->text);
    if ((p->nbindings + 1) * 2 > p->binding_cap) {
        size_t cap = p->binding_cap ? p->binding_cap * 2 : 64;
        rel_mf_binding *tab = rel_arena_calloc(p->arena, cap, sizeof *tab);
        if (!tab) {
            p->oom = true;
            return false;
        }
        for (size_t i = 0; i < p->binding_cap; i++)
            if (p->bindings[i].name)
                *rel_mf_binding_slot(tab, cap, p->bindings[i].name) = p->bindings[i];
        p->bindings = tab;
        p->binding_cap = cap;
    }

    rel_mf_binding *b = rel_mf_binding_slot(p->bindings, p->binding_cap, var->text);
    if (b->name) {
        bool lexical = kind == REL_MF_LET || kind == REL_MF_CONST;
        if ((lexical && b->kind != REL_MF_ASSIGN) || (kind == REL_MF_VAR && b->kind > REL_MF_VAR))
            return rel_mf_fail(p, "'%.60s' is already declared (line %d)", var->text, b->line);
        if (kind == REL_MF_ASSIGN && b->kind == REL_MF_CONST)
            return rel_mf_fail(p, "'%.60s' is a constant (line %d) and cannot be assigned again",
                               var->text, b->line);
        if (kind > b->kind) {
            b->kind = kind;
            b->line = var->line;
        }
        return true;
    }
    *b = (rel_mf_binding){var->text, kind, var->line};
    p->nbindings++;
    return true;
}

/* The optional last argument of define and the association calls: ", { ... }"
 * (a trailing comma allowed) or nothing before ')'; *out is NULL without it.
 * `after` names the argument before it in the message. False after a
 * diagnostic. */
static bool rel_mf_options(rel_mf_parser *p, const char *after, rel_js **out)
{
    *out = NULL;
    if (rel_mf_cur(p)->kind != REL_TK_COMMA)
        return true;
    rel_mf_next(p);
    if (rel_mf_cur(p)->kind == REL_TK_LBRACE) {
        *out = rel_mf_value(p, "");
        if (!*out)
            return false;
        if (rel_mf_cur(p)->kind == REL_TK_COMMA)
            rel_mf_next(p);
    } else if (rel_mf_cur(p)->kind != REL_TK_RPAREN) {
        return rel_mf_fail(p, "expected the options object { ... } or ')' after the %s", after);
    }
    return true;
}

/* At what follows "Name =": [sequelize.]define('Name', {attrs}[, {options}]). */
static bool rel_mf_define(rel_mf_parser *p, const rel_mf_token *first, const rel_mf_token *var)
{
    const rel_mf_token *t = rel_mf_cur(p);
    if (rel_mf_is(t, "define")) {
        rel_mf_next(p);
    } else if (rel_mf_is(t, "sequelize") && rel_mf_peek(p, 1)->kind == REL_TK_DOT &&
               rel_mf_is(rel_mf_peek(p, 2), "define")) {
        for (int i = 0; i < 3; i++)
            rel_mf_next(p);
    } else if (rel_mf_is(t, "require")) {
        return rel_mf_fail(p, "require(...) is not supported: " REL_MF_PRELUDE);
    } else if (rel_mf_is(t, "new")) {
        return rel_mf_fail(p, "'new' is not supported in a model file");
    } else {
        return rel_mf_fail(p, "expected define(...) or sequelize.define(...) after '='");
    }
    if (rel_mf_cur(p)->kind != REL_TK_LPAREN)
        return rel_mf_fail(p, "expected '(' after define");
    rel_mf_next(p);

    const rel_mf_token *model = rel_mf_cur(p);
    if (model->kind != REL_TK_STRING)
        return rel_mf_fail(p, "expected the model name as a string, as in define('User', { ... })");
    rel_mf_next(p);
    if (rel_mf_cur(p)->kind != REL_TK_COMMA)
        return rel_mf_fail(p, "expected ',' and the attributes object after the model name");
    rel_mf_next(p);
    if (rel_mf_cur(p)->kind != REL_TK_LBRACE)
        return rel_mf_fail(p, "expected the attributes object { ... } after the model name");
    rel_js *attrs = rel_mf_value(p, "");
    if (!attrs)
        return false;

    rel_js *options;
    if (!rel_mf_options(p, "attributes", &options))
        return false;
    if (rel_mf_cur(p)->kind != REL_TK_RPAREN)
        return rel_mf_fail(p, "expected ')' after the arguments of define");
    rel_mf_next(p);

    rel_mf_stmt *s = rel_mf_add_stmt(p, REL_MF_DEFINE, first);
    if (!s)
        return false;
    s->var = var->text;
    s->var_line = var->line;
    s->var_col = var->col;
    s->model = model->text;
    s->model_line = model->line;
    s->model_col = model->col;
    s->attrs = attrs;
    s->options = options;
    return rel_mf_end_statement(p);
}

/* At Source: Source.method(Target[, {options}]). */
static bool rel_mf_assoc(rel_mf_parser *p)
{
    const rel_mf_token *src = rel_mf_cur(p);
    rel_mf_next(p);
    rel_mf_next(p);  /* the '.' */

    const rel_mf_token *m = rel_mf_cur(p);
    if (m->kind != REL_TK_IDENT)
        return rel_mf_fail(p, "expected an association method after '%s.'", src->text);
    if (rel_mf_peek(p, 1)->kind == REL_TK_EQ)
        return rel_mf_fail(p, "assigning to a property is not supported: a model file holds "
                              "only Name = define(...) and association calls");
    if (strcmp(m->text, "define") == 0)
        return rel_mf_fail(p, "define(...) must be assigned to a variable: "
                              "Name = sequelize.define('Name', { ... })");
    if (!rel_mf_is_method(m->text))
        return rel_mf_fail(p, "unknown association method '%.60s': expected hasOne, belongsTo, "
                              "hasMany or belongsToMany", m->text);
    rel_mf_next(p);
    if (rel_mf_cur(p)->kind != REL_TK_LPAREN)
        return rel_mf_fail(p, "expected '(' after %s", m->text);
    rel_mf_next(p);

    const rel_mf_token *target = rel_mf_cur(p);
    if (target->kind == REL_TK_STRING)
        return rel_mf_fail(p, "expected the target model as a name, as in %s(Task), not a string",
                           m->text);
    if (target->kind != REL_TK_IDENT || rel_mf_is_reserved(target->text))
        return rel_mf_fail(p, "expected the target model after '%s('", m->text);
    rel_mf_next(p);
    if (rel_mf_cur(p)->kind == REL_TK_DOT)
        return rel_mf_fail(p, "expected ',' or ')' after the target model: it must be a plain "
                              "name like Task");

    rel_js *options;
    if (!rel_mf_options(p, "target model", &options))
        return false;
    if (rel_mf_cur(p)->kind != REL_TK_RPAREN)
        return rel_mf_fail(p, "expected ')' after the arguments of %s", m->text);
    rel_mf_next(p);

    rel_mf_stmt *s = rel_mf_add_stmt(p, REL_MF_ASSOC, src);
    if (!s)
        return false;
    s->source = src->text;
    s->source_line = src->line;
    s->source_col = src->col;
    s->method = m->text;
    s->method_line = m->line;
    s->method_col = m->col;
    s->target = target->text;
    s->target_line = target->line;
    s->target_col = target->col;
    s->assoc_options = options;
    return rel_mf_end_statement(p);
}

/* A statement starting with a name: "Name = define(...)" or "A.hasMany(B)", or one of
 * the JavaScript features a model file leaves out. */
static bool rel_mf_name_statement(rel_mf_parser *p)
{
    const rel_mf_token *t = rel_mf_cur(p);
    const rel_mf_token *n1 = rel_mf_peek(p, 1);

    if (rel_mf_is(t, "const") || rel_mf_is(t, "let") || rel_mf_is(t, "var")) {
        rel_mf_next(p);
        const rel_mf_token *var = rel_mf_cur(p);
        if (var->kind == REL_TK_LBRACE || var->kind == REL_TK_LBRACKET)
            return rel_mf_fail(p, "destructuring and require(...) are not supported: "
                                  REL_MF_PRELUDE);
        if (var->kind != REL_TK_IDENT)
            return rel_mf_fail(p, "expected a variable name after '%s'", t->text);
        if (rel_mf_is_reserved(var->text))
            return rel_mf_fail(p, "'%s' is a reserved word and cannot name a variable",
                               var->text);
        if (!rel_mf_bind(p, var, t->text[0] == 'v' ? REL_MF_VAR
                                 : t->text[0] == 'l' ? REL_MF_LET : REL_MF_CONST))
            return false;
        rel_mf_next(p);
        if (rel_mf_cur(p)->kind != REL_TK_EQ)
            return rel_mf_fail(p, "expected '=' after '%s'", var->text);
        rel_mf_next(p);
        return rel_mf_define(p, t, var);
    }
    if (rel_mf_is(t, "require"))
        return rel_mf_fail(p, "require(...) is not supported: " REL_MF_PRELUDE);
    if (rel_mf_is(t, "import") || rel_mf_is(t, "export"))
        return rel_mf_fail(p, "import and export are not supported: " REL_MF_PRELUDE);
    if ((rel_mf_is(t, "module") && n1->kind == REL_TK_DOT && rel_mf_is(rel_mf_peek(p, 2), "exports")) ||
        rel_mf_is(t, "exports"))
        return rel_mf_fail(p, "module.exports is not supported: " REL_MF_PRELUDE);
    if (rel_mf_is(t, "function"))
        return rel_mf_fail(p, "functions are not supported in a model file");
    if (rel_mf_is(t, "class"))
        return rel_mf_fail(p, "classes are not supported in a model file");
    if (rel_mf_is(t, "define") && n1->kind == REL_TK_LPAREN)
        return rel_mf_fail(p, "define(...) must be assigned to a variable: "
                              "Name = sequelize.define('Name', { ... })");
    if (rel_mf_is_reserved(t->text))
        return rel_mf_fail(p, REL_MF_UNKNOWN_STMT " ('%s' is not supported)", t->text);
    if (n1->kind == REL_TK_EQ) {
        if (!rel_mf_bind(p, t, REL_MF_ASSIGN))
            return false;
        rel_mf_next(p);
        rel_mf_next(p);
        return rel_mf_define(p, t, t);
    }
    if (n1->kind == REL_TK_DOT)
        return rel_mf_assoc(p);
    return rel_mf_fail(p, REL_MF_UNKNOWN_STMT);
}

static bool rel_mf_statement(rel_mf_parser *p)
{
    const rel_mf_token *t = rel_mf_cur(p);
    bool prologue = p->in_prologue;

    p->in_prologue = false;
    if (t->kind == REL_TK_SEMI) {
        rel_mf_next(p);
        return true;
    }
    if (t->kind == REL_TK_STRING && t->use_strict) {
        if (!prologue)
            return rel_mf_fail(p, REL_MF_UNKNOWN_STMT " ('use strict' belongs at the top of "
                                  "the file)");
        p->in_prologue = true;
        rel_mf_next(p);
        return rel_mf_end_statement(p);
    }
    if (t->kind == REL_TK_IDENT)
        return rel_mf_name_statement(p);
    return rel_mf_fail(p, REL_MF_UNKNOWN_STMT);
}

/* Where recovery may resume: a line that starts a statement.  Inside brackets left
 * open by the broken statement only a line that clearly starts one counts, so the
 * rest of an object ("  name: STRING,") is skipped rather than misread. */
static bool rel_mf_at_statement_start(const rel_mf_parser *p)
{
    const rel_mf_token *t = rel_mf_cur(p);
    if (!t->nl_before || t->kind != REL_TK_IDENT)
        return false;
    if (p->depth == 0 || rel_mf_is(t, "const") || rel_mf_is(t, "let") || rel_mf_is(t, "var"))
        return true;
    const rel_mf_token *n1 = rel_mf_peek(p, 1), *n2 = rel_mf_peek(p, 2);
    if (n1->kind == REL_TK_EQ)
        return true;
    return n1->kind == REL_TK_DOT && n2->kind == REL_TK_IDENT && rel_mf_is_method(n2->text) &&
           rel_mf_peek(p, 3)->kind == REL_TK_LPAREN;
}

/* Skips the rest of a broken statement that began at token index start. */
static void rel_mf_recover(rel_mf_parser *p, size_t start)
{
    while (!rel_mf_full(p)) {
        const rel_mf_token *t = rel_mf_cur(p);
        if (t->kind == REL_TK_EOF)
            return;
        if (p->pos > start && rel_mf_at_statement_start(p))
            return;
        rel_mf_next(p);
        if (t->kind == REL_TK_SEMI)
            return;
    }
}

/* ---------------------------------------------------------------- interface */

rel_modelfile *rel_modelfile_parse(const char *text, size_t len, const char *filename)
{
    rel_arena *arena = rel_arena_new(0);
    rel_mf_token *toks = NULL;
    size_t ntoks = 0;
    rel_modelfile *mf = NULL;
    rel_mf_parser p = {0};
    locale_t c_locale = (locale_t)0, old_locale = (locale_t)0;

    if (!arena)
        return NULL;
    mf = rel_arena_calloc(arena, 1, sizeof *mf);
    if (!mf)
        goto fail;
    mf->arena_ = arena;
    if (filename && !(mf->filename = rel_arena_strdup(arena, filename)))
        goto fail;
    if (!text)
        len = 0;

    /* strtod and printf follow LC_NUMERIC; a program using a comma locale must not
     * change how "1.5" reads.  uselocale affects only this thread. */
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_locale)
        goto fail;
    old_locale = uselocale(c_locale);

    if (!rel_mf_lex(text ? text : "", len, arena, &toks, &ntoks))
        goto fail;

    p.arena = arena;
    p.mf = mf;
    p.toks = toks;
    p.ntoks = ntoks;
    p.in_prologue = true;
    while (rel_mf_cur(&p)->kind != REL_TK_EOF && !rel_mf_full(&p)) {
        size_t start = p.pos;
        p.depth = 0;
        if (!rel_mf_statement(&p))
            rel_mf_recover(&p, start);
    }
    if (p.oom)
        goto fail;

    uselocale(old_locale);
    freelocale(c_locale);
    free(toks);
    return mf;

fail:
    if (c_locale) {
        uselocale(old_locale);
        freelocale(c_locale);
    }
    free(toks);
    rel_arena_free(arena);
    return NULL;
}

void rel_modelfile_free(rel_modelfile *mf)
{
    if (mf)
        rel_arena_free(mf->arena_);
}

const rel_js *rel_js_get(const rel_js *obj, const char *key)
{
    if (!obj || obj->kind != REL_JS_OBJECT || !key)
        return NULL;
    for (size_t i = obj->n; i-- > 0;)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}
