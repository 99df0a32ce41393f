/* How eager loading runs (SEMANTICS "Where relate differs" 4 and 5), on
 * whichever engine REL_TEST_ENGINE names: one statement per include node,
 * whatever the number of parents (10 and 10,000 with a three-level include);
 * the rows read from the database are exactly the rows returned (sibling
 * hasMany includes do not multiply, a shared belongsTo target is read once);
 * limit and offset count parents and never cut their children; counting with
 * includes counts distinct parents; the whole tree lives in the result's
 * arena.
 *
 * Rows read are counted by the connection (rel_db.n_rows: every row that
 * rel_stmt_next hands out), independently of the logger. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "query/record.h"
#include "relate.h"
#include "fixture.h"
#include "testdb.h"

#define OK(call)                                                                                   \
    do {                                                                                           \
        rel_error E = {0};                                                                         \
        rel_status s_ = (call);                                                                    \
        if (s_ != REL_OK)                                                                          \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), E.message);                       \
    } while (0)

#define INCL(...) ((const rel_include[]){__VA_ARGS__, {0}})
#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Author hasMany Book hasMany Chapter hasMany Note; Author hasMany Award;
 * Book belongsTo Author; Book belongsToMany Tag (through BookTag). */
typedef struct fixture {
    rel_schema *schema;
    rel_model *author, *book, *chapter, *note, *award, *tag;
    rel_db *db;
    const char *url;
    size_t nstmt;
    size_t nselect;
} fixture;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    (void)params;
    (void)n;
    fixture *f = user;
    f->nstmt++;
    if (!strncmp(sql, "SELECT", 6))
        f->nselect++;
}

