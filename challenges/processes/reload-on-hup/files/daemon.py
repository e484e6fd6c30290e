#!/usr/bin/python3
"""A small daemon that reads its configuration at start and again on SIGHUP.

Every time it (re)loads, it writes the settings it is now using to its state
file, so an operator can see what is in effect. A config that cannot be read
leaves the previous settings in place, as real daemons do.
"""
import os
import signal
import sys
import time

name = os.path.basename(sys.argv[0])
conf = sys.argv[sys.argv.index("--config") + 1]
state = "/run/%s/effective.conf" % name


def log(msg):
    sys.stderr.write("%s %s[%d]: %s\n" % (time.strftime("%H:%M:%S"), name, os.getpid(), msg))
    sys.stderr.flush()


def load():
    settings = {}
    with open(conf) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "=" in line:
                key, value = (s.strip() for s in line.split("=", 1))
                settings[key] = value
    os.makedirs(os.path.dirname(state), exist_ok=True)
    tmp = state + ".tmp"
    with open(tmp, "w") as f:
        f.write("# settings in effect, loaded by pid %d at %s from %s\n"
                % (os.getpid(), time.strftime("%H:%M:%S"), conf))
        for key in sorted(settings):
            f.write("%s = %s\n" % (key, settings[key]))
    os.replace(tmp, state)
    log("loaded %s" % conf)


def on_hup(signum, frame):
    log("SIGHUP received, reloading")
    try:
        load()
    except OSError as e:
        log("reload failed, keeping old settings: %s" % e)


signal.signal(signal.SIGHUP, on_hup)
load()
while True:
    signal.pause()
