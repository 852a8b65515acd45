#include "shellword.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool
plain(const char *s)
{
	static const char others[] = "%+,-./:@_";

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(others, *s) != NULL))
			return false;
	return true;
}

const char *
shellword(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen < 3) {
		if (outlen > 0)
			out[0] = '\0';
		return out;
	}
	if (plain(s)) {
		snprintf(out, outlen, "%s", s);
		return out;
	}
	out[n++] = '\'';
	/* room is kept for the closing quote and the NUL */
	for (; *s != '\0'; s++) {
		if (*s != '\'' && n + 3 <= outlen)
			out[n++] = *s;
		else if (*s == '\'' && n + 6 <= outlen) {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else
			break;
	}
	out[n++] = '\'';
	out[n] = '\0';
	return out;
}
