/*
 * mtls crl update against a real HTTP server (python3's http.server, see
 * crl_http_server.py) on loopback, in a network namespace of its own:
 * whatever a source does wrong, the last good index stays, and the
 * failure is reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "config.h"
#include "crl_index.h"
#include "crl_seen.h"
#include "crl_update.h"
#include "testhttp.h"
#include "testpki.h"

/* The HTTP server, one for the whole run. */
static pid_t server_pid;
static int server_out;
static int server_port;
static char www[512];

struct fixture {
	struct tpki_std pki;
	struct mtls_config config;
	struct crl_update_limits limits;
	char cache[512];
	char index_dir[600];
	char lines[8192];	/* what the last run reported */
	int failed_lines;
	time_t now;
};

static int
start_server(void **state)
{
	int fds[2];
	char port[32];
	ssize_t n;

	(void)state;
	snprintf(www, sizeof(www), "%s/www", tpki_tmpdir());
	if (mkdir(www, 0755) != 0 || pipe(fds) != 0)
		return -1;
	server_pid = fork();
	if (server_pid < 0)
		return -1;
	if (server_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", MTLS_SOURCE_DIR
		    "/tests/crl_http_server.py", www, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* The port, then the newline, maybe in writes of their own; the pipe
	 * stays open so that no later write of the server's meets a closed
	 * pipe. */
	server_out = fds[0];
	for (size_t got = 0; got == 0 || port[got - 1] != '\n'; got += n) {
		n = got < sizeof(port) - 1 ?
		    read(server_out, port + got, sizeof(port) - 1 - got) : 0;
		if (n <= 0)
			return -1;
		port[got + n] = '\0';
	}
	server_port = atoi(port);
	return server_port > 0 ? 0 : -1;
}

static int
stop_server(void **state)
{
	(void)state;
	kill(server_pid, SIGTERM);
	waitpid(server_pid, NULL, 0);
	close(server_out);
	tpki_remove_tree(www);
	return 0;
}

static const char *
url(const char *name)
{
	static char buf[4][256];
	static unsigned next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "http://127.0.0.1:%d/%s", server_port,
	    name);
	return p;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	static unsigned seq;
	char path[600];

	if (fx == NULL)
		return -1;
	tpki_std_make(&fx->pki);
	fx->now = time(NULL);
	snprintf(fx->cache, sizeof(fx->cache), "%s/cache%u", tpki_tmpdir(),
	    seq);
	snprintf(fx->index_dir, sizeof(fx->index_dir), "%s/crl", fx->cache);
	snprintf(path, sizeof(path), "%s/root%u.pem", www, seq);
	tpki_write(path, &fx->pki.root, 1);
	if (strlist_add(&fx->config.ca_files, path) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/int%u.pem", www, seq++);
	tpki_write(path, &fx->pki.intermediate, 1);
	if (strlist_add(&fx->config.intermediates_files, path) != 0)
		return -1;
	fx->config.revocation.cache_dir = strdup(fx->cache);
	fx->config.policy.clock_skew = 300;
	fx->limits.max_bytes = 64 * 1024;
	fx->limits.timeout_ms = 10000;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	tpki_remove_tree(fx->cache);
	strlist_clear(&fx->config.ca_files);
	strlist_clear(&fx->config.intermediates_files);
	strlist_clear(&fx->config.revocation.crl_files);
	strlist_clear(&fx->config.revocation.crl_urls);
	free(fx->config.revocation.cache_dir);
	tpki_std_free(&fx->pki);
	free(fx);
	return 0;
}

static void
collect(void *arg, int failed, const char *line)
{
	struct fixture *fx = arg;
	size_t used = strlen(fx->lines);

	snprintf(fx->lines + used, sizeof(fx->lines) - used, "%s\n", line);
	fx->failed_lines += failed != 0;
}

static int
run(struct fixture *fx)
{
	fx->lines[0] = '\0';
	fx->failed_lines = 0;
	return crl_update_run(&fx->config, &fx->limits, fx->now, collect, fx);
}

static void
said(const struct fixture *fx, const char *what)
{
	if (strstr(fx->lines, what) == NULL)
		fail_msg("expected \"%s\" in the report:\n%s", what, fx->lines);
}

/*
 * Serve data as www/name, modified at fx->now + age (so that each new
 * version is newer for If-Modified-Since than the one before).
 */
static void
serve(const char *name, const void *data, size_t len, time_t modified)
{
	struct timeval times[2] = { { modified, 0 }, { modified, 0 } };
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", www, name);
	tpki_write_data(path, data, len);
	assert_int_equal(utimes(path, times), 0);
}

static void
serve_crl(const char *name, gnutls_x509_crl_t crl, time_t modified)
{
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	serve(name, der.data, der.size, modified);
	gnutls_free(der.data);
}

/* The intermediate's CRL revoking the leaf, or nothing. */
static gnutls_x509_crl_t
int_crl(struct fixture *fx, int revoke_leaf, time_t this_update,
    time_t next_update)
{
	return tpki_crl(fx->pki.intermediate, fx->pki.int_key,
	    revoke_leaf ? &fx->pki.leaf : NULL, revoke_leaf ? 1 : 0,
	    this_update, next_update);
}

/* What the index holds: exactly one file, whose facts are returned. */
struct published {
	uint64_t count;
	unsigned char crl_sha256[32];
	unsigned char number[CRL_INDEX_SERIAL_LEN];
	char source[256];
	time_t last_modified;
	ino_t inode;
};

static void
published(struct fixture *fx, struct published *p)
{
	struct crl_index *index;
	const struct crl_index_info *info;
	struct stat st;
	char err[512];

	if (crl_index_open(fx->index_dir, NULL, NULL, &index, err,
	    sizeof(err)) != 0)
		fail_msg("crl_index_open: %s", err);
	assert_int_equal(crl_index_count(index), 1);
	info = crl_index_file_info(crl_index_file(index, 0));
	p->count = info->count;
	memcpy(p->crl_sha256, info->crl_sha256, 32);
	memcpy(p->number, info->numbers.number, sizeof(p->number));
	snprintf(p->source, sizeof(p->source), "%s", info->source);
	p->last_modified = info->last_modified;
	assert_int_equal(stat(info->path, &st), 0);
	p->inode = st.st_ino;
	crl_index_close(index);
}

/* The one index file there is. */
static void
index_path(struct fixture *fx, char *path, size_t len)
{
	struct crl_index *index;
	char err[512];

	assert_int_equal(crl_index_open(fx->index_dir, NULL, NULL, &index, err,
	    sizeof(err)), 0);
	assert_int_equal(crl_index_count(index), 1);
	snprintf(path, len, "%s",
	    crl_index_file_info(crl_index_file(index, 0))->path);
	crl_index_close(index);
}

static void
assert_same_index(const struct published *a, const struct published *b)
{
	assert_memory_equal(a->crl_sha256, b->crl_sha256, 32);
	assert_int_equal(a->inode, b->inode);
}

static void
assert_crl_digest(const struct published *p, gnutls_x509_crl_t crl)
{
	gnutls_datum_t der;
	unsigned char digest[32];

	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data,
	    der.size, digest), 0);
	gnutls_free(der.data);
	assert_memory_equal(p->crl_sha256, digest, 32);
}

