/* layout/engine.h - private to the layout stage: the words being laid
 * out, one trial at one scale, and the state trials share, with the
 * functions the layout files call in one another. */
#ifndef VC_LAYOUT_INTERNAL_H
#define VC_LAYOUT_INTERNAL_H

#include "layout/occupancy.h"

#include <pthread.h>

/* Spirals of coarseness 1, 2, 4, ... (place.c). */
#define N_LEVELS 4
/* Spiral variants (vc_canvas_respiral): the seed's own and the others an
 * auto fit tries (fit.c). */
#define N_VARIANTS 5
/* Buckets of word sizes (by height and by width, up to N_BUCKETS of each:
 * sides to 2^16 px), each remembering where its words start on the
 * spiral.  Finer in width, where words differ most (measured: 2 and 2 per
 * octave draw no larger and cost 9% more instructions on 1,000 tiny words;
 * 1 and 1 lose 3-6% of the scale on 50-80 words). */
#define N_BUCKETS 32
#define HEIGHT_BUCKETS_PER_OCTAVE 1
#define WIDTH_BUCKETS_PER_OCTAVE 2

/* A trial word's outcome. */
enum { WORD_PLACED = 1, WORD_NO_ROOM, WORD_NO_INK, WORD_TOO_LONG };

/* A word with votes within --max-words, shaped once for every trial. */
typedef struct vc_cand {
    const struct vc_word *src;
    double f;            /* vc_sizing_value of the count */
    double rotation;
    unsigned turned;     /* --rotate auto: the round that turned it (0: not) */
    double ink_w, ink_h; /* rotated ink box at 1 px em */
    vc_shaped shaped;    /* as tried: on `lines` lines */
    /* --wrap auto: a phrase may be tried on 1 to max_lines lines, k of
     * them starting at the bytes breaks[k - 1][0 .. k).  They are shaped
     * only when a trial first asks for them (made[k - 1]): alt[k - 1] is
     * the phrase on k lines (empty for k == lines, which is in `shaped`)
     * and aspect[k - 1] its ink's width / height. */
    unsigned lines, max_lines;
    size_t breaks[VC_WRAP_MAX_LINES][VC_WRAP_MAX_LINES];
    bool made[VC_WRAP_MAX_LINES];
    vc_shaped alt[VC_WRAP_MAX_LINES];
    double aspect[VC_WRAP_MAX_LINES];
} vc_cand;

/* One candidate in one trial. */
typedef struct vc_trial_word {
    int state;
    int x, y;          /* baseline origin */
    int box[4];
    vc_ink ink;
} vc_trial_word;

/* The candidates laid out at one scale. */
typedef struct vc_trial {
    double scale;
    size_t n_keep;     /* the first n_keep candidates were tried */
    vc_trial_word *w;
    bool ok;           /* every tried word was placed */
    size_t fail_at;
    double placed_area, tried_area;
} vc_trial;

/* A word as a trial made it (raster-ahead.c): its ink and bit mask at
 * one font size, angle and number of lines. */
typedef struct vc_made_word {
    bool have;
    double size, rotation;
    unsigned lines;
    vc_ink ink;
    vc_sprite sprite;
} vc_made_word;

/* What vc_layout_new's trials share. */
typedef struct vc_engine {
    vc_layout *L;
    vc_context *ctx;   /* shapes the words; not kept by the layout */
    bool nothing_fits;  /* auto fit: no scale draws even the top words */
    const vc_render_options *o;
    vc_cand *c;
    size_t n;          /* candidates with votes, within --max-words, shaped */
    /* Then c[n .. n + n_tail): candidates too small to draw at any scale a
     * trial may try (vc_fit_scale_bound), left unshaped: a book's text
     * has thousands of such words. */
    size_t n_tail;
    vc_occupancy occ;
    uint64_t *base;    /* the empty canvas with the shape taken */
    int frame;         /* margin + padding: taken inside every edge */
    vc_spiral_walk *sp[N_LEVELS]; /* borrowed from `spirals` (spiral-cache.c) */
    vc_spiral_cache *spirals; /* ctx's, or NULL: none kept (place.c) */
    unsigned variant;  /* of the spirals (vc_canvas_respiral) */
    /* Every variant's spirals, borrowed at once while `holding`
     * (vc_canvas_make_variants): sp[] is then one row of them, and the
     * thread `maker` makes their points ahead of the walker. */
    bool holding;
    vc_spiral_walk *held[N_VARIANTS][N_LEVELS];
    pthread_t maker;
    unsigned maker_from;   /* the variant the maker starts with */
    bool maker_running;
    atomic_bool maker_stop, maker_done;
    /* Auto fit of a small cloud (fit.c): its trials place the words by
     * votes x (long side of the ink)^order_width within runs of the same
     * padding (place.c); 0: by votes. */
    double order_width;
    struct vc_order_key *order; /* e->n, made at the first such trial (place.c) */
    /* This trial's placed ink boxes, and the bands above and below its
     * phrases on several lines, with their font sizes: a word of a like
     * size is kept out of a phrase's bands (place.c). */
    struct vc_sized_box *boxes, *bands;
    size_t n_boxes, cap_boxes, n_bands, cap_bands;
    vc_mask mask;
    uint64_t *scratch;
    size_t scratch_cap;
    double usable_area;
    size_t hint[N_LEVELS][N_BUCKETS][N_BUCKETS]; /* where words of each size start (place.c) */
    double raster_wait;  /* seconds placement waited for words or made them */
    /* While keep_made (fit.c: a scale is about to be tried on several
     * spirals), the words trials make are kept, made[i] for candidate i,
     * and the next trial copies those made at its sizes rather than
     * rasterising them again (raster-ahead.c). */
    bool keep_made;
    vc_made_word *made;  /* e->n, made at the first trial that keeps */
} vc_engine;

