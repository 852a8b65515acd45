#!/usr/bin/env python3
"""openvpn_timeline.py START DIR OCSP-LOG [--table] - where the time of one
run of openvpn_bench.sh went.

DIR holds the server's log (server.log), each client's (cN.log, user
userN), all written with --machine-readable-output (microsecond times),
and acf_watch.py's record (acf.log).  OCSP-LOG is ocsp_delay.py's: one
"RECEIVED ANSWERED" line per query.  START is when the clients started.

Prints one line: how long the plugin took to answer after OpenVPN
deferred a client, how long OpenVPN took to read that answer, and how
many clients sent PUSH_REQUEST more than once.  OpenVPN (2.6, built
without --enable-async-push, as Debian's is) reads a deferred answer
only when it handles that client again, which, once the handshake is
done, is when the client's PUSH_REQUEST arrives: one about a second
after the handshake, then one every 5 s.  An answer that misses the
first costs that client 5 s; so does one that came after OpenVPN had
already read the file in the same wall-clock second, as it reads it at
most once a second.  With --table, also each step of every client's
connection, as seconds after START, median and last.
"""
import glob
import os
import re
import statistics
import sys

STAMP = r"^(\d+\.\d+) [0-9a-f]+ "


def times(path, pattern):
    """{name: [time, ...]} of the lines of path matching pattern, whose
    group "name" names the client."""
    found = {}
    regex = re.compile(STAMP + pattern)
    with open(path, errors="replace") as log:
        for line in log:
            m = regex.match(line)
            if m:
                found.setdefault(m.group("name"), []).append(
                    float(m.group(1)))
    return found


def answers(path):
    """[(created, answered, read)] of each auth_control_file, in the
    order OpenVPN made them; answered and read None when missing."""
    files = {}
    with open(path) as log:
        for line in log:
            when, what, name = line.split()
            files.setdefault(name, []).append((float(when), what))
    made = []
    for events in files.values():
        created = answered = read = None
        for when, what in events:
            if what == "create":
                created = when
            elif what == "write" and answered is None:
                answered = when
            elif what == "open" and answered is not None and read is None:
                read = when
        if created is not None:
            made.append((created, answered, read))
    return sorted(made)


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return "%.2f / %.2f" % (statistics.median(values), max(values))


def main():
    start, run = float(sys.argv[1]), sys.argv[2]
    table = "--table" in sys.argv[4:]
    server = os.path.join(run, "server.log")
    verified = times(server, r".* VERIFY OK: depth=0, CN=(?P<name>\S+)")
    deferred = times(server, r".* authentication deferred for "
                     r"username '(?P<name>[^']+)'")
    established = times(server, r"(?P<name>[^/ ]+)/\S+ MULTI_sva: "
                        r"pool returned")
    pushes, done = {}, {}
    for path in glob.glob(os.path.join(run, "c[0-9]*.log")):
        name = "user" + re.sub(r"\D", "", os.path.basename(path))
        sent = times(path, r"SENT CONTROL .*'(?P<name>PUSH_REQUEST)'")
        finished = times(path, r"(?P<name>Initialization) Sequence "
                         r"Completed")
        pushes[name] = sent.get("PUSH_REQUEST", [])
        if "Initialization" in finished:
            done[name] = finished["Initialization"][0]
            pushes[name] = [t for t in pushes[name] if t <= done[name]]
    order = sorted((t[0], n) for n, t in deferred.items())
    files = answers(os.path.join(run, "acf.log")) \
        if os.path.exists(os.path.join(run, "acf.log")) else []
    # one thread makes them: the k-th file is the k-th deferred client
    answered, read = {}, {}
    for (_, name), (_, wrote, seen) in zip(order, files):
        answered[name], read[name] = wrote, seen
    ocsp = []
    end = max(done.values(), default=start)
    with open(sys.argv[3]) as log:
        for line in log:
            fields = line.split()
            if len(fields) == 2 and start <= float(fields[0]) <= end:
                ocsp.append((float(fields[0]), float(fields[1])))
    again = [n for n, t in pushes.items() if len(t) > 1]
    late = [n for n in again if answered.get(n) is None or
            answered[n] > pushes[n][0]]
    parts = []
    if deferred:
        parts.append("answer %s s after deferral" % spread(
            [answered[n] - deferred[n][0] for n in answered
             if answered[n] is not None]))
        parts.append("read by OpenVPN %s s after it" % spread(
            [read[n] - answered[n] for n in read
             if read[n] is not None and answered[n] is not None]))
    parts.append("%d of %d clients sent PUSH_REQUEST again, 5 s later "
                 "(%d answered after the first, %d before it but after "
                 "OpenVPN's read of that second)" %
                 (len(again), len(pushes), len(late),
                  len(again) - len(late)))
    print("    (median / last) " + "; ".join(parts))
    if not table:
        return
    rows = [
        ("TLS_VERIFY, depth 0", [t[0] for t in verified.values()]),
        ("AUTH_USER_PASS_VERIFY deferred", [t[0] for t in deferred.values()]),
        ("OCSP query at the responder", [q[0] for q in ocsp]),
        ("OCSP answer sent", [q[1] for q in ocsp]),
        ("answer in auth_control_file", list(answered.values())),
        ("OpenVPN read it", list(read.values())),
        ("client's first PUSH_REQUEST", [t[0] for t in pushes.values() if t]),
        ("connection established (server)",
         [t[0] for t in established.values()]),
        ("Initialization Sequence Completed", list(done.values())),
    ]
    print("    %-36s %s" % ("step, seconds after the start",
                            "median / last client"))
    for label, values in rows:
        print("    %-36s %s" % (label, spread(
            [v - start for v in values if v is not None])))


if __name__ == "__main__":
    main()
