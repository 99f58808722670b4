/* place.c - placement at one scale: the canvas (occupancy bitmap with the
 * shape, mask, margin and legend band taken, and the spirals), and each
 * word walking a spiral from the centre until its ink fits (a trial). */
#include "layout/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A word walks the coarsest spiral whose turns are at most 1/LEVEL_SHARE
 * of its smaller side apart, so big words test a fraction of the points
 * at no visible cost in packing. */
#define LEVEL_SHARE 4.0

/* An engine keeps the spirals it has made in its context's cache (so the
 * auto fit switching among its variants, and the next layout with that
 * context, find them made) on canvases up to this many pixels.  On larger
 * ones it has no cache, and remakes its one set of tables as the next
 * variant, as every canvas did before.  Measured against that (release
 * build, hyperfine): batch of 50 events of 30 words, -j2, 1,128 -> 878 ms
 * at 1200x675 (the default; CPU -26%) and 681 -> 592 ms at 800x600; one
 * auto fit of 50 words at 800x600 85 -> 71 ms, of 80 words at 1200x675 no
 * faster, each with about 8 MB more peak memory.  Kept on larger canvases
 * too, the variants saved nothing at 1080x1920 and 1920x1080 and cost 13%
 * at 3840x2160 (fresh pages cost more than remaking the points) and up to
 * 30 MB. */
#define CACHE_MAX_PX 1000000

bool vc_canvas_setup(vc_engine *e, vc_error *err)
{
    const vc_render_options *o = e->o;
    /* --legend keeps a band at the bottom free of words (the renderers
     * draw the key there): words are laid out on the canvas above it. */
    int band = o->legend ? (int)fmax(28, round(0.08 * o->height)) : 0;
    int top = e->L->legend_top = o->height - (band < o->height / 3 ? band : o->height / 3);
    if (o->mask_path &&
        !vc_mask_load(o->mask_path, o->width, top, o->max_pixels, &e->mask, err)) {
        return false;
    }
    /* A live cloud's engine has no context: no cache. */
    e->spirals = e->ctx && (double)o->width * top <= CACHE_MAX_PX ? e->ctx->spirals : NULL;
    if (!vc_occupancy_init(&e->occ, o->width, top, err) || !vc_canvas_respiral(e, 0, err)) {
        return false;
    }
    vc_occupancy_reset(&e->occ, o->shape, o->mask_path ? &e->mask : NULL);
    /* Ink stays `padding` inside the margin, as it stays `padding` away
     * from other words. */
    int shorter = o->width < top ? o->width : top;
    int margin = o->margin >= 0 ? o->margin : (int)lround(0.01 * shorter);
    e->frame = margin + o->padding;
    vc_occupancy_take_frame(&e->occ, e->frame);
    size_t words = (size_t)e->occ.h * e->occ.nw;
    e->base = vc_malloc2(words, sizeof *e->base);
    if (!e->base) {
        return vc_fail_nomem(err, "canvas occupancy bitmap");
    }
    memcpy(e->base, e->occ.bits, words * sizeof *e->base);
    size_t free_px = 0;
    for (size_t i = 0; i < words; i++) {
        free_px += (size_t)(64 - __builtin_popcountll(e->base[i]));
    }
    /* Bits past the canvas's right edge count as free above. */
    free_px -= (size_t)e->occ.h * (e->occ.nw * 64 - (size_t)e->occ.w);
    e->usable_area = (double)free_px;
    return true;
}

/* How much flatter than the usual spiral variant v is: horizontal words
 * pack differently on flatter rings, and which packs a small cloud best
 * varies with the words and canvas (measured on 50-80 words, the auto
 * fit's variants turned only: +0-3% scale; turned and flattened by these:
 * +1-7%, the flattest helping most on portrait canvases). */
static const double VARIANT_FLATTEN[N_VARIANTS] = {1, 0.85, 0.7, 0.55, 0.4};

/* Variant 0 is the seed's own spiral; the others are turned and sensed by
 * seeds that follow from it, and some are flatter. */
static uint64_t variant_seed(const vc_engine *e, unsigned variant)
{
    return e->o->seed + variant * 0x9E3779B97F4A7C15ULL;
}

static vc_spiral_walk *borrow_level(vc_engine *e, unsigned variant, size_t k, vc_error *err)
{
    return vc_spiral_borrow(e->spirals, e->occ.w, e->occ.h, e->o->spiral, (double)(1u << k),
                            variant_seed(e, variant), VARIANT_FLATTEN[variant % N_VARIANTS],
                            err);
}