/* ---- render-options.c ---------------------------------------------------- */

/* Refuses options out of range, with the option's name. */
bool vc_render_options_check(const vc_render_options *o, vc_error *err);
/* `in` (NULL: defaults) checked for its struct_size and copied into `out`
 * over the defaults (vc_options_adopt). */
bool vc_render_options_adopt(const vc_render_options *in, vc_render_options *out,
                             vc_error *err);

/* The home of `text` in o->homes (sorted, checked), or NULL (issue 15). */
const vc_home *vc_home_find(const vc_render_options *o, const char *text);

/* ---- layout-words.c: words in, reasons out ------------------------------- */

/* Sorts the words, lists those with no votes or past --max-words as left
 * out, and shapes and angles the rest that some trial may draw:
 * e->c[0 .. e->n); the others follow unshaped (e->n_tail). */
bool vc_cands_gather(vc_engine *e, const vc_words *words, vc_error *err);
void vc_cands_finish(vc_engine *e);
/* Puts every phrase on the fewest lines whose ink is at most `max_aspect`
 * times as wide as tall (INFINITY: one line); *changed when any moved.
 * False (with the error) when shaping a phrase's lines failed. */
bool vc_cands_wrap(vc_engine *e, double max_aspect, bool *changed, vc_error *err);
/* True when a phrase that vc_cands_wrap put on several lines would, on
 * one line at `scale`, span at least `share` of the usable width (its
 * height when turned 90 degrees; any share at other angles): only then can
 * its wrapping be what lets that scale fit. */
bool vc_cands_wrap_matters(const vc_engine *e, double scale, double share);
/* At a fixed scale: puts each phrase too wide for the canvas on the fewest
 * lines that fit its width.  False (with the error) as vc_cands_wrap. */
bool vc_cands_wrap_to_width(vc_engine *e, double scale, vc_error *err);
/* The angle --rotate mixed and --rotate auto turn a word to: reading
 * bottom to top, as a chart's vertical axis title does. */
#define VC_UPRIGHT (-90.0)
/* One word's angle under o->rotate, drawn from `rng` (none and auto:
 * flat); the layout draws all words from one generator, the live cloud
 * each from its own, seeded by its text. */
double vc_pick_rotation(const vc_render_options *o, vc_rng *rng);
/* --rotate auto: turns upright every one-line word whose flat ink does not
 * fit the canvas at `least` while upright it does, marking it with `round`
 * (> 0); true when any turned. */
bool vc_cands_turn(vc_engine *e, double least, unsigned round);
/* Lays the words turned in `round` flat again. */
void vc_cands_unturn(vc_engine *e, unsigned round);
/* Moves the chosen trial's words into the layout and lists the rest with
 * the reason each was left out. */
bool vc_layout_take_trial(vc_engine *e, vc_trial *t, vc_error *err);
/* With --strict, a word left out is an error. */
bool vc_layout_check_strict(const vc_layout *L, vc_error *err);

/* ---- place.c: the canvas and the spiral walk ----------------------------- */

/* The occupancy bitmap with the shape, mask, margin and legend band
 * taken, and the spirals. */
bool vc_canvas_setup(vc_engine *e, vc_error *err);
void vc_canvas_finish(vc_engine *e);
/* The spirals of another variant: 0 is --seed's, the others are turned
 * and sensed by seeds derived from it (auto fit, fit.c). */
bool vc_canvas_respiral(vc_engine *e, unsigned variant, vc_error *err);
/* Borrows every variant's spirals at once and starts a thread making
 * their points, so that the walker finds them made when the auto fit
 * switches variants; nothing when the engine keeps no spirals (a large
 * canvas) or has one thread. */
bool vc_canvas_make_variants(vc_engine *e, vc_error *err);
/* Stops that thread; the spirals stay borrowed until vc_canvas_finish. */
void vc_canvas_stop_making(vc_engine *e);
/* Lays out the first n_keep candidates at `scale` into *t (free it with
 * vc_trial_free, also on failure).  With `abort_early` the trial stops at
 * the first word that does not fit. */
bool vc_trial_run(vc_engine *e, double scale, size_t n_keep, bool abort_early,
                  vc_trial *t, vc_error *err);
void vc_trial_free(vc_trial *t);
/* Takes a placed word's ink grown by its padding, and the space beside
 * its line ends, with the sprite's top-left at canvas pixel (x, y): what
 * a trial takes for each word it places (also used by live.c). */
