/* Identity mapping: every rule, issuer binding, names that must never map,
 * and the map file's format and errors. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "certname.h"
#include "identity.h"
#include "mapfile.h"
#include "testder.h"
#include "testpki.h"
#include "testutil.h"

#define OID_USER_ID "0.9.2342.19200300.100.1.1"
#define OID_MS_UPN "1.3.6.1.4.1.311.20.2.3"

/* A client certificate for dn, issued by the standard intermediate after
 * bend (if any) has added to it. */
static gnutls_x509_crt_t
leaf_for(const char *dn, void (*bend)(gnutls_x509_crt_t))
{
	gnutls_x509_crt_t leaf = tpki_new(dn, pki.leaf_key, 0);

	tpki_make_client(leaf);
	if (bend != NULL)
		bend(leaf);
	tpki_sign(leaf, pki.intermediate, pki.int_key, GNUTLS_DIG_SHA256);
	return leaf;
}

static struct identity *
load(enum mtls_map_rule rule, const char *map_file)
{
	struct mtls_identity conf = { rule, (char *)map_file, { NULL, 0 } };
	struct identity *id;
	char err[512];

	if (identity_load(&id, &conf, NULL, NULL, err, sizeof(err)) != 0)
		fail_msg("identity_load: %s", err);
	return id;
}

/* identity_load fails with an error containing part. */
static void
assert_load_fails(enum mtls_map_rule rule, const char *map_file,
    const char *part)
{
	struct mtls_identity conf = { rule, (char *)map_file, { NULL, 0 } };
	struct identity *id = (struct identity *)&conf;
	char err[512] = "";

	assert_int_equal(identity_load(&id, &conf, NULL, NULL, err,
	    sizeof(err)), -1);
	assert_null(id);
	assert_contains(err, part);
}

static void
assert_maps(const struct identity *id, gnutls_x509_crt_t leaf,
    const char *want)
{
	char *fp = certname_fingerprint_alloc(leaf);
	char *user = NULL;
	struct finding f;

	memset(&f, 0, sizeof(f));
	if (identity_map(id, leaf, true, fp, &user, &f) != 0)
		fail_msg("not mapped: %s", f.text);
	assert_string_equal(user, want);
	free(user);
	free(fp);
}

static void
assert_unmapped(const struct identity *id, gnutls_x509_crt_t leaf,
    const char *part)
{
	char *fp = certname_fingerprint_alloc(leaf);
	char *user = NULL;
	struct finding f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(identity_map(id, leaf, true, fp, &user, &f), -1);
	assert_null(user);
	assert_int_equal(f.reason, MTLS_R_USER_UNMAPPED);
	assert_contains(f.text, part);
	free(fp);
}

/* The map file loads (lines are judged when used), and a whole-file
 * check, as "mtls config check" runs it, fails with part. */
static void
assert_check_fails(enum mtls_map_rule rule, const char *map_file,
    const char *part)
{
	struct identity *id = load(rule, map_file);
	char err[512] = "";

	assert_int_equal(identity_check_map(id, err, sizeof(err)), -1);
	assert_contains(err, part);
	identity_free(id);
}

/* As assert_check_fails(), and a lookup of dn refuses with part too. */
static void
assert_dn_refused(const char *map_file, const char *dn, const char *part)
{
	struct identity *id = load(MTLS_MAP_DN, map_file);
	gnutls_x509_crt_t leaf = leaf_for(dn, NULL);

	assert_unmapped(id, leaf, part);
	assert_unmapped(id, leaf, "mtls config check");
	assert_check_fails(MTLS_MAP_DN, map_file, part);
	tpki_free(leaf);
	identity_free(id);
}

/*
 * A client certificate for dn, after bend (if any) has added to it, and
 * what a rule makes of it: the user it maps to or, with user NULL, words
 * of the explanation of its refusal.
 */
struct rule_case {
	const char *dn;
	void (*bend)(gnutls_x509_crt_t);
	const char *user;
	const char *refusal;
};

/* Each of cases[0..n-1] under rule, without map file. */
static void
assert_rule_cases(enum mtls_map_rule rule, const struct rule_case *cases,
    size_t n)
{
	struct identity *id = load(rule, NULL);

	for (size_t i = 0; i < n; i++) {
		gnutls_x509_crt_t leaf = leaf_for(cases[i].dn, cases[i].bend);

		if (cases[i].user != NULL)
			assert_maps(id, leaf, cases[i].user);
		else
			assert_unmapped(id, leaf, cases[i].refusal);
		tpki_free(leaf);
	}
	identity_free(id);
}

static void
add_cn(gnutls_x509_crt_t crt, const void *value, size_t len)
{
	assert_int_equal(gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_COMMON_NAME, 0, value, (unsigned)len), 0);
}

/* A commonName of the string type etype (ASN1_ETYPE_*), contents as
 * given: GnuTLS writes raw values as they come. */
static void
add_typed_cn(gnutls_x509_crt_t crt, unsigned etype, const void *contents,
    size_t len)
{
	gnutls_datum_t der = tder_simple(etype, contents, len);

	assert_int_equal(gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_COMMON_NAME, 1, der.data, der.size), 0);
	gnutls_free(der.data);
}

/* --- cn ------------------------------------------------------------- */

