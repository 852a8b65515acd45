/*
 * RFC 5280 rules for CRLs (section 5).  A CRL that breaks them, or uses a
 * feature this code does not implement (indirect and reason-partitioned
 * CRLs), is refused outright: misreading one would either miss
 * revocations or revoke the wrong certificates.  Delta CRLs are read;
 * what they may be combined with is crl_coverage.h's.
 */
#include "rfc5280.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"
#include "crlext.h"

/* RFC 5280, 5.2.3: CRL numbers are at most 20 octets long. */
#define CRL_NUMBER_MAX_OCTETS 20

/* More extensions than any real CRL carries; bounds the duplicate check. */
#define CRL_MAX_EXTENSIONS 64

#define OID_DELTA_CRL_INDICATOR		"2.5.29.27"
#define OID_CERTIFICATE_ISSUER		"2.5.29.29"

/* CRL extensions understood here, and whether RFC 5280 lets each be
 * critical.  issuingDistributionPoint is read by crlext. */
static const struct {
	const char *oid;
	const char *name;
	bool may_be_critical;
} crl_extensions[] = {
	{ "2.5.29.35", "authorityKeyIdentifier", false },
	{ "2.5.29.18", "issuerAltName", true },
	{ "2.5.29.20", "cRLNumber", false },
	{ OID_DELTA_CRL_INDICATOR, "deltaCRLIndicator", true },
	{ "2.5.29.28", "issuingDistributionPoint", true },
	{ "2.5.29.46", "freshestCRL", false },
	{ "1.3.6.1.5.5.7.1.1", "authorityInfoAccess", false },
};

/* Entry extensions understood here: reasonCode, holdInstructionCode,
 * invalidityDate.  Every listed certificate counts as revoked whatever
 * they say. */
static const char *const entry_extensions[] = {
	"2.5.29.21",
	"2.5.29.23",
	"2.5.29.24",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
check_number(gnutls_x509_crl_t crl, const char *issuer, struct finding *f)
{
	unsigned char number[64];
	size_t len = sizeof(number);
	int ret;

	/* its criticality is checked with the other extensions */
	ret = gnutls_x509_crl_get_number(crl, number, &len, NULL);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has no CRL number, which RFC 5280 requires; have its CA "
		    "issue CRLs with one", issuer);
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER ||
	    (ret >= 0 && len > CRL_NUMBER_MAX_OCTETS))
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has a CRL number longer than %d octets, which RFC 5280 "
		    "forbids", issuer, CRL_NUMBER_MAX_OCTETS);
	if (ret < 0 || len == 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has an unreadable CRL number (%s)", issuer,
		    ret < 0 ? gnutls_strerror(ret) : "empty");
	if (number[0] & 0x80)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has a negative CRL number, which RFC 5280 forbids",
		    issuer);
	return 0;
}

static int
seen_before(gnutls_x509_crl_t crl, unsigned indx, const char *oid)
{
	for (unsigned i = 0; i < indx; i++) {
		char other[128];
		size_t len = sizeof(other);

		if (gnutls_x509_crl_get_extension_oid(crl, i, other,
		    &len) >= 0 && strcmp(other, oid) == 0)
			return 1;
	}
	return 0;
}

static int
check_extension(gnutls_x509_crl_t crl, unsigned indx, const char *oid,
    unsigned critical, const char *issuer, struct finding *f)
{
	/* a reader that ignored it would take the delta for a complete
	 * CRL, and every certificate it does not list for good */
	if (strcmp(oid, OID_DELTA_CRL_INDICATOR) == 0 && !critical)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "marks its deltaCRLIndicator extension not critical, "
		    "which RFC 5280 forbids", issuer);
	if (seen_before(crl, indx, oid))
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "carries extension %s twice", issuer, oid);
	for (size_t i = 0; i < NELEM(crl_extensions); i++) {
		if (strcmp(oid, crl_extensions[i].oid) != 0)
			continue;
		if (critical && !crl_extensions[i].may_be_critical)
			return finding_set(f, MTLS_R_CRL_INVALID, "the CRL "
			    "from '%s' marks its %s extension (%s) critical, "
			    "which RFC 5280 forbids", issuer,
			    crl_extensions[i].name, oid);
		return 0;
	}
	if (critical)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has the unknown critical extension %s, so RFC 5280 "
		    "forbids using it", issuer, oid);
	return 0;
}

