/* The seeds' schemas, built with the C API and frozen, for tests that check what
   relate makes of them (the DDL it writes, the tables it syncs). A freeze that fails
   fails the running cmocka test. */
#ifndef REL_TEST_SEEDS_H
#define REL_TEST_SEEDS_H

#include <stdbool.h>

#include "relate.h"

/* Organization.hasMany(Employee); Employee.belongsTo(Organization); with_junction:
   also Employee/Task belongsToMany through 'EmployeeTasks'. */
rel_schema *test_seed_org_schema(bool with_junction);

/* A.hasOne(B, { onUpdate: 'SET NULL', onDelete: 'CASCADE', foreignKey: 'otherId',
   sourceKey: '', targetKey: '' }); B.belongsTo(A); */
rel_schema *test_seed_ab_schema(void);

/* Actor.hasOne(Role, { sourceKey: 'name', foreignKey: 'actorName' });
   Role.hasMany(Costume, { sourceKey: 'title', foreignKey: 'roleTitle' });
   Role.belongsTo(Actor, { targetKey: 'name', foreignKey: 'actorName' });
   Costume.belongsToMany(Actor, { through: 'actor_costumes', sourceKey: 'name',
                                  targetKey: 'wardrobe' }); */
rel_schema *test_seed_actor_schema(void);

/* A.belongsTo(B); B.belongsTo(A); both with onDelete: on_delete (NULL: the default). */
rel_schema *test_seed_cycle_schema(const char *on_delete);

#endif
