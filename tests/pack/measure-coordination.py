#!/usr/bin/env python3
"""measure-coordination.py - batch --coordinate against independent
layouts on a generated series (make-series.py, 12 events): for words drawn
in two or more events, the spread of their normalised ink centres (mean
distance from the word's mean centre, in canvas widths/heights) and
whether each has one colour in every event.  Prints the figures, and TAP
lines asserting the coordinated spread is below the independent one and
colours are 100% consistent (counts, not times).

usage: measure-coordination.py [--keep DIR] [--events 12] [--seed 15]
  (VOTECLOUD names the binary)"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from taplib import done, ok  # noqa: E402


def centres(outdir):
    """word -> [(x, y, colour), ...] over the events' layout reports."""
    seen = {}
    for path in sorted(glob.glob(os.path.join(outdir, "event-*.json"))):
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        w, h = rep["width"], rep["height"]
        for word in rep["words"]:
            b = word["bbox"]
            seen.setdefault(word["text"], []).append(
                ((b[0] + b[2]) / 2 / w, (b[1] + b[3]) / 2 / h, word["color"]))
    return {k: v for k, v in seen.items() if len(v) >= 2}


def spread(multi):
    """Mean over words of the mean distance of its centres from their mean."""
    total = 0.0
    for pts in multi.values():
        mx = sum(p[0] for p in pts) / len(pts)
        my = sum(p[1] for p in pts) / len(pts)
        total += sum(math.hypot(p[0] - mx, p[1] - my) for p in pts) / len(pts)
    return total / len(multi) if multi else 0.0


def consistent(multi):
    return sum(1 for pts in multi.values() if len({p[2] for p in pts}) == 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep")
    ap.add_argument("--events", type=int, default=12)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--extra", nargs="*", default=[], help="more batch options")
    a = ap.parse_args()
    vc = os.environ["VOTECLOUD"]
    with tempfile.TemporaryDirectory() as tmp:
        work = a.keep or tmp
        os.makedirs(work, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "make-series.py"), work,
                        "--events", str(a.events), "--seed", str(a.seed)], check=True)
        figures = {}
        for name, flags in (("independent", []), ("coordinated", ["--coordinate"])):
            out = os.path.join(work, name)
            r = subprocess.run([vc, "batch", "--manifest", os.path.join(work, "events.csv"),
                                "-o", out, "-q"] + flags + a.extra,
                               capture_output=True, text=True, timeout=300)
            ok(r.returncode == 0, "batch %s exits 0 %s" % (" ".join(flags), r.stderr.strip()[:200]))
            multi = centres(out)
            figures[name] = (spread(multi), consistent(multi), len(multi))
        ind, co = figures["independent"], figures["coordinated"]
        ratio = co[0] / ind[0] if ind[0] else float("inf")
        print("# words in 2+ events: %d (independent), %d (coordinated)" % (ind[2], co[2]))
        print("# spread of normalised centres: independent %.4f, coordinated %.4f, ratio %.3f "
              "(target 0.5)" % (ind[0], co[0], ratio))
        print("# one colour in every event: independent %d/%d, coordinated %d/%d"
              % (ind[1], ind[2], co[1], co[2]))
        ok(co[2] > 10, "enough words in two or more events to measure (%d)" % co[2])
        ok(ratio < 1, "coordinated spread is below independent (ratio %.3f)" % ratio)
        ok(co[1] == co[2], "colours 100%% consistent with --coordinate (%d of %d words)"
           % (co[1], co[2]))
    return done()


if __name__ == "__main__":
    sys.exit(main())
