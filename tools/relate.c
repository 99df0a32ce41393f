/* relate: the command-line tool. Reads a model file (.rel) and prints its
 * DDL, creates its tables, creates rows from JSON, finds rows as JSON, or
 * draws the models. This file only parses arguments and dispatches; the work
 * is done by the library (and io/diagram.c, io/json_opts.c).
 *
 * Exit codes: 0 success, 1 database error, 2 bad arguments or model file. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relate.h"
#include "io/diagram.h"
#include "io/json_opts.h"
#include "util/arena.h"
#include "util/buf.h"

#define EXIT_DB 1
#define EXIT_USAGE 2
#define DEFAULT_DB "sqlite:relate.db"

/* ------------------------------------------------------------------ help */

static const char usage_text[] =
    "usage: relate COMMAND FILE [ARGS] [OPTIONS]\n"
    "\n"
    "relate reads a model file (a .rel file: Sequelize's define(...) and association\n"
    "calls) and works with the database it describes.\n"
    "\n"
    "commands:\n"
    "  ddl      FILE [--dialect sqlite|postgres] [--force]\n"
    "           print the SQL statements sync runs, in order\n"
    "  sync     FILE [--db URL] [--force]\n"
    "           create the tables\n"
    "  create   FILE MODEL JSON [--db URL]\n"
    "           create a row, and the rows nested in it, and print them as JSON\n"
    "  find     FILE MODEL [--db URL] [--include JSON] [--where JSON] [--order JSON]\n"
    "                      [--attributes JSON] [--limit N] [--offset N]\n"
    "           print the matching rows as a JSON array\n"
    "  diagram  FILE [--format mermaid|dot]\n"
    "           draw the models and their associations\n"
    "\n"
    "The database is " DEFAULT_DB " unless --db gives another URL:\n"
    "sqlite:path/to/file.db, sqlite::memory:, postgres://user@host:port/dbname.\n"
    "\n"
    "'relate COMMAND --help' explains a command with an example.\n"
    "Exit status: 0 success, 1 database error, 2 bad arguments or model file.\n";

typedef struct command_help {
    const char *name;
    const char *text;
} command_help;

static const command_help helps[] = {
    {"ddl",
     "usage: relate ddl FILE [--dialect sqlite|postgres] [--force]\n"
     "\n"
     "Prints the statements 'relate sync' runs for FILE, in order, each ending\n"
     "with ';': CREATE TABLE IF NOT EXISTS for every model, parents first, with\n"
     "the foreign keys its associations add. The output can be run as it is.\n"
     "\n"
     "  --dialect NAME   sqlite (the default) or postgres\n"
     "  --force          start with DROP TABLE for every table, children first\n"
     "\n"
     "example:\n"
     "  relate ddl examples/organization.rel --dialect postgres\n"},
    {"sync",
     "usage: relate sync FILE [--db URL] [--force]\n"
     "\n"
     "Creates the tables of FILE's models that do not exist yet, parents first,\n"
     "in one transaction.\n"
     "\n"
     "  --db URL   the database (default " DEFAULT_DB ")\n"
     "  --force    drop every table first (children first): the data is lost\n"
     "\n"
     "example:\n"
     "  relate sync examples/organization.rel --db sqlite:org.db --force\n"},
    {"create",
     "usage: relate create FILE MODEL JSON [--db URL]\n"
     "\n"
     "Creates a MODEL row from the JSON object and, as Sequelize's\n"
     "create(values, { include }) does, the rows nested in it under association\n"
     "names, all in one transaction. belongsToMany elements may carry junction\n"
     "values under the junction model's name. Prints the created tree as JSON.\n"
     "\n"
     "  --db URL   the database (default " DEFAULT_DB ")\n"
     "\n"
     "example:\n"
     "  relate create examples/organization.rel Organization \\\n"
     "    '{\"name\":\"Acme\",\"Employees\":[{\"name\":\"Ann\","
     "\"Tasks\":[{\"title\":\"Ship\"}]}]}'\n"},
    {"find",
     "usage: relate find FILE MODEL [--db URL] [--include JSON] [--where JSON]\n"
     "                   [--order JSON] [--attributes JSON] [--limit N] [--offset N]\n"
     "\n"
     "Prints the MODEL rows that match as a JSON array, the same as Sequelize's\n"
     "JSON.stringify(rows.map(r => r.toJSON())) for the same options.\n"
     "\n"
     "  --db URL           the database (default " DEFAULT_DB ")\n"
     "  --include JSON     associations to load with each row:\n"
     "                     '[\"Tasks\"]' or '[{\"association\":\"Employees\",\"required\":true,\n"
     "                     \"where\":{...},\"attributes\":[...],\"through\":{\"attributes\":[]},\n"
     "                     \"include\":[...]}]'\n"
     "  --where JSON       '{\"age\":{\"gt\":30},\"or\":[{\"name\":\"Ann\"},{\"name\":\"Bo\"}]}'\n"
     "                     operators: eq ne gt gte lt lte in notIn like notLike between\n"
     "                     is not and or\n"
     "  --order JSON       '[[\"name\",\"DESC\"]]' or '[[\"Employees\",\"name\",\"ASC\"]]'\n"
     "  --attributes JSON  '[\"id\",\"name\"]' or '{\"exclude\":[\"createdAt\"]}'\n"
     "  --limit N          at most N rows (counting top-level rows only)\n"
     "  --offset N         skip the first N rows\n"
     "\n"
     "example:\n"
     "  relate find examples/organization.rel Organization \\\n"
     "    --include '[{\"association\":\"Employees\",\"include\":[\"Tasks\"]}]' \\\n"
     "    --order '[[\"name\",\"ASC\"]]'\n"},
    {"diagram",
     "usage: relate diagram FILE [--format mermaid|dot]\n"
     "\n"
     "Draws FILE's models, with their columns and keys (PK, FK, UK), and their\n"
     "associations (kind, foreign key, junction), as a Mermaid erDiagram (the\n"
     "default) or a Graphviz DOT graph.\n"
     "\n"
     "  --format NAME   mermaid or dot\n"
     "\n"
     "example:\n"
     "  relate diagram examples/organization.rel --format dot | dot -Tsvg > org.svg\n"},
};

