/*
 * Names compared as RFC 5280 7.1 asks (dername.h): dername_equal() tells
 * most Names that differ without making their keys, and must say what
 * the keys say for every pair, whatever their string types, spaces and
 * case, number of RDNs, multi-valued RDNs and values that are not text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <libtasn1.h>

#include "dername.h"
#include "testder.h"

#define PS ASN1_ETYPE_PRINTABLE_STRING
#define UTF8 ASN1_ETYPE_UTF8_STRING
#define BMP ASN1_ETYPE_BMP_STRING
#define T61 ASN1_ETYPE_TELETEX_STRING
#define OCTETS ASN1_ETYPE_OCTET_STRING

/* A Name and the group of the Names it is the same as. */
struct named {
	const char *what;
	int group;
	size_t nrdns;
	struct tder_attribute rdn[2];
	bool multi;	/* one RDN of both attributes */
};

static const struct named names[] = {
	{ "CN=Bench Root", 1, 1, { { TDER_OID_CN, PS, "Bench Root", 10 } },
	    false },
	{ "the same, other spaces and case", 1, 1,
	    { { TDER_OID_CN, UTF8, "  bench\t ROOT ", 14 } }, false },
	{ "the same as a BMPString", 1, 1, { { TDER_OID_CN, BMP,
	    "\0B\0E\0N\0C\0H\0 \0R\0O\0O\0T", 20 } }, false },
	{ "the same as a 7-bit TeletexString", 1, 1,
	    { { TDER_OID_CN, T61, "bench root", 10 } }, false },
	{ "the same, a control character dropped", 1, 1,
	    { { TDER_OID_CN, UTF8, "Bench\x7f Root", 11 } }, false },
	{ "CN=Bench Intermediate", 2, 1,
	    { { TDER_OID_CN, PS, "Bench Intermediate", 18 } }, false },
	{ "the same, other case", 2, 1,
	    { { TDER_OID_CN, UTF8, "bench INTERMEDIATE", 18 } }, false },
	{ "O=Bench Root", 3, 1, { { TDER_OID_O, PS, "Bench Root", 10 } },
	    false },
	{ "CN=Bench Roots", 4, 1, { { TDER_OID_CN, PS, "Bench Roots", 11 } },
	    false },
	{ "CN=BenchRoot", 5, 1, { { TDER_OID_CN, PS, "BenchRoot", 9 } },
	    false },
	{ "CN=Bench Root, C=US", 6, 2, { { TDER_OID_CN, PS, "Bench Root",
	    10 }, { TDER_OID_C, PS, "US", 2 } }, false },
	{ "the same, other case", 6, 2, { { TDER_OID_CN, UTF8, "bench root",
	    10 }, { TDER_OID_C, UTF8, "us", 2 } }, false },
	{ "C=US, CN=Bench Root", 7, 2, { { TDER_OID_C, PS, "US", 2 },
	    { TDER_OID_CN, PS, "Bench Root", 10 } }, false },
	{ "CN=Bench Root+C=US", 8, 1, { { TDER_OID_CN, PS, "Bench Root", 10 },
	    { TDER_OID_C, PS, "US", 2 } }, true },
	{ "the same, other case", 8, 1, { { TDER_OID_CN, UTF8, "BENCH ROOT",
	    10 }, { TDER_OID_C, PS, "us", 2 } }, true },
	{ "CN=Bench Root as octets, not text", 9, 1,
	    { { TDER_OID_CN, OCTETS, "Bench Root", 10 } }, false },
	{ "an 8-bit TeletexString", 10, 1,
	    { { TDER_OID_CN, T61, "Bench R\xf6ot", 10 } }, false },
	{ "UTF-8 that does not decode", 11, 1,
	    { { TDER_OID_CN, UTF8, "Bench \xff Root", 12 } }, false },
	{ "a PrintableString with an 8-bit byte", 12, 1,
	    { { TDER_OID_CN, PS, "Bench R\xf6ot", 10 } }, false },
};

#define NNAMES (sizeof(names) / sizeof(names[0]))

static gnutls_datum_t
der_of(const struct named *n)
{
	asn1_node name;

	if (!n->multi)
		return tder_name(n->rdn, n->nrdns);
	name = tder_new("RDNSequence");
	tder_add_rdn(name, n->rdn, 2);
	return tder_encoded(name);
}

/* What the keys of a and b say. */
static bool
keys_same(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	struct dername x, y;
	bool same;

	assert_int_equal(dername_load(a->data, a->size, &x), 0);
	assert_int_equal(dername_load(b->data, b->size, &y), 0);
	same = dername_same(&x, &y);
	dername_free(&x);
	dername_free(&y);
	return same;
}

/*
 * Every pair: the same exactly when they are of one group (a Name whose
 * value is not text of its type only as itself), as the keys say.
 */
static void
equal_as_the_keys_say(void **state)
{
	gnutls_datum_t der[NNAMES];

	(void)state;
	for (size_t i = 0; i < NNAMES; i++)
		der[i] = der_of(&names[i]);
	for (size_t i = 0; i < NNAMES; i++)
		for (size_t j = 0; j < NNAMES; j++) {
			bool expected = i == j ||
			    (names[i].group == names[j].group &&
			    names[i].group < 10);
			bool got = dername_equal(&der[i], &der[j]);

			if (got != expected || got != keys_same(&der[i],
			    &der[j]))
				fail_msg("'%s' (%zu) and '%s' (%zu): %s, keys "
				    "%s, expected %s", names[i].what, i,
				    names[j].what, j, got ? "same" : "differ",
				    keys_same(&der[i], &der[j]) ? "same" :
				    "differ", expected ? "same" : "differ");
		}
	for (size_t i = 0; i < NNAMES; i++)
		gnutls_free(der[i].data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equal_as_the_keys_say),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
