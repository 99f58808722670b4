/* occupancy.c - the canvas occupancy bitmap and word bit masks: a word's
 * ink becomes one bit per pixel, tested against the canvas 64 pixels at a
 * time, and taken (grown by the padding) once it is placed. */
#include "occupancy.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

bool vc_occupancy_init(vc_occupancy *occ, int w, int h, vc_error *err)
{
    memset(occ, 0, sizeof *occ);
    if (w <= 0 || h <= 0) {
        return vc_fail(err, VC_ERR_USAGE, "canvas %dx%d is empty", w, h);
    }
    occ->w = w;
    occ->h = h;
    occ->nw = ((size_t)w + 63) / 64;
    occ->bits = vc_calloc2((size_t)h, occ->nw * sizeof *occ->bits);
    if (!occ->bits) {
        return vc_fail_nomem(err, "canvas occupancy bitmap");
    }
    return true;
}

void vc_occupancy_finish(vc_occupancy *occ)
{
    if (occ) {
        free(occ->bits);
        memset(occ, 0, sizeof *occ);
    }
}

static bool inside_ellipse(int x, int y, int w, int h)
{
    double dx = (x + 0.5 - w / 2.0) / (w / 2.0);
    double dy = (y + 0.5 - h / 2.0) / (h / 2.0);
    return dx * dx + dy * dy <= 1.0;
}

void vc_occupancy_reset(vc_occupancy *occ, vc_shape shape,
                        const vc_mask *mask)
{
    memset(occ->bits, 0, (size_t)occ->h * occ->nw * sizeof *occ->bits);
    if (mask && mask->inside) {
        for (int y = 0; y < occ->h; y++) {
            const uint8_t *in = mask->inside + (size_t)y * (size_t)mask->w;
            for (int x = 0; x < occ->w; x++) {
                if (!in[x]) {
                    vc_occupancy_set(occ, x, y);
                }
            }
        }
        return;
    }
    if (shape != VC_SHAPE_ELLIPSE) {
        return;
    }
    for (int y = 0; y < occ->h; y++) {
        for (int x = 0; x < occ->w; x++) {
            if (!inside_ellipse(x, y, occ->w, occ->h)) {
                vc_occupancy_set(occ, x, y);
            }
        }
    }
}

/* ---- sprites ------------------------------------------------------------ */

void vc_sprite_finish(vc_sprite *sprite)
{
    if (sprite) {
        free(sprite->bits);
        free(sprite->order);
        memset(sprite, 0, sizeof *sprite);
    }
}

/* The nearest ink pixel to the middle of the box, so words grow out from
 * the spiral point evenly.  Rows are visited outwards from the middle and
 * the search stops once a row is farther than the best pixel found. */
static void find_anchor(vc_sprite *sp)
{
    long best = -1;
    long mx2 = sp->w - 1, my2 = sp->h - 1; /* twice the middle */
    for (int k = 0; k < 2 * sp->h; k++) {
        int y = (int)(my2 / 2) + ((k & 1) ? -(k + 1) / 2 : k / 2);
        if (y < 0 || y >= sp->h) {
            continue;
        }
        long dy = 2L * y - my2;
        if (best >= 0 && dy * dy > best) {
            continue;
        }
        const uint64_t *row = sp->bits + (size_t)y * sp->nw;
        for (int x = 0; x < sp->w; x++) {
            if (!((row[x >> 6] >> (x & 63)) & 1u)) {
                continue;
            }
            long dx = 2L * x - mx2;
            long d = dx * dx + dy * dy;
            /* Ties go to the first pixel in reading order. */
            if (best < 0 || d < best ||
                (d == best && (y < sp->ay || (y == sp->ay && x < sp->ax)))) {
                best = d;
                sp->ax = x;
                sp->ay = y;
            }
        }
    }
}

/* Rows in van der Corput order, the anchor's row first: a big word over
 * something small finds the collision in a few rows wherever it is, rather
 * than after scanning from the top. */
static void row_order(vc_sprite *sp)
{
    uint32_t bits = 0;
    while (((uint32_t)1 << bits) < (uint32_t)sp->h) {
        bits++;
    }
    size_t n = 0;
    sp->order[n++] = (uint32_t)sp->ay;
    for (uint32_t i = 0; i < ((uint32_t)1 << bits); i++) {
        uint32_t r = 0;
        for (uint32_t b = 0; b < bits; b++) {
            r |= ((i >> b) & 1u) << (bits - 1 - b);
        }
        if (r < (uint32_t)sp->h && r != (uint32_t)sp->ay) {
            sp->order[n++] = r;
        }
    }
}