static int setup(void **state)
{
    static const rel_model_opts no_ts = {.timestamps = REL_NO};
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    rel_schema *s = f->schema = rel_schema_new();
    f->author =
        rel_define(s, "Author", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, &no_ts);
    f->book =
        rel_define(s, "Book", (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, &no_ts);
    f->chapter =
        rel_define(s, "Chapter", (rel_attr[]){{.name = "num", .type = REL_INTEGER}, {0}}, &no_ts);
    f->note =
        rel_define(s, "Note", (rel_attr[]){{.name = "body", .type = REL_STRING}, {0}}, &no_ts);
    f->award =
        rel_define(s, "Award", (rel_attr[]){{.name = "year", .type = REL_INTEGER}, {0}}, &no_ts);
    f->tag = rel_define(s, "Tag", (rel_attr[]){{.name = "label", .type = REL_STRING}, {0}}, &no_ts);
    rel_define(s, "BookTag", (rel_attr[]){{0}}, &no_ts);
    rel_has_many(f->author, f->book, NULL);
    rel_belongs_to(f->book, f->author, NULL);
    rel_has_many(f->book, f->chapter, NULL);
    rel_has_many(f->chapter, f->note, NULL);
    rel_has_many(f->author, f->award, NULL);
    rel_belongs_to_many(f->book, f->tag, &(rel_assoc_opts){.through = "BookTag"});
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

/* n authors; each has 2 books, each book 2 chapters, each chapter 1 note;
 * every author has 3 awards; every book 2 of the 4 tags. Ids are dense:
 * author a (1..n) has books 2a-1, 2a; book b has chapters 2b-1, 2b; chapter
 * c has note c. Written with the engine's own series, so 10,000 parents
 * take a moment. */
static void load(fixture *f, int n)
{
    char sql[4096];
    const char *series =
        test_is_postgres() ? "generate_series(1, %d) AS s(i)"
                           : "(WITH RECURSIVE s(i) AS "
                             "(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)"
                             " SELECT i FROM s) AS s";
    char from[512];
#define SERIES(count) (snprintf(from, sizeof from, series, (count)), from)
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Authors\" (\"id\", \"name\") SELECT i, 'a' || i FROM %s;", SERIES(n));
    assert_int_equal(test_sql_exec(f->url, sql), 0);
    snprintf(
        sql, sizeof sql,
        "INSERT INTO \"Books\" (\"id\", \"title\", \"AuthorId\") SELECT i, 'b' || i, (i + 1) / 2 "
        "FROM %s;",
        SERIES(2 * n));
    assert_int_equal(test_sql_exec(f->url, sql), 0);
    snprintf(
        sql, sizeof sql,
        "INSERT INTO \"Chapters\" (\"id\", \"num\", \"BookId\") SELECT i, i, (i + 1) / 2 FROM %s;",
        SERIES(4 * n));
    assert_int_equal(test_sql_exec(f->url, sql), 0);
    snprintf(
        sql, sizeof sql,
        "INSERT INTO \"Notes\" (\"id\", \"body\", \"ChapterId\") SELECT i, 'n' || i, i FROM %s;",
        SERIES(4 * n));
    assert_int_equal(test_sql_exec(f->url, sql), 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Awards\" (\"id\", \"year\", \"AuthorId\") SELECT i, 2000 + i %% 20, "
             "(i + 2) / 3 FROM %s;",
             SERIES(3 * n));
    assert_int_equal(test_sql_exec(f->url, sql), 0);
    assert_int_equal(test_sql_exec(f->url, "INSERT INTO \"Tags\" (\"id\", \"label\") VALUES "
                                           "(1, 't1'), (2, 't2'), (3, 't3'), (4, 't4');"),
                     0);
    snprintf(sql, sizeof sql,
             "INSERT INTO \"BookTags\" (\"BookId\", \"TagId\") SELECT i, 1 + i %% 4 FROM %s;"
             "INSERT INTO \"BookTags\" (\"BookId\", \"TagId\") SELECT i, 1 + (i + 1) %% 4 FROM %s;",
             SERIES(2 * n), from);
    assert_int_equal(test_sql_exec(f->url, sql), 0);
#undef SERIES
}

/* Rows in a tree: each record plus, recursively, its included rows (a
 * belongsToMany row counts once; its junction row came with it). */
static size_t tree_rows(const rel_record *r)
{
    size_t n = 1;
    const rel_incl_slot *incl = rel_record_incl(r);
    for (size_t s = 0; s < rel_record_nincl(r); s++)
        for (size_t i = 0; i < incl[s].n; i++)
            n += tree_rows(incl[s].rows[i]);
    return n;
}

static size_t result_rows(const rel_result *res)
{
    size_t n = 0;
    for (size_t i = 0; i < rel_result_count(res); i++)
        n += tree_rows(rel_result_row(res, i));
    return n;
}

/* Every record of the tree lives in the result's arena. */
static bool in_arena(const rel_record *r, const rel_arena *arena)
{
    if (rel_rec_arena(r) != arena || r->shape->owns_arena)
        return false;
    const rel_record *through = rel_record_through(r);
    if (through && rel_rec_arena(through) != arena)
        return false;
    const rel_incl_slot *incl = rel_record_incl(r);
    for (size_t s = 0; s < rel_record_nincl(r); s++)
        for (size_t i = 0; i < incl[s].n; i++)
            if (!in_arena(incl[s].rows[i], arena))
                return false;
    return true;
}

typedef struct run {
    size_t statements;
    uint64_t rows_read;
    size_t rows_returned;
} run;

static run find(fixture *f, const rel_model *m, const rel_find_opts *opts, rel_result **out)
{
    run r = {0};
    size_t before = f->nstmt;
    uint64_t read = f->db->n_rows;
    OK(rel_find_all(f->db, m, opts, out, &E));
    r.statements = f->nstmt - before;
    r.rows_read = f->db->n_rows - read;
    r.rows_returned = result_rows(*out);
    for (size_t i = 0; i < rel_result_count(*out); i++)
        assert_true(in_arena(rel_result_row(*out, i), (*out)->arena));
    return r;
}

static const rel_include NESTED[] = {
    {.association = "Books",
     .include =
         (const rel_include[]){{.association = "Chapters",
                                .include = (const rel_include[]){{.association = "Notes"}, {0}}},
                               {0}}},
    {0}};
static const char NESTED_ORDER[] = "[[\"id\",\"ASC\"],[\"Books\",\"id\",\"ASC\"],"
                                   "[\"Books\",\"Chapters\",\"id\",\"ASC\"]]";

typedef struct sink {
    char *data;
    size_t len, cap;
} sink;

static bool sink_write(void *user, const char *data, size_t len)
{
    sink *k = user;
    if (k->len + len + 1 > k->cap) {
        size_t cap = (k->len + len + 1) * 2;
        char *d = realloc(k->data, cap);
        if (!d)
            return false;
        k->data = d;
        k->cap = cap;
    }
    memcpy(k->data + k->len, data, len);
    k->len += len;
    k->data[k->len] = '\0';
    return true;
}

/* The statements of a three-level include, and what it returns, for n parents. */
static run nested_run(int n)
{
    fixture *f = NULL;
    setup((void **)&f);
    load(f, n);
    rel_result *res = NULL;
    run r = find(f, f->author, &(rel_find_opts){.include = NESTED, .order = NESTED_ORDER}, &res);
    /* Every parent, every child at each level, in order. */
    assert_int_equal(rel_result_count(res), n);
    assert_int_equal(r.rows_returned, (size_t)n * (1 + 2 + 4 + 4));
    assert_int_equal(r.rows_read, r.rows_returned);
    rel_record *last = rel_result_row(res, (size_t)n - 1);
    assert_int_equal(rel_get_int(last, "id"), n);
    assert_int_equal(rel_get_many_count(last, "Books"), 2);
    rel_record *book = rel_get_many_at(last, "Books", 1);
    assert_int_equal(rel_get_int(book, "id"), 2 * n);
    assert_int_equal(rel_get_many_count(book, "Chapters"), 2);
    rel_record *chapter = rel_get_many_at(book, "Chapters", 1);
    assert_int_equal(rel_get_int(chapter, "id"), 4 * n);
    assert_int_equal(rel_get_many_count(chapter, "Notes"), 1);
    assert_int_equal(rel_get_int(rel_get_many_at(chapter, "Notes", 0), "ChapterId"), 4 * n);
    /* The streamed JSON of the tree is the same text, in pieces. */
    char *json = rel_result_json(res);
    sink k = {0};
    OK(rel_result_write_json(res, sink_write, &k, &E));
    assert_non_null(json);
    assert_non_null(k.data);
    assert_string_equal(k.data, json);
    free(json);
    free(k.data);
    rel_result_free(res);
    teardown((void **)&f);
    return r;
}

static void statement_count_does_not_grow_with_parents(void **state)
{
    (void)state;
    run small = nested_run(10);
    run large = nested_run(10000);
    /* The parents, then one statement per include node. */
    assert_int_equal(small.statements, 4);
    assert_int_equal(large.statements, small.statements);
}

static void sibling_has_many_read_each_row_once(void **state)
{
    fixture *f = *state;
    load(f, 50);
    rel_result *res = NULL;
    run r =
        find(f, f->author,
             &(rel_find_opts){.include = INCL({.association = "Books"}, {.association = "Awards"}),
                              .order = "[[\"id\",\"ASC\"]]"},
             &res);
    /* 50 authors, 100 books, 150 awards; a join would read 50 * 2 * 3. */
    assert_int_equal(rel_result_count(res), 50);
    assert_int_equal(r.rows_returned, 50 + 100 + 150);
    assert_int_equal(r.rows_read, r.rows_returned);
    assert_int_equal(r.statements, 3);
    for (size_t i = 0; i < 50; i++) {
        assert_int_equal(rel_get_many_count(rel_result_row(res, i), "Books"), 2);
        assert_int_equal(rel_get_many_count(rel_result_row(res, i), "Awards"), 3);
    }
    rel_result_free(res);

    /* Siblings under a nested level, with a belongsToMany among them. */
    r = find(f, f->author,
             &(rel_find_opts){.include = INCL({.association = "Books",
                                               .include = INCL({.association = "Chapters"},
                                                               {.association = "Tags"})},
                                              {.association = "Awards"}),
                              .where = "{\"id\":{\"lte\":10}}"},
             &res);
    assert_int_equal(rel_result_count(res), 10);
    /* 10 authors, 20 books, 40 chapters, 40 tag links, 30 awards. */
    assert_int_equal(r.rows_returned, 10 + 20 + 40 + 40 + 30);
    assert_int_equal(r.rows_read, r.rows_returned);
    assert_int_equal(r.statements, 5);
    rel_result_free(res);
}

static void shared_belongs_to_target_is_read_once(void **state)
{
    fixture *f = *state;
    load(f, 3);
    rel_result *res = NULL;
    run r = find(
        f, f->book,
        &(rel_find_opts){.include = INCL({.association = "Author"}), .order = "[[\"id\",\"ASC\"]]"},
        &res);
    /* Six books over three authors, each author shared. The belongsTo is
     * joined into the books' own statement (include_join.c): one statement,
     * six rows, each author's record made once. */
    assert_int_equal(rel_result_count(res), 6);
    assert_int_equal(r.rows_read, 6);
    assert_int_equal(r.statements, 1);
    assert_ptr_equal(rel_get_one(rel_result_row(res, 0), "Author"),
                     rel_get_one(rel_result_row(res, 1), "Author"));
    char *json = rel_record_json(rel_result_row(res, 1));
    assert_string_equal(
        json, "{\"id\":2,\"title\":\"b2\",\"AuthorId\":1,\"Author\":{\"id\":1,\"name\":\"a1\"}}");
    free(json);
    rel_result_free(res);

    /* Back up and down again: every book under each author, once each. */
    r = find(f, f->book,
             &(rel_find_opts){.include = INCL({.association = "Author",
                                               .include = INCL({.association = "Books"})}),
                              .order = "[[\"id\",\"ASC\"]]"},
             &res);
    /* The authors come joined with the books (6 rows, one statement); the
     * books under them are one more statement. */
    assert_int_equal(r.rows_read, 6 + 6);
    assert_int_equal(r.statements, 2);
    rel_record *author = rel_get_one(rel_result_row(res, 5), "Author");
    assert_int_equal(rel_get_int(author, "id"), 3);
    assert_int_equal(rel_get_many_count(author, "Books"), 2);
    rel_result_free(res);
}

static void limit_and_offset_never_cut_children(void **state)
{
    fixture *f = *state;
    load(f, 200);
    rel_result *res = NULL;
    run r = find(
        f, f->author,
        &(rel_find_opts){.include = NESTED, .order = NESTED_ORDER, .limit = 3, .offset = 5}, &res);
    assert_int_equal(rel_result_count(res), 3);
    assert_int_equal(r.statements, 4);
    assert_int_equal(r.rows_returned, 3 * (1 + 2 + 4 + 4));
    assert_int_equal(r.rows_read, r.rows_returned);
    for (size_t i = 0; i < 3; i++) {
        rel_record *a = rel_result_row(res, i);
        assert_int_equal(rel_get_int(a, "id"), 6 + (int64_t)i);
        assert_int_equal(rel_get_many_count(a, "Books"), 2);
        for (size_t b = 0; b < 2; b++)
            assert_int_equal(rel_get_many_count(rel_get_many_at(a, "Books", b), "Chapters"), 2);
    }
    rel_result_free(res);

    /* Siblings and a belongsToMany under a limit, descending. */
    r = find(f, f->author,
             &(rel_find_opts){
                 .include = INCL({.association = "Books", .include = INCL({.association = "Tags"})},
                                 {.association = "Awards"}),
                 .order = "[[\"id\",\"DESC\"]]",
                 .limit = 2,
                 .offset = 1},
             &res);
    assert_int_equal(rel_result_count(res), 2);
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), 199);
    assert_int_equal(rel_get_int(rel_result_row(res, 1), "id"), 198);
    assert_int_equal(r.rows_returned, 2 * (1 + 2 + 4 + 3));
    assert_int_equal(r.rows_read, r.rows_returned);
    rel_result_free(res);

    /* A required include filters before the limit counts: b10 is author
     * 5's, b399 author 200's. */
    r = find(f, f->author,
             &(rel_find_opts){.include = INCL({.association = "Books",
                                               .where = "{\"title\":{\"in\":[\"b10\",\"b399\"]}}"}),
                              .order = "[[\"id\",\"ASC\"]]",
                              .limit = 1,
                              .offset = 1},
             &res);
    assert_int_equal(rel_result_count(res), 1);
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), 200);
    assert_int_equal(rel_get_many_count(rel_result_row(res, 0), "Books"), 1);
    assert_int_equal(r.statements, 2);
    rel_result_free(res);
}

