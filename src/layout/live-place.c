/* live-place.c - seating one word of a live cloud: the free place nearest
 * a point, searched ring by ring outwards (nearest first, so a word that
 * can stay where it was does), and the local moves tried before a word
 * may go far: a small nudge, then re-seating the smaller neighbours it
 * would cover near their own anchors. */
#include "layout/live-internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A grown word may move this many em from its anchor to fit (under the
 * 1 em the measurement calls a move). */
#define NUDGE_EM 0.5
/* At most this many neighbours are lifted for one word.  Only those that
 * really collide move: the others are put back exactly where they were
 * (the search tries the anchor first). */
#define MAX_NEIGHBOURS 64

/* Word w's ink width at 1 px em on k lines. */
static double ink_width(const live_word *w, unsigned k)
{
    const vc_shaped *on = k == vc_shaped_lines(&w->shaped) ? &w->shaped : &w->alt[k - 1];
    return on->ink[2] - on->ink[0];
}

/* The lines word w goes on at font size `size`: one, or for a phrase the
 * fewest that keep its ink within VC_LIVE_WRAP_SHARE of the canvas's
 * width (the narrowest when none do).  A function of the size alone, so a
 * restored state draws every phrase on the lines it was drawn on. */
static unsigned lines_at(const vc_live *lv, const live_word *w, double size)
{
    double room = VC_LIVE_WRAP_SHARE * (lv->e.occ.w - 2.0 * lv->e.frame);
    unsigned narrowest = 1;
    for (unsigned k = 1; k <= w->max_lines; k++) {
        if (ink_width(w, k) * size <= room) {
            return k;
        }
        narrowest = ink_width(w, k) < ink_width(w, narrowest) ? k : narrowest;
    }
    return narrowest;
}

/* Rasterises the word at `size` (a phrase on the lines for that size),
 * unless its ink is already that size. */
static bool make_at(const vc_live *lv, live_word *w, double size, vc_error *err)
{
    if (w->size == size) {
        return true;
    }
    vc_shaped_use_lines(&w->shaped, w->alt, lines_at(lv, w, size));
    vc_ink_finish(&w->ink);
    vc_sprite_finish(&w->sp);
    vc_occupancy_finish(&w->pad);
    w->size = 0;
    if (!vc_rasterise(&w->shaped, size, w->rotation, &w->ink, err) ||
        !vc_sprite_from_ink(&w->ink, &w->sp, err)) {
        return false;
    }
    w->size = size;
    return true;
}

/* Rasterises the word at its size at the current scale. */
static bool make(vc_live *lv, live_word *w, vc_error *err)
{
    return make_at(lv, w, lv->scale * w->f, err);
}

/* True when the sprite with its top-left at (x, y) lies on the canvas and
 * touches nothing taken. */
static bool fits_at(const vc_engine *e, const vc_sprite *s, int x, int y)
{
    if (x < 0 || y < 0 || x + s->w > e->occ.w || y + s->h > e->occ.h) {
        return false;
    }
    /* One ink pixel first: most taken places fail here. */
    if (vc_occupancy_get(&e->occ, x + s->ax, y + s->ay)) {
        return false;
    }
    return !vc_occupancy_collides(&e->occ, s, x, y);
}

/* Whether any drawn word is a phrase on several lines. */
static bool wrapped_drawn(const vc_live *lv)
{
    for (size_t i = 0; i < lv->n; i++) {
        const live_word *v = &lv->w[i];
        if (v->state == LIVE_DRAWN && v->in_occ && v->shaped.n_lines > 1) {
            return true;
        }
    }
    return false;
}

/* Word w with its sprite's top-left at (x, y) keeps clear of phrases as a
 * trial's words do (place.c): out of the bands of the drawn phrases of a
 * like size, and, a phrase itself, with no word of a like size in its
 * own bands; else it reads as one more line of a phrase. */
