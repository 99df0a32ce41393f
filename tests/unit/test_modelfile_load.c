/* Unit tests for model files into schemas (src/io/modelfile_load.c): every type,
 * attribute, model and association option, models used before their define,
 * the DESIGN.md example and the seeds' lines verbatim, and every kind of error
 * at its exact line:col, all of a file's errors at once.  Linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc so the n-th allocation can fail. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "relate.h"
#include "schema/schema.h"

/* ---- allocation failure injection ----------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
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

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

/* ---- helpers ---------------------------------------------------------------- */

/* Loads src (from a buffer of exactly its length, so ASan sees any overread). */
static rel_status load_n(const char *src, rel_schema **s, char **errors, rel_error *err)
{
    size_t len = strlen(src);
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, src, len);
    rel_status st = rel_schema_load_text(copy, len, "t.rel", s, errors, err);
    free(copy);
    return st;
}

static rel_schema *load_ok(const char *src)
{
    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err;
    rel_status st = load_n(src, &s, &errors, &err);
    if (st != REL_OK)
        fail_msg("expected the file to load, got %s:\n%s", rel_status_name(st),
                 errors ? errors : err.message);
    assert_non_null(s);
    assert_null(errors);
    return s;
}

/* The file fails with status want; its errors_out must equal expected exactly. */
static void expect_errors(const char *src, rel_status want, const char *expected)
{
    rel_schema *s = (rel_schema *)1;
    char *errors = NULL;
    rel_error err;
    rel_status st = load_n(src, &s, &errors, &err);
    assert_null(s);
    if (st != want || !errors || strcmp(errors, expected) != 0)
        fail_msg("status %s (want %s)\n--- got:\n%s--- want:\n%s", rel_status_name(st),
                 rel_status_name(want), errors ? errors : "(null)\n", expected);
    /* err holds the first error, with its position. */
    assert_int_equal(err.code, want);
    assert_string_equal(err.file, "t.rel");
    char first[1200];
    snprintf(first, sizeof first, "%.*s", (int)(strchr(errors, '\n') - errors), errors);
    assert_string_equal(err.message, first);
    char pos[64];
    snprintf(pos, sizeof pos, "t.rel:%d:%d: ", err.line, err.column);
    assert_true(strncmp(first, pos, strlen(pos)) == 0);
    free(errors);
}

/* One error, a load error (REL_PARSE). */
static void expect_error(const char *src, const char *expected_line)
{
    char want[2048];
    snprintf(want, sizeof want, "%s\n", expected_line);
    expect_errors(src, REL_PARSE, want);
}

static const rel_attr *attr(const rel_schema *s, const char *model, const char *name)
{
    const rel_model *m = rel_schema_model(s, model);
    assert_non_null(m);
    const rel_attr *a = rel_model_attr(m, name);
    if (!a)
        fail_msg("%s has no attribute %s", model, name);
    return a;
}

static const rel_assoc *assoc(const rel_schema *s, const char *model, const char *name)
{
    const rel_model *m = rel_schema_model(s, model);
    assert_non_null(m);
    const rel_assoc *a = rel_model_assoc(m, name);
    if (!a)
        fail_msg("%s has no association %s", model, name);
    return a;
}

/* ---- types ------------------------------------------------------------------ */

static void every_type_in_every_spelling(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        rel_type type;
    } types[] = {
        {"STRING", REL_STRING},   {"TEXT", REL_TEXT},       {"INTEGER", REL_INTEGER},
        {"BIGINT", REL_BIGINT},   {"FLOAT", REL_FLOAT},     {"DOUBLE", REL_DOUBLE},
        {"DECIMAL", REL_DECIMAL}, {"BOOLEAN", REL_BOOLEAN}, {"DATE", REL_DATE},
        {"DATEONLY", REL_DATEONLY}, {"UUID", REL_UUID},     {"BLOB", REL_BLOB},
        {"JSON", REL_JSON},
    };
    static const char *const prefixes[] = {"", "DataTypes.", "Sequelize.DataTypes.",
                                           "Sequelize."};
    for (size_t p = 0; p < 4; p++)
        for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
            char src[512];
            /* Shorthand and long form. */
            snprintf(src, sizeof src,
                     "M = define('M', { a: %s%s, b: { type: %s%s } }, { timestamps: false })",
                     prefixes[p], types[i].name, prefixes[p], types[i].name);
            rel_schema *s = load_ok(src);
            assert_int_equal(attr(s, "M", "a")->type, types[i].type);
            assert_int_equal(attr(s, "M", "b")->type, types[i].type);
            rel_schema_free(s);
        }
}

