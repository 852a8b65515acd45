/*
 * http.h - the little HTTP mtls needs: CRLs from distribution points and
 * OCSP over POST, through libcurl, loaded on the first fetch (internal).
 *
 * Bounded in every direction: only http and https, no redirects, no proxy
 * taken from the environment, a deadline for the whole exchange and a cap
 * on the body, so a hung or hostile server costs at most what was allowed.
 */
#ifndef MTLS_HTTP_H
#define MTLS_HTTP_H

#include <stddef.h>
#include <time.h>

struct http_response {
	long status;		/* HTTP status; 304 when not modified */
	unsigned char *body;	/* allocated, NUL-terminated */
	size_t len;
	time_t last_modified;	/* from Last-Modified, or 0 */
};

/*
 * GET url.  if_modified_since 0 sends no If-Modified-Since.  Fails (-1,
 * err set) on a transport error, a timeout past timeout_ms (which must be
 * positive: 0 would mean no deadline), or a body over max_bytes; any HTTP
 * status is a success for the caller to judge.  err is one line naming
 * the URL (escaped) and what happened, such as "http://ocsp.example/ did
 * not answer within 3000 ms".  Safe to call from several threads.
 */
int http_get(const char *url, time_t if_modified_since, long timeout_ms,
    size_t max_bytes, struct http_response *resp, char *err, size_t errlen);

/* POST body as content_type (a constant); otherwise as http_get(). */
int http_post(const char *url, const char *content_type, const void *body,
    size_t len, long timeout_ms, size_t max_bytes, struct http_response *resp,
    char *err, size_t errlen);

void http_response_free(struct http_response *resp);

/*
 * Load libcurl from name alone, instead of the installed libcurl, on the
 * first fetch: for tests of what happens when it is missing.  Call before
 * any fetch.
 */
void http_curl_library(const char *name);

/* Enough of a URL to recognise it in a message. */
#define HTTP_URL_SHOWN_MAX 160

/*
 * url escaped (certname_escape()) and shortened for a message: URLs come
 * from certificates, and a message must stay one safe line.
 */
void http_url_shown(const char *url, char out[HTTP_URL_SHOWN_MAX]);

#endif /* MTLS_HTTP_H */
