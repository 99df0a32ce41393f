/* A frozen schema as a Mermaid erDiagram or Graphviz DOT (see diagram.h). */
#include "io/diagram.h"

#include <stdio.h>
#include <string.h>

#include "schema/schema.h"

bool rel_diagram_format_by_name(const char *name, rel_diagram_format *out)
{
    if (name && strcmp(name, "mermaid") == 0)
        *out = REL_DIAGRAM_MERMAID;
    else if (name && strcmp(name, "dot") == 0)
        *out = REL_DIAGRAM_DOT;
    else
        return false;
    return true;
}

/* ---------------------------------------------------------------- shared */

/* Sequelize's spelling of the type: STRING, STRING(100), DECIMAL(10,2). */
static void type_name(const rel_attr *a, char *out, size_t n)
{
    if (a->type == REL_STRING && a->length > 0 && a->length != 255)
        snprintf(out, n, "STRING(%d)", a->length);
    else if (a->type == REL_DECIMAL && a->length > 0 && a->scale > 0)
        snprintf(out, n, "DECIMAL(%d,%d)", a->length, a->scale);
    else if (a->type == REL_DECIMAL && a->length > 0)
        snprintf(out, n, "DECIMAL(%d)", a->length);
    else
        snprintf(out, n, "%s", rel_type_name(a->type));
}

static bool is_fk(const rel_attr_def *d)
{
    return d->role == REL_ROLE_FOREIGN_KEY || d->ref_model != NULL;
}

static bool is_many(rel_assoc_kind k)
{
    return k == REL_HAS_MANY || k == REL_BELONGS_TO_MANY;
}

/* "hasMany OrganizationId", "belongsToMany through EmployeeTasks (EmployeeId,
 * TaskId)", with " as staff" when the association has an alias. */
static void assoc_label(const rel_assoc *a, rel_buf *b)
{
    const char *kind = a->kind == REL_HAS_ONE     ? "hasOne"
                       : a->kind == REL_BELONGS_TO ? "belongsTo"
                       : a->kind == REL_HAS_MANY   ? "hasMany"
                                                   : "belongsToMany";
    rel_buf_puts(b, kind);
    if (a->kind == REL_BELONGS_TO_MANY)
        rel_buf_printf(b, " through %s (%s, %s)", a->through ? a->through->name : "?",
                       a->foreign_key ? a->foreign_key : "?", a->other_key ? a->other_key : "?");
    else
        rel_buf_printf(b, " %s", a->foreign_key ? a->foreign_key : "?");
    if (a->opts.as)
        rel_buf_printf(b, " as %s", a->name);
}

/* ---------------------------------------------------------------- mermaid */

/* Mermaid names: letters, digits, '_' and '-' as they are; anything else in
 * double quotes (entities) or replaced by '_' (attributes, which cannot be
 * quoted). A double quote cannot appear inside quotes: it becomes '. */
static void mm_entity(rel_buf *b, const char *name)
{
    bool plain = (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z');
    for (const char *p = name; *p && plain; p++)
        plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
    if (plain) {
        rel_buf_puts(b, name);
        return;
    }
    rel_buf_putc(b, '"');
    for (const char *p = name; *p; p++)
        rel_buf_putc(b, *p == '"' ? '\'' : *p);
    rel_buf_putc(b, '"');
}

static void mm_word(rel_buf *b, const char *name)
{
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '(' || c == ')';
        rel_buf_putc(b, ok ? c : '_');
    }
}

static void mm_quoted(rel_buf *b, const char *text)
{
    rel_buf_putc(b, '"');
    for (const char *p = text; *p; p++)
        rel_buf_putc(b, *p == '"' ? '\'' : *p);
    rel_buf_putc(b, '"');
}

static void mm_column(rel_buf *b, const rel_attr_def *d)
{
    char type[64];
    const rel_attr *a = &d->a;
    type_name(a, type, sizeof type);
    rel_buf_puts(b, "        ");
    /* A comma cannot be part of a Mermaid type: DECIMAL(10,2) goes to the comment. */
    if (strchr(type, ','))
        rel_buf_puts(b, rel_type_name(a->type));
    else
        mm_word(b, type);
    rel_buf_putc(b, ' ');
    mm_word(b, a->name);

    const char *keys[3];
    size_t nkeys = 0;
    bool pk = a->primary_key;
    if (pk)
        keys[nkeys++] = "PK";
    if (is_fk(d))
        keys[nkeys++] = "FK";
    if (a->unique && !pk)
        keys[nkeys++] = "UK";
    for (size_t k = 0; k < nkeys; k++)
        rel_buf_printf(b, "%s%s", k ? ", " : " ", keys[k]);

    /* The comment says what the line cannot: exact type, NOT NULL, column name. */
    rel_buf note = {0};
    if (strchr(type, ','))
        rel_buf_puts(&note, type);
    if (a->allow_null == REL_NO && !pk)
        rel_buf_printf(&note, "%sNOT NULL", note.len ? ", " : "");
    if (a->field && strcmp(a->field, a->name) != 0)
        rel_buf_printf(&note, "%scolumn %s", note.len ? ", " : "", a->field);
    if (note.len) {
        rel_buf_putc(b, ' ');
        mm_quoted(b, rel_buf_cstr(&note));
    }
    if (note.oom)
        b->oom = true;
    rel_buf_free(&note);
    rel_buf_putc(b, '\n');
}