bool vc_canvas_respiral(vc_engine *e, unsigned variant, vc_error *err)
{
    if (e->sp[0] && variant == e->variant) {
        return true;
    }
    if (e->holding) {
        e->variant = variant % N_VARIANTS;
        memcpy(e->sp, e->held[e->variant], sizeof e->sp);
        return true;
    }
    uint64_t seed = variant_seed(e, variant);
    double flatten = VARIANT_FLATTEN[variant % N_VARIANTS];
    if (e->sp[0] && !e->spirals) {
        e->variant = variant;
        for (size_t k = 0; k < N_LEVELS; k++) {
            if (!vc_spiral_reseed(e->sp[k], seed, flatten, err)) {
                return false;
            }
        }
        return true;
    }
    /* Given back first, so that a cache over its budget can remake them
     * as the new variant. */
    for (size_t k = 0; k < N_LEVELS; k++) {
        vc_spiral_give_back(e->spirals, e->sp[k]);
        e->sp[k] = NULL;
    }
    e->variant = variant;
    for (size_t k = 0; k < N_LEVELS; k++) {
        if (!(e->sp[k] = borrow_level(e, variant, k, err))) {
            return false;
        }
    }
    return true;
}

/* The maker thread: the held spirals' points, as far as a walker has
 * yet gone on a spiral of that level (a trial on another variant walks
 * about as far), in the order the auto fit tries the variants, coarsest
 * first (the big words come first).  Made to the corners instead, most
 * points of a 30-word cloud were never walked: 30 ms more CPU a render. */
static void *make_variants(void *arg)
{
    vc_engine *e = arg;
    size_t reach[N_LEVELS] = {0};
    for (unsigned v = 0; v < N_VARIANTS; v++) {
        for (size_t k = 0; k < N_LEVELS; k++) {
            size_t seen = atomic_load_explicit(&e->held[v][k]->seen, memory_order_relaxed);
            reach[k] = seen > reach[k] ? seen : reach[k];
        }
    }
    for (unsigned j = 0; j < N_VARIANTS; j++) {
        for (size_t k = N_LEVELS; k-- > 0;) {
            vc_spiral_walk *sp = e->held[(e->maker_from + j) % N_VARIANTS][k];
            while (!atomic_load_explicit(&e->maker_stop, memory_order_relaxed) &&
                   atomic_load_explicit(&sp->avail, memory_order_relaxed) < reach[k] &&
                   vc_spiral_generate_chunk(sp)) {
            }
        }
    }
    atomic_store_explicit(&e->maker_done, true, memory_order_release);
    return NULL;
}

static bool hold_variants(vc_engine *e, vc_error *err)
{
    /* Held from here, so that vc_canvas_finish gives back whatever was
     * borrowed, also when a borrow below fails. */
    e->holding = true;
    memcpy(e->held[e->variant], e->sp, sizeof e->sp);
    for (unsigned v = 0; v < N_VARIANTS; v++) {
        for (size_t k = 0; v != e->variant && k < N_LEVELS; k++) {
            if (!(e->held[v][k] = borrow_level(e, v, k, err))) {
                return false;
            }
        }
    }
    return true;
}

/* The auto fit of a small cloud made nearly all its spiral points on the
 * walker's thread (1.07 million of 1.07 for 50 words at 800x600), a fifth
 * to a quarter of its CPU, while the second core idled.  With the maker
 * (hyperfine, release, the same bytes): 50 words at 800x600 55.7 -> 49.1
 * ms, 80 words at 1200x675 97 -> 80 ms, 30 words 44.9 -> 39.7 ms; 50
 * words at 1080x1920 no faster. */
bool vc_canvas_make_variants(vc_engine *e, vc_error *err)
{
    if (!e->spirals || e->o->threads == 1) {
        return true;
    }
    if (!e->holding && !hold_variants(e, err)) {
        return false;
    }
    if (e->maker_running) {
        if (!atomic_load_explicit(&e->maker_done, memory_order_acquire)) {
            return true; /* still making what the last sweep wanted */
        }
        vc_canvas_stop_making(e);
    }
    atomic_init(&e->maker_stop, false);
    atomic_init(&e->maker_done, false);
    e->maker_from = e->variant;
    /* Without the thread the walker makes the points, as before. */
    e->maker_running = pthread_create(&e->maker, NULL, make_variants, e) == 0;
    return true;
}

void vc_canvas_stop_making(vc_engine *e)
{
    if (e->maker_running) {
        atomic_store_explicit(&e->maker_stop, true, memory_order_relaxed);
        pthread_join(e->maker, NULL);
        e->maker_running = false;
    }
}

