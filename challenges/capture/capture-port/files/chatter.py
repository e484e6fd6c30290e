#!/usr/bin/python3
"""chatter PORT: a TCP server on 127.0.0.1:PORT and a client that connects to
it every second, so that the loopback interface is never quiet."""
import socket
import threading
import time

import sys

port = int(sys.argv[1])
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(8)


def serve():
    while True:
        c, _ = srv.accept()
        c.recv(1024)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        c.close()


threading.Thread(target=serve, daemon=True).start()
while True:
    try:
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"GET /health HTTP/1.0\r\n\r\n")
        c.recv(1024)
        c.close()
    except OSError:
        pass
    time.sleep(1)
