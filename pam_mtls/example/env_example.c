/*
 * env_example.c - how an application that terminated mutual TLS itself (a
 * web gateway, an API server) asks PAM whether the client certificate may
 * log in, with pam_mtls.so source=env in its PAM service.
 *
 * usage: pam_mtls_env_example [-d CONFDIR] [-u USER] [-c CHAIN.pem] [-f]
 *            SERVICE CERT.pem
 *
 * The certificate (PEM, as the TLS library gives the peer's) goes into
 * the PAM environment as MTLS_PEER_CERT before pam_authenticate, or with
 * -f its file name as MTLS_PEER_CERT_FILE; the module never reads the
 * process environment.  Then pam_acct_mgmt, as
 * every application must call after authenticating: it verifies the
 * certificate again, now.  What the user would be shown (PAM_ERROR_MSG)
 * is printed as "message: ...", each PAM result as "authenticate:" or
 * "account:" with its name.  With -d, the service file is read from
 * CONFDIR instead of /etc/pam.d (pam_start_confdir, Linux-PAM 1.4).
 *
 * Exit status: 0 when both steps succeed, 1 when one fails, 2 on a usage
 * or input error.
 */
#define _GNU_SOURCE	/* pam_start_confdir, asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_appl.h>

static const char *
result_name(int rc)
{
	switch (rc) {
	case PAM_SUCCESS:		return "PAM_SUCCESS";
	case PAM_AUTH_ERR:		return "PAM_AUTH_ERR";
	case PAM_USER_UNKNOWN:		return "PAM_USER_UNKNOWN";
	case PAM_AUTHINFO_UNAVAIL:	return "PAM_AUTHINFO_UNAVAIL";
	case PAM_MAXTRIES:		return "PAM_MAXTRIES";
	case PAM_SERVICE_ERR:		return "PAM_SERVICE_ERR";
	case PAM_SYSTEM_ERR:		return "PAM_SYSTEM_ERR";
	case PAM_PERM_DENIED:		return "PAM_PERM_DENIED";
	case PAM_BUF_ERR:		return "PAM_BUF_ERR";
	case PAM_CONV_ERR:		return "PAM_CONV_ERR";
	default:			return "other";
	}
}

/*
 * The conversation: there is nobody to type anything, so prompts get no
 * answer; messages are what a web gateway would put in its error page.
 */
static int
converse(int n, const struct pam_message **msg, struct pam_response **resp,
    void *arg)
{
	int i;

	(void)arg;
	*resp = NULL;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			printf("message: %s\n", msg[i]->msg);
			break;
		default:
			return PAM_CONV_ERR;
		}
	}
	return PAM_SUCCESS;
}

/* The whole file as a string, as "NAME=<contents>" for pam_putenv. */
static char *
read_env_entry(const char *name, const char *path)
{
	FILE *f = fopen(path, "r");
	char *entry = NULL;
	size_t size = 0;
	FILE *out;
	int c;

	if (f == NULL) {
		perror(path);
		return NULL;
	}
	if ((out = open_memstream(&entry, &size)) == NULL) {
		fclose(f);
		return NULL;
	}
	fprintf(out, "%s=", name);
	while ((c = getc(f)) != EOF)
		putc(c, out);
	fclose(f);
	if (fclose(out) != 0) {
		free(entry);
		return NULL;
	}
	return entry;
}

static int
put_file(pam_handle_t *pamh, const char *name, const char *path)
{
	char *entry = read_env_entry(name, path);
	int rc;

	if (entry == NULL)
		return -1;
	rc = pam_putenv(pamh, entry);
	free(entry);
	return rc == PAM_SUCCESS ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pam_mtls_env_example [-d CONFDIR] [-u USER] "
	    "[-c CHAIN.pem] [-f] SERVICE CERT.pem\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const char *exported[] = { "MTLS_USER", "MTLS_SUBJECT",
	    "MTLS_ISSUER", "MTLS_SERIAL", "MTLS_FINGERPRINT_SHA256",
	    "MTLS_PROFILE", NULL };
	const char *confdir = NULL, *user = NULL, *chain = NULL, *value;
	char *by_name = NULL;
	int as_file = 0;
	struct pam_conv conv = { converse, NULL };
	pam_handle_t *pamh = NULL;
	const void *item;
	int ch, rc;

	while ((ch = getopt(argc, argv, "d:u:c:f")) != -1) {
		switch (ch) {
		case 'd': confdir = optarg; break;
		case 'u': user = optarg; break;
		case 'c': chain = optarg; break;
		case 'f': as_file = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	if ((rc = pam_start_confdir(argv[optind], user, &conv, confdir,
	    &pamh)) != PAM_SUCCESS) {
		fprintf(stderr, "pam_start: %s\n", pam_strerror(pamh, rc));
		return 2;
	}
	if (as_file) {
		/* The module reads the file itself, as root if need be. */
		if (asprintf(&by_name, "MTLS_PEER_CERT_FILE=%s",
		    argv[optind + 1]) == -1 || pam_putenv(pamh, by_name) !=
		    PAM_SUCCESS) {
			pam_end(pamh, PAM_BUF_ERR);
			return 2;
		}
		free(by_name);
	} else if (put_file(pamh, "MTLS_PEER_CERT", argv[optind + 1]) == -1) {
		pam_end(pamh, PAM_BUF_ERR);
		return 2;
	}
	if (chain != NULL && put_file(pamh, "MTLS_PEER_CHAIN", chain) == -1) {
		pam_end(pamh, PAM_BUF_ERR);
		return 2;
	}

	rc = pam_authenticate(pamh, 0);
	printf("authenticate: %s (%s)\n", result_name(rc),
	    pam_strerror(pamh, rc));
	if (rc == PAM_SUCCESS) {
		rc = pam_acct_mgmt(pamh, 0);
		printf("account: %s (%s)\n", result_name(rc),
		    pam_strerror(pamh, rc));
	}
	if (rc == PAM_SUCCESS) {
		/* Without -u, the certificate named the user. */
		if (pam_get_item(pamh, PAM_USER, &item) == PAM_SUCCESS &&
		    item != NULL)
			printf("user: %s\n", (const char *)item);
		for (ch = 0; exported[ch] != NULL; ch++) {
			value = pam_getenv(pamh, exported[ch]);
			printf("%s=%s\n", exported[ch], value != NULL ? value :
			    "");
		}
	}
	pam_end(pamh, rc);
	return rc == PAM_SUCCESS ? 0 : 1;
}
