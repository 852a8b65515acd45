/*
 * auth_files.h - answering a deferred AUTH_USER_PASS_VERIFY.
 *
 * OpenVPN names two files in the call's env: auth_control_file, where the
 * answer goes ('1' accepted, '0' refused), and auth_failed_reason_file,
 * whose text reaches the client as "AUTH_FAILED,<text>".  The reason is
 * written first, so that it is there when OpenVPN sees the '0'.  OpenVPN
 * makes both files for the call and removes them when it is done with the
 * client: the plugin writes into them, and makes neither.
 */
#ifndef OVPN_AUTH_FILES_H
#define OVPN_AUTH_FILES_H

struct logger;

struct auth_files {
	char	*control;	/* auth_control_file */
	char	*reason;	/* auth_failed_reason_file, or NULL */
};

/* Copy both names from envp; -1 when OpenVPN gave no auth_control_file
 * or memory ran out. */
int	auth_files_copy(struct auth_files *files, const char *const *envp);
void	auth_files_free(struct auth_files *files);

/*
 * The answer: accepted, or refused with reason (one line for the user,
 * or NULL).  Failures to write are logged; OpenVPN then refuses the
 * client when its hand-window ends.
 */
void	auth_files_answer(const struct auth_files *files, int accepted,
	    const char *reason, const struct logger *log);

#endif
