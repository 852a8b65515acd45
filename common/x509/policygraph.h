/*
 * policygraph.h - certificate policies along a path (RFC 5280 6.1.2 a,
 * d-f; 6.1.3 d-f; 6.1.4 a, b, h-j; 6.1.5 a, b, g), with the policy graph
 * of RFC 9618 in place of RFC 5280's tree (internal).
 *
 * RFC 5280's valid_policy_tree can grow exponentially with the path's
 * length (a policy mapped to two at each level); RFC 9618's graph has
 * one node per policy and depth, and as many edges as the mappings and
 * expected policies there are, and gives the same answers.  OpenSSL,
 * BoringSSL and Go process policies this way too.
 *
 * Where this is stricter than RFC 5280, as the rest of the path rules
 * (rfc5280.h): the trust anchor's policyConstraints and inhibitAnyPolicy
 * bind the path below it, as its pathLenConstraint and nameConstraints
 * do (RFC 5937 allows it); its certificatePolicies and policyMappings
 * are not used, nor read.  A policy extension that is malformed, or
 * breaks a rule of RFC 5280 (certpolicies.h), rejects the path wherever
 * it is, even where it would not change the answer.
 */
#ifndef MTLS_POLICYGRAPH_H
#define MTLS_POLICYGRAPH_H

#include <stddef.h>

#include <gnutls/x509.h>

#include "config.h"
#include "finding.h"

/*
 * Most units of work on one path: a comparison of two policy OIDs, or an
 * edge made.  Each extension holds at most CERTPOLICIES_MAX entries, so
 * that no level of the graph costs more than some hundred thousand of
 * them; a real path, with a few dozen policies and mappings, costs a few
 * thousand.  A path beyond is refused as work-limit.
 */
#define POLICYGRAPH_MAX_WORK 262144

/*
 * The policies of chain[0] (the client certificate) .. chain[n-1] (the
 * trust anchor), each issued by the next, with the initial inputs of
 * RFC 5280 6.1.1 from policy: acceptable_policies (the
 * user-initial-policy-set; none listed: anyPolicy), and
 * require_explicit_policy, inhibit_policy_mapping, inhibit_any_policy.
 * A list of acceptable policies requires an explicit policy too: it
 * would otherwise restrict nothing.
 *
 * 0 when the path is valid: no explicit policy is required by the
 * profile or a certificate, or some policy acceptable to the profile is
 * valid for the whole path; then, when valid is not NULL, it receives
 * that policy (or "" when none was required and none holds).  -1 with the
 * finding set: no acceptable policy where one is required (policy), a
 * malformed or forbidden policy extension (bad-policy), an extension or
 * a path that costs more than the bounds above (work-limit), out of
 * memory (internal-error).
 */
int policygraph_check(const struct mtls_policy *policy,
    gnutls_x509_crt_t *chain, size_t n, char *valid, size_t validlen,
    struct finding *f);

#endif /* MTLS_POLICYGRAPH_H */
