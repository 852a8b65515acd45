#!/usr/bin/env bash
# openvpn_test.sh PLUGIN MTLS [SANITIZER-RUNTIME] - openvpn-plugin-mtls.so
# in real OpenVPN servers, with real OpenVPN clients, on loopback in a
# private network namespace; a real `openssl ocsp` responder; a real PAM
# stack (pam_unix) for the password factor.  Graded by log lines: OpenVPN's
# exit status does not tell success from failure.
#
# PLUGIN is the plugin, MTLS the mtls command (it publishes the CRL index).
# SANITIZER-RUNTIME, in an ASan build, is the runtime OpenVPN must preload
# to load a sanitized plugin.  Needs root (network namespace, tun device,
# PAM users); "mode server" cases need /dev/net/tun and are skipped, with
# the reason printed, where it is missing.  Exit 77: skipped.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/vpnlib.sh"
. "$here/pki.sh"
. "$here/../../scripts/web-common.sh"

[ $# -ge 2 ] || usage PLUGIN MTLS [SANITIZER-RUNTIME]
plugin=$(realpath "$1")
mtls=$(realpath "$2")
runtime=${3:-}
# Only OpenVPN's entry points are visible; nothing of libmtls or GnuTLS.
# (Once: the script runs again in its network namespace.)
if ! in_private_namespaces; then
	exported=$(nm -D --defined-only "$plugin" | awk '{ print $3 }')
	if grep -qv '^openvpn_plugin_' <<<"$exported"; then
		echo "FAIL: the plugin exports more than openvpn_plugin_*:"
		grep -v '^openvpn_plugin_' <<<"$exported" | head
		exit 1
	fi
	echo "ok: the plugin exports only:" $exported
fi
[ "$(id -u)" -eq 0 ] ||
    skip "needs root (network namespace, tun device, PAM test user)"
for tool in openvpn openssl certtool unshare ip useradd; do
	command -v "$tool" >/dev/null ||
	    skip "$tool is not installed (scripts/install-deps.sh)"
done
# a mount namespace too: a /dev of the test's own, whose /dev/log is a
# syslog daemon of the test's own, writing what it takes to the file syslog
private_namespaces --net --mount -- "$@" ||
    skip "needs unshare -n -m (network and mount namespaces)"

work_dir vpn-test
had_tun=
[ -c /dev/net/tun ] && had_tun=1
private_dev
# the tun device, where the machine has one ("mode server" cases)
if [ -n "$had_tun" ]; then
	mkdir /dev/net && mknod -m 666 /dev/net/tun c 10 200
fi
syslog_sink_start "$work/syslog.count" "$work/syslog"
VPN_WORK=$work
run_names vpn
user=$run_user
service=$run_service
at_exit 'rm -f "/etc/pam.d/$service"; userdel "$user" >/dev/null 2>&1'
if [ -n "$runtime" ]; then
	# openvpn is not sanitized: it loads the sanitized plugin only with
	# the runtime preloaded, and its own leaks are not the plugin's
	# the runtime intercepts crypt_r; pam_unix's libcrypt, loaded later
	# with dlopen, must be there when it starts, or the call jumps to 0.
	# GnuTLS too: the runtime leaves glibc's gettext lock one reader
	# short (seen with gdb in openvpn without any plugin), so GnuTLS's
	# constructor, loaded again after SIGHUP unloaded it with the plugin,
	# would wait forever in bindtextdomain(); preloaded, GnuTLS stays,
	# and the plugin's own close and reopen run sanitized
	VPN_ENV=("LD_PRELOAD=$runtime:libcrypt.so.1:libgnutls.so.30"
	    "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
	echo "# sanitized plugin: openvpn runs with ${VPN_ENV[0]}"
fi

# show LOG...: the end of logs, after a failure.
show() {
	local log

	for log in "$@"; do
		echo "--- $log"
		tail -n 25 "$log" | cut -c1-220
	done
}

# The PKI: the user's good certificate, revoked ones (CRL, OCSP), one
# with an RSA-1024 key, one without extendedKeyUsage.
pki_ca && pki_server server &&
pki_client good "$user" 16 &&
pki_client other "${user}o" 21 &&
pki_client renegudp "$user" 22 &&
pki_client mapped "mapped-$user" 23 &&
pki_client crlrevoked "$user" 17 &&
pki_client ocsprevoked "$user" 18 &&
pki_client weak "$user" 19 rsa:1024 &&
pki_cert noeku "$user" 20 ec "keyUsage=critical,digitalSignature" &&
pki_crl ca.crl crlrevoked.pem &&
pki_crl reneg.crl crlrevoked.pem &&
pki_ocsp_index ocsp.idx good.pem -- ocsprevoked.pem || {
	echo "FAIL: cannot make the test PKI"
	exit 1
}
mkdir -m 700 export cache cache-down cache-reneg cache-slow
printf 'CN=good good\nCN=mapped-%s %s\n' "$user" "$user" >users.map
cat >mtls.conf <<CONF
ca_file = "$work/ca.pem";
revocation = { cache_dir = "$work/cache"; ocsp_timeout_ms = 2000; };
profiles = {
	crl = {
		policy = { require_eku = true; };
		revocation = { mode = "crl"; crl_files = "$work/ca.crl"; };
	};
	ocsp = {
		revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8888/"; };
	};
	ocsp_down = {
		revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8889/";
		    cache_dir = "$work/cache-down"; };
	};
	ocsp_down_soft = {
		revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8889/";
		    cache_dir = "$work/cache-down"; ocsp_soft_fail = true; };
	};
	mapped = {
		revocation = { mode = "crl"; crl_files = "$work/ca.crl"; };
		identity = { map = "dn"; map_file = "$work/users.map"; };
	};
	reneg = {
		revocation = { mode = "crl"; crl_files = "$work/reneg.crl";
		    cache_dir = "$work/cache-reneg"; };
	};
	ocsp_slow = {
		revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8890/";
		    cache_dir = "$work/cache-slow"; ocsp_timeout_ms = 10000; };
	};
};
CONF
if ! "$mtls" crl update --config mtls.conf --profile crl >crl-update.log 2>&1
then
	echo "FAIL: mtls crl update"
	cat crl-update.log
	exit 1