static const command_help *find_help(const char *cmd)
{
    for (size_t i = 0; i < sizeof helps / sizeof *helps; i++)
        if (strcmp(helps[i].name, cmd) == 0)
            return &helps[i];
    return NULL;
}

/* ------------------------------------------------------------- arguments */

typedef struct args {
    const char *cmd;
    const char *pos[4];
    int npos;
    const char *db, *dialect, *format, *include, *where, *order, *attributes, *limit,
        *offset;
    bool force, help;
} args;

/* The options each command takes. */
typedef struct option_spec {
    const char *name;
    const char *commands; /* space-separated */
    bool takes_value;
    size_t offset;        /* of the const char * (or bool) field in args */
} option_spec;

static const option_spec options[] = {
    {"db", " sync create find ", true, offsetof(args, db)},
    {"dialect", " ddl ", true, offsetof(args, dialect)},
    {"force", " ddl sync ", false, offsetof(args, force)},
    {"format", " diagram ", true, offsetof(args, format)},
    {"include", " find ", true, offsetof(args, include)},
    {"where", " find ", true, offsetof(args, where)},
    {"order", " find ", true, offsetof(args, order)},
    {"attributes", " find ", true, offsetof(args, attributes)},
    {"limit", " find ", true, offsetof(args, limit)},
    {"offset", " find ", true, offsetof(args, offset)},
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "relate: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nTry 'relate %s --help'.\n", cmd);
    else
        fprintf(stderr, "\nTry 'relate --help'.\n");
    return EXIT_USAGE;
}

static bool takes(const option_spec *o, const char *cmd)
{
    char key[32];
    snprintf(key, sizeof key, " %s ", cmd);
    return strstr(o->commands, key) != NULL;
}

/* Parses argv after the command; returns -1 on success, else an exit code. */
static int parse_args(int argc, char **argv, args *a)
{
    bool options_done = false;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            if (a->npos == (int)(sizeof a->pos / sizeof *a->pos))
                return usage_error(a->cmd, "too many arguments ('%s')", arg);
            a->pos[a->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = true;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0)
            return usage_error(a->cmd, "unknown option '%s'", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const option_spec *o = NULL;
        for (size_t k = 0; k < sizeof options / sizeof *options; k++)
            if (strlen(options[k].name) == len && strncmp(options[k].name, name, len) == 0)
                o = &options[k];
        if (!o || !takes(o, a->cmd))
            return usage_error(a->cmd, "unknown option '%s'", arg);
        char *field = (char *)a + o->offset;
        if (!o->takes_value) {
            if (eq)
                return usage_error(a->cmd, "option '%s' takes no value", arg);
            *(bool *)(void *)field = true;
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value) {
            if (i + 1 >= argc)
                return usage_error(a->cmd, "option '%s' needs a value", arg);
            value = argv[++i];
        }
        *(const char **)(void *)field = value;
    }
    return -1;
}

