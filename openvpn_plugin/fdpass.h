/*
 * fdpass.h - passing a file descriptor over a Unix socket (SCM_RIGHTS),
 * one per message of one byte.
 */
#ifndef OVPN_FDPASS_H
#define OVPN_FDPASS_H

/* Send fd over sock; 0, or -1 with errno. */
int	fdpass_send(int sock, int fd);
/* The next file descriptor from sock (close-on-exec), or -1 at its end
 * or on an error. */
int	fdpass_receive(int sock);

#endif
