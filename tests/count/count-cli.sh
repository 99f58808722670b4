#!/bin/sh
# count-cli.sh - `votecloud count` end to end: the messy Forms export with
# every count asserted, SurveyMonkey's two header rows, re-counting our own
# output exactly, spreadsheet-formula cells, the merge report, a real book,
# and every bad input (message, exit status, nothing written).
set -u
V=${VOTECLOUD:?}
D=${SRCDIR:?}/tests/count/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
    shift
    for line in "$@"; do echo "# $line"; done
}
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
    desc=$1; shift
    if "$@"; then ok "$desc"; else not_ok "$desc" "failed: $*"; fi
}
# same_file DESCRIPTION GOT EXPECTED
same_file() {
    if cmp -s "$2" "$3"; then ok "$1"; else
        not_ok "$1" "$(diff "$3" "$2" | head -20 | tr '\n' '|')"
    fi
}

# bad DESCRIPTION STATUS MESSAGE-SUBSTRING ARGS...: the run fails with
# STATUS, prints one line containing MESSAGE on stderr and nothing on stdout.
bad() {
    desc=$1 want_rc=$2 want_msg=$3; shift 3
    "$V" count "$@" >"$T/out" 2>"$T/err"
    rc=$?
    lines=$(wc -l <"$T/err")
    if [ "$rc" -eq "$want_rc" ] && [ ! -s "$T/out" ] && [ "$lines" -eq 1 ] &&
       grep -qF -- "$want_msg" "$T/err"; then
        ok "$desc (exit $rc)"
    else
        not_ok "$desc" "exit $rc (want $want_rc), stdout $(wc -c <"$T/out") bytes" \
            "stderr: $(cat "$T/err")" "want: $want_msg"
    fi
}

# ---- the messy Forms export --------------------------------------------
"$V" count "$D/forms-export.csv" --columns "Word 1,Word 2,Word 3,Values (pick any)" \
    --free-text-columns "Any words missing?" --vocabulary "$D/vision.txt" \
    --report "$T/report.json" >"$T/forms.tsv" 2>"$T/forms.err"
check "forms export counts (exit 0)" test $? -eq 0
same_file "forms export: every expected count" "$T/forms.tsv" "$D/forms-export.expected"
check "forms export: stderr summarises the vocabulary merge" \
    grep -qF "votecloud: merged 1 variant (1 vocabulary); details in $T/report.json" "$T/forms.err"
check "merge report names prevension -> Prevention" \
    python3 -c "
import json, sys
r = json.load(open('$T/report.json'))
m = r['list']
sys.exit(0 if r['merges'] == 1 and r['by_kind'] == {'vocabulary': 1} and
         m[0] == {'from': 'prevension', 'into': 'Prevention', 'kind': 'vocabulary', 'count': 1}
         else 1)"

"$V" count "$D/forms-export.csv" --columns "2,3,4,5" --free-text-columns 6 \
    --vocabulary "$D/vision.txt" -q >"$T/forms2.tsv" 2>"$T/forms2.err"
same_file "columns by number give the same counts" "$T/forms2.tsv" "$D/forms-export.expected"
check "-q silences the merge summary" test ! -s "$T/forms2.err"

"$V" count "$D/surveymonkey.csv" --header-rows 2 --columns "Which words describe us?" \
    --free-text-columns "Any other words?" >"$T/sm.tsv" 2>/dev/null
same_file "SurveyMonkey export with two header rows" "$T/sm.tsv" "$D/surveymonkey.expected"

# ---- columns counted by default -------------------------------------------
# With no --columns, metadata (Timestamp, Event, ...) is not counted.
"$V" count "$SRCDIR/examples/consultation.csv" >"$T/nocols.tsv" 2>/dev/null
if [ -s "$T/nocols.tsv" ] && ! grep -q -e 'Online survey' -e '^2026/' "$T/nocols.tsv" &&
   grep -q '^Wellbeing	' "$T/nocols.tsv"; then
    ok "no --columns: answers counted, Timestamp and Event columns left out"