fi

# server_p2p NAME PLUGIN-ARGS [OPTION...]: a point-to-point TLS server
# (no tun device), certificate only.
server_p2p() {
	local name=$1 args=$2

	shift 2
	cat >"$name.conf" <<-CONF
	dev null
	proto tcp-server
	local 127.0.0.1
	port 1195
	tls-server
	dh none
	ca ca.pem
	cert server.pem
	key server.key
	tls-export-cert $work/export
	plugin $plugin $args
	verb 3
	CONF
	vpn_start "$name" 120 "$name.conf" "$@"
}

# client_p2p NAME CERT [OPTION...]
client_p2p() {
	local name=$1 cert=$2

	shift 2
	cat >"$name.conf" <<-CONF
	dev null
	proto tcp-client
	remote 127.0.0.1 1195
	tls-client
	ca ca.pem
	cert $cert.pem
	key $cert.key
	remote-cert-tls server
	connect-retry 1 1
	verb 3
	CONF
	vpn_start "$name" 60 "$name.conf" "$@"
}

# expect_p2p WHAT CERT SERVER-REGEX [CLIENT-OPTION...]: a client with CERT
# is refused at TLS_VERIFY with the server's log matching SERVER-REGEX,
# or, for SERVER-REGEX "connected", connects.
expect_p2p() {
	local what=$1 cert=$2 want=$3 name=p2p-$2 ok

	shift 3
	: >"$server_log.mark"
	client_p2p "$name" "$cert" "$@"
	if [ "$want" = connected ]; then
		vpn_wait "$name.log" 30 "Initialization Sequence Completed" \
		    >/dev/null && ok=1 || ok=0
	else
		vpn_wait "$server_log" 30 "$want" >/dev/null &&
		    ! grep -q "Initialization Sequence Completed" "$name.log" &&
		    ok=1 || ok=0
	fi
	vpn_stop "$VPN_PID"
	if [ "$ok" = 1 ]; then
		pass "$what"
	else
		fail "$what"
		show "$server_log" "$name.log"
	fi
}

