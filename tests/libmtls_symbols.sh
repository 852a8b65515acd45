#!/usr/bin/env bash
# libmtls_symbols.sh - the libmtls.a the doors link into shared objects
# defines no global name but the mtls_ API, each with hidden visibility
# (so that a module exports none of it), and defines every function
# mtls.h declares.
#
# usage: libmtls_symbols.sh PATH/TO/libmtls.a PATH/TO/mtls.h
set -u

if [ $# -ne 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
	echo "usage: $0 PATH/TO/libmtls.a PATH/TO/mtls.h" >&2
	exit 2
fi
archive=$1
header=$2
failed=0

defined=$(nm -g --defined-only "$archive" | awk 'NF == 3 { print $3 }' |
    sort)
others=$(grep -v '^mtls_' <<<"$defined")
if [ -n "$others" ]; then
	echo "FAIL: $archive defines global names outside the mtls_ API:"
	sed 's/^/  /' <<<"$others"
	failed=1
else
	echo "ok: every global name libmtls.a defines is an mtls_ name"
fi

visible=$(readelf -sW "$archive" |
    awk '$5 == "GLOBAL" && $7 != "UND" && $6 != "HIDDEN" { print $8 }')
if [ -n "$visible" ]; then
	echo "FAIL: names a module linked with libmtls.a would export:"
	sed 's/^/  /' <<<"$visible"
	failed=1
else
	echo "ok: every mtls_ name has hidden visibility"
fi

declared=$(grep -o '\bmtls_[a-z0-9_]*(' "$header" | tr -d '(' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$defined"))
if [ -n "$missing" ]; then
	echo "FAIL: mtls.h declares functions libmtls.a lacks:"
	sed 's/^/  /' <<<"$missing"
	failed=1
else
	echo "ok: libmtls.a defines every function mtls.h declares" \
	    "($(wc -l <<<"$declared"))"
fi
exit "$failed"
