/* Opening and closing connections, and what a connection tells about itself. */
#include <stdlib.h>

#include "db/db.h"
#include "db/sql_memo.h"
#include "db/stmt_cache.h"
#include "db/url.h"
#include "schema/schema.h"
#include "util/error.h"

rel_status rel_open(rel_db **out, const rel_schema *schema, const char *url, rel_error *err)
{
    if (!out)
        return rel_err(err, REL_MISUSE, "rel_open needs somewhere to put the connection");
    *out = NULL;
    if (!schema)
        return rel_err(err, REL_MISUSE, "rel_open needs a schema (an empty frozen one will do)");
    if (schema->failed)
        return rel_err(err, REL_DEFINITION,
                       "the schema has definition errors (see rel_schema_freeze); fix them "
                       "before opening a connection");
    if (!schema->frozen)
        return rel_err(err, REL_MISUSE,
                       "the schema is not frozen: call rel_schema_freeze before rel_open");
    if (!url)
        return rel_err(err, REL_INVALID, "rel_open needs a database URL");

    const rel_dialect *d = rel_dialect_by_name(rel_url_engine(url));
    if (!d) {
        rel_buf shown = {0};
        rel_url_redact(&shown, url);
        rel_err(err, REL_INVALID,
                "unsupported database URL '%s': use sqlite:path/to/file.db, sqlite::memory: "
                "or postgres://user:password@host:port/dbname",
                shown.oom ? "?" : rel_buf_cstr(&shown));
        rel_buf_free(&shown);
        return REL_INVALID;
    }

    rel_db *db = calloc(1, sizeof *db);
    if (!db)
        return rel_err_nomem(err);
    db->schema = schema;
    db->dialect = d;
    db->cache = rel_stmt_cache_new();
    if (!db->cache) {
        free(db);
        return rel_err_nomem(err);
    }
    rel_status st = d->connect(url, &db->conn, err);
    if (st != REL_OK) {
        rel_stmt_cache_free(db);
        free(db);
        return st;
    }
    *out = db;
    return REL_OK;
}

void rel_close(rel_db *db)
{
    if (!db)
        return;
    if (db->conn)
        db->dialect->closing(db->conn);
    rel_stmt_cache_free(db);
    rel_sql_memo_free(db);
    if (db->conn)
        db->dialect->disconnect(db->conn);
    rel_buf_free(&db->bind_scratch);
    free(db);
}

void rel_set_logger(rel_db *db, rel_log_fn fn, void *user)
{
    if (!db)
        return;
    db->log = fn;
    db->log_user = user;
}

const char *rel_db_dialect(const rel_db *db)
{
    return db ? db->dialect->name : NULL;
}

const rel_schema *rel_db_schema(const rel_db *db)
{
    return db ? db->schema : NULL;
}

bool rel_db_ok(const rel_db *db)
{
    return db && !db->broken;
}
