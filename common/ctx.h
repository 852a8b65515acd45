/*
 * ctx.h - a configured verifier (internal layout).
 *
 * What a configuration loads into is a state: written once by
 * mtls_ctx_configure(), aside, then only read, which is what makes
 * concurrent verification safe.  The context points at its current state;
 * a reload swaps in another under the context's lock.  Each verification
 * holds the state it started with, counted, so that the last one to let
 * go of a replaced state frees it: no verification ever sees a state
 * freed or half loaded.
 */
#ifndef MTLS_CTX_H
#define MTLS_CTX_H

#include <pthread.h>
#include <stdbool.h>

#include <gnutls/x509.h>

#include "certset.h"
#include "config.h"
#include "crl.h"
#include "crl_index_live.h"
#include "crl_signer_cache.h"
#include "finding.h"
#include "identity.h"
#include "logsink.h"
#include "ocsp.h"
#include "pathcache.h"
#include "sigcache.h"
#include "strlist.h"

struct ctx_state {
	unsigned refs;		/* the context's, and each holder's; under
				 * the context's lock */
	char *profile;
	struct mtls_policy policy;
	enum mtls_revocation_method methods[MTLS_REV_MAX_METHODS];
	size_t nmethods;
	enum mtls_crl_require crl_require;
	unsigned stale_grace;
	bool audit;

	/* Configured certificates, owned: trust anchors first, then
	 * intermediates.  anchors and intermediates are views into it.
	 * Those of ca_dir are imported when a path first needs them
	 * (certset_crt()), and defect and names filled in then. */
	struct certset known;
	struct certset anchors;
	struct certset intermediates;
	/* defect[i]: why known.crts[i] cannot issue in a path, or reason OK;
	 * decided once here rather than at every verification */
	struct finding *defect;
	/* names[i]: subject of known.crts[i], for verdicts' chains; NULL
	 * in a one-shot context, which formats the few it shows */
	char **names;
	unsigned verify_flags;	/* for gnutls_x509_crt_list_verify */
	/* what verifications write, each behind its own lock: signature
	 * links verified under these flags (sigcache.h), and the paths
	 * judged under this configuration (pathcache.h); NULL in a
	 * one-shot context, which would only pay for them (nor are its
	 * certificates indexed, but ca_dir's) */
	struct sigcache *sigcache;
	struct pathcache *paths;
	/* the paths of CRL signers of other keys (crl_signer_cache.h) */
	struct crl_signer_cache *crl_signers;

	/* CRL checks read the published index when it holds CRLs, and the
	 * configured files otherwise */
	struct crl_index_live *crl_index;
	struct crl_store *crls;
	struct ocsp_cache *ocsp;
	struct ocsp_settings ocsp_settings;	/* url owned by the context */
	bool ocsp_soft_fail;
	struct identity *identity;
	/* where what is loaded says what it says once (logsink.h) */
	struct log_sink log;

	char error[512];	/* why loading failed */
};

struct mtls_ctx {
	pthread_mutex_t lock;	/* guards state and every state's refs */
	struct ctx_state *state;	/* NULL until configured */
	bool one_shot;		/* mtls_ctx_set_one_shot() */
	struct log_sink log;	/* mtls_ctx_set_log_sink() */
	char error[512];	/* of the last mtls_ctx_configure() */
};

/*
 * The context's current state, held until ctx_release(); NULL when the
 * context was never configured.
 */
struct ctx_state *ctx_hold(struct mtls_ctx *ctx);

/* Let go of a state ctx_hold() gave (NULL is ignored). */
void ctx_release(struct mtls_ctx *ctx, struct ctx_state *state);

/*
 * Check every block of the CRL index the context holds
 * (crl_index_verify()): what "mtls config check" adds to what a
 * verification checks as it reads.  0 when it holds none.
 */
int ctx_verify_crl_index(struct mtls_ctx *ctx, char *err, size_t errlen);

/*
 * Whether the context checks CRLs by an index that holds none yet: only
 * its crl_files count until "mtls crl update" publishes.
 */
bool ctx_crl_index_empty(struct mtls_ctx *ctx);

/*
 * Import every certificate of ca_dir (certset_check()): a verification
 * imports only those its path needs, and passes over a broken file it
 * never needs.  0 when the context has none.
 */
int ctx_check_ca_dir(struct mtls_ctx *ctx, char *err, size_t errlen);

/*
 * Check every line of the identity map file (identity_check_map()): a
 * verification judges only the lines that could hold its key.  0 when
 * the context has none.
 */
int ctx_check_map_file(struct mtls_ctx *ctx, char *err, size_t errlen);

/*
 * Add to out why each configured certificate cannot issue in a path (a
 * trust anchor or intermediate that breaks the rules for CAs): every
 * path through it is rejected, the configuration still loads.  Those of
 * ca_dir count once imported (ctx_check_ca_dir()).  -1 when memory runs
 * out.
 */
int ctx_defects(struct mtls_ctx *ctx, struct strlist *out);

/*
 * Add to out each thing rfc5280_ca_remarks() says of each configured
 * certificate without a defect, naming it: paths through it are
 * accepted, but its CA should reissue it.  Those of ca_dir count once
 * imported.  -1 when memory runs out.
 */
int ctx_remarks(struct mtls_ctx *ctx, struct strlist *out);

/*
 * Add to out what crl_delta_remarks() says of the context's CRLs (the
 * index and the files it does not hold) and configured certificates: a
 * delta CRL without its complete CRL, delta CRLs named but none
 * configured.  -1 when memory runs out.
 */
int ctx_crl_delta_remarks(struct mtls_ctx *ctx, struct strlist *out);

#endif /* MTLS_CTX_H */
