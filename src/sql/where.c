/* Where JSON -> SQL condition with bound parameters: see where.h. */
#include "sql/where.h"

#include <stdio.h>
#include <string.h>

#include "query/record.h"
#include "util/error.h"
#include "util/json_read.h"

/* Deeper nesting than this is refused (a malicious --where must not blow the stack). */
#define REL_WHERE_MAX_DEPTH 64

typedef struct wctx {
    rel_sql *q;
    const rel_model *m;
    const char *alias;
    rel_error *err;
    rel_buf scratch; /* coercion output, copied into q right away */
    int depth;
} wctx;

/* ---------------------------------------------------------------- text helpers */

static size_t text_len(wctx *c)
{
    return c->q->text.len;
}

static void truncate_text(wctx *c, size_t len)
{
    c->q->text.len = len;
    if (c->q->text.data)
        c->q->text.data[len] = '\0';
}

/* A group of terms joined by AND / OR: "(a AND b)", just "a" for one term,
 * nothing at all for none. */
typedef struct group {
    size_t start, before_term;
    size_t count;
    const char *joiner;
} group;

static void g_begin(wctx *c, group *g, const char *joiner)
{
    g->start = text_len(c);
    g->count = 0;
    g->joiner = joiner;
    rel_sql_raw(c->q, "(");
}

static void g_term(wctx *c, group *g)
{
    g->before_term = text_len(c);
    if (g->count)
        rel_sql_raw(c->q, g->joiner);
}

static void g_term_done(wctx *c, group *g, bool wrote)
{
    if (wrote)
        g->count++;
    else
        truncate_text(c, g->before_term);
}

static bool g_end(wctx *c, group *g)
{
    if (g->count == 0) {
        truncate_text(c, g->start);
        return false;
    }
    if (g->count == 1 && !c->q->text.oom) {
        /* One term needs no parentheses: drop the "(". */
        char *p = c->q->text.data + g->start;
        memmove(p, p + 1, text_len(c) - g->start - 1);
        truncate_text(c, text_len(c) - 1);
        return true;
    }
    rel_sql_raw(c->q, ")");
    return true;
}

/* ---------------------------------------------------------------- values */

bool rel_json_to_value(const json_t *j, rel_value *out)
{
    rel_value v = rel_null();
    switch (json_typeof(j)) {
    case JSON_STRING:
        v.kind = REL_V_TEXT;
        v.s = json_string_value(j);
        v.len = json_string_length(j);
        break;
    case JSON_INTEGER:
        v = rel_int((int64_t)json_integer_value(j));
        break;
    case JSON_REAL:
        v.kind = REL_V_DOUBLE;
        v.d = json_real_value(j);
        break;
    case JSON_TRUE: v = rel_int(1); break;
    case JSON_FALSE: v = rel_int(0); break;
    case JSON_NULL: break;
    default: return false;
    }
    *out = v;
    return true;
}

void rel_sql_param_copy(rel_sql *q, rel_type type, rel_value v)
{
    if ((v.kind == REL_V_TEXT || v.kind == REL_V_BLOB) && v.s) {
        if (!q->arena)
            q->arena = rel_arena_new(0);
        char *copy = q->arena ? rel_arena_alloc(q->arena, v.len + 1) : NULL;
        if (!copy) {
            q->oom = true;
            return;
        }
        memcpy(copy, v.s, v.len);
        copy[v.len] = '\0';
        v.s = copy;
    }
    rel_sql_param(q, type, v);
}

/* The attribute's canonical value for a JSON scalar, or REL_INVALID naming it. */
static rel_status value_for(wctx *c, const rel_attr_def *a, const json_t *j, rel_value *out)
{
    rel_value in;
    if (!rel_json_to_value(j, &in))
        return rel_err(c->err, REL_INVALID, "where: %s.%s takes a value here, not %s",
                       c->m->name, a->a.name, json_is_array(j) ? "an array" : "an object");
    rel_buf_reset(&c->scratch);
    rel_status st = rel_value_coerce(a, in, out, &c->scratch, c->err);
    if (st == REL_INVALID)
        rel_error_prefix(c->err, "where: ", c->m->name);
    return st;
}

