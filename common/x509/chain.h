/*
 * chain.h - finding a path from a client certificate to a trust anchor
 * (internal).
 *
 * GnuTLS verifies a path but does not say which one it built, nor which
 * issuer was missing, and it stops at the first issuer it picks.  We
 * search ourselves, as RFC 4158 describes: every certificate with the
 * issuer's name (re-issued and cross-signed CAs, a key rollover's link
 * certificates) is a candidate, and when a path through one fails, the
 * next is tried.  Each complete path is handed to a judge (signatures,
 * RFC 5280, validity, policy); the first it accepts wins.
 */
#ifndef MTLS_CHAIN_H
#define MTLS_CHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "certset.h"
#include "finding.h"

/* Longest path built at all, whatever max_depth says. */
#define CHAIN_MAX 16

/*
 * The work one verification may spend searching, whatever the client
 * sends or the configuration holds.  Without a bound, n certificates of
 * one name that sign each other make n^depth paths.
 *
 * CHAIN_MAX_TRIES bounds the candidate issuers put on a path, each a
 * partial path the search extends.  A real PKI needs one per level, plus
 * one for each cross-signed, re-issued or rolled-over CA that leads
 * nowhere: a few dozen at most.  256 leaves room for that many times
 * over, while each try costs a scan of the candidates and no signature.
 *
 * CHAIN_MAX_SIGNATURES bounds the signature checks, the costly part (an
 * RSA or ECDSA verification, where a try costs microseconds).  Judging a
 * complete path counts one per link.  64 checks are four complete paths
 * of CHAIN_MAX, or dozens of ordinary three-level ones, and well under
 * the time a login may take even with the largest keys accepted.
 *
 * Exceeding either rejects with work-limit: the client or the
 * configuration offers more paths than any real PKI needs.
 */
#define CHAIN_MAX_TRIES 256
#define CHAIN_MAX_SIGNATURES 64

/* Where a certificate of the path came from. */
enum chain_source {
	CHAIN_FROM_PEER = 0,	/* sent by the client (the leaf too) */
	CHAIN_FROM_CONFIG,	/* a configured intermediate */
	CHAIN_FROM_ANCHOR	/* a trust anchor */
};

struct chain {
	/* crt[0] is the leaf, crt[len - 1] the trust anchor. */
	gnutls_x509_crt_t crt[CHAIN_MAX];
	enum chain_source source[CHAIN_MAX];
	/* index of crt[i] in the set it came from */
	size_t index[CHAIN_MAX];
	/* what gnutls_x509_crt_get_authority_key_id() returned for crt[i]
	 * when the search read it, for the judge's rules (rfc5280.h), so
	 * that it is decoded once; CHAIN_AKI_UNREAD for the anchor */
	int aki[CHAIN_MAX];
	size_t len;
};

/* chain.aki[i] when the search did not read it (no GnuTLS return value). */
#define CHAIN_AKI_UNREAD 1

/* Where issuers may come from; each set may be empty. */
struct chain_pools {
	const struct certset *anchors;
	const struct certset *peer;	/* the client's, but the leaf */
	const struct certset *config;	/* configured intermediates */
};

/*
 * The certificates bearing a name, in the order a search tries them as
 * issuers: anchors first (a path ends at the first it reaches), then what
 * the client sent, then the configured intermediates.  Every candidate,
 * of a path or of a CRL's signer (crl_signer.h), comes from
 * chain_candidates_next(): it is the one place to index the pools by name.
 */
struct chain_candidates {
	const struct chain_pools *pools;
	const struct dername *name;
	int pool;		/* the enum chain_source being scanned */
	size_t next;		/* the next index in it */
	bool failed;		/* memory ran out looking */
};

struct chain_candidate {
	gnutls_x509_crt_t crt;
	enum chain_source source;
	size_t index;		/* in the pool's set */
};

void chain_candidates_start(struct chain_candidates *it,
    const struct chain_pools *pools, const struct dername *name);

/* The next one into out: false when none is left, or it->failed. */
bool chain_candidates_next(struct chain_candidates *it,
    struct chain_candidate *out);

/*
 * Judge a complete path, leaf to anchor: 0 accepts it; -1 with the
 * finding set refuses it, and the search goes on, unless the reason is
 * internal-error, which ends it.
 */
typedef int (*chain_judge_fn)(const struct chain *c, void *arg,
    struct finding *f);

/*
 * Search for a path from leaf through intermediates from either pool to
 * one of the anchors that judge accepts.  A path never holds the same
 * subject name with the same key twice (a loop).  The certificates stay
 * owned by their sets.
 *
 * On failure the finding is the most relevant one: from the longest
 * complete path refused by judge, else from the longest path that found
 * no issuer (issuer-not-found naming it, untrusted-root,
 * chain-too-deep); or work-limit when the bounds above were reached.
 * *out then holds the complete path that finding is about, or is empty.
 */
int chain_build(gnutls_x509_crt_t leaf, const struct chain_pools *pools,
    chain_judge_fn judge, void *arg, struct chain *out, struct finding *f);

#endif /* MTLS_CHAIN_H */