static void
cn_maps_the_common_name(void **state)
{
	static const struct rule_case cases[] = {
		{ "CN=alice,O=Example", NULL, "alice", NULL },
		/* as written, not as RFC 4514 escapes it */
		{ "CN=Smith\\, John,O=Example", NULL, "Smith, John", NULL },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_CN, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

static void
cn_missing_or_ambiguous(void **state)
{
	static const struct rule_case cases[] = {
		{ "O=Example", NULL, NULL, "has no commonName, which "
		    "identity.map = \"cn\" maps from" },
		{ "CN=alice,CN=root,O=Example", NULL, NULL, "has 2 commonName "
		    "attributes, so its user name is ambiguous" },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_CN, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

static void
nul_in_cn(gnutls_x509_crt_t crt)
{
	add_cn(crt, "alice\0root", 10);
}

static void
control_in_cn(gnutls_x509_crt_t crt)
{
	add_cn(crt, "alice\nroot", 10);
}

static void
del_in_cn(gnutls_x509_crt_t crt)
{
	add_cn(crt, "alice\x7f", 6);
}

static void
empty_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "", 0);
}

/* U+009B, CSI: an 8-bit terminal's escape sequence introducer */
static void
c1_in_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "alice\xc2\x9b" "2J", 9);
}

/* a newline in an overlong encoding */
static void
overlong_in_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "alice\xc0\x8aroot", 11);
}

static void
latin1_in_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "j\xfcrgen", 6);
}

static void
utf8_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "j\xc4\x80rgen", 7);
}

static void
space_after_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "alice ", 6);
}

static void
space_before_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, " alice", 6);
}

/*
 * A commonName with a NUL or control character never maps, nor one with
 * a space at either end, which an HTTP header, a shell or a form drops:
 * "alice " would pass for alice there.  Inside a name, spaces stay.
 */
static void
cn_unclean_never_maps(void **state)
{
	static const struct rule_case cases[] = {
		{ "O=Example", empty_cn, NULL, "its commonName is empty" },
		{ "O=Example", nul_in_cn, NULL, "its commonName "
		    "'alice\\x00root' has a NUL or control character" },
		{ "O=Example", control_in_cn, NULL, "'alice\\x0aroot' has a "
		    "NUL or control character; such a name never maps" },
		{ "O=Example", del_in_cn, NULL, "'alice\\x7f' has a NUL" },
		{ "O=Example", c1_in_cn, NULL, "'alice\\xc2\\x9b2J' has a "
		    "NUL or control character" },
		{ "O=Example", overlong_in_cn, NULL, "'alice\\xc0\\x8aroot' is "
		    "not valid UTF-8" },
		{ "O=Example", latin1_in_cn, NULL, "'j\\xfcrgen' is not valid "
		    "UTF-8" },
		{ "O=Example", utf8_cn, "j\xc4\x80rgen", NULL },
		{ "O=Example", space_after_cn, NULL, "its commonName 'alice ' "
		    "begins or ends with a space, which whatever reads the user "
		    "name back may drop, taking it for another user's; such a "
		    "name never maps to a user" },
		{ "O=Example", space_before_cn, NULL, "its commonName ' alice' "
		    "begins or ends with a space" },
		{ "CN=Alice Smith,O=Example", NULL, "Alice Smith", NULL },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_CN, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

static void
bmp_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_BMP_STRING, "\0a\0b", 4);
}