static void type_arguments(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "M = define('M', {\n"
        "  a: STRING(100),\n"
        "  b: DataTypes.STRING(20),\n"
        "  c: { type: DataTypes.DECIMAL(10, 2) },\n"
        "  d: Sequelize.DECIMAL(5),\n"
        "  e: STRING,\n"
        "  f: DECIMAL,\n"
        "  g: STRING(100,),\n"
        "})\n");
    assert_int_equal(attr(s, "M", "a")->length, 100);
    assert_int_equal(attr(s, "M", "b")->length, 20);
    assert_int_equal(attr(s, "M", "c")->type, REL_DECIMAL);
    assert_int_equal(attr(s, "M", "c")->length, 10);
    assert_int_equal(attr(s, "M", "c")->scale, 2);
    assert_int_equal(attr(s, "M", "d")->length, 5);
    assert_int_equal(attr(s, "M", "d")->scale, 0);
    assert_int_equal(attr(s, "M", "e")->length, 255); /* the default, after freeze */
    assert_int_equal(attr(s, "M", "f")->length, 0);
    assert_int_equal(attr(s, "M", "g")->length, 100);
    rel_schema_free(s);
}

/* ---- attribute options ------------------------------------------------------ */

static void attribute_options(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "const Item = define('Item', {\n"
        "  code: { type: STRING, primaryKey: true },\n"
        "  n: { type: INTEGER, allowNull: false, defaultValue: 1e3 },\n"
        "  ratio: { type: FLOAT, defaultValue: -0.5 },\n"
        "  label: { type: STRING, unique: true, allowNull: true, field: 'label_text' },\n"
        "  flag: { type: BOOLEAN, defaultValue: true },\n"
        "  off: { type: BOOLEAN, defaultValue: false },\n"
        "  note: { type: TEXT, defaultValue: \"it's\" },\n"
        "  none: { type: TEXT, defaultValue: null },\n"
        "  at: { type: DATE, defaultValue: DataTypes.NOW },\n"
        "  at2: { type: DATE, defaultValue: Sequelize.NOW },\n"
        "  uid: { type: UUID, defaultValue: DataTypes.UUIDV4 },\n"
        "  uid1: { type: UUID, defaultValue: UUIDV1 },\n"
        "  doc: { type: JSON, defaultValue: { a: [1, 'x', true, null], 'b c': {} } },\n"
        "});\n"
        "const Counter = define('Counter', {\n"
        "  num: { type: INTEGER, primaryKey: true, autoIncrement: true },\n"
        "  label: { type: STRING, unique: false, primaryKey: false, autoIncrement: false },\n"
        "});\n");
    const rel_attr *a = attr(s, "Item", "code");
    assert_true(a->primary_key);
    assert_int_equal(a->allow_null, REL_NO);
    assert_string_equal(rel_model_primary_key(rel_schema_model(s, "Item")), "code");
    assert_null(rel_model_attr(rel_schema_model(s, "Item"), "id")); /* no generated id */

    a = attr(s, "Item", "n");
    assert_int_equal(a->allow_null, REL_NO);
    assert_string_equal(a->default_value, "1000"); /* JavaScript's String(1e3) */
    assert_string_equal(attr(s, "Item", "ratio")->default_value, "-0.5");
    a = attr(s, "Item", "label");
    assert_true(a->unique);
    assert_int_equal(a->allow_null, REL_YES);
    assert_string_equal(a->field, "label_text");
    assert_string_equal(attr(s, "Item", "flag")->default_value, "true");
    assert_string_equal(attr(s, "Item", "off")->default_value, "false");
    assert_string_equal(attr(s, "Item", "note")->default_value, "it's");
    assert_null(attr(s, "Item", "none")->default_value);
    assert_string_equal(attr(s, "Item", "at")->default_value, "NOW");
    assert_string_equal(attr(s, "Item", "at2")->default_value, "NOW");
    assert_string_equal(attr(s, "Item", "uid")->default_value, "UUIDV4");
    assert_string_equal(attr(s, "Item", "uid1")->default_value, "UUIDV1");
    assert_string_equal(attr(s, "Item", "doc")->default_value,
                        "{\"a\":[1,\"x\",true,null],\"b c\":{}}");

    a = attr(s, "Counter", "num");
    assert_true(a->primary_key);
    assert_true(a->auto_increment);
    a = attr(s, "Counter", "label");
    assert_false(a->unique);
    assert_false(a->primary_key);
    rel_schema_free(s);
}

/* A name written twice counts once, with the last value, as in JavaScript. */
static void repeated_attribute_takes_the_last_value(void **state)
{
    (void)state;
    rel_schema *s = load_ok("M = define('M', { a: STRING, b: TEXT, a: INTEGER })\n");
    const rel_model *m = rel_schema_model(s, "M");
    assert_int_equal(attr(s, "M", "a")->type, REL_INTEGER);
    /* id, b, a, createdAt, updatedAt: the attribute keeps its last place. */
    assert_string_equal(rel_model_attr_at(m, 1)->name, "b");
    assert_string_equal(rel_model_attr_at(m, 2)->name, "a");
    rel_schema_free(s);
}

/* ---- model options ---------------------------------------------------------- */

