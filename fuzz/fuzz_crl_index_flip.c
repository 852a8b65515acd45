/*
 * fuzz_crl_index_flip - bit flips in a good CRL index file.
 *
 * The harness publishes, once, the index of a CRL of the fuzz PKI's
 * intermediate that lists bob among a hundred other serials.  Each input
 * is a list of bit positions (4 octets each, big-endian, taken modulo the
 * file's bits); those bits are flipped in a copy of the file, which is
 * then opened as the index a verification reads and asked about bob.
 *
 * Invariants: bob is never accepted, whatever is flipped (revoked, or a
 * refusal that the index is unusable); a file that differs from the good
 * one in any bit is refused whole at open (its checksum covers header
 * and tables) or, when only serial records differ, the full check of
 * every block (crl_index_verify(), as config check runs it) reports it;
 * every error is one safe line (oneline.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crl_index.h"
#include "crlread.h"
#include "flipbits.h"
#include "fuzzer.h"
#include "fuzzpki.h"
#include "oneline.h"
#include "testpki.h"

#define CLOCK_SKEW 60
#define OTHERS 100

static gnutls_x509_crt_t bob_path[3];
static unsigned char *good;
static size_t good_len;
static char dir[512], path[1024];
static time_t now;
/* the default policy: SHA-1 signatures refused */
static const struct mtls_policy policy;

/* The intermediate's CRL: bob, and others around him. */
static gnutls_x509_crl_t
make_crl(const struct fuzzpki *pki)
{
	gnutls_x509_crl_t crl;
	unsigned char serial[8];
	size_t len = sizeof(serial);

	if (gnutls_x509_crl_init(&crl) < 0 ||
	    gnutls_x509_crl_set_version(crl, 2) < 0 ||
	    gnutls_x509_crl_set_this_update(crl, now - 60) < 0 ||
	    gnutls_x509_crl_set_next_update(crl, now + 86400) < 0 ||
	    gnutls_x509_crl_set_number(crl, "\x01", 1) < 0 ||
	    gnutls_x509_crl_set_crt(crl, pki->bob, now - 60) < 0)
		abort();
	for (unsigned i = 0; i < OTHERS; i++) {
		if (gnutls_rnd(GNUTLS_RND_NONCE, serial, len) < 0)
			abort();
		serial[0] = (serial[0] & 0x7f) | 0x01;
		if (gnutls_x509_crl_set_crt_serial(crl, serial, len,
		    now - 60) < 0)
			abort();
	}
	if (gnutls_x509_crl_sign2(crl, pki->intermediate, pki->int_key,
	    GNUTLS_DIG_SHA256, 0) < 0)
		abort();
	return crl;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct fuzzpki *pki = fuzzpki_load();
	gnutls_x509_crl_t crl;
	struct crlread read;
	gnutls_datum_t der;
	char err[512];

	(void)argc;
	(void)argv;
	now = time(NULL);
	bob_path[0] = pki->bob;
	bob_path[1] = pki->intermediate;
	bob_path[2] = pki->root;
	snprintf(dir, sizeof(dir), "%s", tpki_path("flip-index"));
	tpki_remove_tree(dir);
	if (mkdir(dir, 0700) != 0)
		abort();
	crl = make_crl(pki);
	if (gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &der) < 0 ||
	    crlread_der(&read, der.data, der.size, err, sizeof(err)) != 0 ||
	    crl_index_build(&read, der.data, der.size, pki->intermediate, dir,
	    "int.crl", 0, path, sizeof(path), err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_crl_index_flip: %s\n", err);
		abort();
	}
	crlread_clear(&read);
	gnutls_free(der.data);
	gnutls_x509_crl_deinit(crl);
	good = flip_load_good(path, &good_len);
	return 0;
}

static void
violated(const char *what)
{
	fprintf(stderr, "fuzz_crl_index_flip: %s\n", what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crl_index *index;
	struct finding f;
	char err[1024];
	bool altered;

	altered = flip_bits_into(path, good, good_len, data, size);
	if (crl_index_open(dir, NULL, NULL, &index, err, sizeof(err)) != 0) {
		check_one_line("fuzz_crl_index_flip: error", err);
		return 0;
	}
	if (altered && crl_index_verify(index, err, sizeof(err)) == 0)
		violated("an altered index file passed the full check");
	if (altered)
		check_one_line("fuzz_crl_index_flip: verify error", err);
	memset(&f, 0, sizeof(f));
	if (crl_index_check(index, &policy, bob_path, 3, MTLS_CRL_REQUIRE_LEAF,
	    0, CLOCK_SKEW, now, &f) == 0)
		violated("bob, revoked, is accepted");
	check_one_line("fuzz_crl_index_flip: finding", f.text);
	crl_index_close(index);
	return 0;
}
