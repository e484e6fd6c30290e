#!/usr/bin/python3
"""inventory-api PORT HOSTNAME TOKEN: answer /api/token with TOKEN, but only
for requests addressed to HOSTNAME (name-based virtual hosting)."""
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, hostname, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    server_version = "inventory-api/1.0"
    sys_version = ""

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        if host != hostname:
            code, body = 421, "misdirected request: this server only answers for %s\n" % hostname
        elif self.path == "/api/token":
            code, body = 200, '{"sync_token": "%s"}\n' % token
        else:
            code, body = 404, "not found\n"
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


HTTPServer(("127.0.0.1", port), Handler).serve_forever()
