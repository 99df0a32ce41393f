/* Secrets, on whichever engine REL_TEST_ENGINE names: a password given in a connection
 * URL (in the user-info part or as a password= parameter, percent-encoded or not) never
 * appears in a rel_error, in what the logger sees, or in the relate command's output,
 * whether the connection fails (bad URL, nobody listening, unknown database, an option
 * libpq refuses, SSL refused) or a statement fails on a good one. And libpq parameters
 * in the URL (sslmode, connect_timeout, application_name) reach libpq. The parts that
 * need a server run in the [postgres] variant. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relate.h"
#include "testdb.h"

#define RELATE_BIN REL_TEST_BINARY_DIR "/tools/relate"
#define MODELS REL_TEST_SOURCE_DIR "/examples/organization.rel"
#define SECRET "hunter2Zx"   /* the password, as written in URLs */
#define SECRET_ENC "hunter2%5Ax" /* the same, percent-encoded ('Z' is %5A) */

/* Fails when text shows the password in any form. */
static void assert_no_secret(const char *what, const char *text)
{
    if (text && (strstr(text, SECRET) || strstr(text, SECRET_ENC) || strstr(text, "hunter2")))
        fail_msg("%s shows the password: %s", what, text);
}

/* Every statement and parameter the logger sees, concatenated. */
typedef struct logbuf {
    char text[65536];
    size_t len;
} logbuf;

static void logger(void *user, const char *sql, const rel_value *params, size_t n)
{
    logbuf *b = user;
    int w = snprintf(b->text + b->len, sizeof b->text - b->len, "%s |", sql);
    if (w > 0 && (size_t)w < sizeof b->text - b->len)
        b->len += (size_t)w;
    for (size_t i = 0; i < n; i++) {
        if (params[i].kind != REL_V_TEXT || !params[i].s)
            continue;
        w = snprintf(b->text + b->len, sizeof b->text - b->len, " %s", params[i].s);
        if (w > 0 && (size_t)w < sizeof b->text - b->len)
            b->len += (size_t)w;
    }
}

