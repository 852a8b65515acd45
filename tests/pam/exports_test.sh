#!/usr/bin/env bash
# exports_test.sh - pam_mtls.so exports the PAM entry points and nothing
# else (its linker version script): nm -D lists only pam_sm_*.
#
# usage: exports_test.sh MODULE
set -u

want="pam_sm_acct_mgmt pam_sm_authenticate pam_sm_chauthtok \
pam_sm_close_session pam_sm_open_session pam_sm_setcred"
got=$(nm -D --defined-only "$1" | awk '$2 ~ /^[TWDBRV]$/ { print $3 }' |
    sed 's/@.*//' | sort | tr '\n' ' ' | sed 's/ $//')
if [ "$got" = "$want" ]; then
	echo "ok: exported: $got"
	exit 0
fi
echo "FAIL: pam_mtls.so exports: $got"
echo "      want exactly:        $want"
exit 1
