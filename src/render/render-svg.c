/* render-svg.c - SVG output written directly.  Glyph outlines become paths
 * (so the file needs no fonts and looks the same everywhere), each distinct
 * glyph defined once in <defs> and placed with <use>; every word is its own
 * <g> with a <title>, and the document carries the alt text for screen
 * readers.  Numbers are printed without the C locale. */
#include "render/render.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distinct (font, glyph) pairs, numbered in order of first use so the
 * output does not depend on addresses. */
typedef struct glyph_slot {
    const vc_font *font;
    uint32_t gid;
    int id;          /* -1: empty slot */
    bool has_outline;
} glyph_slot;

typedef struct glyph_table {
    glyph_slot *slots;
    size_t cap, n; /* cap is a power of two */
} glyph_table;

static size_t slot_hash(const vc_font *font, uint32_t gid)
{
    uint64_t h = (uint64_t)(uintptr_t)font * 0x9E3779B97F4A7C15u ^ gid;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    return (size_t)(h ^ (h >> 32));
}

static bool table_init(glyph_table *t, size_t expect)
{
    t->cap = 64;
    while (t->cap < expect * 2) {
        t->cap *= 2;
    }
    t->n = 0;
    t->slots = vc_malloc2(t->cap, sizeof *t->slots);
    if (!t->slots) {
        return false;
    }
    for (size_t i = 0; i < t->cap; i++) {
        t->slots[i].id = -1;
    }
    return true;
}

/* The slot of (font, gid), added when new (the table never fills: it is
 * sized for every glyph of the layout). */
static glyph_slot *table_get(glyph_table *t, const vc_font *font,
                             uint32_t gid, bool *added)
{
    size_t mask = t->cap - 1;
    for (size_t i = slot_hash(font, gid) & mask;; i = (i + 1) & mask) {
        glyph_slot *s = &t->slots[i];
        if (s->id < 0) {
            *s = (glyph_slot){font, gid, (int)t->n++, false};
            *added = true;
            return s;
        }
        if (s->font == font && s->gid == gid) {
            *added = false;
            return s;
        }
    }
}

/* ---- outlines ---------------------------------------------------------- */

typedef struct path_out {
    vc_buf *buf;
    size_t start; /* buf->len before the glyph */
} path_out;

static void put_point(vc_buf *b, float x, float y)
{
    vc_buf_number(b, x, 2);
    vc_buf_puts(b, " ");
    /* Font units are y-up; SVG is y-down. */
    vc_buf_number(b, -y, 2);
}

static void on_move_to(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st,
                       float x, float y, void *user)
{
    VC_UNUSED(df), VC_UNUSED(st), VC_UNUSED(user);
    path_out *p = data;
    vc_buf_puts(p->buf, "M");
    put_point(p->buf, x, y);
}

static void on_line_to(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st,
                       float x, float y, void *user)
{
    VC_UNUSED(df), VC_UNUSED(st), VC_UNUSED(user);
    path_out *p = data;
    vc_buf_puts(p->buf, "L");
    put_point(p->buf, x, y);
}

static void on_quad_to(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st,
                       float cx, float cy, float x, float y, void *user)
{
    VC_UNUSED(df), VC_UNUSED(st), VC_UNUSED(user);
    path_out *p = data;
    vc_buf_puts(p->buf, "Q");
    put_point(p->buf, cx, cy);
    vc_buf_puts(p->buf, " ");
    put_point(p->buf, x, y);
}

static void on_cubic_to(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st,
                        float c1x, float c1y, float c2x, float c2y, float x,
                        float y, void *user)
{
    VC_UNUSED(df), VC_UNUSED(st), VC_UNUSED(user);
    path_out *p = data;
    vc_buf_puts(p->buf, "C");
    put_point(p->buf, c1x, c1y);
    vc_buf_puts(p->buf, " ");
    put_point(p->buf, c2x, c2y);
    vc_buf_puts(p->buf, " ");
    put_point(p->buf, x, y);
}

static void on_close(hb_draw_funcs_t *df, void *data, hb_draw_state_t *st,
                     void *user)
{
    VC_UNUSED(df), VC_UNUSED(st), VC_UNUSED(user);
    path_out *p = data;
    vc_buf_puts(p->buf, "Z");
}

static hb_draw_funcs_t *draw_funcs_new(void)
{
    hb_draw_funcs_t *df = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(df, on_move_to, NULL, NULL);
    hb_draw_funcs_set_line_to_func(df, on_line_to, NULL, NULL);
    hb_draw_funcs_set_quadratic_to_func(df, on_quad_to, NULL, NULL);
    hb_draw_funcs_set_cubic_to_func(df, on_cubic_to, NULL, NULL);
    hb_draw_funcs_set_close_path_func(df, on_close, NULL, NULL);
    hb_draw_funcs_make_immutable(df);
    return df;
}

/* Appends <path id="gN" d="..."/> for a new glyph; glyphs without an
 * outline (spaces) get nothing and are never <use>d. */
