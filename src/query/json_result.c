/* Rows as JSON, exactly as JSON.stringify(instance.toJSON()) prints them in
 * Sequelize: attribute keys (in the row's order), then a belongsToMany row's
 * junction row under the junction model's name, then included associations
 * in include order. Per-type values follow SEMANTICS.md's table. */
#include "query/record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/json_text.h"
#include "util/datetime.h"
#include "util/error.h"
#include "util/json_write.h"

/* Flush the streaming writer's buffer once it holds this much. */
#define REL_JSON_CHUNK ((size_t)64 * 1024)

static bool write_blob(rel_buf *b, const unsigned char *p, size_t n)
{
    rel_buf_puts(b, "{\"type\":\"Buffer\",\"data\":[");
    for (size_t i = 0; i < n; i++) {
        char tmp[5];
        int k = 0;
        unsigned v = p[i];
        if (i)
            tmp[k++] = ',';
        if (v >= 100)
            tmp[k++] = (char)('0' + v / 100);
        if (v >= 10)
            tmp[k++] = (char)('0' + v / 10 % 10);
        tmp[k++] = (char)('0' + v % 10);
        rel_buf_put(b, tmp, (size_t)k);
    }
    return rel_buf_puts(b, "]}");
}

static bool write_value(rel_buf *b, rel_type t, rel_value v, bool bigint_as_string)
{
    switch (v.kind) {
    case REL_V_NULL:
        return rel_buf_puts(b, "null");
    case REL_V_INT:
        if (t == REL_BOOLEAN)
            return rel_buf_puts(b, v.i ? "true" : "false");
        if (t == REL_DATE) {
            char iso[32];
            rel_datetime_iso(v.i, iso);
            rel_buf_putc(b, '"');
            rel_buf_puts(b, iso);
            return rel_buf_putc(b, '"');
        }
        if (t == REL_BIGINT && bigint_as_string) {
            /* PostgreSQL's driver hands Sequelize int8 as a string. */
            rel_buf_putc(b, '"');
            rel_json_int(b, v.i);
            return rel_buf_putc(b, '"');
        }
        return rel_json_int(b, v.i);
    case REL_V_DOUBLE:
        if (t == REL_BOOLEAN)
            return rel_buf_puts(b, v.d != 0 ? "true" : "false");
        return rel_json_double(b, v.d);
    case REL_V_TEXT:
        if (t == REL_JSON) {
            rel_json_text_status st = rel_json_text_emit(b, v.s, v.len);
            if (st == REL_JSON_TEXT_OK)
                return true;
            if (st == REL_JSON_TEXT_NOMEM)
                return false;
            /* Not JSON (written behind relate's back): keep it as a string. */
        }
        return rel_json_string(b, v.s, v.len);
    case REL_V_BLOB:
        return write_blob(b, (const unsigned char *)v.s, v.len);
    }
    return rel_buf_puts(b, "null");
}

static bool is_to_one(const rel_assoc *a)
{
    return a->kind == REL_BELONGS_TO || a->kind == REL_HAS_ONE;
}

/* ------------------------------------------------------------ fast path
 * A result of many rows writes the same keys and many equal dates over and
 * over: keys are escaped once per model (`"name":` pieces), the last date
 * written is remembered, and scalar values go straight into the buffer after
 * one reserve instead of a call per byte. The output is byte for byte what
 * write_value and rel_json_string give. */

#define REL_JSON_MODELS 8 /* models whose keys are kept per writer */
#define REL_JSON_NAMES 16 /* association and junction names kept per writer */

typedef struct json_keys {
    const rel_model *m;
    char *text;   /* every `"name":` of m, back to back */
    size_t *off;  /* m->nattrs + 1 offsets into text */
} json_keys;

typedef struct json_ctx {
    rel_buf *b;
    bool bigint_as_string;
    json_keys keys[REL_JSON_MODELS];
    size_t nkeys;
    struct {
        const char *name; /* by address: names live in the frozen schema */
        char *text;       /* `"name":` */
        size_t len;
    } names[REL_JSON_NAMES];
    size_t nnames;
    bool have_date;
    int64_t date_ms;   /* the last date written, and its text with quotes */
    char date[34];
    size_t date_len;
} json_ctx;

static void ctx_init(json_ctx *c, rel_buf *b, bool bigint_as_string)
{
    memset(c, 0, sizeof *c);
    c->b = b;
    c->bigint_as_string = bigint_as_string;
}

static void ctx_free(json_ctx *c)
{
    for (size_t i = 0; i < c->nkeys; i++) {
        free(c->keys[i].text);
        free(c->keys[i].off);
    }
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i].text);
}

/* The escaped keys of m, made on first use; NULL (the slow path) when the
 * table is full or out of memory. */
