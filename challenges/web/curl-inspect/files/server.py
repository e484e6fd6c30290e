#!/usr/bin/python3
"""server PORT STATUS BUILD SESSION: a small web app for curl practice.

/         200, with an X-Build header
/admin    STATUS
/login    sets a session cookie, then redirects to /welcome
/welcome  200
"""
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, status, build, session = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]


class Handler(BaseHTTPRequestHandler):
    server_version = "intranet/2.1"
    sys_version = ""

    def send(self, code, body, headers=()):
        data = body.encode()
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/":
            self.send(200, "Intranet is up. Try /admin or /login.\n", [("X-Build", build)])
        elif path == "/admin":
            self.send(status, "Nothing for you here.\n")
        elif path == "/login":
            self.send(302, "Redirecting to /welcome\n",
                      [("Location", "/welcome"), ("Set-Cookie", "theme=light; Path=/"),
                       ("Set-Cookie", "session=%s; Path=/; HttpOnly" % session)])
        elif path == "/welcome":
            self.send(200, "Welcome back.\n")
        else:
            self.send(404, "Not found\n")

    do_HEAD = do_GET

    def log_message(self, fmt, *args):
        pass


HTTPServer(("127.0.0.1", port), Handler).serve_forever()
