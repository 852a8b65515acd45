#!/usr/bin/env bash
# anchor_recipes.sh - the root CAs administrators already have anchor
# their client certificates.
#
# usage: anchor_recipes.sh PATH/TO/mtls
#
# Each root is made here with openssl exactly as a common recipe makes
# it, and a client certificate under it as that recipe's client type
# does; mtls verify must accept each.  A root is trust anchor information
# (RFC 5280 6.1.1 d): what a recipe leaves out or marks differently
# (easy-rsa's basicConstraints is not critical, an "openssl x509 -req
# -extfile" root of OpenSSL 1.x has no subject key identifier) must not
# lock out every user of a PKI that works everywhere else.  What a root
# says against itself still refuses it: the last cases.
set -u
. "$(dirname "$0")/../scripts/harness.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/mtls
MTLS=$(realpath "$1")
work_dir anchor-test

cat >ext.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]
# easy-rsa 3 (x509-types/ca), the CA of most OpenVPN PKIs
[easyrsa_ca]
basicConstraints = CA:TRUE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
keyUsage = cRLSign, keyCertSign
# easy-rsa 3 (x509-types/client)
[easyrsa_client]
basicConstraints = CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer:always
extendedKeyUsage = clientAuth
keyUsage = digitalSignature
# OpenSSL 1.0's openssl.cnf [v3_ca]: "some broken software chokes on
# critical extensions", so basicConstraints was not marked critical
[openssl10_ca]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer
basicConstraints = CA:true
# "openssl x509 -req -signkey ... -extfile" with basicConstraints only;
# OpenSSL 1.x added no subject key identifier there
[bc_only_ca]
subjectKeyIdentifier = none
authorityKeyIdentifier = none
basicConstraints = CA:TRUE
# what a root must not say: it is no CA, or may not sign certificates
[not_ca]
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = hash
[no_cert_sign]
basicConstraints = critical, CA:TRUE
keyUsage = critical, cRLSign
subjectKeyIdentifier = hash
EOF

key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key" 2>/dev/null ||
	    { echo "cannot make the key $1" >&2; exit 2; }
}

# root NAME SECTION: NAME.pem, self-signed by "openssl req -x509"
root() {
	key "$1"
	openssl req -x509 -new -key "$1.key" -subj "/CN=Root $1" -days 30 \
	    -config ext.cnf -extensions "$2" -out "$1.pem" 2>/dev/null ||
	    { echo "cannot make the root $1" >&2; exit 2; }
}

# client NAME ISSUER [SECTION]: NAME.pem, CN alice, signed by ISSUER;
# without SECTION, X.509 v1 as the mTLS guides make it
client() {
	local ext=()

	[ $# -lt 3 ] || ext=(-extfile ext.cnf -extensions "$3")
	key "$1"
	openssl req -new -key "$1.key" -subj "/CN=alice" -out "$1.csr" \
	    2>/dev/null &&
	    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 "${ext[@]}" \
	    -out "$1.pem" 2>/dev/null ||
	    { echo "cannot make the client $1" >&2; exit 2; }
}

# verdict WHAT ROOT CLIENT STATUS REGEX: mtls verify against ROOT alone,
# with a cache_dir of the test's own (the built-in one, which --ca uses,
# may hold a CRL index another run is publishing)
verdict() {
	local what=$1 status

	printf 'ca_file = "%s/%s.pem";\naudit = false;\n' "$work" "$2" >mtls.conf
	printf 'revocation = { cache_dir = "%s/cache"; };\n' "$work" >>mtls.conf
	timeout 20 "$MTLS" verify --config mtls.conf "$3.pem" >out 2>&1
	status=$?
	if [ "$status" -eq "$4" ] && grep -Eq "$5" out; then
		pass "$what"
	else
		fail "$what: exit status $status, wanted $4 and /$5/"
		sed 's/^/  /' out
	fi
}

# The default of Debian's openssl.cnf [v3_ca], as the guides make it.
key default
openssl req -x509 -new -key default.key -subj "/CN=Root default" \
    -days 30 -out default.pem 2>/dev/null ||
    { echo "cannot make the root default" >&2; exit 2; }
client default_client default easyrsa_client
verdict "openssl req -x509 with the default configuration" \
    default default_client 0 '^accepted: CN=alice'

root easyrsa easyrsa_ca
client easyrsa_client easyrsa easyrsa_client
verdict "easy-rsa 3 CA (basicConstraints not critical)" \
    easyrsa easyrsa_client 0 '^accepted: CN=alice'

root openssl10 openssl10_ca
client openssl10_client openssl10 easyrsa_client
verdict "OpenSSL 1.0 v3_ca (basicConstraints not critical)" \
    openssl10 openssl10_client 0 '^accepted: CN=alice'

# self-signed by "openssl x509 -req -signkey", as such recipes do; its
# clients as the guides make them
key bconly
openssl req -new -key bconly.key -subj "/CN=Root bconly" -out bconly.csr \
    2>/dev/null &&
    openssl x509 -req -in bconly.csr -signkey bconly.key -days 30 \
    -extfile ext.cnf -extensions bc_only_ca -out bconly.pem 2>/dev/null ||
    { echo "cannot make the root bconly" >&2; exit 2; }
client bconly_client bconly
verdict "x509 -req -extfile basicConstraints only (no key identifiers)" \
    bconly bconly_client 0 '^accepted: CN=alice'

root notca not_ca
client notca_client notca easyrsa_client
verdict "a root that says CA:FALSE is refused" \
    notca notca_client 1 \
    "^rejected: issuer-not-ca: .*trust anchor 'CN=Root notca'"

root nosign no_cert_sign
client nosign_client nosign easyrsa_client
verdict "a root whose keyUsage lacks keyCertSign is refused" \
    nosign nosign_client 1 \
    "^rejected: issuer-key-usage: .*trust anchor 'CN=Root nosign'"

finish
