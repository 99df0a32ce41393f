/*
 * relate — an object-relational mapper for C with Sequelize's associations.
 *
 * One header, the whole API. Conventions used throughout:
 *
 *  - Functions that can fail return a rel_status (REL_OK is 0) and, when the
 *    caller passes a rel_error, fill it with a message that says what to fix.
 *    Passing NULL for the rel_error is allowed.
 *  - Ownership is stated beside each function: "owned" results must be freed
 *    by the caller with the named function; "borrowed" pointers stay valid as
 *    long as the object they came from. Every rel_x_free(NULL) does nothing.
 *  - Option structs are zero-initialisable: a zeroed field means "Sequelize's
 *    default". Tri-state flags use rel_flag so that zero can mean "default".
 *  - Threads: a frozen rel_schema is immutable and may be shared by any number
 *    of threads. A rel_db (one connection), and the records and results made
 *    through it, are used by one thread at a time.
 *  - relate never prints, exits or aborts on behalf of the caller.
 */
#ifndef RELATE_H
#define RELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

#define RELATE_VERSION_MAJOR 0
#define RELATE_VERSION_MINOR 1
#define RELATE_VERSION_PATCH 0
#define RELATE_VERSION_STRING "0.1.0"
#define RELATE_VERSION_NUMBER                                                  \
    (RELATE_VERSION_MAJOR * 1000000 + RELATE_VERSION_MINOR * 1000 +            \
     RELATE_VERSION_PATCH)

/* The library's version at run time, as RELATE_VERSION_NUMBER / _STRING. */
int rel_version(void);
const char *rel_version_string(void);

/* ----------------------------------------------------------------- errors */

typedef enum rel_status {
    REL_OK = 0,
    REL_ERROR = -1,       /* anything not listed below */
    REL_NOMEM = -2,       /* out of memory */
    REL_INVALID = -3,     /* bad argument: unknown attribute, wrong type, ... */
    REL_DEFINITION = -4,  /* the schema is wrong (reported by rel_schema_freeze) */
    REL_PARSE = -5,       /* malformed model file or JSON option */
    REL_NOT_FOUND = -6,   /* no such row */
    REL_UNIQUE = -7,      /* unique constraint violated */
    REL_NOT_NULL = -8,    /* NOT NULL constraint violated (or would be) */
    REL_FOREIGN_KEY = -9, /* foreign key constraint violated */
    REL_CONSTRAINT = -10, /* another constraint (CHECK, ...) violated */
    REL_DATABASE = -11,   /* any other error reported by the database */
    REL_CONNECTION = -12, /* the connection is broken or could not be made */
    REL_BUSY = -13,       /* the database is locked by someone else */
    REL_READONLY = -14,   /* the database cannot be written */
    REL_MISUSE = -15      /* the API was used in a way it cannot work */
} rel_status;

typedef struct rel_error {
    rel_status code;
    char engine_code[8]; /* SQLSTATE (PostgreSQL) or extended result code
                            (SQLite) as text; "" when not from the engine */
    char file[256];      /* model files: the file name, else "" */
    int line, column;    /* model files: 1-based position, else 0 */
    char message[1024];  /* what went wrong and what to do about it */
} rel_error;

/* A short constant name for a status ("REL_UNIQUE"). Never NULL. */
const char *rel_status_name(rel_status status);

/* ------------------------------------------------------------ definitions */

typedef struct rel_schema rel_schema;
typedef struct rel_model rel_model;
typedef struct rel_assoc rel_assoc;

/* Tri-state option: zero means "Sequelize's default". */
typedef enum rel_flag { REL_DEFAULT = 0, REL_NO = 1, REL_YES = 2 } rel_flag;

typedef enum rel_type {
    REL_TYPE_NONE = 0,
    REL_INTEGER,
    REL_BIGINT,
    REL_FLOAT,
    REL_DOUBLE,
    REL_DECIMAL,  /* DECIMAL(length = precision, scale) */
    REL_STRING,   /* VARCHAR(length), 255 when length is 0 */
    REL_TEXT,
    REL_BOOLEAN,
    REL_DATE,     /* timestamp with time zone */
    REL_DATEONLY,
    REL_UUID,
    REL_BLOB,
    REL_JSON
} rel_type;

