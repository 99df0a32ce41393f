/* Results: the rows of a find and every row included under them, in one
 * arena freed by one call; and the accessors for included rows. */
#include "query/record.h"

#include <stdlib.h>
#include <string.h>

/* Big enough for a few dozen small rows before the arena grows. */
#define REL_RESULT_FIRST_CHUNK 8192

rel_result *rel_result_new(const rel_model *model)
{
    rel_arena *arena = rel_arena_new(REL_RESULT_FIRST_CHUNK);
    if (!arena)
        return NULL;
    rel_result *res = rel_arena_calloc(arena, 1, sizeof *res);
    if (!res) {
        rel_arena_free(arena);
        return NULL;
    }
    res->arena = arena;
    res->model = model;
    return res;
}

rel_status rel_result_push(rel_result *res, rel_record *r)
{
    if (res->n == res->cap) {
        size_t cap = res->cap ? res->cap * 2 : 16;
        rel_record **rows = realloc(res->rows, cap * sizeof *rows);
        if (!rows)
            return REL_NOMEM;
        res->rows = rows;
        res->cap = cap;
    }
    res->rows[res->n++] = r;
    return REL_OK;
}

void rel_result_free(rel_result *res)
{
    if (!res)
        return;
    free(res->rows);
    rel_arena_free(res->arena); /* res itself lives in the arena */
}

size_t rel_result_count(const rel_result *res)
{
    return res ? res->n : 0;
}

rel_record *rel_result_row(const rel_result *res, size_t i)
{
    return res && i < res->n ? res->rows[i] : NULL;
}

/* ---------------------------------------------------------------- includes */

static const rel_incl_slot *slot_of(const rel_record *r, const char *assoc)
{
    if (!r || !assoc)
        return NULL;
    for (size_t i = 0; i < rel_record_nincl(r); i++)
        if (rel_record_incl(r)[i].assoc && strcmp(rel_record_incl(r)[i].assoc->name, assoc) == 0)
            return &rel_record_incl(r)[i];
    return NULL;
}

rel_record *rel_get_one(const rel_record *r, const char *assoc)
{
    const rel_incl_slot *s = slot_of(r, assoc);
    return s && s->loaded && s->n ? s->rows[0] : NULL;
}

size_t rel_get_many_count(const rel_record *r, const char *assoc)
{
    const rel_incl_slot *s = slot_of(r, assoc);
    return s && s->loaded ? s->n : 0;
}

rel_record *rel_get_many_at(const rel_record *r, const char *assoc, size_t i)
{
    const rel_incl_slot *s = slot_of(r, assoc);
    return s && s->loaded && i < s->n ? s->rows[i] : NULL;
}

rel_record *rel_get_through(const rel_record *r)
{
    return r ? rel_record_through(r) : NULL;
}
