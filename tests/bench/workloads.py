"""workloads.py - the benchmark's inputs, generated deterministically.

Every tool gets the same words, counts, canvas, font, padding and explicit
linear sizes from one Workload record.  Words come from a syllable
generator with a fixed seed, so they are identical on every machine.  Counts follow a power law (Zipf-like) whose exponent is chosen
so that the smallest word is still `max_font_size / size_ratio` pixels:
with linear sizing and an explicit top size, a steeper law would push most
words below any legible size and no tool could draw them.
"""
import math
import os
import random
import struct
import zlib

SYLLABLE_ONSETS = ['b', 'br', 'c', 'ch', 'cl', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h',
                   'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'qu', 'r', 's', 'sh',
                   'st', 't', 'th', 'tr', 'v', 'w', 'z']
SYLLABLE_VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'ai', 'ea', 'ou']
SYLLABLE_CODAS = ['', '', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'ng']
SUFFIXES = ['ing', 'ed', 'er', 'ly', 'tion', 'ness', 'ment', 'ity', 'ous', 'ful']

# Function words that every tool's stopword list drops (votecloud's and
# word_cloud's; 'will' is not in word_cloud's); the book text is mostly
# these, like real prose.
FUNCTION_WORDS = ('the of and to a in that it was he for on is with as his had '
                  'at by not be but from they this which or have an were all '
                  'her she there been their we so would what when who '
                  'more no if out up into them than then its could about '
                  'these some other only over such very our after most also').split()


class Workload:
    """One row of the table: what every tool is asked to draw."""

    def __init__(self, name, label, width, height, max_font_size, words=None,
                 text_path=None, mask_path=None, padding=2, min_font_size=4,
                 seed=42, peers=('word_cloud', 'd3-cloud'), notes=None,
                 font='NotoSans-Bold.ttf', allow_gaps=False):
        self.name = name
        self.label = label
        self.width = width
        self.height = height
        self.max_font_size = max_font_size
        self.words = words            # [(word, count)], most votes first
        self.text_path = text_path    # book text: counted by each tool itself
        self.mask_path = mask_path
        self.padding = padding
        self.min_font_size = min_font_size
        self.seed = seed
        self.peers = peers
        self.notes = notes or {}      # peer -> why it is skipped
        self.counts_path = None
        self.font = font              # a bundled font file (fonts/)
        # The top size is fixed and some legible words find no room: the
        # peers drop (and word_cloud shrinks) them, so votecloud is asked
        # to draw the rest too, listing each left-out word with its reason,
        # instead of refusing a cloud that leaves out a word with more votes
        # than a drawn one (its default, exit 65).
        self.allow_gaps = allow_gaps

    def requested_size(self, count, top_count):
        """The explicit linear size every tool is asked for."""
        return self.max_font_size * count / top_count


def word_source(n, seed):
    """`n` distinct pronounceable lowercase words, deterministic for `seed`.

    Made from syllables rather than taken from a dictionary: dictionaries
    (wamerican) contain slurs that have no place in a published image."""
    rng = random.Random(seed)
    seen, out = set(), []
    while len(out) < n:
        k = rng.choice((1, 2, 2, 2, 2, 3, 3))
        w = ''.join(rng.choice(SYLLABLE_ONSETS) + rng.choice(SYLLABLE_VOWELS) +
                    rng.choice(SYLLABLE_CODAS) for _ in range(k))
        if rng.random() < 0.3:
            w += rng.choice(SUFFIXES)
        if 3 <= len(w) <= 14 and w not in seen:
            seen.add(w)
            out.append(w)
    return out, 'syllables'


def zipf_counts(n, top, size_ratio, seed):
    """Power-law counts from `top` down to `top / size_ratio`, with a little
    deterministic noise so that neighbours are not all distinct."""
    rng = random.Random(seed + 1)
    s = math.log(size_ratio) / math.log(n) if n > 1 else 1.0
    counts = []
    for rank in range(1, n + 1):
        c = top * rank ** -s * (1 + rng.uniform(-0.03, 0.03))
        counts.append(max(1, int(round(c))))
    counts[0] = top
    counts.sort(reverse=True)
    floor = int(math.ceil(top / size_ratio))
    return [max(floor, c) for c in counts]


