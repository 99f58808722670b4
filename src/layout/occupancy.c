/* occupancy.c - the canvas occupancy bitmap and word bit masks: a word's
 * ink becomes one bit per pixel, tested against the canvas 64 pixels at a
 * time, and taken (grown by the padding) once it is placed. */
#include "layout/occupancy.h"

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

bool vc_sprite_copy(const vc_sprite *from, vc_sprite *to, vc_error *err)
{
    *to = *from;
    to->bits = NULL;
    to->order = NULL;
    if (!from->bits) {
        return true;
    }
    to->bits = vc_malloc3((size_t)from->h, from->nw, sizeof *to->bits);
    to->order = vc_malloc2((size_t)from->h, sizeof *to->order);
    if (!to->bits || !to->order) {
        vc_sprite_finish(to);
        return vc_fail_nomem(err, "word bit mask");
    }
    memcpy(to->bits, from->bits, (size_t)from->h * from->nw * sizeof *to->bits);
    memcpy(to->order, from->order, (size_t)from->h * sizeof *to->order);
    return true;
}

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

/* One grown row, and the one before it. */
size_t vc_occupancy_scratch_words(const vc_sprite *sprite, int pad_x)
{
    return 2 * (sprite->nw + (size_t)pad_x / 32 + 2);
}

/* buf |= buf shifted t bits towards higher columns (n words). */
static void shift_or(uint64_t *buf, size_t n, unsigned t)
{
    size_t q = t >> 6;
    unsigned b = t & 63;
    for (size_t k = n; k-- > q;) {
        uint64_t v = buf[k - q] << b;
        if (b && k > q) {
            v |= buf[k - q - 1] >> (64 - b);
        }
        buf[k] |= v;
    }
}

void vc_occupancy_add(vc_occupancy *occ, const vc_sprite *sprite, int x,
                      int y, int pad_x, int pad_y, uint64_t *scratch)
{
    size_t nsw = vc_occupancy_scratch_words(sprite, pad_x) / 2;
    uint64_t *prev = scratch + nsw; /* row prev_r grown, as taken */
    int prev_r = -2;
    unsigned span = 2 * (unsigned)pad_x + 1;
    for (int r = 0; r < sprite->h; r++) {
        /* Row r grown sideways by pad_x: bit i of scratch is canvas column
         * x - pad_x + i, set when the row has ink at any of bits
         * i - 2 pad_x .. i (doubling shifts: log2(2 pad_x + 1) passes
         * instead of one per column of padding).  Then it takes the
         * 2 pad_y + 1 canvas rows around y + r. */
        const uint64_t *row = sprite->bits + (size_t)r * sprite->nw;
        bool any = false;
        for (size_t k = 0; k < sprite->nw && !any; k++) {
            any = row[k] != 0;
        }
        if (!any) {
            continue; /* prev_r stays: the next row is not its neighbour */
        }
        memcpy(scratch, row, sprite->nw * sizeof *scratch);
        memset(scratch + sprite->nw, 0, (nsw - sprite->nw) * sizeof *scratch);
        for (unsigned have = 1; have < span;) {
            unsigned t = have < span - have ? have : span - have;
            shift_or(scratch, nsw, t);
            have += t;
        }
        int c0 = y + r - pad_y > 0 ? y + r - pad_y : 0;
        int c1 = y + r + pad_y < occ->h - 1 ? y + r + pad_y : occ->h - 1;
        /* The same grown row as the row above (the middle of most
         * letters): the rows around that one have it already, only the
         * last row is new. */
        if (prev_r == r - 1 && memcmp(prev, scratch, nsw * sizeof *scratch) == 0) {
            c0 = c0 > y + r + pad_y ? c0 : y + r + pad_y;
        } else {
            memcpy(prev, scratch, nsw * sizeof *scratch);
        }
        prev_r = r;
        for (int cy = c0; cy <= c1; cy++) {
            uint64_t *crow = occ->bits + (size_t)cy * occ->nw;
            for (size_t k = 0; k < nsw; k++) {
                or_at(crow, occ->nw, occ->w, (long)x - pad_x + (long)k * 64, scratch[k]);
            }
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
