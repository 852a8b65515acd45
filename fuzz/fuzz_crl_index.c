/*
 * fuzz_crl_index - a file in the CRL index directory.
 *
 * The first byte of the input chooses what the harness mends, so that
 * the fuzzer gets past the two integrity checks a random file cannot
 * pass: bit 0, the checksums (each block's digest, when the sizes agree
 * with the number of serials, and then the checksum over the header and
 * tables, when its header size field is plausible; the fences are left
 * as they are); bit 1, the file
 * name (made from the header's hashes and scope, as the updater names
 * it).  The rest is the file.
 *
 * The file is opened alone (crl_index_file_open()), its serials are
 * looked up and verified in order (crl_index_file_lookup(),
 * crl_index_file_verify()), and the directory holding it is opened as an
 * index (crl_index_open(), both as a verification and as the updater
 * does) and asked about alice's and bob's paths (crl_index_check()).
 * When verify says the serials ascend, looking up any of them must find
 * it: a miss aborts, as does an error or finding that is not one safe
 * line (oneline.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "crl_index.h"
#include "crl_index_format.h"
#include "fuzzer.h"
#include "fuzzpki.h"
#include "oneline.h"
#include "testpki.h"

#define MEND_CHECKSUM 0x1
#define MEND_NAME 0x2

/* Most serials of one file looked up one by one. */
#define LOOKUPS_MAX 64

#define CLOCK_SKEW 60

static gnutls_x509_crt_t alice_path[3], bob_path[3];
static unsigned char alice_serial[64], bob_serial[64];
static size_t alice_serial_len, bob_serial_len;
static char dir[512];
static time_t now;
/* the default policy: SHA-1 signatures refused */
static const struct mtls_policy policy;

static size_t
serial_of(gnutls_x509_crt_t crt, unsigned char *serial)
{
	size_t len = 64;

	if (gnutls_x509_crt_get_serial(crt, serial, &len) < 0)
		abort();
	return len;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct fuzzpki *pki = fuzzpki_load();

	(void)argc;
	(void)argv;
	alice_path[0] = pki->alice;
	bob_path[0] = pki->bob;
	alice_path[1] = bob_path[1] = pki->intermediate;
	alice_path[2] = bob_path[2] = pki->root;
	alice_serial_len = serial_of(pki->alice, alice_serial);
	bob_serial_len = serial_of(pki->bob, bob_serial);
	snprintf(dir, sizeof(dir), "%s", tpki_path(CRL_INDEX_SUBDIR));
	tpki_remove_tree(dir);
	if (mkdir(dir, 0700) != 0)
		abort();
	now = time(NULL);
	return 0;
}

static void
mend_checksum(unsigned char *m, size_t size)
{
	size_t header_size, tables_len, marked_len = 0;
	uint64_t count, blocks, marked;

	if (size < CRLX_OFF_VARIABLE)
		return;
	header_size = crlx_get_u32(m + CRLX_OFF_HEADER_SIZE);
	if (header_size < CRLX_OFF_VARIABLE || header_size > size)
		return;
	count = crlx_get_u64(m + CRLX_OFF_COUNT);
	marked = crlx_get_u64(m + CRLX_OFF_MARKED_COUNT);
	blocks = crlx_blocks(count);
	tables_len = size - header_size;
	if (count <= (size - header_size) / CRL_INDEX_SERIAL_LEN &&
	    marked <= count && size - header_size == blocks *
	    CRLX_TABLE_ENTRY + (count + marked) * CRL_INDEX_SERIAL_LEN) {
		unsigned char *digests = m + header_size +
		    blocks * CRL_INDEX_SERIAL_LEN;

		for (uint64_t b = 0; b < blocks; b++)
			if (crlx_block_digest(digests + blocks *
			    CRLX_DIGEST_LEN, count, b,
			    digests + b * CRLX_DIGEST_LEN) != 0)
				abort();
		tables_len = blocks * CRLX_TABLE_ENTRY;
		marked_len = marked * CRL_INDEX_SERIAL_LEN;
	}
	if (crlx_checksum(m, header_size, m + header_size, tables_len,
	    m + size - marked_len, marked_len, m + CRLX_OFF_CHECKSUM) != 0)
		abort();
}

/* The name the header asks for, or a fixed one when it cannot say. */
static void
file_name(const unsigned char *m, size_t size, bool mend,
    char name[CRL_INDEX_NAME_MAX + 1])
{
	struct crlx_identity id;
	size_t dn_len, source_len, uris_at;

	snprintf(name, CRL_INDEX_NAME_MAX + 1, "input%s", CRL_INDEX_SUFFIX);
	if (!mend || size < CRLX_OFF_VARIABLE)
		return;
	dn_len = crlx_get_u32(m + CRLX_OFF_DN_LEN);
	source_len = crlx_get_u32(m + CRLX_OFF_SOURCE_LEN);
	id.uris_len = crlx_get_u32(m + CRLX_OFF_URIS_LEN);
	if (dn_len > size || source_len > size || id.uris_len > size)
		return;
	uris_at = CRLX_OFF_VARIABLE + dn_len + source_len + 1;
	if (uris_at > size || id.uris_len > size - uris_at)
		return;
	memcpy(id.dn_sha256, m + CRLX_OFF_DN_SHA256, 32);
	memcpy(id.spki_sha256, m + CRLX_OFF_SPKI_SHA256, 32);
	id.scope = m[CRLX_OFF_SCOPE];
	id.nuris = m[CRLX_OFF_NURIS];
	id.delta = m[CRLX_OFF_DELTA] == 1;
	id.uris = m + uris_at;
	if (crlx_file_name(&id, name) != 0)
		snprintf(name, CRL_INDEX_NAME_MAX + 1, "input%s",
		    CRL_INDEX_SUFFIX);
}

