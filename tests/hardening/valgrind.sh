#!/usr/bin/env bash
# valgrind.sh - one small render under valgrind: no invalid reads or
# writes, no definite leaks.  Suppressions cover only third-party one-time
# allocations (valgrind.supp says which).
. "$(dirname "$0")/lib.sh"
if ! command -v valgrind >/dev/null; then
  echo "1..0 # SKIP valgrind not installed"
  exit 0
fi
printf 'prevention\t20\nwellbeing\t12\nA&E\t7\nسلام\t5\nভালো\t4\n日本\t3\n' > "$T/words.tsv"
run 300 valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
  --error-exitcode=99 --suppressions="$SRCDIR/tests/hardening/valgrind.supp" \
  "$VOTECLOUD" render "$T/words.tsv" --width 300 --height 200 \
  -o "$OUT/v.png" -o "$OUT/v.svg" --layout-json "$OUT/v.json"
[ "$rc" -eq 0 ]; ok $? "render is valgrind-clean (exit $rc, ${ms} ms)"
[ "$rc" -eq 0 ] || printf '%s\n' "$err" | diag 40
[ -s "$OUT/v.png" ] && [ -s "$OUT/v.svg" ]; ok $? "outputs written"
run 120 valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
  --error-exitcode=99 --suppressions="$SRCDIR/tests/hardening/valgrind.supp" \
  "$VOTECLOUD" count "$T/words.tsv"
[ "$rc" -eq 0 ]; ok $? "count is valgrind-clean (exit $rc)"
done_testing
