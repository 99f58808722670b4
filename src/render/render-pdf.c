/* render-pdf.c - PDF output through cairo, for print: vector glyphs with
 * the fonts embedded (subsets), the page the canvas's size at the chosen
 * dpi, the same positions, colours and rotations as the PNG. */
#include "render/render.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* cairo 1.16 otherwise stamps the current time into the document info, so
 * two runs would differ; a fixed date keeps PDFs byte-identical. */
#define PDF_FIXED_DATE "2000-01-01T00:00:00Z"

typedef struct pdf_sink {
    FILE *fp;
    int errnum; /* of the first failed write */
} pdf_sink;

static cairo_status_t on_pdf_write(void *closure, const unsigned char *data,
                                   unsigned int len)
{
    pdf_sink *sink = closure;
    if (sink->errnum) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (fwrite(data, 1, len, sink->fp) != len) {
        sink->errnum = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0,
                         ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
}

static void set_metadata(cairo_surface_t *surface, const vc_layout *layout)
{
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   layout->title ? layout->title
                                                 : "Word cloud");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "votecloud " VC_VERSION_STRING);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   PDF_FIXED_DATE);
    char *alt = vc_layout_alt_text(layout);
    if (alt) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT,
                                       alt);
        free(alt);
    }
    char *provenance = vc_layout_provenance(layout);
    if (provenance) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS,
                                       provenance);
        free(provenance);
    }
}

static bool draw(cairo_t *cr, const vc_layout *layout)
{
    if (!layout->transparent) {
        set_rgb(cr, layout->background_rgb);
        cairo_rectangle(cr, 0, 0, layout->width, layout->height);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < layout->n_placed; i++) {
        const vc_placed_word *pw = &layout->placed[i];
        cairo_save(cr);
        cairo_translate(cr, pw->x, pw->y);
        cairo_rotate(cr, pw->rotation * M_PI / 180.0);
        set_rgb(cr, pw->color);
        bool ok = vc_draw_glyphs(cr, &pw->shaped, pw->font_size);
        cairo_restore(cr);
        if (!ok) {
            return false;
        }
    }
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS;
}

static bool draw_legend(cairo_t *cr, const vc_legend *lg)
{
    for (size_t i = 0; i < lg->n; i++) {
        const vc_legend_item *it = &lg->items[i];
        set_rgb(cr, it->color);
        cairo_save(cr);
        cairo_translate(cr, it->x, it->y);
        bool ok = vc_draw_glyphs(cr, &it->shaped, it->size);
        cairo_restore(cr);
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool vc_render_pdf(const vc_layout *layout, FILE *fp, vc_error *err)
{
    /* Layout pixels at `dpi` become points: the page is the canvas's
     * physical size.  --scale changes nothing in a vector file. */
    double pt = 72.0 / vc_render_dpi(layout);
    const vc_legend *lg = &layout->legend;
    pdf_sink sink = {.fp = fp};
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
        on_pdf_write, &sink, layout->width * pt, layout->height * pt);
    set_metadata(surface, layout);
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, pt, pt);
    bool drawn = draw(cr, layout) && draw_legend(cr, lg);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (sink.errnum) {
        return vc_fail_errno(err, VC_ERR_IO, "PDF output", "cannot write",
                             sink.errnum);
    }
    if (!drawn || status != CAIRO_STATUS_SUCCESS) {
        return vc_fail(err, status == CAIRO_STATUS_NO_MEMORY ? VC_ERR_NOMEM
                                                             : VC_ERR_SOFTWARE,
                       "PDF output: cairo: %s",
                       cairo_status_to_string(status));
    }
    if (fflush(fp) != 0) {
        return vc_fail_errno(err, VC_ERR_IO, "PDF output", "cannot write",
                             errno);
    }
    return true;
}
