/* The relate command, run as a program on the engine REL_TEST_ENGINE names.
 *
 * Transcripts (tests/integration/expected/NAME.cli) hold commands on the
 * example model files and their exact standard output; find outputs are
 * Sequelize's own for the same data and options (see gen_cli_expected.js).
 * Further tests check exit codes (0 / 1 database error / 2 usage or model
 * file), model-file errors with their positions, the help texts, and that
 * `relate ddl` applied to an empty database makes the same schema as `relate
 * sync`.
 *
 * Transcript lines:
 *   # ...             a comment (blank lines are ignored too)
 *   @ PATH            the model file, relative to the source tree; a fresh
 *                     database is taken for it
 *   $ CMD ARGS...     runs `relate CMD FILE ARGS...` (and `--db URL` for sync,
 *                     create and find); arguments are split at spaces, and
 *                     '...' quotes one as in a shell (no escapes)
 *   ! N [TEXT]        right after a command: it exits with N (default 0) and
 *                     its standard error holds TEXT
 *   % SQL             runs SQL on the database with the raw driver (to fix
 *                     timestamps, so later output does not depend on the clock),
 *                     with foreign keys enforced on SQLite as relate does
 *   anything else     the command's expected output, one line each; in create
 *                     output every ISO date reads <date> (updatedAt is "now")
 *
 * REL_CLI_UPDATE=1 in the environment rewrites the transcripts with what the
 * commands print instead of comparing (review the diff before committing). */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

#define RELATE_BIN REL_TEST_BINARY_DIR "/tools/relate"
#define EXPECTED_DIR REL_TEST_SOURCE_DIR "/tests/integration/expected"
#define EXAMPLES_DIR REL_TEST_SOURCE_DIR "/examples"

#define MAX_ARGS 32

/* ---------------------------------------------------------------- helpers */

static char *read_all(FILE *f)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    return buf;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *text = read_all(f);
    fclose(f);
    return text;
}

static char *xstrdup(const char *s)
{
    char *c = strdup(s);
    assert_non_null(c);
    return c;
}

typedef struct run_result {
    int code;  /* exit status; 128 + signal when killed */
    char *out;
    char *err;
} run_result;

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* Runs the relate binary with argv[0..argc) after the program name,
 * capturing its standard output and error in temporary files. */
static run_result run_relate(int argc, const char *const *argv)
{
    char out_path[] = "/tmp/relate-cli-out-XXXXXX";
    char err_path[] = "/tmp/relate-cli-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    assert_true(out_fd >= 0 && err_fd >= 0);
    const char *args[MAX_ARGS + 2];
    assert_true(argc <= MAX_ARGS);
    args[0] = RELATE_BIN;
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    args[argc + 1] = NULL;

    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        execv(RELATE_BIN, (char *const *)args);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    run_result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fdopen(out_fd, "rb");
    assert_non_null(f);
    rewind(f);
    r.out = read_all(f);
    fclose(f);
    f = fdopen(err_fd, "rb");
    assert_non_null(f);
    rewind(f);
    r.err = read_all(f);
    fclose(f);
    unlink(out_path);
    unlink(err_path);
    return r;
}

static run_result run_v(const char *first, ...)
{
    const char *argv[MAX_ARGS];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        assert_true(argc < MAX_ARGS);
        argv[argc++] = a;
    }
    va_end(ap);
    return run_relate(argc, argv);
}

#define RUN(...) run_v(__VA_ARGS__, (const char *)NULL)

/* Writes text to a new temporary .rel file; returns its path (malloc'd). */
static char *temp_model(const char *text)
{
    char path[] = "/tmp/relate-cli-model-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return xstrdup(path);
}

/* Replaces every ISO 8601 date-time (2026-01-02T03:04:05.678Z) with <date>. */
static void mask_dates(char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    size_t n = strlen(shape), len = strlen(s);
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        bool match = i + n <= len;
        for (size_t k = 0; match && k < n; k++)
            match = shape[k] == 'd' ? (s[i + k] >= '0' && s[i + k] <= '9') : s[i + k] == shape[k];
        if (match) {
            memcpy(s + w, "<date>", 6);
            w += 6;
            i += n;
        } else {
            s[w++] = s[i++];
        }
    }
    s[w] = '\0';
}

