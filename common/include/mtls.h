/*
 * mtls.h - libmtls, the validation core of mtls-auth.
 *
 * One question, asked by every door (PAM, OpenVPN, RADIUS, the mtls
 * command): may this client certificate log in here, and if not, why not?
 *
 * Three objects:
 *   struct mtls_config   what to trust and how strictly (a profile of
 *                        /etc/mtls/mtls.conf, or settings made in code);
 *   struct mtls_ctx      a configured verifier: trust store, intermediates,
 *                        CRLs and caches, loaded once and reused for many
 *                        verifications, from several threads at once;
 *   struct mtls_verdict  the answer to one verification: accepted or not,
 *                        a stable reason code, one sentence an
 *                        administrator can act on, and the certificate facts.
 *
 * Functions that can fail return 0 on success and -1 on failure; the failure
 * is then described by mtls_config_error() or mtls_ctx_error().  A rejected
 * certificate is not a failure of mtls_verify(): it is a verdict.
 * Every verdict is also written as one audit line to syslog (authpriv).
 */
#ifndef MTLS_H
#define MTLS_H

#include <stddef.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Why a certificate was accepted or rejected.  The numbers and the names
 * returned by mtls_reason_name() are stable: scripts and log searches may
 * depend on them.  New reasons are only ever appended.
 */
enum mtls_reason {
	MTLS_R_OK = 0,			/* "ok": accepted */
	MTLS_R_CERT_MALFORMED,		/* input is not a usable certificate */
	MTLS_R_CHAIN_TOO_LONG,		/* more certificates than any path needs */
	MTLS_R_ISSUER_NOT_FOUND,	/* no trust anchor or intermediate issued it */
	MTLS_R_UNTRUSTED_ROOT,		/* self-signed, but not a trust anchor */
	MTLS_R_SIGNATURE_INVALID,	/* a signature in the chain does not verify */
	MTLS_R_EXPIRED,			/* a certificate is past notAfter */
	MTLS_R_NOT_YET_VALID,		/* a certificate is before notBefore */
	MTLS_R_ISSUER_NOT_CA,		/* an issuer lacks basicConstraints CA */
	MTLS_R_ISSUER_KEY_USAGE,	/* an issuer's keyUsage lacks keyCertSign */
	MTLS_R_LEAF_IS_CA,		/* the client certificate is a CA */
	MTLS_R_PATH_LENGTH,		/* a pathLenConstraint is exceeded */
	MTLS_R_NAME_CONSTRAINTS,	/* a name is outside a CA's constraints */
	MTLS_R_KEY_IDENTIFIER,		/* authority/subject key identifier rules */
	MTLS_R_EMPTY_EKU,		/* an extendedKeyUsage with no purpose */
	MTLS_R_BAD_SERIAL,		/* serial zero, negative or over 20 octets */
	MTLS_R_CRITICAL_EXTENSION,	/* unknown or wrongly critical extension */
	MTLS_R_BAD_NAME,		/* a subjectAltName that is not a valid name */
	MTLS_R_V1_CA,			/* an X.509 v1 certificate used as a CA */
	MTLS_R_V1_LEAF,			/* v1 client certificate and require_v3 */
	MTLS_R_PURPOSE,			/* extendedKeyUsage lacks the purpose */
	MTLS_R_EKU_MISSING,		/* no extendedKeyUsage and require_eku */
	MTLS_R_KEY_USAGE,		/* keyUsage lacks digitalSignature */
	MTLS_R_WEAK_KEY,		/* key smaller than the policy minimum */
	MTLS_R_WEAK_SIGNATURE,		/* SHA-1 or MD5 signature */
	MTLS_R_CHAIN_TOO_DEEP,		/* more CAs above the leaf than max_depth */
	MTLS_R_REVOKED,			/* listed as revoked */
	MTLS_R_CRL_MISSING,		/* no CRL covers a certificate that needs one */
	MTLS_R_CRL_STALE,		/* the covering CRL is past nextUpdate */
	MTLS_R_CRL_INVALID,		/* the covering CRL is unusable */
	MTLS_R_REVOCATION_UNAVAILABLE,	/* no revocation source could answer */
	MTLS_R_REVOCATION_UNKNOWN,	/* a responder does not know the cert */
	MTLS_R_USER_UNMAPPED,		/* no user name maps from the certificate */
	MTLS_R_USER_MISMATCH,		/* the mapped user is not the one claimed */
	MTLS_R_CHAIN_INVALID,		/* GnuTLS refused the chain otherwise */
	MTLS_R_INTERNAL,		/* out of memory or a library failure */
	MTLS_R_COUNT			/* not a reason: the number of reasons */
};

