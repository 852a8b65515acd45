#define _GNU_SOURCE	/* close_range */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdpass.h"
#include "pam_helper.h"

struct pam_helper {
	int	fd;	/* control socket: one file descriptor per question */
	pid_t	pid;
};

struct pam_helper *
pam_helper_start(const char *service, char *err, size_t errlen)
{
	struct pam_helper *helper;
	int sv[2];

	if ((helper = calloc(1, sizeof(*helper))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		snprintf(err, errlen, "cannot make the PAM helper's socket: "
		    "%s", strerror(errno));
		free(helper);
		return NULL;
	}
	switch (helper->pid = fork()) {
	case -1:
		snprintf(err, errlen, "cannot fork the PAM helper: %s",
		    strerror(errno));
		close(sv[0]);
		close(sv[1]);
		free(helper);
		return NULL;
	case 0:
		/* keep standard error (OpenVPN's log) and the socket only */
		if (sv[1] != 3 && dup2(sv[1], 3) == -1)
			_exit(1);
		close_range(4, ~0U, 0);
		pam_helper_serve(3, service);
	}
	close(sv[1]);
	helper->fd = sv[0];
	return helper;
}

void
pam_helper_stop(struct pam_helper *helper)
{
	if (helper == NULL)
		return;
	close(helper->fd);
	/* after --daemon, OpenVPN is a fork and the helper not its child */
	while (waitpid(helper->pid, NULL, 0) == -1 && errno == EINTR)
		;
	free(helper);
}

/* Hand the helper one end of a new socket pair; the other is ours. */
static int
open_question(struct pam_helper *helper)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if (fdpass_send(helper->fd, sv[1]) != 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	return sv[0];
}

/* "user\0password\0rhost\0" into buf; its length, or 0 when too long. */
static size_t
question(char *buf, size_t size, const char *user, const char *password,
    const char *rhost)
{
	size_t u = strlen(user) + 1, p = strlen(password) + 1;
	size_t r = strlen(rhost) + 1;

	if (u > PAM_HELPER_MAX_FIELD || p > PAM_HELPER_MAX_FIELD ||
	    r > PAM_HELPER_MAX_FIELD || u + p + r > size)
		return 0;
	memcpy(buf, user, u);
	memcpy(buf + u, password, p);
	memcpy(buf + u + p, rhost, r);
	return u + p + r;
}

int
pam_helper_check(struct pam_helper *helper, const char *user,
    const char *password, const char *rhost, char *detail, size_t detaillen)
{
	char *buf, reply[512];
	size_t size = 3 * PAM_HELPER_MAX_FIELD, len;
	struct pollfd pfd;
	ssize_t n;
	int fd, rc = -1;

	if ((buf = malloc(size)) == NULL) {
		snprintf(detail, detaillen, "out of memory");
		return -1;
	}
	if ((len = question(buf, size, user, password, rhost)) == 0) {
		snprintf(detail, detaillen, "username or password longer "
		    "than %d bytes", PAM_HELPER_MAX_FIELD - 1);
		free(buf);
		return 0;
	}
	if ((fd = open_question(helper)) == -1) {
		snprintf(detail, detaillen, "the PAM helper process is gone "
		    "(%s); restart OpenVPN", strerror(errno));
		explicit_bzero(buf, size);
		free(buf);
		return -1;
	}
	n = send(fd, buf, len, MSG_NOSIGNAL);
	explicit_bzero(buf, size);
	free(buf);
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (n != (ssize_t)len)
		snprintf(detail, detaillen, "cannot ask the PAM helper: %s",
		    strerror(errno));
	else if (poll(&pfd, 1, PAM_HELPER_TIMEOUT_MS) != 1)
		snprintf(detail, detaillen, "PAM did not answer within %d s",
		    PAM_HELPER_TIMEOUT_MS / 1000);
	else if ((n = recv(fd, reply, sizeof(reply) - 1, 0)) < 1 ||
	    (reply[0] != '0' && reply[0] != '1'))
		snprintf(detail, detaillen, "the PAM helper gave no answer");
	else {
		reply[n] = '\0';
		snprintf(detail, detaillen, "%s", reply + 1);
		rc = reply[0] == '1';
	}
	close(fd);
	return rc;
}
