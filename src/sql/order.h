/* Sequelize's `order` as JSON: [["name","DESC"]], ["name"], "name",
 * [["Employees","name","ASC"]] (through included associations). Parsing is
 * separate from writing SQL so that the include planner can route items with
 * an association path to the query that loads that association. */
#ifndef REL_SQL_ORDER_H
#define REL_SQL_ORDER_H

#include <jansson.h>
#include <stdbool.h>

#include "relate.h"
#include "schema/schema.h"
#include "sql/sql.h"
#include "util/arena.h"

typedef struct rel_order_item {
    const char **path; /* association names, outermost first; npath 0: the model itself */
    size_t npath;
    const char *attr;  /* attribute name (checked when written) */
    const char *dir;   /* "ASC", "DESC NULLS LAST", ... (a constant), NULL: none given */
} rel_order_item;

typedef struct rel_order {
    rel_order_item *items;
    size_t n;
} rel_order;

/* Parses order JSON text / a parsed value into items whose strings live in
 * arena. NULL, "" or JSON null: no items. Malformed JSON: REL_PARSE; a shape
 * that is not an order: REL_INVALID. */
rel_status rel_order_parse(const char *json, rel_arena *arena, rel_order *out, rel_error *err);
rel_status rel_order_parse_json(const json_t *order, rel_arena *arena, rel_order *out,
                                rel_error *err);

/* Writes one item as `"alias"."column" DIR` for an attribute of m. Unknown
 * attribute: REL_INVALID naming it. */
rel_status rel_order_item_append(rel_sql *q, const rel_model *m, const char *alias,
                                 const rel_order_item *item, rel_error *err);

/* Writes a direction after an ORDER BY expression (dir as in an item; NULL:
 * none), with PostgreSQL's placement of NULLs made explicit on SQLite. */
void rel_order_dir_append(rel_sql *q, const char *dir);

/* Appends " ORDER BY ..." with the items that have no association path
 * (nothing when there are none; *wrote may be NULL). Items with a path are
 * skipped when skip_paths, otherwise they are an error (the association must
 * be included for its attributes to be ordered by). */
rel_status rel_order_append(rel_sql *q, const rel_model *m, const char *alias,
                            const rel_order *order, bool skip_paths, bool *wrote,
                            rel_error *err);

#endif
