#include "crlext.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#define DER_BOOLEAN		0x01
#define DER_INTEGER		0x02
#define DER_OCTET_STRING	0x04
#define DER_OID			0x06
#define DER_UTC_TIME		0x17
#define DER_GENERALIZED_TIME	0x18
#define DER_SEQUENCE		0x30
#define DER_IMPLICIT(n)		(0x80 | (n))	/* [n], primitive */
#define DER_CONSTRUCTED(n)	(0xa0 | (n))	/* [n], constructed */

/* GeneralName uniformResourceIdentifier [6] IA5String */
#define GENERAL_NAME_URI	DER_IMPLICIT(6)

static const char idp_oid[] = "2.5.29.28";

/* A stretch of DER not yet read. */
struct der {
	const unsigned char *p;
	size_t len;
};

/*
 * Take the next element off in: its identifier octet and its contents.
 * PKIX needs only low tag numbers and DER only definite lengths, so
 * anything else is refused.
 */
static int
der_next(struct der *in, unsigned char *tag, struct der *content)
{
	size_t hdr = 2, len;

	if (in->len < 2 || (in->p[0] & 0x1f) == 0x1f)
		return -1;
	len = in->p[1];
	if (len & 0x80) {
		size_t n = len & 0x7f;

		if (n == 0 || n > sizeof(uint32_t) || in->len - 2 < n)
			return -1;
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | in->p[2 + i];
		hdr += n;
	}
	if (len > in->len - hdr)
		return -1;
	*tag = in->p[0];
	content->p = in->p + hdr;
	content->len = len;
	in->p += hdr + len;
	in->len -= hdr + len;
	return 0;
}

/* Take the next element off in; it must carry tag. */
static int
der_expect(struct der *in, unsigned char tag, struct der *content)
{
	unsigned char got;

	if (der_next(in, &got, content) != 0 || got != tag)
		return -1;
	return 0;
}

static bool
der_true(const struct der *boolean)
{
	return boolean->len == 1 && boolean->p[0] != 0;
}

static bool
der_is_time(unsigned char tag)
{
	return tag == DER_UTC_TIME || tag == DER_GENERALIZED_TIME;
}

/* Dotted form of an OID's contents; -1 if malformed or out is too short. */
static int
oid_text(const struct der *oid, char *out, size_t outlen)
{
	unsigned long arc = 0;
	size_t o = 0;
	int n;

	if (oid->len == 0 || (oid->p[oid->len - 1] & 0x80))
		return -1;
	for (size_t i = 0; i < oid->len; i++) {
		if (arc > ULONG_MAX >> 7)
			return -1;
		arc = arc << 7 | (oid->p[i] & 0x7f);
		if (oid->p[i] & 0x80)
			continue;
		if (o == 0) {
			/* the first arc holds two: 40 * first + second */
			unsigned long first = arc < 80 ? arc / 40 : 2;

			n = snprintf(out, outlen, "%lu.%lu", first,
			    arc - first * 40);
		} else
			n = snprintf(out + o, outlen - o, ".%lu", arc);
		if (n < 0 || (size_t)n >= outlen - o)
			return -1;
		o += (size_t)n;
		arc = 0;
	}
	return 0;
}

/*
 * The contents of tbsCertList.revokedCertificates (empty when the CRL
 * lists nothing): after version, signature, issuer and thisUpdate, the
 * only SEQUENCE before the [0] crlExtensions.
 */
static int
revoked_list(const gnutls_datum_t *der, struct der *list)
{
	struct der in = { der->data, der->size }, crl, tbs, field;
	unsigned char tag;

	list->p = NULL;
	list->len = 0;
	if (der_expect(&in, DER_SEQUENCE, &crl) != 0 ||
	    der_expect(&crl, DER_SEQUENCE, &tbs) != 0 ||
	    der_next(&tbs, &tag, &field) != 0)
		return -1;
	if (tag == DER_INTEGER && der_next(&tbs, &tag, &field) != 0)
		return -1;
	if (tag != DER_SEQUENCE ||
	    der_expect(&tbs, DER_SEQUENCE, &field) != 0 ||
	    der_next(&tbs, &tag, &field) != 0 || !der_is_time(tag))
		return -1;
	while (tbs.len > 0) {
		if (der_next(&tbs, &tag, &field) != 0)
			return -1;
		if (tag == DER_SEQUENCE) {
			*list = field;
			break;
		}
	}
	return 0;
}

/* Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue } */
static int
visit_extensions(struct der *exts, crlext_entry_visit visit, void *arg)
{
	while (exts->len > 0) {
		struct der ext, oid, field;
		unsigned char tag;
		char text[128];
		bool critical = false;
		int ret;

		if (der_expect(exts, DER_SEQUENCE, &ext) != 0 ||
		    der_expect(&ext, DER_OID, &oid) != 0 ||
		    der_next(&ext, &tag, &field) != 0)
			return -1;
		if (tag == DER_BOOLEAN) {
			critical = der_true(&field);
			if (der_next(&ext, &tag, &field) != 0)
				return -1;
		}
		if (tag != DER_OCTET_STRING || ext.len != 0 ||
		    oid_text(&oid, text, sizeof(text)) != 0)
			return -1;
		ret = visit(text, critical, arg);
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
	struct der list;
	int ret;

	if (gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &der) < 0)
		return -1;
	ret = revoked_list(&der, &list);
	while (ret == 0 && list.len > 0) {
		/* SEQUENCE { userCertificate, revocationDate, extensions } */
		struct der entry, field;
		unsigned char tag;

		if (der_expect(&list, DER_SEQUENCE, &entry) != 0 ||
		    der_expect(&entry, DER_INTEGER, &field) != 0 ||
		    der_next(&entry, &tag, &field) != 0 || !der_is_time(tag)) {
			ret = -1;
			break;
		}
		if (entry.len == 0)
			continue;
		if (der_expect(&entry, DER_SEQUENCE, &field) != 0 ||
		    entry.len != 0) {
			ret = -1;
			break;
		}
		ret = visit_extensions(&field, visit, arg);
	}
	gnutls_free(der.data);
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

static int
idp_add_uri(struct crlext_idp *idp, const struct der *uri)
{
	gnutls_datum_t *grown;

	grown = realloc(idp->uris, (idp->nuris + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	grown[idp->nuris].data = (unsigned char *)uri->p;
	grown[idp->nuris].size = (unsigned)uri->len;
	idp->uris = grown;
	idp->nuris++;
	return 0;
}

/*
 * DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
 * nameRelativeToCRLIssuer [1] }.  Only fullName URIs are kept: they are
 * what a certificate's cRLDistributionPoints can be matched against.
 */
static int
idp_point(struct crlext_idp *idp, struct der *point)
{
	struct der names, name;
	unsigned char tag;

	idp->has_point = true;
	if (der_next(point, &tag, &names) != 0 || point->len != 0)
		return -1;
	if (tag != DER_CONSTRUCTED(0))
		return 0;
	while (names.len > 0) {
		if (der_next(&names, &tag, &name) != 0)
			return -1;
		if (tag == GENERAL_NAME_URI && idp_add_uri(idp, &name) != 0)
			return -1;
	}
	return 0;
}

static int
idp_parse(struct crlext_idp *idp)
{
	struct der in = { idp->der.data, idp->der.size }, seq, field;
	unsigned char tag;

	if (der_expect(&in, DER_SEQUENCE, &seq) != 0 || in.len != 0)
		return -1;
	while (seq.len > 0) {
		if (der_next(&seq, &tag, &field) != 0)
			return -1;
		switch (tag) {
		case DER_CONSTRUCTED(0):
			if (idp_point(idp, &field) != 0)
				return -1;
			break;
		case DER_IMPLICIT(1):
			idp->only_user_certs = der_true(&field);
			break;
		case DER_IMPLICIT(2):
			idp->only_ca_certs = der_true(&field);
			break;
		case DER_IMPLICIT(3):
			idp->only_some_reasons = true;
			break;
		case DER_IMPLICIT(4):
			idp->indirect = der_true(&field);
			break;
		case DER_IMPLICIT(5):
			idp->only_attribute_certs = der_true(&field);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
crlext_idp(gnutls_x509_crl_t crl, struct crlext_idp *idp)
{
	memset(idp, 0, sizeof(*idp));
	if (crl_extension(crl, idp_oid, &idp->der) != 0)
		return -1;
	if (idp->der.data == NULL)
		return 0;
	if (idp_parse(idp) != 0) {
		crlext_idp_clear(idp);
		return -1;
	}
	return 0;
}

void
crlext_idp_clear(struct crlext_idp *idp)
{
	free(idp->uris);
	gnutls_free(idp->der.data);
	memset(idp, 0, sizeof(*idp));
}
