/* Associations after freeze: keys, key types, ON DELETE / ON UPDATE rules,
 * inverse pairs sharing one column, belongsToMany junctions (generated and
 * explicit), self-associations. Unless a test says relate differs on purpose
 * (SEMANTICS, "Where relate differs"), every expected value was produced by
 * running Sequelize 6.37 on the same definitions. */
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

static void freeze_ok(void)
{
    rel_error err;
    rel_status st = rel_schema_freeze(S, &err);
    if (st != REL_OK)
        fail_msg("freeze: %s", err.message);
}

static rel_model *define0(const char *name)
{
    return rel_define(S, name, (rel_attr[]){{0}}, NULL);
}

static void expect_attrs(const rel_model *m, const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    for (size_t i = 0; i < n && i < rel_model_attr_count(m); i++)
        assert_string_equal(rel_model_attr_at(m, i)->name, names[i]);
    assert_int_equal(rel_model_attr_count(m), n);
}

static const rel_attr_def *def_of(const rel_model *m, const char *attr)
{
    const rel_attr_def *d = rel_model_attr_def(m, attr);
    if (!d)
        fail_msg("%s has no attribute %s", rel_model_name(m), attr);
    return d;
}

/* A foreign key's column: type, nullability, REFERENCES and rules
 * (ref_model NULL: no REFERENCES clause). */
static void expect_fk(const rel_model *m, const char *attr, rel_type type, int length,
                      rel_flag allow_null, const rel_model *ref_model, const char *ref_attr,
                      const char *on_delete, const char *on_update)
{
    const rel_attr_def *d = def_of(m, attr);
    assert_int_equal(d->role, REL_ROLE_FOREIGN_KEY);
    assert_int_equal(d->a.type, type);
    assert_int_equal(d->a.length, length);
    assert_int_equal(d->a.allow_null, allow_null);
    assert_ptr_equal(d->ref_model, ref_model);
    if (!ref_model) {
        assert_null(d->on_delete);
        return;
    }
    assert_string_equal(d->ref_attr, ref_attr);
    assert_string_equal(d->on_delete, on_delete);
    assert_string_equal(d->on_update, on_update);
}

static void expect_rules(const rel_assoc *a, const char *on_delete, const char *on_update)
{
    assert_string_equal(rel_assoc_on_delete(a), on_delete);
    assert_string_equal(rel_assoc_on_update(a), on_update);
}

/* ------------------------------------------------------------ seeds' keys */

static void seeds_custom_keys(void **state)
{
    (void)state;
    rel_model *actors = rel_define(S, "Actors",
                                   (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true},
                                                {.name = "wardrobe", .type = REL_STRING,
                                                 .unique = true},
                                                {0}},
                                   NULL);
    rel_model *roles = rel_define(
        S, "Roles", (rel_attr[]){{.name = "title", .type = REL_STRING, .unique = true}, {0}},
        NULL);
    rel_model *costumes = rel_define(
        S, "Costumes", (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true}, {0}},
        NULL);
    rel_assoc *ho = rel_has_one(actors, roles,
                                &(rel_assoc_opts){.source_key = "name",
                                                  .foreign_key = {.name = "actorName"}});
    rel_assoc *hm = rel_has_many(roles, costumes,
                                 &(rel_assoc_opts){.source_key = "title",
                                                   .foreign_key = {.name = "roleTitle"}});
    rel_assoc *bt = rel_belongs_to(roles, actors,
                                   &(rel_assoc_opts){.target_key = "name",
                                                     .foreign_key = {.name = "actorName"}});
    rel_assoc *bm = rel_belongs_to_many(costumes, actors,
                                        &(rel_assoc_opts){.through = "actor_costumes",
                                                          .source_key = "name",
                                                          .target_key = "wardrobe"});
    freeze_ok();

    assert_string_equal(rel_model_table(actors), "Actors");
    assert_string_equal(actors->singular, "Actor");
    /* hasOne + belongsTo name the same key: one column on Roles. */
    expect_attrs(roles, (const char *[]){"id", "title", "createdAt", "updatedAt", "actorName",
                                         NULL});
    expect_fk(roles, "actorName", REL_STRING, 255, REL_YES, actors, "name", "SET NULL",
              "CASCADE");
    assert_string_equal(rel_assoc_foreign_key(ho), "actorName");
    assert_string_equal(rel_assoc_source_key(ho), "name");
    assert_null(rel_assoc_target_key(ho));
    assert_string_equal(rel_assoc_foreign_key(bt), "actorName");
    assert_string_equal(rel_assoc_target_key(bt), "name");
    assert_null(rel_assoc_source_key(bt));
    assert_ptr_equal(ho->pair, bt);
    assert_ptr_equal(bt->pair, ho);

    expect_fk(costumes, "roleTitle", REL_STRING, 255, REL_YES, roles, "title", "SET NULL",
              "CASCADE");
    assert_string_equal(rel_assoc_source_key(hm), "title");
    expect_rules(hm, "SET NULL", "CASCADE");

    rel_model *j = rel_assoc_through(bm);
    assert_non_null(j);
    assert_string_equal(rel_model_name(j), "actor_costumes");
    assert_string_equal(rel_model_table(j), "actor_costumes");
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "CostumeName", "ActorWardrobe",
                                     NULL});
    expect_fk(j, "CostumeName", REL_STRING, 255, REL_NO, costumes, "name", "CASCADE",
              "CASCADE");
    expect_fk(j, "ActorWardrobe", REL_STRING, 255, REL_NO, actors, "wardrobe", "CASCADE",
              "CASCADE");
    assert_string_equal(rel_assoc_source_key(bm), "name");
    assert_string_equal(rel_assoc_target_key(bm), "wardrobe");
}

