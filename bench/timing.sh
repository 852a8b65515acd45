# timing.sh - whole-process timings for the benchmark scripts (bash,
# sourced).  bash's EPOCHREALTIME reads the clock without starting a
# process, so what is timed is the command alone (its fork and exec
# included, as a login pays them); a shell loop, so nothing needs
# installing.

# run_us CMD...: run CMD once, its output thrown away; RUN_US is its wall
# time in microseconds.  A failing command ends the benchmark: it would
# time a rejection or an error, not the work.
run_us() {
	local t0=$EPOCHREALTIME t1 status=0

	"$@" >/dev/null 2>&1 || status=$?
	t1=$EPOCHREALTIME
	if [ "$status" -ne 0 ]; then
		echo "bench: exit status $status from: $*" >&2
		exit 1
	fi
	RUN_US=$((10#${t1/./} - 10#${t0/./}))
}

# median_us TIMES...: the median.
median_us() {
	printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}

# time_us RUNS CMD...: MEDIAN_US, the median of RUNS runs of CMD.
time_us() {
	local runs=$1 times=() i

	shift
	for ((i = 0; i < runs; i++)); do
		run_us "$@"
		times+=("$RUN_US")
	done
	MEDIAN_US=$(median_us "${times[@]}")
}

# compare_us RUNS A B [C]: the commands in the arrays named A and B (and
# C) run alternately, RUNS times each, so that a busy moment on a shared
# machine falls on each alike; MEDIAN_A and MEDIAN_B (and MEDIAN_C) are
# their medians.  (The names of the locals are long so as not to hide the
# caller's arrays.)
compare_us() {
	local -n compare_cmd_a=$2 compare_cmd_b=$3 compare_cmd_c=${4:-$3}
	local compare_us_a=() compare_us_b=() compare_us_c=() compare_i

	for ((compare_i = 0; compare_i < $1; compare_i++)); do
		run_us "${compare_cmd_a[@]}"
		compare_us_a+=("$RUN_US")
		run_us "${compare_cmd_b[@]}"
		compare_us_b+=("$RUN_US")
		if [ $# -gt 3 ]; then
			run_us "${compare_cmd_c[@]}"
			compare_us_c+=("$RUN_US")
		fi
	done
	MEDIAN_A=$(median_us "${compare_us_a[@]}")
	MEDIAN_B=$(median_us "${compare_us_b[@]}")
	if [ $# -gt 3 ]; then
		MEDIAN_C=$(median_us "${compare_us_c[@]}")
	fi
}

# ms US: microseconds as milliseconds, for printing.
ms() {
	awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'
}

# ratio A B: A / B, two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# verdict RATIO LIMIT: whether a "ratio under LIMIT" target is met.
verdict() {
	awk -v r="$1" -v l="$2" 'BEGIN { print (r < l ? "met" : "NOT met") }'
}