static void column(wctx *c, const rel_attr_def *a)
{
    rel_sql_column(c->q, c->alias, a->a.field);
}

/* ---------------------------------------------------------------- operators */

static rel_status w_attr(wctx *c, const rel_attr_def *a, const json_t *v, bool *wrote);
static rel_status w_pair(wctx *c, const char *key, const json_t *v, bool *wrote);

/* "col <op> ?" for one value. */
static rel_status compare(wctx *c, const rel_attr_def *a, const char *op, const json_t *v,
                          bool *wrote)
{
    rel_value val;
    rel_status st = value_for(c, a, v, &val);
    if (st != REL_OK)
        return st;
    column(c, a);
    rel_sql_raw(c->q, op);
    rel_sql_param_copy(c->q, a->a.type, val);
    *wrote = true;
    return REL_OK;
}

static rel_status null_test(wctx *c, const rel_attr_def *a, bool negate, bool *wrote)
{
    column(c, a);
    rel_sql_raw(c->q, negate ? " IS NOT NULL" : " IS NULL");
    *wrote = true;
    return REL_OK;
}

static rel_status membership(wctx *c, const rel_attr_def *a, const char *op, const json_t *v,
                             bool negate, bool *wrote)
{
    if (!json_is_array(v))
        return rel_err(c->err, REL_INVALID, "where: %s on %s.%s takes an array", op,
                       c->m->name, a->a.name);
    size_t n = json_array_size(v);
    if (n == 0 && negate)
        return REL_OK; /* notIn [] excludes nothing (Sequelize omits it) */
    rel_value stack[16];
    rel_value *vals = n <= 16 ? stack : malloc(n * sizeof *vals);
    rel_arena *tmp = NULL;
    rel_status st = REL_OK;
    size_t k = 0;
    bool has_null = false;
    if (!vals)
        return rel_err_nomem(c->err);
    for (size_t i = 0; i < n; i++) {
        rel_value val;
        st = value_for(c, a, json_array_get(v, i), &val);
        if (st != REL_OK)
            goto done;
        if (val.kind == REL_V_NULL) {
            has_null = true; /* never equal to anything */
            continue;
        }
        if ((val.kind == REL_V_TEXT || val.kind == REL_V_BLOB) && val.s == c->scratch.data) {
            if (!tmp && !(tmp = rel_arena_new(0))) {
                st = rel_err_nomem(c->err);
                goto done;
            }
            val.s = rel_arena_memdup(tmp, val.s, val.len + 1);
            if (!val.s) {
                st = rel_err_nomem(c->err);
                goto done;
            }
        }
        vals[k++] = val;
    }
    /* As Sequelize's x IN (...) / x NOT IN (...), NULL included: three-valued,
     * so that a NOT around it keeps out what it keeps out. in [] is
     * x IN (NULL), never true and never false. */
    if (negate)
        rel_sql_raw(c->q, "NOT (");
    if (k == 0) {
        column(c, a);
        rel_sql_raw(c->q, " IN (NULL)");
    } else {
        if (has_null)
            rel_sql_raw(c->q, "(");
        column(c, a);
        rel_sql_in_values(c->q, a->a.type, vals, k);
        if (has_null)
            rel_sql_raw(c->q, " OR NULL)");
    }
    if (negate)
        rel_sql_raw(c->q, ")");
    *wrote = true;
done:
    if (vals != stack)
        free(vals);
    rel_arena_free(tmp);
    return st;
}

static rel_status between(wctx *c, const rel_attr_def *a, const char *op, const json_t *v,
                          bool negate, bool *wrote)
{
    if (!json_is_array(v) || json_array_size(v) != 2)
        return rel_err(c->err, REL_INVALID, "where: %s on %s.%s takes an array of two values",
                       op, c->m->name, a->a.name);
    rel_value lo, hi;
    rel_status st = value_for(c, a, json_array_get(v, 0), &lo);
    if (st != REL_OK)
        return st;
    column(c, a);
    rel_sql_raw(c->q, negate ? " NOT BETWEEN " : " BETWEEN ");
    rel_sql_param_copy(c->q, a->a.type, lo);
    st = value_for(c, a, json_array_get(v, 1), &hi);
    if (st != REL_OK)
        return st;
    rel_sql_raw(c->q, " AND ");
    rel_sql_param_copy(c->q, a->a.type, hi);
    *wrote = true;
    return REL_OK;
}

