/*
 * The HTTP layer against servers of our own: what it fetches, and every
 * bound it promises (scheme, redirects, proxies, deadline, body size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http.h"
#include "testhttp.h"
#include "testutil.h"

#define CAP 1024
#define TIMEOUT_MS 3000

/* Tue, 15 Nov 1994 08:12:31 GMT */
#define MODIFIED 784887151

static const char hello[] = "hello";

static void
answer_hello(int fd, const char *request, void *arg)
{
	(void)arg;
	if (strstr(request, "\r\nIf-Modified-Since: Tue, 15 Nov 1994 "
	    "08:12:31 GMT\r\n") != NULL)
		testhttp_reply(fd, "304 Not Modified", "", "", 0);
	else
		testhttp_reply(fd, "200 OK", "Last-Modified: Tue, 15 Nov 1994 "
		    "08:12:31 GMT\r\n", hello, sizeof(hello) - 1);
}

/* 200 only for a POST of "abc" as application/ocsp-request. */
static void
answer_post(int fd, const char *request, void *arg)
{
	const char *body = strstr(request, "\r\n\r\n");
	bool ok = strncmp(request, "POST ", 5) == 0 &&
	    strstr(request, "\r\nContent-Type: application/ocsp-request\r\n")
	    != NULL && body != NULL && strcmp(body + 4, "abc") == 0;

	(void)arg;
	testhttp_reply(fd, ok ? "200 OK" : "400 Bad Request", "", "", 0);
}

static void
answer_redirect(int fd, const char *request, void *arg)
{
	char location[128];

	(void)request;
	snprintf(location, sizeof(location), "Location: %s\r\n",
	    (const char *)arg);
	testhttp_reply(fd, "302 Found", location, "", 0);
}

static void
answer_big(int fd, const char *request, void *arg)
{
	char body[CAP + 1];

	(void)request;
	(void)arg;
	memset(body, 'x', sizeof(body));
	testhttp_reply(fd, "200 OK", "", body, sizeof(body));
}

static void
answer_not_found(int fd, const char *request, void *arg)
{
	(void)request;
	(void)arg;
	testhttp_reply(fd, "404 Not Found", "", "", 0);
}

/* GET from a server answering with handler. */
static int
get_from(testhttp_handler *handler, void *arg, time_t since, long timeout,
    struct http_response *resp, char *err, size_t errlen)
{
	struct testhttp srv;
	int ret;

	testhttp_start(&srv, handler, arg);
	ret = http_get(srv.url, since, timeout, CAP, resp, err, errlen);
	testhttp_stop(&srv);
	return ret;
}

static void
expect_failure(int ret, const char *err, const char *words)
{
	if (ret != -1 || strstr(err, words) == NULL)
		fail_msg("expected a failure mentioning \"%s\", got %d: %s",
		    words, ret, err);
}

/*
 * Nothing linked with libmtls loads libcurl at start (nor do its tests):
 * the first fetch does.
 */
static void
libcurl_loaded_by_the_first_fetch(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	assert_false(testutil_curl_loaded());
	assert_int_equal(get_from(answer_hello, NULL, 0, TIMEOUT_MS, &resp, err,
	    sizeof(err)), 0);
	http_response_free(&resp);
	assert_true(testutil_curl_loaded());
}

static void
get_returns_body_and_date(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	assert_int_equal(get_from(answer_hello, NULL, 0, TIMEOUT_MS, &resp,
	    err, sizeof(err)), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.len, sizeof(hello) - 1);
	assert_string_equal((char *)resp.body, hello);
	assert_int_equal(resp.last_modified, MODIFIED);
	http_response_free(&resp);
}

static void
if_modified_since_sent(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	assert_int_equal(get_from(answer_hello, NULL, MODIFIED, TIMEOUT_MS,
	    &resp, err, sizeof(err)), 0);
	assert_int_equal(resp.status, 304);
	assert_int_equal(resp.len, 0);
	http_response_free(&resp);
}

static void
any_status_is_for_the_caller(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	assert_int_equal(get_from(answer_not_found, NULL, 0, TIMEOUT_MS, &resp,
	    err, sizeof(err)), 0);
	assert_int_equal(resp.status, 404);
	http_response_free(&resp);
}

