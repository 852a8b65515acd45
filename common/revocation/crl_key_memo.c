#include "crl_key_memo.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include "certder.h"

void
crl_key_memo_init(struct crl_key_memo *memo)
{
	memset(memo, 0, sizeof(*memo));
	pthread_mutex_init(&memo->lock, NULL);
}

void
crl_key_memo_clear(struct crl_key_memo *memo)
{
	for (size_t i = 0; i < memo->count; i++)
		gnutls_x509_crt_deinit(memo->crt[i]);
	pthread_mutex_destroy(&memo->lock);
	memset(memo, 0, sizeof(*memo));
}

int
crl_key_memo_get(struct crl_key_memo *memo, gnutls_x509_crt_t crt)
{
	int found = -1;

	pthread_mutex_lock(&memo->lock);
	for (size_t i = 0; found < 0 && i < memo->count; i++)
		if (gnutls_x509_crt_equals(memo->crt[i], crt))
			found = memo->holds[i];
	pthread_mutex_unlock(&memo->lock);
	return found;
}

void
crl_key_memo_put(struct crl_key_memo *memo, gnutls_x509_crt_t crt,
    bool holds)
{
	gnutls_x509_crt_t copy = certder_copy(crt);

	if (copy == NULL)
		return;
	pthread_mutex_lock(&memo->lock);
	if (memo->count == CRL_KEY_MEMO_SLOTS) {
		gnutls_x509_crt_deinit(memo->crt[0]);
		memmove(memo->crt, memo->crt + 1,
		    (CRL_KEY_MEMO_SLOTS - 1) * sizeof(*memo->crt));
		memmove(memo->holds, memo->holds + 1,
		    (CRL_KEY_MEMO_SLOTS - 1) * sizeof(*memo->holds));
		memo->count--;
	}
	memo->crt[memo->count] = copy;
	memo->holds[memo->count++] = holds;
	pthread_mutex_unlock(&memo->lock);
}

int
crl_key_memo_holds(struct crl_key_memo *memo,
    const unsigned char key[CRL_KEY_ID_LEN], struct crl_link *link,
    bool *holds, struct finding *f)
{
	int known = crl_key_memo_get(memo, link->issuer);

	if (known >= 0) {
		*holds = known;
		return 0;
	}
	if (crl_link_issuer_key(link, f) != 0)
		return -1;
	*holds = memcmp(link->issuer_key, key, CRL_KEY_ID_LEN) == 0;
	crl_key_memo_put(memo, link->issuer, *holds);
	return 0;
}
