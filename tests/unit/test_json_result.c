/* JSON as Sequelize prints it, without a database: JSON attribute text re-emitted as
 * JSON.stringify(JSON.parse(text)) (expected outputs computed with Node), decimal
 * parsing, and records' JSON per type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "query/json_text.h"
#include "query/record.h"
#include "relate.h"

typedef struct text_case {
    const char *in, *out;
} text_case;

/* Generated with Node: [in, JSON.stringify(JSON.parse(in))]. */
static const text_case cases[] = {
    {"{\"b\":1,\"2\":2,\"1\":3,\"b\":4}",
     "{\"1\":3,\"2\":2,\"b\":4}"},
    {" { \"a\" : [ 1 , 2.50 , \"x\" , 1e2 ] , \"b\" : null , \"c\" : { } , \"d\": [] } ",
     "{\"a\":[1,2.5,\"x\",100],\"b\":null,\"c\":{},\"d\":[]}"},
    {"[1e400, -0, 1E-7, 123456789012345678901234567890, 0.1e1, -1.5e-10, 5e-324, 1.7976931348623157e308]",
     "[null,0,1e-7,1.2345678901234568e+29,1,-1.5e-10,5e-324,1.7976931348623157e+308]"},
    {"\"\\ud800\\ud83d\\ude00\\udc00x\\ud83d\"",
     "\"\\ud800\xf0\x9f\x98\x80\\udc00x\\ud83d\""},
    {"\"\\u0000\\u001f\\u007f\\u2028\\/\\\"\\\\\\b\\f\\n\\r\\t\"",
     "\"\\u0000\\u001f\x7f\xe2\x80\xa8/\\\"\\\\\\b\\f\\n\\r\\t\""},
    {"{\"4294967295\":1,\"4294967294\":2,\"01\":3,\"-1\":4,\"1.0\":5,\"0\":6}",
     "{\"0\":6,\"4294967294\":2,\"4294967295\":1,\"01\":3,\"-1\":4,\"1.0\":5}"},
    {"{\"a\":{\"z\":1,\"y\":2,\"z\":3},\"a\":[{\"k\":1,\"k\":2}]}",
     "{\"a\":[{\"k\":2}]}"},
    {"true",
     "true"},
    {"false",
     "false"},
    {"null",
     "null"},
    {"  42  ",
     "42"},
    {"\"plain\"",
     "\"plain\""},
    {"0.1",
     "0.1"},
    {"100",
     "100"},
    {"1e21",
     "1e+21"},
    {"1e-6",
     "0.000001"},
    {"123e-20",
     "1.23e-18"},
    {"0.000001234",
     "0.000001234"},
    {"{\"__proto__\":1,\"constructor\":2}",
     "{\"__proto__\":1,\"constructor\":2}"},
    {"{\"10\":1,\"9\":2,\"a\":3,\"1\":4}",
     "{\"1\":4,\"9\":2,\"10\":1,\"a\":3}"},
    /* Raw bytes that are not UTF-8 become U+FFFD, one per maximal subpart. */
    {"\"a\xff\xe2\x82" "b\"", "\"a\xef\xbf\xbd\xef\xbf\xbd" "b\""},
};

static void reemits_like_javascript(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rel_buf b;
        rel_buf_init(&b);
        rel_buf_puts(&b, "<");
        rel_json_text_status st = rel_json_text_emit(&b, cases[i].in, strlen(cases[i].in));
        if (st != REL_JSON_TEXT_OK)
            fail_msg("case %zu (%s): status %d", i, cases[i].in, (int)st);
        assert_string_equal(b.data + 1, cases[i].out);
        assert_true(rel_json_text_valid(cases[i].in, strlen(cases[i].in)));
        rel_buf_free(&b);
    }
}

static void refuses_what_json_parse_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "  ", "{\"a\":1,}", "[1,]", "01", "\"\x01\"", "{\"a\" 1}", "tru", "\"\\x\"", "1.",
        ".5", "-", "[1] x", "\"\\ud8\"", "{a:1}", "'a'", "[", "{\"a\":", "NaN", "+1", "1e",
        "\"abc", "[1 2]", "{\"a\":1 \"b\":2}", "nul",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rel_buf b;
        rel_buf_init(&b);
        rel_buf_puts(&b, "kept");
        if (rel_json_text_emit(&b, bad[i], strlen(bad[i])) != REL_JSON_TEXT_INVALID)
            fail_msg("accepted %s", bad[i]);
        assert_string_equal(b.data, "kept"); /* left as it was */
        assert_false(rel_json_text_valid(bad[i], strlen(bad[i])));
        rel_buf_free(&b);
    }
    /* Deep nesting is refused, not a stack overflow. */
    size_t n = 5000;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    assert_false(rel_json_text_valid(deep, 2 * n));
    free(deep);
}

