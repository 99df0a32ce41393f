/* Rows on whichever engine REL_TEST_ENGINE names: create (ids from RETURNING, every
 * attribute present), find by primary key, find all with where/order/limit/offset/
 * attributes, count, update of the changed attributes only, destroy, bulk create in
 * few statements (mixed write patterns, NULL keys, checks before any SQL, a failing
 * later batch, long text, wide models, per-row dates), constraint violations as
 * distinct codes, rollback, create from JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relate.h"
#include "fixture.h"
#include "testdb.h"

#define MAX_LOG 64

typedef struct fixture {
    rel_schema *schema;
    rel_model *org, *emp, *task;
    rel_model *note; /* long and empty text, a BOOLEAN and a DATE per row */
    rel_model *wide; /* 14 attributes: write patterns of two 8-byte words */
    rel_db *db;
    const char *url;
    size_t nlog;           /* every statement seen */
    size_t ninsert;        /* INSERT statements seen */
    char log[MAX_LOG][512];
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)params;
    (void)n;
    fixture *f = user;
    if (strncmp(sql, "INSERT", 6) == 0)
        f->ninsert++;
    snprintf(f->log[f->nlog % MAX_LOG], sizeof f->log[0], "%s", sql);
    f->nlog++;
}

static const char *last_sql(const fixture *f)
{
    return f->nlog ? f->log[(f->nlog - 1) % MAX_LOG] : "";
}

#define CHECK(call)                                                                   \
    do {                                                                              \
        rel_error e_;                                                                 \
        rel_status s_ = (call);                                                       \
        if (s_ != REL_OK)                                                             \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), s_ ? e_.message : ""); \
    } while (0)

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->schema = rel_schema_new();
    f->org = rel_define(f->schema, "Organization",
                        (rel_attr[]){{.name = "name", .type = REL_STRING, .allow_null = REL_NO,
                                      .unique = true},
                                     {0}},
                        NULL);
    f->emp = rel_define(f->schema, "Employee",
                        (rel_attr[]){{.name = "name", .type = REL_STRING, .allow_null = REL_NO},
                                     {.name = "age", .type = REL_INTEGER},
                                     {.name = "active", .type = REL_BOOLEAN, .default_value = "true"},
                                     {.name = "nickname", .type = REL_STRING, .field = "nick_name"},
                                     {0}},
                        NULL);
    f->task = rel_define(f->schema, "Task", (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, NULL);
    f->note = rel_define(f->schema, "Note",
                         (rel_attr[]){{.name = "title", .type = REL_STRING, .length = 400},
                                      {.name = "body", .type = REL_TEXT},
                                      {.name = "pinned", .type = REL_BOOLEAN},
                                      {.name = "due", .type = REL_DATE},
                                      {0}},
                         NULL);
    f->wide = rel_define(f->schema, "Wide",
                         (rel_attr[]){{.name = "i1", .type = REL_INTEGER},
                                      {.name = "s2", .type = REL_STRING},
                                      {.name = "d3", .type = REL_DATE},
                                      {.name = "i4", .type = REL_INTEGER},
                                      {.name = "s5", .type = REL_STRING},
                                      {.name = "d6", .type = REL_DATE},
                                      {.name = "i7", .type = REL_INTEGER},
                                      {.name = "s8", .type = REL_STRING},
                                      {.name = "d9", .type = REL_DATE},
                                      {.name = "i10", .type = REL_INTEGER},
                                      {.name = "s11", .type = REL_STRING},
                                      {0}},
                         &(rel_model_opts){.table_name = "wide_rows"});
    rel_has_many(f->org, f->emp, NULL);
    rel_belongs_to(f->emp, f->org, NULL);
    rel_belongs_to_many(f->emp, f->task, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_belongs_to_many(f->task, f->emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
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

static rel_record *new_emp(fixture *f, const char *name, int64_t age)
{
    rel_record *r = rel_new(f->emp);
    assert_non_null(r);
    CHECK(rel_set_text(r, "name", name, &e_));
    CHECK(rel_set_int(r, "age", age, &e_));
    return r;
}

static int64_t save_emp(fixture *f, const char *name, int64_t age)
{
    rel_record *r = new_emp(f, name, age);
    CHECK(rel_save(f->db, r, &e_));
    int64_t id = rel_get_int(r, "id");
    rel_record_free(r);
    return id;
}

static char *scalar(fixture *f, const char *sql)
{
    char *s = test_sql_scalar(f->url, sql);
    assert_non_null(s);
    return s;
}

static void assert_scalar(fixture *f, const char *sql, const char *want)
{
    char *s = scalar(f, sql);
    assert_string_equal(s, want);
    free(s);
}

/* ---------------------------------------------------------------- create */

static void create_gives_id_and_every_attribute(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->emp);
    assert_true(rel_get_bool(r, "active")); /* default applied by rel_new */
    assert_false(rel_has_attr(r, "id"));
    CHECK(rel_set_text(r, "name", "Ann", &e_));
    size_t before = f->nlog;
    CHECK(rel_save(f->db, r, &e_));
    assert_int_equal(f->nlog, before + 1); /* one INSERT ... RETURNING */
    assert_non_null(strstr(last_sql(f), "RETURNING"));

    int64_t id = rel_get_int(r, "id");
    assert_true(id > 0);
    for (size_t i = 0; i < rel_model_attr_count(f->emp); i++)
        assert_true(rel_has_attr(r, rel_model_attr_at(f->emp, i)->name));
    assert_true(rel_is_null(r, "age"));
    assert_true(rel_is_null(r, "OrganizationId"));
    assert_true(rel_get_time(r, "createdAt") > 1700000000000LL);
    assert_int_equal(rel_get_time(r, "createdAt"), rel_get_time(r, "updatedAt"));

    /* JSON: every attribute in attribute order, nulls included. */
    char *json = rel_record_json(r);
    json_error_t je;
    json_t *j = json_loads(json, 0, &je);
    assert_non_null(j);
    const char *order[] = {"id", "name", "age", "active", "nickname", "createdAt",
                           "updatedAt", "OrganizationId"};
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        assert_true(k < 8);
        assert_string_equal(key, order[k]);
        k++;
    }
    assert_int_equal(k, 8);
    assert_true(json_is_null(json_object_get(j, "age")));
    assert_true(json_is_true(json_object_get(j, "active")));
    assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
    json_decref(j);
    free(json);

    /* What the database holds. */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT nick_name IS NULL FROM \"Employees\" WHERE id = %lld",
             (long long)id);
    assert_scalar(f, sql, test_is_postgres() ? "t" : "1");
    rel_record_free(r);

    /* Ids keep counting. */
    assert_int_equal(save_emp(f, "Bo", 30), id + 1);
}

