/* Building one SQL statement: text plus bound parameters. Identifiers are
 * always quoted by the dialect and values are always parameters; there is
 * no function that pastes a value into the text. */
#ifndef REL_SQL_SQL_H
#define REL_SQL_SQL_H

#include "relate.h"
#include "sql/dialect.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct rel_sql {
    const rel_dialect *d;
    rel_buf text;
    rel_value *params; /* what is bound (already converted by d->to_db) */
    size_t n, cap;
    rel_arena *arena;  /* owns text made for parameters; created lazily */
    bool oom;          /* out of memory: rel_sql_run/exec refuse to run it */
    bool invalid;      /* a value that cannot be bound (a blob in an IN list
                          on SQLite): rel_sql_run/exec refuse to run it */
    rel_buf scratch;   /* to_db / array_param output before it is copied */
    const char *fixed; /* the text, built before (rel_sql_use_text), or NULL */
    /* The last DATE bound, as converted (its text in arena): rows written
       together often share a timestamp, made into text once. */
    bool date_cached;
    int64_t date_ms;
    rel_value date_bound;
} rel_sql;

void rel_sql_init(rel_sql *q, const rel_dialect *d);
/* Empties text and parameters, keeping memory, for the next statement. */
void rel_sql_reset(rel_sql *q);
void rel_sql_free(rel_sql *q);
/* The statement's text is `text` (borrowed), written earlier by the same
 * calls that follow: from now on they bind parameters only, writing no
 * text (rel_sql_raw, _ident, _column, the placeholders of _param,
 * _in_values and _array_position; nothing else may be used then). For a
 * statement run often whose text the connection remembers (db/sql_memo.h). */
void rel_sql_use_text(rel_sql *q, const char *text);

/* SQL keywords and punctuation written by relate itself (never user data). */
void rel_sql_raw(rel_sql *q, const char *text);
/* A quoted identifier. */
void rel_sql_ident(rel_sql *q, const char *ident);
/* "alias"."column" (alias may be NULL: just the column). */
void rel_sql_column(rel_sql *q, const char *alias, const char *column);
/* A placeholder bound to v, a canonical value of `type` (see
 * query/record.h); converted with the dialect's to_db. */
void rel_sql_param(rel_sql *q, rel_type type, rel_value v);
/* For text written once and run with several sets of parameters: the n-th
 * (1-based) placeholder alone, binding nothing ... */
void rel_sql_placeholder(rel_sql *q, int n);
/* ... and v bound as the next parameter, writing no text. */
void rel_sql_bind(rel_sql *q, rel_type type, rel_value v);
/* Whether values of type are bound converted (the dialect's to_db: DATE,
 * BOOLEAN); every other canonical value is bound as it is. */
static inline bool rel_sql_converts(rel_type type)
{
    return type == REL_DATE || type == REL_BOOLEAN;
}
/* rel_sql_bound's conversion (out of line). */
rel_value rel_sql_convert(rel_sql *q, rel_type type, rel_value v);
/* v as rel_sql_bind binds it: converted when rel_sql_converts(type), its
 * text then owned by q until the next reset or rel_sql_clear_params. The
 * last DATE converted is remembered (rows written together share their
 * timestamps). */
static inline rel_value rel_sql_bound(rel_sql *q, rel_type type, rel_value v)
{
    if (!rel_sql_converts(type))
        return v;
    if (type == REL_DATE && v.kind == REL_V_INT && q->date_cached && q->date_ms == v.i)
        return q->date_bound;
    return rel_sql_convert(q, type, v);
}
/* Room for the next n parameters, for a caller that fills them itself with
 * what rel_sql_bound gives (many rows at once). NULL when out of memory
 * (q then refuses to run). */
rel_value *rel_sql_bind_room(rel_sql *q, size_t n);
/* Gives back the last n parameters of rel_sql_bind_room's room (unused). */
static inline void rel_sql_bind_trim(rel_sql *q, size_t n)
{
    q->n -= n;
}
/* Drops the parameters and what was made for them, keeping the text. */
void rel_sql_clear_params(rel_sql *q);
/* After a left-hand side: membership in n canonical values, bound as ONE
 * parameter (dialect in_array/array_param), so the statement text does not
 * depend on n. */
void rel_sql_in_values(rel_sql *q, rel_type type, const rel_value *vals, size_t n);
/* An expression: the position of alias.column among n canonical values,
 * bound as ONE parameter (ascending with the list's order), for an ORDER BY
 * that keeps a given order. */
void rel_sql_array_position(rel_sql *q, rel_type type, const rel_value *vals, size_t n,
                            const char *alias, const char *column);
/* NUL-terminated text ("" when empty). */
const char *rel_sql_text(rel_sql *q);

/* Runs it: rel_db_run / rel_db_exec with its text and parameters (REL_NOMEM
 * when building it ran out of memory, REL_INVALID when a value could not be
 * bound). The parameters are copied by the driver, so q may be reset while
 * the statement's rows are read. */
struct rel_stmt;
rel_status rel_sql_run(rel_db *db, rel_sql *q, struct rel_stmt **out, rel_error *err);
rel_status rel_sql_exec(rel_db *db, rel_sql *q, int64_t *changes, rel_error *err);
/* rel_sql_run without copying the parameters (rel_db_run_held): q's
 * parameters, and the record values they point to, must stay as they are
 * until rel_stmt_done or the next rel_sql_rerun_held. */
rel_status rel_sql_run_held(rel_db *db, rel_sql *q, struct rel_stmt **out, rel_error *err);
/* Runs s, which rel_sql_run_held returned for q's text, again with q's
 * parameters now (rel_stmt_rerun_held); s stays the caller's. */
rel_status rel_sql_rerun_held(struct rel_stmt *s, rel_sql *q, rel_error *err);

#endif