static void model_options(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "const UserAccount = define('UserAccount', { firstName: STRING }, { underscored: true })\n"
        "const Person = define('Person', { name: STRING }, { freezeTableName: true, timestamps: false })\n"
        "const Thing = define('Thing', { name: STRING }, {\n"
        "  tableName: 'stuff', timestamps: true, name: { singular: 'item', plural: 'items' },\n"
        "})\n"
        "const Mouse = define('Mouse', { name: STRING })\n");
    const rel_model *ua = rel_schema_model(s, "UserAccount");
    assert_string_equal(rel_model_table(ua), "user_accounts");
    assert_string_equal(attr(s, "UserAccount", "firstName")->field, "first_name");
    assert_string_equal(attr(s, "UserAccount", "createdAt")->field, "created_at");

    const rel_model *p = rel_schema_model(s, "Person");
    assert_string_equal(rel_model_table(p), "Person");
    assert_null(rel_model_attr(p, "createdAt"));
    assert_int_equal(rel_model_attr_count(p), 2); /* id, name */

    const rel_model *t = rel_schema_model(s, "Thing");
    assert_string_equal(rel_model_table(t), "stuff");
    assert_string_equal(t->singular, "item");
    assert_string_equal(t->plural, "items");
    assert_non_null(rel_model_attr(t, "updatedAt"));

    assert_string_equal(rel_model_table(rel_schema_model(s, "Mouse")), "Mice");
    rel_schema_free(s);
}

/* ---- associations ------------------------------------------------------------- */

static void association_options(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "const User = define('User', { name: { type: STRING, unique: true }, code: { type: STRING, unique: true } });\n"
        "const Post = define('Post', { title: { type: STRING, unique: true } });\n"
        "const Tag = define('Tag', { label: { type: STRING, unique: true } });\n"
        "User.hasMany(Post, { as: 'articles', foreignKey: { name: 'authorId', allowNull: false } });\n"
        "Post.belongsTo(User, { as: 'author', foreignKey: 'authorId', onDelete: 'cascade', onUpdate: 'RESTRICT' });\n"
        "User.hasOne(Post, { as: { singular: 'pinned', plural: 'pinneds' }, foreignKey: { name: 'pinnedBy', field: 'pinned_by' }, sourceKey: 'code', constraints: false });\n"
        "Post.belongsToMany(Tag, { through: { model: 'PostTags', unique: false }, foreignKey: 'postTitle', otherKey: { name: 'tagLabel' }, sourceKey: 'title', targetKey: 'label' });\n"
        "User.belongsToMany(Tag, { as: { singular: 'fav', plural: 'favs' }, through: 'UserTags', onDelete: 'NO ACTION' });\n"
        "User.belongsTo(User, { as: 'mentor', targetKey: 'name', foreignKey: 'mentorName', onDelete: 'SET DEFAULT' });\n");

    const rel_assoc *a = assoc(s, "User", "articles");
    assert_int_equal(rel_assoc_kind_of(a), REL_HAS_MANY);
    assert_string_equal(rel_assoc_foreign_key(a), "authorId");
    assert_int_equal(attr(s, "Post", "authorId")->allow_null, REL_NO);

    a = assoc(s, "Post", "author");
    assert_int_equal(rel_assoc_kind_of(a), REL_BELONGS_TO);
    assert_string_equal(rel_assoc_foreign_key(a), "authorId");
    assert_string_equal(rel_assoc_on_delete(a), "CASCADE");
    assert_string_equal(rel_assoc_on_update(a), "RESTRICT");

    a = assoc(s, "User", "pinned");
    assert_int_equal(rel_assoc_kind_of(a), REL_HAS_ONE);
    assert_string_equal(rel_assoc_foreign_key(a), "pinnedBy");
    assert_string_equal(rel_assoc_source_key(a), "code");
    assert_string_equal(attr(s, "Post", "pinnedBy")->field, "pinned_by");
    assert_null(rel_model_attr_def(rel_schema_model(s, "Post"), "pinnedBy")->ref_model);

    a = assoc(s, "Post", "Tags");
    assert_int_equal(rel_assoc_kind_of(a), REL_BELONGS_TO_MANY);
    assert_string_equal(rel_model_name(rel_assoc_through(a)), "PostTags");
    assert_string_equal(rel_assoc_foreign_key(a), "postTitle");
    assert_string_equal(rel_assoc_other_key(a), "tagLabel");
    assert_string_equal(rel_assoc_source_key(a), "title");
    assert_string_equal(rel_assoc_target_key(a), "label");
    assert_int_equal(a->opts.through_unique, REL_NO);

    a = assoc(s, "User", "favs");
    assert_string_equal(a->singular, "fav");
    assert_string_equal(a->plural, "favs");
    assert_string_equal(rel_model_name(rel_assoc_through(a)), "UserTags");
    assert_string_equal(rel_assoc_on_delete(a), "NO ACTION");

    a = assoc(s, "User", "mentor");
    assert_string_equal(rel_assoc_target_key(a), "name");
    assert_string_equal(rel_assoc_foreign_key(a), "mentorName");
    assert_string_equal(rel_assoc_on_delete(a), "SET DEFAULT");
    rel_schema_free(s);
}

