/* Unit tests for the model-file lexer and parser (src/io/modelfile_*.c).  Linked
 * with -Wl,--wrap=malloc,--wrap=realloc so the n-th allocation can be made to fail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/modelfile.h"

/* ---- allocation failure injection ----------------------------------------- */

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
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

/* ---- helpers ---------------------------------------------------------------- */

/* Parses a copy of src in a buffer of exactly its length (no NUL after it), so
 * ASan catches any read past the end. */
static rel_modelfile *parse_n(const char *src, size_t len)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, src, len);
    rel_modelfile *mf = rel_modelfile_parse(copy, len, "test.rel");
    free(copy);
    assert_non_null(mf);
    return mf;
}

static rel_modelfile *parse(const char *src)
{
    return parse_n(src, strlen(src));
}

static void dump_diags(const rel_modelfile *mf)
{
    for (size_t i = 0; i < mf->ndiags; i++)
        print_message("  %s:%d:%d: %s\n", mf->filename, mf->diags[i].line, mf->diags[i].col,
                      mf->diags[i].message);
}

static void expect_clean(const rel_modelfile *mf, size_t nstmts)
{
    if (mf->ndiags != 0 || mf->nstmts != nstmts) {
        dump_diags(mf);
        fail_msg("expected %zu statements and no errors, got %zu and %zu errors", nstmts,
                 mf->nstmts, mf->ndiags);
    }
}

/* Diagnostic i is at line:col and its message contains text. */
static void expect_diag(const rel_modelfile *mf, size_t i, int line, int col, const char *text)
{
    if (i >= mf->ndiags || mf->diags[i].line != line || mf->diags[i].col != col ||
        !strstr(mf->diags[i].message, text)) {
        dump_diags(mf);
        fail_msg("expected diagnostic %zu at %d:%d containing \"%s\"", i, line, col, text);
    }
}

/* The file has exactly one error, at line:col, whose message contains text. */
static void expect_only_error(const char *src, int line, int col, const char *text)
{
    rel_modelfile *mf = parse(src);
    if (mf->ndiags != 1) {
        dump_diags(mf);
        fail_msg("expected exactly one error in <<%s>>, got %zu", src, mf->ndiags);
    }
    expect_diag(mf, 0, line, col, text);
    rel_modelfile_free(mf);
}

/* The value of the only attribute of the only define in "X = define('X', { a: SRC })". */
static const rel_js *attr_value(rel_modelfile **mfp, const char *value_src)
{
    char src[512];
    snprintf(src, sizeof src, "X = define('X', { a: %s })", value_src);
    *mfp = parse(src);
    expect_clean(*mfp, 1);
    const rel_js *v = rel_js_get((*mfp)->stmts[0].attrs, "a");
    assert_non_null(v);
    assert_int_equal(v->line, 1);
    assert_int_equal(v->col, 22);
    return v;
}

static void expect_string_value(const char *value_src, const char *expected)
{
    rel_modelfile *mf;
    const rel_js *v = attr_value(&mf, value_src);
    assert_int_equal(v->kind, REL_JS_STRING);
    assert_string_equal(v->str, expected);
    rel_modelfile_free(mf);
}

static void expect_number_value(const char *value_src, double expected)
{
    rel_modelfile *mf;
    const rel_js *v = attr_value(&mf, value_src);
    assert_int_equal(v->kind, REL_JS_NUMBER);
    assert_string_equal(v->num_text, value_src);
    assert_true(v->num == expected);
    rel_modelfile_free(mf);
}

/* ---- whole files ------------------------------------------------------------- */

static const char design_example[] =
    "// org.rel\n"
    "const Organization = sequelize.define('Organization', {\n"
    "  name: { type: DataTypes.STRING, allowNull: false, unique: true },\n"
    "});\n"
    "Employee = define('Employee', { name: STRING, hired: DATE }, { underscored: true });\n"
    "Task = define('Task', { title: STRING(100) });\n"
    "\n"
    "Organization.hasMany(Employee);\n"
    "Employee.belongsTo(Organization);\n"
    "Employee.belongsToMany(Task, { through: 'EmployeeTasks' });\n"
    "Task.belongsToMany(Employee, { through: 'EmployeeTasks' });\n";

static void check_assoc(const rel_mf_stmt *s, int line, const char *source, const char *method,
                        const char *target)
{
    assert_int_equal(s->kind, REL_MF_ASSOC);
    assert_int_equal(s->line, line);
    assert_int_equal(s->col, 1);
    assert_string_equal(s->source, source);
    assert_int_equal(s->source_line, line);
    assert_int_equal(s->source_col, 1);
    assert_string_equal(s->method, method);
    assert_int_equal(s->method_line, line);
    assert_int_equal(s->method_col, (int)strlen(source) + 2);
    assert_string_equal(s->target, target);
    assert_int_equal(s->target_line, line);
    assert_int_equal(s->target_col, (int)(strlen(source) + strlen(method)) + 3);
}

