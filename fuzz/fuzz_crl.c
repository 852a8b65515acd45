/*
 * fuzz_crl - a CRL file, as revocation.crl_files names one.
 *
 * The file is loaded into a CRL store that knows the fuzz PKI's root and
 * intermediate (crl_store_load()), and a store that loads is asked about
 * alice's and bob's paths (crl_check()).  Each CRL of the file also goes
 * through the one-pass reader (crlread.h), the RFC 5280 CRL rules, the
 * extension decoders of crlext.h and what the index builder reads of a
 * CRL.
 *
 * Only the PKI's keys can sign a CRL the checks believe, and those keys
 * signed two: the intermediate's, listing bob, and the root's, listing
 * nobody.  So alice is never revoked, and bob, whose CRL must cover him,
 * is never cleared: either aborts, as does an error or finding that is
 * not one safe line (oneline.h).
 */
#define _GNU_SOURCE		/* memmem() */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "crl.h"
#include "crl_index.h"
#include "crlext.h"
#include "crlread.h"
#include "fuzzer.h"
#include "fuzzpki.h"
#include "oneline.h"
#include "rfc5280.h"
#include "testpki.h"

#define CLOCK_SKEW 60

static const struct fuzzpki *pki;
static gnutls_x509_crt_t known_crts[2];
static struct certset known = { .crts = known_crts, .count = 2 };
static gnutls_x509_crt_t alice_path[3], bob_path[3];
static char *path;
static struct strlist files = { &path, 1 };
static time_t now;
/* the default policy: SHA-1 signatures refused */
static const struct mtls_policy policy;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pki = fuzzpki_load();
	known_crts[0] = pki->root;
	known_crts[1] = pki->intermediate;
	alice_path[0] = pki->alice;
	bob_path[0] = pki->bob;
	alice_path[1] = bob_path[1] = pki->intermediate;
	alice_path[2] = bob_path[2] = pki->root;
	path = strdup(tpki_path("input.crl"));
	if (path == NULL)
		abort();
	now = time(NULL);
	return 0;
}

static void
violated(const char *what, const struct finding *f)
{
	fprintf(stderr, "fuzz_crl: %s: %s (%s)\n", what,
	    mtls_reason_name(f->reason), f->text);
	abort();
}

static void
check_store(const struct crl_store *store)
{
	struct finding f = { .reason = MTLS_R_OK };

	if (crl_check(store, &policy, alice_path, 3, MTLS_CRL_REQUIRE_CHAIN, 0,
	    CLOCK_SKEW, now, &f) != 0) {
		if (f.reason == MTLS_R_REVOKED)
			violated("alice revoked", &f);
		check_one_line("fuzz_crl: alice's finding", f.text);
	}
	f.reason = MTLS_R_OK;
	f.text[0] = '\0';
	if (crl_check(store, &policy, bob_path, 3, MTLS_CRL_REQUIRE_LEAF, 0,
	    CLOCK_SKEW, now, &f) == 0)
		violated("bob cleared", &f);
	if (f.reason == MTLS_R_OK)
		violated("bob rejected without a reason", &f);
	check_one_line("fuzz_crl: bob's finding", f.text);
}

static int
count_entry(const struct crlext_entry *entry, void *arg, struct finding *f)
{
	(void)entry;
	(void)f;
	++*(unsigned *)arg;
	return 0;
}

/* What the other readers of a CRL make of it, whatever they decide. */
static void
read_crl(const struct crlread *read)
{
	struct finding f = { .reason = MTLS_R_OK };
	struct crlext_idp idp;
	unsigned char number[CRL_INDEX_SERIAL_LEN];
	char name[CRL_INDEX_NAME_MAX + 1], err[512];
	unsigned entries = 0;

	if (rfc5280_check_crl(read->crl, &f) != 0) {
		if (f.reason != MTLS_R_CRL_INVALID)
			violated("CRL refused with another reason", &f);
		check_one_line("fuzz_crl: RFC 5280 finding", f.text);
	}
	if (crlext_idp(read->crl, &idp) == 0)
		crlext_idp_clear(&idp);
	f.reason = MTLS_R_OK;
	if (crlread_entries(read, count_entry, &entries, &f) != 0) {
		if (f.reason != MTLS_R_CRL_INVALID)
			violated("CRL entries refused with another reason", &f);
		check_one_line("fuzz_crl: entry finding", f.text);
	}
	crl_index_crl_number(read->crl, number);
	if (crl_index_name(read->crl, pki->intermediate, name, err,
	    sizeof(err)) != 0)
		check_one_line("fuzz_crl: index name error", err);
}

/* Each CRL of the input as the one-pass reader sees it. */
static void
parse_each(const uint8_t *data, size_t size)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned)size };
	gnutls_x509_crl_t *crls = NULL;
	struct crlread read;
	unsigned n = 0;
	char err[512];

	if (memmem(data, size, "-----BEGIN ", 11) == NULL) {
		if (crlread_der(&read, data, size, err, sizeof(err)) == 0) {
			read_crl(&read);
			crlread_clear(&read);
		} else
			check_one_line("fuzz_crl: read error", err);
		return;
	}
	if (gnutls_x509_crl_list_import2(&crls, &n, &in, GNUTLS_X509_FMT_PEM,
	    0) < 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		gnutls_datum_t der;

		if (gnutls_x509_crl_export2(crls[i], GNUTLS_X509_FMT_DER,
		    &der) == 0) {
			if (crlread_der(&read, der.data, der.size, err,
			    sizeof(err)) == 0) {
				read_crl(&read);
				crlread_clear(&read);
			}
			gnutls_free(der.data);
		}
		gnutls_x509_crl_deinit(crls[i]);
	}
	gnutls_free(crls);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crl_store *store;
	char err[1024];

	tpki_write_data(path, data, size);
	if (crl_store_load(&store, &files, &known, err, sizeof(err)) == 0) {
		check_store(store);
		crl_store_free(store);
	} else
		check_one_line("fuzz_crl: load error", err);
	parse_each(data, size);
	return 0;
}
