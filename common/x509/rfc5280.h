/*
 * rfc5280.h - the RFC 5280 rules GnuTLS 3.7's verifier does not enforce
 * (internal).
 *
 * A plain gnutls_x509_trust_list_verify_crt2() caller accepts chains RFC 5280
 * forbids.  These checks close that gap; GnuTLS still does the signatures.
 * Each returns 0 when the rule holds, or -1 with the finding set.
 */
#ifndef MTLS_RFC5280_H
#define MTLS_RFC5280_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "finding.h"
#include "notes.h"

/*
 * Rules for a certificate that issues others, run on trust anchors
 * (anchor true) and configured intermediates when they are loaded, and on
 * intermediates a client sends.  Every intermediate: X.509 v3 (else
 * v1-ca), a non-empty subject (else bad-name), basicConstraints present
 * with CA set, critical or not (else issuer-not-ca, and see
 * rfc5280_ca_remarks()); a keyUsage, when present,
 * with keyCertSign (else issuer-key-usage); a subject key identifier,
 * and unless it is self-signed an authority key identifier with the
 * keyIdentifier field (else key-identifier).  A CA without keyUsage is
 * tolerated: "openssl req -x509 -new" makes one.
 *
 * A trust anchor is trust anchor information (RFC 5280 6.1.1 d), a name
 * and a key: the rules of the certificate's encoding do not apply to it
 * (the serial number rule of rfc5280_check_cert()), and a v1 anchor
 * passes.  A v3 anchor is held to everything else: the rules above but
 * the authority key identifier (it names a key no path goes on to) and
 * the subject key identifier (for a verifier that has the certificate
 * from a path: OpenSSL 1.x's roots may lack it), and the extension rules
 * of rfc5280_check_cert().
 */
int rfc5280_check_ca(gnutls_x509_crt_t ca, bool anchor, struct finding *f);

/*
 * What a CA certificate that passes rfc5280_check_ca() does against
 * RFC 5280's rules for CAs that path validation (RFC 5280 6.1) still
 * reads, applied as if it followed them: phrases that complete
 * "intermediate '<subject>' ..." and say what to do, one for each of a
 * basicConstraints CA:TRUE of an intermediate not marked critical (4.2.1.9
 * asks CAs to; 6.1.4 (k) asks a verifier only that it be there, with CA
 * set; easy-rsa's sub-CAs and "openssl x509 -req" write it so), and, in
 * an anchor or an intermediate, of nameConstraints not marked critical
 * (4.2.1.10 asks CAs to; 6.1.4 (g) applies them if present),
 * policyConstraints (4.2.1.11; 6.1.4 (i), 6.1.5 (b)) and inhibitAnyPolicy
 * (4.2.1.14; 6.1.4 (j)).  An anchor's basicConstraints is not remarked
 * on: it comes from the administrator, not from a path.  Such a CA is
 * accepted: criticality tells a verifier that cannot process an
 * extension to refuse the certificate, and this one processes them all
 * (policygraph.h reads the policy extensions critical or not), so what
 * they say binds all the same; and what they say only ever refuses
 * (name constraints narrow the names accepted, policyConstraints and
 * inhibitAnyPolicy require a policy or take one away).  Every one ca has
 * is added to out (notes.h), so that its CA learns of all at once; "mtls
 * config check" warns of a configured CA's.
 */
void rfc5280_ca_remarks(gnutls_x509_crt_t ca, bool anchor,
    struct notes *out);

/*
 * The notes of an accepted path (mtls_verdict_note_at()), chain[0] the
 * client certificate, chain[n-1] the trust anchor, added to out: static
 * text saying what rfc5280_ca_remarks() finds of its certificates,
 * without naming them, each remark once.  The client certificate has one
 * for a policyConstraints or inhibitAnyPolicy not marked critical (its
 * requireExplicitPolicy binds it: 6.1.5 (b)).
 */
void rfc5280_path_notes(gnutls_x509_crt_t *chain, size_t n,
    struct notes *out);

