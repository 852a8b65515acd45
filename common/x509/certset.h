/*
 * certset.h - certificates parsed from PEM or DER (internal).
 *
 * Input from clients is bounded here: how many certificates one input may
 * carry, and how many bytes, so a hostile bundle costs little before it is
 * refused.
 */
#ifndef MTLS_CERTSET_H
#define MTLS_CERTSET_H

#include <stddef.h>

#include <gnutls/x509.h>

/* Most certificates one client may present, leaf and intermediates. */
#define CERTSET_MAX_PEER 16
/* Most bytes of one client input (PEM bundle or DER). */
#define CERTSET_MAX_PEER_BYTES (256 * 1024)
/* Most certificates one configured file may hold (a CA bundle). */
#define CERTSET_MAX_FILE 4096
/* Most bytes of one configured certificate file. */
#define CERTSET_MAX_FILE_BYTES (16 * 1024 * 1024)

struct certset {
	gnutls_x509_crt_t *crts;
	size_t count;
};

/* Why certset_add_data() failed. */
#define CERTSET_MALFORMED (-1)
#define CERTSET_TOO_MANY (-2)

/*
 * Parse PEM (one or more CERTIFICATE blocks) or DER and append the
 * certificates, at most max in the set.  On error the set is unchanged,
 * the return value is CERTSET_MALFORMED or CERTSET_TOO_MANY, and err says
 * why ("no certificate in the input", GnuTLS's reason, ...).
 *
 * A certset may also be a view: a pointer and a count into a set owned
 * elsewhere, never cleared.
 */
int certset_add_data(struct certset *set, const void *data, size_t len,
    size_t max, char *err, size_t errlen);

/* Read and parse a file; errors name the file. */
int certset_add_file(struct certset *set, const char *path, char *err,
    size_t errlen);

/* Read every regular file of a directory that parses as certificates. */
int certset_add_dir(struct certset *set, const char *path, char *err,
    size_t errlen);

/* Whether set holds a certificate equal to crt (the same DER). */
int certset_has(const struct certset *set, gnutls_x509_crt_t crt);

void certset_clear(struct certset *set);

#endif /* MTLS_CERTSET_H */
