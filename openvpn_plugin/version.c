#include "version.h"

#include <stdio.h>
#include <stdlib.h>

/* The patch level's number, or -1 when the string has none ("_git"). */
static long
patch_number(const char *patch)
{
	if (patch == NULL)
		return -1;
	if (*patch == '.')
		patch++;
	if (*patch < '0' || *patch > '9')
		return -1;
	return strtol(patch, NULL, 10);
}

int
version_supported(unsigned major, unsigned minor, const char *patch,
    char *err, size_t errlen)
{
	if (major > OPENVPN_MIN_MAJOR)
		return 1;
	if (major == OPENVPN_MIN_MAJOR && minor > OPENVPN_MIN_MINOR)
		return 1;
	if (major == OPENVPN_MIN_MAJOR && minor == OPENVPN_MIN_MINOR &&
	    patch_number(patch) >= OPENVPN_MIN_PATCH)
		return 1;
	snprintf(err, errlen, "OpenVPN %u.%u%s is too old: the plugin needs "
	    "2.6.9 or later, which gives plugins the client certificate "
	    "exported by tls-export-cert", major, minor,
	    patch != NULL ? patch : "");
	return 0;
}
