/* The SQL statement builder: text from the dialect, values as parameters. */
#include "sql/sql.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "util/error.h"

void rel_sql_init(rel_sql *q, const rel_dialect *d)
{
    memset(q, 0, sizeof *q);
    q->d = d;
}

void rel_sql_reset(rel_sql *q)
{
    rel_buf_reset(&q->text);
    rel_buf_reset(&q->scratch);
    q->oom = false;
    q->invalid = false;
    q->fixed = NULL;
    rel_sql_clear_params(q);
}

void rel_sql_clear_params(rel_sql *q)
{
    q->n = 0;
    rel_arena_free(q->arena); /* what the parameters made */
    q->arena = NULL;
    q->date_cached = false;
}

void rel_sql_use_text(rel_sql *q, const char *text)
{
    q->fixed = text;
}

void rel_sql_free(rel_sql *q)
{
    if (!q)
        return;
    rel_buf_free(&q->text);
    rel_buf_free(&q->scratch);
    free(q->params);
    rel_arena_free(q->arena);
    q->params = NULL;
    q->arena = NULL;
    q->n = q->cap = 0;
    q->date_cached = false;
}

void rel_sql_raw(rel_sql *q, const char *text)
{
    if (!q->fixed)
        rel_buf_puts(&q->text, text);
}

void rel_sql_ident(rel_sql *q, const char *ident)
{
    if (!q->fixed)
        q->d->quote_ident(&q->text, ident);
}

void rel_sql_column(rel_sql *q, const char *alias, const char *column)
{
    if (q->fixed)
        return;
    if (alias) {
        q->d->quote_ident(&q->text, alias);
        rel_buf_putc(&q->text, '.');
    }
    q->d->quote_ident(&q->text, column);
}

/* Moves text that lives in scratch into the arena, where it stays until
   the next reset. */
static rel_value own(rel_sql *q, rel_value v)
{
    bool in_scratch = (v.kind == REL_V_TEXT || v.kind == REL_V_BLOB) && v.s &&
                      q->scratch.data && v.s >= q->scratch.data &&
                      v.s <= q->scratch.data + q->scratch.len;
    if (!in_scratch)
        return v;
    if (!q->arena && !(q->arena = rel_arena_new(0))) {
        q->oom = true;
        return rel_null();
    }
    char *copy = rel_arena_alloc(q->arena, v.len + 1);
    if (!copy) {
        q->oom = true;
        return rel_null();
    }
    memcpy(copy, v.s, v.len);
    copy[v.len] = '\0';
    v.s = copy;
    return v;
}

static void push(rel_sql *q, rel_value v)
{
    rel_value *p = rel_sql_bind_room(q, 1);
    if (p)
        *p = v;
}

rel_value rel_sql_convert(rel_sql *q, rel_type type, rel_value v)
{
    if (!rel_sql_converts(type))
        return v;
    bool date = type == REL_DATE && v.kind == REL_V_INT;
    if (date && q->date_cached && q->date_ms == v.i)
        return q->date_bound;
    rel_buf_reset(&q->scratch);
    rel_value bound = q->d->to_db(type, v, &q->scratch);
    if (q->scratch.oom)
        q->oom = true;
    bound = own(q, bound);
    if (date && !q->oom) {
        q->date_cached = true;
        q->date_ms = v.i;
        q->date_bound = bound;
    }
    return bound;
}

rel_value *rel_sql_bind_room(rel_sql *q, size_t n)
{
    if (q->oom)
        return NULL;
    if (n > q->cap - q->n) {
        size_t cap = q->cap ? q->cap : 8;
        while (cap - q->n < n) {
            if (cap > SIZE_MAX / 2 / sizeof *q->params) {
                q->oom = true;
                return NULL;
            }
            cap *= 2;
        }
        rel_value *p = realloc(q->params, cap * sizeof *p);
        if (!p) {
            q->oom = true;
            return NULL;
        }
        q->params = p;
        q->cap = cap;
    }
    q->n += n;
    return q->params + q->n - n;
}

