#include "json.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void
json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end;
	unsigned long c;
	size_t n;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	end = p + strlen(s);
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
			/* strict, as a JSON parser is: no overlong forms,
			 * surrogates or code points past U+10FFFF */
			n = utf8_decode(p, (size_t)(end - p), &c);
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
