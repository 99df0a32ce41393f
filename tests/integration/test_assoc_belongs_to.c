/* belongsTo association methods on whichever engine REL_TEST_ENGINE names:
 * getX, setX (a row, a key value, or none), createX; the default name, a
 * self-association alias, the seeds' Role.belongsTo(Actor) on `name`, a NOT
 * NULL key; the source row following the database; createX atomic. */
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
    rel_model *org, *emp, *ticket, *actor, *role;
    rel_db *db;
    const char *url;
    size_t nstmt;
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)sql;
    (void)params;
    (void)n;
    ((fixture *)user)->nstmt++;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rel_schema *s = f->schema = rel_schema_new();
    f->org = rel_define(s, "Organization", (rel_attr[]){STR("name"), {0}}, NULL);
    f->emp = rel_define(s, "Employee", (rel_attr[]){STR("name"), {0}}, NULL);
    f->ticket = rel_define(s, "Ticket", (rel_attr[]){STR("title"), {0}}, NULL);
    f->actor = rel_define(s, "Actor", (rel_attr[]){STR_KEY("name"), STR("wardrobe"), {0}}, NULL);
    f->role = rel_define(s, "Role", (rel_attr[]){STR_KEY("title"), {0}}, NULL);
    rel_has_many(f->org, f->emp, NULL);
    rel_belongs_to(f->emp, f->org, NULL);
    rel_belongs_to(f->emp, f->emp, &(rel_assoc_opts){.as = "manager"});
    rel_belongs_to(f->ticket, f->org,
                   &(rel_assoc_opts){.as = "owner",
                                     .foreign_key = {.name = "ownerId", .allow_null = REL_NO}});
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

static long long emp_col(fixture *f, const rel_record *e, const char *col)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"Employees\" WHERE \"id\" = %lld", col,
             (long long)rel_get_int(e, "id"));
    return test_sql_int(f->url, sql);
}

/* ---------------------------------------------------------------- default name */

