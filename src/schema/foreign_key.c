/* Foreign-key attributes: added by an association to the model that holds
 * the key, or adopted when the model already has an attribute of that name
 * (Sequelize merges its defaults under the existing definition). Also the
 * ON DELETE / ON UPDATE rules and the check that a key can be referenced. */
#include "schema/freeze.h"
#include "schema/inflect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rules[] = {"CASCADE", "SET NULL", "RESTRICT", "NO ACTION",
                                    "SET DEFAULT"};

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

const char *rel_rule_canonical(const char *rule)
{
    if (!rule)
        return NULL;
    for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
        const char *x = rules[r], *y = rule;
        while (*x && upper((unsigned char)*y) == *x)
            x++, y++;
        if (!*x && !*y)
            return rules[r];
    }
    return NULL;
}

bool rel_key_check(rel_assoc *a, const rel_model *m, const char *name, const char *option)
{
    char desc[512];
    const rel_attr_def *d = rel_model_attr_def(m, name);
    if (!d) {
        rel_diag(m->schema, &a->origin,
                 "%s: unknown attribute \"%s\" passed as %s; define this attribute on model "
                 "\"%s\" first", rel_assoc_describe(a, desc, sizeof desc), name, option,
                 m->name);
        return false;
    }
    if (!d->a.unique && !d->a.primary_key) {
        rel_diag(m->schema, &a->origin,
                 "%s: %s \"%s\" must be unique or the primary key of model \"%s\"; declare it "
                 "with unique: true", rel_assoc_describe(a, desc, sizeof desc), option, name,
                 m->name);
        return false;
    }
    return true;
}

/* The type as a user would write it, for messages. */
static const char *type_text(const rel_attr *a, char *buf, size_t n)
{
    static const char *const names[] = {"NONE", "INTEGER", "BIGINT", "FLOAT", "DOUBLE",
                                        "DECIMAL", "STRING", "TEXT", "BOOLEAN", "DATE",
                                        "DATEONLY", "UUID", "BLOB", "JSON"};
    const char *name = a->type <= REL_JSON ? names[a->type] : "unknown";
    if (a->type == REL_STRING)
        snprintf(buf, n, "STRING(%d)", a->length);
    else if (a->type == REL_DECIMAL && a->length > 0)
        snprintf(buf, n, "DECIMAL(%d,%d)", a->length, a->scale);
    else
        snprintf(buf, n, "%s", name);
    return buf;
}

static bool same_type(const rel_attr *x, const rel_attr *y)
{
    if (x->type != y->type)
        return false;
    if (x->type == REL_STRING || x->type == REL_DECIMAL)
        return x->length == y->length && x->scale == y->scale;
    return true;
}

static void copy_type(rel_attr *to, const rel_attr *from)
{
    to->type = from->type;
    to->length = from->length;
    to->scale = from->scale;
}

/* Sequelize adds REFERENCES unless the key is one column of a composite
 * primary key (which alone is not unique). */
static bool can_reference(const rel_model *m, const char *key)
{
    const rel_attr_def *d = rel_model_attr_def(m, key);
    return d && !(m->composite_pk && d->a.primary_key);
}

static const char *default_on_delete(rel_assoc_kind kind, bool not_null)
{
    switch (kind) {
    case REL_BELONGS_TO: return not_null ? "NO ACTION" : "SET NULL";
    case REL_HAS_ONE:
    case REL_HAS_MANY: return not_null ? "CASCADE" : "SET NULL";
    case REL_BELONGS_TO_MANY: return "CASCADE";
    }
    return "SET NULL";
}