static const json_keys *keys_for(json_ctx *c, const rel_model *m)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (c->keys[i].m == m)
            return &c->keys[i];
    if (c->nkeys == REL_JSON_MODELS)
        return NULL;
    rel_buf t;
    rel_buf_init(&t);
    size_t *off = malloc((m->nattrs + 1) * sizeof *off);
    for (size_t i = 0; off && i < m->nattrs; i++) {
        off[i] = t.len;
        rel_json_string(&t, m->attrs[i].a.name, strlen(m->attrs[i].a.name));
        rel_buf_putc(&t, ':');
    }
    if (!off || t.oom) {
        free(off);
        rel_buf_free(&t);
        return NULL;
    }
    off[m->nattrs] = t.len;
    json_keys *k = &c->keys[c->nkeys++];
    k->m = m;
    k->off = off;
    k->text = rel_buf_take(&t);
    if (!k->text) { /* nothing was appended: a model without attributes */
        k->text = calloc(1, 1);
        if (!k->text) {
            free(off);
            c->nkeys--;
            return NULL;
        }
    }
    return k;
}

/* Room for n more bytes at the end of b, or NULL (out of memory, b->oom set). */
static inline char *room(rel_buf *b, size_t n)
{
    if (b->oom)
        return NULL;
    if (b->cap - b->len <= n && !rel_buf_reserve(b, n))
        return NULL;
    return b->data + b->len;
}

/* Ends a direct write at p, keeping the buffer NUL-terminated. */
static inline void commit(rel_buf *b, char *p)
{
    b->len = (size_t)(p - b->data);
    *p = '\0';
}

static inline char *put_lit(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static inline void put_char(rel_buf *b, char ch)
{
    char *p = room(b, 1);
    if (p) {
        *p++ = ch;
        commit(b, p);
    }
}

/* ',' when needed, then `"name":` for an association or junction name. */
static void put_name(json_ctx *c, const char *name, bool comma)
{
    rel_buf *b = c->b;
    size_t i = 0;
    while (i < c->nnames && c->names[i].name != name)
        i++;
    if (i == c->nnames && i < REL_JSON_NAMES) {
        rel_buf t;
        rel_buf_init(&t);
        rel_json_string(&t, name, strlen(name));
        rel_buf_putc(&t, ':');
        size_t len = t.len;
        char *text = rel_buf_take(&t);
        if (text) {
            c->names[i].name = name;
            c->names[i].text = text;
            c->names[i].len = len;
            c->nnames++;
        }
    }
    if (i == c->nnames) { /* not kept: written as it is */
        if (comma)
            rel_buf_putc(b, ',');
        rel_json_string(b, name, strlen(name));
        rel_buf_putc(b, ':');
        return;
    }
    char *p = room(b, c->names[i].len + 1);
    if (!p)
        return;
    if (comma)
        *p++ = ',';
    commit(b, put_lit(p, c->names[i].text, c->names[i].len));
}

/* v in decimal (as rel_json_int). */
static inline char *put_int(char *p, int64_t v)
{
    char tmp[24], *q = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--q = '-';
    return put_lit(p, q, (size_t)(tmp + sizeof tmp - q));
}

/* A quoted ISO date (as write_value); the last one is remembered. */
static inline char *put_date(json_ctx *c, char *p, int64_t ms)
{
    if (!c->have_date || c->date_ms != ms) {
        c->date[0] = '"';
        rel_datetime_iso(ms, c->date + 1);
        c->date_len = strlen(c->date);
        c->date[c->date_len++] = '"';
        c->date_ms = ms;
        c->have_date = true;
    }
    return put_lit(p, c->date, c->date_len);
}

/* Whether text needs nothing but quotes: printable ASCII without " and \. */
static inline bool plain_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch >= 0x80 || ch == '"' || ch == '\\')
            return false;
    }
    return true;
}

/* Longest text of a scalar written directly: a quoted date (up to 32 with
 * expanded years), a quoted int64, "false". */
#define REL_JSON_SCALAR_MAX 40

/* ',' when needed, the key and the value of attribute i. */
static void write_attr(json_ctx *c, const rel_record *r, const json_keys *k, size_t i,
                       bool comma)
{
    rel_buf *b = c->b;
    const rel_attr_def *a = &r->model->attrs[i];
    const char *key = NULL;
    size_t klen = 0;
    if (k) {
        key = k->text + k->off[i];
        klen = k->off[i + 1] - k->off[i];
    }
    rel_value v = rel_record_at(r, i);
    bool direct = v.kind == REL_V_NULL || v.kind == REL_V_INT ||
                  (v.kind == REL_V_TEXT && a->a.type != REL_JSON && v.len < 4096 &&
                   plain_text(v.s, v.len));
    if (!key || !direct) {
        if (comma)
            rel_buf_putc(b, ',');
        rel_json_string(b, a->a.name, strlen(a->a.name));
        rel_buf_putc(b, ':');
        write_value(b, a->a.type, v, c->bigint_as_string);
        return;
    }
    size_t need = 1 + klen + (v.kind == REL_V_TEXT ? v.len + 2 : REL_JSON_SCALAR_MAX);
    char *p = room(b, need);
    if (!p)
        return;
    if (comma)
        *p++ = ',';
    p = put_lit(p, key, klen);
    switch (v.kind) {
    case REL_V_NULL:
        p = put_lit(p, "null", 4);
        break;
    case REL_V_INT:
        if (a->a.type == REL_BOOLEAN)
            p = v.i ? put_lit(p, "true", 4) : put_lit(p, "false", 5);
        else if (a->a.type == REL_DATE)
            p = put_date(c, p, v.i);
        else if (a->a.type == REL_BIGINT && c->bigint_as_string) {
            *p++ = '"';
            p = put_int(p, v.i);
            *p++ = '"';
        } else
            p = put_int(p, v.i);
        break;
    default: /* plain text */
        *p++ = '"';
        p = put_lit(p, v.s, v.len);
        *p++ = '"';
        break;
    }
    commit(b, p);
}

