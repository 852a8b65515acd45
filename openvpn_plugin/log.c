#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static void
vlog_line(const struct logger *log, int err, const char *fmt, va_list ap)
{
	char line[2048], out[sizeof(line) + sizeof(PLUGIN_NAME) + 3];
	int n;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (log->openvpn != NULL) {
		log->openvpn(err ? PLOG_ERR : PLOG_NOTE, PLUGIN_NAME, "%s",
		    line);
		return;
	}
	/* one write(2), so that lines of several threads do not mix */
	n = snprintf(out, sizeof(out), "%s: %s\n", PLUGIN_NAME, line);
	if (n > 0)
		(void)!write(STDERR_FILENO, out, (size_t)n);
	/* without --log, standard error may lead nowhere */
	syslog(LOG_AUTHPRIV | (err ? LOG_WARNING : LOG_INFO), "%s: %s",
	    PLUGIN_NAME, line);
}

void
logf_line(const struct logger *log, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_line(log, err, fmt, ap);
	va_end(ap);
}

/* A line of libmtls's to syslog and to OpenVPN's log, as log writes
 * there (the calling thread's). */
static void
log_both(const struct logger *log, int priority, const char *line)
{
	/* a worker's line goes to syslog through logf_line() */
	if (log->openvpn != NULL)
		syslog(LOG_AUTHPRIV | priority, "%s", line);
	logf_line(log, priority <= LOG_WARNING, "%s", line);
}

void
log_audit_sink(void *arg, int accepted, const char *line)
{
	log_both(arg, accepted ? LOG_INFO : LOG_WARNING, line);
}

void
log_library_sink(void *arg, int priority, const char *line)
{
	const struct logger *log = arg, worker = { NULL };

	log_both(pthread_equal(pthread_self(), log->thread) ? log : &worker,
	    priority, line);
}
