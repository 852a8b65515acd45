/*
 * mtls - check X.509 client certificates the way the PAM module and the
 * OpenVPN plugin do, and check their configuration.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "commands.h"

static void
usage(FILE *out)
{
	fputs("usage: mtls verify [options] CERT\n"
	    "       mtls config check [--config FILE] [--user NAME]\n"
	    "       mtls crl update [--config FILE] [--profile NAME]\n"
	    "       mtls map update [--config FILE] [--profile NAME]\n"
	    "       mtls serve [--config FILE] [--profile NAME] --listen ADDR ...\n"
	    "       mtls radius verify|authorize [--config FILE] [--profile NAME] ...\n"
	    "       mtls --help | --version\n"
	    "\n"
	    "  verify        decide whether the client certificate CERT is\n"
	    "                accepted, and why not (mtls verify --help)\n"
	    "  config check  load a configuration and every profile in it,\n"
	    "                and say what each will do (mtls config --help)\n"
	    "  crl update    fetch, check and index the configured CRLs\n"
	    "                (mtls crl --help)\n"
	    "  map update    check the identity map files and publish their\n"
	    "                indexes (mtls map --help)\n"
	    "  serve         answer a web server's sub-requests (nginx\n"
	    "                auth_request) with certificate verdicts\n"
	    "                (mtls serve --help)\n"
	    "  radius        FreeRADIUS's EAP-TLS hooks, for Wi-Fi\n"
	    "                (mtls radius --help)\n"
	    "\n"
	    "Exit status: 0 accepted or valid, 1 rejected, 2 usage, "
	    "configuration\nor I/O error.  See mtls(1) and mtls.conf(5).\n",
	    out);
}

static int
finish(int status)
{
	/* A verdict that did not reach its reader must not look like one
	 * that did: a failed write turns any status into trouble. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("mtls: standard output");
		return MTLS_EXIT_TROUBLE;
	}
	return status;
}

int
main(int argc, char *argv[])
{
	/* The library writes one audit line per verification. */
	openlog("mtls", LOG_PID, LOG_AUTHPRIV);
	if (argc < 2) {
		usage(stderr);
		return MTLS_EXIT_TROUBLE;
	}
	if (strcmp(argv[1], "verify") == 0)
		return finish(verify_command(argc, argv));
	if (strcmp(argv[1], "config") == 0)
		return finish(config_command(argc, argv));
	if (strcmp(argv[1], "crl") == 0)
		return finish(crl_command(argc, argv));
	if (strcmp(argv[1], "map") == 0)
		return finish(map_command(argc, argv));
	if (strcmp(argv[1], "radius") == 0)
		return finish(radius_command(argc, argv));
	if (strcmp(argv[1], "serve") == 0)
		return finish(serve_command(argc, argv));
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return finish(MTLS_EXIT_ACCEPTED);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mtls %s\n", MTLS_VERSION);
		return finish(MTLS_EXIT_ACCEPTED);
	}
	fprintf(stderr, "mtls: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return MTLS_EXIT_TROUBLE;
}
