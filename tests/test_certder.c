/*
 * What is read of a certificate without importing it (certder.h): its
 * subject name and public key are exactly the ones GnuTLS reads once it
 * imports it, and
 * anything shorter or longer than a certificate is refused, never read
 * past; PEM blocks are found one after another, and a broken one is an
 * error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/abstract.h>

#include "certder.h"
#include "dertlv.h"
#include "testpki.h"
#include "testutil.h"

static void
assert_subject_as_gnutls_reads_it(gnutls_x509_crt_t crt)
{
	size_t len;
	unsigned char *der = tpki_der(crt, &len);
	gnutls_datum_t mine, theirs;

	assert_int_equal(certder_subject(der, len, &mine), 0);
	assert_int_equal(gnutls_x509_crt_get_raw_dn(crt, &theirs), 0);
	assert_int_equal(mine.size, theirs.size);
	assert_memory_equal(mine.data, theirs.data, theirs.size);
	gnutls_free(theirs.data);
	free(der);
}

/* The subjectPublicKey of the SubjectPublicKeyInfo GnuTLS writes. */
static void
assert_key_as_gnutls_reads_it(gnutls_x509_crt_t crt)
{
	size_t len;
	unsigned char *der = tpki_der(crt, &len);
	gnutls_datum_t mine, spki;
	gnutls_pubkey_t pubkey;
	const unsigned char *p, *end;
	struct dertlv bits;

	assert_int_equal(certder_public_key(der, len, &mine), 0);
	assert_int_equal(gnutls_pubkey_init(&pubkey), 0);
	assert_int_equal(gnutls_pubkey_import_x509(pubkey, crt, 0), 0);
	assert_int_equal(gnutls_pubkey_export2(pubkey, GNUTLS_X509_FMT_DER,
	    &spki), 0);
	p = spki.data;
	end = spki.data + spki.size;
	assert_int_equal(dertlv_enter(&p, &end, DER_SEQUENCE), 0);
	assert_int_equal(dertlv_expect(&p, end, DER_SEQUENCE, &bits), 0);
	assert_int_equal(dertlv_expect(&p, end, DER_BIT_STRING, &bits), 0);
	assert_int_equal(mine.size + 1, bits.len);
	assert_memory_equal(mine.data, bits.content + 1, mine.size);
	gnutls_free(spki.data);
	gnutls_pubkey_deinit(pubkey);
	free(der);
}

/* d without its leading zero octets. */
static gnutls_datum_t
unsigned_int(gnutls_datum_t d)
{
	while (d.size > 1 && d.data[0] == 0) {
		d.data++;
		d.size--;
	}
	return d;
}

/* The RSA modulus and exponent, and the modulus's bits, as GnuTLS's. */
static void
assert_rsa_as_gnutls_reads_it(gnutls_x509_crt_t crt)
{
	size_t len;
	unsigned char *der = tpki_der(crt, &len);
	gnutls_datum_t m, e, gm, ge, a, b;
	unsigned bits = 0;

	assert_int_equal(certder_rsa_key(der, len, &m, &e), 0);
	assert_int_equal(gnutls_x509_crt_get_pk_rsa_raw(crt, &gm, &ge), 0);
	assert_int_equal(gnutls_x509_crt_get_pk_algorithm(crt, &bits),
	    GNUTLS_PK_RSA);
	assert_int_equal(certder_bits(&m), bits);
	a = unsigned_int(m);
	b = unsigned_int(gm);
	assert_int_equal(a.size, b.size);
	assert_memory_equal(a.data, b.data, a.size);
	a = unsigned_int(e);
	b = unsigned_int(ge);
	assert_int_equal(a.size, b.size);
	assert_memory_equal(a.data, b.data, a.size);
	gnutls_free(gm.data);
	gnutls_free(ge.data);
	free(der);
}

