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

struct chain {
	/* crt[0] is the leaf, crt[len - 1] the trust anchor. */
	gnutls_x509_crt_t crt[CHAIN_MAX];
	size_t len;
	/* index into the anchors set of crt[len - 1] */
	size_t anchor;
};

/*
 * Build a path from leaf through intermediates from either pool to one of
 * the anchors.  The certificates stay owned by their sets.  Fails with
 * issuer-not-found (naming the missing issuer), untrusted-root or
 * chain-too-deep.
 */
int chain_build(gnutls_x509_crt_t leaf, const struct certset *anchors,
    const struct certset *peer_pool, const struct certset *config_pool,
    struct chain *out, struct finding *f);

#endif /* MTLS_CHAIN_H */
