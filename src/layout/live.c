/* live.c - a layout that grows in place (vc_live): the words of a live
 * event keep their anchors (ink-box centres) from one update to the next.
 * A word whose votes changed is re-rasterised at its new size and put
 * back at its anchor, nudged a little, or seated after moving its smaller
 * neighbours near their own anchors; new words go to free space near the
 * centre; only when a word cannot be fitted anywhere does the one scale
 * shrink (in steps, so not on every vote) and every word re-pack from its
 * anchor, scaled towards the centre.  With --wrap auto a phrase goes on
 * more lines where one would span over half the canvas (live-place.c,
 * lines_at).  The search itself is in live-place.c; the canvas
 * (occupancy bitmap, padding) is place.c's. */
#include "layout/live-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The top word's font size is kept at most this share of the canvas
 * height when no max_font_size is given: a first answer does not fill
 * the screen (0.3 shrank more often for fewer words drawn: 28 against
 * 38 at the end of the 1,000-participant replay). */
#define TOP_SHARE 0.45

/* ---- words ------------------------------------------------------------- */

/* FNV-1a: a word's angle depends on its text and the seed only, so it
 * keeps its angle whatever arrives around it. */
static uint64_t text_hash(const char *s, uint64_t seed)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

static double choose_rotation(const vc_render_options *o, const char *text)
{
    vc_rng rng;
    vc_rng_seed(&rng, text_hash(text, o->seed));
    /* --rotate auto stays flat: the live cloud has no fit to draw larger
     * by turning a word; it shrinks the whole cloud as answers come in. */
    return vc_pick_rotation(o, &rng);
}

static void word_finish(live_word *w)
{
    free(w->text);
    vc_shaped_finish(&w->shaped);
    for (unsigned k = 0; k < VC_WRAP_MAX_LINES; k++) {
        vc_shaped_finish(&w->alt[k]);
    }
    vc_ink_finish(&w->ink);
    vc_sprite_finish(&w->sp);
    vc_occupancy_finish(&w->pad);
}

/* --wrap auto: a flat phrase on 2 and 3 lines too, shaped now, so a
 * later update only picks the lines (live-place.c). */
static bool shape_wraps(vc_live *lv, live_word *w, vc_error *err)
{
    w->max_lines = 1;
    if (lv->opts.wrap != VC_WRAP_AUTO || w->rotation != 0) {
        return true;
    }
    size_t breaks[VC_WRAP_MAX_LINES][VC_WRAP_MAX_LINES];
    unsigned most = vc_wrap_breaks(w->text, breaks);
    for (unsigned k = 2; k <= most; k++) {
        if (!vc_shape_lines(lv->ctx, &lv->proto->fonts, w->text, breaks[k - 1], k,
                            &w->alt[k - 1], err)) {
            return false;
        }
        w->max_lines = k;
    }
    return true;
}

live_word *vc_live_find_or_add(vc_live *lv, const char *text, vc_group group,
                               vc_error *err)
{
    for (size_t i = 0; i < lv->n; i++) {
        if (lv->w[i].group == group && strcmp(lv->w[i].text, text) == 0) {
            return &lv->w[i];
        }
    }
    if (!vc_grow((void **)&lv->w, &lv->cap, lv->n + 1, sizeof *lv->w)) {
        vc_fail_nomem(err, "live words");
        return NULL;
    }
    live_word *w = &lv->w[lv->n];
    memset(w, 0, sizeof *w);
    w->text = vc_strdup(text);
    if (!w->text) {
        vc_fail_nomem(err, "live words");
        return NULL;
    }
    w->group = group;
    w->rotation = choose_rotation(&lv->opts, text);
    if (!vc_shape_word(lv->ctx, &lv->proto->fonts, text, &w->shaped, err) ||
        !shape_wraps(lv, w, err)) {
        word_finish(w);
        return NULL;
    }
    w->state = LIVE_GONE;
    lv->n++;
    return w;
}

/* Most votes first, then by text and group, as vc_layout_new orders. */
static int cmp_order(const void *pa, const void *pb)
{
    const live_word *a = *(const live_word *const *)pa;
    const live_word *b = *(const live_word *const *)pb;
    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    int c = strcmp(a->text, b->text);
    return c ? c : (int)a->group - (int)b->group;
}

