/* The benchmark's models: see model.h. */
#include "model.h"

#include "bench.h"

void bench_models_define(bench_models *m)
{
    rel_error err;
    m->schema = rel_schema_new();
    if (!m->schema)
        bench_die("out of memory");
    m->org = rel_define(m->schema, "Organization",
                        (rel_attr[]){{.name = "name", .type = REL_STRING, .allow_null = REL_NO},
                                     {0}},
                        NULL);
    m->emp = rel_define(m->schema, "Employee",
                        (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    m->task = rel_define(m->schema, "Task",
                         (rel_attr[]){{.name = "title", .type = REL_STRING}, {0}}, NULL);
    rel_has_many(m->org, m->emp, NULL);
    rel_belongs_to(m->emp, m->org, NULL);
    rel_belongs_to_many(m->emp, m->task, &(rel_assoc_opts){.through = "EmployeeTasks"});
    rel_belongs_to_many(m->task, m->emp, &(rel_assoc_opts){.through = "EmployeeTasks"});
    if (rel_schema_freeze(m->schema, &err) != REL_OK)
        bench_die("schema: %s", err.message);
}
