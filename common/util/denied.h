/*
 * denied.h - what keeps a user other than root out of a path, and the
 * command, run as root, that lets it in (internal).
 *
 * "Permission denied" names neither the directory that is closed nor
 * what to change: a daemon's user (FreeRADIUS's freerad) that may not
 * enter revocation.cache_dir, or read a file of the CRL index or the map
 * file, is told which directory or file, and how to open it.
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

/*
 * denied() said for the process's user: true with why saying "WHAT PATH
 * is closed to uid N: it may not ...; as root, run: ..." (what names the
 * file or directory, "the map file"), the command left out rather than
 * cut (shellword_message()); false, why untouched, when access is not
 * denied.  For the error of an open that failed: it replaces a bare
 * "Permission denied".
 */
bool denied_message(const char *what, const char *path, bool is_dir,
    char *why, size_t whylen);

/*
 * denied_message(), with then (a command, or NULL) run after the chmod
 * when it is path itself that is closed: "chmod a+r PATH && THEN".  A
 * chmod changes the file's change time, which what was made from the
 * file may be keyed on (the map file's index); one of a directory above
 * it changes nothing of the file.
 */
bool denied_message_then(const char *what, const char *path, bool is_dir,
    const char *then, char *why, size_t whylen);

#endif /* MTLS_DENIED_H */
