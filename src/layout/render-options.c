/* render-options.c - the render options: the defaults every field gets
 * from vc_render_options_init, and the check that refuses values out of
 * range before any work, naming the option. */
#include "layout/engine.h"

#include <math.h>
#include <string.h>

void vc_render_options_init(vc_render_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->width = VC_WIDTH_DEFAULT;
    opts->height = VC_HEIGHT_DEFAULT;
    opts->sizing = VC_SIZING_LINEAR;
    opts->fit = VC_FIT_AUTO;
    opts->max_font_size = 0;
    opts->min_font_size = VC_MIN_FONT_SIZE_DEFAULT;
    opts->padding = VC_PADDING_DEFAULT;
    opts->spiral = VC_SPIRAL_ARCHIMEDEAN;
    opts->shape = VC_SHAPE_RECTANGLE;
    opts->rotate = VC_ROTATE_NONE;
    opts->prefer_horizontal = VC_PREFER_HORIZONTAL_DEFAULT;
    opts->seed = 1;
    opts->palette = "nhs";
    opts->color_by = VC_COLOR_BY_RANK;
    opts->background = "#ffffff";
    opts->scale = 1;
    opts->dpi = VC_DPI_DEFAULT;
    opts->contrast = true;
    opts->contrast_against = "#ffffff";
    opts->max_pixels = VC_MAX_PIXELS_DEFAULT;
    opts->margin = -1;
    opts->padding_em = VC_PADDING_EM_DEFAULT;
}

/* A caller compiled against an older votecloud.h passes a smaller struct:
 * its fields are copied over the defaults, so the fields it does not know
 * keep their defaults.  Maintainers: append fields only, at the end, and
 * never inside the tail padding of a released struct (add a field of the
 * alignment of the one before, or an explicit pad). */
bool vc_options_adopt(const void *in, size_t known_size, void *out, const char *what,
                      vc_error *err)
{
    size_t size = *(const size_t *)in;
    if (size < sizeof(size_t) || size > known_size) {
        return vc_fail(err, VC_ERR_USAGE,
                       "%s: struct_size is %zu, expected %zu or less from %s_init "
                       "(was the struct filled by hand, or compiled against a newer votecloud.h?)",
                       what, size, known_size, what);
    }
    memcpy(out, in, size);
    *(size_t *)out = known_size;
    return true;
}

bool vc_render_options_adopt(const vc_render_options *in, vc_render_options *out,
                             vc_error *err)
{
    vc_render_options_init(out);
    return !in || vc_options_adopt(in, sizeof *out, out, "vc_render_options", err);
}

static bool bad_number(double v, double lo, double hi)
{
    return !isfinite(v) || v < lo || v > hi;
}

/* The background, the colour contrast is checked against (even when the
 * background is opaque and it is not used: a typo is still a typo) and the
 * palette. */
static bool colors_check(const vc_render_options *o, vc_error *err)
{
    uint32_t rgb;
    if (o->background && strcmp(o->background, "transparent") != 0 &&
        !vc_color_parse(o->background, &rgb)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_BACKGROUND,
                              "background: '%s' is not a colour or 'transparent'", o->background);
    }
    if (o->contrast_against && !vc_color_parse(o->contrast_against, &rgb)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_CONTRAST_AGAINST,
                              "colour to check contrast against: '%s' is not a colour",
                              o->contrast_against);
    }
    uint32_t colors[VC_PALETTE_MAX];
    size_t n;
    return vc_palette_parse(o->palette, colors, VC_PALETTE_MAX, &n, err);
}

bool vc_render_options_validate(const vc_render_options *opts, vc_error *err)
{
    vc_render_options given;
    return vc_render_options_adopt(opts, &given, err) && vc_render_options_check(&given, err);
}

