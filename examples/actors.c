/* examples/actors.rel with the C API: actors, the roles they play and the
 * costumes of each role, linked on keys other than the primary key (the
 * seeds' sourceKey / targetKey / foreignKey scenario).
 *
 * Defines the models, checks that they make the same tables as the model
 * file, creates the tables, creates rows from JSON and prints each actor with
 * its role and the role's costumes, and each costume with its actors.
 *
 *   ./actors [DATABASE-URL]      (default sqlite::memory:)
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
    fprintf(stderr, "actors: %s: %s\n", what, err->message);
    return 1;
}

static rel_schema *define_models(void)
{
    rel_schema *s = rel_schema_new();
    if (!s)
        return NULL;
    rel_model *actor = rel_define(s, "Actor", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true},
        {.name = "wardrobe", .type = REL_STRING, .unique = true},
        {0}}, NULL);
    rel_model *role = rel_define(s, "Role", (rel_attr[]){
        {.name = "title", .type = REL_STRING, .allow_null = REL_NO, .unique = true},
        {0}}, NULL);
    rel_model *costume = rel_define(s, "Costume", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true},
        {0}}, NULL);

    /* Roles get actorName, referencing Actors.name; both halves name it. */
    rel_has_one(actor, role, &(rel_assoc_opts){.source_key = "name",
                                               .foreign_key = {.name = "actorName"}});
    rel_belongs_to(role, actor, &(rel_assoc_opts){.target_key = "name",
                                                  .foreign_key = {.name = "actorName"}});
    /* Costumes get roleTitle, referencing Roles.title. */
    rel_has_many(role, costume, &(rel_assoc_opts){.source_key = "title",
                                                  .foreign_key = {.name = "roleTitle"}});
    /* actor_costumes(CostumeName, ActorWardrobe). */
    rel_belongs_to_many(costume, actor, &(rel_assoc_opts){.through = "actor_costumes",
                                                          .source_key = "name",
                                                          .target_key = "wardrobe"});
    return s;
}

/* The C definitions and the model file describe the same tables. */
static int same_as_model_file(const rel_schema *s)
{
    rel_schema *from_file = NULL;
    char *errors = NULL, *a = NULL, *b = NULL;
    rel_error err;
    int rc = 1;
    if (rel_schema_load_file(REL_EXAMPLES_DIR "/actors.rel", &from_file, &errors, &err) != REL_OK) {
        fprintf(stderr, "%s", errors ? errors : err.message);
        goto done;
    }
    if (rel_ddl(s, "postgres", NULL, &a, &err) != REL_OK ||
        rel_ddl(from_file, "postgres", NULL, &b, &err) != REL_OK) {
        fail("ddl", &err);
        goto done;
    }
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "actors: the C definitions and actors.rel differ:\n%s\n%s", a, b);
        goto done;
    }
    rc = 0;
done:
    free(a);
    free(b);
    free(errors);
    rel_schema_free(from_file);
    return rc;
}

/* Finds every row of model with include, ordered by id, and prints it. */
static int print_all(rel_db *db, const rel_schema *s, const char *model, const rel_include *inc)
{
    rel_result *res = NULL;
    rel_error err;
    rel_find_opts find = {.order = "[[\"id\",\"ASC\"]]", .include = inc};
    if (rel_find_all(db, rel_schema_model(s, model), &find, &res, &err) != REL_OK)
        return fail("find", &err);
    char *json = rel_result_json(res);
    rel_result_free(res);
    if (!json)
        return 1;
    puts(json);
    free(json);
    return 0;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite::memory:";
    rel_error err;
    rel_db *db = NULL;
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

    static const struct {
        const char *model, *json;
    } rows[] = {
        {"Actor", "{\"name\":\"Ann\",\"wardrobe\":\"W1\",\"Role\":{\"title\":\"Hamlet\","
                  "\"Costumes\":[{\"name\":\"Cloak\"},{\"name\":\"Crown\"}]}}"},
        {"Role", "{\"title\":\"Ophelia\",\"Actor\":{\"name\":\"Bo\",\"wardrobe\":\"W2\"}}"},
        {"Costume", "{\"name\":\"Dress\",\"roleTitle\":\"Ophelia\","
                    "\"Actors\":[{\"name\":\"Cy\",\"wardrobe\":\"W3\"}]}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        rel_result *res = NULL;
        if (rel_create_json(db, rel_schema_model(s, rows[i].model), rows[i].json, &res, &err) !=
            REL_OK) {
            rc = fail("create", &err);
            goto done;
        }
        rel_result_free(res);
    }

    rc = print_all(db, s, "Actor", (rel_include[]){
             {.association = "Role", .include = (rel_include[]){{.association = "Costumes"}, {0}}},
             {0}});
    if (rc == 0)
        rc = print_all(db, s, "Costume", (rel_include[]){{.association = "Actors"}, {0}});
done:
    rel_close(db);
    rel_schema_free(s);
    return rc;
}
