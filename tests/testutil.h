/*
 * testutil.h - the scaffolding the cmocka tests share.
 *
 * Most tests check one module against the standard three-level PKI of
 * testpki.h, made once per test program by a cmocka group fixture, and
 * assert that an explanation mentions the right names.
 */
#ifndef MTLS_TESTUTIL_H
#define MTLS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "mtls.h"
#include "testpki.h"

/* The standard PKI of the test program (tpki_std_make()). */
extern struct tpki_std pki;

/*
 * cmocka group fixtures that make pki before the group's tests and free
 * it after: cmocka_run_group_tests(tests, pki_setup, pki_teardown).  A
 * program that needs more calls pki_setup() from its own fixture.
 */
int pki_setup(void **state);
int pki_teardown(void **state);

/*
 * A configuration read from a file, as an administrator writes it: the
 * standard root (root.pem, in tpki_tmpdir()), no audit, and settings
 * (mtls.conf syntax) besides.  The test fails when it does not load.
 */
struct mtls_config *config_from_settings(const char *settings);
/* A context configured from config_from_settings(settings). */
struct mtls_ctx *ctx_from_settings(const char *settings);

/* A request sending PEM of crts (leaf first) as one input. */
struct mtls_request *request_crts(gnutls_x509_crt_t *crts, size_t n);

/* Verify crts (leaf first) sent as one PEM input, as user when not NULL;
 * the verdict is never NULL. */
struct mtls_verdict *verify_crts(struct mtls_ctx *ctx, gnutls_x509_crt_t *crts,
    size_t n, const char *user);

/*
 * mtls_verify(ctx, req) until the verdict gives reason, as a long-running
 * context must once an update has published a new CRL index: it looks
 * for one at most once a second (mtls.conf(5)), so this tries again for
 * up to 5 seconds, never longer, and returns the last verdict (never
 * NULL) for the caller to judge.
 */
struct mtls_verdict *verify_until(struct mtls_ctx *ctx,
    const struct mtls_request *req, enum mtls_reason reason);
/* The same with verify_crts(ctx, crts, n, NULL). */
struct mtls_verdict *verify_crts_until(struct mtls_ctx *ctx,
    gnutls_x509_crt_t *crts, size_t n, enum mtls_reason reason);

/* The verdict rejects with reason, its explanation mentions mention (when
 * not NULL), and it names no user; it is freed. */
void assert_refused(struct mtls_verdict *v, enum mtls_reason reason,
    const char *mention);

/* The verdict accepts, its revocation checked by source; it is freed. */
void assert_accepted_from(struct mtls_verdict *v,
    enum mtls_revocation_source source);

/* Fail the running test, at the caller's line, unless text has part. */
#define assert_contains(text, part) \
	testutil_assert_contains((text), (part), __FILE__, __LINE__)
void testutil_assert_contains(const char *text, const char *part,
    const char *file, int line);

/* The whole of the file at path (not empty), allocated; *len set. */
unsigned char *slurp(const char *path, size_t *len);

/*
 * What libmtls says to syslog, through the PAM tests' shim
 * (pam/syslog_capture.c) linked into the test: from syslog_start() on,
 * it goes to a file every user may append to (a check made as another
 * user is heard too); syslog_said() returns it, allocated, and stops.
 */
void syslog_start(void);
char *syslog_said(void);

/* Whether the process has libcurl loaded, whichever build of it. */
bool testutil_curl_loaded(void);

#endif /* MTLS_TESTUTIL_H */
