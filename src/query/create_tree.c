/* rel_create_json: Sequelize's create(values, { include }) from JSON.
 *
 * A row and the rows nested in it under association names are created in one
 * transaction, in the order Sequelize's save() uses: for each row, first the
 * parents it belongsTo (so its foreign keys can point at them), then the row,
 * then its hasOne / hasMany children with their foreign key set to the row's
 * source key, and its belongsToMany targets followed by one junction row each.
 * A belongsToMany element may carry junction attribute values under the
 * junction model's name: {"title":"Ship","EmployeeTasks":{"role":"lead"}}.
 *
 * Unlike Sequelize, which ignores keys it does not know, a key that is neither
 * an attribute nor an association is an error: a typo must not lose data. */
#include "relate.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "query/record.h"
#include "query/select.h"
#include "sql/where.h"
#include "util/error.h"
#include "util/json_read.h"

/* Nesting deeper than this is refused: each level is a recursion here. */
#define REL_CREATE_MAX_DEPTH 32

typedef struct ctree {
    rel_db *db;
    rel_result *res;
    rel_error *err;
} ctree;

/* Values a row is given by the rows it links before it is saved: the foreign
 * key pointing at its parent, or a junction row's two keys. */
typedef struct preset {
    size_t n;
    struct {
        const char *attr;
        const rel_record *from;
        const char *from_attr;
    } link[2];
} preset;

static rel_status create_row(ctree *c, const rel_model *m, const json_t *obj, const preset *pre,
                             const char *skip_key, int depth, rel_record **out);

/* A BLOB written as toJSON writes a Buffer: {"type":"Buffer","data":[104,105]}. */
static rel_status set_buffer(ctree *c, rel_record *r, const rel_attr_def *a, const json_t *v)
{
    const json_t *data = json_object_get(v, "data");
    const json_t *type = json_object_get(v, "type");
    if (json_object_size(v) != 2 || !json_is_string(type) ||
        strcmp(json_string_value(type), "Buffer") != 0 || !json_is_array(data))
        return rel_err(c->err, REL_INVALID, "%s.%s takes a string or {\"type\":\"Buffer\","
                       "\"data\":[...]}", rel_rec_model(r)->name, a->a.name);
    size_t n = json_array_size(data);
    unsigned char *bytes = malloc(n ? n : 1);
    if (!bytes)
        return rel_err_nomem(c->err);
    for (size_t i = 0; i < n; i++) {
        const json_t *b = json_array_get(data, i);
        if (!json_is_integer(b) || json_integer_value(b) < 0 || json_integer_value(b) > 255) {
            free(bytes);
            return rel_err(c->err, REL_INVALID, "%s.%s: Buffer data must be bytes (0 to 255)",
                           rel_rec_model(r)->name, a->a.name);
        }
        bytes[i] = (unsigned char)json_integer_value(b);
    }
    rel_status st = rel_set_blob(r, a->a.name, bytes, n, c->err);
    free(bytes);
    return st;
}

/* Sets one attribute from a JSON value. JSON columns take any JSON value as
 * its text, BLOB columns a string or a Buffer's JSON; other types take
 * scalars, converted by rel_set. */
static rel_status set_attr(ctree *c, rel_record *r, const rel_attr_def *a, const json_t *v)
{
    rel_value val;
    if (a->a.type == REL_BLOB && json_is_object(v))
        return set_buffer(c, r, a, v);
    if (a->a.type == REL_JSON && !json_is_null(v)) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!text)
            return rel_err_nomem(c->err);
        rel_status st = rel_set(r, a->a.name, rel_text(text), c->err);
        free(text);
        return st;
    }
    if (!rel_json_to_value(v, &val))
        return rel_err(c->err, REL_INVALID, "%s.%s takes a value, not %s", rel_rec_model(r)->name,
                       a->a.name, rel_json_kind_name(v));
    return rel_set(r, a->a.name, val, c->err);
}

/* Copies the linking value from->from_attr into r.attr. */
static rel_status link_value(ctree *c, rel_record *r, const char *attr, const rel_record *from,
                             const char *from_attr)
{
    return rel_set(r, attr, rel_get(from, from_attr), c->err);
}

static bool is_to_one(const rel_assoc *a)
{
    return a->kind == REL_HAS_ONE || a->kind == REL_BELONGS_TO;
}

/* The rows given for association a, checked for shape: an object (or null)
 * for to-one, an array of objects for to-many. */
