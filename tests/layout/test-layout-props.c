/* test-layout-props.c - properties every layout must have, over random word
 * lists (ties included), canvases, seeds, rotations and shapes, checked
 * from the words' ink bitmaps independently of the occupancy code:
 * - no two words' ink, one grown by its padding (padding or padding_em x
 *   its size, the larger), overlap;
 * - every ink pixel lies inside the canvas and the shape, and at least
 *   margin + padding px inside the canvas edges;
 * - font_size / f(count) is the same for every drawn word;
 * - every word is drawn or listed with a reason, and (auto fit) no word
 *   left out has as many votes as a drawn one;
 * - the same seed gives the same report bytes. */
#include "render/render.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static vc_words *random_words(vc_rng *rng, size_t n)
{
    vc_words *w = calloc(1, sizeof *w);
    w->items = calloc(n, sizeof *w->items);
    w->n = w->cap = n;
    /* Few distinct counts, so ties are common; a long tail of small ones. */
    size_t levels = 1 + vc_rng_next(rng) % 12;
    for (size_t i = 0; i < n; i++) {
        char text[24];
        size_t len = 2 + vc_rng_next(rng) % 9;
        for (size_t k = 0; k < len; k++) {
            text[k] = (char)('a' + vc_rng_next(rng) % 26);
        }
        snprintf(text + len, sizeof text - len, "%zu", i % 7 == 0 ? i : 0);
        w->items[i].text = strdup(text);
        double u = vc_rng_double(rng);
        w->items[i].count = (double)(1 + (size_t)(u * u * u * (double)levels) * 10);
        w->items[i].group = (vc_group)(vc_rng_next(rng) % 3);
    }
    vc_words_sort(w);
    return w;
}

static void words_free(vc_words *w)
{
    for (size_t i = 0; w && i < w->n; i++) {
        free(w->items[i].text);
    }
    if (w) {
        free(w->items);
        free(w);
    }
}

/* The margin vc_layout_new keeps (-1: 1% of the shorter side). */
static int margin_of(const vc_render_options *o)
{
    int shorter = o->width < o->height ? o->width : o->height;
    return o->margin >= 0 ? o->margin : (int)lround(0.01 * shorter);
}

static bool in_shape(const vc_render_options *o, int x, int y)
{
    int in = margin_of(o) + o->padding;
    if (x < in || y < in || x >= o->width - in || y >= o->height - in) {
        return false;
    }
    if (o->shape != VC_SHAPE_ELLIPSE) {
        return true;
    }
    double rx = o->width / 2.0, ry = o->height / 2.0;
    double dx = (x + 0.5 - rx) / rx, dy = (y + 0.5 - ry) / ry;
    return dx * dx + dy * dy <= 1.0;
}

static char *report_bytes(const vc_layout *L)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    vc_error err = {0};
    bool ok = vc_render_json(L, fp, &err);
    fclose(fp);
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

typedef struct stats {
    size_t layouts, words, placed, overlap, outside, size_bad, lost, no_reason,
        unfair, box_bad, nondeterministic, empty, ink_differs, none_fit, nothing_drawable;
} stats;

/* The layout rasterises on a second thread, ahead of placement: every
 * placed word's ink must be exactly what rasterising it here gives. */
static void check_same_ink(const vc_layout *L, stats *st)
{
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        vc_ink ink;
        vc_error err = {0};
        bool same = vc_rasterise(&p->shaped, p->font_size, p->rotation, &ink, &err) &&
                    ink.x0 == p->ink.x0 && ink.y0 == p->ink.y0 && ink.w == p->ink.w &&
                    ink.h == p->ink.h;
        for (int j = 0; same && j < ink.h; j++) {
            same = memcmp(ink.alpha + (size_t)j * (size_t)ink.stride,
                          p->ink.alpha + (size_t)j * (size_t)p->ink.stride, (size_t)ink.w) == 0;
        }
        st->ink_differs += !same;
        vc_ink_finish(&ink);
    }
}

