/* Internal layout of schemas, models, attributes and associations.
 * Everything is allocated in the schema's arena and lives as long as it. */
#ifndef REL_SCHEMA_SCHEMA_H
#define REL_SCHEMA_SCHEMA_H

#include <string.h>

#include "relate.h"
#include "util/arena.h"

/* Where a definition came from (model files), for file:line:col errors. */
typedef struct rel_origin {
    const char *file; /* NULL for C calls */
    int line, col;
} rel_origin;

typedef enum rel_attr_role {
    REL_ROLE_PLAIN = 0,
    REL_ROLE_GENERATED_ID, /* the implicit `id` */
    REL_ROLE_CREATED_AT,
    REL_ROLE_UPDATED_AT,
    REL_ROLE_FOREIGN_KEY   /* added (or adopted) by an association */
} rel_attr_role;

/* How a model file wrote a default value: Sequelize's DDL literal follows
 * the JavaScript value (defaultValue: 3 gives DEFAULT 3 on a DECIMAL,
 * defaultValue: '3' gives DEFAULT '3'). C callers give text: AUTO. */
typedef enum rel_literal_kind {
    REL_LITERAL_AUTO = 0,
    REL_LITERAL_NUMBER,
    REL_LITERAL_STRING
} rel_literal_kind;

/* One attribute after freeze. `a` is the public view: a.name, a.type, a.field
 * (always the resolved column name after freeze), a.allow_null (REL_YES/REL_NO
 * after freeze), ... */
typedef struct rel_attr_def {
    rel_attr a;
    rel_attr_role role;
    /* Foreign keys with constraints: what they reference, and the rules.
     * ref_model NULL means no REFERENCES clause (constraints: false, or the
     * key is one column of a composite primary key, as in Sequelize). When
     * several associations share a column, the first one's constraint. */
    rel_model *ref_model;
    const char *ref_attr;      /* attribute name on ref_model */
    const char *on_delete;     /* upper case, e.g. "SET NULL"; NULL = none */
    const char *on_update;
    rel_origin origin;
    /* allow_null as someone stated it (the user's definition, an
     * association's foreignKey.allowNull, REL_NO for the generated id and
     * timestamps); REL_DEFAULT when nobody did. Sequelize writes NOT NULL
     * in DDL only when stated, even for primary keys (a.allow_null is
     * REL_NO for every primary key). */
    rel_flag declared_null;
    const rel_assoc *added_by; /* association that added this FK; NULL if user-defined */
    rel_literal_kind default_literal; /* how default_value was written */
} rel_attr_def;

/* Buckets of a model's attribute names (rel_model.attr_head), by their
 * first byte: the usual handful of attributes land in different ones. */
#define REL_ATTR_BUCKETS 32
static inline size_t rel_attr_bucket(const char *name)
{
    return (unsigned char)name[0] & (REL_ATTR_BUCKETS - 1);
}

struct rel_model {
    rel_schema *schema;
    size_t index;               /* position in schema->models */
    const char *name;
    rel_model_opts opts;        /* strings copied into the arena */
    rel_origin origin;
    unsigned seq;               /* definition order among models and associations */

    /* As defined (before freeze). */
    rel_attr *defined;          /* copies of the caller's attrs */
    rel_origin *defined_origin; /* per defined attribute (file NULL when unknown) */
    rel_literal_kind *defined_literal; /* per defined attribute: its default's kind */
    size_t ndefined;

    /* After freeze, in Sequelize's column order: primary key first when it
     * was generated, the defined attributes, createdAt, updatedAt, then the
     * foreign keys added by associations in association order. A generated
     * junction: its own attributes, createdAt, updatedAt, then the keys. */
    rel_attr_def *attrs;
    size_t nattrs, cap_attrs;
    int pk;                     /* index of the single primary key, -1 if none or composite */
    int created_at, updated_at; /* indexes, -1 when timestamps are off */
    bool has_defaults;          /* an attribute has a default value */
    /* Frozen: attribute indexes chained by rel_attr_bucket of their name,
     * in attribute order (-1 ends a chain); attr_next NULL before. */
    int32_t attr_head[REL_ATTR_BUCKETS];
    int32_t *attr_next;
    const char *table;
    const char *singular, *plural;
    bool generated_junction;    /* made by belongsToMany from a `through` name */
    bool composite_pk;          /* PRIMARY KEY over every attribute with a.primary_key,
                                   in attribute order: a junction's (key, otherKey), or a
                                   user model that declared several primary keys */
    const rel_assoc *junction_of; /* belongsToMany whose keys this model holds, or NULL */
    const char *unique_pair[2]; /* junction with own pk: UNIQUE (key, otherKey) columns' attributes, or NULL */

