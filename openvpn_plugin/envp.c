#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "envp.h"

const char *
envp_get(const char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], name, len) == 0 && envp[i][len] == '=')
			return envp[i] + len + 1;
	return NULL;
}

const char *
envp_client_address(const char *const *envp, char *buf, size_t len)
{
	const char *ip, *port;

	if ((ip = envp_get(envp, "untrusted_ip")) == NULL)
		ip = envp_get(envp, "untrusted_ip6");
	port = envp_get(envp, "untrusted_port");
	if (ip == NULL)
		snprintf(buf, len, "unknown");
	else if (port == NULL)
		snprintf(buf, len, "%s", ip);
	else
		snprintf(buf, len, "%s:%s", ip, port);
	return buf;
}
