/* layout.c - sizing and placement: every word is shaped once, sized as
 * scale * f(votes) with one scale for the whole cloud (the largest at which
 * every kept word fits, unless --fit none), and walked along a spiral from
 * the centre until its ink fits (occupancy.c, spiral.c).  Also the layout's
 * getters. */
#include "occupancy.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLORS 256
/* WCAG "large text": 24 px, or 18.66 px (14 pt) when bold. */
#define LARGE_TEXT_PX 24.0
#define LARGE_BOLD_TEXT_PX 18.66
/* Auto fit stops when the largest scale that fitted is within this factor
 * of the smallest that did not. */
#define FIT_TOLERANCE 1.04
/* The share of the usable area the kept words' ink boxes cover when the
 * spiral packs them (measured: about 0.75 for 1,000 words); the first
 * trial's scale comes from it. */
#define FILL 0.72
/* After a fit, the next trial grows the scale by this. */
#define GROW 1.06
#define MAX_TRIALS 60
#define N_BUCKETS 64
/* Spirals of coarseness 1, 2, 4, ...: a word walks the coarsest whose
 * turns are at most 1/LEVEL_SHARE of its smaller side apart, so big words
 * test a fraction of the points at no visible cost in packing. */
#define N_LEVELS 4
#define LEVEL_SHARE 4.0
/* The rasteriser thread runs at most this many words ahead of placement,
 * so a trial that stops at its first misfit wastes little. */
#define RASTER_LEAD 48

void vc_render_options_init(vc_render_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->width = 1200;
    opts->height = 675;
    opts->sizing = VC_SIZING_LINEAR;
    opts->fit = VC_FIT_AUTO;
    opts->max_font_size = 0;
    opts->min_font_size = 8;
    opts->padding = 2;
    opts->spiral = VC_SPIRAL_ARCHIMEDEAN;
    opts->shape = VC_SHAPE_RECTANGLE;
    opts->rotate = VC_ROTATE_NONE;
    opts->prefer_horizontal = 0.9;
    opts->seed = 1;
    opts->palette = "nhs";
    opts->color_by = VC_COLOR_BY_RANK;
    opts->background = "#ffffff";
    opts->scale = 1;
    opts->dpi = 96;
    opts->contrast = true;
    opts->contrast_against = "#ffffff";
    opts->max_pixels = 100000000;
    opts->margin = -1;
}

double vc_sizing_value(vc_sizing sizing, double count)
{
    if (!(count > 0)) {
        return 0;
    }
    switch (sizing) {
    case VC_SIZING_SQRT: return sqrt(count);
    case VC_SIZING_LOG: return log1p(count);
    case VC_SIZING_LINEAR:
    default: return count;
    }
}

/* ---- options ------------------------------------------------------------ */

static bool bad_number(double v, double lo, double hi)
{
    return !isfinite(v) || v < lo || v > hi;
}

static bool validate(const vc_render_options *o, vc_error *err)
{
    if (o->width < 1 || o->width > 100000) {
        return vc_fail(err, VC_ERR_USAGE, "--width: expected 1 to 100000 pixels, got %d", o->width);
    }
    if (o->height < 1 || o->height > 100000) {
        return vc_fail(err, VC_ERR_USAGE, "--height: expected 1 to 100000 pixels, got %d", o->height);
    }
    uint64_t pixels = (uint64_t)o->width * (uint64_t)o->height;
    if (pixels > o->max_pixels) {
        return vc_fail(err, VC_ERR_USAGE,
                       "canvas is %.3g megapixels (%dx%d), over the limit of %.3g; "
                       "raise it with --max-megapixels",
                       (double)pixels / 1e6, o->width, o->height, (double)o->max_pixels / 1e6);
    }
    if ((unsigned)o->sizing > VC_SIZING_LOG || (unsigned)o->fit > VC_FIT_NONE ||
        (unsigned)o->spiral > VC_SPIRAL_RECTANGULAR || (unsigned)o->shape > VC_SHAPE_ELLIPSE ||
        (unsigned)o->rotate > VC_ROTATE_LIST || (unsigned)o->color_by > VC_COLOR_BY_WORD) {
        return vc_fail(err, VC_ERR_USAGE, "render options: an enumeration is out of range");
    }
    if (bad_number(o->max_font_size, 0, 1e5)) {
        return vc_fail(err, VC_ERR_USAGE, "--max-font-size: expected 0 (no cap) to 100000 px, got %g", o->max_font_size);
    }
    if (bad_number(o->min_font_size, 0, 1e5)) {
        return vc_fail(err, VC_ERR_USAGE, "--min-font-size: expected 0 to 100000 px, got %g", o->min_font_size);
    }
    if (o->max_font_size > 0 && o->min_font_size > o->max_font_size) {
        return vc_fail(err, VC_ERR_USAGE, "--min-font-size (%g) is larger than --max-font-size (%g)",
                       o->min_font_size, o->max_font_size);
    }
    if (o->fit == VC_FIT_NONE && !(o->max_font_size > 0) && !(o->same_scale > 0)) {
        return vc_fail(err, VC_ERR_USAGE, "--fit none needs --max-font-size PX");
    }
    if (o->padding < 0 || o->padding > 1000) {
        return vc_fail(err, VC_ERR_USAGE, "--padding: expected 0 to 1000 px, got %d", o->padding);
    }
    if (o->margin < -1 || o->margin > 10000) {
        return vc_fail(err, VC_ERR_USAGE, "--margin: expected 0 to 10000 px (or -1: automatic), got %d", o->margin);
    }
    if (bad_number(o->prefer_horizontal, 0, 1)) {
        return vc_fail(err, VC_ERR_USAGE, "--prefer-horizontal: expected 0 to 1, got %g", o->prefer_horizontal);
    }
    if (bad_number(o->scale, 1e-3, 100) || o->scale <= 0) {
        return vc_fail(err, VC_ERR_USAGE, "--scale: expected a number above 0 up to 100, got %g", o->scale);
    }
    if (bad_number(o->dpi, 1e-3, 1e6) || o->dpi <= 0) {
        return vc_fail(err, VC_ERR_USAGE, "--dpi: expected a positive number, got %g", o->dpi);
    }
    if (bad_number(o->same_scale, 0, 1e9)) {
        return vc_fail(err, VC_ERR_USAGE, "same scale: expected a positive number, got %g", o->same_scale);
    }
    if (o->rotate == VC_ROTATE_LIST) {
        if (o->n_angles == 0 || o->n_angles > VC_MAX_ANGLES) {
            return vc_fail(err, VC_ERR_USAGE, "--rotate: give 1 to %d angles", VC_MAX_ANGLES);
        }
        for (size_t i = 0; i < o->n_angles; i++) {
            if (bad_number(o->angles[i], -360, 360)) {
                return vc_fail(err, VC_ERR_USAGE, "--rotate: angle %g is not from -360 to 360", o->angles[i]);
            }
        }
    }
    return true;
}

