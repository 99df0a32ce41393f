/* Writing rows (rel_save, rel_destroy, rel_bulk_create are public); the
 * pieces association methods reuse. */
#ifndef REL_QUERY_CRUD_H
#define REL_QUERY_CRUD_H

#include "db/db.h"
#include "query/record.h"
#include "sql/sql.h"

/* Appends `"alias"."pk" = ?` (AND-ed for a composite key) for r's primary
 * key; alias may be NULL. REL_INVALID when the model has no primary key or
 * the row's key is not set. */
rel_status rel_crud_pk_where(rel_sql *q, const rel_record *r, const char *alias,
                             rel_error *err);

#endif