/* --------------------------------------------------------- types & rules */

static void foreign_key_types_follow_the_key(void **state)
{
    (void)state;
    rel_model *a = rel_define(S, "Alpha",
                              (rel_attr[]){{.name = "code", .type = REL_UUID, .unique = true},
                                           {.name = "tag", .type = REL_STRING, .length = 64,
                                            .unique = true},
                                           {0}},
                              NULL);
    rel_model *big = rel_define(S, "Big",
                                (rel_attr[]){{.name = "id", .type = REL_BIGINT,
                                              .primary_key = true, .auto_increment = true},
                                             {0}},
                                NULL);
    rel_model *b = define0("Beta");
    rel_has_many(a, b, &(rel_assoc_opts){.as = "coded", .source_key = "code",
                                         .foreign_key = {.name = "codedCode"}});
    rel_has_many(a, b, &(rel_assoc_opts){.as = "tagged", .source_key = "tag",
                                         .foreign_key = {.name = "tagRef"}});
    rel_belongs_to(b, big, NULL);
    rel_belongs_to(b, a, &(rel_assoc_opts){.as = "owner"});
    freeze_ok();
    expect_fk(b, "codedCode", REL_UUID, 0, REL_YES, a, "code", "SET NULL", "CASCADE");
    expect_fk(b, "tagRef", REL_STRING, 64, REL_YES, a, "tag", "SET NULL", "CASCADE");
    /* A serial id gives a plain key of its type, never auto-increment. */
    expect_fk(b, "BigId", REL_BIGINT, 0, REL_YES, big, "id", "SET NULL", "CASCADE");
    expect_fk(b, "ownerId", REL_INTEGER, 0, REL_YES, a, "id", "SET NULL", "CASCADE");
    assert_false(def_of(b, "BigId")->a.auto_increment);
    assert_false(def_of(b, "BigId")->a.primary_key);
}

