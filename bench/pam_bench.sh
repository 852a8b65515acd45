#!/usr/bin/env bash
# pam_bench.sh - what pam_mtls.so adds to a login, whole process: the
# source=env example application (pam_start, the certificate into the PAM
# environment, pam_authenticate, pam_end) against a service of pam_mtls
# and against the same service with pam_permit, run alternately.  The
# client presents a 3-level chain (its certificate and the intermediate;
# the root is the trust anchor), and revocation is looked up in the
# published index of a CRL of 1,000,000 serials.  The account phase is
# pam_permit in both, so that one verification is timed.
#
# usage: pam_bench.sh MODULE EXAMPLE MTLS
#
# Target: under 5 ms extra per login; and loading the module adds no
# network library to the process (libcurl is loaded only when an OCSP or
# CRL fetch is configured), checked with the dynamic loader's own report.
# BENCH_RUNS (default 40) sets the runs.  A benchmark, not a test: it
# prints and says whether each target is met.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/harness.sh"

[ $# -eq 3 ] || usage MODULE EXAMPLE MTLS
module=$(realpath "$1")
example=$(realpath "$2")
mtls=$(realpath "$3")
. "$here/timing.sh"
. "$here/pki.sh"
runs=${BENCH_RUNS:-40}
serials=${BENCH_PAM_SERIALS:-1000000}
target_ms=5

work_dir bench-pam

pki_root ec root "/CN=Bench Root"
pki_key ec int
pki_issue ca int "/CN=Bench Users CA" root int.key 0x10
pki_key ec alice
pki_issue client alice "/CN=alice" int alice.key 0x7fffffff01

echo "pam_mtls: making a CRL of $serials serials and its index..."
pki_crl "$serials" 1 int int.crl
cat >mtls.conf <<CONF
ca_file = "$work/root.pem";
# mtls crl update checks the CRL against its issuer
intermediates_file = "$work/int.pem";
revocation = { mode = "crl"; crl_files = [ "$work/int.crl" ];
    cache_dir = "$work/cache"; };
CONF
"$mtls" crl update --config mtls.conf >/dev/null

mkdir pam.d
printf '%s\n' "auth required $module config=$work/mtls.conf source=env" \
    'account required pam_permit.so' >pam.d/bench-mtls
printf '%s\n' 'auth required pam_permit.so' 'account required pam_permit.so' \
    >pam.d/bench-permit
with_mtls=("$example" -d pam.d -u alice -c int.pem bench-mtls alice.pem)
with_permit=("$example" -d pam.d -u alice -c int.pem bench-permit alice.pem)
"${with_mtls[@]}" | grep '^authenticate: PAM_SUCCESS' >/dev/null || {
	echo "pam_mtls: the benchmark's login is not accepted" >&2
	"${with_mtls[@]}" >&2
	exit 1
}

# cpu_us RUNS CMD...: CPU_US, the processor time (user and system) of
# one run, over RUNS runs.  On a machine other jobs keep busy, wall time
# mostly measures the wait for a processor; this does not.
cpu_us() {
	local runs=$1 i t

	shift
	t=$( { TIMEFORMAT='%3U %3S'; time for ((i = 0; i < runs; i++)); do
	    "$@" >/dev/null 2>&1; done; } 2>&1)
	CPU_US=$(awk -v t="$t" -v n="$runs" 'BEGIN { split(t, f, " ");
	    printf "%d", (f[1] + f[2]) * 1e6 / n }')
}

# report WHAT A B: the two times, the extra and whether it is on target.
report() {
	local extra=$(($2 - $3)) met

	met=$(awk -v e="$extra" -v t="$target_ms" 'BEGIN {
	    print (e < t * 1000 ? "met" : "NOT met") }')
	echo "  $1: pam_mtls $(ms "$2"), pam_permit $(ms "$3"): extra" \
	    "$(ms "$extra") per login, ratio $(ratio "$2" "$3")" \
	    "(target under $target_ms ms extra: $met)"
}

echo "pam_mtls: whole-process login (3-level chain, CRL index of" \
    "$serials serials), $runs runs each:"
compare_us "$runs" with_mtls with_permit
report "wall time, medians" "$MEDIAN_A" "$MEDIAN_B"
cpu_us "$runs" "${with_mtls[@]}"
mtls_cpu=$CPU_US
cpu_us "$runs" "${with_permit[@]}"
report "processor time, means" "$mtls_cpu" "$CPU_US"

# loaded CMD...: the files the dynamic loader loads for CMD, one a line.
loaded() {
	LD_DEBUG=files "$@" 2>&1 >/dev/null |
	    sed -n 's/^[[:space:]]*[0-9]*:[[:space:]]*file=\([^ ]*\) .*/\1/p' |
	    sed 's|.*/||' | sort -u
}
loaded "${with_permit[@]}" >permit.libs
loaded "${with_mtls[@]}" | comm -23 - permit.libs >mtls.libs
network=$(grep -E 'libcurl|libssh|libldap|librtmp|libnghttp|libgssapi' \
    mtls.libs || true)
echo "  libraries the module adds: $(wc -l <mtls.libs):" \
    "$(tr '\n' ' ' <mtls.libs)"
if [ -z "$network" ]; then
	echo "  network libraries among them: none (target: none: met)"
else
	echo "  network libraries among them: $(echo $network)" \
	    "(target: none: NOT met)"
fi
