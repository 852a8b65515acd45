#!/bin/sh
# crl_bench.sh BENCH_CRL_INDEX [SIZES...] - the CRL index at scale.
#
# Makes a CA with openssl and, for each size (default 1000 100000
# 1000000), a CRL revoking serials 1..size with "openssl ca -gencrl" over a
# generated database (GnuTLS builds CRLs in quadratic time, openssl does
# not), then runs BENCH_CRL_INDEX (bench_crl_index.c) on it: parse and
# index build times, index size, the cost of a fresh open + lookup, and
# lookups per second in one process.  A benchmark, not a test: it prints.
set -eu
bench=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
sizes=${*:-1000 100000 1000000}
work=$(mktemp -d /tmp/mtls-crl-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout ca.key -out ca.pem -days 30 -subj "/CN=Bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
cat > ca.cnf <<CNF
[ca]
default_ca = bench
[bench]
database = $work/index.txt
crlnumber = $work/crlnumber
default_md = sha256
default_crl_days = 7
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid
CNF

for n in $sizes; do
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
	    printf "R\t491231000000Z\t240101000000Z\t%08X\tunknown\t/CN=u%d\n",
	    i, i }' > index.txt
	echo 01 > crlnumber
	openssl ca -config ca.cnf -gencrl -keyfile ca.key -cert ca.pem \
	    -out "crl$n.pem" -batch 2>/dev/null
	mkdir -p "index$n"
	"$bench" "crl$n.pem" ca.pem "index$n"
	rm -rf "crl$n.pem" "index$n"
done
