#!/usr/bin/env bash
# test-current.sh - the committed examples are what render-all.sh makes
# now, byte for byte: a copy of examples/ is rendered again and compared,
# file by file.  A change that alters an output without rendering the
# examples again fails here, as does any output that does not repeat.
. "$SRCDIR/tests/hardening/lib.sh"
src=$SRCDIR/examples
cp -r "$src" "$T/ex"
bash "$T/ex/render-all.sh" "$VOTECLOUD" > "$T/render.log" 2>&1
rc=$?
ok $rc "render-all.sh runs (exit $rc)"
[ "$rc" -eq 0 ] || diag - 20 < "$T/render.log"
# Every file the scripts write, and only those: the inputs are compared too,
# so a script that rewrote an input would fail.
while IFS= read -r -d '' f; do
  rel=${f#"$src"/}
  cmp -s "$f" "$T/ex/$rel"
  ok $? "$rel is what render-all.sh makes"
done < <(find "$src" -type f ! -name '*.sh' ! -name '*.py' ! -name 'meson.build' \
           ! -name '*.c' -print0 | sort -z)
# A file render-all.sh makes that is not committed.
extra=$(cd "$T/ex" && find . -type f | sed 's|^\./||' | while read -r rel; do
          [ -e "$src/$rel" ] || echo "$rel"; done)
[ -z "$extra" ]; ok $? "no output that is not committed${extra:+: $extra}"
done_testing
