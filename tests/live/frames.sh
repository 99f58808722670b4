#!/bin/sh
# frames.sh - a strip of frames of the live layout: the 1,000-participant
# replay (replay.py, seed 14) through vc_live_update, snapshots written as
# PNG after participants 50, 100, 200, 400 and 1000, next to from-scratch
# layouts of the same counts (live-NNNN.png, scratch-NNNN.png), with the
# per-update figures (per-update.tsv) and the summary (summary.txt).
#
#   tests/live/frames.sh BUILD_DIR OUT_DIR
set -eu
build=${1:?usage: frames.sh BUILD_DIR OUT_DIR}
out=${2:?usage: frames.sh BUILD_DIR OUT_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
python3 "$src/tests/live/replay.py" --participants 1000 "$out/replay.tsv"
FONTDIR="$src/fonts" "$build/tests/live/live-replay" "$out/replay.tsv" \
    --scratch-every 1 --frames "$out" --at 50,100,200,400,1000 \
    --per-update "$out/per-update.tsv" | tee "$out/summary.txt"
echo "frames in $out"
