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

#include <stdint.h>
#include <string.h>

#include "relate.h"
#include "schema/schema.h"
#include "util/arena.h"
#include "util/buf.h"

/* Included rows under one association of a row. */
typedef struct rel_incl_slot {
    const rel_assoc *assoc;
    rel_record **rows;    /* to-one: 0 or 1 row */
    uint32_t n;           /* include loading keeps it in range */
    bool loaded;          /* false: the association was not included */
} rel_incl_slot;

/* One attribute's value; which member holds it is in the attribute's flag
 * byte. Text and blobs are NUL-terminated copies in the record's arena, their
 * byte length in the 4 bytes before them. */
typedef union rel_slot {
    int64_t i;
    double d;
    const char *s;
} rel_slot;

/* An attribute's flag byte: the value's rel_value_kind, then whether it is
 * set (selected or assigned) and changed since load or save. */
enum { REL_SLOT_KIND = 0x07, REL_SLOT_SET = 0x08, REL_SLOT_CHANGED = 0x10 };

/* What the rows of one query share, so that a row itself is small: their
 * model, the memory their text lives in, their JSON key order and how BIGINT
 * prints. A rel_new record has one of its own, in front of it. */
typedef struct rel_shape {
    const rel_model *model;
    rel_arena *arena;      /* the result's; a rel_new record's own, made when its
                              text outgrows the room after it (NULL until then) */
    uint16_t norder;       /* keys in order[] (no engine has tables of more columns) */
    uint16_t room;         /* rel_new: where the free bytes for text in the
                              record's block start, from the shape (0: none) */
    bool bigint_as_string; /* read from / saved to PostgreSQL: BIGINT prints as a string */
    bool owns_arena;       /* rel_new's: the block (shape, record, room) and the
                              arena are freed by rel_record_free */
    bool shared;           /* several rows use it: copied before one row changes it */
    bool ordered;          /* rows were read with an explicit attribute list:
                              their JSON keys are order[], else model order */
    int order[];           /* when ordered: attribute indexes (a rel_new shape has none) */
} rel_shape;

/* Included rows of a row, in include order. */
typedef struct rel_incl_list {
    size_t n;
    rel_incl_slot at[];
} rel_incl_list;

/* A row, laid out in one allocation as
 *
 *   [rel_incl_list *]  when made with REL_REC_INCL (includes go under it)
 *   [rel_record *]     when made with REL_REC_THROUGH (its junction row)
 *   rel_record         the shape
 *   rel_slot           model->nattrs values
 *   unsigned char      model->nattrs flag bytes, then the row's own flags
 *
 * A result holds one per loaded row: a task with four attributes loaded with
 * its junction row (placed right after it, REL_REC_NEXT) takes 48 + 48 bytes. */
struct rel_record {
    rel_shape *shape;
};

/* The row's own flag byte (after the attributes'). */
enum {
    REL_REC_INCL = 0x01,    /* room for includes in front */
    REL_REC_THROUGH = 0x02, /* room for a pointer to its junction row in front */
    REL_REC_STORED = 0x04,
    REL_REC_NEXT = 0x08     /* its junction row follows it (rel_record_in_pair) */
};

/* Bytes of a row of model without what is in front of it: the shape
 * pointer, the slots, the attributes' flag bytes and its own. */
static inline size_t rel_record_bytes(const rel_model *model)
{
    return sizeof(rel_record) + model->nattrs * (sizeof(rel_slot) + 1) + 1;
}

/* rel_record_bytes rounded so that a row placed after it is aligned. */
static inline size_t rel_record_span(const rel_model *model)
{
    return (rel_record_bytes(model) + _Alignof(rel_record) - 1) / _Alignof(rel_record) *
           _Alignof(rel_record);
}

static inline const rel_model *rel_rec_model(const rel_record *r)
{
    return r->shape->model;
}

static inline rel_arena *rel_rec_arena(const rel_record *r)
{
    return r->shape->arena;
}

/* n bytes for r's text, aligned to align (at most 8): from the room after a
 * rel_new record, else its arena (made now for a rel_new record that has
 * none). NULL when out of memory. */
