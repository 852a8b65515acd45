#!/usr/bin/env bash
# no_libcurl_at_start.sh - nothing we ship loads libcurl when it starts:
# libmtls loads it on the first fetch (common/revocation/http.c), and a
# login checked against the CRL index never fetches.  ldd of the mtls
# command and of every module built (the PAM module, the OpenVPN
# plugin) must not name it.
#
# usage: no_libcurl_at_start.sh BUILD-DIR
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 BUILD-DIR" >&2
	exit 2
fi
build=$1
failed=0
checked=0

while IFS= read -r -d '' file; do
	checked=$((checked + 1))
	if ldd "$file" | grep -q 'libcurl'; then
		echo "FAIL: $file loads libcurl at start:"
		ldd "$file" | grep libcurl
		failed=1
	else
		echo "ok: ${file#"$build"/} does not load libcurl at start"
	fi
done < <(find "$build" -type f \( -path "$build/cli/mtls" -o -name '*.so' \) \
    -not -path "$build/tests/*" -not -path "$build/bench/*" \
    -not -path "$build/fuzz/*" -not -path '*/CMakeFiles/*' -print0)
if [ "$checked" -eq 0 ]; then
	echo "FAIL: nothing found to check under $build"
	exit 1
fi
exit "$failed"