static void
post_sends_body_and_type(void **state)
{
	struct testhttp srv;
	struct http_response resp;
	char err[512] = "";

	(void)state;
	testhttp_start(&srv, answer_post, NULL);
	assert_int_equal(http_post(srv.url, "application/ocsp-request", "abc",
	    3, TIMEOUT_MS, CAP, &resp, err, sizeof(err)), 0);
	testhttp_stop(&srv);
	assert_int_equal(resp.status, 200);
	http_response_free(&resp);
}

static void
redirect_not_followed(void **state)
{
	struct testhttp target;
	struct http_response resp;
	char err[512] = "";

	(void)state;
	testhttp_start(&target, answer_hello, NULL);
	assert_int_equal(get_from(answer_redirect, target.url, 0, TIMEOUT_MS,
	    &resp, err, sizeof(err)), 0);
	testhttp_stop(&target);
	assert_int_equal(resp.status, 302);
	http_response_free(&resp);
}

static void
proxy_from_environment_ignored(void **state)
{
	static const char *const vars[] = { "http_proxy", "HTTP_PROXY",
	    "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
	struct testhttp nobody;
	struct http_response resp;
	char err[512] = "";
	int ret;

	(void)state;
	testhttp_url(&nobody, testhttp_free_port());
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		setenv(vars[i], nobody.url, 1);
	ret = get_from(answer_hello, NULL, 0, TIMEOUT_MS, &resp, err,
	    sizeof(err));
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	if (ret != 0)
		fail_msg("went through the proxy: %s", err);
	assert_int_equal(resp.status, 200);
	http_response_free(&resp);
}

static void
body_over_cap_refused(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	expect_failure(get_from(answer_big, NULL, 0, TIMEOUT_MS, &resp, err,
	    sizeof(err)), err, "sent more than 1024 bytes");
	expect_failure(get_from(testhttp_answer_endlessly, NULL, 0,
	    TIMEOUT_MS, &resp, err, sizeof(err)), err,
	    "sent more than 1024 bytes");
}

static void
other_schemes_refused(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	expect_failure(http_get("file:///etc/passwd", 0, TIMEOUT_MS, CAP, &resp,
	    err, sizeof(err)), err, "only http and https");
	expect_failure(http_get("ftp://127.0.0.1/crl", 0, TIMEOUT_MS, CAP,
	    &resp, err, sizeof(err)), err, "only http and https");
}

static void
deadline_holds(void **state)
{
	struct http_response resp;
	struct timespec t0, t1;
	char err[512] = "";
	double took;
	int ret;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = get_from(testhttp_answer_never, NULL, 0, 300, &resp, err,
	    sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	expect_failure(ret, err, "did not answer within 300 ms");
	/* the margin is for a loaded machine, not for the code */
	assert_true(took >= 0.25 && took < 5.0);
}

static void
no_deadline_refused(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	expect_failure(get_from(answer_hello, NULL, 0, 0, &resp, err,
	    sizeof(err)), err, "no time limit");
}

static void
nobody_listening(void **state)
{
	struct testhttp nobody;
	struct http_response resp;
	char err[512] = "";

	(void)state;
	testhttp_url(&nobody, testhttp_free_port());
	expect_failure(http_get(nobody.url, 0, TIMEOUT_MS, CAP, &resp, err,
	    sizeof(err)), err, "could not be reached");
	expect_failure(-1, err, nobody.url);
}

/* A URL from a certificate may hold anything: the message stays a line. */
static void
control_bytes_in_url_escaped(void **state)
{
	struct http_response resp;
	char err[512] = "";

	(void)state;
	expect_failure(http_get("http://127.0.0.1:1/a\nb", 0, TIMEOUT_MS, CAP,
	    &resp, err, sizeof(err)), err, "a\\x0ab");
	assert_null(strchr(err, '\n'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(libcurl_loaded_by_the_first_fetch),
		cmocka_unit_test(get_returns_body_and_date),
		cmocka_unit_test(if_modified_since_sent),
		cmocka_unit_test(any_status_is_for_the_caller),
		cmocka_unit_test(post_sends_body_and_type),
		cmocka_unit_test(redirect_not_followed),
		cmocka_unit_test(proxy_from_environment_ignored),
		cmocka_unit_test(body_over_cap_refused),
		cmocka_unit_test(other_schemes_refused),
		cmocka_unit_test(deadline_holds),
		cmocka_unit_test(no_deadline_refused),
		cmocka_unit_test(nobody_listening),
		cmocka_unit_test(control_bytes_in_url_escaped),
	};

	/* no proxy, no stray server: only what the tests start */
	testhttp_private_network();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