static rel_status like(wctx *c, const rel_attr_def *a, const char *op, const json_t *v,
                       bool negate, bool *wrote)
{
    if (!json_is_string(v))
        return rel_err(c->err, REL_INVALID, "where: %s on %s.%s takes a string pattern", op,
                       c->m->name, a->a.name);
    column(c, a);
    rel_sql_raw(c->q, negate ? " NOT LIKE " : " LIKE ");
    rel_value p = {REL_V_TEXT, 0, 0, json_string_value(v), json_string_length(v)};
    rel_sql_param_copy(c->q, REL_STRING, p);
    /* Backslash escapes % and _ on PostgreSQL by default; SQLite has no
     * escape character unless told (its LIKE is made case-sensitive like
     * PostgreSQL's when the connection opens). */
    if (strcmp(c->q->d->name, "sqlite") == 0)
        rel_sql_raw(c->q, " ESCAPE '\\'");
    *wrote = true;
    return REL_OK;
}

/* `is`: null, true or false; `not` with those: the negation. */
static rel_status is_test(wctx *c, const rel_attr_def *a, const char *op, const json_t *v,
                          bool negate, bool *wrote)
{
    if (json_is_null(v))
        return null_test(c, a, negate, wrote);
    if (!json_is_boolean(v))
        return rel_err(c->err, REL_INVALID, "where: %s on %s.%s takes null, true or false", op,
                       c->m->name, a->a.name);
    column(c, a);
    rel_sql_raw(c->q, negate ? " IS NOT " : " IS ");
    rel_sql_raw(c->q, json_is_true(v) ? "TRUE" : "FALSE");
    *wrote = true;
    return REL_OK;
}

/* Terms of an and/or over one attribute: an array of values, or an object of operators. */
static rel_status attr_logic(wctx *c, const rel_attr_def *a, const json_t *v,
                             const char *joiner, bool *wrote)
{
    group g;
    rel_status st = REL_OK;
    g_begin(c, &g, joiner);
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            bool w = false;
            g_term(c, &g);
            st = w_attr(c, a, item, &w);
            if (st != REL_OK)
                return st;
            g_term_done(c, &g, w);
        }
    } else if (json_is_object(v)) {
        const char *op;
        json_t *val;
        json_object_foreach((json_t *)v, op, val) {
            bool w = false;
            json_t *one = json_pack("{sO}", op, val);
            if (!one)
                return rel_err_nomem(c->err);
            g_term(c, &g);
            st = w_attr(c, a, one, &w);
            json_decref(one);
            if (st != REL_OK)
                return st;
            g_term_done(c, &g, w);
        }
    } else {
        return rel_err(c->err, REL_INVALID, "where: %s on %s.%s takes an array or an object",
                       joiner[1] == 'A' ? "and" : "or", c->m->name, a->a.name);
    }
    *wrote = g_end(c, &g);
    return REL_OK;
}