/* Publish a good CRL from url(name); returns what the index holds. */
static gnutls_x509_crl_t
publish_good(struct fixture *fx, const char *name, struct published *p)
{
	gnutls_x509_crl_t crl = int_crl(fx, 1, fx->now - 60, fx->now + 3600);

	serve_crl(name, crl, fx->now - 1000);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_urls,
	    url(name)), 0);
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Intermediate: 1 revoked");
	published(fx, p);
	assert_int_equal(p->count, 1);
	assert_string_equal(p->source, url(name));
	assert_int_equal(p->last_modified, fx->now - 1000);
	assert_crl_digest(p, crl);
	return crl;
}

static void
fresh_download_is_published_then_not_modified(void **state)
{
	struct fixture *fx = *state;
	struct published first, again;
	struct stat st;
	gnutls_x509_crl_t crl = publish_good(fx, "fresh.crl", &first);

	assert_int_equal(stat(fx->cache, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	/* the server has nothing newer: 304, and the index is untouched */
	assert_int_equal(run(fx), 0);
	said(fx, "not modified");
	published(fx, &again);
	assert_same_index(&first, &again);
	gnutls_x509_crl_deinit(crl);
}

static void
newer_crl_replaces_the_index(void **state)
{
	struct fixture *fx = *state;
	struct published before, after;
	gnutls_x509_crl_t old = publish_good(fx, "newer.crl", &before);
	gnutls_x509_crl_t crl = int_crl(fx, 0, fx->now - 30, fx->now + 7200);

	serve_crl("newer.crl", crl, fx->now - 500);
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Intermediate: 0 revoked");
	published(fx, &after);
	assert_int_equal(after.count, 0);
	assert_crl_digest(&after, crl);
	assert_int_equal(after.last_modified, fx->now - 500);
	assert_true(memcmp(after.number, before.number, 20) > 0);
	gnutls_x509_crl_deinit(old);
	gnutls_x509_crl_deinit(crl);
}

/* Each way a source can go wrong, with the last good index kept. */
static void
failing_source_keeps_index(struct fixture *fx, const char *source,
    const char *why)
{
	struct published good, after;
	gnutls_x509_crl_t crl = publish_good(fx, "good.crl", &good);

	strlist_clear(&fx->config.revocation.crl_urls);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_urls,
	    url(source)), 0);
	assert_int_equal(run(fx), 1);
	assert_int_equal(fx->failed_lines, 1);
	said(fx, url(source));
	said(fx, why);
	published(fx, &after);
	assert_same_index(&good, &after);
	assert_string_equal(after.source, url("good.crl"));
	gnutls_x509_crl_deinit(crl);
}

static void
not_found_keeps_index(void **state)
{
	failing_source_keeps_index(*state, "missing.crl", "HTTP 404");
}

