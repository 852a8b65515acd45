/*
 * test_pathcache - the paths a long-running context remembers
 * (pathcache.h) change no verdict: the same bytes presented again get the
 * verdict they got the first time, and what may change in between, the
 * time, revocation, the user claimed and the configuration, is checked at
 * every request.
 *
 * A path is remembered the second time its bytes come: each test first
 * asserts that it is, so that what follows is a verification from the
 * cache, not a fresh one.  A one-shot context remembers nothing, with the
 * same verdicts.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "ctx.h"
#include "mtls.h"
#include "pathcache.h"
#include "request.h"
#include "testpki.h"
#include "testutil.h"

static int
setup(void **state)
{
	pki_setup(state);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	return 0;
}

#define INTERMEDIATES "intermediates_file = \"int.pem\";"

/* Whether ctx remembers the path of what req presents. */
static bool
remembered(struct mtls_ctx *ctx, const struct mtls_request *req)
{
	struct ctx_state *state = ctx_hold(ctx);
	unsigned char key[PATHCACHE_KEY_LEN];
	const struct pathcache_entry *entry = NULL;

	if (pathcache_key(req, key))
		entry = pathcache_get(state->paths, key);
	pathcache_release(state->paths, entry);
	ctx_release(ctx, state);
	return entry != NULL;
}

static void
assert_same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Everything a door or an administrator reads of a verdict. */
static void
assert_same_verdict(const struct mtls_verdict *a, const struct mtls_verdict *b)
{
	assert_int_equal(mtls_verdict_accepted(a), mtls_verdict_accepted(b));
	assert_int_equal(mtls_verdict_reason(a), mtls_verdict_reason(b));
	assert_string_equal(mtls_verdict_explanation(a),
	    mtls_verdict_explanation(b));
	assert_string_equal(mtls_verdict_user_message(a),
	    mtls_verdict_user_message(b));
	assert_int_equal(mtls_verdict_failed_depth(a),
	    mtls_verdict_failed_depth(b));
	assert_same_string(mtls_verdict_user(a), mtls_verdict_user(b));
	assert_int_equal(mtls_verdict_note_count(a),
	    mtls_verdict_note_count(b));
	for (size_t i = 0; i < mtls_verdict_note_count(a); i++)
		assert_same_string(mtls_verdict_note_at(a, i),
		    mtls_verdict_note_at(b, i));
	assert_same_string(mtls_verdict_subject(a), mtls_verdict_subject(b));
	assert_same_string(mtls_verdict_issuer(a), mtls_verdict_issuer(b));
	assert_same_string(mtls_verdict_serial(a), mtls_verdict_serial(b));
	assert_same_string(mtls_verdict_fingerprint(a),
	    mtls_verdict_fingerprint(b));
	assert_same_string(mtls_verdict_email(a), mtls_verdict_email(b));
	assert_same_string(mtls_verdict_upn(a), mtls_verdict_upn(b));
	assert_int_equal(mtls_verdict_not_before(a),
	    mtls_verdict_not_before(b));
	assert_int_equal(mtls_verdict_not_after(a), mtls_verdict_not_after(b));
	assert_int_equal(mtls_verdict_revocation_source(a),
	    mtls_verdict_revocation_source(b));
	assert_int_equal(mtls_verdict_network_owed(a),
	    mtls_verdict_network_owed(b));
	assert_int_equal(mtls_verdict_chain_length(a),
	    mtls_verdict_chain_length(b));
	for (size_t i = 0; i < mtls_verdict_chain_length(a); i++)
		assert_string_equal(mtls_verdict_chain_subject(a, i),
		    mtls_verdict_chain_subject(b, i));
}

/*
 * req verified by a fresh context, then three times by ctx, the third
 * time from its cache when want_remembered: the verdicts agree.
 */
static void
assert_cache_changes_nothing(struct mtls_ctx *ctx, const char *settings,
    const struct mtls_request *req, bool want_remembered)
{
	struct mtls_ctx *fresh = ctx_from_settings(settings);
	struct mtls_verdict *first, *second, *again, *uncached;

	first = mtls_verify(ctx, req);
	second = mtls_verify(ctx, req);
	assert_int_equal(remembered(ctx, req), want_remembered);
	again = mtls_verify(ctx, req);
	uncached = mtls_verify(fresh, req);
	assert_same_verdict(first, second);
	assert_same_verdict(first, again);
	assert_same_verdict(uncached, again);
	mtls_verdict_free(first);
	mtls_verdict_free(second);
	mtls_verdict_free(again);
	mtls_verdict_free(uncached);
	mtls_ctx_free(fresh);
}

