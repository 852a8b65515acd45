#include "ocsptime.h"

#include "dertime.h"
#include "dertlv.h"

#define DER_ENUMERATED 0x0a
#define DER_CONTEXT_1 0xa1
#define DER_CONTEXT_2 0xa2
#define DER_REVOKED DER_CONTEXT_1	/* certStatus revoked [1] IMPLICIT */

/*
 * SingleResponse ::= SEQUENCE { certID SEQUENCE, certStatus CHOICE {
 * good [0] IMPLICIT NULL, revoked [1] IMPLICIT SEQUENCE { revocationTime
 * GeneralizedTime, ... }, unknown [2] IMPLICIT NULL }, thisUpdate
 * GeneralizedTime, nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, ... }
 */
static int
check_single(const struct dertlv *single, char *err, size_t errlen)
{
	const unsigned char *p = single->content, *end = single->end, *q;
	struct dertlv e, status, t;

	if (dertlv_expect(&p, end, DER_SEQUENCE, &e) != 0 ||
	    dertlv_next(&p, end, &status) != 0)
		return 0;
	q = status.content;
	if (status.tag == DER_REVOKED &&
	    dertlv_next(&q, status.end, &t) == 0 &&
	    dertime_check("revocationTime", &t, err, errlen) != 0)
		return -1;
	if (dertlv_next(&p, end, &t) != 0)
		return 0;
	if (dertime_check("thisUpdate", &t, err, errlen) != 0)
		return -1;
	if (p < end && dertlv_next(&p, end, &e) == 0 &&
	    e.tag == DER_CONTEXT_0) {
		q = e.content;
		if (dertlv_next(&q, e.end, &t) != 0 || q != e.end)
			return 0;
		return dertime_check("nextUpdate", &t, err, errlen);
	}
	return 0;
}

/*
 * OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes
 * [0] EXPLICIT SEQUENCE { responseType OID, response OCTET STRING } }
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData SEQUENCE { version
 * [0] EXPLICIT OPTIONAL, responderID [1] or [2], producedAt
 * GeneralizedTime, responses SEQUENCE OF SingleResponse, ... }, ... }
 */
int
ocsptime_check(const unsigned char *der, size_t len, char *err,
    size_t errlen)
{
	const unsigned char *p = der, *end = der + len;
	struct dertlv e, t;

	if (dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_expect(&p, end, DER_ENUMERATED, &e) != 0 ||
	    dertlv_enter(&p, &end, DER_CONTEXT_0) != 0 ||
	    dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_expect(&p, end, DER_OID, &e) != 0 ||
	    dertlv_enter(&p, &end, DER_OCTET_STRING) != 0 ||
	    dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_enter(&p, &end, DER_SEQUENCE) != 0 ||
	    dertlv_next(&p, end, &e) != 0 ||
	    (e.tag == DER_CONTEXT_0 && dertlv_next(&p, end, &e) != 0) ||
	    (e.tag != DER_CONTEXT_1 && e.tag != DER_CONTEXT_2) ||
	    dertlv_next(&p, end, &t) != 0)
		return 0;
	if (dertime_check("producedAt", &t, err, errlen) != 0)
		return -1;
	if (dertlv_enter(&p, &end, DER_SEQUENCE) != 0)
		return 0;
	while (p < end) {
		if (dertlv_expect(&p, end, DER_SEQUENCE, &e) != 0)
			return 0;
		if (check_single(&e, err, errlen) != 0)
			return -1;
	}
	return 0;
}
