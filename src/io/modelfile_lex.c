/* The model-file lexer: bytes to tokens with 1-based line and column.
 *
 * Columns count characters (UTF-8 code points), so every advance over a character
 * adds one to the column whatever its byte length.  Line breaks are LF, CR LF and
 * lone CR, as in JavaScript.  Errors become tokens that carry their message, so the
 * parser reports them in file order with its own errors. */
#include "io/modelfile_lex.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"

typedef struct rel_lexer {
    const unsigned char *s;
    size_t len, pos;
    int line, col;
    rel_arena *arena;
    rel_mf_token *toks;
    size_t n, cap;
    bool oom;
} rel_lexer;

static int rel_lx_at(const rel_lexer *lx, size_t k)
{
    return lx->pos + k < lx->len ? lx->s[lx->pos + k] : -1;
}

/* Moves over one character of nbytes bytes on the current line. */
static void rel_lx_adv(rel_lexer *lx, size_t nbytes)
{
    lx->pos += nbytes;
    lx->col++;
}

/* Moves over the line break at pos (CR LF counts once). */
static void rel_lx_newline(rel_lexer *lx)
{
    if (lx->s[lx->pos] == '\r' && rel_lx_at(lx, 1) == '\n')
        lx->pos++;
    lx->pos++;
    lx->line++;
    lx->col = 1;
}

static bool rel_is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static bool rel_is_ident_char(int c)
{
    return rel_is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool rel_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes) and its code
 * point; 0 when it is not well formed (overlong, surrogate, too big, truncated). */
static size_t rel_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t k;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        k = 2; v = b & 0x1F; min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        k = 3; v = b & 0x0F; min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        k = 4; v = b & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return k;
}

/* Moves over the character at pos (a lone byte if it is not valid UTF-8). */
static void rel_lx_adv_char(rel_lexer *lx)
{
    uint32_t cp;
    size_t k = rel_utf8_decode(lx->s + lx->pos, lx->len - lx->pos, &cp);
    rel_lx_adv(lx, k ? k : 1);
}