bool vc_render_options_check(const vc_render_options *o, vc_error *err)
{
    if (o->width < VC_WIDTH_MIN || o->width > VC_WIDTH_MAX) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_WIDTH, "width: expected %d to %d pixels, got %d", VC_WIDTH_MIN,
                       VC_WIDTH_MAX, o->width);
    }
    if (o->height < VC_HEIGHT_MIN || o->height > VC_HEIGHT_MAX) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_HEIGHT, "height: expected %d to %d pixels, got %d", VC_HEIGHT_MIN,
                       VC_HEIGHT_MAX, o->height);
    }
    uint64_t pixels = (uint64_t)o->width * (uint64_t)o->height;
    if (pixels > o->max_pixels) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MAX_PIXELS,
                       "canvas is %.3g megapixels (%dx%d), over the limit of %.3g",
                       (double)pixels / 1e6, o->width, o->height, (double)o->max_pixels / 1e6);
    }
    if ((unsigned)o->sizing > VC_SIZING_LOG || (unsigned)o->fit > VC_FIT_NONE ||
        (unsigned)o->spiral > VC_SPIRAL_RECTANGULAR || (unsigned)o->shape > VC_SHAPE_ELLIPSE ||
        (unsigned)o->rotate > VC_ROTATE_AUTO || (unsigned)o->color_by > VC_COLOR_BY_WORD) {
        return vc_fail(err, VC_ERR_USAGE, "render options: an enumeration is out of range");
    }
    if (bad_number(o->max_font_size, 0, VC_FONT_SIZE_MAX)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MAX_FONT_SIZE, "maximum font size: expected 0 (no cap) to %g px, got %g",
                       VC_FONT_SIZE_MAX, o->max_font_size);
    }
    if (bad_number(o->min_font_size, 0, VC_FONT_SIZE_MAX)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MIN_FONT_SIZE, "minimum font size: expected 0 to %g px, got %g", VC_FONT_SIZE_MAX,
                       o->min_font_size);
    }
    if (o->max_words > VC_MAX_WORDS_MAX) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MAX_WORDS, "most words: expected 0 (all) to %zu, got %zu", VC_MAX_WORDS_MAX,
                       o->max_words);
    }
    if (o->max_font_size > 0 && o->min_font_size > o->max_font_size) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MIN_FONT_SIZE, "the minimum font size (%g) is larger than the maximum (%g)",
                       o->min_font_size, o->max_font_size);
    }
    if (o->fit == VC_FIT_NONE && !(o->max_font_size > 0) && !(o->same_scale > 0)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MAX_FONT_SIZE, "fitting 'none' needs a maximum font size");
    }
    if (o->padding < 0 || o->padding > VC_PADDING_MAX) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PADDING, "padding: expected 0 to %d px, got %d", VC_PADDING_MAX, o->padding);
    }
    if (!(o->padding_em >= 0 && o->padding_em <= VC_PADDING_EM_MAX)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PADDING_EM, "padding in em: expected 0 to %g, got %g", VC_PADDING_EM_MAX,
                       o->padding_em);
    }
    if (o->margin < -1 || o->margin > VC_MARGIN_MAX) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_MARGIN, "margin: expected 0 to %d px (or -1: automatic), got %d",
                       VC_MARGIN_MAX, o->margin);
    }
    if (o->threads < 0 || o->threads > VC_THREADS_MAX) {
        return vc_fail(err, VC_ERR_USAGE, "threads: expected 0 (every core) to %d, got %d",
                       VC_THREADS_MAX, o->threads);
    }
    if (o->wrap != VC_WRAP_AUTO && o->wrap != VC_WRAP_NONE) {
        return vc_fail(err, VC_ERR_USAGE, "wrap: expected auto or none, got %d", (int)o->wrap);
    }
    if (bad_number(o->prefer_horizontal, 0, 1)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PREFER_HORIZONTAL, "share of horizontal words: expected 0 to 1, got %g", o->prefer_horizontal);
    }
    if (bad_number(o->scale, VC_SCALE_MIN, VC_SCALE_MAX)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_SCALE, "output scale: expected %g to %g, got %g", VC_SCALE_MIN, VC_SCALE_MAX,
                       o->scale);
    }
    if (bad_number(o->dpi, VC_DPI_MIN, VC_DPI_MAX)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_DPI, "dpi: expected %g to %g, got %g", VC_DPI_MIN, VC_DPI_MAX, o->dpi);
    }
    if (bad_number(o->same_scale, 0, 1e9)) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_SAME_SCALE, "shared scale: expected a positive number, got %g", o->same_scale);
    }
    if (o->rotate == VC_ROTATE_LIST) {
        if (o->n_angles == 0 || o->n_angles > VC_MAX_ANGLES) {
            return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_ROTATE, "rotation: give 1 to %d angles", VC_MAX_ANGLES);
        }
        for (size_t i = 0; i < o->n_angles; i++) {
            if (bad_number(o->angles[i], -VC_ANGLE_MAX, VC_ANGLE_MAX)) {
                return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_ROTATE, "rotation: angle %g is not from -%g to %g", o->angles[i],
                               VC_ANGLE_MAX, VC_ANGLE_MAX);
            }
        }
    }
    if (!colors_check(o, err)) {
        return false;
    }
    for (size_t i = 0; i < o->n_homes; i++) {
        if (!o->homes[i].text || (i > 0 && strcmp(o->homes[i - 1].text, o->homes[i].text) >= 0)) {
            return vc_fail(err, VC_ERR_USAGE, "homes: entry %zu is %s; give each word once, "
                           "sorted by text", i, o->homes[i].text ? "out of order" : "NULL");
        }
    }
    return true;
}

static int home_cmp(const void *key, const void *h)
{
    return strcmp(key, ((const vc_home *)h)->text);
}

const vc_home *vc_home_find(const vc_render_options *o, const char *text)
{
    if (!o->homes || !o->n_homes || !text) {
        return NULL;
    }
    return bsearch(text, o->homes, o->n_homes, sizeof *o->homes, home_cmp);
}

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
