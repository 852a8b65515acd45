/*
 * radius.h - mtls radius: the FreeRADIUS EAP-TLS hooks.
 *
 * FreeRADIUS runs "mtls radius verify" on the client's certificate after
 * its own TLS handshake (eap's verify { client = ... }), and "mtls radius
 * authorize" from rlm_exec in the check-eap-tls virtual server, which
 * sees the certificate only as TLS-Client-Cert-* attributes.  Both get
 * the request's attributes in the environment, and both answer by their
 * exit status: 0 accepts, anything else rejects.
 */
#ifndef MTLS_CLI_RADIUS_H
#define MTLS_CLI_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct mtls_config;
struct mtls_request;
struct mtls_verdict;

/*
 * Seconds a hook may take before it rejects on its own.  FreeRADIUS kills
 * the verify hook after 10 s and then rejects without a word; within
 * this, the reason is ours and is printed.
 */
#define RADIUS_DEADLINE_SECONDS 5

/* The command line both hooks share. */
struct radius_opts {
	const char *config_file;
	const char *profile;
	const char *cert;	/* verify: the certificate file */
};

/*
 * One hook, start to end: load the configuration, take the EAP identity
 * from USER_NAME, let fill() put the certificate (or what stands for it)
 * into the request (0, or -1 having said why), verify, and print the
 * verdict; with replies, the verdict goes to standard error and an
 * accepted user's reply attributes to standard output.  Returns the exit
 * status.
 */
int radius_run(const char *subcommand, const struct radius_opts *o,
    int (*fill)(struct mtls_request *req, const struct radius_opts *o),
    bool replies);

int radius_verify(const struct radius_opts *o);
int radius_authorize(const struct radius_opts *o);

/*
 * The value of the attribute FreeRADIUS put into the environment as
 * name (User-Name is USER_NAME), with its quoting undone: allocated into
 * *value.  Returns 0, 1 when it is not there, -1 (err set) when it is
 * not quoted the way FreeRADIUS quotes, holds a NUL, or is there more
 * than once.
 */
int radius_attribute(const char *name, char **value, char *err,
    size_t errlen);

/*
 * The user name the EAP identity claims, by radius.realm: the identity
 * itself, or what is left once an NT domain ("DOMAIN\user": up to its
 * first backslash) and a realm ("user@realm": from its last '@') are
 * taken off.  Allocated; NULL with err set when nothing is left of it.
 */
char *radius_identity_user(const struct mtls_config *cfg,
    const char *identity, char *err, size_t errlen);

/*
 * Reject on our own, exit status 1, should a verification not be done in
 * RADIUS_DEADLINE_SECONDS from now: the reason printed to out, and the
 * audit line of the rejection written as libmtls writes one (unless the
 * configuration turns audit off), with the fields of the request once
 * radius_deadline_audit() has said which.  radius_deadline_stop() before
 * the verdict is said, and before cfg or req is freed.  -1 when the
 * deadline cannot be kept (no thread for it).
 */
int radius_deadline_start(FILE *out);
void radius_deadline_audit(const struct mtls_config *cfg,
    const struct mtls_request *req);
void radius_deadline_stop(void);

/*
 * The reply attributes of the first radius.reply rule that holds for the
 * accepted verdict v, as FreeRADIUS reads a program's output
 * ("Attribute := value" lines), onto out.
 */
void radius_reply_print(FILE *out, const struct mtls_config *cfg,
    const struct mtls_verdict *v);

#endif /* MTLS_CLI_RADIUS_H */
