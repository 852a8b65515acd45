#!/usr/bin/env bash
# policy_openssl.sh - certificate policy verdicts of mtls against
# "openssl verify -policy_check" on the same certificates.
#
# usage: policy_openssl.sh PATH/TO/mtls
#
# A root, intermediates with certificate policy extensions and client
# certificates are made here with openssl; each case is verified by both,
# with the same initial policy inputs (-explicit_policy, -policy,
# -inhibit_map, -inhibit_any against the profile's require_explicit_policy,
# acceptable_policies, inhibit_policy_mapping, inhibit_any_policy), and the
# two must agree; a refusal by mtls must say "policy".  The constraints
# sit on intermediates: OpenSSL ignores a trust anchor's.  They bind
# marked critical or not, as in OpenSSL (RFC 5280 6.1.4 (i), (j)), and
# mtls notes those that are not, and "mtls config check" warns of them.
set -u
. "$(dirname "$0")/../scripts/harness.sh"
. "$(dirname "$0")/openssl_pki.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/mtls
MTLS=$(realpath "$1")
work_dir policy-test

P1=1.3.6.1.4.1.99999.7.1
P2=1.3.6.1.4.1.99999.7.2

ca_ext="basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash"
leaf_ext="basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid"
cat >ext.cnf <<EOF
[req]
distinguished_name = dn
[dn]
[root]
$ca_ext
[int_explicit]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyConstraints = critical, requireExplicitPolicy:0
[int_explicit_nc]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyConstraints = requireExplicitPolicy:0
[int_skip1]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyConstraints = critical, requireExplicitPolicy:1
[int_skip2]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyConstraints = critical, requireExplicitPolicy:2
[int_noany]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0
inhibitAnyPolicy = critical, 0
[int_noany_nc]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0
inhibitAnyPolicy = 0
[int_demand_noany_nc]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0
policyConstraints = requireExplicitPolicy:0
inhibitAnyPolicy = 0
[int_nomap]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyConstraints = critical, inhibitPolicyMapping:0
[int_p1]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
[int_map]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyMappings = critical, $P1:$P2
[int_any]
$ca_ext
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0
[leaf_none]
$leaf_ext
[leaf_p1]
$leaf_ext
certificatePolicies = $P1
[leaf_p2]
$leaf_ext
certificatePolicies = $P2
EOF

key root
openssl req -new -x509 -config ext.cnf -extensions root -key root.key \
    -subj "/CN=Policy Test Root" -days 30 -out root.pem ||
    { echo "cannot make the root" >&2; exit 2; }
for i in explicit explicit_nc skip1 skip2 p1 map any; do
	cert "int_$i" "CA $i" "int_$i" root
	for l in none p1 p2; do
		cert "leaf_${i}_$l" alice "leaf_$l" "int_$i"
	done
done

# two levels: a CA that inhibits under the root, one that uses what it
# inhibits under it, a client certificate under that; NAME.pem is the
# bundle of both CAs
two_levels() {
	cert "top_$1" "Top $1" "int_$1" root
	cert "sub_$1" "Sub $1" "int_$2" "top_$1"
	cert "leaf_$1" alice "leaf_$3" "sub_$1"
	cat "sub_$1.pem" "top_$1.pem" >"$1.pem"
}
two_levels noany any p1
two_levels noany_nc any p1
two_levels demand_noany_nc any p1
two_levels nomap map p2

# agree NAME INT LEAF "OPENSSL-FLAGS" "PROFILE-SETTINGS" WANT(0|1) [REGEX]:
# and what mtls prints matches REGEX
agree() {
	local name=$1 int=$2 leaf=$3 flags=$4 settings=$5 want=$6
	local said=${7:-.} ossl mine

	# RFC 5280's user-initial-policy-set is anyPolicy unless set;
	# OpenSSL's is empty, which fails any explicit policy
	case $flags in
	*-policy\ *) ;;
	*) flags="$flags -policy 2.5.29.32.0" ;;
	esac
	# shellcheck disable=SC2086
	timeout 20 openssl verify -policy_check $flags -CAfile root.pem \
	    -untrusted "$int.pem" "$leaf.pem" >ossl.out 2>&1
	ossl=$?
	[ $ossl -eq 0 ] || ossl=1
	printf 'ca_file = "%s/root.pem";\naudit = false;\npolicy = { %s };\n' \
	    "$work" "$settings" >mtls.conf
	timeout 20 "$MTLS" verify --config mtls.conf --untrusted "$int.pem" \
	    "$leaf.pem" >mtls.out 2>&1
	mine=$?
	if [ $ossl -eq "$want" ] && [ $mine -eq "$want" ] &&
	    grep -Eq "$said" mtls.out &&
	    { [ "$want" -eq 0 ] || grep -q '^rejected: policy:' mtls.out; }; then
		pass "$name"
	else
		fail "$name: want $want, openssl $ossl, mtls $mine"
		sed 's/^/  openssl: /' ossl.out
		sed 's/^/  mtls: /' mtls.out
	fi
}

