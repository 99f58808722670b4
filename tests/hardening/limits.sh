#!/usr/bin/env bash
# limits.sh - every resource limit gives a clear error that names the limit
# and the option that raises it, before the work (or the memory) is spent.
. "$(dirname "$0")/lib.sh"
V=$VOTECLOUD
R=("$V" render -o "$OUT/cloud.png")
tsv words.tsv 'prevention\t20\nwellbeing\t12\nkindness\t7\nhope\t5\n'

# Canvas pixels: 30000 x 30000 = 900 megapixels > 100.
expect "canvas above 100 megapixels" 64 '--max-megapixels' "${R[@]}" --width 30000 --height 30000 "$T/words.tsv"
# Refused before the canvas is allocated: 900 megapixels would be gigabytes.
if [ -x /usr/bin/time ]; then
  kb=$(/usr/bin/time -f %M "${R[@]}" --width 30000 --height 30000 "$T/words.tsv" 2>&1 >/dev/null | tail -n 1)
  [ "$kb" -lt 200000 ]; ok $? "refused before allocating (peak ${kb} KB)"
else
  skip "refused before allocating" "/usr/bin/time missing"
fi
# Under the limit but too tall or wide for the spiral's up-front tables
# (36 megapixels): the tables grow as the spiral goes (this crashed).
for size in "1200 30000" "30000 1200"; do
  set -- $size
  works "a ${1}x${2} canvas is drawn" "${R[@]}" --width "$1" --height "$2" "$T/words.tsv"
  dims=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]))' "$OUT/cloud.png" 2>/dev/null)
  [ "$dims" = "${1}x${2}" ]; ok $? "... a ${dims:-missing} PNG"
done
expect "--scale counts towards the limit" 64 '--max-megapixels' "${R[@]}" --width 8000 --height 8000 --scale 2 "$T/words.tsv"
expect "a lowered limit" 64 '--max-megapixels' "${R[@]}" --width 2000 --height 2000 --max-megapixels 1 "$T/words.tsv"

# Mask dimensions are checked from the header, before decoding: this PNG
# says 100000 x 100000 (10 gigapixels) in 476 bytes.
mkpng bomb "$T/bomb.png"
max_rss 30 "${R[@]}" --mask "$T/bomb.png" "$T/words.tsv"
last=$(printf '%s\n' "$err" | tail -n 1)
[ "$rc" -eq 65 ] || [ "$rc" -eq 64 ]
ok $? "decompression bomb mask refused (exit $rc): $last"
printf '%s' "$last" | grep -q 'bomb.png' && printf '%s' "$last" | grep -q -- '--max-megapixels'
ok $? "... naming the file and --max-megapixels"
printf '%s' "$last" | grep -q '100000'
ok $? "... and the size it claims"
if [ -n "$rss" ]; then
  [ "$rss" -lt $((120 * 1024 * rss_factor)) ]; ok $? "... in low memory (peak RSS ${rss} KiB)"
fi
[ -z "$(ls -A "$OUT")" ]; ok $? "... writing nothing"

# A 32x20 mask whose sPLT chunk claims 1.7 GB (found by fuzzing: libpng
# allocated what the chunk claimed): skipped unread, in low memory.
max_rss 30 "${R[@]}" --mask "$SRCDIR/tests/fuzz/crashes/mask/oom-a76d85c7f5c27f304dfdf3be91de63d00d43635c" "$T/words.tsv"
[ "$rc" -eq 65 ]; ok $? "a mask with a chunk claiming 1.7 GB is refused (exit $rc)"
if [ -n "$rss" ]; then
  [ "$rss" -lt $((120 * 1024 * rss_factor)) ]; ok $? "... in low memory (peak RSS ${rss} KiB)"
fi

# Field length.
printf 'Word 1,Word 2\nhope,"%s"\n' "$(printf 'y%.0s' $(seq 1 300))" > "$T/field.csv"
expect "field above --max-field-bytes" 65 'field.csv:2:.*--max-field-bytes' "$V" count --columns 'Word 1,Word 2' --max-field-bytes 100 "$T/field.csv"
works "the same field under a raised limit" "$V" count --columns 'Word 1,Word 2' --max-field-bytes 1000 "$T/field.csv"

# Line length.
printf 'alpha\t1\n%s\t2\n' "$(printf 'z%.0s' $(seq 1 300))" > "$T/line.tsv"
expect "line above --max-line-bytes" 65 'line.tsv:2:.*--max-line-bytes' "$V" count --max-line-bytes 100 "$T/line.tsv"
printf 'once upon a time %s\n' "$(printf 'word%.0s ' $(seq 1 100))" > "$T/line.txt"
expect "text line above --max-line-bytes" 65 'line.txt:1:.*--max-line-bytes' "$V" count --format text --max-line-bytes 100 "$T/line.txt"
works "the same line under a raised limit" "$V" count --max-line-bytes 1000 "$T/line.tsv"

# Distinct entries.
awk 'BEGIN { for (i = 0; i < 50; i++) printf "w%d\t1\n", i }' > "$T/many.tsv"
expect "entries above --max-entries" 65 '--max-entries' "$V" count --max-entries 10 "$T/many.tsv"
works "exactly at --max-entries" "$V" count --max-entries 50 "$T/many.tsv"

# A layout that cannot place its words gives up in bounded time.
awk 'BEGIN { for (i = 0; i < 300; i++) printf "word%d\t%d\n", i, 300 - i }' > "$T/crowd.tsv"
run 60 "$V" render "$T/crowd.tsv" --width 16 --height 16 --min-font-size 1 -o "$OUT/tiny.png" --layout-json "$OUT/tiny.json"
[ "$rc" -eq 0 ]
ok $? "300 words on a 16x16 canvas finish within run's limit (exit $rc)"
[ "$rc" -eq 0 ] && python3 - "$OUT/tiny.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert len(j["words"]) + len(j["dropped"]) == 300
assert all(d["reason"] for d in j["dropped"])
PY
ok $? "... every word drawn or listed with a reason"
rm -rf "$OUT"; mkdir -p "$OUT"
run 60 "$V" render "$T/crowd.tsv" --rotate 0,45,90 --fit none --max-font-size 200 --width 64 --height 64 -o "$OUT/tiny.png"
# Nothing drawable at that size is an error (issue 17), and no image is left.
[ "$rc" -eq 65 ] && [ ! -e "$OUT/tiny.png" ]
ok $? "fit none at a size nothing fits finishes: exit 65, no image (exit $rc)"
expect "--strict when words cannot be placed" 65 'strict|left out|fit' "${R[@]}" --strict --width 16 --height 16 "$T/crowd.tsv"

done_testing
