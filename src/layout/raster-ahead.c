/* raster-ahead.c - words rasterised (and turned into bit masks) in order
 * on a second thread while the placer places the ones already done; when
 * the next word is not done yet and nobody has started it, the placer
 * rasterises it itself rather than wait, and while it waits for a word
 * the rasteriser is making, it makes later ones.
 *
 * Rasterising is a pure function of the word, so the layout is the one a
 * single thread makes.  Two threads may draw glyphs at once and share no
 * lock while they do: each borrows a FreeType face of its own from the
 * font (font.c); fonts that cairo draws lock their face in cairo. */
#include "layout/engine.h"

#include <stdlib.h>
#include <string.h>

/* The rasteriser runs at most this many words ahead of placement, so a
 * trial that stops at its first misfit wastes little. */
#define RASTER_LEAD 48

static void made_drop(vc_made_word *m)
{
    vc_ink_finish(&m->ink);
    vc_sprite_finish(&m->sprite);
    m->have = false;
}

void vc_made_finish(vc_engine *e)
{
    for (size_t i = 0; e->made && i < e->n; i++) {
        made_drop(&e->made[i]);
    }
    free(e->made);
    e->made = NULL;
}

/* Keeps a copy of the word just made as candidate i's.  A copy that
 * cannot be made fails the layout, as any other allocation does: a
 * failure passed over would make the next trial allocate differently. */
static bool made_keep(vc_made_word *m, const vc_cand *c, double size, const vc_ink *ink,
                      const vc_sprite *sprite, vc_error *err)
{
    made_drop(m);
    if (!vc_ink_copy(ink, &m->ink, err) || !vc_sprite_copy(sprite, &m->sprite, err)) {
        made_drop(m);
        return false;
    }
    m->size = size;
    m->rotation = c->rotation;
    m->lines = c->lines;
    m->have = true;
    return true;
}

static bool made_matches(const vc_made_word *m, const vc_cand *c, double size)
{
    return m->have && m->size == size && m->rotation == c->rotation && m->lines == c->lines;
}

static bool make_word(vc_ahead *a, size_t i, vc_error *err)
{
    const vc_cand *c = &a->e->c[i];
    double size = a->scale * c->f;
    /* One respondent's 10,000 characters, say. */
    if (vc_cand_too_long(a->e, c, size)) {
        a->tw[i].state = WORD_TOO_LONG;
        return true;
    }
    /* Only the thread that claimed word i touches made[i] in a trial. */
    vc_made_word *m = a->keep ? &a->e->made[i] : NULL;
    if (m && made_matches(m, c, size)) {
        return vc_ink_copy(&m->ink, &a->tw[i].ink, err) &&
               vc_sprite_copy(&m->sprite, &a->sprites[i], err);
    }
    if (!vc_rasterise(&c->shaped, size, c->rotation, &a->tw[i].ink, err) ||
        !vc_sprite_from_ink(&a->tw[i].ink, &a->sprites[i], err)) {
        return false;
    }
    return !m || made_keep(m, c, size, &a->tw[i].ink, &a->sprites[i], err);
}

/* Readies e->made for a trial that keeps the words it makes
 * (e->keep_made).  Each entry says what it was made as (made_matches), so
 * a word made at another size is made again, never reused. */
static bool made_start(vc_engine *e, vc_error *err)
{
    if (!e->made && !(e->made = vc_calloc2(e->n, sizeof *e->made))) {
        return vc_fail_nomem(err, "words kept between trials");
    }
    return true;
}

/* Spiral points the placer will want, made while the rasteriser is
 * ahead: the finest spiral last, as small words come last.  False when
 * every spiral is complete. */
static bool spiral_work(vc_engine *e)
{
    for (size_t k = N_LEVELS; k-- > 0;) {
        if (vc_spiral_generate_ahead(e->sp[k])) {
            return true;
        }
    }
    return false;
}

/* The next word for the rasteriser, claimed; SIZE_MAX when the placer
 * has finished or every word is claimed.  While it is far enough ahead,
 * the rasteriser makes spiral points instead of sleeping; once it sleeps,
 * the placer wakes it only when the lead has halved, not at every word:
 * a wake per word cost the placer a futex call and the rasteriser a
 * context switch per word. */
