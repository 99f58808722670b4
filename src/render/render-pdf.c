/* render-pdf.c - PDF output through cairo, for print: vector glyphs with
 * the fonts embedded (subsets), the page the canvas's size at the chosen
 * dpi, the same positions, colours and rotations as the PNG. */
#include "render/render.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void set_metadata(cairo_surface_t *surface, const vc_layout *layout)
{
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   layout->title ? layout->title
                                                 : "Word cloud");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "votecloud " VC_VERSION_STRING);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   VC_PDF_FIXED_DATE);
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
        vc_cairo_set_rgb(cr, layout->background_rgb);
        cairo_rectangle(cr, 0, 0, layout->width, layout->height);
        cairo_fill(cr);
    }
    const vc_drawing *dr = &layout->drawing;
    for (size_t i = 0; i < dr->n; i++) {
        const vc_run *run = &dr->runs[i];
        cairo_save(cr);
        cairo_translate(cr, run->x, run->y);
        if (run->rotation != 0) {
            cairo_rotate(cr, run->rotation * M_PI / 180.0);
        }
        vc_cairo_set_rgb(cr, run->color);
        bool ok = vc_draw_glyphs(cr, run->shaped, run->size);
        cairo_restore(cr);
        if (!ok) {
            return false;
        }
    }
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS;
}

bool vc_render_pdf(const vc_layout *layout, FILE *fp, vc_error *err)
{
    /* Layout pixels at `dpi` become points: the page is the canvas's
     * physical size.  --scale changes nothing in a vector file. */
    double pt = 72.0 / vc_render_dpi(layout);
    vc_cairo_stream sink = {.fp = fp};
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
        vc_cairo_stream_write, &sink, layout->width * pt, layout->height * pt);
    set_metadata(surface, layout);
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, pt, pt);
    bool drawn = draw(cr, layout);
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