/* Models may be used above their define, by variable name, and as values. */
static void models_used_before_their_definition(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "User.belongsToMany(Project, { through: UserProject });\n"
        "Project.belongsToMany(User, { through: { model: UserProject } });\n"
        "Org.hasMany(User);\n"
        "var User = define('User', { name: STRING });\n"
        "let Project = sequelize.define('Project', { name: STRING });\n"
        "UserProject = define('UserProject', { role: STRING });\n"
        "const Org = define('Organization', { name: STRING });\n");
    const rel_assoc *a = assoc(s, "User", "Projects");
    assert_ptr_equal(rel_assoc_through(a), rel_schema_model(s, "UserProject"));
    assert_ptr_equal(rel_assoc_through(assoc(s, "Project", "Users")), rel_assoc_through(a));
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "Organization", "Users")),
                        "OrganizationId");
    /* The junction model holds its own attribute and both keys. */
    assert_non_null(rel_model_attr(rel_schema_model(s, "UserProject"), "role"));
    assert_non_null(rel_model_attr(rel_schema_model(s, "UserProject"), "UserId"));
    assert_non_null(rel_model_attr(rel_schema_model(s, "UserProject"), "ProjectId"));
    rel_schema_free(s);
}

/* A junction made from a `through` name takes the place Sequelize gives it:
 * after the models defined above the association, before those below. */
static void definitions_keep_the_file_order(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "A = define('A', {})\n"
        "B = define('B', {})\n"
        "A.belongsToMany(B, { through: 'AB' })\n"
        "C = define('C', {})\n"
        "B.belongsToMany(A, { through: 'AB' })\n");
    const char *order[] = {"A", "B", "AB", "C"};
    assert_int_equal(rel_schema_model_count(s), 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(rel_model_name(rel_schema_model_at(s, i)), order[i]);
    rel_schema_free(s);
}

/* ---- whole files -------------------------------------------------------------- */

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

static void design_example_verbatim(void **state)
{
    (void)state;
    rel_schema *s = load_ok(design_example);
    assert_int_equal(rel_schema_model_count(s), 4);
    assert_string_equal(rel_model_table(rel_schema_model(s, "Organization")), "Organizations");
    assert_string_equal(rel_model_table(rel_schema_model(s, "Employee")), "employees");
    assert_int_equal(attr(s, "Organization", "name")->allow_null, REL_NO);
    assert_true(attr(s, "Organization", "name")->unique);
    assert_int_equal(attr(s, "Employee", "hired")->type, REL_DATE);
    assert_int_equal(attr(s, "Task", "title")->length, 100);
    /* One relation: hasMany and belongsTo share OrganizationId. */
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "Organization", "Employees")),
                        "OrganizationId");
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "Employee", "Organization")),
                        "OrganizationId");
    assert_string_equal(attr(s, "Employee", "OrganizationId")->field, "organization_id");
    const rel_model *j = rel_assoc_through(assoc(s, "Employee", "Tasks"));
    assert_string_equal(rel_model_table(j), "EmployeeTasks");
    assert_ptr_equal(j, rel_assoc_through(assoc(s, "Task", "Employees")));
    assert_non_null(rel_model_attr(j, "EmployeeId"));
    assert_non_null(rel_model_attr(j, "TaskId"));
    rel_schema_free(s);
}

/* The seeds' association lines, pasted as they are. */
static void seeds_verbatim(void **state)
{
    (void)state;
    rel_schema *s = load_ok(
        "const A = define('A', { name: STRING });\n"
        "const B = define('B', { name: STRING });\n"
        "A.hasOne(B, {\n"
        "onUpdate: 'SET NULL',\n"
        "onDelete: 'CASCADE',\n"
        "foreignKey: 'otherId',\n"
        "sourceKey: '',\n"
        "targetKey: ''\n"
        "});\n"
        "B.belongsTo(A);\n");
    const rel_assoc *a = assoc(s, "A", "B");
    assert_string_equal(rel_assoc_foreign_key(a), "otherId");
    assert_string_equal(rel_assoc_source_key(a), "id");
    assert_string_equal(rel_assoc_on_delete(a), "CASCADE");
    assert_string_equal(rel_assoc_on_update(a), "SET NULL");
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "B", "A")), "otherId");
    assert_null(rel_model_attr(rel_schema_model(s, "B"), "AId"));
    rel_schema_free(s);

    s = load_ok(
        "Organization = define('Organization', { name: STRING });\n"
        "Employee = define('Employee', { name: STRING });\n"
        "Task = define('Task', { title: STRING });\n"
        "Organization.hasMany(Employee);\n"
        "Employee.belongsTo(Organization);\n"
        "Employee.belongsToMany(Task, { through: 'EmployeeTasks' });\n"
        "Task.belongsToMany(Employee, { through: 'EmployeeTasks' });\n");
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "Organization", "Employees")),
                        "OrganizationId");
    assert_string_equal(rel_model_name(rel_assoc_through(assoc(s, "Task", "Employees"))),
                        "EmployeeTasks");
    rel_schema_free(s);

    /* The seeds write the actor scenario with both singular and plural
     * variables; each is its own model here. */
    s = load_ok(
        "Actor = define('Actor', { name: { type: STRING, unique: true } });\n"
        "Role = define('Role', { title: STRING });\n"
        "Roles = define('Roles', { title: { type: STRING, unique: true } });\n"
        "Actors = define('Actors', { name: { type: STRING, unique: true },\n"
        "                            wardrobe: { type: STRING, unique: true } });\n"
        "Costumes = define('Costumes', { name: { type: STRING, unique: true } });\n"
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
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "Actor", "Role")), "actorName");
    assert_string_equal(rel_assoc_source_key(assoc(s, "Actor", "Role")), "name");
    assert_string_equal(rel_assoc_foreign_key(assoc(s, "Roles", "Costumes")), "roleTitle");
    assert_string_equal(rel_assoc_target_key(assoc(s, "Roles", "Actor")), "name");
    const rel_assoc *btm = assoc(s, "Costumes", "Actors");
    assert_string_equal(rel_assoc_foreign_key(btm), "CostumeName");
    assert_string_equal(rel_assoc_other_key(btm), "ActorWardrobe");
    assert_string_equal(rel_model_table(rel_assoc_through(btm)), "actor_costumes");
    rel_schema_free(s);
}

