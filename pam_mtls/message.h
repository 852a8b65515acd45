/*
 * message.h - what the person logging in sees and types, through the PAM
 * conversation.
 */
#ifndef PAM_MTLS_MESSAGE_H
#define PAM_MTLS_MESSAGE_H

#include <stddef.h>

#include <security/pam_modules.h>

/*
 * Whether the application passed PAM_SILENT to this call: then no message
 * is shown (the log still has every reason), while the PIN is still asked
 * for.  Kept with the handle, so that every message below follows it.
 */
void message_set_silent(pam_handle_t *pamh, int flags);

/*
 * One sentence the user can act on (PAM_ERROR_MSG).  A conversation that
 * fails is logged, not fatal: the PAM result already says what happened.
 */
void message_error(pam_handle_t *pamh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The sentence for a broken configuration: the user can do nothing but
 * tell the administrator, who finds the reason in the log.
 */
void message_not_set_up(pam_handle_t *pamh);

/* Information, such as "enter your PIN on the reader" (PAM_TEXT_INFO). */
void message_info(pam_handle_t *pamh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Ask for a secret with echo off and copy the answer into buf (NUL
 * terminated); the conversation's own copy is wiped and freed.  Returns
 * PAM_SUCCESS, PAM_CONV_ERR when the conversation failed or gave no
 * answer, or PAM_AUTHTOK_ERR when the answer does not fit.
 */
int message_ask_secret(pam_handle_t *pamh, const char *prompt, char *buf,
    size_t size);

/*
 * Replace what is not printable ASCII in s, such as a token's label,
 * which goes into logs and prompts: whatever the token says, it stays one
 * readable line.
 */
void message_printable(char *s);

#endif /* PAM_MTLS_MESSAGE_H */
