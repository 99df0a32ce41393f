/* belongsToMany association methods on whichever engine REL_TEST_ENGINE names:
 * getXs (each row with its junction row; where on the target and on the
 * junction), countXs, hasX(s), setXs, addX(s), removeX(s), createX; default
 * names from both sides, an alias, a self-association (friends), junction
 * attributes (insert, update when different, never a duplicate), the seeds'
 * Costume.belongsToMany(Actor) on `name` and `wardrobe`; the statement count
 * not growing with the rows; atomicity under failures in the middle; an
 * add without junction values as one upsert (a read after it only when it
 * linked nothing), re-adding leaving links untouched, new, linked and
 * missing targets in one add, and beside a set. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
#define STR_KEY(n, nullable)                                                          \
    {.name = (n), .type = REL_STRING, .unique = true, .allow_null = (nullable)}

typedef struct fixture {
    rel_schema *schema;
    rel_model *emp, *task, *user, *group, *student, *course, *enrollment, *actor, *costume;
    rel_db *db;
    const char *url;
    size_t nstmt, ninsert, nupdate, ndelete, ntx;
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)params;
    (void)n;
    fixture *f = user;
    f->nstmt++;
    f->ninsert += strncmp(sql, "INSERT", 6) == 0;
    f->nupdate += strncmp(sql, "UPDATE", 6) == 0;
    f->ndelete += strncmp(sql, "DELETE", 6) == 0;
    f->ntx += strncmp(sql, "BEGIN", 5) == 0 || strncmp(sql, "SAVEPOINT", 9) == 0 ||
              strncmp(sql, "COMMIT", 6) == 0 || strncmp(sql, "RELEASE", 7) == 0 ||
              strncmp(sql, "ROLLBACK", 8) == 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rel_schema *s = f->schema = rel_schema_new();
    f->emp = rel_define(s, "Employee", (rel_attr[]){STR("name"), {0}}, NULL);
    f->task = rel_define(s, "Task", (rel_attr[]){STR("title"), {0}}, NULL);
    f->user = rel_define(s, "User", (rel_attr[]){STR("name"), {0}}, NULL);
    f->group = rel_define(s, "Group", (rel_attr[]){STR("name"), {0}}, NULL);
    f->student = rel_define(s, "Student", (rel_attr[]){STR("name"), {0}}, NULL);
    f->course = rel_define(s, "Course", (rel_attr[]){STR("title"), {0}}, NULL);
    f->enrollment = rel_define(s, "Enrollment", (rel_attr[]){STR("role"), {0}}, NULL);
    f->actor = rel_define(s, "Actor",
                          (rel_attr[]){STR_KEY("name", REL_NO), STR_KEY("wardrobe", REL_DEFAULT),
                                       {0}},
                          NULL);
    f->costume = rel_define(s, "Costume", (rel_attr[]){STR_KEY("name", REL_NO), {0}}, NULL);

    rel_belongs_to_many(f->emp, f->task, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_belongs_to_many(f->task, f->emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_belongs_to_many(f->user, f->user,
                        &(rel_assoc_opts){.as = "friends", .through = "Friendships"});
    rel_belongs_to_many(f->user, f->group,
                        &(rel_assoc_opts){.as = "teams", .through = "Memberships"});
    rel_belongs_to_many(f->student, f->course, &(rel_assoc_opts){.through = "Enrollment"});
    rel_belongs_to_many(f->course, f->student, &(rel_assoc_opts){.through = "Enrollment"});
    rel_belongs_to_many(f->costume, f->actor,
                        &(rel_assoc_opts){.through = "actor_costumes", .source_key = "name",
                                          .target_key = "wardrobe"});
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

static long long countf(fixture *f, const char *fmt, long long a, long long b)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, a, b);
    return test_sql_int(f->url, sql);
}

static int64_t id_of(const rel_record *r)
{
    return rel_get_int(r, "id");
}

/* ---------------------------------------------------------------- default names */

