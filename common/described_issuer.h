/*
 * described_issuer.h - the Name a description's issuer text stands for
 * (internal; described.h).
 *
 * FreeRADIUS names the issuer of a certificate it verified as text, in
 * OpenSSL's one-line form ("/O=Example/CN=Example CA") or RFC 4514
 * ("CN=Example CA,O=Example", as verdicts write names).  Turned back into
 * a Name, it is looked up among the configured certificates the way a
 * path search looks up an issuer (certset_next_subject()), so that a
 * description costs the import of its issuer, not of every file of
 * ca_dir.  The text stays what decides: every certificate found so is
 * still compared with it, as written.
 */
#ifndef MTLS_DESCRIBED_ISSUER_H
#define MTLS_DESCRIBED_ISSUER_H

#include "dername.h"

/*
 * The Name text names, into *out (dername_free() it): 0, or -1 when text
 * is not read here (an attribute type without a known short name or an
 * OID, a value that is not text) or memory runs out.
 */
int described_issuer_name(const char *text, struct dername *out);

/* OpenSSL's short name of the attribute type oid (dotted), or NULL. */
const char *described_short_name(const char *oid);

#endif /* MTLS_DESCRIBED_ISSUER_H */
