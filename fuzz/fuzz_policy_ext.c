/*
 * fuzz_policy_ext - the value of a certificate policy extension, as
 * certpolicies.h reads it.
 *
 * The first byte of the input chooses the extension (certificatePolicies,
 * policyMappings, policyConstraints, inhibitAnyPolicy; modulo 4); the
 * rest is its DER value.  The value is decoded twice into one set, as a
 * certificate with the extension twice would be (GnuTLS refuses those;
 * the reader must not rely on it).
 *
 * Invariants: a refusal has one safe line saying why (oneline.h); what
 * is accepted holds what RFC 5280 allows: at most CERTPOLICIES_MAX
 * entries, no policy twice, anyPolicy only as the any_policy flag and
 * never mapped, every OID a NUL-terminated dotted string.  A violation
 * aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certpolicies.h"
#include "fuzzer.h"
#include "oneline.h"

static const char *const oids[] = {
	"2.5.29.32", "2.5.29.33", "2.5.29.36", "2.5.29.54"
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
violated(const char *what)
{
	fprintf(stderr, "fuzz_policy_ext: %s\n", what);
	abort();
}

static void
check_oid(const char *oid)
{
	size_t len = strnlen(oid, CERTPOLICIES_OID_MAX);

	if (len == 0 || len == CERTPOLICIES_OID_MAX)
		violated("an OID that is empty or not terminated");
	if (strspn(oid, "0123456789.") != len)
		violated("an OID that is not dotted decimal");
}

static void
check_read(const struct certpolicies *cp)
{
	if (cp->npolicies > CERTPOLICIES_MAX ||
	    cp->nmappings > CERTPOLICIES_MAX)
		violated("more entries than the bound");
	for (size_t i = 0; i < cp->npolicies; i++) {
		check_oid(cp->policies[i]);
		if (strcmp(cp->policies[i], CERTPOLICIES_ANY) == 0)
			violated("anyPolicy kept as a policy");
		for (size_t k = 0; k < i; k++)
			if (strcmp(cp->policies[k], cp->policies[i]) == 0)
				violated("a policy twice");
	}
	for (size_t i = 0; i < cp->nmappings; i++) {
		check_oid(cp->mappings[i].issuer);
		check_oid(cp->mappings[i].subject);
		if (strcmp(cp->mappings[i].issuer, CERTPOLICIES_ANY) == 0 ||
		    strcmp(cp->mappings[i].subject, CERTPOLICIES_ANY) == 0)
			violated("anyPolicy mapped");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct certpolicies cp = {
		.require_explicit = CERTPOLICIES_ABSENT,
		.inhibit_mapping = CERTPOLICIES_ABSENT,
		.inhibit_any = CERTPOLICIES_ABSENT,
	};
	gnutls_datum_t der;
	char why[512];
	enum certpolicies_result ret = CERTPOLICIES_OK;

	if (size < 1)
		return 0;
	der.data = (unsigned char *)data + 1;
	der.size = (unsigned)(size - 1);
	for (int round = 0; round < 2 && ret == CERTPOLICIES_OK; round++) {
		why[0] = '\0';
		ret = certpolicies_decode(oids[data[0] % 4], &der, &cp, why,
		    sizeof(why));
		if (ret == CERTPOLICIES_MALFORMED ||
		    ret == CERTPOLICIES_TOO_MANY)
			check_one_line("fuzz_policy_ext: why", why);
	}
	if (ret == CERTPOLICIES_OK)
		check_read(&cp);
	certpolicies_clear(&cp);
	return 0;
}