/* One bit per byte of `a` that is not zero, for `n` <= 64 bytes. */
static uint64_t nonzero_bits(const uint8_t *a, int n)
{
    uint64_t v = 0;
    int i = 0;
#if defined(__SSE2__)
    /* 16 bytes to 16 bits at a time: every word's bitmap goes through
     * here, on the rasteriser thread. */
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i q = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        unsigned z = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(q, zero));
        v |= (uint64_t)(~z & 0xffffu) << i;
    }
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t q;
        memcpy(&q, a + i, 8);
        if (!q) {
            continue;
        }
        for (int k = 0; k < 8; k++) {
            v |= (uint64_t)(a[i + k] != 0) << (i + k);
        }
    }
    for (; i < n; i++) {
        v |= (uint64_t)(a[i] != 0) << i;
    }
    return v;
}

/* The ink's bounds (alpha > 0) from the bit rows of the whole bitmap;
 * false when there is none. */
static bool bit_bounds(const uint64_t *bits, size_t nw, int h, int *x0, int *y0, int *x1,
                       int *y1)
{
    int bx0 = INT32_MAX, bx1 = -1, by0 = -1, by1 = -1;
    for (int j = 0; j < h; j++) {
        const uint64_t *row = bits + (size_t)j * nw;
        for (size_t k = 0; k < nw; k++) {
            if (!row[k]) {
                continue;
            }
            int first = (int)k * 64 + __builtin_ctzll(row[k]);
            bx0 = first < bx0 ? first : bx0;
            break;
        }
        for (size_t k = nw; k-- > 0;) {
            if (!row[k]) {
                continue;
            }
            int last = (int)k * 64 + 63 - __builtin_clzll(row[k]);
            bx1 = last > bx1 ? last : bx1;
            by0 = by0 < 0 ? j : by0;
            by1 = j;
            break;
        }
    }
    if (bx1 < 0) {
        return false;
    }
    *x0 = bx0;
    *y0 = by0;
    *x1 = bx1 + 1;
    *y1 = by1 + 1;
    return true;
}

/* Bits [from, from + 64) of a row of `nw` words, zero past its end. */
static uint64_t bits_at(const uint64_t *row, size_t nw, int from)
{
    size_t k = (size_t)from >> 6;
    unsigned s = (unsigned)from & 63;
    uint64_t lo = k < nw ? row[k] >> s : 0;
    uint64_t hi = s && k + 1 < nw ? row[k + 1] << (64 - s) : 0;
    return lo | hi;
}

bool vc_sprite_from_ink(const vc_ink *ink, vc_sprite *out, vc_error *err)
{
    memset(out, 0, sizeof *out);
    if (!ink->alpha || ink->w <= 0 || ink->h <= 0) {
        return true;
    }
    /* The whole bitmap as bits first, then trimmed to the ink. */
    size_t fnw = ((size_t)ink->w + 63) / 64;
    uint64_t *full = vc_malloc3((size_t)ink->h, fnw, sizeof *full);
    if (!full) {
        return vc_fail_nomem(err, "word bit mask");
    }
    for (int j = 0; j < ink->h; j++) {
        const uint8_t *a = ink->alpha + (size_t)j * (size_t)ink->stride;
        for (size_t k = 0; k < fnw; k++) {
            int n = ink->w - (int)k * 64;
            full[(size_t)j * fnw + k] = nonzero_bits(a + k * 64, n < 64 ? n : 64);
        }
    }
    int x0, y0, x1, y1;
    if (!bit_bounds(full, fnw, ink->h, &x0, &y0, &x1, &y1)) {
        free(full);
        return true;
    }
    out->x0 = ink->x0 + x0;
    out->y0 = ink->y0 + y0;
    out->w = x1 - x0;
    out->h = y1 - y0;
    out->nw = ((size_t)out->w + 63) / 64;
    out->bits = vc_calloc2((size_t)out->h, out->nw * sizeof *out->bits);
    out->order = vc_malloc2((size_t)out->h, sizeof *out->order);
    if (!out->bits || !out->order) {
        free(full);
        vc_sprite_finish(out);
        return vc_fail_nomem(err, "word bit mask");
    }
    unsigned tail = (unsigned)out->w & 63;
    for (int j = 0; j < out->h; j++) {
        const uint64_t *src = full + (size_t)(j + y0) * fnw;
        uint64_t *row = out->bits + (size_t)j * out->nw;
        for (size_t k = 0; k < out->nw; k++) {
            row[k] = bits_at(src, fnw, x0 + (int)k * 64);
        }
        if (tail) {
            row[out->nw - 1] &= ((uint64_t)1 << tail) - 1;
        }
    }
    free(full);
    find_anchor(out);
    row_order(out);
    return true;
}

/* ---- taking pixels ------------------------------------------------------ */

