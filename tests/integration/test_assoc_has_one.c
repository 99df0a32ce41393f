/* hasOne association methods on whichever engine REL_TEST_ENGINE names:
 * getX, setX (links the new row and unlinks the previous one, following the
 * key's nullability), createX; the default name, an alias, the seeds'
 * Actor.hasOne(Role) on `name`, a NOT NULL key; atomicity of set. */
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
#include "fixture.h"
#include "testdb.h"

#define OK(call)                                                                      \
    do {                                                                              \
        rel_error E = {0};                                                            \
        rel_status s_ = (call);                                                       \
        if (s_ != REL_OK)                                                             \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), E.message);          \
    } while (0)

#define STR(n) {.name = (n), .type = REL_STRING}
#define STR_KEY(n) {.name = (n), .type = REL_STRING, .unique = true, .allow_null = REL_NO}

typedef struct fixture {
    rel_schema *schema;
    rel_model *user, *profile, *address, *country, *capital, *actor, *role;
    rel_assoc *home;
    rel_db *db;
    const char *url;
    size_t nstmt, nwrite;
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)params;
    (void)n;
    fixture *f = user;
    f->nstmt++;
    if (!strncmp(sql, "INSERT", 6) || !strncmp(sql, "UPDATE", 6) || !strncmp(sql, "DELETE", 6))
        f->nwrite++;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rel_schema *s = f->schema = rel_schema_new();
    f->user = rel_define(s, "User", (rel_attr[]){STR("name"), {0}}, NULL);
    f->profile = rel_define(s, "Profile", (rel_attr[]){STR("bio"), {0}}, NULL);
    f->address = rel_define(s, "Address", (rel_attr[]){STR("street"), {0}}, NULL);
    f->country = rel_define(s, "Country", (rel_attr[]){STR("name"), {0}}, NULL);
    f->capital = rel_define(s, "Capital", (rel_attr[]){STR("name"), {0}}, NULL);
    f->actor = rel_define(s, "Actor", (rel_attr[]){STR_KEY("name"), STR("wardrobe"), {0}}, NULL);
    f->role = rel_define(s, "Role", (rel_attr[]){STR_KEY("title"), {0}}, NULL);
    rel_has_one(f->user, f->profile, NULL);
    f->home = rel_has_one(f->user, f->address, &(rel_assoc_opts){.as = "home"});
    rel_has_one(f->country, f->capital,
                &(rel_assoc_opts){.foreign_key = {.name = "countryId", .allow_null = REL_NO}});
    rel_has_one(f->actor, f->role,
                &(rel_assoc_opts){.source_key = "name", .foreign_key = {.name = "actorName"}});
    rel_belongs_to(f->role, f->actor,
                   &(rel_assoc_opts){.target_key = "name", .foreign_key = {.name = "actorName"}});
    f->url = test_db_url();
    f->db = test_open_synced(s, f->url);
    rel_set_logger(f->db, logger, f);
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

/* The key column of row r in table, -1 when NULL. */
static long long key_of(fixture *f, const char *table, const char *col, const rel_record *r)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE \"id\" = %lld", col, table,
             (long long)rel_get_int(r, "id"));
    return test_sql_int(f->url, sql);
}

/* ---------------------------------------------------------------- default name */

