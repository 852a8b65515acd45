#include "policygraph.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certname.h"
#include "certpolicies.h"
#include "rfc5280.h"

/* No node: an index that none has. */
#define NONE ((size_t)-1)

/*
 * A node of the graph: a policy valid for the path down to its depth
 * (RFC 9618 3.2).  Qualifiers are not kept.  Every OID points into the
 * certificates' certpolicies, which outlive the graph, or is
 * CERTPOLICIES_ANY.
 */
struct pnode {
	const char *oid;		/* valid_policy */
	const char **expected;		/* expected_policy_set; NULL: { oid } */
	size_t nexpected;
	size_t *parents;		/* indexes one level up */
	size_t nparents;
	size_t children;		/* live ones */
	bool live;
};

struct plevel {
	struct pnode *nodes;
	size_t n, cap;
};

/* Where the graph became empty, for the explanation. */
enum lost {
	LOST_NO_EXTENSION,	/* no certificatePolicies */
	LOST_NO_MATCH,		/* none of its policies allowed from above */
	LOST_ANY_INHIBITED,	/* only anyPolicy, and it is inhibited */
	LOST_MAPPING_INHIBITED	/* mapped, where mapping is inhibited */
};

/* One run of RFC 5280 6.1 over a path. */
struct run {
	const struct mtls_policy *policy;
	gnutls_x509_crt_t *chain;
	size_t n;			/* certificates but the anchor */
	struct certpolicies *cps;	/* by position in chain */
	struct plevel *levels;		/* 0 .. n */
	size_t depth;			/* deepest level made */
	bool null;			/* the graph is NULL */
	unsigned long work;
	unsigned explicit_policy, inhibit_any, policy_mapping;
	/* who last lowered explicit_policy: a chain position, or NONE for
	 * the profile; and to what */
	size_t explicit_by;
	unsigned explicit_skip;
	size_t lost_at;			/* chain position, or NONE */
	enum lost lost_why;
	/* a policy the path is valid for, that the profile does not list */
	const char *unlisted;
	struct finding *f;
};

/* Certificate i of RFC 5280's numbering (1 below the anchor). */
static size_t
position(const struct run *r, size_t i)
{
	return r->n - i;
}

static bool
over_work(const struct run *r)
{
	return r->work > POLICYGRAPH_MAX_WORK;
}

static bool
same(struct run *r, const char *a, const char *b)
{
	r->work++;
	return strcmp(a, b) == 0;
}

static size_t
nexpected(const struct pnode *node)
{
	return node->expected != NULL ? node->nexpected : 1;
}

static const char *
expected_at(const struct pnode *node, size_t k)
{
	return node->expected != NULL ? node->expected[k] : node->oid;
}

static bool
expects(struct run *r, const struct pnode *node, const char *oid)
{
	for (size_t k = 0; k < nexpected(node); k++)
		if (same(r, expected_at(node, k), oid))
			return true;
	return false;
}

/* The live node of level whose valid_policy is oid, or NONE. */
static size_t
find(struct run *r, size_t level, const char *oid)
{
	const struct plevel *l = &r->levels[level];

	for (size_t k = 0; k < l->n; k++)
		if (l->nodes[k].live && same(r, l->nodes[k].oid, oid))
			return k;
	return NONE;
}

/* A new node of level for oid: its index, or NONE when out of memory. */
static size_t
add_node(struct run *r, size_t level, const char *oid)
{
	struct plevel *l = &r->levels[level];

	if (l->n == l->cap) {
		size_t cap = l->cap != 0 ? 2 * l->cap : 8;
		struct pnode *grown = realloc(l->nodes, cap * sizeof(*grown));

		if (grown == NULL)
			return NONE;
		l->nodes = grown;
		l->cap = cap;
	}
	memset(&l->nodes[l->n], 0, sizeof(l->nodes[l->n]));
	l->nodes[l->n].oid = oid;
	l->nodes[l->n].live = true;
	return l->n++;
}

/* An edge from parent (at level - 1) to child (at level). */
static int
add_edge(struct run *r, size_t level, size_t child, size_t parent)
{
	struct pnode *c = &r->levels[level].nodes[child];
	size_t *grown = realloc(c->parents, (c->nparents + 1) *
	    sizeof(*grown));

	if (grown == NULL)
		return -1;
	r->work++;
	c->parents = grown;
	c->parents[c->nparents++] = parent;
	r->levels[level - 1].nodes[parent].children++;
	return 0;
}

