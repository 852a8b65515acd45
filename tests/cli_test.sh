#!/usr/bin/env bash
# cli_test.sh - the mtls command end to end.
#
# usage: cli_test.sh PATH/TO/mtls
#
# The PKI is made here at run time, in a temporary directory: the guide's
# CA and client certificate exactly as our users' mTLS guides make them
# with openssl, and the odd certificates with certtool.  Every case checks
# the exit status and the line that says why.
set -u
. "$(dirname "$0")/../scripts/harness.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/mtls
# Alone, as root, while other tests and other runs use the machine: in a
# mount namespace of its own /var/cache is empty, so the built-in
# revocation.cache_dir (/var/cache/mtls), which --ca and the
# configurations here without a cache_dir use, holds no CRL index or OCSP
# answer another run published (or is publishing); in a network
# namespace of its own only loopback is up, so nothing listens on the
# port of the unreachable CRL URL.
if private_namespaces --mount --net -- "$@"; then
	mount -t tmpfs -o mode=0755 tmpfs /var/cache || exit 2
else
	echo "not alone (needs root and unshare): /var/cache/mtls and" \
	    "loopback are the machine's"
fi
MTLS=$(realpath "$1")
work_dir cli-test

# what fail shows of the last run
fail_details() {
	echo "  command: mtls ${last_args[*]}"
	echo "  exit status: $status"
	sed 's/^/  stdout: /' stdout
	sed 's/^/  stderr: /' stderr
}

# check WHAT STATUS STREAM REGEX MTLS-ARGS...: run mtls, expect the exit
# status and a line of STREAM (stdout or stderr) matching REGEX.  Standard
# input is $stdin_file, or empty.
check() {
	local what=$1 want=$2 stream=$3 regex=$4

	shift 4
	last_args=("$@")
	"${as_user[@]}" "$MTLS" "$@" >stdout 2>stderr <"${stdin_file:-/dev/null}"
	status=$?
	if [ "$status" -eq "$want" ] && grep -Eq -- "$regex" "$stream"; then
		pass "$what"
	else
		fail "$what (want exit $want and $stream matching /$regex/)"
	fi
}

# check runs mtls as this command says, or as root
as_user=()

# run_printed WHAT STATUS COMMAND: a command the last run printed for an
# administrator, pasted into a shell as root, exits with STATUS.
mtls() { "$MTLS" "$@"; }
run_printed() {
	last_args=("(as printed)" "$3")
	eval "$3" >stdout 2>stderr
	status=$?
	if [ -n "$3" ] && [ "$status" -eq "$2" ]; then
		pass "$1"
	else
		fail "$1 (want exit $2)"
	fi
}

# also WHAT STREAM REGEX: one more line the last run must have printed.
also() {
	if grep -Eq -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1 (want $2 matching /$3/)"
	fi
}

# also_not WHAT STREAM REGEX: a line the last run must not have printed.
also_not() {
	if grep -Eq -- "$3" "$2"; then
		fail "$1 (want no $2 line matching /$3/)"
	else
		pass "$1"
	fi
}

# json_check WHAT PYTHON-EXPR: the last run printed one JSON object, and
# the expression over it (named v) is true.
json_check() {
	if python3 -m json.tool stdout >/dev/null 2>&1 &&
	    python3 -c 'import json, sys
v = json.load(open("stdout"))
sys.exit(0 if eval("(" + sys.argv[1] + ")") else 1)' "$2"; then
		pass "$1"
	else
		fail "$1 (want JSON with $2)"
	fi
}

# A CA and a client certificate made exactly as the guide does: the CA by
# "openssl req -x509 -new" (no keyUsage), the client by "openssl x509 -req
# -CA ..." without extensions, which makes an X.509 v1 certificate.
quiet openssl genrsa -out ca.key 2048
quiet openssl req -x509 -new -key ca.key -sha256 -days 365 \
    -subj "/CN=Guide Test CA" -out ca.crt
quiet openssl genrsa -out client.key 2048
quiet openssl req -new -key client.key -out client.csr -subj "/CN=alice"
quiet openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key \
    -CAcreateserial -out client.crt

# ec_client NAME CN ISSUER: an EC client certificate by openssl x509 -req.
ec_client() {
	quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
	quiet openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" \
	    -CAcreateserial -days 30 -out "$1.crt"
}

# ec_intermediate NAME CN: NAME.crt, an intermediate CA issued by ca with
# the extensions of NAME.ext.
ec_intermediate() {
	quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
	quiet openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key \
	    -CAcreateserial -days 60 -extfile "$1.ext" -out "$1.crt"
}

# certtool_cert NAME ISSUER TEMPLATE-LINES: a certificate made by certtool.
certtool_cert() {
	printf '%s\n' "$3" >"$1.tmpl"
	quiet certtool --generate-privkey --key-type=ecdsa --outfile "$1.key"
	quiet certtool --generate-certificate --load-privkey "$1.key" \
	    --load-ca-certificate "$2.crt" --load-ca-privkey "$2.key" \
	    --template "$1.tmpl" --outfile "$1.crt"
}

# --- the guide's workflow ----------------------------------------------
check "guide's v1 client certificate accepted" 0 stdout \
    '^accepted: CN=alice \(user alice\)$' verify --ca ca.crt client.crt
also "the verdict notes the v1 certificate" stdout '^note: .*(v1|version 1)'
stdin_file=client.crt check "certificate from standard input" 0 stdout \
    '^accepted: CN=alice' verify --ca ca.crt -
quiet openssl x509 -in client.crt -outform der -out client.der
check "DER certificate accepted" 0 stdout '^accepted: CN=alice' \
    verify --ca ca.crt client.der

# --- validity -------------------------------------------------------------
check "--at after notAfter: expired" 1 stdout '^rejected: expired: ' \
    verify --ca ca.crt --at 2099-01-01T00:00:00Z client.crt
check "--at before notBefore: not yet valid" 1 stdout \
    '^rejected: not-yet-valid: ' verify --ca ca.crt --at 946684800 client.crt
