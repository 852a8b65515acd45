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

void
log_audit_sink(void *arg, int accepted, const char *line)
{
	const struct logger *log = arg;

	/* a worker's line goes to syslog through logf_line() */
	if (log->openvpn != NULL)
		syslog(LOG_AUTHPRIV | (accepted ? LOG_INFO : LOG_WARNING), "%s",
		    line);
	logf_line(log, !accepted, "%s", line);
}
