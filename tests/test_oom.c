/*
 * Memory running out while a verification reads and judges the client's
 * input: the allocation functions libmtls calls are wrapped at link time
 * (-Wl,--wrap=malloc,... over the static libmtls, see CMakeLists.txt), and
 * each verification is run again with its 1st, 2nd, ... allocation
 * failing, until one runs through without failing any.
 *
 * Whatever fails, a certificate that should be refused is never
 * accepted, and a good one is never refused as malformed (or for any
 * reason but internal-error): out of memory is the server's trouble, not
 * the user's certificate.  What GnuTLS, libtasn1 and libc allocate
 * inside themselves (gnutls_malloc included) is out of reach of --wrap,
 * which redirects only the calls made from the objects linked here: the
 * GnuTLS calls that decode are wrapped instead, to fail in turn with
 * GNUTLS_E_MEMORY_ERROR as GnuTLS does when memory runs out inside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>

#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

/* No verification makes nearly this many allocations. */
#define MAX_ALLOCATIONS 100000

static struct {
	bool in_gnutls;		/* GnuTLS's calls fail, not allocations */
	unsigned fail_at;	/* the call to fail, 1 on; 0: none */
	unsigned count;		/* calls since armed */
	bool failed;		/* fail_at was reached */
} oom;

/* The linker's names for the functions and for what replaces them. */
void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static bool
fails(bool in_gnutls)
{
	if (oom.fail_at == 0 || oom.in_gnutls != in_gnutls ||
	    ++oom.count != oom.fail_at)
		return false;
	oom.failed = true;
	return true;
}

static bool
out_of_memory(void)
{
	return fails(false);
}

/*
 * The GnuTLS calls libmtls makes that decode, and so allocate, inside
 * GnuTLS, where --wrap=malloc cannot reach: each may fail as GnuTLS does
 * when memory runs out, with GNUTLS_E_MEMORY_ERROR.
 */
#define GNUTLS_CALL(name, params, args)					\
	int __real_##name params;					\
	int __wrap_##name params;					\
	int								\
	__wrap_##name params						\
	{								\
		return fails(true) ? GNUTLS_E_MEMORY_ERROR :		\
		    __real_##name args;					\
	}

GNUTLS_CALL(gnutls_x509_crt_list_import2, (gnutls_x509_crt_t **certs,
    unsigned *size, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format,
    unsigned flags), (certs, size, data, format, flags))
GNUTLS_CALL(gnutls_x509_crt_import, (gnutls_x509_crt_t cert,
    const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format),
    (cert, data, format))
GNUTLS_CALL(gnutls_x509_crt_get_extension_by_oid2, (gnutls_x509_crt_t cert,
    const char *oid, unsigned indx, gnutls_datum_t *output,
    unsigned *critical), (cert, oid, indx, output, critical))
GNUTLS_CALL(gnutls_x509_crt_get_extension_info, (gnutls_x509_crt_t cert,
    unsigned indx, void *oid, size_t *oid_size, unsigned *critical),
    (cert, indx, oid, oid_size, critical))
GNUTLS_CALL(gnutls_x509_crt_get_key_usage, (gnutls_x509_crt_t cert,
    unsigned *key_usage, unsigned *critical), (cert, key_usage, critical))
GNUTLS_CALL(gnutls_x509_crt_get_basic_constraints, (gnutls_x509_crt_t cert,
    unsigned *critical, unsigned *ca, int *pathlen),
    (cert, critical, ca, pathlen))
GNUTLS_CALL(gnutls_x509_crt_get_subject_key_id, (gnutls_x509_crt_t cert,
    void *ret, size_t *ret_size, unsigned *critical),
    (cert, ret, ret_size, critical))
GNUTLS_CALL(gnutls_x509_crt_get_authority_key_id, (gnutls_x509_crt_t cert,
    void *id, size_t *id_size, unsigned *critical),
    (cert, id, id_size, critical))
GNUTLS_CALL(gnutls_x509_ext_import_subject_alt_names,
    (const gnutls_datum_t *ext, gnutls_subject_alt_names_t sans,
    unsigned flags), (ext, sans, flags))
GNUTLS_CALL(gnutls_x509_ext_import_key_purposes, (const gnutls_datum_t *ext,
    gnutls_x509_key_purposes_t p, unsigned flags), (ext, p, flags))
GNUTLS_CALL(gnutls_x509_crt_get_raw_dn, (gnutls_x509_crt_t cert,
    gnutls_datum_t *dn), (cert, dn))
GNUTLS_CALL(gnutls_x509_crt_get_raw_issuer_dn, (gnutls_x509_crt_t cert,
    gnutls_datum_t *dn), (cert, dn))

