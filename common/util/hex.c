#include "hex.h"

char *
hex_encode(const unsigned char *data, size_t len, char sep, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		if (i > 0 && sep != '\0')
			*out++ = sep;
		*out++ = digits[data[i] >> 4];
		*out++ = digits[data[i] & 0xf];
	}
	*out = '\0';
	return out;
}