/* ORs the 64 bits of `v` into `row` (of `width` bits) at signed bit
 * position `pos`, dropping bits outside the row. */
static void or_at(uint64_t *row, size_t nw, long width, long pos, uint64_t v)
{
    if (!v || pos <= -64 || pos >= width) {
        return;
    }
    if (pos < 0) {
        v >>= -pos;
        pos = 0;
    }
    size_t k = (size_t)pos >> 6;
    unsigned s = (unsigned)pos & 63;
    row[k] |= v << s;
    if (s && k + 1 < nw) {
        row[k + 1] |= v >> (64 - s);
    }
}

size_t vc_occupancy_scratch_words(const vc_sprite *sprite, int pad_x, int pad_y)
{
    return (sprite->nw + (size_t)pad_x / 32 + 2) * ((size_t)sprite->h + 2 * (size_t)pad_y);
}

/* a[0, n) |= a << s (bit i to bit i + s), in place: words are done from
 * the top, so each reads words below it that are not yet changed. */
static void or_shifted(uint64_t *a, size_t n, size_t s)
{
    size_t q = s >> 6;
    unsigned r = (unsigned)s & 63;
    for (size_t k = n; k-- > q;) {
        uint64_t v = a[k - q] << r;
        if (r && k > q) {
            v |= a[k - q - 1] >> (64 - r);
        }
        a[k] |= v;
    }
}

/* Row t of rows[0, n) (nsw words each) becomes the OR of rows
 * t - width + 1 .. t (those below 0 empty): by doubling, from the last
 * row down, so each row reads rows not yet changed. */
static void or_window_rows(uint64_t *rows, size_t n, size_t nsw, size_t width)
{
    size_t span = 1;
    while (span * 2 <= width) {
        for (size_t t = n; t-- > span;) {
            uint64_t *dst = rows + t * nsw, *src = rows + (t - span) * nsw;
            for (size_t k = 0; k < nsw; k++) {
                dst[k] |= src[k];
            }
        }
        span *= 2;
    }
    size_t rest = width - span;
    if (rest) {
        for (size_t t = n; t-- > rest;) {
            uint64_t *dst = rows + t * nsw, *src = rows + (t - rest) * nsw;
            for (size_t k = 0; k < nsw; k++) {
                dst[k] |= src[k];
            }
        }
    }
}

void vc_occupancy_add(vc_occupancy *occ, const vc_sprite *sprite, int x,
                      int y, int pad_x, int pad_y, uint64_t *scratch)
{
    /* Scratch row t is canvas row y - pad_y + t: sprite row t grown
     * sideways (bit i is canvas column x - pad_x + i), then each row ORed
     * with the 2 pad_y rows before it, so row t holds sprite rows
     * t - 2 pad_y .. t: every row within pad_y of its canvas row.  Both
     * growths double the window, log(pad) passes rather than pad. */
    size_t nsw = sprite->nw + (size_t)pad_x / 32 + 2;
    size_t n_rows = (size_t)sprite->h + 2 * (size_t)pad_y;
    memset(scratch, 0, nsw * n_rows * sizeof *scratch);
    size_t width_x = 2 * (size_t)pad_x + 1;
    for (int r = 0; r < sprite->h; r++) {
        const uint64_t *row = sprite->bits + (size_t)r * sprite->nw;
        uint64_t *out = scratch + (size_t)r * nsw;
        bool any = false;
        for (size_t k = 0; k < sprite->nw; k++) {
            out[k] = row[k];
            any |= row[k] != 0;
        }
        if (!any) {
            continue;
        }
        size_t span = 1;
        while (span * 2 <= width_x) {
            or_shifted(out, nsw, span);
            span *= 2;
        }
        if (width_x > span) {
            or_shifted(out, nsw, width_x - span);
        }
    }
    or_window_rows(scratch, n_rows, nsw, 2 * (size_t)pad_y + 1);
    for (size_t t = 0; t < n_rows; t++) {
        long cy = (long)y - pad_y + (long)t;
        if (cy < 0 || cy >= occ->h) {
            continue;
        }
        const uint64_t *src = scratch + t * nsw;
        uint64_t *crow = occ->bits + (size_t)cy * occ->nw;
        for (size_t k = 0; k < nsw; k++) {
            or_at(crow, occ->nw, occ->w, (long)x - pad_x + (long)k * 64, src[k]);
        }
    }
}

void vc_occupancy_take_frame(vc_occupancy *occ, int inset)
{
    for (int y = 0; y < occ->h; y++) {
        bool all = y < inset || y >= occ->h - inset;
        for (int x = 0; x < occ->w && (all || x < inset); x++) {
            vc_occupancy_set(occ, x, y);
            vc_occupancy_set(occ, occ->w - 1 - x, y);
        }
    }
}
