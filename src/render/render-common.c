/* render-common.c - what the renderers of clouds and charts share: cairo
 * and SVG colours, one PDF page, and the write callbacks that put
 * libpng's and cairo's bytes into a FILE while keeping the first errno
 * (so a full disk is reported as such, not as a library failure). */
#include "render/render.h"
#include "layout/cairo-lib.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

void vc_cairo_set_rgb(cairo_t *cr, uint32_t rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0,
                         ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
}

/* Written by hand, not through printf: the layout report writes one a
 * word, and printf made numbers a tenth of a 5,000-word run. */
void vc_put_rgb_hex(vc_buf *b, uint32_t rgb)
{
    static const char hex[] = "0123456789abcdef";
    char s[7] = {'#'};
    for (int k = 0; k < 6; k++) {
        s[1 + k] = hex[(rgb >> (20 - 4 * k)) & 0xf];
    }
    vc_buf_append(b, s, sizeof s);
}

/* ---- libpng ------------------------------------------------------------------ */

void vc_png_stream_error(png_structp png, png_const_charp msg)
{
    vc_png_stream *s = png_get_error_ptr(png);
    snprintf(s->message, sizeof s->message, "%s", msg);
    png_longjmp(png, 1);
}

void vc_png_stream_warning(png_structp png, png_const_charp msg)
{
    VC_UNUSED(png);
    VC_UNUSED(msg);
}

static void png_stream_write(png_structp png, png_bytep data, size_t len)
{
    vc_png_stream *s = png_get_io_ptr(png);
    if (fwrite(data, 1, len, s->fp) != len) {
        s->errnum = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static void png_stream_flush(png_structp png)
{
    vc_png_stream *s = png_get_io_ptr(png);
    if (fflush(s->fp) != 0) {
        s->errnum = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

void vc_png_stream_attach(png_structp png, vc_png_stream *s)
{
    png_set_write_fn(png, s, png_stream_write, png_stream_flush);
}

bool vc_png_stream_fail(const vc_png_stream *s, const char *what, vc_error *err)
{
    if (s->errnum) {
        return vc_fail_errno(err, VC_ERR_IO, what, "cannot write", s->errnum);
    }
    return vc_fail(err, VC_ERR_SOFTWARE, "%s: libpng: %s", what, s->message);
}

/* ---- cairo (PDF) ------------------------------------------------------------- */

cairo_status_t vc_cairo_stream_write(void *closure, const unsigned char *data,
                                     unsigned int len)
{
    vc_cairo_stream *s = closure;
    if (s->errnum) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (fwrite(data, 1, len, s->fp) != len) {
        s->errnum = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

void vc_pdf_begin(vc_pdf *p, FILE *fp, double width, double height, double dpi,
                  const char *title)
{
    /* Layout pixels at `dpi` become points: the page is the canvas's
     * physical size. */
    double pt = 72.0 / dpi;
    p->sink = (vc_cairo_stream){.fp = fp};
    p->surface = cairo_pdf_surface_create_for_stream(vc_cairo_stream_write, &p->sink,
                                                     width * pt, height * pt);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
                                   "votecloud " VC_VERSION_STRING);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   VC_PDF_FIXED_DATE);
    p->cr = cairo_create(p->surface);
    cairo_scale(p->cr, pt, pt);
}

void vc_pdf_set_metadata(vc_pdf *p, cairo_pdf_metadata_t key, const char *value)
{
    if (value) {
        cairo_pdf_surface_set_metadata(p->surface, key, value);
    }
}

bool vc_pdf_end(vc_pdf *p, bool drawn, const char *what, vc_error *err)
{
    cairo_status_t status = cairo_status(p->cr);
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(p->surface);
    }
    cairo_surface_destroy(p->surface);
    p->cr = NULL;
    p->surface = NULL;
    if (p->sink.errnum) {
        return vc_fail_errno(err, VC_ERR_IO, what, "cannot write", p->sink.errnum);
    }
    if (!drawn || status != CAIRO_STATUS_SUCCESS) {
        /* Drawing stopped without a cairo error: a description could not
         * be made for want of memory. */
        if (status == CAIRO_STATUS_SUCCESS) {
            status = CAIRO_STATUS_NO_MEMORY;
        }
        return vc_fail(err, status == CAIRO_STATUS_NO_MEMORY ? VC_ERR_NOMEM : VC_ERR_SOFTWARE,
                       "%s: cairo: %s", what, cairo_status_to_string(status));
    }
    if (fflush(p->sink.fp) != 0) {
        return vc_fail_errno(err, VC_ERR_IO, what, "cannot write", errno);
    }
    return true;
}
