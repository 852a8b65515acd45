/*
 * radius_env.c - RADIUS attributes as FreeRADIUS puts them into a
 * program's environment.
 *
 * With shell_escape (the default of rlm_exec, and always for eap's
 * verify hook) a string is written in double quotes, with '"' and '\'
 * escaped by a backslash, CR, LF and TAB as \r, \n and \t, and a byte
 * that is not UTF-8 as \ooo (octal).  A value that does not read back
 * that way was not written by FreeRADIUS, or was cut short by its
 * 1024-byte buffer: it is refused rather than guessed at.
 */
#include "radius.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

static int
octal_digit(char c)
{
	return c >= '0' && c <= '7';
}

/* The escaped text in[0..len) into out (room for len + 1). */
static int
unescape(const char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '"')
			return -1;		/* unescaped: not one value */
		if (in[i] != '\\') {
			out[o++] = in[i];
			continue;
		}
		if (++i == len)
			return -1;
		switch (in[i]) {
		case '"':
		case '\\':
			out[o++] = in[i];
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		default:
			if (i + 2 >= len || !octal_digit(in[i]) ||
			    !octal_digit(in[i + 1]) ||
			    !octal_digit(in[i + 2]) || in[i] > '3')
				return -1;
			out[o++] = (char)((in[i] - '0') * 64 +
			    (in[i + 1] - '0') * 8 + (in[i + 2] - '0'));
			i += 2;
			break;
		}
		if (out[o - 1] == '\0')
			return -1;		/* no C string holds it */
	}
	out[o] = '\0';
	return 0;
}

/*
 * How many times name is in the environment.  FreeRADIUS puts an
 * attribute there once for each of its values: a certificate with two
 * rfc822Names gives TLS_CLIENT_CERT_SUBJECT_ALT_NAME_EMAIL twice, and
 * getenv() would answer with the first, where the certificate itself
 * (mtls radius verify) is ambiguous.
 */
static size_t
times_given(const char *name)
{
	size_t len = strlen(name), n = 0;

	for (char **e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			n++;
	return n;
}

int
radius_attribute(const char *name, char **value, char *err, size_t errlen)
{
	const char *raw = getenv(name);
	size_t len, given;
	char *out;

	*value = NULL;
	if (raw == NULL)
		return 1;
	if ((given = times_given(name)) > 1) {
		snprintf(err, errlen, "%s is given %zu times, so which one is "
		    "meant is ambiguous (a certificate with more than one such "
		    "name); refused", name, given);
		return -1;
	}
	len = strlen(raw);
	if ((out = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	if (raw[0] != '"') {
		/* rlm_exec with shell_escape = no: the value as it is */
		memcpy(out, raw, len + 1);
	} else if (len < 2 || raw[len - 1] != '"' ||
	    unescape(raw + 1, len - 2, out) != 0) {
		free(out);
		snprintf(err, errlen, "%s is not one value as FreeRADIUS "
		    "quotes it (cut short, or not from FreeRADIUS)", name);
		return -1;
	}
	*value = out;
	return 0;
}
