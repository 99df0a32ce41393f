/* relate against the oracle: what real Sequelize 6.37.8 did on PostgreSQL 15
 * (tests/oracle, see its README.md), scenario by scenario.
 *
 * For every scenario: the model file is loaded with rel_schema_load_file and
 * synced into a fresh database; the schema read back from the database is
 * compared with expected/<name>.schema.json (PostgreSQL: information_schema,
 * exactly; SQLite: the same facts from PRAGMA table_info / index_list /
 * foreign_key_list, types mapped as SEMANTICS.md's table says); the data
 * steps are replayed through relate's API exactly as generate.js runs them
 * through Sequelize; every timestamp column is set to the README's fixed
 * value; table contents are compared with <name>.tables.json (PostgreSQL:
 * row_to_json text byte for byte; SQLite: value by value, modulo storage
 * form); every query runs through the CLI's JSON option parsers and
 * rel_find_all, and relate's JSON is compared with Sequelize's (PostgreSQL:
 * byte for byte; SQLite: after the documented per-engine differences —
 * BIGINT and DECIMAL are numbers there). Finally each case of errors.json
 * must fail in relate with a message naming the same problem.
 *
 * Every mismatch is printed as "MISMATCH <scenario> <key>: ..." and fails the
 * scenario, unless tests/oracle/known_differences.json lists its key with a
 * rule of SEMANTICS.md "Where relate differs" (then "allowed (rule N)") and,
 * where the entry says what relate gives instead, relate gives exactly that.
 * Entries of that list that no mismatch used fail the last test, so the list
 * cannot go stale. A summary per scenario ends the run.
 *
 * ORACLE_SHOW_RELATE=1 prints relate's rows and JSON for each difference;
 * ORACLE_DIR runs the same checks on a copy of tests/oracle. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "io/json_opts.h"
#include "relate.h"
#include "testdb.h"
#include "util/arena.h"
#include "util/datetime.h"

static char *xfmt(const char *fmt, ...);

/* The oracle's folder: tests/oracle, or ORACLE_DIR to try scenarios of
 * one's own (a copy of tests/oracle with more scenarios run through
 * generate.js). */
static const char *oracle_dir(void)
{
    const char *dir = getenv("ORACLE_DIR");
    return dir && *dir ? dir : REL_TEST_SOURCE_DIR "/tests/oracle";
}

#define FIXED_TIMESTAMP_PG "2026-01-02T03:04:05.678Z"
#define FIXED_TIMESTAMP_SQLITE "2026-01-02 03:04:05.678 +00:00"

/* Every scenarios/<name>.rel, sorted; at least the 16 recorded ones. */
#define MAX_SCENARIOS 64
static char *SCENARIOS[MAX_SCENARIOS];
static size_t NSCENARIOS;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_scenarios(void)
{
    char *dir = xfmt("%s/scenarios", oracle_dir());
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && NSCENARIOS < MAX_SCENARIOS) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".rel") == 0) {
            SCENARIOS[NSCENARIOS] = strdup(e->d_name);
            SCENARIOS[NSCENARIOS++][n - 4] = '\0';
        }
    }
    if (d)
        closedir(d);
    free(dir);
    qsort(SCENARIOS, NSCENARIOS, sizeof SCENARIOS[0], cmp_names);
}

/* Scenarios whose expected files are named *.sequelize-differs.* (README). */
static bool differs(const char *name)
{
    char *path = xfmt("%s/expected/%s.sequelize-differs.schema.json", oracle_dir(), name);
    bool yes = access(path, R_OK) == 0;
    free(path);
    return yes;
}

/* ------------------------------------------------------------ little helpers */

static char *xfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s)
        abort();
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static json_t *load_json(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, JSON_DECODE_ANY, &e);
    if (!j)
        fprintf(stderr, "oracle: cannot read %s: %s (line %d)\n", path, e.text, e.line);
    return j;
}

static json_t *load_json_in(const char *rel)
{
    char *path = xfmt("%s/%s", oracle_dir(), rel);
    json_t *j = load_json(path);
    free(path);
    return j;
}

static char *dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ------------------------------------------------- mismatches and allow-list */

static json_t *known;        /* known_differences.json "entries" */
static bool *known_used;     /* per entry: some mismatch matched it */

typedef struct ctx {
    const char *scenario;
    int mismatches;          /* not allowed */
    int allowed;
} ctx;

/* Per scenario, for the summary. */
static struct {
    int queries, queries_ok, queries_allowed, allowed, mismatches;
    bool ran;
} summary[MAX_SCENARIOS + 1];

static void load_known(void)
{
    if (known)
        return;
    json_t *doc = load_json_in("known_differences.json");
    json_t *entries = doc ? json_object_get(doc, "entries") : NULL;
    if (!json_is_array(entries)) {
        fprintf(stderr, "oracle: known_differences.json has no \"entries\" array\n");
        entries = json_array();
    } else {
        json_incref(entries);
    }
    json_decref(doc);
    known = entries;
    known_used = calloc(json_array_size(known) + 1, 1);
}

/* The allow-list entry for this mismatch: same scenario, same key, and this
 * engine if it names one. */
static json_t *known_match(const char *scenario, const char *key, size_t *index)
{
    size_t i;
    json_t *e;
    json_array_foreach(known, i, e) {
        const char *s = json_string_value(json_object_get(e, "scenario"));
        const char *k = json_string_value(json_object_get(e, "key"));
        const char *eng = json_string_value(json_object_get(e, "engine"));
        if (!str_eq(s, scenario) || !str_eq(k, key))
            continue;
        if (eng && strcmp(eng, test_engine()) != 0)
            continue;
        *index = i;
        return e;
    }
    return NULL;
}

/* Whether relate's result is the one an entry's "relate" gives. */
typedef bool (*relate_check_fn)(void *user, const json_t *relate);

/* Reports a difference from Sequelize. An allow-list entry for the key
 * accepts it; when the entry also says what relate gives instead
 * ("relate"), check must agree, so a documented difference cannot hide
 * another one. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void differ(ctx *c, const char *key, relate_check_fn check, void *user, const char *fmt,
                   ...)
{
    va_list ap;
    size_t idx;
    json_t *e = known_match(c->scenario, key, &idx);
    json_t *relate = e ? json_object_get(e, "relate") : NULL;
    if (e && (!relate || (check && check(user, relate)))) {
        known_used[idx] = true;
        c->allowed++;
        printf("  allowed (SEMANTICS.md \"Where relate differs\" rule %lld) %s %s\n",
               (long long)json_integer_value(json_object_get(e, "rule")), c->scenario, key);
        return;
    }
    c->mismatches++;
    printf("  MISMATCH %s %s: ", c->scenario, key);
    if (e)
        printf("(known_differences.json lists it, but relate does not give its \"relate\") ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void mismatch(ctx *c, const char *key, const char *fmt, ...)
{
    char msg[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    differ(c, key, NULL, NULL, "%s", msg);
}

/* Where two texts first differ, with some context on each side. */
static void text_diff(const char *exp, const char *act, char *out, size_t n)
{
    size_t i = 0;
    while (exp[i] && exp[i] == act[i])
        i++;
    size_t from = i > 120 ? i - 120 : 0;
    snprintf(out, n, "first difference at byte %zu\n    expected: ...%.240s\n    relate:   ...%.240s",
             i, exp + from, act + from);
}

/* ------------------------------------------------------------- raw database */

typedef struct raw {
    PGconn *pg;
    sqlite3 *lite;
} raw;

static bool raw_open(raw *r, const char *url)
{
    memset(r, 0, sizeof *r);
    if (test_is_postgres()) {
        r->pg = PQconnectdb(url);
        if (PQstatus(r->pg) != CONNECTION_OK) {
            fprintf(stderr, "oracle: %s", PQerrorMessage(r->pg));
            return false;
        }
        PQclear(PQexec(r->pg, "SET client_min_messages = warning"));
        PQclear(PQexec(r->pg, "SET TimeZone = 'UTC'"));
        return true;
    }
    if (sqlite3_open_v2(url + 7, &r->lite, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "oracle: cannot open %s\n", url);
        return false;
    }
    sqlite3_busy_timeout(r->lite, 5000);
    return true;
}

static void raw_close(raw *r)
{
    if (r->pg)
        PQfinish(r->pg);
    if (r->lite)
        sqlite3_close(r->lite);
    memset(r, 0, sizeof *r);
}

/* Every row of a query as an array of arrays of text (or null). NULL on error. */
static json_t *raw_rows(raw *r, const char *sql)
{
    json_t *rows = json_array();
    if (r->pg) {
        PGresult *res = PQexec(r->pg, sql);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            fprintf(stderr, "oracle: %s: %s", sql, PQerrorMessage(r->pg));
            PQclear(res);
            json_decref(rows);
            return NULL;
        }
        for (int i = 0; i < PQntuples(res); i++) {
            json_t *row = json_array();
            for (int k = 0; k < PQnfields(res); k++)
                json_array_append_new(row, PQgetisnull(res, i, k)
                                               ? json_null()
                                               : json_string(PQgetvalue(res, i, k)));
            json_array_append_new(rows, row);
        }
        PQclear(res);
        return rows;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->lite, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "oracle: %s: %s\n", sql, sqlite3_errmsg(r->lite));
        json_decref(rows);
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_array();
        for (int k = 0; k < sqlite3_column_count(st); k++) {
            const unsigned char *t = sqlite3_column_text(st, k);
            json_array_append_new(row, t ? json_string((const char *)t) : json_null());
        }
        json_array_append_new(rows, row);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