/* ------------------------------------------------------------- transcripts */

/* Splits a command line at spaces; '...' quotes. Pointers into line. */
static int split_args(char *line, char **argv)
{
    int argc = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        assert_true(argc < MAX_ARGS - 4);
        char *w = p, *start = p;
        while (*p && *p != ' ') {
            if (*p == '\'') {
                p++;
                while (*p && *p != '\'')
                    *w++ = *p++;
                if (!*p)
                    fail_msg("unterminated quote in: %s", start);
                p++;
            } else {
                *w++ = *p++;
            }
        }
        bool end = !*p;
        if (!end)
            p++;
        *w = '\0';
        argv[argc++] = start;
        if (end)
            break;
    }
    return argc;
}

typedef struct transcript {
    const char *name;
    char *text;
    char **lines;
    size_t n;
} transcript;

static void transcript_load(transcript *t, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.cli", EXPECTED_DIR, name);
    t->name = name;
    t->text = read_file(path);
    size_t cap = 64;
    t->lines = malloc(cap * sizeof *t->lines);
    t->n = 0;
    assert_non_null(t->lines);
    for (char *p = t->text; *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (t->n == cap) {
            cap *= 2;
            t->lines = realloc(t->lines, cap * sizeof *t->lines);
            assert_non_null(t->lines);
        }
        t->lines[t->n++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void transcript_free(transcript *t)
{
    free(t->lines);
    free(t->text);
}

static bool is_output_line(const char *line)
{
    return line[0] && line[0] != '#' && line[0] != '@' && line[0] != '$' && line[0] != '!' &&
           line[0] != '%';
}

static bool needs_db(const char *cmd)
{
    return strcmp(cmd, "sync") == 0 || strcmp(cmd, "create") == 0 || strcmp(cmd, "find") == 0;
}

/* Runs one transcript; in update mode writes the actual outputs back. */
static void run_transcript(const char *name)
{
    bool update = getenv("REL_CLI_UPDATE") && strcmp(getenv("REL_CLI_UPDATE"), "1") == 0;
    transcript t;
    transcript_load(&t, name);
    FILE *upd = NULL;
    char upd_path[1024];
    if (update) {
        snprintf(upd_path, sizeof upd_path, "%s/%s.cli", EXPECTED_DIR, name);
        upd = fopen(upd_path, "w");
        assert_non_null(upd);
    }
    char model[1024] = "";
    const char *url = NULL;
    int failures = 0;

    for (size_t i = 0; i < t.n;) {
        char *line = t.lines[i];
        if (line[0] == '@') {
            snprintf(model, sizeof model, "%s/%s", REL_TEST_SOURCE_DIR, line + 2);
            url = test_db_url();
        } else if (line[0] == '%') {
            /* SQLite enforces foreign keys only when asked, as relate does. */
            char sql[2048];
            assert_non_null(url);
            snprintf(sql, sizeof sql, "%s%s",
                     test_is_postgres() ? "" : "PRAGMA foreign_keys = ON; ", line + 2);
            if (test_sql_exec(url, sql) != 0)
                fail_msg("%s.cli:%zu: the SQL failed", name, i + 1);
        }
        if (line[0] != '$') {
            if (upd)
                fprintf(upd, "%s\n", line);
            i++;
            continue;
        }
        size_t cmd_line = i;
        char *copy = xstrdup(line + 2);
        char *words[MAX_ARGS];
        int nw = split_args(copy, words);
        assert_true(nw >= 1);
        const char *argv[MAX_ARGS];
        int argc = 0;
        argv[argc++] = words[0];
        argv[argc++] = model;
        for (int k = 1; k < nw; k++)
            argv[argc++] = words[k];
        if (needs_db(words[0])) {
            argv[argc++] = "--db";
            argv[argc++] = url;
        }
        i++;

        int want_code = 0;
        const char *want_err = NULL;
        if (i < t.n && t.lines[i][0] == '!') {
            want_code = atoi(t.lines[i] + 2);
            const char *sp = strchr(t.lines[i] + 2, ' ');
            want_err = sp ? sp + 1 : NULL;
            i++;
        }
        size_t out_start = i;
        while (i < t.n && is_output_line(t.lines[i]))
            i++;
        /* Expected output: the lines, each with its newline. */
        size_t len = 0;
        for (size_t k = out_start; k < i; k++)
            len += strlen(t.lines[k]) + 1;
        char *want = malloc(len + 1);
        assert_non_null(want);
        want[0] = '\0';
        for (size_t k = out_start; k < i; k++) {
            strcat(want, t.lines[k]);
            strcat(want, "\n");
        }

        run_result r = run_relate(argc, argv);
        if (strcmp(words[0], "create") == 0)
            mask_dates(r.out);
        if (upd) {
            fprintf(upd, "%s\n", line);
            if (r.code != 0)
                fprintf(upd, "! %d%s%s\n", r.code, want_err ? " " : "", want_err ? want_err : "");
            fputs(r.out, upd);
        } else {
            bool ok = r.code == want_code && strcmp(r.out, want) == 0 &&
                      (!want_err || strstr(r.err, want_err));
            if (!ok) {
                failures++;
                print_error("%s.cli:%zu: $ %s\n  exit %d (want %d)\n  stdout:\n%s  want:\n%s"
                            "  stderr:\n%s\n", name, cmd_line + 1, line + 2, r.code,
                            want_code, r.out, want, r.err);
            }
        }
        run_free(&r);
        free(want);
        free(copy);
    }
    if (upd)
        fclose(upd);
    transcript_free(&t);
    assert_int_equal(failures, 0);
}

static void organization_transcript(void **state)
{
    (void)state;
    run_transcript("organization");
}

static void actors_transcript(void **state)
{
    (void)state;
    run_transcript("actors");
}

static void ab_transcript(void **state)
{
    (void)state;
    run_transcript("ab");
}

/* ------------------------------------------------------------- exit codes */

static void usage_errors_exit_2(void **state)
{
    (void)state;
    const char *org = EXAMPLES_DIR "/organization.rel";
    struct {
        const char *args[6];
        const char *err;
    } cases[] = {
        {{NULL}, "usage: relate"},
        {{"frobnicate", org}, "unknown command 'frobnicate'"},
        {{"ddl"}, "missing arguments: relate ddl FILE"},
        {{"find", org}, "missing arguments: relate find FILE MODEL"},
        {{"create", org, "Organization"}, "missing arguments: relate create FILE MODEL JSON"},
        {{"ddl", org, "extra"}, "too many arguments"},
        {{"ddl", org, "--dialect", "oracle"}, "unknown dialect 'oracle'"},
        {{"ddl", org, "--dialect"}, "option '--dialect' needs a value"},
        {{"sync", org, "--format", "dot"}, "unknown option '--format'"},
        {{"diagram", org, "--format", "svg"}, "unknown format 'svg'"},
        {{"find", org, "Organization", "--limit", "-1"}, "--limit takes a whole number"},
        {{"find", org, "Organization", "--offset", "x"}, "--offset takes a whole number"},
        {{"find", org, "Nobody"}, "defines no model 'Nobody' (it has: Organization Employee Task "
                                  "EmployeeTasks)"},
        {{"find", org, "Organization", "--include", "[{\"association\":1}]"},
         "--include: include[0].association must be a name"},
        {{"find", org, "Organization", "--include", "[\"Employees\""}, "--include: not valid JSON"},
        {{"find", org, "Organization", "--attributes", "{\"x\":1}"},
         "--attributes: attributes must be an array"},
        {{"ddl", "/nonexistent/model.rel"}, "cannot read the model file /nonexistent/model.rel"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int argc = 0;
        while (argc < 6 && cases[i].args[argc])
            argc++;
        run_result r = run_relate(argc, cases[i].args);
        if (r.code != 2 || !strstr(r.err, cases[i].err) || r.out[0])
            fail_msg("case %zu: exit %d, stdout '%s', stderr '%s' (want 2 and '%s')", i, r.code,
                     r.out, r.err, cases[i].err);
        run_free(&r);
    }
}

/* Mistakes in what is asked of the database (an unknown attribute in a
 * where, an association that does not exist) are usage errors too. */
static void bad_queries_exit_2(void **state)
{
    (void)state;
    const char *org = EXAMPLES_DIR "/organization.rel";
    const char *url = test_db_url();
    run_result r = RUN("sync", org, "--db", url);
    assert_int_equal(r.code, 0);
    run_free(&r);

    r = RUN("find", org, "Organization", "--db", url, "--where", "{\"nme\":\"x\"}");
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "nme"));
    assert_string_equal(r.out, "");
    run_free(&r);

    r = RUN("find", org, "Organization", "--db", url, "--include", "[\"Tasks\"]");
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "'Tasks' does not exist on Organization"));
    run_free(&r);

    r = RUN("create", org, "Organization", "{\"name\":\"Acme\",\"Staff\":[]}", "--db", url);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "Organization has no attribute or association 'Staff'"));
    run_free(&r);

    r = RUN("create", org, "Organization", "{\"name\":", "--db", url);
    assert_int_equal(r.code, 2);
    assert_non_null(strstr(r.err, "not valid JSON"));
    run_free(&r);
}