static void get_set_create(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *p1 = test_saved_row(f->db, f->profile, "bio", "one");
    rel_record *p2 = test_saved_row(f->db, f->profile, "bio", "two");
    long long ann_id = rel_get_int(ann, "id");
    rel_result *res = NULL;

    OK(rel_assoc_get(f->db, ann, "Profile", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 0);
    rel_result_free(res);

    /* setProfile(p1). */
    OK(rel_assoc_set(f->db, ann, "Profile", &p1, 1, NULL, &E));
    assert_int_equal(key_of(f, "Profiles", "UserId", p1), ann_id);
    assert_int_equal(rel_get_int(p1, "UserId"), ann_id);
    OK(rel_assoc_get(f->db, ann, "Profile", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "bio"), "one");
    rel_result_free(res);

    /* setProfile(p2): p1 is unlinked (not deleted). */
    OK(rel_assoc_set(f->db, ann, "Profile", &p2, 1, NULL, &E));
    assert_int_equal(key_of(f, "Profiles", "UserId", p1), -1);
    assert_int_equal(key_of(f, "Profiles", "UserId", p2), ann_id);
    assert_int_equal(rel_get_int(p2, "UserId"), ann_id);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Profiles\""), 2);

    /* Setting the one linked keeps it linked. */
    OK(rel_assoc_set(f->db, ann, "Profile", &p2, 1, NULL, &E));
    assert_int_equal(key_of(f, "Profiles", "UserId", p2), ann_id);

    /* By key value. */
    rel_value k1 = rel_int(rel_get_int(p1, "id"));
    OK(rel_assoc_set_keys(f->db, ann, "Profile", &k1, 1, NULL, &E));
    assert_int_equal(key_of(f, "Profiles", "UserId", p1), ann_id);
    assert_int_equal(key_of(f, "Profiles", "UserId", p2), -1);

    /* A key naming no row: refused, and the previous link is kept. */
    rel_value nokey = rel_int(424242);
    rel_error err;
    assert_int_equal(rel_assoc_set_keys(f->db, ann, "Profile", &nokey, 1, NULL, &err),
                     REL_NOT_FOUND);
    assert_non_null(strstr(err.message, "Profile with id 424242 not found"));
    assert_int_equal(key_of(f, "Profiles", "UserId", p1), ann_id);

    /* setProfile(null) unlinks. */
    OK(rel_assoc_set(f->db, ann, "Profile", NULL, 0, NULL, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Profiles\""
                                          " WHERE \"UserId\" IS NULL"),
                     2);

    /* A new row given to set is inserted with its key, as Sequelize's save(). */
    rel_record *p3 = rel_new(f->profile);
    OK(rel_set_text(p3, "bio", "three", &E));
    OK(rel_assoc_set(f->db, ann, "Profile", &p3, 1, NULL, &E));
    assert_true(rel_get_int(p3, "id") > 0);
    assert_int_equal(key_of(f, "Profiles", "UserId", p3), ann_id);

    /* createProfile. */
    rel_record *bo = test_saved_row(f->db, f->user, "name", "Bo");
    rel_record *p4 = rel_new(f->profile);
    OK(rel_set_text(p4, "bio", "four", &E));
    size_t before = f->nstmt;
    OK(rel_assoc_create(f->db, bo, "Profile", p4, NULL, &E));
    assert_int_equal(f->nstmt - before, 1);
    assert_int_equal(key_of(f, "Profiles", "UserId", p4), rel_get_int(bo, "id"));
    assert_int_equal(rel_get_int(p4, "UserId"), rel_get_int(bo, "id"));

    rel_record *all[] = {ann, bo, p1, p2, p3, p4};
    test_free_records(all, 6);
}

/* ---------------------------------------------------------------- alias, keys */

static void alias_home(void **state)
{
    fixture *f = *state;
    const char *fk = rel_assoc_foreign_key(f->home);
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *a1 = test_saved_row(f->db, f->address, "street", "Main St");
    rel_record *a2 = rel_new(f->address);
    OK(rel_set_text(a2, "street", "Side St", &E));
    OK(rel_assoc_set(f->db, ann, "home", &a1, 1, NULL, &E));
    assert_int_equal(key_of(f, "Addresses", fk, a1), rel_get_int(ann, "id"));
    OK(rel_assoc_create(f->db, ann, "home", a2, NULL, &E));
    assert_int_equal(key_of(f, "Addresses", fk, a2), rel_get_int(ann, "id"));
    OK(rel_assoc_set(f->db, ann, "home", &a2, 1, NULL, &E));
    assert_int_equal(key_of(f, "Addresses", fk, a1), -1);
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "home", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "street"), "Side St");
    rel_result_free(res);
    rel_error err;
    assert_int_equal(rel_assoc_get(f->db, ann, "Address", NULL, &res, &err), REL_INVALID);
    assert_string_equal(err.message, "Association with alias 'Address' does not exist on User");
    rel_record *all[] = {ann, a1, a2};
    test_free_records(all, 3);
}

static void seeds_source_key_name(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->actor, "name", "Ann");
    rel_record *hamlet = test_saved_row(f->db, f->role, "title", "Hamlet");
    rel_record *lear = test_saved_row(f->db, f->role, "title", "Lear");

    OK(rel_assoc_set(f->db, ann, "Role", &hamlet, 1, NULL, &E));
    assert_string_equal(rel_get_text(hamlet, "actorName"), "Ann");
    char *v = test_sql_scalar(f->url,
                              "SELECT \"actorName\" FROM \"Roles\" WHERE \"title\" = 'Hamlet'");
    assert_string_equal(v, "Ann");
    free(v);

    rel_value lear_id = rel_int(rel_get_int(lear, "id"));
    OK(rel_assoc_set_keys(f->db, ann, "Role", &lear_id, 1, NULL, &E));
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "Role", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "title"), "Lear");
    rel_result_free(res);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Roles\""
                                          " WHERE \"actorName\" IS NULL"),
                     1);

    rel_record *ophelia = rel_new(f->role);
    OK(rel_set_text(ophelia, "title", "Ophelia", &E));
    OK(rel_assoc_create(f->db, ann, "Role", ophelia, NULL, &E));
    assert_string_equal(rel_get_text(ophelia, "actorName"), "Ann");
    rel_record *all[] = {ann, hamlet, lear, ophelia};
    test_free_records(all, 4);
}

