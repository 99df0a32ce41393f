/* hasMany association methods on whichever engine REL_TEST_ENGINE names:
 * getXs (where, order, limit, offset, attributes), countXs, hasX(s), setXs,
 * addX(s), removeX(s), createX; default names, an alias with a NOT NULL key,
 * the seeds' Role.hasMany(Costume) on `title`; rows and key values; the
 * statement count not growing with the rows; atomicity under a failure in
 * the middle of a set; rows in memory following the database. */
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

typedef struct fixture {
    rel_schema *schema;
    rel_model *user, *comment, *post, *role, *costume;
    rel_db *db;
    const char *url;
    size_t nstmt;
    size_t nwrite; /* INSERT / UPDATE / DELETE */
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
    f->schema = rel_schema_new();
    f->user = rel_define(f->schema, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    f->comment = rel_define(f->schema, "Comment", (rel_attr[]){{.name = "body", .type = REL_STRING}, {0}}, NULL);
    f->post = rel_define(f->schema, "Post", (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, NULL);
    f->role = rel_define(f->schema, "Role",
                         (rel_attr[]){{"title", REL_STRING, .allow_null = REL_NO, .unique = true},
                                      {0}},
                         NULL);
    f->costume = rel_define(
        f->schema, "Costume",
        (rel_attr[]){{"name", REL_STRING, .allow_null = REL_NO, .unique = true}, {0}}, NULL);
    rel_has_many(f->user, f->comment, NULL);
    rel_belongs_to(f->comment, f->user, NULL);
    rel_has_many(f->user, f->post,
                 &(rel_assoc_opts){.as = "articles",
                                   .foreign_key = {.name = "authorId", .allow_null = REL_NO}});
    rel_has_many(f->role, f->costume,
                 &(rel_assoc_opts){.source_key = "title", .foreign_key = {.name = "roleTitle"}});
    f->url = test_db_url();
    f->db = test_open_synced(f->schema, f->url);
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

static char *scalar_text(fixture *f, const char *sql)
{
    return test_sql_scalar(f->url, sql);
}

static long long comment_owner(fixture *f, const rel_record *c)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT \"UserId\" FROM \"Comments\" WHERE \"id\" = %lld",
             (long long)rel_get_int(c, "id"));
    return test_sql_int(f->url, sql);
}

/* ---------------------------------------------------------------- default name */

static void add_get_count_has_remove(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->user, "name", "Bo");
    rel_record *c[4];
    const char *bodies[4] = {"first", "second", "third", "fourth"};
    for (int i = 0; i < 4; i++)
        c[i] = test_saved_row(f->db, f->comment, "body", bodies[i]);

    /* addComment(row): one UPDATE, the row carries its new key. */
    size_t before = f->nstmt;
    OK(rel_assoc_add(f->db, ann, "Comments", &c[0], 1, NULL, &E));
    assert_int_equal(f->nstmt - before, 1);
    assert_int_equal(rel_get_int(c[0], "UserId"), rel_get_int(ann, "id"));
    assert_int_equal(comment_owner(f, c[0]), rel_get_int(ann, "id"));

    /* addComments(rows), including one linked already: no error, no duplicate. */
    OK(rel_assoc_add(f->db, ann, "Comments", c, 3, NULL, &E));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rel_get_int(c[i], "UserId"), rel_get_int(ann, "id"));
        assert_int_equal(comment_owner(f, c[i]), rel_get_int(ann, "id"));
    }
    assert_true(rel_is_null(c[3], "UserId"));

    /* The singular name reaches the same association (addComment). */
    OK(rel_assoc_add(f->db, bo, "Comment", &c[3], 1, NULL, &E));
    assert_int_equal(comment_owner(f, c[3]), rel_get_int(bo, "id"));

    /* countComments, with and without where. */
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "Comments", NULL, &n, &E));
    assert_int_equal(n, 3);
    OK(rel_assoc_count(f->db, ann, "Comments", "{\"body\":{\"like\":\"%ir%\"}}", &n, &E));
    assert_int_equal(n, 2); /* first, third */

    /* getComments with where, order, limit, offset, attributes. */
    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, ann, "Comments", NULL, &res, &E));
    assert_int_equal(rel_result_count(res), 3);
    rel_result_free(res);
    OK(rel_assoc_get(f->db, ann, "Comments",
                     &(rel_find_opts){.order = "[[\"body\",\"DESC\"]]", .limit = 2, .offset = 1},
                     &res, &E));
    assert_int_equal(rel_result_count(res), 2);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "body"), "second");
    assert_string_equal(rel_get_text(rel_result_row(res, 1), "body"), "first");
    rel_result_free(res);
    OK(rel_assoc_get(f->db, ann, "Comments",
                     &(rel_find_opts){.where = "{\"body\":\"third\"}",
                                      .attributes = (const char *const[]){"body", NULL}},
                     &res, &E));
    assert_int_equal(rel_result_count(res), 1);
    char *json = rel_result_json(res);
    assert_string_equal(json, "[{\"body\":\"third\"}]");
    free(json);
    rel_result_free(res);

    /* hasComment(s): true only if every one is linked. */
    bool has = false;
    OK(rel_assoc_has(f->db, ann, "Comments", &c[1], 1, &has, &E));
    assert_true(has);
    OK(rel_assoc_has(f->db, ann, "Comments", c, 3, &has, &E));
    assert_true(has);
    OK(rel_assoc_has(f->db, ann, "Comments", c, 4, &has, &E));
    assert_false(has);
    rel_value keys[2] = {rel_int(rel_get_int(c[0], "id")), rel_int(rel_get_int(c[2], "id"))};
    OK(rel_assoc_has_keys(f->db, ann, "Comments", keys, 2, &has, &E));
    assert_true(has);
    rel_value k3 = rel_int(rel_get_int(c[3], "id"));
    OK(rel_assoc_has_keys(f->db, ann, "Comments", &k3, 1, &has, &E));
    assert_false(has);
    /* Key values as text are converted to the key's type. */
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)rel_get_int(c[0], "id"));
    rel_value kt = rel_text(idtext);
    OK(rel_assoc_has_keys(f->db, ann, "Comments", &kt, 1, &has, &E));
    assert_true(has);

    /* removeComment(row): nulls the key, deletes nothing. */
    OK(rel_assoc_remove(f->db, ann, "Comments", &c[0], 1, &E));
    assert_true(rel_is_null(c[0], "UserId"));
    assert_int_equal(comment_owner(f, c[0]), -1);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Comments\""), 4);

    /* Removing what is not linked (c[3] belongs to Bo) does nothing. */
    OK(rel_assoc_remove(f->db, ann, "Comments", &c[3], 1, &E));
    assert_int_equal(comment_owner(f, c[3]), rel_get_int(bo, "id"));
    assert_int_equal(rel_get_int(c[3], "UserId"), rel_get_int(bo, "id"));

    /* removeComments(keys). */
    OK(rel_assoc_remove_keys(f->db, ann, "Comments", keys, 2, &E));
    OK(rel_assoc_count(f->db, ann, "Comments", NULL, &n, &E));
    assert_int_equal(n, 1); /* second */
    assert_int_equal(comment_owner(f, c[2]), -1);

    test_free_records(c, 4);
    rel_record_free(ann);
    rel_record_free(bo);
}

