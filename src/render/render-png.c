/* render-png.c - PNG output through libpng.  Composites each placed word's
 * coverage bitmap (the same ink the layout packed) in its colour, then
 * encodes with settings chosen for flat word-cloud backgrounds.  Drawing
 * and compressing run per row band on every core (png-deflate.c); libpng
 * writes the chunks around the image data.  No time chunk: the same
 * layout gives the same bytes. */
#include "render/render.h"
#include "render/png-deflate.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Filter NONE on every row (filter byte 0), because anti-aliased text
 * repeats exactly and filters only hide that from the matcher.  Measured
 * with zlib (CPU time, tests/render/bench-render.c, a dense 1,000-word
 * 1920x1080 RGB canvas): NONE at level 1 took 28 ms for 679 kB; SUB 33 ms
 * / 789 kB, UP 35 ms / 792 kB, Z_RLE 27 ms but 865 kB, level 6 53 ms /
 * 651 kB.  Since then the rows are compressed by our own encoder
 * (deflate.c, called per row band on every core by png-deflate.c, which
 * gives the numbers): bytes for speed, 0-4% more bytes than zlib level 1
 * for a third of its CPU time.  bench-render's png encode (compositing
 * included, CPU, 5 runs interleaved): 21.6-22.6 ms with zlib level 1,
 * 8.8-9.6 ms with deflate.c. */
/* IDAT chunks of this size; readers accept any split. */
#define IDAT_BYTES ((size_t)1 << 18)

/* The image as PNG stores it before compression: each row is its filter
 * byte (0, NONE) then w * channels bytes.  It is never held whole: each
 * band of rows is drawn into its compressing thread's buffer (band). */
typedef struct canvas {
    int w, h, channels;
    size_t stride;   /* pixel bytes per row */
    size_t pitch;    /* stride + the filter byte */
    uint8_t bg[4];   /* background pixel */
} canvas;

/* Rows [y0, y1) of the canvas, row y0's filter byte at `rows`. */
typedef struct band {
    const canvas *cv;
    uint8_t *rows;
    int y0, y1;
} band;

/* Row y's first pixel. */
static inline uint8_t *band_row(const band *b, long y)
{
    return b->rows + (size_t)(y - b->y0) * b->cv->pitch + 1;
}

/* v / 255 rounded to nearest, exact for v <= 255 * 255. */
static inline unsigned div255(unsigned v)
{
    v += 128;
    return (v + (v >> 8)) >> 8;
}

/* The canvas's size and background; its rows are made band by band
 * (fill_rows). */
static bool canvas_init(canvas *cv, const vc_layout *layout, double scale,
                        vc_error *err)
{
    double w = round(layout->width * scale), h = round(layout->height * scale);
    if (!(w >= 1 && h >= 1 && w <= INT32_MAX / 4 && h <= INT32_MAX / 4) ||
        (layout->opts.max_pixels > 0 &&
         w * h > (double)layout->opts.max_pixels)) {
        return vc_fail_option(
            err, VC_ERR_USAGE, VC_OPTION_MAX_PIXELS,
            "PNG: %.0f x %.0f px at output scale %g is %.3g megapixels, over the "
            "limit of %.3g",
            w, h, scale, w * h / 1e6, (double)layout->opts.max_pixels / 1e6);
    }
    cv->w = (int)w;
    cv->h = (int)h;
    cv->channels = layout->transparent ? 4 : 3;
    cv->stride = (size_t)cv->w * (size_t)cv->channels;
    cv->pitch = cv->stride + 1;
    memset(cv->bg, 0, sizeof cv->bg);
    if (!layout->transparent) {
        cv->bg[0] = (uint8_t)(layout->background_rgb >> 16);
        cv->bg[1] = (uint8_t)(layout->background_rgb >> 8);
        cv->bg[2] = (uint8_t)layout->background_rgb;
    }
    return true;
}

