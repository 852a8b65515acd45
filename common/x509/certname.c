#include "certname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "generalname.h"
#include "hex.h"
#include "utf8.h"

/*
 * The next piece of src[0, len) as it is printed, into piece (at least 17
 * bytes): a character of UTF-8 as it is, or, for a control character
 * (C0, DEL, C1), a backslash or a byte that is not well-formed UTF-8,
 * each byte as \xNN.  Returns how many bytes of src it took.
 */
static size_t
escape_piece(const unsigned char *src, size_t len, char *piece,
    size_t *plen)
{
	unsigned long c;
	size_t n = utf8_decode(src, len, &c);

	if (n > 0 && !utf8_is_control(c) && c != '\\') {
		memcpy(piece, src, n);
		*plen = n;
		return n;
	}
	if (n == 0)
		n = 1;
	*plen = 0;
	for (size_t i = 0; i < n; i++)
		*plen += (size_t)snprintf(piece + *plen, 5, "\\x%02x", src[i]);
	return n;
}

void
certname_escape(const unsigned char *src, size_t len, char *out,
    size_t outlen)
{
	size_t o = 0;
	static const char ellipsis[] = "...";

	if (outlen == 0)
		return;
	for (size_t i = 0; i < len;) {
		char piece[17];
		size_t plen;
		size_t took = escape_piece(src + i, len - i, piece, &plen);

		if (o + plen + sizeof(ellipsis) > outlen) {
			if (o + sizeof(ellipsis) <= outlen) {
				memcpy(out + o, ellipsis, sizeof(ellipsis));
				return;
			}
			break;
		}
		memcpy(out + o, piece, plen);
		o += plen;
		i += took;
	}
	out[o] = '\0';
}

static int
dn_datum(gnutls_x509_crt_t crt, int issuer, gnutls_datum_t *dn)
{
	if (issuer)
		return gnutls_x509_crt_get_issuer_dn3(crt, dn, 0);
	return gnutls_x509_crt_get_dn3(crt, dn, 0);
}

/* Print dn, as read by a GnuTLS call that returned ret, and free it. */
static void
print_dn(int ret, gnutls_datum_t *dn, char out[CERTNAME_MAX])
{
	if (ret < 0) {
		snprintf(out, CERTNAME_MAX, "(unreadable name)");
		return;
	}
	if (dn->size == 0)
		snprintf(out, CERTNAME_MAX, "(empty name)");
	else
		certname_escape(dn->data, dn->size, out, CERTNAME_MAX);
	gnutls_free(dn->data);
}

/*
 * A certificate with an empty subject (RFC 5280 allows one when the
 * subjectAltName names the subject) is described by its first
 * subjectAltName entry.
 */
static void
print_empty_subject(gnutls_x509_crt_t crt, char out[CERTNAME_MAX])
{
	gnutls_subject_alt_names_t sans;
	gnutls_datum_t san;
	char shown[CERTNAME_MAX / 2];
	unsigned type;

	if (generalname_load_san(crt, &sans) <= 0) {
		snprintf(out, CERTNAME_MAX, "(empty subject)");
		return;
	}
	if (gnutls_subject_alt_names_get(sans, 0, &type, &san, NULL) >= 0) {
		generalname_print(type, &san, shown, sizeof(shown));
		snprintf(out, CERTNAME_MAX, "(empty subject, subjectAltName %s "
		    "%s)", generalname_form(type), shown);
	} else
		snprintf(out, CERTNAME_MAX, "(empty subject)");
	gnutls_subject_alt_names_deinit(sans);
}

static void
name(gnutls_x509_crt_t crt, int issuer, char out[CERTNAME_MAX])
{
	gnutls_datum_t dn = { NULL, 0 };
	int ret = dn_datum(crt, issuer, &dn);

	/* GnuTLS has no text for an empty name */
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE && !issuer)
		print_empty_subject(crt, out);
	else if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		snprintf(out, CERTNAME_MAX, "(empty name)");
	else
		print_dn(ret, &dn, out);
}

void
certname_subject(gnutls_x509_crt_t crt, char out[CERTNAME_MAX])
{
	name(crt, 0, out);
}

void
certname_issuer(gnutls_x509_crt_t crt, char out[CERTNAME_MAX])
{
	name(crt, 1, out);
}

void
certname_crl_issuer(gnutls_x509_crl_t crl, char out[CERTNAME_MAX])
{
	gnutls_datum_t dn = { NULL, 0 };

	print_dn(gnutls_x509_crl_get_issuer_dn3(crl, &dn, 0), &dn, out);
}

void
certname_der(const unsigned char *der, size_t len, char out[CERTNAME_MAX])
{
	gnutls_datum_t in = { (unsigned char *)der, (unsigned)len };
	gnutls_datum_t dn = { NULL, 0 };
	gnutls_x509_dn_t parsed;
	int ret = gnutls_x509_dn_init(&parsed);

	if (ret >= 0) {
		if ((ret = gnutls_x509_dn_import(parsed, &in)) >= 0)
			ret = gnutls_x509_dn_get_str2(parsed, &dn, 0);
		gnutls_x509_dn_deinit(parsed);
	}
	print_dn(ret, &dn, out);
}

char *
certname_dn_alloc(gnutls_x509_crt_t crt, int issuer)
{
	gnutls_datum_t dn = { NULL, 0 };
	char shown[CERTNAME_MAX];
	size_t outlen;
	char *out;
	int ret = dn_datum(crt, issuer, &dn);

	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		name(crt, issuer, shown);
		return strdup(shown);
	}
	if (ret < 0)
		return strdup("(unreadable name)");
	/* every byte may grow to "\xNN" */
	outlen = (size_t)dn.size * 4 + 4;
	out = malloc(outlen);
	if (out != NULL)
		certname_escape(dn.data, dn.size, out, outlen);
	gnutls_free(dn.data);
	return out;
}

char *
certname_hex_alloc(const unsigned char *data, size_t len)
{
	char *out = malloc(len * 3 + 1);

	if (out != NULL)
		hex_encode(data, len, ':', out);
	return out;
}

char *
certname_serial_alloc(gnutls_x509_crt_t crt)
{
	unsigned char serial[64];
	size_t len = sizeof(serial);

	if (gnutls_x509_crt_get_serial(crt, serial, &len) < 0)
		return strdup("(unreadable serial)");
	return certname_hex_alloc(serial, len);
}

/* From the DER GnuTLS keeps of an imported certificate:
 * gnutls_x509_crt_get_fingerprint encodes the certificate anew, which
 * costs more than the hash. */
int
certname_sha256(gnutls_x509_crt_t crt, unsigned char digest[32])
{
	gnutls_datum_t der;
	int ret;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		return -1;
	ret = gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, digest);
	gnutls_free(der.data);
	return ret < 0 ? -1 : 0;
}

char *
certname_fingerprint_alloc(gnutls_x509_crt_t crt)
{
	unsigned char digest[32];

	if (certname_sha256(crt, digest) != 0)
		return NULL;
	return certname_hex_alloc(digest, sizeof(digest));
}