check "--at inside the validity: accepted" 0 stdout '^accepted: ' \
    verify --ca ca.crt --at "$(date -u -d '+1 day' '+%Y-%m-%d %H:%M:%S')" \
    client.crt
# A CA made by certtool, valid since 2018, and a client certificate of it
# that expired in 2020.
printf '%s\n' 'cn = "Old Test CA"' ca cert_signing_key crl_signing_key \
    'activation_date = "2018-01-01 00:00:00"' \
    'expiration_date = "2036-01-01 00:00:00"' >oldca.tmpl
quiet certtool --generate-privkey --key-type=ecdsa --outfile oldca.key
quiet certtool --generate-self-signed --load-privkey oldca.key \
    --template oldca.tmpl --outfile oldca.crt
certtool_cert expired oldca 'cn = "bob"
activation_date = "2019-01-01 00:00:00"
expiration_date = "2020-01-01 00:00:00"
tls_www_client
signing_key'
check "certtool certificate expired in 2020" 1 stdout \
    '^rejected: expired: .*bob' verify --ca oldca.crt expired.crt
check "the same certificate at a time it was valid" 0 stdout \
    '^accepted: CN=bob \(user bob\)$' \
    verify --ca oldca.crt --at 2019-06-01 expired.crt

# --- trust ----------------------------------------------------------------
quiet openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout other.key -subj "/CN=Other Test CA" -days 365 \
    -out other.crt
ec_client mallory mallory other
check "issued by an untrusted CA" 1 stdout \
    '^rejected: issuer-not-found: .*Other Test CA' \
    verify --ca ca.crt mallory.crt
check "the same certificate with its CA trusted" 0 stdout \
    '^accepted: CN=mallory' verify --ca other.crt mallory.crt

# An intermediate CA, and a client below it that sends the intermediate.
cat >inter.ext <<'EOF'
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
ec_intermediate inter "Guide Test Intermediate"
ec_client dave dave inter
check "missing intermediate: the issuer is named" 1 stdout \
    '^rejected: issuer-not-found: .*Guide Test Intermediate' \
    verify --ca ca.crt dave.crt
check "--untrusted supplies the intermediate" 0 stdout \
    '^accepted: CN=dave \(user dave\)$' \
    verify --ca ca.crt --untrusted inter.crt dave.crt
check "a CA certificate is not a client certificate" 1 stdout \
    '^rejected: leaf-is-ca: .*Guide Test Intermediate' \
    verify --ca ca.crt inter.crt
check "the trust anchor itself is not a client certificate" 1 stdout \
    '^rejected: leaf-is-ca: .*Guide Test CA' verify --ca ca.crt ca.crt

# An intermediate that marks none of its basicConstraints,
# nameConstraints and policyConstraints critical, as RFC 5280 asks: each
# is applied all the same, and each is said at once, not one per reissue.
cat >lax.ext <<'EOF'
basicConstraints = CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = excluded;DNS:forbidden.test
policyConstraints = inhibitPolicyMapping:0
EOF
ec_intermediate lax "Lax Test Intermediate"
ec_client frank frank lax
lax_notes=('an intermediate CA of the path has basicConstraints not marked critical'
    'a CA of the path has nameConstraints not marked critical'
    'a certificate of the path has policyConstraints not marked critical')
check "three extensions not critical: accepted" 0 stdout \
    '^accepted: CN=frank \(user frank\)$' \
    verify --ca ca.crt --untrusted lax.crt frank.crt
for note in "${lax_notes[@]}"; do
	also "a note of its own: $note" stdout "^note: $note"
done
check "--json: every note, each once" 0 stdout '^\{' \
    verify --ca ca.crt --untrusted lax.crt --json frank.crt
json_check "--json: the notes, the first also as note" \
    'len(v["notes"]) == len(set(v["notes"])) == 4 and
     v["note"] == v["notes"][0] and "X.509 v1" in v["notes"][0] and
     all(any(n.startswith(s) for n in v["notes"]) for s in '"$(
    python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \
    "${lax_notes[@]}")"')'
printf 'ca_file = "%s/ca.crt";\nintermediates_file = "%s/lax.crt";\n' \
    "$work" "$work" >lax.conf
check "config check: valid, with a warning for each" 0 stdout \
    'valid: .*; 3 warnings on standard error$' config check --config lax.conf
for ext in "basicConstraints CA:TRUE" nameConstraints policyConstraints; do
	also "config check warns of its $ext" stderr \
	    "warning: configured intermediate 'CN=Lax Test Intermediate' has $ext not marked critical"
done

# --- purpose --------------------------------------------------------------
certtool_cert web ca 'cn = "www.example.test"
tls_www_server
signing_key
expiration_days = 30'
check "server-only EKU rejected for a client" 1 stdout '^rejected: purpose: ' \
    verify --ca ca.crt web.crt
check "--purpose server accepts it" 0 stdout '^accepted: ' \
    verify --ca ca.crt --purpose server web.crt
check "--purpose any accepts it" 0 stdout '^accepted: ' \
    verify --ca ca.crt --purpose any web.crt

# --- user -----------------------------------------------------------------
check "--user matching the mapping" 0 stdout \
    '^accepted: CN=alice \(user alice\)$' \
    verify --ca ca.crt --user alice client.crt
check "--user another user" 1 stdout '^rejected: user-mismatch: .*bob' \
    verify --ca ca.crt --user bob client.crt