static void default_rules_per_kind(void **state)
{
    (void)state;
    rel_model *org = define0("Organization");
    rel_model *emp = define0("Employee");
    /* Two hasMany and a belongsTo with another name: no inverse pair here. */
    rel_assoc *hm = rel_has_many(org, emp, NULL);
    rel_assoc *hm2 = rel_has_many(org, emp, &(rel_assoc_opts){
                                                 .as = "strictKids",
                                                 .foreign_key = {.name = "kidId",
                                                                 .allow_null = REL_NO}});
    rel_assoc *ho = rel_has_one(org, emp, &(rel_assoc_opts){
                                              .as = "chief",
                                              .foreign_key = {.name = "chiefOf",
                                                              .allow_null = REL_NO}});
    rel_assoc *bt = rel_belongs_to(emp, org, &(rel_assoc_opts){.as = "boss"});
    rel_assoc *bt2 = rel_belongs_to(emp, org, &(rel_assoc_opts){
                                                  .as = "strict",
                                                  .foreign_key = {.name = "strictId",
                                                                  .allow_null = REL_NO}});
    rel_assoc *given = rel_belongs_to(emp, org, &(rel_assoc_opts){.as = "rules",
                                                                   .on_delete = "restrict",
                                                                   .on_update = "no action"});
    rel_assoc *none = rel_has_many(org, emp, &(rel_assoc_opts){.as = "temps",
                                                                .constraints = REL_NO,
                                                                .foreign_key = {.name = "tempOf"}});
    freeze_ok();
    expect_attrs(emp, (const char *[]){"id", "createdAt", "updatedAt", "OrganizationId", "kidId",
                                       "chiefOf", "bossId", "strictId", "rulesId", "tempOf",
                                       NULL});
    expect_fk(emp, "OrganizationId", REL_INTEGER, 0, REL_YES, org, "id", "SET NULL", "CASCADE");
    expect_rules(hm, "SET NULL", "CASCADE");
    /* NOT NULL: hasMany / hasOne cascade, belongsTo takes no action. */
    expect_fk(emp, "kidId", REL_INTEGER, 0, REL_NO, org, "id", "CASCADE", "CASCADE");
    expect_rules(hm2, "CASCADE", "CASCADE");
    expect_fk(emp, "chiefOf", REL_INTEGER, 0, REL_NO, org, "id", "CASCADE", "CASCADE");
    expect_rules(ho, "CASCADE", "CASCADE");
    expect_fk(emp, "bossId", REL_INTEGER, 0, REL_YES, org, "id", "SET NULL", "CASCADE");
    expect_rules(bt, "SET NULL", "CASCADE");
    expect_fk(emp, "strictId", REL_INTEGER, 0, REL_NO, org, "id", "NO ACTION", "CASCADE");
    expect_rules(bt2, "NO ACTION", "CASCADE");
    /* Explicit rules are upper-cased. */
    expect_fk(emp, "rulesId", REL_INTEGER, 0, REL_YES, org, "id", "RESTRICT", "NO ACTION");
    expect_rules(given, "RESTRICT", "NO ACTION");
    /* constraints: false: the column, no REFERENCES. */
    expect_fk(emp, "tempOf", REL_INTEGER, 0, REL_YES, NULL, NULL, NULL, NULL);
    assert_null(rel_assoc_on_delete(none));
    assert_null(rel_assoc_on_update(none));
    assert_null(hm->pair);
    assert_null(bt->pair);
}

static void user_defined_foreign_key_is_adopted(void **state)
{
    (void)state;
    rel_model *org = define0("Organization");
    rel_model *e1 = rel_define(S, "Employee",
                               (rel_attr[]){{.name = "name", .type = REL_STRING},
                                            {.name = "OrganizationId", .type = REL_INTEGER},
                                            {0}},
                               NULL);
    rel_model *e2 = rel_define(S, "Contractor",
                               (rel_attr[]){{.name = "OrganizationId", .type = REL_BIGINT,
                                             .allow_null = REL_NO},
                                            {0}},
                               NULL);
    rel_model *e3 = rel_define(S, "Intern",
                               (rel_attr[]){{.name = "OrganizationId", .type = REL_INTEGER,
                                             .allow_null = REL_YES, .field = "org"},
                                            {0}},
                               NULL);
    rel_has_many(org, e1, NULL);
    rel_has_many(org, e2, NULL);
    rel_has_many(org, e3, NULL);
    freeze_ok();
    /* The user's attribute keeps its place, type and column. */
    expect_attrs(e1, (const char *[]){"id", "name", "OrganizationId", "createdAt", "updatedAt",
                                      NULL});
    /* Sequelize picks the default rule from the definition as written: no
     * allowNull there counts as NOT NULL (CASCADE), though the column allows
     * NULL. */
    expect_fk(e1, "OrganizationId", REL_INTEGER, 0, REL_YES, org, "id", "CASCADE", "CASCADE");
    expect_fk(e2, "OrganizationId", REL_BIGINT, 0, REL_NO, org, "id", "CASCADE", "CASCADE");
    expect_fk(e3, "OrganizationId", REL_INTEGER, 0, REL_YES, org, "id", "SET NULL", "CASCADE");
    assert_string_equal(def_of(e3, "OrganizationId")->a.field, "org");
}

