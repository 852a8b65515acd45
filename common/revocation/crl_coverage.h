/*
 * crl_coverage.h - the CRL rules every revocation source applies to a path
 * (internal).
 *
 * Revocation comes from two sources: the CRL files parsed at load (crl.c)
 * and the index "mtls crl update" publishes (crl_index.c).  Which CRL
 * speaks for a certificate, when it is too new or too old, what a listing
 * means and what revocation.crl_require demands are the same for both, and
 * so are the explanations; they live here once.  A source answers only
 * what its own storage knows: what each of its CRLs says about itself,
 * whether one was signed by the key of an issuer in the path, and whether
 * it lists a serial number.
 */
#ifndef MTLS_CRL_COVERAGE_H
#define MTLS_CRL_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <gnutls/x509.h>

#include "config.h"
#include "crlext.h"
#include "finding.h"

/* A key is identified by the SHA-256 of its SubjectPublicKeyInfo. */
#define CRL_KEY_ID_LEN 32

/* What one CRL of a source says about itself; pointers into the source. */
struct crl_facts {
	const unsigned char *issuer_dn;	/* DER */
	size_t issuer_dn_len;
	const struct crlext_idp *scope;
	const struct crlext_numbers *numbers;	/* and whether a delta */
	time_t this_update;
	time_t next_update;
	const char *origin;	/* its file or URL, for explanations */
	int sign_algorithm;	/* its signature's, gnutls_sign_algorithm_t */
	/* the key identifier of the key that signed it (CRL_KEY_ID_LEN
	 * octets) when the source knows it, or NULL */
	const unsigned char *signer_key;
	/* how a fresh one is had; set from the source before facts() */
	const char *stale_remedy;
};

/*
 * What a CRL's entry for a certificate means (RFC 5280, 5.2.4, 5.3.1):
 * revoked, but for a complete CRL's certificateHold, which a delta CRL may
 * lift, and a delta CRL's removeFromCRL, which lifts such a hold.
 */
enum crl_listing {
	CRL_LISTED_REVOKED = 1,
	CRL_LISTED_ON_HOLD,
	CRL_LISTED_REMOVED
};

/* The meaning of an entry with this reasonCode (crlext.h) on a delta CRL
 * or a complete one: every source reads its entries by this. */
enum crl_listing crl_listing_of(int reason, bool delta);

/* A certificate of the path and the issuer that follows it. */
struct crl_link {
	gnutls_x509_crt_t crt;
	gnutls_x509_crt_t issuer;
	bool have_key;
	unsigned char issuer_key[CRL_KEY_ID_LEN];
};

/*
 * One source of CRLs, numbered 0 .. count-1.  self is handed back to
 * every call.  A call that fails sets f and returns -1 (listed: -2).
 */
struct crl_source {
	const void *self;
	size_t count;
	void (*facts)(const void *self, size_t i, struct crl_facts *out);
	/* Whether CRL i was signed with the key of link->issuer, as far as
	 * the source can tell without the CRL's signature. */
	int (*signed_by)(const void *self, size_t i, struct crl_link *link,
	    bool *match, struct finding *f);
	/* NULL, or what must hold before CRL i, the one that covers
	 * link->crt, is believed (its signature, when not checked at load). */
	int (*vouched)(const void *self, size_t i, struct crl_link *link,
	    struct finding *f);
	/* Whether CRL i lists serial, link->crt's (DER INTEGER content
	 * octets): 1 listed, with *how what it means and *when the
	 * revocation date if the source keeps it (it is (time_t)-1 on the
	 * call); 0 not listed; -1 not a serial this source can look up. */
	int (*listed)(const void *self, size_t i, const struct crl_link *link,
	    const unsigned char *serial, size_t len, enum crl_listing *how,
	    time_t *when, struct finding *f);
	/* How an administrator gets a fresh CRL, and a missing one, here. */
	const char *stale_remedy;
	const char *missing_remedy;
};

/*
 * Where a CRL of a certificate's issuer name that the issuer's own key did
 * not sign may find the certificate of the key that did: another key of
 * the same CA, after a key rollover or as a separate CRL-signing key
 * (RFC 5280, 6.3.3 (f); crl_signer.h).  find() is asked only about such a
 * CRL, i of source: 1 with *signer, a certificate that stands in for
 * link->issuer as the CRL's signer; 0 when none does, with why set
 * (MTLS_R_CRL_INVALID) when a certificate whose key signed the CRL was
 * found but cannot vouch for it, and why->reason MTLS_R_OK otherwise; -1
 * with why set when memory or a library failed.
 */
struct crl_signers {
	int (*find)(void *arg, const struct crl_source *source, size_t i,
	    struct crl_link *link, gnutls_x509_crt_t *signer,
	    struct finding *why);
	void *arg;
};

