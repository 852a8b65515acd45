#include "crlext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "dertime.h"
#include "dertlv.h"
#include "pkixasn.h"

static const char idp_oid[] = "2.5.29.28";

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

/* Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue } */
static int
visit_extension(const struct dertlv *ext,
    const struct crlext_entry_visitor *visit, void *arg)
{
	const unsigned char *p = ext->content, *end = ext->end;
	struct dertlv oid, part;
	char dotted[128];
	bool critical = false;
	int used;

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
	return visit->extension(dotted, critical, arg);
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
	if ((ret = visit->entry(&e, arg)) != 0)
		return ret;
	if (p == end)
		return 0;
	if (dertlv_expect(&p, end, DER_SEQUENCE, &exts) != 0 || p != end ||
	    exts.len == 0)
		return -1;
	for (p = exts.content; p < exts.end;) {
		if (dertlv_expect(&p, exts.end, DER_SEQUENCE, &ext) != 0)
			return -1;
		if ((ret = visit_extension(&ext, visit, arg)) != 0)
			return ret;
	}
	return 0;
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