agree "requireExplicitPolicy 0, leaf with the policy" \
    int_explicit leaf_explicit_p1 "" "" 0
agree "requireExplicitPolicy 0, leaf without policies" \
    int_explicit leaf_explicit_none "" "" 1
agree "requireExplicitPolicy 0, leaf with another policy" \
    int_explicit leaf_explicit_p2 "" "" 1
agree "requireExplicitPolicy 1, leaf without policies" \
    int_skip1 leaf_skip1_none "" "" 1
agree "requireExplicitPolicy 2, leaf without policies" \
    int_skip2 leaf_skip2_none "" "" 0
agree "requireExplicitPolicy 2, the profile requires one" \
    int_skip2 leaf_skip2_none "-explicit_policy" \
    "require_explicit_policy = true;" 1
agree "no policy required, none present" \
    int_p1 leaf_p1_none "" "" 0
agree "explicit policy required by the verifier, none present" \
    int_p1 leaf_p1_none "-explicit_policy" "require_explicit_policy = true;" 1
agree "acceptable policy present" \
    int_p1 leaf_p1_p1 "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 0
agree "acceptable policy absent" \
    int_p1 leaf_p1_p2 "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 1
agree "policy mapped by the intermediate" \
    int_map leaf_map_p2 "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 0
agree "policy mapping inhibited by the verifier" \
    int_map leaf_map_p2 "-explicit_policy -policy $P1 -inhibit_map" \
    "acceptable_policies = \"$P1\"; inhibit_policy_mapping = true;" 1
agree "anyPolicy in the intermediate" \
    int_any leaf_any_p1 "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 0
agree "anyPolicy inhibited by the verifier" \
    int_any leaf_any_p1 "-explicit_policy -policy $P1 -inhibit_any" \
    "acceptable_policies = \"$P1\"; inhibit_any_policy = true;" 1

agree "inhibitAnyPolicy 0 in a CA above anyPolicy" \
    noany leaf_noany "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 1
agree "inhibitAnyPolicy 0, no policy required" \
    noany leaf_noany "" "" 0
agree "inhibitPolicyMapping 0 in a CA above a mapping" \
    nomap leaf_nomap "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 1

# The same constraints not marked critical bind all the same.
agree "requireExplicitPolicy 0 not critical, leaf with the policy" \
    int_explicit_nc leaf_explicit_nc_p1 "" "" 0 \
    '^note: a certificate of the path has policyConstraints not marked critical'
agree "requireExplicitPolicy 0 not critical, leaf without policies" \
    int_explicit_nc leaf_explicit_nc_none "" "" 1
agree "requireExplicitPolicy 0 not critical, leaf with another policy" \
    int_explicit_nc leaf_explicit_nc_p2 "" "" 1
agree "inhibitAnyPolicy 0 not critical in a CA above anyPolicy" \
    noany_nc leaf_noany_nc "-explicit_policy -policy $P1" \
    "acceptable_policies = \"$P1\";" 1
agree "inhibitAnyPolicy 0 not critical, no policy required" \
    noany_nc leaf_noany_nc "" "" 0 \
    '^note: a certificate of the path has inhibitAnyPolicy not marked critical'
agree "requireExplicitPolicy and inhibitAnyPolicy not critical, no profile" \
    demand_noany_nc leaf_demand_noany_nc "" "" 1

printf 'ca_file = "%s/root.pem";\naudit = false;\n' "$work" >mtls.conf
printf 'intermediates_file = "%s/int_explicit_nc.pem";\n' "$work" >>mtls.conf
timeout 20 "$MTLS" config check --config mtls.conf >check.out 2>&1
if grep -q "warning: configured intermediate 'CN=CA explicit_nc' has policyConstraints not marked critical; accepted" check.out; then
	pass "config check warns of a non-critical policyConstraints"
else
	fail "config check does not warn of a non-critical policyConstraints"
	sed 's/^/  mtls: /' check.out
fi

finish