static void required_filters_run_in_the_parents_query(void **state)
{
    fixture *f = *state;
    load(f, 20);
    rel_result *res = NULL;
    /* Notes of one chapter only: the author with that chapter, and only the
     * rows on the way to it; still one statement per node. */
    run r =
        find(f, f->author,
             &(rel_find_opts){
                 .include = INCL({.association = "Books",
                                  .include = INCL({.association = "Chapters",
                                                   .include = INCL({.association = "Notes",
                                                                    .where = "{\"id\":7}"})})})},
             &res);
    /* Chapter 7 belongs to book 4, which belongs to author 2. Books and
     * chapters are not required: author 2 with both books, chapters only
     * where a matching note exists. Every author stays (optional above). */
    assert_int_equal(rel_result_count(res), 20);
    assert_int_equal(r.statements, 4);
    assert_int_equal(r.rows_read, r.rows_returned);
    rel_result_free(res);

    r = find(f, f->author,
             &(rel_find_opts){
                 .include = INCL({.association = "Books",
                                  .required = REL_YES,
                                  .include = INCL({.association = "Chapters",
                                                   .required = REL_YES,
                                                   .include = INCL({.association = "Notes",
                                                                    .where = "{\"id\":7}"})})})},
             &res);
    assert_int_equal(rel_result_count(res), 1);
    rel_record *a = rel_result_row(res, 0);
    assert_int_equal(rel_get_int(a, "id"), 2);
    assert_int_equal(rel_get_many_count(a, "Books"), 1);
    rel_record *book = rel_get_many_at(a, "Books", 0);
    assert_int_equal(rel_get_int(book, "id"), 4);
    assert_int_equal(rel_get_many_count(book, "Chapters"), 1);
    assert_int_equal(rel_get_int(rel_get_many_at(book, "Chapters", 0), "id"), 7);
    assert_int_equal(r.statements, 4);
    assert_int_equal(r.rows_read, 4); /* author, book, chapter, note */
    rel_result_free(res);
}

