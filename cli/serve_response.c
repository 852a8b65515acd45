/*
 * The HTTP response of an answer, made once and given again: a web server
 * asks about the same clients again and again, and each response made
 * anew took a dozen allocations (the response, its two headers, their
 * names and values) and as many frees.  libmicrohttpd counts who holds a
 * response, so that one may be queued on any number of connections; each
 * thread keeps the response of the last answer it gave.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "serve_mhd.h"

#include "serve.h"
#include "serve_response.h"

/* The response of the last answer a thread gave, and that answer. */
struct kept {
	struct MHD_Response *response;	/* NULL: none yet */
	int status;
	const char *reason;		/* a reason's name: never freed */
	char *user;
};

static void
kept_clear(struct kept *k)
{
	if (k->response != NULL)
		serve_mhd.destroy_response(k->response);
	free(k->user);
	memset(k, 0, sizeof(*k));
}

static void
kept_free(void *arg)
{
	kept_clear(arg);
	free(arg);
}

static struct serve_local kept = SERVE_LOCAL(struct kept, kept_free);

static bool
same_answer(const struct kept *k, const struct serve_answer *answer)
{
	return k->response != NULL && k->status == answer->status &&
	    strcmp(k->reason, answer->reason) == 0 &&
	    (k->user == NULL ? answer->user == NULL :
	    answer->user != NULL && strcmp(k->user, answer->user) == 0);
}

/* A new response for answer; NULL when out of memory. */
static struct MHD_Response *
response_new(const struct serve_answer *answer)
{
	struct MHD_Response *response;

	response = serve_mhd.create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (response == NULL)
		return NULL;
	if (serve_mhd.add_response_header(response, "X-Mtls-Reason",
	    answer->reason) != MHD_YES ||
	    (answer->user != NULL && serve_mhd.add_response_header(response,
	    "X-Mtls-User", answer->user) != MHD_YES)) {
		/* no answer at all rather than an answer without its user */
		serve_mhd.destroy_response(response);
		return NULL;
	}
	return response;
}

enum MHD_Result
serve_response_queue(struct MHD_Connection *conn,
    const struct serve_answer *answer)
{
	struct kept *k = serve_local_get(&kept);
	struct MHD_Response *response;
	enum MHD_Result ret;

	if (k != NULL && same_answer(k, answer))
		return serve_mhd.queue_response(conn, answer->status,
		    k->response);
	if ((response = response_new(answer)) == NULL)
		return MHD_NO;
	ret = serve_mhd.queue_response(conn, answer->status, response);
	if (k != NULL)
		kept_clear(k);
	if (k == NULL || (answer->user != NULL &&
	    (k->user = strdup(answer->user)) == NULL)) {
		serve_mhd.destroy_response(response);
		return ret;
	}
	k->response = response;
	k->status = answer->status;
	k->reason = answer->reason;
	return ret;
}
