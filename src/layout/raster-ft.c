/* raster-ft.c - the direct path of vc_rasterise: a word's glyphs drawn with
 * FreeType on a face of the thread's own, byte for byte as cairo 1.16 draws
 * them (raster.c keeps cairo for the fonts this path does not copy). */
#include "layout/layout.h"

#include FT_OUTLINE_H

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* cairo-ft renders each glyph alone: it sets the face's char size and
 * transform from the scaled font's matrix (_compute_transform and
 * _cairo_ft_unscaled_font_set_scale), loads the glyph unhinted, renders it
 * (FT_Render_Glyph) into a bitmap over its outline's cbox rounded out to
 * whole pixels, keeps that bitmap in its glyph cache, and pixman ADDs it
 * (saturating) at the glyph's device position rounded to a whole pixel.
 * The direct path makes the same FreeType calls on a face of its own,
 * keeps the bitmaps of the face's current scale, and adds them straight
 * into the word's bitmap: the same bytes (test-raster compares the two
 * paths on thousands of bitmaps), without cairo's scaled fonts, locks and
 * compositing.  The
 * positions are computed as cairo computes them, in the same order: a
 * build that fused multiply-adds (FMA contraction) here but not in cairo
 * could differ, and test-raster would say so. */

/* Beyond this em size cairo may fill glyph paths instead of drawing glyph
 * bitmaps (its limit is a max scale of 10240, up to sqrt(2) x the size);
 * the direct path stops well short of it, also because it keeps a run's
 * glyph bitmaps while it draws the run. */
#define DIRECT_MAX_SIZE 2048.0

/* cairo 1.16's flags for unhinted greyscale glyphs (_cairo_ft_options_merge
 * and _cairo_ft_scaled_glyph_init); the bundled fonts have no bitmaps. */
#define DIRECT_LOAD_FLAGS \
    (FT_LOAD_NO_HINTING | FT_LOAD_IGNORE_GLOBAL_ADVANCE_WIDTH | FT_LOAD_NO_BITMAP)

/* One scaled font as cairo sees it: its matrix (font matrix x ctm), the x
 * and y scales it splits off, and what it sets on the FreeType face. */
typedef struct ft_scaled_font {
    double xx, yx, xy, yy;
    double x_scale, y_scale;
    vc_ft_scale ft;
} ft_scaled_font;

/* The scale cairo-ft computes for em `size` under the rotation (c, s), in
 * the same order so every rounding is cairo's (_compute_transform and
 * _cairo_ft_unscaled_font_set_scale): x and y scales of at least 1 (the
 * char size, 26.6 rounded) and a normalised shape (16.16 truncated, y
 * flipped). */
static void cairo_ft_scale(double size, double c, double s, ft_scaled_font *out)
{
    double xx = size * c + 0.0 * -s, yx = size * s + 0.0 * c;
    double xy = 0.0 * c + size * -s, yy = 0.0 * s + size * c;
    double det = xx * yy - yx * xy;
    double x_scale = 0, y_scale = 0;
    if (det != 0) {
        double major = hypot(xx * 1 + xy * 0, yx * 1 + yy * 0);
        x_scale = major;
        y_scale = major != 0 ? fabs(det) / major : 0.0;
    }
    x_scale = x_scale < 1.0 ? 1.0 : x_scale;
    y_scale = y_scale < 1.0 ? 1.0 : y_scale;
    double sx = 1.0 / x_scale, sy = 1.0 / y_scale;
    double s00 = sx * xx + 0.0 * xy, s01 = sx * yx + 0.0 * yy;
    double s10 = 0.0 * xx + sy * xy, s11 = 0.0 * yx + sy * yy;
    *out = (ft_scaled_font){xx, yx, xy, yy, x_scale, y_scale, {{0, 0, 0, 0}, 0, 0}};
    out->ft.matrix.xx = (FT_Fixed)(s00 * 65536.0);
    out->ft.matrix.yx = -(FT_Fixed)(s01 * 65536.0);
    out->ft.matrix.xy = -(FT_Fixed)(s10 * 65536.0);
    out->ft.matrix.yy = (FT_Fixed)(s11 * 65536.0);
    out->ft.cw = (FT_F26Dot6)(x_scale * 64.0 + .5);
    out->ft.ch = (FT_F26Dot6)(y_scale * 64.0 + .5);
}

