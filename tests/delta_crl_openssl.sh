#!/usr/bin/env bash
# delta_crl_openssl.sh - a CA shaped like Microsoft AD CS, run with
# "openssl ca": client certificates naming a complete CRL (CRL
# distribution points) and a delta CRL (freshestCRL), a complete CRL that
# names its delta CRLs too, and a delta CRL made by "openssl ca -gencrl
# -crlexts" with a critical deltaCRLIndicator.  mtls must decide as
# "openssl verify -crl_check -use_deltas" does, from the CRL files and
# from the index "mtls crl update" publishes, name the delta CRL when it
# revokes, fail closed on a delta CRL alone or stale (where openssl falls
# back on the complete CRL), and "mtls config
# check" must warn of the week-long gap of a complete CRL without its
# delta.
#
# usage: delta_crl_openssl.sh PATH/TO/mtls
set -u
. "$(dirname "$0")/../scripts/harness.sh"
. "$(dirname "$0")/openssl_pki.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/mtls
MTLS=$(realpath "$1")
work_dir delta-crl-test

# AD CS's names: "CA Name.crl" and "CA Name+.crl" under CertEnroll
base_url="http://pki.example.com/CertEnroll/Issuing%20CA.crl"
delta_url="http://pki.example.com/CertEnroll/Issuing%20CA+.crl"

cat >ext.cnf <<EOF
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[issuing]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:$base_url
freshestCRL = URI:$delta_url
EOF

mkdir ca
: >ca/index.txt
echo 1000 >ca/crlnumber
cat >ca.cnf <<EOF
[ca]
default_ca = issuing
[issuing]
database = $work/ca/index.txt
crlnumber = $work/ca/crlnumber
certificate = $work/issuing.pem
private_key = $work/issuing.key
default_md = sha256
default_crl_days = 7
crl_extensions = complete
[complete]
authorityKeyIdentifier = keyid
freshestCRL = URI:$delta_url
EOF

# serial NAME: the serial of NAME.pem as the openssl ca database has it
serial() {
	openssl x509 -in "$1.pem" -noout -serial | sed 's/^serial=//'
}

# revoked NAME REASON: NAME.pem listed as revoked in the database
revoked() {
	printf 'R\t491231000000Z\t240101000000Z,%s\t%s\tunknown\t/CN=%s\n' \
	    "$2" "$(serial "$1")" "$1" >>ca/index.txt
}

# crl OUT [OPTIONS...]: "openssl ca -gencrl" of the issuing CA into OUT
crl() {
	local out=$1

	shift
	openssl ca -config ca.cnf -gencrl -batch -out "$out" "$@" \
	    2>crl.err || { cat crl.err >&2; echo "cannot make $out" >&2;
	    exit 2; }
}

key root
openssl req -new -x509 -config ext.cnf -extensions root -key root.key \
    -subj "/CN=Corp Root CA" -days 30 -out root.pem ||
    { echo "cannot make the root" >&2; exit 2; }
cert issuing "Issuing CA" issuing root
for name in alice bob carol; do
	cert "$name" "$name" client issuing
done
# Sunday's complete CRL: carol on hold
revoked carol "certificateHold,holdInstructionReject"
base_number=$(cat ca/crlnumber)
crl "Issuing CA.crl"
# Monday: bob revoked, carol back; the delta CRL says so, as AD CS's
# daily one does
sed -i '/CN=carol$/s/certificateHold,holdInstructionReject/removeFromCRL/' \
    ca/index.txt
revoked bob keyCompromise
delta_number=$(cat ca/crlnumber)
printf '[delta]\nauthorityKeyIdentifier = keyid\n2.5.29.27 = critical, ASN1:INTEGER:0x%s\n' \
    "$base_number" >>ca.cnf
crl "Issuing CA+.crl" -crlexts delta
# a delta CRL past its nextUpdate
crl stale+.crl -crlexts delta -crl_lastupdate 20200101000000Z \
    -crl_nextupdate 20200102000000Z
cat root.pem issuing.pem >chain.pem

# conf NAME CRLS [MORE]: NAME.conf checking the CRL files CRLS (a list in
# mtls.conf syntax), with MORE in its revocation group
conf() {
	printf 'ca_file = "%s/root.pem";\nintermediates_file = "%s/issuing.pem";\naudit = false;\nrevocation = {\n  mode = "crl";\n  crl_files = [%s];\n%s\n};\n' \
	    "$work" "$work" "$2" "${3:-}" >"$1.conf"
}

files='"Issuing CA.crl", "Issuing CA+.crl"'
conf complete '"Issuing CA.crl"'
conf both "$files"
conf alone '"Issuing CA+.crl"'
conf stale '"Issuing CA.crl", "stale+.crl"'
conf index "$files" "  cache_dir = \"$work/cache\";"

# decide CONF NAME WANT(0|1) REGEX: mtls verify of NAME.pem under
# CONF.conf exits WANT and prints what REGEX matches
decide() {
	local conf=$1 name=$2 want=$3 said=$4 got

	timeout 20 "$MTLS" verify --config "$conf.conf" --no-ocsp "$name.pem" \
	    >mtls.out 2>&1
	got=$?
	if [ $got -eq "$want" ] && grep -Eq "$said" mtls.out; then
		pass "$conf: $name: $said"
	else
		fail "$conf: $name: want $want /$said/, got $got"
		sed 's/^/  mtls: /' mtls.out
	fi
}

# checked CONF WHAT REGEX: "mtls config check" of CONF.conf says what
# REGEX matches on standard error (none of its warnings when REGEX is
# empty)
checked() {
	local conf=$1 what=$2 said=$3 ok

	timeout 20 "$MTLS" config check --config "$conf.conf" >check.out \
	    2>check.err
	if [ -n "$said" ]; then
		grep -q "$said" check.err && ok=1
	else
		grep -q warning check.err || ok=1
	fi
	if [ -n "${ok:-}" ]; then
		pass "config check $what"
	else
		fail "config check does not say it $what"
		sed 's/^/  mtls: /' check.out check.err
	fi
}

