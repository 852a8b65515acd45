#!/usr/bin/env bash
# radius_cli_test.sh - mtls radius verify and authorize as FreeRADIUS runs
# them (attributes in the environment, quoted its way), without
# FreeRADIUS: the command line, the EAP identity, the description of a
# certificate, the reply rules, and the deadline a hung OCSP responder
# meets.
#
# usage: radius_cli_test.sh PATH/TO/mtls PATH/TO/syslog_capture.so
#
# The hung responder listens in a network namespace of the test's own;
# what mtls sends to syslog is caught by the PAM tests' shim.
set -u
. "$(dirname "$0")/../../scripts/radius-lab.sh"
. "$(dirname "$0")/radius_lib.sh"

[ $# -eq 2 ] && [ -x "$1" ] && [ -f "$2" ] ||
    usage PATH/TO/mtls PATH/TO/syslog_capture.so
command -v unshare >/dev/null && command -v ip >/dev/null ||
    skip "unshare and ip (util-linux, iproute2) are needed"
lab_netns "$@"

MTLS=$(realpath "$1")
shim=$(realpath "$2")
work_dir radius-cli-test

fail_details() {
	echo "  exit status: $status"
	sed 's/^/  stdout: /' stdout
	sed 's/^/  stderr: /' stderr
}

# check WHAT STATUS STREAM REGEX ENV... -- MTLS-ARGS...: run mtls with
# exactly the environment given (as FreeRADIUS does), as the user
# run_as names (by default the caller), expect the exit status and a
# line of STREAM matching REGEX.  A name given twice is in the
# environment once, the last value, as env(1) makes it; with env_twice
# set, twice, as FreeRADIUS passes an attribute of two values.
run_as=
env_twice=
exec_env='import ctypes, sys
a = [s.encode() for s in sys.argv[1:]]
env, argv = a[:a.index(b"--")], a[a.index(b"--") + 1:]
vec = lambda l: (ctypes.c_char_p * (len(l) + 1))(*l, None)
ctypes.CDLL(None).execve(argv[0], vec(argv), vec(env))
sys.exit("cannot run " + sys.argv[-1])'
check() {
	local what=$1 want=$2 stream=$3 regex=$4
	local -a envs=() launch

	shift 4
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	launch=(env -i "${envs[@]}")
	[ -z "$env_twice" ] || launch=(python3 -c "$exec_env" "${envs[@]}" --)
	${run_as:+setpriv --reuid "$run_as" --regid "$run_as" --clear-groups} \
	    "${launch[@]}" "$MTLS" "$@" >stdout 2>stderr </dev/null
	status=$?
	if [ "$status" -eq "$want" ] && grep -Eq -- "$regex" "$stream"; then
		pass "$what"
	else
		fail "$what (want exit $want and $stream matching /$regex/)"
	fi
}

# also WHAT STREAM REGEX / also_not: of the last run
also() {
	if grep -Eq -- "$3" "$2"; then pass "$1"; else
		fail "$1 (want $2 matching /$3/)"; fi
}
also_not() {
	if grep -Eq -- "$3" "$2"; then fail "$1 (want no $2 line /$3/)"; else
		pass "$1"; fi
}

# --- PKI ----------------------------------------------------------------

ca ca "/O=Example/CN=Example Wi-Fi CA" &&
issue alice ca "/O=Example/CN=alice" "$ext_client
subjectAltName=email:alice@example.org" &&
issue daemon ca "/O=Example/CN=daemon" "$ext_client" &&
issue bob ca "/O=Example/CN=bob" "$ext_client" &&
issue carol ca "/O=Example/CN=carol" "$ext_client" &&
lab_ca_db db && lab_revoke db carol.crt &&
openssl ca -config db/ca.cnf -keyfile ca.key -cert ca.crt -gencrl \
    -out crl.pem 2>/dev/null || {
	echo "FAIL: cannot make the test PKI"
	exit 1
}

cat >mtls.conf <<'EOC'
ca_file = "ca.crt";
revocation = {
    mode = "crl";
    crl_files = ["crl.pem"];
    cache_dir = "@WORK@/cache";
};
radius = {
    realm = "strip";
    reply = (
        { user = "alice"; vlan = 10; class = "staff \"wifi\""; },
        { group = "daemon"; vlan = 20; },
        { issuer = "CN=Example Wi-Fi CA,O=Example"; class = "guests"; }
    );
};
profiles = {
    keep = { radius = { realm = "keep"; }; };
    email = {
        identity = { map = "email"; };
        radius = { realm = "keep"; };
    };
    dn = { identity = { map = "dn"; map_file = "map.txt"; }; };
    uid = { identity = { map = "uid"; }; };
    hung = {
        revocation = {
            mode = "ocsp";
            ocsp_url = "http://127.0.0.1:8081/";
            ocsp_timeout_ms = 60000;
        };
    };
    unreachable = {
        revocation = {
            mode = "ocsp";
            ocsp_url = "http://127.0.0.1:8082/";
        };
    };
};
EOC
sed -i "s|@WORK@|$work|" mtls.conf
mkdir cache
echo "CN=alice,O=Example alice" >map.txt
C=(--config "$work/mtls.conf")

# --- the command line -----------------------------------------------------

check "--help names both hooks" 0 stdout "mtls radius authorize" -- \
    radius --help
also "--help says where the identity comes from" stdout USER_NAME
check "an unknown subcommand is a usage error" 2 stderr \
    "unknown subcommand 'check'" -- radius check
check "verify without a certificate is a usage error" 2 stderr \
    "no certificate given" -- radius verify "${C[@]}"
check "mtls --help lists radius" 0 stdout "radius +FreeRADIUS" -- --help

# --- verify: the EAP identity ---------------------------------------------

check "quoted USER_NAME, as FreeRADIUS passes it: accepted" 0 stdout \
    "^accepted: CN=alice,O=Example \(user alice\)" 'USER_NAME="alice"' -- \
    radius verify "${C[@]}" alice.crt
check "an unquoted USER_NAME (shell_escape = no): accepted" 0 stdout \
    "^accepted:" USER_NAME=alice -- radius verify "${C[@]}" alice.crt
check "user@realm, realm = strip: accepted" 0 stdout "^accepted:" \
    'USER_NAME="alice@example.org"' -- radius verify "${C[@]}" alice.crt
check "user@realm, realm = keep: rejected" 1 stdout \
    "^rejected: user-mismatch: .*not to 'alice@example.org'" \
    'USER_NAME="alice@example.org"' -- radius verify "${C[@]}" \
    --profile keep alice.crt
check "another user's identity: rejected" 1 stdout \
    "^rejected: user-mismatch" 'USER_NAME="bob"' -- \
    radius verify "${C[@]}" alice.crt
check "a realm and no user: a clear error" 2 stderr \
    "names no user before its @realm" 'USER_NAME="@example.org"' -- \
    radius verify "${C[@]}" alice.crt
# FreeRADIUS writes a backslash of the value as \\ inside the quotes
check "DOMAIN\\user, realm = strip: accepted" 0 stdout \
    "^accepted: CN=alice,O=Example \(user alice\)" \
    'USER_NAME="EXAMPLE\\alice"' -- radius verify "${C[@]}" alice.crt
check "DOMAIN\\user@realm, realm = strip: accepted" 0 stdout "^accepted:" \
    'USER_NAME="EXAMPLE\\alice@example.org"' -- \
    radius verify "${C[@]}" alice.crt
check "DOMAIN\\user, realm = keep: rejected" 1 stdout \
    "^rejected: user-mismatch: .*not to 'EXAMPLE.*alice'" \
    'USER_NAME="EXAMPLE\\alice"' -- radius verify "${C[@]}" \
    --profile keep alice.crt
check "another user in the domain: rejected" 1 stdout \
    "^rejected: user-mismatch: .*not to 'bob'" \
    'USER_NAME="EXAMPLE\\bob"' -- radius verify "${C[@]}" alice.crt
check "a domain and no user: a clear error" 2 stderr \
    "names no user after its DOMAIN" 'USER_NAME="EXAMPLE\\"' -- \
    radius verify "${C[@]}" alice.crt
check "no USER_NAME: a clear error" 2 stderr "no USER_NAME in the environment" \
    -- radius verify "${C[@]}" alice.crt
check "a USER_NAME cut short: refused" 2 stderr \
    "USER_NAME is not one value as FreeRADIUS quotes it" 'USER_NAME="alice' \
    -- radius verify "${C[@]}" alice.crt
check "a quoted NUL in USER_NAME: refused" 2 stderr "not one value" \
    'USER_NAME="ali\000ce"' -- radius verify "${C[@]}" alice.crt
check "escapes are undone: 'al\"ice' is not alice" 1 stdout \
    "not to 'al\"ice'" 'USER_NAME="al\"ice"' -- \
    radius verify "${C[@]}" alice.crt
check "a revoked certificate: rejected" 1 stdout "^rejected: revoked" \
    'USER_NAME="carol"' -- radius verify "${C[@]}" carol.crt
check "a broken configuration: a clear error, exit 2" 2 stderr \
    "no-such.conf" 'USER_NAME="alice"' -- radius verify --config \
    "$work/no-such.conf" alice.crt
check "a certificate that is not one: rejected" 1 stdout \
    "^rejected: cert-malformed" 'USER_NAME="alice"' -- \
    radius verify "${C[@]}" mtls.conf

# --- authorize: the certificate as TLS-Client-Cert-* attributes -----------

# describe NAME: the attributes FreeRADIUS 3.2 makes of NAME.crt
describe() {
	local serial aki

	serial=$(openssl x509 -in "$1.crt" -noout -serial | sed 's/.*=//' |
	    tr 'A-F' 'a-f')
	aki=$(openssl x509 -in "$1.crt" -noout -ext authorityKeyIdentifier |
	    sed -n '2s/^ *//p')
	desc=("TLS_CLIENT_CERT_SERIAL=\"$serial\""
	    "TLS_CLIENT_CERT_ISSUER=\"/O=Example/CN=Example Wi-Fi CA\""
	    "TLS_CLIENT_CERT_X509V3_AUTHORITY_KEY_IDENTIFIER=\"$aki\""
	    "TLS_CLIENT_CERT_SUBJECT=\"/O=Example/CN=$1\""
	    "TLS_CLIENT_CERT_COMMON_NAME=\"$1\"")
}

describe alice
check "authorize: the user's VLAN" 0 stdout \
    '^Tunnel-Private-Group-Id := "10"$' 'USER_NAME="alice"' "${desc[@]}" \
    -- radius authorize "${C[@]}"
also "authorize: the VLAN is a tunnel of type VLAN" stdout \
    '^Tunnel-Type := VLAN$'
also "authorize: the Class, quoted as FreeRADIUS reads it" stdout \
    '^Class := "staff \\"wifi\\""$'
also "authorize: the verdict goes to standard error" stderr \
    "^accepted: /O=Example/CN=alice \(user alice\)"
also_not "authorize: nothing but attributes on standard output" stdout \
    "accepted"
describe daemon
check "authorize: a member of a group gets the group's VLAN" 0 stdout \
    '^Tunnel-Private-Group-Id := "20"$' 'USER_NAME="daemon"' \
    "${desc[@]}" -- radius authorize "${C[@]}"
describe bob
check "authorize: by issuer, the Class of the issuer's rule" 0 stdout \
    '^Class := "guests"$' 'USER_NAME="bob"' "${desc[@]}" -- \
    radius authorize "${C[@]}"
also_not "authorize: only the first rule that holds" stdout Tunnel
describe carol
check "authorize: a revoked serial: rejected" 1 stderr "^rejected: revoked" \
    'USER_NAME="carol"' "${desc[@]}" -- radius authorize "${C[@]}"
also_not "authorize: a rejection replies nothing" stdout .
describe alice
check "authorize: another user's identity: rejected" 1 stderr \
    "^rejected: user-mismatch" 'USER_NAME="bob"' "${desc[@]}" -- \
    radius authorize "${C[@]}"
check "authorize: an issuer the profile does not trust: rejected" 1 stderr \
    "^rejected: issuer-not-found: .*/O=Example/CN=Visitors CA" \
    'USER_NAME="alice"' "${desc[@]}" \
    'TLS_CLIENT_CERT_ISSUER="/O=Example/CN=Visitors CA"' -- \
    radius authorize "${C[@]}"
check "authorize: the right name with another key: rejected" 1 stderr \
    "^rejected: issuer-not-found: .*with that key identifier" \
    'USER_NAME="alice"' "${desc[@]}" \
    'TLS_CLIENT_CERT_X509V3_AUTHORITY_KEY_IDENTIFIER="01:02:03:04"' -- \
    radius authorize "${C[@]}"
check "authorize: a serial that is not hex: rejected" 1 stderr \
    "^rejected: bad-serial" 'USER_NAME="alice"' "${desc[@]}" \
    'TLS_CLIENT_CERT_SERIAL="zz"' -- radius authorize "${C[@]}"
check "authorize: no serial: a clear error, exit 2" 2 stderr \
    "no TLS_CLIENT_CERT_SERIAL in the environment" 'USER_NAME="alice"' \
    'TLS_CLIENT_CERT_ISSUER="/O=Example/CN=Example Wi-Fi CA"' -- \
    radius authorize "${C[@]}"
check "authorize: maps by email from the attributes" 0 stderr \
    "^accepted: .*\(user alice@example.org\)" \
    'USER_NAME="alice@example.org"' "${desc[@]}" \
    'TLS_CLIENT_CERT_SUBJECT_ALT_NAME_EMAIL="alice@example.org"' -- \
    radius authorize "${C[@]}" --profile email
check "authorize: no email to map from: rejected" 1 stderr \
    "^rejected: user-unmapped" 'USER_NAME="alice"' "${desc[@]}" -- \
    radius authorize "${C[@]}" --profile email
# FreeRADIUS passes each rfc822Name of a certificate with two: which one
# names the user is as ambiguous as it is to mtls radius verify.
env_twice=1
check "authorize: two emails to map from: refused, naming the attribute" 2 \
    stderr "TLS_CLIENT_CERT_SUBJECT_ALT_NAME_EMAIL is given 2 times, so which \
one is meant is ambiguous" 'USER_NAME="alice@example.org"' "${desc[@]}" \
    'TLS_CLIENT_CERT_SUBJECT_ALT_NAME_EMAIL="alice@example.org"' \
    'TLS_CLIENT_CERT_SUBJECT_ALT_NAME_EMAIL="root@example.org"' -- \
    radius authorize "${C[@]}" --profile email
also_not "authorize: two emails: no reply attributes" stdout .
env_twice=
check "authorize: identity.map = dn cannot map a description: rejected" 1 \
    stderr "^rejected: user-unmapped: identity.map = \"dn\" needs the whole" \
    'USER_NAME="alice"' "${desc[@]}" -- radius authorize "${C[@]}" \
    --profile dn
check "authorize: identity.map = uid, which a subject line could forge: \
rejected" 1 stderr "^rejected: user-unmapped: identity.map = \"uid\" needs" \
    'USER_NAME="root"' "${desc[@]}" \
    'TLS_CLIENT_CERT_SUBJECT="/O=Example/CN=x/UID=root"' -- \
    radius authorize "${C[@]}" --profile uid

# --- a hung OCSP responder -------------------------------------------------

# accepts connections (the kernel does, from the backlog) and never answers
python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 8081)); s.listen(8)
open("hung.ready", "w").close()
time.sleep(120)' &
started $!
# up to 60 s: python starts slowly on a loaded machine, and a responder
# not yet listening would refuse, not hang
deadline=$((SECONDS + 60))
until [ -e hung.ready ]; do
	if [ "$SECONDS" -ge "$deadline" ]; then
		fail "the hung OCSP responder did not start within 60 s"
		break
	fi
	sleep 0.1
