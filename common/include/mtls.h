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
 * Every verdict is also written as one audit line: to the request's audit
 * sink when it has one, to syslog (authpriv) otherwise.
 *
 * libmtls is linked into programs it does not control (PAM modules loaded
 * and unloaded by login managers, OpenVPN plugins, RADIUS hooks): it
 * exports nothing but the mtls_ names below (all of hidden visibility, so
 * a shared object linked with it exports none), starts no thread,
 * registers no atexit handler, and leaves nothing behind when the object
 * it is linked into is unloaded.  Its only global state is made once and
 * released at that unload: libcurl, loaded on the first fetch (a CRL
 * download, an OCSP query; without libcurl those fail, saying so, and
 * nothing else does), and its ASN.1 definitions.  It registers no
 * pthread_atfork handler either (one would outlive an unloaded module):
 * after fork() the child may go on using what the parent made, provided
 * no other thread of the parent was inside libmtls at that moment, as in
 * a server that forks before it starts threads.  Nothing from the process
 * environment changes what it decides.
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
	MTLS_R_KEY_TOO_LARGE,		/* key too costly to check a signature with */
	MTLS_R_WORK_LIMIT,		/* finding a path took too much work */
	MTLS_R_POLICY,			/* no acceptable certificate policy */
	MTLS_R_BAD_POLICY,		/* a malformed policy extension */
	MTLS_R_NO_CERT,			/* the client presented no certificate */
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
 *
 * The file comes first: load it into a new configuration, before any
 * setting is made in code; settings made in code afterwards override what
 * the file said.  Loading a file into a configuration that code already
 * changed fails and changes nothing, so that no setting made in code is
 * ever silently dropped.  Loading again (another profile, or the file
 * after an edit) before code changed anything replaces what the last load
 * set, whole; a load that fails changes nothing.
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
/* Write audit lines (default) or not. */
void mtls_config_set_audit(struct mtls_config *config, int enabled);

/*
 * The profile's pkcs11 settings (mtls.conf(5)): the PKCS#11 module to load
 * and the token to use, as set, or NULL when unset (p11-kit's registered
 * modules, any token).
 */
const char *mtls_config_pkcs11_module(const struct mtls_config *config);
const char *mtls_config_pkcs11_token(const struct mtls_config *config);

/*
 * The profile's radius settings (mtls.conf(5)), which "mtls radius"
 * applies in FreeRADIUS's EAP-TLS hooks.
 *
 * radius.realm says what the EAP identity (RADIUS User-Name) must be:
 * the user name the certificate maps to, as it is, or that name after
 * "@realm" is taken off its end.
 */
enum mtls_radius_realm {
	MTLS_RADIUS_REALM_KEEP = 0,	/* "keep": the identity as it is */
	MTLS_RADIUS_REALM_STRIP		/* "strip": up to its last '@' */
};
enum mtls_radius_realm mtls_config_radius_realm(
    const struct mtls_config *config);

/*
 * One rule of radius.reply: whom it is for (every condition that is set
 * must hold; none set: everyone) and the attributes it puts into the
 * Access-Accept.  The first rule that holds is the one applied.
 */
struct mtls_radius_rule {
	const char *const *users;	/* the mapped user is one of these */
	size_t nusers;
	const char *const *groups;	/* ... is a member of one of these */
	size_t ngroups;
	const char *issuer;	/* the certificate's issuer DN, or NULL */
	unsigned vlan;		/* 1..4094, or 0: no VLAN */
	const char *class_value;	/* the Class attribute, or NULL */
};
size_t mtls_config_radius_rule_count(const struct mtls_config *config);
/* Rule index, or NULL past the last; owned by the configuration. */
const struct mtls_radius_rule *mtls_config_radius_rule(
    const struct mtls_config *config, size_t index);

/*
 * Fetch, check and index the CRLs this configuration names: what "mtls crl
 * update" does, run by root from a timer.  The sources are
 * revocation.crl_files, revocation.crl_urls and, when revocation.crl_fetch
 * is set, the http CRL distribution points of the configured CA and
 * intermediate certificates.  Each CRL must pass the RFC 5280 CRL rules
 * (delta and indirect CRLs are unsupported), be signed by a configured CA
 * or intermediate, be within thisUpdate .. nextUpdate (+ stale_grace), and
 * not be older than the CRL already indexed for its issuer (all as of now,
 * which the caller gives, usually time(NULL)); it is then
 * published atomically into revocation.cache_dir/crl, where verifications
 * look revocations up without parsing CRLs.  A source that fails keeps the
 * last good index of its issuer.  Each outcome is one line, given to
 * report(arg, failed, line) when report is not NULL (failed is nonzero for
 * a source that failed or a problem found) and written to syslog
 * (authpriv).  Returns 0 when every source is fresh, 1 when some source
 * failed, -1 when none could be tried (cache directory unusable, CA files
 * unreadable).
 */
