/*
 * OCSP against real servers: `openssl ocsp` as the responder, and a small
 * HTTP server of our own for what openssl will not do (garbage, a hang,
 * HTTP 500, an endless body, replayed responses).
 *
 * openssl ocsp listens on every interface, so the test first moves itself
 * into a network namespace of its own with only loopback up (as root, or
 * through a user namespace otherwise).  Every server is a child process,
 * stopped by its PID.
 */
#define _GNU_SOURCE		/* unshare(), RTLD_NEXT */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <libtasn1.h>

#include "dertlv.h"
#include "ocsp.h"
#include "testhttp.h"
#include "testpki.h"
#include "testutil.h"

#define SKEW 60
#define MAX_AGE 3600

static struct {
	struct tpki_std pki;
	gnutls_x509_crt_t bob;		/* revoked */
	gnutls_x509_crt_t carol;	/* not in the index: unknown */
	gnutls_x509_crt_t dave;		/* responder named by AIA */
	struct testhttp main;		/* signs as the issuer */
	char int_pem[512], int_key[512], index[512];
} g;

static unsigned cache_dirs;

/*
 * The name of cache directory i: with a space and characters a shell
 * treats specially, which the commands it is told to run must quote.
 */
#define CACHE_DIR_NAME "cache %u (a b; $c)"

/* -- servers ------------------------------------------------------------ */

/*
 * openssl ocsp says "ACCEPT [::]:port PID=n" once it listens.  A probe
 * connection would not do: openssl 3.0 spins, serving nobody, after a
 * client that connects and closes without a request.
 */
static bool
listening(int port, pid_t pid)
{
	char line[512], needle[64];
	FILE *fp = fopen(tpki_path("openssl.log"), "r");
	bool up = false;

	/* with the PID: an earlier responder may have had the same port */
	snprintf(needle, sizeof(needle), ":%d PID=%ld\n", port, (long)pid);
	while (!up && fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		up = strstr(line, needle) != NULL;
	if (fp != NULL)
		fclose(fp);
	return up;
}

static pid_t
spawn(char *const argv[])
{
	pid_t pid = fork();
	int log;

	assert_true(pid >= 0);
	if (pid == 0) {
		/* never outlive the test, even if it crashes */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		log = open(tpki_path("openssl.log"), O_WRONLY | O_CREAT |
		    O_APPEND, 0644);
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* What the children said, for a failure's report. */
static void
children_log_dump(void)
{
	char line[512];
	FILE *fp = fopen(tpki_path("openssl.log"), "r");

	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		fprintf(stderr, "openssl: %s", line);
	if (fp != NULL)
		fclose(fp);
}

/*
 * openssl ocsp on the index at port (0: any free one), signing with
 * signer/key and the digest md (NULL: openssl's own, SHA-256); nextUpdate
 * a day ahead unless no_next_update; the certificates of the file other
 * (unless NULL) sent along.  Waits until it accepts connections.
 */
static void
responder_start_at(struct testhttp *s, int port_number, const char *signer,
    const char *key, bool no_next_update, const char *other, const char *md)
{
	char port[16];
	char *argv[20] = { "openssl", "ocsp", "-index", g.index, "-port", port,
	    "-CA", g.int_pem, "-rsigner", (char *)signer, "-rkey", (char *)key,
	    "-nrequest", "100" };
	size_t n = 14;

	if (!no_next_update) {
		argv[n++] = "-ndays";
		argv[n++] = "1";
	}
	if (other != NULL) {
		argv[n++] = "-rother";
		argv[n++] = (char *)other;
	}
	if (md != NULL) {
		argv[n++] = "-rmd";
		argv[n++] = (char *)md;
	}

	testhttp_url(s, port_number != 0 ? port_number : testhttp_free_port());
	snprintf(port, sizeof(port), "%d", s->port);
	s->pid = spawn(argv);
	/* 60 s: on a loaded machine openssl may take seconds to start */
	for (int i = 0; i < 2400 && !listening(s->port, s->pid); i++) {
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = 0;
			break;
		}
		usleep(25 * 1000);
	}
	if (s->pid == 0 || !listening(s->port, s->pid)) {
		children_log_dump();
		fail_msg("openssl ocsp did not start on port %d%s", s->port,
		    s->pid == 0 ? ": it exited" : " within 60 s");
	}
}

static void
responder_start(struct testhttp *s, const char *signer, const char *key,
    bool no_next_update)
{
	responder_start_at(s, 0, signer, key, no_next_update, NULL, NULL);
}

#define OCSP_RESPONSE_TYPE "Content-Type: application/ocsp-response\r\n"

static const char garbage[] = "this is not an OCSP response";

static void
answer_garbage(int fd, const char *request, void *arg)
{
	(void)request;
	(void)arg;
	testhttp_reply(fd, "200 OK", OCSP_RESPONSE_TYPE, garbage,
	    sizeof(garbage) - 1);
}

static void
answer_error(int fd, const char *request, void *arg)
{
	(void)request;
	(void)arg;
	testhttp_reply(fd, "500 Internal Server Error", "", garbage,
	    sizeof(garbage) - 1);
}

struct canned {
	unsigned char *data;
	size_t len;
};

static void
answer_canned(int fd, const char *request, void *arg)
{
	const struct canned *c = arg;

	(void)request;
	testhttp_reply(fd, "200 OK", OCSP_RESPONSE_TYPE, c->data, c->len);
}

/*
 * A response captured with the openssl client from the main responder:
 * with a nonce it answers one request only, so it can be replayed.
 */
static struct canned
captured_response(gnutls_x509_crt_t leaf, bool nonce)
{
	const char *cert = tpki_path("captured-cert.pem");
	const char *out = tpki_path("captured.der");
	char *argv[] = { "openssl", "ocsp", "-issuer", g.int_pem, "-cert",
	    (char *)cert, "-url", g.main.url, "-respout", (char *)out,
	    "-noverify", nonce ? NULL : "-no_nonce", NULL };
	struct canned c;
	struct stat st;
	int status, fd;

	tpki_write(cert, &leaf, 1);
	waitpid(spawn(argv), &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(stat(out, &st), 0);
	c.len = (size_t)st.st_size;
	c.data = malloc(c.len);
	assert_non_null(c.data);
	fd = open(out, O_RDONLY);
	assert_int_equal(read(fd, c.data, c.len), st.st_size);
	close(fd);
	return c;
}

/* -- PKI and index ------------------------------------------------------ */

static gnutls_x509_crt_t
issue(const char *dn, gnutls_x509_privkey_t key)
{
	gnutls_x509_crt_t crt = tpki_new(dn, key, 0);

	tpki_make_client(crt);
	tpki_sign(crt, g.pki.intermediate, g.pki.int_key, GNUTLS_DIG_SHA256);
	return crt;
}

/*
 * A would-be responder certificate with the given extendedKeyUsage (NULL:
 * none) valid until not_after, signed by signer (NULL: itself), written
 * with its key as name.pem and name.key; returns the certificate path.
 */
static const char *
responder_cert(const char *name, const char *dn, const char *eku,
    gnutls_x509_crt_t signer, gnutls_x509_privkey_t signer_key)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t crt = tpki_new(dn, key, 0);
	char file[64];
	const char *path;

	assert_int_equal(gnutls_x509_crt_set_key_usage(crt,
	    GNUTLS_KEY_DIGITAL_SIGNATURE), 0);
	if (eku != NULL)
		assert_int_equal(gnutls_x509_crt_set_key_purpose_oid(crt, eku,
		    0), 0);
	tpki_sign(crt, signer, signer_key != NULL ? signer_key : key,
	    GNUTLS_DIG_SHA256);
	snprintf(file, sizeof(file), "%s.key", name);
	tpki_write_key(tpki_path(file), key);
	snprintf(file, sizeof(file), "%s.pem", name);
	path = tpki_path(file);
	tpki_write(path, &crt, 1);
	tpki_free(crt);
	gnutls_x509_privkey_deinit(key);
	return path;
}

static void
index_line(FILE *fp, gnutls_x509_crt_t crt, const char *revoked)
{
	unsigned char serial[32];
	size_t len = sizeof(serial);
	char hex[2 * sizeof(serial) + 1];

	assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &len), 0);
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02X", serial[i]);
	/* openssl wants subjects unique: the serial makes them so */
	fprintf(fp, "%s\t351231235959Z\t%s\t%s\tunknown\t/CN=%s\n",
	    revoked ? "R" : "V", revoked ? revoked : "", hex, hex);
}

