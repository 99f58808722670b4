/* deflate.c - a raw deflate encoder for PNG image data (unfiltered rows),
 * tuned for word clouds: a flat background and anti-aliased text in a few
 * colours.  One greedy pass tries three matches at each position: the pixel
 * to the left (runs of background), the row above, and one hash probe of
 * the next 4 bytes (an edge of a letter drawn before); then each block of
 * tokens gets its own Huffman codes, length-limited, or fixed codes, or is
 * stored, whichever is shortest.  No state but the input: the same bytes
 * give the same stream on any machine and thread. */
#include "render/deflate.h"
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW 32768u
#define MIN_MATCH 3u
#define MAX_MATCH 258u
/* A hash match must be at least this long to pay for its distance. */
#define MIN_HASH_MATCH 4u
/* 16 KiB of positions: stays in the L1 cache.  On the dense 1,000-word
 * canvas 1 << 15 made 0.7% less output for three times the cache misses. */
#define HASH_BITS 12
/* Tokens per block: long enough that the code tables (~80 bytes) cost
 * little, short enough that the codes follow the image down the band
 * (dense canvas: 1 << 12, 13, 14, 16 gave 677.6, 675.8, 678.0, 681.4 kB). */
#define BLOCK_TOKENS (1u << 13)
#define STORED_MAX 65535u

#define LITLEN_SYMS 288u /* 286 used; the fixed code defines 288 */
#define DIST_SYMS 30u
#define CL_SYMS 19u
#define EOB 256u
#define MAX_BITS 15u
#define CL_MAX_BITS 7u

/* A token, coded as it will be written: bits 0-8 the literal/length
 * symbol (a literal byte is its own), 9-13 the distance symbol, 14-18 the
 * length's extra bits, 19-31 the distance's.  A literal is its byte. */
#define TOKEN(lsym, dsym, lval, dval) ((lsym) | (dsym) << 9 | (lval) << 14 | (dval) << 19)

/* ---- bits ----------------------------------------------------------------- */

typedef struct bitwriter {
    uint8_t *at;
    uint64_t bits; /* pending bits, the first in bit 0 */
    unsigned n;    /* how many; kept below 8 between tokens */
} bitwriter;

/* Native order: only compared for equality, and the first differing
 * byte found from the matching end (ctz on little-endian, clz on big). */
static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline void store_le64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 8);
#else
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
#endif
}

/* At most 57 bits between flushes (n < 8 after one). */
static inline void put_bits(bitwriter *w, uint64_t v, unsigned n)
{
    w->bits |= v << w->n;
    w->n += n;
}

/* Writes the whole pending bytes; the output has 8 bytes of slack. */
static inline void flush_bits(bitwriter *w)
{
    store_le64(w->at, w->bits);
    w->at += w->n >> 3;
    w->bits >>= w->n & ~7u; /* n < 64: at most 56 */
    w->n &= 7;
}

static void align_bits(bitwriter *w)
{
    w->n = (w->n + 7) & ~7u;
    flush_bits(w);
}

/* ---- symbols -------------------------------------------------------------- */

static inline unsigned log2_floor(uint32_t v)
{
    return 31u - (unsigned)__builtin_clz(v);
}

/* Extra bits per symbol (RFC 1951 3.2.5). */
static unsigned sym_extra_bits(unsigned litlen_sym)
{
    if (litlen_sym < 265 || litlen_sym == 285) {
        return 0;
    }
    return (litlen_sym - 261) / 4;
}

static unsigned dsym_extra_bits(unsigned dist_sym)
{
    return dist_sym < 4 ? 0 : dist_sym / 2 - 1;
}

/* ---- Huffman codes -------------------------------------------------------- */

typedef struct code_table {
    uint16_t code[LITLEN_SYMS]; /* bit-reversed, ready to write */
    uint8_t len[LITLEN_SYMS];
} code_table;

typedef struct sym_freq {
    uint32_t freq;
    uint16_t sym;
} sym_freq;

/* Sorts `m` symbols by frequency, ties in symbol order (the order they
 * come in): a radix sort, 8 bits a pass, as many passes as the largest
 * frequency needs (qsort cost as much as writing the tokens). */
