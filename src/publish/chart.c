/* chart.c - the ranked bar chart of a layout's drawn words: laid out once
 * (labels, bars, values, axis, note) and kept immutable, so PNG, SVG and
 * PDF (render-chart.c) draw the same thing.  The labels are the glyph runs
 * the cloud drew, copied: one shaping path, so a right-to-left word reads
 * the same in both; other text is shaped by shape.c with the layout's
 * fonts. */
#include "publish/chart-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Secondary text and the axis, darkened to 4.5:1 on the background. */
#define CHART_TEXT 0x212B32
#define CHART_GRID 0xD8DDE0
#define TEXT_RATIO 4.5
/* Bars are graphics: WCAG 1.4.11 asks 3:1 against what is next to them. */
#define BAR_RATIO 3.0
#define ALT_MAX_CHARS 250
#define ALT_TOP_MAX 5

void vc_chart_options_init(vc_chart_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->width = VC_CHART_WIDTH_DEFAULT;
    opts->font_size = VC_CHART_FONT_SIZE_DEFAULT;
}

static bool check_options(const vc_chart_options *o, vc_error *err)
{
    if (o->width < VC_WIDTH_MIN || o->width > VC_WIDTH_MAX) {
        return vc_fail(err, VC_ERR_USAGE, "chart width %d is outside %d..%d", o->width,
                       VC_WIDTH_MIN, VC_WIDTH_MAX);
    }
    if (!(o->font_size >= VC_CHART_FONT_SIZE_MIN && o->font_size <= VC_CHART_FONT_SIZE_MAX)) {
        return vc_fail(err, VC_ERR_USAGE, "chart font size %g is outside %g..%g", o->font_size,
                       VC_CHART_FONT_SIZE_MIN, VC_CHART_FONT_SIZE_MAX);
    }
    if (o->title && !vc_text_check_utf8(o->title, strlen(o->title), "chart title", err)) {
        return false;
    }
    return true;
}

/* ---- texts ---------------------------------------------------------------- */

/* What vc_chart_new works with while it lays the chart out. */
typedef struct chart_build {
    vc_chart *C;
    const vc_layout *L;
    vc_context *ctx;  /* shapes the non-label texts; fallback fonts go here */
    vc_fontset fonts; /* the layout's fonts, copied (the layout is const) */
    double fs;        /* label size */
} chart_build;

static vc_chart_text *text_new(vc_chart *C, vc_error *err)
{
    if (!vc_grow((void **)&C->texts, &C->cap_texts, C->n_texts + 1, sizeof *C->texts)) {
        vc_fail_nomem(err, "chart text");
        return NULL;
    }
    vc_chart_text *t = &C->texts[C->n_texts];
    memset(t, 0, sizeof *t);
    return t;
}

/* Shapes `s` (copied) at `size`; its origin is set by the caller. */
static vc_chart_text *add_text(chart_build *b, const char *s, double size, vc_error *err)
{
    vc_chart_text *t = text_new(b->C, err);
    if (!t) {
        return NULL;
    }
    if (!(t->text = vc_strdup(s))) {
        vc_fail_nomem(err, "chart text");
        return NULL;
    }
    if (!vc_shape_word(b->ctx, &b->fonts, s, &t->shaped, err)) {
        free(t->text);
        return NULL;
    }
    t->size = size;
    t->color = b->C->text_color;
    b->C->n_texts++;
    return t;
}

/* A copy of the run the cloud drew `pw` with. */
static vc_chart_text *add_label(chart_build *b, const vc_placed_word *pw, vc_error *err)
{
    vc_chart_text *t = text_new(b->C, err);
    if (!t) {
        return NULL;
    }
    const vc_shaped *src = &pw->shaped;
    t->shaped = *src;
    t->shaped.glyphs = src->n ? vc_malloc2(src->n, sizeof *src->glyphs) : NULL;
    t->text = vc_strdup(pw->text);
    if ((src->n && !t->shaped.glyphs) || !t->text) {
        free(t->shaped.glyphs);
        free(t->text);
        vc_fail_nomem(err, "chart label");
        return NULL;
    }
    if (src->n) {
        memcpy(t->shaped.glyphs, src->glyphs, src->n * sizeof *src->glyphs);
    }
    t->size = b->fs;
    t->color = b->C->text_color;
    b->C->n_texts++;
    return t;
}