bool vc_canvas_take_word(vc_engine *e, const vc_sprite *s, int x, int y, double font_size,
                         double rotation, vc_error *err);

/* A phrase on several lines takes the space between each two lines
 * where both have ink (a small word there would read as part of it);
 * turned, its whole ink box.  (ox, oy): its origin; box: its ink box,
 * canvas px.  Trials take it for each such phrase they place, and the
 * live cloud into each such phrase's padded mask. */
void vc_take_between_lines(vc_occupancy *occ, const vc_shaped *sh, double size,
                           double rotation, int ox, int oy, const int box[4]);

/* The bands above and below a flat phrase on several lines that words of
 * a like size (vc_like_size) keep out of, on the canvas for its sprite's
 * top-left at (x, y); returns how many (2, or 0 for any other word). */
int vc_phrase_bands_at(const vc_shaped *sh, const vc_sprite *s, double size,
                       double rotation, int x, int y, int band[2][4]);
/* Font sizes close enough that a word of one beside a phrase of the other
 * reads as one more line of it. */
bool vc_like_size(double a, double b);
/* Whether boxes (x0, y0, x1, y1; x1 and y1 outside) share a pixel. */
static inline bool vc_boxes_meet(const int a[4], const int b[4])
{
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/* ---- layout.c: hooks for the live layout (live.c) ------------------------ */

/* An empty layout: options checked and copied, fonts set up, nothing
 * placed; the caller fills it.  `ctx` is borrowed, as by vc_layout_new. */
vc_layout *vc_layout_begin(vc_context *ctx, const vc_render_options *opts, vc_error *err);

/* ---- raster-ahead.c: words rasterised on a second thread ----------------- */

typedef struct vc_ahead {
    vc_engine *e;
    double scale;
    size_t n;
    vc_trial_word *tw;    /* ink of word i goes to tw[i].ink */
    vc_sprite *sprites;   /* n; finished by the placer or by vc_ahead_end */
    bool *done;           /* n: word i's ink and mask are made (under mu) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t claimed;       /* words [0, claimed) are started (under mu) */
    size_t taken;         /* the word the placer waits for or uses */
    bool stop;            /* the placer has finished (under mu) */
    bool asleep;          /* the rasteriser waits for the lead to halve (under mu) */
    size_t failed_at;     /* the first word made ahead that failed, or SIZE_MAX (under mu) */
    vc_error err;         /* why it failed (under mu) */
    double busy;          /* seconds the rasteriser spent rasterising */
    pthread_t thread;
    bool threaded;        /* thread runs the rasteriser */
    bool keep;            /* words made are kept in e->made, and taken from it */
} vc_ahead;

/* Starts rasterising the first n candidates at `scale` into tw[i].ink
 * and a->sprites[i]. */
bool vc_ahead_start(vc_ahead *a, vc_engine *e, double scale, size_t n,
                    vc_trial_word *tw, vc_error *err);
/* Word i, made by the rasteriser or here; false (with the error) when
 * making it failed, just as making it here would have. */
bool vc_ahead_take(vc_ahead *a, size_t i, vc_error *err);
/* Stops the rasteriser and frees what it made that was not taken. */
void vc_ahead_end(vc_ahead *a);
/* Frees the words kept between trials (e->made). */
void vc_made_finish(vc_engine *e);

/* ---- fit.c: the scale ---------------------------------------------------- */

/* The trial at the one scale of the cloud: the given one (--same-scale,
 * --fit none) or the largest at which every kept word fits. */
bool vc_fit_scale(vc_engine *e, vc_trial *best, vc_error *err);
/* The largest scale at which the candidate's ink, at its angle, fits
 * inside the canvas (INFINITY when it has no ink or votes). */
double vc_cand_cap(const vc_engine *e, const vc_cand *c);
/* A scale no trial exceeds, from the options and the top candidate
 * (e->c[0], shaped) alone; INFINITY when they do not bound it. */
double vc_fit_scale_bound(const vc_engine *e);

/* Whether a candidate with sizing value f is drawn at `scale`: at least
 * the minimum font size (a hair under it, for rounding, counts). */
static inline bool vc_cand_drawn_at(const vc_engine *e, double f, double scale)
{
    return f > 0 && scale * f >= e->o->min_font_size * (1 - 1e-12);
}

/* Whether the candidate's ink at `size` px em is wider or taller than the
 * canvas: such a word is left out unrasterised (its bitmap could be
 * larger than memory allows, and it could never be placed). */
static inline bool vc_cand_too_long(const vc_engine *e, const vc_cand *c, double size)
{
    return c->ink_w * size > e->occ.w || c->ink_h * size > e->occ.h;
}

/* ---- word-colors.c ------------------------------------------------------- */

/* Every placed word's colour: from the palette by rank, group or word,
 * adjusted to meet WCAG contrast unless --contrast off. */
bool vc_layout_assign_colors(vc_layout *L, vc_error *err);

#endif /* VC_LAYOUT_INTERNAL_H */