static void set_replaces_the_whole_set(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *c[4];
    for (int i = 0; i < 4; i++)
        c[i] = test_saved_row(f->db, f->comment, "body", "x");
    OK(rel_assoc_add(f->db, ann, "Comments", c, 2, NULL, &E)); /* c0, c1 */

    /* setComments([c1, c2, c3]): c0 is unlinked (not deleted), c2 and c3 linked. */
    OK(rel_assoc_set(f->db, ann, "Comments", c + 1, 3, NULL, &E));
    assert_int_equal(comment_owner(f, c[0]), -1);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(comment_owner(f, c[i]), rel_get_int(ann, "id"));
        assert_int_equal(rel_get_int(c[i], "UserId"), rel_get_int(ann, "id"));
    }
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Comments\""), 4);

    /* By key values. */
    rel_value k0 = rel_int(rel_get_int(c[0], "id"));
    OK(rel_assoc_set_keys(f->db, ann, "Comments", &k0, 1, NULL, &E));
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "Comments", NULL, &n, &E));
    assert_int_equal(n, 1);
    assert_int_equal(comment_owner(f, c[0]), rel_get_int(ann, "id"));

    /* setComments([]) / null unlinks them all. */
    OK(rel_assoc_set(f->db, ann, "Comments", NULL, 0, NULL, &E));
    OK(rel_assoc_count(f->db, ann, "Comments", NULL, &n, &E));
    assert_int_equal(n, 0);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Comments\""
                                          " WHERE \"UserId\" IS NULL"), 4);
    test_free_records(c, 4);
    rel_record_free(ann);
}