static size_t rel_utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static void rel_lx_push(rel_lexer *lx, const rel_mf_token *t)
{
    if (lx->oom)
        return;
    if (lx->n == lx->cap) {
        size_t cap = lx->cap ? lx->cap * 2 : 256;
        rel_mf_token *v = realloc(lx->toks, cap * sizeof *v);
        if (!v) {
            lx->oom = true;
            return;
        }
        lx->toks = v;
        lx->cap = cap;
    }
    lx->toks[lx->n++] = *t;
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
/* Gives t a diagnostic at line:col unless it has one (the first error counts). */
static void rel_lx_diag(rel_lexer *lx, rel_mf_token *t, int line, int col, const char *fmt, ...)
{
    if (t->diag)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    t->diag = rel_arena_strdup(lx->arena, msg);
    if (!t->diag)
        lx->oom = true;
    t->diag_line = line;
    t->diag_col = col;
}

static void rel_lx_error(rel_lexer *lx, rel_mf_token *t, const char *msg)
{
    t->kind = REL_TK_ERROR;
    rel_lx_diag(lx, t, t->line, t->col, "%s", msg);
}

/* True when a character that is not allowed outside strings starts at pos. */
static bool rel_lx_is_stray(const rel_lexer *lx)
{
    int c = lx->s[lx->pos];
    if (c >= 0x80) {
        /* No-break space and BOM are whitespace; anything else is stray. */
        if (c == 0xC2 && rel_lx_at(lx, 1) == 0xA0)
            return false;
        if (c == 0xEF && rel_lx_at(lx, 1) == 0xBB && rel_lx_at(lx, 2) == 0xBF)
            return false;
        return true;
    }
    if (rel_is_ident_char(c))
        return false;
    return c == '\0' || strchr(" \t\v\f\r\n\"'`(){}[],;:.=-/", c) == NULL;
}

/* A run of characters that start no token, reported once at its first one.  An
 * invalid UTF-8 byte is reported on its own. */
static void rel_lx_stray(rel_lexer *lx, rel_mf_token *t)
{
    const unsigned char *p = lx->s + lx->pos;
    uint32_t cp = 0;
    size_t k = rel_utf8_decode(p, lx->len - lx->pos, &cp);
    t->kind = REL_TK_ERROR;
    if (k == 0) {
        rel_lx_diag(lx, t, t->line, t->col, "invalid UTF-8 byte 0x%02X", p[0]);
        rel_lx_adv(lx, 1);
        return;
    }
    if (cp == 0x2028 || cp == 0x2029)
        rel_lx_diag(lx, t, t->line, t->col,
                    "unexpected character U+%04X (a Unicode line separator); "
                    "use an ordinary line break", (unsigned)cp);
    else if (cp >= 0xA0)
        rel_lx_diag(lx, t, t->line, t->col, "unexpected character '%.*s' (U+%04X)",
                    (int)k, (const char *)p, (unsigned)cp);
    else if (cp < 0x20 || cp >= 0x7F)
        rel_lx_diag(lx, t, t->line, t->col, "unexpected character U+%04X", (unsigned)cp);
    else if (cp == '\\')
        rel_lx_diag(lx, t, t->line, t->col,
                    "unexpected '\\' (escapes are allowed only in strings)");
    else
        rel_lx_diag(lx, t, t->line, t->col, "unexpected character '%c'", (int)cp);
    for (;;) {
        rel_lx_adv(lx, k);
        if (lx->pos >= lx->len || !rel_lx_is_stray(lx))
            break;
        k = rel_utf8_decode(lx->s + lx->pos, lx->len - lx->pos, &cp);
        if (k == 0)
            break;
    }
}

/* Skips spaces, line breaks and comments.  Returns false, with an ERROR token in t,
 * on an unterminated block comment. */
static bool rel_lx_skip_space(rel_lexer *lx, bool *nl, rel_mf_token *t)
{
    while (lx->pos < lx->len) {
        int c = lx->s[lx->pos];
        if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
            rel_lx_adv(lx, 1);
        } else if (c == '\n' || c == '\r') {
            rel_lx_newline(lx);
            *nl = true;
        } else if (c == 0xC2 && rel_lx_at(lx, 1) == 0xA0) {
            rel_lx_adv(lx, 2);
        } else if (c == 0xEF && rel_lx_at(lx, 1) == 0xBB && rel_lx_at(lx, 2) == 0xBF) {
            rel_lx_adv(lx, 3);
        } else if (c == '/' && rel_lx_at(lx, 1) == '/') {
            rel_lx_adv(lx, 1);
            rel_lx_adv(lx, 1);
            /* Ends at a line break; a U+2028/U+2029 would end it too in JavaScript,
             * so stop there and let it be reported as a stray character. */
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n' && lx->s[lx->pos] != '\r') {
                if (lx->s[lx->pos] == 0xE2 && rel_lx_at(lx, 1) == 0x80 &&
                    (rel_lx_at(lx, 2) == 0xA8 || rel_lx_at(lx, 2) == 0xA9))
                    return true;
                rel_lx_adv_char(lx);
            }
        } else if (c == '/' && rel_lx_at(lx, 1) == '*') {
            t->line = lx->line;
            t->col = lx->col;
            rel_lx_adv(lx, 1);
            rel_lx_adv(lx, 1);
            for (;;) {
                if (lx->pos >= lx->len) {
                    rel_lx_error(lx, t, "unterminated comment: '/*' is never closed by '*/'");
                    return false;
                }
                c = lx->s[lx->pos];
                if (c == '*' && rel_lx_at(lx, 1) == '/') {
                    rel_lx_adv(lx, 1);
                    rel_lx_adv(lx, 1);
                    break;
                }
                if (c == '\n' || c == '\r') {
                    rel_lx_newline(lx);
                    *nl = true;
                } else {
                    rel_lx_adv_char(lx);
                }
            }
        } else {
            return true;
        }
    }
    return true;
}

