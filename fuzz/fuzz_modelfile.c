/* libFuzzer target: the model-file reader (lexer, parser, loader, freeze) on
 * arbitrary bytes. Whatever the input, rel_schema_load_text must return an
 * error or a frozen schema, never crash, hang or leak; a schema it accepts
 * must also give DDL for both dialects and a diagram. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/diagram.h"
#include "relate.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rel_schema *s = NULL;
    char *errors = NULL;
    rel_error err;
    rel_status st = rel_schema_load_text((const char *)data, size, "fuzz.rel", &s, &errors, &err);
    if (st == REL_OK) {
        if (!s)
            abort(); /* success must give a schema */
        static const char *const dialects[] = {"sqlite", "postgres"};
        for (size_t i = 0; i < 2; i++) {
            char *ddl = NULL;
            if (rel_ddl(s, dialects[i], NULL, &ddl, &err) == REL_OK && !ddl)
                abort();
            free(ddl);
        }
        rel_buf b = {0};
        rel_diagram_write(&b, s, REL_DIAGRAM_MERMAID);
        rel_buf_reset(&b);
        rel_diagram_write(&b, s, REL_DIAGRAM_DOT);
        rel_buf_free(&b);
    } else {
        /* A failure says what went wrong, as a NUL-terminated message. */
        if (err.code != st || memchr(err.message, '\0', sizeof err.message) == NULL)
            abort();
    }
    free(errors);
    rel_schema_free(s);
    return 0;
}
