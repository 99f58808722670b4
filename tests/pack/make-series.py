#!/usr/bin/env python3
"""make-series.py - a synthetic series of event clouds for --coordinate:
N events (12) of one consultation, each a counts file of 12 to 30 words
drawn from a 60-word vocabulary with Zipf-like popularity and per-event
noise, so most words appear in several events with different counts.
Deterministic (seeded).  Writes OUT/event-NN.tsv and OUT/events.csv (a
batch manifest).

usage: make-series.py OUT [--events 12] [--seed 15]"""
import argparse
import os
import random

WORDS = """wellbeing prevention community care kindness respect dignity trust
listening access fairness safety housing transport jobs education youth
elderly carers nature parks clean air green health hospital doctor nurse
dentist pharmacy waiting times mental support family friends volunteers
local shops culture sport library music arts food heritage equality
inclusion diversity language digital broadband roads cycling buses
policing lighting noise litter flooding planning""".split()[:60]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--events", type=int, default=12)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    popularity = {w: 1.0 / (i + 1) ** 0.8 for i, w in enumerate(WORDS)}
    rows = ["event,input,title"]
    for e in range(1, a.events + 1):
        n = rng.randint(12, 30)
        # Popular words are more likely to be in an event, with noise.
        chosen = sorted(WORDS, key=lambda w: -popularity[w] * rng.uniform(0.3, 1.7))[:n]
        people = rng.randint(40, 300)
        name = "event-%02d.tsv" % e
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.write("word\tcount\n")
            for w in chosen:
                f.write("%s\t%d\n" % (w, max(1, round(people * popularity[w] *
                                                      rng.uniform(0.5, 1.5)))))
        rows.append("Event %02d,%s,Event %02d" % (e, name, e))
    with open(os.path.join(a.out, "events.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