static void define_glyph(vc_buf *b, hb_draw_funcs_t *df, glyph_slot *s)
{
    size_t start = b->len;
    vc_buf_printf(b, "<path id=\"g%d\" d=\"", s->id);
    size_t d_start = b->len;
    path_out p = {b, start};
    /* At scale = upem HarfBuzz draws in font units.  The function was
     * renamed in 7.0 and the old name deprecated (-Werror). */
#if HB_VERSION_ATLEAST(7, 0, 0)
    hb_font_draw_glyph(s->font->hb, s->gid, df, &p);
#else
    hb_font_get_glyph_shape(s->font->hb, s->gid, df, &p);
#endif
    if (b->failed) {
        return;
    }
    if (b->len == d_start) {
        b->len = start;
        b->data[start] = '\0';
        return;
    }
    s->has_outline = true;
    vc_buf_puts(b, "\"/>\n");
}

/* ---- document ---------------------------------------------------------- */

/* False when the alt text or provenance ran out of memory: an image
 * without its description must not be published as if complete. */
static bool put_header(vc_buf *b, const vc_layout *layout, double scale)
{
    vc_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                   "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                   "version=\"1.1\" width=\"");
    vc_buf_number(b, layout->width * scale, 2);
    vc_buf_puts(b, "\" height=\"");
    vc_buf_number(b, layout->height * scale, 2);
    vc_buf_printf(b, "\" viewBox=\"0 0 %d %d\" role=\"img\" "
                     "aria-labelledby=\"vc-title\" aria-describedby=\"vc-desc\">\n",
                  layout->width, layout->height);
    vc_buf_puts(b, "<title id=\"vc-title\">");
    vc_buf_xml_escape(b, layout->title ? layout->title : "Word cloud");
    vc_buf_puts(b, "</title>\n<desc id=\"vc-desc\">");
    char *alt = vc_layout_alt_text(layout);
    char *provenance = vc_layout_provenance(layout);
    if (alt && provenance) {
        vc_buf_xml_escape(b, alt);
        vc_buf_puts(b, "</desc>\n<metadata id=\"vc-provenance\">votecloud "
                       VC_VERSION_STRING " ");
        vc_buf_xml_escape(b, provenance);
        vc_buf_puts(b, "</metadata>\n");
    }
    bool ok = alt && provenance;
    free(alt);
    free(provenance);
    return ok;
}

static void put_word_title(vc_buf *b, const vc_run *run)
{
    vc_buf_puts(b, "<title>");
    vc_buf_xml_escape(b, run->text);
    vc_buf_puts(b, ": ");
    vc_buf_number(b, run->count, 2);
    vc_buf_puts(b, run->count == 1 ? " vote</title>" : " votes</title>");
}

/* The <use> of each glyph of a run, in font units of the run's first
 * glyph's font (`upem0`). */
static void put_uses(vc_buf *b, glyph_table *t, const vc_shaped *shaped,
                     unsigned upem0)
{
    for (size_t i = 0; i < shaped->n; i++) {
        const vc_glyph *g = &shaped->glyphs[i];
        bool added;
        const glyph_slot *s = table_get(t, g->font, g->id, &added);
        if (!s->has_outline) {
            continue;
        }
        unsigned upem = g->font->upem;
        vc_buf_printf(b, "<use xlink:href=\"#g%d\" x=\"", s->id);
        vc_buf_number(b, g->x * upem, 2);
        vc_buf_puts(b, "\" y=\"");
        vc_buf_number(b, g->y * upem, 2);
        vc_buf_puts(b, "\"");
        if (upem != upem0) {
            vc_buf_puts(b, " transform=\"scale(");
            vc_buf_number(b, (double)upem0 / upem, 8);
            vc_buf_puts(b, ")\"");
        }
        vc_buf_puts(b, "/>");
    }
}

static unsigned first_upem(const vc_shaped *shaped)
{
    return shaped->n ? shaped->glyphs[0].font->upem : 1000;
}

/* One word: a group placing its baseline origin, rotated about it and
 * scaled to font units of its first glyph's font. */
static void put_word(vc_buf *b, glyph_table *t, const vc_run *run)
{
    vc_buf_puts(b, "<g fill=\"");
    vc_put_rgb_hex(b, run->color);
    vc_buf_printf(b, "\" transform=\"translate(%d %d)", run->x, run->y);
    if (run->rotation != 0) {
        vc_buf_puts(b, " rotate(");
        vc_buf_number(b, run->rotation, 4);
        vc_buf_puts(b, ")");
    }
    unsigned upem0 = first_upem(run->shaped);
    vc_buf_puts(b, " scale(");
    vc_buf_number(b, run->size / upem0, 8);
    vc_buf_puts(b, ")\">");
    put_word_title(b, run);
    put_uses(b, t, run->shaped, upem0);
    vc_buf_puts(b, "</g>\n");
}

/* The legend's runs: one group in the legend's colour with the whole key
 * as its <title>. */
