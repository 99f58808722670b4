/* report-json.c - the layout report (--layout-json): every drawn word with
 * its size, position, angle, ink box, colour and font, and every word left
 * out with its reason, one word per line.  Keys keep their order and
 * numbers are rounded, so the same layout always gives the same bytes.
 *
 * Written straight into a buffer rather than through a jansson tree: for
 * 1,000 words building and dumping the tree took about 8 ms, longer than
 * the PNG's compression; this takes well under one. */
#include "render/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *sizing_name(vc_sizing s)
{
    return s == VC_SIZING_SQRT ? "sqrt" : s == VC_SIZING_LOG ? "log" : "linear";
}

/* ", "key": " (the first key of an object has no comma). */
static void key(vc_buf *b, const char *name, bool first)
{
    vc_buf_puts(b, first ? "\"" : ", \"");
    vc_buf_puts(b, name);
    vc_buf_puts(b, "\": ");
}

/* Positions and boxes are whole pixels, truncated as before. */
static void integer(vc_buf *b, double v)
{
    vc_buf_int(b, (long long)v);
}

/* Whole counts as integers ("210"), fractional ones (weights) rounded. */
static void count_value(vc_buf *b, double count)
{
    vc_buf_number(b, count, 3);
}

/* "{"text": ..., "count": ..., "group": ...": how every word's line starts;
 * a word both chosen and suggested adds "chosen" and "suggested" (people
 * who gave it each way). */
static void word_start(vc_buf *b, const char *text, double count, vc_group group,
                       double chosen, double suggested)
{
    vc_buf_puts(b, "{");
    key(b, "text", true);
    vc_buf_json_string(b, text);
    key(b, "count", false);
    count_value(b, count);
    key(b, "group", false);
    vc_buf_json_string(b, vc_group_name(group));
    if (group == VC_GROUP_BOTH) {
        key(b, "chosen", false);
        count_value(b, chosen);
        key(b, "suggested", false);
        count_value(b, suggested);
    }
}

/* The font as the caller gave it, else (the bundled font, or one fontconfig
 * found) its file name alone: a published report never shows this
 * machine's folders. */
static const char *font_name(const char *used, const char *given)
{
    if (given && strcmp(used, given) == 0) {
        return used;
    }
    const char *slash = strrchr(used, '/');
    return slash ? slash + 1 : used;
}

/* "lines": the phrase as drawn on several lines (only when it is). */
static void placed_lines(vc_buf *b, const vc_layout *layout, size_t i, const char *text)
{
    size_t at[8];
    size_t n = vc_layout_placed_lines(layout, i, at, 8);
    if (n < 2 || n > 8) {
        return;
    }
    key(b, "lines", false);
    size_t len = strlen(text);
    for (size_t k = 0; k < n; k++) {
        size_t end = k + 1 < n ? at[k + 1] - (text[at[k + 1] - 1] == ' ') : len;
        vc_buf_puts(b, k ? ", " : "[");
        char *line = vc_strndup(text + at[k], end - at[k]);
        if (!line) {
            b->failed = true; /* the report fails whole, never with a line left out */
            return;
        }
        vc_buf_json_string(b, line);
        free(line);
    }
    vc_buf_puts(b, "]");
}

