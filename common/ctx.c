#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crl_delta_remarks.h"
#include "keylimits.h"
#include "notes.h"
#include "rfc5280.h"

static int
state_fail(struct ctx_state *state, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
state_fail(struct ctx_state *state, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(state->error, sizeof(state->error), fmt, ap);
	va_end(ap);
	return -1;
}

static void
state_free(struct ctx_state *state)
{
	if (state == NULL)
		return;
	crl_index_live_close(state->crl_index);
	crl_store_free(state->crls);
	ocsp_cache_free(state->ocsp);
	free((char *)state->ocsp_settings.url);
	identity_free(state->identity);
	for (size_t i = 0; state->names != NULL && i < state->known.count; i++)
		free(state->names[i]);
	free(state->names);
	sigcache_free(state->sigcache);
	pathcache_free(state->paths);
	crl_signer_cache_free(state->crl_signers);
	certset_unindex(&state->anchors);
	certset_unindex(&state->intermediates);
	certset_clear(&state->known);
	free(state->defect);
	free(state->profile);
	free(state);
}

struct mtls_ctx *
mtls_ctx_new(void)
{
	struct mtls_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		return NULL;
	if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
		free(ctx);
		return NULL;
	}
	return ctx;
}

const char *
mtls_ctx_error(const struct mtls_ctx *ctx)
{
	if (ctx == NULL)
		return "no verifier (out of memory?)";
	return ctx->error[0] != '\0' ? ctx->error : NULL;
}

struct ctx_state *
ctx_hold(struct mtls_ctx *ctx)
{
	struct ctx_state *state;

	pthread_mutex_lock(&ctx->lock);
	if ((state = ctx->state) != NULL)
		state->refs++;
	pthread_mutex_unlock(&ctx->lock);
	return state;
}

void
ctx_release(struct mtls_ctx *ctx, struct ctx_state *state)
{
	bool last;

	if (state == NULL)
		return;
	pthread_mutex_lock(&ctx->lock);
	last = --state->refs == 0;
	pthread_mutex_unlock(&ctx->lock);
	if (last)
		state_free(state);
}

int
ctx_verify_crl_index(struct mtls_ctx *ctx, char *err, size_t errlen)
{
	struct ctx_state *state = ctx_hold(ctx);
	struct crl_index_hold *hold;
	int ret = 0;

	if (state != NULL && state->crl_index != NULL) {
		hold = crl_index_live_hold(state->crl_index);
		ret = crl_index_verify(crl_index_held(hold), err, errlen);
		crl_index_live_release(state->crl_index, hold);
	}
	ctx_release(ctx, state);
	return ret;
}

int
ctx_check_ca_dir(struct mtls_ctx *ctx, char *err, size_t errlen)
{
	struct ctx_state *state = ctx_hold(ctx);
	int ret = 0;

	if (state != NULL)
		ret = certset_check(&state->known, err, errlen);
	ctx_release(ctx, state);
	return ret;
}

int
ctx_check_map_file(struct mtls_ctx *ctx, char *err, size_t errlen)
{
	struct ctx_state *state = ctx_hold(ctx);
	int ret = 0;

	if (state != NULL)
		ret = identity_check_map(state->identity, err, errlen);
	ctx_release(ctx, state);
	return ret;
}

int
ctx_defects(struct mtls_ctx *ctx, struct strlist *out)
{
	struct ctx_state *state = ctx_hold(ctx);
	int ret = 0;

	for (size_t i = 0; state != NULL && i < state->known.count &&
	    ret == 0; i++)
		if (state->defect[i].reason != MTLS_R_OK)
			ret = strlist_add(out, state->defect[i].text);
	ctx_release(ctx, state);
	return ret;
}

int
ctx_remarks(struct mtls_ctx *ctx, struct strlist *out)
{
	struct ctx_state *state = ctx_hold(ctx);
	char name[CERTNAME_MAX], text[CERTNAME_MAX + 512];
	gnutls_x509_crt_t crt;
	struct notes remarks;
	bool anchor;
	int ret = 0;

	for (size_t i = 0; state != NULL && i < state->known.count &&
	    ret == 0; i++) {
		anchor = i < state->anchors.count;
		remarks.count = 0;
		if (state->defect[i].reason != MTLS_R_OK ||
		    (crt = certset_crt(&state->known, i)) == NULL)
			continue;
		rfc5280_ca_remarks(crt, anchor, &remarks);
		certname_subject(crt, name);
		for (size_t r = 0; r < remarks.count && ret == 0; r++) {
			snprintf(text, sizeof(text), "configured %s '%s' %s",
			    anchor ? "trust anchor" : "intermediate", name,
			    remarks.text[r]);
			ret = strlist_add(out, text);
		}
	}
	ctx_release(ctx, state);
	return ret;
}

