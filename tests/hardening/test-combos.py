#!/usr/bin/env python3
"""test-combos.py - `votecloud render|count|batch|inspect` over option combinations
no hand-written test thought of, speaking TAP.  A seeded generator (the
same combinations every run) draws 1-7 options with good, edge and bad
values, 0-2 flags, outputs and 1-2 inputs (real exports from
make-exports.py, the examples, damaged and empty files); each run must:

- end with a known exit status, never a signal or a sanitizer report (the
  suite also runs under ASan/UBSan, where a report aborts);
- on failure, print exactly one error line (batch: one per failed event;
  notes such as "counting ..." and warnings aside; a column listing may
  follow "cannot tell which question"), quote no empty value as a ready
  option (--columns ""), and leave no output (render, count) and no staged
  file;
- on success, leave every output it was given, non-empty.

Written after such a run found a crash on a 1200x30000 canvas and two
messages with wrong data; a failing case prints its command line."""
import os
import random
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from taplib import done, ok  # noqa: E402

VC = os.environ['VOTECLOUD']
SRC = os.environ['SRCDIR']
RUNS = 800
STATUSES = {0, 64, 65, 66, 69, 70, 73, 74}
# Lines that start "votecloud: " and are not the error.
NOTES = re.compile(r"^votecloud: (warning: |.*: counting .* \(none named\)$|.* is not UTF-8; read it as"
                   r"|left out \d+ answers? as no answer)")


def make_inputs(d):
    exports = os.path.join(d, 'exports')
    os.mkdir(exports)
    question = subprocess.run([sys.executable, os.path.join(SRC, 'tests/inputs/make-exports.py'), exports],
                              capture_output=True, text=True, check=True).stdout.strip()
    files = sorted(os.path.join(exports, f) for f in os.listdir(exports) if not f.endswith('.json'))
    files += [os.path.join(SRC, 'examples', f) for f in ('consultation-counts.tsv', 'consultation.csv')]
    files += [os.path.join(SRC, 'examples/events', f) for f in ('events.csv', 'design-day.csv')]

    def write(name, data):
        path = os.path.join(d, name)
        with open(path, 'wb') as f:
            f.write(data)
        files.append(path)
        return path
    write('empty.tsv', b'')
    write('scripts.tsv', 'word\tcount\n\u0986\u09ae\u09be\u09b0\t3\n\u0645\u0631\u062d\u0628\u0627\t2\n'
          'za\u017c\u00f3\u0142\u0107\t1e308\nx\t-1\ny\tnan\n\t5\n'.encode() + b'\xff\xfe\t2\n' +
          b'a' * 3000 + b'\t4\n')
    write('numbers.csv', b'Name,Choice,2\nAnn,Care,5\nBob,Kind,4\nCy,Care,5\n')
    write('phrases.txt', b'Right support at the right time. Care close to home; kindness, always.\n' * 40)
    aux = {'syn': write('syn.txt', b'kind = kindness\ncare=Care\n= x\nfoo\n'),
           'voc': write('voc.txt', b'prevention\nwellbeing\ncompassionate\n')}
    files.remove(aux['syn'])
    files.remove(aux['voc'])
    return files, question, aux


