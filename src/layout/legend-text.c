/* legend-text.c - the two lines of words in the --legend band: the size
 * key ("Text size shows votes: prevention = 210 votes") and the caption
 * ("545 responses · 48 words (6 too small to show)").  Part of the layout,
 * which shapes and places them once (legend.c); the alt text and tables
 * (publish/) say the same things in their own words. */
#include "layout/layout.h"

#include <stdlib.h>
#include <string.h>

static const char *sizing_key(vc_sizing s)
{
    switch (s) {
    case VC_SIZING_SQRT: return "Text area shows votes";
    case VC_SIZING_LOG: return "Text size grows with votes";
    case VC_SIZING_LINEAR: break;
    }
    return "Text size shows votes";
}

char *vc_layout_legend_key(const vc_layout *layout)
{
    if (!layout || layout->n_placed == 0) {
        return NULL;
    }
    /* The biggest drawn word is the reference a reader can see. */
    const vc_placed_word *top = &layout->placed[0];
    for (size_t i = 1; i < layout->n_placed; i++) {
        const vc_placed_word *w = &layout->placed[i];
        if (w->count > top->count ||
            (w->count == top->count && strcmp(w->text, top->text) < 0)) {
            top = w;
        }
    }
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_printf(&b, "%s: ", sizing_key(layout->opts.sizing));
    vc_buf_put_plain(&b, top->text, strlen(top->text));
    vc_buf_puts(&b, " = ");
    vc_buf_count_noun(&b, top->count, "vote", "votes");
    if (b.failed) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}

/* How many words the image leaves out and, when any of them has more
 * votes than a drawn word (fit none with gaps allowed, or a word too long
 * to draw), the first few of those by name: the caption never implies
 * that the most-voted words are all there. */
static void put_not_shown(vc_buf *b, const vc_layout *layout)
{
    if (layout->n_dropped == 0) {
        return;
    }
    double low = 0;
    for (size_t i = 0; i < layout->n_placed; i++) {
        if (i == 0 || layout->placed[i].count < low) {
            low = layout->placed[i].count;
        }
    }
    bool only_small = true;
    size_t gaps = 0;
    for (size_t i = 0; i < layout->n_dropped; i++) {
        const vc_dropped_word *d = &layout->dropped[i];
        only_small = only_small && d->why == VC_DROP_TOO_SMALL;
        gaps += d->count > low;
    }
    if (only_small && gaps == 0) {
        vc_buf_printf(b, " (%zu too small to show)", layout->n_dropped);
        return;
    }
    vc_buf_printf(b, " (%zu not shown", layout->n_dropped);
    size_t named = 0;
    /* Words that find no room or are too long are listed in vote order. */
    for (size_t i = 0; i < layout->n_dropped && named < 3; i++) {
        const vc_dropped_word *d = &layout->dropped[i];
        if (d->count > low && d->why != VC_DROP_TOO_SMALL) {
            vc_buf_puts(b, named ? ", " : ", including ");
            vc_buf_puts(b, "\xE2\x80\x9C"); /* “ */
            /* At most 40 bytes, cut on a UTF-8 boundary. */
            size_t n = strlen(d->text);
            bool cut = n > 40;
            while (n > 40 || (cut && n > 0 && ((unsigned char)d->text[n] & 0xC0) == 0x80)) {
                n--;
            }
            vc_buf_printf(b, "%.*s%s", (int)n, d->text, cut ? "\xE2\x80\xA6" : "");
            vc_buf_puts(b, "\xE2\x80\x9D");
            named++;
        }
    }
    if (gaps > named && named > 0) {
        vc_buf_printf(b, " and %zu more with more votes than a drawn word", gaps - named);
    }
    vc_buf_puts(b, ")");
}

char *vc_layout_legend_caption(const vc_layout *layout)
{
    if (!layout) {
        return NULL;
    }
    double total = 0;
    for (size_t i = 0; i < layout->n_placed; i++) {
        total += layout->placed[i].count;
    }
    for (size_t i = 0; i < layout->n_dropped; i++) {
        total += layout->dropped[i].count;
    }
    size_t words = layout->n_placed + layout->n_dropped;
    vc_buf b;
    vc_buf_init(&b);
    if (layout->respondents > 0) {
        vc_buf_count_noun(&b, (double)layout->respondents, "response", "responses");
    } else {
        vc_buf_count_noun(&b, total, "vote", "votes");
    }
    vc_buf_puts(&b, " \xC2\xB7 "); /* · */
    vc_buf_count_noun(&b, (double)words, "word", "words");
    put_not_shown(&b, layout);
    if (b.failed) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}