static void setter_errors_name_the_problem(void **state)
{
    fixture *f = *state;
    rel_record *r = rel_new(f->emp);
    rel_error err;
    assert_int_equal(rel_set_text(r, "nmae", "x", &err), REL_INVALID);
    assert_string_equal(err.message, "Employee has no attribute 'nmae'");
    assert_int_equal(rel_set_text(r, "age", "forty", &err), REL_INVALID);
    assert_string_equal(err.message, "Employee.age: 'forty' is not a valid INTEGER");
    assert_int_equal(rel_set_text(r, "age", "41", NULL), REL_OK);
    assert_int_equal(rel_get_int(r, "age"), 41);
    assert_int_equal(rel_set_text(r, "active", "false", NULL), REL_OK);
    assert_false(rel_get_bool(r, "active"));
    assert_int_equal(rel_set_int(r, "active", 7, &err), REL_INVALID);
    assert_int_equal(rel_set_double(r, "age", 4.5, &err), REL_INVALID);
    assert_int_equal(rel_set_double(r, "age", 4.0, &err), REL_OK);
    assert_null(rel_get_text(r, "nobody"));
    assert_true(rel_is_null(r, "nobody"));
    rel_record_free(r);
    rel_record_free(NULL);
}

/* ---------------------------------------------------------------- find */

static void find_by_pk_and_not_found(void **state)
{
    fixture *f = *state;
    int64_t id = save_emp(f, "Cy", 41);
    rel_result *res = NULL;
    CHECK(rel_find_by_pk(f->db, f->emp, rel_int(id), NULL, &res, &e_));
    assert_int_equal(rel_result_count(res), 1);
    rel_record *r = rel_result_row(res, 0);
    assert_string_equal(rel_get_text(r, "name"), "Cy");
    assert_int_equal(rel_get_int(r, "age"), 41);
    assert_true(rel_get_bool(r, "active"));
    rel_result_free(res);

    /* A key given as text is converted to the key's type. */
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)id);
    CHECK(rel_find_by_pk(f->db, f->emp, rel_text(text), NULL, &res, &e_));
    rel_result_free(res);

    rel_error err;
    res = (rel_result *)1;
    assert_int_equal(rel_find_by_pk(f->db, f->emp, rel_int(id + 100), NULL, &res, &err),
                     REL_NOT_FOUND);
    assert_null(res);
    assert_non_null(strstr(err.message, "Employee"));
}

static void find_all_order_limit_offset_attributes(void **state)
{
    fixture *f = *state;
    const char *names[] = {"Ann", "Bo", "Cy", "Di", "Ed"};
    int64_t ages[] = {30, 50, 20, 40, 10};
    for (int i = 0; i < 5; i++)
        save_emp(f, names[i], ages[i]);

    rel_result *res = NULL;
    const char *const attrs[] = {"name", "age", NULL};
    CHECK(rel_find_all(f->db, f->emp,
                       &(rel_find_opts){.order = "[[\"age\",\"DESC\"]]", .limit = 2,
                                        .offset = 1, .attributes = attrs},
                       &res, &e_));
    char *json = rel_result_json(res);
    assert_string_equal(json, "[{\"name\":\"Di\",\"age\":40},{\"name\":\"Ann\",\"age\":30}]");
    free(json);
    assert_false(rel_has_attr(rel_result_row(res, 0), "id"));
    rel_result_free(res);

    /* Attribute order in the JSON is the order asked for. */
    const char *const attrs2[] = {"age", "name", NULL};
    CHECK(rel_find_all(f->db, f->emp,
                       &(rel_find_opts){.order = "[\"name\"]", .limit = 1, .attributes = attrs2},
                       &res, &e_));
    json = rel_result_json(res);
    assert_string_equal(json, "[{\"age\":30,\"name\":\"Ann\"}]");
    free(json);
    rel_result_free(res);

    /* Offset without a limit; order as a plain string; column names differ. */
    CHECK(rel_find_all(f->db, f->emp, &(rel_find_opts){.order = "\"age\"", .offset = 3}, &res,
                       &e_));
    assert_int_equal(rel_result_count(res), 2);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "Di");
    assert_string_equal(rel_get_text(rel_result_row(res, 1), "name"), "Bo");
    rel_result_free(res);

    CHECK(rel_find_all(f->db, f->emp,
                       &(rel_find_opts){.where = "{\"age\":{\"gte\":30}}",
                                        .order = "[[\"name\",\"DESC\"]]"},
                       &res, &e_));
    assert_int_equal(rel_result_count(res), 3);
    assert_string_equal(rel_get_text(rel_result_row(res, 0), "name"), "Di");
    rel_result_free(res);

    /* All rows, no options. */
    CHECK(rel_find_all(f->db, f->emp, NULL, &res, &e_));
    assert_int_equal(rel_result_count(res), 5);
    assert_null(rel_result_row(res, 5));
    rel_result_free(res);
    rel_result_free(NULL);

    rel_error err;
    const char *const bad[] = {"nmae", NULL};
    assert_int_equal(rel_find_all(f->db, f->emp, &(rel_find_opts){.attributes = bad}, &res, &err),
                     REL_INVALID);
    assert_non_null(strstr(err.message, "'nmae'"));
    assert_int_equal(
        rel_find_all(f->db, f->emp, &(rel_find_opts){.order = "[[\"nope\",\"ASC\"]]"}, &res, &err),
        REL_INVALID);
    assert_non_null(strstr(err.message, "'nope'"));
    assert_int_equal(
        rel_find_all(f->db, f->emp, &(rel_find_opts){.order = "[[\"age\",\"SIDEWAYS\"]]"}, &res,
                     &err),
        REL_INVALID);
    assert_int_equal(rel_find_all(f->db, f->emp, &(rel_find_opts){.order = "[["}, &res, &err),
                     REL_PARSE);
}

static void count_rows(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 4; i++)
        save_emp(f, i % 2 ? "odd" : "even", i);
    int64_t n = -1;
    CHECK(rel_count(f->db, f->emp, NULL, &n, &e_));
    assert_int_equal(n, 4);
    CHECK(rel_count(f->db, f->emp, &(rel_find_opts){.where = "{\"name\":\"odd\"}"}, &n, &e_));
    assert_int_equal(n, 2);
    CHECK(rel_count(f->db, f->emp, &(rel_find_opts){.where = "{\"age\":{\"gt\":100}}"}, &n, &e_));
    assert_int_equal(n, 0);
}

/* ---------------------------------------------------------------- update, destroy */

