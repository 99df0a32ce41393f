/* Internal: a chunked bump allocator.
 *
 * An arena owns everything allocated from it; rel_arena_free() releases it all at
 * once, so nothing allocated from an arena is ever freed on its own.  It backs every
 * query result (one arena per rel_result).  An arena is used by one thread at a time.
 */
#ifndef REL_UTIL_ARENA_H
#define REL_UTIL_ARENA_H

#include <stddef.h>

typedef struct rel_arena rel_arena;

/* A new, empty arena whose first chunk holds first_chunk bytes (0 = 4096).
 * Returns NULL when out of memory.  Free with rel_arena_free(). */
rel_arena *rel_arena_new(size_t first_chunk);

/* n bytes aligned for any type (alignof(max_align_t)), uninitialised, owned by the
 * arena.  n == 0 gives a valid non-NULL pointer that must not be dereferenced.
 * Returns NULL when out of memory (the arena stays usable). */
void *rel_arena_alloc(rel_arena *a, size_t n);

/* n bytes aligned to align only (a power of two up to alignof(max_align_t)), for
 * many small objects that need no more: records and their text in a result.
 * NULL when out of memory or when align is not such a power of two. */
void *rel_arena_alloc_packed(rel_arena *a, size_t n, size_t align);

/* count * size zeroed bytes; NULL when out of memory or when count * size overflows. */
void *rel_arena_calloc(rel_arena *a, size_t count, size_t size);

/* A copy of the NUL-terminated s; NULL when s is NULL or out of memory. */
char *rel_arena_strdup(rel_arena *a, const char *s);

/* A NUL-terminated copy of the first n bytes of s, stopping early at a NUL in s.
 * NULL when s is NULL or out of memory. */
char *rel_arena_strndup(rel_arena *a, const char *s, size_t n);

/* A copy of n bytes at p (p may be NULL when n == 0); NULL when out of memory. */
void *rel_arena_memdup(rel_arena *a, const void *p, size_t n);

/* Total bytes the arena has taken from malloc (chunks and their headers). */
size_t rel_arena_bytes(const rel_arena *a);

/* Frees the arena and everything allocated from it.  NULL does nothing. */
void rel_arena_free(rel_arena *a);

#endif
