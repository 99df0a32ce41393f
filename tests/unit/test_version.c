/* The run-time version matches the header the program was compiled with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "relate.h"

static void number_matches_header(void **state)
{
    (void)state;
    assert_int_equal(rel_version(), RELATE_VERSION_NUMBER);
    assert_int_equal(RELATE_VERSION_NUMBER, RELATE_VERSION_MAJOR * 1000000 +
                                                RELATE_VERSION_MINOR * 1000 +
                                                RELATE_VERSION_PATCH);
}

static void string_matches_header_and_parts(void **state)
{
    (void)state;
    char parts[32];
    snprintf(parts, sizeof parts, "%d.%d.%d", RELATE_VERSION_MAJOR, RELATE_VERSION_MINOR,
             RELATE_VERSION_PATCH);
    assert_string_equal(rel_version_string(), RELATE_VERSION_STRING);
    assert_string_equal(rel_version_string(), parts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(number_matches_header),
        cmocka_unit_test(string_matches_header_and_parts),
    };
    return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
