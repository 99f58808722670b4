#!/bin/sh
# setup.sh - installs the benchmark's peers; safe to run again.
#   word_cloud: Debian's python3-wordcloud (run by /usr/bin/python3, with
#               numpy and Pillow); time: /usr/bin/time for manual checks.
#   d3-cloud + @napi-rs/canvas: npm ci from the committed package-lock.json
#               into tests/bench/node_modules.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

need=""
/usr/bin/python3 -c 'import wordcloud, PIL, numpy' 2>/dev/null || need="$need python3-wordcloud"
[ -x /usr/bin/time ] || need="$need time"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $need
fi

cd "$here"
# npm ci installs exactly the committed lock file, replacing node_modules,
# so running it again gives the same tree.
npm ci --no-audit --no-fund
node -e 'const c = require("d3-cloud"), { createCanvas } = require("@napi-rs/canvas");
         createCanvas(1, 1).getContext("2d"); console.log("d3-cloud", require("d3-cloud/package.json").version, "ok")'
/usr/bin/python3 -c 'import wordcloud; print("word_cloud", wordcloud.__version__, "ok")'
