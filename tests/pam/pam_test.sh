#!/usr/bin/env bash
# pam_test.sh - pam_mtls.so in a real PAM stack: pamtester and the
# source=env example application, a SoftHSM2 token as the smart card, and
# a real local user with a real password for pam_unix.
#
# usage: pam_test.sh MODULE EXAMPLE DRIVER SYSLOG_SHIM MTLS
#
# MODULE is the built pam_mtls.so, EXAMPLE pam_mtls_env_example, DRIVER
# pam_driver, SYSLOG_SHIM the LD_PRELOAD library that writes the
# processes' syslog lines to a file, MTLS the mtls command (for the CRL
# index).  MTLS_TEST_PRELOAD names the sanitizer runtime to preload into
# pamtester when the module is built with one.
#
# Needs root: it installs service files /etc/pam.d/mtls-test-pam-PID-*
# and users mtlspamPID*, removed again on exit however it ends (and at
# the start, those of earlier runs killed with SIGKILL).  Every case
# asserts the PAM result and the message the user saw.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/harness.sh"

[ $# -eq 5 ] || usage MODULE EXAMPLE DRIVER SYSLOG_SHIM MTLS
[ "$(id -u)" -eq 0 ] || skip "needs root to install PAM services and a user"
for tool in pamtester softhsm2-util p11tool certtool openssl useradd; do
	command -v "$tool" >/dev/null ||
	    skip "$tool is not installed (scripts/install-deps.sh)"
done
MODULE=$(realpath "$1")
EXAMPLE=$(realpath "$2")
DRIVER=$(realpath "$3")
SHIM=$(realpath "$4")
MTLS=$(realpath "$5")
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
. "$here/../../bench/pki.sh"

work_dir pam-test
run_names pam
prefix=$run_service
ua=${run_user}a		# has the token and a password
ub=${run_user}b		# another user
at_exit 'rm -f /etc/pam.d/"$prefix"-*; userdel "$ua" 2>/dev/null'
mkdir confdir cache nocache tokens

export SOFTHSM2_CONF=$work/softhsm2.conf
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$work/tokens" >"$SOFTHSM2_CONF"
export MTLS_TEST_SYSLOG=$work/syslog
preload=$SHIM
if [ -n "${MTLS_TEST_PRELOAD:-}" ]; then
	# The sanitizer's crypt() interceptor finds libcrypt only if it is
	# loaded when the runtime starts; pam_unix loads it later.
	unix=$(find /lib /usr/lib -path '*/security/pam_unix.so' | head -n 1)
	crypt=$(ldd "$unix" | awk '/libcrypt\./ { print $3 }')
	preload="$MTLS_TEST_PRELOAD $crypt $SHIM"
fi

# --- the PKI: root, users' intermediate CA, client certificates ---------
pki_root ec root "/CN=mtlspam Test Root"
pki_key ec int
pki_issue ca int "/CN=mtlspam Users CA" root int.key 0x10
for name in alice alice2 bob carol dave; do
	pki_key ec "$name"
done
pki_key rsa bobrsa
pki_issue client alice "/CN=$ua" int alice.key 0x21
pki_issue client alice2 "/CN=$ua/O=second" int alice2.key 0x22
pki_issue client bob "/CN=$ub" int bob.key 0x23
pki_issue client bobrsa "/CN=$ub/O=rsa" int bobrsa.key 0x24
pki_issue client carol "/CN=$ua/O=revoked" int carol.key 0x25
pki_issue client dave "/CN=$ua/O=revoked later" int dave.key 0x26
pki_issue client noemail "/O=no name" int alice.key 0x27
# Expired: certtool can date a certificate in the past.
printf '%s\n' "cn = \"$ua\"" 'serial = 40' \
    'activation_date = "2024-01-01 00:00:00"' \
    'expiration_date = "2025-01-05 00:00:00"' tls_www_client signing_key \
    >expired.tmpl
quiet certtool --generate-certificate --load-privkey alice.key \
    --load-ca-certificate int.pem --load-ca-privkey int.key \
    --template expired.tmpl --outfile expired.pem
# Untrusted: a CA of someone else's, vouching for the same name.
pki_root ec other "/CN=Some Other CA"
pki_issue client untrusted "/CN=$ua" other alice.key 0x31
# CRLs of the users' CA: carol revoked; later, dave too.
printf 'crl_next_update = 30\ncrl_number = 1\n' >crl.tmpl
quiet certtool --generate-crl --load-ca-privkey int.key \
    --load-ca-certificate int.pem --load-certificate carol.pem \
    --template crl.tmpl --outfile int.crl
cat carol.pem dave.pem >both.pem
printf 'crl_next_update = 30\ncrl_number = 2\n' >crl2.tmpl
quiet certtool --generate-crl --load-ca-privkey int.key \
    --load-ca-certificate int.pem --load-certificate both.pem \
    --template crl2.tmpl --outfile later.crl
cp int.crl between.crl
# The root's CRL covers the users' CA, not its clients: with the default
# crl_require "leaf", a client's revocation cannot be checked.
quiet certtool --generate-crl --load-ca-privkey root.key \
    --load-ca-certificate root.pem --template crl.tmpl --outfile root.crl
printf 'garbage\n' >garbage.pem
head -c 70000 /dev/zero | tr '\0' 'A' >oversized.pem
cat alice.pem int.pem >alice-chain.pem

cat >mtls.conf <<CONF
ca_file = "$work/root.pem";
revocation = { cache_dir = "$work/nocache"; };
profiles = {
	env = { };
	chain = { };
	withint = { intermediates_file = "$work/int.pem"; };
	crlfile = { intermediates_file = "$work/int.pem";
	    revocation = { mode = "crl"; crl_files = "$work/int.crl"; }; };
	crlindex = { intermediates_file = "$work/int.pem";
	    revocation = { mode = "crl"; crl_files = "$work/int.crl";
	        cache_dir = "$work/cache"; }; };
	between = { intermediates_file = "$work/int.pem";
	    revocation = { mode = "crl"; crl_files = "$work/between.crl"; }; };
	uncovered = { intermediates_file = "$work/int.pem";
	    revocation = { mode = "crl"; crl_files = "$work/root.crl"; }; };
	byemail = { intermediates_file = "$work/int.pem";
	    identity = { map = "email"; }; };
	tokena = { intermediates_file = "$work/int.pem";
	    pkcs11 = { module = "$SOFTHSM"; token = "$prefix-a"; }; };
	tokenb = { intermediates_file = "$work/int.pem";
	    pkcs11 = { module = "$SOFTHSM"; token = "$prefix-b"; }; };
	tokenuri = { intermediates_file = "$work/int.pem";
	    pkcs11 = { module = "$SOFTHSM"; token = "pkcs11:token=$prefix-a"; }; };
	notoken = { intermediates_file = "$work/int.pem";
	    pkcs11 = { module = "$SOFTHSM"; token = "$prefix-absent"; }; };
	tokenother = { ca_file = "$work/other.pem";
	    pkcs11 = { module = "$SOFTHSM"; token = "$prefix-a"; }; };
};
CONF
printf 'ca_file = "%s/root.pem"\nbroken\n' "$work" >broken.conf
quiet "$MTLS" crl update --config mtls.conf --profile crlindex

# --- the tokens ------------------------------------------------------------
# Token a: one certificate of user a.  Token b: user b's RSA certificate
# and a second certificate of user a, so the module must choose.
pin=123456
export GNUTLS_PIN=$pin GNUTLS_SO_PIN=654321
token_put() {	# TOKEN ID NAME: NAME.key and NAME.pem under ID
	quiet p11tool --provider "$SOFTHSM" --login --write \
	    --load-privkey "$3.key" --label "$3" --id "$2" \
	    "pkcs11:token=$prefix-$1"
	quiet p11tool --provider "$SOFTHSM" --login --write \
	    --load-certificate "$3.pem" --label "$3" --id "$2" \
	    "pkcs11:token=$prefix-$1"
}
for t in a b; do
	quiet softhsm2-util --init-token --free --label "$prefix-$t" \
	    --pin "$pin" --so-pin "$GNUTLS_SO_PIN"
done
token_put a 01 alice
token_put b 01 bobrsa
token_put b 02 alice2
unset GNUTLS_PIN GNUTLS_SO_PIN

# --- services ---------------------------------------------------------------
# service NAME LINE...: /etc/pam.d/$prefix-NAME (for pamtester) and the
# same in confdir/ (for the example and the driver).
service() {
	local name=$1

	shift
	printf '%s\n' "$@" >"confdir/$prefix-$name"
	cp "confdir/$prefix-$name" "/etc/pam.d/$prefix-$name"
}
mod="$MODULE config=$work/mtls.conf"
for p in env chain withint crlfile crlindex between uncovered byemail; do
	service "$p" "auth required $mod source=env profile=$p" \
	    "account required $mod source=env profile=$p"
done
for p in tokena tokenb tokenuri notoken tokenother; do
	service "$p" "auth required $mod profile=$p" \
	    "account required $mod profile=$p"
done
service broken "auth required $MODULE config=$work/broken.conf source=env"
service badarg "auth required $mod source=env profile=env colour=blue"
service relconfig "auth required $MODULE config=mtls.conf source=env profile=withint"
# from_example NAME EXAMPLE PROFILE: a stack of etc/pam.d/ as written,
# with the built module, the test's configuration and PROFILE.
from_example() {
	sed "s|pam_mtls.so profile=login|$mod profile=$3|" \
	    "$here/../../etc/pam.d/$2" >"confdir/$prefix-$1"
	grep -q "$work/mtls.conf profile=$3" "confdir/$prefix-$1" || exit 2
	cp "confdir/$prefix-$1" "/etc/pam.d/$prefix-$1"
}
from_example certificate mtls-certificate tokena
from_example twofactor mtls-certificate-and-password tokena
from_example twofactor-other mtls-certificate-and-password tokenother
from_example either mtls-certificate-or-password notoken
from_example either-token mtls-certificate-or-password tokena

# The real user of the two-factor stack.
password="correct horse $$"
quiet useradd --no-create-home --shell /usr/sbin/nologin "$ua"
printf '%s:%s\n' "$ua" "$password" | quiet chpasswd

# --- assertions ----------------------------------------------------------
# what fail shows of the last run
fail_details() {
	sed 's/^/  output: /' out
	[ -s syslog ] && sed 's/^/  syslog: /' syslog
}

# has WHAT REGEX: the last run's output (what the user saw, and the PAM
# result) has a line matching REGEX.
has() {
	if grep -Eq -- "$2" out; then
		pass "$1"
	else
		fail "$1 (want output matching /$2/)"
	fi
}

has_not() {
	if grep -Eq -- "$2" out; then
		fail "$1 (want no output matching /$2/)"
	else
		pass "$1"
	fi
}

# logged WHAT REGEX: pam_mtls logged a line matching REGEX.
logged() {
	if grep -Eq -- "$2" syslog; then
		pass "$1"
	else
		fail "$1 (want a syslog line matching /$2/)"
	fi
}

# pamtester_run INPUT SERVICE USER OP...: pamtester with INPUT as what the
# user types, one answer per line.
pamtester_run() {
	local input=$1 svc=$2

	shift 2
	: >syslog
	printf '%s' "$input" | timeout 60 env LD_PRELOAD="$preload" \
	    ASAN_OPTIONS=detect_leaks=0 pamtester -v "$prefix-$svc" "$@" \
	    >out 2>&1
}

# example SERVICE [OPTION...] CERT: the source=env example application.
# Leaks are cycles_test.sh's to find: LeakSanitizer's own tracer has been
# seen to crash at exit here, after a module was unloaded, losing the
# output.
example() {
	local svc=$1

	shift
	: >syslog
	timeout 60 env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 \
	    "$EXAMPLE" -d confdir \
	    "${@:1:$#-1}" "$prefix-$svc" "${@: -1}" >out 2>&1
}

OK='^authenticate: PAM_SUCCESS'
AUTH_ERR='^authenticate: PAM_AUTH_ERR'

# --- source=env ------------------------------------------------------------
example chain -u "$ua" alice-chain.pem
has "env: good certificate with its chain, user given" "$OK"
has "env: account phase accepts it" '^account: PAM_SUCCESS'
has "env: MTLS_USER exported" "^MTLS_USER=$ua\$"
has "env: MTLS_SUBJECT exported" "^MTLS_SUBJECT=CN=$ua\$"
has "env: MTLS_ISSUER exported" '^MTLS_ISSUER=CN=mtlspam Users CA$'
has "env: MTLS_SERIAL exported" '^MTLS_SERIAL=21$'
has "env: MTLS_FINGERPRINT_SHA256 exported" \
    '^MTLS_FINGERPRINT_SHA256=([0-9a-f]{2}:){31}[0-9a-f]{2}$'
has "env: MTLS_PROFILE exported" '^MTLS_PROFILE=chain$'
logged "env: audit line with the PAM service and user" \
    "verdict=accepted.*service=\"$prefix-chain\".*pam_user=\"$ua\""

example withint alice.pem
has "env: no user given: the certificate names the user" "$OK"
has "env: PAM_USER set from the certificate" "^user: $ua\$"

example chain -u "$ua" -c int.pem alice.pem
has "env: intermediates in MTLS_PEER_CHAIN" "$OK"

example chain -u "$ua" -f "$work/alice-chain.pem"
has "env: MTLS_PEER_CERT_FILE" "$OK"
mkfifo cert.fifo
ln -s alice-chain.pem cert.link
example chain -u "$ua" -f "$work/cert.fifo"
has "env: MTLS_PEER_CERT_FILE a FIFO: refused, not waited on" "$AUTH_ERR"
logged "env: MTLS_PEER_CERT_FILE a FIFO: logged" 'not a regular file'
example chain -u "$ua" -f "$work/cert.link"
has "env: MTLS_PEER_CERT_FILE a symbolic link: refused" "$AUTH_ERR"
has "env: MTLS_PEER_CERT_FILE refused: the user is told" \
    '^message: The certificate your connection presented could not be read'

example crlfile -u "$ua" carol.pem
has "env: revoked (CRL file): PAM_AUTH_ERR" "$AUTH_ERR"
has "env: revoked (CRL file): the user is told" '^message: .*revoked'
logged "env: revoked (CRL file): audit line" 'verdict=rejected reason=revoked'

example crlindex -u "$ua" carol.pem
has "env: revoked (CRL index): PAM_AUTH_ERR" "$AUTH_ERR"
has "env: revoked (CRL index): the user is told" '^message: .*revoked'
example crlindex -u "$ua" alice.pem
has "env: not revoked (CRL index): accepted" "$OK"

example uncovered -u "$ua" alice.pem
has "env: revocation cannot be checked: PAM_AUTHINFO_UNAVAIL" \
    '^authenticate: PAM_AUTHINFO_UNAVAIL'
has "env: revocation cannot be checked: the user is told" '^message: .+'
logged "env: revocation cannot be checked: the reason is logged" \
    'reason=crl-missing'

example withint -u "$ua" expired.pem
has "env: expired: PAM_AUTH_ERR" "$AUTH_ERR"
has "env: expired: the user is told when" '^message: .*expired.*2025-01-05'

example withint -u "$ua" untrusted.pem
has "env: untrusted CA: PAM_AUTH_ERR" "$AUTH_ERR"
has "env: untrusted CA: the user is told" '^message: .+'
logged "env: untrusted CA: the reason is logged" 'reason=issuer-not-found'

example withint -u "$ub" alice.pem
has "env: another user's certificate: PAM_AUTH_ERR" "$AUTH_ERR"
has "env: another user's certificate: the user is told" '^message: .+'
logged "env: another user's certificate: the reason is logged" \
    'reason=user-mismatch'

example byemail -u "$ua" alice.pem
has "env: nothing maps: PAM_USER_UNKNOWN" '^authenticate: PAM_USER_UNKNOWN'
has "env: nothing maps: the user is told" '^message: .+'

example withint -u "$ua" garbage.pem
has "env: malformed MTLS_PEER_CERT: PAM_AUTH_ERR" "$AUTH_ERR"
has "env: malformed MTLS_PEER_CERT: the user is told" '^message: .+'
logged "env: malformed MTLS_PEER_CERT: the reason is logged" \
    'reason=cert-malformed'

example withint -u "$ua" oversized.pem
has "env: oversized MTLS_PEER_CERT: PAM_AUTH_ERR" "$AUTH_ERR"
has "env: oversized MTLS_PEER_CERT: the user is told" \
    '^message: The certificate your connection presented could not be read'
logged "env: oversized MTLS_PEER_CERT: logged" 'MTLS_PEER_CERT holds 70000 bytes'

: >syslog
MTLS_PEER_CERT=$(cat alice.pem) pamtester_run "" withint "$ua" authenticate
has "env: MTLS_PEER_CERT in the process environment only: ignored" \
    'Authentication service cannot retrieve authentication info'
has "env: ... and the user is told there is no certificate" \
    'presented no client certificate'

example broken -u "$ua" alice.pem
has "broken configuration: PAM_SERVICE_ERR" '^authenticate: PAM_SERVICE_ERR'
has "broken configuration: the user is told" '^message: Certificate logins are not set up'
logged "broken configuration: the reason is logged with file and line" \
    'broken\.conf:[0-9]+: '

example badarg -u "$ua" alice.pem
has "unknown module argument: PAM_SERVICE_ERR" '^authenticate: PAM_SERVICE_ERR'
logged "unknown module argument: logged" 'unknown argument "colour=blue"'

# run where that name finds the test's configuration: still refused, as
# the working directory is the caller's choice under su or sudo
[ -f "$PWD/mtls.conf" ] || exit 2
example relconfig -u "$ua" alice.pem
has "config= not an absolute path: PAM_SERVICE_ERR" \
    '^authenticate: PAM_SERVICE_ERR'
has "config= not an absolute path: the user is told" \
    '^message: Certificate logins are not set up'
logged "config= not an absolute path: logged" \
    'argument "config=mtls.conf": the configuration is named by its absolute path'

: >syslog
timeout 60 env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 \
    "$DRIVER" between confdir \
    "$prefix-between" "$ua" dave.pem cp later.crl between.crl >out 2>&1
has "account after revocation: authentication succeeded before" \
    '^authenticate: Success'
has "account after revocation: PAM_PERM_DENIED" '^account: Permission denied'
has "account after revocation: the user is told" '^message: .*revoked'

: >syslog
timeout 60 env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 \
    "$DRIVER" switch confdir "$prefix-withint" "$ua" alice.pem "$ub" >out 2>&1
has "account of another user than the certificate's: PAM_PERM_DENIED" \
    '^account: Permission denied'
has "account of another user: the user is told" \
    '^message: Your certificate is not for this account'

# --- source=pkcs11: the SoftHSM2 token --------------------------------------
pamtester_run "$pin"$'\n' tokena "$ua" authenticate acct_mgmt
has "token: good certificate and PIN" 'successfully authenticated'
has "token: the PIN was asked for, naming the token" "PIN for $prefix-a"
has "token: account phase" 'account management done'
logged "token: audit line" "verdict=accepted.*service=\"$prefix-tokena\""

pamtester_run "$pin"$'\n' tokena "" authenticate
has "token: no user name given: PAM_USER from the token" \
    'successfully authenticated'
logged "token: no user name given: the user named" "user $ua named by"

pamtester_run "$pin"$'\n' tokenuri "$ua" authenticate
has "token: chosen by PKCS#11 URI" 'successfully authenticated'

pamtester_run "$pin"$'\n' tokenb "$ub" authenticate
has "token: RSA key, chosen among several certificates" \
    'successfully authenticated'
pamtester_run "$pin"$'\n' tokenb "$ua" authenticate
has "token: the certificate that maps to the user is chosen" \
    'successfully authenticated'

pamtester_run "999999"$'\n' tokena "$ua" authenticate
has "token: wrong PIN: PAM_AUTH_ERR" 'pamtester: Authentication failure'
has "token: wrong PIN: the user is told" 'Wrong PIN; try again\.'

pamtester_run "999999"$'\n' tokena "$ua" 'authenticate(PAM_SILENT)'
has "token: wrong PIN under PAM_SILENT: PAM_AUTH_ERR" \
    'pamtester: Authentication failure'
has "token: PAM_SILENT still asks for the PIN" 'PIN for'
has_not "token: PAM_SILENT: no message shown" 'Wrong PIN'

pamtester_run "$pin"$'\n' notoken "$ua" authenticate
has "no token: PAM_AUTHINFO_UNAVAIL" \
    'Authentication service cannot retrieve authentication info'
has "no token: the user is told" 'No smart card or token was found'
has_not "no token: no PIN asked" 'PIN for'

pamtester_run "$pin"$'\n' tokena "$ub" authenticate
has "token: another user's certificate: PAM_AUTH_ERR" \
    'pamtester: Authentication failure'
has "token: another user's certificate: the user is told" \
    "No certificate on the token belongs to $ub"
has_not "token: another user's certificate: no PIN asked" 'PIN for'

# --- the stacks of etc/pam.d/, with pam_unix and a real password ------------
pamtester_run "$pin"$'\n' certificate "$ua" authenticate acct_mgmt
has "mtls-certificate: the token logs in" 'successfully authenticated'
has "mtls-certificate: account phase" 'account management done'

pamtester_run "$pin"$'\n'"$password"$'\n' twofactor "$ua" authenticate \
    acct_mgmt
has "certificate + password: both right" 'successfully authenticated'
has "certificate + password: account phase" 'account management done'

pamtester_run "$pin"$'\n'"wrong $password"$'\n' twofactor "$ua" authenticate
has "certificate right, password wrong: PAM_AUTH_ERR" \
    'pamtester: Authentication failure'
has_not "certificate right, password wrong: no certificate message" \
    '^(Wrong PIN|No certificate|Your)'

pamtester_run "$password"$'\n' twofactor-other "$ua" authenticate
has "password right, certificate wrong: PAM_AUTH_ERR" \
    'pamtester: Authentication failure'
has "password right, certificate wrong: the user is told" \
    '^Your certificate|not trusted|issuer|CA'
has "password right, certificate wrong: the password is still asked" \
    'Password:'

pamtester_run "$password"$'\n' either "$ua" authenticate acct_mgmt
has "certificate or password: no token, password right" \
    'successfully authenticated'
has "certificate or password: account phase after a password" \
    'account management done'
pamtester_run "wrong $password"$'\n' either "$ua" authenticate
has "certificate or password: no token, password wrong" \
    'pamtester: Authentication failure'
pamtester_run "$pin"$'\n' either-token "$ua" authenticate
has "certificate or password: the token alone" 'successfully authenticated'
has_not "certificate or password: no password asked" 'Password:'

finish
