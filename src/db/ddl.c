/* Building the statements of a sync: table order, CREATE TABLE as Sequelize
 * writes it per dialect, DROP TABLE for force, and the foreign keys that
 * close a cycle. */
#include "db/ddl.h"

#include "schema/schema.h"
#include "util/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_pg(const rel_dialect *d)
{
    return strcmp(d->name, "postgres") == 0;
}

static rel_status push(rel_ddl_list *l, rel_buf *b, rel_error *err)
{
    if (b->oom)
        return rel_err_nomem(err);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return rel_err_nomem(err);
        l->items = items;
        l->cap = cap;
    }
    char *s = rel_buf_take(b);
    if (!s)
        return rel_err_nomem(err);
    l->items[l->n++] = s;
    return REL_OK;
}

void rel_ddl_list_free(rel_ddl_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- order ------------------------------------------------------------------ */

/* Tables parents first, and which foreign keys close a cycle. */
typedef struct rel_ddl_order {
    size_t *models;          /* schema->models indexes, parents first */
    size_t n;
    size_t *attr_base;       /* per model: its first slot in closing */
    unsigned char *closing;  /* per attribute of every model: references a
                                table that is created after its own */
} rel_ddl_order;

static void order_free(rel_ddl_order *o)
{
    free(o->models);
    free(o->attr_base);
    free(o->closing);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Tarjan's strongly connected components, depth-first over the models in
 * definition order and their references in attribute order. Without cycles
 * this is the order Sequelize's toposort gives: each model right after the
 * models it references. Models that reference each other (a component) are
 * created together in definition order, as Sequelize creates them when it
 * finds a cycle; a reference to a later one of them closes the cycle and
 * cannot be inline on PostgreSQL. Iterative, so a long chain of references
 * cannot exhaust the stack. */
static bool order_build(const rel_schema *s, rel_ddl_order *o)
{
    typedef struct frame { size_t model, next_attr; } frame;
    const size_t none = SIZE_MAX;
    size_t nm = s->nmodels, alloc = nm ? nm : 1, total = 0, counter = 0, sp = 0, fp = 0;
    size_t *num = malloc(alloc * sizeof *num);   /* visit number, none: unvisited */
    size_t *low = malloc(alloc * sizeof *low);
    size_t *comp = malloc(alloc * sizeof *comp); /* component, none: still open */
    size_t *stack = malloc(alloc * sizeof *stack);
    frame *frames = malloc(alloc * sizeof *frames);
    bool ok = false;

    memset(o, 0, sizeof *o);
    o->models = malloc(alloc * sizeof *o->models);
    o->attr_base = malloc(alloc * sizeof *o->attr_base);
    if (!num || !low || !comp || !stack || !frames || !o->models || !o->attr_base)
        goto done;
    for (size_t i = 0; i < nm; i++) {
        o->attr_base[i] = total;
        total += s->models[i]->nattrs;
        num[i] = comp[i] = none;
    }
    o->closing = calloc(total ? total : 1, 1);
    if (!o->closing)
        goto done;

    for (size_t root = 0; root < nm; root++) {
        if (num[root] != none)
            continue;
        num[root] = low[root] = counter++;
        stack[sp++] = root;
        frames[fp++] = (frame){root, 0};
        while (fp > 0) {
            frame *top = &frames[fp - 1];
            size_t v = top->model;
            const rel_model *m = s->models[v];
            if (top->next_attr < m->nattrs) {
                const rel_model *ref = m->attrs[top->next_attr++].ref_model;
                if (!ref || ref == m)
                    continue; /* a self-reference is fine inline */
                size_t w = ref->index;
                if (num[w] == none) {
                    num[w] = low[w] = counter++;
                    stack[sp++] = w;
                    frames[fp++] = (frame){w, 0};
                } else if (comp[w] == none && num[w] < low[v]) {
                    low[v] = num[w];
                }
                continue;
            }
            fp--;
            if (fp > 0 && low[v] < low[frames[fp - 1].model])
                low[frames[fp - 1].model] = low[v];
            if (low[v] != num[v])
                continue;
            /* v closes a component: the models above it on the stack */
            size_t first = o->n;
            do {
                size_t w = stack[--sp];
                comp[w] = first;
                o->models[o->n++] = w;
            } while (o->models[o->n - 1] != v);
            qsort(o->models + first, o->n - first, sizeof *o->models, cmp_size);
        }
    }

    for (size_t i = 0; i < nm; i++) {
        const rel_model *m = s->models[i];
        for (size_t k = 0; k < m->nattrs; k++) {
            const rel_model *ref = m->attrs[k].ref_model;
            if (ref && ref != m && comp[ref->index] == comp[i] && ref->index > i)
                o->closing[o->attr_base[i] + k] = 1;
        }
    }
    ok = true;
done:
    free(num);
    free(low);
    free(comp);
    free(stack);
    free(frames);
    if (!ok)
        order_free(o);
    return ok;
}

/* ---- pieces ------------------------------------------------------------------ */

static bool rule_known(const char *rule)
{
    static const char *const rules[] = {"CASCADE", "SET NULL", "RESTRICT", "NO ACTION",
                                        "SET DEFAULT"};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rule, rules[i]) == 0)
            return true;
    return false;
}

