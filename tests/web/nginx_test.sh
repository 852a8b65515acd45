#!/usr/bin/env bash
# nginx_test.sh MTLS SOURCE-DIR - mtls serve behind a real nginx
# (auth_request, with etc/nginx/ included as shipped), in front of a tiny
# application that echoes the user header, asked by curl, Python requests
# and openssl s_client holding certificates made the way the mTLS guides
# make them.  A real "openssl ocsp" answers OCSP.  A syslog daemon of the
# test's own (scripts/syslog_sink.py) takes the audit lines at /dev/log and
# writes them to a file, as sent.
#
# Everything runs on loopback in a network namespace of its own (unshare
# -n), so the fixed ports below collide with nothing, and in a mount
# namespace with a /dev of its own, whose /dev/log the test controls.
# Needs root (nginx binds, mtls serve is run as nobody); without it the
# test is skipped, and says so.  Every server started is stopped by its
# PID, also on failure.
set -euo pipefail
export LC_ALL=C
. "$(dirname "$0")/../../scripts/web-common.sh"

[ $# -eq 2 ] || usage MTLS SOURCE-DIR
private_namespaces --timeout 150 --net --mount -- "$@" ||
    skip "needs root and unshare -n -m (network and mount namespaces)" \
	"to run nginx and mtls serve on loopback, with a /dev/log of" \
	"their own"

mtls=$(realpath "$1")
src=$(realpath "$2")
here="$src/tests/web"
work_dir web-test
serve_pid=

at_exit 'stop_and_show_logs serve.log nginx/error.log ocsp.log'
name_failed_steps

# mtls serve runs as nobody: it must read the PKI and configuration, and
# nginx's workers must reach its socket.
chmod 755 "$work"
# A /dev of the test's own, where a syslog daemon listens (until the cases
# that stop it), writing what it takes to the file syslog.
private_dev
syslog_sink_start "$work/syslog.count" "$work/syslog"
sink_pid=$SINK_PID

# --- the PKI, the guides' way ---------------------------------------------
quiet openssl genrsa -out ca.key 2048
quiet openssl req -x509 -new -key ca.key -sha256 -days 365 \
    -subj "/CN=Web Test CA" -out ca.crt

# client NAME SUBJECT [X509-OPTION...]: a client certificate of the CA.
client() {
	local name=$1 subject=$2

	shift 2
	[ -f "$name.key" ] || quiet openssl genrsa -out "$name.key" 2048
	quiet openssl req -new -key "$name.key" -out "$name.csr" \
	    -subj "$subject"
	quiet openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key \
	    -CAcreateserial -out "$name.crt" "$@"
}

client alice /CN=alice
client bob /CN=bob
client carol /CN=carol		# revoked later, between two requests
client dave /CN=dave		# in the CRL
client erin /CN=erin		# revoked at the OCSP responder
client printer "/O=Example/OU=printers"	# no commonName: maps to nobody
# Certificates that name their OCSP responder: one that answers, and one
# that never does.
printf 'authorityInfoAccess = OCSP;URI:http://127.0.0.1:8888/\n' >gina.ext
client gina /CN=gina -extfile gina.ext
printf 'authorityInfoAccess = OCSP;URI:http://127.0.0.1:8889/\n' >frank.ext
client frank /CN=frank -extfile frank.ext
client henry /CN=henry		# his repeats counted, then revoked
client ivan "/CN=ivan uri="	# a name that ends as the field of the URI begins
# The server's certificate, with the name curl and requests check.
printf 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n' \
    >server.ext
client server /CN=127.0.0.1 -extfile server.ext
# A large RSA-4096 certificate with many names: its escaped PEM is a
# header line of more than 16 KB.
{
	printf 'subjectAltName = '
	for ((i = 0; i < 450; i++)); do
		printf 'DNS:host%03d.web.example.com,' "$i"
	done
	printf 'DNS:web.example.com\n'
} >big.ext
quiet openssl genrsa -out big.key 4096
client big /CN=grace -extfile big.ext
# A certificate of a CA mtls does not trust.
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key \
    -sha256 -days 365 -subj "/CN=Other CA" -out other-ca.crt
cp alice.key mallory.key
quiet openssl req -new -key mallory.key -out mallory.csr -subj /CN=alice
quiet openssl x509 -req -in mallory.csr -CA other-ca.crt \
    -CAkey other-ca.key -CAcreateserial -out mallory.crt
chmod 644 ./*.key

# crl NUMBER CERT...: the CA's CRL listing CERTs, made with certtool.
crl() {
	local number=$1

	shift
	cat "$@" >revoked.pem
	printf 'crl_next_update = 30\ncrl_number = %s\n' "$number" >crl.tmpl
	quiet certtool --generate-crl --load-ca-privkey ca.key \
	    --load-ca-certificate ca.crt --load-certificate revoked.pem \
	    --template crl.tmpl --outfile ca.crl
}
crl 1 dave.crt

# --- mtls serve -------------------------------------------------------------
# config MODE: the configuration, revocation by the CRL index (crl), by
# OCSP at the test's responder (ocsp), or by OCSP where each certificate
# says (aia).
config() {
	local revocation

	case $1 in
	crl)	revocation="mode = \"crl\"; crl_files = [\"$work/ca.crl\"];" ;;
	ocsp)	revocation="mode = \"ocsp\"; ocsp_url = \"http://127.0.0.1:8888/\";" ;;
	aia)	revocation="mode = \"ocsp\"; ocsp_timeout_ms = 10000;" ;;
	esac
	cat >mtls.conf.new <<-EOF
	ca_file = "$work/ca.crt";
	revocation = { cache_dir = "$work/cache"; };
	profiles = {
		web = { revocation = { $revocation }; };
	};
	EOF
	mv mtls.conf.new mtls.conf
}
config crl
quiet "$mtls" crl update --config mtls.conf --profile web
mkdir run
chown nobody run
# start_serve: mtls serve, with the options serve_options besides.
serve_options=()
start_serve() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$mtls" serve --config "$work/mtls.conf" --profile web \
	    --listen "unix:$work/run/http.sock" --threads 4 \
	    "${serve_options[@]}" 2>>serve.log &
	serve_pid=$!
	wait_for "mtls serve" test -S run/http.sock
}

start_serve
# By default, half the processors read and answer requests.
http_threads=$(($(nproc) / 2))
http_threads=$((http_threads < 1 ? 1 : http_threads > 16 ? 16 : http_threads))
wait_for "mtls serve's first words" grep -q "listening on" serve.log
if grep -q "listening on .*, $http_threads HTTP threads\?," serve.log; then
	pass "by default $http_threads HTTP thread(s) on $(nproc) processors"
else
	fail "not $http_threads HTTP threads on $(nproc) processors:"
	sed 's/^/    /' serve.log
fi
# From here on two, whatever the processors: requests decided by several
# threads at once (also under ThreadSanitizer).  And a line for every
# request, repeats or not (--audit-repeats 0): the cases of the audit
# trail below look for each request's line, and those of the syslog
# daemon need many; the repeats counted have cases of their own.
stop_serve
serve_options=(--http-threads 2 --audit-repeats 0)
start_serve
wait_for "mtls serve with 2 HTTP threads" \
    grep -q "listening on .*, 2 HTTP threads, .*, audit repeats counted for 0 s)" serve.log

# --- the application and nginx ---------------------------------------------
python3 "$here/echo_backend.py" 8080 &
started $!

# The upstream as shipped, but at this test's socket.
sed "s|unix:/run/mtls-serve/http.sock|unix:$work/run/http.sock|" \
    "$src/etc/nginx/mtls-serve-upstream.conf" >mtls-serve-upstream.conf
if cmp -s mtls-serve-upstream.conf "$src/etc/nginx/mtls-serve-upstream.conf"
then
	echo "nginx_test: the shipped upstream no longer names" \
	    "/run/mtls-serve/http.sock" >&2
	exit 1
fi
# What both servers share: TLS, the door as shipped, the application.
cat >door.conf <<EOF
ssl_certificate $work/server.crt;
ssl_certificate_key $work/server.key;
include $src/etc/nginx/mtls-auth.conf;
# For the test only: which reason mtls serve gave.
add_header X-Test-Reason \$mtls_reason always;

location / {
	proxy_pass http://127.0.0.1:8080;
	include $src/etc/nginx/mtls-user.conf;
}
EOF
cat >sites.conf <<EOF
ssl_session_cache shared:WEBTEST:1m;

# The guide's server: nginx checks the chain against the CA too.
server {
	listen 127.0.0.1:8443 ssl;
	ssl_client_certificate $work/ca.crt;
	ssl_verify_client on;
	include $work/door.conf;
	# Alice's part of the site.
	location /alice/ {
		set \$mtls_claimed_user alice;
		proxy_pass http://127.0.0.1:8080;
		include $src/etc/nginx/mtls-user.conf;
	}
}
# The whole chain check left to mtls serve.
server {
	listen 127.0.0.1:8444 ssl;
	ssl_verify_client optional_no_ca;
	include $work/door.conf;
}
EOF
nginx_private_start "$work/nginx" "$work/mtls-serve-upstream.conf" \
    "$work/sites.conf"
started "$NGINX_PID"
wait_for nginx curl -s -o /dev/null --cacert ca.crt https://127.0.0.1:8444/
wait_for "the application" curl -s -o /dev/null http://127.0.0.1:8080/

# --- the cases ----------------------------------------------------------------
# expect NAME WANT-STATUS WANT-USER CLIENT-COMMAND...: the client prints
# the status on its first line, then the application's echo.
expect() {
	local name=$1 want=$2 user=$3 out status echoed

	shift 3
	out=$("$@" 2>&1) || true
	# (not "| head -n 1": under pipefail, printf killed by SIGPIPE when
	# head has gone would end the test)
	status=${out%%$'\n'*}
	echoed=$(printf '%s\n' "$out" | sed -n 's/^X-Mtls-User: //p')
	if [ "$status" = "$want" ] &&
	    { [ "$user" = "" ] || [ "$echoed" = "$user" ]; }; then
		pass "$name: $status${echoed:+ (the application saw $echoed)}"
	else
		fail "$name: wanted $want${user:+ for user $user}, got:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
}

# curl_as CERT URL [CURL-OPTION...]: the guide's curl command.  The body
# goes through the file $body (default "body").
curl_as() {
	local cert=$1 url=$2 out=${body:-body}

	shift 2
	curl -s --max-time 20 --cacert ca.crt --cert "$cert.crt" \
	    --key "$cert.key" -w '%{http_code} %header{x-test-reason}\n' -o "$out" "$@" "$url" &&
	    cat "$out"
}

curl_anon() {
	curl -s --max-time 20 --cacert ca.crt -w '%{http_code} %header{x-test-reason}\n' -o body \
	    "$@" && cat body
}

requests_as() {
	local cert=$1 url=$2

	shift 2
	python3 "$here/requests_client.py" "$url" ca.crt "$cert.crt" \
	    "$cert.key" "$@"
}

on=https://127.0.0.1:8443
noca=https://127.0.0.1:8444

echo "--- revocation by the CRL index"
expect "good certificate, curl" "200 ok" alice curl_as alice $on/
expect "good certificate, requests" 200 alice requests_as alice $on/
expect "good certificate under optional_no_ca" "200 ok" alice \
    curl_as alice $noca/
expect "other user's certificate in alice's part" "403 user-mismatch" "" \
    curl_as bob $on/alice/
expect "alice's certificate in alice's part" "200 ok" alice \
    curl_as alice $on/alice/
expect "certificate that maps to no user" "403 user-unmapped" "" curl_as printer $on/
expect "certificate revoked in the CRL index" "403 revoked" "" curl_as dave $on/
expect "certificate revoked in the CRL index, requests" 403 "" \
    requests_as dave $on/
expect "no certificate" "401 no-certificate" "" curl_anon $noca/
expect "another CA's certificate under optional_no_ca" \
    "403 issuer-not-found" "" \
    curl_as mallory $noca/
expect "forged X-Mtls-User is replaced" "200 ok" alice \
    curl_as alice $on/ -H "X-Mtls-User: root"
expect "forged X-Mtls-User, requests" 200 alice \
    requests_as alice $on/ X-Mtls-User=root
expect "forged X-Client-Cert without a certificate is not passed on" \
    "401 no-certificate" "" curl_anon $noca/ -H "X-Client-Cert: $(tr '\n' ' ' <alice.crt)"
expect "forged X-Client-Cert with another certificate is not passed on" \
    "200 ok" bob curl_as bob $noca/ -H "X-Client-Cert: $(tr '\n' ' ' <alice.crt)"
if grep -q '^X-Client-Cert: -----BEGIN CERTIFICATE----- ' body; then
	fail "the application saw the client's forged X-Client-Cert"
fi
expect "a 16 KB certificate" "200 ok" grace curl_as big $on/

# nginx passes the header it is given in one line, and so must mtls serve
# take it: a certificate input of 64 KiB, beside a long URI of the
# client's, is read (and refused as no certificate), not refused unread
# (431); a header line of 80 KiB is beyond what a connection may hold.
# as_header NAME KIB: a header of NAME with a value KIB KiB long.
as_header() {
	echo "$1: $(head -c $(($2 * 1024)) /dev/zero | tr '\0' A)"
}
expect "a 64 KiB header line, sent to mtls serve directly" 403 "" \
    curl -s --max-time 20 --unix-socket run/http.sock -o /dev/null \
    -w '%{http_code}\n' -H "$(as_header X-Client-Cert 64)" \
    -H "$(as_header X-Original-URI 4)" http://mtls/
expect "an 80 KiB header line, sent to mtls serve directly" 431 "" \
    curl -s --max-time 20 --unix-socket run/http.sock -o /dev/null \
    -w '%{http_code}\n' -H "$(as_header X-Client-Cert 80)" http://mtls/

# A front end that adds its header beside the client's (Apache's
# RequestHeader add, HAProxy's add-header) lets the client's come first,
# and a certificate is public: two of a kind decide nothing, and the
# administrator is told which.
expect "X-Client-Cert twice, sent to mtls serve directly" \
    "400 header-repeated" "" \
    curl -s --max-time 20 --unix-socket run/http.sock -o /dev/null \
    -w '%{http_code} %header{x-mtls-reason}\n' \
    -H "X-Client-Cert: $(tr '\n' ' ' <alice.crt)" \
    -H "X-Client-Cert: $(tr '\n' ' ' <bob.crt)" http://mtls/
if grep -q 'a request carried X-Client-Cert twice: the web server in front must set it' serve.log; then
	pass "X-Client-Cert twice: said, naming the header"
else
	fail "X-Client-Cert twice: not said in serve.log"
fi
expect "X-Mtls-Claimed-User twice, sent to mtls serve directly" \
    "400 header-repeated" "" \
    curl -s --max-time 20 --unix-socket run/http.sock -o /dev/null \
    -w '%{http_code} %header{x-mtls-reason}\n' \
    -H "X-Client-Cert: $(tr '\n' ' ' <alice.crt)" \
    -H "X-Mtls-Claimed-User: alice" -H "X-Mtls-Claimed-User: bob" \
    http://mtls/

echo "--- the audit line names the client and what it asked for"
expect "alice, for the audit line" "200 ok" alice \
    curl_as alice "$on/audit/page?id=7"
expect "dave, for the audit line" "403 revoked" "" \
    curl_as dave "$on/audit/revoked"
expect "no certificate, for the audit line" "401 no-certificate" "" \
    curl_anon "$noca/audit/anonymous?id=8"
# audit_lines URI|TEXT PATTERN...: the audit lines of the requests for
# URI (a path), or those that hold TEXT, are exactly one matching each
# PATTERN, in order.  The syslog daemon writes a line down a moment after
# mtls serve sent it and answered: as many lines as PATTERNs are given
# 10 s to come.
audit_lines() {
	local uri=$1 lines i=0 want deadline=$((SECONDS + 10)) holding

	shift
	holding=$([[ "$uri" == /* ]] && echo "uri=\"$uri\"" || echo "$uri")
	while mapfile -t lines < <(grep -F "$holding" syslog)
	    [ "${#lines[@]}" -lt $# ] && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.1
	done
	for want in "$@"; do
		if [ "$i" -ge "${#lines[@]}" ] ||
		    ! grep -q -e "$want" <<<"${lines[$i]}"; then
			break
		fi
		i=$((i + 1))
	done
	if [ "$i" -eq $# ] && [ "${#lines[@]}" -eq $# ]; then
		pass "the audit lines of $uri: $*"
	else
		fail "the audit lines of $uri are not, in order: $*"
		printf '%s\n' "${lines[@]}" | sed 's/^/    /'
	fi
}
# Each line as syslog(3) would send it (RFC 3164, the way a local daemon
# reads it): authpriv, info for an acceptance and warning for a rejection,
# the time, and the tag with mtls serve's PID.
sent_as() {
	echo "^<$1>[A-Z][a-z][a-z] [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] mtls\\[$serve_pid\\]: mtls: profile=web "
}
audit_lines /audit/page?id=7 \
    "$(sent_as 86)"'verdict=accepted reason=ok subject="CN=alice" .* service="http" client="127\.0\.0\.1" uri="/audit/page?id=7"$'
audit_lines /audit/revoked \
    "$(sent_as 84)"'verdict=rejected reason=revoked subject="CN=dave" .* service="http" client="127\.0\.0\.1" uri="/audit/revoked"$'
audit_lines /audit/anonymous?id=8 \
    "$(sent_as 84)"'verdict=rejected reason=no-certificate subject=- issuer=- serial=- fingerprint=- user=- revocation=none explanation="the client presented no certificate;.*" service="http" client="127\.0\.0\.1" uri="/audit/anonymous?id=8"$'
echo "--- many requests at once, decided by several threads"
many=()
for i in $(seq 1 16); do
	who=$([ $((i % 4)) -eq 0 ] && echo dave || echo alice)
	body=many-$i.body curl_as "$who" "$on/many/$i" >"many-$i.out" 2>&1 &
	many+=($!)
done
wait "${many[@]}" || true
for i in $(seq 1 16); do
	if [ $((i % 4)) -eq 0 ]; then
		expect "request $i of 16 at once, dave" "403 revoked" "" \
		    cat "many-$i.out"
	else
		expect "request $i of 16 at once, alice" "200 ok" alice \
		    cat "many-$i.out"
	fi
done
len=$(python3 -c 'import sys, urllib.parse
print(len(urllib.parse.quote(open(sys.argv[1]).read(), safe="")))' big.crt)
if [ "$len" -lt 16000 ]; then
	fail "the large certificate escapes to $len bytes only"
fi

echo "--- TLS session resumption: carol, revoked between two requests"
s_client() {
	printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' |
	    timeout 20 openssl s_client -connect 127.0.0.1:8443 -CAfile ca.crt \
	    -cert carol.crt -key carol.key -tls1_2 -ign_eof "$@" >s_client.out 2>&1
	sed -n 's/^HTTP\/1.1 \([0-9]*\).*/\1/p' s_client.out
	grep -q '^Reused,' s_client.out && echo resumed || echo new
}
expect "first request on a new session" 200 "" s_client -sess_out sess.pem
crl 2 dave.crt carol.crt
quiet "$mtls" crl update --config mtls.conf --profile web
# mtls serve takes up a new index within a second of its publication
# (mtls.conf(5)): ask again, for 10 s at most, until it refuses
deadline=$((SECONDS + 10))
until out=$(s_client -sess_in sess.pem) && [ "${out%%$'\n'*}" = 403 ] ||
    [ "$SECONDS" -ge "$deadline" ]; do
	sleep 0.2
