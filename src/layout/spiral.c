/* spiral.c - the candidate positions every word walks, from the centre
 * outwards: an Archimedean spiral stretched to the canvas's aspect ratio
 * (or a rectangular one), as a table of canvas pixels generated on demand
 * and shared by all words and trials.  Points found taken are skipped by
 * every later word of the trial through a union-find "next alive" array. */
#include "layout/occupancy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Pixels between turns (along the longer axis) and along the curve at
 * coarseness 1: fine enough for small words to find the gaps between big
 * ones. */
#define TURN_SPACING 3.0
#define STEP 2.0
#define CHUNK 8192
/* Points made ahead of the walker by another thread, at most. */
#define AHEAD_MAX (4 * CHUNK)
/* Spirals whose point arrays (8 bytes a point) would be larger than this
 * at their largest are grown as walked instead, and not shared. */
#define SHARED_MAX_BYTES ((size_t)256 << 20)

/* Radius (in units of the longer axis) past which every point of the
 * stretched spiral lies outside the canvas: the corners' (at least the
 * bound of a spiral stretched to the canvas, so the default spirals end
 * where they always did). */
static double max_radius(const vc_spiral_walk *sp)
{
    double m = sp->w > sp->h ? sp->w : sp->h;
    double cx = sp->w / 2.0 / sp->ax, cy = sp->h / 2.0 / sp->ay;
    return fmax(m / 2.0 * M_SQRT2, sqrt(cx * cx + cy * cy)) + 2.0;
}

/* More points than the spiral can have on the canvas: one per step, and
 * steps are counted from how fast the angle advances (see the
 * generators), with a margin. */
static size_t max_points(const vc_spiral_walk *sp)
{
    double steps;
    if (sp->kind == VC_SPIRAL_RECTANGULAR) {
        double rings = fmax((sp->w / 2.0 + 1) / (sp->turn * sp->ax),
                            (sp->h / 2.0 + 1) / (sp->turn * sp->ay)) + 2;
        steps = 4 * sp->turn * (sp->ax + sp->ay) / sp->step * rings * (rings + 1) / 2 +
                2 * (rings + 1);
    } else {
        /* Steps of 0.5 rad while r <= step; after, t^2 grows by at least
         * 2 step / b a step. */
        double b = sp->turn / (2 * M_PI), rmax = max_radius(sp);
        steps = 2 * sp->step / b + rmax * rmax / (2 * b * sp->step) + 3;
    }
    steps = steps * 1.01 + 64;
    return steps < (double)(SIZE_MAX / 16) ? (size_t)steps : SIZE_MAX / 16;
}

/* vc_spiral_init, on the tables `pt` and `rad` (room for `cap`
 * points, or NULL) when they are large enough; freed otherwise. */
