#!/usr/bin/env bash
# run_names_test.sh - what a run of a test killed with SIGKILL left where
# everybody sees it (a PAM service under /etc/pam.d and a local user, both
# named with its PID, as pam_test, openvpn_test and test_openvpn_pam
# install them) is removed by the next run's run_names
# (scripts/harness.sh); what a run still alive installed is left alone.
# Needs root (useradd).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/harness.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to install PAM services and users"
command -v useradd >/dev/null ||
    skip "useradd is not installed (scripts/install-deps.sh)"
work_dir run-names

# a run that ended without its exit hooks, and one still running
(exit 0) &
dead=$!
wait "$dead"
[ ! -e "/proc/$dead" ] || { echo "setup failed: $dead still runs" >&2; exit 2; }
sleep 600 &
live=$!
started "$live"

services=(mtls-test-leftover-"$dead" mtls-test-leftover-"$dead"-login
    mtls-test-leftover-"$live")
users=(mtlsleftover"$dead" mtlsleftover"$dead"a mtlsleftover"$live")
at_exit 'for s in "${services[@]}"; do rm -f "/etc/pam.d/$s"; done
    for u in "${users[@]}"; do userdel "$u" >/dev/null 2>&1; done'
for s in "${services[@]}"; do
	echo 'auth required pam_deny.so' >"/etc/pam.d/$s"
done
for u in "${users[@]}"; do
	quiet useradd -M -N -s /usr/sbin/nologin "$u"
done

run_names leftover

for s in "${services[@]::2}"; do
	if [ -e "/etc/pam.d/$s" ]; then
		fail "a killed run's /etc/pam.d/$s is left"
	else
		pass "a killed run's /etc/pam.d/$s is removed"
	fi
done
for u in "${users[@]::2}"; do
	if id "$u" >/dev/null 2>&1; then
		fail "a killed run's user $u is left"
	else
		pass "a killed run's user $u is removed"
	fi
done
if [ -e "/etc/pam.d/${services[2]}" ] && id "${users[2]}" >/dev/null 2>&1
then
	pass "a live run's PAM service and user are left alone"
else
	fail "a live run's PAM service or user ${users[2]} is removed"
fi
if [ "$run_service" = "mtls-test-leftover-$$" ] &&
    [ "$run_user" = "mtlsleftover$$" ]; then
	pass "this run's names carry its PID: $run_service, $run_user"
else
	fail "this run's names are $run_service and $run_user"
fi
finish