done
expect "the same session resumed, after the CRL update" 403 "" \
    s_client -sess_in sess.pem
if ! grep -q '^Reused,' s_client.out; then
	fail "the session was not resumed"
fi

echo "--- repeated verdicts: counted, and summed up when their window ends"
# Each mtls serve below is asked about henry alone: its lines are his.
# summary_as PRIORITY VERDICT REASON COUNT: a summary line of henry's.
summary_as() {
	echo "$(sent_as "$1")verdict=$2 reason=$3 subject=\"CN=henry\" .* client=\"127\.0\.0\.1\" repeats=$4 first=\"20[0-9-]* [0-9:]* UTC\" last=\"20[0-9-]* [0-9:]* UTC\"\$"
}
stop_serve
serve_options=(--http-threads 2 --audit-repeats 5)
start_serve
repeats=$(curl -s --max-time 20 --cacert ca.crt --cert henry.crt \
    --key henry.key -o /dev/null -w '%{http_code}\n' \
    "$on/repeat/[1-4]" | grep -c '^200$') || true
if [ "$repeats" -eq 4 ]; then
	pass "henry's 4 requests answered"
else
	fail "$repeats of henry's 4 requests answered"
fi
# The first is written before its answer, the 3 others (a moment later,
# on one connection) counted; the window ends 5 s after the first, and a
# timer writes the summary within a second: audit_lines gives it 10 s.
audit_lines "mtls[$serve_pid]: mtls: " \
    "$(sent_as 86)"'verdict=accepted reason=ok subject="CN=henry" .* uri="/repeat/1"$' \
    "$(summary_as 86 accepted ok 3)"
