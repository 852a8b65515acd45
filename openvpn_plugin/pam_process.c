/*
 * pam_process.c - the PAM helper process: one process group per
 * question, which runs the PAM stack and answers on the question's own
 * socket.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "fdpass.h"
#include "log.h"
#include "pam_helper.h"

struct credentials {
	const char	*user;
	const char	*password;
	int		 password_given;
};

/*
 * The password answers the first hidden prompt and the username a shown
 * one; anything else asked (a second secret, a one-time code) fails the
 * conversation, since the client typed nothing for it.
 */
static int
converse(int n, const struct pam_message **msg, struct pam_response **resp,
    void *arg)
{
	struct credentials *cred = arg;
	struct pam_response *r;

	if (n <= 0 || (r = calloc((size_t)n, sizeof(*r))) == NULL)
		return PAM_CONV_ERR;
	for (int i = 0; i < n; i++) {
		const char *answer = NULL;

		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			if (cred->password_given++)
				goto fail;
			answer = cred->password;
			break;
		case PAM_PROMPT_ECHO_ON:
			answer = cred->user;
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			continue;
		default:
			goto fail;
		}
		if ((r[i].resp = strdup(answer)) == NULL)
			goto fail;
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (int i = 0; i < n; i++) {
		if (r[i].resp != NULL) {
			explicit_bzero(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	}
	free(r);
	return PAM_CONV_ERR;
}

/* Authenticate and check the account; the answer record into reply. */
static size_t
ask_pam(const char *service, const char *user, const char *password,
    const char *rhost, char *reply, size_t size)
{
	struct credentials cred = { user, password, 0 };
	struct pam_conv conv = { converse, &cred };
	pam_handle_t *pamh = NULL;
	int rc;

	rc = pam_start(service, user, &conv, &pamh);
	if (rc == PAM_SUCCESS && *rhost != '\0')
		rc = pam_set_item(pamh, PAM_RHOST, rhost);
	if (rc == PAM_SUCCESS)
		rc = pam_authenticate(pamh, PAM_DISALLOW_NULL_AUTHTOK);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(pamh, PAM_DISALLOW_NULL_AUTHTOK);
	snprintf(reply, size, "%c%s", rc == PAM_SUCCESS ? '1' : '0',
	    pam_strerror(pamh, rc));
	if (pamh != NULL)
		pam_end(pamh, rc);
	return strlen(reply);
}

/* Read one question on fd and answer it. */
static void
answer(int fd, const char *service)
{
	size_t size = 3 * PAM_HELPER_MAX_FIELD;
	char *buf, reply[512];
	const char *user, *password, *rhost, *end;
	ssize_t n;

	if ((buf = calloc(1, size + 1)) == NULL)
		return;
	while ((n = recv(fd, buf, size, 0)) == -1 && errno == EINTR)
		;
	end = n > 0 ? buf + n : buf;
	user = buf;
	password = user + strnlen(user, (size_t)(end - user)) + 1;
	rhost = password < end ?
	    password + strnlen(password, (size_t)(end - password)) + 1 : end;
	if (n <= 0 || rhost >= end || end[-1] != '\0')
		snprintf(reply, sizeof(reply), "0malformed question");
	else
		ask_pam(service, user, password, rhost, reply, sizeof(reply));
	explicit_bzero(buf, size);
	free(buf);
	(void)!send(fd, reply, strlen(reply), MSG_NOSIGNAL);
}

/*
 * Until pid ends, or the plugin stops waiting for its answer; an ended
 * pid is left unreaped, so that its process group's ID stays its own
 * until the group is killed.
 */
static void
await_end(pid_t pid, const sigset_t *chld)
{
	struct timespec now, end, left;
	siginfo_t info;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += PAM_HELPER_TIMEOUT_MS / 1000 + 1;
	for (;;) {
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG |
		    WNOWAIT) == 0 && info.si_pid == pid)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = end.tv_sec - now.tv_sec;
		left.tv_nsec = end.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0)
			return;
		/* any child's end wakes this: a module's orphan is one */
		(void)sigtimedwait(chld, NULL, &left);
	}
}

/* Kill the processes that are now this one's children. */
static void
kill_children(void)
{
	char path[64], list[4096], *p, *end;
	ssize_t n;
	long pid;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/children",
	    (long)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, list, sizeof(list) - 1);
	close(fd);
	list[n > 0 ? n : 0] = '\0';
	for (p = list; (pid = strtol(p, &end, 10)) > 0; p = end)
		kill((pid_t)pid, SIGKILL);
}

/*
 * One question, in a process of its own, which this one outlives: once
 * the answer is given, or once the plugin has stopped waiting for it,
 * whatever the PAM stack still runs is killed.  A backend that never
 * answers (a directory server gone silent, a program a module started
 * that hangs) would otherwise leave processes of root's behind, some for
 * each question, as many as clients can ask.  They are found as the
 * question's process group, and, for those that left it (pam_exec gives
 * its programs a session of their own), as the orphans that come to this
 * process, a subreaper.  PAM runs with SIGCHLD as a program has it, since
 * modules wait for the programs they start.
 */
static void
question(int fd, const char *service)
{
	sigset_t chld, old;
	pid_t pid;

	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((pid = fork()) == -1) {
		static const char no_fork[] = "0the PAM helper cannot fork";

		(void)!send(fd, no_fork, sizeof(no_fork) - 1, MSG_NOSIGNAL);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		answer(fd, service);
		_exit(0);
	}
	close(fd);
	setpgid(pid, pid);	/* whichever runs first */
	await_end(pid, &chld);
	kill(-pid, SIGKILL);
	do
		kill_children();
	while (waitpid(-1, NULL, 0) != -1 || errno == EINTR);
}

void
pam_helper_serve(int ctl, const char *service)
{
	int fd;

	/* OpenVPN's signals are not the helper's: it ends with its socket */
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	/* children reaped by the kernel: none is waited for */
	signal(SIGCHLD, SIG_IGN);
	while ((fd = fdpass_receive(ctl)) != -1) {
		switch (fork()) {
		case -1:
			syslog(LOG_AUTHPRIV | LOG_ERR, "%s: PAM helper: "
			    "cannot fork: %s", PLUGIN_NAME, strerror(errno));
			break;
		case 0:
			close(ctl);
			question(fd, service);
			_exit(0);
		}
		close(fd);
	}
	_exit(0);
}
