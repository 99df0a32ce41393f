/* Rows in memory: making them, setting and reading attribute values, and
 * converting what callers give into each type's canonical value (record.h). */
#include "query/record.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/json_text.h"
#include "util/datetime.h"
#include "util/error.h"
#include "util/json_write.h"

/* ---------------------------------------------------------------- making */

static size_t prefix_bytes(unsigned extras)
{
    return (size_t)(((extras & REL_REC_INCL) != 0) + ((extras & REL_REC_THROUGH) != 0)) *
           sizeof(void *);
}

static size_t shape_bytes(size_t norder)
{
    return sizeof(rel_shape) + norder * sizeof(int);
}

rel_shape *rel_shape_new(rel_arena *arena, const rel_model *model, const int *order,
                         size_t norder, bool bigint_as_string)
{
    if (!arena || !model || norder > UINT16_MAX)
        return NULL;
    if (!order)
        norder = 0;
    rel_shape *sh = rel_arena_alloc(arena, shape_bytes(norder));
    if (!sh)
        return NULL;
    *sh = (rel_shape){.model = model, .arena = arena, .norder = (uint16_t)norder,
                      .bigint_as_string = bigint_as_string, .shared = true,
                      .ordered = order != NULL};
    if (norder)
        memcpy(sh->order, order, norder * sizeof(int));
    return sh;
}

rel_shape *rel_record_own_shape(rel_record *r)
{
    if (!r->shape->shared)
        return r->shape;
    size_t bytes = shape_bytes(r->shape->ordered ? r->shape->norder : 0);
    rel_shape *sh = rel_arena_alloc(r->shape->arena, bytes);
    if (!sh)
        return NULL;
    memcpy(sh, r->shape, bytes);
    sh->shared = false;
    r->shape = sh;
    return sh;
}

/* A zeroed record of shape with its prefix, in mem (prefix_bytes(extras) +
 * rel_record_bytes(model) bytes): every slot REL_V_NULL, not set, no includes. */
static rel_record *record_init(char *mem, rel_shape *shape, unsigned extras)
{
    size_t pre = prefix_bytes(extras);
    memset(mem, 0, pre + rel_record_bytes(shape->model));
    rel_record *r = (rel_record *)(void *)(mem + pre);
    r->shape = shape;
    *rel_record_own_flags(r) = (unsigned char)extras;
    return r;
}

rel_record *rel_record_in_pair(rel_shape *shape, unsigned extras, rel_shape *jshape,
                               rel_record **through)
{
    if (!shape || !shape->arena || !jshape || jshape->arena != shape->arena)
        return NULL;
    extras &= REL_REC_INCL;
    size_t pre = prefix_bytes(extras), span = rel_record_span(shape->model);
    char *mem = rel_arena_alloc_packed(shape->arena, pre + span + rel_record_bytes(jshape->model),
                                       _Alignof(rel_record));
    if (!mem)
        return NULL;
    *through = record_init(mem + pre + span, jshape, 0);
    rel_record *r = record_init(mem, shape, extras);
    *rel_record_own_flags(r) |= REL_REC_NEXT;
    return r;
}

rel_record *rel_record_in(rel_shape *shape, unsigned extras)
{
    if (!shape || !shape->arena || !shape->model || !shape->model->attrs)
        return NULL;
    extras &= REL_REC_INCL | REL_REC_THROUGH;
    char *mem = rel_arena_alloc_packed(
        shape->arena, prefix_bytes(extras) + rel_record_bytes(shape->model), _Alignof(rel_record));
    return mem ? record_init(mem, shape, extras) : NULL;
}

/* Text a rel_new record holds without an arena: a short string or two. */
#define REL_NEW_ROOM 24

/* A rel_new block: the shape, the record, then the room for text. */
static size_t new_head(void)
{
    return (sizeof(rel_shape) + 7) / 8 * 8;
}

/* At least REL_NEW_ROOM bytes of room, and as many more as fit the block
   malloc hands out anyway (16-byte steps less its 8-byte header, on the
   common allocators). */
static size_t new_block_bytes(const rel_model *model)
{
    size_t bytes = new_head() + rel_record_bytes(model) + REL_NEW_ROOM;
    return (bytes + 8 + 15) / 16 * 16 - 8;
}

