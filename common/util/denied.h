/*
 * denied.h - what keeps a user other than root out of a path, and the
 * command, run as root, that lets it in (internal).
 *
 * "Permission denied" names neither the directory that is closed nor
 * what to change: a daemon's user (FreeRADIUS's freerad) that may not
 * enter revocation.cache_dir is told which directory and how to open it.
 */
#ifndef MTLS_DENIED_H
#define MTLS_DENIED_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the process may not read path, a directory when is_dir (then
 * it must also search it), or a directory on the way to it: true with why
 * saying "it may not search DIR; as root, run: chmod a+x DIR" for the
 * first such directory from the top, or "it may not read PATH; as root,
 * run: chmod a+rx PATH" (a+r for a file).  False, why untouched, when
 * access is not denied (the path may still be missing).
 */
bool denied(const char *path, bool is_dir, char *why, size_t whylen);

#endif /* MTLS_DENIED_H */
