/* render/render.h - the renderers of a finished layout (PNG, SVG, PDF, the
 * JSON report, the bar chart) and what they share with raster.c. */
#ifndef VC_RENDER_H
#define VC_RENDER_H

#include "layout/layout.h"
#include "publish/describe.h"

#include <cairo-pdf.h>
#include <png.h>


/* ---- render-common.c ------------------------------------------------------- */


/* cairo 1.16 otherwise stamps the current time into a PDF's document info,
 * so two runs would differ; a fixed date keeps PDFs byte-identical. */
#define VC_PDF_FIXED_DATE "2000-01-01T00:00:00Z"

/* Appends 0xRRGGBB as "#rrggbb" (SVG, the layout report). */
void vc_put_rgb_hex(vc_buf *b, uint32_t rgb);

/* Sets cr's source to an opaque 0xRRGGBB. */
void vc_cairo_set_rgb(cairo_t *cr, uint32_t rgb);

/* libpng writing into a FILE: pass the stream to png_create_write_struct
 * with vc_png_stream_error/warning, then vc_png_stream_attach; after a
 * longjmp, vc_png_stream_fail reports the errno of a failed write, else
 * libpng's message, prefixed with `what`. */
typedef struct vc_png_stream {
    FILE *fp;
    int errnum;   /* of a failed write; 0 for other libpng errors */
    char message[200];
} vc_png_stream;
void vc_png_stream_error(png_structp png, png_const_charp msg);
void vc_png_stream_warning(png_structp png, png_const_charp msg);
void vc_png_stream_attach(png_structp png, vc_png_stream *s);
bool vc_png_stream_fail(const vc_png_stream *s, const char *what, vc_error *err);

/* cairo's write function (cairo_pdf_surface_create_for_stream) into a
 * FILE, keeping the errno of the first failed write. */
typedef struct vc_cairo_stream {
    FILE *fp;
    int errnum;
} vc_cairo_stream;
cairo_status_t vc_cairo_stream_write(void *closure, const unsigned char *data,
                                     unsigned int len);

/* One PDF page of width x height layout px printed at `dpi`, into fp
 * (cairo must be loaded: vc_cairo_require):
 * vc_pdf_begin sets the title, creator and fixed date and gives p->cr,
 * scaled so one unit is one layout px; vc_pdf_end finishes the document
 * and reports a failed write (errno), a cairo error, or `drawn` false as
 * "WHAT: ...". */
typedef struct vc_pdf {
    vc_cairo_stream sink;
    cairo_surface_t *surface;
    cairo_t *cr;
} vc_pdf;
void vc_pdf_begin(vc_pdf *p, FILE *fp, double width, double height, double dpi,
                  const char *title);
/* Sets a metadata field when value is not NULL. */
void vc_pdf_set_metadata(vc_pdf *p, cairo_pdf_metadata_t key, const char *value);
bool vc_pdf_end(vc_pdf *p, bool drawn, const char *what, vc_error *err);

/* Glyph outlines as SVG for documents other than the cloud (the bar
 * chart): each distinct glyph defined once, then placed with <use>, as
 * render-svg.c does for the cloud.  `expect` is the number of glyphs. */
typedef struct vc_svg_glyphs vc_svg_glyphs;
vc_svg_glyphs *vc_svg_glyphs_new(size_t expect);
void vc_svg_glyphs_free(vc_svg_glyphs *g);
/* Appends a <path> to <defs> for each glyph of `shaped` not yet defined. */
void vc_svg_glyphs_define(vc_buf *b, vc_svg_glyphs *g, const vc_shaped *shaped);
/* Appends a <g> placing the run's baseline origin at (x, y) at em `size`. */
void vc_svg_glyphs_put(vc_buf *b, vc_svg_glyphs *g, const vc_shaped *shaped, double size,
                       double x, double y);

/* ---- renderers ---------------------------------------------------------- */

/* Render into an open stream (the caller handles atomicity). */
bool vc_render_png(const vc_layout *layout, FILE *fp, vc_error *err);
bool vc_render_svg(const vc_layout *layout, FILE *fp, vc_error *err);
bool vc_render_pdf(const vc_layout *layout, FILE *fp, vc_error *err);
bool vc_render_json(const vc_layout *layout, FILE *fp, vc_error *err);


#endif /* VC_RENDER_H */
