/*
 * config_file.c - mtls.conf(5), a libconfig file, into struct mtls_config.
 *
 * The keys are a table: one row says what a key is called, what value it
 * takes, where in struct mtls_config it goes and what the value must
 * satisfy.  A new key is a new row (and a paragraph in man/mtls.conf.5).
 * Nothing is ever silently defaulted: a key the table does not know is an
 * error, so a typo cannot quietly turn a check off.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "certname.h"
/* libconfig is loaded, not linked: call it through ld->lc */
#include "libconfig_loader.h"
#include "readfile.h"

/* Far above any real configuration; bounds what a bad file can cost. */
#define CONFIG_FILE_MAX (1024 * 1024)

/* Longest key name, with its group ("revocation.ocsp_timeout_ms"). */
#define KEY_NAME_MAX 64

enum key_type {
	KEY_BOOL,	/* bool */
	KEY_UINT,	/* unsigned, from min to max */
	KEY_WORD,	/* an enum, one of words[] (index = value) */
	KEY_TEXT,	/* char *, held to rule */
	KEY_TEXTS,	/* struct strlist: string or list, all held to rule */
	KEY_METHODS,	/* struct mtls_revocation's methods: mode or list */
	KEY_POLICIES,	/* struct mtls_policy's acceptable_policies: OIDs */
	KEY_REPLY	/* struct mtls_radius's rules: a list of groups */
};

/* What a string value must be. */
enum text_rule {
	TEXT_ANY = 0,	/* any non-empty string */
	TEXT_URL,	/* an http:// or https:// URL */
	TEXT_PATH,	/* a path; relative: to the file's directory */
	TEXT_FILE,	/* such a path to a regular file, trusted when root */
	TEXT_DIR	/* such a path to a directory, trusted when root */
};

struct key {
	const char *name;		/* with its group: policy.max_depth */
	enum key_type type;
	size_t offset;			/* of its field in mtls_config */
	enum text_rule rule;		/* KEY_TEXT, KEY_TEXTS */
	unsigned min, max;		/* KEY_UINT */
	const char *const *words;	/* KEY_WORD, NULL-terminated */
};

/* KEY_WORD fields are enums stored and read as unsigned. */
_Static_assert(sizeof(enum mtls_purpose) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum mtls_crl_require) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum mtls_map_rule) == sizeof(unsigned), "enum size");
_Static_assert(sizeof(enum mtls_radius_realm) == sizeof(unsigned),
    "enum size");

static const char *const purpose_words[] = {
	[MTLS_PURPOSE_CLIENT] = "client",
	[MTLS_PURPOSE_SERVER] = "server",
	[MTLS_PURPOSE_ANY] = "any",
	NULL
};

static const char *const crl_require_words[] = {
	[MTLS_CRL_REQUIRE_LEAF] = "leaf",
	[MTLS_CRL_REQUIRE_CHAIN] = "chain",
	[MTLS_CRL_REQUIRE_NONE] = "none",
	NULL
};

static const char *const realm_words[] = {
	[MTLS_RADIUS_REALM_KEEP] = "keep",
	[MTLS_RADIUS_REALM_STRIP] = "strip",
	NULL
};

#define AT(field) offsetof(struct mtls_config, field)
#define BOOL(n, f)	{ .name = n, .type = KEY_BOOL, .offset = AT(f) }
#define UINT(n, f, lo, hi) \
	{ .name = n, .type = KEY_UINT, .offset = AT(f), .min = lo, .max = hi }
#define WORD(n, f, w)	{ .name = n, .type = KEY_WORD, .offset = AT(f), \
	.words = w }
#define TEXT(n, f, r)	{ .name = n, .type = KEY_TEXT, .offset = AT(f), \
	.rule = r }
#define TEXTS(n, f, r)	{ .name = n, .type = KEY_TEXTS, .offset = AT(f), \
	.rule = r }

