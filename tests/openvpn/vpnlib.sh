# vpnlib.sh - start real OpenVPN servers and clients on loopback, grade
# them by their log lines, and stop them by their PIDs.  Sourced by the
# plugin's test, scripts/demo-vpn.sh and bench/openvpn_bench.sh.
#
# The caller sets VPN_WORK (a directory of its own) and calls vpn_netns
# "$@" first: everything then runs in a private network namespace, so
# fixed ports clash with nobody and nothing listens outside it.  What
# vpn_start starts is stopped when the caller ends (scripts/harness.sh).

. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/harness.sh"

# Environment of every openvpn started (the sanitizer runtime, in an ASan
# build).
VPN_ENV=()

# vpn_netns ARG...: run the calling script again, with ARGs, in a new
# network namespace with loopback up, unless already in one.
vpn_netns() {
	private_namespaces --net -- "$@" || {
		echo "cannot make a network namespace (unshare -n)" >&2
		exit 1
	}
}

# vpn_has_tun: whether "mode server" can have its tun device here.
vpn_has_tun() {
	[ -c /dev/net/tun ] && ip tuntap add dev mtlsprobe mode tun \
	    2>/dev/null && ip link del mtlsprobe 2>/dev/null
}

# vpn_start NAME SECONDS CONFIG [OPENVPN-OPTION...]: run openvpn in the
# background for at most SECONDS, logging to $VPN_WORK/NAME.log.  VPN_PID
# is what to stop it by (timeout's PID); openvpn's own PID, the one to
# send SIGHUP to (timeout would end openvpn after forwarding it), is
# written to $VPN_WORK/NAME.pid.
vpn_start() {
	local name=$1 limit=$2 config=$3

	shift 3
	: >"$VPN_WORK/$name.log"
	timeout -k 2 "$limit" env "${VPN_ENV[@]}" openvpn --config "$config" \
	    --log "$VPN_WORK/$name.log" --writepid "$VPN_WORK/$name.pid" \
	    "$@" >/dev/null 2>&1 &
	VPN_PID=$!
	started "$VPN_PID"
}

# vpn_wait LOG SECONDS REGEX...: wait until LOG has a line matching one of
# the extended REGEXes; prints the first match.  Fails after SECONDS.
vpn_wait() {
	local log=$1 limit=$2 deadline re

	shift 2
	deadline=$((SECONDS + limit))
	while [ "$SECONDS" -le "$deadline" ]; do
		for re in "$@"; do
			if grep -Eq -- "$re" "$log" 2>/dev/null; then
				grep -Em1 -- "$re" "$log"
				return 0
			fi
		done
		sleep 0.05
	done
	return 1
}

# vpn_wait_count LOG SECONDS N REGEX: wait until LOG has N lines matching
# the extended REGEX.
vpn_wait_count() {
	local deadline=$((SECONDS + $2))

	while [ "$SECONDS" -le "$deadline" ]; do
		[ "$(grep -Ec -- "$4" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

# vpn_stop PID...: stop what vpn_start started, and wait for it.
vpn_stop() {
	local pid

	# all at once: each takes its time to exit
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		stop_one "$pid"
	done
}