static void example_files_load(void **state)
{
    (void)state;
    const char *files[] = {"organization.rel", "actors.rel", "ab.rel"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/examples/%s", REL_TEST_SOURCE_DIR, files[i]);
        rel_schema *s = NULL;
        char *errors = NULL;
        rel_error err;
        rel_status st = rel_schema_load_file(path, &s, &errors, &err);
        if (st != REL_OK)
            fail_msg("%s: %s", path, errors ? errors : err.message);
        assert_true(rel_schema_model_count(s) >= 2);
        rel_schema_free(s);
    }
}

/* ---- errors --------------------------------------------------------------------- */

static void syntax_errors_pass_through(void **state)
{
    (void)state;
    expect_error("const A = define('A', { name: STRING }\n",
                 "t.rel:2:1: expected ')' after the arguments of define");
    expect_error("A = define('A', { name: STRING });\nA.hasMany(B, { as: 'x' )\n",
                 "t.rel:2:24: expected ',' or '}' after the value of 'as'");
}

static void unknown_types(void **state)
{
    (void)state;
    expect_error("A = define('A', { name: STRNG })",
                 "t.rel:1:25: unknown type 'STRNG' (relate knows STRING, TEXT, INTEGER, BIGINT, "
                 "FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, DATEONLY, UUID, BLOB, JSON)");
    /* The position of the unknown segment itself. */
    expect_error("A = define('A', {\n  name: { type: DataTypes.VARCHAR },\n})",
                 "t.rel:2:27: unknown type 'VARCHAR' (relate knows STRING, TEXT, INTEGER, BIGINT, "
                 "FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, DATEONLY, UUID, BLOB, JSON)");
    expect_error("A = define('A', { name: Sequelize.DataTypes.ENUM('a', 'b') })",
                 "t.rel:1:45: unknown type 'ENUM' (relate knows STRING, TEXT, INTEGER, BIGINT, "
                 "FLOAT, DOUBLE, DECIMAL, BOOLEAN, DATE, DATEONLY, UUID, BLOB, JSON)");
    expect_error("A = define('A', { name: Datatypes.STRING })",
                 "t.rel:1:25: unknown name 'Datatypes.STRING': types are written NAME, "
                 "DataTypes.NAME or Sequelize.NAME");
    expect_error("A = define('A', { name: 'STRING' })",
                 "t.rel:1:25: expected a type for attribute 'name' (such as STRING, or "
                 "{ type: STRING, ... }), found a string");
    expect_error("A = define('A', { name: { type: 5 } })",
                 "t.rel:1:33: expected a type such as STRING or DataTypes.INTEGER, found a number");
    expect_error("A = define('A', { name: { allowNull: false } })",
                 "t.rel:1:25: attribute 'name' has no type: write { type: STRING, ... }");
    expect_error("A = define('A', { name: STRING('x') })",
                 "t.rel:1:32: the length of STRING must be a whole number from 1 to 65535");
    expect_error("A = define('A', { name: STRING(1, 2) })",
                 "t.rel:1:25: STRING takes one argument, the length: STRING(100)");
    expect_error("A = define('A', { price: DECIMAL(10, 20) })",
                 "t.rel:1:38: the scale of DECIMAL must be a whole number from 0 to 10");
    expect_error("A = define('A', { price: DECIMAL(10.5) })",
                 "t.rel:1:34: the precision of DECIMAL must be a whole number from 1 to 1000");
    expect_error("A = define('A', { price: DECIMAL() })",
                 "t.rel:1:26: DECIMAL takes the precision and optionally the scale: "
                 "DECIMAL(10, 2)");
    expect_error("A = define('A', { n: INTEGER(11) })",
                 "t.rel:1:22: INTEGER takes no arguments: write INTEGER");
}

