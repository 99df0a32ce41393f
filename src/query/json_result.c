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
#include "util/digits.h"
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

/* ------------------------------------------------------------ the writer
 * A result of many rows writes the same keys, and dates close to each other,
 * over and over: each model's keys are escaped once per writer (`,"name":`
 * pieces, padded so they copy as one fixed-size block), each date column
 * keeps the text of its last minute (so a date costs its seconds and
 * milliseconds), and scalars go straight into the buffer through a write
 * position that is checked against the buffer's end once per value, not per
 * byte. What needs more (doubles, blobs, JSON text, strings with escapes or
 * UTF-8) goes through write_value, which the output matches byte for byte. */

/* Keys up to this long (the comma included) are copied as one fixed block;
 * the key text is padded so that block never reads past it. */
#define REL_JSON_KEY_BLOCK 32
/* A quoted date is copied as one block of this many bytes (at most 34 used:
 * '"', "+275760-09-13T", "00:00:00.000Z", '"'). */
#define REL_JSON_DATE_BLOCK 48
/* Room, past the key, for any scalar written directly: a quoted date (block
 * copies of REL_JSON_MINUTE_TEXT then REL_JSON_DATE_BLOCK), a quoted int64
 * (a 20-byte copy), "false". */
#define REL_JSON_SCALAR_ROOM 56

/* The rare paths stay out of line so the per-value path stays small enough
 * to inline into the row loop. */
#if defined(__GNUC__)
#define REL_JSON_COLD __attribute__((noinline))
#define REL_JSON_HOT __attribute__((always_inline))
#else
#define REL_JSON_COLD
#define REL_JSON_HOT
#endif

/* '"', the longest date part, "hh:mm:", rounded up to a block copy. */
#define REL_JSON_MINUTE_TEXT 32

/* How an attribute's REL_V_INT value is written (as write_value does). */
typedef enum json_int_form {
    JSON_INT_NUMBER,
    JSON_INT_QUOTED, /* BIGINT read from PostgreSQL */
    JSON_INT_DATE,
    JSON_INT_BOOL
} json_int_form;

/* A DATE column's last minute: a column's dates tend to be close to the ones
 * in the rows around it, so most take this text and format only the seconds
 * and milliseconds. */
typedef struct json_minute {
    int64_t lo, hi;  /* the minute's ms: [lo, hi); lo == hi: none */
    int64_t day;     /* the day of `text`'s date part (valid when day_len) */
    size_t day_len;  /* bytes of '"' and the date part, "2026-01-02T" */
    size_t len;      /* bytes of text: those, then "03:04:" */
    char text[REL_JSON_MINUTE_TEXT];
} json_minute;

typedef struct json_field {
    size_t key;     /* offset of `,"name":` in the plan's text */
    size_t klen;    /* its length, the comma included */
    unsigned char int_form;
    bool json_text; /* REL_JSON: the text is re-emitted as JSON */
    json_minute minute; /* DATE columns */
} json_field;

/* A model's keys and value forms, made on its first row. */
typedef struct json_plan {
    const rel_model *m;
    char *text;       /* every `,"name":` back to back, then padding */
    json_field *f;    /* m->nattrs entries */
    /* The association or junction name last written in this model's rows
     * (rows of one model mostly carry the same one), and its piece. */
    const char *last_name;
    size_t last_piece; /* index in the writer's names */
} json_plan;

/* An association's or junction's `,"name":`, by the name's address (names
 * live in the frozen schema). */
typedef struct json_name {
    const char *name;
    char *text; /* padded as a plan's text */
    size_t len;
} json_name;

typedef struct json_ctx {
    rel_buf *b;
    /* Where the next byte goes in b->data, and the end of its room (the byte
     * for the NUL kept free); b->len lags behind p until ctx_sync. Once out
     * of memory (b->oom) both point at `none`, so there is no room. */
    char *p, *end;
    char none;
    bool bigint_as_string;
    json_plan **plans;   /* every plan made */
    size_t nplans, cap_plans;
    json_plan **by_index; /* by model index (position in the schema), to find
                             a row's plan without a search */
    size_t nby_index;
    json_name *names;
    size_t nnames, cap_names;
    /* The last date written, quoted, in a block copied whole (a row's
     * createdAt and updatedAt are often equal). */
    bool have_date;
    int64_t date_ms;
    size_t date_len;
    char date[REL_JSON_DATE_BLOCK];
} json_ctx;