static bool add_line(vc_chart *C, double x, double y, double w, double h, uint32_t color,
                     vc_error *err)
{
    if (!vc_grow((void **)&C->lines, &C->cap_lines, C->n_lines + 1, sizeof *C->lines)) {
        return vc_fail_nomem(err, "chart axis");
    }
    C->lines[C->n_lines++] = (vc_chart_rect){x, y, w, h, color};
    return true;
}

/* "1234" or "12.5": votes as the cloud's table prints them. */
static char *number_text(double v)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_number(&b, v, 2);
    if (b.failed) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}

/* ---- geometry -------------------------------------------------------------- */

/* The smallest of 1, 2, 2.5, 5 x 10^k at or above `v`, with its tick step,
 * so the axis reads in round numbers and every bar fits under it. */
static double nice_max(double v, double *step)
{
    if (!(v > 0)) {
        *step = 1;
        return 1;
    }
    double p = pow(10, floor(log10(v)));
    static const double m[] = {1, 2, 2.5, 5, 10};
    static const double s[] = {0.2, 0.5, 0.5, 1, 2};
    for (size_t i = 0; i < 5; i++) {
        if (m[i] * p >= v * (1 - 1e-12)) {
            *step = s[i] * p;
            /* Whole votes: no tick at 0.5 of a vote. */
            if (*step < 1 && m[i] * p >= 1) {
                *step = 1;
            }
            return m[i] * p;
        }
    }
    *step = 2 * p;
    return 10 * p;
}

static double advance(const vc_chart_text *t)
{
    return t->shaped.advance * t->size;
}

/* The layout's drawn words most votes first, then by text, as the table
 * lists them (the placement order is by votes too, but ties may differ). */
static int placed_cmp(const void *a, const void *b)
{
    const vc_placed_word *x = *(const vc_placed_word *const *)a;
    const vc_placed_word *y = *(const vc_placed_word *const *)b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return strcmp(x->text, y->text);
}

typedef struct chart_geom {
    double pad, row_h, bar_h, label_w, x0, bar_max, plot_top;
} chart_geom;

/* Labels right-aligned against the bars; a label wider than its column
 * is drawn smaller, never cut (the bar and value carry the data). */
static void place_labels(chart_build *b, const chart_geom *g)
{
    vc_chart *C = b->C;
    for (size_t i = 0; i < C->n_bars; i++) {
        vc_chart_text *t = &C->texts[C->bars[i].label];
        double w = advance(t);
        if (w > g->label_w && w > 0) {
            t->size *= g->label_w / w;
            w = advance(t);
        }
        double mid = g->plot_top + (i + 0.5) * g->row_h;
        t->x = g->pad + g->label_w - w;
        t->y = mid + 0.35 * t->size;
    }
}

static bool place_bars(chart_build *b, const chart_geom *g, vc_error *err)
{
    vc_chart *C = b->C;
    for (size_t i = 0; i < C->n_bars; i++) {
        vc_chart_bar_rec *bar = &C->bars[i];
        double top = g->plot_top + i * g->row_h + (g->row_h - g->bar_h) / 2;
        bar->rect.x = g->x0;
        bar->rect.y = top;
        bar->rect.w = bar->count / C->axis_max * g->bar_max;
        bar->rect.h = g->bar_h;
        char *v = number_text(bar->count);
        vc_chart_text *t = v ? add_text(b, v, b->fs, err) : NULL;
        free(v);
        if (!t) {
            return v ? false : vc_fail_nomem(err, "chart value");
        }
        bar->value = C->n_texts - 1;
        t->x = g->x0 + bar->rect.w + 0.4 * b->fs;
        t->y = top + g->bar_h / 2 + 0.35 * b->fs;
    }
    return true;
}

/* The axis under the bars: a line, a tick and grid line per step, the
 * numbers, and what they count. */