static void update_writes_changed_fields_only(void **state)
{
    fixture *f = *state;
    rel_record *r = new_emp(f, "Ann", 30);
    CHECK(rel_save(f->db, r, &e_));
    int64_t created = rel_get_time(r, "createdAt");
    int64_t updated = rel_get_time(r, "updatedAt");

    /* Nothing changed: no statement. */
    size_t before = f->nlog;
    CHECK(rel_save(f->db, r, &e_));
    CHECK(rel_set_text(r, "name", "Ann", &e_)); /* same value */
    CHECK(rel_save(f->db, r, &e_));
    assert_int_equal(f->nlog, before);

    CHECK(rel_set_int(r, "age", 31, &e_));
    CHECK(rel_set_text(r, "nickname", "Annie", &e_));
    CHECK(rel_save(f->db, r, &e_));
    assert_int_equal(f->nlog, before + 1);
    assert_string_equal(last_sql(f),
                        test_is_postgres()
                            ? "UPDATE \"Employees\" SET \"age\" = $1, \"nick_name\" = $2, "
                              "\"updatedAt\" = $3 WHERE \"id\" = $4"
                            : "UPDATE \"Employees\" SET \"age\" = ?, \"nick_name\" = ?, "
                              "\"updatedAt\" = ? WHERE \"id\" = ?");
    assert_true(rel_get_time(r, "updatedAt") >= updated);
    assert_int_equal(rel_get_time(r, "createdAt"), created);

    rel_result *res = NULL;
    CHECK(rel_find_by_pk(f->db, f->emp, rel_get(r, "id"), NULL, &res, &e_));
    rel_record *back = rel_result_row(res, 0);
    assert_int_equal(rel_get_int(back, "age"), 31);
    assert_string_equal(rel_get_text(back, "nickname"), "Annie");
    assert_int_equal(rel_get_time(back, "updatedAt"), rel_get_time(r, "updatedAt"));

    /* Rows from a find can be changed and saved too. */
    CHECK(rel_set_null(back, "nickname", &e_));
    CHECK(rel_save(f->db, back, &e_));
    assert_non_null(strstr(last_sql(f), "SET \"nick_name\" = "));
    rel_result_free(res);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"Employees\" WHERE nick_name IS NULL");
    assert_scalar(f, sql, "1");

    /* Refused before any SQL. */
    rel_error err;
    CHECK(rel_set_null(r, "name", &e_));
    before = f->nlog;
    assert_int_equal(rel_save(f->db, r, &err), REL_NOT_NULL);
    assert_string_equal(err.message, "notNull Violation: Employee.name cannot be null");
    assert_int_equal(f->nlog, before);
    rel_record_free(r);
}

static void destroy_deletes_the_row(void **state)
{
    fixture *f = *state;
    rel_record *r = new_emp(f, "Gone", 1);
    CHECK(rel_save(f->db, r, &e_));
    save_emp(f, "Stays", 2);
    CHECK(rel_destroy(f->db, r, &e_));
    int64_t n = 0;
    CHECK(rel_count(f->db, f->emp, NULL, &n, &e_));
    assert_int_equal(n, 1);
    assert_scalar(f, "SELECT name FROM \"Employees\"", "Stays");
    rel_record_free(r);

    rel_error err;
    r = rel_new(f->emp);
    assert_int_equal(rel_destroy(f->db, r, &err), REL_INVALID); /* no key */
    rel_record_free(r);
}

/* ---------------------------------------------------------------- bulk */

static void bulk_create_many_rows_in_few_statements(void **state)
{
    fixture *f = *state;
    enum { N = 10000 };
    rel_record **rows = calloc(N, sizeof *rows);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "e%05d", i);
        rows[i] = new_emp(f, name, i);
    }
    size_t before = f->nlog, ins = f->ninsert;
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    /* Begin + a handful of INSERTs (1,000 rows each) + commit. */
    assert_true(f->ninsert - ins <= 10);
    assert_true(f->nlog - before <= 12);
    for (int i = 0; i < N; i++) {
        assert_true(rel_get_int(rows[i], "id") > 0);
        if (i)
            assert_int_equal(rel_get_int(rows[i], "id"), rel_get_int(rows[i - 1], "id") + 1);
        assert_true(rel_has_attr(rows[i], "createdAt"));
    }
    int64_t n = 0;
    CHECK(rel_count(f->db, f->emp, NULL, &n, &e_));
    assert_int_equal(n, N);
    assert_scalar(f, "SELECT name FROM \"Employees\" WHERE age = 9876", "e09876");

    /* Saved rows update like any other. */
    CHECK(rel_set_text(rows[5], "name", "five", &e_));
    CHECK(rel_save(f->db, rows[5], &e_));
    assert_scalar(f, "SELECT count(*) FROM \"Employees\" WHERE name = 'five'", "1");
    for (int i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);

    CHECK(rel_bulk_create(f->db, NULL, 0, &e_));
}

static void bulk_create_is_all_or_nothing(void **state)
{
    fixture *f = *state;
    enum { N = 20000 }; /* more than one batch on SQLite */
    rel_record **rows = calloc(N, sizeof *rows);
    for (int i = 0; i < N; i++) {
        rows[i] = rel_new(f->org);
        char name[32];
        snprintf(name, sizeof name, "org%d", i == N - 1 ? 0 : i); /* last repeats the first */
        CHECK(rel_set_text(rows[i], "name", name, &e_));
    }
    rel_error err;
    assert_int_equal(rel_bulk_create(f->db, rows, N, &err), REL_UNIQUE);
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", "0");
    assert_false(rel_has_attr(rows[0], "id")); /* ids of undone inserts are dropped */

    /* Fixed, the same rows go in. */
    CHECK(rel_set_text(rows[N - 1], "name", "last", &e_));
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    char want[16];
    snprintf(want, sizeof want, "%d", N);
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", want);
    for (int i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
}

/* The ids a bulk create hands out are the stored rows' ids, and each record holds
   what a find reads back: whether the keys come from RETURNING or, on SQLite, as
   consecutive rowids (only the key to read, no trigger on the table). */
static void bulk_check_rows(fixture *f, const rel_model *m, rel_record **rows, int n)
{
    for (int i = 0; i < n; i++) {
        rel_result *res = NULL;
        CHECK(rel_find_by_pk(f->db, m, rel_get(rows[i], "id"), NULL, &res, &e_));
        assert_int_equal(rel_result_count(res), 1);
        char *mine = rel_record_json(rows[i]), *stored = rel_record_json(rel_result_row(res, 0));
        assert_string_equal(mine, stored);
        free(mine);
        free(stored);
        rel_result_free(res);
    }
}

static void bulk_create_ids_are_the_stored_rows(void **state)
{
    fixture *f = *state;
    enum { N = 9000 };
    /* A row there already, so keys do not simply count from 1. */
    int64_t first = save_emp(f, "before", 1);
    rel_record **orgs = calloc(N, sizeof *orgs), **emps = calloc(N, sizeof *emps);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "org%d", i);
        orgs[i] = rel_new(f->org);
        CHECK(rel_set_text(orgs[i], "name", name, &e_));
        snprintf(name, sizeof name, "emp%d", i);
        emps[i] = new_emp(f, name, i); /* nickname and OrganizationId left unset */
    }
    CHECK(rel_bulk_create(f->db, orgs, N, &e_));
    CHECK(rel_bulk_create(f->db, emps, N, &e_));
    assert_int_equal(rel_get_int(emps[0], "id"), first + 1);
    assert_true(rel_has_attr(emps[0], "nickname") && rel_is_null(emps[0], "nickname"));
    bulk_check_rows(f, f->org, orgs, N);
    bulk_check_rows(f, f->emp, emps, N);
    for (int i = 0; i < N; i++) {
        rel_record_free(orgs[i]);
        rel_record_free(emps[i]);
    }

    /* A trigger that writes rows of its own in the middle of the INSERT: the keys
       are not consecutive, and still each record has its row's. */
    if (!test_is_postgres()) {
        CHECK(rel_exec(f->db,
                       "CREATE TRIGGER org_shadow AFTER INSERT ON \"Organizations\" "
                       "WHEN NEW.name = 'b5' BEGIN INSERT INTO \"Organizations\" (name, "
                       "\"createdAt\", \"updatedAt\") VALUES ('shadow', NEW.\"createdAt\", "
                       "NEW.\"updatedAt\"); END",
                       NULL, 0, &e_));
        for (int i = 0; i < 20; i++) {
            char name[32];
            snprintf(name, sizeof name, "b%d", i);
            orgs[i] = rel_new(f->org);
            CHECK(rel_set_text(orgs[i], "name", name, &e_));
        }
        CHECK(rel_bulk_create(f->db, orgs, 20, &e_));
        bulk_check_rows(f, f->org, orgs, 20);
        assert_int_equal(rel_get_int(orgs[6], "id"), rel_get_int(orgs[5], "id") + 2);
        for (int i = 0; i < 20; i++)
            rel_record_free(orgs[i]);
    }
    free(orgs);
    free(emps);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Whether the ids of rows[0..n) are all set and different. */