static bool raw_exec(raw *r, const char *sql)
{
    if (r->pg) {
        PGresult *res = PQexec(r->pg, sql);
        bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
        if (!ok)
            fprintf(stderr, "oracle: %s: %s", sql, PQerrorMessage(r->pg));
        PQclear(res);
        return ok;
    }
    char *msg = NULL;
    bool ok = sqlite3_exec(r->lite, sql, NULL, NULL, &msg) == SQLITE_OK;
    if (!ok)
        fprintf(stderr, "oracle: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    return ok;
}

static const char *cell(const json_t *rows, size_t i, size_t k)
{
    return json_string_value(json_array_get(json_array_get(rows, i), k));
}

static char *quote_ident(const char *name)
{
    size_t n = strlen(name);
    char *q = malloc(2 * n + 3), *p = q;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '"')
            *p++ = '"';
        *p++ = name[i];
    }
    *p++ = '"';
    *p = '\0';
    return q;
}

/* ------------------------------------------------------------------ schemas */

/* Facts compared per table (both sides built the same way):
 *   columns     [ {column facts} ] in ordinal order (column_name first)
 *   primaryKey  PostgreSQL: {constraint_name, columns} | null; SQLite: [cols] | null
 *   unique      PostgreSQL: [ {constraint_name, columns} ] by name;
 *               SQLite: [ [cols] ] sorted
 *   foreignKeys { "col,col": {...} } */

static char *join_columns(const json_t *cols)
{
    size_t n = 1, i;
    json_t *c;
    json_array_foreach(cols, i, c) n += strlen(json_string_value(c)) + 1;
    char *s = calloc(1, n);
    json_array_foreach(cols, i, c) {
        if (i)
            strcat(s, ",");
        strcat(s, json_string_value(c));
    }
    return s;
}

/* generate.js's dumpSchema, in C (same statements, same shape). */
static json_t *pg_schema(raw *r)
{
    json_t *tables = json_object();
    json_t *t = raw_rows(r, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                            "'public' AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\"");
    json_t *c = raw_rows(r,
        "SELECT table_name, column_name, data_type, udt_name, character_maximum_length, "
        "numeric_precision, numeric_scale, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY table_name, ordinal_position");
    json_t *k = raw_rows(r,
        "SELECT tc.table_name, tc.constraint_name, tc.constraint_type, kcu.column_name, "
        "kcu.position_in_unique_constraint "
        "FROM information_schema.table_constraints tc "
        "JOIN information_schema.key_column_usage kcu "
        "ON kcu.constraint_schema = tc.constraint_schema "
        "AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name "
        "WHERE tc.table_schema = 'public' "
        "AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') "
        "ORDER BY tc.table_name, tc.constraint_name COLLATE \"C\", kcu.ordinal_position");
    json_t *f = raw_rows(r,
        "SELECT rc.constraint_name, tc.table_name, rc.update_rule, rc.delete_rule, "
        "ref.table_name, ref.column_name, ref.ordinal_position "
        "FROM information_schema.referential_constraints rc "
        "JOIN information_schema.table_constraints tc "
        "ON tc.constraint_schema = rc.constraint_schema AND tc.constraint_name = rc.constraint_name "
        "JOIN information_schema.key_column_usage ref "
        "ON ref.constraint_schema = rc.unique_constraint_schema "
        "AND ref.constraint_name = rc.unique_constraint_name "
        "WHERE rc.constraint_schema = 'public' ORDER BY rc.constraint_name, ref.ordinal_position");
    if (!t || !c || !k || !f)
        goto done;
    for (size_t i = 0; i < json_array_size(t); i++) {
        json_t *tbl = json_pack("{s:[],s:n,s:[],s:[]}", "columns", "primaryKey", "unique",
                                "foreignKeys");
        json_object_set_new(tables, cell(t, i, 0), tbl);
    }
    for (size_t i = 0; i < json_array_size(c); i++) {
        json_t *tbl = json_object_get(tables, cell(c, i, 0));
        if (!tbl)
            continue;
        json_t *col = json_object();
        static const char *const names[] = {"column_name", "data_type", "udt_name",
                                            "character_maximum_length", "numeric_precision",
                                            "numeric_scale", "is_nullable", "column_default"};
        for (size_t x = 0; x < 8; x++) {
            const char *v = cell(c, i, x + 1);
            json_t *jv = !v ? json_null() : (x >= 3 && x <= 5) ? json_integer(atoll(v))
                                                               : json_string(v);
            json_object_set_new(col, names[x], jv);
        }
        json_array_append_new(json_object_get(tbl, "columns"), col);
    }
    /* Referenced side of each FK. */
    json_t *refs = json_object();
    for (size_t i = 0; i < json_array_size(f); i++) {
        char *key = xfmt("%s/%s", cell(f, i, 1), cell(f, i, 0));
        json_t *ref = json_object_get(refs, key);
        if (!ref) {
            ref = json_pack("{s:s,s:[],s:s,s:s}", "table", cell(f, i, 4), "columns",
                            "update_rule", cell(f, i, 2), "delete_rule", cell(f, i, 3));
            json_object_set_new(refs, key, ref);
        }
        json_array_append_new(json_object_get(ref, "columns"), json_string(cell(f, i, 5)));
        free(key);
    }
    json_t *cons = json_object(); /* "table/name" -> {table,name,type,columns,refpos} */
    json_t *order = json_array();
    for (size_t i = 0; i < json_array_size(k); i++) {
        char *key = xfmt("%s/%s", cell(k, i, 0), cell(k, i, 1));
        json_t *x = json_object_get(cons, key);
        if (!x) {
            x = json_pack("{s:s,s:s,s:s,s:[],s:[]}", "table", cell(k, i, 0), "name",
                          cell(k, i, 1), "type", cell(k, i, 2), "columns", "refpos");
            json_object_set_new(cons, key, x);
            json_array_append_new(order, json_string(key));
        }
        json_array_append_new(json_object_get(x, "columns"), json_string(cell(k, i, 3)));
        const char *p = cell(k, i, 4);
        json_array_append_new(json_object_get(x, "refpos"), json_integer(p ? atoll(p) : 0));
        free(key);
    }
    for (size_t i = 0; i < json_array_size(order); i++) {
        const char *key = json_string_value(json_array_get(order, i));
        json_t *x = json_object_get(cons, key);
        json_t *tbl = json_object_get(tables, json_string_value(json_object_get(x, "table")));
        if (!tbl)
            continue;
        const char *type = json_string_value(json_object_get(x, "type"));
        json_t *name = json_object_get(x, "name"), *cols = json_object_get(x, "columns");
        if (strcmp(type, "PRIMARY KEY") == 0) {
            json_object_set_new(tbl, "primaryKey", json_pack("{s:O,s:O}", "constraint_name", name,
                                                             "columns", cols));
        } else if (strcmp(type, "UNIQUE") == 0) {
            json_array_append_new(json_object_get(tbl, "unique"),
                                  json_pack("{s:O,s:O}", "constraint_name", name, "columns", cols));
        } else {
            json_t *ref = json_object_get(refs, key);
            json_t *refcols = json_array();
            json_t *pos = json_object_get(x, "refpos");
            for (size_t p = 0; p < json_array_size(pos); p++) {
                json_int_t n = json_integer_value(json_array_get(pos, p));
                json_t *rc = ref ? json_array_get(json_object_get(ref, "columns"), (size_t)n - 1)
                                 : NULL;
                json_array_append(refcols, rc ? rc : json_null());
            }
            json_array_append_new(
                json_object_get(tbl, "foreignKeys"),
                json_pack("{s:O,s:O,s:O,s:o,s:O,s:O}", "constraint_name", name, "columns", cols,
                          "referenced_table", ref ? json_object_get(ref, "table") : json_null(),
                          "referenced_columns", refcols, "update_rule",
                          ref ? json_object_get(ref, "update_rule") : json_null(),
                          "delete_rule", ref ? json_object_get(ref, "delete_rule") : json_null()));
        }
    }
    json_decref(refs);
    json_decref(cons);
    json_decref(order);
done:
    json_decref(t);
    json_decref(c);
    json_decref(k);
    json_decref(f);
    return json_pack("{s:o}", "tables", tables);
}

/* generate.js layout -> facts (PostgreSQL): foreign keys keyed by columns. */
static json_t *pg_facts(const json_t *schema)
{
    json_t *out = json_object();
    const char *name;
    json_t *tbl;
    json_object_foreach(json_object_get(schema, "tables"), name, tbl) {
        json_t *fks = json_object();
        size_t i;
        json_t *fk;
        json_array_foreach(json_object_get(tbl, "foreignKeys"), i, fk) {
            char *cols = join_columns(json_object_get(fk, "columns"));
            json_object_set(fks, cols, fk);
            free(cols);
        }
        json_object_set_new(out, name,
                            json_pack("{s:O,s:O,s:O,s:o}", "columns", json_object_get(tbl, "columns"),
                                      "primaryKey", json_object_get(tbl, "primaryKey"), "unique",
                                      json_object_get(tbl, "unique"), "foreignKeys", fks));
    }
    return out;
}

/* The SQLite DDL type Sequelize (and relate) write for a PostgreSQL column,
 * per SEMANTICS.md's type table. FLOAT and DOUBLE are both "double precision"
 * in PostgreSQL; the model's attribute type tells them apart. */