static void
public_key_is_the_one_gnutls_reads(void **state)
{
	gnutls_x509_privkey_t rsa = tpki_key_rsa(2048);
	gnutls_x509_crt_t crt = tpki_new("CN=RSA", rsa, 0);
	size_t len;
	unsigned char *der;
	gnutls_datum_t m, e;

	(void)state;
	tpki_sign(crt, NULL, rsa, GNUTLS_DIG_SHA256);
	assert_key_as_gnutls_reads_it(pki.root);
	assert_key_as_gnutls_reads_it(pki.leaf);
	assert_key_as_gnutls_reads_it(crt);
	assert_rsa_as_gnutls_reads_it(crt);
	/* no RSA key in the (EC) client certificate */
	der = tpki_der(pki.leaf, &len);
	assert_int_equal(certder_rsa_key(der, len, &m, &e), -1);
	free(der);
	tpki_free(crt);
	gnutls_x509_privkey_deinit(rsa);
}

static void
subject_is_the_one_gnutls_reads(void **state)
{
	gnutls_x509_crt_t v1 = tpki_new("CN=Version One,O=Example",
	    pki.root_key, TPKI_V1);

	(void)state;
	tpki_sign(v1, NULL, pki.root_key, GNUTLS_DIG_SHA256);
	assert_subject_as_gnutls_reads_it(pki.root);
	assert_subject_as_gnutls_reads_it(pki.intermediate);
	assert_subject_as_gnutls_reads_it(pki.leaf);
	assert_subject_as_gnutls_reads_it(v1);
	tpki_free(v1);
}

/* Every prefix of a certificate, and one octet more, is no certificate. */
static void
truncated_or_longer_der_refused(void **state)
{
	size_t len;
	unsigned char *der = tpki_der(pki.leaf, &len);
	unsigned char *longer = malloc(len + 1);
	gnutls_datum_t subject;

	(void)state;
	assert_non_null(longer);
	for (size_t n = 0; n < len; n++) {
		/* a copy of exactly n octets, for the sanitizers to watch */
		unsigned char *prefix = malloc(n + 1);

		assert_non_null(prefix);
		memcpy(prefix, der, n);
		assert_int_equal(certder_subject(prefix, n, &subject), -1);
		assert_int_equal(certder_public_key(prefix, n, &subject), -1);
		free(prefix);
	}
	memcpy(longer, der, len);
	longer[len] = 0;
	assert_int_equal(certder_subject(longer, len + 1, &subject), -1);
	assert_int_equal(certder_public_key(longer, len + 1, &subject), -1);
	free(longer);
	free(der);
}

static void
pem_blocks_found_in_turn(void **state)
{
	size_t root_len, leaf_len, der_len;
	unsigned char *root = tpki_pem(pki.root, &root_len);
	unsigned char *leaf = tpki_pem(pki.leaf, &leaf_len);
	unsigned char *der = tpki_der(pki.leaf, &der_len);
	const char note[] = "a note between\n-----BEGIN X509 CRL-----\n";
	size_t len = root_len + sizeof(note) - 1 + leaf_len, from = 0;
	unsigned char *bundle = malloc(len);
	gnutls_datum_t out;
	char why[256];

	(void)state;
	assert_non_null(bundle);
	memcpy(bundle, root, root_len);
	memcpy(bundle + root_len, note, sizeof(note) - 1);
	memcpy(bundle + root_len + sizeof(note) - 1, leaf, leaf_len);
	assert_int_equal(certder_next_pem(bundle, len, &from, &out, why,
	    sizeof(why)), 1);
	gnutls_free(out.data);
	assert_int_equal(certder_next_pem(bundle, len, &from, &out, why,
	    sizeof(why)), 1);
	assert_int_equal(out.size, der_len);
	assert_memory_equal(out.data, der, der_len);
	gnutls_free(out.data);
	assert_int_equal(certder_next_pem(bundle, len, &from, &out, why,
	    sizeof(why)), 0);

	/* without its END line, and with what is not base64 */
	from = 0;
	assert_int_equal(certder_next_pem(leaf, leaf_len - 10, &from, &out,
	    why, sizeof(why)), -1);
	assert_contains(why, "without its END line");
	from = 0;
	leaf[40] = '!';
	assert_int_equal(certder_next_pem(leaf, leaf_len, &from, &out, why,
	    sizeof(why)), -1);
	assert_contains(why, "bad PEM certificate");
	free(bundle);
	free(root);
	free(leaf);
	free(der);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subject_is_the_one_gnutls_reads),
		cmocka_unit_test(public_key_is_the_one_gnutls_reads),
		cmocka_unit_test(truncated_or_longer_der_refused),
		cmocka_unit_test(pem_blocks_found_in_turn),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
