/*
 * testpki.h - a test PKI made at test time with GnuTLS.
 *
 * Tests build the certificates they need here instead of committing keys:
 * tpki_new() gives a v3 certificate with sane defaults, the test bends it
 * with the GnuTLS setters (or the tpki_make_* shorthands), and tpki_sign()
 * issues it.  Keys are generated once per process and reused.
 */
#ifndef MTLS_TESTPKI_H
#define MTLS_TESTPKI_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <gnutls/x509.h>

/* A fresh NIST P-256 key (cheap), or an RSA key of the given size (cached). */
gnutls_x509_privkey_t tpki_key_ec(void);
gnutls_x509_privkey_t tpki_key_ec_bits(unsigned bits);
gnutls_x509_privkey_t tpki_key_rsa(unsigned bits);

/* tpki_new() flags */
#define TPKI_V1 0x1	/* X.509 v1: no extensions at all */

/*
 * An unsigned certificate for dn (RFC 4514, "CN=alice,O=Example") with
 * key: random positive 16-octet serial, valid from an hour ago for a year,
 * a subject key identifier (v3).  Aborts the test program on failure.
 */
gnutls_x509_crt_t tpki_new(const char *dn, gnutls_x509_privkey_t key,
    unsigned flags);

/*
 * A random odd number of exactly bits bits (big-endian, top bit set), its
 * low-order bytes ORed with low; free data with gnutls_free().
 */
gnutls_datum_t tpki_number(unsigned bits, unsigned long low);

/*
 * An unsigned v1 certificate for dn (no key identifiers) carrying an RSA
 * public key with a random modulus of modulus_bits and exponent e, whose
 * private key nobody holds: the keys no real CA makes.
 */
gnutls_x509_crt_t tpki_new_rsa_raw(const char *dn, unsigned modulus_bits,
    const gnutls_datum_t *e);

/* Valid from not_before to not_after. */
void tpki_set_validity(gnutls_x509_crt_t crt, time_t not_before,
    time_t not_after);

/* basicConstraints critical CA (pathlen < 0: none), keyCertSign|cRLSign. */
void tpki_make_ca(gnutls_x509_crt_t crt, int pathlen);
/* A self-signed CA for dn with key: tpki_new(), tpki_make_ca() without a
 * path length, signed with SHA-256. */
gnutls_x509_crt_t tpki_self_signed_ca(const char *dn,
    gnutls_x509_privkey_t key);
/* A freshestCRL extension naming uri: where the issuer's delta CRLs are. */
void tpki_set_freshest_crl(gnutls_x509_crt_t crt, const char *uri);
/* keyUsage digitalSignature, extendedKeyUsage clientAuth. */
void tpki_make_client(gnutls_x509_crt_t crt);

/*
 * Sign crt with issuer_key; issuer NULL makes it self-signed.  Sets the
 * issuer name and an authority key identifier from the issuer's subject
 * key identifier (v3 only).  dig is e.g. GNUTLS_DIG_SHA256.  crt is then
 * read back from its DER, so that it behaves as one a verifier parsed
 * (GnuTLS matches issuers, of certificates and of CRLs and OCSP
 * responses, by the raw names it keeps only from import); one GnuTLS
 * refuses to import stays as built.
 */
void tpki_sign(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, gnutls_digest_algorithm_t dig);

/* Encode one certificate as PEM or DER; allocated, *len set. */
unsigned char *tpki_pem(gnutls_x509_crt_t crt, size_t *len);
unsigned char *tpki_der(gnutls_x509_crt_t crt, size_t *len);

/* Write certificates, PEM one after another, to path. */
void tpki_write(const char *path, gnutls_x509_crt_t *crts, size_t n);
void tpki_write_key(const char *path, gnutls_x509_privkey_t key);
void tpki_write_data(const char *path, const void *data, size_t len);

/*
 * A CRL by issuer listing serials of the given certificates, valid from
 * this_update to next_update, with a CRL number and an authority key
 * identifier.
 */
gnutls_x509_crl_t tpki_crl(gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, gnutls_x509_crt_t *revoked, size_t n,
    time_t this_update, time_t next_update);
/* tpki_crl() signed with digest rather than SHA-256 (a SHA-1 CRL). */
gnutls_x509_crl_t tpki_crl_digest(gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, gnutls_x509_crt_t *revoked, size_t n,
    time_t this_update, time_t next_update,
    gnutls_digest_algorithm_t digest);
void tpki_write_crl(const char *path, gnutls_x509_crl_t crl);

/*
 * A CRL made by "openssl ca -gencrl", for what GnuTLS cannot make: big
 * CRLs (GnuTLS builds them in quadratic time) and extensions it has no
 * setter for.  db is an "openssl ca" database of revoked serials, written
 * with tpki_db_revoked(); crl_ext, lines added to the CRL's extensions
 * (x509v3_config(5), e.g. "issuingDistributionPoint = critical, @idp" and
 * an [idp] section), may be NULL.  The CRL has an authority key identifier
 * and a CRL number, counting up from 1000 over the process; it is valid
 * from now for a week.  Aborts the test program on failure.
 */
gnutls_x509_crl_t tpki_openssl_crl(gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, const char *db, const char *crl_ext);
/* tpki_openssl_crl() valid from this_update to next_update. */
gnutls_x509_crl_t tpki_openssl_crl_dated(gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, const char *db, const char *crl_ext,
    time_t this_update, time_t next_update);
/* Append a revoked serial (big-endian octets) to an openssl ca database. */
void tpki_db_revoked(FILE *db, const unsigned char *serial, size_t len);
/*
 * The same with a reason, as "openssl ca" spells it in its database
 * (e.g. "keyCompromise", "removeFromCRL", "certificateHold,
 * holdInstructionReject"); the CRL entry then has a reasonCode.
 */
void tpki_db_revoked_reason(FILE *db, const unsigned char *serial,
    size_t len, const char *reason);

/*
 * The usual three levels, EC keys: root (CA, "CN=Test Root"), intermediate
 * ("CN=Test Intermediate", signed by root), leaf ("CN=alice", client
 * certificate signed by the intermediate).
 */
struct tpki_std {
	gnutls_x509_privkey_t root_key, int_key, leaf_key;
	gnutls_x509_crt_t root, intermediate, leaf;
};
void tpki_std_make(struct tpki_std *pki);
void tpki_std_free(struct tpki_std *pki);

/* A fresh temporary directory, removed with its files at exit. */
const char *tpki_tmpdir(void);
/* tpki_tmpdir()/name, in a static rotating buffer. */
const char *tpki_path(const char *name);
/* Remove path and all below it; a missing path is no error. */
void tpki_remove_tree(const char *path);

void tpki_free(gnutls_x509_crt_t crt);

#endif /* MTLS_TESTPKI_H */
