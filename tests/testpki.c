/* nftw() is XSI */
#define _XOPEN_SOURCE 700

#include "testpki.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

static void
check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "testpki: %s: %s\n", what, gnutls_strerror(ret));
		abort();
	}
}

static gnutls_x509_privkey_t
generate(gnutls_pk_algorithm_t pk, unsigned bits)
{
	gnutls_x509_privkey_t key;

	check(gnutls_x509_privkey_init(&key), "privkey_init");
	check(gnutls_x509_privkey_generate(key, pk, bits, 0), "generate key");
	return key;
}

gnutls_x509_privkey_t
tpki_key_ec(void)
{
	return tpki_key_ec_bits(256);
}

gnutls_x509_privkey_t
tpki_key_ec_bits(unsigned bits)
{
	gnutls_ecc_curve_t curve = bits <= 192 ? GNUTLS_ECC_CURVE_SECP192R1 :
	    bits <= 224 ? GNUTLS_ECC_CURVE_SECP224R1 :
	    bits <= 256 ? GNUTLS_ECC_CURVE_SECP256R1 :
	    GNUTLS_ECC_CURVE_SECP384R1;

	return generate(GNUTLS_PK_EC, GNUTLS_CURVE_TO_BITS(curve));
}

/* RSA generation is slow; tests share one key per size.  Callers must not
 * free these. */
gnutls_x509_privkey_t
tpki_key_rsa(unsigned bits)
{
	static struct {
		unsigned bits;
		gnutls_x509_privkey_t key;
	} cache[4];

	for (size_t i = 0; i < sizeof(cache) / sizeof(cache[0]); i++) {
		if (cache[i].key == NULL) {
			cache[i].bits = bits;
			cache[i].key = generate(GNUTLS_PK_RSA, bits);
		}
		if (cache[i].bits == bits)
			return cache[i].key;
	}
	return generate(GNUTLS_PK_RSA, bits);
}

gnutls_x509_crt_t
tpki_new(const char *dn, gnutls_x509_privkey_t key, unsigned flags)
{
	gnutls_x509_crt_t crt;
	unsigned char serial[16];
	unsigned char id[64];
	size_t idlen = sizeof(id);
	const char *err = NULL;
	time_t now = time(NULL);

	check(gnutls_x509_crt_init(&crt), "crt_init");
	check(gnutls_x509_crt_set_version(crt, (flags & TPKI_V1) ? 1 : 3),
	    "set_version");
	check(gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial)), "rnd");
	serial[0] = (serial[0] & 0x7f) | 0x10;	/* positive, full length */
	check(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), "serial");
	if (gnutls_x509_crt_set_dn(crt, dn, &err) < 0) {
		fprintf(stderr, "testpki: bad DN %s at %s\n", dn, err);
		abort();
	}
	check(gnutls_x509_crt_set_key(crt, key), "set_key");
	tpki_set_validity(crt, now - 3600, now + 365 * 86400);
	if (!(flags & TPKI_V1)) {
		check(gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, id,
		    &idlen), "key_id");
		check(gnutls_x509_crt_set_subject_key_id(crt, id, idlen), "ski");
	}
	return crt;
}

gnutls_datum_t
tpki_number(unsigned bits, unsigned long low)
{
	gnutls_datum_t n;
	unsigned spare;

	n.size = (bits + 7) / 8;
	spare = n.size * 8 - bits;
	n.data = gnutls_malloc(n.size);
	if (n.data == NULL)
		abort();
	check(gnutls_rnd(GNUTLS_RND_NONCE, n.data, n.size), "rnd");
	n.data[0] &= (unsigned char)(0xff >> spare);
	n.data[0] |= (unsigned char)(0x80 >> spare);
	for (size_t i = 0; i < sizeof(low) && i < n.size; i++, low >>= 8)
		n.data[n.size - 1 - i] |= (unsigned char)(low & 0xff);
	n.data[n.size - 1] |= 1;
	return n;
}

