#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void fill(rel_error *err, rel_status code, const char *engine_code, const char *fmt,
                 va_list ap)
{
    memset(err, 0, sizeof *err);
    err->code = code;
    if (engine_code)
        snprintf(err->engine_code, sizeof err->engine_code, "%s", engine_code);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

rel_status rel_err(rel_error *err, rel_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, code, NULL, fmt, ap);
        va_end(ap);
    }
    return code;
}

rel_status rel_err_engine(rel_error *err, rel_status code, const char *engine_code,
                          const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, code, engine_code, fmt, ap);
        va_end(ap);
    }
    return code;
}

rel_status rel_err_nomem(rel_error *err)
{
    return rel_err(err, REL_NOMEM, "out of memory");
}

const char *rel_status_name(rel_status status)
{
    switch (status) {
    case REL_OK: return "REL_OK";
    case REL_ERROR: return "REL_ERROR";
    case REL_NOMEM: return "REL_NOMEM";
    case REL_INVALID: return "REL_INVALID";
    case REL_DEFINITION: return "REL_DEFINITION";
    case REL_PARSE: return "REL_PARSE";
    case REL_NOT_FOUND: return "REL_NOT_FOUND";
    case REL_UNIQUE: return "REL_UNIQUE";
    case REL_NOT_NULL: return "REL_NOT_NULL";
    case REL_FOREIGN_KEY: return "REL_FOREIGN_KEY";
    case REL_CONSTRAINT: return "REL_CONSTRAINT";
    case REL_DATABASE: return "REL_DATABASE";
    case REL_CONNECTION: return "REL_CONNECTION";
    case REL_BUSY: return "REL_BUSY";
    case REL_READONLY: return "REL_READONLY";
    case REL_MISUSE: return "REL_MISUSE";
    }
    return "REL_UNKNOWN";
}
