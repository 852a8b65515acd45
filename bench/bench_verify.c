/*
 * bench_verify - verifications per second of libmtls against plain GnuTLS
 * on the same three-level chain, in the same run, as a ratio.
 *
 * Both sides do what a server does per login: parse the PEM the client
 * sent (leaf and intermediate) and verify it against the trusted root.
 * libmtls also builds the path, applies RFC 5280 and policy, and maps the
 * user; the ratio is what that costs.  Target: at most 1.2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#endif

#include "benchclock.h"
#include "mtls.h"
#include "testpki.h"

#define SECONDS_PER_RUN 0.5

struct pki {
	const char *name;
	gnutls_x509_crt_t root, intermediate, leaf;
	unsigned char *sent;	/* leaf + intermediate, PEM */
	size_t sent_len;
};

static void
make_pki(struct pki *p, const char *name, gnutls_x509_privkey_t (*key)(void))
{
	gnutls_x509_privkey_t rk = key(), ik = key(), lk = key();
	unsigned char *a, *b;
	size_t alen, blen;

	p->name = name;
	p->root = tpki_new("CN=Bench Root", rk, 0);
	tpki_make_ca(p->root, -1);
	tpki_sign(p->root, NULL, rk, GNUTLS_DIG_SHA256);
	p->intermediate = tpki_new("CN=Bench Intermediate", ik, 0);
	tpki_make_ca(p->intermediate, 0);
	tpki_sign(p->intermediate, p->root, rk, GNUTLS_DIG_SHA256);
	p->leaf = tpki_new("CN=bench", lk, 0);
	tpki_make_client(p->leaf);
	tpki_sign(p->leaf, p->intermediate, ik, GNUTLS_DIG_SHA256);

	a = tpki_pem(p->leaf, &alen);
	b = tpki_pem(p->intermediate, &blen);
	p->sent = malloc(alen + blen);
	if (p->sent == NULL)
		abort();
	memcpy(p->sent, a, alen);
	memcpy(p->sent + alen, b, blen);
	p->sent_len = alen + blen;
	free(a);
	free(b);
	gnutls_x509_privkey_deinit(rk);
	gnutls_x509_privkey_deinit(ik);
	gnutls_x509_privkey_deinit(lk);
}

static void
free_pki(struct pki *p)
{
	tpki_free(p->root);
	tpki_free(p->intermediate);
	tpki_free(p->leaf);
	free(p->sent);
}

static gnutls_x509_privkey_t
ec_key(void)
{
	return tpki_key_ec();
}

static gnutls_x509_privkey_t
rsa_key(void)
{
	/* fresh keys: the cache in testpki would give all three the same */
	gnutls_x509_privkey_t key;

	if (gnutls_x509_privkey_init(&key) < 0 ||
	    gnutls_x509_privkey_generate(key, GNUTLS_PK_RSA, 2048, 0) < 0)
		abort();
	return key;
}

/* One plain GnuTLS verification of what the client sent. */
static int
gnutls_once(gnutls_x509_trust_list_t tl, const struct pki *p)
{
	gnutls_datum_t in = { p->sent, (unsigned)p->sent_len };
	gnutls_x509_crt_t *crts;
	unsigned n, status = 1;

	if (gnutls_x509_crt_list_import2(&crts, &n, &in, GNUTLS_X509_FMT_PEM,
	    0) < 0)
		return 0;
	gnutls_x509_trust_list_verify_crt2(tl, crts, n, NULL, 0, 0, &status,
	    NULL);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	return status == 0;
}

static int
mtls_once(struct mtls_ctx *ctx, const struct pki *p)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	int ok;

	if (req == NULL || mtls_request_set_cert(req, p->sent, p->sent_len) != 0)
		abort();
	v = mtls_verify(ctx, req);
	ok = mtls_verdict_accepted(v);
	mtls_verdict_free(v);
	mtls_request_free(req);
	return ok;
}

static struct mtls_ctx *
make_ctx(const char *root_path, int audit)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	mtls_config_set_audit(cfg, audit);
	if (mtls_config_add_ca_file(cfg, root_path) != 0 ||
	    mtls_ctx_configure(ctx, cfg) != 0) {
		fprintf(stderr, "bench: %s\n", mtls_ctx_error(ctx));
		exit(2);
	}
	mtls_config_free(cfg);
	return ctx;
}

/* Verifications per second; every one must succeed. */
static double
rate_gnutls(gnutls_x509_trust_list_t tl, const struct pki *p)
{
	double start = bench_now(), t;
	long n = 0;

	do {
		for (int i = 0; i < 50; i++, n++)
			if (!gnutls_once(tl, p)) {
				fprintf(stderr, "bench: GnuTLS rejected\n");
				exit(2);
			}
	} while ((t = bench_now() - start) < SECONDS_PER_RUN);
	return (double)n / t;
}

