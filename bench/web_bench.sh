#!/usr/bin/env bash
# web_bench.sh MTLS - what the door costs a web server: wrk against nginx
# with keep-alive, each request answered by nginx itself, without and with
# auth_request to mtls serve (the shipped snippets, over the shipped Unix
# socket), alternating in the same run, with the processor time each
# server spent per request (which other jobs on a shared machine disturb
# less than the throughput); then mtls serve alone.  The floor of the door
# is the same auth_request, over a Unix socket too, to an endpoint that
# answers 200 without verifying (a second nginx, in the bench only): what
# nginx's sub-request costs, whoever answers it.  The profile checks
# revocation by OCSP against a real "openssl ocsp", whose answer mtls
# serve keeps in memory: a warm cache, as in steady use.
#
# wrk cannot present a client certificate, so nginx listens on plain HTTP
# and the bench's copy of mtls-auth.conf passes the certificate from a
# request header instead of $ssl_client_escaped_cert; everything else is as
# shipped.  TLS itself costs both sides the same.
#
# Every audit line goes to a syslog socket, as on a system with a syslog
# daemon: a /dev/log of the bench's own (in a mount namespace of its own,
# with a /dev that holds only what the bench needs), read by a sink that
# only counts the lines (scripts/syslog_sink.py; a real syslog daemon does
# more with each).  mtls serve counts repeated verdicts rather than write
# each (--audit-repeats, as shipped): the bench checks that the lines and
# the counts of their summaries, written at the latest when mtls serve
# stops, account for every acceptance, and says how many lines were
# written per acceptance.
#
# Runs on loopback in network and mount namespaces of its own (unshare
# -n -m), as root (mtls serve runs as nobody); stops what it started by
# its PID.  BENCH_WEB_SECONDS (default 2) is the length of each wrk run,
# BENCH_WEB_ROUNDS (default 5) the number of rounds, each with a run of
# each kind, about 70 s in all.  A benchmark, not a test: it prints, and
# says whether the targets are met.
set -euo pipefail
export LC_ALL=C
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/scripts/web-common.sh"
[ $# -eq 1 ] || usage MTLS
# (unshare makes the new namespace's mounts private: the /dev mounted
# below is the bench's alone)
if ! private_namespaces --net --mount -- "$@"; then
	echo "web_bench: skipped: needs root and unshare -n -m"
	exit 0
fi

mtls=$(realpath "$1")
seconds=${BENCH_WEB_SECONDS:-2}
rounds=${BENCH_WEB_ROUNDS:-5}
work_dir web-bench
chmod 755 "$work"

# A /dev of the bench's own, and a syslog socket there.
private_dev
syslog_sink_start "$work/syslog.count"
sink_pid=$SINK_PID

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
started $!
wait_for "openssl ocsp" grep -q "waiting for OCSP client" ocsp.log

cat >mtls.conf <<EOF
ca_file = "$work/ca.crt";
profiles = {
	web = { revocation = { mode = "ocsp"; ocsp_url = "http://127.0.0.1:8888/"; }; };
};
EOF
# serve LISTEN: start mtls serve, as its unit does, on LISTEN; its PID
# is serve_pid.
serve() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$mtls" serve \
	    --config "$work/mtls.conf" --profile web --listen "$1" \
	    2>>serve.log &
	serve_pid=$!
	serve_pids+=("$!")
	started $!
}
serve_pids=()
# Its socket, where the unit makes it, in a directory of its own.
mkdir run
chown nobody run
serve "unix:$work/run/http.sock"
wait_for "mtls serve" curl -s --unix-socket "$work/run/http.sock" \
    -o /dev/null http://mtls/

sed "s|unix:/run/mtls-serve/http.sock;|unix:$work/run/http.sock;|" \
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
	server unix:$work/floor.sock;
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
	listen unix:$work/floor.sock;
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
started "$NGINX_PID"
nginx_private_start "$work/nginx-floor" "$work/floor.conf"
floor_pid=$NGINX_PID
started "$NGINX_PID"
wait_for nginx bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080'
wait_for "nginx (floor)" test -S "$work/floor.sock"

escaped=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(open(sys.argv[1]).read(), safe=""))' client.crt)
for url in http://127.0.0.1:8080/door/ http://127.0.0.1:8082/floor/; do
	answer=$(curl -s -H "X-Bench-Cert: $escaped" "$url")
	if [ "$answer" != alice ]; then
		echo "web_bench: $url did not let alice in: '$answer'" >&2
		exit 1
	fi