/* Stable short name of a reason, such as "issuer-not-found". */
const char *mtls_reason_name(enum mtls_reason reason);

/* Generic one-line description of a reason, for documentation and help. */
const char *mtls_reason_description(enum mtls_reason reason);

/* What the client certificate must be good for (policy.purpose). */
enum mtls_purpose {
	MTLS_PURPOSE_CLIENT = 0,	/* TLS client authentication (default) */
	MTLS_PURPOSE_SERVER,		/* TLS server authentication */
	MTLS_PURPOSE_ANY		/* no purpose is checked */
};

/*
 * Configuration.  A new configuration holds the built-in defaults: strict
 * policy, no trust anchors, no revocation, identity rule "cn".
 */
struct mtls_config;

struct mtls_config *mtls_config_new(void);
void mtls_config_free(struct mtls_config *config);

/* Last error on this configuration, or NULL. */
const char *mtls_config_error(const struct mtls_config *config);

/*
 * Read a libconfig file (mtls.conf(5)).  Its top-level settings replace the
 * defaults, then the named profile's settings replace those; a NULL profile
 * uses the top-level settings alone.  Every profile in the file is checked,
 * whichever one is chosen.  Unknown keys, wrong types, bad values, missing
 * files and, when running as root, files writable by anyone but root fail
 * with an error naming the file, line and key.
 */
int mtls_config_load_file(struct mtls_config *config, const char *path,
    const char *profile);

/* Names of the profiles the loaded file defines, in file order. */
size_t mtls_config_profile_count(const struct mtls_config *config);
const char *mtls_config_profile_name(const struct mtls_config *config,
    size_t index);

/* Settings in code; each adds to or replaces what a file set. */
int mtls_config_add_ca_file(struct mtls_config *config, const char *path);
int mtls_config_add_intermediates_file(struct mtls_config *config,
    const char *path);
int mtls_config_add_crl_file(struct mtls_config *config, const char *path);
int mtls_config_set_purpose(struct mtls_config *config,
    enum mtls_purpose purpose);
/* "none", "crl", "ocsp", or methods in order separated by commas. */
int mtls_config_set_revocation_mode(struct mtls_config *config,
    const char *mode);
/*
 * Turn one revocation method ("crl" or "ocsp") on, appended after those
 * already in the order, or off, keeping the others.
 */
int mtls_config_set_revocation_method(struct mtls_config *config,
    const char *method, int enabled);
/*
 * Where CRL checks find the index "mtls crl update" publishes: dir, or,
 * with dir NULL, nowhere, so that they read revocation.crl_files as they
 * are.  By default <revocation.cache_dir>/crl; while that holds no index,
 * crl_files are read.
 */
int mtls_config_set_crl_index(struct mtls_config *config, const char *dir);
/* Write syslog audit lines (default) or not. */
void mtls_config_set_audit(struct mtls_config *config, int enabled);

/*
 * Fetch, check and index the CRLs this configuration names: what "mtls crl
 * update" does, run by root from a timer.  The sources are
 * revocation.crl_files, revocation.crl_urls and, when revocation.crl_fetch
 * is set, the http CRL distribution points of the configured CA and
 * intermediate certificates.  Each CRL must pass the RFC 5280 CRL rules
 * (delta and indirect CRLs are unsupported), be signed by a configured CA
 * or intermediate, be within thisUpdate .. nextUpdate (+ stale_grace), and
 * not be older than the CRL already indexed for its issuer; it is then
 * published atomically into revocation.cache_dir/crl, where verifications
 * look revocations up without parsing CRLs.  A source that fails keeps the
 * last good index of its issuer.  Each outcome is one line, given to
 * report(arg, failed, line) when report is not NULL (failed is nonzero for
 * a source that failed or a problem found) and written to syslog
 * (authpriv).  Returns 0 when every source is fresh, 1 when some source
 * failed, -1 when none could be tried (cache directory unusable, CA files
 * unreadable).
 */