static void
truncated_keeps_index(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 0, fx->now - 30, fx->now + 7200);

	serve_crl("cut.crl", crl, fx->now - 500);
	failing_source_keeps_index(fx, "truncate/cut.crl",
	    "transfer closed");
	gnutls_x509_crl_deinit(crl);
}

static void
oversized_keeps_index(void **state)
{
	struct fixture *fx = *state;
	size_t len = fx->limits.max_bytes + 1;
	unsigned char *big = calloc(1, len);

	assert_non_null(big);
	serve("big.crl", big, len, fx->now - 500);
	free(big);
	failing_source_keeps_index(fx, "big.crl", "more than 65536 bytes");
}

static void
garbage_keeps_index(void **state)
{
	struct fixture *fx = *state;

	serve("junk.crl", "<html>moved</html>", 19, fx->now - 500);
	failing_source_keeps_index(fx, "junk.crl", "not a CRL");
}

static void
bad_signature_keeps_index(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 0, fx->now - 30, fx->now + 7200);
	gnutls_datum_t der;

	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	der.data[der.size - 3] ^= 0x55;	/* inside the signature value */
	serve("forged.crl", der.data, der.size, fx->now - 500);
	gnutls_free(der.data);
	failing_source_keeps_index(fx, "forged.crl", "signature does not "
	    "match the key of 'CN=Test Intermediate'");
	gnutls_x509_crl_deinit(crl);
}

/*
 * A CRL signed with SHA-1 is not published while the policy refuses
 * SHA-1, as no verification would believe it, however new; with
 * policy.allow_sha1 it is.
 */
static void
sha1_crl_keeps_index_unless_allowed(void **state)
{
	struct fixture *fx = *state;
	struct published good, after;
	gnutls_x509_crl_t crl = publish_good(fx, "good.crl", &good);
	gnutls_x509_crl_t sha1 = tpki_crl_digest(fx->pki.intermediate,
	    fx->pki.int_key, NULL, 0, fx->now - 30, fx->now + 7200,
	    GNUTLS_DIG_SHA1);

	serve_crl("sha1.crl", sha1, fx->now - 500);
	gnutls_x509_crl_deinit(sha1);
	strlist_clear(&fx->config.revocation.crl_urls);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_urls,
	    url("sha1.crl")), 0);
	assert_int_equal(run(fx), 1);
	said(fx, "the CRL from 'CN=Test Intermediate' is refused: its CA "
	    "signs CRLs with SHA-1; have it sign with SHA-256, or set "
	    "policy.allow_sha1 = true; the published index is kept");
	published(fx, &after);
	assert_same_index(&good, &after);
	fx->config.policy.allow_sha1 = true;
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Intermediate: 0 revoked");
	gnutls_x509_crl_deinit(crl);
}

/* Same issuer name, another key: not the intermediate's CRL. */
static void
impostor_keeps_index(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t impostor = tpki_new("CN=Test Intermediate", key, 0);
	gnutls_x509_crl_t crl;

	tpki_make_ca(impostor, 0);
	tpki_sign(impostor, NULL, key, GNUTLS_DIG_SHA256);
	crl = tpki_crl(impostor, key, NULL, 0, fx->now - 30, fx->now + 7200);
	serve_crl("impostor.crl", crl, fx->now - 500);
	failing_source_keeps_index(fx, "impostor.crl", "signature does "
	    "not match");
	gnutls_x509_crl_deinit(crl);
	tpki_free(impostor);
	gnutls_x509_privkey_deinit(key);
}

static void
unknown_issuer_keeps_index(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t other = tpki_new("CN=Other CA", key, 0);
	gnutls_x509_crl_t crl;

	tpki_make_ca(other, -1);
	tpki_sign(other, NULL, key, GNUTLS_DIG_SHA256);
	crl = tpki_crl(other, key, NULL, 0, fx->now - 30, fx->now + 7200);
	serve_crl("other.crl", crl, fx->now - 500);
	failing_source_keeps_index(fx, "other.crl", "not among the "
	    "configured CAs");
	gnutls_x509_crl_deinit(crl);
	tpki_free(other);
	gnutls_x509_privkey_deinit(key);
}

static void
stale_keeps_index(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 0, fx->now - 7200, fx->now - 3600);

	serve_crl("stale.crl", crl, fx->now - 500);
	failing_source_keeps_index(fx, "stale.crl", "due for renewal");
	gnutls_x509_crl_deinit(crl);
}

static void
future_keeps_index(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 0, fx->now + 3600, fx->now + 7200);

	serve_crl("future.crl", crl, fx->now - 500);
	failing_source_keeps_index(fx, "future.crl", "clock");
	gnutls_x509_crl_deinit(crl);
}

static void
unsupported_crl_keeps_index(struct fixture *fx, const char *name,
    const char *crl_ext, const char *why)
{
	gnutls_x509_crl_t crl;

	tpki_write_data(tpki_path("empty-db.txt"), "", 0);
	crl = tpki_openssl_crl(fx->pki.intermediate, fx->pki.int_key,
	    tpki_path("empty-db.txt"), crl_ext);
	serve_crl(name, crl, fx->now - 500);
	failing_source_keeps_index(fx, name, why);
	gnutls_x509_crl_deinit(crl);
}