void vc_canvas_finish(vc_engine *e)
{
    vc_canvas_stop_making(e);
    free(e->base);
    free(e->order);
    free(e->boxes);
    free(e->bands);
    free(e->scratch);
    vc_occupancy_finish(&e->occ);
    if (e->holding) {
        /* sp[] is one of the held rows. */
        memset(e->sp, 0, sizeof e->sp);
        for (unsigned v = 0; v < N_VARIANTS; v++) {
            for (size_t k = 0; k < N_LEVELS; k++) {
                vc_spiral_give_back(e->spirals, e->held[v][k]);
                e->held[v][k] = NULL;
            }
        }
        e->holding = false;
    }
    for (size_t k = 0; k < N_LEVELS; k++) {
        vc_spiral_give_back(e->spirals, e->sp[k]);
        e->sp[k] = NULL;
    }
    vc_mask_finish(&e->mask);
}

/* A phrase on several lines keeps words of a like size (within
 * PHRASE_LIKE of its own) off a band above its first line and one below
 * its last, PHRASE_CLEAR times its own widest gap between lines tall and
 * at least PHRASE_CLEAR_EM of its size (a line with descenders over one
 * with ascenders may leave a gap of 0.05 em): such a word nearer than the
 * phrase's lines are to each other reads as one more line of it (seen:
 * "Together" right above "Closer / to home" read as one three-line
 * answer), while a much smaller or larger one does not.  Measured on the
 * bench's 120 phrases at 1080x1920 (scale.py, seed 42; wrapped): the top
 * size fell 94.0 -> 83.0 px with the bands kept from every word, and to
 * 88.7 px with like sizes only; at 1080x1080 and 1200x675 the one-line
 * plan now wins (72.4 and 63.9 px, were 69.7 and 60.3 wrapped). */
#define PHRASE_CLEAR 1.25
#define PHRASE_CLEAR_EM 0.15
#define PHRASE_LIKE 1.5

/* An ink box or a band, canvas px, and the font size it belongs to. */
typedef struct vc_sized_box {
    int box[4];
    double size;
} sized_box;

/* What a word must keep clear of, besides the occupancy: its size, and
 * for a horizontal phrase on several lines its bands (x0, y0, x1, y1 from
 * its origin). */
typedef struct clear_bands {
    double size;
    int n;
    int box[2][4];
} clear_bands;

static void phrase_bands(const vc_shaped *sh, double size, double rotation, clear_bands *cb)
{
    cb->size = size;
    cb->n = 0;
    if (sh->n_lines < 2 || rotation != 0) {
        return; /* a turned phrase keeps its whole box (vc_take_between_lines) */
    }
    double gap = 0;
    for (unsigned k = 0; k + 1 < sh->n_lines; k++) {
        gap = fmax(gap, sh->line_ink[k + 1][1] - sh->line_ink[k][3]);
    }
    int h = (int)ceil(fmax(PHRASE_CLEAR * gap, PHRASE_CLEAR_EM) * size);
    const double *top = sh->line_ink[0], *bottom = sh->line_ink[sh->n_lines - 1];
    int t = (int)floor(top[1] * size), b = (int)ceil(bottom[3] * size);
    int above[4] = {(int)floor(top[0] * size), t - h, (int)ceil(top[2] * size), t};
    int below[4] = {(int)floor(bottom[0] * size), b, (int)ceil(bottom[2] * size), b + h};
    memcpy(cb->box[0], above, sizeof above);
    memcpy(cb->box[1], below, sizeof below);
    cb->n = 2;
}

/* Band k of `cb` on the canvas, for the phrase's origin at (ox, oy). */
static void band_at(const clear_bands *cb, int k, int ox, int oy, int band[4])
{
    band[0] = ox + cb->box[k][0];
    band[1] = oy + cb->box[k][1];
    band[2] = ox + cb->box[k][2];
    band[3] = oy + cb->box[k][3];
}

int vc_phrase_bands_at(const vc_shaped *sh, const vc_sprite *s, double size,
                       double rotation, int x, int y, int band[2][4])
{
    clear_bands cb;
    phrase_bands(sh, size, rotation, &cb);
    for (int k = 0; k < cb.n; k++) {
        band_at(&cb, k, x - s->x0, y - s->y0, band[k]);
    }
    return cb.n;
}

bool vc_like_size(double a, double b)
{
    return a <= b * PHRASE_LIKE && b <= a * PHRASE_LIKE;
}

static bool add_box(sized_box **list, size_t *n, size_t *cap, const int box[4], double size)
{
    if (!vc_grow((void **)list, cap, *n + 1, sizeof **list)) {
        return false;
    }
    sized_box *sb = &(*list)[(*n)++];
    memcpy(sb->box, box, sizeof sb->box);
    sb->size = size;
    return true;
}

