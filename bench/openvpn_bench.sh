#!/usr/bin/env bash
# openvpn_bench.sh PLUGIN - 50 OpenVPN clients connecting at once to one
# server ("mode server", tun device), five ways, alternating in rounds:
# without openvpn-plugin-mtls.so; with OpenVPN's own deferred
# authentication (a script that answers at once) instead; with the plugin
# while the OCSP responder answers at once; and while it answers each
# query after 500 ms, with the default workers= and with workers=8.  With
# the deferred checks in parallel, the slow responder costs about one
# OCSP round trip more than the one that answers at once, not fifty.
# Each run also says where its time went (openvpn_timeline.py), and the
# last one with the slow responder every step of a connection.  Needs
# root (network namespace, tun device); everything runs on loopback in a
# private network namespace and is stopped by its PID.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
plugin=$(realpath "$1")
clients=${BENCH_VPN_CLIENTS:-50}
rounds=${BENCH_VPN_ROUNDS:-3}
delay_ms=500
if [ "$(id -u)" -ne 0 ]; then
	echo "openvpn benchmark skipped: needs root (network namespace, tun)"
	exit 0
fi
. "$root/tests/openvpn/vpnlib.sh"
. "$root/tests/openvpn/pki.sh"
vpn_netns "$@"
if ! vpn_has_tun; then
	echo "openvpn benchmark skipped: no usable /dev/net/tun for the" \
	    "server's tun device"
	exit 0
fi

work_dir vpn-bench
VPN_WORK=$work

echo "openvpn: $clients clients at once, mode server over TCP on loopback," \
    "$rounds rounds"
pki_ca && pki_server server || exit 1
for ((i = 0; i < clients; i++)); do
	pki_client "c$i" "user$i" $((0x1000 + i)) || exit 1
	printf 'user%d\nunused\n' "$i" >"c$i.up"
	chmod 600 "c$i.up"
done
pki_ocsp_index ocsp.idx c[0-9]*.pem
pki_ocsp_start ocsp.idx 8888 ocsp.log || exit 1
# in front of it, a slow responder on 8889 and a fast one on 8890
for port in 8889 8890; do
	timeout -k 2 900 python3 "$here/ocsp_delay.py" "$port" \
	    http://127.0.0.1:8888/ $((port == 8889 ? delay_ms : 0)) \
	    >"ocsp$port.log" 2>&1 &
	started $!
	vpn_wait "ocsp$port.log" 10 listening >/dev/null || {
		echo "bench: the OCSP proxy on port $port did not start" >&2
		exit 1
	}
	cat >"mtls$port.conf" <<-CONF
	ca_file = "$work/ca.pem";
	revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:$port/";
	    cache_dir = "$work/cache"; ocsp_timeout_ms = 5000; };
	CONF
done
mkdir -m 700 export

