/*
 * The configuration layer: built-in defaults, the setters, and mtls.conf
 * files, good and bad.  Every rejected file must say FILE:LINE: KEY, and a
 * failed load must leave the configuration as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "testpki.h"
#include "testutil.h"

/* Files the configurations below name; their content does not matter. */
static const char *const fixture_files[] = {
	"ca.pem", "ca2.pem", "int.pem", "crl.pem", "map.txt", "module.so",
	"sub/int.pem", NULL
};

struct fixture {
	char dir[64];
	char conf[128];		/* dir/mtls.conf */
};

static void
put_bytes(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static void
put(const char *path, const char *text, mode_t mode)
{
	put_bytes(path, text, strlen(text), mode);
}

/* dir/name, in a static rotating buffer. */
static const char *
in(const struct fixture *fx, const char *name)
{
	static char buf[4][256];
	static unsigned next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", fx->dir, name);
	return p;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mtls-config.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->conf, sizeof(fx->conf), "%s/mtls.conf", fx->dir);
	assert_int_equal(mkdir(in(fx, "cadir"), 0755), 0);
	assert_int_equal(mkdir(in(fx, "sub"), 0755), 0);
	for (size_t i = 0; fixture_files[i] != NULL; i++)
		put(in(fx, fixture_files[i]), "placeholder\n", 0644);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	tpki_remove_tree(fx->dir);
	free(fx);
	return 0;
}

/* Load text as dir/mtls.conf; the configuration is the caller's. */
static struct mtls_config *
load(const struct fixture *fx, const char *text, const char *profile,
    int *ret)
{
	struct mtls_config *c = mtls_config_new();

	assert_non_null(c);
	put(fx->conf, text, 0644);
	*ret = mtls_config_load_file(c, fx->conf, profile);
	return c;
}

static struct mtls_config *
load_ok(const struct fixture *fx, const char *text, const char *profile)
{
	int ret;
	struct mtls_config *c = load(fx, text, profile, &ret);

	if (ret != 0)
		fail_msg("load failed: %s", mtls_config_error(c));
	assert_null(mtls_config_error(c));
	return c;
}

static void
assert_error_has(const struct mtls_config *c, const char *want)
{
	const char *err = mtls_config_error(c);

	assert_non_null(err);
	assert_contains(err, want);
}

/* The load fails with an error that contains want. */
static void
load_fails(const struct fixture *fx, const char *text, const char *profile,
    const char *want)
{
	int ret;
	struct mtls_config *c = load(fx, text, profile, &ret);

	assert_int_equal(ret, -1);
	assert_error_has(c, want);
	mtls_config_free(c);
}

/* The load fails with "dir/mtls.conf:LINE: want". */
static void
load_fails_at(const struct fixture *fx, const char *text, int line,
    const char *want)
{
	char where[1024];

	snprintf(where, sizeof(where), "%s:%d: %s", fx->conf, line, want);
	load_fails(fx, text, NULL, where);
}

/* A file, the line its error names, and what the error says there. */
struct bad_case {
	const char *text;
	int line;
	const char *want;
};

static void
load_fails_each(const struct fixture *fx, const struct bad_case *cases,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		load_fails_at(fx, cases[i].text, cases[i].line, cases[i].want);
}

static void
defaults_are_strict(void **state)
{
	struct mtls_config *c = mtls_config_new();

	(void)state;
	assert_non_null(c);
	assert_null(mtls_config_error(c));
	assert_null(c->profile);
	assert_int_equal(mtls_config_profile_count(c), 0);
	assert_null(mtls_config_profile_name(c, 0));
	assert_int_equal(c->ca_files.count, 0);
	assert_null(c->ca_dir);
	assert_int_equal(c->intermediates_files.count, 0);
	assert_int_equal(c->policy.purpose, MTLS_PURPOSE_CLIENT);
	assert_false(c->policy.require_eku);
	assert_false(c->policy.require_v3);
	assert_int_equal(c->policy.min_rsa_bits, 2048);
	assert_int_equal(c->policy.min_ec_bits, 256);
	assert_false(c->policy.allow_sha1);
	assert_int_equal(c->policy.max_depth, 5);
	assert_int_equal(c->policy.clock_skew, 300);
	assert_int_equal(c->revocation.nmethods, 0);
	assert_int_equal(c->revocation.crl_files.count, 0);
	assert_int_equal(c->revocation.crl_require, MTLS_CRL_REQUIRE_LEAF);
	assert_string_equal(c->revocation.cache_dir, "/var/cache/mtls");
	assert_int_equal(c->revocation.stale_grace, 0);
	assert_int_equal(c->revocation.crl_urls.count, 0);
	assert_false(c->revocation.crl_fetch);
	assert_null(c->revocation.ocsp_url);
	assert_int_equal(c->revocation.ocsp_timeout_ms, 3000);
	assert_false(c->revocation.ocsp_soft_fail);
	assert_true(c->revocation.ocsp_nonce);
	assert_int_equal(c->revocation.ocsp_max_age, 86400);
	assert_int_equal(c->identity.map, MTLS_MAP_CN);
	assert_null(c->identity.map_file);
	assert_int_equal(c->identity.issuers.count, 0);
	assert_null(c->pkcs11.module);
	assert_null(c->pkcs11.token);
	assert_true(c->audit);
	mtls_config_free(c);
	mtls_config_free(NULL);
}