static void create_links_the_new_row(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *c = rel_new(f->comment);
    OK(rel_set_text(c, "body", "hello", &E));
    size_t before = f->nstmt;
    OK(rel_assoc_create(f->db, ann, "Comments", c, NULL, &E));
    assert_int_equal(f->nstmt - before, 1); /* one INSERT with the key */
    assert_true(rel_get_int(c, "id") > 0);
    assert_int_equal(rel_get_int(c, "UserId"), rel_get_int(ann, "id"));
    assert_int_equal(comment_owner(f, c), rel_get_int(ann, "id"));

    /* A saved row cannot be created again. */
    rel_error err;
    assert_int_equal(rel_assoc_create(f->db, ann, "Comments", c, NULL, &err), REL_INVALID);
    rel_record_free(c);
    rel_record_free(ann);
}

/* ---------------------------------------------------------------- alias, NOT NULL */

static void alias_with_not_null_key(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->user, "name", "Bo");
    rel_record *p[2];
    for (int i = 0; i < 2; i++) {
        p[i] = rel_new(f->post);
        OK(rel_set_text(p[i], "title", i ? "two" : "one", &E));
        OK(rel_assoc_create(f->db, ann, "articles", p[i], NULL, &E));
        assert_int_equal(rel_get_int(p[i], "authorId"), rel_get_int(ann, "id"));
    }
    int64_t n = 0;
    OK(rel_assoc_count(f->db, ann, "articles", NULL, &n, &E));
    assert_int_equal(n, 2);

    /* The target's name is not the association's name. */
    rel_error err;
    assert_int_equal(rel_assoc_count(f->db, ann, "Posts", NULL, &n, &err), REL_INVALID);
    assert_string_equal(err.message, "Association with alias 'Posts' does not exist on User");

    /* Nulling a NOT NULL key is refused before any SQL. */
    size_t before = f->nstmt;
    assert_int_equal(rel_assoc_remove(f->db, ann, "articles", p, 1, &err), REL_NOT_NULL);
    assert_non_null(strstr(err.message, "Post.authorId cannot be null"));
    assert_int_equal(f->nstmt, before);
    assert_int_equal(rel_get_int(p[0], "authorId"), rel_get_int(ann, "id"));

    /* set that would unlink one: refused before any write. */
    before = f->nwrite;
    assert_int_equal(rel_assoc_set(f->db, ann, "articles", p, 1, NULL, &err), REL_NOT_NULL);
    assert_non_null(strstr(err.message, "Post.authorId cannot be null"));
    assert_int_equal(f->nwrite, before);
    OK(rel_assoc_count(f->db, ann, "articles", NULL, &n, &E));
    assert_int_equal(n, 2);

    /* set that keeps every linked row is fine; moving rows with add is too. */
    OK(rel_assoc_set(f->db, ann, "articles", p, 2, NULL, &E));
    OK(rel_assoc_add(f->db, bo, "articles", p, 1, NULL, &E));
    assert_int_equal(rel_get_int(p[0], "authorId"), rel_get_int(bo, "id"));
    OK(rel_assoc_count(f->db, ann, "articles", NULL, &n, &E));
    assert_int_equal(n, 1);
    test_free_records(p, 2);
    rel_record_free(ann);
    rel_record_free(bo);
}

/* ---------------------------------------------------------------- custom keys */

