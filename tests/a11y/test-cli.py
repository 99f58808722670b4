#!/usr/bin/env python3
"""test-cli.py - the accessibility promises of `votecloud render`, end to
end through the binary: the --legend band (no word's ink in it, legend ink
in the PNG band, an SVG group with a title, 4.5:1 on dark backgrounds), the
SVG's ARIA wiring, one warning per adjusted palette colour, --dpi in PNG
pHYs and the PDF page size, provenance that re-makes identical bytes, and
--alt-text matching the PNG Description and the SVG <desc>.  Speaks TAP.
Python standard library only (a small PNG reader below)."""
import html
import json
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

VC = os.environ['VOTECLOUD']
SRCDIR = os.environ['SRCDIR']
SURVEY = os.path.join(SRCDIR, 'examples', 'consultation.csv')
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    # One TAP line: a quoted stderr may hold line breaks.
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, what.replace('\n', ' | ')), flush=True)


def run(*args):
    return subprocess.run([VC, 'render', *args], capture_output=True, text=True)


# ---- PNG ---------------------------------------------------------------------

def png_chunks(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path + ': not a PNG'
    pos, out = 8, []
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        out.append((kind.decode('ascii'), data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return out


def png_text(path):
    """tEXt and uncompressed iTXt chunks as {keyword: text}."""
    text = {}
    for kind, body in png_chunks(path):
        if kind == 'tEXt':
            k, v = body.split(b'\0', 1)
            text[k.decode('latin-1')] = v.decode('latin-1')
        elif kind == 'iTXt':
            k, rest = body.split(b'\0', 1)
            comp, rest = rest[0], rest[2:]
            _lang, rest = rest.split(b'\0', 1)
            _tkey, v = rest.split(b'\0', 1)
            text[k.decode('latin-1')] = (zlib.decompress(v) if comp else v).decode('utf-8')
    return text


def png_phys(path):
    for kind, body in png_chunks(path):
        if kind == 'pHYs':
            return struct.unpack('>IIB', body)
    return None


def png_pixels(path):
    """(width, height, channels, rows of bytes), 8-bit RGB or RGBA."""
    chunks = png_chunks(path)
    w, h, depth, ctype = struct.unpack('>IIBB', chunks[0][1][:10])
    assert depth == 8 and ctype in (2, 6), 'unexpected PNG format'
    ch = 3 if ctype == 2 else 4
    raw = zlib.decompress(b''.join(b for k, b in chunks if k == 'IDAT'))
    stride = w * ch
    rows, prev = [], bytearray(stride)
    for j in range(h):
        f = raw[j * (stride + 1)]
        cur = bytearray(raw[j * (stride + 1) + 1:(j + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pr) & 255
        rows.append(bytes(cur))
        prev = cur
    return w, h, ch, rows


# ---- WCAG --------------------------------------------------------------------

def luminance(rgb):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def hexrgb(s):
    return int(s.lstrip('#'), 16)


def band_height(height):
    """The layout's legend band: max(28, 8 % of the height), at most a third."""
    band = max(28, int(0.08 * height + 0.5))
    return min(band, height // 3)


# ---- the tests ---------------------------------------------------------------

def test_legend(d):
    W, H = 800, 450
    top = H - band_height(H)
    png, svg, pdf, js = (os.path.join(d, 'legend.' + e) for e in ('png', 'svg', 'pdf', 'json'))
    r = run(SURVEY, '--legend', '--width', str(W), '--height', str(H), '-o', png, '-o', svg,
            '-o', pdf, '--layout-json', js)
    ok(r.returncode == 0, 'render --legend succeeds: ' + r.stderr.strip()[:200])
    rep = json.load(open(js))
    below = [w['text'] for w in rep['words'] if w['bbox'][3] > top]
    ok(rep['words'] and not below,
       '%d words, none with ink in the band y >= %d (%r)' % (len(rep['words']), top, below[:5]))

    w, h, ch, rows = png_pixels(png)
    ink = {}
    for j in range(top, h):
        row = rows[j]
        for i in range(w):
            px = row[i * ch:i * ch + 3]
            if px != b'\xff\xff\xff':
                ink[px] = ink.get(px, 0) + 1
    darkest = min(ink, key=lambda p: sum(p)) if ink else None
    ok(sum(ink.values()) > 500, 'legend ink in the PNG band: %d pixels' % sum(ink.values()))
    ok(darkest == bytes.fromhex('505a5f'), 'legend drawn in #505a5f: %r' % darkest)
    above = sum(1 for j in range(top - 3, top) for i in range(w)
                if rows[j][i * ch:i * ch + 3] == bytes.fromhex('505a5f'))
    ok(above == 0, 'legend ink stays inside the band (%d solid pixels just above)' % above)

    text = open(svg, encoding='utf-8').read()
    root = ET.fromstring(text.encode())
    ns = '{http://www.w3.org/2000/svg}'
    legend = root.find(ns + "g[@id='vc-legend']")
    ok(legend is not None, 'SVG has the legend group')
    title = legend.find(ns + 'title').text if legend is not None else ''
    m = re.search(r'Aa = (\d+) votes?', title or '')
    ok(m is not None and '= ' in title and 'responses' in title,
       'legend title has the size sample, key and respondents: %r' % title)
    ok(legend is not None and len(legend.findall('.//' + ns + 'use')) > 20,
       'the legend is drawn as glyph outlines')
    # The sample "Aa" stands for R votes at the cloud's own scale.
    sample = legend.find(ns + 'g') if legend is not None else None
    sc = re.search(r'scale\(([\d.]+)\)', sample.get('transform')) if sample is not None else None
    if m and sc:
        size = float(sc.group(1)) * 1000  # Noto Sans: 1000 units per em
        want = rep['scale'] * int(m.group(1))
        ok(abs(size - want) < 0.01 * want, 'sample "Aa" is %.2f px = scale x %s votes (%.2f)'
           % (size, m.group(1), want))
    else:
        ok(False, 'sample "Aa" found in the legend')
    ok(open(pdf, 'rb').read(5) == b'%PDF-', 'PDF with a legend written')

    # On a dark background the legend's grey is lightened to 4.5:1.
    svg2 = os.path.join(d, 'dark.svg')
    r = run(SURVEY, '--legend', '--background', '#1a1a1a', '-o', svg2)
    m = re.search(r'<g id="vc-legend" fill="(#[0-9a-f]{6})"', open(svg2).read())
    ratio = contrast(hexrgb(m.group(1)), 0x1a1a1a) if m else 0
    ok(r.returncode == 0 and ratio >= 4.5, 'legend on #1a1a1a has contrast %.2f:1' % ratio)

    # Without --legend there is no band and no legend group.
    svg3 = os.path.join(d, 'nolegend.svg')
    r = run(SURVEY, '-o', svg3)
    ok(r.returncode == 0 and 'vc-legend' not in open(svg3).read(), 'no legend unless asked')


def test_aria(d):
    svg = os.path.join(d, 'aria.svg')
    r = run(SURVEY, '--title', 'Our values & <vision>', '-o', svg)
    root = ET.fromstring(open(svg, 'rb').read())
    ns = '{http://www.w3.org/2000/svg}'
    ok(r.returncode == 0 and root.get('role') == 'img', 'SVG is well-formed, role="img"')
    ok(root.get('aria-labelledby') == 'vc-title' and root.get('aria-describedby') == 'vc-desc',
       'aria-labelledby names the title, aria-describedby the description: %r %r'
       % (root.get('aria-labelledby'), root.get('aria-describedby')))
    t, dsc = root.find(ns + 'title'), root.find(ns + 'desc')
    ok(t is not None and t.get('id') == 'vc-title' and t.text == 'Our values & <vision>',
       '<title id="vc-title"> holds the escaped title')
    ok(dsc is not None and dsc.get('id') == 'vc-desc' and dsc.text.startswith('Word cloud of'),
       '<desc id="vc-desc"> holds the alt text')


def test_contrast(d):
    counts = os.path.join(d, 'c.tsv')
    with open(counts, 'w') as f:
        f.write('prevention\t210\nwellbeing\t180\ncare\t150\ncompassion\t12\nkindness\t40\n'
                'trust\t5\nhope\t3\n')
    js = os.path.join(d, 'contrast.json')
    png = os.path.join(d, 'contrast.png')
    r = run(counts, '--palette', '#FFB81C', '-o', png, '--layout-json', js)
    warns = [ln for ln in r.stderr.splitlines() if 'colour #FFB81C' in ln]
    ok(r.returncode == 0 and len(warns) == 1, 'one warning names #FFB81C: %r' % r.stderr)
    ok(warns and 'has contrast 1.' in warns[0] and 'on #FFFFFF' in warns[0] and
       '--contrast off' in warns[0], 'the warning gives the ratio, background and way out')
    words = json.load(open(js))['words']
    colors = {w['color'] for w in words}
    ok('#ffb81c' not in colors, 'the layout uses adjusted colours: %r' % sorted(colors))
    bad = [(w['text'], w['color']) for w in words
           if contrast(hexrgb(w['color']), 0xffffff) < (3.0 if w['font_size'] >= 18.66 else 4.5)]
    ok(not bad, 'every word meets WCAG 2.1 on white: %r' % bad)
    for c in colors:
        if c.upper().lstrip('#') not in warns[0] if warns else True:
            ok(False, 'the warning names the colour used, %s' % c)
            break
    else:
        ok(True, 'the warning names each colour used instead')

    r = run(counts, '--palette', '#FFB81C', '--contrast', 'off', '-o', png, '--layout-json', js)
    colors = {w['color'] for w in json.load(open(js))['words']}
    ok(r.returncode == 0 and 'colour' not in r.stderr, '--contrast off: no warning')
    ok(colors == {'#ffb81c'}, '--contrast off keeps the colour: %r' % sorted(colors))

    # Named palettes are adjusted by design (NHS Warm Yellow), quietly.
    r = run(SURVEY, '-o', png, '--layout-json', js)
    colors = {w['color'] for w in json.load(open(js))['words']}
    ok(r.returncode == 0 and 'colour' not in r.stderr and '#ffb81c' not in colors
       and len(colors) > 12, 'the default palette is adjusted without a warning: %r'
       % r.stderr[:200])


def test_dpi(d):
    pdf = os.path.join(d, 'dpi.pdf')
    r = run(SURVEY, '--dpi', '300', '-o', pdf)
    m = re.search(rb'/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]', open(pdf, 'rb').read())
    box = (float(m.group(1)), float(m.group(2))) if m else None
    ok(r.returncode == 0 and box == (1200 * 72 / 300, 675 * 72 / 300),
       '--dpi 300: PDF MediaBox is 288 x 162 pt: %r' % (box,))
    pdf96 = os.path.join(d, 'dpi96.pdf')
    run(SURVEY, '-o', pdf96)
    m = re.search(rb'/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]', open(pdf96, 'rb').read())
    ok(m and (float(m.group(1)), float(m.group(2))) == (900, 506.25),
       'default 96 dpi: 900 x 506.25 pt')
    png = os.path.join(d, 'dpi.png')
    r = run(SURVEY, '--dpi', '300', '--width', '300', '--height', '200', '-o', png)
    ok(png_phys(png) == (11811, 11811, 1), '--dpi 300: pHYs 11811 px/m: %r' % (png_phys(png),))
    r = run(SURVEY, '--dpi', '300', '--scale', '2', '--width', '300', '--height', '200', '-o', png)
    ok(png_phys(png) == (23622, 23622, 1),
       '--dpi 300 --scale 2: pHYs 23622 px/m (same physical size): %r' % (png_phys(png),))


# Provenance keys and how each becomes an option again; None: derived.
PROVENANCE_OPTIONS = {
    'seed', 'sizing', 'fit', 'width', 'height', 'font', 'max-font-size', 'min-font-size',
    'max-words', 'padding', 'padding-em', 'margin', 'spiral', 'shape', 'mask', 'rotate',
    'prefer-horizontal', 'palette', 'color-by', 'background', 'contrast', 'contrast-against',
    'legend', 'scale', 'dpi',
}
PROVENANCE_DERIVED = {'px-per-unit'}


def parse_provenance(s):
    head, _, rest = s.partition('; ')
    pairs = []
    for m in re.finditer(r'([a-z-]+)=("(?:[^"\\]|\\.)*"|[^;]*)(?:; |$)', rest):
        v = m.group(2)
        if v.startswith('"'):
            v = re.sub(r'\\(.)', r'\1', v[1:-1])
        pairs.append((m.group(1), v))
    return head, pairs


def options_from(pairs):
    args, unknown = [], []
    for k, v in pairs:
        if k in PROVENANCE_DERIVED:
            continue
        if k not in PROVENANCE_OPTIONS:
            unknown.append(k)
        elif k == 'legend':
            args += ['--legend'] if v == 'on' else []
        elif k == 'font' and v == 'bundled':
            continue
        elif k in ('max-font-size', 'max-words') and float(v) == 0:
            continue  # 0 is "none", the default
        else:
            args += ['--' + k, v]
    return args, unknown


def test_provenance(d):
    png = os.path.join(d, 'prov.png')
    svg = os.path.join(d, 'prov.svg')
    opts = ['--sizing', 'sqrt', '--rotate', 'mixed', '--prefer-horizontal', '0.7', '--seed', '7',
            '--palette', 'okabe-ito', '--background', '#102030', '--padding', '3',
            '--shape', 'ellipse', '--legend', '--width', '700', '--height', '400', '--scale', '2',
            '--dpi', '150', '--max-words', '40', '--min-font-size', '9', '--spiral',
            'rectangular', '--color-by', 'group', '--title', 'Values; "2026"']
    r = run(SURVEY, *opts, '-o', png, '-o', svg)
    ok(r.returncode == 0, 'render with many options: ' + r.stderr.strip()[:200])
    text = png_text(png)
    prov = text.get('Comment', '')
    head, pairs = parse_provenance(prov)
    keys = [k for k, _ in pairs]
    ok(head == 'votecloud ' + subprocess.run([VC, '--version'], capture_output=True,
                                             text=True).stdout.split()[-1],
       'provenance starts with the version: %r' % head)
    for want in ('seed', 'sizing', 'width', 'height', 'font', 'padding', 'spiral', 'shape',
                 'rotate', 'prefer-horizontal', 'palette', 'color-by', 'background',
                 'contrast', 'legend', 'scale', 'max-words', 'min-font-size', 'max-font-size',
                 'fit', 'dpi'):
        if want not in keys:
            ok(False, 'provenance lists %s: %r' % (want, prov))
            break
    else:
        ok(True, 'provenance lists every option that shapes the layout')
    svg_text = open(svg, encoding='utf-8').read()
    m = re.search(r'<metadata id="vc-provenance">(.*?)</metadata>', svg_text, re.S)
    ok(m and prov in html.unescape(m.group(1)), 'the SVG carries the same provenance')

    args, unknown = options_from(pairs)
    ok(not unknown, 'every provenance key is an option (unknown: %r)' % unknown)
    again = os.path.join(d, 'again.png')
    r = run(SURVEY, *args, '--title', text.get('Title', ''), '-o', again)
    same = r.returncode == 0 and open(again, 'rb').read() == open(png, 'rb').read()
    ok(same, 're-rendered from the provenance, identical bytes: %s'
       % shlex.join(args))


def test_alt_text(d):
    png, svg, alt = (os.path.join(d, 'alt.' + e) for e in ('png', 'svg', 'txt'))
    r = run(SURVEY, '--question', 'Which words describe our vision?', '-o', png, '-o', svg,
            '--alt-text', alt)
    ok(r.returncode == 0 and os.path.exists(alt), '--alt-text FILE is written by render')
    line = open(alt, encoding='utf-8').read()
    ok(line.endswith('\n') and line.count('\n') == 1, 'the alt text is one line')
    line = line.rstrip('\n')
    ok(line.startswith('Word cloud of ') and 'responses' in line and
       'Which words describe our vision?' in line and len(line) <= 250,
       'plain language with the question, <= 250 characters: %r' % line)
    ok(png_text(png).get('Description') == line, 'PNG Description is the same text')
    m = re.search(r'<desc id="vc-desc">(.*?)</desc>', open(svg, encoding='utf-8').read(), re.S)
    ok(m and html.unescape(m.group(1)) == line, 'SVG <desc> is the same text')
    r = subprocess.run([VC, 'render', SURVEY, '-o', png, '--alt-text', '-'],
                       capture_output=True, text=True)
    ok(r.returncode == 0 and r.stdout.startswith('Word cloud of ') and
       r.stdout.count('\n') == 1, '--alt-text - prints the line to stdout')


def main():
    with tempfile.TemporaryDirectory() as d:
        for t in (test_legend, test_aria, test_contrast, test_dpi, test_provenance,
                  test_alt_text):
            try:
                t(d)
            except Exception as e:  # one broken section must not hide the rest
                ok(False, '%s: %s: %s' % (t.__name__, type(e).__name__, e))
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