static void
file_setters_add(void **state)
{
	struct mtls_config *c = mtls_config_new();

	(void)state;
	assert_int_equal(mtls_config_add_ca_file(c, "/a.pem"), 0);
	assert_int_equal(mtls_config_add_ca_file(c, "/b.pem"), 0);
	assert_int_equal(mtls_config_add_intermediates_file(c, "/i.pem"), 0);
	assert_int_equal(mtls_config_add_crl_file(c, "/c.crl"), 0);
	assert_int_equal(c->ca_files.count, 2);
	assert_string_equal(c->ca_files.items[1], "/b.pem");
	assert_string_equal(c->intermediates_files.items[0], "/i.pem");
	assert_string_equal(c->revocation.crl_files.items[0], "/c.crl");
	assert_null(mtls_config_error(c));

	assert_int_equal(mtls_config_add_ca_file(c, ""), -1);
	assert_error_has(c, "ca_file: empty file name");
	assert_int_equal(mtls_config_add_crl_file(c, NULL), -1);
	assert_error_has(c, "revocation.crl_files: empty file name");
	assert_int_equal(mtls_config_add_intermediates_file(c, ""), -1);
	assert_error_has(c, "intermediates_file: empty file name");
	assert_int_equal(c->ca_files.count, 2);
	mtls_config_free(c);
}

static void
purpose_and_audit_setters(void **state)
{
	struct mtls_config *c = mtls_config_new();

	(void)state;
	assert_int_equal(mtls_config_set_purpose(c, MTLS_PURPOSE_ANY), 0);
	assert_int_equal(c->policy.purpose, MTLS_PURPOSE_ANY);
	assert_int_equal(mtls_config_set_purpose(c, MTLS_PURPOSE_SERVER), 0);
	assert_int_equal(c->policy.purpose, MTLS_PURPOSE_SERVER);
	assert_int_equal(mtls_config_set_purpose(c, (enum mtls_purpose)7),
	    -1);
	assert_error_has(c, "policy.purpose: unknown purpose 7");
	assert_int_equal(c->policy.purpose, MTLS_PURPOSE_SERVER);

	mtls_config_set_audit(c, 0);
	assert_false(c->audit);
	mtls_config_set_audit(c, 5);
	assert_true(c->audit);
	mtls_config_free(c);
}

static void
revocation_modes_parse(void **state)
{
	static const struct {
		const char *mode;
		size_t n;
		enum mtls_revocation_method first, second;
	} good[] = {
		{ "none", 0, 0, 0 },
		{ " none ", 0, 0, 0 },
		{ "crl", 1, MTLS_REV_CRL, 0 },
		{ "ocsp", 1, MTLS_REV_OCSP, 0 },
		{ "ocsp,crl", 2, MTLS_REV_OCSP, MTLS_REV_CRL },
		{ "crl, ocsp", 2, MTLS_REV_CRL, MTLS_REV_OCSP },
	};
	static const char *const bad[] = {
		"", " ", "nope", "oscp", "crl,crl", "ocsp,crl,ocsp", "crl,",
		",crl", "none,crl", "crl,none", "nonesuch", "CRL", "crl ocsp",
		"crl,,ocsp",
	};
	struct mtls_config *c = mtls_config_new();

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(mtls_config_set_revocation_mode(c, "ocsp"), 0);
		assert_int_equal(mtls_config_set_revocation_mode(c,
		    good[i].mode), 0);
		assert_int_equal(c->revocation.nmethods, good[i].n);
		if (good[i].n > 0)
			assert_int_equal(c->revocation.methods[0],
			    good[i].first);
		if (good[i].n > 1)
			assert_int_equal(c->revocation.methods[1],
			    good[i].second);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[64];

		assert_int_equal(mtls_config_set_revocation_mode(c, "crl"), 0);
		if (mtls_config_set_revocation_mode(c, bad[i]) != -1)
			fail_msg("mode \"%s\" accepted", bad[i]);
		snprintf(want, sizeof(want), "revocation mode \"%s\"", bad[i]);
		assert_error_has(c, want);
		/* a refused mode changes nothing */
		assert_int_equal(c->revocation.nmethods, 1);
		assert_int_equal(c->revocation.methods[0], MTLS_REV_CRL);
	}
	assert_int_equal(mtls_config_set_revocation_mode(c, NULL), -1);
	mtls_config_free(c);
}

static const char full_file[] =
    "ca_file = [\"ca.pem\", \"ca2.pem\"];\n"
    "ca_dir = \"cadir\";\n"
    "intermediates_file = \"int.pem\";\n"
    "audit = false;\n"
    "policy = {\n"
    "  purpose = \"server\";\n"
    "  require_eku = true;\n"
    "  require_v3 = true;\n"
    "  min_rsa_bits = 3072;\n"
    "  min_ec_bits = 384;\n"
    "  allow_sha1 = true;\n"
    "  max_depth = 3;\n"
    "  clock_skew = 60;\n"
    "};\n"
    "revocation = {\n"
    "  mode = [\"ocsp\", \"crl\"];\n"
    "  crl_files = [\"crl.pem\"];\n"
    "  crl_require = \"chain\";\n"
    "  cache_dir = \"/var/tmp/mtls-cache\";\n"
    "  stale_grace = 3600;\n"
    "  ocsp_url = \"http://ocsp.example.test/\";\n"
    "  ocsp_timeout_ms = 1500;\n"
    "  ocsp_soft_fail = true;\n"
    "  ocsp_nonce = false;\n"
    "  ocsp_max_age = 600L;\n"
    "  crl_urls = [\"http://crl.example.test/a.crl\",\n"
    "      \"https://crl.example.test/b.crl\"];\n"
    "  crl_fetch = true;\n"
    "};\n"
    "identity = {\n"
    "  map = \"fingerprint\";\n"
    "  map_file = \"map.txt\";\n"
    "  issuers = [\"CN=Test Intermediate\", \"CN=Other\"];\n"
    "};\n"
    "pkcs11 = {\n"
    "  module = \"module.so\";\n"
    "  token = \"pkcs11:token=alice\";\n"
    "};\n";