static void rel_lx_number(rel_lexer *lx, rel_mf_token *t)
{
    size_t start = lx->pos;
    int c = lx->s[lx->pos];
    const char *bad = NULL;

    if (c == '0' && rel_lx_at(lx, 1) > 0 && strchr("xXoObB", rel_lx_at(lx, 1)))
        bad = "hexadecimal, octal and binary numbers are not supported; write it in decimal";
    else if (c == '0' && rel_is_digit(rel_lx_at(lx, 1)))
        bad = "a number cannot start with 0 followed by digits (legacy octal)";
    while (lx->pos < lx->len && rel_is_digit(lx->s[lx->pos]))
        rel_lx_adv(lx, 1);
    if (lx->pos < lx->len && lx->s[lx->pos] == '.') {
        rel_lx_adv(lx, 1);
        while (lx->pos < lx->len && rel_is_digit(lx->s[lx->pos]))
            rel_lx_adv(lx, 1);
    }
    if (lx->pos < lx->len && (lx->s[lx->pos] == 'e' || lx->s[lx->pos] == 'E')) {
        rel_lx_adv(lx, 1);
        if (lx->pos < lx->len && (lx->s[lx->pos] == '+' || lx->s[lx->pos] == '-'))
            rel_lx_adv(lx, 1);
        if (!(lx->pos < lx->len && rel_is_digit(lx->s[lx->pos])) && !bad)
            bad = "invalid number: expected digits after the exponent";
        while (lx->pos < lx->len && rel_is_digit(lx->s[lx->pos]))
            rel_lx_adv(lx, 1);
    }
    if (lx->pos < lx->len && rel_is_ident_char(lx->s[lx->pos])) {
        while (lx->pos < lx->len && rel_is_ident_char(lx->s[lx->pos]))
            rel_lx_adv(lx, 1);
        if (!bad)
            bad = "invalid number: a letter, digit or '_' follows it";
    }
    if (bad) {
        rel_lx_diag(lx, t, t->line, t->col, "%s ('%.*s')", bad,
                    (int)(lx->pos - start < 40 ? lx->pos - start : 40),
                    (const char *)lx->s + start);
        t->kind = REL_TK_ERROR;
        return;
    }
    t->kind = REL_TK_NUMBER;
    t->text = rel_arena_strndup(lx->arena, (const char *)lx->s + start, lx->pos - start);
    if (!t->text) {
        lx->oom = true;
        return;
    }
    t->num = strtod(t->text, NULL);
}

/* Reads hex digits of a \u escape after the 'u'; -1 (with a diag on t) when bad. */
static long rel_lx_unicode_escape(rel_lexer *lx, rel_mf_token *t, int eline, int ecol)
{
    long v = 0;
    if (rel_lx_at(lx, 0) == '{') {
        rel_lx_adv(lx, 1);
        int digits = 0;
        int h;
        while ((h = rel_hex_digit_value(rel_lx_at(lx, 0))) >= 0) {
            if (v <= 0x10FFFF)
                v = v * 16 + h;
            digits++;
            rel_lx_adv(lx, 1);
        }
        if (digits == 0 || rel_lx_at(lx, 0) != '}' || v > 0x10FFFF) {
            rel_lx_diag(lx, t, eline, ecol,
                        "invalid escape: \\u{...} needs 1 to 6 hex digits up to 10FFFF");
            return -1;
        }
        rel_lx_adv(lx, 1);
        return v;
    }
    for (int i = 0; i < 4; i++) {
        int h = rel_hex_digit_value(rel_lx_at(lx, 0));
        if (h < 0) {
            rel_lx_diag(lx, t, eline, ecol,
                        "invalid escape: \\u needs exactly four hex digits or {...}");
            return -1;
        }
        v = v * 16 + h;
        rel_lx_adv(lx, 1);
    }
    return v;
}

