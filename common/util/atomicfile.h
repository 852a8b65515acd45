/*
 * atomicfile.h - replacing a file other processes read (internal).
 *
 * The CRL index and the OCSP cache are read by every login while they are
 * rewritten.  The new contents go to a temporary file in the same
 * directory, are synced, and are renamed over the old file: a reader opens
 * the old file or the new one, whole, never a mix, even across a crash.
 */
#ifndef MTLS_ATOMICFILE_H
#define MTLS_ATOMICFILE_H

#include <stddef.h>

struct atomicfile_part {
	const void *data;
	size_t len;
};

/*
 * Write the parts, one after another, as path (mode 0644), then sync the
 * directory so that the rename lasts.  The temporary file is named
 * ".<name>.XXXXXX", which directory readers pass over.  -1 with err set,
 * naming the file, on failure; the temporary file is then removed and
 * path left as it was.
 */
int atomicfile_write(const char *path, const struct atomicfile_part *parts,
    size_t nparts, char *err, size_t errlen);

#endif /* MTLS_ATOMICFILE_H */