/*
 * The serial a record holds as a certificate would carry it (a DER
 * INTEGER's content, positive); 0 for a record of zeros, which no
 * certificate's serial matches.
 */
static size_t
record_serial(const unsigned char *rec, unsigned char *serial)
{
	size_t skip = 0, pad;

	while (skip < CRL_INDEX_SERIAL_LEN && rec[skip] == 0)
		skip++;
	if (skip == CRL_INDEX_SERIAL_LEN)
		return 0;
	/* a leading one bit would read as negative: DER pads with a zero */
	pad = (rec[skip] & 0x80) != 0;
	serial[0] = 0;
	memcpy(serial + pad, rec + skip, CRL_INDEX_SERIAL_LEN - skip);
	return CRL_INDEX_SERIAL_LEN - skip + pad;
}

static void
look_up(const struct crl_index_file *file, const unsigned char *m)
{
	static const unsigned char zero[1] = { 0 }, negative[1] = { 0x80 };
	static const unsigned char too_long[CRL_INDEX_SERIAL_LEN + 1] = { 1 };
	const struct crl_index_info *info = crl_index_file_info(file);
	const unsigned char *records = m + crlx_get_u32(m +
	    CRLX_OFF_HEADER_SIZE) + crlx_blocks(info->count) *
	    CRLX_TABLE_ENTRY;
	char err[1024];
	bool ordered = crl_index_file_verify(file, err, sizeof(err)) == 0;

	if (!ordered)
		check_one_line("fuzz_crl_index: verify error", err);
	crl_index_file_lookup(file, alice_serial, alice_serial_len);
	crl_index_file_lookup(file, bob_serial, bob_serial_len);
	crl_index_file_lookup(file, zero, sizeof(zero));
	crl_index_file_lookup(file, negative, sizeof(negative));
	crl_index_file_lookup(file, too_long, sizeof(too_long));
	for (uint64_t i = 0; i < info->count && i < LOOKUPS_MAX; i++) {
		unsigned char serial[CRL_INDEX_SERIAL_LEN + 1];
		size_t len = record_serial(records + i * CRL_INDEX_SERIAL_LEN,
		    serial);
		int found;

		if (len == 0)
			continue;
		found = crl_index_file_lookup(file, serial, len);
		if (ordered && found != 1) {
			fprintf(stderr, "fuzz_crl_index: record %llu of an "
			    "ordered index not found (%d)\n",
			    (unsigned long long)i, found);
			abort();
		}
	}
}

static void
skipped(void *arg, const char *why)
{
	(void)arg;
	check_one_line("fuzz_crl_index: why a file was skipped", why);
}

static void
check_path(const struct crl_index *index, gnutls_x509_crt_t *path,
    enum mtls_crl_require require)
{
	struct finding f;

	if (crl_index_check(index, &policy, path, 3, require, 0, CLOCK_SKEW,
	    now, &f) != 0)
		check_one_line("fuzz_crl_index: finding", f.text);
}

static void
check_dir(void)
{
	struct crl_index *index;
	char err[1024];

	if (crl_index_open(dir, skipped, NULL, &index, err, sizeof(err)) == 0)
		crl_index_close(index);
	else
		check_one_line("fuzz_crl_index: open error", err);
	if (crl_index_open(dir, NULL, NULL, &index, err, sizeof(err)) != 0) {
		check_one_line("fuzz_crl_index: open error", err);
		return;
	}
	check_path(index, alice_path, MTLS_CRL_REQUIRE_CHAIN);
	check_path(index, bob_path, MTLS_CRL_REQUIRE_LEAF);
	crl_index_close(index);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[CRL_INDEX_NAME_MAX + 1], path[sizeof(dir) + sizeof(name)];
	char err[1024];
	struct crl_index_file *file;
	unsigned char *m;
	unsigned mend;

	if (size == 0)
		return 0;
	mend = data[0];
	size--;
	if ((m = malloc(size + 1)) == NULL)
		abort();
	memcpy(m, data + 1, size);
	if (mend & MEND_CHECKSUM)
		mend_checksum(m, size);
	file_name(m, size, mend & MEND_NAME, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	tpki_write_data(path, m, size);
	if (crl_index_file_open(path, &file, err, sizeof(err)) == 0) {
		look_up(file, m);
		crl_index_file_close(file);
	} else
		check_one_line("fuzz_crl_index: open error", err);
	check_dir();
	unlink(path);
	free(m);
	return 0;
}
