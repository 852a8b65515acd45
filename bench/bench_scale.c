/*
 * bench_scale - what libmtls costs as the PKI grows, in process; each row
 * a ratio of two costs measured alternately in the same run.
 *
 *   bench_scale pki
 *	verification with 1,000 CAs in ca_file against one; with 1,000
 *	configured intermediates against none, the client sending its
 *	intermediate; and, in one long-running context, a verification
 *	against the signature checks of its path alone (the floor), for a
 *	new client certificate through a known intermediate and for the
 *	same certificate again (RSA-2048 and ECDSA P-256 chains)
 *   bench_scale crlfile ROOT INT INT_KEY CRL
 *	a CRL file read directly (no index), issued by the intermediate INT
 *	(key INT_KEY) that issues and sends the new client certificate of
 *	every verification, against no revocation; and the memory it keeps
 *   bench_scale cadir DIR N
 *	write N self-signed decoy CA files into DIR (for a whole-process
 *	ca_dir benchmark)
 *   bench_scale rss CMD...
 *	run CMD and print its peak resident memory in KiB
 *
 * Costs are medians of ROUNDS rounds, the two sides alternating, so that
 * a busy moment of a shared machine falls on both alike.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "benchclock.h"
#include "mtls.h"
#include "testpki.h"

#define ROUNDS 7
#define ROUND_SECONDS 0.1
#define MANY 1000
/* New client certificates per round of the long-running rows. */
#define FRESH 150

/* One side of a comparison: op(arg, i) once, i counting up. */
struct side {
	int (*op)(void *arg, long i);
	void *arg;
	long next;
	long limit;	/* 0: none; else ops a side may do in all */
};

static void
die(const char *what)
{
	fprintf(stderr, "bench_scale: %s\n", what);
	exit(2);
}

