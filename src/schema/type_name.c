/* Sequelize's names of the attribute types, for messages and diagrams. */
#include "relate.h"

const char *rel_type_name(rel_type type)
{
    switch (type) {
    case REL_INTEGER: return "INTEGER";
    case REL_BIGINT: return "BIGINT";
    case REL_FLOAT: return "FLOAT";
    case REL_DOUBLE: return "DOUBLE";
    case REL_DECIMAL: return "DECIMAL";
    case REL_STRING: return "STRING";
    case REL_TEXT: return "TEXT";
    case REL_BOOLEAN: return "BOOLEAN";
    case REL_DATE: return "DATE";
    case REL_DATEONLY: return "DATEONLY";
    case REL_UUID: return "UUID";
    case REL_BLOB: return "BLOB";
    case REL_JSON: return "JSON";
    case REL_TYPE_NONE: break;
    }
    return "(no type)";
}
