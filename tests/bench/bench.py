#!/usr/bin/python3
"""bench.py - votecloud side by side with word_cloud and d3-cloud (issue 5).

    /usr/bin/python3 tests/bench/bench.py [--quick] [--runs N] [--only W,...]

Generates the workloads (workloads.py), runs every tool on each one at least
`--runs` times as a whole process, and prints one table: median wall time,
peak memory (the child's getrusage max RSS), words placed, shrunk and
dropped, the largest deviation of a drawn size from proportional, ink
coverage and ink overlaps, with votecloud's speed as a ratio to each peer
measured in the same run.  Then the auto-fit cost and `votecloud batch`.

--quick runs votecloud alone on tiny workloads and prints TAP; it is the
meson test `bench-smoke` (suite bench) and asserts no timings.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import workloads  # noqa: E402

SRCDIR = os.environ.get('SRCDIR') or os.path.dirname(os.path.dirname(HERE))
FONT = os.path.join(SRCDIR, 'fonts', 'NotoSans-Bold.ttf')


def font_of(wl):
    return os.path.join(SRCDIR, 'fonts', wl.font)
PEER_PYTHON = '/usr/bin/python3'   # Debian's python3-wordcloud lives here
TIME = '/usr/bin/time' if os.access('/usr/bin/time', os.X_OK) else None
NOT_IMPLEMENTED = 'not implemented'

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
    HAVE_PIL = True
except ImportError:  # the quick mode works without them
    HAVE_PIL = False


# ---- running and measuring ------------------------------------------------

class Run:
    def __init__(self, wall, maxrss_kb, rc, stderr):
        self.wall = wall
        self.maxrss_kb = maxrss_kb
        self.rc = rc
        self.stderr = stderr


def measure(cmd, workdir, env=None):
    """Runs `cmd` once: wall time from spawn to exit, and peak resident
    memory from /usr/bin/time (its 'Maximum resident set size').  Not this
    process's own wait4: on Linux a child's max RSS includes what it
    inherited at fork, so a big Python parent would inflate it; the tool
    forked from the small `time` process is measured alone."""
    out_path = os.path.join(workdir, 'last.stdout')
    err_path = os.path.join(workdir, 'last.stderr')
    rss_path = os.path.join(workdir, 'last.rss')
    timed = [TIME, '-f', '%M', '-o', rss_path] + cmd if TIME else cmd
    with open(out_path, 'wb') as out, open(err_path, 'wb') as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(timed, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    maxrss = usage.ru_maxrss
    if TIME:
        with open(rss_path, encoding='utf-8', errors='replace') as f:
            lines = f.read().split()
        maxrss = int(lines[-1]) if lines and lines[-1].isdigit() else None
    with open(err_path, 'rb') as f:
        stderr = f.read().decode('utf-8', 'replace')
    return Run(wall, maxrss, rc, stderr)


def child_env():
    env = dict(os.environ)
    env['LC_ALL'] = 'C.UTF-8'
    return env


def median(xs):
    return statistics.median(xs) if xs else None


# ---- analysis shared by the tools -----------------------------------------

def ink_fraction(png_path):
    """Share of pixels that differ from the background (the most common
    pixel value), anti-aliased edges included."""
    img = np.asarray(Image.open(png_path).convert('RGBA'))
    flat = img.reshape(-1, 4).view(np.uint32).ravel()
    values, counts = np.unique(flat, return_counts=True)
    background = values[np.argmax(counts)]
    return float(np.count_nonzero(flat != background)) / flat.size


def ink_overlap(width, height, items, supersample):
    """Pixels where two or more words' ink is at least half opaque, drawing
    each word alone with Pillow (HarfBuzz shaping through raqm) from a
    layout.  items: (font_path, size, x, y, anchor, text).  Fractional sizes
    are drawn `supersample` times larger and box-filtered down, which keeps
    the error of a whole-pixel font size well under a pixel."""
    count = np.zeros((height, width), dtype=np.uint8)
    fonts = {}
    ss = supersample
    for font_path, size, x, y, anchor, text in items:
        key = (font_path, int(round(size * ss)))
        if key not in fonts:
            fonts[key] = ImageFont.truetype(font_path, max(1, key[1]))
        font = fonts[key]
        if anchor == 'mask':
            # word_cloud draws through TransposedFont, whose mask carries no
            # offset: the mask's top-left corner lands on (x, y).
            w, h = font.getmask(text).size
            img = Image.new('L', (w, h), 0)
            ImageDraw.Draw(img).text((0, 0), text, fill=255,
                                     font=ImageFont.TransposedFont(font))
            paste(count, np.asarray(img), int(x), int(y), width, height)
            continue
        left, top, right, bottom = font.getbbox(text, anchor=anchor)
        x0 = int(math.floor(x + left / ss)) - 1
        y0 = int(math.floor(y + top / ss)) - 1
        x1 = int(math.ceil(x + right / ss)) + 1
        y1 = int(math.ceil(y + bottom / ss)) + 1
        img = Image.new('L', ((x1 - x0) * ss, (y1 - y0) * ss), 0)
        ImageDraw.Draw(img).text(((x - x0) * ss, (y - y0) * ss), text, fill=255,
                                 font=font, anchor=anchor)
        if ss > 1:
            img = img.reduce(ss)
        paste(count, np.asarray(img), x0, y0, width, height)
    return int(np.count_nonzero(count >= 2))


def paste(count, alpha, x0, y0, width, height):
    """Adds one word's solid (>= 50% opaque) pixels to the count canvas."""
    h, w = alpha.shape
    cx0, cy0 = max(0, x0), max(0, y0)
    cx1, cy1 = min(width, x0 + w), min(height, y0 + h)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    solid = alpha[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0] >= 128
    count[cy0:cy1, cx0:cx1] += solid.astype(np.uint8)


