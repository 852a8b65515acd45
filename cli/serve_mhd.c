#include <dlfcn.h>
#include <stdio.h>

#include "serve_mhd.h"

/* Debian 12's libmicrohttpd12; the ABI the header describes. */
#define MHD_LIBRARY "libmicrohttpd.so.12"

struct serve_mhd serve_mhd;

#define MHD_SYMBOL(field, name) { (void **)(void *)&serve_mhd.field, name }

int
serve_mhd_load(char *err, size_t errlen)
{
	const struct {
		void **to;
		const char *name;
	} symbols[] = {
		MHD_SYMBOL(start_daemon, "MHD_start_daemon"),
		MHD_SYMBOL(quiesce_daemon, "MHD_quiesce_daemon"),
		MHD_SYMBOL(stop_daemon, "MHD_stop_daemon"),
		MHD_SYMBOL(lookup_connection_value,
		    "MHD_lookup_connection_value"),
		MHD_SYMBOL(suspend_connection, "MHD_suspend_connection"),
		MHD_SYMBOL(resume_connection, "MHD_resume_connection"),
		MHD_SYMBOL(create_response_from_buffer,
		    "MHD_create_response_from_buffer"),
		MHD_SYMBOL(add_response_header, "MHD_add_response_header"),
		MHD_SYMBOL(queue_response, "MHD_queue_response"),
		MHD_SYMBOL(destroy_response, "MHD_destroy_response"),
		MHD_SYMBOL(http_unescape, "MHD_http_unescape"),
	};
	/* RTLD_LOCAL: its names never stand in for the program's own */
	void *lib = dlopen(MHD_LIBRARY, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		snprintf(err, errlen, "libmicrohttpd cannot be loaded (%s), "
		    "and mtls serve answers HTTP with it: install the Debian "
		    "package libmicrohttpd12", dlerror());
		return -1;
	}
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if ((*symbols[i].to = dlsym(lib, symbols[i].name)) == NULL) {
			snprintf(err, errlen, "the libmicrohttpd found lacks "
			    "%s; install libmicrohttpd12 0.9.75 or later",
			    symbols[i].name);
			dlclose(lib);
			return -1;
		}
	return 0;
}