static char *sqlite_type(const json_t *col, const rel_model *m)
{
    const char *udt = json_string_value(json_object_get(col, "udt_name"));
    const char *field = json_string_value(json_object_get(col, "column_name"));
    if (strcmp(udt, "int4") == 0)
        return strdup("INTEGER");
    if (strcmp(udt, "int8") == 0) {
        /* BIGSERIAL: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT */
        const char *def = json_string_value(json_object_get(col, "column_default"));
        return strdup(def && strncmp(def, "nextval(", 8) == 0 ? "INTEGER" : "BIGINT");
    }
    if (strcmp(udt, "float8") == 0) {
        for (size_t i = 0; m && i < rel_model_attr_count(m); i++) {
            const rel_attr *a = rel_model_attr_at(m, i);
            if (str_eq(a->field, field))
                return strdup(a->type == REL_FLOAT ? "FLOAT" : "DOUBLE PRECISION");
        }
        return strdup("DOUBLE PRECISION");
    }
    if (strcmp(udt, "numeric") == 0 && json_is_null(json_object_get(col, "numeric_precision")))
        return strdup("DECIMAL");
    if (strcmp(udt, "numeric") == 0)
        return xfmt("DECIMAL(%lld,%lld)",
                    (long long)json_integer_value(json_object_get(col, "numeric_precision")),
                    (long long)json_integer_value(json_object_get(col, "numeric_scale")));
    if (strcmp(udt, "varchar") == 0)
        return xfmt("VARCHAR(%lld)",
                    (long long)json_integer_value(json_object_get(col, "character_maximum_length")));
    static const char *const map[][2] = {
        {"text", "TEXT"}, {"bool", "TINYINT(1)"}, {"timestamptz", "DATETIME"}, {"date", "DATE"},
        {"uuid", "UUID"}, {"bytea", "BLOB"},      {"json", "JSON"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(udt, map[i][0]) == 0)
            return strdup(map[i][1]);
    return xfmt("?%s", udt);
}

/* A column default as a value, so that PostgreSQL's rendering (casts, -3
 * as '-3'::integer, booleans as true, timestamps as '...+00') and SQLite's
 * text of the DDL (3 or '3', 1, '... +00:00') compare: quotes dropped, ''
 * undoubled, booleans 1/0, dates in Sequelize's SQLite form. Whether a
 * literal was quoted is checked on PostgreSQL, where the cast shows it. */
static json_t *lite_default(const char *type, const char *def)
{
    if (!def)
        return json_null();
    size_t n = strlen(def);
    char *v = malloc(n + 1), *o = v;
    if (n >= 2 && def[0] == '\'' && def[n - 1] == '\'') {
        for (size_t i = 1; i + 1 < n; i++) {
            *o++ = def[i];
            if (def[i] == '\'' && def[i + 1] == '\'')
                i++;
        }
        *o = '\0';
    } else {
        memcpy(v, def, n + 1);
    }
    json_t *out;
    int64_t ms;
    char *end = NULL;
    double num = strtod(v, &end);
    bool numeric = strncmp(type, "DECIMAL", 7) == 0 || strcmp(type, "FLOAT") == 0 ||
                   strcmp(type, "DOUBLE PRECISION") == 0 || strcmp(type, "INTEGER") == 0 ||
                   strcmp(type, "BIGINT") == 0;
    if (numeric && *v && end && !*end && fabs(num) < 9007199254740992.0) {
        /* 1e-07 (PostgreSQL) and 1e-7 (the DDL) are one number */
        char text[40];
        snprintf(text, sizeof text, "%.17g", num);
        out = json_string(text);
    } else if (strcmp(type, "TINYINT(1)") == 0 && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)) {
        out = json_string(v[0] == 't' ? "1" : "0");
    } else if (strcmp(type, "DATETIME") == 0 && rel_datetime_parse(v, strlen(v), &ms)) {
        char text[40];
        rel_datetime_sqlite(ms, text);
        out = json_string(text);
    } else {
        out = json_string(v);
    }
    free(v);
    return out;
}

static const rel_model *model_of_table(const rel_schema *s, const char *table)
{
    for (size_t i = 0; i < rel_schema_model_count(s); i++) {
        const rel_model *m = rel_schema_model_at(s, i);
        if (str_eq(rel_model_table(m), table))
            return m;
    }
    return NULL;
}

static int cmp_dumped(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A JSON array of JSON values sorted by their text. */
static json_t *sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    char **texts = calloc(n + 1, sizeof *texts);
    for (size_t i = 0; i < n; i++)
        texts[i] = dump(json_array_get(arr, i));
    qsort(texts, n, sizeof *texts, cmp_dumped);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(out, json_loads(texts[i], JSON_DECODE_ANY, NULL));
        free(texts[i]);
    }
    free(texts);
    json_decref(arr);
    return out;
}

/* The expected PostgreSQL schema as the facts SQLite can show. Primary-key
 * columns are NOT NULL in PostgreSQL by definition; in SQLite's PRAGMA only
 * when the DDL says so, which Sequelize does only when told (SEMANTICS:
 * "Sequelize writes NOT NULL in DDL only when stated"), so nullability is
 * not compared for them. */
static json_t *sqlite_expected_facts(const json_t *schema, const rel_schema *rs)
{
    json_t *out = json_object();
    const char *name;
    json_t *tbl;
    json_object_foreach(json_object_get(schema, "tables"), name, tbl) {
        const rel_model *m = model_of_table(rs, name);
        json_t *pk = json_object_get(tbl, "primaryKey");
        json_t *pkcols = json_is_object(pk) ? json_object_get(pk, "columns") : NULL;
        json_t *cols = json_array();
        size_t i;
        json_t *col;
        json_array_foreach(json_object_get(tbl, "columns"), i, col) {
            const char *cn = json_string_value(json_object_get(col, "column_name"));
            bool in_pk = false;
            size_t p;
            json_t *pc;
            json_array_foreach(pkcols, p, pc) in_pk = in_pk || str_eq(json_string_value(pc), cn);
            const char *def = json_string_value(json_object_get(col, "column_default"));
            bool serial = def && strncmp(def, "nextval(", 8) == 0;
            json_t *jdef = json_null();
            char *type = sqlite_type(col, m);
            if (def && !serial) {
                /* '7' -> 7; 'x'::character varying -> 'x' */
                char *d = strdup(def);
                char *cast = strstr(d, "::");
                if (cast)
                    *cast = '\0';
                jdef = lite_default(type, d);
                free(d);
            }
            json_array_append_new(
                cols, json_pack("{s:s,s:s,s:o,s:o,s:b}", "column_name", cn, "type", type,
                                "notnull",
                                in_pk ? json_null()
                                      : json_boolean(str_eq(json_string_value(json_object_get(
                                                                col, "is_nullable")),
                                                            "NO")),
                                "default", jdef, "autoincrement", serial));
            free(type);
        }
        json_t *uniq = json_array();
        json_t *u;
        json_array_foreach(json_object_get(tbl, "unique"), i, u)
            json_array_append(uniq, json_object_get(u, "columns"));
        json_t *fks = json_object();
        json_t *fk;
        json_array_foreach(json_object_get(tbl, "foreignKeys"), i, fk) {
            char *key = join_columns(json_object_get(fk, "columns"));
            json_object_set_new(fks, key,
                                json_pack("{s:O,s:O,s:O,s:O,s:O}", "columns",
                                          json_object_get(fk, "columns"), "referenced_table",
                                          json_object_get(fk, "referenced_table"),
                                          "referenced_columns",
                                          json_object_get(fk, "referenced_columns"), "update_rule",
                                          json_object_get(fk, "update_rule"), "delete_rule",
                                          json_object_get(fk, "delete_rule")));
            free(key);
        }
        json_object_set_new(out, name,
                            json_pack("{s:o,s:O,s:o,s:o}", "columns", cols, "primaryKey",
                                      pkcols ? pkcols : json_null(), "unique", sorted(uniq),
                                      "foreignKeys", fks));
    }
    return out;
}

/* The same facts read from SQLite's catalog. */
static json_t *sqlite_actual_facts(raw *r)
{
    json_t *out = json_object();
    json_t *t = raw_rows(r, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' ORDER BY name");
    for (size_t ti = 0; t && ti < json_array_size(t); ti++) {
        const char *name = cell(t, ti, 0);
        const char *ddl = cell(t, ti, 1);
        char *q = quote_ident(name);
        char *sql = xfmt("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(%s%s%s)",
                         "'", name, "'");
        free(q);
        json_t *info = raw_rows(r, sql);
        free(sql);
        json_t *cols = json_array();
        json_t *pk = json_array();
        int npk = 0;
        for (size_t i = 0; info && i < json_array_size(info); i++)
            if (atoi(cell(info, i, 4)) > 0)
                npk++;
        for (int want = 1; want <= npk; want++)
            for (size_t i = 0; i < json_array_size(info); i++)
                if (atoi(cell(info, i, 4)) == want)
                    json_array_append_new(pk, json_string(cell(info, i, 0)));
        for (size_t i = 0; info && i < json_array_size(info); i++) {
            bool in_pk = atoi(cell(info, i, 4)) > 0;
            const char *type = cell(info, i, 1);
            bool autoinc = in_pk && npk == 1 && strcmp(type, "INTEGER") == 0 && ddl &&
                           strstr(ddl, "AUTOINCREMENT") != NULL;
            const char *def = cell(info, i, 3);
            json_array_append_new(
                cols, json_pack("{s:s,s:s,s:o,s:o,s:b}", "column_name", cell(info, i, 0), "type",
                                type, "notnull",
                                in_pk ? json_null() : json_boolean(atoi(cell(info, i, 2)) != 0),
                                "default", lite_default(type, def), "autoincrement",
                                autoinc));
        }
        json_decref(info);
        /* UNIQUE constraints: indexes made by a UNIQUE clause (origin 'u'). */
        json_t *uniq = json_array();
        sql = xfmt("SELECT name FROM pragma_index_list('%s') WHERE origin = 'u' AND \"unique\"", name);
        json_t *idx = raw_rows(r, sql);
        free(sql);
        for (size_t i = 0; idx && i < json_array_size(idx); i++) {
            sql = xfmt("SELECT name FROM pragma_index_info('%s') ORDER BY seqno", cell(idx, i, 0));
            json_t *ic = raw_rows(r, sql);
            free(sql);
            json_t *cl = json_array();
            for (size_t k = 0; ic && k < json_array_size(ic); k++)
                json_array_append_new(cl, json_string(cell(ic, k, 0)));
            json_array_append_new(uniq, cl);
            json_decref(ic);
        }
        json_decref(idx);
        /* Foreign keys, grouped by id. */
        json_t *fks = json_object();
        sql = xfmt("SELECT id, \"from\", \"table\", \"to\", on_update, on_delete FROM "
                   "pragma_foreign_key_list('%s') ORDER BY id, seq", name);
        json_t *fl = raw_rows(r, sql);
        free(sql);
        for (size_t i = 0; fl && i < json_array_size(fl);) {
            const char *id = cell(fl, i, 0);
            json_t *from = json_array(), *to = json_array();
            const char *table = cell(fl, i, 2), *upd = cell(fl, i, 4), *del = cell(fl, i, 5);
            size_t k = i;
            for (; k < json_array_size(fl) && str_eq(cell(fl, k, 0), id); k++) {
                json_array_append_new(from, json_string(cell(fl, k, 1)));
                json_array_append_new(to, cell(fl, k, 3) ? json_string(cell(fl, k, 3)) : json_null());
            }
            char *key = join_columns(from);
            json_object_set_new(fks, key,
                                json_pack("{s:o,s:s,s:o,s:s,s:s}", "columns", from,
                                          "referenced_table", table, "referenced_columns", to,
                                          "update_rule", upd, "delete_rule", del));
            free(key);
            i = k;
        }
        json_decref(fl);
        json_object_set_new(out, name,
                            json_pack("{s:o,s:o,s:o,s:o}", "columns", cols, "primaryKey",
                                      npk ? pk : (json_decref(pk), json_null()), "unique",
                                      sorted(uniq), "foreignKeys", fks));
    }
    json_decref(t);
    return out;
}

static void column_names(const json_t *cols, char *buf, size_t n)
{
    size_t i, used = 0;
    json_t *c;
    buf[0] = '\0';
    json_array_foreach(cols, i, c) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? "," : "",
                         json_string_value(json_object_get(c, "column_name")));
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

static json_t *find_column(const json_t *cols, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c)
        if (str_eq(json_string_value(json_object_get(c, "column_name")), name))
            return c;
    return NULL;
}