/* Decodes the escape whose backslash is at pos into out; returns bytes written. */
static size_t rel_lx_escape(rel_lexer *lx, rel_mf_token *t, char *out)
{
    int eline = lx->line, ecol = lx->col;
    rel_lx_adv(lx, 1);  /* the backslash */
    int e = lx->s[lx->pos];
    char simple = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
                : e == 'f' ? '\f' : e == 'v' ? '\v' : '\0';
    if (simple) {
        rel_lx_adv(lx, 1);
        out[0] = simple;
        return 1;
    }
    if (e == '\n' || e == '\r') {  /* line continuation: adds nothing */
        rel_lx_newline(lx);
        return 0;
    }
    if (rel_is_digit(e)) {
        rel_lx_adv(lx, 1);
        if (e == '0' && !rel_is_digit(rel_lx_at(lx, 0)))
            rel_lx_diag(lx, t, eline, ecol, "\\0 is not allowed: strings cannot hold NUL");
        else
            rel_lx_diag(lx, t, eline, ecol, "octal escapes like \\%c are not allowed", e);
        return 0;
    }
    if (e == 'x') {
        rel_lx_adv(lx, 1);
        int h1 = rel_hex_digit_value(rel_lx_at(lx, 0)), h2 = rel_hex_digit_value(rel_lx_at(lx, 1));
        if (h1 < 0 || h2 < 0) {
            rel_lx_diag(lx, t, eline, ecol, "invalid escape: \\x needs exactly two hex digits");
            return 0;
        }
        rel_lx_adv(lx, 1);
        rel_lx_adv(lx, 1);
        if (h1 == 0 && h2 == 0) {
            rel_lx_diag(lx, t, eline, ecol, "\\x00 is not allowed: strings cannot hold NUL");
            return 0;
        }
        return rel_utf8_encode((uint32_t)(h1 * 16 + h2), out);
    }
    if (e == 'u') {
        rel_lx_adv(lx, 1);
        long cp = rel_lx_unicode_escape(lx, t, eline, ecol);
        if (cp < 0)
            return 0;
        /* JavaScript strings are UTF-16: a high surrogate escape followed by a low
         * one is one character; any other surrogate cannot become UTF-8. */
        if (cp >= 0xD800 && cp <= 0xDBFF && rel_lx_at(lx, 0) == '\\' && rel_lx_at(lx, 1) == 'u') {
            size_t save_pos = lx->pos;
            int save_col = lx->col;
            rel_lx_adv(lx, 1);
            rel_lx_adv(lx, 1);
            long lo = rel_lx_unicode_escape(lx, t, lx->line, save_col);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
                lx->pos = save_pos;
                lx->col = save_col;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            rel_lx_diag(lx, t, eline, ecol,
                        "a lone UTF-16 surrogate (\\u%04lX) cannot be stored as UTF-8", cp);
            return 0;
        }
        if (cp == 0) {
            rel_lx_diag(lx, t, eline, ecol, "\\u0000 is not allowed: strings cannot hold NUL");
            return 0;
        }
        return rel_utf8_encode((uint32_t)cp, out);
    }
    if (e == 0xE2 && rel_lx_at(lx, 1) == 0x80 &&
        (rel_lx_at(lx, 2) == 0xA8 || rel_lx_at(lx, 2) == 0xA9)) {
        rel_lx_adv(lx, 3);  /* continuation over U+2028/U+2029 */
        return 0;
    }
    /* Any other character stands for itself, as in JavaScript ('\q' is "q"). */
    uint32_t cp;
    size_t k = rel_utf8_decode(lx->s + lx->pos, lx->len - lx->pos, &cp);
    if (k == 0) {
        rel_lx_diag(lx, t, lx->line, lx->col, "invalid UTF-8 in string");
        rel_lx_adv(lx, 1);
        return 0;
    }
    if (cp == 0) {
        rel_lx_diag(lx, t, eline, ecol, "a NUL character is not allowed in a string");
        rel_lx_adv(lx, 1);
        return 0;
    }
    memcpy(out, lx->s + lx->pos, k);
    rel_lx_adv(lx, k);
    return k;
}