# Many at once, counted by several threads: however the windows fall,
# the lines written and the repeats counted add up to the decisions (the
# last count given 10 s after its window).
burst=()
for i in $(seq 1 16); do
	body=burst-$i.body curl_as henry "$on/burst/$i" >/dev/null 2>&1 &
	burst+=($!)
done
wait "${burst[@]}" || true
# accounted: henry's decisions this mtls serve has accounted for.
accounted() {
	grep -F "mtls[$serve_pid]: mtls: " syslog |
	    sed -n 's/.* repeats=\([0-9]*\) first=.*/\1/p;/ uri="/s/.*/1/p' |
	    awk '{ n += $1 } END { print n + 0 }'
}
deadline=$((SECONDS + 16))
while [ "$(accounted)" -lt 20 ] && [ "$SECONDS" -lt "$deadline" ]; do
	sleep 0.2
done
if [ "$(accounted)" -eq 20 ] &&
    [ "$(grep -c -F "mtls[$serve_pid]: mtls: " syslog)" -lt 20 ]; then
	pass "16 requests at once: the lines and their repeats account for" \
	    "each of henry's 20 decisions, in $(grep -c -F "mtls[$serve_pid]: mtls: " syslog) lines"
else
	fail "16 requests at once: $(accounted) of henry's 20 decisions" \
	    "accounted for:"
	grep -F "mtls[$serve_pid]: mtls: " syslog | sed 's/^/    /'