static void unknown_and_bad_options(void **state)
{
    (void)state;
    expect_error("A = define('A', { name: { type: STRING, validate: {} } })",
                 "t.rel:1:41: unknown attribute option 'validate' for 'name' (known: type, "
                 "allowNull, unique, defaultValue, primaryKey, autoIncrement, field)");
    expect_error("A = define('A', { name: STRING }, { paranoid: true })",
                 "t.rel:1:37: unknown model option 'paranoid' (known: tableName, "
                 "freezeTableName, timestamps, underscored, name)");
    expect_error("A = define('A', {}, { name: { singular: 'a', one: 'b' } })",
                 "t.rel:1:46: unknown option 'name.one' (known: singular, plural)");
    expect_error("A = define('A', {})\nA.hasMany(A, { as: 'kids', hooks: true })",
                 "t.rel:2:28: unknown association option 'hooks' (known: as, foreignKey, "
                 "sourceKey, targetKey, otherKey, through, onDelete, onUpdate, constraints)");
    expect_error("A = define('A', {})\nA.hasMany(A, { as: 'kids', foreignKey: { nme: 'x' } })",
                 "t.rel:2:42: unknown foreignKey option 'nme' (known: name, field, allowNull, "
                 "unique)");
    expect_error("A = define('A', {})\nA.belongsToMany(A, { as: 'f', through: { model: 'F', "
                 "paranoid: true } })",
                 "t.rel:2:54: unknown through option 'paranoid' (known: model, unique)");
    expect_error("A = define('A', {})\nA.belongsToMany(A, { as: 'f', through: { unique: false } })",
                 "t.rel:2:40: through needs a model: { model: 'Name', ... }");
    expect_error("A = define('A', {})\nA.hasMany(A, { as: { singular: 'kid' } })",
                 "t.rel:2:20: as needs both forms: { singular: 'member', plural: 'members' }");
    expect_error("A = define('A', {})\nA.hasMany(A, { as: 'kids', onDelete: 'EXPLODE' })",
                 "t.rel:2:38: onDelete must be one of 'CASCADE', 'SET NULL', 'RESTRICT', "
                 "'NO ACTION', 'SET DEFAULT'");
    /* Values of the wrong kind. */
    expect_error("A = define('A', { n: { type: INTEGER, allowNull: 'no' } })",
                 "t.rel:1:50: allowNull must be true or false, found a string");
    expect_error("A = define('A', { n: { type: INTEGER, unique: 'n_unique' } })",
                 "t.rel:1:47: named and composite unique keys are not supported: use unique: true");
    expect_error("A = define('A', { n: { type: INTEGER, field: '' } })",
                 "t.rel:1:46: field must be a non-empty string, found ''");
    expect_error("A = define('A', {}, { tableName: 5 })",
                 "t.rel:1:34: tableName must be a non-empty string, found a number");
    expect_error("A = define('A', { d: { type: DATE, defaultValue: DataTypes.LATER } })",
                 "t.rel:1:60: unknown default value 'LATER' (use a string, number, boolean, null, "
                 "DataTypes.NOW, DataTypes.UUIDV1 or DataTypes.UUIDV4)");
    expect_error("A = define('A', { d: { type: DATE, defaultValue: fn('now') } })",
                 "t.rel:1:50: calls such as fn(...) cannot be default values in a model file: "
                 "use a string, number, boolean, null or DataTypes.NOW");
    expect_error("A = define('A', { d: { type: JSON, defaultValue: { a: STRING } } })",
                 "t.rel:1:55: 'STRING' cannot be part of a default value");
    expect_error("A = define('A', {})\nA.hasMany(A, { as: 'kids', constraints: 0 })",
                 "t.rel:2:41: constraints must be true or false, found a number");
    expect_error("A = define('A', {})\nA.hasMany(A, { as: 'kids', foreignKey: 7 })",
                 "t.rel:2:40: foreignKey must be a name or { name, field, allowNull, unique }, "
                 "found a number");
    expect_error("A = define('A', {})\nA.belongsToMany(A, { as: 'f', through: '' })",
                 "t.rel:2:40: through must be a model, a table name or { model, unique }, "
                 "found ''");
}

static void unknown_models(void **state)
{
    (void)state;
    expect_error("A = define('A', {})\nA.hasMany(Bee)",
                 "t.rel:2:11: unknown model 'Bee': no Bee = define(...) in this file");
    expect_error("A = define('A', {})\n  Bee.hasMany(A)",
                 "t.rel:2:3: unknown model 'Bee': no Bee = define(...) in this file");
    expect_error("A = define('A', {})\nA.belongsToMany(A, { as: 'f', through: AB })",
                 "t.rel:2:40: unknown model 'AB': no AB = define(...) in this file");
    expect_error("A = define('A', {})\nA = define('A2', {})",
                 "t.rel:2:1: 'A' is already defined at 1:1");
    /* A model is named by its variable, not by its name string. */
    expect_error("const Org = define('Organization', {})\nOrg.hasMany(Organization)",
                 "t.rel:2:13: unknown model 'Organization': no Organization = define(...) in "
                 "this file");
}