/* cairo's 24.8 fixed point from a double (_cairo_fixed_from_double: the
 * magic-number addition, so ties go to even). */
static int32_t fixed_from_double(double d)
{
    double magic = d + 26388279066624.0; /* 1.5 x 2^(52 - 8) */
    uint64_t bits;
    memcpy(&bits, &magic, sizeof bits);
    return (int32_t)(uint32_t)bits;
}

/* A glyph's box in device space from its origin, 24.8 fixed point, as
 * cairo computes it from FreeType's (untransformed, unhinted) metrics
 * (_cairo_ft_scaled_glyph_init, _cairo_scaled_glyph_set_metrics): cairo
 * clips what a cairo_show_glyphs call draws to the union of these boxes,
 * which for some fonts (two TeX fonts of the 302 on the test machine) is
 * smaller than the glyphs' ink. */
static void metric_box(const FT_Glyph_Metrics *m, const ft_scaled_font *cs,
                       int32_t box[4])
{
    double xf = cs->x_scale == 0 ? 0 : 1 / cs->x_scale;
    double yf = cs->y_scale == 0 ? 0 : 1 / cs->y_scale;
    double xb = ((double)m->horiBearingX / 64.0) * xf;
    double yb = ((double)-m->horiBearingY / 64.0) * yf;
    double w = ((double)m->width / 64.0) * xf, h = ((double)m->height / 64.0) * yf;
    double minx = 0, maxx = 0, miny = 0, maxy = 0;
    bool first = true;
    for (double hm = 0.0; hm <= 1.0; hm += 1.0) {
        for (double wm = 0.0; wm <= 1.0; wm += 1.0) {
            double x = xb + w * wm, y = yb + h * hm;
            double dx = cs->xx * x + cs->xy * y, dy = cs->yx * x + cs->yy * y;
            if (first) {
                minx = maxx = dx;
                miny = maxy = dy;
            } else {
                if (dx < minx) {
                    minx = dx;
                } else if (dx > maxx) {
                    maxx = dx;
                }
                if (dy < miny) {
                    miny = dy;
                } else if (dy > maxy) {
                    maxy = dy;
                }
            }
            first = false;
        }
    }
    box[0] = fixed_from_double(minx);
    box[1] = fixed_from_double(miny);
    box[2] = fixed_from_double(maxx);
    box[3] = fixed_from_double(maxy);
}

/* ---- glyph bitmaps at the face's current scale ----------------------------
 * cairo keeps each glyph it renders in a cache keyed by its scaled font;
 * this one keeps those of the face's current scale only: a word's repeated
 * letters, and the next words when several have the same size (words come
 * largest first, so ties are neighbours), need no FreeType at all. */

/* Glyphs larger than this (in pixels) are not kept: they are loaded twice,
 * for their box and then to draw them. */
#define CACHE_MAX_GLYPH (128 * 128)
/* The bytes of glyph bitmaps one face keeps before starting afresh (at
 * the start of a run: the run's glyphs stay while it is drawn). */
#define CACHE_MAX_BYTES (4u << 20)

typedef struct cached_glyph {
    uint32_t key;      /* glyph id + 1; 0: an empty slot */
    int32_t box[4];    /* metric_box */
    int left, top;     /* the bitmap's top-left from the origin, y up */
    int w, h;          /* 0 x 0: the glyph has no pixels */
    size_t off;        /* in the arena */
} cached_glyph;

struct vc_glyph_cache {
    cached_glyph *slots;
    size_t cap, n;     /* cap: a power of two, at most half full */
    uint8_t *arena;
    size_t len, arena_cap;
};

void vc_glyph_cache_free(struct vc_glyph_cache *cache)
{
    if (!cache) {
        return;
    }
    free(cache->slots);
    free(cache->arena);
    free(cache);
}

static void cache_clear(struct vc_glyph_cache *cache)
{
    if (cache->n) {
        memset(cache->slots, 0, cache->cap * sizeof *cache->slots);
    }
    cache->n = 0;
    cache->len = 0;
}