else
    not_ok "no --columns: answers counted, Timestamp and Event columns left out" \
        "$(head -5 "$T/nocols.tsv" | tr '\t\n' ' |')"
fi

# ---- re-counting and summing ---------------------------------------------
"$V" count "$T/forms.tsv" >"$T/re.tsv" 2>/dev/null
same_file "our output counted again is identical" "$T/re.tsv" "$T/forms.tsv"
"$V" count - <"$T/forms.tsv" >"$T/re2.tsv" 2>/dev/null
same_file "our output on stdin is detected as counts" "$T/re2.tsv" "$T/forms.tsv"
"$V" count "$T/forms.tsv" "$T/forms.tsv" >"$T/sum.tsv" 2>/dev/null
awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } { $2 *= 2; if (NF == 5) { $4 *= 2; $5 *= 2 } print }' "$T/forms.tsv" >"$T/double.tsv"
same_file "two inputs are summed" "$T/sum.tsv" "$T/double.tsv"
printf 'word,count\n"Best, worst",2.5\nHope,1\n' >"$T/c.csv"
"$V" count "$T/c.csv" >"$T/c.out" 2>/dev/null
printf 'word\tcount\tgroup\nBest, worst\t2.5\tword\nHope\t1\tword\n' >"$T/c.want"
same_file "CSV counts with a header, quotes and a decimal" "$T/c.out" "$T/c.want"

# ---- spreadsheet formulas -------------------------------------------------
printf 'word\tcount\tgroup\n=HYPERLINK("x")\t3\tword\n+44\t2\tchosen\n@me\t1\tword\n-minus\t1\tword\n' >"$T/f.tsv"
"$V" count "$T/f.tsv" >"$T/f.out" 2>/dev/null
printf "word\tcount\tgroup\n'=HYPERLINK(\"x\")\t3\tword\n'+44\t2\tchosen\n'-minus\t1\tword\n'@me\t1\tword\n" >"$T/f.want"
same_file "formula-like cells are written with a leading quote" "$T/f.out" "$T/f.want"
"$V" count "$T/f.out" >"$T/f.re" 2>/dev/null
same_file "and re-count exactly" "$T/f.re" "$T/f.out"

# ---- text ---------------------------------------------------------------
printf 'Staff at A&E and the GP said COVID-19 hit person-centred care; don\342\200\231t forget well\342\200\221being, Wellbeing!\n' >"$T/p.txt"
"$V" count "$T/p.txt" >"$T/p.out" 2>/dev/null
check "text: A&E stays one word" grep -q '^A&E	1	word$' "$T/p.out"
check "text: COVID-19 stays one word" grep -q '^COVID-19	1	word$' "$T/p.out"
check "text: person-centred stays one word" grep -q '^person-centred	1	word$' "$T/p.out"
check "text: well-being variants are one entry" grep -q "^well‑being	2	word$" "$T/p.out"
check "text: stopwords (the, and, don't) are dropped" \
    sh -c "! grep -qiE '^(the|and|don.t)	' '$T/p.out'"
"$V" count --no-stopwords "$T/p.txt" >"$T/p2.out" 2>/dev/null
check "--no-stopwords keeps don't whole" grep -q "^don’t	1	word$" "$T/p2.out"
printf 'staff\ncare # comment\n' >"$T/stop.txt"
"$V" count --stopwords "$T/stop.txt" "$T/p.txt" >"$T/p3.out" 2>/dev/null
check "--stopwords FILE adds stopwords" sh -c "! grep -qiE '^(staff|care)	' '$T/p3.out'"

# ---- a real book ----------------------------------------------------------
"$V" count "$D/persuasion.txt" "$T/p.txt" >"$T/book.tsv" 2>/dev/null
check "book: counts (exit 0)" test -s "$T/book.tsv"
check "book: Anne is the top word" sh -c "sed -n 2p '$T/book.tsv' | grep -q '^Anne	'"
sed -n '2,21p' "$T/book.tsv" | cut -f1 >"$T/top20"
check "book: Wentworth and Elliot are in the top 20" \
    sh -c "grep -qx Wentworth '$T/top20' && grep -qx Elliot '$T/top20'"