static bool clear_of_phrases(const vc_live *lv, const live_word *w, int x, int y)
{
    int ink[4] = {x, y, x + w->sp.w, y + w->sp.h}, own[2][4], theirs[2][4];
    int n_own = vc_phrase_bands_at(&w->shaped, &w->sp, w->size, w->rotation, x, y, own);
    for (size_t i = 0; i < lv->n; i++) {
        const live_word *v = &lv->w[i];
        if (v == w || v->state != LIVE_DRAWN || !v->in_occ ||
            !vc_like_size(v->size, w->size)) {
            continue;
        }
        int box[4] = {v->x, v->y, v->x + v->sp.w, v->y + v->sp.h};
        int n = vc_phrase_bands_at(&v->shaped, &v->sp, v->size, v->rotation, v->x, v->y,
                                   theirs);
        for (int k = 0; k < n; k++) {
            if (vc_boxes_meet(theirs[k], ink)) {
                return false;
            }
        }
        for (int k = 0; k < n_own; k++) {
            if (vc_boxes_meet(own[k], box)) {
                return false;
            }
        }
    }
    return true;
}

/* A search for a place for word w; `bands`: phrases on several lines are
 * in play, so a free place must also be clear of them. */
typedef struct seeker {
    const vc_live *lv;
    const live_word *w;
    bool bands;
} seeker;

static seeker seeker_of(const vc_live *lv, const live_word *w)
{
    return (seeker){lv, w, w->shaped.n_lines > 1 || wrapped_drawn(lv)};
}

static bool seat_ok(const seeker *sk, int x, int y)
{
    return fits_at(&sk->lv->e, &sk->w->sp, x, y) &&
           (!sk->bands || clear_of_phrases(sk->lv, sk->w, x, y));
}

static bool search_step(const seeker *sk, double cx, double cy, double max_r,
                        double aspect, double step, int *x, int *y);

/* The free place nearest (cx, cy) for word w's centre, within max_r
 * (distances across stretched by `aspect`), on rings about a sixth of the
 * word's smaller side apart.  *x, *y: the sprite's top-left. */
static bool search(const vc_live *lv, const live_word *w, double cx, double cy,
                   double max_r, double aspect, int *x, int *y)
{
    seeker sk = seeker_of(lv, w);
    return search_step(&sk, cx, cy, max_r, aspect,
                       fmax(1.0, fmin(w->sp.w, w->sp.h) / 6.0), x, y);
}

/* A nudge walks rings a pixel or two apart: a word that grew by a vote
 * usually needs to shift by only a few pixels. */
static bool nudge(const vc_live *lv, const live_word *w, double cx, double cy,
                  double max_r, int *x, int *y)
{
    seeker sk = seeker_of(lv, w);
    return search_step(&sk, cx, cy, max_r, 1, fmax(1.0, fmin(w->sp.w, w->sp.h) / 32.0), x,
                       y);
}

static bool search_step(const seeker *sk, double cx, double cy, double max_r,
                        double aspect, double step, int *x, int *y)
{
    const vc_engine *e = &sk->lv->e;
    const vc_sprite *s = &sk->w->sp;
    double hw = s->w / 2.0, hh = s->h / 2.0;
    int x0 = (int)lround(cx - hw), y0 = (int)lround(cy - hh);
    if (seat_ok(sk, x0, y0)) {
        *x = x0;
        *y = y0;
        return true;
    }
    double limit = fmin(max_r, hypot(e->occ.w / aspect, e->occ.h) + step);
    for (double r = step; r <= limit; r += step) {
        double m = ceil(2 * M_PI * r / step);
        m = m < 8 ? 8 : m;
        double da = 2 * M_PI / m, c = cos(da), sn = sin(da);
        /* Each ring starts at its own angle, so no side is always first. */
        double a0 = r * 2.399963229728653; /* golden angle per px */
        double ux = cos(a0), uy = sin(a0);
        for (double j = 0; j < m; j++) {
            int px = (int)lround(cx + r * ux * aspect - hw);
            int py = (int)lround(cy + r * uy - hh);
            if (seat_ok(sk, px, py)) {
                *x = px;
                *y = py;
                return true;
            }
            double t = ux * c - uy * sn;
            uy = ux * sn + uy * c;
            ux = t;
        }
    }
    return false;
}

/* The space kept around a word, as place.c keeps it (padding_em of the
 * size above and below, four times that sideways, at least padding). */
static void padding_of(const vc_render_options *o, double size, double *px, double *py)
{
    double grown = o->padding_em * size;
    *py = fmax(grown, o->padding);
    *px = fmax(4 * grown, o->padding);
}

/* The word's padded mask: vc_canvas_take_word into a canvas of its own,
 * with room for the padding on every side (so nothing is clipped). */
