/* test-legend.c - the --legend band: layout keeps words out of it, the
 * legend's ink stays inside it and inside the canvas, the "Aa" sample is
 * exactly the size of the round vote count it names, its colour meets
 * 4.5:1, and narrow canvases or empty clouds degrade without overlap. */
#include "layout/layout.h"
#include "render/render.h"
#include "helpers.h"
#include "tap.h"

#include <math.h>

static vc_words *make_words(size_t n)
{
    vc_words *w = vc_words_new(NULL);
    static const char *const texts[] = {"prevention", "wellbeing", "person-centred",
                                        "kindness", "equity", "trust", "courage",
                                        "listening", "hope", "access"};
    for (size_t i = 0; i < n && i < 10; i++) {
        vc_words_add(w, texts[i], 210.0 / (double)(i + 1), VC_GROUP_WORD, NULL);
    }
    return w;
}

static vc_layout *layout_with(vc_context *ctx, const vc_words *w, int width, int height,
                              const char *bg, vc_sizing sizing)
{
    vc_render_options o;
    vc_render_options_init(&o);
    o.font_dir = font_dir();
    o.width = width;
    o.height = height;
    o.legend = true;
    o.background = bg;
    o.sizing = sizing;
    vc_error err = {0};
    vc_layout *l = vc_layout_new(ctx, w, &o, &err);
    if (!l) {
        printf("# %s\n", err.message);
    }
    return l;
}

