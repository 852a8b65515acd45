/* The on-disk CRL index: what a CRL says must be what a lookup answers,
 * for the right issuer key only, and a damaged index must never answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "crl_index.h"
#include "crl_index_format.h"
#include "testpki.h"
#include "testutil.h"

struct fixture {
	struct tpki_std pki;
	gnutls_x509_crt_t chain[3];	/* leaf, intermediate, root */
	char dir[512];
	time_t now;
	struct mtls_policy policy;	/* defaults: SHA-1 refused */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	static unsigned seq;

	if (fx == NULL)
		return -1;
	tpki_std_make(&fx->pki);
	fx->chain[0] = fx->pki.leaf;
	fx->chain[1] = fx->pki.intermediate;
	fx->chain[2] = fx->pki.root;
	snprintf(fx->dir, sizeof(fx->dir), "%s/index%u", tpki_tmpdir(), seq++);
	if (mkdir(fx->dir, 0755) != 0)
		return -1;
	fx->now = time(NULL);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	tpki_remove_tree(fx->dir);
	tpki_std_free(&fx->pki);
	free(fx);
	return 0;
}

/* Index crl (signed by issuer) into dir; returns the file written. */
static const char *
index_crl(const char *dir, gnutls_x509_crl_t crl, gnutls_x509_crt_t issuer,
    const char *source)
{
	static char path[4096];
	struct crlread read;
	gnutls_datum_t der;
	char err[512];

	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	if (crlread_der(&read, der.data, der.size, err, sizeof(err)) != 0 ||
	    crl_index_build(&read, der.data, der.size, issuer, dir, source, 0,
	    path, sizeof(path), err, sizeof(err)) != 0)
		fail_msg("crl_index_build: %s", err);
	crlread_clear(&read);
	gnutls_free(der.data);
	return path;
}

/* The intermediate's CRL listing revoked[0..n-1], valid around now. */
static const char *
index_int_crl(struct fixture *fx, gnutls_x509_crt_t *revoked, size_t n)
{
	gnutls_x509_crl_t crl = tpki_crl(fx->pki.intermediate, fx->pki.int_key,
	    revoked, n, fx->now - 3600, fx->now + 3600);
	const char *path = index_crl(fx->dir, crl, fx->pki.intermediate,
	    "http://crl.example/int.crl");

	gnutls_x509_crl_deinit(crl);
	return path;
}

static struct crl_index *
open_strict(const char *dir)
{
	struct crl_index *index;
	char err[512];

	if (crl_index_open(dir, NULL, NULL, &index, err, sizeof(err)) != 0)
		fail_msg("crl_index_open: %s", err);
	return index;
}

static int
check(struct fixture *fx, enum mtls_crl_require require, unsigned grace,
    time_t now, struct finding *f)
{
	struct crl_index *index = open_strict(fx->dir);
	int ret;

	memset(f, 0, sizeof(*f));
	ret = crl_index_check(index, &fx->policy, fx->chain, 3, require,
	    grace, 0, now, f);
	crl_index_close(index);
	return ret;
}

static void
header_records_what_the_crl_says(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t revoked[2] = { fx->pki.leaf, fx->pki.root };
	struct crl_index_file *file;
	const struct crl_index_info *info;
	gnutls_datum_t dn;
	char err[512];

	assert_int_equal(crl_index_file_open(index_int_crl(fx, revoked, 2),
	    &file, err, sizeof(err)), 0);
	info = crl_index_file_info(file);
	assert_int_equal(info->count, 2);
	assert_int_equal(info->this_update, fx->now - 3600);
	assert_int_equal(info->next_update, fx->now + 3600);
	assert_string_equal(info->source, "http://crl.example/int.crl");
	assert_int_equal(gnutls_x509_crt_get_raw_dn(fx->pki.intermediate, &dn),
	    0);
	assert_int_equal(info->issuer_dn_len, dn.size);
	assert_memory_equal(info->issuer_dn, dn.data, dn.size);
	gnutls_free(dn.data);
	assert_int_equal(info->aki_len, 20);
	assert_int_equal(info->ski_len, 20);
	assert_memory_equal(info->aki, info->ski, 20);
	crl_index_file_close(file);
}

static void
revoked_leaf_is_rejected(void **state)
{
	struct fixture *fx = *state;
	struct finding f;

	index_int_crl(fx, &fx->pki.leaf, 1);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	assert_contains(f.text, "CN=alice");
	assert_contains(f.text, "CN=Test Intermediate");
	/* revocation does not wait for coverage to be required */
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
}

static void
unlisted_leaf_is_accepted(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t other = tpki_new("CN=bob", fx->pki.leaf_key, 0);
	struct finding f;

	tpki_sign(other, fx->pki.intermediate, fx->pki.int_key,
	    GNUTLS_DIG_SHA256);
	index_int_crl(fx, &other, 1);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), 0);
	tpki_free(other);
}

/*
 * An index holds a CRL as it was published, by an update whose policy
 * may have allowed SHA-1, or by an older mtls: each verification judges
 * the CRL's signature algorithm, which the index records, by its own
 * policy.
 */
