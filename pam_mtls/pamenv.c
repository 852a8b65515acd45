#include "pamenv.h"

#include <stdlib.h>
#include <string.h>

#include "mtls.h"

static int
put(pam_handle_t *pamh, const char *name, const char *value)
{
	size_t nlen = strlen(name), vlen;
	char *entry;
	int rc;

	if (value == NULL)
		value = "";
	vlen = strlen(value);
	if ((entry = malloc(nlen + 1 + vlen + 1)) == NULL)
		return PAM_BUF_ERR;
	memcpy(entry, name, nlen);
	entry[nlen] = '=';
	memcpy(entry + nlen + 1, value, vlen + 1);
	rc = pam_putenv(pamh, entry);
	free(entry);
	return rc;
}

int
pamenv_export(pam_handle_t *pamh, const char *profile,
    const struct mtls_verdict *verdict)
{
	int rc;

	if ((rc = put(pamh, "MTLS_SUBJECT",
	    mtls_verdict_subject(verdict))) != PAM_SUCCESS ||
	    (rc = put(pamh, "MTLS_ISSUER",
	    mtls_verdict_issuer(verdict))) != PAM_SUCCESS ||
	    (rc = put(pamh, "MTLS_SERIAL",
	    mtls_verdict_serial(verdict))) != PAM_SUCCESS ||
	    (rc = put(pamh, "MTLS_FINGERPRINT_SHA256",
	    mtls_verdict_fingerprint(verdict))) != PAM_SUCCESS ||
	    (rc = put(pamh, "MTLS_PROFILE", profile)) != PAM_SUCCESS)
		return rc;
	return put(pamh, "MTLS_USER", mtls_verdict_user(verdict));
}
