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

/* Most fields a caller may add to the audit line, and their sizes. */
#define REQUEST_MAX_AUDIT_FIELDS 16
#define REQUEST_AUDIT_KEY_MAX 32
#define REQUEST_AUDIT_VALUE_MAX 256

/* A field of the caller's on the audit line; the value is raw. */
struct audit_field {
	char key[REQUEST_AUDIT_KEY_MAX];
	char *value;
};

/* Where the audit line goes: to sink when set, else to syslog. */
struct audit_sink {
	void (*sink)(void *arg, int accepted, const char *line);
	void *arg;
};

struct mtls_request {
	struct request_blob cert;
	struct request_blob untrusted[REQUEST_MAX_UNTRUSTED];
	size_t nuntrusted;
	bool oversized;		/* an input over CERTSET_MAX_PEER_BYTES */
	bool too_many;		/* more than REQUEST_MAX_UNTRUSTED inputs */
	char *user;
	bool has_time;
	time_t when;
	bool offline;		/* no OCSP query: the caches answer */
	struct audit_sink audit;
	struct audit_field fields[REQUEST_MAX_AUDIT_FIELDS];
	size_t nfields;
	/* instead of cert, what a server reports of it (described.h) */
	char *described[MTLS_DESCRIBED_COUNT];
};

#endif /* MTLS_REQUEST_H */
