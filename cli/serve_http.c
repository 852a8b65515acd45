/*
 * The HTTP framing of mtls serve, on libmicrohttpd: a few threads (one per
 * processor) read and answer the connections, and decide each request
 * offline themselves, from what is in memory and on the disk: a
 * remembered path, the OCSP cache, the CRL index.  That is a few
 * microseconds for a client seen before, and bounded work (a path search
 * with its limits) for a new one.  Only a request that owes the network a
 * revocation lookup (no fresh OCSP answer cached) is suspended while a
 * worker of the pool checks it online, and resumed with the answer: a
 * slow responder holds that worker, never these threads.
 *
 * The endpoint answers nginx's auth_request sub-requests: GET or HEAD on
 * any path, the certificate in X-Client-Cert, the answer in the status
 * and the X-Mtls-User and X-Mtls-Reason headers, no body.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "serve_mhd.h"

#include "serve.h"
#include "serve_response.h"

/*
 * nginx's escaped PEM of a large certificate reaches 16 KB in one header
 * line; room for a header line of 64 KiB and the rest of the request
 * (the URI nginx passes on, a few KiB), in a connection's memory, which is
 * also all one connection may take.  No more: libmicrohttpd clears one
 * and a half times that for each request (the half of it it reads into,
 * then all of it), the largest part of the processor time mtls serve
 * spends outside the kernel.
 */
#define CONNECTION_MEMORY	(72 * 1024)
#define CONNECTION_READ_STEP	(16 * 1024)
/* Connections at once: each holds at most one request in the pool. */
#define CONNECTION_LIMIT	256
/* Idle seconds before a connection is closed; above nginx's upstream
 * keepalive_timeout (60 s), so that nginx closes first. */
#define CONNECTION_TIMEOUT	75

struct serve_http {
	struct MHD_Daemon *daemon;
	struct mtls_ctx *ctx;
	struct serve_pool *pool;
};

/*
 * A request whose headers are in (the *state of its calls); it is decided
 * at its last call, which answers it or hands it to the pool.
 */
static char headers_in;

/*
 * A request handed to the pool, from then until its answer.  Its query's
 * strings are libmicrohttpd's, which keeps them until the request is
 * completed: a suspended request is not.
 */
struct http_request {
	struct serve_job job;		/* first: the pool hands it back */
	struct MHD_Connection *conn;
	struct mtls_ctx *ctx;
	struct serve_query query;
	struct serve_answer answer;
	atomic_bool answered;		/* the answer may be given */
};

static void
log_mhd(void *arg, const char *fmt, va_list ap)
{
	(void)arg;
	vsyslog(LOG_ERR, fmt, ap);
}

/* The headers of a query, as one pass over the request's reads them. */
struct query_headers {
	struct serve_query *query;
	const char *repeated;	/* the name of one that came twice, or NULL */
};

static void
take_header(struct query_headers *h, const char *name, const char **slot,
    const char *value)
{
	if (*slot != NULL)
		h->repeated = name;
	*slot = value;
}

static enum MHD_Result
query_header(void *arg, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_headers *h = arg;
	struct serve_query *query = h->query;

	(void)kind;
	if (value == NULL)
		value = "";
	if (strcasecmp(key, "X-Client-Cert") == 0)
		take_header(h, "X-Client-Cert", &query->cert, value);
	else if (strcasecmp(key, "X-Mtls-Claimed-User") == 0)
		take_header(h, "X-Mtls-Claimed-User", &query->claimed_user,
		    value);
	else if (strcasecmp(key, "X-Client-Addr") == 0)
		take_header(h, "X-Client-Addr", &query->client, value);
	else if (strcasecmp(key, "X-Original-URI") == 0)
		take_header(h, "X-Original-URI", &query->uri, value);
	return MHD_YES;
}

/*
 * The query's headers; NULL, or the name of one the request carries
 * twice.  A web server sets each of them once, in place of what the
 * client sent; one that adds its own beside the client's (Apache's
 * RequestHeader add, HAProxy's add-header) would let the client's come
 * first, and a certificate is public: so two of a kind decide nothing.
 */
static const char *
query_read(struct MHD_Connection *conn, struct serve_query *query)
{
	struct query_headers h = { query, NULL };

	memset(query, 0, sizeof(*query));
	serve_mhd.get_connection_values(conn, MHD_HEADER_KIND, query_header,
	    &h);
	return h.repeated;
}

static void
run_check(struct serve_job *job)
{
	struct http_request *req = (struct http_request *)job;
	struct MHD_Connection *conn = req->conn;

	serve_check(req->ctx, &req->query, false, &req->answer);
	atomic_store_explicit(&req->answered, true, memory_order_release);
	/* req may be answered and freed from here on */
	serve_mhd.resume_connection(conn);
}

static enum MHD_Result
refuse(struct MHD_Connection *conn, int status, const char *reason)
{
	struct serve_answer answer = { .status = status, .reason = reason };

	return serve_response_queue(conn, &answer);
}

/*
 * Suspended before the worker can resume it; a pool that is closing
 * takes no job, and the request is answered at once.
 */
