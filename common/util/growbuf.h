/*
 * growbuf.h - bytes written one piece after another into memory that
 * doubles as it fills (internal).  Once memory runs out, failed is set
 * and nothing more is written, so that the writer looks once, at the end.
 */
#ifndef MTLS_GROWBUF_H
#define MTLS_GROWBUF_H

#include <stdbool.h>
#include <stddef.h>

struct growbuf {
	unsigned char *p;	/* from malloc(), the writer's to free */
	size_t len, cap;
	bool failed;
};

/* Append data[0, n) to b, unless b failed (or fails now). */
void growbuf_put(struct growbuf *b, const void *data, size_t n);

#endif /* MTLS_GROWBUF_H */
