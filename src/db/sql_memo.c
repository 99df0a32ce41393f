/* Statement texts built once per connection: see sql_memo.h. */
#include "db/sql_memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 64 /* a power of two; entries are few (statements x variants) */

typedef struct memo_entry {
    const void *owner, *site;
    unsigned variant;
    struct memo_entry *next;
    char sql[]; /* NUL-terminated */
} memo_entry;

struct rel_sql_memo {
    memo_entry *buckets[NBUCKETS];
};

static size_t bucket(const void *owner, const void *site, unsigned variant)
{
    uintptr_t h = (uintptr_t)owner ^ ((uintptr_t)site << 7) ^ (uintptr_t)variant * 0x9e3779b1u;
    return (size_t)((h >> 4) ^ (h >> 11)) & (NBUCKETS - 1);
}

const char *rel_sql_memo_get(const rel_db *db, const void *owner, const void *site,
                             unsigned variant)
{
    if (!db->memo)
        return NULL;
    for (const memo_entry *e = db->memo->buckets[bucket(owner, site, variant)]; e; e = e->next)
        if (e->owner == owner && e->site == site && e->variant == variant)
            return e->sql;
    return NULL;
}

bool rel_sql_memo_put(rel_db *db, const void *owner, const void *site, unsigned variant,
                      const char *sql)
{
    if (!db->memo && !(db->memo = calloc(1, sizeof *db->memo)))
        return false;
    size_t n = strlen(sql) + 1;
    memo_entry *e = malloc(sizeof *e + n);
    if (!e)
        return false;
    e->owner = owner;
    e->site = site;
    e->variant = variant;
    memcpy(e->sql, sql, n);
    memo_entry **head = &db->memo->buckets[bucket(owner, site, variant)];
    e->next = *head;
    *head = e;
    return true;
}

void rel_sql_memo_free(rel_db *db)
{
    if (!db->memo)
        return;
    for (size_t i = 0; i < NBUCKETS; i++) {
        memo_entry *e = db->memo->buckets[i];
        while (e) {
            memo_entry *next = e->next;
            free(e);
            e = next;
        }
    }
    free(db->memo);
    db->memo = NULL;
}