/* Checks the ink of every placed word against the others' and the shape. */
static void check_ink(const vc_layout *L, const vc_render_options *o, stats *st)
{
    size_t npx = (size_t)o->width * (size_t)o->height;
    uint32_t *owner = calloc(npx, sizeof *owner);
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        const vc_ink *ink = &p->ink;
        int bx0 = INT32_MAX, by0 = INT32_MAX, bx1 = INT32_MIN, by1 = INT32_MIN;
        for (int j = 0; j < ink->h; j++) {
            for (int k = 0; k < ink->w; k++) {
                if (!ink->alpha[(size_t)j * (size_t)ink->stride + (size_t)k]) {
                    continue;
                }
                int x = p->x + ink->x0 + k, y = p->y + ink->y0 + j;
                bx0 = x < bx0 ? x : bx0;
                by0 = y < by0 ? y : by0;
                bx1 = x + 1 > bx1 ? x + 1 : bx1;
                by1 = y + 1 > by1 ? y + 1 : by1;
                if (!in_shape(o, x, y)) {
                    st->outside++;
                    continue;
                }
                size_t at = (size_t)y * (size_t)o->width + (size_t)x;
                if (owner[at]) {
                    st->overlap++;
                }
                owner[at] = (uint32_t)i + 1;
            }
        }
        vc_placed pub;
        vc_layout_placed(L, i, &pub);
        if (pub.bbox[0] != bx0 || pub.bbox[1] != by0 || pub.bbox[2] != bx1 || pub.bbox[3] != by1) {
            st->box_bad++;
        }
    }
    /* Each word's ink grown by its padding (the larger of padding and
     * padding_em x its size above and below, four times that sideways)
     * must not touch another's ink. */
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        const vc_ink *ink = &p->ink;
        double grown = o->padding_em * p->font_size;
        int pad_y = grown > o->padding ? (int)lround(grown) : o->padding;
        int pad_x = 4 * grown > o->padding ? (int)lround(4 * grown) : o->padding;
        for (int j = 0; j < ink->h; j++) {
            for (int k = 0; k < ink->w; k++) {
                if (!ink->alpha[(size_t)j * (size_t)ink->stride + (size_t)k]) {
                    continue;
                }
                int x = p->x + ink->x0 + k, y = p->y + ink->y0 + j;
                for (int dy = -pad_y; dy <= pad_y; dy++) {
                    for (int dx = -pad_x; dx <= pad_x; dx++) {
                        int qx = x + dx, qy = y + dy;
                        if (qx < 0 || qy < 0 || qx >= o->width || qy >= o->height) {
                            continue;
                        }
                        uint32_t w = owner[(size_t)qy * (size_t)o->width + (size_t)qx];
                        if (w && w != (uint32_t)i + 1) {
                            st->overlap++;
                        }
                    }
                }
            }
        }
    }
    free(owner);
}

static void check_words(const vc_layout *L, const vc_render_options *o, size_t total, stats *st)
{
    st->words += total;
    st->placed += L->n_placed;
    /* Auto fit shrinks the cloud until the top words fit; it may draw
     * nothing only when even the words tied for the most votes do not all
     * fit at the minimum size, and must then say so.  A fixed scale on a
     * tiny canvas may rightly fit nothing (every word listed). */
    if (L->n_placed == 0 && o->fit == VC_FIT_AUTO) {
        bool said = L->n_dropped > 0 &&
                    strncmp(L->dropped[0].reason, "no room: the words with the most votes", 38) == 0;
        st->empty += !said;
        st->none_fit += said;
    }
    if (L->n_placed + L->n_dropped != total) {
        st->lost++;
    }
    double min_placed = INFINITY;
    for (size_t i = 0; i < L->n_placed; i++) {
        const vc_placed_word *p = &L->placed[i];
        double f = vc_sizing_value(o->sizing, p->count);
        if (fabs(p->font_size / f - L->scale) > 1e-9 * L->scale) {
            st->size_bad++;
        }
        min_placed = fmin(min_placed, p->count);
    }
    for (size_t i = 0; i < L->n_dropped; i++) {
        const vc_dropped_word *d = &L->dropped[i];
        if (!d->reason || !d->reason[0]) {
            st->no_reason++;
        }
        bool chosen = strncmp(d->reason, "not in the top", 14) == 0 ||
                      strncmp(d->reason, "nothing visible", 15) == 0;
        if (o->fit == VC_FIT_AUTO && !chosen && d->count >= min_placed) {
            st->unfair++;
        }
    }
}