python3 - "$T/top20" "${SRCDIR}/src/data/stopwords-en.txt" <<'EOF' >"$T/stop-hits"
import sys
top = [w.strip().lower() for w in open(sys.argv[1])]
stop = {l.split('#')[0].strip().lower() for l in open(sys.argv[2])} - {''}
print(' '.join(w for w in top if w in stop))
EOF
check "book: no stopwords in the top 20 ($(tr '\n' ' ' <"$T/top20"))" \
    test -z "$(tr -d ' \n' <"$T/stop-hits")"
check "book: possessives stay whole (sailor's)" grep -q "^sailor's	" "$T/book.tsv"
check "book + paragraph: A&E intact" grep -q '^A&E	1	word$' "$T/book.tsv"

# ---- bad input ------------------------------------------------------------
bad "missing file" 66 "$T/nope.txt: cannot open: No such file or directory" "$T/nope.txt"
mkdir "$T/dir"
bad "directory as input" 66 "$T/dir: is a directory" "$T/dir"
: >"$T/empty.txt"
bad "empty file" 65 "$T/empty.txt: empty file" "$T/empty.txt"
printf 'word\tcount\tgroup\n' >"$T/h.tsv"
bad "counts header only" 65 "$T/h.tsv: only a header line, no counts" "$T/h.tsv"
printf '\357\273\277Word 1,Word 2\r\n' >"$T/h.csv"
bad "survey header only" 65 "$T/h.csv: only a header, no responses" "$T/h.csv"
printf 'fine words\nmore words\nbad \351t\351\n' >"$T/latin1.txt"
bad "invalid UTF-8 with --encoding UTF-8 says where" 65 "$T/latin1.txt:3: invalid UTF-8 (byte 0xE9 at column 5)" "$T/latin1.txt" --encoding UTF-8
"$V" count "$T/latin1.txt" >"$T/l1.out" 2>"$T/l1.err"
check "not UTF-8: read as Windows-1252 (été counted)" grep -q '^été	1	word$' "$T/l1.out"
check "... and one line on stderr says so" sh -c "[ \$(wc -l <'$T/l1.err') -eq 1 ] && grep -q 'latin1.txt is not UTF-8; read it as Windows-1252' '$T/l1.err'"
"$V" count "$T/latin1.txt" -q >/dev/null 2>"$T/l1q.err"
check "... which -q silences" test ! -s "$T/l1q.err"
bad "an unknown --encoding is a usage error" 64 "unknown encoding 'klingon'" "$T/latin1.txt" --encoding klingon
printf '\377\376W\000o\000r\000d\000\n\000' >"$T/u16.csv"
bad "UTF-16 with only a header says so" 65 "$T/u16.csv: only a header, no responses" "$T/u16.csv"
printf 'Word\nhope\n' | iconv -f UTF-8 -t UTF-16 >"$T/u16b.csv"
"$V" count "$T/u16b.csv" >"$T/u16b.out" 2>/dev/null
check "UTF-16 with a BOM is decoded" grep -q '^hope	1	chosen$' "$T/u16b.out"
printf 'Word 1,Notes\r\nHope,"fine"\r\nCare,"this one\r\nnever ends\r\n' >"$T/q.csv"
bad "unterminated quote names its line" 65 "$T/q.csv:3: a quoted field starting on this line is never closed" "$T/q.csv"
printf 'Word 1,Word 2,Word 3 (optional)\nA,B,C\n' >"$T/cols.csv"
bad "nonexistent column lists the columns" 65 \
    "$T/cols.csv:1: no column 'Word 4'; the columns are: 'Word 1', 'Word 2', 'Word 3 (optional)' (--columns)" \
    "$T/cols.csv" --columns "Word 4"
