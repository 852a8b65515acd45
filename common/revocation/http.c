#include "http.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "certname.h"
#include "optlib.h"

/*
 * libcurl and the twenty libraries it pulls in cost every process that
 * links it a couple of milliseconds to start, and most never fetch: a
 * login checked against the CRL index never does.  So it is loaded on
 * the first fetch, the way systemd loads its optional libraries, and
 * unloaded with libmtls (curl_unload()), so that a PAM module loaded and
 * unloaded by a display manager leaves nothing behind.  Debian's GnuTLS
 * build first, as libmtls speaks GnuTLS; its OpenSSL build otherwise.
 */
static const char *const curl_names[] = {
	"libcurl-gnutls.so.4",	/* libcurl3-gnutls */
	"libcurl.so.4",		/* libcurl4 */
};

static struct {
	void *lib;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	bool ready;		/* loaded and curl_global_init() done */
	char error[256];	/* why not */
} curl;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
/* tests point this at a library that is not there (http_curl_library) */
static const char *curl_only_name;

/* The body as it arrives, refused once it grows past max. */
struct body {
	unsigned char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool over;
};

#define CURL_SYMBOL(field, name) OPTLIB_SYMBOL(curl.field, name)

static void
curl_load(void)
{
	const struct optlib_symbol symbols[] = {
		CURL_SYMBOL(global_init, "curl_global_init"),
		CURL_SYMBOL(global_cleanup, "curl_global_cleanup"),
		CURL_SYMBOL(easy_init, "curl_easy_init"),
		CURL_SYMBOL(easy_setopt, "curl_easy_setopt"),
		CURL_SYMBOL(easy_perform, "curl_easy_perform"),
		CURL_SYMBOL(easy_getinfo, "curl_easy_getinfo"),
		CURL_SYMBOL(easy_cleanup, "curl_easy_cleanup"),
		CURL_SYMBOL(easy_strerror, "curl_easy_strerror"),
		CURL_SYMBOL(slist_append, "curl_slist_append"),
		CURL_SYMBOL(slist_free_all, "curl_slist_free_all"),
	};
	struct optlib libcurl = {
		.name = "libcurl",
		.sonames = curl_names,
		.nsonames = sizeof(curl_names) / sizeof(curl_names[0]),
		.uses = "it fetches CRLs and asks OCSP responders",
		.package = "libcurl3-gnutls",
		.version = "7.88",
		.symbols = symbols,
		.nsymbols = sizeof(symbols) / sizeof(symbols[0]),
	};
	CURLcode rc;

	if (curl_only_name != NULL) {
		libcurl.sonames = &curl_only_name;
		libcurl.nsonames = 1;
	}
	if ((curl.lib = optlib_open(&libcurl, curl.error,
	    sizeof(curl.error))) == NULL)
		return;
	if ((rc = curl.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		snprintf(curl.error, sizeof(curl.error), "libcurl failed to "
		    "initialise: %s", curl.easy_strerror(rc));
		return;
	}
	curl.ready = true;
}

/*
 * When libmtls goes, whether with the process or with the shared object
 * it is linked into: what curl_global_init() made is released and
 * libcurl unloaded, so that loading and unloading the object again and
 * again costs nothing.  No atexit(): its handler would outlive an
 * unloaded object.
 */
__attribute__((destructor)) static void
curl_unload(void)
{
	if (curl.ready)
		curl.global_cleanup();
	if (curl.lib != NULL)
		dlclose(curl.lib);
	memset(&curl, 0, sizeof(curl));
}

void
http_curl_library(const char *name)
{
	curl_only_name = name;
}

static size_t
body_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct body *b = userdata;
	size_t n = size * nmemb;
	unsigned char *grown;
	size_t cap;

	if (n > b->max - b->len) {
		b->over = true;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap - 1 > b->max)
			cap = b->max + 1;
		grown = realloc(b->data, cap);
		if (grown == NULL)
			return 0;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	return n;
}

void
http_url_shown(const char *url, char out[HTTP_URL_SHOWN_MAX])
{
	certname_escape((const unsigned char *)url, strlen(url), out,
	    HTTP_URL_SHOWN_MAX);
}

static void
explain_failure(CURLcode rc, const char *url, long timeout_ms,
    const struct body *b, const char *detail, char *err, size_t errlen)
{
	char shown[HTTP_URL_SHOWN_MAX];

	http_url_shown(url, shown);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(err, errlen, "%s did not answer within %ld ms",
		    shown, timeout_ms);
		break;
	case CURLE_COULDNT_CONNECT:
		snprintf(err, errlen, "%s could not be reached (%s)", shown,
		    detail);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(err, errlen, "%s: the host name does not resolve",
		    shown);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(err, errlen, "%s: only http and https URLs are "
		    "fetched", shown);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		snprintf(err, errlen, "%s sent more than %zu bytes, the most "
		    "accepted", shown, b->max);
		break;
	case CURLE_WRITE_ERROR:
		if (b->over) {
			snprintf(err, errlen, "%s sent more than %zu bytes, "
			    "the most accepted", shown, b->max);
			break;
		}
		snprintf(err, errlen, "%s: out of memory for the answer",
		    shown);
		break;
	default:
		snprintf(err, errlen, "%s: %s", shown, detail);
		break;
	}
}

