/* render-common.c - what the renderers of clouds and charts share: the
 * output's dpi and scale, cairo colours, and the write callbacks that put
 * libpng's and cairo's bytes into a FILE while keeping the first errno
 * (so a full disk is reported as such, not as a library failure). */
#include "render/render.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

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

void vc_cairo_set_rgb(cairo_t *cr, uint32_t rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0,
                         ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
}

void vc_svg_put_color(vc_buf *b, uint32_t rgb)
{
    vc_buf_printf(b, "#%06x", (unsigned)(rgb & 0xFFFFFF));
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