/* Crow's-foot ends: source side, then target side. */
static const char *mm_link(rel_assoc_kind k)
{
    switch (k) {
    case REL_HAS_ONE: return "||--o|";
    case REL_HAS_MANY: return "||--o{";
    case REL_BELONGS_TO: return "}o--||";
    case REL_BELONGS_TO_MANY: return "}o--o{";
    }
    return "||--||";
}

static void write_mermaid(rel_buf *b, const rel_schema *s)
{
    rel_buf_puts(b, "erDiagram\n");
    for (size_t i = 0; i < s->nmodels; i++) {
        const rel_model *m = s->models[i];
        rel_buf_puts(b, "    ");
        mm_entity(b, m->name);
        rel_buf_puts(b, " {\n");
        for (size_t k = 0; k < m->nattrs; k++)
            mm_column(b, &m->attrs[k]);
        rel_buf_puts(b, "    }\n");
    }
    for (size_t i = 0; i < s->nassocs; i++) {
        const rel_assoc *a = s->assocs[i];
        if (!a->target)
            continue;
        rel_buf label = {0};
        assoc_label(a, &label);
        rel_buf_puts(b, "    ");
        mm_entity(b, a->source->name);
        rel_buf_printf(b, " %s ", mm_link(a->kind));
        mm_entity(b, a->target->name);
        rel_buf_puts(b, " : ");
        mm_quoted(b, rel_buf_cstr(&label));
        rel_buf_putc(b, '\n');
        if (label.oom)
            b->oom = true;
        rel_buf_free(&label);
    }
}

/* -------------------------------------------------------------------- dot */

/* A DOT quoted string: backslash and double quote escaped. */
static void dot_id(rel_buf *b, const char *text)
{
    rel_buf_putc(b, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\')
            rel_buf_putc(b, '\\');
        rel_buf_putc(b, *p);
    }
    rel_buf_putc(b, '"');
}

/* Text inside an HTML-like label. */
static void dot_html(rel_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': rel_buf_puts(b, "&amp;"); break;
        case '<': rel_buf_puts(b, "&lt;"); break;
        case '>': rel_buf_puts(b, "&gt;"); break;
        case '"': rel_buf_puts(b, "&quot;"); break;
        default: rel_buf_putc(b, *p); break;
        }
    }
}

static void dot_model(rel_buf *b, const rel_model *m)
{
    rel_buf_puts(b, "    ");
    dot_id(b, m->name);
    rel_buf_puts(b, " [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
                    "<tr><td bgcolor=\"lightgrey\" colspan=\"3\"><b>");
    dot_html(b, m->name);
    rel_buf_puts(b, "</b></td></tr>");
    for (size_t k = 0; k < m->nattrs; k++) {
        const rel_attr_def *d = &m->attrs[k];
        char type[64];
        type_name(&d->a, type, sizeof type);
        rel_buf_puts(b, "<tr><td align=\"left\">");
        dot_html(b, d->a.name);
        rel_buf_puts(b, "</td><td align=\"left\">");
        dot_html(b, type);
        if (d->a.allow_null == REL_NO && !d->a.primary_key)
            rel_buf_puts(b, " NOT NULL");
        rel_buf_puts(b, "</td><td align=\"left\">");
        const char *sep = "";
        if (d->a.primary_key) {
            rel_buf_puts(b, "PK");
            sep = ", ";
        }
        if (is_fk(d)) {
            rel_buf_printf(b, "%sFK", sep);
            sep = ", ";
        }
        if (d->a.unique && !d->a.primary_key)
            rel_buf_printf(b, "%sUK", sep);
        rel_buf_puts(b, "</td></tr>");
    }
    rel_buf_puts(b, "</table>>];\n");
}

static void write_dot(rel_buf *b, const rel_schema *s)
{
    rel_buf_puts(b, "digraph relate {\n"
                    "    rankdir=LR;\n"
                    "    node [shape=plain, fontname=\"Helvetica\"];\n"
                    "    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (size_t i = 0; i < s->nmodels; i++)
        dot_model(b, s->models[i]);
    for (size_t i = 0; i < s->nassocs; i++) {
        const rel_assoc *a = s->assocs[i];
        if (!a->target)
            continue;
        rel_buf label = {0};
        assoc_label(a, &label);
        rel_buf_puts(b, "    ");
        dot_id(b, a->source->name);
        rel_buf_puts(b, " -> ");
        dot_id(b, a->target->name);
        rel_buf_puts(b, " [label=");
        dot_id(b, rel_buf_cstr(&label));
        rel_buf_printf(b, ", arrowhead=%s%s];\n", is_many(a->kind) ? "crow" : "tee",
                       a->kind == REL_BELONGS_TO_MANY ? ", style=dashed" : "");
        if (label.oom)
            b->oom = true;
        rel_buf_free(&label);
    }
    rel_buf_puts(b, "}\n");
}

bool rel_diagram_write(rel_buf *b, const rel_schema *s, rel_diagram_format fmt)
{
    if (fmt == REL_DIAGRAM_DOT)
        write_dot(b, s);
    else
        write_mermaid(b, s);
    return !b->oom;
}
