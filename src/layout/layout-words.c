/* layout-words.c - words in, reasons out: which words are tried (sorted by
 * votes, shaped once, each with its angle) and, once the scale is chosen,
 * which are drawn and why every other word was left out. */
#include "layout/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
                        vc_drop_reason why, char *reason, vc_error *err)
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
    d->chosen = w->chosen;
    d->suggested = w->suggested;
    d->reason = reason;
    d->why = why;
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

/* Why `w` is beyond the top `max` words, whose last is `last`.  A word with
 * as many votes as a drawn one says so, and which order broke the tie: the
 * reader of the table sees both words at the same count. */
static char *max_words_reason(const struct vc_word *w, const struct vc_word *last, size_t max)
{
    if (w->count < last->count) {
        return format_reason("not in the top %zu (the most words drawn)", max);
    }
    char votes[32];
    number_text(votes, sizeof votes, w->count);
    return format_reason("not in the top %zu (the most words drawn): tied at %s %s with a drawn "
                         "word, and of tied words the first in alphabetical order (by character "
                         "code) are kept", max, votes, w->count == 1 ? "vote" : "votes");
}

/* The candidate's rotated ink box at 1 px em. */
static void cand_box(vc_cand *c)
{
    double w = c->shaped.ink[2] - c->shaped.ink[0];
    double h = c->shaped.ink[3] - c->shaped.ink[1];
    double a = c->rotation * M_PI / 180;
    c->ink_w = fabs(w * cos(a)) + fabs(h * sin(a));
    c->ink_h = fabs(w * sin(a)) + fabs(h * cos(a));
}

static double ink_aspect(const vc_shaped *s)
{
    double h = s->ink[3] - s->ink[1];
    return h > 0 ? (s->ink[2] - s->ink[0]) / h : 0;
}

/* Phrases longer than this (bytes) or with more spaces stay on one line:
 * the break search is quadratic in the spaces. */
#define WRAP_MAX_BYTES 200
#define WRAP_MAX_SPACES 24

/* Characters (UTF-8 lead bytes) in text[a, b): the balance of lines. */
static size_t chars_in(const char *text, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    }
    return n;
}

/* Where a line that the next one starts at byte b ends: before the space
 * that is not drawn, or after the hyphen that is. */
static size_t line_end(const char *text, size_t b)
{
    return text[b - 1] == ' ' ? b - 1 : b;
}

/* The breaks (at[0] = 0; at[k] one of bp[], just after a space or a
 * hyphen) that put `text` on `lines` lines with the longest as short as
 * possible, the first such. */
static void balanced_breaks(const char *text, const size_t *bp, size_t n_bp, unsigned lines,
                            size_t at[VC_WRAP_MAX_LINES])
{
    size_t len = strlen(text), best = SIZE_MAX;
    at[0] = 0;
    for (size_t i = 0; i < n_bp; i++) {
        size_t j0 = lines == 3 ? i + 1 : n_bp, j1 = lines == 3 ? n_bp : n_bp + 1;
        for (size_t j = j0; j < j1; j++) {
            size_t end1 = lines == 3 ? line_end(text, bp[j]) : len;
            size_t a = chars_in(text, 0, line_end(text, bp[i])), b = chars_in(text, bp[i], end1);
            size_t c = lines == 3 ? chars_in(text, bp[j], len) : 0;
            size_t worst = a > b ? a : b;
            worst = c > worst ? c : worst;
            if (worst < best) {
                best = worst;
                at[1] = bp[i];
                if (lines == 3) {
                    at[2] = bp[j];
                }
            }
        }
    }
}

/* A hyphen at byte i may end a line when at least 3 letters stand on each
 * side of it within the word ("Person-|centred", not "Joined-|up"). */
static bool hyphen_splits(const char *text, size_t len, size_t i)
{
    size_t a = i, b = i + 1;
    while (a > 0 && text[a - 1] != ' ' && text[a - 1] != '-') {
        a--;
    }
    while (b < len && text[b] != ' ' && text[b] != '-') {
        b++;
    }
    return chars_in(text, a, i) >= 3 && chars_in(text, i + 1, b) >= 3;
}

unsigned vc_wrap_breaks(const char *text,
                        size_t breaks[VC_WRAP_MAX_LINES][VC_WRAP_MAX_LINES])
{
    size_t len = strlen(text);
    if (len > WRAP_MAX_BYTES) {
        return 1;
    }
    size_t bp[WRAP_MAX_SPACES], n_bp = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        bool space = text[i] == ' ' && text[i - 1] != ' ' && text[i + 1] != ' ';
        bool hyphen = text[i] == '-' && hyphen_splits(text, len, i);
        if (space || hyphen) {
            if (n_bp == WRAP_MAX_SPACES) {
                return 1;
            }
            bp[n_bp++] = i + 1;
        }
    }
    unsigned most = 1;
    for (unsigned k = 2; k <= VC_WRAP_MAX_LINES && k <= n_bp + 1; k++) {
        balanced_breaks(text, bp, n_bp, k, breaks[k - 1]);
        most = k;
    }
    return most;
}

