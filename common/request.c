#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "certset.h"
#include "mtls.h"

struct mtls_request *
mtls_request_new(void)
{
	return calloc(1, sizeof(struct mtls_request));
}

static void
blob_clear(struct request_blob *blob)
{
	free(blob->data);
	blob->data = NULL;
	blob->len = 0;
}

void
mtls_request_free(struct mtls_request *request)
{
	if (request == NULL)
		return;
	blob_clear(&request->cert);
	for (size_t i = 0; i < request->nuntrusted; i++)
		blob_clear(&request->untrusted[i]);
	free(request->user);
	for (size_t i = 0; i < request->nfields; i++)
		free(request->fields[i].value);
	for (size_t i = 0; i < MTLS_DESCRIBED_COUNT; i++)
		free(request->described[i]);
	free(request);
}

/* Oversized input is remembered, not refused here, so that mtls_verify()
 * rejects it with a reason like any other bad certificate. */
static int
blob_set(struct mtls_request *request, struct request_blob *blob,
    const void *data, size_t len)
{
	unsigned char *copy;

	if (len > CERTSET_MAX_PEER_BYTES) {
		request->oversized = true;
		return 0;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	blob_clear(blob);
	blob->data = copy;
	blob->len = len;
	return 0;
}

int
mtls_request_set_cert(struct mtls_request *request, const void *data,
    size_t len)
{
	return blob_set(request, &request->cert, data, len);
}

int
mtls_request_add_untrusted(struct mtls_request *request, const void *data,
    size_t len)
{
	if (request->nuntrusted == REQUEST_MAX_UNTRUSTED) {
		request->too_many = true;
		return 0;
	}
	if (blob_set(request, &request->untrusted[request->nuntrusted], data,
	    len) != 0)
		return -1;
	request->nuntrusted++;
	return 0;
}

int
mtls_request_set_user(struct mtls_request *request, const char *user)
{
	char *copy = strdup(user);

	if (copy == NULL)
		return -1;
	free(request->user);
	request->user = copy;
	return 0;
}

void
mtls_request_set_time(struct mtls_request *request, time_t when)
{
	request->has_time = true;
	request->when = when;
}

void
mtls_request_set_offline(struct mtls_request *request, int offline)
{
	request->offline = offline != 0;
}

void
mtls_request_set_audit_sink(struct mtls_request *request,
    void (*sink)(void *arg, int accepted, const char *line), void *arg)
{
	request->audit.sink = sink;
	request->audit.arg = sink != NULL ? arg : NULL;
}

/*
 * ASCII letters, digits and '_' (whatever the host's locale), so that a
 * key needs no quoting; and none of libmtls's own keys, so that no field
 * of the caller's reads as the verdict.
 */
static bool
audit_key_valid(const char *key)
{
	size_t len = strlen(key);

	if (len == 0 || len >= REQUEST_AUDIT_KEY_MAX || audit_key_reserved(key))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '_')
			return false;
	}
	return true;
}

/*
 * Values are escaped when the line is written (audit.c), like the
 * certificate's own; a long one is cut there, so that no caller can make
 * a line too long for syslog.
 */
int
mtls_request_add_audit_field(struct mtls_request *request, const char *key,
    const char *value)
{
	struct audit_field *field;

	if (request == NULL || key == NULL || value == NULL ||
	    !audit_key_valid(key) ||
	    request->nfields == REQUEST_MAX_AUDIT_FIELDS)
		return -1;
	field = &request->fields[request->nfields];
	if ((field->value = strdup(value)) == NULL)
		return -1;
	snprintf(field->key, sizeof(field->key), "%s", key);
	request->nfields++;
	return 0;
}