static void database_errors_exit_1(void **state)
{
    (void)state;
    const char *org = EXAMPLES_DIR "/organization.rel";
    const char *url = test_db_url();
    run_result r = RUN("sync", org, "--db", url);
    assert_int_equal(r.code, 0);
    run_free(&r);

    /* A unique violation: the second Acme. */
    r = RUN("create", org, "Organization", "{\"name\":\"Acme\"}", "--db", url);
    assert_int_equal(r.code, 0);
    run_free(&r);
    r = RUN("create", org, "Organization", "{\"name\":\"Acme\"}", "--db", url);
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "");
    assert_true(strncmp(r.err, "relate: ", 8) == 0);
    run_free(&r);

    /* NOT NULL refused before any SQL, and nothing of the tree is kept:
     * the organization created first is rolled back with the employee. */
    r = RUN("create", org, "Organization", "{\"name\":\"Globex\",\"Employees\":[{\"hired\":null}]}",
            "--db", url);
    assert_int_equal(r.code, 1);
    assert_non_null(strstr(r.err, "Employee.name cannot be null"));
    run_free(&r);
    char *n = test_sql_scalar(url, "SELECT count(*) FROM \"Organizations\"");
    assert_string_equal(n, "1");
    free(n);

    /* A table that does not exist: find before sync on a fresh database. */
    r = RUN("find", org, "Organization", "--db", test_db_url());
    assert_int_equal(r.code, 1);
    assert_string_equal(r.out, "");
    run_free(&r);

    /* A database that cannot be opened. */
    r = RUN("sync", org, "--db", test_is_postgres() ? "postgres://nobody@127.0.0.1:1/none"
                                                    : "sqlite:/nonexistent/dir/x.db");
    assert_int_equal(r.code, 1);
    run_free(&r);
}

