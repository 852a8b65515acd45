/*
 * make_corpus - the seed corpus of the fuzzers, made from the fuzz PKI
 * (fuzzpki.h, $MTLS_FUZZ_PKI): make_corpus DIR writes DIR/fuzz_verify/,
 * DIR/fuzz_crl/, DIR/fuzz_crl_index/, DIR/fuzz_config/, DIR/fuzz_resign/,
 * DIR/fuzz_crl_index_flip/, DIR/fuzz_map_index_flip/ and
 * DIR/fuzz_policy_ext/.  The OCSP
 * responses need "openssl ocsp" as the responder: make_corpus.sh makes
 * those.
 *
 * Seeds are valid inputs and near misses, one of each kind each fuzzer
 * takes, so that it starts from every path rather than finding them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>

#include "certset.h"
#include "crl_index.h"
#include "fuzzpki.h"
#include "pkixasn.h"
#include "testpki.h"

/* As fuzz_verify.c splits its input. */
#define UNTRUSTED_MARKER "@@untrusted@@"

static const struct fuzzpki *pki;
static char out[4096];

static void
make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

/* A seed being assembled from parts. */
struct seed {
	unsigned char *data;
	size_t len;
};

static void
add(struct seed *s, const void *data, size_t len)
{
	unsigned char *grown = realloc(s->data, s->len + len + 1);

	if (grown == NULL)
		abort();
	memcpy(grown + s->len, data, len);
	s->data = grown;
	s->len += len;
}

static void
add_crt(struct seed *s, gnutls_x509_crt_t crt, gnutls_x509_crt_fmt_t fmt)
{
	size_t len;
	unsigned char *data = fmt == GNUTLS_X509_FMT_PEM ? tpki_pem(crt, &len) :
	    tpki_der(crt, &len);

	add(s, data, len);
	free(data);
}

static void
add_crl(struct seed *s, gnutls_x509_crl_t crl, gnutls_x509_crt_fmt_t fmt)
{
	gnutls_datum_t data;

	if (gnutls_x509_crl_export2(crl, fmt, &data) < 0)
		abort();
	add(s, data.data, data.size);
	gnutls_free(data.data);
}

static void
add_marker(struct seed *s)
{
	add(s, UNTRUSTED_MARKER, sizeof(UNTRUSTED_MARKER) - 1);
}

/* Write the seed as fuzzer/name and empty it. */
static void
put(struct seed *s, const char *fuzzer, const char *name)
{
	char path[sizeof(out) + 128];

	snprintf(path, sizeof(path), "%s/%s", out, fuzzer);
	make_dir(path);
	snprintf(path, sizeof(path), "%s/%s/%s", out, fuzzer, name);
	tpki_write_data(path, s->data, s->len);
	free(s->data);
	s->data = NULL;
	s->len = 0;
}

static void
put_text(const char *fuzzer, const char *name, const char *text)
{
	struct seed s = { NULL, 0 };

	add(&s, text, strlen(text));
	put(&s, fuzzer, name);
}

static void
verify_seeds(void)
{
	const gnutls_x509_crt_fmt_t pem = GNUTLS_X509_FMT_PEM;
	const gnutls_x509_crt_fmt_t der = GNUTLS_X509_FMT_DER;
	const gnutls_x509_crt_t clients[] = { pki->alice, pki->bob,
	    pki->carol, pki->responder };
	const char *const names[] = { "alice", "bob", "carol", "responder" };
	struct seed s = { NULL, 0 };
	char name[64];

	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++) {
		add_crt(&s, clients[i], pem);
		add_crt(&s, pki->intermediate, pem);
		snprintf(name, sizeof(name), "%s-bundle.pem", names[i]);
		put(&s, "fuzz_verify", name);
		add_crt(&s, clients[i], der);
		add_marker(&s);
		add_crt(&s, pki->intermediate, der);
		snprintf(name, sizeof(name), "%s-der-untrusted", names[i]);
		put(&s, "fuzz_verify", name);
	}
	add_crt(&s, pki->alice, pem);
	add_marker(&s);
	add_crt(&s, pki->intermediate, pem);
	add_marker(&s);
	add_crt(&s, pki->root, pem);
	put(&s, "fuzz_verify", "alice-untrusted-int-root");
	add_crt(&s, pki->alice, der);
	put(&s, "fuzz_verify", "alice-alone.der");
	add_crt(&s, pki->intermediate, pem);
	put(&s, "fuzz_verify", "intermediate.pem");
	add_crt(&s, pki->root, pem);
	put(&s, "fuzz_verify", "root.pem");
	add_crt(&s, pki->alice, pem);
	for (int i = 0; i < 17; i++) {
		add_marker(&s);
		add_crt(&s, pki->intermediate, der);
	}
	put(&s, "fuzz_verify", "too-many-inputs");
}

