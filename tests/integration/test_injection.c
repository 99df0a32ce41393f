/* Hostile text through every public entry point that takes text, on whichever engine
 * REL_TEST_ENGINE names: values (quotes, semicolons, comment markers, backslashes,
 * placeholders, non-ASCII, very long) round-trip as data through setters, save, find
 * where/order, rel_exec parameters, create from JSON and the association methods;
 * identifiers (model, attribute, column, table names, aliases, junction names) with the
 * same characters work through sync, CRUD and include; NUL bytes round-trip in blobs and
 * are refused with REL_INVALID where a C string cannot carry them. Afterwards the
 * database holds exactly the tables the schema made and nothing was dropped. */
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

/* Identifiers: each is a legal quoted identifier on both engines (no NUL, under
   PostgreSQL's 63-byte limit). */
#define EVIL_MODEL "Evil\"; DROP TABLE \"Things\"; --"
#define EVIL_TABLE "ta'ble\"; DROP TABLE x; /* \xc3\xbc */"
#define EVIL_KID_MODEL "K\xc3\xad" "d'); --"
#define EVIL_KIDS_AS "ki\"ds; --"
#define EVIL_JUNCTION "jun'ction\"; -- \xe2\x80\xae"
#define EVIL_THINGS_AS "th'ings\""
#define A_QUOTE "col\"umn"
#define A_SEMI "semi;colon"
#define A_DASH "dash--dash"
#define A_SLASH "sl/*ash*/"
#define A_CJK "\xe5\x90\x8d\xe5\x89\x8d"
#define A_APOS "it's"
#define F_FIELD "fi\"eld'; --" /* a column name different from its attribute */

typedef struct fixture {
    rel_schema *schema;
    rel_model *thing, *evil, *kid;
    rel_db *db;
    const char *url;
    char *long_text; /* 100 000 bytes of quotes and semicolons */
} fixture;

static const char *const HOSTILE[] = {
    "'",
    "''",
    "\"",
    "\\",
    "\\'",
    "a\\'; DROP TABLE \"Things\"; --",
    "Robert'); DROP TABLE Things;--",
    "1; DELETE FROM \"Things\"",
    "x' OR '1'='1",
    "\" OR \"\"=\"",
    "-- comment",
    "/* open comment",
    "*/ close",
    "$1",
    "$1::text",
    "?",
    "?1 :name @p",
    "%_%",
    "E'\\x00'",
    "\t\r\n\v\f",
    "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a \xe2\x80\xae\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\x80\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",
    "\xef\xbb\xbf BOM",
    "",
};
#define NHOSTILE (sizeof HOSTILE / sizeof HOSTILE[0])

#define OK(call)                                                                       \
    do {                                                                               \
        rel_error e_;                                                                  \
        memset(&e_, 0, sizeof e_);                                                     \
        rel_status s_ = (call);                                                        \
        if (s_ != REL_OK)                                                              \
            fail_msg("%s -> %s: %s", #call, rel_status_name(s_), e_.message);          \
    } while (0)
#define E (&e_)

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->url = test_db_url();
    f->schema = rel_schema_new();
    f->thing = rel_define(f->schema, "Thing",
                          (rel_attr[]){{.name = "val", .type = REL_TEXT},
                                       {.name = "name", .type = REL_STRING, .unique = true},
                                       {.name = "bin", .type = REL_BLOB},
                                       {.name = "doc", .type = REL_JSON},
                                       {0}},
                          NULL);
    f->evil = rel_define(f->schema, EVIL_MODEL,
                         (rel_attr[]){{.name = A_QUOTE, .type = REL_TEXT},
                                      {.name = A_SEMI, .type = REL_STRING},
                                      {.name = A_DASH, .type = REL_TEXT},
                                      {.name = A_SLASH, .type = REL_TEXT},
                                      {.name = A_CJK, .type = REL_TEXT},
                                      {.name = A_APOS, .type = REL_INTEGER, .field = F_FIELD},
                                      {0}},
                         &(rel_model_opts){.table_name = EVIL_TABLE});
    f->kid = rel_define(f->schema, EVIL_KID_MODEL,
                        (rel_attr[]){{.name = A_QUOTE, .type = REL_TEXT}, {0}}, NULL);
    rel_has_many(f->evil, f->kid, &(rel_assoc_opts){.as = EVIL_KIDS_AS});
    rel_belongs_to_many(f->evil, f->thing,
                        &(rel_assoc_opts){.as = EVIL_THINGS_AS, .through = EVIL_JUNCTION});
    rel_belongs_to_many(f->thing, f->evil, &(rel_assoc_opts){.through = EVIL_JUNCTION});
    f->db = test_open_synced(f->schema, f->url);
    f->long_text = malloc(100001);
    for (size_t i = 0; i < 100000; i++)
        f->long_text[i] = "';\"-/*\\"[i % 7];
    f->long_text[100000] = '\0';
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rel_close(f->db);
    rel_schema_free(f->schema);
    free(f->long_text);
    free(f);
    return 0;
}

