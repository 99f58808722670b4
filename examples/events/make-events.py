#!/usr/bin/env python3
"""Writes the synthetic event surveys in this folder (run once; the CSVs are
committed).  Every respondent is invented: each picks three words from the
vision, with preferences that differ from event to event."""
import csv
import random

WORDS = ["prevention", "wellbeing", "community", "kindness", "trust",
         "listening", "homes", "closer to home", "fairness", "hope",
         "independence", "respect", "carers", "young people", "jobs"]

EVENTS = [
    # file, respondents, seed, favourite words (weight 6), liked words (3)
    ("north-area-forum.csv", 96, 11, ["prevention", "closer to home"],
     ["carers", "independence", "trust"]),
    ("south-area-forum.csv", 72, 23, ["community", "homes"],
     ["fairness", "listening", "prevention"]),
    ("design-day.csv", 48, 37, ["listening", "trust"],
     ["kindness", "respect", "hope"]),
    ("youth-parliament.csv", 60, 41, ["young people", "jobs", "hope"],
     ["wellbeing", "fairness"]),
]

for name, n, seed, favourite, liked in EVENTS:
    rng = random.Random(seed)
    weights = [6 if w in favourite else 3 if w in liked else 1 for w in WORDS]
    with open(name, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["Word 1", "Word 2", "Word 3"])
        for _ in range(n):
            picked = []
            while len(picked) < 3:
                w = rng.choices(WORDS, weights)[0]
                if w not in picked:
                    picked.append(w)
            out.writerow(picked)
