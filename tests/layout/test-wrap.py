#!/usr/bin/env python3
"""test-wrap.py - --wrap auto|none: a long phrase breaks onto 2-3 centred
lines when that draws the cloud larger, stays one unit (one colour, its
whole text in the report, alt text and SVG title), and the report lists
its lines; auto never draws smaller than none; at a fixed scale only a
phrase too wide for the canvas wraps.  Speaks TAP."""
import json
import os
import subprocess
import sys
import tempfile

VC = os.environ['VOTECLOUD']
n = 0
failed = 0
PHRASE = 'Right support at the right time'
WORDS = [('Wellbeing', 213), ('Prevention', 203), ('Person-centred', 162), (PHRASE, 150),
         ('Compassionate', 135), ('Joined-up', 121), ('Closer to home', 117), ('Together', 108),
         ('Inequality', 97), ('Communities', 95), ('Partnership', 74), ('Honest', 63),
         ('Listen', 49), ('Innovation', 47), ('Think big', 36), ('Safer', 34)]


def ok(cond, what):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, what))


def join(lines):
    """Lines joined as the report says: by a space, except after a hyphen."""
    out = lines[0]
    for line in lines[1:]:
        out += ('' if out.endswith('-') else ' ') + line
    return out


def render(d, tag, extra):
    out = {e: os.path.join(d, '%s.%s' % (tag, e)) for e in ('png', 'svg', 'json', 'txt')}
    r = subprocess.run([VC, 'render', os.path.join(d, 'w.tsv'), '--format', 'counts',
                        '-o', out['png'], '-o', out['svg'], '--layout-json', out['json'],
                        '--alt-text', out['txt'], '--min-font-size', '4'] + extra,
                       capture_output=True, text=True)
    doc = json.load(open(out['json'])) if r.returncode == 0 else None
    return r, doc, out


with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, 'w.tsv'), 'w') as f:
        f.writelines('%s\t%d\n' % wc for wc in WORDS)
    for w, h in ((1080, 1080), (1080, 1920), (1200, 675)):
        size = ['--width', str(w), '--height', str(h)]
        r0, none, _ = render(d, 'none-%d' % h, size + ['--wrap', 'none'])
        r1, auto, out = render(d, 'auto-%d' % h, size)
        ok(r0.returncode == 0 and r1.returncode == 0, '%dx%d: both render' % (w, h))
        if not (none and auto):
            continue
        ok(auto['scale'] >= none['scale'],
           '%dx%d: auto draws no smaller than none (scale %.4f vs %.4f)'
           % (w, h, auto['scale'], none['scale']))
        ok(not any('lines' in x for x in none['words']), '%dx%d: --wrap none: no lines' % (w, h))
        ok(len(auto['words']) == len(WORDS) and len(none['words']) == len(WORDS),
           '%dx%d: every word drawn in both' % (w, h))
        wrapped = [x for x in auto['words'] if 'lines' in x]
        ok(all(join(x['lines']) == x['text'] and 2 <= len(x['lines']) <= 3
               for x in wrapped), '%dx%d: each wrapped phrase: 2-3 lines that join to its text'
           % (w, h))
        ok(all(abs(x['font_size'] / x['count'] - auto['scale']) < 1e-3 * auto['scale']
               for x in auto['words']), '%dx%d: sizes stay linear in the votes' % (w, h))
        if h != 675:
            ratio = auto['scale'] / none['scale']
            ok(ratio >= 1.2 and any(x['text'] == PHRASE for x in wrapped),
               '%dx%d: wrapping the long phrase draws the cloud >= 1.2x larger (%.2fx)'
               % (w, h, ratio))
            alt = open(out['txt'], encoding='utf-8').read()
            svg = open(out['svg'], encoding='utf-8').read()
            ok(PHRASE in alt and '<title>%s' % PHRASE in svg,
               '%dx%d: alt text and SVG title keep the whole phrase' % (w, h))
    # A fixed scale: the phrase is wider than the canvas on one line.
    fixed = ['--fit', 'none', '--max-font-size', '60', '--width', '520', '--height', '700']
    r0, none, _ = render(d, 'fixed-none', fixed + ['--wrap', 'none', '--allow-gaps'])
    r1, auto, _ = render(d, 'fixed-auto', fixed)
    ok(r1.returncode == 0 and any(x['text'] == PHRASE and 'lines' in x for x in auto['words']),
       'fit none: the phrase too wide for the canvas is wrapped and drawn: %s'
       % r1.stderr.strip()[-200:])
    ok(r1.returncode == 0 and sum('lines' in x for x in auto['words']) == 1,
       'fit none: phrases that fit on one line stay on one line')
    ok(r0.returncode != 0 or any(x['text'] == PHRASE for x in none['dropped']),
       'fit none, --wrap none: the same phrase does not fit')
    r = subprocess.run([VC, 'render', os.path.join(d, 'w.tsv'), '--wrap', 'sometimes',
                        '-o', os.path.join(d, 'x.png')], capture_output=True, text=True)
    ok(r.returncode != 0 and '--wrap' in r.stderr, '--wrap sometimes is refused, naming it')

print('1..%d' % n)
sys.exit(1 if failed else 0)
