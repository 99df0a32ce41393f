/* Prepared statements keyed by SQL text: see stmt_cache.h. */
#include "db/stmt_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

#define NBUCKETS 512 /* a power of two, above REL_STMT_CACHE_MAX */

struct rel_stmt_cache {
    rel_stmt *buckets[NBUCKETS];
    size_t count;
    uint64_t clock;
};

/* Eight bytes at a time: every find hashes its few hundred bytes of SQL. */
static unsigned hash_sql(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    return (unsigned)h;
}

rel_stmt_cache *rel_stmt_cache_new(void)
{
    return calloc(1, sizeof(rel_stmt_cache));
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

static void stmt_free(rel_db *db, rel_stmt *s)
{
    db->dialect->finalize(s->d);
    rel_buf_free(&s->scratch);
    free(s->sql);
    free(s);
}

void rel_stmt_cache_free(rel_db *db)
{
    rel_stmt_cache *c = db->cache;
    if (!c)
        return;
    for (size_t i = 0; i < NBUCKETS; i++) {
        rel_stmt *s = c->buckets[i];
        while (s) {
            rel_stmt *next = s->next;
            stmt_free(db, s);
            s = next;
        }
    }
    free(c);
    db->cache = NULL;
}

/* Drops the least recently used idle statements while there are too many. */
static void evict(rel_db *db)
{
    rel_stmt_cache *c = db->cache;
    while (c->count > REL_STMT_CACHE_MAX) {
        rel_stmt **victim = NULL;
        for (size_t i = 0; i < NBUCKETS; i++)
            for (rel_stmt **pp = &c->buckets[i]; *pp; pp = &(*pp)->next)
                if (!(*pp)->busy && (!victim || (*pp)->last_used < (*victim)->last_used))
                    victim = pp;
        if (!victim)
            return; /* all busy: they come back through release */
        rel_stmt *s = *victim;
        *victim = s->next;
        c->count--;
        stmt_free(db, s);
    }
}

rel_status rel_stmt_cache_acquire(rel_db *db, const char *sql, rel_stmt **out, rel_error *err)
{
    rel_stmt_cache *c = db->cache;
    unsigned h = hash_sql(sql);
    rel_stmt **bucket = &c->buckets[h & (NBUCKETS - 1)];
    *out = NULL;
    for (rel_stmt *s = *bucket; s; s = s->next) {
        if (!s->busy && s->hash == h && strcmp(s->sql, sql) == 0) {
            s->busy = true;
            s->last_used = ++c->clock;
            db->n_reused++;
            *out = s;
            return REL_OK;
        }
    }
    rel_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return rel_err_nomem(err);
    s->sql = dup_str(sql);
    if (!s->sql) {
        free(s);
        return rel_err_nomem(err);
    }
    rel_status st = db->dialect->prepare(db->conn, sql, &s->d, err);
    if (st != REL_OK) {
        free(s->sql);
        free(s);
        return st;
    }
    db->n_prepared++;
    s->db = db;
    s->hash = h;
    s->busy = true;
    s->last_used = ++c->clock;
    s->next = *bucket;
    *bucket = s;
    c->count++;
    evict(db);
    *out = s;
    return REL_OK;
}

void rel_stmt_cache_release(rel_db *db, rel_stmt *s)
{
    db->dialect->reset(s->d);
    rel_buf_reset(&s->scratch);
    s->busy = false;
    evict(db);
}

void rel_stmt_cache_discard(rel_db *db, rel_stmt *s)
{
    rel_stmt_cache *c = db->cache;
    for (rel_stmt **pp = &c->buckets[s->hash & (NBUCKETS - 1)]; *pp; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            c->count--;
            stmt_free(db, s);
            return;
        }
    }
}

size_t rel_stmt_cache_size(const rel_db *db)
{
    return db->cache ? db->cache->count : 0;
}
