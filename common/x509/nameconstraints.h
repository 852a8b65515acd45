/*
 * nameconstraints.h - a CA's nameConstraints applied to a certificate
 * below it (RFC 5280 4.2.1.10, 6.1.3 b and c) (internal).
 *
 * GnuTLS 3.7 matches DNS names, email addresses and IP addresses, but
 * (as released) compares DNS names and mail domains byte for byte, lets
 * an IPv6 address through IPv4-only permitted ranges (and the reverse),
 * and does not match directory names or URIs at all.  Here GnuTLS gets
 * case-folded names and subtrees and only the questions it answers right;
 * directory names (the subject and SAN directoryName) and URI hosts are
 * matched here.  A constrained name form that cannot be evaluated
 * rejects, and so does a directory name with a value GnuTLS prints only
 * as hex (a string type its attribute does not take): it would compare
 * equal to no subtree, excluded ones included.
 */
#ifndef MTLS_NAMECONSTRAINTS_H
#define MTLS_NAMECONSTRAINTS_H

#include <stdbool.h>

#include <gnutls/x509.h>

#include "finding.h"

/*
 * Most comparisons of a name with a subtree in one path: the subtrees of
 * each constrained CA times the names of each certificate below it.  A
 * CA with a hundred subtrees over a path of certificates with dozens of
 * names each stays far below; a crafted CA and client certificate with
 * thousands of each would cost millions, so they are refused as
 * work-limit, as Go's crypto/x509 and rustls's webpki bound it.
 */
#define NAMECONSTRAINTS_MAX_WORK 65536

struct nameconstraints {
	gnutls_x509_crt_t ca;
	/* the CA's subtrees, DNS names and mail domains lower-cased */
	gnutls_x509_name_constraints_t subtrees;
	/* one bit per constrained GeneralName form (see form_bit()) */
	unsigned forms;
	/* how many subtrees, permitted and excluded */
	unsigned long count;
	/* address lengths (4, 16) of permitted iPAddress ranges, as bits */
	unsigned permitted_ip;
	/* an empty directoryName subtree, which GnuTLS cannot hold: every
	 * directory name is within it */
	bool permitted_all_dn, excluded_all_dn;
};

/*
 * Load the nameConstraints of ca, decoded with libtasn1 (pkix.asn):
 * GnuTLS 3.7 refuses the whole extension for a registeredID, x400Address
 * or ediPartyName subtree or an empty directoryName, so those are taken
 * out before GnuTLS reads the rest.  A form that cannot be evaluated then
 * refuses only a certificate with a name of that form (an otherName or
 * registeredID exclusion with no such name on the path changes nothing;
 * x400Address and ediPartyName names never get this far).  1 when ca has
 * constraints, 0 when it has none,
 * -1 with the finding set when they cannot be read or a subtree is no
 * name of its form, such as a dNSName with a leading period (which
 * rejects every certificate below ca).  After 1, release with nameconstraints_free().
 */
int nameconstraints_load(struct nameconstraints *nc, gnutls_x509_crt_t ca,
    struct finding *f);

/*
 * Whether every name of crt lies within the constraints: its subject as a
 * directoryName, each emailAddress attribute of its subject and each
 * subjectAltName entry.  role ("client certificate", "intermediate")
 * names crt in the explanation.  *work counts the comparisons of the
 * path so far, beyond NAMECONSTRAINTS_MAX_WORK work-limit.  0, or -1
 * with the finding set.
 */
int nameconstraints_check(const struct nameconstraints *nc,
    gnutls_x509_crt_t crt, const char *role, unsigned long *work,
    struct finding *f);

void nameconstraints_free(struct nameconstraints *nc);

#endif /* MTLS_NAMECONSTRAINTS_H */