# --- JSON -----------------------------------------------------------------
fingerprint=$(openssl x509 -in client.crt -noout -fingerprint -sha256 |
    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
serial=$(openssl x509 -in client.crt -noout -serial | sed 's/.*=//' |
    tr 'A-F' 'a-f')
check "--json accepted: exit 0" 0 stdout '^\{' \
    verify --ca ca.crt --json client.crt
json_check "--json accepted: verdict, reason, names" \
    'v["verdict"] == "accepted" and v["reason"] == "ok" and
     v["subject"] == "CN=alice" and v["issuer"] == "CN=Guide Test CA" and
     v["user"] == "alice"'
json_check "--json accepted: chain and profile" \
    'v["chain"] == ["CN=alice", "CN=Guide Test CA"] and
     v["profile"] is None and isinstance(v["note"], str) and
     v["notes"] == [v["note"]]'
json_check "--json fingerprint is the SHA-256 of the certificate" \
    'v["fingerprint"].replace(":", "").lower() == "'"$fingerprint"'"'
json_check "--json serial is the certificate serial" \
    'v["serial"].replace(":", "").lower().lstrip("0") == "'"$serial"'".lstrip("0")'
json_check "--json has exactly the documented members" \
    'sorted(v) == sorted(["verdict", "reason", "explanation", "note",
     "notes", "subject", "issuer", "serial", "fingerprint", "user", "user_message",
     "not_before", "not_after", "email", "upn", "policy",
     "revocation_source", "network_owed", "failed_depth", "chain",
     "profile"])'
not_after=$(date -u -d "$(openssl x509 -in client.crt -noout -enddate |
    sed 's/.*=//')" '+%Y-%m-%dT%H:%M:%SZ')
json_check "--json accepted: validity, names, revocation, no failure" \
    'v["not_after"] == "'"$not_after"'" and v["not_before"] < v["not_after"]
     and v["email"] is None and v["upn"] is None and v["policy"] is None and
     v["revocation_source"] == "none" and v["network_owed"] is False and
     v["failed_depth"] is None and v["user_message"].startswith("Your")'
also "--json prints one line" stdout '^\{.*\}$'
check "--json rejected: exit 1" 1 stdout '^\{' \
    verify --ca ca.crt --user bob --json client.crt
json_check "--json rejected: reason and explanation" \
    'v["verdict"] == "rejected" and v["reason"] == "user-mismatch" and
     len(v["explanation"]) > 0 and "another user" in v["user_message"]'
check "--json expired: exit 1" 1 stdout '^\{' \
    verify --ca ca.crt --at 2099-01-01T00:00:00Z --json client.crt
json_check "--json expired: the client certificate failed, on its date" \
    'v["reason"] == "expired" and v["failed_depth"] == 0 and
     "expired on " + "'"$not_after"'".replace("T", " ").replace("Z", " UTC")
     in v["user_message"]'
quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout odd.key -out odd.csr -utf8 -subj '/CN=Zoë "the" <odd>'
quiet openssl x509 -req -in odd.csr -CA ca.crt -CAkey ca.key \
    -CAcreateserial -out odd.crt
check "--json with quotes and UTF-8 in the name" 0 stdout '^\{' \
    verify --ca ca.crt --json odd.crt
json_check "--json keeps the name readable" \
    'v["subject"].startswith("CN=Zo\u00eb ") and "the" in v["subject"]'
check "--json on garbage: still one JSON object" 1 stdout '^\{' \
    verify --ca ca.crt --json /dev/null
json_check "--json on garbage: absent facts are null" \
    'v["reason"] == "cert-malformed" and v["subject"] is None and
     v["fingerprint"] is None and v["chain"] == []'

# --- revocation -------------------------------------------------------------
ec_client carol carol ca
printf 'crl_next_update = 30\ncrl_number = 1\n' >crl.tmpl
quiet certtool --generate-crl --load-ca-privkey ca.key \
    --load-ca-certificate ca.crt --load-certificate carol.crt \
    --template crl.tmpl --outfile crl.pem
check "revoked by the CRL given with --crl" 1 stdout \
    '^rejected: revoked: .*carol' verify --ca ca.crt --crl crl.pem carol.crt
check "the revoked certificate without --crl" 0 stdout '^accepted: CN=carol' \
    verify --ca ca.crt carol.crt
check "a certificate the CRL does not list" 0 stdout '^accepted: CN=alice' \
    verify --ca ca.crt --crl crl.pem client.crt
printf 'crl_next_update = 1\ncrl_number = 2\n' >short.tmpl
quiet certtool --generate-crl --load-ca-privkey ca.key \
    --load-ca-certificate ca.crt --template short.tmpl --outfile short.crl
check "--at also judges the CRL: past its nextUpdate it is stale" 1 stdout \
    '^rejected: crl-stale: ' verify --ca ca.crt --crl short.crl \
    --at "$(date -u -d '+3 days' '+%Y-%m-%dT%H:%M:%SZ')" client.crt
check "the same CRL while it is fresh" 0 stdout '^accepted: CN=alice' \
    verify --ca ca.crt --crl short.crl client.crt
# --at is exact: the built-in clock_skew (300 s) does not extend nextUpdate
short_next=$(date -u -d "$(openssl crl -in short.crl -noout -nextupdate |
    sed 's/^nextUpdate=//')" +%s)
check "--at the second of the CRL's nextUpdate: still fresh" 0 stdout \
    '^accepted: CN=alice' verify --ca ca.crt --crl short.crl \
    --at "@$short_next" client.crt
check "--at a second past the CRL's nextUpdate: stale" 1 stdout \
    '^rejected: crl-stale: ' verify --ca ca.crt --crl short.crl \
    --at "@$((short_next + 1))" client.crt
quiet certtool --generate-crl --load-ca-privkey other.key \
    --load-ca-certificate other.crt --template crl.tmpl --outfile other.crl
check "--crl from another CA leaves the certificate uncovered" 1 stdout \
    '^rejected: crl-missing: ' verify --ca ca.crt --crl other.crl client.crt
check "--crl with a file that is no CRL: exit 2" 2 stderr 'client\.crt' \
    verify --ca ca.crt --crl client.crt client.crt
also_not "nothing on stdout for a configuration error" stdout '.'
check "--crl with a missing file: exit 2" 2 stderr 'missing\.crl' \
    verify --ca ca.crt --crl missing.crl client.crt

# --- bad input ------------------------------------------------------------
head -c 3000 /dev/urandom >garbage.bin
check "garbage bytes: cert-malformed" 1 stdout '^rejected: cert-malformed: ' \
    verify --ca ca.crt garbage.bin
printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n' >broken.pem
check "broken PEM: cert-malformed" 1 stdout '^rejected: cert-malformed: ' \
    verify --ca ca.crt broken.pem
