/*
 * A CRL signed by another key of the certificate's CA (crl_signer.h), as
 * after a key rollover: the intermediate "CN=Test Intermediate" is
 * renewed with a new key, the new key signs its CRLs from then on, and
 * the certificates its old key issued (alice, bob) must still be
 * checked, and bob's revocation hold, through the CRL files and through
 * the index "mtls crl update" publishes alike.  A key whose certificate
 * may not sign CRLs, or whose path ends in another trust anchor, is not
 * believed.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

static struct {
	gnutls_x509_privkey_t keys[5];
	gnutls_x509_crt_t bob;		/* by the old key, revoked */
	gnutls_x509_crt_t renewed;	/* the intermediate, new key */
	gnutls_x509_crt_t bare;		/* another key, without cRLSign */
	gnutls_x509_crt_t other_root;	/* a second trust anchor */
	gnutls_x509_crt_t stray;	/* another key, under other_root */
} fx;

/* A CA certificate named like the intermediate, of key, by issuer. */
static gnutls_x509_crt_t
namesake(gnutls_x509_privkey_t key, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, unsigned usage)
{
	gnutls_x509_crt_t crt = tpki_new("CN=Test Intermediate", key, 0);

	tpki_make_ca(crt, 0);
	assert_int_equal(gnutls_x509_crt_set_key_usage(crt, usage), 0);
	tpki_sign(crt, issuer, issuer_key, GNUTLS_DIG_SHA256);
	return crt;
}

/* A CRL by signer listing revoked (when not NULL), into name. */
static void
write_crl(const char *name, gnutls_x509_crt_t signer,
    gnutls_x509_privkey_t key, gnutls_x509_crt_t *revoked,
    time_t this_update, time_t next_update)
{
	gnutls_x509_crl_t crl = tpki_crl(signer, key, revoked,
	    revoked != NULL ? 1 : 0, this_update, next_update);

	tpki_write_crl(tpki_path(name), crl);
	gnutls_x509_crl_deinit(crl);
}