/* Every key of mtls.conf(5); ranges and defaults are documented there. */
static const struct key keys[] = {
	TEXTS("ca_file", ca_files, TEXT_FILE),
	TEXT("ca_dir", ca_dir, TEXT_DIR),
	TEXTS("intermediates_file", intermediates_files, TEXT_FILE),
	BOOL("audit", audit),
	WORD("policy.purpose", policy.purpose, purpose_words),
	BOOL("policy.require_eku", policy.require_eku),
	BOOL("policy.require_v3", policy.require_v3),
	UINT("policy.min_rsa_bits", policy.min_rsa_bits, 1024, 16384),
	UINT("policy.min_ec_bits", policy.min_ec_bits, 160, 521),
	BOOL("policy.allow_sha1", policy.allow_sha1),
	UINT("policy.max_depth", policy.max_depth, 1, 16),
	UINT("policy.clock_skew", policy.clock_skew, 0, 86400),
	{ .name = "policy.acceptable_policies", .type = KEY_POLICIES,
	    .offset = AT(policy) },
	BOOL("policy.require_explicit_policy", policy.require_explicit_policy),
	BOOL("policy.inhibit_policy_mapping", policy.inhibit_policy_mapping),
	BOOL("policy.inhibit_any_policy", policy.inhibit_any_policy),
	{ .name = "revocation.mode", .type = KEY_METHODS,
	    .offset = AT(revocation) },
	TEXTS("revocation.crl_files", revocation.crl_files, TEXT_FILE),
	WORD("revocation.crl_require", revocation.crl_require,
	    crl_require_words),
	TEXT("revocation.cache_dir", revocation.cache_dir, TEXT_PATH),
	UINT("revocation.stale_grace", revocation.stale_grace, 0, 2592000),
	TEXTS("revocation.crl_urls", revocation.crl_urls, TEXT_URL),
	BOOL("revocation.crl_fetch", revocation.crl_fetch),
	TEXT("revocation.ocsp_url", revocation.ocsp_url, TEXT_URL),
	UINT("revocation.ocsp_timeout_ms", revocation.ocsp_timeout_ms,
	    100, 60000),
	BOOL("revocation.ocsp_soft_fail", revocation.ocsp_soft_fail),
	BOOL("revocation.ocsp_nonce", revocation.ocsp_nonce),
	UINT("revocation.ocsp_max_age", revocation.ocsp_max_age, 0, 2592000),
	WORD("identity.map", identity.map, config_map_words),
	TEXT("identity.map_file", identity.map_file, TEXT_FILE),
	TEXTS("identity.issuers", identity.issuers, TEXT_ANY),
	TEXT("pkcs11.module", pkcs11.module, TEXT_FILE),
	TEXT("pkcs11.token", pkcs11.token, TEXT_ANY),
	WORD("radius.realm", radius.realm, realm_words),
	{ .name = "radius.reply", .type = KEY_REPLY, .offset = AT(radius) },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct loader {
	const struct libconfig *lc;	/* what reads the file */
	struct mtls_config *report;	/* where an error is recorded */
	const char *path;		/* the file, as the caller named it */
	char *dir;			/* relative paths start here */
	const char *scope;		/* "" or "profiles.NAME." */
	char profile_scope[KEY_NAME_MAX + 16];
	/* Where each key was last set, for checks that span keys. */
	const config_setting_t *from[NKEYS];
	const char *from_scope[NKEYS];
};

/* Record "FILE:LINE: KEY: why" on the configuration; returns -1. */
static int
key_fail(const struct loader *ld, const config_setting_t *s, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
key_fail(const struct loader *ld, const config_setting_t *s, const char *key,
    const char *fmt, ...)
{
	char why[384];
	const char *file = config_setting_source_file(s);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return config_fail(ld->report, "%s:%u: %s%s: %s",
	    file != NULL ? file : ld->path, config_setting_source_line(s),
	    ld->scope, key, why);
}

static const char *
type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a floating-point number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	}
	return "nothing";
}

/* A value from the file, made safe to print. */
static const char *
shown(const char *value, char *buf, size_t buflen)
{
	certname_escape((const unsigned char *)value, strlen(value), buf,
	    buflen);
	return buf;
}

static const struct key *
key_named(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* Nonzero when name is a group of keys ("policy"). */
static int
group_named(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < NKEYS; i++)
		if (strncmp(keys[i].name, name, n) == 0 &&
		    keys[i].name[n] == '.')
			return 1;
	return 0;
}

