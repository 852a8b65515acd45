#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certname.h"

/* The defaults are documented in mtls.conf(5): change both together. */
#define DEFAULT_CACHE_DIR "/var/cache/mtls"

int
config_fail(struct mtls_config *config, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(config->error, sizeof(config->error), fmt, ap);
	va_end(ap);
	return -1;
}

int
config_set_defaults(struct mtls_config *config)
{
	config->policy.purpose = MTLS_PURPOSE_CLIENT;
	config->policy.require_eku = false;
	config->policy.require_v3 = false;
	config->policy.min_rsa_bits = 2048;
	config->policy.min_ec_bits = 256;
	config->policy.allow_sha1 = false;
	config->policy.max_depth = 5;
	config->policy.clock_skew = 300;
	config->revocation.nmethods = 0;
	config->revocation.crl_require = MTLS_CRL_REQUIRE_LEAF;
	config->revocation.stale_grace = 0;
	config->revocation.crl_fetch = false;
	config->revocation.ocsp_url = NULL;
	config->revocation.ocsp_timeout_ms = 3000;
	config->revocation.ocsp_soft_fail = false;
	config->revocation.ocsp_nonce = true;
	config->revocation.ocsp_max_age = 86400;
	config->identity.map = MTLS_MAP_CN;
	config->audit = true;
	config->revocation.cache_dir = strdup(DEFAULT_CACHE_DIR);
	return config->revocation.cache_dir == NULL ? -1 : 0;
}

int
config_check_file_first(struct mtls_config *config, const char *path)
{
	if (config->set_in_code)
		return config_fail(config, "%s: settings were made in code "
		    "before the file was loaded, and would be lost; load the "
		    "file first, then override it in code", path);
	return 0;
}

void
config_clear(struct mtls_config *config)
{
	free(config->file);
	free(config->profile);
	strlist_clear(&config->profiles);
	strlist_clear(&config->ca_files);
	free(config->ca_dir);
	strlist_clear(&config->intermediates_files);
	strlist_clear(&config->revocation.crl_files);
	free(config->revocation.cache_dir);
	free(config->revocation.crl_index_dir);
	strlist_clear(&config->revocation.crl_urls);
	free(config->revocation.ocsp_url);
	free(config->identity.map_file);
	strlist_clear(&config->identity.issuers);
	free(config->pkcs11.module);
	free(config->pkcs11.token);
	config_radius_clear(&config->radius);
	memset(config, 0, sizeof(*config));
}

struct mtls_config *
mtls_config_new(void)
{
	struct mtls_config *config = calloc(1, sizeof(*config));

	if (config == NULL)
		return NULL;
	if (config_set_defaults(config) != 0) {
		config_clear(config);
		free(config);
		return NULL;
	}
	return config;
}

void
mtls_config_free(struct mtls_config *config)
{
	if (config == NULL)
		return;
	config_clear(config);
	free(config);
}

const char *
mtls_config_error(const struct mtls_config *config)
{
	if (config == NULL)
		return "no configuration (out of memory?)";
	return config->error[0] != '\0' ? config->error : NULL;
}

size_t
mtls_config_profile_count(const struct mtls_config *config)
{
	return config->profiles.count;
}

const char *
mtls_config_profile_name(const struct mtls_config *config, size_t index)
{
	if (index >= config->profiles.count)
		return NULL;
	return config->profiles.items[index];
}

static int
add_path(struct mtls_config *config, struct strlist *list, const char *what,
    const char *path)
{
	if (path == NULL || path[0] == '\0')
		return config_fail(config, "%s: empty file name", what);
	if (strlist_add(list, path) != 0)
		return config_fail(config, "%s: out of memory", what);
	config->set_in_code = true;
	return 0;
}

int
mtls_config_add_ca_file(struct mtls_config *config, const char *path)
{
	return add_path(config, &config->ca_files, "ca_file", path);
}

int
mtls_config_add_intermediates_file(struct mtls_config *config,
    const char *path)
{
	return add_path(config, &config->intermediates_files,
	    "intermediates_file", path);
}

int
mtls_config_add_crl_file(struct mtls_config *config, const char *path)
{
	return add_path(config, &config->revocation.crl_files,
	    "revocation.crl_files", path);
}

int
mtls_config_set_purpose(struct mtls_config *config, enum mtls_purpose purpose)
{
	switch (purpose) {
	case MTLS_PURPOSE_CLIENT:
	case MTLS_PURPOSE_SERVER:
	case MTLS_PURPOSE_ANY:
		config->policy.purpose = purpose;
		config->set_in_code = true;
		return 0;
	}
	return config_fail(config, "policy.purpose: unknown purpose %d",
	    (int)purpose);
}

