/*
 * peer.h - the client certificate as it was presented, with the
 * intermediates that came with it: what a source hands to libmtls, and
 * what the account phase verifies again.
 */
#ifndef PAM_MTLS_PEER_H
#define PAM_MTLS_PEER_H

#include <stddef.h>

/* More than a certificate and its chain ever need; the rest is refused. */
#define PEER_MAX_BYTES	(64 * 1024)

struct peer {
	unsigned char *cert;	/* PEM or DER; PEM may carry intermediates */
	size_t cert_len;
	unsigned char *chain;	/* more intermediates (PEM), or NULL */
	size_t chain_len;
};

/* Copy bytes into a peer's field; -1 when memory ran out. */
int peer_set(unsigned char **field, size_t *field_len, const void *data,
    size_t len);

/* A deep copy; -1 when memory ran out. */
int peer_copy(struct peer *to, const struct peer *from);

void peer_clear(struct peer *peer);

#endif /* PAM_MTLS_PEER_H */
