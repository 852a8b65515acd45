#include "libconfig_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Debian 12's libconfig9; the ABI the header describes. */
#define LIBCONFIG_LIBRARY "libconfig.so.9"

static struct {
	void *lib;
	struct libconfig fn;
	bool ready;
	char error[256];	/* why not */
} loaded;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
/* tests point this at a library that is not there (libconfig_library) */
static const char *library = LIBCONFIG_LIBRARY;

#define LIBCONFIG_SYMBOL(field, name) \
	{ (void **)(void *)&loaded.fn.field, name }

static void
load(void)
{
	const struct {
		void **to;
		const char *name;
	} symbols[] = {
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

	/* RTLD_LOCAL: its names never stand in for the host's own */
	if ((loaded.lib = dlopen(library, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(loaded.error, sizeof(loaded.error), "libconfig cannot "
		    "be loaded (%s), and configuration files are read with "
		    "it: install the Debian package libconfig9", dlerror());
		return;
	}
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if ((*symbols[i].to = dlsym(loaded.lib, symbols[i].name)) ==
		    NULL) {
			snprintf(loaded.error, sizeof(loaded.error), "the "
			    "libconfig found lacks %s; install libconfig9 1.5 "
			    "or later", symbols[i].name);
			return;
		}
	loaded.ready = true;
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
	if (!loaded.ready) {
		snprintf(err, errlen, "%s", loaded.error);
		return NULL;
	}
	return &loaded.fn;
}