/* REFERENCES "Table" ("column") ON DELETE x ON UPDATE y */
static rel_status references(rel_buf *b, const rel_dialect *d, const rel_model *m,
                             const rel_attr_def *ad, rel_error *err)
{
    const rel_model *ref = ad->ref_model;
    const rel_attr_def *key = ad->ref_attr ? rel_model_attr_def(ref, ad->ref_attr) : NULL;
    if (!key)
        return rel_err(err, REL_MISUSE, "%s.%s references %s.%s, which does not exist",
                       m->name, ad->a.name, ref->name, ad->ref_attr ? ad->ref_attr : "(null)");
    rel_buf_puts(b, "REFERENCES ");
    d->quote_ident(b, ref->table);
    rel_buf_puts(b, " (");
    d->quote_ident(b, key->a.field);
    rel_buf_putc(b, ')');
    /* the rules come from a fixed list; never write anything else */
    if ((ad->on_delete && !rule_known(ad->on_delete)) ||
        (ad->on_update && !rule_known(ad->on_update)))
        return rel_err(err, REL_MISUSE, "%s.%s: unknown referential action", m->name, ad->a.name);
    if (ad->on_delete)
        rel_buf_printf(b, " ON DELETE %s", ad->on_delete);
    if (ad->on_update)
        rel_buf_printf(b, " ON UPDATE %s", ad->on_update);
    return REL_OK;
}

static size_t pk_count(const rel_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nattrs; i++)
        n += m->attrs[i].a.primary_key;
    return n;
}

static bool int_type(rel_type t)
{
    return t == REL_INTEGER || t == REL_BIGINT;
}

/* One column, with Sequelize's clauses in its order: type, NOT NULL, DEFAULT,
 * UNIQUE, PRIMARY KEY (SQLite, single key), REFERENCES. PostgreSQL writes
 * every primary key as a table constraint, SQLite only a composite one. */
