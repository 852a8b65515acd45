/*
 * plugin.h - the plugin's state between OpenVPN's open and close.
 */
#ifndef OVPN_PLUGIN_H
#define OVPN_PLUGIN_H

#include "args.h"
#include "log.h"

struct mtls_ctx;
struct pam_helper;
struct workers;

struct plugin {
	struct plugin_args	 args;
	struct logger		 log;		/* OpenVPN's, its thread only */
	struct mtls_ctx		*mtls;
	struct pam_helper	*pam;		/* NULL without pam_service */
	struct workers		*workers;	/* NULL until first needed */
};

#endif