/* Microseconds per op over one round. */
static double
round_us(struct side *s)
{
	double start = bench_now(), t;
	long n = 0, per_round = s->limit / ROUNDS;

	do {
		for (int i = 0; i < 10; i++, n++)
			if (!s->op(s->arg, s->next++))
				die("an operation failed");
	} while ((t = bench_now() - start) < ROUND_SECONDS &&
	    (per_round == 0 || n + 10 <= per_round));
	return t * 1e6 / (double)n;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Medians of a and b, alternating. */
static void
compare(struct side *a, struct side *b, double *ua, double *ub)
{
	double ra[ROUNDS], rb[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		ra[r] = round_us(a);
		rb[r] = round_us(b);
	}
	qsort(ra, ROUNDS, sizeof(ra[0]), double_cmp);
	qsort(rb, ROUNDS, sizeof(rb[0]), double_cmp);
	*ua = ra[ROUNDS / 2];
	*ub = rb[ROUNDS / 2];
}

static void
row(const char *what, double us, const char *base, double base_us,
    double target)
{
	double r = us / base_us;

	printf("  %-58s %8.1f us vs %s %8.1f us: %5.2fx (target <= %.1fx: "
	    "%s)\n", what, us, base, base_us, r, target,
	    r <= target ? "met" : "NOT met");
}

/* ---- verifying through libmtls ---- */

struct verify_arg {
	struct mtls_ctx *ctx;
	unsigned char **sent;	/* PEM inputs, used in turn */
	size_t *len;
	long count;
};

static int
verify_op(void *arg, long i)
{
	struct verify_arg *v = arg;
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *verdict;
	long k = i % v->count;
	int ok;

	if (req == NULL || mtls_request_set_cert(req, v->sent[k],
	    v->len[k]) != 0)
		die("out of memory");
	verdict = mtls_verify(v->ctx, req);
	ok = mtls_verdict_accepted(verdict);
	if (!ok)
		fprintf(stderr, "bench_scale: rejected: %s\n",
		    mtls_verdict_explanation(verdict));
	mtls_verdict_free(verdict);
	mtls_request_free(req);
	return ok;
}

static struct mtls_ctx *
make_ctx(const char *ca_file, const char *intermediates, const char *crl)
{
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();

	if (cfg == NULL || ctx == NULL)
		die("out of memory");
	mtls_config_set_audit(cfg, 0);
	if (mtls_config_add_ca_file(cfg, ca_file) != 0 ||
	    (intermediates != NULL &&
	    mtls_config_add_intermediates_file(cfg, intermediates) != 0) ||
	    (crl != NULL && (mtls_config_set_revocation_mode(cfg, "crl") != 0 ||
	    mtls_config_add_crl_file(cfg, crl) != 0 ||
	    mtls_config_set_crl_index(cfg, NULL) != 0)))
		die(mtls_config_error(cfg));
	if (mtls_ctx_configure(ctx, cfg) != 0)
		die(mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

/* ---- a generated PKI ---- */

struct chain {
	gnutls_x509_privkey_t int_key, leaf_key;
	gnutls_x509_crt_t root, intermediate;
	gnutls_x509_crt_t *leaves;
	unsigned char **sent;	/* leaf i and the intermediate, PEM */
	size_t *len;
	long nleaves;
};

static gnutls_x509_privkey_t
rsa_key(void)
{
	gnutls_x509_privkey_t key;

	if (gnutls_x509_privkey_init(&key) < 0 ||
	    gnutls_x509_privkey_generate(key, GNUTLS_PK_RSA, 2048, 0) < 0)
		die("RSA key generation");
	return key;
}

static void	issue_leaves(struct chain *, long);

static void
make_chain(struct chain *c, bool rsa, long nleaves)
{
	gnutls_x509_privkey_t root_key = rsa ? rsa_key() : tpki_key_ec();

	c->int_key = rsa ? rsa_key() : tpki_key_ec();
	c->leaf_key = rsa ? rsa_key() : tpki_key_ec();
	c->root = tpki_new("CN=Scale Root", root_key, 0);
	tpki_make_ca(c->root, -1);
	tpki_sign(c->root, NULL, root_key, GNUTLS_DIG_SHA256);
	c->intermediate = tpki_new("CN=Scale Intermediate", c->int_key, 0);
	tpki_make_ca(c->intermediate, 0);
	tpki_sign(c->intermediate, c->root, root_key, GNUTLS_DIG_SHA256);
	gnutls_x509_privkey_deinit(root_key);
	issue_leaves(c, nleaves);
}

/* c->nleaves new client certificates of c->intermediate, each sent
 * with it. */
static void
issue_leaves(struct chain *c, long nleaves)
{
	unsigned char *ipem;
	size_t ilen;

	ipem = tpki_pem(c->intermediate, &ilen);
	c->nleaves = nleaves;
	c->leaves = calloc((size_t)nleaves, sizeof(*c->leaves));
	c->sent = calloc((size_t)nleaves, sizeof(*c->sent));
	c->len = calloc((size_t)nleaves, sizeof(*c->len));
	if (c->leaves == NULL || c->sent == NULL || c->len == NULL)
		die("out of memory");
	for (long i = 0; i < nleaves; i++) {
		unsigned char *lpem;
		size_t llen;

		c->leaves[i] = tpki_new("CN=scale", c->leaf_key, 0);
		tpki_make_client(c->leaves[i]);
		tpki_sign(c->leaves[i], c->intermediate, c->int_key,
		    GNUTLS_DIG_SHA256);
		lpem = tpki_pem(c->leaves[i], &llen);
		if ((c->sent[i] = malloc(llen + ilen)) == NULL)
			die("out of memory");
		memcpy(c->sent[i], lpem, llen);
		memcpy(c->sent[i] + llen, ipem, ilen);
		c->len[i] = llen + ilen;
		free(lpem);
	}
	free(ipem);
}

/*
 * CA certificates of other names, with one key of their own: self-signed,
 * or naming issuer as theirs (signed with their own key: they are never
 * on a path, only in the way of the search for one).
 */
static gnutls_x509_crt_t *
decoys(const char *prefix, size_t n, gnutls_x509_crt_t issuer)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t *crts = calloc(n, sizeof(*crts));

	if (crts == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		char dn[64];

		snprintf(dn, sizeof(dn), "CN=%s %zu", prefix, i);
		crts[i] = tpki_new(dn, key, 0);
		tpki_make_ca(crts[i], -1);
		tpki_sign(crts[i], issuer, key, GNUTLS_DIG_SHA256);
	}
	gnutls_x509_privkey_deinit(key);
	return crts;
}

/* The decoys, then crt last: the worst place for a scan. */
static const char *
write_with_decoys(const char *name, gnutls_x509_crt_t *decoy, size_t n,
    gnutls_x509_crt_t crt)
{
	const char *path = tpki_path(name);

	decoy[n] = crt;
	tpki_write(path, decoy, n + 1);
	return path;
}

/* ---- the signature floor ---- */

static int
floor_op(void *arg, long i)
{
	const unsigned only_the_signature = GNUTLS_VERIFY_DISABLE_CA_SIGN |
	    GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_CRL_CHECKS;
	const struct chain *c = arg;
	unsigned s1 = 1, s2 = 1;

	gnutls_x509_crt_verify(c->leaves[i % c->nleaves], &c->intermediate, 1,
	    only_the_signature, &s1);
	gnutls_x509_crt_verify(c->intermediate, &c->root, 1,
	    only_the_signature, &s2);
	return s1 == 0 && s2 == 0;
}

static void
long_running(bool rsa)
{
	struct chain c;
	struct verify_arg same, fresh;
	struct side floor_fresh, floor_same, v_fresh, v_same;
	struct mtls_ctx *ctx;
	double uf, uv;
	char label[96];

	make_chain(&c, rsa, 2 * FRESH * ROUNDS);
	tpki_write(tpki_path("lr-root.pem"), &c.root, 1);
	ctx = make_ctx(tpki_path("lr-root.pem"), NULL, NULL);
	/* a new certificate each time: half the leaves for the floor, the
	 * other half for libmtls, none ever verified before */
	fresh = (struct verify_arg){ ctx, c.sent + FRESH * ROUNDS,
	    c.len + FRESH * ROUNDS, FRESH * ROUNDS };
	v_fresh = (struct side){ verify_op, &fresh, 0, FRESH * ROUNDS };
	floor_fresh = (struct side){ floor_op, &c, 0, FRESH * ROUNDS };
	verify_op(&fresh, 0);		/* the intermediate becomes known */
	v_fresh.next = 1;
	compare(&v_fresh, &floor_fresh, &uv, &uf);
	snprintf(label, sizeof(label), "%s: new certificate, known "
	    "intermediate", rsa ? "RSA-2048" : "ECDSA P-256");
	row(label, uv, "floor", uf, 2.0);
	same = (struct verify_arg){ ctx, c.sent, c.len, 1 };
	v_same = (struct side){ verify_op, &same, 0, 0 };
	floor_same = (struct side){ floor_op, &c, 0, 0 };
	compare(&v_same, &floor_same, &uv, &uf);
	snprintf(label, sizeof(label), "%s: the same certificate again",
	    rsa ? "RSA-2048" : "ECDSA P-256");
	row(label, uv, "floor", uf, 2.0);
	mtls_ctx_free(ctx);
}

static int
bench_pki(void)
{
	struct chain c;
	gnutls_x509_crt_t *cas, *ints;
	struct mtls_ctx *one, *many;
	struct verify_arg a, b;
	struct side sa, sb;
	double ua, ub;

	/*
	 * A new certificate at every verification, each side its own half
	 * of the leaves: a context remembers the paths it judged, and a
	 * repeat would measure that memory, not the search among many CAs.
	 */
	make_chain(&c, false, 2 * FRESH * ROUNDS);
	printf("in process, per verification of a new certificate (medians "
	    "of %d alternated rounds):\n", ROUNDS);
	cas = decoys("Decoy CA", MANY, NULL);
	tpki_write(tpki_path("one-ca.pem"), &c.root, 1);
	one = make_ctx(tpki_path("one-ca.pem"), NULL, NULL);
	many = make_ctx(write_with_decoys("many-ca.pem", cas, MANY - 1,
	    c.root), NULL, NULL);
	a = (struct verify_arg){ many, c.sent, c.len, FRESH * ROUNDS };
	b = (struct verify_arg){ one, c.sent + FRESH * ROUNDS,
	    c.len + FRESH * ROUNDS, FRESH * ROUNDS };
	sa = (struct side){ verify_op, &a, 0, FRESH * ROUNDS };
	sb = (struct side){ verify_op, &b, 0, FRESH * ROUNDS };
	compare(&sa, &sb, &ua, &ub);
	row("1,000 CAs in ca_file", ua, "1 CA", ub, 1.2);
	mtls_ctx_free(many);
	mtls_ctx_free(one);

	/* new contexts: none of the leaves has been seen there yet */
	ints = decoys("Decoy Intermediate", MANY, c.root);
	one = make_ctx(tpki_path("one-ca.pem"), NULL, NULL);
	many = make_ctx(tpki_path("one-ca.pem"), write_with_decoys(
	    "many-int.pem", ints, MANY - 1, c.intermediate), NULL);
	a.ctx = many;
	b.ctx = one;
	sa.next = sb.next = 0;
	compare(&sa, &sb, &ua, &ub);
	row("1,000 intermediates configured, client sends its own", ua,
	    "none", ub, 1.2);
	mtls_ctx_free(many);
	mtls_ctx_free(one);

	printf("in one long-running context, per verification, against the "
	    "signature checks of its path alone:\n");
	long_running(true);
	long_running(false);
	return 0;
}

/* Resident memory of this process, in KiB. */
static long
resident_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void *
load_pem(const char *path, bool key)
{
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t crt;
	gnutls_datum_t pem;
	int ret;

	if (gnutls_load_file(path, &pem) < 0)
		die(path);
	if (key)
		ret = gnutls_x509_privkey_init(&k) < 0 ? -1 :
		    gnutls_x509_privkey_import(k, &pem, GNUTLS_X509_FMT_PEM);
	else
		ret = gnutls_x509_crt_init(&crt) < 0 ? -1 :
		    gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM);
	gnutls_free(pem.data);
	if (ret < 0)
		die(path);
	return key ? (void *)k : (void *)crt;
}

/*
 * A new certificate of the CRL's issuer at every verification, each side
 * its own half: a repeat would be answered from the path the context
 * remembered, and measure that, not what the CRL adds to a login.
 */
static int
bench_crlfile(const char *root, const char *int_pem, const char *int_key,
    const char *crl)
{
	struct chain c;
	struct mtls_ctx *none, *with_crl;
	struct verify_arg a, b;
	struct side sa, sb;
	double ua, ub, t0, load;
	long before, after;

	c.intermediate = load_pem(int_pem, false);
	c.int_key = load_pem(int_key, true);
	c.leaf_key = tpki_key_ec();
	issue_leaves(&c, 2 * FRESH * ROUNDS);
	none = make_ctx(root, NULL, NULL);
	before = resident_kib();
	t0 = bench_now();
	with_crl = make_ctx(root, NULL, crl);
	load = bench_now() - t0;
	after = resident_kib();
	a = (struct verify_arg){ with_crl, c.sent, c.len, FRESH * ROUNDS };
	b = (struct verify_arg){ none, c.sent + FRESH * ROUNDS,
	    c.len + FRESH * ROUNDS, FRESH * ROUNDS };
	sa = (struct side){ verify_op, &a, 0, FRESH * ROUNDS };
	sb = (struct side){ verify_op, &b, 0, FRESH * ROUNDS };
	compare(&sa, &sb, &ua, &ub);
	printf("  CRL file read directly (load %.2f s, %.0f MiB kept "
	    "resident)\n", load, (double)(after - before) / 1024);
	row("verification, intermediate-issued CRL, no index", ua,
	    "no revocation", ub, 1.2);
	mtls_ctx_free(with_crl);
	mtls_ctx_free(none);
	return 0;
}

static int
bench_cadir(const char *dir, long n)
{
	gnutls_x509_crt_t *cas = decoys("Decoy CA", (size_t)n, NULL);

	for (long i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/decoy%04ld.pem", dir, i);
		tpki_write(path, &cas[i], 1);
	}
	return 0;
}

static int
rss(char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* what it prints is not the measure */
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("the measured command failed");
	printf("%ld\n", ru.ru_maxrss);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "pki") == 0)
		return bench_pki();
	if (argc == 6 && strcmp(argv[1], "crlfile") == 0)
		return bench_crlfile(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 4 && strcmp(argv[1], "cadir") == 0)
		return bench_cadir(argv[2], atol(argv[3]));
	if (argc >= 3 && strcmp(argv[1], "rss") == 0)
		return rss(argv + 2);
	fputs("usage: bench_scale pki | crlfile ROOT INT INT_KEY CRL | "
	    "cadir DIR N | rss CMD...\n", stderr);
	return 2;
}
