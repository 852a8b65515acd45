/*
 * libconfig_loader.h - libconfig, loaded when a configuration file is
 * first read (internal).
 *
 * A verification given its certificates on the command line ("mtls
 * verify --ca") reads no configuration file; linking libconfig would
 * still cost its process the mapping and relocation of the library at
 * start, some tens of microseconds of a command that takes a few
 * milliseconds.  So it is loaded by the first configuration file read,
 * as libcurl is by the first fetch (http.c), and unloaded with libmtls.
 */
#ifndef MTLS_LIBCONFIG_LOADER_H
#define MTLS_LIBCONFIG_LOADER_H

#include <stddef.h>

#include <libconfig.h>

/* The functions of libconfig that configuration files are read with. */
struct libconfig {
	void (*init)(config_t *);
	void (*destroy)(config_t *);
	void (*set_include_dir)(config_t *, const char *);
	int (*read_string)(config_t *, const char *);
	int (*setting_length)(const config_setting_t *);
	config_setting_t *(*setting_get_elem)(const config_setting_t *,
	    unsigned int);
	config_setting_t *(*setting_get_member)(const config_setting_t *,
	    const char *);
	const char *(*setting_get_string)(const config_setting_t *);
	int (*setting_get_bool)(const config_setting_t *);
	long long (*setting_get_int64)(const config_setting_t *);
};

/*
 * libconfig, loaded by the first call from any thread; NULL when it
 * cannot be, with why in err.
 */
const struct libconfig *libconfig_load(char *err, size_t errlen);

/* Tests: load the library of this name instead, before the first load. */
void libconfig_library(const char *name);

#endif /* MTLS_LIBCONFIG_LOADER_H */
