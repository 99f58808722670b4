/* render/render.h - the renderers of a finished layout (PNG, SVG, PDF, the
 * JSON report, the bar chart) and what they share with raster.c. */
#ifndef VC_RENDER_H
#define VC_RENDER_H

#include "layout/layout.h"
#include "publish/describe.h"

/* Draws the glyphs of `shaped` at em size `size` (px) with cr's current
 * matrix placing the word's baseline origin, one cairo_show_glyphs per run
 * of one font, with the unhinted font options vc_rasterise uses.  Returns
 * false when cairo reports an error. */
bool vc_draw_glyphs(cairo_t *cr, const vc_shaped *shaped, double size);

/* The render options' dpi and scale, with 96 and 1 standing in for unset
 * (zero or invalid) values. */
double vc_render_dpi(const vc_layout *layout);
double vc_render_scale(const vc_layout *layout);

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
