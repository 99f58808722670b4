/* raster.c - a shaped word at one size and rotation -> an 8-bit coverage
 * bitmap.  These bitmaps are both what the layout packs and what the PNG
 * renderer composites, so the measured ink is exactly the drawn ink.
 * Unhinted, greyscale, no metric hinting: deterministic and linear.
 * FreeType draws the glyphs directly, byte for byte as cairo 1.16 draws
 * them (raster-ft.c); cairo draws fonts the direct path does not copy, and
 * the PDF, SVG and legend glyphs (vc_draw_glyphs). */
#include "layout/layout.h"
#include "layout/cairo-lib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Antialiasing may spill a pixel past the outline extents. */
#define INK_PAD 2
/* cairo's image surfaces are limited to 32767 px a side. */
#define MAX_SIDE 32767

/* cos/sin that are exact at multiples of 90 degrees, so a vertical word's
 * bitmap is not off by a rounding error. */
static void rotation(double deg, double *c, double *s)
{
    double r = fmod(deg, 360.0);
    if (r < 0) {
        r += 360.0;
    }
    if (r == 0) {
        *c = 1, *s = 0;
    } else if (r == 90) {
        *c = 0, *s = 1;
    } else if (r == 180) {
        *c = -1, *s = 0;
    } else if (r == 270) {
        *c = 0, *s = -1;
    } else {
        *c = cos(r * M_PI / 180.0);
        *s = sin(r * M_PI / 180.0);
    }
}

/* Draws the glyphs of `shaped` at `size`, one cairo_show_glyphs per run of
 * one font; cr's matrix maps the word's baseline origin.  False when
 * cairo fails or a font's cairo face cannot be made. */
static bool draw_glyphs(cairo_t *cr, const vc_shaped *shaped, double size)
{
    enum { STACK_GLYPHS = 64 };
    cairo_glyph_t stack[STACK_GLYPHS];
    cairo_glyph_t *glyphs = stack;
    if (shaped->n > STACK_GLYPHS) {
        glyphs = vc_malloc2(shaped->n, sizeof *glyphs);
        if (!glyphs) {
            return false;
        }
    }
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_font_size(cr, size);
    bool faces = true;
    for (size_t i = 0; i < shaped->n;) {
        vc_font *font = shaped->glyphs[i].font;
        size_t n = 0;
        for (; i < shaped->n && shaped->glyphs[i].font == font; i++, n++) {
            glyphs[n].index = shaped->glyphs[i].id;
            glyphs[n].x = shaped->glyphs[i].x * size;
            glyphs[n].y = shaped->glyphs[i].y * size;
        }
        vc_error err = {0};
        cairo_font_face_t *face = vc_font_cairo(font, &err);
        if (!face) {
            faces = false;
            break;
        }
        cairo_set_font_face(cr, face);
        /* cairo 1.16 caches a scaled font that failed (FreeType out of
         * memory) and asserts when it is drawn with again: check first. */
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
            cairo_scaled_font_status(cairo_get_scaled_font(cr)) != CAIRO_STATUS_SUCCESS) {
            break;
        }
        cairo_show_glyphs(cr, glyphs, (int)n);
    }
    if (glyphs != stack) {
        free(glyphs);
    }
    return faces && cairo_status(cr) == CAIRO_STATUS_SUCCESS &&
           cairo_scaled_font_status(cairo_get_scaled_font(cr)) == CAIRO_STATUS_SUCCESS;
}

bool vc_draw_glyphs(cairo_t *cr, const vc_shaped *shaped, double size)
{
    return draw_glyphs(cr, shaped, size);
}

static bool row_empty(const uint8_t *row, int w)
{
    int i = 0;
    for (; i + 8 <= w; i += 8) {
        uint64_t v;
        memcpy(&v, row + i, 8);
        if (v) {
            return false;
        }
    }
    for (; i < w; i++) {
        if (row[i]) {
            return false;
        }
    }
    return true;
}

/* Drops empty border rows and columns, compacting the rows in place.
 * Scans inwards from the edges only: the middle of a big word is never
 * read. */
static void trim(vc_ink *ink)
{
    size_t stride = (size_t)ink->stride;
    int top = 0, bottom = ink->h;
    while (top < bottom && row_empty(ink->alpha + top * stride, ink->w)) {
        top++;
    }
    if (top == bottom) {
        free(ink->alpha);
        memset(ink, 0, sizeof *ink);
        return;
    }
    while (row_empty(ink->alpha + (size_t)(bottom - 1) * stride, ink->w)) {
        bottom--;
    }
    int left = ink->w, right = 0;
    for (int j = top; j < bottom; j++) {
        const uint8_t *row = ink->alpha + (size_t)j * stride;
        for (int i = 0; i < left; i++) {
            if (row[i]) {
                left = i;
                break;
            }
        }
        for (int i = ink->w - 1; i >= right; i--) {
            if (row[i]) {
                right = i + 1;
                break;
            }
        }
    }
    int w = right - left, h = bottom - top;
    if (w == ink->w && h == ink->h) {
        return;
    }
    for (int j = 0; j < h; j++) {
        memmove(ink->alpha + (size_t)j * (size_t)w,
                ink->alpha + (size_t)(top + j) * stride + (size_t)left,
                (size_t)w);
    }
    ink->x0 += left;
    ink->y0 += top;
    ink->w = w;
    ink->h = h;
    ink->stride = w;
}

/* ---- the cairo path: fonts the direct path does not copy ----------------- */

