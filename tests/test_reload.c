/*
 * Reload without stopping: a long-running door (the OpenVPN plugin on
 * SIGHUP, mtls serve) configures its context again while other threads
 * verify on it.  Verifications finish with the configuration they started
 * with, later ones use the new one, and a reload that fails keeps the old.
 *
 * Worker threads only count what they saw; every assertion is made by the
 * main thread after joining them, so that the test means the same under
 * ThreadSanitizer.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

static unsigned char *leaf_pem;
static size_t leaf_len;

static int
setup(void **state)
{
	pki_setup(state);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);
	leaf_pem = tpki_pem(pki.leaf, &leaf_len);
	return 0;
}

static int
teardown(void **state)
{
	free(leaf_pem);
	return pki_teardown(state);
}

/*
 * Two configurations alice's certificate tells apart: "alice" maps her
 * by commonName and accepts her; "server" wants a TLS server certificate
 * and rejects her with reason purpose.
 */
static struct mtls_config *
config_named(const char *which)
{
	struct mtls_config *cfg = mtls_config_new();

	assert_non_null(cfg);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	assert_int_equal(mtls_config_add_intermediates_file(cfg,
	    tpki_path("int.pem")), 0);
	if (strcmp(which, "server") == 0)
		assert_int_equal(mtls_config_set_purpose(cfg,
		    MTLS_PURPOSE_SERVER), 0);
	return cfg;
}

static void
configure(struct mtls_ctx *ctx, const char *which)
{
	struct mtls_config *cfg = config_named(which);

	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure %s: %s", which, mtls_ctx_error(ctx));
	mtls_config_free(cfg);
}

static enum mtls_reason
reason_for_alice(struct mtls_ctx *ctx)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	enum mtls_reason reason;

	if (req == NULL || mtls_request_set_cert(req, leaf_pem, leaf_len) != 0)
		abort();
	v = mtls_verify(ctx, req);
	reason = mtls_verdict_reason(v);
	mtls_verdict_free(v);
	mtls_request_free(req);
	return reason;
}

static void
reload_switches_the_configuration(void **state)
{
	struct mtls_ctx *ctx = mtls_ctx_new();

	(void)state;
	assert_int_equal(reason_for_alice(ctx), MTLS_R_INTERNAL);
	configure(ctx, "alice");
	assert_int_equal(reason_for_alice(ctx), MTLS_R_OK);
	configure(ctx, "server");
	assert_int_equal(reason_for_alice(ctx), MTLS_R_PURPOSE);
	configure(ctx, "alice");
	assert_int_equal(reason_for_alice(ctx), MTLS_R_OK);
	mtls_ctx_free(ctx);
}

/* A broken new configuration is reported, and the old one keeps serving. */
static void
failed_reload_keeps_the_old_configuration(void **state)
{
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_config *broken = config_named("server");

	(void)state;
	configure(ctx, "alice");
	assert_int_equal(mtls_config_add_ca_file(broken,
	    tpki_path("no-such-ca.pem")), 0);
	assert_int_equal(mtls_ctx_configure(ctx, broken), -1);
	assert_contains(mtls_ctx_error(ctx), "no-such-ca.pem");
	assert_int_equal(reason_for_alice(ctx), MTLS_R_OK);

	/* a good reload afterwards clears the error */
	configure(ctx, "server");
	assert_null(mtls_ctx_error(ctx));
	assert_int_equal(reason_for_alice(ctx), MTLS_R_PURPOSE);
	mtls_config_free(broken);
	mtls_ctx_free(ctx);
}

enum { WORKERS = 3, RELOADS = 40 };

struct worker {
	struct mtls_ctx *ctx;
	atomic_bool *stop;
	atomic_uint *verdicts;	/* of all workers, for the main thread */
	unsigned accepted;	/* under "alice" */
	unsigned purpose;	/* under "server" */
	unsigned other;		/* anything else: a torn configuration */
};

static void *
verify_until_stopped(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(w->stop)) {
		switch (reason_for_alice(w->ctx)) {
		case MTLS_R_OK:
			w->accepted++;
			break;
		case MTLS_R_PURPOSE:
			w->purpose++;
			break;
		default:
			w->other++;
			break;
		}
		atomic_fetch_add(w->verdicts, 1);
	}
	return NULL;
}

/*
 * Until a worker has given one more verdict than SEEN: on a loaded
 * machine the workers may not run at all before the main thread is done
 * reloading, and then nothing would have run while a reload did.
 */
static unsigned
wait_for_a_verdict(atomic_uint *verdicts, unsigned seen)
{
	unsigned now;

	while ((now = atomic_load(verdicts)) == seen)
		sched_yield();
	return now;
}

/*
 * Threads verify without pause while the main thread reloads, each reload
 * after at least one more verdict: every verdict is that of one whole
 * configuration or the other, and nothing is used after it is freed (the
 * sanitizer builds would say).
 */
static void
reload_while_verifications_run(void **state)
{
	struct mtls_ctx *ctx = mtls_ctx_new();
	struct mtls_config *alice = config_named("alice");
	struct mtls_config *server = config_named("server");
	pthread_t tid[WORKERS];
	struct worker w[WORKERS];
	atomic_bool stop = false;
	atomic_uint verdicts = 0;
	unsigned seen = 0, accepted = 0, purpose = 0, other = 0;
	int failed_reloads = 0;

	(void)state;
	configure(ctx, "alice");
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ ctx, &stop, &verdicts, 0, 0, 0 };
		assert_int_equal(pthread_create(&tid[i], NULL,
		    verify_until_stopped, &w[i]), 0);
	}
	for (int i = 0; i < RELOADS; i++) {
		seen = wait_for_a_verdict(&verdicts, seen);
		if (mtls_ctx_configure(ctx, i % 2 == 0 ? server : alice) != 0)
			failed_reloads++;
	}
	atomic_store(&stop, true);
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(tid[i], NULL);
		accepted += w[i].accepted;
		purpose += w[i].purpose;
		other += w[i].other;
	}
	assert_int_equal(failed_reloads, 0);
	assert_int_equal(other, 0);
	assert_true(accepted + purpose > 0);
	/* RELOADS is even: the last reload is to "alice" */
	assert_int_equal(reason_for_alice(ctx), MTLS_R_OK);
	mtls_config_free(alice);
	mtls_config_free(server);
	mtls_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reload_switches_the_configuration),
		cmocka_unit_test(failed_reload_keeps_the_old_configuration),
		cmocka_unit_test(reload_while_verifications_run),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