/* The type's Sequelize name ("STRING", "DATEONLY", ...); "(no type)" for
   REL_TYPE_NONE or an unknown value. Never NULL. */
const char *rel_type_name(rel_type type);

/* One attribute (column) of a model. Arrays of these end with a zeroed entry. */
typedef struct rel_attr {
    const char *name;       /* attribute name: the JSON key and the default column */
    rel_type type;
    int length;             /* STRING(n); DECIMAL precision */
    int scale;              /* DECIMAL scale */
    rel_flag allow_null;    /* default: YES (REL_NO for NOT NULL) */
    bool unique;
    bool primary_key;
    bool auto_increment;
    const char *field;      /* column name; default: the name (snake_case when
                               the model is underscored) */
    const char *default_value; /* as text, converted to the type ("0", "true",
                               "hello"); "NOW" for DATE means the current time */
} rel_attr;

typedef struct rel_model_opts {
    const char *table_name;    /* used verbatim */
    bool freeze_table_name;    /* table = model name instead of its plural */
    rel_flag timestamps;       /* createdAt/updatedAt; default YES */
    bool underscored;          /* snake_case columns and table name */
    const char *singular;      /* name.singular; default: singular of the name */
    const char *plural;        /* name.plural; default: plural of the name */
} rel_model_opts;

/* A foreign key given as an attribute description (Sequelize's
   `foreignKey: { name, field, allowNull, unique }`). */
typedef struct rel_key_opts {
    const char *name;
    const char *field;
    rel_flag allow_null;
    bool unique;
} rel_key_opts;

typedef struct rel_assoc_opts {
    const char *as;          /* alias; for hasMany/belongsToMany the plural */
    const char *as_singular; /* with as: the singular form, as in
                                `as: { singular, plural }` */
    rel_key_opts foreign_key; /* .foreign_key.name = "otherId" */
    rel_key_opts other_key;   /* belongsToMany: the target side's key */
    const char *source_key;  /* "" or NULL: not given */
    const char *target_key;  /* "" or NULL: not given */
    const char *through;     /* belongsToMany: the junction model's name; a
                                model of that name is used if one is defined,
                                otherwise one is created */
    rel_flag through_unique; /* through: { unique: false } */
    const char *on_delete;   /* "CASCADE", "SET NULL", "RESTRICT",
                                "NO ACTION", "SET DEFAULT" (any case) */
    const char *on_update;
    rel_flag constraints;    /* REL_NO: no REFERENCES clause */
} rel_assoc_opts;

typedef enum rel_assoc_kind {
    REL_HAS_ONE = 1,
    REL_BELONGS_TO,
    REL_HAS_MANY,
    REL_BELONGS_TO_MANY
} rel_assoc_kind;

/* Owned: free with rel_schema_free. NULL on out of memory. */
rel_schema *rel_schema_new(void);
void rel_schema_free(rel_schema *schema);

/* Defines a model. attrs ends with a zeroed entry; opts may be NULL. The
   strings are copied. Returns a handle borrowed from the schema, or NULL on
   out of memory or when the schema is frozen. Mistakes (a duplicate name, an
   unknown type) are reported by rel_schema_freeze. */
rel_model *rel_define(rel_schema *schema, const char *name, const rel_attr *attrs,
                      const rel_model_opts *opts);

/* Sequelize's four associations. target may be NULL (reported at freeze);
   opts may be NULL. Returns a handle borrowed from the schema, NULL on out of
   memory. Every definition error is reported by rel_schema_freeze. */
rel_assoc *rel_has_one(rel_model *source, rel_model *target, const rel_assoc_opts *opts);
rel_assoc *rel_belongs_to(rel_model *source, rel_model *target, const rel_assoc_opts *opts);
rel_assoc *rel_has_many(rel_model *source, rel_model *target, const rel_assoc_opts *opts);
rel_assoc *rel_belongs_to_many(rel_model *source, rel_model *target, const rel_assoc_opts *opts);

/* Resolves every association (key names, types, junction models, rules) and
   reports every definition error at once: the rel_error holds the first, and
   rel_schema_error_count / rel_schema_error_at list them all. After success
   the schema is immutable and may be shared across threads; after failure it
   cannot be used to open a connection. */