static void seeds_source_key_title(void **state)
{
    fixture *f = *state;
    rel_record *hamlet = test_saved_row(f->db, f->role, "title", "Hamlet");
    rel_record *lear = test_saved_row(f->db, f->role, "title", "Lear");
    rel_record *cape = test_saved_row(f->db, f->costume, "name", "cape");
    rel_record *crown = test_saved_row(f->db, f->costume, "name", "crown");
    rel_record *sword = test_saved_row(f->db, f->costume, "name", "sword");

    OK(rel_assoc_add(f->db, hamlet, "Costumes", (rel_record *[]){cape, sword}, 2, NULL, &E));
    assert_string_equal(rel_get_text(cape, "roleTitle"), "Hamlet");
    char *t = scalar_text(f, "SELECT \"roleTitle\" FROM \"Costumes\" WHERE \"name\" = 'sword'");
    assert_string_equal(t, "Hamlet");
    free(t);

    /* Key values are the target's primary key; the link is by title. */
    rel_value crown_id = rel_int(rel_get_int(crown, "id"));
    OK(rel_assoc_add_keys(f->db, lear, "Costumes", &crown_id, 1, NULL, &E));
    t = scalar_text(f, "SELECT \"roleTitle\" FROM \"Costumes\" WHERE \"name\" = 'crown'");
    assert_string_equal(t, "Lear");
    free(t);

    rel_result *res = NULL;
    OK(rel_assoc_get(f->db, hamlet, "Costumes", &(rel_find_opts){.order = "[\"name\"]"}, &res,
                     &E));
    assert_int_equal(rel_result_count(res), 2);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "cape");
    assert_string_equal(rel_get_text(rel_result_row(res, 1), "name"), "sword");
    rel_result_free(res);

    bool has = true;
    OK(rel_assoc_has_keys(f->db, hamlet, "Costumes", &crown_id, 1, &has, &E));
    assert_false(has);
    OK(rel_assoc_has(f->db, lear, "Costumes", &crown, 1, &has, &E));
    assert_true(has);

    OK(rel_assoc_set(f->db, hamlet, "Costumes", &crown, 1, NULL, &E)); /* moves the crown */
    int64_t n = 0;
    OK(rel_assoc_count(f->db, hamlet, "Costumes", NULL, &n, &E));
    assert_int_equal(n, 1);
    OK(rel_assoc_count(f->db, lear, "Costumes", NULL, &n, &E));
    assert_int_equal(n, 0);
    assert_string_equal(rel_get_text(crown, "roleTitle"), "Hamlet");
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Costumes\""
                                          " WHERE \"roleTitle\" IS NULL"),
                     2);

    OK(rel_assoc_remove(f->db, hamlet, "Costumes", &crown, 1, &E));
    assert_true(rel_is_null(crown, "roleTitle"));

    rel_record *gloves = rel_new(f->costume);
    OK(rel_set_text(gloves, "name", "gloves", &E));
    OK(rel_assoc_create(f->db, lear, "Costumes", gloves, NULL, &E));
    assert_string_equal(rel_get_text(gloves, "roleTitle"), "Lear");

    /* A source without its key cannot be used. */
    rel_record *unsaved = rel_new(f->role);
    rel_error err;
    assert_int_equal(rel_assoc_count(f->db, unsaved, "Costumes", NULL, &n, &err), REL_INVALID);
    assert_non_null(strstr(err.message, "Role.title is not set"));
    rel_record_free(unsaved);

    rel_record *all[] = {hamlet, lear, cape, crown, sword, gloves};
    test_free_records(all, 6);
}

/* ---------------------------------------------------------------- guarantees */