const char *const config_map_words[MTLS_MAP_RULES + 1] = {
	[MTLS_MAP_CN] = "cn",
	[MTLS_MAP_EMAIL] = "email",
	[MTLS_MAP_UPN] = "upn",
	[MTLS_MAP_UID] = "uid",
	[MTLS_MAP_DN] = "dn",
	[MTLS_MAP_FINGERPRINT] = "fingerprint",
	[MTLS_MAP_RULES] = NULL,
};

static const char *const method_names[] = {
	[MTLS_REV_CRL] = "crl",
	[MTLS_REV_OCSP] = "ocsp",
};

/* The method named by the n bytes at word, or 0. */
static enum mtls_revocation_method
method_named(const char *word, size_t n)
{
	for (size_t m = 0; m < sizeof(method_names) / sizeof(method_names[0]);
	    m++)
		if (method_names[m] != NULL &&
		    strlen(method_names[m]) == n &&
		    strncmp(method_names[m], word, n) == 0)
			return (enum mtls_revocation_method)m;
	return 0;
}

int
config_parse_revocation_mode(const char *mode,
    enum mtls_revocation_method *methods, size_t *nmethods)
{
	enum mtls_revocation_method found[MTLS_REV_MAX_METHODS];
	size_t n = 0;
	const char *p = mode;

	if (mode == NULL)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "none", 4) == 0) {
		for (p += 4; isspace((unsigned char)*p); p++)
			;
		if (*p != '\0')
			return -1;
		*nmethods = 0;
		return 0;
	}
	for (;;) {
		const char *end;
		enum mtls_revocation_method m;

		while (isspace((unsigned char)*p))
			p++;
		for (end = p; *end != '\0' && *end != ',' &&
		    !isspace((unsigned char)*end); end++)
			;
		m = method_named(p, (size_t)(end - p));
		if (m == 0 || n == MTLS_REV_MAX_METHODS)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (found[i] == m)
				return -1;
		found[n++] = m;
		for (p = end; isspace((unsigned char)*p); p++)
			;
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return -1;
	}
	memcpy(methods, found, n * sizeof(*found));
	*nmethods = n;
	return 0;
}

int
mtls_config_set_revocation_mode(struct mtls_config *config, const char *mode)
{
	char shown[128];

	if (config_parse_revocation_mode(mode, config->revocation.methods,
	    &config->revocation.nmethods) == 0) {
		config->set_in_code = true;
		return 0;
	}
	if (mode == NULL)
		return config_fail(config, "revocation mode: none given");
	certname_escape((const unsigned char *)mode, strlen(mode), shown,
	    sizeof(shown));
	return config_fail(config, "revocation mode \"%s\": expected \"none\", "
	    "\"crl\", \"ocsp\", or both methods in order separated by a "
	    "comma, such as \"ocsp,crl\"", shown);
}

int
mtls_config_set_revocation_method(struct mtls_config *config,
    const char *method, int enabled)
{
	struct mtls_revocation *rev = &config->revocation;
	enum mtls_revocation_method m;
	size_t i, j;

	if (method != NULL && strcmp(method, "crl") == 0)
		m = MTLS_REV_CRL;
	else if (method != NULL && strcmp(method, "ocsp") == 0)
		m = MTLS_REV_OCSP;
	else
		return config_fail(config, "revocation method: expected "
		    "\"crl\" or \"ocsp\"");
	for (i = 0; i < rev->nmethods && rev->methods[i] != m; i++)
		;
	if (enabled && i == rev->nmethods)
		rev->methods[rev->nmethods++] = m;
	else if (!enabled && i < rev->nmethods) {
		for (j = i; j + 1 < rev->nmethods; j++)
			rev->methods[j] = rev->methods[j + 1];
		rev->nmethods--;
	}
	config->set_in_code = true;
	return 0;
}

int
mtls_config_set_crl_index(struct mtls_config *config, const char *dir)
{
	char *copy = NULL;

	if (dir != NULL && (copy = strdup(dir)) == NULL)
		return config_fail(config, "out of memory");
	free(config->revocation.crl_index_dir);
	config->revocation.crl_index_dir = copy;
	config->revocation.crl_index_off = dir == NULL;
	config->set_in_code = true;
	return 0;
}

void
mtls_config_set_audit(struct mtls_config *config, int enabled)
{
	config->audit = enabled != 0;
	config->set_in_code = true;
}

const char *
mtls_config_pkcs11_module(const struct mtls_config *config)
{
	return config->pkcs11.module;
}

const char *
mtls_config_pkcs11_token(const struct mtls_config *config)
{
	return config->pkcs11.token;
}
