/*
 * bench_crl_rollover - what a CRL signed by another key of the issuing CA
 * (crl_signer.h), or a delta CRL beside the complete one, costs a
 * verification, against a CA of one key and its complete CRL alone, in
 * the same run, as ratios.
 *
 * One verifier each, long-lived as a server's, verifying a client
 * certificate that sends its leaf alone (the intermediates configured),
 * with a CRL required for it, from the CRL files and from the index
 * "mtls crl update" publishes:
 *   one key   the intermediate's own CRL covers alice: the normal path,
 *             where no other key is looked for;
 *   rollover  the intermediate was renewed with a new key, which signs
 *             the CRL: alice, of the old key, is covered by it once the
 *             renewed certificate is found to vouch for it, at every
 *             verification;
 *   both CRLs carol, of the new key, with the old key's last CRL still
 *             configured beside the new one: the old one makes the old
 *             key's certificate be judged as its signer too;
 *   delta     the intermediate's CRL and a delta CRL of it (RFC 5280,
 *             5.2.4) cover alice: both are read, against the normal
 *             path, which, with no delta CRL configured, must not pay
 *             for delta CRLs at all.
 * Targets: a rollover costs at most 1.5 times the normal path, and the
 * normal path from the index no more than from the files (the index is
 * there for CRLs too large to parse, and every door reads it).
 *
 * The verifiers take turns, ROUNDS rounds, so that a busy moment of a
 * shared machine falls on all alike; each ratio is taken round by round
 * and its median given, with the lowest and highest.  ECDSA P-256 keys.
 * A benchmark: it prints, and fails nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>

#include "benchclock.h"
#include "mtls.h"
#include "testpki.h"

#define SECONDS_PER_RUN 0.25
#define ROUNDS 7
#define ROLLOVER 1.5
#define INDEX_OVER_FILES 1.0

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

/*
 * A delta CRL of old.crl (CRL number 1, tpki_crl()), signed by the old
 * key, listing one serial that is not alice's.
 */
static void
write_delta_crl(void)
{
	static const unsigned char serial[] = { 0x0d, 0xe1, 0x7a };
	FILE *db = fopen(tpki_path("delta.db"), "w");
	gnutls_x509_crl_t crl;

	if (db == NULL)
		abort();
	tpki_db_revoked(db, serial, sizeof(serial));
	fclose(db);
	/* OpenSSL has no configuration syntax for it but the raw one */
	crl = tpki_openssl_crl(pki.old_ca, pki.old_key, tpki_path("delta.db"),
	    "2.5.29.27 = critical, ASN1:INTEGER:1\n");
	tpki_write_crl(tpki_path("old-delta.crl"), crl);
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
	write_delta_crl();
}

/*
 * A verifier of the intermediates and CRL files named, from the files
 * alone, or from an index of them that "mtls crl update" published.
 */
static struct mtls_ctx *
make_ctx(const char *intermediates, const char *crls, int index)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	char text[2048], cache[512];
	static int n;

	snprintf(cache, sizeof(cache), "%s%d", tpki_path("cache"), n++);
	snprintf(text, sizeof(text), "ca_file = \"%s\";\n"
	    "intermediates_file = \"%s\";\n"
	    "audit = false;\n"
	    "revocation = {\n"
	    "  mode = \"crl\";\n"
	    "  crl_files = [%s];\n"
	    "  cache_dir = \"%s\";\n"
	    "};\n", tpki_path("root.pem"), tpki_path(intermediates), crls,
	    cache);
	tpki_write_data(tpki_path("mtls.conf"), text, strlen(text));
	if (cfg == NULL || ctx == NULL ||
	    mtls_config_load_file(cfg, tpki_path("mtls.conf"), NULL) != 0 ||
	    (!index && mtls_config_set_crl_index(cfg, NULL) != 0) ||
	    (index && mtls_crl_update(cfg, time(NULL), NULL, NULL) != 0) ||
	    mtls_ctx_configure(ctx, cfg) != 0) {
		fprintf(stderr, "bench_crl_rollover: %s\n",
		    cfg != NULL ? mtls_config_error(cfg) : "out of memory");
		if (ctx != NULL && mtls_ctx_error(ctx)[0] != '\0')
			fprintf(stderr, "bench_crl_rollover: %s\n",
			    mtls_ctx_error(ctx));
		exit(2);
	}
	mtls_config_free(cfg);
	return ctx;
}