gnutls_x509_crt_t
tpki_new_rsa_raw(const char *dn, unsigned modulus_bits,
    const gnutls_datum_t *e)
{
	static gnutls_x509_privkey_t placeholder;
	gnutls_datum_t m = tpki_number(modulus_bits, 0);
	gnutls_pubkey_t pubkey;
	gnutls_x509_crt_t crt;

	if (placeholder == NULL)
		placeholder = tpki_key_ec();
	crt = tpki_new(dn, placeholder, TPKI_V1);
	check(gnutls_pubkey_init(&pubkey), "pubkey_init");
	check(gnutls_pubkey_import_rsa_raw(pubkey, &m, e), "import_rsa_raw");
	check(gnutls_x509_crt_set_pubkey(crt, pubkey), "set_pubkey");
	gnutls_pubkey_deinit(pubkey);
	gnutls_free(m.data);
	return crt;
}

void
tpki_set_validity(gnutls_x509_crt_t crt, time_t not_before, time_t not_after)
{
	check(gnutls_x509_crt_set_activation_time(crt, not_before), "activation");
	check(gnutls_x509_crt_set_expiration_time(crt, not_after), "expiration");
}

void
tpki_make_ca(gnutls_x509_crt_t crt, int pathlen)
{
	check(gnutls_x509_crt_set_basic_constraints(crt, 1, pathlen), "bc");
	check(gnutls_x509_crt_set_key_usage(crt,
	    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN), "ku");
}

void
tpki_make_client(gnutls_x509_crt_t crt)
{
	check(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
	    "ku");
	check(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT,
	    0), "eku");
}

/*
 * GnuTLS keeps some of a certificate's encoding (the raw names trust lists
 * index by) only from import, so a freshly signed certificate is encoded
 * and read back to behave like one received from a peer.  What GnuTLS
 * refuses to import (an empty subjectAltName entry, say) stays as built,
 * for the tests of what a lenient peer library might hand us.
 */
static void
reimport(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_t probe;
	gnutls_datum_t der;

	check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der),
	    "export");
	check(gnutls_x509_crt_init(&probe), "crt_init");
	if (gnutls_x509_crt_import(probe, &der, GNUTLS_X509_FMT_DER) >= 0)
		check(gnutls_x509_crt_import(crt, &der, GNUTLS_X509_FMT_DER),
		    "reimport");
	gnutls_x509_crt_deinit(probe);
	gnutls_free(der.data);
}

void
tpki_sign(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, gnutls_digest_algorithm_t dig)
{
	unsigned char id[64];
	size_t idlen = sizeof(id);
	unsigned crit;

	if (issuer != NULL && gnutls_x509_crt_get_version(crt) >= 3 &&
	    gnutls_x509_crt_get_subject_key_id(issuer, id, &idlen, &crit) >= 0)
		check(gnutls_x509_crt_set_authority_key_id(crt, id, idlen),
		    "aki");
	check(gnutls_x509_crt_sign2(crt, issuer != NULL ? issuer : crt,
	    issuer_key, dig, 0), "sign");
	reimport(crt);
}

gnutls_x509_crt_t
tpki_self_signed_ca(const char *dn, gnutls_x509_privkey_t key)
{
	gnutls_x509_crt_t crt = tpki_new(dn, key, 0);

	tpki_make_ca(crt, -1);
	tpki_sign(crt, NULL, key, GNUTLS_DIG_SHA256);
	return crt;
}

static unsigned char *
export(gnutls_x509_crt_t crt, gnutls_x509_crt_fmt_t fmt, size_t *len)
{
	gnutls_datum_t out;
	unsigned char *copy;

	check(gnutls_x509_crt_export2(crt, fmt, &out), "export");
	copy = malloc(out.size + 1);
	if (copy == NULL)
		abort();
	memcpy(copy, out.data, out.size);
	copy[out.size] = '\0';
	*len = out.size;
	gnutls_free(out.data);
	return copy;
}

unsigned char *
tpki_pem(gnutls_x509_crt_t crt, size_t *len)
{
	return export(crt, GNUTLS_X509_FMT_PEM, len);
}

unsigned char *
tpki_der(gnutls_x509_crt_t crt, size_t *len)
{
	return export(crt, GNUTLS_X509_FMT_DER, len);
}

void
tpki_write_data(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		abort();
	}
}

void
tpki_write(const char *path, gnutls_x509_crt_t *crts, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL) {
		perror(path);
		abort();
	}
	for (size_t i = 0; i < n; i++) {
		size_t len;
		unsigned char *pem = tpki_pem(crts[i], &len);

		if (fwrite(pem, 1, len, fp) != len)
			abort();
		free(pem);
	}
	if (fclose(fp) != 0)
		abort();
}

