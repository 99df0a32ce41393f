/* Connection URLs: telling the engines apart, turning a PostgreSQL URL into
 * libpq keywords, and writing a URL without its password (for errors). */
#ifndef REL_DB_URL_H
#define REL_DB_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "relate.h"
#include "util/arena.h"
#include "util/buf.h"

/* "sqlite" for sqlite:..., "postgres" for postgres:// and postgresql://,
 * NULL otherwise. */
const char *rel_url_engine(const char *url);

/* The file SQLite opens for a sqlite: URL: "sqlite::memory:" -> ":memory:",
 * "sqlite:app.db" -> "app.db", "sqlite:///tmp/a.db" -> "/tmp/a.db",
 * "sqlite://a.db" -> "a.db". Borrowed from url; NULL when the path is empty. */
const char *rel_url_sqlite_path(const char *url);

/* A PostgreSQL URL as libpq keywords and values, both NULL-terminated
 * arrays ready for PQconnectdbParams (expand_dbname = 0). */
typedef struct rel_pg_conninfo {
    const char **keys;
    const char **vals;
    size_t n;
    rel_arena *arena; /* owns the arrays and every string */
} rel_pg_conninfo;

/* Parses postgres[ql]://[user[:password]@][host[:port][,host[:port]...]][/dbname][?k=v&...]
 * with percent-decoding. Query parameters pass through as libpq keywords
 * (sslmode, connect_timeout, host, ...). client_encoding is always UTF8 and
 * fallback_application_name is "relate". On error fills err (REL_INVALID,
 * password redacted). Free with rel_pg_conninfo_free. */
rel_status rel_url_pg_parse(const char *url, rel_pg_conninfo *out, rel_error *err);
void rel_pg_conninfo_free(rel_pg_conninfo *ci);

/* Appends url to b with the password replaced by "***": in the user-info
 * part (postgres://user:***@host/db) and in a password= query parameter. */
void rel_url_redact(rel_buf *b, const char *url);

#endif
