/* render-png.c - PNG output through libpng.  Composites each placed word's
 * coverage bitmap (the same ink the layout packed) in its colour, then
 * encodes with settings chosen for flat word-cloud backgrounds.  No time
 * chunk: the same layout gives the same bytes. */
#include "internal.h"
#include "render-internal.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Measured (CPU time, tests/render/bench-render.c, a dense 1,000-word
 * 1920x1080 RGB canvas): filter NONE at level 1 took 28 ms for 679 kB; SUB
 * 33 ms / 789 kB, UP 35 ms / 792 kB, Z_RLE 27 ms but 865 kB, level 6
 * 53 ms / 651 kB.  Zlib itself is the floor (27 ms raw deflate; libdeflate
 * was no faster): anti-aliased text repeats exactly, which filters only
 * hide from the matcher. */
#define PNG_ZLIB_LEVEL 1
#define PNG_ZLIB_STRATEGY Z_DEFAULT_STRATEGY
#define PNG_ROW_FILTER PNG_FILTER_NONE

double vc_render_dpi(const vc_layout *layout)
{
    double dpi = layout->opts.dpi;
    return isfinite(dpi) && dpi > 0 ? dpi : 96.0;
}

double vc_render_scale(const vc_layout *layout)
{
    double scale = layout->opts.scale;
    return isfinite(scale) && scale > 0 ? scale : 1.0;
}

typedef struct canvas {
    int w, h, channels;
    size_t stride;
    uint8_t *px;
} canvas;

/* v / 255 rounded to nearest, exact for v <= 255 * 255. */
static inline unsigned div255(unsigned v)
{
    v += 128;
    return (v + (v >> 8)) >> 8;
}

static bool canvas_init(canvas *cv, const vc_layout *layout, double scale,
                        vc_error *err)
{
    double w = round(layout->width * scale), h = round(layout->height * scale);
    if (!(w >= 1 && h >= 1 && w <= INT32_MAX / 4 && h <= INT32_MAX / 4) ||
        (layout->opts.max_pixels > 0 &&
         w * h > (double)layout->opts.max_pixels)) {
        return vc_fail(err, VC_ERR_USAGE,
                       "PNG: %.0f x %.0f px at scale %g is over the limit "
                       "of %llu pixels",
                       w, h, scale,
                       (unsigned long long)layout->opts.max_pixels);
    }
    cv->w = (int)w;
    cv->h = (int)h;
    cv->channels = layout->transparent ? 4 : 3;
    cv->stride = (size_t)cv->w * (size_t)cv->channels;
    cv->px = vc_malloc2((size_t)cv->h, cv->stride);
    if (!cv->px) {
        return vc_fail_nomem(err, "PNG canvas");
    }
    if (layout->transparent) {
        memset(cv->px, 0, (size_t)cv->h * cv->stride);
        return true;
    }
    uint8_t rgb[3] = {(uint8_t)(layout->background_rgb >> 16),
                      (uint8_t)(layout->background_rgb >> 8),
                      (uint8_t)layout->background_rgb};
    for (int i = 0; i < cv->w; i++) {
        memcpy(cv->px + (size_t)i * 3, rgb, 3);
    }
    for (int j = 1; j < cv->h; j++) {
        memcpy(cv->px + (size_t)j * cv->stride, cv->px, cv->stride);
    }
    return true;
}

/* Straight-alpha "over" of colour c at coverage a onto one RGBA pixel. */
static void over_rgba(uint8_t *d, const uint8_t c[3], unsigned a)
{
    unsigned da = d[3];
    if (a == 255 || da == 0) {
        d[0] = c[0], d[1] = c[1], d[2] = c[2], d[3] = (uint8_t)a;
        return;
    }
    unsigned keep = da * (255 - a);       /* dst weight, in 255^2 units */
    unsigned total = a * 255 + keep;      /* result alpha, 255^2 units */
    for (int k = 0; k < 3; k++) {
        unsigned num = c[k] * a * 255 + d[k] * keep;
        d[k] = (uint8_t)((num + total / 2) / total);
    }
    d[3] = (uint8_t)div255(total);
}