/* Catches b->len up with the write position. */
static void ctx_sync(json_ctx *c)
{
    if (!c->b->oom) {
        c->b->len = (size_t)(c->p - c->b->data);
        *c->p = '\0';
    }
}

/* Takes the write position from b (after b was written through rel_buf). */
static void ctx_resume(json_ctx *c)
{
    rel_buf *b = c->b;
    if (!b->oom && !b->data)
        rel_buf_reserve(b, 0);
    if (b->oom) {
        c->p = c->end = &c->none;
        return;
    }
    c->p = b->data + b->len;
    c->end = b->data + b->cap - 1;
}

static void ctx_oom(json_ctx *c)
{
    ctx_sync(c);
    c->b->oom = true;
    ctx_resume(c);
}

static void ctx_init(json_ctx *c, rel_buf *b, bool bigint_as_string)
{
    memset(c, 0, sizeof *c);
    c->b = b;
    c->bigint_as_string = bigint_as_string;
    ctx_resume(c);
}

/* Syncs b and frees what the writer kept. */
static void ctx_done(json_ctx *c)
{
    ctx_sync(c);
    for (size_t i = 0; i < c->nplans; i++) {
        free(c->plans[i]->text);
        free(c->plans[i]->f);
        free(c->plans[i]);
    }
    free(c->plans);
    free(c->by_index);
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i].text);
    free(c->names);
}

REL_JSON_COLD static bool ctx_grow(json_ctx *c, size_t n)
{
    ctx_sync(c);
    bool ok = rel_buf_reserve(c->b, n);
    ctx_resume(c);
    return ok;
}

/* Room for n more bytes at c->p; false when out of memory. */
static inline bool ensure(json_ctx *c, size_t n)
{
    if ((size_t)(c->end - c->p) >= n)
        return true;
    return ctx_grow(c, n);
}

/* Appends name's `,"name":` piece to t. */
static void key_piece(rel_buf *t, const char *name)
{
    rel_buf_putc(t, ',');
    rel_json_string(t, name, strlen(name));
    rel_buf_putc(t, ':');
}

/* t's text with REL_JSON_KEY_BLOCK + 2 zero bytes after it, so a fixed block
 * copy from any piece in it (or from the byte after a piece's comma) stays
 * inside; NULL (t freed) when out of memory. */
static char *key_text_take(rel_buf *t)
{
    if (rel_buf_reserve(t, REL_JSON_KEY_BLOCK + 1))
        memset(t->data + t->len, 0, REL_JSON_KEY_BLOCK + 2);
    if (t->oom) {
        rel_buf_free(t);
        return NULL;
    }
    return t->data;
}

/* m's plan, made with its keys and value forms. */
REL_JSON_COLD static json_plan *plan_make(const rel_model *m, bool bigint_as_string)
{
    json_plan *k = malloc(sizeof *k);
    json_field *f = malloc((m->nattrs + 1) * sizeof *f);
    if (!k || !f)
        goto fail;
    rel_buf t;
    rel_buf_init(&t);
    for (size_t i = 0; i < m->nattrs; i++) {
        rel_type type = m->attrs[i].a.type;
        f[i].key = t.len;
        key_piece(&t, m->attrs[i].a.name);
        f[i].klen = t.len - f[i].key;
        f[i].int_form = type == REL_BOOLEAN ? JSON_INT_BOOL
                        : type == REL_DATE  ? JSON_INT_DATE
                        : type == REL_BIGINT && bigint_as_string ? JSON_INT_QUOTED
                                                                 : JSON_INT_NUMBER;
        f[i].json_text = type == REL_JSON;
        f[i].minute.lo = f[i].minute.hi = 0;
        f[i].minute.day_len = 0;
    }
    k->m = m;
    k->f = f;
    k->last_name = NULL;
    k->last_piece = 0;
    k->text = key_text_take(&t);
    if (!k->text)
        goto fail;
    return k;
fail:
    free(k);
    free(f);
    return NULL;
}