/* RFC 5280 has the deltaCRLIndicator critical, so that no reader can
 * take a delta CRL for a complete one. */
static void
noncritical_delta_crl_is_refused(void **state)
{
	unsupported_crl_keeps_index(*state, "delta.crl",
	    "2.5.29.27 = DER:02:01:05",
	    "deltaCRLIndicator extension not critical");
}

static void
indirect_crl_is_unsupported(void **state)
{
	unsupported_crl_keeps_index(*state, "indirect.crl",
	    "issuingDistributionPoint = critical, @idp\n"
	    "[idp]\nindirectCRL = TRUE\n",
	    "indirect CRLs are not supported");
}

/* tpki_crl() numbers CRLs in the order they are made. */
static void
older_crl_never_replaces_newer(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t older = int_crl(fx, 0, fx->now - 30, fx->now + 7200);

	serve_crl("older.crl", older, fx->now - 500);
	failing_source_keeps_index(fx, "older.crl", "of 'CN=Test "
	    "Intermediate' is older than #");
	said(fx, "good.crl; this source serves an outdated copy (a stale "
	    "mirror, or one replayed on the way); the published index is "
	    "kept");
	gnutls_x509_crl_deinit(older);
}

/* Within stale_grace a late CRL is still what logins would use. */
static void
late_crl_within_grace_is_published_and_reported(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 1, fx->now - 7200, fx->now - 600);
	struct published p;

	fx->config.revocation.stale_grace = 3600;
	serve_crl("late.crl", crl, fx->now - 500);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_urls,
	    url("late.crl")), 0);
	assert_int_equal(run(fx), 1);
	said(fx, "published, but the CRL was due for renewal");
	published(fx, &p);
	assert_crl_digest(&p, crl);
	gnutls_x509_crl_deinit(crl);
}

static void
local_file_is_published_and_unchanged_later(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 1, fx->now - 60, fx->now + 3600);
	struct published first, again;
	char path[600];

	snprintf(path, sizeof(path), "%s/local.crl", www);
	tpki_write_crl(path, crl);	/* PEM */
	assert_int_equal(strlist_add(&fx->config.revocation.crl_files, path),
	    0);
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Intermediate: 1 revoked");
	published(fx, &first);
	assert_crl_digest(&first, crl);
	assert_string_equal(first.source, path);
	assert_int_equal(run(fx), 0);
	said(fx, "unchanged");
	published(fx, &again);
	assert_same_index(&first, &again);
	gnutls_x509_crl_deinit(crl);
}

/*
 * An unchanged file is known without reading it, the same bytes again
 * without parsing them (crl_seen.h); a changed file, even of the same
 * size, is read again, and a damaged note of what was seen costs only
 * the parsing.
 */
static void
changed_file_is_read_again(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t first = int_crl(fx, 0, fx->now - 60, fx->now + 3600);
	gnutls_x509_crl_t second = int_crl(fx, 1, fx->now - 30,
	    fx->now + 3600);
	struct published before, after;
	char path[600], seen[4096];
	DIR *dir;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/changing.crl", www);
	tpki_write_crl(path, first);	/* PEM */
	assert_int_equal(strlist_add(&fx->config.revocation.crl_files, path),
	    0);
	assert_int_equal(run(fx), 0);
	said(fx, "0 revoked");
	published(fx, &before);

	tpki_write_crl(path, first);	/* the same bytes, rewritten */
	assert_int_equal(run(fx), 0);
	said(fx, "unchanged");
	published(fx, &after);
	assert_same_index(&before, &after);

	seen[0] = '\0';
	assert_non_null(dir = opendir(fx->index_dir));
	while ((e = readdir(dir)) != NULL)
		if (strstr(e->d_name, ".seen") != NULL)
			snprintf(seen, sizeof(seen), "%s/%s", fx->index_dir,
			    e->d_name);
	closedir(dir);
	assert_true(seen[0] != '\0');
	tpki_write_data(seen, "damaged", 7);
	assert_int_equal(run(fx), 0);
	said(fx, "unchanged");

	tpki_write_crl(path, second);
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Intermediate: 1 revoked");
	published(fx, &after);
	assert_crl_digest(&after, second);
	gnutls_x509_crl_deinit(first);
	gnutls_x509_crl_deinit(second);
}

/*
 * A file written in place within the clock tick (or, on some file
 * systems, the second) in which the update read it keeps its identity
 * (crl_seen.h) through that write: had the update remembered it, the
 * CRL written there would pass for the one read, and never be published
 * until the file changed again.  A file changed within a second of the
 * update is read again at the next; an older one is known by its
 * identity.
 */