fi

echo "--- repeated verdicts: a changed verdict is written at once"
stop_serve
serve_options=(--http-threads 2 --audit-repeats 60)
start_serve
expect "henry, counted for 60 s" "200 ok" henry curl_as henry $on/change/1
expect "henry again" "200 ok" henry curl_as henry $on/change/2
expect "henry again" "200 ok" henry curl_as henry $on/change/3
crl 3 dave.crt carol.crt henry.crt
quiet "$mtls" crl update --config mtls.conf --profile web
# mtls serve takes up a new index within a second of its publication
# (mtls.conf(5)): ask until it refuses, for 10 s at most; the acceptances
# until then are counted too.
accepted=2 deadline=$((SECONDS + 10))
while out=$(curl_as henry $on/change/revoked 2>&1)
    [ "${out%%$'\n'*}" = "200 ok" ] && [ "$SECONDS" -lt "$deadline" ]; do
	accepted=$((accepted + 1))
	sleep 0.2
done
expect "henry, revoked since" "403 revoked" "" echo "$out"
# Not 60 s later: the refusal is written before its answer, and the
# acceptances counted until then just before it.
audit_lines "mtls[$serve_pid]: mtls: " \
    "$(sent_as 86)"'verdict=accepted reason=ok subject="CN=henry" .* uri="/change/1"$' \
    "$(summary_as 86 accepted ok "$accepted")" \
    "$(sent_as 84)"'verdict=rejected reason=revoked subject="CN=henry" .* uri="/change/revoked"$'