/*
 * A path deeper than any policy allows: CAs one under the other below the
 * root, and a client of the last, as many certificates as a client may
 * send, in one bundle; and split over the untrusted inputs with the root
 * as well, one more than a client may send.
 */
static void
deep_seeds(void)
{
	enum { DEPTH = CERTSET_MAX_PEER - 1 };
	gnutls_x509_crt_t crts[DEPTH + 1];
	gnutls_x509_crt_t issuer = pki->root;
	gnutls_x509_privkey_t issuer_key = pki->root_key, key;
	struct seed bundle = { NULL, 0 }, split = { NULL, 0 };
	char dn[32];

	for (int i = DEPTH; i >= 0; i--) {
		key = tpki_key_ec();
		snprintf(dn, sizeof(dn), i > 0 ? "CN=Deep CA %d" : "CN=deep",
		    i);
		crts[i] = tpki_new(dn, key, 0);
		if (i > 0)
			tpki_make_ca(crts[i], -1);
		else
			tpki_make_client(crts[i]);
		tpki_sign(crts[i], issuer, issuer_key, GNUTLS_DIG_SHA256);
		if (issuer_key != pki->root_key)
			gnutls_x509_privkey_deinit(issuer_key);
		issuer = crts[i];
		issuer_key = key;
	}
	gnutls_x509_privkey_deinit(issuer_key);
	for (int i = 0; i <= DEPTH; i++) {
		add_crt(&bundle, crts[i], GNUTLS_X509_FMT_PEM);
		if (i > 0 && i % 5 == 0)
			add_marker(&split);
		add_crt(&split, crts[i], GNUTLS_X509_FMT_PEM);
	}
	add_marker(&split);
	add_crt(&split, pki->root, GNUTLS_X509_FMT_DER);
	put(&bundle, "fuzz_verify", "deep-bundle");
	put(&split, "fuzz_verify", "deep-split");
	for (int i = 0; i <= DEPTH; i++)
		tpki_free(crts[i]);
}

/* The intermediate's CRL of bob by openssl, with extensions GnuTLS has
 * no setter for. */
static gnutls_x509_crl_t
openssl_crl(const char *crl_ext)
{
	unsigned char serial[64];
	size_t len = sizeof(serial);
	FILE *db = fopen(tpki_path("db.txt"), "w");

	if (db == NULL || gnutls_x509_crt_get_serial(pki->bob, serial,
	    &len) < 0)
		abort();
	tpki_db_revoked(db, serial, len);
	if (fclose(db) != 0)
		abort();
	return tpki_openssl_crl(pki->intermediate, pki->int_key,
	    tpki_path("db.txt"), crl_ext);
}

#define IDP_USER_URI "issuingDistributionPoint = critical, @idp\n" \
	"[idp]\nfullname = URI:http://crl.example/int.crl\n" \
	"onlyuser = TRUE\n"
#define IDP_CA "issuingDistributionPoint = critical, @idp\n" \
	"[idp]\nonlyCA = TRUE\n"

/* Index files of the CRLs, mended (first byte 3) and as they are (0). */
static void
index_seeds(gnutls_x509_crl_t *crls, const char *const *names, size_t n)
{
	const char *dir = tpki_path("index");
	struct seed s = { NULL, 0 };
	char name[64], path[4096], err[512];

	for (size_t i = 0; i < n; i++) {
		gnutls_datum_t der, built;
		struct crlread read;

		tpki_remove_tree(dir);
		make_dir(dir);
		if (gnutls_x509_crl_export2(crls[i], GNUTLS_X509_FMT_DER,
		    &der) < 0 || crlread_der(&read, der.data, der.size, err,
		    sizeof(err)) != 0 || crl_index_build(&read, der.data,
		    der.size, pki->intermediate, dir,
		    "http://crl.example/int.crl", 0, path, sizeof(path), err,
		    sizeof(err)) != 0 ||
		    gnutls_load_file(path, &built) < 0) {
			fprintf(stderr, "make_corpus: index of %s: %s\n",
			    names[i], err);
			exit(1);
		}
		for (unsigned mend = 0; mend <= 3; mend += 3) {
			unsigned char first = (unsigned char)mend;

			add(&s, &first, 1);
			add(&s, built.data, built.size);
			snprintf(name, sizeof(name), "%s-%u", names[i], mend);
			put(&s, "fuzz_crl_index", name);
		}
		crlread_clear(&read);
		gnutls_free(der.data);
		gnutls_free(built.data);
	}
}

