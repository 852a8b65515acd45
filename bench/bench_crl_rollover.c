/*
 * bench_crl_rollover - what a CRL signed by another key of the issuing CA
 * costs a verification (crl_signer.h), against a CA of one key, in the
 * same run, as ratios.
 *
 * One verifier each, long-lived as a server's, verifying a client
 * certificate that sends its leaf alone (the intermediates configured),
 * with a CRL required for it:
 *   one key   the intermediate's own CRL covers alice: the normal path,
 *             where no other key is looked for;
 *   rollover  the intermediate was renewed with a new key, which signs
 *             the CRL: alice, of the old key, is covered by it once the
 *             renewed certificate's path is judged, at every
 *             verification;
 *   both CRLs carol, of the new key, with the old key's last CRL still
 *             configured beside the new one: the old one makes the old
 *             key's certificate be judged as its signer too.
 * ECDSA P-256 keys.  A benchmark: it prints the rates and the ratios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gnutls/gnutls.h>

#include "benchclock.h"
#include "mtls.h"
#include "testpki.h"

#define SECONDS_PER_RUN 0.5
#define ROUNDS 5

static struct {
	gnutls_x509_privkey_t root_key, old_key, new_key, leaf_key;
	gnutls_x509_crt_t root, old_ca, new_ca, alice, carol;
} pki;

static gnutls_x509_crt_t
issue(const char *dn, gnutls_x509_privkey_t key, int ca,
    gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key)
{
	gnutls_x509_crt_t crt = tpki_new(dn, key, 0);

	if (ca)
		tpki_make_ca(crt, 0);
	else
		tpki_make_client(crt);
	tpki_sign(crt, issuer, issuer_key, GNUTLS_DIG_SHA256);
	return crt;
}

static void
write_crl(const char *name, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key)
{
	time_t now = time(NULL);
	gnutls_x509_crl_t crl = tpki_crl(issuer, key, NULL, 0, now - 60,
	    now + 86400);

	tpki_write_crl(tpki_path(name), crl);
	gnutls_x509_crl_deinit(crl);
}

static void
make_pki(void)
{
	gnutls_x509_crt_t both[2];

	pki.root_key = tpki_key_ec();
	pki.old_key = tpki_key_ec();
	pki.new_key = tpki_key_ec();
	pki.leaf_key = tpki_key_ec();
	pki.root = tpki_self_signed_ca("CN=Bench Root", pki.root_key);
	pki.old_ca = issue("CN=Bench Intermediate", pki.old_key, 1, pki.root,
	    pki.root_key);
	pki.new_ca = issue("CN=Bench Intermediate", pki.new_key, 1, pki.root,
	    pki.root_key);
	pki.alice = issue("CN=alice", pki.leaf_key, 0, pki.old_ca,
	    pki.old_key);
	pki.carol = issue("CN=carol", pki.leaf_key, 0, pki.new_ca,
	    pki.new_key);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("old.pem"), &pki.old_ca, 1);
	both[0] = pki.old_ca;
	both[1] = pki.new_ca;
	tpki_write(tpki_path("both.pem"), both, 2);
	write_crl("old.crl", pki.old_ca, pki.old_key);
	write_crl("new.crl", pki.new_ca, pki.new_key);
}

static struct mtls_ctx *
make_ctx(const char *intermediates, const char *crl, const char *crl2)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	mtls_config_set_audit(cfg, 0);
	if (mtls_config_add_ca_file(cfg, tpki_path("root.pem")) != 0 ||
	    mtls_config_add_intermediates_file(cfg,
	    tpki_path(intermediates)) != 0 ||
	    mtls_config_set_revocation_mode(cfg, "crl") != 0 ||
	    mtls_config_set_crl_index(cfg, NULL) != 0 ||
	    mtls_config_add_crl_file(cfg, tpki_path(crl)) != 0 ||
	    (crl2 != NULL && mtls_config_add_crl_file(cfg,
	    tpki_path(crl2)) != 0) ||
	    mtls_ctx_configure(ctx, cfg) != 0) {
		fprintf(stderr, "bench_crl_rollover: %s\n",
		    mtls_ctx_error(ctx));
		exit(2);
	}
	mtls_config_free(cfg);
	return ctx;
}

static int
verify_once(struct mtls_ctx *ctx, const unsigned char *pem, size_t len)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	int ok;

	if (req == NULL || mtls_request_set_cert(req, pem, len) != 0)
		abort();
	v = mtls_verify(ctx, req);
	ok = mtls_verdict_accepted(v) &&
	    mtls_verdict_revocation_source(v) == MTLS_REVSRC_CRL_FILE;
	if (!ok)
		fprintf(stderr, "bench_crl_rollover: %s: %s\n",
		    mtls_reason_name(mtls_verdict_reason(v)),
		    mtls_verdict_explanation(v));
	mtls_verdict_free(v);
	mtls_request_free(req);
	return ok;
}

/* Verifications per second; every one must be accepted, by its CRL. */
static double
rate(struct mtls_ctx *ctx, gnutls_x509_crt_t leaf)
{
	size_t len;
	unsigned char *pem = tpki_pem(leaf, &len);
	double start = bench_now(), t;
	long n = 0;

	do {
		for (int i = 0; i < 50; i++, n++)
			if (!verify_once(ctx, pem, len))
				exit(2);
	} while ((t = bench_now() - start) < SECONDS_PER_RUN);
	free(pem);
	return (double)n / t;
}

int
main(void)
{
	struct mtls_ctx *one, *rolled, *both;
	double r1 = 0, r2 = 0, r3 = 0, r;

	make_pki();
	one = make_ctx("old.pem", "old.crl", NULL);
	rolled = make_ctx("both.pem", "new.crl", NULL);
	both = make_ctx("both.pem", "old.crl", "new.crl");
	/* Alternate the sides and keep each side's best round, so a busy
	 * moment on the machine does not count against one side alone. */
	for (int round = 0; round < ROUNDS; round++) {
		if ((r = rate(one, pki.alice)) > r1)
			r1 = r;
		if ((r = rate(rolled, pki.alice)) > r2)
			r2 = r;
		if ((r = rate(both, pki.carol)) > r3)
			r3 = r;
	}
	printf("CRL of one key      %8.0f/s\n", r1);
	printf("renewed key's CRL   %8.0f/s (ratio %.2f)\n", r2, r1 / r2);
	printf("both keys' CRLs     %8.0f/s (ratio %.2f)\n", r3, r1 / r3);
	mtls_ctx_free(one);
	mtls_ctx_free(rolled);
	mtls_ctx_free(both);
	tpki_free(pki.root);
	tpki_free(pki.old_ca);
	tpki_free(pki.new_ca);
	tpki_free(pki.alice);
	tpki_free(pki.carol);
	gnutls_x509_privkey_deinit(pki.root_key);
	gnutls_x509_privkey_deinit(pki.old_key);
	gnutls_x509_privkey_deinit(pki.new_key);
	gnutls_x509_privkey_deinit(pki.leaf_key);
	return 0;
}
