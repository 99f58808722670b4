/* word-colors.c - each placed word's colour: a palette entry chosen by
 * rank, group or word, drawn darker or lighter where it would miss the
 * WCAG contrast for its size (the adjustments are recorded for the CLI). */
#include "layout/engine.h"

#include <math.h>
#include <stdlib.h>

/* WCAG "large text": 24 px, or 18.66 px (14 pt) when bold. */
#define LARGE_TEXT_PX 24.0
#define LARGE_BOLD_TEXT_PX 18.66

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    return h;
}

static bool primary_is_bold(const vc_layout *L)
{
    if (L->fonts.n > 0 && L->fonts.fonts[0] && L->fonts.fonts[0]->ft) {
        return (L->fonts.fonts[0]->ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
    }
    return L->font == NULL;
}

/* Hue in degrees (HSV), or -1 for a grey. */
static double hue_of(uint32_t c)
{
    double r = (c >> 16 & 0xff) / 255.0, g = (c >> 8 & 0xff) / 255.0, b = (c & 0xff) / 255.0;
    double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
    if (d < 1e-9) {
        return -1;
    }
    double h = mx == r ? fmod((g - b) / d, 6) : mx == g ? (b - r) / d + 2 : (r - g) / d + 4;
    return h < 0 ? h * 60 + 360 : h * 60;
}

/* The palette entry farthest in hue from the first (suggested words must
 * not read as a shade of the chosen words' colour); greys count as far
 * from every hue but lose to a real hue. */
static size_t farthest_hue(const uint32_t *colors, size_t n)
{
    double h0 = hue_of(colors[0]);
    size_t best = n > 1 ? 1 : 0;
    double best_d = -2;
    for (size_t i = 1; i < n; i++) {
        double h = hue_of(colors[i]);
        double d = h < 0 || h0 < 0 ? -1 : fmin(fabs(h - h0), 360 - fabs(h - h0));
        if (colors[i] != colors[0] && d > best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* A word both chosen and suggested gets a colour of its own when the
 * palette has one to spare; else the chosen colour (the legend then says
 * "chosen or both"). */
static size_t third_colour(size_t n, size_t suggested)
{
    for (size_t i = 1; i < n; i++) {
        if (i != suggested) {
            return i;
        }
    }
    return 0;
}

/* vc_contrast_adjust searches in OKLCh, far too slowly to run per word:
 * a palette has few colours and two thresholds, so remember the answers. */
typedef struct adjust_memo {
    uint32_t from[2 * VC_PALETTE_MAX], to[2 * VC_PALETTE_MAX];
    double need[2 * VC_PALETTE_MAX];
    size_t n;
} adjust_memo;

static uint32_t adjusted(vc_layout *L, adjust_memo *m, uint32_t c, uint32_t against, double need)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->from[i] == c && m->need[i] == need) {
            return m->to[i];
        }
    }
    uint32_t to = c;
    if (vc_contrast_ratio(c, against) < need) {
        to = vc_contrast_adjust(c, against, need);
        vc_layout_note_adjusted(L, c, to, against, need);
    }
    if (m->n < 2 * VC_PALETTE_MAX) {
        m->from[m->n] = c;
        m->to[m->n] = to;
        m->need[m->n] = need;
        m->n++;
    }
    return to;
}

bool vc_layout_assign_colors(vc_layout *L, vc_error *err)
{
    const vc_render_options *o = &L->opts;
    uint32_t colors[VC_PALETTE_MAX];
    size_t n = 0;
    if (!vc_palette_parse(L->palette, colors, VC_PALETTE_MAX, &n, err)) {
        return false;
    }
    if (n == 0) {
        return vc_fail_option(err, VC_ERR_USAGE, VC_OPTION_PALETTE, "palette: '%s' has no colours", L->palette);
    }
    /* Behind a transparent image, the page colour the caller names (a
     * colour: vc_render_options_check refused anything else). */
    uint32_t against = L->background_rgb;
    if (L->transparent && o->contrast_against) {
        vc_color_parse(o->contrast_against, &against);
    }
    double large = primary_is_bold(L) ? LARGE_BOLD_TEXT_PX : LARGE_TEXT_PX;
    size_t suggested = farthest_hue(colors, n);
    size_t both = third_colour(n, suggested);
    adjust_memo *memo = calloc(1, sizeof *memo);
    if (!memo) {
        return vc_fail_nomem(err, "colour table");
    }
    for (size_t i = 0; i < L->n_placed; i++) {
        vc_placed_word *p = &L->placed[i];
        size_t k;
        switch (o->color_by) {
        case VC_COLOR_BY_GROUP: k = p->group == VC_GROUP_SUGGESTED ? suggested
                                    : p->group == VC_GROUP_BOTH   ? both
                                                                  : 0;
            break;
        case VC_COLOR_BY_WORD: k = text_hash(p->text); break;
        case VC_COLOR_BY_RANK:
        default: k = i; break;
        }
        uint32_t c = colors[k % n];
        double need = p->font_size >= large ? 3.0 : 4.5;
        /* A word with a home (issue 15) has one colour in every cloud of
         * its series, so it meets the small-text ratio whatever its size. */
        const vc_home *home = vc_home_find(o, p->text);
        if (home) {
            c = home->color != VC_HOME_NO_COLOR ? home->color & 0xFFFFFF
                                                : colors[text_hash(p->text) % n];
            need = 4.5;
        }
        p->color = o->contrast ? adjusted(L, memo, c, against, need) : c;
    }
    free(memo);
    L->contrast_rgb = against; /* the legend's text is checked on it too */
    return true;
}
