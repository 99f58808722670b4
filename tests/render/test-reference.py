#!/usr/bin/python3
"""test-reference.py - reference-image tests, in the manner of cairo's test
suite: each case renders through the votecloud CLI and is compared with a
committed PNG under a tolerance, so a change that moves or recolours words
fails while an antialiasing difference of a level or two does not.  The SVG
of each case, rasterised by rsvg-convert and shown by headless Chromium and
headless Firefox (Gecko), must match the PNG too (each skipped when the
program is missing).

  test-reference.py            compare (TAP)
  test-reference.py --update   rewrite the references after a deliberate change

Failed comparisons leave CASE-out.png and CASE-diff.png in the working
folder (the build folder under meson) for a person to look at."""
import os
import shutil
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from taplib import done, ok, skip  # noqa: E402


HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get('SRCDIR', os.path.join(HERE, '..', '..'))
VC = os.environ.get('VOTECLOUD', 'votecloud')
REF = os.path.join(HERE, 'reference')
EX = os.path.join(SRC, 'examples')

# name: (input, options); every case uses the bundled fonts.
CASES = {
    'multilingual': (os.path.join(EX, 'multilingual.tsv'),
                     ['--width', '600', '--height', '340']),
    'survey-legend': (os.path.join(EX, 'consultation.csv'),
                      ['--columns', 'Word 1,Word 2,Word 3',
                       '--free-text-columns', 'Any words missing?',
                       '--vocabulary', os.path.join(EX, 'vocabulary.txt'),
                       '--color-by', 'group', '--legend', '--width', '640',
                       '--height', '400']),
    'mixed-ellipse': (os.path.join(EX, 'multilingual.tsv'),
                      ['--rotate', 'mixed', '--shape', 'ellipse', '--palette', 'okabe-ito',
                       '--sizing', 'sqrt', '--width', '500', '--height', '500', '--seed', '7']),
    'dark-transparent': (os.path.join(EX, 'multilingual.tsv'),
                         ['--background', 'transparent', '--contrast-against', '#1a1a1a',
                          '--palette', 'viridis', '--width', '480', '--height', '270']),
}

# Per channel, 0-255: the mean difference allowed, and the share of pixels
# allowed to differ by more than BIG.
MEAN_LIMIT = 1.0
BIG = 64
BIG_SHARE = 0.005
# Another renderer's antialiasing differs along every glyph edge, so an SVG
# drawn elsewhere is held to a looser bound (a moved or recoloured word is
# still far outside it: a moved word gives a mean near 60).
VIEWER_MEAN_LIMIT = 3.0
VIEWER_BIG_SHARE = 0.015

def render(inp, opts, out):
    r = subprocess.run([VC, 'render', inp, '-q', '-o', out] + opts,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stderr.strip()


def flatten(img):
    """RGBA over white, so transparent images compare by what a page shows."""
    img = img.convert('RGBA')
    white = Image.new('RGBA', img.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, img).convert('RGB')


def compare(a, b):
    """(mean abs difference per channel, share of pixels off by > BIG)."""
    if a.size != b.size:
        return None
    diff = ImageChops.difference(flatten(a), flatten(b))
    hist = diff.histogram()
    n = a.size[0] * a.size[1]
    total = 0
    for ch in range(3):
        total += sum(v * c for v, c in enumerate(hist[ch * 256:(ch + 1) * 256]))
    mean = total / (3.0 * n)
    worst = diff.convert('L').point(lambda v: 255 if v > BIG else 0)
    big = worst.histogram()[255] / float(n)
    return mean, big, diff


def rasterise_svg(viewer, svg, size, out, tmp):
    """Draws the SVG at 1:1 with `viewer`; returns an error text or None."""
    if viewer == 'rsvg-convert':
        cmd = ['rsvg-convert', '-o', out, svg]
    elif viewer == 'firefox-esr':
        profile = os.path.join(tmp, 'firefox-profile')
        os.makedirs(profile, exist_ok=True)
        cmd = ['firefox-esr', '--headless', '--no-remote', '--profile', profile,
               '--window-size=%d,%d' % size, '--screenshot', out, 'file://' + svg]
    else:
        cmd = ['chromium', '--headless', '--no-sandbox', '--disable-gpu',
               '--disable-background-networking', '--disable-component-update',
               '--disable-sync', '--no-first-run', '--disable-quic', '--hide-scrollbars',
               '--user-data-dir=' + os.path.join(tmp, 'chromium-profile'),
               '--force-device-scale-factor=1', '--window-size=%d,%d' % size,
               '--screenshot=' + out, 'file://' + svg]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60)
    except subprocess.TimeoutExpired:
        return 'timed out'
    if r.returncode != 0 or not os.path.exists(out):
        return (r.stderr.strip().splitlines() or ['failed'])[-1]
    return None


def check_svg(viewer, name, svg, png, tmp):
    """The SVG as `viewer` draws it must look like the PNG."""
    if not shutil.which(viewer):
        skip('%s: %s not installed' % (name, viewer))
        return
    out = os.path.join(tmp, '%s-%s.png' % (name, viewer))
    why = rasterise_svg(viewer, svg, png.size, out, tmp)
    res = compare(Image.open(out), png) if why is None else None
    good = res is not None and res[0] <= VIEWER_MEAN_LIMIT and res[1] <= VIEWER_BIG_SHARE
    ok(good, '%s: SVG in %s matches the PNG (%s)' % (
        name, viewer, 'mean %.3f <= %.1f, %.3f%% off by > %d <= %.1f%%' % (
            res[0], VIEWER_MEAN_LIMIT, 100 * res[1], BIG, 100 * VIEWER_BIG_SHARE)
        if res else why or 'size differs'))
    if not good and why is None:
        shutil.copyfile(out, '%s-%s.png' % (name, viewer))


def main():
    update = '--update' in sys.argv
    tmp = tempfile.mkdtemp(prefix='vc-ref-')
    try:
        for name, (inp, opts) in CASES.items():
            png = os.path.join(tmp, name + '.png')
            rc, err = render(inp, opts, png)
            ok(rc == 0, '%s renders (%s)' % (name, err or 'no message'))
            if rc != 0:
                continue
            ref = os.path.join(REF, name + '.png')
            if update:
                shutil.copyfile(png, ref)
                ok(True, '%s: reference updated' % name)
                continue
            got = Image.open(png)
            if not os.path.exists(ref):
                ok(False, '%s: no reference image %s (run with --update)' % (name, ref))
                continue
            res = compare(got, Image.open(ref))
            if res is None:
                ok(False, '%s: size %s differs from the reference' % (name, got.size))
                continue
            mean, big, diff = res
            good = mean <= MEAN_LIMIT and big <= BIG_SHARE
            ok(good, '%s matches its reference (mean %.3f <= %.1f, %.3f%% of pixels off by '
               '> %d <= %.1f%%)' % (name, mean, MEAN_LIMIT, 100 * big, BIG, 100 * BIG_SHARE))
            if not good:
                got.save(name + '-out.png')
                diff.point(lambda v: min(255, v * 4)).save(name + '-diff.png')
            svg = os.path.join(tmp, name + '.svg')
            render(inp, opts, svg)
            for viewer in ('rsvg-convert', 'chromium', 'firefox-esr'):
                check_svg(viewer, name, svg, got, tmp)
    finally:
        shutil.rmtree(tmp)
    return done()


if __name__ == '__main__':
    sys.exit(main())
