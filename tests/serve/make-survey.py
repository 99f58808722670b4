#!/usr/bin/env python3
"""make-survey.py - a synthetic Microsoft Forms export (CSV UTF-8) for the
web app's tests, with the truth stated.

usage: make-survey.py OUT.csv [RESPONDENTS]   (default 60)

Columns: ID, Start time, Completion time, Email, Name (metadata), the
question "Which three words matter most to you?" (multi-select, cells
'a;b;c;'), a free-text column whose HEADER is '<script>alert(1)</script>'
(it must always be shown as text), and the event column "Where did you fill
in this survey?" (Online, Design Day, Roadshow).  Respondent i ticks
OPTIONS[i % 7], OPTIONS[(i * 3 + 1) % 7] and OPTIONS[(i * 5 + 2) % 7]
(deduplicated), so the counts are exact and known.  Standard library only.
"""
import csv
import sys

QUESTION = "Which three words matter most to you?"
XSS = "<script>alert(1)</script>"
EVENT = "Where did you fill in this survey?"
OPTIONS = ["Wellbeing", "Prevention", "Safe, healthy lives", "Joined-up",
           "Compassionate", "Community café", "Kindness"]
EVENTS = ["Online", "Design Day", "Roadshow"]
FREE = ["more buses to the hospital", "n/a", "parks near me", "",
        "kindness from staff", "", "youth clubs in the evening"]


def ticks(i):
    out = []
    for k in (i % 7, (i * 3 + 1) % 7, (i * 5 + 2) % 7):
        if OPTIONS[k] not in out:
            out.append(OPTIONS[k])
    return out


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["ID", "Start time", "Completion time", "Email", "Name",
                    QUESTION, XSS, EVENT])
        for i in range(n):
            w.writerow([i + 1, "9/1/26 10:%02d:00" % (i % 60),
                        "9/1/26 11:%02d:00" % (i % 60), "anonymous", "",
                        "".join(t + ";" for t in ticks(i)),
                        FREE[i % len(FREE)] + (" %d" % i if FREE[i % len(FREE)] not in ("", "n/a") else ""),
                        EVENTS[i % 3]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
