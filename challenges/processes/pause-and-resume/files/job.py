#!/usr/bin/python3
"""A batch job. JOB_MODE=heavy keeps a CPU busy; JOB_MODE=light mostly sleeps.

JOB_PAUSED=1 makes the job stop itself right after it starts, as if someone had
paused it with SIGSTOP; SIGCONT lets it carry on.
"""
import os
import signal
import time

mode = os.environ.get("JOB_MODE", "light")
if os.environ.get("JOB_PAUSED") == "1":
    os.kill(os.getpid(), signal.SIGSTOP)

done = 0
while True:
    if mode == "heavy":
        end = time.monotonic() + 0.2
        while time.monotonic() < end:
            done += 1
        time.sleep(0.01)
    else:
        done += 1
        time.sleep(1)
