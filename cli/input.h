/*
 * input.h - reading the certificates given on the command line.
 *
 * A certificate to check may come from a file or a pipe ("-"), so its size
 * is only known once it has been read: reading stops past a bound instead
 * of trusting the input to end.
 */
#ifndef MTLS_CLI_INPUT_H
#define MTLS_CLI_INPUT_H

#include <stddef.h>

/*
 * Most bytes of one certificate input.  A client certificate with its whole
 * chain is a few kilobytes; past this, the input is not what it claims.
 */
#define INPUT_MAX (1024 * 1024)

/*
 * Read all of path, or standard input when path is "-", into *data
 * (allocated, *len bytes, NUL-terminated).  Returns 0, or -1 with err
 * naming the input and saying what went wrong.
 */
int input_read(const char *path, unsigned char **data, size_t *len,
    char *err, size_t errlen);

#endif /* MTLS_CLI_INPUT_H */