/* Delete a node; its parents lose a child (level 0 has no parents). */
static void
delete_node(struct run *r, size_t level, size_t k)
{
	struct pnode *node = &r->levels[level].nodes[k];

	node->live = false;
	for (size_t p = 0; level > 0 && p < node->nparents; p++)
		r->levels[level - 1].nodes[node->parents[p]].children--;
}

/*
 * Delete the nodes of level and above that have no child, those that
 * lose their last child with them; the graph is NULL when the deepest
 * level has no node left.
 */
static void
prune(struct run *r, size_t level)
{
	for (size_t d = level + 1; d-- > 0;)
		for (size_t k = 0; k < r->levels[d].n; k++)
			if (r->levels[d].nodes[k].live &&
			    r->levels[d].nodes[k].children == 0)
				delete_node(r, d, k);
	r->null = true;
	for (size_t k = 0; k < r->levels[r->depth].n; k++)
		if (r->levels[r->depth].nodes[k].live)
			r->null = false;
}

static int
no_memory(struct run *r)
{
	return finding_set(r->f, MTLS_R_INTERNAL,
	    "out of memory processing certificate policies");
}

/*
 * A node of level i for oid under the anyPolicy node of level i - 1 into
 * *node, or NONE when there is no such anyPolicy node; -1 when out of
 * memory.
 */
static int
add_under_any(struct run *r, size_t i, const char *oid, size_t *node)
{
	size_t any = find(r, i - 1, CERTPOLICIES_ANY);

	*node = NONE;
	if (any == NONE)
		return 0;
	if ((*node = add_node(r, i, oid)) == NONE)
		return -1;
	return add_edge(r, i, *node, any);
}

/* 6.1.3 (d) (1): each policy of certificate i but anyPolicy. */
static int
add_listed(struct run *r, size_t i, const struct certpolicies *cp)
{
	struct plevel *up = &r->levels[i - 1];

	for (size_t k = 0; k < cp->npolicies && !over_work(r); k++) {
		const char *oid = cp->policies[k];
		size_t node = NONE;

		for (size_t q = 0; q < up->n; q++) {
			if (!up->nodes[q].live || !expects(r, &up->nodes[q],
			    oid))
				continue;
			if (node == NONE &&
			    (node = add_node(r, i, oid)) == NONE)
				return no_memory(r);
			if (add_edge(r, i, node, q) != 0)
				return no_memory(r);
		}
		if (node == NONE && add_under_any(r, i, oid, &node) != 0)
			return no_memory(r);
	}
	return 0;
}

/*
 * 6.1.3 (d) (2): anyPolicy in certificate i stands for every policy
 * expected from above that (1) did not make a node for, anyPolicy
 * included; one node each, under every node that expects it.
 */
static int
add_any(struct run *r, size_t i)
{
	struct plevel *up = &r->levels[i - 1];
	size_t listed = r->levels[i].n;

	for (size_t q = 0; q < up->n && !over_work(r); q++) {
		const struct pnode *parent = &up->nodes[q];

		if (!parent->live)
			continue;
		for (size_t k = 0; k < nexpected(parent); k++) {
			const char *oid = expected_at(parent, k);
			size_t node = find(r, i, oid);

			if (node != NONE && node < listed)
				continue;
			if (node == NONE && (node = add_node(r, i, oid)) ==
			    NONE)
				return no_memory(r);
			if (add_edge(r, i, node, q) != 0)
				return no_memory(r);
		}
	}
	return 0;
}

/* 6.1.3 (d), (e): certificate i's certificatePolicies. */
static int
process_policies(struct run *r, size_t i, const struct certpolicies *cp,
    bool self_issued)
{
	r->depth = i;
	if (r->null)
		return 0;
	if (!cp->has_policies) {
		r->null = true;
		r->lost_at = position(r, i);
		r->lost_why = LOST_NO_EXTENSION;
		return 0;
	}
	if (add_listed(r, i, cp) != 0)
		return -1;
	if (cp->any_policy && (r->inhibit_any > 0 || (i < r->n &&
	    self_issued)) && add_any(r, i) != 0)
		return -1;
	prune(r, i - 1);
	if (r->null) {
		r->lost_at = position(r, i);
		r->lost_why = cp->npolicies == 0 && cp->any_policy ?
		    LOST_ANY_INHIBITED : LOST_NO_MATCH;
	}
	return 0;
}