static size_t ahead_claim(vc_ahead *a)
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
            a->asleep = true;
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

/* Records the outcome of making word i (under mu): done, or the first
 * failure, which stops the rasteriser; the placer reports it on reaching
 * word i, as it would have on making it itself. */
static void word_made(vc_ahead *a, size_t i, bool ok, const vc_error *err)
{
    if (ok) {
        a->done[i] = true;
    } else {
        if (a->failed_at == SIZE_MAX || i < a->failed_at) {
            a->failed_at = i;
            a->err = *err;
        }
        a->stop = true;
    }
    pthread_cond_broadcast(&a->cv);
}

/* The rasteriser thread. */
static void *ahead_run(void *arg)
{
    vc_ahead *a = arg;
    for (size_t i; (i = ahead_claim(a)) != SIZE_MAX;) {
        double t0 = vc_now();
        vc_error err = {0};
        bool ok = make_word(a, i, &err);
        a->busy += vc_now() - t0;
        pthread_mutex_lock(&a->mu);
        word_made(a, i, ok, &err);
        pthread_mutex_unlock(&a->mu);
        if (!ok) {
            break;
        }
    }
    return NULL;
}

/* Makes a later word while the placer waits for word i, which the
 * rasteriser is making: the largest words come first and take longer to
 * draw than to place, so without this the placer idles through them
 * (measured on the bench's w1k: it waited 11-17 ms of ~12 ms of
 * rasterising).  Called and returns under mu; false when there is no
 * word to make. */
static bool help_ahead(vc_ahead *a, size_t i)
{
    size_t j = a->claimed;
    if (a->stop || j >= a->n || j >= i + RASTER_LEAD) {
        return false;
    }
    a->claimed++;
    pthread_mutex_unlock(&a->mu);
    double t0 = vc_now();
    vc_error err = {0};
    bool ok = make_word(a, j, &err);
    a->e->L->timings.rasterise += vc_now() - t0;
    pthread_mutex_lock(&a->mu);
    word_made(a, j, ok, &err);
    return true;
}

/* Word i, made by the rasteriser or here; false (with the error) when
 * making it failed, just as making it here would have. */
bool vc_ahead_take(vc_ahead *a, size_t i, vc_error *err)
{
    double t0 = vc_now();
    pthread_mutex_lock(&a->mu);
    a->taken = i;
    if (a->asleep && a->claimed <= i + RASTER_LEAD / 2) {
        a->asleep = false;
        pthread_cond_broadcast(&a->cv);
    }
    bool mine = !a->done[i] && a->claimed == i;
    if (mine) {
        a->claimed++;
    }
    while (!mine && !a->done[i] && a->failed_at != i) {
        if (!help_ahead(a, i)) {
            pthread_cond_wait(&a->cv, &a->mu);
        }
    }
    bool failed = !mine && !a->done[i];
    vc_error failure;
    if (failed) {
        failure = a->err;
    }
    pthread_mutex_unlock(&a->mu);
    bool ok = true;
    if (mine) {
        double t1 = vc_now();
        ok = make_word(a, i, err);
        /* A failure here stops the rasteriser too, as its own would. */
        pthread_mutex_lock(&a->mu);
        word_made(a, i, ok, err);
        pthread_mutex_unlock(&a->mu);
        a->e->L->timings.rasterise += vc_now() - t1;
    } else if (failed) {
        ok = vc_fail_copy(err, &failure);
    }
    a->e->raster_wait += vc_now() - t0;
    return ok;
}

/* Starts the rasteriser for the first n words at `scale`. */
bool vc_ahead_start(vc_ahead *a, vc_engine *e, double scale, size_t n,
                    vc_trial_word *tw, vc_error *err)
{
    memset(a, 0, sizeof *a);
    a->e = e;
    a->scale = scale;
    a->n = n;
    a->tw = tw;
    a->failed_at = SIZE_MAX;
    a->keep = e->keep_made && e->n > 0;
    if (a->keep && !made_start(e, err)) {
        return false;
    }
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
    if (n > 1 && e->o->threads != 1 && pthread_create(&a->thread, NULL, ahead_run, a) == 0) {
        a->threaded = true;
    }
    /* Without a thread the placer makes every word itself, in order: the
     * same layout. */
    return true;
}

void vc_ahead_end(vc_ahead *a)
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