static void test_design_example(void **state)
{
    (void)state;
    rel_modelfile *mf = parse(design_example);
    expect_clean(mf, 7);
    assert_string_equal(mf->filename, "test.rel");

    const rel_mf_stmt *s = &mf->stmts[0];
    assert_int_equal(s->kind, REL_MF_DEFINE);
    assert_int_equal(s->line, 2);
    assert_int_equal(s->col, 1);
    assert_string_equal(s->var, "Organization");
    assert_int_equal(s->var_line, 2);
    assert_int_equal(s->var_col, 7);
    assert_string_equal(s->model, "Organization");
    assert_int_equal(s->model_line, 2);
    assert_int_equal(s->model_col, 39);
    assert_null(s->options);
    assert_int_equal(s->attrs->kind, REL_JS_OBJECT);
    assert_int_equal(s->attrs->line, 2);
    assert_int_equal(s->attrs->col, 55);
    assert_int_equal(s->attrs->n, 1);
    assert_string_equal(s->attrs->keys[0], "name");
    assert_int_equal(s->attrs->key_lines[0], 3);
    assert_int_equal(s->attrs->key_cols[0], 3);
    const rel_js *name = rel_js_get(s->attrs, "name");
    assert_int_equal(name->kind, REL_JS_OBJECT);
    assert_int_equal(name->n, 3);
    const rel_js *type = rel_js_get(name, "type");
    assert_int_equal(type->kind, REL_JS_IDENT);
    assert_string_equal(type->str, "DataTypes.STRING");
    assert_int_equal(type->line, 3);
    assert_int_equal(type->col, 17);
    assert_int_equal(rel_js_get(name, "allowNull")->kind, REL_JS_BOOL);
    assert_false(rel_js_get(name, "allowNull")->b);
    assert_true(rel_js_get(name, "unique")->b);
    assert_int_equal(name->key_cols[2], 53);

    s = &mf->stmts[1];
    assert_int_equal(s->kind, REL_MF_DEFINE);
    assert_int_equal(s->line, 5);
    assert_int_equal(s->col, 1);
    assert_string_equal(s->var, "Employee");
    assert_int_equal(s->var_col, 1);
    assert_string_equal(s->model, "Employee");
    assert_int_equal(s->model_col, 19);
    assert_int_equal(s->attrs->n, 2);
    assert_string_equal(rel_js_get(s->attrs, "name")->str, "STRING");
    assert_string_equal(rel_js_get(s->attrs, "hired")->str, "DATE");
    assert_non_null(s->options);
    assert_int_equal(s->options->col, 62);
    assert_true(rel_js_get(s->options, "underscored")->b);

    s = &mf->stmts[2];
    assert_string_equal(s->var, "Task");
    assert_string_equal(s->model, "Task");
    const rel_js *title = rel_js_get(s->attrs, "title");
    assert_int_equal(title->kind, REL_JS_CALL);
    assert_string_equal(title->str, "STRING");
    assert_int_equal(title->n, 1);
    assert_int_equal(title->items[0]->kind, REL_JS_NUMBER);
    assert_true(title->items[0]->num == 100);
    assert_string_equal(title->items[0]->num_text, "100");
    assert_int_equal(title->items[0]->col, 39);

    check_assoc(&mf->stmts[3], 8, "Organization", "hasMany", "Employee");
    assert_null(mf->stmts[3].assoc_options);
    check_assoc(&mf->stmts[4], 9, "Employee", "belongsTo", "Organization");
    check_assoc(&mf->stmts[5], 10, "Employee", "belongsToMany", "Task");
    const rel_js *through = rel_js_get(mf->stmts[5].assoc_options, "through");
    assert_int_equal(through->kind, REL_JS_STRING);
    assert_string_equal(through->str, "EmployeeTasks");
    assert_int_equal(through->col, 41);
    check_assoc(&mf->stmts[6], 11, "Task", "belongsToMany", "Employee");
    rel_modelfile_free(mf);
}

/* The association lines of the seed texts (shared/seeds), as written there. */
static void test_seed_associations(void **state)
{
    (void)state;
    rel_modelfile *mf = parse(
        "A.hasOne(B, { /* options */ });\n"
        "A.belongsTo(B, { /* options */ });\n"
        "A.hasMany(B, { /* options */ });\n"
        "A.belongsToMany(B, { through: 'C', /* options */ });\n");
    expect_clean(mf, 4);
    check_assoc(&mf->stmts[0], 1, "A", "hasOne", "B");
    assert_int_equal(mf->stmts[0].assoc_options->n, 0);
    check_assoc(&mf->stmts[1], 2, "A", "belongsTo", "B");
    check_assoc(&mf->stmts[2], 3, "A", "hasMany", "B");
    check_assoc(&mf->stmts[3], 4, "A", "belongsToMany", "B");
    assert_string_equal(rel_js_get(mf->stmts[3].assoc_options, "through")->str, "C");
    rel_modelfile_free(mf);

    mf = parse("A.hasOne(B, {\n"
               "onUpdate: 'SET NULL',\n"
               "onDelete: 'CASCADE',\n"
               "foreignKey: 'otherId',\n"
               "sourceKey: '',\n"
               "targetKey: ''\n"
               "});\n"
               "B.belongsTo(A);\n"
               "Organization.hasMany(Employee);\n"
               "Employee.belongsTo(Organization);\n"
               "Employee.belongsToMany(Task, { through: 'EmployeeTasks' });\n"
               "Task.belongsToMany(Employee, { through: 'EmployeeTasks' });\n"
               "Actor.hasOne(Role, {\n"
               "sourceKey: 'name',\n"
               "foreignKey: 'actorName'\n"
               "});\n"
               "Roles.hasMany(Costumes, {\n"
               "sourceKey: 'title',\n"
               "foreignKey: 'roleTitle'\n"
               "});\n"
               "Roles.belongsTo(Actors, {\n"
               "targetKey: 'name',\n"
               "foreignKey: 'actorName'\n"
               "});\n"
               "Costumes.belongsToMany(Actors, {\n"
               "through: 'actor_costumes',\n"
               "sourceKey: 'name',\n"
               "targetKey: 'wardrobe'\n"
               "});\n");
    expect_clean(mf, 10);
    const rel_js *o = mf->stmts[0].assoc_options;
    assert_int_equal(o->n, 5);
    assert_string_equal(rel_js_get(o, "onUpdate")->str, "SET NULL");
    assert_int_equal(rel_js_get(o, "onUpdate")->line, 2);
    assert_int_equal(rel_js_get(o, "onUpdate")->col, 11);
    assert_string_equal(rel_js_get(o, "sourceKey")->str, "");
    assert_int_equal(o->key_lines[4], 6);
    check_assoc(&mf->stmts[1], 8, "B", "belongsTo", "A");
    check_assoc(&mf->stmts[7], 17, "Roles", "hasMany", "Costumes");
    check_assoc(&mf->stmts[9], 25, "Costumes", "belongsToMany", "Actors");
    assert_string_equal(rel_js_get(mf->stmts[9].assoc_options, "targetKey")->str, "wardrobe");
    rel_modelfile_free(mf);
}

