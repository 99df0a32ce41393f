/* SELECT over one model and rows into records: see select.h. */
#include "query/select.h"

#include <string.h>

#include "util/error.h"

bool rel_db_is_postgres(const rel_db *db)
{
    return db && db->dialect && strcmp(db->dialect->name, "postgres") == 0;
}

/* cols->types from cols->idx, in arena. */
static rel_status colset_types(rel_arena *arena, const rel_model *m, rel_colset *cols,
                               rel_error *err)
{
    rel_type *types = rel_arena_alloc(arena, (cols->n ? cols->n : 1) * sizeof *types);
    if (!types)
        return rel_err_nomem(err);
    for (size_t k = 0; k < cols->n; k++)
        types[k] = m->attrs[cols->idx[k]].a.type;
    cols->types = types;
    return REL_OK;
}

rel_status rel_colset_all(rel_arena *arena, const rel_model *m, rel_colset *out, rel_error *err)
{
    int *idx = rel_arena_alloc(arena, (m->nattrs ? m->nattrs : 1) * sizeof *idx);
    if (!idx)
        return rel_err_nomem(err);
    for (size_t i = 0; i < m->nattrs; i++)
        idx[i] = (int)i;
    out->idx = idx;
    out->n = m->nattrs;
    out->nshow = m->nattrs;
    out->all = true;
    return colset_types(arena, m, out, err);
}

int rel_colset_find(const rel_colset *cols, int i)
{
    for (size_t k = 0; k < cols->n; k++)
        if (cols->idx[k] == i)
            return (int)k;
    return -1;
}

rel_status rel_colset_names(rel_arena *arena, const rel_model *m, const char *const *names,
                            rel_colset *out, rel_error *err)
{
    if (!names)
        return rel_colset_all(arena, m, out, err);
    size_t n = 0;
    while (names[n])
        n++;
    int *idx = rel_arena_alloc(arena, (n ? n : 1) * sizeof *idx);
    if (!idx)
        return rel_err_nomem(err);
    out->idx = idx;
    out->n = 0;
    out->all = false;
    for (size_t k = 0; k < n; k++) {
        int i = rel_model_attr_index(m, names[k]);
        if (i < 0)
            return rel_err(err, REL_INVALID, "attributes: %s has no attribute '%s'", m->name,
                           names[k]);
        if (rel_colset_find(out, i) < 0)
            idx[out->n++] = i;
    }
    out->nshow = out->n;
    return colset_types(arena, m, out, err);
}

rel_status rel_colset_add(rel_arena *arena, const rel_model *m, const rel_colset *cols, int i,
                          bool shown_first, rel_colset *out, rel_error *err)
{
    if (rel_colset_find(cols, i) >= 0) {
        *out = *cols;
        return REL_OK;
    }
    int *idx = rel_arena_alloc(arena, (cols->n + 1) * sizeof *idx);
    if (!idx)
        return rel_err_nomem(err);
    size_t at = shown_first ? 0 : cols->n;
    if (at)
        memcpy(idx, cols->idx, at * sizeof *idx);
    idx[at] = i;
    if (cols->n > at)
        memcpy(idx + at + 1, cols->idx + at, (cols->n - at) * sizeof *idx);
    out->idx = idx;
    out->n = cols->n + 1;
    out->nshow = cols->nshow + (shown_first ? 1 : 0);
    out->all = false;
    return colset_types(arena, m, out, err);
}

void rel_select_columns(rel_sql *q, const rel_model *m, const char *alias,
                        const rel_colset *cols)
{
    if (cols->n == 0) {
        rel_sql_raw(q, "1");
        return;
    }
    for (size_t k = 0; k < cols->n; k++) {
        if (k)
            rel_sql_raw(q, ", ");
        rel_sql_column(q, alias, m->attrs[cols->idx[k]].a.field);
    }
}

void rel_select_from(rel_sql *q, const rel_model *m, const char *alias)
{
    rel_sql_raw(q, " FROM ");
    rel_sql_ident(q, m->table);
    if (alias) {
        rel_sql_raw(q, " AS ");
        rel_sql_ident(q, alias);
    }
}

void rel_select_build(rel_sql *q, const rel_model *m, const char *alias, const rel_colset *cols)
{
    rel_sql_raw(q, "SELECT ");
    rel_select_columns(q, m, alias, cols);
    rel_select_from(q, m, alias);
}

void rel_select_limit(rel_sql *q, int64_t limit, int64_t offset)
{
    if (limit > 0) {
        rel_sql_raw(q, " LIMIT ");
        rel_sql_param(q, REL_BIGINT, rel_int(limit));
    }
    if (offset > 0) {
        /* SQLite takes no OFFSET without a LIMIT; -1 means none. */
        if (limit <= 0 && strcmp(q->d->name, "sqlite") == 0)
            rel_sql_raw(q, " LIMIT -1");
        rel_sql_raw(q, " OFFSET ");
        rel_sql_param(q, REL_BIGINT, rel_int(offset));
    }
}

static rel_status read_failed(const rel_model *m, int i, rel_status s, rel_error *err)
{
    const rel_attr_def *a = &m->attrs[i];
    if (s == REL_NOMEM)
        return rel_err_nomem(err);
    return rel_err(err, s, "%s.%s: the database holds a value that is not a valid %s "
                           "(column \"%s\" of \"%s\")",
                   m->name, a->a.name,
                   a->a.type == REL_BOOLEAN ? "BOOLEAN"
                   : a->a.type == REL_DATE  ? "DATE"
                                            : "value of its type",
                   a->a.field, m->table);
}

/* Columns are read a run at a time: one call into the driver per run. */
#define READ_RUN 16

rel_shape *rel_select_shape(rel_arena *arena, const rel_model *m, const rel_colset *cols,
                             bool bigint_as_string)
{
    bool keyed = cols && !cols->all;
    return rel_shape_new(arena, m, keyed ? cols->idx : NULL, keyed ? cols->nshow : 0,
                         bigint_as_string);
}

rel_status rel_select_read_row(rel_stmt *st, int first, rel_record *rec, const rel_colset *cols,
                               rel_error *err)
{
    rel_slot *slots = rel_record_slots(rec);
    unsigned char *flags = rel_record_flags(rec);
    rel_value vals[READ_RUN];
    for (size_t k0 = 0; k0 < cols->n; k0 += READ_RUN) {
        const int *idx = cols->idx + k0;
        size_t n = cols->n - k0 < READ_RUN ? cols->n - k0 : READ_RUN;
        size_t bad;
        rel_status s = rel_stmt_cols(st, first + (int)k0, n, cols->types + k0, vals, &bad);
        if (s != REL_OK)
            return read_failed(rel_rec_model(rec), idx[bad], s, err);
        for (size_t k = 0; k < n; k++)
            if (rel_record_put_read_at(rec, slots, flags, idx[k], &vals[k]) != REL_OK)
                return rel_err_nomem(err);
    }
    rel_record_set_stored(rec, true);
    return REL_OK;
}