/* The sprite, whose ink meets nothing taken at top-left (x, y), stays
 * out of the bands of placed phrases of a like size, and (a phrase) its
 * own bands hold no placed word of a like size. */
static bool clear_of_phrases(const vc_engine *e, const vc_sprite *s, const clear_bands *cb,
                             int x, int y)
{
    int ink[4] = {x, y, x + s->w, y + s->h};
    for (size_t i = 0; i < e->n_bands; i++) {
        if (vc_like_size(e->bands[i].size, cb->size) &&
            vc_boxes_meet(e->bands[i].box, ink)) {
            return false;
        }
    }
    int ox = x - s->x0, oy = y - s->y0;
    for (int k = 0; k < cb->n; k++) {
        int band[4];
        band_at(cb, k, ox, oy, band);
        for (size_t i = 0; i < e->n_boxes; i++) {
            if (vc_like_size(e->boxes[i].size, cb->size) &&
                vc_boxes_meet(e->boxes[i].box, band)) {
                return false;
            }
        }
    }
    return true;
}

/* Whether a place must also be checked with clear_of_phrases: a phrase
 * on several lines is placed or being placed. */
static bool phrases_in_play(const vc_engine *e, const clear_bands *cb)
{
    return e->n_bands > 0 || cb->n > 0;
}

/* Records a placed word's ink box and, for a phrase, its bands. */
static bool record_word(vc_engine *e, const clear_bands *cb, const int box[4], int ox, int oy,
                        vc_error *err)
{
    bool ok = add_box(&e->boxes, &e->n_boxes, &e->cap_boxes, box, cb->size);
    for (int k = 0; ok && k < cb->n; k++) {
        int band[4];
        band_at(cb, k, ox, oy, band);
        ok = add_box(&e->bands, &e->n_bands, &e->cap_bands, band, cb->size);
    }
    return ok || vc_fail_nomem(err, "placed words");
}

/* Tries the alive points of spiral `sp` from index `from` up to `to`
 * until the sprite's ink meets nothing taken.
 * A word that fits nowhere tests every alive point (143,000 for each of
 * the book's 8 px words once its canvas is full: 23 of the 40 million
 * tests of that layout).  Measured and not kept (2026-12-03), both giving
 * the same bytes:
 * - after 4,096 tests, every position where the word fits found at once,
 *   64 at a time (a window of the canvas row per ink pixel, until all 64
 *   are blocked), and the rest of the walk looking them up: one such
 *   sweep of 1920x1080 took 1.3 ms for an 8 px word, more than its whole
 *   failing walk (1.1 ms), since the spiral visits one position in 14 and
 *   a full canvas's gaps take dozens of pixels to block 64 positions; a
 *   big word's thousands of ink pixels cost far more (the book's layout
 *   369 -> 1,041 ms, 5,000 words 0.18 -> 39 s);
 * - prefetching the canvas row of the point 2, 8 or 32 ahead: the book
 *   8-15% slower. */
__attribute__((noinline)) static bool walk_ink(vc_engine *e, vc_spiral_walk *sp,
                                               const vc_sprite *s, size_t from, size_t to,
                                               size_t *at, bool *nomem)
{
    int w = e->occ.w, h = e->occ.h;
    /* Anchors outside [ax0, ax1] x [ay0, ay1] put the word (or its ink
     * within the frame) off the usable canvas; past the ring through
     * that box's corners a word with no room stops. */
    int ax0 = s->ax + e->frame, ay0 = s->ay + e->frame;
    int ax1 = w - e->frame - s->w + s->ax, ay1 = h - e->frame - s->h + s->ay;
    if (ax1 < ax0 || ay1 < ay0) {
        return false;
    }
    double limit = vc_spiral_ring_limit(sp, ax0, ay0, ax1, ay1);
    for (size_t i = vc_spiral_next(sp, from, nomem); i < to;
         i = vc_spiral_next(sp, i + 1, nomem)) {
        if (vc_spiral_ring(sp, i) > limit) {
            break;
        }
        int px = sp->pt[i].x, py = sp->pt[i].y;
        if (vc_occupancy_get(&e->occ, px, py)) {
            vc_spiral_kill(sp, i);
            continue;
        }
        if (px < ax0 || py < ay0 || px > ax1 || py > ay1) {
            continue;
        }
        if (!vc_occupancy_collides(&e->occ, s, px - s->ax, py - s->ay)) {
            *at = i;
            return true;
        }
    }
    return false;
}

/* walk_ink, until the word also keeps clear of phrases (clear_of_phrases).
 * The phrase test stays out of walk_ink's loop, which every word runs for
 * every point, and walk_ink is compiled alone, as it was before phrases
 * had bands: with the test inside, or walk_ink inlined here, w5k ran 2-3%
 * more instructions (callgrind, --threads 1), no phrase in sight. */
