#include "testutil.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mtls.h"

struct tpki_std pki;

int
pki_setup(void **state)
{
	(void)state;
	tpki_std_make(&pki);
	return 0;
}

int
pki_teardown(void **state)
{
	(void)state;
	tpki_std_free(&pki);
	return 0;
}

struct mtls_config *
config_from_settings(const char *settings)
{
	struct mtls_config *cfg = mtls_config_new();
	FILE *fp = fopen(tpki_path("mtls.conf"), "w");

	assert_non_null(cfg);
	assert_non_null(fp);
	fprintf(fp, "ca_file = \"root.pem\";\naudit = false;\n%s\n",
	    settings);
	assert_int_equal(fclose(fp), 0);
	if (mtls_config_load_file(cfg, tpki_path("mtls.conf"), NULL) != 0)
		fail_msg("config: %s", mtls_config_error(cfg));
	return cfg;
}

struct mtls_ctx *
ctx_from_settings(const char *settings)
{
	struct mtls_config *cfg = config_from_settings(settings);
	struct mtls_ctx *ctx = mtls_ctx_new();

	assert_non_null(ctx);
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("configure: %s", mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

void
assert_accepted_from(struct mtls_verdict *v,
    enum mtls_revocation_source source)
{
	if (!mtls_verdict_accepted(v))
		fail_msg("rejected: %s: %s",
		    mtls_reason_name(mtls_verdict_reason(v)),
		    mtls_verdict_explanation(v));
	assert_int_equal(mtls_verdict_revocation_source(v), source);
	mtls_verdict_free(v);
}

void
testutil_assert_contains(const char *text, const char *part,
    const char *file, int line)
{
	if (strstr(text, part) != NULL)
		return;
	print_error("ERROR: \"%s\" does not contain \"%s\"\n", text, part);
	_fail(file, line);
}

struct mtls_request *
request_crts(gnutls_x509_crt_t *crts, size_t n)
{
	struct mtls_request *req = mtls_request_new();
	unsigned char *buf = NULL;
	size_t len = 0;

	assert_non_null(req);
	for (size_t i = 0; i < n; i++) {
		size_t l;
		unsigned char *pem = tpki_pem(crts[i], &l);

		buf = realloc(buf, len + l);
		assert_non_null(buf);
		memcpy(buf + len, pem, l);
		len += l;
		free(pem);
	}
	assert_int_equal(mtls_request_set_cert(req, buf, len), 0);
	free(buf);
	return req;
}

struct mtls_verdict *
verify_crts(struct mtls_ctx *ctx, gnutls_x509_crt_t *crts, size_t n,
    const char *user)
{
	struct mtls_request *req = request_crts(crts, n);
	struct mtls_verdict *v;

	if (user != NULL)
		assert_int_equal(mtls_request_set_user(req, user), 0);
	v = mtls_verify(ctx, req);
	assert_non_null(v);
	mtls_request_free(req);
	return v;
}

/* How long a context may take to take up a new index, with a margin
 * for a loaded machine and the sanitizers. */
#define PICKUP_WAIT_MS 5000

struct mtls_verdict *
verify_until(struct mtls_ctx *ctx, const struct mtls_request *req,
    enum mtls_reason reason)
{
	const struct timespec nap = { 0, 20 * 1000000L };
	struct mtls_verdict *v;

	for (int waited = 0;; waited += 20) {
		v = mtls_verify(ctx, req);
		assert_non_null(v);
		if (mtls_verdict_reason(v) == reason || waited >= PICKUP_WAIT_MS)
			return v;
		mtls_verdict_free(v);
		nanosleep(&nap, NULL);
	}
}

struct mtls_verdict *
verify_crts_until(struct mtls_ctx *ctx, gnutls_x509_crt_t *crts, size_t n,
    enum mtls_reason reason)
{
	struct mtls_request *req = request_crts(crts, n);
	struct mtls_verdict *v = verify_until(ctx, req, reason);

	mtls_request_free(req);
	return v;
}

void
assert_refused(struct mtls_verdict *v, enum mtls_reason reason,
    const char *mention)
{
	if (mtls_verdict_reason(v) != reason)
		fail_msg("expected %s, got %s: %s", mtls_reason_name(reason),
		    mtls_reason_name(mtls_verdict_reason(v)),
		    mtls_verdict_explanation(v));
	assert_false(mtls_verdict_accepted(v));
	assert_null(mtls_verdict_user(v));
	if (mention != NULL)
		assert_contains(mtls_verdict_explanation(v), mention);
	mtls_verdict_free(v);
}

static char syslog_file[512];

void
syslog_start(void)
{
	int fd;

	snprintf(syslog_file, sizeof(syslog_file), "%s", tpki_path("syslog"));
	fd = open(syslog_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0666), 0);
	close(fd);
	assert_int_equal(setenv("MTLS_TEST_SYSLOG", syslog_file, 1), 0);
}

char *
syslog_said(void)
{
	char *text = calloc(1, 4096);
	FILE *fp = fopen(syslog_file, "r");

	assert_non_null(text);
	assert_non_null(fp);
	(void)fread(text, 1, 4095, fp);
	fclose(fp);
	assert_int_equal(unsetenv("MTLS_TEST_SYSLOG"), 0);
	return text;
}

bool
testutil_curl_loaded(void)
{
	void *lib = dlopen("libcurl-gnutls.so.4", RTLD_NOW | RTLD_NOLOAD);

	if (lib == NULL)
		lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD);
	if (lib != NULL)
		dlclose(lib);
	return lib != NULL;
}

unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data;
	long size;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size > 0);
	rewind(fp);
	data = malloc((size_t)size);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	*len = (size_t)size;
	return data;
}
