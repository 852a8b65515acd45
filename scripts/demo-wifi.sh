#!/usr/bin/env bash
# demo-wifi.sh - the Wi-Fi part of the demo: a real FreeRADIUS doing
# EAP-TLS with `mtls radius` as its hooks, and eapol_test as the laptop,
# on loopback in a network namespace of the demo's own.  A good
# certificate gets in, with its VLAN; a revoked one is refused, with the
# reason in FreeRADIUS's log.
#
# usage: demo-wifi.sh PATH/TO/mtls (scripts/demo.sh builds it and calls
# this).  Exits non-zero when a verdict is not the one announced.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/radius-lab.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/mtls
lab_netns "$@"
LAB_MTLS=$(realpath "$1")
LAB_SRC=$root
work_dir demo-wifi
surprises=0

say() {
	printf '\n'
	printf '%s\n' "$*" | fold -s -w 76
}

# quietly COMMAND...: make part of the PKI without showing how.
quietly() {
	if ! "$@" >step.log 2>&1; then
		cat step.log
		echo "demo-wifi: $* failed" >&2
		exit 1
	fi
}

# client NAME: an EC client certificate for the user NAME, clientAuth
client() {
	quietly openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1.key" -out "$1.csr" -subj "/O=Example/CN=$1"
	quietly openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key \
	    -CAcreateserial -days 30 -extfile client.ext -out "$1.crt"
}

# connect WANT IDENTITY CERT: one Wi-Fi authentication, shown as the
# laptop and the server saw it
connect() {
	local want=$1 got vlan

	printf '  $ eapol_test  (identity "%s", certificate %s.crt)\n' "$2" "$3"
	if lab_eap "$2" "$3"; then got=accept; else got=reject; fi
	grep -Eo "Access-(Accept|Reject)" eapol.log | tail -1 |
	    sed 's/^/    RADIUS answer: /'
	vlan=$(grep -A1 "Attribute 81 (Tunnel-Private-Group-Id)" eapol.log |
	    sed -n 's/.*Value: \(.*\)/\1/; T; s/../\\x&/g; p')
	[ -z "$vlan" ] ||
	    printf '    VLAN (Tunnel-Private-Group-Id): %b\n' "$vlan"
	sed -n "s/.*and output '\(\(accepted\|rejected\): .*\)'\$/\1/p" \
	    request.log | fold -s -w 68 |
	    sed '1s/^/    mtls radius: /; 2,$s/^/      /'
	if [ "$got" != "$want" ]; then
		echo "    !! expected the laptop to be ${want}ed"
		surprises=$((surprises + 1))
	fi
}

say "Wi-Fi (802.1X EAP-TLS): FreeRADIUS checks the TLS handshake, then \
runs 'mtls radius verify' on the client certificate and 'mtls radius \
authorize' in its check-eap-tls virtual server (etc/freeradius/), with \
the profile below; eapol_test plays the laptop."
quietly openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout ca.key -out ca.crt -days 30 \
    -subj "/O=Example/CN=Example Wi-Fi CA"
cp ca.crt radius-ca.crt
printf 'extendedKeyUsage=serverAuth\n' >server.ext
printf 'extendedKeyUsage=clientAuth\n' >client.ext
quietly openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout server.key -out server.csr -subj "/CN=radius.example.org"
quietly openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
    -CAcreateserial -days 30 -extfile server.ext -out server.crt
client alice
client carol
quietly lab_ca_db db
quietly lab_revoke db carol.crt
quietly openssl ca -config db/ca.cnf -keyfile ca.key -cert ca.crt \
    -gencrl -out ca.crl
cat >mtls.conf <<EOC
ca_file = "$work/ca.crt";
profiles = {
	radius = {
		policy = { require_eku = true; };
		revocation = {
			mode = "crl";
			crl_files = ["$work/ca.crl"];
			cache_dir = "$work/cache";
		};
		radius = {
			realm = "strip";
			reply = (
				{ user = "alice"; vlan = 10; class = "staff"; }
			);
		};
	};
};
EOC
sed 's/^/    /' mtls.conf
quietly "$LAB_MTLS" crl update --config mtls.conf --profile radius
if ! lab_start_radius radius; then
	echo "demo-wifi: FreeRADIUS did not start" >&2
	exit 1
fi

say "alice joins as alice@example.org (the realm is stripped): accepted, \
and put into VLAN 10:"
connect accept alice@example.org alice
say "carol's certificate is revoked by the CA's CRL (FreeRADIUS itself reads \
no CRL here): refused:"
connect reject carol carol
say "alice's certificate, with bob's identity: refused:"
connect reject bob alice
lab_stop_radius

if [ "$surprises" -ne 0 ]; then
	echo "demo-wifi: $surprises verdicts were not the expected ones" >&2
	exit 1
fi