# run DIR [SERVER-LINE...]: one server, its configuration with the
# extra lines, all clients at once; their logs and OpenVPN's
# auth_control_files (and acf_watch.py's record of them) go to DIR.  SECS is the seconds until every client completed its
# connection, START when they started.
run() {
	local dir=$1 i done_count end client_pids=() server watcher

	shift

	mkdir -p "$dir/acf"
	rm -rf cache && mkdir -m 700 cache
	timeout -k 2 120 python3 "$here/acf_watch.py" "$dir/acf" \
	    "$dir/acf.log" >"$dir/watch.out" 2>&1 &
	watcher=$!
	started "$watcher"
	vpn_wait "$dir/watch.out" 10 watching >/dev/null || {
		echo "bench: acf_watch.py did not start:" >&2
		cat "$dir/watch.out" >&2
		return 1
	}
	{
		printf '%s\n' "mode server" tls-server "dev tun" \
		    "topology subnet" "ifconfig 10.8.0.1 255.255.0.0" \
		    "ifconfig-pool 10.8.0.2 10.8.3.250" 'push "topology subnet"' \
		    "proto tcp-server" "local 127.0.0.1" "port 1194" "dh none" \
		    "ca ca.pem" "cert server.pem" "key server.key" \
		    "tls-export-cert $work/export" "max-clients 200" \
		    "tmp-dir $dir/acf" "verb 3" machine-readable-output
		[ $# -gt 0 ] && printf '%s\n' "$@"
	} >server.conf
	vpn_start server 120 server.conf
	server=$VPN_PID
	vpn_wait server.log 10 "Initialization Sequence Completed" >/dev/null ||
	    { echo "bench: the server did not start" >&2; tail server.log >&2;
	    return 1; }
	START=$EPOCHREALTIME
	for ((i = 0; i < clients; i++)); do
		printf '%s\n' client "dev null" "proto tcp-client" \
		    "remote 127.0.0.1 1194" "ca ca.pem" "cert c$i.pem" \
		    "key c$i.key" "auth-user-pass c$i.up" \
		    "remote-cert-tls server" ifconfig-noexec route-noexec \
		    'pull-filter ignore "tun-mtu"' "connect-retry 1 1" \
		    "verb 3" machine-readable-output >"c$i.conf"
		vpn_start "c$i" 60 "c$i.conf"
		client_pids+=("$VPN_PID")
	done
	while :; do
		done_count=$(grep -l "Initialization Sequence Completed" \
		    c[0-9]*.log 2>/dev/null | wc -l)
		[ "$done_count" -ge "$clients" ] && break
		if [ $(( ${EPOCHREALTIME%.*} - ${START%.*} )) -gt 50 ]; then
			echo "bench: only $done_count of $clients connected" \
			    "within 50 s" >&2
			return 1
		fi
		sleep 0.02
	done
	end=$EPOCHREALTIME
	vpn_stop "${client_pids[@]}" "$server"
	stop_one "$watcher"
	mv server.log c[0-9]*.log "$dir/"
	SECS=$(awk -v a="$START" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
}

# per: N SECONDS: connections per second
per() {
	awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", n / s }'
}

# range NUMBER...: "lowest-highest"
range() {
	printf '%s\n' "$@" | sort -g | sed -n '1h;${H;x;s/\n/-/;p;}'
}

# OpenVPN's own deferred authentication, without the plugin: a script
# that answers at once
printf '#!/bin/sh\necho 1 >"$auth_control_file"\nexit 2\n' >defer.sh
chmod 755 defer.sh
# the five, in this order in every round: label, responder, server lines
labels=("without the plugin" "no plugin, a deferring script"
    "plugin, OCSP at once" "plugin, OCSP after $delay_ms ms"
    "plugin, after $delay_ms ms, workers=8")
ports=(8890 8890 8890 8889 8889)
lines=("" "script-security 2|auth-user-pass-verify $work/defer.sh via-env"
    "plugin $plugin config=$work/mtls8890.conf"
    "plugin $plugin config=$work/mtls8889.conf"
    "plugin $plugin config=$work/mtls8889.conf workers=8")
declare -A secs
for ((r = 1; r <= rounds; r++)); do
	echo " round $r:"
	for k in 0 1 2 3 4; do
		IFS='|' read -ra extra <<<"${lines[k]}"
		run "$work/run$r.$k" "${extra[@]}" || exit 1
		secs[$r.$k]=$SECS
		printf '  %-38s all %d connected in %s s, %s connections/s\n' \
		    "${labels[k]}:" "$clients" "$SECS" "$(per "$clients" "$SECS")"
		python3 "$here/openvpn_timeline.py" "$START" "$work/run$r.$k" \
		    "ocsp${ports[k]}.log" || exit 1
		[ "$k" -eq 3 ] && last=("$START" "$work/run$r.$k")
	done
done

echo " over the $rounds rounds:"
for k in 0 1 2 3 4; do
	s=() rate=()
	for ((r = 1; r <= rounds; r++)); do
		s+=("${secs[$r.$k]}")
		rate+=("$(per "$clients" "${secs[$r.$k]}")")
	done
	printf '  %-38s %s s, %s connections/s\n' "${labels[k]}:" \
	    "$(range "${s[@]}")" "$(range "${rate[@]}")"
done
# minus A B: the rounds' differences of the seconds of ways A and B
minus() {
	local r out=()

	for ((r = 1; r <= rounds; r++)); do
		out+=("$(awk -v a="${secs[$r.$1]}" -v b="${secs[$r.$2]}" \
		    'BEGIN { printf "%.2f", a - b }')")
	done
	range "${out[@]}"
}
echo "  OpenVPN's deferral (the script minus without):  $(minus 1 0) s"
echo "  the plugin at once, minus the script:           $(minus 2 1) s"
echo "  the slow responder, minus the one at once:      $(minus 3 2) s" \
    "(one round trip: $delay_ms ms; $clients in a row:" \
    "$((clients * delay_ms / 1000)) s)"
echo " each step of a connection, last round, OCSP after $delay_ms ms:"
python3 "$here/openvpn_timeline.py" "${last[@]}" ocsp8889.log --table |
    tail -n +2
cat <<'EOF'
 OpenVPN 2.6 reads a deferred answer only when it next handles that client
 (Debian builds it without --enable-async-push), and at most once per
 wall-clock second; once the handshake is done, the client's PUSH_REQUEST
 is what makes it handle the client: about 1 s after the handshake, then
 every 5 s.  An answer that misses the first (or comes after OpenVPN's
 read of that second) costs that client 5 s: that wait is OpenVPN's, and
 a deferring script pays it too.  "answer after deferral" is the
 plugin's, OCSP round trip included.
EOF
