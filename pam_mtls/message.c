#include "message.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

/* Module data of the handle: present and not NULL under PAM_SILENT. */
static const char silent_key[] = "pam_mtls_silent";

void
message_set_silent(pam_handle_t *pamh, int flags)
{
	(void)pam_set_data(pamh, silent_key, (flags & PAM_SILENT) ?
	    (void *)silent_key : NULL, NULL);
}

static int
silent(pam_handle_t *pamh)
{
	const void *data = NULL;

	return pam_get_data(pamh, silent_key, &data) == PAM_SUCCESS &&
	    data != NULL;
}

static void tell(pam_handle_t *, int, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
tell(pam_handle_t *pamh, int style, const char *fmt, va_list ap)
{
	if (silent(pamh))
		return;
	if (pam_vprompt(pamh, style, NULL, fmt, ap) != PAM_SUCCESS)
		pam_syslog(pamh, LOG_NOTICE, "the application could not show "
		    "the user a message");
}

void
message_error(pam_handle_t *pamh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tell(pamh, PAM_ERROR_MSG, fmt, ap);
	va_end(ap);
}

void
message_not_set_up(pam_handle_t *pamh)
{
	message_error(pamh, "Certificate logins are not set up correctly "
	    "here; tell your administrator.");
}

void
message_info(pam_handle_t *pamh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tell(pamh, PAM_TEXT_INFO, fmt, ap);
	va_end(ap);
}

int
message_ask_secret(pam_handle_t *pamh, const char *prompt, char *buf,
    size_t size)
{
	char *answer = NULL;
	size_t len;
	int rc;

	rc = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, &answer, "%s", prompt);
	if (rc != PAM_SUCCESS || answer == NULL) {
		free(answer);
		return PAM_CONV_ERR;
	}
	len = strlen(answer);
	if (len < size)
		memcpy(buf, answer, len + 1);
	explicit_bzero(answer, len);
	free(answer);
	return len < size ? PAM_SUCCESS : PAM_AUTHTOK_ERR;
}

void
message_printable(char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s > 0x7e)
			*s = '?';
}
