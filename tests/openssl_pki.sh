# openssl_pki.sh - sourced: keys and certificates made with openssl by
# the tests that cross-check mtls against it, in the current directory.

# key NAME: NAME.key, a P-256 key
key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key" 2>/dev/null ||
	    { echo "cannot make the key $1" >&2; exit 2; }
}

# cert NAME CN SECTION ISSUER: NAME.pem signed by ISSUER's key, with the
# extensions of SECTION of ext.cnf
cert() {
	key "$1"
	openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr" &&
	    openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 \
	    -extfile ext.cnf -extensions "$3" -out "$1.pem" 2>/dev/null ||
	    { echo "cannot make $1" >&2; exit 2; }
}