static void composite_key_target_gets_no_reference(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "M1",
                              (rel_attr[]){{.name = "a", .type = REL_INTEGER, .primary_key = true},
                                           {.name = "b", .type = REL_STRING, .primary_key = true},
                                           {0}},
                              NULL);
    rel_model *r = define0("R");
    rel_assoc *x = rel_has_many(m, r, NULL);
    freeze_ok();
    assert_string_equal(rel_assoc_foreign_key(x), "M1A");
    expect_fk(r, "M1A", REL_INTEGER, 0, REL_YES, NULL, NULL, NULL, NULL);
}

/* ------------------------------------------------------------- inverse pairs */

static void seed_pair_shares_explicit_key(void **state)
{
    (void)state;
    /* Relate differs on purpose: Sequelize gives B both otherId and AId. */
    rel_model *a = define0("A");
    rel_model *b = define0("B");
    rel_assoc *ho = rel_has_one(a, b, &(rel_assoc_opts){.on_update = "SET NULL",
                                                         .on_delete = "CASCADE",
                                                         .foreign_key = {.name = "otherId"},
                                                         .source_key = "",
                                                         .target_key = ""});
    rel_assoc *bt = rel_belongs_to(b, a, NULL);
    freeze_ok();
    expect_attrs(b, (const char *[]){"id", "createdAt", "updatedAt", "otherId", NULL});
    expect_fk(b, "otherId", REL_INTEGER, 0, REL_YES, a, "id", "CASCADE", "SET NULL");
    assert_string_equal(rel_assoc_foreign_key(bt), "otherId");
    assert_string_equal(rel_assoc_target_key(bt), "id");
    assert_string_equal(rel_assoc_source_key(ho), "id");
    expect_rules(ho, "CASCADE", "SET NULL");
    expect_rules(bt, "CASCADE", "SET NULL");
    assert_ptr_equal(ho->pair, bt);
    assert_ptr_equal(bt->pair, ho);
    expect_attrs(a, (const char *[]){"id", "createdAt", "updatedAt", NULL});
}

static void organization_employee_share_one_column(void **state)
{
    (void)state;
    rel_model *org = rel_define(S, "Organization",
                                (rel_attr[]){{.name = "name", .type = REL_STRING,
                                              .allow_null = REL_NO, .unique = true},
                                             {0}},
                                NULL);
    rel_model *emp = rel_define(S, "Employee",
                                (rel_attr[]){{.name = "name", .type = REL_STRING},
                                             {.name = "hired", .type = REL_DATE},
                                             {0}},
                                &(rel_model_opts){.underscored = true});
    rel_assoc *hm = rel_has_many(org, emp, NULL);
    rel_assoc *bt = rel_belongs_to(emp, org, NULL);
    freeze_ok();
    expect_attrs(emp, (const char *[]){"id", "name", "hired", "createdAt", "updatedAt",
                                       "OrganizationId", NULL});
    expect_fk(emp, "OrganizationId", REL_INTEGER, 0, REL_YES, org, "id", "SET NULL", "CASCADE");
    assert_string_equal(def_of(emp, "OrganizationId")->a.field, "organization_id");
    assert_string_equal(rel_model_table(emp), "employees");
    assert_string_equal(rel_assoc_name(hm), "Employees");
    assert_string_equal(rel_assoc_name(bt), "Organization");
    assert_string_equal(rel_assoc_foreign_key(hm), "OrganizationId");
    assert_string_equal(rel_assoc_foreign_key(bt), "OrganizationId");
    assert_ptr_equal(hm->pair, bt);
    assert_ptr_equal(rel_model_assoc(org, "Employees"), hm);
    assert_ptr_equal(rel_model_assoc(emp, "Organization"), bt);
    assert_int_equal(rel_assoc_kind_of(hm), REL_HAS_MANY);
    assert_int_equal(rel_assoc_kind_of(bt), REL_BELONGS_TO);
    assert_ptr_equal(rel_assoc_source(hm), org);
    assert_ptr_equal(rel_assoc_target(hm), emp);
}