static void
crl_seeds(void)
{
	gnutls_x509_crl_t crls[] = { pki->int_crl, openssl_crl(IDP_USER_URI),
	    openssl_crl(IDP_CA), openssl_crl(NULL) };
	const char *const names[] = { "int", "int-idp-user-uri",
	    "int-idp-ca", "int-openssl" };
	struct seed s = { NULL, 0 };
	char name[64];

	for (size_t i = 0; i < sizeof(crls) / sizeof(crls[0]); i++) {
		add_crl(&s, crls[i], GNUTLS_X509_FMT_PEM);
		snprintf(name, sizeof(name), "%s.pem", names[i]);
		put(&s, "fuzz_crl", name);
		add_crl(&s, crls[i], GNUTLS_X509_FMT_DER);
		snprintf(name, sizeof(name), "%s.der", names[i]);
		put(&s, "fuzz_crl", name);
	}
	add_crl(&s, pki->root_crl, GNUTLS_X509_FMT_PEM);
	put(&s, "fuzz_crl", "root.pem");
	add_crl(&s, pki->int_crl, GNUTLS_X509_FMT_PEM);
	add_crl(&s, pki->root_crl, GNUTLS_X509_FMT_PEM);
	put(&s, "fuzz_crl", "int-and-root.pem");
	index_seeds(crls, names, sizeof(crls) / sizeof(crls[0]));
	for (size_t i = 1; i < sizeof(crls) / sizeof(crls[0]); i++)
		gnutls_x509_crl_deinit(crls[i]);
}

/* Relative paths: fuzz_config.c copies the PKI next to the file. */
static const char config_every_key[] =
    "ca_file = \"root.pem\";\n"
    "ca_dir = \".\";\n"
    "intermediates_file = [\"int.pem\"];\n"
    "audit = false;\n"
    "policy = {\n"
    "  purpose = \"client\"; require_eku = true; require_v3 = true;\n"
    "  min_rsa_bits = 2048; min_ec_bits = 256; allow_sha1 = false;\n"
    "  max_depth = 4; clock_skew = 300;\n"
    "};\n"
    "revocation = {\n"
    "  mode = [\"ocsp\", \"crl\"];\n"
    "  crl_files = [\"int.crl\", \"root.crl\"];\n"
    "  crl_require = \"chain\";\n"
    "  cache_dir = \"cache\";\n"
    "  stale_grace = 3600;\n"
    "  crl_urls = [\"http://crl.example/int.crl\"];\n"
    "  crl_fetch = false;\n"
    "  ocsp_url = \"http://ocsp.example/\";\n"
    "  ocsp_timeout_ms = 2000;\n"
    "  ocsp_soft_fail = true;\n"
    "  ocsp_nonce = true;\n"
    "  ocsp_max_age = 86400;\n"
    "};\n"
    "identity = {\n"
    "  map = \"dn\"; map_file = \"users.map\";\n"
    "  issuers = [\"CN=Test Intermediate\"];\n"
    "};\n"
    "pkcs11 = { module = \"int.pem\"; token = \"token\"; };\n";

static const char config_profiles[] =
    "ca_file = \"root.pem\";\n"
    "intermediates_file = \"int.pem\";\n"
    "revocation = { mode = \"crl\"; crl_files = \"int.crl\"; };\n"
    "profiles = {\n"
    "  vpn = { policy = { purpose = \"any\"; max_depth = 2; }; };\n"
    "  wifi = {\n"
    "    revocation = { mode = \"none\"; };\n"
    "    identity = { map = \"fingerprint\"; map_file = \"users.map\"; };\n"
    "  };\n"
    "  ssh = { identity = { map = \"email\"; }; };\n"
    "};\n";

