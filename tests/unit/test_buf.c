/* Unit tests for src/util/buf.c.  Link with -Wl,--wrap=malloc,--wrap=realloc (and
 * buf.c as an object or static library) so the n-th allocation can be made to fail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* ---- allocation failure injection ----------------------------------------- */

/* Under ASan, let absurd sizes fail with NULL as malloc does, instead of aborting. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Weak, so the test still links without --wrap (then injection is off and the
 * out-of-memory tests skip themselves). */
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

/* --------------------------------------------------------------------------- */

static void test_zero_init(void **state)
{
    (void)state;
    rel_buf b = { 0 };
    assert_string_equal(rel_buf_cstr(&b), "");
    rel_buf_reset(&b);
    rel_buf_free(&b);
    rel_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    char *s = rel_buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_put(void **state)
{
    (void)state;
    rel_buf b;
    rel_buf_init(&b);
    assert_true(rel_buf_put(&b, "abc", 3));
    assert_true(rel_buf_put(&b, NULL, 0));
    assert_true(rel_buf_puts(&b, "def"));
    assert_true(rel_buf_putc(&b, 'g'));
    assert_int_equal(b.len, 7);
    assert_string_equal(rel_buf_cstr(&b), "abcdefg");
    assert_true(b.cap > b.len);

    /* Embedded NUL bytes are kept; len counts them. */
    assert_true(rel_buf_putc(&b, '\0'));
    assert_true(rel_buf_put(&b, "x\0y", 3));
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.data, "abcdefg\0x\0y", 12);
    rel_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void test_grow(void **state)
{
    (void)state;
    rel_buf b = { 0 };
    for (int i = 0; i < 100000; i++)
        assert_true(rel_buf_putc(&b, (char)('a' + i % 26)));
    assert_int_equal(b.len, 100000);
    assert_int_equal(strlen(rel_buf_cstr(&b)), 100000);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    rel_buf_free(&b);

    /* One big put. */
    size_t n = (size_t)3 << 20;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'z', n);
    assert_true(rel_buf_put(&b, "<", 1));
    assert_true(rel_buf_put(&b, big, n));
    assert_int_equal(b.len, n + 1);
    assert_int_equal(b.data[n + 1], '\0');
    free(big);
    rel_buf_free(&b);
}

static void test_reserve(void **state)
{
    (void)state;
    rel_buf b = { 0 };
    assert_true(rel_buf_reserve(&b, 1000));
    assert_true(b.cap >= 1001);
    char *data = b.data;
    for (int i = 0; i < 1000; i++)
        assert_true(rel_buf_putc(&b, 'x'));
    assert_ptr_equal(b.data, data); /* no reallocation */
    assert_false(rel_buf_reserve(&b, SIZE_MAX));
    assert_true(b.oom);
    rel_buf_free(&b);

    assert_false(rel_buf_reserve(&b, SIZE_MAX - 1));
    assert_true(b.oom);
    rel_buf_free(&b);
    assert_false(b.oom);
}

static void test_printf(void **state)
{
    (void)state;
    rel_buf b = { 0 };
    assert_true(rel_buf_printf(&b, "%d-%s", 42, "x"));
    assert_string_equal(rel_buf_cstr(&b), "42-x");
    assert_true(rel_buf_printf(&b, "%s", ""));
    assert_string_equal(rel_buf_cstr(&b), "42-x");
    /* Longer than the room left: takes the second pass. */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_true(rel_buf_printf(&b, "[%s]%d", big, 7));
    assert_int_equal(b.len, 4 + 1 + 4999 + 2);
    assert_int_equal(b.data[5], 'q');
    assert_string_equal(b.data + b.len - 2, "]7");
    /* Exactly filling the room. */
    rel_buf_reset(&b);
    rel_buf c = { 0 };
    assert_true(rel_buf_reserve(&c, 10));
    size_t room = c.cap - 1;
    assert_true(rel_buf_printf(&c, "%.*s", (int)room, big));
    assert_int_equal(c.len, room);
    assert_true(rel_buf_printf(&c, "%s", "ab"));
    assert_int_equal(c.len, room + 2);
    assert_string_equal(c.data + room, "ab");
    rel_buf_free(&c);
    rel_buf_free(&b);
}

static void test_reset_and_take(void **state)
{
    (void)state;
    rel_buf b = { 0 };
    assert_true(rel_buf_puts(&b, "hello"));
    size_t cap = b.cap;
    rel_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(rel_buf_cstr(&b), "");
    assert_true(rel_buf_puts(&b, "world"));
    char *s = rel_buf_take(&b);
    assert_string_equal(s, "world");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(s);
    /* Usable again after take. */
    assert_true(rel_buf_puts(&b, "again"));
    assert_string_equal(rel_buf_cstr(&b), "again");
    rel_buf_free(&b);
}

/* Fail each allocation in turn: the failing call and every later one return false,
 * the content stays what it was, take gives NULL, and nothing leaks (ASan). */
static void test_oom(void **state)
{
    (void)state;
    rel_buf probe = { 0 };
    fail_countdown = 0;
    bool injected = !rel_buf_putc(&probe, 'x');
    fail_countdown = -1;
    rel_buf_free(&probe);
    if (!injected) /* not linked with --wrap: cannot inject failures */
        skip();

    for (long fail_at = 0; fail_at < 8; fail_at++) { /* 2000 pieces take ~9 reallocs */
        rel_buf b = { 0 };
        fail_countdown = fail_at;
        bool failed = false;
        size_t good_len = 0;
        for (int i = 0; i < 2000; i++) {
            bool ok = (i % 3 == 0) ? rel_buf_printf(&b, "%04d,", i % 10000)
                    : (i % 3 == 1) ? rel_buf_puts(&b, "abcd,") : rel_buf_put(&b, "wxyz,", 5);
            if (!ok) {
                assert_true(b.oom);
                failed = true;
            } else {
                assert_false(failed); /* sticky */
                good_len = b.len;
            }
        }
        fail_countdown = -1;
        assert_true(failed);
        assert_int_equal(b.len, good_len);
        assert_int_equal(strlen(rel_buf_cstr(&b)), good_len);
        assert_false(rel_buf_putc(&b, 'x'));
        assert_null(rel_buf_take(&b)); /* frees and empties */
        assert_false(b.oom);
        assert_true(rel_buf_puts(&b, "fresh"));
        rel_buf_free(&b);
    }

    /* Reset clears oom. */
    rel_buf b = { 0 };
    assert_true(rel_buf_puts(&b, "x"));
    fail_countdown = 0;
    assert_false(rel_buf_reserve(&b, 1000));
    fail_countdown = -1;
    assert_string_equal(rel_buf_cstr(&b), "x");
    rel_buf_reset(&b);
    assert_false(b.oom);
    assert_true(rel_buf_puts(&b, "y"));
    assert_string_equal(rel_buf_cstr(&b), "y");
    rel_buf_free(&b);

    /* take of an empty buffer when malloc fails. */
    fail_countdown = 0;
    assert_null(rel_buf_take(&b));
    fail_countdown = -1;

    /* printf failing in its second pass keeps the content intact. */
    assert_true(rel_buf_puts(&b, "keep"));
    char big[500];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    fail_countdown = 0;
    assert_false(rel_buf_printf(&b, "%s", big));
    fail_countdown = -1;
    assert_true(b.oom);
    assert_string_equal(rel_buf_cstr(&b), "keep");
    rel_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_init),
        cmocka_unit_test(test_put),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_reset_and_take),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