static bool spiral_setup(vc_spiral_walk *sp, int w, int h, vc_spiral kind, double coarseness,
                         uint64_t seed, double flatten, vc_spiral_pt *pt, float *rad,
                         size_t cap, vc_error *err)
{
    memset(sp, 0, sizeof *sp);
    sp->pt = pt;
    sp->rad = rad;
    sp->cap = cap;
    sp->rad_cap = rad ? cap / VC_RING_BLOCK + 1 : 0;
    if ((uint64_t)w * (uint64_t)h >= UINT32_MAX || w > UINT16_MAX || h > UINT16_MAX) {
        return vc_fail(err, VC_ERR_USAGE, "canvas %dx%d is too large", w, h);
    }
    if (!(flatten >= 0.25 && flatten <= 4)) {
        return vc_fail(err, VC_ERR_SOFTWARE, "spiral flattening %g is not from 0.25 to 4", flatten);
    }
    if (!(coarseness >= 1 && coarseness <= 1024)) {
        return vc_fail(err, VC_ERR_SOFTWARE, "spiral coarseness %g is not from 1 to 1024", coarseness);
    }
    sp->w = w;
    sp->h = h;
    sp->kind = kind;
    sp->coarseness = coarseness;
    sp->seed = seed;
    sp->flatten = flatten;
    sp->turn = TURN_SPACING * coarseness;
    sp->step = STEP * coarseness;
    sp->cx = w / 2.0;
    sp->cy = h / 2.0;
    /* Stretched to the canvas's aspect ratio; on a portrait canvas only by
     * its square root: words run horizontally, so rings as tall as the
     * canvas send the big words up and down before the sides are used
     * (measured: top size +6% for 50-80 words at 1080x1920, none lower). */
    double m = w > h ? w : h;
    sp->ax = w / m;
    sp->ay = h / m;
    if (h > w) {
        sp->ax = sqrt((double)w / h);
    }
    if (flatten != 1) {
        sp->ay *= flatten;
        double top = fmax(sp->ax, sp->ay);
        sp->ax /= top;
        sp->ay /= top;
    }
    /* The seed turns the spiral and picks its sense, so different seeds
     * give different clouds while one seed always gives the same. */
    vc_rng rng;
    vc_rng_seed(&rng, seed ^ 0x53504952414cULL);
    sp->phase = vc_rng_double(&rng) * 2 * M_PI;
    sp->dir = (vc_rng_next(&rng) & 1) ? 1.0 : -1.0;
    sp->c = cos(sp->phase);
    sp->s = sin(sp->phase);
    if (pthread_mutex_init(&sp->lock, NULL) != 0) {
        return vc_fail(err, VC_ERR_NOMEM, "spiral: cannot create a mutex");
    }
    sp->have_lock = true;
    atomic_init(&sp->avail, 0);
    atomic_init(&sp->gen_done, false);
    atomic_init(&sp->seen, 0);
    /* Full size up front when affordable: untouched pages cost nothing. */
    size_t bound = max_points(sp);
    if (sp->pt && sp->cap >= bound) {
        sp->shared = true;
        return true;
    }
    free(sp->pt);
    free(sp->rad);
    sp->pt = NULL;
    sp->rad = NULL;
    sp->cap = sp->rad_cap = 0;
    if (bound < SHARED_MAX_BYTES / sizeof *sp->pt) {
        sp->pt = vc_malloc_big(bound, sizeof *sp->pt);
        sp->rad = vc_malloc2(bound / VC_RING_BLOCK + 1, sizeof *sp->rad);
        if (!sp->pt || !sp->rad) {
            vc_spiral_finish(sp);
            return vc_fail_nomem(err, "spiral");
        }
        sp->cap = bound;
        sp->rad_cap = bound / VC_RING_BLOCK + 1;
        sp->shared = true;
    }
    return true;
}

bool vc_spiral_init(vc_spiral_walk *sp, int w, int h, vc_spiral kind, double coarseness,
                    uint64_t seed, double flatten, vc_error *err)
{
    return spiral_setup(sp, w, h, kind, coarseness, seed, flatten, NULL, NULL, 0, err);
}

bool vc_spiral_reseed(vc_spiral_walk *sp, uint64_t seed, double flatten, vc_error *err)
{
    int w = sp->w, h = sp->h;
    vc_spiral kind = sp->kind;
    double coarseness = sp->coarseness;
    vc_spiral_pt *pt = sp->shared ? sp->pt : NULL;
    float *rad = sp->shared ? sp->rad : NULL;
    size_t cap = sp->shared ? sp->cap : 0;
    if (sp->shared) {
        sp->pt = NULL;
        sp->rad = NULL;
    }
    vc_spiral_finish(sp);
    return spiral_setup(sp, w, h, kind, coarseness, seed, flatten, pt, rad, cap, err);
}

void vc_spiral_finish(vc_spiral_walk *sp)
{
    if (sp) {
        if (sp->have_lock) {
            pthread_mutex_destroy(&sp->lock);
        }
        free(sp->pt);
        free(sp->rad);
        memset(sp, 0, sizeof *sp);
    }
}

size_t vc_spiral_bytes(const vc_spiral_walk *sp)
{
    /* The pages the points made so far are on: a table made full size up
     * front is untouched past them, but one on huge pages is resident in
     * whole huge pages. */
    size_t made = sp->gen_n * sizeof *sp->pt;
    if (sp->shared && sp->cap * sizeof *sp->pt >= VC_HUGE_PAGE) {
        /* The allocator writes at its start: one huge page at least. */
        made = vc_big_size(made > VC_HUGE_PAGE ? made : VC_HUGE_PAGE);
    }
    return sizeof *sp + made + (sp->gen_n / VC_RING_BLOCK + 1) * sizeof *sp->rad;
}

