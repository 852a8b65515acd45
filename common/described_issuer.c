#include "described_issuer.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "described.h"

/* OpenSSL's short names of the attribute types X509_NAME_oneline() uses. */
static const struct {
	const char *oid;
	const char *name;
} short_names[] = {
	{ "2.5.4.3", "CN" }, { "2.5.4.4", "SN" }, { "2.5.4.5", "serialNumber" },
	{ "2.5.4.6", "C" }, { "2.5.4.7", "L" }, { "2.5.4.8", "ST" },
	{ "2.5.4.9", "street" }, { "2.5.4.10", "O" }, { "2.5.4.11", "OU" },
	{ "2.5.4.12", "title" }, { "2.5.4.17", "postalCode" },
	{ "2.5.4.42", "GN" }, { "2.5.4.43", "initials" },
	{ "2.5.4.46", "dnQualifier" }, { "2.5.4.65", "pseudonym" },
	{ "2.5.4.97", "organizationIdentifier" },
	{ "1.2.840.113549.1.9.1", "emailAddress" },
	{ "0.9.2342.19200300.100.1.1", "UID" },
	{ "0.9.2342.19200300.100.1.25", "DC" },
};

#define NSHORT (sizeof(short_names) / sizeof(short_names[0]))

const char *
described_short_name(const char *oid)
{
	for (size_t i = 0; i < NSHORT; i++)
		if (strcmp(short_names[i].oid, oid) == 0)
			return short_names[i].name;
	return NULL;
}

/* Most attributes one-line text is read with; FreeRADIUS's fit. */
#define AVAS_MAX 64
#define OID_DER_MAX 32

/* One attribute of the text, decoded. */
struct ava {
	unsigned char oid[OID_DER_MAX];	/* contents of the OID */
	size_t oidlen;
	unsigned char value[DESCRIBED_VALUE_MAX];
	size_t len;
	bool rdn_start;		/* after '/': the first of its RDN */
};

/* The contents octets of the dotted OID text[0, n), into a. */
static int
oid_der(const char *text, size_t n, struct ava *a)
{
	uint32_t arcs[16];
	size_t narcs = 0;
	const char *p = text, *end = text + n;

	while (p < end) {
		uint64_t v = 0;
		const char *start = p;

		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if ((v = v * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
				return -1;
		if (p == start || narcs == 16 || (p < end && *p++ != '.') ||
		    (p == end && end[-1] == '.'))
			return -1;
		arcs[narcs++] = (uint32_t)v;
	}
	if (narcs < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) ||
	    arcs[1] > UINT32_MAX - 80)
		return -1;
	arcs[1] += arcs[0] * 40;
	a->oidlen = 0;
	for (size_t i = 1; i < narcs; i++) {
		unsigned char b[5];
		size_t k = 0;

		do
			b[k++] = (unsigned char)(arcs[i] & 0x7f);
		while ((arcs[i] >>= 7) != 0);
		if (a->oidlen + k > OID_DER_MAX)
			return -1;
		while (k-- > 0)
			a->oid[a->oidlen++] = (unsigned char)(b[k] |
			    (k > 0 ? 0x80 : 0));
	}
	return 0;
}

static int
type_der(const char *text, size_t n, struct ava *a)
{
	for (size_t i = 0; i < NSHORT; i++)
		if (strlen(short_names[i].name) == n &&
		    memcmp(short_names[i].name, text, n) == 0)
			return oid_der(short_names[i].oid,
			    strlen(short_names[i].oid), a);
	return oid_der(text, n, a);
}

/*
 * The value at *p up to the next unescaped '/' or '+': "\/" and "\+"
 * stand for themselves, "\xHH" for the octet, as described.c's oneline()
 * writes them.
 */
static int
value(const char **p, struct ava *a)
{
	const char *s = *p;

	a->len = 0;
	while (*s != '\0' && *s != '/' && *s != '+') {
		unsigned char c = (unsigned char)*s++;
		unsigned v;

		if (c == '\\' && (*s == '/' || *s == '+'))
			c = (unsigned char)*s++;
		else if (c == '\\' && s[0] == 'x' &&
		    isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2]) &&
		    sscanf(s + 1, "%2x", &v) == 1) {
			c = (unsigned char)v;
			s += 3;
		}
		if (a->len == sizeof(a->value))
			return -1;
		a->value[a->len++] = c;
	}
	*p = s;
	return 0;
}

