/* layouts.h - hand-built layouts for the a11y tests: only the fields the
 * describing and table stages read (text, count, group, reasons, options);
 * shapes and ink stay zeroed. */
#ifndef A11Y_LAYOUTS_H
#define A11Y_LAYOUTS_H

#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

typedef struct test_word {
    const char *text;
    double count;
    vc_group group;
    const char *reason; /* NULL: placed */
} test_word;

/* A layout holding copies of `words`; free with test_layout_free. */
static inline vc_layout *test_layout(const test_word *words, size_t n,
                                     size_t respondents)
{
    vc_layout *l = calloc(1, sizeof *l);
    l->placed = calloc(n ? n : 1, sizeof *l->placed);
    l->dropped = calloc(n ? n : 1, sizeof *l->dropped);
    for (size_t i = 0; i < n; i++) {
        if (words[i].reason) {
            vc_dropped_word *d = &l->dropped[l->n_dropped++];
            d->text = vc_strdup(words[i].text);
            d->count = words[i].count;
            d->group = words[i].group;
            d->reason = vc_strdup(words[i].reason);
            d->why = VC_DROP_TOO_SMALL; /* the fixtures' words are the fewest votes */
        } else {
            vc_placed_word *p = &l->placed[l->n_placed++];
            p->text = vc_strdup(words[i].text);
            p->count = words[i].count;
            p->group = words[i].group;
            p->font_size = 10 + words[i].count;
            p->color = 0x005EB8;
        }
    }
    l->respondents = respondents;
    l->total_words = n;
    l->width = 1200;
    l->height = 675;
    l->background_rgb = 0xFFFFFF;
    l->opts.width = 1200;
    l->opts.height = 675;
    l->opts.seed = 1;
    l->opts.padding = 2;
    l->opts.min_font_size = 8;
    l->opts.prefer_horizontal = 0.9;
    l->opts.contrast = true;
    l->opts.scale = 1;
    l->opts.dpi = 96;
    return l;
}

static inline void test_layout_free(vc_layout *l)
{
    if (!l) {
        return;
    }
    for (size_t i = 0; i < l->n_placed; i++) {
        free(l->placed[i].text);
    }
    for (size_t i = 0; i < l->n_dropped; i++) {
        free(l->dropped[i].text);
        free(l->dropped[i].reason);
    }
    free(l->placed);
    free(l->dropped);
    free(l->title);
    free(l->question);
    free(l->font);
    free(l->palette);
    free(l);
}

/* The survey of the issue: 545 respondents, chosen and suggested words. */
static const test_word survey_words[] = {
    {"prevention", 210, VC_GROUP_CHOSEN, NULL},
    {"wellbeing", 180, VC_GROUP_CHOSEN, NULL},
    {"person-centred", 150, VC_GROUP_CHOSEN, NULL},
    {"equality", 90, VC_GROUP_CHOSEN, NULL},
    {"community", 60, VC_GROUP_CHOSEN, NULL},
    {"kindness", 40, VC_GROUP_CHOSEN, NULL},
    {"compassion", 12, VC_GROUP_SUGGESTED, NULL},
    {"trust", 5, VC_GROUP_SUGGESTED, "too small: would be 6.2 px, below the 8 px minimum"},
    {"listening", 3, VC_GROUP_SUGGESTED, "too small: would be 3.7 px, below the 8 px minimum"},
    {"hope", 2, VC_GROUP_SUGGESTED, "too small: would be 2.5 px, below the 8 px minimum"},
};
#define N_SURVEY (sizeof survey_words / sizeof survey_words[0])

#endif