/* --wrap auto: a phrase of several words (or a hyphenated word) may also
 * go on 2 or 3 lines, so trials can choose (vc_cands_wrap).  Only the
 * breaks are found here: the lines are shaped when a trial first asks for
 * them (make_lines), and most phrases never are (a short phrase is never
 * wider than the plans allow; at a fixed scale only a phrase too wide for
 * the canvas wraps). */
static void prepare_wraps(vc_engine *e, vc_cand *c)
{
    c->lines = c->max_lines = 1;
    c->made[0] = true;
    c->aspect[0] = ink_aspect(&c->shaped);
    if (e->o->wrap == VC_WRAP_AUTO) {
        c->max_lines = vc_wrap_breaks(c->src->text, c->breaks);
    }
}

/* The phrase on k lines, shaped if no trial has asked for it before. */
static bool make_lines(vc_engine *e, vc_cand *c, unsigned k, vc_error *err)
{
    if (c->made[k - 1]) {
        return true;
    }
    double t0 = vc_now();
    bool ok = vc_shape_lines(e->ctx, &e->L->fonts, c->src->text, c->breaks[k - 1], k,
                             &c->alt[k - 1], err);
    e->L->timings.shape += vc_now() - t0;
    if (ok) {
        c->aspect[k - 1] = ink_aspect(&c->alt[k - 1]);
        c->made[k - 1] = true;
    }
    return ok;
}

/* Tries the candidate on k lines (already made) from now on. */
static void use_lines(vc_cand *c, unsigned k)
{
    if (k == c->lines || k < 1 || k > c->max_lines) {
        return;
    }
    vc_shaped_use_lines(&c->shaped, c->alt, k);
    c->lines = k;
    cand_box(c);
}

bool vc_cands_wrap(vc_engine *e, double max_aspect, bool *changed, vc_error *err)
{
    *changed = false;
    for (size_t i = 0; i < e->n; i++) {
        vc_cand *c = &e->c[i];
        unsigned k = 1, flattest = 1;
        while (k < c->max_lines && !(c->aspect[k - 1] <= max_aspect)) {
            k++;
            if (!make_lines(e, c, k, err)) {
                return false;
            }
            flattest = c->aspect[k - 1] < c->aspect[flattest - 1] ? k : flattest;
        }
        if (!(c->aspect[k - 1] <= max_aspect)) {
            k = flattest;
        }
        *changed |= k != c->lines;
        use_lines(c, k);
    }
    return true;
}

bool vc_cands_wrap_matters(const vc_engine *e, double scale, double share)
{
    double room_w = e->occ.w - 2.0 * e->frame, room_h = e->occ.h - 2.0 * e->frame;
    for (size_t i = 0; i < e->n; i++) {
        const vc_cand *c = &e->c[i];
        if (c->lines < 2) {
            continue;
        }
        /* On one line: alt[0] (the tried lines are in `shaped`). */
        const vc_shaped *one = &c->alt[0];
        double w = (one->ink[2] - one->ink[0]) * scale * c->f;
        double r = fmod(fabs(c->rotation), 180);
        if (r == 0 ? w >= share * room_w : r == 90 ? w >= share * room_h : true) {
            return true;
        }
    }
    return false;
}

bool vc_cands_wrap_to_width(vc_engine *e, double scale, vc_error *err)
{
    double room = e->occ.w - 2.0 * e->frame;
    for (size_t i = 0; i < e->n; i++) {
        vc_cand *c = &e->c[i];
        double size = scale * c->f;
        for (unsigned k = 1; k <= c->max_lines; k++) {
            if (!make_lines(e, c, k, err)) {
                return false;
            }
            use_lines(c, k);
            if (c->ink_w * size <= room) {
                break;
            }
        }
    }
    return true;
}

static void set_rotation(vc_cand *c, double rotation)
{
    c->rotation = rotation;
    cand_box(c);
}

bool vc_cands_turn(vc_engine *e, double least, unsigned round)
{
    bool changed = false;
    for (size_t i = 0; i < e->n; i++) {
        vc_cand *c = &e->c[i];
        /* A phrase on several lines stays flat: its lines read as one
         * answer only side by side.  A word below the minimum size at
         * `least` is left out whichever way it faces. */
        if (c->rotation != 0 || c->lines > 1 || !(vc_cand_cap(e, c) < least) ||
            least * c->f < e->o->min_font_size) {
            continue;
        }
        set_rotation(c, VC_UPRIGHT);
        if (vc_cand_cap(e, c) >= least) {
            c->turned = round;
            changed = true;
        } else {
            set_rotation(c, 0);
        }
    }
    return changed;
}

