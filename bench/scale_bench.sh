#!/bin/bash
# scale_bench.sh MTLS BENCH_SCALE GNUTLS_VERIFY - what verification and
# "mtls crl update" cost as the PKI grows: every row of the targets for
# CAs, intermediates, CRLs and map files, each a ratio of two costs
# measured in the same run.  GNUTLS_VERIFY (gnutls_verify.c) is the floor
# of the whole-process row: a program that only verifies with GnuTLS.
#
# Whole-process rows are medians of alternated runs, timed by bash
# (timing.sh); in-process rows come from BENCH_SCALE (bench_scale.c).
# The PKI is an RSA-2048 chain made with openssl (pki.sh); the CRL lists
# 1,000,000 serials, made by "openssl ca -gencrl" over a generated
# database.  BENCH_RUNS (default 20) sets the runs per whole-process
# timing.  A benchmark, not a test: it prints, and says whether each
# target is met.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/harness.sh"
[ $# -eq 3 ] || usage MTLS BENCH_SCALE GNUTLS_VERIFY
. "$here/timing.sh"
. "$here/pki.sh"
mtls=$(realpath "$1")
bench_scale=$(realpath "$2")
gnutls_verify=$(realpath "$3")
runs=${BENCH_RUNS:-20}
crl_serials=${BENCH_CRL_SERIALS:-1000000}
work_dir scale-bench

# at_most VALUE LIMIT: whether an "at most LIMIT" target is met.
at_most() {
	awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l ? "met" : "NOT met") }'
}

# target_row WHAT A B LIMIT: print A/B against "at most LIMIT".
target_row() {
	local r

	r=$(ratio "$2" "$3")
	printf '  %-58s %s vs %s: %sx (target <= %s: %s)\n' "$1" \
	    "$(ms "$2")" "$(ms "$3")" "$r" "$4" "$(at_most "$r" "$4")"
}

echo "costs that do not grow with the PKI; a few minutes on 2 cores"
pki_root rsa root "/CN=Scale Root"
pki_key rsa int
pki_issue ca int "/CN=Scale Intermediate" root int.key 2
pki_key rsa leaf
pki_issue client leaf "/CN=alice" int leaf.key 3

echo "whole process, median of $runs alternated runs:"
mtls_cmd=("$mtls" verify --ca root.pem --untrusted int.pem leaf.pem)
openssl_cmd=(openssl verify -CAfile root.pem -untrusted int.pem leaf.pem)
floor_cmd=("$gnutls_verify" root.pem int.pem leaf.pem)
compare_us "$runs" mtls_cmd openssl_cmd floor_cmd
target_row "mtls verify vs openssl verify" "$MEDIAN_A" "$MEDIAN_B" 0.7
# what is GnuTLS's: loading it, and its own verification of the chain
printf '  %-58s %s: %sx\n' "  GnuTLS alone verifying the same, vs openssl verify" \
    "$(ms "$MEDIAN_C")" "$(ratio "$MEDIAN_C" "$MEDIAN_B")"
printf '  %-58s %sx\n' "  mtls verify vs GnuTLS alone" \
    "$(ratio "$MEDIAN_A" "$MEDIAN_C")"

# a CA directory of 1,000 files against one of a single file
mkdir dir1 dir1000
cp root.pem dir1/root.pem
cp root.pem dir1000/root.pem
"$bench_scale" cadir dir1000 999
for n in 1 1000; do
	printf 'ca_dir = "%s/dir%s";\nintermediates_file = "%s/int.pem";\n' \
	    "$work" "$n" "$work" > "dir$n.conf"
done
dir1000=("$mtls" verify --config dir1000.conf leaf.pem)
dir1=("$mtls" verify --config dir1.conf leaf.pem)
compare_us "$runs" dir1000 dir1
target_row "ca_dir of 1,000 files vs one file" "$MEDIAN_A" "$MEDIAN_B" 10

# a map file of 100,000 fingerprints against one of a single line
fp=$(openssl x509 -in leaf.pem -noout -fingerprint -sha256 | cut -d= -f2)
printf '%s alice\n' "$fp" > map1
awk 'BEGIN { srand(1); for (i = 0; i < 99999; i++) { s = "";
    for (j = 0; j < 32; j++) s = s sprintf("%02X", int(rand() * 256));
    printf "%s u%d\n", s, i } }' > map100k
printf '%s alice\n' "$fp" >> map100k
for m in map1 map100k; do
	printf 'ca_file = "%s/root.pem";\nintermediates_file = "%s/int.pem";\n%s\n' \
	    "$work" "$work" "identity = { map = \"fingerprint\"; map_file = \"$work/$m\"; };" \
	    > "$m.conf"
done
map100k=("$mtls" verify --config map100k.conf leaf.pem)
map1=("$mtls" verify --config map1.conf leaf.pem)
compare_us "$runs" map100k map1
printf '  %-58s %sx\n' "  the same, the map file read (no index)" \
    "$(ratio "$MEDIAN_A" "$MEDIAN_B")"
# as an administrator publishes it: the login maps the index
"$mtls" map update --config map100k.conf >/dev/null
compare_us "$runs" map100k map1
target_row "start with a 100,000-line map file (its index) vs 1 line" \
    "$MEDIAN_A" "$MEDIAN_B" 1.2

# a CRL of the intermediate listing crl_serials serials
pki_crl "$crl_serials" 17 int crl.pem
cat > crl.conf <<CONF
ca_file = "$work/root.pem";
intermediates_file = "$work/int.pem";
revocation = {
	mode = "crl";
	crl_files = [ "$work/crl.pem" ];
	cache_dir = "$work/cache";
};
CONF
update=(bash -c "rm -rf '$work/cache' && mkdir '$work/cache' &&
    exec '$mtls' crl update --config '$work/crl.conf'")
openssl_crl=(openssl crl -noout -in crl.pem)
compare_us 5 update openssl_crl
target_row "mtls crl update of $crl_serials serials vs openssl crl" \
    "$MEDIAN_A" "$MEDIAN_B" 1.7
rm -rf cache
mkdir cache
peak=$("$bench_scale" rss "$mtls" crl update --config crl.conf)
printf '  %-58s %s MiB (target <= 300: %s)\n' \
    "mtls crl update, peak resident memory" "$((peak / 1024))" \
    "$(at_most "$peak" $((300 * 1024)))"
time_us "$runs" "$mtls" crl update --config crl.conf
printf '  %-58s %s (target < 50 ms: %s)\n' \
    "mtls crl update, the CRL unchanged" "$(ms "$MEDIAN_US")" \
    "$(at_most "$MEDIAN_US" 49999)"
touch crl.pem
time_us 1 "$mtls" crl update --config crl.conf
printf '  %-58s %s\n' "  the same CRL rewritten (hashed, not parsed)" \
    "$(ms "$MEDIAN_US")"

"$bench_scale" crlfile root.pem int.pem int.key crl.pem
"$bench_scale" pki
echo "scale benchmark took $SECONDS s"