/*
 * Rules for any certificate in a path but the trust anchor, the client
 * certificate included: serial number positive and at most 20 octets as
 * encoded (bad-serial); a critical subjectAltName if the subject is empty
 * (bad-name); no critical extension outside RFC 5280 4.2, none
 * of those twice, none critical that RFC 5280 says must not be
 * (authority and subject key identifiers, authority and subject
 * information access, freshest CRL, subject directory attributes)
 * (critical-extension); those it says must be critical (nameConstraints,
 * policyConstraints, inhibitAnyPolicy) may be not, as they are applied
 * either way (rfc5280_ca_remarks());
 * nameConstraints only in a CA certificate (name-constraints); an
 * extendedKeyUsage, when present, with a purpose (empty-eku); a
 * subjectAltName, when present, with at least one entry, each a valid
 * name of its form (bad-name, see generalname.h).  A certificate before
 * v3 has no extensions, so only the serial rule applies to it.
 */
int rfc5280_check_cert(gnutls_x509_crt_t crt, struct finding *f);

/*
 * Rules for the client certificate: not a CA, that is neither
 * basicConstraints CA:TRUE nor keyUsage keyCertSign (leaf-is-ca); a v3
 * client certificate carries an authority key identifier extension with
 * the keyIdentifier field (key-identifier), even a self-signed one, which
 * no anchor can have issued.  A v1 client certificate passes.
 */
int rfc5280_check_leaf(gnutls_x509_crt_t leaf, struct finding *f);

/* Longer key identifiers than any hash makes; a longer one is unreadable. */
#define KEY_ID_MAX 128

/*
 * rfc5280_check_leaf(), and rfc5280_check_ca() of a certificate that is
 * no anchor, given aki, what gnutls_x509_crt_get_authority_key_id()
 * returned for it with a buffer of KEY_ID_MAX octets when the path
 * search read it (chain.h), so that it is not decoded again; a positive
 * aki has it read here.
 */
int rfc5280_check_leaf_aki(gnutls_x509_crt_t leaf, int aki,
    struct finding *f);
int rfc5280_check_ca_aki(gnutls_x509_crt_t ca, int aki, struct finding *f);

/*
 * Rules across a built path, chain[0] the client certificate, chain[n-1]
 * the trust anchor, each issued by the next:
 * - each CA's pathLenConstraint, the anchor's included, bounds the CA
 *   certificates between it and the client certificate, self-issued ones
 *   not counted (path-length);
 * - each CA's nameConstraints, the anchor's included, hold for every
 *   certificate below it but self-issued intermediates: the subject as a
 *   directoryName, subject emailAddress attributes as rfc822Names, and
 *   every subjectAltName entry (DNS, email, IP, URI host, directoryName);
 *   a constrained form that cannot be evaluated, such as otherName,
 *   rejects (name-constraints); a dNSName subtree that is no DNS name
 *   or domain rejects every certificate below; more comparisons in the
 *   path than NAMECONSTRAINTS_MAX_WORK reject as work-limit.
 * Signatures, validity periods and the per-certificate rules above are
 * not checked here.
 */
int rfc5280_check_path(gnutls_x509_crt_t *chain, size_t n, struct finding *f);

/*
 * Across the same path: the keyIdentifier of each authority key
 * identifier equals the subject key identifier of the next certificate,
 * when both are present (key-identifier).  GnuTLS's verifier enforces
 * this rule itself, only less precisely ("issuer unknown"), and decoding
 * key identifiers costs more than the rest of these checks together; so
 * this is for explaining a path GnuTLS refused.
 */
int rfc5280_check_key_ids(gnutls_x509_crt_t *chain, size_t n,
    struct finding *f);

/* The issuer and subject names are the same (RFC 5280 3.2, 6.1, 7.1). */
bool rfc5280_self_issued(gnutls_x509_crt_t crt);

/*
 * Rules for a CRL: a CRL number, non-critical, non-negative, at most 20
 * octets; a nextUpdate; for a delta CRL, a critical deltaCRLIndicator
 * whose BaseCRLNumber is as well formed; not indirect (by its
 * issuingDistributionPoint or by an entry's certificateIssuer); not
 * partitioned by reason or named without a URI; no extension twice; no
 * unknown critical extension.  The entries are not read here: a CRL's
 * reader (crlread_entries()) checks each entry's extensions with
 * rfc5280_check_crl_entry_extension() as it walks them.
 */
int rfc5280_check_crl(gnutls_x509_crl_t crl, struct finding *f);

/*
 * The rule for an extension (dotted oid, critical or not) of an entry of
 * the CRL from issuer (its name): not a certificateIssuer (an indirect
 * CRL), not critical unless understood.
 */
int rfc5280_check_crl_entry_extension(const char *oid, bool critical,
    const char *issuer, struct finding *f);

#endif /* MTLS_RFC5280_H */