printf 'hope\t2\ncare\t-1\n' >"$T/neg.tsv"
bad "negative count" 65 "$T/neg.tsv:2: count '-1' is negative" "$T/neg.tsv"
printf 'hope\tNaN\n' >"$T/nan.tsv"
bad "NaN count" 65 "$T/nan.tsv:1: count 'NaN' is not a finite number" "$T/nan.tsv"
printf 'word\tcount\nhope\tmany\n' >"$T/word.tsv"
bad "non-numeric count" 65 "$T/word.tsv:2: count 'many' is not a number" "$T/word.tsv"
printf 'some text\nwith a \000 NUL\n' >"$T/nul.txt"
bad "embedded NUL" 65 "$T/nul.txt:2: NUL byte at column 8" "$T/nul.txt"
bad "binary input without line ends stops at its first NUL" 65 \
    "/dev/zero:1: NUL byte at column 1" --format text /dev/zero
printf 'alpha\t3\rbeta\t2\r' >"$T/cr.tsv"
"$V" count "$T/cr.tsv" >"$T/cr.out" 2>/dev/null
printf 'word\tcount\tgroup\nalpha\t3\tword\nbeta\t2\tword\n' >"$T/cr.want"
same_file "CR-only line ends (old Mac exports) are line ends" "$T/cr.out" "$T/cr.want"
bad "a bad input after a good one still writes nothing" 65 "$T/neg.tsv:2:" "$T/p.txt" "$T/neg.tsv"
bad "unknown option" 64 "count: unknown option '--colour'" "$T/p.txt" --colour
bad "no input" 64 "count: no input given" 
bad "limit names its option" 65 "distinct entries; raise the limit with --max-entries" --max-entries 3 "$T/p.txt"
"$V" count "$T/neg.tsv" -o "$T/out.tsv" 2>/dev/null
check "-o: no file is created on error" test ! -e "$T/out.tsv"
"$V" count "$T/c.csv" -o "$T/out.tsv" 2>/dev/null
same_file "-o writes the same TSV" "$T/out.tsv" "$T/c.want"

# ---- synonyms: the file's canonical spelling shows; cycles and malformed
# lines are FILE:LINE errors; chains of any length resolve -------------------
printf 'carers\ncarers\ncarer\nCARERS\nkindness\n' >"$T/syn.txt"
printf 'carer = Carers\n' >"$T/syn1"
"$V" count "$T/syn.txt" --synonyms "$T/syn1" >"$T/syn.out" 2>/dev/null
printf 'word\tcount\tgroup\nCarers\t4\tword\nkindness\t1\tword\n' >"$T/syn.want"
same_file "the synonyms file's canonical spelling is displayed (Carers, not carers)" "$T/syn.out" "$T/syn.want"
printf 'a = b\nc = d\nb = a\n' >"$T/syn2"
bad "a synonym cycle names FILE:LINE" 65 "$T/syn2:3: 'b = a' makes a cycle" "$T/syn.txt" --synonyms "$T/syn2"
printf 'kind = kindness\nkindness = kind\n' >"$T/syn2b"
bad "a two-line cycle is refused, not merged into itself" 65 "$T/syn2b:2:" "$T/syn.txt" --synonyms "$T/syn2b"
printf '# ok\nx = y = z\n' >"$T/syn3"
bad "a = b = c names FILE:LINE" 65 "$T/syn3:2: expected 'variant = canonical', found more than one '='" "$T/syn.txt" --synonyms "$T/syn3"
python3 -c 'import sys; open(sys.argv[1], "w").write("".join("w%d = w%d\n" % (i, i + 1) for i in range(40)))' "$T/syn4"
printf 'w0\nw3\nw39\n' >"$T/chain.txt"
"$V" count "$T/chain.txt" --synonyms "$T/syn4" >"$T/chain.out" 2>/dev/null
printf 'word\tcount\tgroup\nw40\t3\tword\n' >"$T/chain.want"
same_file "a 40-link synonym chain resolves to its end (no 16-hop stop)" "$T/chain.out" "$T/chain.want"