static enum MHD_Result
submit(struct serve_http *http, struct MHD_Connection *conn,
    const struct serve_query *query, void **state)
{
	struct http_request *req;

	if ((req = calloc(1, sizeof(*req))) == NULL)
		return MHD_NO;
	req->job.run = run_check;
	req->conn = conn;
	req->ctx = http->ctx;
	req->query = *query;
	atomic_init(&req->answered, false);
	*state = req;
	serve_mhd.suspend_connection(req->conn);
	if (serve_pool_submit(http->pool, &req->job) != 0) {
		req->answer.status = MHD_HTTP_SERVICE_UNAVAILABLE;
		req->answer.reason = SERVE_REASON_STOPPING;
		atomic_store_explicit(&req->answered, true,
		    memory_order_release);
		serve_mhd.resume_connection(req->conn);
	}
	return MHD_YES;
}

/*
 * Decided offline here; what the network must settle goes to the pool.
 * The offline check that hands a request over has written its audit line
 * (verdict=deferred); the worker's check writes the one that decides.
 */
static enum MHD_Result
decide(struct serve_http *http, struct MHD_Connection *conn, void **state)
{
	struct serve_query query;
	struct serve_answer answer;
	enum MHD_Result ret;
	const char *repeated;

	if ((repeated = query_read(conn, &query)) != NULL) {
		serve_say(LOG_WARNING, "a request carried %s twice: the web "
		    "server in front must set it in place of the client's "
		    "(nginx: proxy_set_header; Apache: RequestHeader set, not "
		    "add); refused (400, X-Mtls-Reason: %s)", repeated,
		    SERVE_REASON_REPEATED);
		return refuse(conn, MHD_HTTP_BAD_REQUEST,
		    SERVE_REASON_REPEATED);
	}
	serve_check(http->ctx, &query, true, &answer);
	if (answer.network_owed)
		return submit(http, conn, &query, state);
	ret = serve_response_queue(conn, &answer);
	serve_answer_clear(&answer);
	return ret;
}

/*
 * Called when the headers are in, again when the (empty) body is, and,
 * for a request the pool checked, once more after the worker resumed the
 * connection.  Answering only after the whole request was read keeps the
 * connection alive for the next one: nginx's upstream keep-alive saves a
 * connect per request.
 */
static enum MHD_Result
handle(void *arg, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **state)
{
	struct serve_http *http = arg;
	struct http_request *req;

	(void)url;
	(void)version;
	(void)upload_data;
	if (*state == NULL) {
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return refuse(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "method-not-allowed");
		*state = &headers_in;
		return MHD_YES;
	}
	if (*state == &headers_in) {
		/* A sub-request carries no body; one that does is not
		 * nginx's, and its connection is closed. */
		if (*upload_data_size != 0)
			return MHD_NO;
		return decide(http, conn, state);
	}
	req = *state;
	if (!atomic_load_explicit(&req->answered, memory_order_acquire))
		return MHD_NO;		/* never: suspended until answered */
	return serve_response_queue(conn, &req->answer);
}

static void
request_done(void *arg, struct MHD_Connection *conn, void **state,
    enum MHD_RequestTerminationCode why)
{
	struct http_request *req = *state;

	(void)arg;
	(void)conn;
	(void)why;
	if (req == NULL || *state == &headers_in) {
		*state = NULL;
		return;
	}
	serve_answer_clear(&req->answer);
	free(req);
	*state = NULL;
}

struct serve_http *
serve_http_start(int listen_fd, size_t threads, struct mtls_ctx *ctx,
    struct serve_pool *pool, char *err, size_t errlen)
{
	struct MHD_OptionItem options[] = {
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_INCREMENT, CONNECTION_READ_STEP,
		    NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT, NULL },
		{ MHD_OPTION_END, 0, NULL },	/* the thread pool's size */
		{ MHD_OPTION_END, 0, NULL },
	};
	size_t nopts = 4;
	struct serve_http *http;

	if ((http = calloc(1, sizeof(*http))) == NULL) {
		snprintf(err, errlen, "out of memory");
		close(listen_fd);
		return NULL;
	}
	http->ctx = ctx;
	http->pool = pool;
	/* libmicrohttpd warns (at start, to the log) of a pool of one
	 * thread, which it ignores, and of a logger that is not its first
	 * option. */
	if (threads > 1)
		options[nopts++] = (struct MHD_OptionItem){
		    MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL };
	options[nopts] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	http->daemon = serve_mhd.start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, handle, http,
	    MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
	    MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
	    MHD_OPTION_ARRAY, options,
	    MHD_OPTION_END);
	if (http->daemon == NULL) {
		snprintf(err, errlen, "libmicrohttpd could not start "
		    "(see the log)");
		close(listen_fd);
		free(http);
		return NULL;
	}
	return http;
}

void
serve_http_stop(struct serve_http *http)
{
	int fd;

	/* No new connection; the listening socket is ours to close. */
	fd = serve_mhd.quiesce_daemon(http->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* Every suspended request is resumed by its worker before the
	 * daemon may stop. */
	serve_pool_close(http->pool);
	serve_mhd.stop_daemon(http->daemon);
	free(http);
}