static cached_glyph *cache_slot(const struct vc_glyph_cache *cache, uint32_t id)
{
    size_t mask = cache->cap - 1;
    for (size_t i = (id * 2654435761u) & mask;; i = (i + 1) & mask) {
        cached_glyph *g = &cache->slots[i];
        if (g->key == id + 1 || g->key == 0) {
            return g;
        }
    }
}

static cached_glyph *cache_find(const struct vc_glyph_cache *cache, uint32_t id)
{
    if (!cache || cache->cap == 0) {
        return NULL;
    }
    cached_glyph *g = cache_slot(cache, id);
    return g->key ? g : NULL;
}

static bool cache_grow(struct vc_glyph_cache *cache)
{
    size_t cap = cache->cap ? cache->cap * 2 : 64;
    cached_glyph *old = cache->slots;
    size_t old_cap = cache->cap;
    cache->slots = calloc(cap, sizeof *cache->slots);
    if (!cache->slots) {
        cache->slots = old;
        return false;
    }
    cache->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key) {
            *cache_slot(cache, old[i].key - 1) = old[i];
        }
    }
    free(old);
    return true;
}

/* Adds glyph `id` with room for its w x h bitmap (at arena + off, for the
 * caller to fill) and returns its entry, or NULL when out of memory. */
static cached_glyph *cache_add(vc_raster_face *rf, uint32_t id, const int32_t box[4],
                               int left, int top, int w, int h)
{
    if (!rf->cache && !(rf->cache = calloc(1, sizeof *rf->cache))) {
        return NULL;
    }
    struct vc_glyph_cache *cache = rf->cache;
    size_t bytes = (size_t)w * (size_t)h;
    if ((cache->n + 1) * 2 > cache->cap && !cache_grow(cache)) {
        return NULL;
    }
    if (!vc_grow((void **)&cache->arena, &cache->arena_cap, cache->len + bytes, 1)) {
        return NULL;
    }
    cached_glyph *g = cache_slot(cache, id);
    *g = (cached_glyph){id + 1, {box[0], box[1], box[2], box[3]}, left, top, w, h,
                        cache->len};
    cache->len += bytes;
    cache->n++;
    return g;
}

/* Sets the scale on the face unless it has it already. */
static bool face_set_scale(vc_raster_face *rf, const vc_ft_scale *want)
{
    const vc_ft_scale *have = &rf->scale;
    if (rf->set && have->cw == want->cw && have->ch == want->ch &&
        memcmp(&have->matrix, &want->matrix, sizeof have->matrix) == 0) {
        return true;
    }
    if (rf->cache) {
        cache_clear(rf->cache);
    }
    rf->set = false;
    rf->scale = *want;
    FT_Set_Transform(rf->face, &rf->scale.matrix, NULL);
    if (FT_Set_Char_Size(rf->face, rf->scale.cw, rf->scale.ch, 0, 0) != 0) {
        return false;
    }
    rf->set = true;
    return true;
}

/* cairo's rounding of a device position to a whole pixel (_cairo_lround:
 * halves up). */
static int cairo_round(double x)
{
    return (int)floor(x + .5);
}

/* Where cairo puts the top-left of a glyph bitmap whose top-left is
 * (left, top) from the origin (y up) for the origin at device position
 * (gx, gy).  The glyph surface's device offset is (-left, top); a glyph
 * alone in its cairo_show_glyphs call is placed by rounding its corner
 * (composite_one_glyph), others by rounding the origin (pixman's glyph
 * cache). */
static void glyph_corner(double gx, double gy, int left, int top, bool alone, int *x,
                         int *y)
{
    if (alone) {
        *x = cairo_round(gx - (double)-left);
        *y = cairo_round(gy - (double)top);
    } else {
        *x = cairo_round(gx) + left;
        *y = cairo_round(gy) - top;
    }
}

/* The word's bitmap and the part of it one run may draw on. */
typedef struct word_target {
    uint8_t *alpha;
    int w, h, stride;
    int clip[4];       /* x0, y0, x1, y1 */
} word_target;

/* pixman's ADD of an A8 glyph through an opaque source: a saturating sum. */
static void add_row(uint8_t *restrict dst, const uint8_t *restrict src, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned v = dst[i] + src[i];
        dst[i] = (uint8_t)(v > 255 ? 255 : v);
    }
}

