/* JSON.stringify(JSON.parse(text)) without a tree: see json_text.h. */
#include "query/json_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"
#include "util/json_write.h"

/* Deeper nesting than this is refused rather than risking the C stack. */
#define REL_JSON_MAX_DEPTH 1000
/* A double needs at most 767 significant decimal digits to round correctly;
 * more are folded into a sticky digit. */
#define REL_DEC_MAX_DIGITS 768

/* One member of an object being emitted: spans of b (key with its quotes). */
typedef struct member {
    size_t key_off, key_len;
    size_t val_off, val_len;
    int64_t index; /* array-index key value, or -1 */
} member;

typedef struct ctx {
    const char *p, *end;
    rel_buf *b;
    rel_buf str;     /* a string's decoded bytes */
    rel_buf tmp;     /* reordering and segment escaping */
    size_t *lone;    /* offsets in str of lone surrogates ... */
    unsigned *lone_cu; /* ... and their code units */
    size_t nlone, caplone;
    member *m;       /* members of every open object, innermost last */
    size_t nm, capm;
    bool oom;
    int depth;
} ctx;

static void truncate_to(rel_buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

static void skip_ws(ctx *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* ---- numbers ---------------------------------------------------------------- */

bool rel_decimal_parse(const char *s, size_t n, bool allow_loose, double *out)
{
    const char *p = s, *end = s + n;
    bool neg = false;
    char digits[REL_DEC_MAX_DIGITS + 40];
    size_t nd = 0;
    bool sticky = false;
    int64_t exp10 = 0; /* value = 0.digits... shifted: digits * 10^exp10 */

    if (p < end && (*p == '-' || (allow_loose && *p == '+')))
        neg = *p++ == '-';
    const char *int_start = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    size_t int_len = (size_t)(p - int_start);
    if (int_len == 0 && !allow_loose)
        return false;
    if (!allow_loose && int_len > 1 && *int_start == '0')
        return false; /* JSON has no leading zeros */
    const char *frac_start = NULL;
    size_t frac_len = 0;
    if (p < end && *p == '.') {
        p++;
        frac_start = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        frac_len = (size_t)(p - frac_start);
        if (frac_len == 0 && !allow_loose)
            return false;
    }
    if (int_len + frac_len == 0)
        return false;
    int64_t e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9') {
            if (e < 100000000)
                e = e * 10 + (*p - '0');
            p++;
        }
        if (eneg)
            e = -e;
    }
    if (p != end)
        return false;

    /* Significant digits without leading zeros; the exponent follows them. */
    bool seen = false;
    for (size_t i = 0; i < int_len + frac_len; i++) {
        char d = i < int_len ? int_start[i] : frac_start[i - int_len];
        if (i >= int_len)
            exp10--;
        if (!seen && d == '0')
            continue;
        seen = true;
        if (nd < REL_DEC_MAX_DIGITS) {
            digits[nd++] = d;
        } else {
            if (d != '0')
                sticky = true;
            exp10++; /* the dropped digit still scales the rest */
        }
    }
    if (nd == 0) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
    if (sticky)
        digits[nd++] = '1', exp10--;
    exp10 += e;
    /* Written without a radix character so the locale's decimal point never matters. */
    snprintf(digits + nd, sizeof digits - nd, "e%lld", (long long)exp10);
    double d = strtod(digits, NULL);
    *out = neg ? -d : d;
    return true;
}

static bool emit_number(ctx *c)
{
    const char *start = c->p;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    while (c->p < c->end && ((*c->p >= '0' && *c->p <= '9') || *c->p == '.' || *c->p == 'e' ||
                             *c->p == 'E' || *c->p == '+' || *c->p == '-'))
        c->p++;
    double d;
    if (!rel_decimal_parse(start, (size_t)(c->p - start), false, &d))
        return false;
    if (!rel_json_double(c->b, d))
        c->oom = true;
    return !c->oom;
}

/* ---- strings ---------------------------------------------------------------- */

/* Reads the 4 hex digits after "\u". */
static bool read_u4(ctx *c, unsigned *cu)
{
    if (c->end - c->p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = rel_hex_digit_value(c->p[i]);
        if (h < 0)
            return false;
        v = v * 16 + (unsigned)h;
    }
    c->p += 4;
    *cu = v;
    return true;
}