/* The plan for m, made on first use; NULL when out of memory. */
static json_plan *plan_for(json_ctx *c, const rel_model *m)
{
    if (m->index < c->nby_index && c->by_index[m->index] && c->by_index[m->index]->m == m)
        return c->by_index[m->index];
    json_plan *k = NULL;
    for (size_t i = 0; i < c->nplans && !k; i++)
        if (c->plans[i]->m == m)
            k = c->plans[i]; /* a model of another schema took its index */
    if (!k) {
        if (c->nplans == c->cap_plans) {
            size_t cap = c->cap_plans ? 2 * c->cap_plans : 4;
            json_plan **plans = realloc(c->plans, cap * sizeof *plans);
            if (!plans)
                return NULL;
            c->plans = plans;
            c->cap_plans = cap;
        }
        k = plan_make(m, c->bigint_as_string);
        if (!k)
            return NULL;
        c->plans[c->nplans++] = k;
    }
    if (m->index >= c->nby_index) {
        size_t n = m->index + 8;
        json_plan **by = realloc(c->by_index, n * sizeof *by);
        if (!by)
            return k; /* found the slow way next time too */
        memset(by + c->nby_index, 0, (n - c->nby_index) * sizeof *by);
        c->by_index = by;
        c->nby_index = n;
    }
    c->by_index[m->index] = k;
    return k;
}

/* The `,"name":` piece of an association or junction name; NULL when out of
 * memory. */
static const json_name *name_for(json_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nnames; i++)
        if (c->names[i].name == name)
            return &c->names[i];
    if (c->nnames == c->cap_names) {
        size_t cap = c->cap_names ? 2 * c->cap_names : 4;
        json_name *names = realloc(c->names, cap * sizeof *names);
        if (!names)
            return NULL;
        c->names = names;
        c->cap_names = cap;
    }
    rel_buf t;
    rel_buf_init(&t);
    key_piece(&t, name);
    size_t len = t.len;
    char *text = key_text_take(&t);
    if (!text)
        return NULL;
    json_name *k = &c->names[c->nnames++];
    k->name = name;
    k->text = text;
    k->len = len;
    return k;
}

/* A key piece at p, without its comma when first (0 or 1); returns the end.
 * The caller made room for max(len, REL_JSON_KEY_BLOCK) bytes. */
static inline char *put_key(char *p, const char *key, size_t len, size_t first)
{
    key += first;
    len -= first;
    if (len <= REL_JSON_KEY_BLOCK)
        memcpy(p, key, REL_JSON_KEY_BLOCK);
    else
        memcpy(p, key, len);
    return p + len;
}

/* ',' when needed, then `"name":`, then the byte open ('{', '[' or 0 for
 * none). False when out of memory. */
static bool put_name(json_ctx *c, json_plan *plan, const char *name, bool comma, char open)
{
    const json_name *k;
    if (plan->last_name == name) {
        k = &c->names[plan->last_piece];
    } else {
        k = name_for(c, name);
        if (!k) {
            ctx_oom(c);
            return false;
        }
        plan->last_name = name;
        plan->last_piece = (size_t)(k - c->names);
    }
    if (!ensure(c, k->len + REL_JSON_KEY_BLOCK + 1))
        return false;
    char *p = put_key(c->p, k->text, k->len, !comma);
    if (open)
        *p++ = open;
    c->p = p;
    return true;
}

static inline bool put_char(json_ctx *c, char ch)
{
    if (!ensure(c, 1))
        return false;
    *c->p++ = ch;
    return true;
}

/* Points m at ms's minute: formats its date part (unless the day is m's
 * already) and "hh:mm:". */