static void
sha1_crl_refused_unless_allowed(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = tpki_crl_digest(fx->pki.intermediate,
	    fx->pki.int_key, &fx->pki.leaf, 1, fx->now - 3600, fx->now + 3600,
	    GNUTLS_DIG_SHA1);
	struct finding f;

	index_crl(fx->dir, crl, fx->pki.intermediate,
	    "http://crl.example/int.crl");
	gnutls_x509_crl_deinit(crl);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_INVALID);
	assert_contains(f.text, "http://crl.example/int.crl");
	assert_contains(f.text, "its CA signs CRLs with SHA-1; have it sign "
	    "with SHA-256, or set policy.allow_sha1 = true");
	fx->policy.allow_sha1 = true;
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
}

static void
empty_crl_covers(void **state)
{
	struct fixture *fx = *state;
	struct finding f;

	index_int_crl(fx, NULL, 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), 0);
}

static void
stale_crl_rejects_unless_within_grace(void **state)
{
	struct fixture *fx = *state;
	time_t later = fx->now + 7200;	/* nextUpdate was now + 3600 */
	struct finding f;

	index_int_crl(fx, NULL, 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, later, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_STALE);
	assert_contains(f.text, "CN=alice");
	assert_contains(f.text, "http://crl.example/int.crl");
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 3600, later, &f), 0);
	/* a covering CRL must be fresh, required or not, as in crl_check() */
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, later, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_STALE);
}

/*
 * Found by fuzz_crl_index: an index records whatever source its updater
 * was given, and a control character in it reached the explanation.
 */
static void
source_is_escaped_in_explanations(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = tpki_crl(fx->pki.intermediate, fx->pki.int_key,
	    NULL, 0, fx->now - 3600, fx->now + 3600);
	struct finding f;

	index_crl(fx->dir, crl, fx->pki.intermediate,
	    "http://crl.example/\x1b[2J\nint.crl");
	gnutls_x509_crl_deinit(crl);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now + 7200,
	    &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_STALE);
	assert_contains(f.text, "(http://crl.example/\\x1b[2J\\x0aint.crl)");
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now - 7200,
	    &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_INVALID);
	assert_contains(f.text, "(http://crl.example/\\x1b[2J\\x0aint.crl)");
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), 0);
}

static void
future_crl_is_invalid(void **state)
{
	struct fixture *fx = *state;
	struct finding f;

	index_int_crl(fx, NULL, 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now - 7200,
	    &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_INVALID);
	assert_contains(f.text, "clock");
}

static void
missing_coverage_follows_crl_require(void **state)
{
	struct fixture *fx = *state;
	struct finding f;

	/* no index at all: the directory does not even exist */
	assert_int_equal(rmdir(fx->dir), 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_MISSING);
	assert_contains(f.text, "CN=alice");
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, fx->now, &f), 0);

	assert_int_equal(mkdir(fx->dir, 0755), 0);
	index_int_crl(fx, NULL, 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), 0);
	/* the whole chain: the intermediate needs the root's CRL */
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_CHAIN, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_MISSING);
	assert_contains(f.text, "CN=Test Intermediate");
	assert_null(strstr(f.text, "alice"));
}

static void
revoked_intermediate_is_rejected(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = tpki_crl(fx->pki.root, fx->pki.root_key,
	    &fx->pki.intermediate, 1, fx->now - 60, fx->now + 3600);
	struct finding f;

	index_crl(fx->dir, crl, fx->pki.root, "/etc/mtls/root.crl");
	gnutls_x509_crl_deinit(crl);
	index_int_crl(fx, NULL, 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	assert_contains(f.text, "CN=Test Intermediate");
	assert_contains(f.text, "CN=Test Root");
}

/*
 * An intermediate re-keyed under the same name: the old key's CRL lists a
 * serial the new key also issued, but speaks only for the old key.
 */
static void
crl_of_another_key_does_not_apply(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_privkey_t new_key = tpki_key_ec();
	gnutls_x509_crt_t rekeyed = tpki_new("CN=Test Intermediate", new_key,
	    0);
	gnutls_x509_crt_t twin = tpki_new("CN=alice", fx->pki.leaf_key, 0);
	unsigned char serial[64];
	size_t len = sizeof(serial);
	struct finding f;

	tpki_make_ca(rekeyed, 0);
	tpki_sign(rekeyed, fx->pki.root, fx->pki.root_key, GNUTLS_DIG_SHA256);
	assert_int_equal(gnutls_x509_crt_get_serial(fx->pki.leaf, serial, &len),
	    0);
	assert_int_equal(gnutls_x509_crt_set_serial(twin, serial, len), 0);
	tpki_make_client(twin);
	tpki_sign(twin, rekeyed, new_key, GNUTLS_DIG_SHA256);

	index_int_crl(fx, &fx->pki.leaf, 1);
	fx->chain[0] = twin;
	fx->chain[1] = rekeyed;
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, fx->now, &f), 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_MISSING);
	/* and the old key's own certificate is still caught */
	fx->chain[0] = fx->pki.leaf;
	fx->chain[1] = fx->pki.intermediate;
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	tpki_free(twin);
	tpki_free(rekeyed);
	gnutls_x509_privkey_deinit(new_key);
}

