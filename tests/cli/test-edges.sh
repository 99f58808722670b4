#!/usr/bin/env bash
# test-edges.sh - the CLI at its edges, speaking TAP: outputs that would
# overwrite inputs or each other, empty and over-long names, batch's failed
# event reasons, worker caps and locks, style and manifest files that are
# not regular files, and messages that never echo control characters.
# Each case checks exit status, message and the files left (none).
. "$SRCDIR/tests/hardening/lib.sh"
V=$VOTECLOUD
tsv words.tsv 'prevention\t20\nwellbeing\t12\nkindness\t7\nhope\t5\n'
W=$T/words.tsv

# ---- no output overwrites an input or another output ------------------------
cp "$W" "$OUT/in.tsv"
expect "count IN -o IN" 64 "-o .*in.tsv is also the input .*in.tsv" \
  "$V" count "$OUT/in.tsv" -o "$OUT/in.tsv"
cmp -s "$W" "$OUT/in.tsv" 2>/dev/null || [ ! -e "$OUT/in.tsv" ]; ok $? "count IN -o IN: input untouched"
printf 'a\n' > "$T/stop.txt"; printf 'care = carers\n' > "$T/syn.txt"; printf 'width = 300\n' > "$T/style.txt"
for pair in "--report:$W" "--report:$T/syn.txt" "--report:$T/stop.txt"; do
  opt=${pair%%:*}; file=${pair#*:}
  sum=$(md5sum < "$file")
  expect "count --report $(basename "$file")" 64 "--report .*$(basename "$file") is also the" \
    "$V" count "$W" --stopwords "$T/stop.txt" --synonyms "$T/syn.txt" "$opt" "$file"
  [ "$(md5sum < "$file")" = "$sum" ]; ok $? "... $(basename "$file") untouched"
done
expect "-o a.png --alt-text a.png" 64 "-o .*a.png and --alt-text .*a.png are the same file" \
  "$V" render "$W" -o "$OUT/a.png" --alt-text "$OUT/a.png"
expect "-o a.svg --layout-json a.svg" 64 "-o .*a.svg and --layout-json .*a.svg are the same file" \
  "$V" render "$W" -o "$OUT/a.svg" --layout-json "$OUT/a.svg"
mkpng gray8 "$T/mask.png" 64 64
sum=$(md5sum < "$T/mask.png")
expect "--mask M.png -o M.png" 64 "-o .*mask.png is also the --mask .*mask.png" \
  "$V" render "$W" --mask "$T/mask.png" -o "$T/mask.png"
[ "$(md5sum < "$T/mask.png")" = "$sum" ]; ok $? "... mask untouched"
expect "-o equal to --style" 64 "--table .*style.txt is also the --style" \
  "$V" render "$W" --style "$T/style.txt" -o "$OUT/x.png" --table "$T/style.txt"
# Device and inode, not names: a hard link and a ./ spelling are caught.
ln "$W" "$T/link.tsv"
expect "output is a hard link to the input" 64 "--report .*link.tsv is also the input" \
  "$V" count "$W" --report "$T/link.tsv"
expect "two spellings of one new output" 64 "are the same file" \
  "$V" render "$W" -o "$OUT/b.png" --alt-text "$OUT/./b.png"

# ---- names ----------------------------------------------------------------------
expect "-o \"\" (render)" 64 "^votecloud: -o: an empty file name" "$V" render "$W" -o ""
expect "-o \"\" (batch)" 64 "^votecloud: -o: an empty folder name" "$V" batch "$W" -o ""
expect "--report \"\"" 64 "--report: an empty file name" "$V" count "$W" --report ""
long=$(printf 'x%.0s' $(seq 1 250)).png
expect "output name near NAME_MAX fails before layout" 64 "file name is 254 bytes; at most 232" \
  "$V" render "$W" -o "$OUT/$long"

# ---- batch -------------------------------------------------------------------------
# The reason an event failed is its real text (it was read after free).
B=$T/batch; mkdir -p "$B"
printf 'prevention\t30\nwellbeing\t20\n' > "$B/tight.tsv"
run 120 "$V" batch --format counts "$B/tight.tsv" -o "$T/bout" --width 16 --height 16 \
  --fit none --max-font-size 500
reason=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"][0]["error"])' \
  "$T/bout/summary.json" 2>&1)
[ "$rc" -eq 65 ] && printf '%s' "$reason" | grep -q "^nothing to draw: all 2 words would be left out; the first is 'prevention': too long to draw"
ok $? "batch failed reason is the real text (exit $rc): $reason"
grep -q "nothing to draw: all 2 words would be left out; the first is &#39;prevention&#39;\|nothing to draw: all 2 words would be left out; the first is 'prevention'" "$T/bout/index.html"; ok $? "... and in index.html"
# A large -j is capped with a warning, and the run completes.
run 300 "$V" batch --format counts "$W" "$B/tight.tsv" -o "$T/bj" -j 1000
printf '%s' "$err" | grep -q 'warning: -j 1000: using 64 workers'; ok $? "-j 1000 capped to 64 with a warning"
[ "$rc" -eq 0 ] && [ -s "$T/bj/words.png" ] && [ -s "$T/bj/tight.png" ]; ok $? "-j 1000 completes (exit $rc)"
run 10 "$V" batch --format counts "$W" -o "$T/bj0" -j 0
[ "$rc" -eq 64 ]; ok $? "-j 0 is a usage error (exit $rc)"

# ---- messages never echo control characters raw -------------------------------
run 10 "$V" render "$T/"$'bell\a\x1b[31mred.tsv' -o "$OUT/x.png"
printf '%s' "$err" | grep -q $'\x1b' ; esc=$?
printf '%s' "$err" | grep -q $'\a' ; bel=$?
[ "$rc" -eq 66 ] && [ "$esc" -ne 0 ] && [ "$bel" -ne 0 ] && printf '%s' "$err" | grep -qF 'bell\x07\x1b[31mred.tsv'
ok $? "ESC and BEL in a file name are escaped: $(printf '%s' "$err" | tr -d '\033\007')"
run 10 "$V" render "$T/"$'\xe2\x80\xaertl.tsv' -o "$OUT/x.png"
printf '%s' "$err" | grep -qF '\u202ertl.tsv'; ok $? "U+202E in a file name is escaped"
# Bytes that are not UTF-8 (an overlong '/', a surrogate, a lone 0xff) are
# shown as bytes; a 4-byte character (U+1F333) as itself.
run 10 "$V" render "$T/"$'\xc0\xaf\xed\xa0\x80\xff\xf0\x9f\x8c\xb3.tsv' -o "$OUT/x.png"
printf '%s' "$err" | grep -qF '\xc0\xaf\xed\xa0\x80\xff'$'\xf0\x9f\x8c\xb3''.tsv'
ok $? "bytes that are not UTF-8 in a file name are escaped, one by one"

# ---- files the CLI reads itself: --style and --manifest ------------------------
mkfifo "$T/fifo"
expect "--style on a FIFO with no writer" 66 "fifo: not a regular file" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/fifo"
expect "--manifest on a FIFO with no writer" 66 "fifo: not a regular file" \
  "$V" batch --manifest "$T/fifo" -o "$OUT/b"
expect "--style /dev/zero" 66 "/dev/zero: not a regular file" \
  "$V" render "$W" -o "$OUT/x.png" --style /dev/zero
head -c 2000000 /dev/zero | tr '\0' '#' > "$T/big.style"
expect "a 2 MB style file" 65 "big.style: larger than 1048576 bytes" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/big.style"
printf 'width = 300\npalette = nh\0s\n' > "$T/nul.style"
expect "NUL in a style line" 65 "nul.style:2: NUL byte" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/nul.style"
printf 'width = 300\n\nwidth = wide\n' > "$T/bad.style"
expect "style value error names FILE:LINE" 64 "bad.style:3: --width: expected a whole number from 16 to 30000, got 'wide'" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/bad.style"
printf '# c\ncolour = red\n' > "$T/key.style"
expect "unknown style key names FILE:LINE" 64 "key.style:2: unknown style key 'colour'" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/key.style"
printf 'legend = maybe\n' > "$T/flag.style"
expect "style flag value names FILE:LINE" 64 "flag.style:1: legend: expected true or false, got 'maybe'" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/flag.style"
printf 'width = 300\nbackground = nope\n' > "$T/colour.style"
expect "a bad colour in a style file names FILE:LINE" 64 "colour.style:2: background: 'nope' is not a colour" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/colour.style"
# Colours are checked where they are given, before any input is read (the
# input here does not exist), and --contrast-against is checked even on an
# opaque background, where it is not used.
expect "--palette checked before the input" 64 "unknown palette \"bogus\"" \
  "$V" render "$T/absent.tsv" -o "$OUT/x.png" --palette bogus
expect "--background checked before the input" 64 "background: 'nope' is not a colour" \
  "$V" batch "$T/absent.tsv" -o "$OUT/b" --background nope
expect "--contrast-against checked on an opaque background" 64 "contrast against: 'x' is not a colour" \
  "$V" render "$W" -o "$OUT/x.png" --contrast-against x
printf 'title = caf\xe9\n' > "$T/latin1.style"
expect "invalid UTF-8 in a style value" 65 "latin1.style:1: invalid UTF-8" \
  "$V" render "$W" -o "$OUT/x.png" --style "$T/latin1.style"
expect "invalid UTF-8 in --title" 64 "--title.*invalid UTF-8" \
  "$V" render "$W" -o "$OUT/x.png" --title $'caf\xe9'
expect "invalid UTF-8 in --question" 64 "--question.*invalid UTF-8" \
  "$V" render "$W" -o "$OUT/x.pdf" --question $'\xc3('
# batch --style inside the output folder is an input: never overwritten.
mkdir -p "$T/bs"; printf 'width = 300\n' > "$T/bs/words.png"
sum=$(md5sum < "$T/bs/words.png")
run 60 "$V" batch --format counts "$W" -o "$T/bs" --style "$T/bs/words.png"
[ "$rc" -eq 64 ] && printf '%s' "$err" | grep -q 'words.png' && [ "$(md5sum < "$T/bs/words.png")" = "$sum" ]
ok $? "batch --style inside the output folder is refused, untouched (exit $rc): $(printf '%s' "$err" | tail -n 1)"

# ---- two batches into one folder: the second is refused, the first's
# files untouched ------------------------------------------------------------
mkdir -p "$T/lk"
if command -v flock >/dev/null; then
  run 60 flock "$T/lk" "$V" batch --format counts "$W" -o "$T/lk"
  [ "$rc" -eq 73 ] && printf '%s' "$err" | grep -q "another votecloud batch is writing to $T/lk" &&
    [ "$(ls -A "$T/lk")" = "" ]
  ok $? "a locked output folder is refused, nothing written (exit $rc): $(printf '%s' "$err" | tail -n 1)"
  run 60 "$V" batch --format counts "$W" -o "$T/lk"
  [ "$rc" -eq 0 ] && [ -s "$T/lk/words.png" ]; ok $? "... and works once the lock is free (exit $rc)"
  [ -z "$(ls -A "$T/lk" | grep '^\.')" ]; ok $? "... leaving no lock file in the published folder"
else
  skip "batch folder lock" "flock(1) missing"
  skip "batch folder lock, after" "flock(1) missing"
fi

# ---- counts beyond the library's limit (VC_MAX_COUNT, 1e15) -----------------
printf 'a\t1e308\nb\t1e308\n' > "$T/huge.tsv"
expect "1e308 votes refused, not summed to inf" 65 "huge.tsv:1: 'a' has 1e\+308 votes; the most one entry may have is 1e\+15" \
  "$V" render "$T/huge.tsv" -o "$OUT/x.png"
printf 'a\t900000000000000\n' > "$T/near.tsv"
expect "a total over inputs beyond the limit is refused" 65 "'a' reaches 1.8e\+15 votes over the inputs" \
  "$V" count "$T/near.tsv" "$T/near.tsv" -o "$OUT/c.tsv"

# ---- batch event names: trimmed, NFC, case-insensitive; readable slugs;
# gallery ids never clash ("x" and "x-h") ------------------------------------
printf 'Event,Word\nKeynsham Area Forum,hope\nKeynsham area forum ,kindness\n  keynsham AREA forum,care\n\320\244\320\276\321\200\321\203\320\274,trust\n\346\235\261\344\272\254,love\nx,a\nx-h,b\n' > "$T/ev.csv"
run 120 "$V" batch "$T/ev.csv" --event-column Event --columns Word -o "$T/evout"
slugs=$(python3 -c 'import json,sys; print(" ".join(e["slug"] for e in json.load(open(sys.argv[1]))["events"]))' "$T/evout/summary.json" 2>&1)
[ "$rc" -eq 0 ] && [ "$slugs" = "keynsham-area-forum forum 68dea76f x x-h" ]
ok $? "one event for three spellings of Keynsham Area Forum; Cyrillic romanised, CJK hashed (exit $rc): $slugs"
dups=$(grep -o ' id="[^"]*"' "$T/evout/index.html" | sort | uniq -d)
[ -z "$dups" ]; ok $? "gallery element ids are unique (events x and x-h): ${dups:-none}"

# ---- invisible and invalid characters fold by the matching rules ----------
printf 'kind\342\200\213ness\t3\nkindness\t2\n\342\200\256kindness\t1\n\357\273\277kindness\t1\ncare\007\t1\ncare\357\277\276\t1\ncare\t1\n' > "$T/zw.tsv"
run 30 "$V" count "$T/zw.tsv"
[ "$rc" -eq 0 ] && [ "$out" = "$(printf 'word\tcount\tgroup\nkindness\t7\tword\ncare\t3\tword')" ]
ok $? "ZWSP, U+202E, U+FEFF, BEL and U+FFFE never split or disguise a word (exit $rc): $(printf '%s' "$out" | tr '\t\n' ' |')"
python3 -c 'import sys; open(sys.argv[1], "w").write(("a" + "\u0301" * 1200 + "\n") * 2 + "hope\n" * 3)' "$T/zalgo.txt"
run 30 "$V" count --format text "$T/zalgo.txt"
marks=$(printf '%s\n' "$out" | sed -n 3p | cut -f1 | python3 -c 'import sys,unicodedata; s=unicodedata.normalize("NFD", sys.stdin.read().strip()); print(sum(1 for c in s if unicodedata.combining(c)))')
[ "$rc" -eq 0 ] && [ "$marks" -le 9 ]; ok $? "1,200 combining marks on one letter are clamped (kept $marks)"
# Relative inputs stay relative in summary.json (no machine paths).
(cd "$T" && run 60 "$V" batch --format counts words.tsv -o relout)
inp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"][0]["input"])' "$T/relout/summary.json" 2>&1)
[ "$inp" = "words.tsv" ]; ok $? "summary.json records the input as given: $inp"

# ---- standard output that cannot be written is an I/O error -----------------
# (inspect's listing and every --help once ended 0 on a full disk: the
# lines were lost and nobody was told.)
for args in "inspect $W" "inspect $W --json" "count $W" "--help" "--version" "render --help"; do
  "$V" $args > /dev/full 2> "$T/full.err"; rc=$?
  [ "$rc" -eq 74 ] && [ "$(cat "$T/full.err")" = 'votecloud: standard output: write error' ]
  ok $? "$(echo "$args" | sed "s|$T/||") > /dev/full: exit $rc, and says so once: $(head -c 80 "$T/full.err")"
done

# ---- all or nothing per render ---------------------------------------------
mkdir -p "$T/aon"; printf 'old' > "$T/aon/old.png"
run 60 "$V" render "$W" -o "$T/aon/old.png" -o "$T/aon/new.svg" -o /dev/full
[ "$rc" -eq 74 ] && [ "$(cat "$T/aon/old.png")" = "old" ] && [ ! -e "$T/aon/new.svg" ] &&
  [ -z "$(ls -A "$T/aon" | grep -v '^old.png$')" ]
ok $? "a failing output leaves no new file and the old one untouched (exit $rc): $(ls -A "$T/aon" | tr '\n' ' ')"
run 60 "$V" render "$W" -o "$T/aon/new.png" --layout-json "$T/aon/new.json" --alt-text /dev/full
[ "$rc" -eq 74 ] && [ ! -e "$T/aon/new.png" ] && [ ! -e "$T/aon/new.json" ]
ok $? "alt text failing last: the image and JSON written before it are not left (exit $rc)"
# --report is one of the run's files: a run that fails leaves none.
run 60 "$V" count "$W" --report "$T/aon/c.json" -o /dev/full
[ "$rc" -eq 74 ] && [ ! -e "$T/aon/c.json" ]
ok $? "count: --report is not left when the counts cannot be written (exit $rc)"
run 60 "$V" render "$W" --report "$T/aon/r.json" -o "$T/aon/r.png" -o /dev/full
[ "$rc" -eq 74 ] && [ ! -e "$T/aon/r.json" ] && [ ! -e "$T/aon/r.png" ]
ok $? "render: --report is not left when an output cannot be written (exit $rc)"
run 60 "$V" render "$W" --strict --min-font-size 60 --report "$T/aon/s.json" -o "$T/aon/s.png"
[ "$rc" -eq 65 ] && [ ! -e "$T/aon/s.json" ]
ok $? "render: --report is not left when --strict refuses the layout (exit $rc)"
run 60 "$V" count "$W" --report "$T/aon/c.json" -o "$T/aon/c.tsv"
[ "$rc" -eq 0 ] && [ -s "$T/aon/c.json" ] && [ -s "$T/aon/c.tsv" ] && [ -z "$(ls -A "$T/aon" | grep '^\.')" ]
ok $? "count: a good run writes --report and the counts, nothing staged left (exit $rc)"
rm -f "$T/aon/c.json" "$T/aon/c.tsv"
run 60 "$V" render "$W" -o "$T/aon/new.png" --layout-json "$T/aon/new.json" --table "$T/aon/t.html"
[ "$rc" -eq 0 ] && [ -s "$T/aon/new.png" ] && [ -s "$T/aon/new.json" ] && [ -s "$T/aon/t.html" ] &&
  [ -z "$(ls -A "$T/aon" | grep '^\.vc-')" ]
ok $? "a good run renames every staged output into place, none left staged (exit $rc)"
# The image, SVG and report are written side by side; --threads 1 writes
# them one after another: the same bytes either way.
run 60 "$V" render "$W" -o "$T/aon/s.png" -o "$T/aon/s.svg" --layout-json "$T/aon/s.json"
rc_side=$rc
run 60 "$V" render "$W" --threads 1 -o "$T/aon/o.png" -o "$T/aon/o.svg" --layout-json "$T/aon/o.json"
[ "$rc_side" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s "$T/aon/s.png" "$T/aon/o.png" &&
  cmp -s "$T/aon/s.svg" "$T/aon/o.svg" && cmp -s "$T/aon/s.json" "$T/aon/o.json"
ok $? "PNG, SVG and report written side by side are the bytes --threads 1 writes (exit $rc_side, $rc)"
# Standard output is written alone, before the staged files.
"$V" render "$W" -o /dev/stdout --layout-json "$T/aon/d.json" > "$T/aon/d.png" 2>"$T/stderr"
rc=$?
[ "$rc" -eq 0 ] && cmp -s "$T/aon/d.png" "$T/aon/s.png" && cmp -s "$T/aon/d.json" "$T/aon/s.json"
ok $? "-o /dev/stdout beside a staged report: standard output holds exactly the PNG (exit $rc)"

# ---- a damaged font is named, not a blank image ---------------------------------
head -c 300000 "$SRCDIR/fonts/NotoSans-Bold.ttf" > "$T/cut.ttf"
expect "a font cut short: exit 65 naming the font" 65 "is the font .*cut.ttf damaged" \
  "$V" render "$W" --font "$T/cut.ttf" -o "$OUT/cut.png"
head -c 20000 "$SRCDIR/fonts/NotoSans-Bold.ttf" > "$T/cut2.ttf"
expect "a font cut shorter: exit 65 naming the font" 65 "cut2.ttf: not a usable font file" \
  "$V" render "$W" --font "$T/cut2.ttf" -o "$OUT/cut2.png"

# ---- colour by group: the legend says what the colours mean --------------------
printf 'word\tcount\tgroup\nhope\t9\tchosen\ncare\t5\tsuggested\ntrust\t3\tchosen\n' > "$T/g.tsv"
run 60 "$V" render "$T/g.tsv" --color-by group --legend --width 600 --height 300 -o "$T/g.svg"
[ "$rc" -eq 0 ] && grep -q '<title>Key: .*Colour: chosen, suggested\.' "$T/g.svg" &&
  [ "$(grep -c '^<g transform=.* fill="#' "$T/g.svg")" -ge 1 ]
ok $? "--color-by group --legend: a key names each colour, drawn in that colour (exit $rc)"
printf 'word\tcount\tgroup\nhope\t9\tchosen\ntrust\t3\tchosen\n' > "$T/g1.tsv"
run 60 "$V" render "$T/g1.tsv" --color-by group --legend --width 600 --height 300 -o "$T/g1.svg"
[ "$rc" -eq 0 ] && ! grep -q 'Colour:' "$T/g1.svg"
ok $? "... and with one group drawn, no colour key (exit $rc)"

done_testing
