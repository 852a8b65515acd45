#!/usr/bin/env bash
# cycles_test.sh - 1,000 pam_start, pam_authenticate, pam_acct_mgmt,
# pam_end cycles in one process, as a display manager or screen locker
# runs them: each loads and unloads pam_mtls.so.  Each DRIVER (pam_driver
# built plain, with LeakSanitizer or with AddressSanitizer) runs them all
# and fails when memory grows; a sanitizer fails the run on any leak.
# Then 4 threads run 50 cycles each at once.
#
# usage: cycles_test.sh MODULE DRIVER... (MTLS_CYCLES: how many, 1000)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/harness.sh"

[ $# -ge 2 ] || usage MODULE DRIVER...
MODULE=$(realpath "$1")
shift
drivers=()
for d in "$@"; do
	drivers+=("$(realpath "$d")")
done
count=${MTLS_CYCLES:-1000}
. "$here/../../bench/pki.sh"

work_dir pam-cycles
mkdir confdir

pki_root ec root "/CN=Cycles Root"
pki_key ec int
pki_issue ca int "/CN=Cycles Users CA" root int.key 0x10
pki_key ec alice
pki_issue client alice "/CN=alice" int alice.key 0x20
printf 'crl_next_update = 30\ncrl_number = 1\n' >crl.tmpl
certtool --generate-crl --load-ca-privkey int.key --load-ca-certificate \
    int.pem --template crl.tmpl --outfile int.crl >/dev/null 2>&1 || exit 2
cat >mtls.conf <<CONF
ca_file = "$work/root.pem";
intermediates_file = "$work/int.pem";
revocation = { mode = "crl"; crl_files = "$work/int.crl";
    cache_dir = "$work/cache"; };
CONF
printf '%s\n' "auth required $MODULE config=$work/mtls.conf source=env" \
    "account required $MODULE config=$work/mtls.conf source=env" \
    >confdir/cycles

# Leaks are fatal; the stacks of a module unloaded by then show no names.
# LeakSanitizer's own tracer has been seen to crash at exit after modules
# were unloaded ("LeakSanitizer has encountered a fatal error"): that
# says nothing of leaks, and the run is repeated once.
cycles() {
	timeout 600 env ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=exitcode=23 \
	    "$1" cycles confdir cycles alice alice.pem "$count" >out 2>&1
}
status=0
for driver in "${drivers[@]}"; do
	echo "$(basename "$driver"):"
	cycles "$driver"
	rc=$?
	if [ "$rc" -ne 0 ] &&
	    grep -q 'LeakSanitizer has encountered a fatal error' out; then
		cat out
		echo "note: LeakSanitizer itself failed; once more"
		cycles "$driver"
		rc=$?
	fi
	cat out
	[ "$rc" -eq 0 ] || status=1
done
# The same in threads at once, as a threaded server authenticates.
timeout 300 env ASAN_OPTIONS=detect_leaks=0 "${drivers[0]}" threads confdir \
    cycles alice alice.pem 50 || status=1
exit $status