/* Edits (insert, delete, change, swap two neighbours) from a to b. */
static size_t
edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned short d[KEY_NAME_MAX + 1][KEY_NAME_MAX + 1];

	if (alen > KEY_NAME_MAX || blen > KEY_NAME_MAX)
		return (size_t)-1;
	for (size_t i = 0; i <= alen; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= blen; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= alen; i++) {
		for (size_t j = 1; j <= blen; j++) {
			unsigned short best = d[i - 1][j - 1] +
			    (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[alen][blen];
}

static const char *
leaf_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL ? dot + 1 : name;
}

/* Keep the first n bytes of name in buf if they are closer to full. */
static void
consider(const char *full, const char *name, size_t n, size_t *best,
    char *buf, size_t buflen)
{
	size_t d = edit_distance(full, strlen(full), name, n);

	if (d < *best) {
		*best = d;
		snprintf(buf, buflen, "%.*s", (int)n, name);
	}
}

/*
 * The known key or group an unknown full name most likely meant: the same
 * key written in the wrong group, or a near miss ("oscp_url").  NULL when
 * nothing is close.  Writes into buf.
 */
static const char *
closest_key(const char *full, char *buf, size_t buflen)
{
	size_t best = 2 + strlen(full) / 5;

	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(leaf_of(keys[i].name), leaf_of(full)) == 0) {
			snprintf(buf, buflen, "%s", keys[i].name);
			return buf;
		}
	}
	buf[0] = '\0';
	for (size_t i = 0; i < NKEYS; i++) {
		const char *name = keys[i].name;

		consider(full, name, strlen(name), &best, buf, buflen);
		for (const char *dot = strchr(name, '.'); dot != NULL;
		    dot = strchr(dot + 1, '.'))
			consider(full, name, (size_t)(dot - name), &best, buf,
			    buflen);
	}
	return buf[0] != '\0' ? buf : NULL;
}

static int
unknown_key(const struct loader *ld, const config_setting_t *s,
    const char *full)
{
	char guess[KEY_NAME_MAX + 1];

	if (closest_key(full, guess, sizeof(guess)) != NULL)
		return key_fail(ld, s, full, "unknown key; did you mean %s?",
		    guess);
	return key_fail(ld, s, full, "unknown key; mtls.conf(5) lists the "
	    "keys there are");
}

static int
set_bool(const struct loader *ld, const struct key *k,
    const config_setting_t *s, bool *field)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return key_fail(ld, s, k->name, "expected true or false, got "
		    "%s", type_name(s));
	*field = ld->lc->setting_get_bool(s) != 0;
	return 0;
}

static int
set_uint(const struct loader *ld, const struct key *k,
    const config_setting_t *s, unsigned *field)
{
	long long v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return key_fail(ld, s, k->name, "expected an integer, got %s",
		    type_name(s));
	v = ld->lc->setting_get_int64(s);
	if (v < (long long)k->min || v > (long long)k->max)
		return key_fail(ld, s, k->name, "%lld is out of range; "
		    "expected %u to %u", v, k->min, k->max);
	*field = (unsigned)v;
	return 0;
}

/* "a", "b", "c" into buf, cut short if it does not fit. */
static void
join_words(const char *const *words, char *buf, size_t buflen)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; words[i] != NULL && used < buflen; i++)
		used += (size_t)snprintf(buf + used, buflen - used,
		    "%s\"%s\"", i > 0 ? ", " : "", words[i]);
}

static int
set_word(const struct loader *ld, const struct key *k,
    const config_setting_t *s, unsigned *field)
{
	char list[128], buf[128];
	const char *word;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return key_fail(ld, s, k->name, "expected a string, got %s",
		    type_name(s));
	word = ld->lc->setting_get_string(s);
	for (unsigned i = 0; k->words[i] != NULL; i++) {
		if (strcmp(k->words[i], word) == 0) {
			*field = i;
			return 0;
		}
	}
	join_words(k->words, list, sizeof(list));
	return key_fail(ld, s, k->name, "unknown value \"%s\"; expected one "
	    "of %s", shown(word, buf, sizeof(buf)), list);
}

/* path relative to the configuration file's directory; allocated. */
static char *
resolve(const struct loader *ld, const char *path)
{
	size_t n;
	char *out;

	if (path[0] == '/')
		return strdup(path);
	n = strlen(ld->dir) + 1 + strlen(path) + 1;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s/%s", ld->dir, path);
	return out;
}

