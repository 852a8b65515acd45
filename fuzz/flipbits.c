#include "flipbits.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "testpki.h"

unsigned char *
flip_load_good(const char *path, size_t *len)
{
	gnutls_datum_t file;
	unsigned char *good;

	if (gnutls_load_file(path, &file) < 0 || file.size == 0 ||
	    (good = malloc(file.size)) == NULL)
		abort();
	memcpy(good, file.data, file.size);
	*len = file.size;
	gnutls_free(file.data);
	return good;
}

bool
flip_bits_into(const char *path, const unsigned char *good, size_t len,
    const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(len);
	bool altered;

	if (copy == NULL)
		abort();
	memcpy(copy, good, len);
	for (size_t i = 0; i + 4 <= size; i += 4) {
		uint32_t bit = (uint32_t)data[i] << 24 |
		    (uint32_t)data[i + 1] << 16 | (uint32_t)data[i + 2] << 8 |
		    data[i + 3];

		bit %= (uint32_t)(len * 8);
		copy[bit / 8] ^= (unsigned char)(1u << (bit % 8));
	}
	altered = memcmp(copy, good, len) != 0;
	tpki_write_data(path, copy, len);
	free(copy);
	return altered;
}
