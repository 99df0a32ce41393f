/* An installed-package consumer: compiles against the installed header and links the
   installed library, checking that the header and the library agree on the version. */
#include <relate.h>

#include <stdio.h>
#include <string.h>

/* Referenced, not called: pulls the connection code (and with it SQLite, libpq and
   jansson) into a static link, so a missing link dependency fails here. */
static rel_status (*volatile open_fn)(rel_db **, const rel_schema *, const char *,
                                      rel_error *) = rel_open;

int main(void)
{
    if (rel_version() != RELATE_VERSION_NUMBER ||
        strcmp(rel_version_string(), RELATE_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", RELATE_VERSION_STRING,
                rel_version_string());
        return 1;
    }
    printf("relate %s%s\n", rel_version_string(), open_fn ? "" : " (no rel_open)");
    return 0;
}
