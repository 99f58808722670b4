#!/usr/bin/env bash
# `votecloud batch` end to end, speaking TAP: good and broken events, exit
# status, files, summary.json, byte-identical output whatever -j is, one
# scale with --same-scale, manifests, --event-column, slugs, style files,
# refusals before any work, and no temporary files left behind.
set -u
vc=${VOTECLOUD:?VOTECLOUD must name the votecloud binary}
py=/usr/bin/python3
command -v "$py" >/dev/null || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() { # condition-status description
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        fails=$((fails + 1))
    fi
}
# json FILE EXPR: evaluates a Python expression over the parsed file `j`.
json() {
    "$py" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>&1
}
is() { # got want description
    if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}

# ---- inputs -----------------------------------------------------------------
in=$tmp/in
mkdir -p "$in"
printf 'prevention\t30\nwellbeing\t20\napple\t10\nkindness\t5\n' > "$in/North Forum.tsv"
printf 'community\t50\nhomes\t25\napple\t10\nlisten\t10\ntrust\t4\n' > "$in/south.tsv"
printf 'care\t12\napple\t10\nvoice\t3\n' > "$in/youth.tsv"
printf 'broken\t-3\n' > "$in/bad.tsv"
: > "$in/empty.tsv"

# ---- a mix of good and broken events --------------------------------------------
out=$tmp/mixed
"$vc" batch --format counts "$in/North Forum.tsv" "$in/missing.tsv" "$in/bad.tsv" \
    "$in/south.tsv" "$in/empty.tsv" -o "$out" -j2 >"$tmp/mixed.out" 2>"$tmp/mixed.err"
rc=$?
is "$rc" 66 "exit status is the first failed event's (missing file: 66)"
for slug in north-forum south; do
    for ext in png svg json txt; do
        test -s "$out/$slug.$ext"
        ok $? "good event $slug has $slug.$ext"
    done
done
bad_files=$(ls "$out" | grep -E '^(missing|bad|empty)\.' | tr '\n' ' ')
is "$bad_files" "" "failed events wrote no files"
test -s "$out/index.html" && test -s "$out/summary.json"
ok $? "index.html and summary.json are written despite failures"
is "$(json "$out/summary.json" '[e["slug"]+":"+e["status"] for e in j["events"]]')" \
   "['north-forum:ok', 'missing:failed', 'bad:failed', 'south:ok', 'empty:failed']" \
   "summary.json: every event's status, in event order"
is "$(json "$out/summary.json" '[e["exit_status"] for e in j["events"]]')" "[0, 66, 65, 0, 65]" \
   "summary.json: missing file is 66, invalid and empty data are 65"
is "$(json "$out/summary.json" 'all(e["error"] for e in j["events"] if e["status"]=="failed") and all(e["error"] is None for e in j["events"] if e["status"]=="ok")')" \
   "True" "summary.json: failed events carry their error, good ones null"
is "$(json "$out/summary.json" '[e["words_drawn"]+e["words_left_out"] for e in j["events"] if e["status"]=="ok"]')" \
   "[4, 5]" "summary.json: drawn + left out covers every word"
is "$(json "$out/summary.json" '[e["outputs"] for e in j["events"]][3]')" \
   "['south.png', 'south.svg', 'south.json', 'south.txt']" "summary.json lists the outputs"
for ev in missing bad empty; do
    grep -q "^votecloud: $ev: ." "$tmp/mixed.err"
    ok $? "one stderr line 'votecloud: $ev: ...'"
done
is "$(grep -c '^votecloud: \(missing\|bad\|empty\):' "$tmp/mixed.err")" 3 "exactly one line per failed event"
grep -q 'class="event failed"' "$out/index.html" && grep -q 'Failed: ' "$out/index.html"
ok $? "index.html shows the failed events with their error"
is "$(grep -c '<img src="' "$out/index.html")" 2 "index.html has one image per good event"
is "$(find "$tmp" -name '*.tmp-*' | wc -l | tr -d ' ')" 0 "no temporary files remain after failures"
grep -q $'\r' "$tmp/mixed.err"
ok $(( ! $? )) "no progress bar when stderr is not a terminal"
alt=$(cat "$out/south.txt")
test -n "$alt" && grep -qF "alt=\"" "$out/index.html"
ok $? "alt text written to .txt and used as the image's alt"

# ---- the same batch at -j1 and -j4: identical bytes --------------------------------
"$vc" batch --format counts "$in/North Forum.tsv" "$in/south.tsv" "$in/youth.tsv" \
    "$in/bad.tsv" -o "$tmp/j1" -j1 2>/dev/null
rc1=$?
(umask 022 && "$vc" batch --format counts "$in/North Forum.tsv" "$in/south.tsv" \
    "$in/youth.tsv" "$in/bad.tsv" -o "$tmp/j4" -j4 2>/dev/null)
