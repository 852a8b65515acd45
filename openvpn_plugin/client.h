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
 * One client context serves every TLS session of an OpenVPN client, and
 * these may overlap: a renegotiation, or a new session the client starts
 * from the same address while the old one still carries its traffic, can
 * run its TLS_VERIFY between another session's TLS_VERIFY and password
 * step (and does so on purpose when a client sends someone else's
 * certificate, which TLS_VERIFY sees before the handshake proves the key).
 * OpenVPN tells a plugin nothing about which TLS session a call is of,
 * except for env common_name: set for the session at its TLS_VERIFY of
 * depth 0 and again at its password step.  So each verified chain is kept
 * under that session name, and a password step takes the one of its
 * session; when several sessions of that name left different chains, it
 * cannot tell which is its own, and is refused.
 *
 * What the password step judged is kept too, as the username, the
 * session name and the answer (given later, by a worker thread):
 * client-connect lets through at once only a connection whose username
 * and session a password step accepted (with auth-gen-token, OpenVPN
 * accepts its own token without calling the step, and the plugin checks
 * the connection there instead, on a worker thread too).  By then,
 * OpenVPN's username-as-common-name has renamed the session after the
 * username, so there a session named like the username may be of any
 * name before: client-connect asks about any session (a NULL name), and
 * different chains kept for any session are still refused.
 *
 * Only OpenVPN's own thread touches a client context; deferred checks get
 * copies, and share only answers (answer.h).
 */
#ifndef OVPN_CLIENT_H
#define OVPN_CLIENT_H

#include <stddef.h>

struct answer;

/* More CA certificates than any sane chain has are not kept. */
#define CERTS_MAX_CAS	8
/* Sessions of one client whose chains or judgements are kept: two
 * overlap in OpenVPN (a renegotiation and a new session); the oldest
 * beyond, of handshakes that died, are forgotten. */
#define CLIENT_MAX_PENDING	4

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

/* A chain that passed TLS_VERIFY, not yet used, and its session name. */
struct verified {
	struct certs	 certs;
	char		*session;
};

/* A password step's username and session name, and its answer. */
struct judged {
	char		*user;
	char		*session;
	struct answer	*answer;
};

struct client {
	struct certs	 handshake;	/* the chain under TLS_VERIFY */
	int		 last_depth;	/* of the last call, -1 before any */
	struct verified	 verified[CLIENT_MAX_PENDING];	/* oldest first */
	size_t		 nverified;
	int		 forgot;	/* a verified chain was pushed out */
	struct judged	 judged[CLIENT_MAX_PENDING];	/* oldest first */
	size_t		 njudged;
	struct answer	*connect;	/* client-connect's, while deferred */
};

struct client	*client_new(void);
void		 client_free(struct client *client);

/*
 * A certificate at depth (from tls-export-cert's file) of the chain under
 * TLS_VERIFY; the first call of a chain forgets what an earlier chain
 * left unverified.  Returns -1 when memory ran out.
 */
int	client_add_cert(struct client *client, int depth, const char *pem,
	    size_t len);

/*
 * The chain passed TLS_VERIFY in the TLS session named session (env
 * common_name): keep it for that session's password step.  -1 when
 * memory ran out.
 */
int	client_handshake_verified(struct client *client, const char *session,
	    int network_owed);

#define CLIENT_NO_CHAIN		(-1)
#define CLIENT_AMBIGUOUS	(-2)
/*
 * Move the verified chain of the session named session (NULL: of any
 * session) into out: 0, or (leaving out empty) CLIENT_NO_CHAIN when none
 * is kept for it, CLIENT_AMBIGUOUS when different chains are kept under
 * that name, or, for any session, when a chain was pushed out (by the
 * chains of handshakes that died, which a client can make with anyone's
 * certificate: what is left need not be its own).
 */
int	client_take_verified(struct client *client, const char *session,
	    struct certs *out);

/* The password step judges user of the session named session; its answer
 * will be given to answer, which the client holds too.  -1 when memory
 * ran out. */
int	client_judged(struct client *client, const char *user,
	    const char *session, struct answer *answer);

/* Whether a password step accepted user in the session named session
 * (NULL: in any session). */
int	client_accepted(const struct client *client, const char *user,
	    const char *session);

#endif