# openssl_agrees NAME WANT(0|1) CRL...: openssl verify with these CRLs
openssl_agrees() {
	local name=$1 want=$2 args=() got crl

	shift 2
	for crl in "$@"; do
		args+=(-CRLfile "$crl")
	done
	timeout 20 openssl verify -crl_check -use_deltas -CAfile chain.pem \
	    "${args[@]}" "$name.pem" >ossl.out 2>&1
	got=$?
	[ $got -eq 0 ] || got=1
	if [ $got -eq "$want" ]; then
		pass "openssl -use_deltas agrees: $name $want"
	else
		fail "openssl -use_deltas: $name: want $want, got $got"
		sed 's/^/  openssl: /' ossl.out
	fi
}

# The complete CRL alone: the gap.  bob, revoked on Monday, gets in.
decide complete alice 0 '^accepted'
decide complete bob 0 '^accepted'
decide complete carol 1 '^rejected: revoked: .*says the CRL from'
checked complete "warns of the complete CRL without its delta" \
    "warning: the CRL from 'CN=Issuing CA' (.*) names delta CRLs of its issuer (freshestCRL), and none is configured"

# Both, from the files, as openssl decides with -use_deltas
decide both alice 0 '^accepted'
decide both alice 0 "^note: the client certificate was checked against its CA's complete CRL #$((16#$base_number)) and delta CRL #$((16#$delta_number))\$"
decide both bob 1 "^rejected: revoked: .*says the delta CRL #$((16#$delta_number)) from 'CN=Issuing CA'"
decide both carol 0 '^accepted'
openssl_agrees alice 0 "Issuing CA.crl" "Issuing CA+.crl"
openssl_agrees bob 1 "Issuing CA.crl" "Issuing CA+.crl"
openssl_agrees carol 0 "Issuing CA.crl" "Issuing CA+.crl"
checked both "is content with the complete CRL and its delta" ""

# Both, from the index the update publishes
if timeout 60 "$MTLS" crl update --config index.conf >update.out 2>&1 &&
    [ "$(find cache/crl -name '*-delta.crlidx' | wc -l)" -eq 1 ]; then
	pass "mtls crl update publishes the delta CRL beside the complete one"
else
	fail "mtls crl update did not publish both"
	sed 's/^/  mtls: /' update.out
fi
decide index alice 0 "^note: .*complete CRL #$((16#$base_number)) and delta CRL #$((16#$delta_number))\$"
decide index bob 1 "^rejected: revoked: .*says the delta CRL #$((16#$delta_number))"
decide index carol 0 '^accepted'

# A delta CRL alone, or stale, never lets a certificate in
decide alone alice 1 '^rejected: crl-missing: only the delta CRL'
checked alone "warns of the delta CRL without its complete CRL" \
    "warning: the delta CRL #.* has no complete CRL of its issuer beside it"
# (openssl passes a stale delta CRL over, and falls back on the complete
# CRL alone: a configured delta that stopped coming is a revocation feed
# that broke, which mtls does not take for "nothing changed")
decide stale alice 1 '^rejected: crl-stale: the delta CRL #[0-9]+ from'

# deltas_left WANT WHAT: the index holds WANT delta CRLs after an update
deltas_left() {
	if [ "$(find cache/crl -name '*-delta.crlidx' | wc -l)" -eq "$1" ]; then
		pass "mtls crl update should $2: it does"
	else
		fail "mtls crl update should $2: it does not"
		sed 's/^/  mtls: /' update.out
	fi
}

# Delta CRLs turned off: AD CS's next complete CRL no longer names them
# (no freshestCRL).  While a source still gives the delta CRL, or its
# source cannot be read, the delta CRL stays in the index.  Once no
# configured source gives it, it stays too: the complete CRL it was
# indexed with, when that update began, already named none, so nothing
# the CA signed in between says that it stopped (a source that vanishes,
# or an unsigned HTTP 404, may be an attacker's doing).  The update fails
# and names the file to remove, which the administrator does; the
# complete CRL alone decides from then on.
printf '[nodelta]\nauthorityKeyIdentifier = keyid\n' >>ca.cnf
crl "Issuing CA.crl" -crlexts nodelta
timeout 60 "$MTLS" crl update --config index.conf >update.out 2>&1
deltas_left 1 "keep a delta CRL a source still gives"
mv "Issuing CA+.crl" gone+.crl
timeout 60 "$MTLS" crl update --config index.conf >update.out 2>&1
deltas_left 1 "keep a delta CRL whose source cannot be read"
conf index '"Issuing CA.crl"' "  cache_dir = \"$work/cache\";"
timeout 60 "$MTLS" crl update --config index.conf >update.out 2>&1
deltas_left 1 "keep a delta CRL no signed complete CRL says is over"
remove=$(sed -n "s/.*: no configured source gives it any more, but the complete CRL of 'CN=Issuing CA' indexed with the delta CRL #$((16#$delta_number)) named no delta CRLs .*if the CA did stop publishing delta CRLs, remove \(.*-delta\.crlidx\), else .*/\1/p" update.out)
if [ -n "$remove" ] && [ -f "$remove" ] && rm -- "$remove"; then
	pass "mtls crl update names the delta CRL's file to remove"
else
	fail "mtls crl update does not name the delta CRL's file to remove"
	sed 's/^/  mtls: /' update.out
fi
decide index alice 0 '^accepted'
decide index bob 1 "^rejected: revoked: .*says the CRL from 'CN=Issuing CA'"

finish
