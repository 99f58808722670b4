#!/usr/bin/env python3
"""Generates examples/consultation.csv: a SYNTHETIC survey of 545 respondents
who each chose three words from the vision (examples/vision.txt) and could
suggest missing words.  Deterministic (fixed seed).  It imitates a messy
Google Forms export: BOM, CRLF, quoted newlines, case and hyphen variants,
typos, duplicate picks and empty rows.  No real person's answers are in it."""
import csv
import io
import random

rng = random.Random(545)
WORDS = [  # (word, weight, spelling variants people type)
    ("Prevention", 210, ["prevention", "PREVENTION", "Prevension", "prevention "]),
    ("Wellbeing", 180, ["Well-being", "wellbeing", "well being", "Well‑being"]),
    ("Person-centred", 150, ["person centred", "Person Centred", "personcentred"]),
    ("Compassionate", 118, ["compassionate", "Compasionate"]),
    ("Together", 101, ["together", "TOGETHER"]),
    ("Joined-up", 92, ["joined up", "Joined Up"]),
    ("Closer to home", 85, ["closer to home", "Closer To Home"]),
    ("Communities", 74, ["communities", "Comunities"]),
    ("Inequality", 66, ["inequality", "Inequalities"]),
    ("Partnership", 57, ["partnership", "Partnerships"]),
    ("Honest", 49, ["honest"]),
    ("Innovation", 40, ["innovation", "Inovation"]),
    ("Listen", 36, ["listen"]),
    ("Think big", 28, ["think big", "Think Big"]),
    ("Safer", 24, ["safer"]),
    ("Open", 22, ["open"]),
    ("Simpler", 15, ["simpler"]),
    ("Healthier", 13, ["healthier"]),
]
SUGGESTED = [("Kindness", 14), ("Dignity", 12), ("Respect", 11), ("Accessible", 9),
             ("Carers", 7), ("Mental health", 6), ("Continuity", 4), ("Trust", 3),
             ("Language support", 2), ("Transport", 2)]
EVENTS = ["North Area Forum", "South Area Forum", "Design Day", "Youth Parliament", "Online survey"]


def pick_three():
    names = [w for w, _, _ in WORDS]
    weights = [wt for _, wt, _ in WORDS]
    chosen = []
    while len(chosen) < 3:
        w = rng.choices(names, weights)[0]
        if w not in chosen:
            chosen.append(w)
    out = []
    for w in chosen:
        variants = dict((n, v) for n, _, v in WORDS)[w]
        out.append(rng.choice(variants) if rng.random() < 0.35 else w)
    return out


rows = []
for i in range(545):
    event = EVENTS[min(int(rng.random() ** 0.8 * len(EVENTS)), len(EVENTS) - 1)]
    w1, w2, w3 = pick_three()
    if i % 97 == 5:
        w3 = w1  # picked the same word twice: still one vote
    missing = ""
    if rng.random() < 0.13:
        names = [s for s, _ in SUGGESTED]
        k = rng.choice([1, 1, 1, 2])
        picks = rng.sample(names, k=k) if k > 1 else rng.choices(names, [n for _, n in SUGGESTED])
        missing = rng.choice([", ", "; ", "\n"]).join(p if rng.random() < 0.7 else p.lower() for p in picks)
        if rng.random() < 0.3:
            missing += "."
    stamp = "2026/%02d/%02d %02d:%02d:00" % (9 + i // 300, 1 + i % 28, 9 + i % 9, i % 60)
    rows.append([stamp, event, w1, w2, w3, missing])
    if i % 150 == 77:
        rows.append(["", "", "", "", "", ""])  # an empty row from the export

buf = io.StringIO()
writer = csv.writer(buf, lineterminator="\r\n")
writer.writerow(["Timestamp", "Event", "Word 1", "Word 2", "Word 3", "Any words missing?"])
writer.writerows(rows)
with open("consultation.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write(buf.getvalue())