static bool make_pad(vc_live *lv, live_word *w, vc_error *err)
{
    double px, py;
    padding_of(&lv->opts, w->size, &px, &py);
    int m = (int)ceil(fmax(px, py)) + 2;
    if (!vc_occupancy_init(&w->pad, w->sp.w + 2 * m, w->sp.h + 2 * m, err)) {
        return false;
    }
    vc_engine t = lv->e; /* options and scratch; a canvas of its own */
    t.occ = w->pad;
    bool ok = vc_canvas_take_word(&t, &w->sp, m, m, w->size, w->rotation, err);
    if (ok && w->shaped.n_lines > 1) {
        int box[4] = {m, m, m + w->sp.w, m + w->sp.h};
        vc_take_between_lines(&t.occ, &w->shaped, w->size, w->rotation, m - w->sp.x0,
                              m - w->sp.y0, box);
    }
    lv->e.scratch = t.scratch; /* it may have grown */
    lv->e.scratch_cap = t.scratch_cap;
    if (!ok) {
        vc_occupancy_finish(&w->pad);
        return false;
    }
    w->pad_m = m;
    return true;
}

bool vc_live_take(vc_live *lv, live_word *w, vc_error *err)
{
    if (!w->pad.bits && !make_pad(lv, w, err)) {
        return false;
    }
    /* The mask as a sprite, taken with no padding: a plain OR, clipped to
     * the canvas as vc_canvas_take_word clips. */
    vc_sprite mask = {0};
    mask.w = w->pad.w;
    mask.h = w->pad.h;
    mask.nw = w->pad.nw;
    mask.bits = w->pad.bits;
    size_t need = vc_occupancy_scratch_words(&mask, 0);
    if (need > lv->e.scratch_cap) {
        uint64_t *p = vc_malloc2(need, sizeof *p);
        if (!p) {
            return vc_fail_nomem(err, "live scratch row");
        }
        free(lv->e.scratch);
        lv->e.scratch = p;
        lv->e.scratch_cap = need;
    }
    vc_occupancy_add(&lv->e.occ, &mask, w->x - w->pad_m, w->y - w->pad_m, 0, 0,
                     lv->e.scratch);
    return true;
}

/* Takes the word into the canvas at (x, y) and makes that its anchor. */
static bool commit(vc_live *lv, live_word *w, int x, int y, vc_error *err)
{
    int old_x = w->x, old_y = w->y;
    w->x = x;
    w->y = y;
    if (!vc_live_take(lv, w, err)) {
        w->x = old_x;
        w->y = old_y;
        return false;
    }
    w->seq = ++lv->commits;
    w->state = LIVE_DRAWN;
    w->in_occ = true;
    w->anchored = true;
    w->ax = x + w->sp.w / 2.0;
    w->ay = y + w->sp.h / 2.0;
    return true;
}

/* The drawn, smaller words whose padded boxes meet word i's at its
 * anchor, most votes first; false when there are none or too many. */
static bool neighbours(const vc_live *lv, size_t i, size_t *out, size_t *n_out)
{
    const live_word *w = &lv->w[i];
    double wpx, wpy;
    padding_of(&lv->opts, w->size, &wpx, &wpy);
    double x0 = w->ax - w->sp.w / 2.0 - wpx, x1 = w->ax + w->sp.w / 2.0 + wpx;
    double y0 = w->ay - w->sp.h / 2.0 - wpy, y1 = w->ay + w->sp.h / 2.0 + wpy;
    size_t n = 0;
    for (size_t k = 0; k < lv->n_order; k++) {
        size_t j = lv->order[k];
        const live_word *v = &lv->w[j];
        if (j == i || v->state != LIVE_DRAWN || !v->in_occ) {
            continue;
        }
        double vpx, vpy;
        padding_of(&lv->opts, v->size, &vpx, &vpy);
        if (v->x + v->sp.w + vpx <= x0 || v->x - vpx >= x1 ||
            v->y + v->sp.h + vpy <= y0 || v->y - vpy >= y1) {
            continue;
        }
        if (!(v->size < w->size)) {
            continue; /* stays; if it is in the way, the nudge fails */
        }
        if (n == MAX_NEIGHBOURS) {
            return false;
        }
        out[n++] = j;
    }
    *n_out = n;
    return n > 0;
}

typedef struct saved {
    int x, y;
    double ax, ay;
    uint64_t seq;
} saved;

/* Puts word i at its anchor (or a nudge away) after lifting the smaller
 * neighbours it covers, then re-seats each of them at the free place
 * nearest its own anchor.  On failure everything is as it was. */
