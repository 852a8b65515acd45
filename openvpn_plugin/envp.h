/*
 * envp.h - reading OpenVPN's environment array ("name=value" strings).
 */
#ifndef OVPN_ENVP_H
#define OVPN_ENVP_H

/* The value of name, or NULL.  The string belongs to OpenVPN's call. */
const char	*envp_get(const char *const *envp, const char *name);

/*
 * The client's address as "ip:port" for audit lines, written into buf
 * ("unknown" when OpenVPN gave none).
 */
const char	*envp_client_address(const char *const *envp, char *buf,
		    size_t len);

#endif