static void
full_file_loads_every_key(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = load_ok(fx, full_file, NULL);

	assert_int_equal(c->ca_files.count, 2);
	assert_string_equal(c->ca_files.items[0], in(fx, "ca.pem"));
	assert_string_equal(c->ca_files.items[1], in(fx, "ca2.pem"));
	assert_string_equal(c->ca_dir, in(fx, "cadir"));
	assert_string_equal(c->intermediates_files.items[0], in(fx, "int.pem"));
	assert_false(c->audit);
	assert_int_equal(c->policy.purpose, MTLS_PURPOSE_SERVER);
	assert_true(c->policy.require_eku);
	assert_true(c->policy.require_v3);
	assert_int_equal(c->policy.min_rsa_bits, 3072);
	assert_int_equal(c->policy.min_ec_bits, 384);
	assert_true(c->policy.allow_sha1);
	assert_int_equal(c->policy.max_depth, 3);
	assert_int_equal(c->policy.clock_skew, 60);
	assert_int_equal(c->revocation.nmethods, 2);
	assert_int_equal(c->revocation.methods[0], MTLS_REV_OCSP);
	assert_int_equal(c->revocation.methods[1], MTLS_REV_CRL);
	assert_int_equal(c->revocation.crl_files.count, 1);
	assert_string_equal(c->revocation.crl_files.items[0],
	    in(fx, "crl.pem"));
	assert_int_equal(c->revocation.crl_require, MTLS_CRL_REQUIRE_CHAIN);
	assert_string_equal(c->revocation.cache_dir, "/var/tmp/mtls-cache");
	assert_int_equal(c->revocation.stale_grace, 3600);
	assert_string_equal(c->revocation.ocsp_url,
	    "http://ocsp.example.test/");
	assert_int_equal(c->revocation.ocsp_timeout_ms, 1500);
	assert_true(c->revocation.ocsp_soft_fail);
	assert_false(c->revocation.ocsp_nonce);
	assert_int_equal(c->revocation.ocsp_max_age, 600);
	assert_int_equal(c->revocation.crl_urls.count, 2);
	assert_string_equal(c->revocation.crl_urls.items[1],
	    "https://crl.example.test/b.crl");
	assert_true(c->revocation.crl_fetch);
	assert_int_equal(c->identity.map, MTLS_MAP_FINGERPRINT);
	assert_string_equal(c->identity.map_file, in(fx, "map.txt"));
	assert_int_equal(c->identity.issuers.count, 2);
	assert_string_equal(c->identity.issuers.items[0],
	    "CN=Test Intermediate");
	assert_string_equal(c->pkcs11.module, in(fx, "module.so"));
	assert_string_equal(c->pkcs11.token, "pkcs11:token=alice");
	assert_null(c->profile);
	assert_int_equal(mtls_config_profile_count(c), 0);
	mtls_config_free(c);
}

static const char profiles_file[] =
    "ca_file = [\"ca.pem\", \"ca2.pem\"];\n"
    "policy = { max_depth = 3; min_ec_bits = 384; };\n"
    "revocation = { mode = \"crl\"; crl_files = \"crl.pem\"; };\n"
    "profiles = {\n"
    "  login = {\n"
    "    ca_file = \"sub/int.pem\";\n"
    "    policy = { max_depth = 7; };\n"
    "    revocation = { mode = \"none\"; };\n"
    "  };\n"
    "  openvpn = { audit = false; };\n"
    "};\n";

static void
profile_overrides_top_level(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = load_ok(fx, profiles_file, "login");

	assert_string_equal(c->profile, "login");
	/* a list given in the profile replaces the top-level one */
	assert_int_equal(c->ca_files.count, 1);
	assert_string_equal(c->ca_files.items[0], in(fx, "sub/int.pem"));
	assert_int_equal(c->policy.max_depth, 7);
	/* what the profile leaves alone comes from the top level */
	assert_int_equal(c->policy.min_ec_bits, 384);
	assert_int_equal(c->revocation.crl_files.count, 1);
	assert_int_equal(c->revocation.nmethods, 0);
	assert_true(c->audit);
	assert_int_equal(mtls_config_profile_count(c), 2);
	assert_string_equal(mtls_config_profile_name(c, 0), "login");
	assert_string_equal(mtls_config_profile_name(c, 1), "openvpn");
	assert_null(mtls_config_profile_name(c, 2));
	mtls_config_free(c);

	c = load_ok(fx, profiles_file, NULL);
	assert_null(c->profile);
	assert_int_equal(c->ca_files.count, 2);
	assert_int_equal(c->policy.max_depth, 3);
	assert_int_equal(c->revocation.nmethods, 1);
	assert_int_equal(mtls_config_profile_count(c), 2);
	mtls_config_free(c);

	c = load_ok(fx, profiles_file, "openvpn");
	assert_false(c->audit);
	assert_int_equal(c->policy.max_depth, 3);
	mtls_config_free(c);
}

