/*
 * config.h - the settings one profile resolves to (internal).
 *
 * struct mtls_config is plain data: mtls_config_load_file() and the setters
 * fill it, mtls_ctx_configure() reads it.  Nothing here touches GnuTLS.
 */
#ifndef MTLS_CONFIG_H
#define MTLS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mtls.h"
#include "strlist.h"

enum mtls_revocation_method {
	MTLS_REV_CRL = 1,
	MTLS_REV_OCSP
};

#define MTLS_REV_MAX_METHODS 2

/* Which certificates of a chain a CRL must cover (revocation.crl_require). */
enum mtls_crl_require {
	MTLS_CRL_REQUIRE_LEAF = 0,	/* the client certificate (default) */
	MTLS_CRL_REQUIRE_CHAIN,		/* every certificate below the anchor */
	MTLS_CRL_REQUIRE_NONE		/* check what is covered, demand nothing */
};

/* How a certificate becomes a user name (identity.map). */
enum mtls_map_rule {
	MTLS_MAP_CN = 0,	/* subject commonName (default) */
	MTLS_MAP_EMAIL,		/* subjectAltName rfc822Name */
	MTLS_MAP_UPN,		/* subjectAltName otherName, Microsoft UPN */
	MTLS_MAP_UID,		/* subject userID (0.9.2342.19200300.100.1.1) */
	MTLS_MAP_DN,		/* subject DN looked up in map_file */
	MTLS_MAP_FINGERPRINT	/* SHA-256 fingerprint looked up in map_file */
};

#define MTLS_MAP_RULES (MTLS_MAP_FINGERPRINT + 1)

/*
 * Each rule's name in identity.map, indexed by rule, then NULL: the one
 * list of them that the file, explanations and descriptions use.
 */
extern const char *const config_map_words[MTLS_MAP_RULES + 1];

/*
 * policy.acceptable_policies: the user-initial-policy-set of RFC 5280
 * 6.1.1 (c), dotted OIDs held in place so that struct mtls_policy stays
 * plain data a verifier copies.
 */
#define MTLS_POLICY_SET_MAX 16
#define MTLS_POLICY_OID_MAX 64

struct mtls_policy {
	enum mtls_purpose purpose;
	bool require_eku;	/* reject a leaf without extendedKeyUsage */
	bool require_v3;	/* reject an X.509 v1 leaf */
	unsigned min_rsa_bits;
	unsigned min_ec_bits;
	bool allow_sha1;
	unsigned max_depth;	/* CA certificates above the leaf, anchor included */
	unsigned clock_skew;	/* seconds of tolerance on validity times */
	/* certificate policies (RFC 5280 6.1.1 c, e, f, g); no acceptable
	 * policy listed: any policy */
	char acceptable_policies[MTLS_POLICY_SET_MAX][MTLS_POLICY_OID_MAX];
	size_t nacceptable_policies;
	bool require_explicit_policy;	/* initial-explicit-policy */
	bool inhibit_policy_mapping;	/* initial-policy-mapping-inhibit */
	bool inhibit_any_policy;	/* initial-any-policy-inhibit */
};

struct mtls_revocation {
	enum mtls_revocation_method methods[MTLS_REV_MAX_METHODS];
	size_t nmethods;	/* 0: revocation is not checked */
	struct strlist crl_files;
	enum mtls_crl_require crl_require;
	char *cache_dir;
	unsigned stale_grace;	/* seconds a CRL is still used past nextUpdate */
	/* the published index (crl_index.h) CRL checks read: by default
	 * <cache_dir>/crl; crl_index_dir overrides that; crl_index_off makes
	 * them read crl_files instead (mtls_config_set_crl_index) */
	char *crl_index_dir;
	bool crl_index_off;
	struct strlist crl_urls;	/* CRLs fetched by "mtls crl update" */
	bool crl_fetch;		/* also fetch the CAs' distribution points */
	char *ocsp_url;		/* overrides the certificates' AIA */
	unsigned ocsp_timeout_ms;
	bool ocsp_soft_fail;
	bool ocsp_nonce;
	unsigned ocsp_max_age;	/* seconds a response is cached at most */
};

struct mtls_identity {
	enum mtls_map_rule map;
	char *map_file;
	struct strlist issuers;	/* issuer DNs allowed to map; empty: any */
};

/*
 * A rule of radius.reply: what the file said, owned here; view is what
 * mtls_config_radius_rule() hands out, pointing into it.
 */
struct radius_rule {
	struct strlist users;
	struct strlist groups;
	char *issuer;
	unsigned vlan;
	char *class_value;
	struct mtls_radius_rule view;
};

struct mtls_radius {
	enum mtls_radius_realm realm;
	struct radius_rule *rules;
	size_t nrules;
};

struct mtls_pkcs11 {
	char *module;
	char *token;
};

struct mtls_config {
	char *file;		/* the file loaded, or NULL */
	char *profile;		/* the chosen profile, or NULL */
	struct strlist profiles;	/* every profile the file defines */
	struct strlist ca_files;
	char *ca_dir;
	struct strlist intermediates_files;
	struct mtls_policy policy;
	struct mtls_revocation revocation;
	struct mtls_identity identity;
	struct mtls_pkcs11 pkcs11;
	struct mtls_radius radius;
	bool audit;
	/* whether code changed a setting: mtls_config_load_file() then
	 * refuses, rather than silently drop it */
	bool set_in_code;
	char error[512];
};

/* Record an error on the configuration; returns -1. */
int config_fail(struct mtls_config *config, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Built-in defaults, also the starting point of mtls_config_load_file().
 * config must be empty (zeroed or config_clear()ed); it owns memory
 * afterwards, so config_clear() it.  -1 when memory runs out.
 */
int config_set_defaults(struct mtls_config *config);

/*
 * Whether a file may be loaded into config (mtls.h: the file comes
 * first): -1 with the error set when code already changed it.
 */
int config_check_file_first(struct mtls_config *config, const char *path);

/* Free what the configuration owns, leaving it empty. */
void config_clear(struct mtls_config *config);

/* Free the rules of radius.reply, leaving none. */
void config_radius_clear(struct mtls_radius *radius);

/*
 * Append an empty rule to radius and return it, or NULL when memory runs
 * out; its view is set by config_radius_seal().
 */
struct radius_rule *config_radius_add_rule(struct mtls_radius *radius);

/* Point every rule's view at what the rule owns. */
void config_radius_seal(struct mtls_radius *radius);

/* Say what "mtls radius" will do, for mtls_config_describe(). */
void config_radius_describe(FILE *f, const struct mtls_radius *radius);

/*
 * Parse a revocation mode: "none", "crl", "ocsp", or both methods in order
 * separated by a comma ("ocsp,crl"); blanks around a method are ignored.
 * -1 for anything else, including a repeated method.
 */
int config_parse_revocation_mode(const char *mode,
    enum mtls_revocation_method *methods, size_t *nmethods);

#endif /* MTLS_CONFIG_H */