def word_list(n, top, size_ratio, seed):
    words, source = word_source(n, seed)
    return list(zip(words, zipf_counts(n, top, size_ratio, seed))), source


def phrase_list(n, top, size_ratio, seed):
    """`n` survey answers of one to six words ("right support at the right
    time"): the long ones set the scale when they cannot wrap."""
    rng = random.Random(seed + 3)
    words, source = word_source(4 * n, seed)
    glue = ['at', 'the', 'to', 'of', 'for', 'and', 'in', 'with', 'near', 'more']
    seen, out = set(), []
    wi = 0
    while len(out) < n:
        k = rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 5, 6))
        parts = []
        for j in range(k):
            if 0 < j < k - 1 and parts[-1] not in glue and rng.random() < 0.35:
                parts.append(rng.choice(glue))
            else:
                parts.append(words[wi % len(words)])
                wi += 1
        p = ' '.join(parts)
        if p not in seen:
            seen.add(p)
            out.append(p)
    return list(zip(out, zipf_counts(n, top, size_ratio, seed))), source


def vote_list(n_choices, respondents, picks, seed):
    """A survey: each respondent picks `picks` distinct words from a fixed
    list with skewed preferences, so counts are small integers with many
    ties (what real votes look like)."""
    rng = random.Random(seed)
    words, source = word_source(n_choices, seed + 7)
    weights = [(rank + 1) ** -0.3 for rank in range(n_choices)]
    counts = dict.fromkeys(words, 0)
    for _ in range(respondents):
        chosen = set()
        while len(chosen) < picks:
            chosen.add(rng.choices(words, weights)[0])
        for w in chosen:
            counts[w] += 1
    out = sorted(((w, c) for w, c in counts.items() if c > 0),
                 key=lambda wc: (-wc[1], wc[0]))
    return out, source


def book_text(path, tokens, vocabulary, seed):
    """A book-length text: sentences of function words and a Zipf-distributed
    content vocabulary (s = 1.07, like English), in paragraphs."""
    rng = random.Random(seed)
    words, _ = word_source(vocabulary, seed + 11)
    # Content words follow Zipf's law from about rank 60 of all words (the
    # function words come first), so their own law is offset.
    weights = [(rank + 60) ** -1.07 for rank in range(vocabulary)]
    content = rng.choices(words, weights, k=tokens)
    out, line, sentence_left, sent_in_par = [], [], 0, 0
    ci = 0
    for _ in range(tokens):
        if sentence_left == 0:
            sentence_left = rng.randint(6, 24)
            start = True
        w = content[ci] if rng.random() < 0.45 else rng.choice(FUNCTION_WORDS)
        ci += 1
        if start:
            w = w.capitalize()
            start = False
        sentence_left -= 1
        if sentence_left == 0:
            w += rng.choice('....!?;')
            sent_in_par += 1
        elif rng.random() < 0.06:
            w += ','
        line.append(w)
        if sentence_left == 0 and sent_in_par >= rng.randint(3, 8):
            out.append(' '.join(line))
            line, sent_in_par = [], 0
    if line:
        out.append(' '.join(line))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n\n'.join(out) + '\n')


def write_counts(path, words):
    with open(path, 'w', encoding='utf-8') as f:
        for w, c in words:
            f.write('%s\t%d\n' % (w, c))


def _png_gray(path, width, height, rows):
    """A minimal 8-bit greyscale PNG writer, so the quick mode needs no
    Pillow."""
    raw = b''.join(b'\0' + bytes(r) for r in rows)

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(raw, 6)))
        f.write(chunk(b'IEND', b''))


def blob_mask(path, width, height, seed):
    """A wobbly ellipse: black inside, white outside (the convention of
    word_cloud and votecloud alike)."""
    rng = random.Random(seed)
    harmonics = [(k, rng.uniform(0.03, 0.08), rng.uniform(0, 2 * math.pi))
                 for k in (2, 3, 5)]
    cx, cy = width / 2, height / 2
    rx, ry = width * 0.47, height * 0.45
    rows = []
    for y in range(height):
        row = bytearray(width)
        dy = (y + 0.5 - cy) / ry
        for x in range(width):
            dx = (x + 0.5 - cx) / rx
            r = math.hypot(dx, dy)
            a = math.atan2(dy, dx)
            edge = 1 + sum(amp * math.sin(k * a + ph) for k, amp, ph in harmonics)
            row[x] = 0 if r <= edge * 0.98 else 255
        rows.append(row)
    _png_gray(path, width, height, rows)


