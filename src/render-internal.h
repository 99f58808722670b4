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

/* ---- legend.c: the --legend band ---------------------------------------- */

/* One run of legend text, shaped, at its size and baseline origin. */
typedef struct vc_legend_item {
    int kind;           /* sample, "= R votes", key or caption (legend.c) */
    char *text;         /* owned */
    vc_shaped shaped;   /* owned */
    double size;        /* em size in layout px */
    int x, y;           /* baseline origin in layout px */
} vc_legend_item;

typedef struct vc_legend {
    vc_legend_item items[4];
    size_t n;           /* 0: no legend */
    uint32_t color;     /* one colour, 4.5:1 on the background */
    int top;            /* the band runs from here to the canvas's bottom */
    double sample_size; /* em size of the "Aa" sample, 0 without one */
    double sample_votes;/* the votes that sample stands for */
    char *summary;      /* the whole legend as one line, for SVG <title> */
} vc_legend;

/* Shapes and places the legend of a layout made with opts.legend (n = 0
 * otherwise, or when the canvas is too narrow for readable text).  Free
 * with vc_legend_finish, also after a failure. */
bool vc_legend_build(const vc_layout *layout, vc_legend *legend,
                     vc_error *err);
void vc_legend_finish(vc_legend *legend);

#endif /* VC_RENDER_INTERNAL_H */
