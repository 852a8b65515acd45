#include "strlist.h"

#include <stdlib.h>
#include <string.h>

int
strlist_add(struct strlist *list, const char *s)
{
	char *copy = strdup(s);
	char **items;

	if (copy == NULL)
		return -1;
	items = realloc(list->items, (list->count + 1) * sizeof(*items));
	if (items == NULL) {
		free(copy);
		return -1;
	}
	items[list->count++] = copy;
	list->items = items;
	return 0;
}

int
strlist_contains(const struct strlist *list, const char *s)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i], s) == 0)
			return 1;
	return 0;
}

void
strlist_clear(struct strlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}
