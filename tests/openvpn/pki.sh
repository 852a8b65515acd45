# pki.sh - the test PKI of the OpenVPN tests, made with openssl the way
# administrators make theirs.  Sourced; works in the current directory.

# pki_ca: ca.key and ca.pem, an EC P-256 root.
pki_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout ca.key -out ca.pem -subj "/CN=${1:-VPN Test CA}" \
	    -days 30 -addext "basicConstraints=critical,CA:true" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# pki_cert NAME CN SERIAL KEYTYPE EXT...: NAME.key and NAME.pem issued by
# ca.pem.  KEYTYPE is ec or rsa:BITS; EXT are extension lines.
pki_cert() {
	local name=$1 cn=$2 serial=$3 keytype=$4 key

	shift 4
	case $keytype in
	ec)	key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
	rsa:*)	key=(-newkey "$keytype") ;;
	esac
	openssl req "${key[@]}" -nodes -keyout "$name.key" -out "$name.csr" \
	    -subj "/CN=$cn" 2>/dev/null || return 1
	printf '%s\n' "$@" "subjectKeyIdentifier=hash" \
	    "authorityKeyIdentifier=keyid" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key \
	    -set_serial "$serial" -days 10 -sha256 -out "$name.pem" \
	    -extfile "$name.ext" 2>/dev/null || return 1
	chmod 600 "$name.key"
	rm -f "$name.csr" "$name.ext"
}

# pki_client NAME CN SERIAL [KEYTYPE]: a client certificate for TLS client
# authentication.
pki_client() {
	pki_cert "$1" "$2" "$3" "${4:-ec}" "basicConstraints=CA:false" \
	    "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth"
}

# pki_server NAME: the VPN server's certificate.
pki_server() {
	pki_cert "$1" "vpn.example.test" 2 ec "basicConstraints=CA:false" \
	    "keyUsage=critical,digitalSignature" \
	    "extendedKeyUsage=serverAuth"
}

# pki_crl OUT CERT...: a CRL of ca.pem listing the CERTs (certtool).
pki_crl() {
	pki_crl_number 1 "$@"
}

# pki_crl_number NUMBER OUT CERT...: the same, with crlNumber NUMBER (a
# CRL that replaces one of a lower number).
pki_crl_number() {
	local number=$1 out=$2 c args=()

	shift 2
	for c in "$@"; do
		args+=(--load-certificate "$c")
	done
	printf 'crl_next_update = 7\ncrl_number = %s\n' "$number" >crl.tmpl
	certtool --generate-crl --load-ca-privkey ca.key \
	    --load-ca-certificate ca.pem "${args[@]}" --template crl.tmpl \
	    --outfile "$out" >/dev/null 2>&1
}

# pki_ocsp_index OUT GOOD... -- REVOKED...: an index for openssl ocsp.
pki_ocsp_index() {
	local out=$1 state=V c serial

	shift
	: >"$out"
	for c in "$@"; do
		if [ "$c" = -- ]; then
			state=R
			continue
		fi
		serial=$(openssl x509 -in "$c" -noout -serial)
		serial=${serial#serial=}
		if [ "$state" = R ]; then
			printf 'R\t491231000000Z\t250101000000Z\t%s\tunknown\t/CN=%s\n' \
			    "$serial" "$serial" >>"$out"
		else
			printf 'V\t491231000000Z\t\t%s\tunknown\t/CN=%s\n' \
			    "$serial" "$serial" >>"$out"
		fi
	done
}

# pki_ocsp_start INDEX PORT LOG: openssl ocsp on 127.0.0.1:PORT, signing
# with the CA; its PID in OCSP_PID once it listens, stopped when the
# caller ends (scripts/harness.sh).
pki_ocsp_start() {
	local deadline=$((SECONDS + 60))

	timeout -k 2 120 openssl ocsp -index "$1" -port "$2" -CA ca.pem \
	    -rsigner ca.pem -rkey ca.key -ndays 1 >"$3" 2>&1 &
	OCSP_PID=$!
	started "$OCSP_PID"
	# "ACCEPT" once it listens: openssl 3.0 spins after a connection
	# closed without a request, so it is not probed
	until grep -q ACCEPT "$3" 2>/dev/null; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "openssl ocsp did not start within 60 s:" >&2
			cat "$3" >&2
			return 1
		fi
		sleep 0.05
	done
}