static void rel_lx_string(rel_lexer *lx, rel_mf_token *t)
{
    int q = lx->s[lx->pos];
    size_t i = lx->pos + 1;
    /* Find the closing quote first, to size the output: decoding never grows. */
    while (i < lx->len && lx->s[i] != q && lx->s[i] != '\n' && lx->s[i] != '\r') {
        if (lx->s[i] == '\\' && i + 1 < lx->len) {
            i++;
            if (lx->s[i] == '\r' && i + 1 < lx->len && lx->s[i + 1] == '\n')
                i++;
        }
        i++;
    }
    if (i >= lx->len || lx->s[i] != q) {
        rel_lx_error(lx, t, q == '\'' ? "unterminated string: the closing ' is missing "
                                        "(a string cannot span lines)"
                                      : "unterminated string: the closing \" is missing "
                                        "(a string cannot span lines)");
        /* Resume after the rest of the line. */
        while (lx->pos < lx->len && lx->s[lx->pos] != '\n' && lx->s[lx->pos] != '\r')
            rel_lx_adv_char(lx);
        return;
    }
    size_t end = i;
    t->kind = REL_TK_STRING;
    t->use_strict = end - lx->pos - 1 == 10 &&
                    memcmp(lx->s + lx->pos + 1, "use strict", 10) == 0;
    char *out = rel_arena_alloc(lx->arena, end - lx->pos);
    if (!out) {
        lx->oom = true;
        return;
    }
    size_t o = 0;
    rel_lx_adv(lx, 1);  /* the opening quote */
    while (lx->pos < end) {
        int c = lx->s[lx->pos];
        if (c == '\\') {
            o += rel_lx_escape(lx, t, out + o);
            continue;
        }
        uint32_t cp;
        size_t k = rel_utf8_decode(lx->s + lx->pos, end - lx->pos, &cp);
        if (k == 0) {
            rel_lx_diag(lx, t, lx->line, lx->col, "invalid UTF-8 in string");
            rel_lx_adv(lx, 1);
            continue;
        }
        if (cp == 0) {
            rel_lx_diag(lx, t, lx->line, lx->col, "a NUL character is not allowed in a string");
            rel_lx_adv(lx, 1);
            continue;
        }
        memcpy(out + o, lx->s + lx->pos, k);
        o += k;
        rel_lx_adv(lx, k);
    }
    out[o] = '\0';
    t->text = out;
    rel_lx_adv(lx, 1);  /* the closing quote */
}

/* `...` : skipped whole (it may span lines) and reported once. */
static void rel_lx_template(rel_lexer *lx, rel_mf_token *t)
{
    rel_lx_error(lx, t, "template strings (`...`) are not supported; use '...' or \"...\"");
    rel_lx_adv(lx, 1);
    while (lx->pos < lx->len && lx->s[lx->pos] != '`') {
        int c = lx->s[lx->pos];
        if (c == '\n' || c == '\r') {
            rel_lx_newline(lx);
            continue;
        }
        if (c == '\\' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] != '\n' &&
            lx->s[lx->pos + 1] != '\r')
            rel_lx_adv(lx, 1);
        rel_lx_adv_char(lx);
    }
    if (lx->pos < lx->len)
        rel_lx_adv(lx, 1);
}

static void rel_lx_ident(rel_lexer *lx, rel_mf_token *t)
{
    size_t start = lx->pos;
    while (lx->pos < lx->len && rel_is_ident_char(lx->s[lx->pos]))
        rel_lx_adv(lx, 1);
    t->kind = REL_TK_IDENT;
    t->text = rel_arena_strndup(lx->arena, (const char *)lx->s + start, lx->pos - start);
    if (!t->text)
        lx->oom = true;
}