static void default_names_both_sides(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t[3];
    const char *titles[3] = {"build", "ship", "test"};
    for (int i = 0; i < 3; i++)
        t[i] = test_saved_row(f->db, f->task, "title", titles[i]);

    /* addTask / addTasks; the singular name works as Sequelize's addTask. */
    OK(rel_assoc_add(f->db, ann, "Task", &t[0], 1, NULL, &E));
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 2, NULL, &E)); /* t0 again: no duplicate */
    assert_int_equal(countf(f, "SELECT count(*) FROM \"EmployeeTasks\" WHERE \"EmployeeId\" = %lld"
                               " AND \"TaskId\" <> %lld",
                            id_of(ann), 0),
                     2);

    /* Re-adding what is linked writes nothing: its INSERT finds every link
       there and adds no row (readd_leaves_links_untouched checks the rows). */
    size_t writes = f->nupdate + f->ndelete;
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 2, NULL, &E));
    assert_int_equal(f->nupdate + f->ndelete, writes);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 2);

    /* getTasks: each row carries its junction row under the junction's name. */
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "Tasks", &(rel_find_opts){.order = "[\"title\"]"}, &res, &E));
    assert_int_equal(rel_result_count(res), 2);
    rel_record *r0 = rel_result_row(res, 0);
    assert_string_equal(rel_get_text(r0, "title"), "build");
    rel_record *j0 = rel_get_through(r0);
    assert_non_null(j0);
    assert_int_equal(rel_get_int(j0, "EmployeeId"), id_of(ann));
    assert_int_equal(rel_get_int(j0, "TaskId"), id_of(t[0]));
    char *json = rel_result_json(res);
    assert_non_null(strstr(json, "\"title\":\"build\""));
    assert_non_null(strstr(json, "\"EmployeeTasks\":{\"createdAt\":"));
    free(json);
    rel_result_free(res);

    /* where on the target, limit, attributes (the key read to pair rows is
       not shown). */
    OK(rel_assoc_get(f->db, ann, "Tasks",
                     &(rel_find_opts){.where = "{\"title\":{\"ne\":\"build\"}}",
                                      .attributes = (const char *const[]){"title", NULL},
                                      .limit = 5},
                     &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    json = rel_result_json(res);
    assert_true(strncmp(json, "[{\"title\":\"ship\",\"EmployeeTasks\":{", 33) == 0);
    free(json);
    rel_result_free(res);

    /* The other side sees the same junction. */
    OK(rel_assoc_get(f->db, t[1], "Employees", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "Ann");
    assert_non_null(rel_get_through(rel_result_row(res, 0)));
    rel_result_free(res);

    /* countTasks, hasTask(s). */
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 2);
    OK(rel_assoc_count(f->db, ann, "Tasks", "{\"title\":\"ship\"}", &n, &E));
    assert_int_equal(n, 1);
    bool has = false;
    OK(rel_assoc_has(f->db, ann, "Tasks", t, 2, &has, &E));
    assert_true(has);
    OK(rel_assoc_has(f->db, ann, "Tasks", t, 3, &has, &E));
    assert_false(has);
    rel_value k2 = rel_int(id_of(t[2]));
    OK(rel_assoc_has_keys(f->db, ann, "Tasks", &k2, 1, &has, &E));
    assert_false(has);

    /* removeTask: junction row only; removing what is not linked is a no-op. */
    OK(rel_assoc_remove(f->db, ann, "Tasks", &t[0], 1, &E));
    OK(rel_assoc_remove(f->db, ann, "Tasks", &t[2], 1, &E));
    OK(rel_assoc_remove_keys(f->db, ann, "Tasks", &k2, 1, &E));
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 1);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Tasks\""), 3);
    test_free_records(t, 3);
    rel_record_free(ann);
}

static void set_and_create(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->emp, "name", "Bo");
    rel_record *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = test_saved_row(f->db, f->task, "title", "x");
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 2, NULL, &E));
    OK(rel_assoc_add(f->db, bo, "Tasks", t, 1, NULL, &E));

    /* setTasks([t1, t2, t3]): t0 unlinked (for Ann only), others linked. */
    OK(rel_assoc_set(f->db, ann, "Tasks", t + 1, 3, NULL, &E));
    bool has = false;
    OK(rel_assoc_has(f->db, ann, "Tasks", t + 1, 3, &has, &E));
    assert_true(has);
    OK(rel_assoc_has(f->db, ann, "Tasks", t, 1, &has, &E));
    assert_false(has);
    OK(rel_assoc_has(f->db, bo, "Tasks", t, 1, &has, &E));
    assert_true(has);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 4);

    /* By keys, then to nothing. */
    rel_value k = rel_int(id_of(t[3]));
    OK(rel_assoc_set_keys(f->db, ann, "Tasks", &k, 1, NULL, &E));
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 1);
    OK(rel_assoc_set(f->db, ann, "Tasks", NULL, 0, NULL, &E));
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 0);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Tasks\""), 4);

    /* createTask: the task and its junction row, in one transaction. */
    rel_record *nt = rel_new(f->task);
    OK(rel_set_text(nt, "title", "new", &E));
    OK(rel_assoc_create(f->db, ann, "Tasks", nt, NULL, &E));
    assert_true(id_of(nt) > 0);
    assert_int_equal(countf(f, "SELECT count(*) FROM \"EmployeeTasks\" WHERE \"EmployeeId\" = %lld"
                               " AND \"TaskId\" = %lld",
                            id_of(ann), id_of(nt)),
                     1);

    /* A key that names no row is refused, and nothing changes. */
    rel_value missing = rel_int(999999);
    rel_error err;
    assert_int_equal(rel_assoc_add_keys(f->db, ann, "Tasks", &missing, 1, NULL, &err),
                     REL_NOT_FOUND);
    assert_string_equal(err.message, "Tasks: Task with id 999999 not found");
    assert_int_equal(rel_assoc_set_keys(f->db, ann, "Tasks", &missing, 1, NULL, &err),
                     REL_NOT_FOUND);
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 1);
    test_free_records(t, 4);
    rel_record_free(nt);
    rel_record_free(ann);
    rel_record_free(bo);
}

/* ---------------------------------------------------------------- self, alias */

