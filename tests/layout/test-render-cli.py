#!/usr/bin/env python3
"""test-render-cli.py - `votecloud render` end to end: exit codes, every
output format, the --layout-json schema, nothing written on error, and
the warning for words left out.  Speaks TAP."""
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from taplib import done, ok  # noqa: E402

VC = os.environ['VOTECLOUD']


def run(*args):
    return subprocess.run([VC, 'render', *args], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as d:
    counts = os.path.join(d, 'votes.tsv')
    with open(counts, 'w') as f:
        f.write('prevention\t210\ncare\t120\ncommunity\t120\nkindness\t60\nwellbeing\t30\n'
                'staff\t12\naccess\t6\nhope\t1\n')
    png, svg, pdf, js = (os.path.join(d, 'c.' + e) for e in ('png', 'svg', 'pdf', 'json'))
    r = run(counts, '-o', png, '-o', svg, '-o', pdf, '--layout-json', js, '--width', '600',
            '--height', '340', '--timings')
    ok(r.returncode == 0, 'render succeeds: ' + r.stderr.strip()[:200].replace('\n', ' | '))
    ok(open(png, 'rb').read(8) == b'\x89PNG\r\n\x1a\n', 'PNG written')
    ok(b'<svg' in open(svg, 'rb').read(), 'SVG written')
    ok(open(pdf, 'rb').read(5) == b'%PDF-', 'PDF written')
    ok('timings (ms): read' in r.stderr and 'encode' in r.stderr, '--timings prints stages')
    rep = json.load(open(js))
    keys = ['width', 'height', 'seed', 'sizing', 'scale', 'smallest_font_size',
            'ink_compactness', 'words', 'dropped']
    ok(list(rep.keys()) == keys, 'report keys in order: %s' % list(rep.keys()))
    wkeys = ['text', 'count', 'group', 'font_size', 'x', 'y', 'rotation', 'advance', 'bbox',
             'color', 'font']
    ok(all(list(w.keys()) == wkeys for w in rep['words']) and rep['words'],
       'every word has the schema fields')
    ok(all(abs(w['font_size'] / w['count'] - rep['scale']) < 1e-3 * rep['scale']
           for w in rep['words']), 'linear sizes: font_size / count = scale')
    ok(len(rep['words']) + len(rep['dropped']) == 8, 'every word drawn or left out')
    ok(all(len(w['color']) == 7 and w['color'][0] == '#' for w in rep['words']),
       'colours are #rrggbb')
    ok(all(0 <= w['bbox'][0] < w['bbox'][2] <= 600 and 0 <= w['bbox'][1] < w['bbox'][3] <= 340
           for w in rep['words']), 'ink boxes inside the canvas')

    ok(abs(rep['smallest_font_size'] - min(w['font_size'] for w in rep['words'])) < 1e-3,
       'smallest_font_size is the smallest drawn word\'s (%s)' % rep['smallest_font_size'])
    # Ink compactness, recounted from the PNG: pixels that are not the
    # background, over the box around every word's ink box.
    img = Image.open(png).convert('RGB')
    bg = img.getpixel((0, 0))
    inked = sum(1 for p in img.getdata() if p != bg)
    boxes = [w['bbox'] for w in rep['words']]
    area = ((max(b[2] for b in boxes) - min(b[0] for b in boxes)) *
            (max(b[3] for b in boxes) - min(b[1] for b in boxes)))
    ok(0 < rep['ink_compactness'] < 1 and abs(rep['ink_compactness'] - inked / area) < 1e-3,
       'ink_compactness %s = the PNG\'s ink %d px / the words\' box %d px' %
       (rep['ink_compactness'], inked, area))

    # Same seed, same bytes.
    js2 = os.path.join(d, 'again.json')
    png2 = os.path.join(d, 'again.png')
    run(counts, '-o', png2, '--layout-json', js2, '--width', '600', '--height', '340')
    ok(open(js, 'rb').read() == open(js2, 'rb').read(), 'same seed: identical report')
    ok(open(png, 'rb').read() == open(png2, 'rb').read(), 'same seed: identical PNG')

    # Words too small at the size that fits: a warning, with the count.
    r = run(counts, '-o', png2, '--width', '300', '--height', '100', '--min-font-size', '14')
    ok(r.returncode == 0 and 'left out (fewest votes' in r.stderr,
       'left-out words are counted in one warning: ' + r.stderr.strip()[:200])
    # --strict makes it an error, and nothing is written.
    out = os.path.join(d, 'strict.png')
    r = run(counts, '-o', out, '--width', '300', '--height', '100', '--min-font-size', '14',
            '--strict')
    ok(r.returncode == 65 and not os.path.exists(out), '--strict: exit 65, nothing written')

    # --max-words cuts inside a tie (care and community, 120 votes each):
    # the left-out word says it is tied and how ties are kept, in the
    # report, the pack's table and long description; the warning points at
    # the report the run wrote.
    pack = os.path.join(d, 'pack')
    r = run(counts, '-o', png2, '--max-words', '2', '--pack', pack)
    rep = json.load(open(os.path.join(pack, 'layout.json')))
    drawn = sorted(w['text'] for w in rep['words'])
    left = {w['text']: w['reason'] for w in rep['dropped']}
    ok(r.returncode == 0 and drawn == ['care', 'prevention'],
       '--max-words 2 draws prevention and care (ties: alphabetical): %s' % drawn)
    ok('tied at 120 votes with a drawn word' in left.get('community', ''),
       'the tied word says so: %r' % left.get('community'))
    ok(left.get('kindness') == 'not in the top 2 (the most words drawn)',
       'a word with fewer votes is not called tied: %r' % left.get('kindness'))
    desc = open(os.path.join(pack, 'description.txt')).read()
    ok(desc.count('tied with a drawn word') == 1 and '“community”: 120 votes' in desc,
       'the long description marks the one tied word')
    ok('see ' + os.path.join(pack, 'layout.json') in r.stderr,
       'the warning names the pack\'s report: ' + r.stderr.strip()[:200])

    # A canvas too narrow for any word at a legible size: the reason says
    # so, not the size of a scale that was never going to be drawn; at a
    # fixed size, that size.
    r = run(counts, '-o', png2, '--width', '16', '--height', '340')
    ok(r.returncode == 65 and 'wider or taller than the canvas even at the minimum font size 8 px'
       in r.stderr, 'a 16 px wide canvas: too long even at the minimum size: ' + r.stderr.strip()[-120:])
    r = run(counts, '-o', png2, '--width', '100', '--fit', 'none', '--max-font-size', '200',
            '--min-font-size', '4', '--allow-gaps', '--layout-json', js2)
    why = {w['text']: w['reason'] for w in json.load(open(js2))['dropped']} if r.returncode == 0 else {}
    ok(why.get('prevention') == 'too long to draw: wider or taller than the canvas at 200 px',
       '--fit none: too long at its fixed size, and that size: %r' % why.get('prevention'))

    # Usage errors: exit 64 before any output.
    for args, what in [
        (['-o', os.path.join(d, 'x.gif')], 'unknown output format'),
        (['-o', counts], 'output path equal to an input'),
        (['-o', out, '--fit', 'none'], '--fit none without --max-font-size'),
        (['-o', out, '--width', '20000', '--height', '20000'], 'canvas over --max-megapixels'),
        (['-o', out, '--min-font-size', '50', '--max-font-size', '20'], 'min above max'),
        (['-o', out, '--mask', os.path.join(d, 'missing.png')], 'missing mask'),
    ]:
        r = run(counts, *args)
        ok(r.returncode in (64, 66) and not os.path.exists(out) and r.stderr.startswith('votecloud: '),
           '%s: exit %d, nothing written: %s' % (what, r.returncode, r.stderr.strip()[:160]))
    ok(open(counts).read().startswith('prevention'), 'the input is untouched')

    # Issue 17: the truth at the edges of the layout stage.
    # The report names the bundled font by file name, never this machine's path.
    fonts = {w['font'] for w in rep['words']}
    ok(fonts and all(f and '/' not in f for f in fonts),
       'the layout report names the bundled font by file name: %s' % sorted(fonts))
    # Answers in Bengali and Arabic are drawn in the weight of the chosen
    # font: in bold among regular English words they would look chosen by
    # more people than they were.
    langs = os.path.join(d, 'langs.tsv')
    with open(langs, 'w') as f:
        f.write('care\t5\n\u09af\u09a4\u09cd\u09a8\t5\n\u0631\u0639\u0627\u064a\u0629\t5\n')
    fonts_dir = os.path.join(os.environ['SRCDIR'], 'fonts')
    for font, weight in [(None, 'Bold'), ('NotoSans-Regular.ttf', 'Regular')]:
        lj = os.path.join(d, 'langs-%s.json' % weight)
        r = run(langs, '-o', os.path.join(d, 'langs.png'), '--layout-json', lj,
                *(['--font', os.path.join(fonts_dir, font)] if font else []))
        used = sorted(w['font'] for w in json.load(open(lj))['words']) if r.returncode == 0 else []
        ok(len(used) == 3 and all(f.endswith('-%s.ttf' % weight) for f in used),
           '%s font: every script drawn in %s: %s %s' % (font or 'the default', weight, used,
                                                        r.stderr.strip()[:160]))
    # A character no font here has (unassigned code points): the image shows
    # a box, so one warning names the first three such words, most votes
    # first, and how many more; the report marks exactly those words.
    ok('drawn with a box' not in r.stderr, 'no box warning when every character is drawn')
    boxes = os.path.join(d, 'boxes.tsv')
    odd = ['a\u09b3', 'b\u09b4', 'c\u09b5', 'd\u0378', 'e\u09b1']
    with open(boxes, 'w') as f:
        f.write('care\t9\n\u09aa\u09cd\u09b0\t8\n')
        for k, w in enumerate(odd):
            f.write('%s\t%d\n' % (w, 7 - k))
    lj = os.path.join(d, 'boxes.json')
    r = run(boxes, '-o', os.path.join(d, 'boxes.png'), '--layout-json', lj)
    want = ("votecloud: warning: 5 words drawn with a box for a character no font here has: "
            "'a\u09b3' (U+09B3), 'b\u09b4' (U+09B4), 'c\u09b5' (U+09B5) and 2 more; "
            "install a font that covers it, or choose one with --font")
    ok(r.returncode == 0 and want in r.stderr.splitlines(),
       'one warning names the first three words with a box and counts the rest: %s' %
       r.stderr.strip()[:300])
    marked = {w['text']: w.get('undrawable') for w in json.load(open(lj))['words']} \
        if r.returncode == 0 else {}
    ok(marked == {'care': None, '\u09aa\u09cd\u09b0': None, 'a\u09b3': 'U+09B3',
                  'b\u09b4': 'U+09B4', 'c\u09b5': 'U+09B5', 'd\u0378': 'U+0378',
                  'e\u09b1': 'U+09B1'},
       'the report marks exactly the words with a box, with the character: %s' % marked)
    # Nothing drawable (only a word without votes): exit 65, no image.
    zero = os.path.join(d, 'zero.tsv')
    with open(zero, 'w') as f:
        f.write('nothing\t0\n')
    out = os.path.join(d, 'zero.png')
    r = run(zero, '-o', out)
    ok(r.returncode == 65 and not os.path.exists(out) and 'nothing to draw' in r.stderr,
       'nothing drawable: exit 65, no image: ' + r.stderr.strip()[:160])
    # --fit none: a word with many votes that does not fit while fewer-voted
    # words are drawn is an error naming it, its votes and the fix.
    big = os.path.join(d, 'big.tsv')
    with open(big, 'w') as f:
        for i in range(12):
            f.write('bigword%02d\t100\n' % i)
        for i in range(20):
            f.write('w%02d\t30\n' % i)
    out = os.path.join(d, 'gap.png')
    r = run(big, '-o', out, '--fit', 'none', '--max-font-size', '40', '--sizing', 'linear',
            '--width', '300', '--height', '200')
    ok(r.returncode == 65 and not os.path.exists(out) and "'bigword" in r.stderr and
       '(100 votes)' in r.stderr and 'larger canvas' in r.stderr and
       '(--fit auto, --max-font-size, --allow-gaps)' in r.stderr,
       '--fit none with a gap: exit 65, named, no image: ' + r.stderr.strip()[:200])
    # Asked for with --allow-gaps: drawn, and every description says which
    # most-voted words are missing.
    alt = os.path.join(d, 'gap.txt')
    r = run(big, '-o', out, '--fit', 'none', '--max-font-size', '40', '--sizing', 'linear',
            '--width', '300', '--height', '200', '--allow-gaps', '--alt-text', alt)
    alt_text = open(alt).read() if os.path.exists(alt) else ''
    ok(r.returncode == 0 and os.path.exists(out) and 'not shown' in alt_text.lower() and
       'more votes than a drawn word' in alt_text,
       '--allow-gaps draws, and the alt text names the gap: ' + alt_text[:200])
    # A 10,000-letter word is left out with a reason; the rest is drawn.
    long_in = os.path.join(d, 'long.tsv')
    with open(long_in, 'w') as f:
        f.write('a' * 10000 + '\t5\nhello\t3\n')
    out, js3 = os.path.join(d, 'long.png'), os.path.join(d, 'long.json')
    r = run(long_in, '-o', out, '--layout-json', js3, '--width', '400', '--height', '300')
    rep3 = json.load(open(js3)) if os.path.exists(js3) else {'words': [], 'dropped': []}
    ok(r.returncode == 0 and os.path.exists(out) and [w['text'] for w in rep3['words']] == ['hello']
       and 'too long to draw' in rep3['dropped'][0]['reason'] and 'too long' in r.stderr,
       'a 10,000-letter word is left out with a reason, not an abort: ' + r.stderr.strip()[:160])

raise SystemExit(done())