/* ---- the words being laid out -------------------------------------------- */

enum { WORD_PLACED = 1, WORD_NO_ROOM, WORD_NO_INK };

typedef struct cand {
    const struct vc_word *src;
    double f;          /* vc_sizing_value of the count */
    double rotation;
    double ink_w, ink_h; /* rotated ink box at 1 px em */
    vc_shaped shaped;
    char *reason;      /* set when the word is left out before placing */
} cand;

typedef struct tword {
    int state;
    int x, y;          /* baseline origin */
    int box[4];
    vc_ink ink;
} tword;

typedef struct trial {
    double scale;
    size_t n_keep;     /* the first n_keep candidates were tried */
    tword *w;
    bool ok;           /* every tried word was placed */
    size_t fail_at;
    double placed_area, tried_area;
} trial;

typedef struct engine {
    vc_layout *L;
    const vc_render_options *o;
    cand *c;
    size_t n;          /* candidates with votes, within --max-words */
    vc_occupancy occ;
    uint64_t *base;    /* the empty canvas with the shape taken */
    int frame;         /* margin + padding: taken inside every edge */
    vc_spiral_walk sp[N_LEVELS];
    vc_mask mask;
    uint64_t *scratch;
    size_t scratch_cap;
    double usable_area;
    size_t hint[N_LEVELS][N_BUCKETS]; /* spiral index of the last word of each size */
    double raster_wait;  /* seconds placement waited for words or made them */
} engine;

static void trial_free(trial *t)
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

/* How many candidates (a prefix, since they are sorted by votes) are drawn
 * at least min_font_size at `scale`: equal votes are kept or left out
 * together. */
static size_t keep_count(const engine *e, double scale)
{
    double min = e->o->min_font_size;
    size_t k = 0;
    while (k < e->n && e->c[k].f > 0 && scale * e->c[k].f >= min * (1 - 1e-12)) {
        k++;
    }
    return k;
}

/* Tries the alive points of spiral `sp` from index `from` up to `to`. */
static bool walk_range(engine *e, vc_spiral_walk *sp, const vc_sprite *s, size_t from,
                       size_t to, size_t *at, bool *nomem)
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
        if (sp->rad[i] > limit) {
            break;
        }
        int px = (int)sp->px[i], py = (int)sp->py[i];
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

/* Words of about the same size (same bucket of their smaller side). */
static size_t size_bucket(const vc_sprite *s)
{
    int m = s->w < s->h ? s->w : s->h;
    double b = log2(m > 1 ? m : 1) * 4;
    return b < N_BUCKETS - 1 ? (size_t)b : N_BUCKETS - 1;
}

/* Walks the spiral for one word; true with *at (a spiral index) when it
 * fits.  A word starts where the last word of its size was placed: the
 * points before failed for that word and mostly fail for this one, so
 * starting there saves re-testing the crowded middle; if the rest of the
 * spiral has no room, the skipped part is tried too, so no word is left
 * out while there is room for it. */
