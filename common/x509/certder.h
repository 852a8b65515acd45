/*
 * certder.h - certificates as DER, read without importing them
 * (internal).
 *
 * Importing a certificate into GnuTLS builds a libtasn1 tree of it: tens
 * of microseconds, which a directory of a thousand CAs pays a thousand
 * times in every process that verifies one client.  To find the few a
 * path needs, their DER and subject names are enough: PEM decoded by
 * GnuTLS, the name found by walking the DER in place (dertlv.h).  A
 * certificate found so is imported, and judged, only when a path needs it.
 */
#ifndef MTLS_CERTDER_H
#define MTLS_CERTDER_H

#include <stddef.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/*
 * The subject Name of a certificate's DER, in place: the whole element,
 * as gnutls_x509_crt_get_raw_dn() gives it once imported.  -1 unless der
 * is one SEQUENCE whose tbsCertificate reaches the subject.
 */
int certder_subject(const unsigned char *der, size_t len,
    gnutls_datum_t *subject);

/*
 * The subjectPublicKey of a certificate's DER, in place: the contents of
 * its BIT STRING, which must have no unused bits.  -1 unless der is one
 * SEQUENCE whose tbsCertificate reaches a well-formed subjectPublicKeyInfo.
 */
int certder_public_key(const unsigned char *der, size_t len,
    gnutls_datum_t *key);

/*
 * The modulus and public exponent of an rsaEncryption key (RSAPublicKey,
 * RFC 8017 A.1.1) in a certificate's DER, in place, as unsigned
 * big-endian integers: what GnuTLS reads of it, without making numbers
 * of them.  -1 when the DER does not plainly hold such a key (GnuTLS then
 * reads it, and says what is wrong).
 */
int certder_rsa_key(const unsigned char *der, size_t len,
    gnutls_datum_t *modulus, gnutls_datum_t *exponent);

/* The bits of an unsigned big-endian integer, leading zeros not counted. */
unsigned certder_bits(const gnutls_datum_t *n);

/*
 * The next PEM CERTIFICATE block of data at or after *from, decoded into
 * *der (gnutls_free() it); *from moves past the block.  1 when a block was
 * decoded, 0 when there is none, -1 when the block cannot be decoded
 * (what GnuTLS said in why).
 */
int certder_next_pem(const unsigned char *data, size_t len, size_t *from,
    gnutls_datum_t *der, char *why, size_t whylen);

/*
 * A certificate of its own with crt's DER (gnutls_x509_crt_deinit() it):
 * what is kept of a certificate to know it again by its DER
 * (gnutls_x509_crt_equals()) once the caller's is gone.  NULL when out of
 * memory.
 */
gnutls_x509_crt_t certder_copy(gnutls_x509_crt_t crt);

#endif /* MTLS_CERTDER_H */