static CURL *
handle_new(const char *url, long timeout_ms, char *err, size_t errlen)
{
	char shown[HTTP_URL_SHOWN_MAX];
	CURL *c;

	if (timeout_ms <= 0) {
		/* libcurl reads 0 as "wait forever" */
		http_url_shown(url, shown);
		snprintf(err, errlen, "%s: no time limit given, not fetched",
		    shown);
		return NULL;
	}
	pthread_once(&curl_once, curl_load);
	if (!curl.ready) {
		snprintf(err, errlen, "%s", curl.error);
		return NULL;
	}
	c = curl.easy_init();
	if (c == NULL) {
		snprintf(err, errlen, "libcurl failed to make a handle");
		return NULL;
	}
	return c;
}

/*
 * Everything that bounds an exchange, then the exchange itself.  The
 * handle already carries what is particular to the method.
 */
static int
perform(CURL *c, const char *url, long timeout_ms, size_t max_bytes,
    struct http_response *resp, char *err, size_t errlen)
{
	char detail[CURL_ERROR_SIZE] = "";
	struct body b = { NULL, 0, 0, max_bytes, false };
	curl_off_t filetime = -1;
	long status = 0;
	CURLcode rc;

	memset(resp, 0, sizeof(*resp));
	if (curl.easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_PROXY, "") != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_NOPROXY, "*") != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms) !=
	    CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)max_bytes) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_FILETIME, 1L) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_USERAGENT, "mtls-auth") != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_ERRORBUFFER, detail) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, body_write) !=
	    CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_WRITEDATA, &b) != CURLE_OK) {
		snprintf(err, errlen, "this libcurl lacks an option mtls "
		    "needs (version 7.88 or later is required)");
		return -1;
	}
	rc = curl.easy_perform(c);
	if (rc != CURLE_OK) {
		if (detail[0] == '\0')
			snprintf(detail, sizeof(detail), "%s",
			    curl.easy_strerror(rc));
		explain_failure(rc, url, timeout_ms, &b, detail, err, errlen);
		free(b.data);
		return -1;
	}
	if (b.data == NULL && (b.data = malloc(1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b.data[b.len] = '\0';
	curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl.easy_getinfo(c, CURLINFO_FILETIME_T, &filetime);
	resp->status = status;
	resp->body = b.data;
	resp->len = b.len;
	resp->last_modified = filetime > 0 ? (time_t)filetime : 0;
	return 0;
}

int
http_get(const char *url, time_t if_modified_since, long timeout_ms,
    size_t max_bytes, struct http_response *resp, char *err, size_t errlen)
{
	CURL *c;
	int ret = -1;

	if ((c = handle_new(url, timeout_ms, err, errlen)) == NULL)
		return -1;
	if (if_modified_since != 0 &&
	    (curl.easy_setopt(c, CURLOPT_TIMECONDITION,
	    (long)CURL_TIMECOND_IFMODSINCE) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_TIMEVALUE_LARGE,
	    (curl_off_t)if_modified_since) != CURLE_OK))
		snprintf(err, errlen, "libcurl refused If-Modified-Since");
	else
		ret = perform(c, url, timeout_ms, max_bytes, resp, err,
		    errlen);
	curl.easy_cleanup(c);
	return ret;
}

int
http_post(const char *url, const char *content_type, const void *body,
    size_t len, long timeout_ms, size_t max_bytes, struct http_response *resp,
    char *err, size_t errlen)
{
	char header[128];
	struct curl_slist *headers;
	CURL *c;
	int ret = -1;

	if ((c = handle_new(url, timeout_ms, err, errlen)) == NULL)
		return -1;
	snprintf(header, sizeof(header), "Content-Type: %s", content_type);
	/* "Expect:" off: waiting for 100-continue only costs time here */
	if ((headers = curl.slist_append(NULL, header)) == NULL ||
	    curl.slist_append(headers, "Expect:") == NULL)
		snprintf(err, errlen, "out of memory");
	else if (curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers) !=
	    CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)len) != CURLE_OK ||
	    curl.easy_setopt(c, CURLOPT_POSTFIELDS, body) != CURLE_OK)
		snprintf(err, errlen, "libcurl refused the POST body");
	else
		ret = perform(c, url, timeout_ms, max_bytes, resp, err,
		    errlen);
	curl.slist_free_all(headers);
	curl.easy_cleanup(c);
	return ret;
}

void
http_response_free(struct http_response *resp)
{
	if (resp == NULL)
		return;
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}
