/* rel_sync and rel_ddl: running, or printing, the statements of ddl.c. */
#include "db/db.h"
#include "db/ddl.h"

#include "util/error.h"

#include <stdlib.h>
#include <string.h>

rel_status rel_sync(rel_db *db, const rel_sync_opts *opts, rel_error *err)
{
    rel_ddl_list l = {0};
    rel_status st;

    if (!db)
        return rel_err(err, REL_MISUSE, "rel_sync needs a connection");
    st = rel_ddl_build(db->schema, db->dialect, opts && opts->force, &l, err);
    if (st != REL_OK)
        return st;
    /* Both engines run DDL in transactions: all of it happens, or none.
     * DDL runs once, so it is logged but not kept in the statement cache. */
    st = rel_db_atomic_begin(db, err);
    if (st == REL_OK) {
        for (size_t i = 0; i < l.n && st == REL_OK; i++)
            st = rel_db_exec_simple(db, l.items[i], err);
        st = rel_db_atomic_end(db, st, err);
    }
    rel_ddl_list_free(&l);
    return st;
}

rel_status rel_ddl(const rel_schema *schema, const char *dialect, const rel_sync_opts *opts,
                   char **out, rel_error *err)
{
    rel_ddl_list l = {0};
    rel_buf b = {0};
    const rel_dialect *d;
    rel_status st;

    if (out)
        *out = NULL;
    if (!schema || !out)
        return rel_err(err, REL_MISUSE, "rel_ddl needs a schema and a place for the text");
    d = rel_dialect_by_name(dialect);
    if (!d)
        return rel_err(err, REL_INVALID, "unknown dialect \"%s\": use \"sqlite\" or \"postgres\"",
                       dialect ? dialect : "(null)");
    st = rel_ddl_build(schema, d, opts && opts->force, &l, err);
    if (st != REL_OK)
        return st;
    for (size_t i = 0; i < l.n; i++) {
        rel_buf_puts(&b, l.items[i]);
        rel_buf_puts(&b, ";\n");
    }
    rel_ddl_list_free(&l);
    *out = rel_buf_take(&b);
    if (!*out)
        return rel_err_nomem(err);
    return REL_OK;
}
