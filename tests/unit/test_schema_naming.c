/* Names a frozen schema gives: tables, attributes and their columns and
 * order, association names and default foreign-key names per kind.
 * Expected values were produced by running Sequelize 6.37 (define +
 * associate, no database) on the same definitions. */
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

/* Asserts the attribute names of m, in order. */
static void expect_attrs(const rel_model *m, const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    for (size_t i = 0; i < n && i < rel_model_attr_count(m); i++)
        assert_string_equal(rel_model_attr_at(m, i)->name, names[i]);
    assert_int_equal(rel_model_attr_count(m), n);
}

static const char *field_of(const rel_model *m, const char *attr)
{
    const rel_attr *a = rel_model_attr(m, attr);
    if (!a)
        fail_msg("%s has no attribute %s", rel_model_name(m), attr);
    return a->field;
}

static rel_model *define0(const char *name, const rel_model_opts *opts)
{
    return rel_define(S, name, (rel_attr[]){{0}}, opts);
}

/* ------------------------------------------------------------------ tables */

static void table_names_are_plurals(void **state)
{
    (void)state;
    const char *models[] = {"Organization", "Person", "Child", "Category", "Status", "Mouse",
                            "UserAccount", "Quiz", "Datum", "Box"};
    const char *tables[] = {"Organizations", "People", "Children", "Categories", "Statuses",
                            "Mice", "UserAccounts", "Quizzes", "Data", "Boxes"};
    rel_model *m[10];
    for (size_t i = 0; i < 10; i++)
        m[i] = define0(models[i], NULL);
    freeze_ok();
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(rel_model_table(m[i]), tables[i]);
}

static void table_name_options(void **state)
{
    (void)state;
    rel_model *u = define0("UserAccount", &(rel_model_opts){.underscored = true});
    rel_model *f = define0("Person", &(rel_model_opts){.freeze_table_name = true});
    rel_model *t = define0("Thing", &(rel_model_opts){.table_name = "my_things"});
    rel_model *e = define0("Empty", &(rel_model_opts){.table_name = ""});
    rel_model *p = define0("People", NULL);
    freeze_ok();
    assert_string_equal(rel_model_table(u), "user_accounts");
    assert_string_equal(rel_model_table(f), "Person");
    assert_string_equal(rel_model_table(t), "my_things");
    assert_string_equal(rel_model_table(e), "Empties"); /* "" = not given */
    assert_string_equal(rel_model_table(p), "People");
    assert_string_equal(p->singular, "Person");
    assert_string_equal(p->plural, "People");
}

static void singular_plural_options(void **state)
{
    (void)state;
    rel_model *ox = define0("Ox", &(rel_model_opts){.singular = "Oxy", .plural = "Oxies"});
    rel_model *b = define0("Beta", NULL);
    freeze_ok();
    assert_string_equal(ox->singular, "Oxy");
    assert_string_equal(ox->plural, "Oxies");
    assert_string_equal(rel_model_table(ox), "Oxen"); /* the table uses the model name */
    assert_string_equal(b->singular, "Betum");      /* inflection's rules, as Sequelize */
    assert_string_equal(b->plural, "Beta");
}

/* -------------------------------------------------------------- attributes */

static void generated_id_and_timestamps(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "Organization",
                              (rel_attr[]){{.name = "name", .type = REL_STRING, .allow_null = REL_NO},
                                           {.name = "size", .type = REL_INTEGER},
                                           {0}},
                              NULL);
    freeze_ok();
    expect_attrs(m, (const char *[]){"id", "name", "size", "createdAt", "updatedAt", NULL});
    const rel_attr_def *id = rel_model_attr_def(m, "id");
    assert_int_equal(id->role, REL_ROLE_GENERATED_ID);
    assert_int_equal(id->a.type, REL_INTEGER);
    assert_true(id->a.primary_key);
    assert_true(id->a.auto_increment);
    assert_int_equal(id->a.allow_null, REL_NO);
    assert_int_equal(m->pk, 0);
    assert_false(m->composite_pk);
    assert_string_equal(rel_model_primary_key(m), "id");

    const rel_attr_def *name = rel_model_attr_def(m, "name");
    assert_int_equal(name->a.length, 255); /* STRING = VARCHAR(255) */
    assert_int_equal(name->a.allow_null, REL_NO);
    assert_int_equal(rel_model_attr_def(m, "size")->a.allow_null, REL_YES);

    const rel_attr_def *c = rel_model_attr_def(m, "createdAt");
    assert_int_equal(c->role, REL_ROLE_CREATED_AT);
    assert_int_equal(c->a.type, REL_DATE);
    assert_int_equal(c->a.allow_null, REL_NO);
    assert_int_equal(m->created_at, 3);
    assert_int_equal(m->updated_at, 4);
    assert_int_equal(rel_model_attr_def(m, "updatedAt")->role, REL_ROLE_UPDATED_AT);
}