static void get_set_create(void **state)
{
    fixture *f = *state;
    rel_record *acme = test_saved_row(f->db, f->org, "name", "Acme");
    rel_record *init = test_saved_row(f->db, f->org, "name", "Initech");
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_result *res = NULL;

    /* getOrganization with no key: no row, and no query. */
    size_t before = f->nstmt;
    OK(rel_assoc_get(f->db, ann, "Organization", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 0);
    assert_int_equal(f->nstmt, before);
    rel_result_free(res);

    /* setOrganization(row): one UPDATE of the key; the row follows. */
    before = f->nstmt;
    OK(rel_assoc_set(f->db, ann, "Organization", &acme, 1, NULL, &E));
    assert_int_equal(f->nstmt - before, 1);
    assert_int_equal(rel_get_int(ann, "OrganizationId"), rel_get_int(acme, "id"));
    assert_int_equal(emp_col(f, ann, "OrganizationId"), rel_get_int(acme, "id"));
    /* Saved: nothing left to write, and setting it again writes nothing. */
    before = f->nstmt;
    OK(rel_save(f->db, ann, &E));
    OK(rel_assoc_set(f->db, ann, "Organization", &acme, 1, NULL, &E));
    assert_int_equal(f->nstmt, before);

    OK(rel_assoc_get(f->db, ann, "Organization",
                     &(rel_find_opts){.attributes = (const char *const[]){"name", NULL}}, &res,
                     &E));
    assert_int_equal(rel_result_count(res), 1);
    char *json = rel_result_json(res);
    assert_string_equal(json, "[{\"name\":\"Acme\"}]");
    free(json);
    rel_result_free(res);

    /* By key value; then unset with none and with a NULL key. */
    rel_value k = rel_int(rel_get_int(init, "id"));
    OK(rel_assoc_set_keys(f->db, ann, "Organization", &k, 1, NULL, &E));
    assert_int_equal(emp_col(f, ann, "OrganizationId"), rel_get_int(init, "id"));
    assert_int_equal(rel_get_int(ann, "OrganizationId"), rel_get_int(init, "id"));
    OK(rel_assoc_set(f->db, ann, "Organization", NULL, 0, NULL, &E));
    assert_true(rel_is_null(ann, "OrganizationId"));
    assert_int_equal(emp_col(f, ann, "OrganizationId"), -1);
    OK(rel_assoc_set_keys(f->db, ann, "Organization", &k, 1, NULL, &E));
    rel_value none = rel_null();
    OK(rel_assoc_set_keys(f->db, ann, "Organization", &none, 1, NULL, &E));
    assert_int_equal(emp_col(f, ann, "OrganizationId"), -1);
    OK(rel_assoc_get(f->db, ann, "Organization", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 0);
    rel_result_free(res);

    /* createOrganization: inserts the target, then links it. */
    rel_record *nu = rel_new(f->org);
    OK(rel_set_text(nu, "name", "Globex", &E));
    OK(rel_assoc_create(f->db, ann, "Organization", nu, NULL, &E));
    assert_true(rel_get_int(nu, "id") > 0);
    assert_int_equal(rel_get_int(ann, "OrganizationId"), rel_get_int(nu, "id"));
    assert_int_equal(emp_col(f, ann, "OrganizationId"), rel_get_int(nu, "id"));

    /* A new source row is saved with its key, as Sequelize's save(). */
    rel_record *bo = rel_new(f->emp);
    OK(rel_set_text(bo, "name", "Bo", &E));
    OK(rel_assoc_set(f->db, bo, "Organization", &acme, 1, NULL, &E));
    assert_true(rel_get_int(bo, "id") > 0);
    assert_int_equal(emp_col(f, bo, "OrganizationId"), rel_get_int(acme, "id"));

    /* An unsaved target has no key to link by. */
    rel_record *unsaved = rel_new(f->org);
    rel_error err;
    assert_int_equal(rel_assoc_set(f->db, ann, "Organization", &unsaved, 1, NULL, &err),
                     REL_INVALID);
    assert_int_equal(rel_get_int(ann, "OrganizationId"), rel_get_int(nu, "id"));
    rel_record *all[] = {acme, init, ann, nu, bo, unsaved};
    test_free_records(all, 6);
}

/* ---------------------------------------------------------------- alias, keys */

static void self_alias_manager(void **state)
{
    fixture *f = *state;
    rel_record *boss = test_saved_row(f->db, f->emp, "name", "Boss");
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    OK(rel_assoc_set(f->db, ann, "manager", &boss, 1, NULL, &E));
    assert_int_equal(emp_col(f, ann, "managerId"), rel_get_int(boss, "id"));
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "manager", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "Boss");
    rel_result_free(res);

    rel_record *big = rel_new(f->emp);
    OK(rel_set_text(big, "name", "Big boss", &E));
    OK(rel_assoc_create(f->db, boss, "manager", big, NULL, &E));
    assert_int_equal(emp_col(f, boss, "managerId"), rel_get_int(big, "id"));

    rel_error err;
    assert_int_equal(rel_assoc_get(f->db, ann, "Employee", NULL, &res, &err), REL_INVALID);
    assert_string_equal(err.message,
                        "Association with alias 'Employee' does not exist on Employee");
    rel_record *all[] = {boss, ann, big};
    test_free_records(all, 3);
}

static void seeds_target_key_name(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->actor, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->actor, "name", "Bo");
    rel_record *hamlet = test_saved_row(f->db, f->role, "title", "Hamlet");

    /* Role.setActor(actor) writes the actor's name, not its id. */
    OK(rel_assoc_set(f->db, hamlet, "Actor", &ann, 1, NULL, &E));
    assert_string_equal(rel_get_text(hamlet, "actorName"), "Ann");
    char *v = test_sql_scalar(f->url, "SELECT \"actorName\" FROM \"Roles\" WHERE \"title\" = 'Hamlet'");
    assert_string_equal(v, "Ann");
    free(v);
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, hamlet, "Actor", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), rel_get_int(ann, "id"));
    rel_result_free(res);

    /* A key value is the target key's value (what the foreign key holds). */
    rel_value k = rel_text("Bo");
    OK(rel_assoc_set_keys(f->db, hamlet, "Actor", &k, 1, NULL, &E));
    OK(rel_assoc_get(f->db, hamlet, "Actor", NULL, &res, &E));
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "Bo");
    rel_result_free(res);

    /* A name no actor has: the foreign key refuses it, nothing changes. */
    rel_value ghost = rel_text("Nobody");
    rel_error err;
    assert_int_equal(rel_assoc_set_keys(f->db, hamlet, "Actor", &ghost, 1, NULL, &err),
                     REL_FOREIGN_KEY);
    assert_string_equal(rel_get_text(hamlet, "actorName"), "Bo");

    rel_record *cy = rel_new(f->actor);
    OK(rel_set_text(cy, "name", "Cy", &E));
    OK(rel_assoc_create(f->db, hamlet, "Actor", cy, NULL, &E));
    assert_string_equal(rel_get_text(hamlet, "actorName"), "Cy");
    rel_record *all[] = {ann, bo, hamlet, cy};
    test_free_records(all, 4);
}

