#include "keylimits.h"

#include <stdbool.h>
#include <stdio.h>

#include <gnutls/gnutls.h>

#include "certder.h"

static bool
is_odd(const gnutls_datum_t *n)
{
	return n->size > 0 && (n->data[n->size - 1] & 1);
}

static int
check_rsa(gnutls_x509_crt_t crt, bool pss, char *why, size_t whylen)
{
	gnutls_datum_t der = { NULL, 0 }, m = { NULL, 0 }, e = { NULL, 0 };
	unsigned mbits, ebits;
	bool odd, in_der;
	int ret;

	/* RSA-PSS keys carry parameters, which GnuTLS checks as it reads */
	in_der = !pss &&
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0 &&
	    certder_rsa_key(der.data, der.size, &m, &e) == 0;
	if (!in_der &&
	    (ret = gnutls_x509_crt_get_pk_rsa_raw(crt, &m, &e)) < 0) {
		gnutls_free(der.data);
		snprintf(why, whylen, "an RSA key that cannot be read (%s)",
		    gnutls_strerror(ret));
		return -1;
	}
	mbits = certder_bits(&m);
	ebits = certder_bits(&e);
	odd = is_odd(&e);
	if (!in_der) {
		gnutls_free(m.data);
		gnutls_free(e.data);
	}
	gnutls_free(der.data);
	if (mbits > KEYLIMITS_RSA_MAX_BITS) {
		snprintf(why, whylen, "a %u-bit RSA key, over the %d bits "
		    "accepted", mbits, KEYLIMITS_RSA_MAX_BITS);
		return -1;
	}
	if (ebits > KEYLIMITS_RSA_MAX_EXPONENT_BITS || ebits < 2 || !odd) {
		snprintf(why, whylen, "an RSA key whose public exponent (%u "
		    "bits) is not an odd number from 3 to 2^%d-1 (CAs use "
		    "65537)", ebits, KEYLIMITS_RSA_MAX_EXPONENT_BITS);
		return -1;
	}
	return 0;
}

static int
check_dsa(gnutls_x509_crt_t crt, char *why, size_t whylen)
{
	gnutls_datum_t p = { NULL, 0 }, q = { NULL, 0 }, g = { NULL, 0 },
	    y = { NULL, 0 };
	unsigned pbits, qbits;
	int ret;

	if ((ret = gnutls_x509_crt_get_pk_dsa_raw(crt, &p, &q, &g, &y)) < 0) {
		snprintf(why, whylen, "a DSA key that cannot be read (%s)",
		    gnutls_strerror(ret));
		return -1;
	}
	pbits = certder_bits(&p);
	qbits = certder_bits(&q);
	gnutls_free(p.data);
	gnutls_free(q.data);
	gnutls_free(g.data);
	gnutls_free(y.data);
	if (pbits > KEYLIMITS_DSA_MAX_P_BITS ||
	    qbits > KEYLIMITS_DSA_MAX_Q_BITS) {
		snprintf(why, whylen, "a DSA key of %u/%u bits, over the "
		    "%d/%d bits accepted", pbits, qbits,
		    KEYLIMITS_DSA_MAX_P_BITS, KEYLIMITS_DSA_MAX_Q_BITS);
		return -1;
	}
	return 0;
}

static bool
curve_accepted(gnutls_ecc_curve_t curve)
{
	switch (curve) {
	case GNUTLS_ECC_CURVE_SECP192R1:
	case GNUTLS_ECC_CURVE_SECP224R1:
	case GNUTLS_ECC_CURVE_SECP256R1:
	case GNUTLS_ECC_CURVE_SECP384R1:
	case GNUTLS_ECC_CURVE_SECP521R1:
	case GNUTLS_ECC_CURVE_ED25519:
	case GNUTLS_ECC_CURVE_ED448:
		return true;
	default:
		return false;
	}
}

static int
check_curve(gnutls_x509_crt_t crt, char *why, size_t whylen)
{
	gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 };
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	const char *name;
	int ret;

	if ((ret = gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, &x, &y)) < 0) {
		snprintf(why, whylen, "an elliptic-curve key that cannot be "
		    "read (%s)", gnutls_strerror(ret));
		return -1;
	}
	gnutls_free(x.data);
	gnutls_free(y.data);
	if (curve_accepted(curve))
		return 0;
	name = gnutls_ecc_curve_get_name(curve);
	snprintf(why, whylen, "a key on curve %s, which is not accepted (only "
	    "P-192 to P-521, Ed25519 and Ed448 are)",
	    name != NULL ? name : "(unknown)");
	return -1;
}

int
keylimits_check(gnutls_x509_crt_t crt, char *why, size_t whylen)
{
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, NULL);

	switch (pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		return check_rsa(crt, pk == GNUTLS_PK_RSA_PSS, why, whylen);
	case GNUTLS_PK_DSA:
		return check_dsa(crt, why, whylen);
	case GNUTLS_PK_EC:
	case GNUTLS_PK_EDDSA_ED25519:
	case GNUTLS_PK_EDDSA_ED448:
		return check_curve(crt, why, whylen);
	default:
		snprintf(why, whylen, "a key of algorithm %s, whose "
		    "signatures are not checked (only RSA, DSA, ECDSA and "
		    "EdDSA are)", pk > 0 ?
		    gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : "unknown");
		return -1;
	}
}