/* rel_record_text_alloc, inlined where every setter passes. */
static inline void *text_alloc(const rel_record *r, size_t n, size_t align)
{
    rel_shape *sh = r->shape;
    if (!sh->arena) {
        char *block = (char *)sh, *end = block + new_block_bytes(sh->model);
        char *room = block + sh->room;
        size_t pad = (size_t)(-(uintptr_t)room & (align - 1));
        if (sh->room && pad <= (size_t)(end - room) && n <= (size_t)(end - room) - pad) {
            char *p = room + pad;
            sh->room = (uint16_t)(p + n - block);
            return p;
        }
        if (n > SIZE_MAX - 256 || !(sh->arena = rel_arena_new(n + 256)))
            return NULL;
    }
    return rel_arena_alloc_packed(sh->arena, n, align);
}

void *rel_record_text_alloc(const rel_record *r, size_t n, size_t align)
{
    return text_alloc(r, n, align);
}

rel_status rel_record_incl_alloc(rel_record *r, size_t n, rel_error *err)
{
    rel_incl_list **p = rel_record_incl_slot(r);
    if (!p)
        return rel_err(err, REL_MISUSE, "%s: a row made without room for includes got some",
                       rel_rec_model(r)->name);
    if (n > (SIZE_MAX - sizeof(rel_incl_list)) / sizeof(rel_incl_slot))
        return rel_err_nomem(err);
    rel_incl_list *l = rel_arena_alloc_packed(rel_rec_arena(r), sizeof *l + n * sizeof l->at[0],
                                              _Alignof(rel_incl_list));
    if (!l)
        return rel_err_nomem(err);
    memset(l, 0, sizeof *l + n * sizeof l->at[0]);
    l->n = n;
    *p = l;
    return REL_OK;
}

/* The default value of an attribute as a canonical value ("NOW" for dates). */
static rel_status default_value(const rel_attr_def *a, rel_value *out, rel_buf *scratch)
{
    const char *dv = a->a.default_value;
    if ((a->a.type == REL_DATE || a->a.type == REL_DATEONLY) && strcmp(dv, "NOW") == 0) {
        rel_value now = rel_int(rel_now_ms());
        return rel_value_coerce(a, now, out, scratch, NULL);
    }
    return rel_value_coerce(a, rel_text(dv), out, scratch, NULL);
}

rel_status rel_record_apply_defaults(rel_record *r)
{
    const rel_model *model = rel_rec_model(r);
    if (!model->has_defaults)
        return REL_OK;
    rel_status st = REL_OK;
    rel_buf scratch;
    rel_buf_init(&scratch);
    for (size_t i = 0; i < model->nattrs && st == REL_OK; i++) {
        const rel_attr_def *a = &model->attrs[i];
        if (!a->a.default_value)
            continue;
        rel_value v;
        rel_buf_reset(&scratch);
        /* A default that does not fit its type was the definer's mistake; the
         * attribute is then left unset rather than failing every rel_new. */
        if (default_value(a, &v, &scratch) != REL_OK)
            continue;
        st = rel_record_put(r, (int)i, v, true);
    }
    rel_buf_free(&scratch);
    return st;
}

rel_record *rel_new(const rel_model *model)
{
    if (!model || !model->attrs)
        return NULL;
    /* One block: the shape, the record and a little room for text. A program
     * may hold a million of these (bulk create); longer text gets an arena. */
    size_t head = new_head(), bytes = new_block_bytes(model);
    char *block = malloc(bytes);
    if (!block)
        return NULL;
    rel_shape *sh = (rel_shape *)(void *)block;
    /* A block too large to count in 16 bits (thousands of attributes)
       keeps its text in the arena only. */
    size_t room_at = head + rel_record_bytes(model);
    uint16_t room = bytes <= UINT16_MAX ? (uint16_t)room_at : 0;
    *sh = (rel_shape){.model = model, .owns_arena = true, .room = room};
    rel_record *r = record_init(block + head, sh, 0);
    if (model->has_defaults && rel_record_apply_defaults(r) != REL_OK) {
        rel_record_free(r);
        return NULL;
    }
    return r;
}