static rel_status w_op(wctx *c, const rel_attr_def *a, const char *op, const json_t *v,
                       bool *wrote)
{
    if (strcmp(op, "eq") == 0)
        return json_is_null(v) ? null_test(c, a, false, wrote) : compare(c, a, " = ", v, wrote);
    if (strcmp(op, "ne") == 0)
        return json_is_null(v) ? null_test(c, a, true, wrote) : compare(c, a, " != ", v, wrote);
    if (strcmp(op, "gt") == 0)
        return compare(c, a, " > ", v, wrote);
    if (strcmp(op, "gte") == 0)
        return compare(c, a, " >= ", v, wrote);
    if (strcmp(op, "lt") == 0)
        return compare(c, a, " < ", v, wrote);
    if (strcmp(op, "lte") == 0)
        return compare(c, a, " <= ", v, wrote);
    if (strcmp(op, "in") == 0)
        return membership(c, a, op, v, false, wrote);
    if (strcmp(op, "notIn") == 0)
        return membership(c, a, op, v, true, wrote);
    if (strcmp(op, "like") == 0)
        return like(c, a, op, v, false, wrote);
    if (strcmp(op, "notLike") == 0)
        return like(c, a, op, v, true, wrote);
    if (strcmp(op, "between") == 0)
        return between(c, a, op, v, false, wrote);
    if (strcmp(op, "notBetween") == 0)
        return between(c, a, op, v, true, wrote);
    if (strcmp(op, "is") == 0)
        return is_test(c, a, op, v, false, wrote);
    if (strcmp(op, "and") == 0)
        return attr_logic(c, a, v, " AND ", wrote);
    if (strcmp(op, "or") == 0)
        return attr_logic(c, a, v, " OR ", wrote);
    if (strcmp(op, "not") == 0) {
        /* Sequelize: IS NOT for null/booleans, != for a value, NOT IN for a list. */
        if (json_is_null(v) || json_is_boolean(v))
            return is_test(c, a, op, v, true, wrote);
        if (json_is_array(v))
            return membership(c, a, op, v, true, wrote);
        if (json_is_object(v)) {
            size_t start = text_len(c);
            rel_sql_raw(c->q, "NOT (");
            bool w = false;
            rel_status st = w_attr(c, a, v, &w);
            if (st != REL_OK)
                return st;
            if (!w) {
                truncate_text(c, start);
                return REL_OK;
            }
            rel_sql_raw(c->q, ")");
            *wrote = true;
            return REL_OK;
        }
        return compare(c, a, " != ", v, wrote);
    }
    return rel_err(c->err, REL_INVALID,
                   "where: unknown operator '%s' on %s.%s (use eq, ne, gt, gte, lt, lte, in, "
                   "notIn, like, notLike, between, notBetween, is, not, and, or)",
                   op, c->m->name, a->a.name);
}

/* The condition on one attribute: a value, null, a list, or operators. */
static rel_status w_attr(wctx *c, const rel_attr_def *a, const json_t *v, bool *wrote)
{
    if (++c->depth > REL_WHERE_MAX_DEPTH)
        return rel_err(c->err, REL_INVALID, "where: nested too deeply");
    rel_status st = REL_OK;
    if (json_is_null(v)) {
        st = null_test(c, a, false, wrote);
    } else if (json_is_array(v)) {
        st = membership(c, a, "in", v, false, wrote);
    } else if (json_is_object(v)) {
        group g;
        const char *op;
        json_t *val;
        g_begin(c, &g, " AND ");
        json_object_foreach((json_t *)v, op, val) {
            bool w = false;
            g_term(c, &g);
            st = w_op(c, a, op, val, &w);
            if (st != REL_OK)
                break;
            g_term_done(c, &g, w);
        }
        if (st == REL_OK)
            *wrote = g_end(c, &g);
    } else {
        st = compare(c, a, " = ", v, wrote);
    }
    c->depth--;
    return st;
}

/* ---------------------------------------------------------------- logic */

/* All pairs of an object, joined by joiner. */
static rel_status w_pairs(wctx *c, const json_t *obj, const char *joiner, bool *wrote)
{
    group g;
    const char *key;
    json_t *val;
    g_begin(c, &g, joiner);
    json_object_foreach((json_t *)obj, key, val) {
        bool w = false;
        g_term(c, &g);
        rel_status st = w_pair(c, key, val, &w);
        if (st != REL_OK)
            return st;
        g_term_done(c, &g, w);
    }
    *wrote = g_end(c, &g);
    return REL_OK;
}

/* All pairs of a where object, ANDed. */
static rel_status w_object(wctx *c, const json_t *obj, bool *wrote)
{
    if (!json_is_object(obj))
        return rel_err(c->err, REL_INVALID, "where: expected an object of conditions on %s",
                       c->m->name);
    return w_pairs(c, obj, " AND ", wrote);
}

