/*
 * A certificate known only by its description (mtls_request_describe()),
 * as FreeRADIUS's check-eap-tls passes it: which configured CA it names,
 * in OpenSSL's one-line form or RFC 4514, with or without a key
 * identifier; its serial, top bit set or not, looked up in a CRL; and
 * what such a verdict does not claim to know.  In ca_dir, the issuer is
 * looked up by its name: a description imports the files of the CAs of
 * that name, not every file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

struct fixture {
	char dir[64];
	gnutls_x509_privkey_t key1, key2, key3, key4, leaf_key;
	gnutls_x509_crt_t ca1, ca2;	/* two CAs of one name */
	gnutls_x509_crt_t cafe;		/* a CA with a non-ASCII name */
	gnutls_x509_crt_t odd;		/* '/' and '+' in values */
	gnutls_x509_crt_t revoked;	/* by ca1, serial's top bit set */
	struct mtls_ctx *ctx;
};

static struct fixture fx;

static const char *
path(const char *name)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", fx.dir, name);
	return buf;
}

static int
setup(void **state)
{
	gnutls_x509_crt_t both[4];
	gnutls_x509_crl_t crl;
	/* DER's 00 ff 01: FreeRADIUS prints the number, "ff01" */
	unsigned char serial[3] = { 0x00, 0xff, 0x01 };
	struct mtls_config *cfg;
	char conf[512];

	(void)state;
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/mtls-described.XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	fx.key1 = tpki_key_ec();
	fx.key2 = tpki_key_ec();
	fx.key3 = tpki_key_ec();
	fx.key4 = tpki_key_ec();
	fx.leaf_key = tpki_key_ec();
	fx.ca1 = tpki_self_signed_ca("CN=Twin CA,O=Example", fx.key1);
	fx.ca2 = tpki_self_signed_ca("CN=Twin CA,O=Example", fx.key2);
	fx.cafe = tpki_self_signed_ca("CN=Caf\xc3\xa9 CA,O=Example", fx.key3);
	fx.odd = tpki_self_signed_ca("CN=Odd CA,OU=a/b,O=x\\+y", fx.key4);
	fx.revoked = tpki_new("CN=carol,O=Example", fx.leaf_key, 0);
	assert_int_equal(gnutls_x509_crt_set_serial(fx.revoked, serial,
	    sizeof(serial)), 0);
	tpki_make_client(fx.revoked);
	tpki_sign(fx.revoked, fx.ca1, fx.key1, GNUTLS_DIG_SHA256);
	both[0] = fx.ca1;
	both[1] = fx.ca2;
	both[2] = fx.cafe;
	both[3] = fx.odd;
	tpki_write(path("ca.pem"), both, 4);
	crl = tpki_crl(fx.ca1, fx.key1, &fx.revoked, 1, time(NULL) - 60,
	    time(NULL) + 86400);
	tpki_write_crl(path("ca1.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	snprintf(conf, sizeof(conf), "ca_file = \"%s\";\n"
	    "revocation = { mode = \"crl\"; crl_files = [\"%s/ca1.crl\"]; "
	    "crl_require = \"none\"; cache_dir = \"%s/cache\"; };\n"
	    "audit = false;\n", path("ca.pem"), fx.dir, fx.dir);
	tpki_write_data(path("mtls.conf"), conf, strlen(conf));
	cfg = mtls_config_new();
	assert_non_null(cfg);
	assert_int_equal(mtls_config_load_file(cfg, path("mtls.conf"), NULL),
	    0);
	fx.ctx = mtls_ctx_new();
	assert_int_equal(mtls_ctx_configure(fx.ctx, cfg), 0);
	mtls_config_free(cfg);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	mtls_ctx_free(fx.ctx);
	gnutls_x509_crt_deinit(fx.ca1);
	gnutls_x509_crt_deinit(fx.ca2);
	gnutls_x509_crt_deinit(fx.cafe);
	gnutls_x509_crt_deinit(fx.odd);
	gnutls_x509_crt_deinit(fx.revoked);
	gnutls_x509_privkey_deinit(fx.key1);
	gnutls_x509_privkey_deinit(fx.key2);
	gnutls_x509_privkey_deinit(fx.key3);
	gnutls_x509_privkey_deinit(fx.key4);
	gnutls_x509_privkey_deinit(fx.leaf_key);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The subject key identifier of crt, hex with colons, as OpenSSL 3 prints. */
static void
key_id(gnutls_x509_crt_t crt, char *out, size_t outlen)
{
	unsigned char id[64];
	size_t len = sizeof(id), used = 0;
	unsigned critical;

	assert_true(gnutls_x509_crt_get_subject_key_id(crt, id, &len,
	    &critical) >= 0);
	for (size_t i = 0; i < len; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%02X",
		    i > 0 ? ":" : "", id[i]);
}

/* Verify a description of issuer, serial and commonName alice. */
static struct mtls_verdict *
verify_described(const char *issuer, const char *aki, const char *serial)
{
	struct mtls_request *req = mtls_request_new();
	struct mtls_verdict *v;

	assert_non_null(req);
	assert_int_equal(mtls_request_describe(req, MTLS_DESCRIBED_ISSUER,
	    issuer), 0);
	assert_int_equal(mtls_request_describe(req, MTLS_DESCRIBED_SERIAL,
	    serial), 0);
	assert_int_equal(mtls_request_describe(req,
	    MTLS_DESCRIBED_COMMON_NAME, "alice"), 0);
	if (aki != NULL)
		assert_int_equal(mtls_request_describe(req,
		    MTLS_DESCRIBED_AUTHORITY_KEY_ID, aki), 0);
	v = mtls_verify(fx.ctx, req);
	mtls_request_free(req);
	assert_non_null(v);
	return v;
}

static void
twins_need_a_key_id(void **state)
{
	char aki[200];
	struct mtls_verdict *v;

	(void)state;
	assert_refused(verify_described("/O=Example/CN=Twin CA", NULL, "0a"),
	    MTLS_R_ISSUER_NOT_FOUND, "several configured CAs have that name");
	key_id(fx.ca2, aki, sizeof(aki));
	v = verify_described("/O=Example/CN=Twin CA", aki, "0a");
	assert_true(mtls_verdict_accepted(v));
	assert_string_equal(mtls_verdict_user(v), "alice");
	mtls_verdict_free(v);
}

static void
key_id_of_another_ca(void **state)
{
	char aki[200];

	(void)state;
	key_id(fx.cafe, aki, sizeof(aki));
	assert_refused(verify_described("/O=Example/CN=Twin CA", aki, "0a"),
	    MTLS_R_ISSUER_NOT_FOUND, "with that key identifier");
}

static void
names_in_either_form(void **state)
{
	struct mtls_verdict *v;

	(void)state;
	/* OpenSSL writes bytes outside printable ASCII as \xHH */
	v = verify_described("/O=Example/CN=Caf\\xC3\\xA9 CA", NULL, "0a");
	assert_true(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	v = verify_described("CN=Caf\xc3\xa9 CA,O=Example", NULL, "0a");
	assert_true(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	assert_refused(verify_described("/O=Example/CN=Caf\xc3\xa9 CA", NULL,
	    "0a"), MTLS_R_ISSUER_NOT_FOUND, NULL);
	/* OpenSSL 3 escapes '/' and '+' in values, or one name could read
	 * as another */
	v = verify_described("/O=x\\+y/OU=a\\/b/CN=Odd CA", NULL, "0a");
	assert_true(mtls_verdict_accepted(v));
	mtls_verdict_free(v);
	assert_refused(verify_described("/O=x+y/OU=a/b/CN=Odd CA", NULL,
	    "0a"), MTLS_R_ISSUER_NOT_FOUND, NULL);
}

static void
serial_with_top_bit_revoked(void **state)
{
	char aki[200];

	(void)state;
	key_id(fx.ca1, aki, sizeof(aki));
	assert_refused(verify_described("/O=Example/CN=Twin CA", aki, "ff01"),
	    MTLS_R_REVOKED, NULL);
	assert_refused(verify_described("/O=Example/CN=Twin CA", aki,
	    "FF:01"), MTLS_R_REVOKED, NULL);
}

static void
bad_serials(void **state)
{
	char aki[200];

	(void)state;
	key_id(fx.ca1, aki, sizeof(aki));
	assert_refused(verify_described("/O=Example/CN=Twin CA", aki, "f"),
	    MTLS_R_BAD_SERIAL, NULL);
	assert_refused(verify_described("/O=Example/CN=Twin CA", aki,
	    "0102030405060708090a0b0c0d0e0f101112131415"), MTLS_R_BAD_SERIAL,
	    NULL);
}

static void
knows_no_fingerprint_or_validity(void **state)
{
	char aki[200];
	struct mtls_verdict *v;

	(void)state;
	key_id(fx.ca1, aki, sizeof(aki));
	v = verify_described("/O=Example/CN=Twin CA", aki, "0a");
	assert_true(mtls_verdict_accepted(v));
	assert_null(mtls_verdict_fingerprint(v));
	assert_int_equal(mtls_verdict_not_after(v), (time_t)-1);
	assert_string_equal(mtls_verdict_serial(v), "0a");
	mtls_verdict_free(v);
}

static void
certificate_or_description(void **state)
{
	struct mtls_request *req = mtls_request_new();
	char big[1100];
	size_t len;
	unsigned char *pem = tpki_pem(fx.revoked, &len);

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(mtls_request_describe(req, MTLS_DESCRIBED_COUNT,
	    "x"), -1);
	assert_int_equal(mtls_request_describe(req, MTLS_DESCRIBED_ISSUER,
	    big), -1);
	assert_int_equal(mtls_request_set_cert(req, pem, len), 0);
	assert_int_equal(mtls_request_describe(req, MTLS_DESCRIBED_SERIAL,
	    "0a"), 0);
	assert_refused(mtls_verify(fx.ctx, req), MTLS_R_CERT_MALFORMED,
	    "both a certificate and a description");
	mtls_request_free(req);
	free(pem);
}

/* Verify a description against ctx; how many of ca_dir's files it
 * imported into *imported. */
static struct mtls_verdict *
verify_in(struct mtls_ctx *ctx, const char *issuer, const char *aki,
    size_t *imported)
{
	struct mtls_ctx *saved = fx.ctx;
	struct mtls_verdict *v;
	struct ctx_state *state;

	fx.ctx = ctx;
	v = verify_described(issuer, aki, "0a");
	fx.ctx = saved;
	state = ctx_hold(ctx);
	*imported = 0;
	for (size_t i = 0; i < state->known.count; i++)
		if (state->known.crts[i] != NULL)
			(*imported)++;
	ctx_release(ctx, state);
	return v;
}

/* A one-shot context over a ca_dir of the fixture's CAs and others. */
static struct mtls_ctx *
ca_dir_ctx(void)
{
	gnutls_x509_crt_t mine[4] = { fx.ca1, fx.ca2, fx.cafe, fx.odd };
	struct mtls_config *cfg = mtls_config_new();
	struct mtls_ctx *ctx = mtls_ctx_new();
	char name[64], conf[256];

	assert_non_null(cfg);
	assert_non_null(ctx);
	mkdir(path("cadir"), 0700);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "cadir/mine%d.pem", i);
		tpki_write(path(name), &mine[i], 1);
	}
	for (int i = 0; i < 12; i++) {
		gnutls_x509_privkey_t key = tpki_key_ec();
		gnutls_x509_crt_t other;

		snprintf(name, sizeof(name), "CN=Other CA %d,O=Example", i);
		other = tpki_self_signed_ca(name, key);
		snprintf(name, sizeof(name), "cadir/other%d.pem", i);
		tpki_write(path(name), &other, 1);
		gnutls_x509_crt_deinit(other);
		gnutls_x509_privkey_deinit(key);
	}
	snprintf(conf, sizeof(conf), "ca_dir = \"%s\";\naudit = false;\n",
	    path("cadir"));
	tpki_write_data(path("cadir.conf"), conf, strlen(conf));
	assert_int_equal(mtls_config_load_file(cfg, path("cadir.conf"), NULL),
	    0);
	mtls_ctx_set_one_shot(ctx, 1);
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	mtls_config_free(cfg);
	return ctx;
}

static void
ca_dir_imports_the_issuer_only(void **state)
{
	struct mtls_ctx *ctx = ca_dir_ctx();
	struct mtls_verdict *v;
	size_t imported;
	char aki[200];

	(void)state;
	v = verify_in(ctx, "/O=Example/CN=Caf\\xC3\\xA9 CA", NULL,
	    &imported);
	assert_true(mtls_verdict_accepted(v));
	assert_int_equal(imported, 1);
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);

	ctx = ca_dir_ctx();
	v = verify_in(ctx, "CN=Caf\xc3\xa9 CA,O=Example", NULL, &imported);
	assert_true(mtls_verdict_accepted(v));
	assert_int_equal(imported, 1);
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);

	/* both of the name are read, and the key identifier picks one */
	ctx = ca_dir_ctx();
	key_id(fx.ca2, aki, sizeof(aki));
	v = verify_in(ctx, "/O=Example/CN=Twin CA", aki, &imported);
	assert_true(mtls_verdict_accepted(v));
	assert_int_equal(imported, 2);
	mtls_verdict_free(v);
	v = verify_in(ctx, "/O=Example/CN=Twin CA", NULL, &imported);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_ISSUER_NOT_FOUND);
	mtls_verdict_free(v);
	/* the text decides: no file holds this one */
	v = verify_in(ctx, "/O=Example/CN=Caf\xc3\xa9 CA", NULL, &imported);
	assert_int_equal(mtls_verdict_reason(v), MTLS_R_ISSUER_NOT_FOUND);
	mtls_verdict_free(v);
	mtls_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(twins_need_a_key_id),
		cmocka_unit_test(key_id_of_another_ca),
		cmocka_unit_test(names_in_either_form),
		cmocka_unit_test(serial_with_top_bit_revoked),
		cmocka_unit_test(bad_serials),
		cmocka_unit_test(knows_no_fingerprint_or_validity),
		cmocka_unit_test(certificate_or_description),
		cmocka_unit_test(ca_dir_imports_the_issuer_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
