/* Results written as JSON (rel_result_json, rel_result_write_json), without a
 * database: many rows of random values, compared byte for byte with a plain
 * reference writer built from the tested pieces (rel_datetime_iso,
 * rel_json_string, rel_json_double, printf for integers). The rows are chosen
 * to cross what the writer keeps between values: keys longer than its block
 * copy, dates in the same minute, the next minute, another day, before 1970,
 * past 9999 and at the ends of int64, equal dates in neighbouring columns,
 * strings with and without escapes, and buffers past the streaming chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/record.h"
#include "relate.h"
#include "util/buf.h"
#include "util/datetime.h"
#include "util/json_write.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Weak, so the test still links without --wrap (then the out-of-memory test
 * skips itself). */
void *__real_malloc(size_t n) __attribute__((weak));
void *__real_realloc(void *p, size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);

static long fail_countdown = -1; /* fail when it reaches 0; -1 = never */

static bool should_fail(void)
{
    return fail_countdown >= 0 && fail_countdown-- == 0;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

/* ---------------------------------------------------------------- schema */

static rel_schema *schema;
static rel_model *thing, *link;

#define LONG_KEY "an_attribute_whose_name_is_longer_than_the_key_block"

static int setup(void **state)
{
    (void)state;
    rel_error err;
    schema = rel_schema_new();
    thing = rel_define(schema, "Thing",
                       (rel_attr[]){{.name = "n", .type = REL_INTEGER},
                                    {.name = "big", .type = REL_BIGINT},
                                    {.name = "at", .type = REL_DATE},
                                    {.name = "s", .type = REL_STRING},
                                    {.name = LONG_KEY, .type = REL_DATE},
                                    {.name = "ok", .type = REL_BOOLEAN},
                                    {.name = "x", .type = REL_DOUBLE},
                                    {.name = "j", .type = REL_JSON},
                                    {0}},
                       NULL);
    link = rel_define(schema, "Link", (rel_attr[]){{.name = "w", .type = REL_INTEGER}, {0}},
                      NULL);
    if (rel_schema_freeze(schema, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rel_schema_free(schema);
    return 0;
}

/* ---------------------------------------------------------------- reference */

static void ref_value(rel_buf *b, rel_type t, rel_value v, bool bigint_as_string)
{
    char tmp[48];
    switch (v.kind) {
    case REL_V_NULL:
        rel_buf_puts(b, "null");
        return;
    case REL_V_INT:
        if (t == REL_BOOLEAN) {
            rel_buf_puts(b, v.i ? "true" : "false");
        } else if (t == REL_DATE) {
            rel_datetime_iso(v.i, tmp);
            rel_buf_printf(b, "\"%s\"", tmp);
        } else if (t == REL_BIGINT && bigint_as_string) {
            rel_buf_printf(b, "\"%lld\"", (long long)v.i);
        } else {
            rel_buf_printf(b, "%lld", (long long)v.i);
        }
        return;
    case REL_V_DOUBLE:
        rel_json_double(b, v.d);
        return;
    case REL_V_TEXT:
        if (t == REL_JSON) /* the rows hold JSON already written as JSON.stringify does */
            rel_buf_put(b, v.s, v.len);
        else
            rel_json_string(b, v.s, v.len);
        return;
    case REL_V_BLOB:
        break;
    }
    fail_msg("unexpected value kind");
}

static void ref_record(rel_buf *b, const rel_record *r, bool bigint_as_string)
{
    const rel_model *m = rel_rec_model(r);
    const rel_shape *sh = r->shape;
    bool first = true;
    rel_buf_putc(b, '{');
    size_t n = sh->ordered ? sh->norder : m->nattrs;
    for (size_t j = 0; j < n; j++) {
        int i = sh->ordered ? sh->order[j] : (int)j;
        if (!rel_record_has(r, i))
            continue;
        if (!first)
            rel_buf_putc(b, ',');
        first = false;
        rel_json_string(b, m->attrs[i].a.name, strlen(m->attrs[i].a.name));
        rel_buf_putc(b, ':');
        ref_value(b, m->attrs[i].a.type, rel_record_at(r, i), bigint_as_string);
    }
    const rel_record *through = rel_record_through(r);
    if (through) {
        const char *name = rel_rec_model(through)->name;
        if (!first)
            rel_buf_putc(b, ',');
        rel_json_string(b, name, strlen(name));
        rel_buf_putc(b, ':');
        ref_record(b, through, bigint_as_string);
    }
    rel_buf_putc(b, '}');
}

static char *ref_result(const rel_result *res)
{
    rel_buf b;
    rel_buf_init(&b);
    rel_buf_putc(&b, '[');
    for (size_t i = 0; i < res->n; i++) {
        if (i)
            rel_buf_putc(&b, ',');
        ref_record(&b, res->rows[i], res->json_bigint_as_string);
    }
    rel_buf_putc(&b, ']');
    return rel_buf_take(&b);
}

/* ---------------------------------------------------------------- rows */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17; /* xorshift64 */
    return rng;
}

static int64_t pick_int(void)
{
    static const int64_t edge[] = {
        0, 1, -1, 9, 10, 99, 100, -100, 4294967295, 4294967296, -4294967296,
        999999999999, INT64_MAX, INT64_MIN, INT64_MIN + 1, 9007199254740993,
    };
    uint64_t x = next();
    if (x % 3 == 0)
        return edge[(x >> 8) % (sizeof edge / sizeof edge[0])];
    int digits = (int)((x >> 8) % 19) + 1;
    int64_t v = 1;
    for (int k = 1; k < digits; k++)
        v *= 10;
    v += (int64_t)((x >> 16) % (uint64_t)v);
    return x & (1u << 30) ? -v : v;
}

/* The next date of a column walking from *walk: mostly small steps (same
 * minute, next minute, next day), sometimes a jump. */
static int64_t pick_date(int64_t *walk)
{
    static const int64_t far[] = {
        INT64_MIN, INT64_MAX, INT64_C(-8640000000000000), INT64_C(8640000000000000),
        INT64_C(-62198755200001), INT64_C(253402300799999), INT64_C(253402300800000),
        INT64_C(-62167219200000), -1, 0, INT64_C(-86400000), INT64_C(86399999),
    };
    uint64_t x = next();
    if (*walk > INT64_C(100000000000000000) || *walk < -INT64_C(100000000000000000))
        *walk = 0; /* back from the ends of int64 before stepping */
    switch (x % 16) {
    case 0:
        *walk = far[(x >> 8) % (sizeof far / sizeof far[0])];
        return *walk;
    case 1: /* anywhere from year -1000 to 12000 */
        *walk = (int64_t)((x >> 8) % UINT64_C(410000000000000)) - INT64_C(93700000000000);
        return *walk;
    case 2:
        *walk += (int64_t)((x >> 8) % INT64_C(200000000)) - INT64_C(100000000);
        return *walk;
    default:
        *walk += (int64_t)((x >> 8) % 130000) - 10000;
        return *walk;
    }
}

static size_t pick_text(char *out, size_t cap)
{
    static const char *const odd[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9",
                                      "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff", "\xc3",
                                      "\xed\xa0\x80", "/"};
    size_t n = (size_t)(next() % 40), len = 0;
    bool plain = next() % 4 != 0;
    for (size_t k = 0; k < n && len + 5 < cap; k++) {
        uint64_t x = next();
        if (!plain && x % 5 == 0) {
            const char *s = odd[(x >> 8) % (sizeof odd / sizeof odd[0])];
            memcpy(out + len, s, strlen(s));
            len += strlen(s);
        } else {
            out[len++] = (char)(' ' + (x >> 8) % 95);
            if (out[len - 1] == '"' || out[len - 1] == '\\')
                out[len - 1] = 'q';
        }
    }
    out[len] = '\0';
    return len;
}

static int attr_index(const rel_model *m, const char *attr)
{
    for (size_t k = 0; k < m->nattrs; k++)
        if (strcmp(m->attrs[k].a.name, attr) == 0)
            return (int)k;
    fail_msg("no attribute %s", attr);
    return -1;
}

static void put(rel_record *r, const char *attr, rel_value v)
{
    assert_int_equal(rel_record_put(r, attr_index(rel_rec_model(r), attr), v, false), REL_OK);
}

static rel_value int_value(int64_t i)
{
    rel_value v = {REL_V_INT, i, 0, NULL, 0};
    return v;
}

static rel_value text_value(const char *s, size_t n)
{
    rel_value v = {REL_V_TEXT, 0, 0, s, n};
    return v;
}

static rel_value double_value(double d)
{
    rel_value v = {REL_V_DOUBLE, 0, d, NULL, 0};
    return v;
}

/* n rows of random values; every so often an attribute is left out or NULL. */
static rel_result *make_rows(size_t n)
{
    static const char *const docs[] = {"{\"a\":[1,2.5,\"x\"]}", "null", "[]", "\"s\""};
    rel_result *res = rel_result_new(thing);
    assert_non_null(res);
    rel_shape *shape = rel_shape_new(res->arena, thing, NULL, 0, false);
    assert_non_null(shape);
    int64_t walk_at = INT64_C(1767323045678), walk_long = walk_at, walk_created = 0;
    char text[256];
    for (size_t i = 0; i < n; i++) {
        rel_record *r = rel_record_in(shape, 0);
        assert_non_null(r);
        for (size_t a = 0; a < thing->nattrs; a++) {
            const char *name = thing->attrs[a].a.name;
            uint64_t x = next();
            if (x % 23 == 0)
                continue; /* not selected */
            if (x % 19 == 0) {
                put(r, name, rel_null());
                continue;
            }
            rel_type t = thing->attrs[a].a.type;
            int64_t prev = 0;
            switch (t) {
            case REL_DATE:
                if (strcmp(name, "at") == 0) {
                    put(r, name, int_value(pick_date(&walk_at)));
                } else if (strcmp(name, LONG_KEY) == 0) {
                    put(r, name, int_value(pick_date(&walk_long)));
                } else if (strcmp(name, "updatedAt") == 0 && x % 2) {
                    /* often equal to createdAt, as in stored rows */
                    rel_value c = rel_record_at(r, thing->created_at);
                    prev = c.kind == REL_V_INT ? c.i : walk_created;
                    put(r, name, int_value(prev));
                } else {
                    put(r, name, int_value(pick_date(&walk_created)));
                }
                break;
            case REL_INTEGER:
            case REL_BIGINT:
                put(r, name, int_value(pick_int()));
                break;
            case REL_BOOLEAN:
                put(r, name, int_value((int64_t)(x >> 8) % 2));
                break;
            case REL_DOUBLE:
                put(r, name, double_value((double)pick_int() / 7.0));
                break;
            case REL_JSON: {
                const char *d = docs[(x >> 8) % 4];
                put(r, name, text_value(d, strlen(d)));
                break;
            }
            default: {
                size_t len = pick_text(text, sizeof text);
                put(r, name, text_value(text, len));
                break;
            }
            }
        }
        assert_int_equal(rel_result_push(res, r), REL_OK);
    }
    return res;
}

/* ---------------------------------------------------------------- tests */

static void rows_match_reference(void **state)
{
    (void)state;
    rel_result *res = make_rows(3000);
    for (int big = 0; big < 2; big++) {
        res->json_bigint_as_string = big;
        char *want = ref_result(res);
        char *got = rel_result_json(res);
        assert_non_null(want);
        assert_non_null(got);
        if (strcmp(got, want) != 0) {
            size_t k = 0;
            while (got[k] && got[k] == want[k])
                k++;
            size_t from = k > 60 ? k - 60 : 0;
            fail_msg("differs at byte %zu:\n got  ...%.120s\n want ...%.120s", k, got + from,
                     want + from);
        }
        free(want);
        free(got);
    }
    rel_result_free(res);
}

typedef struct sink {
    rel_buf b;
    size_t calls;
    size_t stop_after; /* 0: never stop */
} sink;

static bool sink_write(void *user, const char *data, size_t len)
{
    sink *s = user;
    s->calls++;
    if (s->stop_after && s->calls > s->stop_after)
        return false;
    return rel_buf_put(&s->b, data, len);
}

/* The streaming writer gives the same bytes, in several chunks. */
static void streaming_matches(void **state)
{
    (void)state;
    rel_result *res = make_rows(4000);
    res->json_bigint_as_string = true;
    char *want = rel_result_json(res);
    assert_non_null(want);
    sink s = {{0}, 0, 0};
    rel_error err;
    assert_int_equal(rel_result_write_json(res, sink_write, &s, &err), REL_OK);
    assert_true(s.calls > 2); /* past the chunk size */
    assert_string_equal(rel_buf_cstr(&s.b), want);
    rel_buf_free(&s.b);

    sink stop = {{0}, 0, 1};
    assert_int_equal(rel_result_write_json(res, sink_write, &stop, &err), REL_ERROR);
    rel_buf_free(&stop.b);
    free(want);
    rel_result_free(res);
}

/* An explicit attribute order, and a junction row under its model's name. */
static void order_and_junction(void **state)
{
    (void)state;
    rel_result *res = rel_result_new(thing);
    int order[] = {attr_index(thing, "s"), attr_index(thing, "n"), attr_index(thing, LONG_KEY),
                   attr_index(thing, "at")};
    rel_shape *shape = rel_shape_new(res->arena, thing, order, 4, false);
    rel_shape *jshape = rel_shape_new(res->arena, link, NULL, 0, false);
    assert_non_null(shape);
    assert_non_null(jshape);
    rel_record *r = rel_record_in(shape, REL_REC_THROUGH);
    rel_record *j = rel_record_in(jshape, 0);
    put(r, "n", int_value(-42));
    put(r, "at", int_value(-1));
    put(r, LONG_KEY, int_value(-1));
    put(r, "s", text_value("tab\there", 8));
    put(j, "w", int_value(7));
    assert_true(rel_record_set_through(r, j));
    assert_int_equal(rel_result_push(res, r), REL_OK);
    char *got = rel_result_json(res);
    assert_string_equal(got, "[{\"s\":\"tab\\there\",\"n\":-42,\"" LONG_KEY
                             "\":\"1969-12-31T23:59:59.999Z\","
                             "\"at\":\"1969-12-31T23:59:59.999Z\",\"Link\":{\"w\":7}}]");
    free(got);
    /* Without the order: model order, the junction after the attributes. */
    shape->ordered = false;
    shape->norder = 0;
    got = rel_result_json(res);
    char *want = ref_result(res);
    assert_string_equal(got, want);
    free(got);
    free(want);
    rel_result_free(res);
}

/* Out of memory anywhere: NULL or the right text, nothing leaked. */
static void out_of_memory(void **state)
{
    (void)state;
    if (!__real_malloc)
        skip();
    rel_result *res = make_rows(40);
    char *want = rel_result_json(res);
    assert_non_null(want);
    bool completed = false;
    for (long at = 0; at < 200 && !completed; at++) {
        fail_countdown = at;
        char *got = rel_result_json(res);
        fail_countdown = -1;
        if (got) {
            assert_string_equal(got, want);
            completed = true;
        }
        free(got);
        sink s = {{0}, 0, 0};
        rel_error err;
        fail_countdown = at;
        rel_status st = rel_result_write_json(res, sink_write, &s, &err);
        fail_countdown = -1;
        /* REL_ERROR: the sink itself ran out. */
        assert_true(st == REL_OK || st == REL_NOMEM || st == REL_ERROR);
        rel_buf_free(&s.b);
    }
    assert_true(completed);
    free(want);
    rel_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_match_reference),
        cmocka_unit_test(streaming_matches),
        cmocka_unit_test(order_and_junction),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