static bool is_round(double r)
{
    double p = pow(10, floor(log10(r)));
    double m = r / p;
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

/* Every item's ink inside [top, height) x [0, width). */
static bool items_inside(const vc_legend *lg, const vc_layout *l)
{
    for (size_t i = 0; i < lg->n; i++) {
        const vc_legend_item *it = &lg->items[i];
        double x0 = it->x + it->shaped.ink[0] * it->size;
        double x1 = it->x + it->shaped.ink[2] * it->size;
        double y0 = it->y + it->shaped.ink[1] * it->size;
        double y1 = it->y + it->shaped.ink[3] * it->size;
        if (x0 < 0 || x1 > l->width || y0 < lg->top || y1 > l->height) {
            printf("# item %zu '%s' ink %.1f,%.1f-%.1f,%.1f outside\n", i, it->text, x0,
                   y0, x1, y1);
            return false;
        }
    }
    return true;
}

/* Items left to right without overlapping. */
static bool items_apart(const vc_legend *lg)
{
    for (size_t i = 1; i < lg->n; i++) {
        const vc_legend_item *a = &lg->items[i - 1], *b = &lg->items[i];
        if (a->x + a->shaped.advance * a->size > b->x) {
            printf("# '%s' runs into '%s'\n", a->text, b->text);
            return false;
        }
    }
    return true;
}

static void test_band(vc_context *ctx)
{
    vc_words *w = make_words(10);
    vc_layout *l = layout_with(ctx, w, 1200, 675, "#ffffff", VC_SIZING_LINEAR);
    TAP_OK(l && l->legend_top == 675 - 54, "band is 8%% of 675 px: legend_top %d",
           l ? l->legend_top : -1);
    bool clear = l != NULL;
    for (size_t i = 0; l && i < l->n_placed; i++) {
        clear = clear && l->placed[i].box[3] <= l->legend_top;
    }
    TAP_OK(clear, "no word's ink reaches the band");
    vc_legend lg;
    vc_error err = {0};
    TAP_OK(l && vc_legend_build(l, ctx, &lg, &err), "legend builds");
    TAP_OK(lg.n == 4, "sample, its votes, key and caption: %zu items", lg.n);
    TAP_OK(items_inside(&lg, l), "legend ink inside the band and canvas");
    TAP_OK(items_apart(&lg), "items do not overlap");
    TAP_OK(lg.sample_votes > 0 && is_round(lg.sample_votes) && lg.sample_votes <= 210,
           "sample stands for a round count: %g", lg.sample_votes);
    TAP_OK(fabs(lg.sample_size - l->scale * lg.sample_votes) < 1e-9 &&
               lg.items[0].size == lg.sample_size,
           "sample size %.3f = scale x votes", lg.sample_size);
    TAP_OK(lg.color == 0x505A5F, "grey #505A5F already passes on white");
    TAP_OK(lg.summary && strstr(lg.summary, "prevention = 210 votes"),
           "summary: %s", lg.summary ? lg.summary : "(null)");
    vc_legend_finish(&lg);
    vc_legend_finish(&lg); /* finish twice is harmless */
    vc_layout_free(l);

    l = layout_with(ctx, w, 1200, 675, "#000000", VC_SIZING_SQRT);
    TAP_OK(l && vc_legend_build(l, ctx, &lg, &err), "legend on black, sqrt sizing");
    TAP_OK(vc_contrast_ratio(lg.color, 0x000000) >= 4.5, "grey lightened: %.2f:1",
           vc_contrast_ratio(lg.color, 0x000000));
    TAP_OK(lg.sample_votes > 0 &&
               fabs(lg.sample_size - l->scale * sqrt(lg.sample_votes)) < 1e-9,
           "sqrt: sample size = scale x sqrt(%g)", lg.sample_votes);
    vc_legend_finish(&lg);
    vc_layout_free(l);
    vc_words_free(w);
}

/* The drawing the renderers read: every placed word, in order, then every
 * legend item, each run pointing at what the layout owns, with its size,
 * position, angle and colour. */
static void test_drawing(vc_context *ctx)
{
    vc_words *w = make_words(10);
    vc_layout *l = layout_with(ctx, w, 1200, 675, "#ffffff", VC_SIZING_LINEAR);
    const vc_drawing *d = l ? &l->drawing : NULL;
    TAP_OK(d && d->n_words == l->n_placed && d->n == l->n_placed + l->legend.n &&
               l->legend.n > 0,
           "drawing: %zu word runs + %zu legend runs", d ? d->n_words : 0,
           d ? d->n - d->n_words : 0);
    bool words_ok = d != NULL, legend_ok = d != NULL;
    for (size_t i = 0; d && i < d->n_words; i++) {
        const vc_run *r = &d->runs[i];
        const vc_placed_word *pw = &l->placed[i];
        words_ok = words_ok && r->kind == VC_RUN_WORD && r->shaped == &pw->shaped &&
                   r->ink == &pw->ink && r->size == pw->font_size && r->x == pw->x &&
                   r->y == pw->y && r->rotation == pw->rotation && r->color == pw->color &&
                   strcmp(r->text, pw->text) == 0 && r->count == pw->count;
    }
    for (size_t i = 0; d && i < l->legend.n; i++) {
        const vc_run *r = &d->runs[d->n_words + i];
        const vc_legend_item *it = &l->legend.items[i];
        legend_ok = legend_ok && r->kind == VC_RUN_LEGEND && r->shaped == &it->shaped &&
                    r->ink == NULL && r->size == it->size && r->x == it->x &&
                    r->y == it->y && r->rotation == 0 && r->color == it->color;
    }
    TAP_OK(words_ok, "word runs are the placed words, in order");
    TAP_OK(legend_ok, "legend runs are the legend's items, after the words");
    TAP_OK(d && d->legend_color == l->legend.color && d->legend_title == l->legend.summary,
           "the legend's colour and one-line title travel with the runs");
    vc_layout_free(l);

    vc_render_options o;
    vc_render_options_init(&o);
    o.font_dir = font_dir();
    vc_error err = {0};
    l = vc_layout_new(ctx, w, &o, &err);
    TAP_OK(l && l->drawing.n == l->n_placed && l->drawing.n_words == l->n_placed,
           "no legend: only word runs (%zu)", l ? l->drawing.n : 0);
    vc_layout_free(l);
    vc_words_free(w);
}

static void test_narrow_and_empty(vc_context *ctx)
{
    vc_words *w = make_words(10);
    vc_error err = {0};
    vc_legend lg;
    int widths[] = {600, 300, 160, 60};
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        vc_layout *l = layout_with(ctx, w, widths[k], 300, "#ffffff", VC_SIZING_LINEAR);
        bool ok = l && vc_legend_build(l, ctx, &lg, &err);
        TAP_OK(ok && items_inside(&lg, l) && items_apart(&lg),
               "%d px wide: %zu items, all inside and apart", widths[k], lg.n);
        vc_legend_finish(&lg);
        vc_layout_free(l);
    }
    vc_words_free(w);

    w = make_words(0);
    /* Nothing drawable is an error (issue 17), never a legend over a
     * blank cloud. */
    vc_layout *l = layout_with(ctx, w, 800, 400, "#ffffff", VC_SIZING_LINEAR);
    TAP_OK(!l, "no words: no layout, so no legend over a blank cloud");
    vc_layout_free(l);
    vc_words_free(w);
}

static void test_off(vc_context *ctx)
{
    vc_words *w = make_words(5);
    vc_render_options o;
    vc_render_options_init(&o);
    o.font_dir = font_dir();
    vc_layout *l = vc_layout_new(ctx, w, &o, NULL);
    vc_legend lg;
    TAP_OK(l && l->legend_top == l->height, "without --legend the whole canvas is used");
    TAP_OK(l && vc_legend_build(l, ctx, &lg, NULL) && lg.n == 0, "and no legend is drawn");
    vc_legend_finish(&lg);
    vc_layout_free(l);
    vc_words_free(w);
}

int main(void)
{
    vc_context *ctx = vc_context_new(NULL);
    test_band(ctx);
    test_drawing(ctx);
    test_narrow_and_empty(ctx);
    test_off(ctx);
    vc_context_free(ctx);
    return tap_done();
}
