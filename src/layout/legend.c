/* legend.c - the --legend band under the cloud (layout.c keeps it free of
 * words): a sample "Aa" drawn at the exact size of a round vote count, the
 * key text and the respondent caption (describe.c), shaped with the
 * layout's fonts and placed once, so the PNG, SVG and PDF agree. */
#include "layout/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The grey of secondary text, made to meet 4.5:1 on the background. */
#define LEGEND_GREY 0x505A5F
#define LEGEND_RATIO 4.5
/* Text size as a share of the band, and its bounds in px. */
#define TEXT_SHARE 0.36
#define TEXT_MAX 20.0
#define TEXT_MIN 6.0
/* Below this text size the sample is left out to make room. */
#define TEXT_MIN_WITH_SAMPLE 9.0
/* The sample's ink may take this share of the band's height. */
#define SAMPLE_SHARE 0.7
#define SAMPLE_TEXT "Aa"

enum { ITEM_SAMPLE, ITEM_EQUALS, ITEM_KEY, ITEM_GROUP, ITEM_CAPTION };

static bool add_item(vc_layout *layout, vc_context *ctx, vc_legend *lg,
                     int kind, char *text, vc_error *err)
{
    if (!text) {
        return vc_fail_nomem(err, "legend text");
    }
    vc_legend_item *it = &lg->items[lg->n];
    memset(it, 0, sizeof *it);
    it->text = text;
    it->kind = kind;
    it->color = lg->color;
    if (!vc_shape_word(ctx, &layout->fonts, text, &it->shaped, err)) {
        free(text);
        it->text = NULL;
        return false;
    }
    lg->n++;
    return true;
}

/* The largest of 1, 2, 5 x 10^k votes, at most the top count, whose "Aa"
 * fits the band at the cloud's own scale; 0 when none does. */
static double sample_votes(const vc_layout *layout, const vc_shaped *aa,
                           double top_count, int band)
{
    double ink_h = aa->ink[3] - aa->ink[1];
    if (!(top_count >= 1) || !(ink_h > 0) || !(layout->scale > 0)) {
        return 0;
    }
    static const double steps[] = {5, 2, 1};
    for (double p = pow(10, floor(log10(top_count))); p >= 1; p /= 10) {
        for (size_t i = 0; i < 3; i++) {
            double r = steps[i] * p;
            double size = layout->scale * vc_sizing_value(layout->opts.sizing, r);
            if (r <= top_count && size * ink_h <= SAMPLE_SHARE * band &&
                size >= layout->opts.min_font_size) {
                return r;
            }
        }
    }
    return 0;
}

static double top_count(const vc_layout *layout)
{
    double top = 0;
    for (size_t i = 0; i < layout->n_placed; i++) {
        top = fmax(top, layout->placed[i].count);
    }
    return top;
}

static char *votes_text(double votes)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_puts(&b, "= ");
    vc_buf_number(&b, votes, 2);
    vc_buf_puts(&b, votes == 1 ? " vote" : " votes");
    if (b.failed || !b.data) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}

static double advance(const vc_legend *lg, int kind)
{
    for (size_t i = 0; i < lg->n; i++) {
        if (lg->items[i].kind == kind) {
            return lg->items[i].shaped.advance;
        }
    }
    return 0;
}

static bool has(const vc_legend *lg, int kind)
{
    for (size_t i = 0; i < lg->n; i++) {
        if (lg->items[i].kind == kind) {
            return true;
        }
    }
    return false;
}

/* Text size that fits the line into the width (with or without the
 * sample), capped by the band. */
static double fit_text_size(const vc_legend *lg, const vc_layout *layout,
                            int band, int margin, bool sample)
{
    double fixed = 2.0 * margin, per_px = 0;
    if (sample) {
        fixed += lg->sample_size * advance(lg, ITEM_SAMPLE);
        per_px += 0.4 + advance(lg, ITEM_EQUALS) + 1.5;
    }
    per_px += advance(lg, ITEM_KEY) + 1.5 + advance(lg, ITEM_CAPTION);
    for (size_t i = 0; i < lg->n; i++) {
        per_px += lg->items[i].kind == ITEM_GROUP ? lg->items[i].shaped.advance + 1.5 : 0;
    }
    double size = fmin(TEXT_MAX, TEXT_SHARE * band);
    if (per_px > 0) {
        size = fmin(size, (layout->width - fixed) / per_px);
    }
    return size;
}

