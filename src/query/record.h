/* Rows in memory and results that own them.
 *
 * Canonical values (what a record holds for each attribute type):
 *   INTEGER, BIGINT          REL_V_INT
 *   FLOAT, DOUBLE            REL_V_DOUBLE (REL_V_INT accepted on set, converted)
 *   DECIMAL                  REL_V_TEXT on PostgreSQL ("10.50"), REL_V_DOUBLE or
 *                            REL_V_INT on SQLite (as SQLite stores it); JSON
 *                            prints text as a string and numbers as numbers
 *   STRING, TEXT, UUID,
 *   DATEONLY, JSON           REL_V_TEXT (JSON: the JSON text)
 *   BOOLEAN                  REL_V_INT 0/1
 *   DATE                     REL_V_INT, ms since the epoch, UTC
 *   BLOB                     REL_V_BLOB
 *   NULL                     REL_V_NULL
 */
#ifndef REL_QUERY_RECORD_H
#define REL_QUERY_RECORD_H

#include "relate.h"
#include "schema/schema.h"
#include "util/arena.h"
#include "util/buf.h"

/* Included rows under one association of a row. */
typedef struct rel_incl_slot {
    const rel_assoc *assoc;
    bool loaded;          /* false: the association was not included */
    rel_record **rows;    /* to-one: 0 or 1 row */
    size_t n;
} rel_incl_slot;

struct rel_record {
    const rel_model *model;
    rel_arena *arena;      /* where values live: the result's, or the record's own */
    bool owns_arena;       /* made by rel_new: freed by rel_record_free */
    bool stored;           /* came from or was saved to the database */
    rel_value *values;     /* model->nattrs entries, canonical */
    unsigned char *set;    /* per attribute: selected/assigned (1) or absent (0) */
    unsigned char *changed;/* per attribute: changed since load/save */
    rel_incl_slot *incl;   /* included associations, in include order */
    size_t nincl;
    rel_record *through;   /* belongsToMany: the junction row it came with */
    const char *through_name; /* JSON key for it: the junction model's name */
    const int *order;      /* JSON key order (attribute indexes) when the row was
                              read with an explicit attribute list; NULL: model order */
    size_t norder;
    bool bigint_as_string; /* read from / saved to PostgreSQL: BIGINT prints as a string */
};

struct rel_result {
    rel_arena *arena;      /* owns every row and value of the tree */
    const rel_model *model;
    rel_record **rows;
    size_t n, cap;
    bool json_bigint_as_string;  /* PostgreSQL: BIGINT prints as a string */
};

/* Attribute i's value (REL_V_NULL when not set); text and blobs are the
 * record's, valid as long as it is. */
static inline rel_value rel_record_at(const rel_record *r, int i) { return r->values[i]; }
/* Whether attribute i was selected or assigned. */
static inline bool rel_record_has(const rel_record *r, int i) { return r->set[i] != 0; }
/* Whether attribute i changed since the row was loaded or saved. */
static inline bool rel_record_is_changed(const rel_record *r, int i) { return r->changed[i] != 0; }
static inline void rel_record_mark_changed(rel_record *r, int i, bool on)
{
    r->changed[i] = on;
}
/* The row now matches the database: stored, nothing changed. */
void rel_record_mark_saved(rel_record *r);
/* Makes attribute i absent again (not set, NULL, unchanged). */
void rel_record_clear(rel_record *r, int i);

/* A copy in arena of r's values and flags, for rel_record_state_restore
 * (text stays in r's arena, which only grows). NULL when out of memory. */
void *rel_record_state_save(rel_arena *arena, const rel_record *r);
void rel_record_state_restore(rel_record *r, const void *state);

/* A record whose memory lives in `arena` (a result's). */
rel_record *rel_record_in(rel_arena *arena, const rel_model *model);
/* Sets every attribute that has a default value to it, as rel_new does
 * (marked changed, so an insert writes it). REL_NOMEM on out of memory. */
rel_status rel_record_apply_defaults(rel_record *r);
/* Stores a canonical value for attribute index i, copying text/blobs into
 * the record's arena. Marks it set (and changed when mark_changed). */
rel_status rel_record_put(rel_record *r, int i, rel_value v, bool mark_changed);
/* Converts a value given by a caller or parsed from JSON to the canonical
 * value of the attribute's type (REL_INVALID with a message if it cannot). */
rel_status rel_value_coerce(const rel_attr_def *attr, rel_value in, rel_value *out,
                            rel_buf *scratch, rel_error *err);

/* Puts `lead` and `name` followed by '.' in front of err's message (when err
 * is not NULL): "Employee" + "age: ..." -> "Employee.age: ...". */
void rel_error_prefix(rel_error *err, const char *lead, const char *name);

rel_result *rel_result_new(const rel_model *model);
rel_status rel_result_push(rel_result *res, rel_record *r);

/* Appends the JSON of one record (and its includes) to b. */
bool rel_record_json_write(rel_buf *b, const rel_record *r, bool bigint_as_string);

#endif