static void assert_distinct_ids(rel_record **rows, int n)
{
    int64_t *ids = calloc((size_t)n, sizeof *ids);
    for (int i = 0; i < n; i++) {
        assert_true(rel_has_attr(rows[i], "id"));
        assert_false(rel_is_null(rows[i], "id"));
        ids[i] = rel_get_int(rows[i], "id");
        assert_true(ids[i] > 0);
    }
    qsort(ids, (size_t)n, sizeof *ids, cmp_i64);
    for (int i = 1; i < n; i++)
        assert_true(ids[i] != ids[i - 1]);
    free(ids);
}

/* Runs of rows that write different columns (an id given or left to the
   database, a nickname set or not, OrganizationId given as NULL or left
   unset), interleaved so that each run needs its own INSERT, and a first run
   longer than one batch: every record ends as its stored row. */
static void bulk_create_mixed_write_patterns(void **state)
{
    fixture *f = *state;
    enum { N = 1600, FIRST_RUN = 1100 };
    /* Given ids count down from here: above every id the database assigns on
       PostgreSQL (its sequence ignores them), below the ones SQLite assigns
       after them (AUTOINCREMENT continues from the largest). */
    const int64_t given_base = 5000000;
    save_emp(f, "before", 0);
    rel_record **rows = calloc(N, sizeof *rows);
    bool *given = calloc(N, sizeof *given);
    static const int lens[] = {1, 2, 17, 5, 40, 3, 1, 1, 9};
    int i = 0, prev = -1;
    size_t statements = 0, nicknamed = 0;
    for (int run = 0; i < N; run++) {
        int len = run == 0 ? FIRST_RUN : lens[run % 9];
        if (len > N - i)
            len = N - i;
        /* Bit 0: id given; bit 1: nickname set; bit 2: OrganizationId NULL.
           The first run reads back only its keys (rowids on SQLite). */
        int pat = run == 0 ? 6 : (run * 5 + 3) % 8;
        if (pat == prev)
            pat ^= 1;
        prev = pat;
        statements += ((size_t)len + 999) / 1000;
        for (int k = 0; k < len; k++, i++) {
            char text[32];
            snprintf(text, sizeof text, "m%04d", i);
            rows[i] = new_emp(f, text, i);
            if (pat & 1) {
                CHECK(rel_set_int(rows[i], "id", given_base - i, &e_));
                given[i] = true;
            }
            if ((pat & 2) && i % 5 == 0) {
                CHECK(rel_set_null(rows[i], "nickname", &e_)); /* written, as NULL */
            } else if (pat & 2) {
                snprintf(text, sizeof text, "nick%d", i);
                CHECK(rel_set_text(rows[i], "nickname", text, &e_));
                nicknamed++;
            }
            if (pat & 4)
                CHECK(rel_set_null(rows[i], "OrganizationId", &e_));
        }
    }
    size_t ins = f->ninsert;
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    /* Several statements, and no more than one per run and batch. */
    assert_true(f->ninsert - ins >= 2);
    assert_true(f->ninsert - ins <= statements);

    for (i = 0; i < N; i++) {
        if (given[i])
            assert_int_equal(rel_get_int(rows[i], "id"), given_base - i);
        /* Nothing left unset: what was not written was read back. */
        assert_true(rel_has_attr(rows[i], "nickname"));
        assert_true(rel_has_attr(rows[i], "OrganizationId"));
    }
    assert_distinct_ids(rows, N);
    bulk_check_rows(f, f->emp, rows, N);
    char want[32], sql[128];
    snprintf(want, sizeof want, "%d", N + 1);
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", want);
    snprintf(want, sizeof want, "%zu", nicknamed);
    assert_scalar(f, "SELECT count(*) FROM \"Employees\" WHERE nick_name IS NOT NULL", want);
    /* A given id, straight from the table (bulk_check_rows saw every row). */
    i = FIRST_RUN + 2; /* run 2 (pattern 5) gives its ids */
    assert_true(given[i]);
    snprintf(sql, sizeof sql, "SELECT name FROM \"Employees\" WHERE id = %lld",
             (long long)(given_base - i));
    snprintf(want, sizeof want, "m%04d", i);
    assert_scalar(f, sql, want);
    for (i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
    free(given);
}

/* A primary key given as NULL is the database's to assign, as one left unset:
   runs of either (long ones, whose keys SQLite tells as rowids, and short
   ones), with and without other columns read back. */
static void bulk_create_null_key_is_assigned(void **state)
{
    fixture *f = *state;
    enum { N = 240 };
    int64_t before = save_emp(f, "before", 0);
    rel_record **rows = calloc(N, sizeof *rows);
    static const int lens[] = {20, 20, 3, 1, 3, 40, 2, 31};
    int i = 0;
    for (int run = 0; i < N; run++) {
        int len = lens[run % 8];
        for (int k = 0; k < len && i < N; k++, i++) {
            char name[32];
            snprintf(name, sizeof name, "n%03d", i);
            rows[i] = new_emp(f, name, i);
            if (run % 2 == 0)
                CHECK(rel_set_null(rows[i], "id", &e_));
            if (i < N / 2) { /* only the key to read back */
                CHECK(rel_set_text(rows[i], "nickname", name, &e_));
                CHECK(rel_set_null(rows[i], "OrganizationId", &e_));
            }
        }
    }
    assert_true(rel_has_attr(rows[0], "id") && rel_is_null(rows[0], "id"));
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    /* Keys in the order of the rows, after the row there before. */
    for (i = 0; i < N; i++)
        assert_int_equal(rel_get_int(rows[i], "id"), before + 1 + i);
    assert_distinct_ids(rows, N);
    bulk_check_rows(f, f->emp, rows, N);
    char want[32];
    snprintf(want, sizeof want, "%d", N + 1);
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", want);
    assert_scalar(f, "SELECT count(*) FROM \"Employees\" WHERE id IS NULL", "0");
    snprintf(want, sizeof want, "%lld", (long long)before + N);
    assert_scalar(f, "SELECT max(id) FROM \"Employees\"", want);
    for (i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
}

/* allowNull is checked for every row before any SQL: the error names the row,
   nothing is sent (not even BEGIN) and no row is touched. */
static void bulk_create_bad_row_undoes_everything(void **state)
{
    fixture *f = *state;
    enum { N = 3000, BAD = 1500 };
    int64_t first = save_emp(f, "before", 0);
    rel_record **rows = calloc(N, sizeof *rows);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "v%04d", i);
        if (i == BAD) {
            rows[i] = rel_new(f->emp); /* name left unset */
            CHECK(rel_set_int(rows[i], "age", i, &e_));
        } else {
            rows[i] = new_emp(f, name, i);
        }
    }
    CHECK(rel_set_null(rows[N - 1], "name", &e_)); /* a later one, given as NULL */
    CHECK(rel_set_null(rows[7], "id", &e_));          /* a key given as NULL */
    rel_error err;
    size_t ins = f->ninsert;
    assert_int_equal(rel_bulk_create(f->db, rows, N, &err), REL_NOT_NULL);
    assert_int_equal(err.code, REL_NOT_NULL);
    assert_string_equal(err.message, "row 1500: notNull Violation: Employee.name cannot be null");
    /* Rows are checked as their batch is gathered: the batch before the bad
       row ran, and the transaction undid it, and the rows are as they were:
       no key (NULL when given so), no stamps, nothing read back. */
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", "1");
    for (int i = 0; i < N; i++) {
        assert_int_equal(rel_has_attr(rows[i], "id"), i == 7);
        assert_false(rel_has_attr(rows[i], "createdAt"));
        assert_false(rel_has_attr(rows[i], "OrganizationId"));
        assert_false(rel_has_attr(rows[i], "nickname"));
    }
    assert_true(rel_is_null(rows[7], "id"));
    ins = f->ninsert;

    /* The row before the bad one is still new: saving it inserts it. */
    CHECK(rel_save(f->db, rows[0], &e_));
    assert_int_equal(f->ninsert, ins + 1);
    /* PostgreSQL's sequence does not roll back: the undone batch used ids. */
    assert_true(rel_get_int(rows[0], "id") > first);
    if (!test_is_postgres())
        assert_int_equal(rel_get_int(rows[0], "id"), first + 1);
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", "2");
    assert_scalar(f, "SELECT name FROM \"Employees\" WHERE age = 0 AND name <> 'before'", "v0000");

    /* With the bad row fixed, the next bad one is named. */
    CHECK(rel_set_text(rows[BAD], "name", "v1500", &e_));
    assert_int_equal(rel_bulk_create(f->db, rows + 1, N - 1, &err), REL_NOT_NULL);
    assert_string_equal(err.message, "row 2998: notNull Violation: Employee.name cannot be null");
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", "2");
    CHECK(rel_set_text(rows[N - 1], "name", "v2999", &e_));
    CHECK(rel_bulk_create(f->db, rows + 1, N - 1, &e_));
    char want[32];
    snprintf(want, sizeof want, "%d", N + 1);
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", want);
    assert_scalar(f, "SELECT age FROM \"Employees\" WHERE name = 'v1500'", "1500");
    for (int i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
}

/* A database failure in a later batch undoes the earlier ones: nothing is
   stored, ids the call assigned are dropped (given ones stay), and the same
   rows go in once fixed, after which they update like any saved row. */
static void bulk_create_later_batch_fails(void **state)
{
    fixture *f = *state;
    enum { N = 3000, BAD = 2500 };
    const int64_t given_base = 9000000; /* counting down, as in mixed_write_patterns */
    rel_record *pre = rel_new(f->org);
    CHECK(rel_set_text(pre, "name", "pre", &e_));
    CHECK(rel_save(f->db, pre, &e_));
    rel_record_free(pre);
    rel_record **rows = calloc(N, sizeof *rows);
    bool given[N] = {false};
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "org%d", i == BAD ? 10 : i); /* repeats row 10's */
        rows[i] = rel_new(f->org);
        CHECK(rel_set_text(rows[i], "name", name, &e_));
        if ((i >= 1000 && i < 1200) || i >= N - 10) {
            CHECK(rel_set_int(rows[i], "id", given_base - i, &e_));
            given[i] = true;
        }
    }
    rel_error err;
    size_t ins = f->ninsert;
    assert_int_equal(rel_bulk_create(f->db, rows, N, &err), REL_UNIQUE);
    /* Rows 0-999, 1000-1199 and 1200-2199 went in first. */
    assert_true(f->ninsert - ins >= 4);
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", "1");
    for (int i = 0; i < N; i++) {
        if (given[i])
            assert_int_equal(rel_get_int(rows[i], "id"), given_base - i);
        else
            assert_false(rel_has_attr(rows[i], "id"));
        /* Stamps and values read back are undone with the inserts. */
        assert_false(rel_has_attr(rows[i], "createdAt"));
        assert_false(rel_has_attr(rows[i], "updatedAt"));
        char name[32];
        snprintf(name, sizeof name, "org%d", i == BAD ? 10 : i);
        assert_string_equal(rel_get_text(rows[i], "name"), name);
    }

    CHECK(rel_set_text(rows[BAD], "name", "org2500", &e_));
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    char want[32], sql[128];
    snprintf(want, sizeof want, "%d", N + 1);
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", want);
    for (int i = 0; i < N; i++)
        if (given[i])
            assert_int_equal(rel_get_int(rows[i], "id"), given_base - i);
    assert_distinct_ids(rows, N);
    bulk_check_rows(f, f->org, rows, N);
    snprintf(sql, sizeof sql, "SELECT name FROM \"Organizations\" WHERE id = %lld",
             (long long)(given_base - 1000));
    assert_scalar(f, sql, "org1000");

    /* Saved: a change is an UPDATE of that row. */
    int pick[] = {1, 1005, BAD};
    for (int k = 0; k < 3; k++) {
        rel_record *r = rows[pick[k]];
        int64_t id = rel_get_int(r, "id");
        snprintf(want, sizeof want, "renamed%d", k);
        CHECK(rel_set_text(r, "name", want, &e_));
        ins = f->ninsert;
        size_t nlog = f->nlog;
        CHECK(rel_save(f->db, r, &e_));
        assert_int_equal(f->ninsert, ins);
        assert_int_equal(f->nlog, nlog + 1);
        assert_non_null(strstr(last_sql(f), "UPDATE"));
        assert_int_equal(rel_get_int(r, "id"), id);
        snprintf(sql, sizeof sql, "SELECT name FROM \"Organizations\" WHERE id = %lld",
                 (long long)id);
        assert_scalar(f, sql, want);
    }
    snprintf(want, sizeof want, "%d", N + 1);
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", want);
    for (int i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
}