static void pair_with_different_defaults_uses_belongs_to_name(void **state)
{
    (void)state;
    /* Relate differs on purpose: Sequelize makes LeadId and ActorId. */
    rel_model *actor = define0("Actor");
    rel_model *role = define0("Role");
    rel_assoc *ho = rel_has_one(actor, role, &(rel_assoc_opts){.as = "Lead"});
    rel_assoc *bt = rel_belongs_to(role, actor, NULL);
    rel_model *node = define0("Node");
    rel_assoc *kids = rel_has_many(node, node, &(rel_assoc_opts){.as = "children"});
    rel_assoc *parent = rel_belongs_to(node, node, &(rel_assoc_opts){.as = "parent"});
    freeze_ok();
    expect_attrs(role, (const char *[]){"id", "createdAt", "updatedAt", "ActorId", NULL});
    assert_string_equal(rel_assoc_foreign_key(ho), "ActorId");
    assert_string_equal(rel_assoc_foreign_key(bt), "ActorId");
    /* A self-referencing tree: children and parent are one relation. */
    expect_attrs(node, (const char *[]){"id", "createdAt", "updatedAt", "parentId", NULL});
    assert_string_equal(rel_assoc_foreign_key(kids), "parentId");
    assert_string_equal(rel_assoc_foreign_key(parent), "parentId");
    assert_string_equal(kids->singular, "child");
}

static void pair_takes_explicit_options_from_either_side(void **state)
{
    (void)state;
    rel_model *org = define0("Organization");
    rel_model *emp = define0("Employee");
    rel_assoc *hm = rel_has_many(org, emp, &(rel_assoc_opts){.foreign_key = {.name = "orgId"}});
    rel_assoc *bt = rel_belongs_to(emp, org, &(rel_assoc_opts){
                                                 .on_delete = "set default",
                                                 .foreign_key = {.allow_null = REL_NO}});
    rel_model *user = define0("User");
    rel_model *comment = define0("Comment");
    rel_assoc *hm2 = rel_has_many(user, comment, &(rel_assoc_opts){
                                                     .foreign_key = {.name = "authorId",
                                                                     .allow_null = REL_NO}});
    rel_assoc *bt2 = rel_belongs_to(comment, user, &(rel_assoc_opts){
                                                       .as = "author",
                                                       .foreign_key = {.name = "authorId",
                                                                       .allow_null = REL_NO}});
    freeze_ok();
    expect_attrs(emp, (const char *[]){"id", "createdAt", "updatedAt", "orgId", NULL});
    expect_fk(emp, "orgId", REL_INTEGER, 0, REL_NO, org, "id", "SET DEFAULT", "CASCADE");
    assert_string_equal(rel_assoc_foreign_key(bt), "orgId");
    expect_rules(hm, "SET DEFAULT", "CASCADE");
    /* NOT NULL with no explicit rule: the first-declared half's default
     * (hasMany: CASCADE), as Sequelize's shared column gets. */
    expect_fk(comment, "authorId", REL_INTEGER, 0, REL_NO, user, "id", "CASCADE", "CASCADE");
    expect_rules(hm2, "CASCADE", "CASCADE");
    expect_rules(bt2, "CASCADE", "CASCADE");
}

static void no_pair_when_more_than_one(void **state)
{
    (void)state;
    rel_model *org = define0("Organization");
    rel_model *emp = define0("Employee");
    rel_assoc *a = rel_has_many(org, emp, NULL);
    rel_assoc *b = rel_has_many(org, emp, &(rel_assoc_opts){.as = "managers"});
    rel_assoc *c = rel_belongs_to(emp, org, &(rel_assoc_opts){.as = "boss"});
    freeze_ok();
    assert_null(a->pair);
    assert_null(b->pair);
    assert_null(c->pair);
    expect_attrs(emp, (const char *[]){"id", "createdAt", "updatedAt", "OrganizationId",
                                       "bossId", NULL});
    assert_string_equal(rel_assoc_foreign_key(b), "OrganizationId");
}

/* ------------------------------------------------------------ belongsToMany */

