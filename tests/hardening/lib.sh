# lib.sh - TAP helpers for the hardening scripts (sourced).
# Each check runs the CLI under `timeout`, so a hang is a failure, not a
# stuck test; stdout, stderr and the exit status are kept for assertions.
set -u
: "${VOTECLOUD:?set VOTECLOUD to the votecloud binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"
export LC_ALL=C.UTF-8
T=$(mktemp -d /tmp/vc-hardening-XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
n=0
failed=0
OUT=$T/out
mkdir -p "$OUT"
mkpng() { python3 "$SRCDIR/tests/hardening/mkpng.py" "$@"; }

ok() { # cond-status description
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    failed=$((failed + 1))
  fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { sed 's/^/#   /' | head -n "${2:-8}"; }

# run SECONDS CMD... : runs with a time limit; sets rc, out, err, ms.
run() {
  local limit=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  timeout -k 5 "$limit" "$@" >"$T/stdout" 2>"$T/stderr" </dev/null
  rc=$?
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  out=$(cat "$T/stdout")
  err=$(cat "$T/stderr")
}

# expect NAME STATUS_RE MESSAGE_RE CMD... : the command fails with a status
# matching STATUS_RE (e.g. 65 or '6[56]'), its last stderr line is
# "votecloud: ..." matching MESSAGE_RE (extended, case-insensitive), and
# nothing was written to $OUT.
expect() {
  local name=$1 status=$2 msg=$3; shift 3
  rm -rf "$OUT"; mkdir -p "$OUT"
  run 60 "$@"
  local last problems=""
  # The error line (a usage summary may follow it; warnings may precede).
  last=$(printf '%s\n' "$err" | grep '^votecloud: ' | grep -v '^votecloud: warning:' | tail -n 1)
  [ "$rc" -eq 124 ] && problems="$problems timed out;"
  [ "$rc" -gt 128 ] && problems="$problems killed by signal $((rc - 128));"
  printf '%s' "$rc" | grep -Eqx "$status" || problems="$problems exit $rc, want $status;"
  [ -n "$last" ] || problems="$problems no 'votecloud: ...' error line;"
  [ "$(printf '%s\n' "$err" | grep '^votecloud: ' | grep -vc '^votecloud: warning:')" -eq 1 ] || problems="$problems not exactly one error line;"
  printf '%s' "$last" | grep -Eiq -- "$msg" || problems="$problems message does not match /$msg/;"
  [ -z "$(ls -A "$OUT")" ] || problems="$problems wrote: $(ls -A "$OUT" | tr '\n' ' ');"
  if [ -z "$problems" ]; then
    ok 0 "$name: exit $rc: $last"
  else
    ok 1 "$name:$problems"
    printf '%s\n' "$err" | diag
  fi
}

# works NAME CMD... : the command succeeds within 60 s.
works() {
  local name=$1; shift
  run 60 "$@"
  if [ "$rc" -eq 0 ]; then
    ok 0 "$name"
  else
    ok 1 "$name: exit $rc"
    printf '%s\n' "$err" | diag
  fi
}

# max_rss_kb CMD... : runs under /usr/bin/time; sets rss (KiB) and rc.
max_rss() {
  local limit=$1; shift
  if [ -x /usr/bin/time ]; then
    timeout -k 5 "$limit" /usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    rss=$(tail -n 1 "$T/rss" 2>/dev/null | tr -dc 0-9)
  else
    timeout -k 5 "$limit" "$@" >"$T/stdout" 2>"$T/stderr" </dev/null
    rc=$?
    rss=""
  fi
  err=$(cat "$T/stderr")
}

# Sanitizer builds use several times the memory: scale RSS limits.
rss_factor=1
if nm -D "$VOTECLOUD" 2>/dev/null | grep -q __asan_init || ldd "$VOTECLOUD" 2>/dev/null | grep -q libasan; then
  rss_factor=4
fi

done_testing() {
  echo "1..$n"
  [ "$failed" -eq 0 ]
}

tsv() { printf '%b' "$2" > "$T/$1"; }