static bool walk(engine *e, const vc_sprite *s, size_t *level, size_t *at, bool *nomem)
{
    size_t k = *level = spiral_level(s);
    vc_spiral_walk *sp = &e->sp[k];
    size_t b = size_bucket(s);
    size_t start = e->hint[k][b];
    bool ok = walk_range(e, sp, s, start, SIZE_MAX, at, nomem) ||
              (start > 0 && !*nomem && walk_range(e, sp, s, 0, start, at, nomem));
    if (ok) {
        e->hint[k][b] = *at;
    }
    return ok;
}

/* ---- rasterising ahead of placement -------------------------------------- */

/* Words are rasterised (and turned into bit masks) in order on a second
 * thread while this one places the ones already done; when the next word
 * is not done yet and nobody has started it, the placer rasterises it
 * itself rather than wait.  Rasterising is a pure function of the word,
 * so the layout is the one a single thread makes.  Two threads may draw
 * glyphs at once: cairo locks each FreeType face while it uses it, and
 * nothing else touches the faces during a trial. */
typedef struct ahead {
    engine *e;
    double scale;
    size_t n;
    tword *tw;            /* ink of word i goes to tw[i].ink */
    vc_sprite *sprites;   /* n; finished by the placer or by ahead_end */
    bool *done;           /* n: word i's ink and mask are made (under mu) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t claimed;       /* words [0, claimed) are started (under mu) */
    size_t taken;         /* the word the placer waits for or uses */
    bool stop;            /* the placer has finished (under mu) */
    size_t failed_at;     /* the rasteriser's failed word, or SIZE_MAX */
    vc_error err;         /* why it failed */
    double busy;          /* seconds the rasteriser spent rasterising */
    pthread_t thread;
    bool threaded;        /* thread runs ahead_run */
} ahead;

static bool make_word(ahead *a, size_t i, vc_error *err)
{
    const cand *c = &a->e->c[i];
    return vc_rasterise(&c->shaped, a->scale * c->f, c->rotation, &a->tw[i].ink, err) &&
           vc_sprite_from_ink(&a->tw[i].ink, &a->sprites[i], err);
}

/* Spiral points the placer will want, made while the rasteriser is
 * ahead: the finest spiral last, as small words come last.  False when
 * every spiral is complete. */
static bool spiral_work(engine *e)
{
    for (size_t k = N_LEVELS; k-- > 0;) {
        if (vc_spiral_generate_ahead(&e->sp[k])) {
            return true;
        }
    }
    return false;
}

/* The next word for the rasteriser, claimed; SIZE_MAX when the placer
 * has finished or every word is claimed.  While it is far enough ahead,
 * the rasteriser makes spiral points instead of sleeping. */
static size_t ahead_claim(ahead *a)
{
    bool spiral = true;
    for (;;) {
        pthread_mutex_lock(&a->mu);
        size_t i = a->claimed;
        bool end = a->stop || i >= a->n;
        bool wait = !end && i >= a->taken + RASTER_LEAD;
        if (!end && !wait) {
            a->claimed++;
        } else if (wait && !spiral) {
            pthread_cond_wait(&a->cv, &a->mu);
        }
        pthread_mutex_unlock(&a->mu);
        if (end) {
            return SIZE_MAX;
        }
        if (!wait) {
            return i;
        }
        if (spiral) {
            spiral = spiral_work(a->e);
        }
    }
}

/* The rasteriser thread. */
static void *ahead_run(void *arg)
{
    ahead *a = arg;
    for (size_t i; (i = ahead_claim(a)) != SIZE_MAX;) {
        double t0 = vc_now();
        bool ok = make_word(a, i, &a->err);
        a->busy += vc_now() - t0;
        pthread_mutex_lock(&a->mu);
        a->done[i] = ok;
        if (!ok) {
            a->failed_at = i;
            a->stop = true;
        }
        pthread_cond_broadcast(&a->cv);
        pthread_mutex_unlock(&a->mu);
        if (!ok) {
            break;
        }
    }
    return NULL;
}

/* Word i, made by the rasteriser or here; false (with the error) when
 * making it failed, just as making it here would have. */
static bool ahead_take(ahead *a, size_t i, vc_error *err)
{
    double t0 = vc_now();
    pthread_mutex_lock(&a->mu);
    a->taken = i;
    pthread_cond_broadcast(&a->cv);
    bool mine = !a->done[i] && a->claimed == i && a->failed_at == SIZE_MAX;
    if (mine) {
        a->claimed++;
    }
    while (!mine && !a->done[i] && a->failed_at != i) {
        pthread_cond_wait(&a->cv, &a->mu);
    }
    bool failed = !mine && !a->done[i];
    pthread_mutex_unlock(&a->mu);
    bool ok = true;
    if (mine) {
        ok = make_word(a, i, err);
        pthread_mutex_lock(&a->mu);
        a->done[i] = ok;
        pthread_mutex_unlock(&a->mu);
        a->e->L->timings.rasterise += vc_now() - t0;
    } else if (failed) {
        ok = vc_fail(err, a->err.status, "%s", a->err.message);
    }
    a->e->raster_wait += vc_now() - t0;
    return ok;
}