void *
__wrap_malloc(size_t size)
{
	return out_of_memory() ? NULL : __real_malloc(size);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return out_of_memory() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t size)
{
	return out_of_memory() ? NULL : __real_realloc(p, size);
}

char *
__wrap_strdup(const char *s)
{
	return out_of_memory() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return out_of_memory() ? NULL : __real_strndup(s, n);
}

static struct mtls_config *cfg;
static gnutls_x509_crt_t bob;		/* revoked */
static gnutls_x509_crt_t carol;		/* expired */

static int
setup(void **state)
{
	gnutls_x509_crl_t crl;
	time_t now = time(NULL);

	pki_setup(state);
	bob = tpki_new("CN=bob", pki.leaf_key, 0);
	tpki_make_client(bob);
	tpki_sign(bob, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	carol = tpki_new("CN=carol", pki.leaf_key, 0);
	tpki_set_validity(carol, now - 2 * 86400, now - 86400);
	tpki_make_client(carol);
	tpki_sign(carol, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	crl = tpki_crl(pki.intermediate, pki.int_key, &bob, 1, now - 60,
	    now + 86400);
	tpki_write_crl(tpki_path("int.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);

	cfg = mtls_config_new();
	assert_non_null(cfg);
	mtls_config_set_audit(cfg, 0);
	assert_int_equal(mtls_config_add_ca_file(cfg, tpki_path("root.pem")),
	    0);
	assert_int_equal(mtls_config_add_intermediates_file(cfg,
	    tpki_path("int.pem")), 0);
	assert_int_equal(mtls_config_add_crl_file(cfg, tpki_path("int.crl")),
	    0);
	assert_int_equal(mtls_config_set_revocation_mode(cfg, "crl"), 0);
	return 0;
}

static int
teardown(void **state)
{
	mtls_config_free(cfg);
	tpki_free(bob);
	tpki_free(carol);
	return pki_teardown(state);
}

/*
 * Verify req again and again, the nth allocation (in_gnutls: the nth call
 * of GnuTLS's above) of the nth run failing, until a run fails none; want
 * is the verdict when memory suffices.  Each run on a new context, whose
 * path cache knows nothing yet: the whole verification, every time.
 * Returns how many runs had something fail.
 */
static unsigned
verify_short_of_memory(const struct mtls_config *config,
    const struct mtls_request *req, enum mtls_reason want, bool in_gnutls)
{
	unsigned n;

	oom.in_gnutls = in_gnutls;
	for (n = 1; n < MAX_ALLOCATIONS; n++) {
		struct mtls_ctx *ctx = mtls_ctx_new();
		struct mtls_verdict *v;
		enum mtls_reason got;
		bool accepted;

		assert_non_null(ctx);
		if (mtls_ctx_configure(ctx, config) != 0)
			fail_msg("configure: %s", mtls_ctx_error(ctx));
		oom.fail_at = n;
		oom.count = 0;
		oom.failed = false;
		v = mtls_verify(ctx, req);
		oom.fail_at = 0;
		accepted = mtls_verdict_accepted(v);
		got = mtls_verdict_reason(v);
		/* a failure may be made up for (a message without a serial
		 * number), or be the reason, nothing else */
		if (got != want && (!oom.failed || got != MTLS_R_INTERNAL))
			fail_msg("run %u, %s: expected %s, got %s: %s", n,
			    !oom.failed ? "nothing failed" : in_gnutls ?
			    "a GnuTLS call failed" : "an allocation failed",
			    mtls_reason_name(want), mtls_reason_name(got),
			    mtls_verdict_explanation(v));
		if (accepted != (got == MTLS_R_OK) ||
		    accepted != (mtls_verdict_user(v) != NULL))
			fail_msg("run %u: a verdict that contradicts itself "
			    "(%s)", n, mtls_reason_name(got));
		mtls_verdict_free(v);
		mtls_ctx_free(ctx);
		if (!oom.failed)
			break;
	}
	assert_true(n < MAX_ALLOCATIONS);
	return n - 1;
}

static void
short_of_memory(const void *data, size_t len, enum mtls_reason want)
{
	struct mtls_request *req = mtls_request_new();

	assert_non_null(req);
	assert_int_equal(mtls_request_set_cert(req, data, len), 0);
	/* at least the verdict itself is allocated, and the input read */
	assert_true(verify_short_of_memory(cfg, req, want, false) > 0);
	assert_true(verify_short_of_memory(cfg, req, want, true) > 0);
	mtls_request_free(req);
}

static void
short_of_memory_crts(const struct mtls_config *config, gnutls_x509_crt_t *crts,
    size_t n, enum mtls_reason want)
{
	struct mtls_request *req = request_crts(crts, n);

	assert_true(verify_short_of_memory(config, req, want, false) > 0);
	assert_true(verify_short_of_memory(config, req, want, true) > 0);
	mtls_request_free(req);
}

static void
good_certificate_is_never_malformed(void **state)
{
	gnutls_x509_crt_t sent[] = { pki.leaf, pki.intermediate };

	(void)state;
	short_of_memory_crts(cfg, sent, 1, MTLS_R_OK);
	short_of_memory_crts(cfg, sent, 2, MTLS_R_OK);
}

static void
refused_certificates_are_never_accepted(void **state)
{
	gnutls_x509_crt_t bobs[] = { bob, pki.intermediate };

	(void)state;
	short_of_memory_crts(cfg, bobs, 2, MTLS_R_REVOKED);
	short_of_memory_crts(cfg, &carol, 1, MTLS_R_EXPIRED);
	short_of_memory_crts(cfg, &pki.root, 1, MTLS_R_LEAF_IS_CA);
}

/* Comparing the issuer with identity.issuers runs short of memory too;
 * its name is written in another case than the CA's. */
static void
issuer_binding_short_of_memory(void **state)
{
	struct mtls_config *bound = config_from_settings("intermediates_file = "
	    "\"int.pem\";\nidentity = { issuers = "
	    "\"cn=test intermediate\"; };");
	struct mtls_config *other = config_from_settings("intermediates_file = "
	    "\"int.pem\";\nidentity = { issuers = \"CN=Other CA\"; };");

	(void)state;
	short_of_memory_crts(bound, &pki.leaf, 1, MTLS_R_OK);
	short_of_memory_crts(other, &pki.leaf, 1, MTLS_R_USER_UNMAPPED);
	mtls_config_free(other);
	mtls_config_free(bound);
}

/* A certificate signed by issuer's key, with the certificate policy oid. */
static gnutls_x509_crt_t
with_policy(const char *dn, const char *oid, bool ca, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key)
{
	struct gnutls_x509_policy_st policy = { .oid = (char *)oid };
	gnutls_x509_crt_t crt = tpki_new(dn, pki.int_key, 0);

	if (ca)
		tpki_make_ca(crt, -1);
	else
		tpki_make_client(crt);
	assert_int_equal(gnutls_x509_crt_set_policy(crt, &policy, 0), 0);
	tpki_sign(crt, issuer, issuer_key, GNUTLS_DIG_SHA256);
	return crt;
}

/* Certificate policies processed short of memory: a path the profile's
 * acceptable policy holds for, through the CA's anyPolicy, and one it
 * does not; the CA configured, and sent by the client. */
static void
policies_short_of_memory(void **state)
{
	struct mtls_config *explicit, *sent;
	gnutls_x509_crt_t path[2];

	(void)state;
	path[1] = with_policy("CN=Policy CA", "2.5.29.32.0", true, pki.root,
	    pki.root_key);
	tpki_write(tpki_path("policy-ca.pem"), &path[1], 1);
	explicit = config_from_settings("intermediates_file = "
	    "\"policy-ca.pem\";\npolicy = { acceptable_policies = "
	    "\"1.3.6.1.4.1.99999.7.1\"; };");
	sent = config_from_settings("policy = { acceptable_policies = "
	    "\"1.3.6.1.4.1.99999.7.1\"; };");
	path[0] = with_policy("CN=dave", "1.3.6.1.4.1.99999.7.1", false,
	    path[1], pki.int_key);
	short_of_memory_crts(explicit, path, 2, MTLS_R_OK);
	short_of_memory_crts(sent, path, 2, MTLS_R_OK);
	tpki_free(path[0]);
	path[0] = with_policy("CN=dave", "1.3.6.1.4.1.99999.7.2", false,
	    path[1], pki.int_key);
	short_of_memory_crts(explicit, path, 2, MTLS_R_POLICY);
	short_of_memory_crts(sent, path, 2, MTLS_R_POLICY);
	tpki_free(path[0]);
	tpki_free(path[1]);
	mtls_config_free(explicit);
	mtls_config_free(sent);
}

static void
malformed_input_is_never_accepted(void **state)
{
	static const char bad_pem[] = "-----BEGIN CERTIFICATE-----\n"
	    "bm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
	size_t len;
	unsigned char *der = tpki_der(pki.leaf, &len);

	(void)state;
	short_of_memory(bad_pem, sizeof(bad_pem) - 1, MTLS_R_CERT_MALFORMED);
	/* cut short */
	short_of_memory(der, len - 10, MTLS_R_CERT_MALFORMED);
	free(der);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_certificate_is_never_malformed),
		cmocka_unit_test(refused_certificates_are_never_accepted),
		cmocka_unit_test(issuer_binding_short_of_memory),
		cmocka_unit_test(policies_short_of_memory),
		cmocka_unit_test(malformed_input_is_never_accepted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