static bool walk_range(vc_engine *e, vc_spiral_walk *sp, const vc_sprite *s,
                       const clear_bands *cb, size_t from, size_t to, size_t *at, bool *nomem)
{
    bool phrases = phrases_in_play(e, cb);
    while (walk_ink(e, sp, s, from, to, at, nomem)) {
        int x = sp->pt[*at].x - s->ax, y = sp->pt[*at].y - s->ay;
        if (!phrases || clear_of_phrases(e, s, cb, x, y)) {
            return true;
        }
        from = *at + 1;
    }
    return false;
}

/* The spiral a word walks: the coarsest whose turns are at most
 * 1/LEVEL_SHARE of the word's smaller side apart. */
static size_t spiral_level(const vc_sprite *s)
{
    int m = s->w < s->h ? s->w : s->h;
    size_t k = 0;
    while (k + 1 < N_LEVELS && 3.0 * (double)(2u << k) * LEVEL_SHARE <= m) {
        k++;
    }
    return k;
}

/* A sprite's size bucket along one side: `per_octave` per doubling. */
static size_t side_bucket(int px, double per_octave)
{
    double b = log2(px > 1 ? px : 1) * per_octave;
    return b < N_BUCKETS - 1 ? (size_t)b : N_BUCKETS - 1;
}

/* Walks the spiral for one word; true with *at (a spiral index) when it
 * fits.  A word starts where the last word no larger in height or in
 * width (by size bucket) was placed: the points before failed for that
 * word and mostly fail for this one, so starting there saves re-testing
 * the crowded middle, while a short word still looks in the middle after
 * long words of its height went far out; if the rest of the spiral has no
 * room, the skipped part is tried too, so no word is left out while there
 * is room for it.  hint[k][h][w] is the furthest such point for words of
 * bucket h by w, kept non-decreasing in h and in w.
 * The hint costs some compactness (a word may have fitted before it):
 * measured (scale.py, 2026-12-03), every word walking from the spiral's
 * start drew 1.4-3% larger on 14 of 18 rows (one bisection step; none of
 * the small clouds crossed 1.2x the best peer) but rendered 4-45x slower
 * (--fit none: w1k 39 -> 399 ms, w5k 0.19 -> 8.7 s; w1k's auto fit 0.13 ->
 * 3.0 s); without hints on the coarser spirals only (level >= 1): +1.4%
 * on 5 rows of 50-200 words, w5k 157 -> 278 ms (over the 250) and
 * auto fits up to 2x.  Not kept. */
static bool walk(vc_engine *e, const vc_sprite *s, const clear_bands *cb, size_t *level,
                 size_t *at, bool *nomem)
{
    /* Every word on the finest spiral (a big word then stops right
     * against its neighbours, not up to a quarter of its height short) was
     * measured on top of fit.c's order: +0.7% scale on average (-0.4 to
     * +2.2% per row) for 1.3-1.7x the CPU of those auto fits, which the
     * web app's preview pays on every change: not kept.  Nor only a word
     * that finds no room on its own spiral walking the finer ones too
     * (2026-12-03): one of scale.py's 18 rows drew larger (200 words at
     * 1080x1080, +1.4%); the word that stops a scale has no room at any
     * point, not only between the coarse spiral's. */
    size_t k = *level = spiral_level(s);
    vc_spiral_walk *sp = e->sp[k];
    size_t bh = side_bucket(s->h, HEIGHT_BUCKETS_PER_OCTAVE);
    size_t bw = side_bucket(s->w, WIDTH_BUCKETS_PER_OCTAVE);
    size_t start = e->hint[k][bh][bw];
    bool ok = walk_range(e, sp, s, cb, start, SIZE_MAX, at, nomem) ||
              (start > 0 && !*nomem && walk_range(e, sp, s, cb, 0, start, at, nomem));
    if (ok) {
        /* Every bucket at least as high and as wide starts at *at or
         * further; rows and columns that already do end the update. */
        for (size_t h = bh; h < N_BUCKETS && e->hint[k][h][bw] < *at; h++) {
            for (size_t w = bw; w < N_BUCKETS && e->hint[k][h][w] < *at; w++) {
                e->hint[k][h][w] = *at;
            }
        }
    }
    return ok;
}

/* Walks the word's spiral from its home (issue 15, batch --coordinate):
 * the spiral's offsets from the canvas centre, moved so the anchor (an ink
 * pixel near the word's middle) starts at the home, every point tried
 * (points found taken are marked for the centre walk only).  False when
 * the word has no home place or the moved spiral finds no room; the
 * caller then walks from the centre, so no word loses a place it had. */