/* Compares facts table by table; keys "schema:<table>[:what[:name]]". */
static void compare_facts(ctx *c, const json_t *exp, const json_t *act)
{
    const char *name;
    json_t *et;
    json_object_foreach((json_t *)exp, name, et) {
        json_t *at = json_object_get(act, name);
        char key[512];
        if (!at) {
            snprintf(key, sizeof key, "schema:%s:missing-table", name);
            mismatch(c, key, "table missing");
            continue;
        }
        json_t *ec = json_object_get(et, "columns"), *ac = json_object_get(at, "columns");
        char en[2048], an[2048];
        column_names(ec, en, sizeof en);
        column_names(ac, an, sizeof an);
        size_t i;
        json_t *col;
        /* Missing and extra columns are reported per column, so that an
         * allow-list entry can name exactly one. */
        json_array_foreach(ec, i, col) {
            const char *cn = json_string_value(json_object_get(col, "column_name"));
            json_t *other = find_column(ac, cn);
            snprintf(key, sizeof key, "schema:%s:%s:%s", name, other ? "column" : "missing-column",
                     cn);
            if (!other) {
                mismatch(c, key, "column missing (relate has %s)", an);
            } else if (!json_equal(col, other)) {
                char *x = dump(col), *y = dump(other);
                mismatch(c, key, "\n    expected %s\n    relate   %s", x, y);
                free(x);
                free(y);
            }
        }
        json_array_foreach(ac, i, col) {
            const char *cn = json_string_value(json_object_get(col, "column_name"));
            if (!find_column(ec, cn)) {
                snprintf(key, sizeof key, "schema:%s:extra-column:%s", name, cn);
                mismatch(c, key, "extra column (expected %s)", en);
            }
        }
        /* Order of the columns both have. */
        {
            char eo[2048] = "", ao[2048] = "";
            json_array_foreach(ec, i, col) {
                const char *cn = json_string_value(json_object_get(col, "column_name"));
                if (find_column(ac, cn) && strlen(eo) + strlen(cn) + 2 < sizeof eo) {
                    strcat(eo, cn);
                    strcat(eo, ",");
                }
            }
            json_array_foreach(ac, i, col) {
                const char *cn = json_string_value(json_object_get(col, "column_name"));
                if (find_column(ec, cn) && strlen(ao) + strlen(cn) + 2 < sizeof ao) {
                    strcat(ao, cn);
                    strcat(ao, ",");
                }
            }
            if (strcmp(eo, ao) != 0) {
                snprintf(key, sizeof key, "schema:%s:column-order", name);
                mismatch(c, key, "expected %s, relate %s", en, an);
            }
        }
        static const char *const parts[] = {"primaryKey", "unique"};
        for (size_t p = 0; p < 2; p++) {
            json_t *x = json_object_get(et, parts[p]), *y = json_object_get(at, parts[p]);
            if (!json_equal(x, y)) {
                char *dx = dump(x), *dy = dump(y);
                snprintf(key, sizeof key, "schema:%s:%s", name, parts[p]);
                mismatch(c, key, "expected %s, relate %s", dx, dy);
                free(dx);
                free(dy);
            }
        }
        const char *fkname;
        json_t *efk;
        json_t *afks = json_object_get(at, "foreignKeys");
        json_object_foreach(json_object_get(et, "foreignKeys"), fkname, efk) {
            json_t *afk = json_object_get(afks, fkname);
            snprintf(key, sizeof key, "schema:%s:%s:%s", name, afk ? "fk" : "missing-fk", fkname);
            if (!json_equal(efk, afk)) {
                char *dx = dump(efk), *dy = afk ? dump(afk) : strdup("none");
                mismatch(c, key, "\n    expected %s\n    relate   %s", dx, dy);
                free(dx);
                free(dy);
            }
        }
        json_t *afk;
        json_object_foreach(afks, fkname, afk) {
            if (!json_object_get(json_object_get(et, "foreignKeys"), fkname)) {
                char *dy = dump(afk);
                snprintf(key, sizeof key, "schema:%s:extra-fk:%s", name, fkname);
                mismatch(c, key, "extra foreign key %s", dy);
                free(dy);
            }
        }
    }
    json_t *at;
    json_object_foreach((json_t *)act, name, at) {
        if (!json_object_get(exp, name)) {
            char key[512];
            snprintf(key, sizeof key, "schema:%s:extra-table", name);
            mismatch(c, key, "extra table");
        }
    }
}

/* --------------------------------------------------------- replaying steps */

/* A JSON value into an attribute, as generate.js gives it to Sequelize:
 * BLOBs as {"type":"Buffer","data":[...]}, JSON attributes as any value. */
static rel_status set_json(rel_record *r, const char *attr, const json_t *v, rel_error *err)
{
    const rel_attr *a = rel_model_attr(rel_record_model(r), attr);
    if (!a) {
        snprintf(err->message, sizeof err->message, "%s has no attribute '%s'",
                 rel_model_name(rel_record_model(r)), attr);
        return err->code = REL_INVALID;
    }
    if (a->type == REL_BLOB && json_is_object(v)) {
        json_t *data = json_object_get(v, "data");
        size_t n = json_array_size(data);
        unsigned char *bytes = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            bytes[i] = (unsigned char)json_integer_value(json_array_get(data, i));
        rel_status st = rel_set_blob(r, attr, bytes, n, err);
        free(bytes);
        return st;
    }
    if (a->type == REL_JSON && !json_is_null(v)) {
        char *text = dump(v);
        rel_status st = rel_set_text(r, attr, text, err);
        free(text);
        return st;
    }
    switch (json_typeof(v)) {
    case JSON_STRING: return rel_set_text(r, attr, json_string_value(v), err);
    case JSON_INTEGER: return rel_set_int(r, attr, json_integer_value(v), err);
    case JSON_REAL: return rel_set_double(r, attr, json_real_value(v), err);
    case JSON_TRUE: return rel_set_bool(r, attr, true, err);
    case JSON_FALSE: return rel_set_bool(r, attr, false, err);
    case JSON_NULL: return rel_set_null(r, attr, err);
    default: break;
    }
    return REL_INVALID;
}

static rel_status set_values(rel_record *r, const json_t *values, rel_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)values, k, v) {
        rel_status st = set_json(r, k, v, err);
        if (st != REL_OK)
            return st;
    }
    return REL_OK;
}

typedef struct scen {
    ctx c;
    size_t index;
    const char *name;
    rel_schema *schema;
    rel_db *db;
    const char *url;
    raw raw;
} scen;

static rel_value key_value(const json_t *id)
{
    if (json_is_string(id))
        return rel_text(json_string_value(id));
    return rel_int(json_integer_value(id));
}

/* Model.findByPk(id), as generate.js loads every row it touches. The result
 * goes to *keep (freed by the caller). */
static rel_record *load_row(scen *s, const rel_model *m, const json_t *id, rel_result **keep,
                            rel_error *err)
{
    *keep = NULL;
    if (!m) {
        snprintf(err->message, sizeof err->message, "unknown model");
        return NULL;
    }
    if (rel_find_by_pk(s->db, m, key_value(id), NULL, keep, err) != REL_OK)
        return NULL;
    return rel_result_row(*keep, 0);
}