/* The subjectDomainPolicy values certificate i maps issuer to. */
static int
mapped_from(struct run *r, const struct certpolicies *cp, const char *issuer,
    struct pnode *node)
{
	free(node->expected);
	node->expected = calloc(cp->nmappings, sizeof(*node->expected));
	node->nexpected = 0;
	if (node->expected == NULL)
		return -1;
	for (size_t m = 0; m < cp->nmappings; m++) {
		bool known = false;

		if (!same(r, cp->mappings[m].issuer, issuer))
			continue;
		for (size_t k = 0; k < node->nexpected && !known; k++)
			known = same(r, node->expected[k],
			    cp->mappings[m].subject);
		if (!known)
			node->expected[node->nexpected++] =
			    cp->mappings[m].subject;
	}
	return 0;
}

/* Whether mapping m is the first of certificate i from its issuer
 * policy. */
static bool
first_from(struct run *r, const struct certpolicies *cp, size_t m)
{
	for (size_t k = 0; k < m; k++)
		if (same(r, cp->mappings[k].issuer, cp->mappings[m].issuer))
			return false;
	return true;
}

/* 6.1.4 (b): certificate i's policyMappings. */
static int
process_mappings(struct run *r, size_t i, const struct certpolicies *cp)
{
	size_t any = NONE;

	if (r->null || cp->nmappings == 0)
		return 0;
	if (r->policy_mapping > 0)
		any = find(r, i, CERTPOLICIES_ANY);
	for (size_t m = 0; m < cp->nmappings && !over_work(r); m++) {
		const char *issuer = cp->mappings[m].issuer;
		size_t node;

		if (!first_from(r, cp, m))
			continue;
		node = find(r, i, issuer);
		if (r->policy_mapping == 0) {
			if (node != NONE)
				delete_node(r, i, node);
			continue;
		}
		if (node == NONE && any != NONE &&
		    add_under_any(r, i, issuer, &node) != 0)
			return no_memory(r);
		if (node != NONE &&
		    mapped_from(r, cp, issuer, &r->levels[i].nodes[node]) != 0)
			return no_memory(r);
	}
	if (r->policy_mapping == 0) {
		prune(r, i - 1);
		if (r->null) {
			r->lost_at = position(r, i);
			r->lost_why = LOST_MAPPING_INHIBITED;
		}
	}
	return 0;
}

static void
lower(unsigned *counter, unsigned skip, struct run *r, size_t at)
{
	if (skip >= *counter)
		return;
	*counter = skip;
	if (counter == &r->explicit_policy) {
		r->explicit_by = at;
		r->explicit_skip = skip;
	}
}

/* 6.1.4 (i), (j): the constraints certificate at sets on those below. */
static void
constrain(struct run *r, const struct certpolicies *cp, size_t at)
{
	lower(&r->explicit_policy, cp->require_explicit, r, at);
	lower(&r->policy_mapping, cp->inhibit_mapping, r, at);
	lower(&r->inhibit_any, cp->inhibit_any, r, at);
}

/* 6.1.4 (h): a certificate that is not self-issued counts. */
static void
count_down(struct run *r)
{
	if (r->explicit_policy > 0)
		r->explicit_policy--;
	if (r->policy_mapping > 0)
		r->policy_mapping--;
	if (r->inhibit_any > 0)
		r->inhibit_any--;
}

static bool
any_acceptable(const struct mtls_policy *policy)
{
	for (size_t k = 0; k < policy->nacceptable_policies; k++)
		if (strcmp(policy->acceptable_policies[k],
		    CERTPOLICIES_ANY) == 0)
			return true;
	return policy->nacceptable_policies == 0;
}

/*
 * The first policy of the trust anchor's domain, but anyPolicy, that the
 * path is valid for (RFC 9618 5.5: a node under anyPolicy alone) and is
 * oid, or any when oid is NULL; NULL when there is none.
 */
static const char *
authority_policy(struct run *r, const char *oid)
{
	for (size_t d = 1; !r->null && d <= r->n; d++) {
		const struct plevel *l = &r->levels[d];

		for (size_t k = 0; k < l->n; k++) {
			const struct pnode *node = &l->nodes[k];

			if (!node->live || node->nparents != 1 ||
			    strcmp(node->oid, CERTPOLICIES_ANY) == 0 ||
			    strcmp(r->levels[d - 1].nodes[
			    node->parents[0]].oid, CERTPOLICIES_ANY) != 0)
				continue;
			if (oid == NULL || same(r, node->oid, oid))
				return node->oid;
		}
	}
	return NULL;
}

