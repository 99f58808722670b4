/* render-internal.h - declarations shared by raster.c and the renderers
 * only (the rest of the engine uses internal.h). */
#ifndef VC_RENDER_INTERNAL_H
#define VC_RENDER_INTERNAL_H

#include "internal.h"

/* Draws the glyphs of `shaped` at em size `size` (px) with cr's current
 * matrix placing the word's baseline origin, one cairo_show_glyphs per run
 * of one font, with the unhinted font options vc_rasterise uses.  Returns
 * false when cairo reports an error. */
bool vc_draw_glyphs(cairo_t *cr, const vc_shaped *shaped, double size);

/* The render options' dpi and scale, with 96 and 1 standing in for unset
 * (zero or invalid) values. */
double vc_render_dpi(const vc_layout *layout);
double vc_render_scale(const vc_layout *layout);

#endif /* VC_RENDER_INTERNAL_H */
