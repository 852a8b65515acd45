#include "crl_delta_remarks.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crlext.h"
#include "dername.h"

#define OID_FRESHEST_CRL "2.5.29.46"

struct crls {
	const struct crl_source *const *sources;
	size_t n;
};

static void
facts_of(const struct crl_source *source, size_t i, struct crl_facts *out)
{
	memset(out, 0, sizeof(*out));
	out->stale_remedy = source->stale_remedy;
	source->facts(source->self, i, out);
}

static bool
issued_by(const struct crl_facts *facts, const gnutls_datum_t *dn)
{
	gnutls_datum_t issuer = { (unsigned char *)facts->issuer_dn,
	    (unsigned)facts->issuer_dn_len };

	return dername_equal(&issuer, dn);
}

/*
 * Whether a CRL of issuer dn is configured: a delta CRL or a complete one
 * as delta says, of scope (any, when NULL).
 */
static bool
configured(const struct crls *crls, const gnutls_datum_t *dn, bool delta,
    const struct crlext_idp *scope)
{
	for (size_t s = 0; s < crls->n; s++) {
		const struct crl_source *source = crls->sources[s];

		for (size_t i = 0; i < source->count; i++) {
			struct crl_facts facts;

			facts_of(source, i, &facts);
			if (issued_by(&facts, dn) &&
			    facts.numbers->delta == delta && (scope == NULL ||
			    crlext_idp_equal(facts.scope, scope)))
				return true;
		}
	}
	return false;
}

/* What is said of the CRL facts, unless its counterpart is there. */
static int
remark_crl(const struct crls *crls, const struct crl_facts *facts,
    struct strlist *out)
{
	gnutls_datum_t dn = { (unsigned char *)facts->issuer_dn,
	    (unsigned)facts->issuer_dn_len };
	char issuer[CERTNAME_MAX], origin[CERTNAME_MAX];
	char number[CRLEXT_NUMBER_SHOWN_MAX], base[CRLEXT_NUMBER_SHOWN_MAX];
	char text[2 * CERTNAME_MAX + 512];
	bool delta = facts->numbers->delta;

	if (!delta && !facts->numbers->names_deltas)
		return 0;
	if (configured(crls, &dn, !delta, facts->scope))
		return 0;
	certname_der(facts->issuer_dn, facts->issuer_dn_len, issuer);
	certname_escape((const unsigned char *)facts->origin,
	    strlen(facts->origin), origin, sizeof(origin));
	crlext_number_shown(facts->numbers->number, number);
	crlext_number_shown(facts->numbers->base, base);
	if (delta)
		snprintf(text, sizeof(text), "the delta CRL #%s from '%s' "
		    "(%s) has no complete CRL of its issuer beside it, so "
		    "every certificate it covers is rejected (crl-missing): a "
		    "delta CRL lists only what changed since its complete CRL "
		    "(#%s); add that complete CRL (with Microsoft AD CS, the "
		    "file of the same name without the '+') to "
		    "revocation.crl_files or crl_urls", number, issuer, origin,
		    base);
	else
		snprintf(text, sizeof(text), "the CRL from '%s' (%s) names "
		    "delta CRLs of its issuer (freshestCRL), and none is "
		    "configured: a certificate revoked since this CRL is "
		    "accepted until the next complete CRL (up to a week with "
		    "Microsoft AD CS); add the delta CRL (with AD CS, the file "
		    "whose name ends in '+') to revocation.crl_files or "
		    "crl_urls", issuer, origin);
	return strlist_add(out, text);
}

/*
 * A CA certificate with a freshestCRL names delta CRLs of its issuer; a
 * complete CRL of that issuer configured without any delta CRL leaves
 * the gap.
 */
static int
remark_ca(const struct crls *crls, gnutls_x509_crt_t crt,
    struct strlist *out)
{
	gnutls_datum_t dn = { NULL, 0 }, ext = { NULL, 0 };
	char name[CERTNAME_MAX], issuer[CERTNAME_MAX];
	char text[2 * CERTNAME_MAX + 512];
	int ret = 0;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, OID_FRESHEST_CRL, 0,
	    &ext, NULL) < 0)
		return 0;
	gnutls_free(ext.data);
	if (gnutls_x509_crt_get_raw_issuer_dn(crt, &dn) < 0)
		return 0;
	if (configured(crls, &dn, false, NULL) &&
	    !configured(crls, &dn, true, NULL)) {
		certname_subject(crt, name);
		certname_issuer(crt, issuer);
		snprintf(text, sizeof(text), "configured CA certificate '%s' "
		    "names delta CRLs of its issuer '%s' (freshestCRL), and "
		    "only its complete CRL is configured: a certificate "
		    "revoked since that CRL is accepted until the next one (up "
		    "to a week with Microsoft AD CS); add the delta CRL to "
		    "revocation.crl_files or crl_urls", name, issuer);
		ret = strlist_add(out, text);
	}
	gnutls_free(dn.data);
	return ret;
}

int
crl_delta_remarks(const struct crl_source *const *sources, size_t n,
    const struct certset *cas, struct strlist *out)
{
	const struct crls crls = { sources, n };

	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; i < sources[s]->count; i++) {
			struct crl_facts facts;

			facts_of(sources[s], i, &facts);
			if (remark_crl(&crls, &facts, out) != 0)
				return -1;
		}
	for (size_t i = 0; i < cas->count; i++)
		if (certset_crt(cas, i) != NULL &&
		    remark_ca(&crls, certset_crt(cas, i), out) != 0)
			return -1;
	return 0;
}