void vc_spiral_revive(vc_spiral_walk *sp)
{
    for (size_t i = 0; i < sp->n; i++) {
        sp->pt[i].next = (uint32_t)i;
    }
}

/* floor() for |v| < 2^62 without the libm call (no SSE4.1 by default). */
static inline long floor_long(double v)
{
    long i = (long)v;
    return (double)i > v ? i - 1 : i;
}

/* Inline: it runs once per point of the spiral. */
static inline __attribute__((always_inline)) bool push(vc_spiral_walk *sp, double fx, double fy,
                                                       double ring)
{
    if (!(fx >= 0 && fy >= 0 && fx < sp->w && fy < sp->h)) {
        return true;
    }
    long x = floor_long(fx), y = floor_long(fy);
    uint32_t p = (uint32_t)((uint64_t)y * (uint64_t)sp->w + (uint64_t)x);
    if (sp->have_last && p == sp->last) {
        return true;
    }
    if (sp->gen_n == sp->cap && sp->shared) {
        sp->overflow = true; /* max_points is wrong: a bug */
        return false;
    }
    if (sp->gen_n == sp->cap) {
        /* Its own capacity for rad: one derived from cap was 1 block
         * before the first growth, so rad stayed NULL (a canvas too large
         * for the up-front tables, such as 1200x30000, crashed). */
        size_t cap = sp->cap;
        if (sp->gen_n >= UINT32_MAX - 1 ||
            !vc_grow((void **)&sp->pt, &cap, sp->gen_n + 1, sizeof *sp->pt) ||
            !vc_grow((void **)&sp->rad, &sp->rad_cap, cap / VC_RING_BLOCK + 1, sizeof *sp->rad)) {
            return false;
        }
        sp->cap = cap;
    }
    sp->pt[sp->gen_n].x = (uint16_t)x;
    sp->pt[sp->gen_n].y = (uint16_t)y;
    sp->pt[sp->gen_n].next = (uint32_t)sp->gen_n;
    if (sp->gen_n % VC_RING_BLOCK == 0) {
        sp->rad[sp->gen_n / VC_RING_BLOCK] = (float)ring;
    }
    sp->gen_n++;
    sp->last = p;
    sp->have_last = true;
    return true;
}


/* The angle still to turn, from the current point of an Archimedean
 * spiral at radius r, before a point at that radius can be on the canvas
 * (within a pixel); -1 when no point at that radius can.  The canvas is a
 * box around the centre, so the angles whose point is on it at radius r
 * are four arcs, and they only shrink as r grows. */
static double angle_to_canvas(const vc_spiral_walk *sp, double r)
{
    double p = (sp->w / 2.0 + 1) / (r * sp->ax), q = (sp->h / 2.0 + 1) / (r * sp->ay);
    if (p >= 1 && q >= 1) {
        return 0;
    }
    double a = p >= 1 ? 0 : acos(p), b = q >= 1 ? M_PI / 2 : asin(q);
    if (a > b) {
        return -1;
    }
    /* The arcs are symmetric about the x axis, so a clockwise walk is an
     * anticlockwise one mirrored. */
    double phi = atan2(sp->s * sp->dir, sp->c);
    if (phi < 0) {
        phi += 2 * M_PI;
    }
    const double arcs[4][2] = {{a, b}, {M_PI - b, M_PI - a}, {M_PI + a, M_PI + b},
                               {2 * M_PI - b, 2 * M_PI - a}};
    for (int k = 0; k < 4; k++) {
        if (phi <= arcs[k][1]) {
            return phi >= arcs[k][0] ? 0 : arcs[k][0] - phi;
        }
    }
    return 2 * M_PI + a - phi;
}

/* Archimedean: r = turn * t / 2pi.  The angle advances so that each step
 * moves about `step` pixels; the rotation is applied by a small-
 * angle recurrence (renormalised) rather than sin/cos per point.  Where
 * the spiral is off the canvas (the corners of a wide one: most of its
 * outer turns), only the angle is stepped, and sin/cos taken again where
 * it comes back. */
