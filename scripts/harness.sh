# harness.sh - sourced: what the shell scripts of the tests, the
# benchmarks and the demos share: the usage line, a work directory
# removed at the end, the end itself (exit hooks run however the script
# ends: exit, a failed step under set -e, a signal), the names of what a
# run installs outside its work directory (and what killed runs left
# there), private namespaces, servers started in the background and stopped by their PIDs, and the
# tally of the cases a test checks.
#
# Sourcing it sets the EXIT, INT, TERM and HUP traps: a script adds what
# it must undo with at_exit, never a trap of its own.

# Sourced once: a second time (by a file that sources it too) would forget
# the servers started and the exit hooks.
if [ -n "${harness_sourced:-}" ]; then
	return 0
fi
harness_sourced=1

# usage ARGUMENTS: say how this script is called, and exit 2.
usage() {
	echo "usage: ${0##*/} $*" >&2
	exit 2
}

# skip REASON: say why this test cannot run here, and exit 77 (ctest's
# SKIP_RETURN_CODE).
skip() {
	echo "${0##*/}: SKIPPED: $*"
	exit 77
}

# --- the end ---------------------------------------------------------------

# What at_exit registered, the latest first.
exit_hooks=()

# at_exit COMMAND: run COMMAND (one line of shell) when the script ends,
# before the servers in pids are stopped and the work directory removed;
# the latest registered runs first.  EXIT_STATUS is the script's exit
# status by then.  A failing hook does not stop the ones after it.
at_exit() {
	exit_hooks=("$1" "${exit_hooks[@]}")
}

harness_exit() {
	EXIT_STATUS=$?
	local hook

	# only this shell cleans up: a child forked a moment before a signal
	# arrived may still run the trap it inherited
	[ "$BASHPID" = "$$" ] || exit 1
	for hook in "${exit_hooks[@]}"; do
		eval "$hook" || true
	done
	stop_started
	if [ -n "${work:-}" ]; then
		if [ -n "${MTLS_KEEP_WORK:-}" ]; then
			echo "${0##*/}: kept $work"
		else
			rm -rf "$work"
		fi
	fi
	exit "$EXIT_STATUS"
}
trap harness_exit EXIT
# The time limit's signal says so: otherwise a test would end with no word
# of why.
trap 'echo "FAIL: ${0##*/}: stopped by a signal (out of time?)" >&2
    exit 1' INT TERM HUP

# name_failed_steps: under set -e, a step that fails says which before the
# script ends: otherwise it would end with no word of why.
name_failed_steps() {
	set -E
	trap 'echo "FAIL: ${0##*/}: line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR
}

# work_dir NAME: a directory of the script's own, $work (under $TMPDIR, or
# /tmp, named mtls-NAME.*), removed when the script ends unless
# MTLS_KEEP_WORK is set; the script continues in it with umask 022
# (running as root, libmtls refuses files others could have written).
work_dir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/mtls-$1.XXXXXX") || exit 2
	umask 022
	cd "$work" || exit 2
}

# quiet COMMAND...: a setup step; what it printed is shown only when it
# fails, and then the script exits 2.
quiet() {
	if ! "$@" >"$work/quiet.log" 2>&1; then
		echo "setup failed: $*" >&2
		sed 's/^/  /' "$work/quiet.log" >&2
		exit 2
	fi
}

# --- what a run installs outside its work directory -------------------------

# run_names AREA: the names of what this run installs where everybody sees
# it, with AREA and this run's PID in them: $run_service, a PAM service
# /etc/pam.d/mtls-test-AREA-PID (or files whose names start with it), and
# $run_user, a local user mtlsAREAPID (or users whose names start with
# it).  The script removes its own with at_exit; a run killed with SIGKILL
# (a time limit's last resort) runs no hooks, so what the earlier runs of
# AREA left, whose PID no longer runs, is removed here first.  What a run
# still alive installed is left alone.
run_names() {
	local service=mtls-test-$1- user=mtls$1 file name names

	run_service=$service$$
	run_user=$user$$
	for file in /etc/pam.d/"$service"[0-9]*; do
		if [ -e "$file" ] && run_is_dead "$service" "${file##*/}"; then
			rm -f "$file"
		fi
	done
	names=$(cut -d: -f1 /etc/passwd) || return 0
	for name in $names; do
		if [[ $name == "$user"[0-9]* ]] &&
		    run_is_dead "$user" "$name"; then
			userdel "$name" >/dev/null 2>&1
		fi
	done
}