static void
unknown_keys_are_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "ca_file = \"ca.pem\";\nbogus = 1;\n",
		    2, "bogus: unknown key" },
		{ "policy = {\n  max_depth = 3;\n  strict = true;\n"
		    "};\n",
		    3, "policy.strict: unknown key" },
		{ "profiles = {\n  a = { };\n  b = {\n"
		    "    identity = { mapping = \"cn\"; };\n  };\n};\n",
		    4, "profiles.b.identity.mapping: unknown key" },
		{ "profiles = { a = { profiles = { }; }; };\n",
		    1, "profiles.a.profiles: unknown key" },
		/* pam_pkcs11 accepts this typo and silently skips OCSP */
		{ "revocation = {\n  mode = \"ocsp\";\n"
		    "  oscp_url = \"http://ocsp.example.test/\";\n};\n",
		    3, "revocation.oscp_url: unknown key; did you mean "
		    "revocation.ocsp_url?" },
		{ "polcy = { max_depth = 3; };\n",
		    1, "polcy: unknown key; did you mean policy?" },
		{ "ocsp_url = \"http://ocsp.example.test/\";\n",
		    1, "ocsp_url: unknown key; did you mean "
		    "revocation.ocsp_url?" },
		{ "zzzzzzzz = 1;\n",
		    1, "zzzzzzzz: unknown key; mtls.conf(5) lists" },
	};

	load_fails_each(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
wrong_types_are_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "\npolicy = { min_rsa_bits = \"2048\"; };\n",
		    2, "policy.min_rsa_bits: expected an integer, got a "
		    "string" },
		{ "policy = { max_depth = 2.5; };\n",
		    1, "policy.max_depth: expected an integer, got a "
		    "floating-point" },
		{ "audit = 1;\n",
		    1, "audit: expected true or false, got an integer" },
		{ "audit = \"yes\";\n",
		    1, "audit: expected true or false, got a string" },
		{ "policy = 5;\n",
		    1, "policy: expected a group { ... }, got an integer" },
		{ "policy = { purpose = [\"client\"]; };\n",
		    1, "policy.purpose: expected a string, got an array" },
		{ "ca_file = { a = 1; };\n",
		    1, "ca_file: expected a string or a list of strings, "
		    "got a group" },
		{ "ca_file = (\"ca.pem\",\n  5);\n",
		    2, "ca_file[1]: expected a string, got an integer" },
		{ "revocation = { mode = 1; };\n",
		    1, "revocation.mode: expected a string or a list of "
		    "strings" },
		{ "ca_dir = [\"cadir\"];\n",
		    1, "ca_dir: expected a string, got an array" },
		{ "profiles = 3;\n",
		    1, "profiles: expected a group of profiles" },
		{ "profiles = { login = \"x\"; };\n",
		    1, "profiles.login: expected a group { ... }, got a "
		    "string" },
	};

	load_fails_each(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
out_of_range_values_are_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "policy = { min_rsa_bits = 512; };\n",
		    1, "policy.min_rsa_bits: 512 is out of range; expected "
		    "1024 to 16384" },
		{ "policy = { min_ec_bits = 1024; };\n",
		    1, "policy.min_ec_bits: 1024 is out of range" },
		{ "policy = { max_depth = 0; };\n",
		    1, "policy.max_depth: 0 is out of range" },
		{ "policy = { clock_skew = -1; };\n",
		    1, "policy.clock_skew: -1 is out of range" },
		{ "policy = { clock_skew = 8589934592L; };\n",
		    1, "policy.clock_skew: 8589934592 is out of range" },
		{ "revocation = { ocsp_timeout_ms = 50; };\n",
		    1, "revocation.ocsp_timeout_ms: 50 is out of range; "
		    "expected 100 to 60000" },
		{ "revocation = { stale_grace = 99999999; };\n",
		    1, "revocation.stale_grace: 99999999 is out of range" },
	};

	load_fails_each(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
unknown_words_are_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "policy = { purpose = \"clinet\"; };\n",
		    1, "policy.purpose: unknown value \"clinet\"; expected "
		    "one of \"client\", \"server\", \"any\"" },
		{ "revocation = { crl_require = \"all\"; };\n",
		    1, "revocation.crl_require: unknown value \"all\"" },
		{ "identity = { map = \"CN\"; };\n",
		    1, "identity.map: unknown value \"CN\"" },
		{ "revocation = { mode = \"oscp\"; };\n",
		    1, "revocation.mode: unknown mode \"oscp\"" },
		{ "revocation = { mode = [\"crl\", \"crl\"]; };\n",
		    1, "revocation.mode: unknown mode \"crl,crl\"" },
		{ "revocation = { mode = [\"none\", \"crl\"]; };\n",
		    1, "revocation.mode: unknown mode" },
		{ "revocation = { mode = (\"crl\", 1); };\n",
		    1, "revocation.mode[1]: expected a string, got an "
		    "integer" },
		{ "revocation = { mode = [\"crl               "
		    "                                               \", "
		    "\"x\"]; };\n",
		    1, "revocation.mode: unknown mode" },
		{ "revocation = { ocsp_url = \"ldap://x/\"; };\n",
		    1, "revocation.ocsp_url: \"ldap://x/\" is not an "
		    "http:// or https:// URL" },
		{ "revocation = { crl_urls = [\"http://a/\", "
		    "\"ftp://b/\"]; };\n",
		    1, "revocation.crl_urls[1]: \"ftp://b/\"" },
		{ "ca_file = \"\";\n",
		    1, "ca_file: empty string" },
		{ "pkcs11 = { token = \"\"; };\n",
		    1, "pkcs11.token: empty string" },
	};

	load_fails_each(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

static void
mode_list_and_string_agree(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c;

	c = load_ok(fx, "revocation = { mode = \"crl, ocsp\"; };\n", NULL);
	assert_int_equal(c->revocation.nmethods, 2);
	assert_int_equal(c->revocation.methods[0], MTLS_REV_CRL);
	assert_int_equal(c->revocation.methods[1], MTLS_REV_OCSP);
	mtls_config_free(c);
	c = load_ok(fx, "revocation = { mode = (\"ocsp\"); };\n", NULL);
	assert_int_equal(c->revocation.nmethods, 1);
	assert_int_equal(c->revocation.methods[0], MTLS_REV_OCSP);
	mtls_config_free(c);
}

static void
missing_files_are_errors(void **state)
{
	struct fixture *fx = *state;
	char want[512];

	snprintf(want, sizeof(want), "ca_file: %s: No such file",
	    in(fx, "nope.pem"));
	load_fails_at(fx, "ca_file = \"nope.pem\";\n", 1, want);
	load_fails_at(fx, "ca_file = [\"ca.pem\", \"gone.pem\"];\n", 1,
	    "ca_file[1]: ");
	load_fails_at(fx, "intermediates_file = \"/nonexistent/i.pem\";\n", 1,
	    "intermediates_file: /nonexistent/i.pem: No such file");
	load_fails_at(fx, "revocation = { crl_files = \"x.crl\"; };\n", 1,
	    "revocation.crl_files: ");
	load_fails_at(fx, "identity = { map = \"dn\"; map_file = \"m\"; };\n",
	    1, "identity.map_file: ");
	load_fails_at(fx, "ca_dir = \"nodir\";\n", 1, "ca_dir: ");
	load_fails_at(fx, "pkcs11 = { module = \"/nonexistent.so\"; };\n", 1,
	    "pkcs11.module: /nonexistent.so: No such file");
	snprintf(want, sizeof(want), "ca_dir: %s: not a directory",
	    in(fx, "ca.pem"));
	load_fails_at(fx, "ca_dir = \"ca.pem\";\n", 1, want);
	snprintf(want, sizeof(want), "ca_file: %s: not a regular file",
	    in(fx, "cadir"));
	load_fails_at(fx, "ca_file = \"cadir\";\n", 1, want);
	/* the cache directory is made by "mtls crl update" */
	mtls_config_free(load_ok(fx, "revocation = { cache_dir = \"cache\"; "
	    "};\n", NULL));
}

static void
map_file_rule_needs_map_file(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c;

	load_fails_at(fx, "ca_file = \"ca.pem\";\nidentity = {\n"
	    "  map = \"dn\";\n};\n", 3, "identity.map: \"dn\" looks user "
	    "names up in a map file; set identity.map_file");
	load_fails_at(fx, "profiles = {\n  radius = {\n"
	    "    identity = { map = \"fingerprint\"; };\n  };\n};\n", 3,
	    "profiles.radius.identity.map: \"fingerprint\"");
	c = load_ok(fx, "identity = { map_file = \"map.txt\"; };\n"
	    "profiles = { radius = { identity = { map = \"dn\"; }; }; };\n",
	    "radius");
	assert_int_equal(c->identity.map, MTLS_MAP_DN);
	assert_string_equal(c->identity.map_file, in(fx, "map.txt"));
	mtls_config_free(c);
}

/*
 * Found by fuzz_config: a value with a control character reached "mtls
 * config check" as it was, where it could forge lines or drive the
 * terminal.  Names in other scripts still load.
 */
static void
control_characters_are_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "revocation = { ocsp_url = \"http://ocsp\x0e" "a/\"; };\n",
		    1, "revocation.ocsp_url: \"http://ocsp\\x0ea/\" holds a "
		    "control character; write the value without it" },
		{ "identity = {\n  issuers = [\"CN=a\",\n"
		    "    \"CN=b\\n  only issued by: CN=c\"];\n};\n",
		    3, "identity.issuers[1]: \"CN=b\\x0a  only" },
		{ "revocation = { cache_dir = \"/var/cache/\x1b[2J\"; };\n",
		    1, "revocation.cache_dir: \"/var/cache/\\x1b[2J\" holds a "
		    "control character" },
		{ "pkcs11 = { token = \"alice\x7f\"; };\n",
		    1, "pkcs11.token: \"alice\\x7f\" holds a control "
		    "character" },
	};
	struct fixture *fx = *state;
	struct mtls_config *c;

	load_fails_each(fx, cases, sizeof(cases) / sizeof(cases[0]));
	c = load_ok(fx, "identity = { issuers = \"CN=J\xc3\xbcrgen\"; };\n",
	    NULL);
	assert_string_equal(c->identity.issuers.items[0], "CN=J\xc3\xbcrgen");
	mtls_config_free(c);
}

