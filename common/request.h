/*
 * request.h - one verification's input (internal layout).
 */
#ifndef MTLS_REQUEST_H
#define MTLS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "mtls.h"

/* Bytes as the client sent them; parsed only by mtls_verify(). */
struct request_blob {
	unsigned char *data;
	size_t len;
};

/* Most separate untrusted inputs one request may carry. */
#define REQUEST_MAX_UNTRUSTED 16

struct mtls_request {
	struct request_blob cert;
	struct request_blob untrusted[REQUEST_MAX_UNTRUSTED];
	size_t nuntrusted;
	bool oversized;		/* an input over CERTSET_MAX_PEER_BYTES */
	bool too_many;		/* more than REQUEST_MAX_UNTRUSTED inputs */
	char *user;
	bool has_time;
	time_t when;
	/* instead of cert, what a server reports of it (described.h) */
	char *described[MTLS_DESCRIBED_COUNT];
};

#endif /* MTLS_REQUEST_H */
