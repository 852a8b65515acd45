/*
 * utf8.h - reading UTF-8 that may come from an attacker (internal).
 *
 * Names from certificates end up in user names, log lines and terminals.
 * Strict decoding (no overlong forms, surrogates or code points past
 * U+10FFFF) means one byte sequence reads as one text only, and control
 * characters include C1 (U+0080..U+009F), which some terminals obey like
 * ESC sequences.
 */
#ifndef MTLS_UTF8_H
#define MTLS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The character encoded at s (len > 0 bytes available) into *c: the
 * length of its encoding, or 0 when s does not start with a well-formed
 * UTF-8 character.
 */
size_t utf8_decode(const unsigned char *s, size_t len, unsigned long *c);

/*
 * The UTF-8 encoding of the code point c (at most U+10FFFF, no
 * surrogate) into out: its length, 1 to 4.
 */
size_t utf8_encode(unsigned long c, unsigned char out[4]);

/* C0 (NUL included), DEL and C1: what no name may hold. */
bool utf8_is_control(unsigned long c);

#endif /* MTLS_UTF8_H */