void vc_cands_unturn(vc_engine *e, unsigned round)
{
    if (round == 0) {
        return; /* 0 marks the words never turned */
    }
    for (size_t i = 0; i < e->n; i++) {
        if (e->c[i].turned == round) {
            e->c[i].turned = 0;
            set_rotation(&e->c[i], 0);
        }
    }
}

double vc_pick_rotation(const vc_render_options *o, vc_rng *rng)
{
    if (o->rotate == VC_ROTATE_MIXED) {
        return vc_rng_double(rng) < o->prefer_horizontal ? 0 : VC_UPRIGHT;
    }
    if (o->rotate == VC_ROTATE_LIST && o->n_angles > 0) {
        return o->angles[vc_rng_next(rng) % o->n_angles];
    }
    return 0; /* none, and auto until fit.c turns a word */
}

/* Chooses every word's angle up front, so trials at different scales see
 * the same choices. */
static void choose_rotations(vc_engine *e)
{
    vc_rng rng;
    vc_rng_seed(&rng, e->o->seed);
    for (size_t i = 0; i < e->n; i++) {
        e->c[i].rotation = vc_pick_rotation(e->o, &rng);
        cand_box(&e->c[i]);
    }
}

static bool shape_cand(vc_engine *e, vc_cand *c, vc_error *err)
{
    if (!vc_shape_word(e->ctx, &e->L->fonts, c->src->text, &c->shaped, err)) {
        vc_shaped_finish(&c->shaped);
        return false;
    }
    prepare_wraps(e, c);
    return true;
}

/* Shapes the candidates some trial may draw: the top one, then each drawn
 * at the bound on the scale that it gives (they are sorted by votes, so a
 * prefix).  The rest stay unshaped in the tail. */
static bool shape_cands(vc_engine *e, size_t n, vc_error *err)
{
    double t0 = vc_now();
    bool ok = n == 0 || shape_cand(e, &e->c[0], err);
    e->n = ok && n > 0 ? 1 : 0;
    double bound = vc_fit_scale_bound(e);
    while (ok && e->n < n && vc_cand_drawn_at(e, e->c[e->n].f, bound)) {
        ok = shape_cand(e, &e->c[e->n], err);
        e->n += ok;
    }
    e->n_tail = n - e->n;
    e->L->timings.shape += vc_now() - t0;
    return ok;
}

bool vc_cands_gather(vc_engine *e, const vc_words *words, vc_error *err)
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
    size_t dcap = 0, n_cands = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const struct vc_word *w = order[i];
        if (!(w->count > 0)) {
            ok = add_dropped(L, &dcap, w, VC_DROP_NO_VOTES, format_reason("has no votes"), err);
        } else if (o->max_words && n_cands >= o->max_words) {
            ok = add_dropped(L, &dcap, w, VC_DROP_MAX_WORDS,
                             max_words_reason(w, e->c[n_cands - 1].src, o->max_words), err);
        } else {
            vc_cand *c = &e->c[n_cands++];
            c->src = w;
            c->f = vc_sizing_value(o->sizing, w->count);
        }
    }
    free(order);
    ok = ok && shape_cands(e, n_cands, err);
    if (ok) {
        choose_rotations(e);
    }
    return ok;
}

