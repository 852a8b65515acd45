/*
 * check.h - one libmtls verification of a client's chain.
 */
#ifndef OVPN_CHECK_H
#define OVPN_CHECK_H

#include "client.h"
#include "log.h"

struct mtls_ctx;
struct mtls_verdict;

struct check {
	const struct certs	*certs;
	const char		*user;		/* claimed user, or NULL */
	const char		*client;	/* "ip:port" for the audit line */
	const char		*step;		/* "tls-verify" or "auth" */
	int			 offline;	/* no OCSP query, no download */
};

/*
 * Verify; the verdict's audit line goes to syslog and to log.  Empty
 * certs are a client that presented none (reason no-certificate).  Returns
 * the verdict, or NULL when memory ran out (a rejection, as for libmtls).
 */
struct mtls_verdict	*check_certs(struct mtls_ctx *ctx,
			    const struct check *check,
			    const struct logger *log);

#endif
