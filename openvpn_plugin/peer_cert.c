#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "envp.h"
#include "peer_cert.h"

/* The whole regular file, at most PEER_CERT_MAX_BYTES. */
static int
read_file(const char *path, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open the exported certificate "
		    "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > PEER_CERT_MAX_BYTES) {
		snprintf(err, errlen, "the exported certificate %s is not a "
		    "regular file of at most %d bytes", path,
		    PEER_CERT_MAX_BYTES);
		goto fail;
	}
	if ((buf = malloc(PEER_CERT_MAX_BYTES + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	while ((n = read(fd, buf + len, PEER_CERT_MAX_BYTES - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "cannot read the exported "
			    "certificate %s: %s", path, strerror(errno));
			goto fail;
		}
		len += (size_t)n;
		if (len == PEER_CERT_MAX_BYTES) {
			snprintf(err, errlen, "the exported certificate %s "
			    "grew past %d bytes", path, PEER_CERT_MAX_BYTES);
			goto fail;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

/* The SHA-256 of the certificate in pem, as OpenVPN writes it: hex pairs
 * separated by colons. */
static int
fingerprint(const char *pem, size_t len, char *hex, size_t hexlen)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t datum = { (unsigned char *)pem, (unsigned)len };
	unsigned char digest[32];
	size_t dlen = sizeof(digest);
	int rc;

	if (gnutls_x509_crt_init(&crt) < 0)
		return -1;
	rc = gnutls_x509_crt_import(crt, &datum, GNUTLS_X509_FMT_PEM);
	if (rc >= 0)
		rc = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256,
		    digest, &dlen);
	gnutls_x509_crt_deinit(crt);
	if (rc < 0 || dlen != sizeof(digest) || hexlen < 3 * dlen)
		return -1;
	for (size_t i = 0; i < dlen; i++)
		snprintf(hex + 3 * i, 4, i + 1 < dlen ? "%02x:" : "%02x",
		    digest[i]);
	return 0;
}

int
peer_cert_read(const char *const *envp, int depth, char **pem, size_t *len,
    char *err, size_t errlen)
{
	char name[32], hex[3 * 32 + 1];
	const char *path, *digest;

	*pem = NULL;
	*len = 0;
	if ((path = envp_get(envp, "peer_cert")) == NULL) {
		snprintf(err, errlen, "OpenVPN exported no certificate: set "
		    "tls-export-cert DIR in the server's configuration");
		return -1;
	}
	snprintf(name, sizeof(name), "tls_digest_sha256_%d", depth);
	if ((digest = envp_get(envp, name)) == NULL) {
		snprintf(err, errlen, "OpenVPN gave no %s", name);
		return -1;
	}
	if (read_file(path, pem, len, err, errlen) != 0)
		return -1;
	if (fingerprint(*pem, *len, hex, sizeof(hex)) != 0 ||
	    strcasecmp(hex, digest) != 0) {
		snprintf(err, errlen, "the exported certificate %s is not the "
		    "one OpenSSL verified at depth %d (SHA-256 differs): is "
		    "the tls-export-cert directory writable by others?", path,
		    depth);
		free(*pem);
		*pem = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}
