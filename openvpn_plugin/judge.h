/*
 * judge.h - the checks of a client's certificate, username and password
 * that may wait on the network: made on OpenVPN's thread when nothing
 * needs the network after all, else on a worker thread.
 *
 * The password step (user_pass.h) and client-connect (client_connect.h)
 * judge alike: the certificate's checks, OCSP included; the username
 * bound to it (bind_user=yes); and the password through PAM when there
 * is one.  Their answers differ: the password step's goes into OpenVPN's
 * answer files (auth_files.h), client-connect's waits in an answer
 * (answer.h) that OpenVPN asks for again.  Both give the answer.
 */
#ifndef OVPN_JUDGE_H
#define OVPN_JUDGE_H

#include "auth_files.h"
#include "client.h"
#include "workers.h"

struct answer;
struct plugin;

struct judge {
	struct job		 job;		/* first: the pool's handle */
	const struct plugin	*plugin;
	const char		*step;		/* "auth" or "client-connect" */
	struct certs		 certs;
	char			*user;
	char			*password;	/* NULL: no password to check */
	int			 token;		/* OpenVPN's token stands for
						 * the password */
	char			 client[128];	/* "ip:port" */
	char			 rhost[64];	/* ip, for PAM */
	struct auth_files	 files;		/* control NULL: none */
	struct answer		*answer;
};

/* For a client of envp, at step; NULL when memory ran out. */
struct judge	*judge_new(const struct plugin *plugin, const char *step,
		    const char *const *envp);
void		 judge_free(struct judge *judge);

/*
 * Judge at once, with no network: ANSWER_ACCEPTED, ANSWER_REFUSED (given
 * to both answers, the user's sentence in the answer files), or
 * ANSWER_PENDING when the checks need the network (or PAM) after all;
 * then nothing is answered.
 */
int		 judge_now(struct judge *judge);

/*
 * Judge on a worker thread, which answers and frees judge.  -1, judge
 * still the caller's, when no thread can run it.
 */
int		 judge_later(struct plugin *plugin, struct judge *judge);

#endif
