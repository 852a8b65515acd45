#!/usr/bin/env bash
# web_bench.sh MTLS - what the door costs a web server: wrk against nginx
# with keep-alive, each request answered by nginx itself, without and with
# auth_request to mtls serve (the shipped snippets), alternating in the
# same run, with the processor time each server spent per request (which
# other jobs on a shared machine disturb less than the throughput); then
# mtls serve alone.  The floor of the door is the same
# auth_request to an endpoint that answers 200 without verifying (a
# second nginx, in the bench only): what nginx's sub-request costs,
# whoever answers it.  The profile checks revocation by OCSP
# against a real "openssl ocsp", whose answer mtls serve keeps in memory:
# a warm cache, as in steady use.
#
# wrk cannot present a client certificate, so nginx listens on plain HTTP
# and the bench's copy of mtls-auth.conf passes the certificate from a
# request header instead of $ssl_client_escaped_cert; everything else is as
# shipped.  TLS itself costs both sides the same.
#
# Runs on loopback in a network namespace of its own (unshare -n), as
# root (mtls serve runs as nobody); stops what it started by its PID.
# BENCH_WEB_SECONDS (default 3) is the length of each wrk run, three of
# each kind, about 65 s in all.  A benchmark, not a test: it prints, and
# says whether the targets are met.
set -euo pipefail
export LC_ALL=C
if [ $# -ne 1 ]; then
	echo "usage: web_bench.sh MTLS" >&2
	exit 2
fi
if [ -z "${MTLS_BENCH_NETNS:-}" ]; then
	if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
		echo "web_bench: skipped: needs root and unshare -n"
		exit 0
	fi
	export MTLS_BENCH_NETNS=1
	exec unshare -n -- "$0" "$@"
fi

mtls=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/scripts/web-common.sh"
seconds=${BENCH_WEB_SECONDS:-3}
work=$(mktemp -d /tmp/mtls-web-bench.XXXXXX)
cleanup() {
	stop_started
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip link set lo up
cd "$work"
chmod 755 "$work"
umask 022

# The guide's CA and client certificate.
openssl genrsa -out ca.key 2048 2>/dev/null
openssl req -x509 -new -key ca.key -sha256 -days 365 -subj "/CN=Bench CA" \
    -out ca.crt
openssl genrsa -out client.key 2048 2>/dev/null
openssl req -new -key client.key -subj /CN=alice -out client.csr
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
    -out client.crt 2>/dev/null
printf 'V\t491231000000Z\t\t%s\tunknown\t/CN=alice\n' \
    "$(openssl x509 -in client.crt -noout -serial | cut -d= -f2)" >index.txt
openssl ocsp -index index.txt -port 8888 -rsigner ca.crt -rkey ca.key \
    -CA ca.crt -ignore_err >ocsp.log 2>&1 &
pids+=($!)
wait_for "openssl ocsp" grep -q "waiting for OCSP client" ocsp.log

cat >mtls.conf <<EOF
ca_file = "$work/ca.crt";
profiles = {
	web = { revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8888/"; }; };
};
EOF
setpriv --reuid=nobody --regid=nogroup --clear-groups "$mtls" serve \
    --config "$work/mtls.conf" --profile web --listen 127.0.0.1:9001 \
    2>serve.log &
serve_pid=$!
pids+=($!)
wait_for "mtls serve" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9001'

sed 's|server unix:/run/mtls-serve/http.sock;|server 127.0.0.1:9001;|' \
    "$src/etc/nginx/mtls-serve-upstream.conf" >upstream.conf
sed 's|\$ssl_client_escaped_cert|$http_x_bench_cert|' \
    "$src/etc/nginx/mtls-auth.conf" >mtls-auth.conf
sed 's|http://mtls_serve;|http://floor;|' mtls-auth.conf >floor-auth.conf
# Both locations pass requests on alike, over kept-alive connections.
cat >app.conf <<EOF
proxy_pass http://app;
proxy_http_version 1.1;
proxy_set_header Connection "";
include $src/etc/nginx/mtls-user.conf;
EOF
cat >sites.conf <<EOF
large_client_header_buffers 4 32k;
# The application: says which user nginx passed on.
upstream app {
	server 127.0.0.1:8081;
	keepalive 16;
}
server {
	listen 127.0.0.1:8081;
	keepalive_requests 1000000;
	location / {
		return 200 "\$http_x_mtls_user\n";
	}
}
# The floor: the same sub-request, to an endpoint that verifies nothing.
upstream floor {
	server 127.0.0.1:9002;
	keepalive 16;
}
server {
	listen 127.0.0.1:8082;
	keepalive_requests 1000000;
	include $work/floor-auth.conf;
	location /floor/ {
		include $work/app.conf;
	}
}
server {
	listen 127.0.0.1:8080;
	keepalive_requests 1000000;
	include $work/mtls-auth.conf;
	location /door/ {
		include $work/app.conf;
	}
	location /nodoor/ {
		auth_request off;
		include $work/app.conf;
	}
}
EOF
# The endpoint of the floor: a process of its own, as mtls serve is.
cat >floor.conf <<EOF
server {
	listen 127.0.0.1:9002;
	keepalive_requests 1000000;
	location / {
		add_header X-Mtls-User alice;
		add_header X-Mtls-Reason ok;
		return 200;
	}
}
EOF
nginx_private_start "$work/nginx" "$work/upstream.conf" "$work/sites.conf"
nginx_pid=$NGINX_PID
pids+=("$NGINX_PID")
nginx_private_start "$work/nginx-floor" "$work/floor.conf"
floor_pid=$NGINX_PID
pids+=("$NGINX_PID")
wait_for nginx bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080'
wait_for "nginx (floor)" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9002'

escaped=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' client.crt)
for url in http://127.0.0.1:8080/door/ http://127.0.0.1:8082/floor/; do
	answer=$(curl -s -H "X-Bench-Cert: $escaped" "$url")
	if [ "$answer" != alice ]; then
		echo "web_bench: $url did not let alice in: '$answer'" >&2
		exit 1
	fi
done

# ticks PID: the processor time of PID and its children (nginx's
# workers), in clock ticks.
ticks() {
	local p sum=0

	for p in "$1" $(ps -o pid= --ppid "$1"); do
		sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$sum"
}

# run CONNECTIONS URL HEADER-NAME: one wrk run; sets RPS, P50_US, and
# the microseconds of processor time per request of nginx (NGINX_US), of
# mtls serve (SERVE_US) and of the floor's endpoint (FLOOR_US).
run() {
	local out n0 s0 f0 requests hz

	n0=$(ticks "$nginx_pid") s0=$(ticks "$serve_pid") f0=$(ticks "$floor_pid")
	out=$(wrk -t1 -c"$1" -d"${seconds}s" --latency \
	    -H "$3: $escaped" "$2")
	requests=$(awk '/ requests in / { print $1 }' <<<"$out")
	hz=$(getconf CLK_TCK)
	NGINX_US=$((($(ticks "$nginx_pid") - n0) * 1000000 / hz / requests))
	SERVE_US=$((($(ticks "$serve_pid") - s0) * 1000000 / hz / requests))
	FLOOR_US=$((($(ticks "$floor_pid") - f0) * 1000000 / hz / requests))
	if grep -q 'Non-2xx' <<<"$out"; then
		printf '%s\n' "$out" >&2
		echo "web_bench: answers other than 200" >&2
		exit 1
	fi
	RPS=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
	P50_US=$(printf '%s\n' "$out" | awk '$1 == "50%" {
	    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
	    f = u == "ms" ? 1000 : u == "s" ? 1000000 : 1
	    printf "%.0f", v * f }')
}

median3() {
	printf '%s\n' "$@" | sort -g | sed -n 2p
}

echo "web_bench: wrk, ${seconds} s per run, 3 runs of each, alternating;" \
    "latency over 1 connection, throughput over 8 (keep-alive)"
no_rps=() no_p50=() door_rps=() door_p50=() floor_rps=() floor_p50=()
no_cpu=() door_cpu=() door_serve=() floor_cpu=() floor_end=()
for round in 1 2 3; do
	run 1 http://127.0.0.1:8080/nodoor/ X-Bench-Cert
	no_p50+=("$P50_US")
	run 1 http://127.0.0.1:8080/door/ X-Bench-Cert
	door_p50+=("$P50_US")
	run 1 http://127.0.0.1:8082/floor/ X-Bench-Cert
	floor_p50+=("$P50_US")
	run 8 http://127.0.0.1:8080/nodoor/ X-Bench-Cert
	no_rps+=("$RPS") no_cpu+=("$NGINX_US")
	run 8 http://127.0.0.1:8080/door/ X-Bench-Cert
	door_rps+=("$RPS") door_cpu+=("$NGINX_US") door_serve+=("$SERVE_US")
	run 8 http://127.0.0.1:8082/floor/ X-Bench-Cert
	floor_rps+=("$RPS") floor_cpu+=("$NGINX_US") floor_end+=("$FLOOR_US")
done
run 1 http://127.0.0.1:9001/ X-Client-Cert
alone_p50=$P50_US
run 8 http://127.0.0.1:9001/ X-Client-Cert
alone_rps=$RPS alone_cpu=$SERVE_US

nr=$(median3 "${no_rps[@]}") np=$(median3 "${no_p50[@]}")
dr=$(median3 "${door_rps[@]}") dp=$(median3 "${door_p50[@]}")
fr=$(median3 "${floor_rps[@]}") fp=$(median3 "${floor_p50[@]}")
awk -v nr="$nr" -v np="$np" -v dr="$dr" -v dp="$dp" -v ar="$alone_rps" \
    -v ap="$alone_p50" -v fr="$fr" -v fp="$fp" \
    -v nc="$(median3 "${no_cpu[@]}")" -v dc="$(median3 "${door_cpu[@]}")" \
    -v ds="$(median3 "${door_serve[@]}")" -v ac="$alone_cpu" \
    -v fc="$(median3 "${floor_cpu[@]}")" -v fe="$(median3 "${floor_end[@]}")" \
    'BEGIN {
	added = (dp - np) / 1000; ratio = nr / dr
	printf "  nginx without the door: median %.3f ms, %.0f requests/s\n",
	    np / 1000, nr
	printf "  nginx with the door:    median %.3f ms, %.0f requests/s\n",
	    dp / 1000, dr
	printf "  nginx with the floor:   median %.3f ms, %.0f requests/s " \
	    "(the same auth_request, answered 200 unverified)\n", fp / 1000, fr
	printf "  the door adds %.3f ms at the median (target under 1 ms: %s)\n",
	    added, added < 1 ? "met" : "NOT met"
	printf "  throughput without / with: %.2fx (target at most 1.5x: %s)\n",
	    ratio, ratio <= 1.5 ? "met" : "NOT met"
	printf "  throughput without / with the floor: %.2fx (the sub-request " \
	    "alone)\n", nr / fr
	printf "  processor time per request: nginx %d us without the door; " \
	    "with it nginx %d us and mtls serve %d us; with the floor nginx " \
	    "%d us and its endpoint %d us\n", nc, dc, ds, fc, fe
	printf "  mtls serve alone, warm OCSP cache: median %.3f ms, " \
	    "%.0f requests/s, %d us of processor time per request\n", \
	    ap / 1000, ar, ac
}'