void rel_sql_param(rel_sql *q, rel_type type, rel_value v)
{
    push(q, rel_sql_bound(q, type, v));
    /* The placeholder's number is the parameter's position even if push
       failed, so the text stays well formed; oom stops it from running. */
    if (!q->fixed)
        q->d->placeholder(&q->text, (int)(q->oom ? q->n + 1 : q->n));
}

void rel_sql_placeholder(rel_sql *q, int n)
{
    if (!q->fixed)
        q->d->placeholder(&q->text, n);
}

void rel_sql_bind(rel_sql *q, rel_type type, rel_value v)
{
    push(q, rel_sql_bound(q, type, v));
}

/* Binds n values as one array parameter; returns its placeholder number. */
static int push_array(rel_sql *q, rel_type type, const rel_value *vals, size_t n)
{
    rel_buf_reset(&q->scratch);
    rel_value arr = rel_null();
    if (q->d->array_param(&q->scratch, vals, n, type)) {
        arr.kind = REL_V_TEXT;
        arr.s = rel_buf_cstr(&q->scratch);
        arr.len = q->scratch.len;
    } else if (q->scratch.oom) {
        q->oom = true;
    } else {
        q->invalid = true;
    }
    push(q, own(q, arr));
    return (int)(q->oom ? q->n + 1 : q->n);
}

void rel_sql_in_values(rel_sql *q, rel_type type, const rel_value *vals, size_t n)
{
    int no = push_array(q, type, vals, n);
    if (!q->fixed)
        q->d->in_array(&q->text, no, type);
}

void rel_sql_array_position(rel_sql *q, rel_type type, const rel_value *vals, size_t n,
                            const char *alias, const char *column)
{
    int no = push_array(q, type, vals, n);
    if (q->fixed)
        return;
    q->d->array_position(&q->text, no, type);
    rel_sql_column(q, alias, column);
    rel_sql_raw(q, ")");
}

const char *rel_sql_text(rel_sql *q)
{
    if (q->fixed)
        return q->fixed;
    return rel_buf_cstr(&q->text);
}

static rel_status check(rel_db *db, rel_sql *q, rel_error *err)
{
    if (!db || !q)
        return rel_err(err, REL_MISUSE, "rel_sql_run needs a connection and a statement");
    if (q->oom || q->text.oom)
        return rel_err_nomem(err);
    if (q->invalid)
        return rel_err(err, REL_INVALID,
                       "a value in an IN list cannot be bound (blobs are not supported there "
                       "on %s)", q->d->name);
    return REL_OK;
}

rel_status rel_sql_run(rel_db *db, rel_sql *q, struct rel_stmt **out, rel_error *err)
{
    if (out)
        *out = NULL;
    rel_status st = check(db, q, err);
    if (st != REL_OK)
        return st;
    return rel_db_run(db, rel_sql_text(q), q->params, q->n, out, err);
}

rel_status rel_sql_run_held(rel_db *db, rel_sql *q, struct rel_stmt **out, rel_error *err)
{
    if (out)
        *out = NULL;
    rel_status st = check(db, q, err);
    if (st != REL_OK)
        return st;
    return rel_db_run_held(db, rel_sql_text(q), q->params, q->n, out, err);
}

rel_status rel_sql_rerun_held(struct rel_stmt *s, rel_sql *q, rel_error *err)
{
    rel_status st = check(s ? s->db : NULL, q, err);
    if (st != REL_OK)
        return st;
    return rel_stmt_rerun_held(s, q->params, q->n, err);
}

rel_status rel_sql_exec(rel_db *db, rel_sql *q, int64_t *changes, rel_error *err)
{
    if (changes)
        *changes = 0;
    rel_status st = check(db, q, err);
    if (st != REL_OK)
        return st;
    return rel_db_exec(db, rel_sql_text(q), q->params, q->n, changes, err);
}