static void sort_by_freq(sym_freq *list, unsigned m)
{
    sym_freq tmp[LITLEN_SYMS];
    sym_freq *from = list, *to = tmp;
    uint32_t most = 0;
    for (unsigned i = 0; i < m; i++) {
        most = list[i].freq > most ? list[i].freq : most;
    }
    for (unsigned shift = 0; shift < 32 && (most >> shift) != 0; shift += 8) {
        unsigned start[256] = {0};
        for (unsigned i = 0; i < m; i++) {
            start[(from[i].freq >> shift) & 0xff]++;
        }
        for (unsigned d = 0, at = 0; d < 256; d++) {
            unsigned k = start[d];
            start[d] = at;
            at += k;
        }
        for (unsigned i = 0; i < m; i++) {
            to[start[(from[i].freq >> shift) & 0xff]++] = from[i];
        }
        sym_freq *t = from;
        from = to;
        to = t;
    }
    if (from != list) {
        memcpy(list, from, m * sizeof *list);
    }
}

/* Moffat and Katajainen's in-place minimum-redundancy code: `a` holds `n`
 * >= 2 frequencies in ascending order and gets the code lengths (the
 * longest first). */
static void minimum_redundancy(uint32_t *a, int n)
{
    a[0] += a[1];
    int root = 0, leaf = 2;
    for (int next = 1; next < n - 1; next++) {
        if (leaf >= n || a[root] < a[leaf]) {
            a[next] = a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] = a[leaf++];
        }
        if (leaf >= n || (root < next && a[root] < a[leaf])) {
            a[next] += a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] += a[leaf++];
        }
    }
    a[n - 2] = 0;
    for (int next = n - 3; next >= 0; next--) {
        a[next] = a[a[next]] + 1;
    }
    int avail = 1, used = 0, depth = 0, next = n - 1;
    root = n - 2;
    while (avail > 0) {
        while (root >= 0 && a[root] == (uint32_t)depth) {
            used++;
            root--;
        }
        while (avail > used) {
            a[next--] = (uint32_t)depth;
            avail--;
        }
        avail = 2 * used;
        depth++;
        used = 0;
    }
}

/* Lengthens the shortest codes until none is longer than `max_bits` and
 * the code stays complete (as miniz's tdefl_huffman_enforce_max_code_size):
 * `count[b]` is the number of codes of b bits, 1..32. */
static void limit_lengths(unsigned *count, unsigned max_bits)
{
    for (unsigned b = max_bits + 1; b <= 32; b++) {
        count[max_bits] += count[b];
        count[b] = 0;
    }
    uint32_t total = 0;
    for (unsigned b = max_bits; b > 0; b--) {
        total += count[b] << (max_bits - b);
    }
    while (total != (1u << max_bits)) {
        count[max_bits]--;
        for (unsigned b = max_bits - 1; b > 0; b--) {
            if (count[b]) {
                count[b]--;
                count[b + 1] += 2;
                break;
            }
        }
        total--;
    }
}

/* Code lengths of at most `max_bits` for `n` symbols of frequencies
 * `freq`, at least two of them non-zero. */
static void build_lengths(const uint32_t *freq, unsigned n, unsigned max_bits, uint8_t *len)
{
    sym_freq list[LITLEN_SYMS];
    uint32_t a[LITLEN_SYMS] = {0}; /* all set; the zeros quiet -Wmaybe-uninitialized */
    unsigned m = 0;
    for (unsigned s = 0; s < n; s++) {
        len[s] = 0;
        if (freq[s]) {
            list[m].freq = freq[s];
            list[m++].sym = (uint16_t)s;
        }
    }
    sort_by_freq(list, m);
    for (unsigned i = 0; i < m; i++) {
        a[i] = list[i].freq;
    }
    minimum_redundancy(a, (int)m);
    unsigned count[33] = {0};
    for (unsigned i = 0; i < m; i++) {
        count[a[i] > 32 ? 32 : a[i]]++;
    }
    limit_lengths(count, max_bits);
    unsigned i = 0;
    for (unsigned b = max_bits; b > 0; b--) {
        for (unsigned k = count[b]; k > 0; k--) {
            len[list[i++].sym] = (uint8_t)b;
        }
    }
}