def value_table(question, aux):
    """Each option's good values and bad ones (refused, or naming nothing)."""
    font = os.path.join(SRC, 'fonts/NotoSans-Bold.ttf')
    return {
        '--format': (['counts', 'survey', 'text'], ['bogus']),
        '--columns': ([question, '1', '2,3', '#7', '#7,#8'], ['nope', '', '#0', '#99999999999999999999']),
        '--free-text-columns': (['Are any words missing?', '3'], ['x']),
        '--multi-sep': ([';', ',', ';;;'], ['']),
        '--header-rows': (['0', '1', '2', '5'], ['-2']),
        '--encoding': (['utf-8', 'windows-1252', 'utf-16'], ['ebcdic']),
        '--max-field-bytes': (['1', '10', '100000'], ['0']),
        '--max-line-bytes': (['20', '1000000'], ['0']),
        '--max-entries': (['1', '2', '1000'], ['0']),
        '--sizing': (['linear', 'sqrt', 'log'], ['cube']),
        '--fit': (['auto', 'none'], ['x']),
        '--max-font-size': (['1', '8', '200', '0'], ['nan', '-5']),
        '--min-font-size': (['1', '8', '100', '0'], ['-1']),
        '--max-words': (['1', '2', '0', '5'], ['-1']),
        '--padding': (['0', '2', '50'], ['-1']),
        '--padding-em': (['0', '0.5', '1'], ['2']),
        '--margin': (['0', '5', '400'], ['-2']),
        '--spiral': (['archimedean', 'rectangular'], ['x']),
        '--shape': (['rectangle', 'ellipse'], ['x']),
        '--rotate': (['none', 'mixed', 'auto', '0,90', '45', '0,-90,90'], ['0,-90,400', 'x']),
        '--prefer-horizontal': (['0', '0.5', '1'], ['2']),
        '--seed': (['0', '1', '18446744073709551615'], ['-1']),
        '--palette': (['nhs', 'okabe-ito', 'viridis', '#fff', '#123456,#abc'], ['bogus', '#']),
        '--color-by': (['rank', 'group', 'word'], ['x']),
        '--background': (['white', 'transparent', '#000'], ['x']),
        '--width': (['16', '300', '1200', '30000'], ['15']),
        '--height': (['16', '200', '675', '30000'], ['0']),
        '--scale': (['1', '2'], ['0']),
        '--dpi': (['96', '1', '600'], ['0']),
        '--contrast': (['on', 'off'], ['x']),
        '--contrast-against': (['white', '#000'], ['x']),
        '--title': (['T', '', '\u0986' * 300], ['\x07']),
        '--question': (['Q?', ''], []),
        '--wrap': (['auto', 'none'], ['x']),
        '--threads': (['0', '1', '2'], ['-1']),
        '--max-megapixels': (['1', '100', '0.001'], ['0']),
        '--chart-top': (['1', '5'], ['0']),
        '--font': (['Noto Sans', font], ['/nonexistent.ttf', aux['voc']]),
        '--synonyms': ([aux['syn']], ['/nonexistent']),
        '--exclude': ([aux['syn']], []),
        '--vocabulary': ([aux['voc']], []),
        '--stopwords': ([aux['voc']], []),
        '--style': ([os.path.join(SRC, 'examples/house-style.conf')], [aux['syn']]),
    }


# What `count` takes (the rest are for drawing).
COUNT_KEYS = {'--format', '--columns', '--free-text-columns', '--multi-sep', '--header-rows',
              '--encoding', '--max-field-bytes', '--max-line-bytes', '--max-entries', '--synonyms',
              '--exclude', '--vocabulary', '--stopwords'}
INSPECT_KEYS = ['--format', '--header-rows', '--encoding']
BAD = 0.08  # the chance that an option's value is a bad one


FLAGS = ['--no-stopwords', '--no-default-exclusions', '--include-numbers', '--merge-plurals',
         '--strict', '--allow-gaps', '--legend', '--timings', '--quiet']
WRITES = [('--alt-text', 'alt.txt'), ('--table', 'table.html'), ('--table', 'table.csv'),
          ('--layout-json', 'layout.json'), ('--report', 'merges.json'), ('--pack', 'pack')]


