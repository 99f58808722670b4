#!/usr/bin/env python3
"""test-render-cli.py - `votecloud render` end to end: exit codes, every
output format, the --layout-json schema, nothing written on error, and
the warning for words left out.  Speaks TAP."""
import json
import os
import subprocess
import tempfile

VC = os.environ['VOTECLOUD']
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, what))


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
    keys = ['width', 'height', 'seed', 'sizing', 'scale', 'words', 'dropped']
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

print('1..%d' % n)
raise SystemExit(1 if failed else 0)
