#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

int
atomicfile_write(const char *path, const struct atomicfile_part *parts,
    size_t nparts, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	/* "dir/name" -> "dir", "/name" -> "/", "name" -> "." */
	int dirlen = slash == NULL || slash == path ? 1 : (int)(slash - path);
	char dir[4096], tmp[4096];
	int fd, ok = 1;

	if ((size_t)snprintf(dir, sizeof(dir), "%.*s", dirlen,
	    slash != NULL ? path : ".") >= sizeof(dir) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >=
	    sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "%s: cannot create a file beside it: %s",
		    path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; ok && i < nparts; i++)
		ok = write_all(fd, parts[i].data, parts[i].len) == 0;
	ok = ok && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (sync_dir(dir) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}
