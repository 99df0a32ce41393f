/* Internal: the syntax tree of a model file (.rel), with positions.
 *
 * A model file is a strict subset of JavaScript (see DESIGN.md, "Model files"):
 *
 *   [const|let|var] Name = [sequelize.]define('Name', {attributes}[, {options}])[;]
 *   Source.hasOne|belongsTo|hasMany|belongsToMany(Target[, {options}])[;]
 *
 * rel_modelfile_parse() only checks syntax; turning the tree into a schema (type
 * names, option meanings, unknown models) is the next step's job.  Every line and
 * column is 1-based; a column counts characters (UTF-8 code points), a tab is one.
 *
 * Everything reachable from a rel_modelfile (nodes, strings, arrays) lives in one
 * arena owned by it and is freed by rel_modelfile_free().  A rel_modelfile is never
 * changed after parsing, so it may be read from several threads at once.
 */
#ifndef REL_IO_MODELFILE_H
#define REL_IO_MODELFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Parsing stops collecting diagnostics after this many. */
#define REL_MF_MAX_DIAGS 50

typedef enum rel_js_kind {
    REL_JS_NULL,
    REL_JS_BOOL,
    REL_JS_NUMBER,
    REL_JS_STRING,
    REL_JS_IDENT,  /* dotted path as written, without spaces: "DataTypes.STRING" */
    REL_JS_CALL,   /* callee path + arguments: DataTypes.DECIMAL(10, 2) */
    REL_JS_OBJECT,
    REL_JS_ARRAY
} rel_js_kind;

typedef struct rel_js {
    rel_js_kind kind;
    int line, col;            /* the value's first character (the '-' of -1) */
    bool b;                   /* BOOL */
    double num;               /* NUMBER (inf when it overflows, as in JavaScript) */
    const char *num_text;     /* NUMBER as written, with its '-': "-1.5e3" */
    const char *str;          /* STRING value (UTF-8, no NUL inside), IDENT path,
                                 CALL callee path; NULL for other kinds */
    size_t n;                 /* OBJECT: members; ARRAY: items; CALL: arguments */
    const char **keys;        /* OBJECT keys, as JavaScript sees them ({1.0: x} is "1") */
    int *key_lines, *key_cols;/* OBJECT key positions */
    struct rel_js **items;    /* OBJECT values, ARRAY items, CALL arguments */
} rel_js;

typedef enum rel_mf_stmt_kind { REL_MF_DEFINE, REL_MF_ASSOC } rel_mf_stmt_kind;

typedef struct rel_mf_stmt {
    rel_mf_stmt_kind kind;
    int line, col;                                     /* first token of the statement */
    /* DEFINE */
    const char *var;   int var_line, var_col;          /* the variable; never NULL */
    const char *model; int model_line, model_col;      /* the 'Name' string */
    rel_js *attrs;                                     /* an OBJECT */
    rel_js *options;                                   /* an OBJECT or NULL */
    /* ASSOC */
    const char *source; int source_line, source_col;
    const char *method; int method_line, method_col;   /* hasOne|belongsTo|hasMany|belongsToMany */
    const char *target; int target_line, target_col;
    rel_js *assoc_options;                             /* an OBJECT or NULL */
} rel_mf_stmt;

typedef struct rel_mf_diag {
    int line, col;
    char message[256];
} rel_mf_diag;

typedef struct rel_modelfile {
    const char *filename;   /* copy of the name given (NULL if none was) */
    size_t nstmts;
    rel_mf_stmt *stmts;     /* the statements that parsed, in file order */
    size_t ndiags;
    rel_mf_diag *diags;     /* syntax errors in file order, at most REL_MF_MAX_DIAGS */
    struct rel_arena *arena_; /* private: owns everything above */
} rel_modelfile;

/* Parses text (len bytes, need not be NUL-terminated; a leading UTF-8 BOM is
 * skipped).  Syntax errors do not fail the call: they are listed in diags, and
 * stmts holds the statements that parsed.  Returns NULL only when out of memory.
 * The result is owned by the caller: rel_modelfile_free(). */
rel_modelfile *rel_modelfile_parse(const char *text, size_t len, const char *filename);

/* Frees mf and everything in it.  NULL does nothing. */
void rel_modelfile_free(rel_modelfile *mf);

/* The value of member key in an OBJECT (borrowed); NULL when obj is NULL, is not an
 * OBJECT or has no such key.  A key written twice gives the last value, as in
 * JavaScript. */
const rel_js *rel_js_get(const rel_js *obj, const char *key);

#endif
