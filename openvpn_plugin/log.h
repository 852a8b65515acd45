/*
 * log.h - where the plugin's lines go.
 *
 * On OpenVPN's own thread, through OpenVPN's plugin_log, so that they land
 * in its log with its timestamps.  OpenVPN's log function is not safe to
 * call from other threads, so worker threads write one line to standard
 * error instead, as OpenVPN's own auth-pam helper does (--log points it at
 * OpenVPN's log), and to syslog (authpriv), where it is kept also when
 * standard error leads nowhere.
 */
#ifndef OVPN_LOG_H
#define OVPN_LOG_H

#include <pthread.h>

#include <openvpn-plugin.h>

#define PLUGIN_NAME	"openvpn-plugin-mtls"

struct logger {
	plugin_log_t	 openvpn;	/* NULL on a worker thread */
	pthread_t	 thread;	/* OpenVPN's, when openvpn is set */
};

/* One line, an error when err is nonzero. */
void	logf_line(const struct logger *log, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * libmtls's audit sink: the verdict's audit line goes to syslog (authpriv)
 * and to OpenVPN's log.  arg is a struct logger.
 */
void	log_audit_sink(void *arg, int accepted, const char *line);

/*
 * libmtls's own messages (mtls_ctx_set_log_sink()), said once (a map
 * index not used, OCSP answers not kept): as audit lines, to syslog and
 * OpenVPN's log, through plugin_log on OpenVPN's thread and standard
 * error on a worker thread.  arg is the struct logger of OpenVPN's
 * thread.
 */
void	log_library_sink(void *arg, int priority, const char *line);

#endif