static int
setup(void **state)
{
	const unsigned both = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
	gnutls_x509_crt_t set[3];
	time_t now = time(NULL);

	pki_setup(state);
	for (size_t i = 0; i < 5; i++)
		fx.keys[i] = tpki_key_ec();
	fx.bob = tpki_new("CN=bob", fx.keys[0], 0);
	tpki_make_client(fx.bob);
	tpki_sign(fx.bob, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	fx.renewed = namesake(fx.keys[1], pki.root, pki.root_key, both);
	fx.bare = namesake(fx.keys[2], pki.root, pki.root_key,
	    GNUTLS_KEY_KEY_CERT_SIGN);
	fx.other_root = tpki_self_signed_ca("CN=Other Root", fx.keys[3]);
	fx.stray = namesake(fx.keys[4], fx.other_root, fx.keys[3], both);

	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	set[0] = pki.root;
	set[1] = fx.other_root;
	tpki_write(tpki_path("two-roots.pem"), set, 2);
	set[0] = pki.intermediate;
	tpki_write(tpki_path("old.pem"), set, 1);
	set[1] = fx.renewed;
	tpki_write(tpki_path("renewed.pem"), set, 2);
	set[1] = fx.stray;
	tpki_write(tpki_path("stray.pem"), set, 2);

	write_crl("renewed.crl", fx.renewed, fx.keys[1], &fx.bob, now - 60,
	    now + 86400);
	write_crl("bare.crl", fx.bare, fx.keys[2], &fx.bob, now - 60,
	    now + 86400);
	write_crl("stray.crl", fx.stray, fx.keys[4], &fx.bob, now - 60,
	    now + 86400);
	write_crl("root.crl", pki.root, pki.root_key, NULL, now - 60,
	    now + 86400);
	write_crl("root-revokes.crl", pki.root, pki.root_key, &fx.renewed,
	    now - 60, now + 86400);
	/* the old key's last CRL, listing nothing, past its nextUpdate */
	write_crl("old-stale.crl", pki.intermediate, pki.int_key, NULL,
	    now - 3 * 86400, now - 2 * 86400);
	return 0;
}

static int
teardown(void **state)
{
	tpki_free(fx.bob);
	tpki_free(fx.renewed);
	tpki_free(fx.bare);
	tpki_free(fx.other_root);
	tpki_free(fx.stray);
	for (size_t i = 0; i < 5; i++)
		gnutls_x509_privkey_deinit(fx.keys[i]);
	return pki_teardown(state);
}

/* A configuration of these files, with an index in cache/ when index. */
static struct mtls_config *
config(const char *anchors, const char *intermediates, const char *crls,
    const char *require, bool index)
{
	struct mtls_config *cfg = mtls_config_new();
	char text[2048];

	snprintf(text, sizeof(text), "ca_file = \"%s\";\n"
	    "intermediates_file = \"%s\";\n"
	    "audit = false;\n"
	    "revocation = {\n"
	    "  mode = \"crl\";\n"
	    "  crl_require = \"%s\";\n"
	    "  crl_files = [%s];\n"
	    "%s%s%s"
	    "};\n", anchors, intermediates, require, crls,
	    index ? "  cache_dir = \"" : "", index ? tpki_path("cache") : "",
	    index ? "\";\n" : "");
	tpki_write_data(tpki_path("mtls.conf"), text, strlen(text));
	assert_non_null(cfg);
	if (mtls_config_load_file(cfg, tpki_path("mtls.conf"), NULL) != 0)
		fail_msg("load: %s", mtls_config_error(cfg));
	return cfg;
}

static void
report(void *arg, int failed, const char *line)
{
	(void)arg;
	if (failed)
		fail_msg("mtls crl update: %s", line);
}

/* "mtls crl update" as of now: every CRL is published. */
static void
update(const struct mtls_config *cfg, time_t now)
{
	assert_int_equal(mtls_crl_update(cfg, now, report, NULL), 0);
}

/* A verifier of cfg, which is freed. */
static struct mtls_ctx *
configure(struct mtls_config *cfg)
{
	struct mtls_ctx *ctx = mtls_ctx_new();

	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

/* A verifier of cfg, after "mtls crl update" published its CRLs into an
 * empty index when index; cfg is freed. */
static struct mtls_ctx *
verifier(struct mtls_config *cfg, bool index)
{
	if (index) {
		tpki_remove_tree(tpki_path("cache"));
		update(cfg, time(NULL));
	}
	return configure(cfg);
}

static void
assert_accepted(struct mtls_verdict *v, bool index)
{
	assert_accepted_from(v, index ? MTLS_REVSRC_CRL_INDEX :
	    MTLS_REVSRC_CRL_FILE);
}

/*
 * The renewed key's CRL speaks for what the old key issued: bob is
 * revoked, whatever crl_require says (ignoring the CRL would accept him
 * with "none"), and alice, not listed, is accepted where coverage is
 * required; from the files and from the index.
 */
static void
renewed_key_revokes_what_the_old_key_issued(void **state)
{
	static const char *const requires[] = { "none", "leaf", "chain" };

	(void)state;
	for (int index = 0; index < 2; index++)
		for (size_t i = 0; i < 3; i++) {
			struct mtls_ctx *ctx = verifier(config("root.pem",
			    "renewed.pem", "\"renewed.crl\", \"root.crl\"",
			    requires[i], index), index);

			assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
			    MTLS_R_REVOKED, "renewed.crl");
			assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL),
			    index);
			mtls_ctx_free(ctx);
		}
}

/* The same when the client sends the renewed certificate: the CRL is
 * then verified against it when first needed. */
static void
renewed_certificate_sent_by_the_client(void **state)
{
	gnutls_x509_crt_t bob[2] = { fx.bob, fx.renewed };
	gnutls_x509_crt_t alice[2] = { pki.leaf, fx.renewed };
	struct mtls_ctx *ctx;

	(void)state;
	ctx = verifier(config("root.pem", "old.pem", "\"renewed.crl\"",
	    "leaf", false), false);
	assert_refused(verify_crts(ctx, bob, 2, NULL), MTLS_R_REVOKED,
	    "bob");
	assert_accepted(verify_crts(ctx, alice, 2, NULL), false);
	/* without it, no certificate of that key is known */
	assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
	    MTLS_R_CRL_MISSING, "Test Intermediate");
	mtls_ctx_free(ctx);
}

/* The CA publishes the CRL of file as name. */
static void
publish_as(const char *file, const char *name)
{
	size_t len;
	unsigned char *data = slurp(tpki_path(file), &len);

	tpki_write_data(tpki_path(name), data, len);
	free(data);
}