static int
check_extensions(gnutls_x509_crl_t crl, const char *issuer,
    struct finding *f)
{
	for (unsigned i = 0;; i++) {
		char oid[128];
		size_t len = sizeof(oid);
		unsigned critical = 0;
		int ret;

		ret = gnutls_x509_crl_get_extension_info(crl, i, oid, &len,
		    &critical);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return 0;
		if (ret < 0)
			return finding_set(f, MTLS_R_CRL_INVALID, "the CRL "
			    "from '%s' has an unreadable extension (%s)",
			    issuer, gnutls_strerror(ret));
		if (i == CRL_MAX_EXTENSIONS)
			return finding_set(f, MTLS_R_CRL_INVALID, "the CRL "
			    "from '%s' has more than %d extensions", issuer,
			    CRL_MAX_EXTENSIONS);
		if (check_extension(crl, i, oid, critical, issuer, f) != 0)
			return -1;
	}
}

/* The issuingDistributionPoint features this code cannot honour. */
static int
check_scope(gnutls_x509_crl_t crl, const char *issuer, struct finding *f)
{
	struct crlext_idp idp;
	int ret = 0;

	if (crlext_idp(crl, &idp) != 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has a malformed issuingDistributionPoint extension",
		    issuer);
	if (idp.indirect)
		ret = finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "is an indirect CRL; indirect CRLs are not supported, "
		    "configure CRLs issued by each CA itself", issuer);
	else if (idp.only_some_reasons)
		ret = finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "covers only some revocation reasons; CRLs partitioned by "
		    "reason are not supported, configure a complete CRL",
		    issuer);
	else if (idp.only_attribute_certs)
		ret = finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "covers only attribute certificates, which RFC 5280 "
		    "forbids", issuer);
	else if (idp.only_user_certs && idp.only_ca_certs)
		ret = finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "claims to cover only user and only CA certificates at "
		    "once", issuer);
	else if (idp.has_point && idp.nuris == 0)
		ret = finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "names its partition without a URI; partitions not named "
		    "by URI are not supported", issuer);
	crlext_idp_clear(&idp);
	return ret;
}

int
rfc5280_check_crl_entry_extension(const char *oid, bool critical,
    const char *issuer, struct finding *f)
{
	if (strcmp(oid, OID_CERTIFICATE_ISSUER) == 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "lists certificates of another issuer; indirect CRLs are "
		    "not supported, configure CRLs issued by each CA itself",
		    issuer);
	for (size_t i = 0; i < NELEM(entry_extensions); i++)
		if (strcmp(oid, entry_extensions[i]) == 0)
			return 0;
	if (critical)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has an entry with the unknown critical extension %s, so "
		    "RFC 5280 forbids using it", issuer, oid);
	return 0;
}

int
rfc5280_check_crl(gnutls_x509_crl_t crl, struct finding *f)
{
	char issuer[CERTNAME_MAX];
	struct crlext_numbers numbers;

	certname_crl_issuer(crl, issuer);
	if (check_extensions(crl, issuer, f) != 0 ||
	    check_number(crl, issuer, f) != 0 ||
	    check_scope(crl, issuer, f) != 0)
		return -1;
	/* the cRLNumber was judged above: what fails now is the base's */
	if (crlext_numbers(crl, &numbers) != 0)
		return finding_set(f, MTLS_R_CRL_INVALID, "the delta CRL from "
		    "'%s' has a malformed BaseCRLNumber (not an INTEGER of "
		    "0 to 20 octets)", issuer);
	if (gnutls_x509_crl_get_this_update(crl) == (time_t)-1)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has an unreadable thisUpdate", issuer);
	if (gnutls_x509_crl_get_next_update(crl) == (time_t)-1)
		return finding_set(f, MTLS_R_CRL_INVALID, "the CRL from '%s' "
		    "has no nextUpdate; RFC 5280 requires one, and without it "
		    "the CRL can never be judged stale", issuer);
	return 0;
}
