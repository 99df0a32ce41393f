/* Malformed input that the fuzzers (fuzz/) cannot reach in their short runs: every
 * prefix of real model files and JSON options (cut anywhere, even inside a UTF-8
 * character), nesting far deeper than any real input, and very large inputs. Each
 * must give an error or a result - never a crash, a hang or a leak (the sanitized
 * build runs this too). */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relate.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return s;
}

/* Loads text[0..n) from an exact-size copy, so reading past n is caught. */
static rel_status load(const char *text, size_t n)
{
    char *copy = malloc(n ? n : 1);
    memcpy(copy, text, n);
    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err;
    rel_status st = rel_schema_load_text(copy, n, "cut.rel", &s, &errors, &err);
    if (st == REL_OK)
        assert_non_null(s);
    else
        assert_true(err.message[0] != '\0');
    free(errors);
    rel_schema_free(s);
    free(copy);
    return st;
}

static void every_prefix_of_the_example_model_files(void **state)
{
    (void)state;
    static const char *const files[] = {"organization.rel", "actors.rel", "ab.rel"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/examples/%s", REL_TEST_SOURCE_DIR, files[i]);
        size_t len;
        char *text = read_file(path, &len);
        assert_int_equal(load(text, len), REL_OK);
        for (size_t n = 0; n < len; n++)
            load(text, n);
        free(text);
    }
}

/* A schema and an in-memory database for the JSON options. */
typedef struct fixture {
    rel_schema *schema;
    rel_db *db;
    const rel_model *org;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    static const char models[] =
        "const Organization = define('Organization', { name: STRING, size: INTEGER });\n"
        "const Employee = define('Employee', { name: STRING });\n"
        "Organization.hasMany(Employee);\nEmployee.belongsTo(Organization);\n"
        "Organization.hasMany(Organization, { as: 'children', foreignKey: 'parentId' });\n";
    rel_error err;
    if (rel_schema_load_text(models, sizeof models - 1, "m.rel", &f->schema, NULL, &err) != REL_OK ||
        rel_open(&f->db, f->schema, "sqlite::memory:", &err) != REL_OK ||
        rel_sync(f->db, NULL, &err) != REL_OK)
        fail_msg("setup: %s", err.message);
    f->org = rel_schema_model(f->schema, "Organization");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_close(f->db);
    rel_schema_free(f->schema);
    free(f);
    return 0;
}

/* Runs a find with where/order text, and a create with JSON text; any status. */
static void try_find(fixture *f, const char *where, const char *order)
{
    rel_result *res = NULL;
    rel_error err;
    rel_status st = rel_find_all(f->db, f->org, &(rel_find_opts){.where = where, .order = order},
                                 &res, &err);
    if (st != REL_OK)
        assert_null(res);
    rel_result_free(res);
    int64_t n;
    rel_count(f->db, f->org, &(rel_find_opts){.where = where}, &n, &err);
    assert_true(rel_db_ok(f->db));
}

static void try_create(fixture *f, const char *json)
{
    rel_result *res = NULL;
    rel_error err;
    assert_int_equal(rel_begin(f->db, &err), REL_OK);
    rel_status st = rel_create_json(f->db, f->org, json, &res, &err);
    if (st != REL_OK)
        assert_null(res);
    rel_result_free(res);
    assert_int_equal(rel_rollback(f->db, &err), REL_OK);
}

static void every_prefix_of_json_options(void **state)
{
    fixture *f = *state;
    static const char where[] =
        "{\"size\":{\"gt\":30,\"lte\":\"60\"},\"or\":[{\"name\":\"Ann\"},{\"name\":{\"like\":"
        "\"\xc3\xa9%\"}}],\"not\":{\"size\":{\"in\":[1,2,null]}},\"name\":{\"between\":[\"a\",\"z\"]}}";
    static const char order[] = "[[\"name\",\"DESC\"],\"size\",[\"children\",\"name\",\"ASC\"]]";
    static const char create[] =
        "{\"name\":\"Acme \xe2\x82\xac\",\"size\":3,\"Employees\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
        "\"children\":[{\"name\":\"sub\",\"children\":[{\"name\":\"subsub\"}]}]}";
    for (size_t n = 0; n <= sizeof where - 1; n++) {
        char *w = strndup(where, n);
        try_find(f, w, NULL);
        free(w);
    }
    for (size_t n = 0; n <= sizeof order - 1; n++) {
        char *o = strndup(order, n);
        try_find(f, NULL, o);
        free(o);
    }
    for (size_t n = 0; n <= sizeof create - 1; n++) {
        char *c = strndup(create, n);
        try_create(f, c);
        free(c);
    }
}

/* depth levels of open, a core, depth levels of close. */
static char *nest(size_t depth, const char *open, const char *core, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close), lk = strlen(core);
    char *s = malloc(depth * (lo + lc) + lk + 1), *p = s;
    for (size_t i = 0; i < depth; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, core, lk);
    p += lk;
    for (size_t i = 0; i < depth; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

static void deep_nesting_is_refused(void **state)
{
    fixture *f = *state;
    static const size_t depths[] = {10, 100, 5000, 200000};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        size_t d = depths[i];
        char *inner = nest(d, "{a:", "1", "}");
        size_t cap = strlen(inner) + 100;
        char *model = malloc(cap);
        snprintf(model, cap, "const A = define('A', { x: %s });\n", inner);
        load(model, strlen(model));
        free(model);
        free(inner);
        char *arrays = nest(d, "[", "", "]");
        load(arrays, strlen(arrays));
        try_find(f, arrays, arrays);
        try_create(f, arrays);
        free(arrays);

        char *w = nest(d, "{\"not\":", "{\"name\":\"x\"}", "}");
        try_find(f, w, NULL);
        free(w);
        w = nest(d, "{\"or\":[", "{\"name\":\"x\"}", "]}");
        try_find(f, w, NULL);
        free(w);
        char *c = nest(d, "{\"name\":\"a\",\"children\":[", "{}", "]}");
        try_create(f, c);
        free(c);
    }
}

static void large_inputs(void **state)
{
    fixture *f = *state;
    /* 4 MB of one token, of quotes, of a comment that never ends, of a string that
       never ends. */
    size_t n = 4u << 20;
    char *big = malloc(n + 1);
    static const char fills[] = {'a', '\'', '"', '{', '(', '/', ','};
    for (size_t k = 0; k < sizeof fills; k++) {
        memset(big, fills[k], n);
        big[n] = '\0';
        load(big, n);
        try_find(f, big, big);
    }
    memcpy(big, "/*", 2);
    load(big, n);
    /* A where with 100 000 conditions, an IN list of 100 000 values. */
    size_t cap = 100000 * 32 + 64, k = 0;
    char *w = malloc(cap);
    k += (size_t)sprintf(w + k, "{\"or\":[");
    for (int i = 0; i < 100000; i++)
        k += (size_t)sprintf(w + k, "%s{\"size\":%d}", i ? "," : "", i);
    sprintf(w + k, "]}");
    try_find(f, w, NULL);
    k = (size_t)sprintf(w, "{\"size\":{\"in\":[");
    for (int i = 0; i < 100000; i++)
        k += (size_t)sprintf(w + k, "%s%d", i ? "," : "", i);
    sprintf(w + k, "]}}");
    try_find(f, w, NULL);
    free(w);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_prefix_of_the_example_model_files),
        cmocka_unit_test_setup_teardown(every_prefix_of_json_options, setup, teardown),
        cmocka_unit_test_setup_teardown(deep_nesting_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(large_inputs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
