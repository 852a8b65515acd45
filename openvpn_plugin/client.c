#include <stdlib.h>
#include <string.h>

#include "client.h"

static void
blob_clear(struct blob *blob)
{
	free(blob->data);
	blob->data = NULL;
	blob->len = 0;
}

static int
blob_set(struct blob *blob, const char *data, size_t len)
{
	char *copy;

	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, data, len);
	copy[len] = '\0';
	blob_clear(blob);
	blob->data = copy;
	blob->len = len;
	return 0;
}

void
certs_clear(struct certs *certs)
{
	blob_clear(&certs->leaf);
	for (size_t i = 0; i < certs->ncas; i++)
		blob_clear(&certs->cas[i]);
	memset(certs, 0, sizeof(*certs));
}

struct client *
client_new(void)
{
	struct client *client;

	if ((client = calloc(1, sizeof(*client))) != NULL)
		client->last_depth = -1;
	return client;
}

void
client_free(struct client *client)
{
	if (client == NULL)
		return;
	certs_clear(&client->handshake);
	certs_clear(&client->verified);
	free(client->auth_user);
	free(client);
}

int
client_add_cert(struct client *client, int depth, const char *pem,
    size_t len)
{
	struct certs *hs = &client->handshake;

	/*
	 * OpenVPN calls once per depth, deepest first.  A call after depth 0,
	 * or at a depth not below the last one, starts a new handshake
	 * (renegotiation, or a client that tried again): nothing of the old
	 * one may count for it, nor the username judged with it.
	 */
	if (client->last_depth == 0 || depth >= client->last_depth) {
		certs_clear(hs);
		certs_clear(&client->verified);
		client->have_verified = 0;
		free(client->auth_user);
		client->auth_user = NULL;
	}
	client->last_depth = depth;
	if (depth == 0)
		return blob_set(&hs->leaf, pem, len);
	if (hs->ncas == CERTS_MAX_CAS)
		return 0;
	if (blob_set(&hs->cas[hs->ncas], pem, len) != 0)
		return -1;
	hs->ncas++;
	return 0;
}

void
client_handshake_verified(struct client *client, int network_owed)
{
	certs_clear(&client->verified);
	client->verified = client->handshake;
	client->verified.network_owed = network_owed;
	memset(&client->handshake, 0, sizeof(client->handshake));
	client->have_verified = 1;
}

int
client_take_verified(struct client *client, struct certs *out)
{
	memset(out, 0, sizeof(*out));
	if (!client->have_verified)
		return -1;
	*out = client->verified;
	memset(&client->verified, 0, sizeof(client->verified));
	client->have_verified = 0;
	return 0;
}

int
client_set_auth_user(struct client *client, const char *user)
{
	char *copy;

	if ((copy = strdup(user)) == NULL)
		return -1;
	free(client->auth_user);
	client->auth_user = copy;
	return 0;
}

int
client_auth_user_is(const struct client *client, const char *user)
{
	return client->auth_user != NULL && user != NULL &&
	    strcmp(client->auth_user, user) == 0;
}