done
# The requests mtls serve decided, each of which must have its audit line,
# and those wrk had in flight when it stopped, which it does not count.
decided=1 in_flight=0

# ticks PID: the processor time of PID and its children (nginx's
# workers), in clock ticks.
ticks() {
	local p sum=0

	for p in "$1" $(ps -o pid= --ppid "$1"); do
		sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$sum"
}

# run CONNECTIONS URL HEADER-NAME: one wrk run; sets RPS, P50_US,
# REQUESTS, and the microseconds of processor time per request of nginx
# (NGINX_US), of mtls serve (SERVE_US), of the floor's endpoint
# (FLOOR_US) and of the syslog sink (SINK_US).
run() {
	local out n0 s0 f0 l0 hz

	n0=$(ticks "$nginx_pid") s0=$(ticks "$serve_pid") f0=$(ticks "$floor_pid")
	l0=$(ticks "$sink_pid")
	out=$(wrk -t1 -c"$1" -d"${seconds}s" --latency \
	    -H "$3: $escaped" "$2")
	REQUESTS=$(awk '/ requests in / { print $1 }' <<<"$out")
	hz=$(getconf CLK_TCK)
	NGINX_US=$((($(ticks "$nginx_pid") - n0) * 1000000 / hz / REQUESTS))
	SERVE_US=$((($(ticks "$serve_pid") - s0) * 1000000 / hz / REQUESTS))
	FLOOR_US=$((($(ticks "$floor_pid") - f0) * 1000000 / hz / REQUESTS))
	SINK_US=$((($(ticks "$sink_pid") - l0) * 1000000 / hz / REQUESTS))
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

# stats VALUE...: "median (min-max)" of the values.
stats() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
	    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	    printf "%g %g %g\n", m, v[1], v[NR] }'
}

# Each round runs the three kinds one after the other, so that what
# disturbs a round (another job on the machine, a slower minute) disturbs
# the three alike, and its ratios compare runs seconds apart; every other
# round runs them in the opposite order, so that none always runs first.
# The ratios are taken round by round, and their median and spread
# reported: that median is held to the target.
echo "web_bench: wrk, ${seconds} s per run, $rounds rounds of each kind," \
    "alternating; latency over 1 connection, throughput over 8 (keep-alive)"
no_p50=() door_p50=() floor_p50=() added=()
no_rps=() door_rps=() floor_rps=() door_ratio=() floor_ratio=()
no_cpu=() door_cpu=() door_serve=() door_sink=() floor_cpu=() floor_end=()
# kind CONNECTIONS KIND: one run of KIND (nodoor, door or floor), its
# figures kept.
kind() {
	case $2 in
	nodoor)
		run "$1" http://127.0.0.1:8080/nodoor/ X-Bench-Cert
		if [ "$1" -eq 1 ]; then
			no_p50+=("$P50_US")
		else
			no_rps+=("$RPS") no_cpu+=("$NGINX_US")
		fi ;;
	door)
		run "$1" http://127.0.0.1:8080/door/ X-Bench-Cert
		decided=$((decided + REQUESTS)) in_flight=$((in_flight + $1))
		if [ "$1" -eq 1 ]; then
			door_p50+=("$P50_US")
		else
			door_rps+=("$RPS") door_cpu+=("$NGINX_US")
			door_serve+=("$SERVE_US") door_sink+=("$SINK_US")
		fi ;;
	floor)
		run "$1" http://127.0.0.1:8082/floor/ X-Bench-Cert
		if [ "$1" -eq 1 ]; then
			floor_p50+=("$P50_US")
		else
			floor_rps+=("$RPS") floor_cpu+=("$NGINX_US")
			floor_end+=("$FLOOR_US")
		fi ;;
	esac
}
for round in $(seq "$rounds"); do
	order="nodoor door floor"
	if [ $((round % 2)) -eq 0 ]; then
		order="floor door nodoor"
	fi
	for conns in 1 8; do
		for k in $order; do
			kind "$conns" "$k"
		done
	done
	i=$((round - 1))
	added+=("$(((door_p50[i] - no_p50[i])))")
	door_ratio+=("$(awk -v n="${no_rps[i]}" -v d="${door_rps[i]}" \
	    'BEGIN { printf "%.3f", n / d }')")
	floor_ratio+=("$(awk -v n="${no_rps[i]}" -v f="${floor_rps[i]}" \
	    'BEGIN { printf "%.3f", n / f }')")
