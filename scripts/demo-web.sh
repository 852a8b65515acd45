#!/usr/bin/env bash
# demo-web.sh MTLS DEMO-DIR - the web part of the demo: the guide's nginx
# (ssl_verify_client on) in front of a small application, asking mtls
# serve about each request with the snippets of etc/nginx/, and the
# guide's curl and Python requests clients.  Uses the CA, the client
# certificates and the CRL that demo.sh made in DEMO-DIR.
#
# Listens on free loopback ports only; stops everything it started by its
# PID.  Exits non-zero when an answer is not the one announced.
set -euo pipefail

mtls=$(realpath "$1")
demo=$(realpath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/web-common.sh"
work_dir demo-web
surprises=0

say() {
	printf '\n%s\n' "$*" | fold -s -w 76
}

# mtls serve refuses root: as root, it runs as nobody (setpriv execs it,
# so that $! is its PID).
as_user=()
if [ "$(id -u)" -eq 0 ]; then
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi

free_port() {
	python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# expect STATUS COMMAND...: show a client's command line and what came
# back; the client prints the status first.
expect() {
	local want=$1 out

	shift
	printf '  $ %s\n' "$*"
	out=$("$@" 2>&1 | tr -d '\r') || true
	# (the certificate the application also gets is long)
	printf '%s\n' "$out" | grep -v '^X-Client-Cert:' | sed 's/^/    /'
	if [ "$(printf '%s\n' "$out" | head -n 1)" != "$want" ]; then
		echo "    !! expected status $want"
		surprises=$((surprises + 1))
	fi
}

chmod 755 "$work"
cp "$demo"/{ca.crt,ca.crl,client.crt,client.key,carol.crt,carol.key} .
# The server's certificate, from the demo CA, with the name curl checks.
openssl genrsa -out server.key 2048 2>/dev/null
openssl req -new -key server.key -subj /CN=127.0.0.1 -out server.csr
printf 'subjectAltName = IP:127.0.0.1\n' >server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey "$demo/ca.key" \
    -CAcreateserial -extfile server.ext -out server.crt 2>/dev/null

say "6. The web: nginx in front of an application, as the mTLS guides \
set it up (ssl_verify_client on), asks mtls serve about every request \
(auth_request) and passes the user on.  The profile checks revocation \
against the CRL index:"
cat >mtls.conf <<EOF
ca_file = "$work/ca.crt";
revocation = { cache_dir = "$work/cache"; };
profiles = {
	web = { revocation = { mode = "crl"; crl_files = ["$work/ca.crl"]; }; };
};
EOF
sed 's/^/    /' mtls.conf
"$mtls" crl update --config mtls.conf --profile web >/dev/null
serve_port=$(free_port)
printf '  $ mtls serve --config mtls.conf --profile web --listen 127.0.0.1:%s\n' \
    "$serve_port"
"${as_user[@]}" "$mtls" serve --config "$work/mtls.conf" --profile web \
    --listen "127.0.0.1:$serve_port" 2>serve.log &
started $!
app_port=$(free_port)
python3 "$root/tests/web/echo_backend.py" "$app_port" &
started $!

https_port=$(free_port)
sed "s|server unix:/run/mtls-serve/http.sock;|server 127.0.0.1:$serve_port;|" \
    "$root/etc/nginx/mtls-serve-upstream.conf" >upstream.conf
cat >site.conf <<EOF
server {
	listen 127.0.0.1:$https_port ssl;
	ssl_certificate $work/server.crt;
	ssl_certificate_key $work/server.key;
	ssl_client_certificate $work/ca.crt;
	ssl_verify_client on;
	include $root/etc/nginx/mtls-auth.conf;
	location / {
		proxy_pass http://127.0.0.1:$app_port;
		include $root/etc/nginx/mtls-user.conf;
	}
}
EOF
say "nginx's server block: the guide's, with two include lines:"
sed 's/^/    /' site.conf
nginx_private_start "$work/nginx" "$work/upstream.conf" "$work/site.conf" \
    2>/dev/null
started "$NGINX_PID"
wait_for nginx bash -c "exec 3<>/dev/tcp/127.0.0.1/$https_port"
wait_for "mtls serve" bash -c "exec 3<>/dev/tcp/127.0.0.1/$serve_port"
wait_for "the application" bash -c "exec 3<>/dev/tcp/127.0.0.1/$app_port"
url=https://127.0.0.1:$https_port/

say "The application answers with the user nginx passed on.  alice's \
certificate, with the guide's curl command:"
expect 200 curl -s --cacert ca.crt --cert client.crt --key client.key \
    -w '%{http_code}\n' -o body "$url"
grep -v '^X-Client-Cert:' body | sed 's/^/    /'
say "... and with Python requests, as the guide writes it; the X-Mtls-User \
header the client forges is replaced:"
expect 200 python3 "$root/tests/web/requests_client.py" "$url" ca.crt \
    client.crt client.key X-Mtls-User=root
say "carol's certificate is revoked in the CRL: nginx refuses, mtls serve \
says why:"
expect 403 curl -s --cacert ca.crt --cert carol.crt --key carol.key \
    -w '%{http_code}\n' -o /dev/null "$url"
say "The question nginx asks, by hand (carol.header holds \
\"X-Client-Cert: \" and carol's certificate on one line):"
{ printf 'X-Client-Cert: '; tr '\n' ' ' <carol.crt; echo; } >carol.header
expect "HTTP/1.1 403 Forbidden" curl -si -H @carol.header \
    "http://127.0.0.1:$serve_port/"
say "With mtls serve stopped, nginx fails closed:"
stop_one "${pids[0]}"
expect 500 curl -s --cacert ca.crt --cert client.crt --key client.key \
    -w '%{http_code}\n' -o /dev/null "$url"
[ "$surprises" -eq 0 ]
