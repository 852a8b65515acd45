#!/usr/bin/env python3
"""answers_client.py SOCKET THREADS REQUESTS REVOKED USER...

Asks mtls serve at the Unix socket SOCKET, from THREADS threads at once,
each on one keep-alive connection, REQUESTS requests each: the
certificate USER.crt of one of the USERs (every one maps to the user of
its name, but those named in REVOKED, comma-separated, are revoked), in
one of the encodings a web server may send (percent-encoded wholly or in
part, or plain PEM folded onto one line), with or without a claimed user
(its own, or another's).  Every answer must be the one of its own
request: the status, and X-Mtls-User only on 200, naming the
certificate's user.  Prints each wrong answer; exits 1 if there was one.
"""
import http.client
import random
import socket
import sys
import threading
import urllib.parse


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(30)
        self.sock.connect(self.path)


def encodings(pem):
    """The same certificate as different header bytes."""
    return [urllib.parse.quote(pem, safe=""),
            urllib.parse.quote(pem, safe="/+="),
            pem.replace("\n", " ").strip()]


def cases(users, revoked):
    """(headers, status, user) for every request a client may make."""
    out = [({}, 401, None), ({"X-Client-Cert": "%41%42"}, 403, None)]
    for user in users:
        with open(user + ".crt") as f:
            pem = f.read()
        other = users[(users.index(user) + 1) % len(users)]
        for cert in encodings(pem):
            for claimed in (None, user, other):
                headers = {"X-Client-Cert": cert}
                if claimed is not None:
                    headers["X-Mtls-Claimed-User"] = claimed
                ok = user not in revoked and claimed in (None, user)
                out.append((headers, 200 if ok else 403,
                            user if ok else None))
    return out


def main():
    path, threads, requests, revoked = sys.argv[1:5]
    users = sys.argv[5:]
    revoked = set(revoked.split(",")) - {""}
    all_cases = cases(users, revoked)
    wrong = []

    def client(n):
        rnd = random.Random(n)
        conn = UnixConnection(path)
        for i in range(int(requests)):
            headers, status, user = rnd.choice(all_cases)
            headers = dict(headers, **{"X-Original-URI": "/%d/%d" % (n, i)})
            try:
                conn.request("GET", "/", headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as e:
                wrong.append("request %d/%d: %r" % (n, i, e))
                conn.close()
                conn = UnixConnection(path)
                continue
            got = (response.status, response.getheader("X-Mtls-User"))
            if got != (status, user):
                wrong.append("request %d/%d (claimed user %s, %s): %s, "
                             "X-Mtls-User %s, X-Mtls-Reason %s; wanted %s "
                             "and %s" % (n, i,
                                         headers.get("X-Mtls-Claimed-User"),
                                         headers.get("X-Client-Cert",
                                                     "no certificate")[:24],
                                         got[0], got[1],
                                         response.getheader("X-Mtls-Reason"),
                                         status, user))
        conn.close()

    workers = [threading.Thread(target=client, args=(n,))
               for n in range(int(threads))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for line in wrong[:20]:
        print("  " + line)
    print("%d of %d answers wrong" % (len(wrong),
                                      int(threads) * int(requests)))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