static void
refused(const char *dir, const char *path, const char *why)
{
	struct crl_index_file *file;
	struct crl_index *index;
	char err[512];

	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)),
	    -1);
	assert_contains(err, why);
	assert_int_equal(crl_index_open(dir, NULL, NULL, &index, err,
	    sizeof(err)), -1);
	assert_contains(err, why);
}

static void
count_skip(void *arg, const char *why)
{
	(void)why;
	(*(int *)arg)++;
}

static void
damaged_index_is_refused(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t revoked[2] = { fx->pki.leaf, fx->pki.root };
	const char *path = index_int_crl(fx, revoked, 2);
	struct crl_index *index;
	unsigned char *good;
	size_t len;
	char err[512];
	int skipped = 0;

	good = slurp(path, &len);
	assert_int_equal(crl_index_open(fx->dir, NULL, NULL, &index, err,
	    sizeof(err)), 0);
	crl_index_close(index);

	tpki_write_data(path, good, len - 1);
	refused(fx->dir, path, "size does not match");
	tpki_write_data(path, good, 100);
	refused(fx->dir, path, "truncated header");
	tpki_write_data(path, good, 0);
	refused(fx->dir, path, "truncated header");
	good[200] ^= 1;
	tpki_write_data(path, good, len);
	refused(fx->dir, path, "checksum");
	good[200] ^= 1;
	good[0] = 'X';
	tpki_write_data(path, good, len);
	refused(fx->dir, path, "not a CRL index");
	good[0] = 'M';
	good[11] = 1;
	tpki_write_data(path, good, len);
	refused(fx->dir, path, "unknown version");
	/* format 2, which hashed the whole file at open */
	good[11] = 2;
	tpki_write_data(path, good, len);
	refused(fx->dir, path, "older mtls");

	/* the updater passes over what it will replace */
	assert_int_equal(crl_index_open(fx->dir, count_skip, &skipped, &index,
	    err, sizeof(err)), 0);
	assert_int_equal(skipped, 1);
	assert_int_equal(crl_index_count(index), 0);
	crl_index_close(index);
	free(good);
}

/* The file opens, and the full check finds why it is damaged. */
static void
full_check_finds(const char *path, const char *why)
{
	struct crl_index_file *file;
	char err[512];

	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_verify(file, err, sizeof(err)), -1);
	assert_contains(err, why);
	crl_index_file_close(file);
}

/*
 * One flipped bit in a serial record keeps a single record in order, and
 * turns the revoked serial into another: the revoked certificate would be
 * accepted.  Its block no longer matches its digest, so the lookup that
 * reads it refuses the index, and a full check reports it.
 */
static void
flipped_serial_bit_is_refused(void **state)
{
	struct fixture *fx = *state;
	const char *path = index_int_crl(fx, &fx->pki.leaf, 1);
	unsigned char *data;
	struct finding f;
	size_t len;

	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	data = slurp(path, &len);
	data[len - 1] ^= 0x02;
	tpki_write_data(path, data, len);
	free(data);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_INVALID);
	assert_contains(f.text, path);
	assert_contains(f.text, "run \"mtls crl update\"");
	full_check_finds(path, "checksum mismatch in serial block 0");
}

static void
renamed_index_is_refused(void **state)
{
	struct fixture *fx = *state;
	const char *path = index_int_crl(fx, NULL, 0);
	char other[600];

	snprintf(other, sizeof(other), "%s/00-00.crlidx", fx->dir);
	assert_int_equal(rename(path, other), 0);
	refused(fx->dir, other, "file name does not match");
}

/* A FIFO where an index file should be is refused, not waited on. */
static void
fifo_index_is_refused_without_waiting(void **state)
{
	struct fixture *fx = *state;
	char path[600];

	snprintf(path, sizeof(path), "%s/00-00.crlidx", fx->dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	/* SIGALRM ends the test, failed, if the open waits */
	alarm(10);
	refused(fx->dir, path, "not a regular file");
	alarm(0);
}

/* The tables and checksum of an index file as its records now are. */
static void
mend_checksum(unsigned char *data, size_t len)
{
	size_t header_size = crlx_get_u32(data + CRLX_OFF_HEADER_SIZE);
	uint64_t count = crlx_get_u64(data + CRLX_OFF_COUNT);
	uint64_t marked = crlx_get_u64(data + CRLX_OFF_MARKED_COUNT);
	size_t tables_len = crlx_blocks(count) * CRLX_TABLE_ENTRY;

	assert_int_equal(len, header_size + tables_len + (count + marked) *
	    20);
	assert_int_equal(crlx_tables(data + header_size + tables_len, count,
	    data + header_size), 0);
	assert_int_equal(crlx_checksum(data, header_size, data + header_size,
	    tables_len, data + len - marked * 20, marked * 20,
	    data + CRLX_OFF_CHECKSUM), 0);
}

/* Every lookup of these certificates' serials finds the index corrupt. */
static void
lookups_refused(const char *path, gnutls_x509_crt_t *crts, size_t n)
{
	struct crl_index_file *file;
	char err[512];

	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char serial[64];
		size_t slen = sizeof(serial);

		assert_int_equal(gnutls_x509_crt_get_serial(crts[i], serial,
		    &slen), 0);
		assert_int_equal(crl_index_file_lookup(file, serial, slen), -2);
	}
	crl_index_file_close(file);
}