/* 300 words with one vote each cannot all be drawn 8 px high on a
 * 160x120 canvas: equal votes are never split, so every word is left out
 * with a reason that says why; give one word a second vote and it alone
 * is drawn, as large as fits. */
static void test_tied_top(vc_context *ctx)
{
    vc_error err = {0};
    vc_words *w = vc_words_new(&err);
    char text[32];
    for (int i = 0; i < 300; i++) {
        snprintf(text, sizeof text, "tiedword%03d", i);
        vc_words_add(w, text, 1, VC_GROUP_WORD, &err);
    }
    vc_render_options o;
    vc_render_options_init(&o);
    o.width = 160;
    o.height = 120;
    /* Nothing drawable is an error (issue 17), whose message gives the
     * first word's reason. */
    vc_layout *L = vc_layout_new(ctx, w, &o, &err);
    TAP_OK(!L && err.status == VC_ERR_DATA && strstr(err.message, "all 300 words would be left out"),
           "300 tied words that cannot all fit: nothing drawable is an error (%s)", err.message);
    TAP_OK(strstr(err.message, "do not all fit at the minimum font size 8 px"),
           "the reason says the top words do not fit: %s", err.message);
    vc_layout_free(L);
    vc_words_add(w, "winner", 2, VC_GROUP_WORD, &err);
    L = vc_layout_new(ctx, w, &o, &err);
    vc_placed p = {0};
    TAP_OK(L && vc_layout_placed_count(L) == 1 && vc_layout_placed(L, 0, &p) &&
               strcmp(p.text, "winner") == 0 && p.font_size >= 8,
           "one word with two votes is drawn alone (%.1f px)", p.font_size);
    vc_layout_free(L);
    vc_words_free(w);
}

/* The auto fit of a small cloud places a long word before shorter ones
 * with a few more votes (fit.c, place.c): only among words kept apart by
 * the same padding, since a word's padding is taken for the words placed
 * after it only.  Long words one vote behind short ones, with padding_em
 * on (paddings differ by size) and off: still no ink within another's
 * padding, and the same report bytes twice. */
static void test_long_before_short(vc_context *ctx)
{
    stats st;
    memset(&st, 0, sizeof st);
    size_t layouts = 0;
    for (int it = 0; it < 12; it++) {
        vc_error err = {0};
        vc_words *w = vc_words_new(&err);
        char text[40];
        for (int i = 0; i < 30; i++) {
            double c = 3 * (40 - i);
            snprintf(text, sizeof text, "s%d", i);
            vc_words_add(w, text, c, VC_GROUP_WORD, &err);
            snprintf(text, sizeof text, "longerwordnumber%d", i);
            vc_words_add(w, text, c - 1, VC_GROUP_WORD, &err);
        }
        vc_words_sort(w);
        vc_render_options o;
        vc_render_options_init(&o);
        o.width = it % 2 ? 420 : 300;
        o.height = it % 2 ? 300 : 420;
        o.seed = (uint64_t)it;
        o.padding = 1 + it % 3;
        o.padding_em = (double)(it % 3) * 0.04;
        o.rotate = it % 4 == 3   ? VC_ROTATE_MIXED
                   : it % 4 == 1 ? VC_ROTATE_AUTO
                                 : VC_ROTATE_NONE;
        vc_layout *L = vc_layout_new(ctx, w, &o, &err);
        if (L) {
            layouts++;
            check_ink(L, &o, &st);
            vc_layout *again = vc_layout_new(ctx, w, &o, &err);
            char *a = report_bytes(L), *b = again ? report_bytes(again) : NULL;
            st.nondeterministic += !a || !b || strcmp(a, b) != 0;
            free(a);
            free(b);
            vc_layout_free(again);
        }
        vc_layout_free(L);
        vc_words_free(w);
    }
    TAP_OK(layouts == 12, "long words one vote behind short ones: every auto fit draws (%zu of 12)",
           layouts);
    TAP_OK(st.overlap == 0 && st.outside == 0,
           "long words one vote behind short ones: no ink within another's padding (%zu pixels), "
           "none outside (%zu)", st.overlap, st.outside);
    TAP_OK(st.nondeterministic == 0,
           "long words one vote behind short ones: the same report bytes twice (%zu differ)",
           st.nondeterministic);
}

