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

/* Whether the key of ca signed CRL i of source, as far as it tells. */
static bool
signed_with(const struct crl_source *source, size_t i, gnutls_x509_crt_t ca)
{
	struct crl_link link = { ca, ca, false, { 0 } };
	struct finding f;
	bool match = false;

	return source->signed_by(source->self, i, &link, &match, &f) == 0 &&
	    match;
}

/* Whether the key of ca signed a complete CRL of issuer dn and scope. */
static bool
signed_complete(const struct crls *crls, const gnutls_datum_t *dn,
    const struct crlext_idp *scope, gnutls_x509_crt_t ca)
{
	for (size_t s = 0; s < crls->n; s++) {
		const struct crl_source *source = crls->sources[s];

		for (size_t i = 0; i < source->count; i++) {
			struct crl_facts facts;

			facts_of(source, i, &facts);
			if (!facts.numbers->delta && issued_by(&facts, dn) &&
			    crlext_idp_equal(facts.scope, scope) &&
			    signed_with(source, i, ca))
				return true;
		}
	}
	return false;
}

/*
 * Whether complete CRLs of the issuer and scope of the delta CRL i of
 * source are configured, a configured certificate of the issuer's name
 * signed the delta CRL, and none that did signed one of them: it is not
 * read with them (RFC 5280, 5.2.4).
 */
static bool
of_another_key(const struct crls *crls, const struct certset *cas,
    const struct crl_source *source, size_t i, const struct crl_facts *delta)
{
	gnutls_datum_t dn = { (unsigned char *)delta->issuer_dn,
	    (unsigned)delta->issuer_dn_len };
	bool signer_known = false;

	if (!configured(crls, &dn, false, delta->scope))
		return false;
	for (size_t k = 0; k < cas->count; k++) {
		gnutls_x509_crt_t ca = certset_crt(cas, k);
		gnutls_datum_t subject;
		bool named;

		if (ca == NULL || gnutls_x509_crt_get_raw_dn(ca, &subject) < 0)
			continue;
		named = dername_equal(&subject, &dn);
		gnutls_free(subject.data);
		if (!named || !signed_with(source, i, ca))
			continue;
		if (signed_complete(crls, &dn, delta->scope, ca))
			return false;
		signer_known = true;
	}
	return signer_known;
}

/* What is said of the delta CRL facts signed with another key. */
static int
remark_key(const struct crl_facts *facts, struct strlist *out)
{
	char issuer[CERTNAME_MAX], origin[CERTNAME_MAX];
	char number[CRLEXT_NUMBER_SHOWN_MAX];
	char text[2 * CERTNAME_MAX + 512];

	certname_der(facts->issuer_dn, facts->issuer_dn_len, issuer);
	certname_escape((const unsigned char *)facts->origin,
	    strlen(facts->origin), origin, sizeof(origin));
	crlext_number_shown(facts->numbers->number, number);
	snprintf(text, sizeof(text), "the delta CRL #%s from '%s' (%s) was "
	    "signed with another key of its CA than its complete CRLs, so it "
	    "is not read with them (RFC 5280, 5.2.4): it revokes what it "
	    "lists, but lifts no hold, and the complete CRL alone says "
	    "whether revocation is fresh; add the complete CRL of the delta "
	    "CRL's key (after a renewal of the CA's key, the CRL of the new "
	    "key)", number, issuer, origin);
	return strlist_add(out, text);
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
			if (remark_crl(&crls, &facts, out) != 0 ||
			    (facts.numbers->delta &&
			    of_another_key(&crls, cas, sources[s], i, &facts) &&
			    remark_key(&facts, out) != 0))
				return -1;
		}
	for (size_t i = 0; i < cas->count; i++)
		if (certset_crt(cas, i) != NULL &&
		    remark_ca(&crls, certset_crt(cas, i), out) != 0)
			return -1;
	return 0;
}