/* Every definition error of SEMANTICS.md, reported by freeze at the line and
 * column of the association (or attribute) it is about. */
static void definition_errors_with_positions(void **state)
{
    (void)state;
    expect_errors(
        "const User = define('User', { name: { type: STRING, unique: true }, nick: STRING });\n"
        "const Post = define('Post', { title: STRING });\n"
        "User.belongsToMany(Post);\n"
        "  User.belongsToMany(User, { through: 'Friends' });\n"
        "User.hasMany(Post, { as: 'posts2', through: 'X' });\n"
        "User.hasMany(Post, { as: 'name' });\n"
        "User.hasMany(Post, { as: 'articles' });\n"
        "User.hasOne(Post, { as: 'articles' });\n"
        "User.hasMany(Post, { as: 'p1', sourceKey: 'nope' });\n"
        "User.hasMany(Post, { as: 'p2', sourceKey: 'nick' });\n"
        "Post.belongsTo(User, { as: 'u1', targetKey: 'nick' });\n"
        "User.belongsToMany(Post, { as: 'p3', through: 'UP', targetKey: 'title' });\n",
        REL_DEFINITION,
        "t.rel:3:1: User.belongsToMany(Post) needs a 'through' option naming the junction "
        "model, e.g. { through: 'UserPosts' }\n"
        "t.rel:4:3: User.belongsToMany(User, { through: 'Friends' }): 'as' must be defined for "
        "many-to-many self-associations, e.g. { as: 'friends', through: 'Friends' }\n"
        "t.rel:5:1: User.hasMany(Post, { as: 'posts2', through: 'X' }): N:M associations are "
        "not supported with hasMany; use belongsToMany with { through: 'X' } instead\n"
        "t.rel:6:1: User.hasMany(Post, { as: 'name' }): naming collision between attribute "
        "'name' and association 'name' on model User; to remedy this, change either "
        "foreignKey or as in the association definition\n"
        "t.rel:8:1: User.hasMany(Post, { as: 'articles' }) and User.hasOne(Post, { as: "
        "'articles' }) are both named 'articles' on model User; give one of them a different "
        "'as'\n"
        "t.rel:9:1: User.hasMany(Post, { as: 'p1' }): unknown attribute \"nope\" passed as "
        "sourceKey; define this attribute on model \"User\" first\n"
        "t.rel:10:1: User.hasMany(Post, { as: 'p2' }): sourceKey \"nick\" must be unique or the "
        "primary key of model \"User\"; declare it with unique: true\n"
        "t.rel:11:1: Post.belongsTo(User, { as: 'u1' }): targetKey \"nick\" must be unique or "
        "the primary key of model \"User\"; declare it with unique: true\n"
        "t.rel:12:1: User.belongsToMany(Post, { as: 'p3', through: 'UP' }): targetKey \"title\" "
        "must be unique or the primary key of model \"Post\"; declare it with unique: true\n");
}

/* Load errors and definition errors together, sorted by position; the
 * status is REL_PARSE as soon as one is not a definition error. */
static void all_errors_at_once(void **state)
{
    (void)state;
    expect_errors(
        "User.hasMany(Post, { as: 'name' });\n"
        "const User = define('User', { name: STRNG, age: { type: INTEGER, min: 0 } });\n"
        "const Post = define('Post', { title: STRING }, { paranoid: true });\n"
        "Post.belongsTo(Usr);\n"
        "User.belongsToMany(Post);\n",
        REL_PARSE,
        "t.rel:1:1: User.hasMany(Post, { as: 'name' }): naming collision between attribute "
        "'name' and association 'name' on model User; to remedy this, change either "
        "foreignKey or as in the association definition\n"
        "t.rel:2:37: unknown type 'STRNG' (relate knows STRING, TEXT, INTEGER, BIGINT, FLOAT, "
        "DOUBLE, DECIMAL, BOOLEAN, DATE, DATEONLY, UUID, BLOB, JSON)\n"
        "t.rel:2:66: unknown attribute option 'min' for 'age' (known: type, allowNull, unique, "
        "defaultValue, primaryKey, autoIncrement, field)\n"
        "t.rel:3:50: unknown model option 'paranoid' (known: tableName, freezeTableName, "
        "timestamps, underscored, name)\n"
        "t.rel:4:16: unknown model 'Usr': no Usr = define(...) in this file\n"
        "t.rel:5:1: User.belongsToMany(Post) needs a 'through' option naming the junction "
        "model, e.g. { through: 'UserPosts' }\n");

    /* With a syntax error the file is not frozen (its definitions would be
     * guesses) and a name that a broken define may have bound is not
     * reported as unknown; the other errors still are. */
    expect_errors(
        "const User = define('User', { name: STRING });\n"
        "const Post = define('Post', { title: STRING ;\n"
        "Post.belongsTo(User, { as: 'name', foo: 1 });\n"
        "User.belongsToMany(Post);\n"
        "Tag.hasMany(Post);\n",
        REL_PARSE,
        "t.rel:2:45: expected ',' or '}' after the value of 'title'\n"
        "t.rel:3:36: unknown association option 'foo' (known: as, foreignKey, sourceKey, "
        "targetKey, otherKey, through, onDelete, onUpdate, constraints)\n");
}

