/*
 * args.h - the arguments of the plugin line in OpenVPN's configuration:
 *
 *   plugin openvpn-plugin-mtls.so config=FILE profile=NAME
 *       [pam_service=NAME] [bind_user=yes|no] [workers=N]
 */
#ifndef OVPN_ARGS_H
#define OVPN_ARGS_H

#include <stddef.h>

/* a thread per check that waits: 50 clients at once against a slow OCSP
 * responder wait in parallel (workers.h) */
#define ARGS_WORKERS_DEFAULT	64
#define ARGS_WORKERS_MAX	256

struct plugin_args {
	char		*config;	/* mtls.conf(5) file */
	char		*profile;	/* its profile, or NULL: top level */
	char		*pam_service;	/* password factor, or NULL: none */
	int		 bind_user;	/* the username must be the mapped user */
	unsigned	 workers;	/* most deferred checks at once */
};

/*
 * Parse argv[1..] (argv[0] is the plugin's path).  On error, returns -1
 * with a sentence naming the bad argument in err.
 */
int	args_parse(struct plugin_args *args, const char *const *argv,
	    char *err, size_t errlen);
void	args_free(struct plugin_args *args);

/*
 * Whether OpenVPN must ask clients for a username and password: only
 * when something checks them.  Without, every check runs at TLS_VERIFY.
 */
int	args_need_user_pass(const struct plugin_args *args);

#endif