/* The user tables of the database, sorted, one per line (raw driver). */
static char *table_list(const char *url)
{
    return test_sql_scalar(url, test_is_postgres()
        ? "SELECT string_agg(table_name, E'\\n' ORDER BY table_name COLLATE \"C\") "
          "FROM information_schema.tables WHERE table_schema = 'public'"
        : "SELECT group_concat(name, char(10)) FROM (SELECT name FROM sqlite_master "
          "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
}

static int64_t count_where(rel_db *db, const rel_model *m, const char *where)
{
    int64_t n = -1;
    rel_error err;
    rel_find_opts o = {.where = where};
    if (rel_count(db, m, &o, &n, &err) != REL_OK)
        fail_msg("count %s: %s", where, err.message);
    return n;
}

/* {"attr": value} as JSON text (owned). */
static char *where_eq(const char *attr, const char *value)
{
    json_t *o = json_object();
    json_object_set_new(o, attr, json_string(value));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static char *where_op(const char *attr, const char *op, json_t *value)
{
    json_t *o = json_pack("{s:{s:o}}", attr, op, value);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* A saved Thing with val = v (name = the index, for uniqueness). */
static rel_record *save_thing(fixture *f, const char *v, int i)
{
    char name[32];
    snprintf(name, sizeof name, "n%d", i);
    rel_record *r = rel_new(f->thing);
    OK(rel_set_text(r, "val", v, E));
    OK(rel_set_text(r, "name", name, E));
    OK(rel_save(f->db, r, E));
    return r;
}

/* ------------------------------------------------------------------ values */

static void values_round_trip_through_crud(void **state)
{
    fixture *f = *state;
    char *before = table_list(f->url);
    for (size_t i = 0; i <= NHOSTILE; i++) {
        const char *v = i < NHOSTILE ? HOSTILE[i] : f->long_text;
        rel_record *r = save_thing(f, v, (int)i);
        assert_string_equal(rel_get_text(r, "val"), v);

        /* By primary key: what the database holds, byte for byte. */
        rel_result *res = NULL;
        OK(rel_find_by_pk(f->db, f->thing, rel_get(r, "id"), NULL, &res, E));
        assert_int_equal(rel_result_count(res), 1);
        assert_string_equal(rel_get_text(rel_result_row(res, 0), "val"), v);
        rel_result_free(res);

        /* In where: equality, in-lists and not-equal match exactly this row. */
        char *w = where_eq("val", v);
        assert_int_equal(count_where(f->db, f->thing, w), 1);
        free(w);
        w = where_op("val", "in", json_pack("[s,s]", v, "\x01unused"));
        assert_int_equal(count_where(f->db, f->thing, w), 1);
        free(w);
        w = where_op("val", "gte", json_string(v));
        assert_true(count_where(f->db, f->thing, w) >= 1);
        free(w);

        /* An update writes it again. */
        OK(rel_set_text(r, "val", "changed", E));
        OK(rel_save(f->db, r, E));
        OK(rel_set_text(r, "val", v, E));
        OK(rel_save(f->db, r, E));
        w = where_eq("val", v);
        assert_int_equal(count_where(f->db, f->thing, w), 1);
        free(w);
        rel_record_free(r);
    }
    /* Every row is there; nothing was dropped or added. */
    assert_int_equal(count_where(f->db, f->thing, NULL), (int64_t)NHOSTILE + 1);
    char *after = table_list(f->url);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void values_round_trip_through_exec_and_like(void **state)
{
    fixture *f = *state;
    const char *ins = test_is_postgres()
        ? "INSERT INTO \"Things\" (\"val\", \"createdAt\", \"updatedAt\") VALUES ($1, now(), now())"
        : "INSERT INTO \"Things\" (\"val\", \"createdAt\", \"updatedAt\") "
          "VALUES (?, '2026-01-02 03:04:05.678 +00:00', '2026-01-02 03:04:05.678 +00:00')";
    for (size_t i = 0; i < NHOSTILE; i++) {
        rel_value p = rel_text(HOSTILE[i]);
        OK(rel_exec(f->db, ins, &p, 1, E));
        char *w = where_eq("val", HOSTILE[i]);
        assert_int_equal(count_where(f->db, f->thing, w), 1);
        free(w);
        /* Deleting by a bound hostile value deletes that row only. */
        OK(rel_exec(f->db,
                    test_is_postgres() ? "DELETE FROM \"Things\" WHERE \"val\" = $1"
                                       : "DELETE FROM \"Things\" WHERE \"val\" = ?", &p, 1, E));
        assert_int_equal(count_where(f->db, f->thing, NULL), 0);
    }
    /* like: the pattern is data; % and _ are its only wildcards. */
    rel_record *r = save_thing(f, "50%_off'; --", 1);
    char *w = where_op("val", "like", json_string("50%_off'; --"));
    assert_int_equal(count_where(f->db, f->thing, w), 1);
    free(w);
    w = where_op("val", "like", json_string("%'; --"));
    assert_int_equal(count_where(f->db, f->thing, w), 1);
    free(w);
    w = where_op("val", "notLike", json_string("%\"%"));
    assert_int_equal(count_where(f->db, f->thing, w), 1);
    free(w);
    rel_record_free(r);
}

static void values_round_trip_through_json(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < NHOSTILE; i++) {
        /* create from JSON, and JSON out: the same string. */
        json_t *in = json_pack("{s:s,s:s,s:{s:s}}", "val", HOSTILE[i], "name", HOSTILE[i],
                               "doc", "k'\"; --", HOSTILE[i]);
        char *text = json_dumps(in, JSON_COMPACT);
        rel_result *res = NULL;
        OK(rel_create_json(f->db, f->thing, text, &res, E));
        free(text);
        char *out = rel_result_json(res);
        assert_non_null(out);
        json_error_t je;
        json_t *arr = json_loads(out, 0, &je);
        assert_non_null(arr);
        json_t *row = json_is_array(arr) ? json_array_get(arr, 0) : arr;
        assert_string_equal(json_string_value(json_object_get(row, "val")), HOSTILE[i]);
        assert_string_equal(json_string_value(json_object_get(row, "name")), HOSTILE[i]);
        assert_true(json_equal(json_object_get(row, "doc"), json_object_get(in, "doc")));
        json_decref(arr);
        free(out);
        rel_result_free(res);

        /* Read back through find: the JSON document is the same too. */
        char *w = where_eq("name", HOSTILE[i]);
        rel_find_opts o = {.where = w, .order = "[[\"val\",\"DESC\"]]"};
        OK(rel_find_all(f->db, f->thing, &o, &res, E));
        assert_int_equal(rel_result_count(res), 1);
        rel_record *r = rel_result_row(res, 0);
        assert_string_equal(rel_get_text(r, "val"), HOSTILE[i]);
        json_t *doc = json_loads(rel_get_text(r, "doc"), 0, &je);
        assert_non_null(doc);
        assert_true(json_equal(doc, json_object_get(in, "doc")));
        json_decref(doc);
        json_decref(in);
        rel_result_free(res);
        free(w);
    }
}

static void values_round_trip_through_association_methods(void **state)
{
    fixture *f = *state;
    rel_record *e = rel_new(f->evil);
    OK(rel_set_text(e, A_QUOTE, "owner", E));
    OK(rel_save(f->db, e, E));
    rel_record *things[NHOSTILE];
    for (size_t i = 0; i < NHOSTILE; i++)
        things[i] = save_thing(f, HOSTILE[i], (int)i);
    OK(rel_assoc_set(f->db, e, EVIL_THINGS_AS, things, NHOSTILE, NULL, E));
    for (size_t i = 0; i < NHOSTILE; i++) {
        char *w = where_eq("val", HOSTILE[i]);
        int64_t n = -1;
        OK(rel_assoc_count(f->db, e, EVIL_THINGS_AS, w, &n, E));
        assert_int_equal(n, 1);
        rel_result *res = NULL;
        rel_find_opts o = {.where = w};
        OK(rel_assoc_get(f->db, e, EVIL_THINGS_AS, &o, &res, E));
        assert_int_equal(rel_result_count(res), 1);
        assert_string_equal(rel_get_text(rel_result_row(res, 0), "val"), HOSTILE[i]);
        rel_result_free(res);
        free(w);
    }
    /* The junction is the hostile-named table; remove one by one. */
    for (size_t i = 0; i < NHOSTILE; i++) {
        OK(rel_assoc_remove(f->db, e, EVIL_THINGS_AS, &things[i], 1, E));
        bool has = true;
        OK(rel_assoc_has(f->db, e, EVIL_THINGS_AS, &things[i], 1, &has, E));
        assert_false(has);
    }
    int64_t n = -1;
    OK(rel_assoc_count(f->db, e, EVIL_THINGS_AS, NULL, &n, E));
    assert_int_equal(n, 0);
    assert_int_equal(count_where(f->db, f->thing, NULL), (int64_t)NHOSTILE);

    /* Keys that are hostile strings: a hasMany add by key values of a text key is not
       possible (keys are ids), so create children whose text is hostile instead. */
    for (size_t i = 0; i < NHOSTILE; i++) {
        rel_record *k = rel_new(f->kid);
        OK(rel_set_text(k, A_QUOTE, HOSTILE[i], E));
        OK(rel_assoc_create(f->db, e, EVIL_KIDS_AS, k, NULL, E));
        rel_record_free(k);
    }
    OK(rel_assoc_count(f->db, e, EVIL_KIDS_AS, NULL, &n, E));
    assert_int_equal(n, (int64_t)NHOSTILE);
    for (size_t i = 0; i < NHOSTILE; i++)
        rel_record_free(things[i]);
    rel_record_free(e);
}

/* -------------------------------------------------------------- identifiers */

static void identifiers_work_everywhere(void **state)
{
    fixture *f = *state;
    /* The table names are what the schema says, verbatim. */
    assert_string_equal(rel_model_table(f->evil), EVIL_TABLE);
    char *tables = table_list(f->url);
    assert_non_null(tables);
    assert_non_null(strstr(tables, EVIL_TABLE));
    assert_non_null(strstr(tables, EVIL_JUNCTION));
    assert_non_null(strstr(tables, "Things"));

    rel_record *e = rel_new(f->evil);
    OK(rel_set_text(e, A_QUOTE, HOSTILE[5], E));
    OK(rel_set_text(e, A_SEMI, HOSTILE[6], E));
    OK(rel_set_text(e, A_DASH, HOSTILE[10], E));
    OK(rel_set_text(e, A_SLASH, HOSTILE[11], E));
    OK(rel_set_text(e, A_CJK, HOSTILE[20], E));
    OK(rel_set_int(e, A_APOS, 7, E));
    OK(rel_save(f->db, e, E));
    rel_record *k = rel_new(f->kid);
    OK(rel_set_text(k, A_QUOTE, "kid'", E));
    OK(rel_assoc_create(f->db, e, EVIL_KIDS_AS, k, NULL, E));
    rel_record *t = save_thing(f, "linked", 1);
    OK(rel_assoc_add(f->db, e, EVIL_THINGS_AS, &t, 1, NULL, E));

    /* The column of A_APOS is F_FIELD, really. */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\"", "fi\"\"eld'; --", "ta'ble\"\"; DROP TABLE x; /* \xc3\xbc */");
    char *v = test_sql_scalar(f->url, sql);
    assert_non_null(v);
    assert_string_equal(v, "7");
    free(v);

    /* where, order, attributes and include with every hostile name. */
    json_t *wj = json_pack("{s:s,s:{s:s},s:{s:[s]},s:{s:i},s:s}", A_QUOTE, HOSTILE[5], A_SEMI,
                           "like", "Robert%", A_DASH, "in", HOSTILE[10], A_APOS, "gte", 7, A_CJK,
                           HOSTILE[20]);
    char *where = json_dumps(wj, JSON_COMPACT);
    json_decref(wj);
    json_t *oj = json_pack("[[s,s],s,[s,s,s]]", A_CJK, "DESC", A_SLASH, EVIL_KIDS_AS, A_QUOTE,
                           "ASC");
    char *order = json_dumps(oj, JSON_COMPACT);
    json_decref(oj);
    const char *const attrs[] = {"id", A_QUOTE, A_APOS, A_CJK, NULL};
    char *kid_where = where_eq(A_QUOTE, "kid'");
    rel_include incl[] = {{.association = EVIL_KIDS_AS, .where = kid_where},
                          {.association = EVIL_THINGS_AS},
                          {0}};
    rel_find_opts o = {.where = where, .order = order, .attributes = attrs, .include = incl};
    rel_result *res = NULL;
    OK(rel_find_all(f->db, f->evil, &o, &res, E));
    assert_int_equal(rel_result_count(res), 1);
    rel_record *r = rel_result_row(res, 0);
    assert_string_equal(rel_get_text(r, A_QUOTE), HOSTILE[5]);
    assert_int_equal(rel_get_int(r, A_APOS), 7);
    assert_int_equal(rel_get_many_count(r, EVIL_KIDS_AS), 1);
    assert_string_equal(rel_get_text(rel_get_many_at(r, EVIL_KIDS_AS, 0), A_QUOTE), "kid'");
    assert_int_equal(rel_get_many_count(r, EVIL_THINGS_AS), 1);
    /* JSON keys are the hostile names, escaped: it parses back to the same keys. */
    char *json = rel_result_json(res);
    json_error_t je;
    json_t *arr = json_loads(json, 0, &je);
    assert_non_null(arr);
    json_t *row = json_array_get(arr, 0);
    assert_string_equal(json_string_value(json_object_get(row, A_QUOTE)), HOSTILE[5]);
    assert_string_equal(json_string_value(json_object_get(row, A_CJK)), HOSTILE[20]);
    assert_true(json_is_array(json_object_get(row, EVIL_KIDS_AS)));
    json_decref(arr);
    free(json);
    rel_result_free(res);
    free(where);
    free(order);

    /* Count with includes, the other direction of the junction, destroy. */
    int64_t n = -1;
    rel_find_opts oc = {.include = incl};
    OK(rel_count(f->db, f->evil, &oc, &n, E));
    assert_int_equal(n, 1);
    /* From the other side, through the default (plural) name of the hostile model. */
    OK(rel_assoc_count(f->db, t, rel_assoc_name(rel_model_assoc_at(f->thing, 0)), NULL, &n, E));
    assert_int_equal(n, 1);
    OK(rel_destroy(f->db, e, E));
    assert_int_equal(count_where(f->db, f->evil, NULL), 0);

    /* DDL for both dialects quotes everything: no statement is split by a ';' in a
       name (each statement ends with ";\n"). */
    static const char *const dialects[] = {"sqlite", "postgres"};
    for (size_t i = 0; i < 2; i++) {
        char *ddl = NULL;
        OK(rel_ddl(f->schema, dialects[i], NULL, &ddl, E));
        size_t statements = 0;
        for (const char *p = ddl; (p = strstr(p, ";\n")) != NULL; p += 2)
            statements++;
        assert_int_equal(statements, rel_schema_model_count(f->schema));
        free(ddl);
    }

    char *after = table_list(f->url);
    assert_string_equal(tables, after);
    free(tables);
    free(after);
    free(kid_where);
    rel_record_free(t);
    rel_record_free(k);
    rel_record_free(e);
}

/* A model file with hostile names and strings loads and syncs the same way. */
static void identifiers_from_a_model_file(void **state)
{
    fixture *f = *state;
    static const char text[] =
        "const A = define('Qu\"ote; --', {\n"
        "  'a\\'b': { type: STRING, field: 'c\"d; DROP TABLE x' },\n"
        "  \"/* x */\": { type: TEXT, defaultValue: \"'; DELETE FROM y; --\" },\n"
        "}, { tableName: 'q\"t; --' });\n"
        "const B = define('B\xc3\xa9', { n: INTEGER }, { tableName: '\xe8\xa1\xa8' });\n"
        "A.hasMany(B, { as: 'b\"s', foreignKey: 'a\"Id' });\n";
    rel_schema *s = NULL;
    rel_error err;
    char *errors = NULL;
    rel_status st = rel_schema_load_text(text, sizeof text - 1, "evil.rel", &s, &errors, &err);
    if (st != REL_OK)
        fail_msg("load: %s\n%s", err.message, errors ? errors : "");
    free(errors);
    const char *url = test_db_url();
    rel_db *db = NULL;
    OK(rel_open(&db, s, url, E));
    OK(rel_sync(db, NULL, E));
    rel_model *a = rel_schema_model(s, "Qu\"ote; --");
    assert_non_null(a);
    rel_record *r = rel_new(a);
    OK(rel_set_text(r, "a'b", "'\"", E));
    OK(rel_save(db, r, E));
    assert_string_equal(rel_get_text(r, "/* x */"), "'; DELETE FROM y; --");
    char *tables = table_list(url);
    assert_non_null(tables);
    assert_non_null(strstr(tables, "q\"t; --"));
    assert_non_null(strstr(tables, "\xe8\xa1\xa8"));
    char *v = test_sql_scalar(url, "SELECT \"c\"\"d; DROP TABLE x\" FROM \"q\"\"t; --\"");
    assert_non_null(v);
    assert_string_equal(v, "'\"");
    free(v);
    free(tables);
    rel_record_free(r);
    rel_close(db);
    rel_schema_free(s);
    (void)f;
}

/* Texts that end up in DDL other than names: ON DELETE / ON UPDATE rules are keywords
   and a hostile one is a definition error, never SQL; default values are literals. The
   remaining naming options (singular, plural, foreign and other keys, their columns)
   and the include options on the junction take hostile text too. */
static void definitions_are_never_sql(void **state)
{
    fixture *f = *state;
    static const char *const rules[] = {"CASCADE; DROP TABLE \"Things\"", "CASCADE --",
                                        "SET NULL /*", "NO ACTION)", "RESTRICT'", ""};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0] - 1; i++) {
        for (int on_update = 0; on_update < 2; on_update++) {
            rel_schema *s = rel_schema_new();
            rel_model *a = rel_define(s, "A", (rel_attr[]){{.name = "n", .type = REL_TEXT}, {0}}, NULL);
            rel_model *b = rel_define(s, "B", (rel_attr[]){{.name = "n", .type = REL_TEXT}, {0}}, NULL);
            rel_assoc_opts o = {0};
            if (on_update)
                o.on_update = rules[i];
            else
                o.on_delete = rules[i];
            rel_has_many(a, b, &o);
            rel_error err;
            assert_int_equal(rel_schema_freeze(s, &err), REL_DEFINITION);
            char *ddl = NULL;
            assert_int_not_equal(rel_ddl(s, "sqlite", NULL, &ddl, &err), REL_OK);
            assert_null(ddl);
            rel_schema_free(s);
        }
    }

    rel_schema *s = rel_schema_new();
    rel_model *a = rel_define(s, "Au'thor",
                              (rel_attr[]){{.name = "bio", .type = REL_TEXT,
                                            .default_value = HOSTILE[5]},
                                           {.name = "tag", .type = REL_STRING,
                                            .default_value = HOSTILE[13]},
                                           {.name = "k", .type = REL_STRING, .unique = true},
                                           {0}},
                              &(rel_model_opts){.singular = "wri'ter\"", .plural = "wri'ters\""});
    rel_model *p = rel_define(s, "Po\"st", (rel_attr[]){{.name = "t", .type = REL_TEXT}, {0}}, NULL);
    rel_has_many(a, p, &(rel_assoc_opts){.as = "po'sts",
                                         .foreign_key = {.name = "au\"thorKey';--",
                                                         .field = "au_thor\"; --"},
                                         .source_key = "k"});
    rel_belongs_to_many(a, p, &(rel_assoc_opts){.as = "fa'vs", .through = "Fa\"v; --",
                                               .foreign_key = {.name = "fan'Id"},
                                               .other_key = {.name = "po\"stId", .field = "p;id"}});
    rel_error err;
    if (rel_schema_freeze(s, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    const char *url = test_db_url();
    rel_db *db = NULL;
    OK(rel_open(&db, s, url, E));
    OK(rel_sync(db, NULL, E));
    /* The database's own default, without relate filling it in. */
    assert_int_equal(test_sql_exec(url, test_is_postgres()
        ? "INSERT INTO \"Au'thors\" (\"createdAt\", \"updatedAt\") VALUES (now(), now())"
        : "INSERT INTO \"Au'thors\" (\"createdAt\", \"updatedAt\") VALUES ('x', 'x')"), 0);
    char *v = test_sql_scalar(url, "SELECT \"bio\" FROM \"Au'thors\"");
    assert_non_null(v);
    assert_string_equal(v, HOSTILE[5]);
    free(v);
    v = test_sql_scalar(url, "SELECT \"tag\" FROM \"Au'thors\"");
    assert_non_null(v);
    assert_string_equal(v, HOSTILE[13]);
    free(v);

    rel_record *au = rel_new(a);
    assert_string_equal(rel_get_text(au, "bio"), HOSTILE[5]);
    OK(rel_set_text(au, "k", HOSTILE[6], E));
    OK(rel_save(db, au, E));
    rel_record *po = rel_new(p);
    OK(rel_set_text(po, "t", HOSTILE[7], E));
    OK(rel_assoc_create(db, au, "po'sts", po, NULL, E));
    /* The key is a hostile string (sourceKey "k"), in a hostile column. */
    assert_string_equal(rel_get_text(po, "au\"thorKey';--"), HOSTILE[6]);
    OK(rel_assoc_add(db, au, "fa'vs", &po, 1, NULL, E));
    rel_include incl[] = {{.association = "po'sts"},
                          {.association = "fa'vs", .through_where = "{\"fan'Id\":{\"ne\":null}}",
                           .through_attributes = (const char *const[]){"po\"stId", NULL}},
                          {0}};
    rel_result *res = NULL;
    OK(rel_find_all(db, a, &(rel_find_opts){.where = "{\"k\":{\"ne\":null}}", .include = incl},
                    &res, E));
    assert_int_equal(rel_result_count(res), 1);
    rel_record *r = rel_result_row(res, 0);
    assert_int_equal(rel_get_many_count(r, "po'sts"), 1);
    assert_int_equal(rel_get_many_count(r, "fa'vs"), 1);
    rel_record *fav = rel_get_many_at(r, "fa'vs", 0);
    assert_string_equal(rel_get_text(fav, "t"), HOSTILE[7]);
    assert_non_null(rel_get_through(fav));
    rel_result_free(res);
    rel_record_free(po);
    rel_record_free(au);
    rel_close(db);
    rel_schema_free(s);
    (void)f;
}

/* ----------------------------------------------------------------- NUL bytes */

static void nul_bytes(void **state)
{
    fixture *f = *state;
    /* Blobs carry them, byte for byte. */
    static const char bytes[] = "\0a\0'\0;--\0\xff\xfe\0";
    rel_record *r = rel_new(f->thing);
    OK(rel_set_blob(r, "bin", bytes, sizeof bytes, E));
    OK(rel_save(f->db, r, E));
    rel_result *res = NULL;
    OK(rel_find_by_pk(f->db, f->thing, rel_get(r, "id"), NULL, &res, E));
    rel_value v = rel_get(rel_result_row(res, 0), "bin");
    assert_int_equal(v.kind, REL_V_BLOB);
    assert_int_equal(v.len, sizeof bytes);
    assert_memory_equal(v.s, bytes, sizeof bytes);
    rel_result_free(res);
    /* ... also as a bound rel_exec parameter. */
    rel_value p[2] = {{.kind = REL_V_BLOB, .s = bytes, .len = sizeof bytes}, rel_get(r, "id")};
    OK(rel_exec(f->db,
                test_is_postgres() ? "UPDATE \"Things\" SET \"bin\" = $1 WHERE \"id\" = $2"
                                   : "UPDATE \"Things\" SET \"bin\" = ? WHERE \"id\" = ?",
                p, 2, E));

    /* Text cannot: a C string would end at the NUL, and the engines disagree on what
       to store. Every way in refuses it with REL_INVALID and changes nothing. */
    rel_error err;
    rel_value nul_text = {.kind = REL_V_TEXT, .s = "a\0b", .len = 3};
    assert_int_equal(rel_set(r, "val", nul_text, &err), REL_INVALID);
    assert_non_null(strstr(err.message, "NUL"));
    assert_true(rel_is_null(r, "val"));
    /* JSON's \u0000: the JSON reader refuses it (REL_PARSE), or the value is refused. */
    rel_status st = rel_find_all(f->db, f->thing,
                                 &(rel_find_opts){.where = "{\"val\":\"a\\u0000b\"}"}, &res, &err);
    assert_true(st == REL_PARSE || st == REL_INVALID);
    assert_null(res);
    st = rel_create_json(f->db, f->thing, "{\"val\":\"a\\u0000b\"}", &res, &err);
    assert_true(st == REL_PARSE || st == REL_INVALID);
    assert_null(res);
    st = rel_create_json(f->db, f->thing, "{\"name\":\"x\",\"v\\u0000al\":1}", &res, &err);
    assert_true(st == REL_PARSE || st == REL_INVALID);
    assert_null(res);
    rel_value q[2] = {nul_text, rel_get(r, "id")};
    assert_int_equal(rel_exec(f->db,
                              test_is_postgres()
                                  ? "UPDATE \"Things\" SET \"val\" = $1 WHERE \"id\" = $2"
                                  : "UPDATE \"Things\" SET \"val\" = ? WHERE \"id\" = ?",
                              q, 2, &err),
                     REL_INVALID);
    assert_non_null(strstr(err.message, "NUL"));
    assert_true(rel_db_ok(f->db));
    assert_int_equal(count_where(f->db, f->thing, NULL), 1);
    assert_int_equal(count_where(f->db, f->thing, "{\"val\":null}"), 1);
    rel_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(values_round_trip_through_crud, setup, teardown),
        cmocka_unit_test_setup_teardown(values_round_trip_through_exec_and_like, setup, teardown),
        cmocka_unit_test_setup_teardown(values_round_trip_through_json, setup, teardown),
        cmocka_unit_test_setup_teardown(values_round_trip_through_association_methods, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(identifiers_work_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(identifiers_from_a_model_file, setup, teardown),
        cmocka_unit_test_setup_teardown(definitions_are_never_sql, setup, teardown),
        cmocka_unit_test_setup_teardown(nul_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