/* req accepted twice by ctx, which then remembers its path. */
static void
accept_until_remembered(struct mtls_ctx *ctx, const struct mtls_request *req)
{
	for (int i = 0; i < 2; i++) {
		struct mtls_verdict *v = mtls_verify(ctx, req);

		if (!mtls_verdict_accepted(v))
			fail_msg("refused: %s", mtls_verdict_explanation(v));
		mtls_verdict_free(v);
	}
	assert_true(remembered(ctx, req));
}

static void
same_verdicts_with_and_without_the_cache(void **state)
{
	gnutls_x509_crt_t sent[2] = { pki.leaf, pki.intermediate };
	gnutls_x509_crt_t unmapped, v1, stranger;
	gnutls_x509_privkey_t other_key = tpki_key_ec();
	struct mtls_ctx *ctx = ctx_from_settings(INTERMEDIATES);
	struct mtls_ctx *bare = ctx_from_settings("");
	struct mtls_request *req;

	(void)state;
	/* accepted, the intermediate configured or sent */
	req = request_crts(&pki.leaf, 1);
	assert_cache_changes_nothing(ctx, INTERMEDIATES, req, true);
	mtls_request_free(req);
	req = request_crts(sent, 2);
	assert_cache_changes_nothing(bare, "", req, true);
	mtls_request_free(req);

	/* the user claimed is checked at every request */
	req = request_crts(&pki.leaf, 1);
	assert_int_equal(mtls_request_set_user(req, "bob"), 0);
	assert_cache_changes_nothing(ctx, INTERMEDIATES, req, true);
	assert_int_equal(mtls_request_set_user(req, "alice"), 0);
	assert_cache_changes_nothing(ctx, INTERMEDIATES, req, true);
	mtls_request_free(req);

	/* no user maps: remembered, and still refused */
	unmapped = tpki_new("O=Example,OU=printers", pki.leaf_key, 0);
	tpki_make_client(unmapped);
	tpki_sign(unmapped, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	req = request_crts(&unmapped, 1);
	assert_cache_changes_nothing(ctx, INTERMEDIATES, req, true);
	mtls_request_free(req);

	/* accepted with a note */
	v1 = tpki_new("CN=carol", pki.leaf_key, TPKI_V1);
	tpki_sign(v1, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	req = request_crts(&v1, 1);
	assert_cache_changes_nothing(ctx, INTERMEDIATES, req, true);
	mtls_request_free(req);

	/* a path that fails is judged again every time */
	stranger = tpki_new("CN=alice", pki.leaf_key, 0);
	tpki_make_client(stranger);
	tpki_sign(stranger, pki.intermediate, other_key, GNUTLS_DIG_SHA256);
	req = request_crts(&stranger, 1);
	assert_cache_changes_nothing(ctx, INTERMEDIATES, req, false);
	mtls_request_free(req);

	tpki_free(unmapped);
	tpki_free(v1);
	tpki_free(stranger);
	gnutls_x509_privkey_deinit(other_key);
	mtls_ctx_free(ctx);
	mtls_ctx_free(bare);
}

/*
 * A one-shot context (a command, a login) keeps no cache, and gives each
 * request, each time, the verdict a long-running context gives it.
 */
static void
one_shot_context_gives_the_same_verdicts(void **state)
{
	gnutls_x509_crt_t sent[2] = { pki.leaf, pki.intermediate };
	gnutls_x509_crt_t stranger = tpki_new("CN=alice", pki.leaf_key, 0);
	gnutls_x509_privkey_t other_key = tpki_key_ec();
	struct mtls_config *cfg = config_from_settings("");
	struct mtls_ctx *once = mtls_ctx_new();
	struct mtls_ctx *ctx = ctx_from_settings("");
	struct mtls_request *req[2];
	struct ctx_state *held;

	(void)state;
	tpki_make_client(stranger);
	tpki_sign(stranger, pki.intermediate, other_key, GNUTLS_DIG_SHA256);
	req[0] = request_crts(sent, 2);
	req[1] = request_crts((gnutls_x509_crt_t[]){ stranger,
	    pki.intermediate }, 2);
	assert_non_null(once);
	mtls_ctx_set_one_shot(once, 1);
	assert_int_equal(mtls_ctx_configure(once, cfg), 0);
	held = ctx_hold(once);
	assert_null(held->paths);
	assert_null(held->sigcache);
	ctx_release(once, held);
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < 2; i++) {
			struct mtls_verdict *a = mtls_verify(once, req[i]);
			struct mtls_verdict *b = mtls_verify(ctx, req[i]);

			assert_int_equal(mtls_verdict_accepted(a), i == 0);
			assert_same_verdict(a, b);
			mtls_verdict_free(a);
			mtls_verdict_free(b);
		}
	for (size_t i = 0; i < 2; i++)
		mtls_request_free(req[i]);
	tpki_free(stranger);
	gnutls_x509_privkey_deinit(other_key);
	mtls_config_free(cfg);
	mtls_ctx_free(once);
	mtls_ctx_free(ctx);
}

static void
ignore_report(void *arg, int failed, const char *line)
{
	(void)arg;
	(void)failed;
	(void)line;
}

#define CRL_SETTINGS INTERMEDIATES "revocation = { mode = \"crl\"; " \
    "crl_files = \"int.crl\"; cache_dir = \"cache\"; };"

/* Publish int.crl, listing revoked (n of them), as the CRL index. */
static void
publish(gnutls_x509_crt_t *revoked, size_t n)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t crl = tpki_crl(pki.intermediate, pki.int_key,
	    revoked, n, now - 60 + (time_t)n, now + 86400);
	struct mtls_config *cfg;

	tpki_write_crl(tpki_path("int.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	cfg = config_from_settings(CRL_SETTINGS);
	assert_int_equal(mtls_crl_update(cfg, now, ignore_report, NULL), 0);
	mtls_config_free(cfg);
}

/* A certificate revoked after its path was remembered is refused at the
 * next request: the CRL index an update publishes is read every time. */
static void
crl_revocation_is_checked_each_time(void **state)
{
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct mtls_ctx *ctx;

	(void)state;
	publish(NULL, 0);
	ctx = ctx_from_settings(CRL_SETTINGS);
	accept_until_remembered(ctx, req);
	publish(&pki.leaf, 1);
	assert_refused(verify_until(ctx, req, MTLS_R_REVOKED), MTLS_R_REVOKED,
	    "CN=alice");
	/* and refused alike by a context that never saw it */
	mtls_ctx_free(ctx);
	ctx = ctx_from_settings(CRL_SETTINGS);
	assert_refused(mtls_verify(ctx, req), MTLS_R_REVOKED, "CN=alice");
	mtls_ctx_free(ctx);
	mtls_request_free(req);
}

/*
 * The OCSP answer in memory is looked up by what the first request
 * learnt of the certificate: a revoked answer that arrives later is
 * found there.  (Nothing listens on port 1: the first answer is the soft
 * failure.)
 */
static void
ocsp_revocation_is_checked_each_time(void **state)
{
	struct mtls_ctx *ctx = ctx_from_settings(INTERMEDIATES "revocation = { "
	    "mode = \"ocsp\"; ocsp_url = \"http://127.0.0.1:1/\"; "
	    "ocsp_soft_fail = true; };");
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct ocsp_answer answer = { GNUTLS_OCSP_CERT_REVOKED,
	    time(NULL) - 60, GNUTLS_X509_CRLREASON_KEYCOMPROMISE,
	    time(NULL) + 3600 };
	unsigned char key[PATHCACHE_KEY_LEN];
	const struct pathcache_entry *entry;
	struct ctx_state *held;
	struct mtls_verdict *v;

	(void)state;
	v = mtls_verify(ctx, req);
	assert_int_equal(mtls_verdict_revocation_source(v),
	    MTLS_REVSRC_SOFT_FAIL);
	mtls_verdict_free(v);
	accept_until_remembered(ctx, req);

	/* what an answer from the responder would have put there */
	held = ctx_hold(ctx);
	assert_true(pathcache_key(req, key));
	entry = pathcache_get(held->paths, key);
	assert_non_null(entry);
	assert_true(entry->ocsp.set);
	ocsp_cache_put(held->ocsp, entry->ocsp.key, &answer, NULL, 0);
	pathcache_release(held->paths, entry);
	ctx_release(ctx, held);

	v = mtls_verify(ctx, req);
	assert_int_equal(mtls_verdict_revocation_source(v),
	    MTLS_REVSRC_OCSP_CACHED);
	assert_refused(v, MTLS_R_REVOKED, "CN=alice");
	mtls_request_free(req);
	mtls_ctx_free(ctx);
}

/* A certificate that expires after its path was remembered is refused
 * once it has: validity is checked at the time of each request. */
static void
expiry_is_checked_each_time(void **state)
{
	time_t now = time(NULL);
	gnutls_x509_crt_t brief = tpki_new("CN=dave", pki.leaf_key, 0);
	struct mtls_ctx *ctx = ctx_from_settings(INTERMEDIATES);
	struct mtls_request *req;

	(void)state;
	tpki_make_client(brief);
	tpki_set_validity(brief, now - 60, now + 2);
	tpki_sign(brief, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	req = request_crts(&brief, 1);
	accept_until_remembered(ctx, req);
	while (time(NULL) <= now + 2)
		usleep(100 * 1000);
	assert_refused(mtls_verify(ctx, req), MTLS_R_EXPIRED, "CN=dave");
	mtls_request_free(req);
	mtls_ctx_free(ctx);
	tpki_free(brief);
}

/* A reload starts from nothing remembered: the new policy decides. */
static void
reload_forgets_every_path(void **state)
{
	struct mtls_ctx *ctx = ctx_from_settings(INTERMEDIATES);
	struct mtls_request *req = request_crts(&pki.leaf, 1);
	struct mtls_config *cfg;

	(void)state;
	accept_until_remembered(ctx, req);
	cfg = config_from_settings(INTERMEDIATES
	    "policy = { purpose = \"server\"; };");
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	assert_false(remembered(ctx, req));
	assert_refused(mtls_verify(ctx, req), MTLS_R_PURPOSE, "CN=alice");
	mtls_config_free(cfg);
	mtls_request_free(req);
	mtls_ctx_free(ctx);
}

/*
 * More distinct inputs than the cache has slots (the same certificate,
 * followed by more and more blank lines), verified by several threads:
 * entries are replaced while others hold them, and every verdict stays
 * an acceptance.  Workers only count; the main thread asserts.
 */
enum { THREADS = 4, VARIANTS = PATHCACHE_SLOTS + 200, ROUNDS = 2 };

struct worker {
	struct mtls_ctx *ctx;
	struct mtls_request **reqs;
	unsigned first;
	unsigned accepted;
};

static void *
verify_variants(void *arg)
{
	struct worker *w = arg;

	for (unsigned i = 0; i < ROUNDS * VARIANTS; i++) {
		struct mtls_verdict *v = mtls_verify(w->ctx,
		    w->reqs[(w->first + i) % VARIANTS]);

		w->accepted += (unsigned)mtls_verdict_accepted(v);
		mtls_verdict_free(v);
	}
	return NULL;
}

static void
threads_share_a_bounded_cache(void **state)
{
	struct mtls_ctx *ctx = ctx_from_settings(INTERMEDIATES);
	struct mtls_request **reqs = calloc(VARIANTS, sizeof(*reqs));
	pthread_t tid[THREADS];
	struct worker w[THREADS];
	unsigned char *pem, *padded;
	size_t len;

	(void)state;
	pem = tpki_pem(pki.leaf, &len);
	padded = malloc(len + VARIANTS);
	assert_non_null(reqs);
	assert_non_null(padded);
	memcpy(padded, pem, len);
	memset(padded + len, '\n', VARIANTS);
	for (unsigned i = 0; i < VARIANTS; i++) {
		reqs[i] = mtls_request_new();
		assert_int_equal(mtls_request_set_cert(reqs[i], padded,
		    len + i), 0);
	}
	for (unsigned i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ ctx, reqs, i * (VARIANTS / THREADS),
		    0 };
		assert_int_equal(pthread_create(&tid[i], NULL,
		    verify_variants, &w[i]), 0);
	}
	for (unsigned i = 0; i < THREADS; i++) {
		pthread_join(tid[i], NULL);
		assert_int_equal(w[i].accepted, ROUNDS * VARIANTS);
	}
	for (unsigned i = 0; i < VARIANTS; i++)
		mtls_request_free(reqs[i]);
	free(reqs);
	free(pem);
	free(padded);
	mtls_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_verdicts_with_and_without_the_cache),
		cmocka_unit_test(one_shot_context_gives_the_same_verdicts),
		cmocka_unit_test(crl_revocation_is_checked_each_time),
		cmocka_unit_test(ocsp_revocation_is_checked_each_time),
		cmocka_unit_test(expiry_is_checked_each_time),
		cmocka_unit_test(reload_forgets_every_path),
		cmocka_unit_test(threads_share_a_bounded_cache),
	};

	return cmocka_run_group_tests(tests, setup, pki_teardown);
}
