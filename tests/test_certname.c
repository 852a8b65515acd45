/*
 * Names as explanations, verdicts and log lines print them: one safe line
 * on any terminal, whatever bytes a certificate holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "certname.h"
#include "testpki.h"

static void
assert_escaped(const char *raw, size_t outlen, const char *want)
{
	char out[64];

	assert_true(outlen <= sizeof(out));
	certname_escape((const unsigned char *)raw, strlen(raw), out, outlen);
	assert_string_equal(out, want);
}

static void
text_stays_as_it_is(void **state)
{
	(void)state;
	assert_escaped("CN=Smith\\, John", 64, "CN=Smith\\x5c, John");
	/* UTF-8, up to four octets a character */
	assert_escaped("CN=j\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x94\x91", 64,
	    "CN=j\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x94\x91");
}

static void
controls_and_malformed_utf8_are_escaped(void **state)
{
	(void)state;
	assert_escaped("a\nb\x7f", 64, "a\\x0ab\\x7f");
	/* C1: U+009B is CSI to a terminal, U+0085 a line break to some */
	assert_escaped("a\xc2\x9b" "2J\xc2\x85", 64,
	    "a\\xc2\\x9b2J\\xc2\\x85");
	/* overlong, surrogate, past U+10FFFF, stray and cut short */
	assert_escaped("\xc0\x8a|\xed\xa0\x80|\xf4\x90\x80\x80|\x80|\xc3", 64,
	    "\\xc0\\x8a|\\xed\\xa0\\x80|\\xf4\\x90\\x80\\x80|\\x80|\\xc3");
}

static void
long_names_end_in_an_ellipsis_between_characters(void **state)
{
	(void)state;
	assert_escaped("abcdefgh", 8, "abcd...");
	/* never half a character */
	assert_escaped("abc\xc3\xbc\xc3\xbc", 8, "abc...");
	assert_escaped("ab\x01" "cdef", 8, "ab...");
}

/* A certificate whose subject was never set, with an email address as
 * its subjectAltName when email is not NULL. */
static gnutls_x509_crt_t
nameless(gnutls_x509_privkey_t key, const char *email)
{
	gnutls_x509_crt_t crt;

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
	assert_int_equal(gnutls_x509_crt_set_serial(crt, "\x01", 1), 0);
	assert_int_equal(gnutls_x509_crt_set_key(crt, key), 0);
	tpki_set_validity(crt, 0, 86400);
	if (email != NULL)
		assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt,
		    GNUTLS_SAN_RFC822NAME, email, (unsigned)strlen(email),
		    GNUTLS_FSAN_SET), 0);
	tpki_sign(crt, NULL, key, GNUTLS_DIG_SHA256);
	return crt;
}

/* RFC 5280 allows an empty subject when the subjectAltName names the
 * subject: it is no unreadable name. */
static void
empty_subject_is_described(void **state)
{
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t bare = nameless(key, NULL);
	gnutls_x509_crt_t mailed = nameless(key, "alice@example.com");
	char out[CERTNAME_MAX];
	char *alloc;

	(void)state;
	certname_subject(bare, out);
	assert_string_equal(out, "(empty subject)");
	certname_subject(mailed, out);
	assert_string_equal(out, "(empty subject, subjectAltName email "
	    "address alice@example.com)");
	alloc = certname_dn_alloc(mailed, 0);
	assert_non_null(alloc);
	assert_string_equal(alloc, out);
	free(alloc);
	/* self-signed: the issuer is just as empty */
	certname_issuer(mailed, out);
	assert_string_equal(out, "(empty name)");
	tpki_free(mailed);
	tpki_free(bare);
	gnutls_x509_privkey_deinit(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_stays_as_it_is),
		cmocka_unit_test(controls_and_malformed_utf8_are_escaped),
		cmocka_unit_test(long_names_end_in_an_ellipsis_between_characters),
		cmocka_unit_test(empty_subject_is_described),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
