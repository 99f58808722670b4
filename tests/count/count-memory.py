#!/usr/bin/env python3
"""count-memory.py - `votecloud count` streams: a generated ~50 MB text
counts with a small peak RSS (memory grows with distinct words, not with
the input), and the counts are exactly what was generated."""
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

V = os.environ['VOTECLOUD']
LIMIT_KB = 64 * 1024
tests = []


def check(ok, desc, detail=''):
    tests.append(ok)
    print('%s %d - %s' % ('ok' if ok else 'not ok', len(tests), desc))
    if not ok and detail:
        print('# ' + detail)


rng = random.Random(1)
# 5000 distinct words that are no stopwords and have no plural pairs.
vocab = ['w%sq' % ''.join(rng.choice('bcdfghjklmnpvz') for _ in range(6))
         for _ in range(5000)]
vocab = sorted(set(vocab))
line_words = [rng.choice(vocab) for _ in range(120000)]
block = []
for i in range(0, len(line_words), 12):
    block.append(' '.join(line_words[i:i + 12]) + ', and the A&E.\n')
block = ''.join(block).encode()
repeat = max(1, (50 * 1024 * 1024) // len(block))

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'big.txt')
    with open(path, 'wb') as f:
        for _ in range(repeat):
            f.write(block)
    size = os.path.getsize(path)
    t0 = time.monotonic()
    proc = subprocess.run([V, 'count', path], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    elapsed = time.monotonic() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

check(proc.returncode == 0, 'a %d MB text counts (exit %d, %.1f s)' %
      (size >> 20, proc.returncode, elapsed), proc.stderr.decode()[:200])
check(peak_kb < LIMIT_KB, 'peak RSS %d KB stays under %d KB' % (peak_kb, LIMIT_KB))

want = {}
for w in line_words:
    want[w] = want.get(w, 0) + repeat
want['A&E'] = repeat * len(block.splitlines())
got = {}
for line in proc.stdout.decode().splitlines()[1:]:
    word, count, group = line.split('\t')
    got[word] = int(count)
check(got == want, 'every count is exact (%d distinct words)' % len(want),
      'first difference: %s' % next(((k, got.get(k), want.get(k))
                                     for k in sorted(set(got) | set(want))
                                     if got.get(k) != want.get(k)), None))
print('1..%d' % len(tests))
sys.exit(0 if all(tests) else 1)
