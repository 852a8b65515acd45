/*
 * identity.h - mapping a client certificate to a user name (internal).
 */
#ifndef MTLS_IDENTITY_H
#define MTLS_IDENTITY_H

#include <stdbool.h>

#include <gnutls/x509.h>

#include "config.h"
#include "finding.h"
#include "logsink.h"

struct identity;

/*
 * Prepare the rule; the dn and fingerprint rules open map_file
 * ("<subject DN or SHA-256 fingerprint> <user>" lines, '#' comments),
 * whose lines are judged when a lookup reaches them, and what it says of
 * its index goes to log (mapfile_load(), with config_file, the file of
 * conf or NULL).
 */
int identity_load(struct identity **out, const struct mtls_identity *conf,
    const char *config_file, const struct log_sink *log, char *err,
    size_t errlen);

/*
 * Every line of the map file, if the rule has one: errors name the file
 * and line (malformed, not UTF-8, control characters, a key twice).
 */
int identity_check_map(const struct identity *id, char *err, size_t errlen);

void identity_free(struct identity *identity);

/*
 * The user name leaf maps to, allocated into *user.  issuer_configured
 * says whether the issuer in leaf's path is a configured certificate
 * (ca_file, ca_dir, intermediates_file) rather than one only the client
 * sent: identity.issuers binds by name, and another trusted CA could make
 * an intermediate of that name.  fingerprint is the
 * leaf's SHA-256 as certname_fingerprint_alloc() writes it.  Names with NUL
 * or control characters (C1 included) or that are not well-formed UTF-8,
 * an issuer not in identity.issuers, or no match fail with user-unmapped.
 */
int identity_map(const struct identity *identity, gnutls_x509_crt_t leaf,
    bool issuer_configured, const char *fingerprint, char **user,
    struct finding *f);

/* Whether identity_map() asks issuer_configured (identity.issuers is
 * set): finding it out costs a lookup among the configured certificates. */
bool identity_binds_issuers(const struct identity *identity);

/*
 * Whether the rule can map a described certificate (mtls_request_describe),
 * whose stand-in carries the described names and nothing else: the dn,
 * uid and fingerprint rules need the whole certificate, and fail with
 * user-unmapped.
 */
int identity_check_describable(const struct identity *identity,
    struct finding *f);

#endif /* MTLS_IDENTITY_H */