/* Merges the association's description into an attribute that exists. */
static void adopt(rel_model *holder, rel_attr_def *d, const rel_fk_spec *spec,
                  const rel_attr *key)
{
    rel_schema *s = holder->schema;
    char desc[512], other[512], t1[32], t2[32];
    const rel_origin *o = &spec->by->origin;

    /* Two associations that make one key of different types cannot both
     * be right. A user's own definition wins silently, as in Sequelize. */
    if (!spec->junction && d->added_by && !same_type(&d->a, key)) {
        rel_diag(s, o, "%s.%s is defined twice with different types: %s by %s and %s by %s; "
                 "give one of the associations a different foreignKey", holder->name,
                 d->a.name, type_text(&d->a, t1, sizeof t1),
                 rel_assoc_describe(d->added_by, other, sizeof other),
                 type_text(key, t2, sizeof t2), rel_assoc_describe(spec->by, desc, sizeof desc));
        return;
    }
    if (spec->opts.allow_null != REL_DEFAULT && d->declared_null != REL_DEFAULT &&
        spec->opts.allow_null != d->declared_null) {
        rel_diag(s, o, "%s.%s is defined twice with different nullability: allowNull %s by %s "
                 "and allowNull %s by %s; make them agree", holder->name, d->a.name,
                 d->declared_null == REL_NO ? "false" : "true",
                 d->added_by ? rel_assoc_describe(d->added_by, other, sizeof other)
                             : "its model definition",
                 spec->opts.allow_null == REL_NO ? "false" : "true",
                 rel_assoc_describe(spec->by, desc, sizeof desc));
        return;
    }
    if (spec->opts.field && strcmp(spec->opts.field, d->a.field) != 0) {
        char *dflt = rel_column_name(d->a.name, holder->opts.underscored);
        if (!dflt) {
            s->oom = true;
            return;
        }
        bool was_default = strcmp(dflt, d->a.field) == 0;
        free(dflt);
        if (!was_default) {
            rel_diag(s, o, "%s.%s is given two columns, '%s' and '%s' (by %s); make them agree",
                     holder->name, d->a.name, d->a.field, spec->opts.field,
                     rel_assoc_describe(spec->by, desc, sizeof desc));
            return;
        }
        d->a.field = spec->opts.field;
    }
    if (spec->opts.allow_null != REL_DEFAULT && d->declared_null == REL_DEFAULT) {
        d->declared_null = spec->opts.allow_null;
        if (!d->a.primary_key)
            d->a.allow_null = spec->opts.allow_null;
    }
    if (spec->opts.unique)
        d->a.unique = true;
    /* A belongsToMany key always takes the key's type (Object.assign). */
    if (spec->junction)
        copy_type(&d->a, key);
    if (spec->primary_key) {
        d->a.primary_key = true;
        d->a.allow_null = REL_NO;
    }
    if (d->role == REL_ROLE_PLAIN)
        d->role = REL_ROLE_FOREIGN_KEY;
}

static int add_new(rel_model *holder, const rel_fk_spec *spec, const rel_attr *key)
{
    rel_attr_def d = {0};
    d.a.name = spec->name;
    copy_type(&d.a, key);
    d.a.unique = spec->opts.unique;
    d.a.primary_key = spec->primary_key;
    d.declared_null = spec->opts.allow_null;
    d.a.allow_null = spec->primary_key || spec->opts.allow_null == REL_NO ? REL_NO : REL_YES;
    d.a.field = spec->opts.field
                    ? spec->opts.field
                    : rel_schema_take(holder->schema,
                                      rel_column_name(spec->name, holder->opts.underscored));
    d.role = REL_ROLE_FOREIGN_KEY;
    d.added_by = spec->by;
    d.origin = spec->by->origin;
    if (!d.a.field)
        return -1;
    return rel_model_push_attr(holder, &d);
}

bool rel_fk_attach(rel_model *holder, const rel_fk_spec *spec, const char **on_delete,
                   const char **on_update)
{
    const rel_attr_def *keydef = rel_model_attr_def(spec->key_model, spec->key_attr);
    if (on_delete)
        *on_delete = NULL;
    if (on_update)
        *on_update = NULL;
    if (!keydef)
        return true; /* reported when the key was checked */
    rel_attr key = keydef->a;

    int i = rel_model_attr_index(holder, spec->name);
    bool not_null;
    if (i >= 0) {
        rel_attr_def *d = &holder->attrs[i];
        /* Sequelize picks the default rule from the attribute as it was
         * before the association: a user's definition without allowNull
         * (undefined) counts as NOT NULL there, an association's as stated. */
        not_null = d->added_by ? d->a.allow_null == REL_NO : d->declared_null != REL_YES;
        adopt(holder, d, spec, &key);
    } else {
        not_null = spec->primary_key || spec->opts.allow_null == REL_NO;
        i = add_new(holder, spec, &key);
        if (i < 0)
            return false;
    }
    rel_model_reindex(holder);
    /* constraints: false leaves the rules unset; an explicit onDelete or
     * onUpdate still makes REFERENCES with that rule alone, as Sequelize's
     * addForeignKeyConstraints does for the three kinds with one key. */
    bool explicit_rule = spec->on_delete || spec->on_update;
    if (!spec->constraints && (spec->kind == REL_BELONGS_TO_MANY || !explicit_rule))
        return true;

    const char *od = spec->on_delete ? spec->on_delete
                     : spec->constraints ? default_on_delete(spec->kind, not_null)
                                         : NULL;
    const char *ou = spec->on_update ? spec->on_update : spec->constraints ? "CASCADE" : NULL;
    if (on_delete)
        *on_delete = od;
    if (on_update)
        *on_update = ou;
    /* The first association to constrain a column sets its REFERENCES. */
    rel_attr_def *d = &holder->attrs[i];
    if (!d->ref_model && can_reference(spec->key_model, spec->key_attr)) {
        d->ref_model = spec->key_model;
        d->ref_attr = spec->key_attr;
        d->on_delete = od;
        d->on_update = ou;
    }
    return true;
}
