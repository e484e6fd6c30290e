#!/usr/bin/python3
"""sensor NAME PORT INTERVAL: send a reading to 127.0.0.1:PORT over UDP every
INTERVAL seconds."""
import random
import socket
import sys
import time

name, port, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n = 0
while True:
    n += 1
    msg = "%s seq=%d temp=%.1f\n" % (name, n, 18 + random.random() * 8)
    try:
        s.sendto(msg.encode(), ("127.0.0.1", port))
    except OSError:
        pass
    time.sleep(interval)
