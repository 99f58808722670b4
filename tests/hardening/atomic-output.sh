#!/usr/bin/env bash
# atomic-output.sh - outputs appear complete or not at all: an error never
# leaves a half-written file or a temporary, and never touches the file
# that was there before.  Devices get clean I/O errors.
. "$(dirname "$0")/lib.sh"
V=$VOTECLOUD
tsv words.tsv 'prevention\t20\nwellbeing\t12\nkindness\t7\nhope\t5\n'
tsv bad.tsv 'prevention\t-3\n'
D=$T/site; mkdir -p "$D"

works "render to out.png" "$V" render "$T/words.tsv" -o "$D/out.png" -o "$D/out.svg" --layout-json "$D/out.json"
cp "$D/out.png" "$T/before.png"; cp "$D/out.svg" "$T/before.svg"; cp "$D/out.json" "$T/before.json"
run 30 "$V" render "$T/bad.tsv" -o "$D/out.png" -o "$D/out.svg" --layout-json "$D/out.json"
[ "$rc" -eq 65 ]; ok $? "an invalid input fails (exit $rc)"
cmp -s "$D/out.png" "$T/before.png" && cmp -s "$D/out.svg" "$T/before.svg" && cmp -s "$D/out.json" "$T/before.json"
ok $? "previous outputs untouched"
[ "$(ls -A "$D" | grep -c tmp)" -eq 0 ]; ok $? "no temporary left: $(ls -A "$D" | tr '\n' ' ')"

# A failure after the first output is written: the PNG is complete or
# absent, never partial, and no temporary remains.
run 30 "$V" render "$T/words.tsv" --seed 7 -o "$D/out.png" -o /dev/full
[ "$rc" -eq 74 ]; ok $? "second output on /dev/full: exit 74 (got $rc)"
printf '%s\n' "$err" | tail -n 1 | grep -q '/dev/full'; ok $? "... message names /dev/full"
python3 - "$D/out.png" <<'PY'
import sys, zlib, struct
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
assert d[-12:-8] == b"\0\0\0\0" and d[-8:-4] == b"IEND"
PY
ok $? "out.png is a complete PNG"
[ "$(ls -A "$D" | grep -c tmp)" -eq 0 ]; ok $? "no temporary left"

expect_io() { # name cmd...
  local name=$1; shift
  run 30 "$@"
  local last; last=$(printf '%s\n' "$err" | tail -n 1)
  [ "$rc" -eq 74 ] && printf '%s' "$last" | grep -q '^votecloud: .*/dev/full'
  ok $? "$name: exit $rc: $last"
}
expect_io "render -o /dev/full" "$V" render "$T/words.tsv" -o /dev/full
expect_io "--layout-json /dev/full" "$V" render "$T/words.tsv" -o "$T/x.png" --layout-json /dev/full
expect_io "count -o /dev/full" "$V" count "$T/words.tsv" -o /dev/full
run 30 sh -c '"$0" count "$1" > /dev/full' "$V" "$T/words.tsv"
[ "$rc" -eq 74 ]; ok $? "count to a full stdout: exit 74 (got $rc)"

# /dev/stdout as an output stays a device link and gets the bytes.
run 30 sh -c '"$0" render "$1" -o /dev/stdout > "$2"' "$V" "$T/words.tsv" "$T/stdout.bin"
[ "$rc" -eq 0 ] && [ -L /dev/stdout ] && head -c 8 "$T/stdout.bin" | grep -q PNG
ok $? "-o /dev/stdout writes the image to standard output (exit $rc)"

# batch: after a failing event, every file in the folder is complete
# (a summary may report the failure) and no temporary is left.
printf 'kindness\t9\nfairness\t3\n' > "$T/b.tsv"
B=$T/batch
works "batch of two events" "$V" batch "$T/words.tsv" "$T/b.tsv" -o "$B"
run 60 "$V" batch "$T/words.tsv" "$T/bad.tsv" -o "$B"
[ "$rc" -eq 65 ]; ok $? "batch with an invalid event fails (exit $rc)"
[ "$(ls -A "$B" | grep -c tmp)" -eq 0 ]; ok $? "batch leaves no temporary: $(ls -A "$B" | tr '\n' ' ')"
python3 - "$B" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in os.listdir(d):
    data = open(os.path.join(d, name), "rb").read()
    if name.endswith(".png"):
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[-8:-4] == b"IEND", name
    elif name.endswith(".json"):
        json.loads(data)
    elif name.endswith(".svg") or name.endswith(".html"):
        assert data.rstrip().endswith(b"</svg>" if name.endswith(".svg") else b"</html>"), name
PY
ok $? "every batch output is complete after the failure"
touch "$T/notadir"
expect "batch into a path that is a file" 73 'notadir' "$V" batch "$T/words.tsv" -o "$T/notadir"

# A full small file system (needs root for the tmpfs mount): 16 KiB, well
# under the PNG (55 kB with png's own deflate.c, 85 kB with zlib level 1).
mkdir -p "$T/small"
if mount -t tmpfs -o size=16k tmpfs "$T/small" 2>/dev/null; then
  printf 'old' > "$T/small/big.png"
  run 30 "$V" render "$T/words.tsv" --width 1600 --height 1200 -o "$T/small/big.png"
  last=$(printf '%s\n' "$err" | tail -n 1)
  [ "$rc" -eq 74 ] && printf '%s' "$last" | grep -qi 'space'
  ok $? "full file system: exit $rc: $last"
  [ "$(cat "$T/small/big.png")" = old ] && [ "$(ls -A "$T/small")" = big.png ]
  ok $? "... old file untouched, no temporary left"
  umount "$T/small"
else
  skip "full small file system" "cannot mount tmpfs (not root)"
  skip "full small file system, old file" "cannot mount tmpfs"
fi

done_testing
