/*
 * Where the audit lines of mtls serve go.  syslog(3) sends each to the
 * socket at /dev/log; where nothing listens there (a container without a
 * syslog daemon), it tries to connect again for every line, fails, and
 * drops the line.  A door that must audit every decision cannot lose
 * them: there they go to standard error, which whatever started the
 * process keeps (the journal, a container's log).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "mtls.h"
#include "serve.h"

/* Set once, before any request; read by every thread after. */
static bool audit_to_stderr;

/* Whether a syslog daemon listens at _PATH_LOG, as syslog(3) asks it. */
static bool
syslog_listens(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	bool listens = false;
	int fd;

	memcpy(sun.sun_path, _PATH_LOG, sizeof(_PATH_LOG));
	for (size_t i = 0; i < 2 && !listens; i++) {
		if ((fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0)) == -1)
			continue;
		listens = connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == 0;
		close(fd);
	}
	return listens;
}

bool
serve_audit_choose(void)
{
	audit_to_stderr = !syslog_listens();
	return !audit_to_stderr;
}

/* One write a line, so that lines of several threads do not mix. */
static void
audit_stderr(void *arg, int accepted, const char *line)
{
	struct iovec iov[2] = {
		{ (void *)(uintptr_t)line, strlen(line) },
		{ (void *)(uintptr_t)"\n", 1 },
	};

	(void)arg;
	(void)accepted;
	(void)writev(STDERR_FILENO, iov, 2);
}

void
serve_audit_direct(struct mtls_request *request)
{
	if (audit_to_stderr)
		mtls_request_set_audit_sink(request, audit_stderr, NULL);
}
