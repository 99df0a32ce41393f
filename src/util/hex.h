/* Internal: the value of one hexadecimal digit, for every parser that reads
 * them (percent-escapes, \u escapes, bytea text). Inline: some of those
 * callers decode whole columns a digit at a time. */
#ifndef REL_UTIL_HEX_H
#define REL_UTIL_HEX_H

/* 0..15 for 0-9, a-f and A-F; -1 for anything else (EOF and bytes above 127
 * included, whether char is signed or not). */
static inline int rel_hex_digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
