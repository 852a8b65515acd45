/*
 * filemap.h - mapping an index file whole, read-only (internal).
 *
 * The CRL and map indexes are mapped, so that a lookup in a fresh process
 * reads only the pages it uses.  Their files are only ever replaced by
 * rename, never rewritten in place, so a mapping stays valid while used.
 */
#ifndef MTLS_FILEMAP_H
#define MTLS_FILEMAP_H

#include <stddef.h>

/*
 * Map the regular file at path, not a symbolic link (an index is only
 * ever a file renamed there), without waiting on a FIFO.  0 with *map and
 * *size set (munmap() it); 1 when it is shorter than min bytes (nothing
 * mapped); -1 with err naming the file.
 */
int filemap_open(const char *path, size_t min, unsigned char **map,
    size_t *size, char *err, size_t errlen);

#endif /* MTLS_FILEMAP_H */
