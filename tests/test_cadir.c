/*
 * ca_dir: a verification imports only the certificates of the directory
 * its path needs, and decides exactly as if it had read them all.  The
 * same clients are verified with a directory of one file, with one of
 * many (decoys, a second anchor of the root's name, a bundle, a hash
 * link, a broken file, a note), and with all those certificates in one
 * ca_file, which is read whole; a broken file is passed over by
 * verifications and named by the check "mtls config check" runs; a file
 * added later is seen by the next load of the configuration.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctx.h"
#include "mtls.h"
#include "testpki.h"
#include "testutil.h"

#define DECOYS 120

/* other_root issued bob; stranger is in no directory and issued eve;
 * impostor has the root's name and another key. */
static gnutls_x509_privkey_t decoy_key, other_key, stranger_key;
static gnutls_x509_crt_t decoys[DECOYS], other_root, stranger, impostor;
static gnutls_x509_crt_t bob, eve;

static gnutls_x509_crt_t
client_of(const char *dn, gnutls_x509_crt_t ca, gnutls_x509_privkey_t key)
{
	gnutls_x509_crt_t crt = tpki_new(dn, pki.leaf_key, 0);

	tpki_make_client(crt);
	tpki_sign(crt, ca, key, GNUTLS_DIG_SHA256);
	return crt;
}

static void
write_text(const char *path, const char *text)
{
	tpki_write_data(path, text, strlen(text));
}

/* A configuration of ca_dir dir, or of ca_file file, beside the
 * intermediate. */
static struct mtls_config *
config_of(const char *key, const char *path)
{
	struct mtls_config *cfg = mtls_config_new();
	char text[4096];

	assert_non_null(cfg);
	snprintf(text, sizeof(text), "%s = \"%s\";\nintermediates_file = "
	    "\"%s\";\naudit = false;\n", key, path, tpki_path("int.pem"));
	write_text(tpki_path("cadir.conf"), text);
	if (mtls_config_load_file(cfg, tpki_path("cadir.conf"), NULL) != 0)
		fail_msg("%s", mtls_config_error(cfg));
	return cfg;
}

static struct mtls_ctx *
ctx_of(const char *key, const char *path)
{
	struct mtls_config *cfg = config_of(key, path);
	struct mtls_ctx *ctx = mtls_ctx_new();

	assert_non_null(ctx);
	if (mtls_ctx_configure(ctx, cfg) != 0)
		fail_msg("%s: %s", path, mtls_ctx_error(ctx));
	mtls_config_free(cfg);
	return ctx;
}

static int
setup(void **state)
{
	char path[4096];

	pki_setup(state);
	decoy_key = tpki_key_ec();
	other_key = tpki_key_ec();
	stranger_key = tpki_key_ec();
	for (size_t i = 0; i < DECOYS; i++) {
		snprintf(path, sizeof(path), "CN=Decoy CA %zu", i);
		decoys[i] = tpki_self_signed_ca(path, decoy_key);
	}
	other_root = tpki_self_signed_ca("CN=Other Root", other_key);
	stranger = tpki_self_signed_ca("CN=Stranger CA", stranger_key);
	impostor = tpki_self_signed_ca("CN=Test Root", decoy_key);
	bob = client_of("CN=bob", other_root, other_key);
	eve = client_of("CN=eve", stranger, stranger_key);
	tpki_write(tpki_path("int.pem"), &pki.intermediate, 1);

	assert_int_equal(mkdir(tpki_path("one"), 0755), 0);
	tpki_write(tpki_path("one/root.pem"), &pki.root, 1);

	assert_int_equal(mkdir(tpki_path("many"), 0755), 0);
	for (size_t i = 3; i < DECOYS; i++) {
		snprintf(path, sizeof(path), "%s/decoy%03zu.pem",
		    tpki_path("many"), i);
		tpki_write(path, &decoys[i], 1);
	}
	tpki_write(tpki_path("many/bundle.pem"), decoys, 3);
	tpki_write(tpki_path("many/impostor.pem"), &impostor, 1);
	tpki_write(tpki_path("many/root.pem"), &pki.root, 1);
	tpki_write(tpki_path("many/other.pem"), &other_root, 1);
	/* as "openssl rehash" links them */
	assert_int_equal(symlink("root.pem", tpki_path("many/5d30f3c4.0")), 0);
	assert_int_equal(mkdir(tpki_path("many/old"), 0755), 0);
	write_text(tpki_path("many/broken.pem"), "-----BEGIN CERTIFICATE-----"
	    "\nMIIB\n-----END CERTIFICATE-----\n");

	/* the same certificates, in one file read whole */
	{
		gnutls_x509_crt_t all[DECOYS + 3];

		memcpy(all, decoys, sizeof(decoys));
		all[DECOYS] = impostor;
		all[DECOYS + 1] = pki.root;
		all[DECOYS + 2] = other_root;
		tpki_write(tpki_path("all.pem"), all, DECOYS + 3);
	}
	return 0;
}

