#include "fuzzpki.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "testpki.h"

static struct fuzzpki pki;
static char dir[PATH_MAX];

static void
check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "fuzzpki: %s: %s\n", what,
		    gnutls_strerror(ret));
		abort();
	}
}

const char *
fuzzpki_path(const char *name)
{
	static char buf[8][sizeof(dir) + 64];
	static unsigned next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static gnutls_x509_crt_t
client(const char *dn, gnutls_x509_crt_t issuer, gnutls_x509_privkey_t key)
{
	gnutls_x509_privkey_t own = tpki_key_ec();
	gnutls_x509_crt_t crt = tpki_new(dn, own, 0);

	tpki_make_client(crt);
	tpki_sign(crt, issuer, key, GNUTLS_DIG_SHA256);
	gnutls_x509_privkey_deinit(own);
	return crt;
}

/* What "openssl ocsp -index" answers from: alice good, bob revoked. */
static void
write_ocsp_index(gnutls_x509_crt_t good, gnutls_x509_crt_t revoked)
{
	unsigned char serial[64];
	size_t len = sizeof(serial);
	FILE *fp = fopen(fuzzpki_path("ocsp-index.txt"), "w");

	if (fp == NULL)
		abort();
	check(gnutls_x509_crt_get_serial(good, serial, &len), "serial");
	fputs("V\t491231000000Z\t\t", fp);
	for (size_t i = 0; i < len; i++)
		fprintf(fp, "%02X", serial[i]);
	fputs("\tunknown\t/CN=alice\n", fp);
	len = sizeof(serial);
	check(gnutls_x509_crt_get_serial(revoked, serial, &len), "serial");
	tpki_db_revoked(fp, serial, len);
	if (fclose(fp) != 0)
		abort();
}

static void
make(void)
{
	struct tpki_std std;
	gnutls_x509_crt_t bob, carol, responder;
	gnutls_x509_privkey_t responder_key = tpki_key_ec();
	gnutls_x509_crl_t crl;
	time_t now = time(NULL);

	tpki_std_make(&std);
	bob = client("CN=bob", std.intermediate, std.int_key);
	carol = client("CN=carol", std.intermediate, std.int_key);
	responder = tpki_new("CN=Test OCSP Responder", responder_key, 0);
	check(gnutls_x509_crt_set_key_usage(responder,
	    GNUTLS_KEY_DIGITAL_SIGNATURE), "ku");
	check(gnutls_x509_crt_set_key_purpose_oid(responder,
	    GNUTLS_KP_OCSP_SIGNING, 0), "eku");
	tpki_sign(responder, std.intermediate, std.int_key, GNUTLS_DIG_SHA256);

	tpki_write(fuzzpki_path("root.pem"), &std.root, 1);
	tpki_write(fuzzpki_path("int.pem"), &std.intermediate, 1);
	tpki_write(fuzzpki_path("alice.pem"), &std.leaf, 1);
	tpki_write(fuzzpki_path("bob.pem"), &bob, 1);
	tpki_write(fuzzpki_path("carol.pem"), &carol, 1);
	tpki_write(fuzzpki_path("responder.pem"), &responder, 1);
	tpki_write_key(fuzzpki_path("root.key"), std.root_key);
	tpki_write_key(fuzzpki_path("int.key"), std.int_key);
	tpki_write_key(fuzzpki_path("responder.key"), responder_key);
	crl = tpki_crl(std.intermediate, std.int_key, &bob, 1, now - 3600,
	    now + 365 * 86400);
	tpki_write_crl(fuzzpki_path("int.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	crl = tpki_crl(std.root, std.root_key, NULL, 0, now - 3600,
	    now + 365 * 86400);
	tpki_write_crl(fuzzpki_path("root.crl"), crl);
	gnutls_x509_crl_deinit(crl);
	write_ocsp_index(std.leaf, bob);

	tpki_std_free(&std);
	tpki_free(bob);
	tpki_free(carol);
	tpki_free(responder);
	gnutls_x509_privkey_deinit(responder_key);
}

/* The PEM of the PKI's file name; gnutls_free() its data. */
static gnutls_datum_t
read_pem(const char *name)
{
	gnutls_datum_t pem;

	check(gnutls_load_file(fuzzpki_path(name), &pem), name);
	return pem;
}

static gnutls_x509_crt_t
load_crt(const char *name)
{
	gnutls_datum_t pem = read_pem(name);
	gnutls_x509_crt_t crt;

	check(gnutls_x509_crt_init(&crt), "crt_init");
	check(gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM), name);
	gnutls_free(pem.data);
	return crt;
}

static gnutls_x509_privkey_t
load_key(const char *name)
{
	gnutls_datum_t pem = read_pem(name);
	gnutls_x509_privkey_t key;

	check(gnutls_x509_privkey_init(&key), "privkey_init");
	check(gnutls_x509_privkey_import(key, &pem, GNUTLS_X509_FMT_PEM),
	    name);
	gnutls_free(pem.data);
	return key;
}

static gnutls_x509_crl_t
load_crl(const char *name)
{
	gnutls_datum_t pem = read_pem(name);
	gnutls_x509_crl_t crl;

	check(gnutls_x509_crl_init(&crl), "crl_init");
	check(gnutls_x509_crl_import(crl, &pem, GNUTLS_X509_FMT_PEM), name);
	gnutls_free(pem.data);
	return crl;
}

const struct fuzzpki *
fuzzpki_load(void)
{
	const char *env = getenv("MTLS_FUZZ_PKI");
	char resolved[PATH_MAX];

	if (pki.dir != NULL)
		return &pki;
	if (env != NULL && env[0] != '\0')
		snprintf(dir, sizeof(dir), "%s", env);
	else {
		snprintf(dir, sizeof(dir), "%s", tpki_path("pki"));
		fprintf(stderr, "fuzzpki: MTLS_FUZZ_PKI is not set: a fresh "
		    "PKI in %s, which no seed was made from\n", dir);
	}
	/* absolute, as the configurations written with these paths need */
	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    realpath(dir, resolved) == NULL) {
		perror(dir);
		abort();
	}
	snprintf(dir, sizeof(dir), "%s", resolved);
	/* made whole, or not at all: the index is written last */
	if (access(fuzzpki_path("ocsp-index.txt"), R_OK) != 0)
		make();
	pki.root = load_crt("root.pem");
	pki.intermediate = load_crt("int.pem");
	pki.alice = load_crt("alice.pem");
	pki.bob = load_crt("bob.pem");
	pki.carol = load_crt("carol.pem");
	pki.responder = load_crt("responder.pem");
	pki.root_key = load_key("root.key");
	pki.int_key = load_key("int.key");
	pki.int_crl = load_crl("int.crl");
	pki.root_crl = load_crl("root.crl");
	pki.dir = dir;
	return &pki;
}
