#!/usr/bin/env bash
# openvpn_pam_test.sh - test_openvpn_pam, the PAM helper with real PAM
# stacks, under a name of scripts/harness.sh's run_names: it installs
# its PAM services as /etc/pam.d/$run_service-*, and removes them when it
# ends; what a run killed with SIGKILL left there, which ran no clean-up,
# is removed here first.
#
# usage: openvpn_pam_test.sh PATH/TO/test_openvpn_pam
set -u
. "$(dirname "$0")/../../scripts/harness.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/test_openvpn_pam
[ "$(id -u)" -eq 0 ] ||
    skip "needs root, to install PAM services in /etc/pam.d"
# "ovpn-pam": the names its runs have always had, mtls-test-ovpn-pam-PID-*
run_names ovpn-pam
# the same process, so that the PID in the names is the test's own
exec "$1" "$run_service"