rc4=$?
is "$rc1/$rc4" "65/65" "-j1 and -j4 give the same exit status"
is "$(ls "$tmp/j1" | tr '\n' ' ')" "$(ls "$tmp/j4" | tr '\n' ' ')" "-j1 and -j4 write the same files"
same=0
count=0
for f in "$tmp/j1"/*; do
    count=$((count + 1))
    cmp -s "$f" "$tmp/j4/$(basename "$f")" || { same=1; echo "# differs: $(basename "$f")"; }
done
test "$count" -ge 14
ok $? "-j1 wrote all 14 files (3 events x 4 + index + summary), got $count"
ok $same "-j1 and -j4 give byte-identical files"
# Outputs are for publishing: written by 4 threads at once, each still
# honours the umask (no file writable by group or others, none private).
modes=$(stat -c '%a' "$tmp/j4"/* | sort -u | tr '\n' ' ')
is "$modes" "644 " "-j4 output files all have mode 644 under umask 022"

# ---- --same-scale -------------------------------------------------------------------
fs='[w["font_size"] for w in j["words"] if w["text"]=="apple"]'
"$vc" batch --format counts "$in/North Forum.tsv" "$in/south.tsv" "$in/youth.tsv" \
    -o "$tmp/same" --same-scale -q
is "$?" 0 "--same-scale batch succeeds"
a=$(json "$tmp/same/north-forum.json" "$fs")
b=$(json "$tmp/same/south.json" "$fs")
c=$(json "$tmp/same/youth.json" "$fs")
is "$a|$b" "$c|$c" "--same-scale: 10 votes have one font size in every event ($a $b $c)"
"$py" - "$tmp/same" <<'EOF'
import json, sys, os
d = sys.argv[1]
# font_size = scale x votes for every drawn word of every event, with the
# one scale summary.json states (the layout report rounds to 0.001 px).
scale = json.load(open(os.path.join(d, "summary.json")))["same_scale"]
bad = [(slug, w["text"], w["font_size"], scale * w["count"])
       for slug in ("north-forum", "south", "youth")
       for w in json.load(open(os.path.join(d, slug + ".json")))["words"]
       if abs(w["font_size"] - scale * w["count"]) > 0.001]
print("# off the shared scale:", bad[:5]) if bad else None
sys.exit(1 if bad or not scale else 0)
EOF
ok $? "--same-scale: font size = the one stated scale x votes, for every word of every event"
is "$(json "$tmp/same/summary.json" 'j["same_scale"] is not None and j["same_scale"] > 0')" "True" \
   "--same-scale: summary.json states the scale"
grep -q 'same scale' "$tmp/same/index.html"
ok $? "--same-scale: the gallery states the scale"
"$vc" batch --format counts "$in/North Forum.tsv" "$in/youth.tsv" -o "$tmp/own" -q
a=$(json "$tmp/own/north-forum.json" "$fs")
c=$(json "$tmp/own/youth.json" "$fs")
test "$a" != "$c"
ok $? "without --same-scale each event fits alone (10 votes: $a vs $c)"

# ---- a manifest with titles, quoting and relative inputs ---------------------------
mkdir -p "$tmp/man/data"
cp "$in/south.tsv" "$tmp/man/data/s.tsv"
cp "$in/youth.tsv" "$tmp/man/data/y.tsv"
printf '\xef\xbb\xbfevent,input,title\r\n' > "$tmp/man/events.csv"
printf '"South, central",data/s.tsv,"South area forum, ""open"" session"\r\n' >> "$tmp/man/events.csv"
printf 'Youth <Parliament>,data/y.tsv,\r\n' >> "$tmp/man/events.csv"
(cd "$tmp" && "$vc" batch --format counts --manifest man/events.csv -o "$tmp/manout" -q)
is "$?" 0 "manifest batch succeeds from another folder (inputs relative to the manifest)"
is "$(json "$tmp/manout/summary.json" '[(e["event"], e["title"], e["slug"]) for e in j["events"]]')" \
   "[('South, central', 'South area forum, \"open\" session', 'south-central'), ('Youth <Parliament>', 'Youth <Parliament>', 'youth-parliament')]" \
   "manifest: quoted fields, titles (empty title: the event name) and slugs"
grep -qF 'South area forum, &quot;open&quot; session' "$tmp/manout/index.html" &&
    grep -qF 'Youth &lt;Parliament&gt;' "$tmp/manout/index.html" &&
    ! grep -qF '<Parliament>' "$tmp/manout/index.html"
ok $? "index.html escapes titles"
printf 'event,input\n"unterminated,data/s.tsv\n' > "$tmp/man/broken.csv"
"$vc" batch --manifest "$tmp/man/broken.csv" -o "$tmp/brokenout" 2>"$tmp/broken.err"
rc=$?
is "$rc" 65 "a malformed manifest is refused with 65"
grep -q 'broken.csv:2: quoted field is never closed' "$tmp/broken.err"
ok $? "the manifest error names file and line"
test ! -e "$tmp/brokenout"
ok $? "nothing is created when the manifest is refused"

# ---- --event-column ------------------------------------------------------------------
cat > "$tmp/survey.csv" <<'EOF'
Respondent,Event,Word 1,Word 2
1,Design Day,kindness,trust
2,Area Forum,homes,kindness
3,Design Day,kindness,listen
4,Youth Parliament,voice,trust
5,Area Forum,homes,care
6,Design Day,trust,care
EOF
"$vc" batch "$tmp/survey.csv" --format survey --columns "Word 1,Word 2" \
    --event-column Event -o "$tmp/col" -q
is "$?" 0 "--event-column batch succeeds"
is "$(json "$tmp/col/summary.json" '[(e["slug"], e["status"], e["respondents"]) for e in j["events"]]')" \
   "[('design-day', 'ok', 3), ('area-forum', 'ok', 2), ('youth-parliament', 'ok', 1)]" \
   "--event-column: events in order of appearance, respondents split"
is "$(json "$tmp/col/design-day.json" 'sorted((w["text"], w["count"]) for w in j["words"])')" \
   "[('care', 1), ('kindness', 2), ('listen', 1), ('trust', 2)]" \
   "--event-column: each event counts only its own respondents"

# ---- slugs -------------------------------------------------------------------------------
mkdir -p "$tmp/slug"
cp "$in/youth.tsv" "$tmp/slug/Area Forum.tsv"
cp "$in/youth.tsv" "$tmp/slug/area-forum!.tsv"
cp "$in/youth.tsv" "$tmp/slug/Summary.tsv"
cp "$in/youth.tsv" "$tmp/slug/Café Ñandú.tsv"
cp "$in/youth.tsv" "$tmp/slug/জরিপ.tsv"
"$vc" batch --format counts "$tmp/slug/Area Forum.tsv" "$tmp/slug/area-forum!.tsv" \
    "$tmp/slug/Summary.tsv" "$tmp/slug/Café Ñandú.tsv" "$tmp/slug/জরিপ.tsv" -o "$tmp/slugout" -q
is "$?" 0 "slug batch succeeds"
is "$(json "$tmp/slugout/summary.json" '[e["slug"] for e in j["events"]]')" \
   "['area-forum', 'area-forum-2', 'summary-2', 'cafe-nandu', '7277e448']" \
   "slugs: unique in event order, never 'summary', transliterated, a hash for a script with no romanisation (never 'event')"
test -s "$tmp/slugout/area-forum.png" && test -s "$tmp/slugout/area-forum-2.png"
ok $? "both 'Area Forum' and 'area-forum!' have their own image"

# ---- style file, overridden by the command line ---------------------------------------------
printf '# house style\nwidth = 400\nheight = 300\nbackground = #fafafa\n' > "$tmp/style.conf"
"$vc" batch --format counts "$in/youth.tsv" --style "$tmp/style.conf" --height 250 -o "$tmp/styled" -q
is "$?" 0 "styled batch succeeds"
is "$(json "$tmp/styled/youth.json" '(j["width"], j["height"])')" "(400, 250)" \
   "style file applies (width 400), the command line wins (height 250)"

# ---- refusals before any work ---------------------------------------------------------------
printf 'x' > "$tmp/afile"
"$vc" batch --format counts "$in/youth.tsv" -o "$tmp/afile" 2>"$tmp/afile.err"
is "$?" 73 "an OUTDIR that is a file is refused (73)"
# Free-text notes.txt in the output folder: its alt text would be notes.txt.
mkdir -p "$tmp/clash"
printf 'Listen to carers. Care closer to home. Listen more.\n' > "$tmp/clash/notes.txt"
cp "$tmp/clash/notes.txt" "$tmp/notes.orig"
"$vc" batch "$in/youth.tsv" "$tmp/clash/notes.txt" -o "$tmp/clash" 2>"$tmp/clash.err"
is "$?" 64 "an output that is an input is refused (64)"
cmp -s "$tmp/clash/notes.txt" "$tmp/notes.orig"
ok $? "the input is untouched"
test ! -e "$tmp/clash/youth.png" && test ! -e "$tmp/clash/summary.json"
ok $? "nothing is written when refused"
grep -q 'notes.txt' "$tmp/clash.err"
ok $? "the refusal names the path"
"$vc" batch --format counts --manifest "$tmp/man/events.csv" "$in/youth.tsv" -o "$tmp/both" 2>/dev/null
is "$?" 64 "--manifest with input files is refused"

# ---- an old image stays until its replacement is complete ------------------------------------
cp "$tmp/j1/youth.png" "$tmp/old.png"
cp "$in/bad.tsv" "$tmp/youth.tsv"
"$vc" batch --format counts "$tmp/youth.tsv" -o "$tmp/j1" -q 2>/dev/null
is "$?" 65 "re-running with broken data fails"
cmp -s "$tmp/old.png" "$tmp/j1/youth.png"
ok $? "the previous youth.png is left intact"
is "$(find "$tmp" -name '*.tmp-*' | wc -l | tr -d ' ')" 0 "still no temporary files"

# ---- an event's files are all or nothing ------------------------------------------------------
# Its SVG cannot be written (the name links to /dev/full, a disk that is
# always full): the event fails naming that file, and none of its files of
# this run replaces the last run's, not even the PNG written before it.
aon=$tmp/aon
mkdir -p "$aon-in"
printf 'care\t12\napple\t10\nvoice\t3\n' > "$aon-in/youth.tsv"
cp "$in/North Forum.tsv" "$aon-in/north.tsv"
"$vc" batch --format counts "$aon-in/north.tsv" "$aon-in/youth.tsv" -o "$aon" -q 2>/dev/null
is "$?" 0 "all or nothing: the first run draws both events"
for ext in png json txt; do cp "$aon/youth.$ext" "$tmp/aon-old.$ext"; done
rm "$aon/youth.svg"
ln -s /dev/full "$aon/youth.svg"
printf 'care\t3\napple\t10\nvoice\t12\n' > "$aon-in/youth.tsv"
"$vc" batch --format counts "$aon-in/north.tsv" "$aon-in/youth.tsv" -o "$aon" 2>"$tmp/aon.err"
is "$?" 74 "all or nothing: an event whose SVG cannot be written fails (I/O error: 74)"
grep -q "^votecloud: youth: $aon/youth.svg: SVG output: cannot write: No space left on device\$" "$tmp/aon.err"
ok $? "all or nothing: the error names the user's file, not a staged name"
same=0
for ext in png json txt; do cmp -s "$tmp/aon-old.$ext" "$aon/youth.$ext" || same=1; done
ok $same "all or nothing: the last run's youth.png, .json and .txt are left as they were"
is "$(json "$aon/summary.json" '[(e["slug"], e["status"], e["outputs"]) for e in j["events"]]')" \
   "[('north', 'ok', ['north.png', 'north.svg', 'north.json', 'north.txt']), ('youth', 'failed', [])]" \
   "all or nothing: summary.json lists no outputs for the failed event"
is "$(find "$aon" -name '.vc-*' -o -name '*.tmp-*' | wc -l | tr -d ' ')" 0 \
   "all or nothing: no staged or temporary file is left"

# ---- a word drawn with a box is named per event ----------------------------------------------
printf 'care\t5\nx\xe0\xa6\xb3y\t3\n' > "$tmp/boxes.tsv"
"$vc" batch --format counts "$tmp/boxes.tsv" "$in/youth.tsv" -o "$tmp/boxes" 2>"$tmp/boxes.err"
is "$?" 0 "an event with a word drawn with a box still succeeds"
is "$(grep -c 'drawn with a box' "$tmp/boxes.err")" 1 "one box warning, for that event only"
grep -qx 'votecloud: warning: boxes: 1 word drawn with a box for a character no font here has (marked "undrawable" in boxes.json)' "$tmp/boxes.err"
ok $? "the warning names the event, the count and the report: $(grep box "$tmp/boxes.err")"
is "$(json "$tmp/boxes/boxes.json" "[w.get('undrawable') for w in j['words']]")" "[None, 'U+09B3']" \
   "the event's report marks the word"
is "$(json "$tmp/boxes/summary.json" "[(e['event'], e['undrawable']) for e in j['events']]")" \
   "[('boxes', [{'text': 'x\u09b3y', 'character': 'U+09B3'}]), ('youth', [])]" \
   "summary.json lists each event's words drawn with a box ([] for none)"
grep -c 'role="note"' "$tmp/boxes/index.html" | grep -qx 1 &&
    grep -q $'1 word is drawn with a box in place of a character no font here has: \u201cx\xe0\xa6\xb3y\u201d (U+09B3)\\.' \
        "$tmp/boxes/index.html"
ok $? "the gallery page names the word and character, under that event only"

# ---- the progress bar on a terminal ----------------------------------------------------------
if command -v script >/dev/null; then
    script -qec "'$vc' batch --format counts '$in/youth.tsv' '$in/south.tsv' -o '$tmp/tty'" /dev/null \
        >"$tmp/tty.log" 2>&1
    grep -q 'events, 0 failed' "$tmp/tty.log"
    ok $? "a progress bar is drawn when stderr is a terminal"
else
    n=$((n + 1)); echo "ok $n # SKIP script(1) not available"
fi

echo "1..$n"
exit 0