static void count_with_includes_counts_distinct_parents(void **state)
{
    fixture *f = *state;
    load(f, 30);
    int64_t n = 0;
    size_t before = f->nstmt;
    OK(rel_count(f->db, f->author,
                 &(rel_find_opts){.include = INCL({.association = "Books", .required = REL_YES})},
                 &n, &E));
    assert_int_equal(n, 30); /* not 60 */
    assert_int_equal(f->nstmt - before, 1);
    OK(rel_count(f->db, f->author,
                 &(rel_find_opts){.include = INCL({.association = "Books", .required = REL_YES},
                                                  {.association = "Awards", .required = REL_YES})},
                 &n, &E));
    assert_int_equal(n, 30); /* not 180 */
    OK(rel_count(
        f->db, f->author,
        &(rel_find_opts){.include = INCL({.association = "Books",
                                          .include = INCL({.association = "Tags",
                                                           .where = "{\"label\":\"t1\"}"})})},
        &n, &E));
    assert_int_equal(n, 30); /* optional at the top: nothing filtered */
    OK(rel_count(
        f->db, f->book,
        &(rel_find_opts){.include = INCL({.association = "Tags", .where = "{\"label\":\"t1\"}"})},
        &n, &E));
    /* Book b is linked to tags 1 + b % 4 and 1 + (b + 1) % 4: t1 for b % 4 in {0, 3}. */
    assert_int_equal(n, 30);
    OK(rel_count(f->db, f->author,
                 &(rel_find_opts){.where = "{\"id\":{\"lte\":10}}",
                                  .include = INCL({.association = "Books",
                                                   .where = "{\"title\":{\"like\":\"b1%\"}}"})},
                 &n, &E));
    /* Books b1, b10..b19 belong to authors 1, 5..10. */
    assert_int_equal(n, 7);
    /* Counting reads one row. */
    uint64_t read = f->db->n_rows;
    OK(rel_count(f->db, f->author, &(rel_find_opts){.include = NESTED}, &n, &E));
    assert_int_equal(n, 30);
    assert_int_equal(f->db->n_rows - read, 1);
}