/* One token at pos (not at a space or comment). */
static void rel_lx_token(rel_lexer *lx, rel_mf_token *t)
{
    int c = lx->s[lx->pos];
    int c1 = rel_lx_at(lx, 1);
    static const char punct[] = "(){}[],;:";
    static const rel_mf_tok_kind punct_kind[] = {
        REL_TK_LPAREN, REL_TK_RPAREN, REL_TK_LBRACE, REL_TK_RBRACE,
        REL_TK_LBRACKET, REL_TK_RBRACKET, REL_TK_COMMA, REL_TK_SEMI, REL_TK_COLON};
    const char *pp = c != '\0' ? strchr(punct, c) : NULL;

    if (rel_is_ident_start(c)) {
        rel_lx_ident(lx, t);
    } else if (rel_is_digit(c) || (c == '.' && rel_is_digit(c1))) {
        rel_lx_number(lx, t);
    } else if (c == '"' || c == '\'') {
        rel_lx_string(lx, t);
    } else if (c == '`') {
        rel_lx_template(lx, t);
    } else if (pp) {
        t->kind = punct_kind[pp - punct];
        rel_lx_adv(lx, 1);
    } else if (c == '.') {
        if (c1 == '.' && rel_lx_at(lx, 2) == '.') {
            t->kind = REL_TK_ELLIPSIS;
            for (int i = 0; i < 3; i++)
                rel_lx_adv(lx, 1);
        } else {
            t->kind = REL_TK_DOT;
            rel_lx_adv(lx, 1);
        }
    } else if (c == '=') {
        if (c1 == '>') {
            t->kind = REL_TK_ARROW;
            rel_lx_adv(lx, 1);
            rel_lx_adv(lx, 1);
        } else if (c1 == '=') {
            rel_lx_error(lx, t, "unexpected '==': comparisons are not supported");
            while (rel_lx_at(lx, 0) == '=')
                rel_lx_adv(lx, 1);
        } else {
            t->kind = REL_TK_EQ;
            rel_lx_adv(lx, 1);
        }
    } else if (c == '-') {
        t->kind = REL_TK_MINUS;
        rel_lx_adv(lx, 1);
    } else if (c == '/') {
        rel_lx_error(lx, t, "unexpected '/': division and regular expressions are not supported");
        rel_lx_adv(lx, 1);
    } else {
        rel_lx_stray(lx, t);
    }
}

bool rel_mf_lex(const char *text, size_t len, rel_arena *arena,
                rel_mf_token **out, size_t *ntokens)
{
    rel_lexer lx = {(const unsigned char *)text, len, 0, 1, 1, arena, NULL, 0, 0, false};
    bool nl = false;

    *out = NULL;
    *ntokens = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        lx.pos = 3;  /* a BOM is not a character of the first line */
    while (!lx.oom) {
        rel_mf_token t = {0};
        t.nl_before = nl;
        if (!rel_lx_skip_space(&lx, &nl, &t)) {
            rel_lx_push(&lx, &t);
            continue;  /* at the end now: the next round adds EOF */
        }
        t.nl_before = nl;
        t.line = lx.line;
        t.col = lx.col;
        if (lx.pos >= lx.len) {
            t.kind = REL_TK_EOF;
            rel_lx_push(&lx, &t);
            break;
        }
        rel_lx_token(&lx, &t);
        rel_lx_push(&lx, &t);
        nl = false;
    }
    if (lx.oom) {
        free(lx.toks);
        return false;
    }
    *out = lx.toks;
    *ntokens = lx.n;
    return true;
}

bool rel_mf_is_reserved(const char *word)
{
    static const char *const words[] = {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger",
        "default", "delete", "do", "else", "enum", "export", "extends", "false",
        "finally", "for", "function", "if", "implements", "import", "in",
        "instanceof", "interface", "let", "new", "null", "package", "private",
        "protected", "public", "return", "static", "super", "switch", "this",
        "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(word, words[i]) == 0)
            return true;
    return false;
}