static bool walk_home(vc_engine *e, const vc_sprite *s, const clear_bands *cb,
                      const vc_home *home, int *x, int *y, bool *nomem)
{
    if (!home || !(home->x >= 0 && home->x <= 1 && home->y >= 0 && home->y <= 1)) {
        return false;
    }
    vc_spiral_walk *sp = e->sp[spiral_level(s)];
    int ax0 = s->ax + e->frame, ay0 = s->ay + e->frame;
    int ax1 = e->occ.w - e->frame - s->w + s->ax, ay1 = e->occ.h - e->frame - s->h + s->ay;
    if (ax1 < ax0 || ay1 < ay0) {
        return false;
    }
    double dx = home->x * e->o->width - sp->cx, dy = home->y * e->o->height - sp->cy;
    double limit = vc_spiral_ring_limit(sp, ax0 - dx, ay0 - dy, ax1 - dx, ay1 - dy);
    bool phrases = phrases_in_play(e, cb);
    for (size_t i = 0;;) {
        size_t r = vc_spiral_find(sp, i, nomem);
        for (size_t end = r == SIZE_MAX ? sp->n : r + 1; i < end; i++) {
            if (vc_spiral_ring(sp, i) > limit) {
                return false;
            }
            int px = (int)lround(sp->pt[i].x + dx), py = (int)lround(sp->pt[i].y + dy);
            if (px < ax0 || py < ay0 || px > ax1 || py > ay1 || vc_occupancy_get(&e->occ, px, py)) {
                continue;
            }
            if (!vc_occupancy_collides(&e->occ, s, px - s->ax, py - s->ay) &&
                (!phrases || clear_of_phrases(e, s, cb, px - s->ax, py - s->ay))) {
                *x = px - s->ax;
                *y = py - s->ay;
                return true;
            }
        }
        if (r == SIZE_MAX) {
            return false;
        }
    }
}

/* Side by side, words need about a word space between them to read as
 * two words; above and below, a thin gap is enough. */
#define SIDEWAYS 4

/* The space kept around a placed word of `font_size` px: the larger of
 * padding and padding_em x the size above and below, four times that
 * sideways.  Words are placed largest first, so the gap between two
 * words is at least the larger one's. */
static void word_padding(const vc_render_options *o, double font_size, int *pad_x,
                         int *pad_y)
{
    double grown = o->padding_em * font_size;
    *pad_y = grown > o->padding ? (int)lround(grown) : o->padding;
    double side = SIDEWAYS * grown;
    *pad_x = side > o->padding ? (int)lround(side) : o->padding;
}

/* Takes the pixels of [x0, x1) x [y0, y1), clipped to the canvas. */
static void take_rect(vc_occupancy *occ, int x0, int y0, int x1, int y1)
{
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > occ->w ? occ->w : x1;
    y1 = y1 > occ->h ? occ->h : y1;
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            vc_occupancy_set(occ, x, y);
        }
    }
}

/* Nothing may sit just before or after a word along its line, over the
 * whole height of its ink box: tucked under a neighbour's capital or
 * beside its last letter, it would read as part of that word. */
static void take_line_ends(vc_occupancy *occ, const int box[4], double rotation, int gap)
{
    double r = fmod(fabs(rotation), 180.0);
    if (r == 0) {
        take_rect(occ, box[0] - gap, box[1], box[0], box[3]);
        take_rect(occ, box[2], box[1], box[2] + gap, box[3]);
    } else if (r == 90) {
        take_rect(occ, box[0], box[1] - gap, box[2], box[1]);
        take_rect(occ, box[0], box[3], box[2], box[3] + gap);
    }
}

/* A little below the x-height of Latin fonts (Noto Sans: 0.536 em). */
#define WRAP_X_HEIGHT 0.5

/* A phrase on several lines takes the space between each two lines where
 * both have ink (a small word there would read as part of it), leaving
 * the corners beside a shorter line free; rotated, its whole ink box.
 * (ox, oy): its origin; box: its ink box, canvas px. */
void vc_take_between_lines(vc_occupancy *occ, const vc_shaped *sh, double size,
                           double rotation, int ox, int oy, const int box[4])
{
    if (rotation != 0) {
        take_rect(occ, box[0], box[1], box[2], box[3]);
        return;
    }
    for (unsigned k = 0; k + 1 < sh->n_lines; k++) {
        const double *a = sh->line_ink[k], *b = sh->line_ink[k + 1];
        double x0 = fmax(a[0], b[0]) * size, x1 = fmin(a[2], b[2]) * size;
        /* From line k's baseline (its descenders' pockets) to the next
         * line's x-height (the pockets between its ascenders). */
        double y0 = k * VC_WRAP_LEADING * size;
        double y1 = ((k + 1) * VC_WRAP_LEADING - WRAP_X_HEIGHT) * size;
        take_rect(occ, ox + (int)floor(x0), oy + (int)floor(y0), ox + (int)ceil(x1),
                  oy + (int)ceil(y1));
    }
}

