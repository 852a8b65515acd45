"""A real HTTP server for the CRL update tests.

crl_http_server.py DIR serves the files of DIR on 127.0.0.1 (a free port,
printed on the first line of standard output), with Last-Modified from the
files' times and 304 answers to If-Modified-Since, as the standard library
server does.  Where DIR holds NAME.status, a number, GET /NAME answers
with that HTTP status (a 404 or 410 of a CRL the CA stopped publishing,
a 503 of a server that fails).  GET /truncate/NAME sends the first half of NAME while its
Content-Length promises the whole, then closes the connection.
"""
import http.server
import os
import sys
from functools import partial


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        prefix = "/truncate/"
        status = os.path.join(self.directory,
                              os.path.basename(self.path) + ".status")
        if os.path.isfile(status):
            with open(status) as f:
                return self.send_error(int(f.read()))
        if not self.path.startswith(prefix):
            return super().do_GET()
        name = os.path.basename(self.path[len(prefix):])
        with open(os.path.join(self.directory, name), "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/pkix-crl")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


class Server(http.server.HTTPServer):
    def handle_error(self, request, client_address):
        # Clients that hang up early (the size cap) are part of the tests.
        pass


def main():
    handler = partial(Handler, directory=sys.argv[1])
    server = Server(("127.0.0.1", 0), handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