/* Starts the rasteriser for the first n words at `scale`. */
static bool ahead_start(ahead *a, engine *e, double scale, size_t n, tword *tw,
                        vc_error *err)
{
    memset(a, 0, sizeof *a);
    a->e = e;
    a->scale = scale;
    a->n = n;
    a->tw = tw;
    a->failed_at = SIZE_MAX;
    a->sprites = vc_calloc2(n ? n : 1, sizeof *a->sprites);
    a->done = vc_calloc2(n ? n : 1, sizeof *a->done);
    if (!a->sprites || !a->done) {
        free(a->sprites);
        free(a->done);
        return vc_fail_nomem(err, "word bit masks");
    }
    if (pthread_mutex_init(&a->mu, NULL) != 0) {
        free(a->sprites);
        free(a->done);
        return vc_fail(err, VC_ERR_NOMEM, "layout: cannot create a mutex");
    }
    if (pthread_cond_init(&a->cv, NULL) != 0) {
        pthread_mutex_destroy(&a->mu);
        free(a->sprites);
        free(a->done);
        return vc_fail(err, VC_ERR_NOMEM, "layout: cannot create a condition variable");
    }
    if (n > 1 && pthread_create(&a->thread, NULL, ahead_run, a) == 0) {
        a->threaded = true;
    }
    /* Without a thread the placer makes every word itself, in order: the
     * same layout. */
    return true;
}

static void ahead_end(ahead *a)
{
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    if (a->threaded) {
        pthread_join(a->thread, NULL);
    }
    a->e->L->timings.rasterise += a->busy;
    for (size_t i = 0; i < a->n; i++) {
        vc_sprite_finish(&a->sprites[i]);
    }
    free(a->sprites);
    free(a->done);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
}

/* Places word i, whose ink is in tw->ink and bit mask in `s`. */
static bool place_word(engine *e, const vc_sprite *s, tword *tw, vc_error *err)
{
    if (s->h == 0) {
        tw->state = WORD_NO_INK;
        return true;
    }
    size_t at = 0, level = 0;
    bool nomem = false;
    if (!walk(e, s, &level, &at, &nomem)) {
        if (nomem) {
            return vc_fail_nomem(err, "spiral");
        }
        tw->state = WORD_NO_ROOM;
        return true;
    }
    int x = (int)e->sp[level].px[at] - s->ax, y = (int)e->sp[level].py[at] - s->ay;
    size_t need = vc_occupancy_scratch_words(s, e->o->padding);
    if (need > e->scratch_cap) {
        uint64_t *p = vc_malloc2(need, sizeof *p);
        if (!p) {
            return vc_fail_nomem(err, "placement scratch row");
        }
        free(e->scratch);
        e->scratch = p;
        e->scratch_cap = need;
    }
    vc_occupancy_add(&e->occ, s, x, y, e->o->padding, e->scratch);
    tw->state = WORD_PLACED;
    tw->x = x - s->x0;
    tw->y = y - s->y0;
    tw->box[0] = x;
    tw->box[1] = y;
    tw->box[2] = x + s->w;
    tw->box[3] = y + s->h;
    return true;
}

/* Lays out the first n_keep candidates at `scale`.  With `abort_early` the
 * trial stops at the first word that does not fit. */
static bool run_trial(engine *e, double scale, size_t n_keep, bool abort_early,
                      trial *t, vc_error *err)
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
        vc_spiral_revive(&e->sp[k]);
    }
    memset(e->hint, 0, sizeof e->hint);
    ahead a;
    if (!ahead_start(&a, e, scale, n_keep, t->w, err)) {
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n_keep; i++) {
        double area = e->c[i].ink_w * e->c[i].ink_h * scale * scale * e->c[i].f * e->c[i].f;
        t->tried_area += area;
        ok = ahead_take(&a, i, err) && place_word(e, &a.sprites[i], &t->w[i], err);
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
    ahead_end(&a);
    return ok;
}

/* ---- the scale ----------------------------------------------------------- */

/* Upper bound: every kept word's ink must fit inside the canvas. */
static double canvas_cap(const engine *e)
{
    double cap = INFINITY;
    for (size_t i = 0; i < e->n; i++) {
        const cand *c = &e->c[i];
        if (!(c->f > 0) || !(c->ink_w > 0) || !(c->ink_h > 0)) {
            continue;
        }
        double ci = fmin((e->occ.w - 2 * e->frame) / (c->f * c->ink_w),
                         (e->occ.h - 2 * e->frame) / (c->f * c->ink_h));
        /* A word that would be too small at its own cap cannot limit the
         * words that are drawn. */
        if (ci * c->f >= e->o->min_font_size) {
            cap = fmin(cap, ci);
        }
    }
    return cap;
}

/* The scale at which the kept words' ink boxes would cover a share of the
 * usable area that spiral packing typically reaches. */
static double area_estimate(const engine *e, double upper)
{
    double s = upper;
    for (int iter = 0; iter < 4; iter++) {
        size_t k = keep_count(e, s);
        double sum = 0;
        for (size_t i = 0; i < k; i++) {
            sum += e->c[i].ink_w * e->c[i].ink_h * e->c[i].f * e->c[i].f;
        }
        if (!(sum > 0)) {
            return s;
        }
        s = fmin(upper, sqrt(FILL * e->usable_area / sum));
    }
    return s;
}