/* One data step (README's table), through relate's API. */
static rel_status run_step(scen *s, const json_t *step, rel_error *err)
{
    rel_status st = REL_ERROR;
    const char *name;
    rel_result *keep[64] = {0};
    size_t nkeep = 0;
    rel_record *fresh = NULL, *through = NULL;
    memset(err, 0, sizeof *err);
    if ((name = json_string_value(json_object_get(step, "create")))) {
        const rel_model *m = rel_schema_model(s->schema, name);
        fresh = m ? rel_new(m) : NULL;
        if (!fresh) {
            snprintf(err->message, sizeof err->message, "no model %s", name);
            goto done;
        }
        if ((st = set_values(fresh, json_object_get(step, "values"), err)) == REL_OK)
            st = rel_save(s->db, fresh, err);
    } else if ((name = json_string_value(json_object_get(step, "update")))) {
        rel_record *row = load_row(s, rel_schema_model(s->schema, name),
                                   json_object_get(step, "id"), &keep[nkeep++], err);
        if (!row)
            goto done;
        if ((st = set_values(row, json_object_get(step, "values"), err)) == REL_OK)
            st = rel_save(s->db, row, err);
    } else if ((name = json_string_value(json_object_get(step, "destroy")))) {
        rel_record *row = load_row(s, rel_schema_model(s->schema, name),
                                   json_object_get(step, "id"), &keep[nkeep++], err);
        if (!row)
            goto done;
        st = rel_destroy(s->db, row, err);
    } else if ((name = json_string_value(json_object_get(step, "link")))) {
        const rel_model *m = rel_schema_model(s->schema, name);
        rel_record *src = load_row(s, m, json_object_get(step, "id"), &keep[nkeep++], err);
        if (!src)
            goto done;
        const char *an = json_string_value(json_object_get(step, "association"));
        const char *method = json_string_value(json_object_get(step, "method"));
        const rel_assoc *a = rel_model_assoc(m, an);
        if (!a) {
            snprintf(err->message, sizeof err->message, "%s has no association %s", name, an);
            goto done;
        }
        const rel_model *target = rel_assoc_target(a);
        json_t *tv = json_object_get(step, "through");
        if (tv) {
            through = rel_new(rel_assoc_through(a));
            if (!through || (st = set_values(through, tv, err)) != REL_OK)
                goto done;
        }
        if (strcmp(method, "create") == 0) {
            fresh = rel_new(target);
            if ((st = set_values(fresh, json_object_get(step, "values"), err)) == REL_OK)
                st = rel_assoc_create(s->db, src, an, fresh, through, err);
            goto done;
        }
        json_t *ids = json_object_get(step, "ids");
        rel_record *targets[32];
        size_t n = 0;
        if (json_array_size(ids) > sizeof targets / sizeof targets[0]) {
            snprintf(err->message, sizeof err->message, "more ids than this test takes");
            goto done;
        }
        if (json_is_array(ids)) {
            size_t i;
            json_t *id;
            json_array_foreach(ids, i, id) {
                targets[n] = load_row(s, target, id, &keep[nkeep++], err);
                if (!targets[n++])
                    goto done;
            }
        } else if (ids && !json_is_null(ids)) {
            targets[n] = load_row(s, target, ids, &keep[nkeep++], err);
            if (!targets[n++])
                goto done;
        }
        if (strcmp(method, "add") == 0)
            st = rel_assoc_add(s->db, src, an, targets, n, through, err);
        else if (strcmp(method, "remove") == 0)
            st = rel_assoc_remove(s->db, src, an, targets, n, err);
        else if (strcmp(method, "set") == 0)
            st = rel_assoc_set(s->db, src, an, targets, n, through, err);
        else
            snprintf(err->message, sizeof err->message, "unknown method %s", method);
    } else {
        snprintf(err->message, sizeof err->message, "unknown step");
    }
done:
    for (size_t i = 0; i < nkeep; i++)
        rel_result_free(keep[i]);
    rel_record_free(fresh);
    rel_record_free(through);
    return st;
}

/* README: after the last step every createdAt/updatedAt/created_at/updated_at
 * column of every table is set to one fixed value, with plain SQL. */
static bool fix_timestamps(scen *s)
{
    json_t *cols = raw_rows(&s->raw,
        test_is_postgres()
            ? "SELECT table_name, column_name FROM information_schema.columns WHERE "
              "table_schema = 'public' AND column_name IN ('createdAt', 'updatedAt', "
              "'created_at', 'updated_at') ORDER BY table_name, ordinal_position"
            : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
              "WHERE m.type = 'table' AND p.name IN ('createdAt', 'updatedAt', "
              "'created_at', 'updated_at') ORDER BY m.name, p.cid");
    bool ok = cols != NULL;
    for (size_t i = 0; ok && i < json_array_size(cols); i++) {
        char *t = quote_ident(cell(cols, i, 0)), *c = quote_ident(cell(cols, i, 1));
        char *sql = xfmt("UPDATE %s SET %s = '%s'", t, c,
                         test_is_postgres() ? FIXED_TIMESTAMP_PG : FIXED_TIMESTAMP_SQLITE);
        ok = raw_exec(&s->raw, sql);
        free(sql);
        free(t);
        free(c);
    }
    json_decref(cols);
    return ok;
}

/* ------------------------------------------------------------ table contents */

/* expected/<name>.tables.json as { table: [row text, ...] }, texts verbatim
 * (generate.js writes one row per line; re-encoding would change numbers). */
static json_t *read_table_texts(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    json_t *out = json_object(), *rows = NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (strncmp(line, "  \"", 3) == 0) {
            char *end = strstr(line + 3, "\": [");
            if (!end)
                continue;
            *end = '\0';
            rows = json_array();
            json_object_set_new(out, line + 3, rows);
        } else if (strncmp(line, "    {", 5) == 0 && rows) {
            if (n > 0 && line[n - 1] == ',')
                line[--n] = '\0';
            json_array_append_new(rows, json_string(line + 4));
        }
    }
    free(line);
    fclose(f);
    return out;
}

/* "ORDER BY" columns of a table, as generate.js: the primary key, else all. */
static char *order_columns(const json_t *tbl_facts, bool pg)
{
    const json_t *pk = json_object_get(tbl_facts, "primaryKey");
    const json_t *cols = pg && json_is_object(pk) ? json_object_get(pk, "columns")
                                                  : (!pg && json_is_array(pk) ? pk : NULL);
    char *out = strdup("");
    size_t i;
    json_t *c;
    if (cols) {
        json_array_foreach(cols, i, c) {
            char *q = quote_ident(json_string_value(c));
            char *next = xfmt("%s%st.%s", out, i ? ", " : "", q);
            free(out);
            free(q);
            out = next;
        }
    } else {
        json_array_foreach(json_object_get(tbl_facts, "columns"), i, c) {
            char *q = quote_ident(json_string_value(json_object_get(c, "column_name")));
            char *next = xfmt("%s%st.%s", out, i ? ", " : "", q);
            free(out);
            free(q);
            out = next;
        }
    }
    return out;
}

/* One SQLite value in the form PostgreSQL's row_to_json gives, compared. */
static bool lite_value_eq(const char *type, const json_t *exp, const json_t *act)
{
    if (json_is_null(exp) || json_is_null(act))
        return json_is_null(exp) && json_is_null(act);
    if (strcmp(type, "DATETIME") == 0) {
        int64_t a, b;
        const char *x = json_string_value(exp), *y = json_string_value(act);
        return x && y && rel_datetime_parse(x, strlen(x), &a) &&
               rel_datetime_parse(y, strlen(y), &b) && a == b;
    }
    if (strcmp(type, "TINYINT(1)") == 0)
        return json_is_boolean(exp) && json_is_integer(act) &&
               (json_is_true(exp) ? 1 : 0) == json_integer_value(act);
    if (strncmp(type, "DECIMAL", 7) == 0 || strcmp(type, "FLOAT") == 0 ||
        strcmp(type, "DOUBLE PRECISION") == 0) {
        if (!json_is_number(exp))
            return false;
        double y;
        if (json_is_number(act))
            y = json_number_value(act);
        else if (json_is_string(act))
            y = strtod(json_string_value(act), NULL);
        else
            return false;
        return json_number_value(exp) == y;
    }
    if (strcmp(type, "JSON") == 0) {
        /* JSON has NUMERIC affinity in SQLite: a JSON number is stored as one. */
        if (json_is_number(act))
            return json_is_number(exp) && json_number_value(exp) == json_number_value(act);
        if (!json_is_string(act))
            return false;
        json_t *parsed = json_loads(json_string_value(act), JSON_DECODE_ANY, NULL);
        bool eq = parsed && json_equal(exp, parsed);
        json_decref(parsed);
        return eq;
    }
    return json_equal(exp, act);
}

/* Whether relate's table holds the rows erows gives (row_to_json texts, in
 * key order): PostgreSQL byte for byte, SQLite value by value modulo storage
 * form. On a difference, why says where. */