/* ---- life cycle --------------------------------------------------------- */

vc_live *vc_live_new(const vc_render_options *opts, vc_error *err)
{
    vc_render_options defaults;
    if (!opts) {
        vc_render_options_init(&defaults);
        opts = &defaults;
    }
    vc_live *lv = calloc(1, sizeof *lv);
    if (!lv) {
        vc_fail_nomem(err, "live layout");
        return NULL;
    }
    lv->font_dir = vc_strdup(opts->font_dir);
    lv->ctx = vc_context_new(err);
    if ((opts->font_dir && !lv->font_dir) || !lv->ctx ||
        !(lv->proto = vc_layout_begin(lv->ctx, opts, err))) {
        if (opts->font_dir && !lv->font_dir) {
            vc_fail_nomem(err, "live layout");
        }
        vc_live_free(lv);
        return NULL;
    }
    /* The copies the prototype layout owns, and the font folder. */
    lv->opts = lv->proto->opts;
    lv->opts.font_dir = lv->font_dir;
    lv->e.L = lv->proto;
    lv->e.o = &lv->opts;
    if (!vc_canvas_setup(&lv->e, err)) {
        vc_live_free(lv);
        return NULL;
    }
    lv->canvas_ready = true;
    lv->cap_size =
        opts->max_font_size > 0 ? opts->max_font_size : TOP_SHARE * lv->e.occ.h;
    return lv;
}

void vc_live_reset(vc_live *lv)
{
    for (size_t i = 0; i < lv->n; i++) {
        word_finish(&lv->w[i]);
    }
    lv->n = 0;
    lv->n_order = 0;
    lv->scale = 0;
    lv->have_scale = false;
    lv->respondents = lv->total = 0;
    lv->updated = false;
    lv->commits = 0;
    vc_engine *e = &lv->e;
    memcpy(e->occ.bits, e->base, (size_t)e->occ.h * e->occ.nw * sizeof *e->base);
}

void vc_live_free(vc_live *live)
{
    if (!live) {
        return;
    }
    for (size_t i = 0; i < live->n; i++) {
        word_finish(&live->w[i]);
    }
    free(live->w);
    free(live->order);
    if (live->canvas_ready) {
        vc_canvas_finish(&live->e);
    }
    vc_layout_free(live->proto);
    vc_context_free(live->ctx);
    free(live->font_dir);
    free(live);
}

/* ---- updates ------------------------------------------------------------- */

/* Reads the new counts into the words and orders the given ones. */
static bool take_counts(vc_live *lv, const vc_words *words, vc_error *err)
{
    for (size_t i = 0; i < lv->n; i++) {
        lv->w[i].given = false;
    }
    size_t n = words ? vc_words_size(words) : 0;
    for (size_t i = 0; i < n; i++) {
        live_word *w = vc_live_find_or_add(lv, vc_words_text(words, i),
                                           vc_words_group(words, i), err);
        if (!w) {
            return false;
        }
        w->given = true;
        w->count = vc_words_count(words, i);
        w->f = vc_sizing_value(lv->opts.sizing, w->count);
    }
    size_t *order = vc_realloc2(lv->order, lv->n ? lv->n : 1, sizeof *order);
    const live_word **by = vc_malloc2(lv->n ? lv->n : 1, sizeof *by);
    if (!order || !by) {
        free(by);
        if (order) {
            lv->order = order;
        }
        return vc_fail_nomem(err, "live word order");
    }
    lv->order = order;
    size_t m = 0;
    for (size_t i = 0; i < lv->n; i++) {
        if (lv->w[i].given) {
            by[m++] = &lv->w[i];
        }
    }
    qsort(by, m, sizeof *by, cmp_order);
    for (size_t k = 0; k < m; k++) {
        order[k] = (size_t)(by[k] - lv->w);
    }
    lv->n_order = m;
    free(by);
    lv->total = n;
    lv->respondents = words ? vc_words_respondents(words) : 0;
    return true;
}

