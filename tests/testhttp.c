#define _GNU_SOURCE		/* unshare(), strcasestr() */
#include "testhttp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Requests of the code under test are small; the rest is not read. */
#define REQUEST_MAX 16384

static void
die(const char *what)
{
	fprintf(stderr, "testhttp: %s: %s\n", what, strerror(errno));
	abort();
}

static int
listen_loopback(int port)
{
	struct sockaddr_in sa;
	int one = 1, fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 16) != 0)
		die("listen on 127.0.0.1");
	return fd;
}

static int
port_of(int fd)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &salen) != 0)
		die("getsockname");
	return ntohs(sa.sin_port);
}

int
testhttp_free_port(void)
{
	int fd = listen_loopback(0), port = port_of(fd);

	close(fd);
	return port;
}

void
testhttp_url(struct testhttp *srv, int port)
{
	srv->pid = 0;
	srv->port = port;
	snprintf(srv->url, sizeof(srv->url), "http://127.0.0.1:%d/", port);
}

/* The head, and as much of the body as Content-Length announces. */
static void
read_request(int fd, char *buf, size_t size)
{
	size_t got = 0, want = 0;
	const char *end, *cl;

	buf[0] = '\0';
	while (got < size - 1) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n <= 0)
			return;
		got += (size_t)n;
		buf[got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		if (want == 0) {
			want = (size_t)(end + 4 - buf);
			if ((cl = strcasestr(buf, "\r\ncontent-length:")) !=
			    NULL && cl < end)
				want += strtoul(cl + 17, NULL, 10);
		}
		if (got >= want)
			return;
	}
}

static void
serve(int ls, testhttp_handler *handler, void *arg)
{
	char request[REQUEST_MAX];
	int fd;

	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		if ((fd = accept(ls, NULL, NULL)) < 0)
			continue;
		read_request(fd, request, sizeof(request));
		handler(fd, request, arg);
		close(fd);
	}
}

void
testhttp_start(struct testhttp *srv, testhttp_handler *handler, void *arg)
{
	int ls = listen_loopback(0);

	testhttp_url(srv, port_of(ls));
	if ((srv->pid = fork()) < 0)
		die("fork");
	if (srv->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		serve(ls, handler, arg);
		_exit(0);
	}
	close(ls);
}

void
testhttp_stop(struct testhttp *srv)
{
	if (srv->pid <= 0)
		return;
	kill(srv->pid, SIGKILL);
	waitpid(srv->pid, NULL, 0);
	srv->pid = 0;
}

void
testhttp_write(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

void
testhttp_reply(int fd, const char *status, const char *headers,
    const void *body, size_t len)
{
	char head[1024];

	snprintf(head, sizeof(head), "HTTP/1.0 %s\r\n%sContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", status, headers, len);
	testhttp_write(fd, head, strlen(head));
	testhttp_write(fd, body, len);
}

void
testhttp_answer_never(int fd, const char *request, void *arg)
{
	(void)fd;
	(void)request;
	(void)arg;
	sleep(60);
}

void
testhttp_answer_endlessly(int fd, const char *request, void *arg)
{
	static const char head[] = "HTTP/1.0 200 OK\r\n\r\n";
	char chunk[4096];

	(void)request;
	(void)arg;
	memset(chunk, 'x', sizeof(chunk));
	testhttp_write(fd, head, sizeof(head) - 1);
	for (int i = 0; i < 1024; i++)
		testhttp_write(fd, chunk, sizeof(chunk));
}

static void
write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		die(path);
	close(fd);
}

void
testhttp_private_network(void)
{
	struct ifreq ifr;
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int fd;

	if (unshare(CLONE_NEWNET) != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
			die("no network namespace (run as root)");
		write_proc("/proc/self/setgroups", "deny");
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
		write_proc("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
		write_proc("/proc/self/gid_map", map);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    ioctl(fd, SIOCGIFFLAGS, &ifr) != 0)
		die("read the flags of lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
		die("bring lo up");
	close(fd);
}
