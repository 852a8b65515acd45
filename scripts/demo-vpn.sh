#!/usr/bin/env bash
# demo-vpn.sh BUILD-DIR - the VPN part of the demo: a real OpenVPN server
# with openvpn-plugin-mtls.so and real OpenVPN clients on loopback, in a
# private network namespace.  The good certificate connects; a revoked
# one and a wrong username do not.  Called by demo.sh after the build.
#
# Exits non-zero when an outcome is not the one the demo announces.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$root/build}")
plugin=$build/openvpn_plugin/openvpn-plugin-mtls.so
mtls=$build/cli/mtls
if [ "$(id -u)" -ne 0 ]; then
	echo "demo-vpn: skipped: OpenVPN needs root here (network namespace" \
	    "and tun device); run the demo as root to see it"
	exit 0
fi
. "$root/tests/openvpn/vpnlib.sh"
. "$root/tests/openvpn/pki.sh"
vpn_netns "$@"

work_dir demo-vpn
VPN_WORK=$work
surprises=0

say() {
	printf '\n'
	printf '%s\n' "$*" | fold -s -w 76
}

# outcome WHAT WANT LOG REGEX...: the first line of LOG matching a REGEX;
# WANT is connected or refused.
outcome() {
	local what=$1 want=$2 got line

	shift 2
	line=$(vpn_wait "$@") || line="(no answer)"
	case $line in
	*"Initialization Sequence Completed"*) got=connected ;;
	*)	got=refused ;;
	esac
	printf '    %s: %s\n' "$what" "$got"
	sed 's/^[0-9-]* [0-9:]* //' <<<"$line" | fold -s -w 70 |
	    sed 's/^/      /'
	if [ "$got" != "$want" ]; then
		echo "    !! expected $want"
		surprises=$((surprises + 1))
	fi
}

say "7. A VPN: OpenVPN 2.6 with openvpn-plugin-mtls.so, on loopback in a \
network namespace of its own.  A CA, the server's certificate, alice's, \
and mallory's, which the CRL revokes (made with openssl and certtool):"
pki_ca "Demo VPN CA" && pki_server server && pki_client alice alice 16 &&
    pki_client mallory mallory 17 && pki_crl ca.crl mallory.pem || {
	echo "demo-vpn: cannot make the PKI" >&2
	exit 1
}
mkdir -m 700 export cache
cat >mtls.conf <<CONF
ca_file = "$work/ca.pem";
revocation = { cache_dir = "$work/cache"; };
profiles = {
	openvpn = {
		policy = { require_eku = true; };
		revocation = { mode = "crl"; crl_files = "$work/ca.crl"; };
	};
};
CONF
sed 's/^/    /' mtls.conf
"$mtls" crl update --config mtls.conf --profile openvpn >/dev/null || {
	echo "demo-vpn: mtls crl update failed" >&2
	exit 1
}

if vpn_has_tun; then
	mode=server
	args="config=$work/mtls.conf profile=openvpn"
	server_lines=("mode server" "tls-server" "dev tun" "topology subnet"
	    "ifconfig 10.8.0.1 255.255.255.0" "ifconfig-pool 10.8.0.2 10.8.0.9"
	    'push "topology subnet"' "port 1194")
	client_lines=(client "remote 127.0.0.1 1194" ifconfig-noexec
	    route-noexec 'pull-filter ignore "tun-mtu"')
else
	mode=p2p
	args="config=$work/mtls.conf profile=openvpn bind_user=no"
	server_lines=("dev null" "tls-server" "port 1194")
	client_lines=(tls-client "remote 127.0.0.1 1194")
	say "(No usable /dev/net/tun: a point-to-point server, certificate \
only, so no username to bind.)"
fi
{
	printf '%s\n' "${server_lines[@]}" "proto tcp-server" "local 127.0.0.1" \
	    "dh none" "ca ca.pem" "cert server.pem" "key server.key" \
	    "tls-export-cert $work/export" "verb 3"
	printf 'plugin %s %s\n' "$plugin" "$args"
} >server.conf
say "The server's configuration (the plugin reads each client certificate \
from the tls-export-cert directory):"
sed 's/^/    /' server.conf
vpn_start server 90 server.conf
server=$VPN_PID
vpn_wait server.log 10 "Initialization Sequence Completed|Listening for" \
    >/dev/null || {
	echo "demo-vpn: the OpenVPN server did not start:" >&2
	tail -n 20 server.log >&2
	exit 1
}

# client NAME CERT USER: a client connecting as USER with CERT.
client() {
	{
		printf '%s\n' "${client_lines[@]}" "dev null" "proto tcp-client" \
		    "ca ca.pem" "cert $2.pem" "key $2.key" \
		    "remote-cert-tls server" "connect-retry 1 1" "verb 3"
		if [ "$mode" = server ]; then
			printf '%s\nsecret\n' "$3" >"$1.up"
			chmod 600 "$1.up"
			printf 'auth-user-pass %s.up\n' "$1"
		fi
	} >"$1.conf"
	vpn_start "$1" 20 "$1.conf"
}

say "alice connects with her certificate (as user alice):"
client good alice alice
outcome "alice" connected good.log 15 "Initialization Sequence Completed" \
    "AUTH_FAILED.*"
vpn_stop "$VPN_PID"
say "mallory's certificate is revoked: refused at TLS_VERIFY, with the \
reason in the server's log:"
client revoked mallory mallory
outcome "mallory" refused server.log 15 "verdict=rejected.*" \
    "VERIFY PLUGIN ERROR.*"
vpn_stop "$VPN_PID"
if [ "$mode" = server ]; then
	say "alice's certificate with the username bob: refused, and the \
client is told why (AUTH_FAILED):"
	client wronguser alice bob
	outcome "alice's certificate as bob" refused wronguser.log 15 \
	    "Initialization Sequence Completed" "AUTH_FAILED.*"
	vpn_stop "$VPN_PID"
fi
vpn_stop "$server"
if [ "$surprises" -ne 0 ]; then
	echo "demo-vpn: $surprises outcomes were not the expected ones" >&2
	exit 1
fi
echo
echo "demo-vpn: every VPN outcome is the expected one.  See" \
    "openvpn-plugin-mtls(8): man -l $root/man/openvpn-plugin-mtls.8"