/* The low `n` bits of `code` in reverse order (deflate sends Huffman
 * codes from their first bit). */
static uint16_t reverse_bits(unsigned code, unsigned n)
{
    unsigned r = code & 0xffff;
    r = (r & 0x5555) << 1 | (r >> 1 & 0x5555);
    r = (r & 0x3333) << 2 | (r >> 2 & 0x3333);
    r = (r & 0x0f0f) << 4 | (r >> 4 & 0x0f0f);
    r = (r & 0x00ff) << 8 | r >> 8;
    return (uint16_t)(r >> (16 - n));
}

/* The canonical codes (RFC 1951 3.2.2) for the lengths in `t`. */
static void assign_codes(code_table *t, unsigned n)
{
    unsigned count[MAX_BITS + 1] = {0}, next[MAX_BITS + 1];
    for (unsigned s = 0; s < n; s++) {
        count[t->len[s]]++;
    }
    count[0] = 0;
    unsigned code = 0;
    for (unsigned b = 1; b <= MAX_BITS; b++) {
        code = (code + count[b - 1]) << 1;
        next[b] = code;
    }
    for (unsigned s = 0; s < n; s++) {
        t->code[s] = t->len[s] ? reverse_bits(next[t->len[s]]++, t->len[s]) : 0;
    }
}

/* A code needs two symbols to be complete: gives a second one a count. */
static void two_symbols_at_least(uint32_t *freq, unsigned n)
{
    unsigned used = 0;
    for (unsigned s = 0; s < n && used < 2; s++) {
        used += freq[s] != 0;
    }
    for (unsigned s = 0; s < n && used < 2; s++) {
        if (!freq[s]) {
            freq[s] = 1;
            used++;
        }
    }
}

static void fixed_tables(code_table *lit, code_table *dist)
{
    for (unsigned s = 0; s < LITLEN_SYMS; s++) {
        lit->len[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    }
    for (unsigned s = 0; s < DIST_SYMS; s++) {
        dist->len[s] = 5;
    }
    assign_codes(lit, LITLEN_SYMS);
    assign_codes(dist, DIST_SYMS);
}

/* ---- the dynamic block header --------------------------------------------- */

static const uint8_t cl_order[CL_SYMS] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
                                          11, 4, 12, 3, 13, 2, 14, 1, 15};

typedef struct header {
    code_table cl;
    unsigned hlit, hdist, hclen;
    unsigned n_rle;
    uint8_t rle_sym[LITLEN_SYMS + DIST_SYMS];
    uint8_t rle_extra[LITLEN_SYMS + DIST_SYMS];
    uint64_t bits; /* its size, block type bits included */
} header;

static void rle_push(header *h, uint32_t *freq, unsigned sym, unsigned extra)
{
    h->rle_sym[h->n_rle] = (uint8_t)sym;
    h->rle_extra[h->n_rle++] = (uint8_t)extra;
    freq[sym]++;
}

/* The code lengths run-length coded (symbols 16, 17, 18 for repeats). */
static void rle_lengths(header *h, const uint8_t *lens, unsigned n, uint32_t *freq)
{
    for (unsigned i = 0; i < n;) {
        unsigned v = lens[i], r = 1;
        while (i + r < n && lens[i + r] == v) {
            r++;
        }
        i += r;
        if (v == 0) {
            while (r >= 11) {
                unsigned k = r < 138 ? r : 138;
                rle_push(h, freq, 18, k - 11);
                r -= k;
            }
            if (r >= 3) {
                rle_push(h, freq, 17, r - 3);
                r = 0;
            }
        } else {
            rle_push(h, freq, v, 0);
            r--;
            while (r >= 3) {
                unsigned k = r < 6 ? r : 6;
                rle_push(h, freq, 16, k - 3);
                r -= k;
            }
        }
        while (r-- > 0) {
            rle_push(h, freq, v, 0);
        }
    }
}

