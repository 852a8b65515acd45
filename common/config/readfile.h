/*
 * readfile.h - reading the files policy comes from (internal).
 *
 * Configuration, trust anchors, intermediates, CRLs and map files decide who
 * logs in.  When running as root, a file that someone other than root could
 * have written is refused: otherwise that someone decides who logs in.
 */
#ifndef MTLS_READFILE_H
#define MTLS_READFILE_H

#include <stddef.h>

/*
 * Read a whole regular file of at most max bytes into *data (allocated,
 * NUL-terminated, *len excludes the NUL).  Errors name the file.
 */
int read_file_bounded(const char *path, size_t max, unsigned char **data,
    size_t *len, char *err, size_t errlen);

/*
 * Open a regular file of at most max bytes for reading, under the rules of
 * read_file_bounded(); *size is its size when checked.  Errors name the
 * file.
 */
int file_open_trusted(const char *path, size_t max, int *fd, size_t *size,
    char *err, size_t errlen);

/*
 * When the effective user is root: fail unless path is owned by root and
 * not writable by group or others, and so is every directory it resolves
 * through, symbolic links followed (a directory with the sticky bit may be
 * writable by others), and every link on the way is root's (the owner of
 * a link in a sticky directory may re-point it).  Otherwise succeed.  read_file_bounded() applies
 * the same rule.
 */
int file_check_trusted(const char *path, char *err, size_t errlen);

/*
 * read_file_bounded() of the entry name of the directory dirfd, opened as
 * dir, which file_check_trusted() has accepted: the directories on the
 * way to the file are not checked again, only the file itself (a
 * directory of a thousand CAs would walk the same path a thousand times);
 * unless name is a symbolic link, whose whole way is checked.
 */
int read_file_in_dir(int dirfd, const char *dir, const char *name,
    size_t max, unsigned char **data, size_t *len, char *err, size_t errlen);

/*
 * Read fd, just opened as path, whole and close it: a regular file of at
 * most max bytes, under the rules of read_file_bounded() for the file
 * itself (not the directories on its way: the caller has opened it
 * within one it checked).
 */
int read_fd_bounded(int fd, const char *path, size_t max,
    unsigned char **data, size_t *len, char *err, size_t errlen);

#endif /* MTLS_READFILE_H */
