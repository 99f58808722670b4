/* describe.c - words about the image: the plain-language alt text (short
 * enough for an alt attribute, built to fit rather than cut) and the
 * provenance string that lets anyone re-make an image exactly. */
#include "layout/layout.h"
#include "publish/describe.h"

#include <stdlib.h>
#include <string.h>

/* Screen readers and CMSs cope with longer, but guidance for alt text is
 * "about 150, under 250" characters. */
#define ALT_MAX_CHARS 250
/* A question longer than this is shortened at a word boundary. */
#define QUESTION_MAX_CHARS 80
#define MAIN_ITEMS_MAX 5
#define SUGGESTED_ITEMS_MAX 3

typedef struct alt_word {
    const char *text;
    double count;
    vc_group group;
    bool drawn; /* false: counted but not in the image, and said so */
} alt_word;

/* What the alt text lists, sorted by count desc then text. */
typedef struct alt_plan {
    alt_word *main, *suggested;
    size_t n_main, n_suggested;
    bool survey;           /* chosen/suggested groups are present */
    size_t respondents;
    double total;
    size_t n_words;
    const char *title, *question;
    /* Words left out with more votes than a drawn word (gaps allowed, or
     * too long to draw): the first few by name, and how many in all. */
    const char *gap[3];
    size_t n_gaps;
} alt_plan;

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return n;
}

/* Appends text with line breaks and other controls as spaces: the alt
 * text is one line, whatever the input held. */
/* Appends s, shortened to at most `max` characters at a word boundary
 * with an ellipsis; never cuts inside a word (nor a UTF-8 sequence). */
static void put_shortened(vc_buf *b, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (utf8_chars(s, len) <= max) {
        vc_buf_put_plain(b, s, len);
        return;
    }
    size_t cut = 0, chars = 0;
    for (size_t i = 0; i < len && chars < max; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            chars++;
        }
        if (s[i] == ' ' && i > 0 && s[i - 1] != ' ') {
            cut = i;
        }
    }
    /* One word longer than the limit: leave the context out, never cut it. */
    if (cut == 0) {
        return;
    }
    while (cut > 0 && strchr(",;:-", s[cut - 1])) {
        cut--;
    }
    vc_buf_put_plain(b, s, cut);
    vc_buf_puts(b, "\xE2\x80\xA6"); /* … */
}

static void put_lead(vc_buf *b, const alt_plan *p, bool with_context)
{
    vc_buf_puts(b, "Word cloud");
    if (p->n_words == 0) {
        vc_buf_puts(b, " with no words");
    } else if (p->respondents > 0) {
        vc_buf_puts(b, " of ");
        vc_buf_count_noun(b, (double)p->respondents, "response", "responses");
    } else if (p->total > 0) {
        vc_buf_puts(b, " of ");
        vc_buf_count_noun(b, p->total, "vote", "votes");
    } else {
        vc_buf_puts(b, " of ");
        vc_buf_count_noun(b, (double)p->n_words, "word", "words");
    }
    const char *ctx = p->question ? p->question : p->title;
    if (with_context && ctx && *ctx) {
        size_t mark = b->len;
        vc_buf_puts(b, p->question ? " to \xE2\x80\x9C" : " for \xE2\x80\x9C");
        size_t before = b->len;
        put_shortened(b, ctx, QUESTION_MAX_CHARS);
        if (b->len == before) {
            b->len = mark;
            /* NULL when the buffer ran out of memory before its first byte. */
            if (b->data) {
                b->data[mark] = '\0';
            }
        } else {
            /* "to “Why?”" needs no full stop after it. */
            char last = b->data[b->len - 1];
            vc_buf_puts(b, "\xE2\x80\x9D");
            if (last == '?' || last == '!' || last == '.') {
                return;
            }
        }
    }
    vc_buf_puts(b, ".");
}

static void put_section(vc_buf *b, const char *label, const alt_word *w,
                        size_t n)
{
    if (n == 0) {
        return;
    }
    vc_buf_printf(b, " %s: ", label);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            vc_buf_puts(b, ", ");
        }
        vc_buf_put_plain(b, w[i].text, strlen(w[i].text));
        vc_buf_puts(b, " (");
        vc_buf_number(b, w[i].count, 2);
        /* Its votes count people who ticked it and people who wrote it in. */
        vc_buf_puts(b, w[i].group == VC_GROUP_BOTH ? ", some wrote it in" : "");
        vc_buf_puts(b, w[i].drawn ? ")" : ", not shown)");
    }
    vc_buf_puts(b, ".");
}