/* A context keeps the spirals its layouts made (spiral-cache.c): a
 * layout after others of the same canvas but another seed, or after
 * another canvas, is the layout a fresh context makes. */
static void test_spirals_kept(vc_context *ctx)
{
    vc_rng rng;
    vc_rng_seed(&rng, 77);
    vc_words *words = random_words(&rng, 60);
    vc_render_options o;
    vc_render_options_init(&o);
    o.width = 640;
    o.height = 400;
    static const struct { uint64_t seed; int height; } runs[] = {
        {1, 400}, {2, 400}, {1, 400}, {2, 380}, {3, 400}, {2, 400}};
    size_t n = sizeof runs / sizeof runs[0], same = 0, seeds_differ = 0;
    char *first = NULL;
    for (size_t i = 0; i < n; i++) {
        vc_error err = {0};
        o.seed = runs[i].seed;
        o.height = runs[i].height;
        vc_context *fresh = vc_context_new(&err);
        vc_layout *kept = vc_layout_new(ctx, words, &o, &err);
        vc_layout *made = fresh ? vc_layout_new(fresh, words, &o, &err) : NULL;
        char *a = kept ? report_bytes(kept) : NULL, *b = made ? report_bytes(made) : NULL;
        same += a && b && strcmp(a, b) == 0;
        if (i == 0) {
            first = a;
            a = NULL;
        } else if (runs[i].seed != 1 && first && b && strcmp(first, b) != 0) {
            seeds_differ++;
        }
        free(a);
        free(b);
        vc_layout_free(kept);
        vc_layout_free(made);
        vc_context_free(fresh);
    }
    TAP_OK(same == n && seeds_differ == 4,
           "spirals kept by the context: %zu of %zu layouts (seeds 1, 2, 1, 2 on another canvas, "
           "3, 2) as a fresh context makes them; %zu of 4 differ from seed 1's", same, n,
           seeds_differ);
    free(first);
    words_free(words);
}

