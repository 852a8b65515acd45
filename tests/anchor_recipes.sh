#!/usr/bin/env bash
# anchor_recipes.sh - the CAs administrators already have anchor and
# issue their client certificates.
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
# says against itself still refuses it.  Then the sub-CAs of those
# recipes: a two-level PKI made by easy-rsa itself (Debian's easy-rsa,
# "easyrsa build-ca subca"), and an intermediate of "openssl x509 -req",
# both with basicConstraints CA:TRUE not critical, which RFC 5280 6.1.4
# (k) accepts: accepted with a note, and "mtls config check" warns.
# nameConstraints not marked critical, in a root or an intermediate,
# bind as critical ones.  A device's IPv4 address written as a DNS name
# (decimal or hexadecimal) is accepted, but not below name constraints;
# a Windows host name with '_' is accepted, and held to them.
set -u
. "$(dirname "$0")/../scripts/harness.sh"
. "$(dirname "$0")/openssl_pki.sh"

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
# nameConstraints as openssl writes them unless told "critical"
[nc_ca]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = permitted;DNS:example.com
# a root that may certify only its own network's addresses
[ip_nc_ca]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;IP:192.168.1.0/255.255.255.0
EOF

# root NAME SECTION: NAME.pem, self-signed by "openssl req -x509"
root() {
	key "$1"
	openssl req -x509 -new -key "$1.key" -subj "/CN=Root $1" -days 30 \
	    -config ext.cnf -extensions "$2" -out "$1.pem" 2>/dev/null ||
	    { echo "cannot make the root $1" >&2; exit 2; }
}