static void put_legend(vc_buf *b, glyph_table *t, const vc_drawing *dr)
{
    if (dr->n == dr->n_words) {
        return;
    }
    vc_buf_puts(b, "<g id=\"vc-legend\" fill=\"");
    vc_put_rgb_hex(b, dr->legend_color);
    vc_buf_puts(b, "\"><title>");
    vc_buf_xml_escape(b, dr->legend_title);
    vc_buf_puts(b, "</title>\n");
    for (size_t i = dr->n_words; i < dr->n; i++) {
        const vc_run *run = &dr->runs[i];
        unsigned upem0 = first_upem(run->shaped);
        vc_buf_printf(b, "<g transform=\"translate(%d %d) scale(", run->x, run->y);
        vc_buf_number(b, run->size / upem0, 8);
        vc_buf_puts(b, ")\"");
        if (run->color != dr->legend_color) {
            vc_buf_puts(b, " fill=\"");
            vc_put_rgb_hex(b, run->color);
            vc_buf_puts(b, "\"");
        }
        vc_buf_puts(b, ">");
        put_uses(b, t, run->shaped, upem0);
        vc_buf_puts(b, "</g>\n");
    }
    vc_buf_puts(b, "</g>\n");
}

static void define_run(vc_buf *b, glyph_table *t, hb_draw_funcs_t *df,
                       const vc_shaped *sh)
{
    for (size_t k = 0; k < sh->n; k++) {
        bool added;
        glyph_slot *s = table_get(t, sh->glyphs[k].font, sh->glyphs[k].id, &added);
        if (added) {
            define_glyph(b, df, s);
        }
    }
}

static bool build(vc_buf *b, const vc_layout *layout, vc_error *err)
{
    const vc_drawing *dr = &layout->drawing;
    size_t glyphs = 0;
    for (size_t i = 0; i < dr->n; i++) {
        glyphs += dr->runs[i].shaped->n;
    }
    glyph_table t;
    if (!table_init(&t, glyphs)) {
        return vc_fail_nomem(err, "SVG glyph table");
    }
    if (!put_header(b, layout, vc_render_scale(layout))) {
        free(t.slots);
        return vc_fail_nomem(err, "SVG description");
    }
    vc_buf_puts(b, "<defs>\n");
    hb_draw_funcs_t *df = draw_funcs_new();
    for (size_t i = 0; i < dr->n; i++) {
        define_run(b, &t, df, dr->runs[i].shaped);
    }
    hb_draw_funcs_destroy(df);
    vc_buf_puts(b, "</defs>\n");
    if (!layout->transparent) {
        vc_buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"",
                      layout->width, layout->height);
        vc_put_rgb_hex(b, layout->background_rgb);
        vc_buf_puts(b, "\"/>\n");
    }
    for (size_t i = 0; i < dr->n_words; i++) {
        put_word(b, &t, &dr->runs[i]);
    }
    put_legend(b, &t, dr);
    vc_buf_puts(b, "</svg>\n");
    free(t.slots);
    if (b->failed) {
        return vc_fail_nomem(err, "SVG document");
    }
    return true;
}

bool vc_render_svg(const vc_layout *layout, FILE *fp, vc_error *err)
{
    vc_buf b;
    vc_buf_init(&b);
    bool ok = build(&b, layout, err);
    if (ok && (fwrite(b.data, 1, b.len, fp) != b.len || fflush(fp) != 0)) {
        ok = vc_fail_errno(err, VC_ERR_IO, "SVG output", "cannot write",
                           errno);
    }
    vc_buf_finish(&b);
    return ok;
}

/* ---- glyph runs for other documents (the bar chart, chart.c) ------------- */

struct vc_svg_glyphs {
    glyph_table t;
    hb_draw_funcs_t *df;
};

vc_svg_glyphs *vc_svg_glyphs_new(size_t expect)
{
    vc_svg_glyphs *g = calloc(1, sizeof *g);
    if (!g || !table_init(&g->t, expect)) {
        free(g);
        return NULL;
    }
    g->df = draw_funcs_new();
    return g;
}

void vc_svg_glyphs_free(vc_svg_glyphs *g)
{
    if (g) {
        hb_draw_funcs_destroy(g->df);
        free(g->t.slots);
        free(g);
    }
}

void vc_svg_glyphs_define(vc_buf *b, vc_svg_glyphs *g, const vc_shaped *shaped)
{
    define_run(b, &g->t, g->df, shaped);
}

void vc_svg_glyphs_put(vc_buf *b, vc_svg_glyphs *g, const vc_shaped *shaped, double size,
                       double x, double y)
{
    unsigned upem0 = first_upem(shaped);
    vc_buf_puts(b, "<g transform=\"translate(");
    vc_buf_number(b, x, 2);
    vc_buf_puts(b, " ");
    vc_buf_number(b, y, 2);
    vc_buf_puts(b, ") scale(");
    vc_buf_number(b, size / upem0, 8);
    vc_buf_puts(b, ")\">");
    put_uses(b, &g->t, shaped, upem0);
    vc_buf_puts(b, "</g>");
}
