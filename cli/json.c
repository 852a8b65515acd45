#include "json.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when the
 * bytes there are not one: overlong forms, surrogates and code points past
 * U+10FFFF are refused too, as a JSON parser would.
 */
static size_t
utf8_sequence(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		/* A NUL ends the string here, and fails this test too. */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void
json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	while (*p != '\0') {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(out, "\\u%04x", *p);
				break;
			}
			n = utf8_sequence(p);
			if (n == 0) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		p++;
	}
	putc('"', out);
}

void
json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
}

/* Separate a new value from the one before it at this level. */
static void
json_next(struct json *j)
{
	if (!j->first[j->depth])
		putc(',', j->out);
	j->first[j->depth] = false;
}

static void
json_open(struct json *j, char bracket)
{
	/* The nesting is fixed by the code, not by input: deeper than
	 * JSON_MAX_DEPTH is a programming error. */
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		abort();
	putc(bracket, j->out);
	j->depth++;
	j->first[j->depth] = true;
}

static void
json_close(struct json *j, char bracket)
{
	putc(bracket, j->out);
	if (j->depth > 0)
		j->depth--;
}

static void
json_key(struct json *j, const char *key)
{
	json_next(j);
	json_string(j->out, key);
	putc(':', j->out);
}

void
json_object_begin(struct json *j)
{
	json_next(j);
	json_open(j, '{');
}

void
json_object_end(struct json *j)
{
	json_close(j, '}');
	if (j->depth == 0)
		putc('\n', j->out);
}

void
json_member_string(struct json *j, const char *key, const char *value)
{
	json_key(j, key);
	json_string(j->out, value);
}

void
json_member_int(struct json *j, const char *key, long long value)
{
	json_key(j, key);
	fprintf(j->out, "%lld", value);
}

void
json_member_bool(struct json *j, const char *key, bool value)
{
	json_key(j, key);
	fputs(value ? "true" : "false", j->out);
}

void
json_member_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->out);
}

void
json_member_array_begin(struct json *j, const char *key)
{
	json_key(j, key);
	json_open(j, '[');
}

void
json_array_string(struct json *j, const char *value)
{
	json_next(j);
	json_string(j->out, value);
}

void
json_array_end(struct json *j)
{
	json_close(j, ']');
}
