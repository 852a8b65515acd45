#include "kept.h"

#include <stdlib.h>
#include <string.h>

/* The pam_set_data name; other modules' names cannot clash with it. */
#define KEPT_NAME	"pam_mtls_verified_certificate"

/* Called by Linux-PAM at pam_end or when the data is replaced. */
static void
kept_free(pam_handle_t *pamh, void *data, int error_status)
{
	struct kept *kept = data;

	(void)pamh;
	(void)error_status;
	peer_clear(&kept->peer);
	free(kept->user);
	free(kept);
}

int
kept_store(pam_handle_t *pamh, const struct peer *peer, const char *user)
{
	struct kept *kept;
	int rc;

	if ((kept = calloc(1, sizeof(*kept))) == NULL)
		return PAM_BUF_ERR;
	if (peer_copy(&kept->peer, peer) == -1 ||
	    (kept->user = strdup(user)) == NULL) {
		kept_free(pamh, kept, 0);
		return PAM_BUF_ERR;
	}
	if ((rc = pam_set_data(pamh, KEPT_NAME, kept, kept_free)) !=
	    PAM_SUCCESS)
		kept_free(pamh, kept, 0);
	return rc;
}

const struct kept *
kept_fetch(pam_handle_t *pamh)
{
	const void *data = NULL;

	if (pam_get_data(pamh, KEPT_NAME, &data) != PAM_SUCCESS)
		return NULL;
	return data;
}