int
ctx_crl_delta_remarks(struct mtls_ctx *ctx, struct strlist *out)
{
	struct ctx_state *state = ctx_hold(ctx);
	struct crl_index_hold *hold = NULL;
	struct crl_source indexed, files;
	const struct crl_source *const sources[] = { &indexed, &files };
	int ret = 0;

	if (state == NULL)
		return 0;
	if (state->crl_index != NULL)
		hold = crl_index_live_hold(state->crl_index);
	crl_index_source(hold != NULL ? crl_index_held(hold) : NULL,
	    &indexed);
	crl_store_source(state->crls, &files);
	ret = crl_delta_remarks(sources, 2, &state->known, out);
	if (hold != NULL)
		crl_index_live_release(state->crl_index, hold);
	ctx_release(ctx, state);
	return ret;
}

void
mtls_ctx_set_one_shot(struct mtls_ctx *ctx, int one_shot)
{
	if (ctx != NULL)
		ctx->one_shot = one_shot != 0;
}

void
mtls_ctx_set_log_sink(struct mtls_ctx *ctx,
    void (*sink)(void *arg, int priority, const char *line), void *arg)
{
	if (ctx != NULL) {
		ctx->log.say = sink;
		ctx->log.arg = arg;
	}
}

void
mtls_ctx_free(struct mtls_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ctx_release(ctx, ctx->state);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

/*
 * What is decided once of a configured certificate: that its key is one a
 * CA issues, why it cannot issue in a path (defect), and its name for
 * verdicts.  Run when it is imported: at load, or for a certificate of
 * ca_dir when a path first needs it (certset_add_dir()).
 */
static int
prepare_known(void *arg, gnutls_x509_crt_t crt, size_t i, char *why,
    size_t whylen)
{
	struct ctx_state *state = arg;
	struct finding *f = &state->defect[i];
	bool anchor = i < state->anchors.count;
	char limits[256], name[CERTNAME_MAX];

	if (keylimits_check(crt, limits, sizeof(limits)) != 0) {
		certname_subject(crt, name);
		snprintf(why, whylen, "configured certificate '%s' has %s: "
		    "remove it from ca_file, ca_dir or intermediates_file",
		    name, limits);
		return -1;
	}
	/* an anchor is no certificate being validated (rfc5280.h) */
	if (anchor || rfc5280_check_cert(crt, f) == 0)
		(void)rfc5280_check_ca(crt, anchor, f);
	if (state->names != NULL &&
	    (state->names[i] = certname_dn_alloc(crt, 0)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

static int
load_certificates(struct ctx_state *state, const struct mtls_config *config,
    bool one_shot)
{
	size_t nanchors;

	for (size_t i = 0; i < config->ca_files.count; i++)
		if (certset_add_file(&state->known, config->ca_files.items[i],
		    state->error, sizeof(state->error)) != 0)
			return -1;
	if (config->ca_dir != NULL && certset_add_dir(&state->known,
	    config->ca_dir, state->error, sizeof(state->error)) != 0)
		return -1;
	nanchors = state->known.count;
	if (nanchors == 0)
		return state_fail(state, "no trust anchor: set ca_file or "
		    "ca_dir to the CA certificates clients are issued by");
	for (size_t i = 0; i < config->intermediates_files.count; i++)
		if (certset_add_file(&state->known,
		    config->intermediates_files.items[i], state->error,
		    sizeof(state->error)) != 0)
			return -1;
	certset_view(&state->anchors, &state->known, 0, nanchors);
	certset_view(&state->intermediates, &state->known, nanchors,
	    state->known.count - nanchors);
	/*
	 * An index pays off over many lookups.  One verification makes a
	 * few, which cost less as scans than hashing every certificate,
	 * except in ca_dir, whose scan would import each one.
	 */
	if ((!one_shot || state->known.lazy != NULL) &&
	    (certset_index(&state->known) != 0 ||
	    certset_index(&state->anchors) != 0 ||
	    certset_index(&state->intermediates) != 0))
		return state_fail(state, "out of memory");

	state->defect = calloc(state->known.count, sizeof(*state->defect));
	/* a one-shot context formats the few names its verdict shows */
	if (!one_shot)
		state->names = calloc(state->known.count,
		    sizeof(*state->names));
	if (state->defect == NULL || (!one_shot && state->names == NULL))
		return state_fail(state, "out of memory");
	return certset_prepare(&state->known, prepare_known, state,
	    state->error, sizeof(state->error));
}

/* How GnuTLS verifies the built path (gnutls_x509_crt_list_verify). */
static unsigned
verify_flags(const struct mtls_policy *policy)
{
	/* Validity times are checked by policy_check_validity(), against the
	 * request's time and with the configured clock skew; CRLs by crl.c.
	 * Critical extensions by rfc5280_check_cert(), which refuses those
	 * it does not know: of those it lets through critical, only
	 * policyMappings and policyConstraints are unknown to GnuTLS 3.7,
	 * and they are processed (policygraph.h).  What GnuTLS is given
	 * always ends below its anchor (sigcache.h), so its first
	 * certificate is never taken for the anchor itself: otherwise
	 * GnuTLS asks whether the two are one, and when their names differ
	 * it formats both as text to compare them: 80,000 instructions, more
	 * than one in a hundred of a whole "mtls verify" process. */
	unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_CRL_CHECKS |
	    GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS |
	    GNUTLS_VERIFY_DO_NOT_ALLOW_SAME;

	if (policy->allow_sha1)
		flags |= GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
	return flags;
}

static int
uses_method(const struct mtls_config *config,
    enum mtls_revocation_method method)
{
	for (size_t i = 0; i < config->revocation.nmethods; i++)
		if (config->revocation.methods[i] == method)
			return 1;
	return 0;
}

static int
load_ocsp(struct ctx_state *state, const struct mtls_config *config)
{
	const struct mtls_revocation *rev = &config->revocation;
	char *url = NULL;

	if (rev->ocsp_url != NULL && (url = strdup(rev->ocsp_url)) == NULL)
		return state_fail(state, "out of memory");
	state->ocsp_settings.url = url;
	state->ocsp_settings.timeout_ms = rev->ocsp_timeout_ms;
	state->ocsp_settings.nonce = rev->ocsp_nonce;
	state->ocsp_settings.max_age = rev->ocsp_max_age;
	state->ocsp_settings.clock_skew = config->policy.clock_skew;
	state->ocsp_settings.allow_sha1 = config->policy.allow_sha1;
	state->ocsp_soft_fail = rev->ocsp_soft_fail;
	if (ocsp_cache_new(&state->ocsp, rev->cache_dir, &state->log) != 0)
		return state_fail(state, "out of memory");
	return 0;
}

static bool
index_holds_crls(struct crl_index_live *live)
{
	struct crl_index_hold *hold;
	bool some;

	if (live == NULL)
		return false;
	hold = crl_index_live_hold(live);
	some = crl_index_count(crl_index_held(hold)) > 0;
	crl_index_live_release(live, hold);
	return some;
}

bool
ctx_crl_index_empty(struct mtls_ctx *ctx)
{
	struct ctx_state *state = ctx_hold(ctx);
	bool empty = state != NULL && state->crl_index != NULL &&
	    !index_holds_crls(state->crl_index);

	ctx_release(ctx, state);
	return empty;
}

/* A damaged index fails the configuration: never half-trusted. */
static int
load_crl_index(struct ctx_state *state, const struct mtls_revocation *rev)
{
	char dir[4096];

	if (rev->crl_index_off)
		return 0;
	if (rev->crl_index_dir != NULL)
		snprintf(dir, sizeof(dir), "%s", rev->crl_index_dir);
	else if (rev->cache_dir != NULL)
		snprintf(dir, sizeof(dir), "%s/%s", rev->cache_dir,
		    CRL_INDEX_SUBDIR);
	else
		return 0;
	return crl_index_live_open(dir, &state->crl_index, state->error,
	    sizeof(state->error));
}

/*
 * Beside the index, the CRL files it holds nothing from: an update cannot
 * publish the CRL of an intermediate only clients send (it cannot verify
 * it), and its revocations must still count.
 */
static int
load_unindexed_crls(struct ctx_state *state, const struct strlist *files)
{
	struct crl_index_hold *hold = crl_index_live_hold(state->crl_index);
	struct strlist unindexed = { 0 };
	int ret;

	ret = crl_index_unindexed(crl_index_held(hold), files, &unindexed);
	crl_index_live_release(state->crl_index, hold);
	if (ret != 0)
		ret = state_fail(state, "out of memory");
	else
		ret = crl_store_load(&state->crls, &unindexed, &state->known,
		    state->error, sizeof(state->error));
	strlist_clear(&unindexed);
	return ret;
}

static int
load_revocation(struct ctx_state *state, const struct mtls_config *config)
{
	const struct mtls_revocation *rev = &config->revocation;

	memcpy(state->methods, rev->methods, sizeof(state->methods));
	state->nmethods = rev->nmethods;
	state->crl_require = rev->crl_require;
	state->stale_grace = rev->stale_grace;
	if (uses_method(config, MTLS_REV_OCSP) && load_ocsp(state, config) != 0)
		return -1;
	if (!uses_method(config, MTLS_REV_CRL))
		return 0;
	if (load_crl_index(state, rev) != 0)
		return -1;
	if (index_holds_crls(state->crl_index))
		return load_unindexed_crls(state, &rev->crl_files);
	if (rev->crl_index_dir != NULL)
		return state_fail(state, "the CRL index %s holds no CRL; run "
		    "\"mtls crl update\", or name the index directory itself "
		    "(revocation.cache_dir/crl)", rev->crl_index_dir);
	if (rev->crl_files.count == 0 && rev->crl_urls.count == 0 &&
	    !rev->crl_fetch)
		return state_fail(state, "revocation.mode includes crl but no "
		    "CRL is configured: set revocation.crl_files, or crl_urls "
		    "and run \"mtls crl update\"");
	return crl_store_load(&state->crls, &rev->crl_files, &state->known,
	    state->error, sizeof(state->error));
}

/*
 * What a long-running context remembers between verifications; a one-shot
 * one makes none of it (the sigcache alone is 256 KiB).
 */
static int
load_caches(struct ctx_state *state, bool one_shot)
{
	if (one_shot)
		return 0;
	if ((state->sigcache = sigcache_new()) == NULL ||
	    (state->paths = pathcache_new()) == NULL ||
	    (state->crl_signers = crl_signer_cache_new()) == NULL)
		return state_fail(state, "out of memory");
	return 0;
}

/* Everything the configuration names, loaded into a new state. */
static struct ctx_state *
state_load(const struct mtls_config *config, bool one_shot,
    const struct log_sink *log, char *err, size_t errlen)
{
	struct ctx_state *state = calloc(1, sizeof(*state));

	if (state == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	state->refs = 1;
	state->log = *log;
	state->policy = config->policy;
	state->audit = config->audit;
	state->verify_flags = verify_flags(&state->policy);
	if ((config->profile != NULL &&
	    (state->profile = strdup(config->profile)) == NULL &&
	    state_fail(state, "out of memory") != 0) ||
	    load_caches(state, one_shot) != 0 ||
	    load_certificates(state, config, one_shot) != 0 ||
	    load_revocation(state, config) != 0 ||
	    identity_load(&state->identity, &config->identity, config->file,
	    &state->log, state->error, sizeof(state->error)) != 0) {
		snprintf(err, errlen, "%s", state->error);
		state_free(state);
		return NULL;
	}
	return state;
}

/*
 * Load aside, then swap: verifications running meanwhile keep the state
 * they hold, and a failed load leaves the context as it was.
 */
int
mtls_ctx_configure(struct mtls_ctx *ctx, const struct mtls_config *config)
{
	struct ctx_state *state, *old;

	if (ctx == NULL)
		return -1;
	if (config == NULL) {
		snprintf(ctx->error, sizeof(ctx->error), "no configuration "
		    "(out of memory?)");
		return -1;
	}
	state = state_load(config, ctx->one_shot, &ctx->log, ctx->error,
	    sizeof(ctx->error));
	if (state == NULL)
		return -1;
	ctx->error[0] = '\0';
	pthread_mutex_lock(&ctx->lock);
	old = ctx->state;
	ctx->state = state;
	pthread_mutex_unlock(&ctx->lock);
	ctx_release(ctx, old);
	return 0;
}