static void build_header(header *h, const code_table *lit, const code_table *dist)
{
    h->hlit = 286;
    while (h->hlit > 257 && !lit->len[h->hlit - 1]) {
        h->hlit--;
    }
    h->hdist = DIST_SYMS;
    while (h->hdist > 1 && !dist->len[h->hdist - 1]) {
        h->hdist--;
    }
    uint8_t lens[LITLEN_SYMS + DIST_SYMS];
    memcpy(lens, lit->len, h->hlit);
    memcpy(lens + h->hlit, dist->len, h->hdist);
    uint32_t freq[CL_SYMS] = {0};
    h->n_rle = 0;
    rle_lengths(h, lens, h->hlit + h->hdist, freq);
    two_symbols_at_least(freq, CL_SYMS);
    build_lengths(freq, CL_SYMS, CL_MAX_BITS, h->cl.len);
    assign_codes(&h->cl, CL_SYMS);
    h->hclen = CL_SYMS;
    while (h->hclen > 4 && !h->cl.len[cl_order[h->hclen - 1]]) {
        h->hclen--;
    }
    static const uint8_t rle_extra_bits[3] = {2, 3, 7};
    h->bits = 3 + 5 + 5 + 4 + 3 * (uint64_t)h->hclen;
    for (unsigned i = 0; i < h->n_rle; i++) {
        unsigned s = h->rle_sym[i];
        h->bits += h->cl.len[s] + (s >= 16 ? rle_extra_bits[s - 16] : 0);
    }
}

static void write_header(bitwriter *w, const header *h, bool final)
{
    put_bits(w, final ? 1 : 0, 1);
    put_bits(w, 2, 2);
    put_bits(w, h->hlit - 257, 5);
    put_bits(w, h->hdist - 1, 5);
    put_bits(w, h->hclen - 4, 4);
    flush_bits(w);
    for (unsigned i = 0; i < h->hclen; i++) {
        put_bits(w, h->cl.len[cl_order[i]], 3);
        flush_bits(w);
    }
    static const uint8_t rle_extra_bits[3] = {2, 3, 7};
    for (unsigned i = 0; i < h->n_rle; i++) {
        unsigned s = h->rle_sym[i];
        put_bits(w, h->cl.code[s], h->cl.len[s]);
        if (s >= 16) {
            put_bits(w, h->rle_extra[i], rle_extra_bits[s - 16]);
        }
        flush_bits(w);
    }
}

/* ---- blocks --------------------------------------------------------------- */

typedef struct encoder {
    const uint8_t *in;
    size_t len;
    uint32_t *hash;   /* 1 << HASH_BITS positions */
    uint32_t *tokens; /* BLOCK_TOKENS */
    size_t n_tokens;
    uint32_t lit_freq[LITLEN_SYMS];
    uint32_t dist_freq[DIST_SYMS];
    code_table fixed_lit, fixed_dist; /* RFC 1951's fixed codes */
    uint8_t lit_extra[LITLEN_SYMS];   /* extra bits per symbol */
    uint8_t dist_extra[DIST_SYMS];
    bitwriter w;
} encoder;

/* The bits the block's tokens take with codes `lit` and `dist`. */
static uint64_t body_bits(const encoder *e, const code_table *lit, const code_table *dist)
{
    uint64_t bits = 0;
    for (unsigned s = 0; s < LITLEN_SYMS; s++) {
        bits += (uint64_t)e->lit_freq[s] * (lit->len[s] + e->lit_extra[s]);
    }
    for (unsigned s = 0; s < DIST_SYMS; s++) {
        bits += (uint64_t)e->dist_freq[s] * (dist->len[s] + e->dist_extra[s]);
    }
    return bits;
}

/* The bits of `len` bytes as stored blocks, from bit position `n`. */
static uint64_t stored_bits(size_t len, unsigned n)
{
    uint64_t blocks = len ? (len + STORED_MAX - 1) / STORED_MAX : 1;
    unsigned pad = (8 - (n + 3) % 8) % 8;
    return 3 + pad + 32 + (blocks - 1) * 40 + 8 * (uint64_t)len;
}

