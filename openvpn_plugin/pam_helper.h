/*
 * pam_helper.h - the password factor, checked by a process forked at open.
 *
 * OpenVPN opens plugins as root and may then drop to an unprivileged user
 * (user/group in its configuration); PAM usually needs root (pam_unix
 * reads /etc/shadow).  As OpenVPN's own auth-pam plugin does, the plugin
 * forks a helper at open, while still root, and asks it over a socket.
 * The helper forks once more per question, so a slow PAM backend delays
 * only the client it is checking; what a question leaves running once
 * the plugin stopped waiting for it is killed.  The helper ends when the
 * plugin closes its socket (at close, or when OpenVPN dies).
 */
#ifndef OVPN_PAM_HELPER_H
#define OVPN_PAM_HELPER_H

#include <stddef.h>

/* Longest answer a PAM stack may take; the client is refused after. */
#define PAM_HELPER_TIMEOUT_MS	30000
/* OpenVPN's own limit on a username or password (USER_PASS_LEN). */
#define PAM_HELPER_MAX_FIELD	4096

struct pam_helper;

/* Fork the helper for this PAM service; NULL with a sentence in err. */
struct pam_helper	*pam_helper_start(const char *service, char *err,
			    size_t errlen);

/*
 * Ask PAM (authenticate, then account management) about user and
 * password, for a client at rhost.  Returns 1 when PAM accepts, 0 when it
 * refuses and -1 when no answer came (helper gone, timeout); detail then
 * says why, for the administrator.  Safe to call from several threads.
 */
int	pam_helper_check(struct pam_helper *helper, const char *user,
	    const char *password, const char *rhost, char *detail,
	    size_t detaillen);

/* Close the socket and reap the helper. */
void	pam_helper_stop(struct pam_helper *helper);

/* The helper process's side: serve questions on fd until it closes. */
void	pam_helper_serve(int fd, const char *service)
	    __attribute__((noreturn));

#endif