/* Records out of order, as a bit flip in a big file would leave them. */
static void
disordered_records_are_refused(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t bobs[7];
	struct crl_index_file *file;
	char err[512];
	unsigned char *data;
	const char *path;
	size_t len, nrec = 7, first;
	struct finding f;

	for (size_t i = 0; i < nrec; i++) {
		bobs[i] = tpki_new("CN=bob", fx->pki.leaf_key, 0);
		tpki_sign(bobs[i], fx->pki.intermediate, fx->pki.int_key,
		    GNUTLS_DIG_SHA256);
	}
	path = index_int_crl(fx, bobs, nrec);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), 0);
	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_verify(file, err, sizeof(err)), 0);
	crl_index_file_close(file);
	data = slurp(path, &len);
	first = len - nrec * 20;
	for (size_t i = 0; i < nrec / 2; i++) {
		unsigned char tmp[20];

		memcpy(tmp, data + first + i * 20, 20);
		memcpy(data + first + i * 20,
		    data + first + (nrec - 1 - i) * 20, 20);
		memcpy(data + first + (nrec - 1 - i) * 20, tmp, 20);
	}
	tpki_write_data(path, data, len);
	full_check_finds(path, "checksum mismatch");
	/* every revoked serial is in the damaged block: none is accepted */
	lookups_refused(path, bobs, nrec);
	/* and with the digests made to match, as a file written out of
	 * order would be, the full check finds it, and so does every
	 * lookup, also of the serials below the block's fence (now its
	 * highest), which a search of the fences alone would call not
	 * listed */
	mend_checksum(data, len);
	tpki_write_data(path, data, len);
	free(data);
	full_check_finds(path, "serials out of order in serial block 0");
	lookups_refused(path, bobs, nrec);
	for (size_t i = 0; i < nrec; i++)
		tpki_free(bobs[i]);
}

/* dir as if last changed seconds ago. */
static void
changed_ago(const char *dir, time_t seconds)
{
	struct timespec ago[2];

	ago[0].tv_sec = ago[1].tv_sec = time(NULL) - seconds;
	ago[0].tv_nsec = ago[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, dir, ago, 0), 0);
}

/*
 * A long-running process learns when to open the index anew: when the
 * directory changed, and when it was read within a second of a change,
 * which may have been followed by another its mtime cannot show.
 */
static void
published_update_outdates_an_open_index(void **state)
{
	struct fixture *fx = *state;
	struct crl_index *index, *missing;
	char err[512], absent[600];

	index_int_crl(fx, NULL, 0);
	changed_ago(fx->dir, 0);
	index = open_strict(fx->dir);
	assert_true(crl_index_outdated(index));
	crl_index_close(index);
	changed_ago(fx->dir, 60);
	index = open_strict(fx->dir);
	assert_false(crl_index_outdated(index));
	index_int_crl(fx, &fx->pki.leaf, 1);
	assert_true(crl_index_outdated(index));
	crl_index_close(index);

	snprintf(absent, sizeof(absent), "%s/not-yet", fx->dir);
	assert_int_equal(crl_index_open(absent, NULL, NULL, &missing, err,
	    sizeof(err)), 0);
	assert_int_equal(crl_index_count(missing), 0);
	assert_false(crl_index_outdated(missing));
	assert_int_equal(mkdir(absent, 0755), 0);
	assert_true(crl_index_outdated(missing));
	crl_index_close(missing);
}

static void
temporary_and_foreign_files_are_ignored(void **state)
{
	struct fixture *fx = *state;
	struct crl_index *index;
	char path[600], err[512];

	index_int_crl(fx, NULL, 0);
	snprintf(path, sizeof(path), "%s/.half-written.crlidx.Xy12ab", fx->dir);
	tpki_write_data(path, "junk", 4);
	snprintf(path, sizeof(path), "%s/README", fx->dir);
	tpki_write_data(path, "junk", 4);
	assert_int_equal(crl_index_open(fx->dir, NULL, NULL, &index, err,
	    sizeof(err)), 0);
	assert_int_equal(crl_index_count(index), 1);
	crl_index_close(index);
}