/* The whole text for a choice of how many items each section shows. */
static void render_alt(vc_buf *b, const alt_plan *p, bool with_context,
                       size_t k_main, size_t k_suggested)
{
    b->len = 0;
    if (b->data) {
        b->data[0] = '\0';
    }
    put_lead(b, p, with_context);
    put_section(b, p->survey ? "Most chosen" : "Most votes", p->main,
                k_main);
    put_section(b, "Most suggested as missing", p->suggested, k_suggested);
    if (p->n_gaps > 0) {
        vc_buf_puts(b, " Not shown though they have more votes than a drawn word: ");
        size_t named = p->n_gaps < 3 ? p->n_gaps : 3;
        for (size_t i = 0; i < named; i++) {
            vc_buf_puts(b, i ? ", " : "");
            /* At most 40 bytes of each, cut on a UTF-8 boundary. */
            size_t n = strlen(p->gap[i]);
            bool cut = n > 40;
            while (n > 40 || (cut && n > 0 && ((unsigned char)p->gap[i][n] & 0xC0) == 0x80)) {
                n--;
            }
            vc_buf_put_plain(b, p->gap[i], n);
            vc_buf_puts(b, cut ? "\xE2\x80\xA6" : "");
        }
        if (p->n_gaps > named) {
            vc_buf_printf(b, " and %zu more", p->n_gaps - named);
        }
        vc_buf_puts(b, ".");
    }
}

static bool alt_fits(vc_buf *b, const alt_plan *p, bool with_context,
                     size_t k_main, size_t k_suggested)
{
    render_alt(b, p, with_context, k_main, k_suggested);
    return !b->failed && utf8_chars(b->data, b->len) <= ALT_MAX_CHARS;
}

static int alt_word_cmp(const void *a, const void *b)
{
    const alt_word *x = a, *y = b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    int c = strcmp(x->text, y->text);
    return c ? c : (int)x->group - (int)y->group;
}

static void plan_add(alt_plan *p, const char *text, double count,
                     vc_group group, bool drawn)
{
    alt_word w = {text ? text : "", count, group, drawn};
    if (group == VC_GROUP_SUGGESTED) {
        p->suggested[p->n_suggested++] = w;
    } else {
        p->main[p->n_main++] = w;
    }
    if (group != VC_GROUP_WORD) {
        p->survey = true;
    }
    p->total += count;
    p->n_words++;
}

static bool plan_init(alt_plan *p, const vc_layout *layout)
{
    memset(p, 0, sizeof *p);
    size_t n = layout->n_placed + layout->n_dropped;
    p->main = vc_calloc2(n, sizeof *p->main);
    p->suggested = vc_calloc2(n, sizeof *p->suggested);
    if (!p->main || !p->suggested) {
        free(p->main);
        free(p->suggested);
        return false;
    }
    for (size_t i = 0; i < layout->n_placed; i++) {
        const vc_placed_word *w = &layout->placed[i];
        plan_add(p, w->text, w->count, w->group, true);
    }
    for (size_t i = 0; i < layout->n_dropped; i++) {
        const vc_dropped_word *w = &layout->dropped[i];
        plan_add(p, w->text, w->count, w->group, false);
    }
    double low = 0;
    for (size_t i = 0; i < layout->n_placed; i++) {
        if (i == 0 || layout->placed[i].count < low) {
            low = layout->placed[i].count;
        }
    }
    for (size_t i = 0; i < layout->n_dropped; i++) {
        const vc_dropped_word *w = &layout->dropped[i];
        if (w->count > low && w->why != VC_DROP_TOO_SMALL) {
            if (p->n_gaps < 3) {
                p->gap[p->n_gaps] = w->text;
            }
            p->n_gaps++;
        }
    }
    qsort(p->main, p->n_main, sizeof *p->main, alt_word_cmp);
    qsort(p->suggested, p->n_suggested, sizeof *p->suggested, alt_word_cmp);
    p->respondents = layout->respondents;
    p->title = layout->title;
    p->question = layout->question;
    return true;
}

char *vc_layout_alt_text(const vc_layout *layout)
{
    if (!layout) {
        return NULL;
    }
    alt_plan p;
    if (!plan_init(&p, layout)) {
        return NULL;
    }
    vc_buf b;
    vc_buf_init(&b);
    /* The question is context worth having only if at least the top word
     * of each section still fits beside it. */
    size_t min_main = p.n_main ? 1 : 0, min_sugg = p.n_suggested ? 1 : 0;
    bool ctx = alt_fits(&b, &p, true, min_main, min_sugg);
    /* Add items in order of importance, each only if the whole still
     * fits: the top words, then the top suggestion, then more of each.
     * A section stops at its first item that does not fit, so it never
     * lists a word while leaving out a bigger one. */
    size_t k_main = 0, k_sugg = 0;
    bool main_open = true, sugg_open = true;
    const char *order = "MSMMSMMS";
    for (size_t i = 0; order[i]; i++) {
        bool is_main = order[i] == 'M';
        if (is_main && main_open && k_main < p.n_main &&
            k_main < MAIN_ITEMS_MAX) {
            main_open = alt_fits(&b, &p, ctx, k_main + 1, k_sugg);
            k_main += main_open;
        } else if (!is_main && sugg_open && k_sugg < p.n_suggested &&
                   k_sugg < SUGGESTED_ITEMS_MAX) {
            sugg_open = alt_fits(&b, &p, ctx, k_main, k_sugg + 1);
            k_sugg += sugg_open;
        }
    }
    render_alt(&b, &p, ctx, k_main, k_sugg);
    free(p.main);
    free(p.suggested);
    if (b.failed || !b.data) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}

