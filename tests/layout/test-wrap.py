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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from taplib import done, ok  # noqa: E402

VC = os.environ['VOTECLOUD']
PHRASE = 'Right support at the right time'
HERE = os.path.dirname(os.path.abspath(__file__))
# The synthetic consultation's counts (small words included: they are what
# would nest between a phrase's lines) and one long survey phrase.
with open(os.path.join(HERE, '..', '..', 'examples', 'consultation-counts.tsv'),
          encoding='utf-8') as f:
    WORDS = [(p[0], int(p[1])) for p in (line.rstrip('\n').split('\t') for line in f)
             if p[0] != 'word']
WORDS.append((PHRASE, 150))


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
        ok(len(auto['words']) + len(auto['dropped']) == len(WORDS) and
           len(auto['words']) >= len(none['words']),
           '%dx%d: every word drawn or listed; auto draws at least as many (%d, %d)'
           % (w, h, len(auto['words']), len(none['words'])))
        wrapped = [x for x in auto['words'] if 'lines' in x]
        ok(all(join(x['lines']) == x['text'] and 2 <= len(x['lines']) <= 3
               for x in wrapped), '%dx%d: each wrapped phrase: 2-3 lines that join to its text'
           % (w, h))
        ok(all(abs(x['font_size'] / x['count'] - auto['scale']) < 1e-3 * auto['scale']
               for x in auto['words']), '%dx%d: sizes stay linear in the votes' % (w, h))
        nested = []
        for x in wrapped:
            fs, (bx0, _, bx1, _) = x['font_size'], x['bbox']
            mx0, mx1 = bx0 + (bx1 - bx0) / 4, bx1 - (bx1 - bx0) / 4
            for k in range(len(x['lines']) - 1):
                # From line k's baseline to well above line k+1's x-height
                # (1.05 em apart): a word there would read as part of it.
                y0 = x['y'] + k * 1.05 * fs
                y1 = x['y'] + ((k + 1) * 1.05 - 0.6) * fs
                # Smaller words inside the phrase's ink box only: a small
                # phrase may sit in a pocket of a bigger word's box.
                nested += [o['text'] for o in auto['words'] if o is not x and
                           o['font_size'] < fs and o['bbox'][1] >= x['bbox'][1] and
                           o['bbox'][3] <= x['bbox'][3] and
                           o['bbox'][0] < mx1 and o['bbox'][2] > mx0 and
                           o['bbox'][1] < y1 and o['bbox'][3] > y0]
        ok(not nested, '%dx%d: no word sits between a wrapped phrase\'s lines %s'
           % (w, h, nested))
        # Nor a word of a like size just above or below it (place.c,
        # PHRASE_CLEAR): nearer than the phrase's own lines are to each
        # other, it reads as one more line of it.  Its lines are centred, so
        # the middle fifth of its box is under its first line and over its
        # last; the band is at least 0.15 em; like sizes are within 1.5x.
        stacked = []
        for x in wrapped:
            fs, (bx0, by0, bx1, by1) = x['font_size'], x['bbox']
            mx0, mx1 = bx0 + (bx1 - bx0) * 0.4, bx1 - (bx1 - bx0) * 0.4
            stacked += ['%s | %s' % (o['text'], x['text']) for o in auto['words']
                        if o is not x and fs / 1.5 <= o['font_size'] <= fs * 1.5 and
                        o['bbox'][0] < mx1 and o['bbox'][2] > mx0 and
                        (0 <= by0 - o['bbox'][3] < 0.1 * fs or
                         0 <= o['bbox'][1] - by1 < 0.1 * fs)]
        ok(not stacked, '%dx%d: no word sits just above or below a wrapped phrase %s'
           % (w, h, stacked))
        if h != 675:
            ratio = auto['scale'] / none['scale']
            ok(ratio >= 1.2 and any(x['text'] == PHRASE for x in wrapped),
               '%dx%d: wrapping the long phrase draws the cloud >= 1.2x larger (%.2fx)'
               % (w, h, ratio))
            alt = open(out['txt'], encoding='utf-8').read()
            svg = open(out['svg'], encoding='utf-8').read()
            ok(PHRASE in alt and '<title>%s' % PHRASE in svg,
               '%dx%d: alt text and SVG title keep the whole phrase' % (w, h))
    # Short phrases with few votes can never be what limits the scale: auto
    # tries no wrapped plan and draws the same bytes as none.
    with open(os.path.join(d, 'short.tsv'), 'w') as f:
        f.writelines('%s\t%d\n' % wc for wc in WORDS if ' ' not in wc[0] and '-' not in wc[0])
        f.write('at home\t4\non time\t3\n')
    pngs = []
    for wrap in ('none', 'auto'):
        png = os.path.join(d, 'short-%s.png' % wrap)
        r = subprocess.run([VC, 'render', os.path.join(d, 'short.tsv'), '--format', 'counts',
                            '--min-font-size', '4', '--wrap', wrap, '-o', png],
                           capture_output=True, text=True)
        pngs.append(open(png, 'rb').read() if r.returncode == 0 else None)
    ok(pngs[0] is not None and pngs[0] == pngs[1],
       'short phrases with few votes: auto draws the same bytes as none')
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

raise SystemExit(done())
