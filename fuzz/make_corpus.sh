#!/bin/sh
# make_corpus.sh MAKE_CORPUS DIR [SOURCE_DIR] - the seed corpus of every
# fuzzer under DIR/corpus/<fuzzer>/, from the fuzz PKI in $MTLS_FUZZ_PKI
# (DIR/pki when unset, made there on first use).
#
# MAKE_CORPUS is the built make_corpus program, which writes the seeds of
# all fuzzers but fuzz_ocsp_response; the OCSP responses are made here by
# "openssl ocsp" answering from the PKI's ocsp-index.txt, as the
# intermediate and as its delegated responder, with and without a nonce.
# With SOURCE_DIR, the shipped etc/mtls.conf is a seed of fuzz_config.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 MAKE_CORPUS DIR [SOURCE_DIR]" >&2; exit 2; }
make_corpus=$1
dir=$2
MTLS_FUZZ_PKI=${MTLS_FUZZ_PKI:-$dir/pki}
export MTLS_FUZZ_PKI
mkdir -p "$dir"
"$make_corpus" "$dir/corpus"

pki=$MTLS_FUZZ_PKI
ocsp=$dir/corpus/fuzz_ocsp_response
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$ocsp"
for cert in alice bob carol; do
	for nonce in nonce no_nonce; do
		if [ $nonce = nonce ]; then flag=; else flag=-no_nonce; fi
		openssl ocsp -issuer "$pki/int.pem" -cert "$pki/$cert.pem" \
		    -reqout "$work/req.der" $flag >/dev/null
		for signer in int responder; do
			openssl ocsp -index "$pki/ocsp-index.txt" \
			    -CA "$pki/int.pem" -rsigner "$pki/$signer.pem" \
			    -rkey "$pki/$signer.key" -reqin "$work/req.der" \
			    -ndays 30 \
			    -respout "$ocsp/$cert-$signer-$nonce.der" \
			    >/dev/null
		done
	done
done
# a delegate that does not send its certificate cannot be found
openssl ocsp -index "$pki/ocsp-index.txt" -CA "$pki/int.pem" \
    -rsigner "$pki/responder.pem" -rkey "$pki/responder.key" \
    -reqin "$work/req.der" -ndays 30 -resp_no_certs \
    -respout "$ocsp/carol-responder-no-certs.der" >/dev/null

if [ $# -ge 3 ]; then
	cp "$3/etc/mtls.conf" "$dir/corpus/fuzz_config/shipped.conf"
fi