static void
file_just_written_is_not_known_by_its_identity(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 1, fx->now - 60, fx->now + 3600);
	struct crl_seen seen;
	struct stat st;
	char path[600];

	snprintf(path, sizeof(path), "%s/fresh.crl", www);
	tpki_write_crl(path, crl);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_files, path),
	    0);
	fx->now = st.st_ctim.tv_sec;
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Intermediate: 1 revoked");
	assert_true(crl_seen_lookup(fx->index_dir, path, &seen));
	assert_int_equal(seen.file.ino, 0);
	fx->now = st.st_ctim.tv_sec + 2;
	assert_int_equal(run(fx), 0);
	said(fx, "unchanged");
	assert_true(crl_seen_lookup(fx->index_dir, path, &seen));
	assert_int_equal(seen.file.ino, (int64_t)st.st_ino);
	gnutls_x509_crl_deinit(crl);
}

/* The intermediate's distribution point names the root's CRL. */
static void
distribution_points_are_fetched_when_asked(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = tpki_crl(fx->pki.root, fx->pki.root_key,
	    NULL, 0, fx->now - 60, fx->now + 3600);
	gnutls_x509_crt_t ca = tpki_new("CN=Test Intermediate", fx->pki.int_key,
	    0);
	struct published p;

	tpki_make_ca(ca, 0);
	assert_int_equal(gnutls_x509_crt_set_crl_dist_points(ca,
	    GNUTLS_SAN_URI, url("root.crl"), 0), 0);
	assert_int_equal(gnutls_x509_crt_set_crl_dist_points(ca,
	    GNUTLS_SAN_URI, "ldap://ldap.example/cn=root", 0), 0);
	tpki_sign(ca, fx->pki.root, fx->pki.root_key, GNUTLS_DIG_SHA256);
	tpki_write(fx->config.intermediates_files.items[0], &ca, 1);
	serve_crl("root.crl", crl, fx->now - 500);

	assert_int_equal(run(fx), 0);
	said(fx, "no CRL source is configured");
	assert_int_equal(access(fx->index_dir, F_OK), 0);

	fx->config.revocation.crl_fetch = true;
	assert_int_equal(run(fx), 0);
	said(fx, "published the CRL of CN=Test Root");
	said(fx, "ldap://ldap.example/cn=root: skipped");
	published(fx, &p);
	assert_string_equal(p.source, url("root.crl"));
	gnutls_x509_crl_deinit(crl);
	tpki_free(ca);
}

/*
 * Configure the intermediate ca (of the intermediate's key) naming the
 * root's complete CRL at url(complete) and its delta CRLs at url(delta)
 * (freshestCRL), as AD CS writes them, and fetch what it names.
 */
static void
name_root_crls(struct fixture *fx, gnutls_x509_crt_t ca,
    const char *complete, const char *delta)
{
	tpki_make_ca(ca, 0);
	assert_int_equal(gnutls_x509_crt_set_crl_dist_points(ca,
	    GNUTLS_SAN_URI, url(complete), 0), 0);
	tpki_set_freshest_crl(ca, url(delta));
	tpki_sign(ca, fx->pki.root, fx->pki.root_key, GNUTLS_DIG_SHA256);
	tpki_write(fx->config.intermediates_files.items[0], &ca, 1);
	fx->config.revocation.crl_fetch = true;
}

/*
 * The intermediate's freshestCRL names the root's delta CRL (as AD CS
 * writes it): fetched with the distribution points, and published
 * beside the complete CRL, which it does not replace.
 */
static void
delta_crls_named_by_freshest_crl_are_fetched(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = tpki_crl(fx->pki.root, fx->pki.root_key,
	    NULL, 0, fx->now - 60, fx->now + 3600), delta;
	gnutls_x509_crt_t ca = tpki_new("CN=Test Intermediate", fx->pki.int_key,
	    0);
	struct crl_index *index;
	unsigned char number[8];
	size_t len = sizeof(number);
	char err[512], ext[64];

	/* a delta of that CRL, whose number is one octet */
	assert_int_equal(gnutls_x509_crl_get_number(crl, number, &len, NULL),
	    0);
	assert_int_equal(len, 1);
	snprintf(ext, sizeof(ext), "2.5.29.27 = critical, ASN1:INTEGER:%u",
	    number[0]);
	tpki_write_data(tpki_path("empty-db.txt"), "", 0);
	delta = tpki_openssl_crl(fx->pki.root, fx->pki.root_key,
	    tpki_path("empty-db.txt"), ext);
	name_root_crls(fx, ca, "root.crl", "root+.crl");
	serve_crl("root.crl", crl, fx->now - 500);
	serve_crl("root+.crl", delta, fx->now - 500);

	assert_int_equal(run(fx), 0);
	said(fx, "root+.crl: published the CRL of CN=Test Root");
	said(fx, "root.crl: published the CRL of CN=Test Root");
	if (crl_index_open(fx->index_dir, NULL, NULL, &index, err,
	    sizeof(err)) != 0)
		fail_msg("crl_index_open: %s", err);
	assert_int_equal(crl_index_count(index), 2);
	crl_index_close(index);
	gnutls_x509_crl_deinit(crl);
	gnutls_x509_crl_deinit(delta);
	tpki_free(ca);
}

