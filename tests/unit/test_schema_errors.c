/* Definition errors: each is reported by rel_schema_freeze with a message
 * that names the models and association and says what to fix; all of them
 * at once; with the definition's file:line:col when it came from a file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "relate.h"
#include "schema/schema.h"

static rel_schema *S;

static int setup(void **state)
{
    (void)state;
    S = rel_schema_new();
    return S ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rel_schema_free(S);
    S = NULL;
    return 0;
}

static rel_model *define0(const char *name)
{
    return rel_define(S, name, (rel_attr[]){{0}}, NULL);
}

/* Freezes, expecting exactly these messages in order. */
static void expect_errors(const char *const *messages)
{
    size_t n = 0;
    while (messages[n])
        n++;
    rel_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(rel_schema_freeze(S, &err), REL_DEFINITION);
    assert_int_equal(err.code, REL_DEFINITION);
    assert_true(S->failed);
    for (size_t i = 0; i < rel_schema_error_count(S); i++)
        if (i >= n || strcmp(rel_schema_error_at(S, i)->message, messages[i]) != 0)
            fail_msg("error %zu:\n  got      %s\n  expected %s", i,
                     rel_schema_error_at(S, i)->message, i < n ? messages[i] : "(none)");
    assert_int_equal(rel_schema_error_count(S), n);
    assert_string_equal(err.message, messages[0]);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rel_schema_error_at(S, i)->code, REL_DEFINITION);
}

static void expect_error(const char *message)
{
    expect_errors((const char *[]){message, NULL});
}

/* ---------------------------------------------------------- associations */

static void belongs_to_many_needs_through(void **state)
{
    (void)state;
    rel_model *emp = define0("Employee");
    rel_model *task = define0("Task");
    rel_belongs_to_many(emp, task, NULL);
    rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "", .as = "jobs"});
    expect_errors((const char *[]){
        "Employee.belongsToMany(Task) needs a 'through' option naming the junction model, e.g. "
        "{ through: 'EmployeeTasks' }",
        "Employee.belongsToMany(Task) needs a 'through' option naming the junction model, e.g. "
        "{ through: 'EmployeeTasks' }",
        NULL});
}

static void self_many_to_many_needs_as(void **state)
{
    (void)state;
    rel_model *u = define0("User");
    rel_belongs_to_many(u, u, &(rel_assoc_opts){.through = "Friendships"});
    expect_error("User.belongsToMany(User, { through: 'Friendships' }): 'as' must be defined for "
                 "many-to-many self-associations, e.g. { as: 'friends', through: 'Friendships' }");
}

static void has_many_with_through(void **state)
{
    (void)state;
    rel_model *u = define0("User");
    rel_model *p = define0("Project");
    rel_has_many(u, p, &(rel_assoc_opts){.through = "UserProjects"});
    expect_error("User.hasMany(Project, { through: 'UserProjects' }): N:M associations are not "
                 "supported with hasMany; use belongsToMany with { through: 'UserProjects' } "
                 "instead");
}

static void target_not_a_model(void **state)
{
    (void)state;
    rel_model *u = define0("User");
    rel_schema *other = rel_schema_new();
    rel_model *foreign = rel_define(other, "Post", (rel_attr[]){{0}}, NULL);
    rel_has_many(u, NULL, NULL);
    rel_belongs_to(u, foreign, NULL);
    expect_errors((const char *[]){
        "User.hasMany was called with something that is not a model of this schema (the target "
        "is NULL); pass a model made by rel_define on the same schema",
        "User.belongsTo was called with something that is not a model of this schema (a model "
        "of another schema); pass a model made by rel_define on the same schema",
        NULL});
    rel_schema_free(other);
}

static void alias_equal_to_attribute(void **state)
{
    (void)state;
    rel_model *u = rel_define(S, "User",
                              (rel_attr[]){{.name = "posts", .type = REL_STRING}, {0}}, NULL);
    rel_model *p = define0("Post");
    rel_model *o = define0("Organization");
    rel_has_many(u, p, &(rel_assoc_opts){.as = "posts"});
    /* A foreign key named like the association collides too. */
    rel_belongs_to(p, o, &(rel_assoc_opts){.foreign_key = {.name = "Organization"}});
    expect_errors((const char *[]){
        "User.hasMany(Post, { as: 'posts' }): naming collision between attribute 'posts' and "
        "association 'posts' on model User; to remedy this, change either foreignKey or as in "
        "the association definition",
        "Post.belongsTo(Organization, { foreignKey: 'Organization' }): naming collision between "
        "attribute 'Organization' and association 'Organization' on model Post; to remedy "
        "this, change either foreignKey or as in the association definition",
        NULL});
}

