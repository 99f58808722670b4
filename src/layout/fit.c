/* fit.c - the one scale of the cloud: every word's font size is
 * scale * f(votes), and the scale is given (--same-scale, --fit none) or
 * searched for, the largest at which every kept word fits (trials). */
#include "layout/engine.h"

#include <math.h>
#include <string.h>

/* Auto fit stops when the largest scale that fitted is within this factor
 * of the smallest that did not.  Measured (tests/bench/scale.py, d3-cloud
 * in the same run): 1.04 -> 1.02 raised the scale 0-2% on the 18 bench
 * rows for about 20% more time on a 1,000-word auto fit (the consultation
 * preview: no change); 1.01 added little more for +32%.  The peers are
 * bisected to 2% by the same script. */
#define FIT_TOLERANCE 1.02
/* The share of the usable area the kept words' ink boxes cover when the
 * spiral packs them (measured: about 0.75 for 1,000 words); the first
 * trial's scale comes from it. */
#define FILL 0.72
/* After a fit, the next trial grows the scale by this. */
#define GROW 1.06
#define MAX_TRIALS 60
/* Once a scale has fitted, a larger one where a trial of up to
 * VARIANT_WORDS words fails is tried on up to VARIANTS other spirals
 * (vc_canvas_respiral: turned, sensed and flattened by the variant)
 * before it counts as too large; the search goes on with the spiral that
 * fitted.  Which spiral packs a few dozen words best is chance, and such
 * trials are cheap.  Measured (tests/bench/scale.py, 50-200 words and
 * phrases on 12 canvases): +0-6% scale with 4 variants, the same with 8,
 * less with 2; the auto fit of those clouds takes about 2.5x the CPU
 * (tens to hundreds of ms), much of it making the variants' spiral
 * points (since kept in the context on canvases up to 1 Mpx: place.c).  Variants only in the bisection (not at the first scale that
 * fails): a third of that cost, but the portrait gains were lost; a
 * search to 0.5% rather than 2%: +0-1% more for +30% more CPU.  Up to
 * 100 words: the bench's 120 phrases gained 1-4% for 3x the CPU (138 ->
 * 431 ms) and 200 words 0-3% for 2x, while 50 and 80 words gained 3-6%.
 * Also measured, on scale.py's 12 rows of 50-200 words (2026-12-03): two
 * taller variants (flattened by 1.25 and 1.6), and four with the spiral's
 * centre moved 6% or 12% of the canvas sideways or up and down: no row
 * drew larger.  The rectangular spiral instead of the Archimedean (all 18
 * rows): smaller on 10, larger on none. */