static bool gen_archimedean(vc_spiral_walk *sp, size_t want)
{
    double b = sp->turn / (2 * M_PI);
    double rmax = max_radius(sp);
    double xl = sp->w / 2.0 + 1, yl = sp->h / 2.0 + 1;
    size_t target = sp->gen_n + want;
    long steps = 0;
    /* The recurrence in locals, not through sp (stores to which the
     * compiler cannot prove do not alias the point arrays). */
    double t = sp->t, c = sp->c, s = sp->s;
    bool ok = true;
    while (sp->gen_n < target) {
        double r = b * t;
        if (r > rmax) {
            sp->ended = true;
            break;
        }
        double x = r * c * sp->ax, y = r * s * sp->ay;
        if (fabs(x) > xl || fabs(y) > yl) {
            sp->c = c;
            sp->s = s;
            double u = angle_to_canvas(sp, r);
            if (u < 0) {
                sp->ended = true;
                break;
            }
            if (u > 0) {
                double t_end = t + u;
                while (t < t_end && b * t <= rmax) {
                    double rr = b * t;
                    t += rr > sp->step ? sp->step / rr : 0.5;
                }
                double th = sp->phase + sp->dir * t;
                c = cos(th);
                s = sin(th);
                continue;
            }
        }
        if (!push(sp, sp->cx + x, sp->cy + y, r)) {
            ok = false;
            break;
        }
        double d = r > sp->step ? sp->step / r : 0.5;
        t += d;
        double dd = sp->dir * d;
        double sd, cd;
        if (d < 0.05) {
            /* Taylor terms to d^5 and d^4: exact to 1e-13 per step. */
            double d2 = dd * dd;
            sd = dd * (1 - d2 * (1.0 / 6) * (1 - d2 * (1.0 / 20)));
            cd = 1 - d2 * 0.5 * (1 - d2 * (1.0 / 12));
        } else {
            sd = sin(dd);
            cd = cos(dd);
        }
        double nc = c * cd - s * sd;
        double ns = s * cd + c * sd;
        if (++steps % 1024 == 0) {
            double n = sqrt(nc * nc + ns * ns);
            nc /= n;
            ns /= n;
        }
        c = nc;
        s = ns;
    }
    sp->t = t;
    sp->c = c;
    sp->s = s;
    return ok;
}

/* Rectangular: rings of growing half-size, each walked once around. */
static bool gen_rectangular(vc_spiral_walk *sp, size_t want)
{
    size_t target = sp->gen_n + want;
    while (sp->gen_n < target) {
        double hx = sp->ring * sp->turn * sp->ax;
        double hy = sp->ring * sp->turn * sp->ay;
        if (hx > sp->w / 2.0 + 1 && hy > sp->h / 2.0 + 1) {
            sp->ended = true;
            return true;
        }
        double per = 4 * (hx + hy);
        long steps = per > 0 ? (long)ceil(per / sp->step) : 1;
        if (sp->ring_step >= steps) {
            sp->ring++;
            sp->ring_step = 0;
            continue;
        }
        /* Position along the perimeter, starting at the top-left corner,
         * clockwise or not as the seed chose. */
        double u = per > 0 ? per * (double)sp->ring_step / (double)steps : 0;
        if (sp->dir < 0) {
            u = per - u;
        }
        double x, y;
        if (u < 2 * hx) {
            x = -hx + u, y = -hy;
        } else if (u < 2 * hx + 2 * hy) {
            x = hx, y = -hy + (u - 2 * hx);
        } else if (u < 4 * hx + 2 * hy) {
            x = hx - (u - 2 * hx - 2 * hy), y = hy;
        } else {
            x = -hx, y = hy - (u - 4 * hx - 2 * hy);
        }
        sp->ring_step++;
        if (!push(sp, sp->cx + x, sp->cy + y, (double)sp->ring)) {
            return false;
        }
    }
    return true;
}