REL_JSON_COLD static void minute_set(json_minute *m, int64_t ms)
{
    int64_t day;
    int32_t tod;
    rel_datetime_split(ms, &day, &tod);
    if (!m->day_len || m->day != day) {
        m->text[0] = '"';
        m->day_len = 1 + rel_datetime_iso_day(day, m->text + 1);
        m->day = day;
    }
    char hhmmss[13];
    rel_datetime_iso_time(hhmmss, tod);
    memcpy(m->text + m->day_len, hhmmss, 6);
    m->len = m->day_len + 6;
    int32_t from = tod - tod % 60000;
    /* Days this far out would overflow lo and hi; such minutes are not kept. */
    if (day > -INT64_C(100000000000) && day < INT64_C(100000000000)) {
        m->lo = day * REL_MS_PER_DAY + from;
        m->hi = m->lo + 60000;
    } else {
        m->lo = m->hi = 0;
    }
}

/* The quoted ISO date ms at p, without the caches; returns the end. */
REL_JSON_COLD static char *put_date_far(char *p, int64_t ms)
{
    char iso[32];
    rel_datetime_iso(ms, iso);
    size_t n = strlen(iso);
    *p++ = '"';
    memcpy(p, iso, n);
    p[n] = '"';
    return p + n + 1;
}

/* The quoted ISO date ms (as write_value writes it) at p, for a column whose
 * last minute is m; returns the end. Needs REL_JSON_DATE_BLOCK bytes. */
static inline char *put_date(json_ctx *c, json_minute *m, char *p, int64_t ms)
{
    if (c->have_date && c->date_ms == ms) {
        memcpy(p, c->date, REL_JSON_DATE_BLOCK);
        return p + c->date_len;
    }
    if (!(ms >= m->lo && ms < m->hi)) {
        minute_set(m, ms);
        if (m->lo == m->hi)
            return put_date_far(p, ms);
    }
    uint32_t off = (uint32_t)(ms - m->lo); /* ms into the minute */
    memcpy(p, m->text, REL_JSON_MINUTE_TEXT);
    char *q = p + m->len;
    q = rel_put_2digits(q, off / 1000);
    *q++ = '.';
    unsigned milli = off % 1000;
    *q++ = (char)('0' + milli / 100);
    q = rel_put_2digits(q, milli % 100);
    *q++ = 'Z';
    *q++ = '"';
    memcpy(c->date, p, REL_JSON_DATE_BLOCK);
    c->date_len = (size_t)(q - p);
    c->date_ms = ms;
    c->have_date = true;
    return q;
}

/* Attribute i's value the general way, at c->p (which is past its key). */
REL_JSON_COLD static void write_attr_general(json_ctx *c, const rel_record *r, size_t i)
{
    ctx_sync(c);
    write_value(c->b, rel_rec_model(r)->attrs[i].a.type, rel_record_at(r, (int)i), c->bigint_as_string);
    ctx_resume(c);
}

/* ',' when needed, the key and the value of attribute i. */
REL_JSON_HOT static inline void write_attr(json_ctx *c, const rel_record *r, json_plan *k,
                                           size_t i, size_t first)
{
    json_field *f = &k->f[i];
    rel_value v = rel_record_at(r, (int)i);
    size_t need = f->klen + REL_JSON_KEY_BLOCK + REL_JSON_SCALAR_ROOM;
    if (v.kind == REL_V_TEXT)
        need += v.len;
    if (!ensure(c, need))
        return;
    char *p = put_key(c->p, k->text + f->key, f->klen, first);
    switch (v.kind) {
    case REL_V_NULL:
        memcpy(p, "null", 4);
        p += 4;
        break;
    case REL_V_INT:
        switch (f->int_form) {
        case JSON_INT_BOOL:
            if (v.i) {
                memcpy(p, "true", 4);
                p += 4;
            } else {
                memcpy(p, "false", 5);
                p += 5;
            }
            break;
        case JSON_INT_DATE:
            p = put_date(c, &f->minute, p, v.i);
            break;
        case JSON_INT_QUOTED:
            *p++ = '"';
            p = rel_put_int(p, v.i);
            *p++ = '"';
            break;
        default:
            p = rel_put_int(p, v.i);
            break;
        }
        break;
    case REL_V_TEXT:
        if (!f->json_text && rel_json_copy_plain(p + 1, v.s, v.len)) {
            *p = '"';
            p += v.len + 1;
            *p++ = '"';
            break;
        }
        goto general; /* escapes, UTF-8 or JSON text */
    default:
    general:
        c->p = p;
        write_attr_general(c, r, i);
        return;
    }
    c->p = p;
}

