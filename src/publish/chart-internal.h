/* chart-internal.h - the ranked bar chart (chart.c), laid out once and drawn
 * unchanged by render-chart.c in PNG, SVG and PDF, as a vc_layout is. */
#ifndef VC_CHART_INTERNAL_H
#define VC_CHART_INTERNAL_H

#include "layout/layout.h"

/* One run of text: a bar's label or value, the title, an axis tick, the
 * "and K more" note.  Labels copy the glyph run the cloud drew the word
 * with (same shaping, same fonts); the rest is shaped with the layout's
 * font set. */
typedef struct vc_chart_text {
    char *text;        /* owned */
    vc_shaped shaped;  /* owned */
    double size;       /* em size in chart px */
    double x, y;       /* baseline origin, chart px */
    uint32_t color;
} vc_chart_text;

typedef struct vc_chart_rect {
    double x, y, w, h;
    uint32_t color;
} vc_chart_rect;

/* One bar and the two texts that go with it (indices into texts[]). */
typedef struct vc_chart_bar_rec {
    char *text;        /* owned: the word */
    double count;
    vc_group group;
    vc_chart_rect rect;
    size_t label, value;
} vc_chart_bar_rec;

struct vc_chart {
    vc_fontstore *store;       /* a reference on the layout's fonts */
    vc_fontstore *own_store;   /* the shaping context's (fallback fonts) */
    int width, height;         /* chart px */
    double scale, dpi;         /* as the layout's */
    uint32_t background;
    bool transparent;
    uint32_t text_color;       /* 4.5:1 on the background */
    char *title;               /* owned */
    vc_chart_bar_rec *bars;
    size_t n_bars;
    size_t n_more;             /* counted words with no bar */
    size_t n_drawn;            /* words drawn in the cloud */
    size_t respondents;
    double axis_max;
    vc_chart_text *texts;
    size_t n_texts, cap_texts;
    size_t title_text;         /* index of the title in texts[] */
    size_t axis_first, axis_end; /* texts of the axis: [first, end) */
    size_t more_text;          /* SIZE_MAX: no note */
    /* --color-by group: a key naming each group's colour, swatches in
     * key_swatch[] and labels in texts[key_first, key_end) */
    vc_chart_rect key_swatch[3]; /* chosen, both, suggested */
    size_t n_key, key_first, key_end;
    vc_chart_rect *lines;      /* axis line, ticks and grid */
    size_t n_lines, cap_lines;
};

/* render-chart.c */
bool vc_chart_render_png(const vc_chart *chart, FILE *fp, vc_error *err);
bool vc_chart_render_svg(const vc_chart *chart, FILE *fp, vc_error *err);
bool vc_chart_render_pdf(const vc_chart *chart, FILE *fp, vc_error *err);

#endif /* VC_CHART_INTERNAL_H */
