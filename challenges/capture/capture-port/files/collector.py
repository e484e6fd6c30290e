#!/usr/bin/python3
"""collector PORT: receive UDP datagrams on 127.0.0.1:PORT and count them."""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
n = 0
while True:
    s.recvfrom(65535)
    n += 1
