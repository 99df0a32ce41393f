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

typedef struct rel_dialect {
    const char *name; /* "sqlite" or "postgres" */

    /* ---- SQL text ---- */
    /* "name" with embedded quotes doubled. */
    void (*quote_ident)(rel_buf *b, const char *ident);
    /* The n-th (1-based) placeholder: "?" or "$n". */
    void (*placeholder)(rel_buf *b, int n);
    /* Column type for DDL, e.g. VARCHAR(255), TIMESTAMP WITH TIME ZONE,
     * DATETIME, TINYINT(1). Without NULL/PRIMARY KEY clauses. */
    void (*column_type)(rel_buf *b, const rel_attr_def *attr);
    /* The whole column definition of a generated auto-increment primary key,
     * after the quoted name: "INTEGER PRIMARY KEY AUTOINCREMENT" / "SERIAL". */
    const char *serial_pk;
    /* Membership in a list bound as ONE parameter, so statements do not grow
     * with the number of values: after the caller's left-hand side, writes
     * " IN (SELECT value FROM json_each(?))" (SQLite) or " = ANY($n::type[])"
     * (PostgreSQL) for the param_no-th placeholder. */
    void (*in_array)(rel_buf *sql, int param_no, rel_type elem_type);
    /* Encodes n canonical values as that parameter's text (a JSON array on
     * SQLite, an array literal on PostgreSQL) into scratch. */
    bool (*array_param)(rel_buf *scratch, const rel_value *vals, size_t n, rel_type elem_type);

    /* ---- values ---- */
    /* Converts a canonical value (see record.h) of an attribute type to what
     * is bound: DATE ms -> text in the engine's format, BOOLEAN -> 0/1 or
     * true/false, ... Text is written to scratch when it must be made. */
    rel_value (*to_db)(rel_type type, rel_value v, rel_buf *scratch);

    /* ---- driver ---- */
    rel_status (*connect)(const char *url, rel_conn **out, rel_error *err);
    void (*disconnect)(rel_conn *c);
    /* Runs SQL with no parameters and no rows (BEGIN, SAVEPOINT, DDL). */
    rel_status (*exec_simple)(rel_conn *c, const char *sql, rel_error *err);
    rel_status (*prepare)(rel_conn *c, const char *sql, rel_dstmt **out, rel_error *err);
    /* Binds and executes; rows are then read with step. */
    rel_status (*execute)(rel_dstmt *s, const rel_value *params, size_t n, rel_error *err);
    /* REL_STEP_ROW, REL_STEP_DONE, or a negative rel_status (err filled). */
    int (*step)(rel_dstmt *s, rel_error *err);
    int (*column_count)(rel_dstmt *s);
    /* The column of the current row converted to the canonical value of
     * `type` (see record.h). Text/blob point into the driver's memory and
     * are valid until the next step/reset; scratch may be used. */
    rel_status (*column)(rel_dstmt *s, int col, rel_type type, rel_value *out, rel_buf *scratch);
    int64_t (*changes)(rel_dstmt *s);
    /* Ends the current execution so the statement can be run again. */
    void (*reset)(rel_dstmt *s);
    void (*finalize)(rel_dstmt *s);
    /* True when the connection is known to be unusable. */
    bool (*broken)(rel_conn *c);
} rel_dialect;

extern const rel_dialect rel_dialect_sqlite;
extern const rel_dialect rel_dialect_postgres;

/* "sqlite" / "postgres" (also "postgresql") -> dialect, NULL if unknown. */
const rel_dialect *rel_dialect_by_name(const char *name);

#endif
