#!/usr/bin/env bash
# bad-inputs.sh - the bad-input suite of issue 6, as TAP: for each input
# the exit status, a one-line message that says what is wrong, and that
# nothing was written.  Big inputs are generated here, never committed.
. "$(dirname "$0")/lib.sh"
V=$VOTECLOUD
R=("$V" render -o "$OUT/cloud.png")

# ---- encodings and empty files --------------------------------------------
printf '' > "$T/empty.txt"
printf '\xef\xbb\xbf' > "$T/bom.txt"
expect "empty file" 65 'empty' "$V" count "$T/empty.txt"
expect "BOM-only file" 65 'empty' "$V" count "$T/bom.txt"
expect "empty file (render)" 65 'empty' "${R[@]}" "$T/empty.txt"
tsv overlong.tsv 'alpha\t3\n\xc0\xaf\t1\n'
tsv continuation.tsv 'alpha\t3\nb\x80d\t1\n'
tsv surrogate.tsv 'alpha\t3\n\xed\xa0\x80x\t1\n'
tsv truncated.tsv 'alpha\t3\ncaf\xc3'
tsv utf16.tsv '\xff\xfea\x00\t\x003\x00\n\x00'
tsv nul.tsv 'alpha\t3\nbe\x00ta\t1\n'
expect "invalid UTF-8: overlong" 65 'overlong.tsv:2:.*UTF-8.*0xC0' "$V" count --encoding UTF-8 "$T/overlong.tsv"
expect "invalid UTF-8: lone continuation" 65 'continuation.tsv:2:.*UTF-8.*0x80' "$V" count --encoding UTF-8 "$T/continuation.tsv"
expect "invalid UTF-8: surrogate" 65 'surrogate.tsv:2:.*UTF-8.*0xED' "$V" count --encoding UTF-8 "$T/surrogate.tsv"
expect "invalid UTF-8: truncated" 65 'truncated.tsv:2:.*UTF-8.*0xC3' "$V" count --encoding UTF-8 "$T/truncated.tsv"
run 20 "$V" count "$T/utf16.tsv"
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^a	3	"
ok $? "UTF-16 input with a byte order mark is decoded (exit $rc)"
tsv utf16-odd.tsv '\xff\xfea\x00\t\x003\x00\n'
expect "UTF-16 cut inside a character" 65 'utf16-odd.tsv: byte .* is not valid UTF-16LE' "$V" count "$T/utf16-odd.tsv"
expect "NUL byte" 65 'nul.tsv:2:.*NUL' "$V" count "$T/nul.tsv"
printf 'Word 1,Word 2\nhope,caf\xc3\n' > "$T/bad.csv"
expect "invalid UTF-8 in a survey" 65 'bad.csv:2:.*UTF-8' "$V" count --encoding UTF-8 --columns 'Word 1,Word 2' "$T/bad.csv"
printf 'I hope for \xed\xa0\x80 kindness\n' > "$T/bad.txt"
expect "invalid UTF-8 in text" 65 'bad.txt:1:.*UTF-8.*0xED' "$V" count --encoding utf8 --format text "$T/bad.txt"

# ---- CR-only line ends (old Mac exports): accepted --------------------------
tsv cr.tsv 'alpha\t3\rbeta\t2\r'
run 20 "$V" count "$T/cr.tsv"
printf '%s\n' "$out" | grep -q "^alpha	3	" && printf '%s\n' "$out" | grep -q "^beta	2	"
ok $? "CR-only counts file is read as two lines (exit $rc)"
printf 'Word 1,Word 2\rhope,kindness\rhope,fairness\r' > "$T/cr.csv"
run 20 "$V" count --columns 'Word 1,Word 2' "$T/cr.csv"
printf '%s\n' "$out" | grep -Eq "^hope	2	"
ok $? "CR-only survey is read row by row (exit $rc)"
[ "$rc" -eq 0 ] || printf '%s\n' "$err" | diag

# ---- CSV structure ---------------------------------------------------------
printf 'Word 1,Word 2\nhope,kindness\n"open quote,never closed\nmore\n' > "$T/unterminated.csv"
expect "unterminated quote names its line" 65 'unterminated.csv:3:.*quote' "$V" count --columns 'Word 1,Word 2' "$T/unterminated.csv"