static int
teardown(void **state)
{
	for (size_t i = 0; i < DECOYS; i++)
		tpki_free(decoys[i]);
	tpki_free(other_root);
	tpki_free(stranger);
	tpki_free(impostor);
	tpki_free(bob);
	tpki_free(eve);
	gnutls_x509_privkey_deinit(decoy_key);
	gnutls_x509_privkey_deinit(other_key);
	gnutls_x509_privkey_deinit(stranger_key);
	return pki_teardown(state);
}

/* The reason and the path of leaf's verdict, as one line. */
static void
verdict_of(struct mtls_ctx *ctx, gnutls_x509_crt_t leaf, char *out,
    size_t outlen)
{
	gnutls_x509_crt_t sent[2] = { leaf, pki.intermediate };
	struct mtls_verdict *v = verify_crts(ctx, sent,
	    leaf == pki.leaf ? 2 : 1, NULL);
	size_t len = (size_t)snprintf(out, outlen, "%s:",
	    mtls_reason_name(mtls_verdict_reason(v)));

	for (size_t i = 0; i < mtls_verdict_chain_length(v) && len < outlen; i++)
		len += (size_t)snprintf(out + len, outlen - len, " <%s>",
		    mtls_verdict_chain_subject(v, i));
	mtls_verdict_free(v);
}

static void
many_files_decide_as_one_and_as_a_bundle(void **state)
{
	struct mtls_ctx *one = ctx_of("ca_dir", tpki_path("one"));
	struct mtls_ctx *many = ctx_of("ca_dir", tpki_path("many"));
	struct mtls_ctx *file = ctx_of("ca_file", tpki_path("all.pem"));
	char a[1024], b[1024];

	(void)state;
	/* alice's root is in both directories, beside its namesake in the
	 * many; bob's only in the many; eve's in none */
	verdict_of(one, pki.leaf, a, sizeof(a));
	assert_string_equal(a, "ok: <CN=alice> <CN=Test Intermediate> "
	    "<CN=Test Root>");
	verdict_of(many, pki.leaf, b, sizeof(b));
	assert_string_equal(a, b);
	verdict_of(one, bob, a, sizeof(a));
	assert_contains(a, "issuer-not-found:");
	verdict_of(many, bob, a, sizeof(a));
	assert_string_equal(a, "ok: <CN=bob> <CN=Other Root>");
	verdict_of(one, eve, a, sizeof(a));
	verdict_of(many, eve, b, sizeof(b));
	assert_contains(a, "issuer-not-found:");
	assert_string_equal(a, b);

	/* read lazily or whole, the same verdicts */
	verdict_of(many, pki.leaf, a, sizeof(a));
	verdict_of(file, pki.leaf, b, sizeof(b));
	assert_string_equal(a, b);
	verdict_of(many, bob, a, sizeof(a));
	verdict_of(file, bob, b, sizeof(b));
	assert_string_equal(a, b);
	verdict_of(many, eve, a, sizeof(a));
	verdict_of(file, eve, b, sizeof(b));
	assert_string_equal(a, b);
	mtls_ctx_free(one);
	mtls_ctx_free(many);
	mtls_ctx_free(file);
}

