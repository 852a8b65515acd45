#include "env_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include "message.h"

#define UNUSABLE	"The certificate your connection presented could " \
			"not be read; try again or ask your administrator."

/* A PAM environment variable's value, or NULL when it is unset or empty. */
static const char *
pam_env(pam_handle_t *pamh, const char *name)
{
	const char *value = pam_getenv(pamh, name);

	return value != NULL && *value != '\0' ? value : NULL;
}

static int
take_text(pam_handle_t *pamh, const char *name, const char *value,
    unsigned char **field, size_t *field_len)
{
	size_t len = strlen(value);

	if (len > PEER_MAX_BYTES) {
		pam_syslog(pamh, LOG_WARNING, "%s holds %zu bytes, more than "
		    "the %d a certificate and its chain may take; refused",
		    name, len, PEER_MAX_BYTES);
		message_error(pamh, UNUSABLE);
		return PAM_AUTH_ERR;
	}
	if (peer_set(field, field_len, value, len) == -1)
		return PAM_BUF_ERR;
	return PAM_SUCCESS;
}

/* Log why the named file cannot be used, and tell the user. */
static int
file_refused(pam_handle_t *pamh, const char *path, const char *why)
{
	pam_syslog(pamh, LOG_WARNING, "MTLS_PEER_CERT_FILE \"%s\": %s; "
	    "refused", path, why);
	message_error(pamh, UNUSABLE);
	return PAM_AUTH_ERR;
}

/*
 * Read a file the application named: a regular file, opened without
 * following a last symbolic link or blocking on a FIFO, and bounded.  The
 * buffer is on the heap: applications call PAM from threads with small
 * stacks.
 */
static int
take_file(pam_handle_t *pamh, const char *path, struct peer *peer)
{
	unsigned char *buf;
	struct stat st;
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return file_refused(pamh, path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return file_refused(pamh, path, "not a regular file");
	}
	if ((buf = malloc(PEER_MAX_BYTES + 1)) == NULL) {
		close(fd);
		return PAM_BUF_ERR;
	}
	while (len <= PEER_MAX_BYTES && (n = read(fd, buf + len,
	    PEER_MAX_BYTES + 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			close(fd);
			return file_refused(pamh, path, strerror(errno));
		}
		len += (size_t)n;
	}
	close(fd);
	if (len > PEER_MAX_BYTES) {
		free(buf);
		return file_refused(pamh, path, "larger than a certificate "
		    "and its chain may be");
	}
	peer->cert = buf;
	peer->cert_len = len;
	return PAM_SUCCESS;
}

int
env_source_get(pam_handle_t *pamh, struct peer *peer)
{
	const char *text = pam_env(pamh, "MTLS_PEER_CERT");
	const char *chain = pam_env(pamh, "MTLS_PEER_CHAIN");
	const char *file = pam_env(pamh, "MTLS_PEER_CERT_FILE");
	int rc;

	memset(peer, 0, sizeof(*peer));
	if (text != NULL && file != NULL) {
		pam_syslog(pamh, LOG_WARNING, "the application set both "
		    "MTLS_PEER_CERT and MTLS_PEER_CERT_FILE; refused, since "
		    "it is unclear which certificate it verified");
		message_error(pamh, UNUSABLE);
		return PAM_AUTH_ERR;
	}
	if (text == NULL && file == NULL) {
		pam_syslog(pamh, LOG_NOTICE, "the application put no "
		    "certificate into the PAM environment (MTLS_PEER_CERT or "
		    "MTLS_PEER_CERT_FILE)");
		message_error(pamh, "Your connection presented no client "
		    "certificate; connect with your certificate.");
		return PAM_AUTHINFO_UNAVAIL;
	}
	if (text != NULL)
		rc = take_text(pamh, "MTLS_PEER_CERT", text, &peer->cert,
		    &peer->cert_len);
	else
		rc = take_file(pamh, file, peer);
	if (rc == PAM_SUCCESS && chain != NULL)
		rc = take_text(pamh, "MTLS_PEER_CHAIN", chain, &peer->chain,
		    &peer->chain_len);
	if (rc != PAM_SUCCESS)
		peer_clear(peer);
	return rc;
}