static const char config_typo[] =
    "ca_file = \"root.pem\";\n"
    "revocation = { oscp_url = \"http://ocsp.example/\"; };\n";

static const char config_bad_values[] =
    "ca_file = \"root.pem\";\n"
    "policy = { max_depth = 99; purpose = \"client\\n\"; };\n"
    "identity = { map = \"dn\"; };\n";

static void
config_seeds(void)
{
	put_text("fuzz_config", "every-key.conf", config_every_key);
	put_text("fuzz_config", "profiles.conf", config_profiles);
	put_text("fuzz_config", "typo.conf", config_typo);
	put_text("fuzz_config", "bad-values.conf", config_bad_values);
}

/*
 * fuzz_resign: a client certificate with a policy and inhibitAnyPolicy,
 * so that mutations reach policy processing (policygraph.h).
 */
static void
resign_policy_seed(void)
{
	struct gnutls_x509_policy_st policy = {
		.oid = (char *)"1.3.6.1.4.1.99999.7.1",
	};
	gnutls_x509_crt_t crt = tpki_new("CN=alice", pki->int_key, 0);
	struct seed s = { NULL, 0 };
	unsigned char octet = 0;

	tpki_make_client(crt);
	if (gnutls_x509_crt_set_policy(crt, &policy, 0) < 0 ||
	    gnutls_x509_crt_set_inhibit_anypolicy(crt, 0) < 0)
		abort();
	tpki_sign(crt, pki->intermediate, pki->int_key, GNUTLS_DIG_SHA256);
	add(&s, &octet, 1);
	add_crt(&s, crt, GNUTLS_X509_FMT_DER);
	put(&s, "fuzz_resign", "policy");
	tpki_free(crt);
}

/*
 * fuzz_resign: client certificates as DER after one octet choosing the
 * issuer and the identity rule (every choice for alice), with the names
 * each rule reads.
 */
static void
resign_seeds(void)
{
	gnutls_x509_crt_t named = tpki_new("CN=alice,O=Example,UID=alice",
	    pki->int_key, 0);
	struct seed s = { NULL, 0 };
	char name[64];

	tpki_make_client(named);
	if (gnutls_x509_crt_set_subject_alt_name(named, GNUTLS_SAN_RFC822NAME,
	    "alice@example.com", 17, GNUTLS_FSAN_APPEND) < 0 ||
	    gnutls_x509_crt_set_subject_alt_name(named, GNUTLS_SAN_DNSNAME,
	    "host.example.com", 16, GNUTLS_FSAN_APPEND) < 0 ||
	    gnutls_x509_crt_set_subject_alt_othername(named,
	    "1.3.6.1.4.1.311.20.2.3", "alice@example.com", 17,
	    GNUTLS_FSAN_APPEND | GNUTLS_FSAN_ENCODE_UTF8_STRING) < 0)
		abort();
	tpki_sign(named, pki->intermediate, pki->int_key, GNUTLS_DIG_SHA256);
	resign_policy_seed();
	for (unsigned choice = 0; choice < 10; choice++) {
		unsigned char octet = (unsigned char)choice;

		add(&s, &octet, 1);
		add_crt(&s, named, GNUTLS_X509_FMT_DER);
		snprintf(name, sizeof(name), "named-%u", choice);
		put(&s, "fuzz_resign", name);
		add(&s, &octet, 1);
		add_crt(&s, pki->alice, GNUTLS_X509_FMT_DER);
		snprintf(name, sizeof(name), "alice-%u", choice);
		put(&s, "fuzz_resign", name);
	}
	tpki_free(named);
}

/* A policy extension seed: the octet choosing it, then its DER. */
static void
put_policy_ext(unsigned char kind, const gnutls_datum_t *der,
    const char *name)
{
	struct seed s = { NULL, 0 };

	add(&s, &kind, 1);
	add(&s, der->data, der->size);
	put(&s, "fuzz_policy_ext", name);
}

