#!/bin/sh
# netns_run.sh PROGRAM [ARG...] - run a test in a network namespace of its
# own, with only loopback up: the servers it starts cannot be reached from
# outside, and its ports cannot collide with the host's.  Creating the
# namespace needs root; elsewhere the test runs as it is (its servers bind
# to 127.0.0.1 only).
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	exec unshare -n sh -c 'ip link set lo up && exec "$@"' netns_run.sh "$@"
fi
exec "$@"
