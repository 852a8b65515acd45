#!/usr/bin/env bash
# radius_test.sh - Wi-Fi (802.1X EAP-TLS) through a real FreeRADIUS, with
# eapol_test as the supplicant and mtls radius as both of its hooks.
#
# usage: radius_test.sh PATH/TO/mtls SOURCE_DIR
#
# FreeRADIUS runs in the foreground (-X) on a configuration made here, in
# a temporary directory, from the snippets of etc/freeradius/ as they are
# shipped (only their paths changed); an `openssl ocsp` responder answers
# for the OCSP cases.  All of it runs in a network namespace of its own,
# where only loopback is up, so fixed ports collide with nothing.  What
# was started is stopped by its PID, also on failure.
set -u
. "$(dirname "$0")/../../scripts/radius-lab.sh"
. "$(dirname "$0")/radius_lib.sh"

[ $# -eq 2 ] && [ -x "$1" ] && [ -d "$2" ] || usage PATH/TO/mtls SOURCE_DIR
for tool in freeradius eapol_test openssl unshare ip; do
	command -v "$tool" >/dev/null ||
	    skip "$tool is not installed (scripts/install-deps.sh)"
done
lab_netns "$@"

LAB_MTLS=$(realpath "$1")
LAB_SRC=$(realpath "$2")
MTLS=$LAB_MTLS
work_dir radius-test
ocsp_pid=

OCSP_PORT=8080


# --- the PKI: our CA, a CA only FreeRADIUS trusts, and the clients ------

make_pki() {
	ca ca "/O=Example/CN=Example Wi-Fi CA" &&
	ca rogue "/O=Example/CN=Visitors CA" &&
	issue server ca "/CN=radius.example" 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth' &&
	issue alice ca "/O=Example/CN=alice" "$ext_client
subjectAltName=email:alice@example.org" &&
	issue carol ca "/O=Example/CN=carol" "$ext_client" &&
	issue dave ca "/O=Example/CN=dave" "$ext_client" &&
	issue mallory rogue "/O=Example/CN=mallory" "$ext_client" &&
	issue erin ca "/O=Example/CN=erin" "$ext_client" \
	    -newkey rsa:1024 &&
	issue frank ca "/O=Example/CN=frank" 'basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid' &&
	lab_ca_db db-crl && lab_ca_db db-ocsp &&
	lab_revoke db-crl carol.crt &&
	openssl ca -config db-crl/ca.cnf -keyfile ca.key -cert ca.crt \
	    -gencrl -out crl.pem 2>/dev/null &&
	openssl ca -config db-ocsp/ca.cnf -keyfile ca.key -cert ca.crt \
	    -valid alice.crt 2>/dev/null &&
	lab_revoke db-ocsp dave.crt &&
	# FreeRADIUS trusts both CAs; the mtls profile only ours
	cat ca.crt rogue.crt >radius-ca.crt
}

if ! make_pki; then
	echo "FAIL: cannot make the test PKI with openssl"
	exit 1
fi

# --- the mtls configuration ----------------------------------------------

write_mtls_conf() {
	cat >mtls.conf <<EOC
ca_file = "ca.crt";
policy = { require_eku = true; };
revocation = {
    mode = "crl";
    crl_files = ["crl.pem"];
    cache_dir = "cache";
};
radius = {
    realm = "strip";
    reply = ( { user = "alice"; vlan = 10; class = "wifi-staff"; } );
};
profiles = {
    wifi = { };
    wifi-ocsp = {
        revocation = {
            mode = "ocsp";
            ocsp_url = "http://127.0.0.1:$OCSP_PORT/";
        };
    };
};
EOC
}
write_mtls_conf
mkdir -m 700 cache
if ! "$MTLS" crl update --config mtls.conf --profile wifi >crl-update.log \
    2>&1; then
	echo "FAIL: mtls crl update"
	cat crl-update.log
	exit 1
fi

# --- FreeRADIUS and the OCSP responder -----------------------------------

start_radius() {
	if ! lab_start_radius "$1"; then
		echo "FAIL: FreeRADIUS did not start"
		exit 1
	fi
}

start_ocsp() {
	openssl ocsp -index db-ocsp/index.txt -port "$OCSP_PORT" \
	    -rsigner ca.crt -rkey ca.key -CA ca.crt -nmin 5 \
	    >ocsp.log 2>&1 &
	ocsp_pid=$!
	started "$ocsp_pid"
	if ! lab_wait_for ocsp.log "waiting for OCSP client connections"; then
		echo "FAIL: openssl ocsp did not start"
		cat ocsp.log
		exit 1
	fi
}

# eap WHAT IDENTITY CERT accept|reject [LOG-REGEX]: one EAP-TLS
# authentication; the server's log of it must match LOG-REGEX (what the
# hooks said).
eap() {
	local what=$1 identity=$2 cert=$3 want=$4 regex=${5:-} got

	if lab_eap "$identity" "$cert"; then
		got=accept
	else
		got=reject
	fi
	if [ "$got" != "$want" ]; then
		fail "$what (want $want, got $got)"
		grep -E "mtls|Program|ERROR|rejected|accepted" request.log |
		    sed 's/^/  radius: /' | head -20
		return 1
	fi
	if [ "$want" = accept ] && ! grep -q "Access-Accept" eapol.log; then
		fail "$what (eapol_test saw no Access-Accept)"
		return 1
	fi
	if [ "$want" = reject ] && ! grep -q "Access-Reject" eapol.log; then
		fail "$what (eapol_test saw no Access-Reject)"
		return 1
	fi
	if [ -n "$regex" ] && ! grep -Eq -- "$regex" request.log; then
		fail "$what (want the server log matching /$regex/)"
		grep -E "mtls|Program|ERROR|rejected|accepted" request.log |
		    sed 's/^/  radius: /' | head -20
		return 1
	fi
	pass "$what"
}

# reply_has WHAT ATTRIBUTE-NUMBER HEX: the last Access-Accept carried it
reply_has() {
	if sed -n '/Access-Accept/,$p' eapol.log | grep -A1 "Attribute $2 " |
	    grep -q "Value: $3"; then
		pass "$1"
	else
		fail "$1 (want attribute $2 = $3 in the Access-Accept)"
		sed -n '/Access-Accept/,$p' eapol.log | sed 's/^/  eapol: /'
	fi
}

# --- profile wifi: CRL index, reply rules ---------------------------------

start_radius wifi
eap "good certificate: accepted" alice alice accept \
    "Program returned code \(0\)"
reply_has "the accepted user's VLAN is in the Access-Accept" 81 3130
reply_has "the VLAN comes as a tunnel of type VLAN" 64 0000000d
eap "identity with a realm, stripped by radius.realm: accepted" \
    alice@example.org alice accept
eap "revoked by the CRL index: rejected" carol carol reject \
    "rejected: revoked"
eap "identity of another user: rejected" bob alice reject \
    "rejected: user-mismatch"
eap "anonymous outer identity: rejected" anonymous@example.org alice reject \
    "rejected: user-mismatch"
eap "a CA FreeRADIUS trusts and the profile does not: rejected" \
    mallory mallory reject "rejected: issuer-not-found"
eap "RSA-1024 key, which FreeRADIUS lets through: rejected" erin erin \
    reject "rejected: weak-key"
eap "no clientAuth (no extendedKeyUsage, require_eku): rejected" \
    frank frank reject "rejected: eku-missing"

cp mtls.conf mtls.conf.good
sed -i 's/require_eku/require_ekuu/' mtls.conf
eap "broken mtls configuration: rejected" alice alice reject \
    "require_ekuu: unknown key"
cp mtls.conf.good mtls.conf

rm -rf tmpdir
eap "tmpdir removed: FreeRADIUS skips the verify hook, accepts a good \
certificate" alice alice accept "Failed creating file"
eap "tmpdir removed: check-eap-tls still rejects a revoked certificate" \
    carol carol reject "rejected: revoked"
sed -i 's/require_eku/require_ekuu/' mtls.conf
eap "tmpdir removed, broken mtls configuration: check-eap-tls rejects" \
    alice alice reject "require_ekuu: unknown key"
cp mtls.conf.good mtls.conf
lab_stop_radius

# --- profile wifi-ocsp: a real OCSP responder ------------------------------

start_ocsp
start_radius wifi-ocsp
eap "OCSP says good: accepted" alice alice accept
eap "revoked by OCSP: rejected" dave dave reject "rejected: revoked"
rm -rf tmpdir
eap "tmpdir removed: check-eap-tls rejects by the OCSP answer cached" \
    dave dave reject "rejected: revoked"
eap "tmpdir removed: check-eap-tls accepts by the OCSP answer cached" \
    alice alice accept "Failed creating file"
eap "tmpdir removed: no OCSP answer cached, and no network: rejected" \
    carol carol reject "rejected: revocation-unavailable"
lab_stop_radius

# --- as freerad: OCSP answers cached on disk ------------------------------

# Debian's FreeRADIUS drops to freerad, and so its hooks run as freerad:
# they keep OCSP answers in the directory README "Wi-Fi" makes for them,
# in the cache directory as mtls-crl-update.service makes it (root,
# 0755); the server's key is freerad's, as README says.  Root's answers, cached above, are removed: only freerad's count.
as_freerad() {
	local uid cached

	uid=$(id -u freerad)
	chmod 755 "$work" cache && chown freerad server.key &&
	    rm -rf cache/ocsp || return 1
	install -d -o freerad -m 0700 "cache/ocsp-$uid" || return 1
	LAB_USER=freerad
	start_radius wifi-ocsp
	eap "as freerad, OCSP says good: accepted" alice alice accept
	eap "as freerad, revoked by OCSP: rejected" dave dave reject \
	    "rejected: revoked"
	cached=$(find "cache/ocsp-$uid" -name '*.der' -user freerad | wc -l)
	if [ "$cached" -eq 2 ]; then
		pass "as freerad, both answers are cached, as freerad's"
	else
		fail "as freerad, both answers are cached (found $cached)"
	fi
	stop_one "$ocsp_pid"
	ocsp_pid=
	eap "as freerad, responder stopped: accepted by the cached answer" \
	    alice alice accept
	eap "as freerad, responder stopped: revoked by the cached answer" \
	    dave dave reject "rejected: revoked"
	eap "as freerad, responder stopped, nothing cached: rejected" \
	    carol carol reject "rejected: revocation-unavailable"
	chown root "cache/ocsp-$uid"/*.der
	eap "as freerad, cached answers it does not own: refused, rejected" \
	    alice alice reject \
	    "rejected: revocation-unavailable: .*the cached answer was refused: .*owned by uid 0, not by uid $uid"
	rm -rf "cache/ocsp-$uid"
	start_ocsp
	eap "as freerad, no directory of its own: the gate finds no answer, \
rejects, and says how to make it" alice alice reject \
	    "rejected: revocation-unavailable: no cached OCSP answer .*; OCSP answers of uid $uid \(freerad\) are not kept on disk: $work/cache/ocsp-$uid does not exist; as root, run: install -d -o freerad -m 0700 $work/cache/ocsp-$uid"
	stop_one "$ocsp_pid"
	ocsp_pid=
	eap "as freerad, no directory of its own, responder stopped: \
rejected, saying how to make it" alice alice reject \
	    "rejected: revocation-unavailable: .*; OCSP answers of uid $uid \(freerad\) are not kept on disk: $work/cache/ocsp-$uid does not exist; as root, run: install -d -o freerad -m 0700 $work/cache/ocsp-$uid"
	lab_stop_radius
	LAB_USER=
}

if [ "$(id -u)" -ne 0 ] || ! id freerad >/dev/null 2>&1; then
	echo "SKIP: as freerad: needs root and the user freerad (Debian's" \
	    "freeradius package makes it)"
elif ! as_freerad; then
	fail "as freerad: cannot make the cache directories"
fi

finish