/*
 * What a check read for the certificate chain[0]: the numbers of the
 * complete CRL and of the delta CRL read with it, when one was (delta).
 * Kept as numbers: only a verdict that tells of them formats them.
 */
struct crl_read {
	bool delta;
	unsigned char base[CRLEXT_NUMBER_LEN];
	unsigned char number[CRLEXT_NUMBER_LEN];
};

/*
 * Check chain[0] (leaf) .. chain[n-1] (anchor) at time now.  A CRL covers
 * chain[i] (i < n-1) when its issuer name is chain[i]'s issuer name, it
 * was signed with the key of chain[i+1] (a CRL speaks only for the
 * certificates of the key that signed it; with signers, also another
 * key of the issuer that find() accepts) and its scope includes chain[i]
 * (RFC 5280, 6.3.3 (b): an issuingDistributionPoint may narrow it to user
 * or to CA certificates, or to a partition named by a URI that must be
 * among chain[i]'s cRLDistributionPoints); of several of one scope and
 * key, the one with the highest CRL number (RFC 5280, 5.2.3), and of
 * those of several scopes or keys, the one with the latest thisUpdate.
 * For each certificate so covered, whatever require says: what the
 * source must vouch for first; a signature algorithm
 * policy refuses (policy_refuses_signature(), as for certificates: SHA-1
 * unless policy.allow_sha1) is MTLS_R_CRL_INVALID; thisUpdate after now +
 * clock_skew is MTLS_R_CRL_INVALID; listed is MTLS_R_REVOKED (a revocation
 * stays true however old the CRL saying it is); past nextUpdate +
 * stale_grace is MTLS_R_CRL_STALE.  clock_skew is for a host clock that
 * is behind, so it never extends a nextUpdate; the caller passes 0 for a
 * time given with the request, which is exact.  Listed on any other
 * covering CRL the source vouches for, signed with an algorithm policy
 * accepts and not from the future is
 * MTLS_R_REVOKED too (RFC 5280, 6.3.3: a newer CRL of a narrower scope
 * need not repeat a full CRL's listings), and so is listed on a delta
 * CRL that could not be read with the complete CRL (of another scope, of
 * a newer complete CRL, or with none; or signed with another key of the
 * CA, RFC 5280, 5.2.4), but to be taken off the CRL (removeFromCRL),
 * unless the complete CRL, or the newer delta CRL of its key read with
 * it, has said since.  Then, where require
 * demands coverage (MTLS_CRL_REQUIRE_LEAF: chain[0];
 * MTLS_CRL_REQUIRE_CHAIN: every certificate below the anchor), the first
 * certificate not covered is MTLS_R_CRL_MISSING.  A revocation anywhere
 * in the path wins over the first CRL that could not be used (invalid or
 * stale), which wins over missing coverage: another source may settle
 * those, never a revocation.  Explanations name the certificate and the
 * CRL's issuer; where a CRL of the issuer's name signed by another key
 * might have covered the certificate, but find() refused that key's
 * certificate, the explanation is find()'s, MTLS_R_CRL_INVALID, in place
 * of MTLS_R_CRL_MISSING.  signers may be NULL: no other key is looked
 * for.  Returns 0, or -1 with f set; on 0, *read (unless NULL) says
 * which complete and delta CRL covered chain[0] with what they say.
 */
int crl_coverage_check(const struct crl_source *source,
    const struct crl_signers *signers, const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n,
    enum mtls_crl_require require, unsigned stale_grace, unsigned clock_skew,
    time_t now, struct crl_read *read, struct finding *f);

/*
 * crl_coverage_check() over the CRLs of two sources as one: the CRL index
 * and the CRL files it does not hold (an intermediate only clients send
 * has a CRL the update cannot verify, so cannot publish).  The newest
 * covering CRL of either judges freshness; a listing on any revokes.
 * first's missing_remedy is the one given.
 */
int crl_coverage_check_both(const struct crl_source *first,
    const struct crl_source *second, const struct crl_signers *signers,
    const struct mtls_policy *policy, gnutls_x509_crt_t *chain, size_t n,
    enum mtls_crl_require require, unsigned stale_grace,
    unsigned clock_skew, time_t now, struct crl_read *read,
    struct finding *f);

/*
 * The key identifier of link->issuer, computed on first use and kept in
 * link; -1 with f set (MTLS_R_INTERNAL) when GnuTLS cannot compute it.
 */
int crl_link_issuer_key(struct crl_link *link, struct finding *f);

/* The key identifier of crt's key; -1 when it cannot be computed. */
int crl_key_id(gnutls_x509_crt_t crt, unsigned char id[CRL_KEY_ID_LEN]);

#endif /* MTLS_CRL_COVERAGE_H */