/* Adds a w x h glyph bitmap (rows `pitch` bytes apart) with its top-left
 * at word pixel (x, y), clipped as cairo clips the run. */
static void add_bitmap(const word_target *t, const uint8_t *bits, int w, int h, int pitch,
                       int x, int y)
{
    int i0 = x < t->clip[0] ? t->clip[0] - x : 0;
    int i1 = x + w > t->clip[2] ? t->clip[2] - x : w;
    int j0 = y < t->clip[1] ? t->clip[1] - y : 0;
    int j1 = y + h > t->clip[3] ? t->clip[3] - y : h;
    for (int j = j0; j < j1; j++) {
        add_row(t->alpha + (size_t)(y + j) * (size_t)t->stride + (size_t)(x + i0),
                bits + (ptrdiff_t)j * pitch + i0, i1 - i0);
    }
}


static int ft_status(FT_Error fe)
{
    return fe == 0                      ? VC_GLYPH_DRAWN
           : fe == FT_Err_Out_Of_Memory ? VC_GLYPH_NOMEM
                                        : VC_GLYPH_NOT_DIRECT;
}

/* What load_glyph left in the face's glyph slot. */
enum { SLOT_EMPTY, SLOT_OUTLINE, SLOT_BITMAP };

/* Loads glyph `id` and, when its cbox rounded out to whole pixels covers
 * at most `max_area` pixels, renders it with FT_Render_Glyph as cairo 1.16
 * renders it (_render_glyph_outline): FreeType chooses the bitmap's box
 * and oversamples outlines flagged as overlapping.  *slot is SLOT_EMPTY
 * for an outline whose rounded cbox is empty (cairo draws nothing),
 * SLOT_OUTLINE when it is larger than max_area, else SLOT_BITMAP. */
static int load_glyph(vc_raster_face *rf, uint32_t id, long max_area, int *slot_has)
{
    *slot_has = SLOT_EMPTY;
    FT_Error fe = FT_Load_Glyph(rf->face, id, DIRECT_LOAD_FLAGS);
    if (fe != 0) {
        return ft_status(fe);
    }
    FT_GlyphSlot slot = rf->face->glyph;
    if (slot->format != FT_GLYPH_FORMAT_OUTLINE) {
        return VC_GLYPH_NOT_DIRECT;
    }
    FT_BBox cbox;
    FT_Outline_Get_CBox(&slot->outline, &cbox);
    long w = (((cbox.xMax + 63) & -64) - (cbox.xMin & -64)) >> 6;
    long h = (((cbox.yMax + 63) & -64) - (cbox.yMin & -64)) >> 6;
    if (w == 0 || h == 0) {
        return VC_GLYPH_DRAWN;
    }
    if (w > max_area / h) {
        *slot_has = SLOT_OUTLINE;
        return VC_GLYPH_DRAWN;
    }
    fe = FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL);
    if (fe != 0) {
        return ft_status(fe);
    }
    const FT_Bitmap *bm = &slot->bitmap;
    if (bm->pixel_mode != FT_PIXEL_MODE_GRAY || bm->num_grays != 256) {
        return VC_GLYPH_NOT_DIRECT;
    }
    *slot_has = SLOT_BITMAP;
    return VC_GLYPH_DRAWN;
}

/* Glyph `id`'s box (metric_box), with the glyph kept in the cache unless
 * it is large (then it is rendered when drawn). */
static int glyph_box(vc_raster_face *rf, const ft_scaled_font *cs, uint32_t id,
                     int32_t box[4])
{
    const cached_glyph *cg = cache_find(rf->cache, id);
    if (cg) {
        memcpy(box, cg->box, sizeof cg->box);
        return VC_GLYPH_DRAWN;
    }
    int slot_has;
    int status = load_glyph(rf, id, CACHE_MAX_GLYPH, &slot_has);
    if (status != VC_GLYPH_DRAWN) {
        return status;
    }
    FT_GlyphSlot slot = rf->face->glyph;
    metric_box(&slot->metrics, cs, box);
    if (slot_has == SLOT_OUTLINE) {
        return VC_GLYPH_DRAWN;
    }
    const FT_Bitmap *bm = &slot->bitmap;
    int w = slot_has == SLOT_BITMAP ? (int)bm->width : 0;
    int h = slot_has == SLOT_BITMAP ? (int)bm->rows : 0;
    cached_glyph *g = cache_add(rf, id, box, slot->bitmap_left, slot->bitmap_top, w, h);
    if (!g) {
        return VC_GLYPH_NOMEM;
    }
    for (int j = 0; j < h; j++) {
        memcpy(rf->cache->arena + g->off + (size_t)j * (size_t)w,
               bm->buffer + (ptrdiff_t)j * bm->pitch, (size_t)w);
    }
    return VC_GLYPH_DRAWN;
}

