/* test-layout-look.c - how a layout looks and what it keeps: chosen and
 * suggested words in clearly different colours with --color-by group, the
 * options' strings owned by the layout, and the cloud centred on the
 * canvas with its margin kept. */
#include "layout/layout.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static vc_words *sample_words(size_t n)
{
    vc_error err = {0};
    vc_words *w = vc_words_new(&err);
    vc_rng rng;
    vc_rng_seed(&rng, 77);
    for (size_t i = 0; i < n; i++) {
        char text[32];
        size_t len = 3 + vc_rng_next(&rng) % 8;
        for (size_t k = 0; k < len; k++) {
            text[k] = (char)('a' + vc_rng_next(&rng) % 26);
        }
        text[len] = '\0';
        double count = floor(400.0 / (1.0 + (double)i * 0.7)) + 1;
        vc_group g = i % 3 == 0 ? VC_GROUP_SUGGESTED : i % 3 == 1 ? VC_GROUP_CHOSEN : VC_GROUP_WORD;
        vc_words_add(w, text, count, g, &err);
    }
    return w;
}

static double hue(uint32_t c)
{
    double r = (c >> 16 & 0xff) / 255.0, g = (c >> 8 & 0xff) / 255.0, b = (c & 0xff) / 255.0;
    double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
    if (d < 1e-9) {
        return -1;
    }
    double h = mx == r ? fmod((g - b) / d, 6) : mx == g ? (b - r) / d + 2 : (r - g) / d + 4;
    return h < 0 ? h * 60 + 360 : h * 60;
}

static void test_group_colours(vc_context *ctx, vc_words *words)
{
    vc_render_options o;
    vc_render_options_init(&o);
    o.color_by = VC_COLOR_BY_GROUP;
    o.contrast = false;
    vc_error err = {0};
    vc_layout *L = vc_layout_new(ctx, words, &o, &err);
    TAP_OK(L != NULL, "group layout: %s", err.message);
    if (!L) {
        return;
    }
    uint32_t chosen = 0, suggested = 0, word = 0;
    bool mixed = false;
    for (size_t i = 0; i < vc_layout_placed_count(L); i++) {
        vc_placed p;
        vc_layout_placed(L, i, &p);
        uint32_t *slot = p.group == VC_GROUP_CHOSEN ? &chosen : p.group == VC_GROUP_SUGGESTED ? &suggested : &word;
        if (*slot && *slot != p.color) {
            mixed = true;
        }
        *slot = p.color;
    }
    TAP_OK(!mixed, "each group has one colour");
    TAP_OK(chosen == 0x005EB8, "chosen words are palette[0], NHS Blue (#%06x)", chosen);
    TAP_OK(word == 0x005EB8, "words of no group are palette[0] (#%06x)", word);
    double d = fabs(hue(chosen) - hue(suggested));
    d = fmin(d, 360 - d);
    TAP_OK(d >= 90, "suggested words are far in hue from chosen ones (#%06x, %.0f degrees apart)",
           suggested, d);
    vc_layout_free(L);
}

static void test_owned_strings(vc_context *ctx, vc_words *words)
{
    vc_render_options o;
    vc_render_options_init(&o);
    char against[] = "#000000", palette[] = "okabe-ito", title[] = "A title";
    o.contrast_against = against;
    o.palette = palette;
    o.title = title;
    o.background = "transparent";
    vc_error err = {0};
    vc_layout *L = vc_layout_new(ctx, words, &o, &err);
    TAP_OK(L != NULL, "layout with caller strings: %s", err.message);
    if (!L) {
        return;
    }
    memset(against, 'x', sizeof against - 1);
    memset(palette, 'x', sizeof palette - 1);
    memset(title, 'x', sizeof title - 1);
    TAP_OK(L->opts.contrast_against && L->opts.contrast_against != against &&
               strcmp(L->opts.contrast_against, "#000000") == 0,
           "opts.contrast_against is the layout's own copy");
    TAP_OK(L->opts.palette != palette && strcmp(L->opts.palette, "okabe-ito") == 0 &&
               L->opts.title != title && strcmp(L->opts.title, "A title") == 0,
           "opts.palette and opts.title are the layout's own copies");
    TAP_OK(L->opts.font_dir == NULL, "opts.font_dir is not kept");
    vc_layout_free(L);
}

/* The ink's overall box is centred within a few percent, and no word
 * comes within the margin of an edge. */
static void test_centred(vc_context *ctx, vc_words *words, int w, int h, vc_spiral spiral)
{
    vc_render_options o;
    vc_render_options_init(&o);
    o.width = w;
    o.height = h;
    o.spiral = spiral;
    vc_error err = {0};
    vc_layout *L = vc_layout_new(ctx, words, &o, &err);
    TAP_OK(L != NULL, "%dx%d layout: %s", w, h, err.message);
    if (!L) {
        return;
    }
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < vc_layout_placed_count(L); i++) {
        vc_placed p;
        vc_layout_placed(L, i, &p);
        x0 = fmin(x0, p.bbox[0]);
        y0 = fmin(y0, p.bbox[1]);
        x1 = fmax(x1, p.bbox[2]);
        y1 = fmax(y1, p.bbox[3]);
    }
    double in = lround(0.01 * (w < h ? w : h)) + o.padding;
    TAP_OK(x0 >= in && y0 >= in && x1 <= w - in && y1 <= h - in,
           "%dx%d: ink stays %.0f px inside the edges (box %.0f,%.0f %.0f,%.0f)", w, h, in, x0, y0, x1, y1);
    double dx = ((x0 + x1) / 2 - w / 2.0) / w, dy = ((y0 + y1) / 2 - h / 2.0) / h;
    TAP_OK(fabs(dx) < 0.03 && fabs(dy) < 0.03, "%dx%d %s: the cloud is centred (off by %.1f%%, %.1f%%)",
           w, h, spiral ? "rectangular" : "archimedean", dx * 100, dy * 100);
    vc_layout_free(L);
}

int main(void)
{
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    TAP_OK(ctx != NULL, "context: %s", err.message);
    if (!ctx) {
        return tap_done();
    }
    vc_words *words = sample_words(120);
    test_group_colours(ctx, words);
    test_owned_strings(ctx, words);
    test_centred(ctx, words, 1200, 675, VC_SPIRAL_ARCHIMEDEAN);
    test_centred(ctx, words, 800, 800, VC_SPIRAL_ARCHIMEDEAN);
    test_centred(ctx, words, 1200, 675, VC_SPIRAL_RECTANGULAR);
    vc_words_free(words);
    vc_context_free(ctx);
    return tap_done();
}
