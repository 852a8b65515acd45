/*
 * logsink.h - where libmtls's own messages go (internal): the few that a
 * context says once, of something its verifications work around but an
 * administrator should mend (a map file's index that is not used, OCSP
 * answers that are not kept on disk).  To the host's sink
 * (mtls_ctx_set_log_sink()), so that a host with a log of its own
 * (OpenVPN's --log, a container without a syslog daemon) has them there;
 * to syslog (authpriv) by default.  Audit lines are not these: they go
 * to the request's sink (mtls_request_set_audit_sink()).
 */
#ifndef MTLS_LOGSINK_H
#define MTLS_LOGSINK_H

struct log_sink {
	/* NULL: syslog */
	void (*say)(void *arg, int priority, const char *line);
	void *arg;
};

/*
 * "mtls: " and the text fmt makes, at priority (a syslog(3) level), to
 * sink; to syslog (authpriv) when sink is NULL or has no say.
 */
void log_sink_say(const struct log_sink *sink, int priority,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* MTLS_LOGSINK_H */
