/* The seeds' schemas through the C API (see seeds.h). */
#include "seeds.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static rel_schema *frozen(rel_schema *s)
{
    rel_error err = {0};
    if (rel_schema_freeze(s, &err) != REL_OK)
        fail_msg("freeze: %s", err.message);
    return s;
}

rel_schema *test_seed_org_schema(bool with_junction)
{
    rel_schema *s = rel_schema_new();
    rel_model *org = rel_define(s, "Organization", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .allow_null = REL_NO, .unique = true}, {0}}, NULL);
    rel_model *emp = rel_define(s, "Employee", (rel_attr[]){
        {.name = "name", .type = REL_STRING}, {.name = "hired", .type = REL_DATE}, {0}}, NULL);
    rel_model *task = rel_define(s, "Task", (rel_attr[]){
        {.name = "title", .type = REL_STRING, .length = 100}, {0}}, NULL);
    rel_has_many(org, emp, NULL);
    rel_belongs_to(emp, org, NULL);
    if (with_junction) {
        rel_belongs_to_many(emp, task, &(rel_assoc_opts){.through = "EmployeeTasks"});
        rel_belongs_to_many(task, emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    }
    return frozen(s);
}

rel_schema *test_seed_ab_schema(void)
{
    rel_schema *s = rel_schema_new();
    rel_attr name[] = {{.name = "name", .type = REL_STRING}, {0}};
    rel_model *a = rel_define(s, "A", name, NULL);
    rel_model *b = rel_define(s, "B", name, NULL);
    rel_has_one(a, b, &(rel_assoc_opts){.on_update = "SET NULL", .on_delete = "CASCADE",
                                        .foreign_key = {.name = "otherId"},
                                        .source_key = "", .target_key = ""});
    rel_belongs_to(b, a, NULL);
    return frozen(s);
}

rel_schema *test_seed_actor_schema(void)
{
    rel_schema *s = rel_schema_new();
    rel_model *actor = rel_define(s, "Actor", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .unique = true},
        {.name = "wardrobe", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *role = rel_define(s, "Role", (rel_attr[]){
        {.name = "title", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_model *costume = rel_define(s, "Costume", (rel_attr[]){
        {.name = "name", .type = REL_STRING, .unique = true}, {0}}, NULL);
    rel_has_one(actor, role,
                &(rel_assoc_opts){.source_key = "name", .foreign_key = {.name = "actorName"}});
    rel_has_many(role, costume,
                 &(rel_assoc_opts){.source_key = "title", .foreign_key = {.name = "roleTitle"}});
    rel_belongs_to(role, actor,
                   &(rel_assoc_opts){.target_key = "name", .foreign_key = {.name = "actorName"}});
    rel_belongs_to_many(costume, actor, &(rel_assoc_opts){.through = "actor_costumes",
                                                         .source_key = "name",
                                                         .target_key = "wardrobe"});
    return frozen(s);
}

rel_schema *test_seed_cycle_schema(const char *on_delete)
{
    rel_schema *s = rel_schema_new();
    rel_attr name[] = {{.name = "name", .type = REL_STRING}, {0}};
    rel_model *a = rel_define(s, "A", name, NULL);
    rel_model *b = rel_define(s, "B", name, NULL);
    rel_belongs_to(a, b, &(rel_assoc_opts){.on_delete = on_delete});
    rel_belongs_to(b, a, &(rel_assoc_opts){.on_delete = on_delete});
    return frozen(s);
}