/* and/or: an array of where objects, or an object whose pairs are the terms. */
static rel_status w_logic(wctx *c, const char *name, const json_t *v, const char *joiner,
                          bool *wrote)
{
    if (json_is_object(v))
        return w_pairs(c, v, joiner, wrote);
    if (!json_is_array(v))
        return rel_err(c->err, REL_INVALID, "where: '%s' takes an array or an object", name);
    group g;
    size_t i;
    json_t *item;
    g_begin(c, &g, joiner);
    json_array_foreach(v, i, item) {
        bool w = false;
        g_term(c, &g);
        rel_status st = w_object(c, item, &w);
        if (st != REL_OK)
            return st;
        g_term_done(c, &g, w);
    }
    *wrote = g_end(c, &g);
    return REL_OK;
}

static rel_status w_pair(wctx *c, const char *key, const json_t *v, bool *wrote)
{
    if (++c->depth > REL_WHERE_MAX_DEPTH)
        return rel_err(c->err, REL_INVALID, "where: nested too deeply");
    rel_status st;
    if (strcmp(key, "and") == 0) {
        st = w_logic(c, key, v, " AND ", wrote);
    } else if (strcmp(key, "or") == 0) {
        /* An or of nothing matches nothing (Sequelize: 0 = 1). */
        st = w_logic(c, key, v, " OR ", wrote);
        if (st == REL_OK && !*wrote) {
            rel_sql_raw(c->q, "0 = 1");
            *wrote = true;
        }
    } else if (strcmp(key, "not") == 0) {
        size_t start = text_len(c);
        bool w = false;
        rel_sql_raw(c->q, "NOT (");
        st = json_is_array(v) ? w_logic(c, key, v, " AND ", &w) : w_object(c, v, &w);
        if (st == REL_OK) {
            if (w) {
                rel_sql_raw(c->q, ")");
            } else {
                /* Not of no restriction matches nothing (Sequelize: 0 = 1). */
                truncate_text(c, start);
                rel_sql_raw(c->q, "0 = 1");
            }
            *wrote = true;
        }
    } else {
        int i = rel_model_attr_index(c->m, key);
        if (i < 0)
            st = rel_err(c->err, REL_INVALID, "where: %s has no attribute '%s'", c->m->name,
                         key);
        else
            st = w_attr(c, &c->m->attrs[i], v, wrote);
    }
    c->depth--;
    return st;
}

/* ---------------------------------------------------------------- entry points */

rel_status rel_where_parse(const char *json, json_t **out, rel_error *err)
{
    *out = NULL;
    if (!json || !*json)
        return REL_OK;
    return rel_json_load_clause("where", json, out, err);
}

rel_status rel_where_append_json(rel_sql *q, const rel_model *m, const char *alias,
                                 const json_t *where, const char *prefix, bool *wrote,
                                 rel_error *err)
{
    bool w = false;
    if (wrote)
        *wrote = false;
    if (!where || json_is_null(where))
        return REL_OK;
    if (!json_is_object(where))
        return rel_err(err, REL_INVALID, "where must be a JSON object, such as {\"name\":\"Ann\"}");

    wctx c = {q, m, alias, err, {0}, 0};
    rel_buf_init(&c.scratch);
    size_t start = q->text.len;
    size_t nparams = q->n;
    if (prefix)
        rel_sql_raw(q, prefix);
    rel_status st = w_object(&c, where, &w);
    rel_buf_free(&c.scratch);
    if (st == REL_OK && (q->oom || q->text.oom))
        st = rel_err_nomem(err);
    if (st != REL_OK || !w) {
        c.q->text.len = start;
        if (q->text.data)
            q->text.data[start] = '\0';
        /* Parameters bound by a failed compile are dropped with their text. */
        q->n = nparams;
        return st;
    }
    if (wrote)
        *wrote = true;
    return REL_OK;
}

rel_status rel_where_append(rel_sql *q, const rel_model *m, const char *alias,
                            const char *where, const char *prefix, bool *wrote,
                            rel_error *err)
{
    json_t *j = NULL;
    if (wrote)
        *wrote = false;
    rel_status st = rel_where_parse(where, &j, err);
    if (st != REL_OK)
        return st;
    st = rel_where_append_json(q, m, alias, j, prefix, wrote, err);
    json_decref(j);
    return st;
}