static bool draw_cairo(const vc_shaped *shaped, double size, double c, double s, vc_ink *out)
{
    cairo_surface_t *surface = cairo_image_surface_create_for_data(
        out->alpha, CAIRO_FORMAT_A8, out->w, out->h, out->stride);
    cairo_t *cr = cairo_create(surface);
    cairo_matrix_t m = {c, s, -s, c, -(double)out->x0, -(double)out->y0};
    cairo_set_matrix(cr, &m);
    /* ADD has a fast pixman path for glyph masks on A8 (5x faster than
     * OVER at 150 px).  It differs only where two glyphs' anti-aliased
     * edges overlap, and there the union's true coverage lies between
     * OVER's and ADD's anyway. */
    cairo_set_operator(cr, CAIRO_OPERATOR_ADD);
    bool ok = draw_glyphs(cr, shaped, size);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    return ok;
}

/* The word's bitmap, allocated and zeroed, covering its rotated ink box
 * with a margin; false with out zeroed when there is nothing to draw. */
static bool ink_box(const vc_shaped *shaped, double font_size, double c, double s,
                    vc_ink *out, vc_error *err)
{
    const double *ink = shaped->ink;
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY,
           maxy = -INFINITY;
    for (int k = 0; k < 4; k++) {
        double x = ink[k & 1 ? 2 : 0] * font_size;
        double y = ink[k & 2 ? 3 : 1] * font_size;
        double rx = x * c - y * s, ry = x * s + y * c;
        minx = fmin(minx, rx), maxx = fmax(maxx, rx);
        miny = fmin(miny, ry), maxy = fmax(maxy, ry);
    }
    double x0 = floor(minx) - INK_PAD, y0 = floor(miny) - INK_PAD;
    double w = ceil(maxx) + INK_PAD - x0, h = ceil(maxy) + INK_PAD - y0;
    if (w > MAX_SIDE || h > MAX_SIDE) {
        return vc_fail(err, VC_ERR_DATA,
                       "word at %g px is too large to draw (%.0f x %.0f px)",
                       font_size, w, h);
    }
    out->x0 = (int)x0;
    out->y0 = (int)y0;
    out->w = (int)w;
    out->h = (int)h;
    /* cairo's A8 stride (cairo_format_stride_for_width): whole 32-bit
     * words, so the cairo path can draw into the same bitmap. */
    out->stride = (out->w + 3) & ~3;
    out->alpha = vc_calloc2((size_t)out->h, (size_t)out->stride);
    if (!out->alpha) {
        memset(out, 0, sizeof *out);
        return vc_fail_nomem(err, "word bitmap");
    }
    return true;
}

static bool rasterise(const vc_shaped *shaped, double font_size,
                      double rotation_deg, bool direct, vc_ink *out, vc_error *err)
{
    memset(out, 0, sizeof *out);
    if (!isfinite(font_size) || font_size < 0 || !isfinite(rotation_deg)) {
        return vc_fail(err, VC_ERR_SOFTWARE,
                       "rasterise: bad size %g or rotation %g", font_size,
                       rotation_deg);
    }
    const double *ink = shaped->ink;
    if (shaped->n == 0 || font_size == 0 || ink[2] <= ink[0] ||
        ink[3] <= ink[1]) {
        return true; /* nothing to draw */
    }
    double c, s;
    rotation(rotation_deg, &c, &s);
    if (!ink_box(shaped, font_size, c, s, out, err)) {
        return false;
    }
    int status = VC_GLYPH_NOT_DIRECT;
    if (direct && vc_raster_direct_fits(shaped, font_size)) {
        status = vc_raster_direct(shaped, font_size, c, s, out);
        if (status == VC_GLYPH_NOT_DIRECT) {
            memset(out->alpha, 0, (size_t)out->h * (size_t)out->stride);
        }
    }
    if (status == VC_GLYPH_NOMEM) {
        vc_ink_finish(out);
        return vc_fail_nomem(err, "rasterise: FreeType");
    }
    if (status == VC_GLYPH_NOT_DIRECT && !vc_cairo_require(err)) {
        vc_ink_finish(out);
        return false;
    }
    if (status == VC_GLYPH_NOT_DIRECT && !draw_cairo(shaped, font_size, c, s, out)) {
        vc_ink_finish(out);
        return vc_fail(err, VC_ERR_NOMEM, "rasterise: cairo failed");
    }
    trim(out);
    return true;
}

bool vc_rasterise(const vc_shaped *shaped, double font_size,
                  double rotation_deg, vc_ink *out, vc_error *err)
{
    return rasterise(shaped, font_size, rotation_deg, true, out, err);
}

bool vc_rasterise_cairo(const vc_shaped *shaped, double font_size,
                        double rotation_deg, vc_ink *out, vc_error *err)
{
    return rasterise(shaped, font_size, rotation_deg, false, out, err);
}

bool vc_ink_copy(const vc_ink *from, vc_ink *to, vc_error *err)
{
    *to = *from;
    to->alpha = NULL;
    if (!from->alpha) {
        return true;
    }
    to->alpha = vc_malloc2((size_t)from->h, (size_t)from->stride);
    if (!to->alpha) {
        memset(to, 0, sizeof *to);
        return vc_fail_nomem(err, "word bitmap");
    }
    memcpy(to->alpha, from->alpha, (size_t)from->h * (size_t)from->stride);
    return true;
}

void vc_ink_finish(vc_ink *ink)
{
    if (!ink) {
        return;
    }
    free(ink->alpha);
    memset(ink, 0, sizeof *ink);
}
