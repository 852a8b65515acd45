#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "keylimits.h"
#include "rfc5280.h"

static int
ctx_fail(struct mtls_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
ctx_fail(struct mtls_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
	va_end(ap);
	return -1;
}

struct mtls_ctx *
mtls_ctx_new(void)
{
	return calloc(1, sizeof(struct mtls_ctx));
}

const char *
mtls_ctx_error(const struct mtls_ctx *ctx)
{
	return ctx->error[0] != '\0' ? ctx->error : NULL;
}

static void
ctx_clear(struct mtls_ctx *ctx)
{
	crl_index_live_close(ctx->crl_index);
	ctx->crl_index = NULL;
	crl_store_free(ctx->crls);
	ctx->crls = NULL;
	ocsp_cache_free(ctx->ocsp);
	ctx->ocsp = NULL;
	free((char *)ctx->ocsp_settings.url);
	memset(&ctx->ocsp_settings, 0, sizeof(ctx->ocsp_settings));
	identity_free(ctx->identity);
	ctx->identity = NULL;
	for (size_t i = 0; ctx->names != NULL && i < ctx->known.count; i++)
		free(ctx->names[i]);
	free(ctx->names);
	ctx->names = NULL;
	certset_clear(&ctx->known);
	free(ctx->defect);
	ctx->defect = NULL;
	free(ctx->profile);
	ctx->profile = NULL;
	ctx->configured = false;
}

void
mtls_ctx_free(struct mtls_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ctx_clear(ctx);
	free(ctx);
}

static int
load_certificates(struct mtls_ctx *ctx, const struct mtls_config *config)
{
	size_t nanchors;

	for (size_t i = 0; i < config->ca_files.count; i++)
		if (certset_add_file(&ctx->known, config->ca_files.items[i],
		    ctx->error, sizeof(ctx->error)) != 0)
			return -1;
	if (config->ca_dir != NULL && certset_add_dir(&ctx->known,
	    config->ca_dir, ctx->error, sizeof(ctx->error)) != 0)
		return -1;
	nanchors = ctx->known.count;
	if (nanchors == 0)
		return ctx_fail(ctx, "no trust anchor: set ca_file or ca_dir "
		    "to the CA certificates clients are issued by");
	for (size_t i = 0; i < config->intermediates_files.count; i++)
		if (certset_add_file(&ctx->known,
		    config->intermediates_files.items[i], ctx->error,
		    sizeof(ctx->error)) != 0)
			return -1;
	ctx->anchors.crts = ctx->known.crts;
	ctx->anchors.count = nanchors;
	ctx->intermediates.crts = ctx->known.crts + nanchors;
	ctx->intermediates.count = ctx->known.count - nanchors;

	ctx->defect = calloc(ctx->known.count, sizeof(*ctx->defect));
	ctx->names = calloc(ctx->known.count, sizeof(*ctx->names));
	if (ctx->defect == NULL || ctx->names == NULL)
		return ctx_fail(ctx, "out of memory");
	for (size_t i = 0; i < ctx->known.count; i++) {
		struct finding *f = &ctx->defect[i];
		char why[256], name[CERTNAME_MAX];

		if (keylimits_check(ctx->known.crts[i], why, sizeof(why)) != 0) {
			certname_subject(ctx->known.crts[i], name);
			return ctx_fail(ctx, "configured certificate '%s' has "
			    "%s: remove it from ca_file, ca_dir or "
			    "intermediates_file", name, why);
		}
		if (rfc5280_check_cert(ctx->known.crts[i], f) == 0)
			(void)rfc5280_check_ca(ctx->known.crts[i], i < nanchors,
			    f);
		ctx->names[i] = certname_dn_alloc(ctx->known.crts[i], 0);
		if (ctx->names[i] == NULL)
			return ctx_fail(ctx, "out of memory");
	}
	return 0;
}

/* How GnuTLS verifies the built path (gnutls_x509_crt_list_verify). */
static unsigned
verify_flags(const struct mtls_policy *policy)
{
	/* Validity times are checked by policy_check_validity(), against the
	 * request's time and with the configured clock skew; CRLs by crl.c. */
	unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_CRL_CHECKS;

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
load_ocsp(struct mtls_ctx *ctx, const struct mtls_config *config)
{
	const struct mtls_revocation *rev = &config->revocation;
	char *url = NULL;

	if (rev->ocsp_url != NULL && (url = strdup(rev->ocsp_url)) == NULL)
		return ctx_fail(ctx, "out of memory");
	ctx->ocsp_settings.url = url;
	ctx->ocsp_settings.timeout_ms = rev->ocsp_timeout_ms;
	ctx->ocsp_settings.nonce = rev->ocsp_nonce;
	ctx->ocsp_settings.max_age = rev->ocsp_max_age;
	ctx->ocsp_settings.clock_skew = config->policy.clock_skew;
	ctx->ocsp_soft_fail = rev->ocsp_soft_fail;
	if (ocsp_cache_new(&ctx->ocsp, rev->cache_dir) != 0)
		return ctx_fail(ctx, "out of memory");
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

/* A damaged index fails the configuration: never half-trusted. */
static int
load_crl_index(struct mtls_ctx *ctx, const struct mtls_revocation *rev)
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
	return crl_index_live_open(dir, &ctx->crl_index, ctx->error,
	    sizeof(ctx->error));
}

static int
load_revocation(struct mtls_ctx *ctx, const struct mtls_config *config)
{
	const struct mtls_revocation *rev = &config->revocation;

	memcpy(ctx->methods, rev->methods, sizeof(ctx->methods));
	ctx->nmethods = rev->nmethods;
	ctx->crl_require = rev->crl_require;
	ctx->stale_grace = rev->stale_grace;
	if (uses_method(config, MTLS_REV_OCSP) && load_ocsp(ctx, config) != 0)
		return -1;
	if (!uses_method(config, MTLS_REV_CRL))
		return 0;
	if (load_crl_index(ctx, rev) != 0)
		return -1;
	if (index_holds_crls(ctx->crl_index))
		return 0;
	if (rev->crl_index_dir != NULL)
		return ctx_fail(ctx, "the CRL index %s holds no CRL; run \"mtls "
		    "crl update\", or name the index directory itself "
		    "(revocation.cache_dir/crl)", rev->crl_index_dir);
	if (rev->crl_files.count == 0 && rev->crl_urls.count == 0 &&
	    !rev->crl_fetch)
		return ctx_fail(ctx, "revocation.mode includes crl but no CRL "
		    "is configured: set revocation.crl_files, or crl_urls and "
		    "run \"mtls crl update\"");
	return crl_store_load(&ctx->crls, &rev->crl_files, &ctx->known,
	    ctx->error, sizeof(ctx->error));
}

int
mtls_ctx_configure(struct mtls_ctx *ctx, const struct mtls_config *config)
{
	ctx_clear(ctx);
	ctx->error[0] = '\0';
	ctx->policy = config->policy;
	ctx->audit = config->audit;
	if (config->profile != NULL &&
	    (ctx->profile = strdup(config->profile)) == NULL)
		return ctx_fail(ctx, "out of memory");
	ctx->verify_flags = verify_flags(&ctx->policy);
	if (load_certificates(ctx, config) != 0 ||
	    load_revocation(ctx, config) != 0 ||
	    identity_load(&ctx->identity, &config->identity, ctx->error,
	    sizeof(ctx->error)) != 0) {
		ctx_clear(ctx);
		return -1;
	}
	ctx->configured = true;
	return 0;
}
