/*
 * ctx.h - a configured verifier (internal layout).
 *
 * Everything here is written by mtls_ctx_configure() and only read by
 * mtls_verify(), which is what makes concurrent verification safe.
 */
#ifndef MTLS_CTX_H
#define MTLS_CTX_H

#include <stdbool.h>

#include <gnutls/x509.h>

#include "certset.h"
#include "config.h"
#include "crl.h"
#include "crl_index_live.h"
#include "finding.h"
#include "identity.h"
#include "ocsp.h"
#include "sigcache.h"

struct mtls_ctx {
	bool configured;
	char *profile;
	struct mtls_policy policy;
	enum mtls_revocation_method methods[MTLS_REV_MAX_METHODS];
	size_t nmethods;
	enum mtls_crl_require crl_require;
	unsigned stale_grace;
	bool audit;

	/* Configured certificates, owned: trust anchors first, then
	 * intermediates.  anchors and intermediates are views into it. */
	struct certset known;
	struct certset anchors;
	struct certset intermediates;
	/* defect[i]: why known.crts[i] cannot issue in a path, or reason OK;
	 * decided once here rather than at every verification */
	struct finding *defect;
	/* names[i]: subject of known.crts[i], for verdicts' chains */
	char **names;
	unsigned verify_flags;	/* for gnutls_x509_crt_list_verify */
	/* signature links verified under these flags (the one thing
	 * mtls_verify() writes, behind its own lock) */
	struct sigcache *sigcache;

	/* CRL checks read the published index when it holds CRLs, and the
	 * configured files otherwise */
	struct crl_index_live *crl_index;
	struct crl_store *crls;
	struct ocsp_cache *ocsp;
	struct ocsp_settings ocsp_settings;	/* url owned by the context */
	bool ocsp_soft_fail;
	struct identity *identity;

	char error[512];
};

#endif /* MTLS_CTX_H */