static void drop_sample(vc_legend *lg)
{
    size_t k = 0;
    for (size_t i = 0; i < lg->n; i++) {
        vc_legend_item *it = &lg->items[i];
        if (it->kind == ITEM_SAMPLE || it->kind == ITEM_EQUALS) {
            vc_shaped_finish(&it->shaped);
            free(it->text);
            continue;
        }
        lg->items[k++] = *it;
    }
    lg->n = k;
    lg->sample_size = 0;
}

/* Left to right: sample, "= R votes", key, groups; the caption at the right. One
 * baseline, centred so the tallest ink sits in the middle of the band. */
static void place(vc_legend *lg, const vc_layout *layout, int band,
                  int margin, double text)
{
    double x = margin, ascent = 0, descent = 0;
    for (size_t i = 0; i < lg->n; i++) {
        vc_legend_item *it = &lg->items[i];
        it->size = it->kind == ITEM_SAMPLE ? lg->sample_size : text;
        if (it->kind == ITEM_CAPTION) {
            it->x = (int)lround(layout->width - margin - it->shaped.advance * text);
        } else {
            it->x = (int)lround(x);
            double gap = it->kind == ITEM_SAMPLE ? 0.4 : 1.5;
            x += it->shaped.advance * it->size + gap * text;
        }
        ascent = fmax(ascent, -it->shaped.ink[1] * it->size);
        descent = fmax(descent, it->shaped.ink[3] * it->size);
    }
    int baseline = (int)lround(lg->top + (band - ascent - descent) / 2 + ascent);
    for (size_t i = 0; i < lg->n; i++) {
        lg->items[i].y = baseline;
    }
}

