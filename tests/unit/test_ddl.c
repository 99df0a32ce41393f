/* Unit tests for src/db/ddl.c, ddl_default.c and rel_ddl: the exact DDL for
 * the seeds' schemas on both dialects, checked two ways: against relate's
 * expected text, and against what real Sequelize 6.37 emitted for the same
 * models (PostgreSQL: sequelize.sync() on PostgreSQL 15 with logging;
 * SQLite: the same sync through Sequelize's SQLite query generator), compared
 * after normalising Sequelize's stray whitespace ("id"   SERIAL , ...) and
 * backquotes. Where relate differs on purpose (SEMANTICS.md, "Where relate
 * differs"), the test says so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relate.h"
#include "db/ddl.h"
#include "seeds.h"

/* ---- helpers ----------------------------------------------------------------- */

static rel_schema *frozen(rel_schema *s)
{
    rel_error err;
    memset(&err, 0, sizeof err);
    rel_status st = rel_schema_freeze(s, &err);
    if (st != REL_OK)
        fail_msg("freeze: %s", err.message);
    return s;
}

static char *ddl(const rel_schema *s, const char *dialect, bool force)
{
    char *out = NULL;
    rel_error err;
    memset(&err, 0, sizeof err);
    rel_sync_opts opts = {.force = force};
    rel_status st = rel_ddl(s, dialect, &opts, &out, &err);
    if (st != REL_OK)
        fail_msg("rel_ddl(%s): %s", dialect, err.message);
    assert_non_null(out);
    return out;
}

/* Exact comparison, printing both texts when they differ. */
static void assert_text(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        print_error("--- got:\n%s\n--- want:\n%s\n", got, want);
        fail();
    }
}

/* Sequelize's text in relate's spelling: double quotes for backquotes, one
 * space between words, none before ',' or ')', one after a ',' that ends a
 * quoted name in a list, and no final ';'. */
static char *norm(const char *in)
{
    size_t n = strlen(in);
    char *out = malloc(2 * n + 1), *o = out;
    assert_non_null(out);
    for (const char *p = in; *p; p++) {
        char c = *p == '`' ? '"' : *p;
        if (c == ' ') {
            while (p[1] == ' ')
                p++;
            if (p[1] == ',' || p[1] == ')' || p[1] == '\0' || o == out)
                continue;
        }
        *o++ = c;
        if (c == ',' && (p[1] == '"' || p[1] == '`'))
            *o++ = ' '; /* ("a","b") -> ("a", "b"); DECIMAL(10,2) stays */
    }
    while (o > out && (o[-1] == ';' || o[-1] == ' '))
        o--;
    *o = '\0';
    return out;
}

/* Each of Sequelize's statements, normalised, equals relate's statement at
 * the same position in text (statements separated by ";\n"). */
static void assert_like_sequelize(const char *text, const char *const *seq)
{
    const char *p = text;
    for (size_t i = 0; seq[i]; i++) {
        const char *end = strstr(p, ";\n");
        assert_non_null(end);
        char *mine = malloc((size_t)(end - p) + 1);
        assert_non_null(mine);
        memcpy(mine, p, (size_t)(end - p));
        mine[end - p] = '\0';
        char *theirs = norm(seq[i]);
        if (strcmp(mine, theirs) != 0) {
            print_error("statement %zu\n--- relate:\n%s\n--- Sequelize:\n%s\n", i, mine, theirs);
            fail();
        }
        free(mine);
        free(theirs);
        p = end + 2;
    }
    assert_string_equal(p, "");
}

static const rel_attr NO_ATTRS[] = {{0}};

/* ---- Organization / Employee / Task ------------------------------------------ */

static const char ORG_PG[] =
    "CREATE TABLE IF NOT EXISTS \"Organizations\" (\"id\" SERIAL, \"name\" VARCHAR(255) NOT NULL UNIQUE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));\n"
    "CREATE TABLE IF NOT EXISTS \"Employees\" (\"id\" SERIAL, \"name\" VARCHAR(255), \"hired\" TIMESTAMP WITH TIME ZONE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"OrganizationId\" INTEGER REFERENCES \"Organizations\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));\n"
    "CREATE TABLE IF NOT EXISTS \"Tasks\" (\"id\" SERIAL, \"title\" VARCHAR(100), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));\n"
    "CREATE TABLE IF NOT EXISTS \"EmployeeTasks\" (\"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"EmployeeId\" INTEGER REFERENCES \"Employees\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, \"TaskId\" INTEGER REFERENCES \"Tasks\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (\"EmployeeId\", \"TaskId\"));\n";

