/*
 * The address mtls serve listens on: a numeric IPv4 or IPv6 address and a
 * port, or a Unix socket.  Numeric only: a name that resolves differently
 * tomorrow has no place between a web server and its authorizer.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <netinet/in.h>

#include "serve.h"

/* Enough for the connections nginx's upstream keep-alive holds. */
#define LISTEN_BACKLOG	128

static int
listen_unix(const char *path, mode_t mode, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path[0] != '/' || strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "unix:%s: the socket path must be "
		    "absolute and shorter than %zu bytes", path,
		    sizeof(sun.sun_path));
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	/* A socket left by an earlier run is replaced; anything else at
	 * that path is not ours to remove. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "unix:%s exists and is not a "
			    "socket; remove it or choose another path", path);
			return -1;
		}
		if (unlink(path) != 0) {
			snprintf(err, errlen, "unix:%s: cannot remove the old "
			    "socket: %s", path, strerror(errno));
			return -1;
		}
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		snprintf(err, errlen, "unix:%s: cannot bind: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	/* The mode asked for, whatever the umask: by default whoever may
	 * reach the directory may ask, the web server's user must; the
	 * service narrows it to the web server's group. */
	if (chmod(path, mode) != 0) {
		snprintf(err, errlen, "unix:%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static int
listen_inet(const char *addr, char *err, size_t errlen)
{
	struct addrinfo hints, *ai;
	char host[INET6_ADDRSTRLEN + 2];
	const char *start, *port, *colon;
	size_t hostlen;
	int fd, error, on = 1;

	/* "[v6]:port" or "v4:port" */
	if (addr[0] == '[') {
		colon = strstr(addr, "]:");
		start = addr + 1;
		hostlen = colon != NULL ? (size_t)(colon - start) : 0;
		port = colon != NULL ? colon + 2 : NULL;
	} else {
		colon = strrchr(addr, ':');
		start = addr;
		hostlen = colon != NULL ? (size_t)(colon - addr) : 0;
		port = colon != NULL ? colon + 1 : NULL;
		/* an IPv6 address needs its brackets */
		if (colon != NULL && memchr(addr, ':', hostlen) != NULL)
			hostlen = 0;
	}
	if (port == NULL || *port == '\0' || hostlen == 0 ||
	    hostlen >= sizeof(host)) {
		snprintf(err, errlen, "'%s' is not an address to listen on: "
		    "give 127.0.0.1:PORT, [::1]:PORT or unix:/path", addr);
		return -1;
	}
	memcpy(host, start, hostlen);
	host[hostlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((error = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(err, errlen, "%s port %s: %s (a numeric address and "
		    "port are needed)", host, port, gai_strerror(error));
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		snprintf(err, errlen, "%s port %s: cannot bind: %s", host,
		    port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int
serve_listen(const char *addr, mode_t unix_mode, const char **unix_path,
    char *err, size_t errlen)
{
	int fd;

	*unix_path = NULL;
	if (strncmp(addr, "unix:", 5) == 0) {
		if ((fd = listen_unix(addr + 5, unix_mode, err,
		    errlen)) != -1)
			*unix_path = addr + 5;
	} else
		fd = listen_inet(addr, err, errlen);
	if (fd != -1 && listen(fd, LISTEN_BACKLOG) != 0) {
		snprintf(err, errlen, "%s: cannot listen: %s", addr,
		    strerror(errno));
		close(fd);
		if (*unix_path != NULL)
			unlink(*unix_path);
		*unix_path = NULL;
		return -1;
	}
	return fd;
}
