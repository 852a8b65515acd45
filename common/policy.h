/*
 * policy.h - the per-profile policy a client certificate must meet
 * (internal): validity, purpose, key usage, key size, signature algorithm,
 * depth, X.509 version.
 */
#ifndef MTLS_POLICY_H
#define MTLS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <gnutls/x509.h>

#include "config.h"
#include "finding.h"

/*
 * Every certificate of chain[0] (leaf) .. chain[n-1] (anchor) within its
 * validity at now: notBefore at most skew seconds after now (the
 * caller's policy.clock_skew for the host's clock, 0 for a time given
 * with the request, which is exact), and notAfter not before now.  A
 * validity time with a fraction of a second never gets here: GnuTLS
 * refuses such a certificate when it is read (cert-malformed), so it is
 * never valid early.
 */
int policy_check_validity(gnutls_x509_crt_t *chain, size_t n, time_t now,
    unsigned skew, struct finding *f);

/*
 * Whether the profile refuses a signature made with sign (a
 * gnutls_sign_algorithm_t): MD5 and MD2 always, SHA-1 unless allow_sha1
 * (policy.allow_sha1).  The rule for certificates (policy_check_strength())
 * and for what answers on revocation (CRLs, OCSP responses) alike: an
 * answer is only as strong as its signature.  An unknown algorithm is not
 * refused here: it cannot be verified, so its verification fails.
 */
bool policy_refuses_signature(bool allow_sha1, int sign);

/*
 * What an administrator does about signer ("its CA") signing what
 * ("CRLs") with sign, which policy_refuses_signature() refuses: a
 * sentence for out ("its CA signs CRLs with SHA-1; have it sign with
 * SHA-256, or set policy.allow_sha1 = true").
 */
void policy_signature_remedy(int sign, const char *signer, const char *what,
    char *out, size_t outlen);

/*
 * Key sizes (every certificate of chain[0] .. chain[n-1]) and signature
 * algorithms (every certificate but the anchor, whose self-signature
 * nobody relies on): what the profile asks of every key a verification
 * relies on, the key of a CRL's signer too.  first names chain[0] in the
 * explanation ("client certificate").
 */
int policy_check_strength(const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, const char *first, struct finding *f);

/*
 * Depth, policy_check_strength(), X.509 version, and the leaf's purpose
 * and keyUsage.  When the leaf is
 * accepted but worth a remark (a v1 certificate), *note is set to a static
 * string.
 */
int policy_check(const struct mtls_policy *policy, gnutls_x509_crt_t *chain,
    size_t n, const char **note, struct finding *f);

#endif /* MTLS_POLICY_H */