static void put_utf8(ctx *c, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (!rel_buf_put(&c->str, u, n))
        c->oom = true;
}

static void add_lone(ctx *c, unsigned cu)
{
    if (c->nlone == c->caplone) {
        size_t cap = c->caplone ? c->caplone * 2 : 8;
        size_t *a = realloc(c->lone, cap * sizeof *a);
        if (!a) {
            c->oom = true;
            return;
        }
        c->lone = a;
        unsigned *u = realloc(c->lone_cu, cap * sizeof *u);
        if (!u) {
            c->oom = true;
            return;
        }
        c->lone_cu = u;
        c->caplone = cap;
    }
    c->lone[c->nlone] = c->str.len;
    c->lone_cu[c->nlone++] = cu;
}

/* Escapes str[from..to) as JSON.stringify would, without the quotes. */
static void put_segment(ctx *c, size_t from, size_t to)
{
    rel_buf_reset(&c->tmp);
    if (!rel_json_string(&c->tmp, c->str.data ? c->str.data + from : "", to - from) ||
        !rel_buf_put(c->b, c->tmp.data + 1, c->tmp.len - 2))
        c->oom = true;
}

/* A string token at c->p (on its opening quote), re-escaped into b. */
static bool emit_string(ctx *c)
{
    c->p++;
    rel_buf_reset(&c->str);
    c->nlone = 0;
    unsigned high = 0; /* a high surrogate waiting for its low half */
    for (;;) {
        if (c->p >= c->end)
            return false;
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"' || ch != '\\') {
            if (high) {
                add_lone(c, high);
                high = 0;
            }
            if (ch == '"')
                break;
            if (ch < 0x20)
                return false;
            const char *run = c->p;
            while (c->p < c->end && *c->p != '"' && *c->p != '\\' &&
                   (unsigned char)*c->p >= 0x20)
                c->p++;
            if (!rel_buf_put(&c->str, run, (size_t)(c->p - run)))
                c->oom = true;
            continue;
        }
        c->p++;
        if (c->p >= c->end)
            return false;
        char e = *c->p++;
        if (e != 'u' && high) {
            add_lone(c, high);
            high = 0;
        }
        switch (e) {
        case '"': rel_buf_putc(&c->str, '"'); break;
        case '\\': rel_buf_putc(&c->str, '\\'); break;
        case '/': rel_buf_putc(&c->str, '/'); break;
        case 'b': rel_buf_putc(&c->str, '\b'); break;
        case 'f': rel_buf_putc(&c->str, '\f'); break;
        case 'n': rel_buf_putc(&c->str, '\n'); break;
        case 'r': rel_buf_putc(&c->str, '\r'); break;
        case 't': rel_buf_putc(&c->str, '\t'); break;
        case 'u': {
            unsigned cu;
            if (!read_u4(c, &cu))
                return false;
            if (cu >= 0xDC00 && cu <= 0xDFFF && high) {
                put_utf8(c, 0x10000 + ((high - 0xD800) << 10) + (cu - 0xDC00));
                high = 0;
            } else {
                if (high)
                    add_lone(c, high);
                high = 0;
                if (cu >= 0xD800 && cu <= 0xDBFF)
                    high = cu;
                else if (cu >= 0xDC00 && cu <= 0xDFFF)
                    add_lone(c, cu);
                else
                    put_utf8(c, cu);
            }
            break;
        }
        default:
            return false;
        }
        if (c->str.oom)
            c->oom = true;
    }
    c->p++; /* closing quote */
    if (c->oom)
        return false;

    if (c->nlone == 0) {
        if (!rel_json_string(c->b, c->str.data ? c->str.data : "", c->str.len))
            c->oom = true;
        return !c->oom;
    }
    /* JSON.stringify writes lone surrogates as escapes; the rest as usual. */
    static const char hex[] = "0123456789abcdef";
    rel_buf_putc(c->b, '"');
    size_t from = 0;
    for (size_t i = 0; i < c->nlone; i++) {
        put_segment(c, from, c->lone[i]);
        char esc[7] = {'\\', 'u', hex[(c->lone_cu[i] >> 12) & 15], hex[(c->lone_cu[i] >> 8) & 15],
                       hex[(c->lone_cu[i] >> 4) & 15], hex[c->lone_cu[i] & 15], 0};
        rel_buf_puts(c->b, esc);
        from = c->lone[i];
    }
    put_segment(c, from, c->str.len);
    rel_buf_putc(c->b, '"');
    if (c->b->oom)
        c->oom = true;
    return !c->oom;
}