/* Serials compare as numbers: a DER sign octet does not make another. */
static void
serials_are_normalised(void **state)
{
	struct fixture *fx = *state;
	static const unsigned char high[] = { 0x00, 0x80, 0x01 };
	static const unsigned char padded[] = { 0x00, 0x00, 0x80, 0x01 };
	static const unsigned char other[] = { 0x00, 0x80, 0x02 };
	static const unsigned char negative[] = { 0x80, 0x01 };
	static const unsigned char too_long[21] = { 0x01 };
	gnutls_x509_crt_t crt = tpki_new("CN=carol", fx->pki.leaf_key, 0);
	struct crl_index_file *file;
	char err[512];

	assert_int_equal(gnutls_x509_crt_set_serial(crt, high, sizeof(high)),
	    0);
	tpki_sign(crt, fx->pki.intermediate, fx->pki.int_key,
	    GNUTLS_DIG_SHA256);
	assert_int_equal(crl_index_file_open(index_int_crl(fx, &crt, 1), &file,
	    err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_lookup(file, high, sizeof(high)), 1);
	assert_int_equal(crl_index_file_lookup(file, padded, sizeof(padded)),
	    1);
	assert_int_equal(crl_index_file_lookup(file, other, sizeof(other)), 0);
	assert_int_equal(crl_index_file_lookup(file, negative,
	    sizeof(negative)), -1);
	assert_int_equal(crl_index_file_lookup(file, too_long,
	    sizeof(too_long)), -1);
	crl_index_file_close(file);
	tpki_free(crt);
}

/* openssl's CRLs start now by its clock: the checks look from then on. */
static gnutls_x509_crl_t
openssl_crl(struct fixture *fx, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key, const char *db, const char *crl_ext)
{
	gnutls_x509_crl_t crl = tpki_openssl_crl(issuer, key, db, crl_ext);

	fx->now = gnutls_x509_crl_get_this_update(crl);
	return crl;
}

/* A new, empty openssl CA database in the fixture's directory. */
static FILE *
new_db(struct fixture *fx, char db[600])
{
	FILE *fp;

	snprintf(db, 600, "%s/db.txt", fx->dir);
	fp = fopen(db, "w");
	assert_non_null(fp);
	return fp;
}

/* The intermediate's CRL by openssl, listing crts, with crl_ext. */
static gnutls_x509_crl_t
openssl_int_crl(struct fixture *fx, gnutls_x509_crt_t *crts, size_t n,
    const char *crl_ext)
{
	char db[600];
	FILE *fp = new_db(fx, db);

	for (size_t i = 0; i < n; i++) {
		unsigned char serial[64];
		size_t len = sizeof(serial);

		assert_int_equal(gnutls_x509_crt_get_serial(crts[i], serial,
		    &len), 0);
		tpki_db_revoked(fp, serial, len);
	}
	assert_int_equal(fclose(fp), 0);
	return openssl_crl(fx, fx->pki.intermediate, fx->pki.int_key, db,
	    crl_ext);
}

/*
 * The serials a complete CRL has on hold are marked in its index, after
 * the records, under the checksum: a lookup tells them from the others,
 * and marks out of order or altered refuse the file.
 */
static void
holds_are_marked(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t crts[3];
	unsigned char serials[3][64];
	size_t lens[3];
	struct crl_index_file *file;
	gnutls_x509_crl_t crl;
	unsigned char *data;
	const char *path;
	char db[600], err[512];
	FILE *fp = new_db(fx, db);
	size_t len;

	for (size_t i = 0; i < 3; i++) {
		crts[i] = tpki_new("CN=bob", fx->pki.leaf_key, 0);
		tpki_sign(crts[i], fx->pki.intermediate, fx->pki.int_key,
		    GNUTLS_DIG_SHA256);
		lens[i] = sizeof(serials[i]);
		assert_int_equal(gnutls_x509_crt_get_serial(crts[i],
		    serials[i], &lens[i]), 0);
		/* two on hold, one revoked for good */
		tpki_db_revoked_reason(fp, serials[i], lens[i], i < 2 ?
		    "certificateHold,holdInstructionReject" : "keyCompromise");
	}
	assert_int_equal(fclose(fp), 0);
	crl = openssl_crl(fx, fx->pki.intermediate, fx->pki.int_key, db, NULL);
	path = index_crl(fx->dir, crl, fx->pki.intermediate, "int.crl");
	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_info(file)->marked, 2);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(crl_index_file_lookup(file, serials[i],
		    lens[i]), 1);
		assert_int_equal(crl_index_file_marked(file, serials[i],
		    lens[i]), i < 2);
	}
	crl_index_file_close(file);

	data = slurp(path, &len);
	/* the two marks swapped, the checksum made to match */
	{
		unsigned char tmp[20];

		memcpy(tmp, data + len - 40, 20);
		memcpy(data + len - 40, data + len - 20, 20);
		memcpy(data + len - 20, tmp, 20);
	}
	mend_checksum(data, len);
	tpki_write_data(path, data, len);
	refused(fx->dir, path, "marked serials out of order");
	/* a mark altered, the checksum left */
	data[len - 1] ^= 1;
	tpki_write_data(path, data, len);
	refused(fx->dir, path, "checksum mismatch");
	free(data);
	gnutls_x509_crl_deinit(crl);
	for (size_t i = 0; i < 3; i++)
		tpki_free(crts[i]);
}

static void
serial_be32(uint32_t s, unsigned char out[4])
{
	out[0] = (unsigned char)(s >> 24);
	out[1] = (unsigned char)(s >> 16);
	out[2] = (unsigned char)(s >> 8);
	out[3] = (unsigned char)s;
}

#define IDP_ONLY_USER "issuingDistributionPoint = critical, @idp\n" \
	"[idp]\nonlyuser = TRUE\n"
