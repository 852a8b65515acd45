#!/usr/bin/env bash
# demo.sh - install the dependencies, build mtls-auth into build/, and show
# `mtls verify` at work on a throwaway PKI: a CA made exactly as the usual
# mTLS guides make it, a good client certificate accepted, and bad ones
# rejected, each with its reason.
#
# Exits non-zero when a verdict is not the one the demo announces.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/harness.sh"
jobs=$(nproc 2>/dev/null || echo 2)

"$root/scripts/install-deps.sh"
echo "demo: building into $root/build (log: build/demo-build.log)"
mkdir -p "$root/build"
if ! { cmake -S "$root" -B "$root/build" -DMTLS_SANITIZE=OFF &&
    cmake --build "$root/build" -j"$jobs"; } >"$root/build/demo-build.log" 2>&1
then
	tail -n 40 "$root/build/demo-build.log"
	echo "demo: the build failed" >&2
	exit 1
fi
mtls="$root/build/cli/mtls"

work_dir demo
surprises=0

# shown ARG...: the command line as one could type it again.
shown() {
	local a out=""

	for a in "$@"; do
		case $a in
		*[[:space:]]*) out+=" \"$a\"" ;;
		*) out+=" $a" ;;
		esac
	done
	printf '  $%s\n' "$out"
}

say() {
	printf '\n'
	printf '%s\n' "$*" | fold -s -w 76
}

# step COMMAND...: show a command that makes part of the PKI, and run it.
step() {
	shown "$@"
	if ! "$@" >step.log 2>&1; then
		cat step.log
		echo "demo: that command failed" >&2
		exit 1
	fi
}

# quietly COMMAND...: make part of the PKI without showing how.
quietly() {
	if ! "$@" >step.log 2>&1; then
		cat step.log
		echo "demo: $* failed" >&2
		exit 1
	fi
}

# show STATUS MTLS-ARGS...: run mtls, show what it says, check the status.
show() {
	local want=$1 out status

	shift
	shown mtls "$@"
	out=$("$mtls" "$@" 2>&1) && status=0 || status=$?
	printf '%s\n' "$out" | sed 's/^/    /'
	printf '    (exit status %d)\n' "$status"
	if [ "$status" -ne "$want" ]; then
		echo "    !! expected exit status $want"
		surprises=$((surprises + 1))
	fi
}

# certtool_cert NAME TEMPLATE: an EC certificate issued by the guide's CA,
# made with certtool from the template lines.
certtool_cert() {
	printf '%s\n' "$2" >"$1.tmpl"
	quietly certtool --generate-privkey --key-type=ecdsa --outfile "$1.key"
	quietly certtool --generate-certificate --load-privkey "$1.key" \
	    --load-ca-certificate ca.crt --load-ca-privkey ca.key \
	    --template "$1.tmpl" --outfile "$1.crt"
	printf '  (certtool: %s, template: %s)\n' "$1.crt" \
	    "$(tr '\n' ';' <"$1.tmpl" | sed 's/;$//; s/;/; /g')"
}

# openssl_client NAME CN [X509-OPTION...]: a client certificate issued by
# the guide's CA the guide's way, with an RSA-2048 key unless NAME.key
# already exists.
openssl_client() {
	local name=$1 cn=$2

	shift 2
	[ -f "$name.key" ] || quietly openssl genrsa -out "$name.key" 2048
	quietly openssl req -new -key "$name.key" -out "$name.csr" \
	    -subj "/CN=$cn"
	quietly openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key \
	    -CAcreateserial -out "$name.crt" "$@"
}

say "mtls-auth demo, in $work"
say "1. A CA and a client certificate, made exactly as the usual mTLS \
guides make them (openssl req -x509 -new for the CA; openssl x509 -req -CA \
for the client, which gives an X.509 version 1 certificate):"
step openssl genrsa -out ca.key 2048
step openssl req -x509 -new -key ca.key -sha256 -days 365 \
    -subj "/CN=Demo CA" -out ca.crt
step openssl genrsa -out client.key 2048
step openssl req -new -key client.key -out client.csr -subj "/CN=alice"
step openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key \
    -CAcreateserial -out client.crt

say "2. The client certificate is accepted and maps to the user alice \
(the default identity rule takes the commonName):"
show 0 verify --ca ca.crt client.crt
say "Logging in as alice is accepted; as bob it is not:"
show 0 verify --ca ca.crt --user alice client.crt
show 1 verify --ca ca.crt --user bob client.crt
say "The same verdict as JSON, for scripts:"
show 0 verify --ca ca.crt --json client.crt

say "3. Certificates that must not log in, each rejected with its reason."

