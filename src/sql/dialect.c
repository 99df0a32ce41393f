/* Finding a dialect by name, and what both dialects do alike: SQL text
 * they write the same way, values they convert and read the same way. */
#include "sql/dialect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const rel_dialect *rel_dialect_by_name(const char *name)
{
    if (!name)
        return NULL;
    if (strcmp(name, "sqlite") == 0)
        return &rel_dialect_sqlite;
    if (strcmp(name, "postgres") == 0 || strcmp(name, "postgresql") == 0)
        return &rel_dialect_postgres;
    return NULL;
}

void rel_dialect_quote_ident(rel_buf *b, const char *ident)
{
    /* One reserve and a copy: identifiers are written for every statement. */
    size_t n = strlen(ident), quotes = 0;
    for (const char *p = ident; (p = strchr(p, '"')) != NULL; p++)
        quotes++;
    if (!rel_buf_reserve(b, n + quotes + 2))
        return;
    char *w = b->data + b->len;
    *w++ = '"';
    if (!quotes) {
        memcpy(w, ident, n);
        w += n;
    } else {
        for (const char *p = ident; *p; p++) {
            *w++ = *p;
            if (*p == '"')
                *w++ = '"';
        }
    }
    *w++ = '"';
    *w = '\0';
    b->len = (size_t)(w - b->data);
}

void rel_dialect_decimal_type(rel_buf *b, const rel_attr *a)
{
    if (a->length > 0 && a->scale > 0)
        rel_buf_printf(b, "DECIMAL(%d,%d)", a->length, a->scale);
    else if (a->length > 0)
        rel_buf_printf(b, "DECIMAL(%d)", a->length);
    else
        rel_buf_puts(b, "DECIMAL");
}

rel_value rel_dialect_scratch_text(rel_buf *scratch, const char *text)
{
    rel_buf_reset(scratch);
    rel_buf_puts(scratch, text);
    rel_value out = {REL_V_TEXT, 0, 0, rel_buf_cstr(scratch), scratch->len};
    return out;
}

bool rel_dialect_parse_i64(const char *t, int64_t *out)
{
    if (!t || !*t)
        return false;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(t, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}
