#!/usr/bin/python3
"""A daemon with a debug log that somebody "cleaned up" with rm while the
daemon still had it open: the name is gone, the space is not.

It fills the log to FILL_MIB MiB, unlinks it (what the careless rm did), and
keeps appending a line now and then, as a real daemon would."""
import os
import sys
import time

name = os.path.basename(sys.argv[0])
path = "/tmp/%s-debug.log" % name
fill = int(os.environ.get("FILL_MIB", "48"))

config = open("/etc/%s.conf" % name)  # held open, as daemons do
log = open(path, "a", buffering=1)
chunk = ("%s debug: cache miss, refetching upstream object\n" % name) * 1024
block = chunk * (1024 * 1024 // len(chunk) + 1)
for _ in range(fill):
    log.write(block[: 1024 * 1024])
log.flush()
os.unlink(path)
os.makedirs("/run/%s" % name, exist_ok=True)
with open("/run/%s/ready" % name, "w") as f:
    f.write("%d\n" % os.getpid())
n = 0
while True:
    n += 1
    log.write("%s tick %d\n" % (time.strftime("%H:%M:%S"), n))
    time.sleep(2)