static void
syntax_errors_name_the_line(void **state)
{
	struct fixture *fx = *state;

	load_fails_at(fx, "ca_file = \"ca.pem\";\n"
	    "policy = { max_depth = ; };\n", 2, "syntax error");
	load_fails_at(fx, "audit = true;\naudit = false;\n", 2,
	    "duplicate setting");
}

static void
unreadable_files_are_errors(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = mtls_config_new();
	char bytes[] = "audit = true;\n\0audit = false;\n";

	assert_int_equal(mtls_config_load_file(c, in(fx, "absent.conf"), NULL),
	    -1);
	assert_error_has(c, "absent.conf: No such file");
	assert_int_equal(mtls_config_load_file(c, fx->dir, NULL), -1);
	assert_error_has(c, "not a regular file");
	assert_int_equal(mtls_config_load_file(c, NULL, NULL), -1);
	assert_error_has(c, "no configuration file");

	put_bytes(fx->conf, bytes, sizeof(bytes) - 1, 0644);
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), -1);
	assert_error_has(c, "holds a NUL byte");
	mtls_config_free(c);

	put(in(fx, "other.conf"), "audit = false;\n", 0644);
	load_fails(fx, "@include \"other.conf\"\n", NULL,
	    "@include: includes are not supported");
}

/*
 * An include is refused before libconfig opens anything: a FIFO would
 * hang every verification, and the included file would be opened as root
 * before its ownership is checked.  A hang fails the test (SIGALRM).
 */
static void
includes_are_refused_before_anything_is_opened(void **state)
{
	struct fixture *fx = *state;
	char want[512];

	assert_int_equal(mkfifo(in(fx, "pipe"), 0644), 0);
	alarm(20);
	snprintf(want, sizeof(want), "%s:3: @include: includes are not "
	    "supported", fx->conf);
	load_fails(fx, "audit = true;\n\n  @include \"pipe\"\n", NULL,
	    want);
	load_fails(fx, "\t@INCLUDE \"pipe\"\n", NULL,
	    "includes are not supported");
	/* refused as it stands, even where libconfig would not read it */
	load_fails(fx, "/*\n@include \"pipe\"\n*/\n", NULL,
	    "includes are not supported");
	load_fails(fx, "@include \"absent.conf\"\n", NULL,
	    "includes are not supported");
	alarm(0);
	/* "@include" elsewhere is a value like any other */
	mtls_config_free(load_ok(fx, "# @include \"pipe\"\naudit = true; "
	    "// @include \"pipe\"\n", NULL));
}

