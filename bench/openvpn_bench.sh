#!/usr/bin/env bash
# openvpn_bench.sh PLUGIN MTLS - 50 OpenVPN clients connecting at once to
# one server ("mode server", tun device), with and without
# openvpn-plugin-mtls.so, while the OCSP responder answers each query after
# 500 ms.  With deferred checks in parallel, the whole takes about one OCSP
# round trip more than without the plugin, not fifty.  Needs root (network
# namespace, tun device); everything runs on loopback in a private network
# namespace and is stopped by its PID.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
plugin=$(realpath "$1")
mtls=$(realpath "$2")
clients=${BENCH_VPN_CLIENTS:-50}
delay_ms=500
if [ "$(id -u)" -ne 0 ]; then
	echo "openvpn benchmark skipped: needs root (network namespace, tun)"
	exit 0
fi
. "$root/tests/openvpn/vpnlib.sh"
. "$root/tests/openvpn/pki.sh"
vpn_netns "$0" "$@"
if ! vpn_has_tun; then
	echo "openvpn benchmark skipped: no usable /dev/net/tun for the" \
	    "server's tun device"
	exit 0
fi

VPN_WORK=$(mktemp -d "${TMPDIR:-/tmp}/mtls-vpn-bench.XXXXXX")
work=$VPN_WORK
helpers=()
cleanup() {
	vpn_stop_all
	if [ ${#helpers[@]} -gt 0 ]; then
		kill "${helpers[@]}" 2>/dev/null
		wait "${helpers[@]}" 2>/dev/null
	fi
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work" || exit 1
umask 022

echo "openvpn: $clients clients at once, mode server over TCP on loopback;" \
    "OCSP answers after $delay_ms ms"
pki_ca && pki_server server || exit 1
for ((i = 0; i < clients; i++)); do
	pki_client "c$i" "user$i" $((0x1000 + i)) || exit 1
	printf 'user%d\nunused\n' "$i" >"c$i.up"
	chmod 600 "c$i.up"
done
pki_ocsp_index ocsp.idx c[0-9]*.pem
OCSP_PID=
pki_ocsp_start ocsp.idx 8888 ocsp.log || exit 1
helpers+=("$OCSP_PID")
timeout -k 2 300 python3 "$here/ocsp_delay.py" 8889 http://127.0.0.1:8888/ \
    "$delay_ms" >delay.log 2>&1 &
helpers+=("$!")
vpn_wait delay.log 10 listening >/dev/null || {
	echo "bench: the delaying OCSP proxy did not start" >&2
	exit 1
}
mkdir -m 700 export

# run LABEL [PLUGIN-ARGS]: one server, all clients at once; prints the
# seconds until every client completed its connection.
run() {
	local label=$1 args=${2:-} start end i done_count

	rm -rf cache && mkdir -m 700 cache
	cat >mtls.conf <<-CONF
	ca_file = "$work/ca.pem";
	revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8889/";
	    cache_dir = "$work/cache"; ocsp_timeout_ms = 5000; };
	CONF
	{
		printf '%s\n' "mode server" tls-server "dev tun" \
		    "topology subnet" "ifconfig 10.8.0.1 255.255.0.0" \
		    "ifconfig-pool 10.8.0.2 10.8.3.250" 'push "topology subnet"' \
		    "proto tcp-server" "local 127.0.0.1" "port 1194" "dh none" \
		    "ca ca.pem" "cert server.pem" "key server.key" \
		    "tls-export-cert $work/export" "max-clients 200" "verb 1"
		[ -n "$args" ] && printf 'plugin %s %s\n' "$plugin" "$args"
	} >server.conf
	vpn_start server 120 server.conf
	local server=$VPN_PID
	vpn_wait server.log 10 "Initialization Sequence Completed" >/dev/null ||
	    { echo "bench: the server did not start" >&2; tail server.log >&2;
	    exit 1; }
	local pids=()
	start=$EPOCHREALTIME
	for ((i = 0; i < clients; i++)); do
		printf '%s\n' client "dev null" "proto tcp-client" \
		    "remote 127.0.0.1 1194" "ca ca.pem" "cert c$i.pem" \
		    "key c$i.key" "auth-user-pass c$i.up" \
		    "remote-cert-tls server" ifconfig-noexec route-noexec \
		    'pull-filter ignore "tun-mtu"' "connect-retry 1 1" \
		    "verb 3" >"c$i.conf"
		vpn_start "c$i" 60 "c$i.conf"
		pids+=("$VPN_PID")
	done
	while :; do
		done_count=$(grep -l "Initialization Sequence Completed" \
		    c[0-9]*.log 2>/dev/null | wc -l)
		[ "$done_count" -ge "$clients" ] && break
		if [ $(( ${EPOCHREALTIME%.*} - ${start%.*} )) -gt 50 ]; then
			echo "  $label: only $done_count of $clients connected" \
			    "within 50 s"
			vpn_stop "${pids[@]}" "$server"
			return 1
		fi
		sleep 0.02
	done
	end=$EPOCHREALTIME
	vpn_stop "${pids[@]}" "$server"
	SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
	printf '  %-44s all %d connected in %s s, %s connections/s\n' \
	    "$label:" "$clients" "$SECS" \
	    "$(awk -v s="$SECS" -v n="$clients" 'BEGIN { printf "%.1f", n / s }')"
}

run "without the plugin" || exit 1
base=$SECS
run "plugin, OCSP deferred, workers=8 (default)" "config=$work/mtls.conf bind_user=yes" ||
    exit 1
w8=$SECS
run "plugin, OCSP deferred, workers=32" "config=$work/mtls.conf bind_user=yes workers=32" ||
    exit 1
w32=$SECS
awk -v b="$base" -v a="$w8" -v c="$w32" -v d="$delay_ms" -v n="$clients" \
    'BEGIN { printf "  added by the plugin: %.2f s (workers=8), %.2f s " \
    "(workers=32); one OCSP round trip is %.1f s, %d in a row %.1f s\n",
    a - b, c - b, d / 1000, n, n * d / 1000 }'