static void placed_line(vc_buf *b, const vc_layout *layout, size_t i, const vc_placed *p)
{
    const char *given_font = layout->font;
    word_start(b, p->text, p->count, p->group, layout->placed[i].chosen,
               layout->placed[i].suggested);
    key(b, "font_size", false);
    vc_buf_number(b, p->font_size, 3);
    key(b, "x", false);
    integer(b, p->x);
    key(b, "y", false);
    integer(b, p->y);
    key(b, "rotation", false);
    vc_buf_number(b, p->rotation, 3);
    key(b, "advance", false);
    vc_buf_number(b, p->advance, 3);
    key(b, "bbox", false);
    for (int k = 0; k < 4; k++) {
        vc_buf_puts(b, k ? ", " : "[");
        integer(b, p->bbox[k]);
    }
    vc_buf_puts(b, "]");
    key(b, "color", false);
    vc_buf_puts(b, "\"");
    vc_put_rgb_hex(b, p->color);
    vc_buf_puts(b, "\"");
    key(b, "font", false);
    if (p->font) {
        vc_buf_json_string(b, font_name(p->font, given_font));
    } else {
        vc_buf_puts(b, "null");
    }
    placed_lines(b, layout, i, p->text);
    /* "undrawable": a character drawn as a box (only when there is one). */
    uint32_t cp = vc_layout_placed_undrawable(layout, i);
    if (cp) {
        key(b, "undrawable", false);
        vc_buf_printf(b, "\"U+%04X\"", (unsigned)cp);
    }
    vc_buf_puts(b, "}");
}

static void dropped_line(vc_buf *b, const vc_dropped *d, const vc_dropped_word *w)
{
    word_start(b, d->text, d->count, d->group, w->chosen, w->suggested);
    key(b, "reason", false);
    vc_buf_json_string(b, d->reason);
    vc_buf_puts(b, "}");
}

static void report(const vc_layout *layout, vc_buf *b)
{
    vc_buf_printf(b, "{\n \"width\": %d,\n \"height\": %d,\n \"seed\": %llu,\n",
                  layout->width, layout->height, (unsigned long long)layout->opts.seed);
    vc_buf_printf(b, " \"sizing\": \"%s\",\n \"scale\": ", sizing_name(layout->opts.sizing));
    vc_buf_number(b, layout->scale, 6);
    vc_packing pk;
    vc_layout_packing(layout, &pk);
    vc_buf_puts(b, ",\n \"smallest_font_size\": ");
    vc_buf_number(b, pk.smallest_font_size, 3);
    vc_buf_puts(b, ",\n \"ink_compactness\": ");
    vc_buf_number(b, pk.ink_compactness, 4);
    vc_buf_puts(b, ",\n \"words\": [");
    size_t n = vc_layout_placed_count(layout);
    for (size_t i = 0; i < n; i++) {
        vc_placed p;
        if (vc_layout_placed(layout, i, &p)) {
            vc_buf_puts(b, i ? ",\n  " : "\n  ");
            placed_line(b, layout, i, &p);
        }
    }
    vc_buf_puts(b, n ? "\n ],\n \"dropped\": [" : "],\n \"dropped\": [");
    n = vc_layout_dropped_count(layout);
    for (size_t i = 0; i < n; i++) {
        vc_dropped d;
        if (vc_layout_dropped(layout, i, &d)) {
            vc_buf_puts(b, i ? ",\n  " : "\n  ");
            dropped_line(b, &d, &layout->dropped[i]);
        }
    }
    vc_buf_puts(b, n ? "\n ]\n}\n" : "]\n}\n");
}

bool vc_render_json(const vc_layout *layout, FILE *fp, vc_error *err)
{
    vc_buf b;
    vc_buf_init(&b);
    report(layout, &b);
    if (b.failed) {
        vc_buf_finish(&b);
        return vc_fail_nomem(err, "layout report");
    }
    bool ok = fwrite(b.data, 1, b.len, fp) == b.len;
    vc_buf_finish(&b);
    if (!ok) {
        return vc_fail(err, VC_ERR_IO, "layout report: write failed");
    }
    return true;
}

char *vc_layout_json(const vc_layout *layout, size_t *len_out, vc_error *err)
{
    vc_buf b;
    vc_buf_init(&b);
    report(layout, &b);
    if (b.failed) {
        vc_buf_finish(&b);
        vc_fail_nomem(err, "layout report");
        return NULL;
    }
    if (len_out) {
        *len_out = b.len;
    }
    return b.data; /* owned by the caller now */
}