int main(int argc, char **argv)
{
    size_t iterations = argc > 1 ? (size_t)atoi(argv[1]) : 40;
    vc_error err = {0};
    vc_context *ctx = vc_context_new(&err);
    TAP_OK(ctx != NULL, "context: %s", err.message);
    if (!ctx) {
        return tap_done();
    }
    test_tied_top(ctx);
    test_long_before_short(ctx);
    test_spirals_kept(ctx);
    vc_rng rng;
    vc_rng_seed(&rng, 2024);
    stats st;
    memset(&st, 0, sizeof st);
    size_t failures = 0;
    char first_failure[VC_ERROR_MESSAGE_MAX] = "";
    for (size_t it = 0; it < iterations; it++) {
        size_t n = 5 + vc_rng_next(&rng) % 296;
        vc_words *words = random_words(&rng, n);
        vc_render_options o;
        vc_render_options_init(&o);
        o.width = 160 + (int)(vc_rng_next(&rng) % 500);
        o.height = 120 + (int)(vc_rng_next(&rng) % 400);
        o.seed = vc_rng_next(&rng) % 1000;
        static const vc_rotate rotations[] = {VC_ROTATE_NONE, VC_ROTATE_MIXED, VC_ROTATE_AUTO};
        o.rotate = rotations[vc_rng_next(&rng) % 3];
        o.shape = vc_rng_next(&rng) % 2 ? VC_SHAPE_ELLIPSE : VC_SHAPE_RECTANGLE;
        o.sizing = (vc_sizing)(vc_rng_next(&rng) % 3);
        o.padding = (int)(vc_rng_next(&rng) % 4);
        o.padding_em = (double)(it % 3) * 0.05; /* not from rng: keeps the cases */
        o.margin = it % 2 ? -1 : (int)(it % 7); /* not from rng: keeps the cases */
        o.spiral = vc_rng_next(&rng) % 4 ? VC_SPIRAL_ARCHIMEDEAN : VC_SPIRAL_RECTANGULAR;
        if (vc_rng_next(&rng) % 4 == 0) {
            o.fit = VC_FIT_NONE;
            o.allow_gaps = true; /* the property below is for auto fit */
            o.max_font_size = 20 + (double)(vc_rng_next(&rng) % 60);
        }
        if (vc_rng_next(&rng) % 5 == 0) {
            o.max_words = 1 + vc_rng_next(&rng) % n;
        }
        vc_error_clear(&err);
        vc_layout *L = vc_layout_new(ctx, words, &o, &err);
        /* A canvas too small for even the top words is an error by design
         * (nothing drawable); every other failure is a failure. */
        bool nothing = !L && err.status == VC_ERR_DATA &&
                       strncmp(err.message, "nothing to draw", 15) == 0;
        if (nothing) {
            st.nothing_drawable++;
            words_free(words);
            continue;
        }
        if (!L) {
            if (!failures++) {
                snprintf(first_failure, sizeof first_failure, "%s", err.message);
            }
            words_free(words);
            continue;
        }
        st.layouts++;
        check_words(L, &o, n, &st);
        check_ink(L, &o, &st);
        check_same_ink(L, &st);
        if (it % 4 == 0) {
            /* Again with this context (its spirals cached by the layouts
             * before, of other canvases and seeds too), and with a fresh
             * one (every spiral made anew). */
            vc_context *fresh = vc_context_new(&err);
            vc_layout *again = vc_layout_new(ctx, words, &o, &err);
            vc_layout *cold = fresh ? vc_layout_new(fresh, words, &o, &err) : NULL;
            char *a = report_bytes(L), *b = again ? report_bytes(again) : NULL;
            char *c = cold ? report_bytes(cold) : NULL;
            if (!a || !b || !c || strcmp(a, b) != 0 || strcmp(a, c) != 0) {
                st.nondeterministic++;
            }
            free(a);
            free(b);
            free(c);
            vc_layout_free(again);
            vc_layout_free(cold);
            vc_context_free(fresh);
        }
        vc_layout_free(L);
        words_free(words);
    }
    TAP_OK(failures == 0, "every layout succeeds or draws nothing, an error (%zu of %zu failed%s%s; "
           "%zu nothing drawable)", failures, iterations, failures ? "; first: " : "", first_failure,
           st.nothing_drawable);
    TAP_OK(st.empty == 0 && st.layouts > 0, "every auto-fit layout draws words (%zu of %zu in %zu layouts; "
           "%zu draw none; %zu say the top words do not fit)", st.placed, st.words, st.layouts,
           st.empty, st.none_fit);
    TAP_OK(st.overlap == 0, "no ink grown by the padding touches another word's ink (%zu pixels)",
           st.overlap);
    TAP_OK(st.outside == 0, "every ink pixel is inside the canvas, its margin and the shape (%zu outside)",
           st.outside);
    TAP_OK(st.size_bad == 0, "font_size / f(count) equals the scale for every word (%zu differ)",
           st.size_bad);
    TAP_OK(st.lost == 0, "every word is drawn or listed as left out (%zu layouts lose some)", st.lost);
    TAP_OK(st.no_reason == 0, "every word left out has a reason (%zu without)", st.no_reason);
    TAP_OK(st.unfair == 0, "auto fit never leaves out a word with as many votes as a drawn one "
           "(%zu do)", st.unfair);
    TAP_OK(st.box_bad == 0, "bbox is the ink's bounds (%zu differ)", st.box_bad);
    TAP_OK(st.ink_differs == 0, "each word's ink, rasterised ahead on another thread, is the "
           "bitmap rasterising it here gives (%zu differ)", st.ink_differs);
    TAP_OK(st.nondeterministic == 0, "the same seed gives the same report bytes, with the "
           "context's spirals kept from earlier layouts or made anew (%zu differ)",
           st.nondeterministic);
    vc_context_free(ctx);
    return tap_done();
}
