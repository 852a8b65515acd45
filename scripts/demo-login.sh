#!/usr/bin/env bash
# demo-login.sh MTLS DEMO-DIR - the login part of the demo: pam_mtls.so in
# a PAM service, asked by the example application of source=env, which
# hands PAM the client certificate it got in its TLS handshake.  Uses the
# CA, the client certificates and the CRL that demo.sh made in DEMO-DIR.
#
# Installs nothing: the service file is read from a directory of the
# demo's own (pam_start_confdir).  Exits non-zero when a login's result is
# not the one announced.
set -euo pipefail

. "$(dirname "$0")/harness.sh"
mtls=$1
demo=$2
build=$(cd "$(dirname "$mtls")/.." && pwd)
module=$build/pam_mtls/pam_mtls.so
example=$build/pam_mtls/pam_mtls_env_example
work_dir demo-login
surprises=0

say() {
	printf '\n%s\n' "$*" | fold -s -w 76
}

# login STATUS ARG...: run the example application, show what it printed
# (what the user was told, the PAM results, what the session learns).
login() {
	local want=$1 out status

	shift
	printf '  $ pam_mtls_env_example %s\n' "$*"
	out=$(cd "$work" && "$example" "$@" 2>&1) && status=0 || status=$?
	printf '%s\n' "$out" | sed 's/^/    /'
	if [ "$status" -ne "$want" ]; then
		echo "    !! expected exit status $want"
		surprises=$((surprises + 1))
	fi
}

chmod 755 "$work"
cp "$demo"/{ca.crt,ca.crl,client.crt,carol.crt,expired.crt} .
mkdir pam.d

say "A login: pam_mtls.so decides with the same libmtls call. A web \
gateway or an API server that terminated mutual TLS puts the client's \
certificate into the PAM environment (source=env); the example \
application pam_mtls_env_example does that, then pam_authenticate and \
pam_acct_mgmt. The profile checks revocation against the CRL:"
cat >mtls.conf <<EOF
ca_file = "$work/ca.crt";
revocation = { cache_dir = "$work/cache"; };
profiles = {
	login = { revocation = { mode = "crl"; crl_files = ["$work/ca.crl"]; }; };
};
EOF
sed 's/^/    /' mtls.conf
cat >pam.d/demo-login <<EOF
auth     required  $module config=$work/mtls.conf profile=login source=env
account  required  $module config=$work/mtls.conf profile=login source=env
EOF
say "The PAM service, read from pam.d/ here instead of /etc/pam.d:"
sed "s|$build/|build/|; s|$work/||g; s/^/    /" pam.d/demo-login

say "alice's certificate logs in; no user name was given, so the \
certificate names the user, and the session learns who it is:"
login 0 -d pam.d demo-login client.crt
say "Claiming to be bob with alice's certificate does not:"
login 1 -d pam.d -u bob demo-login client.crt
say "carol's certificate, revoked by the CRL, does not log in; she is told \
why in one sentence, and the log gets the full audit line:"
login 1 -d pam.d demo-login carol.crt
say "Nor does bob's expired one:"
login 1 -d pam.d demo-login expired.crt
say "Smart cards and tokens (source=pkcs11, with the PIN), a password as \
second factor, and the stacks to copy: pam_mtls(8) and etc/pam.d/."

exit $((surprises > 0))