/* What a given word should be at the current scale, before placing:
 * LIVE_DRAWN (to be drawn) or why not. */
static int wanted_state(const vc_live *lv, size_t rank, const live_word *w)
{
    if (!(w->count > 0) || !(w->f > 0)) {
        return LIVE_NO_VOTES;
    }
    if (lv->opts.max_words && rank >= lv->opts.max_words) {
        return LIVE_PAST_MAX;
    }
    if (lv->scale * w->f < lv->opts.min_font_size * (1 - 1e-12)) {
        return LIVE_TOO_SMALL;
    }
    return LIVE_DRAWN;
}

/* Shrinks the scale one step, anchors towards the canvas centre. */
static void shrink(vc_live *lv)
{
    double cx = lv->e.occ.w / 2.0, cy = lv->e.occ.h / 2.0;
    lv->scale *= VC_LIVE_SHRINK;
    for (size_t i = 0; i < lv->n; i++) {
        live_word *w = &lv->w[i];
        w->ax = cx + (w->ax - cx) * VC_LIVE_SHRINK;
        w->ay = cy + (w->ay - cy) * VC_LIVE_SHRINK;
    }
}

/* Takes every drawn word still marked in_occ into a fresh canvas. */
bool vc_live_rebuild(vc_live *lv, vc_error *err)
{
    vc_engine *e = &lv->e;
    memcpy(e->occ.bits, e->base, (size_t)e->occ.h * e->occ.nw * sizeof *e->base);
    for (size_t i = 0; i < lv->n; i++) {
        live_word *w = &lv->w[i];
        if (w->state == LIVE_DRAWN && w->in_occ && !vc_live_take(lv, w, err)) {
            return false;
        }
    }
    return true;
}

/* The incremental update: words not given or no longer drawable leave,
 * words whose size changed (or new ones) are seated in order of votes.
 * *fits is false when some word found no room (then the scale must
 * shrink). */
static bool grow_in_place(vc_live *lv, bool *fits, vc_error *err)
{
    *fits = true;
    for (size_t i = 0; i < lv->n; i++) {
        if (!lv->w[i].given) {
            lv->w[i].state = LIVE_GONE;
            lv->w[i].in_occ = false;
        }
    }
    /* Which words must be (re)seated: out of the canvas while they are. */
    for (size_t k = 0; k < lv->n_order; k++) {
        live_word *w = &lv->w[lv->order[k]];
        int want = wanted_state(lv, k, w);
        w->pending = false;
        if (want != LIVE_DRAWN) {
            w->state = want;
            w->in_occ = false;
        } else if (w->state != LIVE_DRAWN || w->size != lv->scale * w->f) {
            w->pending = true;
            w->in_occ = false;
        }
    }
    if (!vc_live_rebuild(lv, err)) {
        return false;
    }
    for (size_t k = 0; k < lv->n_order; k++) {
        live_word *w = &lv->w[lv->order[k]];
        if (!w->pending) {
            continue;
        }
        w->pending = false;
        bool placed = false;
        if (!vc_live_seat(lv, lv->order[k], &placed, err)) {
            return false;
        }
        if (!placed && w->state == LIVE_NO_ROOM) {
            *fits = false;
            return true;
        }
    }
    return true;
}

/* Every word again, in order of votes, each from its anchor, at the
 * current scale; *fits false at the first word with no room. */
static bool repack(vc_live *lv, bool *fits, vc_error *err)
{
    *fits = true;
    for (size_t i = 0; i < lv->n; i++) {
        lv->w[i].in_occ = false;
        if (!lv->w[i].given) {
            lv->w[i].state = LIVE_GONE;
        } else if (lv->w[i].state == LIVE_DRAWN) {
            lv->w[i].state = LIVE_NO_ROOM; /* until seated again */
        }
    }
    if (!vc_live_rebuild(lv, err)) {
        return false;
    }
    for (size_t k = 0; k < lv->n_order; k++) {
        live_word *w = &lv->w[lv->order[k]];
        int want = wanted_state(lv, k, w);
        if (want != LIVE_DRAWN) {
            w->state = want;
            continue;
        }
        bool placed = false;
        if (!vc_live_seat_repack(lv, lv->order[k], &placed, err)) {
            return false;
        }
        if (!placed && w->state == LIVE_NO_ROOM) {
            *fits = false;
            return true;
        }
    }
    return true;
}

