#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Most symbolic links followed on the way to one file, as in the kernel. */
#define LINKS_MAX 40

/*
 * Root's, and nobody else may write it.  On the way to a file (sticky_ok),
 * a directory others may write is still safe with the sticky bit set:
 * they cannot rename or remove what root owns in it.
 */
static int
owned_by_root(const char *path, const struct stat *st, bool sticky_ok,
    char *err, size_t errlen)
{
	mode_t writable = st->st_mode & (S_IWGRP | S_IWOTH);

	if (st->st_uid != 0) {
		snprintf(err, errlen, "%s: owned by uid %u, not root; "
		    "chown root it", path, (unsigned)st->st_uid);
		return -1;
	}
	if (writable != 0 && !(sticky_ok && (st->st_mode & S_ISVTX))) {
		snprintf(err, errlen, "%s: writable by %s; chmod go-w it",
		    path, (writable & S_IWOTH) ? "everyone" : "its group");
		return -1;
	}
	return 0;
}

/* A directory on the way to file, as owned_by_root() judges it. */
static int
directory_owned_by_root(const char *dir, const char *file, char *err,
    size_t errlen)
{
	struct stat st;
	char why[512];

	if (stat(dir, &st) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (owned_by_root(dir, &st, true, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "%s (on the way to %s)", why, file);
	return -1;
}

/*
 * Every directory path passes through, links followed, must be root's:
 * whoever may rename entries in one can put another file, or a link to
 * any of root's files (a bundle of public CAs), where path leads.  The
 * last component, the file itself, is left to the caller.
 */
static int
directories_owned_by_root(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX] = "/", todo[PATH_MAX], next[PATH_MAX];
	char link[PATH_MAX];
	unsigned links = 0;
	struct stat st;
	const char *p;
	ssize_t n;
	int len;

	if (path[0] == '/')
		len = snprintf(todo, sizeof(todo), "%s", path);
	else if (getcwd(link, sizeof(link)) != NULL)
		len = snprintf(todo, sizeof(todo), "%s/%s", link, path);
	else
		goto failed;
	if (len >= (int)sizeof(todo))
		goto too_long;
	if (directory_owned_by_root(dir, path, err, errlen) != 0)
		return -1;
	for (p = todo;;) {
		size_t clen;
		bool last;

		p += strspn(p, "/");
		if (*p == '\0')
			return 0;
		clen = strcspn(p, "/");
		last = p[clen + strspn(p + clen, "/")] == '\0';
		if (clen == 1 && p[0] == '.') {
			p += clen;
			continue;
		}
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			/* dir is a real directory: its parent is textual */
			char *slash = strrchr(dir, '/');

			slash[slash == dir ? 1 : 0] = '\0';
			p += clen;
			continue;
		}
		if (snprintf(next, sizeof(next), "%s%s%.*s", dir,
		    strcmp(dir, "/") == 0 ? "" : "/", (int)clen, p) >=
		    (int)sizeof(next))
			goto too_long;
		if (lstat(next, &st) != 0)
			goto failed;
		if (S_ISLNK(st.st_mode)) {
			/* dir, which holds the link, was checked; but in a
			 * sticky directory others may write, whoever owns a
			 * link may re-point it.  The walk starts again from
			 * the top with what it names. */
			if (st.st_uid != 0) {
				snprintf(err, errlen, "%s: a symbolic link owned "
				    "by uid %u, not root, on the way to %s; "
				    "chown -h root it", next,
				    (unsigned)st.st_uid, path);
				return -1;
			}
			if (++links > LINKS_MAX) {
				errno = ELOOP;
				goto failed;
			}
			if ((n = readlink(next, link, sizeof(link) - 1)) < 0)
				goto failed;
			link[n] = '\0';
			if (snprintf(next, sizeof(next), "%s/%s%s",
			    link[0] == '/' ? "" : dir, link, p + clen) >=
			    (int)sizeof(next))
				goto too_long;
			memcpy(todo, next, sizeof(todo));
			snprintf(dir, sizeof(dir), "/");
			p = todo;
			continue;
		}
		if (last)
			return 0;
		if (directory_owned_by_root(next, path, err, errlen) != 0)
			return -1;
		memcpy(dir, next, sizeof(dir));
		p += clen;
	}
too_long:
	errno = ENAMETOOLONG;
failed:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -1;
}

static int
trusted_stat(const char *path, const struct stat *st, char *err,
    size_t errlen)
{
	if (geteuid() != 0)
		return 0;
	if (owned_by_root(path, st, false, err, errlen) != 0)
		return -1;
	return directories_owned_by_root(path, err, errlen);
}

int
file_check_trusted(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return trusted_stat(path, &st, err, errlen);
}

/*
 * fd, just opened as path: a regular file of at most max bytes, owned as
 * owned_by_root() wants when running as root, and when walk is set, so is
 * every directory on the way.  Closes fd on failure.
 */
static int
check_opened(int fd, const char *path, bool walk, size_t max, size_t *size,
    char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (walk ? trusted_stat(path, &st, err, errlen) != 0 :
	    geteuid() == 0 && owned_by_root(path, &st, false, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	return 0;
}

/* The size bytes of fd, read whole and closed, as read_file_bounded(). */
static int
read_opened(int fd, const char *path, size_t size, unsigned char **data,
    size_t *len, char *err, size_t errlen)
{
	unsigned char *buf = malloc(size + 1);
	size_t got = 0;

	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", path,
			    n < 0 ? strerror(errno) : "file shrank while read");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

/* non-blocking: a FIFO would wait for a writer before the type check;
 * reads of a regular file are not affected */
#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

int
file_open_trusted(const char *path, size_t max, int *fdp, size_t *size,
    char *err, size_t errlen)
{
	int fd = open(path, OPEN_FLAGS);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (check_opened(fd, path, true, max, size, err, errlen) != 0)
		return -1;
	*fdp = fd;
	return 0;
}

int
read_file_bounded(const char *path, size_t max, unsigned char **data,
    size_t *len, char *err, size_t errlen)
{
	size_t size;
	int fd;

	if (file_open_trusted(path, max, &fd, &size, err, errlen) != 0)
		return -1;
	return read_opened(fd, path, size, data, len, err, errlen);
}

int
read_fd_bounded(int fd, const char *path, size_t max, unsigned char **data,
    size_t *len, char *err, size_t errlen)
{
	size_t size;

	if (check_opened(fd, path, false, max, &size, err, errlen) != 0)
		return -1;
	return read_opened(fd, path, size, data, len, err, errlen);
}

int
read_file_in_dir(int dirfd, const char *dir, const char *name, size_t max,
    unsigned char **data, size_t *len, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		snprintf(err, errlen, "%s/%s: %s", dir, name,
		    strerror(ENAMETOOLONG));
		return -1;
	}
	fd = openat(dirfd, name, OPEN_FLAGS | O_NOFOLLOW);
	if (fd < 0 && errno == ELOOP)
		/* a link may lead anywhere: every step of its way is
		 * checked */
		return read_file_bounded(path, max, data, len, err, errlen);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return read_fd_bounded(fd, path, max, data, len, err, errlen);
}