void *rel_record_text_alloc(const rel_record *r, size_t n, size_t align);

static inline rel_slot *rel_record_slots(const rel_record *r)
{
    return (rel_slot *)(void *)((char *)(void *)(uintptr_t)r + sizeof *r);
}

static inline unsigned char *rel_record_flags(const rel_record *r)
{
    return (unsigned char *)(rel_record_slots(r) + r->shape->model->nattrs);
}

static inline unsigned char *rel_record_own_flags(const rel_record *r)
{
    return rel_record_flags(r) + r->shape->model->nattrs;
}

/* Came from or was saved to the database. */
static inline bool rel_record_stored(const rel_record *r)
{
    return (*rel_record_own_flags(r) & REL_REC_STORED) != 0;
}

static inline void rel_record_set_stored(rel_record *r, bool on)
{
    unsigned char *f = rel_record_own_flags(r);
    *f = (unsigned char)(on ? *f | REL_REC_STORED : *f & ~REL_REC_STORED);
}

/* The pointer slots in front of the record (NULL when it has none). */
static inline rel_record **rel_record_through_slot(const rel_record *r)
{
    if (!(*rel_record_own_flags(r) & REL_REC_THROUGH))
        return NULL;
    return (rel_record **)(void *)((char *)(void *)(uintptr_t)r - sizeof(void *));
}

static inline rel_incl_list **rel_record_incl_slot(const rel_record *r)
{
    unsigned char f = *rel_record_own_flags(r);
    if (!(f & REL_REC_INCL))
        return NULL;
    size_t back = (f & REL_REC_THROUGH) ? 2 : 1;
    return (rel_incl_list **)(void *)((char *)(void *)(uintptr_t)r - back * sizeof(void *));
}

/* belongsToMany: the junction row the row came with (JSON key: its model's
 * name), or NULL. */
static inline rel_record *rel_record_through(const rel_record *r)
{
    if (*rel_record_own_flags(r) & REL_REC_NEXT)
        return (rel_record *)(void *)((char *)(void *)(uintptr_t)r +
                                      rel_record_span(r->shape->model));
    rel_record **p = rel_record_through_slot(r);
    return p ? *p : NULL;
}

/* Sets it; false when r was not made with REL_REC_THROUGH (a bug). */
static inline bool rel_record_set_through(rel_record *r, rel_record *through)
{
    rel_record **p = rel_record_through_slot(r);
    if (p)
        *p = through;
    return p != NULL;
}

static inline size_t rel_record_nincl(const rel_record *r)
{
    rel_incl_list **p = rel_record_incl_slot(r);
    return p && *p ? (*p)->n : 0;
}

/* The included associations (rel_record_nincl of them). */
static inline rel_incl_slot *rel_record_incl(const rel_record *r)
{
    rel_incl_list **p = rel_record_incl_slot(r);
    return p && *p ? (*p)->at : NULL;
}

/* A shape for rows of model whose text lives in arena (a result's), shared
 * by them; order (norder indexes, copied) as in rel_shape, NULL for model
 * order. NULL when out of memory. */
rel_shape *rel_shape_new(rel_arena *arena, const rel_model *model, const int *order,
                         size_t norder, bool bigint_as_string);
/* r's shape, made its own first when other rows share it (to change it for
 * r alone). NULL when out of memory. */
rel_shape *rel_record_own_shape(rel_record *r);

/* Byte length of a text or blob slot. */
static inline size_t rel_slot_len(const char *s)
{
    uint32_t n;
    memcpy(&n, s - sizeof n, sizeof n);
    return n;
}

struct rel_result {
    rel_arena *arena;      /* owns every row and value of the tree */
    const rel_model *model;
    rel_record **rows;
    size_t n, cap;
    bool json_bigint_as_string;  /* PostgreSQL: BIGINT prints as a string */
};

/* The value a slot holds, given its flag byte (without branches: it is
   read for every value bound or printed). */
