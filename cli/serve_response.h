/*
 * serve_response.h - the HTTP response of mtls serve's answer to a
 * request (serve.h), on libmicrohttpd.
 */
#ifndef MTLS_CLI_SERVE_RESPONSE_H
#define MTLS_CLI_SERVE_RESPONSE_H

#include "serve_mhd.h"

struct serve_answer;

/*
 * Queue on conn the response of answer: its status, X-Mtls-Reason, and
 * X-Mtls-User when it names a user.  MHD_NO when it could not be made.
 */
enum MHD_Result serve_response_queue(struct MHD_Connection *conn,
    const struct serve_answer *answer);

#endif /* MTLS_CLI_SERVE_RESPONSE_H */
