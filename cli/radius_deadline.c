/*
 * radius_deadline.c - a verdict in time, whatever a revocation source
 * does.
 *
 * FreeRADIUS gives a hook 10 seconds and then rejects with nothing in its
 * log but a timeout.  An OCSP responder that accepts connections and
 * never answers, with a generous revocation.ocsp_timeout_ms, would spend
 * them all.  So the hook keeps its own, shorter, deadline: when it
 * passes, the hook rejects with a reason an administrator can act on.
 */
#include "radius.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#define STR(x) #x
#define XSTR(x) STR(x)

static const char deadline_message[] = "rejected: revocation-unavailable: "
    "no verdict within " XSTR(RADIUS_DEADLINE_SECONDS) " seconds: a "
    "revocation source (an OCSP responder) did not answer in time; set "
    "revocation.ocsp_timeout_ms well below " XSTR(RADIUS_DEADLINE_SECONDS)
    "000\n";

static volatile sig_atomic_t deadline_fd = STDOUT_FILENO;

static void
deadline_passed(int sig)
{
	ssize_t n;

	(void)sig;
	/* Only async-signal-safe calls: the process may be anywhere. */
	n = write(deadline_fd, deadline_message, sizeof(deadline_message) - 1);
	(void)n;
	_exit(1);
}

void
radius_deadline_start(FILE *out)
{
	struct sigaction sa;

	deadline_fd = fileno(out);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = deadline_passed;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(RADIUS_DEADLINE_SECONDS);
}
