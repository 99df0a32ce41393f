/* A dialect: what differs between SQLite and PostgreSQL, as a small table of
 * functions. SQL text details (quoting, placeholders, types) and the driver
 * (connect, prepare, bind, step, read columns) both live here; everything
 * above is written once. */
#ifndef REL_SQL_DIALECT_H
#define REL_SQL_DIALECT_H

#include "relate.h"
#include "schema/schema.h"
#include "util/buf.h"

typedef struct rel_conn rel_conn;       /* driver connection (sqlite3 / PGconn) */
typedef struct rel_dstmt rel_dstmt;     /* driver prepared statement */

typedef enum rel_step { REL_STEP_ROW = 1, REL_STEP_DONE = 0 } rel_step;

/* What the engine says about the current transaction. */
typedef enum rel_tx_state {
    REL_TX_NONE = 0, /* autocommit: no transaction open */
    REL_TX_ACTIVE,   /* open and usable */
    REL_TX_ABORTED   /* open, but a statement failed: only a rollback works
                        (PostgreSQL; SQLite never reports this) */
} rel_tx_state;

typedef struct rel_dialect {
    const char *name; /* "sqlite" or "postgres" */

    /* ---- SQL text ---- */
    /* "name" with embedded quotes doubled. */
    void (*quote_ident)(rel_buf *b, const char *ident);
    /* The n-th (1-based) placeholder: "?" or "$n". */
    void (*placeholder)(rel_buf *b, int n);
    /* Column type for DDL, e.g. VARCHAR(255), TIMESTAMP WITH TIME ZONE,
     * DATETIME, TINYINT(1), DECIMAL(10,2) (DECIMAL(10) when the scale is 0,
     * DECIMAL when the precision is 0, as Sequelize). On PostgreSQL an
     * auto_increment INTEGER / BIGINT attribute gives SERIAL / BIGSERIAL.
     * Never NOT NULL, PRIMARY KEY, UNIQUE or REFERENCES: the caller adds them. */
    void (*column_type)(rel_buf *b, const rel_attr_def *attr);
    /* What follows the quoted name of the generated `id` column, exactly as
     * Sequelize 6 writes it:
     *   SQLite:     "INTEGER PRIMARY KEY AUTOINCREMENT" - complete: Sequelize
     *               drops NOT NULL there and nothing else is added;
     *   PostgreSQL: "SERIAL" - NOT a key by itself: the caller adds the
     *               primary key, as Sequelize does with a trailing
     *               `, PRIMARY KEY ("id")` in CREATE TABLE.
     * serial_pk_is_key says which of the two it is. */
    const char *serial_pk;
    bool serial_pk_is_key;
    /* Membership in a list bound as ONE parameter, so statements do not grow
     * with the number of values: after the caller's left-hand side, writes
     * " IN (SELECT value FROM json_each(?))" (SQLite) or " = ANY($n::type[])"
     * (PostgreSQL) for the param_no-th placeholder. */
    void (*in_array)(rel_buf *sql, int param_no, rel_type elem_type);
    /* The position of a value in such a list: writes the opening of an
     * expression that the caller ends with the value's column and ")":
     * "array_position($n::type[], " (PostgreSQL) or
     * "(SELECT key FROM json_each(?) WHERE value = " (SQLite). */
    void (*array_position)(rel_buf *sql, int param_no, rel_type elem_type);
    /* Encodes n canonical values of elem_type as that parameter's text (a
     * JSON array on SQLite, an array literal such as {1,2} or {"a","b\"c"}
     * on PostgreSQL), appended to scratch. False when out of memory or when
     * a value cannot be put in an array (a blob on SQLite). */
    bool (*array_param)(rel_buf *scratch, const rel_value *vals, size_t n, rel_type elem_type);

    /* ---- values ---- */
    /* Converts a canonical value (see record.h) of an attribute type to what
     * is bound: DATE ms -> text in the engine's format ("2026-01-02
     * 03:04:05.678 +00:00" / "2026-01-02T03:04:05.678Z"), BOOLEAN -> 0/1
     * (SQLite) or "true"/"false" (PostgreSQL); everything else as is (the
     * PostgreSQL driver writes numbers as text itself). Text that must be
     * made is written to scratch, which is reset first: the result is valid
     * until scratch's next change, so copy it before converting another. */
    rel_value (*to_db)(rel_type type, rel_value v, rel_buf *scratch);

    /* ---- driver ---- */
    rel_status (*connect)(const char *url, rel_conn **out, rel_error *err);
    void (*disconnect)(rel_conn *c);
    /* The connection is about to be closed: statements finalized after this
     * need not release anything on the server. */
    void (*closing)(rel_conn *c);
    /* Runs SQL with no parameters and no rows (BEGIN, SAVEPOINT, DDL). */
    rel_status (*exec_simple)(rel_conn *c, const char *sql, rel_error *err);
    rel_status (*prepare)(rel_conn *c, const char *sql, rel_dstmt **out, rel_error *err);
    /* Binds and executes (on SQLite this runs the first step, so errors of
     * every engine surface here); rows are then read with step; executing
     * again ends the previous run first. Parameter memory need not outlive
     * the call, unless `held`: then the caller keeps it unchanged until the
     * statement is reset or executed again, so the driver may bind it
     * without a copy. */
    rel_status (*execute)(rel_dstmt *s, const rel_value *params, size_t n, bool held,
                          rel_error *err);
    /* REL_STEP_ROW, REL_STEP_DONE, or a negative rel_status (err filled). */
    int (*step)(rel_dstmt *s, rel_error *err);
    int (*column_count)(rel_dstmt *s);
    /* The column of the current row converted to the canonical value of
     * `type` (see record.h); REL_TYPE_NONE gives the natural value (SQLite:
     * its storage class; PostgreSQL: int for integer columns, double for
     * float ones, 0/1 for booleans, bytes for bytea, else text). Text/blob
     * point into the driver's memory and stay valid until the next
     * step/reset (reading other columns does not move them); scratch may be
     * used. REL_DATABASE when the value cannot be read as `type`. */
    rel_status (*column)(rel_dstmt *s, int col, rel_type type, rel_value *out, rel_buf *scratch);
    /* Columns first .. first+n-1 of the current row at once, column first+k
     * read as column reads it as types[k], into out[k] (only the members of
     * its kind are set). Stops at the first column that cannot be read:
     * returns column's status for it with *failed = k. Loading rows reads
     * every value through here: one call per row instead of one per value. */
    rel_status (*columns)(rel_dstmt *s, int first, size_t n, const rel_type *types,
                          rel_value *out, size_t *failed, rel_buf *scratch);
    /* Rows inserted, updated or deleted by the last execution (0 for
     * SELECT and DDL); on SQLite valid once step has returned DONE. */
    int64_t (*changes)(rel_dstmt *s);
    /* After an INSERT's execution has run to its end (step returned DONE):
     * the rowid of the last row it inserted (SQLite; 0 on PostgreSQL). */
    int64_t (*last_insert_id)(rel_dstmt *s);
    /* Whether a multi-row INSERT into `table` that leaves `column` to the
     * database gives its rows consecutive keys in order, the last one
     * last_insert_id: column is the table's AUTOINCREMENT rowid and no
     * trigger on the table can write rows in between or skip some. This is
     * how Sequelize reads a bulkCreate's ids on SQLite (lastID - changes +
     * 1), without the RETURNING that makes SQLite run a trigger program per
     * row. False when unsure, and always on PostgreSQL. */
    bool (*consecutive_keys)(rel_conn *c, const char *table, const char *column);
    /* Ends the current execution so the statement can be run again. */
    void (*reset)(rel_dstmt *s);
    void (*finalize)(rel_dstmt *s);
    /* True when the connection is known to be unusable. */
    bool (*broken)(rel_conn *c);
    rel_tx_state (*tx_state)(rel_conn *c);
} rel_dialect;