static void test_statement_forms(void **state)
{
    (void)state;
    rel_modelfile *mf = parse(
        "'use strict';\n"
        "let A = define('A', {})\n"
        "var B = sequelize.define('B', {}, {},)\n"
        "C = sequelize . define ( 'C' , { } , ) ;;\n"
        "D=define(\"D\",{}); A.hasMany(B,); B.belongsTo(A, {},)\n"
        "A\n"
        "  .hasOne(\n"
        "    C\n"
        "  )\n"
        "A.hasMany(D, { as: 'Ds' })");
    expect_clean(mf, 8);
    assert_string_equal(mf->stmts[0].var, "A");
    assert_int_equal(mf->stmts[0].var_col, 5);
    assert_string_equal(mf->stmts[1].model, "B");
    assert_non_null(mf->stmts[1].options);
    assert_null(mf->stmts[2].options);
    assert_int_equal(mf->stmts[2].model_col, 26);
    assert_string_equal(mf->stmts[3].model, "D");
    assert_string_equal(mf->stmts[4].method, "hasMany");
    assert_int_equal(mf->stmts[4].line, 5);
    assert_int_equal(mf->stmts[4].col, 19);
    assert_int_equal(mf->stmts[4].target_col, 29);
    assert_int_equal(mf->stmts[5].col, 34);
    assert_string_equal(mf->stmts[6].method, "hasOne");
    assert_int_equal(mf->stmts[6].method_line, 7);
    assert_int_equal(mf->stmts[6].method_col, 4);
    assert_int_equal(mf->stmts[6].target_line, 8);
    assert_int_equal(mf->stmts[6].target_col, 5);
    assert_string_equal(rel_js_get(mf->stmts[7].assoc_options, "as")->str, "Ds");
    rel_modelfile_free(mf);
}

/* ---- values ------------------------------------------------------------------ */

