/*
 * optlib.h - opening an optional shared library and finding its
 * functions, or saying which package to install (internal).
 *
 * libcurl, libconfig and libmicrohttpd are loaded when first needed, not
 * linked, so that a process that never fetches, reads no configuration
 * file or serves no HTTP does not pay for loading them.  When one is
 * missing or too old, the administrator is told which Debian package to
 * install, in the same two sentences for each.
 */
#ifndef MTLS_OPTLIB_H
#define MTLS_OPTLIB_H

#include <stddef.h>

/* A function of the library: its name there, and where its address goes. */
struct optlib_symbol {
	void **to;
	const char *name;
};

/* { &pointer, "name" }, whatever the type of the function pointer. */
#define OPTLIB_SYMBOL(pointer, name) { (void **)(void *)&(pointer), name }

/* An optional library, and what an administrator is told about it. */
struct optlib {
	const char *name;		/* as administrators know it: "libcurl" */
	const char *const *sonames;	/* tried in order */
	size_t nsonames;
	/* what goes without it: "and <uses>: install the Debian package" */
	const char *uses;
	const char *package;		/* the Debian package: "libcurl4" */
	const char *version;		/* its oldest with every symbol */
	const struct optlib_symbol *symbols;
	size_t nsymbols;
};

/*
 * Open the first of lib's sonames that loads and fill in every one of its
 * symbols.  Returns the handle (dlclose() it), or NULL with err naming the
 * package to install; nothing stays loaded then.
 */
void *optlib_open(const struct optlib *lib, char *err, size_t errlen);

#endif /* MTLS_OPTLIB_H */