echo "# point-to-point TLS mode, certificate only (bind_user=no)"
server_p2p p2p-server "config=$work/mtls.conf profile=crl bind_user=no" \
    --tls-cert-profile insecure
server=$VPN_PID
server_log=p2p-server.log
if vpn_wait "$server_log" 30 "Listening for incoming TCP" >/dev/null; then
	expect_p2p "good certificate: connected" good connected
	expect_p2p "revoked in the CRL index: refused at TLS_VERIFY" \
	    crlrevoked 'reason=revoked.*source=crl-index|reason=revoked'
	expect_p2p "RSA-1024 key, which OpenSSL let through: refused" weak \
	    'reason=weak-key' --tls-cert-profile insecure
	expect_p2p "no extendedKeyUsage (require_eku): refused" noeku \
	    'reason=eku-missing'
else
	fail "point-to-point server did not start"
	show "$server_log"
fi
vpn_stop "$server"

# What libmtls says once, not of a verdict (here: the map file's index is
# stale, so the map file is read), is in OpenVPN's log, not only in a
# syslog that a VPN gateway may not have; and in syslog, as audit lines.
if "$mtls" map update --config mtls.conf --profile mapped >map-update.log 2>&1
then
	printf 'CN=other other\n' >>users.map
	said='openvpn-plugin-mtls: mtls: .*users\.map\.idx .*users\.map is read instead'
	server_p2p map-server \
	    "config=$work/mtls.conf profile=mapped bind_user=no"
	if vpn_wait map-server.log 30 "$said" >/dev/null &&
	    vpn_wait syslog 10 'mtls: .*users\.map is read instead' >/dev/null
	then
		pass "libmtls's stale map index: in OpenVPN's log and syslog"
	else
		fail "libmtls's stale map index: not in OpenVPN's log and syslog"
		show map-server.log syslog
	fi
	vpn_stop "$VPN_PID"
else
	fail "mtls map update"
	cat map-update.log
fi

# refuses_start NAME WHAT REGEX PLUGIN-ARGS: the server exits at start
# with a log line matching REGEX.
refuses_start() {
	local name=$1 what=$2 re=$3

	server_p2p "$name" "$4"
	if vpn_wait "$name.log" 30 "$re" >/dev/null &&
	    vpn_wait "$name.log" 30 "Exiting due to fatal error" >/dev/null
	then
		pass "$what"
	else
		fail "$what"
		show "$name.log"
	fi
	vpn_stop "$VPN_PID"
}

printf 'ca_file = "%s/ca.pem";\npolicy = { min_rsa_bits = "many"; };\n' \
    "$work" >broken-mtls.conf
refuses_start broken "broken configuration: the server does not start" \
    "broken-mtls.conf.*min_rsa_bits" "config=$work/broken-mtls.conf"
refuses_start missing "missing profile: the server does not start" \
    "nosuchprofile" "config=$work/mtls.conf profile=nosuchprofile"
refuses_start unknown "unknown plugin argument: the server does not start" \
    'unknown argument "colour"' "config=$work/mtls.conf colour=blue"

if ! vpn_has_tun; then
	echo "SKIP: mode server cases (password, OCSP, username binding," \
	    "SIGHUP): no usable /dev/net/tun for the server's tun device"
	finish
fi

# A username and password need "mode server": an OpenVPN client refuses
# auth-user-pass without pull ("--auth-user-pass requires --pull"), which
# only a server in mode server answers; and mode server needs a tun device.
echo "# mode server (tun device in the namespace), deferred checks"
useradd -M -N -s /usr/sbin/nologin "$user" &&
    echo "$user:right-password" | chpasswd || {
	fail "cannot create the PAM test user $user"
	exit 1
}
printf 'auth required pam_unix.so\naccount required pam_unix.so\n' \
    >"/etc/pam.d/$service"
pki_ocsp_start ocsp.idx 8888 ocsp.log || exit 1