/* Deterministic text of len characters for row i: ASCII, or (utf8) two-byte
   characters, so that it is 2 * len bytes. */
static void row_text(char *out, int i, size_t len, bool utf8)
{
    size_t at = 0;
    for (size_t k = 0; k < len; k++) {
        if (utf8) {
            out[at++] = (char)0xC3;
            out[at++] = (char)(0xA0 + (i + k) % 16); /* à .. ï */
        } else {
            out[at++] = (char)('a' + (i * 7 + k) % 26);
        }
    }
    out[at] = '\0';
}

/* Text past the little room a rel_new record has for it (several strings of
   a row, a string set twice) and empty strings come back exactly. */
static void bulk_create_long_and_empty_text(void **state)
{
    fixture *f = *state;
    enum { N = 160 };
    static const size_t title_lens[] = {0, 1, 19, 20, 23, 24, 25, 300};
    static const size_t body_lens[] = {0, 5, 24, 1000, 0, 300, 7, 4000};
    rel_record **rows = calloc(N, sizeof *rows);
    char **titles = calloc(N, sizeof *titles), **bodies = calloc(N, sizeof *bodies);
    size_t empty_titles = 0, empty_bodies = 0;
    for (int i = 0; i < N; i++) {
        size_t tl = title_lens[i % 8], bl = body_lens[(i / 8) % 8];
        bool utf8 = i % 3 == 0;
        titles[i] = malloc(2 * tl + 1);
        bodies[i] = malloc(2 * bl + 1);
        row_text(titles[i], i, tl, utf8);
        row_text(bodies[i], i + 1, bl, !utf8);
        empty_titles += tl == 0;
        empty_bodies += bl == 0;
        rows[i] = rel_new(f->note);
        if (i % 4 == 1) /* set twice: the first text's room stays used */
            CHECK(rel_set_text(rows[i], "title", "a first title, replaced", &e_));
        CHECK(rel_set_text(rows[i], "title", titles[i], &e_));
        CHECK(rel_set_text(rows[i], "body", bodies[i], &e_));
    }
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    for (int i = 0; i < N; i++) {
        assert_string_equal(rel_get_text(rows[i], "title"), titles[i]);
        assert_string_equal(rel_get_text(rows[i], "body"), bodies[i]);
        rel_result *res = NULL;
        CHECK(rel_find_by_pk(f->db, f->note, rel_get(rows[i], "id"), NULL, &res, &e_));
        rel_record *back = rel_result_row(res, 0);
        assert_false(rel_is_null(back, "title"));
        assert_false(rel_is_null(back, "body"));
        assert_int_equal(rel_get(back, "title").len, strlen(titles[i]));
        assert_string_equal(rel_get_text(back, "title"), titles[i]);
        assert_int_equal(rel_get(back, "body").len, strlen(bodies[i]));
        assert_string_equal(rel_get_text(back, "body"), bodies[i]);
        rel_result_free(res);
    }
    bulk_check_rows(f, f->note, rows, N);
    char want[32], sql[128];
    assert_scalar(f, "SELECT count(*) FROM \"Notes\" WHERE title IS NULL OR body IS NULL", "0");
    snprintf(want, sizeof want, "%zu", empty_titles);
    assert_scalar(f, "SELECT count(*) FROM \"Notes\" WHERE title = ''", want);
    snprintf(want, sizeof want, "%zu", empty_bodies);
    assert_scalar(f, "SELECT count(*) FROM \"Notes\" WHERE body = ''", want);
    /* Row 7: a 300-character ASCII title, a 0-character body. */
    snprintf(sql, sizeof sql, "SELECT length(title) FROM \"Notes\" WHERE id = %lld",
             (long long)rel_get_int(rows[7], "id"));
    assert_scalar(f, sql, "300");
    snprintf(sql, sizeof sql, "SELECT title FROM \"Notes\" WHERE id = %lld",
             (long long)rel_get_int(rows[7], "id"));
    assert_scalar(f, sql, titles[7]);
    for (int i = 0; i < N; i++) {
        rel_record_free(rows[i]);
        free(titles[i]);
        free(bodies[i]);
    }
    free(rows);
    free(titles);
    free(bodies);
}

