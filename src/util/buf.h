/* Internal: a growable byte buffer.
 *
 * A zero-initialised rel_buf is empty and ready to use.  While data is non-NULL it is
 * always NUL-terminated at data[len], so it can be read as a C string.  When an
 * append fails (out of memory) the buffer sets oom, keeps what it had, and refuses
 * every later append until reset, so a builder may append many pieces and check
 * oom (or the result of rel_buf_take) once at the end.
 */
#ifndef REL_UTIL_BUF_H
#define REL_UTIL_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rel_buf {
    char *data;  /* malloc'd, NUL-terminated; NULL while nothing was ever appended */
    size_t len;  /* bytes held, not counting the terminating NUL */
    size_t cap;  /* bytes allocated at data */
    bool oom;    /* an append failed; content is incomplete */
} rel_buf;

#if defined(__GNUC__)
#define REL_PRINTF_LIKE(fmt_index, first_arg) \
    __attribute__((format(printf, fmt_index, first_arg)))
#else
#define REL_PRINTF_LIKE(fmt_index, first_arg)
#endif

/* Makes b empty, without freeing anything it held (use on uninitialised memory). */
void rel_buf_init(rel_buf *b);

/* Appends n bytes at p (p may be NULL when n == 0).  False, with b->oom set, when
 * out of memory or when b->oom was already set. */
bool rel_buf_put(rel_buf *b, const void *p, size_t n);

/* Appends the NUL-terminated s. */
bool rel_buf_puts(rel_buf *b, const char *s);

/* Appends one byte (which may be '\0'). */
bool rel_buf_putc(rel_buf *b, char c);

/* Appends printf-formatted text.  False, with b->oom set, when out of memory or when
 * the format fails (an encoding error). */
bool rel_buf_printf(rel_buf *b, const char *fmt, ...) REL_PRINTF_LIKE(2, 3);

/* Makes room for extra more bytes (plus the NUL) so the next appends of that many
 * bytes cannot fail. */
bool rel_buf_reserve(rel_buf *b, size_t extra);

/* Empties b and clears oom, keeping its memory for reuse. */
void rel_buf_reset(rel_buf *b);

/* The content as a C string, borrowed from b until its next change ("" when empty). */
const char *rel_buf_cstr(rel_buf *b);

/* Hands the content over as a malloc'd NUL-terminated string the caller frees, and
 * leaves b empty (oom cleared).  NULL when b->oom was set (the content is discarded)
 * or when out of memory. */
char *rel_buf_take(rel_buf *b);

/* Releases b's memory and leaves it empty. */
void rel_buf_free(rel_buf *b);

#endif
