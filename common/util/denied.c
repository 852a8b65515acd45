#include "denied.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shellword.h"

static bool
closed(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS) != 0 &&
	    errno == EACCES;
}

/* denied(), then: what to run after a chmod of path itself, or NULL. */
static bool
denied_then(const char *path, bool is_dir, const char *then, char *why,
    size_t whylen)
{
	char dir[4096], word[SHELLWORD_MAX];

	if (!closed(path, is_dir ? R_OK | X_OK : R_OK))
		return false;
	for (const char *p = path; (p = strchr(p, '/')) != NULL; p++) {
		if (p == path || (size_t)(p - path) >= sizeof(dir))
			continue;
		snprintf(dir, sizeof(dir), "%.*s", (int)(p - path), path);
		if (closed(dir, X_OK)) {
			shellword_message(why, whylen, "it may not search %s; "
			    "as root, run: chmod a+x %s", dir,
			    shellword(dir, word, sizeof(word)));
			return true;
		}
	}
	shellword_message(why, whylen, "it may not read %s; as root, run: "
	    "chmod %s %s%s%s", path, is_dir ? "a+rx" : "a+r",
	    shellword(path, word, sizeof(word)), then != NULL ? " && " : "",
	    then != NULL ? then : "");
	return true;
}

bool
denied(const char *path, bool is_dir, char *why, size_t whylen)
{
	return denied_then(path, is_dir, NULL, why, whylen);
}

bool
denied_message(const char *what, const char *path, bool is_dir, char *why,
    size_t whylen)
{
	return denied_message_then(what, path, is_dir, NULL, why, whylen);
}

bool
denied_message_then(const char *what, const char *path, bool is_dir,
    const char *then, char *why, size_t whylen)
{
	char closed[SHELLWORD_MAX + 256];

	if (!denied_then(path, is_dir, then, closed, sizeof(closed)))
		return false;
	shellword_message(why, whylen, "%s %s is closed to uid %u: %s", what,
	    path, (unsigned)geteuid(), closed);
	return true;
}