# A 100 MB single field: fails fast on the field limit, in bounded memory.
# Newlines inside the quotes keep every line short, so only the field
# limit applies.
python3 - "$T/huge.csv" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b'Word 1,Word 2\nhope,"')
    chunk = (b"a" * 99 + b"\n") * 10000  # 1 MB
    for _ in range(100):
        f.write(chunk)
    f.write(b'"\n')
PY
max_rss 60 "$V" count --columns 'Word 1,Word 2' "$T/huge.csv"
last=$(printf '%s\n' "$err" | tail -n 1)
[ "$rc" -eq 65 ] && printf '%s' "$last" | grep -q -- '--max-field-bytes'
ok $? "100 MB field: exit $rc, names --max-field-bytes: $last"
# "Fails fast" measured in bytes, not seconds: fed through a pipe, the
# reader stops taking input soon after the 1 MiB field limit (a machine's
# speed never decides this test).
read -r frc fsent <<EOF_FEED
$(python3 - "$V" <<'PY'
import subprocess, sys
p = subprocess.Popen([sys.argv[1], "count", "--format", "survey", "--columns", "Word 1,Word 2", "-"],
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
sent = 0
try:
    p.stdin.write(b'Word 1,Word 2\nhope,"'); sent += 20
    chunk = (b"a" * 99 + b"\n") * 10000
    for _ in range(100):
        p.stdin.write(chunk); sent += len(chunk)
    p.stdin.close()
except BrokenPipeError:
    pass
print(p.wait(), sent)
PY
)
EOF_FEED
[ "$frc" -eq 65 ] && [ "$fsent" -lt $((4 * 1024 * 1024)) ]
ok $? "100 MB field stops reading early: exit $frc after ${fsent} of 100000020 bytes taken"
if [ -n "$rss" ]; then
  [ "$rss" -lt $((150 * 1024 * rss_factor)) ]
  ok $? "100 MB field in bounded memory (peak RSS ${rss} KiB)"
else
  skip "100 MB field memory" "/usr/bin/time missing"
fi
rm -f "$T/huge.csv"

# /dev/zero never ends: the NUL check must stop it quickly.
expect "/dev/zero as input" 65 'NUL' "$V" count --format text /dev/zero
# ... at the first line, not after reading on: memory stays small.
if [ -x /usr/bin/time ]; then
  kb=$(/usr/bin/time -f %M "$V" count --format text /dev/zero 2>&1 >/dev/null | tail -n 1)
  [ "$kb" -lt 100000 ]; ok $? "/dev/zero is refused at its first line (peak ${kb} KB)"
else
  skip "/dev/zero peak memory" "/usr/bin/time missing"
fi

# A FIFO: read like a file, never a hang.
mkfifo "$T/fifo"
( printf 'alpha\t3\nbeta\t1\n' > "$T/fifo" ) &
writer=$!
run 20 "$V" count --format counts "$T/fifo"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
[ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^alpha	3	"
ok $? "a FIFO as input works (exit $rc)"

# A PNG given as text.
mkpng rgb8 "$T/image.png"
expect "PNG given as text" 65 'NUL|UTF-8|binary' "$V" count --format text "$T/image.png"
expect "PNG given as input (detected)" 65 'NUL|UTF-8|binary|PNG|image' "$V" count "$T/image.png"

# ---- fonts ------------------------------------------------------------------
tsv words.tsv 'prevention\t20\nwellbeing\t12\nkindness\t7\nhope\t5\n'
FONT=$SRCDIR/fonts/NotoSans-Bold.ttf
head -c 2000 "$FONT" > "$T/truncated.ttf"
python3 - "$FONT" "$T/corrupt.ttf" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(12, len(d), 7):  # keep the tag table's first bytes, wreck the rest
    d[i] ^= 0xA5
open(sys.argv[2], "wb").write(bytes(d))
PY
printf 'not a font at all\n' > "$T/text.ttf"
expect "truncated font" '6[56]' 'truncated.ttf' "${R[@]}" --font "$T/truncated.ttf" "$T/words.tsv"
expect "corrupt font" '6[56]' 'corrupt.ttf' "${R[@]}" --font "$T/corrupt.ttf" "$T/words.tsv"
expect "text file as font" '6[56]' 'text.ttf' "${R[@]}" --font "$T/text.ttf" "$T/words.tsv"
expect "missing font file" '6[456]' 'nosuch.ttf' "${R[@]}" --font "$T/nosuch.ttf" "$T/words.tsv"
# The Arabic font has no Latin letters, and U+10FFFD is in no font: the
# Latin words fall back; the unknown one is drawn with the fallback or left
# out with a reason, never a crash.
printf 'prevention\t20\n\xf4\x8f\xbf\xbdx\t5\n' > "$T/glyphs.tsv"
run 60 "$V" render --font "$SRCDIR/fonts/NotoSansArabic-Bold.ttf" "$T/glyphs.tsv" -o "$OUT/g.png" --layout-json "$OUT/g.json"
[ "$rc" -eq 0 ] && python3 - "$OUT/g.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
texts = [w["text"] for w in j["words"]] + [w["text"] for w in j["dropped"]]
assert "prevention" in [w["text"] for w in j["words"]], "prevention not drawn"
assert "\U0010FFFDx" in texts, "word without glyphs neither drawn nor listed"
for w in j["dropped"]:
    assert w.get("reason"), w
PY
ok $? "font without the needed glyphs: fallback or a listed reason (exit $rc)"
[ "$rc" -eq 0 ] || printf '%s\n' "$err" | diag
rm -rf "$OUT"; mkdir -p "$OUT"

# ---- masks -------------------------------------------------------------------
for kind in gray16 rgba16 palette interlaced gray8 rgba8; do
  mkpng "$kind" "$T/mask-$kind.png" 120 80
  run 60 "$V" render --mask "$T/mask-$kind.png" --width 240 --height 160 "$T/words.tsv" -o "$OUT/m.png"
  [ "$rc" -eq 0 ] && [ -s "$OUT/m.png" ]
  ok $? "mask $kind works (exit $rc)"
  [ "$rc" -eq 0 ] || printf '%s\n' "$err" | diag
  rm -f "$OUT/m.png"
done
for kind in truncated corrupt-crc corrupt-data; do
  mkpng "$kind" "$T/mask-$kind.png" 120 80
  expect "mask $kind" '6[56]' "mask-$kind.png" "${R[@]}" --mask "$T/mask-$kind.png" "$T/words.tsv"
done
mkpng white "$T/mask-white.png" 120 80
expect "all-white mask" 65 'mask-white.png.*(white|empty|outside|no .*inside|nothing)' "${R[@]}" --mask "$T/mask-white.png" "$T/words.tsv"
cp "$T/words.tsv" "$T/notpng.png"
expect "text file as mask" '6[56]' 'notpng.png' "${R[@]}" --mask "$T/notpng.png" "$T/words.tsv"
expect "missing mask" 66 'nosuch.png' "${R[@]}" --mask "$T/nosuch.png" "$T/words.tsv"

# ---- option values -------------------------------------------------------------
expect "1x1 canvas" 64 '--width.*16' "${R[@]}" --width 1 --height 1 "$T/words.tsv"
expect "negative width" 64 '--width' "${R[@]}" --width -5 "$T/words.tsv"
expect "zero height" 64 '--height' "${R[@]}" --height 0 "$T/words.tsv"
expect "huge width" 64 '--width' "${R[@]}" --width 99999999999999999999 "$T/words.tsv"
expect "NaN scale" 64 '--scale' "${R[@]}" --scale nan "$T/words.tsv"
expect "infinite dpi" 64 '--dpi' "${R[@]}" --dpi inf "$T/words.tsv"
expect "negative padding" 64 '--padding' "${R[@]}" --padding -1 "$T/words.tsv"
expect "zero max-words" 64 '--max-words' "${R[@]}" --max-words 0 "$T/words.tsv"
expect "negative seed" 64 '--seed' "${R[@]}" --seed -1 "$T/words.tsv"
expect "prefer-horizontal above 1" 64 '--prefer-horizontal' "${R[@]}" --prefer-horizontal 1.5 "$T/words.tsv"
expect "NaN min-font-size" 64 '--min-font-size' "${R[@]}" --min-font-size NaN "$T/words.tsv"
expect "zero max-megapixels" 64 '--max-megapixels' "${R[@]}" --max-megapixels 0 "$T/words.tsv"
expect "min greater than max font size" 64 'min-font-size.*max-font-size' "${R[@]}" --min-font-size 50 --max-font-size 10 "$T/words.tsv"
expect "zero max-field-bytes" 64 '--max-field-bytes' "$V" count --max-field-bytes 0 "$T/words.tsv"
expect "negative header-rows" 64 '--header-rows' "$V" count --header-rows -1 "$T/words.tsv"
expect "number with junk" 64 '--width' "${R[@]}" --width 12px "$T/words.tsv"
expect "unknown long option" 64 "unknown option '--bogus'" "${R[@]}" --bogus "$T/words.tsv"
expect "unknown short option" 64 "unknown option '-Z'" "${R[@]}" -Z "$T/words.tsv"
expect "option without its value" 64 'needs a value' "${R[@]}" "$T/words.tsv" --width
expect "render option given to count" 64 'not for this command' "$V" count --width 100 "$T/words.tsv"
expect "no input" 64 'no input' "$V" render -o "$OUT/x.png"
expect "unknown command" 64 "unknown command" "$V" draw "$T/words.tsv"

# ---- where output goes ------------------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  mkdir -p "$T/locked"; chmod 755 "$T/locked"; chmod 644 "$T/words.tsv"
  if setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$VOTECLOUD" 2>/dev/null; then
    run 30 setpriv --reuid=nobody --regid=nogroup --clear-groups "$VOTECLOUD" render "$T/words.tsv" -o "$T/locked/cloud.png"
    last=$(printf '%s\n' "$err" | tail -n 1)
    [ "$rc" -eq 73 ] && printf '%s' "$last" | grep -q 'locked/cloud.png' && [ -z "$(ls -A "$T/locked")" ]
    ok $? "unwritable output folder as nobody: exit $rc: $last"
  else
    skip "unwritable output folder" "nobody cannot run the build ($VOTECLOUD)"
  fi
else
  skip "unwritable output folder as an unprivileged user" "needs root and setpriv"
fi
# Named .png so the output format is known: only the clash can refuse it.
cp "$T/words.tsv" "$T/v.png"
run 30 "$V" render --format counts "$T/v.png" -o "$T/v.png"
cmp -s "$T/words.tsv" "$T/v.png" && [ "$rc" -eq 64 ] && printf '%s' "$err" | grep -Eqi 'same|input'
ok $? "output path equal to the input is refused, input intact (exit $rc)"
printf '%s\n' "$err" | tail -n 1 | diag

# ---- sizes -------------------------------------------------------------------------
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "w%07d\t%d\n", i, 1 + i % 97 }' > "$T/million.tsv"
run 90 "$V" count "$T/million.tsv"
lines=$(printf '%s\n' "$out" | wc -l)
[ "$rc" -eq 0 ] && [ "$lines" -eq 1000001 ]
ok $? "a million distinct words count (exit $rc, $lines lines, ${ms} ms)"
expect "a million words above --max-entries" 65 '--max-entries' "$V" count --max-entries 1000 "$T/million.tsv"
# --max-words keeps the top 300, but the other 999,700 are still sorted and
# listed as left out: bounded time, not a crash or a hang.
run 90 "$V" render "$T/million.tsv" -o "$OUT/million.png" --width 200 --height 120 --max-words 300
if [ "$rc" -eq 0 ]; then
  [ -s "$OUT/million.png" ]; ok $? "a million words render in bounded time (${ms} ms)"
else
  last=$(printf '%s\n' "$err" | tail -n 1)
  [ "$rc" -lt 124 ] && printf '%s' "$last" | grep -q '^votecloud: ' && [ ! -e "$OUT/million.png" ]
  ok $? "a million words: clean error in bounded time (exit $rc, ${ms} ms): $last"
fi
rm -f "$T/million.tsv"; rm -rf "$OUT"; mkdir -p "$OUT"

long=$(printf 'x%.0s' $(seq 1 400))
printf 'prevention\t20\n%s\t10\n' "$long" > "$T/wide.tsv"
run 60 "$V" render "$T/wide.tsv" --width 200 --height 100 -o "$OUT/w.png" --layout-json "$OUT/w.json"
[ "$rc" -eq 0 ] && python3 - "$OUT/w.json" "$long" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
d = [w for w in j["dropped"] if w["text"] == sys.argv[2]]
assert d and d[0]["reason"], j["dropped"]
assert "prevention" in [w["text"] for w in j["words"]]
PY
ok $? "a word wider than the canvas is left out with a reason (exit $rc)"
printf '%s' "$err" | grep -qi 'warning'
ok $? "... and a warning says so"
expect "a word wider than the canvas with --strict" 65 'xxxx|left out|does not fit|strict' "${R[@]}" --strict --width 200 --height 100 "$T/wide.tsv"

done_testing