/* The band's filter bytes and background. */
static void background_rows(const band *b)
{
    const canvas *cv = b->cv;
    if (b->y0 >= b->y1) {
        return;
    }
    uint8_t *first = band_row(b, b->y0);
    first[-1] = 0;
    for (int i = 0; i < cv->w; i++) {
        memcpy(first + (size_t)i * (size_t)cv->channels, cv->bg, (size_t)cv->channels);
    }
    for (int j = b->y0 + 1; j < b->y1; j++) {
        memcpy(band_row(b, j) - 1, first - 1, cv->pitch);
    }
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
 * clipped to the canvas and to the band's rows. */
static void composite(const band *b, const vc_ink *ink, int ox, int oy, uint32_t color)
{
    const canvas *cv = b->cv;
    int r0 = b->y0, r1 = b->y1;
    const uint8_t c[3] = {(uint8_t)(color >> 16), (uint8_t)(color >> 8),
                          (uint8_t)color};
    long bx = (long)ox + ink->x0, by = (long)oy + ink->y0;
    long i0 = bx < 0 ? -bx : 0, j0 = by < r0 ? r0 - by : 0;
    long i1 = bx + ink->w > cv->w ? cv->w - bx : ink->w;
    long j1 = by + ink->h > r1 ? r1 - by : ink->h;
    for (long j = j0; j < j1; j++) {
        const uint8_t *src = ink->alpha + (size_t)j * (size_t)ink->stride;
        uint8_t *row = band_row(b, by + j);
        for (long i = i0; i < i1; i++) {
            unsigned a = src[i];
            if (a == 0) {
                continue;
            }
            uint8_t *d = row + (size_t)(bx + i) * (size_t)cv->channels;
            if (cv->channels == 4) {
                over_rgba(d, c, a);
                continue;
            }
            if (a == 255) {
                /* The inside of a glyph: what the blend gives, exactly. */
                d[0] = c[0], d[1] = c[1], d[2] = c[2];
                continue;
            }
            for (int k = 0; k < 3; k++) {
                d[k] = (uint8_t)div255(c[k] * a + d[k] * (255 - a));
            }
        }
    }
}

/* One bitmap to composite, at its origin in output pixels. */
typedef struct draw_item {
    const vc_ink *ink;
    int x, y;
    uint32_t color;
} draw_item;

/* Everything the PNG shows, in drawing order: the words, then the legend.
 * Bitmaps rasterised for the output (at --scale other than 1, and the
 * legend) are owned here; at scale 1 the layout's own ink is drawn. */
typedef struct drawing {
    canvas *cv;
    draw_item *items;
    size_t n;
    vc_ink *owned;
    size_t n_owned;
} drawing;

static void drawing_finish(drawing *d)
{
    for (size_t i = 0; i < d->n_owned; i++) {
        vc_ink_finish(&d->owned[i]);
    }
    free(d->owned);
    free(d->items);
    memset(d, 0, sizeof *d);
}

static bool add_owned(drawing *d, const vc_shaped *shaped, double size,
                      double rotation, int x, int y, uint32_t color,
                      vc_error *err)
{
    vc_ink *ink = &d->owned[d->n_owned];
    if (!vc_rasterise(shaped, size, rotation, ink, err)) {
        return false;
    }
    d->n_owned++;
    d->items[d->n++] = (draw_item){ink, x, y, color};
    return true;
}

/* Rasterising is done here, on this thread (FreeType faces are not to be
 * shared between threads); the bands only composite. */
static bool drawing_build(drawing *d, canvas *cv, const vc_layout *layout,
                          double scale, vc_error *err)
{
    memset(d, 0, sizeof *d);
    d->cv = cv;
    const vc_drawing *dr = &layout->drawing;
    d->items = vc_malloc2(dr->n ? dr->n : 1, sizeof *d->items);
    d->owned = vc_calloc2(dr->n ? dr->n : 1, sizeof *d->owned);
    bool ok = d->items && d->owned;
    if (!ok) {
        vc_fail_nomem(err, "PNG drawing list");
    }
    for (size_t i = 0; ok && i < dr->n; i++) {
        const vc_run *run = &dr->runs[i];
        if (scale == 1.0 && run->ink) {
            d->items[d->n++] = (draw_item){run->ink, run->x, run->y, run->color};
            continue;
        }
        /* Re-rasterised at the output size: scaling the 1x bitmap would
         * blur it. */
        ok = add_owned(d, run->shaped, run->size * scale, run->rotation,
                       (int)lround(run->x * scale), (int)lround(run->y * scale),
                       run->color, err);
    }
    return ok;
}

/* vc_band_fill_fn: background, then every bitmap crossing the rows, in
 * order, so each pixel sees the same operations as a sequential draw. */
static void fill_rows(void *user, uint8_t *rows, int y0, int y1)
{
    drawing *d = user;
    const band b = {d->cv, rows, y0, y1};
    background_rows(&b);
    for (size_t i = 0; i < d->n; i++) {
        const draw_item *it = &d->items[i];
        long top = (long)it->y + it->ink->y0;
        if (!it->ink->alpha || top >= y1 || top + it->ink->h <= y0) {
            continue;
        }
        composite(&b, it->ink, it->x, it->y, it->color);
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
    t->key = vc_unconst(key);
    t->text = vc_unconst(value);
    t->text_length = strlen(value);
}

/* The zlib stream as IDAT chunks of IDAT_BYTES, each written straight
 * from the pieces it spans. */
static void write_idat(png_structp png, const vc_png_zstream *z)
{
    int k = 0;
    size_t off = 0; /* into piece k */
    for (size_t at = 0; at < z->len; at += IDAT_BYTES) {
        size_t n = z->len - at < IDAT_BYTES ? z->len - at : IDAT_BYTES;
        png_write_chunk_start(png, (png_const_bytep) "IDAT", (png_uint_32)n);
        while (n > 0) {
            const uint8_t *p;
            size_t len = vc_png_zstream_piece(z, k, &p);
            size_t take = len - off < n ? len - off : n;
            png_write_chunk_data(png, p + off, take);
            off += take;
            n -= take;
            if (off == len) {
                k++;
                off = 0;
            }
        }
        png_write_chunk_end(png);
    }
}

/* Everything libpng does, inside one setjmp so its errors return here:
 * the signature and header chunks, the zlib stream `z` as IDAT chunks,
 * IEND.  Only values set before setjmp are used after a longjmp. */
static bool encode(const canvas *cv, const vc_png_zstream *z, const png_meta *meta,
                   double dpi, FILE *fp, vc_error *err)
{
    vc_png_stream sink = {.fp = fp};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink,
                                              vc_png_stream_error, vc_png_stream_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return vc_fail_nomem(err, "PNG encoder");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return vc_png_stream_fail(&sink, "PNG output", err);
    }
    vc_png_stream_attach(png, &sink);
    png_set_IHDR(png, info, (png_uint_32)cv->w, (png_uint_32)cv->h, 8,
                 cv->channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA
                                   : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
                 PNG_FILTER_TYPE_BASE);
    png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_text(png, info, meta->text, meta->n);
    png_write_info(png, info);
    /* The image data was compressed by png-deflate.c, so libpng's own row
     * writer (and png_write_end, which insists on it) is bypassed. */
    write_idat(png, z);
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
    png_destroy_write_struct(&png, &info);
    if (fflush(fp) != 0) {
        return vc_fail_errno(err, VC_ERR_IO, "PNG output", "cannot write",
                             errno);
    }
    return true;
}

bool vc_render_png(const vc_layout *layout, FILE *fp, vc_error *err)
{
    double scale = vc_render_scale(layout);
    double t0 = vc_now();
    canvas cv = {0};
    drawing d = {0};
    vc_png_zstream z = {0};
    char *alt = NULL, *provenance = NULL;
    /* `draw` is the rasterising on this thread; compositing runs in the
     * bands, with the compression, and counts as `encode`. */
    bool ok = canvas_init(&cv, layout, scale, err) &&
              drawing_build(&d, &cv, layout, scale, err);
    double t1 = vc_now();
    vc_render_clock_add(layout, t1 - t0, 0);
    if (!ok) {
        goto done;
    }
    /* For a layout, NULL here means no memory: an image without its alt
     * text would be a different image, so it is an error. */
    if (!(alt = vc_layout_alt_text(layout)) ||
        !(provenance = vc_layout_provenance(layout))) {
        ok = vc_fail_nomem(err, "PNG text chunks");
        goto done;
    }
    png_meta meta = {.n = 0};
    meta_add(&meta, PNG_ITXT_COMPRESSION_NONE, "Title",
             layout->title ? layout->title : "Word cloud");
    meta_add(&meta, PNG_ITXT_COMPRESSION_NONE, "Description", alt);
    meta_add(&meta, PNG_TEXT_COMPRESSION_NONE, "Software",
             "votecloud " VC_VERSION_STRING);
    meta_add(&meta, PNG_ITXT_COMPRESSION_NONE, "Comment", provenance);
    /* The physical size stays that of the 1x image: --scale 2 doubles the
     * pixels per inch, as high-density displays expect. */
    ok = vc_png_deflate_stream(NULL, cv.pitch, cv.h, cv.channels, layout->opts.threads,
                               fill_rows, &d, &z, err) &&
         encode(&cv, &z, &meta, vc_render_dpi(layout) * scale, fp, err);
    vc_render_clock_add(layout, 0, vc_now() - t1);
done:
    vc_png_zstream_finish(&z);
    drawing_finish(&d);
    free(alt);
    free(provenance);
    return ok;
}