int mtls_crl_update(const struct mtls_config *config, time_t now,
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
 *
 * Reload: mtls_ctx_configure() may be called again on a context in use,
 * from any thread, while verifications run.  The new configuration is
 * loaded aside; only when all of it loaded is it swapped in, atomically.
 * Verifications already running finish with the configuration they started
 * with, which is freed when the last of them ends; later ones use the new
 * one.  When loading fails, the context keeps the configuration it had
 * (none, for a new context) and mtls_ctx_error() says why.
 */
struct mtls_ctx;

struct mtls_ctx *mtls_ctx_new(void);
int mtls_ctx_configure(struct mtls_ctx *ctx, const struct mtls_config *config);
/*
 * Last error of mtls_ctx_configure(), or NULL (a sentence, for a NULL
 * context).  Read it in the thread that called mtls_ctx_configure(),
 * before any thread configures the context again.
 */
const char *mtls_ctx_error(const struct mtls_ctx *ctx);
/*
 * one_shot non-zero: the context will verify about once (a command, a
 * login), so the next mtls_ctx_configure() prepares nothing that only
 * pays off over many verifications: the paths and signature links a
 * long-running context remembers, the index of the configured
 * certificates (but of ca_dir's).  Verdicts are the same either way; a
 * one-shot context that verifies again only does the whole work again.
 */
void mtls_ctx_set_one_shot(struct mtls_ctx *ctx, int one_shot);
/*
 * Where libmtls's own messages about this context go: not audit lines
 * (mtls_request_set_audit_sink()), but what it says once, of something
 * its verifications work around that an administrator should mend: a map
 * file's published index that is stale or damaged (the map file is read
 * instead), a revocation.cache_dir that cannot keep OCSP answers.
 * sink(arg, priority, line) receives the line ("mtls: ...", without a
 * trailing newline), priority being a syslog(3) level such as
 * LOG_WARNING, instead of syslog; a NULL sink restores syslog (authpriv),
 * the default.  It is called from the thread that configures the
 * context, and from any thread that verifies with it.  Like
 * mtls_ctx_set_one_shot(), it takes effect at the next
 * mtls_ctx_configure(): set it before.  A host with a log of its own
 * sets it (OpenVPN's plugin log, PAM's pam_syslog), so that these lines
 * are where its administrator looks, syslog daemon or not.
 */
void mtls_ctx_set_log_sink(struct mtls_ctx *ctx,
    void (*sink)(void *arg, int priority, const char *line), void *arg);
/* Frees the context; no verification may be running on it any more. */
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
 * mtls_verify(), which rejects what does not parse.  A request given no
 * certificate at all (nor intermediates, nor a description) is a client
 * that presented none: mtls_verify() rejects it with reason
 * no-certificate and writes its audit line like any other, so that a
 * door audits that decision too (with its own fields, such as the
 * client's address) by the same call.
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
 * Verify without the network: no OCSP query and no download is attempted;
 * only the OCSP cache, the published CRL index and the configured CRL
 * files answer.  When a source that needs the network is left, the
 * verdict is a rejection (revocation-unavailable) that
 * mtls_verdict_network_owed() marks as owed: a verification with the
 * network may still accept.  So is it when such a source comes first in
 * revocation.mode and a later one finds the certificate good: the
 * responder asked first may know of a revocation the CRL does not list
 * yet.  Every other rejection is final.  The audit
 * line of an owed verdict says verdict=deferred, at syslog priority info.
 */
void mtls_request_set_offline(struct mtls_request *request, int offline);

/*
 * Instead of a certificate, what a server that verified one during its
 * own TLS handshake reports of it, such as FreeRADIUS's TLS-Client-Cert-*
 * attributes in its check-eap-tls virtual server.  mtls_verify() then
 * decides what such a description allows, offline (as with
 * mtls_request_set_offline()): the issuer must be a configured CA or
 * intermediate certificate (by its name and, when described, its key
 * identifier); the serial number must not be revoked by the CRL index,
 * the CRL files or the OCSP cache, nor any CA above it by its CRL; and
 * the described names must map to the user by identity.map ("dn", "uid"
 * and "fingerprint" cannot: a description holds none of them whole).  Signatures,
 * the RFC 5280 rules and the policy are the reporting server's to check.
 * A request holds a certificate or a description, not both.
 */
enum mtls_described {
	MTLS_DESCRIBED_ISSUER = 0,	/* issuer DN, RFC 4514 or OpenSSL's
					 * "/O=Example/CN=Example CA" */
	MTLS_DESCRIBED_AUTHORITY_KEY_ID, /* hex, colons between octets or not */
	MTLS_DESCRIBED_SERIAL,		/* hex, colons between octets or not */
	MTLS_DESCRIBED_SUBJECT,		/* subject DN, for messages and audit */
	MTLS_DESCRIBED_COMMON_NAME,	/* the subject's commonName */
	MTLS_DESCRIBED_EMAIL,		/* an rfc822Name subjectAltName */
	MTLS_DESCRIBED_UPN,		/* a Microsoft UPN subjectAltName */
	MTLS_DESCRIBED_COUNT		/* not a field: the number of fields */
};
/*
 * Set one field (copied); a field set again replaces the value.  -1 for
 * an unknown field, a value over 1024 bytes, or no memory.
 */
int mtls_request_describe(struct mtls_request *request,
    enum mtls_described field, const char *value);

/*
 * Where the audit line of this request's verdict goes.  sink(arg,
 * accepted, line) receives the line (without a trailing newline) instead
 * of syslog; a NULL sink restores syslog (authpriv).  PAM passes
 * pam_syslog, OpenVPN its plugin log.
 */
void mtls_request_set_audit_sink(struct mtls_request *request,
    void (*sink)(void *arg, int accepted, const char *line), void *arg);
/*
 * A field of the caller's on the audit line, such as ("service", "sshd"),
 * ("pam_user", "alice") or ("client", "192.0.2.7:50812").  key is letters,
 * digits and '_', and not one of the keys libmtls writes itself
 * (profile, verdict, reason, subject, issuer, serial, fingerprint, user,
 * revocation, policy, explanation); the value is quoted and escaped like
 * every value a client can influence, and cut after about 250 bytes.  Fields
 * are written after libmtls's own, in the order added.  -1 for a refused
 * key, more than 16 fields, or no memory.
 */
int mtls_request_add_audit_field(struct mtls_request *request,
    const char *key, const char *value);

/*
 * Decide.  Returns a verdict, or NULL only when memory ran out (which the
 * caller must treat as a rejection).  Never accepts on an error: a NULL or
 * never configured context, or a NULL request, is a rejection with reason
 * internal-error.
 */
struct mtls_verdict *mtls_verify(struct mtls_ctx *ctx,
    const struct mtls_request *request);

/*
 * The verdict.  Strings are owned by the verdict; absent facts are NULL.
 * Every accessor accepts a NULL verdict (what mtls_verify() returns when
 * memory ran out) and then answers as for a rejection with reason
 * internal-error and no facts.
 */
int mtls_verdict_accepted(const struct mtls_verdict *verdict);
enum mtls_reason mtls_verdict_reason(const struct mtls_verdict *verdict);
/* One line: what is wrong and what an administrator can do about it. */
const char *mtls_verdict_explanation(const struct mtls_verdict *verdict);
/*
 * One sentence for the person logging in, which they can act on and which
 * shows nothing of the server's configuration, such as "Your certificate
 * expired on 2026-01-05 03:12:01 UTC; ask your administrator for a new
 * one."  Times are written that way in every text of libmtls, for users
 * and administrators alike.  Never NULL, also for a NULL verdict.
 */
const char *mtls_verdict_user_message(const struct mtls_verdict *verdict);
/*
 * Nonzero when the verdict is a rejection only because the request was
 * offline (mtls_request_set_offline) and a revocation source that needs
 * the network was left: verify again with the network to decide.
 */
int mtls_verdict_network_owed(const struct mtls_verdict *verdict);
/*
 * What is worth knowing about an accepted certificate, short of a
 * rejection: an X.509 version 1 certificate, an extension of a CA of the
 * path that RFC 5280 asks to be critical not marked so (applied all the
 * same), an OCSP responder that did not answer under ocsp_soft_fail, the
 * numbers of the complete CRL and the delta CRL that the client
 * certificate was checked against, when a delta CRL was read.
 * mtls_verdict_note() is the first note, or NULL; mtls_verdict_note_at()
 * is note index, from 0 below mtls_verdict_note_count(), NULL past them.
 * Each is said once, so that an administrator learns of every one at
 * once (a CA with three such extensions has three notes), and there are
 * at most MTLS_VERDICT_NOTES_MAX.  (mtls_verdict_note() is as before;
 * mtls_verdict_note_count() and mtls_verdict_note_at() are new, for the
 * notes after the first.)
 */
#define MTLS_VERDICT_NOTES_MAX 8
const char *mtls_verdict_note(const struct mtls_verdict *verdict);
size_t mtls_verdict_note_count(const struct mtls_verdict *verdict);
const char *mtls_verdict_note_at(const struct mtls_verdict *verdict,
    size_t index);
const char *mtls_verdict_subject(const struct mtls_verdict *verdict);
const char *mtls_verdict_issuer(const struct mtls_verdict *verdict);
/* Serial number in hex, as "01:a3:...". */
const char *mtls_verdict_serial(const struct mtls_verdict *verdict);
/* SHA-256 of the certificate's DER, hex with colons. */
const char *mtls_verdict_fingerprint(const struct mtls_verdict *verdict);
/* The user name the certificate maps to (accepted verdicts only). */
const char *mtls_verdict_user(const struct mtls_verdict *verdict);
/* The client certificate's validity, or (time_t)-1 when unknown. */
time_t mtls_verdict_not_before(const struct mtls_verdict *verdict);
time_t mtls_verdict_not_after(const struct mtls_verdict *verdict);
/* Its first rfc822Name and Microsoft UPN subjectAltNames, or NULL. */
const char *mtls_verdict_email(const struct mtls_verdict *verdict);
const char *mtls_verdict_upn(const struct mtls_verdict *verdict);
/*
 * The certificate policy an accepted path is valid for, a dotted OID such
 * as "1.3.6.1.4.1.99999.7.1", named as the trust anchor's domain names it
 * (before any policyMappings): the first of the profile's
 * acceptable_policies the path holds, or with none listed, the first
 * policy it holds (anyPolicy, "2.5.29.32.0", when its certificates
 * assert only that).  NULL when the path holds none, and on a rejection.
 * The audit line's policy= says the same.
 */
const char *mtls_verdict_policy(const struct mtls_verdict *verdict);

/* Which source settled the client certificate's revocation status. */
enum mtls_revocation_source {
	MTLS_REVSRC_NONE = 0,		/* not checked (or not reached) */
	MTLS_REVSRC_CRL_INDEX,		/* the index "mtls crl update" publishes */
	MTLS_REVSRC_CRL_FILE,		/* a configured CRL file */
	MTLS_REVSRC_OCSP_LIVE,		/* an answer fetched for this request */
	MTLS_REVSRC_OCSP_CACHED,	/* an answer from the OCSP cache */
	MTLS_REVSRC_SOFT_FAIL		/* no answer; accepted by ocsp_soft_fail */
};
enum mtls_revocation_source mtls_verdict_revocation_source(
    const struct mtls_verdict *verdict);
/* "none", "crl-index", "crl-file", "ocsp", "ocsp-cache", "soft-fail". */
const char *mtls_revocation_source_name(enum mtls_revocation_source source);
/*
 * On a rejection, the position in the chain (mtls_verdict_chain_subject)
 * of the certificate the reason is about: 0 the client certificate, 1 its
 * issuer, and so on; -1 when the reason is about no certificate in
 * particular (malformed input, no path, user mapping) or on acceptance.
 */
int mtls_verdict_failed_depth(const struct mtls_verdict *verdict);
/* The path that was built, from the client certificate (0) upward. */
size_t mtls_verdict_chain_length(const struct mtls_verdict *verdict);
const char *mtls_verdict_chain_subject(const struct mtls_verdict *verdict,
    size_t index);
void mtls_verdict_free(struct mtls_verdict *verdict);

#ifdef __cplusplus
}
#endif

#endif /* MTLS_H */