/* Replaces *best by *t when t fitted and is larger; frees the other. */
static void keep_better(trial *best, trial *t)
{
    if (t->ok && (!best->w || t->scale > best->scale)) {
        trial_free(best);
        *best = *t;
        memset(t, 0, sizeof *t);
        return;
    }
    trial_free(t);
}

static bool fit_auto(engine *e, trial *best, vc_error *err)
{
    const vc_render_options *o = e->o;
    double f_top = e->n ? e->c[0].f : 0;
    double upper = canvas_cap(e);
    if (o->max_font_size > 0 && f_top > 0) {
        upper = fmin(upper, o->max_font_size / f_top);
    }
    if (!isfinite(upper)) {
        upper = f_top > 0 ? (e->occ.w + e->occ.h) / f_top : 1;
    }
    double s = area_estimate(e, upper);
    double lo = 0, hi = INFINITY;
    for (int n = 0; n < MAX_TRIALS; n++) {
        size_t k = keep_count(e, s);
        trial t;
        if (!run_trial(e, s, k, true, &t, err)) {
            trial_free(&t);
            return false;
        }
        bool ok = t.ok;
        double frac = t.tried_area > 0 ? t.placed_area / t.tried_area : 1;
        keep_better(best, &t);
        if (ok) {
            lo = s;
            if (k == 0 || s >= upper * (1 - 1e-9)) {
                break;
            }
        } else {
            hi = s;
        }
        if (lo > 0 && hi < INFINITY) {
            if (hi / lo <= FIT_TOLERANCE) {
                break;
            }
            s = sqrt(lo * hi);
        } else if (lo > 0) {
            s = fmin(upper, s * GROW);
        } else {
            /* Shrink by what the failure suggests, boundedly. */
            double step = fmin(0.93, fmax(0.5, sqrt(frac)));
            s *= step;
        }
    }
    if (!best->w) {
        /* Nothing fitted within the trial budget: leave out every word. */
        trial t;
        if (!run_trial(e, s, 0, true, &t, err)) {
            trial_free(&t);
            return false;
        }
        keep_better(best, &t);
    }
    return true;
}

/* ---- words in, reasons out ------------------------------------------------ */

static int cmp_word(const void *pa, const void *pb)
{
    const struct vc_word *a = *(const struct vc_word *const *)pa;
    const struct vc_word *b = *(const struct vc_word *const *)pb;
    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    int c = strcmp(a->text, b->text);
    if (c) {
        return c;
    }
    return (int)a->group - (int)b->group;
}

static char *format_reason(const char *fmt, ...) VC_PRINTF(1, 2);
static char *format_reason(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return vc_strdup(buf);
}

static bool add_dropped(vc_layout *L, size_t *cap, const struct vc_word *w,
                        char *reason, vc_error *err)
{
    if (!reason) {
        return vc_fail_nomem(err, "reason");
    }
    if (!vc_grow((void **)&L->dropped, cap, L->n_dropped + 1, sizeof *L->dropped)) {
        free(reason);
        return vc_fail_nomem(err, "list of words left out");
    }
    vc_dropped_word *d = &L->dropped[L->n_dropped];
    d->text = vc_strdup(w->text);
    d->count = w->count;
    d->group = w->group;
    d->reason = reason;
    if (!d->text) {
        free(reason);
        return vc_fail_nomem(err, "list of words left out");
    }
    L->n_dropped++;
    return true;
}

static void number_text(char *buf, size_t size, double v)
{
    vc_buf b;
    vc_buf_init(&b);
    vc_buf_number(&b, v, 1);
    snprintf(buf, size, "%s", b.data ? b.data : "0");
    vc_buf_finish(&b);
}

/* ---- colours -------------------------------------------------------------- */

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    return h;
}

