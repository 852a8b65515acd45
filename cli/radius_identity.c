/*
 * radius_identity.c - the user an EAP identity claims.
 *
 * The EAP identity is what the supplicant chose to send, often
 * "user@realm" so that proxies can route it.  The profile says whether
 * that realm is taken off (radius.realm = "strip") or the identity must
 * be the user name as it is ("keep").  Whatever is left is only a
 * claim: libmtls holds it against the user the certificate maps to, so
 * "anonymous@realm" never passes for a user.
 */
#include "radius.h"

#include <stdlib.h>
#include <string.h>

#include "mtls.h"

char *
radius_identity_user(const struct mtls_config *cfg, const char *identity,
    char *err, size_t errlen)
{
	size_t len = strlen(identity);
	const char *at = strrchr(identity, '@');
	char *user;

	if (mtls_config_radius_realm(cfg) == MTLS_RADIUS_REALM_STRIP &&
	    at != NULL)
		len = (size_t)(at - identity);
	if (len == 0) {
		snprintf(err, errlen, "the EAP identity (User-Name) names no "
		    "user%s", at != NULL ? " before its @realm" : "");
		return NULL;
	}
	if ((user = strndup(identity, len)) == NULL)
		snprintf(err, errlen, "out of memory");
	return user;
}