/* ------------------------------------------------------------- model files */

/* Every kind of model-file error, from the command: exit 2, nothing on
 * standard output, and every error of the file as file:line:col: message. */
static void model_file_errors(void **state)
{
    (void)state;
    char *path = temp_model(
        "const A = define('A', { name: STRNG });\n"                 /* unknown type */
        "const B = define('B', { name: STRING }, { paranoid: true });\n" /* unknown option */
        "A.hasMany(C);\n"                                            /* unknown model */
        "A.belongsToMany(B);\n"                                      /* no through */
        "B.hasOne(A, { as: 'name' });\n"                             /* naming collision */
        "B.hasMany(A, { foreignKey: 'x'\n");                         /* syntax */
    const char *cmds[] = {"ddl", "sync", "diagram"};
    for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
        run_result r = RUN(cmds[k], path);
        assert_int_equal(r.code, 2);
        assert_string_equal(r.out, "");
        char want[2048];
        snprintf(want, sizeof want,
                 "%s:1:31: unknown type 'STRNG'", path);
        assert_non_null(strstr(r.err, want));
        snprintf(want, sizeof want, "%s:2:43: unknown model option 'paranoid'", path);
        assert_non_null(strstr(r.err, want));
        snprintf(want, sizeof want, "%s:7:1: ", path);
        assert_non_null(strstr(r.err, want)); /* the unclosed call, at the end */
        /* With a syntax error the file is not frozen, and names it could
         * have defined are not reported as unknown. */
        assert_null(strstr(r.err, "unknown model 'C'"));
        run_free(&r);
    }
    unlink(path);
    free(path);

    /* Without the syntax error: unknown model and the definition errors. */
    path = temp_model(
        "const A = define('A', { name: STRING });\n"
        "const B = define('B', { name: STRING });\n"
        "A.hasMany(C);\n"
        "A.belongsToMany(B);\n"
        "B.hasOne(A, { as: 'name' });\n");
    run_result r = RUN("ddl", path);
    assert_int_equal(r.code, 2);
    char want[2048];
    snprintf(want, sizeof want, "%s:3:11: unknown model 'C'", path);
    assert_non_null(strstr(r.err, want));
    snprintf(want, sizeof want, "%s:4:1: ", path);
    assert_non_null(strstr(r.err, want));
    assert_non_null(strstr(r.err, "through"));
    snprintf(want, sizeof want, "%s:5:1: ", path);
    assert_non_null(strstr(r.err, want));
    /* One error per line, in file order. */
    const char *p3 = strstr(r.err, ":3:11:"), *p4 = strstr(r.err, ":4:1:"),
               *p5 = strstr(r.err, ":5:1:");
    assert_true(p3 && p4 && p5 && p3 < p4 && p4 < p5);
    run_free(&r);
    unlink(path);
    free(path);
}

