#define _GNU_SOURCE		/* memmem() */
#include "certder.h"

#include <stdio.h>
#include <string.h>

#include "dertlv.h"

/* What GnuTLS's PEM import of certificates looks for, too. */
static const char pem_begin[] = "-----BEGIN CERTIFICATE-----";
static const char pem_end[] = "-----END CERTIFICATE-----";

/*
 * The subject element of the tbsCertificate of der into *subject, *p just
 * past it within *end, the end of the tbsCertificate.
 */
static int
walk_to_subject(const unsigned char *der, size_t len, const unsigned char **p,
    const unsigned char **end, struct dertlv *subject)
{
	struct dertlv cert, tbs, e;

	*p = der;
	if (dertlv_expect(p, der + len, DER_SEQUENCE, &cert) != 0 ||
	    *p != der + len)
		return -1;
	*p = cert.content;
	if (dertlv_expect(p, cert.end, DER_SEQUENCE, &tbs) != 0)
		return -1;
	*p = tbs.content;
	*end = tbs.end;
	/* [0] version (absent in version 1), serialNumber, signature,
	 * issuer, validity, then the subject */
	if (dertlv_next(p, *end, &e) != 0)
		return -1;
	if (e.tag == DER_CONTEXT_0 &&
	    dertlv_expect(p, *end, DER_INTEGER, &e) != 0)
		return -1;
	if (e.tag != DER_INTEGER ||
	    dertlv_expect(p, *end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(p, *end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(p, *end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(p, *end, DER_SEQUENCE, subject) != 0)
		return -1;
	return 0;
}

int
certder_subject(const unsigned char *der, size_t len, gnutls_datum_t *subject)
{
	const unsigned char *p, *end;
	struct dertlv e;

	if (walk_to_subject(der, len, &p, &end, &e) != 0)
		return -1;
	subject->data = (unsigned char *)e.start;
	subject->size = (unsigned)(e.end - e.start);
	return 0;
}

int
certder_public_key(const unsigned char *der, size_t len, gnutls_datum_t *key)
{
	const unsigned char *p, *end;
	struct dertlv e, bits;

	/* subjectPublicKeyInfo: algorithm, then the key's BIT STRING */
	if (walk_to_subject(der, len, &p, &end, &e) != 0 ||
	    dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_expect(&p, end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(&p, end, DER_BIT_STRING, &bits) != 0 || p != end ||
	    bits.len < 1 || bits.content[0] != 0)
		return -1;
	key->data = (unsigned char *)bits.content + 1;
	key->size = (unsigned)(bits.len - 1);
	return 0;
}

int
certder_rsa_key(const unsigned char *der, size_t len,
    gnutls_datum_t *modulus, gnutls_datum_t *exponent)
{
	gnutls_datum_t key;
	const unsigned char *p;
	struct dertlv seq, n, e;

	if (certder_public_key(der, len, &key) != 0)
		return -1;
	p = key.data;
	if (dertlv_expect(&p, key.data + key.size, DER_SEQUENCE, &seq) != 0 ||
	    p != key.data + key.size)
		return -1;
	p = seq.content;
	if (dertlv_expect(&p, seq.end, DER_INTEGER, &n) != 0 ||
	    dertlv_expect(&p, seq.end, DER_INTEGER, &e) != 0 ||
	    p != seq.end || n.len == 0 || e.len == 0)
		return -1;
	modulus->data = (unsigned char *)n.content;
	modulus->size = (unsigned)n.len;
	exponent->data = (unsigned char *)e.content;
	exponent->size = (unsigned)e.len;
	return 0;
}

unsigned
certder_bits(const gnutls_datum_t *n)
{
	size_t i = 0;
	unsigned bits;

	while (i < n->size && n->data[i] == 0)
		i++;
	if (i == n->size)
		return 0;
	bits = (unsigned)(n->size - i) * 8;
	for (unsigned char top = n->data[i]; !(top & 0x80); top <<= 1)
		bits--;
	return bits;
}

static const unsigned char *
find(const unsigned char *data, size_t len, const char *what)
{
	return memmem(data, len, what, strlen(what));
}

int
certder_next_pem(const unsigned char *data, size_t len, size_t *from,
    gnutls_datum_t *der, char *why, size_t whylen)
{
	const unsigned char *begin, *end;
	gnutls_datum_t block;
	int ret;

	if (*from >= len ||
	    (begin = find(data + *from, len - *from, pem_begin)) == NULL)
		return 0;
	end = find(begin, len - (size_t)(begin - data), pem_end);
	if (end == NULL) {
		snprintf(why, whylen, "a PEM certificate without its END line");
		return -1;
	}
	end += strlen(pem_end);
	block.data = (unsigned char *)begin;
	block.size = (unsigned)(end - begin);
	*from = (size_t)(end - data);
	ret = gnutls_pem_base64_decode2("CERTIFICATE", &block, der);
	if (ret < 0) {
		snprintf(why, whylen, "bad PEM certificate: %s",
		    gnutls_strerror(ret));
		return -1;
	}
	return 1;
}

gnutls_x509_crt_t
certder_copy(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_t copy = NULL;
	gnutls_datum_t der;
	int ret;

	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) < 0)
		return NULL;
	ret = gnutls_x509_crt_init(&copy);
	if (ret >= 0 && (ret = gnutls_x509_crt_import(copy, &der,
	    GNUTLS_X509_FMT_DER)) < 0) {
		gnutls_x509_crt_deinit(copy);
		copy = NULL;
	}
	gnutls_free(der.data);
	return copy;
}
