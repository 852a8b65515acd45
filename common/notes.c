#include "notes.h"

#include <string.h>

void
notes_add(struct notes *notes, const char *text)
{
	if (text == NULL || notes->count == NOTES_MAX)
		return;
	for (size_t i = 0; i < notes->count; i++)
		if (strcmp(notes->text[i], text) == 0)
			return;
	notes->text[notes->count++] = text;
}