static void one_name_for_two_associations(void **state)
{
    (void)state;
    rel_model *u = define0("User");
    rel_model *p = define0("Post");
    rel_has_many(u, p, &(rel_assoc_opts){.as = "articles"});
    rel_has_many(u, p, &(rel_assoc_opts){.as = "articles", .foreign_key = {.name = "writerId"}});
    /* Default names too: Sequelize would silently keep only the last. */
    rel_has_many(u, p, NULL);
    rel_has_many(u, p, &(rel_assoc_opts){.foreign_key = {.name = "editorId"}});
    expect_errors((const char *[]){
        "User.hasMany(Post, { as: 'articles' }) and User.hasMany(Post, { as: 'articles', "
        "foreignKey: 'writerId' }) are both named 'articles' on model User; give one of them a "
        "different 'as'",
        "User.hasMany(Post) and User.hasMany(Post, { foreignKey: 'editorId' }) are both named "
        "'Posts' on model User; give one of them a different 'as'",
        NULL});
}

static void unknown_or_non_unique_keys(void **state)
{
    (void)state;
    rel_model *actor = rel_define(S, "Actor",
                                  (rel_attr[]){{.name = "name", .type = REL_STRING},
                                               {.name = "code", .type = REL_STRING,
                                                .unique = true},
                                               {0}},
                                  NULL);
    rel_model *role = define0("Role");
    rel_has_one(actor, role, &(rel_assoc_opts){.source_key = "nope"});
    rel_has_many(actor, role, &(rel_assoc_opts){.source_key = "name"});
    rel_belongs_to(role, actor, &(rel_assoc_opts){.target_key = "nope"});
    rel_belongs_to_many(role, actor, &(rel_assoc_opts){.through = "RoleActors",
                                                      .source_key = "missing",
                                                      .target_key = "name"});
    rel_belongs_to_many(actor, role, &(rel_assoc_opts){.as = "parts", .through = "ActorParts",
                                                      .source_key = "code"});
    expect_errors((const char *[]){
        "Actor.hasOne(Role): unknown attribute \"nope\" passed as sourceKey; define this "
        "attribute on model \"Actor\" first",
        "Actor.hasMany(Role): sourceKey \"name\" must be unique or the primary key of model "
        "\"Actor\"; declare it with unique: true",
        "Role.belongsTo(Actor): unknown attribute \"nope\" passed as targetKey; define this "
        "attribute on model \"Actor\" first",
        "Role.belongsToMany(Actor, { through: 'RoleActors' }): unknown attribute \"missing\" "
        "passed as sourceKey; define this attribute on model \"Role\" first",
        "Role.belongsToMany(Actor, { through: 'RoleActors' }): targetKey \"name\" must be "
        "unique or the primary key of model \"Actor\"; declare it with unique: true",
        NULL});
}

static void foreign_key_defined_twice(void **state)
{
    (void)state;
    rel_model *org = define0("Organization");
    rel_model *company = rel_define(S, "Company",
                                    (rel_attr[]){{.name = "id", .type = REL_UUID,
                                                  .primary_key = true},
                                                 {0}},
                                    NULL);
    rel_model *emp = define0("Employee");
    rel_has_many(org, emp, NULL);
    rel_has_many(company, emp, &(rel_assoc_opts){.foreign_key = {.name = "OrganizationId"}});
    rel_has_many(org, emp, &(rel_assoc_opts){.as = "staff",
                                             .foreign_key = {.name = "staffOf",
                                                             .allow_null = REL_NO}});
    rel_has_many(org, emp, &(rel_assoc_opts){.as = "crew",
                                             .foreign_key = {.name = "staffOf",
                                                             .allow_null = REL_YES}});
    expect_errors((const char *[]){
        "Employee.OrganizationId is defined twice with different types: INTEGER by "
        "Organization.hasMany(Employee) and UUID by Company.hasMany(Employee, { foreignKey: "
        "'OrganizationId' }); give one of the associations a different foreignKey",
        "Employee.staffOf is defined twice with different nullability: allowNull false by "
        "Organization.hasMany(Employee, { as: 'staff', foreignKey: 'staffOf' }) and allowNull "
        "true by Organization.hasMany(Employee, { as: 'crew', foreignKey: 'staffOf' }); make "
        "them agree",
        NULL});
}