/* A file or directory the configuration names must be there and trusted. */
static int
check_named_file(const struct loader *ld, const config_setting_t *s,
    const char *key, const char *path, enum text_rule rule)
{
	char err[384], buf[256];
	struct stat st;

	if (stat(path, &st) != 0)
		return key_fail(ld, s, key, "%s: %s",
		    shown(path, buf, sizeof(buf)), strerror(errno));
	if (rule == TEXT_FILE && !S_ISREG(st.st_mode))
		return key_fail(ld, s, key, "%s: not a regular file",
		    shown(path, buf, sizeof(buf)));
	if (rule == TEXT_DIR && !S_ISDIR(st.st_mode))
		return key_fail(ld, s, key, "%s: not a directory",
		    shown(path, buf, sizeof(buf)));
	if (file_check_trusted(path, err, sizeof(err)) != 0)
		return key_fail(ld, s, key, "%s", err);
	return 0;
}

static bool
has_control(const char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			return true;
	return false;
}

/*
 * Check one string value against rule; *out is the allocated value.
 * Values reach messages, logs and "mtls config check" as they are, and
 * no path, URL, name or token needs a control character: one could only
 * forge lines or drive a terminal there.
 */
static int
text_value(const struct loader *ld, const config_setting_t *s,
    const char *key, enum text_rule rule, char **out)
{
	const char *raw = ld->lc->setting_get_string(s);
	char buf[256];

	if (raw[0] == '\0')
		return key_fail(ld, s, key, "empty string");
	if (has_control(raw))
		return key_fail(ld, s, key, "\"%s\" holds a control "
		    "character; write the value without it",
		    shown(raw, buf, sizeof(buf)));
	if (rule == TEXT_URL && strncasecmp(raw, "http://", 7) != 0 &&
	    strncasecmp(raw, "https://", 8) != 0)
		return key_fail(ld, s, key, "\"%s\" is not an http:// or "
		    "https:// URL", shown(raw, buf, sizeof(buf)));
	if (rule == TEXT_PATH || rule == TEXT_FILE || rule == TEXT_DIR)
		*out = resolve(ld, raw);
	else
		*out = strdup(raw);
	if (*out == NULL)
		return key_fail(ld, s, key, "out of memory");
	if ((rule == TEXT_FILE || rule == TEXT_DIR) &&
	    check_named_file(ld, s, key, *out, rule) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int
set_text(const struct loader *ld, const struct key *k,
    const config_setting_t *s, char **field)
{
	char *value;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return key_fail(ld, s, k->name, "expected a string, got %s",
		    type_name(s));
	if (text_value(ld, s, k->name, k->rule, &value) != 0)
		return -1;
	free(*field);
	*field = value;
	return 0;
}

/* The elements of a list or array, or the one string. */
static int
each_string(const struct loader *ld, const struct key *k,
    const config_setting_t *s, int (*take)(const struct loader *,
    const struct key *, const config_setting_t *, const char *, void *),
    void *arg)
{
	/* room for the name of a rule's member (set_reply) and an index */
	char key[KEY_NAME_MAX + 64];
	int n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return take(ld, k, s, k->name, arg);
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST)
		return key_fail(ld, s, k->name, "expected a string or a list "
		    "of strings, got %s", type_name(s));
	n = ld->lc->setting_length(s);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = ld->lc->setting_get_elem(s,
		    (unsigned)i);

		snprintf(key, sizeof(key), "%s[%d]", k->name, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return key_fail(ld, e, key, "expected a string, got %s",
			    type_name(e));
		if (take(ld, k, e, key, arg) != 0)
			return -1;
	}
	return 0;
}

static int
take_text(const struct loader *ld, const struct key *k,
    const config_setting_t *s, const char *key, void *arg)
{
	char *value;
	int ret;

	if (text_value(ld, s, key, k->rule, &value) != 0)
		return -1;
	ret = strlist_add(arg, value);
	free(value);
	if (ret != 0)
		return key_fail(ld, s, key, "out of memory");
	return 0;
}

/* A list given again replaces the one before entirely. */
static int
set_texts(const struct loader *ld, const struct key *k,
    const config_setting_t *s, struct strlist *field)
{
	struct strlist fresh = { NULL, 0 };

	if (each_string(ld, k, s, take_text, &fresh) != 0) {
		strlist_clear(&fresh);
		return -1;
	}
	strlist_clear(field);
	*field = fresh;
	return 0;
}

/* The methods of a mode list, joined with commas. */
struct mode_text {
	char text[64];
	size_t used;
	bool cut;	/* too long for text: not a mode */
};

static int
take_method(const struct loader *ld, const struct key *k,
    const config_setting_t *s, const char *key, void *arg)
{
	struct mode_text *mode = arg;
	size_t room = sizeof(mode->text) - mode->used;
	int n;

	(void)ld;
	(void)k;
	(void)key;
	n = snprintf(mode->text + mode->used, room, "%s%s",
	    mode->used > 0 ? "," : "", ld->lc->setting_get_string(s));
	if ((size_t)n >= room) {
		mode->cut = true;
		mode->used = sizeof(mode->text) - 1;
	} else
		mode->used += (size_t)n;
	return 0;
}

/* "ocsp,crl" and ["ocsp", "crl"] say the same. */
static int
set_methods(const struct loader *ld, const struct key *k,
    const config_setting_t *s, struct mtls_revocation *rev)
{
	struct mode_text mode = { "", 0, false };
	char buf[128];

	if (each_string(ld, k, s, take_method, &mode) != 0)
		return -1;
	if (mode.cut || config_parse_revocation_mode(mode.text, rev->methods,
	    &rev->nmethods) != 0)
		return key_fail(ld, s, k->name, "unknown mode \"%s\"; expected "
		    "\"none\", \"crl\", \"ocsp\", or both methods in order, "
		    "such as [\"ocsp\", \"crl\"]",
		    shown(mode.text, buf, sizeof(buf)));
	return 0;
}

/*
 * Whether text is an OID in dotted decimal, as X.660 writes one: two arcs
 * at least, the first 0, 1 or 2, no arc with a leading zero.
 */
static bool
dotted_oid(const char *text)
{
	size_t arcs = 0;

	if (text[0] < '0' || text[0] > '2' || text[1] != '.')
		return false;
	for (const char *p = text; *p != '\0'; arcs++) {
		const char *start = p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start || (*start == '0' && p - start > 1))
			return false;
		if (*p == '.' && *++p == '\0')
			return false;
		if (*p != '\0' && p[-1] != '.')
			return false;
	}
	return arcs >= 2;
}