/* The first drawn word of `group`, or SIZE_MAX. */
static size_t first_of_group(const vc_layout *layout, vc_group group)
{
    for (size_t i = 0; i < layout->n_placed; i++) {
        if (layout->placed[i].group == group) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* With colour by group, what each colour means: one item per colour
 * drawn, in that colour (as drawn, after contrast adjustment), naming
 * every group drawn in it; "Colour:" leads the list. */
static bool add_group_items(vc_layout *layout, vc_context *ctx, vc_legend *lg,
                            vc_error *err)
{
    static const struct {
        vc_group group;
        const char *text;
    } groups[] = {{VC_GROUP_CHOSEN, "chosen"},
                  {VC_GROUP_BOTH, "both chosen and suggested"},
                  {VC_GROUP_SUGGESTED, "suggested"}};
    enum { N = sizeof groups / sizeof groups[0] };
    if (layout->opts.color_by != VC_COLOR_BY_GROUP) {
        return true;
    }
    size_t first[N], colours = 0;
    for (size_t g = 0; g < N; g++) {
        first[g] = first_of_group(layout, groups[g].group);
        bool new_colour = first[g] != SIZE_MAX;
        for (size_t h = 0; new_colour && h < g; h++) {
            new_colour = first[h] == SIZE_MAX ||
                         layout->placed[first[h]].color != layout->placed[first[g]].color;
        }
        colours += new_colour;
    }
    /* One colour alone needs no key: every word is that colour. */
    for (size_t g = 0; colours > 1 && g < N; g++) {
        if (first[g] == SIZE_MAX) {
            continue;
        }
        uint32_t colour = layout->placed[first[g]].color;
        bool listed = false;
        for (size_t h = 0; h < g; h++) {
            listed = listed || (first[h] != SIZE_MAX && layout->placed[first[h]].color == colour);
        }
        if (listed) {
            continue;
        }
        vc_buf text;
        vc_buf_init(&text);
        vc_buf_puts(&text, lg->n > 0 && lg->items[lg->n - 1].kind == ITEM_GROUP ? "" : "Colour: ");
        const char *sep = "";
        for (size_t h = g; h < N; h++) {
            if (first[h] != SIZE_MAX && layout->placed[first[h]].color == colour) {
                vc_buf_printf(&text, "%s%s", sep, groups[h].text);
                sep = " or ";
            }
        }
        if (text.failed) {
            vc_buf_finish(&text);
            return vc_fail_nomem(err, "legend");
        }
        if (!add_item(layout, ctx, lg, ITEM_GROUP, text.data, err)) {
            return false; /* add_item freed the text */
        }
        lg->items[lg->n - 1].color = colour;
    }
    return true;
}

static bool build_summary(vc_legend *lg)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_puts(&b, "Key:");
    for (size_t i = 0; i < lg->n; i++) {
        const vc_legend_item *it = &lg->items[i];
        bool joined = it->kind == ITEM_EQUALS;
        bool listed = it->kind == ITEM_GROUP && i > 0 && lg->items[i - 1].kind == ITEM_GROUP;
        vc_buf_puts(&b, joined ? " " : listed ? ", " : i > 0 ? ". " : " ");
        vc_buf_puts(&b, it->text);
    }
    if (b.failed || !b.data) {
        vc_buf_finish(&b);
        return false;
    }
    lg->summary = b.data;
    return true;
}

bool vc_legend_build(vc_layout *layout, vc_context *ctx, vc_legend *lg,
                     vc_error *err)
{
    memset(lg, 0, sizeof *lg);
    lg->top = layout->legend_top;
    int band = layout->height - layout->legend_top;
    if (!layout->opts.legend || band <= 0 || layout->legend_top <= 0) {
        return true;
    }
    lg->color = vc_contrast_adjust(LEGEND_GREY, layout->contrast_rgb, LEGEND_RATIO);
    int margin = (int)lround(fmin(24, fmax(6, 0.02 * layout->width)));
    double top = top_count(layout);
    bool ok = true;
    if (layout->n_placed > 0) {
        ok = add_item(layout, ctx, lg, ITEM_SAMPLE, vc_strdup(SAMPLE_TEXT), err);
        double r = ok ? sample_votes(layout, &lg->items[0].shaped, top, band) : 0;
        lg->sample_size = layout->scale * vc_sizing_value(layout->opts.sizing, r);
        lg->sample_votes = r;
        if (ok && r > 0) {
            ok = add_item(layout, ctx, lg, ITEM_EQUALS, votes_text(r), err);
        } else if (ok) {
            drop_sample(lg);
        }
        if (ok) {
            ok = add_item(layout, ctx, lg, ITEM_KEY, vc_layout_legend_key(layout), err);
        }
        ok = ok && add_group_items(layout, ctx, lg, err);
    }
    if (ok) {
        ok = add_item(layout, ctx, lg, ITEM_CAPTION, vc_layout_legend_caption(layout), err);
    }
    if (!ok) {
        vc_legend_finish(lg);
        return false;
    }
    bool sample = has(lg, ITEM_SAMPLE);
    double text = fit_text_size(lg, layout, band, margin, sample);
    if (sample && text < TEXT_MIN_WITH_SAMPLE) {
        drop_sample(lg);
        text = fit_text_size(lg, layout, band, margin, false);
    }
    if (text < TEXT_MIN) {
        /* Too narrow for a readable line: no legend rather than a
         * smudge (the alt text and table still say it all). */
        vc_legend_finish(lg);
        lg->top = layout->legend_top;
        return true;
    }
    place(lg, layout, band, margin, text);
    if (!build_summary(lg)) {
        vc_legend_finish(lg);
        return vc_fail_nomem(err, "legend text");
    }
    return true;
}

void vc_legend_finish(vc_legend *lg)
{
    if (!lg) {
        return;
    }
    for (size_t i = 0; i < lg->n; i++) {
        vc_shaped_finish(&lg->items[i].shaped);
        free(lg->items[i].text);
    }
    free(lg->summary);
    memset(lg, 0, sizeof *lg);
}
