#define _GNU_SOURCE		/* memmem() */
#include "certder.h"

#include <stdio.h>
#include <string.h>

#include "dertlv.h"

/* What GnuTLS's PEM import of certificates looks for, too. */
static const char pem_begin[] = "-----BEGIN CERTIFICATE-----";
static const char pem_end[] = "-----END CERTIFICATE-----";

int
certder_subject(const unsigned char *der, size_t len, gnutls_datum_t *subject)
{
	const unsigned char *p = der, *end = der + len;
	struct dertlv cert, tbs, e;

	if (dertlv_expect(&p, end, DER_SEQUENCE, &cert) != 0 || p != end)
		return -1;
	p = cert.content;
	if (dertlv_expect(&p, cert.end, DER_SEQUENCE, &tbs) != 0)
		return -1;
	p = tbs.content;
	/* [0] version (absent in version 1), serialNumber, signature,
	 * issuer, validity, then the subject */
	if (dertlv_next(&p, tbs.end, &e) != 0)
		return -1;
	if (e.tag == DER_CONTEXT_0 &&
	    dertlv_expect(&p, tbs.end, DER_INTEGER, &e) != 0)
		return -1;
	if (e.tag != DER_INTEGER ||
	    dertlv_expect(&p, tbs.end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(&p, tbs.end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(&p, tbs.end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_expect(&p, tbs.end, DER_SEQUENCE, &e) != 0)
		return -1;
	subject->data = (unsigned char *)e.start;
	subject->size = (unsigned)(e.end - e.start);
	return 0;
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
