/* The benchmark's models, defined through relate (used by the relate side and
 * by datagen to create the tables exactly as relate's sync does). */
#ifndef BENCH_MODEL_H
#define BENCH_MODEL_H

#include "relate.h"

typedef struct bench_models {
    rel_schema *schema;
    rel_model *org, *emp, *task;
} bench_models;

/* Organization(name) hasMany Employee(name) belongsTo Organization;
 * Employee belongsToMany Task(title) through "EmployeeTasks", and back.
 * Frozen; dies on failure. Free with rel_schema_free(m->schema). */
void bench_models_define(bench_models *m);

#endif