static void employee_task_junction(void **state)
{
    (void)state;
    rel_model *emp = rel_define(S, "Employee",
                                (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *task = rel_define(S, "Task",
                                 (rel_attr[]){{.name = "title", .type = REL_STRING, .length = 100},
                                              {0}},
                                 NULL);
    rel_assoc *et = rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_assoc *te = rel_belongs_to_many(task, emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_model *later = define0("Later");
    freeze_ok();

    rel_model *j = rel_assoc_through(et);
    assert_non_null(j);
    assert_ptr_equal(rel_assoc_through(te), j);
    assert_ptr_equal(rel_schema_model(S, "EmployeeTasks"), j);
    assert_true(j->generated_junction);
    assert_ptr_equal(j->junction_of, et);
    assert_string_equal(rel_model_table(j), "EmployeeTasks");
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "EmployeeId", "TaskId", NULL});
    expect_fk(j, "EmployeeId", REL_INTEGER, 0, REL_NO, emp, "id", "CASCADE", "CASCADE");
    expect_fk(j, "TaskId", REL_INTEGER, 0, REL_NO, task, "id", "CASCADE", "CASCADE");
    assert_true(def_of(j, "EmployeeId")->a.primary_key);
    assert_true(def_of(j, "TaskId")->a.primary_key);
    assert_true(j->composite_pk);
    assert_int_equal(j->pk, -1);
    assert_null(j->unique_pair[0]);
    assert_null(rel_model_attr(j, "id"));
    assert_int_equal(j->created_at, 0);
    assert_int_equal(j->updated_at, 1);
    assert_string_equal(rel_model_primary_key(j), "EmployeeId");

    assert_string_equal(rel_assoc_name(et), "Tasks");
    assert_string_equal(rel_assoc_foreign_key(et), "EmployeeId");
    assert_string_equal(rel_assoc_other_key(et), "TaskId");
    assert_string_equal(rel_assoc_source_key(et), "id");
    assert_string_equal(rel_assoc_target_key(et), "id");
    assert_string_equal(rel_assoc_name(te), "Employees");
    assert_string_equal(rel_assoc_foreign_key(te), "TaskId");
    assert_string_equal(rel_assoc_other_key(te), "EmployeeId");
    expect_rules(et, "CASCADE", "CASCADE");
    expect_rules(te, "CASCADE", "CASCADE");
    assert_ptr_equal(et->pair, te);
    /* The models keep no keys of their own for it. */
    expect_attrs(emp, (const char *[]){"id", "name", "createdAt", "updatedAt", NULL});

    /* Models in Sequelize's order: the junction where the first call made it. */
    assert_int_equal(rel_schema_model_count(S), 4);
    assert_ptr_equal(rel_schema_model_at(S, 0), emp);
    assert_ptr_equal(rel_schema_model_at(S, 1), task);
    assert_ptr_equal(rel_schema_model_at(S, 2), j);
    assert_ptr_equal(rel_schema_model_at(S, 3), later);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(rel_schema_model_at(S, i)->index, i);
}

static void explicit_rules_apply_to_both_keys(void **state)
{
    (void)state;
    rel_model *p = define0("Project");
    rel_model *t = define0("Tag");
    rel_assoc *pt = rel_belongs_to_many(p, t, &(rel_assoc_opts){.through = "ProjectTags",
                                                                 .on_delete = "restrict",
                                                                 .on_update = "set null"});
    rel_assoc *tp = rel_belongs_to_many(t, p, &(rel_assoc_opts){.through = "ProjectTags"});
    freeze_ok();
    rel_model *j = rel_assoc_through(pt);
    expect_fk(j, "ProjectId", REL_INTEGER, 0, REL_NO, p, "id", "RESTRICT", "SET NULL");
    expect_fk(j, "TagId", REL_INTEGER, 0, REL_NO, t, "id", "RESTRICT", "SET NULL");
    expect_rules(tp, "RESTRICT", "SET NULL");
}

static void paired_explicit_key_names_are_shared(void **state)
{
    (void)state;
    /* Sequelize drops the first call's explicit otherKey here and makes
     * TagId; relate keeps one pair of columns, named as given. */
    rel_model *p = define0("Project");
    rel_model *t = define0("Tag");
    rel_assoc *pt = rel_belongs_to_many(
        p, t, &(rel_assoc_opts){.through = "ProjectTags", .foreign_key = {.name = "projId"},
                                .other_key = {.name = "tagId", .allow_null = REL_NO}});
    rel_assoc *tp = rel_belongs_to_many(t, p, &(rel_assoc_opts){.through = "ProjectTags"});
    freeze_ok();
    rel_model *j = rel_assoc_through(pt);
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "projId", "tagId", NULL});
    assert_string_equal(rel_assoc_foreign_key(tp), "tagId");
    assert_string_equal(rel_assoc_other_key(tp), "projId");
}

