/* Rows as JSON, exactly as JSON.stringify(instance.toJSON()) prints them in
 * Sequelize: attribute keys (in the row's order), then a belongsToMany row's
 * junction row under the junction model's name, then included associations
 * in include order. Per-type values follow SEMANTICS.md's table. */
#include "query/record.h"

#include <stdlib.h>
#include <string.h>

#include "query/json_text.h"
#include "util/datetime.h"
#include "util/error.h"
#include "util/json_write.h"

/* Flush the streaming writer's buffer once it holds this much. */
#define REL_JSON_CHUNK ((size_t)64 * 1024)

static bool write_blob(rel_buf *b, const unsigned char *p, size_t n)
{
    rel_buf_puts(b, "{\"type\":\"Buffer\",\"data\":[");
    for (size_t i = 0; i < n; i++) {
        char tmp[5];
        int k = 0;
        unsigned v = p[i];
        if (i)
            tmp[k++] = ',';
        if (v >= 100)
            tmp[k++] = (char)('0' + v / 100);
        if (v >= 10)
            tmp[k++] = (char)('0' + v / 10 % 10);
        tmp[k++] = (char)('0' + v % 10);
        rel_buf_put(b, tmp, (size_t)k);
    }
    return rel_buf_puts(b, "]}");
}

static bool write_value(rel_buf *b, rel_type t, rel_value v, bool bigint_as_string)
{
    switch (v.kind) {
    case REL_V_NULL:
        return rel_buf_puts(b, "null");
    case REL_V_INT:
        if (t == REL_BOOLEAN)
            return rel_buf_puts(b, v.i ? "true" : "false");
        if (t == REL_DATE) {
            char iso[32];
            rel_datetime_iso(v.i, iso);
            rel_buf_putc(b, '"');
            rel_buf_puts(b, iso);
            return rel_buf_putc(b, '"');
        }
        if (t == REL_BIGINT && bigint_as_string) {
            /* PostgreSQL's driver hands Sequelize int8 as a string. */
            rel_buf_putc(b, '"');
            rel_json_int(b, v.i);
            return rel_buf_putc(b, '"');
        }
        return rel_json_int(b, v.i);
    case REL_V_DOUBLE:
        if (t == REL_BOOLEAN)
            return rel_buf_puts(b, v.d != 0 ? "true" : "false");
        return rel_json_double(b, v.d);
    case REL_V_TEXT:
        if (t == REL_JSON) {
            rel_json_text_status st = rel_json_text_emit(b, v.s, v.len);
            if (st == REL_JSON_TEXT_OK)
                return true;
            if (st == REL_JSON_TEXT_NOMEM)
                return false;
            /* Not JSON (written behind relate's back): keep it as a string. */
        }
        return rel_json_string(b, v.s, v.len);
    case REL_V_BLOB:
        return write_blob(b, (const unsigned char *)v.s, v.len);
    }
    return rel_buf_puts(b, "null");
}

static bool is_to_one(const rel_assoc *a)
{
    return a->kind == REL_BELONGS_TO || a->kind == REL_HAS_ONE;
}

bool rel_record_json_write(rel_buf *b, const rel_record *r, bool bigint_as_string)
{
    const rel_model *m = r->model;
    bool first = true;
    rel_buf_putc(b, '{');
    size_t n = r->order ? r->norder : m->nattrs;
    for (size_t k = 0; k < n; k++) {
        size_t i = r->order ? (size_t)r->order[k] : k;
        if (!r->set[i])
            continue;
        const rel_attr_def *a = &m->attrs[i];
        if (!first)
            rel_buf_putc(b, ',');
        first = false;
        rel_json_string(b, a->a.name, strlen(a->a.name));
        rel_buf_putc(b, ':');
        write_value(b, a->a.type, r->values[i], bigint_as_string);
    }
    /* Sequelize sets the junction row before the target's own includes. */
    if (r->through && r->through_name) {
        if (!first)
            rel_buf_putc(b, ',');
        first = false;
        rel_json_string(b, r->through_name, strlen(r->through_name));
        rel_buf_putc(b, ':');
        rel_record_json_write(b, r->through, bigint_as_string);
    }
    for (size_t s = 0; s < r->nincl; s++) {
        const rel_incl_slot *slot = &r->incl[s];
        if (!slot->loaded || !slot->assoc)
            continue;
        if (!first)
            rel_buf_putc(b, ',');
        first = false;
        rel_json_string(b, slot->assoc->name, strlen(slot->assoc->name));
        rel_buf_putc(b, ':');
        if (is_to_one(slot->assoc)) {
            if (slot->n && slot->rows[0])
                rel_record_json_write(b, slot->rows[0], bigint_as_string);
            else
                rel_buf_puts(b, "null");
            continue;
        }
        rel_buf_putc(b, '[');
        for (size_t i = 0; i < slot->n; i++) {
            if (i)
                rel_buf_putc(b, ',');
            rel_record_json_write(b, slot->rows[i], bigint_as_string);
        }
        rel_buf_putc(b, ']');
    }
    return rel_buf_putc(b, '}');
}

char *rel_record_json(const rel_record *r)
{
    if (!r)
        return NULL;
    rel_buf b;
    rel_buf_init(&b);
    rel_record_json_write(&b, r, r->bigint_as_string);
    return rel_buf_take(&b);
}

char *rel_result_json(const rel_result *res)
{
    if (!res)
        return NULL;
    rel_buf b;
    rel_buf_init(&b);
    rel_buf_putc(&b, '[');
    for (size_t i = 0; i < res->n; i++) {
        if (i)
            rel_buf_putc(&b, ',');
        rel_record_json_write(&b, res->rows[i], res->json_bigint_as_string);
    }
    rel_buf_putc(&b, ']');
    return rel_buf_take(&b);
}

rel_status rel_result_write_json(const rel_result *res, rel_write_fn write, void *user,
                                 rel_error *err)
{
    if (!res || !write)
        return rel_err(err, REL_MISUSE, "rel_result_write_json: NULL result or writer");
    rel_status st = REL_OK;
    rel_buf b;
    rel_buf_init(&b);
    rel_buf_putc(&b, '[');
    for (size_t i = 0; i <= res->n; i++) {
        if (i == res->n)
            rel_buf_putc(&b, ']');
        else {
            if (i)
                rel_buf_putc(&b, ',');
            rel_record_json_write(&b, res->rows[i], res->json_bigint_as_string);
        }
        if (b.oom) {
            st = rel_err_nomem(err);
            goto done;
        }
        if (b.len >= REL_JSON_CHUNK || i == res->n) {
            if (!write(user, b.data, b.len)) {
                st = rel_err(err, REL_ERROR, "the JSON writer stopped");
                goto done;
            }
            rel_buf_reset(&b);
        }
    }
done:
    rel_buf_free(&b);
    return st;
}
