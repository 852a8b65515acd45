/*
 * testhttp.h - small HTTP servers for tests of code that fetches.
 *
 * A server is a child process listening on 127.0.0.1 on a free port; for
 * each connection it reads the request and lets a handler of the test
 * write the answer, however wrong the test wants it.  It dies with the
 * test (PR_SET_PDEATHSIG) and is stopped by its PID.  Failures to set up
 * abort the test program.
 */
#ifndef MTLS_TESTHTTP_H
#define MTLS_TESTHTTP_H

#include <stddef.h>
#include <sys/types.h>

struct testhttp {
	pid_t pid;		/* 0 when nothing runs */
	int port;
	char url[64];		/* http://127.0.0.1:port/ */
};

/*
 * Runs in the server for each request: request is its head and body,
 * NUL-terminated; the answer goes to fd, which is closed afterwards.
 */
typedef void testhttp_handler(int fd, const char *request, void *arg);

/* Listen on a free port; srv->url is ready when this returns. */
void testhttp_start(struct testhttp *srv, testhttp_handler *handler,
    void *arg);
/* Kill the server and reap it; nothing happens if none runs. */
void testhttp_stop(struct testhttp *srv);

/* A loopback port nothing listens on (until someone is started there). */
int testhttp_free_port(void);
/* Set srv's port and url without starting anything. */
void testhttp_url(struct testhttp *srv, int port);

/*
 * An HTTP/1.0 answer with Content-Length.  headers: "" or more header
 * lines, each ending in "\r\n".
 */
void testhttp_reply(int fd, const char *status, const char *headers,
    const void *body, size_t len);
/* Reads the request and never answers: only a deadline ends it. */
testhttp_handler testhttp_answer_never;
/* 200 without Content-Length, then megabytes: only a cap stops it. */
testhttp_handler testhttp_answer_endlessly;

/* Write everything, or stop quietly when the client went away. */
void testhttp_write(int fd, const void *data, size_t len);

/*
 * Move the test into a network namespace of its own with only loopback
 * up, for servers that listen on every interface (openssl ocsp).  Root
 * gets one directly; anyone else becomes root of a user namespace first.
 */
void testhttp_private_network(void);

#endif /* MTLS_TESTHTTP_H */