static void unknown_rules(void **state)
{
    (void)state;
    rel_model *org = define0("Organization");
    rel_model *emp = define0("Employee");
    rel_model *task = define0("Task");
    rel_has_many(org, emp, &(rel_assoc_opts){.on_delete = "DESTROY"});
    rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "EmployeeTasks",
                                                    .on_update = "set_null"});
    expect_errors((const char *[]){
        "Organization.hasMany(Employee): unknown onDelete value 'DESTROY'; use CASCADE, SET "
        "NULL, RESTRICT, NO ACTION or SET DEFAULT",
        "Employee.belongsToMany(Task, { through: 'EmployeeTasks' }): unknown onUpdate value "
        "'set_null'; use CASCADE, SET NULL, RESTRICT, NO ACTION or SET DEFAULT",
        NULL});
}

/* ---------------------------------------------------------------- pairs */

static void inverse_pair_contradictions(void **state)
{
    (void)state;
    rel_model *a = define0("A");
    rel_model *b = define0("B");
    rel_has_one(a, b, &(rel_assoc_opts){.foreign_key = {.name = "otherId"},
                                        .on_delete = "CASCADE"});
    rel_belongs_to(b, a, &(rel_assoc_opts){.foreign_key = {.name = "aRef"},
                                           .on_delete = "restrict"});
    rel_model *c = rel_define(S, "C",
                              (rel_attr[]){{.name = "code", .type = REL_STRING, .unique = true},
                                           {0}},
                              NULL);
    rel_model *d = define0("D");
    rel_belongs_to(d, c, &(rel_assoc_opts){.target_key = "code",
                                           .foreign_key = {.allow_null = REL_NO}});
    rel_has_many(c, d, &(rel_assoc_opts){.source_key = "id",
                                         .foreign_key = {.allow_null = REL_YES}});
    expect_errors((const char *[]){
        "A.hasOne(B, { foreignKey: 'otherId' }) and B.belongsTo(A, { foreignKey: 'aRef' }) are "
        "one relation but disagree on foreignKey ('otherId' and 'aRef'); give the same value on "
        "both sides, or on one side only",
        "A.hasOne(B, { foreignKey: 'otherId' }) and B.belongsTo(A, { foreignKey: 'aRef' }) are "
        "one relation but disagree on onDelete ('CASCADE' and 'RESTRICT'); give the same value "
        "on both sides, or on one side only",
        "D.belongsTo(C) and C.hasMany(D) are one relation but disagree on the key (sourceKey / "
        "targetKey) ('code' and 'id'); give the same value on both sides, or on one side only",
        "D.belongsTo(C) and C.hasMany(D) are one relation but disagree on the foreignKey's "
        "allowNull ('false' and 'true'); give the same value on both sides, or on one side only",
        NULL});
}