: >empty.pem
check "empty file: cert-malformed" 1 stdout '^rejected: cert-malformed: ' \
    verify --ca ca.crt empty.pem
check "missing certificate file: exit 2 naming it" 2 stderr \
    'nonexistent\.crt.*No such file' verify --ca ca.crt nonexistent.crt
check "a directory as certificate: exit 2" 2 stderr "$work" \
    verify --ca ca.crt "$work"
head -c 2000000 /dev/zero >huge.bin
check "over-large input: exit 2 saying so" 2 stderr 'larger than' \
    verify --ca ca.crt huge.bin
check "missing --ca file: exit 2 naming it" 2 stderr 'nope\.crt' \
    verify --ca nope.crt client.crt

# --- usage ----------------------------------------------------------------
check "no arguments: usage, exit 2" 2 stderr '^usage: mtls'
check "unknown command: exit 2" 2 stderr "unknown command 'frobnicate'" \
    frobnicate
check "verify without a certificate: exit 2" 2 stderr 'no certificate given' \
    verify --ca ca.crt
check "two certificates: exit 2" 2 stderr 'one certificate at a time' \
    verify --ca ca.crt client.crt client.crt
check "unknown option: exit 2" 2 stderr 'verify --help' \
    verify --ca ca.crt --frobnicate client.crt
check "option without its argument: exit 2" 2 stderr 'verify --help' \
    verify client.crt --ca
check "--at that is no time: exit 2" 2 stderr "--at 'yesterday'" \
    verify --ca ca.crt --at yesterday client.crt
check "--at on a day that does not exist: exit 2" 2 stderr "--at" \
    verify --ca ca.crt --at 2026-02-30 client.crt
check "--at 20250101 is ambiguous: exit 2" 2 stderr "YYYY-MM-DD.*@20250101" \
    verify --ca ca.crt --at 20250101 client.crt
check "--purpose unknown: exit 2" 2 stderr "--purpose 'email'" \
    verify --ca ca.crt --purpose email client.crt
check "--profile with --ca and no --config: exit 2" 2 stderr \
    '--profile needs a configuration' \
    verify --ca ca.crt --profile vpn client.crt
check "mtls --help" 0 stdout '^usage: mtls verify' --help
check "mtls verify --help" 0 stdout '^usage: mtls verify' verify --help
also "verify --help lists every option" stdout \
    '--untrusted FILE'
check "mtls config --help" 0 stdout '^usage: mtls config check' config --help
check "config check --user of nobody on this system: exit 2" 2 stderr \
    "--user no-such-user-here: no such user" config check \
    --user no-such-user-here
check "mtls --version" 0 stdout '^mtls [0-9]+\.[0-9]+\.[0-9]+$' --version
check "config without a subcommand: exit 2" 2 stderr '^usage: mtls config' \
    config
check "config with an unknown subcommand: exit 2" 2 stderr \
    "unknown subcommand 'lint'" config lint

# --- configuration files ----------------------------------------------------
policy_oid=1.3.6.1.4.1.99999.8.1
cat >good.conf <<EOF
ca_file = "$work/ca.crt";
profiles = {
	strict = {
		policy = { require_v3 = true; };
	};
	web = {
		policy = { purpose = "server"; };
	};
	policied = {
		policy = { acceptable_policies = "$policy_oid"; };
	};
};
EOF
check "config check on a good file" 0 stdout 'valid' \
    config check --config good.conf
also "config check describes the defaults" stdout '^defaults:'
also "config check describes each profile" stdout '^profile strict:'
also "config check describes every profile" stdout '^profile web:'
check "verify with --config" 0 stdout '^accepted: CN=alice' \
    verify --config good.conf client.crt
check "verify with --config --profile: the profile's policy applies" 1 \
    stdout '^rejected: v1-leaf: ' \
    verify --config good.conf --profile strict client.crt
check "--profile the file does not define: exit 2" 2 stderr 'nosuch' \
    verify --config good.conf --profile nosuch client.crt
check "--json names the profile" 0 stdout '^\{' \
    verify --config good.conf --profile web --purpose client --json client.crt
json_check "--json profile member" 'v["profile"] == "web"'
check "--crl turns CRL checking on over a configuration" 1 stdout \
    '^rejected: revoked: ' verify --config good.conf --crl crl.pem carol.crt

# the certificate policy an accepted path is valid for
certtool_cert erin ca "cn = \"erin\"
tls_www_client
signing_key
policy1 = $policy_oid
expiration_days = 30"
check "a policy the profile lists: accepted" 0 stdout '^accepted: CN=erin' \
    verify --config good.conf --profile policied erin.crt
also "the policy is named" stdout "^policy: ${policy_oid//./\\.}\$"
check "--json with a policy the profile lists" 0 stdout '^\{' \
    verify --config good.conf --profile policied --json erin.crt
json_check "--json policy member" 'v["policy"] == "'"$policy_oid"'"'
check "a policy held, none asked for: accepted" 0 stdout \
    '^accepted: CN=erin' verify --ca ca.crt erin.crt
also "the policy held is named" stdout "^policy: ${policy_oid//./\\.}\$"
check "no policy held: no policy line" 0 stdout '^accepted: CN=alice' \
    verify --ca ca.crt client.crt
also_not "no policy line" stdout '^policy:'
check "--json without the policy the profile lists: rejected" 1 stdout \
    '^\{' verify --config good.conf --profile policied --json client.crt
json_check "--json rejected: no policy" \
    'v["reason"] == "policy" and v["policy"] is None'

printf 'ca_file = "%s/ca.crt";\noscp_on = true;\n' "$work" >typo.conf
check "config check on a file with an unknown key: exit 2" 2 stderr \
    'oscp_on' config check --config typo.conf
also "the error names the file" stderr 'typo\.conf'
check "verify refuses the same file: exit 2" 2 stderr 'oscp_on' \
    verify --config typo.conf client.crt
printf 'ca_file = "%s/absent-ca.crt";\n' "$work" >missing-ca.conf
check "config check on a file naming a missing CA file: exit 2" 2 stderr \
    'absent-ca\.crt' config check --config missing-ca.conf
