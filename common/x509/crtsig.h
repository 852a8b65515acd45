/*
 * crtsig.h - the signature of a certificate checked with the key of
 * another, whatever their names say (internal).
 *
 * GnuTLS verifies a certificate only with an issuer whose subject is
 * byte for byte the certificate's issuer name.  The path search links
 * certificates by names compared as RFC 5280 7.1 asks (dername.h): an
 * issuer written as a PrintableString and a subject as a UTF8String of
 * other case are the same CA, and its signature is checked here.
 */
#ifndef MTLS_CRTSIG_H
#define MTLS_CRTSIG_H

#include <gnutls/x509.h>

/*
 * Whether the key of issuer made the signature on crt.  flags may hold
 * GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 and GNUTLS_VERIFY_ALLOW_BROKEN (the
 * rest is ignored).  0; GNUTLS_E_PK_SIG_VERIFY_FAILED when the signature
 * does not match; GNUTLS_E_INSUFFICIENT_SECURITY for an algorithm the
 * flags do not allow; another GnuTLS error when it cannot be checked.
 */
int crtsig_verify(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
    unsigned flags);

#endif /* MTLS_CRTSIG_H */