static void junction_key_problems(void **state)
{
    (void)state;
    rel_model *u = define0("User");
    rel_model *p = define0("Project");
    rel_model *t = define0("Tag");
    /* Followers both ways with default keys: both would be UserId. */
    rel_belongs_to_many(u, u, &(rel_assoc_opts){.as = "followers", .through = "Follows"});
    rel_belongs_to_many(u, u, &(rel_assoc_opts){.as = "following", .through = "Follows"});
    /* The halves of one relation naming its columns differently. */
    rel_belongs_to_many(p, t, &(rel_assoc_opts){.through = "ProjectTags",
                                                .foreign_key = {.name = "projectRef"}});
    rel_belongs_to_many(t, p, &(rel_assoc_opts){.through = "ProjectTags",
                                                .other_key = {.name = "projId"}});
    /* A through naming one of the joined models; a junction reused. */
    rel_belongs_to_many(u, p, &(rel_assoc_opts){.through = "Project"});
    rel_belongs_to_many(u, t, &(rel_assoc_opts){.through = "ProjectTags"});
    expect_errors((const char *[]){
        "User.belongsToMany(User, { as: 'following', through: 'Follows' }): foreignKey and "
        "otherKey are both 'UserId' on the junction 'Follows'; give them different names with "
        "the foreignKey and otherKey options",
        "Project.belongsToMany(Tag, { foreignKey: 'projectRef', through: 'ProjectTags' }) and "
        "Tag.belongsToMany(Project, { through: 'ProjectTags' }) are one relation but disagree "
        "on foreignKey / otherKey ('projectRef' and 'projId'); give the same value on both "
        "sides, or on one side only",
        "User.belongsToMany(Project, { through: 'Project' }): through names 'Project', one of "
        "the two models it joins; name a junction model of its own, e.g. { through: "
        "'UserProjects' }",
        "User.belongsToMany(Tag, { through: 'ProjectTags' }) cannot use 'ProjectTags' as its "
        "junction: it already joins Project.belongsToMany(Tag, { foreignKey: 'projectRef', "
        "through: 'ProjectTags' }) by its keys; give it another through, or give "
        "'ProjectTags' a primary key of its own",
        NULL});
}

/* ---------------------------------------------------------------- models */

static void model_definition_errors(void **state)
{
    (void)state;
    define0("User");
    rel_define(S, "User", (rel_attr[]){{0}}, NULL);
    rel_define(S, NULL, (rel_attr[]){{0}}, NULL);
    rel_define(S, "Post",
               (rel_attr[]){{.name = "title"},
                            {.name = "body", .type = REL_TEXT},
                            {.name = "body", .type = REL_STRING},
                            {.name = "", .type = REL_STRING},
                            {.name = "id", .type = REL_INTEGER},
                            {0}},
               NULL);
    rel_define(S, "Counter",
               (rel_attr[]){{.name = "a", .type = REL_INTEGER, .auto_increment = true},
                            {.name = "b", .type = REL_INTEGER, .auto_increment = true},
                            {0}},
               NULL);
    expect_errors((const char *[]){
        "Model 'User' is defined twice; give each model its own name",
        "rel_define() was called without a model name; give every model a name",
        "Unrecognized datatype for attribute \"Post.title\"; give it a type such as REL_STRING "
        "or REL_INTEGER",
        "Model 'Post' defines attribute 'body' twice; remove or rename one of them",
        "Model 'Post' has an attribute with an empty name; give every attribute a name",
        "A column called 'id' was added to the attributes of 'Posts' but not marked with "
        "'primaryKey: true'; mark it as the primary key or rename it",
        "Model 'Counter' has 2 autoIncrement attributes; only one autoincrement field is "
        "allowed",
        NULL});
}

/* ------------------------------------------------------------- reporting */

