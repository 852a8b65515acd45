#!/bin/bash
# radius_bench.sh MTLS - what one Wi-Fi authentication costs in mtls: one
# "mtls radius verify" process, as FreeRADIUS's verify hook starts it,
# against /bin/true in the same run (the cost of starting any process),
# with the CRL index of a CRL of 1,000,000 serials.  Target: under 10 ms.
# FreeRADIUS allows a hook 10 s, but runs it in the middle of the EAP
# exchange, and in threaded mode adds up to 100 ms of its own per hook.
#
# Also "mtls radius authorize", the check-eap-tls gate, which checks the
# TLS-Client-Cert-* attributes against the same index.
#
# BENCH_RUNS (default 40) sets the runs per timing; RADIUS_BENCH_SERIALS
# (default 1000000) the CRL's size.  A benchmark, not a test: it prints,
# and says whether the target is met.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/harness.sh"
[ $# -eq 1 ] || usage MTLS
. "$here/timing.sh"
. "$here/pki.sh"
mtls=$(realpath "$1")
runs=${BENCH_RUNS:-40}
serials=${RADIUS_BENCH_SERIALS:-1000000}
target_us=10000
work_dir radius-bench

echo "mtls radius, one process per authentication, with the CRL index of" \
    "$serials revoked serials (building it takes about 20 s)"
pki_root ec ca "/CN=Bench Wi-Fi CA"
pki_key ec client
pki_issue client good "/CN=alice" ca client.key 0x7fffffff01
pki_crl "$serials" 1 ca crl.pem
mkdir cache
cat > mtls.conf <<CONF
ca_file = "$work/ca.pem";
revocation = {
	mode = "crl";
	crl_files = [ "$work/crl.pem" ];
	cache_dir = "$work/cache";
};
CONF
"$mtls" crl update --config mtls.conf >/dev/null

# FreeRADIUS's environment: the attributes, quoted
export USER_NAME='"alice"'
export TLS_CLIENT_CERT_ISSUER='"/CN=Bench Wi-Fi CA"'
export TLS_CLIENT_CERT_SERIAL='"7fffffff01"'
export TLS_CLIENT_CERT_COMMON_NAME='"alice"'
# the index must be what answers, or the timing means nothing
status=0
out=$(TLS_CLIENT_CERT_SERIAL='"05"' "$mtls" radius authorize \
    --config mtls.conf 2>&1) || status=$?
case $status:$out in
1:"rejected: revoked:"*) ;;
*)	echo "bench: the index did not reject serial 5: $out" >&2
	exit 1 ;;
esac

baseline=(/bin/true)
verify=("$mtls" radius verify --config mtls.conf good.pem)
authorize=("$mtls" radius authorize --config mtls.conf)
all_met=met
for hook in verify authorize; do
	compare_us "$runs" baseline "$hook"
	if [ "$MEDIAN_B" -lt "$target_us" ]; then met=met; else
		met="NOT met"; all_met="NOT met"; fi
	printf '  mtls radius %s, median of %d: %s; /bin/true %s; ratio %s' \
	    "$hook" "$runs" "$(ms "$MEDIAN_B")" "$(ms "$MEDIAN_A")" \
	    "$(ratio "$MEDIAN_B" "$MEDIAN_A")"
	printf ' (target under %s: %s)\n' "$(ms "$target_us")" "$met"
done
echo "mtls radius: target $all_met"
