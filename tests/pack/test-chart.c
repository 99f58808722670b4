/* test-chart.c - the ranked bar chart through the engine: bars linear from
 * zero (width / votes the same for every bar), most votes first, "and K
 * more", top_n, the options' struct_size check, a right-to-left label whose
 * glyphs are exactly what hb-shape gives for the word with its font, and a
 * chart that outlives its layout and context (written under ASan in the
 * sanitizer build). */
#include "publish/chart-internal.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARABIC "\xD8\xB5\xD8\xAD\xD8\xA9" /* صحة */

static vc_words *sample_words(void)
{
    static const struct {
        const char *text;
        double count;
    } w[] = {{"wellbeing", 42}, {"prevention", 38}, {"community", 30}, {ARABIC, 21},
             {"zdrowie", 18},   {"family", 16},     {"trust", 7},      {"care", 3}};
    vc_words *words = vc_words_new(NULL);
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        vc_words_add(words, w[i].text, w[i].count, VC_GROUP_WORD, NULL);
    }
    return words;
}

static void check_bars(const vc_chart *chart, const vc_layout *layout, size_t want_bars)
{
    size_t n = vc_chart_bar_count(chart);
    TAP_OK(n == want_bars, "%zu bars, want %zu", n, want_bars);
    double ratio = 0, worst = 0;
    bool ordered = true, from_zero = true;
    for (size_t i = 0; i < n; i++) {
        vc_chart_bar b, prev;
        vc_chart_get_bar(chart, i, &b);
        if (i == 0) {
            ratio = b.w / b.count;
        } else {
            vc_chart_get_bar(chart, i - 1, &prev);
            ordered = ordered && prev.count >= b.count;
            from_zero = from_zero && b.x == prev.x;
        }
        worst = fmax(worst, fabs(b.w / b.count - ratio) / ratio);
    }
    TAP_OK(worst < 1e-9, "every bar's width / votes is the same (worst %.2g)", worst);
    TAP_OK(ordered, "bars most votes first");
    TAP_OK(from_zero, "every bar starts at the same x (zero)");
    size_t more = vc_layout_placed_count(layout) - n + vc_layout_dropped_count(layout);
    TAP_OK(vc_chart_more_count(chart) == more, "'and K more' counts %zu, want %zu",
           vc_chart_more_count(chart), more);
}

/* hb-shape's glyph ids for `text` with `font`, visual order. */
static size_t hb_shape_ids(const char *font, const char *text, unsigned *ids, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "hb-shape --no-glyph-names --no-positions --no-clusters --font-file='%s' '%s'",
             font, text);
    FILE *p = popen(cmd, "r");
    if (!p) {
        return 0;
    }
    char line[1024] = "";
    if (!fgets(line, sizeof line, p)) {
        line[0] = '\0';
    }
    pclose(p);
    size_t n = 0;
    for (char *s = line; *s && n < cap; s++) {
        if (*s >= '0' && *s <= '9') {
            ids[n++] = (unsigned)strtoul(s, &s, 10);
        }
    }
    return n;
}

static void check_rtl_label(const vc_chart *chart)
{
    const vc_chart_text *label = NULL;
    for (size_t i = 0; i < chart->n_bars; i++) {
        if (strcmp(chart->bars[i].text, ARABIC) == 0) {
            label = &chart->texts[chart->bars[i].label];
        }
    }
    TAP_OK(label != NULL, "the Arabic word has a bar");
    if (!label) {
        return;
    }
    TAP_OK(label->shaped.rtl, "its label is shaped right to left");
    const char *font = label->shaped.n ? label->shaped.glyphs[0].font->path : "";
    unsigned want[64];
    size_t n_want = hb_shape_ids(font, ARABIC, want, 64);
    if (n_want == 0) {
        printf("ok %d - # SKIP hb-shape gave nothing (not installed?)\n", ++tap_count);
        return;
    }
    bool same = n_want == label->shaped.n;
    for (size_t i = 0; same && i < n_want; i++) {
        same = label->shaped.glyphs[i].id == want[i];
    }
    TAP_OK(same, "label glyphs = hb-shape's for %s (%zu glyphs, hb-shape %zu)", font,
           label->shaped.n, n_want);
    bool joined = false;
    for (size_t i = 0; i < label->shaped.n; i++) {
        /* Isolated forms would be the cmap's glyphs: a joined word has at
         * least one glyph that is not. */
        FT_Face face = label->shaped.glyphs[i].font->ft;
        joined = joined || FT_Get_Char_Index(face, 0x0635) != label->shaped.glyphs[i].id;
    }
    TAP_OK(joined, "the letters are joined (contextual forms, not isolated ones)");
}

