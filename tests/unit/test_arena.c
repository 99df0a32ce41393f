/* Unit tests for src/util/arena.c.  Link with -Wl,--wrap=malloc (and arena.c as an
 * object or static library) so the n-th allocation can be made to fail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* ---- allocation failure injection ----------------------------------------- */

/* Under ASan, let absurd sizes fail with NULL as malloc does, instead of aborting;
 * without ASan this function is simply unused. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Weak, so the test still links without --wrap (then injection is off and the
 * out-of-memory tests skip themselves). */
void *__real_malloc(size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);

static long fail_countdown = -1; /* fail when it reaches 0; -1 = never */

void *__wrap_malloc(size_t n)
{
    if (fail_countdown >= 0 && fail_countdown-- == 0)
        return NULL;
    return __real_malloc(n);
}

/* --------------------------------------------------------------------------- */

static void assert_aligned(const void *p)
{
    assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
}

static void test_new_free(void **state)
{
    (void)state;
    rel_arena_free(NULL);
    rel_arena *a = rel_arena_new(0);
    assert_non_null(a);
    assert_true(rel_arena_bytes(a) >= 4096);
    rel_arena_free(a);
    a = rel_arena_new(1);
    assert_non_null(a);
    rel_arena_free(a);
    assert_null(rel_arena_new(SIZE_MAX));
    assert_null(rel_arena_new(SIZE_MAX / 2 + 1));
}

static void test_alloc_alignment(void **state)
{
    (void)state;
    rel_arena *a = rel_arena_new(64);
    assert_non_null(a);
    char *prev = NULL;
    for (size_t n = 0; n < 300; n++) {
        char *p = rel_arena_alloc(a, n);
        assert_non_null(p);
        assert_aligned(p);
        memset(p, 0xab, n); /* ASan checks that all n bytes are ours */
        if (n && prev)
            assert_true(p != prev);
        prev = n ? p : prev;
    }
    rel_arena_free(a);
}

static void test_zero_size(void **state)
{
    (void)state;
    rel_arena *a = rel_arena_new(16);
    assert_non_null(a);
    for (int i = 0; i < 100; i++)
        assert_non_null(rel_arena_alloc(a, 0));
    assert_non_null(rel_arena_calloc(a, 0, 8));
    assert_non_null(rel_arena_calloc(a, 8, 0));
    assert_non_null(rel_arena_memdup(a, NULL, 0));
    rel_arena_free(a);
}

/* Many allocations of varying size: none overlaps another, all survive until free. */
static void test_no_overlap(void **state)
{
    (void)state;
    enum { N = 20000 };
    rel_arena *a = rel_arena_new(0);
    assert_non_null(a);
    unsigned char **ptrs = calloc(N, sizeof *ptrs);
    size_t *sizes = calloc(N, sizeof *sizes);
    assert_non_null(ptrs);
    assert_non_null(sizes);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        sizes[i] = i % 500 == 0 ? 300000 + x % 100000 : x % 200; /* some big ones */
        ptrs[i] = rel_arena_alloc(a, sizes[i]);
        assert_non_null(ptrs[i]);
        assert_aligned(ptrs[i]);
        memset(ptrs[i], (int)(i & 0xff), sizes[i]);
    }
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            if (ptrs[i][k] != (unsigned char)(i & 0xff))
                fail_msg("allocation %zu overwritten at %zu", i, k);
    rel_arena_free(a);
    free(ptrs);
    free(sizes);
}

/* Chunks grow geometrically: many small allocations take few mallocs and little
 * slack; a big request does not waste the room left in the current chunk. */
static void test_growth(void **state)
{
    (void)state;
    rel_arena *a = rel_arena_new(0);
    assert_non_null(a);
    size_t total = 0;
    while (total < ((size_t)64 << 20)) {
        assert_non_null(rel_arena_alloc(a, 48));
        total += 48;
    }
    /* Chunks are capped at 1 MiB, so the slack is at most about one chunk. */
    assert_true(rel_arena_bytes(a) >= total);
    assert_true(rel_arena_bytes(a) < total + ((size_t)2 << 20));
    rel_arena_free(a);

    a = rel_arena_new(1024);
    assert_non_null(a);
    char *small1 = rel_arena_alloc(a, 16);
    size_t before = rel_arena_bytes(a);
    char *big = rel_arena_alloc(a, 100000);
    assert_non_null(big);
    assert_true(rel_arena_bytes(a) >= before + 100000);
    assert_true(rel_arena_bytes(a) < before + 100000 + 256);
    char *small2 = rel_arena_alloc(a, 16);
    assert_ptr_equal(small2, small1 + 16); /* still from the first chunk */
    rel_arena_free(a);
}