/* ---- objects and arrays ------------------------------------------------------- */

static bool emit_value(ctx *c);

/* The array index a quoted key stands for (JavaScript's integer-like keys:
 * 0 .. 2^32-2 without leading zeros), or -1. */
static int64_t key_index(const char *k, size_t len)
{
    if (len < 3 || len > 12)
        return -1;
    k++, len -= 2;
    if (len > 1 && k[0] == '0')
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (k[i] < '0' || k[i] > '9')
            return -1;
        v = v * 10 + (k[i] - '0');
    }
    return v <= 4294967294LL ? v : -1;
}

static bool push_member(ctx *c, member m)
{
    if (c->nm == c->capm) {
        size_t cap = c->capm ? c->capm * 2 : 16;
        member *a = realloc(c->m, cap * sizeof *a);
        if (!a) {
            c->oom = true;
            return false;
        }
        c->m = a;
        c->capm = cap;
    }
    c->m[c->nm++] = m;
    return true;
}

static bool same_key(const rel_buf *b, const member *x, const member *y)
{
    return x->key_len == y->key_len && memcmp(b->data + x->key_off, b->data + y->key_off,
                                              x->key_len) == 0;
}

/* Rewrites the object at b[start..] with members m[0..n): duplicate keys once
 * (at the first position, with the last value), integer-like keys first in
 * ascending order — the order JavaScript gives the parsed object. */
static bool reorder_object(ctx *c, size_t start, member *m, size_t n)
{
    bool need = false;
    bool seen_string = false;
    int64_t last_index = -1;
    for (size_t i = 0; i < n && !need; i++) {
        if (m[i].index >= 0) {
            if (seen_string || m[i].index <= last_index)
                need = true;
            last_index = m[i].index;
        } else {
            seen_string = true;
        }
        for (size_t j = 0; j < i && !need; j++)
            if (same_key(c->b, &m[i], &m[j]))
                need = true;
    }
    if (!need)
        return true;

    rel_buf_reset(&c->tmp);
    if (!rel_buf_put(&c->tmp, c->b->data + start, c->b->len - start)) {
        c->oom = true;
        return false;
    }
    /* primary[i]: the first member with its key; value from the last. */
    size_t *order = malloc(n * sizeof *order);
    size_t *valfrom = malloc(n * sizeof *valfrom);
    if (!order || !valfrom) {
        free(order);
        free(valfrom);
        c->oom = true;
        return false;
    }
    size_t nprim = 0;
    for (size_t i = 0; i < n; i++) {
        size_t first = i;
        for (size_t j = 0; j < i; j++)
            if (same_key(c->b, &m[i], &m[j])) {
                first = j;
                break;
            }
        if (first == i) {
            order[nprim++] = i;
            valfrom[i] = i;
        } else {
            valfrom[first] = i;
        }
    }
    /* Index keys first, ascending (insertion sort: keys are unique here),
     * then the others in first-seen order. */
    size_t nidx = 0;
    for (size_t k = 0; k < nprim; k++)
        if (m[order[k]].index >= 0) {
            size_t t = order[k];
            size_t at = nidx;
            while (at > 0 && m[order[at - 1]].index > m[t].index)
                at--;
            memmove(order + at + 1, order + at, (k - at) * sizeof *order);
            order[at] = t;
            nidx++;
        }

    truncate_to(c->b, start);
    rel_buf_putc(c->b, '{');
    for (size_t k = 0; k < nprim; k++) {
        const member *key = &m[order[k]];
        const member *val = &m[valfrom[order[k]]];
        if (k)
            rel_buf_putc(c->b, ',');
        rel_buf_put(c->b, c->tmp.data + (key->key_off - start), key->key_len);
        rel_buf_putc(c->b, ':');
        rel_buf_put(c->b, c->tmp.data + (val->val_off - start), val->val_len);
    }
    rel_buf_putc(c->b, '}');
    free(order);
    free(valfrom);
    if (c->b->oom)
        c->oom = true;
    return !c->oom;
}

