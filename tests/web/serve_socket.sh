#!/usr/bin/env bash
# serve_socket.sh MTLS SOURCE-DIR UNIT-BUILD-DIR - only nginx may ask
# mtls serve, started the way mtls-serve.service starts it: the command of
# its ExecStart=, its Group= (nginx's), UMask= and a runtime directory of
# its RuntimeDirectoryMode=, owned by the service's user and that group,
# as systemd makes it.  The service's dynamic user is played by nobody,
# nginx's workers by nginx's user, and a local user who must not get in
# by daemon.  (UNIT-BUILD-DIR: where the build configured the .service
# files.)
#
# Needs root, to run each as its user; without it the test is skipped,
# and says so.  mtls serve is stopped by its PID, also on failure.
set -euo pipefail
export LC_ALL=C
. "$(dirname "$0")/../../scripts/web-common.sh"

[ $# -eq 3 ] || usage MTLS SOURCE-DIR UNIT-BUILD-DIR
[ "$(id -u)" -eq 0 ] ||
    skip "needs root, to run mtls serve and its clients as the users of" \
	"the service, of nginx and of another"

mtls=$(realpath "$1")
src=$(realpath "$2")
unit=$(realpath "$3")/mtls-serve.service
work_dir socket-test
serve_pid=

at_exit 'stop_and_show_logs serve.log'
name_failed_steps

# (the service's user reads the configuration and the CA under it)
chmod 755 "$work"

# unit_value KEY: what the unit sets KEY to.
unit_value() {
	sed -n "s/^$1=//p" "$unit"
}
group=$(unit_value Group)
dir_mode=$(unit_value RuntimeDirectoryMode)
mask=$(unit_value UMask)
read -ra command < <(unit_value ExecStart)
# nginx's user, as Debian's nginx.conf names it
web_user=$(sed -n 's/^user[[:space:]]\+\([^;[:space:]]*\).*/\1/p' \
    /etc/nginx/nginx.conf 2>/dev/null) || true
web_user=${web_user:-www-data}
other=daemon

if [ "$(id -gn "$web_user")" = "$group" ]; then
	pass "the unit's group $group is nginx's user's ($web_user)"
else
	fail "the unit's group '$group' is not the group of nginx's user" \
	    "$web_user ($(id -gn "$web_user"))"
fi
if id -Gn "$other" | grep -qw -e "$group"; then
	echo "serve_socket: $other is in $group: it cannot play another user" >&2
	exit 2
fi

# The configuration the command reads (its profile "web").
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=Socket Test CA"
cat >mtls.conf <<EOF
ca_file = "$work/ca.crt";
profiles = { web = { revocation = { mode = "none"; }; }; };
EOF

# The runtime directory, as systemd makes it, here in place of /run.
runtime=$work/run/$(unit_value RuntimeDirectory)
mkdir -p "$runtime"
chown "nobody:$group" "$runtime"
chmod "$dir_mode" "$runtime"
args=()
for arg in "${command[@]:1}"; do
	args+=("${arg//\/run\//$work/run/}")
done
sock=$(printf '%s\n' "${args[@]}" | sed -n 's/^unix://p')
echo "mtls ${args[*]}"
(
	umask "$mask"
	exec setpriv --reuid=nobody --regid="$group" --clear-groups \
	    "$mtls" "${args[@]}" --config "$work/mtls.conf"
) 2>>serve.log &
serve_pid=$!
wait_for "mtls serve" test -S "$sock"

# modes PATH WANT: PATH's permissions and group are WANT.
modes() {
	local have

	have=$(stat -c '%a %G' "$1")
	if [ "$have" = "$2" ]; then
		pass "${1#"$work/"}: $have"
	else
		fail "${1#"$work/"}: $have, not $2"
	fi
}
modes "$runtime" "${dir_mode#0} $group"
modes "$sock" "660 $group"

# connects_as USER WANT [GROUP]: connecting to the socket as USER (with
# the group GROUP alone, by default with USER's own groups) gives WANT:
# "connected", or the name of the error.
connects_as() {
	local user=$1 want=$2 groups have

	shift 2
	if [ $# -gt 0 ]; then
		groups=(--regid="$1" --clear-groups)
	else
		groups=(--regid="$(id -g "$user")" --init-groups)
	fi
	# (Debian's python3: a python3 of root's PATH may be out of reach)
	have=$(setpriv --reuid="$user" "${groups[@]}" /usr/bin/python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))' "$sock" 2>&1) || true
	if [ "$have" = "$want" ]; then
		pass "$user${1:+ in group $1}: $have"
	else
		fail "$user${1:+ in group $1}: wanted $want, got $have"
	fi
}

# nginx's user asks, as nginx does, and gets the door's answer.
asked=$(setpriv --reuid="$web_user" --regid="$(id -g "$web_user")" \
    --init-groups curl -s --max-time 20 --unix-socket "$sock" \
    -o /dev/null -w '%{http_code} %header{x-mtls-reason}' http://mtls/) ||
    true
if [ "$asked" = "401 no-certificate" ]; then
	pass "nginx's user $web_user asks: $asked"
else
	fail "nginx's user $web_user asks: wanted 401 no-certificate," \
	    "got '$asked'"
fi
connects_as "$other" EACCES
connects_as "$other" connected "$group"

# A drop-in that opens the directory to everybody leaves the socket
# closed to them.
chmod 755 "$runtime"
connects_as "$other" EACCES
connects_as "$web_user" connected
chmod "$dir_mode" "$runtime"

stop_serve
if [ "$serve_status" -ne 0 ]; then
	fail "mtls serve exited $serve_status on SIGTERM"
fi
finish