static void own_primary_key_and_no_timestamps(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "Code",
                              (rel_attr[]){{.name = "label", .type = REL_STRING, .length = 40},
                                           {.name = "code", .type = REL_STRING, .primary_key = true},
                                           {0}},
                              &(rel_model_opts){.timestamps = REL_NO});
    freeze_ok();
    expect_attrs(m, (const char *[]){"label", "code", NULL});
    assert_int_equal(m->pk, 1);
    assert_int_equal(m->created_at, -1);
    assert_int_equal(m->updated_at, -1);
    assert_string_equal(rel_model_primary_key(m), "code");
    assert_int_equal(rel_model_attr(m, "code")->allow_null, REL_NO); /* primary keys */
    assert_int_equal(rel_model_attr(m, "label")->length, 40);
}

static void defined_timestamp_keeps_its_place(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "Log",
                              (rel_attr[]){{.name = "createdAt", .type = REL_DATE}, {.name = "x", .type = REL_INTEGER}, {0}},
                              NULL);
    freeze_ok();
    expect_attrs(m, (const char *[]){"id", "createdAt", "x", "updatedAt", NULL});
    assert_int_equal(m->created_at, 1);
}

static void composite_primary_key(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "Pair",
                              (rel_attr[]){{.name = "a", .type = REL_INTEGER, .primary_key = true},
                                           {.name = "b", .type = REL_STRING, .primary_key = true},
                                           {0}},
                              NULL);
    freeze_ok();
    expect_attrs(m, (const char *[]){"a", "b", "createdAt", "updatedAt", NULL});
    assert_true(m->composite_pk);
    assert_int_equal(m->pk, -1);
    assert_string_equal(rel_model_primary_key(m), "a"); /* Sequelize's primaryKeyAttribute */
}

static void underscored_columns(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "UserAccount",
                              (rel_attr[]){{.name = "firstName", .type = REL_STRING},
                                           {.name = "lastLogin", .type = REL_DATE, .field = "last"},
                                           {0}},
                              &(rel_model_opts){.underscored = true});
    rel_model *plain = rel_define(S, "Plain", (rel_attr[]){{.name = "firstName", .type = REL_STRING}, {0}}, NULL);
    freeze_ok();
    expect_attrs(m, (const char *[]){"id", "firstName", "lastLogin", "createdAt", "updatedAt",
                                     NULL});
    assert_string_equal(field_of(m, "id"), "id");
    assert_string_equal(field_of(m, "firstName"), "first_name");
    assert_string_equal(field_of(m, "lastLogin"), "last"); /* field wins */
    assert_string_equal(field_of(m, "createdAt"), "created_at");
    assert_string_equal(field_of(m, "updatedAt"), "updated_at");
    assert_string_equal(field_of(plain, "firstName"), "firstName");
    assert_string_equal(field_of(plain, "createdAt"), "createdAt");
}