done
# the audit line the verification would have written, from the deadline:
# who claimed what, from where, and why it was refused
: >syslog
check "a hung OCSP responder: rejected within the hook's deadline" 1 stdout \
    "^rejected: revocation-unavailable: no verdict within 5 seconds" \
    'USER_NAME="alice"' 'CALLING_STATION_ID="02-00-00-00-00-01"' \
    "LD_PRELOAD=${MTLS_TEST_PRELOAD:+$MTLS_TEST_PRELOAD }$shim" \
    "MTLS_TEST_SYSLOG=$work/syslog" -- \
    radius verify "${C[@]}" --profile hung alice.crt
also "the deadline writes an audit line" syslog \
    '^<84> mtls: profile=hung verdict=rejected reason=revocation-unavailable .*explanation="no verdict within 5 seconds.* service="radius-verify" eap_identity="alice" calling_station="02-00-00-00-00-01"'
also_not "one audit line, no verdict after the deadline's" syslog \
    'verdict=accepted'

# --- the radius settings ----------------------------------------------------

conf() {
	printf 'ca_file = "ca.crt";\nradius = %s;\n' "$1" >bad.conf
}
conf '{ reply = ( { user = "alice"; } ); }'
check "config: a rule that replies nothing is an error" 2 stderr \
    "bad.conf:2: radius.reply\[0\]: replies nothing" -- \
    config check --config bad.conf
