/* Filling a caller's rel_error (which may be NULL). */
#ifndef REL_UTIL_ERROR_H
#define REL_UTIL_ERROR_H

#include "relate.h"

#if defined(__GNUC__)
#define REL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define REL_PRINTF(a, b)
#endif

/* Sets code and message (printf-style); clears engine_code and position.
 * Returns code, so callers can write `return rel_err(err, REL_INVALID, ...)`. */
rel_status rel_err(rel_error *err, rel_status code, const char *fmt, ...) REL_PRINTF(3, 4);
/* As rel_err, with the engine's own code (SQLSTATE or SQLite code). */
rel_status rel_err_engine(rel_error *err, rel_status code, const char *engine_code,
                          const char *fmt, ...) REL_PRINTF(4, 5);
/* Out of memory. */
rel_status rel_err_nomem(rel_error *err);

#endif