static void
cn_of_other_string_type_refused(void **state)
{
	static const struct rule_case cases[] = {
		{ "O=Example", bmp_cn, NULL, "its commonName is not a "
		    "UTF8String, PrintableString or IA5String (ASN.1 tag 30)" },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_CN, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* --- uid ------------------------------------------------------------ */

static void
uid_maps_the_user_id(void **state)
{
	static const struct rule_case cases[] = {
		{ "CN=Alice Example,UID=alice,O=Example", NULL, "alice", NULL },
		{ "CN=alice,O=Example", NULL, NULL, "has no userID, which "
		    "identity.map = \"uid\" maps from" },
		{ "UID=alice,UID=bob", NULL, NULL, "has 2 userID attributes" },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_UID, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* --- email ---------------------------------------------------------- */

static void
san(gnutls_x509_crt_t crt, gnutls_x509_subject_alt_name_t type,
    const void *data, size_t len)
{
	assert_int_equal(gnutls_x509_crt_set_subject_alt_name(crt, type, data,
	    (unsigned)len, GNUTLS_FSAN_APPEND), 0);
}

static void
others_then_two_emails(gnutls_x509_crt_t crt)
{
	san(crt, GNUTLS_SAN_DNSNAME, "host.example", 12);
	san(crt, GNUTLS_SAN_URI, "https://host.example/", 21);
	san(crt, GNUTLS_SAN_RFC822NAME, "alice@example.com", 17);
	san(crt, GNUTLS_SAN_RFC822NAME, "root@example.com", 16);
}

static void
dns_only(gnutls_x509_crt_t crt)
{
	san(crt, GNUTLS_SAN_DNSNAME, "host.example", 12);
}

/* GnuTLS's setter stops at the NUL, so the name is written by libtasn1. */
static void
email_with_nul(gnutls_x509_crt_t crt)
{
	asn1_node names = tder_new("GeneralNames");
	gnutls_datum_t der;

	tder_add_general_name(names, "", GNUTLS_SAN_RFC822NAME,
	    "root@x\0@example.com", 19);
	der = tder_encoded(names);
	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
	    GNUTLS_X509EXT_OID_SAN, der.data, der.size, 0), 0);
	gnutls_free(der.data);
}

static void
others_then_one_email(gnutls_x509_crt_t crt)
{
	san(crt, GNUTLS_SAN_DNSNAME, "host.example", 12);
	san(crt, GNUTLS_SAN_URI, "https://host.example/", 21);
	san(crt, GNUTLS_SAN_RFC822NAME, "alice@example.com", 17);
}

/*
 * Two rfc822Names are ambiguous, as two commonNames are: the first is not
 * more the user's than the second.
 */
static void
email_maps_the_one_rfc822_name(void **state)
{
	static const struct rule_case cases[] = {
		{ "CN=alice", others_then_one_email, "alice@example.com",
		    NULL },
		{ "CN=alice", others_then_two_emails, NULL, "has 2 rfc822Name "
		    "subjectAltName entries, so its user name is ambiguous" },
		{ "CN=alice", dns_only, NULL, "has no rfc822Name "
		    "subjectAltName" },
		{ "CN=alice", NULL, NULL, "has no rfc822Name subjectAltName" },
		{ "CN=alice", email_with_nul, NULL, "its rfc822Name "
		    "subjectAltName 'root@x\\x00@example.com' has a NUL" },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_EMAIL, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* --- upn ------------------------------------------------------------ */

static void
othername(gnutls_x509_crt_t crt, const char *oid, const void *data,
    size_t len)
{
	assert_int_equal(gnutls_x509_crt_set_subject_alt_othername(crt, oid,
	    data, (unsigned)len,
	    GNUTLS_FSAN_APPEND | GNUTLS_FSAN_ENCODE_UTF8_STRING), 0);
}

static void
other_then_upn(gnutls_x509_crt_t crt)
{
	san(crt, GNUTLS_SAN_RFC822NAME, "alice@example.com", 17);
	othername(crt, "1.3.6.1.5.5.7.8.5", "xmpp@example.com", 16);
	othername(crt, OID_MS_UPN, "alice@corp.example", 18);
}

static void
upn_with_nul(gnutls_x509_crt_t crt)
{
	othername(crt, OID_MS_UPN, "root\0@corp.example", 18);
}

static void
upn_with_control(gnutls_x509_crt_t crt)
{
	othername(crt, OID_MS_UPN, "root\r@corp.example", 18);
}

static void
two_upns(gnutls_x509_crt_t crt)
{
	othername(crt, OID_MS_UPN, "alice@corp.example", 18);
	othername(crt, OID_MS_UPN, "root@corp.example", 17);
}

/*
 * An otherName whose [0] EXPLICIT wrapper has length 0, the UTF8String
 * after it: libtasn1 and GnuTLS read the UPN, OpenSSL refuses it.  Written
 * by hand, as no encoder makes it.
 */
static void
upn_in_invalid_der(gnutls_x509_crt_t crt)
{
	static const unsigned char der[] = {
		0x30, 0x24,			/* GeneralNames */
		0xa0, 0x22,			/* [0] otherName */
		0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14,
		0x02, 0x03,			/* 1.3.6.1.4.1.311.20.2.3 */
		0xa0, 0x00,			/* [0] EXPLICIT, empty */
		0x0c, 0x12, 'a', 'l', 'i', 'c', 'e', '@', 'c', 'o', 'r', 'p',
		'.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
	};

	assert_int_equal(gnutls_x509_crt_set_extension_by_oid(crt,
	    GNUTLS_X509EXT_OID_SAN, der, sizeof(der), 0), 0);
}

static void
upn_maps_the_microsoft_principal_name(void **state)
{
	static const struct rule_case cases[] = {
		{ "CN=alice", other_then_upn, "alice@corp.example", NULL },
		{ "CN=alice", two_upns, NULL, "has 2 Microsoft UPN "
		    "subjectAltName entries, so its user name is ambiguous" },
		{ "CN=alice", upn_in_invalid_der, NULL, "not in DER" },
		{ "CN=alice", others_then_two_emails, NULL, "has no Microsoft "
		    "UPN subjectAltName" },
		{ "CN=alice", upn_with_nul, NULL, "Microsoft UPN that is not a "
		    "clean UTF8String" },
		{ "CN=alice", upn_with_control, NULL,
		    "'root\\x0d@corp.example' has a NUL or control character" },
	};

	(void)state;
	assert_rule_cases(MTLS_MAP_UPN, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

/* --- issuers -------------------------------------------------------- */

static void
issuer_bound_mapping(void **state)
{
	struct mtls_identity conf = { MTLS_MAP_CN, NULL, { NULL, 0 } };
	struct identity *id;
	char err[512], *user = NULL;
	struct finding f;

	(void)state;
	assert_int_equal(strlist_add(&conf.issuers, "CN=Other CA"), 0);
	assert_int_equal(identity_load(&id, &conf, NULL, NULL, err,
	    sizeof(err)), 0);
	assert_unmapped(id, pki.leaf, "client certificate 'CN=alice' is issued "
	    "by 'CN=Test Intermediate', which is not in identity.issuers");
	identity_free(id);

	assert_int_equal(strlist_add(&conf.issuers, "CN=Test Intermediate"),
	    0);
	assert_int_equal(identity_load(&id, &conf, NULL, NULL, err,
	    sizeof(err)), 0);
	assert_maps(id, pki.leaf, "alice");
	/* the name alone, on an issuer only the client sent, is not enough */
	assert_int_equal(identity_map(id, pki.leaf, false, NULL, &user, &f),
	    -1);
	assert_null(user);
	assert_int_equal(f.reason, MTLS_R_USER_UNMAPPED);
	assert_contains(f.text, "is issued by a 'CN=Test Intermediate' that "
	    "only the client sent");
	identity_free(id);
	strlist_clear(&conf.issuers);
}

/* The cn rule, bound to the one issuer; identity_load's error is err. */
static struct identity *
bound_to(const char *issuer, char *err, size_t errlen)
{
	struct mtls_identity conf = { MTLS_MAP_CN, NULL, { NULL, 0 } };
	struct identity *id;

	assert_int_equal(strlist_add(&conf.issuers, issuer), 0);
	if (identity_load(&id, &conf, NULL, NULL, err, errlen) != 0)
		id = NULL;
	strlist_clear(&conf.issuers);
	return id;
}

static void
assert_issuer_maps(const char *issuer, gnutls_x509_crt_t leaf, bool maps)
{
	char err[512];
	struct identity *id = bound_to(issuer, err, sizeof(err));

	if (id == NULL)
		fail_msg("identity.issuers \"%s\": %s", issuer, err);
	if (maps)
		assert_maps(id, leaf, "alice");
	else
		assert_unmapped(id, leaf, "which is not in identity.issuers");
	identity_free(id);
}

/*
 * identity.issuers is written as RFC 4514 writes names, the last RDN
 * first, as GnuTLS prints an issuer ("mtls verify" and every refusal
 * show it so): that text names the CA, and so do other case and spaces;
 * the RDNs in the other order, or one fewer, name other CAs.
 */
static void
issuers_match_as_printed_and_by_rfc5280(void **state)
{
	static const char written[] = "CN=Example Users CA,OU=People,"
	    "O=Example,C=DE";
	gnutls_x509_privkey_t key = tpki_key_ec();
	gnutls_x509_crt_t ca = tpki_self_signed_ca(written, key);
	gnutls_x509_crt_t leaf = tpki_new("CN=alice", pki.leaf_key, 0);
	gnutls_datum_t printed = { NULL, 0 };

	(void)state;
	tpki_make_client(leaf);
	tpki_sign(leaf, ca, key, GNUTLS_DIG_SHA256);
	assert_int_equal(gnutls_x509_crt_get_issuer_dn3(leaf, &printed, 0), 0);
	assert_string_equal((char *)printed.data, written);
	gnutls_free(printed.data);

	assert_issuer_maps(written, leaf, true);
	assert_issuer_maps("cn=example users ca, ou=PEOPLE,o=example , c=de",
	    leaf, true);
	assert_issuer_maps("CN=Example  Users CA ,OU=People,O=Example,C=DE",
	    leaf, true);
	assert_issuer_maps("C=DE,O=Example,OU=People,CN=Example Users CA",
	    leaf, false);
	assert_issuer_maps("CN=Example Users CA,OU=People,O=Example", leaf,
	    false);
	assert_issuer_maps("CN=Test Intermediate", leaf, false);
	tpki_free(leaf);
	tpki_free(ca);
	gnutls_x509_privkey_deinit(key);
}

/* A string GnuTLS cannot read as a name, or one that names no CA, is a
 * configuration error that shows it. */
static void
unreadable_issuers_fail_to_load(void **state)
{
	static const struct {
		const char *issuer, *error;
	} cases[] = {
		{ "Example Users CA", "identity.issuers: \"Example Users CA\" "
		    "is not a name GnuTLS can read" },
		{ "CN=Example Users CA,,O=Example", "\"CN=Example Users CA,,"
		    "O=Example\" is not a name GnuTLS can read" },
		{ "NOSUCHATTRIBUTE=Example", "\"NOSUCHATTRIBUTE=Example\" is "
		    "not a name" },
		/* GnuTLS 3.7 reads no multi-valued RDN */
		{ "CN=Example Users CA+OU=People,O=Example", "\"CN=Example "
		    "Users CA+OU=People,O=Example\" is not a name GnuTLS can "
		    "read; write the CA's subject as \"mtls verify\" prints" },
		{ "", "identity.issuers: \"\" is an empty name, which no CA "
		    "has" },
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_null(bound_to(cases[i].issuer, err, sizeof(err)));
		assert_contains(err, cases[i].error);
	}
}

/* --- map file: dn --------------------------------------------------- */

static const char *
map_file(const char *name, const char *text)
{
	const char *path = tpki_path(name);

	tpki_write_data(path, text, strlen(text));
	return path;
}

static void
dn_rule_looks_up_the_subject(void **state)
{
	const char *path = map_file("dn.map",
	    "# subject DN                 user\n"
	    "\n"
	    "CN=alice,O=Example           alice2\n"
	    "   CN=Alice Smith,O=Example\tasmith \r\n"
	    "CN=bob,O=Example bob");
	struct identity *id = load(MTLS_MAP_DN, path);
	gnutls_x509_crt_t alice = leaf_for("CN=alice,O=Example", NULL);
	gnutls_x509_crt_t smith = leaf_for("CN=Alice Smith,O=Example", NULL);
	gnutls_x509_crt_t bob = leaf_for("CN=bob,O=Example", NULL);
	gnutls_x509_crt_t carol = leaf_for("CN=carol,O=Example", NULL);

	(void)state;
	assert_maps(id, alice, "alice2");
	assert_maps(id, smith, "asmith");
	assert_maps(id, bob, "bob");
	assert_unmapped(id, carol, "client certificate 'CN=carol,O=Example' "
	    "is not in ");
	assert_unmapped(id, carol, "dn.map; add a line "
	    "'CN=carol,O=Example <user>' there");
	tpki_free(alice);
	tpki_free(smith);
	tpki_free(bob);
	tpki_free(carol);
	identity_free(id);
}

static void
dn_rule_never_maps_a_name_with_nul(void **state)
{
	/* GnuTLS writes such a value as "#hex", which looks clean: the map
	 * file may even hold that text */
	gnutls_x509_crt_t leaf = leaf_for("O=Example", nul_in_cn);
	gnutls_datum_t dn;
	char line[512];
	struct identity *id;

	(void)state;
	assert_int_equal(gnutls_x509_crt_get_dn3(leaf, &dn, 0), 0);
	snprintf(line, sizeof(line), "%.*s root\n", (int)dn.size, dn.data);
	gnutls_free(dn.data);
	id = load(MTLS_MAP_DN, map_file("nul.map", line));
	assert_unmapped(id, leaf, "its subject DN 'alice\\x00root' has a NUL");
	identity_free(id);
	tpki_free(leaf);
}

static void
bmp_cn_with_newline(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_BMP_STRING, "\0a\0\n", 4);
}

/*
 * Under the dn rule, with the subject DN of a client certificate bent by
 * clean in the map file for user: that certificate maps, and one bent by
 * dirty is refused with refusal.
 */
static void
assert_dn_rule_judges(void (*clean_bend)(gnutls_x509_crt_t),
    void (*dirty_bend)(gnutls_x509_crt_t), const char *user,
    const char *refusal)
{
	gnutls_x509_crt_t clean = leaf_for("O=Example", clean_bend);
	gnutls_x509_crt_t dirty = leaf_for("O=Example", dirty_bend);
	gnutls_datum_t dn;
	char line[512];
	struct identity *id;

	assert_int_equal(gnutls_x509_crt_get_dn3(clean, &dn, 0), 0);
	snprintf(line, sizeof(line), "%.*s %s\n", (int)dn.size, dn.data, user);
	gnutls_free(dn.data);
	id = load(MTLS_MAP_DN, map_file("judged.map", line));
	assert_maps(id, clean, user);
	assert_unmapped(id, dirty, refusal);
	identity_free(id);
	tpki_free(clean);
	tpki_free(dirty);
}

/* A legacy TeletexString "Jos\xe9", which GnuTLS prints as "\#4a6f73e9". */
static void
teletex_jose_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_TELETEX_STRING, "Jos\xe9", 4);
}

/* The same contents as one UniversalString character: printed alike. */
static void
universal_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UNIVERSAL_STRING, "Jos\xe9", 4);
}

/* A UTF8String whose text is that hex form: printed alike too. */
static void
hex_looking_cn(gnutls_x509_crt_t crt)
{
	add_typed_cn(crt, ASN1_ETYPE_UTF8_STRING, "#4a6f73e9", 9);
}

/*
 * GnuTLS prints a value it cannot decode as text as "\#" and the hex of
 * its contents, whatever its type, and a string beginning with '#' as
 * "\#" and its text: the three subjects above print alike, and each
 * would map to the user of a legacy "Jos\xe9" entry.  A subject with
 * such a value never maps by DN.
 */
static void
dn_rule_refuses_values_that_read_as_hex(void **state)
{
	void (*bends[])(gnutls_x509_crt_t) = { teletex_jose_cn, universal_cn,
	    hex_looking_cn };
	gnutls_x509_crt_t jose = leaf_for("O=Example", teletex_jose_cn);
	gnutls_datum_t dn;
	char line[512];
	struct identity *id;

	(void)state;
	assert_int_equal(gnutls_x509_crt_get_dn3(jose, &dn, 0), 0);
	snprintf(line, sizeof(line), "%.*s jose\n", (int)dn.size, dn.data);
	gnutls_free(dn.data);
	tpki_free(jose);
	id = load(MTLS_MAP_DN, map_file("hex.map", line));
	for (size_t i = 0; i < 3; i++) {
		gnutls_x509_crt_t leaf = leaf_for("O=Example", bends[i]);

		assert_unmapped(id, leaf, "its subject DN has a value that "
		    "begins with '#'");
		tpki_free(leaf);
	}
	identity_free(id);
}

/* Two-byte characters are judged as characters, not as bytes. */
static void
dn_rule_judges_bmp_strings_by_character(void **state)
{
	(void)state;
	assert_dn_rule_judges(bmp_cn, bmp_cn_with_newline, "ab",
	    "its subject DN '\\x00a\\x00\\x0a' has a NUL or control "
	    "character");
}

/* So are UTF-8 ones: U+0100 holds the octet 0x80, which is no C1 control,
 * while U+009B is one. */
static void
dn_rule_judges_utf8_strings_by_character(void **state)
{
	(void)state;
	assert_dn_rule_judges(utf8_cn, c1_in_cn, "jurgen",
	    "'alice\\xc2\\x9b2J' has a NUL or control character");
}

/* --- map file: fingerprint ----------------------------------------- */

/* fp ("aa:bb:...") upper-cased, or with its colons dropped. */
static void
respell(const char *fp, int upper, int colons, char *out)
{
	for (; *fp != '\0'; fp++) {
		if (*fp == ':' && !colons)
			continue;
		*out++ = upper && *fp >= 'a' && *fp <= 'f' ? *fp - 32 : *fp;
	}
	*out = '\0';
}

/* The caller's fingerprint is parsed too, and a wrong one is no match. */
static void
assert_bad_fingerprint_argument(void)
{
	static const char long_fp[] = "00:11:22:33:44:55:66:77:88:99:aa:bb:"
	    "cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00";
	struct identity *id = load(MTLS_MAP_FINGERPRINT,
	    map_file("empty.map", ""));
	char *user = NULL;
	struct finding f;

	assert_int_equal(identity_map(id, pki.leaf, true, long_fp, &user, &f),
	    -1);
	assert_int_equal(f.reason, MTLS_R_INTERNAL);
	assert_int_equal(identity_map(id, pki.leaf, true, NULL, &user, &f), -1);
	assert_int_equal(f.reason, MTLS_R_INTERNAL);
	assert_null(user);
	identity_free(id);
}

static void
fingerprint_rule_accepts_every_spelling(void **state)
{
	gnutls_x509_crt_t leaves[5];
	char *fp[5];
	char spelled[5][128], text[2048];
	static const char *const users[5] = { "u0", "u1", "u2", "u3", "u4" };
	struct identity *id;

	(void)state;
	for (int i = 0; i < 5; i++) {
		leaves[i] = leaf_for("CN=alice", NULL);
		fp[i] = certname_fingerprint_alloc(leaves[i]);
	}
	respell(fp[0], 0, 1, spelled[0]);
	respell(fp[1], 1, 0, spelled[1]);
	respell(fp[2], 0, 0, spelled[2]);
	respell(fp[3], 1, 1, spelled[3]);
	snprintf(text, sizeof(text), "%s u0\n%s u1\nsha256:%s u2\n"
	    "SHA256:%s u3\n", spelled[0], spelled[1], spelled[2], spelled[3]);
	id = load(MTLS_MAP_FINGERPRINT, map_file("fp.map", text));
	for (int i = 0; i < 4; i++)
		assert_maps(id, leaves[i], users[i]);
	assert_unmapped(id, leaves[4], "fp.map; add a line");
	assert_unmapped(id, leaves[4], fp[4]);
	identity_free(id);
	assert_bad_fingerprint_argument();
	for (int i = 0; i < 5; i++) {
		tpki_free(leaves[i]);
		free(fp[i]);
	}
}

static void
fingerprint_duplicate_in_other_spelling(void **state)
{
	char *fp = certname_fingerprint_alloc(pki.leaf);
	char upper[128], text[512];
	struct identity *id;

	(void)state;
	respell(fp, 1, 0, upper);
	snprintf(text, sizeof(text), "# users\n%s alice\n\nsha256:%s root\n",
	    fp, upper);
	id = load(MTLS_MAP_FINGERPRINT, map_file("dupfp.map", text));
	assert_unmapped(id, pki.leaf, "dupfp.map:4: duplicate of line 2");
	identity_free(id);
	assert_check_fails(MTLS_MAP_FINGERPRINT, map_file("dupfp.map", text),
	    "dupfp.map:4: duplicate of line 2");
	free(fp);
}

/*
 * A lookup reads the lines as the whole-file check does: the first and
 * the last line, CRLF line ends, no newline at the end of the file.
 */
static void
lookup_reaches_every_line(void **state)
{
	gnutls_x509_crt_t leaves[3];
	char *fp[3], text[1024], err[512];
	struct identity *id;

	(void)state;
	leaves[0] = leaf_for("CN=alice", NULL);
	leaves[1] = leaf_for("CN=bob", NULL);
	leaves[2] = leaf_for("CN=carol", NULL);
	for (int i = 0; i < 3; i++)
		fp[i] = certname_fingerprint_alloc(leaves[i]);
	id = load(MTLS_MAP_DN, map_file("crlf.map",
	    "CN=alice alice\r\n# c\r\n\r\nCN=bob bob"));
	assert_int_equal(identity_check_map(id, err, sizeof(err)), 0);
	assert_maps(id, leaves[0], "alice");
	assert_maps(id, leaves[1], "bob");
	assert_unmapped(id, leaves[2], "crlf.map; add a line");
	identity_free(id);
	snprintf(text, sizeof(text), "%s alice\r\n\r\n  sha256:%s bob",
	    fp[0], fp[1]);
	id = load(MTLS_MAP_FINGERPRINT, map_file("crlffp.map", text));
	assert_int_equal(identity_check_map(id, err, sizeof(err)), 0);
	assert_maps(id, leaves[0], "alice");
	assert_maps(id, leaves[1], "bob");
	assert_unmapped(id, leaves[2], "crlffp.map; add a line");
	identity_free(id);
	for (int i = 0; i < 3; i++) {
		tpki_free(leaves[i]);
		free(fp[i]);
	}
}

/*
 * A long-running door keeps the map it loaded: the file truncated in place
 * under it (an administrator's "cat new > map") changes nothing for it,
 * and costs it no crash.
 */
static void
map_truncated_in_place_keeps_what_was_loaded(void **state)
{
	gnutls_x509_crt_t alice = leaf_for("CN=alice", NULL);
	const char *path = map_file("truncated.map", "CN=alice alice\n");
	struct identity *id = load(MTLS_MAP_DN, path);

	(void)state;
	assert_int_equal(truncate(path, 0), 0);
	assert_maps(id, alice, "alice");
	identity_free(id);
	tpki_free(alice);
}

/*
 * A broken line refuses the certificates it could be the line of, and
 * only the whole-file check sees it from elsewhere: a lookup judges the
 * lines that could hold its key.
 */
static void
broken_line_refuses_only_its_key(void **state)
{
	gnutls_x509_crt_t alice = leaf_for("CN=alice", NULL);
	gnutls_x509_crt_t bob = leaf_for("CN=bob", NULL);
	char *fp = certname_fingerprint_alloc(alice);
	char *bobfp = certname_fingerprint_alloc(bob);
	char text[512];
	struct identity *id;

	(void)state;
	id = load(MTLS_MAP_DN, map_file("onebad.map",
	    "CN=alice alice\nCN=bob b\x01ob\n"));
	assert_maps(id, alice, "alice");
	assert_unmapped(id, bob, "onebad.map:2: control character");
	identity_free(id);
	/* the fingerprint cut short by a byte: the line it was meant to be */
	snprintf(text, sizeof(text), "%s bob\n%.*s alice\n", bobfp,
	    (int)strlen(fp) - 3, fp);
	id = load(MTLS_MAP_FINGERPRINT, map_file("cutfp.map", text));
	assert_maps(id, bob, "bob");
	assert_unmapped(id, alice, "cutfp.map:2: not a SHA-256 fingerprint");
	identity_free(id);
	assert_check_fails(MTLS_MAP_FINGERPRINT, map_file("cutfp.map", text),
	    "cutfp.map:2: not a SHA-256 fingerprint");
	tpki_free(alice);
	tpki_free(bob);
	free(fp);
	free(bobfp);
}

/* --- map file: format errors --------------------------------------- */

static void
map_file_errors_name_file_and_line(void **state)
{
	(void)state;
	assert_dn_refused(map_file("dup.map",
	    "CN=alice alice\nCN=bob bob\nCN=alice root\n"), "CN=alice",
	    "dup.map:3: duplicate of line 1");
	assert_dn_refused(map_file("onetoken.map", "# fine\nCN=alice\n"),
	    "CN=alice", "onetoken.map:2: expected");
	assert_check_fails(MTLS_MAP_DN, map_file("notdn.map",
	    "alice alice\n"), "notdn.map:1: not a subject DN");
	assert_check_fails(MTLS_MAP_FINGERPRINT, map_file("shortfp.map",
	    "ab:cd:ef alice\n"), "shortfp.map:1: not a SHA-256 fingerprint");
	assert_dn_refused(map_file("ctl.map", "CN=alice al\x01ice\n"),
	    "CN=alice", "ctl.map:1: control character");
	/* user names from the file are held to the rules of names from
	 * certificates: a C1 control (here CSI) and what is not UTF-8 */
	assert_dn_refused(map_file("c1.map",
	    "CN=alice ok\nCN=bob b\xc2\x9b" "2J\n"), "CN=bob", "c1.map:2: "
	    "control character");
	assert_check_fails(MTLS_MAP_FINGERPRINT, map_file("utf8.map",
	    "sha256:" "0000000000000000000000000000000000000000000000000000000000000000"
	    " r\xe9my\n"), "utf8.map:1: not valid UTF-8");
	assert_dn_refused(map_file("overlong.map", "CN=alice al\xc0\x8aice\n"),
	    "CN=alice", "overlong.map:1: not valid UTF-8");
	assert_load_fails(MTLS_MAP_DN, tpki_path("absent.map"), "absent.map");
	assert_load_fails(MTLS_MAP_DN, NULL, "identity.map = \"dn\" needs "
	    "identity.map_file");
	assert_load_fails(MTLS_MAP_FINGERPRINT, NULL, "identity.map = "
	    "\"fingerprint\" needs identity.map_file");
}

static void
malformed_fingerprints_refused(void **state)
{
	static const char *const bad[] = {
		/* 31 bytes */
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddee",
		/* 33 bytes */
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00",
		/* a leading colon */
		":00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		/* a trailing colon */
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff:",
		/* two colons */
		"00::112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		/* a colon inside a pair */
		"0:0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0",
		/* not hex */
		"g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"sha1:00112233445566778899aabbccddeeff0011223344556677",
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s alice\n", bad[i]);
		assert_check_fails(MTLS_MAP_FINGERPRINT, map_file("bad.map",
		    text), "bad.map:1: not a SHA-256 fingerprint");
	}
}

/* Every one of many lines is found, and the whole file checks clean. */
static void
large_map_file_finds_every_line(void **state)
{
	enum { N = 2000 };
	size_t cap = N * 48, len = 0;
	char *text = malloc(cap);
	char dn[64], user[32];
	struct identity *id;

	(void)state;
	assert_non_null(text);
	/* descending, so the load must sort */
	for (int i = N - 1; i >= 0; i--)
		len += (size_t)snprintf(text + len, cap - len,
		    "CN=user%04d,O=Example u%d\n", i, i);
	id = load(MTLS_MAP_DN, map_file("large.map", text));
	free(text);
	assert_int_equal(identity_check_map(id, user, sizeof(user)), 0);
	for (int i = 0; i < N; i += 397) {
		gnutls_x509_crt_t leaf;

		snprintf(dn, sizeof(dn), "CN=user%04d,O=Example", i);
		snprintf(user, sizeof(user), "u%d", i);
		leaf = leaf_for(dn, NULL);
		assert_maps(id, leaf, user);
		tpki_free(leaf);
	}
	identity_free(id);
}

/* What a host's log sink heard (mtls_ctx_set_log_sink()). */
struct heard {
	unsigned count;
	int priority;
	char line[1024];
};

static void
hear(void *arg, int priority, const char *line)
{
	struct heard *heard = arg;

	heard->count++;
	heard->priority = priority;
	snprintf(heard->line, sizeof(heard->line), "%s", line);
}

/* What syslog heard while cfg configured a context with sink. */
static char *
configure_hearing(const struct mtls_config *cfg,
    void (*sink)(void *, int, const char *), struct heard *heard)
{
	struct mtls_ctx *ctx = mtls_ctx_new();
	char *said;

	assert_non_null(ctx);
	mtls_ctx_set_log_sink(ctx, hear, heard);
	/* the last one set counts: NULL restores syslog */
	mtls_ctx_set_log_sink(ctx, sink, heard);
	syslog_start();
	assert_int_equal(mtls_ctx_configure(ctx, cfg), 0);
	said = syslog_said();
	mtls_ctx_free(ctx);
	return said;
}

/*
 * What libmtls says once of a context, here that the map file's index
 * is stale, goes to the host's log sink when it set one (OpenVPN's log,
 * a container without a syslog daemon), and there only; to syslog by
 * default.
 */
static void
host_sink_hears_a_stale_index(void **state)
{
	char map[PATH_MAX], published[PATH_MAX], err[512];
	char settings[PATH_MAX + 64];
	struct heard heard = { 0, 0, "" };
	struct mtls_config *cfg;
	size_t count;
	char *said;

	(void)state;
	snprintf(map, sizeof(map), "%s", tpki_path("heard.map"));
	tpki_write_data(map, "CN=alice alice\n", 15);
	if (mapfile_publish(map, false, published, sizeof(published), &count,
	    err, sizeof(err)) != 0)
		fail_msg("publish: %s", err);
	/* edited after the update: the index is stale */
	tpki_write_data(map, "CN=alice alice\nCN=bob bob\n", 26);
	tpki_write(tpki_path("root.pem"), &pki.root, 1);
	snprintf(settings, sizeof(settings), "identity = { map = \"dn\"; "
	    "map_file = \"%s\"; };", map);
	cfg = config_from_settings(settings);

	said = configure_hearing(cfg, hear, &heard);
	assert_int_equal(heard.count, 1);
	assert_int_equal(heard.priority, LOG_NOTICE);
	assert_contains(heard.line, "mtls: ");
	assert_contains(heard.line, published);
	assert_contains(heard.line, "is read instead");
	assert_null(strstr(said, published));
	free(said);

	heard.count = 0;
	said = configure_hearing(cfg, NULL, &heard);
	assert_int_equal(heard.count, 0);
	assert_contains(said, published);
	assert_contains(said, "is read instead");
	free(said);
	mtls_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cn_maps_the_common_name),
		cmocka_unit_test(cn_missing_or_ambiguous),
		cmocka_unit_test(cn_unclean_never_maps),
		cmocka_unit_test(cn_of_other_string_type_refused),
		cmocka_unit_test(uid_maps_the_user_id),
		cmocka_unit_test(email_maps_the_one_rfc822_name),
		cmocka_unit_test(upn_maps_the_microsoft_principal_name),
		cmocka_unit_test(issuer_bound_mapping),
		cmocka_unit_test(issuers_match_as_printed_and_by_rfc5280),
		cmocka_unit_test(unreadable_issuers_fail_to_load),
		cmocka_unit_test(dn_rule_looks_up_the_subject),
		cmocka_unit_test(dn_rule_never_maps_a_name_with_nul),
		cmocka_unit_test(dn_rule_judges_bmp_strings_by_character),
		cmocka_unit_test(dn_rule_refuses_values_that_read_as_hex),
		cmocka_unit_test(dn_rule_judges_utf8_strings_by_character),
		cmocka_unit_test(fingerprint_rule_accepts_every_spelling),
		cmocka_unit_test(fingerprint_duplicate_in_other_spelling),
		cmocka_unit_test(lookup_reaches_every_line),
		cmocka_unit_test(map_truncated_in_place_keeps_what_was_loaded),
		cmocka_unit_test(broken_line_refuses_only_its_key),
		cmocka_unit_test(map_file_errors_name_file_and_line),
		cmocka_unit_test(malformed_fingerprints_refused),
		cmocka_unit_test(large_map_file_finds_every_line),
		cmocka_unit_test(host_sink_hears_a_stale_index),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
