#!/usr/bin/env python3
"""test-cdp-cleanup.py - the browser tests' Chromium (tests/cdp.py) ends
with the test that started it, however that test ends: a test killed by a
timeout, or an interrupted suite, once left a headless Chromium and its
helpers running for good, since the browser has a session of its own (so
its helpers can be ended together) and no group kill reaches it.

A child Python starts a Browser and prints the browser's pid; the child is
then killed with SIGKILL (no finally, no atexit), and the browser and every
process of its session must be gone.  Skips without Chromium.
"""
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from taplib import ok, done  # noqa: E402
from cdp import chromium_or_skip  # noqa: E402

CHILD = """
import sys, time
sys.path.insert(0, %r)
import cdp
b = cdp.Browser().start()
print(b.proc.pid, flush=True)
time.sleep(120)
""" % HERE


def session_members(sid):
    """The pids whose session is `sid` (from /proc)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        # Fields after the command (which may hold spaces) in brackets.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid:
            pids.append(int(name))
    return pids


def main():
    if chromium_or_skip() is None:
        return 0
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE)
    line = child.stdout.readline().decode().strip()
    ok(line.isdigit(), "the child started a browser (pid %r)" % line)
    if not line.isdigit():
        child.kill()
        child.wait()
        return done()
    pid = int(line)
    before = session_members(pid)
    ok(pid in before and len(before) > 1,
       "the browser leads a session of its own with its helpers (%d processes)" % len(before))
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 20
    left = session_members(pid)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = session_members(pid)
    ok(not left, "the browser's session is gone after its test was killed (%d left: %s)"
       % (len(left), left))
    for p in left:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return done()


if __name__ == "__main__":
    sys.exit(main())