done
# mtls serve alone: wrk speaks TCP only.
serve 127.0.0.1:9001
wait_for "mtls serve (TCP)" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9001'
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Client-Cert: $escaped" \
    http://127.0.0.1:9001/)" != 200 ]; then
	echo "web_bench: mtls serve alone did not let alice in" >&2
	exit 1
fi
run 1 http://127.0.0.1:9001/ X-Client-Cert
alone_p50=$P50_US decided=$((decided + 1 + REQUESTS))
run 8 http://127.0.0.1:9001/ X-Client-Cert
alone_rps=$RPS alone_cpu=$SERVE_US decided=$((decided + REQUESTS))
in_flight=$((in_flight + 1 + 8))

# Every decision is accounted for: the lines of acceptances the sink
# took, and the repeats their summaries count, which both mtls serve
# write when they stop (SIGTERM) at the latest.  The last datagrams are
# given a moment in the sink's queue.
for pid in "${serve_pids[@]}"; do
	stop_one "$pid"
done
sleep 1
stop_one "$sink_pid"
read -r _ audit_lines audited <syslog.count
if [ "$audited" -lt "$decided" ] ||
    [ "$audited" -gt $((decided + in_flight)) ]; then
	echo "web_bench: $decided requests accepted (and up to $in_flight" \
	    "in flight), but the $audit_lines audit lines of acceptances" \
	    "that reached syslog account for $audited" >&2
	exit 1
fi

read -r ratio ratio_lo ratio_hi < <(stats "${door_ratio[@]}")
read -r fratio fratio_lo fratio_hi < <(stats "${floor_ratio[@]}")
read -r add add_lo add_hi < <(stats "${added[@]}")
median() {
	stats "$@" | cut -d' ' -f1
}
awk -v nr="$(median "${no_rps[@]}")" -v np="$(median "${no_p50[@]}")" \
    -v dr="$(median "${door_rps[@]}")" -v dp="$(median "${door_p50[@]}")" \
    -v fr="$(median "${floor_rps[@]}")" -v fp="$(median "${floor_p50[@]}")" \
    -v ar="$alone_rps" -v ap="$alone_p50" \
    -v ratio="$ratio" -v rlo="$ratio_lo" -v rhi="$ratio_hi" \
    -v fratio="$fratio" -v flo="$fratio_lo" -v fhi="$fratio_hi" \
    -v add="$add" -v alo="$add_lo" -v ahi="$add_hi" \
    -v rounds="$rounds" -v each="${door_ratio[*]}" \
    -v nc="$(median "${no_cpu[@]}")" -v dc="$(median "${door_cpu[@]}")" \
    -v ds="$(median "${door_serve[@]}")" -v ac="$alone_cpu" \
    -v fc="$(median "${floor_cpu[@]}")" -v fe="$(median "${floor_end[@]}")" \
    -v dl="$(median "${door_sink[@]}")" -v audited="$audited" \
    -v lines="$audit_lines" \
    'BEGIN {
	printf "  nginx without the door: median %.3f ms, %.0f requests/s\n",
	    np / 1000, nr
	printf "  nginx with the door:    median %.3f ms, %.0f requests/s\n",
	    dp / 1000, dr
	printf "  nginx with the floor:   median %.3f ms, %.0f requests/s " \
	    "(the same auth_request, answered 200 unverified)\n", fp / 1000, fr
	printf "  the door adds %.3f ms at the median (%.3f to %.3f in the " \
	    "%d rounds; target under 1 ms: %s)\n", add / 1000, alo / 1000,
	    ahi / 1000, rounds, add < 1000 ? "met" : "NOT met"
	printf "  throughput without / with, round by round: %s\n", each
	printf "  throughput without / with: median %.2fx (%.2f to %.2f; " \
	    "target at most 1.5x: %s)\n", ratio, rlo, rhi,
	    ratio <= 1.5 ? "met" : "NOT met"
	printf "  throughput without / with the floor: median %.2fx (%.2f " \
	    "to %.2f; the sub-request alone)\n", fratio, flo, fhi
	printf "  processor time per request: nginx %d us without the door; " \
	    "with it nginx %d us and mtls serve %d us; with the floor nginx " \
	    "%d us and its endpoint %d us\n", nc, dc, ds, fc, fe
	printf "  the syslog sink took %d us per request with the door; " \
	    "its %d audit lines of acceptances (%.5f per acceptance) and " \
	    "the repeats they count account for each of the %d " \
	    "acceptances\n", dl, lines, lines / audited, audited
	printf "  mtls serve alone, warm OCSP cache: median %.3f ms, " \
	    "%.0f requests/s, %d us of processor time per request\n", \
	    ap / 1000, ar, ac
}'
