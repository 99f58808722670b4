#!/usr/bin/env python3
"""test-interrupt.py - stopping votecloud while it writes leaves no litter
(src/cli/interrupt.c).  A run writes its files under hidden temporary names
and renames them into place; SIGTERM, Ctrl-C (SIGINT) or SIGHUP in the
middle used to leave those names behind (a 4K PNG, SVG and PDF: megabytes
of hidden files).  Each case starts a real run, waits until its first
staged file appears in the output folder (so the signal lands while it
writes, whatever the machine's speed), sends the signal, and then checks
what is left: the run stopped by that signal, every file either complete
(the same bytes as an uninterrupted run) or absent, nothing hidden.  Also:
a signal ignored when the program started (nohup) stays ignored, and a
signal before any writing stops the run with nothing written."""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from taplib import ok, done  # noqa: E402

VC = os.environ["VOTECLOUD"]
LIMIT = 120.0  # seconds a run may take before the test gives up on it


def words(path, n, seed):
    """n made-up words with falling counts, as votecloud's counts format."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvw"
    seen = set()
    with open(path, "w", encoding="utf-8") as f:
        f.write("word\tcount\n")
        for i in range(n):
            w = "".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))
            if w in seen:
                continue
            seen.add(w)
            f.write("%s\t%d\n" % (w, max(1, 2000 // (i + 1))))


def hidden(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith("."))


def signal_while_writing(cmd, folder, sig, ignored=False):
    """Runs cmd with `sig` at its default action (or ignored); sends it as
    soon as a staged file shows in `folder`.  Returns (exit status, whether
    the signal was sent while staged files were there).  The disposition
    is set for the child, not inherited: a suite run under nohup starts
    with SIGHUP ignored, and votecloud rightly keeps it so."""
    action = signal.SIG_IGN if ignored else signal.SIG_DFL
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         preexec_fn=lambda: signal.signal(sig, action))
    sent = False
    deadline = time.monotonic() + LIMIT
    while p.poll() is None and time.monotonic() < deadline:
        if any(n.startswith(".vc-") for n in os.listdir(folder)):
            p.send_signal(sig)
            sent = True
            break
        time.sleep(0.0005)
    try:
        p.wait(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    return p.returncode, sent


def same_files(a, b, names):
    for n in names:
        pa, pb = os.path.join(a, n), os.path.join(b, n)
        if not (os.path.exists(pa) and os.path.exists(pb)):
            return False
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            if fa.read() != fb.read():
                return False
    return True


def render_cmd(counts, folder):
    return [VC, "render", counts, "--format", "counts", "--width", "3840", "--height", "2160",
            "--fit", "none", "--max-font-size", "120", "-o", os.path.join(folder, "cloud.png"),
            "-o", os.path.join(folder, "cloud.svg"), "-o", os.path.join(folder, "cloud.pdf"),
            "--layout-json", os.path.join(folder, "cloud.json")]


def main():
    tmp = tempfile.mkdtemp(prefix="vc-interrupt-")
    counts = os.path.join(tmp, "words.tsv")
    words(counts, 3000, 7)
    outputs = ["cloud.png", "cloud.svg", "cloud.pdf", "cloud.json"]
    ref = os.path.join(tmp, "ref")
    os.mkdir(ref)
    r = subprocess.run(render_cmd(counts, ref), capture_output=True)
    ok(r.returncode == 0 and same_files(ref, ref, outputs), "an uninterrupted 4K render "
       "writes its four files (exit %d)" % r.returncode)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        name = signal.Signals(sig).name
        out = os.path.join(tmp, "render-" + name)
        os.mkdir(out)
        rc, sent = signal_while_writing(render_cmd(counts, out), out, sig)
        ok(sent and rc == -sig, "render, %s while writing: stopped by it (exit %s)" % (name, rc))
        left = sorted(os.listdir(out))
        ok(hidden(out) == [] and (left == [] or (left == sorted(outputs) and
                                                 same_files(ref, out, outputs))),
           "render, %s while writing: every file complete or absent, nothing hidden: %s"
           % (name, left))

    # Ignored when the program started (nohup, a background job): ignored.
    out = os.path.join(tmp, "render-ignored")
    os.mkdir(out)
    rc, sent = signal_while_writing(render_cmd(counts, out), out, signal.SIGINT, ignored=True)
    ok(sent and rc == 0 and same_files(ref, out, outputs) and hidden(out) == [],
       "render, SIGINT ignored from the start: the run goes on and finishes (exit %s)" % rc)

    # Before any writing: stopped at once, nothing written.
    out = os.path.join(tmp, "render-early")
    os.mkdir(out)
    p = subprocess.Popen(render_cmd(counts, out), stderr=subprocess.DEVNULL,
                         preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=LIMIT)
    ok(p.returncode == -signal.SIGTERM and os.listdir(out) == [],
       "render, SIGTERM before writing: stopped, nothing written (exit %s)" % p.returncode)

    # batch: two workers; each event's files are complete or absent.
    events = os.path.join(tmp, "events")
    os.mkdir(events)
    for i in range(8):
        words(os.path.join(events, "event-%d.tsv" % i), 1500, 100 + i)
    out = os.path.join(tmp, "batch")
    os.mkdir(out)
    cmd = [VC, "batch", "--format", "counts", "-j2", "--width", "2400", "--height", "1400",
           "-o", out] + sorted(os.path.join(events, n) for n in os.listdir(events))
    rc, sent = signal_while_writing(cmd, out, signal.SIGTERM)
    ok(sent and rc == -signal.SIGTERM, "batch, SIGTERM while writing: stopped by it (exit %s)" % rc)
    left = os.listdir(out)
    whole = all(sum(os.path.exists(os.path.join(out, "event-%d.%s" % (i, ext)))
                    for ext in ("png", "svg", "json", "txt")) in (0, 4) for i in range(8))
    ok(hidden(out) == [] and whole,
       "batch, SIGTERM while writing: each event's files all there or none, nothing hidden: %s"
       % sorted(left))

    rc = done()
    if rc == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