static void write_record(json_ctx *c, const rel_record *r)
{
    const rel_model *m = rel_rec_model(r);
    json_plan *k = plan_for(c, m);
    if (!k) {
        ctx_oom(c);
        return;
    }
    if (!put_char(c, '{'))
        return;
    size_t first = 1; /* the next key goes without its comma */
    if (r->shape->ordered) {
        for (size_t j = 0; j < r->shape->norder; j++) {
            size_t i = (size_t)r->shape->order[j];
            if (rel_record_has(r, (int)i)) {
                write_attr(c, r, k, i, first);
                first = 0;
            }
        }
    } else {
        for (size_t i = 0; i < m->nattrs; i++) {
            if (rel_record_has(r, (int)i)) {
                write_attr(c, r, k, i, first);
                first = 0;
            }
        }
    }
    /* Sequelize sets the junction row before the target's own includes,
     * except when the include named its attributes: then the row's keys are
     * set as listed, then the includes, the junction (a pseudo include
     * appended to them) last. */
    bool through_last = r->shape->ordered;
    if (rel_record_through(r) && !through_last) {
        if (!put_name(c, k, rel_rec_model(rel_record_through(r))->name, !first, 0))
            return;
        first = 0;
        write_record(c, rel_record_through(r));
    }
    for (size_t s = 0; s < rel_record_nincl(r); s++) {
        const rel_incl_slot *slot = &rel_record_incl(r)[s];
        if (!slot->loaded || !slot->assoc)
            continue;
        if (is_to_one(slot->assoc)) {
            if (!put_name(c, k, slot->assoc->name, !first, 0))
                return;
            first = 0;
            if (slot->n && slot->rows[0])
                write_record(c, slot->rows[0]);
            else if (ensure(c, 4)) {
                memcpy(c->p, "null", 4);
                c->p += 4;
            }
            continue;
        }
        if (!put_name(c, k, slot->assoc->name, !first, '['))
            return;
        first = 0;
        for (size_t i = 0; i < slot->n; i++) {
            if (i && !put_char(c, ','))
                return;
            write_record(c, slot->rows[i]);
        }
        if (!put_char(c, ']'))
            return;
    }
    if (rel_record_through(r) && through_last) {
        if (!put_name(c, k, rel_rec_model(rel_record_through(r))->name, !first, 0))
            return;
        write_record(c, rel_record_through(r));
    }
    put_char(c, '}');
}

bool rel_record_json_write(rel_buf *b, const rel_record *r, bool bigint_as_string)
{
    json_ctx c;
    ctx_init(&c, b, bigint_as_string);
    write_record(&c, r);
    ctx_done(&c);
    return !b->oom;
}

char *rel_record_json(const rel_record *r)
{
    if (!r)
        return NULL;
    rel_buf b;
    rel_buf_init(&b);
    rel_record_json_write(&b, r, r->shape->bigint_as_string);
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
    put_char(&c, '[');
    for (size_t i = 0; i < res->n; i++) {
        if (i)
            put_char(&c, ',');
        write_record(&c, res->rows[i]);
    }
    put_char(&c, ']');
    ctx_done(&c);
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
    put_char(&c, '[');
    for (size_t i = 0; i <= res->n; i++) {
        if (i == res->n)
            put_char(&c, ']');
        else {
            if (i)
                put_char(&c, ',');
            write_record(&c, res->rows[i]);
        }
        ctx_sync(&c);
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
            ctx_resume(&c);
        }
    }
done:
    ctx_done(&c);
    rel_buf_free(&b);
    return st;
}