static void attributes_narrow_what_is_read(void **state)
{
    fixture *f = *state;
    load(f, 4);
    char *sql = NULL;
    rel_result *res = NULL;
    /* The linking keys are read even when not asked for, and not shown. */
    run r = find(
        f, f->author,
        &(rel_find_opts){
            .attributes = NAMES("name"),
            .include = INCL({.association = "Books",
                             .attributes = NAMES("title"),
                             .include = INCL({.association = "Tags",
                                              .attributes = NAMES("label"),
                                              .through_attributes = (const char *const[]){NULL}})}),
            .order =
                "[[\"id\",\"ASC\"],[\"Books\",\"id\",\"ASC\"],[\"Books\",\"Tags\",\"id\",\"ASC\"]]",
            .limit = 1},
        &res);
    assert_int_equal(r.statements, 3);
    sql = rel_result_json(res);
    assert_string_equal(sql,
                        "[{\"name\":\"a1\",\"Books\":[{\"title\":\"b1\",\"Tags\":[{\"label\":"
                        "\"t2\"},{\"label\":\"t3\"}]},"
                        "{\"title\":\"b2\",\"Tags\":[{\"label\":\"t3\"},{\"label\":\"t4\"}]}]}]");
    free(sql);
    rel_result_free(res);
}

/* Author a (1..n) has books 5a-4..5a, the k-th (0..4) titled by the three
 * digits of (37a + 11k) mod 1000, except every thousandth author, who has
 * none. */
