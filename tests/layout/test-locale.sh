#!/usr/bin/env bash
# Shaping does not depend on the locale of the program that links the
# library (promise 5: same input, same bytes, on any machine).  HarfBuzz
# takes a buffer's default language from the process locale, and the
# bundled Noto Sans applies Romanian, Catalan, Serbian and Macedonian forms
# ('locl') for those languages, so an embedder that calls
# setlocale(LC_ALL, "") under LANG=ro_RO.UTF-8 got other glyphs than under
# C.  The locales are made here with localedef (Debian's `locales`), in a
# folder of the test's own (LOCPATH), so nothing on the machine changes.
set -u
helper=${1:?usage: test-locale.sh LOCALE-SHAPE-BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { # condition-status description
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

if ! command -v localedef >/dev/null || [ ! -e /usr/share/i18n/locales/ro_RO ]; then
    echo "1..0 # SKIP no locale sources to make ro_RO from (Debian package 'locales')"
    exit 0
fi

echo "1..9"
run() { # locale -> stdout of the helper in it
    LOCPATH=$tmp LC_ALL=$1 LANG=$1 "$helper" 2>"$tmp/err-$1"
}
c=$(run C)
ok $? "the helper shapes every word in the C locale"
for loc in ro_RO ca_ES sr_RS mk_MK; do
    localedef -i "$loc" -f UTF-8 "$tmp/$loc.UTF-8" 2>"$tmp/localedef-$loc" ||
        { ok 1 "localedef made $loc.UTF-8"; sed 's/^/#   /' "$tmp/localedef-$loc"; continue; }
    got=$(run "$loc.UTF-8")
    status=$?
    # The locale must really be in force, or the comparison below proves
    # nothing: HarfBuzz's default language is then this locale's.
    lang=$(printf '%s\n' "$got" | sed -n 's/^language //p')
    want=$(printf '%s' "${loc%_*}" | tr 'A-Z_' 'a-z-')
    [ $status -eq 0 ] && [ "${lang%%-*}" = "$want" ]
    ok $? "$loc.UTF-8 is in force in the helper (HarfBuzz's default language: '$lang')"
    diff <(printf '%s\n' "$c" | grep -v '^locale \|^language ') \
         <(printf '%s\n' "$got" | grep -v '^locale \|^language ') >"$tmp/diff"
    ok $? "glyphs under $loc.UTF-8 are the C locale's"
    if [ -s "$tmp/diff" ]; then sed 's/^/#   /' "$tmp/diff"; fi
done
