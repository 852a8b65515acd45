#include "crlext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

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
visit_extensions(asn1_node_const entry, crlext_entry_visit visit, void *arg)
{
	struct elements ext;

	for (elements_first(&ext, entry, "?CURRENT.crlEntryExtensions");
	    ext.at != NULL; elements_next(&ext)) {
		char oid[128];
		int len = sizeof(oid), ret;

		if (asn1_read_value(ext.at, "?CURRENT.extnID", oid, &len) !=
		    ASN1_SUCCESS)
			return -1;
		ret = visit(oid, read_true(ext.at, "?CURRENT.critical"), arg);
		if (ret > 0)
			return ret;
	}
	return 0;
}

int
crlext_entry_extensions(gnutls_x509_crl_t crl, crlext_entry_visit visit,
    void *arg)
{
	gnutls_datum_t der = { NULL, 0 };
	asn1_node list;
	struct elements entry;
	int ret = 0;

	if (gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &der) < 0)
		return -1;
	if (pkixasn_decode("CertificateList", der.data, der.size, &list) !=
	    ASN1_SUCCESS)
		ret = -1;
	gnutls_free(der.data);
	if (ret != 0)
		return ret;
	for (elements_first(&entry, list, "tbsCertList.revokedCertificates");
	    ret == 0 && entry.at != NULL; elements_next(&entry))
		ret = visit_extensions(entry.at, visit, arg);
	asn1_delete_structure(&list);
	return ret;
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