static void self_association_friends(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->user, "name", "Bo");
    rel_record *cy = test_saved_row(f->db, f->user, "name", "Cy");

    OK(rel_assoc_add(f->db, ann, "friends", (rel_record *[]){bo, cy}, 2, NULL, &E));
    OK(rel_assoc_add(f->db, ann, "friend", &bo, 1, NULL, &E)); /* addFriend: no duplicate */
    assert_int_equal(countf(f, "SELECT count(*) FROM \"Friendships\" WHERE \"UserId\" = %lld"
                               " AND \"friendId\" <> %lld",
                            id_of(ann), 0),
                     2);

    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "friends", &(rel_find_opts){.order = "[[\"name\",\"DESC\"]]"},
                     &res, &E));
    assert_int_equal(rel_result_count(res), 2);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "Cy");
    rel_record *j = rel_get_through(rel_result_row(res, 0));
    assert_non_null(j);
    assert_int_equal(rel_get_int(j, "UserId"), id_of(ann));
    assert_int_equal(rel_get_int(j, "friendId"), id_of(cy));
    char *json = rel_result_json(res);
    assert_non_null(strstr(json, "\"Friendships\":{"));
    free(json);
    rel_result_free(res);

    /* Friendship has a direction: Bo has no friends yet. */
    int64_t n = -1;
    OK(rel_assoc_count(f->db, bo, "friends", NULL, &n, &E));
    assert_int_equal(n, 0);
    bool has = true;
    OK(rel_assoc_has(f->db, bo, "friends", &ann, 1, &has, &E));
    assert_false(has);
    OK(rel_assoc_has(f->db, ann, "friends", (rel_record *[]){bo, cy}, 2, &has, &E));
    assert_true(has);
    OK(rel_assoc_has(f->db, ann, "friends", &ann, 1, &has, &E));
    assert_false(has);

    OK(rel_assoc_remove(f->db, ann, "friends", &bo, 1, &E));
    OK(rel_assoc_count(f->db, ann, "friends", NULL, &n, &E));
    assert_int_equal(n, 1);
    OK(rel_assoc_set(f->db, bo, "friends", (rel_record *[]){ann, cy}, 2, NULL, &E));
    OK(rel_assoc_count(f->db, bo, "friends", NULL, &n, &E));
    assert_int_equal(n, 2);

    rel_record *dee = rel_new(f->user);
    OK(rel_set_text(dee, "name", "Dee", &E));
    OK(rel_assoc_create(f->db, cy, "friends", dee, NULL, &E));
    OK(rel_assoc_has(f->db, cy, "friends", &dee, 1, &has, &E));
    assert_true(has);
    rel_record *all[] = {ann, bo, cy, dee};
    test_free_records(all, 4);
}

static void alias_teams(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *g1 = test_saved_row(f->db, f->group, "name", "red");
    rel_record *g2 = test_saved_row(f->db, f->group, "name", "blue");
    OK(rel_assoc_add(f->db, ann, "teams", (rel_record *[]){g1, g2}, 2, NULL, &E));
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "teams", "{\"name\":\"red\"}", &n, &E));
    assert_int_equal(n, 1);
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "teams", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 2);
    char *json = rel_result_json(res);
    assert_non_null(strstr(json, "\"Memberships\":{"));
    free(json);
    rel_result_free(res);
    rel_error err;
    assert_int_equal(rel_assoc_get(f->db, ann, "Groups", NULL, &res, &err), REL_INVALID);
    assert_string_equal(err.message, "Association with alias 'Groups' does not exist on User");
    assert_null(res);
    OK(rel_assoc_remove(f->db, ann, "teams", &g1, 1, &E));
    OK(rel_assoc_count(f->db, ann, "teams", NULL, &n, &E));
    assert_int_equal(n, 1);
    rel_record *all[] = {ann, g1, g2};
    test_free_records(all, 3);
}

/* ---------------------------------------------------------------- junction attributes */

static rel_record *enrollment_role(fixture *f, const char *role)
{
    rel_record *r = rel_new(f->enrollment);
    OK(rel_set_text(r, "role", role, &E));
    return r;
}

static char *role_of(fixture *f, const rel_record *s, const rel_record *c)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT \"role\" FROM \"Enrollments\" WHERE \"StudentId\" = %lld AND \"CourseId\" = "
             "%lld",
             (long long)id_of(s), (long long)id_of(c));
    return test_sql_scalar(f->url, sql);
}

