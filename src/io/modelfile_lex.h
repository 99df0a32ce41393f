/* Internal: the tokens of a model file, for the parser in modelfile_parse.c. */
#ifndef REL_IO_MODELFILE_LEX_H
#define REL_IO_MODELFILE_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

typedef enum rel_mf_tok_kind {
    REL_TK_EOF,
    REL_TK_ERROR,    /* something the lexer rejected; diag says what */
    REL_TK_IDENT,    /* IdentifierName, reserved words included */
    REL_TK_STRING,
    REL_TK_NUMBER,   /* unsigned; the parser joins a leading '-' */
    REL_TK_LPAREN, REL_TK_RPAREN, REL_TK_LBRACE, REL_TK_RBRACE,
    REL_TK_LBRACKET, REL_TK_RBRACKET,
    REL_TK_COMMA, REL_TK_SEMI, REL_TK_COLON, REL_TK_DOT, REL_TK_EQ, REL_TK_MINUS,
    REL_TK_ARROW,    /* => : lexed only to name it in the error */
    REL_TK_ELLIPSIS  /* ... : likewise */
} rel_mf_tok_kind;

typedef struct rel_mf_token {
    rel_mf_tok_kind kind;
    int line, col;
    bool nl_before;     /* a line break (or a comment holding one) came before it */
    bool use_strict;    /* STRING written exactly as 'use strict' or "use strict" */
    const char *text;   /* IDENT/NUMBER: as written; STRING: decoded value
                           (arena, NUL-terminated); NULL for the rest */
    double num;         /* NUMBER */
    /* A lexical error, reported once when the parser passes this token.  Set on
     * every ERROR token, and on a STRING whose content is bad (a bad escape)
     * though the string itself is whole, so parsing can go on after it. */
    const char *diag;
    int diag_line, diag_col;
} rel_mf_token;

/* Splits text into tokens ending with one EOF token.  *out is malloc'd (the caller
 * frees it), strings in it live in arena.  Returns false only when out of memory.
 * Numbers are converted with strtod: the caller makes sure the C locale is in use. */
bool rel_mf_lex(const char *text, size_t len, rel_arena *arena,
                rel_mf_token **out, size_t *ntokens);

/* True for the words JavaScript (strict mode) does not allow as a variable name. */
bool rel_mf_is_reserved(const char *word);

#endif