static void statements_do_not_grow_with_rows(void **state)
{
    fixture *f = *state;
    enum { N = 1000 };
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *bo = test_saved_row(f->db, f->user, "name", "Bo");
    rel_record **rows = calloc(N, sizeof *rows);
    rel_value *keys = calloc(N, sizeof *keys);
    test_bulk_rows(f->db, f->comment, "body", "bulk", N, rows, keys);

    size_t before = f->nstmt;
    OK(rel_assoc_add(f->db, bo, "Comments", rows, 1, NULL, &E));
    size_t one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_add(f->db, ann, "Comments", rows, N, NULL, &E));
    size_t many = f->nstmt - before;
    assert_int_equal(one, many);
    assert_true(many <= 3);
    for (int i = 0; i < N; i++)
        assert_int_equal(rel_get_int(rows[i], "UserId"), rel_get_int(ann, "id"));

    before = f->nstmt;
    OK(rel_assoc_has_keys(f->db, ann, "Comments", keys, 1, &(bool){false}, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    bool has = false;
    OK(rel_assoc_has_keys(f->db, ann, "Comments", keys, N, &has, &E));
    assert_true(has);
    assert_int_equal(f->nstmt - before, one);

    before = f->nstmt;
    OK(rel_assoc_set_keys(f->db, bo, "Comments", keys, 1, NULL, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_set_keys(f->db, bo, "Comments", keys, N, NULL, &E));
    assert_int_equal(f->nstmt - before, one);

    before = f->nstmt;
    OK(rel_assoc_remove_keys(f->db, bo, "Comments", keys, 1, &E));
    one = f->nstmt - before;
    before = f->nstmt;
    OK(rel_assoc_remove(f->db, bo, "Comments", rows, N, &E));
    assert_int_equal(f->nstmt - before, one);
    assert_int_equal(test_sql_int(f->url, "SELECT count(*) FROM \"Comments\""
                                          " WHERE \"UserId\" IS NULL"),
                     N);
    /* Row 0 was unlinked by key (its memory was not given), the rest as rows. */
    for (int i = 1; i < N; i++)
        assert_true(rel_is_null(rows[i], "UserId"));

    test_free_records(rows, N);
    free(rows);
    free(keys);
    rel_record_free(ann);
    rel_record_free(bo);
}

/* A trigger refuses to link a comment whose body is 'boom'. */
static void install_boom_trigger(fixture *f)
{
    test_install_boom_trigger(f->db, "UPDATE", "Comments",
                              "NEW.\"body\" = 'boom' AND NEW.\"UserId\" IS NOT NULL");
}

static void failure_in_the_middle_leaves_no_trace(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *c[4];
    const char *bodies[4] = {"a", "b", "c", "boom"};
    for (int i = 0; i < 4; i++)
        c[i] = test_saved_row(f->db, f->comment, "body", bodies[i]);
    OK(rel_assoc_add(f->db, ann, "Comments", c, 2, NULL, &E)); /* a, b */
    install_boom_trigger(f);

    /* set([c, boom]) unlinks a and b, then fails linking: all undone. */
    rel_error err;
    rel_status st = rel_assoc_set(f->db, ann, "Comments", c + 2, 2, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    assert_non_null(strstr(err.message, "boom"));
    assert_int_equal(comment_owner(f, c[0]), rel_get_int(ann, "id"));
    assert_int_equal(comment_owner(f, c[1]), rel_get_int(ann, "id"));
    assert_int_equal(comment_owner(f, c[2]), -1);
    assert_int_equal(comment_owner(f, c[3]), -1);
    /* Memory too: nothing was applied. */
    assert_int_equal(rel_get_int(c[0], "UserId"), rel_get_int(ann, "id"));
    assert_true(rel_is_null(c[2], "UserId"));

    /* A multi-row add failing on its last row links none. */
    st = rel_assoc_add(f->db, ann, "Comments", c + 2, 2, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    assert_int_equal(comment_owner(f, c[2]), -1);

    /* Inside the caller's transaction: only the method's part is undone. */
    OK(rel_begin(f->db, &E));
    OK(rel_assoc_remove(f->db, ann, "Comments", c, 1, &E));
    st = rel_assoc_set(f->db, ann, "Comments", c + 1, 3, NULL, &err);
    assert_int_not_equal(st, REL_OK);
    OK(rel_commit(f->db, &E));
    assert_int_equal(comment_owner(f, c[0]), -1);               /* the caller's remove */
    assert_int_equal(comment_owner(f, c[1]), rel_get_int(ann, "id")); /* set undone */
    assert_int_equal(comment_owner(f, c[2]), -1);

    /* The caller's rollback undoes a method that succeeded. */
    OK(rel_begin(f->db, &E));
    OK(rel_assoc_add(f->db, ann, "Comments", c + 2, 1, NULL, &E));
    OK(rel_rollback(f->db, &E));
    assert_int_equal(comment_owner(f, c[2]), -1);
    test_free_records(c, 4);
    rel_record_free(ann);
}

static void misuse_is_reported(void **state)
{
    fixture *f = *state;
    rel_record *ann = test_saved_row(f->db, f->user, "name", "Ann");
    rel_record *hamlet = test_saved_row(f->db, f->role, "title", "Hamlet");
    rel_error err;
    assert_int_equal(rel_assoc_add(f->db, ann, "Comments", &hamlet, 1, NULL, &err),
                     REL_INVALID);
    assert_non_null(strstr(err.message, "is a Role, not a Comment"));
    assert_int_equal(rel_assoc_add(f->db, ann, "bogus", &hamlet, 1, NULL, &err), REL_INVALID);
    assert_string_equal(err.message, "Association with alias 'bogus' does not exist on User");
    rel_value bad = rel_text("not a number");
    assert_int_equal(rel_assoc_add_keys(f->db, ann, "Comments", &bad, 1, NULL, &err),
                     REL_INVALID);
    rel_record *through = rel_new(f->comment);
    assert_int_equal(rel_assoc_add(f->db, ann, "Comments", NULL, 0, through, &err),
                     REL_INVALID);
    rel_record_free(through);
    /* Nothing to do is fine. */
    OK(rel_assoc_add(f->db, ann, "Comments", NULL, 0, NULL, &E));
    bool has = false;
    OK(rel_assoc_has(f->db, ann, "Comments", NULL, 0, &has, &E));
    assert_true(has);
    rel_record_free(ann);
    rel_record_free(hamlet);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_get_count_has_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(set_replaces_the_whole_set, setup, teardown),
        cmocka_unit_test_setup_teardown(create_links_the_new_row, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_with_not_null_key, setup, teardown),
        cmocka_unit_test_setup_teardown(seeds_source_key_title, setup, teardown),
        cmocka_unit_test_setup_teardown(statements_do_not_grow_with_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(failure_in_the_middle_leaves_no_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(misuse_is_reported, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