static bool table_rows_match(scen *s, const char *table, const json_t *facts,
                             const json_t *erows, char *why, size_t nwhy)
{
    char *qt = quote_ident(table);
    char *ord = order_columns(facts, test_is_postgres());
    bool ok = true;
    why[0] = '\0';
    if (test_is_postgres()) {
        char *sql = xfmt("SELECT row_to_json(t)::text FROM %s t ORDER BY %s", qt, ord);
        json_t *rows = raw_rows(&s->raw, sql);
        free(sql);
        size_t n = json_array_size(erows), m = json_array_size(rows);
        for (size_t i = 0; ok && i < (n > m ? n : m); i++) {
            const char *x = json_string_value(json_array_get(erows, i));
            const char *y = cell(rows, i, 0);
            if (!str_eq(x, y)) {
                snprintf(why, nwhy, "row %zu (of %zu expected, %zu in relate's table)"
                         "\n    expected %s\n    relate   %s", i + 1, n, m,
                         x ? x : "(none)", y ? y : "(none)");
                ok = false;
            }
        }
        json_decref(rows);
        goto done;
    }
    /* SQLite: typed values; blobs as PostgreSQL's "\x..." text. */
    char *sql = xfmt("SELECT * FROM %s t ORDER BY %s", qt, ord);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->raw.lite, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(why, nwhy, "%s", sqlite3_errmsg(s->raw.lite));
        free(sql);
        ok = false;
        goto done;
    }
    free(sql);
    size_t i = 0;
    json_t *cols = json_object_get(facts, "columns");
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        const char *etext = json_string_value(json_array_get(erows, i));
        json_t *erow = etext ? json_loads(etext, JSON_DECODE_ANY, NULL) : NULL;
        json_t *arow = json_object();
        for (int k = 0; k < sqlite3_column_count(st); k++) {
            json_t *v;
            switch (sqlite3_column_type(st, k)) {
            case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(st, k)); break;
            case SQLITE_FLOAT: v = json_real(sqlite3_column_double(st, k)); break;
            case SQLITE_TEXT: v = json_string((const char *)sqlite3_column_text(st, k)); break;
            case SQLITE_BLOB: {
                const unsigned char *b = sqlite3_column_blob(st, k);
                int len = sqlite3_column_bytes(st, k);
                char *hex = malloc((size_t)len * 2 + 3);
                strcpy(hex, "\\x");
                for (int x = 0; x < len; x++)
                    sprintf(hex + 2 + 2 * x, "%02x", b[x]);
                v = json_string(hex);
                free(hex);
                break;
            }
            default: v = json_null(); break;
            }
            json_object_set_new(arow, sqlite3_column_name(st, k), v);
        }
        char *y = dump(arow);
        if (!erow) {
            snprintf(why, nwhy, "row %zu: relate has an extra row %s", i + 1, y);
            ok = false;
        } else {
            /* Same columns in the same order, each value modulo storage form. */
            void *ei = json_object_iter(erow), *ai = json_object_iter(arow);
            const char *badcol = "(column count)";
            while (ei && ai && ok) {
                const char *ek = json_object_iter_key(ei), *ak = json_object_iter_key(ai);
                json_t *col = find_column(cols, ak);
                const char *type = json_string_value(json_object_get(col, "type"));
                if (strcmp(ek, ak) != 0 || !lite_value_eq(type ? type : "",
                                                          json_object_iter_value(ei),
                                                          json_object_iter_value(ai))) {
                    ok = false;
                    badcol = ek;
                }
                ei = json_object_iter_next(erow, ei);
                ai = json_object_iter_next(arow, ai);
            }
            if (ei || ai)
                ok = false;
            if (!ok)
                snprintf(why, nwhy, "row %zu, column %s\n    expected %s\n    relate   %s", i + 1,
                         badcol, etext, y);
        }
        free(y);
        json_decref(erow);
        json_decref(arow);
        i++;
    }
    sqlite3_finalize(st);
    if (ok && i != json_array_size(erows)) {
        snprintf(why, nwhy, "%zu rows expected, relate's table has %zu", json_array_size(erows), i);
        ok = false;
    }
done:
    free(qt);
    free(ord);
    return ok;
}

/* ORACLE_SHOW_RELATE=1: relate's whole table, in the form an allow-list
 * entry's "relate" takes (PostgreSQL only: row_to_json texts). */
static void show_relate_rows(scen *s, const char *table, const json_t *facts)
{
    char *qt = quote_ident(table), *ord = order_columns(facts, true);
    char *sql = xfmt("SELECT row_to_json(t)::text FROM %s t ORDER BY %s", qt, ord);
    json_t *rows = raw_rows(&s->raw, sql), *texts = json_array();
    for (size_t i = 0; i < json_array_size(rows); i++)
        json_array_append_new(texts, json_string(cell(rows, i, 0)));
    char *text = dump(texts);
    printf("    relate's rows: %s\n", text);
    free(text);
    json_decref(texts);
    json_decref(rows);
    free(sql);
    free(qt);
    free(ord);
}

typedef struct table_check {
    scen *s;
    const char *table;
    const json_t *facts;
} table_check;

/* An allow-list entry's "relate" for a table: its rows, as row_to_json texts. */
static bool table_is(void *user, const json_t *relate)
{
    table_check *t = user;
    char why[4096];
    return json_is_array(relate) && table_rows_match(t->s, t->table, t->facts, relate, why,
                                                      sizeof why);
}

static void compare_tables(scen *s, const json_t *actual_facts)
{
    char *path = xfmt("%s/expected/%s%s.tables.json", oracle_dir(), s->name,
                      differs(s->name) ? ".sequelize-differs" : "");
    json_t *exp = read_table_texts(path);
    free(path);
    if (!exp) {
        mismatch(&s->c, "tables", "cannot read the expected tables");
        return;
    }
    const char *table;
    json_t *erows;
    json_object_foreach(exp, table, erows) {
        char key[512], why[8192];
        snprintf(key, sizeof key, "tables:%s", table);
        json_t *facts = json_object_get(actual_facts, table);
        if (!facts) {
            mismatch(&s->c, key, "no such table");
            continue;
        }
        if (!table_rows_match(s, table, facts, erows, why, sizeof why)) {
            table_check t = {s, table, facts};
            differ(&s->c, key, table_is, &t, "%s", why);
            if (getenv("ORACLE_SHOW_RELATE") && test_is_postgres())
                show_relate_rows(s, table, facts);
        }
    }
    /* Tables relate has that Sequelize's database did not. */
    json_t *facts;
    json_object_foreach((json_t *)actual_facts, table, facts) {
        if (!json_object_get(exp, table)) {
            char key[512];
            snprintf(key, sizeof key, "tables:%s", table);
            mismatch(&s->c, key, "extra table");
        }
    }
    json_decref(exp);
}

/* ------------------------------------------------------------------ queries */

/* SQLite's JSON against PostgreSQL's, walking the models: BIGINT and DECIMAL
 * attributes are strings on PostgreSQL and numbers on SQLite (SEMANTICS.md's
 * type table); a string and a number are equal only there, and only when
 * they denote the same value. Everything else must be equal, keys in order.
 * Writes the path of the first difference to where. */
static bool lite_json_eq(const rel_schema *schema, const rel_model *m, const json_t *exp,
                         const json_t *act, char *where, size_t n)
{
    if (json_is_array(exp) && json_is_array(act)) {
        if (json_array_size(exp) != json_array_size(act)) {
            snprintf(where + strlen(where), n - strlen(where), " (length %zu vs %zu)",
                     json_array_size(exp), json_array_size(act));
            return false;
        }
        for (size_t i = 0; i < json_array_size(exp); i++) {
            size_t len = strlen(where);
            snprintf(where + len, n - len, "[%zu]", i);
            if (!lite_json_eq(schema, m, json_array_get(exp, i), json_array_get(act, i), where, n))
                return false;
            where[len] = '\0';
        }
        return true;
    }
    if (json_is_object(exp) && json_is_object(act)) {
        void *ei = json_object_iter((json_t *)exp), *ai = json_object_iter((json_t *)act);
        for (; ei && ai; ei = json_object_iter_next((json_t *)exp, ei),
                         ai = json_object_iter_next((json_t *)act, ai)) {
            const char *ek = json_object_iter_key(ei), *ak = json_object_iter_key(ai);
            size_t len = strlen(where);
            snprintf(where + len, n - len, ".%s", ek);
            if (strcmp(ek, ak) != 0) {
                snprintf(where + strlen(where), n - strlen(where), " (key %s vs %s)", ek, ak);
                return false;
            }
            json_t *ev = json_object_iter_value(ei), *av = json_object_iter_value(ai);
            const rel_assoc *a = m ? rel_model_assoc(m, ek) : NULL;
            const rel_attr *attr = m ? rel_model_attr(m, ek) : NULL;
            if (a && !attr) {
                if (!lite_json_eq(schema, rel_assoc_target(a), ev, av, where, n))
                    return false;
            } else if (!attr && json_is_object(ev)) {
                /* A belongsToMany row's junction row, under the junction's name. */
                if (!lite_json_eq(schema, rel_schema_model(schema, ek), ev, av, where, n))
                    return false;
            } else if (attr && (attr->type == REL_BIGINT || attr->type == REL_DECIMAL) &&
                       json_is_string(ev) && json_is_number(av)) {
                const char *es = json_string_value(ev);
                bool eq;
                if (attr->type == REL_BIGINT && json_is_integer(av)) {
                    char digits[32];
                    snprintf(digits, sizeof digits, "%lld", (long long)json_integer_value(av));
                    eq = strcmp(es, digits) == 0;
                } else {
                    eq = strtod(es, NULL) == json_number_value(av);
                }
                if (!eq)
                    return false;
            } else if (!json_equal(ev, av)) {
                return false;
            }
            where[len] = '\0';
        }
        if (ei || ai) {
            snprintf(where + strlen(where), n - strlen(where), " (%s key count)",
                     ei ? "fewer" : "more");
            return false;
        }
        return true;
    }
    return json_equal(exp, act);
}

static char *opt_text(const json_t *options, const char *key)
{
    json_t *v = json_object_get(options, key);
    return v ? dump(v) : NULL;
}

/* Runs one recorded query; returns relate's JSON (malloc'd) or NULL with err. */
static char *run_query(scen *s, const json_t *q, rel_error *err)
{
    const char *mname = json_string_value(json_object_get(q, "model"));
    const rel_model *m = rel_schema_model(s->schema, mname);
    json_t *options = json_object_get(q, "options");
    if (!m) {
        snprintf(err->message, sizeof err->message, "no model %s", mname);
        return NULL;
    }
    rel_arena *arena = rel_arena_new(0);
    rel_find_opts o = {0};
    char *where = opt_text(options, "where"), *order = opt_text(options, "order");
    char *attrs = opt_text(options, "attributes"), *incl = opt_text(options, "include");
    char *out = NULL;
    rel_result *res = NULL;
    o.where = where;
    o.order = order;
    o.limit = json_integer_value(json_object_get(options, "limit"));
    o.offset = json_integer_value(json_object_get(options, "offset"));
    if (attrs && rel_json_attributes_parse(attrs, m, arena, &o.attributes, err) != REL_OK)
        goto done;
    if (incl && rel_json_include_parse(incl, m, arena, &o.include, err) != REL_OK)
        goto done;
    if (rel_find_all(s->db, m, &o, &res, err) != REL_OK)
        goto done;
    out = rel_result_json(res);
done:
    rel_result_free(res);
    rel_arena_free(arena);
    free(where);
    free(order);
    free(attrs);
    free(incl);
    return out;
}

