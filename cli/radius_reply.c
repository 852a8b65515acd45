/*
 * radius_reply.c - the Access-Accept's attributes for an accepted user,
 * from the first radius.reply rule that holds, printed the way rlm_exec
 * reads a program's output (output_pairs = reply).
 */
#include "radius.h"

#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <string.h>

#include "mtls.h"

static bool
in_list(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* user is a member of group, or has it as primary group (NSS knows). */
static bool
in_group(const char *group, const char *user)
{
	struct group *gr = getgrnam(group);
	struct passwd *pw;

	if (gr == NULL)
		return false;
	for (char **m = gr->gr_mem; *m != NULL; m++)
		if (strcmp(*m, user) == 0)
			return true;
	pw = getpwnam(user);
	return pw != NULL && pw->pw_gid == gr->gr_gid;
}

static bool
rule_holds(const struct mtls_radius_rule *r, const struct mtls_verdict *v)
{
	const char *user = mtls_verdict_user(v);
	const char *issuer = mtls_verdict_issuer(v);
	bool member = false;

	if (user == NULL)
		return false;
	if (r->nusers > 0 && !in_list(r->users, r->nusers, user))
		return false;
	for (size_t i = 0; i < r->ngroups && !member; i++)
		member = in_group(r->groups[i], user);
	if (r->ngroups > 0 && !member)
		return false;
	return r->issuer == NULL ||
	    (issuer != NULL && strcmp(r->issuer, issuer) == 0);
}

/* A string as FreeRADIUS reads it in double quotes. */
static void
print_quoted(FILE *out, const char *value)
{
	fputc('"', out);
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

void
radius_reply_print(FILE *out, const struct mtls_config *cfg,
    const struct mtls_verdict *v)
{
	const struct mtls_radius_rule *r;

	for (size_t i = 0; (r = mtls_config_radius_rule(cfg, i)) != NULL;
	    i++) {
		if (!rule_holds(r, v))
			continue;
		if (r->vlan != 0)
			/* RFC 3580, section 3.31: a VLAN is a tunnel */
			fprintf(out, "Tunnel-Type := VLAN\n"
			    "Tunnel-Medium-Type := IEEE-802\n"
			    "Tunnel-Private-Group-Id := \"%u\"\n", r->vlan);
		if (r->class_value != NULL) {
			fputs("Class := ", out);
			print_quoted(out, r->class_value);
			fputc('\n', out);
		}
		return;
	}
}
