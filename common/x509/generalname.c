#include "generalname.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "certname.h"

#define DNS_NAME_MAX 253
#define DNS_LABEL_MAX 63

/* What dns_valid() lets a name hold beyond letters, digits, hyphens. */
#define DNS_WILDCARD 1u		/* a leftmost "*" label */
#define DNS_UNDERSCORE 2u	/* '_' wherever a letter may be */

int
generalname_load_san(gnutls_x509_crt_t crt, gnutls_subject_alt_names_t *sans)
{
	gnutls_datum_t der = { NULL, 0 };
	unsigned critical;
	int ret;

	ret = gnutls_x509_crt_get_extension_by_oid2(crt, GNUTLS_X509EXT_OID_SAN,
	    0, &der, &critical);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	if (ret < 0)
		return ret;
	ret = gnutls_subject_alt_names_init(sans);
	if (ret == 0) {
		ret = gnutls_x509_ext_import_subject_alt_names(&der, *sans, 0);
		if (ret < 0)
			gnutls_subject_alt_names_deinit(*sans);
	}
	gnutls_free(der.data);
	return ret < 0 ? ret : 1;
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Printable ASCII without space: what IA5String names may hold here. */
static bool
is_graphic(unsigned char c)
{
	return c > 0x20 && c < 0x7f;
}

static bool
all_graphic(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_graphic(s[i]))
			return false;
	return true;
}

static bool
dns_valid(const unsigned char *s, size_t len, unsigned allow)
{
	size_t label = 0;

	if (len == 0 || len > DNS_NAME_MAX)
		return false;
	if ((allow & DNS_WILDCARD) && len > 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		len -= 2;
	}
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (label == 0 || label > DNS_LABEL_MAX ||
			    s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!is_alnum(s[i]) && (s[i] != '-' || label == 0) &&
		    (s[i] != '_' || !(allow & DNS_UNDERSCORE)))
			return false;
		label++;
	}
	return true;
}