static void
missing_profile_lists_the_profiles(void **state)
{
	struct fixture *fx = *state;
	char want[512];

	snprintf(want, sizeof(want), "%s: no profile \"sshd\"; the profiles "
	    "are: login, openvpn", fx->conf);
	load_fails(fx, profiles_file, "sshd", want);
	load_fails(fx, "audit = true;\n", "login",
	    "no profile \"login\": the file defines no profiles");
}

/* A bad profile is an error even when another profile is chosen. */
static void
every_profile_is_checked(void **state)
{
	struct fixture *fx = *state;
	static const char text[] =
	    "profiles = {\n"
	    "  login = { audit = true; };\n"
	    "  radius = { policy = { max_depth = 99; }; };\n"
	    "};\n";

	load_fails(fx, text, "login", "mtls.conf:3: profiles.radius.policy."
	    "max_depth: 99 is out of range");
	load_fails(fx, text, NULL, "mtls.conf:3: profiles.radius");
}

static void
failed_load_changes_nothing(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = load_ok(fx, profiles_file, "login");
	unsigned nmethods = c->revocation.nmethods;

	put(fx->conf, "policy = { max_depth = 9; };\n"
	    "ca_file = \"ca2.pem\";\n"
	    "revocation = { mode = \"crl\"; };\n"
	    "profiles = { login = { bogus = 1; }; };\n", 0644);
	assert_int_equal(mtls_config_load_file(c, fx->conf, "login"), -1);
	assert_error_has(c, "profiles.login.bogus: unknown key");
	assert_string_equal(c->profile, "login");
	assert_int_equal(c->ca_files.count, 1);
	assert_string_equal(c->ca_files.items[0], in(fx, "sub/int.pem"));
	assert_int_equal(c->policy.max_depth, 7);
	assert_int_equal(c->revocation.nmethods, nmethods);
	assert_int_equal(mtls_config_profile_count(c), 2);

	/* and a good load afterwards replaces everything, error included */
	put(fx->conf, "policy = { max_depth = 9; };\n", 0644);
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), 0);
	assert_null(mtls_config_error(c));
	assert_null(c->profile);
	assert_int_equal(c->ca_files.count, 0);
	assert_int_equal(c->policy.max_depth, 9);
	assert_int_equal(c->revocation.nmethods, 0);
	assert_int_equal(mtls_config_profile_count(c), 0);
	mtls_config_free(c);
}

/*
 * The file comes first and code overrides it; a file loaded after code
 * changed a setting would drop that setting, so it is refused and
 * changes nothing.
 */
static void
code_overrides_the_file_and_never_comes_first(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = load_ok(fx, "ca_file = \"ca.pem\";\n"
	    "audit = false;\npolicy = { purpose = \"server\"; };\n"
	    "revocation = { mode = \"crl\"; crl_files = \"crl.pem\"; };\n",
	    NULL);

	assert_int_equal(mtls_config_set_purpose(c, MTLS_PURPOSE_CLIENT), 0);
	mtls_config_set_audit(c, 1);
	assert_int_equal(mtls_config_add_ca_file(c, "/etc/other-ca.pem"), 0);
	assert_int_equal(mtls_config_set_revocation_method(c, "ocsp", 1), 0);
	assert_int_equal(c->policy.purpose, MTLS_PURPOSE_CLIENT);
	assert_true(c->audit);
	assert_int_equal(c->ca_files.count, 2);
	assert_string_equal(c->ca_files.items[0], in(fx, "ca.pem"));
	assert_int_equal(c->revocation.nmethods, 2);
	assert_int_equal(c->revocation.methods[0], MTLS_REV_CRL);
	assert_int_equal(c->revocation.methods[1], MTLS_REV_OCSP);

	/* now a file would drop all that */
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), -1);
	assert_error_has(c, "settings were made in code before the file");
	assert_int_equal(c->ca_files.count, 2);
	assert_true(c->audit);
	mtls_config_free(c);

	c = mtls_config_new();
	assert_int_equal(mtls_config_set_revocation_mode(c, "ocsp"), 0);
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), -1);
	assert_error_has(c, "load the file first, then override it in code");
	assert_int_equal(c->ca_files.count, 0);
	assert_int_equal(c->revocation.methods[0], MTLS_REV_OCSP);
	mtls_config_free(c);
}

/* What the pkcs11 section says, for the doors that use a token. */
static void
pkcs11_settings_are_read_back(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = mtls_config_new();

	(void)fx;
	assert_null(mtls_config_pkcs11_module(c));
	assert_null(mtls_config_pkcs11_token(c));
	mtls_config_free(c);
	c = load_ok(fx, "ca_file = \"ca.pem\";\npkcs11 = { module = "
	    "\"module.so\"; token = \"pkcs11:token=alice\"; };\n", NULL);
	assert_string_equal(mtls_config_pkcs11_module(c), in(fx, "module.so"));
	assert_string_equal(mtls_config_pkcs11_token(c),
	    "pkcs11:token=alice");
	mtls_config_free(c);
}

static void
relative_paths_follow_the_file(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = mtls_config_new();
	char cwd[512], text[512];

	snprintf(text, sizeof(text), "ca_file = \"ca.pem\";\n"
	    "intermediates_file = \"sub/int.pem\";\n"
	    "ca_dir = \"%s\";\n", in(fx, "cadir"));
	put(fx->conf, text, 0644);
	/* loaded by a relative name from elsewhere, paths still resolve */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(in(fx, "sub")), 0);
	if (mtls_config_load_file(c, "../mtls.conf", NULL) != 0)
		fail_msg("%s", mtls_config_error(c));
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(c->ca_files.items[0], in(fx, "ca.pem"));
	assert_string_equal(c->intermediates_files.items[0],
	    in(fx, "sub/int.pem"));
	/* an absolute path stays as it is */
	assert_string_equal(c->ca_dir, in(fx, "cadir"));
	mtls_config_free(c);
}