/* Places word i, whose ink is in tw->ink and bit mask in `s`; `sh` its
 * glyphs (a phrase may be on several lines): walking from each of its
 * homes in turn, then from the centre. */
static bool place_word(vc_engine *e, const vc_sprite *s, double font_size, double rotation,
                       const vc_home *const *homes, size_t n_homes, const vc_shaped *sh,
                       vc_trial_word *tw, vc_error *err)
{
    if (tw->state == WORD_TOO_LONG) {
        return true;
    }
    if (s->h == 0) {
        tw->state = WORD_NO_INK;
        return true;
    }
    size_t at = 0, level = 0;
    bool nomem = false;
    int x, y;
    clear_bands cb;
    phrase_bands(sh, font_size, rotation, &cb);
    bool home = false;
    for (size_t k = 0; !home && !nomem && k < n_homes; k++) {
        home = walk_home(e, s, &cb, homes[k], &x, &y, &nomem);
    }
    if (home) {
        /* placed near a home */
    } else if (!nomem && walk(e, s, &cb, &level, &at, &nomem)) {
        x = e->sp[level]->pt[at].x - s->ax;
        y = e->sp[level]->pt[at].y - s->ay;
    } else {
        if (nomem) {
            return vc_fail_nomem(err, "spiral");
        }
        tw->state = WORD_NO_ROOM;
        return true;
    }
    if (!vc_canvas_take_word(e, s, x, y, font_size, rotation, err)) {
        return false;
    }
    tw->state = WORD_PLACED;
    tw->x = x - s->x0;
    tw->y = y - s->y0;
    tw->box[0] = x;
    tw->box[1] = y;
    tw->box[2] = x + s->w;
    tw->box[3] = y + s->h;
    if (sh->n_lines > 1) {
        vc_take_between_lines(&e->occ, sh, font_size, rotation, tw->x, tw->y, tw->box);
    }
    return record_word(e, &cb, tw->box, tw->x, tw->y, err);
}

bool vc_canvas_take_word(vc_engine *e, const vc_sprite *s, int x, int y, double font_size,
                         double rotation, vc_error *err)
{
    int pad_x, pad_y;
    word_padding(e->o, font_size, &pad_x, &pad_y);
    size_t need = vc_occupancy_scratch_words(s, pad_x);
    if (need > e->scratch_cap) {
        uint64_t *p = vc_malloc2(need, sizeof *p);
        if (!p) {
            return vc_fail_nomem(err, "placement scratch row");
        }
        free(e->scratch);
        e->scratch = p;
        e->scratch_cap = need;
    }
    vc_occupancy_add(&e->occ, s, x, y, pad_x, pad_y, e->scratch);
    int box[4] = {x, y, x + s->w, y + s->h};
    take_line_ends(&e->occ, box, rotation, pad_x);
    return true;
}

/* A word and its place in the order of a trial (trial_order). */
typedef struct vc_order_key {
    double key;
    size_t i;
} order_key;

/* Larger key first; ties by index, so the order is total. */
static int order_cmp(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->key != b->key) {
        return a->key > b->key ? -1 : 1;
    }
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Word i of the vote order may go before word i - 1 (at `scale`): both on
 * one line and kept apart by the same padding.  Words are otherwise
 * placed largest first because a word's padding and the space a phrase
 * keeps between its lines are taken for the words placed after it only:
 * a larger padding placed later would not be kept from the ink already
 * there. */
static bool may_trade(const vc_engine *e, double scale, size_t i)
{
    if (e->c[i].shaped.n_lines > 1 || e->c[i - 1].shaped.n_lines > 1) {
        return false;
    }
    int ax, ay, bx, by;
    word_padding(e->o, scale * e->c[i].f, &ax, &ay);
    word_padding(e->o, scale * e->c[i - 1].f, &bx, &by);
    return ax == bx && ay == by;
}

/* Where a word's walk starts before the centre, into homes[]; how many:
 * its home from another event's cloud (batch --coordinate, issue 15) or,
 * turned upright by --rotate auto, the middle of the left side of the
 * canvas, then of the right.  By a side, as an axis title stands, a long
 * upright word leaves the flat words one wide block; across the middle it
 * split them in two (measured: 10 words at 1080x1920, scale 2.74 -> 3.19;
 * 200 words, 180.7 px either way). */
