/*
 * radius_deadline.c - a verdict in time, whatever a revocation source
 * does.
 *
 * FreeRADIUS gives a hook 10 seconds and then rejects with nothing in its
 * log but a timeout.  An OCSP responder that accepts connections and
 * never answers, with a generous revocation.ocsp_timeout_ms, would spend
 * them all.  So the hook keeps its own, shorter, deadline: when it
 * passes, the hook rejects with a reason an administrator can act on,
 * and writes the audit line the verification would have written.
 *
 * The deadline is a thread of its own rather than a signal handler, so
 * that it may log: syslog() and the audit line's allocations are not
 * async-signal-safe.  A lock makes the verdict and the deadline exclude
 * each other: whichever comes first is the only one said.
 */
#include "radius.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "finding.h"
#include "request.h"
#include "verdict.h"

#define STR(x) #x
#define XSTR(x) STR(x)

#define DEADLINE_REASON "no verdict within " XSTR(RADIUS_DEADLINE_SECONDS) \
    " seconds: a revocation source (an OCSP responder) did not answer in " \
    "time; set revocation.ocsp_timeout_ms well below " \
    XSTR(RADIUS_DEADLINE_SECONDS) "000"

static struct {
	pthread_mutex_t lock;
	bool done;			/* the verdict came first */
	FILE *out;
	const struct mtls_config *cfg;	/* NULL until known */
	const struct mtls_request *req;	/* NULL until made */
} deadline = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The audit line of a rejection for want of time, as libmtls writes one. */
static void
audit_deadline(void)
{
	struct mtls_request *none = NULL;
	struct mtls_verdict *v;

	if (deadline.cfg != NULL && !deadline.cfg->audit)
		return;
	if (deadline.req == NULL && (none = mtls_request_new()) == NULL)
		return;
	if ((v = calloc(1, sizeof(*v))) != NULL) {
		finding_set(&v->finding, MTLS_R_REVOCATION_UNAVAILABLE, "%s",
		    DEADLINE_REASON);
		audit_log(deadline.cfg != NULL ? deadline.cfg->profile : NULL,
		    v, deadline.req != NULL ? deadline.req : none);
		mtls_verdict_free(v);
	}
	mtls_request_free(none);
}

static void *
watch(void *arg)
{
	struct timespec left = { RADIUS_DEADLINE_SECONDS, 0 };
	static const char said[] = "rejected: revocation-unavailable: "
	    DEADLINE_REASON "\n";
	ssize_t n;

	(void)arg;
	while (nanosleep(&left, &left) != 0 && errno == EINTR)
		continue;
	pthread_mutex_lock(&deadline.lock);
	if (deadline.done) {
		pthread_mutex_unlock(&deadline.lock);
		return NULL;
	}
	n = write(fileno(deadline.out), said, sizeof(said) - 1);
	(void)n;
	audit_deadline();
	/* held: the verdict is never said after this */
	_exit(1);
}

int
radius_deadline_start(FILE *out)
{
	pthread_attr_t attr;
	pthread_t thread;
	int ret;

	deadline.out = out;
	if (pthread_attr_init(&attr) != 0)
		return -1;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, watch, NULL);
	pthread_attr_destroy(&attr);
	return ret == 0 ? 0 : -1;
}

void
radius_deadline_audit(const struct mtls_config *cfg,
    const struct mtls_request *req)
{
	pthread_mutex_lock(&deadline.lock);
	deadline.cfg = cfg;
	deadline.req = req;
	pthread_mutex_unlock(&deadline.lock);
}

void
radius_deadline_stop(void)
{
	pthread_mutex_lock(&deadline.lock);
	deadline.done = true;
	deadline.cfg = NULL;
	deadline.req = NULL;
	pthread_mutex_unlock(&deadline.lock);
}
