/*
 * serve.h - mtls serve: the verify call behind a web server's
 * sub-request (nginx auth_request).
 *
 * Kept in layers that know nothing of each other's insides:
 *   serve_check   what one request asks and what it is answered, whatever
 *                 framing carried it (HTTP now; FastCGI for Apache's
 *                 mod_authnz_fcgi would be a second framing over it);
 *   serve_decode  the certificate it carries, decoded;
 *   serve_local   memory each thread keeps of its own between requests;
 *   serve_audit   where its audit line goes;
 *   serve_audit_repeats  the same verdict again, counted, not written;
 *   serve_pool    a bounded pool of worker threads that run the checks
 *                 that need the network, so that a slow revocation lookup
 *                 holds one worker, never the connections of others;
 *   serve_http    the HTTP framing, on libmicrohttpd, which decides
 *                 offline itself and hands the pool only what the
 *                 network must settle;
 *   serve_response  the HTTP response of an answer, given again;
 *   serve_listen  the address it listens on;
 *   serve_cmd     the command: options, signals, reload.
 */
#ifndef MTLS_CLI_SERVE_H
#define MTLS_CLI_SERVE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct mtls_ctx;

/*
 * One request, as the web server passes it on: its strings (NULL when
 * absent) belong to the framing, which keeps them until the answer is
 * given.
 */
struct serve_query {
	const char *cert;	/* X-Client-Cert: percent-encoded or plain PEM */
	const char *claimed_user; /* X-Mtls-Claimed-User: the user asked for */
	const char *client;	/* X-Client-Addr: the client's address */
	const char *uri;	/* X-Original-URI: what the client asked for */
};

/* The answer, which the framing turns into its own kind of reply. */
struct serve_answer {
	int status;		/* 200, 401, 403, or 503 while stopping */
	const char *reason;	/* "ok", a reason code, or "stopping" */
	char *user;		/* the mapped user on 200, owned; else NULL */
	bool network_owed;	/* offline, the network must settle it */
};

/* Reason of a 503: mtls serve is stopping and takes no new request. */
#define SERVE_REASON_STOPPING	"stopping"
/* Reason of a 400: a header of the query came twice. */
#define SERVE_REASON_REPEATED	"header-repeated"

/*
 * Decide query with ctx (from any thread); answer is filled in.  Offline,
 * nothing waits for the network (an OCSP responder, a download): only the
 * OCSP cache and the CRLs answer, and when a revocation source that needs
 * the network is left, answer->network_owed says so and the answer is
 * not to be given: check the query again, online.
 */
void serve_check(struct mtls_ctx *ctx, const struct serve_query *query,
    bool offline, struct serve_answer *answer);
void serve_answer_clear(struct serve_answer *answer);

/*
 * The PEM of the certificate header raw (percent-encoded or plain), *len
 * bytes, valid until this thread decodes another; NULL when out of
 * memory (serve_decode.c).
 */
const char *serve_decode_cert(const char *raw, size_t *len);

/*
 * Memory each thread has of its own, size bytes, zeroed at first; at the
 * thread's end destroy frees it (serve_local.c).  Defined where it is
 * used, as SERVE_LOCAL(type, destroy).
 */
struct serve_local {
	size_t size;
	void (*destroy)(void *);
	pthread_key_t key;
	atomic_int state;	/* the key: 0 not yet made, 1 made, -1 failed */
};
#define SERVE_LOCAL(type, destroy)	{ sizeof(type), (destroy), 0, 0 }

/* This thread's memory of local; NULL when out of memory. */
void *serve_local_get(struct serve_local *local);

struct mtls_request;
struct mtls_verdict;

/* Said on standard error (the journal, under systemd) and to syslog. */
void serve_say(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Said on standard error only: of a syslog daemon that may not listen. */
void serve_tell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Where the audit lines go: to the syslog daemon at /dev/log (authpriv),
 * or, while none listens there or the one there takes no line, to
 * standard error, saying so there (serve_audit.c).  serve_audit_start()
 * once, before any request; it says where the lines go.
 */
void serve_audit_start(void);
/*
 * Keep the audit line of request in *line (NULL before), until
 * serve_audit_send() sends it with the priority of its verdict (NULL
 * when verification failed) and frees it.
 */
void serve_audit_keep(struct mtls_request *request, char **line);
/*
 * claimed_user (NULL when none) is the user the request claimed, which
 * the line does not name: verdicts on different claims are not repeats
 * of each other (serve_audit_repeats.c).
 */
void serve_audit_send(const struct mtls_verdict *verdict,
    const char *claimed_user, char **line);
/* The monotonic clock, in milliseconds. */
long long serve_monotonic_ms(void);
/* Write line now, at priority (LOG_INFO or LOG_WARNING) of authpriv. */
void serve_audit_write(int priority, const char *line);

/*
 * The field of the audit line that names the URI asked for, which each
 * request has its own of: the one field in which repeats may differ.
 */
#define SERVE_AUDIT_URI		"uri"

/*
 * Count repeated verdicts for seconds (0: write every line) instead of
 * writing each: once, before any request (it starts a thread: after the
 * signals are blocked).  -1, with the reason in err, on failure.
 */
int serve_audit_repeats_start(unsigned seconds, char *err, size_t errlen);
/*
 * Whether the verdict, its line (at priority) and claimed_user repeat
 * one whose line was written in the window: then it is counted, and not
 * to be written.  Otherwise, write it: any summary that must come before
 * it is written.
 */
bool serve_audit_repeats_counted(const struct mtls_verdict *verdict,
    const char *claimed_user, int priority, const char *line);
/* Once no request is answered any more: write every count left. */
void serve_audit_repeats_stop(void);

/* Work for the pool: run() is called once, in a worker thread. */
struct serve_job {
	struct serve_job *next;		/* the pool's */
	void (*run)(struct serve_job *job);
};

struct serve_pool;

/* Start threads workers; NULL, with the reason in err, on failure. */
struct serve_pool *serve_pool_start(size_t threads, char *err,
    size_t errlen);
/*
 * Queue job; 0, or -1 once the pool is closing (the job is not run).
 * Every job in flight belongs to one connection, so the connection limit
 * of the framing bounds the queue.
 */
int serve_pool_submit(struct serve_pool *pool, struct serve_job *job);
/* Refuse new jobs, run those queued, and join the workers. */
void serve_pool_close(struct serve_pool *pool);
void serve_pool_free(struct serve_pool *pool);

/*
 * A listening socket for addr: "127.0.0.1:PORT", "[::1]:PORT" (any
 * numeric address) or "unix:/path".  -1 with the reason in err on failure.
 * For a Unix socket, made with the permissions unix_mode, *unix_path is
 * set to the path to remove at exit.
 */
int serve_listen(const char *addr, mode_t unix_mode, const char **unix_path,
    char *err, size_t errlen);

struct serve_http;

/*
 * Answer HTTP on listen_fd (which it then owns) in threads threads, which
 * check offline against ctx, and leave to pool the checks that need the
 * network.  NULL, with the reason in err, on failure.
 */
struct serve_http *serve_http_start(int listen_fd, size_t threads,
    struct mtls_ctx *ctx, struct serve_pool *pool, char *err,
    size_t errlen);
/* Stop accepting, finish the checks in flight (closing pool), stop. */
void serve_http_stop(struct serve_http *http);

#endif /* MTLS_CLI_SERVE_H */