static int
take_policy(const struct loader *ld, const struct key *k,
    const config_setting_t *s, const char *key, void *arg)
{
	struct mtls_policy *fresh = arg;
	const char *oid = ld->lc->setting_get_string(s);
	char buf[128];

	(void)k;
	if (!dotted_oid(oid) || strlen(oid) >= MTLS_POLICY_OID_MAX)
		return key_fail(ld, s, key, "\"%s\" is not a policy OID in "
		    "dotted form of at most %d characters, such as "
		    "\"1.3.6.1.4.1.99999.1\"", shown(oid, buf, sizeof(buf)),
		    MTLS_POLICY_OID_MAX - 1);
	if (fresh->nacceptable_policies == MTLS_POLICY_SET_MAX)
		return key_fail(ld, s, key, "more than %d policies",
		    MTLS_POLICY_SET_MAX);
	snprintf(fresh->acceptable_policies[fresh->nacceptable_policies++],
	    MTLS_POLICY_OID_MAX, "%s", oid);
	return 0;
}

/* A list given again replaces the one before entirely. */
static int
set_policies(const struct loader *ld, const struct key *k,
    const config_setting_t *s, struct mtls_policy *policy)
{
	struct mtls_policy fresh = { .nacceptable_policies = 0 };

	if (each_string(ld, k, s, take_policy, &fresh) != 0)
		return -1;
	memcpy(policy->acceptable_policies, fresh.acceptable_policies,
	    sizeof(fresh.acceptable_policies));
	policy->nacceptable_policies = fresh.nacceptable_policies;
	return 0;
}

/* The highest VLAN ID IEEE 802.1Q allows. */
#define VLAN_MAX 4094