static bool place_axis(chart_build *b, const chart_geom *g, double step, double *bottom,
                       vc_error *err)
{
    vc_chart *C = b->C;
    double y = g->plot_top + C->n_bars * g->row_h + 2;
    double tick_fs = b->fs * 0.85;
    C->axis_first = C->n_texts;
    if (!add_line(C, g->x0, y, g->bar_max, 1, C->text_color, err)) {
        return false;
    }
    size_t n_ticks = (size_t)llround(C->axis_max / step);
    for (size_t k = 0; k <= n_ticks; k++) {
        double v = k * step;
        double x = g->x0 + v / C->axis_max * g->bar_max;
        if ((k > 0 && !add_line(C, x - 0.5, g->plot_top, 1, y - g->plot_top, CHART_GRID, err)) ||
            !add_line(C, x - 0.5, y, 1, 5, C->text_color, err)) {
            return false;
        }
        char *s = number_text(v);
        vc_chart_text *t = s ? add_text(b, s, tick_fs, err) : NULL;
        free(s);
        if (!t) {
            return s ? false : vc_fail_nomem(err, "chart axis");
        }
        t->x = x - advance(t) / 2;
        t->y = y + 6 + tick_fs;
    }
    vc_chart_text *t = add_text(b, "Votes", tick_fs, err);
    if (!t) {
        return false;
    }
    t->x = g->x0 + g->bar_max / 2 - advance(t) / 2;
    t->y = y + 6 + 2.4 * tick_fs;
    C->axis_end = C->n_texts;
    *bottom = t->y + 0.4 * tick_fs;
    return true;
}

static bool place_more(chart_build *b, const chart_geom *g, double *bottom, vc_error *err)
{
    vc_chart *C = b->C;
    C->more_text = SIZE_MAX;
    if (C->n_more == 0) {
        return true;
    }
    vc_buf s;
    vc_buf_init(&s);
    vc_buf_printf(&s, "and %zu more word%s not shown as bars: see the table", C->n_more,
                  C->n_more == 1 ? "" : "s");
    vc_chart_text *t = s.failed ? NULL : add_text(b, s.data, b->fs * 0.9, err);
    bool failed = s.failed;
    vc_buf_finish(&s);
    if (!t) {
        return failed ? vc_fail_nomem(err, "chart note") : false;
    }
    C->more_text = C->n_texts - 1;
    t->x = g->pad;
    t->y = *bottom + 1.6 * t->size;
    *bottom = t->y + 0.4 * t->size;
    return true;
}

/* The bar colour: the word's cloud colour, made to stand out 3:1 from the
 * background when the layout checks contrast. */
static uint32_t bar_color(const vc_layout *L, uint32_t c)
{
    return L->opts.contrast ? vc_contrast_adjust(c, L->contrast_rgb, BAR_RATIO) : c;
}

static bool gather_bars(chart_build *b, const vc_chart_options *o, vc_error *err)
{
    vc_chart *C = b->C;
    const vc_layout *L = b->L;
    const vc_placed_word **order = L->n_placed ? vc_malloc2(L->n_placed, sizeof *order) : NULL;
    if (L->n_placed && !order) {
        return vc_fail_nomem(err, "chart bars");
    }
    for (size_t i = 0; i < L->n_placed; i++) {
        order[i] = &L->placed[i];
    }
    if (L->n_placed) {
        qsort(order, L->n_placed, sizeof *order, placed_cmp);
    }
    size_t n = L->n_placed;
    if (o->top_n && o->top_n < n) {
        n = o->top_n;
    }
    if (n > VC_CHART_MAX_BARS) {
        n = VC_CHART_MAX_BARS;
    }
    C->n_drawn = L->n_placed;
    C->n_more = L->n_placed - n + L->n_dropped;
    C->bars = n ? vc_calloc2(n, sizeof *C->bars) : NULL;
    bool ok = !n || C->bars;
    for (size_t i = 0; ok && i < n; i++) {
        vc_chart_bar_rec *bar = &C->bars[i];
        bar->count = order[i]->count;
        bar->group = order[i]->group;
        bar->rect.color = bar_color(L, order[i]->color);
        ok = (bar->text = vc_strdup(order[i]->text)) != NULL;
        ok = ok && add_label(b, order[i], err);
        bar->label = C->n_texts - 1;
        C->n_bars = i + 1;
    }
    free(order);
    return ok || vc_fail_nomem(err, "chart bars");
}

