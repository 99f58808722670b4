/* occupancy.h - private to the layout stage (place.c, raster-ahead.c,
 * occupancy.c, spiral.c): the canvas occupancy bitmap, word bit masks and
 * the spiral of candidate positions. */
#ifndef VC_OCCUPANCY_H
#define VC_OCCUPANCY_H

#include "layout/layout.h"

#include <pthread.h>
#include <stdatomic.h>

/* One bit per canvas pixel, 1 = taken (a placed word's ink grown by the
 * padding, or outside the shape).  Bit i of word k of a row is pixel
 * x = 64 k + i. */
typedef struct vc_occupancy {
    int w, h;
    size_t nw;       /* 64-bit words per row */
    uint64_t *bits;  /* h * nw words */
} vc_occupancy;

bool vc_occupancy_init(vc_occupancy *occ, int w, int h, vc_error *err);
void vc_occupancy_finish(vc_occupancy *occ);
/* Clears every bit, then takes the pixels outside `shape` (or outside
 * `mask` when it is not NULL). */
void vc_occupancy_reset(vc_occupancy *occ, vc_shape shape,
                        const vc_mask *mask);

static inline bool vc_occupancy_get(const vc_occupancy *occ, int x, int y)
{
    return (occ->bits[(size_t)y * occ->nw + ((unsigned)x >> 6)] >>
            ((unsigned)x & 63)) & 1u;
}

static inline void vc_occupancy_set(vc_occupancy *occ, int x, int y)
{
    occ->bits[(size_t)y * occ->nw + ((unsigned)x >> 6)] |=
        (uint64_t)1 << ((unsigned)x & 63);
}

/* A word's ink (alpha > 0) as bits, trimmed to the ink's bounding box. */
typedef struct vc_sprite {
    int x0, y0;      /* top-left of the trimmed ink, relative to the origin */
    int w, h;        /* 0 x 0 when the word has no ink */
    size_t nw;       /* 64-bit words per row */
    uint64_t *bits;  /* h * nw words; bit i of word k = column 64 k + i */
    int ax, ay;      /* an ink pixel near the middle: the spiral's anchor */
    uint32_t *order; /* rows in the order collisions are tested */
} vc_sprite;

bool vc_sprite_from_ink(const vc_ink *ink, vc_sprite *out, vc_error *err);
void vc_sprite_finish(vc_sprite *sprite);
/* A copy of `from` into `to`, which owns its own arrays. */
bool vc_sprite_copy(const vc_sprite *from, vc_sprite *to, vc_error *err);

static inline bool vc_row_hits(const uint64_t *c, const uint64_t *b, size_t nw,
                               unsigned shift)
{
    if (shift == 0) {
        for (size_t k = 0; k < nw; k++) {
            if (c[k] & b[k]) {
                return true;
            }
        }
        return false;
    }
    uint64_t carry = 0;
    for (size_t k = 0; k < nw; k++) {
        if (c[k] & ((b[k] << shift) | carry)) {
            return true;
        }
        carry = b[k] >> (64 - shift);
    }
    /* The spill lies inside the canvas whenever it is not empty, because
     * the sprite does. */
    return carry && (c[nw] & carry);
}

/* True when the sprite, with its top-left at canvas pixel (x, y), hits a
 * taken pixel.  The sprite must lie wholly inside the canvas.  Inline:
 * the spiral walk calls it for most points it tries. */