# server_tun NAME PLUGIN-ARGS [OPTION...]
server_tun() {
	local name=$1 args=$2

	shift 2
	cat >"$name.conf" <<-CONF
	mode server
	tls-server
	dev tun
	topology subnet
	ifconfig 10.8.0.1 255.255.255.0
	ifconfig-pool 10.8.0.2 10.8.0.250
	push "topology subnet"
	proto tcp-server
	local 127.0.0.1
	port 1194
	dh none
	ca ca.pem
	cert server.pem
	key server.key
	verify-client-cert optional
	tls-export-cert $work/export
	plugin $plugin $args
	verb 3
	CONF
	vpn_start "$name" 180 "$name.conf" "$@"
	vpn_wait "$name.log" 30 "Initialization Sequence Completed" >/dev/null
}

# client_tun NAME CERT|- USER PASSWORD [CONFIG-LINE...]
client_tun() {
	local name=$1 cert=$2

	printf '%s\n%s\n' "$3" "$4" >"$name.up"
	chmod 600 "$name.up"
	{
		printf '%s\n' client "dev null" "proto tcp-client" \
		    "remote 127.0.0.1 1194" "ca ca.pem" \
		    "auth-user-pass $name.up" "remote-cert-tls server" \
		    ifconfig-noexec route-noexec 'pull-filter ignore "tun-mtu"' \
		    "connect-retry 1 1" "verb 3"
		if [ "$cert" != - ]; then
			printf 'cert %s.pem\nkey %s.key\n' "$cert" "$cert"
		fi
		printf '%s\n' "${@:5}"
	} >"$name.conf"
	vpn_start "$name" 60 "$name.conf"
}

# expect_tun WHAT CERT USER PASSWORD connected|AUTH-FAILED-REGEX
expect_tun() {
	local what=$1 name=c$((++clients)) line

	client_tun "$name" "$2" "$3" "$4"
	line=$(vpn_wait "$name.log" 40 "Initialization Sequence Completed" \
	    "AUTH_FAILED") || line=
	vpn_stop "$VPN_PID"
	case $5:$line in
	connected:*"Initialization Sequence Completed"*)
		pass "$what" ;;
	connected:*) fail "$what: not connected"; show "$server_log" \
	    "$name.log" ;;
	*:*"Initialization Sequence Completed"*)
		fail "$what: connected"
		show "$server_log" "$name.log" ;;
	*:*AUTH_FAILED*)
		if grep -Eq -- "$5" <<<"$line"; then
			pass "$what (${line#*AUTH_FAILED})"
		else
			fail "$what: $line"
			show "$server_log" "$name.log"
		fi ;;
	*)	fail "$what: neither connected nor AUTH_FAILED"
		show "$server_log" "$name.log" ;;
	esac
}
clients=0

server_tun tun-server \
    "config=$work/mtls.conf profile=ocsp pam_service=$service" || {
	fail "mode server did not start"
	show tun-server.log
	exit 1
}
server=$VPN_PID
server_log=tun-server.log
expect_tun "good certificate and password: connected" good "$user" \
    right-password connected
# No OCSP answer was cached yet: the TLS step could not decide, and its
# audit line must not read as a refusal of the client that connected.
if grep -q 'verdict=deferred reason=revocation-unavailable .*step="tls-verify"' \
    "$server_log" && grep -q 'verdict=accepted .*step="auth"' "$server_log" &&
    ! grep -q 'verdict=rejected' "$server_log"; then
	pass "good certificate: the TLS step's audit line says deferred," \
	    "the deferred step's accepted"
else
	fail "good certificate: audit lines"
	show "$server_log"
fi
expect_tun "revoked (OCSP answer from openssl ocsp): refused" ocsprevoked \
    "$user" right-password "AUTH_FAILED,.*revoked"
expect_tun "wrong password: refused" good "$user" wrong-password \
    "AUTH_FAILED,Wrong username or password"
expect_tun "username not the certificate's: refused" good "${user}x" \
    right-password "AUTH_FAILED,"
expect_tun "no client certificate (verify-client-cert optional): refused" \
    - "$user" right-password "AUTH_FAILED,This VPN needs your certificate"
# audited like every other decision, with the client's address
if vpn_wait "$work/syslog" 10 'verdict=rejected reason=no-certificate .* '\
'service="openvpn" step="auth" client="127\.0\.0\.1:[0-9]+"$' >/dev/null
then
	pass "no client certificate: its audit line in syslog"
