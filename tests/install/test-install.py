#!/usr/bin/env python3
"""test-install.py - a relocatable install: `meson install --destdir` into a
temporary folder, the prefix MOVED somewhere else, and the moved votecloud
renders a cloud with the moved library and the moved bundled fonts (the
layout report names the font file it used).  Speaks TAP.

usage: test-install.py MESON BUILD_DIR PREFIX SOURCE_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from taplib import ok, skip, done  # noqa: E402

meson, build, prefix, srcdir = sys.argv[1:5]

VOTES = 'prevention\t210\ncare\t120\ncommunity\t120\nkindness\t60\nhope\t50\n'


def clean_env(**extra):
    """The environment of a person running the installed program: nothing
    pointing at the build tree."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('LD_LIBRARY_PATH', 'VOTECLOUD_DATADIR', 'VOTECLOUD')}
    env.update(extra)
    return env


STRACE = shutil.which('strace')


def render(exe, workdir, env, name):
    """Renders, recording (under strace) every font file the run opened:
    the layout report names bundled fonts by file name only, so it cannot
    say from which folder they came."""
    png = os.path.join(workdir, name + '.png')
    js = os.path.join(workdir, name + '.json')
    trace = os.path.join(workdir, name + '.trace')
    cmd = [exe, 'render', os.path.join(workdir, 'votes.tsv'), '-o', png,
           '--layout-json', js, '--width', '400', '--height', '240']
    if STRACE:
        cmd = [STRACE, '-f', '-qq', '-e', 'trace=open,openat', '-o', trace] + cmd
        # LeakSanitizer stops the world with ptrace, which strace holds.
        env = dict(env, ASAN_OPTIONS=env.get('ASAN_OPTIONS', '') + ':detect_leaks=0')
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=workdir)
    report = None
    if r.returncode == 0 and os.path.exists(js):
        with open(js) as f:
            report = json.load(f)
    r.fonts_opened = []
    if STRACE and os.path.exists(trace):
        with open(trace) as f:
            r.fonts_opened = sorted({m for m in re.findall(r'"([^"]+\.ttf)"', f.read())})
    return r, png, report


def fonts_of(r):
    """The font files the run opened."""
    return r.fonts_opened


