/* The test PKI itself: what every other test stands on must verify with
 * plain GnuTLS, or the other tests prove nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "testpki.h"

static void
std_chain_verifies_with_gnutls(void **state)
{
	struct tpki_std pki;
	gnutls_x509_trust_list_t tl;
	gnutls_x509_crt_t chain[2];
	unsigned status = 0;

	(void)state;
	tpki_std_make(&pki);
	assert_int_equal(gnutls_x509_trust_list_init(&tl, 0), 0);
	assert_int_equal(gnutls_x509_trust_list_add_cas(tl, &pki.root, 1,
	    GNUTLS_TL_NO_DUPLICATES), 1);
	chain[0] = pki.leaf;
	chain[1] = pki.intermediate;
	assert_int_equal(gnutls_x509_trust_list_verify_crt2(tl, chain, 2, NULL,
	    0, 0, &status, NULL), 0);
	assert_int_equal(status, 0);
	/* the list owns the root now */
	gnutls_x509_trust_list_deinit(tl, 1);
	gnutls_x509_crt_deinit(pki.intermediate);
	gnutls_x509_crt_deinit(pki.leaf);
	gnutls_x509_privkey_deinit(pki.root_key);
	gnutls_x509_privkey_deinit(pki.int_key);
	gnutls_x509_privkey_deinit(pki.leaf_key);
}

static void
v1_certificate_has_version_1(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t crt = tpki_new("CN=old", key, TPKI_V1);

	(void)state;
	tpki_sign(crt, NULL, key, GNUTLS_DIG_SHA256);
	assert_int_equal(gnutls_x509_crt_get_version(crt), 1);
	tpki_free(crt);
	gnutls_x509_privkey_deinit(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(std_chain_verifies_with_gnutls),
		cmocka_unit_test(v1_certificate_has_version_1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