static int
verify_once(struct mtls_ctx *ctx, const unsigned char *pem, size_t len,
    enum mtls_revocation_source source)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;
	int ok;

	if (req == NULL || mtls_request_set_cert(req, pem, len) != 0)
		abort();
	v = mtls_verify(ctx, req);
	ok = mtls_verdict_accepted(v) &&
	    mtls_verdict_revocation_source(v) == source;
	if (!ok)
		fprintf(stderr, "bench_crl_rollover: %s: %s\n",
		    mtls_reason_name(mtls_verdict_reason(v)),
		    mtls_verdict_explanation(v));
	mtls_verdict_free(v);
	mtls_request_free(req);
	return ok;
}

/* One verifier, what it verifies, and its rate each round. */
struct side {
	const char *name;
	const char *intermediates;
	const char *crls;
	int index;
	int carol;		/* verifies carol; alice otherwise */
	int base;		/* the side its ratio is against; -1: none */
	double target;		/* the most that ratio may be; 0: none */
	struct mtls_ctx *ctx;
	gnutls_x509_crt_t leaf;
	double rate[ROUNDS];
};

/* Verifications per second; every one must be accepted, by its CRL. */
static double
rate(const struct side *side)
{
	enum mtls_revocation_source source = side->index ?
	    MTLS_REVSRC_CRL_INDEX : MTLS_REVSRC_CRL_FILE;
	size_t len;
	unsigned char *pem = tpki_pem(side->leaf, &len);
	double start = bench_now(), t;
	long n = 0;

	do {
		for (int i = 0; i < 50; i++, n++)
			if (!verify_once(side->ctx, pem, len, source))
				exit(2);
	} while ((t = bench_now() - start) < SECONDS_PER_RUN);
	free(pem);
	return (double)n / t;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), double_cmp);
	return v[ROUNDS / 2];
}

/* A side's median rate and, against its base, its ratio round by round. */
static void
report(const struct side *side, const struct side *base)
{
	double ratio[ROUNDS], rates[ROUNDS];
	double r;

	memcpy(rates, side->rate, sizeof(rates));
	printf("%-28s %8.0f/s", side->name, median(rates));
	if (base == NULL) {
		printf("\n");
		return;
	}
	for (int i = 0; i < ROUNDS; i++)
		ratio[i] = base->rate[i] / side->rate[i];
	r = median(ratio);
	printf("  ratio %.2f (rounds %.2f-%.2f)", r, ratio[0],
	    ratio[ROUNDS - 1]);
	if (side->target > 0)
		printf(" target <= %.1f: %s", side->target,
		    r <= side->target ? "met" : "NOT met");
	printf("\n");
}

int
main(void)
{
	/* two CRLs of one CA to read, or a delta CRL: no target; the index
	 * of one key's CRL right after its files, a moment of the machine
	 * apart */
	struct side sides[] = {
		{ "CRL of one key, files", "old.pem", "\"old.crl\"", 0, 0, -1,
		    0, NULL, NULL, { 0 } },
		{ "CRL of one key, index", "old.pem", "\"old.crl\"", 1, 0, 0,
		    INDEX_OVER_FILES, NULL, NULL, { 0 } },
		{ "renewed key's CRL, files", "both.pem", "\"new.crl\"", 0, 0,
		    0, ROLLOVER, NULL, NULL, { 0 } },
		{ "both keys' CRLs, files", "both.pem",
		    "\"old.crl\", \"new.crl\"", 0, 1, 0, 0, NULL, NULL, { 0 } },
		{ "with its delta CRL, files", "old.pem",
		    "\"old.crl\", \"old-delta.crl\"", 0, 0, 0, 0, NULL, NULL,
		    { 0 } },
		{ "renewed key's CRL, index", "both.pem", "\"new.crl\"", 1, 0,
		    1, ROLLOVER, NULL, NULL, { 0 } },
		{ "with its delta CRL, index", "old.pem",
		    "\"old.crl\", \"old-delta.crl\"", 1, 0, 1, 0, NULL, NULL,
		    { 0 } },
	};
	const size_t nsides = sizeof(sides) / sizeof(sides[0]);

	make_pki();
	for (size_t i = 0; i < nsides; i++) {
		sides[i].ctx = make_ctx(sides[i].intermediates, sides[i].crls,
		    sides[i].index);
		sides[i].leaf = sides[i].carol ? pki.carol : pki.alice;
	}
	for (int round = 0; round < ROUNDS; round++)
		for (size_t i = 0; i < nsides; i++)
			sides[i].rate[round] = rate(&sides[i]);
	for (size_t i = 0; i < nsides; i++) {
		report(&sides[i], sides[i].base >= 0 ?
		    &sides[sides[i].base] : NULL);
		mtls_ctx_free(sides[i].ctx);
	}
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