static inline bool vc_occupancy_collides(const vc_occupancy *occ, const vc_sprite *sprite,
                                         int x, int y)
{
    unsigned shift = (unsigned)x & 63;
    const uint64_t *base = occ->bits + (size_t)y * occ->nw + ((unsigned)x >> 6);
    if (sprite->nw == 1) {
        /* Most words are at most 64 px wide: one word per row, no loop. */
        for (int k = 0; k < sprite->h; k++) {
            size_t j = sprite->order[k];
            const uint64_t *c = base + j * occ->nw;
            uint64_t b = sprite->bits[j];
            uint64_t spill = shift ? b >> (64 - shift) : 0;
            if ((c[0] & (b << shift)) || (spill && (c[1] & spill))) {
                return true;
            }
        }
        return false;
    }
    for (int k = 0; k < sprite->h; k++) {
        size_t j = sprite->order[k];
        if (vc_row_hits(base + j * occ->nw, sprite->bits + j * sprite->nw, sprite->nw, shift)) {
            return true;
        }
    }
    return false;
}
/* Takes the sprite's pixels grown by pad_x sideways and pad_y up and down
 * (a rectangle of 2 pad_x + 1 by 2 pad_y + 1 around each ink pixel),
 * clipped to the canvas.  `scratch` holds
 * vc_occupancy_scratch_words(sprite, pad_x) words. */
void vc_occupancy_add(vc_occupancy *occ, const vc_sprite *sprite, int x,
                      int y, int pad_x, int pad_y, uint64_t *scratch);
/* Takes every pixel within `inset` of the canvas edge (the margin). */
void vc_occupancy_take_frame(vc_occupancy *occ, int inset);
/* Words of scratch vc_occupancy_add needs. */
size_t vc_occupancy_scratch_words(const vc_sprite *sprite, int pad_x);

/* A point of the spiral: 8 bytes, so 1,000 words on a 1920x1080 canvas
 * keep 6 MB of spiral resident instead of 16 (issue 16: peak memory;
 * the tables sit on 2 MiB huge pages, so every table's last page counts
 * whole).  Canvas sides are at most 30,000 px. */
typedef struct vc_spiral_pt {
    uint16_t x, y;
    uint32_t next;          /* next == i: alive; else a later index */
} vc_spiral_pt;

/* Points per stored ring: the walk's test "past the ring limit" may stop
 * up to a block later, on points that could not take the word anyway. */
#define VC_RING_BLOCK 64

/* The spiral of candidate points, in order, generated lazily and kept
 * across trials; points that were found taken are skipped by later words
 * through a union-find "next alive" array, reset per trial.
 *
 * One thread walks it (the walker: vc_spiral_find, _next, _kill,
 * _revive).  Points are generated by the walker when it runs out, or
 * ahead of it by other threads (vc_spiral_generate_ahead, _chunk), one
 * chunk at a time under `lock`, and published through `avail`; the points
 * are the same whoever makes them. */
typedef struct vc_spiral_walk {
    int w, h;
    vc_spiral kind;
    double cx, cy, ax, ay;  /* centre and stretch to the aspect ratio */
    double phase, dir;      /* start angle and sense, from the seed */
    double turn, step;      /* px between turns and along the curve */
    double coarseness;      /* as made */
    uint64_t seed;          /* as made */
    double flatten;         /* as made */
    vc_spiral_pt *pt;       /* the points, inside the canvas */
    float *rad;             /* the ring of point i * VC_RING_BLOCK: rings
                             * never decrease, so a lower bound for the
                             * block's points */
    size_t n;               /* the walker's: points it has taken in */
    bool done;              /* the walker's: n is the whole spiral */
    /* the generator, under `lock` */
    pthread_mutex_t lock;
    bool have_lock;         /* lock was initialised */
    bool shared;            /* arrays made full size up front, so they never
                             * move and other threads may generate */
    bool ended;             /* the spiral has left the canvas */
    bool overflow;          /* more points than the bound: a bug */
    size_t gen_n, cap;      /* points generated; room for */
    size_t rad_cap;         /* room in rad (blocks) */
    atomic_size_t avail;    /* gen_n, published */
    atomic_bool gen_done;   /* ended, published after avail */
    atomic_size_t seen;     /* the walker's n, for the generator ahead */
    double t, c, s;         /* archimedean: angle walked, cos, sin */
    long ring, ring_step;   /* rectangular: ring and step along it */
    uint32_t last;
    bool have_last;
} vc_spiral_walk;