/*
 * A delta CRL published without the complete CRL it counts from is a
 * failure of the update: verifications reject what it covers until that
 * complete CRL is published.
 */
static void
delta_without_its_complete_crl_fails(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 0, fx->now - 60, fx->now + 3600);
	gnutls_x509_crl_t delta, ahead;
	unsigned char number[8];
	size_t len = sizeof(number);
	char ext[64];

	assert_int_equal(gnutls_x509_crl_get_number(crl, number, &len, NULL),
	    0);
	assert_int_equal(len, 1);
	tpki_write_data(tpki_path("empty-db.txt"), "", 0);
	snprintf(ext, sizeof(ext), "2.5.29.27 = critical, ASN1:INTEGER:%u",
	    number[0]);
	delta = tpki_openssl_crl(fx->pki.intermediate, fx->pki.int_key,
	    tpki_path("empty-db.txt"), ext);
	snprintf(ext, sizeof(ext), "2.5.29.27 = critical, ASN1:INTEGER:%u",
	    number[0] + 1);
	ahead = tpki_openssl_crl(fx->pki.intermediate, fx->pki.int_key,
	    tpki_path("empty-db.txt"), ext);
	serve_crl("delta.crl", delta, fx->now - 500);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_urls,
	    url("delta.crl")), 0);
	assert_int_equal(run(fx), 1);
	said(fx, "has no complete CRL of its issuer in the index, so "
	    "verifications reject the certificates it covers (crl-missing)");

	serve_crl("complete.crl", crl, fx->now - 500);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_urls,
	    url("complete.crl")), 0);
	assert_int_equal(run(fx), 0);

	serve_crl("delta.crl", ahead, fx->now - 400);
	assert_int_equal(run(fx), 1);
	said(fx, "needs its complete CRL #");
	gnutls_x509_crl_deinit(crl);
	gnutls_x509_crl_deinit(delta);
	gnutls_x509_crl_deinit(ahead);
}

/* How many delta CRLs the index holds. */
static size_t
deltas_published(struct fixture *fx)
{
	struct crl_index *index;
	size_t n = 0;
	char err[512];

	if (crl_index_open(fx->index_dir, NULL, NULL, &index, err,
	    sizeof(err)) != 0)
		fail_msg("crl_index_open: %s", err);
	for (size_t i = 0; i < crl_index_count(index); i++)
		n += crl_index_file_info(crl_index_file(index, i))->numbers.delta;
	crl_index_close(index);
	return n;
}

/* url(name) answers 404 from now on. */
static void
unserve(const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", www, name);
	assert_int_equal(unlink(path), 0);
}

/* Have url(name) answer with HTTP status (0: serve the file again). */
static void
answer(const char *name, int status)
{
	char path[600], text[16];

	snprintf(path, sizeof(path), "%s/%s.status", www, name);
	if (status == 0) {
		assert_int_equal(unlink(path), 0);
		return;
	}
	snprintf(text, sizeof(text), "%d", status);
	tpki_write_data(path, text, strlen(text));
}

/*
 * The root turns delta CRLs off, as AD CS does: its next complete CRL no
 * longer names them (freshestCRL), and the URL the intermediate still
 * names for them answers 404.  That is the CA's answer, and the delta
 * CRL is dropped: kept, it would go stale and reject every certificate
 * of the root (crl-stale).  While the complete CRL still names delta
 * CRLs, a 404 or 410 is a failure and the delta CRL is kept; and a
 * server that fails (503) keeps it whatever the complete CRL says, as a
 * network failure does.  The complete CRL, unchanged, answers 304.
 * Later updates take the 404 for what it is, as long as the complete
 * CRL names no delta CRLs.
 */
/*
 * The root's complete CRL (naming its delta CRLs at url(freshest), or
 * none when NULL), its delta CRL, numbered next, and a newer complete
 * CRL that names none; returns the delta CRL's number.
 */
static unsigned
root_delta_turned_off(struct fixture *fx, const char *freshest,
    gnutls_x509_crl_t *crl, gnutls_x509_crl_t *delta,
    gnutls_x509_crl_t *rebased)
{
	unsigned char number[8];
	size_t len = sizeof(number);
	char ext[160];

	snprintf(ext, sizeof(ext), "freshestCRL = URI:%s",
	    freshest != NULL ? url(freshest) : "");
	tpki_write_data(tpki_path("empty-db.txt"), "", 0);
	*crl = tpki_openssl_crl(fx->pki.root, fx->pki.root_key,
	    tpki_path("empty-db.txt"), freshest != NULL ? ext : NULL);
	assert_int_equal(gnutls_x509_crl_get_number(*crl, number, &len, NULL),
	    0);
	assert_int_equal(len, 2);
	snprintf(ext, sizeof(ext), "2.5.29.27 = critical, ASN1:INTEGER:%u",
	    number[0] << 8 | number[1]);
	*delta = tpki_openssl_crl(fx->pki.root, fx->pki.root_key,
	    tpki_path("empty-db.txt"), ext);
	len = sizeof(number);
	assert_int_equal(gnutls_x509_crl_get_number(*delta, number, &len,
	    NULL), 0);
	*rebased = tpki_openssl_crl(fx->pki.root, fx->pki.root_key,
	    tpki_path("empty-db.txt"), NULL);
	return number[0] << 8 | number[1];
}