extern const rel_dialect rel_dialect_sqlite;
extern const rel_dialect rel_dialect_postgres;

/* "sqlite" / "postgres" (also "postgresql") -> dialect, NULL if unknown. */
const rel_dialect *rel_dialect_by_name(const char *name);

/* Shared by both dialects: "ident" with embedded quotes doubled. */
void rel_dialect_quote_ident(rel_buf *b, const char *ident);

/* Shared by both dialects: DECIMAL(p,s), DECIMAL(p) when the scale is 0,
 * DECIMAL when the precision is 0 (as Sequelize). */
void rel_dialect_decimal_type(rel_buf *b, const rel_attr *a);

/* Shared by both to_db: text copied into scratch (reset first), as a text
 * value pointing there. */
rel_value rel_dialect_scratch_text(rel_buf *scratch, const char *text);

/* Shared by both drivers: the whole of t as a base-10 int64 (no trailing
 * junk, no overflow); false otherwise, *out untouched. */
bool rel_dialect_parse_i64(const char *t, int64_t *out);

/* Shared by both drivers: whether a value of type is the column's text as it
 * is read (STRING, TEXT, UUID, DATEONLY, JSON; PostgreSQL's DECIMAL too). */
static inline bool rel_dialect_text_type(rel_type type)
{
    return type == REL_STRING || type == REL_TEXT || type == REL_UUID ||
           type == REL_DATEONLY || type == REL_JSON;
}

#endif
