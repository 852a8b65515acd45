#include "crlext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "dertime.h"
#include "dertlv.h"
#include "hex.h"
#include "pkixasn.h"

static const char idp_oid[] = "2.5.29.28";
static const char delta_oid[] = "2.5.29.27";
static const char reason_oid[] = "2.5.29.21";
static const char freshest_oid[] = "2.5.29.46";

/* CRLReason ::= ENUMERATED, 0 to 10 but for 7, which is unused. */
#define DER_ENUMERATED 0x0a
#define CRL_REASON_MAX 10
#define CRL_REASON_UNUSED 7

/*
 * The elements of a SEQUENCE OF, one after another.  libtasn1 names them
 * "?1", "?2", ...  Looked up from the list, "?k" costs a walk past k - 1
 * elements; looked up from element k - 1, it is the next sibling.  So a
 * walk stays linear however long a hostile list is.
 */
struct elements {
	asn1_node at;		/* the current element, NULL past the last */
	unsigned index;
};

static void
elements_first(struct elements *it, asn1_node_const root, const char *list)
{
	char name[128];

	snprintf(name, sizeof(name), "%s.?1", list);
	it->at = asn1_find_node(root, name);
	it->index = 1;
}

static void
elements_next(struct elements *it)
{
	char name[16];

	snprintf(name, sizeof(name), "?%u", ++it->index);
	it->at = asn1_find_node(it->at, name);
}

static bool
read_true(asn1_node_const node, const char *name)
{
	char value[8];
	int len = sizeof(value);

	/* a BOOLEAN reads as "TRUE" or "FALSE", its DEFAULT when absent */
	return asn1_read_value(node, name, value, &len) == ASN1_SUCCESS &&
	    strcmp(value, "TRUE") == 0;
}

/* The CRLReason in a reasonCode extension's value; -1 when malformed. */
static int
read_reason(const struct dertlv *value)
{
	const unsigned char *p = value->content, *end = value->end;
	struct dertlv e;

	if (dertlv_expect(&p, end, DER_ENUMERATED, &e) != 0 || p != end ||
	    e.len != 1 || e.content[0] > CRL_REASON_MAX ||
	    e.content[0] == CRL_REASON_UNUSED)
		return -1;
	return e.content[0];
}

/*
 * Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue }.
 * A reasonCode is kept in *reason.
 */
static int
visit_extension(const struct dertlv *ext,
    const struct crlext_entry_visitor *visit, void *arg, int *reason)
{
	const unsigned char *p = ext->content, *end = ext->end;
	struct dertlv oid, part;
	char dotted[128];
	bool critical = false;
	int used, ret;

	if (dertlv_expect(&p, end, DER_OID, &oid) != 0 ||
	    dertlv_next(&p, end, &part) != 0)
		return -1;
	if (part.tag == DER_BOOLEAN) {
		if (part.len != 1 || (part.content[0] != 0 &&
		    part.content[0] != 0xff))
			return -1;
		critical = part.content[0] == 0xff;
		if (dertlv_next(&p, end, &part) != 0)
			return -1;
	}
	if (part.tag != DER_OCTET_STRING || p != end ||
	    asn1_get_object_id_der(oid.start + 1, (int)(oid.end - oid.start -
	    1), &used, dotted, sizeof(dotted)) != ASN1_SUCCESS)
		return -1;
	if ((ret = visit->extension(dotted, critical, arg)) != 0)
		return ret;
	if (strcmp(dotted, reason_oid) == 0 &&
	    (*reason != CRLEXT_REASON_NONE ||
	    (*reason = read_reason(&part)) < 0))
		return -1;	/* twice, or malformed */
	return 0;
}

/*
 * RevokedCertificate ::= SEQUENCE { userCertificate INTEGER,
 * revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
 */