static void introspection_before_freeze(void **state)
{
    (void)state;
    rel_model *m = rel_define(S, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    assert_int_equal(rel_model_attr_count(m), 1);
    assert_string_equal(rel_model_attr_at(m, 0)->name, "name");
    assert_string_equal(rel_model_primary_key(m), "id");
    assert_null(rel_model_table(m));
    assert_ptr_equal(rel_schema_model(S, "User"), m);
    assert_null(rel_schema_model(S, "Nobody"));
    assert_int_equal(rel_schema_model_count(S), 1);
    assert_ptr_equal(rel_schema_model_at(S, 0), m);
    assert_null(rel_schema_model_at(S, 1));
    freeze_ok();
    assert_int_equal(rel_model_attr_count(m), 4);
    assert_null(rel_model_attr_at(m, 4));
    assert_null(rel_model_attr(m, "nope"));
}

/* ------------------------------------------------ association / FK names */

static void default_names_per_kind(void **state)
{
    (void)state;
    rel_model *a = define0("Alpha", NULL);
    rel_model *b = define0("Beta", NULL);
    /* Several associations between the same models, so none pairs up. */
    rel_assoc *h1 = rel_has_one(a, b, NULL);
    rel_assoc *h2 = rel_has_one(a, b, &(rel_assoc_opts){.as = "Lead"});
    rel_assoc *h3 = rel_has_one(a, b, &(rel_assoc_opts){.as = "leads"});
    rel_assoc *m1 = rel_has_many(a, b, NULL);
    rel_assoc *m2 = rel_has_many(a, b, &(rel_assoc_opts){.as = "Items"});
    rel_assoc *m3 = rel_has_many(a, b, &(rel_assoc_opts){.as = "stuff", .as_singular = "thing"});
    rel_assoc *b1 = rel_belongs_to(b, a, NULL);
    rel_assoc *b2 = rel_belongs_to(b, a, &(rel_assoc_opts){.as = "owner"});
    freeze_ok();

    /* hasOne: singular of (as, else source name) + source primary key. */
    assert_string_equal(rel_assoc_name(h1), "Betum");
    assert_string_equal(rel_assoc_foreign_key(h1), "AlphaId");
    assert_string_equal(rel_assoc_name(h2), "Lead");
    assert_string_equal(rel_assoc_foreign_key(h2), "LeadId");
    assert_string_equal(rel_assoc_foreign_key(h3), "leadId");
    /* hasMany: source singular + primary key; as is ignored. */
    assert_string_equal(rel_assoc_name(m1), "Beta");
    assert_string_equal(m1->singular, "Betum");
    assert_string_equal(rel_assoc_foreign_key(m1), "AlphaId");
    assert_string_equal(rel_assoc_name(m2), "Items");
    assert_string_equal(m2->singular, "Item");
    assert_string_equal(rel_assoc_foreign_key(m2), "AlphaId");
    assert_string_equal(rel_assoc_name(m3), "stuff");
    assert_string_equal(m3->singular, "thing");
    assert_string_equal(m3->plural, "stuff");
    /* belongsTo: (as, else target singular) + target primary key. */
    assert_string_equal(rel_assoc_name(b1), "Alpha");
    assert_string_equal(rel_assoc_foreign_key(b1), "AlphaId");
    assert_string_equal(rel_assoc_name(b2), "owner");
    assert_string_equal(rel_assoc_foreign_key(b2), "ownerId");

    /* Beta's columns: AlphaId shared by hasOne, hasMany and belongsTo. */
    expect_attrs(b, (const char *[]){"id", "createdAt", "updatedAt", "AlphaId", "LeadId",
                                     "leadId", "ownerId", NULL});
    assert_ptr_equal(rel_model_assoc(a, "Items"), m2);
    assert_ptr_equal(rel_model_assoc(b, "owner"), b2);
    assert_null(rel_model_assoc(a, "owner"));
    assert_int_equal(rel_model_assoc_count(a), 6);
    assert_ptr_equal(rel_model_assoc_at(a, 0), h1);
}

static void default_names_use_primary_key_not_source_key(void **state)
{
    (void)state;
    rel_model *actor = rel_define(S, "Actor",
                                  (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *role = define0("Role", NULL);
    rel_model *play = define0("Play", NULL);
    rel_assoc *h = rel_has_one(actor, role, &(rel_assoc_opts){.source_key = "name"});
    rel_assoc *b = rel_belongs_to(play, actor, &(rel_assoc_opts){.target_key = "name"});
    freeze_ok();
    assert_string_equal(rel_assoc_foreign_key(h), "ActorId");
    assert_string_equal(rel_assoc_source_key(h), "name");
    assert_int_equal(rel_model_attr(role, "ActorId")->type, REL_STRING);
    assert_string_equal(rel_assoc_foreign_key(b), "ActorId");
    assert_string_equal(rel_assoc_target_key(b), "name");
}

static void belongs_to_many_default_names(void **state)
{
    (void)state;
    rel_model *c = rel_define(S, "Costume",
                              (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *a = rel_define(S, "Actor",
                              (rel_attr[]){{.name = "wardrobe", .type = REL_STRING, .length = 64, .unique = true},
                                           {0}},
                              NULL);
    rel_assoc *x = rel_belongs_to_many(c, a, &(rel_assoc_opts){.through = "actor_costumes",
                                                              .source_key = "name",
                                                              .target_key = "wardrobe"});
    freeze_ok();
    /* belongsToMany uses sourceKey / targetKey in its key names. */
    assert_string_equal(rel_assoc_foreign_key(x), "CostumeName");
    assert_string_equal(rel_assoc_other_key(x), "ActorWardrobe");
    assert_string_equal(rel_assoc_name(x), "Actors");
    rel_model *j = rel_assoc_through(x);
    assert_string_equal(rel_model_table(j), "actor_costumes");
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "CostumeName", "ActorWardrobe",
                                     NULL});
    assert_int_equal(rel_model_attr(j, "CostumeName")->length, 255);
    assert_int_equal(rel_model_attr(j, "ActorWardrobe")->length, 64);
}

static void underscored_foreign_keys(void **state)
{
    (void)state;
    rel_model *u = rel_define(S, "UserAccount", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}},
                              &(rel_model_opts){.underscored = true});
    rel_model *p = define0("BlogPost", &(rel_model_opts){.underscored = true});
    rel_model *q = define0("Quote", NULL);
    rel_assoc *hm = rel_has_many(u, p, NULL);
    rel_assoc *ho = rel_has_one(u, q, NULL);
    rel_assoc *bm = rel_belongs_to_many(u, q, &(rel_assoc_opts){.through = "UserQuotes"});
    freeze_ok();
    assert_string_equal(rel_model_table(p), "blog_posts");
    /* Attribute names stay camelCase; the holder's underscored sets the column. */
    assert_string_equal(rel_assoc_foreign_key(hm), "UserAccountId");
    assert_string_equal(field_of(p, "UserAccountId"), "user_account_id");
    assert_string_equal(rel_assoc_foreign_key(ho), "UserAccountId");
    assert_string_equal(field_of(q, "UserAccountId"), "UserAccountId");
    /* A junction made from `through` takes the source's underscored. */
    rel_model *j = rel_assoc_through(bm);
    assert_string_equal(rel_model_table(j), "UserQuotes");
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "UserAccountId", "QuoteId",
                                     NULL});
    assert_string_equal(field_of(j, "createdAt"), "created_at");
    assert_string_equal(field_of(j, "UserAccountId"), "user_account_id");
    assert_string_equal(field_of(j, "QuoteId"), "quote_id");
    assert_string_equal(field_of(u, "createdAt"), "created_at");
}