/* After MAX_SHRINKS steps some word still finds no room: it and every
 * word with fewer votes are dropped (never a word with more votes than a
 * drawn one). */
static void drop_rest(vc_live *lv)
{
    bool rest = false;
    for (size_t k = 0; k < lv->n_order; k++) {
        live_word *w = &lv->w[lv->order[k]];
        if (!rest && w->state == LIVE_NO_ROOM) {
            rest = true;
        }
        if (rest && (w->state == LIVE_DRAWN || w->state == LIVE_GONE)) {
            w->state = LIVE_NO_ROOM;
            w->in_occ = false;
        }
        w->pending = false;
    }
}

/* The first scale: the top word at the cap (or at same_scale). */
static void first_scale(vc_live *lv)
{
    if (lv->have_scale || lv->n_order == 0) {
        return;
    }
    double top = lv->w[lv->order[0]].f;
    if (!(top > 0)) {
        return;
    }
    lv->scale = lv->opts.same_scale > 0 ? lv->opts.same_scale : lv->cap_size / top;
    lv->have_scale = true;
}

typedef struct centre {
    double x, y;
    bool drawn;
} centre;

static void note_centres(const vc_live *lv, centre *c)
{
    for (size_t i = 0; i < lv->n; i++) {
        const live_word *w = &lv->w[i];
        c[i].drawn = w->state == LIVE_DRAWN;
        c[i].x = w->x + w->sp.w / 2.0;
        c[i].y = w->y + w->sp.h / 2.0;
    }
}

static void fill_stats(const vc_live *lv, const centre *before, size_t n_before,
                       bool rescaled, vc_live_stats *st)
{
    memset(st, 0, sizeof *st);
    st->rescaled = rescaled;
    st->scale = lv->scale;
    double sum = 0;
    for (size_t k = 0; k < lv->n_order; k++) {
        size_t i = lv->order[k];
        const live_word *w = &lv->w[i];
        if (w->state != LIVE_DRAWN) {
            st->dropped++;
            continue;
        }
        st->placed++;
        if (i >= n_before || !before[i].drawn) {
            continue;
        }
        double d =
            hypot(w->x + w->sp.w / 2.0 - before[i].x, w->y + w->sp.h / 2.0 - before[i].y);
        st->compared++;
        sum += d;
        st->moved += d > w->size;
    }
    st->mean_displacement = st->compared ? sum / (double)st->compared : 0;
}

bool vc_live_update(vc_live *live, const vc_words *words, vc_live_stats *stats_out,
                    vc_error *err)
{
    if (!live) {
        return vc_fail(err, VC_ERR_SOFTWARE, "vc_live_update: no live layout");
    }
    size_t n_before = live->n;
    centre *before = vc_malloc2(n_before ? n_before : 1, sizeof *before);
    if (!before) {
        return vc_fail_nomem(err, "live update");
    }
    note_centres(live, before);
    live->updated = true;
    bool ok = take_counts(live, words, err);
    bool rescaled = false, fits = true;
    if (ok) {
        first_scale(live);
        /* Over the cap, the scale shrinks before anything is placed. */
        while (live->have_scale && live->n_order > 0 &&
               live->scale * live->w[live->order[0]].f > live->cap_size * (1 + 1e-9) &&
               !(live->opts.same_scale > 0)) {
            shrink(live);
            rescaled = true;
        }
        ok = rescaled ? repack(live, &fits, err) : grow_in_place(live, &fits, err);
    }
    for (int step = 0; ok && !fits && step < VC_LIVE_MAX_SHRINKS; step++) {
        shrink(live);
        rescaled = true;
        ok = repack(live, &fits, err);
    }
    if (ok && !fits) {
        drop_rest(live);
        ok = vc_live_rebuild(live, err);
    }
    if (ok && stats_out) {
        fill_stats(live, before, n_before, rescaled, stats_out);
    }
    free(before);
    return ok;
}