/* With colour by group, colour means something: say what (WCAG 1.4.1),
 * with a swatch of each group's bar colour and its name. */
static bool place_key(chart_build *b, const chart_geom *g, double *bottom, vc_error *err)
{
    vc_chart *C = b->C;
    C->key_first = C->key_end = C->n_texts;
    if (b->L->opts.color_by != VC_COLOR_BY_GROUP) {
        return true;
    }
    static const vc_group groups[3] = {VC_GROUP_CHOSEN, VC_GROUP_BOTH, VC_GROUP_SUGGESTED};
    static const char *const names[3] = {"chosen from the list", "both chosen and written in",
                                         "suggested (written in)"};
    double fs = b->fs * 0.9, x = g->pad, y = *bottom + 1.6 * fs;
    vc_chart_text *t = add_text(b, "Colour:", fs, err);
    if (!t) {
        return false;
    }
    t->x = x;
    t->y = y;
    x += advance(t) + 0.6 * fs;
    for (size_t k = 0; k < 3; k++) {
        const vc_chart_bar_rec *bar = NULL;
        for (size_t i = 0; !bar && i < C->n_bars; i++) {
            bar = C->bars[i].group == groups[k] ? &C->bars[i] : NULL;
        }
        if (!bar) {
            continue;
        }
        C->key_swatch[C->n_key++] = (vc_chart_rect){x, y - 0.8 * fs, 0.9 * fs, 0.9 * fs,
                                                    bar->rect.color};
        x += 1.3 * fs;
        if (!(t = add_text(b, names[k], fs, err))) {
            return false;
        }
        t->x = x;
        t->y = y;
        x += advance(t) + 1.2 * fs;
    }
    C->key_end = C->n_texts;
    *bottom = y + 0.4 * fs;
    return true;
}

static bool lay_out(chart_build *b, const vc_chart_options *o, vc_error *err)
{
    vc_chart *C = b->C;
    double fs = b->fs;
    chart_geom g = {.pad = 16, .row_h = round(fs * 1.75), .bar_h = round(fs * 1.2)};
    double title_fs = fs * 1.25;
    /* An empty title would leave the SVG without an accessible name. */
    const char *title = o->title && *o->title             ? o->title
                        : b->L->title && *b->L->title ? b->L->title
                                                      : "Votes per word";
    if (!(C->title = vc_strdup(title))) {
        return vc_fail_nomem(err, "chart title");
    }
    vc_chart_text *t = add_text(b, title, title_fs, err);
    if (!t) {
        return false;
    }
    C->title_text = C->n_texts - 1;
    t->x = g.pad;
    t->y = g.pad + title_fs;
    if (advance(t) > C->width - 2 * g.pad) {
        t->size *= (C->width - 2 * g.pad) / advance(t);
    }
    g.plot_top = t->y + title_fs * 0.9;
    if (!gather_bars(b, o, err)) {
        return false;
    }
    double step, max_count = C->n_bars ? C->bars[0].count : 0;
    C->axis_max = nice_max(max_count, &step);
    /* The label column: as wide as the widest label, at most 40% of the
     * chart; the values need room after the longest bar. */
    double widest = 0;
    for (size_t i = 0; i < C->n_bars; i++) {
        widest = fmax(widest, advance(&C->texts[C->bars[i].label]));
    }
    g.label_w = fmin(widest, 0.4 * C->width - g.pad);
    g.x0 = g.pad + g.label_w + 0.6 * fs;
    char *v = number_text(C->axis_max);
    double value_w = v ? (strlen(v) + 1) * 0.62 * fs : 8 * fs;
    free(v);
    g.bar_max = C->width - g.pad - g.x0 - value_w;
    if (g.bar_max < 4 * fs) {
        return vc_fail(err, VC_ERR_USAGE, "chart width %d leaves no room for bars beside "
                       "the labels; make the chart wider", C->width);
    }
    place_labels(b, &g);
    double bottom = 0;
    if (!place_bars(b, &g, err) || !place_axis(b, &g, step, &bottom, err) ||
        !place_more(b, &g, &bottom, err) || !place_key(b, &g, &bottom, err)) {
        return false;
    }
    double h = ceil(bottom + g.pad);
    if (h > VC_HEIGHT_MAX) {
        return vc_fail(err, VC_ERR_USAGE, "chart of %zu bars is %.0f px tall, more than %d; "
                       "chart fewer words", C->n_bars, h, VC_HEIGHT_MAX);
    }
    C->height = (int)h;
    return true;
}

