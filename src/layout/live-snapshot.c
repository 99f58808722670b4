/* live-snapshot.c - the current frame of a live cloud as an ordinary,
 * immutable vc_layout (its own copies of every word's glyphs and ink),
 * so the usual writers draw it. */
#include "layout/live-internal.h"

#include <stdlib.h>
#include <string.h>

static bool copy_shaped(const vc_shaped *from, vc_shaped *to, vc_error *err)
{
    *to = *from;
    to->glyphs = NULL;
    if (from->n == 0) {
        return true;
    }
    to->glyphs = vc_malloc2(from->n, sizeof *to->glyphs);
    if (!to->glyphs) {
        return vc_fail_nomem(err, "snapshot glyphs");
    }
    memcpy(to->glyphs, from->glyphs, from->n * sizeof *to->glyphs);
    return true;
}

static bool copy_ink(const vc_ink *from, vc_ink *to, vc_error *err)
{
    *to = *from;
    to->alpha = NULL;
    if (!from->alpha) {
        return true;
    }
    size_t bytes = (size_t)from->h * (size_t)from->stride;
    to->alpha = vc_malloc2(bytes ? bytes : 1, 1);
    if (!to->alpha) {
        return vc_fail_nomem(err, "snapshot ink");
    }
    memcpy(to->alpha, from->alpha, bytes);
    return true;
}

static bool add_placed(vc_layout *L, const live_word *w, vc_error *err)
{
    vc_placed_word *p = &L->placed[L->n_placed];
    memset(p, 0, sizeof *p);
    p->text = vc_strdup(w->text);
    if (!p->text) {
        return vc_fail_nomem(err, "snapshot words");
    }
    /* Counted now, so vc_layout_free frees what was copied so far. */
    L->n_placed++;
    p->count = w->count;
    p->group = w->group;
    p->font_size = w->size;
    p->x = w->x - w->sp.x0;
    p->y = w->y - w->sp.y0;
    p->rotation = w->rotation;
    p->box[0] = w->x;
    p->box[1] = w->y;
    p->box[2] = w->x + w->sp.w;
    p->box[3] = w->y + w->sp.h;
    return copy_shaped(&w->shaped, &p->shaped, err) && copy_ink(&w->ink, &p->ink, err);
}

/* Why a word is not drawn: the reason callers switch on, and in plain
 * words. */
static vc_drop_reason reason_of(int state)
{
    switch (state) {
    case LIVE_NO_VOTES:
        return VC_DROP_NO_VOTES;
    case LIVE_PAST_MAX:
        return VC_DROP_MAX_WORDS;
    case LIVE_TOO_SMALL:
        return VC_DROP_TOO_SMALL;
    case LIVE_NO_INK:
        return VC_DROP_NO_INK;
    case LIVE_NO_ROOM:
    default:
        return VC_DROP_NO_ROOM;
    }
}

static const char *reason_text(vc_drop_reason why)
{
    switch (why) {
    case VC_DROP_NO_VOTES:
        return "has no votes";
    case VC_DROP_MAX_WORDS:
        return "not in the top words kept (max_words)";
    case VC_DROP_TOO_SMALL:
        return "too small to read at the current scale (below min_font_size)";
    case VC_DROP_NO_INK:
        return "nothing visible to draw (no ink)";
    default:
        return "no room left on the canvas";
    }
}

static bool add_dropped(vc_layout *L, const live_word *w, vc_error *err)
{
    vc_dropped_word *d = &L->dropped[L->n_dropped];
    memset(d, 0, sizeof *d);
    d->text = vc_strdup(w->text);
    d->why = reason_of(w->state);
    d->reason = vc_strdup(reason_text(d->why));
    L->n_dropped++;
    if (!d->text || !d->reason) {
        return vc_fail_nomem(err, "snapshot dropped words");
    }
    d->count = w->count;
    d->group = w->group;
    return true;
}

vc_layout *vc_live_snapshot(const vc_live *live, vc_error *err)
{
    if (!live) {
        vc_fail(err, VC_ERR_SOFTWARE, "vc_live_snapshot: no live layout");
        return NULL;
    }
    vc_layout *L = vc_layout_begin(live->ctx, &live->opts, err);
    if (!L) {
        return NULL;
    }
    size_t n = live->n_order ? live->n_order : 1;
    L->placed = vc_calloc2(n, sizeof *L->placed);
    L->dropped = vc_calloc2(n, sizeof *L->dropped);
    bool ok = L->placed && L->dropped;
    if (!ok) {
        vc_fail_nomem(err, "snapshot");
    }
    L->scale = live->scale;
    L->respondents = live->respondents;
    L->total_words = live->total;
    L->legend_top = live->proto->legend_top;
    /* Most votes first, drawn words and dropped ones alike. */
    for (size_t k = 0; ok && k < live->n_order; k++) {
        const live_word *w = &live->w[live->order[k]];
        ok = w->state == LIVE_DRAWN ? add_placed(L, w, err) : add_dropped(L, w, err);
    }
    ok = ok && vc_layout_assign_colors(L, err) && vc_layout_build_drawing(L, err);
    if (!ok) {
        vc_layout_free(L);
        return NULL;
    }
    return L;
}
