/*
 * mtls radius verify: eap's verify { client = ... } hook.  FreeRADIUS has
 * done its own chain check and written the client's certificate (the
 * leaf alone, as PEM) to a file; this decides on it with the profile, as
 * a login would: chain, policy, revocation, and the user the EAP
 * identity claims.
 */
#include "radius.h"

#include <err.h>
#include <stdlib.h>

#include "input.h"
#include "mtls.h"

static int
fill_certificate(struct mtls_request *req, const struct radius_opts *o)
{
	unsigned char *data;
	size_t len;
	char err[512];
	int ret;

	if (input_read(o->cert, &data, &len, err, sizeof(err)) != 0) {
		warnx("radius verify: %s", err);
		return -1;
	}
	ret = mtls_request_set_cert(req, data, len);
	free(data);
	if (ret != 0)
		warnx("radius verify: %s: out of memory", o->cert);
	return ret;
}

int
radius_verify(const struct radius_opts *o)
{
	return radius_run("verify", o, fill_certificate, false);
}
