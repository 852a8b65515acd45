#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mtls.h>

#include "answer.h"
#include "check.h"
#include "envp.h"
#include "judge.h"
#include "pam_helper.h"
#include "plugin.h"

/* What the person at the VPN client reads after AUTH_FAILED. */
#define MSG_PASSWORD	"Wrong username or password."
#define MSG_PAM_DOWN	"Your password could not be checked; try again " \
			"later or ask your administrator."
#define MSG_RESTART	"The VPN server is restarting; connect again."

static const char *
or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

struct judge *
judge_new(const struct plugin *plugin, const char *step,
    const char *const *envp)
{
	struct judge *j;
	const char *ip;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->answer = answer_new()) == NULL) {
		free(j);
		return NULL;
	}
	j->plugin = plugin;
	j->step = step;
	envp_client_address(envp, j->client, sizeof(j->client));
	if ((ip = envp_get(envp, "untrusted_ip")) != NULL ||
	    (ip = envp_get(envp, "untrusted_ip6")) != NULL)
		snprintf(j->rhost, sizeof(j->rhost), "%s", ip);
	return j;
}

void
judge_free(struct judge *j)
{
	certs_clear(&j->certs);
	free(j->user);
	if (j->password != NULL) {
		explicit_bzero(j->password, strlen(j->password));
		free(j->password);
	}
	auth_files_free(&j->files);
	answer_release(j->answer);
	free(j);
}

/* The password factor; 1 accepted, else the user's sentence in *msg. */
static int
check_password(const struct judge *j, const struct logger *log,
    const char **msg)
{
	char detail[256];
	int rc;

	rc = pam_helper_check(j->plugin->pam, j->user, j->password,
	    j->rhost, detail, sizeof(detail));
	if (rc == 1)
		return 1;
	logf_line(log, 1, "client %s user \"%s\": password refused by PAM "
	    "service %s: %s", j->client, j->user,
	    j->plugin->args.pam_service, detail);
	*msg = rc == 0 ? MSG_PASSWORD : MSG_PAM_DOWN;
	return 0;
}

/*
 * The checks: ANSWER_ACCEPTED, ANSWER_REFUSED with the user's sentence in
 * msg; offline, ANSWER_PENDING when they need the network after all.
 */
static int
decide(const struct judge *j, int offline, const struct logger *log,
    char *msg, size_t msglen)
{
	const struct plugin *p = j->plugin;
	struct mtls_verdict *verdict;
	struct check check;
	const char *why;
	int ok;

	check.certs = &j->certs;
	check.user = p->args.bind_user ? j->user : NULL;
	check.client = j->client;
	check.step = j->step;
	check.offline = offline;
	verdict = check_certs(p->mtls, &check, log);
	ok = mtls_verdict_accepted(verdict) ? ANSWER_ACCEPTED :
	    ANSWER_REFUSED;
	why = mtls_verdict_user_message(verdict);
	if (ok == ANSWER_REFUSED && offline &&
	    mtls_verdict_network_owed(verdict))
		ok = ANSWER_PENDING;
	/* a token OpenVPN verified stands for the password it was given
	 * for, as it does without external-auth */
	if (ok == ANSWER_ACCEPTED && j->password != NULL)
		ok = check_password(j, log, &why);
	/* the verdict's, freed below */
	snprintf(msg, msglen, "%s", why);
	if (ok == ANSWER_ACCEPTED)
		logf_line(log, 0, "client %s user \"%s\" accepted%s: "
		    "certificate %s, SHA-256 %s%s", j->client, j->user,
		    strcmp(j->step, "auth") != 0 ? " at client-connect" : "",
		    or_dash(mtls_verdict_subject(verdict)),
		    or_dash(mtls_verdict_fingerprint(verdict)), j->token ?
		    " (password: OpenVPN's auth-gen-token)" : "");
	else if (ok == ANSWER_REFUSED && j->files.control == NULL)
		logf_line(log, 1, "client %s user \"%s\" refused at %s (its "
		    "reason is in the audit line above; OpenVPN gives the "
		    "client no sentence at this step)", j->client, j->user,
		    j->step);
	mtls_verdict_free(verdict);
	return ok;
}

/* Give the answer to whoever waits for it: the answer files (and the
 * answer) of the password step, the answer of client-connect.  The
 * answer first: OpenVPN may ask for what follows the file at once. */
static void
give(const struct judge *j, int ok, const char *msg,
    const struct logger *log)
{
	answer_give(j->answer, ok == ANSWER_ACCEPTED);
	if (j->files.control != NULL)
		auth_files_answer(&j->files, ok == ANSWER_ACCEPTED,
		    ok == ANSWER_ACCEPTED ? NULL : msg, log);
}

int
judge_now(struct judge *j)
{
	char msg[512];
	int ok;

	ok = decide(j, 1, &j->plugin->log, msg, sizeof(msg));
	if (ok != ANSWER_PENDING)
		give(j, ok, msg, &j->plugin->log);
	return ok;
}

static void
run(struct job *job, int stopping)
{
	struct judge *j = (struct judge *)job;
	struct logger log = { NULL };
	char msg[512] = MSG_RESTART;
	int ok = ANSWER_REFUSED;

	if (!stopping)
		ok = decide(j, 0, &log, msg, sizeof(msg));
	give(j, ok, msg, &log);
	judge_free(j);
}

int
judge_later(struct plugin *plugin, struct judge *j)
{
	unsigned running;

	if (plugin->workers == NULL &&
	    (plugin->workers = workers_new(plugin->args.workers)) == NULL)
		return -1;
	j->job.run = run;
	/* once queued, j is the pool's: it may be gone at return */
	switch (workers_submit(plugin->workers, &j->job, &running)) {
	case -1:
		logf_line(&plugin->log, 1, "client %s refused: cannot start "
		    "a worker thread (is OpenVPN's process limit too low?)",
		    j->client);
		return -1;
	case WORKERS_SHORT:
		logf_line(&plugin->log, 1, "cannot start worker thread %u of "
		    "%u (OpenVPN's process limit, LimitNPROC in its systemd "
		    "unit?): clients whose checks wait on the network now "
		    "wait for each other", running + 1,
		    plugin->args.workers);
		break;
	}
	return 0;
}