static int
visit_entry(const struct dertlv *entry,
    const struct crlext_entry_visitor *visit, void *arg)
{
	const unsigned char *p = entry->content, *end = entry->end;
	struct dertlv serial, date, exts, ext;
	struct crlext_entry e;
	const char *why;
	int ret;

	if (dertlv_expect(&p, end, DER_INTEGER, &serial) != 0 ||
	    serial.len == 0 || dertlv_next(&p, end, &date) != 0 ||
	    dertime_read(&date, &e.when, &why) != 0)
		return -1;
	e.serial = serial.content;
	e.serial_len = serial.len;
	e.reason = CRLEXT_REASON_NONE;
	/* the extensions first: the reason is part of the entry */
	if (p != end) {
		if (dertlv_expect(&p, end, DER_SEQUENCE, &exts) != 0 ||
		    p != end || exts.len == 0)
			return -1;
		for (p = exts.content; p < exts.end;) {
			if (dertlv_expect(&p, exts.end, DER_SEQUENCE,
			    &ext) != 0)
				return -1;
			if ((ret = visit_extension(&ext, visit, arg,
			    &e.reason)) != 0)
				return ret;
		}
	}
	return visit->entry(&e, arg);
}

int
crlext_entries(const unsigned char *der, size_t len,
    const struct crlext_entry_visitor *visit, void *arg)
{
	const unsigned char *p = der, *end = der + len;
	struct dertlv entry;
	int ret;

	while (p < end) {
		if (dertlv_expect(&p, end, DER_SEQUENCE, &entry) != 0)
			return -1;
		if ((ret = visit_entry(&entry, visit, arg)) != 0)
			return ret;
	}
	return 0;
}

/* The value of the CRL extension oid; data NULL when absent. */
static int
crl_extension(gnutls_x509_crl_t crl, const char *oid, gnutls_datum_t *value)
{
	value->data = NULL;
	value->size = 0;
	for (unsigned i = 0;; i++) {
		char got[128];
		size_t len = sizeof(got);
		int ret;

		ret = gnutls_x509_crl_get_extension_info(crl, i, got, &len,
		    NULL);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return 0;
		if (ret < 0)
			return -1;
		if (strcmp(got, oid) == 0)
			return gnutls_x509_crl_get_extension_data2(crl, i,
			    value) < 0 ? -1 : 0;
	}
}

/* The string at name under node, copied into memory of its own. */
static int
read_copy(asn1_node_const node, const char *name, gnutls_datum_t *out)
{
	int len = 0, ret;

	ret = asn1_read_value(node, name, NULL, &len);
	if ((ret != ASN1_MEM_ERROR && ret != ASN1_SUCCESS) || len < 0)
		return -1;
	out->data = malloc(len > 0 ? (size_t)len : 1);
	if (out->data == NULL)
		return -1;
	if (asn1_read_value(node, name, out->data, &len) != ASN1_SUCCESS) {
		free(out->data);
		out->data = NULL;
		return -1;
	}
	out->size = (unsigned)len;
	return 0;
}

/*
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
 * nameRelativeToCRLIssuer [1] }.  Only fullName URIs are kept: they are
 * what a certificate's cRLDistributionPoints can be matched against.
 */
static int
idp_uris(struct crlext_idp *idp, asn1_node_const value)
{
	struct elements name;
	int count;

	if (asn1_number_of_elements(value, "distributionPoint.fullName",
	    &count) != ASN1_SUCCESS || count <= 0)
		return 0;
	idp->uris = calloc((size_t)count, sizeof(*idp->uris));
	if (idp->uris == NULL)
		return -1;
	for (elements_first(&name, value, "distributionPoint.fullName");
	    name.at != NULL && idp->nuris < (size_t)count;
	    elements_next(&name)) {
		char choice[ASN1_MAX_NAME_SIZE];
		int len = sizeof(choice);

		if (asn1_read_value(name.at, "?CURRENT", choice, &len) !=
		    ASN1_SUCCESS)
			return -1;
		if (strcmp(choice, "uniformResourceIdentifier") != 0)
			continue;
		if (read_copy(name.at, "?CURRENT.uniformResourceIdentifier",
		    &idp->uris[idp->nuris]) != 0)
			return -1;
		idp->nuris++;
	}
	return 0;
}