/* Draws glyph `id` with its origin at device position (gx, gy) of t's
 * bitmap; `alone`: the only glyph of its run (glyph_corner). */
static int draw_glyph(vc_raster_face *rf, uint32_t id, double gx, double gy, bool alone,
                      const word_target *t)
{
    int x, y;
    const cached_glyph *cg = cache_find(rf->cache, id);
    if (cg) {
        if (cg->w > 0) {
            glyph_corner(gx, gy, cg->left, cg->top, alone, &x, &y);
            add_bitmap(t, rf->cache->arena + cg->off, cg->w, cg->h, cg->w, x, y);
        }
        return VC_GLYPH_DRAWN;
    }
    int slot_has;
    int status = load_glyph(rf, id, LONG_MAX, &slot_has);
    if (status == VC_GLYPH_DRAWN && slot_has == SLOT_BITMAP) {
        FT_GlyphSlot slot = rf->face->glyph;
        glyph_corner(gx, gy, slot->bitmap_left, slot->bitmap_top, alone, &x, &y);
        add_bitmap(t, slot->bitmap.buffer, (int)slot->bitmap.width,
                   (int)slot->bitmap.rows, slot->bitmap.pitch, x, y);
    }
    return status;
}

/* The device positions of glyphs [i, end): user-space positions, then
 * cairo's transform to device space (cairo_matrix_transform_point of the
 * ctm), in cairo's order. */
static void glyph_position(const vc_glyph *g, double size, double c, double s, double tx,
                           double ty, double *dx, double *dy)
{
    double x = g->x * size, y = g->y * size;
    *dx = c * x + -s * y;
    *dy = s * x + c * y;
    *dx += tx;
    *dy += ty;
}

/* How far from the glyph origins cairo lets a run draw: the font's
 * largest advance or line height, whichever is larger, times the scaled
 * font's max scale (_cairo_scaled_font_glyph_approximate_extents, with the
 * font extents _cairo_ft_scaled_font_create takes from the face when
 * metrics are not hinted); 0 when cairo skips this clip. */
static double approximate_pad(FT_Face face, const ft_scaled_font *cs)
{
    if (face->units_per_EM == 0) {
        return 0;
    }
    double scale = face->units_per_EM;
    double max_x_advance = face->max_advance_width / scale, height = face->height / scale;
    double max_scale = fmax(fabs(cs->xx) + fabs(cs->xy), fabs(cs->yx) + fabs(cs->yy));
    if (max_x_advance == 0 || height == 0 || max_scale == 0) {
        return 0;
    }
    double pad = max_x_advance > height ? max_x_advance : height;
    return pad * max_scale;
}

/* Narrows clip (x0, y0, x1, y1) to the rectangle (x0, y0, x1, y1). */
static void clip_to(int clip[4], int64_t x0, int64_t y0, int64_t x1, int64_t y1)
{
    clip[0] = x0 > clip[0] ? (int)(x0 < clip[2] ? x0 : clip[2]) : clip[0];
    clip[1] = y0 > clip[1] ? (int)(y0 < clip[3] ? y0 : clip[3]) : clip[1];
    clip[2] = x1 < clip[2] ? (int)(x1 > clip[0] ? x1 : clip[0]) : clip[2];
    clip[3] = y1 < clip[3] ? (int)(y1 > clip[1] ? y1 : clip[1]) : clip[3];
}

/* Draws one run of glyphs of one font as one cairo_show_glyphs call,
 * clipped as cairo clips it (_cairo_composite_rectangles_init_for_glyphs):
 * to the surface, to the glyph origins' range grown by approximate_pad,
 * and to the union of the glyphs' boxes (metric_box) at their rounded
 * positions (_cairo_scaled_font_glyph_device_extents), each rounded out to
 * whole pixels. */