static void
untrusted_files_are_refused_as_root(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c;

	if (geteuid() != 0)
		skip();
	put(fx->conf, "ca_file = \"ca.pem\";\n", 0664);
	c = mtls_config_new();
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), -1);
	assert_error_has(c, "mtls.conf: writable by its group; chmod go-w");
	assert_int_equal(chmod(fx->conf, 0646), 0);
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), -1);
	assert_error_has(c, "mtls.conf: writable by everyone");
	assert_int_equal(chmod(fx->conf, 0644), 0);
	assert_int_equal(chown(fx->conf, 65534, 0), 0);
	assert_int_equal(mtls_config_load_file(c, fx->conf, NULL), -1);
	assert_error_has(c, "owned by uid 65534, not root");
	assert_int_equal(chown(fx->conf, 0, 0), 0);
	mtls_config_free(c);

	assert_int_equal(chmod(in(fx, "ca.pem"), 0666), 0);
	load_fails_at(fx, "ca_file = \"ca.pem\";\n", 1,
	    "ca_file: ");
	load_fails(fx, "ca_file = \"ca.pem\";\n", NULL, "writable by everyone");
	assert_int_equal(chown(in(fx, "map.txt"), 65534, 0), 0);
	load_fails_at(fx, "identity = { map_file = \"map.txt\"; };\n", 1,
	    "identity.map_file: ");
	load_fails(fx, "identity = { map_file = \"map.txt\"; };\n", NULL,
	    "owned by uid 65534");
	assert_int_equal(chmod(in(fx, "cadir"), 0775), 0);
	load_fails(fx, "ca_dir = \"cadir\";\n", NULL, "writable by its group");
}

/*
 * Whoever may rename entries in a directory on the way to a file can put
 * another file, or a link to any of root's files (a bundle of public CAs),
 * in its place, however well the file itself is guarded.
 */
static void
files_in_directories_others_can_write_are_refused_as_root(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c;

	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(in(fx, "open"), 0755), 0);
	put(in(fx, "open/ca.pem"), "placeholder\n", 0644);
	assert_int_equal(symlink("open/ca.pem", in(fx, "via-open")), 0);
	assert_int_equal(symlink("../ca.pem", in(fx, "open/link")), 0);
	mtls_config_free(load_ok(fx, "ca_file = [\"open/ca.pem\", "
	    "\"via-open\", \"open/link\"];\n", NULL));

	assert_int_equal(chmod(in(fx, "open"), 0777), 0);
	load_fails(fx, "ca_file = \"open/ca.pem\";\n", NULL,
	    "open: writable by everyone");
	/* a link, or the file it names, in such a directory */
	load_fails(fx, "ca_file = \"via-open\";\n", NULL,
	    "open: writable by everyone");
	load_fails(fx, "ca_file = \"open/link\";\n", NULL,
	    "open: writable by everyone");
	assert_int_equal(chmod(in(fx, "open"), 0775), 0);
	load_fails(fx, "ca_dir = \"open\";\n", NULL, "writable by its group");
	/* sticky: others may add entries, but not touch root's */
	assert_int_equal(chmod(in(fx, "open"), 01777), 0);
	mtls_config_free(load_ok(fx, "ca_file = \"open/ca.pem\";\n", NULL));
	assert_int_equal(chmod(in(fx, "open"), 0755), 0);
	assert_int_equal(chown(in(fx, "open"), 65534, 0), 0);
	load_fails(fx, "ca_file = \"open/ca.pem\";\n", NULL,
	    "open: owned by uid 65534");

	/* the configuration file itself */
	put(in(fx, "open/mtls.conf"), "audit = false;\n", 0644);
	c = mtls_config_new();
	assert_int_equal(mtls_config_load_file(c, in(fx, "open/mtls.conf"),
	    NULL), -1);
	assert_error_has(c, "owned by uid 65534");
	mtls_config_free(c);
	assert_int_equal(chown(in(fx, "open"), 0, 0), 0);
}

/*
 * In a group-writable sticky directory (mode 1775) a group member cannot
 * touch root's entries, but can re-point a link of their own: to another
 * CA bundle, a config, map or CRL file.  A link on the way to a policy
 * file must be root's, wherever it is.
 */
static void
links_others_own_are_refused_as_root(void **state)
{
	struct fixture *fx = *state;

	if (geteuid() != 0)
		skip();
	assert_int_equal(mkdir(in(fx, "shared"), 01775), 0);
	assert_int_equal(chmod(in(fx, "shared"), 01775), 0);
	assert_int_equal(symlink("../ca.pem", in(fx, "shared/ca-link")), 0);
	assert_int_equal(symlink("shared", in(fx, "shared-dir")), 0);
	mtls_config_free(load_ok(fx, "ca_file = [\"shared/ca-link\", "
	    "\"shared-dir/ca-link\"];\n", NULL));

	assert_int_equal(lchown(in(fx, "shared/ca-link"), 65534, 0), 0);
	load_fails(fx, "ca_file = \"shared/ca-link\";\n", NULL,
	    "shared/ca-link: a symbolic link owned by uid 65534, not root");
	load_fails(fx, "identity = { map_file = \"shared/ca-link\"; };\n",
	    NULL, "owned by uid 65534");
	/* a link to a directory is on the way too */
	assert_int_equal(lchown(in(fx, "shared/ca-link"), 0, 0), 0);
	assert_int_equal(lchown(in(fx, "shared-dir"), 65534, 0), 0);
	load_fails(fx, "ca_file = \"shared-dir/ca-link\";\n", NULL,
	    "shared-dir: a symbolic link owned by uid 65534");
}

