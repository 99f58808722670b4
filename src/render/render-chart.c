/* render-chart.c - the bar chart (chart.c) drawn unchanged in three
 * formats: PNG and PDF through cairo (the glyphs with vc_draw_glyphs, as
 * the cloud's PDF), SVG written directly with glyph outlines as paths
 * (render-svg.c's glyph table), role="img" with a title and description,
 * each bar a <g> titled with its word and votes. */
#include "publish/chart-internal.h"
#include "render/render.h"
#include "layout/cairo-lib.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* As render-pdf.c: cairo would stamp the time; a fixed date keeps bytes. */
#define VC_PDF_FIXED_DATE "2000-01-01T00:00:00Z"

static void fill_rect(cairo_t *cr, const vc_chart_rect *r)
{
    vc_cairo_set_rgb(cr, r->color);
    cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    cairo_fill(cr);
}

static bool draw_text(cairo_t *cr, const vc_chart_text *t)
{
    vc_cairo_set_rgb(cr, t->color);
    cairo_save(cr);
    cairo_translate(cr, t->x, t->y);
    bool ok = vc_draw_glyphs(cr, &t->shaped, t->size);
    cairo_restore(cr);
    return ok;
}

/* Background, grid and axis, bars, then every text. */
static bool draw(cairo_t *cr, const vc_chart *C)
{
    if (!C->transparent) {
        vc_cairo_set_rgb(cr, C->background);
        cairo_rectangle(cr, 0, 0, C->width, C->height);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < C->n_lines; i++) {
        fill_rect(cr, &C->lines[i]);
    }
    for (size_t i = 0; i < C->n_bars; i++) {
        fill_rect(cr, &C->bars[i].rect);
    }
    for (size_t i = 0; i < C->n_key; i++) {
        fill_rect(cr, &C->key_swatch[i]);
    }
    for (size_t i = 0; i < C->n_texts; i++) {
        if (!draw_text(cr, &C->texts[i])) {
            return false;
        }
    }
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS;
}

static bool cairo_failed(cairo_status_t status, const char *what, vc_error *err)
{
    return vc_fail(err, status == CAIRO_STATUS_NO_MEMORY ? VC_ERR_NOMEM : VC_ERR_SOFTWARE,
                   "%s: cairo: %s", what, cairo_status_to_string(status));
}

/* ---- PNG --------------------------------------------------------------------- */

/* cairo's premultiplied native-endian ARGB rows as RGB or RGBA bytes. */
static uint8_t *to_rgba(cairo_surface_t *s, int w, int h, int channels)
{
    const uint8_t *src = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint8_t *out = vc_malloc3((size_t)w, (size_t)h, (size_t)channels);
    if (!out) {
        return NULL;
    }
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(src + (size_t)y * stride);
        uint8_t *d = out + (size_t)y * w * channels;
        for (int x = 0; x < w; x++, d += channels) {
            uint32_t p = row[x];
            unsigned a = p >> 24, c[3] = {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
            for (int k = 0; k < 3; k++) {
                d[k] = (uint8_t)(a ? (c[k] * 255 + a / 2) / a : 0);
            }
            if (channels == 4) {
                d[3] = (uint8_t)a;
            }
        }
    }
    return out;
}

static bool encode_png(const vc_chart *C, const uint8_t *pixels, int w, int h, int channels,
                       const char *alt, FILE *fp, vc_error *err)
{
    vc_png_stream sink = {.fp = fp};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, vc_png_stream_error,
                                              vc_png_stream_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return vc_fail_nomem(err, "chart PNG encoder");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return vc_png_stream_fail(&sink, "chart PNG output", err);
    }
    vc_png_stream_attach(png, &sink);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_uint_32 ppm = (png_uint_32)lround(C->dpi / 0.0254);
    png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_text text[3];
    memset(text, 0, sizeof text);
    const char *keys[3] = {"Title", "Description", "Software"};
    const char *values[3] = {C->title, alt, "votecloud " VC_VERSION_STRING};
    for (int i = 0; i < 3; i++) {
        text[i].compression = PNG_ITXT_COMPRESSION_NONE;
        text[i].key = vc_unconst(keys[i]);
        text[i].text = vc_unconst(values[i]);
        text[i].text_length = strlen(values[i]);
    }
    png_set_text(png, info, text, 3);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        png_write_row(png, pixels + (size_t)y * w * channels);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fflush(fp) != 0) {
        return vc_fail_errno(err, VC_ERR_IO, "chart PNG output", "cannot write", errno);
    }
    return true;
}

