#include "utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t len, unsigned long *c)
{
	/* the smallest code point each length may encode (RFC 3629) */
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;

	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	*c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*c = *c << 6 | (s[i] & 0x3f);
	}
	if (*c < least[n] || *c > 0x10ffff || (*c >= 0xd800 && *c <= 0xdfff))
		return 0;
	return n;
}

size_t
utf8_encode(unsigned long c, unsigned char out[4])
{
	size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };

	for (size_t i = n - 1; i > 0; i--) {
		out[i] = (unsigned char)(0x80 | (c & 0x3f));
		c >>= 6;
	}
	out[0] = (unsigned char)(lead[n] | c);
	return n;
}

bool
utf8_is_control(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}
