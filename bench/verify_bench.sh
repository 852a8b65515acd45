#!/bin/bash
# verify_bench.sh MTLS [RUNS] - `mtls verify` against `openssl verify`,
# whole process, on the same 3-level chain made with openssl (ECDSA P-256
# and RSA-2048): root trusted, intermediate given as untrusted, leaf
# checked.  RUNS (default 40) runs of each, alternated, median per call.
# What a one-shot check costs as a command, start-up included; the cost of
# the verification itself is bench_verify's.  A benchmark: it prints.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/harness.sh"
[ $# -ge 1 ] || usage MTLS [RUNS]
. "$here/timing.sh"
. "$here/pki.sh"
mtls=$(realpath "$1")
runs=${2:-40}
work_dir verify-bench

declare -A chain_name=([ec]=ECDSA-P256 [rsa]=RSA-2048)
echo "whole process, 3-level chain, median of $runs runs each, alternated"
for alg in ec rsa; do
	pki_root "$alg" root "/CN=Bench Root"
	pki_key "$alg" int
	pki_issue ca int "/CN=Bench Intermediate" root int.key 2
	pki_key "$alg" leaf
	pki_issue client leaf "/CN=bench" int leaf.key 3
	mtls_cmd=("$mtls" verify --ca root.pem --untrusted int.pem leaf.pem)
	openssl_cmd=(openssl verify -CAfile root.pem -untrusted int.pem
	    leaf.pem)
	compare_us "$runs" mtls_cmd openssl_cmd
	printf '%-10s mtls verify %s   openssl verify %s   ratio %s\n' \
	    "${chain_name[$alg]}" \
	    "$(ms "$MEDIAN_A")" "$(ms "$MEDIAN_B")" \
	    "$(ratio "$MEDIAN_A" "$MEDIAN_B")"
done
echo "(a reference, not a target: below 1 means mtls verify is faster)"