/* A whole number >= 0 for --limit / --offset. */
static bool parse_count(const char *text, int64_t *out)
{
    char *end;
    if (!text || !*text || *text == '-' || *text == '+')
        return false;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < 0)
        return false;
    *out = (int64_t)v;
    return true;
}

/* ----------------------------------------------------------------- common */

/* Database errors exit with 1; mistakes in what was asked with 2. */
static int exit_for(rel_status st)
{
    switch (st) {
    case REL_OK: return 0;
    case REL_INVALID:
    case REL_DEFINITION:
    case REL_PARSE:
    case REL_MISUSE: return EXIT_USAGE;
    default: return EXIT_DB;
    }
}

static int fail(const rel_error *err, rel_status st)
{
    fprintf(stderr, "relate: %s\n", err->message[0] ? err->message : rel_status_name(st));
    return exit_for(st);
}

/* Loads the model file; on error prints every error and returns NULL. */
static rel_schema *load(const char *path, int *code)
{
    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err = {0};
    rel_status st = rel_schema_load_file(path, &s, &errors, &err);
    if (st == REL_OK)
        return s;
    if (errors && *errors)
        fputs(errors, stderr);
    else
        fprintf(stderr, "relate: %s\n", err.message);
    free(errors);
    *code = st == REL_NOMEM ? EXIT_DB : EXIT_USAGE;
    return NULL;
}

static const rel_model *model_named(const rel_schema *s, const char *name, int *code)
{
    const rel_model *m = rel_schema_model(s, name);
    if (m)
        return m;
    fprintf(stderr, "relate: the model file defines no model '%s' (it has:", name);
    for (size_t i = 0; i < rel_schema_model_count(s); i++)
        fprintf(stderr, " %s", rel_model_name(rel_schema_model_at(s, i)));
    fprintf(stderr, ")\n");
    *code = EXIT_USAGE;
    return NULL;
}

static int open_db(const rel_schema *s, const args *a, rel_db **db)
{
    rel_error err = {0};
    rel_status st = rel_open(db, s, a->db ? a->db : DEFAULT_DB, &err);
    return st == REL_OK ? 0 : fail(&err, st);
}

/* Output ends with an fflush whose failure (a full disk) is a failure. */
static int finish_output(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "relate: writing the output failed: %s\n", strerror(errno));
        return EXIT_DB;
    }
    return 0;
}

static bool write_stdout(void *user, const char *data, size_t len)
{
    (void)user;
    return fwrite(data, 1, len, stdout) == len;
}

/* --------------------------------------------------------------- commands */

static int cmd_ddl(const args *a, const rel_schema *s)
{
    const char *dialect = a->dialect ? a->dialect : "sqlite";
    if (strcmp(dialect, "sqlite") != 0 && strcmp(dialect, "postgres") != 0)
        return usage_error("ddl", "unknown dialect '%s': use sqlite or postgres", dialect);
    char *text = NULL;
    rel_error err = {0};
    rel_sync_opts opts = {.force = a->force};
    rel_status st = rel_ddl(s, dialect, &opts, &text, &err);
    if (st != REL_OK)
        return fail(&err, st);
    fputs(text, stdout);
    free(text);
    return finish_output();
}

static int cmd_sync(const args *a, const rel_schema *s)
{
    rel_db *db = NULL;
    int code = open_db(s, a, &db);
    if (code)
        return code;
    rel_error err = {0};
    rel_sync_opts opts = {.force = a->force};
    rel_status st = rel_sync(db, &opts, &err);
    code = st == REL_OK ? 0 : fail(&err, st);
    rel_close(db);
    return code;
}