def bbox_overlap_pairs(boxes):
    """Pairs of ink bounding boxes that intersect (a sweep over x).  Small
    words nesting in the gaps of big ones make this normal; it is not an
    ink overlap."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    active, pairs = [], 0
    for i in order:
        x0, y0, x1, y1 = boxes[i]
        active = [j for j in active if boxes[j][2] > x0]
        for j in active:
            if boxes[j][1] < y1 and y0 < boxes[j][3]:
                pairs += 1
        active.append(i)
    return pairs


class Result:
    """One tool on one workload: medians and the quality of the last run."""

    def __init__(self, tool):
        self.tool = tool
        self.wall = []        # whole process, s
        self.inproc = []      # in-process (word_cloud) or layout alone (d3)
        self.rss = []         # KB
        self.skipped = None   # why, when the tool could not run it
        self.error = None
        self.considered = None
        self.placed = None
        self.shrunk = None
        self.no_room = None   # dropped although legible: no room
        self.below_min = None  # requested below the minimum size: by design
        self.max_dev = None
        self.ink = None
        self.ink_overlap = None
        self.bbox_pairs = None
        self.layout_errors = []
        self.extra = {}

    def time(self):
        return median(self.wall)

    def time_inproc(self):
        return median(self.inproc)


def size_quality(res, drawn, requested_all, min_size, tolerance):
    """drawn: [(size, requested)]; requested_all: requested size of every
    word the tool considered.  A word is 'shrunk' when drawn more than
    `tolerance` px below its linear size (whole-pixel tools round)."""
    res.considered = len(requested_all)
    res.placed = len(drawn)
    res.shrunk = sum(1 for s, r in drawn if s < r - tolerance)
    res.max_dev = max((abs(s - r) / r for s, r in drawn), default=0.0)
    legible = sum(1 for r in requested_all if r >= min_size)
    placed_legible = sum(1 for _, r in drawn if r >= min_size)
    res.below_min = res.considered - legible
    res.no_room = legible - placed_legible


# ---- votecloud -------------------------------------------------------------

def votecloud_cmd(vc, wl, png, layout_json, fit='none'):
    cmd = [vc, 'render']
    if wl.text_path:
        cmd += [wl.text_path, '--format', 'text']
    else:
        cmd += [wl.counts_path, '--format', 'counts']
    cmd += ['--fit', fit]
    if fit == 'none':
        cmd += ['--max-font-size', '%g' % wl.max_font_size]
    cmd += ['--min-font-size', '%g' % wl.min_font_size,
            '--padding', str(wl.padding), '--width', str(wl.width),
            '--height', str(wl.height), '--seed', str(wl.seed),
            '--rotate', 'none', '-o', png, '--layout-json', layout_json,
            '--font', font_of(wl),
            # The peers keep no outer margin beyond each word's padding, and
            # their padding does not grow with the word's size.
            '--margin', '0', '--padding-em', '0']
    if wl.mask_path:
        cmd += ['--mask', wl.mask_path]
    if wl.allow_gaps and fit == 'none':
        cmd += ['--allow-gaps']
    return cmd


def check_votecloud_layout(res, wl, doc):
    """Checks a --layout-json report against the request: every word placed
    or listed, sizes linear in the counts, every ink box inside the canvas."""
    words = doc.get('words', [])
    dropped = doc.get('dropped', [])
    counts = [w['count'] for w in words] + [d['count'] for d in dropped]
    top = max(counts) if counts else 1
    if wl.words is not None and len(counts) != len(wl.words):
        res.layout_errors.append('%d words in, %d placed + %d left out'
                                 % (len(wl.words), len(words), len(dropped)))
    drawn = [(w['font_size'], wl.requested_size(w['count'], top)) for w in words]
    requested_all = [wl.requested_size(c, top) for c in counts]
    size_quality(res, drawn, requested_all, wl.min_font_size, 1e-6 * wl.max_font_size)
    res.shrunk = sum(1 for s, r in drawn if abs(s - r) > 1e-4 * r)
    for w in words:
        x0, y0, x1, y1 = w['bbox']
        if x0 < 0 or y0 < 0 or x1 > wl.width or y1 > wl.height:
            res.layout_errors.append("'%s' ink %s outside the %dx%d canvas"
                                     % (w['text'], w['bbox'], wl.width, wl.height))
            break
    res.bbox_pairs = bbox_overlap_pairs([w['bbox'] for w in words])
    for key in ('overlaps', 'ink_overlaps', 'overlap_px'):
        if key in doc:
            res.extra['own_overlap_check'] = doc[key]
    return words


def run_votecloud(vc, wl, runs, outdir, fit='none', analyse=True, budget=1e9, tool=None):
    res = Result(tool or ('votecloud' if fit == 'none' else 'votecloud --fit auto'))
    tag = '' if tool is None else '-baseline'
    png = os.path.join(outdir, 'vc%s-%s-%s.png' % (tag, wl.name, fit))
    layout_json = os.path.join(outdir, 'vc%s-%s-%s.json' % (tag, wl.name, fit))
    cmd = votecloud_cmd(vc, wl, png, layout_json, fit)
    res.extra['cmd'] = cmd
    for _ in range(runs):
        if res.wall and sum(res.wall) > budget:
            break
        r = measure(cmd, outdir, child_env())
        if r.rc != 0:
            msg = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'exit %d' % r.rc
            if NOT_IMPLEMENTED in r.stderr:
                res.skipped = msg
            else:
                res.error = msg
            return res
        res.wall.append(r.wall)
        res.rss.append(r.maxrss_kb)
        res.extra['stderr'] = r.stderr
    if not analyse:
        return res
    with open(layout_json, encoding='utf-8') as f:
        doc = json.load(f)
    words = check_votecloud_layout(res, wl, doc)
    if HAVE_PIL:
        res.ink = ink_fraction(png)
        if all(w.get('rotation', 0) == 0 for w in words):
            res.ink_overlap = ink_overlap(
                wl.width, wl.height,
                [(w.get('font') or font_of(wl), w['font_size'], w['x'], w['y'], 'ls', w['text'])
                 for w in words], 4)
    return res


# ---- the peers -------------------------------------------------------------

def write_job(wl, outdir, tool):
    job = {'font': font_of(wl), 'weight': 'bold' if 'Bold' in wl.font else 'normal',
           'width': wl.width, 'height': wl.height,
           'padding': wl.padding, 'max_font_size': wl.max_font_size,
           'min_font_size': wl.min_font_size, 'seed': wl.seed,
           'counts': wl.counts_path, 'text': wl.text_path, 'mask': wl.mask_path,
           'png': os.path.join(outdir, '%s-%s.png' % (tool, wl.name)),
           'ink': False}
    path = os.path.join(outdir, '%s-%s.job.json' % (tool, wl.name))
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(job, f)
    return path, job


def time_peer(res, cmd, out, inproc_key, runs, outdir, budget):
    """Runs a peer up to `runs` times (within `budget` seconds), recording
    wall time, peak memory and its own in-process time; returns its last
    result document, or None with res.error set."""
    doc = None
    for _ in range(runs):
        if res.wall and sum(res.wall) > budget:
            break
        r = measure(cmd, outdir, child_env())
        if r.rc != 0:
            res.error = (r.stderr.strip().splitlines() or ['exit %d' % r.rc])[-1]
            return None
        with open(out, encoding='utf-8') as f:
            doc = json.load(f)
        res.wall.append(r.wall)
        res.rss.append(r.maxrss_kb)
        res.inproc.append(doc[inproc_key])
    return doc


def run_word_cloud(wl, runs, outdir, budget):
    res = Result('word_cloud')
    job_path, job = write_job(wl, outdir, 'wc')
    out = os.path.join(outdir, 'wc-%s.result.json' % wl.name)
    cmd = [PEER_PYTHON, os.path.join(HERE, 'wc_peer.py'), job_path, out]
    doc = time_peer(res, cmd, out, 'inproc_s', runs, outdir, budget)
    if doc is None:
        return res
    considered = doc['considered']
    fs = wl.max_font_size
    drawn = [(w['size'], fs * considered[w['text']]) for w in doc['layout']]
    # word_cloud draws whole-pixel sizes, rounded: 1 px is rounding, not
    # shrinking.
    size_quality(res, drawn, [fs * v for v in considered.values()],
                 wl.min_font_size, 1.0)
    res.ink = ink_fraction(job['png'])
    res.ink_overlap = ink_overlap(
        wl.width, wl.height,
        [(font_of(wl), w['size'], w['col'], w['row'], 'mask', w['text'])
         for w in doc['layout'] if not w['rotated']], 1)
    return res


def run_d3(wl, runs, outdir, budget):
    res = Result('d3-cloud')
    node = shutil.which('node')
    if not node or not os.path.isdir(os.path.join(HERE, 'node_modules', 'd3-cloud')):
        res.skipped = 'not installed: run tests/bench/setup.sh'
        return res
    job_path, job = write_job(wl, outdir, 'd3')
    out = os.path.join(outdir, 'd3-%s.result.json' % wl.name)
    cmd = [node, os.path.join(HERE, 'd3_peer.js'), job_path, out]
    if time_peer(res, cmd, out, 'layout_s', runs, outdir, budget) is None:
        return res
    # One more run, untimed, that draws the placed words for ink coverage
    # and overlaps (the layout is the same: the seed is fixed).
    job['ink'] = True
    with open(job_path, 'w', encoding='utf-8') as f:
        json.dump(job, f)
    r = measure(cmd, outdir, child_env())
    if r.rc == 0:
        with open(out, encoding='utf-8') as f:
            doc = json.load(f)
        res.ink = doc.get('ink')
        res.ink_overlap = doc.get('overlap_px')
    top = max(c for _, c in wl.words)
    requested_all = [wl.requested_size(c, top) for _, c in wl.words]
    # d3-cloud truncates sizes to whole pixels (~~size): under 1 px is that.
    size_quality(res, [(w['size'], w['requested']) for w in doc['layout']],
                 requested_all, wl.min_font_size, 1.0)
    return res


# ---- the table -------------------------------------------------------------

def fmt_time(s):
    if s is None:
        return '-'
    return '%.0f ms' % (s * 1000) if s < 10 else '%.1f s' % s


def fmt_pct(x):
    return '-' if x is None else '%.1f%%' % (100 * x)


def fmt_int(x):
    return '-' if x is None else str(x)


def fmt_ratio(peer, vc):
    if peer is None or vc is None or vc <= 0:
        return '-'
    r = peer / vc
    return '%.0fx' % r if r >= 10 else '%.2fx' % r


COLUMNS = ['workload', 'tool', 'median', 'in-proc', 'peak MB', 'placed',
           'shrunk', 'dropped', '<min', 'max dev', 'ink', 'ink ovl px',
           'bbox ovl', 'vc faster']


def table_rows(all_results, runs):
    rows = []
    for wl, results in all_results:
        vc = next((r for r in results if r.tool == 'votecloud'), None)
        vc_t = vc.time() if vc else None
        for r in results:
            if r.skipped or r.error:
                rows.append([wl.label, r.tool, ('skipped: ' + r.skipped) if r.skipped
                             else 'FAILED: ' + r.error] + [''] * (len(COLUMNS) - 3))
                continue
            ratio = ''
            if r.tool != 'votecloud' and vc_t:
                ratio = fmt_ratio(r.time(), vc_t)
                if r.inproc:
                    ratio += ' (%s)' % fmt_ratio(r.time_inproc(), vc_t)
            rows.append([
                wl.label, r.tool, fmt_time(r.time()) + (
                    ' n=%d' % len(r.wall) if len(r.wall) < runs else ''),
                fmt_time(r.time_inproc()) if r.inproc else '-',
                '%.0f' % (max(r.rss) / 1024) if r.rss and None not in r.rss else '-',
                '%s/%s' % (fmt_int(r.placed), fmt_int(r.considered)),
                fmt_int(r.shrunk), fmt_int(r.no_room), fmt_int(r.below_min),
                '-' if r.max_dev is None else '%.1f%%' % (100 * r.max_dev),
                fmt_pct(r.ink), fmt_int(r.ink_overlap), fmt_int(r.bbox_pairs), ratio])
    return rows


def print_table(rows, out=sys.stdout):
    widths = [len(c) for c in COLUMNS]
    for row in rows:
        if len(row) == len(COLUMNS) and row[3] != '':
            widths = [max(w, len(str(c))) for w, c in zip(widths, row)]
    line = '  '.join(c.ljust(w) for c, w in zip(COLUMNS, widths))
    print(line, file=out)
    print('-' * len(line), file=out)
    last = None
    for row in rows:
        label = row[0] if row[0] != last else ''
        last = row[0]
        if row[3] == '' and row[2].startswith(('skipped', 'FAILED')):
            print('%s  %s  %s' % (label.ljust(widths[0]), row[1].ljust(widths[1]), row[2]),
                  file=out)
            continue
        print('  '.join(str(c).ljust(w) for c, w in zip([label] + row[1:], widths)),
              file=out)


LEGEND = """\
median      whole process, spawn to exit, median of {runs} runs (n=K: only K runs, by --budget);
            start-up included (word_cloud's Python start-up and imports alone are ~0.15-0.3 s)
in-proc     word_cloud: WordCloud() to PNG written, inside Python; d3-cloud: layout.start() to 'end'
peak MB     maximum resident set size of the tool's process (/usr/bin/time %M), highest over runs
placed      words drawn / words the tool considered (for the book: after its own counting)
shrunk      drawn smaller than the linear size: votecloud any deviation over 0.01%; word_cloud and
            d3-cloud over 1 px, since they draw whole-pixel sizes
dropped     legible words (linear size >= min font size) not drawn: no room found
<min        words whose linear size is below the min font size ({min} px, same for all): left out by design
max dev     largest |drawn size - linear size| / linear size over drawn words (whole-pixel rounding
            counts: d3-cloud truncates sizes, word_cloud rounds each size from the previous one)
ink         non-background pixels of the PNG (d3-cloud writes no image: its placed words drawn
            with the same font on @napi-rs/canvas, text-anchor middle, as its examples draw them)
ink ovl px  pixels where two words' ink (drawn each alone, >= 50% opaque) coincide; votecloud and
            word_cloud re-drawn from their layouts with Pillow+raqm (votecloud at 4x, for
            fractional sizes), d3-cloud on @napi-rs/canvas
bbox ovl    votecloud only: pairs of ink bounding boxes (layout JSON) that intersect; normal when
            small words nest in the gaps of big ones, NOT an overlap of ink
vc faster   peer median / votecloud median, same run; in brackets: peer's in-process time /
            votecloud's whole process"""


# ---- auto-fit and batch ----------------------------------------------------

def run_autofit(vc, wl, runs, outdir, budget):
    none = run_votecloud(vc, wl, runs, outdir, 'none', analyse=False, budget=budget)
    auto = run_votecloud(vc, wl, runs, outdir, 'auto', analyse=False, budget=budget)
    if none.skipped or none.error or auto.skipped or auto.error:
        return 'auto-fit: skipped: %s' % (none.skipped or none.error or auto.skipped or auto.error)
    with open(os.path.join(outdir, 'vc-%s-auto.json' % wl.name), encoding='utf-8') as f:
        doc = json.load(f)
    return ('auto-fit (%s): --fit auto %s (n=%d) vs --fit none %s (n=%d): %.2fx the '
            'fixed-scale render (auto scale %s, %d placed, %d left out)'
            % (wl.label, fmt_time(auto.time()), len(auto.wall), fmt_time(none.time()),
               len(none.wall),
               auto.time() / none.time(), doc.get('scale'), len(doc.get('words', [])),
               len(doc.get('dropped', []))))


def run_batch(vc, runs, outdir, budget, n_events=50, n_words=30):
    events = os.path.join(outdir, 'events')
    os.makedirs(events, exist_ok=True)
    inputs = []
    for i in range(n_events):
        words, _ = workloads.word_list(n_words, 40, 5, 5000 + i)
        path = os.path.join(events, 'event-%02d.tsv' % (i + 1))
        workloads.write_counts(path, words)
        inputs.append(path)
    times, rss = [], []
    dest = os.path.join(outdir, 'batch-out')
    cmd = [vc, 'batch'] + inputs + ['-o', dest, '-j2', '--format', 'counts',
                                    '--font', FONT, '--width', '800', '--height', '600',
                                    '--seed', '42']
    for _ in range(runs):
        if times and sum(times) > budget:
            break
        shutil.rmtree(dest, ignore_errors=True)
        r = measure(cmd, outdir, child_env())
        if r.rc != 0:
            msg = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'exit %d' % r.rc
            return 'batch: skipped: `votecloud batch` failed: %s' % msg
        times.append(r.wall)
        rss.append(r.maxrss_kb)
    files = os.listdir(dest)
    pngs = sum(f.endswith('.png') for f in files)
    svgs = sum(f.endswith('.svg') for f in files)
    return ('batch: %d events x %d words, PNG+SVG, -j2: median %s of %d runs, peak %.0f MB; '
            'wrote %d PNG, %d SVG'
            % (n_events, n_words, fmt_time(median(times)), len(times), max(rss) / 1024, pngs, svgs))


def run_timings(vc, wl, outdir):
    png = os.path.join(outdir, 'vc-timings.png')
    cmd = votecloud_cmd(vc, wl, png, os.path.join(outdir, 'vc-timings.json')) + ['--timings']
    r = measure(cmd, outdir, child_env())
    if r.rc != 0:
        return None
    with open(os.path.join(outdir, 'last.stdout'), encoding='utf-8', errors='replace') as f:
        text = f.read()
    return (text + r.stderr).strip()


# ---- the quick mode (TAP) --------------------------------------------------

def quick(vc, outdir):
    loads = workloads.build(outdir, quick=True)
    probe = run_votecloud(vc, loads[0], 1, outdir, analyse=False)
    if probe.skipped:
        print('1..0 # SKIP votecloud render: %s' % probe.skipped)
        return 0
    n, failed = 0, 0

    def tap(ok, what, detail=''):
        nonlocal n, failed
        n += 1
        failed += not ok
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, what))
        if detail and not ok:
            for line in detail.splitlines():
                print('# ' + line)

    for wl in loads:
        res = run_votecloud(vc, wl, 1, outdir)
        ran = not res.skipped and not res.error
        tap(ran, '%s: ran' % wl.name, res.error or res.skipped or '')
        if not ran:
            tap(False, '%s: placed all words at proportional size' % wl.name, 'did not run')
            tap(False, '%s: no layout errors' % wl.name, 'did not run')
            continue
        if wl.words is None:
            # Counted by votecloud itself, with gaps allowed: every word it
            # draws at its true size, and some legible ones left out.
            tap(res.placed > 0 and res.shrunk == 0 and res.no_room > 0,
                '%s: drew words at proportional size and listed the ones without room'
                % wl.name, 'placed %s, shrunk %s, no room %s'
                % (res.placed, res.shrunk, res.no_room))
        else:
            all_placed = (res.placed == len(wl.words) and res.no_room == 0 and
                          res.below_min == 0 and res.shrunk == 0)
            tap(all_placed, '%s: placed all words at proportional size' % wl.name,
                'placed %s of %d, shrunk %s, no room %s, max size deviation %.3g%%'
                % (res.placed, len(wl.words), res.shrunk, res.no_room,
                   100 * (res.max_dev or 0)))
        errors = list(res.layout_errors)
        if res.ink_overlap:
            errors.append('%d px where two words\' ink overlaps (re-drawn)' % res.ink_overlap)
        if HAVE_PIL and res.ink is not None and res.ink <= 0:
            errors.append('the PNG has no ink')
        tap(not errors, '%s: no layout errors' % wl.name, '\n'.join(errors))
    print('1..%d' % n)
    return 1 if failed else 0