static int
group_setup(void **state)
{
	gnutls_datum_t aia;
	FILE *fp;
	int port;

	(void)state;
	tpki_std_make(&g.pki);
	snprintf(g.int_pem, sizeof(g.int_pem), "%s", tpki_path("int.pem"));
	snprintf(g.int_key, sizeof(g.int_key), "%s", tpki_path("int.key"));
	snprintf(g.index, sizeof(g.index), "%s", tpki_path("index.txt"));
	tpki_write(g.int_pem, &g.pki.intermediate, 1);
	tpki_write_key(g.int_key, g.pki.int_key);
	g.bob = issue("CN=bob", g.pki.leaf_key);
	g.carol = issue("CN=carol", g.pki.leaf_key);

	/* dave's AIA names the main responder: its port is chosen first */
	port = testhttp_free_port();
	g.dave = tpki_new("CN=dave", g.pki.leaf_key, 0);
	tpki_make_client(g.dave);
	testhttp_url(&g.main, port);
	aia.data = (unsigned char *)g.main.url;
	aia.size = (unsigned)strlen(g.main.url);
	assert_int_equal(gnutls_x509_crt_set_authority_info_access(g.dave,
	    GNUTLS_IA_OCSP_URI, &aia), 0);
	tpki_sign(g.dave, g.pki.intermediate, g.pki.int_key,
	    GNUTLS_DIG_SHA256);

	fp = fopen(g.index, "w");
	assert_non_null(fp);
	index_line(fp, g.pki.leaf, NULL);
	index_line(fp, g.dave, NULL);
	index_line(fp, g.bob, "251101000000Z,keyCompromise");
	fclose(fp);

	responder_cert("delegate", "CN=OCSP Responder", GNUTLS_KP_OCSP_SIGNING,
	    g.pki.intermediate, g.pki.int_key);
	responder_cert("client-eku", "CN=Not A Responder",
	    GNUTLS_KP_TLS_WWW_CLIENT, g.pki.intermediate, g.pki.int_key);
	/* only a prefix of id-kp-OCSPSigning (1.3.6.1.5.5.7.3.9) */
	responder_cert("prefix-eku", "CN=Almost A Responder",
	    "1.3.6.1.5.5.7.3", g.pki.intermediate, g.pki.int_key);
	/* same name as the issuer, another key */
	responder_cert("impostor", "CN=Test Intermediate", NULL, NULL, NULL);

	responder_start_at(&g.main, port, g.int_pem, g.int_key, false,
	    NULL, NULL);
	return 0;
}

static void
remove_cache_dirs(void)
{
	char dir[64];

	for (unsigned i = 0; i < cache_dirs; i++) {
		snprintf(dir, sizeof(dir), CACHE_DIR_NAME, i);
		tpki_remove_tree(tpki_path(dir));
	}
}

static int
group_teardown(void **state)
{
	(void)state;
	testhttp_stop(&g.main);
	remove_cache_dirs();
	tpki_free(g.bob);
	tpki_free(g.carol);
	tpki_free(g.dave);
	tpki_std_free(&g.pki);
	return 0;
}

/* -- checking ----------------------------------------------------------- */

static struct ocsp_settings
settings(const char *url)
{
	struct ocsp_settings s = { url, 3000, true, MAX_AGE, SKEW, false };

	return s;
}

/* A cache over a fresh directory of its own. */
static struct ocsp_cache *
cache_new(char *dir, size_t dirlen)
{
	struct ocsp_cache *cache;
	char name[32];

	snprintf(name, sizeof(name), CACHE_DIR_NAME, cache_dirs++);
	snprintf(dir, dirlen, "%s", tpki_path(name));
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(ocsp_cache_new(&cache, dir, NULL), 0);
	return cache;
}

static int
check_at(const struct ocsp_settings *s, gnutls_x509_crt_t leaf, time_t now,
    struct ocsp_cache *cache, struct finding *f)
{
	struct ocsp_cache *own = NULL;
	int ret;

	if (cache == NULL)
		assert_int_equal(ocsp_cache_new(&own, NULL, NULL), 0);
	memset(f, 0, sizeof(*f));
	ret = ocsp_check(cache != NULL ? cache : own, s, leaf,
	    g.pki.intermediate, now, NULL, f);
	ocsp_cache_free(own);
	return ret;
}

/* One check of leaf at the current time, with a cache of its own. */
static int
check(const struct ocsp_settings *s, gnutls_x509_crt_t leaf,
    struct finding *f)
{
	return check_at(s, leaf, time(NULL), NULL, f);
}

static void
expect_good(int ret, const struct finding *f)
{
	if (ret != 0)
		fail_msg("expected good, got %s: %s",
		    mtls_reason_name(f->reason), f->text);
}

static void
expect(int ret, const struct finding *f, enum mtls_reason reason,
    const char *words)
{
	if (ret != -1 || f->reason != reason || strstr(f->text, words) == NULL)
		fail_msg("expected %s mentioning \"%s\", got %d, %s: %s",
		    mtls_reason_name(reason), words, ret,
		    mtls_reason_name(f->reason), f->text);
}

/* -- the responder's three answers -------------------------------------- */

static void
good_certificate_is_good(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct finding f;

	(void)state;
	expect_good(check(&s, g.pki.leaf, &f), &f);
}

static void
revoked_certificate_is_revoked(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct finding f;

	(void)state;
	expect(check(&s, g.bob, &f), &f, MTLS_R_REVOKED, "keyCompromise");
	expect(-1, &f, MTLS_R_REVOKED, "CN=bob");
	expect(-1, &f, MTLS_R_REVOKED, g.main.url);
}

static void
unknown_certificate_is_unknown(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct finding f;

	(void)state;
	expect(check(&s, g.carol, &f), &f, MTLS_R_REVOCATION_UNKNOWN,
	    "CN=carol");
}

/* -- where to ask ------------------------------------------------------- */

static void
responder_from_aia(void **state)
{
	struct ocsp_settings s = settings(NULL);
	struct finding f;

	(void)state;
	expect_good(check(&s, g.dave, &f), &f);
}