/* The attributes of one-line text, in order. */
static int
oneline_avas(const char *text, struct ava *avas, size_t *n)
{
	const char *p = text;

	*n = 0;
	while (*p != '\0') {
		const char *eq;
		struct ava *a = &avas[*n];

		if (*n == AVAS_MAX || (*p != '/' && *p != '+'))
			return -1;
		a->rdn_start = *p++ == '/';
		if ((eq = strchr(p, '=')) == NULL ||
		    type_der(p, (size_t)(eq - p), a) != 0)
			return -1;
		p = eq + 1;
		if (value(&p, a) != 0)
			return -1;
		(*n)++;
	}
	return *n > 0 ? 0 : -1;
}

/* The length octets of len at out (NULL: only counted). */
static size_t
put_len(unsigned char *out, size_t len)
{
	size_t n = len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 4;

	if (out != NULL) {
		if (n == 1)
			out[0] = (unsigned char)len;
		else
			out[0] = (unsigned char)(0x80 | (n - 1));
		for (size_t i = 1; i < n; i++)
			out[i] = (unsigned char)(len >> (8 * (n - 1 - i)));
	}
	return n;
}

/* A tag, its length and, when content is not NULL, the content. */
static size_t
put_tlv(unsigned char *out, unsigned char tag, const unsigned char *content,
    size_t len)
{
	size_t n = 1 + put_len(out != NULL ? out + 1 : NULL, len);

	if (out != NULL) {
		out[0] = tag;
		if (content != NULL)
			memcpy(out + n, content, len);
	}
	return n + (content != NULL ? len : 0);
}

static size_t
ava_len(const struct ava *a)
{
	return put_tlv(NULL, 0x06, a->oid, a->oidlen) +
	    put_tlv(NULL, 0x0c, a->value, a->len);
}

/* The contents of the RDN whose attributes start at avas[i], and how many
 * there are. */
static size_t
rdn_len(const struct ava *avas, size_t n, size_t i, size_t *count)
{
	size_t len = 0;

	*count = 0;
	do {
		size_t l = ava_len(&avas[i]);

		len += put_tlv(NULL, 0x30, NULL, l) + l;
		(*count)++;
	} while (++i < n && !avas[i].rdn_start);
	return len;
}

/* The DER Name of the attributes, at out (NULL: only counted). */
static size_t
put_name(unsigned char *out, const struct ava *avas, size_t n)
{
	size_t total = 0, used, count;

	for (size_t i = 0; i < n; i += count) {
		size_t r = rdn_len(avas, n, i, &count);

		total += put_tlv(NULL, 0x31, NULL, r) + r;
	}
	if (out == NULL)
		return put_tlv(NULL, 0x30, NULL, total) + total;
	used = put_tlv(out, 0x30, NULL, total);
	for (size_t i = 0; i < n; i += count) {
		used += put_tlv(out + used, 0x31, NULL, rdn_len(avas, n, i,
		    &count));
		for (size_t k = i; k < i + count; k++) {
			used += put_tlv(out + used, 0x30, NULL,
			    ava_len(&avas[k]));
			used += put_tlv(out + used, 0x06, avas[k].oid,
			    avas[k].oidlen);
			used += put_tlv(out + used, 0x0c, avas[k].value,
			    avas[k].len);
		}
	}
	return used;
}

/* One-line text as a Name: each value a UTF8String, which RFC 5280 7.1
 * matches with whatever string type the certificate has. */
static int
oneline_name(const char *text, struct dername *out)
{
	struct ava *avas = malloc(AVAS_MAX * sizeof(*avas));
	unsigned char *der = NULL;
	size_t n, len;
	int ret = -1;

	if (avas != NULL && oneline_avas(text, avas, &n) == 0 &&
	    (der = malloc(len = put_name(NULL, avas, n))) != NULL &&
	    put_name(der, avas, n) == len)
		ret = dername_load(der, len, out);
	free(der);
	free(avas);
	return ret;
}

/* RFC 4514 text, as GnuTLS reads it. */
static int
rfc4514_name(const char *text, struct dername *out)
{
	gnutls_x509_dn_t dn;
	gnutls_datum_t der = { NULL, 0 };
	const char *err;
	int ret = -1;

	if (gnutls_x509_dn_init(&dn) < 0)
		return -1;
	if (gnutls_x509_dn_set_str(dn, text, &err) >= 0 &&
	    gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER, &der) >= 0)
		ret = dername_load(der.data, der.size, out);
	gnutls_free(der.data);
	gnutls_x509_dn_deinit(dn);
	return ret;
}

int
described_issuer_name(const char *text, struct dername *out)
{
	return text[0] == '/' ? oneline_name(text, out) :
	    rfc4514_name(text, out);
}