static void test_strings(void **state)
{
    (void)state;
    expect_string_value("'plain'", "plain");
    expect_string_value("\"double\"", "double");
    expect_string_value("''", "");
    expect_string_value("'it\\'s'", "it's");
    expect_string_value("\"say \\\"hi\\\"\"", "say \"hi\"");
    expect_string_value("'\"'", "\"");
    expect_string_value("\"'\"", "'");
    expect_string_value("'a\\nb\\tc\\rd\\be\\ff\\vg'", "a\nb\tc\rd\be\ff\vg");
    expect_string_value("'back\\\\slash'", "back\\slash");
    expect_string_value("'\\u0041\\u00e9\\u65E5'", "A\xC3\xA9\xE6\x97\xA5");
    expect_string_value("'\\u{41}\\u{1F600}\\u{10FFFF}'", "A\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
    expect_string_value("'\\uD83D\\uDE00'", "\xF0\x9F\x98\x80");
    expect_string_value("'\\x41\\xe9'", "A\xC3\xA9");
    expect_string_value("'\\q\\%\\$'", "q%$");     /* identity escapes, as in JavaScript */
    expect_string_value("'caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80'",
                        "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80");
    expect_string_value("'a\\\nb'", "ab");           /* line continuation */
    expect_string_value("'a\\\r\nb'", "ab");
    expect_string_value("'/* not a comment */ // nor this'", "/* not a comment */ // nor this");
}

static void test_numbers(void **state)
{
    (void)state;
    expect_number_value("0", 0);
    expect_number_value("42", 42);
    expect_number_value("-7", -7);
    expect_number_value("3.25", 3.25);
    expect_number_value(".5", 0.5);
    expect_number_value("5.", 5);
    expect_number_value("1e3", 1000);
    expect_number_value("-2.5E-3", -0.0025);
    expect_number_value("1E+2", 100);
    expect_number_value("0.1", 0.1);
    expect_number_value("9007199254740993", 9007199254740992.0);

    rel_modelfile *mf;
    const rel_js *v = attr_value(&mf, "1e400");
    assert_true(isinf(v->num) && v->num > 0);
    rel_modelfile_free(mf);

    /* "- 1" is still minus one in JavaScript. */
    v = attr_value(&mf, "- 1");
    assert_true(v->num == -1);
    assert_string_equal(v->num_text, "-1");
    rel_modelfile_free(mf);
}

static void test_names_and_calls(void **state)
{
    (void)state;
    rel_modelfile *mf;
    const rel_js *v = attr_value(&mf, "true");
    assert_int_equal(v->kind, REL_JS_BOOL);
    assert_true(v->b);
    rel_modelfile_free(mf);
    v = attr_value(&mf, "false");
    assert_int_equal(v->kind, REL_JS_BOOL);
    assert_false(v->b);
    rel_modelfile_free(mf);
    v = attr_value(&mf, "null");
    assert_int_equal(v->kind, REL_JS_NULL);
    assert_null(v->str);
    rel_modelfile_free(mf);

    v = attr_value(&mf, "UserProject");
    assert_int_equal(v->kind, REL_JS_IDENT);
    assert_string_equal(v->str, "UserProject");
    rel_modelfile_free(mf);
    v = attr_value(&mf, "Sequelize.DataTypes.INTEGER");
    assert_string_equal(v->str, "Sequelize.DataTypes.INTEGER");
    rel_modelfile_free(mf);
    v = attr_value(&mf, "DataTypes\n  .STRING /* c */ . BINARY");
    assert_string_equal(v->str, "DataTypes.STRING.BINARY");
    rel_modelfile_free(mf);
    v = attr_value(&mf, "x.default");  /* keywords are fine as member names */
    assert_string_equal(v->str, "x.default");
    rel_modelfile_free(mf);
    v = attr_value(&mf, "undefined");
    assert_int_equal(v->kind, REL_JS_IDENT);
    rel_modelfile_free(mf);

    v = attr_value(&mf, "DataTypes.DECIMAL(10, 2)");
    assert_int_equal(v->kind, REL_JS_CALL);
    assert_string_equal(v->str, "DataTypes.DECIMAL");
    assert_int_equal(v->n, 2);
    assert_true(v->items[0]->num == 10);
    assert_true(v->items[1]->num == 2);
    assert_int_equal(v->items[1]->col, 44);
    rel_modelfile_free(mf);
    v = attr_value(&mf, "NOW()");
    assert_int_equal(v->kind, REL_JS_CALL);
    assert_int_equal(v->n, 0);
    rel_modelfile_free(mf);
    v = attr_value(&mf, "DataTypes.ENUM('a', \"b\",)");
    assert_int_equal(v->n, 2);
    assert_string_equal(v->items[1]->str, "b");
    rel_modelfile_free(mf);
    v = attr_value(&mf, "ARRAY(DataTypes.STRING(20))");
    assert_int_equal(v->n, 1);
    assert_int_equal(v->items[0]->kind, REL_JS_CALL);
    assert_string_equal(v->items[0]->str, "DataTypes.STRING");
    assert_true(v->items[0]->items[0]->num == 20);
    rel_modelfile_free(mf);
}

static void test_objects_and_arrays(void **state)
{
    (void)state;
    rel_modelfile *mf;
    const rel_js *v = attr_value(&mf, "{ 'quoted key': 1, \"d\": 2, plain: 3, 7: 4, 1.50: 5, "
                        "1e21: 6, 0.000001: 7, 1e-7: 8, 100: 9, default: 10, new: 11, "
                        "123456789012345678901234: 12, 1.5e300: 13, }");
    assert_int_equal(v->kind, REL_JS_OBJECT);
    assert_int_equal(v->n, 13);
    static const char *const keys[] = {"quoted key", "d", "plain", "7", "1.5", "1e+21",
                                       "0.000001", "1e-7", "100", "default", "new",
                                       "1.2345678901234569e+23", "1.5e+300"};
    for (size_t i = 0; i < 13; i++) {
        assert_string_equal(v->keys[i], keys[i]);
        assert_true(v->items[i]->num == (double)(i + 1));
    }
    assert_int_equal(v->key_cols[0], 24);
    assert_int_equal(v->key_cols[1], 41);
    rel_modelfile_free(mf);

    v = attr_value(&mf, "[1, 'two', [3, [4]], { five: 5 }, null, ]");
    assert_int_equal(v->kind, REL_JS_ARRAY);
    assert_int_equal(v->n, 5);
    assert_int_equal(v->items[2]->kind, REL_JS_ARRAY);
    assert_true(v->items[2]->items[1]->items[0]->num == 4);
    assert_int_equal(v->items[3]->kind, REL_JS_OBJECT);
    assert_int_equal(v->items[4]->kind, REL_JS_NULL);
    assert_int_equal(v->items[1]->col, 26);
    rel_modelfile_free(mf);

    v = attr_value(&mf, "[]");
    assert_int_equal(v->kind, REL_JS_ARRAY);
    assert_int_equal(v->n, 0);
    rel_modelfile_free(mf);
    v = attr_value(&mf, "{}");
    assert_int_equal(v->kind, REL_JS_OBJECT);
    assert_int_equal(v->n, 0);
    assert_null(rel_js_get(v, "x"));
    rel_modelfile_free(mf);

    /* A key written twice: the last one wins, as in JavaScript. */
    v = attr_value(&mf, "{ k: 1, k: 2 }");
    assert_int_equal(v->n, 2);
    assert_true(rel_js_get(v, "k")->num == 2);
    assert_null(rel_js_get(v, "K"));
    assert_null(rel_js_get(v->items[0], "k"));  /* not an object */
    assert_null(rel_js_get(NULL, "k"));
    rel_modelfile_free(mf);

    /* Nesting up to the limit is fine. */
    char deep[512] = "";
    for (int i = 0; i < 60; i++)
        strcat(deep, "[");
    for (int i = 0; i < 60; i++)
        strcat(deep, "]");
    v = attr_value(&mf, deep);
    assert_int_equal(v->kind, REL_JS_ARRAY);
    rel_modelfile_free(mf);
}

static void test_comments_and_layout(void **state)
{
    (void)state;
    rel_modelfile *mf = parse(
        "/* header\n"
        "   comment */ // and a line comment\n"
        "const /* a */ User /* b */ = /* c */ define( // d\n"
        "  'User', {\n"
        "    // a comment line inside\n"
        "    name: STRING, /* trailing */\n"
        "    tags: [\n"
        "      'a', // after an item\n"
        "      'b',\n"
        "    ],\n"
        "  },\n"
        ")\n"
        "User /* x */ . /* y */ hasMany(User) // self\n"
        "\tUser.hasOne(User)\n"
        "/**/User.belongsTo(User)/* no line break but a comment */\n"
        "// last line without a newline");
    expect_clean(mf, 4);
    assert_int_equal(mf->stmts[0].line, 3);
    assert_int_equal(mf->stmts[0].var_col, 15);
    assert_int_equal(mf->stmts[0].model_line, 4);
    assert_int_equal(mf->stmts[0].model_col, 3);
    const rel_js *tags = rel_js_get(mf->stmts[0].attrs, "tags");
    assert_int_equal(tags->n, 2);
    assert_int_equal(tags->items[1]->line, 9);
    assert_int_equal(tags->items[1]->col, 7);
    assert_int_equal(mf->stmts[1].line, 13);
    assert_int_equal(mf->stmts[1].method_col, 24);
    /* A tab is one column. */
    assert_int_equal(mf->stmts[2].col, 2);
    assert_int_equal(mf->stmts[2].method_col, 7);
    assert_int_equal(mf->stmts[3].line, 15);
    assert_int_equal(mf->stmts[3].col, 5);
    rel_modelfile_free(mf);

    /* A block comment spanning lines ends a statement like a line break. */
    mf = parse("A.hasMany(B) /*\n*/ B.belongsTo(A)");
    expect_clean(mf, 2);
    rel_modelfile_free(mf);
}

static void test_crlf(void **state)
{
    (void)state;
    const char *src = "const A = define('A', {\r\n"
                      "  name: STRING,\r\n"
                      "})\r\n"
                      "\r\n"
                      "A.hasMany(B)\r"         /* a lone CR is a line break too */
                      "B.belongsTo(A)\r\n"
                      "X = define('X', {}) @\r\n";
    rel_modelfile *mf = parse(src);
    assert_int_equal(mf->nstmts, 4);
    assert_int_equal(rel_js_get(mf->stmts[0].attrs, "name")->line, 2);
    assert_int_equal(rel_js_get(mf->stmts[0].attrs, "name")->col, 9);
    assert_int_equal(mf->stmts[1].line, 5);
    assert_int_equal(mf->stmts[2].line, 6);
    assert_int_equal(mf->stmts[2].target_col, 13);
    assert_int_equal(mf->ndiags, 1);
    expect_diag(mf, 0, 7, 21, "unexpected character '@'");
    rel_modelfile_free(mf);
}

static void test_utf8_columns(void **state)
{
    (void)state;
    /* Columns count characters: é is 2 bytes, 日 3, 😀 4, each one column. */
    rel_modelfile *mf = parse("X = define('Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80', {}) ?\n"
                              "\xEF\xBB\xBF" "A.hasMany(B)\xC2\xA0;\n");
    assert_int_equal(mf->nstmts, 2);
    assert_string_equal(mf->stmts[0].model, "Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80");
    assert_int_equal(mf->stmts[0].attrs->col, 23);
    expect_diag(mf, 0, 1, 27, "unexpected character '?'");
    /* A BOM or no-break space inside the file is whitespace (one column). */
    assert_int_equal(mf->stmts[1].col, 2);
    assert_int_equal(mf->ndiags, 1);
    rel_modelfile_free(mf);

    /* A BOM at the very start is not a column. */
    mf = parse("\xEF\xBB\xBF" "A.hasMany(B)");
    expect_clean(mf, 1);
    assert_int_equal(mf->stmts[0].col, 1);
    rel_modelfile_free(mf);
}

/* ---- errors ------------------------------------------------------------------ */

static void test_error_strings(void **state)
{
    (void)state;
    expect_only_error("X = define('X', {\n  a: 'open,\n})", 2, 6, "unterminated string");
    expect_only_error("X = define('X', {\n  a: \"open,\n})", 2, 6, "closing \" is missing");
    expect_only_error("X = define('X', { a: 'open", 1, 22, "unterminated string");
    expect_only_error("X = define('X', { a: 'x\\0y' })", 1, 24, "\\0 is not allowed");
    expect_only_error("X = define('X', { a: 'x\\u0000' })", 1, 24, "\\u0000 is not allowed");
    expect_only_error("X = define('X', { a: 'x\\x00' })", 1, 24, "\\x00 is not allowed");
    expect_only_error("X = define('X', { a: 'x\\07' })", 1, 24, "octal escapes");
    expect_only_error("X = define('X', { a: 'x\\8' })", 1, 24, "octal escapes");
    expect_only_error("X = define('X', { a: '\\x4' })", 1, 23, "\\x needs exactly two hex");
    expect_only_error("X = define('X', { a: '\\u12' })", 1, 23, "\\u needs exactly four");
    expect_only_error("X = define('X', { a: '\\u{}' })", 1, 23, "\\u{...} needs");
    expect_only_error("X = define('X', { a: '\\u{110000}' })", 1, 23, "\\u{...} needs");
    expect_only_error("X = define('X', { a: '\\u{41' })", 1, 23, "\\u{...} needs");
    expect_only_error("X = define('X', { a: 'ok \\uD800 ' })", 1, 26, "lone UTF-16 surrogate");
    expect_only_error("X = define('X', { a: '\\uDC00\\uD800' })", 1, 23, "surrogate");
    expect_only_error("X = define('X', { a: '\\uD83D\\u0041' })", 1, 23, "surrogate");
    expect_only_error("X = define('X', { a: '\xC3\xA9\xFF' })", 1, 24, "invalid UTF-8");
    expect_only_error("X = define('X', { a: '\xED\xA0\x80' })", 1, 23, "invalid UTF-8");
    expect_only_error("X = define('X', { a: `tmpl` })", 1, 22, "template strings");
    expect_only_error("X = define('X', { a: `multi\nline ${x}` })\nA.hasMany(X)", 1, 22,
                      "template strings");

    /* A raw NUL inside a string. */
    static const char nul[] = "X = define('X', { a: 'x\0y' })";
    rel_modelfile *mf = parse_n(nul, sizeof nul - 1);
    assert_int_equal(mf->ndiags, 1);
    expect_diag(mf, 0, 1, 24, "NUL character");
    rel_modelfile_free(mf);
}

static void test_error_numbers_and_characters(void **state)
{
    (void)state;
    expect_only_error("X = define('X', { a: 0x1F })", 1, 22, "hexadecimal");
    expect_only_error("X = define('X', { a: 0b1 })", 1, 22, "hexadecimal, octal and binary");
    expect_only_error("X = define('X', { a: 017 })", 1, 22, "legacy octal");
    expect_only_error("X = define('X', { a: 1e })", 1, 22, "digits after the exponent");
    expect_only_error("X = define('X', { a: 1e+ })", 1, 22, "digits after the exponent");
    expect_only_error("X = define('X', { a: 5px })", 1, 22, "invalid number");
    expect_only_error("X = define('X', { a: 1_000 })", 1, 22, "invalid number");
    expect_only_error("X = define('X', { a: -x })", 1, 23, "expected a number after '-'");
    expect_only_error("X = define('X', { a: @ })", 1, 22, "unexpected character '@'");
    expect_only_error("X = define('X', { a: #!% })", 1, 22, "unexpected character '#'");
    expect_only_error("X = define('X', { a: 1 + 2 })", 1, 24, "unexpected character '+'");
    expect_only_error("X = define('X', { a: caf\xC3\xA9 })", 1, 25,
                      "unexpected character '\xC3\xA9' (U+00E9)");
    expect_only_error("X = define('X', { a: \xFF })", 1, 22, "invalid UTF-8 byte 0xFF");
    expect_only_error("X = define('X', { a: 1 }) \xE2\x80\xA8", 1, 27, "U+2028");
    expect_only_error("X = define('X', {})// c \xE2\x80\xA9 A", 1, 25, "U+2029");
    expect_only_error("X = define('X', { a: \\u0041 })", 1, 22, "unexpected '\\'");
    expect_only_error("X = define('X', { a: a == b })", 1, 24, "'=='");
    expect_only_error("X = define('X', { a: 1 / 2 })", 1, 24, "regular expressions");
    expect_only_error("X = define('X', {}) /* open\ncomment", 1, 21, "unterminated comment");

    static const char ctl[] = "X = define('X', { a: \x01 })";
    expect_only_error(ctl, 1, 22, "unexpected character U+0001");
    static const char nul[] = "X = define('X', {})\0";
    rel_modelfile *mf = parse_n(nul, sizeof nul - 1);
    assert_int_equal(mf->nstmts, 1);
    assert_int_equal(mf->ndiags, 1);
    expect_diag(mf, 0, 1, 20, "unexpected character U+0000");
    rel_modelfile_free(mf);
}

static void test_error_statements(void **state)
{
    (void)state;
    const char *unknown = "unknown statement: expected a define(...) or an association "
                          "call like A.hasMany(B)";
    expect_only_error("foo\n", 1, 1, unknown);
    expect_only_error("  foo bar", 1, 3, unknown);
    expect_only_error("42", 1, 1, unknown);
    expect_only_error("'hello';", 1, 1, unknown);
    expect_only_error("{ a: 1 }", 1, 1, unknown);
    expect_only_error("A.hasMany(B)\n'use strict'", 2, 1, "'use strict' belongs at the top");
    expect_only_error("if (x) A.hasMany(B)", 1, 1, "'if' is not supported");
    expect_only_error("A.hasmany(B)", 1, 3,
                      "unknown association method 'hasmany': expected hasOne, belongsTo, "
                      "hasMany or belongsToMany");
    expect_only_error("A.sync()", 1, 3, "unknown association method 'sync'");
    expect_only_error("A.hasMany = 1", 1, 3, "assigning to a property is not supported");
    expect_only_error("A.(B)", 1, 3, "expected an association method after 'A.'");
    expect_only_error("A.hasMany B", 1, 11, "expected '(' after hasMany");
    expect_only_error("A.hasMany('B')", 1, 11, "not a string");
    expect_only_error("A.hasMany()", 1, 11, "expected the target model after 'hasMany('");
    expect_only_error("A.hasMany(new)", 1, 11, "expected the target model");
    expect_only_error("A.hasMany(models.B)", 1, 17, "must be a plain name");
    expect_only_error("A.hasMany(B, 'x')", 1, 14, "expected the options object");
    expect_only_error("A.hasMany(B, {}, {})", 1, 18, "expected ')' after the arguments of hasMany");
    expect_only_error("A.hasMany(B C)", 1, 13, "expected ')' after the arguments of hasMany");
    expect_only_error("A.hasMany(B) B.belongsTo(A)", 1, 14,
                      "expected ';' or a line break after the statement");
    expect_only_error("A.hasMany(B).foo()", 1, 13, "chained calls are not supported");
    expect_only_error("A.belongsTo(B, { as: 'b' }", 1, 27,
                      "expected ')' after the arguments of belongsTo");

    expect_only_error("X = define('X', {}, {}, {})", 1, 25,
                      "expected ')' after the arguments of define");
    expect_only_error("X = define('X', {} {})", 1, 20, "expected ')' after the arguments of define");
    expect_only_error("X = define('X', {}", 1, 19, "expected ')' after the arguments of define");
    expect_only_error("X = define('X', {}, 3)", 1, 21, "expected the options object");
    expect_only_error("X = define(X, {})", 1, 12, "expected the model name as a string");
    expect_only_error("X = define('X')", 1, 15, "expected ',' and the attributes object");
    expect_only_error("X = define('X', attrs)", 1, 17, "expected the attributes object");
    expect_only_error("X = define['X']", 1, 11, "expected '(' after define");
    expect_only_error("X = db.define('X', {})", 1, 5,
                      "expected define(...) or sequelize.define(...) after '='");
    expect_only_error("X = 5", 1, 5, "expected define(...) or sequelize.define(...)");
    expect_only_error("const X define('X', {})", 1, 9, "expected '=' after 'X'");
    expect_only_error("const = define('X', {})", 1, 7, "expected a variable name after 'const'");
    expect_only_error("let class = define('X', {})", 1, 5, "'class' is a reserved word");
    expect_only_error("sequelize.define('X', {})", 1, 11, "must be assigned to a variable");
    /* JavaScript's redeclaration rules: Node would reject these files. */
    expect_only_error("const A = define('A', {})\nconst A = define('B', {})", 2, 7,
                      "'A' is already declared (line 1)");
    expect_only_error("let A = define('A', {})\nvar A = define('A', {})", 2, 5,
                      "'A' is already declared (line 1)");
    expect_only_error("var A = define('A', {})\nlet A = define('A', {})", 2, 5,
                      "'A' is already declared (line 1)");
    expect_only_error("const A = define('A', {})\nA = define('A', {})", 2, 1,
                      "'A' is a constant (line 1) and cannot be assigned again");
    expect_only_error("eval = define('A', {})", 1, 1, "'eval' cannot name a variable");
    expect_only_error("const arguments = define('A', {})", 1, 7, "'arguments' cannot name");
    rel_modelfile *mf = parse("var A = define('A', {})\nvar A = define('A', {})\n"
                              "A = define('A', {})\nlet B = define('B', {})\nB = define('B', {})");
    expect_clean(mf, 5);
    rel_modelfile_free(mf);
    expect_only_error("define('X', {})", 1, 1, "must be assigned to a variable");
}

static void test_error_unsupported_features(void **state)
{
    (void)state;
    const char *prelude = "the prelude (sequelize, DataTypes) is supplied by whoever runs it "
                          "in Node";
    expect_only_error("const { DataTypes } = require('sequelize');", 1, 7, prelude);
    expect_only_error("const { DataTypes } = require('sequelize');", 1, 7,
                      "destructuring and require(...) are not supported");
    expect_only_error("const Sequelize = require('sequelize')", 1, 19, "require(...)");
    expect_only_error("require('sequelize')", 1, 1, "require(...) is not supported");
    expect_only_error("module.exports = { A }", 1, 1, "module.exports is not supported");
    expect_only_error("exports.A = A", 1, 1, "module.exports is not supported");
    expect_only_error("import { DataTypes } from 'sequelize'", 1, 1, "import and export");
    expect_only_error("export const A = 1", 1, 1, "import and export");
    expect_only_error("function f() {}", 1, 1, "functions are not supported");
    expect_only_error("class User extends Model {}", 1, 1, "classes are not supported");
    expect_only_error("const s = new Sequelize('sqlite::memory:')", 1, 11, "'new' is not supported");
    expect_only_error("X = define('X', { a: new Date() })", 1, 22, "'new' is not supported");
    expect_only_error("X = define('X', { a: function () {} })", 1, 22, "functions are not");
    expect_only_error("X = define('X', { get: () => 1 })", 1, 24, "arrow functions");
    expect_only_error("X = define('X', { get: (a, b) => 1 })", 1, 24, "arrow functions");
    expect_only_error("X = define('X', { get: v => v })", 1, 24, "arrow functions");
    expect_only_error("X = define('X', { get: async () => 1 })", 1, 33, "arrow functions");
    expect_only_error("X = define('X', { a: (1) })", 1, 22, "parentheses are not supported");
    expect_only_error("X = define('X', { ...base })", 1, 19, "spread syntax");
    expect_only_error("X = define('X', { a: [...xs] })", 1, 23, "spread syntax");
    expect_only_error("X = define('X', { a: f(...xs) })", 1, 24, "spread syntax");
    expect_only_error("X = define('X', { a: this })", 1, 22, "unexpected keyword 'this'");
    expect_only_error("X = define('X', { [k]: 1 })", 1, 19, "computed property names");
    expect_only_error("X = define('X', { get() {} })", 1, 22, "methods are not supported");
    expect_only_error("X = define('X', { name })", 1, 24, "shorthand properties");
    expect_only_error("X = define('X', { name STRING })", 1, 24,
                      "expected ':' after the property name 'name'");
    expect_only_error("X = define('X', { a: 1 b: 2 })", 1, 24,
                      "expected ',' or '}' after the value of 'a'");
    expect_only_error("X = define('X', { a: 1,, })", 1, 24, "expected a property name or '}'");
    expect_only_error("X = define('X', { a: })", 1, 22, "expected a value for 'a'");
    expect_only_error("X = define('X', { a: [1,,2] })", 1, 25, "expected a value in the array");
    expect_only_error("X = define('X', { a: [1 2] })", 1, 25, "expected ',' or ']' in the array");
    expect_only_error("X = define('X', { a: F(1 2) })", 1, 26,
                      "expected ',' or ')' in the arguments of F");
    expect_only_error("X = define('X', { a: STRING(1).BINARY })", 1, 31, "chained calls");
    expect_only_error("X = define('X', { a: F()() })", 1, 25, "chained calls");
    expect_only_error("X = define('X', { a: DataTypes. })", 1, 33,
                      "expected a property name after '.'");
    expect_only_error("X = define('X', {\n  a: 1,\n", 3, 1,
                      "expected a property name or '}' (the '{' at 1:17 is not closed)");
    expect_only_error("X = define('X', {\n  a: [1,\n", 3, 1, "the '[' at 2:6 is not closed");
    expect_only_error("X = define('X', { a: 1", 1, 23, "the '{' at 1:17 is not closed");

    char deep[512] = "X = define('X', { a: ";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    strcat(deep, " })");
    expect_only_error(deep, 1, 22 + 63, "nested too deeply");
}

static void test_multiple_errors(void **state)
{
    (void)state;
    rel_modelfile *mf = parse(
        "'use strict'\n"                                     /* 1 fine */
        "const A = define('A', {\n"                          /* 2 */
        "  name: STRING,\n"                                  /* 3 */
        "  bad: @,\n"                                        /* 4 error 4:8 */
        "  age: INTEGER,\n"                                  /* 5 skipped, no error */
        "})\n"                                               /* 6 */
        "B = define('B', { title: 'x' })\n"                  /* 7 fine */
        "A.hasmany(B)\n"                                     /* 8 error 8:3 */
        "A.hasMany(B); B.belongsTo(A) C.hasOne(D)\n"         /* 9 fine, fine, error 9:30 */
        "C = define('C', {\n"                                /* 10 */
        "  x: 'unterminated,\n"                              /* 11 error 11:6 */
        "  y: 1,\n"                                          /* 12 skipped */
        "}\n"                                                /* 13 */
        "B.hasOne(C)\n"                                      /* 14 fine (resumes here) */
        "D = define('D', {}) E = define('E', {})\n"          /* 15 fine, error 15:21 */
        "const { X } = require('x'); F.hasMany(G)\n"         /* 16 error 16:7, fine */
        "G = define('G', { a: `t` }); H.hasOne(G)\n");       /* 17 error 17:22, fine */
    size_t n = mf->ndiags;
    if (n != 7)
        dump_diags(mf);
    assert_int_equal(n, 7);
    expect_diag(mf, 0, 4, 8, "unexpected character '@'");
    expect_diag(mf, 1, 8, 3, "unknown association method 'hasmany'");
    expect_diag(mf, 2, 9, 30, "expected ';' or a line break");
    expect_diag(mf, 3, 11, 6, "unterminated string");
    expect_diag(mf, 4, 15, 21, "expected ';' or a line break");
    expect_diag(mf, 5, 16, 7, "destructuring and require(...)");
    expect_diag(mf, 6, 17, 22, "template strings");

    assert_int_equal(mf->nstmts, 7);
    assert_string_equal(mf->stmts[0].var, "B");
    check_assoc(&mf->stmts[1], 9, "A", "hasMany", "B");
    assert_string_equal(mf->stmts[2].method, "belongsTo");
    assert_int_equal(mf->stmts[3].line, 14);
    assert_string_equal(mf->stmts[3].method, "hasOne");
    assert_string_equal(mf->stmts[4].var, "D");
    assert_string_equal(mf->stmts[5].source, "F");
    assert_int_equal(mf->stmts[5].col, 29);
    assert_string_equal(mf->stmts[6].source, "H");
    rel_modelfile_free(mf);

    /* A statement broken by a missing ')' resumes at the next line's statement. */
    mf = parse("X = define('X', {}\n"
               "Y = define('Y', {})\n"
               "X.hasMany(Y\n"
               "Y.belongsTo(X)\n");
    assert_int_equal(mf->ndiags, 2);
    expect_diag(mf, 0, 2, 1, "expected ')' after the arguments of define");
    expect_diag(mf, 1, 4, 1, "expected ')' after the arguments of hasMany");
    assert_int_equal(mf->nstmts, 2);
    assert_string_equal(mf->stmts[0].var, "Y");
    assert_string_equal(mf->stmts[1].method, "belongsTo");
    rel_modelfile_free(mf);

    /* Inside an unclosed object only a line that clearly starts a statement counts. */
    mf = parse("X = define('X', {\n"
               "  a: 1 2,\n"
               "  b: STRING(10),\n"
               "  c: D.hasMany(E),\n"     /* looks like a statement but is inside { } */
               "X.hasOne(Y)\n");
    assert_int_equal(mf->ndiags, 1);
    expect_diag(mf, 0, 2, 8, "expected ',' or '}' after the value of 'a'");
    assert_int_equal(mf->nstmts, 1);
    assert_int_equal(mf->stmts[0].line, 5);
    rel_modelfile_free(mf);

    /* A lexical error skipped over during recovery is still reported, in order. */
    mf = parse("X = define('X', { a: 1 2, b: 'open\n"
               "})\n");
    assert_int_equal(mf->ndiags, 2);
    expect_diag(mf, 0, 1, 24, "expected ',' or '}'");
    expect_diag(mf, 1, 1, 30, "unterminated string");
    rel_modelfile_free(mf);

    /* A bad escape does not end the statement: what follows is still checked. */
    mf = parse("X = define('X', { a: '\\0', b: @ })\n");
    assert_int_equal(mf->ndiags, 2);
    expect_diag(mf, 0, 1, 23, "\\0 is not allowed");
    expect_diag(mf, 1, 1, 31, "unexpected character '@'");
    rel_modelfile_free(mf);
}

static void test_error_limit(void **state)
{
    (void)state;
    char *src = malloc(200 * 8 + 1);
    assert_non_null(src);
    src[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(src, "@\nfoo;\n");
    rel_modelfile *mf = parse(src);
    assert_int_equal(mf->ndiags, REL_MF_MAX_DIAGS);
    expect_diag(mf, 0, 1, 1, "unexpected character '@'");
    expect_diag(mf, 1, 2, 1, "unknown statement");
    expect_diag(mf, 49, 50, 1, "unknown statement");
    rel_modelfile_free(mf);
    free(src);
}

/* ---- robustness ---------------------------------------------------------------- */

static void test_empty_and_trivial(void **state)
{
    (void)state;
    static const char *const sources[] = {
        "", " ", "\n\n\n", "\r\n", "\t \f\v", "// only a comment", "/* only */",
        "/* multi\nline */\n// and\n", ";", ";;\n;", "'use strict'", "\"use strict\";\n",
        "\xEF\xBB\xBF", "\xEF\xBB\xBF// bom\n"};
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        rel_modelfile *mf = parse(sources[i]);
        expect_clean(mf, 0);
        rel_modelfile_free(mf);
    }
    rel_modelfile *mf = rel_modelfile_parse(NULL, 0, NULL);
    assert_non_null(mf);
    assert_null(mf->filename);
    expect_clean(mf, 0);
    rel_modelfile_free(mf);
    rel_modelfile_free(NULL);

    /* len bounds the text even with a NUL-terminated string that goes on. */
    mf = rel_modelfile_parse("A.hasMany(B) garbage @@@", 12, "x");
    expect_clean(mf, 1);
    rel_modelfile_free(mf);
}

static const char sample[] =
    "'use strict';\n"
    "/* a sample with every construct */\n"
    "const Org = sequelize.define('Org', {\r\n"
    "  name: { type: DataTypes.STRING(100), allowNull: false, unique: true },\n"
    "  size: { type: DataTypes.DECIMAL(10, 2), defaultValue: -1.5e3 },\n"
    "  kind: { type: DataTypes.ENUM('a', \"b\\n\\u00e9\\u{1F600}\"), values: ['x', 'y',] },\n"
    "  'quoted': { type: Sequelize.DataTypes.INTEGER, 7: null }, // trailing\n"
    "}, { underscored: true, tableName: 'orgs' });\n"
    "let Emp = define('Emp', { name: STRING }) \n"
    "Org.hasMany(Emp, { as: 'Staff', foreignKey: { name: 'orgId', allowNull: false } });\n"
    "Emp.belongsTo(Org)\n"
    "Emp.belongsToMany(Emp, { through: UserProject, otherKey: 'x' }) // done\n"
    "bad @ `tmpl` 0x1 '\\0' \xC3\xA9\n";

static void test_truncated_prefixes(void **state)
{
    (void)state;
    size_t len = sizeof sample - 1;
    rel_modelfile *full = parse_n(sample, len);
    assert_int_equal(full->nstmts, 5);
    assert_true(full->ndiags >= 1);
    rel_modelfile_free(full);
    for (size_t n = 0; n <= len; n++) {
        rel_modelfile *mf = parse_n(sample, n);
        assert_true(mf->nstmts <= 5);
        for (size_t i = 0; i < mf->ndiags; i++) {
            assert_true(mf->diags[i].line >= 1 && mf->diags[i].col >= 1);
            assert_true(mf->diags[i].message[0] != '\0');
        }
        rel_modelfile_free(mf);
    }
    /* Every suffix too: parsing may start anywhere, even inside a UTF-8 sequence. */
    for (size_t n = 0; n <= len; n++) {
        rel_modelfile *mf = parse_n(sample + n, len - n);
        rel_modelfile_free(mf);
    }
}

/* Random byte edits of the sample: nothing may crash, leak or read out of bounds. */
static void test_mutations(void **state)
{
    (void)state;
    size_t len = sizeof sample - 1;
    char *buf = malloc(len);
    assert_non_null(buf);
    uint32_t seed = 12345;
    static const char interesting[] = "'\"`\\/*(){}[],;:.=-\n\r@\xC3\xE2\x80\xFF\0";
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, sample, len);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            buf[at] = interesting[(seed >> 8) % (sizeof interesting - 1)];
        }
        rel_modelfile *mf = parse_n(buf, len);
        assert_true(mf->ndiags <= REL_MF_MAX_DIAGS);
        rel_modelfile_free(mf);
    }
    free(buf);
}