/*
 * Opening a FIFO for reading waits for a writer: a named pipe where a
 * file should be (a configuration, or an OCSP cache entry someone planted)
 * must be refused at once, not hang every login.
 */
static void
fifo_is_refused_without_waiting(void **state)
{
	struct fixture *fx = *state;
	struct mtls_config *c = mtls_config_new();

	assert_int_equal(mkfifo(in(fx, "pipe.conf"), 0644), 0);
	/* SIGALRM ends the test, failed, if the open waits */
	alarm(10);
	assert_int_equal(mtls_config_load_file(c, in(fx, "pipe.conf"), NULL),
	    -1);
	alarm(0);
	assert_error_has(c, "pipe.conf: not a regular file");
	mtls_config_free(c);
}

static void
describe_names_the_settings(void **state)
{
	struct fixture *fx = *state;
	static const char *const wanted[] = {
		"Profile: none", "ca.pem", "cadir", "int.pem",
		"TLS server authentication", "require_eku = true",
		"3072 bits for RSA", "384 bits for EC",
		"SHA-1 signatures are accepted", "at most 3 CA certificates",
		"60 seconds of clock skew", "OCSP, then CRL",
		"first definitive answer wins", "/var/tmp/mtls-cache",
		"crl.pem", "https://crl.example.test/b.crl", "fetched too",
		"every certificate below the trust anchor",
		"3600 seconds past its nextUpdate",
		"http://ocsp.example.test/", "1500 ms", "carry no nonce",
		"600 seconds at most", "soft fail", "SHA-256 fingerprint",
		"map.txt", "CN=Test Intermediate", "module.so",
		"pkcs11:token=alice", "verifications are not logged",
	};
	struct mtls_config *c = load_ok(fx, full_file, NULL);
	char *text;

	assert_int_equal(mtls_config_describe(c, &text), 0);
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		assert_contains(text, wanted[i]);
	free(text);
	mtls_config_free(c);

	c = mtls_config_new();
	assert_int_equal(mtls_config_describe(c, &text), 0);
	assert_contains(text, "Revocation: not checked");
	assert_contains(text, "no certificate can be accepted");
	assert_contains(text, "subject commonName");
	assert_contains(text, "2048 bits for RSA");
	assert_contains(text, "SHA-1 signatures are rejected");
	assert_contains(text, "one line in syslog");
	assert_null(strstr(text, "OCSP"));
	free(text);
	mtls_config_free(c);
}

/*
 * The example shipped as etc/mtls.conf, with its /etc/mtls moved to a
 * directory holding ca.pem and nothing else: the one file it promises to
 * need.
 */
static void
shipped_example_loads(void **state)
{
	struct fixture *fx = *state;
	static const char *const profiles[] = { "login", "openvpn", "radius",
	    "web" };
	static const char from[] = "/etc/mtls";
	FILE *fp = fopen(MTLS_SOURCE_DIR "/etc/mtls.conf", "r");
	char *text, *out, *p, *o, etc[128], conf[160], ca[160];
	long size;
	size_t hits = 0;
	struct mtls_config *c;

	snprintf(etc, sizeof(etc), "%s", in(fx, "etc-mtls"));
	snprintf(conf, sizeof(conf), "%s/mtls.conf", etc);
	snprintf(ca, sizeof(ca), "%s/ca.pem", etc);
	assert_int_equal(mkdir(etc, 0755), 0);
	put(ca, "placeholder\n", 0644);

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size > 0);
	rewind(fp);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	for (p = text; (p = strstr(p, from)) != NULL; p += sizeof(from) - 1)
		hits++;
	assert_true(hits > 0);
	out = calloc(1, (size_t)size + hits * strlen(etc) + 1);
	assert_non_null(out);
	for (p = text, o = out; *p != '\0';) {
		if (strncmp(p, from, sizeof(from) - 1) == 0) {
			o += sprintf(o, "%s", etc);
			p += sizeof(from) - 1;
		} else
			*o++ = *p++;
	}
	put(conf, out, 0644);
	free(text);
	free(out);

	c = mtls_config_new();
	if (mtls_config_load_file(c, conf, NULL) != 0)
		fail_msg("%s", mtls_config_error(c));
	assert_string_equal(c->ca_files.items[0], ca);
	assert_int_equal(mtls_config_profile_count(c),
	    sizeof(profiles) / sizeof(profiles[0]));
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		assert_string_equal(mtls_config_profile_name(c, i),
		    profiles[i]);
		if (mtls_config_load_file(c, conf, profiles[i]) != 0)
			fail_msg("%s", mtls_config_error(c));
		assert_string_equal(c->profile, profiles[i]);
	}
	mtls_config_free(c);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_strict),
		cmocka_unit_test(file_setters_add),
		cmocka_unit_test(purpose_and_audit_setters),
		cmocka_unit_test(revocation_modes_parse),
		T(full_file_loads_every_key),
		T(profile_overrides_top_level),
		T(unknown_keys_are_errors),
		T(wrong_types_are_errors),
		T(out_of_range_values_are_errors),
		T(unknown_words_are_errors),
		T(mode_list_and_string_agree),
		T(missing_files_are_errors),
		T(map_file_rule_needs_map_file),
		T(control_characters_are_errors),
		T(syntax_errors_name_the_line),
		T(unreadable_files_are_errors),
		T(includes_are_refused_before_anything_is_opened),
		T(links_others_own_are_refused_as_root),
		T(missing_profile_lists_the_profiles),
		T(every_profile_is_checked),
		T(failed_load_changes_nothing),
		T(code_overrides_the_file_and_never_comes_first),
		T(pkcs11_settings_are_read_back),
		T(relative_paths_follow_the_file),
		T(untrusted_files_are_refused_as_root),
		T(fifo_is_refused_without_waiting),
		T(files_in_directories_others_can_write_are_refused_as_root),
		T(describe_names_the_settings),
		T(shipped_example_loads),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