/*
 * Have ca name the root's CRLs at url(complete) and url(deltas), serve
 * crl and delta there, and publish both.
 */
static void
publish_root_delta(struct fixture *fx, gnutls_x509_crt_t ca,
    const char *complete, const char *deltas, gnutls_x509_crl_t crl,
    gnutls_x509_crl_t delta)
{
	name_root_crls(fx, ca, complete, deltas);
	serve_crl(complete, crl, fx->now - 500);
	serve_crl(deltas, delta, fx->now - 500);
	assert_int_equal(run(fx), 0);
	assert_int_equal(deltas_published(fx), 1);
}

static void
delta_crl_gone_from_its_server_is_dropped(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl, delta, rebased;
	gnutls_x509_crt_t ca = tpki_new("CN=Test Intermediate", fx->pki.int_key,
	    0);
	char said_number[128];

	snprintf(said_number, sizeof(said_number), "dropped the delta CRL "
	    "#%u of 'CN=Test Root': its server answers HTTP 404",
	    root_delta_turned_off(fx, "gone+.crl", &crl, &delta, &rebased));
	publish_root_delta(fx, ca, "gone.crl", "gone+.crl", crl, delta);

	/* the complete CRL still names delta CRLs: a 410 is a failure */
	answer("gone+.crl", 410);
	assert_int_equal(run(fx), 1);
	said(fx, "HTTP 410; the published delta CRL #");
	assert_int_equal(deltas_published(fx), 1);

	/* a server that fails says nothing of what the CA publishes */
	answer("gone+.crl", 503);
	assert_int_equal(run(fx), 1);
	said(fx, "HTTP 503; the published index is kept");
	assert_int_equal(deltas_published(fx), 1);

	/*
	 * the 404 is believed as the CA's complete CRLs, signed, go from
	 * naming delta CRLs to naming none
	 */
	serve_crl("gone.crl", rebased, fx->now - 400);
	answer("gone+.crl", 0);
	unserve("gone+.crl");
	assert_int_equal(run(fx), 0);
	said(fx, "gone.crl: published the CRL of CN=Test Root");
	said(fx, said_number);
	assert_int_equal(deltas_published(fx), 0);
	/* and the URL the intermediate names fails no later update */
	assert_int_equal(run(fx), 0);
	said(fx, "gone+.crl: no delta CRL here (HTTP 404), and the newest "
	    "complete CRL #");
	gnutls_x509_crl_deinit(crl);
	gnutls_x509_crl_deinit(delta);
	gnutls_x509_crl_deinit(rebased);
	tpki_free(ca);
}

/*
 * A 404 over plain HTTP is not signed: anyone on the path can forge it.
 * The complete CRLs of a CA that names its delta CRLs only in its
 * certificates never say that it stopped publishing them, so a 404 there
 * would switch delta CRLs off for good; the delta CRL is kept instead,
 * and the update fails, saying what to remove if the CA did stop.
 */
static void
forged_404_keeps_a_delta_crl_never_named(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl, delta, rebased;
	gnutls_x509_crt_t ca = tpki_new("CN=Test Intermediate", fx->pki.int_key,
	    0);
	char said_number[160];

	snprintf(said_number, sizeof(said_number), "forged.crl: its server "
	    "answers HTTP 404, but the complete CRL of 'CN=Test Root' indexed "
	    "with the delta CRL #%u named no delta CRLs",
	    root_delta_turned_off(fx, NULL, &crl, &delta, &rebased));
	publish_root_delta(fx, ca, "never.crl", "forged.crl", crl, delta);

	serve_crl("never.crl", rebased, fx->now - 400);
	answer("forged.crl", 404);
	assert_int_equal(run(fx), 1);
	said(fx, "never.crl: published the CRL of CN=Test Root");
	said(fx, said_number);
	said(fx, "if the CA did stop publishing delta CRLs, remove ");
	assert_int_equal(deltas_published(fx), 1);
	/* and the next forged 404 is no more believed than the first */
	assert_int_equal(run(fx), 1);
	said(fx, said_number);
	assert_int_equal(deltas_published(fx), 1);
	gnutls_x509_crl_deinit(crl);
	gnutls_x509_crl_deinit(delta);
	gnutls_x509_crl_deinit(rebased);
	tpki_free(ca);
}

static void
damaged_index_is_replaced(void **state)
{
	struct fixture *fx = *state;
	struct published good, after;
	gnutls_x509_crl_t crl = publish_good(fx, "repair.crl", &good);
	char path[4096];

	index_path(fx, path, sizeof(path));
	tpki_write_data(path, "MTLSCRLI", 8);
	/* the server sends it again: no If-Modified-Since without an index */
	assert_int_equal(run(fx), 1);
	said(fx, "corrupt CRL index");
	said(fx, "published the CRL of CN=Test Intermediate");
	published(fx, &after);
	assert_memory_equal(after.crl_sha256, good.crl_sha256, 32);
	gnutls_x509_crl_deinit(crl);
}

