/*
 * nameconstraints.h - a CA's nameConstraints applied to a certificate
 * below it (RFC 5280 4.2.1.10, 6.1.3 b and c) (internal).
 *
 * The extension is read with libtasn1 (pkix.asn) only: GnuTLS 3.7 stops
 * at an empty directoryName, cannot read otherName forms and refuses the
 * whole extension for an x400Address, ediPartyName or registeredID
 * subtree.  Every subtree is read, and each form is matched here or by
 * GnuTLS where GnuTLS answers right:
 *
 * - dNSName, rfc822Name, iPAddress: GnuTLS's matcher, given subtrees
 *   and names with DNS names and mail domains lower-cased (GnuTLS 3.7.9
 *   as released compares them byte for byte), and never asked about an
 *   IPv6 address where only IPv4 ranges are permitted (it would pass it);
 * - uniformResourceIdentifier: the URI's host, as RFC 5280 says;
 * - directoryName: DER Names compared as RFC 5280 7.1 asks (dername.h),
 *   of the subject and of subjectAltName entries; an empty subtree
 *   holds every name;
 * - otherName Microsoft UPN (the name identity.map = "upn" maps): by
 *   rfc822Name's rules, a whole UPN, a domain, or with a leading period
 *   every domain below one, since a UPN is written as a mailbox is.
 *
 * A dNSName that is an IPv4 address written as a DNS name ("192.0.2.1",
 * generalname_dns_numeric()) would escape iPAddress subtrees and be
 * matched as a DNS name it is not: where a CA has dNSName or iPAddress
 * constraints, it cannot be evaluated, and refuses the certificate.
 *
 * A subtree of another form (another otherName type, x400Address,
 * ediPartyName, registeredID) cannot be evaluated: it refuses only a
 * certificate that carries a name of that form (of that otherName type),
 * and so does a name of a constrained form that cannot be compared (a
 * directory name with a value no string of its type, a UPN that is no
 * UTF8String, a URI without a host).
 */
#ifndef MTLS_NAMECONSTRAINTS_H
#define MTLS_NAMECONSTRAINTS_H

#include <stdbool.h>

#include <gnutls/x509.h>

#include "dername.h"
#include "finding.h"
#include "generalname_der.h"

/*
 * Most comparisons of a name with a subtree in one path: the subtrees of
 * each constrained CA times the names of each certificate below it.  A
 * CA with a hundred subtrees over a path of certificates with dozens of
 * names each stays far below; a crafted CA and client certificate with
 * thousands of each would cost millions, so they are refused as
 * work-limit, as Go's crypto/x509 and rustls's webpki bound it.
 */
#define NAMECONSTRAINTS_MAX_WORK 65536

struct nc_subtree {
	struct gname base;
	struct dername dn;	/* of a directoryName base */
	bool permitted;
};

struct nameconstraints {
	gnutls_x509_crt_t ca;
	struct nc_subtree *subtrees;
	unsigned long count;	/* permitted and excluded */
	/* the dNSName, rfc822Name and iPAddress subtrees for GnuTLS, and
	 * the UPN subtrees as rfc822Name ones, case-folded */
	gnutls_x509_name_constraints_t matcher, upns;
	/* one bit per constrained form (enum gname_form), one for UPNs */
	unsigned forms;
	/* address lengths (4, 16) of permitted iPAddress ranges, as bits */
	unsigned permitted_ip;
};

/*
 * Load the nameConstraints of ca, critical or not (RFC 5280 6.1.4 (g)
 * applies them if present).  1 when ca has constraints, 0 when it
 * has none, -1 with the finding set when they cannot be read, or a
 * subtree is no name of its form (a dNSName with a leading period, an
 * iPAddress range whose mask is not a prefix, a directoryName that
 * cannot be compared), or has a minimum other than 0 or a maximum,
 * which RFC 5280 forbids: that rejects every certificate below ca.
 * After 1, release with nameconstraints_free().
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
