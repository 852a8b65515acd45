#!/usr/bin/env bash
# serve_answers.sh MTLS SOURCE-DIR - every answer of mtls serve is the one
# of its own request, while many are asked at once.
#
# Clients on keep-alive connections, several at once, ask mtls serve
# directly (answers_client.py) about certificates of different users, in
# the different encodings a web server may send, with and without a
# claimed user: each answer must carry its own request's status and user,
# whatever the threads remember of the requests before it.  Asked first
# with no OCSP answer kept (ocsp_max_age = 0), so that every request is
# suspended and checked by a worker of the pool; then after bob is
# revoked at the responder; then, reloaded (SIGHUP) with answers kept,
# decided at once from memory.  A real "openssl ocsp" answers.
#
# Runs on loopback in a network namespace of its own (unshare -n), so the
# fixed port below collides with nothing.  Needs root (mtls serve is run
# as nobody); without it the test is skipped, and says so.  Every server
# started is stopped by its PID, also on failure.
set -euo pipefail
export LC_ALL=C
. "$(dirname "$0")/../../scripts/web-common.sh"

[ $# -eq 2 ] || usage MTLS SOURCE-DIR
private_namespaces --timeout 150 --net -- "$@" ||
    skip "needs root and unshare -n (a network namespace) to run mtls" \
	"serve and an OCSP responder on loopback"

mtls=$(realpath "$1")
src=$(realpath "$2")
work_dir answers-test
serve_pid=

at_exit 'stop_and_show_logs serve.log ocsp.log'
name_failed_steps

chmod 755 "$work"

ec_key() {
	quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key"
}

ec_key ca
quiet openssl req -x509 -new -key ca.key -days 30 -subj "/CN=Answers CA" \
    -out ca.crt
users=(alice bob carol)
for user in "${users[@]}"; do
	ec_key "$user"
	quiet openssl req -new -key "$user.key" -subj "/CN=$user" \
	    -out "$user.csr"
	quiet openssl x509 -req -in "$user.csr" -CA ca.crt -CAkey ca.key \
	    -set_serial "0x$(openssl rand -hex 8)" -days 30 -out "$user.crt"
done

# responder REVOKED...: openssl ocsp answering for the users, the ones
# named revoked.
responder_pid=
responder() {
	local user serial

	[ -z "$responder_pid" ] || stop_one "$responder_pid"
	: >index.txt
	for user in "${users[@]}"; do
		serial=$(openssl x509 -in "$user.crt" -noout -serial | cut -d= -f2)
		if [[ " $* " == *" $user "* ]]; then
			printf 'R\t491231000000Z\t240101000000Z\t%s\tunknown\t/CN=%s\n' \
			    "$serial" "$user"
		else
			printf 'V\t491231000000Z\t\t%s\tunknown\t/CN=%s\n' \
			    "$serial" "$user"
		fi >>index.txt
	done
	openssl ocsp -index index.txt -port 8888 -rsigner ca.crt -rkey ca.key \
	    -CA ca.crt -ignore_err >>ocsp.log 2>&1 &
	responder_pid=$!
	started "$responder_pid"
	wait_for "openssl ocsp" grep -q '^ACCEPT' ocsp.log
}

# config MAX-AGE: OCSP at the responder, answers kept MAX-AGE seconds.
config() {
	cat >mtls.conf.new <<-EOF
	ca_file = "$work/ca.crt";
	audit = false;
	revocation = {
		mode = "ocsp";
		ocsp_url = "http://127.0.0.1:8888/";
		ocsp_max_age = $1;
		cache_dir = "$work/cache";
	};
	EOF
	mv mtls.conf.new mtls.conf
}

# ask WHAT REVOKED: the clients' requests, every answer its own.
ask() {
	if timeout 100 python3 "$src/tests/web/answers_client.py" \
	    run/http.sock 6 100 "$2" "${users[@]}" >answers.out 2>&1; then
		pass "$1: $(tail -n 1 answers.out)"
	else
		fail "$1:"
		sed 's/^/    /' answers.out
	fi
}

responder
config 0
mkdir run
chown nobody run
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$mtls" serve --config "$work/mtls.conf" --listen "unix:$work/run/http.sock" \
    --threads 4 --http-threads 2 2>>serve.log &
serve_pid=$!
wait_for "mtls serve" test -S run/http.sock

ask "every request checked by a worker" ""
responder bob
ask "bob revoked since, every request checked by a worker" bob
config 3600
kill -HUP "$serve_pid"
wait_for "the reload" grep -q "reloaded $work/mtls.conf" serve.log
ask "answers kept, the first requests checked by a worker" bob
ask "answers kept, requests decided at once" bob

stop_serve
if [ "$serve_status" -eq 0 ]; then
	pass "mtls serve stopped cleanly"
else
	fail "mtls serve exited with status $serve_status:"
	sed 's/^/    /' serve.log
fi
finish