static void junction_attributes(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->student, "name", "Ann");
    rel_record *c1 = test_saved_row(f->db, f->course, "title", "math");
    rel_record *c2 = test_saved_row(f->db, f->course, "title", "art");
    rel_record *lead = enrollment_role(f, "lead");
    rel_record *extra = enrollment_role(f, "extra");
    char *role;

    OK(rel_assoc_add(f->db, ann, "Courses", &c1, 1, lead, &E));
    role = role_of(f, ann, c1);
    assert_string_equal(role, "lead");
    free(role);

    /* Same values again: nothing written. */
    size_t ins = f->ninsert, upd = f->nupdate;
    OK(rel_assoc_add(f->db, ann, "Courses", &c1, 1, lead, &E));
    assert_int_equal(f->ninsert, ins);
    assert_int_equal(f->nupdate, upd);

    /* Different values: the existing row is updated, a missing one inserted,
       with one statement each. */
    ins = f->ninsert;
    upd = f->nupdate;
    OK(rel_assoc_add(f->db, ann, "Courses", (rel_record *[]){c1, c2}, 2, extra, &E));
    assert_int_equal(f->ninsert - ins, 1);
    assert_int_equal(f->nupdate - upd, 1);
    role = role_of(f, ann, c1);
    assert_string_equal(role, "extra");
    free(role);
    role = role_of(f, ann, c2);
    assert_string_equal(role, "extra");
    free(role);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\""), 2);

    /* set with values: kept rows updated when they differ. */
    OK(rel_assoc_set(f->db, ann, "Courses", &c2, 1, lead, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\""), 1);
    role = role_of(f, ann, c2);
    assert_string_equal(role, "lead");
    free(role);
    OK(rel_assoc_add(f->db, ann, "Courses", &c1, 1, extra, &E));

    /* get: junction row with its attribute; where on the junction. */
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "Courses",
                     &(rel_find_opts){.where = "{\"Enrollment\":{\"role\":\"lead\"}}"}, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "title"), "art");
    assert_string_equal(rel_get_text(rel_get_through(rel_result_row(res, 0)), "role"), "lead");
    char *json = rel_result_json(res);
    assert_non_null(strstr(json, "\"Enrollment\":{\"role\":\"lead\""));
    free(json);
    rel_result_free(res);
    OK(rel_assoc_get(f->db, ann, "Courses",
                     &(rel_find_opts){.where = "{\"title\":\"art\",\"Enrollment\":{\"role\":"
                                               "\"extra\"}}"},
                     &res, &E));
    assert_int_equal(rel_result_count(res), 0);
    rel_result_free(res);
    /* The same through through_where, as getCourses({ through: { where } }). */
    OK(rel_assoc_get(f->db, ann, "Courses",
                     &(rel_find_opts){.through_where = "{\"role\":\"lead\"}"}, &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "title"), "art");
    rel_result_free(res);
    OK(rel_assoc_get(f->db, ann, "Courses",
                     &(rel_find_opts){.where = "{\"Enrollment\":{\"role\":\"lead\"}}",
                                      .through_where = "{\"role\":\"extra\"}"},
                     &res, &E));
    assert_int_equal(rel_result_count(res), 0);
    rel_result_free(res);
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "Courses", "{\"Enrollment\":{\"role\":\"extra\"}}", &n, &E));
    assert_int_equal(n, 1);

    /* The other side, and create with values. */
    rel_record *bo = rel_new(f->student);
    OK(rel_set_text(bo, "name", "Bo", &E));
    OK(rel_assoc_create(f->db, c1, "Students", bo, lead, &E));
    role = role_of(f, bo, c1);
    assert_string_equal(role, "lead");
    free(role);

    /* Values of another model are refused. */
    rel_error err;
    assert_int_equal(rel_assoc_add(f->db, ann, "Courses", &c1, 1, ann, &err), REL_INVALID);
    rel_record *all[] = {ann, c1, c2, lead, extra, bo};
    test_free_records(all, 6);
}

/* ---------------------------------------------------------------- custom keys */

static rel_record *make_actor(fixture *f, const char *name, const char *wardrobe)
{
    rel_record *r = rel_new(f->actor);
    OK(rel_set_text(r, "name", name, &E));
    OK(rel_set_text(r, "wardrobe", wardrobe, &E));
    OK(rel_save(f->db, r, &E));
    return r;
}

static void seeds_source_and_target_keys(void **state)
{
    fixture *f = *state;
    rel_record *ann = make_actor(f, "Ann", "w-ann");
    rel_record *bo = make_actor(f, "Bo", "w-bo");
    rel_record *cy = make_actor(f, "Cy", NULL);
    rel_record *cape = test_saved_row(f->db, f->costume, "name", "cape");

    OK(rel_assoc_add(f->db, cape, "Actors", &ann, 1, NULL, &E));
    char *v = test_sql_scalar(f->url, "SELECT \"ActorWardrobe\" FROM \"actor_costumes\" WHERE "
                                      "\"CostumeName\" = 'cape'");
    assert_non_null(v);
    assert_string_equal(v, "w-ann");
    free(v);

    /* Key values are Actor ids; the junction holds wardrobes. */
    rel_value bo_id = rel_int(id_of(bo));
    OK(rel_assoc_add_keys(f->db, cape, "Actors", &bo_id, 1, NULL, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"actor_costumes\" WHERE "
                                          "\"ActorWardrobe\" = 'w-bo'"
                                          " AND \"CostumeName\" = 'cape'"),
                     1);

    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, cape, "Actors", &(rel_find_opts){.order = "[\"name\"]"}, &res, &E));
    assert_int_equal(rel_result_count(res), 2);
    assert_string_equal(rel_get_text(rel_result_row(res, 1), "name"), "Bo");
    rel_record *j = rel_get_through(rel_result_row(res, 1));
    assert_string_equal(rel_get_text(j, "CostumeName"), "cape");
    assert_string_equal(rel_get_text(j, "ActorWardrobe"), "w-bo");
    char *json = rel_result_json(res);
    assert_non_null(strstr(json, "\"actor_costumes\":{"));
    free(json);
    rel_result_free(res);

    bool has = false;
    OK(rel_assoc_has_keys(f->db, cape, "Actors", &bo_id, 1, &has, &E));
    assert_true(has);
    OK(rel_assoc_has(f->db, cape, "Actors", (rel_record *[]){ann, bo}, 2, &has, &E));
    assert_true(has);

    /* An actor without a wardrobe cannot be linked. */
    rel_error err;
    assert_int_equal(rel_assoc_add(f->db, cape, "Actors", &cy, 1, NULL, &err), REL_INVALID);
    rel_value cy_id = rel_int(id_of(cy));
    assert_int_equal(rel_assoc_add_keys(f->db, cape, "Actors", &cy_id, 1, NULL, &err),
                     REL_INVALID);

    /* remove by id goes through the wardrobe. */
    OK(rel_assoc_remove_keys(f->db, cape, "Actors", &bo_id, 1, &E));
    int64_t n = 0;
    OK(rel_assoc_count(f->db, cape, "Actors", NULL, &n, &E));
    assert_int_equal(n, 1);

    /* set by rows, then remove by row. */
    OK(rel_assoc_set(f->db, cape, "Actors", &bo, 1, NULL, &E));
    OK(rel_assoc_has(f->db, cape, "Actors", &ann, 1, &has, &E));
    assert_false(has);
    OK(rel_assoc_remove(f->db, cape, "Actors", &bo, 1, &E));
    OK(rel_assoc_count(f->db, cape, "Actors", NULL, &n, &E));
    assert_int_equal(n, 0);

    /* create: the actor row and the junction row by wardrobe. */
    rel_record *dee = rel_new(f->actor);
    OK(rel_set_text(dee, "name", "Dee", &E));
    OK(rel_set_text(dee, "wardrobe", "w-dee", &E));
    OK(rel_assoc_create(f->db, cape, "Actors", dee, NULL, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"actor_costumes\" WHERE "
                                          "\"ActorWardrobe\" = 'w-dee'"),
                     1);
    rel_record *all[] = {ann, bo, cy, cape, dee};
    test_free_records(all, 5);
}

