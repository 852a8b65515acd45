#include "certpolicies.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "dertlv.h"
#include "pkixasn.h"

#define OID_POLICIES "2.5.29.32"
#define OID_MAPPINGS "2.5.29.33"
#define OID_CONSTRAINTS "2.5.29.36"
#define OID_INHIBIT_ANY "2.5.29.54"

/* Longest extension OID read from a certificate: longer is none of ours. */
#define EXT_OID_MAX 128

static enum certpolicies_result
malformed(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum certpolicies_result
malformed(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return CERTPOLICIES_MALFORMED;
}

static enum certpolicies_result
not_der(int ret, const char *ext, char *why, size_t whylen)
{
	if (ret == ASN1_MEM_ALLOC_ERROR)
		return CERTPOLICIES_NO_MEMORY;
	return malformed(why, whylen, "has a %s extension that is not "
	    "well-formed DER (%s)", ext, asn1_strerror(ret));
}

/*
 * The elements of the SEQUENCE OF der, counted without decoding them:
 * -1 when der is no SEQUENCE of whole elements, CERTPOLICIES_MAX + 1 as
 * soon as there are more than CERTPOLICIES_MAX.
 */
static long
count_elements(const gnutls_datum_t *der)
{
	const unsigned char *p = der->data, *end = der->data + der->size;
	struct dertlv el;
	long n = 0;

	if (dertlv_enter(&p, &end, DER_SEQUENCE) != 0)
		return -1;
	while (p < end && n <= CERTPOLICIES_MAX) {
		if (dertlv_next(&p, end, &el) != 0)
			return -1;
		n++;
	}
	return n;
}

/*
 * Decode der as type, after checking its number of elements, *n, and
 * allocate *array for as many of size each; *array stays NULL on any
 * other result than CERTPOLICIES_OK.
 */
static enum certpolicies_result
decode_list(const char *type, const char *ext, const gnutls_datum_t *der,
    asn1_node *value, long *n, void **array, size_t size, char *why,
    size_t whylen)
{
	int ret;

	*n = count_elements(der);
	if (*n > CERTPOLICIES_MAX) {
		snprintf(why, whylen, "has a %s extension with more than %d "
		    "entries", ext, CERTPOLICIES_MAX);
		return CERTPOLICIES_TOO_MANY;
	}
	if ((ret = pkixasn_decode(type, der->data, der->size, value)) !=
	    ASN1_SUCCESS)
		return not_der(ret, ext, why, whylen);
	/* SIZE (1..MAX): libtasn1 does not hold a list to it */
	if (*n <= 0)
		return malformed(why, whylen, "has an empty %s extension, "
		    "which RFC 5280 forbids", ext);
	if ((*array = calloc((size_t)*n, size)) == NULL)
		return CERTPOLICIES_NO_MEMORY;
	return CERTPOLICIES_OK;
}

/* The OBJECT IDENTIFIER at name of value, dotted, into oid. */
static enum certpolicies_result
read_oid(asn1_node value, const char *name, const char *ext,
    char oid[CERTPOLICIES_OID_MAX], char *why, size_t whylen)
{
	int len = CERTPOLICIES_OID_MAX;
	int ret = asn1_read_value(value, name, oid, &len);

	if (ret == ASN1_MEM_ERROR)
		return malformed(why, whylen, "has a %s extension with a "
		    "policy identifier over %d characters", ext,
		    CERTPOLICIES_OID_MAX - 1);
	if (ret != ASN1_SUCCESS)
		return not_der(ret, ext, why, whylen);
	return CERTPOLICIES_OK;
}

/*
 * certificatePolicies: each policy once (RFC 5280 4.2.1.4).  The
 * qualifiers are decoded, so that a malformed one refuses the extension,
 * but not kept: RFC 9618 drops them from processing.  Looking "?k" up
 * walks past k - 1 elements: quadratic, over at most CERTPOLICIES_MAX.
 */
static enum certpolicies_result
decode_policies(const gnutls_datum_t *der, struct certpolicies *cp,
    char *why, size_t whylen)
{
	static const char ext[] = "certificatePolicies";
	asn1_node value = NULL;
	char oid[CERTPOLICIES_OID_MAX], name[48];
	enum certpolicies_result ret;
	void *mem = NULL;
	long n;

	ret = decode_list("CertificatePolicies", ext, der, &value, &n, &mem,
	    sizeof(*cp->policies), why, whylen);
	if ((cp->policies = mem) == NULL)
		goto out;
	cp->has_policies = true;
	for (long i = 1; i <= n && ret == CERTPOLICIES_OK; i++) {
		bool twice;

		snprintf(name, sizeof(name), "?%ld.policyIdentifier", i);
		if ((ret = read_oid(value, name, ext, oid, why, whylen)) !=
		    CERTPOLICIES_OK)
			break;
		twice = strcmp(oid, CERTPOLICIES_ANY) == 0 && cp->any_policy;
		for (size_t k = 0; k < cp->npolicies && !twice; k++)
			twice = strcmp(cp->policies[k], oid) == 0;
		if (twice)
			ret = malformed(why, whylen, "lists policy %s twice in "
			    "its %s, which RFC 5280 forbids", oid, ext);
		else if (strcmp(oid, CERTPOLICIES_ANY) == 0)
			cp->any_policy = true;
		else
			memcpy(cp->policies[cp->npolicies++], oid,
			    sizeof(oid));
	}
out:
	asn1_delete_structure(&value);
	return ret;
}

/* policyMappings: never to or from anyPolicy (RFC 5280 4.2.1.5). */
static enum certpolicies_result
decode_mappings(const gnutls_datum_t *der, struct certpolicies *cp,
    char *why, size_t whylen)
{
	static const char ext[] = "policyMappings";
	asn1_node value = NULL;
	char name[48];
	enum certpolicies_result ret;
	void *mem = NULL;
	long n;

	ret = decode_list("PolicyMappings", ext, der, &value, &n, &mem,
	    sizeof(*cp->mappings), why, whylen);
	if ((cp->mappings = mem) == NULL)
		goto out;
	for (long i = 1; i <= n && ret == CERTPOLICIES_OK; i++) {
		struct certpolicy_mapping *m = &cp->mappings[i - 1];

		snprintf(name, sizeof(name), "?%ld.issuerDomainPolicy", i);
		ret = read_oid(value, name, ext, m->issuer, why, whylen);
		snprintf(name, sizeof(name), "?%ld.subjectDomainPolicy", i);
		if (ret == CERTPOLICIES_OK)
			ret = read_oid(value, name, ext, m->subject, why,
			    whylen);
		if (ret != CERTPOLICIES_OK)
			break;
		if (strcmp(m->issuer, CERTPOLICIES_ANY) == 0 ||
		    strcmp(m->subject, CERTPOLICIES_ANY) == 0)
			ret = malformed(why, whylen, "maps anyPolicy in its "
			    "%s, which RFC 5280 forbids", ext);
		else
			cp->nmappings++;
	}
out:
	asn1_delete_structure(&value);
	return ret;
}

/*
 * A SkipCerts (INTEGER (0..MAX)) at name of value into *skip; absent
 * leaves it.  One beyond any path's length counts as absent.
 */
static enum certpolicies_result
read_skip_certs(asn1_node value, const char *name, const char *ext,
    unsigned *skip, char *why, size_t whylen)
{
	unsigned char small[8], *v = small;
	int len = sizeof(small);
	int ret = asn1_read_value(value, name, v, &len);
	enum certpolicies_result result = CERTPOLICIES_OK;
	unsigned n = 0;

	if (ret == ASN1_ELEMENT_NOT_FOUND || ret == ASN1_VALUE_NOT_FOUND)
		return CERTPOLICIES_OK;
	/* longer than any path's length, but its sign is in its first
	 * octet: read it whole all the same */
	if (ret == ASN1_MEM_ERROR && len > 0) {
		if ((v = malloc((size_t)len)) == NULL)
			return CERTPOLICIES_NO_MEMORY;
		ret = asn1_read_value(value, name, v, &len);
	}
	if (ret != ASN1_SUCCESS || len == 0)
		result = not_der(ret != ASN1_SUCCESS ? ret : ASN1_DER_ERROR,
		    ext, why, whylen);
	else if (v[0] & 0x80)
		result = malformed(why, whylen, "has a negative SkipCerts in "
		    "its %s", ext);
	else {
		for (int i = 0; i < len && n < CERTPOLICIES_ABSENT; i++)
			n = n << 8 | v[i];
		*skip = n < CERTPOLICIES_ABSENT ? n : CERTPOLICIES_ABSENT;
	}
	if (v != small)
		free(v);
	return result;
}

/*
 * An extension of SkipCerts only: the n of them at names of its value,
 * of pkix.asn's type, into skips.
 */
static enum certpolicies_result
decode_skips(const char *type, const char *ext, const gnutls_datum_t *der,
    const char *const *names, unsigned *const *skips, size_t n, char *why,
    size_t whylen)
{
	asn1_node value = NULL;
	enum certpolicies_result ret = CERTPOLICIES_OK;
	int err;

	if ((err = pkixasn_decode(type, der->data, der->size, &value)) !=
	    ASN1_SUCCESS)
		return not_der(err, ext, why, whylen);
	for (size_t k = 0; k < n && ret == CERTPOLICIES_OK; k++)
		ret = read_skip_certs(value, names[k], ext, skips[k], why,
		    whylen);
	asn1_delete_structure(&value);
	return ret;
}

/* policyConstraints: not an empty sequence (RFC 5280 4.2.1.11). */
static enum certpolicies_result
decode_constraints(const gnutls_datum_t *der, struct certpolicies *cp,
    char *why, size_t whylen)
{
	static const char ext[] = "policyConstraints";
	static const char *const names[] = { "requireExplicitPolicy",
	    "inhibitPolicyMapping" };
	unsigned *const skips[] = { &cp->require_explicit,
	    &cp->inhibit_mapping };
	enum certpolicies_result ret;

	ret = decode_skips("PolicyConstraints", ext, der, names, skips, 2, why,
	    whylen);
	/* DER of an empty SEQUENCE is two octets */
	if (ret == CERTPOLICIES_OK && der->size <= 2)
		ret = malformed(why, whylen, "has an empty %s, which RFC 5280 "
		    "forbids", ext);
	return ret;
}

static enum certpolicies_result
decode_inhibit_any(const gnutls_datum_t *der, struct certpolicies *cp,
    char *why, size_t whylen)
{
	static const char *const names[] = { "" };
	unsigned *const skips[] = { &cp->inhibit_any };

	return decode_skips("InhibitAnyPolicy", "inhibitAnyPolicy", der, names,
	    skips, 1, why, whylen);
}

enum certpolicies_result
certpolicies_decode(const char *oid, const gnutls_datum_t *der,
    struct certpolicies *cp, char *why, size_t whylen)
{
	/* GnuTLS refuses an extension twice on import; this does not rely
	 * on it */
	if ((strcmp(oid, OID_POLICIES) == 0 && cp->has_policies) ||
	    (strcmp(oid, OID_MAPPINGS) == 0 && cp->mappings != NULL))
		return malformed(why, whylen, "has the %s extension twice",
		    oid);
	if (strcmp(oid, OID_POLICIES) == 0)
		return decode_policies(der, cp, why, whylen);
	if (strcmp(oid, OID_MAPPINGS) == 0)
		return decode_mappings(der, cp, why, whylen);
	if (strcmp(oid, OID_CONSTRAINTS) == 0)
		return decode_constraints(der, cp, why, whylen);
	if (strcmp(oid, OID_INHIBIT_ANY) == 0)
		return decode_inhibit_any(der, cp, why, whylen);
	return CERTPOLICIES_OK;
}

static bool
policy_extension(const char *oid, bool constraints_only)
{
	if (strcmp(oid, OID_CONSTRAINTS) == 0 ||
	    strcmp(oid, OID_INHIBIT_ANY) == 0)
		return true;
	return !constraints_only && (strcmp(oid, OID_POLICIES) == 0 ||
	    strcmp(oid, OID_MAPPINGS) == 0);
}

/* One walk over the extensions: the four are found by their OIDs. */
enum certpolicies_result
certpolicies_read(gnutls_x509_crt_t crt, bool constraints_only,
    struct certpolicies *cp, char *why, size_t whylen)
{
	enum certpolicies_result ret = CERTPOLICIES_OK;
	char oid[EXT_OID_MAX];
	unsigned critical;
	int err = 0;

	memset(cp, 0, sizeof(*cp));
	cp->require_explicit = cp->inhibit_mapping = cp->inhibit_any =
	    CERTPOLICIES_ABSENT;
	if (gnutls_x509_crt_get_version(crt) < 3)
		return CERTPOLICIES_OK;
	for (unsigned i = 0; ret == CERTPOLICIES_OK; i++) {
		gnutls_datum_t der = { NULL, 0 };
		size_t len = sizeof(oid);

		err = gnutls_x509_crt_get_extension_info(crt, i, oid, &len,
		    &critical);
		if (err == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue;
		if (err < 0)
			break;
		if (!policy_extension(oid, constraints_only))
			continue;
		if ((err = gnutls_x509_crt_get_extension_data2(crt, i,
		    &der)) < 0)
			break;
		ret = certpolicies_decode(oid, &der, cp, why, whylen);
		gnutls_free(der.data);
	}
	if (ret != CERTPOLICIES_OK ||
	    err == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return ret;
	if (err == GNUTLS_E_MEMORY_ERROR)
		return CERTPOLICIES_NO_MEMORY;
	return malformed(why, whylen, "has extensions that cannot be read "
	    "(%s)", gnutls_strerror(err));
}

void
certpolicies_clear(struct certpolicies *cp)
{
	free(cp->policies);
	free(cp->mappings);
	memset(cp, 0, sizeof(*cp));
}