/* One member of a radius.reply rule into rule. */
static int
set_rule_member(const struct loader *ld, const config_setting_t *m,
    const char *key, struct radius_rule *rule)
{
	const char *name = config_setting_name(m);
	struct key k = { .name = key, .rule = TEXT_ANY };

	if (strcmp(name, "user") == 0)
		return set_texts(ld, &k, m, &rule->users);
	if (strcmp(name, "group") == 0)
		return set_texts(ld, &k, m, &rule->groups);
	if (strcmp(name, "issuer") == 0)
		return set_text(ld, &k, m, &rule->issuer);
	if (strcmp(name, "class") == 0)
		return set_text(ld, &k, m, &rule->class_value);
	if (strcmp(name, "vlan") == 0) {
		k.min = 1;
		k.max = VLAN_MAX;
		return set_uint(ld, &k, m, &rule->vlan);
	}
	return key_fail(ld, m, key, "unknown key; a rule names user, group "
	    "or issuer, and replies vlan or class");
}

/*
 * radius.reply: ({ user = ...; vlan = 10; }, ...).  A list given again
 * replaces the one before entirely.
 */
static int
set_reply(const struct loader *ld, const struct key *k,
    const config_setting_t *s, struct mtls_radius *radius)
{
	struct mtls_radius fresh = { .realm = radius->realm };
	char key[KEY_NAME_MAX + 32];
	int n;

	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return key_fail(ld, s, k->name, "expected a list of rules "
		    "( { user = \"NAME\"; vlan = 10; }, ... ), got %s",
		    type_name(s));
	n = ld->lc->setting_length(s);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = ld->lc->setting_get_elem(s,
		    (unsigned)i);
		struct radius_rule *rule;

		snprintf(key, sizeof(key), "%s[%d]", k->name, i);
		if (!config_setting_is_group(e)) {
			key_fail(ld, e, key, "expected a rule { ... }, got %s",
			    type_name(e));
			goto fail;
		}
		if ((rule = config_radius_add_rule(&fresh)) == NULL) {
			key_fail(ld, e, key, "out of memory");
			goto fail;
		}
		for (int j = 0; j < ld->lc->setting_length(e); j++) {
			const config_setting_t *m = ld->lc->setting_get_elem(e,
			    (unsigned)j);

			snprintf(key, sizeof(key), "%s[%d].%s", k->name, i,
			    config_setting_name(m));
			if (set_rule_member(ld, m, key, rule) != 0)
				goto fail;
		}
		if (rule->vlan == 0 && rule->class_value == NULL) {
			snprintf(key, sizeof(key), "%s[%d]", k->name, i);
			key_fail(ld, e, key, "replies nothing; give it vlan or "
			    "class");
			goto fail;
		}
	}
	config_radius_clear(radius);
	config_radius_seal(&fresh);
	*radius = fresh;
	return 0;
fail:
	config_radius_clear(&fresh);
	return -1;
}

static int
set_key(const struct loader *ld, const struct key *k,
    const config_setting_t *s, struct mtls_config *out)
{
	void *field = (char *)out + k->offset;

	switch (k->type) {
	case KEY_BOOL:
		return set_bool(ld, k, s, field);
	case KEY_UINT:
		return set_uint(ld, k, s, field);
	case KEY_WORD:
		return set_word(ld, k, s, field);
	case KEY_TEXT:
		return set_text(ld, k, s, field);
	case KEY_TEXTS:
		return set_texts(ld, k, s, field);
	case KEY_METHODS:
		return set_methods(ld, k, s, field);
	case KEY_POLICIES:
		return set_policies(ld, k, s, field);
	case KEY_REPLY:
		return set_reply(ld, k, s, field);
	}
	return key_fail(ld, s, k->name, "internal error: no such key type");
}

/* Apply the members of group, whose keys are named prefix + member. */
static int
apply_group(struct loader *ld, const config_setting_t *group,
    const char *prefix, int is_root, struct mtls_config *out)
{
	int n = ld->lc->setting_length(group);

	for (int i = 0; i < n; i++) {
		const config_setting_t *s = ld->lc->setting_get_elem(group,
		    (unsigned)i);
		const char *name = config_setting_name(s);
		char full[KEY_NAME_MAX + 1], sub[KEY_NAME_MAX + 2];
		const struct key *k;

		if (is_root && strcmp(name, "profiles") == 0)
			continue;
		if ((size_t)snprintf(full, sizeof(full), "%s%s", prefix,
		    name) >= sizeof(full))
			return key_fail(ld, s, name, "unknown key");
		if ((k = key_named(full)) != NULL) {
			if (set_key(ld, k, s, out) != 0)
				return -1;
			ld->from[k - keys] = s;
			ld->from_scope[k - keys] = ld->scope;
		} else if (group_named(full)) {
			if (!config_setting_is_group(s))
				return key_fail(ld, s, full, "expected a group "
				    "{ ... }, got %s", type_name(s));
			snprintf(sub, sizeof(sub), "%s.", full);
			if (apply_group(ld, s, sub, 0, out) != 0)
				return -1;
		} else
			return unknown_key(ld, s, full);
	}
	return 0;
}

