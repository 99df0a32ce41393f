/* Connection URLs: see url.h. */
#include "db/url.h"

#include <string.h>

#include "util/error.h"
#include "util/hex.h"

#define PG_MAX_BUILTIN_KEYS 8 /* user password host port dbname + 2 defaults + NULL */

static size_t scheme_len(const char *url)
{
    if (strncmp(url, "postgres://", 11) == 0)
        return 11;
    if (strncmp(url, "postgresql://", 13) == 0)
        return 13;
    return 0;
}

const char *rel_url_engine(const char *url)
{
    if (!url)
        return NULL;
    if (strncmp(url, "sqlite:", 7) == 0)
        return "sqlite";
    if (scheme_len(url))
        return "postgres";
    return NULL;
}

const char *rel_url_sqlite_path(const char *url)
{
    const char *p = url + 7; /* after "sqlite:" */
    if (strncmp(p, "//", 2) == 0)
        p += 2;
    return *p ? p : NULL;
}

/* Whether a query key is "password" once percent-decoded, as libpq will read
   it ("pass%77ord" too), in any case. */
static bool key_is_password(const char *k, size_t n)
{
    static const char want[] = "password";
    size_t j = 0;
    for (size_t i = 0; i < n; i++, j++) {
        char c = k[i];
        if (c == '%' && i + 2 < n && rel_hex_digit_value(k[i + 1]) >= 0 && rel_hex_digit_value(k[i + 2]) >= 0) {
            c = (char)(rel_hex_digit_value(k[i + 1]) * 16 + rel_hex_digit_value(k[i + 2]));
            i += 2;
        }
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a'); /* what a user meant as one, too */
        if (j >= sizeof want - 1 || c != want[j])
            return false;
    }
    return j == sizeof want - 1;
}

void rel_url_redact(rel_buf *b, const char *url)
{
    const char *sep = strstr(url, "://");
    if (!sep) {
        /* Not a URL relate knows ("postgres:/u:pw@h", a slash short): hide
           everything between the scheme and an '@' that may end credentials. */
        const char *colon = strchr(url, ':');
        const char *at = strrchr(url, '@');
        if (colon && at && at > colon) {
            rel_buf_put(b, url, (size_t)(colon + 1 - url));
            rel_buf_puts(b, "***");
            rel_buf_puts(b, at);
        } else {
            rel_buf_puts(b, url);
        }
        return;
    }
    const char *auth = sep + 3;
    const char *auth_end = auth + strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        rel_buf_put(b, url, (size_t)(colon - url));
        rel_buf_puts(b, ":***");
        rel_buf_put(b, at, (size_t)(auth_end - at));
    } else {
        rel_buf_put(b, url, (size_t)(auth_end - url));
    }
    /* The rest, hiding a password=... query parameter. */
    const char *q = strchr(auth_end, '?');
    if (!q) {
        rel_buf_puts(b, auth_end);
        return;
    }
    rel_buf_put(b, auth_end, (size_t)(q + 1 - auth_end));
    const char *p = q + 1;
    while (*p) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        if (eq && key_is_password(p, (size_t)(eq - p))) {
            rel_buf_put(b, p, (size_t)(eq + 1 - p));
            rel_buf_puts(b, "***");
        } else {
            rel_buf_put(b, p, n);
        }
        p += n;
        if (*p == '&')
            rel_buf_putc(b, *p++);
    }
}

/* Percent-decodes s[0..n) into the arena; NULL on a bad escape or %00
 * (*bad set) or out of memory (*bad clear). */
static char *decode(rel_arena *a, const char *s, size_t n, bool *bad)
{
    *bad = false;
    char *out = rel_arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[k++] = s[i];
            continue;
        }
        int hi = i + 1 < n ? rel_hex_digit_value(s[i + 1]) : -1;
        int lo = i + 2 < n ? rel_hex_digit_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            *bad = true;
            return NULL;
        }
        out[k++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[k] = '\0';
    return out;
}

/* Fills err with a redacted "invalid PostgreSQL URL" message. */
static rel_status bad_url(rel_error *err, const char *url, const char *why)
{
    rel_buf b = {0};
    rel_url_redact(&b, url);
    rel_err(err, REL_INVALID,
            "invalid PostgreSQL URL '%s': %s (expected "
            "postgres://user:password@host:port/dbname?param=value)",
            b.oom ? "?" : rel_buf_cstr(&b), why);
    rel_buf_free(&b);
    return REL_INVALID;
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0 || n > 5)
        return false;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= 65535;
}

static bool add(rel_pg_conninfo *ci, const char *k, const char *v)
{
    ci->keys[ci->n] = k;
    ci->vals[ci->n] = v;
    ci->n++;
    return true;
}