static void write_record(json_ctx *c, const rel_record *r)
{
    rel_buf *b = c->b;
    const rel_model *m = r->model;
    const json_keys *k = keys_for(c, m);
    bool first = true;
    put_char(b, '{');
    size_t n = r->order ? r->norder : m->nattrs;
    for (size_t j = 0; j < n; j++) {
        size_t i = r->order ? (size_t)r->order[j] : j;
        if (!rel_record_has(r, i))
            continue;
        write_attr(c, r, k, i, !first);
        first = false;
    }
    /* Sequelize sets the junction row before the target's own includes,
     * except when the include named its attributes: then the row's keys are
     * set as listed, then the includes, the junction (a pseudo include
     * appended to them) last. */
    bool through_last = r->order != NULL;
    if (r->through && !through_last) {
        put_name(c, r->through->model->name, !first);
        first = false;
        write_record(c, r->through);
    }
    for (size_t s = 0; s < r->nincl; s++) {
        const rel_incl_slot *slot = &r->incl[s];
        if (!slot->loaded || !slot->assoc)
            continue;
        put_name(c, slot->assoc->name, !first);
        first = false;
        if (is_to_one(slot->assoc)) {
            if (slot->n && slot->rows[0])
                write_record(c, slot->rows[0]);
            else
                rel_buf_puts(b, "null");
            continue;
        }
        put_char(b, '[');
        for (size_t i = 0; i < slot->n; i++) {
            if (i)
                put_char(b, ',');
            write_record(c, slot->rows[i]);
        }
        put_char(b, ']');
    }
    if (r->through && through_last) {
        put_name(c, r->through->model->name, !first);
        write_record(c, r->through);
    }
    put_char(b, '}');
}

bool rel_record_json_write(rel_buf *b, const rel_record *r, bool bigint_as_string)
{
    json_ctx c;
    ctx_init(&c, b, bigint_as_string);
    write_record(&c, r);
    ctx_free(&c);
    return !b->oom;
}

char *rel_record_json(const rel_record *r)
{
    if (!r)
        return NULL;
    rel_buf b;
    rel_buf_init(&b);
    rel_record_json_write(&b, r, r->bigint_as_string);
    return rel_buf_take(&b);
}

char *rel_result_json(const rel_result *res)
{
    if (!res)
        return NULL;
    rel_buf b;
    json_ctx c;
    rel_buf_init(&b);
    ctx_init(&c, &b, res->json_bigint_as_string);
    rel_buf_putc(&b, '[');
    for (size_t i = 0; i < res->n; i++) {
        if (i)
            rel_buf_putc(&b, ',');
        write_record(&c, res->rows[i]);
    }
    rel_buf_putc(&b, ']');
    ctx_free(&c);
    return rel_buf_take(&b);
}

rel_status rel_result_write_json(const rel_result *res, rel_write_fn write, void *user,
                                 rel_error *err)
{
    if (!res || !write)
        return rel_err(err, REL_MISUSE, "rel_result_write_json: NULL result or writer");
    rel_status st = REL_OK;
    rel_buf b;
    json_ctx c;
    rel_buf_init(&b);
    ctx_init(&c, &b, res->json_bigint_as_string);
    rel_buf_putc(&b, '[');
    for (size_t i = 0; i <= res->n; i++) {
        if (i == res->n)
            rel_buf_putc(&b, ']');
        else {
            if (i)
                rel_buf_putc(&b, ',');
            write_record(&c, res->rows[i]);
        }
        if (b.oom) {
            st = rel_err_nomem(err);
            goto done;
        }
        if (b.len >= REL_JSON_CHUNK || i == res->n) {
            if (!write(user, b.data, b.len)) {
                st = rel_err(err, REL_ERROR, "the JSON writer stopped");
                goto done;
            }
            rel_buf_reset(&b);
        }
    }
done:
    ctx_free(&c);
    rel_buf_free(&b);
    return st;
}
