/*
 * bench_ocsp CONFIG CERT CERT...: what OCSP costs one verification, in
 * process, against a real responder.
 *
 * CONFIG (mtls.conf(5)) names the CA, revocation.mode "ocsp", the
 * responder (revocation.ocsp_url) and an empty revocation.cache_dir; each
 * CERT is a client certificate of that CA which the responder knows as
 * good.  revocation_bench.sh sets this up with `openssl ocsp` on loopback.
 * Prints the time of one mtls_verify():
 *   - with a fresh responder round trip: each CERT after the first is
 *     verified once, so each one costs a request, an HTTP POST, the
 *     response's verification and its caching (the first CERT warms up
 *     what any first connection sets up);
 *   - with the answer cached in memory, as a long-running process (the
 *     OpenVPN plugin) verifies a client it has seen before;
 *   - without revocation, the reference for both;
 *   - in a fresh context per verification, with the answer read back from
 *     cache_dir (root only writes it there) and without revocation: what
 *     each short-lived PAM process pays.
 * Audit lines are off: they cost the same whatever revocation does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "benchclock.h"
#include "mtls.h"

#define ROUNDS 3
#define CACHED_RUNS 1000
#define CONTEXT_RUNS 100

static struct mtls_config *
load_config(const char *path, const char *mode)
{
	struct mtls_config *cfg = mtls_config_new();

	if (cfg == NULL)
		abort();
	if (mtls_config_load_file(cfg, path, NULL) != 0 ||
	    mtls_config_set_revocation_mode(cfg, mode) != 0) {
		fprintf(stderr, "bench_ocsp: %s\n", mtls_config_error(cfg));
		exit(2);
	}
	mtls_config_set_audit(cfg, 0);
	return cfg;
}

static struct mtls_ctx *
make_ctx(const struct mtls_config *cfg)
{
	struct mtls_ctx *ctx = mtls_ctx_new();

	if (ctx == NULL)
		abort();
	if (mtls_ctx_configure(ctx, cfg) != 0) {
		fprintf(stderr, "bench_ocsp: %s\n", mtls_ctx_error(ctx));
		exit(2);
	}
	return ctx;
}

/* One verification, which must accept: a rejection would time nothing. */
static void
verify_once(struct mtls_ctx *ctx, const gnutls_datum_t *cert)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;

	if (req == NULL || mtls_request_set_cert(req, cert->data,
	    cert->size) != 0 || (v = mtls_verify(ctx, req)) == NULL)
		abort();
	if (!mtls_verdict_accepted(v)) {
		fprintf(stderr, "bench_ocsp: rejected: %s: %s\n",
		    mtls_reason_name(mtls_verdict_reason(v)),
		    mtls_verdict_explanation(v));
		exit(2);
	}
	mtls_verdict_free(v);
	mtls_request_free(req);
}

/* Where the verifications of one measurement get their context. */
struct way {
	struct mtls_ctx *ctx;		/* this one for all, or when NULL */
	const struct mtls_config *cfg;	/* one of its own each, from this */
};

/* Seconds per verification of cert, over runs of them. */
static double
per_verification(const struct way *w, const gnutls_datum_t *cert, int runs)
{
	double t0 = bench_now();

	for (int i = 0; i < runs; i++) {
		struct mtls_ctx *ctx = w->ctx;

		if (ctx == NULL)
			ctx = make_ctx(w->cfg);
		verify_once(ctx, cert);
		if (w->ctx == NULL)
			mtls_ctx_free(ctx);
	}
	return (bench_now() - t0) / runs;
}

/*
 * a and b alternated, ROUNDS rounds of runs each, and the best round of
 * each kept: a busy moment on a shared machine does not count against
 * one alone.
 */
static void
best_of_rounds(const struct way *a, const struct way *b,
    const gnutls_datum_t *cert, int runs, double *ta, double *tb)
{
	*ta = *tb = 1e9;
	for (int round = 0; round < ROUNDS; round++) {
		double t;

		if ((t = per_verification(a, cert, runs)) < *ta)
			*ta = t;
		if ((t = per_verification(b, cert, runs)) < *tb)
			*tb = t;
	}
}

/*
 * A long-running process: one context, each client's first verification
 * asks the responder, the next ones find the answer in memory.
 */
static void
bench_one_context(const struct mtls_config *ocsp,
    const struct mtls_config *none, const gnutls_datum_t *certs, int ncerts)
{
	struct mtls_ctx *ctx = make_ctx(ocsp), *plain = make_ctx(none);
	struct way cached_way = { ctx, NULL }, plain_way = { plain, NULL };
	double fresh, cached, without;

	verify_once(ctx, &certs[0]);
	fresh = bench_now();
	for (int i = 1; i < ncerts; i++)
		verify_once(ctx, &certs[i]);
	fresh = (bench_now() - fresh) / (ncerts - 1);
	best_of_rounds(&cached_way, &plain_way, &certs[1], CACHED_RUNS,
	    &cached, &without);
	printf("  one context (long-running process):\n"
	    "    fresh responder round trip  %7.0f us  (mean of %d clients)\n"
	    "    answer cached in memory     %7.0f us  (best of %d x %d)\n"
	    "    no revocation               %7.0f us\n"
	    "    fresh / cached %.1fx, cached / no revocation %.2fx\n",
	    fresh * 1e6, ncerts - 1, cached * 1e6, ROUNDS, CACHED_RUNS,
	    without * 1e6, fresh / cached, cached / without);
	mtls_ctx_free(ctx);
	mtls_ctx_free(plain);
}

/* Short-lived processes: a context each, the answer on disk. */
static void
bench_context_each(const struct mtls_config *ocsp,
    const struct mtls_config *none, const gnutls_datum_t *cert)
{
	struct way disk_way = { NULL, ocsp }, plain_way = { NULL, none };
	double disk, without;

	if (geteuid() != 0) {
		printf("  disk cache not measured: only root writes it\n");
		return;
	}
	best_of_rounds(&disk_way, &plain_way, cert, CONTEXT_RUNS, &disk,
	    &without);
	printf("  a context per verification (PAM process):\n"
	    "    answer read from disk cache %7.0f us  (best of %d x %d)\n"
	    "    no revocation               %7.0f us\n"
	    "    disk cached / no revocation %.2fx\n", disk * 1e6,
	    ROUNDS, CONTEXT_RUNS, without * 1e6, disk / without);
}

int
main(int argc, char *argv[])
{
	struct mtls_config *ocsp, *none;
	gnutls_datum_t *certs;
	int ncerts = argc - 2;

	if (argc < 4) {
		fputs("usage: bench_ocsp CONFIG CERT CERT...\n", stderr);
		return 2;
	}
	if ((certs = calloc((size_t)ncerts, sizeof(*certs))) == NULL)
		abort();
	for (int i = 0; i < ncerts; i++)
		if (gnutls_load_file(argv[2 + i], &certs[i]) < 0) {
			fprintf(stderr, "bench_ocsp: cannot read %s\n",
			    argv[2 + i]);
			return 2;
		}
	ocsp = load_config(argv[1], "ocsp");
	none = load_config(argv[1], "none");
	printf("OCSP, in process, time of one verification (audit off):\n");
	bench_one_context(ocsp, none, certs, ncerts);
	bench_context_each(ocsp, none, &certs[1]);
	mtls_config_free(ocsp);
	mtls_config_free(none);
	for (int i = 0; i < ncerts; i++)
		gnutls_free(certs[i].data);
	free(certs);
	return 0;
}
