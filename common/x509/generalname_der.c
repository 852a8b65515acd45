#include "generalname_der.h"

#include <stdio.h>
#include <string.h>

#include <gnutls/x509.h>

#include "certname.h"
#include "dertlv.h"
#include "generalname.h"
#include "utf8.h"

#define DER_UTF8STRING 0x0c

/* The alternatives of GeneralName in pkix.asn, by form. */
static const char *const choices[GNAME_FORMS] = {
	[GNAME_OTHER_NAME] = "otherName",
	[GNAME_RFC822_NAME] = "rfc822Name",
	[GNAME_DNS_NAME] = "dNSName",
	[GNAME_X400_ADDRESS] = "x400Address",
	[GNAME_DIRECTORY_NAME] = "directoryName",
	[GNAME_EDI_PARTY_NAME] = "ediPartyName",
	[GNAME_URI] = "uniformResourceIdentifier",
	[GNAME_IP_ADDRESS] = "iPAddress",
	[GNAME_REGISTERED_ID] = "registeredID",
};

/* The value of the element name of node, allocated into *out, a NUL
 * after it. */
static int
read_value(asn1_node node, const char *name, gnutls_datum_t *out)
{
	int len = 0, ret = asn1_read_value(node, name, NULL, &len);

	if ((ret != ASN1_MEM_ERROR && ret != ASN1_SUCCESS) || len < 0)
		return GNAME_MALFORMED;
	if ((out->data = gnutls_malloc((size_t)len + 1)) == NULL)
		return GNAME_NO_MEMORY;
	if (len > 0 && asn1_read_value(node, name, out->data, &len) !=
	    ASN1_SUCCESS) {
		gnutls_free(out->data);
		out->data = NULL;
		return GNAME_MALFORMED;
	}
	out->data[len] = '\0';
	out->size = (unsigned)len;
	return 0;
}

int
gname_read(asn1_node node, const char *field, struct gname *out)
{
	char choice[32], name[256], type_id[256 + 16];
	int len = sizeof(choice), ret;
	int form;

	memset(out, 0, sizeof(*out));
	if (asn1_read_value(node, field, choice, &len) != ASN1_SUCCESS)
		return GNAME_MALFORMED;
	for (form = 0; form < GNAME_FORMS; form++)
		if (strcmp(choices[form], choice) == 0)
			break;
	if (form == GNAME_FORMS || (size_t)snprintf(name, sizeof(name),
	    "%s%s%s", field, field[0] != '\0' ? "." : "", choice) >=
	    sizeof(name))
		return GNAME_MALFORMED;
	out->form = (enum gname_form)form;
	if (out->form == GNAME_OTHER_NAME) {
		snprintf(type_id, sizeof(type_id), "%s.type-id", name);
		len = sizeof(out->type_id);
		if (asn1_read_value(node, type_id, out->type_id, &len) !=
		    ASN1_SUCCESS)
			return GNAME_MALFORMED;
		snprintf(type_id, sizeof(type_id), "%s.value", name);
		return read_value(node, type_id, &out->value);
	}
	ret = read_value(node, name, &out->value);
	/* an OID is read as dotted text with its NUL counted */
	if (ret == 0 && out->form == GNAME_REGISTERED_ID)
		out->value.size = (unsigned)strlen((char *)out->value.data);
	return ret;
}

void
gname_free(struct gname *name)
{
	gnutls_free(name->value.data);
	name->value.data = NULL;
	name->value.size = 0;
}

bool
gname_upn(const struct gname *name, gnutls_datum_t *text)
{
	const unsigned char *p = name->value.data;
	struct dertlv utf8;
	unsigned long c;
	size_t n;

	if (name->form != GNAME_OTHER_NAME ||
	    strcmp(name->type_id, GENERALNAME_OID_MS_UPN) != 0 ||
	    dertlv_expect(&p, p + name->value.size, DER_UTF8STRING,
	    &utf8) != 0 || p != name->value.data + name->value.size)
		return false;
	for (size_t i = 0; i < utf8.len; i += n)
		if ((n = utf8_decode(utf8.content + i, utf8.len - i, &c)) == 0 ||
		    c == 0)
			return false;
	text->data = (unsigned char *)utf8.content;
	text->size = (unsigned)utf8.len;
	return true;
}

unsigned
gname_san_type(const struct gname *name)
{
	switch (name->form) {
	case GNAME_OTHER_NAME:
		return GNUTLS_SAN_OTHERNAME;
	case GNAME_RFC822_NAME:
		return GNUTLS_SAN_RFC822NAME;
	case GNAME_DNS_NAME:
		return GNUTLS_SAN_DNSNAME;
	case GNAME_DIRECTORY_NAME:
		return GNUTLS_SAN_DN;
	case GNAME_URI:
		return GNUTLS_SAN_URI;
	case GNAME_IP_ADDRESS:
		return GNUTLS_SAN_IPADDRESS;
	case GNAME_REGISTERED_ID:
		return GNUTLS_SAN_REGISTERED_ID;
	default:
		return 0;
	}
}

const char *
gname_form_name(const struct gname *name)
{
	gnutls_datum_t text;

	switch (name->form) {
	case GNAME_X400_ADDRESS:
		return "X.400 address";
	case GNAME_EDI_PARTY_NAME:
		return "EDI party name";
	case GNAME_OTHER_NAME:
		return gname_upn(name, &text) ? "UPN" : "otherName";
	default:
		return generalname_form(gname_san_type(name));
	}
}

void
gname_print(const struct gname *name, char *out, size_t outlen)
{
	gnutls_datum_t text = { NULL, 0 };

	if (name->form == GNAME_DIRECTORY_NAME &&
	    gnutls_x509_rdn_get2(&name->value, &text, 0) >= 0) {
		certname_escape(text.data, text.size, out, outlen);
		gnutls_free(text.data);
	} else if (gname_upn(name, &text))
		certname_escape(text.data, text.size, out, outlen);
	else if (name->form == GNAME_OTHER_NAME ||
	    name->form == GNAME_DIRECTORY_NAME ||
	    name->form == GNAME_X400_ADDRESS ||
	    name->form == GNAME_EDI_PARTY_NAME)
		generalname_print(GNUTLS_SAN_OTHERNAME, &name->value, out,
		    outlen);
	else
		generalname_print(gname_san_type(name), &name->value, out,
		    outlen);
}