/* "mtls crl update" of ca.crl as of now, into the index there is. */
static void
update_ca_crl(time_t now)
{
	struct mtls_config *cfg = config("root.pem", "renewed.pem",
	    "\"ca.crl\"", "leaf", true);

	update(cfg, now);
	mtls_config_free(cfg);
}

/* Both CRLs decide alike: alice accepted, bob revoked. */
static void
assert_decided(struct mtls_ctx *ctx, bool index)
{
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), index);
	assert_refused(verify_crts(ctx, &fx.bob, 1, NULL), MTLS_R_REVOKED,
	    "bob");
	mtls_ctx_free(ctx);
}

/*
 * The old key's last CRL, now stale, does not decide once the renewed
 * key's newer one is there: as files, and in the index, where the old
 * key's CRL stays published when its source (ca.crl) serves the renewed
 * key's from then on.
 */
static void
newest_crl_of_either_key_decides(void **state)
{
	time_t now = time(NULL);

	(void)state;
	assert_decided(configure(config("root.pem", "renewed.pem",
	    "\"old-stale.crl\", \"renewed.crl\"", "leaf", false)), false);

	tpki_remove_tree(tpki_path("cache"));
	publish_as("old-stale.crl", "ca.crl");
	update_ca_crl(now - 5 * 86400 / 2);
	publish_as("renewed.crl", "ca.crl");
	update_ca_crl(now);
	assert_decided(configure(config("root.pem", "renewed.pem",
	    "\"ca.crl\"", "leaf", true)), true);
}

/*
 * A CRL of another key that is not believed, from the files nor from the
 * index: under crl_require "leaf", bob is not taken as revoked nor alice
 * as covered, both crl-invalid, the explanation holding bob_why and
 * alice_why.
 */
static void
assert_unbelieved(const char *anchors, const char *intermediates,
    const char *crls, const char *bob_why, const char *alice_why)
{
	struct mtls_ctx *ctx;

	for (int index = 0; index < 2; index++) {
		ctx = verifier(config(anchors, intermediates, crls, "leaf",
		    index), index);
		assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
		    MTLS_R_CRL_INVALID, bob_why);
		assert_refused(verify_crts(ctx, &pki.leaf, 1, NULL),
		    MTLS_R_CRL_INVALID, alice_why);
		mtls_ctx_free(ctx);
	}
}

/*
 * A renewed key whose certificate is revoked signs no CRL that counts:
 * bob's revocation cannot be told (crl-invalid), nor alice's.
 */
static void
revoked_signer(void **state)
{
	(void)state;
	assert_unbelieved("root.pem", "renewed.pem",
	    "\"renewed.crl\", \"root-revokes.crl\"", "was revoked",
	    "was revoked");
}

/* "mtls crl update" of the renewed key's CRL and root-now.crl. */
static void
update_root_now(void)
{
	struct mtls_config *cfg = config("root.pem", "renewed.pem",
	    "\"renewed.crl\", \"root-now.crl\"", "leaf", true);

	update(cfg, time(NULL));
	mtls_config_free(cfg);
}

/*
 * A long-running verifier remembers the renewed certificate's path
 * (crl_signer_cache.h), but not whether it is revoked: once an update
 * publishes a root CRL that lists it, its CRL is no longer believed.
 */
static void
signer_revoked_while_running(void **state)
{
	struct mtls_ctx *ctx;

	(void)state;
	tpki_remove_tree(tpki_path("cache"));
	publish_as("root.crl", "root-now.crl");
	update_root_now();
	ctx = configure(config("root.pem", "renewed.pem",
	    "\"renewed.crl\", \"root-now.crl\"", "leaf", true));
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), true);
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), true);
	publish_as("root-revokes.crl", "root-now.crl");
	update_root_now();
	assert_refused(verify_crts_until(ctx, &pki.leaf, 1,
	    MTLS_R_CRL_INVALID), MTLS_R_CRL_INVALID, "was revoked");
	mtls_ctx_free(ctx);
}

/*
 * A long-running verifier also remembers that the renewed certificate
 * speaks for the intermediate, but not for which CRL: once an update
 * publishes, in the place of the renewed key's CRL, one a key of another
 * CA signed under the intermediate's name (which cannot speak for it,
 * signer_of_another_ca), alice is no longer covered.  Were the renewed
 * certificate taken for the signer of whatever CRL of that name, she
 * would be.
 */