static void through_model_with_own_primary_key(void **state)
{
    (void)state;
    rel_model *user = define0("User");
    rel_model *proj = define0("Project");
    rel_model *up = rel_define(S, "UserProject",
                               (rel_attr[]){{.name = "id", .type = REL_INTEGER,
                                             .primary_key = true, .auto_increment = true},
                                            {.name = "role", .type = REL_STRING},
                                            {0}},
                               NULL);
    rel_model *ur = rel_define(S, "UserRank",
                               (rel_attr[]){{.name = "id", .type = REL_INTEGER,
                                             .primary_key = true, .auto_increment = true},
                                            {.name = "rank", .type = REL_INTEGER},
                                            {0}},
                               NULL);
    rel_assoc *a = rel_belongs_to_many(user, proj, &(rel_assoc_opts){.through = "UserProject"});
    rel_assoc *b = rel_belongs_to_many(proj, user, &(rel_assoc_opts){.through = "UserProject"});
    rel_assoc *c = rel_belongs_to_many(user, proj, &(rel_assoc_opts){
                                                       .as = "ranked", .through = "UserRank",
                                                       .through_unique = REL_NO});
    freeze_ok();
    assert_ptr_equal(rel_assoc_through(a), up);
    assert_ptr_equal(rel_assoc_through(b), up);
    assert_false(up->generated_junction);
    assert_string_equal(rel_model_table(up), "UserProjects");
    expect_attrs(up, (const char *[]){"id", "role", "createdAt", "updatedAt", "UserId",
                                      "ProjectId", NULL});
    assert_int_equal(up->pk, 0);
    assert_false(up->composite_pk);
    /* Its own key stays; the two keys allow NULL and are UNIQUE together. */
    expect_fk(up, "UserId", REL_INTEGER, 0, REL_YES, user, "id", "CASCADE", "CASCADE");
    expect_fk(up, "ProjectId", REL_INTEGER, 0, REL_YES, proj, "id", "CASCADE", "CASCADE");
    assert_false(def_of(up, "UserId")->a.primary_key);
    assert_false(def_of(up, "UserId")->a.unique);
    assert_string_equal(up->unique_pair[0], "UserId");
    assert_string_equal(up->unique_pair[1], "ProjectId");
    /* through: { unique: false } */
    assert_ptr_equal(rel_assoc_through(c), ur);
    assert_null(ur->unique_pair[0]);
    expect_fk(ur, "UserId", REL_INTEGER, 0, REL_YES, user, "id", "CASCADE", "CASCADE");
}

static void through_model_without_primary_key(void **state)
{
    (void)state;
    rel_model *user = define0("User");
    rel_model *proj = define0("Project");
    rel_model *uq = rel_define(S, "UserQ", (rel_attr[]){{.name = "role", .type = REL_STRING}, {0}},
                               NULL);
    rel_model *us = rel_define(S, "UserS",
                               (rel_attr[]){{.name = "UserId", .type = REL_INTEGER},
                                            {.name = "extra", .type = REL_STRING},
                                            {0}},
                               NULL);
    rel_belongs_to_many(user, proj, &(rel_assoc_opts){.as = "qs", .through = "UserQ"});
    rel_belongs_to_many(user, proj, &(rel_assoc_opts){.as = "ss", .through = "UserS"});
    freeze_ok();
    /* The generated id goes; the keys become the primary key. */
    expect_attrs(uq, (const char *[]){"role", "createdAt", "updatedAt", "UserId", "ProjectId",
                                      NULL});
    assert_true(uq->composite_pk);
    expect_fk(uq, "UserId", REL_INTEGER, 0, REL_NO, user, "id", "CASCADE", "CASCADE");
    assert_true(def_of(uq, "UserId")->a.primary_key);
    assert_null(uq->unique_pair[0]);
    assert_string_equal(rel_model_table(uq), "UserQs");
    /* A key the through model defines keeps its place. */
    expect_attrs(us, (const char *[]){"UserId", "extra", "createdAt", "updatedAt", "ProjectId",
                                      NULL});
    assert_true(def_of(us, "UserId")->a.primary_key);
    assert_true(us->composite_pk);
}

