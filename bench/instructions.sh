#!/bin/sh
# instructions.sh BENCH_VERIFY - libmtls against plain GnuTLS in
# instructions, which other jobs on the machine cannot disturb.
#
# Runs "BENCH_VERIFY --batches ecdsa|rsa" under callgrind: 100
# verifications of the same chain by each side, and compares the inclusive
# instruction counts of the two batch functions.  Prints; never fails for
# a missed target.  Without valgrind, says so and stops.
set -eu
bench=$1
if ! command -v valgrind >/dev/null 2>&1; then
	echo "instructions: valgrind is not installed; skipped"
	exit 0
fi
out=$(mktemp -d /tmp/mtls-instructions.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM

echo "instructions per verification (callgrind, 100 each, same chain)"
for kind in ecdsa rsa; do
	valgrind --tool=callgrind --instr-atstart=no \
	    --callgrind-out-file="$out/$kind" \
	    "$bench" --batches "$kind" >/dev/null 2>&1
	callgrind_annotate --inclusive=yes "$out/$kind" 2>/dev/null |
	    awk -v kind="$kind" '
		/bench_gnutls_batch/ && !g { gsub(",", "", $1); g = $1 }
		/bench_mtls_batch/ && !m { gsub(",", "", $1); m = $1 }
		END {
			if (!g || !m) { print kind ": no counts"; exit }
			r = m / g
			printf "%-6s plain GnuTLS %10.0f   libmtls %10.0f   " \
			    "ratio %.2f (target at most 1.2: %s)\n", kind,
			    g / 100, m / 100, r, r <= 1.2 ? "met" : "NOT met"
		}'
done
