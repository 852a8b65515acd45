#include "shellword.h"

#include <stdarg.h>
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
	if (plain(s) && strlen(s) < outlen) {
		memcpy(out, s, strlen(s) + 1);
		return out;
	}
	/* one that does not fit as it is fits quoted even less */
	out[n++] = '\'';
	/* room is kept for the closing quote and the NUL */
	for (; *s != '\0'; s++) {
		if (*s != '\'' && n + 3 <= outlen)
			out[n++] = *s;
		else if (*s == '\'' && n + 6 <= outlen) {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			n = 1;		/* '': no path rather than another */
			break;
		}
	}
	out[n++] = '\'';
	out[n] = '\0';
	return out;
}

void
shellword_message(char *out, size_t outlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shellword_vmessage(out, outlen, fmt, ap);
	va_end(ap);
}

void
shellword_vmessage(char *out, size_t outlen, const char *fmt, va_list ap)
{
	char *cut;
	int n;

	n = vsnprintf(out, outlen, fmt, ap);
	if (n >= 0 && (size_t)n < outlen)
		return;
	if ((cut = strstr(out, "; as root")) != NULL)
		snprintf(cut, outlen - (size_t)(cut - out), "; the command "
		    "that mends it is left out, its path being too long to "
		    "print here");
}
