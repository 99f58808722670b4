/* render-options.c - the render options: the defaults every field gets
 * from vc_render_options_init, and the check that refuses values out of
 * range before any work, naming the option. */
#include "layout-internal.h"

#include <math.h>
#include <string.h>

void vc_render_options_init(vc_render_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->width = 1200;
    opts->height = 675;
    opts->sizing = VC_SIZING_LINEAR;
    opts->fit = VC_FIT_AUTO;
    opts->max_font_size = 0;
    opts->min_font_size = 8;
    opts->padding = 2;
    opts->spiral = VC_SPIRAL_ARCHIMEDEAN;
    opts->shape = VC_SHAPE_RECTANGLE;
    opts->rotate = VC_ROTATE_NONE;
    opts->prefer_horizontal = 0.9;
    opts->seed = 1;
    opts->palette = "nhs";
    opts->color_by = VC_COLOR_BY_RANK;
    opts->background = "#ffffff";
    opts->scale = 1;
    opts->dpi = 96;
    opts->contrast = true;
    opts->contrast_against = "#ffffff";
    opts->max_pixels = 100000000;
    opts->margin = -1;
    opts->padding_em = 0.05;
}

static bool bad_number(double v, double lo, double hi)
{
    return !isfinite(v) || v < lo || v > hi;
}

bool vc_render_options_check(const vc_render_options *o, vc_error *err)
{
    if (o->width < 1 || o->width > 100000) {
        return vc_fail(err, VC_ERR_USAGE, "--width: expected 1 to 100000 pixels, got %d", o->width);
    }
    if (o->height < 1 || o->height > 100000) {
        return vc_fail(err, VC_ERR_USAGE, "--height: expected 1 to 100000 pixels, got %d", o->height);
    }
    uint64_t pixels = (uint64_t)o->width * (uint64_t)o->height;
    if (pixels > o->max_pixels) {
        return vc_fail(err, VC_ERR_USAGE,
                       "canvas is %.3g megapixels (%dx%d), over the limit of %.3g; "
                       "raise it with --max-megapixels",
                       (double)pixels / 1e6, o->width, o->height, (double)o->max_pixels / 1e6);
    }
    if ((unsigned)o->sizing > VC_SIZING_LOG || (unsigned)o->fit > VC_FIT_NONE ||
        (unsigned)o->spiral > VC_SPIRAL_RECTANGULAR || (unsigned)o->shape > VC_SHAPE_ELLIPSE ||
        (unsigned)o->rotate > VC_ROTATE_LIST || (unsigned)o->color_by > VC_COLOR_BY_WORD) {
        return vc_fail(err, VC_ERR_USAGE, "render options: an enumeration is out of range");
    }
    if (bad_number(o->max_font_size, 0, 1e5)) {
        return vc_fail(err, VC_ERR_USAGE, "--max-font-size: expected 0 (no cap) to 100000 px, got %g", o->max_font_size);
    }
    if (bad_number(o->min_font_size, 0, 1e5)) {
        return vc_fail(err, VC_ERR_USAGE, "--min-font-size: expected 0 to 100000 px, got %g", o->min_font_size);
    }
    if (o->max_font_size > 0 && o->min_font_size > o->max_font_size) {
        return vc_fail(err, VC_ERR_USAGE, "--min-font-size (%g) is larger than --max-font-size (%g)",
                       o->min_font_size, o->max_font_size);
    }
    if (o->fit == VC_FIT_NONE && !(o->max_font_size > 0) && !(o->same_scale > 0)) {
        return vc_fail(err, VC_ERR_USAGE, "--fit none needs --max-font-size PX");
    }
    if (o->padding < 0 || o->padding > 1000) {
        return vc_fail(err, VC_ERR_USAGE, "--padding: expected 0 to 1000 px, got %d", o->padding);
    }
    if (!(o->padding_em >= 0 && o->padding_em <= 1)) {
        return vc_fail(err, VC_ERR_USAGE, "--padding-em: expected 0 to 1, got %g", o->padding_em);
    }
    if (o->margin < -1 || o->margin > 10000) {
        return vc_fail(err, VC_ERR_USAGE, "--margin: expected 0 to 10000 px (or -1: automatic), got %d", o->margin);
    }
    if (bad_number(o->prefer_horizontal, 0, 1)) {
        return vc_fail(err, VC_ERR_USAGE, "--prefer-horizontal: expected 0 to 1, got %g", o->prefer_horizontal);
    }
    if (bad_number(o->scale, 1e-3, 100) || o->scale <= 0) {
        return vc_fail(err, VC_ERR_USAGE, "--scale: expected a number above 0 up to 100, got %g", o->scale);
    }
    if (bad_number(o->dpi, 1e-3, 1e6) || o->dpi <= 0) {
        return vc_fail(err, VC_ERR_USAGE, "--dpi: expected a positive number, got %g", o->dpi);
    }
    if (bad_number(o->same_scale, 0, 1e9)) {
        return vc_fail(err, VC_ERR_USAGE, "same scale: expected a positive number, got %g", o->same_scale);
    }
    if (o->rotate == VC_ROTATE_LIST) {
        if (o->n_angles == 0 || o->n_angles > VC_MAX_ANGLES) {
            return vc_fail(err, VC_ERR_USAGE, "--rotate: give 1 to %d angles", VC_MAX_ANGLES);
        }
        for (size_t i = 0; i < o->n_angles; i++) {
            if (bad_number(o->angles[i], -360, 360)) {
                return vc_fail(err, VC_ERR_USAGE, "--rotate: angle %g is not from -360 to 360", o->angles[i]);
            }
        }
    }
    return true;
}
