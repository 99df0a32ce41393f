/* Internal: find options given as JSON text (the relate command's --include
 * and --attributes) turned into the rel_find_opts structures.
 *
 * --where and --order need no conversion: rel_find_opts takes them as JSON
 * text, and the where / order compilers (sql/where.c, sql/order.c) check them.
 *
 * Everything made lives in the arena the caller passes, and is freed with it.
 * Messages say what is wrong without naming the option; the caller adds it. */
#ifndef REL_IO_JSON_OPTS_H
#define REL_IO_JSON_OPTS_H

#include "relate.h"
#include "util/arena.h"

/* Parses an include list of the frozen model `model` as Sequelize writes
 * one, in JSON:
 *   ["Tasks", {"association": "Employees", "required": true,
 *              "where": {...}, "attributes": ["name"],
 *              "through": {"attributes": [], "where": {...}},
 *              "include": [...]}]
 * A single string or object stands for a list of one. "model" and "as" are
 * accepted in place of "association" ("as" wins, as in Sequelize). *out is a
 * zero-terminated array (NULL for NULL or "" text). Malformed JSON: REL_PARSE;
 * a shape that is not an include: REL_INVALID. Whether the associations
 * exist is for the find to say. */
rel_status rel_json_include_parse(const char *json, const rel_model *model, rel_arena *arena,
                                  const rel_include **out, rel_error *err);

/* Parses an attribute list of `model` into a NULL-terminated array (*out
 * NULL for NULL or "" text: all attributes): ["id", "name"], or Sequelize's
 * {"exclude": ["createdAt"]} for every other attribute in the model's order.
 * Attribute lists inside --include take the same two forms. */
rel_status rel_json_attributes_parse(const char *json, const rel_model *model, rel_arena *arena,
                                     const char *const **out, rel_error *err);

#endif