#define VARIANTS (N_VARIANTS - 1)
#define VARIANT_WORDS 100
/* The auto fit of a cloud of up to ORDER_WORDS candidates places the words
 * by votes x (long side of the ink at 1 px em)^ORDER_WIDTH, most first,
 * rather than by votes (place.c): a long
 * word then goes before shorter ones with a few more votes, while the
 * bands it needs are still whole, and the short ones fill gaps later.
 * Only words kept apart by the same padding trade places, and never a
 * phrase on several lines (place.c, trial_order).  At
 * the boundary scale the word that fails is nearly always a mid-size long
 * one, the free space cut into pieces narrower than it (not used up: the
 * padded ink boxes cover about 105% of the canvas).  Measured with
 * scale.py's workloads (50, 80, 200 words, 120 phrases; 3 canvases each)
 * on seeds 42 and 1-7, mean scale against the votes order: exponent 0.75
 * +2.4% (no row lower), 0.6 +2.0%, 0.4 +1.4%, 1.1 +1.8%; with every
 * word on the finest spiral too, 0.75 +3.0%, 0.45 +2.5%, 0.9 +2.9%, and
 * (phrases on several lines not moved) +2.9%: +1.8 to +5.4% per row, no
 * seed lower (200 words on the portrait canvas, where the top word's
 * width is the cap, +0).  The CPU of those auto fits: about 1.1-1.4x with
 * the order alone, 1.4-2x with the finest spiral, which was therefore
 * not kept (place.c, walk).
 * Measured and NOT kept (each alone and on top of this order):
 * - a tight choice: of the next 8-30 free spiral points within 1-3 turns,
 *   the one whose ink touches the most taken pixels 1 px or a spiral step
 *   away (a contact heuristic): -0.3 to +0.6% alone, +0.2% more with the
 *   order and the finest spiral, for +30% CPU; every free point of the
 *   whole spiral instead: far too slow (minutes);
 * - rip-up at the failing word: lift the 1-6 smaller placed words that
 *   meet its box at the grid spots where that costs least area, put it
 *   there, walk the lifted ones again (keep the first spot where all fit):
 *   +0-0.6%; the lifted words find no room either;
 * - squeaky wheel: once every spiral fails, move the failed word 2-3
 *   places earlier and try again, up to 8 times: +0.1%, another long
 *   word fails instead;
 * - other exponents as variants at the boundary (0.4 and 0.8 after the
 *   spirals, up to VARIANT_WORDS words): +0.1%;
 * - inflation: the best layout grown about the canvas centre by 1.01,
 *   1.02 or 1.04 (up to 6 times), each word walking first from its grown
 *   place (as batch --coordinate's homes): +0 on all 18 scale.py rows at
 *   1.02 and 1.04, up to +1% on 4 rows at 1.01 (what a finer search
 *   gives); the words at the edges find no room further in;
 * - the order (without the finest spiral) on 1,000 words, w1k and
 *   w1k-tiny on 3 canvases, seeds 42 and 1: +1.5 to +3% scale, but the
 *   auto fit took 1.6-2x the CPU (1920x1080: 200-235 -> 320-410 ms),
 *   over the budget for the consultation-size cloud: hence ORDER_WORDS.
 *   Measured again with the default padding (0.05 em, only words of one
 *   padding trade places) and margin, rather than the peers' fixed
 *   padding: w1k at 1920x1080, 1080x1080 and 1080x1920 and w1k-tiny,
 *   seeds 42 and 1, moved -1.4 to +1.5% (one bisection step either way)
 *   for 1.2-1.3x the CPU: the gain is the bench's, not a user's. */
#define ORDER_WORDS 300
#define ORDER_WIDTH 0.75

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

/* How many candidates (a prefix, since they are sorted by votes) are drawn
 * at least min_font_size at `scale`: equal votes are kept or left out
 * together. */
static size_t keep_count(const vc_engine *e, double scale)
{
    size_t k = 0;
    while (k < e->n && vc_cand_drawn_at(e, e->c[k].f, scale)) {
        k++;
    }
    return k;
}

double vc_cand_cap(const vc_engine *e, const vc_cand *c)
{
    if (!(c->f > 0) || !(c->ink_w > 0) || !(c->ink_h > 0)) {
        return INFINITY;
    }
    return fmin((e->occ.w - 2 * e->frame) / (c->f * c->ink_w),
                (e->occ.h - 2 * e->frame) / (c->f * c->ink_h));
}

/* Upper bound: every kept word's ink must fit inside the canvas. */
static double canvas_cap(const vc_engine *e)
{
    double cap = INFINITY;
    for (size_t i = 0; i < e->n; i++) {
        double ci = vc_cand_cap(e, &e->c[i]);
        /* A word that would be too small at its own cap cannot limit the
         * words that are drawn. */
        if (isfinite(ci) && ci * e->c[i].f >= e->o->min_font_size) {
            cap = fmin(cap, ci);
        }
    }
    return cap;
}

/* The scale at which the kept words' ink boxes would cover a share of the
 * usable area that spiral packing typically reaches. */
static double area_estimate(const vc_engine *e, double upper)
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
static void keep_better(vc_trial *best, vc_trial *t)
{
    if (t->ok && (!best->w || t->scale > best->scale)) {
        vc_trial_free(best);
        *best = *t;
        memset(t, 0, sizeof *t);
        return;
    }
    vc_trial_free(t);
}

/* A trial at `s` of the first k words on the current spirals and, when
 * that fails and `sweep` is set, on the other variants in turn until one
 * fits; when none does, the spirals are put back. */
