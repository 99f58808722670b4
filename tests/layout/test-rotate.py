#!/usr/bin/env python3
"""test-rotate.py - --rotate auto: words stay flat unless one is too wide
for the canvas and turning it upright lets the whole cloud draw at least
5% larger (or, at a fixed scale, lets it be drawn at all); only such words
turn, sizes stay linear, a phrase on several lines never turns, and where
no word is too wide the layout is exactly --rotate none's.  Speaks TAP."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from taplib import done, ok  # noqa: E402

VC = os.environ['VOTECLOUD']
HERE = os.path.dirname(os.path.abspath(__file__))
LONG = 'Interconnectedness'
PHRASE = 'Right support at the right time'
with open(os.path.join(HERE, '..', '..', 'examples', 'consultation-counts.tsv'),
          encoding='utf-8') as f:
    CONSULTATION = [(p[0], int(p[1])) for p in (line.rstrip('\n').split('\t') for line in f)
                    if p[0] != 'word']


def write_counts(path, words):
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines('%s\t%d\n' % wc for wc in words)


def render(d, counts, tag, extra):
    out = {e: os.path.join(d, '%s.%s' % (tag, e)) for e in ('png', 'svg', 'json')}
    r = subprocess.run([VC, 'render', counts, '--format', 'counts', '-o', out['png'],
                        '-o', out['svg'], '--layout-json', out['json']] + extra,
                       capture_output=True, text=True)
    doc = None
    if r.returncode == 0:
        with open(out['json'], encoding='utf-8') as f:
            doc = json.load(f)
    return r, doc, out


def turned(doc):
    return sorted(w['text'] for w in doc['words'] if w['rotation'] != 0)


def by_a_side(doc):
    """Every turned word's ink is within 5% of the canvas's left or right
    edge: it stands by a side, as an axis title does, not across the middle."""
    up = [w for w in doc['words'] if w['rotation'] != 0]
    return bool(up) and all(w['bbox'][0] < 0.05 * doc['width'] or
                            w['bbox'][2] > 0.95 * doc['width'] for w in up)


def linear(doc):
    return all(abs(w['font_size'] / w['count'] - doc['scale']) < 1e-3 * doc['scale']
               for w in doc['words'])


def inside(doc):
    return all(0 <= w['bbox'][0] and w['bbox'][2] <= doc['width'] and
               0 <= w['bbox'][1] and w['bbox'][3] <= doc['height'] for w in doc['words'])


with tempfile.TemporaryDirectory() as d:
    words = CONSULTATION + [(LONG, 200)]
    counts = os.path.join(d, 'long.tsv')
    write_counts(counts, words)

    # A portrait canvas: the long word's width is what stops the cloud.
    size = ['--width', '1080', '--height', '1920']
    r0, flat, _ = render(d, counts, 'p-none', size)
    r1, auto, out = render(d, counts, 'p-auto', size + ['--rotate', 'auto'])
    ok(r0.returncode == 0 and r1.returncode == 0,
       'portrait: both render (exit %d, %d)' % (r0.returncode, r1.returncode))
    if flat and auto:
        ok(all(w['rotation'] == 0 for w in flat['words']), 'portrait, none: every word flat')
        ok(turned(auto) == [LONG], 'portrait, auto: only %s turns (%s)' % (LONG, turned(auto)))
        ok(all(w['rotation'] in (0, -90) for w in auto['words']),
           'portrait, auto: turned words read bottom to top (-90)')
        ok(auto['scale'] >= 1.05 * flat['scale'],
           'portrait, auto draws at least 5%% larger (scale %.4f vs %.4f)'
           % (auto['scale'], flat['scale']))
        up = [w for w in auto['words'] if w['rotation'] != 0]
        # Upright, the box's height is the word's flat width: wider than the
        # canvas, so flat it could not have been drawn at this size.
        ok(up and all(w['bbox'][3] - w['bbox'][1] > auto['width'] for w in up),
           'portrait, auto: the turned word would not fit flat at its size (%s)'
           % [w['bbox'] for w in up])
        ok(linear(auto) and inside(auto), 'portrait, auto: sizes linear, every box inside')
        ok(by_a_side(auto), 'portrait, auto: the turned word stands by a side (%s)'
           % [w['bbox'] for w in up])
        ok(len(auto['words']) + len(auto['dropped']) == len(words) and
           len(auto['words']) >= len(flat['words']),
           'portrait, auto: every word drawn or listed, at least as many drawn (%d, %d)'
           % (len(auto['words']), len(flat['words'])))
        with open(out['svg'], encoding='utf-8') as f:
            ok('rotate=auto' in f.read(), 'portrait, auto: the SVG records rotate=auto')
        r2, again, out2 = render(d, counts, 'p-auto1', size + ['--rotate', 'auto',
                                                               '--threads', '1'])
        with open(out['png'], 'rb') as a, open(out2['png'], 'rb') as b:
            ok(r2.returncode == 0 and a.read() == b.read(),
               'portrait, auto: the same PNG bytes on 1 thread as on every core')

    # Where turning cannot help (landscape, square), auto is none exactly.
    for w, h in ((1200, 675), (1080, 1080)):
        size = ['--width', str(w), '--height', str(h)]
        r0, flat, _ = render(d, counts, 'n-%d' % h, size)
        r1, auto, _ = render(d, counts, 'a-%d' % h, size + ['--rotate', 'auto'])
        ok(flat and auto and flat['words'] == auto['words'] and
           flat['dropped'] == auto['dropped'] and flat['scale'] == auto['scale'],
           '%dx%d: auto lays out exactly as none (no word turned: %s)'
           % (w, h, turned(auto) if auto else r1.stderr.strip()))

    # A phrase that wrapping lets fit stays flat, on its lines.
    pcounts = os.path.join(d, 'phrase.tsv')
    write_counts(pcounts, CONSULTATION + [(PHRASE, 220)])
    r, doc, _ = render(d, pcounts, 'phrase', ['--width', '1080', '--height', '1920',
                                              '--rotate', 'auto'])
    ok(doc and all(w['rotation'] == 0 for w in doc['words'] if 'lines' in w) and
       any('lines' in w for w in doc['words']),
       'phrase: wrapped onto lines and flat (%s)'
       % (r.stderr.strip() or [(w['text'], w['rotation']) for w in doc['words']
                               if w['rotation'] or 'lines' in w]))

    # At a fixed scale a word too wide for the canvas turns, rather than
    # leaving the cloud undrawable.
    fcounts = os.path.join(d, 'fixed.tsv')
    write_counts(fcounts, [(LONG, 200), ('Care', 100), ('Kind', 60)])
    fixed = ['--width', '1080', '--height', '1920', '--fit', 'none', '--max-font-size', '150']
    r0, flat, out0 = render(d, fcounts, 'f-none', fixed)
    ok(r0.returncode == 65 and LONG in r0.stderr and len(r0.stderr.strip().splitlines()) == 1 and
       not os.path.exists(out0['png']),
       'fixed, none: refused with one line naming the word, nothing written (exit %d: %s)'
       % (r0.returncode, r0.stderr.strip()))
    r1, auto, _ = render(d, fcounts, 'f-auto', fixed + ['--rotate', 'auto'])
    ok(auto and turned(auto) == [LONG] and len(auto['words']) == 3 and linear(auto) and
       inside(auto) and abs(auto['scale'] * 200 - 150) < 1e-6 * 150,
       'fixed, auto: %s drawn upright at 150 px, the others flat (%s)'
       % (LONG, turned(auto) if auto else r1.stderr.strip()))
    ok(auto and by_a_side(auto) and
       [w for w in auto['words'] if w['rotation']][0]['bbox'][0] < 0.05 * auto['width'],
       'fixed, auto: the turned word, placed first, stands by the left side (%s)'
       % ([w['bbox'] for w in auto['words'] if w['rotation']] if auto else None))

    r = subprocess.run([VC, 'render', counts, '--format', 'counts', '--rotate', 'sideways',
                        '-o', os.path.join(d, 'bad.png')], capture_output=True, text=True)
    ok(r.returncode == 64 and "'sideways'" in r.stderr and 'auto' in r.stderr and
       not os.path.exists(os.path.join(d, 'bad.png')),
       'an unknown --rotate value: exit 64, the choices listed (%s)' % r.stderr.strip())

raise SystemExit(done())
