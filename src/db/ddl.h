/* The DDL of a frozen schema for one dialect: the statements rel_sync runs
 * and rel_ddl prints, in order, written as Sequelize 6's sync() writes them.
 *
 * Order: with force, DROP TABLE children first (PostgreSQL: CASCADE; SQLite:
 * between PRAGMA defer_foreign_keys = ON / OFF, so that tables whose rows
 * point at each other can be dropped inside one transaction); then CREATE
 * TABLE IF NOT EXISTS parents first; then, on PostgreSQL only, the foreign
 * keys that close a cycle, as ALTER TABLE ... ADD CONSTRAINT (preceded by DROP
 * CONSTRAINT IF EXISTS unless force, so a second sync changes nothing). */
#ifndef REL_DB_DDL_H
#define REL_DB_DDL_H

#include "relate.h"
#include "sql/dialect.h"
#include "util/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Statements without the final ';', each malloc'd. */
typedef struct rel_ddl_list {
    char **items;
    size_t n, cap;
} rel_ddl_list;

/* Fills out (which must be zeroed) with the statements of a sync of the
 * frozen schema s. On failure out is left empty. */
rel_status rel_ddl_build(const rel_schema *s, const rel_dialect *d, bool force,
                         rel_ddl_list *out, rel_error *err);
void rel_ddl_list_free(rel_ddl_list *l);

/* ---- ddl_default.c ---- */

/* Appends the SQL literal of attribute ad's default value (default_value
 * converted to ad's type; strings quoted with quotes doubled) to b and sets
 * *has. *has is false when there is nothing to write: no default, or one
 * computed by relate when a row is made (NOW for DATE/DATEONLY, UUIDV1 and
 * UUIDV4 for UUID), as Sequelize leaves those out of the DDL too. A default
 * that does not fit the type is REL_INVALID; `model` names it in the message.
 * This is the one place relate writes a value into SQL text: DDL cannot take
 * bound parameters. */
rel_status rel_ddl_default(rel_buf *b, const rel_dialect *d, const char *model,
                           const rel_attr *ad, bool *has, rel_error *err);
/* The same for a default a model file wrote as a JavaScript number or string
 * (kind): Sequelize writes numbers bare (DEFAULT 3, also on DECIMAL and
 * STRING columns) and strings quoted (DEFAULT '3', also on INTEGER and
 * BOOLEAN columns), FLOAT and DOUBLE always quoted. */
rel_status rel_ddl_default_as(rel_buf *b, const rel_dialect *d, const char *model,
                              const rel_attr *ad, rel_literal_kind kind, bool *has,
                              rel_error *err);

#endif
