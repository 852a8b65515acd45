/*
 * pam_process.c - the PAM helper process: one fork per question, which
 * runs the PAM stack and answers on the question's own socket.
 */
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
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
			/* modules wait for the programs they start
			 * (pam_exec): SIGCHLD as a program has it */
			signal(SIGCHLD, SIG_DFL);
			answer(fd, service);
			_exit(0);
		}
		close(fd);
	}
	_exit(0);
}
