#include <stdlib.h>
#include <string.h>

#include "answer.h"
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

static int
blob_equal(const struct blob *a, const struct blob *b)
{
	return a->len == b->len && (a->len == 0 ||
	    memcmp(a->data, b->data, a->len) == 0);
}

void
certs_clear(struct certs *certs)
{
	blob_clear(&certs->leaf);
	for (size_t i = 0; i < certs->ncas; i++)
		blob_clear(&certs->cas[i]);
	memset(certs, 0, sizeof(*certs));
}

static int
certs_equal(const struct certs *a, const struct certs *b)
{
	if (!blob_equal(&a->leaf, &b->leaf) || a->ncas != b->ncas)
		return 0;
	for (size_t i = 0; i < a->ncas; i++)
		if (!blob_equal(&a->cas[i], &b->cas[i]))
			return 0;
	return 1;
}

static void
verified_clear(struct verified *v)
{
	certs_clear(&v->certs);
	free(v->session);
	v->session = NULL;
}

static void
judged_clear(struct judged *j)
{
	free(j->user);
	free(j->session);
	answer_release(j->answer);
	memset(j, 0, sizeof(*j));
}

/* Remove entry i of an array of n, keeping the order (oldest first). */
#define REMOVE_AT(array, n, i) do {					\
	memmove(&(array)[(i)], &(array)[(i) + 1],			\
	    ((n) - (i) - 1) * sizeof((array)[0]));			\
	(n)--;								\
} while (0)

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
	for (size_t i = 0; i < client->nverified; i++)
		verified_clear(&client->verified[i]);
	for (size_t i = 0; i < client->njudged; i++)
		judged_clear(&client->judged[i]);
	answer_release(client->connect);
	free(client);
}

int
client_add_cert(struct client *client, int depth, const char *pem,
    size_t len)
{
	struct certs *hs = &client->handshake;

	/*
	 * OpenVPN calls once per depth, deepest first, all of one chain in
	 * one go (OpenSSL verifies a chain at once).  A call after depth 0,
	 * or at a depth not below the last one, starts a new chain.
	 */
	if (client->last_depth == 0 || depth >= client->last_depth)
		certs_clear(hs);
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

int
client_handshake_verified(struct client *client, const char *session,
    int network_owed)
{
	struct verified *v;
	char *name;

	if ((name = strdup(session != NULL ? session : "")) == NULL)
		return -1;
	if (client->nverified == CLIENT_MAX_PENDING) {
		verified_clear(&client->verified[0]);
		REMOVE_AT(client->verified, client->nverified, 0);
		client->forgot = 1;
	}
	v = &client->verified[client->nverified++];
	v->certs = client->handshake;
	v->certs.network_owed = network_owed;
	v->session = name;
	memset(&client->handshake, 0, sizeof(client->handshake));
	return 0;
}

int
client_take_verified(struct client *client, const char *session,
    struct certs *out)
{
	size_t i, found = client->nverified;

	memset(out, 0, sizeof(*out));
	if (session == NULL && client->forgot)
		return CLIENT_AMBIGUOUS;
	for (i = 0; i < client->nverified; i++) {
		if (session != NULL &&
		    strcmp(client->verified[i].session, session) != 0)
			continue;
		if (found == client->nverified)
			found = i;
		else if (!certs_equal(&client->verified[found].certs,
		    &client->verified[i].certs))
			return CLIENT_AMBIGUOUS;
	}
	if (found == client->nverified)
		return CLIENT_NO_CHAIN;
	*out = client->verified[found].certs;
	free(client->verified[found].session);
	REMOVE_AT(client->verified, client->nverified, found);
	return 0;
}

int
client_judged(struct client *client, const char *user, const char *session,
    struct answer *answer)
{
	struct judged j;

	j.user = strdup(user);
	j.session = strdup(session != NULL ? session : "");
	j.answer = NULL;
	if (j.user == NULL || j.session == NULL) {
		judged_clear(&j);
		return -1;
	}
	j.answer = answer_hold(answer);
	if (client->njudged == CLIENT_MAX_PENDING) {
		judged_clear(&client->judged[0]);
		REMOVE_AT(client->judged, client->njudged, 0);
	}
	client->judged[client->njudged++] = j;
	return 0;
}

int
client_accepted(const struct client *client, const char *user,
    const char *session)
{
	const struct judged *j;

	if (user == NULL)
		return 0;
	for (size_t i = 0; i < client->njudged; i++) {
		j = &client->judged[i];
		if (strcmp(j->user, user) == 0 && (session == NULL ||
		    strcmp(j->session, session) == 0) &&
		    answer_get(j->answer) == ANSWER_ACCEPTED)
			return 1;
	}
	return 0;
}
