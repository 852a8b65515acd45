#!/usr/bin/env bash
# install-deps.sh - install the Debian 12 packages mtls-auth needs to be
# built, tested and demonstrated.
#
# Safe to run again: when every package is there, nothing is done.  Uses
# sudo only when not run as root.
set -euo pipefail

packages=(
	# building libmtls and the mtls command
	build-essential
	cmake
	pkg-config
	libgnutls28-dev
	libconfig-dev
	libcurl4-gnutls-dev
	libtasn1-6-dev
	libtasn1-bin
	# the doors: PAM module, OpenVPN plugin header, mtls serve
	libpam0g-dev
	openvpn
	libmicrohttpd-dev
	# tests and demo: PKIs, a PAM stack, a token, real servers and clients
	libcmocka-dev
	gnutls-bin
	openssl
	# a two-level PKI made by easy-rsa itself (tests/anchor_recipes.sh)
	easy-rsa
	iproute2
	python3
	python3-requests
	curl
	pamtester
	softhsm2
	p11-kit
	freeradius
	eapoltest
	nginx
	# benchmarks
	wrk
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	if [ "$status" != installed ]; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#packages[@]} packages are installed"
	exit 0
fi

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		echo "install-deps: run as root, or install sudo, to install:" \
		    "${missing[*]}" >&2
		exit 1
	fi
}

echo "install-deps: installing ${missing[*]}"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    --no-install-recommends "${missing[@]}"
