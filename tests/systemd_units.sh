#!/usr/bin/env bash
# systemd_units.sh - the systemd units we install, as installed: systemd
# accepts every one of them (systemd-analyze verify, which needs no
# running systemd), mtls-map-update.path watches the map file
# etc/mtls.conf suggests, and the command mtls-map-update.service runs
# publishes its index with that configuration.
#
# The command runs as the service would, as root with /etc/mtls, but in a
# private mount namespace whose /etc/mtls is a temporary directory holding
# the shipped etc/mtls.conf (its map file switched on) and a map file:
# the machine's /etc is never touched.  Without root, that part is
# skipped, and says so.
#
# usage: systemd_units.sh PATH/TO/mtls SOURCE-DIR UNIT-BUILD-DIR
# (UNIT-BUILD-DIR: where the build configured the .service files)
set -u
. "$(dirname "$0")/../scripts/harness.sh"

[ $# -eq 3 ] && [ -x "$1" ] && [ -d "$2/etc" ] && [ -d "$3" ] ||
    usage PATH/TO/mtls SOURCE-DIR UNIT-BUILD-DIR
command -v systemd-analyze >/dev/null ||
    skip "systemd-analyze is not installed"
MTLS=$(realpath "$1")
src=$(realpath "$2")
built=$(realpath "$3")
work_dir units-test

# expect WHAT COMMAND...: COMMAND succeeds; what it printed is shown only
# when it does not
expect() {
	local what=$1

	shift
	if "$@" >"$work/out" 2>&1; then
		pass "$what"
	else
		fail "$what"
		sed 's/^/  /' "$work/out"
	fi
}

# The units as installed, with the command they run this build's: systemd
# refuses a unit whose command does not exist.
mkdir "$work/units"
for unit in "$built"/*.service "$src"/etc/*.timer "$src"/etc/*.path; do
	sed -E "s|^(Exec[A-Za-z]*=)[^ ]*/mtls( \|$)|\1$MTLS\2|" "$unit" \
	    >"$work/units/${unit##*/}"
done
units=("$work"/units/*)
for unit in mtls-crl-update.service mtls-crl-update.timer \
    mtls-map-update.service mtls-map-update.path mtls-serve.service; do
	expect "$unit is built" test -e "$work/units/$unit"
done

# systemd-analyze verify fails on errors; what it only warns about in our
# units (an unknown key, say) fails here too.  It also reads the machine's
# own units, whose warnings are not ours.
verify_units() {
	systemd-analyze verify --man=no "${units[@]}" 2>&1 |
	    tee "$work/verify.log"
	[ "${PIPESTATUS[0]}" -eq 0 ] &&
	    ! grep -qF "$work/units/" "$work/verify.log"
}
expect "systemd-analyze verify accepts every unit" verify_units

# The path unit watches the map file the example configuration names.
watched=$(sed -n 's/^PathChanged=//p' "$src/etc/mtls-map-update.path")
suggested=$(sed -n 's/^[[:space:]]*#map_file = "\(.*\)";$/\1/p' \
    "$src/etc/mtls.conf")
expect "mtls-map-update.path watches $watched, etc/mtls.conf's map file" \
    test -n "$watched" -a "$watched" = "$suggested"

if [ "$(id -u)" -ne 0 ] || ! unshare --mount true 2>/dev/null; then
	echo "SKIP: the service's command: needs root and unshare --mount" \
	    "to give it an /etc/mtls of its own"
	finish
fi

# An /etc/mtls as an administrator has it: the shipped configuration with
# its map file switched on, the CA it names, a map file of two lines.
etc="$work/etc-mtls"
mkdir "$etc"
sed -e 's/^\([[:space:]]*\)map = "cn";/\1map = "dn";/' \
    -e 's/^\([[:space:]]*\)#map_file = /\1map_file = /' \
    "$src/etc/mtls.conf" >"$etc/mtls.conf"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/ca.key" -out "$etc/ca.pem" -days 30 \
    -subj "/CN=Units Test CA" 2>/dev/null || { echo "setup failed"; exit 2; }
printf 'CN=alice,O=Example alice\nCN=bob,O=Example bob\n' >"$etc/users.map"
read -ra command < <(sed -n 's/^ExecStart=//p' \
    "$work/units/mtls-map-update.service")

# publishes KEYS: the service's command, as root, with $etc as /etc/mtls,
# publishes an index of KEYS keys.  Where the machine has no /etc/mtls,
# it is made in an overlay of /etc that only the namespace sees.
mkdir "$work/overlay"
publishes() {
	echo "${command[*]}"
	unshare --mount -- bash -c '
		if [ ! -d /etc/mtls ]; then
			mount -t tmpfs tmpfs "$2" &&
			mkdir "$2/upper" "$2/work" &&
			mount -t overlay overlay -o "lowerdir=/etc,upperdir=$2/upper,workdir=$2/work" /etc &&
			mkdir /etc/mtls || exit 99
		fi
		mount --bind "$1" /etc/mtls || exit 99
		shift 2
		exec "$@"' units "$etc" "$work/overlay" "${command[@]}" |
	    tee "$work/stdout"
	[ "${PIPESTATUS[0]}" -eq 0 ] &&
	    grep -q "users\.map\.idx: $1 keys" "$work/stdout" &&
	    [ -s "$etc/users.map.idx" ]
}

expect "the service's command publishes the index" publishes 2
# what the path unit starts it for: the map file changed
printf 'CN=carol,O=Example carol\n' >>"$etc/users.map"
expect "after an edit, the service's command publishes it again" \
    publishes 3

finish
