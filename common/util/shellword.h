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

#include <stdarg.h>
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
 * each single quote of it written '\''.  Into out, of outlen bytes;
 * returns out.  When it does not fit, the empty word '': cut short, it
 * would name another path, a directory above the one meant, which the
 * command would change.
 */
const char *shellword(const char *s, char *out, size_t outlen);

/*
 * snprintf() of a message that tells what to run, "...; as root, run:
 * COMMAND", into out of outlen bytes.  When it does not fit, the message
 * ends before "; as root" and says the command is left out: cut short,
 * the command's last word would name a directory above the one meant.
 */
void shellword_message(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void shellword_vmessage(char *out, size_t outlen, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

#endif /* MTLS_SHELLWORD_H */