    rel_assoc **assocs;         /* associations whose source is this model */
    size_t nassocs, cap_assocs;
};

struct rel_assoc {
    rel_assoc_kind kind;
    rel_model *source, *target; /* target NULL: reported at freeze */
    rel_assoc_opts opts;        /* strings copied; "" normalised to NULL */
    rel_origin origin;
    size_t index;               /* position in schema->assocs */

    /* Resolved at freeze. */
    const char *name;           /* the `as`, else target plural (to-many) / singular (to-one) */
    const char *singular, *plural;
    const char *foreign_key;    /* attribute name: on source (belongsTo), on target
                                   (hasOne/hasMany), on the junction (belongsToMany) */
    const char *source_key;     /* attribute of source the FK points at (hasOne/hasMany/btm) */
    const char *target_key;     /* attribute of target (belongsTo, btm) */
    const char *other_key;      /* btm: junction attribute pointing at target */
    rel_model *through;         /* btm: the junction model */
    const char *on_delete, *on_update; /* resolved rules, upper case; NULL without
                                          constraints */
    bool constraints;
    /* The other half of one relation, or NULL: X.hasOne|hasMany(Y) with
     * Y.belongsTo(X) (one foreign key, key and rules), or two opposite
     * belongsToMany through one model (one junction, its two columns). */
    rel_assoc *pair;

    /* Freeze bookkeeping. */
    unsigned seq;               /* definition order among models and associations */
    bool invalid;               /* a definition error keeps it from being resolved */
    bool resolved;              /* keys and rules set (a pair resolves together) */
};

typedef struct rel_schema_diag {
    rel_error e;
} rel_schema_diag;

struct rel_schema {
    rel_arena *arena;
    /* In Sequelize's model-manager order: as defined, with a generated
     * junction right after the models defined before the belongsToMany
     * that made it. */
    rel_model **models;
    size_t nmodels, cap_models;
    rel_assoc **assocs;
    size_t nassocs, cap_assocs;
    bool frozen;               /* freeze has run: definitions are refused */
    bool failed;               /* freeze reported errors: the schema cannot be used */
    bool oom;                  /* a define/association call ran out of memory */
    rel_error *errors;         /* from freeze (malloc'd array) */
    size_t nerrors, cap_errors;
    unsigned next_seq;         /* next definition's seq */
};

/* Lookups used everywhere (NULL / -1 when absent). */
rel_model *rel_schema_find_model(const rel_schema *s, const char *name);
/* rel_model_attr_index of a model not frozen yet: every name is looked at. */
int rel_model_attr_scan(const rel_model *m, const char *attr);
/* Every getter and setter looks its attribute up, so the frozen case is in
   line: only the names in the bucket of its first byte are compared. */
static inline int rel_model_attr_index(const rel_model *m, const char *attr)
{
    if (!m || !attr)
        return -1;
    if (!m->attr_next)
        return rel_model_attr_scan(m, attr);
    for (int32_t i = m->attr_head[rel_attr_bucket(attr)]; i >= 0; i = m->attr_next[i])
        if (strcmp(m->attrs[i].a.name, attr) == 0)
            return (int)i;
    return -1;
}
const rel_attr_def *rel_model_attr_def(const rel_model *m, const char *attr);
rel_assoc *rel_model_find_assoc(const rel_model *m, const char *name);

/* Records where the next definition comes from (model files). */
void rel_model_set_origin(rel_model *m, const char *file, int line, int col);
void rel_assoc_set_origin(rel_assoc *a, const char *file, int line, int col);
/* Where one attribute of a model was written; errors about it point there
 * (otherwise at the model). Unknown attributes are ignored. */
void rel_model_set_attr_origin(rel_model *m, const char *attr, const char *file, int line,
                               int col);
/* How a model file wrote an attribute's default value (see rel_literal_kind). */
void rel_model_set_attr_literal(rel_model *m, const char *attr, rel_literal_kind kind);

#endif
