/* Finding a dialect by name, and the SQL text both dialects write alike. */
#include "sql/dialect.h"

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
