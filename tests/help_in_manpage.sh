#!/usr/bin/env bash
# help_in_manpage.sh - every option the --help of an mtls command lists
# is in mtls(1): in the SYNOPSIS, and with an entry of its own under
# OPTIONS, where an administrator looks up what it does and its default.
# An option added to a command and to its --help alone fails here.
#
# usage: help_in_manpage.sh PATH/TO/mtls PATH/TO/mtls.1
set -u
. "$(dirname "$0")/../scripts/harness.sh"

[ $# -eq 2 ] && [ -x "$1" ] && [ -r "$2" ] || usage PATH/TO/mtls PATH/TO/mtls.1
mtls=$1
manpage=$2

# section NAME: the lines of the manual page's section NAME
section() {
	sed -n "/^\.SH $1\$/,/^\.SH /p" "$manpage"
}

# The roff of an option, as the page writes it: --audit-repeats is
# \-\-audit\-repeats.
roff() {
	printf '%s' "$1" | sed 's/-/\\\\-/g'
}

synopsis=$(section SYNOPSIS)
# the first line of each entry under OPTIONS: ".BI \-\-threads " N"" or
# ".BR \-h ", " \-\-help"
entries=$(section OPTIONS | sed -n '/^\.TP$/{n;p}')

for command in verify config crl map serve radius; do
	options=$("$mtls" "$command" --help | grep -oE -- '--[a-z][a-z-]*' |
	    sort -u)
	if [ -z "$options" ]; then
		fail "mtls $command --help lists no option"
		continue
	fi
	for option in $options; do
		pattern="(^| )$(roff "$option")( |\"|\$)"
		if grep -qE -- "$pattern" <<<"$synopsis"; then
			pass "$command $option is in the SYNOPSIS"
		else
			fail "mtls $command --help lists $option," \
			    "the SYNOPSIS of mtls(1) does not"
		fi
		if grep -qE -- "$pattern" <<<"$entries"; then
			pass "$command $option has an entry under OPTIONS"
		else
			fail "mtls $command --help lists $option," \
			    "OPTIONS of mtls(1) has no entry for it"
		fi
	done
done
finish
