/*
 * chain.h - building the path from a client certificate to a trust anchor
 * (internal).
 *
 * GnuTLS verifies a path but does not say which one it built, nor which
 * issuer was missing.  We build it ourselves, by issuer name and key
 * identifier, and hand GnuTLS the exact path to verify.
 */
#ifndef MTLS_CHAIN_H
#define MTLS_CHAIN_H

#include <stddef.h>

#include <gnutls/x509.h>

#include "certset.h"
#include "finding.h"

/* Longest path built at all, whatever max_depth says. */
#define CHAIN_MAX 16

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
	size_t len;
};

/*
 * Build a path from leaf through intermediates from either pool to one of
 * the anchors, preferring an anchor to an intermediate.  The certificates stay
 * owned by their sets.  Fails with issuer-not-found (naming the missing
 * issuer), untrusted-root or chain-too-deep.
 */
int chain_build(gnutls_x509_crt_t leaf, const struct certset *anchors,
    const struct certset *peer_pool, const struct certset *config_pool,
    struct chain *out, struct finding *f);

#endif /* MTLS_CHAIN_H */