int mtls_crl_update(const struct mtls_config *config,
    void (*report)(void *arg, int failed, const char *line), void *arg);

/*
 * Describe in plain words what this configuration will do (trust anchors,
 * policy, revocation, identity mapping), for "mtls config check".
 */
int mtls_config_describe(const struct mtls_config *config, char **text);

/*
 * A verifier.  mtls_ctx_configure() loads and checks everything the
 * configuration names (certificates, CRLs, map file); the context does not
 * keep a reference to the configuration.  After that, mtls_verify() may be
 * called on the same context from several threads at once.
 */
struct mtls_ctx;

struct mtls_ctx *mtls_ctx_new(void);
int mtls_ctx_configure(struct mtls_ctx *ctx, const struct mtls_config *config);
/* Last error of mtls_ctx_configure(), or NULL. */
const char *mtls_ctx_error(const struct mtls_ctx *ctx);
void mtls_ctx_free(struct mtls_ctx *ctx);

/*
 * One verification's input: the client certificate as the client presented
 * it.  Cheap to make; used by one thread at a time.
 */
struct mtls_request;

struct mtls_request *mtls_request_new(void);
void mtls_request_free(struct mtls_request *request);
/*
 * The client certificate, PEM or DER.  A PEM block may be followed by the
 * client's intermediates.  The bytes are copied; they are parsed by
 * mtls_verify(), which rejects what does not parse.
 */
int mtls_request_set_cert(struct mtls_request *request, const void *data,
    size_t len);
/* More intermediates the client sent (PEM, possibly several, or DER). */
int mtls_request_add_untrusted(struct mtls_request *request,
    const void *data, size_t len);
/* The user name being claimed; without one, the mapped name is the answer. */
int mtls_request_set_user(struct mtls_request *request, const char *user);
/* Verify as of this time instead of now (certificates and CRLs alike). */
void mtls_request_set_time(struct mtls_request *request, time_t when);

/*
 * Decide.  Returns a verdict, or NULL only when memory ran out (which the
 * caller must treat as a rejection).  Never accepts on an error.
 */
struct mtls_verdict *mtls_verify(struct mtls_ctx *ctx,
    const struct mtls_request *request);

/* The verdict.  Strings are owned by the verdict; absent facts are NULL. */
int mtls_verdict_accepted(const struct mtls_verdict *verdict);
enum mtls_reason mtls_verdict_reason(const struct mtls_verdict *verdict);
/* One line: what is wrong and what an administrator can do about it. */
const char *mtls_verdict_explanation(const struct mtls_verdict *verdict);
/* Something worth knowing about an accepted certificate, or NULL. */
const char *mtls_verdict_note(const struct mtls_verdict *verdict);
const char *mtls_verdict_subject(const struct mtls_verdict *verdict);
const char *mtls_verdict_issuer(const struct mtls_verdict *verdict);
/* Serial number in hex, as "01:a3:...". */
const char *mtls_verdict_serial(const struct mtls_verdict *verdict);
/* SHA-256 of the certificate's DER, hex with colons. */
const char *mtls_verdict_fingerprint(const struct mtls_verdict *verdict);
/* The user name the certificate maps to. */
const char *mtls_verdict_user(const struct mtls_verdict *verdict);
/* The path that was built, from the client certificate (0) upward. */
size_t mtls_verdict_chain_length(const struct mtls_verdict *verdict);
const char *mtls_verdict_chain_subject(const struct mtls_verdict *verdict,
    size_t index);
void mtls_verdict_free(struct mtls_verdict *verdict);

#ifdef __cplusplus
}
#endif

#endif /* MTLS_H */