#define IDP_ONLY_CA "issuingDistributionPoint = critical, @idp\n" \
	"[idp]\nonlyCA = TRUE\n"
#define IDP_PARTITION(uri) "issuingDistributionPoint = critical, @idp\n" \
	"[idp]\nfullname = URI:" uri "\n"

static size_t
index_count(const char *dir)
{
	struct crl_index *index = open_strict(dir);
	size_t n = crl_index_count(index);

	crl_index_close(index);
	return n;
}

/* The root's CRL listing the intermediate, openssl-made, with crl_ext. */
static void
index_root_crl(struct fixture *fx, const char *crl_ext)
{
	char db[600];
	unsigned char serial[64];
	size_t len = sizeof(serial);
	gnutls_x509_crl_t crl;
	FILE *fp;

	snprintf(db, sizeof(db), "%s/rootdb.txt", fx->dir);
	fp = fopen(db, "w");
	assert_non_null(fp);
	assert_int_equal(gnutls_x509_crt_get_serial(fx->pki.intermediate,
	    serial, &len), 0);
	tpki_db_revoked(fp, serial, len);
	assert_int_equal(fclose(fp), 0);
	crl = openssl_crl(fx, fx->pki.root, fx->pki.root_key, db, crl_ext);
	index_crl(fx->dir, crl, fx->pki.root, "root.crl");
	gnutls_x509_crl_deinit(crl);
}

/* onlyContainsUserCerts and onlyContainsCACerts narrow what a CRL covers. */
static void
user_and_ca_scopes(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl;
	struct finding f;

	crl = openssl_int_crl(fx, &fx->pki.leaf, 1, IDP_ONLY_USER);
	index_crl(fx->dir, crl, fx->pki.intermediate, "int.crl");
	gnutls_x509_crl_deinit(crl);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);

	/* a user-only CRL of the root lists the intermediate in vain */
	index_root_crl(fx, IDP_ONLY_USER);
	crl = openssl_int_crl(fx, NULL, 0, IDP_ONLY_USER);
	index_crl(fx->dir, crl, fx->pki.intermediate, "int.crl");
	gnutls_x509_crl_deinit(crl);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, fx->now, &f), 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_CHAIN, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_MISSING);
	assert_contains(f.text, "CN=Test Intermediate");

	/* a CA-only one, in a file of its own, speaks for it */
	index_root_crl(fx, IDP_ONLY_CA);
	assert_int_equal(index_count(fx->dir), 3);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	assert_contains(f.text, "CN=Test Intermediate");
}

/*
 * RFC 5280, 6.3.3: a serial listed on any current CRL that covers the
 * certificate is revoked.  A full CRL lists the leaf; a newer one, for
 * user certificates only and also current, does not: the leaf stays
 * revoked.
 */
static void
listing_on_an_older_covering_crl_still_revokes(void **state)
{
	struct fixture *fx = *state;
	time_t t = time(NULL);
	gnutls_x509_crl_t full = tpki_crl(fx->pki.intermediate,
	    fx->pki.int_key, &fx->pki.leaf, 1, t - 7200, t + 86400);
	gnutls_x509_crl_t users;
	struct finding f;

	index_crl(fx->dir, full, fx->pki.intermediate, "full.crl");
	gnutls_x509_crl_deinit(full);
	users = openssl_int_crl(fx, NULL, 0, IDP_ONLY_USER);
	index_crl(fx->dir, users, fx->pki.intermediate, "users.crl");
	gnutls_x509_crl_deinit(users);
	assert_int_equal(index_count(fx->dir), 2);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	assert_contains(f.text, "full.crl");
}

static void
ca_only_crl_does_not_cover_the_leaf(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crl_t crl = openssl_int_crl(fx, &fx->pki.leaf, 1,
	    IDP_ONLY_CA);
	struct finding f;

	index_crl(fx->dir, crl, fx->pki.intermediate, "int.crl");
	gnutls_x509_crl_deinit(crl);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_NONE, 0, fx->now, &f), 0);
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_MISSING);
}

static gnutls_x509_crt_t
leaf_in_partition(struct fixture *fx, const char *cn, const char *uri)
{
	gnutls_x509_crt_t crt = tpki_new(cn, fx->pki.leaf_key, 0);

	tpki_make_client(crt);
	assert_int_equal(gnutls_x509_crt_set_crl_dist_points(crt,
	    GNUTLS_SAN_URI, uri, 0), 0);
	tpki_sign(crt, fx->pki.intermediate, fx->pki.int_key,
	    GNUTLS_DIG_SHA256);
	return crt;
}

