#!/usr/bin/env python3
"""The application behind nginx in the web tests: it answers every GET
with what it was told about the client, one header a line, so that the
tests see which user nginx passed on and whether anything the client
forged reached it."""
import http.server
import sys


class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = "".join("%s: %s\n" % (name, self.headers.get(name, "-"))
                       for name in ("X-Mtls-User", "X-Client-Cert"))
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])),
                                Echo).serve_forever()