# ---- a word ticked by some and written in by others: one word -------------
printf 'ID,Pick,Other words\n1,Kindness,kindness\n2,Kindness,\n3,Hope,Kindness\n4,Hope,Trust\n' >"$T/both.csv"
"$V" count "$T/both.csv" --columns Pick --free-text-columns "Other words" >"$T/both.tsv" 2>/dev/null
printf 'word\tcount\tgroup\tchosen\tsuggested\nKindness\t3\tboth\t2\t2\nHope\t2\tchosen\t2\t0\nTrust\t1\tsuggested\t0\t1\n' >"$T/both.want"
same_file "ticked and written in: one word, people who gave it either way, with the breakdown" "$T/both.tsv" "$T/both.want"
"$V" count "$T/both.tsv" >"$T/both2.tsv" 2>/dev/null
same_file "the breakdown survives reading our counts back" "$T/both2.tsv" "$T/both.want"
"$V" render "$T/both.tsv" -o "$T/both.svg" --layout-json "$T/both.json" --table "$T/both.csv.out.csv" --legend --color-by group >/dev/null 2>&1
got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); w=[x for x in j["words"] if x["text"]=="Kindness"][0]; print(w["count"], w["group"], w["chosen"], w["suggested"])' "$T/both.json" 2>&1)
if [ "$got" = "3 both 2 2" ]; then ok "the layout report carries the breakdown ($got)"; else not_ok "layout report breakdown" "$got"; fi
if grep -q '^Kindness,3,both,drawn,2,2' "$T/both.csv.out.csv"; then ok "the CSV table carries the breakdown"; else not_ok "CSV table breakdown" "$(cat "$T/both.csv.out.csv")"; fi
if grep -q 'both chosen and suggested' "$T/both.svg"; then ok "the legend keys the colour of words both chosen and suggested"; else not_ok "legend key for both" "$(grep -o 'Colour[^<]*' "$T/both.svg")"; fi
printf 'word\tcount\tgroup\tchosen\tsuggested\nKindness\t5\tboth\t2\t2\n' >"$T/both-bad.tsv"
bad "a both line with more people than chose and suggested it is refused" 65 "$T/both-bad.tsv:2: 5 people cannot be 2 who chose it and 2 who suggested it" "$T/both-bad.tsv"
printf 'word\tcount\tgroup\nKindness\t5\tboth\n' >"$T/both-short.tsv"
bad "a both line without its breakdown is refused" 65 "$T/both-short.tsv:2: a 'both' line needs" "$T/both-short.tsv"

# ---- characters no word may hold are removed, and the user is told ---------
printf 'Word\nkind\342\200\213ness\nhope\007\nhope\357\277\276\ntrust\n' >"$T/zw.csv"
"$V" count "$T/zw.csv" --columns Word >"$T/zw.out" 2>"$T/zw.err"
printf 'word\tcount\tgroup\nhope\t2\tchosen\nkindness\t1\tchosen\ntrust\t1\tchosen\n' >"$T/zw.want"
same_file "ZWSP, BEL and U+FFFE removed from words" "$T/zw.out" "$T/zw.want"
if grep -q '^votecloud: warning: removed 3 invisible or control characters .* from 3 answers$' "$T/zw.err" &&
   [ "$(wc -l <"$T/zw.err")" -eq 1 ]; then ok "one warning line counts what was removed"; else not_ok "removal warning" "$(cat -v "$T/zw.err")"; fi
"$V" count "$T/zw.csv" --columns Word -q >/dev/null 2>"$T/zwq.err"
if [ ! -s "$T/zwq.err" ]; then ok "-q silences it"; else not_ok "-q" "$(cat -v "$T/zwq.err")"; fi

# ---- a survey CSV on standard input is a survey, prose with commas is text --
"$V" count - <"$SRCDIR/examples/consultation.csv" >"$T/stdin-survey.tsv" 2>"$T/stdin-survey.err"
"$V" count "$SRCDIR/examples/consultation.csv" >"$T/file-survey.tsv" 2>/dev/null
same_file "a survey export on stdin counts as the same file does" "$T/stdin-survey.tsv" "$T/file-survey.tsv"
if grep -q '^votecloud: <stdin>: counting --columns "Word 1,Word 2,Word 3"' "$T/stdin-survey.err"; then
    ok "stdin: the question is found and named"; else not_ok "stdin question" "$(cat "$T/stdin-survey.err")"; fi