/* A spiral `coarseness` (1 to 1024) times as coarse as the finest, in
 * both the spacing of turns and the steps along them: big words walk a
 * coarse one, so they test far fewer points.  Its height is shrunk by
 * `flatten` (0.25 to 4; 1: stretched to the canvas only) against its
 * width: a flatter spiral sends big words sideways sooner. */
bool vc_spiral_init(vc_spiral_walk *sp, int w, int h, vc_spiral kind, double coarseness,
                    uint64_t seed, double flatten, vc_error *err);
/* The same spiral turned, sensed and flattened anew (seed, flatten),
 * keeping its tables when they are large enough. */
bool vc_spiral_reseed(vc_spiral_walk *sp, uint64_t seed, double flatten, vc_error *err);
void vc_spiral_finish(vc_spiral_walk *sp);
/* The bytes a spiral keeps resident: the pages its points so far are on,
 * and itself. */
size_t vc_spiral_bytes(const vc_spiral_walk *sp);

/* Spirals kept between the layouts that share a vc_context, and between
 * the auto fit's switches among its variants (spiral-cache.c): the points
 * of a spiral depend only on how it was made, and making them took a
 * fifth of a batch's CPU.  The cache (layout.h) is used by one layout at
 * a time, as its context is. */
/* A spiral made with these arguments (vc_spiral_init), from the
 * cache when it holds one (taken out of it), or made anew; NULL with the
 * error.  The walker revives it before a trial.  cache may be NULL. */
vc_spiral_walk *vc_spiral_borrow(vc_spiral_cache *cache, int w, int h, vc_spiral kind,
                                 double coarseness, uint64_t seed, double flatten,
                                 vc_error *err);
/* Puts a borrowed spiral back into the cache, which then lets go of the
 * least recently given back beyond its budget; frees it when cache is
 * NULL.  Allocates nothing, so it cannot fail. */
void vc_spiral_give_back(vc_spiral_cache *cache, vc_spiral_walk *sp);
/* Generates one more chunk of points for the walker, from another thread,
 * unless that many are already waiting for it; false when there is
 * nothing to do now (the spiral is complete or far enough ahead, or not
 * shared).  Never blocks: returns true at once when the lock is busy. */
bool vc_spiral_generate_ahead(vc_spiral_walk *sp);
/* Generates one more chunk of points, from another thread, however far
 * ahead of the walker; waits for the lock.  False when the spiral is
 * complete (or not shared). */
bool vc_spiral_generate_chunk(vc_spiral_walk *sp);
/* Makes every generated point alive again (a new trial). */
void vc_spiral_revive(vc_spiral_walk *sp);
/* The first alive point at index >= i, generating more as needed; returns
 * SIZE_MAX when the spiral has left the canvas, or on no memory (then
 * *nomem is set). */
size_t vc_spiral_find(vc_spiral_walk *sp, size_t i, bool *nomem);
/* vc_spiral_find with the common case (point i alive) inline. */
static inline size_t vc_spiral_next(vc_spiral_walk *sp, size_t i, bool *nomem)
{
    if (i < sp->n && sp->pt[i].next == i) {
        return i;
    }
    return vc_spiral_find(sp, i, nomem);
}
/* The ring past which no point puts a word's anchor inside the box
 * [x0, x1] x [y0, y1] of allowed anchor positions. */
double vc_spiral_ring_limit(const vc_spiral_walk *sp, double x0, double y0,
                            double x1, double y1);
/* Marks point i taken for the rest of the trial. */
static inline void vc_spiral_kill(vc_spiral_walk *sp, size_t i)
{
    sp->pt[i].next = (uint32_t)(i + 1);
}
/* A lower bound of point i's ring. */
static inline double vc_spiral_ring(const vc_spiral_walk *sp, size_t i)
{
    return sp->rad[i / VC_RING_BLOCK];
}

#endif