static void
no_responder_url_is_unavailable(void **state)
{
	struct ocsp_settings s = settings(NULL);
	struct finding f;

	(void)state;
	expect(check(&s, g.pki.leaf, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "revocation.ocsp_url");
}

/* -- transport failures ------------------------------------------------- */

/*
 * Nobody listens at the configured URL.  dave's AIA names the main
 * responder, which would say good: the configuration must win.
 */
static void
responder_down_is_unavailable(void **state)
{
	struct testhttp down;
	struct ocsp_settings s;
	struct finding f;

	(void)state;
	testhttp_url(&down, testhttp_free_port());
	s = settings(down.url);
	expect(check(&s, g.dave, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "could not be reached");
	expect(-1, &f, MTLS_R_REVOCATION_UNAVAILABLE, down.url);
}

static void
slow_responder_times_out(void **state)
{
	struct testhttp slow;
	struct ocsp_settings s;
	struct finding f;
	struct timespec t0, t1;
	double took;
	int ret;

	(void)state;
	testhttp_start(&slow, testhttp_answer_never, NULL);
	s = settings(slow.url);
	s.timeout_ms = 500;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = check(&s, g.pki.leaf, &f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	testhttp_stop(&slow);
	took = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	expect(ret, &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "did not answer within 500 ms");
	/* the deadline holds; the margin is for a loaded machine */
	assert_true(took >= 0.45 && took < 5.0);
}

static void
no_deadline_is_refused(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct finding f;

	(void)state;
	s.timeout_ms = 0;
	expect(check(&s, g.pki.leaf, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "no time limit");
}

static int
fake_case(testhttp_handler *handler, void *arg, gnutls_x509_crt_t leaf,
    bool nonce, struct finding *f)
{
	struct testhttp fake;
	struct ocsp_settings s;
	int ret;

	testhttp_start(&fake, handler, arg);
	s = settings(fake.url);
	s.nonce = nonce;
	ret = check(&s, leaf, f);
	testhttp_stop(&fake);
	return ret;
}

static void
misbehaving_servers_are_unavailable(void **state)
{
	/* OCSPResponse { responseStatus tryLater }, no responseBytes */
	static unsigned char try_later_der[] = { 0x30, 0x03, 0x0a, 0x01, 0x03 };
	static struct canned try_later = { try_later_der, 5 };
	static const struct {
		testhttp_handler *handler;
		void *arg;
		const char *words;
	} cases[] = {
		{ answer_garbage, NULL, "not an OCSP response" },
		{ answer_error, NULL, "HTTP status 500" },
		{ testhttp_answer_endlessly, NULL, "sent more than" },
		{ answer_canned, &try_later, "reports failure" },
	};
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(fake_case(cases[i].handler, cases[i].arg, g.pki.leaf,
		    true, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
		    cases[i].words);
}

/* -- who signed --------------------------------------------------------- */

/* Ask a responder signing with name.pem and name.key about alice. */
static int
signed_by(const char *name, bool no_next_update, struct finding *f)
{
	struct testhttp r;
	struct ocsp_settings s;
	char cert[64], key[64];
	int ret;

	snprintf(cert, sizeof(cert), "%s.pem", name);
	snprintf(key, sizeof(key), "%s.key", name);
	responder_start(&r, tpki_path(cert), tpki_path(key), no_next_update);
	s = settings(r.url);
	ret = check(&s, g.pki.leaf, f);
	testhttp_stop(&r);
	return ret;
}

static void
delegated_responder_accepted(void **state)
{
	struct finding f;

	(void)state;
	expect_good(signed_by("delegate", false, &f), &f);
}

/*
 * A responder (or whoever is on the path to it) sending a certificate
 * with a key that would take long to check a signature with: refused
 * before any signature is checked.
 */
static void
responder_sending_a_huge_key_is_unavailable(void **state)
{
	gnutls_datum_t e = { (unsigned char *)"\x01\x00\x01", 3 };
	gnutls_x509_crt_t big = tpki_new_rsa_raw("CN=Huge Responder", 20000,
	    &e);
	const char *other = tpki_path("huge-responder.pem");
	struct ocsp_settings s;
	struct testhttp r;
	struct finding f;
	int ret;

	(void)state;
	tpki_sign(big, g.pki.intermediate, g.pki.int_key, GNUTLS_DIG_SHA256);
	tpki_write(other, &big, 1);
	tpki_free(big);
	responder_start_at(&r, 0, g.int_pem, g.int_key, false, other, NULL);
	s = settings(r.url);
	ret = check(&s, g.pki.leaf, &f);
	testhttp_stop(&r);
	expect(ret, &f, MTLS_R_REVOCATION_UNAVAILABLE, "20000-bit RSA key");
	assert_non_null(strstr(f.text, "CN=Huge Responder"));
}

/*
 * An answer is only as strong as its signature: GnuTLS, as called,
 * believes one signed with SHA-1; the policy does not, unless
 * policy.allow_sha1.
 */
static void
sha1_signed_answer_refused_unless_allowed(void **state)
{
	struct ocsp_settings s;
	struct testhttp r;
	struct finding refused, allowed;
	int ret_refused, ret_allowed;

	(void)state;
	responder_start_at(&r, 0, g.int_pem, g.int_key, false, NULL, "sha1");
	s = settings(r.url);
	ret_refused = check(&s, g.bob, &refused);
	s.allow_sha1 = true;
	ret_allowed = check(&s, g.bob, &allowed);
	testhttp_stop(&r);
	expect(ret_refused, &refused, MTLS_R_REVOCATION_UNAVAILABLE, "it signs "
	    "its answers with SHA-1; have it sign with SHA-256, or set "
	    "policy.allow_sha1 = true");
	expect(ret_allowed, &allowed, MTLS_R_REVOKED, "keyCompromise");
}

/*
 * Not the issuer, nor its delegate: a responder certificate for clients,
 * one whose purpose is a mere prefix of id-kp-OCSPSigning (GnuTLS must
 * not take it for the whole), one with the issuer's name and another key.
 */
static void
other_signers_rejected(void **state)
{
	static const struct {
		const char *signer;
		const char *words;
	} cases[] = {
		{ "client-eku", "lacks the OCSPSigning" },
		{ "prefix-eku", "lacks the OCSPSigning" },
		{ "impostor", "not issued by" },
	};
	struct finding f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(signed_by(cases[i].signer, false, &f), &f,
		    MTLS_R_REVOCATION_UNAVAILABLE, cases[i].words);
}

/*
 * The delegate is valid from an hour ago for a year: GnuTLS, judging by
 * the wall clock, accepts it; at the time of the check it is not valid.
 */
static void
delegate_invalid_at_check_time_rejected(void **state)
{
	struct testhttp r;
	struct ocsp_settings s;
	struct finding f1, f2;
	time_t now = time(NULL);
	int ret1, ret2;

	(void)state;
	responder_start(&r, tpki_path("delegate.pem"),
	    tpki_path("delegate.key"), false);
	s = settings(r.url);
	s.clock_skew = 0;
	ret1 = check_at(&s, g.pki.leaf, now + 400 * 86400L, NULL, &f1);
	ret2 = check_at(&s, g.pki.leaf, now - 2 * 3600, NULL, &f2);
	testhttp_stop(&r);
	expect(ret1, &f1, MTLS_R_REVOCATION_UNAVAILABLE, "has expired");
	expect(ret2, &f2, MTLS_R_REVOCATION_UNAVAILABLE, "is not valid yet");
}

/* -- freshness ---------------------------------------------------------- */

static void
stale_response_rejected(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct finding f;

	(void)state;
	/* nextUpdate is a day after thisUpdate */
	expect(check_at(&s, g.pki.leaf, time(NULL) + 2 * 86400L, NULL, &f),
	    &f, MTLS_R_REVOCATION_UNAVAILABLE, "stale");
}

static void
response_from_the_future_rejected(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct finding f;

	(void)state;
	expect(check_at(&s, g.pki.leaf, time(NULL) - 3600, NULL, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "in the future");
}

/* A captured response judged as of now with this clock skew. */
static int
judged_at(const struct canned *resp, time_t now, unsigned skew,
    struct finding *f)
{
	struct ocsp_settings s = settings(g.main.url);
	struct ocsp_answer answer;
	struct ocsp_query q;
	int ret;

	s.clock_skew = skew;
	memset(f, 0, sizeof(*f));
	assert_int_equal(ocsp_query_init(&q, &s, g.pki.leaf,
	    g.pki.intermediate, now, f), 0);
	ret = ocsp_response_verify(&q, resp->data, resp->len, false, &answer,
	    f);
	ocsp_query_clear(&q);
	return ret;
}

/* The thisUpdate and nextUpdate of the first answer in resp. */
static void
single_times(const struct canned *resp, time_t *this_update,
    time_t *next_update)
{
	gnutls_datum_t der = { resp->data, (unsigned)resp->len };
	gnutls_ocsp_resp_t parsed;

	assert_int_equal(gnutls_ocsp_resp_init(&parsed), 0);
	assert_int_equal(gnutls_ocsp_resp_import(parsed, &der), 0);
	assert_int_equal(gnutls_ocsp_resp_get_single(parsed, 0, NULL, NULL,
	    NULL, NULL, NULL, this_update, next_update, NULL, NULL), 0);
	gnutls_ocsp_resp_deinit(parsed);
}

/*
 * The clock skew is for a host clock that is behind the responder's: a
 * response dated up to the skew ahead is good, and its nextUpdate is
 * never extended.  Judged with no skew (a time the request gave), the
 * times are exact to the second.
 */
static void
skew_widens_this_update_only(void **state)
{
	struct canned resp = captured_response(g.pki.leaf, false);
	time_t this_update, next_update;
	struct finding f;

	(void)state;
	single_times(&resp, &this_update, &next_update);

	expect_good(judged_at(&resp, this_update - SKEW, SKEW, &f), &f);
	expect(judged_at(&resp, this_update - SKEW - 1, SKEW, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "in the future");
	expect(judged_at(&resp, this_update - 1, 0, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "in the future");
	expect_good(judged_at(&resp, this_update, 0, &f), &f);
	expect_good(judged_at(&resp, next_update, SKEW, &f), &f);
	expect(judged_at(&resp, next_update + 1, SKEW, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "stale");
	free(resp.data);
}

/*
 * The elements from p to end into out, with the one that starts at at
 * (its whole encoding is old) replaced by new, and the lengths of the
 * elements that hold it set right (libtasn1 writes them); every other
 * element is copied as it is.  Only the elements that hold it are
 * entered: elsewhere an OCTET STRING may hold anything (issuerKeyHash is
 * a hash of a key made for this run), DER or not.  Returns the length
 * written; out has room for end - p + 64.
 */
static size_t
spliced_at(const unsigned char *p, const unsigned char *end,
    const unsigned char *at, const gnutls_datum_t *old,
    const gnutls_datum_t *new, unsigned char *out)
{
	size_t n = 0;
	struct dertlv e;

	while (p < end) {
		assert_int_equal(dertlv_next(&p, end, &e), 0);
		if (e.start == at) {
			assert_int_equal(e.end - e.start, old->size);
			memcpy(out + n, new->data, new->size);
			n += new->size;
		} else if (at > e.start && at < e.end) {
			unsigned char *body = malloc(e.len + 64);
			size_t blen;
			int used;

			assert_non_null(body);
			blen = spliced_at(e.content, e.end, at, old, new, body);
			out[n++] = e.tag;
			asn1_length_der((unsigned long)blen, out + n, &used);
			n += (size_t)used;
			memcpy(out + n, body, blen);
			n += blen;
			free(body);
		} else {
			memcpy(out + n, e.start, (size_t)(e.end - e.start));
			n += (size_t)(e.end - e.start);
		}
	}
	return n;
}

/*
 * in (len octets of DER) into out, with the element whose whole encoding
 * is old replaced by new, and the lengths of the elements around it, and
 * of DER inside OCTET STRINGs, set right.  Returns the length written;
 * out has room for len + 64.
 */
static size_t
spliced(const unsigned char *in, size_t len, const gnutls_datum_t *old,
    const gnutls_datum_t *new, unsigned char *out)
{
	const unsigned char *at = memmem(in, len, old->data, old->size);

	assert_non_null(at);
	return spliced_at(in, in + len, at, old, new, out);
}

/*
 * The BasicOCSPResponse of the DER OCSP response der signed again with
 * the intermediate's key, as the responder would have signed it.
 */
static struct canned
signed_again(const struct canned *der)
{
	const unsigned char *p = der->data, *end = der->data + der->len;
	struct dertlv e, tbs, signature;
	gnutls_datum_t to_sign, sig, old, new;
	gnutls_privkey_t key;
	struct canned out;
	int used;

	assert_int_equal(dertlv_enter(&p, &end, DER_SEQUENCE), 0);
	assert_int_equal(dertlv_next(&p, end, &e), 0);
	assert_int_equal(dertlv_enter(&p, &end, DER_CONTEXT_0), 0);
	assert_int_equal(dertlv_enter(&p, &end, DER_SEQUENCE), 0);
	assert_int_equal(dertlv_next(&p, end, &e), 0);
	assert_int_equal(dertlv_enter(&p, &end, DER_OCTET_STRING), 0);
	assert_int_equal(dertlv_enter(&p, &end, DER_SEQUENCE), 0);
	assert_int_equal(dertlv_expect(&p, end, DER_SEQUENCE, &tbs), 0);
	assert_int_equal(dertlv_expect(&p, end, DER_SEQUENCE, &e), 0);
	assert_int_equal(dertlv_expect(&p, end, DER_BIT_STRING, &signature),
	    0);
	to_sign.data = (unsigned char *)tbs.start;
	to_sign.size = (unsigned)(tbs.end - tbs.start);
	assert_int_equal(gnutls_privkey_init(&key), 0);
	assert_int_equal(gnutls_privkey_import_x509(key, g.pki.int_key, 0), 0);
	assert_int_equal(gnutls_privkey_sign_data(key, GNUTLS_DIG_SHA256, 0,
	    &to_sign, &sig), 0);
	gnutls_privkey_deinit(key);
	old.data = (unsigned char *)signature.start;
	old.size = (unsigned)(signature.end - signature.start);
	new.data = malloc(sig.size + 8);
	assert_non_null(new.data);
	new.data[0] = DER_BIT_STRING;
	asn1_length_der(sig.size + 1UL, new.data + 1, &used);
	new.data[1 + used] = 0;		/* no unused bits */
	memcpy(new.data + 2 + used, sig.data, sig.size);
	new.size = 2 + (unsigned)used + sig.size;
	gnutls_free(sig.data);
	out.data = malloc(der->len + 64);
	assert_non_null(out.data);
	out.len = spliced(der->data, der->len, &old, &new, out.data);
	free(new.data);
	return out;
}

/*
 * RFC 6960 4.2.2.1 holds OCSP's times to RFC 5280's form: no fraction of
 * a second.  GnuTLS reads such a nextUpdate as absent, which would make
 * a response good until revocation.ocsp_max_age instead of its
 * nextUpdate: the response is refused, saying why.
 */
static void
fractional_next_update_refused(void **state)
{
	struct canned resp = captured_response(g.pki.leaf, false);
	time_t this_update, next_update;
	char text[32];
	/* with room for snprintf()'s NUL */
	unsigned char was[18], now_is[20];
	gnutls_datum_t old = { was, 0 }, new = { now_is, 0 };
	struct canned changed, resigned;
	struct finding f;
	struct tm tm;

	(void)state;
	single_times(&resp, &this_update, &next_update);
	gmtime_r(&next_update, &tm);
	strftime(text, sizeof(text), "%Y%m%d%H%M%S", &tm);
	old.size = (unsigned)snprintf((char *)was, sizeof(was), "%c%c%sZ",
	    DER_GENERALIZED_TIME, 15, text);
	new.size = (unsigned)snprintf((char *)now_is, sizeof(now_is),
	    "%c%c%s.5Z", DER_GENERALIZED_TIME, 17, text);
	changed.data = malloc(resp.len + 64);
	assert_non_null(changed.data);
	changed.len = spliced(resp.data, resp.len, &old, &new, changed.data);
	assert_int_equal(changed.len, resp.len + 2);
	resigned = signed_again(&changed);

	expect(judged_at(&resigned, time(NULL), SKEW, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "its nextUpdate");
	assert_non_null(strstr(f.text, ".5Z) has a fraction of a second, "
	    "which RFC 5280 forbids; the responder must be fixed"));
	/* signed again as it came, it is good */
	free(changed.data);
	changed = signed_again(&resp);
	expect_good(judged_at(&changed, time(NULL), SKEW, &f), &f);
	free(changed.data);
	free(resigned.data);
	free(resp.data);
}

static void
no_next_update_fresh_accepted(void **state)
{
	struct finding f;

	(void)state;
	expect_good(signed_by("int", true, &f), &f);
}

static void
no_next_update_older_than_max_age_rejected(void **state)
{
	struct testhttp r;
	struct ocsp_settings s;
	struct finding f;
	int ret;

	(void)state;
	responder_start(&r, g.int_pem, g.int_key, true);
	s = settings(r.url);
	ret = check_at(&s, g.pki.leaf, time(NULL) + MAX_AGE + SKEW + 60, NULL,
	    &f);
	testhttp_stop(&r);
	expect(ret, &f, MTLS_R_REVOCATION_UNAVAILABLE, "ocsp_max_age");
}

/* -- nonce and certID --------------------------------------------------- */

static void
replayed_nonce_rejected(void **state)
{
	struct canned old = captured_response(g.pki.leaf, true);
	struct finding f;

	(void)state;
	expect(fake_case(answer_canned, &old, g.pki.leaf, true, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "nonce");
	/* the same response is fine when no nonce was asked for */
	expect_good(fake_case(answer_canned, &old, g.pki.leaf, false, &f), &f);
	free(old.data);
}

/*
 * A response without a nonce, as pre-produced (RFC 5019) ones are: with
 * revocation.ocsp_nonce on it is refused, since an on-path attacker could
 * replay a "good" answer made before the revocation until its nextUpdate;
 * with the nonce off it answers alice, being fresh, and still not bob,
 * whose certID it does not carry.
 */
static void
response_without_nonce(void **state)
{
	struct canned resp = captured_response(g.pki.leaf, false);
	struct finding f;

	(void)state;
	expect(fake_case(answer_canned, &resp, g.pki.leaf, true, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "without the nonce");
	assert_non_null(strstr(f.text, "ocsp_nonce"));
	expect_good(fake_case(answer_canned, &resp, g.pki.leaf, false, &f), &f);
	expect(fake_case(answer_canned, &resp, g.bob, false, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "certID");
	free(resp.data);
}

/*
 * A responder of the same CA that has the leaf revoked ("time,reason" as
 * openssl's index has it): its CA revoked it after, or before, the main
 * responder said "good".
 */
static void
responder_start_revoking_leaf(struct testhttp *r, const char *revoked)
{
	char index[sizeof(g.index)];
	FILE *fp;

	memcpy(index, g.index, sizeof(index));
	snprintf(g.index, sizeof(g.index), "%s",
	    tpki_path("index-leaf-revoked.txt"));
	fp = fopen(g.index, "w");
	assert_non_null(fp);
	index_line(fp, g.pki.leaf, revoked);
	fclose(fp);
	responder_start(r, g.int_pem, g.int_key, false);
	memcpy(g.index, index, sizeof(index));
}

/*
 * Without a nonce (revocation.ocsp_nonce = false) nothing ties a response
 * to the request, so an on-path attacker may answer with a "good" response
 * the responder made before the revocation, until its nextUpdate.  Once a
 * later response said "revoked", that replay must not take it back, also
 * when the revoked answer has aged out of the cache (ocsp_max_age), in
 * this process as in the next.
 */
static void
older_good_answer_never_undoes_a_revocation(void **state)
{
	struct canned old_good = captured_response(g.pki.leaf, false);
	struct ocsp_cache *cache, *other;
	struct testhttp revoking, attacker;
	struct ocsp_settings s;
	struct finding f;
	time_t this_update, next_update, later;
	char dir[512];

	(void)state;
	single_times(&old_good, &this_update, &next_update);
	/* the revocation is answered a second later at least */
	while (time(NULL) <= this_update)
		usleep(50 * 1000);
	cache = cache_new(dir, sizeof(dir));
	responder_start_revoking_leaf(&revoking,
	    "251201000000Z,keyCompromise");
	s = settings(revoking.url);
	s.nonce = false;
	expect(check_at(&s, g.pki.leaf, time(NULL), cache, &f), &f,
	    MTLS_R_REVOKED, "keyCompromise");
	testhttp_stop(&revoking);

	/* the revoked answer is asked again past ocsp_max_age, while the
	 * replayed one is still before its nextUpdate */
	later = time(NULL) + MAX_AGE + 1;
	assert_true(later < next_update);
	testhttp_start(&attacker, answer_canned, &old_good);
	s = settings(attacker.url);
	s.nonce = false;
	expect(check_at(&s, g.pki.leaf, later, cache, &f), &f,
	    MTLS_R_REVOKED, "keyCompromise");
	assert_non_null(strstr(f.text, "older"));
	assert_int_equal(ocsp_cache_new(&other, dir, NULL), 0);
	expect(check_at(&s, g.pki.leaf, later, other, &f), &f,
	    MTLS_R_REVOKED, "keyCompromise");
	ocsp_cache_free(other);
	testhttp_stop(&attacker);
	ocsp_cache_free(cache);
	free(old_good.data);
}

/*
 * The leaf revoked for reason, then said "good" by a newer response of
 * the main responder, asked once the revoked answer aged out of the cache.
 */
static int
revoked_then_good(const char *reason, struct finding *f)
{
	struct ocsp_cache *cache;
	struct testhttp revoking;
	struct ocsp_settings s;
	time_t answered, later;
	char dir[512];
	int ret;

	cache = cache_new(dir, sizeof(dir));
	responder_start_revoking_leaf(&revoking, reason);
	s = settings(revoking.url);
	s.nonce = false;
	answered = time(NULL);
	expect(check_at(&s, g.pki.leaf, answered, cache, f), f,
	    MTLS_R_REVOKED, "CN=alice");
	testhttp_stop(&revoking);
	while (time(NULL) <= answered)
		usleep(50 * 1000);
	later = time(NULL) + MAX_AGE + 1;
	s = settings(g.main.url);
	s.nonce = false;
	ret = check_at(&s, g.pki.leaf, later, cache, f);
	ocsp_cache_free(cache);
	return ret;
}

/*
 * Only a certificate on hold comes back (RFC 6960 2.2, RFC 5280 5.3.1):
 * a newer "good" releases a hold, and no other revocation.
 */
static void
newer_good_answer_releases_only_a_hold(void **state)
{
	struct finding f;

	(void)state;
	expect(revoked_then_good("251201000000Z,keyCompromise", &f), &f,
	    MTLS_R_REVOKED, "only a certificate on hold can be released");
	expect_good(revoked_then_good("251201000000Z,certificateHold,"
	    "holdInstructionNone", &f), &f);
}

/* -- cache -------------------------------------------------------------- */

/* The response cached in dir/user_dir ("ocsp" is root's). */
static const char *
cached_file(const char *dir, const char *user_dir)
{
	static char path[1024];
	char sub[600];
	struct dirent *de;
	DIR *d;

	path[0] = '\0';
	snprintf(sub, sizeof(sub), "%s/%s", dir, user_dir);
	d = opendir(sub);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".der") != NULL &&
		    strlen(de->d_name) == 64 + 4)
			snprintf(path, sizeof(path), "%s/%s", sub, de->d_name);
	closedir(d);
	assert_true(path[0] != '\0');
	return path;
}

static void
cached_answers_need_no_responder(void **state)
{
	struct testhttp r;
	struct ocsp_settings s;
	struct ocsp_cache *cache, *other;
	struct finding f;
	char dir[512];
	time_t now = time(NULL);

	(void)state;
	cache = cache_new(dir, sizeof(dir));
	responder_start(&r, g.int_pem, g.int_key, false);
	s = settings(r.url);
	expect_good(check_at(&s, g.pki.leaf, now, cache, &f), &f);
	expect(check_at(&s, g.bob, now, cache, &f), &f, MTLS_R_REVOKED,
	    "CN=bob");
	expect(check_at(&s, g.carol, now, cache, &f), &f,
	    MTLS_R_REVOCATION_UNKNOWN, "CN=carol");
	testhttp_stop(&r);

	/* the same process: from memory */
	expect_good(check_at(&s, g.pki.leaf, now, cache, &f), &f);
	expect(check_at(&s, g.bob, now, cache, &f), &f, MTLS_R_REVOKED,
	    "CN=bob");
	/* unknown is not kept: asked again, and nobody answers */
	expect(check_at(&s, g.carol, now, cache, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "could not be reached");

	/* another process: from the files, verified again */
	assert_int_equal(ocsp_cache_new(&other, dir, NULL), 0);
	expect_good(check_at(&s, g.pki.leaf, now, other, &f), &f);
	expect(check_at(&s, g.bob, now, other, &f), &f, MTLS_R_REVOKED,
	    "keyCompromise");
	ocsp_cache_free(other);

	/* past nextUpdate neither memory nor file is used */
	expect(check_at(&s, g.pki.leaf, now + 2 * 86400L, cache, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "could not be reached");
	ocsp_cache_free(cache);
}

/*
 * Offline (OpenVPN's TLS_VERIFY), only the cache answers: what it lacks
 * is owed to a check with the network, never asked of the responder, which
 * would have said good.  Without a responder to ask, nothing is owed.
 */
static void
offline_checks_ask_only_the_cache(void **state)
{
	struct ocsp_settings s = settings(g.main.url);
	struct ocsp_settings nowhere = settings(NULL);
	struct ocsp_call offline = { true, false, false, NULL };
	struct ocsp_call online = { false, false, false, NULL };
	struct ocsp_cache *cache;
	struct finding f;
	char dir[512];
	time_t now = time(NULL);

	(void)state;
	cache = cache_new(dir, sizeof(dir));
	expect(ocsp_check(cache, &s, g.pki.leaf, g.pki.intermediate, now,
	    &offline, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "without the network");
	assert_true(offline.owed);
	assert_false(offline.cached);

	expect_good(ocsp_check(cache, &s, g.pki.leaf, g.pki.intermediate, now,
	    &online, &f), &f);
	assert_false(online.cached);
	assert_false(online.owed);

	expect_good(ocsp_check(cache, &s, g.pki.leaf, g.pki.intermediate, now,
	    &offline, &f), &f);
	assert_true(offline.cached);
	assert_false(offline.owed);

	expect(ocsp_check(cache, &nowhere, g.pki.leaf, g.pki.intermediate,
	    now, &offline, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "revocation.ocsp_url");
	assert_false(offline.owed);
	ocsp_cache_free(cache);
}

/* A cache file for the leaf only: returns its path. */
static const char *
cache_one_answer(char *dir, size_t dirlen, struct testhttp *r)
{
	struct ocsp_cache *cache = cache_new(dir, dirlen);
	struct ocsp_settings s;
	struct finding f;

	responder_start(r, g.int_pem, g.int_key, false);
	s = settings(r->url);
	expect_good(check_at(&s, g.pki.leaf, time(NULL), cache, &f), &f);
	ocsp_cache_free(cache);
	testhttp_stop(r);
	return cached_file(dir, "ocsp");
}

static int
check_in_new_process(const char *dir, const char *url, struct finding *f)
{
	struct ocsp_settings s = settings(url);
	struct ocsp_cache *cache;
	int ret;

	assert_int_equal(ocsp_cache_new(&cache, dir, NULL), 0);
	ret = check_at(&s, g.pki.leaf, time(NULL), cache, f);
	ocsp_cache_free(cache);
	return ret;
}

static void
corrupt_cache_file_ignored_and_replaced(void **state)
{
	static const char junk[] = "corrupt";
	struct testhttp r;
	struct finding f;
	struct stat st;
	char dir[512], path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s", cache_one_answer(dir, sizeof(dir),
	    &r));
	tpki_write_data(path, junk, sizeof(junk) - 1);
	expect(check_in_new_process(dir, r.url, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "could not be reached");

	responder_start(&r, g.int_pem, g.int_key, false);
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	testhttp_stop(&r);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > (off_t)sizeof(junk));
	expect_good(check_in_new_process(dir, r.url, &f), &f);
}

static void
cache_file_others_could_write_ignored(void **state)
{
	struct testhttp r;
	struct finding f;
	char dir[512];
	const char *path;

	(void)state;
	path = cache_one_answer(dir, sizeof(dir), &r);
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	assert_int_equal(chmod(path, 0666), 0);
	expect(check_in_new_process(dir, r.url, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "could not be reached");
	/* the rejection says which file was refused, and why */
	assert_non_null(strstr(f.text, "the cached answer was refused: "));
	assert_non_null(strstr(f.text, path));
	assert_non_null(strstr(f.text, "chmod go-w it"));
}

/* -- what an administrator is told ------------------------------------- */

/* text is one line, and has each part. */
static void
assert_one_line_with(const char *text, const char *const parts[])
{
	if (strchr(text, '\n') != strrchr(text, '\n'))
		fail_msg("expected one line, got: %s", text);
	for (size_t i = 0; parts[i] != NULL; i++)
		if (strstr(text, parts[i]) == NULL)
			fail_msg("expected \"%s\" in: %s", parts[i], text);
}

/* Run the command text gives after "run: ", as root. */
static void
run_the_fix(const char *text)
{
	char cmd[1024];
	const char *run = strstr(text, "run: ");

	assert_non_null(run);
	snprintf(cmd, sizeof(cmd), "%.*s", (int)strcspn(run + 5, "\n"),
	    run + 5);
	assert_int_equal(system(cmd), 0);
}

static void
become(uid_t uid)
{
	assert_int_equal(seteuid(uid), 0);
}

/* A failure as another user must not leave the tests after it as one. */
static int
become_root_again(void **state)
{
	(void)state;
	return getuid() == 0 ? seteuid(0) : 0;
}

/*
 * A daemon that dropped root (FreeRADIUS runs its hooks as freerad) keeps
 * its answers in <cache_dir>/ocsp-<uid>, made for it, and reads there
 * only what it owns, and then root's; root never reads its.
 */
static void
other_users_keep_answers_of_their_own(void **state)
{
	const uid_t user = 65534;
	struct ocsp_cache *cache;
	struct testhttp r;
	struct finding f;
	char dir[512], sub[600], path[1024], real[1100];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(chmod(tpki_tmpdir(), 0755), 0);
	cache = cache_new(dir, sizeof(dir));
	ocsp_cache_free(cache);
	responder_start(&r, g.int_pem, g.int_key, false);

	/* no directory of its own: the responder each time */
	become(user);
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	become(0);
	snprintf(sub, sizeof(sub), "%s/ocsp-%u", dir, (unsigned)user);
	assert_int_equal(access(sub, F_OK), -1);

	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(chown(sub, user, user), 0);
	become(user);
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	become(0);
	testhttp_stop(&r);
	become(user);
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	become(0);
	expect(check_in_new_process(dir, r.url, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "could not be reached");

	/* one it does not own is refused, and the rejection says so */
	snprintf(path, sizeof(path), "%s",
	    cached_file(dir, strrchr(sub, '/') + 1));
	assert_int_equal(chown(path, 0, 0), 0);
	become(user);
	expect(check_in_new_process(dir, r.url, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "the cached answer was refused: ");
	become(0);
	assert_non_null(strstr(f.text, path));
	assert_non_null(strstr(f.text, "owned by uid 0, not by uid 65534"));

	/* nor is a link, even to an answer it owns: what it opens is what
	 * it checks */
	snprintf(real, sizeof(real), "%s.real", path);
	assert_int_equal(rename(path, real), 0);
	assert_int_equal(chown(real, user, user), 0);
	assert_int_equal(symlink(real, path), 0);
	become(user);
	expect(check_in_new_process(dir, r.url, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "the cached answer was refused: ");
	become(0);
	assert_non_null(strstr(f.text, "not a regular file"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rename(real, path), 0);
	assert_int_equal(chown(path, 0, 0), 0);

	/* what root cached answers it too */
	cache_one_answer(dir, sizeof(dir), &r);
	become(user);
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	become(0);
}

/* Number of cached responses in dir/ocsp. */
static size_t
cached_count(const char *dir)
{
	char sub[600];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	snprintf(sub, sizeof(sub), "%s/ocsp", dir);
	d = opendir(sub);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".der") != NULL;
	closedir(d);
	return n;
}

/*
 * Whoever may write the cache directory could swap in an older answer
 * (good, before a revocation) or turn it into a link that has root write
 * elsewhere: as root, such a directory is neither read nor written.
 */
static void
cache_directory_others_could_write_unused(void **state)
{
	struct ocsp_cache *cache;
	struct ocsp_settings s;
	struct testhttp r;
	struct finding f;
	char dir[512], sub[600], says[800], *said;

	(void)state;
	if (geteuid() != 0)
		skip();
	cache = cache_new(dir, sizeof(dir));
	snprintf(sub, sizeof(sub), "%s/ocsp", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	responder_start(&r, g.int_pem, g.int_key, false);
	s = settings(r.url);
	syslog_start();
	expect_good(check_at(&s, g.pki.leaf, time(NULL), cache, &f), &f);
	testhttp_stop(&r);
	ocsp_cache_free(cache);
	assert_int_equal(cached_count(dir), 0);
	/* and the administrator is told what to change */
	said = syslog_said();
	snprintf(says, sizeof(says), "<84> mtls: OCSP answers of root are not "
	    "kept on disk: %s: writable by everyone; chmod go-w it\n", sub);
	assert_string_equal(said, says);
	free(said);

	/* written while it was root's, then opened to others */
	cache_one_answer(dir, sizeof(dir), &r);
	snprintf(sub, sizeof(sub), "%s/ocsp", dir);
	assert_int_equal(chmod(sub, 0777), 0);
	expect(check_in_new_process(dir, r.url, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, "could not be reached");
}

enum bad_dir {
	MISSING, ROOTS, OPEN_TO_ALL, CLOSED_TO_OWNER, A_LINK, UNREACHABLE
};

/* sub, user's directory in the cache directory dir, made bad. */
static void
make_bad_dir(enum bad_dir bad, const char *dir, const char *sub, uid_t user)
{
	char real[700];

	switch (bad) {
	case MISSING:
		break;
	case UNREACHABLE:
		assert_int_equal(mkdir(sub, 0700), 0);
		assert_int_equal(chown(sub, user, user), 0);
		assert_int_equal(chmod(dir, 0700), 0);
		break;
	case ROOTS:
		assert_int_equal(mkdir(sub, 0700), 0);
		break;
	case OPEN_TO_ALL:
	case CLOSED_TO_OWNER:
		assert_int_equal(mkdir(sub, 0700), 0);
		assert_int_equal(chown(sub, user, user), 0);
		assert_int_equal(chmod(sub, bad == OPEN_TO_ALL ? 0777 : 0500),
		    0);
		break;
	case A_LINK:
		snprintf(real, sizeof(real), "%s.real", sub);
		assert_int_equal(mkdir(real, 0700), 0);
		assert_int_equal(chown(real, user, user), 0);
		assert_int_equal(symlink(real, sub), 0);
		break;
	}
}

/* Number of answers uid keeps in dir, as its own files. */
static size_t
answers_kept_by(const char *dir, uid_t uid)
{
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".der") != NULL &&
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    0 && st.st_uid == uid;
	closedir(d);
	return n;
}

/*
 * Three checks through cache: the leaf good, bob revoked, and carol, of
 * whom it lacks an answer, rejected by a check without the network (a
 * RADIUS server's gate), which says words (why no answer is kept).
 */
static void
check_three(struct ocsp_cache *cache, const struct ocsp_settings *s,
    const char *words)
{
	struct ocsp_call offline = { true, false, false, NULL };
	struct finding f;

	expect_good(check_at(s, g.pki.leaf, time(NULL), cache, &f), &f);
	expect(check_at(s, g.bob, time(NULL), cache, &f), &f, MTLS_R_REVOKED,
	    "revoked");
	expect(ocsp_check(cache, s, g.carol, g.pki.intermediate, time(NULL),
	    &offline, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE, words);
}

/*
 * A user other than root whose directory cannot keep answers (missing,
 * root's, open to others, closed to it, a link, out of its reach) checks
 * as well, and the administrator is told once, in syslog, what is wrong
 * and the command that mends it; which, run, does.
 */
static void
unusable_directory_of_a_user_is_said_once(void **state)
{
	static const struct {
		enum bad_dir bad;
		const char *says;
	} cases[] = {
		{ MISSING, " does not exist; as root, run: install -d -o " },
		{ ROOTS, " is owned by uid 0, not by uid 65534; as root, run: "
		    "install -d -o " },
		{ OPEN_TO_ALL, " may be written by others than uid 65534 (mode "
		    "0777); as root, run: install -d -o " },
		{ CLOSED_TO_OWNER, " is closed to its owner (mode 0500); as "
		    "root, run: install -d -o " },
		{ A_LINK, " is not a directory (a symbolic link is not "
		    "followed); as root, remove it, then run: install -d -o " },
		{ UNREACHABLE, "it may not search " },
	};
	const uid_t user = 65534;
	const struct passwd *pw = getpwuid(user);
	struct ocsp_settings s;
	struct ocsp_cache *cache;
	struct testhttp r;
	struct finding f;
	char dir[512], sub[600], who[300], mend[1200], *said;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_non_null(pw);
	snprintf(who, sizeof(who), "<84> mtls: OCSP answers of uid 65534 (%s) "
	    "are not kept on disk: ", pw->pw_name);
	assert_int_equal(chmod(tpki_tmpdir(), 0755), 0);
	responder_start(&r, g.int_pem, g.int_key, false);
	s = settings(r.url);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cache = cache_new(dir, sizeof(dir));
		snprintf(sub, sizeof(sub), "%s/ocsp-%u", dir, (unsigned)user);
		if (cases[i].bad == UNREACHABLE)
			snprintf(mend, sizeof(mend), "%s; as root, run: chmod "
			    "a+x '%s'\n", dir, dir);
		else
			snprintf(mend, sizeof(mend), "%s -m 0700 '%s'\n",
			    pw->pw_name, sub);
		make_bad_dir(cases[i].bad, dir, sub, user);
		syslog_start();
		become(user);
		check_three(cache, &s, sub);
		become(0);
		ocsp_cache_free(cache);
		said = syslog_said();
		assert_one_line_with(said, (const char *const[]){ who,
		    cases[i].says, mend, NULL });
		assert_int_equal(answers_kept_by(sub, user), 0);

		if (cases[i].bad == A_LINK)
			assert_int_equal(unlink(sub), 0);
		run_the_fix(said);
		free(said);
		syslog_start();
		become(user);
		expect_good(check_in_new_process(dir, r.url, &f), &f);
		become(0);
		said = syslog_said();
		assert_string_equal(said, "");
		free(said);
		assert_int_equal(answers_kept_by(sub, user), 1);
	}
	testhttp_stop(&r);
}

/*
 * Lookups of a user's name by its uid, counted: libmtls makes one to name
 * the user whose directory cannot keep answers, and each may ask a
 * directory server (LDAP through SSSD, say).
 */
static unsigned name_lookups;

int
getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
    struct passwd **found)
{
	static int (*real)(uid_t, struct passwd *, char *, size_t,
	    struct passwd **);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "getpwuid_r");
	__atomic_fetch_add(&name_lookups, 1, __ATOMIC_RELAXED);
	return real(uid, pw, buf, len, found);
}

/*
 * A user whose directory cannot keep answers is named once for each
 * configuration loaded (each cache), however many answers it reads, asks
 * for or is refused.
 */
static void
unusable_directory_user_named_once(void **state)
{
	const uid_t user = 65534;
	struct ocsp_cache *cache, *other;
	struct ocsp_settings s;
	struct testhttp r;
	struct finding f;
	char dir[512], *said;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(chmod(tpki_tmpdir(), 0755), 0);
	cache = cache_new(dir, sizeof(dir));
	assert_int_equal(ocsp_cache_new(&other, dir, NULL), 0);
	responder_start(&r, g.int_pem, g.int_key, false);
	s = settings(r.url);
	syslog_start();
	name_lookups = 0;
	become(user);
	for (int i = 0; i < 3; i++)
		check_three(cache, &s, "does not exist");
	become(0);
	assert_int_equal(name_lookups, 1);
	become(user);
	expect_good(check_at(&s, g.pki.leaf, time(NULL), other, &f), &f);
	expect_good(check_at(&s, g.pki.leaf, time(NULL), other, &f), &f);
	become(0);
	assert_int_equal(name_lookups, 2);
	testhttp_stop(&r);
	ocsp_cache_free(other);
	ocsp_cache_free(cache);
	said = syslog_said();
	free(said);
}

/*
 * Root makes its directory, but only inside a cache_dir that exists: when
 * it does not, the administrator is told, once, how to make it.
 */
static void
missing_cache_dir_is_said(void **state)
{
	struct ocsp_cache *cache;
	struct ocsp_settings s;
	struct testhttp r;
	struct finding f;
	char dir[512], why[1200], says[1300], *said;

	(void)state;
	if (geteuid() != 0)
		skip();
	cache = cache_new(dir, sizeof(dir));
	assert_int_equal(rmdir(dir), 0);
	snprintf(why, sizeof(why), "OCSP answers of root are not kept on "
	    "disk: %s does not exist; as root, run: install -d -m 0755 '%s'",
	    dir, dir);
	snprintf(says, sizeof(says), "<84> mtls: %s\n", why);
	responder_start(&r, g.int_pem, g.int_key, false);
	s = settings(r.url);
	syslog_start();
	expect_good(check_at(&s, g.pki.leaf, time(NULL), cache, &f), &f);
	expect(check_at(&s, g.bob, time(NULL), cache, &f), &f,
	    MTLS_R_REVOKED, "revoked");
	testhttp_stop(&r);
	expect(check_at(&s, g.carol, time(NULL), cache, &f), &f,
	    MTLS_R_REVOCATION_UNAVAILABLE, why);
	ocsp_cache_free(cache);
	said = syslog_said();
	assert_string_equal(said, says);

	run_the_fix(said);
	free(said);
	responder_start(&r, g.int_pem, g.int_key, false);
	syslog_start();
	expect_good(check_in_new_process(dir, r.url, &f), &f);
	said = syslog_said();
	assert_string_equal(said, "");
	free(said);
	testhttp_stop(&r);
	assert_int_equal(cached_count(dir), 1);
}

/*
 * revocation.ocsp_max_age = 0 keeps no answer: each check asks the
 * responder, and one made without the network (a RADIUS server's gate)
 * finds none and rejects, saying why.  The administrator is told once,
 * in syslog, what that breaks and what to set.
 */
static void
zero_max_age_keeps_nothing_and_is_said_once(void **state)
{
	struct ocsp_call offline = { true, false, false, NULL };
	struct ocsp_cache *cache, *other;
	struct ocsp_settings s;
	struct testhttp r;
	struct finding f;
	char dir[512], says[1200], *said;
	const char *why = "<84> mtls: revocation.ocsp_max_age = 0 keeps no "
	    "OCSP answer, in memory or on disk: every verification asks the "
	    "responder, answers without a nextUpdate are refused, and a check "
	    "made without the network (the FreeRADIUS gate, mtls radius "
	    "authorize) finds none, so with mode = \"ocsp\" alone it rejects "
	    "every authentication; set ocsp_max_age to how long an answer may "
	    "be trusted, 300 or more (86400 when it is not set)";

	(void)state;
	/* as root: no directory of its own to be told about */
	if (geteuid() != 0)
		skip();
	cache = cache_new(dir, sizeof(dir));
	responder_start(&r, g.int_pem, g.int_key, false);
	s = settings(r.url);
	s.max_age = 0;
	syslog_start();
	expect_good(check_at(&s, g.pki.leaf, time(NULL), cache, &f), &f);
	expect_good(check_at(&s, g.pki.leaf, time(NULL), cache, &f), &f);
	testhttp_stop(&r);
	expect(ocsp_check(cache, &s, g.pki.leaf, g.pki.intermediate,
	    time(NULL), &offline, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "; no answer is kept, as revocation.ocsp_max_age is 0: set it to "
	    "300 or more");
	assert_int_equal(ocsp_cache_new(&other, dir, NULL), 0);
	expect(ocsp_check(other, &s, g.pki.leaf, g.pki.intermediate,
	    time(NULL), &offline, &f), &f, MTLS_R_REVOCATION_UNAVAILABLE,
	    "without the network");
	ocsp_cache_free(other);
	ocsp_cache_free(cache);
	/* once for each cache, as for each configuration loaded */
	said = syslog_said();
	snprintf(says, sizeof(says), "%s\n%s\n", why, why);
	assert_string_equal(said, says);
	free(said);
}

/*
 * As nobody, in a mount namespace where dir is read-only: root's answer
 * is read, and a check that finds none says nothing of a directory of
 * its own.  0, or which step failed.
 */
static int
check_read_only(const char *dir, const char *url)
{
	struct ocsp_call offline = { true, false, false, NULL };
	struct ocsp_settings s = settings(url);
	struct ocsp_cache *cache;
	struct finding f;
	int ret;

	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount(dir, dir, NULL, MS_BIND, NULL) != 0 ||
	    mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
	    NULL) != 0)
		return 77;
	if (seteuid(65534) != 0 || ocsp_cache_new(&cache, dir, NULL) != 0)
		return 2;
	ret = ocsp_check(cache, &s, g.pki.leaf, g.pki.intermediate,
	    time(NULL), NULL, &f) != 0 ? 3 :
	    ocsp_check(cache, &s, g.carol, g.pki.intermediate, time(NULL),
	    &offline, &f) == 0 ? 4 :
	    strstr(f.text, "not kept on disk") != NULL ? 5 : 0;
	if (ret != 0)
		fprintf(stderr, "read-only check, step %d: %s\n", ret, f.text);
	ocsp_cache_free(cache);
	return ret;
}

/*
 * mtls serve's unit runs it as a user of the moment, with cache_dir
 * read-only: it reads root's answers, and has no directory of its own to
 * be told about.
 */
static void
read_only_cache_dir_is_only_read(void **state)
{
	struct testhttp r;
	char dir[512], *said;
	int status;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(chmod(tpki_tmpdir(), 0755), 0);
	cache_one_answer(dir, sizeof(dir), &r);
	syslog_start();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(check_read_only(dir, r.url));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	said = syslog_said();
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		free(said);
		skip();
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(said, "");
	free(said);
}

struct worker {
	struct ocsp_cache *cache;
	struct ocsp_settings s;
	gnutls_x509_crt_t leaf;
	int failures;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct finding f;

	for (int i = 0; i < 5; i++)
		if (ocsp_check(w->cache, &w->s, w->leaf, g.pki.intermediate,
		    time(NULL), NULL, &f) != 0)
			w->failures++;
	return NULL;
}

static void
threads_share_one_cache(void **state)
{
	struct ocsp_cache *cache;
	struct worker w[4];
	pthread_t t[4];
	char dir[512];

	(void)state;
	cache = cache_new(dir, sizeof(dir));
	for (int i = 0; i < 4; i++) {
		w[i].cache = cache;
		w[i].s = settings(g.main.url);
		w[i].leaf = i % 2 ? g.pki.leaf : g.dave;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]),
		    0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	ocsp_cache_free(cache);
}

static bool
kept(struct ocsp_cache *cache, unsigned i, time_t now)
{
	unsigned char key[OCSP_CACHE_KEY_LEN] = { 0 };
	struct ocsp_answer a;

	memcpy(key, &i, sizeof(i));
	return ocsp_cache_get(cache, key, now, &a) == 0;
}

static void
memory_cache_stays_bounded(void **state)
{
	struct ocsp_answer a = { GNUTLS_OCSP_CERT_GOOD, -1, 0, 0 };
	unsigned char key[OCSP_CACHE_KEY_LEN] = { 0 };
	unsigned last = OCSP_CACHE_MEMORY_MAX + 100;
	struct ocsp_cache *cache;

	(void)state;
	assert_int_equal(ocsp_cache_new(&cache, NULL, NULL), 0);
	for (unsigned i = 0; i <= last; i++) {
		memcpy(key, &i, sizeof(i));
		a.until = 1000 + i;
		ocsp_cache_put(cache, key, &a, NULL, 0);
	}
	/* the answers closest to expiry made room */
	assert_true(kept(cache, last, 0));
	assert_true(kept(cache, last - OCSP_CACHE_MEMORY_MAX + 1, 0));
	assert_false(kept(cache, last - OCSP_CACHE_MEMORY_MAX, 0));
	assert_false(kept(cache, 0, 0));
	/* and an answer is not used from its expiry on */
	assert_false(kept(cache, last, 1000 + last));
	assert_true(kept(cache, last - 1, 1000 + last - 2));
	ocsp_cache_free(cache);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_certificate_is_good),
		cmocka_unit_test(revoked_certificate_is_revoked),
		cmocka_unit_test(unknown_certificate_is_unknown),
		cmocka_unit_test(responder_from_aia),
		cmocka_unit_test(no_responder_url_is_unavailable),
		cmocka_unit_test(responder_down_is_unavailable),
		cmocka_unit_test(slow_responder_times_out),
		cmocka_unit_test(no_deadline_is_refused),
		cmocka_unit_test(misbehaving_servers_are_unavailable),
		cmocka_unit_test(delegated_responder_accepted),
		cmocka_unit_test(other_signers_rejected),
		cmocka_unit_test(sha1_signed_answer_refused_unless_allowed),
		cmocka_unit_test(responder_sending_a_huge_key_is_unavailable),
		cmocka_unit_test(delegate_invalid_at_check_time_rejected),
		cmocka_unit_test(stale_response_rejected),
		cmocka_unit_test(response_from_the_future_rejected),
		cmocka_unit_test(skew_widens_this_update_only),
		cmocka_unit_test(fractional_next_update_refused),
		cmocka_unit_test(no_next_update_fresh_accepted),
		cmocka_unit_test(no_next_update_older_than_max_age_rejected),
		cmocka_unit_test(replayed_nonce_rejected),
		cmocka_unit_test(response_without_nonce),
		cmocka_unit_test(older_good_answer_never_undoes_a_revocation),
		cmocka_unit_test(newer_good_answer_releases_only_a_hold),
		cmocka_unit_test(cached_answers_need_no_responder),
		cmocka_unit_test(offline_checks_ask_only_the_cache),
		cmocka_unit_test(corrupt_cache_file_ignored_and_replaced),
		cmocka_unit_test(cache_file_others_could_write_ignored),
		cmocka_unit_test_teardown(other_users_keep_answers_of_their_own,
		    become_root_again),
		cmocka_unit_test(cache_directory_others_could_write_unused),
		cmocka_unit_test_teardown(
		    unusable_directory_of_a_user_is_said_once,
		    become_root_again),
		cmocka_unit_test_teardown(unusable_directory_user_named_once,
		    become_root_again),
		cmocka_unit_test(missing_cache_dir_is_said),
		cmocka_unit_test(zero_max_age_keeps_nothing_and_is_said_once),
		cmocka_unit_test(read_only_cache_dir_is_only_read),
		cmocka_unit_test(threads_share_one_cache),
		cmocka_unit_test(memory_cache_stays_bounded),
	};

	testhttp_private_network();
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