printf 'ca_file = "%s/good.conf";\nprofiles = { a = { }; };\n' "$work" \
    >notca.conf
check "config check: a CA file that holds no certificate: exit 2" 2 stderr \
    '^mtls: defaults: .*good\.conf' config check --config notca.conf
also "config check: every part is checked" stderr '^mtls: profile a: '
also "config check: the failures are counted" stderr '2 of 2 parts fail'
check "config check on a missing file: exit 2" 2 stderr 'absent\.conf' \
    config check --config absent.conf
# a verification parses only the map file lines that could hold its key;
# config check parses them all
printf 'CN=alice alice\nCN=bob bob\nCN=bob root\n' >dup.map
printf 'ca_file = "%s/ca.crt";\nidentity = { map = "dn"; map_file = "%s/dup.map"; };\n' \
    "$work" "$work" >dupmap.conf
check "config check reads every line of the map file" 2 stderr \
    'dup\.map:3: duplicate of line 2' config check --config dupmap.conf
check "a map file line not reached does not stop a verification" 0 stdout \
    '^accepted: CN=alice \(user alice\)$' verify --config dupmap.conf client.crt

# identity.issuers names a CA as "mtls verify" prints the issuer, the last
# RDN first; other case and spaces name it too
quiet openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout users-ca.key -days 30 \
    -subj "/C=DE/O=Example/CN=Example Users CA" -out users-ca.crt
ec_client erin erin users-ca
check "verify prints the issuer of a client certificate" 0 stdout '^\{' \
    verify --ca users-ca.crt --json erin.crt
json_check "the issuer is printed the last RDN first" \
    'v["issuer"] == "CN=Example Users CA,O=Example,C=DE"'
issuer=$(python3 -c 'import json; print(json.load(open("stdout"))["issuer"])')
for bound in "$issuer" "cn=example users ca, o=EXAMPLE, c=de"; do
	printf 'ca_file = "%s/users-ca.crt";\nidentity = { issuers = "%s"; };\n' \
	    "$work" "$bound" >issuers.conf
	check "identity.issuers \"$bound\" binds the CA" 0 stdout \
	    '^accepted: CN=erin \(user erin\)$' verify --config issuers.conf erin.crt
done
check "identity.issuers binds no other CA" 1 stdout \
    "^rejected: user-unmapped: .*'CN=Guide Test CA', which is not in identity\.issuers" \
    verify --config issuers.conf --ca ca.crt client.crt
printf 'ca_file = "%s/users-ca.crt";\nidentity = { issuers = "%s"; };\n' \
    "$work" "CN=Example Users CA+OU=People,O=Example" >badissuer.conf
check "config check names an issuer GnuTLS cannot read: exit 2" 2 stderr \
    '^mtls: defaults: identity\.issuers: "CN=Example Users CA\+OU=People,O=Example" is not a name' \
    config check --config badissuer.conf

# a verification imports only the certificates of ca_dir its path needs,
# and passes over a broken file; config check reads them all
mkdir cadir
cp ca.crt cadir/ca.pem
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' \
    >cadir/broken.pem
printf 'ca_dir = "%s/cadir";\n' "$work" >cadir.conf
check "config check names a broken file of ca_dir" 2 stderr \
    'cadir/broken\.pem: bad PEM certificate' config check --config cadir.conf
check "a broken file of ca_dir not needed does not stop a verification" 0 \
    stdout '^accepted: CN=alice' verify --config cadir.conf client.crt
rm cadir/broken.pem
check "config check on a ca_dir of certificates" 0 stdout 'valid' \
    config check --config cadir.conf

# --- the published map index ----------------------------------------------
fp=$(openssl x509 -in client.crt -noout -fingerprint -sha256 | cut -d= -f2)
# bob's: another fingerprint, its first byte inverted (a fixed first
# byte would be alice's own for one certificate in 256)
bob_fp=$(printf '%02X' $((0x${fp%%:*} ^ 0xff))):${fp#*:}
printf '# fingerprint user\n%s alice\n%s bob\n' "$fp" "$bob_fp" >fp.map
printf 'CN=alice alice\nCN=bob bob\n' >dn.map
printf 'ca_file = "%s/ca.crt";\nidentity = { map = "fingerprint"; map_file = "%s/fp.map"; };\nprofiles = { bydn = { identity = { map = "dn"; map_file = "%s/dn.map"; }; }; };\n' \
    "$work" "$work" "$work" >maps.conf
check "map update publishes the index of each map file" 0 stdout \
    '/fp\.map\.idx: 2 keys of .*/fp\.map, published$' map update --config maps.conf
also "map update publishes the profile's map file too" stdout \
    '/dn\.map\.idx: 2 keys of .*/dn\.map, published$'
check "a fingerprint maps through the index" 0 stdout \
    '^accepted: CN=alice \(user alice\)$' verify --config maps.conf client.crt
check "a DN maps through the index" 0 stdout \
    '^accepted: CN=alice \(user alice\)$' verify --config maps.conf \
    --profile bydn client.crt
check "config check with the indexes current" 0 stdout 'valid' \
    config check --config maps.conf
sed -i "s/ alice\$/ carol/" fp.map
check "after the map file changed, it answers, not the stale index" 0 \
    stdout '^accepted: CN=alice \(user carol\)$' verify --config maps.conf \
    client.crt
check "config check calls the index stale" 2 stderr \
    'fp\.map\.idx was made from an earlier version .*run "mtls map update"' \
    config check --config maps.conf
check "map update publishes it again" 0 stdout 'fp\.map\.idx: 2 keys' \
    map update --config maps.conf
check "the new index answers" 0 stdout '^accepted: CN=alice \(user carol\)$' \
    verify --config maps.conf client.crt
# one bit flipped in the last user name: the map file answers instead
python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); d[-1] ^= 4; open(p, "wb").write(d)' \
    fp.map.idx
check "a damaged index never answers: the map file does" 0 stdout \
    '^accepted: CN=alice \(user carol\)$' verify --config maps.conf client.crt
