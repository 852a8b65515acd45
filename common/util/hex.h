/*
 * hex.h - bytes as lower-case hex, for file names and messages (internal).
 */
#ifndef MTLS_HEX_H
#define MTLS_HEX_H

#include <stddef.h>

/*
 * data[0, len) as two lower-case hex digits a byte, with sep between the
 * bytes unless sep is '\0', then a NUL: out holds 3 * len (with sep) or
 * 2 * len + 1 bytes.  Returns the address of the NUL, to write on from.
 */
char *hex_encode(const unsigned char *data, size_t len, char sep, char *out);

#endif /* MTLS_HEX_H */
