/*
 * bigendian.h - n-octet big-endian integers, as the index files store
 * them (internal).
 */
#ifndef MTLS_BIGENDIAN_H
#define MTLS_BIGENDIAN_H

#include <stddef.h>
#include <stdint.h>

/* n-octet big-endian integers (n is 4 or 8). */
void be_put(unsigned char *p, uint64_t v, size_t n);
uint64_t be_get(const unsigned char *p, size_t n);
#define be_put_u32(p, v) be_put((p), (v), 4)
#define be_put_u64(p, v) be_put((p), (v), 8)
#define be_get_u32(p) ((uint32_t)be_get((p), 4))
#define be_get_u64(p) be_get((p), 8)

#endif /* MTLS_BIGENDIAN_H */
