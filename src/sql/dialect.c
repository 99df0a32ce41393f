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
    rel_buf_putc(b, '"');
    for (const char *p = ident; *p; p++) {
        const char *q = strchr(p, '"');
        if (!q) {
            rel_buf_puts(b, p);
            break;
        }
        rel_buf_put(b, p, (size_t)(q - p) + 1);
        rel_buf_putc(b, '"');
        p = q;
    }
    rel_buf_putc(b, '"');
}