bool vc_chart_render_png(const vc_chart *C, FILE *fp, vc_error *err)
{
    int w = (int)ceil(C->width * C->scale), h = (int)ceil(C->height * C->scale);
    if ((uint64_t)w * (uint64_t)h > VC_MAX_PIXELS_DEFAULT) {
        return vc_fail(err, VC_ERR_USAGE, "chart PNG of %d x %d px is over %llu pixels", w, h,
                       (unsigned long long)VC_MAX_PIXELS_DEFAULT);
    }
    if (!vc_cairo_require(err)) {
        return false;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, C->scale, C->scale);
    bool drawn = draw(cr, C);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (!drawn || status != CAIRO_STATUS_SUCCESS ||
        cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        if (status == CAIRO_STATUS_SUCCESS) {
            status = cairo_surface_status(s);
        }
        cairo_surface_destroy(s);
        return cairo_failed(status, "chart PNG output", err);
    }
    int channels = C->transparent ? 4 : 3;
    uint8_t *pixels = to_rgba(s, w, h, channels);
    cairo_surface_destroy(s);
    char *alt = vc_chart_alt_text(C);
    bool ok = pixels && alt ? encode_png(C, pixels, w, h, channels, alt, fp, err)
                            : vc_fail_nomem(err, "chart PNG");
    free(pixels);
    free(alt);
    return ok;
}

/* ---- PDF --------------------------------------------------------------------- */

bool vc_chart_render_pdf(const vc_chart *C, FILE *fp, vc_error *err)
{
    if (!vc_cairo_require(err)) {
        return false;
    }
    vc_pdf pdf;
    vc_pdf_begin(&pdf, fp, C->width, C->height, C->dpi, C->title);
    char *alt = vc_chart_alt_text(C);
    vc_pdf_set_metadata(&pdf, CAIRO_PDF_METADATA_SUBJECT, alt);
    bool drawn = alt && draw(pdf.cr, C);
    free(alt);
    return vc_pdf_end(&pdf, drawn, "chart PDF output", err);
}

/* ---- SVG --------------------------------------------------------------------- */

static void put_rect(vc_buf *b, const vc_chart_rect *r, bool with_color)
{
    vc_buf_puts(b, "<rect x=\"");
    vc_buf_number(b, r->x, 2);
    vc_buf_puts(b, "\" y=\"");
    vc_buf_number(b, r->y, 2);
    vc_buf_puts(b, "\" width=\"");
    vc_buf_number(b, r->w, 2);
    vc_buf_puts(b, "\" height=\"");
    vc_buf_number(b, r->h, 2);
    vc_buf_puts(b, "\"");
    if (with_color) {
        vc_buf_puts(b, " fill=\"");
        vc_put_rgb_hex(b, r->color);
        vc_buf_puts(b, "\"");
    }
    vc_buf_puts(b, "/>");
}

static void put_text(vc_buf *b, vc_svg_glyphs *g, const vc_chart_text *t)
{
    vc_svg_glyphs_put(b, g, &t->shaped, t->size, t->x, t->y);
}

static void put_header(vc_buf *b, const vc_chart *C, const char *alt)
{
    vc_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                   "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"");
    vc_buf_number(b, C->width * C->scale, 2);
    vc_buf_puts(b, "\" height=\"");
    vc_buf_number(b, C->height * C->scale, 2);
    vc_buf_printf(b, "\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"vc-chart-title\" "
                     "aria-describedby=\"vc-chart-desc\">\n<title id=\"vc-chart-title\">",
                  C->width, C->height);
    vc_buf_xml_escape(b, C->title);
    vc_buf_puts(b, "</title>\n<desc id=\"vc-chart-desc\">");
    vc_buf_xml_escape(b, alt);
    vc_buf_puts(b, "</desc>\n<metadata id=\"vc-provenance\">votecloud " VC_VERSION_STRING
                   "</metadata>\n");
}

/* One bar: its word and votes as the group's title, the bar, the label
 * and the value. */