static void empty_file_is_an_empty_schema(void **state)
{
    (void)state;
    rel_schema *s = load_ok("// nothing yet\n");
    assert_int_equal(rel_schema_model_count(s), 0);
    rel_schema_free(s);
    s = NULL;
    rel_error err;
    assert_int_equal(rel_schema_load_text(NULL, 0, NULL, &s, NULL, &err), REL_OK);
    assert_non_null(s);
    rel_schema_free(s);
}

static void errors_without_errors_out(void **state)
{
    (void)state;
    rel_schema *s = NULL;
    rel_error err;
    const char *src = "A = define('A', { a: NOPE })";
    assert_int_equal(rel_schema_load_text(src, strlen(src), NULL, &s, NULL, &err), REL_PARSE);
    assert_null(s);
    assert_string_equal(err.file, "<input>");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 22);
    assert_true(strncmp(err.message, "<input>:1:22: unknown type 'NOPE'", 33) == 0);
    /* NULL for err too. */
    assert_int_equal(rel_schema_load_text(src, strlen(src), "x", &s, NULL, NULL), REL_PARSE);
    assert_int_equal(rel_schema_load_text(src, 1, "x", NULL, NULL, NULL), REL_MISUSE);
}

static void load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/relate-load-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *src = "A = define('A', {})\nA.hasMany(Z)\n";
    assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
    close(fd);

    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err;
    assert_int_equal(rel_schema_load_file(path, &s, &errors, &err), REL_PARSE);
    char want[256];
    snprintf(want, sizeof want, "%s:2:11: unknown model 'Z': no Z = define(...) in this file\n",
             path);
    assert_string_equal(errors, want);
    assert_string_equal(err.file, path);
    free(errors);
    unlink(path);

    assert_int_equal(rel_schema_load_file(path, &s, &errors, &err), REL_ERROR);
    assert_null(s);
    assert_null(errors);
    snprintf(want, sizeof want, "cannot read the model file %s: No such file or directory",
             path);
    assert_string_equal(err.message, want);
}

/* Every allocation failing in turn: NOMEM (or success where a failure can be
 * survived), never a crash or a leak (ASan checks). */
static void out_of_memory_everywhere(void **state)
{
    (void)state;
    size_t len = strlen(design_example);
    for (long n = 0;; n++) {
        rel_schema *s = NULL;
        char *errors = NULL;
        rel_error err;
        fail_countdown = n;
        rel_status st = rel_schema_load_text(design_example, len, "t.rel", &s, &errors, &err);
        bool exhausted = fail_countdown >= 0;
        fail_countdown = -1;
        if (st == REL_OK) {
            /* Some failures are survived (a buffer that could not shrink). */
            assert_non_null(s);
            rel_schema_free(s);
            if (exhausted)
                break;
            continue;
        }
        assert_int_equal(st, REL_NOMEM);
        assert_null(s);
        free(errors);
        assert_true(n < 100000);
    }
    /* And a file with errors, so the error paths run out of memory too. */
    const char *bad = "A = define('A', { a: NOPE })\nA.hasMany(B)\nA.belongsToMany(A)\n";
    for (long n = 0;; n++) {
        rel_schema *s = NULL;
        char *errors = NULL;
        rel_error err;
        fail_countdown = n;
        rel_status st = rel_schema_load_text(bad, strlen(bad), "t.rel", &s, &errors, &err);
        bool exhausted = fail_countdown >= 0;
        fail_countdown = -1;
        assert_null(s);
        free(errors);
        if (st == REL_PARSE && exhausted)
            break;
        /* REL_PARSE before exhaustion: a survived failure. */
        assert_true(st == REL_NOMEM || st == REL_PARSE);
        assert_true(n < 100000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_in_every_spelling),
        cmocka_unit_test(type_arguments),
        cmocka_unit_test(attribute_options),
        cmocka_unit_test(repeated_attribute_takes_the_last_value),
        cmocka_unit_test(model_options),
        cmocka_unit_test(association_options),
        cmocka_unit_test(models_used_before_their_definition),
        cmocka_unit_test(definitions_keep_the_file_order),
        cmocka_unit_test(design_example_verbatim),
        cmocka_unit_test(seeds_verbatim),
        cmocka_unit_test(example_files_load),
        cmocka_unit_test(syntax_errors_pass_through),
        cmocka_unit_test(unknown_types),
        cmocka_unit_test(unknown_and_bad_options),
        cmocka_unit_test(unknown_models),
        cmocka_unit_test(definition_errors_with_positions),
        cmocka_unit_test(all_errors_at_once),
        cmocka_unit_test(empty_file_is_an_empty_schema),
        cmocka_unit_test(errors_without_errors_out),
        cmocka_unit_test(load_file),
        cmocka_unit_test(out_of_memory_everywhere),
    };
    return cmocka_run_group_tests_name("modelfile_load", tests, NULL, NULL);
}