/* ------------------------------------------------------------------- help */

static void help_texts(void **state)
{
    (void)state;
    run_result r = RUN("--help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "usage: relate COMMAND"));
    const char *cmds[] = {"ddl", "sync", "create", "find", "diagram"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        assert_non_null(strstr(r.out, cmds[i]));
    run_free(&r);

    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        char usage[64], example[64];
        snprintf(usage, sizeof usage, "usage: relate %s ", cmds[i]);
        snprintf(example, sizeof example, "  relate %s examples/", cmds[i]);
        r = RUN(cmds[i], "--help");
        assert_int_equal(r.code, 0);
        assert_true(strncmp(r.out, usage, strlen(usage)) == 0);
        assert_non_null(strstr(r.out, "example:"));
        assert_non_null(strstr(r.out, example));
        run_free(&r);
        r = RUN("help", cmds[i]);
        assert_int_equal(r.code, 0);
        assert_true(strncmp(r.out, usage, strlen(usage)) == 0);
        run_free(&r);
    }
}

/* --------------------------------------------------------------- round trip */

/* The schema of a database as text, read back with the raw driver: tables,
 * columns (type, nullability, default), constraints and indexes. */
static char *schema_of(const char *url)
{
    if (!test_is_postgres())
        return test_sql_scalar(url,
            "SELECT group_concat(line, char(10)) FROM ("
            " SELECT m.type || ' ' || m.name || ': ' || coalesce(m.sql, '') AS line"
            " FROM sqlite_master m WHERE m.name NOT LIKE 'sqlite_%'"
            " UNION ALL"
            " SELECT m.name || '.' || p.name || ' ' || p.type || ' notnull=' || p.\"notnull\""
            "   || ' default=' || coalesce(p.dflt_value, '-') || ' pk=' || p.pk"
            " FROM sqlite_master m JOIN pragma_table_info(m.name) p"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            " UNION ALL"
            " SELECT m.name || ' fk ' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\""
            "   || ' on update ' || f.on_update || ' on delete ' || f.on_delete"
            " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f"
            " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            " ORDER BY line)");
    return test_sql_scalar(url,
        "SELECT string_agg(line, E'\\n' ORDER BY line) FROM ("
        " SELECT table_name || '.' || column_name || ' ' || data_type"
        "   || coalesce('(' || character_maximum_length || ')', '')"
        "   || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '-')"
        "   || ' position=' || ordinal_position AS line"
        " FROM information_schema.columns WHERE table_schema = 'public'"
        " UNION ALL"
        " SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        " UNION ALL"
        " SELECT indexdef FROM pg_indexes WHERE schemaname = 'public') x");
}

static void ddl_round_trip(void **state)
{
    (void)state;
    const char *examples[] = {"organization", "actors", "ab"};
    for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.rel", EXAMPLES_DIR, examples[i]);

        run_result ddl = RUN("ddl", path, "--dialect", test_engine());
        assert_int_equal(ddl.code, 0);
        const char *by_hand = test_db_url();
        assert_int_equal(test_sql_exec(by_hand, ddl.out), 0);

        const char *by_sync = test_db_url();
        run_result sync = RUN("sync", path, "--db", by_sync);
        assert_int_equal(sync.code, 0);
        assert_string_equal(sync.out, "");

        char *a = schema_of(by_hand), *b = schema_of(by_sync);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        /* Something was created: every model is a table. */
        assert_non_null(strstr(a, test_is_postgres() ? "PRIMARY KEY" : "CREATE TABLE"));

        /* A second sync changes nothing (IF NOT EXISTS), and --force makes
         * the same schema again. */
        run_free(&sync);
        sync = RUN("sync", path, "--db", by_sync);
        assert_int_equal(sync.code, 0);
        run_free(&sync);
        sync = RUN("sync", path, "--db", by_sync, "--force");
        assert_int_equal(sync.code, 0);
        char *c = schema_of(by_sync);
        assert_string_equal(a, c);

        free(a);
        free(b);
        free(c);
        run_free(&sync);
        run_free(&ddl);
    }
}

