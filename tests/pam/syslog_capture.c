/*
 * syslog_capture.c - an LD_PRELOAD library for the PAM tests: what the
 * process sends to syslog is appended, one line each, to the file named
 * by MTLS_TEST_SYSLOG, so that a test can assert what pam_mtls logged
 * (no syslog daemon needs to run, and nothing reaches the machine's log).
 */
#define _GNU_SOURCE	/* vdprintf */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

void __syslog_chk(int priority, int flag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

void
vsyslog(int priority, const char *fmt, va_list ap)
{
	const char *path = getenv("MTLS_TEST_SYSLOG");
	int fd;

	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return;
	dprintf(fd, "<%d> ", priority);
	vdprintf(fd, fmt, ap);
	dprintf(fd, "\n");
	close(fd);
}

void
syslog(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

void
__vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	vsyslog(priority, fmt, ap);
}

void
__syslog_chk(int priority, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

void
openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	(void)facility;
}

void
closelog(void)
{
}