/* Each partition of an issuer's CRLs covers the certificates naming it. */
static void
partitions_have_files_of_their_own(void **state)
{
	struct fixture *fx = *state;
	gnutls_x509_crt_t in_a = leaf_in_partition(fx, "CN=anna",
	    "http://crl.example/part-a.crl");
	gnutls_x509_crt_t in_b = leaf_in_partition(fx, "CN=bert",
	    "http://crl.example/part-b.crl");
	gnutls_x509_crl_t crl;
	struct finding f;

	crl = openssl_int_crl(fx, &in_a, 1,
	    IDP_PARTITION("http://crl.example/part-a.crl"));
	index_crl(fx->dir, crl, fx->pki.intermediate, "part-a.crl");
	gnutls_x509_crl_deinit(crl);
	crl = openssl_int_crl(fx, NULL, 0,
	    IDP_PARTITION("http://crl.example/part-b.crl"));
	index_crl(fx->dir, crl, fx->pki.intermediate, "part-b.crl");
	gnutls_x509_crl_deinit(crl);
	assert_int_equal(index_count(fx->dir), 2);

	fx->chain[0] = in_a;
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_REVOKED);
	assert_contains(f.text, "CN=anna");
	fx->chain[0] = in_b;
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), 0);
	/* alice names no partition: neither CRL speaks for her */
	fx->chain[0] = fx->pki.leaf;
	assert_int_equal(check(fx, MTLS_CRL_REQUIRE_LEAF, 0, fx->now, &f), -1);
	assert_int_equal(f.reason, MTLS_R_CRL_MISSING);
	assert_contains(f.text, "CN=alice");
	tpki_free(in_a);
	tpki_free(in_b);
}

/* RFC 5280 serials have at most 20 octets; a CRL listing a longer one is
 * refused whole, as crl.c refuses it. */
static void
overlong_serial_refuses_the_crl(void **state)
{
	struct fixture *fx = *state;
	unsigned char serial[21];
	gnutls_x509_crl_t crl;
	struct crlread read;
	gnutls_datum_t der;
	char db[600], err[512];
	FILE *fp;

	memset(serial, 0x11, sizeof(serial));
	snprintf(db, sizeof(db), "%s/db.txt", fx->dir);
	fp = fopen(db, "w");
	assert_non_null(fp);
	tpki_db_revoked(fp, serial, sizeof(serial));
	assert_int_equal(fclose(fp), 0);
	crl = tpki_openssl_crl(fx->pki.intermediate, fx->pki.int_key, db, NULL);
	assert_int_equal(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER,
	    &der), 0);
	assert_int_equal(crlread_der(&read, der.data, der.size, err,
	    sizeof(err)), 0);
	assert_int_equal(crl_index_build(&read, der.data, der.size,
	    fx->pki.intermediate, fx->dir, "long.crl", 0, NULL, 0, err,
	    sizeof(err)), -1);
	assert_contains(err, "longer than RFC 5280 allows");
	assert_int_equal(index_count(fx->dir), 0);
	crlread_clear(&read);
	gnutls_free(der.data);
	gnutls_x509_crl_deinit(crl);
}

/*
 * An openssl CRL of the intermediate listing the serials first, first +
 * step, .. (n of them); GnuTLS builds CRLs in quadratic time.
 */
static gnutls_x509_crl_t
serials_crl(struct fixture *fx, uint32_t first, uint32_t step, size_t n)
{
	unsigned char serial[4];
	char db[600];
	FILE *fp = new_db(fx, db);

	for (uint32_t i = 0; i < n; i++) {
		serial_be32(first + step * i, serial);
		tpki_db_revoked(fp, serial, sizeof(serial));
	}
	assert_int_equal(fclose(fp), 0);
	return openssl_crl(fx, fx->pki.intermediate, fx->pki.int_key, db, NULL);
}

/* The index of the CRL listing the even serials 10, 12, .. (n of them). */
static const char *
index_even_serials(struct fixture *fx, size_t n)
{
	gnutls_x509_crl_t crl = serials_crl(fx, 10, 2, n);
	const char *path = index_crl(fx->dir, crl, fx->pki.intermediate,
	    "even.crl");

	gnutls_x509_crl_deinit(crl);
	return path;
}

/*
 * Every serial from below the first to above the last of an index of n
 * even serials: listed ones are found (the first and last of each block
 * among them), the odd ones between, before and after are not.
 */
static void
look_up_around(const char *path, size_t n)
{
	struct crl_index_file *file;
	unsigned char serial[4];
	char err[512];

	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_info(file)->count, n);
	assert_int_equal(crl_index_file_verify(file, err, sizeof(err)), 0);
	for (uint32_t s = 1; s < 10 + 2 * n + 5; s++) {
		serial_be32(s, serial);
		assert_int_equal(crl_index_file_lookup(file, serial, 4),
		    s >= 10 && s < 10 + 2 * n && s % 2 == 0);
	}
	crl_index_file_close(file);
}

/* Lookups at and between block boundaries, with no, one, a block's
 * worth and a short last block of serials. */