/* ----------------------------------------------------------------- diagram */

static void diagram_formats(void **state)
{
    (void)state;
    const char *org = EXAMPLES_DIR "/organization.rel";
    run_result r = RUN("diagram", org);
    assert_int_equal(r.code, 0);
    assert_true(strncmp(r.out, "erDiagram\n", 10) == 0);
    assert_non_null(strstr(r.out, "    Employee {\n        INTEGER id PK\n"));
    assert_non_null(strstr(r.out, "        INTEGER OrganizationId FK\n"));
    assert_non_null(strstr(r.out, "        INTEGER EmployeeId PK, FK\n"));
    assert_non_null(strstr(r.out, "    Organization ||--o{ Employee : \"hasMany OrganizationId\"\n"));
    assert_non_null(strstr(r.out, "    Employee }o--|| Organization : \"belongsTo OrganizationId\"\n"));
    assert_non_null(strstr(r.out, "    Employee }o--o{ Task : \"belongsToMany through EmployeeTasks "
                                  "(EmployeeId, TaskId)\"\n"));
    run_free(&r);

    r = RUN("diagram", org, "--format", "dot");
    assert_int_equal(r.code, 0);
    assert_true(strncmp(r.out, "digraph relate {\n", 17) == 0);
    assert_non_null(strstr(r.out, "\"Organization\" -> \"Employee\" [label=\"hasMany "
                                  "OrganizationId\", arrowhead=crow];"));
    assert_non_null(strstr(r.out, "<td align=\"left\">OrganizationId</td><td align=\"left\">"
                                  "INTEGER</td><td align=\"left\">FK</td>"));
    assert_true(strcmp(r.out + strlen(r.out) - 2, "}\n") == 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(organization_transcript),
        cmocka_unit_test(actors_transcript),
        cmocka_unit_test(ab_transcript),
        cmocka_unit_test(usage_errors_exit_2),
        cmocka_unit_test(bad_queries_exit_2),
        cmocka_unit_test(database_errors_exit_1),
        cmocka_unit_test(model_file_errors),
        cmocka_unit_test(help_texts),
        cmocka_unit_test(ddl_round_trip),
        cmocka_unit_test(diagram_formats),
    };
    char name[64];
    snprintf(name, sizeof name, "cli[%s]", test_engine());
    return cmocka_run_group_tests_name(name, tests, NULL, NULL);
}
