/* Making writers of one source's links take turns (see assoc.h). */
#include <string.h>

#include "query/assoc.h"

rel_status rel_assoc_lock_source(const rel_assoc_call *c, rel_type key_type, rel_value srcval)
{
    const rel_assoc *a = c->a;
    const rel_attr_def *sk = rel_model_attr_def(a->source, a->source_key);
    if (strcmp(c->db->dialect->name, "postgres") != 0 || !sk)
        return REL_OK;
    rel_sql q;
    rel_sql_init(&q, c->db->dialect);
    rel_sql_raw(&q, "SELECT 1 FROM ");
    rel_sql_ident(&q, a->source->table);
    rel_sql_raw(&q, " WHERE ");
    rel_sql_ident(&q, sk->a.field);
    rel_sql_raw(&q, " = ");
    rel_sql_param(&q, key_type, srcval);
    rel_sql_raw(&q, " FOR NO KEY UPDATE");
    rel_status st = rel_sql_exec(c->db, &q, NULL, c->err);
    rel_sql_free(&q);
    return st;
}
