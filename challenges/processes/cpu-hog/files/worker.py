#!/usr/bin/python3
"""A pool worker. Its duty cycle (percent of time spent computing) comes from
/etc/pool/<name>.conf; a healthy worker mostly waits for work."""
import os
import sys
import time

name = os.path.basename(sys.argv[0])
duty = 1
try:
    with open("/etc/pool/%s.conf" % name) as f:
        for line in f:
            key, _, value = line.partition("=")
            if key.strip() == "duty":
                duty = int(value)
except (OSError, ValueError):
    pass

n = 0
while True:
    end = time.monotonic() + duty / 100.0
    while time.monotonic() < end:
        n += 1
    time.sleep(max(0.01, (100 - duty) / 100.0))