rel_status rel_schema_freeze(rel_schema *schema, rel_error *err);
size_t rel_schema_error_count(const rel_schema *schema);
const rel_error *rel_schema_error_at(const rel_schema *schema, size_t i); /* borrowed */

/* Introspection (borrowed pointers, valid while the schema lives). */
size_t rel_schema_model_count(const rel_schema *schema);
rel_model *rel_schema_model_at(const rel_schema *schema, size_t i);
rel_model *rel_schema_model(const rel_schema *schema, const char *name);
const char *rel_model_name(const rel_model *model);
const char *rel_model_table(const rel_model *model);     /* after freeze */
size_t rel_model_attr_count(const rel_model *model);     /* after freeze: all, incl. id, FKs, timestamps */
const rel_attr *rel_model_attr_at(const rel_model *model, size_t i);
const rel_attr *rel_model_attr(const rel_model *model, const char *name);
const char *rel_model_primary_key(const rel_model *model); /* attribute name */
size_t rel_model_assoc_count(const rel_model *model);
rel_assoc *rel_model_assoc_at(const rel_model *model, size_t i);
rel_assoc *rel_model_assoc(const rel_model *model, const char *name);
rel_assoc_kind rel_assoc_kind_of(const rel_assoc *assoc);
const char *rel_assoc_name(const rel_assoc *assoc);      /* the `as`, else the default name */
rel_model *rel_assoc_source(const rel_assoc *assoc);
rel_model *rel_assoc_target(const rel_assoc *assoc);
rel_model *rel_assoc_through(const rel_assoc *assoc);    /* belongsToMany: the junction */
const char *rel_assoc_foreign_key(const rel_assoc *assoc); /* attribute name */
const char *rel_assoc_other_key(const rel_assoc *assoc);   /* belongsToMany */
const char *rel_assoc_source_key(const rel_assoc *assoc);
const char *rel_assoc_target_key(const rel_assoc *assoc);
const char *rel_assoc_on_delete(const rel_assoc *assoc);
const char *rel_assoc_on_update(const rel_assoc *assoc);

/* ------------------------------------------------------------ model files */

/* Reads a model file (see DESIGN.md: a strict subset of JavaScript) into a
   new schema, frozen. On error returns REL_PARSE or REL_DEFINITION with the
   first error's file, line and column in err; *errors_out (if not NULL)
   receives every error as "file:line:col: message" lines (owned: free()).
   *out is owned: rel_schema_free. */
rel_status rel_schema_load_file(const char *path, rel_schema **out, char **errors_out,
                                rel_error *err);
rel_status rel_schema_load_text(const char *text, size_t len, const char *filename,
                                rel_schema **out, char **errors_out, rel_error *err);

/* ------------------------------------------------------------- connection */

typedef struct rel_db rel_db;

typedef enum rel_value_kind {
    REL_V_NULL = 0,
    REL_V_INT,    /* INTEGER, BIGINT, BOOLEAN (0/1), DATE (ms since epoch) */
    REL_V_DOUBLE, /* FLOAT, DOUBLE, DECIMAL on SQLite */
    REL_V_TEXT,   /* STRING, TEXT, UUID, DATEONLY, JSON, DECIMAL on PostgreSQL */
    REL_V_BLOB
} rel_value_kind;

/* A value as given to or read from relate. Text and blobs are borrowed. */
typedef struct rel_value {
    rel_value_kind kind;
    int64_t i;
    double d;
    const char *s; /* TEXT (NUL-terminated) and BLOB */
    size_t len;    /* byte length of s */
} rel_value;

static inline rel_value rel_int(int64_t v) { rel_value x = {REL_V_INT, v, 0, NULL, 0}; return x; }
static inline rel_value rel_text(const char *s) { size_t n = 0; while (s && s[n]) n++; rel_value x = {s ? REL_V_TEXT : REL_V_NULL, 0, 0, s, n}; return x; }
static inline rel_value rel_null(void) { rel_value x = {REL_V_NULL, 0, 0, NULL, 0}; return x; }

/* Called for every statement relate runs, with its bound parameters, before
   it runs. sql and params are borrowed for the duration of the call. */
