#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
set_string(char **slot, const char *key, const char *value, char *err,
    size_t errlen)
{
	if (*slot != NULL) {
		snprintf(err, errlen, "argument %s= is given twice", key);
		return -1;
	}
	if (*value == '\0') {
		snprintf(err, errlen, "argument %s= has no value", key);
		return -1;
	}
	if ((*slot = strdup(value)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
set_yes_no(int *slot, int *seen, const char *key, const char *value,
    char *err, size_t errlen)
{
	if (*seen) {
		snprintf(err, errlen, "argument %s= is given twice", key);
		return -1;
	}
	*seen = 1;
	if (strcmp(value, "yes") == 0)
		*slot = 1;
	else if (strcmp(value, "no") == 0)
		*slot = 0;
	else {
		snprintf(err, errlen, "argument %s= must be yes or no, not "
		    "\"%.64s\"", key, value);
		return -1;
	}
	return 0;
}

static int
set_count(unsigned *slot, int *seen, const char *key, const char *value,
    unsigned max, char *err, size_t errlen)
{
	char *end;
	unsigned long n;

	if (*seen) {
		snprintf(err, errlen, "argument %s= is given twice", key);
		return -1;
	}
	*seen = 1;
	n = strtoul(value, &end, 10);
	if (*value < '0' || *value > '9' || *end != '\0' || n < 1 ||
	    n > max) {
		snprintf(err, errlen, "argument %s= must be a number from 1 "
		    "to %u, not \"%.64s\"", key, max, value);
		return -1;
	}
	*slot = (unsigned)n;
	return 0;
}

int
args_parse(struct plugin_args *args, const char *const *argv, char *err,
    size_t errlen)
{
	int seen_bind = 0, seen_workers = 0;

	memset(args, 0, sizeof(*args));
	args->bind_user = 1;
	args->workers = ARGS_WORKERS_DEFAULT;
	for (size_t i = 1; argv != NULL && argv[i] != NULL; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t klen = eq != NULL ? (size_t)(eq - argv[i]) : 0;
		const char *value = eq != NULL ? eq + 1 : NULL;
		int rc;

#define KEY(name) (klen == sizeof(name) - 1 && \
	    strncmp(argv[i], name, klen) == 0)
		if (eq == NULL) {
			snprintf(err, errlen, "argument \"%.64s\" is not "
			    "key=value (known keys: config, profile, "
			    "pam_service, bind_user, workers)", argv[i]);
			rc = -1;
		} else if (KEY("config"))
			rc = set_string(&args->config, "config", value, err,
			    errlen);
		else if (KEY("profile"))
			rc = set_string(&args->profile, "profile", value, err,
			    errlen);
		else if (KEY("pam_service"))
			rc = set_string(&args->pam_service, "pam_service",
			    value, err, errlen);
		else if (KEY("bind_user"))
			rc = set_yes_no(&args->bind_user, &seen_bind,
			    "bind_user", value, err, errlen);
		else if (KEY("workers"))
			rc = set_count(&args->workers, &seen_workers,
			    "workers", value, ARGS_WORKERS_MAX, err, errlen);
		else {
			snprintf(err, errlen, "unknown argument \"%.*s\" "
			    "(known: config, profile, pam_service, bind_user, "
			    "workers)", (int)(klen > 64 ? 64 : klen), argv[i]);
			rc = -1;
		}
#undef KEY
		if (rc != 0) {
			args_free(args);
			return -1;
		}
	}
	if (args->config == NULL &&
	    (args->config = strdup(MTLS_CONFIG_FILE)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void
args_free(struct plugin_args *args)
{
	free(args->config);
	free(args->profile);
	free(args->pam_service);
	memset(args, 0, sizeof(*args));
}

int
args_need_user_pass(const struct plugin_args *args)
{
	return args->bind_user || args->pam_service != NULL;
}