void rel_record_free(rel_record *record)
{
    if (!record || !record->shape->owns_arena)
        return;
    rel_shape *sh = record->shape;
    rel_arena_free(sh->arena);
    free(sh); /* the block starts with it */
}

const rel_model *rel_record_model(const rel_record *record)
{
    return record ? rel_rec_model(record) : NULL;
}

/* ---------------------------------------------------------------- storing */

static bool value_equal(rel_value a, rel_value b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case REL_V_NULL: return true;
    case REL_V_INT: return a.i == b.i;
    case REL_V_DOUBLE: return a.d == b.d || (isnan(a.d) && isnan(b.d));
    case REL_V_TEXT:
    case REL_V_BLOB: return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
    }
    return false;
}

rel_status rel_record_put(rel_record *r, int i, rel_value v, bool mark_changed)
{
    if (!r || i < 0 || (size_t)i >= rel_rec_model(r)->nattrs)
        return REL_MISUSE;
    unsigned char *flag = &rel_record_flags(r)[i];
    if (mark_changed && rel_record_stored(r) && (*flag & REL_SLOT_SET) &&
        value_equal(rel_record_at(r, i), v))
        return REL_OK; /* same value: not a change (Sequelize's changed()) */
    rel_slot *slot = &rel_record_slots(r)[i];
    switch (v.kind) {
    case REL_V_INT: slot->i = v.i; break;
    case REL_V_DOUBLE: slot->d = v.d; break;
    case REL_V_TEXT:
    case REL_V_BLOB: {
        /* A NUL-terminated copy after its length, so text can be handed out
         * as a C string. Both engines cap a value far below 4 GiB. */
        uint32_t n = (uint32_t)v.len;
        if (v.len >= UINT32_MAX)
            return REL_NOMEM;
        char *copy = rel_record_text_alloc(r, sizeof n + v.len + 1, sizeof n);
        if (!copy)
            return REL_NOMEM;
        memcpy(copy, &n, sizeof n);
        if (v.len)
            memcpy(copy + sizeof n, v.s, v.len);
        copy[sizeof n + v.len] = '\0';
        slot->s = copy + sizeof n;
        break;
    }
    case REL_V_NULL: slot->i = 0; break;
    default: return REL_MISUSE;
    }
    *flag = (unsigned char)((*flag & REL_SLOT_CHANGED) | (unsigned)v.kind | REL_SLOT_SET |
                            (mark_changed ? REL_SLOT_CHANGED : 0));
    return REL_OK;
}

void rel_record_mark_saved(rel_record *r)
{
    unsigned char *f = rel_record_flags(r);
    for (size_t i = 0; i < rel_rec_model(r)->nattrs; i++)
        f[i] &= (unsigned char)~REL_SLOT_CHANGED;
    rel_record_set_stored(r, true);
}

void rel_record_mark_unsaved(rel_record *r)
{
    unsigned char *f = rel_record_flags(r);
    for (size_t i = 0; i < rel_rec_model(r)->nattrs; i++)
        if (f[i] & REL_SLOT_SET)
            f[i] |= REL_SLOT_CHANGED;
    rel_record_set_stored(r, false);
}

void rel_record_clear(rel_record *r, int i)
{
    rel_record_slots(r)[i].i = 0;
    rel_record_flags(r)[i] = 0;
}

/* The slots and flag bytes (the row's own too) are contiguous after the
 * shape pointer. */
static size_t state_bytes(const rel_record *r)
{
    return rel_record_bytes(rel_rec_model(r)) - sizeof *r;
}

void *rel_record_state_save(rel_arena *arena, const rel_record *r)
{
    return rel_arena_memdup(arena, rel_record_slots(r), state_bytes(r));
}

void rel_record_state_restore(rel_record *r, const void *state)
{
    memcpy(rel_record_slots(r), state, state_bytes(r));
}

/* ---------------------------------------------------------------- coercion */

static const char *kind_name(rel_value_kind k)
{
    switch (k) {
    case REL_V_NULL: return "null";
    case REL_V_INT: return "an integer";
    case REL_V_DOUBLE: return "a number";
    case REL_V_TEXT: return "text";
    case REL_V_BLOB: return "a blob";
    }
    return "a value";
}