/* Whether relate's JSON is Sequelize's: byte for byte on PostgreSQL, by
 * lite_json_eq on SQLite. On a difference, why says where. */
static bool output_matches(const scen *s, const rel_model *m, const char *exp, const char *act,
                           char *why, size_t n)
{
    if (test_is_postgres()) {
        if (strcmp(exp, act) == 0)
            return true;
        text_diff(exp, act, why, n);
        return false;
    }
    json_t *je = json_loads(exp, JSON_DECODE_ANY, NULL);
    json_t *ja = json_loads(act, JSON_DECODE_ANY, NULL);
    char where[1024] = "$";
    bool ok = je && ja && lite_json_eq(s->schema, m, je, ja, where, sizeof where);
    if (!ok) {
        char diff[1024];
        text_diff(exp, act, diff, sizeof diff);
        snprintf(why, n, "first difference at %s\n    %s", where, diff);
    }
    json_decref(je);
    json_decref(ja);
    return ok;
}

typedef struct query_check {
    const scen *s;
    const rel_model *m;
    const char *act;
} query_check;

/* An allow-list entry's "relate" for a query: the JSON relate gives. */
static bool query_is(void *user, const json_t *relate)
{
    query_check *c = user;
    char why[2048];
    return json_is_string(relate) &&
           output_matches(c->s, c->m, json_string_value(relate), c->act, why, sizeof why);
}

static void run_queries(scen *s)
{
    char *path = xfmt("%s/expected/%s%s.queries.json", oracle_dir(), s->name,
                      differs(s->name) ? ".sequelize-differs" : "");
    json_t *queries = load_json(path);
    free(path);
    if (!queries) {
        mismatch(&s->c, "queries", "cannot read the expected queries");
        return;
    }
    size_t i;
    json_t *q;
    json_array_foreach(queries, i, q) {
        char key[64], why[2048];
        snprintf(key, sizeof key, "query:%zu", i);
        const char *note = json_string_value(json_object_get(q, "note"));
        const char *model = json_string_value(json_object_get(q, "model"));
        const rel_model *m = rel_schema_model(s->schema, model);
        char *opts = dump(json_object_get(q, "options"));
        const char *exp = json_string_value(json_object_get(q, "json"));
        rel_error err;
        memset(&err, 0, sizeof err);
        int mismatches = s->c.mismatches, allowed = s->c.allowed;
        summary[s->index].queries++;
        char *act = run_query(s, q, &err);
        if (!exp) {
            mismatch(&s->c, key, "Sequelize rejected this query; relate's check is not written");
        } else if (!act) {
            mismatch(&s->c, key, "%s %s %s\n    relate failed: %s: %s", model, opts,
                     note ? note : "", rel_status_name(err.code), err.message);
        } else if (!output_matches(s, m, exp, act, why, sizeof why)) {
            query_check c = {s, m, act};
            differ(&s->c, key, query_is, &c, "%s %s (%s)\n    %s", model, opts, note ? note : "",
                   why);
            if (getenv("ORACLE_SHOW_RELATE")) {
                json_t *text = json_string(act);
                char *quoted = dump(text);
                printf("    relate's JSON: %s\n", quoted);
                free(quoted);
                json_decref(text);
            }
        }
        if (s->c.mismatches == mismatches && s->c.allowed == allowed)
            summary[s->index].queries_ok++;
        else if (s->c.mismatches == mismatches)
            summary[s->index].queries_allowed++;
        free(act);
        free(opts);
    }
    json_decref(queries);
}

/* ---------------------------------------------------------------- scenarios */

static void run_scenario(void **state)
{
    scen s;
    memset(&s, 0, sizeof s);
    s.index = *(const size_t *)*state;
    s.name = SCENARIOS[s.index];
    s.c.scenario = s.name;
    load_known();
    printf("oracle[%s] %s\n", test_engine(), s.name);
    rel_error err;
    memset(&err, 0, sizeof err);
    char *errors = NULL;
    char *rel = xfmt("%s/scenarios/%s.rel", oracle_dir(), s.name);
    char *schema_path = xfmt("%s/expected/%s%s.schema.json", oracle_dir(), s.name,
                             differs(s.name) ? ".sequelize-differs" : "");
    char *data_path = xfmt("%s/scenarios/%s.data.json", oracle_dir(), s.name);
    json_t *expected_schema = load_json(schema_path), *steps = load_json(data_path);
    json_t *exp_facts = NULL, *act_facts = NULL, *act_schema = NULL;
    if (rel_schema_load_file(rel, &s.schema, &errors, &err) != REL_OK) {
        mismatch(&s.c, "load", "%s: %s%s", rel_status_name(err.code), err.message,
                 errors ? errors : "");
        goto done;
    }
    s.url = test_db_url();
    if (rel_open(&s.db, s.schema, s.url, &err) != REL_OK ||
        rel_sync(s.db, NULL, &err) != REL_OK) {
        mismatch(&s.c, "sync", "%s: %s", rel_status_name(err.code), err.message);
        goto done;
    }
    if (!raw_open(&s.raw, s.url) || !expected_schema || !steps) {
        mismatch(&s.c, "setup", "cannot open the database or read the scenario");
        goto done;
    }

    /* 1. The schema. */
    if (test_is_postgres()) {
        act_schema = pg_schema(&s.raw);
        exp_facts = pg_facts(expected_schema);
        act_facts = pg_facts(act_schema);
    } else {
        exp_facts = sqlite_expected_facts(expected_schema, s.schema);
        act_facts = sqlite_actual_facts(&s.raw);
    }
    compare_facts(&s.c, exp_facts, act_facts);

    /* 2. The data steps, then the fixed timestamps. */
    size_t i;
    json_t *step;
    json_array_foreach(steps, i, step) {
        if (run_step(&s, step, &err) != REL_OK) {
            char key[64], *text = dump(step);
            snprintf(key, sizeof key, "step:%zu", i);
            mismatch(&s.c, key, "%s\n    %s: %s", text, rel_status_name(err.code), err.message);
            free(text);
        }
    }
    if (!fix_timestamps(&s))
        mismatch(&s.c, "timestamps", "could not set the timestamps");

    /* 3. The tables' contents. */
    compare_tables(&s, act_facts);

    /* 4. The queries. */
    run_queries(&s);

done:
    printf("oracle[%s] %s: %d mismatches, %d allowed differences, queries %d/%d\n",
           test_engine(), s.name, s.c.mismatches, s.c.allowed, summary[s.index].queries_ok,
           summary[s.index].queries);
    summary[s.index].ran = true;
    summary[s.index].allowed = s.c.allowed;
    summary[s.index].mismatches = s.c.mismatches;
    raw_close(&s.raw);
    rel_close(s.db);
    rel_schema_free(s.schema);
    free(errors);
    free(rel);
    free(schema_path);
    free(data_path);
    json_decref(expected_schema);
    json_decref(steps);
    json_decref(exp_facts);
    json_decref(act_facts);
    json_decref(act_schema);
    assert_int_equal(s.c.mismatches, 0);
}

/* ------------------------------------------------------------------- errors */

/* What relate must say for each case of errors.json. relate reports
 * definition errors when the schema is frozen (SEMANTICS.md "Where relate
 * differs" rule 2), including those Sequelize only meets during sync, so
 * "freeze" stands for Sequelize's "define" and "sync". `needles`: '|'
 * separates alternatives, '&' substrings that must all appear; the wording
 * is SEMANTICS.md's where it states one ("Eager loading"), else Sequelize's
 * naming of the problem. */
