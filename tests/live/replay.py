#!/usr/bin/env python3
"""replay.py - a synthetic live event for the live-layout measurement.

Truth: PARTICIPANTS people (default 1,000) answer in order, each with 3
different words drawn from a vocabulary of 200 words with Zipf-like
popularity (word of rank k chosen with weight 1 / k**1.0), from a fixed
seed (default 14), so the same arguments always give the same bytes.

Output: one line per participant, the 3 words separated by tabs.

    replay.py [--participants N] [--seed S] [OUTPUT]
"""
import argparse
import random
import sys

# 200 words an engagement event might hear ("which three words matter
# most?"), most popular first is NOT implied: popularity ranks are drawn
# by the seeded shuffle below.
VOCABULARY = """
community health access trust safety kindness listening housing transport
jobs education family care respect fairness inclusion nature green parks
climate equality support wellbeing youth elders culture heritage local
honesty openness future hope innovation learning skills training voice
belonging friendship neighbours volunteers welcome diversity dignity
choice independence affordable homes clean air water energy cycling
walking buses trains roads broadband digital libraries museums music art
sport play schools nurseries childcare mental physical prevention doctors
nurses pharmacy hospital clinics waiting times funding budget value
efficiency accountability transparency democracy participation consultation
partnership collaboration teamwork leadership vision ambition courage
resilience recovery growth prosperity business markets shops highstreet
tourism farming food allergies nutrition hunger poverty debt benefits
wages fairpay security policing justice victims prevention2 outreach
charity faith tolerance peace calm quiet space light heat insulation
repairs maintenance planning design beauty history pride identity language
translation signs accessibility ramps toilets benches trees flowers rivers
beaches hills wildlife recycling waste litter noise traffic parking safety2
crossings lighting cctv wardens rangers festivals events theatre cinema
dance gardens allotments compost bees solar wind heatpumps retrofit jobs2
apprenticeships mentoring coaching careers college university research
data privacy fairness2 consent clarity simplicity speed quality reliability
comfort warmth home together
""".split()


def vocabulary():
    words = []
    seen = set()
    for w in VOCABULARY:
        w = w.rstrip("0123456789")
        if w not in seen:
            seen.add(w)
            words.append(w)
    # Pad with synthetic words (stated: not real answers) to exactly 200.
    k = 0
    while len(words) < 200:
        k += 1
        w = "idea%d" % k
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words[:200]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--participants", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("output", nargs="?")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    words = vocabulary()
    rng.shuffle(words)  # rank k = popularity k, independent of the list order
    weights = [1.0 / (k + 1) for k in range(len(words))]
    lines = []
    for _ in range(a.participants):
        chosen = []
        while len(chosen) < 3:
            w = rng.choices(words, weights)[0]
            if w not in chosen:
                chosen.append(w)
        lines.append("\t".join(chosen))
    text = "\n".join(lines) + "\n"
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