typedef void (*rel_log_fn)(void *user, const char *sql, const rel_value *params,
                           size_t nparams);

/* Opens one connection: "sqlite:path/to/file.db", "sqlite::memory:", or
   "postgres://user:password@host:port/dbname?sslmode=..." (query parameters
   pass through to libpq). The schema must be frozen and must outlive the
   connection. On SQLite, foreign keys are enforced on every connection.
   *out is owned: rel_close. Passwords never appear in errors or logs. */
rel_status rel_open(rel_db **out, const rel_schema *schema, const char *url, rel_error *err);
void rel_close(rel_db *db);
void rel_set_logger(rel_db *db, rel_log_fn fn, void *user);
const char *rel_db_dialect(const rel_db *db); /* "sqlite" or "postgres" */
const rel_schema *rel_db_schema(const rel_db *db);
/* False once the connection is known to be broken (after REL_CONNECTION). */
bool rel_db_ok(const rel_db *db);

/* Transactions; nested begins become savepoints. Every rollback undoes
   exactly the matching begin. After a statement fails inside a transaction,
   only rel_rollback works at that level (as on PostgreSQL, on both engines);
   a commit that the engine refuses (e.g. a deferred foreign key) rolls its
   level back and returns the error, so every begin is closed exactly once. */
rel_status rel_begin(rel_db *db, rel_error *err);
rel_status rel_commit(rel_db *db, rel_error *err);
rel_status rel_rollback(rel_db *db, rel_error *err);

/* Runs one SQL statement given by the caller with bound parameters and
   discards any rows. For escape hatches and tests; values are still bound. */
rel_status rel_exec(rel_db *db, const char *sql, const rel_value *params, size_t nparams,
                    rel_error *err);

/* ------------------------------------------------------------------- sync */

typedef struct rel_sync_opts {
    bool force; /* drop every table first (children first) */
} rel_sync_opts;

/* Creates every table of the schema (IF NOT EXISTS), parents first, in one
   transaction where the engine allows DDL in transactions. opts may be NULL. */
rel_status rel_sync(rel_db *db, const rel_sync_opts *opts, rel_error *err);

/* The statements rel_sync would run for a dialect ("sqlite"/"postgres"),
   each ending with ';' and a newline, in order. *out is owned: free(). */
rel_status rel_ddl(const rel_schema *schema, const char *dialect, const rel_sync_opts *opts,
                   char **out, rel_error *err);

/* ---------------------------------------------------------------- records */

/* A row of a model: its attribute values, which are changed, and (for rows
   that come from a find) its included associated rows. */
typedef struct rel_record rel_record;
typedef struct rel_result rel_result;

/* A new, unsaved row with every attribute unset (NULL, or the default value
   when the attribute has one). Owned: rel_record_free. */
rel_record *rel_new(const rel_model *model);
/* Frees a row made with rel_new (rows borrowed from a rel_result are owned by
   the result and must not be freed; rel_record_free ignores them). */
void rel_record_free(rel_record *record);
const rel_model *rel_record_model(const rel_record *record);

/* Setters copy the value. They fail with REL_INVALID for an unknown
   attribute or a value that does not fit the attribute's type. */
rel_status rel_set(rel_record *r, const char *attr, rel_value v, rel_error *err);
rel_status rel_set_int(rel_record *r, const char *attr, int64_t v, rel_error *err);
rel_status rel_set_double(rel_record *r, const char *attr, double v, rel_error *err);
rel_status rel_set_bool(rel_record *r, const char *attr, bool v, rel_error *err);
rel_status rel_set_text(rel_record *r, const char *attr, const char *v, rel_error *err); /* NULL sets NULL */
rel_status rel_set_blob(rel_record *r, const char *attr, const void *p, size_t n, rel_error *err);
rel_status rel_set_time(rel_record *r, const char *attr, int64_t unix_ms, rel_error *err);
rel_status rel_set_null(rel_record *r, const char *attr, rel_error *err);

