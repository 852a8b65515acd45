#include "optlib.h"

#include <dlfcn.h>
#include <stdio.h>

void *
optlib_open(const struct optlib *lib, char *err, size_t errlen)
{
	void *handle = NULL;

	/* RTLD_LOCAL: its names never stand in for the host's own */
	for (size_t i = 0; handle == NULL && i < lib->nsonames; i++)
		handle = dlopen(lib->sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		/*
		 * dlerror() tells of the last name tried only: of several,
		 * the first, the one the package installs, is named.
		 */
		snprintf(err, errlen, "%s cannot be loaded (%s), and %s: "
		    "install the Debian package %s", lib->name,
		    lib->nsonames == 1 ? dlerror() : lib->sonames[0],
		    lib->uses, lib->package);
		return NULL;
	}
	for (size_t i = 0; i < lib->nsymbols; i++)
		if ((*lib->symbols[i].to = dlsym(handle,
		    lib->symbols[i].name)) == NULL) {
			snprintf(err, errlen, "the %s found lacks %s; install "
			    "%s %s or later", lib->name, lib->symbols[i].name,
			    lib->package, lib->version);
			dlclose(handle);
			return NULL;
		}
	return handle;
}
