#!/usr/bin/env python3
"""syslog_sink.py SOCKET COUNT-FILE [LINES-FILE] - the least a syslog
daemon does: take each datagram sent to SOCKET (the bench's /dev/log), and
nothing more.  On SIGTERM it writes to COUNT-FILE the number of lines it
took, of those the audit lines of acceptances, and the acceptances those
account for (a summary of repeats, "repeats=N", stands for N more), so
that the bench can check that no decision went unlogged.  With LINES-FILE (the tests), it also
appends each line there as it came, one a line, for the test to read.
Prints "ready" once it listens."""
import signal
import socket
import sys

if len(sys.argv) not in (3, 4):
    sys.exit("usage: syslog_sink.py SOCKET COUNT-FILE [LINES-FILE]")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
lines = accepted = decisions = 0
# line-buffered: a test reads each line while the sink runs
kept = open(sys.argv[3], "a", buffering=1) if len(sys.argv) == 4 else None


def report(*_):
    with open(sys.argv[2], "w") as out:
        out.write("%d %d %d\n" % (lines, accepted, decisions))
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
print("ready", flush=True)
while True:
    line = sock.recv(65536)
    lines += 1
    if b" verdict=accepted " in line:
        accepted += 1
        decisions += 1
        at = line.find(b" repeats=")
        if at != -1:
            decisions += int(line[at + 9:].split(b" ", 1)[0])
    if kept is not None:
        kept.write(line.decode(errors="replace") + "\n")