/* host[:port] list -> "h1,h2" and "p1,p2" (ports only when one is given). */
static rel_status parse_hosts(rel_pg_conninfo *ci, const char *url, const char *s,
                              size_t n, rel_error *err)
{
    rel_buf hosts = {0}, ports = {0};
    bool any_port = false, bad = false;
    rel_status st = REL_OK;
    const char *p = s, *end = s + n;
    while (p <= end) {
        const char *item_end = memchr(p, ',', (size_t)(end - p));
        if (!item_end)
            item_end = end;
        const char *h = p, *h_end, *port = NULL;
        if (*h == '[' && h < item_end) {
            const char *rb = memchr(h, ']', (size_t)(item_end - h));
            if (!rb) {
                st = bad_url(err, url, "'[' without ']' in the host");
                goto out;
            }
            h_end = rb;
            h++;
            if (rb + 1 < item_end) {
                if (rb[1] != ':') {
                    st = bad_url(err, url, "unexpected text after ']' in the host");
                    goto out;
                }
                port = rb + 2;
            }
        } else {
            const char *c = memchr(h, ':', (size_t)(item_end - h));
            h_end = c ? c : item_end;
            if (c)
                port = c + 1;
        }
        if (port && !all_digits(port, (size_t)(item_end - port))) {
            st = bad_url(err, url, "the port must be a number from 1 to 65535");
            goto out;
        }
        char *host = decode(ci->arena, h, (size_t)(h_end - h), &bad);
        if (!host) {
            st = bad ? bad_url(err, url, "bad percent-escape in the host")
                     : rel_err_nomem(err);
            goto out;
        }
        if (p != s) {
            rel_buf_putc(&hosts, ',');
            rel_buf_putc(&ports, ',');
        }
        rel_buf_puts(&hosts, host);
        if (port) {
            any_port = true;
            rel_buf_put(&ports, port, (size_t)(item_end - port));
        }
        p = item_end + 1;
    }
    if (hosts.oom || ports.oom) {
        st = rel_err_nomem(err);
        goto out;
    }
    if (hosts.len) {
        char *h = rel_arena_strdup(ci->arena, rel_buf_cstr(&hosts));
        if (!h) {
            st = rel_err_nomem(err);
            goto out;
        }
        add(ci, "host", h);
    }
    if (any_port) {
        char *pt = rel_arena_strdup(ci->arena, rel_buf_cstr(&ports));
        if (!pt) {
            st = rel_err_nomem(err);
            goto out;
        }
        add(ci, "port", pt);
    }
out:
    rel_buf_free(&hosts);
    rel_buf_free(&ports);
    return st;
}

rel_status rel_url_pg_parse(const char *url, rel_pg_conninfo *ci, rel_error *err)
{
    memset(ci, 0, sizeof *ci);
    size_t sl = scheme_len(url);
    if (!sl)
        return bad_url(err, url, "it must start with postgres:// or postgresql://");

    const char *auth = url + sl;
    const char *auth_end = auth + strcspn(auth, "/?");
    const char *path_end = auth_end + strcspn(auth_end, "?");
    const char *query = *path_end == '?' ? path_end + 1 : NULL;

    size_t nq = 0;
    if (query && *query) {
        nq = 1;
        for (const char *p = query; *p; p++)
            nq += *p == '&';
    }
    rel_status st = REL_OK;
    bool bad = false;
    ci->arena = rel_arena_new(0);
    if (!ci->arena)
        return rel_err_nomem(err);
    size_t cap = PG_MAX_BUILTIN_KEYS + nq + 1;
    ci->keys = rel_arena_calloc(ci->arena, cap, sizeof *ci->keys);
    ci->vals = rel_arena_calloc(ci->arena, cap, sizeof *ci->vals);
    if (!ci->keys || !ci->vals) {
        st = rel_err_nomem(err);
        goto fail;
    }
    add(ci, "fallback_application_name", "relate");

    /* user[:password]@ : the last '@' ends it ('@' in a password should be
       %40, but a raw one is still understood). */
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    const char *hosts = auth;
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        const char *user_end = colon ? colon : at;
        if (user_end > auth) {
            char *user = decode(ci->arena, auth, (size_t)(user_end - auth), &bad);
            if (!user)
                goto decode_fail;
            add(ci, "user", user);
        }
        if (colon && at > colon + 1) {
            char *pw = decode(ci->arena, colon + 1, (size_t)(at - colon - 1), &bad);
            if (!pw)
                goto decode_fail;
            add(ci, "password", pw);
        }
        hosts = at + 1;
    }
    if (auth_end > hosts) {
        st = parse_hosts(ci, url, hosts, (size_t)(auth_end - hosts), err);
        if (st != REL_OK)
            goto fail;
    }
    if (*auth_end == '/' && path_end > auth_end + 1) {
        char *db = decode(ci->arena, auth_end + 1, (size_t)(path_end - auth_end - 1), &bad);
        if (!db)
            goto decode_fail;
        add(ci, "dbname", db);
    }
    for (const char *p = query; p && *p;) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        if (n == 0) {
            p++;
            continue;
        }
        if (!eq || eq == p) {
            st = bad_url(err, url, "each query parameter must be name=value");
            goto fail;
        }
        char *k = decode(ci->arena, p, (size_t)(eq - p), &bad);
        char *v = k ? decode(ci->arena, eq + 1, (size_t)(p + n - eq - 1), &bad) : NULL;
        if (!v)
            goto decode_fail;
        /* libpq's own URI parser reads ssl=true as sslmode=require. */
        if (strcmp(k, "ssl") == 0 && strcmp(v, "true") == 0) {
            k = "sslmode";
            v = "require";
        }
        if (strcmp(k, "client_encoding") != 0) /* relate needs UTF8 */
            add(ci, k, v);
        p += n;
        if (*p == '&')
            p++;
    }
    add(ci, "client_encoding", "UTF8");
    ci->keys[ci->n] = NULL;
    ci->vals[ci->n] = NULL;
    return REL_OK;

decode_fail:
    st = bad ? bad_url(err, url, "bad percent-escape (use %XX with two hex digits, not %00)")
             : rel_err_nomem(err);
fail:
    rel_pg_conninfo_free(ci);
    return st;
}

void rel_pg_conninfo_free(rel_pg_conninfo *ci)
{
    if (!ci)
        return;
    rel_arena_free(ci->arena);
    memset(ci, 0, sizeof *ci);
}
