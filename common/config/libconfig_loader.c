#include "libconfig_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "optlib.h"

/* Debian 12's libconfig9; the ABI the header describes. */
#define LIBCONFIG_LIBRARY "libconfig.so.9"

static struct {
	void *lib;
	struct libconfig fn;
	char error[256];	/* why not */
} loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
/* tests point this at a library that is not there (libconfig_library) */
static const char *library = LIBCONFIG_LIBRARY;

#define LIBCONFIG_SYMBOL(field, name) OPTLIB_SYMBOL(loaded.fn.field, name)

static void
load(void)
{
	const struct optlib_symbol symbols[] = {
		LIBCONFIG_SYMBOL(init, "config_init"),
		LIBCONFIG_SYMBOL(destroy, "config_destroy"),
		LIBCONFIG_SYMBOL(set_include_dir, "config_set_include_dir"),
		LIBCONFIG_SYMBOL(read_string, "config_read_string"),
		LIBCONFIG_SYMBOL(setting_length, "config_setting_length"),
		LIBCONFIG_SYMBOL(setting_get_elem, "config_setting_get_elem"),
		LIBCONFIG_SYMBOL(setting_get_member,
		    "config_setting_get_member"),
		LIBCONFIG_SYMBOL(setting_get_string,
		    "config_setting_get_string"),
		LIBCONFIG_SYMBOL(setting_get_bool, "config_setting_get_bool"),
		LIBCONFIG_SYMBOL(setting_get_int64,
		    "config_setting_get_int64"),
	};
	const struct optlib libconfig = {
		.name = "libconfig",
		.sonames = &library,
		.nsonames = 1,
		.uses = "configuration files are read with it",
		.package = "libconfig9",
		.version = "1.5",
		.symbols = symbols,
		.nsymbols = sizeof(symbols) / sizeof(symbols[0]),
	};

	loaded.lib = optlib_open(&libconfig, loaded.error,
	    sizeof(loaded.error));
}

/*
 * When libmtls goes, with the process or with the shared object it is
 * linked into (a PAM module a display manager loads and unloads):
 * libconfig is unloaded too.  No atexit(): its handler would outlive an
 * unloaded object.
 */
__attribute__((destructor)) static void
unload(void)
{
	if (loaded.lib != NULL)
		dlclose(loaded.lib);
	memset(&loaded, 0, sizeof(loaded));
}

void
libconfig_library(const char *name)
{
	library = name;
}

const struct libconfig *
libconfig_load(char *err, size_t errlen)
{
	pthread_once(&load_once, load);
	if (loaded.lib == NULL) {
		snprintf(err, errlen, "%s", loaded.error);
		return NULL;
	}
	return &loaded.fn;
}