static bool
is_hex_digit(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

bool
generalname_dns_numeric(const gnutls_datum_t *name)
{
	const unsigned char *s = name->data;
	size_t end = name->size, start = end;
	bool hex;

	while (start > 0 && s[start - 1] != '.')
		start--;
	/* inet_aton(3) and WHATWG URL's IPv4 parser read "0x" and hex
	 * digits (none: zero) as a number, as they read decimal */
	hex = end - start >= 2 && s[start] == '0' &&
	    (s[start + 1] == 'x' || s[start + 1] == 'X');
	if (hex)
		start += 2;
	else if (start == end)
		return false;
	for (size_t i = start; i < end; i++)
		if (hex ? !is_hex_digit(s[i]) : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	return true;
}

static bool
email_valid(const unsigned char *s, size_t len)
{
	const unsigned char *at = memchr(s, '@', len);
	const unsigned char *domain;
	size_t dlen;

	if (at == NULL || at == s || !all_graphic(s, len))
		return false;
	domain = at + 1;
	dlen = len - (size_t)(domain - s);
	if (memchr(domain, '@', dlen) != NULL)
		return false;
	/* RFC 2821 address literal, "user@[192.0.2.1]" */
	if (dlen > 2 && domain[0] == '[' && domain[dlen - 1] == ']')
		return true;
	return dns_valid(domain, dlen, 0);
}

/* Length of the "scheme:" prefix of an absolute URI, or 0. */
static size_t
uri_scheme_len(const unsigned char *s, size_t len)
{
	size_t i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < len && s[i] != ':'; i++)
		if (!is_alnum(s[i]) && s[i] != '+' && s[i] != '-' &&
		    s[i] != '.')
			return 0;
	return i < len ? i + 1 : 0;
}

static bool
uri_valid(const unsigned char *s, size_t len)
{
	size_t scheme = uri_scheme_len(s, len);

	return scheme > 0 && scheme < len && all_graphic(s, len);
}

const char *
generalname_problem(unsigned type, const gnutls_datum_t *name)
{
	switch (type) {
	case GNUTLS_SAN_DNSNAME:
		/* Windows and Active Directory host names hold '_', which
		 * RFC 5280's preferred name syntax does not: a DNS name
		 * authenticates no one here, and name constraints compare
		 * it octet for octet, '_' or not */
		if (!dns_valid(name->data, name->size,
		    DNS_WILDCARD | DNS_UNDERSCORE))
			return "is not a DNS name (letters, digits, hyphens "
			    "and underscores in dot-separated labels)";
		break;
	case GNUTLS_SAN_RFC822NAME:
		if (!email_valid(name->data, name->size))
			return "is not an email address of the form "
			    "local-part@domain";
		break;
	case GNUTLS_SAN_URI:
		if (!uri_valid(name->data, name->size))
			return "is not an absolute URI (scheme:rest) of "
			    "printable characters";
		break;
	case GNUTLS_SAN_IPADDRESS:
		if (name->size != 4 && name->size != 16)
			return "is not an IPv4 or IPv6 address (4 or 16 "
			    "octets)";
		break;
	default:
		break;
	}
	return NULL;
}

const char *
generalname_subtree_problem(unsigned type, const gnutls_datum_t *base)
{
	/* empty: every DNS name (RFC 5280 4.2.1.10: zero labels added) */
	if (type == GNUTLS_SAN_DNSNAME && base->size > 0 &&
	    !dns_valid(base->data, base->size, 0))
		return "is not a DNS name or domain (letters, digits and "
		    "hyphens in dot-separated labels, no leading period, no "
		    "empty label)";
	return NULL;
}

bool
generalname_uri_host(const gnutls_datum_t *uri, gnutls_datum_t *host)
{
	const unsigned char *s = uri->data;
	size_t len = uri->size;
	size_t start = uri_scheme_len(s, len);
	size_t end, at;
	const unsigned char *p;

	if (start == 0 || len - start < 2 || s[start] != '/' ||
	    s[start + 1] != '/')
		return false;
	start += 2;
	for (end = start; end < len; end++)
		if (s[end] == '/' || s[end] == '?' || s[end] == '#')
			break;
	/* userinfo ends at the last '@' of the authority */
	for (at = end; at > start; at--)
		if (s[at - 1] == '@') {
			start = at;
			break;
		}
	if (start < end && s[start] == '[') {
		/* an IP literal, "[2001:db8::1]:443" */
		p = memchr(s + start, ']', end - start);
		if (p == NULL)
			return false;
		end = (size_t)(p - s);
		start++;
	} else if ((p = memchr(s + start, ':', end - start)) != NULL)
		end = (size_t)(p - s);
	if (end == start)
		return false;
	host->data = (unsigned char *)s + start;
	host->size = (unsigned)(end - start);
	return true;
}

const char *
generalname_form(unsigned type)
{
	switch (type) {
	case GNUTLS_SAN_DNSNAME:
		return "DNS name";
	case GNUTLS_SAN_RFC822NAME:
		return "email address";
	case GNUTLS_SAN_URI:
		return "URI";
	case GNUTLS_SAN_IPADDRESS:
		return "IP address";
	case GNUTLS_SAN_DN:
		return "directory name";
	case GNUTLS_SAN_REGISTERED_ID:
		return "registered ID";
	default:
		return "otherName";
	}
}

void
generalname_print(unsigned type, const gnutls_datum_t *name, char *out,
    size_t outlen)
{
	char ip[INET6_ADDRSTRLEN];

	if (type == GNUTLS_SAN_IPADDRESS && (name->size == 4 ||
	    name->size == 16) && inet_ntop(name->size == 4 ? AF_INET : AF_INET6,
	    name->data, ip, sizeof(ip)) != NULL) {
		snprintf(out, outlen, "%s", ip);
		return;
	}
	if (type == GNUTLS_SAN_IPADDRESS || type == GNUTLS_SAN_OTHERNAME) {
		char *hex = certname_hex_alloc(name->data, name->size);

		snprintf(out, outlen, "%s", hex != NULL ? hex : "(binary)");
		free(hex);
		return;
	}
	certname_escape(name->data, name->size, out, outlen);
}

bool
generalname_oid_is(const gnutls_datum_t *oid, const char *want)
{
	size_t len = strlen(want);

	return (oid->size == len || (oid->size == len + 1 &&
	    oid->data[len] == '\0')) && memcmp(oid->data, want, len) == 0;
}

int
generalname_find(gnutls_subject_alt_names_t sans, enum generalname_kind kind,
    gnutls_datum_t *name)
{
	gnutls_datum_t san, oid;
	unsigned type;
	int ret;

	name->data = NULL;
	name->size = 0;
	for (unsigned seq = 0;
	    gnutls_subject_alt_names_get(sans, seq, &type, &san, &oid) >= 0;
	    seq++) {
		if (kind == GENERALNAME_EMAIL &&
		    type == GNUTLS_SAN_RFC822NAME) {
			if ((name->data = gnutls_malloc(san.size + 1)) == NULL)
				return GNUTLS_E_MEMORY_ERROR;
			memcpy(name->data, san.data, san.size);
			name->data[san.size] = '\0';
			name->size = san.size;
			return 1;
		}
		if (kind == GENERALNAME_UPN && type == GNUTLS_SAN_OTHERNAME &&
		    generalname_oid_is(&oid, GENERALNAME_OID_MS_UPN)) {
			/* refuses what is not a UTF8String without a NUL */
			ret = gnutls_x509_othername_to_virtual(
			    GENERALNAME_OID_MS_UPN, &san, NULL, name);
			return ret < 0 ? ret : 1;
		}
	}
	return 0;
}