static bool displace(vc_live *lv, size_t i, bool *placed, vc_error *err)
{
    live_word *w = &lv->w[i];
    size_t nb[MAX_NEIGHBOURS], n = 0;
    saved old[MAX_NEIGHBOURS];
    *placed = false;
    if (!neighbours(lv, i, nb, &n)) {
        return true;
    }
    for (size_t k = 0; k < n; k++) {
        live_word *v = &lv->w[nb[k]];
        old[k] = (saved){v->x, v->y, v->ax, v->ay, v->seq};
        v->in_occ = false;
    }
    if (!vc_live_rebuild(lv, err)) {
        return false;
    }
    int x, y;
    bool ok = nudge(lv, w, w->ax, w->ay, NUDGE_EM * w->size, &x, &y);
    double ax = w->ax, ay = w->ay;
    if (ok && !commit(lv, w, x, y, err)) {
        return false;
    }
    for (size_t k = 0; ok && k < n; k++) {
        live_word *v = &lv->w[nb[k]];
        ok = search(lv, v, v->ax, v->ay, INFINITY, 1, &x, &y);
        if (ok && !commit(lv, v, x, y, err)) {
            return false;
        }
    }
    if (ok) {
        *placed = true;
        return true;
    }
    /* Undo: the word is not seated, the neighbours are where they were. */
    w->in_occ = false;
    w->state = LIVE_NO_ROOM;
    w->ax = ax;
    w->ay = ay;
    for (size_t k = 0; k < n; k++) {
        live_word *v = &lv->w[nb[k]];
        v->x = old[k].x;
        v->y = old[k].y;
        v->ax = old[k].ax;
        v->ay = old[k].ay;
        v->seq = old[k].seq;
        v->state = LIVE_DRAWN;
        v->in_occ = true;
    }
    return vc_live_rebuild(lv, err);
}

/* The canvas's aspect ratio: new words spread as the canvas does. */
static double canvas_aspect(const vc_live *lv)
{
    return (double)lv->e.occ.w / lv->e.occ.h;
}

/* Seats word i: with `in_place`, an anchored word first tries its own
 * neighbourhood (a nudge, then displacing smaller neighbours); then a
 * spiral search from its anchor, or from the centre for a new word.  A
 * word without ink, or without room, is marked so and *placed stays
 * false; false only on failure. */
static bool seat(vc_live *lv, size_t i, bool in_place, bool *placed, vc_error *err)
{
    live_word *w = &lv->w[i];
    *placed = false;
    if (!make(lv, w, err)) {
        return false;
    }
    if (w->sp.h == 0) {
        w->state = LIVE_NO_INK;
        return true;
    }
    int x, y;
    if (in_place && w->anchored) {
        if (nudge(lv, w, w->ax, w->ay, NUDGE_EM * w->size, &x, &y)) {
            *placed = true;
            return commit(lv, w, x, y, err);
        }
        if (!displace(lv, i, placed, err)) {
            return false;
        }
        if (*placed) {
            return true;
        }
    }
    bool found = w->anchored ? search(lv, w, w->ax, w->ay, INFINITY, 1, &x, &y)
                             : search(lv, w, lv->e.occ.w / 2.0, lv->e.occ.h / 2.0,
                                      INFINITY, canvas_aspect(lv), &x, &y);
    if (!found) {
        w->state = LIVE_NO_ROOM;
        w->in_occ = false;
        return true;
    }
    *placed = true;
    return commit(lv, w, x, y, err);
}

bool vc_live_seat(vc_live *lv, size_t i, bool *placed, vc_error *err)
{
    return seat(lv, i, true, placed, err);
}

bool vc_live_seat_repack(vc_live *lv, size_t i, bool *placed, vc_error *err)
{
    return seat(lv, i, false, placed, err);
}

bool vc_live_seat_at(vc_live *lv, size_t i, double size, int x, int y, vc_error *err)
{
    live_word *w = &lv->w[i];
    if (!make_at(lv, w, size, err)) {
        return false;
    }
    if (w->sp.h == 0 || !fits_at(&lv->e, &w->sp, x, y)) {
        return vc_fail(err, VC_ERR_DATA, "live state: \"%s\" does not fit at %d,%d",
                       w->text, x, y);
    }
    return commit(lv, w, x, y, err);
}