# Refusals are counted too: a client that keeps trying with a revoked
# certificate is a flood as well.  Their count is written at stop
# (SIGTERM), whatever is left of the window.
expect "henry, revoked, again" "403 revoked" "" curl_as henry $on/change/again
expect "henry, revoked, again" "403 revoked" "" curl_as henry $on/change/again
stopped_pid=$serve_pid
stop_serve
if [ "$serve_status" -ne 0 ]; then
	fail "mtls serve exited $serve_status on SIGTERM"
fi
serve_pid=$stopped_pid
audit_lines "mtls[$serve_pid]: mtls: " \
    "$(sent_as 86)"'verdict=accepted reason=ok subject="CN=henry" .* uri="/change/1"$' \
    "$(summary_as 86 accepted ok "$accepted")" \
    "$(sent_as 84)"'verdict=rejected reason=revoked subject="CN=henry" .* uri="/change/revoked"$' \
    "$(summary_as 84 rejected revoked 2)"
serve_pid=

echo "--- repeated verdicts: the field of the URI is the one left out"
# ivan's subject ends in ' uri=': the summary leaves out the field of
# the URI, not the end of his name and the issuer after it.
serve_options=(--http-threads 2 --audit-repeats 60)
start_serve
curl -s --max-time 20 --cacert ca.crt --cert ivan.crt --key ivan.key \
    -o /dev/null "$on/odd/[1-2]" || true