/*
 * 6.1.5 (g) as RFC 9618 5.5 computes it: the policies of the trust
 * anchor's domain the path is valid for (those above, and with anyPolicy
 * at the end, every one), met with the profile's.  Into valid, the first
 * the profile lists that the path holds, or with none listed (or
 * anyPolicy listed before any that holds), the first the path holds;
 * false when there is none.
 */
static bool
user_constrained(struct run *r, char *valid, size_t validlen)
{
	bool any = !r->null && find(r, r->n, CERTPOLICIES_ANY) != NONE;
	const char *held = NULL;
	size_t k;

	for (k = 0; k < r->policy->nacceptable_policies && held == NULL;
	    k++) {
		const char *oid = r->policy->acceptable_policies[k];

		if (strcmp(oid, CERTPOLICIES_ANY) == 0)
			break;
		held = any ? oid : authority_policy(r, oid);
	}
	if (held == NULL && k == r->policy->nacceptable_policies &&
	    k > 0) {
		r->unlisted = authority_policy(r, NULL);
		return false;
	}
	if (held == NULL && (held = authority_policy(r, NULL)) == NULL &&
	    any)
		held = CERTPOLICIES_ANY;
	if (held == NULL)
		return false;
	snprintf(valid, validlen, "%s", held);
	return true;
}

/* Who required an explicit policy, for the explanation. */
static void
demander(const struct run *r, char *buf, size_t buflen)
{
	char name[CERTNAME_MAX];

	if (r->explicit_by == NONE) {
		snprintf(buf, buflen, "the profile (%s)",
		    r->policy->require_explicit_policy ?
		    "policy.require_explicit_policy" :
		    "policy.acceptable_policies");
		return;
	}
	certname_subject(r->chain[r->explicit_by], name);
	snprintf(buf, buflen, "'%s' (requireExplicitPolicy %u)", name,
	    r->explicit_skip);
}

static const char *
lost_text(enum lost why)
{
	switch (why) {
	case LOST_NO_EXTENSION:
		return "has no certificatePolicies extension";
	case LOST_NO_MATCH:
		return "lists none of the policies the certificates above it "
		    "allow";
	case LOST_ANY_INHIBITED:
		return "lists only anyPolicy, which inhibitAnyPolicy (of a CA "
		    "above it, or policy.inhibit_any_policy) forbids there";
	case LOST_MAPPING_INHIBITED:
		return "maps policies where inhibitPolicyMapping (of a CA "
		    "above it, or policy.inhibit_policy_mapping) forbids it: "
		    "what it maps holds no further";
	}
	return "loses every policy";
}

/* No acceptable policy holds for the path, and one is required. */
static int
no_policy(struct run *r)
{
	char who[CERTNAME_MAX + 64], name[CERTNAME_MAX];

	/* the graph holds: only the profile's list can have refused it */
	if (r->lost_at == NONE) {
		certname_subject(r->chain[0], name);
		finding_set(r->f, MTLS_R_POLICY, "the path of '%s' is valid "
		    "only for policies policy.acceptable_policies does not "
		    "list (such as %s); issue it under an acceptable policy, "
		    "or add its policy to policy.acceptable_policies", name,
		    r->unlisted != NULL ? r->unlisted : "none");
		return finding_at(r->f, 0);
	}
	demander(r, who, sizeof(who));
	certname_subject(r->chain[r->lost_at], name);
	finding_set(r->f, MTLS_R_POLICY, "'%s' %s, so no certificate policy "
	    "holds for the whole path, and %s requires one; reissue it under "
	    "a policy the path allows, or change what requires it", name,
	    lost_text(r->lost_why), who);
	return finding_at(r->f, r->lost_at);
}

/* Read the policy extensions of the certificate at position k; of the
 * trust anchor, only those used (policygraph.h). */