int
crlext_idp(gnutls_x509_crl_t crl, struct crlext_idp *idp)
{
	gnutls_datum_t der;
	asn1_node value;
	int ret = -1;

	memset(idp, 0, sizeof(*idp));
	if (crl_extension(crl, idp_oid, &der) != 0)
		return -1;
	if (der.data == NULL)
		return 0;
	if (pkixasn_decode("IssuingDistributionPoint", der.data, der.size,
	    &value) == ASN1_SUCCESS) {
		idp->only_user_certs = read_true(value,
		    "onlyContainsUserCerts");
		idp->only_ca_certs = read_true(value, "onlyContainsCACerts");
		idp->only_some_reasons = asn1_find_node(value,
		    "onlySomeReasons") != NULL;
		idp->indirect = read_true(value, "indirectCRL");
		idp->only_attribute_certs = read_true(value,
		    "onlyContainsAttributeCerts");
		idp->has_point = asn1_find_node(value,
		    "distributionPoint") != NULL;
		ret = idp_uris(idp, value);
		asn1_delete_structure(&value);
	}
	gnutls_free(der.data);
	if (ret != 0)
		crlext_idp_clear(idp);
	return ret;
}

void
crlext_idp_clear(struct crlext_idp *idp)
{
	for (size_t i = 0; i < idp->nuris; i++)
		free(idp->uris[i].data);
	free(idp->uris);
	memset(idp, 0, sizeof(*idp));
}

int
crlext_number_pad(const unsigned char *octets, size_t len,
    unsigned char number[CRLEXT_NUMBER_LEN])
{
	if (len > 0 && (octets[0] & 0x80))
		return -1;
	while (len > 0 && octets[0] == 0) {
		octets++;
		len--;
	}
	if (len > CRLEXT_NUMBER_LEN)
		return -1;
	memset(number, 0, CRLEXT_NUMBER_LEN - len);
	memcpy(number + CRLEXT_NUMBER_LEN - len, octets, len);
	return 0;
}

/* BaseCRLNumber ::= CRLNumber ::= INTEGER (0..MAX) */
static int
read_base_number(const gnutls_datum_t *value,
    unsigned char number[CRLEXT_NUMBER_LEN])
{
	const unsigned char *p = value->data, *end = p + value->size;
	struct dertlv n;

	if (dertlv_expect(&p, end, DER_INTEGER, &n) != 0 || p != end ||
	    n.len == 0 || n.len > CRLEXT_NUMBER_LEN)
		return -1;
	return crlext_number_pad(n.content, n.len, number);
}

int
crlext_numbers(gnutls_x509_crl_t crl, struct crlext_numbers *out)
{
	unsigned char raw[64];
	size_t len = sizeof(raw);
	gnutls_datum_t base;
	int ret;

	memset(out, 0, sizeof(*out));
	if (gnutls_x509_crl_get_number(crl, raw, &len, NULL) < 0 ||
	    len == 0 || len > CRLEXT_NUMBER_LEN ||
	    crlext_number_pad(raw, len, out->number) != 0)
		return -1;
	if (crl_extension(crl, freshest_oid, &base) != 0)
		return -1;
	out->names_deltas = base.data != NULL;
	gnutls_free(base.data);
	if (crl_extension(crl, delta_oid, &base) != 0)
		return -1;
	if (base.data == NULL)
		return 0;
	out->delta = true;
	ret = read_base_number(&base, out->base);
	gnutls_free(base.data);
	return ret;
}

bool
crlext_idp_equal(const struct crlext_idp *a, const struct crlext_idp *b)
{
	if (a->only_user_certs != b->only_user_certs ||
	    a->only_ca_certs != b->only_ca_certs ||
	    a->has_point != b->has_point || a->nuris != b->nuris)
		return false;
	for (size_t i = 0; i < a->nuris; i++)
		if (a->uris[i].size != b->uris[i].size ||
		    memcmp(a->uris[i].data, b->uris[i].data,
		    a->uris[i].size) != 0)
			return false;
	return true;
}

void
crlext_number_shown(const unsigned char number[CRLEXT_NUMBER_LEN],
    char out[CRLEXT_NUMBER_SHOWN_MAX])
{
	size_t i = 0;
	unsigned long long value = 0;

	while (i < CRLEXT_NUMBER_LEN - 8 && number[i] == 0)
		i++;
	if (i < CRLEXT_NUMBER_LEN - 8) {
		memcpy(out, "0x", 2);
		hex_encode(number + i, CRLEXT_NUMBER_LEN - i, '\0', out + 2);
		return;
	}
	for (; i < CRLEXT_NUMBER_LEN; i++)
		value = value << 8 | number[i];
	snprintf(out, CRLEXT_NUMBER_SHOWN_MAX, "%llu", value);
}
