/* spiral-cache.c - spirals kept for the next layout of the same context:
 * a batch lays out dozens of events on one canvas, and an auto fit
 * switches among its spiral variants at every step near the boundary;
 * each would otherwise make the same points again. */
#include "layout/occupancy.h"

#include <stdlib.h>

/* At most this many bytes of spiral tables kept, as vc_spiral_bytes counts
 * them (the least recently given back go first).  The five variants' four
 * levels of a 50-word auto fit take 8.6 MB at 800x600 and 5.1 MB at
 * 1200x675 (place.c keeps none on canvases over 1 Mpx).  Past the budget,
 * a spiral of the same size is remade on the tables it has: fresh pages
 * cost about what remaking the points does. */
#define CACHE_BYTES ((size_t)12 << 20)
/* Five variants of four spiral levels, with room to spare. */
#define CACHE_SLOTS 32

typedef struct kept_spiral {
    vc_spiral_walk *sp;
    size_t bytes;
    uint64_t given_back; /* the cache's clock when it came back */
} kept_spiral;

struct vc_spiral_cache {
    kept_spiral kept[CACHE_SLOTS];
    size_t n, bytes;
    uint64_t clock;
};

static bool same_size(const vc_spiral_walk *sp, int w, int h, vc_spiral kind,
                      double coarseness)
{
    return sp->w == w && sp->h == h && sp->kind == kind && sp->coarseness == coarseness;
}

static bool made_as(const vc_spiral_walk *sp, int w, int h, vc_spiral kind, double coarseness,
                    uint64_t seed, double flatten)
{
    return same_size(sp, w, h, kind, coarseness) && sp->seed == seed && sp->flatten == flatten;
}

static void forget(vc_spiral_cache *c, size_t i)
{
    c->bytes -= c->kept[i].bytes;
    c->kept[i] = c->kept[--c->n];
}

static void spiral_free(vc_spiral_walk *sp)
{
    vc_spiral_finish(sp);
    free(sp);
}

vc_spiral_cache *vc_spiral_cache_new(vc_error *err)
{
    vc_spiral_cache *c = calloc(1, sizeof *c);
    if (!c) {
        vc_fail_nomem(err, "spiral cache");
    }
    return c;
}

vc_spiral_walk *vc_spiral_borrow(vc_spiral_cache *c, int w, int h, vc_spiral kind,
                                 double coarseness, uint64_t seed, double flatten,
                                 vc_error *err)
{
    size_t reuse = SIZE_MAX; /* the oldest of the same size */
    for (size_t i = 0; c && i < c->n; i++) {
        vc_spiral_walk *sp = c->kept[i].sp;
        if (made_as(sp, w, h, kind, coarseness, seed, flatten)) {
            forget(c, i);
            return sp;
        }
        if (same_size(sp, w, h, kind, coarseness) &&
            (reuse == SIZE_MAX || c->kept[i].given_back < c->kept[reuse].given_back)) {
            reuse = i;
        }
    }
    /* One more of this size would not be kept: remake the oldest. */
    if (reuse != SIZE_MAX && c->bytes + c->kept[reuse].bytes > CACHE_BYTES) {
        vc_spiral_walk *sp = c->kept[reuse].sp;
        forget(c, reuse);
        if (!vc_spiral_reseed(sp, seed, flatten, err)) {
            spiral_free(sp);
            return NULL;
        }
        return sp;
    }
    vc_spiral_walk *sp = calloc(1, sizeof *sp);
    if (!sp) {
        vc_fail_nomem(err, "spiral");
        return NULL;
    }
    if (!vc_spiral_init(sp, w, h, kind, coarseness, seed, flatten, err)) {
        spiral_free(sp);
        return NULL;
    }
    return sp;
}

/* The least recently given back. */
static size_t oldest(const vc_spiral_cache *c)
{
    size_t o = 0;
    for (size_t i = 1; i < c->n; i++) {
        if (c->kept[i].given_back < c->kept[o].given_back) {
            o = i;
        }
    }
    return o;
}

void vc_spiral_give_back(vc_spiral_cache *c, vc_spiral_walk *sp)
{
    if (!sp) {
        return;
    }
    if (!c || sp->overflow) {
        /* Not kept: no cache, or made wrongly (a bug, which its walker
         * has reported). */
        spiral_free(sp);
        return;
    }
    /* One larger than the budget is kept alone: its tables are remade
     * for the next spiral of its size, as they would be without a cache. */
    size_t bytes = vc_spiral_bytes(sp);
    while (c->n > 0 && (c->n == CACHE_SLOTS || c->bytes + bytes > CACHE_BYTES)) {
        size_t o = oldest(c);
        spiral_free(c->kept[o].sp);
        forget(c, o);
    }
    c->kept[c->n++] = (kept_spiral){sp, bytes, ++c->clock};
    c->bytes += bytes;
}

void vc_spiral_cache_free(vc_spiral_cache *cache)
{
    if (!cache) {
        return;
    }
    for (size_t i = 0; i < cache->n; i++) {
        spiral_free(cache->kept[i].sp);
    }
    free(cache);
}
