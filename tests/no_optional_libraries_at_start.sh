#!/usr/bin/env bash
# no_optional_libraries_at_start.sh - nothing we ship loads libcurl,
# libmicrohttpd or libconfig when it starts: libmtls loads libcurl on the
# first fetch (common/revocation/http.c), and a login checked against the
# CRL index never fetches; mtls serve alone loads libmicrohttpd
# (cli/serve_mhd.c); libmtls loads libconfig to read a configuration file
# (common/config/libconfig_loader.c), which "mtls verify --ca" never
# reads.  ldd of the mtls command and of every module built (the PAM
# module, the OpenVPN plugin) must name none of them.
#
# usage: no_optional_libraries_at_start.sh BUILD-DIR
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
	if ldd "$file" | grep -Eq 'libcurl|libmicrohttpd|libconfig'; then
		echo "FAIL: $file loads an optional library at start:"
		ldd "$file" | grep -E 'libcurl|libmicrohttpd|libconfig'
		failed=1
	else
		echo "ok: ${file#"$build"/} loads none of libcurl," \
		    "libmicrohttpd and libconfig at start"
	fi
done < <(find "$build" -type f \( -path "$build/cli/mtls" -o -name '*.so' \) \
    -not -path "$build/tests/*" -not -path "$build/bench/*" \
    -not -path "$build/fuzz/*" -not -path '*/CMakeFiles/*' -print0)
if [ "$checked" -eq 0 ]; then
	echo "FAIL: nothing found to check under $build"
	exit 1
fi
exit "$failed"