static bool try_variants(vc_engine *e, double s, size_t k, bool sweep, vc_trial *t,
                         vc_error *err)
{
    unsigned from = e->variant;
    if (!vc_trial_run(e, s, k, true, t, err)) {
        return false;
    }
    if (t->ok || !sweep) {
        return true;
    }
    /* From the first sweep on, the variants' points are made on another
     * thread ahead of the walker (place.c). */
    if (!vc_canvas_make_variants(e, err)) {
        return false;
    }
    for (unsigned j = 1; j <= VARIANTS; j++) {
        vc_trial_free(t);
        if (!vc_canvas_respiral(e, (from + j) % (VARIANTS + 1), err) ||
            !vc_trial_run(e, s, k, true, t, err)) {
            return false;
        }
        if (t->ok) {
            return true;
        }
    }
    return vc_canvas_respiral(e, from, err);
}

/* try_variants, sweeping when `variants` is set and k <= VARIANT_WORDS,
 * with the words each trial makes kept for the next (the same words at
 * the same sizes), and let go once the scale has been tried: the auto fit
 * of 50 words at 800x600 tried 5 scales in 20 trials, rasterising every
 * word again in each.  Measured (hyperfine,
 * release, same output): batch of 50 events of 30 words, -j2, 876 -> 733
 * ms at 1200x675 (CPU 1.48 -> 1.18 s) and 635 -> 543 ms at 800x600; one
 * render of 50 words 59 -> 56 ms at 800x600 (CPU -17%) and 77 -> 68 ms at
 * 1080x1920, for 1-4 MB more peak memory. */
static bool trial_variants(vc_engine *e, double s, size_t k, bool variants, vc_trial *t,
                           vc_error *err)
{
    bool sweep = variants && k <= VARIANT_WORDS;
    e->keep_made = sweep;
    bool ok = try_variants(e, s, k, sweep, t, err);
    e->keep_made = false;
    vc_made_finish(e);
    return ok;
}

/* The largest scale at which every kept word fits, by trials from `s`:
 * growing while they fit, shrinking while they do not, then bisecting to
 * FIT_TOLERANCE.  With `least` > 0 (a wrapped plan, which only matters
 * above the scale an earlier plan reached) a failed first trial is followed
 * by one at `least`, and when that fails too the search gives up, leaving
 * *best empty. */
static bool fit_search(vc_engine *e, double *scale, double upper, double floor_scale,
                       double least, vc_trial *best, vc_error *err)
{
    double s = *scale;
    double lo = 0, hi = INFINITY;
    for (int n = 0; n < MAX_TRIALS; n++) {
        size_t k = keep_count(e, s);
        vc_trial t;
        if (!trial_variants(e, s, k, lo > 0, &t, err)) {
            vc_trial_free(&t);
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
            if (least > 0 && lo == 0 && s <= least * (1 + 1e-9)) {
                break; /* not even the least scale worth having fits */
            }
        }
        if (lo > 0 && hi < INFINITY) {
            if (hi / lo <= FIT_TOLERANCE) {
                break;
            }
            s = sqrt(lo * hi);
        } else if (lo > 0) {
            s = fmin(upper, s * GROW);
        } else if (s <= floor_scale) {
            break; /* not even the top words fit at the minimum size */
        } else {
            /* Shrink by what the failure suggests, boundedly. */
            double step = fmin(0.93, fmax(0.5, sqrt(frac)));
            s = fmax(s * step, fmax(floor_scale, least));
        }
    }
    *scale = s;
    return true;
}

/* --same-scale, or --fit none's: the top word at --max-font-size. */
static double fixed_scale(const vc_engine *e)
{
    return e->o->same_scale > 0 ? e->o->same_scale
           : e->n ? e->o->max_font_size / e->c[0].f : 1;
}

