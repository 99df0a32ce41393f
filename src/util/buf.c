/* Growable byte buffer: see buf.h. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL_BUF_MIN_CAP ((size_t)64)

void rel_buf_init(rel_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->oom = false;
}

bool rel_buf_reserve(rel_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    /* len + extra + 1 for the NUL, without overflow. */
    if (extra >= SIZE_MAX - b->len)
        goto fail;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;

    size_t cap = b->cap < REL_BUF_MIN_CAP ? REL_BUF_MIN_CAP : b->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(b->data, cap);
    if (!data)
        goto fail;
    b->data = data;
    b->cap = cap;
    return true;

fail:
    b->oom = true;
    return false;
}

bool rel_buf_put(rel_buf *b, const void *p, size_t n)
{
    if (!rel_buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool rel_buf_puts(rel_buf *b, const char *s)
{
    return rel_buf_put(b, s, strlen(s));
}

bool rel_buf_putc(rel_buf *b, char c)
{
    return rel_buf_put(b, &c, 1);
}

bool rel_buf_printf(rel_buf *b, const char *fmt, ...)
{
    if (b->oom)
        return false;
    /* First try in the room already there; most pieces fit. */
    if (!rel_buf_reserve(b, 0))
        return false;

    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        goto fail;
    if ((size_t)n >= room) {
        if (!rel_buf_reserve(b, (size_t)n))
            goto restore;
        va_start(ap, fmt);
        n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            goto fail;
    }
    b->len += (size_t)n;
    return true;

fail:
    b->oom = true;
restore:
    /* A failed or truncated attempt may have overwritten the terminator. */
    b->data[b->len] = '\0';
    return false;
}

void rel_buf_reset(rel_buf *b)
{
    b->len = 0;
    b->oom = false;
    if (b->data)
        b->data[0] = '\0';
}

const char *rel_buf_cstr(rel_buf *b)
{
    return b->data ? b->data : "";
}

char *rel_buf_take(rel_buf *b)
{
    char *s = NULL;
    if (b->oom) {
        free(b->data);
    } else if (b->data) {
        s = b->data;
        /* Give back the slack; keep the original block if shrinking fails. */
        if (b->cap > b->len + 1) {
            char *shrunk = realloc(s, b->len + 1);
            if (shrunk)
                s = shrunk;
        }
    } else {
        s = malloc(1);
        if (s)
            s[0] = '\0';
    }
    rel_buf_init(b);
    return s;
}

void rel_buf_free(rel_buf *b)
{
    free(b->data);
    rel_buf_init(b);
}