static void
lookups_at_block_boundaries(void **state)
{
	struct fixture *fx = *state;
	const size_t sizes[] = { 0, 1, CRLX_BLOCK_RECORDS - 1,
	    CRLX_BLOCK_RECORDS, CRLX_BLOCK_RECORDS + 1,
	    3 * CRLX_BLOCK_RECORDS + 1 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		look_up_around(index_even_serials(fx, sizes[i]), sizes[i]);
}

/*
 * Flip bit in the file at path (as good, len octets, holds it); every
 * serial listed must still be revoked or the index refused, never
 * accepted, and the damage reported, by the open or the full check.
 */
static void
flip_never_accepts(const char *path, const unsigned char *good, size_t len,
    size_t n, size_t bit)
{
	unsigned char *data = malloc(len);
	struct crl_index_file *file;
	unsigned char serial[4];
	char err[512];

	assert_non_null(data);
	memcpy(data, good, len);
	data[bit / 8] ^= (unsigned char)(1u << bit % 8);
	tpki_write_data(path, data, len);
	free(data);
	if (crl_index_file_open(path, &file, err, sizeof(err)) != 0) {
		assert_contains(err, "corrupt CRL index");
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		int listed;

		serial_be32(10 + 2 * i, serial);
		listed = crl_index_file_lookup(file, serial, 4);
		if (listed != 1 && listed != -2)
			fail_msg("bit %zu flipped: serial %u looked up as %d",
			    bit, 10 + 2 * i, listed);
	}
	assert_int_equal(crl_index_file_verify(file, err, sizeof(err)), -1);
	assert_contains(err, "checksum mismatch");
	crl_index_file_close(file);
}

/* A bit flipped in any block, fence or digest, or the header. */
static void
flipped_bit_anywhere_never_accepts(void **state)
{
	struct fixture *fx = *state;
	const size_t n = 3 * CRLX_BLOCK_RECORDS + 1;
	const char *path = index_even_serials(fx, n);
	size_t len, header_size, fences, digests, records;
	unsigned char *good = slurp(path, &len);

	header_size = crlx_get_u32(good + CRLX_OFF_HEADER_SIZE);
	fences = header_size;
	digests = fences + crlx_blocks(n) * 20;
	records = digests + crlx_blocks(n) * CRLX_DIGEST_LEN;
	assert_int_equal(len, records + n * 20);
	for (size_t b = 0; b < crlx_blocks(n); b++) {
		size_t first = records + b * CRLX_BLOCK_SIZE;
		size_t last = b + 1 < crlx_blocks(n) ?
		    first + CRLX_BLOCK_SIZE - 1 : len - 1;

		flip_never_accepts(path, good, len, n, 8 * first + 1);
		flip_never_accepts(path, good, len, n, 8 * (first + last) / 2);
		flip_never_accepts(path, good, len, n, 8 * last);
		flip_never_accepts(path, good, len, n, 8 * (fences + b * 20 +
		    19));
		flip_never_accepts(path, good, len, n, 8 * (digests +
		    b * CRLX_DIGEST_LEN) + 7);
	}
	for (size_t bit = 8 * CRLX_OFF_CHECKED; bit < 8 * header_size;
	    bit += 61)
		flip_never_accepts(path, good, len, n, bit);
	free(good);
}

static double
cpu_seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
hundred_thousand_serials(void **state)
{
	struct fixture *fx = *state;
	const size_t n = 100000;
	gnutls_x509_crl_t crl;
	struct crl_index_file *file;
	struct timespec t0;
	unsigned char serial[4];
	char err[512];
	const char *path;
	size_t hits = 0;

	crl = serials_crl(fx, 1, 1, n);

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	path = index_crl(fx->dir, crl, fx->pki.intermediate, "big.crl");
	/* CPU seconds, so that a loaded machine does not fail it: a few
	 * tenths plainly, generous for sanitizers, and far below what a
	 * quadratic build takes */
	assert_true(cpu_seconds_since(&t0) < 10.0);
	gnutls_x509_crl_deinit(crl);

	assert_int_equal(crl_index_file_open(path, &file, err, sizeof(err)), 0);
	assert_int_equal(crl_index_file_info(file)->count, n);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (uint32_t s = 1; s <= 2 * n; s++) {
		serial_be32(s, serial);
		hits += crl_index_file_lookup(file, serial, 4) == 1;
	}
	assert_true(cpu_seconds_since(&t0) < 10.0);
	assert_int_equal(hits, n);
	crl_index_file_close(file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    header_records_what_the_crl_says, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_leaf_is_rejected,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(unlisted_leaf_is_accepted,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    sha1_crl_refused_unless_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_crl_covers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    stale_crl_rejects_unless_within_grace, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    source_is_escaped_in_explanations, setup, teardown),
		cmocka_unit_test_setup_teardown(future_crl_is_invalid, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    missing_coverage_follows_crl_require, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    revoked_intermediate_is_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    crl_of_another_key_does_not_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_index_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(flipped_serial_bit_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(lookups_at_block_boundaries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    flipped_bit_anywhere_never_accepts, setup, teardown),
		cmocka_unit_test_setup_teardown(renamed_index_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    fifo_index_is_refused_without_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(disordered_records_are_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(holds_are_marked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    published_update_outdates_an_open_index, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    temporary_and_foreign_files_are_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(serials_are_normalised, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(user_and_ca_scopes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    listing_on_an_older_covering_crl_still_revokes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    ca_only_crl_does_not_cover_the_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    partitions_have_files_of_their_own, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    overlong_serial_refuses_the_crl, setup, teardown),
		cmocka_unit_test_setup_teardown(hundred_thousand_serials,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
