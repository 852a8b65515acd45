#include "args.h"

#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "message.h"

/* The value of "key=value" when arg starts with key=, else NULL. */
static const char *
value_of(const char *arg, const char *key)
{
	size_t len = strlen(key);

	if (strncmp(arg, key, len) == 0 && arg[len] == '=')
		return arg + len + 1;
	return NULL;
}

/* Store a string argument once; an empty or repeated one is an error. */
static int
set_once(pam_handle_t *pamh, const char *arg, const char *value,
    const char **slot)
{
	if (*value == '\0') {
		pam_syslog(pamh, LOG_ERR, "argument \"%s\" has an empty value",
		    arg);
		return PAM_SERVICE_ERR;
	}
	if (*slot != NULL) {
		pam_syslog(pamh, LOG_ERR, "argument \"%s\" is given twice",
		    arg);
		return PAM_SERVICE_ERR;
	}
	*slot = value;
	return PAM_SUCCESS;
}

/*
 * The configuration is named by its absolute path: a relative one would
 * be found from the caller's working directory, which the user of a
 * setuid caller (su, sudo) chooses.
 */
static int
set_config(pam_handle_t *pamh, const char *arg, const char *value,
    const char **slot)
{
	int rc;

	if ((rc = set_once(pamh, arg, value, slot)) != PAM_SUCCESS)
		return rc;
	if (*value != '/') {
		pam_syslog(pamh, LOG_ERR, "argument \"%s\": the configuration "
		    "is named by its absolute path, such as config=%s", arg,
		    MTLS_CONFIG_FILE);
		return PAM_SERVICE_ERR;
	}
	return PAM_SUCCESS;
}

static int
set_source(pam_handle_t *pamh, const char *arg, const char *value,
    int *seen, struct pam_mtls_args *args)
{
	if (*seen) {
		pam_syslog(pamh, LOG_ERR, "argument \"%s\" is given twice",
		    arg);
		return PAM_SERVICE_ERR;
	}
	*seen = 1;
	if (strcmp(value, "pkcs11") == 0)
		args->source = PAM_MTLS_SOURCE_PKCS11;
	else if (strcmp(value, "env") == 0)
		args->source = PAM_MTLS_SOURCE_ENV;
	else {
		pam_syslog(pamh, LOG_ERR, "argument \"%s\": the source is "
		    "\"pkcs11\" or \"env\"", arg);
		return PAM_SERVICE_ERR;
	}
	return PAM_SUCCESS;
}

int
args_parse(pam_handle_t *pamh, int argc, const char **argv,
    struct pam_mtls_args *args)
{
	const char *value;
	int i, rc, source_seen = 0;

	memset(args, 0, sizeof(*args));
	args->source = PAM_MTLS_SOURCE_PKCS11;
	for (i = 0; i < argc; i++) {
		if ((value = value_of(argv[i], "config")) != NULL)
			rc = set_config(pamh, argv[i], value, &args->config);
		else if ((value = value_of(argv[i], "profile")) != NULL)
			rc = set_once(pamh, argv[i], value, &args->profile);
		else if ((value = value_of(argv[i], "source")) != NULL)
			rc = set_source(pamh, argv[i], value, &source_seen,
			    args);
		else if (strcmp(argv[i], "debug") == 0) {
			args->debug = 1;
			rc = PAM_SUCCESS;
		} else {
			pam_syslog(pamh, LOG_ERR, "unknown argument \"%s\"; "
			    "known: config=FILE profile=NAME "
			    "source=pkcs11|env debug", argv[i]);
			rc = PAM_SERVICE_ERR;
		}
		if (rc != PAM_SUCCESS) {
			message_not_set_up(pamh);
			return rc;
		}
	}
	if (args->config == NULL)
		args->config = MTLS_CONFIG_FILE;
	return PAM_SUCCESS;
}