void
tpki_write_key(const char *path, gnutls_x509_privkey_t key)
{
	gnutls_datum_t out;

	check(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &out),
	    "key export");
	tpki_write_data(path, out.data, out.size);
	gnutls_free(out.data);
}

gnutls_x509_crl_t
tpki_crl(gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key,
    gnutls_x509_crt_t *revoked, size_t n, time_t this_update,
    time_t next_update)
{
	return tpki_crl_digest(issuer, issuer_key, revoked, n, this_update,
	    next_update, GNUTLS_DIG_SHA256);
}

gnutls_x509_crl_t
tpki_crl_digest(gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key,
    gnutls_x509_crt_t *revoked, size_t n, time_t this_update,
    time_t next_update, gnutls_digest_algorithm_t digest)
{
	gnutls_x509_crl_t crl;
	unsigned char id[64];
	size_t idlen = sizeof(id);
	unsigned crit;
	static unsigned char number = 1;

	check(gnutls_x509_crl_init(&crl), "crl_init");
	check(gnutls_x509_crl_set_version(crl, 2), "crl version");
	check(gnutls_x509_crl_set_this_update(crl, this_update), "this_update");
	check(gnutls_x509_crl_set_next_update(crl, next_update), "next_update");
	for (size_t i = 0; i < n; i++)
		check(gnutls_x509_crl_set_crt(crl, revoked[i], this_update),
		    "crl add");
	check(gnutls_x509_crl_set_number(crl, &number, 1), "crl number");
	number++;
	if (gnutls_x509_crt_get_subject_key_id(issuer, id, &idlen, &crit) >= 0)
		check(gnutls_x509_crl_set_authority_key_id(crl, id, idlen),
		    "crl aki");
	check(gnutls_x509_crl_sign2(crl, issuer, issuer_key, digest, 0),
	    "crl sign");
	return crl;
}

void
tpki_write_crl(const char *path, gnutls_x509_crl_t crl)
{
	gnutls_datum_t out;

	check(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM, &out),
	    "crl export");
	tpki_write_data(path, out.data, out.size);
	gnutls_free(out.data);
}

void
tpki_set_freshest_crl(gnutls_x509_crt_t crt, const char *uri)
{
	gnutls_x509_crl_dist_points_t points;
	gnutls_datum_t name = { (unsigned char *)uri, (unsigned)strlen(uri) };
	gnutls_datum_t der;

	/* the syntax of cRLDistributionPoints (RFC 5280, 4.2.1.15) */
	check(gnutls_x509_crl_dist_points_init(&points), "dist points");
	check(gnutls_x509_crl_dist_points_set(points, GNUTLS_SAN_URI, &name,
	    0), "dist point");
	check(gnutls_x509_ext_export_crl_dist_points(points, &der),
	    "export dist points");
	check(gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.46", der.data,
	    der.size, 0), "freshestCRL");
	gnutls_free(der.data);
	gnutls_x509_crl_dist_points_deinit(points);
}

void
tpki_db_revoked_reason(FILE *db, const unsigned char *serial, size_t len,
    const char *reason)
{
	fprintf(db, "R\t491231000000Z\t240101000000Z%s%s\t",
	    reason != NULL ? "," : "", reason != NULL ? reason : "");
	for (size_t i = 0; i < len; i++)
		fprintf(db, "%02X", serial[i]);
	fputs("\tunknown\t/CN=revoked\n", db);
}

void
tpki_db_revoked(FILE *db, const unsigned char *serial, size_t len)
{
	tpki_db_revoked_reason(db, serial, len, NULL);
}

gnutls_x509_crl_t
tpki_openssl_crl(gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuer_key,
    const char *db, const char *crl_ext)
{
	return tpki_openssl_crl_dated(issuer, issuer_key, db, crl_ext, 0, 0);
}

/* A time as "openssl ca -crl_lastupdate" takes it. */
static void
openssl_time(time_t t, char out[16])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y%m%d%H%M%SZ", &tm);
}