/*
 * Publish crl from the local file name, and return the index file's path
 * and its content (to damage, write back and gnutls_free()).
 */
static void
publish_local(struct fixture *fx, gnutls_x509_crl_t crl, const char *name,
    char path[4096], gnutls_datum_t *content)
{
	char local[600];

	snprintf(local, sizeof(local), "%s/%s", www, name);
	tpki_write_crl(local, crl);
	assert_int_equal(strlist_add(&fx->config.revocation.crl_files, local),
	    0);
	assert_int_equal(run(fx), 0);
	index_path(fx, path, 4096);
	assert_int_equal(gnutls_load_file(path, content), 0);
}

/*
 * A bit flipped in the serial of the one revoked certificate: the records
 * stay in order, the CRL is the one published, and yet the index would
 * accept the revoked leaf.  The update finds the damage and rebuilds it.
 */
static void
flipped_serial_bit_is_rebuilt(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = int_crl(fx, 1, fx->now - 60, fx->now + 3600);
	struct crl_index_file *file;
	unsigned char serial[32];
	size_t serial_len = sizeof(serial);
	char err[512], path[4096];
	gnutls_datum_t content;

	publish_local(fx, crl, "flip.crl", path, &content);
	content.data[content.size - 1] ^= 0x04;
	tpki_write_data(path, content.data, content.size);
	gnutls_free(content.data);

	assert_int_equal(run(fx), 1);
	said(fx, "checksum mismatch");
	said(fx, "published the CRL of CN=Test Intermediate: 1 revoked");
	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(gnutls_x509_crt_get_serial(fx->pki.leaf, serial,
	    &serial_len), 0);
	assert_int_equal(crl_index_file_lookup(file, serial, serial_len), 1);
	crl_index_file_close(file);
	gnutls_x509_crl_deinit(crl);
}

/* Records out of order are damage the update finds and repairs. */
static void
disordered_index_is_rebuilt(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t revoked[2] = { fx->pki.leaf, fx->pki.intermediate };
	gnutls_x509_crl_t crl = tpki_crl(fx->pki.intermediate, fx->pki.int_key,
	    revoked, 2, fx->now - 60, fx->now + 3600);
	struct crl_index_file *file;
	unsigned char *last, tmp[20];
	char err[512], path[4096];
	gnutls_datum_t content;

	publish_local(fx, crl, "two.crl", path, &content);
	last = content.data + content.size - 20;
	memcpy(tmp, last, 20);
	memcpy(last, last - 20, 20);
	memcpy(last - 20, tmp, 20);
	tpki_write_data(path, content.data, content.size);
	gnutls_free(content.data);

	assert_int_equal(run(fx), 1);
	said(fx, "checksum mismatch");
	said(fx, "published the CRL of CN=Test Intermediate: 2 revoked");
	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_verify(file, err, sizeof(err)), 0);
	crl_index_file_close(file);
	gnutls_x509_crl_deinit(crl);
}

static void
unusable_setup_is_an_error(void **state)
{
	struct fixture *fx = *state;

	free(fx->config.revocation.cache_dir);
	fx->config.revocation.cache_dir = NULL;
	assert_int_equal(run(fx), -1);
	said(fx, "revocation.cache_dir is not set");

	fx->config.revocation.cache_dir = strdup("/proc/mtls-cannot-be-here");
	assert_int_equal(run(fx), -1);
	said(fx, "cannot create");

	free(fx->config.revocation.cache_dir);
	fx->config.revocation.cache_dir = strdup(fx->cache);
	assert_int_equal(strlist_add(&fx->config.ca_files, "/nonexistent.pem"),
	    0);
	assert_int_equal(run(fx), -1);
	said(fx, "/nonexistent.pem");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    fresh_download_is_published_then_not_modified, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(newer_crl_replaces_the_index,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(not_found_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(truncated_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(oversized_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(garbage_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    sha1_crl_keeps_index_unless_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_signature_keeps_index,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(impostor_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(unknown_issuer_keeps_index,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(stale_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(future_keeps_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    delta_crls_named_by_freshest_crl_are_fetched, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    delta_without_its_complete_crl_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    delta_crl_gone_from_its_server_is_dropped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    forged_404_keeps_a_delta_crl_never_named, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(noncritical_delta_crl_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(indirect_crl_is_unsupported,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(older_crl_never_replaces_newer,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    late_crl_within_grace_is_published_and_reported, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    local_file_is_published_and_unchanged_later, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    file_just_written_is_not_known_by_its_identity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(changed_file_is_read_again,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    distribution_points_are_fetched_when_asked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(damaged_index_is_replaced,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(flipped_serial_bit_is_rebuilt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(disordered_index_is_rebuilt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(unusable_setup_is_an_error,
		    setup, teardown),
	};

	testhttp_private_network();
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