double vc_spiral_ring_limit(const vc_spiral_walk *sp, double x0, double y0,
                            double x1, double y1)
{
    /* The ring through the box's farthest corner, plus a turn of slack
     * for rounding to pixels. */
    double dx = fmax(fabs(x0 - sp->cx), fabs(x1 + 1 - sp->cx));
    double dy = fmax(fabs(y0 - sp->cy), fabs(y1 + 1 - sp->cy));
    if (sp->kind == VC_SPIRAL_RECTANGULAR) {
        return fmax(dx / (sp->turn * sp->ax), dy / (sp->turn * sp->ay)) + 2;
    }
    return sqrt((dx / sp->ax) * (dx / sp->ax) + (dy / sp->ay) * (dy / sp->ay)) + 2 * sp->turn;
}

static size_t root(vc_spiral_walk *sp, size_t i)
{
    size_t r = i;
    while (r < sp->n && sp->pt[r].next != r) {
        r = sp->pt[r].next;
    }
    /* Path compression keeps later walks over dead stretches O(1). */
    while (i < sp->n && sp->pt[i].next != i) {
        size_t nx = sp->pt[i].next;
        sp->pt[i].next = (uint32_t)r;
        i = nx;
    }
    return r;
}

/* One chunk more, under the lock; publishes what was made. */
static bool generate_locked(vc_spiral_walk *sp)
{
    if (sp->ended) {
        return true;
    }
    bool ok = sp->kind == VC_SPIRAL_RECTANGULAR ? gen_rectangular(sp, CHUNK)
                                                : gen_archimedean(sp, CHUNK);
    atomic_store_explicit(&sp->avail, sp->gen_n, memory_order_release);
    if (sp->ended) {
        atomic_store_explicit(&sp->gen_done, true, memory_order_release);
    }
    return ok;
}

/* One chunk by a thread other than the walker, which holds the lock and
 * here lets it go; true when the spiral goes on.  A failure (a bug: more
 * points than the bound) is the walker's to report, when it reaches the
 * end of what was made. */
static bool generate_unlock(vc_spiral_walk *sp)
{
    bool more = generate_locked(sp) && !sp->ended;
    pthread_mutex_unlock(&sp->lock);
    return more;
}

bool vc_spiral_generate_ahead(vc_spiral_walk *sp)
{
    if (!sp->shared || atomic_load_explicit(&sp->gen_done, memory_order_acquire)) {
        return false;
    }
    /* Points far past the walker may never be wanted: a CPU shared with
     * other work is better spent elsewhere. */
    size_t seen = atomic_load_explicit(&sp->seen, memory_order_relaxed);
    if (atomic_load_explicit(&sp->avail, memory_order_relaxed) >= seen + AHEAD_MAX) {
        return false;
    }
    if (pthread_mutex_trylock(&sp->lock) != 0) {
        return true;
    }
    return generate_unlock(sp);
}

bool vc_spiral_generate_chunk(vc_spiral_walk *sp)
{
    if (!sp->shared || atomic_load_explicit(&sp->gen_done, memory_order_acquire)) {
        return false;
    }
    pthread_mutex_lock(&sp->lock);
    return generate_unlock(sp);
}

size_t vc_spiral_find(vc_spiral_walk *sp, size_t i, bool *nomem)
{
    for (;;) {
        size_t r = root(sp, i);
        if (r < sp->n) {
            return r;
        }
        if (sp->done) {
            return SIZE_MAX;
        }
        /* gen_done before avail: once generation has ended, avail is
         * final. */
        bool ended = atomic_load_explicit(&sp->gen_done, memory_order_acquire);
        size_t avail = atomic_load_explicit(&sp->avail, memory_order_acquire);
        if (avail > sp->n) {
            sp->n = avail;
            atomic_store_explicit(&sp->seen, avail, memory_order_relaxed);
        } else if (ended) {
            sp->done = true;
        } else {
            pthread_mutex_lock(&sp->lock);
            /* Another thread may have made more while this one waited. */
            bool ok = sp->gen_n > sp->n || generate_locked(sp);
            pthread_mutex_unlock(&sp->lock);
            if (!ok) {
                *nomem = true;
                return SIZE_MAX;
            }
        }
        i = r;
    }
}