else
	fail "no client certificate: no audit line in syslog"
	show "$work/syslog"
fi

# SIGHUP: OpenVPN closes and reopens the plugin; the connected client is
# let in again by the reopened plugin.
hup_client=
if client_tun hup good "$user" right-password && hup_client=$VPN_PID &&
    vpn_wait hup.log 40 "Initialization Sequence Completed" >/dev/null; then
	kill -HUP "$(cat tun-server.pid)"
	if vpn_wait_count "$server_log" 30 2 "openvpn-plugin-mtls: started" &&
	    grep -q "PLUGIN_CLOSE" "$server_log" &&
	    vpn_wait_count hup.log 40 2 "Initialization Sequence Completed"
	then
		pass "SIGHUP with a connected client: plugin reopened, client" \
		    "connected again"
	else
		fail "SIGHUP with a connected client"
		show "$server_log" hup.log
	fi
	# SIGUSR1 restarts the connections, and keeps the plugin loaded
	kill -USR1 "$(cat tun-server.pid)"
	if vpn_wait "$server_log" 30 "SIGUSR1" >/dev/null &&
	    vpn_wait_count hup.log 40 3 "Initialization Sequence Completed" &&
	    [ "$(grep -c "PLUGIN_CLOSE" "$server_log")" = 1 ] &&
	    [ "$(grep -c "openvpn-plugin-mtls: started" "$server_log")" = 2 ]
	then
		pass "SIGUSR1: the plugin stays loaded, the client connects again"
	else
		fail "SIGUSR1"
		show "$server_log" hup.log
	fi
else
	fail "SIGHUP: the client did not connect first"
	show "$server_log" hup.log
fi
vpn_stop $hup_client "$server"

# responder_down NAME PROFILE WHAT WANT: a server of PROFILE, whose OCSP
# responder does not answer, and the good client.
responder_down() {
	local started=0

	server_tun "$1" "config=$work/mtls.conf profile=$2" && started=1
	server=$VPN_PID
	server_log=$1.log
	if [ "$started" = 1 ]; then
		expect_tun "$3" good "$user" any "$4"
	else
		fail "$3: mode server did not start"
		show "$server_log"
	fi
	vpn_stop "$server"
}
responder_down down-hard ocsp_down \
    "OCSP responder down, hard fail: refused" "AUTH_FAILED,"
responder_down down-soft ocsp_down_soft \
    "OCSP responder down, soft fail: connected" connected

# Nothing to wait for (CRL, no password factor): the plugin answers the
# password step at once instead of deferring it, and still refuses with
# the reason for the user.
if server_tun at-once "config=$work/mtls.conf profile=crl"; then
	server=$VPN_PID
	server_log=at-once.log
	expect_tun "CRL only, username bound, no password factor: connected" \
	    good "$user" any connected
	if grep -q "PLUGIN_AUTH_USER_PASS_VERIFY status=0" "$server_log" &&
	    ! grep -q "authentication deferred" "$server_log"; then
		pass "nothing to wait for: answered at once, not deferred"
	else
		fail "nothing to wait for: the answer was deferred"
		show "$server_log"
	fi
	expect_tun "CRL only, username not the certificate's: refused" good \
	    "${user}x" any "AUTH_FAILED,.*belongs to another user"
else
	fail "CRL only: mode server did not start"
	show at-once.log
fi
vpn_stop "$VPN_PID" "$server"

# username-as-common-name: OpenVPN names the connection after the
# username by client-connect, here another name than the certificate's
# common name (the map file maps CN=mapped-USER to USER).
if server_tun as-cn "config=$work/mtls.conf profile=mapped" \
    --username-as-common-name; then
	server=$VPN_PID
	server_log=as-cn.log
	expect_tun "username-as-common-name, a mapped certificate: connected" \
	    mapped "$user" any connected
else
	fail "username-as-common-name: mode server did not start"
	show as-cn.log
fi
vpn_stop "$server"

