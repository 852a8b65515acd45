/*
 * peer_cert.h - the certificate of the current depth at TLS_VERIFY.
 *
 * OpenVPN writes it as PEM into a file of the tls-export-cert directory
 * and names the file in env "peer_cert"; it also gives the SHA-256 of the
 * certificate OpenSSL verified in env "tls_digest_sha256_<depth>".  The
 * file is only used when the two agree, so that the plugin judges exactly
 * the certificate OpenSSL accepted.
 */
#ifndef OVPN_PEER_CERT_H
#define OVPN_PEER_CERT_H

#include <stddef.h>

/* Larger files are no certificate a client could have sent. */
#define PEER_CERT_MAX_BYTES	(64 * 1024)

/*
 * Read the certificate of this depth.  On success, *pem is a malloc'ed,
 * NUL-terminated copy of the file (*len bytes).  On failure, returns -1
 * with a sentence for the administrator in err.
 */
int	peer_cert_read(const char *const *envp, int depth, char **pem,
	    size_t *len, char *err, size_t errlen);

#endif