static int draw_run(vc_raster_face *rf, const ft_scaled_font *cs, const vc_glyph *g,
                    size_t n, double size, double c, double s, double tx, double ty,
                    word_target *t)
{
    if (rf->cache && rf->cache->len > CACHE_MAX_BYTES) {
        cache_clear(rf->cache);
    }
    int64_t u[4] = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN};
    double o[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t k = 0; k < n; k++) {
        int32_t box[4];
        int status = glyph_box(rf, cs, g[k].id, box);
        if (status != VC_GLYPH_DRAWN) {
            return status;
        }
        double dx, dy;
        glyph_position(&g[k], size, c, s, tx, ty, &dx, &dy);
        o[0] = dx < o[0] ? dx : o[0];
        o[1] = dy < o[1] ? dy : o[1];
        o[2] = dx > o[2] ? dx : o[2];
        o[3] = dy > o[3] ? dy : o[3];
        int64_t ox = (int64_t)cairo_round(dx) * 256, oy = (int64_t)cairo_round(dy) * 256;
        u[0] = ox + box[0] < u[0] ? ox + box[0] : u[0];
        u[1] = oy + box[1] < u[1] ? oy + box[1] : u[1];
        u[2] = ox + box[2] > u[2] ? ox + box[2] : u[2];
        u[3] = oy + box[3] > u[3] ? oy + box[3] : u[3];
    }
    t->clip[0] = 0;
    t->clip[1] = 0;
    t->clip[2] = t->w;
    t->clip[3] = t->h;
    double pad = approximate_pad(rf->face, cs);
    if (pad != 0) {
        clip_to(t->clip, (int64_t)floor(o[0] - pad), (int64_t)floor(o[1] - pad),
                (int64_t)ceil(o[2] + pad), (int64_t)ceil(o[3] + pad));
    }
    /* Floor and ceiling of 24.8 fixed point. */
    clip_to(t->clip, u[0] >> 8, u[1] >> 8, -((-u[2]) >> 8), -((-u[3]) >> 8));
    for (size_t k = 0; k < n; k++) {
        double dx, dy;
        glyph_position(&g[k], size, c, s, tx, ty, &dx, &dy);
        int status = draw_glyph(rf, g[k].id, dx, dy, n == 1, t);
        if (status != VC_GLYPH_DRAWN) {
            return status;
        }
    }
    return VC_GLYPH_DRAWN;
}

/* True when every glyph's font is one the direct path draws as cairo. */
bool vc_raster_direct_fits(const vc_shaped *shaped, double size)
{
    if (size > DIRECT_MAX_SIZE) {
        return false;
    }
    for (size_t i = 0; i < shaped->n; i++) {
        if (!shaped->glyphs[i].font->raster_direct) {
            return false;
        }
    }
    return true;
}

/* Draws the word into out (zeroed, origin at -out->x0, -out->y0) one run
 * of one font at a time, as draw_glyphs does through cairo. */
int vc_raster_direct(const vc_shaped *shaped, double size, double c, double s,
                     vc_ink *out)
{
    word_target t = {out->alpha, out->w, out->h, out->stride, {0, 0, 0, 0}};
    double tx = -(double)out->x0, ty = -(double)out->y0;
    ft_scaled_font cs;
    cairo_ft_scale(size, c, s, &cs);
    int status = VC_GLYPH_DRAWN;
    for (size_t i = 0; i < shaped->n && status == VC_GLYPH_DRAWN;) {
        vc_font *font = shaped->glyphs[i].font;
        size_t end = i;
        while (end < shaped->n && shaped->glyphs[end].font == font) {
            end++;
        }
        vc_raster_face *rf = vc_font_face_borrow(font, &cs.ft);
        if (!rf) {
            return VC_GLYPH_NOMEM;
        }
        status = face_set_scale(rf, &cs.ft) ? draw_run(rf, &cs, shaped->glyphs + i,
                                                       end - i, size, c, s, tx, ty, &t)
                                            : VC_GLYPH_NOT_DIRECT;
        vc_font_face_return(font, rf);
        i = end;
    }
    return status;
}