static rel_schema *schema(void)
{
    rel_schema *s = rel_schema_new();
    rel_define(s, "Item", (rel_attr[]){{.name = "name", .type = REL_STRING, .unique = true}, {0}},
               NULL);
    rel_error err;
    if (rel_schema_freeze(s, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    return s;
}

/* The test server's URL with user:password and another database and query. */
static void server_url(char *out, size_t cap, const char *password, const char *dbname,
                       const char *query)
{
    const char *url = test_db_url();
    const char *auth = strstr(url, "://") + 3;
    const char *at = strchr(auth, '@');
    const char *slash = strchr(auth, '/');
    assert_non_null(at);
    assert_non_null(slash);
    char db[200];
    if (dbname)
        snprintf(db, sizeof db, "%s", dbname);
    else
        snprintf(db, sizeof db, "%.*s", (int)strcspn(slash + 1, "?"), slash + 1);
    snprintf(out, cap, "%.*s:%s%.*s/%s%s", (int)(at - url), url, password, (int)(slash - at), at,
             db, query ? query : "");
}

/* URLs that cannot connect, each with the password in it. */
static const char *const BAD_URLS[] = {
    "postgres://u:" SECRET "@127.0.0.1:1/db?connect_timeout=3",
    "postgresql://u:" SECRET_ENC "@127.0.0.1:1/db",
    "postgres://u:" SECRET "@h:54x/db",
    "postgres://u:" SECRET "@[::1/db",
    "postgres://u:" SECRET "@h/db?x",
    "postgres://u:" SECRET "@h/d%zzb",
    "postgres://u@127.0.0.1:1/db?password=" SECRET "&connect_timeout=3",
    "postgres://u@127.0.0.1:1/db?connect_timeout=3&password=" SECRET_ENC,
    "postgres://u@127.0.0.1:1/db?connect_timeout=3&pass%77ord=" SECRET,
    "postgres://u@127.0.0.1:1/db?connect_timeout=3&%70assword=" SECRET,
    "postgres://u:p@ss:" SECRET "@127.0.0.1:1/db?connect_timeout=3",
    "mysql://root:" SECRET "@h/db",
    "postgres:/u:" SECRET "@127.0.0.1:1/db",        /* a slash short */
    "postgresql:u:" SECRET "@127.0.0.1:1/db",
    "postgres://u@127.0.0.1:1/db?connect_timeout=3&PassWord=" SECRET,
    "postgres://u:" SECRET "@127.0.0.1:1/db?bogus_option=1",
};
#define NBAD (sizeof BAD_URLS / sizeof BAD_URLS[0])

static void errors_never_show_the_password(void **state)
{
    (void)state;
    rel_schema *s = schema();
    for (size_t i = 0; i < NBAD; i++) {
        rel_db *db = NULL;
        rel_error err;
        memset(&err, 0, sizeof err);
        rel_status st = rel_open(&db, s, BAD_URLS[i], &err);
        assert_int_not_equal(st, REL_OK);
        assert_null(db);
        assert_true(err.message[0] != '\0');
        assert_no_secret(BAD_URLS[i], err.message);
    }
    if (test_is_postgres()) {
        char url[700];
        /* An unknown database, and an option libpq refuses, on the real server. */
        server_url(url, sizeof url, SECRET, "relate_no_such_db", NULL);
        rel_db *db = NULL;
        rel_error err;
        assert_int_equal(rel_open(&db, s, url, &err), REL_CONNECTION);
        assert_non_null(strstr(err.message, "relate_no_such_db"));
        assert_no_secret(url, err.message);
        server_url(url, sizeof url, SECRET, NULL, "?bogus_option=1");
        assert_int_equal(rel_open(&db, s, url, &err), REL_CONNECTION);
        assert_non_null(strstr(err.message, "bogus_option"));
        assert_no_secret(url, err.message);
    }
    rel_schema_free(s);
}

/* A working connection whose URL has a password (the test server trusts everyone, so
   the password is ignored): statement errors and the logger never show it. */
static void statements_never_show_the_password(void **state)
{
    (void)state;
    if (!test_is_postgres())
        skip();
    rel_schema *s = schema();
    char url[700];
    server_url(url, sizeof url, SECRET, NULL, "?password=" SECRET "&application_name=relate_s");
    rel_db *db = NULL;
    rel_error err;
    if (rel_open(&db, s, url, &err) != REL_OK)
        fail_msg("open: %s", err.message);
    logbuf *log = calloc(1, sizeof *log);
    rel_set_logger(db, logger, log);
    assert_int_equal(rel_sync(db, NULL, &err), REL_OK);
    assert_int_equal(rel_exec(db, "SELEKT 1", NULL, 0, &err), REL_DATABASE);
    assert_no_secret("a syntax error", err.message);
    rel_record *r = rel_new(rel_schema_model(s, "Item"));
    rel_set_text(r, "name", "x", &err);
    assert_int_equal(rel_save(db, r, &err), REL_OK);
    rel_record_free(r);
    r = rel_new(rel_schema_model(s, "Item"));
    rel_set_text(r, "name", "x", &err);
    assert_int_equal(rel_save(db, r, &err), REL_UNIQUE);
    assert_no_secret("a unique violation", err.message);
    rel_record_free(r);
    rel_result *res = NULL;
    assert_int_equal(rel_find_all(db, rel_schema_model(s, "Item"),
                                  &(rel_find_opts){.where = "{\"bogus\":1}"}, &res, &err),
                     REL_INVALID);
    assert_no_secret("a bad where", err.message);
    assert_true(log->len > 0);
    assert_no_secret("the log", log->text);
    free(log);
    rel_close(db);
    rel_schema_free(s);
}

/* Runs the relate command; returns its exit code and its stdout+stderr (owned). */
static int run_relate(const char *const *args, char **output)
{
    char path[] = "/tmp/relate-secrets-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *argv[16];
    size_t n = 0;
    argv[n++] = RELATE_BIN;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execv(RELATE_BIN, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    FILE *f = fdopen(fd, "rb");
    assert_non_null(f);
    rewind(f);
    size_t cap = 65536, len = 0;
    char *out = malloc(cap);
    size_t got;
    while ((got = fread(out + len, 1, cap - 1 - len, f)) > 0) {
        len += got;
        if (len + 1 >= cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
    }
    out[len] = '\0';
    fclose(f);
    unlink(path);
    *output = out;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void the_command_never_shows_the_password(void **state)
{
    (void)state;
    char *out = NULL;
    for (size_t i = 0; i < NBAD; i++) {
        const char *sync[] = {"sync", MODELS, "--db", BAD_URLS[i], NULL};
        int code = run_relate(sync, &out);
        assert_int_not_equal(code, 0);
        assert_no_secret(BAD_URLS[i], out);
        free(out);
        const char *find[] = {"find", MODELS, "Organization", "--db", BAD_URLS[i], NULL};
        code = run_relate(find, &out);
        assert_int_not_equal(code, 0);
        assert_no_secret(BAD_URLS[i], out);
        free(out);
    }
    if (!test_is_postgres())
        return;
    char url[700];
    server_url(url, sizeof url, SECRET, NULL, "?password=" SECRET);
    const char *sync[] = {"sync", MODELS, "--db", url, "--force", NULL};
    int code = run_relate(sync, &out);
    if (code != 0)
        fail_msg("relate sync: %s", out);
    assert_no_secret("relate sync", out);
    free(out);
    const char *create[] = {"create", MODELS, "Organization", "{\"name\":\"Acme\"}", "--db", url,
                            NULL};
    code = run_relate(create, &out);
    assert_int_equal(code, 0);
    assert_no_secret("relate create", out);
    free(out);
    code = run_relate(create, &out); /* the same name again: a unique violation */
    assert_int_equal(code, 1);
    assert_no_secret("relate create (unique violation)", out);
    free(out);
    const char *find[] = {"find", MODELS, "Organization", "--db", url, "--where",
                          "{\"nope\":1}", NULL};
    code = run_relate(find, &out);
    assert_int_not_equal(code, 0);
    assert_no_secret("relate find (bad where)", out);
    free(out);
    server_url(url, sizeof url, SECRET, "relate_no_such_db", NULL);
    const char *find2[] = {"find", MODELS, "Organization", "--db", url, NULL};
    code = run_relate(find2, &out);
    assert_int_equal(code, 1);
    assert_no_secret("relate find (no such database)", out);
    free(out);
}

/* sslmode, connect_timeout and application_name reach libpq. */
static void libpq_parameters_pass_through(void **state)
{
    (void)state;
    if (!test_is_postgres())
        skip();
    rel_schema *s = schema();
    char url[700], app[64];
    snprintf(app, sizeof app, "relate_pass_%ld", (long)getpid());
    char query[200];
    snprintf(query, sizeof query, "?sslmode=disable&connect_timeout=3&application_name=%s", app);
    server_url(url, sizeof url, SECRET, NULL, query);
    rel_db *db = NULL;
    rel_error err;
    if (rel_open(&db, s, url, &err) != REL_OK)
        fail_msg("open: %s", err.message);
    /* The server sees the application_name; the session is not encrypted. */
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_stat_activity a LEFT JOIN pg_stat_ssl s ON s.pid = a.pid "
             "WHERE a.application_name = '%s' AND NOT coalesce(s.ssl, false)", app);
    char *n = test_sql_scalar(test_db_url(), sql);
    assert_non_null(n);
    assert_string_equal(n, "1");
    free(n);
    rel_close(db);

    /* sslmode=require against a server without SSL: libpq refuses, and says why. */
    server_url(url, sizeof url, SECRET, NULL, "?sslmode=require&connect_timeout=3");
    assert_int_equal(rel_open(&db, s, url, &err), REL_CONNECTION);
    assert_non_null(strstr(err.message, "SSL"));
    assert_no_secret("sslmode=require", err.message);
    /* An invalid sslmode value: libpq's own message. */
    server_url(url, sizeof url, SECRET, NULL, "?sslmode=bogus");
    assert_int_equal(rel_open(&db, s, url, &err), REL_CONNECTION);
    assert_non_null(strstr(err.message, "sslmode"));
    assert_no_secret("sslmode=bogus", err.message);
    rel_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(errors_never_show_the_password),
        cmocka_unit_test(statements_never_show_the_password),
        cmocka_unit_test(the_command_never_shows_the_password),
        cmocka_unit_test(libpq_parameters_pass_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