/* Getters; an unknown attribute reads as NULL. Text is borrowed from the row. */
bool rel_has_attr(const rel_record *r, const char *attr);
bool rel_is_null(const rel_record *r, const char *attr);
rel_value rel_get(const rel_record *r, const char *attr);
int64_t rel_get_int(const rel_record *r, const char *attr);     /* 0 when NULL */
double rel_get_double(const rel_record *r, const char *attr);   /* 0 when NULL */
bool rel_get_bool(const rel_record *r, const char *attr);
const char *rel_get_text(const rel_record *r, const char *attr); /* NULL when NULL */
int64_t rel_get_time(const rel_record *r, const char *attr);    /* ms since epoch */

/* Included rows (borrowed). To-one: the row or NULL. To-many: the count, and
   the i-th row. For belongsToMany rows, rel_get_through gives the junction
   row they were loaded with (or NULL). */
rel_record *rel_get_one(const rel_record *r, const char *assoc);
size_t rel_get_many_count(const rel_record *r, const char *assoc);
rel_record *rel_get_many_at(const rel_record *r, const char *assoc, size_t i);
rel_record *rel_get_through(const rel_record *r);

/* ------------------------------------------------------------------ CRUD */

/* Inserts a new row or updates the changed attributes of a stored one
   (updatedAt bumped). After an insert the row carries its id and every
   attribute (NULL when unset); createdAt/updatedAt are set. */
rel_status rel_save(rel_db *db, rel_record *r, rel_error *err);
/* Deletes a stored row by its primary key. */
rel_status rel_destroy(rel_db *db, rel_record *r, rel_error *err);
/* Inserts many rows of one model in one transaction, in batches of one
   multi-row INSERT each (at most 1,000 rows); rows receive their ids, and
   the attributes they left unset (NULL, or the column's default) or that the
   database stores in its own form (DECIMAL scale, UUID case, ...) as stored.
   All or nothing: a bad row (NULL, of another model, already saved, a NULL
   where allowNull is false: REL_NOT_NULL "row N: notNull Violation: ...")
   or a failed INSERT rolls back the batches before it, and the rows are then
   as they were: unsaved, without the ids, timestamps and values the undone
   inserts gave them (an updatedAt a row held keeps the new time). The
   records are borrowed; they must not be in rows twice. */
rel_status rel_bulk_create(rel_db *db, rel_record *const *rows, size_t n, rel_error *err);

/* Creates a row from a JSON object and, as Sequelize's create(…, { include })
   does, the associated rows nested under association names, in one
   transaction. *out (owned: rel_result_free) holds the created tree. */
rel_status rel_create_json(rel_db *db, const rel_model *model, const char *json,
                           rel_result **out, rel_error *err);

/* ------------------------------------------------------------------ find */

/* One node of an include tree. Arrays end with a zeroed entry. */
typedef struct rel_include {
    const char *association;    /* association name (alias) or target model name */
    rel_flag required;          /* default: YES when where is given, else NO */
    const char *where;          /* JSON, as Sequelize's where (see below) */
    const char *const *attributes; /* NULL: all; else a NULL-terminated list */
    const char *through_where;  /* belongsToMany: where on the junction row */
    const char *const *through_attributes; /* NULL: all; {NULL}: none */
    const struct rel_include *include; /* nested includes */
} rel_include;

/* where: a JSON object mirroring Sequelize's, with operator names without
   the Op. prefix: {"age":{"gt":30},"or":[{"name":"Ann"},{"name":"Bo"}]};
   operators eq ne gt gte lt lte in notIn like notLike between is not and or.
   order: JSON [["name","DESC"],["Employees","name","ASC"]] or ["name"].
   Values are always bound as parameters. */
typedef struct rel_find_opts {
    const char *where;
    const char *order;
    const char *const *attributes; /* NULL: all */
    int64_t limit;                 /* 0: no limit */
    int64_t offset;
    const rel_include *include;
    /* rel_assoc_get / a belongsToMany: where on the junction row, as
       getTasks({ through: { where } }); a where key named after the junction
       model does the same. Ignored elsewhere. */
    const char *through_where;
} rel_find_opts;

/* Finds rows (and their included rows). *out is owned: rel_result_free. */
rel_status rel_find_all(rel_db *db, const rel_model *model, const rel_find_opts *opts,
                        rel_result **out, rel_error *err);
