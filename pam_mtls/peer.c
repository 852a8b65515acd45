#include "peer.h"

#include <stdlib.h>
#include <string.h>

int
peer_set(unsigned char **field, size_t *field_len, const void *data,
    size_t len)
{
	unsigned char *copy = malloc(len > 0 ? len : 1);

	if (copy == NULL)
		return -1;
	memcpy(copy, data, len);
	free(*field);
	*field = copy;
	*field_len = len;
	return 0;
}

int
peer_copy(struct peer *to, const struct peer *from)
{
	memset(to, 0, sizeof(*to));
	if (peer_set(&to->cert, &to->cert_len, from->cert,
	    from->cert_len) == -1 || (from->chain != NULL &&
	    peer_set(&to->chain, &to->chain_len, from->chain,
	    from->chain_len) == -1)) {
		peer_clear(to);
		return -1;
	}
	return 0;
}

void
peer_clear(struct peer *peer)
{
	free(peer->cert);
	free(peer->chain);
	memset(peer, 0, sizeof(*peer));
}
