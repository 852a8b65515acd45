#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

/* Read f to its end, keeping at most INPUT_MAX bytes: one more is an error. */
static int
read_stream(FILE *f, const char *name, unsigned char **data, size_t *len,
    char *err, size_t errlen)
{
	unsigned char *buf = NULL, *grown;
	size_t cap = 0, got = 0, n;

	do {
		if (got == cap) {
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > INPUT_MAX + 1)
				cap = INPUT_MAX + 1;
			grown = realloc(buf, cap + 1);	/* + the NUL */
			if (grown == NULL) {
				snprintf(err, errlen, "%s: out of memory",
				    name);
				free(buf);
				return -1;
			}
			buf = grown;
		}
		n = fread(buf + got, 1, cap - got, f);
		got += n;
		if (got > INPUT_MAX) {
			snprintf(err, errlen, "%s: larger than %d bytes; give "
			    "the client certificate and its chain only", name,
			    INPUT_MAX);
			free(buf);
			return -1;
		}
	} while (n > 0);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		free(buf);
		return -1;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

int
input_read(const char *path, unsigned char **data, size_t *len, char *err,
    size_t errlen)
{
	FILE *f;
	int ret;

	if (strcmp(path, "-") == 0)
		return read_stream(stdin, input_name(path), data, len, err,
		    errlen);
	f = fopen(path, "rbe");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = read_stream(f, input_name(path), data, len, err, errlen);
	fclose(f);
	return ret;
}
