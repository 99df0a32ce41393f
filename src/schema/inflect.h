/*
 * Naming helpers: the exact word forms Sequelize 6 derives from model and
 * attribute names, so that tables and keys made by relate and by Sequelize
 * carry the same names.
 *
 * rel_pluralize, rel_singularize and rel_underscore port the npm package
 * `inflection` 1.13.4 (the version sequelize@6.37 resolves), with its rules,
 * uncountable words and rule order unchanged; rel_camelize ports Sequelize's
 * own Utils.camelize. Strings are UTF-8 and handled as bytes: rule matching
 * is then identical to JavaScript's, but upper/lower-casing is done for
 * ASCII letters only (JavaScript also maps other letters, e.g. E-acute in
 * rel_underscore).
 *
 * Every function returns a malloc'd NUL-terminated string the caller frees,
 * or NULL when out of memory or when a required argument is NULL.
 */
#ifndef REL_SCHEMA_INFLECT_H
#define REL_SCHEMA_INFLECT_H

#include <stdbool.h>

/* inflection.pluralize: "Person" -> "People", "UserAccount" -> "UserAccounts". */
char *rel_pluralize(const char *word);

/* inflection.singularize: "People" -> "Person", "Categories" -> "Category". */
char *rel_singularize(const char *word);

/* inflection.underscore: "UserAccount" -> "user_account", "A::B" -> "a/b". */
char *rel_underscore(const char *word);

/*
 * Sequelize Utils.camelize: trims JavaScript whitespace, then drops every run
 * of '-', '_' and whitespace and upper-cases the character after it:
 * "user_id" -> "userId". A run at the very end, where Sequelize throws a
 * TypeError, is dropped: "user_" -> "user".
 */
char *rel_camelize(const char *word);

/*
 * Foreign-key name as Sequelize joins it: Utils.camelize([prefix, key].join('_')).
 * "Organization" + "id" -> "OrganizationId", "user" + "id" -> "userId".
 * A NULL prefix or key counts as empty, as Array.join treats it.
 */
char *rel_key_join(const char *prefix, const char *key);

/*
 * Model.init's default table name: the model name itself when
 * freeze_table_name, else Utils.underscoredIf(Utils.pluralize(name), underscored).
 */
char *rel_default_table_name(const char *model_name, bool underscored,
                             bool freeze_table_name);

/* Column of an attribute: Utils.underscoredIf(attr, underscored). */
char *rel_column_name(const char *attr, bool underscored);

#endif
