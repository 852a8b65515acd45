/*
 * version.h - which OpenVPN the plugin can work in.
 *
 * The plugin reads the client certificate of each depth from the file that
 * tls-export-cert names in env "peer_cert"; OpenVPN hands that file to
 * plugins (not only to --tls-verify scripts) from 2.6.9 on.  On an older
 * OpenVPN the plugin would see no certificate at all, so it refuses to
 * start there.
 */
#ifndef OVPN_VERSION_H
#define OVPN_VERSION_H

#include <stddef.h>

#define OPENVPN_MIN_MAJOR	2
#define OPENVPN_MIN_MINOR	6
#define OPENVPN_MIN_PATCH	9

/*
 * 1 when OpenVPN major.minor plus patch (as OpenVPN gives it, such as
 * ".14" or "_git") is at least 2.6.9; otherwise 0, with the sentence
 * saying why in err.
 */
int	version_supported(unsigned major, unsigned minor, const char *patch,
	    char *err, size_t errlen);

#endif