# auth-gen-token: OpenVPN gives a client that logged in a token, which it
# sends instead of its password when it reconnects.  The token stands for
# the password, not for the certificate: someone else's token with one's
# own certificate is refused, one's own token is let in.
# auth_token NAME: connect client NAME with the good certificate and
# password, and print the token the server pushes to it (its management
# interface says ">PASSWORD:Auth-Token:"; held until the reader is there).
auth_token() {
	client_tun "$1" good "$user" right-password \
	    "management $work/$1.mgmt unix" management-hold
	timeout 40 python3 - "$work/$1.mgmt" <<-'PY'
	import socket, sys, time
	s = socket.socket(socket.AF_UNIX)
	for _ in range(200):
	    try:
	        s.connect(sys.argv[1])
	        break
	    except OSError:
	        time.sleep(0.1)
	s.sendall(b"hold release\n")
	f = s.makefile("rb")
	for line in f:
	    if line.startswith(b">PASSWORD:Auth-Token:"):
	        print(line.split(b":", 2)[2].strip().decode())
	        break
	PY
	vpn_stop "$VPN_PID"
}

# token_server NAME WHAT REFUSED-REGEX [OPENVPN-OPTION...]: a server with
# auth-gen-token and a password, a token for the good certificate's
# user, then that user's token with another user's certificate (refused,
# the client's AUTH_FAILED line matching REFUSED-REGEX), and with the
# good certificate (connected).
token_server() {
	local name=$1 what=$2 refused=$3 token

	shift 3
	if ! server_tun "$name" \
	    "config=$work/mtls.conf profile=crl pam_service=$service" "$@"
	then
		fail "$what: mode server did not start"
		show "$name.log"
		vpn_stop "$VPN_PID"
		return
	fi
	server=$VPN_PID
	server_log=$name.log
	token=$(auth_token "$name-a")
	if [ -z "$token" ]; then
		fail "$what: the client got no token"
		show "$server_log" "$name-a.log"
	else
		expect_tun "$what: token, another user's certificate: refused" \
		    other "$user" "$token" "$refused"
		expect_tun "$what: token, the user's certificate: connected" \
		    good "$user" "$token" connected
	fi
	vpn_stop "$server"
}
echo "# auth-gen-token"
token_server token "auth-gen-token" AUTH_FAILED --auth-gen-token 0
# the refusal is the plugin's, audited, at the step OpenVPN calls
if grep -q 'verdict=rejected reason=.*step="client-connect"' token.log; then
	pass "auth-gen-token: the refusal's audit line"
else
	fail "auth-gen-token: no audit line of the refusal"
	show token.log
fi
token_server token-ext "auth-gen-token external-auth" \
    "AUTH_FAILED,.*belongs to another user" --auth-gen-token 0 external-auth

# auth-gen-token without external-auth, and an OCSP responder that takes
# 4 seconds: the check at client-connect of a client that sent its token
# waits on a worker thread, not on OpenVPN's, which meanwhile serves
# another client (refused, as it has no certificate) before the first is
# let in.  The token comes from a server with the same token secret, so
# that the second server has no OCSP answer cached.
echo "# auth-gen-token, client-connect deferred while OCSP is slow"
slow_started=0
if timeout -k 2 120 python3 "$here/../../bench/ocsp_delay.py" 8890 \
    http://127.0.0.1:8888/ 4000 >ocsp-slow.log 2>&1 &
    started $! && vpn_wait ocsp-slow.log 10 listening >/dev/null &&
    openvpn --genkey auth-token token.key >/dev/null 2>&1 &&
    server_tun slow-token "config=$work/mtls.conf profile=ocsp_slow \
    pam_service=$service" --auth-gen-token 0 --auth-gen-token-secret \
    token.key; then
	slow_token=$(auth_token slow-token-a)
	vpn_stop "$VPN_PID"
	rm -rf cache-slow/ocsp
	server_tun slow "config=$work/mtls.conf profile=ocsp_slow \
	    pam_service=$service" --auth-gen-token 0 \
	    --auth-gen-token-secret token.key && slow_started=1