static int cmd_create(const args *a, const rel_schema *s)
{
    int code = 0;
    const rel_model *m = model_named(s, a->pos[1], &code);
    if (!m)
        return code;
    rel_db *db = NULL;
    code = open_db(s, a, &db);
    if (code)
        return code;
    rel_result *res = NULL;
    rel_error err = {0};
    rel_status st = rel_create_json(db, m, a->pos[2], &res, &err);
    if (st != REL_OK) {
        code = fail(&err, st);
        goto done;
    }
    char *json = rel_record_json(rel_result_row(res, 0));
    if (!json) {
        fprintf(stderr, "relate: out of memory\n");
        code = EXIT_DB;
        goto done;
    }
    puts(json);
    free(json);
    code = finish_output();
done:
    rel_result_free(res);
    rel_close(db);
    return code;
}

static int cmd_find(const args *a, const rel_schema *s)
{
    int code = 0;
    const rel_model *m = model_named(s, a->pos[1], &code);
    if (!m)
        return code;
    rel_find_opts opts = {.where = a->where, .order = a->order};
    if (a->limit && !parse_count(a->limit, &opts.limit))
        return usage_error("find", "--limit takes a whole number >= 0, not '%s'", a->limit);
    if (a->offset && !parse_count(a->offset, &opts.offset))
        return usage_error("find", "--offset takes a whole number >= 0, not '%s'", a->offset);

    rel_arena *arena = rel_arena_new(0);
    rel_db *db = NULL;
    rel_result *res = NULL;
    rel_error err = {0};
    rel_status st;
    if (!arena) {
        fprintf(stderr, "relate: out of memory\n");
        return EXIT_DB;
    }
    st = rel_json_include_parse(a->include, m, arena, &opts.include, &err);
    if (st != REL_OK) {
        fprintf(stderr, "relate: --include: %s\n", err.message);
        code = exit_for(st);
        goto done;
    }
    st = rel_json_attributes_parse(a->attributes, m, arena, &opts.attributes, &err);
    if (st != REL_OK) {
        fprintf(stderr, "relate: --attributes: %s\n", err.message);
        code = exit_for(st);
        goto done;
    }
    code = open_db(s, a, &db);
    if (code)
        goto done;
    st = rel_find_all(db, m, &opts, &res, &err);
    if (st == REL_OK)
        st = rel_result_write_json(res, write_stdout, NULL, &err);
    if (st != REL_OK) {
        code = fail(&err, st);
        goto done;
    }
    putchar('\n');
    code = finish_output();
done:
    rel_result_free(res);
    rel_close(db);
    rel_arena_free(arena);
    return code;
}

static int cmd_diagram(const args *a, const rel_schema *s)
{
    rel_diagram_format fmt = REL_DIAGRAM_MERMAID;
    if (a->format && !rel_diagram_format_by_name(a->format, &fmt))
        return usage_error("diagram", "unknown format '%s': use mermaid or dot", a->format);
    rel_buf b = {0};
    if (!rel_diagram_write(&b, s, fmt)) {
        rel_buf_free(&b);
        fprintf(stderr, "relate: out of memory\n");
        return EXIT_DB;
    }
    fputs(rel_buf_cstr(&b), stdout);
    rel_buf_free(&b);
    return finish_output();
}

/* ------------------------------------------------------------------- main */

typedef struct command {
    const char *name;
    int npos;        /* FILE and the arguments after it */
    const char *pos_usage;
    int (*run)(const args *, const rel_schema *);
} command;

static const command commands[] = {
    {"ddl", 1, "FILE", cmd_ddl},
    {"sync", 1, "FILE", cmd_sync},
    {"create", 3, "FILE MODEL JSON", cmd_create},
    {"find", 2, "FILE MODEL", cmd_find},
    {"diagram", 1, "FILE", cmd_diagram},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        const command_help *h = argc > 2 ? find_help(argv[2]) : NULL;
        fputs(h ? h->text : usage_text, stdout);
        return finish_output();
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("relate %s\n", rel_version_string());
        return finish_output();
    }
    const command *c = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, cmd) == 0)
            c = &commands[i];
    if (!c)
        return usage_error(NULL, "unknown command '%s'", cmd);

    args a = {.cmd = c->name};
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    if (a.help) {
        fputs(find_help(c->name)->text, stdout);
        return finish_output();
    }
    if (a.npos != c->npos) {
        char what[128];
        snprintf(what, sizeof what, "%s %s", c->name, c->pos_usage);
        return usage_error(c->name, a.npos < c->npos ? "missing arguments: relate %s"
                                                     : "too many arguments: relate %s", what);
    }

    rel_schema *s = load(a.pos[0], &code);
    if (!s)
        return code;
    code = c->run(&a, s);
    rel_schema_free(s);
    return code;
}