static rel_status column(rel_buf *b, const rel_dialect *d, const rel_model *m,
                         const rel_attr_def *ad, size_t npk, bool closing, rel_error *err)
{
    const rel_attr *a = &ad->a;
    bool pg = is_pg(d);
    bool single_pk = a->primary_key && npk == 1;
    /* a key copied from a serial id is a plain integer */
    bool serial = a->auto_increment && int_type(a->type) && ad->role != REL_ROLE_FOREIGN_KEY;
    bool has_default = false;
    rel_status st;

    d->quote_ident(b, a->field);
    rel_buf_putc(b, ' ');
    if (!pg && single_pk && int_type(a->type)) {
        /* Sequelize turns any integer key into SQLite's rowid alias */
        rel_buf_puts(b, serial ? d->serial_pk : "INTEGER PRIMARY KEY");
        if (ad->ref_model) {
            rel_buf_putc(b, ' ');
            return references(b, d, m, ad, err);
        }
        return REL_OK;
    }
    if (pg && serial) {
        rel_buf_puts(b, a->type == REL_BIGINT ? "BIGSERIAL" : d->serial_pk);
    } else {
        bool not_null = a->allow_null == REL_NO;
        if (a->primary_key && npk > 1)
            not_null = !pg; /* PostgreSQL's PRIMARY KEY implies it; SQLite's does not */
        else if (single_pk && ad->role == REL_ROLE_PLAIN)
            not_null = ad->declared_null == REL_NO; /* Sequelize: only when stated */
        d->column_type(b, ad);
        if (not_null)
            rel_buf_puts(b, " NOT NULL");
    }
    if (a->default_value) {
        rel_buf lit = {0};
        st = rel_ddl_default_as(&lit, d, m->name, a, ad->default_literal, &has_default, err);
        if (st == REL_OK && has_default) {
            rel_buf_puts(b, " DEFAULT ");
            rel_buf_put(b, lit.data, lit.len);
        }
        rel_buf_free(&lit);
        if (st != REL_OK)
            return st;
    }
    if (a->unique)
        rel_buf_puts(b, " UNIQUE");
    if (!pg && single_pk)
        rel_buf_puts(b, " PRIMARY KEY");
    if (ad->ref_model && !closing) {
        rel_buf_putc(b, ' ');
        return references(b, d, m, ad, err);
    }
    return REL_OK;
}

/* ("a", "b") for attributes of m. */
static rel_status column_list(rel_buf *b, const rel_dialect *d, const rel_model *m,
                              const char *const *names, size_t n, rel_error *err)
{
    rel_buf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        const rel_attr_def *ad = rel_model_attr_def(m, names[i]);
        if (!ad)
            return rel_err(err, REL_MISUSE, "%s has no attribute %s", m->name, names[i]);
        if (i)
            rel_buf_puts(b, ", ");
        d->quote_ident(b, ad->a.field);
    }
    rel_buf_putc(b, ')');
    return REL_OK;
}

static rel_status create_table(rel_buf *b, const rel_dialect *d, const rel_model *m,
                               const unsigned char *closing, rel_error *err)
{
    bool pg = is_pg(d);
    size_t npk = pk_count(m);
    rel_status st;

    rel_buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    d->quote_ident(b, m->table);
    rel_buf_puts(b, " (");
    for (size_t i = 0; i < m->nattrs; i++) {
        if (i)
            rel_buf_puts(b, ", ");
        st = column(b, d, m, &m->attrs[i], npk, pg && closing[i], err);
        if (st != REL_OK)
            return st;
    }
    if (m->unique_pair[0] && m->unique_pair[1]) {
        rel_buf_puts(b, ", UNIQUE ");
        st = column_list(b, d, m, m->unique_pair, 2, err);
        if (st != REL_OK)
            return st;
    }
    if (npk > (pg ? 0u : 1u)) {
        const char **names = malloc(npk * sizeof *names);
        size_t k = 0;
        if (!names)
            return rel_err_nomem(err);
        for (size_t i = 0; i < m->nattrs; i++)
            if (m->attrs[i].a.primary_key)
                names[k++] = m->attrs[i].a.name;
        rel_buf_puts(b, ", PRIMARY KEY ");
        st = column_list(b, d, m, names, npk, err);
        free(names);
        if (st != REL_OK)
            return st;
    }
    rel_buf_putc(b, ')');
    return REL_OK;
}

/* PostgreSQL's own name for a foreign key on one column (makeObjectName):
 * table_column_fkey within 63 bytes, the longer part shortened first, never
 * inside a UTF-8 character. The same name an inline REFERENCES gets. */
static void pg_fkey_name(char out[64], const char *table, const char *column)
{
    size_t n1 = strlen(table), n2 = strlen(column);
    const size_t avail = 63 - (1 + sizeof "_fkey" - 1);
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    while (n1 > 0 && ((unsigned char)table[n1] & 0xC0) == 0x80)
        n1--;
    while (n2 > 0 && ((unsigned char)column[n2] & 0xC0) == 0x80)
        n2--;
    snprintf(out, 64, "%.*s_%.*s_fkey", (int)n1, table, (int)n2, column);
}

