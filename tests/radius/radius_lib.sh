# radius_lib.sh - what the mtls radius tests share: a PKI made with
# openssl.  Sourced, not run.

ext_ca='basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign'
ext_client='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid'

# ca NAME SUBJECT: a self-signed EC P-256 CA, NAME.crt and NAME.key
ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$1.key" -out "$1.crt" -days 30 -subj "$2" \
	    -addext "$(echo "$ext_ca" | sed -n 1p)" \
	    -addext "$(echo "$ext_ca" | sed -n 2p)" 2>/dev/null
}

# issue NAME CA SUBJECT EXTENSIONS [KEY-OPTIONS...]: NAME.crt issued by
# CA, with an EC P-256 key unless KEY-OPTIONS say otherwise
issue() {
	local name=$1 ca=$2 subject=$3 ext=$4

	shift 4
	[ $# -gt 0 ] || set -- -newkey ec -pkeyopt ec_paramgen_curve:P-256
	openssl req -new "$@" -nodes -keyout "$name.key" -out "$name.csr" \
	    -subj "$subject" 2>/dev/null &&
	printf '%s\n' "$ext" >"$name.ext" &&
	openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" \
	    -CAcreateserial -days 30 -sha256 -extfile "$name.ext" \
	    -out "$name.crt" 2>/dev/null
}