static const char ORG_SQLITE[] =
    "CREATE TABLE IF NOT EXISTS \"Organizations\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255) NOT NULL UNIQUE, \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS \"Employees\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255), \"hired\" DATETIME, \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL, \"OrganizationId\" INTEGER REFERENCES \"Organizations\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE);\n"
    "CREATE TABLE IF NOT EXISTS \"Tasks\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"title\" VARCHAR(100), \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS \"EmployeeTasks\" (\"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL, \"EmployeeId\" INTEGER NOT NULL REFERENCES \"Employees\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, \"TaskId\" INTEGER NOT NULL REFERENCES \"Tasks\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (\"EmployeeId\", \"TaskId\"));\n";

/* Logged by Sequelize 6.37.8's sync() on PostgreSQL 15. */
static const char *const ORG_SEQ_PG[] = {
    "CREATE TABLE IF NOT EXISTS \"Organizations\" (\"id\"   SERIAL , \"name\" VARCHAR(255) NOT NULL UNIQUE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
    "CREATE TABLE IF NOT EXISTS \"Employees\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"hired\" TIMESTAMP WITH TIME ZONE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"OrganizationId\" INTEGER REFERENCES \"Organizations\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
    "CREATE TABLE IF NOT EXISTS \"Tasks\" (\"id\"   SERIAL , \"title\" VARCHAR(100), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
    "CREATE TABLE IF NOT EXISTS \"EmployeeTasks\" (\"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"EmployeeId\" INTEGER  REFERENCES \"Employees\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, \"TaskId\" INTEGER  REFERENCES \"Tasks\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (\"EmployeeId\",\"TaskId\"));",
    NULL};

/* Sequelize 6.37.8's SQLite query generator, same sync. */
static const char *const ORG_SEQ_SQLITE[] = {
    "CREATE TABLE IF NOT EXISTS `Organizations` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255) NOT NULL UNIQUE, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
    "CREATE TABLE IF NOT EXISTS `Employees` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `hired` DATETIME, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `OrganizationId` INTEGER REFERENCES `Organizations` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
    "CREATE TABLE IF NOT EXISTS `Tasks` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(100), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
    "CREATE TABLE IF NOT EXISTS `EmployeeTasks` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `EmployeeId` INTEGER NOT NULL REFERENCES `Employees` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `TaskId` INTEGER NOT NULL REFERENCES `Tasks` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (`EmployeeId`, `TaskId`));",
    NULL};

static void org_postgres(void **state)
{
    (void)state;
    rel_schema *s = test_seed_org_schema(true);
    char *text = ddl(s, "postgres", false);
    assert_text(text, ORG_PG);
    assert_like_sequelize(text, ORG_SEQ_PG);
    free(text);
    rel_schema_free(s);
}

static void org_sqlite(void **state)
{
    (void)state;
    rel_schema *s = test_seed_org_schema(true);
    char *text = ddl(s, "sqlite", false);
    assert_text(text, ORG_SQLITE);
    assert_like_sequelize(text, ORG_SEQ_SQLITE);
    free(text);
    rel_schema_free(s);
}

/* force: drop children first (Sequelize: the same four DROPs first, with
   CASCADE on PostgreSQL), then create parents first. */
