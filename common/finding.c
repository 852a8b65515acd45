#include "finding.h"

#include <stdarg.h>
#include <stdio.h>

#include <gnutls/gnutls.h>

int
finding_set(struct finding *f, enum mtls_reason reason, const char *fmt, ...)
{
	va_list ap;

	f->reason = reason;
	f->depth = -1;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return -1;
}

int
finding_gnutls_memory(struct finding *f, int ret, const char *part,
    const char *what, const char *name)
{
	if (ret != GNUTLS_E_MEMORY_ERROR)
		return 0;
	return finding_set(f, MTLS_R_INTERNAL, "out of memory reading %s of "
	    "%s '%s'", part, what, name);
}

int
finding_at(struct finding *f, size_t depth)
{
	if (f->depth < 0)
		f->depth = (int)depth;
	return -1;
}
