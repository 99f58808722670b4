#!/usr/bin/env bash
# csv-safety.sh - what votecloud writes cannot be run by a spreadsheet or a
# browser: TSV/CSV cells starting with = + - @ TAB CR are neutralised, and
# SVG and HTML escape every text.
. "$(dirname "$0")/lib.sh"
V=$VOTECLOUD
printf '%s\t9\n' '=HYPERLINK("http://evil.example/","click")' '+cmd|calc' '-2+3' '@SUM(A1)' \
  '<script>alert(1)</script>' 'Tom & "Jerry"' 'plain' > "$T/evil.tsv"

run 30 "$V" count "$T/evil.tsv"
[ "$rc" -eq 0 ]; ok $? "count of risky words works (exit $rc)"
printf '%s\n' "$out" | tail -n +2 | cut -f1 | grep -Eq $'^[=+@\t\r-]'
[ $? -ne 0 ]; ok $? "no TSV cell begins with = + - @ TAB CR"
printf '%s\n' "$out" | grep -q 'HYPERLINK'; ok $? "the words are still there"
printf '%s\n' "$out" | grep -q '^plain	'; ok $? "ordinary words unchanged"

run 60 "$V" render "$T/evil.tsv" --title '<script>alert(2)</script>' -o "$T/c.svg" --table "$T/t.csv" --table "$T/t.html" --alt-text "$T/alt.txt"
[ "$rc" -eq 0 ]; ok $? "render with SVG, CSV and HTML outputs works (exit $rc)"
[ "$rc" -eq 0 ] || printf '%s\n' "$err" | diag
python3 - "$T/t.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
assert len(rows) >= 8, rows
for row in rows:
    for cell in row:
        assert not cell or cell[0] not in "=+-@\t\r", repr(cell)
assert any("HYPERLINK" in c for r in rows for c in r)
PY
ok $? "no --table CSV cell begins with = + - @ TAB CR"
python3 - "$T/c.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
raw = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in raw.lower(), "raw <script> in SVG"
root = ET.fromstring(raw)
texts = " ".join(t for t in root.itertext())
assert "<script>alert(1)</script>" in texts, "word not in any <title>/<desc>"
assert "<script>alert(2)</script>" in texts, "title not kept as text"
assert 'Tom & "Jerry"' in texts
PY
ok $? "SVG is well-formed and carries the words only as escaped text"
python3 - "$T/t.html" <<'PY'
import sys, html.parser
raw = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in raw.lower(), "raw <script> in HTML"
class P(html.parser.HTMLParser):
    text = ""
    def handle_data(self, d): self.text += d
p = P(); p.feed(raw)
assert "<script>alert(1)</script>" in p.text
assert 'Tom & "Jerry"' in p.text
PY
ok $? "HTML table escapes every word"

done_testing