stopped_pid=$serve_pid
stop_serve
serve_pid=$stopped_pid
audit_lines "mtls[$serve_pid]: mtls: " \
    "$(sent_as 8[46])"'verdict=[a-z]* reason=[a-z-]* subject="CN=ivan uri=" issuer="CN=Web Test CA" .* uri="/odd/1"$' \
    "$(sent_as 8[46])"'verdict=[a-z]* reason=[a-z-]* subject="CN=ivan uri=" issuer="CN=Web Test CA" .* client="127\.0\.0\.1" repeats=1 first="[^"]*" last="[^"]*"$'
serve_pid=
serve_options=(--http-threads 2 --audit-repeats 0)
start_serve

echo "--- revocation by OCSP, after a reload (SIGHUP)"
ocsp_line() {
	local serial

	serial=$(openssl x509 -in "$2.crt" -noout -serial | cut -d= -f2)
	printf '%s\t491231000000Z\t%s\t%s\tunknown\t/CN=%s\n' "$1" \
	    "$([ "$1" = R ] && echo 240101000000Z)" "$serial" "$2"
}
{ ocsp_line V alice; ocsp_line R erin; ocsp_line V gina; } >ocsp-index.txt
openssl ocsp -index ocsp-index.txt -port 8888 -rsigner ca.crt \
    -rkey ca.key -CA ca.crt -ignore_err >ocsp.log 2>&1 &
started $!
# (a probe connection would hold the one-at-a-time responder up)
wait_for "openssl ocsp" grep -q "waiting for OCSP client" ocsp.log
config ocsp
kill -HUP "$serve_pid"
wait_for "the reload" grep -q reloaded serve.log
expect "good certificate, OCSP" "200 ok" alice curl_as alice $on/ocsp/first
expect "good certificate, OCSP, again" "200 ok" alice \
    curl_as alice $on/ocsp/again
# The first request owed the responder a query: decided offline, deferred,
# then by a worker with the responder's answer; the next one is decided
# offline, from the answer kept.
audit_lines /ocsp/first \
    "$(sent_as 86)"'verdict=deferred reason=revocation-unavailable subject="CN=alice"' \
    'verdict=accepted reason=ok subject="CN=alice" .* revocation=ocsp '