static int title_key(int a, int k)
{
    return (37 * a + 11 * k) % 1000;
}

/* The greatest (or least) title key of author a's books; -1: none (NULL). */
static int extreme_key(int a, bool greatest)
{
    if (a % 1000 == 0)
        return -1;
    int best = title_key(a, 0);
    for (int k = 1; k < 5; k++)
        if (greatest ? title_key(a, k) > best : title_key(a, k) < best)
            best = title_key(a, k);
    return best;
}

static int greatest_key(int a)
{
    return extreme_key(a, true);
}

/* By greatest title descending, NULL first (as PostgreSQL sorts), then id. */
static int by_greatest_title_desc(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    int ka = greatest_key(a), kb = greatest_key(b);
    if (ka != kb)
        return ka < 0 ? -1 : kb < 0 ? 1 : kb - ka;
    return a - b;
}

static void order_by_included_column_at_scale(void **state)
{
    enum { N = 10000 };
    fixture *f = *state;
    char sql[2048], from[512];
    snprintf(from, sizeof from,
             test_is_postgres() ? "generate_series(1, %d) AS s(i)"
                                : "(WITH RECURSIVE s(i) AS "
                                  "(SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)"
                                  " SELECT i FROM s) AS s",
             5 * N);
    snprintf(sql, sizeof sql,
             "INSERT INTO \"Authors\" (\"id\", \"name\") SELECT i, 'a' || i FROM %s WHERE i <= %d;"
             "INSERT INTO \"Books\" (\"id\", \"title\", \"AuthorId\") SELECT i, "
             "substr(CAST(1000 + (37 * ((i + 4) / 5) + 11 * ((i - 1) %% 5)) %% 1000 AS TEXT), 2), "
             "(i + 4) / 5 FROM %s WHERE ((i + 4) / 5) %% 1000 <> 0;",
             from, N, from);
    assert_int_equal(test_sql_exec(f->url, sql), 0);

    /* Every parent in the order Sequelize's joined query gives: the ten
     * without books first (NULL is the greatest), then by greatest title. */
    int *expected = malloc(N * sizeof *expected);
    assert_non_null(expected);
    for (int i = 0; i < N; i++)
        expected[i] = i + 1;
    qsort(expected, N, sizeof *expected, by_greatest_title_desc);
    rel_result *res = NULL;
    run r = find(f, f->author,
                 &(rel_find_opts){.include = INCL({.association = "Books"}),
                                  .order = "[[\"Books\",\"title\",\"DESC\"],[\"id\",\"ASC\"]]"},
                 &res);
    assert_int_equal(r.statements, 2);
    assert_int_equal(rel_result_count(res), N);
    assert_int_equal(r.rows_returned, N + 5 * (N - N / 1000));
    for (int i = 0; i < N; i++)
        if (rel_get_int(rel_result_row(res, (size_t)i), "id") != expected[i])
            fail_msg("row %d is author %lld, expected %d", i,
                     (long long)rel_get_int(rel_result_row(res, (size_t)i), "id"), expected[i]);
    /* Spot rows: author 1000 (no book) first, then 10000; the greatest
     * title is 999, first held by author 27 (37 * 27 = 999). */
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), 1000);
    assert_int_equal(rel_get_int(rel_result_row(res, 9), "id"), 10000);
    assert_int_equal(rel_get_many_count(rel_result_row(res, 9), "Books"), 0);
    rel_record *top = rel_result_row(res, 10);
    assert_int_equal(rel_get_int(top, "id"), 27);
    assert_int_equal(rel_get_many_count(top, "Books"), 5);
    /* Its books in the same order: 999, 043, 032, 021, 010. */
    assert_string_equal(rel_get_text(rel_get_many_at(top, "Books", 0), "title"), "999");
    assert_string_equal(rel_get_text(rel_get_many_at(top, "Books", 1), "title"), "043");
    assert_string_equal(rel_get_text(rel_get_many_at(top, "Books", 4), "title"), "010");
    rel_result_free(res);

    /* Ascending: NULL last; a page at the end holds authors without books. */
    r = find(f, f->author,
             &(rel_find_opts){.include = INCL({.association = "Books"}),
                              .order = "[[\"Books\",\"title\",\"ASC\"],[\"id\",\"DESC\"]]",
                              .limit = 3,
                              .offset = N - 3},
             &res);
    assert_int_equal(rel_result_count(res), 3);
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), 3000);
    assert_int_equal(rel_get_int(rel_result_row(res, 2), "id"), 1000);
    rel_result_free(res);

    /* Ascending, a parent sits where its least title does: first comes the
     * greatest id among those with the least one. With a where, only the
     * parents it keeps. */
    int least = -1, at = 0;
    for (int a = 1; a <= N; a++)
        if (extreme_key(a, false) >= 0 && (least < 0 || extreme_key(a, false) <= least)) {
            least = extreme_key(a, false);
            at = a;
        }
    r = find(f, f->author,
             &(rel_find_opts){.include = INCL({.association = "Books"}),
                              .order = "[[\"Books\",\"title\",\"ASC\"],[\"id\",\"DESC\"]]",
                              .limit = 1},
             &res);
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), at);
    rel_result_free(res);
    r = find(f, f->author,
             &(rel_find_opts){.include = INCL({.association = "Books"}),
                              .where = "{\"id\":{\"between\":[20,30]}}",
                              .order = "[[\"Books\",\"title\",\"DESC\"],[\"id\",\"ASC\"]]"},
             &res);
    assert_int_equal(rel_result_count(res), 11);
    assert_int_equal(rel_get_int(rel_result_row(res, 0), "id"), 27);
    for (size_t i = 1; i < 11; i++)
        assert_true(greatest_key((int)rel_get_int(rel_result_row(res, i - 1), "id")) >=
                    greatest_key((int)rel_get_int(rel_result_row(res, i), "id")));
    rel_result_free(res);
    free(expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statement_count_does_not_grow_with_parents),
        cmocka_unit_test_setup_teardown(sibling_has_many_read_each_row_once, setup, teardown),
        cmocka_unit_test_setup_teardown(shared_belongs_to_target_is_read_once, setup, teardown),
        cmocka_unit_test_setup_teardown(limit_and_offset_never_cut_children, setup, teardown),
        cmocka_unit_test_setup_teardown(required_filters_run_in_the_parents_query, setup, teardown),
        cmocka_unit_test_setup_teardown(count_with_includes_counts_distinct_parents, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(attributes_narrow_what_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(order_by_included_column_at_scale, setup, teardown),
    };
    return cmocka_run_group_tests_name(
        test_is_postgres() ? "include_plan[postgres]" : "include_plan[sqlite]", tests, NULL, NULL);
}
