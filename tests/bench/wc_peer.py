"""wc_peer.py - one run of the Python word_cloud peer (Debian python3-wordcloud).

Usage: /usr/bin/python3 wc_peer.py JOB.json RESULT.json

JOB holds the workload (see bench.py).  The whole process is timed by the
driver; this script also times itself from constructing the WordCloud to
the PNG being written ("in-process", which leaves out Python's start-up and
the imports) and reports the layout for the driver's checks.
"""
import json
import sys
import time
import warnings

t_start = time.perf_counter()
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from wordcloud import WordCloud  # noqa: E402
t_imported = time.perf_counter()

# word_cloud 1.8.2 calls ImageDraw.textsize, deprecated in Pillow 9.5+.
warnings.simplefilter('ignore', DeprecationWarning)


def read_counts(path):
    freqs = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            word, count = line.rstrip('\n').split('\t')[:2]
            freqs[word] = float(count)
    return freqs


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        job = json.load(f)
    mask = None
    if job.get('mask'):
        mask = np.array(Image.open(job['mask']).convert('L'))
    freqs = read_counts(job['counts']) if job.get('counts') else None
    text = None
    if job.get('text'):
        with open(job['text'], encoding='utf-8') as f:
            text = f.read()
    misses = [0]
    if job.get('count_misses'):
        # A failed position search is what makes word_cloud shrink a word
        # (or stop); the scale-efficiency search counts any as a failure.
        from wordcloud import wordcloud as wc_mod
        sample = wc_mod.IntegralOccupancyMap.sample_position

        def counted(self, *args, **kwargs):
            r = sample(self, *args, **kwargs)
            if r is None:
                misses[0] += 1
            return r
        wc_mod.IntegralOccupancyMap.sample_position = counted
    t0 = time.perf_counter()
    wc = WordCloud(font_path=job['font'], width=job['width'], height=job['height'],
                   # margin is the total gap added to a word's box; the word
                   # sits at margin // 2, so 2 * padding leaves `padding` px
                   # on each side, like votecloud's and d3-cloud's padding.
                   margin=2 * job['padding'],
                   prefer_horizontal=1.0, relative_scaling=1,
                   max_font_size=job['max_font_size'],
                   min_font_size=job['min_font_size'],
                   random_state=job['seed'], mask=mask,
                   max_words=len(freqs) if freqs else 1000000,
                   collocations=False, background_color='white')
    if freqs is not None:
        wc.generate_from_frequencies(freqs)
    else:
        wc.generate(text)
    t_layout = time.perf_counter()
    if job.get('png'):
        wc.to_file(job['png'])
    t1 = time.perf_counter()
    layout = []
    for (word, _freq), size, pos, orientation, _color in wc.layout_:
        layout.append({'text': word, 'size': size, 'row': int(pos[0]),
                       'col': int(pos[1]), 'rotated': orientation is not None})
    # words_: every word considered, frequency relative to the top word.
    result = {'inproc_s': t1 - t0, 'layout_s': t_layout - t0,
              'import_s': t_imported - t_start,
              'considered': {w: f for w, f in wc.words_.items()},
              'layout': layout, 'misses': misses[0]}
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        json.dump(result, f)


if __name__ == '__main__':
    main()