static void put_bar(vc_buf *b, vc_svg_glyphs *g, const vc_chart *C, const vc_chart_bar_rec *bar)
{
    vc_buf_puts(b, "<g class=\"bar\"><title>");
    vc_buf_xml_escape(b, bar->text);
    vc_buf_puts(b, ": ");
    vc_buf_number(b, bar->count, 2);
    vc_buf_puts(b, bar->count == 1 ? " vote</title>" : " votes</title>");
    put_rect(b, &bar->rect, true);
    vc_buf_puts(b, "<g fill=\"");
    vc_put_rgb_hex(b, C->text_color);
    vc_buf_puts(b, "\">");
    put_text(b, g, &C->texts[bar->label]);
    put_text(b, g, &C->texts[bar->value]);
    vc_buf_puts(b, "</g></g>\n");
}

static bool build_svg(vc_buf *b, const vc_chart *C, vc_error *err)
{
    size_t glyphs = 0;
    for (size_t i = 0; i < C->n_texts; i++) {
        glyphs += C->texts[i].shaped.n;
    }
    char *alt = vc_chart_alt_text(C);
    vc_svg_glyphs *g = alt ? vc_svg_glyphs_new(glyphs) : NULL;
    if (!g) {
        free(alt);
        return vc_fail_nomem(err, "chart SVG");
    }
    put_header(b, C, alt);
    free(alt);
    vc_buf_puts(b, "<defs>\n");
    for (size_t i = 0; i < C->n_texts; i++) {
        vc_svg_glyphs_define(b, g, &C->texts[i].shaped);
    }
    vc_buf_puts(b, "</defs>\n");
    if (!C->transparent) {
        vc_buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"", C->width, C->height);
        vc_put_rgb_hex(b, C->background);
        vc_buf_puts(b, "\"/>\n");
    }
    vc_buf_puts(b, "<g class=\"heading\" fill=\"");
    vc_put_rgb_hex(b, C->text_color);
    vc_buf_puts(b, "\">");
    put_text(b, g, &C->texts[C->title_text]);
    vc_buf_puts(b, "</g>\n<g class=\"axis\"><title>Axis: votes from 0 to ");
    vc_buf_number(b, C->axis_max, 2);
    vc_buf_puts(b, "</title>\n");
    for (size_t i = 0; i < C->n_lines; i++) {
        put_rect(b, &C->lines[i], true);
    }
    vc_buf_puts(b, "<g fill=\"");
    vc_put_rgb_hex(b, C->text_color);
    vc_buf_puts(b, "\">");
    for (size_t i = C->axis_first; i < C->axis_end; i++) {
        put_text(b, g, &C->texts[i]);
    }
    vc_buf_puts(b, "</g></g>\n");
    for (size_t i = 0; i < C->n_bars; i++) {
        put_bar(b, g, C, &C->bars[i]);
    }
    if (C->more_text != SIZE_MAX) {
        const vc_chart_text *t = &C->texts[C->more_text];
        vc_buf_puts(b, "<g class=\"more\" fill=\"");
        vc_put_rgb_hex(b, t->color);
        vc_buf_puts(b, "\"><title>");
        vc_buf_xml_escape(b, t->text);
        vc_buf_puts(b, "</title>");
        put_text(b, g, t);
        vc_buf_puts(b, "</g>\n");
    }
    if (C->key_end > C->key_first) {
        vc_buf_puts(b, "<g class=\"key\"><title>Colour: ");
        for (size_t i = C->key_first + 1; i < C->key_end; i++) {
            vc_buf_puts(b, i > C->key_first + 1 ? ", " : "");
            vc_buf_xml_escape(b, C->texts[i].text);
        }
        vc_buf_puts(b, "</title>");
        for (size_t i = 0; i < C->n_key; i++) {
            put_rect(b, &C->key_swatch[i], true);
        }
        vc_buf_puts(b, "<g fill=\"");
        vc_put_rgb_hex(b, C->text_color);
        vc_buf_puts(b, "\">");
        for (size_t i = C->key_first; i < C->key_end; i++) {
            put_text(b, g, &C->texts[i]);
        }
        vc_buf_puts(b, "</g></g>\n");
    }
    vc_buf_puts(b, "</svg>\n");
    vc_svg_glyphs_free(g);
    return !b->failed || vc_fail_nomem(err, "chart SVG document");
}

bool vc_chart_render_svg(const vc_chart *C, FILE *fp, vc_error *err)
{
    vc_buf b;
    vc_buf_init(&b);
    bool ok = build_svg(&b, C, err);
    if (ok && (fwrite(b.data, 1, b.len, fp) != b.len || fflush(fp) != 0)) {
        ok = vc_fail_errno(err, VC_ERR_IO, "chart SVG output", "cannot write", errno);
    }
    vc_buf_finish(&b);
    return ok;
}
