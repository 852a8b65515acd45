/*
 * crl_signer.h - the certificate of another key of a CA that signed one
 * of its CRLs (internal).
 *
 * A CA renewed with a new key under the same name signs its CRLs with the
 * new key from then on, and some CAs sign CRLs with a key kept for that
 * alone.  The certificates the old key issued are still the CA's to
 * revoke, so a CRL of a certificate's issuer name that the issuer's own
 * key did not sign speaks for the certificate (RFC 5280, 6.3.3 (f)) when
 * a certificate of that name among the trust anchors, what the client
 * sent and the configured intermediates (chain_candidates_next()):
 *
 *   - holds the key that signed the CRL (and its signature verifies,
 *     checked once per CRL and certificate, crl.c);
 *   - may sign CRLs: its keyUsage has cRLSign, or it is a CA certificate
 *     without keyUsage, which RFC 5280 leaves unrestricted;
 *   - was issued by the CA itself (a key it certifies for its CRLs, or its
 *     renewal certified by its old key) or by a CA of its issuer's name
 *     (the CA renewed where it was certified), or issued the CA (the old
 *     key certified by the new one, self-issued): RFC 5280 asks only for a
 *     path to the same anchor, but any other CA under that anchor could
 *     certify a key in the CA's name, and so speak for the certificates
 *     of a CA it has no say over (clear a revocation, given the CRL's
 *     place);
 *   - is no trust anchor itself, and has a path of its own that the
 *     verification accepts (signatures, the RFC 5280 rules, validity,
 *     the policy's key sizes and signature algorithms; the rest of the
 *     profile's policy is about clients, not CRL signers), ending in
 *     the same trust anchor (name and key) as the path whose CRLs are
 *     checked: a CRL counts only as far as the trust the certificate
 *     itself rests on;
 *   - and that path is not revoked, by CRLs as for a path's CA
 *     certificates (revocation.crl_require = "chain" requires them),
 *     which may in turn be signed by other keys of their CAs (a CA
 *     renewed above a renewed CA), up to CRL_SIGNER_DEPTH signers deep,
 *     but never by the signer itself or one whose path is being judged:
 *     a CRL does not vouch for the key that signed it.
 *
 * The search runs only for a CRL of the issuer's name that the issuer's
 * key did not sign, so a PKI of one key per CA name pays nothing for it.
 * At most CRL_SIGNER_CANDIDATES certificates whose key signed one CRL
 * are looked at, and at most CRL_SIGNER_PATHS signers' paths judged in
 * one verification, each once; a long-running verifier remembers the
 * paths of configured signers, and which of them spoke for which CA
 * certificate (crl_signer_cache.h).
 */
#ifndef MTLS_CRL_SIGNER_H
#define MTLS_CRL_SIGNER_H

#include <stddef.h>

#include <gnutls/x509.h>

#include "chain.h"
#include "crl_coverage.h"
#include "crl_signer_cache.h"
#include "finding.h"

/* Certificates whose key signed one CRL judged before giving up on it. */
#define CRL_SIGNER_CANDIDATES 8
/* Signers' paths judged in one verification; a real PKI needs one or two
 * (PKITS's deepest, a renewed CA under a renewed CA, two). */
#define CRL_SIGNER_PATHS 8
/* Signers whose paths' revocation rests on a CRL another signed. */
#define CRL_SIGNER_DEPTH 3

struct crl_signer_verdict {
	gnutls_x509_crt_t crt;
	struct finding finding;		/* reason OK: it holds */
};

/* What a verification gives its search. */
struct crl_signer_setup {
	const struct chain_pools *pools;
	gnutls_x509_crt_t anchor;	/* of the path whose CRLs are checked */
	/* judges a signer's complete path, as chain_build() asks */
	chain_judge_fn judge;
	/* revocation of a signer's accepted path, by CRLs that signers
	 * (NULL past CRL_SIGNER_DEPTH) may find other keys for: 0 not
	 * revoked, or -1 with f set */
	int (*revocation)(void *arg, const struct chain *c,
	    const struct crl_signers *signers, struct finding *f);
	void *arg;			/* for both */
	/* paths judged before (NULL: none are remembered), valid as of
	 * now with clock_skew, as the verification judges validity */
	struct crl_signer_cache *cache;
	time_t now;
	unsigned clock_skew;
};

/* One verification's search (crl_signer_start()). */
struct crl_signer_search {
	const struct crl_signer_setup *setup;
	struct crl_signer_verdict judged[CRL_SIGNER_PATHS];
	size_t njudged;
	size_t depth;		/* signers whose paths are being judged */
	unsigned paths_judged;	/* by the search under way */
};

/*
 * Start a search: the verdicts are left as they are until used, so that
 * a verification that never needs one pays nothing for them.
 */
void crl_signer_start(struct crl_signer_search *search,
    const struct crl_signer_setup *setup);

/* The search as crl_coverage_check() asks it (crl_coverage.h). */
void crl_signer_signers(struct crl_signer_search *search,
    struct crl_signers *out);

#endif /* MTLS_CRL_SIGNER_H */