static double
rate_mtls(struct mtls_ctx *ctx, const struct pki *p)
{
	double start = bench_now(), t;
	long n = 0;

	do {
		for (int i = 0; i < 50; i++, n++)
			if (!mtls_once(ctx, p)) {
				fprintf(stderr, "bench: libmtls rejected\n");
				exit(2);
			}
	} while ((t = bench_now() - start) < SECONDS_PER_RUN);
	return (double)n / t;
}

static int
bench(struct pki *p)
{
	char root_path[512];
	gnutls_x509_trust_list_t tl;
	struct mtls_ctx *quiet, *audited;
	double g, m, ma;

	snprintf(root_path, sizeof(root_path), "%s",
	    tpki_path(p->name));
	tpki_write(root_path, &p->root, 1);
	if (gnutls_x509_trust_list_init(&tl, 0) < 0 ||
	    gnutls_x509_trust_list_add_cas(tl, &p->root, 1, 0) < 0)
		abort();
	quiet = make_ctx(root_path, 0);
	audited = make_ctx(root_path, 1);

	/* Alternate the sides and keep each side's best round, so a busy
	 * moment on the machine does not count against one side alone. */
	g = m = ma = 0;
	for (int round = 0; round < 3; round++) {
		double r;

		if ((r = rate_gnutls(tl, p)) > g)
			g = r;
		if ((r = rate_mtls(quiet, p)) > m)
			m = r;
		if ((r = rate_mtls(audited, p)) > ma)
			ma = r;
	}
	printf("%-10s plain GnuTLS %8.0f/s   libmtls %8.0f/s (ratio %.2f)   "
	    "with syslog audit %8.0f/s (ratio %.2f)\n", p->name, g, m, g / m,
	    ma, g / ma);
	gnutls_x509_trust_list_deinit(tl, 0);
	mtls_ctx_free(quiet);
	mtls_ctx_free(audited);
	return g / m <= 1.2;
}

/*
 * The same verifications a fixed number of times, for counting
 * instructions (bench/instructions.sh runs this under callgrind and reads
 * the two functions' inclusive counts): unlike seconds, instruction
 * counts do not move with what else the machine is doing.  Not static,
 * not inlined, so that callgrind sees them by these names.
 */
void bench_gnutls_batch(gnutls_x509_trust_list_t tl, const struct pki *p,
    int n) __attribute__((noinline));
void bench_mtls_batch(struct mtls_ctx *ctx, const struct pki *p, int n)
    __attribute__((noinline));

void
bench_gnutls_batch(gnutls_x509_trust_list_t tl, const struct pki *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!gnutls_once(tl, p))
			abort();
}

void
bench_mtls_batch(struct mtls_ctx *ctx, const struct pki *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!mtls_once(ctx, p))
			abort();
}

static int
batches(const char *kind)
{
	struct pki p;
	gnutls_x509_trust_list_t tl;
	struct mtls_ctx *ctx;
	char root_path[512];

	if (strcmp(kind, "ecdsa") == 0)
		make_pki(&p, "ECDSA-P256", ec_key);
	else if (strcmp(kind, "rsa") == 0)
		make_pki(&p, "RSA-2048", rsa_key);
	else {
		fprintf(stderr, "usage: bench_verify [--batches ecdsa|rsa]\n");
		return 2;
	}
	snprintf(root_path, sizeof(root_path), "%s", tpki_path(p.name));
	tpki_write(root_path, &p.root, 1);
	if (gnutls_x509_trust_list_init(&tl, 0) < 0 ||
	    gnutls_x509_trust_list_add_cas(tl, &p.root, 1, 0) < 0)
		abort();
	ctx = make_ctx(root_path, 0);
	/* key generation above runs uninstrumented (--instr-atstart=no) */
	CALLGRIND_START_INSTRUMENTATION;
	bench_gnutls_batch(tl, &p, 100);
	bench_mtls_batch(ctx, &p, 100);
	gnutls_x509_trust_list_deinit(tl, 0);
	mtls_ctx_free(ctx);
	free_pki(&p);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct pki ec, rsa;
	int within;

	if (argc == 3 && strcmp(argv[1], "--batches") == 0)
		return batches(argv[2]);
	make_pki(&ec, "ECDSA-P256", ec_key);
	make_pki(&rsa, "RSA-2048", rsa_key);
	printf("verifications per second, 3-level chain, leaf and intermediate "
	    "sent as PEM, best of 3 rounds of %.1f s\n", SECONDS_PER_RUN);
	within = bench(&ec);
	within &= bench(&rsa);
	printf("target: libmtls at most 1.2x the cost of plain GnuTLS: %s\n",
	    within ? "met" : "NOT met");
	free_pki(&ec);
	free_pki(&rsa);
	return 0;
}