/* A model of 14 attributes (id, 11 of its own, the timestamps): a row's write
   pattern spans two 8-byte words, and runs of rows that differ in only one of
   them (attributes 1-5 in the first only, 9-11 in the second only) need
   their own statements. */
static void bulk_create_wide_model(void **state)
{
    fixture *f = *state;
    enum { N = 400, NATTR = 11 };
    static const char *const names[NATTR] = {"i1", "s2", "d3", "i4",  "s5", "d6",
                                             "i7", "s8", "d9", "i10", "s11"};
    static const unsigned second_only[] = {1u << 8, 1u << 9, 1u << 10, (1u << 8) | (1u << 10)};
    static const unsigned first_only[] = {1u << 0, 1u << 2, 1u << 4, (1u << 1) | (1u << 3)};
    assert_int_equal(rel_model_attr_count(f->wide), 14);
    rel_record **rows = calloc(N, sizeof *rows);
    size_t unset_i10 = 0;
    unsigned mask = 0x5A5;
    int i = 0;
    for (int run = 0; i < N; run++) {
        /* Each run differs from the one before in one word only, or both. */
        if (run % 3 == 0)
            mask ^= second_only[(run / 3) % 4];
        else if (run % 3 == 1)
            mask ^= first_only[(run / 3) % 4];
        else
            mask = (mask * 1103515245u + 12345u) >> 5 & 0x7FF;
        int len = 1 + (run * 7) % 6;
        for (int k = 0; k < len && i < N; k++, i++) {
            rows[i] = rel_new(f->wide);
            for (int a = 0; a < NATTR; a++) {
                if (!(mask & (1u << a)))
                    continue;
                if ((i + a) % 13 == 0) { /* given as NULL: written all the same */
                    CHECK(rel_set_null(rows[i], names[a], &e_));
                    continue;
                }
                char text[48];
                switch (a % 3) {
                case 0:
                    CHECK(rel_set_int(rows[i], names[a], (int64_t)i * 100 + a, &e_));
                    break;
                case 1:
                    snprintf(text, sizeof text, "%s-row%d", names[a], i);
                    CHECK(rel_set_text(rows[i], names[a], text, &e_));
                    break;
                default:
                    CHECK(rel_set_time(rows[i], names[a],
                                       1600000000000LL + (int64_t)i * 86400007 + a, &e_));
                    break;
                }
            }
            if (!(mask & (1u << 9)) || (i + 9) % 13 == 0)
                unset_i10++;
        }
    }
    size_t ins = f->ninsert;
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    assert_true(f->ninsert - ins >= 2);
    for (i = 0; i < N; i++)
        for (int a = 0; a < NATTR; a++)
            assert_true(rel_has_attr(rows[i], names[a]));
    bulk_check_rows(f, f->wide, rows, N);
    char want[32];
    snprintf(want, sizeof want, "%zu", unset_i10);
    assert_scalar(f, "SELECT count(*) FROM wide_rows WHERE i10 IS NULL", want);
    snprintf(want, sizeof want, "%d", N);
    assert_scalar(f, "SELECT count(*) FROM wide_rows", want);
    for (i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
}

/* A BOOLEAN and a DATE with a value of its own per row: each row keeps its
   own, not its neighbour's. On SQLite both are bound converted (1/0, text,
   the batch's timestamps sharing one conversion); run on PostgreSQL too. */
static void bulk_create_booleans_and_dates_per_row(void **state)
{
    fixture *f = *state;
    enum { N = 300 };
    rel_record **rows = calloc(N, sizeof *rows);
    int64_t *due = calloc(N, sizeof *due);
    size_t pinned = 0, dated = 0;
    for (int i = 0; i < N; i++) {
        rows[i] = rel_new(f->note);
        CHECK(rel_set_text(rows[i], "title", "t", &e_));
        bool on = (i * 7) % 3 == 0;
        CHECK(rel_set_bool(rows[i], "pinned", on, &e_));
        pinned += on;
        /* From 1954 on, a day and a few milliseconds apart; row 1 at a known time. */
        due[i] = i == 1 ? 1700000000123LL : -500000000000LL + (int64_t)i * 86400123;
        if (i % 50 == 49) {
            CHECK(rel_set_null(rows[i], "due", &e_));
        } else {
            CHECK(rel_set_time(rows[i], "due", due[i], &e_));
            dated++;
        }
    }
    size_t ins = f->ninsert;
    CHECK(rel_bulk_create(f->db, rows, N, &e_));
    assert_int_equal(f->ninsert - ins, 1);
    for (int i = 0; i < N; i++) {
        rel_result *res = NULL;
        CHECK(rel_find_by_pk(f->db, f->note, rel_get(rows[i], "id"), NULL, &res, &e_));
        rel_record *back = rel_result_row(res, 0);
        assert_int_equal(rel_get_bool(back, "pinned"), (i * 7) % 3 == 0);
        assert_int_equal(rel_get_bool(rows[i], "pinned"), (i * 7) % 3 == 0);
        if (i % 50 == 49) {
            assert_true(rel_is_null(back, "due"));
        } else {
            assert_int_equal(rel_get_time(back, "due"), due[i]);
            assert_int_equal(rel_get_time(rows[i], "due"), due[i]);
        }
        rel_result_free(res);
    }
    bulk_check_rows(f, f->note, rows, N);
    char want[32], sql[160];
    snprintf(want, sizeof want, "%zu", pinned);
    assert_scalar(f, "SELECT count(*) FROM \"Notes\" WHERE pinned", want);
    snprintf(want, sizeof want, "%zu", dated);
    assert_scalar(f, "SELECT count(DISTINCT due) FROM \"Notes\"", want);
    long long id1 = (long long)rel_get_int(rows[1], "id");
    if (test_is_postgres())
        snprintf(sql, sizeof sql,
                 "SELECT (extract(epoch FROM due) * 1000)::bigint FROM \"Notes\" WHERE id = %lld",
                 id1);
    else
        snprintf(sql, sizeof sql, "SELECT due FROM \"Notes\" WHERE id = %lld", id1);
    assert_scalar(f, sql, test_is_postgres() ? "1700000000123" : "2023-11-14 22:13:20.123 +00:00");
    for (int i = 0; i < N; i++)
        rel_record_free(rows[i]);
    free(rows);
    free(due);
}

/* ---------------------------------------------------------------- constraints */

static void constraint_violations_have_distinct_codes(void **state)
{
    fixture *f = *state;
    rel_error err;
    rel_record *a = rel_new(f->org), *b = rel_new(f->org);
    CHECK(rel_set_text(a, "name", "Acme", &e_));
    CHECK(rel_set_text(b, "name", "Acme", &e_));
    CHECK(rel_save(f->db, a, &e_));
    assert_int_equal(rel_save(f->db, b, &err), REL_UNIQUE);
    assert_int_equal(err.code, REL_UNIQUE);
    assert_string_not_equal(err.engine_code, "");

    /* NOT NULL from the engine (written behind relate's checks). */
    assert_int_equal(rel_exec(f->db,
                              "INSERT INTO \"Organizations\" (name, \"createdAt\", \"updatedAt\") "
                              "VALUES (NULL, '2026-01-01', '2026-01-01')",
                              NULL, 0, &err),
                     REL_NOT_NULL);
    /* ... and from relate before any SQL. */
    rel_record *c = rel_new(f->org);
    assert_int_equal(rel_save(f->db, c, &err), REL_NOT_NULL);
    assert_string_equal(err.message, "notNull Violation: Organization.name cannot be null");

    rel_record *e = new_emp(f, "Orphan", 1);
    CHECK(rel_set_int(e, "OrganizationId", 9999, &e_));
    assert_int_equal(rel_save(f->db, e, &err), REL_FOREIGN_KEY);
    CHECK(rel_set(e, "OrganizationId", rel_get(a, "id"), &e_));
    CHECK(rel_save(f->db, e, &e_));
    rel_record_free(a);
    rel_record_free(b);
    rel_record_free(c);
    rel_record_free(e);
}

static void failed_statement_in_transaction_rolls_back(void **state)
{
    fixture *f = *state;
    rel_error err;
    CHECK(rel_begin(f->db, &e_));
    rel_record *a = rel_new(f->org), *b = rel_new(f->org);
    CHECK(rel_set_text(a, "name", "One", &e_));
    CHECK(rel_set_text(b, "name", "One", &e_));
    CHECK(rel_save(f->db, a, &e_));
    assert_int_equal(rel_save(f->db, b, &err), REL_UNIQUE);
    CHECK(rel_rollback(f->db, &e_));
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", "0");
    rel_record_free(a);
    rel_record_free(b);

    /* create_json is one transaction: a failing child undoes the parent. */
    rel_result *res = NULL;
    assert_int_equal(rel_create_json(f->db, f->org,
                                     "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\"},"
                                     "{\"age\":3}]}",
                                     &res, &err),
                     REL_NOT_NULL);
    assert_null(res);
    assert_scalar(f, "SELECT count(*) FROM \"Organizations\"", "0");
    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", "0");
}

/* ---------------------------------------------------------------- create from JSON */

static void create_json_with_nested_rows(void **state)
{
    fixture *f = *state;
    rel_result *res = NULL;
    CHECK(rel_create_json(f->db, f->org,
                          "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\",\"age\":30,"
                          "\"Tasks\":[{\"title\":\"Ship\",\"EmployeeTasks\":{}}]},{\"name\":\"Bo\"}]}",
                          &res, &e_));
    assert_int_equal(rel_result_count(res), 1);
    rel_record *org = rel_result_row(res, 0);
    assert_true(rel_get_int(org, "id") > 0);
    assert_int_equal(rel_get_many_count(org, "Employees"), 2);
    rel_record *ann = rel_get_many_at(org, "Employees", 0);
    assert_int_equal(rel_get_int(ann, "OrganizationId"), rel_get_int(org, "id"));
    assert_int_equal(rel_get_many_count(ann, "Tasks"), 1);
    rel_record *ship = rel_get_many_at(ann, "Tasks", 0);
    assert_non_null(rel_get_through(ship));
    assert_int_equal(rel_get_int(rel_get_through(ship), "EmployeeId"), rel_get_int(ann, "id"));

    char *json = rel_result_json(res);
    json_t *j = json_loads(json, 0, NULL);
    assert_non_null(j);
    json_t *emps = json_object_get(json_array_get(j, 0), "Employees");
    assert_int_equal(json_array_size(emps), 2);
    json_t *task = json_array_get(json_object_get(json_array_get(emps, 0), "Tasks"), 0);
    assert_string_equal(json_string_value(json_object_get(task, "title")), "Ship");
    assert_non_null(json_object_get(json_object_get(task, "EmployeeTasks"), "TaskId"));
    json_decref(j);
    free(json);
    rel_result_free(res);

    /* belongsTo: the parent is created first and linked. */
    CHECK(rel_create_json(f->db, f->emp, "{\"name\":\"Cy\",\"Organization\":{\"name\":\"Beta\"}}",
                          &res, &e_));
    rel_record *cy = rel_result_row(res, 0);
    rel_record *beta = rel_get_one(cy, "Organization");
    assert_non_null(beta);
    assert_int_equal(rel_get_int(cy, "OrganizationId"), rel_get_int(beta, "id"));
    rel_result_free(res);

    assert_scalar(f, "SELECT count(*) FROM \"Employees\"", "3");
    assert_scalar(f, "SELECT count(*) FROM \"EmployeeTasks\"", "1");

    rel_error err;
    assert_int_equal(rel_create_json(f->db, f->org, "{\"nmae\":\"x\"}", &res, &err), REL_INVALID);
    assert_string_equal(err.message, "Organization has no attribute or association 'nmae'");
    assert_int_equal(rel_create_json(f->db, f->org, "{\"name\":", &res, &err), REL_PARSE);
}

/* ---------------------------------------------------------------- include */

static void find_with_includes(void **state)
{
    fixture *f = *state;
    rel_result *res = NULL;
    CHECK(rel_create_json(f->db, f->org,
                          "{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\","
                          "\"Tasks\":[{\"title\":\"Ship\"},{\"title\":\"Plan\"}]},"
                          "{\"name\":\"Bo\"}]}",
                          &res, &e_));
    rel_result_free(res);
    CHECK(rel_create_json(f->db, f->org, "{\"name\":\"Empty\"}", &res, &e_));
    rel_result_free(res);

    const rel_include tasks[] = {{.association = "Tasks"}, {0}};
    const rel_include incl[] = {{.association = "Employees", .include = tasks}, {0}};
    CHECK(rel_find_all(f->db, f->org, &(rel_find_opts){.include = incl, .order = "[\"id\"]"},
                       &res, &e_));
    assert_int_equal(rel_result_count(res), 2);
    rel_record *acme = rel_result_row(res, 0);
    assert_int_equal(rel_get_many_count(acme, "Employees"), 2);
    rel_record *ann = rel_get_many_at(acme, "Employees", 0);
    assert_string_equal(rel_get_text(ann, "name"), "Ann");
    assert_int_equal(rel_get_many_count(ann, "Tasks"), 2);
    assert_int_equal(rel_get_many_count(rel_result_row(res, 1), "Employees"), 0);
    char *json = rel_result_json(res);
    assert_non_null(strstr(json, "\"Employees\":[]"));
    free(json);
    rel_result_free(res);

    /* A where inside an include makes it required. */
    const rel_include only_ship[] = {{.association = "Tasks", .where = "{\"title\":\"Ship\"}"}, {0}};
    CHECK(rel_find_all(f->db, f->emp, &(rel_find_opts){.include = only_ship}, &res, &e_));
    assert_int_equal(rel_result_count(res), 1);
    assert_int_equal(rel_get_many_count(rel_result_row(res, 0), "Tasks"), 1);
    rel_result_free(res);
    int64_t n = 0;
    CHECK(rel_count(f->db, f->emp, &(rel_find_opts){.include = only_ship}, &n, &e_));
    assert_int_equal(n, 1);

    /* belongsTo, by model name. */
    const rel_include org[] = {{.association = "Organization"}, {0}};
    CHECK(rel_find_all(f->db, f->emp, &(rel_find_opts){.include = org}, &res, &e_));
    assert_int_equal(rel_result_count(res), 2);
    assert_string_equal(rel_get_text(rel_get_one(rel_result_row(res, 1), "Organization"), "name"),
                        "Acme");
    rel_result_free(res);

    /* Order by an included column, attributes, required: false keeps parents
     * without matches. As in Sequelize's joined query (tests/oracle, org), the
     * included column orders the parents too — Empty, with no employee, has
     * NULL there, first when descending — and the primary key read to link
     * the rows is not shown. */
    const rel_include named[] = {{.association = "Employees", .where = "{\"name\":{\"ne\":\"Zed\"}}",
                                  .required = REL_NO,
                                  .attributes = (const char *const[]){"name", NULL}},
                                 {0}};
    CHECK(rel_find_all(f->db, f->org,
                       &(rel_find_opts){.include = named,
                                        .attributes = (const char *const[]){"name", NULL},
                                        .order = "[[\"Employees\",\"name\",\"DESC\"],\"id\"]"},
                       &res, &e_));
    json = rel_result_json(res);
    assert_string_equal(json, "[{\"name\":\"Empty\",\"Employees\":[]},{\"name\":\"Acme\","
                              "\"Employees\":[{\"name\":\"Bo\"},{\"name\":\"Ann\"}]}]");
    free(json);
    rel_result_free(res);

    /* belongsToMany: the junction row, some of it, or none. */
    const char *const task_id[] = {"TaskId", NULL};
    const char *const nothing[] = {NULL};
    const rel_include plans[] = {{.association = "Tasks", .where = "{\"title\":\"Plan\"}",
                                  .attributes = (const char *const[]){"title", NULL},
                                  .through_attributes = task_id},
                                 {0}};
    CHECK(rel_find_all(f->db, f->emp,
                       &(rel_find_opts){.include = plans,
                                        .attributes = (const char *const[]){"name", NULL}},
                       &res, &e_));
    json = rel_result_json(res);
    assert_string_equal(json, "[{\"name\":\"Ann\",\"Tasks\":[{\"title\":\"Plan\","
                              "\"EmployeeTasks\":{\"TaskId\":2}}]}]");
    free(json);
    rel_result_free(res);
    const rel_include bare[] = {{.association = "Tasks", .through_attributes = nothing,
                                 .through_where = "{\"TaskId\":1}"},
                                {0}};
    CHECK(rel_find_all(f->db, f->emp, &(rel_find_opts){.include = bare, .order = "[\"id\"]"},
                       &res, &e_));
    assert_int_equal(rel_result_count(res), 2);
    assert_int_equal(rel_get_many_count(rel_result_row(res, 0), "Tasks"), 1);
    assert_null(rel_get_through(rel_get_many_at(rel_result_row(res, 0), "Tasks", 0)));
    assert_int_equal(rel_get_many_count(rel_result_row(res, 1), "Tasks"), 0);
    json = rel_result_json(res);
    assert_null(strstr(json, "EmployeeTasks"));
    free(json);
    rel_result_free(res);

    rel_error err;
    const rel_include bogus[] = {{.association = "bogus"}, {0}};
    assert_int_equal(rel_find_all(f->db, f->org, &(rel_find_opts){.include = bogus}, &res, &err),
                     REL_INVALID);
    assert_string_equal(err.message, "Association with alias 'bogus' does not exist on Organization");
    const rel_include unrelated[] = {{.association = "Task"}, {0}};
    assert_int_equal(
        rel_find_all(f->db, f->org, &(rel_find_opts){.include = unrelated}, &res, &err),
        REL_INVALID);
    assert_string_equal(err.message, "Task is not associated to Organization");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_gives_id_and_every_attribute, setup, teardown),
        cmocka_unit_test_setup_teardown(setter_errors_name_the_problem, setup, teardown),
        cmocka_unit_test_setup_teardown(find_by_pk_and_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(find_all_order_limit_offset_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(count_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(update_writes_changed_fields_only, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_deletes_the_row, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_many_rows_in_few_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_ids_are_the_stored_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_mixed_write_patterns, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_null_key_is_assigned, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_bad_row_undoes_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_later_batch_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_long_and_empty_text, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_wide_model, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_create_booleans_and_dates_per_row, setup, teardown),
        cmocka_unit_test_setup_teardown(constraint_violations_have_distinct_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_statement_in_transaction_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(create_json_with_nested_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(find_with_includes, setup, teardown),
    };
    char name[64];
    snprintf(name, sizeof name, "crud[%s]", test_engine());
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
