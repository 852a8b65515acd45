/*
 * flipbits.h - the input of the bit-flip fuzzers: a list of bit positions
 * in a good file.
 */
#ifndef MTLS_FLIPBITS_H
#define MTLS_FLIPBITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The good file at path, read once: allocated, *len set; aborts on
 * failure. */
unsigned char *flip_load_good(const char *path, size_t *len);

/*
 * Write to path a copy of good (len bytes, not empty) with the bits data
 * names flipped: 4 octets each, big-endian, taken modulo the bits of
 * good.  Returns whether the copy differs from good (a bit flipped twice
 * is as it was).
 */
bool flip_bits_into(const char *path, const unsigned char *good,
    size_t len, const uint8_t *data, size_t size);

#endif /* MTLS_FLIPBITS_H */
