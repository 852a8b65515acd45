#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <security/pam_ext.h>

#include "message.h"

/* Token labels are 32 characters in PKCS#11; room for escaping. */
#define LABEL_MAX	256
/* CKA_ID values are short (a key hash); more is refused. */
#define ID_MAX		128

static int
start_pkcs11(pam_handle_t *pamh, const char *module, struct token_set *set)
{
	int ret;

	/*
	 * With a module named, load it alone; otherwise what p11-kit has
	 * registered.  GnuTLS counts these calls: a host application's own
	 * PKCS#11 use is left as it was by gnutls_pkcs11_deinit().
	 */
	ret = gnutls_pkcs11_init(module != NULL ? GNUTLS_PKCS11_FLAG_MANUAL :
	    GNUTLS_PKCS11_FLAG_AUTO, NULL);
	if (ret < 0) {
		pam_syslog(pamh, LOG_ERR, "PKCS#11 could not be started: %s",
		    gnutls_strerror(ret));
		return PAM_SERVICE_ERR;
	}
	set->pkcs11_started = 1;
	if (module == NULL)
		return PAM_SUCCESS;
	ret = gnutls_pkcs11_add_provider(module, NULL);
	if (ret < 0 && ret != GNUTLS_E_INT_RET_0) {
		pam_syslog(pamh, LOG_ERR, "PKCS#11 module %s (pkcs11.module) "
		    "could not be loaded: %s", module, gnutls_strerror(ret));
		return PAM_SERVICE_ERR;
	}
	return PAM_SUCCESS;
}

/* "%xx" for every byte of a CKA_ID, as RFC 7512 writes binary values. */
static char *
key_url(const char *token_url, const unsigned char *id, size_t id_len)
{
	static const char suffix[] = ";type=private";
	size_t i, len = strlen(token_url);
	char *url, *p;

	url = malloc(len + strlen(";id=") + id_len * 3 + sizeof(suffix));
	if (url == NULL)
		return NULL;
	p = url + len;
	memcpy(url, token_url, len);
	memcpy(p, ";id=", 4);
	p += 4;
	for (i = 0; i < id_len; i++, p += 3)
		snprintf(p, 4, "%%%02x", id[i]);
	memcpy(p, suffix, sizeof(suffix));
	return url;
}

static int
add_cert(struct token_set *set, gnutls_pkcs11_obj_t obj,
    const char *token_url, const char *label)
{
	unsigned char id[ID_MAX];
	size_t id_len = sizeof(id);
	gnutls_datum_t der = { NULL, 0 };
	struct token_cert *grown, *cert;

	if (gnutls_pkcs11_obj_get_info(obj, GNUTLS_PKCS11_OBJ_ID, id,
	    &id_len) < 0 || id_len == 0)
		return 0;	/* no ID: no key can be found for it */
	if (gnutls_pkcs11_obj_export2(obj, &der) < 0)
		return 0;
	grown = reallocarray(set->certs, set->count + 1, sizeof(*grown));
	if (grown == NULL) {
		gnutls_free(der.data);
		return -1;
	}
	set->certs = grown;
	cert = &set->certs[set->count];
	memset(cert, 0, sizeof(*cert));
	cert->der = malloc(der.size);
	cert->key_url = key_url(token_url, id, id_len);
	cert->token_url = strdup(token_url);
	cert->token_label = strdup(label);
	set->count++;
	if (cert->der != NULL)
		memcpy(cert->der, der.data, der.size);
	cert->der_len = der.size;
	gnutls_free(der.data);
	if (cert->der == NULL || cert->key_url == NULL ||
	    cert->token_url == NULL || cert->token_label == NULL)
		return -1;
	return 0;
}

/* Read every certificate on one token. */
static int
read_token(pam_handle_t *pamh, struct token_set *set, const char *url,
    const char *label)
{
	gnutls_pkcs11_obj_t *objs = NULL;
	unsigned int i, n = 0;
	int ret, rc = 0;

	ret = gnutls_pkcs11_obj_list_import_url4(&objs, &n, url,
	    GNUTLS_PKCS11_OBJ_FLAG_CRT);
	if (ret < 0) {
		pam_syslog(pamh, LOG_WARNING, "the certificates on token "
		    "\"%s\" could not be read: %s", label,
		    gnutls_strerror(ret));
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && add_cert(set, objs[i], url, label) == -1)
			rc = -1;
		gnutls_pkcs11_obj_deinit(objs[i]);
	}
	gnutls_free(objs);
	return rc;
}

/* Whether a token is the one the configuration asks for. */
static int
wanted(const char *want, const char *label)
{
	return want == NULL || strcmp(want, label) == 0;
}

int
token_set_open(pam_handle_t *pamh, const char *module, const char *want,
    struct token_set *set)
{
	char *url, label[LABEL_MAX];
	size_t size;
	unsigned int seq, flags, seen = 0;
	int ret, rc, out_of_memory = 0;

	memset(set, 0, sizeof(*set));
	if ((rc = start_pkcs11(pamh, module, set)) != PAM_SUCCESS) {
		message_not_set_up(pamh);
		return rc;
	}
	if (want != NULL && strncmp(want, "pkcs11:", 7) == 0) {
		/* A URI names the token itself; GnuTLS finds it. */
		if (gnutls_pkcs11_token_get_flags(want, &flags) < 0)
			goto none;
		return read_token(pamh, set, want, want) == 0 ? PAM_SUCCESS :
		    PAM_BUF_ERR;
	}
	for (seq = 0; gnutls_pkcs11_token_get_url(seq,
	    GNUTLS_PKCS11_URL_GENERIC, &url) >= 0; seq++) {
		size = sizeof(label);
		ret = gnutls_pkcs11_token_get_info(url,
		    GNUTLS_PKCS11_TOKEN_LABEL, label, &size);
		if (ret >= 0)
			message_printable(label);
		/* p11-kit's trust stores hold CAs, never a user's keys */
		if (ret >= 0 && gnutls_pkcs11_token_get_flags(url,
		    &flags) >= 0 && !(flags & GNUTLS_PKCS11_TOKEN_TRUSTED) &&
		    wanted(want, label)) {
			seen++;
			out_of_memory = read_token(pamh, set, url,
			    label) == -1;
		}
		gnutls_free(url);
		if (out_of_memory)
			return PAM_BUF_ERR;
	}
	if (seen > 0)
		return PAM_SUCCESS;
none:
	pam_syslog(pamh, LOG_NOTICE, "no token%s%s%s is present (module %s)",
	    want != NULL ? " \"" : "", want != NULL ? want : "",
	    want != NULL ? "\"" : "", module != NULL ? module :
	    "p11-kit's registered modules");
	message_error(pamh, "No smart card or token was found; insert it "
	    "and try again.");
	return PAM_AUTHINFO_UNAVAIL;
}

void
token_set_close(struct token_set *set)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		free(set->certs[i].der);
		free(set->certs[i].key_url);
		free(set->certs[i].token_url);
		free(set->certs[i].token_label);
	}
	free(set->certs);
	if (set->pkcs11_started)
		gnutls_pkcs11_deinit();
	memset(set, 0, sizeof(*set));
}