static rel_status check_shape(ctree *c, const rel_model *m, const rel_assoc *a, const json_t *v)
{
    if (is_to_one(a)) {
        if (json_is_object(v) || json_is_null(v))
            return REL_OK;
        return rel_err(c->err, REL_INVALID, "%s.%s takes an object, not %s", m->name, a->name,
                       rel_json_kind_name(v));
    }
    if (!json_is_array(v))
        return rel_err(c->err, REL_INVALID, "%s.%s takes an array of objects, not %s", m->name,
                       a->name, rel_json_kind_name(v));
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item)
        if (!json_is_object(item))
            return rel_err(c->err, REL_INVALID, "%s.%s[%zu] must be an object, not %s",
                           m->name, a->name, i, rel_json_kind_name(item));
    return REL_OK;
}

/* Room for the created rows of one association in r's include slot. */
static rel_status open_slot(ctree *c, rel_incl_slot *slot, const rel_assoc *a, size_t n)
{
    slot->assoc = a;
    slot->loaded = true;
    slot->n = 0;
    slot->rows = rel_arena_calloc(c->res->arena, n ? n : 1, sizeof *slot->rows);
    return slot->rows ? REL_OK : rel_err_nomem(c->err);
}

/* A junction row linking src and target, with the attribute values given
 * under the junction model's name in the target's JSON (or none). */
static rel_status create_junction(ctree *c, const rel_assoc *a, const rel_record *src,
                                  rel_record *target, const json_t *item, int depth)
{
    const rel_model *j = a->through;
    const json_t *given = json_object_get(item, j->name);
    if (given && !json_is_object(given) && !json_is_null(given))
        return rel_err(c->err, REL_INVALID, "%s.%s: %s takes an object, not %s",
                       rel_rec_model(src)->name, a->name, j->name, rel_json_kind_name(given));
    /* Keys set after the given values, so the link cannot be overridden. */
    json_t *empty = NULL;
    if (!json_is_object(given)) {
        empty = json_object();
        if (!empty)
            return rel_err_nomem(c->err);
        given = empty;
    }
    rel_record *row = NULL;
    preset pre = {2, {{a->foreign_key, src, a->source_key},
                      {a->other_key, target, a->target_key}}};
    rel_status st = create_row(c, j, given, &pre, NULL, depth + 1, &row);
    json_decref(empty);
    if (st != REL_OK)
        return st;
    if (json_is_object(json_object_get(item, j->name)) && !rel_record_set_through(target, row))
        return rel_err(c->err, REL_MISUSE, "%s: a row made without room for its junction row",
                       j->name);
    return REL_OK;
}

/* Creates the rows given under association a of r (already saved when
 * a is not belongsTo) into slot. */
static rel_status create_assoc(ctree *c, rel_record *r, const rel_assoc *a, const json_t *v,
                               rel_incl_slot *slot, int depth)
{
    const rel_model *target = a->target;
    rel_status st;
    if (is_to_one(a)) {
        st = open_slot(c, slot, a, 1);
        if (st != REL_OK || json_is_null(v))
            return st;
        rel_record *row = NULL;
        if (a->kind == REL_BELONGS_TO) {
            st = create_row(c, target, v, NULL, NULL, depth + 1, &row);
            if (st == REL_OK)
                st = link_value(c, r, a->foreign_key, row, a->target_key);
        } else {
            preset pre = {1, {{a->foreign_key, r, a->source_key}}};
            st = create_row(c, target, v, &pre, NULL, depth + 1, &row);
        }
        if (st == REL_OK)
            slot->rows[slot->n++] = row;
        return st;
    }
    st = open_slot(c, slot, a, json_array_size(v));
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item) {
        if (st != REL_OK)
            break;
        rel_record *row = NULL;
        if (a->kind == REL_HAS_MANY) {
            preset pre = {1, {{a->foreign_key, r, a->source_key}}};
            st = create_row(c, target, item, &pre, NULL, depth + 1, &row);
        } else {
            st = create_row(c, target, item, NULL, a->through->name, depth + 1, &row);
            if (st == REL_OK)
                st = create_junction(c, a, r, row, item, depth);
        }
        if (st == REL_OK)
            slot->rows[slot->n++] = row;
    }
    return st;
}

/* Sets the attributes given in obj, notes which keys are associations, and
 * fills r's include slots in the order the keys were given. */
