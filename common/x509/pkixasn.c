#include "pkixasn.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>

/* asn1Parser's output for pkix.asn, made by the build */
extern const asn1_static_node pkix_asn1_tab[];

/* The module name pkix.asn begins with. */
#define MODULE "MTLS-PKIX"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static asn1_node definitions;	/* kept for the life of the process */
static int load_result;

static void
load(void)
{
	load_result = asn1_array2tree(pkix_asn1_tab, &definitions, NULL);
}

/*
 * libmtls is linked into PAM modules, which Linux-PAM unloads at every
 * pam_end: a display manager loading the module again for each login
 * would otherwise lose the whole tree each time.  Runs when the object
 * libmtls is linked into is unloaded, and at exit.
 */
__attribute__((destructor)) static void
unload(void)
{
	asn1_delete_structure(&definitions);
}

int
pkixasn_create(const char *type, asn1_node *value)
{
	char name[ASN1_MAX_NAME_SIZE * 2];

	*value = NULL;
	pthread_once(&load_once, load);
	if (load_result != ASN1_SUCCESS)
		return load_result;
	if ((size_t)snprintf(name, sizeof(name), MODULE ".%s", type) >=
	    sizeof(name))
		return ASN1_ELEMENT_NOT_FOUND;
	return asn1_create_element(definitions, name, value);
}

int
pkixasn_decode(const char *type, const void *der, size_t len,
    asn1_node *value)
{
	int ret, used;

	*value = NULL;
	if (len > INT_MAX)
		return ASN1_DER_ERROR;
	used = (int)len;
	ret = pkixasn_create(type, value);
	/* without ASN1_DECODE_FLAG_ALLOW_PADDING, trailing bytes are refused */
	if (ret == ASN1_SUCCESS)
		ret = asn1_der_decoding2(value, der, &used,
		    ASN1_DECODE_FLAG_STRICT_DER, NULL);
	if (ret != ASN1_SUCCESS)
		asn1_delete_structure(value);
	return ret;
}
