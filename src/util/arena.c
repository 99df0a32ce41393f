/* Chunked bump allocator: see arena.h. */
#include "util/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REL_ARENA_ALIGN ((size_t)alignof(max_align_t))
#define REL_ARENA_DEFAULT_CHUNK ((size_t)4096)
#define REL_ARENA_MAX_CHUNK ((size_t)1 << 20)

/* Every chunk starts with this header; the union keeps the data behind it aligned. */
typedef union rel_arena_chunk {
    union rel_arena_chunk *next;
    max_align_t align_;
} rel_arena_chunk;

struct rel_arena {
    char *cur;              /* next free byte in the current chunk */
    char *end;              /* end of the current chunk */
    rel_arena_chunk *head;  /* all chunks; the current one first, except big ones */
    size_t next_size;       /* data size of the next ordinary chunk */
    size_t bytes;           /* total taken from malloc */
};

/* The arena struct lives in its first chunk, right after the chunk header, so a
 * new arena costs one malloc. */
#define REL_ARENA_HEAD_SIZE \
    ((sizeof(rel_arena_chunk) + sizeof(struct rel_arena) + REL_ARENA_ALIGN - 1) & \
     ~(REL_ARENA_ALIGN - 1))

static size_t rel_arena_round(size_t n)
{
    return (n + REL_ARENA_ALIGN - 1) & ~(REL_ARENA_ALIGN - 1);
}

rel_arena *rel_arena_new(size_t first_chunk)
{
    if (first_chunk == 0)
        first_chunk = REL_ARENA_DEFAULT_CHUNK;
    if (first_chunk > SIZE_MAX - REL_ARENA_HEAD_SIZE - REL_ARENA_ALIGN)
        return NULL;
    first_chunk = rel_arena_round(first_chunk);

    size_t total = REL_ARENA_HEAD_SIZE + first_chunk;
    rel_arena_chunk *c = malloc(total);
    if (!c)
        return NULL;
    c->next = NULL;

    rel_arena *a = (rel_arena *)(void *)(c + 1);
    a->cur = (char *)c + REL_ARENA_HEAD_SIZE;
    a->end = (char *)c + total;
    a->head = c;
    a->next_size = first_chunk < REL_ARENA_MAX_CHUNK / 2 ? first_chunk * 2
                                                         : REL_ARENA_MAX_CHUNK;
    a->bytes = total;
    return a;
}

/* Out of room in the current chunk: give n (already rounded) bytes from a new one. */
static void *rel_arena_alloc_slow(rel_arena *a, size_t n)
{
    if (n > SIZE_MAX - sizeof(rel_arena_chunk))
        return NULL;

    /* A request of a quarter chunk or more gets a chunk of its own, linked behind the
     * current one so the room left there is still used by later small requests. */
    if (n >= a->next_size / 4) {
        rel_arena_chunk *big = malloc(sizeof(rel_arena_chunk) + n);
        if (!big)
            return NULL;
        big->next = a->head->next;
        a->head->next = big;
        a->bytes += sizeof(rel_arena_chunk) + n;
        return big + 1;
    }

    size_t size = a->next_size;
    rel_arena_chunk *c = malloc(sizeof(rel_arena_chunk) + size);
    if (!c)
        return NULL;
    c->next = a->head;
    a->head = c;
    a->bytes += sizeof(rel_arena_chunk) + size;
    if (a->next_size < REL_ARENA_MAX_CHUNK)
        a->next_size *= 2;

    char *p = (char *)(c + 1);
    a->cur = p + n;
    a->end = p + size;
    return p;
}

/* n bytes at the next multiple of align (a power of two, at most REL_ARENA_ALIGN).
 * A new chunk starts aligned for anything, so only the current one needs padding. */
static void *rel_arena_alloc_at(rel_arena *a, size_t n, size_t align)
{
    if (n > SIZE_MAX - REL_ARENA_ALIGN)
        return NULL;
    size_t pad = (size_t)(-(uintptr_t)a->cur & (align - 1));
    if (pad + n <= (size_t)(a->end - a->cur)) {
        void *p = a->cur + pad;
        a->cur += pad + n;
        return p;
    }
    return rel_arena_alloc_slow(a, rel_arena_round(n));
}

void *rel_arena_alloc(rel_arena *a, size_t n)
{
    if (n > SIZE_MAX - REL_ARENA_ALIGN)
        return NULL;
    return rel_arena_alloc_at(a, rel_arena_round(n), REL_ARENA_ALIGN);
}

void *rel_arena_alloc_packed(rel_arena *a, size_t n, size_t align)
{
    if (align == 0 || align > REL_ARENA_ALIGN || (align & (align - 1)))
        return NULL;
    return rel_arena_alloc_at(a, n, align);
}

void *rel_arena_calloc(rel_arena *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = rel_arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *rel_arena_memdup(rel_arena *a, const void *p, size_t n)
{
    void *q = rel_arena_alloc(a, n);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

char *rel_arena_strndup(rel_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    const char *nul = memchr(s, '\0', n);
    size_t len = nul ? (size_t)(nul - s) : n;
    if (len == SIZE_MAX)
        return NULL;
    char *q = rel_arena_alloc(a, len + 1);
    if (!q)
        return NULL;
    memcpy(q, s, len);
    q[len] = '\0';
    return q;
}

char *rel_arena_strdup(rel_arena *a, const char *s)
{
    if (!s)
        return NULL;
    return rel_arena_memdup(a, s, strlen(s) + 1);
}

size_t rel_arena_bytes(const rel_arena *a)
{
    return a ? a->bytes : 0;
}

void rel_arena_free(rel_arena *a)
{
    if (!a)
        return;
    /* The first chunk holds the arena itself: read nothing from a once freeing starts. */
    rel_arena_chunk *c = a->head;
    while (c) {
        rel_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}
