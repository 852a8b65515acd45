#!/bin/sh
# run.sh BUILD_DIR FUZZER [SECONDS [LIBFUZZER_FLAG...]] - fuzz one target
# of a build configured with -DMTLS_FUZZ=ON, for SECONDS (default 180).
#
# Under BUILD_DIR/fuzz/work: the fuzz PKI (pki/, kept between runs, so
# that the corpus keeps meaning the same certificates), the seeds
# (corpus/FUZZER/, made once by make_corpus.sh), what the fuzzer found
# (found/FUZZER/) and any crash, leak or timeout as
# artifacts/FUZZER-crash-..., which "BUILD_DIR/fuzz/FUZZER FILE" replays.
#
# Leaks are looked for after every input that allocated more than it
# freed.  Inputs that make libconfig leak (lsan.supp) are most of
# fuzz_config's, and each such search costs a scan of the heap: pass
# -detect_leaks=0 there, and LeakSanitizer looks once, at exit.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR FUZZER [SECONDS [LIBFUZZER_FLAG...]]" >&2; exit 2; }
bin=$(cd "$1" && pwd)/fuzz
fuzzer=$2
seconds=${3:-180}
shift $(($# < 3 ? $# : 3))
src=$(cd "$(dirname "$0")/.." && pwd)
work=$bin/work
MTLS_FUZZ_PKI=$work/pki
export MTLS_FUZZ_PKI
LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$src/fuzz/lsan.supp
export LSAN_OPTIONS
[ -d "$work/corpus/$fuzzer" ] ||
	"$src/fuzz/make_corpus.sh" "$bin/make_corpus" "$work" "$src"
mkdir -p "$work/found/$fuzzer" "$work/artifacts"
exec "$bin/$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$fuzzer-" "$@" \
    "$work/found/$fuzzer" "$work/corpus/$fuzzer"