static void self_association_friends_and_followers(void **state)
{
    (void)state;
    rel_model *u = rel_define(S, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}},
                              NULL);
    rel_assoc *f = rel_belongs_to_many(u, u, &(rel_assoc_opts){.as = "friends",
                                                              .through = "Friendships"});
    rel_assoc *fr = rel_belongs_to_many(u, u, &(rel_assoc_opts){
                                                  .as = "followers", .through = "Follows",
                                                  .foreign_key = {.name = "followingId"},
                                                  .other_key = {.name = "followerId"}});
    rel_assoc *fg = rel_belongs_to_many(u, u, &(rel_assoc_opts){
                                                  .as = "following", .through = "Follows",
                                                  .foreign_key = {.name = "followerId"},
                                                  .other_key = {.name = "followingId"}});
    freeze_ok();
    rel_model *j = rel_assoc_through(f);
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "UserId", "friendId", NULL});
    expect_fk(j, "UserId", REL_INTEGER, 0, REL_NO, u, "id", "CASCADE", "CASCADE");
    expect_fk(j, "friendId", REL_INTEGER, 0, REL_NO, u, "id", "CASCADE", "CASCADE");
    assert_null(f->pair);

    rel_model *fj = rel_assoc_through(fr);
    assert_ptr_equal(rel_assoc_through(fg), fj);
    assert_ptr_equal(fr->pair, fg);
    expect_attrs(fj, (const char *[]){"createdAt", "updatedAt", "followingId", "followerId",
                                      NULL});
    assert_string_equal(rel_assoc_foreign_key(fg), "followerId");
    assert_string_equal(rel_assoc_other_key(fg), "followingId");
    expect_attrs(u, (const char *[]){"id", "name", "createdAt", "updatedAt", NULL});
}

/* --------------------------------------------------------------- lifecycle */

static void frozen_schema_rejects_definitions(void **state)
{
    (void)state;
    rel_model *a = define0("A");
    rel_model *b = define0("B");
    freeze_ok();
    assert_null(rel_define(S, "C", (rel_attr[]){{0}}, NULL));
    assert_null(rel_has_many(a, b, NULL));
    assert_null(rel_belongs_to(b, a, NULL));
    assert_null(rel_has_one(a, b, NULL));
    assert_null(rel_belongs_to_many(a, b, &(rel_assoc_opts){.through = "AB"}));
    assert_int_equal(rel_schema_model_count(S), 2);
    assert_int_equal(rel_model_assoc_count(a), 0);
    assert_int_equal(rel_schema_freeze(S, NULL), REL_OK); /* again: same outcome */
    assert_false(S->failed);
    assert_null(rel_has_many(NULL, b, NULL));
}

static void null_handles_are_harmless(void **state)
{
    (void)state;
    assert_null(rel_define(NULL, "X", NULL, NULL));
    assert_null(rel_assoc_name(NULL));
    assert_null(rel_assoc_through(NULL));
    assert_null(rel_model_table(NULL));
    assert_int_equal(rel_model_attr_count(NULL), 0);
    assert_int_equal(rel_schema_model_count(NULL), 0);
    assert_int_equal(rel_schema_error_count(NULL), 0);
    assert_null(rel_schema_error_at(S, 0));
    assert_int_equal(rel_schema_freeze(NULL, NULL), REL_MISUSE);
    rel_schema_free(NULL);
    /* attrs may be NULL: a model with only the generated attributes. */
    rel_model *m = rel_define(S, "Bare", NULL, NULL);
    assert_non_null(m);
    freeze_ok();
    assert_int_equal(rel_model_attr_count(m), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(seeds_custom_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_key_types_follow_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(default_rules_per_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(user_defined_foreign_key_is_adopted, setup, teardown),
        cmocka_unit_test_setup_teardown(composite_key_target_gets_no_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(seed_pair_shares_explicit_key, setup, teardown),
        cmocka_unit_test_setup_teardown(organization_employee_share_one_column, setup, teardown),
        cmocka_unit_test_setup_teardown(pair_with_different_defaults_uses_belongs_to_name, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(pair_takes_explicit_options_from_either_side, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_pair_when_more_than_one, setup, teardown),
        cmocka_unit_test_setup_teardown(employee_task_junction, setup, teardown),
        cmocka_unit_test_setup_teardown(explicit_rules_apply_to_both_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(paired_explicit_key_names_are_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(through_model_with_own_primary_key, setup, teardown),
        cmocka_unit_test_setup_teardown(through_model_without_primary_key, setup, teardown),
        cmocka_unit_test_setup_teardown(self_association_friends_and_followers, setup, teardown),
        cmocka_unit_test_setup_teardown(frozen_schema_rejects_definitions, setup, teardown),
        cmocka_unit_test_setup_teardown(null_handles_are_harmless, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