/* Of two anchors of one name, only the one whose key signed is one: the
 * other alone refuses alice, as it does from a ca_file. */
static void
namesake_anchor_alone_does_not_verify(void **state)
{
	struct mtls_ctx *dir, *file;
	char a[1024], b[1024];

	(void)state;
	assert_int_equal(mkdir(tpki_path("namesake"), 0755), 0);
	tpki_write(tpki_path("namesake/impostor.pem"), &impostor, 1);
	tpki_write(tpki_path("impostor.pem"), &impostor, 1);
	dir = ctx_of("ca_dir", tpki_path("namesake"));
	file = ctx_of("ca_file", tpki_path("impostor.pem"));
	verdict_of(dir, pki.leaf, a, sizeof(a));
	verdict_of(file, pki.leaf, b, sizeof(b));
	assert_contains(a, "key-identifier:");
	assert_string_equal(a, b);
	mtls_ctx_free(dir);
	mtls_ctx_free(file);
	tpki_remove_tree(tpki_path("namesake"));
}

/*
 * A broken file trusts nothing: verifications pass over it, and what
 * "mtls config check" runs names it; as it names a certificate whose key
 * no CA has, which a verification imports only when a path needs it.
 */
static void
broken_files_are_named_by_the_check(void **state)
{
	struct mtls_ctx *ctx = ctx_of("ca_dir", tpki_path("many"));
	gnutls_datum_t e = { (unsigned char *)"\x01\x00\x01", 3 };
	gnutls_x509_crt_t huge = tpki_new_rsa_raw("CN=Huge CA", 16400, &e);
	char why[1024], v[1024];

	(void)state;
	verdict_of(ctx, pki.leaf, v, sizeof(v));
	assert_contains(v, "ok:");
	assert_int_equal(ctx_check_ca_dir(ctx, why, sizeof(why)), -1);
	assert_contains(why, "many/broken.pem: bad PEM certificate");
	assert_contains(why, "move it out of the directory");
	mtls_ctx_free(ctx);

	assert_int_equal(mkdir(tpki_path("huge"), 0755), 0);
	tpki_write(tpki_path("huge/root.pem"), &pki.root, 1);
	/* signed by the root: but its key is refused before any signature
	 * is checked with it */
	tpki_sign(huge, pki.root, pki.root_key, GNUTLS_DIG_SHA256);
	{
		size_t len;
		unsigned char *der = tpki_der(huge, &len);

		tpki_write_data(tpki_path("huge/huge.der"), der, len);
		free(der);
	}
	ctx = ctx_of("ca_dir", tpki_path("huge"));
	verdict_of(ctx, pki.leaf, v, sizeof(v));
	assert_contains(v, "ok:");
	assert_int_equal(ctx_check_ca_dir(ctx, why, sizeof(why)), -1);
	assert_contains(why, "huge/huge.der: configured certificate "
	    "'CN=Huge CA' has");
	mtls_ctx_free(ctx);
	tpki_free(huge);
	tpki_remove_tree(tpki_path("huge"));

	ctx = ctx_of("ca_dir", tpki_path("one"));
	assert_int_equal(ctx_check_ca_dir(ctx, why, sizeof(why)), 0);
	mtls_ctx_free(ctx);
}

/* The configuration fails naming path, and why. */
static void
configure_fails(const char *dir, const char *why)
{
	struct mtls_config *cfg = config_of("ca_dir", dir);
	struct mtls_ctx *ctx = mtls_ctx_new();

	assert_int_equal(mtls_ctx_configure(ctx, cfg), -1);
	assert_contains(mtls_ctx_error(ctx), why);
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
}

/*
 * As root, each file of the directory is root's and written by nobody
 * else, and so is every directory a link in it leads through: the
 * directory's own way is checked once, not each file's.
 */
