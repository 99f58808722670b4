#!/usr/bin/python3
"""scale.py - scale efficiency: at a fixed canvas, how large can each tool
draw every word at its exact linear size (issue 16)?

    /usr/bin/python3 tests/bench/scale.py [--only W,...] [--canvases bench,square,portrait]
        [--votecloud BIN] [--baseline BIN] [--vc-args '--wrap none']
        [--peers word_cloud,d3-cloud]

--baseline runs an earlier votecloud build on the same canvases: its top
px and its ratio to the best peer sit beside the current build's, against
the same peer figures (before and after in one run).

votecloud: `render --fit auto` (the largest scale at which every word fits,
within its 2% search tolerance); its top word's size = scale x top count.
The peers have no such search, so their largest top size is found by
bisection (to 2%): word_cloud with relative_scaling=1 fails when any
position search fails (that is when it would shrink or stop), d3-cloud
with a linear fontSize fails when any word is left out.  The ratio
votecloud top px / peer top px is the ratio of scales (px per vote).

Also for votecloud: ink compactness (ink pixels / the bounding box of every
word's ink), the smallest drawn word in px, and the canvas bound: the top
size at which some drawn word alone spans the canvas (no flat packing of
these words can draw larger), with votecloud's top size as a share of it.  Prints one table; asserts
nothing (it is a measurement, not a test).
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import workloads  # noqa: E402

CANVASES = {'bench': None, 'square': (1080, 1080), 'portrait': (1080, 1920)}
TOLERANCE = 1.02


def on_canvas(wl, canvas):
    size = CANVASES[canvas]
    if size:
        wl = workloads.Workload(wl.name, wl.label, size[0], size[1], wl.max_font_size,
                                words=wl.words, padding=wl.padding,
                                min_font_size=wl.min_font_size, seed=wl.seed, font=wl.font)
        wl.counts_path = None
    return wl


def votecloud_top(vc, wl, outdir, extra):
    tag = '%s-%dx%d' % (wl.name, wl.width, wl.height)
    png = os.path.join(outdir, 'scale-vc-%s.png' % tag)
    lj = os.path.join(outdir, 'scale-vc-%s.json' % tag)
    cmd = bench.votecloud_cmd(vc, wl, png, lj, fit='auto') + extra
    r = subprocess.run(cmd, capture_output=True, text=True, env=bench.child_env())
    if r.returncode != 0:
        return {'error': (r.stderr.strip().splitlines() or ['exit %d' % r.returncode])[-1]}
    with open(lj, encoding='utf-8') as f:
        doc = json.load(f)
    words = doc['words']
    top = max(w['count'] for w in words + doc.get('dropped', []))
    boxes = [w['bbox'] for w in words]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    ink = bench.ink_fraction(png) * wl.width * wl.height
    # The canvas's own bound: the top size at which some drawn word (as
    # drawn: its lines, flat) alone spans the canvas inside the padding.
    # No flat layout of these words draws larger, whatever its packing.
    uw, uh = wl.width - 2 * wl.padding, wl.height - 2 * wl.padding
    cap = min(min(uw / max(1, b[2] - b[0]), uh / max(1, b[3] - b[1])) for b in boxes)
    return {'top': doc['scale'] * top, 'placed': len(words),
            'cap': doc['scale'] * top * cap,
            'n': len(words) + len(doc.get('dropped', [])),
            'compact': ink / max(1, (x1 - x0) * (y1 - y0)),
            'bbox': '%dx%d' % (x1 - x0, y1 - y0),
            'smallest': min(w['font_size'] for w in words)}


def peer_ok(tool, wl, px, outdir):
    """True when the peer places every word at its linear size with top size px."""
    saved = wl.max_font_size
    wl.max_font_size = px
    try:
        job_path, job = bench.write_job(wl, outdir, 'scale-' + tool)
    finally:
        wl.max_font_size = saved
    job['png'] = None
    job['count_misses'] = True
    with open(job_path, 'w', encoding='utf-8') as f:
        json.dump(job, f)
    out = job_path + '.result.json'
    if tool == 'word_cloud':
        cmd = [bench.PEER_PYTHON, os.path.join(HERE, 'wc_peer.py'), job_path, out]
    else:
        cmd = [shutil.which('node'), os.path.join(HERE, 'd3_peer.js'), job_path, out]
    r = subprocess.run(cmd, capture_output=True, text=True, env=bench.child_env())
    if r.returncode != 0:
        raise RuntimeError('%s: %s' % (tool, r.stderr.strip()[-300:]))
    with open(out, encoding='utf-8') as f:
        doc = json.load(f)
    n = len(wl.words)
    if tool == 'word_cloud':
        return doc['misses'] == 0 and len(doc['layout']) == n
    return len(doc['layout']) == n


def peer_top(tool, wl, outdir, guess, max_runs):
    """The largest top size (px) at which the peer places every word, by
    bracketing from `guess` and bisecting to TOLERANCE."""
    lo, hi, runs = None, None, 0
    px = guess
    while runs < max_runs:
        ok = peer_ok(tool, wl, px, outdir)
        runs += 1
        if ok:
            lo = px
        else:
            hi = px
        if lo and hi:
            if hi / lo <= TOLERANCE:
                break
            px = (lo * hi) ** 0.5
        elif lo:
            px = lo * 1.3
        else:
            px = hi / 1.3
    return lo, hi, runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--only', default='w50,w200,votes,phrases,w1k,w1k-tiny')
    ap.add_argument('--canvases', default='bench,square,portrait')
    ap.add_argument('--votecloud')
    ap.add_argument('--baseline', help='an earlier votecloud build, measured beside it')
    ap.add_argument('--vc-args', default='', help='extra votecloud render options')
    ap.add_argument('--peers', default='word_cloud,d3-cloud')
    ap.add_argument('--max-runs', type=int, default=9, help='peer runs per bisection (9)')
    ap.add_argument('--out')
    args = ap.parse_args()
    vc = bench.find_votecloud(args.votecloud)
    outdir = args.out or tempfile.mkdtemp(prefix='votecloud-scale-')
    os.makedirs(outdir, exist_ok=True)
    os.makedirs(os.path.join(outdir, 'baseline'), exist_ok=True)
    loads = {w.name: w for w in workloads.build(outdir)}
    peers = [p for p in args.peers.split(',') if p]
    extra = shlex.split(args.vc_args)
    print('scale efficiency: votecloud %s %s; peers bisected to %.0f%%; work folder %s'
          % (vc, ' '.join(extra), 100 * (TOLERANCE - 1), outdir))
    cols = ['workload', 'canvas'] + (['baseline px'] if args.baseline else [])
    cols += ['vc top px', 'placed', 'ink compact', 'smallest px', 'bound px', 'vc / bound']
    cols += ['%s px' % p for p in peers] + ['vc / %s' % p for p in peers]
    if peers:
        cols += (['baseline / best'] if args.baseline else []) + ['vc / best']
    rows = []
    for name in args.only.split(','):
        base = loads[name]
        for canvas in args.canvases.split(','):
            wl = on_canvas(base, canvas)
            if wl.counts_path is None:
                wl.counts_path = os.path.join(outdir, '%s.tsv' % name)
            v = votecloud_top(vc, wl, outdir, extra)
            row = [name, '%dx%d' % (wl.width, wl.height)]
            b = None
            if args.baseline:
                b = votecloud_top(args.baseline, wl, os.path.join(outdir, 'baseline'), extra)
                row.append('FAILED' if 'error' in b else '%.1f' % b['top'])
            if 'error' in v:
                rows.append(row + ['FAILED: ' + v['error']])
                continue
            row += ['%.1f' % v['top'], '%d/%d' % (v['placed'], v['n']),
                    '%.1f%%' % (100 * v['compact']), '%.1f' % v['smallest'],
                    '%.1f' % v['cap'], '%.0f%%' % (100 * v['top'] / v['cap'])]
            tops = []
            for p in peers:
                lo, hi, runs = peer_top(p, wl, outdir, v['top'], args.max_runs)
                tops.append(lo)
                row.append('-' if lo is None else '%.1f%s' % (lo, '' if hi else ' (>=)'))
            for lo in tops:
                row.append('-' if not lo else '%.2fx' % (v['top'] / lo))
            best = max((lo for lo in tops if lo), default=None)
            if peers and b is not None:
                row.append('-' if not best or 'error' in b else '%.2fx' % (b['top'] / best))
            if peers:
                row.append('-' if not best else '%.2fx' % (v['top'] / best))
            rows.append(row)
            print('  ' + '  '.join(row), file=sys.stderr, flush=True)
    widths = [max(len(c), *(len(r[i]) for r in rows if len(r) > i)) for i, c in enumerate(cols)]
    print('  '.join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print('  '.join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
