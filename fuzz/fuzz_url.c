/* libFuzzer target: connection URLs. Every URL form relate reads (engine,
 * SQLite path, PostgreSQL URL to libpq keywords, redaction) on arbitrary
 * text; none may crash, hang or leak, and a password never survives
 * redaction or appears in a parse error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/url.h"
#include "relate.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The raw password of the user-info part, as the redactor finds it
   ("scheme://user:PASSWORD@host..."), or NULL. *n receives its length. */
static const char *raw_password(const char *url, size_t *n)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return NULL;
    const char *auth = sep + 3;
    const char *auth_end = auth + strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return NULL;
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon || at == colon + 1)
        return NULL;
    *n = (size_t)(at - colon - 1);
    return colon + 1;
}

/* Redaction and parse errors of url must not show its password. */
static void check_secret(const char *url)
{
    /* The password is replaced by a token that nothing else in the URL or in
       relate's messages contains, so that finding it proves a leak. */
    static const char token[] = "Tk7Qz9Xw";
    size_t pwn = 0;
    const char *pw = raw_password(url, &pwn);
    if (!pw)
        return;
    size_t len = strlen(url), before = (size_t)(pw - url);
    char *probe = malloc(len - pwn + sizeof token);
    if (!probe)
        return;
    memcpy(probe, url, before);
    memcpy(probe + before, token, sizeof token - 1);
    memcpy(probe + before + sizeof token - 1, pw + pwn, len - before - pwn + 1);
    /* Only one occurrence: the password. */
    const char *first = strstr(probe, token);
    if (first && !strstr(first + 1, token)) {
        rel_buf b = {0};
        rel_url_redact(&b, probe);
        if (!b.oom && strstr(rel_buf_cstr(&b), token))
            abort(); /* the password survived redaction */
        rel_buf_free(&b);
        rel_pg_conninfo ci;
        rel_error err;
        memset(&err, 0, sizeof err);
        if (rel_url_pg_parse(probe, &ci, &err) == REL_OK)
            rel_pg_conninfo_free(&ci);
        else if (strstr(err.message, token))
            abort(); /* the password leaked into an error */
    }
    free(probe);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = malloc(size + 1);
    if (!url)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0'; /* a C string ends at its first NUL, as callers give it */

    const char *engine = rel_url_engine(url);
    if (engine && strcmp(engine, "sqlite") == 0) {
        const char *path = rel_url_sqlite_path(url);
        if (path && (path < url || path > url + strlen(url)))
            abort();
    }

    rel_buf b = {0};
    rel_url_redact(&b, url);
    rel_buf_free(&b);

    rel_pg_conninfo ci;
    rel_error err;
    memset(&err, 0, sizeof err);
    if (rel_url_pg_parse(url, &ci, &err) == REL_OK) {
        for (size_t i = 0; i < ci.n; i++)
            if (!ci.keys[i] || !ci.vals[i])
                abort();
        if (ci.keys[ci.n] || ci.vals[ci.n])
            abort(); /* PQconnectdbParams needs the NULL ends */
        rel_pg_conninfo_free(&ci);
    }
    check_secret(url);
    free(url);
    return 0;
}