static const struct {
    const char *name;
    const char *phase; /* "freeze", "query" or "none" */
    const char *needles;
} ERROR_CASES[] = {
    {"include of a non-associated model", "query", "Task is not associated to Organization"},
    {"include of a non-associated model, nested", "query",
     "Organization is not associated to Task"},
    {"include of a model associated only the other way", "query",
     "Employee is not associated to Task"},
    {"include of an aliased hasMany by model", "query",
     "Post is associated to User using an alias; include it as 'articles'"},
    {"include of two aliased belongsTo by model", "query",
     "User is associated to Post using an alias&'author'&'editor'"},
    {"include of an aliased belongsToMany by model", "query",
     "Tag is associated to Post using an alias; include it as 'labels'"},
    {"include by model with a wrong alias", "query", "'bogus'&Post"},
    {"include by model with a wrong alias, single association", "query", "'bogus'&User"},
    {"include of a non-associated model with an alias", "query",
     "Task is not associated to Organization|'chores'&Organization"},
    {"include of an unknown alias", "query", "Association with alias 'bogus' does not exist on User"},
    {"include of an unknown alias, object form", "query",
     "Association with alias 'bogus' does not exist on User"},
    {"include of an unknown alias, nested", "query",
     "Association with alias 'bogus' does not exist on Employee"},
    {"include of an association by its default name when it has an alias", "query",
     "Association with alias 'Posts' does not exist on User"},
    {"where on an unknown attribute", "query", "bogus&Organization"},
    {"where on an unknown attribute inside an include", "query", "bogus&Employee"},
    {"order by an unknown attribute", "query", "bogus&Organization"},
    {"attributes naming an unknown attribute", "query", "bogus&Organization"},
    {"belongsToMany without through", "freeze", "Employee.belongsToMany(Task)&through"},
    {"many-to-many self-association without as", "freeze",
     "'as' must be defined for many-to-many self-associations"},
    {"hasMany with through", "freeze", "N:M associations are not supported with hasMany"},
    {"target that is not a model", "freeze", "STRING&model"},
    {"belongsTo target that is not a model", "freeze", "STRING&model"},
    {"alias equal to an attribute (naming collision), hasMany", "freeze",
     "collision between attribute 'posts' and association 'posts' on model User"},
    {"alias equal to an attribute (naming collision), belongsTo", "freeze",
     "collision between attribute 'author' and association 'author' on model Post"},
    {"alias equal to an attribute (naming collision), hasOne", "freeze",
     "collision between attribute 'profile' and association 'profile' on model User"},
    {"alias equal to an attribute (naming collision), belongsToMany", "freeze",
     "collision between attribute 'tags' and association 'tags' on model User"},
    {"association name equal to an attribute without as", "freeze",
     "collision between attribute 'Posts' and association 'Posts' on model User"},
    {"foreign key equal to the association name", "freeze",
     "collision between attribute 'User' and association 'User' on model Post"},
    {"one alias used twice on a model", "freeze", "'items'&User"},
    {"the same alias twice to the same target", "freeze", "'author'&Post"},
    {"the same unaliased association twice (no error in Sequelize)", "none", ""},
    {"hasOne with an unknown sourceKey", "freeze", "nick&sourceKey&Actor"},
    {"hasMany with an unknown sourceKey", "freeze", "bogus&sourceKey&Role"},
    {"belongsTo with an unknown targetKey", "freeze", "nick&targetKey&Actor"},
    {"belongsToMany with an unknown sourceKey", "freeze", "bogus&sourceKey&Costume"},
    {"belongsToMany with an unknown targetKey", "freeze", "wardrobe&targetKey&Actor"},
    {"hasMany with a sourceKey that is not unique", "freeze", "title&unique"},
    {"belongsTo with a targetKey that is not unique", "freeze", "name&unique"},
    {"belongsToMany with a targetKey that is not unique", "freeze", "wardrobe&unique"},
    {"unknown onDelete rule", "freeze", "EXPLODE|onDelete&must be one of&CASCADE"},
};

/* needles: alternatives separated by '|', each a '&' list of substrings. */
static bool says(const char *msg, const char *needles)
{
    char *copy = strdup(needles), *save_alt = NULL;
    bool any = false;
    for (char *alt = strtok_r(copy, "|", &save_alt); alt && !any;
         alt = strtok_r(NULL, "|", &save_alt)) {
        char *save = NULL;
        bool all = true;
        for (char *n = strtok_r(alt, "&", &save); n; n = strtok_r(NULL, "&", &save))
            all = all && strstr(msg, n) != NULL;
        any = all;
    }
    free(copy);
    return any;
}

/* An allow-list entry's "relate" for an error case: what relate's message
 * says (needles, as in ERROR_CASES). */
static bool message_is(void *user, const json_t *relate)
{
    const char *msg = user;
    return msg && json_is_string(relate) && says(msg, json_string_value(relate));
}

static void run_errors(void **state)
{
    (void)state;
    load_known();
    ctx c = {.scenario = "errors"};
    json_t *cases = load_json_in("expected/errors.json");
    size_t i;
    json_t *e;
    size_t passed = 0;
    printf("oracle[%s] errors\n", test_engine());
    json_array_foreach(cases, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *text = json_string_value(json_object_get(e, "rel"));
        json_t *q = json_object_get(e, "query");
        char key[512];
        snprintf(key, sizeof key, "error:%s", name);
        size_t k = 0;
        while (k < sizeof ERROR_CASES / sizeof ERROR_CASES[0] && strcmp(ERROR_CASES[k].name, name))
            k++;
        if (k == sizeof ERROR_CASES / sizeof ERROR_CASES[0]) {
            mismatch(&c, key, "no expectation written for this case");
            continue;
        }
        int before = c.mismatches + c.allowed, mism_before = c.mismatches;
        const char *phase = ERROR_CASES[k].phase;
        rel_schema *schema = NULL;
        rel_error err;
        memset(&err, 0, sizeof err);
        char *errors = NULL;
        char *msg = NULL;
        const char *got = "none";
        rel_status st = rel_schema_load_text(text, strlen(text), "case.rel", &schema, &errors, &err);
        if (st != REL_OK) {
            got = "freeze";
            msg = xfmt("%s\n%s", err.message, errors ? errors : "");
        } else if (q) {
            rel_db *db = NULL;
            if (rel_open(&db, schema, test_db_url(), &err) != REL_OK ||
                rel_sync(db, NULL, &err) != REL_OK) {
                got = "sync";
                msg = strdup(err.message);
            } else {
                scen s;
                memset(&s, 0, sizeof s);
                s.schema = schema;
                s.db = db;
                char *out = run_query(&s, q, &err);
                if (!out) {
                    got = "query";
                    msg = strdup(err.message);
                }
                free(out);
            }
            rel_close(db);
        }
        if (msg && strchr(msg, '\n'))
            *strchr(msg, '\n') = '\0'; /* the first error is the one that counts */
        if (strcmp(got, phase) != 0)
            differ(&c, key, message_is, msg, "relate: %s%s%s; expected %s (Sequelize: %s: %s)",
                   got, msg ? ": " : "", msg ? msg : "", phase,
                   json_string_value(json_object_get(e, "phase")),
                   json_string_value(json_object_get(e, "error")));
        else if (msg && !says(msg, ERROR_CASES[k].needles))
            mismatch(&c, key, "relate's message does not name the problem (%s):\n    %s",
                     ERROR_CASES[k].needles, msg);
        else
            printf("  ok %s: %s\n", name, msg ? msg : "(no error)");
        if (c.mismatches + c.allowed == before)
            passed++;
        else if (c.mismatches == mism_before)
            summary[NSCENARIOS].queries_allowed++;
        free(msg);
        free(errors);
        rel_schema_free(schema);
    }
    printf("oracle[%s] errors: %zu/%zu cases as expected, %d allowed differences\n",
           test_engine(), passed, json_array_size(cases), c.allowed);
    summary[NSCENARIOS].ran = true;
    summary[NSCENARIOS].queries = (int)json_array_size(cases);
    summary[NSCENARIOS].queries_ok = (int)passed;
    summary[NSCENARIOS].allowed = c.allowed;
    summary[NSCENARIOS].mismatches = c.mismatches;
    json_decref(cases);
    assert_int_equal(c.mismatches, 0);
}

/* ---------------------------------------------- the allow-list stays honest */

/* Every entry must cite a rule of "Where relate differs" (1 to 7) and say
 * why, and must have matched a mismatch on an engine it applies to. */
static void check_known(void **state)
{
    (void)state;
    load_known();
    int bad = 0;
    size_t i;
    json_t *e;
    printf("oracle[%s] summary\n", test_engine());
    int tq = 0, tok = 0, tal = 0;
    for (size_t k = 0; k <= NSCENARIOS; k++) {
        if (!summary[k].ran)
            continue;
        printf("  %-14s %3d/%-3d %s, %d as documented differences; %d allowed "
               "differences in all, %d mismatches\n",
               k < NSCENARIOS ? SCENARIOS[k] : "errors", summary[k].queries_ok,
               summary[k].queries,
               k < NSCENARIOS ? "queries as Sequelize's" : "cases as expected",
               summary[k].queries_allowed, summary[k].allowed, summary[k].mismatches);
        if (k < NSCENARIOS) {
            tq += summary[k].queries;
            tok += summary[k].queries_ok;
            tal += summary[k].queries_allowed;
        }
    }
    printf("  queries: %d/%d identical to Sequelize's, %d differ as documented, %d fail\n", tok,
           tq, tal, tq - tok - tal);
    json_array_foreach(known, i, e) {
        json_int_t rule = json_integer_value(json_object_get(e, "rule"));
        const char *why = json_string_value(json_object_get(e, "why"));
        const char *eng = json_string_value(json_object_get(e, "engine"));
        const char *key = json_string_value(json_object_get(e, "key"));
        if (rule < 1 || rule > 7 || !why || !*why || !key) {
            printf("  BAD allow-list entry %zu: needs \"key\", \"rule\" (1-7) and \"why\"\n", i);
            bad++;
        } else if ((!eng || strcmp(eng, test_engine()) == 0) && !known_used[i]) {
            printf("  STALE allow-list entry %zu (%s %s): no such difference any more\n", i,
                   json_string_value(json_object_get(e, "scenario")), key);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    find_scenarios();
    /* Fewer than the recorded scenarios means the folder was not found. */
    if (NSCENARIOS < 16) {
        fprintf(stderr, "oracle: only %zu scenarios in %s/scenarios\n", NSCENARIOS, oracle_dir());
        return 1;
    }
    static size_t idx[MAX_SCENARIOS];
    struct CMUnitTest tests[MAX_SCENARIOS + 2];
    for (size_t i = 0; i < NSCENARIOS; i++) {
        idx[i] = i;
        struct CMUnitTest t = cmocka_unit_test_prestate(run_scenario, &idx[i]);
        t.name = SCENARIOS[i];
        tests[i] = t;
    }
    struct CMUnitTest te = cmocka_unit_test(run_errors);
    struct CMUnitTest tk = cmocka_unit_test(check_known);
    tests[NSCENARIOS] = te;
    tests[NSCENARIOS + 1] = tk;
    int rc = _cmocka_run_group_tests("oracle", tests, NSCENARIOS + 2, NULL, NULL);
    json_decref(known);
    free(known_used);
    for (size_t i = 0; i < NSCENARIOS; i++)
        free(SCENARIOS[i]);
    return rc;
}
