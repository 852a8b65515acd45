#!/usr/bin/env python3
"""syslog_sink.py SOCKET COUNT-FILE - the least a syslog daemon does: take
each datagram sent to SOCKET (the bench's /dev/log), and nothing more.  On
SIGTERM it writes to COUNT-FILE the number of lines it took and, of those,
audit lines of acceptances, so that the bench can check that no decision
went unlogged.  Prints "ready" once it listens."""
import signal
import socket
import sys

if len(sys.argv) != 3:
    sys.exit("usage: syslog_sink.py SOCKET COUNT-FILE")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
lines = accepted = 0


def report(*_):
    with open(sys.argv[2], "w") as out:
        out.write("%d %d\n" % (lines, accepted))
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
print("ready", flush=True)
while True:
    line = sock.recv(65536)
    lines += 1
    if b" verdict=accepted " in line:
        accepted += 1
