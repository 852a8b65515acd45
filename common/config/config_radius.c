/*
 * config_radius.c - the radius settings of a profile: how the EAP
 * identity relates to the user, and the reply rules, kept as the file
 * said them and handed out to "mtls radius" through mtls.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
config_radius_clear(struct mtls_radius *radius)
{
	for (size_t i = 0; i < radius->nrules; i++) {
		strlist_clear(&radius->rules[i].users);
		strlist_clear(&radius->rules[i].groups);
		free(radius->rules[i].issuer);
		free(radius->rules[i].class_value);
	}
	free(radius->rules);
	radius->rules = NULL;
	radius->nrules = 0;
}

struct radius_rule *
config_radius_add_rule(struct mtls_radius *radius)
{
	struct radius_rule *grown;

	grown = realloc(radius->rules, (radius->nrules + 1) * sizeof(*grown));
	if (grown == NULL)
		return NULL;
	radius->rules = grown;
	memset(&grown[radius->nrules], 0, sizeof(*grown));
	return &grown[radius->nrules++];
}

void
config_radius_seal(struct mtls_radius *radius)
{
	for (size_t i = 0; i < radius->nrules; i++) {
		struct radius_rule *r = &radius->rules[i];

		r->view.users = (const char *const *)r->users.items;
		r->view.nusers = r->users.count;
		r->view.groups = (const char *const *)r->groups.items;
		r->view.ngroups = r->groups.count;
		r->view.issuer = r->issuer;
		r->view.vlan = r->vlan;
		r->view.class_value = r->class_value;
	}
}

static void
describe_names(FILE *f, const char *what, const struct strlist *names)
{
	if (names->count == 0)
		return;
	fprintf(f, " %s", what);
	for (size_t i = 0; i < names->count; i++)
		fprintf(f, "%s %s", i > 0 ? "," : "", names->items[i]);
}

void
config_radius_describe(FILE *f, const struct mtls_radius *radius)
{
	if (radius->realm == MTLS_RADIUS_REALM_KEEP && radius->nrules == 0)
		return;	/* nothing set: nothing RADIUS-specific to say */
	fprintf(f, "RADIUS (radius): the EAP identity must be the user name%s"
	    "\n", radius->realm == MTLS_RADIUS_REALM_STRIP ?
	    ", once an \"@realm\" is taken off (realm = \"strip\")" :
	    " as it is (realm = \"keep\")");
	if (radius->nrules == 0)
		fprintf(f, "  no reply attributes (no reply rules)\n");
	for (size_t i = 0; i < radius->nrules; i++) {
		const struct radius_rule *r = &radius->rules[i];

		fprintf(f, "  reply rule %zu, for", i + 1);
		if (r->users.count == 0 && r->groups.count == 0 &&
		    r->issuer == NULL)
			fprintf(f, " everyone");
		describe_names(f, "users", &r->users);
		describe_names(f, "members of", &r->groups);
		if (r->issuer != NULL)
			fprintf(f, " certificates issued by %s", r->issuer);
		fprintf(f, ":");
		if (r->vlan != 0)
			fprintf(f, " VLAN %u", r->vlan);
		if (r->class_value != NULL)
			fprintf(f, " Class %s", r->class_value);
		fprintf(f, "\n");
	}
}

enum mtls_radius_realm
mtls_config_radius_realm(const struct mtls_config *config)
{
	return config->radius.realm;
}

size_t
mtls_config_radius_rule_count(const struct mtls_config *config)
{
	return config->radius.nrules;
}

const struct mtls_radius_rule *
mtls_config_radius_rule(const struct mtls_config *config, size_t index)
{
	if (index >= config->radius.nrules)
		return NULL;
	return &config->radius.rules[index].view;
}
