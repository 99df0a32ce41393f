/* DEFAULT clauses: a default value given as text, checked against the
 * attribute's type and written as the literal Sequelize writes for it.
 * DDL cannot take bound parameters, so this is the one place a value becomes
 * SQL text; every value is validated first and strings are quoted with their
 * quotes doubled (and backslashes doubled inside E'' on PostgreSQL, which is
 * right whatever standard_conforming_strings says). */
#include "db/ddl.h"

#include "query/json_text.h"
#include "util/datetime.h"
#include "util/error.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_pg(const rel_dialect *d)
{
    return strcmp(d->name, "postgres") == 0;
}

static bool eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* 'text' (or E'text' on PostgreSQL when it holds a backslash). */
static void quote_literal(rel_buf *b, const rel_dialect *d, const char *s, size_t n)
{
    bool escape = is_pg(d) && memchr(s, '\\', n) != NULL;
    if (escape)
        rel_buf_putc(b, 'E');
    rel_buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || (escape && s[i] == '\\'))
            rel_buf_putc(b, s[i]);
        rel_buf_putc(b, s[i]);
    }
    rel_buf_putc(b, '\'');
}

/* A whole signed decimal integer within [lo, hi]. */
static bool parse_int(const char *s, int64_t lo, int64_t hi, long long *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return false;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Characters (UTF-8 code points) in s. */
static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool uuid_valid(const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : (s[i] == '\0' || !strchr(hex, s[i])))
            return false;
    }
    return true;
}

/* A finite number as text: safe to write bare. */
static bool is_number(const char *v, size_t n)
{
    double x;
    return rel_decimal_parse(v, n, true, &x) && isfinite(x);
}

static rel_status bad(rel_error *err, const char *model, const rel_attr *ad, const char *why)
{
    return rel_err(err, REL_INVALID, "%s.%s: default value \"%s\" is not %s", model, ad->name,
                   ad->default_value, why);
}

rel_status rel_ddl_default(rel_buf *b, const rel_dialect *d, const char *model,
                           const rel_attr *ad, bool *has, rel_error *err)
{
    return rel_ddl_default_as(b, d, model, ad, REL_LITERAL_AUTO, has, err);
}

rel_status rel_ddl_default_as(rel_buf *b, const rel_dialect *d, const char *model,
                              const rel_attr *ad, rel_literal_kind kind, bool *has,
                              rel_error *err)
{
    const char *v = ad->default_value;
    size_t n = v ? strlen(v) : 0;
    char tname[64];
    snprintf(tname, sizeof tname, "a valid %s", rel_type_name(ad->type));
    *has = false;
    if (!v)
        return REL_OK;

    switch (ad->type) {
    case REL_INTEGER:
    case REL_BIGINT: {
        long long x;
        bool big = ad->type == REL_BIGINT;
        if (!parse_int(v, big ? INT64_MIN : INT32_MIN, big ? INT64_MAX : INT32_MAX, &x))
            return bad(err, model, ad, tname);
        if (kind == REL_LITERAL_STRING)
            quote_literal(b, d, v, n);
        else
            rel_buf_printf(b, "%lld", x); /* Sequelize writes numbers bare */
        break;
    }
    case REL_FLOAT:
    case REL_DOUBLE:
    case REL_DECIMAL: {
        double x;
        if (!rel_decimal_parse(v, n, true, &x) || !isfinite(x))
            return bad(err, model, ad, "a number");
        /* FLOAT and DOUBLE always quoted (their stringify makes text);
         * DECIMAL as the file wrote it, quoted when unknown. */
        if (ad->type == REL_DECIMAL && kind == REL_LITERAL_NUMBER)
            rel_buf_put(b, v, n);
        else
            quote_literal(b, d, v, n);
        break;
    }
    case REL_STRING:
        if (utf8_length(v) > (size_t)(ad->length > 0 ? ad->length : 255)) {
            snprintf(tname, sizeof tname, "at most %d characters long",
                     ad->length > 0 ? ad->length : 255);
            return bad(err, model, ad, tname);
        }
        if (kind == REL_LITERAL_NUMBER && is_number(v, n))
            rel_buf_put(b, v, n); /* defaultValue: 5 on a STRING: DEFAULT 5 */
        else
            quote_literal(b, d, v, n);
        break;
    case REL_TEXT:
        if (kind == REL_LITERAL_NUMBER && is_number(v, n))
            rel_buf_put(b, v, n);
        else
            quote_literal(b, d, v, n);
        break;
    case REL_UUID:
        if (eq_nocase(v, "UUIDV4") || eq_nocase(v, "UUIDV1"))
            return REL_OK; /* generated per row by relate, as by Sequelize */
        if (!uuid_valid(v))
            return bad(err, model, ad, "a UUID (8-4-4-4-12 hexadecimal digits)");
        quote_literal(b, d, v, n);
        break;
    case REL_BOOLEAN: {
        bool t = eq_nocase(v, "true") || strcmp(v, "1") == 0;
        bool f = eq_nocase(v, "false") || strcmp(v, "0") == 0;
        if (!t && !f)
            return bad(err, model, ad, "a BOOLEAN (true, false, 1 or 0)");
        if (is_pg(d) && kind == REL_LITERAL_STRING)
            quote_literal(b, d, v, n); /* defaultValue: 'true': DEFAULT 'true' */
        else if (is_pg(d))
            rel_buf_puts(b, t ? "true" : "false");
        else
            rel_buf_puts(b, t ? "1" : "0"); /* SQLite stores booleans as 0/1 */
        break;
    }
    case REL_DATE: {
        int64_t ms;
        char text[40];
        if (eq_nocase(v, "NOW"))
            return REL_OK; /* the record layer stamps the time */
        if (!rel_datetime_parse(v, n, &ms))
            return bad(err, model, ad, "a date (YYYY-MM-DD[ hh:mm:ss[.mmm]][offset])");
        rel_datetime_sqlite(ms, text); /* "2026-01-02 03:04:05.678 +00:00" on both */
        quote_literal(b, d, text, strlen(text));
        break;
    }
    case REL_DATEONLY:
        if (eq_nocase(v, "NOW"))
            return REL_OK;
        if (!rel_dateonly_valid(v, n))
            return bad(err, model, ad, "a date (YYYY-MM-DD)");
        quote_literal(b, d, v, n);
        break;
    case REL_JSON: {
        rel_buf json = {0};
        rel_json_text_status js = rel_json_text_emit(&json, v, n);
        if (js == REL_JSON_TEXT_NOMEM || json.oom) {
            rel_buf_free(&json);
            return rel_err_nomem(err);
        }
        if (js != REL_JSON_TEXT_OK) {
            rel_buf_free(&json);
            return bad(err, model, ad, "JSON");
        }
        /* JSON.stringify(value), as Sequelize writes it */
        quote_literal(b, d, rel_buf_cstr(&json), json.len);
        rel_buf_free(&json);
        break;
    }
    case REL_BLOB: {
        static const char digits[] = "0123456789abcdef";
        rel_buf_puts(b, is_pg(d) ? "E'\\\\x" : "X'");
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)v[i];
            rel_buf_putc(b, digits[c >> 4]);
            rel_buf_putc(b, digits[c & 15]);
        }
        rel_buf_putc(b, '\'');
        break;
    }
    case REL_TYPE_NONE:
    default:
        return bad(err, model, ad, "of a known type");
    }
    if (b->oom)
        return rel_err_nomem(err);
    *has = true;
    return REL_OK;
}
