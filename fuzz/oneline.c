#include "oneline.h"

#include <stdio.h>
#include <stdlib.h>

void
check_one_line(const char *what, const char *text)
{
	if (text == NULL || text[0] == '\0') {
		fprintf(stderr, "%s: missing\n", what);
		abort();
	}
	for (const char *p = text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "%s: not one safe line: %s\n", what,
			    text);
			abort();
		}
}