double vc_fit_scale_bound(const vc_engine *e)
{
    const vc_render_options *o = e->o;
    if (o->same_scale > 0 || o->fit == VC_FIT_NONE) {
        return fixed_scale(e);
    }
    if (e->n == 0) {
        return INFINITY;
    }
    const vc_cand *top = &e->c[0];
    double bound = o->max_font_size > 0 ? o->max_font_size / top->f : INFINITY;
    /* Two ink points of the top word lie its ink's width apart (and two
     * its height), at any angle, and both must lie inside the usable
     * canvas: no scale above `reach` fits it.  That bounds the search
     * only when the top word limits it (canvas_cap) at every angle: when
     * it is drawn at least the minimum size even at its smallest cap,
     * with its ink box at most w + h px a side per px of em.  Only a
     * one-line word: a phrase wrapped onto lines is narrower. */
    double w = top->shaped.ink[2] - top->shaped.ink[0];
    double h = top->shaped.ink[3] - top->shaped.ink[1];
    double uw = e->occ.w - 2 * e->frame, uh = e->occ.h - 2 * e->frame;
    if (top->max_lines == 1 && w > 0 && h > 0 && uw > 0 && uh > 0) {
        double reach = sqrt(uw * uw + uh * uh) / (top->f * fmax(w, h));
        double least_cap = fmin(uw, uh) / (top->f * (w + h));
        if (vc_cand_drawn_at(e, top->f, least_cap)) {
            bound = fmin(bound, reach);
        }
    }
    return bound;
}

/* The scale's upper bound: the canvas (and --max-font-size). */
static double scale_cap(const vc_engine *e)
{
    double f_top = e->n ? e->c[0].f : 0;
    double upper = canvas_cap(e);
    if (e->o->max_font_size > 0 && f_top > 0) {
        upper = fmin(upper, e->o->max_font_size / f_top);
    }
    if (!isfinite(upper)) {
        upper = f_top > 0 ? (e->occ.w + e->occ.h) / f_top : 1;
    }
    return upper;
}

static bool fit_auto(vc_engine *e, vc_trial *best, vc_error *err)
{
    const vc_render_options *o = e->o;
    double f_top = e->n ? e->c[0].f : 0;
    double upper = scale_cap(e);
    /* Below the scale that draws the top word at the minimum size every
     * word would be left out: that is never the largest scale that fits. */
    double floor_scale = f_top > 0 ? fmin(upper, o->min_font_size / f_top) : 0;
    double s = fmax(area_estimate(e, upper), floor_scale);
    if (!fit_search(e, &s, upper, floor_scale, 0, best, err)) {
        return false;
    }
    if (!best->w) {
        /* Not even the words with the most votes fit at the minimum size
         * (equal votes are drawn together or not at all): leave out every
         * word, saying so. */
        e->nothing_fits = true;
        vc_trial t;
        if (!vc_trial_run(e, s, 0, true, &t, err)) {
            vc_trial_free(&t);
            return false;
        }
        keep_better(best, &t);
    }
    return true;
}

/* --wrap auto tries the cloud with phrases on one line and with phrases
 * wrapped wherever their ink is wider than these many times its height,
 * and keeps the largest scale (the fewest wraps on a tie). */
static const double WRAP_PLANS[] = {INFINITY, 8, 5, 3};
#define N_WRAP_PLANS (sizeof WRAP_PLANS / sizeof WRAP_PLANS[0])
/* A wrapped plan is tried only where it would draw at least this much
 * larger than the best plan so far ... */
#define WRAP_GAIN 1.01
/* ... and only when a phrase it wraps would span at least this share of
 * the canvas on one line at that scale: narrower phrases are not what
 * stops the cloud from growing (measured: wrapping phrases under half the
 * width never raised the scale on the bench's workloads). */
#define WRAP_SHARE 0.5

/* A search of another plan (phrases wrapped, words turned) that only
 * matters above `least`, the best scale so far times a gain: it starts at
 * the plan's area estimate or at `least`, whichever is higher, and gives
 * up when not even `least` fits, so a plan that cannot win costs one or
 * two trials.  *t is left empty when the plan draws nothing that large. */
static bool search_from(vc_engine *e, double least, vc_trial *t, vc_error *err)
{
    memset(t, 0, sizeof *t);
    double upper = scale_cap(e);
    if (least > upper * (1 + 1e-9)) {
        return true;
    }
    double s = fmax(area_estimate(e, upper), least);
    if (!fit_search(e, &s, upper, 0, least, t, err)) {
        vc_trial_free(t);
        return false;
    }
    return true;
}

static bool any_phrase(const vc_engine *e)
{
    for (size_t i = 0; i < e->n; i++) {
        if (e->c[i].max_lines > 1) {
            return true;
        }
    }
    return false;
}