/* ---------------------------------------------------------------- guarantees */

static void statements_do_not_grow_with_rows(void **state)
{
    fixture *f = *state;
    enum { N = 1000 };
    rel_record *ann = test_saved_row(f->db, f->student, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->student, "name", "Bo");
    rel_record **rows = calloc(N, sizeof *rows);
    rel_value *keys = calloc(N, sizeof *keys);
    test_bulk_rows(f->db, f->course, "title", "bulk", N, rows, keys);
    rel_record *lead = enrollment_role(f, "lead");
    rel_record *extra = enrollment_role(f, "extra");

    size_t before = f->nstmt;
    OK(rel_assoc_add(f->db, bo, "Courses", rows, 1, lead, &E));
    size_t one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_add(f->db, ann, "Courses", rows, N, lead, &E));
    assert_int_equal(f->nstmt - before, one);
    assert_true(one <= 5); /* BEGIN, SELECT, INSERT, COMMIT */
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\""), N + 1);

    /* Updating differing junction rows: one more statement, whatever n. */
    before = f->nstmt;
    OK(rel_assoc_add(f->db, bo, "Courses", rows, 1, extra, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_add_keys(f->db, ann, "Courses", keys, N, extra, &E));
    assert_int_equal(f->nstmt - before, one);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\""
                                          " WHERE \"role\" = 'extra'"),
                     N + 1);

    before = f->nstmt;
    OK(rel_assoc_has(f->db, bo, "Courses", rows, 1, &(bool){false}, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    bool has = false;
    OK(rel_assoc_has_keys(f->db, ann, "Courses", keys, N, &has, &E));
    assert_true(has);
    assert_int_equal(f->nstmt - before, one);

    before = f->nstmt;
    OK(rel_assoc_set(f->db, bo, "Courses", rows + 1, 1, NULL, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_set(f->db, bo, "Courses", rows, N, NULL, &E));
    assert_int_equal(f->nstmt - before, one);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\""), 2 * N);

    before = f->nstmt;
    OK(rel_assoc_remove(f->db, bo, "Courses", rows, 1, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_remove_keys(f->db, ann, "Courses", keys, N, &E));
    assert_int_equal(f->nstmt - before, one);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\""), N - 1);

    test_free_records(rows, N);
    free(rows);
    free(keys);
    rel_record *all[] = {ann, bo, lead, extra};
    test_free_records(all, 4);
}

/* A trigger refuses junction rows for tasks titled 'boom'. */
static void install_boom_trigger(fixture *f)
{
    test_install_boom_trigger(f->db, "INSERT", "EmployeeTasks",
                              "EXISTS (SELECT 1 FROM \"Tasks\" WHERE \"id\" = NEW.\"TaskId\""
                              " AND \"title\" = 'boom')");
}

static void failure_in_the_middle_leaves_no_trace(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t[5];
    const char *titles[5] = {"a", "b", "c", "d", "boom"};
    for (int i = 0; i < 5; i++)
        t[i] = test_saved_row(f->db, f->task, "title", titles[i]);
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 2, NULL, &E)); /* a, b */
    install_boom_trigger(f);

    /* set([c, boom]) deletes a and b, then fails inserting: all undone. */
    rel_error err;
    rel_status st = rel_assoc_set(f->db, ann, "Tasks", t + 2, 3, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    assert_non_null(strstr(err.message, "boom"));
    bool has = false;
    OK(rel_assoc_has(f->db, ann, "Tasks", t, 2, &has, &E));
    assert_true(has);
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 2);

    /* A multi-row add failing on one row adds none. */
    st = rel_assoc_add(f->db, ann, "Tasks", t + 2, 3, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 2);

    /* create whose link fails: the new task is not kept either. */
    rel_record *nt = rel_new(f->task);
    OK(rel_set_text(nt, "title", "boom", &E));
    long long tasks = test_sql_int(f->url, "SELECT count(*) FROM \"Tasks\"");
    st = rel_assoc_create(f->db, ann, "Tasks", nt, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Tasks\""), tasks);
    assert_false(rel_has_attr(nt, "id") && !rel_is_null(nt, "id"));

    /* Inside the caller's transaction only the method's part is undone. */
    OK(rel_begin(f->db, &E));
    OK(rel_assoc_remove(f->db, ann, "Tasks", t, 1, &E));
    st = rel_assoc_add(f->db, ann, "Tasks", t + 3, 2, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    OK(rel_assoc_add(f->db, ann, "Tasks", t + 2, 1, NULL, &E));
    OK(rel_commit(f->db, &E));
    OK(rel_assoc_has(f->db, ann, "Tasks", (rel_record *[]){t[1], t[2]}, 2, &has, &E));
    assert_true(has);
    OK(rel_assoc_count(f->db, ann, "Tasks", NULL, &n, &E));
    assert_int_equal(n, 2);
    test_free_records(t, 5);
    rel_record_free(nt);
    rel_record_free(ann);
}