fi
if [ "$slow_started" = 1 ] && [ -n "$slow_token" ]; then
	server=$VPN_PID
	client_tun slow-a good "$user" "$slow_token"
	slow_a=$VPN_PID
	if vpn_wait slow.log 30 "OpenVPN did not call the password step" \
	    >/dev/null; then
		client_tun slow-b - "$user" any
		vpn_wait slow-b.log 20 AUTH_FAILED >/dev/null
		vpn_stop "$VPN_PID"
	fi
	vpn_wait slow-a.log 30 "Initialization Sequence Completed" >/dev/null
	refused_b=$(grep -n "refused: no client certificate" slow.log |
	    head -1 | cut -d: -f1)
	accepted_a=$(grep -n "user \"$user\" accepted at client-connect" \
	    slow.log | head -1 | cut -d: -f1)
	if grep -q "Initialization Sequence Completed" slow-a.log &&
	    grep -q "PLUGIN_CLIENT_CONNECT_V2 status=2" slow.log &&
	    [ -n "$refused_b" ] && [ -n "$accepted_a" ] &&
	    [ "$refused_b" -lt "$accepted_a" ]; then
		pass "auth-gen-token, slow OCSP: client-connect deferred;" \
		    "OpenVPN served another client meanwhile, then let the" \
		    "token's client in"
	else
		fail "auth-gen-token, slow OCSP: client-connect"
		show slow.log slow-a.log ocsp-slow.log
	fi
	vpn_stop "$slow_a" "$server"
else
	fail "auth-gen-token, slow OCSP: no server, responder or token"
	show slow-token.log slow-token-a.log slow.log ocsp-slow.log
	vpn_stop "$VPN_PID"
fi

# Renegotiation (here every 4 seconds; reneg-sec, an hour by default):
# OpenVPN calls TLS_VERIFY and the password step again.  A client whose
# certificate stays good keeps its connection, its username bound again;
# once its certificate is revoked (a new CRL, published by mtls crl update
# while the server runs), the next renegotiation refuses it at TLS_VERIFY
# and the client loses its tunnel: over TCP at once (OpenVPN ends a TCP
# client's instance on a TLS error), over UDP once OpenVPN drops the old
# key, tran-window seconds after the renegotiation began (an hour by
# default; openvpn-plugin-mtls(8), RENEGOTIATION AND AUTH TOKENS).  Its
# attempts to connect again are refused.
reneg_accepted="openvpn-plugin-mtls: client [0-9.:]+ user \"$user\" accepted"
reneg_refused='verdict=rejected reason=revoked .*step="tls-verify"'
reneg_crl=1
# reneg_case NAME CERT LOST-REGEX SERVER-OPTIONS [CLIENT-LINE...]: a server
# renegotiating every 4 seconds, a client with CERT that must stay through
# a renegotiation, then, CERT revoked, lose its tunnel, the client's log
# matching LOST-REGEX.  SERVER-OPTIONS is one word list.
reneg_case() {
	local name=$1 cert=$2 lost=$3 options=$4 server

	shift 4
	if ! server_tun "$name" "config=$work/mtls.conf profile=reneg" \
	    --reneg-sec 4 $options; then
		fail "$name: mode server did not start"
		show "$name.log"
		vpn_stop "$VPN_PID"
		return
	fi
	server=$VPN_PID
	client_tun "$name-client" "$cert" "$user" any "$@"
	if vpn_wait "$name-client.log" 30 "Initialization Sequence Completed" \
	    >/dev/null && vpn_wait_count "$name.log" 20 2 "$reneg_accepted" &&
	    vpn_wait_count "$name-client.log" 10 2 "Control Channel: TLS" &&
	    ! grep -q "SIGUSR1" "$name-client.log"; then
		pass "$name: good certificate: the client stays connected" \
		    "through renegotiation, its username bound again"
	else
		fail "$name: good certificate, renegotiation"
		show "$name.log" "$name-client.log"
	fi
	reneg_revoked+=("$cert.pem")
	if pki_crl_number $((++reneg_crl)) reneg.crl "${reneg_revoked[@]}" &&
	    "$mtls" crl update --config mtls.conf --profile reneg \
	    >>reneg-update.log 2>&1 &&
	    vpn_wait "$name.log" 20 "$reneg_refused" >/dev/null &&
	    vpn_wait "$name-client.log" 20 "$lost" >/dev/null &&
	    vpn_wait_count "$name.log" 20 2 "$reneg_refused" &&
	    [ "$(grep -c "Initialization Sequence Completed" \
	    "$name-client.log")" = 1 ]
	then
		pass "$name: certificate revoked meanwhile: refused at the" \
		    "next renegotiation, the client cut off and refused again"
	else
		fail "$name: certificate revoked meanwhile"
		cat reneg-update.log
		show "$name.log" "$name-client.log"
	fi
	vpn_stop "$VPN_PID" "$server"
}
echo "# renegotiation: kept while good, cut off once revoked"
reneg_revoked=(crlrevoked.pem)
if "$mtls" crl update --config mtls.conf --profile reneg \
    >reneg-update.log 2>&1; then
	reneg_case reneg-tcp good "SIGUSR1\[soft,connection-reset\]" ""
	reneg_case reneg-udp renegudp "SIGUSR1\[soft,ping-restart\]" \
	    "--proto udp --tran-window 5 --keepalive 1 4" "proto udp"