static void all_errors_at_once(void **state)
{
    (void)state;
    rel_model *emp = define0("Employee");
    rel_model *task = define0("Task");
    rel_model *u = rel_define(S, "User",
                              (rel_attr[]){{.name = "tasks", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to_many(emp, task, NULL);                                   /* no through */
    rel_belongs_to_many(u, u, &(rel_assoc_opts){.through = "Friends"});     /* no as */
    rel_has_many(u, task, &(rel_assoc_opts){.as = "tasks"});                /* collision */
    rel_has_many(emp, task, &(rel_assoc_opts){.as = "jobs", .source_key = "nope"}); /* key */
    rel_belongs_to(task, emp, &(rel_assoc_opts){.on_delete = "explode"});  /* bad rule */
    rel_belongs_to_many(task, emp, &(rel_assoc_opts){.through = "TaskEmployees"}); /* fine */
    rel_error err;
    assert_int_equal(rel_schema_freeze(S, &err), REL_DEFINITION);
    assert_int_equal(rel_schema_error_count(S), 5);
    assert_string_equal(err.message, rel_schema_error_at(S, 0)->message);
    assert_non_null(strstr(rel_schema_error_at(S, 0)->message, "needs a 'through' option"));
    assert_non_null(strstr(rel_schema_error_at(S, 1)->message, "'as' must be defined"));
    assert_non_null(strstr(rel_schema_error_at(S, 2)->message, "passed as sourceKey"));
    assert_non_null(strstr(rel_schema_error_at(S, 3)->message, "unknown onDelete value"));
    assert_non_null(strstr(rel_schema_error_at(S, 4)->message, "naming collision"));
    assert_null(rel_schema_error_at(S, 5));
    assert_true(S->failed);
    assert_true(S->frozen);
    /* The rest still resolved, so every problem shows in one run. */
    assert_non_null(rel_assoc_through(rel_model_assoc(task, "Employees")));
    /* Freezing again reports the same; nothing more can be defined. */
    memset(&err, 0, sizeof err);
    assert_int_equal(rel_schema_freeze(S, &err), REL_DEFINITION);
    assert_string_equal(err.message, rel_schema_error_at(S, 0)->message);
    assert_int_equal(rel_schema_error_count(S), 5);
    assert_null(define0("Late"));
    assert_int_equal(rel_schema_freeze(S, NULL), REL_DEFINITION);
}

static void errors_carry_their_origin(void **state)
{
    (void)state;
    rel_model *emp = define0("Employee");
    rel_model *task = define0("Task");
    rel_model_set_origin(emp, "org.rel", 2, 1);
    rel_assoc *a = rel_belongs_to_many(emp, task, NULL);
    rel_assoc_set_origin(a, "org.rel", 9, 1);
    rel_model *post = rel_define(S, "Post",
                                 (rel_attr[]){{.name = "title"}, {.name = "body"}, {0}}, NULL);
    rel_model_set_origin(post, "org.rel", 4, 7);
    rel_model_set_attr_origin(post, "body", "org.rel", 5, 3);
    rel_error err;
    assert_int_equal(rel_schema_freeze(S, &err), REL_DEFINITION);
    assert_int_equal(rel_schema_error_count(S), 3);
    assert_string_equal(err.file, "org.rel");
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 7);
    assert_string_equal(err.message, "org.rel:4:7: Unrecognized datatype for attribute "
                                     "\"Post.title\"; give it a type such as REL_STRING or "
                                     "REL_INTEGER");
    const rel_error *e1 = rel_schema_error_at(S, 1);
    assert_int_equal(e1->line, 5);
    assert_int_equal(e1->column, 3);
    assert_non_null(strstr(e1->message, "org.rel:5:3: Unrecognized datatype for attribute "
                                        "\"Post.body\""));
    const rel_error *e2 = rel_schema_error_at(S, 2);
    assert_string_equal(e2->message,
                        "org.rel:9:1: Employee.belongsToMany(Task) needs a 'through' option "
                        "naming the junction model, e.g. { through: 'EmployeeTasks' }");
    assert_string_equal(e2->file, "org.rel");
    assert_int_equal(e2->line, 9);
}

static void errors_without_origin_have_no_position(void **state)
{
    (void)state;
    rel_model *emp = define0("Employee");
    rel_belongs_to_many(emp, emp, NULL);
    rel_error err;
    assert_int_equal(rel_schema_freeze(S, &err), REL_DEFINITION);
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    assert_string_equal(err.engine_code, "");
    /* Without through, the missing through is the one reported. */
    assert_int_equal(rel_schema_error_count(S), 1);
    assert_string_equal(err.message, "Employee.belongsToMany(Employee) needs a 'through' option "
                                     "naming the junction model, e.g. { through: "
                                     "'EmployeeEmployees' }");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(belongs_to_many_needs_through, setup, teardown),
        cmocka_unit_test_setup_teardown(self_many_to_many_needs_as, setup, teardown),
        cmocka_unit_test_setup_teardown(has_many_with_through, setup, teardown),
        cmocka_unit_test_setup_teardown(target_not_a_model, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_equal_to_attribute, setup, teardown),
        cmocka_unit_test_setup_teardown(one_name_for_two_associations, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_or_non_unique_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_key_defined_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(inverse_pair_contradictions, setup, teardown),
        cmocka_unit_test_setup_teardown(junction_key_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(model_definition_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(all_errors_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_carry_their_origin, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_without_origin_have_no_position, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