/* Rules between keys, on the settings one profile resolves to. */
static int
check_combination(struct loader *ld, const struct mtls_config *c)
{
	size_t map = (size_t)(key_named("identity.map") - keys);

	if ((c->identity.map == MTLS_MAP_DN ||
	    c->identity.map == MTLS_MAP_FINGERPRINT) &&
	    c->identity.map_file == NULL) {
		ld->scope = ld->from_scope[map];
		return key_fail(ld, ld->from[map], keys[map].name, "\"%s\" "
		    "looks user names up in a map file; set identity.map_file",
		    config_map_words[c->identity.map]);
	}
	return 0;
}

/*
 * Defaults, then the top-level settings, then those of profile (if not
 * NULL), into out, which is empty before and on failure.
 */
static int
build(struct loader *ld, const config_setting_t *root,
    const config_setting_t *profile, struct mtls_config *out)
{
	memset(out, 0, sizeof(*out));
	memset(ld->from, 0, sizeof(ld->from));
	ld->scope = "";
	if (config_set_defaults(out) != 0) {
		config_clear(out);
		return config_fail(ld->report, "%s: out of memory", ld->path);
	}
	if (apply_group(ld, root, "", 1, out) != 0)
		goto fail;
	if (profile != NULL) {
		snprintf(ld->profile_scope, sizeof(ld->profile_scope),
		    "profiles.%s.", config_setting_name(profile));
		ld->scope = ld->profile_scope;
		if (apply_group(ld, profile, "", 0, out) != 0)
			goto fail;
	}
	if (check_combination(ld, out) != 0)
		goto fail;
	return 0;
fail:
	config_clear(out);
	return -1;
}

static int
no_such_profile(const struct loader *ld, const config_setting_t *profiles,
    const char *profile)
{
	char list[256] = "", buf[128];
	size_t used = 0;
	int n = profiles != NULL ? ld->lc->setting_length(profiles) : 0;

	for (int i = 0; i < n && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s%s", i > 0 ? ", " : "", config_setting_name(
		    ld->lc->setting_get_elem(profiles, (unsigned)i)));
	shown(profile, buf, sizeof(buf));
	if (n == 0)
		return config_fail(ld->report, "%s: no profile \"%s\": the "
		    "file defines no profiles", ld->path, buf);
	return config_fail(ld->report, "%s: no profile \"%s\"; the profiles "
	    "are: %s", ld->path, buf, list);
}

/*
 * Resolve profile (NULL: the top-level settings) into result, checking the
 * top level alone and every profile on the way.
 */
static int
load(struct loader *ld, const config_t *cf, const char *profile,
    struct mtls_config *result)
{
	const config_setting_t *root = config_root_setting(cf);
	const config_setting_t *profiles;
	struct mtls_config scratch;
	bool found = false;
	int n = 0;