static void parses_decimals_exactly(void **state)
{
    (void)state;
    double d;
    assert_true(rel_decimal_parse("1.5", 3, false, &d) && d == 1.5);
    assert_true(rel_decimal_parse("-0", 2, false, &d) && d == 0 && signbit(d));
    assert_false(rel_decimal_parse("+1", 2, false, &d));
    assert_true(rel_decimal_parse("+1", 2, true, &d) && d == 1);
    assert_true(rel_decimal_parse(".5", 2, true, &d) && d == 0.5);
    assert_true(rel_decimal_parse("5.", 2, true, &d) && d == 5);
    assert_false(rel_decimal_parse(".", 1, true, &d));
    assert_false(rel_decimal_parse("1e", 2, true, &d));
    assert_false(rel_decimal_parse("1e+", 3, true, &d));
    assert_false(rel_decimal_parse("0x10", 4, true, &d));
    assert_false(rel_decimal_parse("inf", 3, true, &d));
    assert_false(rel_decimal_parse("1 ", 2, true, &d));
    assert_true(rel_decimal_parse("9007199254740993", 16, false, &d) && d == 9007199254740992.0);
    /* Digits beyond what is kept still decide the rounding. */
    char big[1000];
    strcpy(big, "9007199254740993.");
    memset(big + 17, '0', 800);
    strcpy(big + 817, "1");
    assert_true(rel_decimal_parse(big, strlen(big), false, &d) && d == 9007199254740994.0);
    assert_true(rel_decimal_parse("1e400", 5, false, &d) && isinf(d));
    assert_true(rel_decimal_parse("1e-400", 6, false, &d) && d == 0);
    assert_true(rel_decimal_parse("123.456e-2", 10, false, &d) && d == 1.23456);
}

/* ---------------------------------------------------------------- records */

static rel_schema *schema;
static rel_model *thing;

static int setup(void **state)
{
    (void)state;
    rel_error err;
    schema = rel_schema_new();
    thing = rel_define(schema, "Thing",
                       (rel_attr[]){{.name = "b", .type = REL_BOOLEAN},
                                    {.name = "dt", .type = REL_DATE},
                                    {.name = "big", .type = REL_BIGINT},
                                    {.name = "blob", .type = REL_BLOB},
                                    {.name = "j", .type = REL_JSON},
                                    {.name = "s", .type = REL_STRING, .default_value = "dflt"},
                                    {0}},
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

static void record_json_per_type(void **state)
{
    (void)state;
    rel_record *r = rel_new(thing);
    char *json = rel_record_json(r);
    assert_string_equal(json, "{\"s\":\"dflt\"}"); /* only what is set */
    free(json);
    assert_int_equal(rel_set_bool(r, "b", false, NULL), REL_OK);
    assert_int_equal(rel_set_time(r, "dt", -1, NULL), REL_OK);
    assert_int_equal(rel_set_int(r, "big", 9007199254740993LL, NULL), REL_OK);
    assert_int_equal(rel_set_blob(r, "blob", "\x00\x7f\x80", 3, NULL), REL_OK);
    assert_int_equal(rel_set_text(r, "j", "{\"x\": 1.0}", NULL), REL_OK);
    assert_int_equal(rel_set_null(r, "s", NULL), REL_OK);
    json = rel_record_json(r);
    assert_string_equal(json, "{\"b\":false,\"dt\":\"1969-12-31T23:59:59.999Z\","
                              "\"big\":9007199254740993,"
                              "\"blob\":{\"type\":\"Buffer\",\"data\":[0,127,128]},"
                              "\"j\":{\"x\":1},\"s\":null}");
    free(json);
    /* PostgreSQL hands BIGINT out as a string. */
    rel_buf b;
    rel_buf_init(&b);
    assert_true(rel_record_json_write(&b, r, true));
    assert_non_null(strstr(b.data, "\"big\":\"9007199254740993\""));
    rel_buf_free(&b);
    assert_string_equal(rel_get_text(r, "dt"), "1969-12-31T23:59:59.999Z");
    assert_string_equal(rel_get_text(r, "b"), "false");
    assert_string_equal(rel_get_text(r, "big"), "9007199254740993");
    assert_null(rel_record_json(NULL));
    assert_ptr_equal(rel_record_model(r), thing);
    rel_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reemits_like_javascript),
        cmocka_unit_test(refuses_what_json_parse_refuses),
        cmocka_unit_test(parses_decimals_exactly),
        cmocka_unit_test_setup_teardown(record_json_per_type, setup, teardown),
    };
    return cmocka_run_group_tests_name("json_result", tests, NULL, NULL);
}