else
	fail "renegotiation: mtls crl update"
	cat reneg-update.log
fi

# After a privilege drop, SIGHUP reopens the plugin as the unprivileged
# user: the files it reads must be readable by that user
# (openvpn-plugin-mtls(8), PASSWORDS AND PRIVILEGES), and OpenVPN reads
# its own configuration and keys again too.  Point to point, certificate
# only; the test user is the one OpenVPN drops to.
echo "# privilege drop (user $user, group nogroup), then SIGHUP"
chmod 711 "$work"
mkdir -m 755 drop
install -m 644 ca.pem ca.crl drop/
install -m 600 -o "$user" server.key drop/
# the user's: OpenVPN checks again that it may write its --writepid file
# and in its --tmp-dir, and the plugin reads the exported certificates
install -d -m 700 -o "$user" drop/run drop/export drop/tmp
install -m 644 -o "$user" /dev/null drop/run/drop-server.pid
printf 'ca_file = "%s";\nrevocation = { mode = "crl"; crl_files = "%s"; };\n' \
    "$work/drop/ca.pem" "$work/drop/ca.crl" >drop/mtls.conf
VPN_WORK=$work/drop/run server_p2p drop-server \
    "config=$work/drop/mtls.conf bind_user=no" --user "$user" \
    --group nogroup --key "$work/drop/server.key" \
    --tls-export-cert "$work/drop/export" --tmp-dir "$work/drop/tmp"
server=$VPN_PID
server_log=drop/run/drop-server.log
client_p2p drop-client good
drop_client=$VPN_PID
if vpn_wait drop-client.log 30 "Initialization Sequence Completed" \
    >/dev/null && vpn_wait "$server_log" 10 "UID set to $user" >/dev/null
then
	kill -HUP "$(cat drop/run/drop-server.pid)"
	if vpn_wait_count "$server_log" 30 2 "openvpn-plugin-mtls: started" &&
	    vpn_wait_count drop-client.log 40 2 \
	    "Initialization Sequence Completed" &&
	    [ "$(grep -c "verdict=accepted" "$server_log")" -ge 2 ]
	then
		pass "SIGHUP after dropping to $user: the plugin reopened" \
		    "unprivileged and let the connected client in again"
	else
		fail "SIGHUP after a privilege drop"
		show "$server_log" drop-client.log
	fi
	# a configuration that only root may read: the reopen fails, and
	# OpenVPN stops, saying which file
	chmod 600 drop/mtls.conf
	kill -HUP "$(cat drop/run/drop-server.pid)"
	if vpn_wait "$server_log" 30 "drop/mtls.conf.*Permission denied" \
	    >/dev/null && vpn_wait "$server_log" 30 \
	    "Exiting due to fatal error" >/dev/null; then
		pass "SIGHUP after a privilege drop, configuration unreadable" \
		    "by $user: OpenVPN stops, naming the file"
	else
		fail "SIGHUP after a privilege drop, unreadable configuration"
		show "$server_log"
	fi
else
	fail "privilege drop: the client did not connect first"
	show "$server_log" drop-client.log
fi
vpn_stop "$drop_client" "$server"

finish