/* Failing each allocation in turn gives NULL or a whole result, never a leak. */
static void test_out_of_memory(void **state)
{
    (void)state;
    size_t len = sizeof sample - 1;
    bool succeeded = false;
    for (long n = 0; n < 100000 && !succeeded; n++) {
        fail_countdown = n;
        rel_modelfile *mf = rel_modelfile_parse(sample, len, "oom.rel");
        bool failed_alloc = fail_countdown < 0;
        fail_countdown = -1;
        if (mf) {
            assert_false(failed_alloc);  /* a failure must never be swallowed */
            succeeded = true;
            assert_int_equal(mf->nstmts, 5);
            rel_modelfile_free(mf);
        } else {
            assert_true(failed_alloc);
        }
    }
    assert_true(succeeded);
}

/* A program in a locale with a decimal comma still reads 1.5 as one and a half. */
static void test_locale_independent(void **state)
{
    (void)state;
    static const char *const comma_locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                                "ru_RU.UTF-8"};
    for (size_t i = 0; i < sizeof comma_locales / sizeof comma_locales[0]; i++)
        if (setlocale(LC_NUMERIC, comma_locales[i]))
            break;  /* without one installed this runs in "C" and still must pass */
    rel_modelfile *mf;
    const rel_js *v = attr_value(&mf, "{ 1.5: 2.25, 0.5e-7: 1 }");
    assert_string_equal(v->keys[0], "1.5");
    assert_string_equal(v->keys[1], "5e-8");
    assert_true(v->items[0]->num == 2.25);
    rel_modelfile_free(mf);
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_example),
        cmocka_unit_test(test_seed_associations),
        cmocka_unit_test(test_statement_forms),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_names_and_calls),
        cmocka_unit_test(test_objects_and_arrays),
        cmocka_unit_test(test_comments_and_layout),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_utf8_columns),
        cmocka_unit_test(test_error_strings),
        cmocka_unit_test(test_error_numbers_and_characters),
        cmocka_unit_test(test_error_statements),
        cmocka_unit_test(test_error_unsupported_features),
        cmocka_unit_test(test_multiple_errors),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_empty_and_trivial),
        cmocka_unit_test(test_truncated_prefixes),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_locale_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
