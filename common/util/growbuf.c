#include "growbuf.h"

#include <stdlib.h>
#include <string.h>

void
growbuf_put(struct growbuf *b, const void *data, size_t n)
{
	unsigned char *grown;
	size_t cap;

	if (b->failed || n == 0)
		return;
	if (b->len + n > b->cap) {
		for (cap = b->cap > 0 ? b->cap * 2 : 64; cap < b->len + n;)
			cap *= 2;
		if ((grown = realloc(b->p, cap)) == NULL) {
			b->failed = true;
			return;
		}
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}