static void
signer_remembered_until_the_crl_changes(void **state)
{
	gnutls_x509_privkey_t sibling_key = tpki_key_ec(), key = tpki_key_ec();
	gnutls_x509_crt_t sibling = tpki_new("CN=Sibling CA", sibling_key, 0);
	gnutls_x509_crt_t set[4] = { pki.intermediate, fx.renewed, sibling };
	time_t now = time(NULL);
	struct mtls_config *cfg;
	struct mtls_ctx *ctx;

	(void)state;
	tpki_make_ca(sibling, -1);
	tpki_sign(sibling, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	set[3] = namesake(key, sibling, sibling_key,
	    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	tpki_write(tpki_path("renewed-and-sibling.pem"), set, 4);
	write_crl("sibling-later.crl", set[3], key, NULL, now - 30,
	    now + 86400);
	cfg = config("root.pem", "renewed-and-sibling.pem", "\"ca.crl\"",
	    "leaf", true);
	publish_as("renewed.crl", "ca.crl");
	tpki_remove_tree(tpki_path("cache"));
	update(cfg, now);
	ctx = configure(cfg);
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), true);
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), true);

	publish_as("sibling-later.crl", "ca.crl");
	tpki_remove_tree(tpki_path("cache"));
	cfg = config("root.pem", "renewed-and-sibling.pem", "\"ca.crl\"",
	    "leaf", true);
	update(cfg, now);
	mtls_config_free(cfg);
	assert_refused(verify_crts_until(ctx, &pki.leaf, 1,
	    MTLS_R_CRL_INVALID), MTLS_R_CRL_INVALID, "CN=Sibling CA");
	mtls_ctx_free(ctx);
	tpki_free(set[3]);
	tpki_free(sibling);
	gnutls_x509_privkey_deinit(key);
	gnutls_x509_privkey_deinit(sibling_key);
}

/*
 * Two verifiers in one process (two PAM services, each with its
 * configuration) remember apart: that the renewed certificate spoke for
 * the intermediate in one is nothing to the other, where it is not
 * configured, nor once the first is gone.  Were what one remembers
 * shared, alice would be accepted by the second on a CRL no certificate
 * it knows can vouch for.
 */
static void
verifiers_remember_apart(void **state)
{
	(void)state;
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *renewed, *old;

		renewed = verifier(config("root.pem", "renewed.pem",
		    "\"renewed.crl\"", "leaf", index), index);
		old = configure(config("root.pem", "old.pem",
		    "\"renewed.crl\"", "leaf", false));
		for (int round = 0; round < 2; round++) {
			assert_accepted(verify_crts(renewed, &pki.leaf, 1,
			    NULL), index);
			assert_refused(verify_crts(old, &pki.leaf, 1, NULL),
			    MTLS_R_CRL_MISSING, "Test Intermediate");
		}
		mtls_ctx_free(renewed);
		assert_refused(verify_crts(old, &pki.leaf, 1, NULL),
		    MTLS_R_CRL_MISSING, "Test Intermediate");
		mtls_ctx_free(old);
	}
}

struct worker {
	struct mtls_ctx *ctx;
	struct mtls_request *alice, *bob;
	int alice_accepted, bob_revoked;
};

/* No cmocka assertion here: they are the main thread's, after joining. */
static void *
verify_both(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 30; i++) {
		struct mtls_verdict *v = mtls_verify(w->ctx, w->alice);

		w->alice_accepted += mtls_verdict_accepted(v);
		mtls_verdict_free(v);
		v = mtls_verify(w->ctx, w->bob);
		w->bob_revoked += mtls_verdict_reason(v) == MTLS_R_REVOKED;
		mtls_verdict_free(v);
	}
	return NULL;
}

/*
 * Threads of one verifier learn and use what it remembers of the renewed
 * key (its certificate's path, that it speaks for the intermediate, which
 * certificates hold the key of a CRL) at once, from the files and from
 * the index, and decide as one would alone.
 */