gnutls_x509_crl_t
tpki_openssl_crl_dated(gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, const char *db, const char *crl_ext,
    time_t this_update, time_t next_update)
{
	static unsigned number = 1000;
	gnutls_x509_crl_t crl;
	gnutls_datum_t pem;
	char cmd[2048], text[4096], dates[80] = "";
	char from[16], to[16];

	tpki_write(tpki_path("openssl-ca.pem"), &issuer, 1);
	tpki_write_key(tpki_path("openssl-ca.key"), issuer_key);
	snprintf(text, sizeof(text), "%u\n", number++);
	tpki_write_data(tpki_path("openssl-ca.number"), text, strlen(text));
	snprintf(text, sizeof(text), "[ca]\ndefault_ca = d\n[d]\n"
	    "database = %s\ncrlnumber = %s\ndefault_md = sha256\n"
	    "default_crl_days = 7\ncrl_extensions = e\n"
	    "[e]\nauthorityKeyIdentifier = keyid\n%s\n", db,
	    tpki_path("openssl-ca.number"), crl_ext != NULL ? crl_ext : "");
	tpki_write_data(tpki_path("openssl-ca.cnf"), text, strlen(text));
	if (next_update != 0) {
		openssl_time(this_update, from);
		openssl_time(next_update, to);
		snprintf(dates, sizeof(dates), " -crl_lastupdate %s "
		    "-crl_nextupdate %s", from, to);
	}
	snprintf(cmd, sizeof(cmd), "openssl ca -config %s -gencrl -keyfile %s "
	    "-cert %s -out %s -batch%s >/dev/null 2>&1",
	    tpki_path("openssl-ca.cnf"), tpki_path("openssl-ca.key"),
	    tpki_path("openssl-ca.pem"), tpki_path("openssl-ca.crl"), dates);
	if (system(cmd) != 0) {
		fprintf(stderr, "testpki: openssl ca -gencrl failed\n");
		abort();
	}
	check(gnutls_load_file(tpki_path("openssl-ca.crl"), &pem), "load crl");
	check(gnutls_x509_crl_init(&crl), "crl_init");
	check(gnutls_x509_crl_import(crl, &pem, GNUTLS_X509_FMT_PEM),
	    "crl import");
	gnutls_free(pem.data);
	return crl;
}

void
tpki_std_make(struct tpki_std *pki)
{
	pki->root_key = tpki_key_ec();
	pki->int_key = tpki_key_ec();
	pki->leaf_key = tpki_key_ec();

	pki->root = tpki_new("CN=Test Root", pki->root_key, 0);
	tpki_make_ca(pki->root, -1);
	tpki_sign(pki->root, NULL, pki->root_key, GNUTLS_DIG_SHA256);

	pki->intermediate = tpki_new("CN=Test Intermediate", pki->int_key, 0);
	tpki_make_ca(pki->intermediate, 0);
	tpki_sign(pki->intermediate, pki->root, pki->root_key,
	    GNUTLS_DIG_SHA256);

	pki->leaf = tpki_new("CN=alice", pki->leaf_key, 0);
	tpki_make_client(pki->leaf);
	tpki_sign(pki->leaf, pki->intermediate, pki->int_key,
	    GNUTLS_DIG_SHA256);
}

void
tpki_std_free(struct tpki_std *pki)
{
	gnutls_x509_crt_deinit(pki->root);
	gnutls_x509_crt_deinit(pki->intermediate);
	gnutls_x509_crt_deinit(pki->leaf);
	gnutls_x509_privkey_deinit(pki->root_key);
	gnutls_x509_privkey_deinit(pki->int_key);
	gnutls_x509_privkey_deinit(pki->leaf_key);
}

void
tpki_free(gnutls_x509_crt_t crt)
{
	gnutls_x509_crt_deinit(crt);
}

static char tmpdir[64];

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void
tpki_remove_tree(const char *path)
{
	if (remove_tree(path) != 0 && errno != ENOENT) {
		perror(path);
		abort();
	}
}

/* Tests may leave subdirectories (a cache, an index): remove it all. */
static void
remove_tmpdir(void)
{
	remove_tree(tmpdir);
}

const char *
tpki_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/mtls-test.XXXXXX");
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			abort();
		}
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *
tpki_path(const char *name)
{
	static char buf[8][512];
	static unsigned next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", tpki_tmpdir(), name);
	return p;
}
