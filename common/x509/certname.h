/*
 * certname.h - printable names and facts of certificates (internal).
 *
 * Names come from certificates an attacker may have made, so everything
 * here escapes control characters and bounds its output: what reaches a
 * log line or a terminal is always one safe line.
 */
#ifndef MTLS_CERTNAME_H
#define MTLS_CERTNAME_H

#include <stddef.h>

#include <gnutls/x509.h>

/* Long enough for the names of real certificates; longer ones end in "...". */
#define CERTNAME_MAX 256

/*
 * Subject / issuer DN, RFC 4514 form, escaped; "(unreadable name)" if
 * bad.  An empty subject is described as such, with its first
 * subjectAltName entry when it has one.
 */
void certname_subject(gnutls_x509_crt_t crt, char out[CERTNAME_MAX]);
void certname_issuer(gnutls_x509_crt_t crt, char out[CERTNAME_MAX]);
/* The issuer DN of a CRL, likewise. */
void certname_crl_issuer(gnutls_x509_crl_t crl, char out[CERTNAME_MAX]);
/* A DN given as DER, likewise. */
void certname_der(const unsigned char *der, size_t len,
    char out[CERTNAME_MAX]);

/*
 * Copy src to out (size outlen), writing as \xNN the bytes of control
 * characters (C0, DEL, C1), of '\\' and of what is not well-formed UTF-8.
 */
void certname_escape(const unsigned char *src, size_t len, char *out,
    size_t outlen);

/* Allocated facts for the verdict; NULL when memory runs out. */
char *certname_dn_alloc(gnutls_x509_crt_t crt, int issuer);
char *certname_serial_alloc(gnutls_x509_crt_t crt);
char *certname_fingerprint_alloc(gnutls_x509_crt_t crt);
/* The SHA-256 of crt's DER, which that fingerprint is the hex of; -1
 * when it cannot be had. */
int certname_sha256(gnutls_x509_crt_t crt, unsigned char digest[32]);

/* Bytes as lower-case hex pairs joined by ':'; allocated. */
char *certname_hex_alloc(const unsigned char *data, size_t len);

#endif /* MTLS_CERTNAME_H */