static void write_stored(bitwriter *w, const uint8_t *in, size_t len, bool final)
{
    do {
        size_t k = len < STORED_MAX ? len : STORED_MAX;
        len -= k;
        put_bits(w, final && len == 0 ? 1 : 0, 1);
        put_bits(w, 0, 2);
        align_bits(w);
        put_bits(w, k, 16);
        put_bits(w, k ^ 0xffff, 16);
        flush_bits(w);
        memcpy(w->at, in, k);
        w->at += k;
        in += k;
    } while (len > 0);
}

/* Without a branch on literal or match (which the CPU cannot guess in
 * anti-aliased text): a literal's distance part is masked to nothing. */
static void write_tokens(encoder *e, const code_table *lit, const code_table *dist)
{
    bitwriter w = e->w;
    for (size_t i = 0; i < e->n_tokens; i++) {
        uint32_t t = e->tokens[i];
        unsigned ls = t & 0x1ff, ds = (t >> 9) & 0x1f;
        uint64_t keep = 0 - (uint64_t)(ls > EOB);
        unsigned ln = lit->len[ls], dn = dist->len[ds];
        put_bits(&w, lit->code[ls] | (uint64_t)((t >> 14) & 0x1f) << ln, ln + e->lit_extra[ls]);
        put_bits(&w, (dist->code[ds] | (uint64_t)(t >> 19) << dn) & keep,
                 (dn + e->dist_extra[ds]) & (unsigned)keep);
        flush_bits(&w);
    }
    put_bits(&w, lit->code[EOB], lit->len[EOB]);
    flush_bits(&w);
    e->w = w;
}

/* Writes the tokens of input [start, end) as one block, in whichever form
 * is shortest, and starts the next block. */
static void write_block(encoder *e, size_t start, size_t end, bool final)
{
    e->lit_freq[EOB] = 1;
    uint64_t fixed = 3 + body_bits(e, &e->fixed_lit, &e->fixed_dist);
    uint64_t stored = stored_bits(end - start, e->w.n);

    two_symbols_at_least(e->lit_freq, 286);
    two_symbols_at_least(e->dist_freq, DIST_SYMS);
    code_table lit, dist;
    build_lengths(e->lit_freq, LITLEN_SYMS, MAX_BITS, lit.len);
    build_lengths(e->dist_freq, DIST_SYMS, MAX_BITS, dist.len);
    assign_codes(&lit, LITLEN_SYMS);
    assign_codes(&dist, DIST_SYMS);
    header h;
    build_header(&h, &lit, &dist);
    uint64_t dynamic = h.bits + body_bits(e, &lit, &dist);

    if (stored < dynamic && stored < fixed) {
        write_stored(&e->w, e->in + start, end - start, final);
    } else if (fixed <= dynamic) {
        put_bits(&e->w, final ? 1 : 0, 1);
        put_bits(&e->w, 1, 2);
        write_tokens(e, &e->fixed_lit, &e->fixed_dist);
    } else {
        write_header(&e->w, &h, final);
        write_tokens(e, &lit, &dist);
    }
    e->n_tokens = 0;
    memset(e->lit_freq, 0, sizeof e->lit_freq);
    memset(e->dist_freq, 0, sizeof e->dist_freq);
}

/* ---- matching ------------------------------------------------------------- */

/* How many of the `max` bytes at `a` equal those at `b`, 8 at a time
 * while 8 remain. */
static inline size_t match_length(const uint8_t *a, const uint8_t *b, size_t max)
{
    size_t n = 0;
    while (n + 8 <= max) {
        uint64_t x = load64(a + n) ^ load64(b + n);
        if (x) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return n + (size_t)__builtin_ctzll(x) / 8;
#else
            return n + (size_t)__builtin_clzll(x) / 8;
#endif
        }
        n += 8;
    }
    while (n < max && a[n] == b[n]) {
        n++;
    }
    return n;
}

static inline void emit_literal(encoder *e, uint8_t c)
{
    e->tokens[e->n_tokens++] = c;
    e->lit_freq[c]++;
}

/* The token of a match, without branches: for lengths l = len - 3 below
 * 8 and distances d = dist - 1 below 4 the same formulas give 0 extra
 * bits. */