/* Composites `ink` in `color` with its origin at canvas pixel (ox, oy),
 * clipped to the canvas. */
static void composite(canvas *cv, const vc_ink *ink, int ox, int oy,
                      uint32_t color)
{
    const uint8_t c[3] = {(uint8_t)(color >> 16), (uint8_t)(color >> 8),
                          (uint8_t)color};
    long bx = (long)ox + ink->x0, by = (long)oy + ink->y0;
    int i0 = bx < 0 ? (int)-bx : 0, j0 = by < 0 ? (int)-by : 0;
    int i1 = bx + ink->w > cv->w ? (int)(cv->w - bx) : ink->w;
    int j1 = by + ink->h > cv->h ? (int)(cv->h - by) : ink->h;
    for (int j = j0; j < j1; j++) {
        const uint8_t *src = ink->alpha + (size_t)j * (size_t)ink->stride;
        uint8_t *row = cv->px + (size_t)(by + j) * cv->stride;
        for (int i = i0; i < i1; i++) {
            unsigned a = src[i];
            if (a == 0) {
                continue;
            }
            uint8_t *d = row + (size_t)(bx + i) * (size_t)cv->channels;
            if (cv->channels == 4) {
                over_rgba(d, c, a);
                continue;
            }
            for (int k = 0; k < 3; k++) {
                d[k] = (uint8_t)div255(c[k] * a + d[k] * (255 - a));
            }
        }
    }
}

static bool draw_words(canvas *cv, const vc_layout *layout, double scale,
                       vc_error *err)
{
    for (size_t i = 0; i < layout->n_placed; i++) {
        const vc_placed_word *pw = &layout->placed[i];
        if (scale == 1.0) {
            composite(cv, &pw->ink, pw->x, pw->y, pw->color);
            continue;
        }
        /* Re-rasterised at the output size: scaling the 1x bitmap would
         * blur it. */
        vc_ink ink;
        if (!vc_rasterise(&pw->shaped, pw->font_size * scale, pw->rotation,
                          &ink, err)) {
            return false;
        }
        composite(cv, &ink, (int)lround(pw->x * scale),
                  (int)lround(pw->y * scale), pw->color);
        vc_ink_finish(&ink);
    }
    return true;
}

/* The --legend band, rasterised like the words. */
static bool draw_legend(canvas *cv, const vc_layout *layout, double scale,
                        vc_error *err)
{
    vc_legend lg;
    if (!vc_legend_build(layout, &lg, err)) {
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < lg.n; i++) {
        const vc_legend_item *it = &lg.items[i];
        vc_ink ink;
        ok = vc_rasterise(&it->shaped, it->size * scale, 0, &ink, err);
        if (ok) {
            composite(cv, &ink, (int)lround(it->x * scale),
                      (int)lround(it->y * scale), lg.color);
            vc_ink_finish(&ink);
        }
    }
    vc_legend_finish(&lg);
    return ok;
}

typedef struct png_sink {
    FILE *fp;
    int errnum;   /* of a failed write; 0 for other libpng errors */
    char message[200];
} png_sink;

