/* examples/ab.rel with the C API: the seeds' one-to-one with explicit rules,
 * A.hasOne(B) with foreignKey otherId, ON DELETE CASCADE and ON UPDATE SET
 * NULL, and B.belongsTo(A) as its other half (one relation, one column).
 *
 * Defines the models, checks that they make the same tables as the model
 * file, creates the tables, creates a1 with its b1 and a2 with its b2, deletes
 * a1 (the database deletes b1 with it) and prints the Bs with their A.
 *
 *   ./ab [DATABASE-URL]      (default sqlite::memory:)
 */
#include <relate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef REL_EXAMPLES_DIR
#define REL_EXAMPLES_DIR "examples"
#endif

static int fail(const char *what, const rel_error *err)
{
    fprintf(stderr, "ab: %s: %s\n", what, err->message);
    return 1;
}

static rel_schema *define_models(void)
{
    rel_schema *s = rel_schema_new();
    if (!s)
        return NULL;
    rel_model *a = rel_define(s, "A", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}},
                              NULL);
    rel_model *b = rel_define(s, "B", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}},
                              NULL);
    /* The seeds' options as they are: an empty sourceKey / targetKey means
     * "not given". */
    rel_has_one(a, b, &(rel_assoc_opts){.on_update = "SET NULL",
                                        .on_delete = "CASCADE",
                                        .foreign_key = {.name = "otherId"},
                                        .source_key = "",
                                        .target_key = ""});
    rel_belongs_to(b, a, NULL);
    return s;
}

/* The C definitions and the model file describe the same tables. */
static int same_as_model_file(const rel_schema *s)
{
    rel_schema *from_file = NULL;
    char *errors = NULL, *x = NULL, *y = NULL;
    rel_error err;
    int rc = 1;
    if (rel_schema_load_file(REL_EXAMPLES_DIR "/ab.rel", &from_file, &errors, &err) != REL_OK) {
        fprintf(stderr, "%s", errors ? errors : err.message);
        goto done;
    }
    if (rel_ddl(s, "postgres", NULL, &x, &err) != REL_OK ||
        rel_ddl(from_file, "postgres", NULL, &y, &err) != REL_OK) {
        fail("ddl", &err);
        goto done;
    }
    if (strcmp(x, y) != 0) {
        fprintf(stderr, "ab: the C definitions and ab.rel differ:\n%s\n%s", x, y);
        goto done;
    }
    rc = 0;
done:
    free(x);
    free(y);
    free(errors);
    rel_schema_free(from_file);
    return rc;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite::memory:";
    rel_error err;
    rel_db *db = NULL;
    rel_result *a1 = NULL, *res = NULL;
    int rc = 1;

    rel_schema *s = define_models();
    if (!s)
        return 1;
    if (rel_schema_freeze(s, &err) != REL_OK) {
        for (size_t i = 0; i < rel_schema_error_count(s); i++)
            fprintf(stderr, "%s\n", rel_schema_error_at(s, i)->message);
        goto done;
    }
    if (same_as_model_file(s) != 0)
        goto done;
    if (rel_open(&db, s, url, &err) != REL_OK) {
        rc = fail("open", &err);
        goto done;
    }
    if (rel_sync(db, &(rel_sync_opts){.force = true}, &err) != REL_OK) {
        rc = fail("sync", &err);
        goto done;
    }

    const rel_model *A = rel_schema_model(s, "A"), *B = rel_schema_model(s, "B");
    if (rel_create_json(db, A, "{\"name\":\"a1\",\"B\":{\"name\":\"b1\"}}", &a1, &err) != REL_OK ||
        rel_create_json(db, B, "{\"name\":\"b2\",\"A\":{\"name\":\"a2\"}}", &res, &err) != REL_OK) {
        rc = fail("create", &err);
        goto done;
    }
    rel_result_free(res);
    res = NULL;

    /* ON DELETE CASCADE: b1 goes with a1. */
    if (rel_destroy(db, rel_result_row(a1, 0), &err) != REL_OK) {
        rc = fail("destroy", &err);
        goto done;
    }
    rel_find_opts find = {.order = "[[\"id\",\"ASC\"]]",
                          .include = (rel_include[]){{.association = "A"}, {0}}};
    if (rel_find_all(db, B, &find, &res, &err) != REL_OK) {
        rc = fail("find", &err);
        goto done;
    }
    char *json = rel_result_json(res);
    if (!json)
        goto done;
    puts(json);
    free(json);
    rc = 0;
done:
    rel_result_free(a1);
    rel_result_free(res);
    rel_close(db);
    rel_schema_free(s);
    return rc;
}