check "config check calls the damaged index unusable" 2 stderr \
    'fp\.map\.idx: unusable map index .*mtls map update' config check \
    --config maps.conf
printf 'CN=alice alice\nCN=bob bob\nCN=alice root\n' >dn.map
check "map update refuses a map file with a key twice: exit 2" 2 stderr \
    'dn\.map:3: duplicate of line 1' map update --config maps.conf
also "map update still publishes the other map files" stdout 'fp\.map\.idx: 2 keys'
check "the key twice is refused at verification" 1 stdout \
    '^rejected: user-unmapped: .*dn\.map:3: duplicate of line 1' \
    verify --config maps.conf --profile bydn client.crt
printf 'ca_file = "%s/ca.crt";\n' "$work" >nomap.conf
check "map update without a map file to index" 0 stdout \
    'no identity\.map_file to index' map update --config nomap.conf
check "map update --help" 0 stdout '^usage: mtls map update' map --help
check "map without update: exit 2" 2 stderr 'usage: mtls map update' map

# --- published CRL index and OCSP flags -----------------------------------
printf 'ca_file = "%s/ca.crt";\nrevocation = { crl_files = "%s/crl.pem"; cache_dir = "%s/cache"; };\n' \
    "$work" "$work" "$work" >index.conf
check "crl update publishes the index" 0 stdout 'crl\.pem' \
    crl update --config index.conf
check "--crl-index: revoked by the published index" 1 stdout \
    '^rejected: revoked: .*carol' verify --ca ca.crt --crl-index cache/crl \
    carol.crt
check "--crl-index: a certificate not listed is accepted" 0 stdout \
    '^accepted: CN=alice' verify --ca ca.crt --crl-index cache/crl client.crt
check "--crl-index on a directory without index: exit 2" 2 stderr \
    'holds no CRL' verify --ca ca.crt --crl-index cache client.crt