/* The constraints left out of CREATE TABLE because they close a cycle. */
static rel_status add_closing(rel_ddl_list *l, rel_buf *b, const rel_dialect *d,
                              const rel_model *m, const rel_attr_def *ad, bool force,
                              rel_error *err)
{
    char name[64];
    rel_status st;
    pg_fkey_name(name, m->table, ad->a.field);
    if (!force) {
        /* the table may be there already with it: replace, never duplicate */
        rel_buf_puts(b, "ALTER TABLE ");
        d->quote_ident(b, m->table);
        rel_buf_puts(b, " DROP CONSTRAINT IF EXISTS ");
        d->quote_ident(b, name);
        if ((st = push(l, b, err)) != REL_OK)
            return st;
    }
    rel_buf_puts(b, "ALTER TABLE ");
    d->quote_ident(b, m->table);
    rel_buf_puts(b, " ADD CONSTRAINT ");
    d->quote_ident(b, name);
    rel_buf_puts(b, " FOREIGN KEY (");
    d->quote_ident(b, ad->a.field);
    rel_buf_puts(b, ") ");
    if ((st = references(b, d, m, ad, err)) != REL_OK)
        return st;
    return push(l, b, err);
}

static rel_status drop_tables(rel_ddl_list *l, rel_buf *b, const rel_dialect *d,
                              const rel_schema *s, const rel_ddl_order *o, rel_error *err)
{
    bool pg = is_pg(d);
    rel_status st;
    /* SQLite checks foreign keys while it empties a dropped table; deferring
     * them lets rows that point at each other go, and the check at commit
     * still catches any table outside the schema left pointing at nothing. */
    if (!pg) {
        rel_buf_puts(b, "PRAGMA defer_foreign_keys = ON");
        if ((st = push(l, b, err)) != REL_OK)
            return st;
    }
    for (size_t i = o->n; i-- > 0;) {
        rel_buf_puts(b, "DROP TABLE IF EXISTS ");
        d->quote_ident(b, s->models[o->models[i]]->table);
        if (pg)
            rel_buf_puts(b, " CASCADE");
        if ((st = push(l, b, err)) != REL_OK)
            return st;
    }
    if (!pg) {
        rel_buf_puts(b, "PRAGMA defer_foreign_keys = OFF");
        if ((st = push(l, b, err)) != REL_OK)
            return st;
    }
    return REL_OK;
}

rel_status rel_ddl_build(const rel_schema *s, const rel_dialect *d, bool force,
                         rel_ddl_list *out, rel_error *err)
{
    rel_ddl_order o;
    rel_buf b = {0};
    rel_status st = REL_OK;

    if (!s || !d || !out)
        return rel_err(err, REL_MISUSE, "DDL needs a schema, a dialect and an output list");
    memset(out, 0, sizeof *out);
    if (!s->frozen || s->failed)
        return rel_err(err, REL_MISUSE,
                       "the schema must be frozen without errors (rel_schema_freeze) first");
    if (!order_build(s, &o))
        return rel_err_nomem(err);

    if (force && (st = drop_tables(out, &b, d, s, &o, err)) != REL_OK)
        goto done;
    for (size_t i = 0; i < o.n; i++) {
        const rel_model *m = s->models[o.models[i]];
        if ((st = create_table(&b, d, m, o.closing + o.attr_base[m->index], err)) != REL_OK)
            goto done;
        if ((st = push(out, &b, err)) != REL_OK)
            goto done;
    }
    if (is_pg(d)) {
        for (size_t i = 0; i < o.n; i++) {
            const rel_model *m = s->models[o.models[i]];
            for (size_t k = 0; k < m->nattrs; k++) {
                if (!o.closing[o.attr_base[m->index] + k])
                    continue;
                if ((st = add_closing(out, &b, d, m, &m->attrs[k], force, err)) != REL_OK)
                    goto done;
            }
        }
    }
done:
    rel_buf_free(&b);
    order_free(&o);
    if (st != REL_OK)
        rel_ddl_list_free(out);
    return st;
}