static void test_arena_calloc(void **state)
{
    (void)state;
    rel_arena *a = rel_arena_new(128);
    assert_non_null(a);
    /* Dirty some memory, then make sure calloc zeroes what it hands out. */
    for (int i = 0; i < 10; i++)
        memset(rel_arena_alloc(a, 100), 0xff, 100);
    for (size_t n = 1; n < 5000; n += 333) {
        unsigned char *p = rel_arena_calloc(a, n, 3);
        assert_non_null(p);
        for (size_t k = 0; k < n * 3; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xff, n * 3);
    }
    assert_null(rel_arena_calloc(a, SIZE_MAX / 2, 3));
    assert_null(rel_arena_calloc(a, (size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)));
    assert_null(rel_arena_alloc(a, SIZE_MAX));
    assert_null(rel_arena_alloc(a, SIZE_MAX - 15));
    assert_null(rel_arena_alloc(a, SIZE_MAX - 64));
    /* Still usable. */
    assert_non_null(rel_arena_alloc(a, 10));
    rel_arena_free(a);
}

static void test_strings(void **state)
{
    (void)state;
    rel_arena *a = rel_arena_new(32);
    assert_non_null(a);
    char *s = rel_arena_strdup(a, "hello, world");
    assert_string_equal(s, "hello, world");
    assert_string_equal(rel_arena_strdup(a, ""), "");
    assert_null(rel_arena_strdup(a, NULL));

    assert_string_equal(rel_arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(rel_arena_strndup(a, "ab", 10), "ab");
    assert_string_equal(rel_arena_strndup(a, "ab\0cd", 5), "ab");
    assert_string_equal(rel_arena_strndup(a, "abc", 0), "");
    assert_null(rel_arena_strndup(a, NULL, 3));
    /* Not NUL-terminated within n: reads no further than n (ASan checks). */
    char raw[4] = { 'w', 'x', 'y', 'z' };
    assert_string_equal(rel_arena_strndup(a, raw, sizeof raw), "wxyz");

    int nums[5] = { 1, 2, 3, 4, 5 };
    int *copy = rel_arena_memdup(a, nums, sizeof nums);
    assert_non_null(copy);
    assert_aligned(copy);
    assert_memory_equal(copy, nums, sizeof nums);
    assert_ptr_not_equal(copy, nums);

    /* A long string forces a chunk of its own. */
    char long_s[10000];
    memset(long_s, 'q', sizeof long_s - 1);
    long_s[sizeof long_s - 1] = '\0';
    assert_string_equal(rel_arena_strdup(a, long_s), long_s);
    rel_arena_free(a);
}

/* Fail each malloc in turn: every call reports NULL, nothing leaks (ASan), and the
 * arena stays usable after a failure. */
static void test_oom(void **state)
{
    (void)state;
    fail_countdown = 0;
    rel_arena *probe = rel_arena_new(0);
    fail_countdown = -1;
    if (probe) { /* not linked with --wrap=malloc: cannot inject failures */
        rel_arena_free(probe);
        skip();
    }

    for (long fail_at = 0; fail_at < 40; fail_at++) {
        rel_arena *a = rel_arena_new(64);
        assert_non_null(a);
        fail_countdown = fail_at;
        bool failed = false;
        for (int i = 0; i < 200; i++) {
            size_t n = i % 7 == 0 ? 5000 : 40;
            char *p = (i & 1) ? rel_arena_alloc(a, n) : rel_arena_calloc(a, 1, n);
            if (!p) {
                failed = true;
                continue;
            }
            memset(p, 1, n);
        }
        char *s = rel_arena_strdup(a, "survives");
        fail_countdown = -1;
        assert_true(failed || fail_at > 30);
        if (s)
            assert_string_equal(s, "survives");
        assert_non_null(rel_arena_alloc(a, 100));
        rel_arena_free(a);
    }
}

/* Packed allocations take only the alignment asked for, interleave with
 * ordinary ones (which stay aligned for anything), and never overlap. */
static void test_packed(void **state)
{
    (void)state;
    rel_arena *a = rel_arena_new(256);
    assert_non_null(a);
    assert_null(rel_arena_alloc_packed(a, 8, 0));
    assert_null(rel_arena_alloc_packed(a, 8, 3));
    assert_null(rel_arena_alloc_packed(a, 8, 2 * _Alignof(max_align_t)));
    for (size_t i = 0; i < 5000; i++) {
        size_t align = (size_t)1 << (i % 4), n = 1 + i % 37;
        char *p = i % 5 == 4 ? rel_arena_alloc(a, n) : rel_arena_alloc_packed(a, n, align);
        assert_non_null(p);
        if (i % 5 == 4)
            assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        else
            assert_int_equal((uintptr_t)p % align, 0);
        memset(p, (int)(i & 0xff), n);
    }
    rel_arena_free(a);

    /* In one chunk, a packed request goes right after the previous one,
     * padded only to its own alignment. */
    a = rel_arena_new(4096);
    assert_non_null(a);
    char *x = rel_arena_alloc_packed(a, 5, 1);
    char *y = rel_arena_alloc_packed(a, 3, 1);
    char *z = rel_arena_alloc_packed(a, 8, 8);
    char *w = rel_arena_alloc_packed(a, 4, 4);
    assert_ptr_equal(y, x + 5);
    assert_ptr_equal(z, x + 8);
    assert_ptr_equal(w, z + 8);
    rel_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_free),
        cmocka_unit_test(test_alloc_alignment),
        cmocka_unit_test(test_zero_size),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_arena_calloc),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_packed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