# run_is_dead PREFIX NAME: whether the run whose PID follows PREFIX in
# NAME no longer runs (by /proc: kill -0 would also fail for a live
# process of another user).
run_is_dead() {
	local rest=${2#"$1"}

	rest=${rest%%[!0-9]*}
	[ -n "$rest" ] && [ ! -e "/proc/$rest" ]
}

# --- private namespaces ----------------------------------------------------

# private_namespaces [--timeout SECONDS] [--unprivileged] UNSHARE-OPTION...
#     -- ARGUMENT...: run this script again, with ARGUMENTs, in namespaces
# of its own (unshare UNSHARE-OPTIONs: --net, --mount), within SECONDS
# when given; once there, it returns 0, with loopback up in a network
# namespace (nothing else is there: fixed ports collide with nobody, and
# nothing outside reaches in; a mount namespace's mounts are its own).
# Where they cannot be made (not root, no unshare) it returns 1, for the
# caller to skip or go on without; --unprivileged makes them there as
# root of a user namespace of its own (unshare -r) instead.
private_namespaces() {
	local limit=() user= opts=() net=

	while :; do
		case $1 in
		--timeout) limit=(timeout "$2"); shift 2 ;;
		--unprivileged) user=1; shift ;;
		*) break ;;
		esac
	done
	while [ "$1" != -- ]; do
		case $1 in
		-n|--net) net=1 ;;
		esac
		opts+=("$1")
		shift
	done
	shift
	if in_private_namespaces; then
		if [ -n "$net" ]; then
			ip link set lo up || exit 2
		fi
		return 0
	fi
	if ! unshare "${opts[@]}" true 2>/dev/null; then
		[ -n "$user" ] && unshare -r "${opts[@]}" true 2>/dev/null ||
		    return 1
		opts=(-r "${opts[@]}")
	fi
	export MTLS_PRIVATE_NAMESPACES=$0
	exec unshare "${opts[@]}" -- "${limit[@]}" "$0" "$@"
}

# in_private_namespaces: whether private_namespaces ran this script again.
in_private_namespaces() {
	[ "${MTLS_PRIVATE_NAMESPACES:-}" = "$0" ]
}

# --- servers started in the background ---------------------------------------

# The PIDs of what was started: stopped when the script ends.
pids=()

# started PID: stop PID when the script ends, or at stop_started.
started() {
	pids+=("$1")
}

# stop_started: stop every server in pids, and wait for each.
stop_started() {
	local pid

	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	pids=()
}

# stop_one PID: stop one of the servers in pids, wait for it, and forget
# it.
stop_one() {
	local pid kept=()

	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for pid in "${pids[@]}"; do
		if [ "$pid" != "$1" ]; then
			kept+=("$pid")
		fi
	done
	pids=("${kept[@]}")
}

# wait_for WHAT COMMAND...: until COMMAND succeeds, 60 s at most (a
# sanitized server on a loaded machine may take tens of seconds); says
# that WHAT did not come up and exits otherwise.
wait_for() {
	local what=$1 deadline=$((SECONDS + 60))

	shift
	until "$@" >/dev/null 2>&1; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "FAIL: ${0##*/}: $what did not come up" \
			    "within 60 s" >&2
			exit 1
		fi
		sleep 0.1
	done
}

# --- the tally ---------------------------------------------------------------

passed=0
failed=0

# pass WHAT...: one case passed.
pass() {
	passed=$((passed + 1))
	echo "ok: $*"
}

# fail WHAT...: one case failed; the script's fail_details, if it has one,
# says more.
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
	if declare -F fail_details >/dev/null; then
		fail_details
	fi
}

# finish: the tally, and the end of the script: exit status 0 when no
# case failed, 1 otherwise (not a failed step, under set -e).
finish() {
	echo "${0##*/}: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] || exit 1
	exit 0
}