/* ---- provenance --------------------------------------------------------- */

/* Values with separators or spaces are quoted, so the string splits back
 * into key=value pairs unambiguously. */
static void put_value(vc_buf *b, const char *v)
{
    if (!strpbrk(v, "; =\"\\") && *v) {
        vc_buf_put_plain(b, v, strlen(v));
        return;
    }
    vc_buf_puts(b, "\"");
    for (const char *s = v; *s; s++) {
        if (*s == '"' || *s == '\\') {
            vc_buf_puts(b, "\\");
        }
        vc_buf_put_plain(b, s, 1);
    }
    vc_buf_puts(b, "\"");
}

static void put_kv(vc_buf *b, const char *key, const char *value)
{
    vc_buf_printf(b, "; %s=", key);
    put_value(b, value);
}

static void put_kn(vc_buf *b, const char *key, double value)
{
    vc_buf_printf(b, "; %s=", key);
    vc_buf_number(b, value, 4);
}

static const char *sizing_name(vc_sizing s)
{
    return s == VC_SIZING_SQRT ? "sqrt" : s == VC_SIZING_LOG ? "log" : "linear";
}

static const char *color_by_name(vc_color_by c)
{
    return c == VC_COLOR_BY_GROUP ? "group"
           : c == VC_COLOR_BY_WORD ? "word"
                                   : "rank";
}

static void put_rotate(vc_buf *b, const vc_render_options *o)
{
    if (o->rotate == VC_ROTATE_NONE) {
        put_kv(b, "rotate", "none");
        return;
    }
    if (o->rotate == VC_ROTATE_AUTO) {
        put_kv(b, "rotate", "auto");
        return;
    }
    if (o->rotate == VC_ROTATE_MIXED) {
        put_kv(b, "rotate", "mixed");
        put_kn(b, "prefer-horizontal", o->prefer_horizontal);
        return;
    }
    vc_buf_puts(b, "; rotate=");
    size_t n = o->n_angles < VC_MAX_ANGLES ? o->n_angles : VC_MAX_ANGLES;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            vc_buf_puts(b, ",");
        }
        vc_buf_number(b, o->angles[i], 4);
    }
}

char *vc_layout_provenance(const vc_layout *layout)
{
    if (!layout) {
        return NULL;
    }
    const vc_render_options *o = &layout->opts;
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_puts(&b, "votecloud " VC_VERSION_STRING);
    vc_buf_printf(&b, "; seed=%llu", (unsigned long long)o->seed);
    put_kv(&b, "sizing", sizing_name(o->sizing));
    put_kv(&b, "fit", o->fit == VC_FIT_NONE ? "none" : "auto");
    vc_buf_printf(&b, "; width=%d; height=%d", layout->width, layout->height);
    put_kv(&b, "font", layout->font && *layout->font ? layout->font : "bundled");
    put_kn(&b, "max-font-size", o->max_font_size);
    put_kn(&b, "min-font-size", o->min_font_size);
    vc_buf_printf(&b, "; max-words=%zu; padding=%d", o->max_words, o->padding);
    put_kn(&b, "padding-em", o->padding_em);
    if (o->margin >= 0) {
        vc_buf_printf(&b, "; margin=%d", o->margin);
    }
    put_kv(&b, "spiral", o->spiral == VC_SPIRAL_RECTANGULAR ? "rectangular"
                                                            : "archimedean");
    put_kv(&b, "shape", o->shape == VC_SHAPE_ELLIPSE ? "ellipse" : "rectangle");
    if (layout->mask_path) {
        put_kv(&b, "mask", layout->mask_path);
    }
    put_rotate(&b, o);
    put_kv(&b, "palette", layout->palette ? layout->palette : "nhs");
    put_kv(&b, "color-by", color_by_name(o->color_by));
    if (layout->transparent) {
        put_kv(&b, "background", "transparent");
        /* Colours were checked against it, so it shapes them. */
        vc_buf_printf(&b, "; contrast-against=#%06X", layout->contrast_rgb & 0xFFFFFF);
    } else {
        vc_buf_printf(&b, "; background=#%06X", layout->background_rgb & 0xFFFFFF);
    }
    put_kv(&b, "contrast", o->contrast ? "on" : "off");
    if (o->same_scale > 0) {
        put_kn(&b, "same-scale", o->same_scale);
    }
    put_kv(&b, "legend", o->legend ? "on" : "off");
    put_kn(&b, "scale", o->scale);
    put_kn(&b, "dpi", o->dpi);
    put_kn(&b, "px-per-unit", layout->scale);
    if (b.failed || !b.data) {
        vc_buf_finish(&b);
        return NULL;
    }
    return b.data;
}