static void on_png_error(png_structp png, png_const_charp msg)
{
    png_sink *sink = png_get_error_ptr(png);
    snprintf(sink->message, sizeof sink->message, "%s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    VC_UNUSED(png);
    VC_UNUSED(msg);
}

static void on_png_write(png_structp png, png_bytep data, size_t len)
{
    png_sink *sink = png_get_io_ptr(png);
    if (fwrite(data, 1, len, sink->fp) != len) {
        sink->errnum = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static void on_png_flush(png_structp png)
{
    png_sink *sink = png_get_io_ptr(png);
    if (fflush(sink->fp) != 0) {
        sink->errnum = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

/* The metadata chunks; strings are borrowed, libpng copies them. */
typedef struct png_meta {
    png_text text[4];
    int n;
} png_meta;

static void meta_add(png_meta *m, int compression, const char *key,
                     const char *value)
{
    png_text *t = &m->text[m->n++];
    memset(t, 0, sizeof *t);
    t->compression = compression;
    t->key = (png_charp)key;
    t->text = (png_charp)value;
    t->text_length = strlen(value);
}

/* Everything libpng does, inside one setjmp so its errors return here.
 * Only values set before setjmp are used after a longjmp. */
static bool encode(const canvas *cv, png_bytep *rows, const png_meta *meta,
                   double dpi, FILE *fp, vc_error *err)
{
    png_sink sink = {.fp = fp};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink,
                                              on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return vc_fail_nomem(err, "PNG encoder");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        if (sink.errnum) {
            return vc_fail_errno(err, VC_ERR_IO, "PNG output", "cannot write",
                                 sink.errnum);
        }
        return vc_fail(err, VC_ERR_SOFTWARE, "PNG output: libpng: %s",
                       sink.message);
    }
    png_set_write_fn(png, &sink, on_png_write, on_png_flush);
    png_set_compression_buffer_size(png, 1 << 17);
    png_set_compression_level(png, PNG_ZLIB_LEVEL);
    png_set_compression_strategy(png, PNG_ZLIB_STRATEGY);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_ROW_FILTER);
    png_set_IHDR(png, info, (png_uint_32)cv->w, (png_uint_32)cv->h, 8,
                 cv->channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA
                                   : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
                 PNG_FILTER_TYPE_BASE);
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_text(png, info, meta->text, meta->n);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fflush(fp) != 0) {
        return vc_fail_errno(err, VC_ERR_IO, "PNG output", "cannot write",
                             errno);
    }
    return true;
}

bool vc_render_png(const vc_layout *layout, FILE *fp, vc_error *err)
{
    vc_timings *timings = &((vc_layout *)layout)->timings;
    double scale = vc_render_scale(layout);
    double t0 = vc_now();
    canvas cv = {0};
    png_bytep *rows = NULL;
    char *alt = NULL, *provenance = NULL;
    bool ok = canvas_init(&cv, layout, scale, err) &&
              draw_words(&cv, layout, scale, err) &&
              draw_legend(&cv, layout, scale, err);
    if (ok && !(rows = vc_malloc2((size_t)cv.h, sizeof *rows))) {
        ok = vc_fail_nomem(err, "PNG rows");
    }
    double t1 = vc_now();
    timings->draw += t1 - t0;
    if (!ok) {
        goto done;
    }
    for (int j = 0; j < cv.h; j++) {
        rows[j] = cv.px + (size_t)j * cv.stride;
    }
    png_meta meta = {.n = 0};
    meta_add(&meta, PNG_ITXT_COMPRESSION_NONE, "Title",
             layout->title ? layout->title : "Word cloud");
    if ((alt = vc_layout_alt_text(layout))) {
        meta_add(&meta, PNG_ITXT_COMPRESSION_NONE, "Description", alt);
    }
    meta_add(&meta, PNG_TEXT_COMPRESSION_NONE, "Software",
             "votecloud " VC_VERSION_STRING);
    if ((provenance = vc_layout_provenance(layout))) {
        meta_add(&meta, PNG_ITXT_COMPRESSION_NONE, "Comment", provenance);
    }
    /* The physical size stays that of the 1x image: --scale 2 doubles the
     * pixels per inch, as high-density displays expect. */
    ok = encode(&cv, rows, &meta, vc_render_dpi(layout) * scale, fp, err);
    timings->encode += vc_now() - t1;
done:
    free(alt);
    free(provenance);
    free(rows);
    free(cv.px);
    return ok;
}