/* The one-line plan is searched in full; each wrapped plan then only from
 * the best scale so far times WRAP_GAIN (search_from), and not at all when
 * no phrase it wraps is wide enough to matter there. */
static bool fit_wrapped(vc_engine *e, vc_trial *best, vc_error *err)
{
    size_t best_plan = 0;
    bool changed;
    if (!vc_cands_wrap(e, WRAP_PLANS[0], &changed, err) || !fit_auto(e, best, err)) {
        return false;
    }
    bool best_nothing_fits = e->nothing_fits;
    for (size_t p = 1; p < N_WRAP_PLANS; p++) {
        if (!vc_cands_wrap(e, WRAP_PLANS[p], &changed, err)) {
            return false;
        }
        if (!changed) {
            continue; /* the same lines as the plan before */
        }
        double least = best->scale * WRAP_GAIN;
        if (!vc_cands_wrap_matters(e, least, WRAP_SHARE)) {
            continue;
        }
        vc_trial t;
        if (!search_from(e, least, &t, err)) {
            return false;
        }
        /* A wrapped plan must draw larger, not merely as large. */
        if (t.w && t.scale > best->scale * (1 + 1e-9)) {
            vc_trial_free(best);
            *best = t;
            best_plan = p;
            best_nothing_fits = false;
        } else {
            vc_trial_free(&t);
        }
    }
    /* Every line of the best plan was shaped when it was tried. */
    if (!vc_cands_wrap(e, WRAP_PLANS[best_plan], &changed, err)) {
        return false;
    }
    e->nothing_fits = best_nothing_fits;
    return true;
}

/* --rotate auto turns words upright only where that draws the whole cloud
 * at least this much larger: a word read sideways costs every reader a
 * moment, which a cloud a few per cent larger does not repay.  Turning is
 * tried on the best plan's lines after wrapping (a phrase that wrapping
 * lets fit stays flat), in up to TURN_ROUNDS rounds: each turns the words
 * that now stop the cloud from growing by TURN_GAIN, and is kept only when
 * its search draws larger.
 * Measured and not kept: turning, round by round, the word that stops a
 * trial at TURN_GAIN above the best (any one-line word, not only one too
 * wide for the canvas).  50 words at 800x600, at 1.02 and 1.05 above:
 * after 1-5 words turned, a turned word found no room upright either, and
 * the scale stayed where it was: the failing word has no room because the
 * free space is used up, not because it faces the wrong way. */
#define TURN_GAIN 1.05
#define TURN_ROUNDS 3

static bool fit_turned(vc_engine *e, vc_trial *best, vc_error *err)
{
    if (e->nothing_fits || !best->w) {
        return true;
    }
    for (unsigned round = 1; round <= TURN_ROUNDS; round++) {
        double least = best->scale * TURN_GAIN;
        if (!vc_cands_turn(e, least, round)) {
            return true;
        }
        vc_trial t;
        if (!search_from(e, least, &t, err)) {
            return false;
        }
        if (!(t.w && t.scale > best->scale * (1 + 1e-9))) {
            vc_trial_free(&t);
            vc_cands_unturn(e, round);
            return true;
        }
        vc_trial_free(best);
        *best = t;
    }
    return true;
}

bool vc_fit_scale(vc_engine *e, vc_trial *best, vc_error *err)
{
    const vc_render_options *o = e->o;
    bool turn = o->rotate == VC_ROTATE_AUTO;
    if (o->same_scale > 0 || o->fit == VC_FIT_NONE) {
        double s = fixed_scale(e);
        if (!vc_cands_wrap_to_width(e, s, err)) {
            return false;
        }
        if (turn) {
            (void)vc_cands_turn(e, s * (1 - 1e-9), 1);
        }
        return vc_trial_run(e, s, keep_count(e, s), false, best, err);
    }
    /* Every candidate with votes counts, shaped or not: the limit was
     * measured so. */
    e->order_width = e->n + e->n_tail <= ORDER_WORDS ? ORDER_WIDTH : 0;
    bool ok = any_phrase(e) ? fit_wrapped(e, best, err) : fit_auto(e, best, err);
    ok = ok && (!turn || fit_turned(e, best, err));
    vc_canvas_stop_making(e);
    return ok;
}
