# radius-lab.sh - a FreeRADIUS doing EAP-TLS with mtls radius as both of
# its hooks, and eapol_test as the supplicant, on loopback: what the Wi-Fi
# demo shows and the Wi-Fi tests check.  Sourced, not run.
#
# The configuration is made in the current directory from the snippets of
# etc/freeradius/ as they are shipped, only their paths changed.  Set
# before use:
#   LAB_MTLS  the mtls command
#   LAB_SRC   the source tree (for etc/freeradius/)
#   LAB_USER  optional: the user FreeRADIUS drops to once started, as
#             Debian's does (freerad); it must be able to read all of this
# and have in the current directory: mtls.conf, server.crt and server.key
# (the RADIUS server's), radius-ca.crt (the CAs FreeRADIUS trusts) and
# ca.crt (the CA the supplicant trusts the server by).  lab_ca_db and
# lab_revoke keep the revocations of ca.crt's certificates, for its CRL
# and its OCSP responder.

. "$(dirname "${BASH_SOURCE[0]}")/harness.sh"

LAB_RADIUS_PORT=1812
LAB_SECRET=testing123
lab_radius_pid=

# lab_netns ARGS...: run the calling script again, with ARGS, in a network
# namespace of its own where only loopback is up: fixed ports collide
# with nothing there, and nothing outside can reach in.  Unprivileged,
# in a user namespace too.
lab_netns() {
	private_namespaces --unprivileged --net -- "$@" ||
	    skip "cannot make a network namespace (unshare -n, or -r -n)"
}

# lab_snippet FILE PROFILE: an etc/freeradius/ file with its paths made
# the lab's
lab_snippet() {
	sed -e "s|/usr/local/bin/mtls|$LAB_MTLS|g" \
	    -e "s|/etc/mtls/mtls.conf|$PWD/mtls.conf|g" \
	    -e "s|--profile radius|--profile $2|g" \
	    -e "s|/var/lib/freeradius/mtls-verify|$PWD/tmpdir|g" \
	    "$LAB_SRC/etc/freeradius/$1"
}

# lab_write_raddb PROFILE: a minimal FreeRADIUS configuration in raddb/
lab_write_raddb() {
	local drop=

	if [ -n "${LAB_USER:-}" ]; then
		drop="user = $LAB_USER
	group = $(id -gn "$LAB_USER")"
	fi
	rm -rf raddb run && mkdir -p raddb run tmpdir &&
	chown "${LAB_USER:-root}" tmpdir &&
	lab_snippet mtls-eap-verify "$1" >raddb/mtls-eap-verify &&
	lab_snippet mods-available/mtls "$1" >raddb/mtls-module &&
	lab_snippet sites-available/check-eap-tls-mtls "$1" \
	    >raddb/check-eap-tls &&
	cat >raddb/radiusd.conf <<EOC
prefix = /usr
raddbdir = $PWD/raddb
confdir = \${raddbdir}
run_dir = $PWD/run
logdir = $PWD/run
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/radiusd.pid
max_request_time = 30
log {
	destination = stdout
}
security {
	allow_core_dumps = no
	$drop
}
client localhost {
	ipaddr = 127.0.0.1
	secret = $LAB_SECRET
}
modules {
	eap {
		default_eap_type = tls
		tls-config tls-common {
			private_key_file = $PWD/server.key
			certificate_file = $PWD/server.crt
			ca_file = $PWD/radius-ca.crt
			# RSA-1024 is for mtls to refuse, not OpenSSL
			cipher_list = "DEFAULT@SECLEVEL=1"
			tls_min_version = "1.2"
			tls_max_version = "1.2"
			# every run is a full check, never a resumed session
			cache {
				enable = no
			}
			\$INCLUDE \${confdir}/mtls-eap-verify
		}
		tls {
			tls = tls-common
			virtual_server = check-eap-tls
		}
	}
	\$INCLUDE \${confdir}/mtls-module
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $LAB_RADIUS_PORT
	}
	authorize {
		eap
	}
	authenticate {
		eap
	}
}
\$INCLUDE \${confdir}/check-eap-tls
EOC
}

# lab_wait_for FILE REGEX: up to 60 s for a line (FreeRADIUS on a loaded
# machine, running a sanitized mtls, may take tens of seconds)
lab_wait_for() {
	local deadline=$((SECONDS + 60))

	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# lab_start_radius PROFILE: FreeRADIUS in the foreground (-X, one
# thread), its log in run/radius.log; 1 when it does not come up
lab_start_radius() {
	lab_write_raddb "$1" || return 1
	timeout 300 freeradius -X -d raddb >run/radius.log 2>&1 &
	lab_radius_pid=$!
	started "$lab_radius_pid"
	if ! lab_wait_for run/radius.log "Ready to process requests"; then
		tail -30 run/radius.log
		lab_stop_radius
		return 1
	fi
}

lab_stop_radius() {
	if [ -n "$lab_radius_pid" ]; then
		stop_one "$lab_radius_pid"
	fi
	lab_radius_pid=
}

# lab_eap IDENTITY CERT: one EAP-TLS authentication with CERT.crt and
# CERT.key; 0 when accepted.  eapol_test's log is left in eapol.log, the
# server's log of it in request.log.
lab_eap() {
	local from status

	cat >eapol.conf <<EOC
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="$1"
	ca_cert="$PWD/ca.crt"
	client_cert="$PWD/$2.crt"
	private_key="$PWD/$2.key"
	openssl_ciphers="DEFAULT@SECLEVEL=1"
}
EOC
	from=$(($(wc -l <run/radius.log) + 1))
	timeout 30 eapol_test -c eapol.conf -a 127.0.0.1 \
	    -p "$LAB_RADIUS_PORT" -s "$LAB_SECRET" -t 20 >eapol.log 2>&1
	status=$?
	tail -n +"$from" run/radius.log >request.log
	return "$status"
}

# lab_ca_db DIR: an `openssl ca` database in DIR, for revocations (CRL and
# OCSP responder index); `openssl ca -config DIR/ca.cnf ...` uses it
lab_ca_db() {
	mkdir -p "$1" && : >"$1/index.txt" && echo 1000 >"$1/crlnumber" &&
	printf '%s\n' '[ca]' 'default_ca = db' '[db]' \
	    "database = $PWD/$1/index.txt" "crlnumber = $PWD/$1/crlnumber" \
	    'default_md = sha256' 'default_crl_days = 7' >"$1/ca.cnf"
}

# lab_revoke DIR CERT: CERT, issued by ca.crt and ca.key, is revoked in
# the database DIR
lab_revoke() {
	openssl ca -config "$1/ca.cnf" -keyfile ca.key -cert ca.crt \
	    -revoke "$2" 2>/dev/null
}
