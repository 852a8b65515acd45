/*
 * certset.h - certificates parsed from PEM or DER (internal).
 *
 * Input from clients is bounded here: how many certificates one input may
 * carry, and how many bytes, so a hostile bundle costs little before it is
 * refused.
 */
#ifndef MTLS_CERTSET_H
#define MTLS_CERTSET_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/x509.h>

#include "dername.h"

/* Most certificates one client may present, leaf and intermediates. */
#define CERTSET_MAX_PEER 16
/* Most bytes of one client input (PEM bundle or DER). */
#define CERTSET_MAX_PEER_BYTES (256 * 1024)
/* Most certificates one configured file may hold (a CA bundle). */
#define CERTSET_MAX_FILE 4096
/* Most bytes of one configured certificate file. */
#define CERTSET_MAX_FILE_BYTES (16 * 1024 * 1024)

struct certset_index;
struct certset_lazy;

struct certset {
	/* NULL where a certificate read lazily is not imported yet: read
	 * crts[i] of such a set through certset_crt() */
	gnutls_x509_crt_t *crts;
	size_t count;
	/* NULL: lookups scan (certset_index()) */
	struct certset_index *index;
	/* NULL: every certificate is imported (certset_add_dir()) */
	struct certset_lazy *lazy;
	size_t lazy_from;	/* a view's first position in its owner */
};

/* Why certset_add_data() failed. */
#define CERTSET_MALFORMED (-1)
#define CERTSET_TOO_MANY (-2)
#define CERTSET_NO_MEMORY (-3)

/*
 * Parse PEM (one or more CERTIFICATE blocks) or DER and append the
 * certificates, at most max in the set.  On error the set is unchanged,
 * the return value is CERTSET_MALFORMED, CERTSET_TOO_MANY or
 * CERTSET_NO_MEMORY (memory ran out: the input may well be fine), and err
 * says why ("no certificate in the input", GnuTLS's reason, ...).
 *
 * A certset may also be a view (certset_view()), never cleared (but
 * certset_unindex()).
 */
int certset_add_data(struct certset *set, const void *data, size_t len,
    size_t max, char *err, size_t errlen);

/* Read and parse a file; errors name the file. */
int certset_add_file(struct certset *set, const char *path, char *err,
    size_t errlen);

/*
 * Read every regular file of a directory (path, which the configuration
 * checked with file_check_trusted()) that holds certificates, lazily:
 * their DER and subject names are kept, and a certificate is imported
 * only when certset_crt() first asks for it, so that a process pays for
 * the few a path needs, not for a thousand.  A certificate already in
 * the set, or in another file, is added once.  A file that holds no
 * certificate, or a malformed one, trusts nothing and is passed over; one
 * that cannot be read, or is not root's when running as root, fails the
 * whole directory.  certset_check() names what was passed over.
 */
int certset_add_dir(struct certset *set, const char *path, char *err,
    size_t errlen);

/*
 * The certificate at position i, imported now when read lazily.  NULL
 * when it cannot be: its DER does not import, or the set's prepare
 * function refused it (certset_prepare()); it is then no candidate of any
 * lookup's caller.  Safe to call from several threads.
 */
gnutls_x509_crt_t certset_crt(const struct certset *set, size_t i);

/*
 * What a configuration decides once of each certificate: fn(arg, crt, i,
 * why, whylen), 0 to accept it.  Run now on every imported certificate of
 * set, the first refusal returned (-1, why in err); and on each one read
 * lazily when certset_crt() imports it, a refusal making it NULL.  Set
 * once, on the owner, before lookups begin.
 */
typedef int (*certset_prepare_fn)(void *arg, gnutls_x509_crt_t crt,
    size_t i, char *why, size_t whylen);
int certset_prepare(struct certset *set, certset_prepare_fn fn, void *arg,
    char *err, size_t errlen);

/*
 * Import every certificate read lazily now: -1 naming the first file
 * certset_add_dir() passed over, or the first certificate certset_crt()
 * cannot give, and why.  What "mtls config check" reports, where a
 * verification only imports what its path needs.
 */
int certset_check(const struct certset *set, char *err, size_t errlen);

/* view: the count certificates of set from position from on. */
void certset_view(struct certset *view, const struct certset *set,
    size_t from, size_t count);

/* Whether set holds a certificate equal to crt (the same DER). */
int certset_has(const struct certset *set, gnutls_x509_crt_t crt);

/*
 * The first certificate of set at position from or later whose subject
 * is the Name name (compared as RFC 5280 7.1 asks, dername.h): 1 and its
 * position in *at, in set order; 0 when there is none; -1 when memory
 * ran out looking.
 */
int certset_next_subject(const struct certset *set,
    const struct dername *name, size_t from, size_t *at);

/*
 * Index a set, a view too, by subject name and by DER, once the last
 * certificate is added: then certset_has() and certset_next_subject() cost
 * a hash and a binary search instead of a scan that decodes every
 * certificate, and a thousand CAs cost about what one does.  Without an
 * index (or when it cannot be built: -1, out of memory) they scan, with
 * the same answers.  Adding to an indexed set drops its index.
 */
int certset_index(struct certset *set);

/* Drop the index of a set or view. */
void certset_unindex(struct certset *set);

void certset_clear(struct certset *set);

#endif /* MTLS_CERTSET_H */
