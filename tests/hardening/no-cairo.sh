#!/usr/bin/env bash
# no-cairo.sh - cairo is opened only by what draws with it: with a cairo
# that lacks its functions first on the library path (FAKE_CAIRO_DIR), a
# PDF fails with one clear line, exit 70 and no output, while PNG and SVG,
# which never load cairo, are drawn as usual.
. "$(dirname "$0")/lib.sh"
: "${FAKE_CAIRO_DIR:?set FAKE_CAIRO_DIR to the folder of the fake libcairo.so.2}"
V=$VOTECLOUD
tsv words.tsv 'prevention\t20\nwellbeing\t12\nkindness\t7\nhope\t5\n'
export LD_LIBRARY_PATH=$FAKE_CAIRO_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

expect "PDF with a cairo that lacks cairo_create" 70 \
  'cannot use cairo \(needed for PDF, charts and some fonts\): the libcairo\.so\.2 found has no cairo_create; cairo 1\.16 or later is needed' \
  "$V" render "$T/words.tsv" -o "$OUT/c.png" -o "$OUT/c.pdf" --layout-json "$OUT/c.json"
expect "two PDFs failing side by side, beside an image and the report: one line" 70 \
  'has no cairo_create; cairo 1\.16 or later is needed$' \
  "$V" render "$T/words.tsv" -o "$OUT/a.pdf" -o "$OUT/c.png" -o "$OUT/b.pdf" --layout-json "$OUT/c.json"
expect "a pack (its chart is drawn with cairo) with that cairo" 70 'has no cairo_create' \
  "$V" render "$T/words.tsv" --pack "$OUT/pack"

rm -rf "$OUT"; mkdir -p "$OUT"
run 60 "$V" render "$T/words.tsv" -o "$OUT/c.png" -o "$OUT/c.svg" --layout-json "$OUT/c.json"
[ "$rc" -eq 0 ] && [ -s "$OUT/c.png" ] && [ -s "$OUT/c.svg" ] && [ -s "$OUT/c.json" ]
ok $? "PNG, SVG and the report need no cairo: drawn with the fake first on the path (exit $rc)"

done_testing