# one bit flipped in a serial record: never an accept, always reported
python3 -c 'import sys; p = sys.argv[1]; d = bytearray(open(p, "rb").read()); d[-1] ^= 4; open(p, "wb").write(d)' \
    cache/crl/*.crlidx
check "--crl-index: a damaged block is refused" 1 stdout \
    '^rejected: crl-invalid: .*crlidx.*mtls crl update' verify --ca ca.crt \
    --crl-index cache/crl carol.crt
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_files = "%s/crl.pem"; cache_dir = "%s/cache"; };\n' \
    "$work" "$work" "$work" >indexcrl.conf
check "config check reads every block of the index" 2 stderr \
    'checksum mismatch in serial block 0.*mtls crl update' config check \
    --config indexcrl.conf
check "crl update reports the damaged index" 1 stderr 'checksum mismatch' \
    crl update --config index.conf
also "and publishes it again" stdout 'crl\.pem'
check "--crl-index: revoked again after the update" 1 stdout \
    '^rejected: revoked: .*carol' verify --ca ca.crt --crl-index cache/crl \
    carol.crt
check "config check on the rebuilt index" 0 stdout 'valid' \
    config check --config indexcrl.conf
# A daemon's user (FreeRADIUS's freerad) kept out of the index is told
# which directory is closed and the command that opens it; one that may
# not write it, to run the update as root.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	shared=$(mktemp -d "${TMPDIR:-/tmp}/mtls-cli-shared.XXXXXX") || exit 2
	at_exit 'rm -rf "$shared"'
	chmod 0755 "$shared"
	cp ca.crt crl.pem client.crt "$shared/"
	printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_files = "%s/crl.pem"; cache_dir = "%s/my cache"; };\n' \
	    "$shared" "$shared" "$shared" >"$shared/shared.conf"
	mkdir "$shared/my cache"
	check "crl update as root publishes the index" 0 stdout 'crl\.pem' \
	    crl update --config "$shared/shared.conf"
	chmod 0700 "$shared/my cache/crl"
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	check "an index closed to another user: exit 2, and what opens it" 2 \
	    stderr "^mtls: the CRL index $shared/my cache/crl is closed to uid 65534: it may not read $shared/my cache/crl; as root, run: chmod a\\+rx '$shared/my cache/crl'\$" \
	    verify --config "$shared/shared.conf" "$shared/client.crt"
	as_user=()
	run_printed "the command it gives opens the index" 0 \
	    "$(sed -n 's/.*; as root, run: //p' stderr)"
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	check "the other user then verifies with the index" 0 stdout \
	    '^accepted: CN=alice' verify --config "$shared/shared.conf" \
	    "$shared/client.crt"
	check "crl update as another user: exit 2, run it as root" 2 stderr \
	    "^uid 65534 may not write the CRL index $shared/my cache/crl, which root publishes: run \"mtls crl update\" as root" \
	    crl update --config "$shared/shared.conf"
	chmod 0700 "$shared/my cache"
	check "a cache_dir closed to another user: which, and what opens it" \
	    2 stderr "^mtls: defaults: the CRL index $shared/my cache/crl is closed to uid 65534: it may not search $shared/my cache; as root, run: chmod a\\+x '$shared/my cache'\$" \
	    config check --config "$shared/shared.conf"
	as_user=()
	check "config check --user, as root: the same, as a warning" 0 stderr \
	    "^mtls: defaults: warning: the CRL index $shared/my cache/crl is closed to uid 65534: it may not search $shared/my cache; as root, run: chmod a\\+x '$shared/my cache'\$" \
	    config check --config "$shared/shared.conf" --user 65534
	also "config check --user: valid, with the warning counted" stdout \
	    'valid: .*; 1 warning on standard error$'
	run_printed "the command it gives opens the cache_dir" 0 \
	    "$(sed -n 's/.*; as root, run: //p' stderr)"
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	check "config check as the other user then passes" 0 stdout 'valid' \
	    config check --config "$shared/shared.conf"
	as_user=()
	# nobody CHECK-ARGS...: check, as uid 65534
	nobody() {
		as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		check "$@"
		as_user=()
	}
	# closed FILE-REGEX [THEN-REGEX]: what a file closed to uid 65534 is
	# said to be (and what to run after the chmod)
	closed() {
		echo "is closed to uid 65534: it may not read $1;" \
		    "as root, run: chmod a\\+r '$1'${2:-}\$"
	}
	# opened WHAT: the command the last run gave, run as root, opens it
	opened() {
		run_printed "the command it gives opens $1" 0 \
		    "$(sed -n 's/.*; as root, run: //p' stderr)"
	}
	# the directory open, a file of the index closed (published under a
	# umask of 077): which file, and what opens it
	chmod 0600 "$shared/my cache/crl/"*.crlidx
	f="$shared/my cache/crl/[^/]*\\.crlidx"
	nobody "an index file closed to another user: exit 2, and what opens it" \
	    2 stderr "^mtls: the CRL index file $f $(closed "$f")" \
	    verify --config "$shared/shared.conf" "$shared/client.crt"
	opened "the index file"
	nobody "the other user then verifies with the index file" 0 stdout \
	    '^accepted: CN=alice' verify --config "$shared/shared.conf" \
	    "$shared/client.crt"
	# the map file and its index, the same
	printf 'CN=alice alice\n' >"$shared/my users.map"
	printf 'ca_file = "%s/ca.crt";\nidentity = { map = "dn"; map_file = "%s/my users.map"; };\n' \
	    "$shared" "$shared" >"$shared/map.conf"
	check "map update publishes the shared map file's index" 0 stdout \
	    'users\.map\.idx: 1 key of' map update --config "$shared/map.conf"
	chmod 0600 "$shared/my users.map.idx"
	f="$shared/my users\\.map\\.idx"
	nobody "a map index closed to another user: which, and what opens it" \
	    2 stderr "^mtls: defaults: the map index $f $(closed "$f")" \
	    config check --config "$shared/map.conf"
	opened "the map index"
	# a map file closed: its chmod changes the file's times, which its
	# index is keyed on, so the command that opens it publishes the
	# index again (of this configuration file); without it, every
	# verification reads the whole file and config check fails
	chmod 0600 "$shared/my users.map"
	quiet "$MTLS" map update --config "$shared/map.conf"
	f="$shared/my users\\.map"
	update=" \\&\\& mtls map update --config $shared/map\\.conf"
	nobody "a map file closed to another user: exit 2, and what opens it" \
	    2 stderr "^mtls: the map file $f $(closed "$f" "$update")" \
	    verify --config "$shared/map.conf" "$shared/client.crt"
	opened "the map file and publishes its index again"
	check "config check then passes: the index is the file's" 0 stdout \
	    'valid' config check --config "$shared/map.conf"
	nobody "the other user then verifies with the map file" 0 stdout \
	    '^accepted: CN=alice \(user alice\)$' verify --config \
	    "$shared/map.conf" "$shared/client.crt"
	chmod 0600 "$shared/my users.map"
	quiet "$MTLS" map update --config "$shared/map.conf"
	check "config check --user, as root: a map file closed, a warning" 0 \
	    stderr "^mtls: defaults: warning: the map file $f $(closed "$f" \
	    "$update")" config check --config "$shared/map.conf" --user 65534
	opened "the map file again, and publishes its index again"
	check "config check passes again" 0 stdout 'valid' \
	    config check --config "$shared/map.conf"
	chmod 0600 "$shared/my users.map"
	rm "$shared/my users.map.idx"
	nobody "a map file without an index: the chmod alone" 2 stderr \
	    "^mtls: the map file $f $(closed "$f")" \
	    verify --config "$shared/map.conf" "$shared/client.crt"
else
	echo "skipped: the index as another user (needs root and setpriv)"
fi
cp crl.pem turns-bad.crl
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_files = "%s/turns-bad.crl"; cache_dir = "%s/cache2"; };\n' \
    "$work" "$work" "$work" >badsource.conf
check "crl update publishes the file" 0 stdout 'turns-bad\.crl' \
    crl update --config badsource.conf
cp garbage.bin turns-bad.crl
check "crl update with an unreadable CRL: exit 1" 1 stderr 'turns-bad\.crl: not a CRL' \
    crl update --config badsource.conf
check "the profile reads the last good index, not the bad file" 1 stdout \
    '^rejected: revoked: .*carol' verify --config badsource.conf carol.crt
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_files = "%s/garbage.bin"; cache_dir = "%s/cache"; };\n' \
    "$work" "$work" "$work" >garbagesource.conf
check "a CRL file the index holds nothing from is read, and must be good" 2 \
    stderr 'garbage\.bin' verify --config garbagesource.conf carol.crt

# without --profile, as mtls-crl-update.timer runs it: every profile's own
# CRL sources too, so a CRL the CA published since counts
printf 'crl_next_update = 30\ncrl_number = 10\n' >old.tmpl
quiet certtool --generate-crl --load-ca-privkey ca.key \
    --load-ca-certificate ca.crt --template old.tmpl --outfile wifi.crl
printf 'ca_file = "%s/ca.crt";\nrevocation = { cache_dir = "%s/wificache"; };\nprofiles = { wifi = { revocation = { mode = "crl"; crl_files = "%s/wifi.crl"; }; }; plain = { }; };\n' \
    "$work" "$work" "$work" >wifi.conf
check "crl update --profile publishes the profile's CRL" 0 stdout \
    'wifi\.crl: published' crl update --config wifi.conf --profile wifi
check "not revoked on that CRL: accepted" 0 stdout '^accepted: CN=carol' \
    verify --config wifi.conf --profile wifi carol.crt
printf 'crl_next_update = 30\ncrl_number = 11\n' >new.tmpl
quiet certtool --generate-crl --load-ca-privkey ca.key \
    --load-ca-certificate ca.crt --load-certificate carol.crt \
    --template new.tmpl --outfile wifi.crl
check "crl update without --profile publishes the profile's new CRL" 0 \
    stdout '^profile wifi: .*wifi\.crl: published' crl update --config wifi.conf
also_not "parts without a CRL source are passed over" stdout \
    'no CRL source|plain'
check "revoked since, as the new CRL says: rejected" 1 stdout \
    '^rejected: revoked: .*carol' verify --config wifi.conf --profile wifi \
    carol.crt
printf 'ca_file = "%s/ca.crt";\nrevocation = { cache_dir = "%s/wificache"; };\nprofiles = { plain = { }; };\n' \
    "$work" "$work" >nosource.conf
check "crl update where no part names a CRL says so" 0 stdout \
    '^no CRL source is configured' crl update --config nosource.conf
# a CRL only crl update fetches counts for nothing until it has run
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_urls = "http://127.0.0.1:1/ca.crl"; cache_dir = "%s/urlcache"; };\n' \
    "$work" "$work" >urls.conf
check "config check: CRL URLs and an empty index, a warning" 0 stderr \
    "^mtls: defaults: warning: the CRL index $work/urlcache/crl holds no CRL yet, so the CRLs of revocation\\.crl_urls count for nothing; as root, run \"mtls crl update --config urls\\.conf\"" \
    config check --config urls.conf
also "config check: valid, with the warning counted" stdout \
    'valid: .*; 1 warning on standard error$'
check "what no CRL covers meanwhile: rejected" 1 stdout '^rejected: crl-missing' \
    verify --config urls.conf client.crt
# the command it says to run works, pasted into a shell, whatever the
# configuration file is called
cp urls.conf "my urls; v1.conf"
check "config check: the file in the command is quoted for the shell" 0 \
    stderr "run \"mtls crl update --config 'my urls; v1\\.conf'\"" \
    config check --config "my urls; v1.conf"
run_printed "the printed command updates from that file" 1 \
    "$(sed -n 's/.*, run "\(mtls crl update [^"]*\)".*/\1/p' stderr)"