def build(outdir, quick=False):
    """Writes every input under `outdir` and returns the workloads."""
    os.makedirs(outdir, exist_ok=True)
    loads = []
    if quick:
        words, _ = word_list(20, 100, 5, 101)
        loads.append(Workload('tiny', '20 words 400x300', 400, 300, 48, words=words))
        votes, _ = vote_list(15, 40, 3, 102)
        loads.append(Workload('tiny-votes', 'votes, ties 400x300', 400, 300, 40,
                              words=votes, min_font_size=2))
        mask = os.path.join(outdir, 'tiny-mask.png')
        blob_mask(mask, 400, 300, 103)
        words, _ = word_list(15, 100, 4, 104)
        loads.append(Workload('tiny-mask', '15 words, mask 400x300', 400, 300, 36,
                              words=words, mask_path=mask))
        # The book row's path (text counted by votecloud, gaps allowed) at a
        # top size that leaves legible words without room.
        text = os.path.join(outdir, 'tiny-book.txt')
        book_text(text, 3000, 400, 105)
        loads.append(Workload('tiny-book', 'text 3k tokens 400x300', 400, 300, 60,
                              text_path=text, min_font_size=8, allow_gaps=True))
    else:
        specs = [
            ('w50', '50 words 800x600', 50, 800, 600, 110, 6),
            ('w200', '200 words 800x400', 200, 800, 400, 60, 6),
            ('w1k', '1,000 words 1920x1080', 1000, 1920, 1080, 100, 9),
            ('w5k', '5,000 words 3840x2160', 5000, 3840, 2160, 120, 10),
        ]
        for name, label, n, w, h, fs, ratio in specs:
            words, source = word_list(n, 2000, ratio, 1000 + n)
            loads.append(Workload(name, label, w, h, fs, words=words))
        # Unseen-workload cover (issue 16): counts that fall slowly, so
        # hundreds of words are drawn at 5-8 px, in the bundled regular
        # weight; survey phrases; and 5,000 tiny words at 4K.
        words, _ = word_list(1000, 2000, 12, 7100)
        loads.append(Workload('w1k-tiny', '1,000 tiny words, regular 1920x1080', 1920, 1080,
                              60, words=words, font='NotoSans-Regular.ttf'))
        words, _ = phrase_list(120, 2000, 5, 7200)
        loads.append(Workload('phrases', '120 phrases of 1-6 words 1200x675', 1200, 675, 40,
                              words=words))
        words, _ = word_list(5000, 2000, 8, 7300)
        loads.append(Workload('w5k-tiny', '5,000 tiny words, regular 3840x2160', 3840, 2160,
                              40, words=words, font='NotoSans-Regular.ttf'))
        w1k = next(x for x in loads if x.name == 'w1k')
        mask = os.path.join(outdir, 'blob-1920x1080.png')
        if not os.path.exists(mask):
            blob_mask(mask, 1920, 1080, 7)
        loads.append(Workload('w1k-mask', '1,000 words, blob mask', 1920, 1080, 86,
                              words=w1k.words, mask_path=mask,
                              notes={'d3-cloud': 'no mask support'}))
        votes, _ = vote_list(80, 545, 3, 5)
        loads.append(Workload('votes', '545x3 votes, 80 words, ties', 1200, 675, 90,
                              words=votes))
        text = os.path.join(outdir, 'book.txt')
        if not os.path.exists(text):
            book_text(text, 150000, 8000, 9)
        loads.append(Workload('book', 'book text 150k tokens', 1920, 1080, 120,
                              text_path=text, min_font_size=8, allow_gaps=True,
                              notes={'d3-cloud': 'layout only: no text pipeline'}))
    for wl in loads:
        if wl.words is not None:
            wl.counts_path = os.path.join(outdir, wl.name + '.tsv')
            write_counts(wl.counts_path, wl.words)
    return loads
