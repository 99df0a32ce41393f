/* Internal: a frozen schema drawn as a Mermaid erDiagram or a Graphviz DOT
 * graph (the relate command's `diagram`).
 *
 * Every model is an entity with its columns in table order, each with its
 * type (Sequelize's name: STRING(100), INTEGER, DATE, ...) and its keys: PK,
 * FK (a foreign key added or adopted by an association), UK (unique). Every
 * association is one line from its source to its target, labelled with its
 * kind and foreign key (belongsToMany: its junction and the two keys), and
 * its alias when it has one. Junction models are entities like the others. */
#ifndef REL_IO_DIAGRAM_H
#define REL_IO_DIAGRAM_H

#include <stdbool.h>

#include "relate.h"
#include "util/buf.h"

typedef enum rel_diagram_format { REL_DIAGRAM_MERMAID, REL_DIAGRAM_DOT } rel_diagram_format;

/* "mermaid" / "dot"; false for anything else. */
bool rel_diagram_format_by_name(const char *name, rel_diagram_format *out);

/* Appends the diagram of the frozen schema s to b, ending with a newline.
 * False when out of memory (b->oom set). */
bool rel_diagram_write(rel_buf *b, const rel_schema *s, rel_diagram_format fmt);

#endif