# client NAME ISSUER [SECTION [FILE]]: NAME.pem, CN alice, signed by
# ISSUER, with the extensions of SECTION of FILE (ext.cnf); without
# SECTION, X.509 v1 as the mTLS guides make it
client() {
	local ext=()

	[ $# -lt 3 ] || ext=(-extfile "${4:-ext.cnf}" -extensions "$3")
	key "$1"
	openssl req -new -key "$1.key" -subj "/CN=alice" -out "$1.csr" \
	    2>/dev/null &&
	    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 "${ext[@]}" \
	    -out "$1.pem" 2>/dev/null ||
	    { echo "cannot make the client $1" >&2; exit 2; }
}

# client_dns NAME ISSUER DNS: client NAME as a CA issues a host's or a
# device's certificate, its one subjectAltName the DNS name DNS
client_dns() {
	cat >"$1.cnf" <<EOF
[dns]
basicConstraints = CA:FALSE
authorityKeyIdentifier = keyid
extendedKeyUsage = clientAuth
subjectAltName = DNS:$3
EOF
	client "$1" "$2" dns "$1.cnf"
}

# intermediate NAME SECTION: NAME.pem, CN "Sub NAME", signed by the
# root "default" with "openssl x509 -req -extfile"
intermediate() {
	key "$1"
	openssl req -new -key "$1.key" -subj "/CN=Sub $1" -out "$1.csr" \
	    2>/dev/null &&
	    openssl x509 -req -in "$1.csr" -CA default.pem -CAkey default.key \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 -extfile ext.cnf \
	    -extensions "$2" -out "$1.pem" 2>/dev/null ||
	    { echo "cannot make the intermediate $1" >&2; exit 2; }
}

# config ROOT [INTERMEDIATE]: mtls.conf trusting ROOT.pem (and
# INTERMEDIATE.pem as intermediates_file), with a cache_dir of the
# test's own (the built-in one, which --ca uses, may hold a CRL index
# another run is publishing)
config() {
	printf 'ca_file = "%s/%s.pem";\naudit = false;\n' "$work" "$1" >mtls.conf
	printf 'revocation = { cache_dir = "%s/cache"; };\n' "$work" >>mtls.conf
	[ $# -lt 2 ] ||
	    printf 'intermediates_file = "%s/%s.pem";\n' "$work" "$2" >>mtls.conf
}

# check WHAT STATUS REGEX: the last command's output (out) and status
check() {
	if [ "$status" -eq "$2" ] && grep -Eq "$3" out; then
		pass "$1"
	else
		fail "$1: exit status $status, wanted $2 and /$3/"
		sed 's/^/  /' out
	fi
}

# verdict WHAT ROOT CLIENT STATUS REGEX [UNTRUSTED]: mtls verify of
# CLIENT.pem against ROOT alone, the client sending UNTRUSTED.pem
verdict() {
	local sent=()

	config "$2"
	[ $# -lt 6 ] || sent=(--untrusted "$6.pem")
	timeout 20 "$MTLS" verify --config mtls.conf "${sent[@]}" "$3.pem" \
	    >out 2>&1
	status=$?
	check "$1" "$4" "$5"
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

# nameConstraints not marked critical, in a root and in an intermediate:
# applied as critical ones (RFC 5280 6.1.4 (g)), with a note.
root ncroot nc_ca
client_dns ncroot_in ncroot alice.example.com
verdict "a root's non-critical nameConstraints allow what they permit" \
    ncroot ncroot_in 0 \
    '^note: a CA of the path has nameConstraints not marked critical'
client_dns ncroot_out ncroot alice.example.org
verdict "a root's non-critical nameConstraints refuse what they do not" \
    ncroot ncroot_out 1 \
    "^rejected: name-constraints: .*'alice.example.org' outside the nameConstraints of CA 'CN=Root ncroot'"
intermediate ncsub nc_ca
client_dns ncsub_in ncsub alice.example.com
verdict "an intermediate's non-critical nameConstraints allow" \
    default ncsub_in 0 \
    '^note: a CA of the path has nameConstraints not marked critical' \
    ncsub
client_dns ncsub_out ncsub alice.example.org
verdict "an intermediate's non-critical nameConstraints refuse" \
    default ncsub_out 1 \
    "^rejected: name-constraints: .*outside the nameConstraints of CA 'CN=Sub ncsub'" \
    ncsub

# An IPv4 address written as a DNS name, as careless CAs make a
# printer's certificate: accepted where no name constraints apply,
# refused where they do (it would pass iPAddress constraints unseen);
# also as inet_aton(3) and URL parsers read a hexadecimal one.
client_dns device default 192.168.1.20
verdict "a device with its address as a DNS name, no constraints" \
    default device 0 '^accepted: CN=alice'
root iproot ip_nc_ca
client_dns iproot_device iproot 8.8.8.8
verdict "an address as a DNS name does not escape iPAddress constraints" \
    iproot iproot_device 1 \
    "^rejected: name-constraints: .*DNS name '8.8.8.8'.*IPv4 address written as a DNS name"
client_dns device_hex default 0x08080808
verdict "a device with a hexadecimal address as a DNS name, no constraints" \
    default device_hex 0 '^accepted: CN=alice'
client_dns iproot_device_hex iproot 0x08080808
verdict "a hexadecimal address as a DNS name does not escape iPAddress constraints" \
    iproot iproot_device_hex 1 \
    "^rejected: name-constraints: .*DNS name '0x08080808'.*IPv4 address written as a DNS name"
client_dns ncroot_device ncroot 192.168.1.20
verdict "an address as a DNS name is refused below dNSName constraints" \
    ncroot ncroot_device 1 \
    "^rejected: name-constraints: .*DNS name '192.168.1.20'.*IPv4 address written as a DNS name"

# A Windows machine certificate: its host name may hold '_'.
client_dns ncroot_windows ncroot lab_pc01.example.com
verdict "a Windows host name with '_' within dNSName constraints" \
    ncroot ncroot_windows 0 '^accepted: CN=alice'

# An intermediate of "openssl x509 -req -extfile" with easy-rsa's CA
# section, basicConstraints CA:TRUE not critical, and a client under it.
intermediate x509sub easyrsa_ca
client x509sub_client x509sub easyrsa_client
verdict "openssl x509 -req intermediate (basicConstraints not critical)" \
    default x509sub_client 0 \
    '^note: an intermediate CA of the path has basicConstraints not marked critical' \
    x509sub

# easyrsa DIR ARGS...: easy-rsa on the PKI of DIR, in batch mode, with
# P-256 keys (RSA key generation would only make the test slow)
easyrsa_bin=/usr/share/easy-rsa/easyrsa
easyrsa() {
	local dir=$1

	shift
	(cd "$dir" && EASYRSA_BATCH=1 EASYRSA_ALGO=ec \
	    EASYRSA_CURVE=prime256v1 timeout 60 "$easyrsa_bin" \
	    --pki-dir="$work/$dir/pki" "$@") >>easyrsa.log 2>&1 ||
	    { echo "easyrsa $* failed in $dir:" >&2; cat easyrsa.log >&2;
	    exit 2; }
}

# A two-level OpenVPN-style PKI, made by easy-rsa as its documentation
# says: the root signs the sub-CA's request, which then issues clients.
if [ ! -x "$easyrsa_bin" ]; then
	echo "no $easyrsa_bin: install easy-rsa (scripts/install-deps.sh)" >&2
	exit 2
fi
mkdir -p easyrsa-root easyrsa-sub
easyrsa easyrsa-root init-pki
EASYRSA_REQ_CN="Easy-RSA Root" easyrsa easyrsa-root build-ca nopass
easyrsa easyrsa-sub init-pki
EASYRSA_REQ_CN="Easy-RSA Sub" easyrsa easyrsa-sub build-ca nopass subca
easyrsa easyrsa-root import-req "$work/easyrsa-sub/pki/reqs/ca.req" sub
easyrsa easyrsa-root sign-req ca sub
cp easyrsa-root/pki/issued/sub.crt easyrsa-sub/pki/ca.crt
easyrsa easyrsa-sub build-client-full alice nopass
cp easyrsa-root/pki/ca.crt easyrsa_root.pem
cp easyrsa-sub/pki/ca.crt easyrsa_sub.pem
cp easyrsa-sub/pki/issued/alice.crt easyrsa_sub_client.pem
verdict "easy-rsa build-ca subca, the client sends the sub-CA" \
    easyrsa_root easyrsa_sub_client 0 \
    '^note: an intermediate CA of the path has basicConstraints not marked critical' \
    easyrsa_sub

config easyrsa_root easyrsa_sub
timeout 20 "$MTLS" verify --config mtls.conf easyrsa_sub_client.pem >out 2>&1
status=$?
check "easy-rsa sub-CA as intermediates_file" 0 '^accepted: CN=alice'
timeout 20 "$MTLS" config check --config mtls.conf >out 2>&1
status=$?
check "config check warns of the easy-rsa sub-CA" 0 \
    "warning: configured intermediate 'CN=Easy-RSA Sub' has basicConstraints CA:TRUE not marked critical"

finish