static void
files_others_could_write_fail_the_directory(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(tpki_path("owned"), 0755), 0);
	tpki_write(tpki_path("owned/root.pem"), &pki.root, 1);
	tpki_write(tpki_path("owned/other.pem"), &other_root, 1);
	assert_int_equal(chown(tpki_path("owned/other.pem"), 65534, 0), 0);
	configure_fails(tpki_path("owned"), "other.pem: owned by uid 65534");
	assert_int_equal(chown(tpki_path("owned/other.pem"), 0, 0), 0);
	assert_int_equal(chmod(tpki_path("owned/other.pem"), 0664), 0);
	configure_fails(tpki_path("owned"), "other.pem: writable by its "
	    "group");
	assert_int_equal(unlink(tpki_path("owned/other.pem")), 0);

	/* a link to a root-owned file in a directory anyone may write */
	assert_int_equal(mkdir(tpki_path("open"), 0777), 0);
	assert_int_equal(chmod(tpki_path("open"), 0777), 0);
	tpki_write(tpki_path("open/other.pem"), &other_root, 1);
	assert_int_equal(symlink(tpki_path("open/other.pem"),
	    tpki_path("owned/link.pem")), 0);
	configure_fails(tpki_path("owned"), "open: writable by everyone");
	assert_int_equal(chmod(tpki_path("open"), 0755), 0);
	mtls_ctx_free(ctx_of("ca_dir", tpki_path("owned")));
	tpki_remove_tree(tpki_path("owned"));
	tpki_remove_tree(tpki_path("open"));
}

/* A long-running context reads the directory when it is configured, and
 * sees a CA added to it when configured again. */
static void
added_file_is_seen_by_the_next_load(void **state)
{
	struct mtls_config *cfg = config_of("ca_dir", tpki_path("one"));
	struct mtls_ctx *ctx = mtls_ctx_new();
	char v[1024];

	(void)state;
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	verdict_of(ctx, bob, v, sizeof(v));
	assert_contains(v, "issuer-not-found:");
	tpki_write(tpki_path("one/other.pem"), &other_root, 1);
	verdict_of(ctx, bob, v, sizeof(v));
	assert_contains(v, "issuer-not-found:");
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	verdict_of(ctx, bob, v, sizeof(v));
	assert_string_equal(v, "ok: <CN=bob> <CN=Other Root>");
	assert_int_equal(unlink(tpki_path("one/other.pem")), 0);
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	verdict_of(ctx, bob, v, sizeof(v));
	assert_contains(v, "issuer-not-found:");
	mtls_ctx_free(ctx);
	mtls_config_free(cfg);
}

enum { WORKERS = 4, ROUNDS = 20 };

struct worker {
	struct mtls_ctx *ctx;
	int accepted;
};

static void *
verify_both(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < ROUNDS; i++) {
		gnutls_x509_crt_t sent[2] = { pki.leaf, pki.intermediate };
		struct mtls_request *req = request_crts(i % 2 ? &bob : sent,
		    i % 2 ? 1 : 2);
		struct mtls_verdict *v = mtls_verify(w->ctx, req);

		w->accepted += mtls_verdict_reason(v) == MTLS_R_OK;
		mtls_verdict_free(v);
		mtls_request_free(req);
	}
	return NULL;
}

/* Threads that first need the same certificates of the directory import
 * each once, safely. */
static void
threads_import_what_they_need_together(void **state)
{
	struct mtls_ctx *ctx = ctx_of("ca_dir", tpki_path("many"));
	struct worker w[WORKERS];
	pthread_t t[WORKERS];

	(void)state;
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ ctx, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, verify_both,
		    &w[i]), 0);
	}
	for (int i = 0; i < WORKERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].accepted, ROUNDS);
	}
	mtls_ctx_free(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_files_decide_as_one_and_as_a_bundle),
		cmocka_unit_test(namesake_anchor_alone_does_not_verify),
		cmocka_unit_test(broken_files_are_named_by_the_check),
		cmocka_unit_test(files_others_could_write_fail_the_directory),
		cmocka_unit_test(added_file_is_seen_by_the_next_load),
		cmocka_unit_test(threads_import_what_they_need_together),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
