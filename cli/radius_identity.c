/*
 * radius_identity.c - the user an EAP identity claims.
 *
 * The EAP identity is what the supplicant chose to send, often
 * "user@realm" so that proxies can route it, or "DOMAIN\user" as Windows
 * supplicants send it.  The profile says whether that realm or domain is
 * taken off (radius.realm = "strip") or the identity must be the user
 * name as it is ("keep").  Whatever is left is only a claim: libmtls
 * holds it against the user the certificate maps to, so
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
	const char *start = identity, *end = identity + strlen(identity);
	const char *domain = strchr(identity, '\\');
	const char *at = strrchr(identity, '@');
	char *user;

	if (mtls_config_radius_realm(cfg) == MTLS_RADIUS_REALM_STRIP) {
		/* as FreeRADIUS's realm module reads them: the NT domain
		 * up to the first backslash, the realm from the last @ */
		if (domain != NULL)
			start = domain + 1;
		if (at != NULL && at >= start)
			end = at;
	} else
		domain = at = NULL;
	if (end == start) {
		snprintf(err, errlen, "the EAP identity (User-Name) names no "
		    "user%s", at != NULL ? " before its @realm" :
		    domain != NULL ? " after its DOMAIN\\" : "");
		return NULL;
	}
	if ((user = strndup(start, (size_t)(end - start))) == NULL)
		snprintf(err, errlen, "out of memory");
	return user;
}