static void check_files(const vc_chart *chart)
{
    char dir[] = "/tmp/vc-chart-XXXXXX";
    TAP_OK(mkdtemp(dir) != NULL, "temporary folder");
    const char *ext[] = {"png", "svg", "pdf"};
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/chart.%s", dir, ext[i]);
        vc_error err = {0};
        bool ok = vc_chart_write(chart, path, &err);
        size_t len = 0;
        char *data = tap_read_file(path, &len);
        TAP_OK(ok && data && len > 100, "chart.%s written (%zu bytes) %s", ext[i], len,
               err.message);
        if (data && i == 1) {
            TAP_OK(strstr(data, "role=\"img\"") && strstr(data, "<title id=\"vc-chart-title\">") &&
                       strstr(data, "<desc id=\"vc-chart-desc\">Bar chart"),
                   "SVG has role=img, a title and a description");
            size_t groups = 0;
            for (const char *s = data; (s = strstr(s, "<g class=\"bar\"><title>")); s++) {
                groups++;
            }
            TAP_OK(groups == chart->n_bars, "each bar is a titled <g> (%zu)", groups);
        }
        free(data);
        unlink(path);
    }
    vc_error err = {0};
    char bad[300];
    snprintf(bad, sizeof bad, "%s/chart.gif", dir);
    TAP_OK(!vc_chart_write(chart, bad, &err) && err.status == VC_ERR_USAGE,
           "an unknown format is a usage error: %s", err.message);
    rmdir(dir);
}

/* Markup in a word reaches the SVG escaped; a long word's label is drawn
 * smaller to fit its column, never over the bars. */
static void check_hostile(vc_context *ctx)
{
    vc_words *w = vc_words_new(NULL);
    vc_words_add(w, "<script>alert(1)</script>&amp", 9, VC_GROUP_WORD, NULL);
    vc_words_add(w, "Supercalifragilisticexpialidocious-and-more-words", 5, VC_GROUP_WORD, NULL);
    vc_render_options ro;
    vc_render_options_init(&ro);
    vc_error err = {0};
    vc_layout *L = vc_layout_new(ctx, w, &ro, &err);
    vc_chart *c = L ? vc_chart_new(L, NULL, &err) : NULL;
    TAP_OK(c != NULL, "chart of hostile words %s", err.message);
    if (c) {
        char path[] = "/tmp/vc-chart-hostile-XXXXXX.svg";
        int fd = mkstemps(path, 4);
        close(fd);
        vc_chart_write_svg(c, path, &err);
        char *svg = tap_read_file(path, NULL);
        TAP_OK(svg && !strstr(svg, "<script") && strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp"),
               "markup in a word is escaped in the chart's SVG");
        free(svg);
        unlink(path);
        bool inside = true;
        for (size_t i = 0; i < c->n_bars; i++) {
            const vc_chart_text *t = &c->texts[c->bars[i].label];
            inside = inside && t->x >= 15.9 &&
                     t->x + t->shaped.advance * t->size <= c->bars[i].rect.x + 1e-6;
        }
        TAP_OK(inside, "every label ends before its bar starts");
    }
    vc_chart_free(c);
    vc_layout_free(L);
    vc_words_free(w);
}

int main(void)
{
    vc_words *words = sample_words();
    vc_context *ctx = vc_context_new(NULL);
    vc_render_options ro;
    vc_render_options_init(&ro);
    ro.width = 600;
    ro.height = 300;
    vc_error err = {0};
    vc_layout *layout = vc_layout_new(ctx, words, &ro, &err);
    TAP_OK(layout != NULL, "layout %s", err.message);
    if (!layout) {
        return 1;
    }
    vc_chart *chart = vc_chart_new(layout, NULL, &err);
    TAP_OK(chart != NULL, "chart with default options %s", err.message);
    check_bars(chart, layout, vc_layout_placed_count(layout));
    check_rtl_label(chart);
    check_hostile(ctx);

    vc_chart_options co;
    vc_chart_options_init(&co);
    co.top_n = 3;
    vc_chart *top3 = vc_chart_new(layout, &co, &err);
    TAP_OK(top3 != NULL, "chart of the top 3 %s", err.message);
    check_bars(top3, layout, 3);
    char *alt = vc_chart_alt_text(top3);
    TAP_OK(alt && strstr(alt, "wellbeing 42, prevention 38, community 30") &&
               strstr(alt, "more not shown") && strlen(alt) <= 250,
           "alt text names the top words with votes and the rest: %s", alt ? alt : "(null)");
    free(alt);
    vc_chart_free(top3);

    co.struct_size = sizeof co + 8;
    vc_error e2 = {0};
    TAP_OK(!vc_chart_new(layout, &co, &e2) && e2.status == VC_ERR_USAGE,
           "a struct_size larger than the library knows is refused: %s", e2.message);
    vc_chart_options_init(&co);
    co.width = 100;
    vc_error e3 = {0};
    TAP_OK(!vc_chart_new(layout, &co, &e3) && e3.status == VC_ERR_USAGE,
           "a chart too narrow for bars is refused: %s", e3.message);

    /* The chart keeps what it draws: free everything else first. */
    vc_layout_free(layout);
    vc_context_free(ctx);
    vc_words_free(words);
    check_files(chart);
    vc_chart_free(chart);
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}
