/*
 * shellword.h - a string as one word of a shell command (internal).
 *
 * libmtls and mtls tell an administrator what to run ("as root, run:
 * install -d ..."); a path or a user name in such a command must reach
 * it whole when it is copied into a shell, spaces, quotes, "$" and ";"
 * included.
 */
#ifndef MTLS_SHELLWORD_H
#define MTLS_SHELLWORD_H

#include <stddef.h>

/*
 * Room for a path of up to 1000 bytes quoted, which is more than any
 * message it goes into holds.
 */
#define SHELLWORD_MAX 4096

/*
 * s as a POSIX shell reads it back as one word: as it is when it is not
 * empty and holds only letters, digits and "%+,-./:@_" (so the commands
 * of the usual paths read as before), otherwise within single quotes,
 * each single quote of it written '\''.  Into out, of outlen bytes, cut
 * short if it does not fit; returns out.
 */
const char *shellword(const char *s, char *out, size_t outlen);

#endif /* MTLS_SHELLWORD_H */