static rel_status create_row(ctree *c, const rel_model *m, const json_t *obj, const preset *pre,
                             const char *skip_key, int depth, rel_record **out)
{
    if (depth > REL_CREATE_MAX_DEPTH)
        return rel_err(c->err, REL_INVALID, "the rows to create are nested more than %d levels "
                       "deep", REL_CREATE_MAX_DEPTH);
    if (!json_is_object(obj))
        return rel_err(c->err, REL_INVALID, "a %s to create must be a JSON object, not %s",
                       m->name, rel_json_kind_name(obj));
    /* Each row its own shape (saving it sets how it prints); room for its
     * includes and a junction row. */
    rel_shape *sh = rel_shape_new(c->res->arena, m, NULL, 0, false);
    if (sh)
        sh->shared = false;
    rel_record *r = sh ? rel_record_in(sh, REL_REC_INCL | REL_REC_THROUGH) : NULL;
    if (!r || rel_record_apply_defaults(r) != REL_OK)
        return rel_err_nomem(c->err);

    size_t nassoc = 0;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (skip_key && strcmp(key, skip_key) == 0)
            continue;
        const rel_attr_def *a = rel_model_attr_def(m, key);
        if (a) {
            rel_status st = set_attr(c, r, a, v);
            if (st != REL_OK)
                return st;
            continue;
        }
        const rel_assoc *as = rel_model_find_assoc(m, key);
        if (!as)
            return rel_err(c->err, REL_INVALID, "%s has no attribute or association '%s'",
                           m->name, key);
        rel_status st = check_shape(c, m, as, v);
        if (st != REL_OK)
            return st;
        nassoc++;
    }
    for (size_t i = 0; pre && i < pre->n; i++) {
        rel_status st = link_value(c, r, pre->link[i].attr, pre->link[i].from,
                                   pre->link[i].from_attr);
        if (st != REL_OK)
            return st;
    }

    /* Slot k holds the k-th association key; parents first, then the row. */
    rel_status st = rel_record_incl_alloc(r, nassoc, c->err);
    if (st != REL_OK)
        return st;
    rel_incl_slot *slots = rel_record_incl(r);
    for (int pass = 0; pass < 2; pass++) {
        size_t k = 0;
        json_object_foreach((json_t *)obj, key, v) {
            if ((skip_key && strcmp(key, skip_key) == 0) || rel_model_attr_def(m, key))
                continue;
            const rel_assoc *as = rel_model_find_assoc(m, key);
            bool parent = as->kind == REL_BELONGS_TO;
            if (parent == (pass == 0)) {
                rel_status st = create_assoc(c, r, as, v, &slots[k], depth);
                if (st != REL_OK)
                    return st;
            }
            k++;
        }
        if (pass == 0) {
            rel_status st = rel_save(c->db, r, c->err);
            if (st != REL_OK)
                return st;
        }
    }
    *out = r;
    return REL_OK;
}

rel_status rel_create_json(rel_db *db, const rel_model *model, const char *json,
                           rel_result **out, rel_error *err)
{
    if (out)
        *out = NULL;
    if (!db || !model || !json || !out)
        return rel_err(err, REL_MISUSE, "rel_create_json needs a connection, a model, JSON "
                       "and a place for the result");
    if (model->schema != (const rel_schema *)db->schema)
        return rel_err(err, REL_MISUSE, "%s belongs to another schema than the connection's",
                       model->name);

    json_error_t jerr;
    json_t *root = json_loads(json, JSON_DECODE_ANY, &jerr);
    if (!root)
        return rel_err(err, REL_PARSE, "the values to create are not valid JSON: %s at line %d, "
                       "column %d", jerr.text, jerr.line, jerr.column);

    ctree c = {db, rel_result_new(model), err};
    rel_status st;
    if (!c.res) {
        st = rel_err_nomem(err);
        goto done;
    }
    c.res->json_bigint_as_string = rel_db_is_postgres(db);
    st = rel_db_atomic_begin(db, err);
    if (st != REL_OK)
        goto done;
    rel_record *row = NULL;
    st = create_row(&c, model, root, NULL, NULL, 0, &row);
    if (st == REL_OK && rel_result_push(c.res, row) != REL_OK)
        st = rel_err_nomem(err);
    /* On failure the rollback's own error must not hide the first one. */
    rel_error end_err;
    rel_status end = rel_db_atomic_end(db, st, st == REL_OK ? err : &end_err);
    if (st == REL_OK)
        st = end;

done:
    json_decref(root);
    if (st == REL_OK) {
        *out = c.res;
        return REL_OK;
    }
    rel_result_free(c.res);
    return st;
}
