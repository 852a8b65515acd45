/*
 * keylimits.h - the largest public keys libmtls checks a signature with
 * (internal).
 *
 * The cost of checking a signature grows with the key: an RSA modulus of
 * 65536 bits, or a public exponent as long as the modulus, makes one check
 * take seconds, and a client may send sixteen certificates.  Every
 * certificate a client sends, every certificate an OCSP responder sends
 * and every configured certificate is held to these bounds before any
 * signature is checked with its key.  They are far above any key a CA
 * issues, so only hostile or broken certificates meet them:
 *
 *   RSA (and RSA-PSS)  a modulus of at most 16384 bits (what OpenSSL
 *                      and certtool generate at most), and an odd public
 *                      exponent from 3 to 2^32-1 (CAs use 65537, old
 *                      ones 3 or 17).  One check then costs about 2 ms.
 *   DSA                p of at most 3072 bits and q of at most 256 bits
 *                      (FIPS 186-4's largest sizes).
 *   EC                 the NIST curves P-192 to P-521 (the smaller ones
 *                      policy.min_ec_bits refuses as weak), Ed25519 and
 *                      Ed448; no other curve and no other algorithm.
 */
#ifndef MTLS_KEYLIMITS_H
#define MTLS_KEYLIMITS_H

#include <stddef.h>

#include <gnutls/x509.h>

#define KEYLIMITS_RSA_MAX_BITS 16384
#define KEYLIMITS_RSA_MAX_EXPONENT_BITS 32
#define KEYLIMITS_DSA_MAX_P_BITS 3072
#define KEYLIMITS_DSA_MAX_Q_BITS 256

/*
 * 0 when crt's public key is within the bounds; else -1, with why saying
 * what the key is and which bound it breaks ("a 20000-bit RSA key, over
 * the 16384 bits ...").
 */
int keylimits_check(gnutls_x509_crt_t crt, char *why, size_t whylen);

#endif /* MTLS_KEYLIMITS_H */
