#include "optlib.h"
#include "serve_mhd.h"

/* Debian 12's libmicrohttpd12; the ABI the header describes. */
static const char *const mhd_library = "libmicrohttpd.so.12";

struct serve_mhd serve_mhd;

#define MHD_SYMBOL(field, name) OPTLIB_SYMBOL(serve_mhd.field, name)

int
serve_mhd_load(char *err, size_t errlen)
{
	const struct optlib_symbol symbols[] = {
		MHD_SYMBOL(start_daemon, "MHD_start_daemon"),
		MHD_SYMBOL(quiesce_daemon, "MHD_quiesce_daemon"),
		MHD_SYMBOL(stop_daemon, "MHD_stop_daemon"),
		MHD_SYMBOL(get_connection_values,
		    "MHD_get_connection_values"),
		MHD_SYMBOL(suspend_connection, "MHD_suspend_connection"),
		MHD_SYMBOL(resume_connection, "MHD_resume_connection"),
		MHD_SYMBOL(create_response_from_buffer,
		    "MHD_create_response_from_buffer"),
		MHD_SYMBOL(add_response_header, "MHD_add_response_header"),
		MHD_SYMBOL(queue_response, "MHD_queue_response"),
		MHD_SYMBOL(destroy_response, "MHD_destroy_response"),
		MHD_SYMBOL(http_unescape, "MHD_http_unescape"),
	};
	const struct optlib libmicrohttpd = {
		.name = "libmicrohttpd",
		.sonames = &mhd_library,
		.nsonames = 1,
		.uses = "mtls serve answers HTTP with it",
		.package = "libmicrohttpd12",
		.version = "0.9.75",
		.symbols = symbols,
		.nsymbols = sizeof(symbols) / sizeof(symbols[0]),
	};

	return optlib_open(&libmicrohttpd, err, errlen) != NULL ? 0 : -1;
}