/* ------------------------------------------------- add without junction values */

/* To a junction unique over its two keys, an add without junction values
 * is one INSERT ... SELECT (an upsert), with no transaction of its own and no
 * lock, on the generated junction and on a through model with its own id; a
 * read follows only when that INSERT linked nothing. */
static void add_without_values_is_one_write(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t[3];
    const char *titles[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++)
        t[i] = test_saved_row(f->db, f->task, "title", titles[i]);

    size_t stmt = f->nstmt, ins = f->ninsert, tx = f->ntx;
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 1, NULL, &E));
    assert_int_equal(f->nstmt - stmt, 1); /* INSERT ... SELECT */
    assert_int_equal(f->ninsert - ins, 1);
    assert_int_equal(f->ntx - tx, 0);

    /* By key, as addTask(id): the same single statement. */
    rel_value k2 = rel_int(id_of(t[2]));
    stmt = f->nstmt;
    OK(rel_assoc_add_keys(f->db, ann, "Tasks", &k2, 1, NULL, &E));
    assert_int_equal(f->nstmt - stmt, 1);
    OK(rel_assoc_remove_keys(f->db, ann, "Tasks", &k2, 1, &E));

    /* Linked already: the INSERT links nothing, then a read tells that the
     * target is there (not missing). */
    stmt = f->nstmt, ins = f->ninsert;
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 1, NULL, &E));
    assert_int_equal(f->nstmt - stmt, 2);
    assert_int_equal(f->ninsert - ins, 1);

    /* An existing link and a new one: the one INSERT, of the new one only. */
    stmt = f->nstmt, ins = f->ninsert, tx = f->ntx;
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 2, NULL, &E));
    assert_int_equal(f->nstmt - stmt, 1);
    assert_int_equal(f->ninsert - ins, 1);
    assert_int_equal(f->ntx - tx, 0);
    assert_int_equal(countf(f, "SELECT count(*) FROM \"EmployeeTasks\" WHERE \"EmployeeId\" = %lld"
                               " AND \"TaskId\" IN (%lld, (SELECT min(\"id\") FROM \"Tasks\"))",
                            id_of(ann), id_of(t[1])),
                     2);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 2);

    /* With junction values it stays one transaction (BEGIN ... COMMIT). */
    rel_record *bo = test_saved_row(f->db, f->student, "name", "Bo");
    rel_record *c[2];
    c[0] = test_saved_row(f->db, f->course, "title", "x");
    c[1] = test_saved_row(f->db, f->course, "title", "y");
    rel_record *lead = enrollment_role(f, "lead");
    tx = f->ntx;
    OK(rel_assoc_add(f->db, bo, "Courses", c, 2, lead, &E));
    assert_int_equal(f->ntx - tx, 2);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Enrollments\" WHERE \"role\" ="
                                          " 'lead'"),
                     2);

    rel_record *all[] = {ann, t[0], t[1], t[2], bo, c[0], c[1], lead};
    test_free_records(all, 8);
}

/* A through model with its own serial id and a UNIQUE pair: the same, and
 * no id is spent on a link that existed (as Sequelize's add, which reads
 * first). A through model with its own key and unique: false is not unique
 * over the pair: there add keeps its transaction. */
