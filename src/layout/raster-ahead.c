/* raster-ahead.c - words rasterised (and turned into bit masks) in order
 * on a second thread while the placer places the ones already done; when
 * the next word is not done yet and nobody has started it, the placer
 * rasterises it itself rather than wait.
 *
 * Rasterising is a pure function of the word, so the layout is the one a
 * single thread makes.  Two threads may draw glyphs at once: cairo locks
 * each FreeType face while it uses it, and nothing else touches the faces
 * during a trial. */
#include "layout/engine.h"

#include <stdlib.h>
#include <string.h>

/* The rasteriser runs at most this many words ahead of placement, so a
 * trial that stops at its first misfit wastes little. */
#define RASTER_LEAD 48

static bool make_word(vc_ahead *a, size_t i, vc_error *err)
{
    const vc_cand *c = &a->e->c[i];
    double size = a->scale * c->f;
    /* A word longer than the canvas at its size (one respondent's 10,000
     * characters) is left out with a reason, not rasterised: its bitmap
     * could be larger than memory allows, and it could never be placed. */
    if (c->ink_w * size > a->e->occ.w || c->ink_h * size > a->e->occ.h) {
        a->tw[i].state = WORD_TOO_LONG;
        return true;
    }
    return vc_rasterise(&c->shaped, a->scale * c->f, c->rotation, &a->tw[i].ink, err) &&
           vc_sprite_from_ink(&a->tw[i].ink, &a->sprites[i], err);
}

/* Spiral points the placer will want, made while the rasteriser is
 * ahead: the finest spiral last, as small words come last.  False when
 * every spiral is complete. */
static bool spiral_work(vc_engine *e)
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
    vc_ahead *a = arg;
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
bool vc_ahead_take(vc_ahead *a, size_t i, vc_error *err)
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
        ok = vc_fail_copy(err, &a->err);
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