# ---- main ------------------------------------------------------------------

def find_votecloud(arg):
    for cand in (arg, os.environ.get('VOTECLOUD'),
                 os.path.join(SRCDIR, 'build', 'src', 'cli', 'votecloud')):
        if cand and os.access(cand, os.X_OK):
            return os.path.abspath(cand)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--quick', action='store_true', help='votecloud only, tiny, TAP')
    ap.add_argument('--runs', type=int, default=5, help='runs per tool and workload (5)')
    ap.add_argument('--only', help='comma-separated workload names')
    ap.add_argument('--budget', type=float, default=300,
                    help='seconds of runs per tool and workload after which no further '
                         'run starts, short of --runs (the table then shows n=) (300)')
    ap.add_argument('--votecloud', help='the binary (default: $VOTECLOUD, build/src/cli/votecloud)')
    ap.add_argument('--out', help='work folder (default: a fresh one under /tmp)')
    ap.add_argument('--baseline', help='another votecloud binary (an earlier build) run in the '
                                       'same run, as one more row: before/after on equal terms')
    ap.add_argument('--no-peers', action='store_true', help='votecloud only')
    ap.add_argument('--peers-only', action='store_true', help='word_cloud and d3-cloud only')
    ap.add_argument('--peers', default='word_cloud,d3-cloud',
                    help='which peers to run (word_cloud,d3-cloud)')
    args = ap.parse_args()
    vc = find_votecloud(args.votecloud)
    if args.quick:
        if not vc:
            print('1..0 # SKIP no votecloud binary (set VOTECLOUD)')
            return 0
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            return quick(vc, args.out)
        with tempfile.TemporaryDirectory(prefix='votecloud-bench-') as tmp:
            return quick(vc, tmp)
    outdir = args.out or tempfile.mkdtemp(prefix='votecloud-bench-')
    os.makedirs(outdir, exist_ok=True)
    if not HAVE_PIL:
        sys.exit('bench.py: needs numpy and Pillow: run it with /usr/bin/python3 '
                 '(tests/bench/run.sh does), after tests/bench/setup.sh')
    if not vc and not args.peers_only:
        sys.exit('bench.py: no votecloud binary: build it or pass --votecloud')
    loads = workloads.build(outdir)
    if args.only:
        wanted = args.only.split(',')
        loads = [w for w in loads if w.name in wanted]
    print('votecloud benchmark: %s, %d runs each, work folder %s' % (
        time.strftime('%Y-%m-%d %H:%M'), args.runs, outdir))
    print('machine: %d cores, %s; votecloud %s' % (
        os.cpu_count(), os.uname().release, vc))
    all_results = []
    for wl in loads:
        results = []
        if not args.peers_only:
            results.append(run_votecloud(vc, wl, args.runs, outdir, budget=args.budget))
        if args.baseline:
            results.append(run_votecloud(os.path.abspath(args.baseline), wl, args.runs, outdir,
                                         budget=args.budget, tool='vc baseline'))
        peers = args.peers.split(',')
        if not args.no_peers and 'word_cloud' in peers:
            results.append(run_word_cloud(wl, args.runs, outdir, args.budget))
        if not args.no_peers and 'd3-cloud' in peers:
            if 'd3-cloud' in wl.notes:
                r = Result('d3-cloud')
                r.skipped = wl.notes['d3-cloud']
                results.append(r)
            else:
                results.append(run_d3(wl, args.runs, outdir, args.budget))
        all_results.append((wl, results))
        print('  done: %s' % wl.label, file=sys.stderr, flush=True)
    print()
    print_table(table_rows(all_results, args.runs))
    print()
    print(LEGEND.format(runs=args.runs, min='/'.join(sorted({'%g' % w.min_font_size
                                                             for w in loads}))))
    if vc and not args.peers_only:
        print()
        w1k = next((w for w in loads if w.name == 'w1k'), None)
        if w1k:
            print(run_autofit(vc, w1k, args.runs, outdir, args.budget))
            timings = run_timings(vc, w1k, outdir)
            if timings:
                print('votecloud --timings (%s):\n  %s' % (w1k.label, timings.replace('\n', '\n  ')))
        print(run_batch(vc, args.runs, outdir, args.budget))
        for wl, results in all_results:
            for r in results:
                if r.tool == 'votecloud' and (r.layout_errors or r.extra.get('own_overlap_check')):
                    print('votecloud %s: %s %s' % (wl.name, '; '.join(r.layout_errors),
                                                  r.extra.get('own_overlap_check', '')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