static void
threads_share_what_is_remembered(void **state)
{
	enum { THREADS = 4 };
	pthread_t tid[THREADS];
	struct worker w[THREADS];

	(void)state;
	for (int index = 0; index < 2; index++) {
		struct mtls_ctx *ctx = verifier(config("root.pem",
		    "renewed.pem", "\"renewed.crl\", \"root.crl\"", "leaf",
		    index), index);

		for (int i = 0; i < THREADS; i++) {
			w[i].ctx = ctx;
			w[i].alice = request_crts(&pki.leaf, 1);
			w[i].bob = request_crts(&fx.bob, 1);
			w[i].alice_accepted = w[i].bob_revoked = 0;
			assert_int_equal(pthread_create(&tid[i], NULL,
			    verify_both, &w[i]), 0);
		}
		for (int i = 0; i < THREADS; i++) {
			pthread_join(tid[i], NULL);
			assert_int_equal(w[i].alice_accepted, 30);
			assert_int_equal(w[i].bob_revoked, 30);
			mtls_request_free(w[i].alice);
			mtls_request_free(w[i].bob);
		}
		mtls_ctx_free(ctx);
	}
}

/*
 * A key the root certifies under the intermediate's name for CRLs alone,
 * in a certificate that is no CA (PKITS 4.4.19 to 4.4.21): its CRL
 * speaks for what the intermediate issued, from the files and from the
 * index; once the root's CRL lists that certificate, it does not.
 */
static void
separate_crl_key(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t crl_signer = tpki_new("CN=Test Intermediate", key, 0);
	gnutls_x509_crt_t set[2] = { pki.intermediate, crl_signer };
	time_t now = time(NULL);
	struct mtls_ctx *ctx;

	(void)state;
	assert_int_equal(gnutls_x509_crt_set_key_usage(crl_signer,
	    GNUTLS_KEY_CRL_SIGN), 0);
	tpki_sign(crl_signer, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	set[1] = crl_signer;
	tpki_write(tpki_path("separate.pem"), set, 2);
	write_crl("separate.crl", crl_signer, key, &fx.bob, now - 60,
	    now + 86400);
	write_crl("root-revokes-separate.crl", pki.root, pki.root_key,
	    &crl_signer, now - 60, now + 86400);
	for (int index = 0; index < 2; index++) {
		ctx = verifier(config("root.pem", "separate.pem",
		    "\"separate.crl\"", "leaf", index), index);
		assert_decided(ctx, index);
		ctx = verifier(config("root.pem", "separate.pem",
		    "\"separate.crl\", \"root-revokes-separate.crl\"", "leaf",
		    index), index);
		assert_refused(verify_crts(ctx, &fx.bob, 1, NULL),
		    MTLS_R_CRL_INVALID, "CRL signing certificate");
		mtls_ctx_free(ctx);
	}
	tpki_free(crl_signer);
	gnutls_x509_privkey_deinit(key);
}

/* Keep the last line a failing "mtls crl update" reported. */
static void
keep_failure(void *arg, int failed, const char *line)
{
	if (failed)
		snprintf(arg, 512, "%s", line);
}

/*
 * A key whose certificate lacks cRLSign signs no CRL: configured, the
 * CRL is refused at load, and "mtls crl update" does not publish it;
 * sent by the client, the CRL is not believed, which is crl-invalid where
 * coverage is required, not a revocation.
 */
static void
signer_without_crl_sign(void **state)
{
	gnutls_x509_crt_t bob[2] = { fx.bob, fx.bare };
	gnutls_x509_crt_t set[2] = { pki.intermediate, fx.bare };
	struct mtls_config *cfg;
	struct mtls_ctx *ctx;
	char refusal[512] = "";

	(void)state;
	tpki_write(tpki_path("bare.pem"), set, 2);
	cfg = config("root.pem", "bare.pem", "\"bare.crl\"", "leaf", true);
	ctx = mtls_ctx_new();
	assert_int_not_equal(mtls_ctx_configure(ctx, cfg), 0);
	assert_contains(mtls_ctx_error(ctx), "cRLSign");
	mtls_ctx_free(ctx);
	tpki_remove_tree(tpki_path("cache"));
	assert_int_equal(mtls_crl_update(cfg, time(NULL), keep_failure,
	    refusal), 1);
	assert_contains(refusal, "cRLSign");
	mtls_config_free(cfg);

	ctx = verifier(config("root.pem", "old.pem", "\"bare.crl\"", "leaf",
	    false), false);
	assert_refused(verify_crts(ctx, bob, 2, NULL), MTLS_R_CRL_INVALID,
	    "cRLSign");
	mtls_ctx_free(ctx);
}

/*
 * A key whose certificate chains to another trust anchor does not speak
 * for a path to this one, from the files or from the index: bob is not
 * taken as revoked, and the CRL does not cover anyone.
 */
static void
signer_under_another_anchor(void **state)
{
	struct mtls_ctx *ctx;

	(void)state;
	assert_unbelieved("two-roots.pem", "stray.pem", "\"stray.crl\"",
	    "CN=Other Root", "CN=Test Root");
	for (int index = 0; index < 2; index++) {
		ctx = verifier(config("two-roots.pem", "stray.pem",
		    "\"stray.crl\"", "none", index), index);
		assert_accepted(verify_crts(ctx, &fx.bob, 1, NULL), index);
		mtls_ctx_free(ctx);
	}
}

/*
 * A key the CA certifies under its own name for CRLs alone (self-issued,
 * as PKITS 4.5.6): what says that key's certificate is not revoked must
 * not be a CRL it signed itself.  Under crl_require "chain" that key's
 * certificate must be covered, by a CRL of the certifying key; without
 * one the CRL signed by the CRL key is not believed, and nothing loops.
 */
static void
self_issued_crl_key(void **state)
{
	gnutls_x509_privkey_t crl_key = tpki_key_ec();
	gnutls_x509_crt_t set[2] = { pki.intermediate, NULL };
	time_t now = time(NULL);
	struct mtls_ctx *ctx;

	(void)state;
	set[1] = namesake(crl_key, pki.intermediate, pki.int_key,
	    GNUTLS_KEY_CRL_SIGN);
	tpki_write(tpki_path("crl-key.pem"), set, 2);
	write_crl("by-crl-key.crl", set[1], crl_key, &fx.bob, now - 60,
	    now + 86400);
	write_crl("by-ca-key.crl", pki.intermediate, pki.int_key, NULL,
	    now - 120, now + 86400);
	ctx = verifier(config("root.pem", "crl-key.pem",
	    "\"by-crl-key.crl\", \"root.crl\"", "chain", false), false);
	assert_refused(verify_crts(ctx, &fx.bob, 1, NULL), MTLS_R_CRL_INVALID,
	    "signed itself");
	mtls_ctx_free(ctx);
	ctx = verifier(config("root.pem", "crl-key.pem",
	    "\"by-crl-key.crl\", \"by-ca-key.crl\", \"root.crl\"",
	    "chain", false), false);
	assert_refused(verify_crts(ctx, &fx.bob, 1, NULL), MTLS_R_REVOKED,
	    "by-crl-key.crl");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), false);
	mtls_ctx_free(ctx);
	tpki_free(set[1]);
	gnutls_x509_privkey_deinit(crl_key);
}

