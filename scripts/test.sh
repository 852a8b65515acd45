#!/usr/bin/env bash
# test.sh - install the dependencies, then build mtls-auth and run its
# whole test suite twice: with warnings as errors (build/), and under
# AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/).
# Exits non-zero when a build or a test fails.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
summary=()
failed=0

"$root/scripts/install-deps.sh" || exit 1

# stage NAME BUILD-DIR CMAKE-OPTION...: configure, build and run ctest.
stage() {
	local name=$1 dir=$2 count

	shift 2
	echo "=== $name: $dir"
	if cmake -S "$root" -B "$dir" "$@" &&
	    cmake --build "$dir" -j"$jobs" &&
	    (cd "$dir" && ctest --output-on-failure -j"$jobs"); then
		count=$(cd "$dir" && ctest -N | sed -n 's/^Total Tests: //p')
		summary+=("$name: all $count tests pass")
	else
		summary+=("$name: FAILED (see above)")
		failed=1
	fi
}

stage "warnings as errors" "$root/build" \
    -DMTLS_WERROR=ON -DMTLS_SANITIZE=OFF
stage "ASan+UBSan" "$root/build-sanitize" \
    -DMTLS_WERROR=ON -DMTLS_SANITIZE=ON

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
	echo "test.sh: FAILED"
	exit 1
fi
echo "test.sh: everything passes"
