#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth_files.h"
#include "envp.h"
#include "log.h"

int
auth_files_copy(struct auth_files *files, const char *const *envp)
{
	const char *control, *reason;

	files->control = files->reason = NULL;
	if ((control = envp_get(envp, "auth_control_file")) == NULL)
		return -1;
	reason = envp_get(envp, "auth_failed_reason_file");
	if ((files->control = strdup(control)) == NULL ||
	    (reason != NULL && (files->reason = strdup(reason)) == NULL)) {
		auth_files_free(files);
		return -1;
	}
	return 0;
}

void
auth_files_free(struct auth_files *files)
{
	free(files->control);
	free(files->reason);
	files->control = files->reason = NULL;
}

/*
 * Into a file OpenVPN made for this answer, never a new one: once OpenVPN
 * gave up on the client (its hand-window passed, or it went away), it
 * removed both files, and an answer that comes later would otherwise
 * leave a file in its tmp-dir, or write into whatever another user of a
 * shared tmp-dir put at that name since; nor is a FIFO there waited on.
 */
static int
write_all(const char *path, int flags, const char *data, size_t len)
{
	int fd, saved;
	ssize_t n;

	if ((fd = open(path, flags | O_WRONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	while (len > 0) {
		if ((n = write(fd, data, len)) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd);
}

/* The client shows the text after "AUTH_FAILED,": one line, no controls. */
static void
one_line(char *text)
{
	for (; *text != '\0'; text++)
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			*text = ' ';
}

void
auth_files_answer(const struct auth_files *files, int accepted,
    const char *reason, const struct logger *log)
{
	if (!accepted && reason != NULL && files->reason != NULL) {
		char *line = strdup(reason);

		if (line != NULL) {
			one_line(line);
			if (write_all(files->reason, O_TRUNC, line,
			    strlen(line)) != 0)
				logf_line(log, 1, "cannot write the reason "
				    "into %s: %s", files->reason,
				    strerror(errno));
			free(line);
		}
	}
	if (write_all(files->control, 0, accepted ? "1" : "0", 1) != 0)
		logf_line(log, 1, "cannot write the answer into %s: %s",
		    files->control, strerror(errno));
}