static inline uint32_t match_token(size_t len, size_t dist)
{
    unsigned l = (unsigned)len - MIN_MATCH, d = (unsigned)dist - 1;
    unsigned le = log2_floor(l | 4) - 2;
    unsigned ls = 257 + 4 * le + (l >> le);
    le = l == 255 ? 0 : le; /* 258 has its own symbol */
    ls = l == 255 ? 285 : ls;
    unsigned de = log2_floor(d | 2) - 1;
    unsigned ds = 2 * de + (d >> de);
    return TOKEN(ls, ds, l & ((1u << le) - 1), d & ((1u << de) - 1));
}

static inline void emit_match(encoder *e, size_t len, size_t dist)
{
    uint32_t t = match_token(len, dist);
    e->tokens[e->n_tokens++] = t;
    e->lit_freq[t & 0x1ff]++;
    e->dist_freq[(t >> 9) & 0x1f]++;
}

typedef struct match {
    size_t len, dist;
} match;

/* The longest of the three candidates at `p` (len 0: none).  Each is
 * first checked on the 3 or 4 bytes at `p` (`next4`), which turns most
 * down without a call.  Those bytes are read little-endian (vc_le32) on
 * every machine: the hash, and which 3 bytes the checks compare, must not
 * depend on the CPU. */
static inline match find_match(encoder *e, size_t p, size_t pitch, size_t bpp)
{
    const uint8_t *in = e->in;
    size_t max = e->len - p < MAX_MATCH ? e->len - p : MAX_MATCH;
    match m = {0, 0};
    if (max < MIN_HASH_MATCH) {
        return m; /* the last 3 bytes go as literals */
    }
    uint32_t next4 = vc_le32(in + p);
    if (bpp && p >= bpp && ((next4 ^ vc_le32(in + p - bpp)) & 0xffffff) == 0) {
        m.len = match_length(in + p, in + p - bpp, max);
        m.dist = bpp;
        if (m.len == max) {
            return m;
        }
    }
    if (pitch && p >= pitch && ((next4 ^ vc_le32(in + p - pitch)) & 0xffffff) == 0) {
        size_t l = match_length(in + p, in + p - pitch, max);
        if (l > m.len) {
            m.len = l;
            m.dist = pitch;
            if (l == max) {
                return m;
            }
        }
    }
    /* Only where neither neighbour matches: probing after a short match
     * too made 0.4% less output for 10% more mispredicted branches. */
    if (m.len == 0) {
        uint32_t *slot = &e->hash[(next4 * 2654435761u) >> (32 - HASH_BITS)];
        size_t cand = *slot;
        *slot = (uint32_t)p;
        /* One branch for the three tests (cand < len: a load in bounds). */
        if ((p - cand <= WINDOW) & (cand < p) & (vc_le32(in + cand) == next4)) {
            m.len = match_length(in + p, in + cand, max);
            m.dist = p - cand;
        }
    }
    return m;
}

/* How many of the 8 bytes at `a` equal those at `b`, without a branch. */
static inline size_t equal8(const uint8_t *a, const uint8_t *b)
{
    uint64_t x = load64(a) ^ load64(b);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return ((size_t)__builtin_ctzll(x | (uint64_t)1 << 63) + (x == 0)) / 8;
#else
    return ((size_t)__builtin_clzll(x | 1) + (x == 0)) / 8;
#endif
}

/* One step of the greedy pass where all three candidates can be read and
 * a whole match fits (p >= up, bpp; p + MAX_MATCH + 8 <= len): the same
 * choice as find_match, but literal or match is decided by selects, not
 * branches, which the CPU mispredicted at about one position in three in
 * anti-aliased text.  Only a match of 8 bytes or more branches, to
 * extend it.  `up` is the row above's distance, or bpp when the row is
 * out of reach.  Returns the bytes consumed. */
