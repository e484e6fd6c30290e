#!/usr/bin/python3
"""listener ADDRESS PORT: accept TCP connections, answer one line, close."""
import socket
import sys

addr, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(16)
while True:
    conn, _ = s.accept()
    try:
        conn.sendall(b"ready\n")
    except OSError:
        pass
    conn.close()
