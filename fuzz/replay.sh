#!/bin/sh
# replay.sh BIN_DIR SOURCE_DIR FUZZER... - run each fuzz target once over
# a seed corpus made afresh (make_corpus.sh) in BIN_DIR/replay.  The
# inputs are passed as files, which libFuzzer also runs once and exits.
set -eu

bin=$1
src=$2
shift 2
work=$bin/replay
rm -rf "$work"
MTLS_FUZZ_PKI=$work/pki
export MTLS_FUZZ_PKI
LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$src/fuzz/lsan.supp
export LSAN_OPTIONS
"$src/fuzz/make_corpus.sh" "$bin/make_corpus" "$work" "$src"
for fuzzer in "$@"; do
	"$bin/$fuzzer" "$work/corpus/$fuzzer"/*
done
rm -rf "$work"
