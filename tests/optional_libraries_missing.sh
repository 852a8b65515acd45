#!/usr/bin/env bash
# optional_libraries_missing.sh - the mtls command on a host where
# libmicrohttpd and libcurl are not installed: mtls serve refuses to start
# and names the package to install; a configuration that needs the network
# (OCSP, a CRL to download) fails saying which package to install; one
# that does not (local CRL files, the CRL index) works as usual.
#
# Nothing is uninstalled: each command runs in a private mount namespace
# where an empty file is bind-mounted over every file the dynamic loader
# would find for the libraries' names, and in a private network namespace
# (nothing it might still try to reach is anyone else's).  That needs
# root; without it the test is skipped, and says so.
#
# usage: optional_libraries_missing.sh PATH/TO/mtls
set -u
. "$(dirname "$0")/../scripts/harness.sh"

[ $# -eq 1 ] && [ -x "$1" ] || usage PATH/TO/mtls
if [ "$(id -u)" -ne 0 ] || ! unshare --mount --net true 2>/dev/null; then
	skip "needs root and unshare (mount and network namespaces) to" \
	    "hide the libraries"
fi
MTLS=$(realpath "$1")
work_dir nolibs-test
# mtls serve, which refuses root, runs as nobody and reads them too
chmod 755 "$work"

# The names cli/serve_mhd.c and common/revocation/http.c load, and every
# file the loader's cache gives for them.
mapfile -t hide < <(ldconfig -p | awk '$1 == "libmicrohttpd.so.12" ||
    $1 == "libcurl-gnutls.so.4" || $1 == "libcurl.so.4" { print $NF }' |
    xargs -r readlink -f | sort -u)
echo "hidden: ${hide[*]:-(none installed)}"

# without_libraries WHAT STATUS STREAM REGEX MTLS-ARGS...: run mtls with
# the libraries hidden (as the user of the command $as_user, if set),
# expect the exit status and a line of STREAM (stdout or stderr) matching
# REGEX.
as_user=()
without_libraries() {
	local what=$1 want=$2 stream=$3 regex=$4 status

	shift 4
	timeout 20 unshare --mount --net -- bash -c '
		n=$1; shift
		for f in "${@:1:n}"; do
			mount --bind /dev/null "$f" || exit 99
		done
		shift "$n"
		exec "$@"' hide "${#hide[@]}" "${hide[@]}" "${as_user[@]}" "$MTLS" "$@" \
	    >stdout 2>stderr </dev/null
	status=$?
	if [ "$status" -eq "$want" ] && grep -Eq -- "$regex" "$stream"; then
		pass "$what"
	else
		fail "$what (want exit $want and $stream matching /$regex/)"
		echo "  command: mtls $*"
		echo "  exit status: $status"
		sed 's/^/  stdout: /' stdout
		sed 's/^/  stderr: /' stderr
	fi
}

# A CA, a client certificate and an empty CRL, made by certtool.
printf '%s\n' 'cn = "No Libraries Test CA"' ca cert_signing_key \
    crl_signing_key 'expiration_days = 30' >ca.tmpl
quiet certtool --generate-privkey --key-type=ecdsa --outfile ca.key
quiet certtool --generate-self-signed --load-privkey ca.key \
    --template ca.tmpl --outfile ca.crt
printf '%s\n' 'cn = "alice"' tls_www_client signing_key \
    'expiration_days = 30' >alice.tmpl
quiet certtool --generate-privkey --key-type=ecdsa --outfile alice.key
quiet certtool --generate-certificate --load-privkey alice.key \
    --load-ca-certificate ca.crt --load-ca-privkey ca.key \
    --template alice.tmpl --outfile alice.crt
printf '%s\n' 'crl_next_update = 7' 'crl_number = 1' >crl.tmpl
quiet certtool --generate-crl --load-ca-certificate ca.crt \
    --load-ca-privkey ca.key --template crl.tmpl --outfile ca.crl

# --- libmicrohttpd --------------------------------------------------------
printf 'ca_file = "%s/ca.crt";\n' "$work" >serve.conf
mkdir run && chown nobody run
as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
without_libraries "mtls serve without libmicrohttpd: exit 2, the package" \
    2 stderr 'libmicrohttpd cannot be loaded.*install the Debian package libmicrohttpd12$' \
    serve --config serve.conf --listen "unix:$work/run/http.sock"
as_user=()

# --- libcurl: configurations that need no network ---------------------------
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_files = "%s/ca.crl"; cache_dir = "%s/cache"; };\n' \
    "$work" "$work" "$work" >local.conf
without_libraries "local CRL file, no libcurl: accepted" 0 stdout \
    '^accepted: CN=alice' verify --config local.conf alice.crt
without_libraries "crl update of a local file, no libcurl: published" 0 \
    stdout 'ca\.crl' crl update --config local.conf
without_libraries "the published CRL index, no libcurl: accepted" 0 stdout \
    '^accepted: CN=alice' verify --ca ca.crt --crl-index cache/crl alice.crt

# --- libcurl: configurations that need the network ---------------------------
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:1/"; };\n' \
    "$work" >ocsp.conf
without_libraries "OCSP without libcurl: rejected, the package named" 1 \
    stdout '^rejected: revocation-unavailable: .*libcurl cannot be loaded.*install the Debian package libcurl3-gnutls' \
    verify --config ocsp.conf alice.crt
printf 'ca_file = "%s/ca.crt";\nrevocation = { mode = "crl"; crl_urls = "http://127.0.0.1:1/ca.crl"; cache_dir = "%s/netcache"; };\n' \
    "$work" "$work" >download.conf
without_libraries "crl update of a URL without libcurl: exit 1, the package" \
    1 stderr 'libcurl cannot be loaded.*install the Debian package libcurl3-gnutls' \
    crl update --config download.conf

finish
