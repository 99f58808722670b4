#!/usr/bin/env bash
# Renders every example image from its inputs (run by `bash .ci/setup examples`).
# The images are committed; the same inputs and seed give the same bytes.
set -euo pipefail
vc=${1:-votecloud}
case "$vc" in */*) vc=$(cd "$(dirname "$vc")" && pwd)/$(basename "$vc") ;; esac
cd "$(dirname "$0")"

# The consultation: three words chosen from the vision by 545 (synthetic)
# respondents, plus words they said were missing.
"$vc" count consultation.csv --columns "Word 1,Word 2,Word 3" \
  --free-text-columns "Any words missing?" --vocabulary vocabulary.txt \
  --merge-plurals --report consultation-merges.json > consultation-counts.tsv
"$vc" render consultation.csv --columns "Word 1,Word 2,Word 3" \
  --free-text-columns "Any words missing?" --vocabulary vocabulary.txt \
  --merge-plurals --style house-style.conf --color-by group --legend \
  --title "Healthier Together: the words that matter most" \
  -o consultation.png -o consultation.svg -o consultation.pdf \
  --layout-json consultation-layout.json

# The publish pack of the same consultation (issue 15): cloud, bar chart,
# long description and method note, data and index.html; the date is
# fixed so the pack's bytes repeat.
rm -rf consultation-pack
SOURCE_DATE_EPOCH=1764547200 "$vc" render consultation.csv --columns "Word 1,Word 2,Word 3" \
  --free-text-columns "Any words missing?" --vocabulary vocabulary.txt \
  --merge-plurals --style house-style.conf --color-by group --legend \
  --title "Healthier Together: the words that matter most" \
  --question "Which three words matter most?" --pack consultation-pack -q

# Words in English, Bengali, Arabic, Urdu and Polish.
"$vc" render multilingual.tsv --style house-style.conf --width 900 --height 500 \
  -o multilingual.png -o multilingual.svg

# One cloud per engagement event, in the same house style, with a gallery
# page (events/out/index.html) to review before publishing; --same-scale
# makes 10 votes the same size in every cloud, with a key saying so.
"$vc" batch --manifest events/events.csv --style house-style.conf --same-scale \
  -o events/out -q

echo "examples rendered in $(pwd)"