printf 'I think, honestly, we need care\nand more, better, things\n' | "$V" count - >"$T/prose.tsv" 2>/dev/null
if grep -q '^honestly	1	word$' "$T/prose.tsv"; then ok "prose with commas on stdin is text"; else not_ok "prose on stdin" "$(cat "$T/prose.tsv")"; fi

# ---- non-answers: left out of written answers, counted in the report and
# on the one-line summary; --no-default-exclusions and --exclude ------------
printf 'Choice,Other\nkindness,n/a\nhope,None\nkindness,carers!\nhope,Kindness \360\237\230\212\nhope,\360\237\230\212\360\237\230\212\nkindness,"don\342\200\231t know"\nhope,the\nhope,kindness\nnone,\n' >"$T/na.csv"
"$V" count "$T/na.csv" --columns Choice --free-text-columns Other --report "$T/na.json" >"$T/na.out" 2>"$T/na.err"
printf 'word\tcount\tgroup\tchosen\tsuggested\nhope\t5\tchosen\t5\t0\nkindness\t5\tboth\t3\t2\ncarers\t1\tsuggested\t0\t1\nnone\t1\tchosen\t1\t0\n' >"$T/na.want"
same_file "non-answers leave written answers (a ticked 'none' stays); 'carers!' and 'Kindness :)' trimmed; ticked 'kindness' and written 'Kindness' one word" "$T/na.out" "$T/na.want"
got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["excluded"], sorted(x["text"] for x in j["excluded_list"]))' "$T/na.json")
want=$(python3 -c "print(\"5\", sorted(['None', 'n/a', 'the', 'don\u2019t know', '\U0001f60a\U0001f60a']))")
if [ "$got" = "$want" ]; then ok "every exclusion is in the merge report ($got)"; else not_ok "exclusions in the report" "got $got" "want $want"; fi
if grep -q "^votecloud: left out 5 answers as no answer (.*); details in $T/na.json\$" "$T/na.err" && [ "$(wc -l <"$T/na.err")" -eq 1 ]; then
    ok "one stderr line counts the exclusions"; else not_ok "stderr summary" "$(cat "$T/na.err")"; fi
"$V" count "$T/na.csv" --columns Choice --free-text-columns Other --no-default-exclusions >"$T/nd.out" 2>/dev/null
if grep -q '^n/a	1	suggested	0	1$' "$T/nd.out" && grep -q '^none	2	both	1	1$' "$T/nd.out" && ! grep -q '^the	' "$T/nd.out"; then
    ok "--no-default-exclusions keeps non-answers (stopwords still apply to written answers)"; else not_ok "--no-default-exclusions" "$(cat "$T/nd.out")"; fi
printf '# more\ncarers\n' >"$T/ex.txt"
"$V" count "$T/na.csv" --columns Choice --free-text-columns Other --exclude "$T/ex.txt" >"$T/ex.out" 2>"$T/ex.err"
if ! grep -q '^carers' "$T/ex.out" && grep -q "left out 6 answers" "$T/ex.err"; then
    ok "--exclude FILE adds non-answers"; else not_ok "--exclude" "$(cat "$T/ex.out" "$T/ex.err")"; fi
printf 'Choice,Other\nhope,kindness\nhope,wellbeing\n' >"$T/sw.csv"
printf 'wellbeing\n' >"$T/sw.txt"
"$V" count "$T/sw.csv" --columns Choice --free-text-columns Other --stopwords "$T/sw.txt" >"$T/sw.out" 2>/dev/null
if ! grep -q '^wellbeing' "$T/sw.out" && grep -q '^kindness	1	suggested$' "$T/sw.out"; then
    ok "--stopwords applies to survey free-text answers"; else not_ok "--stopwords on free text" "$(cat "$T/sw.out")"; fi

echo "1..$n"
[ "$failed" -eq 0 ]
