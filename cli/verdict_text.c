#include "verdict_text.h"

#include "mtls.h"

void
verdict_print_text(FILE *out, const struct mtls_verdict *v)
{
	const char *subject = mtls_verdict_subject(v);
	const char *user = mtls_verdict_user(v);
	const char *policy = mtls_verdict_policy(v);

	if (!mtls_verdict_accepted(v)) {
		fprintf(out, "rejected: %s: %s\n",
		    mtls_reason_name(mtls_verdict_reason(v)),
		    mtls_verdict_explanation(v));
		return;
	}
	fprintf(out, "accepted: %s", subject != NULL ? subject :
	    "(no subject)");
	if (user != NULL)
		fprintf(out, " (user %s)", user);
	fputc('\n', out);
	if (policy != NULL)
		fprintf(out, "policy: %s\n", policy);
	for (size_t i = 0; i < mtls_verdict_note_count(v); i++)
		fprintf(out, "note: %s\n", mtls_verdict_note_at(v, i));
}
