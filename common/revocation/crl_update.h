/*
 * crl_update.h - fetching, checking and indexing the configured CRLs, the
 * work behind mtls_crl_update() (internal).
 *
 * Every source is judged on its own: one that cannot be fetched, does not
 * verify, is stale or is older than what is published keeps the last good
 * index of its issuer and is reported, and the others go on.
 */
#ifndef MTLS_CRL_UPDATE_H
#define MTLS_CRL_UPDATE_H

#include <stddef.h>
#include <time.h>

#include "config.h"

/* Largest CRL fetched or read: a million entries take about 40 MB. */
#define CRL_UPDATE_MAX_BYTES ((size_t)256 * 1024 * 1024)
/* Longest one download may take, connection included. */
#define CRL_UPDATE_TIMEOUT_MS 60000L

struct crl_update_limits {
	size_t max_bytes;
	long timeout_ms;
};

/*
 * mtls_crl_update() with explicit limits and clock, for tests.  Returns 0
 * when every source is fresh, 1 when some source failed, -1 when nothing
 * could be tried (no cache directory, unreadable CA files); every outcome
 * is a line to report() and to syslog.
 */
int crl_update_run(const struct mtls_config *config,
    const struct crl_update_limits *limits, time_t now,
    void (*report)(void *arg, int failed, const char *line), void *arg);

#endif /* MTLS_CRL_UPDATE_H */