static inline rel_value rel_slot_value(rel_slot x, unsigned char flag)
{
    rel_value v;
    v.kind = (rel_value_kind)(flag & REL_SLOT_KIND);
    bool bytes = v.kind == REL_V_TEXT || v.kind == REL_V_BLOB;
    v.i = v.kind == REL_V_INT ? x.i : 0;
    v.d = v.kind == REL_V_DOUBLE ? x.d : 0;
    v.s = bytes ? x.s : NULL;
    v.len = bytes ? rel_slot_len(x.s) : 0;
    return v;
}

/* Attribute i's value (REL_V_NULL when not set); text and blobs are the
 * record's, valid as long as it is. */
static inline rel_value rel_record_at(const rel_record *r, int i)
{
    return rel_slot_value(rel_record_slots(r)[i], rel_record_flags(r)[i]);
}
/* Whether attribute i was selected or assigned. */
static inline bool rel_record_has(const rel_record *r, int i)
{
    return (rel_record_flags(r)[i] & REL_SLOT_SET) != 0;
}
/* Whether attribute i changed since the row was loaded or saved. */
static inline bool rel_record_is_changed(const rel_record *r, int i)
{
    return (rel_record_flags(r)[i] & REL_SLOT_CHANGED) != 0;
}
static inline void rel_record_mark_changed(rel_record *r, int i, bool on)
{
    unsigned char *f = &rel_record_flags(r)[i];
    *f = (unsigned char)(on ? *f | REL_SLOT_CHANGED : *f & ~REL_SLOT_CHANGED);
}
/* The row now matches the database: stored, nothing changed. */
void rel_record_mark_saved(rel_record *r);
/* The row is not in the database (its insert was undone): not stored, and
 * everything it holds is a change. */
void rel_record_mark_unsaved(rel_record *r);
/* Makes attribute i absent again (not set, NULL, unchanged). */
void rel_record_clear(rel_record *r, int i);

/* A copy in arena of r's values and flags, for rel_record_state_restore
 * (text stays in r's arena, which only grows). NULL when out of memory. */
void *rel_record_state_save(rel_arena *arena, const rel_record *r);
void rel_record_state_restore(rel_record *r, const void *state);

/* Gives r (made with REL_REC_INCL) room for n included associations
 * (zeroed), in its arena. */
rel_status rel_record_incl_alloc(rel_record *r, size_t n, rel_error *err);

/* A row of shape (its model, in its arena), with room for what `extras`
 * (REL_REC_INCL, REL_REC_THROUGH) says. NULL when out of memory. */
rel_record *rel_record_in(rel_shape *shape, unsigned extras);
/* A row of shape (extras: REL_REC_INCL only) and its junction row of
 * jshape right after it, in one allocation: rel_record_through gives the
 * junction row without a pointer to it. NULL when out of memory. */
rel_record *rel_record_in_pair(rel_shape *shape, unsigned extras, rel_shape *jshape,
                               rel_record **through);
/* Sets every attribute that has a default value to it, as rel_new does
 * (marked changed, so an insert writes it). REL_NOMEM on out of memory. */
rel_status rel_record_apply_defaults(rel_record *r);
/* Stores a canonical value for attribute index i, copying text/blobs into
 * the record's arena. Marks it set (and changed when mark_changed). */
rel_status rel_record_put(rel_record *r, int i, rel_value v, bool mark_changed);
/* rel_record_put(r, i, v, false) for a value read from the database, with
 * numbers and NULL stored in line (the hot path of loading rows). slots and
 * flags are r's (rel_record_slots, rel_record_flags), found once per row. */
static inline rel_status rel_record_put_read_at(rel_record *r, rel_slot *slots,
                                                unsigned char *flags, int i, const rel_value *v)
{
    switch (v->kind) {
    case REL_V_NULL: slots[i].i = 0; break;
    case REL_V_INT: slots[i].i = v->i; break;
    case REL_V_DOUBLE: slots[i].d = v->d; break;
    default: return rel_record_put(r, i, *v, false);
    }
    flags[i] = (unsigned char)((flags[i] & REL_SLOT_CHANGED) | (unsigned)v->kind | REL_SLOT_SET);
    return REL_OK;
}
static inline rel_status rel_record_put_read(rel_record *r, int i, rel_value v)
{
    return rel_record_put_read_at(r, rel_record_slots(r), rel_record_flags(r), i, &v);
}
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