static int
read_policies(struct run *r, size_t k)
{
	char why[CERTPOLICIES_OID_MAX + 128], name[CERTNAME_MAX];
	enum certpolicies_result ret;

	ret = certpolicies_read(r->chain[k], k == r->n, &r->cps[k], why,
	    sizeof(why));
	if (ret == CERTPOLICIES_OK)
		return 0;
	if (ret == CERTPOLICIES_NO_MEMORY)
		return no_memory(r);
	certname_subject(r->chain[k], name);
	if (ret == CERTPOLICIES_TOO_MANY)
		finding_set(r->f, MTLS_R_WORK_LIMIT, "'%s' %s: more than any "
		    "real CA needs, so it is refused unprocessed; reissue it "
		    "with fewer", name, why);
	else
		finding_set(r->f, MTLS_R_BAD_POLICY, "'%s' %s; its CA must "
		    "reissue it with well-formed policy extensions", name,
		    why);
	return finding_at(r->f, k);
}

/* RFC 5280 6.1.3 and 6.1.4 for certificate i (1 below the anchor). */
static int
process(struct run *r, size_t i)
{
	size_t k = position(r, i);
	const struct certpolicies *cp = &r->cps[k];
	bool self_issued;

	if (read_policies(r, k) != 0)
		return -1;
	self_issued = rfc5280_self_issued(r->chain[k]);
	if (process_policies(r, i, cp, self_issued) != 0)
		return -1;
	if (r->explicit_policy == 0 && r->null)
		return no_policy(r);
	if (i == r->n)
		return 0;
	if (process_mappings(r, i, cp) != 0)
		return -1;
	if (!self_issued)
		count_down(r);
	constrain(r, cp, k);
	return 0;
}

static void
run_free(struct run *r)
{
	for (size_t d = 0; r->levels != NULL && d <= r->n; d++) {
		for (size_t k = 0; k < r->levels[d].n; k++) {
			free(r->levels[d].nodes[k].expected);
			free(r->levels[d].nodes[k].parents);
		}
		free(r->levels[d].nodes);
	}
	free(r->levels);
	for (size_t k = 0; r->cps != NULL && k <= r->n; k++)
		certpolicies_clear(&r->cps[k]);
	free(r->cps);
}

static int
walk(struct run *r, char *valid, size_t validlen)
{
	/* RFC 5280 6.1.2: the graph is anyPolicy alone */
	if (add_node(r, 0, CERTPOLICIES_ANY) == NONE)
		return no_memory(r);
	/* the anchor's constraints bind the path below it (policygraph.h) */
	if (read_policies(r, r->n) != 0)
		return -1;
	constrain(r, &r->cps[r->n], r->n);
	for (size_t i = 1; i <= r->n; i++) {
		if (process(r, i) != 0)
			return -1;
		if (over_work(r)) {
			char name[CERTNAME_MAX];

			certname_subject(r->chain[0], name);
			finding_set(r->f, MTLS_R_WORK_LIMIT, "processing the "
			    "certificate policies of the path of '%s' took "
			    "more than %d steps, more than any real PKI "
			    "needs; reissue its CAs with fewer policies and "
			    "mappings", name, POLICYGRAPH_MAX_WORK);
			return finding_at(r->f, position(r, i));
		}
	}
	/* 6.1.5 (a), (b) */
	if (r->explicit_policy > 0)
		r->explicit_policy--;
	if (r->cps[0].require_explicit == 0) {
		r->explicit_policy = 0;
		r->explicit_by = 0;
		r->explicit_skip = 0;
	}
	if (user_constrained(r, valid, validlen) || r->explicit_policy > 0)
		return 0;
	return no_policy(r);
}

int
policygraph_check(const struct mtls_policy *policy, gnutls_x509_crt_t *chain,
    size_t n, char *valid, size_t validlen, struct finding *f)
{
	char none[1];
	struct run r = {
		.policy = policy,
		.chain = chain,
		.n = n - 1,
		.explicit_by = NONE,
		.lost_at = NONE,
		.f = f,
	};
	unsigned start = (unsigned)n;
	int ret;

	if (valid == NULL) {
		valid = none;
		validlen = sizeof(none);
	}
	valid[0] = '\0';
	if (n < 2)
		return 0;
	r.explicit_policy = policy->require_explicit_policy ||
	    !any_acceptable(policy) ? 0 : start;
	r.policy_mapping = policy->inhibit_policy_mapping ? 0 : start;
	r.inhibit_any = policy->inhibit_any_policy ? 0 : start;
	r.levels = calloc(n, sizeof(*r.levels));
	r.cps = calloc(n, sizeof(*r.cps));
	if (r.levels == NULL || r.cps == NULL)
		ret = no_memory(&r);
	else
		ret = walk(&r, valid, validlen);
	run_free(&r);
	return ret;
}