also "the printed command fetches the file's URL" stderr '127\.0\.0\.1:1'
# a file whose path leaves the command no room in the warning: the
# command is left out, and the warning says so, rather than cut short
# (a quote left open, a directory above the file named)
long=$work
for d in d e f g h; do
	long+=/$(printf "$d%.0s" {1..200})
done
mkdir -p "$long"
cp urls.conf "$long/urls.conf"
check "config check: a command too long for the warning is left out" 0 \
    stderr 'holds no CRL yet, so the CRLs of revocation\.crl_urls count for nothing; the command that mends it is left out, its path being too long to print here$' \
    config check --config "$long/urls.conf"
also_not "config check: no command cut short" stderr 'mtls crl update'
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_urls = "http://127.0.0.1:1/ca.crl"; crl_files = "%s/crl.pem"; cache_dir = "%s/urlcache"; };\n' \
    "$work" "$work" "$work" >urls.conf
check "crl update publishes the file, and fails the URL" 1 stderr \
    '127\.0\.0\.1:1' crl update --config urls.conf
check "config check: the index holds a CRL, no warning" 0 stdout \
    'valid: the defaults and 0 profiles load$' config check --config urls.conf
also_not "config check: nothing on standard error" stderr .
# ocsp_max_age = 0 keeps no answer, which the RADIUS gate needs
mkdir maxagecache
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "ocsp"; ocsp_max_age = 0; cache_dir = "%s/maxagecache"; };\nprofiles = { crlonly = { revocation = { mode = "crl"; crl_files = "%s/crl.pem"; }; }; };\n' \
    "$work" "$work" "$work" >maxage.conf
check "config check: ocsp_max_age = 0, a warning saying what to set" 0 \
    stderr '^mtls: defaults: warning: revocation\.ocsp_max_age = 0 keeps no OCSP answer, in memory or on disk: .*FreeRADIUS gate.* rejects every authentication; set ocsp_max_age to how long an answer may be trusted, 300 or more' \
    config check --config maxage.conf
also "config check: valid, with that one warning" stdout \
    'valid: .*; 1 warning on standard error$'
also_not "config check: no warning for a part without OCSP" stderr \
    '^mtls: profile crlonly: '
# A trust anchor with a critical extension no verifier knows, beside a
# good one: a warning naming it, and its clients refused
quiet openssl req -x509 -new -key ca.key -sha256 -days 30 \
    -subj "/CN=Unknown Ext Root" -out unknownext.crt \
    -addext "1.3.6.1.4.1.99999.1=critical,DER:0500"
quiet openssl x509 -req -in client.csr -CA unknownext.crt -CAkey ca.key \
    -CAcreateserial -days 30 -out unknownext-client.crt
cat ca.crt unknownext.crt >unknownext-bundle.crt
printf 'ca_file = "%s/unknownext-bundle.crt";\n' "$work" >unknownext.conf
check "config check: an anchor with an unknown critical extension warns" 0 \
    stderr "^mtls: defaults: warning: no client certificate is accepted through this CA: trust anchor 'CN=Unknown Ext Root' has a critical extension 1\\.3\\.6\\.1\\.4\\.1\\.99999\\.1 " \
    config check --config unknownext.conf
also "config check: valid, with that one warning" stdout \
    'valid: .*; 1 warning on standard error$'
check "an anchor with an unknown critical extension refuses its clients" 1 \
    stdout "^rejected: critical-extension: trust anchor 'CN=Unknown Ext Root'" \
    verify --config unknownext.conf unknownext-client.crt
check "the good anchor beside it still accepts its own" 0 stdout \
    '^accepted: CN=alice' verify --config unknownext.conf client.crt
check "--ocsp without a responder for the certificate: rejected" 1 stdout \
    '^rejected: revocation-unavailable: ' verify --ca ca.crt --ocsp client.crt
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "ocsp"; };\n' "$work" \
    >ocsp.conf
check "a profile asking OCSP, no responder: rejected" 1 stdout \
    '^rejected: revocation-unavailable: ' verify --config ocsp.conf client.crt
check "--no-ocsp overrides the profile" 0 stdout '^accepted: CN=alice' \
    verify --config ocsp.conf --no-ocsp client.crt
check "--ocsp and --no-ocsp together: exit 2" 2 stderr 'once' \
    verify --ca ca.crt --ocsp --no-ocsp client.crt

finish
