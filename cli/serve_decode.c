/*
 * The certificate of a request, decoded: nginx's $ssl_client_escaped_cert
 * is the PEM percent-encoded; Apache passes the PEM as it is, which never
 * holds a '%'.  GnuTLS reads PEM whatever whitespace stands between its
 * lines (spaces, where a web server folded them), so decoding is all that
 * is left to do.
 *
 * A web server asks about the same few clients again and again, each
 * request with the same header.  Each thread keeps the last header it
 * decoded beside what it decoded to, and a repeat is recognised by
 * comparing the bytes, which costs a fraction of decoding them again.
 */
#include <stdlib.h>
#include <string.h>

#include "serve_mhd.h"

#include "serve.h"

/* The last certificate a thread decoded: the header, then its PEM. */
struct decoded {
	char *buf;		/* header '\0' PEM '\0' */
	size_t cap;
	size_t raw_len;		/* 0: none yet */
	size_t pem_len;
};

static void
decoded_free(void *arg)
{
	struct decoded *d = arg;

	free(d->buf);
	free(d);
}

static struct serve_local decoded = SERVE_LOCAL(struct decoded, decoded_free);

const char *
serve_decode_cert(const char *raw, size_t *len)
{
	struct decoded *d;
	size_t n = strlen(raw);
	char *pem;

	if (strchr(raw, '%') == NULL) {
		*len = n;
		return raw;
	}
	if ((d = serve_local_get(&decoded)) == NULL)
		return NULL;
	if (d->raw_len == n && memcmp(d->buf, raw, n) == 0) {
		*len = d->pem_len;
		return d->buf + n + 1;
	}
	if (d->cap < 2 * (n + 1)) {
		free(d->buf);
		d->raw_len = 0;
		d->cap = 0;
		if ((d->buf = malloc(2 * (n + 1))) == NULL)
			return NULL;
		d->cap = 2 * (n + 1);
	}
	memcpy(d->buf, raw, n + 1);
	pem = d->buf + n + 1;
	memcpy(pem, raw, n + 1);
	d->pem_len = serve_mhd.http_unescape(pem);
	d->raw_len = n;
	*len = d->pem_len;
	return pem;
}
