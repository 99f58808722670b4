/* occupancy.c - the canvas occupancy bitmap and word bit masks: a word's
 * ink becomes one bit per pixel, tested against the canvas 64 pixels at a
 * time, and taken (grown by the padding) once it is placed. */
#include "occupancy.h"

#include <stdlib.h>
#include <string.h>

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

/* The ink's bounds (alpha > 0); false when there is none. */
static bool ink_bounds(const vc_ink *ink, int *x0, int *y0, int *x1, int *y1)
{
    int bx0 = ink->w, by0 = ink->h, bx1 = -1, by1 = -1;
    for (int j = 0; j < ink->h; j++) {
        const uint8_t *row = ink->alpha + (size_t)j * (size_t)ink->stride;
        int first = -1, last = -1;
        for (int i = 0; i < ink->w; i++) {
            if (row[i]) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            continue;
        }
        bx0 = first < bx0 ? first : bx0;
        bx1 = last > bx1 ? last : bx1;
        by0 = j < by0 ? j : by0;
        by1 = j;
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

/* The anchor: the ink pixel nearest the middle of the box, so words grow
 * out from the spiral point evenly. */
static void find_anchor(vc_sprite *sp)
{
    long best = -1;
    double mx = (sp->w - 1) / 2.0, my = (sp->h - 1) / 2.0;
    for (int y = 0; y < sp->h; y++) {
        const uint64_t *row = sp->bits + (size_t)y * sp->nw;
        for (int x = 0; x < sp->w; x++) {
            if (!((row[x >> 6] >> (x & 63)) & 1u)) {
                continue;
            }
            double dx = x - mx, dy = y - my;
            long d = (long)(dx * dx * 4 + dy * dy * 4);
            if (best < 0 || d < best) {
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

bool vc_sprite_from_ink(const vc_ink *ink, vc_sprite *out, vc_error *err)
{
    memset(out, 0, sizeof *out);
    int x0, y0, x1, y1;
    if (!ink->alpha || ink->w <= 0 || ink->h <= 0 ||
        !ink_bounds(ink, &x0, &y0, &x1, &y1)) {
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
        vc_sprite_finish(out);
        return vc_fail_nomem(err, "word bit mask");
    }
    for (int j = 0; j < out->h; j++) {
        const uint8_t *a = ink->alpha + (size_t)(j + y0) * (size_t)ink->stride + x0;
        uint64_t *row = out->bits + (size_t)j * out->nw;
        for (int i = 0; i < out->w; i++) {
            row[i >> 6] |= (uint64_t)(a[i] != 0) << (i & 63);
        }
    }
    find_anchor(out);
    row_order(out);
    return true;
}

/* ---- collision ---------------------------------------------------------- */

static bool row_hits(const uint64_t *c, const uint64_t *b, size_t nw,
                     unsigned shift)
{
    if (shift == 0) {
        for (size_t k = 0; k < nw; k++) {
            if (c[k] & b[k]) {
                return true;
            }
        }
        return false;
    }
    uint64_t carry = 0;
    for (size_t k = 0; k < nw; k++) {
        if (c[k] & ((b[k] << shift) | carry)) {
            return true;
        }
        carry = b[k] >> (64 - shift);
    }
    /* The spill lies inside the canvas whenever it is not empty, because
     * the sprite does. */
    return carry && (c[nw] & carry);
}

bool vc_occupancy_collides(const vc_occupancy *occ, const vc_sprite *sprite,
                           int x, int y)
{
    if (sprite->h == 0) {
        return false;
    }
    unsigned shift = (unsigned)x & 63;
    const uint64_t *base = occ->bits + (size_t)y * occ->nw + ((unsigned)x >> 6);
    for (int k = 0; k < sprite->h; k++) {
        size_t j = sprite->order[k];
        if (row_hits(base + j * occ->nw, sprite->bits + j * sprite->nw, sprite->nw, shift)) {
            return true;
        }
    }
    return false;
}

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

size_t vc_occupancy_scratch_words(const vc_sprite *sprite, int padding)
{
    return sprite->nw + (size_t)padding / 32 + 2;
}

void vc_occupancy_add(vc_occupancy *occ, const vc_sprite *sprite, int x,
                      int y, int padding, uint64_t *scratch)
{
    size_t nsw = vc_occupancy_scratch_words(sprite, padding);
    long swidth = (long)nsw * 64;
    for (int j = -padding; j < sprite->h + padding; j++) {
        /* The horizontal growth of the rows within `padding` of row j:
         * bit i of scratch is canvas column x - padding + i. */
        memset(scratch, 0, nsw * sizeof *scratch);
        bool any = false;
        for (int r = j - padding; r <= j + padding; r++) {
            if (r < 0 || r >= sprite->h) {
                continue;
            }
            const uint64_t *row = sprite->bits + (size_t)r * sprite->nw;
            for (size_t k = 0; k < sprite->nw; k++) {
                if (!row[k]) {
                    continue;
                }
                any = true;
                for (int d = 0; d <= 2 * padding; d++) {
                    or_at(scratch, nsw, swidth, (long)k * 64 + d, row[k]);
                }
            }
        }
        int cy = y + j;
        if (!any || cy < 0 || cy >= occ->h) {
            continue;
        }
        uint64_t *crow = occ->bits + (size_t)cy * occ->nw;
        for (size_t k = 0; k < nsw; k++) {
            or_at(crow, occ->nw, occ->w, (long)x - padding + (long)k * 64,
                  scratch[k]);
        }
    }
}