static void add_without_values_own_id_junction(void **state)
{
    fixture *f = *state;
    rel_schema *s = rel_schema_new();
    rel_model *p = rel_define(s, "Person", (rel_attr[]){STR("name"), {0}}, NULL);
    rel_model *club = rel_define(s, "Club", (rel_attr[]){STR("name"), {0}}, NULL);
    rel_model *m = rel_define(
        s, "Member",
        (rel_attr[]){{.name = "id", .type = REL_INTEGER, .primary_key = true,
                      .auto_increment = true},
                     STR("role"),
                     {0}},
        NULL);
    rel_define(s, "Tag", (rel_attr[]){STR("name"), {0}}, NULL);
    rel_define(s, "Badge",
               (rel_attr[]){{.name = "id", .type = REL_INTEGER, .primary_key = true,
                             .auto_increment = true},
                            {0}},
               NULL);
    rel_belongs_to_many(p, club, &(rel_assoc_opts){.through = "Member"});
    rel_belongs_to_many(p, rel_schema_model(s, "Tag"),
                        &(rel_assoc_opts){.through = "Badge", .through_unique = REL_NO});
    (void)m;
    const char *url = test_db_url();
    rel_db *db = test_open_synced(s, url);
    rel_set_logger(db, logger, f);
    rel_record *ann = test_saved_row(db, p, "name", "Ann");
    rel_record *c[2];
    c[0] = test_saved_row(db, club, "name", "x");
    c[1] = test_saved_row(db, club, "name", "y");
    OK(rel_assoc_add(db, ann, "Clubs", c, 1, NULL, &E));
    size_t stmt = f->nstmt, tx = f->ntx;
    OK(rel_assoc_add(db, ann, "Clubs", c, 2, NULL, &E));
    assert_int_equal(f->nstmt - stmt, 1);
    assert_int_equal(f->ntx - tx, 0);
    assert_int_equal(test_sql_int(url, "SELECT count(*) FROM \"Members\""), 2);
    assert_int_equal(test_sql_int(url, "SELECT max(\"id\") FROM \"Members\""), 2);
    /* Re-adding spends no id either: the next link gets 3. */
    OK(rel_assoc_add(db, ann, "Clubs", c, 2, NULL, &E));
    OK(rel_assoc_add(db, ann, "Clubs", c + 1, 1, NULL, &E));
    rel_record *z = test_saved_row(db, club, "name", "z");
    OK(rel_assoc_add(db, ann, "Clubs", &z, 1, NULL, &E));
    assert_int_equal(test_sql_int(url, "SELECT max(\"id\") FROM \"Members\""), 3);

    rel_record *tag = test_saved_row(db, rel_schema_model(s, "Tag"), "name", "t");
    tx = f->ntx;
    OK(rel_assoc_add(db, ann, "Tags", &tag, 1, NULL, &E));
    assert_int_equal(f->ntx - tx, 2); /* BEGIN, COMMIT */

    rel_record *all[] = {ann, c[0], c[1], tag, z};
    test_free_records(all, 5);
    rel_close(db);
    rel_schema_free(s);
}

static void add_without_values_missing_target(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t = test_saved_row(f->db, f->task, "title", "a");
    rel_value keys[2] = {rel_int(id_of(t)), rel_int(999999)};
    rel_error err;
    rel_status st = rel_assoc_add_keys(f->db, ann, "Tasks", keys, 2, NULL, &err);
    assert_int_equal(st, REL_NOT_FOUND);
    if (strcmp(err.message, "Tasks: Task with id 999999 not found") != 0)
        fail_msg("message: %s", err.message);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 0);

    /* Inside the caller's transaction, which goes on after it. */
    OK(rel_begin(f->db, &E));
    st = rel_assoc_add_keys(f->db, ann, "Tasks", keys, 2, NULL, &err);
    assert_int_equal(st, REL_NOT_FOUND);
    OK(rel_assoc_add_keys(f->db, ann, "Tasks", keys, 1, NULL, &E));
    OK(rel_commit(f->db, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 1);
    rel_record_free(t);
    rel_record_free(ann);
}

/* Dates the links of ann back to 2000, so that a rewrite would show. */
static void age_links(fixture *f)
{
    assert_int_equal(test_sql_exec(f->url, test_is_postgres()
                                               ? "UPDATE \"EmployeeTasks\" SET \"createdAt\" = "
                                                 "'2000-01-01 00:00:00+00', \"updatedAt\" = "
                                                 "'2000-01-01 00:00:00+00'"
                                               : "UPDATE \"EmployeeTasks\" SET \"createdAt\" = "
                                                 "'2000-01-01 00:00:00.000 +00:00', "
                                                 "\"updatedAt\" = '2000-01-01 00:00:00.000 "
                                                 "+00:00'"),
                     0);
}

static long long old_links(fixture *f)
{
    return test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\" WHERE \"createdAt\" <"
                                " '2001-01-01' AND \"updatedAt\" < '2001-01-01'");
}

/* Re-adding a link, alone or with others, leaves its row as it was. */
static void readd_leaves_links_untouched(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t[2];
    t[0] = test_saved_row(f->db, f->task, "title", "a");
    t[1] = test_saved_row(f->db, f->task, "title", "b");
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 1, NULL, &E));
    age_links(f);
    assert_int_equal(old_links(f), 1);

    size_t upd = f->nupdate, del = f->ndelete;
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 1, NULL, &E));
    rel_value k0 = rel_int(id_of(t[0]));
    OK(rel_assoc_add_keys(f->db, ann, "Tasks", &k0, 1, NULL, &E));
    assert_int_equal(old_links(f), 1);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 1);

    /* With a new one (given twice): the new link has today's time. */
    rel_value keys[3] = {rel_int(id_of(t[1])), k0, rel_int(id_of(t[1]))};
    OK(rel_assoc_add_keys(f->db, ann, "Tasks", keys, 3, NULL, &E));
    assert_int_equal(old_links(f), 1);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 2);
    assert_int_equal(countf(f, "SELECT count(*) FROM \"EmployeeTasks\" WHERE \"TaskId\" = %lld"
                               " AND \"createdAt\" > '2001-01-01' AND \"updatedAt\" > "
                               "'2001-01-01' AND \"EmployeeId\" = %lld",
                            id_of(t[1]), id_of(ann)),
                     1);
    assert_int_equal(f->nupdate, upd);
    assert_int_equal(f->ndelete, del);
    test_free_records(t, 2);
    rel_record_free(ann);
}

/* New, linked and missing targets in one add: refused as a whole, naming the
 * missing one; a missing target alone, and a target without the key the
 * junction holds (Actor's wardrobe), likewise. */