static bool primary_is_bold(const vc_layout *L)
{
    if (L->fonts.n > 0 && L->fonts.fonts[0] && L->fonts.fonts[0]->ft) {
        return (L->fonts.fonts[0]->ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
    }
    return L->font == NULL;
}

/* Hue in degrees (HSV), or -1 for a grey. */
static double hue_of(uint32_t c)
{
    double r = (c >> 16 & 0xff) / 255.0, g = (c >> 8 & 0xff) / 255.0, b = (c & 0xff) / 255.0;
    double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
    if (d < 1e-9) {
        return -1;
    }
    double h = mx == r ? fmod((g - b) / d, 6) : mx == g ? (b - r) / d + 2 : (r - g) / d + 4;
    return h < 0 ? h * 60 + 360 : h * 60;
}

/* The palette entry farthest in hue from the first (suggested words must
 * not read as a shade of the chosen words' colour); greys count as far
 * from every hue but lose to a real hue. */
static size_t farthest_hue(const uint32_t *colors, size_t n)
{
    double h0 = hue_of(colors[0]);
    size_t best = n > 1 ? 1 : 0;
    double best_d = -2;
    for (size_t i = 1; i < n; i++) {
        double h = hue_of(colors[i]);
        double d = h < 0 || h0 < 0 ? -1 : fmin(fabs(h - h0), 360 - fabs(h - h0));
        if (colors[i] != colors[0] && d > best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

/* vc_contrast_adjust searches in OKLCh, far too slowly to run per word:
 * a palette has few colours and two thresholds, so remember the answers. */
typedef struct adjust_memo {
    uint32_t from[2 * MAX_COLORS], to[2 * MAX_COLORS];
    double need[2 * MAX_COLORS];
    size_t n;
} adjust_memo;

static uint32_t adjusted(vc_layout *L, adjust_memo *m, uint32_t c, uint32_t against, double need)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->from[i] == c && m->need[i] == need) {
            return m->to[i];
        }
    }
    uint32_t to = c;
    if (vc_contrast_ratio(c, against) < need) {
        to = vc_contrast_adjust(c, against, need);
        vc_layout_note_adjusted(L, c, to, against, need);
    }
    if (m->n < 2 * MAX_COLORS) {
        m->from[m->n] = c;
        m->to[m->n] = to;
        m->need[m->n] = need;
        m->n++;
    }
    return to;
}

static bool assign_colors(vc_layout *L, const vc_render_options *o, vc_error *err)
{
    uint32_t colors[MAX_COLORS];
    size_t n = 0;
    if (!vc_palette_parse(L->palette, colors, MAX_COLORS, &n, err)) {
        return false;
    }
    if (n == 0) {
        return vc_fail(err, VC_ERR_USAGE, "--palette: '%s' has no colours", L->palette);
    }
    uint32_t against = L->background_rgb;
    if (L->transparent) {
        const char *ca = L->opts.contrast_against ? L->opts.contrast_against : "#ffffff";
        if (!vc_color_parse(ca, &against)) {
            return vc_fail(err, VC_ERR_USAGE, "--contrast-against: '%s' is not a colour", ca);
        }
    }
    double large = primary_is_bold(L) ? LARGE_BOLD_TEXT_PX : LARGE_TEXT_PX;
    size_t suggested = farthest_hue(colors, n);
    adjust_memo *memo = calloc(1, sizeof *memo);
    if (!memo) {
        return vc_fail_nomem(err, "colour table");
    }
    for (size_t i = 0; i < L->n_placed; i++) {
        vc_placed_word *p = &L->placed[i];
        size_t k;
        switch (o->color_by) {
        case VC_COLOR_BY_GROUP: k = p->group == VC_GROUP_SUGGESTED ? suggested : 0; break;
        case VC_COLOR_BY_WORD: k = text_hash(p->text); break;
        case VC_COLOR_BY_RANK:
        default: k = i; break;
        }
        uint32_t c = colors[k % n];
        double need = p->font_size >= large ? 3.0 : 4.5;
        p->color = o->contrast ? adjusted(L, memo, c, against, need) : c;
    }
    free(memo);
    L->contrast_rgb = against; /* the legend's text is checked on it too */
    return true;
}

/* ---- vc_layout_new --------------------------------------------------------- */

static bool copy_strings(vc_layout *L, const vc_render_options *o, vc_error *err)
{
    L->opts = *o;
    L->font = vc_strdup(o->font);
    L->palette = vc_strdup(o->palette ? o->palette : "nhs");
    L->background = vc_strdup(o->background ? o->background : "#ffffff");
    L->title = vc_strdup(o->title);
    L->question = vc_strdup(o->question);
    L->mask_path = vc_strdup(o->mask_path);
    L->contrast_against = vc_strdup(o->contrast_against);
    if ((o->font && !L->font) || !L->palette || !L->background ||
        (o->title && !L->title) || (o->question && !L->question) ||
        (o->mask_path && !L->mask_path) || (o->contrast_against && !L->contrast_against)) {
        return vc_fail_nomem(err, "layout options");
    }
    L->opts.font = L->font;
    L->opts.palette = L->palette;
    L->opts.background = L->background;
    L->opts.title = L->title;
    L->opts.question = L->question;
    L->opts.mask_path = L->mask_path;
    L->opts.contrast_against = L->contrast_against;
    /* Used only while laying out; not kept, so nothing dangles. */
    L->opts.font_dir = NULL;
    L->width = o->width;
    L->height = o->height;
    if (strcmp(L->background, "transparent") == 0) {
        L->transparent = true;
        L->background_rgb = 0xffffff;
    } else if (!vc_color_parse(L->background, &L->background_rgb)) {
        return vc_fail(err, VC_ERR_USAGE, "--background: '%s' is not a colour or 'transparent'",
                       L->background);
    }
    return true;
}

/* Chooses every word's angle up front, so trials at different scales see
 * the same choices. */
static void choose_rotations(engine *e)
{
    const vc_render_options *o = e->o;
    vc_rng rng;
    vc_rng_seed(&rng, o->seed);
    for (size_t i = 0; i < e->n; i++) {
        double r = 0;
        if (o->rotate == VC_ROTATE_MIXED) {
            r = vc_rng_double(&rng) < o->prefer_horizontal ? 0 : -90;
        } else if (o->rotate == VC_ROTATE_LIST) {
            r = o->angles[vc_rng_next(&rng) % o->n_angles];
        }
        cand *c = &e->c[i];
        c->rotation = r;
        double w = c->shaped.ink[2] - c->shaped.ink[0];
        double h = c->shaped.ink[3] - c->shaped.ink[1];
        double a = r * M_PI / 180;
        c->ink_w = fabs(w * cos(a)) + fabs(h * sin(a));
        c->ink_h = fabs(w * sin(a)) + fabs(h * cos(a));
    }
}

/* Sorts, applies --max-words and zero votes, and shapes each kept word
 * once. */
static bool gather(engine *e, const vc_words *words, vc_error *err)
{
    vc_layout *L = e->L;
    const vc_render_options *o = e->o;
    size_t n = words ? words->n : 0;
    const struct vc_word **order = vc_malloc2(n ? n : 1, sizeof *order);
    e->c = vc_calloc2(n ? n : 1, sizeof *e->c);
    if (!order || !e->c) {
        free(order);
        return vc_fail_nomem(err, "word list");
    }
    for (size_t i = 0; i < n; i++) {
        order[i] = &words->items[i];
    }
    qsort(order, n, sizeof *order, cmp_word);
    L->total_words = n;
    L->respondents = words ? words->respondents : 0;
    size_t dcap = 0;
    bool ok = true;
    double t0 = vc_now();
    for (size_t i = 0; ok && i < n; i++) {
        const struct vc_word *w = order[i];
        if (!(w->count > 0)) {
            ok = add_dropped(L, &dcap, w, format_reason("has no votes"), err);
        } else if (o->max_words && e->n >= o->max_words) {
            ok = add_dropped(L, &dcap, w,
                             format_reason("not in the top %zu (--max-words %zu)", o->max_words,
                                           o->max_words),
                             err);
        } else {
            cand *c = &e->c[e->n];
            c->src = w;
            c->f = vc_sizing_value(o->sizing, w->count);
            ok = vc_shape_word(L->ctx, &L->fonts, w->text, &c->shaped, err);
            if (ok) {
                e->n++;
            }
        }
    }
    L->timings.shape += vc_now() - t0;
    free(order);
    return ok;
}

static bool setup_canvas(engine *e, vc_error *err)
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
    if (!vc_occupancy_init(&e->occ, o->width, top, err)) {
        return false;
    }
    for (size_t k = 0; k < N_LEVELS; k++) {
        if (!vc_spiral_init(&e->sp[k], o->width, top, o->spiral, (double)(1u << k), o->seed,
                            err)) {
            return false;
        }
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

/* Moves the chosen trial's words into the layout and lists the rest. */
static bool finish_layout(engine *e, trial *t, vc_error *err)
{
    vc_layout *L = e->L;
    const vc_render_options *o = e->o;
    L->scale = t->scale;
    L->placed = vc_calloc2(t->n_keep ? t->n_keep : 1, sizeof *L->placed);
    if (!L->placed) {
        return vc_fail_nomem(err, "placed words");
    }
    size_t dcap = L->n_dropped;
    for (size_t i = 0; i < e->n; i++) {
        cand *c = &e->c[i];
        double size = t->scale * c->f;
        char num[32], min[32];
        number_text(num, sizeof num, size);
        number_text(min, sizeof min, o->min_font_size);
        if (i >= t->n_keep) {
            if (!add_dropped(L, &dcap, c->src,
                             format_reason("too small to read at the size that fits "
                                           "(would be %s px, below --min-font-size %s)",
                                           num, min),
                             err)) {
                return false;
            }
            continue;
        }
        tword *tw = &t->w[i];
        if (tw->state != WORD_PLACED) {
            const char *why = tw->state == WORD_NO_INK ? "nothing visible to draw (no ink)"
                              : o->same_scale > 0 ? "no room left on the canvas at the shared scale (--same-scale)"
                              : o->fit == VC_FIT_NONE ? "no room left on the canvas at --fit none"
                              : "no room left on the canvas";
            if (!add_dropped(L, &dcap, c->src, format_reason("%s", why), err)) {
                return false;
            }
            continue;
        }
        vc_placed_word *p = &L->placed[L->n_placed];
        p->text = vc_strdup(c->src->text);
        if (!p->text) {
            return vc_fail_nomem(err, "placed words");
        }
        p->count = c->src->count;
        p->group = c->src->group;
        p->font_size = size;
        p->x = tw->x;
        p->y = tw->y;
        p->rotation = c->rotation;
        p->shaped = c->shaped;
        memset(&c->shaped, 0, sizeof c->shaped);
        p->ink = tw->ink;
        memset(&tw->ink, 0, sizeof tw->ink);
        memcpy(p->box, tw->box, sizeof p->box);
        L->n_placed++;
    }
    return true;
}

static bool check_strict(const vc_layout *L, const vc_render_options *o, vc_error *err)
{
    if (!o->strict || L->n_dropped == 0) {
        return true;
    }
    return vc_fail(err, VC_ERR_DATA,
                   "--strict: %zu word%s would be left out; the first is '%s': %s",
                   L->n_dropped, L->n_dropped == 1 ? "" : "s", L->dropped[0].text,
                   L->dropped[0].reason);
}

static void engine_finish(engine *e)
{
    for (size_t i = 0; i < e->n; i++) {
        vc_shaped_finish(&e->c[i].shaped);
        free(e->c[i].reason);
    }
    free(e->c);
    free(e->base);
    free(e->scratch);
    vc_occupancy_finish(&e->occ);
    for (size_t k = 0; k < N_LEVELS; k++) {
        vc_spiral_finish(&e->sp[k]);
    }
    vc_mask_finish(&e->mask);
}

vc_layout *vc_layout_new(vc_context *ctx, const vc_words *words,
                         const vc_render_options *opts, vc_error *err)
{
    vc_render_options defaults;
    if (!opts) {
        vc_render_options_init(&defaults);
        opts = &defaults;
    }
    if (!ctx) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_layout_new: no context");
        return NULL;
    }
    if (!validate(opts, err)) {
        return NULL;
    }
    double start = vc_now();
    vc_layout *L = calloc(1, sizeof *L);
    if (!L) {
        vc_fail_nomem(err, "layout");
        return NULL;
    }
    L->ctx = ctx;
    engine e;
    memset(&e, 0, sizeof e);
    e.L = L;
    e.o = opts;
    trial best;
    memset(&best, 0, sizeof best);
    bool ok = copy_strings(L, opts, err) &&
              vc_fontset_init(ctx, &L->fonts, opts->font, opts->font_dir, err) &&
              setup_canvas(&e, err) && gather(&e, words, err);
    if (ok) {
        choose_rotations(&e);
        if (opts->same_scale > 0 || opts->fit == VC_FIT_NONE) {
            double s = opts->same_scale > 0 ? opts->same_scale
                       : e.n ? opts->max_font_size / e.c[0].f : 1;
            ok = run_trial(&e, s, keep_count(&e, s), false, &best, err);
        } else {
            ok = fit_auto(&e, &best, err);
        }
    }
    ok = ok && finish_layout(&e, &best, err) && assign_colors(L, opts, err) &&
         check_strict(L, opts, err);
    trial_free(&best);
    engine_finish(&e);
    /* Rasterising overlaps placement: `rasterise` is the rasteriser
     * thread's busy time, `layout` the rest of this thread's. */
    L->timings.layout = vc_now() - start - L->timings.shape - e.raster_wait;
    if (!ok) {
        vc_layout_free(L);
        return NULL;
    }
    return L;
}

void vc_layout_free(vc_layout *layout)
{
    if (!layout) {
        return;
    }
    for (size_t i = 0; i < layout->n_placed; i++) {
        free(layout->placed[i].text);
        vc_shaped_finish(&layout->placed[i].shaped);
        vc_ink_finish(&layout->placed[i].ink);
    }
    free(layout->placed);
    for (size_t i = 0; i < layout->n_dropped; i++) {
        free(layout->dropped[i].text);
        free(layout->dropped[i].reason);
    }
    free(layout->dropped);
    vc_fontset_finish(&layout->fonts);
    free(layout->font);
    free(layout->palette);
    free(layout->background);
    free(layout->title);
    free(layout->question);
    free(layout->mask_path);
    free(layout->contrast_against);
    free(layout);
}

/* ---- getters --------------------------------------------------------------- */

size_t vc_layout_placed_count(const vc_layout *layout)
{
    return layout ? layout->n_placed : 0;
}

bool vc_layout_placed(const vc_layout *layout, size_t i, vc_placed *out)
{
    if (!layout || i >= layout->n_placed || !out) {
        return false;
    }
    const vc_placed_word *p = &layout->placed[i];
    out->text = p->text;
    out->count = p->count;
    out->group = p->group;
    out->font_size = p->font_size;
    out->x = p->x;
    out->y = p->y;
    out->rotation = p->rotation;
    out->advance = p->shaped.advance * p->font_size;
    for (int k = 0; k < 4; k++) {
        out->bbox[k] = p->box[k];
    }
    out->color = p->color;
    out->font = p->shaped.n > 0 && p->shaped.glyphs[0].font ? p->shaped.glyphs[0].font->path
                : layout->fonts.n > 0 ? layout->fonts.fonts[0]->path
                                      : NULL;
    return true;
}

size_t vc_layout_dropped_count(const vc_layout *layout)
{
    return layout ? layout->n_dropped : 0;
}

bool vc_layout_dropped(const vc_layout *layout, size_t i, vc_dropped *out)
{
    if (!layout || i >= layout->n_dropped || !out) {
        return false;
    }
    const vc_dropped_word *d = &layout->dropped[i];
    out->text = d->text;
    out->count = d->count;
    out->group = d->group;
    out->reason = d->reason;
    return true;
}

double vc_layout_scale(const vc_layout *layout)
{
    return layout ? layout->scale : 0;
}

void vc_layout_timings(const vc_layout *layout, vc_timings *out)
{
    if (!out) {
        return;
    }
    if (!layout) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = layout->timings;
}
