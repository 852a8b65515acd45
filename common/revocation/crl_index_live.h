/*
 * crl_index_live.h - the published CRL index as a long-running process
 * sees it (internal).
 *
 * A mapped index is a snapshot: a process that verifies for days (the
 * OpenVPN plugin) would keep answering from the CRLs of its start, and a
 * certificate revoked since would keep working there.  So a verification
 * asks whether "mtls crl update" has replaced the index (one stat()), at
 * most once a second (crl_index_live.c says why), and if so maps the new
 * one; verifications still reading the old one finish with it before it
 * is unmapped.
 */
#ifndef MTLS_CRL_INDEX_LIVE_H
#define MTLS_CRL_INDEX_LIVE_H

#include <stddef.h>

#include "crl_index.h"

struct crl_index_live;
/* One verification's hold on an index. */
struct crl_index_hold;

/* Open dir as crl_index_open() does; errors as it reports them. */
int crl_index_live_open(const char *dir, struct crl_index_live **out,
    char *err, size_t errlen);
void crl_index_live_close(struct crl_index_live *live);

/*
 * The current index, reopened first if an update replaced it and the
 * last look is a second old (a new index that fails to open is passed
 * over until the next look: the last one that opened stays in use, and
 * its nextUpdate still makes it stale in time).  Safe from
 * several threads; every hold must be released.
 */
struct crl_index_hold *crl_index_live_hold(struct crl_index_live *live);
const struct crl_index *crl_index_held(const struct crl_index_hold *hold);
void crl_index_live_release(struct crl_index_live *live,
    struct crl_index_hold *hold);

#endif /* MTLS_CRL_INDEX_LIVE_H */