static void org_force(void **state)
{
    (void)state;
    rel_schema *s = test_seed_org_schema(true);
    char *pg = ddl(s, "postgres", true);
    char *sq = ddl(s, "sqlite", true);
    static const char pg_drops[] =
        "DROP TABLE IF EXISTS \"EmployeeTasks\" CASCADE;\n"
        "DROP TABLE IF EXISTS \"Tasks\" CASCADE;\n"
        "DROP TABLE IF EXISTS \"Employees\" CASCADE;\n"
        "DROP TABLE IF EXISTS \"Organizations\" CASCADE;\n";
    static const char sq_drops[] =
        "PRAGMA defer_foreign_keys = ON;\n"
        "DROP TABLE IF EXISTS \"EmployeeTasks\";\n"
        "DROP TABLE IF EXISTS \"Tasks\";\n"
        "DROP TABLE IF EXISTS \"Employees\";\n"
        "DROP TABLE IF EXISTS \"Organizations\";\n"
        "PRAGMA defer_foreign_keys = OFF;\n";
    assert_true(strncmp(pg, pg_drops, strlen(pg_drops)) == 0);
    assert_text(pg + strlen(pg_drops), ORG_PG);
    assert_true(strncmp(sq, sq_drops, strlen(sq_drops)) == 0);
    assert_text(sq + strlen(sq_drops), ORG_SQLITE);
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* ---- A / B with otherId ---------------------------------------------------------- */

/* relate makes A.hasOne(B, { foreignKey: 'otherId' }) + B.belongsTo(A) one
   relation (SEMANTICS.md, differs 1): B has otherId only, with the explicit
   rules. Sequelize adds a second column, "AId" INTEGER REFERENCES "As" ("id")
   ON DELETE SET NULL ON UPDATE CASCADE, after "otherId"; otherwise the text
   is Sequelize's. */
static void ab_both(void **state)
{
    (void)state;
    rel_schema *s = test_seed_ab_schema();
    char *pg = ddl(s, "postgres", false);
    char *sq = ddl(s, "sqlite", false);
    assert_text(pg,
        "CREATE TABLE IF NOT EXISTS \"As\" (\"id\" SERIAL, \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));\n"
        "CREATE TABLE IF NOT EXISTS \"Bs\" (\"id\" SERIAL, \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"otherId\" INTEGER REFERENCES \"As\" (\"id\") ON DELETE CASCADE ON UPDATE SET NULL, PRIMARY KEY (\"id\"));\n");
    assert_like_sequelize(pg, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS \"As\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        /* Sequelize's, without its second "AId" column */
        "CREATE TABLE IF NOT EXISTS \"Bs\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"otherId\" INTEGER REFERENCES \"As\" (\"id\") ON DELETE CASCADE ON UPDATE SET NULL, PRIMARY KEY (\"id\"));",
        NULL});
    assert_text(sq,
        "CREATE TABLE IF NOT EXISTS \"As\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255), \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL);\n"
        "CREATE TABLE IF NOT EXISTS \"Bs\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255), \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL, \"otherId\" INTEGER REFERENCES \"As\" (\"id\") ON DELETE CASCADE ON UPDATE SET NULL);\n");
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* ---- Actor / Role / Costume ------------------------------------------------------ */

static const char *const ACTOR_SEQ_PG[] = {
    "CREATE TABLE IF NOT EXISTS \"Actors\" (\"id\"   SERIAL , \"name\" VARCHAR(255) UNIQUE, \"wardrobe\" VARCHAR(255) UNIQUE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
    "CREATE TABLE IF NOT EXISTS \"Roles\" (\"id\"   SERIAL , \"title\" VARCHAR(255) UNIQUE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"actorName\" VARCHAR(255) REFERENCES \"Actors\" (\"name\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
    "CREATE TABLE IF NOT EXISTS \"Costumes\" (\"id\"   SERIAL , \"name\" VARCHAR(255) UNIQUE, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"roleTitle\" VARCHAR(255) REFERENCES \"Roles\" (\"title\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
    "CREATE TABLE IF NOT EXISTS \"actor_costumes\" (\"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"CostumeName\" VARCHAR(255)  REFERENCES \"Costumes\" (\"name\") ON DELETE CASCADE ON UPDATE CASCADE, \"ActorWardrobe\" VARCHAR(255)  REFERENCES \"Actors\" (\"wardrobe\") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (\"CostumeName\",\"ActorWardrobe\"));",
    NULL};

static const char *const ACTOR_SEQ_SQLITE[] = {
    "CREATE TABLE IF NOT EXISTS `Actors` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255) UNIQUE, `wardrobe` VARCHAR(255) UNIQUE, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
    "CREATE TABLE IF NOT EXISTS `Roles` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `title` VARCHAR(255) UNIQUE, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `actorName` VARCHAR(255) REFERENCES `Actors` (`name`) ON DELETE SET NULL ON UPDATE CASCADE);",
    "CREATE TABLE IF NOT EXISTS `Costumes` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255) UNIQUE, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `roleTitle` VARCHAR(255) REFERENCES `Roles` (`title`) ON DELETE SET NULL ON UPDATE CASCADE);",
    "CREATE TABLE IF NOT EXISTS `actor_costumes` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `CostumeName` VARCHAR(255) NOT NULL REFERENCES `Costumes` (`name`) ON DELETE CASCADE ON UPDATE CASCADE, `ActorWardrobe` VARCHAR(255) NOT NULL REFERENCES `Actors` (`wardrobe`) ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (`CostumeName`, `ActorWardrobe`));",
    NULL};

static void actor_both(void **state)
{
    (void)state;
    rel_schema *s = test_seed_actor_schema();
    char *pg = ddl(s, "postgres", false);
    char *sq = ddl(s, "sqlite", false);
    assert_like_sequelize(pg, ACTOR_SEQ_PG);
    assert_like_sequelize(sq, ACTOR_SEQ_SQLITE);
    assert_non_null(strstr(pg, "\"actorName\" VARCHAR(255) REFERENCES \"Actors\" (\"name\") ON DELETE SET NULL ON UPDATE CASCADE"));
    assert_non_null(strstr(sq, "PRIMARY KEY (\"CostumeName\", \"ActorWardrobe\")"));
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* ---- a cycle --------------------------------------------------------------------- */

/* A.belongsTo(B); B.belongsTo(A). Tables in definition order, as Sequelize
   creates them for a cycle. PostgreSQL: "BId" is added after "Bs" exists
   (Sequelize does the same with ALTER TABLE "As" ADD FOREIGN KEY ...; relate
   names the constraint as PostgreSQL would, and a re-sync replaces it rather
   than adding a second), and "AId" is inline, where Sequelize adds it with
   ALTER too. SQLite: both inline, as Sequelize writes them (SQLite resolves
   references when rows are written). */
static void cycle_both(void **state)
{
    (void)state;
    rel_schema *s = test_seed_cycle_schema(NULL);
    char *pg = ddl(s, "postgres", false);
    char *pgf = ddl(s, "postgres", true);
    char *sq = ddl(s, "sqlite", false);
    char *sqf = ddl(s, "sqlite", true);
    static const char pg_create[] =
        "CREATE TABLE IF NOT EXISTS \"As\" (\"id\" SERIAL, \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"BId\" INTEGER, PRIMARY KEY (\"id\"));\n"
        "CREATE TABLE IF NOT EXISTS \"Bs\" (\"id\" SERIAL, \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"AId\" INTEGER REFERENCES \"As\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));\n";
    static const char pg_add[] =
        "ALTER TABLE \"As\" ADD CONSTRAINT \"As_BId_fkey\" FOREIGN KEY (\"BId\") REFERENCES \"Bs\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE;\n";
    static const char sq_create[] =
        "CREATE TABLE IF NOT EXISTS \"As\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255), \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL, \"BId\" INTEGER REFERENCES \"Bs\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE);\n"
        "CREATE TABLE IF NOT EXISTS \"Bs\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255), \"createdAt\" DATETIME NOT NULL, \"updatedAt\" DATETIME NOT NULL, \"AId\" INTEGER REFERENCES \"As\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE);\n";
    char want[4096];

    snprintf(want, sizeof want, "%s%s%s", pg_create,
             "ALTER TABLE \"As\" DROP CONSTRAINT IF EXISTS \"As_BId_fkey\";\n", pg_add);
    assert_text(pg, want);
    snprintf(want, sizeof want, "%s%s%s",
             "DROP TABLE IF EXISTS \"Bs\" CASCADE;\nDROP TABLE IF EXISTS \"As\" CASCADE;\n",
             pg_create, pg_add);
    assert_text(pgf, want);
    assert_text(sq, sq_create);
    /* Sequelize's SQLite text for the cycle, the same */
    assert_like_sequelize(sq, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS `As` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `BId` INTEGER REFERENCES `Bs` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
        "CREATE TABLE IF NOT EXISTS `Bs` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `AId` INTEGER REFERENCES `As` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
        NULL});
    snprintf(want, sizeof want, "%s%s%s",
             "PRAGMA defer_foreign_keys = ON;\nDROP TABLE IF EXISTS \"Bs\";\n"
             "DROP TABLE IF EXISTS \"As\";\nPRAGMA defer_foreign_keys = OFF;\n",
             sq_create, "");
    assert_text(sqf, want);
    free(pg);
    free(pgf);
    free(sq);
    free(sqf);
    rel_schema_free(s);
}

/* A cycle through a junction: A.belongsTo(B), B.belongsTo(A), and
   A.belongsToMany(B) through 'AB'. Every constraint is created, the
   junction's included (Sequelize on PostgreSQL leaves AB without any). */
static void cycle_with_junction(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_model *a = rel_define(s, "A", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *b = rel_define(s, "B", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to(a, b, NULL);
    rel_belongs_to(b, a, NULL);
    rel_belongs_to_many(a, b, &(rel_assoc_opts){.through = "AB"});
    frozen(s);
    char *pg = ddl(s, "postgres", false);
    assert_non_null(strstr(pg,
        "CREATE TABLE IF NOT EXISTS \"AB\" (\"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"AId\" INTEGER REFERENCES \"As\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, \"BId\" INTEGER REFERENCES \"Bs\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (\"AId\", \"BId\"));\n"));
    /* "AB" comes after both tables and before the cycle's ALTER */
    assert_true(strstr(pg, "\"AB\"") > strstr(pg, "CREATE TABLE IF NOT EXISTS \"Bs\""));
    assert_true(strstr(pg, "\"AB\"") < strstr(pg, "ALTER TABLE"));
    free(pg);
    rel_schema_free(s);
}

/* ---- order ------------------------------------------------------------------------ */

/* A.belongsTo(C) with B between: Sequelize's toposort gives Cs, As, Bs
   (each model right after what it references, otherwise definition order). */
static void order_like_sequelize(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_model *a = rel_define(s, "A", NO_ATTRS, NULL);
    rel_define(s, "B", NO_ATTRS, NULL);
    rel_model *c = rel_define(s, "C", NO_ATTRS, NULL);
    rel_belongs_to(a, c, NULL);
    frozen(s);
    char *pg = ddl(s, "postgres", false);
    assert_like_sequelize(pg, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS \"Cs\" (\"id\"   SERIAL , \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"As\" (\"id\"   SERIAL , \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"CId\" INTEGER REFERENCES \"Cs\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"Bs\" (\"id\"   SERIAL , \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        NULL});
    free(pg);
    rel_schema_free(s);
}

/* ---- more shapes ----------------------------------------------------------------- */

/* A through model with its own id keeps it; the keys get UNIQUE (a, b). */
static void junction_with_id(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_model *u = rel_define(s, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_model *p = rel_define(s, "Project", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_define(s, "UserProject", (rel_attr[]){
        {.name = "id", .type = REL_INTEGER, .primary_key = true, .auto_increment = true},
        {.name = "role", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to_many(u, p, &(rel_assoc_opts){.through = "UserProject"});
    rel_belongs_to_many(p, u, &(rel_assoc_opts){.through = "UserProject"});
    frozen(s);
    char *pg = ddl(s, "postgres", false);
    char *sq = ddl(s, "sqlite", false);
    assert_like_sequelize(pg, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS \"Users\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"Projects\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"UserProjects\" (\"id\"  SERIAL , \"role\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"UserId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, \"ProjectId\" INTEGER REFERENCES \"Projects\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, UNIQUE (\"UserId\", \"ProjectId\"), PRIMARY KEY (\"id\"));",
        NULL});
    assert_like_sequelize(sq, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
        "CREATE TABLE IF NOT EXISTS `Projects` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
        "CREATE TABLE IF NOT EXISTS `UserProjects` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `role` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `UserId` INTEGER REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `ProjectId` INTEGER REFERENCES `Projects` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, UNIQUE (`UserId`, `ProjectId`));",
        NULL});
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* User.belongsToMany(User, { as: 'friends', through: 'Friendships' }) and a
   self-reference (User.hasMany(User, { as: 'children', foreignKey: 'parentId' })). */
static void self_association(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_model *u = rel_define(s, "User", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, NULL);
    rel_belongs_to_many(u, u, &(rel_assoc_opts){.as = "friends", .through = "Friendships"});
    rel_has_many(u, u, &(rel_assoc_opts){.as = "children", .foreign_key = {.name = "parentId"}});
    frozen(s);
    char *pg = ddl(s, "postgres", false);
    char *sq = ddl(s, "sqlite", false);
    assert_like_sequelize(pg, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS \"Users\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"parentId\" INTEGER REFERENCES \"Users\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"Friendships\" (\"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"UserId\" INTEGER  REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, \"friendId\" INTEGER  REFERENCES \"Users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (\"UserId\",\"friendId\"));",
        NULL});
    assert_like_sequelize(sq, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS `Users` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `parentId` INTEGER REFERENCES `Users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
        "CREATE TABLE IF NOT EXISTS `Friendships` (`createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `UserId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, `friendId` INTEGER NOT NULL REFERENCES `Users` (`id`) ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY (`UserId`, `friendId`));",
        NULL});
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* underscored columns and tables; a NOT NULL foreign key gets ON DELETE NO ACTION. */
static void underscored_and_not_null(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_model_opts us = {.underscored = true};
    rel_model *o = rel_define(s, "Organization", (rel_attr[]){{.name = "name", .type = REL_STRING}, {0}}, &us);
    rel_model *e = rel_define(s, "Employee", (rel_attr[]){
        {.name = "name", .type = REL_STRING}, {.name = "hiredAt", .type = REL_DATE}, {0}}, &us);
    rel_model *p = rel_define(s, "Post", NO_ATTRS, NULL);
    rel_model *c = rel_define(s, "Comment", NO_ATTRS, NULL);
    rel_has_many(o, e, NULL);
    rel_belongs_to(e, o, NULL);
    rel_belongs_to(c, p, &(rel_assoc_opts){.foreign_key = {.name = "postId", .allow_null = REL_NO}});
    frozen(s);
    char *pg = ddl(s, "postgres", false);
    char *sq = ddl(s, "sqlite", false);
    assert_like_sequelize(pg, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS \"organizations\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"employees\" (\"id\"   SERIAL , \"name\" VARCHAR(255), \"hired_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"organization_id\" INTEGER REFERENCES \"organizations\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"Posts\" (\"id\"   SERIAL , \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        "CREATE TABLE IF NOT EXISTS \"Comments\" (\"id\"   SERIAL , \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"postId\" INTEGER NOT NULL REFERENCES \"Posts\" (\"id\") ON DELETE NO ACTION ON UPDATE CASCADE, PRIMARY KEY (\"id\"));",
        NULL});
    assert_like_sequelize(sq, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS `organizations` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL);",
        "CREATE TABLE IF NOT EXISTS `employees` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `name` VARCHAR(255), `hired_at` DATETIME, `created_at` DATETIME NOT NULL, `updated_at` DATETIME NOT NULL, `organization_id` INTEGER REFERENCES `organizations` (`id`) ON DELETE SET NULL ON UPDATE CASCADE);",
        "CREATE TABLE IF NOT EXISTS `Posts` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
        "CREATE TABLE IF NOT EXISTS `Comments` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL, `postId` INTEGER NOT NULL REFERENCES `Posts` (`id`) ON DELETE NO ACTION ON UPDATE CASCADE);",
        NULL});
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* Every type, with defaults (Sequelize: the same attributes with defaultValue
   0, "it's", true, NOW, a date, a date-only, {a: 1}, 1.5, '10.50', 42, false). */
static rel_schema *types_schema(void)
{
    rel_schema *s = rel_schema_new();
    rel_define(s, "Thing", (rel_attr[]){
        {.name = "i", .type = REL_INTEGER, .default_value = "0"},
        {.name = "bi", .type = REL_BIGINT},
        {.name = "f", .type = REL_FLOAT},
        {.name = "d", .type = REL_DOUBLE},
        {.name = "dec", .type = REL_DECIMAL, .length = 10, .scale = 2},
        {.name = "s", .type = REL_STRING, .default_value = "it's"},
        {.name = "s2", .type = REL_STRING, .length = 20},
        {.name = "t", .type = REL_TEXT},
        {.name = "b", .type = REL_BOOLEAN, .allow_null = REL_NO, .default_value = "true"},
        {.name = "dt", .type = REL_DATE, .default_value = "NOW"},
        {.name = "dt2", .type = REL_DATE, .default_value = "2020-01-02T03:04:05.000Z"},
        {.name = "don", .type = REL_DATEONLY, .default_value = "2020-01-02"},
        {.name = "u", .type = REL_UUID},
        {.name = "bl", .type = REL_BLOB},
        {.name = "j", .type = REL_JSON, .default_value = "{ \"a\": 1 }"},
        {.name = "fd", .type = REL_FLOAT, .default_value = "1.5"},
        {.name = "decd", .type = REL_DECIMAL, .length = 10, .scale = 2, .default_value = "10.50"},
        {.name = "bid", .type = REL_BIGINT, .default_value = "42"},
        {.name = "bf", .type = REL_BOOLEAN, .default_value = "false"},
        {0}}, NULL);
    return frozen(s);
}

static void types_and_defaults(void **state)
{
    (void)state;
    rel_schema *s = types_schema();
    char *pg = ddl(s, "postgres", false);
    char *sq = ddl(s, "sqlite", false);
    assert_like_sequelize(pg, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS \"Things\" (\"id\"   SERIAL , \"i\" INTEGER DEFAULT 0, \"bi\" BIGINT, \"f\" FLOAT, \"d\" DOUBLE PRECISION, \"dec\" DECIMAL(10,2), \"s\" VARCHAR(255) DEFAULT 'it''s', \"s2\" VARCHAR(20), \"t\" TEXT, \"b\" BOOLEAN NOT NULL DEFAULT true, \"dt\" TIMESTAMP WITH TIME ZONE, \"dt2\" TIMESTAMP WITH TIME ZONE DEFAULT '2020-01-02 03:04:05.000 +00:00', \"don\" DATE DEFAULT '2020-01-02', \"u\" UUID, \"bl\" BYTEA, \"j\" JSON DEFAULT '{\"a\":1}', \"fd\" FLOAT DEFAULT '1.5', \"decd\" DECIMAL(10,2) DEFAULT '10.50', \"bid\" BIGINT DEFAULT 42, \"bf\" BOOLEAN DEFAULT false, \"createdAt\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updatedAt\" TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (\"id\"));",
        NULL});
    assert_like_sequelize(sq, (const char *const[]){
        "CREATE TABLE IF NOT EXISTS `Things` (`id` INTEGER PRIMARY KEY AUTOINCREMENT, `i` INTEGER DEFAULT 0, `bi` BIGINT, `f` FLOAT, `d` DOUBLE PRECISION, `dec` DECIMAL(10,2), `s` VARCHAR(255) DEFAULT 'it''s', `s2` VARCHAR(20), `t` TEXT, `b` TINYINT(1) NOT NULL DEFAULT 1, `dt` DATETIME, `dt2` DATETIME DEFAULT '2020-01-02 03:04:05.000 +00:00', `don` DATE DEFAULT '2020-01-02', `u` UUID, `bl` BLOB, `j` JSON DEFAULT '{\"a\":1}', `fd` FLOAT DEFAULT '1.5', `decd` DECIMAL(10,2) DEFAULT '10.50', `bid` BIGINT DEFAULT 42, `bf` TINYINT(1) DEFAULT 0, `createdAt` DATETIME NOT NULL, `updatedAt` DATETIME NOT NULL);",
        NULL});
    free(pg);
    free(sq);
    rel_schema_free(s);
}

/* ---- DEFAULT literals --------------------------------------------------------------- */

static char *literal(const char *dialect, rel_type type, int length, const char *value,
                     rel_status *st_out)
{
    rel_attr a = {.name = "x", .type = type, .length = length, .default_value = value};
    rel_buf b = {0};
    rel_error err;
    bool has = true;
    rel_status st = rel_ddl_default(&b, rel_dialect_by_name(dialect), "M", &a, &has, &err);
    if (st_out)
        *st_out = st;
    if (st != REL_OK) {
        assert_int_equal(st, REL_INVALID);
        assert_non_null(strstr(err.message, "M.x: default value"));
        rel_buf_free(&b);
        return NULL;
    }
    if (!has) {
        assert_int_equal(b.len, 0);
        rel_buf_free(&b);
        char *none = malloc(sizeof "(none)");
        assert_non_null(none);
        memcpy(none, "(none)", sizeof "(none)");
        return none;
    }
    return rel_buf_take(&b);
}

static void check_literal(const char *dialect, rel_type type, int length, const char *value,
                          const char *want)
{
    rel_status st;
    char *got = literal(dialect, type, length, value, &st);
    if (!want) {
        if (got)
            fail_msg("%s default \"%s\" accepted as %s", dialect, value, got);
        return;
    }
    if (!got)
        fail_msg("%s default \"%s\" refused", dialect, value);
    if (strcmp(got, want) != 0)
        fail_msg("%s default \"%s\": got %s, want %s", dialect, value, got, want);
    free(got);
}

static void default_literals(void **state)
{
    (void)state;
    /* quotes doubled; backslashes inside E'' on PostgreSQL only */
    check_literal("sqlite", REL_TEXT, 0, "O'Brien", "'O''Brien'");
    check_literal("postgres", REL_TEXT, 0, "O'Brien", "'O''Brien'");
    check_literal("sqlite", REL_TEXT, 0, "a\\b'", "'a\\b'''");
    check_literal("postgres", REL_TEXT, 0, "a\\b'", "E'a\\\\b'''");
    check_literal("postgres", REL_STRING, 0, "'); DROP TABLE x; --", "'''); DROP TABLE x; --'");
    check_literal("sqlite", REL_STRING, 3, "abc", "'abc'");
    check_literal("sqlite", REL_STRING, 3, "abcd", NULL);
    check_literal("sqlite", REL_STRING, 3, "\xc3\xa9t\xc3\xa9", "'\xc3\xa9t\xc3\xa9'");
    /* numbers */
    check_literal("sqlite", REL_INTEGER, 0, "-12", "-12");
    check_literal("sqlite", REL_INTEGER, 0, "+7", "7");
    check_literal("sqlite", REL_INTEGER, 0, "1.5", NULL);
    check_literal("sqlite", REL_INTEGER, 0, "abc", NULL);
    check_literal("sqlite", REL_INTEGER, 0, "", NULL);
    check_literal("sqlite", REL_INTEGER, 0, "1 OR 1", NULL);
    check_literal("sqlite", REL_INTEGER, 0, "2147483648", NULL);
    check_literal("postgres", REL_BIGINT, 0, "9223372036854775807", "9223372036854775807");
    check_literal("postgres", REL_BIGINT, 0, "9223372036854775808", NULL);
    check_literal("postgres", REL_DOUBLE, 0, "2.5", "'2.5'");
    check_literal("postgres", REL_DECIMAL, 0, "-0.25e3", "'-0.25e3'");
    check_literal("postgres", REL_FLOAT, 0, "nan", NULL);
    check_literal("postgres", REL_FLOAT, 0, "1e999", NULL);
    /* booleans */
    check_literal("postgres", REL_BOOLEAN, 0, "TRUE", "true");
    check_literal("postgres", REL_BOOLEAN, 0, "0", "false");
    check_literal("sqlite", REL_BOOLEAN, 0, "false", "0");
    check_literal("sqlite", REL_BOOLEAN, 0, "yes", NULL);
    /* dates: computed per row when NOW; else Sequelize's text */
    check_literal("sqlite", REL_DATE, 0, "NOW", "(none)");
    check_literal("postgres", REL_DATE, 0, "now", "(none)");
    check_literal("postgres", REL_DATE, 0, "2026-01-02 03:04:05.678+02",
                  "'2026-01-02 01:04:05.678 +00:00'");
    check_literal("sqlite", REL_DATE, 0, "2026-02-30", NULL);
    check_literal("sqlite", REL_DATEONLY, 0, "2026-01-02", "'2026-01-02'");
    check_literal("sqlite", REL_DATEONLY, 0, "2026-01-02T00:00:00Z", NULL);
    /* UUID: generated per row for UUIDV4/UUIDV1 */
    check_literal("postgres", REL_UUID, 0, "UUIDV4", "(none)");
    check_literal("postgres", REL_UUID, 0, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                  "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'");
    check_literal("postgres", REL_UUID, 0, "not-a-uuid", NULL);
    /* JSON: JSON.stringify of the value; blobs in hex as Sequelize writes them */
    check_literal("sqlite", REL_JSON, 0, "[1, \"it's\"]", "'[1,\"it''s\"]'");
    check_literal("sqlite", REL_JSON, 0, "{a:1}", NULL);
    check_literal("sqlite", REL_BLOB, 0, "hi", "X'6869'");
    check_literal("postgres", REL_BLOB, 0, "hi", "E'\\\\x6869'");
    /* no default */
    check_literal("postgres", REL_TEXT, 0, NULL, "(none)");
}

/* A bad default fails rel_ddl (if freeze let it through) before any SQL. */
static void bad_default_is_an_error(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    rel_define(s, "Thing", (rel_attr[]){{.name = "n", .type = REL_INTEGER, .default_value = "ten"}, {0}}, NULL);
    rel_error err;
    memset(&err, 0, sizeof err);
    if (rel_schema_freeze(s, &err) == REL_OK) {
        char *out = (char *)"untouched";
        assert_int_equal(rel_ddl(s, "sqlite", NULL, &out, &err), REL_INVALID);
        assert_null(out);
        assert_non_null(strstr(err.message, "Thing.n"));
    } else {
        assert_non_null(strstr(err.message, "ten"));
    }
    rel_schema_free(s);
}

/* ---- misuse -------------------------------------------------------------------------- */

static void misuse(void **state)
{
    (void)state;
    rel_error err;
    char *out = NULL;
    rel_schema *s = rel_schema_new();
    rel_define(s, "Thing", NO_ATTRS, NULL);
    /* not frozen */
    assert_int_equal(rel_ddl(s, "sqlite", NULL, &out, &err), REL_MISUSE);
    assert_null(out);
    frozen(s);
    assert_int_equal(rel_ddl(s, "mysql", NULL, &out, &err), REL_INVALID);
    assert_non_null(strstr(err.message, "mysql"));
    assert_int_equal(rel_ddl(s, NULL, NULL, &out, &err), REL_INVALID);
    assert_int_equal(rel_ddl(NULL, "sqlite", NULL, &out, &err), REL_MISUSE);
    assert_int_equal(rel_ddl(s, "sqlite", NULL, NULL, &err), REL_MISUSE);
    assert_int_equal(rel_ddl(s, "postgresql", NULL, &out, NULL), REL_OK);
    assert_non_null(strstr(out, "CREATE TABLE IF NOT EXISTS \"Things\""));
    free(out);
    rel_schema_free(s);
}

/* Identifiers are quoted with embedded quotes doubled; a long cycle name is
   cut the way PostgreSQL cuts its own constraint names (63 bytes). */
static void names_quoted_and_cut(void **state)
{
    (void)state;
    rel_schema *s = rel_schema_new();
    static const char long_a[] = "a_table_whose_name_is_rather_long_for_anyone_0123456789";
    rel_model *a = rel_define(s, "A", NO_ATTRS, &(rel_model_opts){.table_name = long_a});
    rel_model *b = rel_define(s, "B\"q", NO_ATTRS, &(rel_model_opts){.table_name = "b\"q"});
    rel_belongs_to(a, b, &(rel_assoc_opts){.foreign_key = {.name = "the_key_that_points_at_b_from_a"}});
    rel_belongs_to(b, a, NULL);
    frozen(s);
    char *pg = ddl(s, "postgres", true);
    assert_non_null(strstr(pg, "CREATE TABLE IF NOT EXISTS \"b\"\"q\""));
    /* makeObjectName: 55 + 31 > 57, so the table part shrinks to 29, the column part to 28 */
    assert_non_null(strstr(pg, "ADD CONSTRAINT \"a_table_whose_name_is_rather__the_key_that_points_at_b_fro_fkey\""));
    free(pg);
    rel_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(org_postgres),
        cmocka_unit_test(org_sqlite),
        cmocka_unit_test(org_force),
        cmocka_unit_test(ab_both),
        cmocka_unit_test(actor_both),
        cmocka_unit_test(cycle_both),
        cmocka_unit_test(cycle_with_junction),
        cmocka_unit_test(order_like_sequelize),
        cmocka_unit_test(junction_with_id),
        cmocka_unit_test(self_association),
        cmocka_unit_test(underscored_and_not_null),
        cmocka_unit_test(types_and_defaults),
        cmocka_unit_test(default_literals),
        cmocka_unit_test(bad_default_is_an_error),
        cmocka_unit_test(misuse),
        cmocka_unit_test(names_quoted_and_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
