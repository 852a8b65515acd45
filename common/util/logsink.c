#include "logsink.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

void
log_sink_say(const struct log_sink *sink, int priority, const char *fmt,
    ...)
{
	char text[1000], line[sizeof(text) + 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "mtls: %s", text);
	if (sink != NULL && sink->say != NULL)
		sink->say(sink->arg, priority, line);
	else
		syslog(LOG_AUTHPRIV | priority, "%s", line);
}
