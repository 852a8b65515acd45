/*
 * noop.c - the entry points a certificate has nothing to do in, present
 * so that a stack naming the module in any of them works as documented.
 */
#include <security/pam_modules.h>

/* A certificate is not changed through PAM: its CA issues a new one. */
int
pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_IGNORE;
}

int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

/* Nothing was opened, so nothing is closed. */
int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	return pam_sm_open_session(pamh, flags, argc, argv);
}