audit_lines /ocsp/again \
    'verdict=accepted reason=ok subject="CN=alice" .* revocation=ocsp-cache '
expect "certificate revoked at the OCSP responder" "403 revoked" "" curl_as erin $on/
expect "certificate revoked at the OCSP responder, requests" 403 "" \
    requests_as erin $on/
expect "dave is no longer checked against the CRL, but OCSP does not know \
him" "403 revocation-unknown" "" curl_as dave $on/

echo "--- a responder that never answers holds up no one else"
# It accepts connections and holds them, silent, and counts them in the
# file held.
python3 -c 'import os, socket
s = socket.socket(); s.bind(("127.0.0.1", 8889)); s.listen(16)
held = []
while True:
    held.append(s.accept())
    open("held.new", "w").write(str(len(held)))
    os.rename("held.new", "held")' &
started $!
wait_for "the silent responder" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8889'
config aia
kill -HUP "$serve_pid"
wait_for "the second reload" \
    bash -c '[ "$(grep -c reloaded serve.log)" -eq 2 ]'
curl_as frank $on/ >frank.out 2>&1 &
frank=$!
# gina's request once frank's waits at the responder: the second
# connection it holds (the first, wait_for's)
wait_for "frank's OCSP request at the silent responder" \
    bash -c '[ "$(cat held)" -ge 2 ]'
expect "gina, while frank's responder keeps silent" "200 ok" gina \
    curl_as gina $on/
if ! kill -0 "$frank" 2>/dev/null; then
	fail "frank's request ended before gina's was answered"
fi
wait "$frank" || true
expect "frank, when his responder's time is up" \
    "403 revocation-unavailable" "" cat frank.out

# said WHAT PATTERN FILE [FROM]: whether FILE has a line matching
# PATTERN, from its line FROM on (default 1).  The syslog daemon writes
# down a line a moment after mtls serve sent it and answered: its file
# is given 10 s for it.
said() {
	local deadline=$((SECONDS + 10))

	while [ "$3" = syslog ] && [ "$SECONDS" -lt "$deadline" ] &&
	    ! tail -n +"${4:-1}" "$3" | grep -q -e "$2"; do
		sleep 0.1
	done
	if tail -n +"${4:-1}" "$3" | grep -q -e "$2"; then
		pass "$1"
	else
		fail "$1: no line in $3 from line ${4:-1} on matches '$2'"
		sed 's/^/    /' "$3"
	fi
}
# from: the number of the next line of serve.log, for said.
from() {
	echo $(($(wc -l <serve.log) + 1))
}
# logged_once URI...: each request's audit line reached the syslog
# daemon or, in its stead, standard error: once, in one of them.  A
# daemon stopped a moment ago may still hold lines in its queue: they are
# given 10 s, as in said, to be written down.
logged_once() {
	local uri n deadline=$((SECONDS + 10))

	for uri in "$@"; do
		while n=$(cat syslog serve.log | grep -c -F "uri=\"$uri\"")
		    [ "$n" -eq 0 ] && [ "$SECONDS" -lt "$deadline" ]; do
			sleep 0.1
		done
		if [ "$n" -ne 1 ]; then
			fail "the audit line of $uri is there $n times"
			return
		fi
	done
	pass "the audit line of each of $# requests is there once"
}

# without_daemon URI WHY: gina's request for URI, while no syslog daemon
# listens (WHY), and its audit line on standard error, which says why;
# start_serve before it when STARTING is set.
without_daemon() {
	local at

	at=$(from)
	[ -z "${STARTING:-}" ] || start_serve
	expect "gina, while no syslog daemon listens" "200 ok" gina \
	    curl_as gina "$on$1"
	said "mtls serve said where the lines go" \
	    "no syslog daemon listens at /dev/log ($2): the audit lines go to standard error until one does" \
	    serve.log "$at"
	said "the audit line went there" "verdict=accepted .* uri=\"$1\"\$" \
	    serve.log "$at"
}
# daemon_back URI: a syslog daemon starts again at /dev/log, and takes
# the line of gina's request for URI, after mtls serve said so.
daemon_back() {
	local at

	# (a socket a stopped daemon left)
	rm -f /dev/log
	syslog_sink_start "$work/syslog.count" "$work/syslog"
	sink_pid=$SINK_PID
	# mtls serve looks for a daemon once a second
	sleep 1.2
	at=$(from)
	expect "gina, with a syslog daemon again" "200 ok" gina \
	    curl_as gina "$on$1"
	said "mtls serve said so" \
	    "a syslog daemon listens at /dev/log: the audit lines go there" \
	    serve.log "$at"
	said "the audit line reached it" \
	    "$(sent_as 86)verdict=accepted .* uri=\"$1\"\$" syslog
}