	profiles = ld->lc->setting_get_member(root, "profiles");
	if (profiles != NULL && !config_setting_is_group(profiles))
		return key_fail(ld, profiles, "profiles", "expected a group "
		    "of profiles { NAME = { ... }; }, got %s",
		    type_name(profiles));
	if (build(ld, root, NULL, result) != 0)
		return -1;
	if (profiles != NULL)
		n = ld->lc->setting_length(profiles);
	for (int i = 0; i < n; i++) {
		const config_setting_t *p = ld->lc->setting_get_elem(profiles,
		    (unsigned)i);
		char key[KEY_NAME_MAX + 16];

		if (!config_setting_is_group(p)) {
			snprintf(key, sizeof(key), "profiles.%s",
			    config_setting_name(p));
			config_clear(result);
			ld->scope = "";
			return key_fail(ld, p, key, "expected a group { ... }, "
			    "got %s", type_name(p));
		}
		if (build(ld, root, p, &scratch) != 0) {
			config_clear(result);
			return -1;
		}
		if (profile != NULL && strcmp(config_setting_name(p),
		    profile) == 0) {
			config_clear(result);
			*result = scratch;
			found = true;
		} else
			config_clear(&scratch);
	}
	if (profile != NULL && !found) {
		config_clear(result);
		return no_such_profile(ld, profiles, profile);
	}
	for (int i = 0; i < n; i++)
		if (strlist_add(&result->profiles, config_setting_name(
		    ld->lc->setting_get_elem(profiles, (unsigned)i))) != 0)
			goto oom;
	if (profile != NULL && (result->profile = strdup(profile)) == NULL)
		goto oom;
	return 0;
oom:
	config_clear(result);
	return config_fail(ld->report, "%s: out of memory", ld->path);
}

/* The directory relative paths in the file are taken from; allocated. */
static char *
directory_of(const char *path)
{
	char *copy = strdup(path), *dir, *out = NULL;

	if (copy == NULL)
		return NULL;
	dir = dirname(copy);
	if (dir[0] == '/')
		out = strdup(dir);
	else
		out = realpath(dir, NULL);
	free(copy);
	return out;
}

/*
 * The line of the first @include directive, or 0.  libconfig 1.5 opens an
 * included file while it parses, with no hook to refuse it: a FIFO there
 * would hang every verification, and any file would be opened as root
 * before its ownership is checked.  So the text is searched first, as
 * libconfig's scanner sees a directive (a line that starts with it after
 * blanks), but with any case, and in comments too: a refusal there costs
 * nothing, a missed directive would cost the ownership rule.
 */
static unsigned
include_line(const char *text)
{
	static const char directive[] = "@include";
	unsigned line = 1;

	for (const char *p = text; *p != '\0'; line++) {
		p += strspn(p, " \t\r\f\v");
		if (strncasecmp(p, directive, sizeof(directive) - 1) == 0)
			return line;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	return 0;
}

int
mtls_config_load_file(struct mtls_config *config, const char *path,
    const char *profile)
{
	struct loader ld;
	struct mtls_config result;
	config_t cf;
	unsigned char *text;
	size_t len;
	char err[384];
	unsigned line;
	int ret = -1;

	if (path == NULL || path[0] == '\0')
		return config_fail(config, "no configuration file named");
	if (config_check_file_first(config, path) != 0)
		return -1;
	if (read_file_bounded(path, CONFIG_FILE_MAX, &text, &len, err,
	    sizeof(err)) != 0)
		return config_fail(config, "%s", err);
	if (strlen((char *)text) != len) {
		free(text);
		return config_fail(config, "%s: holds a NUL byte; it is not a "
		    "text file", path);
	}
	if ((line = include_line((const char *)text)) != 0) {
		free(text);
		return config_fail(config, "%s:%u: @include: includes are not "
		    "supported; write the settings into this file", path, line);
	}
	memset(&ld, 0, sizeof(ld));
	if ((ld.lc = libconfig_load(err, sizeof(err))) == NULL) {
		free(text);
		return config_fail(config, "%s: %s", path, err);
	}
	ld.report = config;
	ld.path = path;
	ld.scope = "";
	if ((ld.dir = directory_of(path)) == NULL) {
		free(text);
		return config_fail(config, "%s: cannot find its directory",
		    path);
	}
	ld.lc->init(&cf);
	ld.lc->set_include_dir(&cf, ld.dir);
	if (!ld.lc->read_string(&cf, (const char *)text))
		config_fail(config, "%s:%d: %s",
		    config_error_file(&cf) != NULL ? config_error_file(&cf) :
		    path, config_error_line(&cf), config_error_text(&cf));
	else if ((ret = load(&ld, &cf, profile, &result)) == 0 &&
	    (result.file = strdup(path)) == NULL) {
		config_clear(&result);
		ret = config_fail(config, "out of memory");
	} else if (ret == 0) {
		config_clear(config);
		*config = result;
	}
	ld.lc->destroy(&cf);
	free(ld.dir);
	free(text);
	return ret;
}
