#!/bin/sh
# replay.sh BIN_DIR SOURCE_DIR RUNS FUZZER... - run each fuzz target over a
# seed corpus made afresh (make_corpus.sh) in BIN_DIR/replay, then over
# RUNS mutations of it: a short fuzzing run of fixed length, for CI.
# Plain targets (replay.c) mutate from a fixed seed; libFuzzer targets
# take -runs=RUNS as their own.  A target that aborts leaves its input in
# BIN_DIR/replay/last-input, and the corpus beside it.
set -eu

bin=$1
src=$2
runs=$3
shift 3
work=$bin/replay
rm -rf "$work"
MTLS_FUZZ_PKI=$work/pki
export MTLS_FUZZ_PKI
LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$src/fuzz/lsan.supp
export LSAN_OPTIONS
"$src/fuzz/make_corpus.sh" "$bin/make_corpus" "$work" "$src"
MTLS_FUZZ_LAST_INPUT=$work/last-input
export MTLS_FUZZ_LAST_INPUT
for fuzzer in "$@"; do
	"$bin/$fuzzer" -runs="$runs" "$work/corpus/$fuzzer"
done
rm -rf "$work"
