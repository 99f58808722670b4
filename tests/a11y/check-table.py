#!/usr/bin/env python3
"""check-table.py WRITE_SAMPLE - parses the sample HTML table with
html.parser and the CSV with the csv module, as a browser and a
spreadsheet would read them.  Prints TAP."""
import csv
import html.parser
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from taplib import done, ok  # noqa: E402

WORDS = 10


class Table(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.tags = []
        self.caption = ""
        self.title = ""
        self.cols = []
        self.rows = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.stack.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "th" and a.get("scope") == "col":
            self.cols.append("")
        if tag == "tr" and "tbody" in self.stack:
            self.rows.append([])
        if tag in ("th", "td") and "tbody" in self.stack:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if "caption" in self.stack:
            self.caption += data
        elif "title" in self.stack:
            self.title += data
        elif "thead" in self.stack and self.cols:
            self.cols[-1] += data
        elif ("td" in self.stack or "th" in self.stack) and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def main():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.argv[1], d], check=True)
        with open(d + "/table.html", encoding="utf-8") as f:
            page = f.read()
        with open(d + "/table.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        with open(d + "/alt.txt", encoding="utf-8") as f:
            alt = f.read()

    t = Table()
    t.feed(page)
    t.close()
    ok(t.lang == "en", "html lang=en")
    ok(t.title == "Our future NHS <draft>: word cloud data", "title: %r" % t.title)
    ok(t.caption.startswith("Our future NHS <draft>: votes for each word from 545 responses"),
       "caption with title and respondents: %r" % t.caption)
    ok(t.cols == ["Word", "Votes", "Group", "Status"], "th scope=col: %r" % t.cols)
    ok(len(t.rows) == WORDS, "%d body rows" % len(t.rows))
    ok("script" not in t.tags, "no <script> element: the word is text")
    ok(t.rows and t.rows[4][0] == "<script>alert(1)</script>", "the hostile word reads back as text")
    votes = [float(r[1]) for r in t.rows]
    ok(votes == sorted(votes, reverse=True), "rows sorted by votes")
    ok(t.rows and t.rows[-1] == ["A&E \"quoted\"", "3", "suggested",
                                 "left out: too small: would be 3.7 px, below the 8 px minimum"],
       "dropped word with its reason: %r" % (t.rows[-1] if t.rows else None))

    ok(rows[0] == ["word", "votes", "group", "status"], "csv header")
    ok(len(rows) == WORDS + 1, "csv: %d data rows" % (len(rows) - 1))
    ok(all(len(r) == 4 for r in rows), "csv: 4 fields on every row")
    ok(not any(r[0][:1] in "=+-@\t\r" and r[0] for r in rows), "csv: no cell starts a formula")
    ok(["'=1+2", "40", "chosen", "drawn"] in rows, "csv: =1+2 kept as text '=1+2")
    ok(len(alt) <= 250 and alt.startswith("Word cloud of 545 responses to \u201cWhich three words"),
       "alt text %d chars: %s" % (len(alt), alt))
    return done()


if __name__ == "__main__":
    sys.exit(main())