echo "--- the syslog daemon restarted: no audit line is lost"
stop_one "$sink_pid"
without_daemon /restart/gone "Connection refused"
daemon_back /restart/back
logged_once /restart/gone /restart/back

echo "--- the syslog daemon takes lines slowly"
# It reads for 50 ms only once a request has waited 200 ms for room in
# its full queue, whatever the pace the machine's load gives the
# requests: they wait for it, and mtls serve says how long; no line is
# lost.  It says so at most once a minute, and a busy machine's sink may
# have kept the requests of a case before waiting: so a new mtls serve,
# whose first request for gina asks the responder (two audit lines).
stop_serve
start_serve
expect "gina, to a new mtls serve" "200 ok" gina curl_as gina $on/slow/first
# waiting_for_room: whether a thread of mtls serve waits for room in the
# syslog daemon's queue, in poll() on one descriptor for up to 1000 ms,
# as only that wait does (the HTTP threads wait in epoll_wait(), the
# workers on a condition variable).  On x86_64 poll is system call 7;
# elsewhere the kernel's name of where a thread sleeps says poll.
waiting_for_room() {
	local task

	for task in /proc/"$serve_pid"/task/*; do
		if [ "$(uname -m)" = x86_64 ]; then
			grep -q '^7 0x[0-9a-f]* 0x1 0x3e8 ' "$task/syscall"
		else
			grep -q -e '^poll_schedule_timeout' -e '^do_sys_poll' \
			    "$task/wchan"
		fi 2>/dev/null && return 0
	done
	return 1
}
(
	while kill -STOP "$sink_pid" 2>/dev/null; do
		until waiting_for_room; do
			sleep 0.01
		done
		sleep 0.2
		kill -CONT "$sink_pid" 2>/dev/null || break
		sleep 0.05
	done
) &
slow_pid=$!
pids+=("$slow_pid")
at=$(from)
slow=$(curl -s --max-time 60 --cacert ca.crt --cert gina.crt \
    --key gina.key -o /dev/null -w '%{http_code}\n' \
    "$on/slow/[1-40]" | grep -c '^200$') || true
stop_one "$slow_pid"
kill -CONT "$sink_pid"
if [ "$slow" -eq 40 ]; then
	pass "all 40 requests answered while the daemon was slow"
else
	fail "$slow of 40 requests answered while the syslog daemon was slow"
fi
said "mtls serve said how long the daemon kept the requests waiting" \
    "the syslog daemon at /dev/log kept the audit lines, and the requests that wait for them, waiting for room in its queue for [0-9]* ms in all since this was last said; a longer queue (net.unix.max_dgram_qlen) or a faster daemon avoids it" \
    serve.log "$at"
logged_once $(seq -f /slow/%g 1 40)

echo "--- the syslog daemon takes no more lines"
# Its queue holds this many datagrams (a sysctl of the network namespace):
qlen=$(cat /proc/sys/net/unix/max_dgram_qlen)
at=$(from)
kill -STOP "$sink_pid"
stall=$(curl -s --max-time 30 --cacert ca.crt --cert gina.crt \
    --key gina.key -o /dev/null -w '%{http_code}\n' \
    "$on/stall/[1-$((qlen + 5))]" | grep -c '^200$') || true
kill -CONT "$sink_pid"
if [ "$stall" -eq $((qlen + 5)) ]; then
	pass "all $stall requests answered while the daemon stood still"
else
	fail "$stall of $((qlen + 5)) requests answered while the" \
	    "syslog daemon stood still"
fi
said "mtls serve said the daemon stood still" \
    "the syslog daemon at /dev/log took no audit line for 1000 ms: they go to standard error until it takes them again" \
    serve.log "$at"
# (and once it has taken what its queue held, there is room again)
logged_once $(seq -f /stall/%g 1 $((qlen + 5)))
at=$(from)
expect "gina, once the daemon reads again" "200 ok" gina \
    curl_as gina $on/stall/after
said "mtls serve said it reads again" \
    "the syslog daemon at /dev/log takes the audit lines again" \
    serve.log "$at"
logged_once /stall/after
said "the line after it reached the daemon" 'uri="/stall/after"$' syslog

echo "--- no syslog daemon at the start, then one"
stop_serve
stop_one "$sink_pid"
rm /dev/log
STARTING=1 without_daemon /nosyslog "No such file or directory"
daemon_back /nosyslog/then
logged_once /nosyslog/then

echo "--- mtls serve down"
stop_serve
# A clean stop (also no leak under the sanitizers).
if [ "$serve_status" -ne 0 ]; then
	fail "mtls serve exited $serve_status on SIGTERM"
fi
expect "nginx fails closed" "500 " "" curl_as alice $on/

finish
