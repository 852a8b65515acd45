/*
 * strlist.h - a growable list of owned strings (internal).
 */
#ifndef MTLS_STRLIST_H
#define MTLS_STRLIST_H

#include <stddef.h>

struct strlist {
	char **items;
	size_t count;
};

/* Append a copy of s; -1 when memory runs out. */
int strlist_add(struct strlist *list, const char *s);
/* Nonzero when the list holds a string equal to s. */
int strlist_contains(const struct strlist *list, const char *s);
void strlist_clear(struct strlist *list);

#endif /* MTLS_STRLIST_H */