static void fontset_copy(vc_fontset *dst, const vc_fontset *src, bool *ok)
{
    memset(dst, 0, sizeof *dst);
    dst->fonts = src->n ? vc_malloc2(src->n, sizeof *src->fonts) : NULL;
    *ok = !src->n || dst->fonts;
    if (*ok && src->n) {
        memcpy(dst->fonts, src->fonts, src->n * sizeof *src->fonts);
        dst->n = dst->cap = src->n;
    }
}

vc_chart *vc_chart_new(const vc_layout *layout, const vc_chart_options *opts, vc_error *err)
{
    if (!layout) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_chart_new: no layout");
        return NULL;
    }
    vc_chart_options o;
    vc_chart_options_init(&o);
    if ((opts && !vc_options_adopt(opts, sizeof o, &o, "vc_chart_options", err)) ||
        !check_options(&o, err)) {
        return NULL;
    }
    vc_chart *C = calloc(1, sizeof *C);
    chart_build b = {.C = C, .L = layout, .fs = o.font_size};
    bool ok = C != NULL;
    if (ok) {
        fontset_copy(&b.fonts, &layout->fonts, &ok);
    }
    if (!ok) {
        free(C);
        vc_fail_nomem(err, "chart");
        return NULL;
    }
    C->store = vc_fontstore_ref(layout->store);
    C->width = o.width;
    C->scale = vc_render_scale(layout);
    C->dpi = vc_render_dpi(layout);
    C->background = layout->background_rgb;
    C->transparent = layout->transparent;
    C->respondents = layout->respondents;
    C->text_color = vc_contrast_adjust(CHART_TEXT, layout->contrast_rgb, TEXT_RATIO);
    b.ctx = vc_context_new(err);
    ok = b.ctx && lay_out(&b, &o, err);
    if (b.ctx) {
        C->own_store = vc_fontstore_ref(b.ctx->store);
    }
    vc_context_free(b.ctx);
    vc_fontset_finish(&b.fonts);
    if (!ok) {
        vc_chart_free(C);
        return NULL;
    }
    return C;
}

void vc_chart_free(vc_chart *chart)
{
    if (!chart) {
        return;
    }
    for (size_t i = 0; i < chart->n_texts; i++) {
        free(chart->texts[i].text);
        vc_shaped_finish(&chart->texts[i].shaped);
    }
    for (size_t i = 0; i < chart->n_bars; i++) {
        free(chart->bars[i].text);
    }
    free(chart->texts);
    free(chart->bars);
    free(chart->lines);
    free(chart->title);
    if (chart->store) {
        vc_fontstore_unref(chart->store);
    }
    if (chart->own_store) {
        vc_fontstore_unref(chart->own_store);
    }
    free(chart);
}

/* ---- getters ----------------------------------------------------------------- */

size_t vc_chart_bar_count(const vc_chart *chart)
{
    return chart ? chart->n_bars : 0;
}

bool vc_chart_get_bar(const vc_chart *chart, size_t i, vc_chart_bar *out)
{
    if (!chart || i >= chart->n_bars || !out) {
        return false;
    }
    const vc_chart_bar_rec *b = &chart->bars[i];
    *out = (vc_chart_bar){b->text, b->count, b->rect.x, b->rect.y, b->rect.w, b->rect.h,
                          b->rect.color};
    return true;
}

