/*
 * client.h - what the plugin keeps per OpenVPN client.
 *
 * TLS_VERIFY sees the certificates (CA first, client certificate last) but
 * no username; AUTH_USER_PASS_VERIFY sees the username and password but no
 * certificate.  The client context carries the chain that passed TLS_VERIFY
 * over to the password step, once: a password step that finds none (a
 * client without a certificate under verify-client-cert optional or none,
 * or a second use of one handshake's certificate) fails closed.
 *
 * The username the password step was last given with such a chain is kept
 * too: client-connect lets through only a connection whose username that
 * step judged (with auth-gen-token, OpenVPN accepts its own token without
 * calling the step, and the plugin checks the username there instead).
 *
 * Only OpenVPN's own thread touches a client context; deferred checks get
 * copies.
 */
#ifndef OVPN_CLIENT_H
#define OVPN_CLIENT_H

#include <stddef.h>

/* More CA certificates than any sane chain has are not kept. */
#define CERTS_MAX_CAS	8

struct blob {
	char	*data;
	size_t	 len;
};

/* A client certificate and the CA certificates above it (PEM). */
struct certs {
	struct blob	 leaf;
	struct blob	 cas[CERTS_MAX_CAS];
	size_t		 ncas;
	int		 network_owed;	/* offline checks left OCSP to do */
};

void	certs_clear(struct certs *certs);

struct client {
	struct certs	 handshake;	/* the handshake under way */
	int		 last_depth;	/* of the last call, -1 before any */
	struct certs	 verified;	/* passed TLS_VERIFY, not yet used */
	int		 have_verified;
	char		*auth_user;	/* given to the password step, or NULL */
};

struct client	*client_new(void);
void		 client_free(struct client *client);

/*
 * A certificate at depth (from tls-export-cert's file) of the handshake
 * under way; the first call of a handshake forgets what an earlier one
 * left, verified or not, and the username judged with it.  Returns -1
 * when memory ran out.
 */
int	client_add_cert(struct client *client, int depth, const char *pem,
	    size_t len);

/* The handshake's chain passed TLS_VERIFY: keep it for the password step. */
void	client_handshake_verified(struct client *client, int network_owed);

/*
 * Move the verified chain into out.  Returns -1, leaving out empty, when
 * no chain passed TLS_VERIFY since the last call.
 */
int	client_take_verified(struct client *client, struct certs *out);

/* The password step judges user with this connection's chain; -1 when
 * memory ran out. */
int	client_set_auth_user(struct client *client, const char *user);

/* Whether the password step judged user for this connection. */
int	client_auth_user_is(const struct client *client, const char *user);

#endif
