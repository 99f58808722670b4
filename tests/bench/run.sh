#!/bin/sh
# run.sh - the side-by-side benchmark of issue 5, one command:
#   tests/bench/setup.sh             # once: the peers (apt + npm ci)
#   tests/bench/run.sh [--quick] [--runs N] [--only w1k,votes] [--votecloud BIN]
# Builds votecloud in build-bench (release) unless --votecloud or $VOTECLOUD
# names a binary, then runs bench.py with Debian's /usr/bin/python3 (which
# has python3-wordcloud, numpy and Pillow; a pyenv python3 on PATH may not).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case " $* " in
*" --votecloud "*) ;;
*)
    if [ -z "${VOTECLOUD:-}" ]; then
        build=${BENCH_BUILD_DIR:-$root/build-bench-release}
        [ -d "$build" ] || meson setup "$build" "$root" --buildtype=release >/dev/null
        ninja -C "$build" -j2 src/cli/votecloud >&2
        VOTECLOUD=$build/src/cli/votecloud
        export VOTECLOUD
    fi
    ;;
esac
SRCDIR=$root
export SRCDIR
exec /usr/bin/python3 "$here/bench.py" "$@"