static void not_null_key_cannot_be_unset(void **state)
{
    fixture *f = *state;
    rel_record *acme = test_saved_row(f->db, f->org, "name", "Acme");
    rel_record *t = rel_new(f->ticket);
    OK(rel_set_text(t, "title", "bug", &E));
    OK(rel_assoc_set(f->db, t, "owner", &acme, 1, NULL, &E)); /* inserts the ticket */
    assert_true(rel_get_int(t, "id") > 0);
    assert_int_equal(rel_get_int(t, "ownerId"), rel_get_int(acme, "id"));

    size_t before = f->nstmt;
    rel_error err;
    assert_int_equal(rel_assoc_set(f->db, t, "owner", NULL, 0, NULL, &err), REL_NOT_NULL);
    assert_non_null(strstr(err.message, "Ticket.ownerId cannot be null"));
    assert_int_equal(f->nstmt, before);
    assert_int_equal(rel_get_int(t, "ownerId"), rel_get_int(acme, "id"));
    rel_record_free(t);
    rel_record_free(acme);
}

/* ---------------------------------------------------------------- guarantees */

static void create_is_atomic(void **state)
{
    fixture *f = *state;
    rel_record *acme = test_saved_row(f->db, f->org, "name", "Acme");
    rel_record *boom = test_saved_row(f->db, f->emp, "name", "boom");
    OK(rel_assoc_set(f->db, boom, "Organization", &acme, 1, NULL, &E));
    /* Employees named 'boom' cannot be updated any more. */
    test_install_boom_trigger(f->db, "UPDATE", "Employees", "NEW.\"name\" = 'boom'");
    rel_record *nu = rel_new(f->org);
    OK(rel_set_text(nu, "name", "Globex", &E));
    rel_error err;
    assert_int_not_equal(rel_assoc_create(f->db, boom, "Organization", nu, NULL, &err), REL_OK);
    assert_non_null(strstr(err.message, "boom"));
    /* Neither the new organization nor the link is left, in the database or
       in memory. */
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Organizations\""), 1);
    assert_int_equal(emp_col(f, boom, "OrganizationId"), rel_get_int(acme, "id"));
    assert_int_equal(rel_get_int(boom, "OrganizationId"), rel_get_int(acme, "id"));
    assert_true(rel_is_null(nu, "id"));

    /* The same row can be created once the obstacle is gone. */
    OK(rel_exec(f->db,
                test_is_postgres() ? "DROP TRIGGER boom ON \"Employees\"" : "DROP TRIGGER boom",
                NULL, 0, &E));
    OK(rel_assoc_create(f->db, boom, "Organization", nu, NULL, &E));
    assert_int_equal(emp_col(f, boom, "OrganizationId"), rel_get_int(nu, "id"));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Organizations\""), 2);

    /* Inside the caller's transaction: the caller's rollback undoes it. */
    rel_record *nu2 = rel_new(f->org);
    OK(rel_set_text(nu2, "name", "Hooli", &E));
    OK(rel_begin(f->db, &E));
    OK(rel_assoc_create(f->db, boom, "Organization", nu2, NULL, &E));
    OK(rel_rollback(f->db, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Organizations\""), 2);
    rel_record_free(nu2);
    rel_record_free(nu);
    rel_record_free(boom);
    rel_record_free(acme);
}

static void misuse_is_reported(void **state)
{
    fixture *f = *state;
    rel_record *acme = test_saved_row(f->db, f->org, "name", "Acme");
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->emp, "name", "Bo");
    rel_error err;
    int64_t n;
    bool has;
    assert_int_equal(rel_assoc_count(f->db, ann, "Organization", NULL, &n, &err), REL_MISUSE);
    assert_non_null(strstr(err.message, "belongsTo"));
    assert_int_equal(rel_assoc_add(f->db, ann, "Organization", &acme, 1, NULL, &err),
                     REL_MISUSE);
    assert_int_equal(rel_assoc_has(f->db, ann, "Organization", &acme, 1, &has, &err),
                     REL_MISUSE);
    assert_int_equal(rel_assoc_remove(f->db, ann, "Organization", &acme, 1, &err), REL_MISUSE);
    assert_int_equal(rel_assoc_set(f->db, ann, "Organization", (rel_record *[]){acme, acme}, 2,
                                   NULL, &err),
                     REL_INVALID);
    assert_int_equal(rel_assoc_set(f->db, ann, "Organization", &bo, 1, NULL, &err), REL_INVALID);
    assert_string_equal(err.message, "Organization: target 0 is a Employee, not a Organization");
    assert_int_equal(rel_assoc_set(f->db, ann, "Organization", &acme, 1, acme, &err),
                     REL_INVALID);
    assert_int_equal(rel_assoc_set(NULL, ann, "Organization", &acme, 1, NULL, &err), REL_MISUSE);
    rel_record *all[] = {acme, ann, bo};
    test_free_records(all, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(get_set_create, setup, teardown),
        cmocka_unit_test_setup_teardown(self_alias_manager, setup, teardown),
        cmocka_unit_test_setup_teardown(seeds_target_key_name, setup, teardown),
        cmocka_unit_test_setup_teardown(not_null_key_cannot_be_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(create_is_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(misuse_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