static size_t homes_of(const vc_engine *e, const vc_cand *c, const vc_home *homes[2])
{
    static const vc_home sides[2] = {{.x = 0, .y = 0.5}, {.x = 1, .y = 0.5}};
    homes[0] = vc_home_find(e->o, c->src->text);
    if (homes[0]) {
        return 1;
    }
    if (c->turned == 0) {
        return 0;
    }
    homes[0] = &sides[0];
    homes[1] = &sides[1];
    return 2;
}

/* The order in which a trial places the first n words (e->order_width >
 * 0, fit.c), into e->order[0 .. n).i: within each run of words that may
 * trade places, by votes x (long side of the ink)^order_width, most
 * first.  The array is made once, for every candidate. */
static bool trial_order(vc_engine *e, double scale, size_t n, vc_error *err)
{
    if (!e->order && !(e->order = vc_malloc2(e->n ? e->n : 1, sizeof *e->order))) {
        return vc_fail_nomem(err, "word order");
    }
    order_key *k = e->order;
    for (size_t i = 0; i < n; i++) {
        /* The long side: a word turned 90 degrees needs a tall band. */
        double len = fmax(e->c[i].ink_w, e->c[i].ink_h);
        k[i] = (order_key){e->c[i].f * pow(len > 0 ? len : 0, e->order_width), i};
    }
    for (size_t run = 0, i = 1; i <= n; i++) {
        if (i == n || !may_trade(e, scale, i)) {
            qsort(k + run, i - run, sizeof *k, order_cmp);
            run = i;
        }
    }
    return true;
}

/* Lays out the first n_keep candidates at `scale`.  With `abort_early` the
 * trial stops at the first word that does not fit. */
bool vc_trial_run(vc_engine *e, double scale, size_t n_keep, bool abort_early,
                  vc_trial *t, vc_error *err)
{
    memset(t, 0, sizeof *t);
    t->scale = scale;
    t->n_keep = n_keep;
    t->ok = true;
    t->w = vc_calloc2(n_keep ? n_keep : 1, sizeof *t->w);
    if (!t->w) {
        return vc_fail_nomem(err, "layout trial");
    }
    memcpy(e->occ.bits, e->base, (size_t)e->occ.h * e->occ.nw * sizeof *e->base);
    for (size_t k = 0; k < N_LEVELS; k++) {
        vc_spiral_revive(e->sp[k]);
    }
    memset(e->hint, 0, sizeof e->hint);
    e->n_boxes = e->n_bands = 0;
    vc_ahead a;
    if (!vc_ahead_start(&a, e, scale, n_keep, t->w, err)) {
        return false;
    }
    bool ordered = e->order_width > 0;
    if (ordered && !trial_order(e, scale, n_keep, err)) {
        vc_ahead_end(&a);
        return false;
    }
    bool ok = true;
    size_t taken = 0; /* words [0, taken) are taken from the rasteriser */
    for (size_t q = 0; ok && q < n_keep; q++) {
        size_t i = ordered ? e->order[q].i : q;
        double area = e->c[i].ink_w * e->c[i].ink_h * scale * scale * e->c[i].f * e->c[i].f;
        t->tried_area += area;
        /* The rasteriser hands words over in vote order, and stops at the
         * first it fails to make (raster-ahead.c): a word placed out of
         * that order is reached by taking every word before it. */
        while (ok && taken <= i) {
            ok = vc_ahead_take(&a, taken++, err);
        }
        if (!ok) {
            /* Word i may still be in the making on the rasteriser thread
             * (out of order, a word before it failed): its sprite is left
             * to vc_ahead_end, which joins the thread first. */
            break;
        }
        const vc_home *homes[2];
        size_t n_homes = homes_of(e, &e->c[i], homes);
        ok = place_word(e, &a.sprites[i], scale * e->c[i].f, e->c[i].rotation, homes, n_homes,
                        &e->c[i].shaped, &t->w[i], err);
        vc_sprite_finish(&a.sprites[i]);
        if (!ok) {
            break;
        }
        if (t->w[i].state == WORD_PLACED) {
            t->placed_area += area;
            continue;
        }
        if (t->w[i].state == WORD_NO_ROOM && t->ok) {
            t->ok = false;
            t->fail_at = i;
        }
        if (!t->ok && abort_early) {
            break;
        }
    }
    vc_ahead_end(&a);
    return ok;
}

void vc_trial_free(vc_trial *t)
{
    if (!t || !t->w) {
        return;
    }
    for (size_t i = 0; i < t->n_keep; i++) {
        vc_ink_finish(&t->w[i].ink);
    }
    free(t->w);
    memset(t, 0, sizeof *t);
}