size_t vc_chart_more_count(const vc_chart *chart)
{
    return chart ? chart->n_more : 0;
}

int vc_chart_width(const vc_chart *chart)
{
    return chart ? chart->width : 0;
}

int vc_chart_height(const vc_chart *chart)
{
    return chart ? chart->height : 0;
}

/* ---- alt text ---------------------------------------------------------------- */

/* Appends text with controls as spaces (alt text is one line). */
static void put_plain(vc_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = (unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s;
        vc_buf_append(b, &c, 1);
    }
}

static void render_alt(vc_buf *b, const vc_chart *C, size_t top)
{
    b->len = 0;
    vc_buf_puts(b, "Bar chart");
    if (C->title && strcmp(C->title, "Votes per word") != 0) {
        vc_buf_puts(b, ", ");
        put_plain(b, C->title);
    }
    vc_buf_printf(b, ": votes for %zu word%s, most first", C->n_bars, C->n_bars == 1 ? "" : "s");
    for (size_t i = 0; i < top; i++) {
        vc_buf_puts(b, i == 0 ? ". Top: " : ", ");
        put_plain(b, C->bars[i].text);
        vc_buf_puts(b, " ");
        vc_buf_number(b, C->bars[i].count, 2);
    }
    vc_buf_puts(b, ".");
    if (C->n_more) {
        vc_buf_printf(b, " And %zu more not shown.", C->n_more);
    }
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return n;
}

char *vc_chart_alt_text(const vc_chart *chart)
{
    if (!chart) {
        return NULL;
    }
    vc_buf b;
    vc_buf_init(&b);
    size_t top = chart->n_bars < ALT_TOP_MAX ? chart->n_bars : ALT_TOP_MAX;
    /* Built to fit: fewer top words rather than a cut sentence. */
    for (;; top--) {
        render_alt(&b, chart, top);
        if (b.failed || top == 0 || utf8_chars(b.data, b.len) <= ALT_MAX_CHARS) {
            break;
        }
    }
    if (b.failed) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}

/* ---- files -------------------------------------------------------------------- */

typedef bool (*chart_render_fn)(const vc_chart *, FILE *, vc_error *);

static bool write_with(const vc_chart *chart, const char *path, chart_render_fn fn,
                       vc_error *err)
{
    if (!chart || !path) {
        return vc_fail(err, VC_ERR_SOFTWARE, "chart write: no chart or path");
    }
    vc_atomic a;
    if (!vc_atomic_open(&a, path, err)) {
        return false;
    }
    vc_error why = {0};
    if (!fn(chart, a.fp, &why)) {
        vc_atomic_abort(&a);
        if (why.status == VC_ERR_IO) {
            return vc_fail(err, why.status, "%s: %s", path, why.message);
        }
        return vc_fail(err, why.status, "%s", why.message);
    }
    return vc_atomic_commit(&a, err);
}

bool vc_chart_write_png(const vc_chart *chart, const char *path, vc_error *err)
{
    return write_with(chart, path, vc_chart_render_png, err);
}

bool vc_chart_write_svg(const vc_chart *chart, const char *path, vc_error *err)
{
    return write_with(chart, path, vc_chart_render_svg, err);
}

bool vc_chart_write_pdf(const vc_chart *chart, const char *path, vc_error *err)
{
    return write_with(chart, path, vc_chart_render_pdf, err);
}

bool vc_chart_write(const vc_chart *chart, const char *path, vc_error *err)
{
    switch (vc_output_format_for_path(path)) {
    case VC_OUTPUT_PNG:
        return vc_chart_write_png(chart, path, err);
    case VC_OUTPUT_SVG:
        return vc_chart_write_svg(chart, path, err);
    case VC_OUTPUT_PDF:
        return vc_chart_write_pdf(chart, path, err);
    case VC_OUTPUT_UNKNOWN:
        break;
    }
    return vc_fail(err, VC_ERR_USAGE, "%s: unknown chart format; use a .png, .svg or .pdf name",
                   path ? path : "(null)");
}
