/* render-pdf.c - PDF output through cairo, for print: vector glyphs with
 * the fonts embedded (subsets), the page the canvas's size at the chosen
 * dpi, the same positions, colours and rotations as the PNG. */
#include "render/render.h"
#include "layout/cairo-lib.h"

#include <math.h>
#include <stdlib.h>

/* The alt text and provenance as the document's subject and keywords;
 * false when either could not be made (no memory). */
static bool set_metadata(vc_pdf *pdf, const vc_layout *layout)
{
    char *alt = vc_layout_alt_text(layout);
    char *provenance = vc_layout_provenance(layout);
    vc_pdf_set_metadata(pdf, CAIRO_PDF_METADATA_SUBJECT, alt);
    vc_pdf_set_metadata(pdf, CAIRO_PDF_METADATA_KEYWORDS, provenance);
    bool ok = alt && provenance;
    free(alt);
    free(provenance);
    return ok;
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
    if (!vc_cairo_require(err)) {
        return false;
    }
    /* --scale changes nothing in a vector file. */
    vc_pdf pdf;
    vc_pdf_begin(&pdf, fp, layout->width, layout->height, vc_render_dpi(layout),
                 layout->title ? layout->title : "Word cloud");
    bool drawn = set_metadata(&pdf, layout) && draw(pdf.cr, layout);
    return vc_pdf_end(&pdf, drawn, "PDF output", err);
}