conf '{ reply = ( { vlan = 4095; } ); }'
check "config: a VLAN out of range is an error" 2 stderr \
    "radius.reply\[0\].vlan: 4095 is out of range" -- \
    config check --config bad.conf
conf '{ reply = ( { users = "alice"; vlan = 3; } ); }'
check "config: an unknown rule key is an error" 2 stderr \
    "radius.reply\[0\].users: unknown key" -- config check --config bad.conf
conf '{ realm = "drop"; }'
check "config: an unknown realm rule is an error" 2 stderr \
    "radius.realm: unknown value \"drop\"" -- config check --config bad.conf
check "config check describes the radius settings" 0 stdout \
    "reply rule 2, for members of daemon: VLAN 20" -- config check "${C[@]}"

# --- as freerad: the OCSP cache directory README "Wi-Fi" makes --------------

# FreeRADIUS runs its hooks as freerad, which keeps OCSP answers in
# cache/ocsp-<uid> only if an administrator made it so; when that cannot
# be, the administrator is told how to mend it: by config check before,
# and once in syslog by the hook itself.
as_freerad() {
	local uid dir mend

	uid=$(id -u freerad)
	dir="$work/cache/ocsp-$uid"
	mend="as root, run: install -d -o freerad -m 0700 $dir"
	chmod 755 "$work"
	check "config check --user freerad: no directory of its own, a \
warning" 0 stderr "^mtls: profile hung: warning: OCSP answers of uid \
$uid \(freerad\) are not kept on disk: $dir does not exist; $mend\$" -- \
	    config check "${C[@]}" --user freerad
	also "config check: the configuration is still valid, with a warning" \
	    stdout "valid: .*; 1 warning on standard error"

	install -d -o root -m 0700 "$dir"
	: >syslog
	chmod 666 syslog
	run_as=freerad
	check "as freerad, root's directory: the check fails closed" 1 stdout \
	    "^rejected: revocation-unavailable" 'USER_NAME="alice"' \
	    "LD_PRELOAD=${MTLS_TEST_PRELOAD:+$MTLS_TEST_PRELOAD }$shim" \
	    "MTLS_TEST_SYSLOG=$work/syslog" -- \
	    radius verify "${C[@]}" --profile unreachable alice.crt
	run_as=
	also "as freerad, root's directory: syslog says what is wrong, and \
the command that mends it" syslog "^<84> mtls: OCSP answers of uid $uid \
\(freerad\) are not kept on disk: $dir is owned by uid 0, not by uid $uid; \
$mend\$"
	check "config check --user freerad: the same" 0 stderr \
	    "$dir is owned by uid 0, not by uid $uid; $mend\$" -- \
	    config check "${C[@]}" --user freerad

	install -d -o freerad -m 0700 "$dir"
	check "config check --user freerad: mended, no warning" 0 stdout \
	    "valid: the defaults and [0-9]+ profiles load\$" -- \
	    config check "${C[@]}" --user freerad
	also_not "config check --user freerad: mended, nothing said" stderr .

	# root may search what freerad may not
	chmod 700 "$work/cache"
	check "config check --user freerad: a cache directory it may not \
search, a warning" 0 stderr "^mtls: profile hung: warning: OCSP answers of \
uid $uid \(freerad\) are not kept on disk: it may not search $work/cache; \
as root, run: chmod a\+x $work/cache\$" -- \
	    config check "${C[@]}" --user freerad
	chmod 755 "$work/cache"
}

if ! id freerad >/dev/null 2>&1 ||
    ! setpriv --reuid freerad --regid freerad --clear-groups true \
    2>/dev/null; then
	echo "SKIP: as freerad: needs root and the user freerad (Debian's" \
	    "freeradius package makes it)"
else
	as_freerad
fi

finish
