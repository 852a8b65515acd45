# pki.sh - certificates for the whole-process benchmarks, made with openssl
# as administrators make them (bash, sourced).  Files land in the current
# directory; every certificate is valid for 30 days from now.

# pki_key ALG NAME: a new private key NAME.key; ALG is ec (P-256) or rsa
# (2048 bits).
pki_key() {
	case $1 in
	ec)	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out "$2.key" ;;
	rsa)	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		    -out "$2.key" ;;
	esac 2>/dev/null
}

# pki_root ALG NAME SUBJECT: a self-signed CA, NAME.pem and NAME.key.
pki_root() {
	pki_key "$1" "$2"
	openssl req -x509 -new -key "$2.key" -out "$2.pem" -days 30 \
	    -subj "$3" -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# pki_issue KIND NAME SUBJECT ISSUER KEY SERIAL: NAME.pem for the key in
# the file KEY, signed by ISSUER.pem and ISSUER.key with the serial number
# SERIAL (0x... for hex).  KIND is ca (an intermediate) or client: the
# extensions mtls's strict default policy wants of each.
pki_issue() {
	case $1 in
	ca)	printf '%s\n' "basicConstraints=critical,CA:TRUE" \
		    "keyUsage=critical,keyCertSign,cRLSign" ;;
	client)	printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		    "keyUsage=critical,digitalSignature" \
		    "extendedKeyUsage=clientAuth" ;;
	esac > "$2.ext"
	printf '%s\n' "subjectKeyIdentifier=hash" \
	    "authorityKeyIdentifier=keyid" >> "$2.ext"
	openssl req -new -key "$5" -subj "$3" 2>/dev/null |
	    openssl x509 -req -CA "$4.pem" -CAkey "$4.key" -set_serial "$6" \
	    -days 30 -extfile "$2.ext" -out "$2.pem" 2>/dev/null
	rm -f "$2.ext"
}

# pki_crl N FIRST ISSUER OUT: OUT, a CRL signed by ISSUER.pem and
# ISSUER.key listing the N serials FIRST, FIRST+1, ... (openssl ca
# -gencrl, as administrators make CRLs), valid for 7 days.
pki_crl() {
	awk -v n="$1" -v first="$2" 'BEGIN { for (i = 0; i < n; i++)
	    printf "R\t491231000000Z\t240101000000Z\t%08X\tunknown\t/CN=u%d\n",
	    first + i, i + 1 }' > index.txt
	echo 01 > crlnumber
	cat > ca.cnf <<-CNF
	[ca]
	default_ca = bench
	[bench]
	database = $PWD/index.txt
	crlnumber = $PWD/crlnumber
	default_md = sha256
	default_crl_days = 7
	crl_extensions = crl_ext
	[crl_ext]
	authorityKeyIdentifier = keyid
	CNF
	openssl ca -config ca.cnf -gencrl -keyfile "$3.key" -cert "$3.pem" \
	    -out "$4" -batch 2>/dev/null
}