/* Finds one row by primary key; REL_NOT_FOUND when there is none. */
rel_status rel_find_by_pk(rel_db *db, const rel_model *model, rel_value pk,
                          const rel_find_opts *opts, rel_result **out, rel_error *err);
/* Counts rows; with includes, counts distinct top-level rows. */
rel_status rel_count(rel_db *db, const rel_model *model, const rel_find_opts *opts,
                     int64_t *out, rel_error *err);

size_t rel_result_count(const rel_result *res);
rel_record *rel_result_row(const rel_result *res, size_t i); /* borrowed */
void rel_result_free(rel_result *res);

/* ------------------------------------------------------------------- JSON */

/* JSON exactly as Sequelize's JSON.stringify(row.toJSON()) / of an array of
   rows. Owned: free(). NULL on out of memory. */
char *rel_record_json(const rel_record *r);
char *rel_result_json(const rel_result *res);
/* Streams the result's JSON array to a writer in pieces, so memory stays
   bounded by the result. write returns false to stop (then REL_ERROR). */
typedef bool (*rel_write_fn)(void *user, const char *data, size_t len);
rel_status rel_result_write_json(const rel_result *res, rel_write_fn write, void *user,
                                 rel_error *err);

/* -------------------------------------------------- association methods */

/* Sequelize's association mixins, reached by the association's name (its
   `as`, else the default name: target plural for to-many, singular for
   to-one). Targets are given as rows or, in the *_keys forms, as key values
   of the target's key. Every method that writes more than one row runs in a
   single transaction (the caller's if one is open); on failure nothing is
   changed. The number of statements does not grow with the number of rows.
   Rows passed in are updated in memory to follow the database (their
   foreign keys). */

/* getX / getXs: *out owned (rel_result_free). opts may filter, order,
   limit, include. belongsToMany rows carry their junction row. */
rel_status rel_assoc_get(rel_db *db, const rel_record *src, const char *assoc,
                         const rel_find_opts *opts, rel_result **out, rel_error *err);
/* countXs (to-many): where is JSON or NULL. */
rel_status rel_assoc_count(rel_db *db, const rel_record *src, const char *assoc,
                           const char *where, int64_t *out, rel_error *err);
/* hasX / hasXs: true only if every given target is linked. */
rel_status rel_assoc_has(rel_db *db, const rel_record *src, const char *assoc,
                         rel_record *const *targets, size_t n, bool *out, rel_error *err);
rel_status rel_assoc_has_keys(rel_db *db, const rel_record *src, const char *assoc,
                              const rel_value *keys, size_t n, bool *out, rel_error *err);
/* setX (to-one: n is 0 or 1; 0 unlinks) / setXs (to-many: exactly these).
   through: belongsToMany junction attribute values (a row of the junction
   model, or NULL). src is updated for belongsTo. */
rel_status rel_assoc_set(rel_db *db, rel_record *src, const char *assoc,
                         rel_record *const *targets, size_t n, const rel_record *through,
                         rel_error *err);
rel_status rel_assoc_set_keys(rel_db *db, rel_record *src, const char *assoc,
                              const rel_value *keys, size_t n, const rel_record *through,
                              rel_error *err);
/* addX / addXs (to-many). */
rel_status rel_assoc_add(rel_db *db, const rel_record *src, const char *assoc,
                         rel_record *const *targets, size_t n, const rel_record *through,
                         rel_error *err);
rel_status rel_assoc_add_keys(rel_db *db, const rel_record *src, const char *assoc,
                              const rel_value *keys, size_t n, const rel_record *through,
                              rel_error *err);
/* removeX / removeXs (to-many). Removing what is not linked does nothing. */
rel_status rel_assoc_remove(rel_db *db, const rel_record *src, const char *assoc,
                            rel_record *const *targets, size_t n, rel_error *err);
rel_status rel_assoc_remove_keys(rel_db *db, const rel_record *src, const char *assoc,
                                 const rel_value *keys, size_t n, rel_error *err);
/* createX: saves target (a new row of the target model) and links it, in one
   transaction; through as in set. src is updated for belongsTo. */
rel_status rel_assoc_create(rel_db *db, rel_record *src, const char *assoc,
                            rel_record *target, const rel_record *through, rel_error *err);

#ifdef __cplusplus
}
#endif

#endif /* RELATE_H */
