/*
 * mtls radius authorize: rlm_exec in the check-eap-tls virtual server,
 * the gate that holds when eap's verify hook does not run.
 *
 * FreeRADIUS skips that hook, and accepts, when its verify tmpdir has
 * gone; check-eap-tls runs in any case, but sees the client certificate
 * only as the TLS-Client-Cert-* attributes FreeRADIUS made of it.  Those
 * are enough to ask libmtls what it alone knows: whether the issuer is a
 * configured CA, whether the serial number is revoked (CRL index, CRL
 * files, OCSP cache: no network, the verify hook asked already), and
 * which user the names map to.  Any attribute missing or malformed
 * rejects.
 */
#include "radius.h"

#include <err.h>
#include <stdlib.h>

#include "mtls.h"

/* What FreeRADIUS 3 names each described field of the client certificate. */
static const struct {
	const char *env;
	enum mtls_described field;
	bool required;
} attributes[] = {
	{ "TLS_CLIENT_CERT_ISSUER", MTLS_DESCRIBED_ISSUER, true },
	{ "TLS_CLIENT_CERT_SERIAL", MTLS_DESCRIBED_SERIAL, true },
	{ "TLS_CLIENT_CERT_X509V3_AUTHORITY_KEY_IDENTIFIER",
	    MTLS_DESCRIBED_AUTHORITY_KEY_ID, false },
	{ "TLS_CLIENT_CERT_SUBJECT", MTLS_DESCRIBED_SUBJECT, false },
	{ "TLS_CLIENT_CERT_COMMON_NAME", MTLS_DESCRIBED_COMMON_NAME, false },
	{ "TLS_CLIENT_CERT_SUBJECT_ALT_NAME_EMAIL", MTLS_DESCRIBED_EMAIL,
	    false },
	{ "TLS_CLIENT_CERT_SUBJECT_ALT_NAME_UPN", MTLS_DESCRIBED_UPN, false },
};

static int
fill_description(struct mtls_request *req, const struct radius_opts *o)
{
	char err[256], *value;

	(void)o;
	for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]);
	    i++) {
		int ret = radius_attribute(attributes[i].env, &value, err,
		    sizeof(err));

		if (ret < 0) {
			warnx("radius authorize: %s", err);
			return -1;
		}
		if (ret > 0) {
			if (!attributes[i].required)
				continue;
			warnx("radius authorize: no %s in the environment: "
			    "run from rlm_exec in the check-eap-tls virtual "
			    "server, with input_pairs = request",
			    attributes[i].env);
			return -1;
		}
		ret = mtls_request_describe(req, attributes[i].field, value);
		free(value);
		if (ret != 0) {
			warnx("radius authorize: %s: out of memory",
			    attributes[i].env);
			return -1;
		}
	}
	return 0;
}

int
radius_authorize(const struct radius_opts *o)
{
	return radius_run("authorize", o, fill_description, true);
}