bool vc_layout_take_trial(vc_engine *e, vc_trial *t, vc_error *err)
{
    vc_layout *L = e->L;
    const vc_render_options *o = e->o;
    L->scale = t->scale;
    L->placed = vc_calloc2(t->n_keep ? t->n_keep : 1, sizeof *L->placed);
    if (!L->placed) {
        return vc_fail_nomem(err, "placed words");
    }
    size_t dcap = L->n_dropped;
    for (size_t i = 0; i < e->n + e->n_tail; i++) {
        vc_cand *c = &e->c[i];
        double size = t->scale * c->f;
        char num[32], min[32];
        number_text(num, sizeof num, size);
        number_text(min, sizeof min, o->min_font_size);
        if (i >= t->n_keep) {
            char *reason =
                e->nothing_fits
                    ? format_reason("no room: the words with the most votes do not all fit "
                                    "at the minimum font size %s px (use a larger canvas, a "
                                    "smaller minimum font size or fewer words)", min)
                    : format_reason("too small to read at the size that fits "
                                    "(would be %s px, below the minimum font size %s px)", num, min);
            vc_drop_reason why = e->nothing_fits ? VC_DROP_NOTHING_FITS : VC_DROP_TOO_SMALL;
            if (!add_dropped(L, &dcap, c->src, why, reason, err)) {
                return false;
            }
            continue;
        }
        vc_trial_word *tw = &t->w[i];
        if (tw->state == WORD_TOO_LONG) {
            /* Say so when no legible size would do (the canvas is too
             * small for it), not just the size of this scale. */
            char *reason =
                o->min_font_size > 0 && vc_cand_too_long(e, c, o->min_font_size)
                    ? format_reason("too long to draw: wider or taller than the canvas even "
                                    "at the minimum font size %s px", min)
                    : format_reason("too long to draw: wider or taller than the canvas at %s px",
                                    num);
            if (!add_dropped(L, &dcap, c->src, VC_DROP_TOO_LONG, reason, err)) {
                return false;
            }
            continue;
        }
        if (tw->state != WORD_PLACED) {
            vc_drop_reason code = tw->state == WORD_NO_INK ? VC_DROP_NO_INK : VC_DROP_NO_ROOM;
            const char *why = tw->state == WORD_NO_INK ? "nothing visible to draw (no ink)"
                              : o->same_scale > 0 ? "no room left on the canvas at the shared scale"
                              : o->fit == VC_FIT_NONE ? "no room left on the canvas at the fixed size"
                              : "no room left on the canvas";
            if (!add_dropped(L, &dcap, c->src, code, format_reason("%s", why), err)) {
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
        p->chosen = c->src->chosen;
        p->suggested = c->src->suggested;
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

/* `text` cut to at most 60 bytes on a UTF-8 boundary, "..." marking a cut,
 * so the error's advice is never pushed out by one very long word. */
static void short_text(char *buf, size_t size, const char *text)
{
    size_t max = size < 64 ? size - 4 : 60;
    size_t n = strlen(text);
    if (n <= max) {
        snprintf(buf, size, "%s", text);
        return;
    }
    while (n > max || (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)) {
        n--;
    }
    snprintf(buf, size, "%.*s...", (int)n, text);
}

/* The fewest votes of any drawn word; 0 when none is drawn. */
static double fewest_drawn(const vc_layout *L)
{
    double low = 0;
    for (size_t i = 0; i < L->n_placed; i++) {
        if (i == 0 || L->placed[i].count < low) {
            low = L->placed[i].count;
        }
    }
    return low;
}

/* The truths a finished layout keeps: something is drawn, and (fit none)
 * no word is missing while a word with fewer votes is drawn, unless the
 * caller allows gaps; with strict, nothing is left out at all. */
bool vc_layout_check_strict(const vc_layout *L, vc_error *err)
{
    if (L->n_placed == 0) {
        if (L->n_dropped == 0) {
            return vc_fail(err, VC_ERR_DATA, "nothing to draw: there are no words");
        }
        const vc_dropped_word *d = &L->dropped[0];
        /* Words that shape but leave no ink, all of them: the font's
         * outlines are missing (a cut-off or damaged file), so name it. */
        bool blank_font = d->why == VC_DROP_NO_INK && L->fonts.n > 0;
        return vc_fail(err, VC_ERR_DATA,
                       "nothing to draw: all %zu word%s would be left out; the first is '%s': "
                       "%s%s%s%s",
                       L->n_dropped, L->n_dropped == 1 ? "" : "s", d->text, d->reason,
                       blank_font ? "; is the font " : "",
                       blank_font ? L->fonts.fonts[0]->path : "",
                       blank_font ? " damaged? its glyphs draw nothing" : "");
    }
    if (L->opts.fit == VC_FIT_NONE && !L->opts.allow_gaps) {
        double low = fewest_drawn(L);
        for (size_t i = 0; i < L->n_dropped; i++) {
            const vc_dropped_word *d = &L->dropped[i];
            bool gap = d->why == VC_DROP_NO_ROOM || d->why == VC_DROP_TOO_LONG;
            if (gap && d->count > low) {
                char num[32], word[64];
                number_text(num, sizeof num, d->count);
                short_text(word, sizeof word, d->text);
                return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_FIT,
                               "'%s' (%s vote%s) does not fit at its size while words with "
                               "fewer votes are drawn: use a larger canvas or a smaller maximum "
                               "font size, fit automatically, or allow gaps",
                               word, num, d->count == 1 ? "" : "s");
            }
        }
    }
    if (!L->opts.strict || L->n_dropped == 0) {
        return true;
    }
    return vc_fail_option(err, VC_ERR_DATA, VC_OPTION_STRICT,
                   "strict: %zu word%s would be left out; the first is '%s': %s",
                   L->n_dropped, L->n_dropped == 1 ? "" : "s", L->dropped[0].text,
                   L->dropped[0].reason);
}

void vc_cands_finish(vc_engine *e)
{
    for (size_t i = 0; i < e->n + e->n_tail; i++) {
        vc_shaped_finish(&e->c[i].shaped);
        for (unsigned k = 0; k < VC_WRAP_MAX_LINES; k++) {
            vc_shaped_finish(&e->c[i].alt[k]);
        }
    }
    free(e->c);
}