/* The DER of a pkix.asn value written by writes (name, value) pairs. */
static void
put_pkix(unsigned char kind, const char *type, const char *const *writes,
    size_t n, const char *name)
{
	asn1_node value;
	unsigned char der[512];
	int len = sizeof(der);
	gnutls_datum_t d;

	if (pkixasn_create(type, &value) != ASN1_SUCCESS)
		abort();
	for (size_t i = 0; i + 1 < n; i += 2)
		if (asn1_write_value(value, writes[i], writes[i + 1],
		    writes[i + 1] == NULL ? 0 : strcmp(writes[i + 1], "NEW") ==
		    0 ? 1 : 0) != ASN1_SUCCESS)
			abort();
	if (asn1_der_coding(value, "", der, &len, NULL) != ASN1_SUCCESS)
		abort();
	asn1_delete_structure(&value);
	d.data = der;
	d.size = (unsigned)len;
	put_policy_ext(kind, &d, name);
}

/*
 * fuzz_policy_ext: each of the four extensions, valid, and a policy
 * twice and anyPolicy mapped.
 */
static void
policy_seeds(void)
{
	static const char *const mappings[] = {
		"", "NEW", "?LAST.issuerDomainPolicy", "1.3.6.1.4.1.99999.7.1",
		"?LAST.subjectDomainPolicy", "1.3.6.1.4.1.99999.7.2",
		"", "NEW", "?LAST.issuerDomainPolicy", "1.3.6.1.4.1.99999.7.1",
		"?LAST.subjectDomainPolicy", "2.5.29.32.0",
	};
	static const char *const constraints[] = {
		"requireExplicitPolicy", "0", "inhibitPolicyMapping", "2",
	};
	static const char *const twice[] = {
		"", "NEW", "?LAST.policyIdentifier", "1.3.6.1.4.1.99999.7.1",
		"?LAST.policyQualifiers", NULL,
		"", "NEW", "?LAST.policyIdentifier", "1.3.6.1.4.1.99999.7.1",
		"?LAST.policyQualifiers", NULL,
	};
	struct gnutls_x509_policy_st policy = {
		.oid = (char *)"1.3.6.1.4.1.99999.7.1",
		.qualifiers = 1,
	};
	gnutls_x509_policies_t policies;
	gnutls_datum_t der;

	policy.qualifier[0].type = GNUTLS_X509_QUALIFIER_URI;
	policy.qualifier[0].data = (char *)"http://cps.example/";
	policy.qualifier[0].size = 19;
	if (gnutls_x509_policies_init(&policies) < 0 ||
	    gnutls_x509_policies_set(policies, &policy) < 0)
		abort();
	policy.oid = (char *)"2.5.29.32.0";
	policy.qualifiers = 0;
	if (gnutls_x509_policies_set(policies, &policy) < 0 ||
	    gnutls_x509_ext_export_policies(policies, &der) < 0)
		abort();
	put_policy_ext(0, &der, "policies");
	gnutls_free(der.data);
	gnutls_x509_policies_deinit(policies);
	put_pkix(0, "CertificatePolicies", twice, 12, "policy-twice");
	put_pkix(1, "PolicyMappings", mappings, 6, "mapping");
	put_pkix(1, "PolicyMappings", mappings, 12, "any-mapped");
	put_pkix(2, "PolicyConstraints", constraints, 4, "constraints");
	if (gnutls_x509_ext_export_inhibit_anypolicy(1, &der) < 0)
		abort();
	put_policy_ext(3, &der, "inhibit-any");
	gnutls_free(der.data);
}

/*
 * fuzz_crl_index_flip and fuzz_map_index_flip: no flip (the good file),
 * and a flip or two.
 */
static void
flip_seeds(const char *fuzzer)
{
	static const unsigned char one[] = { 0, 0, 0x0b, 0x40 };
	static const unsigned char two[] = { 0, 0, 0, 0x81, 0x7f, 0xff, 0xff,
	    0xfe };
	struct seed s = { NULL, 0 };

	put_text(fuzzer, "none", "");
	add(&s, one, sizeof(one));
	put(&s, fuzzer, "one");
	add(&s, two, sizeof(two));
	put(&s, fuzzer, "two");
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_corpus DIR\n");
		return 2;
	}
	snprintf(out, sizeof(out), "%s", argv[1]);
	make_dir(out);
	pki = fuzzpki_load();
	verify_seeds();
	deep_seeds();
	crl_seeds();
	config_seeds();
	resign_seeds();
	flip_seeds("fuzz_crl_index_flip");
	flip_seeds("fuzz_map_index_flip");
	policy_seeds();
	return 0;
}