static void foreign_key_field_option(void **state)
{
    (void)state;
    rel_model *a = define0("Alpha", NULL);
    rel_model *b = define0("Beta", NULL);
    rel_assoc *x = rel_has_one(a, b, &(rel_assoc_opts){
                                         .as = "lone",
                                         .foreign_key = {.name = "loneKey", .field = "lone_col"}});
    freeze_ok();
    assert_string_equal(rel_assoc_foreign_key(x), "loneKey");
    assert_string_equal(field_of(b, "loneKey"), "lone_col");
}

static void self_association_names(void **state)
{
    (void)state;
    rel_model *u = rel_define(S, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_assoc *f = rel_belongs_to_many(u, u, &(rel_assoc_opts){.as = "friends",
                                                              .through = "Friendships"});
    freeze_ok();
    assert_string_equal(rel_assoc_name(f), "friends");
    assert_string_equal(f->singular, "friend");
    assert_string_equal(rel_assoc_foreign_key(f), "UserId");
    assert_string_equal(rel_assoc_other_key(f), "friendId");
    rel_model *j = rel_assoc_through(f);
    assert_string_equal(rel_model_name(j), "Friendships");
    expect_attrs(j, (const char *[]){"createdAt", "updatedAt", "UserId", "friendId", NULL});
    /* Sequelize names the junction model after the association that made it. */
    assert_string_equal(j->singular, "friend");
    assert_string_equal(j->plural, "friends");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(table_names_are_plurals, setup, teardown),
        cmocka_unit_test_setup_teardown(table_name_options, setup, teardown),
        cmocka_unit_test_setup_teardown(singular_plural_options, setup, teardown),
        cmocka_unit_test_setup_teardown(generated_id_and_timestamps, setup, teardown),
        cmocka_unit_test_setup_teardown(own_primary_key_and_no_timestamps, setup, teardown),
        cmocka_unit_test_setup_teardown(defined_timestamp_keeps_its_place, setup, teardown),
        cmocka_unit_test_setup_teardown(composite_primary_key, setup, teardown),
        cmocka_unit_test_setup_teardown(underscored_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(introspection_before_freeze, setup, teardown),
        cmocka_unit_test_setup_teardown(default_names_per_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(default_names_use_primary_key_not_source_key, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(belongs_to_many_default_names, setup, teardown),
        cmocka_unit_test_setup_teardown(underscored_foreign_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_key_field_option, setup, teardown),
        cmocka_unit_test_setup_teardown(self_association_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