/*
 * A key the profile calls too weak to certify anyone (a 1024-bit RSA key,
 * below policy.min_rsa_bits) decides no revocation either: its CRL
 * neither covers alice nor revokes bob, from the files or the index.
 */
static void
weak_signer(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_rsa(1024);
	gnutls_x509_crt_t weak = namesake(key, pki.root, pki.root_key,
	    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	gnutls_x509_crt_t set[2] = { pki.intermediate, weak };
	time_t now = time(NULL);

	(void)state;
	tpki_write(tpki_path("weak.pem"), set, 2);
	write_crl("weak.crl", weak, key, &fx.bob, now - 60, now + 86400);
	assert_unbelieved("root.pem", "weak.pem", "\"weak.crl\"",
	    "policy.min_rsa_bits", "policy.min_rsa_bits");
	tpki_free(weak);
	gnutls_x509_privkey_deinit(key);
}

/*
 * "mtls crl update" publishes only what a configured certificate signed:
 * with the renewed key's certificate only sent by clients, the index
 * cannot hold its CRL (the CRL files can: renewed_certificate_sent_by_the_
 * client), and the refusal says which certificate to configure.
 */
static void
update_needs_the_renewed_certificate(void **state)
{
	struct mtls_config *cfg = config("root.pem", "old.pem",
	    "\"renewed.crl\"", "leaf", true);
	char refusal[512] = "";

	(void)state;
	tpki_remove_tree(tpki_path("cache"));
	assert_int_equal(mtls_crl_update(cfg, time(NULL), keep_failure,
	    refusal), 1);
	assert_contains(refusal, "signature does not match");
	assert_contains(refusal, "intermediates_file");
	mtls_config_free(cfg);
}

/*
 * A certificate of the intermediate's name that another CA under the same
 * root issued (the sibling "CN=Sibling CA", which could also be made to
 * certify any name) does not speak for the intermediate: its CRL, though
 * fresh and listing no one, neither covers alice nor clears bob, whether
 * configured (from the files and the index) or sent by the client.  The
 * intermediate's own issuer, or the intermediate itself, certifies its
 * keys (renewed_key_revokes_what_the_old_key_issued, self_issued_crl_key).
 */
static void
signer_of_another_ca(void **state)
{
	gnutls_x509_privkey_t sibling_key = tpki_key_ec(), key = tpki_key_ec();
	gnutls_x509_crt_t sibling = tpki_new("CN=Sibling CA", sibling_key, 0);
	gnutls_x509_crt_t forger, set[3];
	time_t now = time(NULL);
	struct mtls_ctx *ctx;

	(void)state;
	tpki_make_ca(sibling, -1);
	tpki_sign(sibling, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	forger = namesake(key, sibling, sibling_key,
	    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	write_crl("sibling.crl", forger, key, NULL, now - 60, now + 86400);
	set[0] = pki.intermediate;
	set[1] = sibling;
	set[2] = forger;
	tpki_write(tpki_path("sibling.pem"), set, 3);
	assert_unbelieved("root.pem", "sibling.pem", "\"sibling.crl\"",
	    "CN=Sibling CA", "CN=Sibling CA");
	set[0] = fx.bob;
	set[1] = forger;
	set[2] = sibling;
	ctx = verifier(config("root.pem", "old.pem", "\"sibling.crl\"",
	    "leaf", false), false);
	assert_refused(verify_crts(ctx, set, 3, NULL), MTLS_R_CRL_INVALID,
	    "CN=Sibling CA");
	mtls_ctx_free(ctx);
	tpki_free(forger);
	tpki_free(sibling);
	gnutls_x509_privkey_deinit(key);
	gnutls_x509_privkey_deinit(sibling_key);
}

/*
 * The old key certified by the new one (self-issued, "OldWithNew" as
 * PKITS 4.5.1 has it), the new key's certificate issued by the root: the
 * path of what the old key issued goes through both, and the new key's
 * CRL, signed by the CA's issuer in that path, speaks for it.
 */
static void
old_key_certified_by_the_new(void **state)
{
	const unsigned both = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
	gnutls_x509_crt_t set[2] = { NULL, fx.renewed };
	struct mtls_ctx *ctx;

	(void)state;
	set[0] = namesake(pki.int_key, fx.renewed, fx.keys[1], both);
	tpki_write(tpki_path("old-with-new.pem"), set, 2);
	ctx = verifier(config("root.pem", "old-with-new.pem",
	    "\"renewed.crl\", \"root.crl\"", "chain", false), false);
	assert_refused(verify_crts(ctx, &fx.bob, 1, NULL), MTLS_R_REVOKED,
	    "renewed.crl");
	assert_accepted(verify_crts(ctx, &pki.leaf, 1, NULL), false);
	mtls_ctx_free(ctx);
	tpki_free(set[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renewed_key_revokes_what_the_old_key_issued),
		cmocka_unit_test(renewed_certificate_sent_by_the_client),
		cmocka_unit_test(newest_crl_of_either_key_decides),
		cmocka_unit_test(revoked_signer),
		cmocka_unit_test(signer_revoked_while_running),
		cmocka_unit_test(signer_remembered_until_the_crl_changes),
		cmocka_unit_test(verifiers_remember_apart),
		cmocka_unit_test(threads_share_what_is_remembered),
		cmocka_unit_test(separate_crl_key),
		cmocka_unit_test(signer_without_crl_sign),
		cmocka_unit_test(signer_under_another_anchor),
		cmocka_unit_test(self_issued_crl_key),
		cmocka_unit_test(weak_signer),
		cmocka_unit_test(update_needs_the_renewed_certificate),
		cmocka_unit_test(signer_of_another_ca),
		cmocka_unit_test(old_key_certified_by_the_new),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
