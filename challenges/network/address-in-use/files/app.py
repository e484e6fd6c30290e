#!/usr/bin/python3
"""A small TCP service, deployed as releases under /opt/<app>/releases/<version>.

It reads ../etc/app.conf (relative to this script): `port` and
`drain_timeout` (seconds to wait for clients on SIGTERM; 0 means wait for
every client, forever: the bug that makes old releases hang on shutdown)."""
import os
import signal
import socket
import sys
import time

me = os.path.realpath(__file__)
if sys.argv[0] != me:
    # run under the real path, so ps shows which release this is
    os.execv(sys.executable, [sys.executable, me] + sys.argv[1:])

release = os.path.dirname(os.path.dirname(me))
name = os.path.basename(me)
conf = {}
with open(os.path.join(release, "etc", "app.conf")) as f:
    for line in f:
        key, _, value = line.partition("=")
        if value:
            conf[key.strip()] = value.strip()
port = int(conf["port"])
drain = int(conf.get("drain_timeout", "5"))


def on_term(signum, frame):
    if drain == 0:
        sys.stderr.write("%s: SIGTERM: draining connections (no timeout)...\n" % name)
        while True:
            time.sleep(3600)
    sys.stderr.write("%s: SIGTERM: shutting down\n" % name)
    sys.exit(0)


signal.signal(signal.SIGTERM, on_term)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", port))
except OSError as e:
    sys.stderr.write("%s: cannot listen on 127.0.0.1:%d: %s\n" % (name, port, e.strerror))
    sys.exit(1)
s.listen(16)
print("%s %s listening on 127.0.0.1:%d" % (name, os.path.basename(release), port), flush=True)
while True:
    conn, _ = s.accept()
    conn.sendall(("%s %s\n" % (name, os.path.basename(release))).encode())
    conn.close()
