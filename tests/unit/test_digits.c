/* Unit tests for src/util/digits.h: integers written two digits at a time,
 * checked against printf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/digits.h"

static void check_int(int64_t v)
{
    char want[32], got[REL_INT_TEXT_MAX + 8];
    snprintf(want, sizeof want, "%lld", (long long)v);
    memset(got, '#', sizeof got);
    char *end = rel_put_int(got, v);
    if ((size_t)(end - got) != strlen(want) || memcmp(got, want, strlen(want)) != 0)
        fail_msg("%s: got %.*s", want, (int)(end - got), got);
    /* Nothing past the block it may write. */
    for (size_t k = REL_INT_TEXT_MAX; k < sizeof got; k++)
        assert_int_equal(got[k], '#');
}

static void test_int_edges(void **state)
{
    (void)state;
    check_int(0);
    check_int(INT64_MIN);
    check_int(INT64_MIN + 1);
    check_int(INT64_MAX);
    check_int(UINT32_MAX);
    check_int((int64_t)UINT32_MAX + 1);
    check_int(-(int64_t)UINT32_MAX - 1);
    /* Every power of ten and its neighbours, both signs. */
    int64_t p = 1;
    for (int k = 0; k <= 18; k++) {
        for (int64_t d = -1; d <= 1; d++) {
            check_int(p + d);
            check_int(-(p + d));
        }
        if (k < 18)
            p *= 10;
    }
}

static void test_int_small(void **state)
{
    (void)state;
    for (int64_t v = -100000; v <= 100000; v++)
        check_int(v);
}

static void test_int_random(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        check_int((int64_t)x);
        check_int((int64_t)(x >> (x % 64)));
    }
}

static void test_pairs(void **state)
{
    (void)state;
    for (unsigned v = 0; v < 100; v++) {
        char got[3] = {0}, want[3];
        snprintf(want, sizeof want, "%02u", v);
        assert_ptr_equal(rel_put_2digits(got, v), got + 2);
        assert_string_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_edges),
        cmocka_unit_test(test_int_small),
        cmocka_unit_test(test_int_random),
        cmocka_unit_test(test_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