static void not_null_key_refuses_unlinking(void **state)
{
    fixture *f = *state;
    rel_record *fr = test_saved_row(f->db, f->country, "name", "France");
    rel_record *paris = rel_new(f->capital);
    OK(rel_set_text(paris, "name", "Paris", &E));
    OK(rel_assoc_create(f->db, fr, "Capital", paris, NULL, &E));
    assert_int_equal(rel_get_int(paris, "countryId"), rel_get_int(fr, "id"));

    /* Another capital would null Paris' NOT NULL key: refused, nothing written. */
    rel_record *lyon = rel_new(f->capital);
    OK(rel_set_text(lyon, "name", "Lyon", &E));
    size_t before = f->nwrite;
    rel_error err;
    assert_int_equal(rel_assoc_set(f->db, fr, "Capital", &lyon, 1, NULL, &err), REL_NOT_NULL);
    assert_non_null(strstr(err.message, "Capital.countryId cannot be null"));
    assert_int_equal(f->nwrite, before);
    assert_true(rel_is_null(lyon, "id"));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Capitals\""), 1);
    assert_int_equal(rel_assoc_set(f->db, fr, "Capital", NULL, 0, NULL, &err), REL_NOT_NULL);

    /* Setting the one linked is fine. */
    OK(rel_assoc_set(f->db, fr, "Capital", &paris, 1, NULL, &E));
    rel_record *all[] = {fr, paris, lyon};
    test_free_records(all, 3);
}

/* ---------------------------------------------------------------- guarantees */

static void set_is_atomic(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *p1 = test_saved_row(f->db, f->profile, "bio", "one");
    rel_record *boom = test_saved_row(f->db, f->profile, "bio", "boom");
    OK(rel_assoc_set(f->db, ann, "Profile", &p1, 1, NULL, &E));
    test_install_boom_trigger(f->db, "UPDATE", "Profiles",
                              "NEW.\"bio\" = 'boom' AND NEW.\"UserId\" IS NOT NULL");
    /* Unlinking p1 succeeds, linking boom fails: p1 stays linked. */
    rel_error err;
    assert_int_not_equal(rel_assoc_set(f->db, ann, "Profile", &boom, 1, NULL, &err), REL_OK);
    assert_non_null(strstr(err.message, "boom"));
    assert_int_equal(key_of(f, "Profiles", "UserId", p1), rel_get_int(ann, "id"));
    assert_int_equal(key_of(f, "Profiles", "UserId", boom), -1);
    assert_true(rel_is_null(boom, "UserId")); /* memory as before */

    rel_value k = rel_int(rel_get_int(boom, "id"));
    assert_int_not_equal(rel_assoc_set_keys(f->db, ann, "Profile", &k, 1, NULL, &err), REL_OK);
    assert_int_equal(key_of(f, "Profiles", "UserId", p1), rel_get_int(ann, "id"));

    /* And boom can still be saved normally afterwards (its state is clean). */
    OK(rel_set_text(boom, "bio", "fine", &E));
    OK(rel_save(f->db, boom, &E));
    assert_int_equal(key_of(f, "Profiles", "UserId", boom), -1);
    rel_record *all[] = {ann, p1, boom};
    test_free_records(all, 3);
}

static void misuse_is_reported(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *p1 = test_saved_row(f->db, f->profile, "bio", "one");
    rel_error err;
    assert_int_equal(rel_assoc_add(f->db, ann, "Profile", &p1, 1, NULL, &err), REL_MISUSE);
    assert_non_null(strstr(err.message, "hasOne"));
    assert_int_equal(rel_assoc_set(f->db, ann, "Profile", (rel_record *[]){p1, p1}, 2, NULL, &err),
                     REL_INVALID);
    /* An unsaved source has no key to link by. */
    rel_record *nobody = rel_new(f->user);
    assert_int_equal(rel_assoc_set(f->db, nobody, "Profile", &p1, 1, NULL, &err), REL_INVALID);
    assert_non_null(strstr(err.message, "User.id is not set"));
    assert_true(rel_is_null(p1, "UserId"));
    rel_result *res = NULL;
    assert_int_equal(rel_assoc_get(f->db, nobody, "Profile", NULL, &res, &err), REL_INVALID);
    /* create takes a new row only. */
    assert_int_equal(rel_assoc_create(f->db, ann, "Profile", p1, NULL, &err), REL_INVALID);
    rel_record *all[] = {ann, p1, nobody};
    test_free_records(all, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(get_set_create, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_home, setup, teardown),
        cmocka_unit_test_setup_teardown(seeds_source_key_name, setup, teardown),
        cmocka_unit_test_setup_teardown(not_null_key_refuses_unlinking, setup, teardown),
        cmocka_unit_test_setup_teardown(set_is_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(misuse_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