static void add_new_linked_and_missing(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t[2];
    t[0] = test_saved_row(f->db, f->task, "title", "a");
    t[1] = test_saved_row(f->db, f->task, "title", "b");
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 1, NULL, &E));
    age_links(f);

    rel_error err;
    rel_value keys[3] = {rel_int(id_of(t[1])), rel_int(id_of(t[0])), rel_int(999999)};
    assert_int_equal(rel_assoc_add_keys(f->db, ann, "Tasks", keys, 3, NULL, &err),
                     REL_NOT_FOUND);
    if (strcmp(err.message, "Tasks: Task with id 999999 not found") != 0)
        fail_msg("message: %s", err.message);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 1);
    assert_int_equal(old_links(f), 1);

    assert_int_equal(rel_assoc_add_keys(f->db, ann, "Tasks", keys + 2, 1, NULL, &err),
                     REL_NOT_FOUND);
    if (strcmp(err.message, "Tasks: Task with id 999999 not found") != 0)
        fail_msg("message: %s", err.message);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 1);

    /* The same without the missing one: linked. */
    OK(rel_assoc_add_keys(f->db, ann, "Tasks", keys, 2, NULL, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 2);
    assert_int_equal(old_links(f), 1);

    rel_record *wa = make_actor(f, "Wa", "w-wa");
    rel_record *cy = make_actor(f, "Cy", NULL);
    rel_record *cape = test_saved_row(f->db, f->costume, "name", "cape");
    rel_value ids[2] = {rel_int(id_of(wa)), rel_int(id_of(cy))};
    assert_int_equal(rel_assoc_add_keys(f->db, cape, "Actors", ids, 2, NULL, &err),
                     REL_INVALID);
    assert_non_null(strstr(err.message, "has no wardrobe to link by"));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"actor_costumes\""), 0);
    assert_int_equal(rel_assoc_add(f->db, cape, "Actors", (rel_record *[]){wa, cy}, 2, NULL,
                                   &err),
                     REL_INVALID);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"actor_costumes\""), 0);
    OK(rel_assoc_add_keys(f->db, cape, "Actors", ids, 1, NULL, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"actor_costumes\" WHERE "
                                          "\"ActorWardrobe\" = 'w-wa'"),
                     1);
    rel_record *all[] = {ann, t[0], t[1], wa, cy, cape};
    test_free_records(all, 6);
}

static void add_without_values_rolled_back_with_caller(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t[2];
    t[0] = test_saved_row(f->db, f->task, "title", "a");
    t[1] = test_saved_row(f->db, f->task, "title", "b");
    OK(rel_begin(f->db, &E));
    size_t tx = f->ntx;
    OK(rel_assoc_add(f->db, ann, "Tasks", t, 2, NULL, &E));
    assert_int_equal(f->ntx - tx, 2); /* SAVEPOINT, RELEASE */
    bool has = false;
    OK(rel_assoc_has(f->db, ann, "Tasks", t, 2, &has, &E));
    assert_true(has);
    OK(rel_rollback(f->db, &E));
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 0);
    test_free_records(t, 2);
    rel_record_free(ann);
}

/* A set (which reads under the source's lock) and a lock-free add of the
 * same link at once: the set's INSERT meets the add's row and skips it. */
typedef struct racer {
    fixture *f;
    rel_record *src, *target;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stage; /* 1: the add is written, not committed; 2: go on and commit */
    rel_status st;
} racer;

static void *race_add(void *arg)
{
    racer *r = arg;
    rel_db *db = NULL;
    rel_error err;
    r->st = rel_open(&db, r->f->schema, r->f->url, &err);
    if (r->st == REL_OK && (r->st = rel_begin(db, &err)) == REL_OK)
        r->st = rel_assoc_add(db, r->src, "Tasks", &r->target, 1, NULL, &err);
    pthread_mutex_lock(&r->mu);
    r->stage = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL); /* while the set waits for this transaction */
    if (r->st == REL_OK)
        r->st = rel_commit(db, &err);
    rel_close(db);
    return NULL;
}

static void set_beside_lock_free_add(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->emp, "name", "Ann");
    rel_record *t = test_saved_row(f->db, f->task, "title", "a");
    racer r = {.f = f, .src = ann, .target = t};
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, race_add, &r), 0);
    pthread_mutex_lock(&r.mu);
    while (r.stage < 1)
        pthread_cond_wait(&r.cv, &r.mu);
    pthread_mutex_unlock(&r.mu);
    OK(rel_assoc_set(f->db, ann, "Tasks", &t, 1, NULL, &E));
    pthread_join(th, NULL);
    assert_int_equal(r.st, REL_OK);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"EmployeeTasks\""), 1);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    rel_record_free(t);
    rel_record_free(ann);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(default_names_both_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(set_and_create, setup, teardown),
        cmocka_unit_test_setup_teardown(self_association_friends, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_teams, setup, teardown),
        cmocka_unit_test_setup_teardown(junction_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(seeds_source_and_target_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(statements_do_not_grow_with_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(failure_in_the_middle_leaves_no_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(add_without_values_is_one_write, setup, teardown),
        cmocka_unit_test_setup_teardown(add_without_values_own_id_junction, setup, teardown),
        cmocka_unit_test_setup_teardown(add_without_values_missing_target, setup, teardown),
        cmocka_unit_test_setup_teardown(readd_leaves_links_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(add_new_linked_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(add_without_values_rolled_back_with_caller, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(set_beside_lock_free_add, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
