#!/usr/bin/env bash
# run-fuzzers.sh - runs each libFuzzer target for SECONDS (default 300),
# one at a time and niced, then merges what it found into the committed
# corpus (minimised with -merge=1).  Crashes, timeouts and OOMs land in
# crashes/<target>/, which the normal build replays as tests.
#   CC=clang meson setup build-fuzz-asan -Dfuzzers=true \
#     -Db_sanitize=address,undefined -Db_lundef=false
#   ninja -C build-fuzz-asan && tests/fuzz/run-fuzzers.sh build-fuzz-asan 300 [targets...]
set -u
build=${1:?build dir}; secs=${2:-300}; shift 2 || true
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(counts survey text mask style render)
work=$(mktemp -d /tmp/vc-fuzz-XXXXXX)
# fontconfig leaks while loading its configuration (see lsan.supp).
export LSAN_OPTIONS=suppressions=$here/lsan.supp
for t in "${targets[@]}"; do
  exe=$build/tests/fuzz/fuzz-$t
  mkdir -p "$work/$t" "$here/crashes/$t"
  echo "== $t: ${secs}s"
  /usr/bin/time -f "peak_rss_kb %M" -o "$work/$t.rss" \
    nice -n 10 "$exe" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=4096 \
      -dict="$here/votecloud.dict" -artifact_prefix="$here/crashes/$t/" \
      -print_final_stats=1 "$work/$t" "$here/corpus/$t" > "$work/$t.log" 2>&1
  grep -E '^#[0-9]+' "$work/$t.log" | tail -n 1
  grep -E 'stat::|crash|timeout' "$work/$t.log" | grep -v '^#' | tail -n 5
  cat "$work/$t.rss"
  # Minimise: keep only inputs that add coverage to the seeds.
  mkdir -p "$work/$t.min"
  "$exe" -merge=1 -rss_limit_mb=2048 -timeout=10 "$here/corpus/$t" "$work/$t" \
    > "$work/$t.merge.log" 2>&1
  grep -E 'MERGE-OUTER: [0-9]+ new files' "$work/$t.merge.log" | tail -n 1
done
echo "logs in $work"