with tempfile.TemporaryDirectory() as tmp:
    stage = os.path.join(tmp, 'stage')
    r = subprocess.run([meson, 'install', '-C', build, '--no-rebuild', '--quiet',
                        '--destdir', stage], capture_output=True, text=True)
    ok(r.returncode == 0, 'meson install --destdir succeeds' +
       ('' if r.returncode == 0 else ': ' + r.stderr.strip()[-500:]))
    staged = stage + prefix
    ok(os.path.isdir(staged), 'the prefix %s is under the destdir' % prefix)

    # Move the whole prefix: nothing may still point at where it was made.
    moved = os.path.join(tmp, 'elsewhere', 'votecloud-moved')
    os.makedirs(os.path.dirname(moved))
    shutil.move(staged, moved)
    shutil.rmtree(stage)
    ok(not os.path.exists(staged) and os.path.isdir(moved), 'prefix moved to %s' % moved)

    exe = os.path.join(moved, 'bin', 'votecloud')
    fonts = os.path.join(moved, 'share', 'votecloud', 'fonts')
    ok(os.access(exe, os.X_OK), 'bin/votecloud installed')
    ok(os.path.isfile(os.path.join(fonts, 'NotoSans-Bold.ttf')) and
       os.path.isfile(os.path.join(fonts, 'OFL.txt')), 'bundled fonts and licence installed')
    libs = [os.path.join(d, f) for d, _, fs in os.walk(moved) for f in fs
            if f.startswith('libvotecloud.so')]
    ok(libs, 'libvotecloud.so installed: %s' % [os.path.relpath(p, moved) for p in libs])

    # The version: one number, from the installed header and the binary.
    vh = os.path.join(moved, 'include', 'votecloud-version.h')
    header = open(vh).read() if os.path.exists(vh) else ''
    m = re.search(r'#define VC_VERSION_STRING "([^"]+)"', header)
    ok(m is not None, 'votecloud-version.h installed with VC_VERSION_STRING')
    version = m.group(1) if m else '?'
    parts = [re.search(r'#define VC_VERSION_%s (\d+)' % p, header) for p in
             ('MAJOR', 'MINOR', 'MICRO')]
    ok(all(parts) and '.'.join(p.group(1) for p in parts) == version,
       'VC_VERSION_MAJOR.MINOR.MICRO spell VC_VERSION_STRING %s' % version)
    main_h = os.path.join(moved, 'include', 'votecloud.h')
    ok(os.path.exists(main_h) and '#include "votecloud-version.h"' in open(main_h).read(),
       'the installed votecloud.h includes votecloud-version.h')
    r = subprocess.run([exe, '--version'], capture_output=True, text=True, env=clean_env())
    ok(r.returncode == 0 and r.stdout.strip() == 'votecloud ' + version,
       'moved binary runs: --version prints %r' % r.stdout.strip())

    ldd = shutil.which('ldd')
    if ldd:
        r = subprocess.run([ldd, exe], capture_output=True, text=True, env=clean_env())
        line = next((ln for ln in r.stdout.splitlines() if 'libvotecloud' in ln), '')
        target = line.split('=>')[-1].split('(')[0].strip() if '=>' in line else ''
        ok(target and os.path.realpath(target).startswith(os.path.realpath(moved) + os.sep),
           'the moved library is the one loaded (rpath $ORIGIN): %s' % line.strip())
    else:
        skip('ldd not found: cannot show which library is loaded')

    # `votecloud serve` is votecloud-serve beside it; votecloud itself loads
    # none of the server's libraries (they cost start-up on every render).
    serve_exe = os.path.join(moved, 'bin', 'votecloud-serve')
    ok(os.access(serve_exe, os.X_OK), 'bin/votecloud-serve installed')
    r = subprocess.run([exe, 'serve', '--help'], capture_output=True, text=True,
                       env=clean_env())
    ok(r.returncode == 0 and r.stdout.startswith('usage: votecloud serve'),
       'the moved votecloud runs serve from beside it: serve --help (exit %d) %s'
       % (r.returncode, (r.stdout or r.stderr).splitlines()[0:1]))
    readelf = shutil.which('readelf')
    if readelf:
        needed = {p: [ln.split('[')[1].rstrip(']') for ln in
                      subprocess.run([readelf, '-d', p], capture_output=True,
                                     text=True).stdout.splitlines() if '(NEEDED)' in ln]
                  for p in [exe, serve_exe] + libs}
        server_libs = ('libmicrohttpd', 'libsqlite3', 'libzip', 'libqrencode')
        ok(not any(n.startswith(server_libs) for n in needed[exe]) and
           any(n.startswith('libmicrohttpd') for n in needed[serve_exe]),
           'votecloud needs no server library, votecloud-serve does: %s / %s'
           % (needed[exe], needed[serve_exe]))
        ok(libs and not any(n.startswith(('libzip', 'libcrypto')) for p in libs
                            for n in needed[p]),
           'libvotecloud reads workbooks without libzip (and its libcrypto): %s'
           % sorted({n for p in libs for n in needed[p]}))
        ok(libs and not any(n.startswith('libcairo') for p in [exe] + libs
                            for n in needed[p]),
           'neither votecloud nor libvotecloud needs libcairo at start-up')
    else:
        skip('readelf not found: the programs\' libraries are not known')

    work = os.path.join(tmp, 'work')
    os.makedirs(work)
    with open(os.path.join(work, 'votes.tsv'), 'w') as f:
        f.write(VOTES)
    r, png, report = render(exe, work, clean_env(), 'moved')
    ok(r.returncode == 0, 'moved binary renders (exit %d) %s' % (r.returncode, r.stderr.strip()))
    with open(png, 'rb') as f:
        ok(f.read(8) == b'\x89PNG\r\n\x1a\n', 'a PNG is written')
    used = fonts_of(r)
    if STRACE:
        ok(used and all(os.path.realpath(p).startswith(os.path.realpath(fonts) + os.sep)
                        for p in used),
           'the moved binary opens the moved bundled fonts: %s' % used)
    else:
        skip('strace is not installed: which font files were opened is not known')
    ok(report is not None and {w['font'] for w in report['words']} == {'NotoSans-Bold.ttf'},
       'the layout report names the bundled font by its file name only (no path leaks)')
    ok(report is not None and len(report['words']) == 5, 'all 5 words placed')

    # cairo is opened by what draws with it (layout/cairo-lib.c): a PNG run
    # never loads it, a PDF run does, and draws.  glibc's loader says what
    # it loads under LD_DEBUG=files.
    for ext, wanted in (('png', False), ('pdf', True)):
        out = os.path.join(work, 'lazy.' + ext)
        r = subprocess.run([exe, 'render', os.path.join(work, 'votes.tsv'), '-o', out, '-q'],
                           capture_output=True, text=True, env=clean_env(LD_DEBUG='files'))
        loaded = 'file=libcairo.so' in r.stderr
        ok(r.returncode == 0 and os.path.getsize(out) > 0 and loaded == wanted,
           'a %s render %s libcairo (exit %d)' % (ext.upper(), 'loads' if wanted else
                                                    'does not load', r.returncode))

    # VOTECLOUD_DATADIR overrides the lookup: the source tree's fonts, or a
    # clear error naming the folder when it holds none.
    r, _, report = render(exe, work, clean_env(VOTECLOUD_DATADIR=srcdir), 'env')
    used = fonts_of(r)
    if STRACE:
        ok(r.returncode == 0 and used and all(
            os.path.realpath(p).startswith(os.path.realpath(os.path.join(srcdir, 'fonts')) + os.sep)
            for p in used), 'VOTECLOUD_DATADIR=%s: fonts from its fonts/: %s' % (srcdir, used))
    else:
        skip('strace is not installed: which font files were opened is not known')
    empty = os.path.join(tmp, 'empty')
    os.makedirs(empty)
    r, _, _ = render(exe, work, clean_env(VOTECLOUD_DATADIR=empty), 'bad')
    ok(r.returncode != 0 and os.path.join(empty, 'fonts') in r.stderr,
       'VOTECLOUD_DATADIR without fonts: exit %d, message names the folder: %s'
       % (r.returncode, r.stderr.strip()))

sys.exit(done())