say "An expired certificate:"
certtool_cert expired 'cn = "bob"
activation_date = "2024-01-01 00:00:00"
expiration_date = "2025-01-01 00:00:00"
tls_www_client
signing_key'
show 1 verify --ca ca.crt expired.crt
say "... and the good certificate, as of a time after it expires:"
show 1 verify --ca ca.crt --at 2099-01-01 client.crt

say "A certificate issued by another CA:"
quietly openssl genrsa -out other-ca.key 2048
quietly openssl req -x509 -new -key other-ca.key -sha256 -days 365 \
    -subj "/CN=Some Other CA" -out other-ca.crt
quietly openssl req -new -key client.key -out mallory.csr -subj "/CN=mallory"
quietly openssl x509 -req -in mallory.csr -CA other-ca.crt \
    -CAkey other-ca.key -CAcreateserial -out mallory.crt
printf '  (openssl: mallory.crt, issued by "Some Other CA")\n'
show 1 verify --ca ca.crt mallory.crt

say "A certificate for TLS servers only (extendedKeyUsage serverAuth):"
certtool_cert server 'cn = "www.example.test"
tls_www_server
signing_key
expiration_days = 30'
show 1 verify --ca ca.crt server.crt

say "A revoked certificate, listed in a CRL made with certtool:"
openssl_client carol carol
printf 'crl_next_update = 30\ncrl_number = 1\n' >crl.tmpl
step certtool --generate-crl --load-ca-privkey ca.key \
    --load-ca-certificate ca.crt --load-certificate carol.crt \
    --template crl.tmpl --outfile ca.crl
show 1 verify --ca ca.crt --crl ca.crl carol.crt
say "The CRL does not list alice's certificate:"
show 0 verify --ca ca.crt --crl ca.crl client.crt

say "A certificate with an RSA key of 1024 bits:"
quietly openssl genrsa -out weak.key 1024
openssl_client weak weak
printf '  (openssl: weak.crt, RSA-1024)\n'
show 1 verify --ca ca.crt weak.crt

say "A certificate signed with SHA-1:"
openssl_client sha1 dave -sha1
printf '  (openssl x509 -req -sha1: sha1.crt)\n'
show 1 verify --ca ca.crt sha1.crt

say "A CA certificate presented as a client certificate (a sub-CA of the \
demo CA, made with openssl x509 -req -extfile):"
printf '%s\n' 'basicConstraints = critical, CA:true' \
    'keyUsage = critical, keyCertSign, cRLSign' \
    'subjectKeyIdentifier = hash' 'authorityKeyIdentifier = keyid' >subca.ext
openssl_client subca "Demo Sub CA" -extfile subca.ext
show 1 verify --ca ca.crt subca.crt

say "Something that is not a certificate at all:"
printf 'hello\n' >garbage.pem
show 1 verify --ca ca.crt garbage.pem

say "4. A configuration with a stricter profile for the VPN, which refuses \
X.509 version 1 certificates such as the guide's, and one for Wi-Fi that \
checks revocation against the CRL, checked before use:"
cat >demo.conf <<EOF
ca_file = "$work/ca.crt";
revocation = { cache_dir = "$work/cache"; };
profiles = {
	vpn = {
		policy = { require_v3 = true; };
	};
	wifi = {
		revocation = { mode = "crl"; crl_files = "$work/ca.crl"; };
	};
};
EOF
sed 's/^/    /' demo.conf
show 0 config check --config demo.conf
show 0 verify --config demo.conf client.crt
show 1 verify --config demo.conf --profile vpn client.crt
say "The CRL update (a systemd timer runs it every 15 minutes) checks the \
CRL and publishes an index; logins look serials up there instead of \
parsing the CRL:"
show 0 crl update --config demo.conf --profile wifi
show 1 verify --config demo.conf --profile wifi carol.crt
show 0 verify --config demo.conf --profile wifi client.crt

say "5. Mistakes in the command itself exit with status 2:"
show 2 verify --ca ca.crt missing.crt
show 2 verify --ca ca.crt --at 2026-02-30 client.crt

"$root/scripts/demo-login.sh" "$mtls" "$work" || surprises=$((surprises + 1))
"$root/scripts/demo-wifi.sh" "$mtls" || surprises=$((surprises + 1))
"$root/scripts/demo-web.sh" "$mtls" "$work" || surprises=$((surprises + 1))
"$root/scripts/demo-vpn.sh" "$root/build" || surprises=$((surprises + 1))

echo
if [ "$surprises" -ne 0 ]; then
	echo "demo: $surprises verdicts were not the expected ones" >&2
	exit 1
fi
echo "demo: every verdict is the expected one.  See mtls(1): man -l $root/man/mtls.1"
