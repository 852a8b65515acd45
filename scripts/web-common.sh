# web-common.sh - sourced: what the demo, the tests and the benchmark of
# mtls serve share: stopping mtls serve, a /dev and a syslog daemon of
# one's own, and an nginx of one's own.  Servers are started and stopped
# by their PIDs with scripts/harness.sh, which this sources.

. "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
# (absolute: the scripts change directory)
web_common_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# stop_serve: stop mtls serve, whose PID is serve_pid (empty: none
# runs), by SIGTERM; its exit status in serve_status.  A cleanup may call
# it before any was started.
stop_serve() {
	serve_status=0
	if [ -n "${serve_pid:-}" ]; then
		kill "$serve_pid" 2>/dev/null || true
		wait "$serve_pid" 2>/dev/null || serve_status=$?
		serve_pid=
	fi
}

# stop_and_show_logs LOG...: for at_exit: stop mtls serve and every server
# started; after a failure, or when the work directory is kept, show the
# logs LOG... (under $work) the servers wrote.
stop_and_show_logs() {
	local f

	stop_serve
	stop_started
	if [ "$EXIT_STATUS" -ne 0 ]; then
		echo "${0##*/}: exit status $EXIT_STATUS; the servers' logs follow"
	fi
	if [ "$EXIT_STATUS" -ne 0 ] || [ -n "${MTLS_KEEP_WORK:-}" ]; then
		for f in "$@"; do
			[ -s "$work/$f" ] && awk -v name="$f" \
			    '{ print name ": " $0 }' "$work/$f"
		done
	fi
}

# private_dev: a /dev of one's own, in a mount namespace of one's own
# (unshare -m): the devices the servers and clients open, and nothing at
# /dev/log until the caller binds a syslog socket there.
private_dev() {
	mount -t tmpfs -o mode=755,size=64k mtls-private-dev /dev
	mknod -m 666 /dev/null c 1 3
	mknod -m 666 /dev/zero c 1 5
	mknod -m 666 /dev/random c 1 8
	mknod -m 666 /dev/urandom c 1 9
	ln -s /proc/self/fd /dev/fd
	ln -s /proc/self/fd/0 /dev/stdin
	ln -s /proc/self/fd/1 /dev/stdout
	ln -s /proc/self/fd/2 /dev/stderr
}

# syslog_sink_start COUNT-FILE [LINES-FILE]: a syslog daemon at the
# /dev/log of private_dev that takes each line and only counts them, into
# COUNT-FILE when stopped (syslog_sink.py), and appends them to LINES-FILE
# when given; its PID is SINK_PID (stopped when the script ends).
syslog_sink_start() {
	# emptied here, not by the background job's redirection: a "ready"
	# of a sink started before must not pass for this one's
	: >"$1.log"
	python3 "$web_common_dir/syslog_sink.py" /dev/log \
	    "$@" >>"$1.log" 2>&1 &
	SINK_PID=$!
	started "$SINK_PID"
	wait_for "the syslog sink" grep -q ready "$1.log"
	# every user may log
	chmod 666 /dev/log
}

# An nginx of one's own, with its configuration, pid file, logs and
# temporary files under one directory, in the foreground so that its PID
# is the caller's to stop.

# nginx_private_start DIR HTTP-CONF...: start nginx with DIR/nginx.conf,
# whose http block includes the files HTTP-CONF; NGINX_PID is its PID.
# Its error log is DIR/error.log.
nginx_private_start() {
	local dir=$1 conf

	shift
	mkdir -p "$dir/tmp"
	{
		echo "pid $dir/nginx.pid;"
		echo "error_log $dir/error.log warn;"
		echo "events { worker_connections 256; }"
		echo "http {"
		echo "	access_log off;"
		echo "	client_body_temp_path $dir/tmp/body;"
		for conf in proxy fastcgi uwsgi scgi; do
			echo "	${conf}_temp_path $dir/tmp/$conf;"
		done
		for conf in "$@"; do
			echo "	include $conf;"
		done
		echo "}"
	} >"$dir/nginx.conf"
	nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" \
	    -g 'daemon off;' &
	NGINX_PID=$!
}
