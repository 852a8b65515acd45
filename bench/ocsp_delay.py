#!/usr/bin/env python3
"""ocsp_delay.py LISTEN-PORT UPSTREAM-URL DELAY-MS - a slow OCSP responder.

Forwards each OCSP request (HTTP POST) to UPSTREAM-URL, a real `openssl
ocsp` responder, and answers DELAY-MS later, many requests at once: a
responder whose round trip is slow but which does not queue, as a loaded
production one behaves.  Prints "listening" once it accepts connections,
then for each query, as it answers, when it came and when it is answered
(seconds since the epoch).
"""
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        received = time.time()
        started = time.monotonic()
        request = urllib.request.Request(
            UPSTREAM, data=body,
            headers={"Content-Type": "application/ocsp-request"})
        with urllib.request.urlopen(request, timeout=10) as upstream:
            answer = upstream.read()
        rest = DELAY - (time.monotonic() - started)
        if rest > 0:
            time.sleep(rest)
        print("%.6f %.6f" % (received, time.time()), flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True


if __name__ == "__main__":
    port, UPSTREAM, DELAY = int(sys.argv[1]), sys.argv[2], \
        int(sys.argv[3]) / 1000.0
    server = Server(("127.0.0.1", port), Handler)
    print("listening", flush=True)
    server.serve_forever()
