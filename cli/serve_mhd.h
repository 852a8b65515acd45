/*
 * serve_mhd.h - libmicrohttpd, loaded when mtls serve starts.
 *
 * Every other command of mtls is a short process (a login, a Wi-Fi
 * authentication, a verification), and linking libmicrohttpd made each
 * pay for loading it: about 0.2 to 0.4 ms, a tenth of a whole `mtls
 * verify`.  Only mtls serve needs it, so it is opened there, as libmtls
 * opens libcurl on its first fetch.
 */
#ifndef MTLS_SERVE_MHD_H
#define MTLS_SERVE_MHD_H

#include <stddef.h>

#include <microhttpd.h>

/* The functions of libmicrohttpd that mtls serve calls. */
struct serve_mhd {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_quiesce_daemon) *quiesce_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_suspend_connection) *suspend_connection;
	__typeof__(MHD_resume_connection) *resume_connection;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_http_unescape) *http_unescape;
};

/* Filled by serve_mhd_load(); the process keeps the library open. */
extern struct serve_mhd serve_mhd;

/*
 * Open libmicrohttpd and find its functions: 0, or -1 with why in err
 * (the library or a function missing, and the package to install).
 */
int serve_mhd_load(char *err, size_t errlen);

#endif /* MTLS_SERVE_MHD_H */