def combination(rng, inputs, values, out):
    """(command, argv, the outputs it names)"""
    cmd = rng.choice(['render', 'render', 'render', 'count', 'batch', 'inspect'])
    args = [VC, cmd] + [rng.choice(inputs) for _ in range(rng.choice([1, 1, 1, 2]))]
    named = []
    if cmd == 'inspect':
        args = args[:3] + (['--json'] if rng.random() < 0.5 else [])
        for key in rng.sample(INSPECT_KEYS, rng.randint(0, 3)):
            good, bad = values[key]
            args += [key, rng.choice(bad if rng.random() < BAD else good)]
        return cmd, args, named
    if cmd == 'render':
        for ext in rng.sample(['png', 'svg', 'pdf'], rng.randint(1, 3)):
            named.append(os.path.join(out, 'cloud.' + ext))
            args += ['-o', named[-1]]
        for opt, name in WRITES:
            if rng.random() < 0.2:
                named.append(os.path.join(out, name))
                args += [opt, named[-1]]
    elif cmd == 'count':
        if rng.random() < 0.7:
            named.append(os.path.join(out, 'counts.tsv'))
            args += ['-o', named[-1]]
    else:
        named.append(os.path.join(out, 'batch', 'summary.json'))
        args += ['-o', os.path.dirname(named[-1])] + (['--pack'] if rng.random() < 0.4 else [])
        if rng.random() < 0.5:
            args += ['--event-column', rng.choice(['Where did you fill in this survey?', 'x', '#9', '#0'])]
    keys = sorted(k for k in values if cmd != 'count' or k in COUNT_KEYS)
    for key in rng.sample(keys, rng.randint(1, 7)):
        good, bad = values[key]
        args += [key, rng.choice(bad if bad and rng.random() < BAD else good)]
    flags = FLAGS if cmd != 'count' else FLAGS[:4]
    args += rng.sample(flags, rng.randint(0, 2))
    return cmd, args, named


def check(case):
    """Runs one case: (its exit status, None when it keeps every rule, else
    what it broke)."""
    cmd, args, named, out = case
    os.makedirs(out)
    try:
        r = subprocess.run(args, capture_output=True, timeout=240)
    except subprocess.TimeoutExpired:
        return -1, 'timed out'
    err = r.stderr.decode('utf-8', 'replace')
    left = [os.path.relpath(os.path.join(p, f), out) for p, _, fs in os.walk(out) for f in fs]
    problems = []
    if 'Sanitizer' in err or 'runtime error' in err:
        problems.append('a sanitizer report')
    if r.returncode not in STATUSES:
        problems.append('exit %d' % r.returncode)
    if any('.vc-' in f for f in left):
        problems.append('staged files left: %s' % left)
    if re.search(r'--[a-z-]+ ""', err):
        problems.append('an empty value quoted as an option')
    if r.returncode != 0:
        errors = [x for x in err.splitlines() if x.startswith('votecloud: ') and not NOTES.match(x)]
        # batch: a line for each event that failed
        if len(errors) != 1 and not (cmd == 'batch' and errors):
            problems.append('%d error lines' % len(errors))
        if cmd != 'batch' and left:
            problems.append('wrote %s' % left)
    elif cmd == 'inspect' and not r.stdout:
        problems.append('inspect printed nothing')
    else:
        missing = [os.path.relpath(p, out) for p in named if not (os.path.exists(p) and
                   (os.path.isdir(p) or os.path.getsize(p) > 0))]
        if missing:
            problems.append('outputs missing or empty: %s' % missing)
    return r.returncode, '; '.join(problems) + '\n' + err[-1500:] if problems else None


def main():
    with tempfile.TemporaryDirectory() as d:
        inputs, question, aux = make_inputs(d)
        values = value_table(question, aux)
        rng = random.Random(20261203)
        cases = []
        for i in range(RUNS):
            out = os.path.join(d, 'run%03d' % i)
            cases.append(combination(rng, inputs, values, out) + (out,))
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(check, cases))
        statuses = {}
        for (cmd, args, _, _), (status, problem) in zip(cases, results):
            line = ' '.join(a if a and ' ' not in a else repr(a) for a in args[1:])
            ok(problem is None, 'exit %d: %s' % (status, line[:300]))
            if problem:
                for x in problem.splitlines():
                    print('# ' + x)
            statuses[(cmd, status)] = statuses.get((cmd, status), 0) + 1
        print('# (command, exit status): runs: %s' % sorted(statuses.items()))
    return done()


if __name__ == '__main__':
    raise SystemExit(main())
