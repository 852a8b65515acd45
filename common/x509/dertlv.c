#include "dertlv.h"

#include <limits.h>

#include <libtasn1.h>

int
dertlv_next(const unsigned char **p, const unsigned char *end,
    struct dertlv *out)
{
	const unsigned char *at = *p;
	size_t avail = (size_t)(end - at);
	int len_len, minimal;
	long len;

	/* the high tag number form (low bits all set) is not walked */
	if (avail < 2 || (at[0] & 0x1f) == 0x1f)
		return -1;
	len = asn1_get_length_der(at + 1, avail - 1 > INT_MAX ? INT_MAX :
	    (int)(avail - 1), &len_len);
	if (len < 0)
		return -1;
	asn1_length_der((unsigned long)len, NULL, &minimal);
	if (len_len != minimal)
		return -1;
	out->tag = at[0];
	out->start = at;
	out->content = at + 1 + len_len;
	out->len = (size_t)len;
	out->end = out->content + len;
	*p = out->end;
	return 0;
}

int
dertlv_expect(const unsigned char **p, const unsigned char *end,
    unsigned char tag, struct dertlv *out)
{
	const unsigned char *at = *p;

	if (dertlv_next(&at, end, out) != 0 || out->tag != tag)
		return -1;
	*p = at;
	return 0;
}

int
dertlv_enter(const unsigned char **p, const unsigned char **end,
    unsigned char tag)
{
	struct dertlv e;

	if (dertlv_expect(p, *end, tag, &e) != 0)
		return -1;
	*p = e.content;
	*end = e.end;
	return 0;
}