static inline size_t step_inner(encoder *e, size_t p, size_t up, size_t bpp)
{
    const uint8_t *in = e->in, *ip = in + p;
    uint32_t next4 = vc_le32(ip);
    uint32_t *slot = &e->hash[(next4 * 2654435761u) >> (32 - HASH_BITS)];
    size_t cand = *slot;
    *slot = (uint32_t)p;
    size_t l_left = equal8(ip, ip - bpp), l_up = equal8(ip, ip - up);
    size_t l_far = equal8(ip, in + cand);
    bool far_ok = (p - cand - 1 < WINDOW) & (l_far >= MIN_HASH_MATCH);
    size_t len = l_left, dist = bpp;
    len = l_up > l_left ? l_up : len;
    dist = l_up > l_left ? up : dist;
    /* The hash only where neither neighbour matches (as find_match). */
    bool use_far = far_ok & (len < MIN_MATCH);
    len = use_far ? l_far : len;
    dist = use_far ? p - cand : dist;
    if (len == 8) {
        len = 8 + match_length(ip + 8, ip + 8 - dist, MAX_MATCH - 8);
        if (dist == bpp && l_up == 8 && len < MAX_MATCH) {
            size_t l = 8 + match_length(ip + 8, ip + 8 - up, MAX_MATCH - 8);
            dist = l > len ? up : dist;
            len = l > len ? l : len;
        }
    }
    bool is_match = len >= MIN_MATCH;
    uint32_t t = is_match ? match_token(len, dist) : ip[0];
    e->tokens[e->n_tokens++] = t;
    e->lit_freq[t & 0x1ff]++;
    e->dist_freq[(t >> 9) & 0x1f] += is_match;
    return is_match ? len : 1;
}

/* The greedy pass, writing a block whenever the tokens fill up: the
 * branch-free step inside, find_match on the first row and the last
 * bytes. */
static void tokenise(encoder *e, size_t pitch, size_t bpp, bool last)
{
    /* Distances beyond the window cannot be coded. */
    pitch = pitch <= WINDOW ? pitch : 0;
    bpp = bpp <= WINDOW ? bpp : 0;
    size_t len = e->len;
    size_t up = pitch ? pitch : bpp;
    size_t lo = up > bpp ? up : bpp;
    size_t hi = bpp && len >= MAX_MATCH + 8 ? len - MAX_MATCH - 8 : 0;
    size_t p = 0, start = 0;
    while (p < len) {
        if (p >= lo && p < hi) {
            p += step_inner(e, p, up, bpp);
        } else {
            match m = find_match(e, p, pitch, bpp);
            if (m.len) {
                emit_match(e, m.len, m.dist);
                p += m.len;
            } else {
                emit_literal(e, e->in[p]);
                p++;
            }
        }
        if (e->n_tokens == BLOCK_TOKENS) {
            write_block(e, start, p, last && p == len);
            start = p;
        }
    }
    if (e->n_tokens || start == 0) {
        write_block(e, start, p, last);
    }
}

size_t vc_deflate_bound(size_t len)
{
    /* At worst stored: 5 bytes a 65535, 6 a block of tokens (each of a
     * byte at least), the sync flush, and 8 bytes the bit writer may
     * touch past the end. */
    return len + len / 1024 + 64;
}

size_t vc_deflate_raw(const uint8_t *in, size_t len, size_t pitch, unsigned bpp, bool last,
                      uint8_t *out)
{
    if (len > UINT32_MAX) {
        return 0; /* the hash table holds 32-bit positions; bands are 1 MB */
    }
    encoder *e = calloc(1, sizeof *e);
    if (!e) {
        return 0;
    }
    e->in = in;
    e->len = len;
    e->hash = calloc((size_t)1 << HASH_BITS, sizeof *e->hash);
    e->tokens = malloc(BLOCK_TOKENS * sizeof *e->tokens);
    size_t n = 0;
    if (e->hash && e->tokens) {
        e->w.at = out;
        fixed_tables(&e->fixed_lit, &e->fixed_dist);
        for (unsigned k = 0; k < LITLEN_SYMS; k++) {
            e->lit_extra[k] = (uint8_t)sym_extra_bits(k);
        }
        for (unsigned k = 0; k < DIST_SYMS; k++) {
            e->dist_extra[k] = (uint8_t)dsym_extra_bits(k);
        }
        tokenise(e, pitch, bpp, last);
        if (last) {
            align_bits(&e->w);
        } else {
            write_stored(&e->w, in, 0, false);
        }
        n = (size_t)(e->w.at - out);
    }
    free(e->hash);
    free(e->tokens);
    free(e);
    return n;
}
