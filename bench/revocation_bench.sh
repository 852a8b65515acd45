#!/bin/bash
# revocation_bench.sh MTLS BENCH_CRL_INDEX BENCH_OCSP [SIZES...] -
# revocation at scale: what checking it costs a login.
#
# Makes a CA with openssl and, for each size (default 1000 100000
# 1000000), a CRL revoking serials 1..size with "openssl ca -gencrl" over a
# generated database (GnuTLS builds CRLs in quadratic time, openssl does
# not).  For each CRL it prints:
#   - BENCH_CRL_INDEX (bench_crl_index.c): parse and index build times,
#     index size, a fresh open + lookup, lookups per second in process;
#   - "mtls crl update" publishing the index, whole process;
#   - "mtls verify" of a client certificate of that CA, whole process, with
#     the index (--crl-index) against no revocation: the ratio must stay
#     under 1.5;
#   - "openssl verify -crl_check -CRLfile", the reference without an
#     index (seconds per call at 1M: few runs there).
# Then OCSP with BENCH_OCSP (bench_ocsp.c) against a real "openssl ocsp"
# responder.  openssl ocsp listens on every interface, so the whole script
# runs in a network namespace of its own with only loopback up (unshare -n
# as root, through a user namespace otherwise), and stops the responder
# by its PID.  BENCH_RUNS (default 40) sets the runs per whole-process
# timing.  A benchmark, not a test: it prints, and says whether the target
# is met.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/harness.sh"
[ $# -ge 3 ] || usage MTLS BENCH_CRL_INDEX BENCH_OCSP [SIZES...]
private_namespaces --unprivileged --net -- "$@" || {
	echo "revocation_bench: cannot make a network namespace" >&2
	exit 1
}

. "$here/timing.sh"
. "$here/pki.sh"
mtls=$(realpath "$1")
bench_crl_index=$(realpath "$2")
bench_ocsp=$(realpath "$3")
shift 3
sizes=${*:-1000 100000 1000000}
runs=${BENCH_RUNS:-40}
target=1.5
work_dir revocation-bench

# openssl verify reads the whole CRL every call: seconds at 1M serials.
openssl_runs() {
	if [ "$1" -ge 1000000 ]; then
		echo 3
	elif [ "$1" -ge 100000 ]; then
		echo 5
	else
		echo "$runs"
	fi
}

# crl_case N: the CRL of N serials, indexed, and what it costs.
crl_case() {
	local n=$1 start=$SECONDS status=0 out

	echo "$n revoked serials:"
	pki_crl "$n" 1 ca crl.pem
	mkdir -p scratch
	printf '  in process: '
	"$bench_crl_index" crl.pem ca.pem scratch | sed 's/^ *//'
	rm -rf scratch

	rm -rf cache
	mkdir cache
	cat > crl.conf <<-CONF
	ca_file = "$work/ca.pem";
	revocation = {
		mode = "crl";
		crl_files = [ "$work/crl.pem" ];
		cache_dir = "$work/cache";
	};
	CONF
	run_us "$mtls" crl update --config crl.conf
	printf '  mtls crl update (publishes the index): %s s, index %s\n' \
	    "$(awk -v us="$RUN_US" 'BEGIN { printf "%.2f", us / 1e6 }')" \
	    "$(du -sh cache/crl | cut -f1)"

	# the index must be what answers, or the timing below means nothing
	out=$("$mtls" verify --ca ca.pem --crl-index cache/crl revoked.pem) ||
	    status=$?
	case $status:$out in
	1:"rejected: revoked:"*) ;;
	*)	echo "bench: the index did not reject serial 5: $out" >&2
		exit 1 ;;
	esac

	none=("$mtls" verify --ca ca.pem good.pem)
	indexed=("$mtls" verify --ca ca.pem --crl-index cache/crl good.pem)
	compare_us "$runs" none indexed
	RATIO=$(ratio "$MEDIAN_B" "$MEDIAN_A")
	printf '  mtls verify, whole process, median of %d: no revocation' \
	    "$runs"
	printf ' %s, with --crl-index %s, ratio %s (target < %s: %s)\n' \
	    "$(ms "$MEDIAN_A")" "$(ms "$MEDIAN_B")" "$RATIO" "$target" \
	    "$(verdict "$RATIO" "$target")"

	time_us "$(openssl_runs "$n")" openssl verify -crl_check \
	    -CAfile ca.pem -CRLfile crl.pem good.pem
	printf '  openssl verify -crl_check -CRLfile, median of %d: %s\n' \
	    "$(openssl_runs "$n")" "$(ms "$MEDIAN_US")"
	echo "  ($n serials took $((SECONDS - start)) s)"
	rm -rf cache crl.pem
}

# ocsp_case CLIENTS: a real responder on loopback, asked by bench_ocsp.
ocsp_case() {
	local serial i waited=0

	ip link set lo up
	: > ocsp-index.txt
	for ((i = 0; i < $1; i++)); do
		pki_issue client "ocsp$i" "/CN=alice" ca client.key \
		    $((0x1000 + i))
		serial=$(openssl x509 -in "ocsp$i.pem" -noout -serial)
		printf 'V\t491231000000Z\t\t%s\tunknown\t/CN=%s\n' \
		    "${serial#serial=}" "$i" >> ocsp-index.txt
	done
	# "ACCEPT" once it listens: openssl 3.0 spins after a connection
	# closed without a request, so it is not probed
	openssl ocsp -index ocsp-index.txt -port 8888 -CA ca.pem \
	    -rsigner ca.pem -rkey ca.key -ndays 1 > ocsp.log 2>&1 &
	responder=$!
	started "$responder"
	until grep -q ACCEPT ocsp.log; do
		if ((waited++ > 200)); then
			echo "bench: openssl ocsp did not start:" >&2
			cat ocsp.log >&2
			exit 1
		fi
		sleep 0.05
	done
	mkdir ocsp-cache
	cat > ocsp.conf <<-CONF
	ca_file = "$work/ca.pem";
	revocation = {
		mode = "ocsp";
		ocsp_url = "http://127.0.0.1:8888/";
		cache_dir = "$work/ocsp-cache";
	};
	CONF
	"$bench_ocsp" ocsp.conf ocsp*.pem
	stop_one "$responder"
	echo "  (responses cached on disk: $(ls ocsp-cache/ocsp 2>/dev/null |
	    wc -l); responder: openssl ocsp on 127.0.0.1 in a private" \
	    "network namespace)"
}

all_met=met
echo "revocation at scale; about a minute on a 2-core machine, most of" \
    "it the 1,000,000-serial CRL"
pki_root ec ca "/CN=Bench CA"
pki_key ec client
pki_issue client good "/CN=alice" ca client.key 0x7fffffff01
pki_issue client revoked "/CN=mallory" ca client.key 5
time_us "$runs" openssl verify -CAfile ca.pem good.pem
echo "openssl verify without a CRL, median of $runs: $(ms "$MEDIAN_US")"
for n in $sizes; do
	crl_case "$n"
	[ "$(verdict "$RATIO" "$target")" = met ] || all_met="NOT met"
done
if command -v ip >/dev/null; then
	ocsp_case 41
else
	echo "OCSP not measured: ip (Debian package iproute2), which brings" \
	    "up loopback in the network namespace, is not installed"
fi
echo "target: mtls verify with the CRL index under ${target}x no" \
    "revocation, at every size: $all_met"
echo "revocation benchmark took $SECONDS s"