static rel_status bad_value(const rel_attr_def *a, rel_value in, rel_error *err)
{
    if (in.kind == REL_V_TEXT) {
        int shown = in.len > 60 ? 60 : (int)in.len;
        return rel_err(err, REL_INVALID, "%s: '%.*s%s' is not a valid %s", a->a.name, shown,
                       in.s, in.len > 60 ? "..." : "", rel_type_name(a->a.type));
    }
    return rel_err(err, REL_INVALID, "%s: %s is not a valid %s", a->a.name, kind_name(in.kind),
                   rel_type_name(a->a.type));
}

/* Exact integer text: optional sign, digits, nothing else, in range. */
static bool parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == n)
        return false;
    uint64_t v = 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool double_to_int(double d, int64_t *out)
{
    if (!isfinite(d) || d != floor(d) || d < -9223372036854775808.0 ||
        d >= 9223372036854775808.0)
        return false;
    *out = (int64_t)d;
    return true;
}

static bool uuid_shaped(const char *s, size_t n)
{
    if (n != 36)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = s[i];
        if (dash ? c != '-'
                 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

static rel_value text_in(rel_buf *scratch, size_t from)
{
    rel_value v = {REL_V_TEXT, 0, 0, scratch->data + from, scratch->len - from};
    return v;
}

static rel_status nomem(rel_error *err)
{
    return rel_err_nomem(err);
}

rel_status rel_value_coerce(const rel_attr_def *attr, rel_value in, rel_value *out,
                            rel_buf *scratch, rel_error *err)
{
    const rel_type t = attr->a.type;
    if (in.kind == REL_V_NULL) {
        *out = rel_null();
        return REL_OK;
    }
    if (in.kind == REL_V_TEXT && !in.s)
        in.s = "";
    /* Text is a C string: a NUL inside would cut it short on PostgreSQL but
       not on SQLite, and readers would see only its first part. */
    if (in.kind == REL_V_TEXT && t != REL_BLOB && memchr(in.s, '\0', in.len))
        return rel_err(err, REL_INVALID,
                       "%s: text cannot contain NUL bytes (U+0000); store such bytes in a BLOB",
                       attr->a.name);
    switch (t) {
    case REL_INTEGER:
    case REL_BIGINT: {
        int64_t i;
        if (in.kind == REL_V_INT)
            i = in.i;
        else if (in.kind == REL_V_DOUBLE && double_to_int(in.d, &i))
            ;
        else if (in.kind == REL_V_TEXT && parse_int(in.s, in.len, &i))
            ;
        else
            return bad_value(attr, in, err);
        *out = rel_int(i);
        return REL_OK;
    }
    case REL_FLOAT:
    case REL_DOUBLE: {
        double d;
        if (in.kind == REL_V_DOUBLE)
            d = in.d;
        else if (in.kind == REL_V_INT)
            d = (double)in.i;
        else if (in.kind == REL_V_TEXT && rel_decimal_parse(in.s, in.len, true, &d))
            ;
        else
            return bad_value(attr, in, err);
        rel_value v = {REL_V_DOUBLE, 0, d, NULL, 0};
        *out = v;
        return REL_OK;
    }
    case REL_DECIMAL: {
        double d;
        if (in.kind == REL_V_INT || (in.kind == REL_V_DOUBLE && isfinite(in.d))) {
            *out = in;
            return REL_OK;
        }
        /* Text keeps every digit (PostgreSQL's NUMERIC is exact). */
        if (in.kind == REL_V_TEXT && rel_decimal_parse(in.s, in.len, true, &d)) {
            *out = in;
            return REL_OK;
        }
        return bad_value(attr, in, err);
    }
    case REL_STRING:
    case REL_TEXT:
    case REL_JSON: {
        if (in.kind == REL_V_INT || in.kind == REL_V_DOUBLE) {
            /* Sequelize accepts numbers for strings; JSON takes them as values. */
            size_t from = scratch->len;
            bool ok = in.kind == REL_V_INT ? rel_json_int(scratch, in.i)
                                           : rel_json_double(scratch, in.d);
            if (!ok)
                return nomem(err);
            *out = text_in(scratch, from);
            return REL_OK;
        }
        if (in.kind != REL_V_TEXT)
            return bad_value(attr, in, err);
        if (t == REL_JSON && !rel_json_text_valid(in.s, in.len))
            return rel_err(err, REL_INVALID, "%s: the value is not valid JSON text",
                           attr->a.name);
        *out = in;
        return REL_OK;
    }
    case REL_UUID: {
        if (in.kind != REL_V_TEXT || !uuid_shaped(in.s, in.len))
            return bad_value(attr, in, err);
        /* Lower case, as PostgreSQL stores and returns a uuid, so both
         * engines hold and print the same text. */
        size_t from = scratch->len;
        if (!rel_buf_put(scratch, in.s, in.len))
            return nomem(err);
        for (size_t i = from; i < scratch->len; i++)
            if (scratch->data[i] >= 'A' && scratch->data[i] <= 'F')
                scratch->data[i] = (char)(scratch->data[i] - 'A' + 'a');
        *out = text_in(scratch, from);
        return REL_OK;
    }
    case REL_BOOLEAN: {
        int64_t b = -1;
        if (in.kind == REL_V_INT && (in.i == 0 || in.i == 1))
            b = in.i;
        else if (in.kind == REL_V_DOUBLE && (in.d == 0.0 || in.d == 1.0))
            b = in.d == 1.0;
        else if (in.kind == REL_V_TEXT) {
            if ((in.len == 4 && memcmp(in.s, "true", 4) == 0) ||
                (in.len == 1 && (in.s[0] == '1' || in.s[0] == 't')))
                b = 1;
            else if ((in.len == 5 && memcmp(in.s, "false", 5) == 0) ||
                     (in.len == 1 && (in.s[0] == '0' || in.s[0] == 'f')))
                b = 0;
        }
        if (b < 0)
            return bad_value(attr, in, err);
        *out = rel_int(b);
        return REL_OK;
    }
    case REL_DATE: {
        int64_t ms;
        if (in.kind == REL_V_INT)
            ms = in.i;
        else if (in.kind == REL_V_DOUBLE && double_to_int(in.d, &ms))
            ;
        else if (in.kind == REL_V_TEXT && rel_datetime_parse(in.s, in.len, &ms))
            ;
        else
            return bad_value(attr, in, err);
        *out = rel_int(ms);
        return REL_OK;
    }
    case REL_DATEONLY: {
        int64_t ms;
        if (in.kind == REL_V_TEXT && rel_dateonly_valid(in.s, in.len)) {
            *out = in;
            return REL_OK;
        }
        /* A timestamp (ms or text) keeps its UTC calendar date. */
        if (in.kind == REL_V_INT)
            ms = in.i;
        else if (in.kind == REL_V_TEXT && rel_datetime_parse(in.s, in.len, &ms))
            ;
        else
            return bad_value(attr, in, err);
        char iso[32];
        rel_datetime_iso(ms, iso);
        size_t from = scratch->len;
        if (!rel_buf_put(scratch, iso, 10))
            return nomem(err);
        *out = text_in(scratch, from);
        return REL_OK;
    }
    case REL_BLOB:
        if (in.kind != REL_V_BLOB && in.kind != REL_V_TEXT)
            return bad_value(attr, in, err);
        out->kind = REL_V_BLOB;
        out->i = 0;
        out->d = 0;
        out->s = in.s;
        out->len = in.len;
        return REL_OK;
    case REL_TYPE_NONE:
        break;
    }
    return bad_value(attr, in, err);
}

void rel_error_prefix(rel_error *err, const char *lead, const char *name)
{
    if (!err)
        return;
    size_t cap = sizeof err->message;
    const char *end = memchr(err->message, '\0', cap);
    size_t nl = strlen(lead), nn = strlen(name);
    size_t nm = end ? (size_t)(end - err->message) : cap - 1;
    size_t np = nl + nn + 1;
    if (np >= cap)
        return;
    if (nm > cap - 1 - np)
        nm = cap - 1 - np;
    memmove(err->message + np, err->message, nm);
    memcpy(err->message, lead, nl);
    memcpy(err->message + nl, name, nn);
    err->message[nl + nn] = '.';
    err->message[np + nm] = '\0';
}

/* ---------------------------------------------------------------- setters */

static int attr_index(const rel_record *r, const char *attr)
{
    if (!r || !attr)
        return -1;
    return rel_model_attr_index(rel_rec_model(r), attr);
}

rel_status rel_set(rel_record *r, const char *attr, rel_value v, rel_error *err)
{
    if (!r)
        return rel_err(err, REL_MISUSE, "rel_set: the record is NULL");
    int i = attr_index(r, attr);
    if (i < 0)
        return rel_err(err, REL_INVALID, "%s has no attribute '%s'", rel_rec_model(r)->name,
                       attr ? attr : "(null)");
    rel_buf scratch;
    rel_buf_init(&scratch);
    rel_value canon;
    rel_status st = rel_value_coerce(&rel_rec_model(r)->attrs[i], v, &canon, &scratch, err);
    if (st == REL_INVALID) /* "Employee.age: 'x' is not a valid INTEGER" */
        rel_error_prefix(err, "", rel_rec_model(r)->name);
    if (st == REL_OK) {
        st = rel_record_put(r, i, canon, true);
        if (st == REL_NOMEM)
            rel_err_nomem(err);
    }
    rel_buf_free(&scratch);
    return st;
}

/* The setters' common cases need no conversion (rel_value_coerce would
   hand the value back as it is): an integer for an INTEGER, BIGINT or DATE,
   a C string for a STRING or TEXT (strlen found no NUL in it). They store
   it straight away (v: REL_V_INT or REL_V_TEXT); anything else goes
   through rel_set. */
static rel_status put_given(rel_record *r, int i, rel_value v, rel_error *err)
{
    /* rel_record_put's outcome for a new row, without its checks. */
    if (!rel_record_stored(r) && (v.kind == REL_V_INT || v.len < UINT32_MAX)) {
        rel_slot *slot = &rel_record_slots(r)[i];
        if (v.kind == REL_V_INT) {
            slot->i = v.i;
        } else {
            uint32_t n = (uint32_t)v.len;
            char *copy = text_alloc(r, sizeof n + v.len + 1, sizeof n);
            if (!copy)
                return rel_err_nomem(err);
            memcpy(copy, &n, sizeof n);
            memcpy(copy + sizeof n, v.s, v.len);
            copy[sizeof n + v.len] = '\0';
            slot->s = copy + sizeof n;
        }
        rel_record_flags(r)[i] = (unsigned char)(v.kind | REL_SLOT_SET | REL_SLOT_CHANGED);
        return REL_OK;
    }
    rel_status st = rel_record_put(r, i, v, true);
    return st == REL_NOMEM ? rel_err_nomem(err) : st;
}

rel_status rel_set_int(rel_record *r, const char *attr, int64_t v, rel_error *err)
{
    int i = attr_index(r, attr);
    if (i >= 0) {
        rel_type t = rel_rec_model(r)->attrs[i].a.type;
        if (t == REL_INTEGER || t == REL_BIGINT || t == REL_DATE)
            return put_given(r, i, rel_int(v), err);
    }
    return rel_set(r, attr, rel_int(v), err);
}

rel_status rel_set_double(rel_record *r, const char *attr, double v, rel_error *err)
{
    rel_value x = {REL_V_DOUBLE, 0, v, NULL, 0};
    return rel_set(r, attr, x, err);
}

rel_status rel_set_bool(rel_record *r, const char *attr, bool v, rel_error *err)
{
    return rel_set(r, attr, rel_int(v ? 1 : 0), err);
}

rel_status rel_set_text(rel_record *r, const char *attr, const char *v, rel_error *err)
{
    int i = attr_index(r, attr);
    if (i >= 0 && v) {
        rel_type t = rel_rec_model(r)->attrs[i].a.type;
        if (t == REL_STRING || t == REL_TEXT) {
            rel_value x = {REL_V_TEXT, 0, 0, v, strlen(v)};
            return put_given(r, i, x, err);
        }
    }
    return rel_set(r, attr, rel_text(v), err);
}

rel_status rel_set_blob(rel_record *r, const char *attr, const void *p, size_t n,
                        rel_error *err)
{
    if (!p && n)
        return rel_err(err, REL_MISUSE, "rel_set_blob: NULL data with a length");
    rel_value x = {REL_V_BLOB, 0, 0, p ? (const char *)p : "", n};
    return rel_set(r, attr, x, err);
}

rel_status rel_set_time(rel_record *r, const char *attr, int64_t unix_ms, rel_error *err)
{
    return rel_set(r, attr, rel_int(unix_ms), err);
}

rel_status rel_set_null(rel_record *r, const char *attr, rel_error *err)
{
    return rel_set(r, attr, rel_null(), err);
}

/* ---------------------------------------------------------------- getters */

bool rel_has_attr(const rel_record *r, const char *attr)
{
    int i = attr_index(r, attr);
    return i >= 0 && rel_record_has(r, i);
}

rel_value rel_get(const rel_record *r, const char *attr)
{
    int i = attr_index(r, attr);
    if (i < 0 || !rel_record_has(r, i))
        return rel_null();
    return rel_record_at(r, i);
}

bool rel_is_null(const rel_record *r, const char *attr)
{
    return rel_get(r, attr).kind == REL_V_NULL;
}

int64_t rel_get_int(const rel_record *r, const char *attr)
{
    rel_value v = rel_get(r, attr);
    int64_t i = 0;
    switch (v.kind) {
    case REL_V_INT: return v.i;
    case REL_V_DOUBLE: return isfinite(v.d) ? (int64_t)v.d : 0;
    case REL_V_TEXT:
        if (parse_int(v.s, v.len, &i))
            return i;
        {
            double d;
            if (rel_decimal_parse(v.s, v.len, true, &d) && isfinite(d) &&
                fabs(d) < 9.2e18)
                return (int64_t)d;
        }
        return 0;
    default: return 0;
    }
}

double rel_get_double(const rel_record *r, const char *attr)
{
    rel_value v = rel_get(r, attr);
    double d = 0;
    switch (v.kind) {
    case REL_V_INT: return (double)v.i;
    case REL_V_DOUBLE: return v.d;
    case REL_V_TEXT: return rel_decimal_parse(v.s, v.len, true, &d) ? d : 0;
    default: return 0;
    }
}

bool rel_get_bool(const rel_record *r, const char *attr)
{
    rel_value v = rel_get(r, attr);
    switch (v.kind) {
    case REL_V_INT: return v.i != 0;
    case REL_V_DOUBLE: return v.d != 0;
    case REL_V_TEXT:
        return (v.len == 4 && memcmp(v.s, "true", 4) == 0) ||
               (v.len == 1 && (v.s[0] == '1' || v.s[0] == 't'));
    default: return false;
    }
}

const char *rel_get_text(const rel_record *r, const char *attr)
{
    int i = attr_index(r, attr);
    if (i < 0 || !rel_record_has(r, i))
        return NULL;
    rel_value v = rel_record_at(r, i);
    if (v.kind == REL_V_TEXT || v.kind == REL_V_BLOB)
        return v.s;
    if (v.kind == REL_V_NULL)
        return NULL;
    /* Numbers and dates as text, in the row's memory (kept until it is freed). */
    rel_buf b;
    rel_buf_init(&b);
    rel_type t = rel_rec_model(r)->attrs[i].a.type;
    if (v.kind == REL_V_INT && t == REL_DATE) {
        char iso[32];
        rel_datetime_iso(v.i, iso);
        rel_buf_puts(&b, iso);
    } else if (v.kind == REL_V_INT && t == REL_BOOLEAN) {
        rel_buf_puts(&b, v.i ? "true" : "false");
    } else if (v.kind == REL_V_INT) {
        rel_json_int(&b, v.i);
    } else {
        rel_json_double(&b, v.d);
    }
    char *s = b.oom ? NULL : rel_record_text_alloc(r, b.len + 1, 1);
    if (s)
        memcpy(s, rel_buf_cstr(&b), b.len + 1);
    rel_buf_free(&b);
    return s;
}

int64_t rel_get_time(const rel_record *r, const char *attr)
{
    rel_value v = rel_get(r, attr);
    int64_t ms = 0;
    if (v.kind == REL_V_INT)
        return v.i;
    if (v.kind == REL_V_TEXT && rel_datetime_parse(v.s, v.len, &ms))
        return ms;
    return 0;
}
