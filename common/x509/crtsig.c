#include "crtsig.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include "dertlv.h"

/*
 * The signed part and the signature of the Certificate der: its
 * tbsCertificate element and the bits of its signature (RFC 5280 4.1).
 */
static int
split(const gnutls_datum_t *der, gnutls_datum_t *tbs, gnutls_datum_t *sig)
{
	const unsigned char *p = der->data, *end = der->data + der->size;
	struct dertlv cert, part, alg, bits;

	if (dertlv_expect(&p, end, DER_SEQUENCE, &cert) != 0 || p != end)
		return -1;
	p = cert.content;
	if (dertlv_expect(&p, cert.end, DER_SEQUENCE, &part) != 0 ||
	    dertlv_expect(&p, cert.end, DER_SEQUENCE, &alg) != 0 ||
	    dertlv_expect(&p, cert.end, DER_BIT_STRING, &bits) != 0 ||
	    p != cert.end || bits.len < 1 || bits.content[0] != 0)
		return -1;
	tbs->data = (unsigned char *)part.start;
	tbs->size = (unsigned)(part.end - part.start);
	sig->data = (unsigned char *)bits.content + 1;
	sig->size = (unsigned)(bits.len - 1);
	return 0;
}

int
crtsig_verify(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
    unsigned flags)
{
	gnutls_datum_t der = { NULL, 0 }, tbs, sig;
	gnutls_pubkey_t key = NULL;
	int algorithm = gnutls_x509_crt_get_signature_algorithm(crt);
	int ret;

	if (algorithm < 0)
		return algorithm;
	if (algorithm == GNUTLS_SIGN_UNKNOWN)
		return GNUTLS_E_UNKNOWN_ALGORITHM;
	/* the DER as imported, as GnuTLS keeps it */
	if ((ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der)) < 0)
		return ret;
	if (split(&der, &tbs, &sig) != 0)
		ret = GNUTLS_E_ASN1_DER_ERROR;
	if (ret >= 0)
		ret = gnutls_pubkey_init(&key);
	if (ret >= 0)
		ret = gnutls_pubkey_import_x509(key, issuer, 0);
	if (ret >= 0)
		ret = gnutls_pubkey_verify_data2(key,
		    (gnutls_sign_algorithm_t)algorithm, flags &
		    (GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 |
		    GNUTLS_VERIFY_ALLOW_BROKEN), &tbs, &sig);
	if (key != NULL)
		gnutls_pubkey_deinit(key);
	gnutls_free(der.data);
	return ret < 0 ? ret : 0;
}
