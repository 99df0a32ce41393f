/* The library's version at run time, so a program can check that the library it loaded
   is the one whose header it was compiled against (as sqlite3_libversion_number does). */
#include "relate.h"

int rel_version(void)
{
    return RELATE_VERSION_NUMBER;
}

const char *rel_version_string(void)
{
    return RELATE_VERSION_STRING;
}