static bool emit_object(ctx *c)
{
    size_t start = c->b->len;
    size_t base = c->nm;
    bool ok = false;
    c->p++;
    rel_buf_putc(c->b, '{');
    skip_ws(c);
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        ok = rel_buf_putc(c->b, '}');
        goto done;
    }
    for (;;) {
        skip_ws(c);
        if (c->p >= c->end || *c->p != '"')
            goto done;
        member m;
        m.key_off = c->b->len;
        if (!emit_string(c))
            goto done;
        m.key_len = c->b->len - m.key_off;
        m.index = key_index(c->b->data + m.key_off, m.key_len);
        skip_ws(c);
        if (c->p >= c->end || *c->p != ':')
            goto done;
        c->p++;
        rel_buf_putc(c->b, ':');
        skip_ws(c);
        m.val_off = c->b->len;
        if (!emit_value(c))
            goto done;
        m.val_len = c->b->len - m.val_off;
        if (!push_member(c, m))
            goto done;
        skip_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            rel_buf_putc(c->b, ',');
            continue;
        }
        if (c->p < c->end && *c->p == '}') {
            c->p++;
            rel_buf_putc(c->b, '}');
            break;
        }
        goto done;
    }
    ok = reorder_object(c, start, c->m + base, c->nm - base);
done:
    c->nm = base;
    if (c->b->oom)
        c->oom = true;
    return ok && !c->oom;
}

static bool emit_array(ctx *c)
{
    c->p++;
    rel_buf_putc(c->b, '[');
    skip_ws(c);
    if (c->p < c->end && *c->p == ']') {
        c->p++;
        if (!rel_buf_putc(c->b, ']'))
            c->oom = true;
        return !c->oom;
    }
    for (;;) {
        skip_ws(c);
        if (!emit_value(c))
            return false;
        skip_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            rel_buf_putc(c->b, ',');
            continue;
        }
        if (c->p < c->end && *c->p == ']') {
            c->p++;
            if (!rel_buf_putc(c->b, ']'))
                c->oom = true;
            return !c->oom;
        }
        return false;
    }
}

static bool literal(ctx *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return false;
    c->p += n;
    if (!rel_buf_put(c->b, word, n))
        c->oom = true;
    return !c->oom;
}

static bool emit_value(ctx *c)
{
    if (c->p >= c->end || c->oom)
        return false;
    if (++c->depth > REL_JSON_MAX_DEPTH)
        return false;
    bool ok;
    switch (*c->p) {
    case '{': ok = emit_object(c); break;
    case '[': ok = emit_array(c); break;
    case '"': ok = emit_string(c); break;
    case 't': ok = literal(c, "true"); break;
    case 'f': ok = literal(c, "false"); break;
    case 'n': ok = literal(c, "null"); break;
    default: ok = emit_number(c); break;
    }
    c->depth--;
    return ok;
}

rel_json_text_status rel_json_text_emit(rel_buf *b, const char *s, size_t n)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.p = s;
    c.end = s + n;
    c.b = b;
    size_t start = b->len;
    if (b->oom)
        return REL_JSON_TEXT_NOMEM;

    skip_ws(&c);
    bool ok = emit_value(&c);
    skip_ws(&c);
    if (ok && c.p != c.end)
        ok = false;

    rel_json_text_status st = REL_JSON_TEXT_OK;
    if (c.oom || b->oom) {
        st = REL_JSON_TEXT_NOMEM;
    } else if (!ok) {
        truncate_to(b, start);
        st = REL_JSON_TEXT_INVALID;
    }
    rel_buf_free(&c.str);
    rel_buf_free(&c.tmp);
    free(c.lone);
    free(c.lone_cu);
    free(c.m);
    return st;
}

bool rel_json_text_valid(const char *s, size_t n)
{
    rel_buf b;
    rel_buf_init(&b);
    rel_json_text_status st = rel_json_text_emit(&b, s, n);
    rel_buf_free(&b);
    return st == REL_JSON_TEXT_OK;
}
