#!/usr/bin/env bash
# test.sh - install the dependencies, then build mtls-auth and run its
# whole test suite twice: with warnings as errors (build/), and under
# AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/); then
# the multithreaded tests (ctest label "threads") a third time, under
# ThreadSanitizer (build-tsan/).
# Exits non-zero when a build or a test fails.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
summary=()
failed=0

"$root/scripts/install-deps.sh" || exit 1

# stage NAME BUILD-DIR LABEL CMAKE-OPTION...: configure, build and run
# ctest; with a LABEL, only the tests that carry it, and only their
# targets are built.  A test that sets no TIMEOUT of its own is stopped
# after 900 s (four times what the slowest took on a machine busy with
# ten other processes): a hang fails the run instead of holding it for
# ever.
stage() {
	local name=$1 dir=$2 label=$3 count targets=() select=()

	shift 3
	echo "=== $name: $dir"
	if [ -n "$label" ]; then
		select=(-L "$label")
	fi
	if cmake -S "$root" -B "$dir" "$@" &&
	    if [ -n "$label" ]; then
		mapfile -t targets < <(cd "$dir" && ctest -N "${select[@]}" |
		    sed -n 's/^ *Test *#[0-9]*: //p') &&
		    cmake --build "$dir" -j"$jobs" --target "${targets[@]}"
	    else
		cmake --build "$dir" -j"$jobs"
	    fi &&
	    (cd "$dir" && ctest --output-on-failure --timeout 900 -j"$jobs" \
		"${select[@]}"); then
		count=$(cd "$dir" && ctest -N "${select[@]}" |
		    sed -n 's/^Total Tests: //p')
		summary+=("$name: all $count tests pass")
	else
		summary+=("$name: FAILED (see above)")
		failed=1
	fi
}

stage "warnings as errors" "$root/build" "" \
    -DMTLS_WERROR=ON -DMTLS_SANITIZE=OFF
stage "ASan+UBSan" "$root/build-sanitize" "" \
    -DMTLS_WERROR=ON -DMTLS_SANITIZE=ON
stage "ThreadSanitizer, multithreaded tests" "$root/build-tsan" threads \
    -DMTLS_WERROR=ON -DMTLS_TSAN=ON -DMTLS_BUILD_BENCH=OFF

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
	echo "test.sh: FAILED"
	exit 1
fi
echo "test.sh: everything passes"
